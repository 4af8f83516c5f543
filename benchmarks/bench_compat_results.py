"""Same configuration, same folds: imbtool's ensembles against the peers' results.

    python benchmarks/bench_compat_results.py --venv PATH [--seeds 0,1,2,3,4] [--quick]
                                              [--peers imbens,imblearn] [--methods A,B]
                                              [--out DIR] [--reuse] [--paper-rules]

The KEEL sets of ``bench_ensemble.py quality`` (the 24 smallest binary sets
with at least 20 minority rows; ``--quick``: 5 sets and 10 members) and its
5 stratified folds are saved once and read by every environment.
imbalanced-ensemble pins an older scikit-learn, so its side runs in its own
virtual environment (``--venv``, as made by ``bench_compat.py``): this
script runs itself there with ``--side imbens``; imbalanced-learn's side runs
in this environment. Every method is built with the same class name, members
and parameters in imbtool and the peer (``PAIRS``: where the defaults differ,
the parameter is set explicitly to the peer's default). For each seed S, fold
f fits with ``random_state = f + 1000 * S`` (``bench_ensemble.cv_scores``);
the order of the sides rotates seed by seed. Where imbtool's default is the
peer's rule and the paper's is a parameter (``PAPER_RULES``), ``--paper-rules``
compares the paper's rule instead. ``--reuse`` counts the CSVs already in
``--out`` and runs only the methods they lack, so seeds and methods can be
added to earlier runs.

Equivalence is judged per set on the differences d = AP(imbtool) - AP(peer)
of the seeds x folds pairs (same fold, independent seeds on each side): a set
is "same" where |mean d| <= 0.01 (the issue's bound), "noise" where the
paired t 95% interval of mean d holds 0 (a seed change alone gives such a
difference), else "differs". A pair (peer, method) is equivalent when the
95% interval of its mean d over the sets lies within +-0.01 and no more sets
differ than chance flags at the 5% level (the binomial 95% quantile); it
differs when more sets differ or the interval lies beyond +-0.01; otherwise
it is "consistent" (no difference found, the interval wider than the bound).

Printed and written to ``--out``/compat_results.md: per pair, mean AP of each
side, the mean d over the sets with its interval, how many sets are same /
noise / differ, the verdict and the fit-time ratio (peer / imbtool, seconds
summed over the sets, median over the seeds); then every set of every pair.
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
# Level of the paired test per set and of the intervals.
ALPHA = 0.05

# peer: {method: (kind of member, parameters set on both sides)}. Trees for the
# self-paced, cascade and bagging methods, stumps for the boosters (bench_ensemble's
# protocol); the parameters are the peer's defaults where imbtool's differ (imbtool
# follows imbalanced-learn's defaults where both peers have the class).
PAIRS = {
    "imbens": {
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
    },
    "imblearn": {
        "BalancedBaggingClassifier": ("tree", {}),
        "BalancedRandomForestClassifier": (None, {}),
        "EasyEnsembleClassifier": ("adaboost", {}),
        "RUSBoostClassifier": ("stump", {}),
    },
}
PEER_NAMES = {"imbens": "imbalanced-ensemble", "imblearn": "imbalanced-learn"}
# imbtool-only parameters that select the papers' rules where imbtool's default follows
# the peer, which has no parameter for it (``--paper-rules``): imbalanced-ensemble's
# over-sampling boosters keep the first round's resample (``update_x_y_after_resample``
# inside its code), as imbtool's do by default (``keep_resample=True``).
PAPER_RULES = {
    "imbens": {name: {"keep_resample": False}
               for name in ("OverBoostClassifier", "SMOTEBoostClassifier")},
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


def makers(side, peer, n, names, paper_rules=False):
    """``{method: seed -> unfitted model}`` of one package, configured as for ``peer``."""
    if side == "imbens":
        import imbens.ensemble as package
    elif side == "imblearn":
        import imblearn.ensemble as package
    else:
        import imbtool.ensemble as package
    rules = PAPER_RULES.get(peer, {}) if side == "imbtool" and paper_rules else {}

    def maker(cls, kind, params):
        n_members = max(n // 10, 1) if kind == "adaboost" else n

        def make(seed):
            extra = {} if kind is None else {"estimator": member(kind)}
            return cls(n_estimators=n_members, random_state=seed, **extra, **params)

        return make

    return {name: maker(getattr(package, name), PAIRS[peer][name][0],
                        {**PAIRS[peer][name][1], **rules.get(name, {})})
            for name in names}


def run_side(side, peer, data, seed, names, n, out, paper_rules=False):
    rows = []
    for set_name, X, y, folds in BE.read_sets(data):
        for method, make in makers(side, peer, n, names, paper_rules).items():
            try:
                scores, seconds = BE.cv_scores(make, X, y, folds, seed)
            except ValueError as exc:
                # imbalanced-learn's RUSBoost refuses a first member no better than
                # chance; the set is left out of that pair (counted in the report).
                print(f"{side} {method} on {set_name}: {exc}", file=sys.stderr, flush=True)
                scores, seconds = [float("nan")] * len(folds), float("nan")
            rows.append({"set": set_name, "method": method,
                         "ap": " ".join(f"{a:.6f}" for a in scores), "fit_s": seconds})
    write(out, rows)


def write(path, rows):
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["set", "method", "ap", "fit_s"])
        writer.writeheader()
        writer.writerows(rows)


def read(path):
    """``{(set, method): (AP per fold, fit seconds)}`` of one side's CSV."""
    with open(path) as fh:
        return {(r["set"], r["method"]): (np.array(r["ap"].split(), dtype=float),
                                          float(r["fit_s"]))
                for r in csv.DictReader(fh)}


