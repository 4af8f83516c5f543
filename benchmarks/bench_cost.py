"""Focal loss in LightGBM: quality on real data, and the cost of a custom objective.

    python benchmarks/bench_cost.py [--task quality|overhead|all] [--repeats 3] [--quick]

Task "quality": on KEEL data sets from imbtool.datasets, stratified 5-fold
(shuffled, seed 0), out-of-fold scores of plain LightGBM, LightGBM with
``is_unbalance=True`` and LGBMImbalancedClassifier with focal loss
(alpha=0.25, gamma=2, and alpha=0.5, gamma=2); all 100 rounds, 31 leaves,
learning rate 0.1, one thread. Scored on the pooled out-of-fold scores: AP,
F1 at the best threshold of those scores (an oracle threshold, the same
advantage for every method) and Brier score of the probabilities.

Task "overhead": fit time on 1,000,000 x 20 (2% minority,
make_imbalanced_classification) of LightGBM's built-in binary objective
against the focal-loss custom objective, 100 rounds, same settings, median
of --repeats runs in the same process; also the time of one gradient/Hessian
evaluation.
"""

import argparse
import time

import lightgbm
import numpy as np
from _common import machine_line, measure
from sklearn.model_selection import StratifiedKFold

from imbtool.boosters import LGBMImbalancedClassifier
from imbtool.cost import FocalLoss
from imbtool.datasets import load_dataset, make_imbalanced_classification
from imbtool.metrics import average_precision, brier_score, fbeta_at_tuned_threshold

DATASETS = ["ecoli1", "glass1", "haberman", "new_thyroid1", "pima", "wisconsin", "yeast1",
            "vehicle0", "yeast-0-5-6-7-9_vs_4", "german", "segment0", "yeast4", "page-blocks0",
            "abalone19", "satimage"]
COMMON = {"n_estimators": 100, "learning_rate": 0.1, "num_leaves": 31, "n_jobs": 1}
METHODS = {
    "plain": lambda: lightgbm.LGBMClassifier(**COMMON, verbose=-1),
    "is_unbalance": lambda: lightgbm.LGBMClassifier(**COMMON, is_unbalance=True, verbose=-1),
    "focal a=.25 g=2": lambda: LGBMImbalancedClassifier(loss="focal", device="cpu", **COMMON),
    "focal a=.5 g=2": lambda: LGBMImbalancedClassifier(loss="focal", loss_params={"alpha": 0.5},
                                                       device="cpu", **COMMON),
}


def out_of_fold(make, X, y):
    scores = np.empty(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        scores[test] = make().fit(X[train], y[train]).predict_proba(X[test])[:, 1]
    return scores


def quality(names):
    print("\n## LightGBM: plain vs is_unbalance vs focal loss, stratified 5-fold, "
          "pooled out-of-fold scores")
    print("| data set | n | minority | " + " | ".join(f"AP {m}" for m in METHODS) + " | "
          + " | ".join(f"F1* {m}" for m in METHODS) + " | "
          + " | ".join(f"Brier {m}" for m in METHODS) + " |")
    print("|---" * (3 + 3 * len(METHODS)) + "|")
    table = {}
    for name in names:
        X, y = load_dataset(name, return_X_y=True)
        rows = {}
        for method, make in METHODS.items():
            s = out_of_fold(make, X, y)
            rows[method] = (average_precision(y, s), fbeta_at_tuned_threshold(y, s),
                            brier_score(y, s))
        table[name] = rows
        cells = [f"{rows[m][k]:.3f}" for k in range(3) for m in METHODS]
        print(f"| {name} | {len(y)} | {y.mean():.3f} | " + " | ".join(cells) + " |", flush=True)
    for k, metric in enumerate(["AP", "F1*", "Brier"]):
        means = {m: np.mean([table[d][m][k] for d in names]) for m in METHODS}
        best = min if metric == "Brier" else max
        wins = {m: sum(table[d][m][k] == best(table[d][o][k] for o in METHODS) for d in names)
                for m in METHODS}
        print(f"mean {metric}: "
              + ", ".join(f"{m} {v:.3f} (best on {wins[m]})" for m, v in means.items()))


def overhead(scale, repeats):
    n = 1_000_000 // scale
    X, y = make_imbalanced_classification(n, 20, minority_share=0.02, random_state=0)
    print(f"\n## Fit time, {n:,} x 20, 2% minority, 100 rounds, 31 leaves (median of {repeats})")
    print("| objective | median s | runs s |")
    print("|---|---|---|")
    runs = {
        "LightGBM built-in binary": lambda: lightgbm.LGBMClassifier(n_estimators=100,
                                                                    verbose=-1).fit(X, y),
        "imbtool FocalLoss (custom)": lambda: LGBMImbalancedClassifier(loss="focal", device="cpu",
                                                                       n_estimators=100).fit(X, y),
    }
    medians = {}
    for label, fn in runs.items():
        medians[label], times, _ = measure(fn, repeats)
        runs_s = ", ".join(f"{t:.2f}" for t in times)
        print(f"| {label} | {medians[label]:.2f} | {runs_s} |", flush=True)
    ratio = medians["imbtool FocalLoss (custom)"] / medians["LightGBM built-in binary"]
    print(f"custom / built-in fit time: {ratio:.2f}x")
    z = np.random.default_rng(0).normal(size=n)
    loss = FocalLoss()
    loss(y, z)  # compile
    t0 = time.perf_counter()
    for _ in range(10):
        loss(y, z)
    ms = (time.perf_counter() - t0) / 10 * 1e3
    print(f"one FocalLoss gradient+Hessian on {n:,} margins: {ms:.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=["quality", "overhead", "all"], default="all")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="5 data sets and 10x smaller overhead data")
    args = parser.parse_args()
    print(machine_line())
    if args.task in ("quality", "all"):
        quality(DATASETS[:5] if args.quick else DATASETS)
    if args.task in ("overhead", "all"):
        overhead(10 if args.quick else 1, args.repeats)


if __name__ == "__main__":
    main()
