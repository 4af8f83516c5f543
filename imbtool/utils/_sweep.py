"""Confusion counts at every distinct score cut from one sort, and the choice of a cut.

Shared by the threshold tuner, the remedy search and the threshold curve
display, which all evaluate an objective on every cut of held-out scores.

A *cut* ``k`` predicts positive when ``score >= thresholds[k]``; the
thresholds are the distinct scores in ascending order followed by ``inf``
(predict nothing positive). Any threshold in ``(thresholds[k-1],
thresholds[k]]`` gives the same predictions as cut ``k``, so evaluating a
metric at every cut is an exact search over all thresholds.
"""

import numpy as np
from sklearn.utils import Bunch

from ._tolerance import tie_floor


def per_sample_cost(cost, y):
    """Cost of predicting negative and positive for each sample, from its true class.

    ``cost`` is a ``(2, 2)`` matrix ``C[true, pred]`` or an ``(n, 2, 2)`` stack of
    per-sample matrices; ``y`` is 0/1.
    """
    rows = cost[y] if cost.ndim == 2 else cost[np.arange(len(y)), y]
    return rows[:, 0], rows[:, 1]


def confusion_sweep(y, score, sample_weight=None, cost=None):
    """Weighted confusion counts (and total cost) at every distinct cut of ``score``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        0/1 targets.
    score : ndarray of shape (n_samples,)
        Finite float scores; larger means more positive.
    sample_weight : ndarray of shape (n_samples,), default=None
    cost : ndarray of shape (2, 2) or (n_samples, 2, 2), default=None
        Cost matrix ``C[true, pred]``; when given the result holds ``cost``,
        the weighted total cost at every cut.

    Returns
    -------
    sweep : Bunch
        ``thresholds`` (ascending, ``inf`` last), ``tp``, ``fp``, ``fn``, ``tn``,
        ``n`` (total weight) and ``cost`` (or None), one entry per cut.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import confusion_sweep
    >>> sweep = confusion_sweep(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> sweep.thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ,  inf])
    >>> sweep.tp, sweep.fp
    (array([2., 2., 1., 1., 0.]), array([2., 1., 1., 0., 0.]))
    """
    w = np.ones(len(y)) if sample_weight is None else sample_weight
    order = np.argsort(-score, kind="stable")
    s = score[order]
    # Last position of each run of equal scores in descending order: the
    # predicted-positive set of a cut is a prefix ending there.
    ends = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]
    w_sorted, y_sorted = w[order], y[order]
    tp = np.r_[np.cumsum(w_sorted * y_sorted)[ends][::-1], 0.0]
    fp = np.r_[np.cumsum(w_sorted * (1 - y_sorted))[ends][::-1], 0.0]
    positives, total = float(np.sum(w * y)), float(np.sum(w))
    sweep = Bunch(
        thresholds=np.r_[s[ends][::-1], np.inf],
        tp=tp,
        fp=fp,
        fn=positives - tp,
        tn=(total - positives) - fp,
        n=np.full(len(tp), total),
        cost=None,
    )
    if cost is not None:
        if_negative, if_positive = per_sample_cost(cost, y)
        extra = np.cumsum((w * (if_positive - if_negative))[order])[ends][::-1]
        sweep.cost = float(np.sum(w * if_negative)) + np.r_[extra, 0.0]
    return sweep


def take_cuts(sweep, thresholds):
    """Counts of ``sweep`` at arbitrary ``thresholds`` (each mapped to its exact cut)."""
    index = np.searchsorted(sweep.thresholds, thresholds, side="left")
    return Bunch(
        thresholds=np.asarray(thresholds),
        **{
            key: (None if value is None else value[index])
            for key, value in sweep.items()
            if key != "thresholds"
        },
    )


def select_cut(value, feasible=None, tiebreak=None):
    """Index of the best cut and the threshold in the middle of its optimal run.

    ``value`` is greater-is-better; NaN and infeasible cuts never win. Values
    within a relative ``1e-12`` of the best count as ties; among them the
    larger ``tiebreak`` wins (constrained objectives prefer the point that
    meets the constraint by the widest margin). Of the remaining optimal cuts
    the lower median is taken, and the consecutive run of optimal cuts
    around it spans a score interval; the midpoint of that interval is the
    threshold.

    Returns
    -------
    index : int or None
        None when no cut is feasible.
    optimal : ndarray of bool or None
        Which cuts tie for the best value.
    """
    v = np.where(np.isnan(value), -np.inf, value)
    if feasible is not None:
        v = np.where(feasible, v, -np.inf)
    best = v.max()
    if best == -np.inf:
        return None, None
    optimal = v >= tie_floor(best)
    if tiebreak is not None:
        t = np.where(optimal, tiebreak, -np.inf)
        optimal &= t >= tie_floor(t.max())
    candidates = np.flatnonzero(optimal)
    return int(candidates[(len(candidates) - 1) // 2]), optimal


def middle_threshold(thresholds, optimal, index):
    """Midpoint of the score interval of the run of optimal cuts containing ``index``."""
    lo = index
    while lo > 0 and optimal[lo - 1]:
        lo -= 1
    hi = index
    last = len(thresholds) - 1
    while hi < last and optimal[hi + 1]:
        hi += 1
    if lo == last:
        return np.inf
    lower = thresholds[lo - 1] if lo > 0 else thresholds[0]
    upper = thresholds[min(hi, last - 1)]
    middle = lower + (upper - lower) / 2
    # Cut k owns (thresholds[k-1], thresholds[k]]: the lower end itself
    # belongs to the previous cut, so never return it.
    return upper if (lo > 0 and middle <= lower) else middle


def threshold_curve(objective, data, summary=False):
    """An objective at every cut of held-out scores, and the chosen cut.

    Parameters
    ----------
    objective : imbtool.threshold.Objective
    data : list of tuple (y, score, sample_weight, cost)
        One tuple per group of held-out scores: one group is swept as it is,
        several (folds) are evaluated at the union of their cuts and the
        objective's components averaged over them.
    summary : bool, default=False
        Return only ``(threshold, score)`` (NaN, NaN when no cut is feasible).

    Returns
    -------
    curve : Bunch or tuple
        ``thresholds``, ``parts`` (the objective's components), ``result``
        (its finalised score, feasibility and tie-break), ``index`` of the
        chosen cut (None when none is feasible), ``threshold`` and ``counts``
        (the sweep of a single group, None for several).
    """
    sweeps = [confusion_sweep(*d) for d in data]
    if len(sweeps) == 1:
        counts = sweeps[0]
        thresholds, parts = counts.thresholds, objective.components(counts)
    else:
        thresholds = np.unique(np.concatenate([s.thresholds for s in sweeps]))
        per_fold = [objective.components(take_cuts(s, thresholds)) for s in sweeps]
        counts = None
        parts = {k: np.mean([p[k] for p in per_fold], axis=0) for k in per_fold[0]}
    result = objective.finalize(parts)
    index, optimal = select_cut(objective.utility(result), result.feasible, result.tiebreak)
    threshold = None if index is None else middle_threshold(thresholds, optimal, index)
    if summary:
        return (np.nan, np.nan) if index is None else (threshold, result.score[index])
    return Bunch(thresholds=thresholds, parts=parts, result=result, index=index,
                 threshold=threshold, counts=counts)
