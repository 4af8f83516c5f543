"""Choose RemedyEnsembleClassifier's recipe on data sets the benchmark does not use.

    python benchmarks/pilot_remedy_ensemble.py --models lr lgbm rf --splits 3 \
        [--max-rows 2400] [--out pilot.jsonl]

Data: the shipped real sets *outside* the benchmark's default list (those with
more than 1,500 rows), at most ``--max-rows`` rows; each split is a stratified
70/30 train/test split. One ``RemedyEnsembleClassifier(model,
method="mean")`` fit per (set, model, split) keeps every member's out-of-fold
probabilities (at the training prior) and every member refitted on the whole
training part; each recipe below is then a different weighting and threshold
of those same members, scored by test F1 at its own threshold:

- ``selection``: greedy ensemble selection over every member (the default);
- ``mean``: equal weights over every member;
- ``mean3`` / ``selection3``: the same over none, class weights and SMOTE only;
- ``bagged_members`` / ``bagged_rows``: bagged ensemble selection (Caruana et
  al. 2004): 20 selections, each on a random half of the members / of the
  out-of-fold rows, their weights averaged;
- ``sorted3``: selection started from the three best members, each once;
- ``*_smooth``: the threshold maximises the out-of-fold F1 curve after a
  moving average over neighbouring cuts (a window of about sqrt(positives)
  cuts), instead of the raw curve's maximum;
- ``best_member``: the member with the best out-of-fold F1 (at its tuned
  threshold), i.e. one remedy chosen by cross-validation.

Prints per model the mean test F1 and the mean rank of each recipe (rank 1
best, over the (set, split) blocks) and the Friedman test of the recipes;
``--summary pilot.jsonl`` prints them again from the saved blocks.
"""

import argparse
import json
import sys
from time import perf_counter

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from imbtool.benchmark import get_model
from imbtool.benchmark._runner import default_datasets
from imbtool.datasets import list_datasets, load_dataset
from imbtool.evaluation import average_ranks, friedman_test
from imbtool.model_selection import RemedyEnsembleClassifier
from imbtool.model_selection._ensemble import greedy_selection
from imbtool.model_selection._scoring import FoldScoring
from imbtool.utils._sweep import threshold_curve

THREE = ("none", "class_weight", "smote")
BAGS = 20


class _Recorder(RemedyEnsembleClassifier):
    """Keeps the members' pooled out-of-fold probabilities that ``fit`` computes."""

    def _oof(self, run, y_oof):
        proba, calibrator = super()._oof(run, y_oof)
        self.recorded_ = getattr(self, "recorded_", []) + [proba]
        self.y_oof_ = y_oof
        return proba, calibrator


