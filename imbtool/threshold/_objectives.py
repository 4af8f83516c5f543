"""Objectives of a decision threshold, vectorised over all cuts of a score.

Every objective maps arrays of weighted confusion counts ``(tp, fp, fn, tn)``
-- one entry per cut -- to one value per cut, so a whole threshold curve costs
a few array operations. Undefined ratios (0/0) are 0, as scikit-learn's
``zero_division=0``; a constraint on an undefined ratio is not met.
"""

import numbers
import warnings

import numpy as np
from sklearn.utils import Bunch

from ..cost import cost_optimal_threshold
from ..utils._costs import check_cost_matrix, make_cost_matrix
from ..utils._tolerance import TIE_TOLERANCE
from ..utils._warnings import ImbtoolFutureWarning


def _ratio(num, den):
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)


def _ratio_or_nan(num, den):
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den != 0)


def precision(tp, fp, fn, tn):
    return _ratio(tp, tp + fp)


def recall(tp, fp, fn, tn):
    return _ratio(tp, tp + fn)


def specificity(tp, fp, fn, tn):
    return _ratio(tn, tn + fp)


def accuracy(tp, fp, fn, tn):
    return _ratio(tp + tn, tp + fp + fn + tn)


def balanced_accuracy(tp, fp, fn, tn):
    return (recall(tp, fp, fn, tn) + specificity(tp, fp, fn, tn)) / 2


def g_mean(tp, fp, fn, tn):
    return np.sqrt(recall(tp, fp, fn, tn) * specificity(tp, fp, fn, tn))


def youden_j(tp, fp, fn, tn):
    return recall(tp, fp, fn, tn) + specificity(tp, fp, fn, tn) - 1


def mcc(tp, fp, fn, tn):
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return _ratio(tp * tn - fp * fn, den)


def cohen_kappa(tp, fp, fn, tn):
    n = tp + fp + fn + tn
    observed = _ratio(tp + tn, n)
    chance = _ratio((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn), n * n)
    return _ratio(observed - chance, 1 - chance)


def fbeta(tp, fp, fn, tn, beta=1.0):
    b2 = beta**2
    return _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)


class Objective:
    """Base class of threshold objectives.

    Subclasses define ``components(counts)`` (a dict of per-cut arrays, which
    are averaged over folds when folds are averaged) and ``finalize(parts)``
    returning ``Bunch(score, feasible, tiebreak)``: ``score`` in the metric's
    own units, ``feasible`` a mask or None, ``tiebreak`` (larger wins) or
    None. ``greater_is_better`` gives the direction of ``score``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import Objective
    >>> class TruePositives(Objective):
    ...     def components(self, counts):
    ...         return {"score": np.asarray(counts["tp"], dtype=float)}
    >>> objective = TruePositives()
    >>> objective.finalize(objective.components({"tp": [3, 1]})).score
    array([3., 1.])
    """

    greater_is_better = True

    def components(self, counts):
        """Per-cut arrays of the objective, from the confusion counts.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut.

        Returns
        -------
        parts : dict
            Arrays of one value per cut; subclasses define them.
        """
        raise NotImplementedError

    def finalize(self, parts):
        """Score, feasibility and tie-break of every cut.

        Parameters
        ----------
        parts : dict
            The arrays of ``components``, averaged over folds when folds are
            averaged.

        Returns
        -------
        result : Bunch
            ``score`` in the metric's own units, ``feasible`` a mask or None,
            ``tiebreak`` (larger wins) or None.
        """
        return Bunch(score=parts["score"], feasible=None, tiebreak=None)

    def utility(self, result):
        """Greater-is-better version of ``result.score`` used to pick the cut.

        Parameters
        ----------
        result : Bunch
            The result of ``finalize``.

        Returns
        -------
        utility : ndarray
            ``result.score``, negated when smaller scores are better.
        """
        return result.score if self.greater_is_better else -result.score

    def infeasible_message(self, parts):
        """Why no cut is admissible, for the error message.

        Parameters
        ----------
        parts : dict
            The arrays of ``components``.

        Returns
        -------
        message : str
            The reason, with what the data can reach where known.
        """
        return "no threshold is admissible"

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and repr(self) == repr(other)

    __hash__ = object.__hash__


