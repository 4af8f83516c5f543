"""Imbalance metrics and the exact threshold sweep on Dask predictions, out of core.

The ranking metrics and the sweep need the scores in order. No row reaches the
client: a first pass takes a quantile sketch of every partition's scores and
cuts the score axis into bins of about one partition's rows each; a second pass
reduces each partition to its distinct scores with their positive and negative
counts and sends each bin's part to that bin's merge. A bin's table then holds
every distinct score of its range, in order, on a worker. With the counts of
the bins above it, each bin computes its share of the precision-recall curve
and of the sweep exactly; the client adds up one number (or a few) per bin.
The sketch only balances the bins: the results are exact whatever it gives,
equal to the in-memory metrics up to the order of floating-point summation.
"""

import numpy as np
from sklearn.utils import Bunch

from ..metrics._validation import resolve_pos_label
from ..threshold._objectives import resolve_objective
from ..utils._tolerance import tie_floor
from ._collections import as_column, dask, delayed, partitions

# Points of each partition's quantile sketch: the bins' edges are quantiles of
# the pooled sketches, so a bin holds about rows / n_bins give or take a
# partition's rows / 64; only the balance depends on it.
_SKETCH_POINTS = 65


def _paired_parts(y_true, y_score):
    """The partitions of ``y_true`` and ``y_score``, as many of each (sizes checked per part)."""
    y_parts, s_parts = partitions(y_true), partitions(y_score)
    if len(y_parts) != len(s_parts):
        raise ValueError(
            f"y_true and y_score must be partitioned alike: y_true has {len(y_parts)} "
            f"partitions, y_score has {len(s_parts)}. Split them the same way (e.g. predict "
            "on X partitioned like y_true)."
        )
    return y_parts, s_parts


def _check_part(y_part, score, index):
    # Checked where the partition is computed: scores are often predictions, and counting
    # their rows beforehand would compute them twice.
    if len(y_part) != len(score):
        raise ValueError(f"y_true and y_score must be partitioned alike: partition {index} has "
                         f"{len(y_part)} rows in y_true and {len(score)} in y_score.")


def _digest(y_part, s_part, index):
    """One partition read once: its labels, a quantile sketch, its distinct scores with
    the count of each label at each (kept on its worker for the second pass)."""
    score = np.asarray(s_part)
    _check_part(y_part, score, index)
    if score.ndim != 1 or not np.issubdtype(score.dtype, np.number) or score.dtype == bool:
        raise TypeError(f"y_score must be 1-D numeric scores; partition {index} holds "
                        f"{score.dtype} of shape {score.shape}.")
    if not np.isfinite(score).all():
        raise ValueError(f"y_score partition {index} contains NaN or infinite values; remove or "
                         "impute them.")
    sketch = (np.quantile(score, np.linspace(0, 1, _SKETCH_POINTS)) if score.size
              else np.empty(0))
    labels, label_index = np.unique(np.asarray(y_part), return_inverse=True)
    scores, inverse = np.unique(score.astype(np.float64), return_inverse=True)
    counts = np.bincount(inverse * labels.size + label_index,
                         minlength=scores.size * labels.size).reshape(scores.size, labels.size)
    return labels, sketch, score.size, scores, counts


def _summary(digest):
    return digest[:3]


def _table(digest, pos_label, edges):
    """Distinct scores of one partition with their positive and negative counts, per bin."""
    labels, _, _, scores, counts = digest
    pos = counts[:, labels == pos_label].sum(axis=1)
    neg = counts.sum(axis=1) - pos
    cuts = np.searchsorted(scores, edges, side="left")
    return [(scores[a:b], pos[a:b], neg[a:b])
            for a, b in zip(np.r_[0, cuts], np.r_[cuts, scores.size], strict=True)]


def _merge_bin(*pieces):
    scores = np.concatenate([p[0] for p in pieces])
    unique, inverse = np.unique(scores, return_inverse=True)
    return (unique,
            np.bincount(inverse, weights=np.concatenate([p[1] for p in pieces]),
                        minlength=unique.size),
            np.bincount(inverse, weights=np.concatenate([p[2] for p in pieces]),
                        minlength=unique.size))


def _totals(table):
    return float(table[1].sum()), float(table[2].sum()), int(table[0].size)


