"""imbtool's over-samplers beyond imbalanced-learn against smote-variants, in one run.

    python benchmarks/bench_smote_variants.py [--repeats 3] [--quick] [--quality]

Data: the KEEL set "satimage" (6,435 x 36) and sklearn's
make_classification(100,000 x 20, weights=[0.99]) (--quick: 10,000 rows).
Both samplers balance the classes (imbtool sampling_strategy="auto",
smote-variants proportion=1.0), with each method's default parameters.
Prints the median time over the repeats (a peer taking over 60 s is run
once), the ratio, and peak memory growth measured in a fresh process.
GeometricSMOTE has no peer: smote-variants' G_SMOTE is a different
algorithm and the geometric-smote package is not in the registry here.
--quality prints 5-fold balanced accuracy of a logistic regression trained
on each method's output for a few KEEL sets.
"""

import argparse
import logging
import sys
import warnings

import numpy as np
from _common import in_subprocess, machine_line, measure, peak_mib
from sklearn.datasets import make_classification

from imbtool.datasets import load_dataset
from imbtool.over_sampling._gsmote import GeometricSMOTE
from imbtool.over_sampling._lee import LeeSMOTE
from imbtool.over_sampling._mwmote import MWMOTE
from imbtool.over_sampling._polynom import PolynomFitSMOTE
from imbtool.over_sampling._prowsyn import ProWSyn
from imbtool.over_sampling._safe_level import SafeLevelSMOTE
from imbtool.over_sampling._smobd import SMOBD
from imbtool.over_sampling._smote_ipf import SMOTEIPF

try:
    import smote_variants as sv
except ImportError:  # the peer is optional: imbtool is still timed
    sv = None

# name: (imbtool factory, smote-variants class name or None)
METHODS = {
    "ProWSyn": (lambda: ProWSyn(random_state=0), "ProWSyn"),
    "PolynomFit star": (lambda: PolynomFitSMOTE(topology="star", random_state=0),
                        "polynom_fit_SMOTE_star"),
    "PolynomFit bus": (lambda: PolynomFitSMOTE(topology="bus", random_state=0),
                       "polynom_fit_SMOTE_bus"),
    "PolynomFit mesh": (lambda: PolynomFitSMOTE(topology="mesh", random_state=0),
                        "polynom_fit_SMOTE_mesh"),
    "PolynomFit poly": (lambda: PolynomFitSMOTE(topology="polynomial", random_state=0),
                        "polynom_fit_SMOTE_poly"),
    "SMOTEIPF": (lambda: SMOTEIPF(random_state=0), "SMOTE_IPF"),
    "LeeSMOTE": (lambda: LeeSMOTE(random_state=0), "Lee"),
    "MWMOTE": (lambda: MWMOTE(random_state=0), "MWMOTE"),
    "SafeLevelSMOTE": (lambda: SafeLevelSMOTE(random_state=0), "Safe_Level_SMOTE"),
    "SMOBD": (lambda: SMOBD(random_state=0), "SMOBD"),
    "GeometricSMOTE": (lambda: GeometricSMOTE(random_state=0), None),
}
SLOW_PEER_S = 60.0


