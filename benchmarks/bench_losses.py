"""LDAM, logit-adjusted and dice losses in LightGBM / XGBoost: quality, peer, fit time.

    python benchmarks/bench_losses.py --task quality [--sets NAME ... | --sets multiclass]
    python benchmarks/bench_losses.py --task peer [--sets NAME ...]
    python benchmarks/bench_losses.py --task overhead [--n 1000000] [--repeats 3] [--rounds 100]
        [--problems binary "5 classes"] [--losses focal ldam logit_adjusted dice]

``--booster xgboost`` runs the quality and overhead tasks with
XGBImbalancedClassifier (depth-6 trees, XGBoost's default, instead of 31
leaves; needs xgboost) instead of LGBMImbalancedClassifier.

Task "quality": on binary KEEL sets of imbtool.datasets (``--sets
multiclass``: the shipped multiclass sets, ``list_datasets(task="multiclass")``),
stratified 5-fold (shuffled, seed 0), the pooled
out-of-fold predictions (the default decision of each model, no threshold
tuning) of LightGBM with its built-in objective, with
``class_weight="balanced"``, focal loss, LDAM, LDAM with deferred
re-weighting (class-balanced weights, beta=0.999, from half the rounds on),
the logit-adjusted loss (tau=1), dice loss, and post-hoc logit adjustment
(``LogitAdjustedClassifier``, tau=1) of the built-in model. All 100 rounds,
31 leaves, learning rate 0.1, one thread. Macro-F1, balanced accuracy and
G-mean per set, then average ranks, the Friedman test and the Nemenyi
critical difference (imbtool.evaluation) per metric.

Task "peer": the class-balanced GBDT losses of ``gbdtCBL`` (Luo et al.,
Neurocomputing 2025) against imbtool's losses of the same definition --
focal (theirs ``FLLoss(r1=gamma)`` = imbtool ``FocalLoss(alpha=0.5)`` times
2), weighted cross-entropy (``WCELoss(r1=w)`` = ``WeightedLogLoss(w)``) and
class-balanced cross-entropy (``CBELoss(b)`` = effective-number class
weights, up to one constant factor): the largest gradient and Hessian
difference on random margins, then on the same folds as "quality" the
scores (theirs predict with the sign of the raw margin) and the summed fit
time of gbdtCBL, of imbtool as it is used (started from the loss's
constant-model optimum; class-balanced CE with imbtool's normalised
weights) and of imbtool like for like (their gradients and their start,
margin 0), whose trees and out-of-fold margins are compared with theirs.
Skipped when ``gbdtCBL`` is not importable.

Task "overhead": fit time of the booster's built-in objective (LightGBM's,
or XGBoost's binary:logistic / multi:softprob) against each
custom loss on ``--n`` x 20 (binary: 2% minority,
make_imbalanced_classification; 5 classes: make_classification with class
shares 0.6/0.2/0.1/0.07/0.03), ``--rounds`` rounds (100) on both sides,
31 leaves (XGBoost: depth 6), ``--threads`` booster threads, median wall and CPU time of
``--repeats`` runs in one
process (the losses in turn within each repeat), and the time of one
gradient/Hessian call on as many threads.
"""

import argparse
import time

import lightgbm
import numpy as np
from _common import machine_line
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from imbtool.boosters import LGBMImbalancedClassifier, XGBImbalancedClassifier
from imbtool.cost import (
    DiceLoss,
    FocalLoss,
    LDAMLoss,
    LogitAdjustedClassifier,
    LogitAdjustedLoss,
    WeightedLogLoss,
    compute_class_weight,
)
from imbtool.datasets import list_datasets, load_dataset, make_imbalanced_classification
from imbtool.evaluation import friedman_test, nemenyi_test
from imbtool.metrics import geometric_mean_score
from imbtool.utils._threads import numba_threads

DATASETS = ["ecoli1", "glass1", "haberman", "new_thyroid1", "pima", "wisconsin", "yeast1",
            "vehicle0", "yeast-0-5-6-7-9_vs_4", "german", "segment0", "yeast4", "page-blocks0",
            "abalone19", "satimage"]
COMMON = {"n_estimators": 100, "learning_rate": 0.1, "num_leaves": 31, "n_jobs": 1,
          "device": "cpu", "random_state": 0}
