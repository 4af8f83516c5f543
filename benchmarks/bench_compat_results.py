"""Same configuration, same folds: imbtool's ensembles against imbalanced-ensemble's results.

    python benchmarks/bench_compat_results.py --venv PATH [--seeds 0,1] [--quick]
                                              [--methods A,B] [--out DIR] [--reuse]

The KEEL sets of ``bench_ensemble.py quality`` (the 24 smallest binary sets
with at least 20 minority rows; ``--quick``: 5 sets and 10 members) and its
5 stratified folds are saved once and read by both environments.
imbalanced-ensemble pins an older scikit-learn, so its side runs in its own
virtual environment (``--venv``, as made by ``bench_compat.py``): this
script runs itself there with ``--side imbens``. Every method is built with
the same class name, members and parameters in both packages (``METHODS``:
where the defaults differ, the parameter is set explicitly to
imbalanced-ensemble's default). For each seed S, fold f fits with
``random_state = f + 1000 * S`` (``bench_ensemble.cv_ap``); the sides
alternate seed by seed.

Printed and written to ``--out``/compat_results.md: per method, mean AP of
each side, the absolute difference of the two seed-averaged APs per set
(mean and largest over the sets, and how many sets are within 0.01), the
spread of imbtool's own AP across seeds (what a difference of seeds alone
gives), and the fit-time ratio (peer / imbtool, seconds summed over the sets,
median over the seeds).
"""

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_ensemble as BE  # noqa: E402
from _common import machine_line  # noqa: E402

# Within this, two seed-averaged APs count as the same result (the bound).
AP_TOLERANCE = 0.01

# method: (kind of member, parameters set on both sides). Trees for the self-paced,
# cascade and bagging methods, stumps for the boosters (bench_ensemble's protocol);
# the parameters are imbalanced-ensemble's defaults where imbtool's differ.
METHODS = {
    "SelfPacedEnsembleClassifier": ("tree", {}),
    "BalanceCascadeClassifier": ("tree", {"replacement": True}),
    "BalancedRandomForestClassifier": (None, {"bootstrap": True, "replacement": False,
                                              "sampling_strategy": "auto"}),
    "EasyEnsembleClassifier": ("adaboost", {"bootstrap": True}),
    "UnderBaggingClassifier": ("tree", {}),
    "OverBaggingClassifier": ("tree", {}),
    "SMOTEBaggingClassifier": ("tree", {"k_neighbors": 1}),
    "CompatibleBaggingClassifier": ("tree", {}),
    "RUSBoostClassifier": ("stump", {"replacement": True}),
    "OverBoostClassifier": ("stump", {}),
    "SMOTEBoostClassifier": ("stump", {}),
    "AdaCostClassifier": ("stump", {}),
    "AdaUBoostClassifier": ("stump", {}),
    "AsymBoostClassifier": ("stump", {}),
    "CompatibleAdaBoostClassifier": ("stump", {}),
}


def member(kind):
    from sklearn.ensemble import AdaBoostClassifier
    from sklearn.tree import DecisionTreeClassifier

    if kind == "tree":
        return DecisionTreeClassifier()
    if kind == "stump":
        return DecisionTreeClassifier(max_depth=1)
    # EasyEnsemble: bags of AdaBoost(10 trees), as bench_ensemble.py.
    return AdaBoostClassifier(DecisionTreeClassifier(), n_estimators=10)


