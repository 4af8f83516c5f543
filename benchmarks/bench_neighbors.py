"""imbtool.neighbors against scikit-learn's NearestNeighbors, in one run.

    python benchmarks/bench_neighbors.py [--repeats 3] [--quick]

Task "all": all-points kneighbors (X=None, k=6) on 100,000 x 20 float64,
against sklearn's algorithm="brute" and "auto". Task "query": 10,000 query
rows against 1,000,000 x 20 fitted rows (k=6), against sklearn's "brute" and
"auto". Data: sklearn's make_classification(weights=[0.99]). Prints median
times over the repeats, the ratio to the faster peer, whether the indices are
identical to sklearn brute's, and each method's peak memory growth, measured
in a fresh process.
"""

import argparse
import sys

import numpy as np
from _common import in_subprocess, machine_line, measure, peak_mib
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors as SkNN

from imbtool.neighbors import NearestNeighbors

METHODS = {
    "imbtool": lambda: NearestNeighbors(n_neighbors=6),
    "sklearn brute": lambda: SkNN(n_neighbors=6, algorithm="brute"),
    "sklearn auto": lambda: SkNN(n_neighbors=6, algorithm="auto"),
}


def task_data(task, scale):
    if task == "all":
        X, _ = make_classification(100_000 // scale, 20, weights=[0.99], random_state=0)
        return X, None
    R, _ = make_classification(1_000_000 // scale, 20, weights=[0.99], random_state=1)
    n_q = 10_000 // scale
    Q = R[:n_q] + 0.01 * np.random.default_rng(2).normal(size=(n_q, 20))
    return R, Q


def run(method, task, scale):
    fitted, query = task_data(task, scale)
    return lambda: METHODS[method]().fit(fitted).kneighbors(query)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10x smaller, for a smoke run")
    parser.add_argument("--peak-of", nargs=2, metavar=("METHOD", "TASK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    if args.peak_of:
        method, task = args.peak_of
        fn = run(method, task, scale)
        # Load compiled code and libraries first: only the search should count.
        warm = np.random.default_rng(0).normal(size=(3000, 20))
        METHODS[method]().fit(warm).kneighbors(warm[:2000] if task == "query" else None)
        print(peak_mib(fn))
        return

    print(machine_line())
    # Load the compiled kernels.
    NearestNeighbors(n_neighbors=6).fit(np.random.rand(3000, 20)).kneighbors()
    for task, title in [("all", "all-points kneighbors, {n:,} x 20 float64, k=6"),
                        ("query", "{q:,} queries against {n:,} x 20 float64, k=6")]:
        fitted, query = task_data(task, scale)
        print(f"\n## {title.format(n=fitted.shape[0], q=0 if query is None else query.shape[0])}")
        print("| method | median s | runs s | peak MiB | same indices as sklearn brute |")
        print("|---|---|---|---|---|")
        results = {m: measure(run(m, task, scale), args.repeats) for m in METHODS}
        reference = results["sklearn brute"][2][1]
        extra = ["--quick"] if args.quick else []
        for m, (median, times, (_, ind)) in results.items():
            peak = in_subprocess(sys.argv[0], "--peak-of", m, task, *extra)
            same = "yes" if np.array_equal(ind, reference) else "NO"
            runs_s = ", ".join(f"{t:.2f}" for t in times)
            print(f"| {m} | {median:.2f} | {runs_s} | {peak:.0f} | {same} |", flush=True)
        best_peer = min(results["sklearn brute"][0], results["sklearn auto"][0])
        speed_up = best_peer / results["imbtool"][0]
        print(f"speed-up over the faster scikit-learn method: {speed_up:.2f}x")


if __name__ == "__main__":
    main()