BACKENDS = {
    "lightgbm": (LGBMImbalancedClassifier, COMMON),
    "xgboost": (XGBImbalancedClassifier, {"n_estimators": 100, "learning_rate": 0.1,
                                          "max_depth": 6, "n_jobs": 1, "device": "cpu",
                                          "random_state": 0}),
}
# The booster of the quality and overhead tasks (--booster); the peer task is LightGBM's.
BACKEND = {"name": "lightgbm"}


def _model(loss, **params):
    cls, common = BACKENDS[BACKEND["name"]]
    return cls(loss, **{**common, **params})


def _booster(loss, **params):
    return lambda: _model(loss, **params)


METHODS = {
    "built-in": _booster("logloss"),
    "balanced": _booster("logloss", class_weight="balanced"),
    "focal": _booster("focal"),
    "ldam": _booster("ldam"),
    "ldam+drw": _booster("ldam", class_weight="effective_number", class_weight_start=0.5),
    "logit-adj loss": _booster("logit_adjusted"),
    "dice": _booster("dice"),
    "post-hoc LA": lambda: LogitAdjustedClassifier(_model("logloss")),
}
METRICS = {
    "macro-F1": lambda y, p: f1_score(y, p, average="macro"),
    "balanced accuracy": balanced_accuracy_score,
    "G-mean": geometric_mean_score,
}
FOLDS = StratifiedKFold(5, shuffle=True, random_state=0)


def _leaves(model):
    """Leaves of every tree of a fitted LightGBM model (imbtool's, or one wrapped in .model)."""
    booster = getattr(model, "booster_", None) or model.model.booster_
    if not isinstance(booster, lightgbm.Booster):
        return []  # the peer task's statistic; XGBoost's trees are not counted
    return [tree["num_leaves"] for tree in booster.dump_model()["tree_info"]]


def out_of_fold(make, X, y):
    """Pooled out-of-fold predictions and margins (binary models with ``decision_function``;
    else None), the summed fit time and the leaves of every tree."""
    pred = np.empty(len(y), dtype=y.dtype)
    margins = np.empty(len(y)) if len(np.unique(y)) == 2 else None
    seconds, leaves = 0.0, []
    for train, test in FOLDS.split(X, y):
        start = time.perf_counter()
        model = make()
        model.fit(X[train], y[train])
        seconds += time.perf_counter() - start
        pred[test] = model.predict(X[test])
        if margins is not None and hasattr(model, "decision_function"):
            margins[test] = model.decision_function(X[test])
        else:
            margins = None
        if hasattr(model, "booster_") or hasattr(model, "model"):
            leaves += _leaves(model)
    return pred, margins, seconds, leaves


def quality(names):
    if names == ["multiclass"]:
        names = [d["name"] for d in list_datasets(task="multiclass")]
    kind = "multiclass" if names[0].endswith("-multiclass") else "binary"
    print(f"\n## {BACKEND['name']} losses, {kind} sets, stratified 5-fold, pooled out-of-fold "
          "predictions at each model's default decision")
    table = {metric: np.empty((len(names), len(METHODS))) for metric in METRICS}
    for i, name in enumerate(names):
        X, y = load_dataset(name, return_X_y=True)
        for j, make in enumerate(METHODS.values()):
            pred, *_ = out_of_fold(make, X, y)
            for metric, score in METRICS.items():
                table[metric][i, j] = score(y, pred)
        print(f"{name} (n={len(y)}, {len(np.unique(y))} classes, smallest "
              f"{np.bincount(y).min() / len(y):.3f}): "
              + "; ".join(f"{metric} " + " ".join(f"{v:.3f}" for v in table[metric][i])
                          for metric in METRICS), flush=True)
    methods = list(METHODS)
    for metric, scores in table.items():
        print(f"\n### {metric} (methods: {', '.join(methods)})")
        print("| method | mean | average rank | best on |")
        print("|---|---|---|---|")
        friedman = friedman_test(scores, names=methods)
        best = scores.max(axis=1, keepdims=True)
        for j, method in enumerate(methods):
            print(f"| {method} | {scores[:, j].mean():.3f} | {friedman.average_ranks[j]:.2f} | "
                  f"{int(np.sum(scores[:, j] == best[:, 0]))} |")
        nemenyi = nemenyi_test(scores, names=methods)
        pairs = [f"{methods[a]} > {methods[b]}"
                 for a in range(len(methods)) for b in range(len(methods))
                 if nemenyi.significant[a, b]
                 and friedman.average_ranks[a] < friedman.average_ranks[b]]
        print(f"Friedman chi2 {friedman.statistic:.2f}, p = {friedman.pvalue:.3g} "
              f"(Iman-Davenport p = {friedman.iman_davenport_pvalue:.3g}); Nemenyi CD "
              f"{nemenyi.critical_difference:.2f} at alpha 0.05 over {len(names)} sets; "
              f"significant pairs: {', '.join(pairs) or 'none'}")