def task_data(task, scale):
    if task == "keel":
        bunch = load_dataset("satimage")
        return bunch.data, bunch.target
    return make_classification(100_000 // scale, 20, weights=[0.99], random_state=0)


def runner(method, side, X, y):
    make, peer = METHODS[method]
    if side == "imbtool":
        return lambda: make().fit_resample(X, y)
    return lambda: getattr(sv, peer)(random_state=0).sample(X, y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10x smaller synthetic set")
    parser.add_argument("--quality", action="store_true", help="also the KEEL quality table")
    parser.add_argument("--only", nargs="*", help="subset of method names")
    parser.add_argument("--tasks", nargs="*", default=["keel", "synthetic"],
                        choices=["keel", "synthetic"])
    parser.add_argument("--peak-of", nargs=3, metavar=("METHOD", "SIDE", "TASK"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    warnings.simplefilter("ignore")
    logging.getLogger("smote_variants").setLevel(logging.ERROR)
    if args.peak_of:
        method, side, task = args.peak_of
        X, y = task_data(task, scale)
        warm_X, warm_y = make_classification(500, 20, weights=[0.9], random_state=1)
        runner(method, side, warm_X, warm_y)()  # compile and import first
        print(peak_mib(runner(method, side, X, y)))
        return

    print(machine_line())
    print(f"smote-variants: {'version ' + sv.__version__ if sv else 'NOT INSTALLED'}")
    methods = args.only or list(METHODS)
    warm_X, warm_y = make_classification(500, 20, weights=[0.9], random_state=1)
    for method in methods:  # load the compiled kernels before timing
        runner(method, "imbtool", warm_X, warm_y)()
    extra = ["--quick"] if args.quick else []
    for task in args.tasks:
        X, y = task_data(task, scale)
        print(f"\n## {'satimage (KEEL)' if task == 'keel' else 'make_classification'}: "
              f"{X.shape[0]:,} x {X.shape[1]}, minority {int(y.sum()):,}")
        print("| method | imbtool median s | smote-variants median s | ratio | imbtool peak MiB | "
              "peer peak MiB | rows added (imbtool / peer) |")
        print("|---|---|---|---|---|---|---|")
        for method in methods:
            ours, _, (X_ours, _) = measure(runner(method, "imbtool", X, y), args.repeats)
            our_peak = in_subprocess(sys.argv[0], "--peak-of", method, "imbtool", task, *extra)
            peer_txt = ratio = peer_peak = peer_rows = "n/a"
            if sv is not None and METHODS[method][1]:
                try:
                    first, _, (X_peer, _) = measure(runner(method, "peer", X, y), 1)
                except MemoryError as exc:  # the peer's own limits are part of the result
                    peer_txt, ratio, X_peer = f"failed: MemoryError ({exc})"[:80], "-", None
                if X_peer is not None:
                    peer = first if first > SLOW_PEER_S or args.repeats == 1 else measure(
                        runner(method, "peer", X, y), args.repeats)[0]
                    peer_txt = f"{peer:.2f}" + (" (1 run)" if first > SLOW_PEER_S else "")
                    ratio = f"{peer / ours:.1f}x"
                    peer_rows = X_peer.shape[0] - X.shape[0]
                    peer_mib = in_subprocess(sys.argv[0], "--peak-of", method, "peer", task,
                                             *extra)
                    peer_peak = f"{peer_mib:.0f}"
            print(f"| {method} | {ours:.3f} | {peer_txt} | {ratio} | {our_peak:.0f} | "
                  f"{peer_peak} | "
                  f"{X_ours.shape[0] - X.shape[0]} / {peer_rows} |", flush=True)
    if args.quality:
        quality_table(methods)


def quality_table(methods):
    from imblearn.over_sampling import SMOTE
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def score(X, y, make):
        out = []
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
            X_tr, y_tr = (X[train], y[train]) if make is None else make().fit_resample(
                X[train], y[train])
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
            out.append(balanced_accuracy_score(y[test], model.fit(X_tr, y_tr).predict(X[test])))
        return np.mean(out)

    columns = {"none": None, "imblearn SMOTE": lambda: SMOTE(random_state=0),
               **{m: METHODS[m][0] for m in methods}}
    print("\n## balanced accuracy, 5-fold CV, StandardScaler + LogisticRegression")
    print("| data set | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name in ["ecoli1", "pima", "yeast-0-5-6-7-9_vs_4", "new_thyroid1", "glass1", "yeast4"]:
        bunch = load_dataset(name)
        row = [f"{score(bunch.data, bunch.target, make):.3f}" for make in columns.values()]
        print(f"| {name} | " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
