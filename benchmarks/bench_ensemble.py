"""imbtool.ensemble against imbalanced-learn and imbalanced-ensemble, in one protocol.

    python benchmarks/bench_ensemble.py quality [--quick] [--out results.csv]
    python benchmarks/bench_ensemble.py large [--quick] [--repeats 1]

Task "quality": real KEEL sets from imbtool.datasets (the binary sets with at
least 20 minority samples, smallest first, 24 of them; --quick: 5), 5-fold
stratified CV (seed 0), every method with the same member
(DecisionTreeClassifier(), seeded) and the same n_estimators (50; --quick: 10).
Per method: mean average precision (AP) over the sets and total fit time,
printed and written as one CSV row per (set, method).

The imbalanced-ensemble package pins an older scikit-learn, so it runs in its
own virtual environment on the same folds, saved by ``--dump-data``:

    python benchmarks/bench_ensemble.py quality --dump-data /tmp/folds.npz
    /path/to/venv/bin/python benchmarks/bench_ensemble.py quality \\
        --peer imbens --data /tmp/folds.npz --out imbens.csv
    python benchmarks/bench_ensemble.py compare ours.csv imbens.csv

On a shared machine, run both sides alternately a few times and give the files
comma-separated to ``compare`` (fit time: median of the runs).  ``--seed S``
reseeds every model (fold f gets f + 1000 * S), to see how much of an AP
difference is the draw of the seeds.  SelfPacedEnsemble is imbtool's default
(``replacement=True``, as imbalanced-ensemble's default SPE); SelfPacedEnsemblePaperRule
(``replacement=False``, the paper's short-bin rule) is compared with the same peer.

Task "large": SelfPacedEnsembleClassifier with a LightGBM member
(n_estimators=100 trees per member, 2 threads) on 1,000,000 x 20 with 1%
minority (make_classification; --quick: 100,000), 10 rounds: fit time
(median of --repeats) and peak memory growth in a fresh process.
"""

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _common import in_subprocess, machine_line, peak_mib  # noqa: E402


def _tree():
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier()


