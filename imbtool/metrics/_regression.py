"""Metrics of imbalanced regression: errors on the targets that matter, by relevance.

Relevance ``phi`` is computed on ``y_true`` (automatic box-plot control
points unless ``control_points`` are given; see
:func:`imbtool.regression.relevance`), so a scorer judges every model of a
search by the same notion of rare.
"""

import numpy as np
from sklearn.utils.validation import check_consistent_length

from ..utils._relevance import check_target, relevance, relevance_control_points

__all__ = ["rare_f1", "rare_precision", "rare_recall", "relevance_mae", "relevance_rmse",
           "sera"]


def _phi_and_errors(y_true, y_pred, control_points):
    y_true = check_target(y_true, "y_true")
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    check_consistent_length(y_true, y_pred)
    if not np.isfinite(y_pred).all():
        raise ValueError("y_pred contains NaN or infinite values.")
    return relevance(y_true, control_points), y_pred - y_true, y_true, y_pred


def sera(y_true, y_pred, *, control_points=None):
    """Squared error-relevance area (Ribeiro & Moniz 2020).

    ``SER_t`` is the sum of squared errors over the cases with relevance
    ``phi(y) >= t``; SERA is its integral over ``t`` in [0, 1]. A case counts
    for every ``t <= phi(y_i)``, so the integral is exactly
    ``sum_i phi(y_i) (y_pred_i - y_i)**2`` (the paper approximates it by the
    trapezoid rule on a grid of ``t``, which converges to this value).
    Lower is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y_true``.

    Returns
    -------
    sera : float

    Examples
    --------
    >>> from imbtool.metrics import sera
    >>> sera([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], control_points=[[0.0, 0.0], [2.0, 1.0]])
    1.0
    """
    phi, error, _, _ = _phi_and_errors(y_true, y_pred, control_points)
    return float(np.sum(phi * error**2))


def relevance_rmse(y_true, y_pred, *, control_points=None):
    """Root mean squared error weighted by the relevance of the true target.

    ``sqrt(sum_i phi_i e_i**2 / sum_i phi_i)``: the RMSE of the rare cases,
    each counted by its relevance. Lower is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y_true``.

    Returns
    -------
    rmse : float

    Examples
    --------
    >>> from imbtool.metrics import relevance_rmse
    >>> relevance_rmse([0.0, 1.0, 2.0], [0.0, 0.0, 1.0], control_points=[[0.0, 0.0], [2.0, 1.0]])
    1.0
    """
    phi, error, _, _ = _phi_and_errors(y_true, y_pred, control_points)
    return float(np.sqrt(np.sum(phi * error**2) / _total_relevance(phi)))


def relevance_mae(y_true, y_pred, *, control_points=None):
    """Mean absolute error weighted by the relevance of the true target.

    ``sum_i phi_i |e_i| / sum_i phi_i``. Lower is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y_true``.

    Returns
    -------
    mae : float

    Examples
    --------
    >>> from imbtool.metrics import relevance_mae
    >>> relevance_mae([0.0, 1.0, 2.0], [0.0, 0.0, 1.0], control_points=[[0.0, 0.0], [2.0, 1.0]])
    1.0
    """
    phi, error, _, _ = _phi_and_errors(y_true, y_pred, control_points)
    return float(np.sum(phi * np.abs(error)) / _total_relevance(phi))


def _total_relevance(phi):
    total = phi.sum()
    if total == 0:
        raise ValueError("Every y_true has relevance 0: there is no rare target to score; give "
                         "control_points that make some targets relevant.")
    return total


def _events(y_true, y_pred, control_points, threshold):
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}.")
    if control_points is None:  # fixed from y_true, so predictions are judged on its scale
        control_points = relevance_control_points(y_true)
    _, _, y_true, y_pred = _phi_and_errors(y_true, y_pred, control_points)
    event = relevance(y_true, control_points) >= threshold
    alert = relevance(y_pred, control_points) >= threshold
    return event, alert


def rare_precision(y_true, y_pred, *, control_points=None, threshold=0.5):
    """Precision of the rare-target alerts (Torgo & Ribeiro 2009, event form).

    A true target is a rare *event* when its relevance is at least
    ``threshold``; a prediction is an *alert* when the relevance of the
    predicted value is. Precision is the share of alerts that are events,
    0 when there is no alert. Relevance uses the control points of
    ``y_true`` for both. Higher is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y_true``.
    threshold : float, default=0.5
        Relevance from which a value is rare.

    Returns
    -------
    precision : float

    Examples
    --------
    >>> from imbtool.metrics import rare_precision
    >>> rare_precision([0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0],
    ...                control_points=[[0.0, 0.0], [2.0, 1.0]])
    0.5
    """
    event, alert = _events(y_true, y_pred, control_points, threshold)
    return float(np.count_nonzero(event & alert) / max(np.count_nonzero(alert), 1))


def rare_recall(y_true, y_pred, *, control_points=None, threshold=0.5):
    """Recall of the rare targets (Torgo & Ribeiro 2009, event form).

    The share of rare events (true relevance at least ``threshold``) whose
    prediction is also rare. Higher is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y_true``.
    threshold : float, default=0.5
        Relevance from which a value is rare.

    Returns
    -------
    recall : float

    Examples
    --------
    >>> from imbtool.metrics import rare_recall
    >>> rare_recall([0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0],
    ...             control_points=[[0.0, 0.0], [2.0, 1.0]])
    0.5
    """
    event, alert = _events(y_true, y_pred, control_points, threshold)
    if not event.any():
        raise ValueError(f"No y_true is rare at threshold={threshold}: recall is undefined; "
                         "lower threshold or give control_points.")
    return float(np.count_nonzero(event & alert) / np.count_nonzero(event))


def rare_f1(y_true, y_pred, *, control_points=None, threshold=0.5):
    """Harmonic mean of :func:`rare_precision` and :func:`rare_recall`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y_true``.
    threshold : float, default=0.5
        Relevance from which a value is rare.

    Returns
    -------
    f1 : float

    Examples
    --------
    >>> from imbtool.metrics import rare_f1
    >>> rare_f1([0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0], control_points=[[0.0, 0.0], [2.0, 1.0]])
    0.5
    """
    precision = rare_precision(y_true, y_pred, control_points=control_points, threshold=threshold)
    recall = rare_recall(y_true, y_pred, control_points=control_points, threshold=threshold)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