# imbtool's boosting started from margin 0, as LightGBM starts a custom objective without an
# init_score (gbdtCBL's start), instead of from the loss's constant-model optimum.
FROM_ZERO = {"booster_params": {"boost_from_average": False}}


class _RawClassBalanced:
    """imbtool's booster on gbdtCBL's class-balanced weights, ``(1 - beta) / (1 - beta**n_c)``
    unnormalised (imbtool's ``"effective_number"`` rescales them to sum to the class count),
    started from margin 0 as gbdtCBL is: their model, like for like."""

    def __init__(self, beta):
        self.beta = beta

    def fit(self, X, y):
        raw = (1 - self.beta) / (1 - self.beta ** np.bincount(y))
        self.model = LGBMImbalancedClassifier(LogitAdjustedLoss(tau=0.0),
                                              class_weight=dict(enumerate(raw)),
                                              **COMMON, **FROM_ZERO).fit(X, y)
        return self

    def predict(self, X):
        return self.model.predict(X)

    def decision_function(self, X):
        return self.model.decision_function(X)


class _PeerBooster:
    """LGBMClassifier on a gbdtCBL objective; labels from the sign of the raw margin."""

    def __init__(self, objective):
        self.objective = objective

    def fit(self, X, y):
        params = {k: v for k, v in COMMON.items() if k not in ("device",)}
        self.model = lightgbm.LGBMClassifier(objective=self.objective, verbose=-1,
                                             **params).fit(X, y)
        return self

    def predict(self, X):
        return (self.decision_function(X) > 0).astype(int)

    def decision_function(self, X):
        return self.model.predict(X, raw_score=True)


