"""Metrics of imbalanced regression: errors on the targets that matter, by relevance.

Relevance ``phi`` is computed on ``y_true`` (automatic box-plot control
points unless ``control_points`` are given; see
:func:`imbtool.regression.relevance`), so a scorer judges every model of a
search by the same notion of rare.

Rare-target precision, recall and F1 come in an event form and Ribeiro's
utility-based form (``form``), defined in the Notes of :func:`rare_f1`.
"""

import numpy as np
from sklearn.utils.validation import check_consistent_length

from ..utils._relevance import (
    check_target,
    relevance,
    relevance_control_points,
    relevance_crossings,
)

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


def _events(y_true, y_pred, control_points, threshold, form, p):
    """Events, alerts, and per case the numerator and denominator terms of the chosen form.

    ``hit`` is what a true alert (event and alert) adds to both numerators;
    ``claim`` what a true alert adds to precision's and recall's denominator
    (and each missed event to recall's); ``false_claim`` what a false alert
    adds to precision's. The event form counts 1 for each.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}.")
    if form not in ("event", "utility"):
        raise ValueError(f"form must be 'event' or 'utility', got {form!r}.")
    if not (isinstance(p, (int, float, np.number)) and 0 <= p <= 1):
        raise ValueError(f"p must be a number in [0, 1], got {p!r}.")
    if control_points is None:  # fixed from y_true, so predictions are judged on its scale
        control_points = relevance_control_points(y_true)
    _, _, y_true, y_pred = _phi_and_errors(y_true, y_pred, control_points)
    phi_true, phi_pred = relevance(y_true, control_points), relevance(y_pred, control_points)
    event, alert = phi_true >= threshold, phi_pred >= threshold
    if form == "event":
        ones = np.ones_like(phi_true)
        return event, alert, ones, ones, ones
    crossings = relevance_crossings(control_points, threshold)
    if crossings.size == 0:
        raise ValueError(
            f"No target value changes rare status at threshold={threshold} under these "
            "control points: the utility form needs values that are not rare to bound the "
            "loss; lower threshold or give other control_points.")
    edge = np.abs(y_true[:, None] - crossings[None, :]).min(axis=1)
    error = np.abs(y_pred - y_true)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = np.where(error == 0, 0.0, np.minimum(1.0, error / edge))
    utility = phi_true * (1 - loss) - ((1 - p) * phi_pred + p * phi_true) * loss
    return event, alert, 1 + utility, 1 + phi_true, 2 - p * (1 - phi_true)


def _precision(event, alert, hit, claim, false_claim):
    true_alert = event & alert
    total = claim[true_alert].sum() + false_claim[alert & ~event].sum()
    return float(hit[true_alert].sum() / total) if alert.any() else 0.0


def _recall(event, alert, hit, claim, threshold):
    if not event.any():
        raise ValueError(f"No y_true is rare at threshold={threshold}: recall is undefined; "
                         "lower threshold or give control_points.")
    return float(hit[event & alert].sum() / claim[event].sum())


def rare_precision(y_true, y_pred, *, control_points=None, threshold=0.5, form="event",
                   p=0.5):
    """Precision of the rare-target alerts (Torgo & Ribeiro 2009; Ribeiro 2011).

    A true target is a rare *event* when its relevance is at least
    ``threshold``; a prediction is an *alert* when the relevance of the
    predicted value is. In the event form precision is the share of alerts
    that are events; in the utility form each true alert counts ``1 + u``
    for its utility ``u`` against ``1 + phi(y)``, and each false alert
    ``2 - p (1 - phi(y))`` (Torgo et al. 2013, eq. 3). 0 when there is no
    alert. Relevance uses the control points of ``y_true`` for both. Higher
    is better.

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
    form : {"event", "utility"}, default="event"
        ``"event"``: counts of alerts and events; ``"utility"``: Ribeiro's
        utility-based form, defined in the Notes of :func:`rare_f1`.
    p : float, default=0.5
        Utility form only: weight of the true target's relevance against the
        prediction's in the cost of an error, and of a false alert.

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
    return _precision(*_events(y_true, y_pred, control_points, threshold, form, p))


