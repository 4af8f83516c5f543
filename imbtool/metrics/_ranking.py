"""Metrics of a continuous score of the positive class (binary problems).

All of them rank samples by ``y_score`` only, so any strictly increasing
transform of the scores (probabilities, log-odds, decision values) gives the
same value. They build on scikit-learn's exact curves
(:func:`sklearn.metrics.precision_recall_curve`, which evaluates every distinct
score as a threshold, predicting positive when ``score >= threshold``).
"""

import numpy as np
from sklearn.metrics import auc, average_precision_score, precision_recall_curve, roc_auc_score

from ..utils._tolerance import TIE_TOLERANCE
from ._validation import check_binary_target, check_same_length, check_scores


def _binary_inputs(y_true, y_score, pos_label, sample_weight, metric):
    y = check_binary_target(y_true, pos_label, need_both=True, metric=metric)
    score = check_scores(y_score)
    check_same_length(y_true=y, y_score=score, sample_weight=sample_weight)
    return y, score


def _pr_points(y_true, y_score, pos_label, sample_weight, metric):
    """Precision and recall at every distinct score used as a threshold."""
    y, score = _binary_inputs(y_true, y_score, pos_label, sample_weight, metric)
    precision, recall, thresholds = precision_recall_curve(
        y, score, pos_label=1, sample_weight=sample_weight
    )
    # The last point (precision=1, recall=0) stands for "predict nothing" and
    # has no threshold.
    return precision[:-1], recall[:-1], thresholds


def roc_auc(y_true, y_score, *, pos_label=None, sample_weight=None):
    """Area under the ROC curve of a binary score.

    A thin, validated front to :func:`sklearn.metrics.roc_auc_score` that lets
    you name the positive class. For multiclass problems use
    ``sklearn.metrics.roc_auc_score(..., multi_class="ovr")``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or decision values).
    pos_label : int, float, bool or str, default=None
        The positive class. ``None`` means 1 for {0, 1} or {-1, 1} labels,
        else the greater of the two labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float
        The ROC AUC, in [0, 1]; 0.5 is chance.

    Examples
    --------
    >>> from imbtool.metrics import roc_auc
    >>> roc_auc(["no", "yes", "yes", "no"], [0.1, 0.8, 0.4, 0.35], pos_label="yes")
    1.0
    """
    y, score = _binary_inputs(y_true, y_score, pos_label, sample_weight, "roc_auc")
    return float(roc_auc_score(y, score, sample_weight=sample_weight))


