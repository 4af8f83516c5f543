"""RemedySearchCV against the fixed remedies, on real KEEL sets x {lr, rf, lgbm}, with F1.

    python benchmarks/bench_remedy.py [--quick] [--datasets ecoli1 glass1 ...]
        [--folds 5] [--out /tmp/bench_remedy] [--cd cd.png] [--n-jobs 1] [--chosen]

Runs imbtool's benchmark (``imbtool.evaluation.run_benchmark``: stratified
outer folds, every method fitted on the same training folds and scored on the
held-out fold, fit time measured per cell) for the fixed remedies the issue
names -- "none", "class_weight", "smote", "tuned_threshold" (imbtool's
TunedThresholdClassifier, F1, 5 internal folds) and "self_paced_ensemble_10"
(a Self-paced Ensemble of 10 copies of the model, for every model: the SPE
paper also used forests and GBDT as members, and RemedySearchCV's own ensemble
candidate has 10 members) -- and "remedy_search_cv" (RemedySearchCV, F1, 5
inner folds, defaults otherwise). Cells are cached in ``--out``, so an
interrupted run resumes.

A block is one (data set, model); its score is the mean held-out F1 over the
outer folds. Two analyses are printed: all five fixed remedies (the issue's
comparison), and the four without the Self-paced Ensemble (the protocol of
the earlier runs, whose benchmark did not wrap forests and boosters). For
each: average ranks, the Friedman test (Iman-Davenport), the Nemenyi critical
difference, and RemedySearchCV's pairwise wins/ties/losses against each fixed
remedy. The fit time ratio is RemedySearchCV's mean fit time over the sum of
the fixed remedies' mean fit times in the same block (the issue's goal: at
most 3x), with and without the Self-paced Ensemble in the sum.
``--chosen`` also fits RemedySearchCV once on each whole data set and
tabulates the remedy and threshold it picks per model.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import machine_line

from imbtool.benchmark import BenchmarkConfig, build_estimator, run_benchmark
from imbtool.datasets import load_dataset
from imbtool.ensemble import SelfPacedEnsembleClassifier
from imbtool.evaluation import average_ranks, friedman_test, nemenyi_test
from imbtool.remedies import register_remedy


def _register_spe(members):
    name = f"self_paced_ensemble_{members}"
    register_remedy(
        name,
        lambda model, rs: SelfPacedEnsembleClassifier(model, n_estimators=members, random_state=rs),
        family="ensemble",
        source=f"imbtool.ensemble.SelfPacedEnsembleClassifier(n_estimators={members})",
        description=f"Self-paced Ensemble of {members} copies of the model",
        wraps_ensembles=True, replace=True)
    return name


# 10 members: the SPE paper's main comparison and RemedySearchCV's own ensemble candidate;
# 50: the class's default, what a user gets from SelfPacedEnsembleClassifier(model).
SPE_CHOICES = {members: _register_spe(members) for members in (10, 50)}
SPE = SPE_CHOICES[10]
FIXED = ["none", "class_weight", "smote", "tuned_threshold", SPE]
SEARCH = "remedy_search_cv"
MODELS = ["lr", "rf", "lgbm"]
# Small real sets first: the machine is shared, a run is meant to fit in about 25 minutes.
DATASETS = ["ecoli1", "glass1", "haberman", "new_thyroid1", "glass0", "ecoli2", "ecoli3",
            "glass6", "yeast-2_vs_4", "ecoli4", "glass4", "pima", "wisconsin", "vehicle0",
            "yeast1", "yeast4"]
QUICK = ["ecoli1", "glass1"]


def block_table(rows, methods, models):
    """{(dataset, model): {method: (mean F1, mean fit time)}} over complete blocks."""
    cells = {}
    for row in rows:
        if row["status"] != "ok" or row["model"] not in models:
            continue
        key = (row["dataset"], row["model"])
        cells.setdefault(key, {}).setdefault(row["method"], []).append(
            (row["metrics"]["f1"], row["fit_time"]))
    return {key: {m: tuple(np.mean(values, axis=0)) for m, values in by.items()}
            for key, by in sorted(cells.items()) if set(methods) <= set(by)}


def analyse(title, blocks, methods, out):
    if len(blocks) < 2:
        out.write(f"\n{title}: fewer than 2 complete blocks, nothing to rank.\n")
        return None
    scores = np.array([[by[m][0] for m in methods] for by in blocks.values()])
    ranks = average_ranks(scores, names=methods)
    friedman = friedman_test(scores, names=methods)
    nemenyi = nemenyi_test(scores, names=methods)
    out.write(f"\n{title}: {len(blocks)} blocks (data set x model), {len(methods)} methods\n")
    out.write(f"  Friedman chi2 = {friedman.statistic:.2f}, p = {friedman.pvalue:.3g}; "
              f"Iman-Davenport F = {friedman.iman_davenport_statistic:.2f}, "
              f"p = {friedman.iman_davenport_pvalue:.3g}; Nemenyi CD (alpha 0.05) = "
              f"{nemenyi.critical_difference:.2f}\n")
    order = np.argsort(ranks.average_ranks)
    search = methods.index(SEARCH)
    out.write(f"  {'method':22s} {'mean rank':>9s} {'mean F1':>8s} {'W/T/L of search':>16s}"
              f" {'pairwise rank of search':>24s} {'Nemenyi p':>10s}\n")
    for j in order:
        name = methods[j]
        if j == search:
            wtl, pair, p = "-", "-", "-"
        else:
            diff = scores[:, search] - scores[:, j]
            wins, losses = (diff > 1e-12).sum(), (diff < -1e-12).sum()
            ties = len(diff) - wins - losses
            wtl = f"{wins}/{ties}/{losses}"
            pair = f"{1 + (losses + 0.5 * ties) / len(diff):.2f}"
            p = f"{nemenyi.pvalues[search, j]:.3g}"
        out.write(f"  {name:22s} {ranks.average_ranks[j]:9.2f} {scores[:, j].mean():8.3f} "
                  f"{wtl:>16s} {pair:>24s} {p:>10s}\n")
    return scores


def time_ratios(blocks, fixed_methods, out):
    out.write(f"\nFit time of RemedySearchCV / sum of the fit times of {', '.join(fixed_methods)} "
              "(per block, mean fit over outer folds):\n")
    by_model = {}
    for (dataset, model), by in blocks.items():
        fixed = sum(by[m][1] for m in fixed_methods)
        by_model.setdefault(model, []).append(
            (dataset, by[SEARCH][1] / fixed, by[SEARCH][1], fixed))
    for model, values in by_model.items():
        ratios = np.array([v[1] for v in values])
        out.write(f"  {model}: median {np.median(ratios):.2f}x, mean {ratios.mean():.2f}x, "
                  f"range {ratios.min():.2f}-{ratios.max():.2f}x over {len(ratios)} sets\n")
        for dataset, ratio, search, fixed in values:
            out.write(f"    {dataset:16s} {ratio:6.2f}x  ({search:.2f} s vs {fixed:.2f} s)\n")


def chosen_remedies(datasets, models, out):
    """The remedy RemedySearchCV picks on each whole data set, per model."""
    out.write("\nRemedy chosen by RemedySearchCV fitted on the whole set "
              "(+thr: tuned threshold):\n")
    out.write("  " + f"{'data set':16s}" + "".join(f" {m:28s}" for m in models) + "\n")
    counts = {}
    for dataset in datasets:
        X, y = load_dataset(dataset, return_X_y=True)
        picks = []
        for model in models:
            params = build_estimator(SEARCH, model, 0).fit(X, y).best_params_
            pick = params["remedy"] + ("+thr" if params["threshold"] == "tuned" else "")
            counts[pick] = counts.get(pick, 0) + 1
            picks.append(pick)
        out.write("  " + f"{dataset:16s}" + "".join(f" {p:28s}" for p in picks) + "\n")
    out.write("  counts: " + ", ".join(f"{k} {v}" for k, v in sorted(
        counts.items(), key=lambda kv: -kv[1])) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK}, 3 folds")
    parser.add_argument("--datasets", nargs="+", default=None)
    parser.add_argument("--models", nargs="+", default=MODELS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "bench_remedy"))
    parser.add_argument("--cd", default=None, help="save the critical-difference diagram here")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--spe-members", type=int, choices=sorted(SPE_CHOICES), default=10,
                        help="members of the fixed Self-paced Ensemble (default: 10)")
    parser.add_argument("--chosen", action="store_true",
                        help="also fit the search on each whole set and list its picks")
    args = parser.parse_args(argv)
    spe = SPE_CHOICES[args.spe_members]
    fixed = [m for m in FIXED if m != SPE] + [spe]
    datasets = args.datasets or (QUICK if args.quick else DATASETS)
    folds = 3 if args.quick else args.folds
    config = BenchmarkConfig(datasets=datasets, models=args.models, methods=fixed + [SEARCH],
                             metrics=["f1"], folds=folds, repeats=1, seed=0)
    rows = run_benchmark(config, args.out, resume=True, n_jobs=args.n_jobs)
    out = sys.stdout
    errors = [r for r in rows if r["status"] != "ok"]
    out.write(f"# RemedySearchCV vs fixed remedies, F1, {folds}-fold outer CV, seed 0\n"
              f"# {machine_line()}\n# data sets: {', '.join(datasets)}\n"
              f"# cells: {len(rows)} ({len(errors)} failed)\n")
    for row in errors[:10]:
        out.write(f"#   failed: {row['dataset']} {row['model']} {row['method']}: {row['error']}\n")
    methods = fixed + [SEARCH]
    blocks = block_table(rows, methods, args.models)
    scores = analyse("All models, the five fixed remedies and the search", blocks, methods, out)
    for model in args.models:
        analyse(f"{model} only", {k: v for k, v in blocks.items() if k[1] == model}, methods, out)
    no_spe = [m for m in methods if m != spe]
    analyse("All models, without the Self-paced Ensemble (earlier protocol)",
            block_table(rows, no_spe, args.models), no_spe, out)
    time_ratios(blocks, fixed, out)
    time_ratios(blocks, [m for m in fixed if m != spe], out)
    if args.chosen:
        chosen_remedies(datasets, args.models, out)
    if args.cd and scores is not None:
        import matplotlib

        matplotlib.use("Agg")
        from imbtool.plotting import CriticalDifferenceDisplay

        display = CriticalDifferenceDisplay.from_scores(scores, names=methods)
        display.figure_.savefig(args.cd, bbox_inches="tight")
        out.write(f"\nCritical-difference diagram: {args.cd}\n")


if __name__ == "__main__":
    main()
