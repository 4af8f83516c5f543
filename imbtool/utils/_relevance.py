"""The relevance function of imbalanced regression and DenseWeight's weights (shared by
imbtool.regression and the regression metrics; public through imbtool.regression).

Relevance (Ribeiro 2011; Ribeiro & Moniz 2020) maps a target value to
``phi(y)`` in ``[0, 1]``: a piecewise cubic Hermite interpolant through
control points ``(y_k, phi_k, slope_k)``. Automatic control points come from
the box plot of ``y``: relevance 1 at the adjacent values (the whisker ends)
on a side that has outliers, 0 at the median, and 0 at the sample extreme on
a side without outliers, every slope 0. User points without slopes get the
monotone slopes of Fritsch & Carlson (1980), so that phi never overshoots
between two points. Outside the first and last point phi keeps the end value.
"""

from numbers import Real

import numpy as np
from scipy.stats import gaussian_kde

__all__ = ["dense_weight", "relevance", "relevance_control_points"]


def check_target(y, name="y"):
    """``y`` as a finite float64 vector, refusing a classification target by name."""
    y_in = np.asarray(y)
    if y_in.dtype.kind not in "iuf":
        raise TypeError(
            f"Unknown label type for a regression target: {name} must be numeric, got dtype "
            f"{y_in.dtype}. A "
            "classification target (labels, booleans, strings) belongs to the classification "
            "samplers in imbtool.over_sampling and imbtool.under_sampling.")
    if y_in.ndim > 2 or (y_in.ndim == 2 and y_in.shape[1] != 1):
        raise ValueError(f"{name} must be 1-D (one target), got shape {y_in.shape}.")
    y_arr = y_in.astype(np.float64).reshape(-1)
    if not np.isfinite(y_arr).all():
        bad = int(np.count_nonzero(~np.isfinite(y_arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite values; drop or impute them.")
    if y_arr.size == 0:
        raise ValueError(f"{name} is empty.")
    if np.ptp(y_arr) == 0:
        raise ValueError(
            f"{name} is constant ({y_arr[0]!r}): no value is rarer than another, so relevance "
            "is undefined.")
    return y_arr


def _tukey_box(y_sorted):
    """R's ``fivenum`` hinges: the medians of the lower and upper halves, median included."""
    n = y_sorted.size
    n4 = np.floor((n + 3) / 2) / 2
    depths = np.array([n4, (n + 1) / 2, n + 1 - n4]) - 1  # 0-based depths
    low, high = np.floor(depths).astype(int), np.ceil(depths).astype(int)
    return 0.5 * (y_sorted[low] + y_sorted[high])


def relevance_control_points(y, *, extremes="both", coef=1.5):
    """Automatic control points of the relevance function, from the box plot of ``y``.

    Relevance is 1 at the adjacent value (the last value within ``coef``
    interquartile ranges of the hinge) on each chosen side that has values
    beyond it, 0 at the median, and 0 at the sample minimum or maximum on a
    side without such values; every slope is 0 (Ribeiro 2011). Hinges are
    Tukey's (the medians of each half, the median included), as in R's
    ``boxplot.stats``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The continuous target.
    extremes : {"both", "high", "low"}, default="both"
        Which tails can be relevant.
    coef : float, default=1.5
        Whisker length in interquartile ranges.

    Returns
    -------
    control_points : ndarray of shape (m, 3), m = 2 or 3
        Rows ``(y_k, phi_k, slope_k)`` in increasing ``y_k``; a side whose
        point would fall on the median (no spread there) is left out.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import relevance_control_points
    >>> y = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 20])
    >>> relevance_control_points(y).tolist()
    [[1.0, 0.0, 0.0], [3.0, 0.0, 0.0], [5.0, 1.0, 0.0]]
    """
    if extremes not in ("both", "high", "low"):
        raise ValueError(f"extremes must be 'both', 'high' or 'low', got {extremes!r}.")
    if not isinstance(coef, Real) or not np.isfinite(coef) or coef <= 0:
        raise ValueError(f"coef must be a finite number > 0, got {coef!r}.")
    y_sorted = np.sort(check_target(y))
    lower_hinge, median, upper_hinge = _tukey_box(y_sorted)
    reach = coef * (upper_hinge - lower_hinge)
    inside = y_sorted[(y_sorted >= lower_hinge - reach) & (y_sorted <= upper_hinge + reach)]
    low_adj, high_adj = inside[0], inside[-1]
    if extremes in ("both", "low") and y_sorted[0] < low_adj:
        low = (low_adj, 1.0, 0.0)
    else:
        low = (y_sorted[0], 0.0, 0.0)
    if extremes in ("both", "high") and y_sorted[-1] > high_adj:
        high = (high_adj, 1.0, 0.0)
    else:
        high = (y_sorted[-1], 0.0, 0.0)
    points = []
    for side in (low, high):
        if side[0] == median and side[1] == 1.0:
            raise ValueError(
                f"y is concentrated on one value ({float(median)!r} is both the median and an "
                "adjacent value of the box plot), so the automatic control points cannot "
                "separate rare from normal targets; give control_points.")
        # A side point on the median (no spread on that side) is the median's point itself.
        points.append(side if side[0] != median else None)
    rows = [points[0], (median, 0.0, 0.0), points[1]]
    return np.array([row for row in rows if row is not None], dtype=np.float64)


def _monotone_slopes(x, f):
    """Fritsch & Carlson (1980) slopes: a Hermite interpolant monotone on each interval."""
    secant = np.diff(f) / np.diff(x)
    slopes = np.empty_like(f)
    slopes[0], slopes[-1] = secant[0], secant[-1]
    slopes[1:-1] = (secant[:-1] + secant[1:]) / 2
    # Step 3: a slope is 0 where the data turn (secants of opposite sign or a flat one).
    turn = np.zeros_like(f, dtype=bool)
    turn[1:-1] = secant[:-1] * secant[1:] <= 0
    slopes[turn] = 0.0
    for k, delta in enumerate(secant):
        if delta == 0:
            slopes[k] = slopes[k + 1] = 0.0
            continue
        alpha, beta = slopes[k] / delta, slopes[k + 1] / delta
        radius = np.hypot(alpha, beta)
        if radius > 3:  # outside the circle of radius 3: scale back into it (step 5)
            tau = 3 / radius
            slopes[k], slopes[k + 1] = tau * alpha * delta, tau * beta * delta
    return slopes


def check_control_points(control_points):
    points = np.asarray(control_points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] not in (2, 3) or points.shape[0] < 2:
        raise ValueError(
            "control_points must be an array of shape (m, 2) or (m, 3) with m >= 2: rows "
            f"(y, phi) or (y, phi, slope); got shape {points.shape}.")
    if not np.isfinite(points).all():
        raise ValueError("control_points contain NaN or infinite values.")
    if np.any(np.diff(points[:, 0]) <= 0):
        raise ValueError(
            "control_points must have strictly increasing target values (first column), got "
            f"{points[:, 0].tolist()}.")
    if np.any((points[:, 1] < 0) | (points[:, 1] > 1)):
        raise ValueError(
            f"control_points relevance (second column) must lie in [0, 1], got "
            f"{points[:, 1].tolist()}.")
    if points.shape[1] == 2:
        points = np.column_stack([points, _monotone_slopes(points[:, 0], points[:, 1])])
    return points


def relevance(y, control_points=None, *, extremes="both", coef=1.5):
    """Relevance ``phi(y)`` in [0, 1] of each target value.

    The piecewise cubic Hermite interpolant through the control points
    (Ribeiro 2011): on ``[y_k, y_{k+1}]`` with ``t = (y - y_k) / h``,
    ``phi = h00(t) phi_k + h10(t) h s_k + h01(t) phi_{k+1} + h11(t) h s_{k+1}``,
    clipped to [0, 1]; outside the first and last points, the end value.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Rows ``(y_k, phi_k)`` or ``(y_k, phi_k, slope_k)``, ``y_k`` strictly
        increasing, ``phi_k`` in [0, 1]. Without slopes, Fritsch-Carlson
        monotone slopes. ``None``: :func:`relevance_control_points` of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Automatic points only: which tails can be relevant.
    coef : float, default=1.5
        Automatic points only: whisker length in interquartile ranges.

    Returns
    -------
    phi : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from imbtool.regression import relevance
    >>> relevance([0.0, 0.5, 1.0, 2.0], [[0.0, 0.0, 0.0], [1.0, 1.0, 0.0]]).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    if control_points is None:
        values = check_target(y)
        points = relevance_control_points(values, extremes=extremes, coef=coef)
    else:
        values = np.asarray(y, dtype=np.float64).reshape(-1)
        if not np.isfinite(values).all():
            raise ValueError("y contains NaN or infinite values; drop or impute them.")
        points = check_control_points(control_points)
    knots, phis, slopes = points.T
    k = np.clip(np.searchsorted(knots, values, side="right") - 1, 0, knots.size - 2)
    width = knots[k + 1] - knots[k]
    t = np.clip((values - knots[k]) / width, 0.0, 1.0)
    t2, t3 = t * t, t * t * t
    phi = ((2 * t3 - 3 * t2 + 1) * phis[k] + (t3 - 2 * t2 + t) * width * slopes[k]
           + (-2 * t3 + 3 * t2) * phis[k + 1] + (t3 - t2) * width * slopes[k + 1])
    return np.clip(phi, 0.0, 1.0)


# Grid points per interval between control points where relevance_crossings looks for a
# change of rare status before bisecting: automatic and Fritsch-Carlson points make phi
# monotone between control points, so one crossing at most per interval, which any grid
# finds; user slopes may make a cubic dip through the threshold and back, and 1024 points
# catch a dip wider than 1/1024 of its interval.
_CROSSING_GRID = 1025
# Bisection halvings: 2**-60 of a grid cell, below float64 resolution of the target.
_CROSSING_HALVINGS = 60


def relevance_crossings(control_points, threshold):
    """Target values where ``relevance(., control_points) >= threshold`` changes, sorted.

    Each change of rare status between grid points of an interval between
    control points is refined by bisection to float64 resolution. Outside
    the control points relevance is constant, so there is no change there.
    """
    points = check_control_points(control_points)
    knots = points[:, 0]
    grid = np.concatenate([np.linspace(lo, hi, _CROSSING_GRID)[:-1]
                           for lo, hi in zip(knots[:-1], knots[1:])] + [knots[-1:]])
    rare = relevance(grid, points) >= threshold
    change = np.flatnonzero(rare[1:] != rare[:-1])
    low, high, low_rare = grid[change], grid[change + 1], rare[change]
    for _ in range(_CROSSING_HALVINGS):
        mid = (low + high) / 2
        same = (relevance(mid, points) >= threshold) == low_rare
        low, high = np.where(same, mid, low), np.where(same, high, mid)
    return high


def dense_weight(y, alpha=1.0, *, eps=1e-6, bandwidth="silverman"):
    """DenseWeight sample weights (Steininger et al. 2021).

    The Gaussian kernel density ``p`` of ``y`` is min-max normalised to
    ``p'`` in [0, 1]; a row's weight is ``max(1 - alpha p'(y), eps)``, then
    divided by the mean weight so that weights average 1. ``alpha=0`` weighs
    every row 1; larger ``alpha`` weighs rare (low-density) targets more.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The continuous target.
    alpha : float, default=1.0
        Strength of the weighting, >= 0.
    eps : float, default=1e-6
        Smallest weight before normalising, > 0, so no row is dropped.
    bandwidth : {"silverman", "scott"} or float, default="silverman"
        The kernel bandwidth rule of :class:`scipy.stats.gaussian_kde`.

    Returns
    -------
    weight : ndarray of shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import dense_weight
    >>> w = dense_weight(np.array([0.0, 0.1, 0.2, 0.1, 5.0]), alpha=1.0)
    >>> bool(w[-1] > w[0])
    True
    """
    if not isinstance(alpha, Real) or not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}.")
    if not isinstance(eps, Real) or not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}.")
    values = check_target(y)
    density = gaussian_kde(values, bw_method=bandwidth)(values)
    span = density.max() - density.min()
    scaled = (density - density.min()) / span if span > 0 else np.zeros_like(density)
    weight = np.maximum(1 - alpha * scaled, eps)
    return weight / weight.mean()