def peer(names):
    try:
        from gbdtCBL.binary import CBELoss, FLLoss, WCELoss
    except ImportError:
        print("\ngbdtCBL is not importable: peer comparison skipped.")
        return
    rng = np.random.default_rng(0)
    # Margins within |z| < 12: their clip of p to [1e-7, 1 - 1e-7] changes nothing there.
    z = rng.uniform(-12, 12, 20_000)
    y = (rng.random(z.size) < 0.1).astype(int)
    beta = 0.999
    counts = np.bincount(y)
    raw_cb = (1 - beta) / (1 - beta**counts)
    ours_cb = compute_class_weight("effective_number", y=y, beta=beta)
    pairs = {
        "focal gamma=2": (FLLoss(r1=2.0), FocalLoss(alpha=0.5, gamma=2.0), 2.0),
        "weighted CE w=10": (WCELoss(r1=10.0), WeightedLogLoss(pos_weight=10.0), 1.0),
        "class-balanced CE beta=0.999": (CBELoss(b=beta), WeightedLogLoss(pos_weight=ours_cb),
                                         raw_cb[0] / ours_cb[0]),
    }
    print("\n## gbdtCBL 0.2.0 against imbtool: gradients on 20,000 margins in (-12, 12)")
    print("| loss | max abs grad diff | max abs hess diff | imbtool factor |")
    print("|---|---|---|---|")
    for label, (theirs, ours, factor) in pairs.items():
        g_t, h_t = theirs(y, z)
        _, g_o, h_o = ours.gradient_hessian(y, z, exact=True)
        print(f"| {label} | {np.abs(g_t - factor * g_o).max():.2e} | "
              f"{np.abs(h_t - factor * h_o).max():.2e} | {factor:.4g} |")
    # Each loss: gbdtCBL, imbtool as it is used, and imbtool like for like: the same gradients
    # as theirs (focal: alpha 1 for both classes, theirs without imbtool's factor 1/2;
    # class-balanced CE: their unnormalised weights, whose small Hessian sums LightGBM's
    # min_sum_hessian_in_leaf then reads) and their start, margin 0.
    makers = {
        "focal gamma=2": [lambda: _PeerBooster(FLLoss(r1=2.0)),
                          _booster(FocalLoss(alpha=0.5, gamma=2.0)),
                          _booster(FocalLoss(alpha=[1.0, 1.0], gamma=2.0), **FROM_ZERO)],
        # Weighted CE: the same definition both ways (the minority is label 1 in every set
        # here, the class both weight); as used it starts from the loss's optimum.
        "weighted CE w=10": [lambda: _PeerBooster(WCELoss(r1=10.0)),
                             _booster(WeightedLogLoss(pos_weight=10.0)),
                             _booster(WeightedLogLoss(pos_weight=10.0), **FROM_ZERO)],
        "class-balanced CE beta=0.999": [
            lambda: _PeerBooster(CBELoss(b=beta)),
            _booster(LogitAdjustedLoss(tau=0.0), class_weight="effective_number", beta=beta),
            lambda: _RawClassBalanced(beta)],
    }
    print("\n## Same folds, same LightGBM settings: gbdtCBL / imbtool / imbtool like for like "
          "(their gradients and start); the last column compares the like-for-like model with "
          "theirs: the leaf count of every tree equal?, largest |out-of-fold margin difference|")
    print("| data set | loss | macro-F1 | balanced accuracy | G-mean | fit s (5 folds) | "
          "leaves per tree | like for like: same leaf counts, max margin diff |")
    print("|---|---|---|---|---|---|---|---|")
    totals = {label: np.zeros(len(makes)) for label, makes in makers.items()}
    # Leaves and trees grown by each maker over all sets and folds: time per leaf compares
    # the cost of the loss apart from the size of the trees it grows.
    grown = {label: np.zeros((len(makes), 2)) for label, makes in makers.items()}
    scores = {label: [[] for _ in makes] for label, makes in makers.items()}
    # Like for like against theirs: sets whose trees all have the same leaf counts, and the
    # largest out-of-fold margin difference over all sets.
    alike = {label: [0, 0.0] for label in makers}
    for name in names:
        X, y = load_dataset(name, return_X_y=True)
        for label, makes in makers.items():
            cells, seconds, leaves, margins, trees = [], [], [], [], []
            for k, make in enumerate(makes):
                pred, margin, sec, leaf = out_of_fold(make, X, y)
                cells.append([score(y, pred) for score in METRICS.values()])
                scores[label][k].append(cells[-1])
                seconds.append(sec)
                leaves.append(np.mean(leaf))
                margins.append(margin)
                trees.append(leaf)
                grown[label][k] += sum(leaf), len(leaf)
            totals[label] += seconds
            same = trees[-1] == trees[0]
            gap = np.abs(margins[-1] - margins[0]).max()
            alike[label][0] += same
            alike[label][1] = max(alike[label][1], gap)
            print(f"| {name} | {label} | "
                  + " | ".join(" / ".join(f"{v:.3f}" for v in column)
                               for column in zip(*cells))
                  + f" | {' / '.join(f'{t:.2f}' for t in seconds)} | "
                  f"{' / '.join(f'{v:.1f}' for v in leaves)} | "
                  f"{'yes' if same else 'no'}, {gap:.1e} |", flush=True)
    for label, total in totals.items():
        means = [np.mean(np.array(s), axis=0) for s in scores[label]]
        print(f"{label}: total fit {' / '.join(f'{t:.1f}' for t in total)} s; mean "
              f"macro-F1, balanced accuracy, G-mean: "
              + "; ".join(" ".join(f"{v:.3f}" for v in m) for m in means)
              + "; leaves per tree " + " / ".join(f"{a / b:.1f}" for a, b in grown[label])
              + "; ms per 1,000 leaves "
              + " / ".join(f"{1e6 * t / a:.1f}" for t, (a, _) in zip(total, grown[label]))
              + f"; like for like: the same leaf counts on {alike[label][0]} of {len(names)} "
              f"sets, largest margin difference {alike[label][1]:.1e}")


def _timed(fit):
    """Wall and CPU seconds of one call: with one thread the CPU time is the work done,
    which other processes on a shared machine stretch far less than the wall time."""
    wall, cpu = time.perf_counter(), time.process_time()
    fit()
    return time.perf_counter() - wall, time.process_time() - cpu


