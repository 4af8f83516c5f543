"""imbtool.over_sampling against imbalanced-learn's over-samplers, in one run.

    python benchmarks/bench_over_sampling.py [--repeats 3] [--quick] [--task large|medium]

Task "large": SMOTE, BorderlineSMOTE and ADASYN on 1,000,000 x 20 float64 with
1% minority (sklearn's make_classification(weights=[0.99])). Task "medium":
every imbalanced-learn-equivalent sampler on 100,000 x 20 of the same kind
(SMOTENC with 5 of the columns binned into categories, SMOTEN on all 20
columns binned). Both libraries get the same parameters and random_state;
default sampling_strategy (balance the classes). Prints median seconds over
the repeats after one untimed call of each library at full size (numba's one-off
loading of compiled code and thread start, ~0.25 s per process, is not counted),
the speed-up (imblearn / imbtool), and each method's peak memory
growth measured once in a fresh process (the input data excluded; the output
of 1,980,000 x 20 float64 alone is 302 MiB). --quick divides sizes by 10.
"""

import argparse
import sys

import numpy as np
from _common import in_subprocess, machine_line, measure, peak_mib
from imblearn import over_sampling as imb
from sklearn.datasets import make_classification

import imbtool.over_sampling as ours

NOMINAL = [0, 5, 10, 15, 19]

# name -> (class name, parameters shared by both libraries, data kind)
CASES = {
    "RandomOverSampler": ("RandomOverSampler", {}, "numeric"),
    "RandomOverSampler(shrinkage=1)": ("RandomOverSampler", {"shrinkage": 1.0}, "numeric"),
    "SMOTE": ("SMOTE", {}, "numeric"),
    "BorderlineSMOTE-1": ("BorderlineSMOTE", {}, "numeric"),
    "BorderlineSMOTE-2": ("BorderlineSMOTE", {"kind": "borderline-2"}, "numeric"),
    "SVMSMOTE": ("SVMSMOTE", {}, "numeric"),
    "ADASYN": ("ADASYN", {}, "numeric"),
    "KMeansSMOTE": ("KMeansSMOTE", {"cluster_balance_threshold": 0.005}, "numeric"),
    "SMOTENC": ("SMOTENC", {"categorical_features": NOMINAL}, "mixed"),
    "SMOTEN": ("SMOTEN", {}, "nominal"),
}
TASKS = {
    "large": (1_000_000, ["SMOTE", "BorderlineSMOTE-1", "BorderlineSMOTE-2", "ADASYN"]),
    "medium": (100_000, list(CASES)),
}


def task_data(n_samples, kind):
    X, y = make_classification(n_samples, 20, weights=[0.99], random_state=0)
    if kind == "mixed":
        X[:, NOMINAL] = np.floor(np.clip(X[:, NOMINAL], -2.5, 2.49) * 2)
    elif kind == "nominal":
        X = np.floor(np.clip(X, -2.5, 2.49) * 2).astype(np.int64)
    return X, y


def sampler(library, case):
    cls_name, params, _ = CASES[case]
    return getattr(ours if library == "imbtool" else imb, cls_name)(random_state=0, **params)


def run(library, case, n_samples):
    """A call that fits a new sampler and returns it with its output."""
    X, y = task_data(n_samples, CASES[case][2])

    def call():
        fitted = sampler(library, case)
        return fitted, fitted.fit_resample(X, y)
    return call


def minority_vectors(fitted, y):
    """The minority rows an SVMSMOTE seeds from: support vectors of its SVM."""
    support = getattr(fitted, "svm_support_", None)
    if support is None:  # imbalanced-learn's SVM is always fitted on all rows
        support = fitted.svm_estimator_.support_
    return support[y[support] == 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10x smaller, for a smoke run")
    parser.add_argument("--task", choices=sorted(TASKS), action="append")
    parser.add_argument("--case", action="append", help="only these samplers (names as printed)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    parser.add_argument("--peak-of", nargs=3, metavar=("LIBRARY", "CASE", "N"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    if args.peak_of:
        library, case, n = args.peak_of
        warm_X, warm_y = task_data(2000, CASES[case][2])
        sampler(library, case).fit_resample(warm_X, warm_y)  # load compiled code first
        print(peak_mib(run(library, case, int(n))))
        return

    print(machine_line())
    for task in args.task or ["large", "medium"]:
        n_samples = TASKS[task][0] // scale
        cases = [c for c in TASKS[task][1] if not args.case or c in args.case]
        print(f"\n## {n_samples:,} x 20 float64, 1% minority, balance to 50/50")
        print("| sampler | imbtool s | imblearn s | speed-up | imbtool peak MiB | "
              "imblearn peak MiB | rows out (imbtool / imblearn) |")
        print("|---|---|---|---|---|---|---|")
        notes = []
        for case in cases:
            ours_fn, peer_fn = run("imbtool", case, n_samples), run("imblearn", case, n_samples)
            # One untimed call of each at full size: numba loads its compiled code and starts
            # its thread pool on the first large call (~0.25 s once per process), and the
            # first call of either library pays page faults the later ones do not.
            ours_fn(), peer_fn()
            t_ours, _, out_ours = measure(ours_fn, args.repeats)
            t_peer, _, out_peer = measure(peer_fn, args.repeats)
            peaks = ["-", "-"] if args.no_memory else [
                f"{in_subprocess(sys.argv[0], '--peak-of', lib, case, str(n_samples)):.0f}"
                for lib in ("imbtool", "imblearn")]
            print(f"| {case} | {t_ours:.2f} | {t_peer:.2f} | {t_peer / t_ours:.1f}x | "
                  f"{peaks[0]} | {peaks[1]} | {len(out_ours[1][1]):,} / {len(out_peer[1][1]):,} |",
                  flush=True)
            if case == "SVMSMOTE":
                y = task_data(n_samples, "numeric")[1]
                a, b = minority_vectors(out_ours[0], y), minority_vectors(out_peer[0], y)
                notes.append(f"SVMSMOTE minority support vectors (the seeds): imbtool {a.size:,}, "
                             f"imblearn {b.size:,}, common {np.intersect1d(a, b).size:,}")
        for note in notes:
            print(f"\n{note}")


if __name__ == "__main__":
    main()
