"""Calibration metrics: Brier score, expected calibration error, reliability curve."""

import numpy as np
from sklearn.metrics import brier_score_loss
from sklearn.utils import Bunch

from ._validation import (
    check_binary_target,
    check_probabilities,
    check_same_length,
    multiclass_indices,
)

_STRATEGIES = ("quantile", "uniform")


def brier_score(y_true, y_proba, *, pos_label=None, labels=None, sample_weight=None):
    """Brier score: mean squared error of predicted probabilities (lower is better).

    Binary (1-D ``y_proba``, probability of ``pos_label``): in [0, 1].
    Multiclass (2-D ``y_proba``, one column per class): Brier's original
    definition, the squared error summed over classes, in [0, 2] for three or
    more classes; a 2-column array is scored as binary. Same values as
    :func:`sklearn.metrics.brier_score_loss`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted probabilities.
    pos_label : int, float, bool or str, default=None
        The positive class for 1-D ``y_proba``. ``None`` means 1 for {0, 1}
        or {-1, 1} labels, else the greater of the two labels.
    labels : array-like of shape (n_classes,), default=None
        Class of each column of a 2-D ``y_proba`` (the classifier's
        ``classes_``). Default: the sorted labels of ``y_true``.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from imbtool.metrics import brier_score
    >>> round(brier_score([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.5]), 4)
    0.115
    >>> round(brier_score([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4]]), 4)
    0.2467
    """
    y_proba = check_probabilities(y_proba)
    check_same_length(y_true=np.asarray(y_true), y_proba=y_proba, sample_weight=sample_weight)
    if y_proba.ndim == 1:
        y = check_binary_target(y_true, pos_label, metric="brier_score")
        return float(brier_score_loss(y, y_proba, pos_label=1, sample_weight=sample_weight))
    columns = multiclass_indices(y_true, labels, y_proba.shape[1])
    # brier_score_loss takes 2-D probabilities only from scikit-learn 1.7 on; its rule here,
    # so the score is the same on every supported scikit-learn: the squared distance to the
    # one-hot target, halved for two columns (the binary score).
    onehot = np.zeros_like(y_proba, dtype=np.float64)
    onehot[np.arange(len(columns)), columns] = 1.0
    score = np.average(np.sum((onehot - y_proba) ** 2, axis=1), weights=sample_weight)
    return float(score / 2 if y_proba.shape[1] == 2 else score)


def _outcomes_and_confidences(y_true, y_proba, pos_label, labels, metric):
    """Binary: (is positive, P(positive)); multiclass: (top label correct, top probability)."""
    y_proba = check_probabilities(y_proba)
    check_same_length(y_true=np.asarray(y_true), y_proba=y_proba)
    if y_proba.ndim == 1:
        return check_binary_target(y_true, pos_label, metric=metric), y_proba
    columns = multiclass_indices(y_true, labels, y_proba.shape[1])
    return (np.argmax(y_proba, axis=1) == columns).astype(np.int64), y_proba.max(axis=1)


def _bins(confidence, n_bins, strategy):
    if not (isinstance(n_bins, (int, np.integer)) and n_bins >= 1):
        raise ValueError(f"n_bins must be a positive integer; got {n_bins!r}.")
    if strategy not in _STRATEGIES:
        raise ValueError(f"strategy must be one of {_STRATEGIES}; got {strategy!r}.")
    if strategy == "quantile":
        edges = np.percentile(confidence, np.linspace(0, 100, n_bins + 1))
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    # Same assignment as sklearn.calibration.calibration_curve: bins are
    # closed on the right, and ties at a quantile edge stay together.
    return edges, np.searchsorted(edges[1:-1], confidence)