class ScoreTable:
    """The distinct scores of Dask predictions with their class counts, in bins on the workers.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Binary labels.
    y_score : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Scores of the positive class, partitioned like ``y_true``.
    pos_label : int, str or None, default=None
        The positive class; None means the larger label (1 of 0/1).
    """

    def __init__(self, y_true, y_score, pos_label=None):
        y_true, y_score = as_column(y_true, "y_true"), as_column(y_score, "y_score")
        y_parts, s_parts = _paired_parts(y_true, y_score)
        # The scores are computed once (they may be a model's predictions): the digests
        # stay on the workers for the second pass.
        digests = dask.persist(*[delayed(_digest)(y, s, i) for i, (y, s)
                                 in enumerate(zip(y_parts, s_parts, strict=True))])
        summaries = dask.compute([delayed(_summary)(d) for d in digests])[0]
        labels = np.unique(np.concatenate([labels for labels, _, _ in summaries]))
        if labels.size > 2:
            raise ValueError(f"The metric is binary but y_true has {labels.size} classes "
                             f"{labels.tolist()[:10]}; use one-vs-rest scores per class.")
        self.pos_label = resolve_pos_label(labels, pos_label)
        sketch = np.concatenate([s for _, s, _ in summaries])
        if not sketch.size:
            raise ValueError("y_score has no rows.")
        weight = np.concatenate([np.full(s.size, n / max(s.size, 1)) for _, s, n in summaries])
        n_bins = len(s_parts)
        order = np.argsort(sketch, kind="stable")
        position = np.cumsum(weight[order]) / weight.sum()
        picks = np.searchsorted(position, np.arange(1, n_bins) / n_bins)
        edges = np.unique(sketch[order][np.minimum(picks, sketch.size - 1)])
        per_part = [delayed(_table, nout=edges.size + 1)(d, self.pos_label, edges)
                    for d in digests]
        bins = [delayed(_merge_bin)(*[part[b] for part in per_part])
                for b in range(edges.size + 1)]
        # The predict-nothing cut: threshold inf, no row at or above it.
        bins.append(delayed((np.array([np.inf]), np.zeros(1), np.zeros(1))))
        self.bins = dask.persist(*bins)
        totals = np.array(dask.compute([delayed(_totals)(b) for b in self.bins])[0])
        self.positives, self.negatives = totals[:, 0].sum(), totals[:, 1].sum()
        self.n_cuts = totals[:, 2].astype(np.int64)
        # Weighted positives and negatives in the bins above each bin (higher scores).
        above = np.cumsum(totals[::-1, :2], axis=0)[::-1]
        self.above = np.vstack([above[1:], np.zeros((1, 2))])

    def map(self, func, *args):
        """``func(table, pos_above, neg_above, positives, negatives, *args)`` for every bin."""
        return dask.compute([
            delayed(func)(b, pos, neg, self.positives, self.negatives, *args)
            for b, (pos, neg) in zip(self.bins, self.above, strict=True)
        ])[0]


def _cumulative(table, pos_above, neg_above):
    """tp and fp of every cut of a bin, highest score first (the curve's order)."""
    return pos_above + np.cumsum(table[1][::-1]), neg_above + np.cumsum(table[2][::-1])


def _pr_piece(table, pos_above, neg_above, positives, negatives, trapezoid):
    tp, fp = _cumulative(table, pos_above, neg_above)
    keep = tp + fp > 0  # the inf cut (nothing predicted) is not a point of the curve
    tp, fp = tp[keep], fp[keep]
    if not tp.size:
        return 0.0
    recall, precision = tp / positives, tp / (tp + fp)
    start = pos_above + neg_above > 0
    previous_recall = np.r_[pos_above / positives, recall[:-1]]
    if not trapezoid:
        return float(np.sum((recall - previous_recall) * precision))
    previous_precision = np.r_[pos_above / (pos_above + neg_above) if start else 1.0,
                               precision[:-1]]
    return float(np.sum((recall - previous_recall) * (precision + previous_precision) / 2))


def _pr_metric(y_true, y_score, pos_label, trapezoid, name):
    table = ScoreTable(y_true, y_score, pos_label)
    if not table.positives or not table.negatives:
        raise ValueError(f"{name} needs both classes in y_true.")
    return float(sum(table.map(_pr_piece, trapezoid)))


def average_precision(y_true, y_score, *, pos_label=None):
    """Average precision of Dask scores, exactly, without collecting them.

    Equals :func:`imbtool.metrics.average_precision` (scikit-learn's step
    sum over every distinct score) up to the order of summation.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Binary labels.
    y_score : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Positive-class scores, partitioned like ``y_true``.
    pos_label : int, str or None, default=None
        The positive class; None means the larger label.

    Returns
    -------
    score : float

    Examples
    --------
    >>> import dask.array as da
    >>> from imbtool.dask import average_precision
    >>> y = da.from_array([0, 0, 1, 1], chunks=2)
    >>> round(average_precision(y, da.from_array([0.1, 0.4, 0.35, 0.8], chunks=2)), 4)
    0.8333
    """
    return _pr_metric(y_true, y_score, pos_label, False, "average_precision")