def smooth_threshold(objective, positive, score):
    """Threshold at the maximum of the moving-averaged objective curve over the cuts."""
    curve = threshold_curve(objective, [(positive.astype(np.int64), score, None, None)])
    utility = objective.utility(curve.result)
    width = max(1, int(round(np.sqrt(positive.sum()))))
    kernel = np.ones(width) / width
    smoothed = np.convolve(np.pad(utility, (width // 2, width - 1 - width // 2), mode="edge"),
                           kernel, mode="valid")
    return float(curve.thresholds[int(np.argmax(smoothed))])


def recipes(probas, names, positive, scoring, rng):
    """{recipe: (weights, smooth)} over the members."""
    def score(proba):
        return scoring.best_cut(positive, proba[:, 1])[1]

    n = len(probas)
    three = [j for j, name in enumerate(names) if name in THREE]
    out = {"mean": np.full(n, 1 / n)}
    out["selection"] = greedy_selection(probas, score)[0]
    w = np.zeros(n)
    w[three] = 1 / len(three)
    out["mean3"] = w
    w = np.zeros(n)
    w[three] = greedy_selection([probas[j] for j in three], score)[0]
    out["selection3"] = w
    bag_members, bag_rows = np.zeros(n), np.zeros(n)
    for _ in range(BAGS):
        subset = np.sort(rng.choice(n, size=max(1, n // 2), replace=False))
        bag_members[subset] += greedy_selection([probas[j] for j in subset], score)[0] / BAGS
        rows = rng.permutation(len(positive))[:len(positive) // 2]
        bag_rows += greedy_selection(
            [p[rows] for p in probas],
            lambda proba, rows=rows: scoring.best_cut(positive[rows], proba[:, 1])[1])[0] / BAGS
    out["bagged_members"], out["bagged_rows"] = bag_members, bag_rows
    singles = np.array([score(p) for p in probas])
    top = np.argsort(-singles, kind="stable")[:3]
    # Sorted initialisation: the three best once each, then greedy additions.
    counts = np.zeros(n)
    counts[top] = 1
    total = sum(probas[j] for j in top)
    best, best_counts = score(total / 3), counts.copy()
    for size in range(4, 26):
        values = [score((total + p) / size) for p in probas]
        j = int(np.argmax(values))
        counts[j] += 1
        total = total + probas[j]
        if values[j] > best:
            best, best_counts = values[j], counts.copy()
    out["sorted3"] = best_counts / best_counts.sum()
    w = np.zeros(n)
    w[int(np.argmax(singles))] = 1
    out["best_member"] = w
    return out


def run_one(name, model, split, seed):
    X, y = load_dataset(name, return_X_y=True)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    train, test = train_test_split(np.arange(len(y)), test_size=0.3, stratify=y,
                                   random_state=seed + split)
    estimator = get_model(model).build(seed)
    start = perf_counter()
    blend = _Recorder(estimator, method="mean", scoring="f1", random_state=seed).fit(
        X[train], y[train])
    fit_time = perf_counter() - start
    names = blend.members_
    positive = blend.y_oof_ == blend.pos_label_
    scoring = FoldScoring("f1", blend.classes_, blend.pos_label_)
    probas = blend.recorded_
    tests = [blend._member_proba(k, X[test]) for k in range(len(names))]
    pos = list(blend.classes_).index(blend.pos_label_)
    y_test = y[test] == blend.pos_label_
    rng = np.random.default_rng(seed + split)
    results = {}
    for recipe, weights in recipes(probas, names, positive, scoring, rng).items():
        oof = sum(w * p for w, p in zip(weights, probas))[:, pos]
        test_score = sum(w * p for w, p in zip(weights, tests))[:, pos]
        for smooth in (False, True):
            threshold = (smooth_threshold(scoring.objective, positive, oof) if smooth
                         else scoring.best_threshold(positive, oof))
            key = recipe + ("_smooth" if smooth else "")
            results[key] = float(f1_score(y_test, test_score >= threshold))
    return dict(dataset=name, model=model, split=split, fit_time=fit_time, members=names,
                f1=results)


def summary(rows, out):
    for model in sorted({r["model"] for r in rows}):
        mine = [r for r in rows if r["model"] == model]
        keys = list(mine[0]["f1"])
        scores = np.array([[r["f1"][k] for k in keys] for r in mine])
        ranks = average_ranks(scores, names=keys).average_ranks
        friedman = friedman_test(scores, names=keys)
        out.write(f"\n## {model}: {len(mine)} blocks ({len({r['dataset'] for r in mine})} sets)"
                  f", Friedman p = {friedman.pvalue:.3g}"
                  "\n\n| recipe | mean test F1 | mean rank |\n|---|---|---|\n")
        for j in np.argsort(ranks, kind="stable"):
            out.write(f"| {keys[j]} | {scores[:, j].mean():.4f} | {ranks[j]:.2f} |\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["lr", "lgbm", "rf"])
    parser.add_argument("--splits", type=int, default=3)
    parser.add_argument("--max-rows", type=int, default=2400)
    parser.add_argument("--datasets", nargs="+", default=None,
                        help="only these of the held-aside sets (default: all of them)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="append each block as a JSON line")
    parser.add_argument("--summary", default=None, help="only summarise this JSON-lines file")
    args = parser.parse_args(argv)
    if args.summary:
        with open(args.summary) as handle:
            summary([json.loads(line) for line in handle], sys.stdout)
        return
    benchmark = set(default_datasets())
    sets = sorted((d for d in list_datasets()
                   if d["name"] not in benchmark and d["n_samples"] <= args.max_rows),
                  key=lambda d: d["n_samples"])
    if args.datasets:
        unknown = set(args.datasets) - {d["name"] for d in sets}
        if unknown:
            parser.error(f"not held-aside sets of at most --max-rows rows: {sorted(unknown)}")
        sets = [d for d in sets if d["name"] in args.datasets]
    rows = []
    for split in range(args.splits):
        for entry in sets:
            for model in args.models:
                row = run_one(entry["name"], model, split, args.seed)
                rows.append(row)
                if args.out:
                    with open(args.out, "a") as handle:
                        handle.write(json.dumps(row) + "\n")
                print(f"{model} {entry['name']} split {split}: {row['fit_time']:.1f}s",
                      file=sys.stderr, flush=True)
    summary(rows, sys.stdout)


if __name__ == "__main__":
    main()