def reliability_curve(y_true, y_proba, *, n_bins=10, strategy="quantile", pos_label=None,
                      labels=None):
    """Data for a reliability diagram: observed frequency against mean prediction per bin.

    Binary (1-D ``y_proba``): the fraction of positives in each bin of
    predicted probability. Multiclass (2-D ``y_proba``): top-label
    reliability, i.e. the accuracy of the arg-max class against its predicted
    probability. Bins match :func:`sklearn.calibration.calibration_curve`
    (empty bins are dropped), and the counts per bin are returned as well so a
    plot can show the histogram.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted probabilities.
    n_bins : int, default=10
        Number of bins.
    strategy : {"quantile", "uniform"}, default="quantile"
        ``"quantile"``: equal-mass bins (equal counts up to ties), edges at the
        quantiles of the predictions. ``"uniform"``: equal-width bins on [0, 1].
    pos_label : int, float, bool or str, default=None
        The positive class for 1-D ``y_proba`` (see :func:`brier_score`).
    labels : array-like of shape (n_classes,), default=None
        Class of each column of a 2-D ``y_proba``.

    Returns
    -------
    curve : :class:`~sklearn.utils.Bunch`
        ``mean_predicted``, ``fraction_positive`` and ``counts`` for each
        non-empty bin, and all ``bin_edges``.

    Examples
    --------
    >>> from imbtool.metrics import reliability_curve
    >>> curve = reliability_curve([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2)
    >>> curve.mean_predicted.tolist(), curve.fraction_positive.tolist(), curve.counts.tolist()
    ([0.2, 0.75], [0.0, 1.0], [2, 2])
    """
    outcome, confidence = _outcomes_and_confidences(
        y_true, y_proba, pos_label, labels, "reliability_curve"
    )
    edges, bin_ids = _bins(confidence, n_bins, strategy)
    counts = np.bincount(bin_ids, minlength=n_bins)
    sum_predicted = np.bincount(bin_ids, weights=confidence, minlength=n_bins)
    sum_outcome = np.bincount(bin_ids, weights=outcome, minlength=n_bins)
    filled = counts > 0
    return Bunch(
        mean_predicted=sum_predicted[filled] / counts[filled],
        fraction_positive=sum_outcome[filled] / counts[filled],
        counts=counts[filled],
        bin_edges=edges,
    )


def expected_calibration_error(
    y_true, y_proba, *, n_bins=10, strategy="quantile", pos_label=None, labels=None
):
    """Expected calibration error (ECE), equal-mass bins by default.

    ``ECE = sum_b (n_b / n) * |mean outcome in b - mean prediction in b|`` over
    the bins of :func:`reliability_curve`. Binary (1-D ``y_proba``): outcome is
    "is positive". Multiclass (2-D): top-label ECE (outcome "arg-max class is
    right", prediction its probability). Equal-mass bins keep every bin
    populated when predictions crowd near 0, as they do under imbalance; with
    equal-width bins most of the mass falls in the first bin. Lower is better;
    the value lies in [0, 1].

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted probabilities.
    n_bins : int, default=10
        Number of bins.
    strategy : {"quantile", "uniform"}, default="quantile"
        Equal-mass (``"quantile"``) or equal-width (``"uniform"``) bins.
    pos_label : int, float, bool or str, default=None
        The positive class for 1-D ``y_proba`` (see :func:`brier_score`).
    labels : array-like of shape (n_classes,), default=None
        Class of each column of a 2-D ``y_proba``.

    Returns
    -------
    ece : float

    References
    ----------
    M. P. Naeini, G. Cooper, M. Hauskrecht. "Obtaining well calibrated
    probabilities using Bayesian binning", AAAI 2015.

    Examples
    --------
    >>> from imbtool.metrics import expected_calibration_error
    >>> round(expected_calibration_error([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2), 4)
    0.225
    """
    curve = reliability_curve(
        y_true, y_proba, n_bins=n_bins, strategy=strategy, pos_label=pos_label, labels=labels
    )
    gaps = np.abs(curve.fraction_positive - curve.mean_predicted)
    return float(np.sum(curve.counts * gaps) / np.sum(curve.counts))
