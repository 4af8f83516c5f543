"""RemedyEnsembleClassifier against the fixed remedies and RemedySearchCV: ranks, tests, time.

    python -m imbtool benchmark --datasets <sets> --models lr rf lgbm \
        --methods none class_weight smote tuned_threshold self_paced_ensemble \
                  remedy_search_cv remedy_ensemble \
        --metrics f1 average_precision --folds 5 --seed 0 --out <folder>
    python benchmarks/bench_remedy_ensemble.py <folder> [--cd <prefix>]
    python benchmarks/bench_remedy_ensemble.py benchmarks/remedy_ensemble_cells.jsonl.gz

Reads the cells the benchmark cached in ``<folder>`` (every method fitted on
the same outer training folds, scored on the held-out fold). A block is one
(data set, model) whose methods all finished every fold; its score is the mean
over the outer folds. For each metric, per model and pooled over the models
(pooled: the methods every model runs, so without the Self-paced Ensemble,
which the benchmark does not wrap around forests and boosters), it prints the
average ranks, the Friedman test, the Nemenyi critical difference, and
``remedy_ensemble`` against every other method: wins/ties/losses, the
Wilcoxon signed-rank p-value with Holm's correction over those comparisons,
and the Holm-corrected rank z-test (:func:`imbtool.evaluation.holm_test`).
Fit times: the blend's mean fit time over RemedySearchCV's, and over the sum of
the fixed remedies', per block.

The benchmark's held-out part (``held_out_sets``: every 5th of its data sets
sorted by name) decided the blend's recipe in ``pilot_remedy_ensemble.py``'s
confirmatory test, so its cells are left out of every figure here.
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np
from _common import holm_adjust

from imbtool.benchmark._runner import default_datasets
from imbtool.evaluation import (
    average_ranks,
    friedman_test,
    holm_test,
    nemenyi_test,
    wilcoxon_test,
)

BLEND = "remedy_ensemble"
SEARCH = "remedy_search_cv"
FIXED = ["none", "class_weight", "smote", "tuned_threshold", "self_paced_ensemble"]
METRICS = ["f1", "average_precision"]


def held_out_sets():
    """The benchmark's sets kept for choosing the blend's recipe: every 5th by name."""
    return sorted(default_datasets())[4::5]


def read_rows(source):
    """The cells of a benchmark folder or cells file (gzipped or not), held-out sets left out."""
    held_out = set(held_out_sets())
    path = Path(source)
    if path.is_dir():
        path = path / "cells.jsonl"
    with (gzip.open if path.suffix == ".gz" else open)(path, "rt") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row["dataset"] not in held_out]


def blocks(rows, metric, folds):
    """{(data set, model): {method: (mean metric, mean fit time)}} of fully finished methods."""
    cells = {}
    for row in rows:
        if row["status"] == "ok":
            cells.setdefault((row["dataset"], row["model"]), {}).setdefault(
                row["method"], []).append((row["metrics"][metric], row["fit_time"]))
    return {key: {m: tuple(np.mean(v, axis=0)) for m, v in by.items() if len(v) == folds}
            for key, by in sorted(cells.items())}


def analyse(title, table, methods, out):
    """Ranks and tests of ``methods`` over the blocks of ``table`` holding them all."""
    complete = [by for by in table.values() if set(methods) <= set(by)]
    if len(complete) < 3:
        out.write(f"\n{title}: {len(complete)} complete blocks, too few to rank.\n")
        return None
    scores = np.array([[by[m][0] for m in methods] for by in complete])
    ranks = average_ranks(scores, names=methods).average_ranks
    friedman = friedman_test(scores, names=methods)
    nemenyi = nemenyi_test(scores, names=methods)
    holm = holm_test(scores, BLEND, names=methods)
    blend = methods.index(BLEND)
    others = [j for j in range(len(methods)) if j != blend]
    wilcoxon = [wilcoxon_test(scores[:, blend], scores[:, j]) for j in others]
    adjusted = dict(zip(others, holm_adjust(np.array([w.pvalue for w in wilcoxon]))))
    out.write(f"\n### {title}: {len(complete)} blocks, {len(methods)} methods\n\n"
              f"Friedman chi2 = {friedman.statistic:.2f}, p = {friedman.pvalue:.3g}; "
              f"Nemenyi CD (0.05) = {nemenyi.critical_difference:.2f}\n\n"
              "| method | mean rank | mean score | blend W/T/L | Wilcoxon-Holm p | "
              "rank z-test Holm p | Nemenyi p |\n|---|---|---|---|---|---|---|\n")
    for j in np.argsort(ranks, kind="stable"):
        cells = ["-"] * 4
        if j != blend:
            w = wilcoxon[others.index(j)]
            cells = [f"{w.wins}/{w.ties}/{w.losses}", f"{adjusted[j]:.3g}",
                     f"{holm.adjusted_pvalues[holm.names.index(methods[j])]:.3g}",
                     f"{nemenyi.pvalues[blend, j]:.3g}"]
        out.write(f"| {methods[j]} | {ranks[j]:.2f} | {scores[:, j].mean():.3f} | "
                  + " | ".join(cells) + " |\n")
    return scores


def time_ratios(table, models, out):
    out.write("\n### Fit time per block (mean fit over the outer folds)\n\n"
              "| model | blocks | blend / RemedySearchCV: median (range) | "
              "blend / sum of the fixed remedies: median (range) |\n|---|---|---|---|\n")
    for model in models:
        pairs = []
        for (_, m), by in table.items():
            fixed = [f for f in FIXED if f in by]
            if m == model and BLEND in by and SEARCH in by:
                total = sum(by[f][1] for f in fixed)
                pairs.append((by[BLEND][1] / by[SEARCH][1], by[BLEND][1] / total))
        if not pairs:
            continue
        search, fixed = np.array(pairs).T
        out.write(f"| {model} | {len(pairs)} | {np.median(search):.2f}x "
                  f"({search.min():.2f}-{search.max():.2f}) | {np.median(fixed):.2f}x "
                  f"({fixed.min():.2f}-{fixed.max():.2f}) |\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="the --out folder of python -m imbtool benchmark, or a "
                        "cells file such as benchmarks/remedy_ensemble_cells.jsonl.gz")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cd", default=None,
                        help="save the pooled critical-difference diagrams as "
                        "<prefix>_<metric>.png")
    args = parser.parse_args(argv)
    rows = read_rows(args.folder)
    out = sys.stdout
    models = sorted({r["model"] for r in rows})
    out.write(f"# {len(rows)} cells ({sum(r['status'] != 'ok' for r in rows)} failed), "
              f"data sets: {', '.join(sorted({r['dataset'] for r in rows}))}\n")
    for metric in METRICS:
        table = blocks(rows, metric, args.folds)
        out.write(f"\n## {metric}\n")
        for model in models:
            by_model = {k: v for k, v in table.items() if k[1] == model}
            methods = [m for m in FIXED + [SEARCH, BLEND]
                       if any(m in by for by in by_model.values())]
            analyse(f"{metric}, {model}", by_model, methods, out)
        pooled = [m for m in FIXED + [SEARCH, BLEND] if m != "self_paced_ensemble"]
        scores = analyse(f"{metric}, all models pooled", table, pooled, out)
        if args.cd and scores is not None:
            import matplotlib

            matplotlib.use("Agg")
            from imbtool.plotting import CriticalDifferenceDisplay

            display = CriticalDifferenceDisplay.from_scores(scores, names=pooled)
            display.figure_.savefig(f"{args.cd}_{metric}.png", bbox_inches="tight")
    time_ratios(blocks(rows, METRICS[0], args.folds), models, out)


if __name__ == "__main__":
    main()