class CountMetric(Objective):
    """An objective from a vectorised function of the confusion counts.

    Parameters
    ----------
    func : callable
        ``func(tp, fp, fn, tn) -> ndarray``: takes four float arrays of equal
        length (weighted counts at every cut) and returns one value per cut.
        NaN values never win.
    greater_is_better : bool, default=True
        Direction of ``func``.
    name : str, default=None
        Shown in messages and ``repr``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import CountMetric
    >>> net_gain = CountMetric(lambda tp, fp, fn, tn: 10 * tp - fp, name="net_gain")
    >>> net_gain.finalize(net_gain.components(dict(tp=np.array([3.0]), fp=np.array([4.0]),
    ...                                            fn=np.array([1.0]), tn=np.array([9.0])))).score
    array([26.])
    """

    def __init__(self, func, greater_is_better=True, name=None):
        self.func = func
        self.greater_is_better = greater_is_better
        self.name = name

    def components(self, counts):
        """Per-cut arrays of ``func``.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut.

        Returns
        -------
        parts : dict
            ``score``: the value of ``func`` at every cut.
        """
        tp, fp, fn, tn = (np.asarray(counts[k], dtype=float) for k in ("tp", "fp", "fn", "tn"))
        value = np.asarray(self.func(tp, fp, fn, tn), dtype=float)
        if value.shape != tp.shape:
            raise ValueError(
                f"The objective {self.name or self.func!r} must return one value per cut "
                f"(shape {tp.shape}) from arrays (tp, fp, fn, tn); it returned shape "
                f"{value.shape}. Write it with numpy operations on whole arrays."
            )
        return {"score": value}

    def __repr__(self):
        return self.name or f"CountMetric({getattr(self.func, '__name__', self.func)})"


class FBeta(Objective):
    """F-beta of the positive class; ``beta > 1`` weights recall more.

    Parameters
    ----------
    beta : float, default=1.0
        Positive weight of recall relative to precision.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import FBeta
    >>> f2 = FBeta(beta=2.0)
    >>> counts = dict(tp=np.array([3.0]), fp=np.array([4.0]), fn=np.array([1.0]),
    ...               tn=np.array([2.0]))
    >>> f2.finalize(f2.components(counts)).score.round(4)
    array([0.6522])
    """

    def __init__(self, beta=1.0):
        if not (isinstance(beta, numbers.Real) and beta > 0):
            raise ValueError(f"beta must be a positive number; got {beta!r}.")
        self.beta = beta

    def components(self, counts):
        """Per-cut arrays of F-beta.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut.

        Returns
        -------
        parts : dict
            ``score``: F-beta at every cut.
        """
        return {"score": fbeta(counts["tp"], counts["fp"], counts["fn"], counts["tn"], self.beta)}