def imbtool_methods(n):
    from sklearn.ensemble import AdaBoostClassifier

    from imbtool import ensemble as E

    stump = None  # boosting classes default to stumps, as AdaBoost
    return {
        "SelfPacedEnsemble": lambda s: E.SelfPacedEnsembleClassifier(_tree(), n, random_state=s),
        "SelfPacedEnsemblePaperRule": lambda s: E.SelfPacedEnsembleClassifier(
            _tree(), n, replacement=False, random_state=s),
        "BalanceCascade": lambda s: E.BalanceCascadeClassifier(_tree(), n, random_state=s),
        "BalancedRandomForest": lambda s: E.BalancedRandomForestClassifier(n_estimators=n,
                                                                           random_state=s),
        "EasyEnsemble": lambda s: E.EasyEnsembleClassifier(
            AdaBoostClassifier(_tree(), n_estimators=10), max(n // 10, 1), random_state=s),
        "UnderBagging": lambda s: E.UnderBaggingClassifier(_tree(), n, random_state=s),
        "OverBagging": lambda s: E.OverBaggingClassifier(_tree(), n, random_state=s),
        "SMOTEBagging": lambda s: E.SMOTEBaggingClassifier(_tree(), n, random_state=s),
        "RUSBoost": lambda s: E.RUSBoostClassifier(stump, n, random_state=s),
        "OverBoost": lambda s: E.OverBoostClassifier(stump, n, random_state=s),
        "SMOTEBoost": lambda s: E.SMOTEBoostClassifier(stump, n, random_state=s),
        "AdaCost": lambda s: E.AdaCostClassifier(stump, n, random_state=s),
        "AdaUBoost": lambda s: E.AdaUBoostClassifier(stump, n, random_state=s),
        "AsymBoost": lambda s: E.AsymBoostClassifier(stump, n, random_state=s),
    }


def imblearn_methods(n):
    from imblearn import ensemble as I
    from sklearn.ensemble import AdaBoostClassifier, RandomForestClassifier

    return {
        "imblearn BalancedRandomForest": lambda s: I.BalancedRandomForestClassifier(
            n_estimators=n, sampling_strategy="all", replacement=True, bootstrap=False,
            random_state=s),
        "imblearn EasyEnsemble": lambda s: I.EasyEnsembleClassifier(
            max(n // 10, 1), AdaBoostClassifier(_tree(), n_estimators=10), random_state=s),
        "imblearn BalancedBagging": lambda s: I.BalancedBaggingClassifier(
            _tree(), n, random_state=s),
        "imblearn RUSBoost": lambda s: I.RUSBoostClassifier(n_estimators=n, random_state=s),
        "sklearn DecisionTree": lambda s: _tree().set_params(random_state=s),
        "sklearn RandomForest": lambda s: RandomForestClassifier(n, random_state=s),
    }


def imbens_methods(n):
    import imbens.ensemble as B
    from sklearn.ensemble import AdaBoostClassifier

    names = {
        "SelfPacedEnsemble": B.SelfPacedEnsembleClassifier,
        "BalanceCascade": B.BalanceCascadeClassifier,
        "BalancedRandomForest": B.BalancedRandomForestClassifier,
        "UnderBagging": B.UnderBaggingClassifier,
        "OverBagging": B.OverBaggingClassifier,
        "SMOTEBagging": B.SMOTEBaggingClassifier,
        "RUSBoost": B.RUSBoostClassifier,
        "OverBoost": B.OverBoostClassifier,
        "SMOTEBoost": B.SMOTEBoostClassifier,
        "AdaCost": B.AdaCostClassifier,
        "AdaUBoost": B.AdaUBoostClassifier,
        "AsymBoost": B.AsymBoostClassifier,
    }
    trees = {"SelfPacedEnsemble", "BalanceCascade", "UnderBagging", "OverBagging",
             "SMOTEBagging"}
    methods = {}
    for name, cls in names.items():
        if name in trees:
            methods[f"imbens {name}"] = (lambda c: lambda s: c(estimator=_tree(), n_estimators=n,
                                                               random_state=s))(cls)
        elif name == "BalancedRandomForest":
            methods[f"imbens {name}"] = (lambda c: lambda s: c(n_estimators=n,
                                                               random_state=s))(cls)
        else:
            from sklearn.tree import DecisionTreeClassifier

            methods[f"imbens {name}"] = (lambda c: lambda s: c(
                estimator=DecisionTreeClassifier(max_depth=1), n_estimators=n,
                random_state=s))(cls)
    methods["imbens EasyEnsemble"] = lambda s: B.EasyEnsembleClassifier(
        estimator=AdaBoostClassifier(_tree(), n_estimators=10), n_estimators=max(n // 10, 1),
        random_state=s)
    return methods


def load_sets(quick):
    from sklearn.model_selection import StratifiedKFold

    from imbtool.datasets import list_datasets, load_dataset

    infos = [d for d in list_datasets() if d["n_minority"] >= 20]
    infos.sort(key=lambda d: (d["n_samples"], d["name"]))
    sets = []
    for info in infos[: 5 if quick else 24]:
        data = load_dataset(info["name"])
        folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(data.data,
                                                                            data.target))
        sets.append((info["name"], data.data, data.target, folds))
    return sets


def dump_sets(sets, path):
    arrays = {}
    for j, (name, X, y, folds) in enumerate(sets):
        arrays[f"{j}_name"] = np.array(name)
        arrays[f"{j}_X"], arrays[f"{j}_y"] = X, y
        arrays[f"{j}_fold"] = np.concatenate([np.full(len(te), f) for f, (_, te) in
                                              enumerate(folds)])[np.argsort(
                                                  np.concatenate([te for _, te in folds]))]
    np.savez_compressed(path, **arrays)


def read_sets(path):
    data = np.load(path)
    sets = []
    for j in range(len([k for k in data.files if k.endswith("_name")])):
        fold = data[f"{j}_fold"]
        folds = [(np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(5)]
        sets.append((str(data[f"{j}_name"]), data[f"{j}_X"], data[f"{j}_y"], folds))
    return sets


def cv_scores(make, X, y, folds, seed=0):
    """AP of each fold and the fit seconds summed over the folds."""
    from sklearn.metrics import average_precision_score

    scores, fit_time = [], 0.0
    for f, (tr, te) in enumerate(folds):
        model = make(f + 1000 * seed)
        t0 = time.perf_counter()
        model.fit(X[tr], y[tr])
        fit_time += time.perf_counter() - t0
        scores.append(float(average_precision_score(y[te], model.predict_proba(X[te])[:, 1])))
    return scores, fit_time


def cv_ap(make, X, y, folds, seed=0):
    scores, fit_time = cv_scores(make, X, y, folds, seed)
    return float(np.mean(scores)), fit_time


def quality(args):
    n = 10 if args.quick else 50
    sets = read_sets(args.data) if args.data else load_sets(args.quick)
    if args.dump_data:
        dump_sets(sets, args.dump_data)
        print(f"wrote {len(sets)} sets to {args.dump_data}")
        return
    if args.peer == "imbens":
        methods = imbens_methods(n)
    else:
        methods = {**imbtool_methods(n), **imblearn_methods(n)}
    all_methods = methods
    if args.methods:
        keep = set(args.methods.split(","))
        methods = {k: v for k, v in methods.items() if k.removeprefix("imbens ") in keep}
        if not methods:
            raise SystemExit(f"--methods matched nothing; known: {sorted(all_methods)}")
    rows = []
    for name, X, y, folds in sets:
        for method, make in methods.items():
            ap, seconds = cv_ap(make, X, y, folds, args.seed)
            rows.append({"set": name, "method": method, "ap": ap, "fit_s": seconds})
        print(f"{name}: done", file=sys.stderr, flush=True)
    with open(args.out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["set", "method", "ap", "fit_s"])
        writer.writeheader()
        writer.writerows(rows)
    summarise(rows, len(sets), n)


def summarise(rows, n_sets, n):
    print(f"{n_sets} KEEL sets, 5-fold CV, n_estimators={n}; {machine_line()}")
    print(f"{'method':34s} {'mean AP':>8s} {'fit s (sum)':>12s}")
    for method in dict.fromkeys(r["method"] for r in rows):
        mine = [r for r in rows if r["method"] == method]
        print(f"{method:34s} {np.mean([float(r['ap']) for r in mine]):8.4f} "
              f"{sum(float(r['fit_s']) for r in mine):12.2f}")


# imbtool variants compared with the peer's method of another name.
PEER_OF = {"SelfPacedEnsemblePaperRule": "SelfPacedEnsemble"}


def compare(args):
    """AP of the first file of each side; fit time: median over the files of each side."""
    def read(paths):
        runs = []
        for path in paths.split(","):
            with open(path) as fh:
                runs.append(list(csv.DictReader(fh)))
        return runs

    ours, theirs = read(args.ours), read(args.theirs)
    sets = sorted({r["set"] for r in theirs[0]} & {r["set"] for r in ours[0]})
    print(f"{len(sets)} sets in both; fit time = median over {len(ours)} run(s) of ours, "
          f"{len(theirs)} of the peer's")
    print(f"{'method':30s} {'AP ours':>8s} {'AP peer':>8s} {'wins':>5s} "
          f"{'fit ours s':>10s} {'fit peer s':>10s} {'speed-up':>8s}")

    def table(runs, method):
        return [{x["set"]: x for x in run if x["method"] == method and x["set"] in sets}
                for run in runs]

    for method in dict.fromkeys(r["method"] for r in ours[0]):
        a = table(ours, method)
        b = table(theirs, "imbens " + PEER_OF.get(method, method))
        if not a[0] or not b[0]:
            continue
        ap_a = np.array([float(a[0][s]["ap"]) for s in sets])
        ap_b = np.array([float(b[0][s]["ap"]) for s in sets])
        t_a = np.median([sum(float(run[s]["fit_s"]) for s in sets) for run in a])
        t_b = np.median([sum(float(run[s]["fit_s"]) for s in sets) for run in b])
        print(f"{method:30s} {ap_a.mean():8.4f} {ap_b.mean():8.4f} "
              f"{int((ap_a > ap_b).sum()):2d}/{len(sets):<2d} {t_a:10.2f} {t_b:10.2f} "
              f"{t_b / t_a:7.2f}x")


def large_run(scale):
    import lightgbm
    from sklearn.datasets import make_classification

    from imbtool.ensemble import SelfPacedEnsembleClassifier

    X, y = make_classification(1_000_000 // scale, 20, n_informative=10, weights=[0.99],
                               flip_y=0.005, random_state=0)
    member = lightgbm.LGBMClassifier(n_estimators=100, n_jobs=2, verbose=-1)

    def fit():
        return SelfPacedEnsembleClassifier(member, n_estimators=10, random_state=0).fit(X, y)

    return fit


def large(args):
    scale = 10 if args.quick else 1
    fn = large_run(scale)
    if args.peak:
        print(peak_mib(fn))
        return
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    peak = in_subprocess(__file__, "large", "--peak", *(["--quick"] if args.quick else []))
    print(f"SPE (LightGBM member, 10 rounds) on {1_000_000 // scale} x 20, 1% minority: "
          f"fit {np.median(times):.1f} s (median of {args.repeats}), peak +{peak:.0f} MiB; "
          f"{machine_line()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="task", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--quick", action="store_true")
    q.add_argument("--out", default="bench_ensemble.csv")
    q.add_argument("--peer", choices=["imbens"], default=None)
    q.add_argument("--data", default=None)
    q.add_argument("--dump-data", default=None)
    q.add_argument("--methods", default=None,
                   help="comma-separated method names (imbtool's names; peers by suffix)")
    q.add_argument("--seed", type=int, default=0,
                   help="fold f seeds its model with f + 1000 * seed (AP spread over seeds)")
    c = sub.add_parser("compare")
    c.add_argument("ours", help="CSV from quality; several comma-separated = repeated runs")
    c.add_argument("theirs", help="the peer's CSV(s), same format")
    big = sub.add_parser("large")
    big.add_argument("--quick", action="store_true")
    big.add_argument("--repeats", type=int, default=1)
    big.add_argument("--peak", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    {"quality": quality, "compare": compare, "large": large}[args.task](args)


if __name__ == "__main__":
    main()
