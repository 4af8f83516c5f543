"""imbtool.under_sampling / imbtool.combine against imbalanced-learn, in one run.

    python benchmarks/bench_under_sampling.py [--repeats 3] [--quick] [--tasks main sweep big]

Task "main": the cleaning samplers on 100,000 x 20 float64 with a 1% minority
(``imbtool.datasets.make_imbalanced_classification``, overlap 0.5). Task
"sweep": EditedNearestNeighbours and TomekLinks as the minority share (0.1%,
1%, 10%, at 20 features) and the number of features (5, 20, 100, at 1%)
change, same row count. Task "big": imbtool alone on 1,000,000 x 20 (one run
each, in a fresh process that measures time and peak memory together;
imbalanced-learn's time is not measured there; ``--methods`` picks the methods,
by default ENN, Tomek links and NCR). ``--quick`` divides the
row counts by 10. Prints median times over the repeats, the speed-up, whether
``sample_indices_`` (combine: the resampled arrays) are identical, and each
method's peak memory growth measured in a fresh process.
"""

import argparse
import subprocess
import sys
import time
import warnings

import imblearn.combine as imb_combine
import imblearn.under_sampling as imb_under
import numpy as np
from _common import in_subprocess, machine_line, measure, peak_mib

import imbtool.combine as our_combine
import imbtool.under_sampling as our_under
from imbtool.datasets import make_imbalanced_classification

MAIN = ["EditedNearestNeighbours", "TomekLinks", "NeighbourhoodCleaningRule",
        "RepeatedEditedNearestNeighbours", "AllKNN", "SMOTEENN", "SMOTETomek"]
SWEEP = ["EditedNearestNeighbours", "TomekLinks"]
COMBINE = {"SMOTEENN", "SMOTETomek"}


def sampler(library, name):
    if name in COMBINE:
        module = our_combine if library == "imbtool" else imb_combine
        return getattr(module, name)(random_state=0)
    module = our_under if library == "imbtool" else imb_under
    return getattr(module, name)()


def data(n, d, share):
    return make_imbalanced_classification(n, d, minority_share=share, random_state=0)


def run(library, name, n, d, share):
    X, y = data(n, d, share)

    def fit():
        est = sampler(library, name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            out = est.fit_resample(X, y)
        return getattr(est, "sample_indices_", None), out
    return fit


def same(a, b):
    (ind_a, out_a), (ind_b, out_b) = a, b
    if ind_a is not None and ind_b is not None:
        return np.array_equal(ind_a, ind_b)
    return all(np.array_equal(u, v) for u, v in zip(out_a, out_b))


def warm_up():
    X, y = data(3000, 20, 0.05)
    for name in MAIN:
        sampler("imbtool", name).fit_resample(X, y)


def row(name, n, d, share, repeats, peer=True, peak=True):
    spec = [name, str(n), str(d), str(share)]

    def peak_of(library):
        if not peak:
            return "-"
        return f"{in_subprocess(sys.argv[0], '--peak-of', library, *spec):.0f}"

    ours = measure(run("imbtool", name, n, d, share), repeats)
    if not peer:
        return (f"| {name} | {n:,} x {d} | {share:.1%} | {ours[0]:.2f} | - | - | - | "
                f"{peak_of('imbtool')} | - |")
    theirs = measure(run("imblearn", name, n, d, share), repeats)
    return (f"| {name} | {n:,} x {d} | {share:.1%} | {ours[0]:.2f} | {theirs[0]:.2f} | "
            f"{theirs[0] / ours[0]:.1f}x | {'yes' if same(ours[2], theirs[2]) else 'NO'} | "
            f"{peak_of('imbtool')} | {peak_of('imblearn')} |")


HEADER = ("| method | data | minority | imbtool s | imblearn s | speed-up | same rows | "
          "imbtool peak MiB | imblearn peak MiB |\n|---|---|---|---|---|---|---|---|---|")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10x fewer rows, for a smoke run")
    parser.add_argument("--tasks", nargs="+", default=["main", "sweep"],
                        choices=["main", "sweep", "big"])
    parser.add_argument("--methods", nargs="+", choices=MAIN,
                        help="main and big tasks: only these")
    parser.add_argument("--no-peak", action="store_true",
                        help="skip the peak-memory runs (each reruns the method once)")
    parser.add_argument("--peak-of", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--big-of", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    if args.peak_of:
        library, name, n, d, share = args.peak_of
        fn = run(library, name, int(n), int(d), float(share))
        warm_up() if library == "imbtool" else None
        print(peak_mib(fn))
        return
    if args.big_of:
        name, n, d, share = args.big_of
        fn = run("imbtool", name, int(n), int(d), float(share))
        warm_up()
        start = time.perf_counter()
        peak = peak_mib(fn)
        print(time.perf_counter() - start, peak)
        return

    print(machine_line())
    warm_up()
    n = 100_000 // scale
    if "main" in args.tasks:
        print(f"\n## main: {n:,} x 20 float64, 1% minority, median of {args.repeats}\n{HEADER}")
        for name in args.methods or MAIN:
            print(row(name, n, 20, 0.01, args.repeats, peak=not args.no_peak),
                  flush=True)
    if "sweep" in args.tasks:
        print(f"\n## sweep: minority share and features, {n:,} rows, median of {args.repeats}"
              f"\n{HEADER}")
        for name in SWEEP:
            for d, share in [(20, 0.001), (20, 0.1), (5, 0.01), (100, 0.01)]:
                print(row(name, n, d, share, args.repeats, peak=not args.no_peak),
                      flush=True)
    if "big" in args.tasks:
        big = 1_000_000 // scale
        print(f"\n## big: {big:,} x 20 float64, 1% minority, imbtool only, one run\n{HEADER}")
        for name in args.methods or MAIN[:3]:
            out = subprocess.run([sys.executable, sys.argv[0], "--big-of", name, str(big), "20",
                                  "0.01"], capture_output=True, text=True, check=True).stdout
            seconds, peak = map(float, out.split()[-2:])
            print(f"| {name} | {big:,} x 20 | 1.0% | {seconds:.2f} | - | - | - | {peak:.0f} | - |",
                  flush=True)


if __name__ == "__main__":
    main()
