"""Cost of carrying two row-aligned arrays through SMOTE and ENN, in one run.

    python benchmarks/bench_aligned.py [--repeats 3] [--quick] [--only SMOTE|ENN]
                                       [--minority-share 0.05]

Data: imbtool.datasets.make_imbalanced_classification(1,000,000 x 20, minority
share 5 % unless ``--minority-share`` says otherwise, overlap 0.5), float64. For
each sampler, "plain" is ``fit_resample(X, y)``; "aligned" is the same call followed by
``resample_aligned`` on a float64 weight vector (rule "interpolate" for SMOTE,
"seed" for ENN) and an int64 group vector (rule "seed"). Provenance
(``sample_indices_``, ``synthetic_sources_``, ``synthetic_steps_``) is recorded
by every imbtool sampler, so it is inside both figures; its size is printed as
a share of the resampled X. Runs the two variants alternately and prints median
times over the repeats, the ratio
aligned / plain (goal <= 1.05), and each variant's peak memory growth,
measured in a fresh process.
"""

import argparse
import sys

import numpy as np
from _common import in_subprocess, machine_line, measure, peak_mib

from imbtool.datasets import make_imbalanced_classification
from imbtool.over_sampling import SMOTE
from imbtool.under_sampling import EditedNearestNeighbours
from imbtool.utils import resample_aligned

SAMPLERS = {
    "SMOTE": (lambda: SMOTE(random_state=0), "interpolate"),
    "ENN": (lambda: EditedNearestNeighbours(), "seed"),
}
PROVENANCE = ("sample_indices_", "synthetic_sources_", "synthetic_steps_")


def task_data(scale, share):
    X, y = make_imbalanced_classification(1_000_000 // scale, 20, minority_share=share,
                                          overlap=0.5, random_state=0)
    rng = np.random.default_rng(0)
    weight = rng.uniform(0.5, 2.0, size=y.shape[0])
    groups = rng.integers(0, y.shape[0] // 10, size=y.shape[0])
    return X, y, weight, groups


def run(name, variant, data):
    X, y, weight, groups = data
    make, rule = SAMPLERS[name]

    def plain():
        sampler = make()
        return sampler, sampler.fit_resample(X, y)

    def aligned():
        sampler, out = plain()
        return sampler, out, (resample_aligned(sampler, weight, rule=rule),
                              resample_aligned(sampler, groups))

    return plain if variant == "plain" else aligned


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10x smaller, for a smoke run")
    parser.add_argument("--only", choices=list(SAMPLERS), help="one sampler (ENN's neighbour "
                        "search grows with the square of the rows: ~100x longer at full size)")
    parser.add_argument("--minority-share", type=float, default=0.05,
                        help="ENN's time grows fast with it; 0.01 is the under-sampling "
                        "benchmark's share")
    parser.add_argument("--peak-of", nargs=2, metavar=("SAMPLER", "VARIANT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    share = args.minority_share
    data = task_data(scale, share)
    if args.peak_of:
        name, variant = args.peak_of
        # Load compiled kernels first: only the resampling should count.
        warm = task_data(1000, share)
        run(name, variant, warm)()
        print(peak_mib(run(name, variant, data)))
        return

    X, y = data[0], data[1]
    print(machine_line())
    print(f"\n## {X.shape[0]:,} x {X.shape[1]} float64, minority {y.mean():.1%}; "
          "aligned = + weight (float64) and groups (int64) via resample_aligned")
    print("| sampler | variant | median s | runs s | peak MiB | output rows |")
    print("|---|---|---|---|---|---|")
    extra = (["--quick"] if args.quick else []) + ["--minority-share", str(share)]
    for name in [args.only] if args.only else SAMPLERS:
        run(name, "plain", task_data(1000, share))()  # load compiled kernels
        # Alternate the variants run by run, so drift of the machine hits both alike.
        rounds = [{v: measure(run(name, v, data), 1) for v in ("plain", "aligned")}
                  for _ in range(args.repeats)]
        results = {}
        for v in ("plain", "aligned"):
            times = [t for r in rounds for t in r[v][1]]
            results[v] = (float(np.median(times)), times, rounds[-1][v][2])
        for variant, (median, times, result) in results.items():
            peak = in_subprocess(sys.argv[0], "--peak-of", name, variant, *extra)
            rows = result[1][1].shape[0]
            print(f"| {name} | {variant} | {median:.3f} | {', '.join(f'{t:.3f}' for t in times)} "
                  f"| {peak:.0f} | {rows:,} |", flush=True)
        sampler, (X_res, _) = results["plain"][2][:2]
        prov = sum(np.asarray(getattr(sampler, a)).nbytes for a in PROVENANCE
                   if hasattr(sampler, a))
        ratio = results["aligned"][0] / results["plain"][0]
        print(f"{name}: time aligned / plain = {ratio:.3f} (goal <= 1.05); provenance "
              f"{prov / 2**20:.1f} MiB = {prov / X_res.nbytes:.1%} of the resampled X\n")


if __name__ == "__main__":
    main()