def rare_recall(y_true, y_pred, *, control_points=None, threshold=0.5, form="event",
                p=0.5):
    """Recall of the rare targets (Torgo & Ribeiro 2009; Ribeiro 2011).

    Event form: the share of rare events (true relevance at least
    ``threshold``) whose prediction is also rare. Utility form: the events
    predicted rare count ``1 + u`` for their utility ``u``, against
    ``1 + phi(y)`` for every event (Torgo et al. 2013, eq. 2). Higher is
    better.

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
    form : {"event", "utility"}, default="event"
        ``"event"``: counts of alerts and events; ``"utility"``: Ribeiro's
        utility-based form, defined in the Notes of :func:`rare_f1`.
    p : float, default=0.5
        Utility form only: weight of the true target's relevance against the
        prediction's in the cost of an error, and of a false alert.

    Returns
    -------
    recall : float

    Examples
    --------
    >>> from imbtool.metrics import rare_recall
    >>> rare_recall([0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0],
    ...             control_points=[[0.0, 0.0], [2.0, 1.0]])
    0.5
    >>> rare_recall([0.0, 2.0, 2.0], [0.0, 2.0, 1.5], control_points=[[0.0, 0.0], [2.0, 1.0]],
    ...             form="utility")
    0.765625
    """
    event, alert, hit, claim, _ = _events(y_true, y_pred, control_points, threshold, form, p)
    return _recall(event, alert, hit, claim, threshold)


def rare_f1(y_true, y_pred, *, control_points=None, threshold=0.5, form="event",
            p=0.5):
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
    form : {"event", "utility"}, default="event"
        ``"event"``: counts of alerts and events; ``"utility"``: Ribeiro's
        utility-based form, defined in the Notes below.
    p : float, default=0.5
        Utility form only: weight of the true target's relevance against the
        prediction's in the cost of an error, and of a false alert.

    Returns
    -------
    f1 : float

    Notes
    -----
    The *event* form counts alerts and events as a classifier would. The
    *utility* form is Ribeiro's (2011) utility-based one, as Torgo et al.
    (2013, eqs. 2-3) state it. With events ``z_i = [phi(y_i) >= t]``,
    alerts ``zh_i = [phi(yh_i) >= t]`` and the utility ``u_i`` of
    predicting ``yh_i`` for ``y_i``::

        recall    = sum_{zh=1, z=1} (1 + u_i) / sum_{z=1} (1 + phi(y_i))
        precision = sum_{zh=1, z=1} (1 + u_i)
                    / (sum_{zh=1, z=1} (1 + phi(y_i)) + sum_{zh=1, z=0} (2 - p (1 - phi(y_i))))

    The utility is the utility surface of Torgo & Ribeiro (2007), benefit minus
    cost: ``u = phi(y) (1 - G) - ((1 - p) phi(yh) + p phi(y)) G``, with the
    bounded loss ``G = min(1, |yh - y| / D)``. ``D`` is the largest error
    that still earns a benefit; Ribeiro (2011) derives it from the relevance
    function, and here it is the distance from ``y`` to the nearest target
    value that is not rare (relevance below ``t``, found on the relevance
    curve to float precision): a prediction as far from the truth as the
    edge of its rare region has lost all its benefit and pays the full
    cost. ``p`` (0.5 in the papers' experiments) weighs the relevance of
    the truth against that of the prediction in the cost, and the cost of a
    false alert.

    References
    ----------
    L. Torgo, R. P. Ribeiro, "Utility-based regression", PKDD 2007.
    R. P. Ribeiro, "Utility-based regression", PhD thesis, University of Porto,
    2011. L. Torgo, R. P. Ribeiro, B. Pfahringer, P. Branco, "SMOTE for
    regression", EPIA 2013, 378-389.

    Examples
    --------
    >>> from imbtool.metrics import rare_f1
    >>> rare_f1([0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0], control_points=[[0.0, 0.0], [2.0, 1.0]])
    0.5
    """
    terms = _events(y_true, y_pred, control_points, threshold, form, p)
    precision, recall = _precision(*terms), _recall(*terms[:4], threshold)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