class ExpectedCost(Objective):
    """Expected misclassification cost per sample, to be minimised.

    The cost of an operating point is ``sum_i w_i C_i[y_i, pred_i] / sum_i
    w_i``. ``C`` is the cost matrix (rows: true class, columns: predicted
    class, in the order negative, positive, the positive class being the
    tuner's ``pos_label_`` -- or ``classes_`` order for
    multiclass), the same for every sample unless per-sample matrices are
    passed to ``fit(..., sample_cost=...)`` (see :func:`make_cost_matrix`).

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``C[true, pred]``, the layout of every imbtool cost matrix:
        non-negative, the correct call of each row no dearer than a mistake
        (the rules of :class:`~imbtool.cost.CostSensitiveClassifier`). When
        None, built from the four scalars below.
    cost_fp, cost_fn, cost_tp, cost_tn : float, default=1.0, 1.0, 0.0, 0.0
        Binary costs of a false positive, false negative, true positive and
        true negative (used only when ``cost_matrix`` is None).

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import ExpectedCost
    >>> cost = ExpectedCost(cost_fp=1.0, cost_fn=10.0)
    >>> cost.matrix().tolist()
    [[0.0, 1.0], [10.0, 0.0]]
    >>> counts = dict(tp=np.array([2.0]), fp=np.array([3.0]), fn=np.array([1.0]),
    ...               tn=np.array([4.0]), n=np.array([10.0]), cost=None)
    >>> cost.finalize(cost.components(counts)).score
    array([1.3])
    """

    greater_is_better = False

    def __init__(self, cost_matrix=None, *, cost_fp=1.0, cost_fn=1.0, cost_tp=0.0, cost_tn=0.0):
        self.cost_matrix = cost_matrix
        self.cost_fp = cost_fp
        self.cost_fn = cost_fn
        self.cost_tp = cost_tp
        self.cost_tn = cost_tn

    def matrix(self, n_classes=2):
        """The validated cost matrix.

        Parameters
        ----------
        n_classes : int, default=2
            Number of classes; the four scalar costs describe 2 only.

        Returns
        -------
        cost_matrix : ndarray of shape (n_classes, n_classes)
            ``C[true, pred]``.
        """
        if self.cost_matrix is None:
            if n_classes != 2:
                raise ValueError(
                    f"ExpectedCost needs cost_matrix= of shape ({n_classes}, {n_classes}) for "
                    f"{n_classes} classes; cost_fp/cost_fn describe binary problems only."
                )
            return make_cost_matrix(
                cost_fp=self.cost_fp, cost_fn=self.cost_fn, cost_tp=self.cost_tp,
                cost_tn=self.cost_tn,
            )
        return check_cost_matrix(self.cost_matrix, n_classes)

    def components(self, counts):
        """Per-cut arrays of the expected cost per sample.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut, with ``n`` (total weight) and ``cost`` (the weighted total
            cost of per-sample matrices, or None).

        Returns
        -------
        parts : dict
            ``score``: the cost per sample at every cut.
        """
        if counts.get("cost") is not None:
            total = counts["cost"]
        else:
            (c_tn, c_fp), (c_fn, c_tp) = self.matrix()
            total = (c_tn * counts["tn"] + c_fp * counts["fp"]
                     + c_fn * counts["fn"] + c_tp * counts["tp"])
        return {"score": total / counts["n"]}


class _Constrained(Objective):
    """Maximise one rate subject to a bound on another."""

    _maximised = _bounded = _bound_name = ""
    _at_least = True

    def _bound(self):
        return getattr(self, self._bound_name)

    def finalize(self, parts):
        """Score, feasibility and tie-break of every cut.

        Parameters
        ----------
        parts : dict
            The arrays of ``components``, averaged over folds when folds are
            averaged.

        Returns
        -------
        result : Bunch
            ``score`` in the metric's own units, ``feasible`` a mask or None,
            ``tiebreak`` (larger wins) or None.
        """
        bound = self._bound()
        rate = parts[self._bounded]
        with np.errstate(invalid="ignore"):
            if self._at_least:
                feasible = rate >= bound - TIE_TOLERANCE
            else:
                feasible = rate <= bound + TIE_TOLERANCE
        feasible &= ~np.isnan(rate)
        return Bunch(
            score=parts[self._maximised],
            feasible=feasible,
            tiebreak=rate if self._at_least else -rate,
        )

    def infeasible_message(self, parts):
        """Why no cut is admissible, for the error message.

        Parameters
        ----------
        parts : dict
            The arrays of ``components``.

        Returns
        -------
        message : str
            The reason, with what the data can reach where known.
        """
        rate = parts[self._bounded]
        reach = np.nanmax(rate) if self._at_least else np.nanmin(rate)
        word, fix = (">=", "lower") if self._at_least else ("<=", "raise")
        return (
            f"No threshold reaches {self._bounded} {word} {self._bound()} on the out-of-fold "
            f"scores; the best reachable {self._bounded} is {reach:.4g}. {fix.capitalize()} the "
            "bound or improve the model."
        )


