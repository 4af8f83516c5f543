"""imbtool.threshold.TunedThresholdClassifier against scikit-learn's TunedThresholdClassifierCV.

    python benchmarks/bench_threshold.py [--repeats 3] [--quick]

Same estimator (StandardScaler + LogisticRegression), same folds
(StratifiedKFold(5)), F1 objective, so both see identical out-of-fold scores.

Task "synthetic": 300,000 x 20, 2% minority
(imbtool.datasets.make_imbalanced_classification). Times the whole ``fit`` of
both and the threshold search alone on the stored out-of-fold scores:
scikit-learn's own curve scorer (100 thresholds per fold, one ``f1_score`` call
each, interpolated mean over folds; model predictions replaced by the stored
scores) against our exact sweep in both fold modes. Peak memory growth of
each whole fit is measured in a fresh process.

Task "keel": on real KEEL data sets (imbtool.datasets), the out-of-fold F1 at
each method's chosen threshold, evaluated exactly on the same out-of-fold
scores (fold-averaged, as scikit-learn defines its objective, and pooled), and
held-out test F1 of both fitted on a stratified 70% and scored on the rest,
over three splits.
"""

import argparse
import sys

import numpy as np
from _common import in_subprocess, machine_line, measure, peak_mib
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import check_scoring, f1_score
from sklearn.metrics._scorer import _CurveScorer
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV, train_test_split
from sklearn.model_selection._classification_threshold import _mean_interpolated_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbtool.datasets import load_dataset, make_imbalanced_classification
from imbtool.threshold import TunedThresholdClassifier
from imbtool.threshold._objectives import FBeta
from imbtool.utils._sweep import threshold_curve as _curve

KEEL = ["ecoli1", "glass1", "haberman", "new_thyroid1", "pima", "vehicle0", "wisconsin",
        "yeast1", "yeast4", "yeast-0-5-6-7-9_vs_4", "segment0", "page-blocks0", "german",
        "abalone19", "satimage"]


def estimator():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def ours(aggregation="average"):
    return TunedThresholdClassifier(estimator(), scoring="f1", cv=StratifiedKFold(5),
                                    fold_aggregation=aggregation, store_cv_results=True)


def theirs():
    return TunedThresholdClassifierCV(estimator(), scoring="f1", cv=StratifiedKFold(5))


class _Stored(ClassifierMixin, BaseEstimator):
    """Returns stored scores, so the curve scorer's cost is the search alone."""

    def __init__(self, scores=None):
        self.scores = scores
        self.classes_ = np.array([0, 1])

    def predict_proba(self, X):
        return np.column_stack([1 - self.scores, self.scores])


def oof_scores(X, y):
    folds = []
    for train, val in StratifiedKFold(5).split(X, y):
        model = estimator().fit(X[train], y[train])
        folds.append((y[val], model.predict_proba(X[val])[:, 1]))
    return folds


def sklearn_search(folds):
    curve_scorer = _CurveScorer.from_scorer(check_scoring(estimator(), scoring="f1"),
                                            "predict_proba", 100)
    scores, thresholds = zip(*[curve_scorer(_Stored(s), np.empty((len(s), 0)), y)
                               for y, s in folds])
    lo, hi = min(t.min() for t in thresholds), max(t.max() for t in thresholds)
    grid = np.linspace(lo, hi, 100)
    mean = _mean_interpolated_score(grid, thresholds, scores)
    return grid[mean.argmax()]


def our_search(folds, aggregation):
    data = [(y, s, None, None) for y, s in folds]
    if aggregation == "pool":
        data = [(np.concatenate([d[0] for d in data]), np.concatenate([d[1] for d in data]),
                 None, None)]
    return _curve(FBeta(1.0), data).threshold


def synthetic(scale):
    return make_imbalanced_classification(300_000 // scale, 20, minority_share=0.02, overlap=0.5,
                                          random_state=0)