def average_precision(y_true, y_score, *, pos_label=None, sample_weight=None):
    """Average precision: the step-wise (non-interpolated) area under the PR curve.

    ``AP = sum_n (R_n - R_{n-1}) P_n`` over the distinct score thresholds, as in
    :func:`sklearn.metrics.average_precision_score` (which this calls). No
    interpolation between operating points is done, so AP is not optimistic the
    way the trapezoidal :func:`pr_auc` can be.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    pos_label : int, float, bool or str, default=None
        The positive class (see :func:`roc_auc`).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float
        Average precision in [0, 1]; a random score gets the positive rate.

    Examples
    --------
    >>> from imbtool.metrics import average_precision
    >>> round(average_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    y, score = _binary_inputs(y_true, y_score, pos_label, sample_weight, "average_precision")
    return float(average_precision_score(y, score, pos_label=1, sample_weight=sample_weight))


def pr_auc(y_true, y_score, *, pos_label=None, sample_weight=None):
    """Area under the precision-recall curve by the trapezoidal rule.

    The curve's points are the (recall, precision) pairs at every distinct score
    threshold plus the end point (recall 0, precision 1); neighbouring points
    are joined by straight lines. Linear interpolation in PR space is
    optimistic -- the achievable curve between two operating points is not a
    straight line (Davis & Goadrich, ICML 2006) -- so this is usually a little
    above :func:`average_precision`, which is the number to prefer.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    pos_label : int, float, bool or str, default=None
        The positive class (see :func:`roc_auc`).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float
        Trapezoidal PR AUC in [0, 1].

    Examples
    --------
    >>> from imbtool.metrics import pr_auc
    >>> round(pr_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.7917
    """
    y, score = _binary_inputs(y_true, y_score, pos_label, sample_weight, "pr_auc")
    precision, recall, _ = precision_recall_curve(
        y, score, pos_label=1, sample_weight=sample_weight
    )
    return float(auc(recall, precision))


def fbeta_at_tuned_threshold(
    y_true, y_score, *, beta=1.0, pos_label=None, sample_weight=None, return_threshold=False
):
    """Best F-beta over every threshold of the scores (exact sweep).

    Every distinct score is tried as the threshold (predict positive when
    ``score >= threshold``) from one sort and cumulative counts, so the result
    is the exact maximum, not a grid approximation.

    The threshold is chosen on the very samples it is scored on, so the value is
    optimistic (in-sample): it is the F-beta an oracle threshold would reach. Use
    it to compare rankings of scores; for an honest estimate tune the threshold
    on other data (``imbtool.threshold``) and score hard predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    beta : float, default=1.0
        Weight of recall relative to precision (``beta > 1`` favours recall).
    pos_label : int, float, bool or str, default=None
        The positive class (see :func:`roc_auc`).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    return_threshold : bool, default=False
        Also return the threshold reaching the maximum (the lowest such score).

    Returns
    -------
    score : float
        The maximal F-beta.
    threshold : float
        Only when ``return_threshold=True``.

    Examples
    --------
    >>> from imbtool.metrics import fbeta_at_tuned_threshold
    >>> fbeta_at_tuned_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], return_threshold=True)
    (0.8, 0.35)
    """
    if not (isinstance(beta, (int, float, np.number)) and beta > 0):
        raise ValueError(f"beta must be a positive number; got {beta!r}.")
    precision, recall, thresholds = _pr_points(
        y_true, y_score, pos_label, sample_weight, "fbeta_at_tuned_threshold"
    )
    b2 = float(beta) ** 2
    denominator = b2 * precision + recall
    fbeta = np.divide(
        (1 + b2) * precision * recall,
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    best = int(np.argmax(fbeta))
    if return_threshold:
        return float(fbeta[best]), float(thresholds[best])
    return float(fbeta[best])


def _check_fraction(value, name):
    if not (isinstance(value, (int, float, np.number)) and 0 <= value <= 1):
        raise ValueError(f"{name} must be a number in [0, 1]; got {value!r}.")


def precision_at_recall(
    y_true, y_score, min_recall, *, pos_label=None, sample_weight=None, return_threshold=False
):
    """Highest precision over the thresholds whose recall is at least ``min_recall``.

    Exact over every distinct score threshold. Always defined when ``y_true``
    holds both classes: the lowest threshold has recall 1. Like
    :func:`fbeta_at_tuned_threshold`, the operating point is chosen on the data
    being scored, so the value is optimistic (in-sample).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    min_recall : float in [0, 1]
        The recall the operating point must reach.
    pos_label : int, float, bool or str, default=None
        The positive class (see :func:`roc_auc`).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    return_threshold : bool, default=False
        Also return the chosen threshold (among ties, the lowest, i.e. the one
        with the highest recall).

    Returns
    -------
    precision : float
    threshold : float
        Only when ``return_threshold=True``.

    Examples
    --------
    >>> from imbtool.metrics import precision_at_recall
    >>> precision_at_recall([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], min_recall=0.5)
    1.0
    >>> round(precision_at_recall([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], min_recall=1.0), 4)
    0.6667
    """
    _check_fraction(min_recall, "min_recall")
    precision, recall, thresholds = _pr_points(
        y_true, y_score, pos_label, sample_weight, "precision_at_recall"
    )
    # The tolerance keeps k/n recalls from missing a constraint written as a decimal.
    candidates = np.where(recall >= min_recall - TIE_TOLERANCE, precision, -np.inf)
    best = int(np.argmax(candidates))
    if return_threshold:
        return float(precision[best]), float(thresholds[best])
    return float(precision[best])


def recall_at_precision(
    y_true, y_score, min_precision, *, pos_label=None, sample_weight=None, return_threshold=False
):
    """Highest recall over the thresholds whose precision is at least ``min_precision``.

    Exact over every distinct score threshold. When no threshold reaches
    ``min_precision`` the only admissible operating point is predicting no
    positive at all, so the result is 0.0 (threshold ``inf``). The operating
    point is chosen on the data being scored, so the value is optimistic
    (in-sample).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    min_precision : float in [0, 1]
        The precision the operating point must reach.
    pos_label : int, float, bool or str, default=None
        The positive class (see :func:`roc_auc`).
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    return_threshold : bool, default=False
        Also return the chosen threshold (among ties, the highest, i.e. the one
        with the highest precision).

    Returns
    -------
    recall : float
    threshold : float
        Only when ``return_threshold=True``.

    Examples
    --------
    >>> from imbtool.metrics import recall_at_precision
    >>> recall_at_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], min_precision=0.6)
    1.0
    >>> recall_at_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], min_precision=0.9)
    0.5
    """
    _check_fraction(min_precision, "min_precision")
    precision, recall, thresholds = _pr_points(
        y_true, y_score, pos_label, sample_weight, "recall_at_precision"
    )
    feasible = np.flatnonzero(precision >= min_precision - TIE_TOLERANCE)
    if feasible.size == 0:
        return (0.0, float("inf")) if return_threshold else 0.0
    best_recall = recall[feasible].max()
    best = feasible[recall[feasible] == best_recall][-1]
    if return_threshold:
        return float(recall[best]), float(thresholds[best])
    return float(recall[best])