class RecallAtPrecision(_Constrained):
    """Maximise recall subject to ``precision >= min_precision``.

    Precision is undefined where nothing is predicted positive; such cuts do
    not meet the constraint. Among cuts of equal recall the one with the
    highest precision wins.

    Parameters
    ----------
    min_precision : float in [0, 1]
        The least precision a cut may have.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import RecallAtPrecision
    >>> objective = RecallAtPrecision(min_precision=0.5)
    >>> counts = dict(tp=np.array([3.0, 2.0]), fp=np.array([4.0, 1.0]),
    ...               fn=np.array([1.0, 2.0]), tn=np.array([2.0, 5.0]))
    >>> result = objective.finalize(objective.components(counts))
    >>> result.score, result.feasible
    (array([0.75, 0.5 ]), array([False,  True]))
    """

    _maximised, _bounded, _bound_name = "recall", "precision", "min_precision"

    def __init__(self, min_precision):
        _check_fraction(min_precision, "min_precision")
        self.min_precision = min_precision

    def components(self, counts):
        """Per-cut arrays of recall and precision.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut.

        Returns
        -------
        parts : dict
            ``recall`` and ``precision`` (NaN where nothing is predicted positive).
        """
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        return {"recall": _ratio(tp, tp + fn), "precision": _ratio_or_nan(tp, tp + fp)}


class PrecisionAtRecall(_Constrained):
    """Maximise precision subject to ``recall >= min_recall``.

    Among cuts of equal precision the one with the highest recall wins.

    Parameters
    ----------
    min_recall : float in [0, 1]
        The least recall a cut may have.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import PrecisionAtRecall
    >>> objective = PrecisionAtRecall(min_recall=0.6)
    >>> counts = dict(tp=np.array([3.0, 2.0]), fp=np.array([4.0, 1.0]),
    ...               fn=np.array([1.0, 2.0]), tn=np.array([2.0, 5.0]))
    >>> result = objective.finalize(objective.components(counts))
    >>> result.score.round(4), result.feasible
    (array([0.4286, 0.6667]), array([ True, False]))
    """

    _maximised, _bounded, _bound_name = "precision", "recall", "min_recall"

    def __init__(self, min_recall):
        _check_fraction(min_recall, "min_recall")
        self.min_recall = min_recall

    def components(self, counts):
        """Per-cut arrays of precision and recall.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut.

        Returns
        -------
        parts : dict
            ``precision`` (NaN where nothing is predicted positive) and ``recall``.
        """
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        return {"precision": _ratio_or_nan(tp, tp + fp), "recall": _ratio(tp, tp + fn)}


class TPRAtFPR(_Constrained):
    """Maximise the true-positive rate subject to ``FPR <= max_fpr``.

    Among cuts of equal TPR the one with the lowest FPR wins.

    Parameters
    ----------
    max_fpr : float in [0, 1]
        The largest false-positive rate a cut may have.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import TPRAtFPR
    >>> objective = TPRAtFPR(max_fpr=0.2)
    >>> counts = dict(tp=np.array([3.0, 2.0]), fp=np.array([4.0, 1.0]),
    ...               fn=np.array([1.0, 2.0]), tn=np.array([2.0, 5.0]))
    >>> result = objective.finalize(objective.components(counts))
    >>> result.score, result.feasible
    (array([0.75, 0.5 ]), array([False,  True]))
    """

    _maximised, _bounded, _bound_name, _at_least = "tpr", "fpr", "max_fpr", False

    def __init__(self, max_fpr):
        _check_fraction(max_fpr, "max_fpr")
        self.max_fpr = max_fpr

    def components(self, counts):
        """Per-cut arrays of the true- and false-positive rates.

        Parameters
        ----------
        counts : dict
            Weighted confusion counts ``tp``, ``fp``, ``fn``, ``tn``, one entry
            per cut.

        Returns
        -------
        parts : dict
            ``tpr`` and ``fpr``.
        """
        tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
        return {"tpr": _ratio(tp, tp + fn), "fpr": _ratio(fp, fp + tn)}


def _check_fraction(value, name):
    if not (isinstance(value, numbers.Real) and 0 <= value <= 1):
        raise ValueError(f"{name} must be a number in [0, 1]; got {value!r}.")


def bayes_threshold(cost_matrix):
    """Deprecated alias of :func:`imbtool.cost.cost_optimal_threshold`.

    .. deprecated:: 0.1
        ``bayes_threshold`` computed the same Elkan threshold as
        :func:`imbtool.cost.cost_optimal_threshold`; use that. This alias will
        be removed in 0.2.

    Parameters
    ----------
    cost_matrix : array-like of shape (2, 2)
        ``C[true, pred]``, with positive misclassification costs.

    Returns
    -------
    threshold : float
    """
    warnings.warn(
        "bayes_threshold is deprecated since 0.1 and will be removed in 0.2; use "
        "imbtool.cost.cost_optimal_threshold, which computes the same threshold.",
        ImbtoolFutureWarning,
        stacklevel=2,
    )
    return cost_optimal_threshold(cost_matrix)


