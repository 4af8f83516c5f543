"""Choose RemedyEnsembleClassifier's recipe on data sets the benchmark does not use.

    python benchmarks/pilot_remedy_ensemble.py fit CACHE --models lr lgbm [--datasets ...]
    python benchmarks/pilot_remedy_ensemble.py evaluate CACHE [--repeats 5] [--out blocks.jsonl]
    python benchmarks/pilot_remedy_ensemble.py summary blocks.jsonl
    python benchmarks/pilot_remedy_ensemble.py fit CACHE2 --confirm
    python benchmarks/pilot_remedy_ensemble.py evaluate CACHE2 --confirm [--out confirm.jsonl]

Data: shipped real sets *outside* the benchmark's default list (every one of
them has more than 1,500 rows). By default the nine of them on which the
recipes differ (``DISCRIMINATING``). The others are nearly separable (a
standardised logistic regression alone reaches 5-fold F1 0.90-1.0 on the four
kddcup-* sets, the two shuttle-* sets and kr-vs-k-three_vs_eleven; every recipe
scored F1 ~1 in a one-split pilot on kr-vs-k-zero_vs_fifteen,
kr-vs-k-one_vs_fifteen and segment0), have too few positives for any recipe
(abalone19: F1 0) or are too large for the pilot's budget (page-blocks0,
satimage).

``fit``: one ``RemedyEnsembleClassifier(model, method="mean", refit=False)`` fit
per (set, model) on every row (``remedies="auto"``, cv=5, seed 0) keeps every
member's pooled out-of-fold probability of the positive class (each member
corrected to the data's prior, as the blend uses them) and the fold of each
row, in ``CACHE/<set>__<model>.npz``.

``evaluate``: every recipe is a way to weight those members and to place the
decision threshold, so recipes are compared by cross-fitting that step on the
out-of-fold rows: ``--repeats`` times a stratified 5-fold split of the rows
(seed ``--seed + repeat``); each recipe chooses its weights and threshold on
four parts and decides the fifth; the test F1 of a repeat is on its pooled
decisions (every row decided once), and a block's F1 is the mean over the
repeats. The members' probabilities on every row are held-out ones (their
models never saw the row), so no recipe is scored on rows that chose it.
Repeats make the block F1 precise enough to see differences of ~0.01 between
recipes on the same block; the blocks (data sets) remain few, so the tests
below are over data sets.

Weightings of the members:

- ``selection``: greedy ensemble selection with replacement over every member,
  25 rounds, best round kept (Caruana et al. 2004; the estimator's default);
- ``all_rounds``: the same, keeping all 25 additions (no early stop);
- ``min3``: the same, best round among those with at least 3 distinct members;
- ``shrink``: half selection, half equal weights;
- ``fold_bagged``: selection on each of the 5 sets of four out of five folds
  of the rows (the estimator's own folds), weights averaged;
- ``sorted3``: selection started from the three best members, each once;
- ``stack``: non-negative weights summing to one that minimise the blend's
  logistic loss (constrained stacking, SLSQP);
- ``rank_selection`` / ``rank_mean``: members' probabilities replaced by their
  empirical quantiles on the choosing rows (rank averaging), then selection /
  equal weights;
- ``mean``: equal weights over every member; ``mean3`` / ``selection3``: equal
  weights / selection over none, class weights and SMOTE only;
- ``best_member``: the member with the best out-of-fold F1 (a remedy chosen
  by cross-validation, no blend).

Thresholds on the blended scores of the choosing rows: ``raw`` the exact
maximiser of F1 (the estimator's); ``smooth`` the maximiser of the F1 curve
after a moving average over ~sqrt(positives) neighbouring cuts; ``bagged`` the
mean of the maximisers on 20 bootstrap resamples; ``half`` half the best F1
(for calibrated probabilities the F1-optimal threshold is half the optimal F1,
Lipton, Elkan & Naryanaswamy 2014; probability blends only).

Decision rule, fixed before the run: a recipe replaces ``selection_raw`` only
if, for lr and for lgbm, its mean F1 over the sets is higher and the Wilcoxon
signed-rank test over the sets (two-sided, Holm-corrected over the recipes of
``FAMILY``, the ideas aimed at selection's weak points) gives p < 0.05.

Confirmatory test (``--confirm``), rule fixed before its run. The exploratory
run above found no recipe passing; its two best candidates, ``shrink_raw``
(half selection, half equal weights) and ``fold_bagged_raw`` (selection on
each four-of-five folds, averaged), both with the exact-max threshold and
their parameters unchanged, are tested against ``selection_raw`` on data the
exploratory run did not see (``CONFIRM_SETS``): the two held-aside sets it
left out for time, page-blocks0 and satimage (whole, not subsampled), and
the benchmark's own held-out part, every 5th of its data sets sorted by name
(``held_out_sets``: 16 of 84), which ``bench_remedy_ensemble.py`` then
leaves out of every benchmark figure. Same protocol (5 repeats of the
cross-fitting, seed 0; every set kept, none dropped after the run). A
candidate becomes the estimator's default only if, for lr and for lgbm, its
mean F1 over the sets is higher than selection's and the Wilcoxon
signed-rank test over the sets (two-sided, ties split, as above) gives p <
0.05 after Holm's correction over the two candidates (per model). If both
pass, the one with the larger mean gain over the two models is adopted.
Otherwise plain selection stays.
"""