def task_synthetic(args, scale):
    X, y = synthetic(scale)
    print(f"\n## synthetic {X.shape[0]:,} x {X.shape[1]}, {y.mean():.1%} minority, F1, "
          "StratifiedKFold(5)")
    print("| what | method | median s | runs s | peak MiB |")
    print("|---|---|---|---|---|")
    extra = ["--quick"] if args.quick else []
    fits = {"imbtool (average)": lambda: ours("average").fit(X, y),
            "imbtool (pool)": lambda: ours("pool").fit(X, y),
            "sklearn TunedThresholdClassifierCV": lambda: theirs().fit(X, y)}
    timed = {}
    for name, fn in fits.items():
        timed[name] = measure(fn, args.repeats)
        peak = in_subprocess(sys.argv[0], "--peak-of", name, *extra)
        median, times, _ = timed[name]
        runs_s = ", ".join(f"{t:.2f}" for t in times)
        print(f"| whole fit | {name} | {median:.2f} | {runs_s} | {peak:.0f} |", flush=True)
    folds = oof_scores(X, y)
    searches = {"imbtool exact sweep (average)": lambda: our_search(folds, "average"),
                "imbtool exact sweep (pool)": lambda: our_search(folds, "pool"),
                "sklearn curve scorer, 100 thresholds": lambda: sklearn_search(folds)}
    searched = {name: measure(fn, args.repeats) for name, fn in searches.items()}
    for name, (median, times, _) in searched.items():
        print(f"| search only | {name} | {median:.4f} | {', '.join(f'{t:.4f}' for t in times)} | |")
    peer = timed["sklearn TunedThresholdClassifierCV"][0]
    print(f"whole-fit speed-up: average {peer / timed['imbtool (average)'][0]:.2f}x, "
          f"pool {peer / timed['imbtool (pool)'][0]:.2f}x")
    peer = searched["sklearn curve scorer, 100 thresholds"][0]
    average = searched["imbtool exact sweep (average)"][0]
    pool = searched["imbtool exact sweep (pool)"][0]
    print(f"search-only speed-up: average {peer / average:.0f}x, pool {peer / pool:.0f}x")
    a, b = timed["imbtool (average)"][2], timed["sklearn TunedThresholdClassifierCV"][2]
    at_theirs = a.cv_results_["scores"][np.searchsorted(a.cv_results_["thresholds"],
                                                        b.best_threshold_)]
    print(f"out-of-fold F1 (fold mean): imbtool {a.best_score_:.5f} at {a.best_threshold_:.5f}; "
          f"sklearn's threshold {b.best_threshold_:.5f} gives {at_theirs:.5f} "
          f"(sklearn reports {b.best_score_:.5f} from interpolation)")


def task_keel(args, names):
    print("\n## KEEL data sets: out-of-fold F1 at the chosen threshold (same OOF scores) "
          "and test F1")
    print("| data set | n | minority | OOF F1 avg: imbtool | sklearn thr "
          "| OOF F1 pooled: imbtool | sklearn thr | test F1 imbtool (3 splits) "
          "| test F1 sklearn | fit s imbtool | fit s sklearn |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    never_below, diffs = True, []
    for name in names:
        X, y = load_dataset(name, return_X_y=True)
        row = [name, str(len(y)), f"{y.mean():.3f}"]
        t_ours, _, avg = measure(lambda X=X, y=y: ours("average").fit(X, y), 1)
        t_theirs, _, sk = measure(lambda X=X, y=y: theirs().fit(X, y), 1)
        pool = ours("pool").fit(X, y)
        for fitted in (avg, pool):
            res = fitted.cv_results_
            at_theirs = res["scores"][np.searchsorted(res["thresholds"], sk.best_threshold_)]
            never_below &= fitted.best_score_ >= at_theirs - 1e-12
            row += [f"{fitted.best_score_:.4f}", f"{at_theirs:.4f}"]
        test_ours, test_theirs = [], []
        for seed in range(3):
            X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, stratify=y,
                                                      random_state=seed)
            test_ours.append(f1_score(y_te, ours("average").fit(X_tr, y_tr).predict(X_te)))
            test_theirs.append(f1_score(y_te, theirs().fit(X_tr, y_tr).predict(X_te)))
        diffs.append(np.mean(test_ours) - np.mean(test_theirs))
        row += [f"{np.mean(test_ours):.4f} ± {np.std(test_ours):.4f}",
                f"{np.mean(test_theirs):.4f} ± {np.std(test_theirs):.4f}",
                f"{t_ours:.2f}", f"{t_theirs:.2f}"]
        print("| " + " | ".join(row) + " |", flush=True)
    print(f"imbtool's OOF F1 never below sklearn's threshold's: {never_below}; "
          f"mean test-F1 difference (imbtool - sklearn) over {len(names)} sets: "
          f"{np.mean(diffs):+.4f} "
          f"(min {np.min(diffs):+.4f}, max {np.max(diffs):+.4f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="10x smaller synthetic set, 5 KEEL sets")
    parser.add_argument("--peak-of", metavar="METHOD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    if args.peak_of:
        X, y = synthetic(scale)
        make = {"imbtool (average)": lambda: ours("average"),
                "imbtool (pool)": lambda: ours("pool"),
                "sklearn TunedThresholdClassifierCV": theirs}[args.peak_of]
        make().fit(X[:2000], y[:2000])  # load libraries first: only the fit should count
        print(peak_mib(lambda: make().fit(X, y)))
        return
    print(machine_line())
    task_synthetic(args, scale)
    task_keel(args, KEEL[:5] if args.quick else KEEL)


if __name__ == "__main__":
    main()