def expected_cost(y_true, y_pred, cost_matrix=None, *, labels=None, sample_cost=None,
                  sample_weight=None):
    """Mean misclassification cost of hard predictions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``C[true, pred]`` with classes in ``labels`` order. None means 0-1 cost
        (the error rate). Ignored when ``sample_cost`` is given.
    labels : array-like of shape (n_classes,), default=None
        Class order of the matrix rows and columns; default the sorted union
        of ``y_true`` and ``y_pred``.
    sample_cost : array-like of shape (n_samples, n_classes, n_classes), default=None
        One cost matrix per sample (see :func:`make_cost_matrix`).
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    cost : float
        ``sum_i w_i C_i[y_i, pred_i] / sum_i w_i``.

    Examples
    --------
    >>> from imbtool.threshold import expected_cost, make_cost_matrix
    >>> expected_cost([0, 0, 1, 1], [0, 1, 0, 1], make_cost_matrix(cost_fp=1, cost_fn=5))
    1.5
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D of equal length; got {y_true.shape} and {y_pred.shape}."
        )
    classes = np.unique(np.r_[y_true, y_pred]) if labels is None else np.asarray(labels)
    k = len(classes)
    true_idx, pred_idx = np.searchsorted(classes, y_true), np.searchsorted(classes, y_pred)
    for name, values, idx in (("y_true", y_true, true_idx), ("y_pred", y_pred, pred_idx)):
        if (idx >= k).any() or (classes[idx.clip(max=k - 1)] != values).any():
            raise ValueError(f"{name} holds labels that are not in labels={classes.tolist()}.")
    if sample_cost is not None:
        cost = check_cost_matrix(sample_cost, k, per_sample=True, name="sample_cost")
        if cost.ndim != 3 or len(cost) != len(y_true):
            raise ValueError(
                f"sample_cost must have shape ({len(y_true)}, {k}, {k}); got {cost.shape}."
            )
        per_sample = cost[np.arange(len(y_true)), true_idx, pred_idx]
    else:
        cost = 1.0 - np.eye(k) if cost_matrix is None else check_cost_matrix(cost_matrix, k)
        per_sample = cost[true_idx, pred_idx]
    return float(np.average(per_sample, weights=sample_weight))


OBJECTIVES = {
    "f1": lambda: FBeta(1.0),
    "f2": lambda: FBeta(2.0),
    "f0.5": lambda: FBeta(0.5),
    "precision": lambda: CountMetric(precision, name="precision"),
    "recall": lambda: CountMetric(recall, name="recall"),
    "accuracy": lambda: CountMetric(accuracy, name="accuracy"),
    "balanced_accuracy": lambda: CountMetric(balanced_accuracy, name="balanced_accuracy"),
    "g_mean": lambda: CountMetric(g_mean, name="g_mean"),
    "youden_j": lambda: CountMetric(youden_j, name="youden_j"),
    "mcc": lambda: CountMetric(mcc, name="mcc"),
    "matthews_corrcoef": lambda: CountMetric(mcc, name="mcc"),
    "cohen_kappa": lambda: CountMetric(cohen_kappa, name="cohen_kappa"),
    "expected_cost": ExpectedCost,
}


def resolve_objective(objective):
    """An :class:`Objective` from a name, an Objective or a counts callable."""
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        if objective not in OBJECTIVES:
            raise ValueError(
                f"Unknown objective {objective!r}; use one of {sorted(OBJECTIVES)}, an "
                "Objective (FBeta, ExpectedCost, RecallAtPrecision, PrecisionAtRecall, TPRAtFPR) "
                "or a callable f(tp, fp, fn, tn) -> array."
            )
        return OBJECTIVES[objective]()
    if callable(objective):
        return CountMetric(objective, name=getattr(objective, "__name__", None))
    raise TypeError(
        f"objective must be a string, an Objective or a callable; got {type(objective).__name__}."
    )