import argparse
import json
import sys
from pathlib import Path
from time import perf_counter

import numpy as np
from _common import holm_adjust
from bench_remedy_ensemble import held_out_sets
from scipy.optimize import minimize
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from imbtool.benchmark import get_model
from imbtool.datasets import load_dataset
from imbtool.evaluation import average_ranks, wilcoxon_test
from imbtool.model_selection import RemedyEnsembleClassifier
from imbtool.model_selection._ensemble import _ROUNDS
from imbtool.model_selection._scoring import FoldScoring
from imbtool.utils._sweep import threshold_curve

DISCRIMINATING = [
    "winequality-red-4", "abalone-19_vs_10-11-12-13", "car-good", "car-vgood",
    "abalone-20_vs_8-9-10", "poker-8-9_vs_5", "kc1", "abalone-17_vs_7-8-9-10",
    "kr-vs-k-zero-one_vs_draw",
]
CONFIRM_SETS = ["page-blocks0", "satimage", *held_out_sets()]
CANDIDATES = ["shrink_raw", "fold_bagged_raw"]
THREE = ("none", "class_weight", "smote")
BAGS = 20
DEFAULT = "selection_raw"
FAMILY = ["selection_smooth", "selection_bagged", "selection_half", "min3_raw", "all_rounds_raw",
          "shrink_raw", "fold_bagged_raw", "rank_selection_raw", "stack_raw"]
F1 = FoldScoring("f1", np.array([False, True]), True)


class _Recorder(RemedyEnsembleClassifier):
    """Keeps the members' pooled out-of-fold probabilities and fold sizes that ``fit`` makes."""

    def _oof(self, run, y_oof):
        proba, calibrator = super()._oof(run, y_oof)
        self.recorded_ = getattr(self, "recorded_", []) + [proba]
        self.fold_sizes_ = [len(fold["blend"][0]) for fold in run["folds"]]
        self.y_oof_ = y_oof
        return proba, calibrator


def best_f1(positive, score):
    """Maximum F1 over the cuts of ``score`` (the value imbtool's exact sweep maximises).

    ``score`` of shape (n_rows,) or (n_blends, n_rows): one maximum per blend.
    """
    score = np.atleast_2d(score)
    order = np.argsort(-score, axis=1, kind="stable")
    ordered = np.take_along_axis(score, order, axis=1)
    tp = np.cumsum(positive[order], axis=1)
    predicted = np.arange(1, score.shape[1] + 1)
    f1 = 2 * tp / (positive.sum() + predicted)
    # A cut can only fall between distinct scores: the last row of each run of ties.
    f1[:, :-1][ordered[:, 1:] == ordered[:, :-1]] = -1
    best = f1.max(axis=1)
    return best if len(best) > 1 else float(best[0])