def overhead(n, repeats, threads, rounds, problems, names):
    data = {
        "binary": lambda: make_imbalanced_classification(n, 20, minority_share=0.02,
                                                         random_state=0),
        "5 classes": lambda: make_classification(n, 20, n_informative=10, n_classes=5,
                                                 random_state=0,
                                                 weights=[0.6, 0.2, 0.1, 0.07, 0.03]),
    }
    losses = {"built-in logloss": "logloss", "focal": "focal", "ldam": "ldam",
              "logit_adjusted": "logit_adjusted", "dice": "dice"}
    # The built-in objective always runs, interleaved with the losses chosen (--losses).
    losses = {k: v for k, v in losses.items() if v == "logloss" or v in names}
    for label in problems:
        X, y = data[label]()
        trees = "31 leaves" if BACKEND["name"] == "lightgbm" else "depth 6"
        print(f"\n## {BACKEND['name']} fit time, {n:,} x 20, {label}, {rounds} rounds, {trees}, "
              f"{threads or 'all'} thread(s), median of {repeats} (losses in turn each repeat)")
        print("| loss | median wall s | median CPU s | runs wall s | wall ratio | CPU ratio |")
        print("|---|---|---|---|---|---|")
        runs = {name: [] for name in losses}
        for loss in losses.values():  # compile (or load) the kernels outside the timings
            _model(loss, n_estimators=2, n_jobs=threads).fit(X[:2000], y[:2000])
        # Round-robin, so that a change of machine load falls on every loss alike.
        for _ in range(repeats):
            for name, loss in losses.items():
                runs[name].append(_timed(lambda loss=loss, X=X, y=y: _model(
                    loss, n_estimators=rounds, n_jobs=threads).fit(X, y)))
        base = np.median(np.array(runs["built-in logloss"]), axis=0)
        for name, times in runs.items():
            wall, cpu = np.median(np.array(times), axis=0)
            print(f"| {name} | {wall:.2f} | {cpu:.2f} | "
                  f"{', '.join(f'{t:.2f}' for t, _ in times)} | {wall / base[0]:.2f}x | "
                  f"{cpu / base[1]:.2f}x |", flush=True)
        z = np.random.default_rng(0).normal(size=(n,) if label == "binary" else (n, 5))
        for loss in (FocalLoss(), LDAMLoss(), LogitAdjustedLoss(), DiceLoss()):
            if loss.name.removesuffix("_loss") not in names:
                continue
            # A call on its own checks labels, weights and parameters and allocates its
            # arrays; a fit's objective does that once (its first call) and then only this.
            ms = []
            for objective in (loss, loss._fit_rounds(y, z)):
                with numba_threads(threads):
                    objective(y, z)  # compile and warm up
                    start = time.perf_counter()
                    for _ in range(5):
                        objective(y, z)
                ms.append((time.perf_counter() - start) / 5 * 1e3)
            print(f"one {type(loss).__name__} gradient+Hessian, {label}: {ms[0]:.1f} ms alone, "
                  f"{ms[1]:.1f} ms as a fit's objective")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=["quality", "peer", "overhead"], required=True)
    parser.add_argument("--sets", nargs="+", default=DATASETS)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=100,
                        help="boosting rounds of the overhead fits, the same for every loss")
    parser.add_argument("--problems", nargs="+", choices=["binary", "5 classes"],
                        default=["binary", "5 classes"], help="problems of the overhead task")
    parser.add_argument("--losses", nargs="+", choices=["focal", "ldam", "logit_adjusted", "dice"],
                        default=["focal", "ldam", "logit_adjusted", "dice"],
                        help="losses of the overhead task (each beside the built-in objective)")
    parser.add_argument("--booster", choices=list(BACKENDS), default="lightgbm",
                        help="booster of the quality and overhead tasks")
    parser.add_argument("--threads", type=int, default=None,
                        help="LightGBM threads of the overhead fits (default: all cores)")
    args = parser.parse_args()
    BACKEND["name"] = args.booster
    print(machine_line())
    if args.task == "quality":
        quality(args.sets)
    elif args.task == "peer":
        peer(args.sets)
    else:
        overhead(args.n, args.repeats, args.threads, args.rounds, args.problems, args.losses)


if __name__ == "__main__":
    main()