def makers(side, n, names):
    """``{method: seed -> unfitted model}`` of one package."""
    if side == "imbens":
        import imbens.ensemble as package
    else:
        import imbtool.ensemble as package
    def maker(cls, kind, params):
        n_members = max(n // 10, 1) if kind == "adaboost" else n

        def make(seed):
            extra = {} if kind is None else {"estimator": member(kind)}
            return cls(n_estimators=n_members, random_state=seed, **extra, **params)

        return make

    return {name: maker(getattr(package, name), *METHODS[name]) for name in names}


def run_side(side, data, seed, names, n, out):
    rows = []
    for set_name, X, y, folds in BE.read_sets(data):
        for method, make in makers(side, n, names).items():
            ap, seconds = BE.cv_ap(make, X, y, folds, seed)
            rows.append({"set": set_name, "method": method, "ap": ap, "fit_s": seconds})
    with open(out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["set", "method", "ap", "fit_s"])
        writer.writeheader()
        writer.writerows(rows)


def read(path):
    with open(path) as fh:
        return {(r["set"], r["method"]): (float(r["ap"]), float(r["fit_s"]))
                for r in csv.DictReader(fh)}


def report(runs, names, seeds, header):
    """Markdown lines: the per-method summary, then AP per set and method."""
    sets = sorted({s for s, _ in runs[0]["imbtool"]})
    lines = [header, "",
             "| method | AP imbtool | AP peer | mean abs diff | largest | sets within "
             f"{AP_TOLERANCE} | imbtool AP spread over seeds | fit imbtool s | fit peer s "
             "| ratio (peer/imbtool) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    per_set = []
    for method in names:
        ap = {side: np.array([[run[side][s, method][0] for s in sets] for run in runs])
              for side in ("imbtool", "imbens")}  # (seeds, sets)
        fit = {side: float(np.median([sum(run[side][s, method][1] for s in sets)
                                      for run in runs])) for side in ("imbtool", "imbens")}
        diff = np.abs(ap["imbtool"].mean(axis=0) - ap["imbens"].mean(axis=0))
        spread = float(np.mean(ap["imbtool"].max(axis=0) - ap["imbtool"].min(axis=0)))
        lines.append(
            f"| {method} | {ap['imbtool'].mean():.4f} | {ap['imbens'].mean():.4f} | "
            f"{diff.mean():.4f} | {diff.max():.4f} | {(diff <= AP_TOLERANCE).sum()}/{len(sets)} "
            f"| {spread:.4f} | {fit['imbtool']:.2f} | {fit['imbens']:.2f} | "
            f"{fit['imbens'] / fit['imbtool']:.2f}x |")
        for j, s in enumerate(sets):
            per_set.append(f"| {s} | {method} | {ap['imbtool'][:, j].mean():.4f} | "
                           f"{ap['imbens'][:, j].mean():.4f} | {diff[j]:.4f} |")
    lines += ["", f"AP per set (mean over seeds {seeds}):", "",
              "| set | method | AP imbtool | AP peer | abs diff |", "|---|---|---|---|---|",
              *per_set]
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--venv", type=Path, default=HERE / "out" / "imbens-venv")
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--methods", default=",".join(METHODS),
                    help=f"comma-separated, among {', '.join(METHODS)}")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "compat_results")
    ap.add_argument("--reuse", action="store_true",
                    help="count the CSVs already in --out again instead of rerunning a side")
    ap.add_argument("--side", choices=["imbtool", "imbens"], help="run one side only")
    ap.add_argument("--data", type=Path, help="folds file (with --side)")
    ap.add_argument("--seed", type=int, default=0, help="with --side")
    ap.add_argument("--csv", type=Path, help="output of --side")
    args = ap.parse_args()
    names = args.methods.split(",")
    unknown = sorted(set(names) - set(METHODS))
    if unknown:
        raise SystemExit(f"--methods: unknown {unknown}; known: {', '.join(METHODS)}")
    n = 10 if args.quick else 50
    if args.side:
        run_side(args.side, args.data, args.seed, names, n, args.csv)
        return

    args.out.mkdir(parents=True, exist_ok=True)
    data = args.out / "folds.npz"
    if not (args.reuse and data.exists()):
        BE.dump_sets(BE.load_sets(args.quick), data)
    peer_python = args.venv / "bin" / "python"
    if not peer_python.exists():
        raise SystemExit(f"no interpreter at {peer_python}; make the environment with "
                         "bench_compat.py --peer imbens --venv PATH")
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = []
    for k, seed in enumerate(seeds):
        csvs = {side: args.out / f"{side}_seed{seed}.csv" for side in ("imbtool", "imbens")}
        # Alternate which side goes first, so a change of machine load hits both.
        order = ("imbtool", "imbens") if k % 2 == 0 else ("imbens", "imbtool")
        for side in order:
            if args.reuse and csvs[side].exists():
                continue
            python = sys.executable if side == "imbtool" else str(peer_python)
            t0 = time.perf_counter()
            subprocess.run([python, __file__, "--side", side, "--data", str(data), "--seed",
                            str(seed), "--methods", ",".join(names), "--csv", str(csvs[side]),
                            *(["--quick"] if args.quick else [])], check=True)
            print(f"seed {seed}, {side}: {time.perf_counter() - t0:.0f} s", flush=True)
        runs.append({side: read(path) for side, path in csvs.items()})
    header = (f"{len(BE.read_sets(data))} KEEL sets, 5-fold stratified CV, n_estimators={n}, "
              f"seeds {seeds}; {machine_line()}")
    lines = report(runs, names, seeds, header)
    (args.out / "compat_results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:len(names) + 4]))
    print(f"\nwrote {args.out / 'compat_results.md'}")


if __name__ == "__main__":
    main()