def greedy_rounds(scores, positive, rounds=_ROUNDS, start=()):
    """Counts of each member after each round of greedy selection with replacement, and scores.

    The estimator's rule (first member on ties, a member may be added again);
    ``start`` members are added once each before the greedy rounds.
    """
    counts = np.zeros(len(scores))
    counts[list(start)] = 1
    total = scores[list(start)].sum(axis=0) if len(start) else np.zeros(scores.shape[1])
    history, chosen = [], []
    for size in range(len(start) + 1, rounds + 1):
        values = np.atleast_1d(best_f1(positive, (total + scores) / size))
        j = int(np.argmax(values))
        counts[j] += 1
        total = total + scores[j]
        history.append(values[j])
        chosen.append(counts.copy())
    return np.array(chosen), np.array(history)


def selection(scores, positive, **kwargs):
    chosen, history = greedy_rounds(scores, positive, **kwargs)
    best = chosen[int(np.argmax(history))]
    return best / best.sum()


def stack(scores, positive):
    """Simplex weights minimising the logistic loss of the weighted mean probability."""
    eps = 1e-12
    y = positive.astype(float)

    def loss(w):
        p = np.clip(w @ scores, eps, 1 - eps)
        gradient = -((y / p - (1 - y) / (1 - p)) * scores).mean(axis=1)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), gradient

    m = len(scores)
    result = minimize(loss, np.full(m, 1 / m), jac=True, method="SLSQP",
                      bounds=[(0, 1)] * m,
                      constraints=[dict(type="eq", fun=lambda w: w.sum() - 1)])
    w = np.clip(result.x, 0, None)
    return w / w.sum()


def candidates(scores, positive, folds):
    """{weighting: weights} of plain selection and the two confirmatory candidates."""
    chosen = selection(scores, positive)
    return {"selection": chosen, "shrink": (chosen + 1 / len(scores)) / 2,
            "fold_bagged": np.mean([selection(scores[:, folds != k], positive[folds != k])
                                    for k in np.unique(folds)], axis=0)}


def weightings(scores, positive, folds, names, rng, only=None):
    """{weighting: weights} chosen on ``scores`` (members x rows) of the choosing rows.

    ``only``: just ``selection`` and ``mean`` (for the rank-transformed scores).
    """
    m = len(scores)
    three = [j for j, name in enumerate(names) if name in THREE]
    singles = np.atleast_1d(best_f1(positive, scores))
    chosen, history = greedy_rounds(scores, positive)
    out = {"selection": chosen[int(np.argmax(history))] / chosen[int(np.argmax(history))].sum()}
    out["mean"] = np.full(m, 1 / m)
    if only:
        return out
    out["all_rounds"] = chosen[-1] / chosen[-1].sum()
    distinct = (chosen > 0).sum(axis=1)
    # Rounds that reached 3 distinct members (or the most that any round reached).
    eligible = np.flatnonzero(distinct >= min(3, distinct.max()))
    best = eligible[int(np.argmax(history[eligible]))]
    out["min3"] = chosen[best] / chosen[best].sum()
    confirm = candidates(scores, positive, folds)
    out["shrink"], out["fold_bagged"] = confirm["shrink"], confirm["fold_bagged"]
    top = np.argsort(-singles, kind="stable")[:3]
    out["sorted3"] = selection(scores, positive, start=top)
    out["stack"] = stack(scores, positive)
    w = np.zeros(m)
    w[three] = 1 / len(three)
    out["mean3"] = w
    w = np.zeros(m)
    w[three] = selection(scores[three], positive)
    out["selection3"] = w
    w = np.zeros(m)
    w[int(np.argmax(singles))] = 1
    out["best_member"] = w
    return out


