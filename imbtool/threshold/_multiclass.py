"""Per-class additive offsets for multiclass decisions, tuned by exact coordinate ascent.

The decision is ``argmax_c (S[:, c] + offsets[c])``. With every offset but
``offsets[c]`` fixed, sample ``i`` is predicted ``c`` exactly when
``offsets[c] > d_i = max_{j != c}(S[i, j] + offsets[j]) - S[i, c]`` and
otherwise keeps its best other class, so the metric as a function of
``offsets[c]`` is a step function with steps at the sorted ``d_i``: one sort and
cumulative sums evaluate it everywhere, and each coordinate step is an exact
maximisation. Cycling over the classes (from the most to the least frequent)
never lowers the objective and stops at a coordinate-wise optimum (not
necessarily the global one).
"""

import numpy as np

from ..utils._costs import check_cost_matrix
from ..utils._sweep import select_cut
from ..utils._tolerance import tie_floor
from ._objectives import ExpectedCost

MULTICLASS_OBJECTIVES = ("accuracy", "balanced_accuracy", "f1_macro", "macro_f1", "expected_cost")


def check_multiclass_objective(objective, n_classes):
    """Return (name, cost_matrix or None) for a multiclass objective, or raise."""
    if isinstance(objective, ExpectedCost):
        return "expected_cost", objective.matrix(n_classes)
    if isinstance(objective, str) and objective in MULTICLASS_OBJECTIVES:
        if objective == "expected_cost":
            return "expected_cost", 1.0 - np.eye(n_classes)
        return ("f1_macro" if objective == "macro_f1" else objective), None
    raise ValueError(
        f"objective={objective!r} is not available for {n_classes} classes; multiclass "
        f"objectives are {list(MULTICLASS_OBJECTIVES)} or ExpectedCost(cost_matrix=...)."
    )


def _step_values(name, tp, pred, true, cost):
    if name == "expected_cost":
        return -cost
    if name == "accuracy":
        return tp.sum(axis=1) / true.sum()
    if name == "balanced_accuracy":
        return np.mean(tp / true, axis=1)
    return np.mean(np.divide(2 * tp, pred + true, out=np.zeros_like(tp), where=(pred + true) > 0),
                   axis=1)


def _offset_for_run(cuts, optimal, index):
    """Middle of the open interval of offsets giving the run of optimal steps around index."""
    lo, hi = index, index
    while lo > 0 and optimal[lo - 1]:
        lo -= 1
    while hi < len(optimal) - 1 and optimal[hi + 1]:
        hi += 1
    # Step j holds offsets in (cuts[j-1], cuts[j]); outer steps are unbounded,
    # so they extend one unit past the last breakpoint.
    lower = cuts[lo - 1] if lo > 0 else cuts[0] - 1.0
    upper = cuts[hi] if hi < len(cuts) else cuts[-1] + 1.0
    return lower + (upper - lower) / 2


def _coordinate_step(c, S, offsets, y, w, name, cost, true):
    n, k = S.shape
    shifted = S + offsets
    shifted[:, c] = -np.inf
    other = np.argmax(shifted, axis=1)
    d = shifted[np.arange(n), other] - S[:, c]
    order = np.argsort(d, kind="stable")
    cuts_sorted = d[order]
    ends = np.r_[np.flatnonzero(cuts_sorted[1:] != cuts_sorted[:-1]), n - 1]
    cuts = cuts_sorted[ends]

    onehot_other = np.zeros((n, k))
    onehot_other[np.arange(n), other] = w
    base_pred = onehot_other.sum(axis=0)
    base_tp = np.bincount(other[y == other], weights=w[y == other], minlength=k)
    move_pred = -onehot_other
    move_pred[:, c] += w
    move_tp = -onehot_other * (y == other)[:, None]
    move_tp[:, c] += w * (y == c)
    # Step 0: nobody switched to c; step j: the j first distinct d values switched.
    pred = base_pred + np.vstack([np.zeros(k), np.cumsum(move_pred[order], axis=0)[ends]])
    tp = base_tp + np.vstack([np.zeros(k), np.cumsum(move_tp[order], axis=0)[ends]])
    total_cost = None
    if name == "expected_cost":
        rows = np.arange(n)
        c_other = cost[y, other] if cost.ndim == 2 else cost[rows, y, other]
        c_new = cost[y, c] if cost.ndim == 2 else cost[rows, y, c]
        moves = np.cumsum((w * (c_new - c_other))[order])[ends]
        total_cost = (np.sum(w * c_other) + np.r_[0.0, moves]) / w.sum()
    values = _step_values(name, tp, pred, true, total_cost)
    index, optimal = select_cut(values)
    return _offset_for_run(cuts, optimal, index), values[index]


def tune_offsets(y, S, name, cost=None, sample_weight=None, max_iter=10):
    """Coordinate ascent over per-class offsets.

    Parameters
    ----------
    y : ndarray of int, shape (n_samples,)
        Class indices 0..k-1.
    S : ndarray of shape (n_samples, k)
        Scores (log-probabilities or decision values).
    name : {"accuracy", "balanced_accuracy", "f1_macro", "expected_cost"}
    cost : ndarray of shape (k, k) or (n_samples, k, k), default=None
    sample_weight : ndarray of shape (n_samples,), default=None
    max_iter : int
        Maximum number of passes over the classes.

    Returns
    -------
    offsets : ndarray of shape (k,)
        Normalised so that ``offsets[0] == 0`` (only differences matter).
    value : float
        The objective at the offsets (expected cost for "expected_cost").
    n_iter : int
        Passes made.
    """
    n, k = S.shape
    w = np.ones(n) if sample_weight is None else sample_weight
    if cost is not None:
        cost = check_cost_matrix(cost, k, per_sample=True)
    true = np.bincount(y, weights=w, minlength=k)
    offsets = np.zeros(k)
    best = -np.inf
    n_iter = 0
    # Classes are visited from the most to the least frequent (rows; ties in label
    # order), not in label order, so that renaming the classes moves no decision.
    visit = np.argsort(-np.bincount(y, minlength=k), kind="stable")
    while n_iter < max_iter:
        n_iter += 1
        start = best
        for c in visit:
            offset, value = _coordinate_step(c, S, offsets, y, w, name, cost, true)
            # Only a gain beyond a tie moves an offset, so cycling cannot loop on noise.
            if best == -np.inf or value > -tie_floor(-best):
                offsets[c], best = offset, value
        if start > -np.inf and best <= -tie_floor(-start):
            break
    value = -best if name == "expected_cost" else best
    return offsets - offsets[0], float(value), n_iter
