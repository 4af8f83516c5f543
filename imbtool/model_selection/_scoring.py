"""How ``RemedySearchCV`` scores a fold, with and without a tuned threshold."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import _safe_indexing

from ..evaluation._cv import positive_scorer
from ..threshold._objectives import OBJECTIVES, resolve_objective
from ..threshold._prior import prior_shift
from ..utils._sweep import confusion_sweep, take_cuts
from ..utils._sweep import threshold_curve as _curve

# Binary metrics (scikit-learn's average="binary"); multiclass targets get the macro average.
_MACRO = {"f1", "precision", "recall"}


class _PriorShifted(ClassifierMixin, BaseEstimator):
    """A fitted fold model whose probabilities are moved to the deployment prior, for scorers."""

    def __init__(self, fitted, training_prior, deployment_prior):
        self.fitted = fitted
        self.training_prior = training_prior
        self.deployment_prior = deployment_prior

    @property
    def classes_(self):
        return self.fitted.classes_

    def predict(self, X):
        return self.fitted.predict(X)

    def predict_proba(self, X):
        return prior_shift(self.fitted.predict_proba(X), self.training_prior,
                           self.deployment_prior)


class FoldScoring:
    """The search's metric on held-out folds.

    A name that is also a threshold objective (``"f1"``, ``"g_mean"``, ...) on a
    binary target is computed from the confusion counts with the positive class
    ``pos_label`` (the search's ``pos_label_``), so labels of any type work and
    the same code scores the default decisions and every tuned threshold.
    Anything else is a scorer; an imbtool metric name on a binary target gets
    ``pos_label`` too, so every held-out fold scores the training minority.
    scikit-learn names get none (their scorers fix their own).
    """

    def __init__(self, scoring, classes, pos_label=None):
        self.binary = classes.size == 2
        self.pos_label = pos_label if self.binary else None
        self.objective = None
        self.scorer = None
        self.threshold_reason = ""
        if isinstance(scoring, str) and scoring in OBJECTIVES and self.binary:
            self.objective = resolve_objective(scoring)
        else:
            name = f"{scoring}_macro" if isinstance(scoring, str) and scoring in _MACRO else scoring
            self.scorer = positive_scorer(name, self.pos_label)
            self.threshold_reason = (
                "threshold tuning needs a binary target" if not self.binary else
                "threshold tuning needs a confusion-matrix scoring "
                f"({', '.join(sorted(OBJECTIVES))}); got {scoring!r}"
            )

    def needs_proba(self):
        method = getattr(self.scorer, "_response_method", None)
        methods = (method,) if isinstance(method, str) else tuple(method or ())
        return bool(methods) and set(methods) <= {"predict_proba", "predict_log_proba"}

    def __call__(self, estimator, X, y):
        if self.objective is None:
            return float(self.scorer(estimator, X, y))
        predicted = np.asarray(estimator.predict(X)) == self.pos_label
        return self.at_threshold(np.asarray(y) == self.pos_label, predicted.astype(float), 1.0)

    def at_threshold(self, positive, score, threshold):
        """Objective (greater is better) when ``score >= threshold`` is predicted positive."""
        counts = take_cuts(confusion_sweep(positive.astype(np.int64), score), [threshold])
        result = self.objective.finalize(self.objective.components(counts))
        return float(self.objective.utility(result)[0])

    def best_threshold(self, positive, score):
        """Exact maximiser of the objective over the cuts of ``score`` (None if infeasible)."""
        curve = _curve(self.objective, [(positive.astype(np.int64), score, None, None)])
        return None if curve.index is None else float(curve.threshold)

    def cross_fitted(self, y, folds, scores):
        """Per-fold scores of a threshold tuned on the other folds' held-out scores.

        ``folds`` are index arrays of held-out parts, ``scores`` the candidate's
        scores on them. Fold ``k`` is scored at the threshold that maximises the
        objective on the pooled held-out scores of every other fold, so its own
        labels never choose its threshold and no model is fitted again.
        """
        positive = np.asarray(_safe_indexing(y, np.concatenate(folds))) == self.pos_label
        sizes = np.cumsum([0] + [len(f) for f in folds])
        pooled = np.concatenate(scores)
        values = []
        for k in range(len(folds)):
            own = np.zeros(len(pooled), dtype=bool)
            own[sizes[k]:sizes[k + 1]] = True
            threshold = self.best_threshold(positive[~own], pooled[~own]) if (~own).any() else None
            values.append(np.nan if threshold is None else
                          self.at_threshold(positive[own], pooled[own], threshold))
        return values