def smooth_threshold(positive, score):
    """Threshold at the maximum of the moving-averaged F1 curve over the cuts."""
    curve = threshold_curve(F1.objective, [(positive.astype(np.int64), score, None, None)])
    utility = F1.objective.utility(curve.result)
    width = max(1, int(round(np.sqrt(positive.sum()))))
    smoothed = np.convolve(np.pad(utility, (width // 2, width - 1 - width // 2), mode="edge"),
                           np.ones(width) / width, mode="valid")
    return float(curve.thresholds[int(np.argmax(smoothed))])


def thresholds(positive, score, rng, probability):
    """{rule: threshold} on the blended scores of the choosing rows."""
    out = {"raw": F1.best_threshold(positive, score),
           "smooth": smooth_threshold(positive, score)}
    boots = []
    for _ in range(BAGS):
        rows = rng.integers(0, len(score), len(score))
        if positive[rows].any():
            boots.append(F1.best_threshold(positive[rows], score[rows]))
    out["bagged"] = float(np.mean(boots))
    if probability:
        out["half"] = best_f1(positive, score) / 2
    return out


def quantiles(reference, values):
    """Empirical quantile of each value among the reference rows, per member."""
    return np.array([np.searchsorted(np.sort(r), v, side="right") / r.size
                     for r, v in zip(reference, values)])


def cross_fit(block, repeats, seed, confirm=False):
    """{recipe: test F1 per repeat} of one cached block.

    ``confirm``: only plain selection and the two candidates, exact-max thresholds.
    """
    proba, positive, folds = block["proba"], block["positive"], block["fold"]
    names = list(block["members"])
    out = {}
    for repeat in range(repeats):
        rng = np.random.default_rng(seed + repeat)
        decided = {}
        splitter = StratifiedKFold(5, shuffle=True, random_state=seed + repeat)
        for choose, decide in splitter.split(proba.T, positive):
            pos = positive[choose]
            views = {"": (proba[:, choose], proba[:, decide], True)}
            if not confirm:
                ranked = quantiles(proba[:, choose], proba[:, choose])
                views["rank_"] = (ranked, quantiles(proba[:, choose], proba[:, decide]), False)
            for prefix, (own, other, probability) in views.items():
                weights = (candidates(own, pos, folds[choose]) if confirm else
                           weightings(own, pos, folds[choose], names, rng, only=bool(prefix)))
                for name, w in weights.items():
                    cuts = ({"raw": F1.best_threshold(pos, w @ own)} if confirm else
                            thresholds(pos, w @ own, rng, probability))
                    for rule, t in cuts.items():
                        key = f"{prefix}{name}_{rule}"
                        decided.setdefault(key, np.zeros(len(positive), dtype=bool))
                        decided[key][decide] = w @ other >= t
        for key, pred in decided.items():
            out.setdefault(key, []).append(float(f1_score(positive, pred)))
    return out


def fit(args):
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    for name in CONFIRM_SETS if args.confirm else args.datasets:
        X, y = load_dataset(name, return_X_y=True)
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        for model in args.models:
            path = cache / f"{name}__{model}.npz"
            if path.exists():
                continue
            start = perf_counter()
            blend = _Recorder(get_model(model).build(args.seed), method="mean", refit=False,
                              random_state=args.seed).fit(X, y)
            pos = list(blend.classes_).index(blend.pos_label_)
            np.savez(path, proba=np.array([p[:, pos] for p in blend.recorded_]),
                     positive=blend.y_oof_ == blend.pos_label_,
                     fold=np.repeat(np.arange(len(blend.fold_sizes_)), blend.fold_sizes_),
                     members=np.array(blend.members_))
            print(f"{model} {name}: {perf_counter() - start:.1f}s", file=sys.stderr, flush=True)


def evaluate(args):
    rows = []
    if args.out and Path(args.out).exists():
        with open(args.out) as handle:
            rows = [json.loads(line) for line in handle]
    done = {(r["dataset"], r["model"]) for r in rows}
    for path in sorted(Path(args.cache).glob("*.npz")):
        dataset, model = path.stem.split("__")
        if (dataset, model) in done:
            continue
        start = perf_counter()
        with np.load(path) as data:
            block = dict(data)
        f1 = cross_fit(block, args.repeats, args.seed, confirm=args.confirm)
        row = dict(dataset=dataset, model=model, members=list(block["members"]), f1=f1)
        rows.append(row)
        if args.out:
            with open(args.out, "a") as handle:
                handle.write(json.dumps(row) + "\n")
        print(f"{model} {dataset}: {perf_counter() - start:.1f}s", file=sys.stderr, flush=True)
    summary(rows, sys.stdout, confirm=args.confirm)


def summary(rows, out, confirm=False):
    """Per model: each recipe's mean F1, its difference from the default, tests over the sets.

    ``confirm``: Holm over ``CANDIDATES``, then the confirmatory rule's verdict.
    """
    passed = {}
    for model in sorted({r["model"] for r in rows}):
        mine = [r for r in rows if r["model"] == model]
        keys = list(mine[0]["f1"])
        per_set = np.array([[np.mean(r["f1"][k]) for k in keys] for r in mine])
        per_repeat = np.array([np.concatenate([r["f1"][k] for r in mine]) for k in keys]).T
        base = keys.index(DEFAULT)
        ranks = average_ranks(per_set, names=keys).average_ranks
        tests = {k: wilcoxon_test(per_set[:, j], per_set[:, base])
                 for j, k in enumerate(keys) if j != base}
        family = [k for k in (CANDIDATES if confirm else FAMILY) if k in tests]
        holm = dict(zip(family, holm_adjust(np.array([tests[k].pvalue for k in family]))))
        gains = {k: per_set[:, keys.index(k)].mean() - per_set[:, base].mean() for k in family}
        passed[model] = {k: gains[k] for k in family if gains[k] > 0 and holm[k] < 0.05}
        repeats = len(mine[0]["f1"][DEFAULT])
        out.write(f"\n## {model}: {len(mine)} sets x {repeats} repeats\n\n"
                  "| recipe | mean F1 | minus default | sets W/T/L | Wilcoxon p (sets) | "
                  "Holm p (family) | set x repeat W/T/L | mean rank |\n"
                  "|---|---|---|---|---|---|---|---|\n")
        for j in np.argsort(-per_set.mean(axis=0), kind="stable"):
            k = keys[j]
            diff = per_repeat[:, j] - per_repeat[:, base]
            cells = ["-"] * 4
            if k in tests:
                t = tests[k]
                cells = [f"{t.wins}/{t.ties}/{t.losses}", f"{t.pvalue:.3g}",
                         f"{holm[k]:.3g}" if k in holm else "",
                         f"{(diff > 0).sum()}/{(diff == 0).sum()}/{(diff < 0).sum()}"]
            out.write(f"| {k} | {per_set[:, j].mean():.4f} | "
                      f"{per_set[:, j].mean() - per_set[:, base].mean():+.4f} | "
                      + " | ".join(cells) + f" | {ranks[j]:.2f} |\n")
    if confirm:
        both = [k for k in CANDIDATES if all(k in by for by in passed.values())]
        verdict = (max(both, key=lambda k: sum(by[k] for by in passed.values()))
                   if both and {"lr", "lgbm"} <= set(passed) else None)
        out.write(f"\nConfirmatory rule: {verdict or 'no candidate passes'}"
                  f"{' is adopted' if verdict else '; plain selection stays'}.\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fitting = commands.add_parser("fit", help="cache the members' out-of-fold probabilities")
    fitting.add_argument("cache")
    fitting.add_argument("--models", nargs="+", default=["lr", "lgbm"])
    fitting.add_argument("--datasets", nargs="+", default=DISCRIMINATING)
    fitting.add_argument("--confirm", action="store_true",
                         help="the confirmatory test's sets (CONFIRM_SETS) instead")
    fitting.add_argument("--seed", type=int, default=0)
    evaluating = commands.add_parser("evaluate", help="cross-fit every recipe on the cache")
    evaluating.add_argument("cache")
    evaluating.add_argument("--repeats", type=int, default=5)
    evaluating.add_argument("--seed", type=int, default=0)
    evaluating.add_argument("--confirm", action="store_true",
                            help="only selection and the two candidates; the confirmatory rule")
    evaluating.add_argument("--out", default=None,
                            help="append each block as a JSON line; blocks already there are "
                            "kept and skipped")
    summarising = commands.add_parser("summary", help="summarise saved blocks again")
    summarising.add_argument("blocks")
    summarising.add_argument("--confirm", action="store_true",
                             help="Holm over the two candidates and the confirmatory rule")
    args = parser.parse_args(argv)
    if args.command == "fit":
        fit(args)
    elif args.command == "evaluate":
        evaluate(args)
    else:
        with open(args.blocks) as handle:
            summary([json.loads(line) for line in handle], sys.stdout, confirm=args.confirm)


if __name__ == "__main__":
    main()