def pr_auc(y_true, y_score, *, pos_label=None):
    """Area under the precision-recall curve (trapezoids) of Dask scores, exactly.

    Equals :func:`imbtool.metrics.pr_auc` up to the order of summation.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Binary labels.
    y_score : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Positive-class scores, partitioned like ``y_true``.
    pos_label : int, str or None, default=None
        The positive class; None means the larger label.

    Returns
    -------
    score : float

    Examples
    --------
    >>> import dask.array as da
    >>> from imbtool.dask import pr_auc
    >>> y = da.from_array([0, 0, 1, 1], chunks=2)
    >>> round(pr_auc(y, da.from_array([0.1, 0.4, 0.35, 0.8], chunks=2)), 4)
    0.7917
    """
    return _pr_metric(y_true, y_score, pos_label, True, "pr_auc")


def _confusion(y_part, s_part, pos_label, threshold, index):
    _check_part(y_part, s_part, index)
    positive = np.asarray(y_part) == pos_label
    predicted = np.asarray(s_part) >= threshold
    return np.array([np.sum(positive & predicted), np.sum(~positive & predicted),
                     np.sum(positive & ~predicted), np.sum(~positive & ~predicted)], dtype=float)


def threshold_metrics(y_true, y_score, threshold, *, metrics=("f1", "g_mean", "mcc"),
                      pos_label=None):
    """Metrics of the predictions ``y_score >= threshold`` on Dask data, from one pass.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Binary labels.
    y_score : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Positive-class scores, partitioned like ``y_true``.
    threshold : float
        Predict positive when the score is at least this.
    metrics : sequence of str, default=("f1", "g_mean", "mcc")
        Names of :class:`imbtool.TunedThresholdClassifier`'s objectives
        (``"f1"``, ``"g_mean"``, ``"mcc"``, ``"balanced_accuracy"``,
        ``"precision"``, ``"recall"``, ...).
    pos_label : int, str or None, default=None
        The positive class; None means the larger label.

    Returns
    -------
    scores : dict
        ``{name: value}`` and the confusion counts ``tp``, ``fp``, ``fn``, ``tn``.

    Examples
    --------
    >>> import dask.array as da
    >>> from imbtool.dask import threshold_metrics
    >>> y = da.from_array([0, 0, 1, 1], chunks=2)
    >>> scores = threshold_metrics(y, da.from_array([0.1, 0.4, 0.35, 0.8], chunks=2), 0.3)
    >>> round(scores["f1"], 4), scores["tp"], scores["fp"]
    (0.8, 2.0, 1.0)
    """
    y_true, y_score = as_column(y_true, "y_true"), as_column(y_score, "y_score")
    y_parts, s_parts = _paired_parts(y_true, y_score)
    labels = np.unique(np.concatenate(dask.compute(
        [delayed(np.unique)(y) for y in y_parts])[0]))
    if labels.size > 2:
        raise ValueError(f"threshold_metrics is binary but y_true has {labels.size} classes.")
    pos_label = resolve_pos_label(labels, pos_label)
    counts = np.sum(dask.compute([delayed(_confusion)(y, s, pos_label, threshold, i)
                                  for i, (y, s) in enumerate(zip(y_parts, s_parts,
                                                                 strict=True))])[0], axis=0)
    named = dict(zip(("tp", "fp", "fn", "tn"), counts.tolist(), strict=True))
    as_arrays = Bunch(n=np.array([counts.sum()]), **{k: np.array([v]) for k, v in named.items()})
    scores = {}
    for name in metrics:
        objective = resolve_objective(name)
        scores[name] = float(objective.finalize(objective.components(as_arrays)).score[0])
    return {**scores, **named}


def _sweep_piece(table, pos_above, neg_above, positives, negatives, objective):
    """The objective at every cut of a bin, in ascending threshold order."""
    tp, fp = (c[::-1] for c in _cumulative(table, pos_above, neg_above))
    counts = Bunch(tp=tp, fp=fp, fn=positives - tp, tn=negatives - fp,
                   n=np.full(tp.size, positives + negatives))
    result = objective.finalize(objective.components(counts))
    value = np.where(np.isnan(objective.utility(result)), -np.inf, objective.utility(result))
    if result.feasible is not None:
        value = np.where(result.feasible, value, -np.inf)
    tiebreak = None if result.tiebreak is None else np.asarray(result.tiebreak, dtype=float)
    return value, tiebreak, np.asarray(result.score, dtype=float)


def _best(piece):
    return piece[0].max(initial=-np.inf), piece[1] is not None


def _optimal(piece, floor, tie_floor_value):
    value, tiebreak, _ = piece
    optimal = value >= floor
    if tie_floor_value is not None:
        optimal &= np.where(optimal, tiebreak, -np.inf) >= tie_floor_value
    return optimal


def _tiebreak_max(piece, floor):
    value, tiebreak, _ = piece
    return np.where(value >= floor, tiebreak, -np.inf).max(initial=-np.inf)