def set_verdict(ours, theirs):
    """Mean AP difference of one set, its paired 95% half-width and the verdict.

    ``ours`` and ``theirs``: AP of shape (seeds, folds) on the same folds.
    """
    from scipy import stats

    d = (ours - theirs).ravel()
    mean = float(d.mean())
    half = float(stats.t.ppf(1 - ALPHA / 2, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size))
    verdict = "same" if abs(mean) <= AP_TOLERANCE else "noise" if abs(mean) <= half else "differs"
    return mean, half, verdict


def report(runs, peer, names, seeds):
    """Markdown rows of one peer: (summary rows, per-set rows)."""
    from scipy import stats

    all_sets = sorted({s for s, _ in runs[0]["imbtool"]})
    summary, per_set = [], []
    for method in names:
        # Sets where a side failed to fit are left out of the pair.
        sets = [s for s in all_sets if all(np.isfinite(run[side][s, method][0]).all()
                                           for run in runs for side in ("imbtool", "peer"))]
        n_out = len(all_sets) - len(sets)
        failed = (f" ({n_out} set{'s' * (n_out > 1)} left out: a side failed to fit)"
                  if n_out else "")
        chance = int(stats.binom.ppf(0.95, len(sets), ALPHA))
        ap = {side: np.array([[run[side][s, method][0] for run in runs] for s in sets])
              for side in ("imbtool", "peer")}  # (sets, seeds, folds)
        fit = {side: float(np.median([sum(run[side][s, method][1] for s in sets)
                                      for run in runs])) for side in ("imbtool", "peer")}
        verdicts = [set_verdict(ap["imbtool"][j], ap["peer"][j]) for j in range(len(sets))]
        means = np.array([v[0] for v in verdicts])
        half = float(stats.t.ppf(1 - ALPHA / 2, len(sets) - 1) * means.std(ddof=1)
                     / np.sqrt(len(sets)))
        count = {k: sum(v[2] == k for v in verdicts) for k in ("same", "noise", "differs")}
        if count["differs"] > chance or abs(means.mean()) - half > AP_TOLERANCE:
            verdict = "**differs**"
        elif abs(means.mean()) + half <= AP_TOLERANCE:
            verdict = "**equivalent**"
        else:  # no difference found, but the interval is wider than the bound
            verdict = "consistent"
        summary.append(
            f"| {PEER_NAMES[peer]} | {method} | {ap['imbtool'].mean():.4f} | "
            f"{ap['peer'].mean():.4f} | {means.mean():+.4f} ± {half:.4f} | "
            f"{np.abs(means).max():.4f} | {count['same']} / {count['noise']} / "
            f"{count['differs']} (chance: ≤ {chance}) | "
            f"{verdict}{failed} | "
            f"{fit['imbtool']:.2f} | {fit['peer']:.2f} | {fit['peer'] / fit['imbtool']:.2f}x |")
        for s, (ours, theirs), (mean, h, verdict) in zip(
                sets, zip(ap["imbtool"], ap["peer"]), verdicts):
            per_set.append(f"| {PEER_NAMES[peer]} | {method} | {s} | {ours.mean():.4f} | "
                           f"{theirs.mean():.4f} | {mean:+.4f} | {h:.4f} | {verdict} |")
    return summary, per_set


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--venv", type=Path, default=HERE / "out" / "imbens-venv")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--peers", default=",".join(PAIRS), help="comma-separated, among "
                    f"{', '.join(PAIRS)}")
    known = sorted({m for methods in PAIRS.values() for m in methods})
    ap.add_argument("--methods", default=None,
                    help=f"comma-separated, among {', '.join(known)} (default: all of a peer)")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "compat_results")
    ap.add_argument("--reuse", action="store_true",
                    help="count the CSVs already in --out again; run only the methods they lack "
                    "and add them")
    ap.add_argument("--paper-rules", action="store_true",
                    help="imbtool with the papers' rules where its default is the peer's "
                    "(PAPER_RULES; imbtool's CSVs are then named imbtool-paper-as-PEER)")
    ap.add_argument("--side", choices=["imbtool", *PAIRS], help="run one side only")
    ap.add_argument("--peer", choices=list(PAIRS), help="configuration (with --side)")
    ap.add_argument("--data", type=Path, help="folds file (with --side)")
    ap.add_argument("--seed", type=int, default=0, help="with --side")
    ap.add_argument("--csv", type=Path, help="output of --side")
    args = ap.parse_args()
    peers = args.peers.split(",")
    if set(peers) - set(PAIRS):
        raise SystemExit(f"--peers: unknown {sorted(set(peers) - set(PAIRS))}")
    wanted = set(args.methods.split(",")) if args.methods else set(known)
    if wanted - set(known):
        raise SystemExit(f"--methods: unknown {sorted(wanted - set(known))}; known: {known}")
    names = {peer: [m for m in PAIRS[peer] if m in wanted] for peer in peers}
    n = 10 if args.quick else 50
    if args.side:
        run_side(args.side, args.peer, args.data, args.seed, names[args.peer], n, args.csv,
                 paper_rules=args.paper_rules)
        return

    args.out.mkdir(parents=True, exist_ok=True)
    data = args.out / "folds.npz"
    if not (args.reuse and data.exists()):
        BE.dump_sets(BE.load_sets(args.quick), data)
    peer_python = args.venv / "bin" / "python"
    if "imbens" in peers and not peer_python.exists():
        raise SystemExit(f"no interpreter at {peer_python}; make the environment with "
                         "bench_compat.py --peer imbens --venv PATH")
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = {peer: [] for peer in peers if names[peer]}
    for k, seed in enumerate(seeds):
        for peer in runs:
            ours = "imbtool-paper" if args.paper_rules else "imbtool"
            csvs = {"imbtool": args.out / f"{ours}-as-{peer}_seed{seed}.csv",
                    "peer": args.out / f"{peer}_seed{seed}.csv"}
            # Alternate which side goes first, so a change of machine load hits both.
            order = ("imbtool", "peer") if k % 2 == 0 else ("peer", "imbtool")
            for side in order:
                have = read(csvs[side]) if args.reuse and csvs[side].exists() else {}
                todo = [m for m in names[peer] if m not in {m for _, m in have}]
                if not todo:
                    continue
                package = "imbtool" if side == "imbtool" else peer
                python = str(peer_python) if package == "imbens" else sys.executable
                part = csvs[side].with_suffix(".part")
                t0 = time.perf_counter()
                subprocess.run([python, __file__, "--side", package, "--peer", peer,
                                "--data", str(data), "--seed", str(seed),
                                "--methods", ",".join(todo), "--csv", str(part),
                                *(["--quick"] if args.quick else []),
                                *(["--paper-rules"] if args.paper_rules else [])], check=True)
                print(f"seed {seed}, {package} ({peer} configuration, {len(todo)} methods): "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
                # The methods already counted stay; the new ones are added to the same CSV.
                with open(part) as fh:
                    rows = list(csv.DictReader(fh))
                if have:
                    with open(csvs[side]) as fh:
                        rows = list(csv.DictReader(fh)) + rows
                write(csvs[side], rows)
                part.unlink()
            runs[peer].append({side: read(path) for side, path in csvs.items()})
    summary, per_set = [], []
    for peer, peer_runs in runs.items():
        rows = report(peer_runs, peer, names[peer], seeds)
        summary += rows[0]
        per_set += rows[1]
    lines = [f"{len(BE.read_sets(data))} KEEL sets, 5-fold stratified CV, n_estimators={n}, "
             f"seeds {seeds}; {machine_line()}", "",
             "| peer | method | AP imbtool | AP peer | mean d ± 95% | largest abs d | "
             "sets same / noise / differ | verdict | fit imbtool s | fit peer s | "
             "ratio (peer/imbtool) |",
             "|---|---|---|---|---|---|---|---|---|---|---|", *summary, "",
             f"Per set (d = AP imbtool - AP peer, mean over seeds {seeds} x 5 folds; "
             "half-width of its paired 95% interval):", "",
             "| peer | method | set | AP imbtool | AP peer | d | ± 95% | verdict |",
             "|---|---|---|---|---|---|---|---|", *per_set]
    (args.out / "compat_results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:len(summary) + 4]))
    print(f"\nwrote {args.out / 'compat_results.md'}")


if __name__ == "__main__":
    main()