def _optimal_summary(piece, floor, tie_floor_value):
    optimal = _optimal(piece, floor, tie_floor_value)
    lead = optimal.size if optimal.all() else int(np.argmin(optimal))
    trail = optimal.size if optimal.all() else int(np.argmin(optimal[::-1]))
    return int(optimal.sum()), lead, trail


def _run_at(piece, floor, tie_floor_value, rank):
    """Local index of the bin's ``rank``-th optimal cut, the ends of its run, its score."""
    optimal = _optimal(piece, floor, tie_floor_value)
    index = int(np.flatnonzero(optimal)[rank])
    lo = index
    while lo > 0 and optimal[lo - 1]:
        lo -= 1
    hi = index
    while hi < optimal.size - 1 and optimal[hi + 1]:
        hi += 1
    return index, lo, hi, float(piece[2][index])


def _threshold_at(table, index):
    return float(table[0][index])


def tune_threshold(y_true, y_score, scoring="f1", *, pos_label=None):
    """The exact threshold sweep of :class:`imbtool.TunedThresholdClassifier` on Dask scores.

    Every distinct score is a candidate cut, as in memory, and the cut is
    chosen by the same rule (ties within 1e-12, the lower median of the
    optimal cuts, the middle of its run of optimal cuts); only per-bin
    summaries reach the client.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Binary labels.
    y_score : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        Positive-class scores (e.g. prior-corrected probabilities), partitioned
        like ``y_true``.
    scoring : str, Objective or callable, default="f1"
        An objective as :class:`imbtool.TunedThresholdClassifier` takes it.
    pos_label : int, str or None, default=None
        The positive class; None means the larger label.

    Returns
    -------
    threshold : float
        Predict positive when the score is at least this.
    score : float
        The objective at that threshold.

    Examples
    --------
    >>> import dask.array as da
    >>> from imbtool.dask import tune_threshold
    >>> y = da.from_array([0, 0, 1, 1], chunks=2)
    >>> threshold, f1 = tune_threshold(y, da.from_array([0.1, 0.4, 0.35, 0.8], chunks=2), "f1")
    >>> round(threshold, 4), f1
    (0.225, 0.8)
    """
    objective = resolve_objective(scoring)
    table = ScoreTable(y_true, y_score, pos_label)
    pieces = dask.persist(*[delayed(_sweep_piece)(b, pos, neg, table.positives, table.negatives,
                                                  objective)
                            for b, (pos, neg) in zip(table.bins, table.above, strict=True)])
    bests = dask.compute([delayed(_best)(p) for p in pieces])[0]
    best = max(value for value, _ in bests)
    if best == -np.inf:
        raise ValueError(f"No threshold is admissible for {objective!r} on these scores.")
    floor = tie_floor(best)
    tie_floor_value = None
    if bests[0][1]:
        tie_max = max(dask.compute([delayed(_tiebreak_max)(p, floor) for p in pieces])[0])
        tie_floor_value = tie_floor(tie_max)
    summary = np.array(dask.compute([delayed(_optimal_summary)(p, floor, tie_floor_value)
                                     for p in pieces])[0])
    counts, lead, trail = summary.T
    rank = (counts.sum() - 1) // 2
    b = int(np.searchsorted(np.cumsum(counts), rank, side="right"))
    _, lo, hi, score = dask.compute(delayed(_run_at)(
        pieces[b], floor, tie_floor_value, int(rank - counts[:b].sum())))[0]
    starts = np.r_[0, np.cumsum(table.n_cuts)]
    lo_bin, hi_bin = b, b
    if lo == 0:  # the run goes on into the bins below while they are optimal to the end
        lo_bin -= 1
        while lo_bin >= 0 and trail[lo_bin] == table.n_cuts[lo_bin]:
            lo_bin -= 1
        lo = -int(sum(trail[lo_bin + 1:b])) - (int(trail[lo_bin]) if lo_bin >= 0 else 0)
    if hi == table.n_cuts[b] - 1:
        hi_bin += 1
        while hi_bin < len(pieces) and lead[hi_bin] == table.n_cuts[hi_bin]:
            hi_bin += 1
        hi += int(sum(lead[b + 1:hi_bin])) + (int(lead[hi_bin]) if hi_bin < len(pieces) else 0)
    lo_global, hi_global = starts[b] + lo, starts[b] + hi
    last = starts[-1] - 1
    if lo_global == last:
        return np.inf, score
    fetch = [lo_global - 1 if lo_global > 0 else 0, min(hi_global, last - 1)]
    lower, upper = dask.compute([
        delayed(_threshold_at)(table.bins[k], int(g - starts[k]))
        for g in fetch for k in [int(np.searchsorted(starts, g, side="right") - 1)]])[0]
    middle = lower + (upper - lower) / 2
    # Cut k owns (thresholds[k-1], thresholds[k]]: never return the lower end itself.
    return (upper if (lo_global > 0 and middle <= lower) else middle), score
