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

import numbers

import numpy as np
from sklearn.utils import Bunch

from ..metrics._validation import check_probabilities, multiclass_indices, resolve_pos_label
from ..threshold._objectives import resolve_objective
from ..utils._tolerance import tie_floor
from ._collections import as_column, da, dask, dd, delayed, from_parts, partitions

# Points of each partition's quantile sketch: the bins' edges are quantiles of
# the pooled sketches, so a bin holds about rows / n_bins give or take a
# partition's rows / 64; only the balance depends on it.
_SKETCH_POINTS = 65


def _paired_parts(y_true, y_score, sample_weight=None):
    """The partitions of ``y_true``, ``y_score`` and ``sample_weight`` (None: a None per
    partition), as many of each (sizes checked per part)."""
    y_parts, s_parts = partitions(y_true), partitions(y_score)
    named = {"y_score": s_parts}
    if sample_weight is not None:
        named["sample_weight"] = partitions(as_column(sample_weight, "sample_weight"))
    for name, parts in named.items():
        if len(y_parts) != len(parts):
            raise ValueError(
                f"y_true and {name} must be partitioned alike: y_true has {len(y_parts)} "
                f"partitions, {name} has {len(parts)}. Split them the same way (e.g. predict "
                "on X partitioned like y_true)."
            )
    return y_parts, s_parts, named.get("sample_weight", [None] * len(y_parts))


def _check_part(y_part, score, index, weight=None):
    # Checked where the partition is computed: scores are often predictions, and counting
    # their rows beforehand would compute them twice.
    if len(y_part) != len(score):
        raise ValueError(f"y_true and y_score must be partitioned alike: partition {index} has "
                         f"{len(y_part)} rows in y_true and {len(score)} in y_score.")
    if weight is None:
        return None
    weight = np.asarray(weight, dtype=np.float64)
    if weight.shape != (len(y_part),):
        raise ValueError(f"sample_weight must be partitioned like y_true: partition {index} "
                         f"has {len(y_part)} rows in y_true and {weight.shape} weights.")
    if not (np.all(np.isfinite(weight)) and np.all(weight >= 0)):
        raise ValueError(f"sample_weight partition {index} holds negative, NaN or infinite "
                         "weights; weights must be finite and non-negative.")
    return weight


def _digest(y_part, s_part, w_part, index):
    """One partition read once: its labels, a quantile sketch, its distinct scores with
    the count (or weight) of each label at each (kept on its worker for the second pass)."""
    score = np.asarray(s_part)
    weight = _check_part(y_part, score, index, w_part)
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
    counts = np.bincount(inverse * labels.size + label_index, weights=weight,
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


def _value_at(table, rank):
    rows = np.cumsum(table[1] + table[2])
    return table[0][int(np.searchsorted(rows, rank, side="right"))]


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
    sample_weight : dask.array.Array or dask.dataframe.Series, default=None
        Row weights partitioned like ``y_true``: the counts are then sums of
        weights.
    """

    def __init__(self, y_true, y_score, pos_label=None, sample_weight=None):
        y_true, y_score = as_column(y_true, "y_true"), as_column(y_score, "y_score")
        y_parts, s_parts, w_parts = _paired_parts(y_true, y_score, sample_weight)
        # The scores are computed once (they may be a model's predictions): the digests
        # stay on the workers for the second pass.
        digests = dask.persist(*[delayed(_digest)(y, s, w, i) for i, (y, s, w)
                                 in enumerate(zip(y_parts, s_parts, w_parts, strict=True))])
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
        # Rows (or weight) of each bin, the bins in ascending score order.
        self.bin_rows = totals[:, 0] + totals[:, 1]
        self.n_cuts = totals[:, 2].astype(np.int64)
        # Weighted positives and negatives in the bins above each bin (higher scores).
        above = np.cumsum(totals[::-1, :2], axis=0)[::-1]
        self.above = np.vstack([above[1:], np.zeros((1, 2))])

    def values_at(self, ranks):
        """The scores of the given 0-based ranks in ascending order (rows, not weights)."""
        ends = np.cumsum(self.bin_rows)
        tasks = []
        for rank in ranks:
            b = int(np.searchsorted(ends, rank, side="right"))
            tasks.append(delayed(_value_at)(self.bins[b], rank - (ends[b] - self.bin_rows[b])))
        return np.array(dask.compute(tasks)[0], dtype=np.float64)

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


def _pr_metric(y_true, y_score, pos_label, sample_weight, trapezoid, name):
    table = ScoreTable(y_true, y_score, pos_label, sample_weight)
    if not table.positives or not table.negatives:
        raise ValueError(f"{name} needs both classes in y_true.")
    return float(sum(table.map(_pr_piece, trapezoid)))


def average_precision(y_true, y_score, *, pos_label=None, sample_weight=None):
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
    sample_weight : dask.array.Array or dask.dataframe.Series, default=None
        Row weights, partitioned like ``y_true``.

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
    return _pr_metric(y_true, y_score, pos_label, sample_weight, False, "average_precision")


def pr_auc(y_true, y_score, *, pos_label=None, sample_weight=None):
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
    sample_weight : dask.array.Array or dask.dataframe.Series, default=None
        Row weights, partitioned like ``y_true``.

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
    return _pr_metric(y_true, y_score, pos_label, sample_weight, True, "pr_auc")


def _confusion(y_part, s_part, w_part, pos_label, threshold, index):
    weight = _check_part(y_part, s_part, index, w_part)
    positive = np.asarray(y_part) == pos_label
    predicted = np.asarray(s_part) >= threshold
    # Cells in the order tp, fp, fn, tn: 2 * (not predicted) + (not positive).
    return np.bincount(2 * ~predicted + ~positive, weights=weight, minlength=4).astype(float)


def threshold_metrics(y_true, y_score, threshold, *, metrics=("f1", "g_mean", "mcc"),
                      pos_label=None, sample_weight=None):
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
    sample_weight : dask.array.Array or dask.dataframe.Series, default=None
        Row weights, partitioned like ``y_true``: the confusion counts are
        then sums of weights.

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
    y_parts, s_parts, w_parts = _paired_parts(y_true, y_score, sample_weight)
    labels = np.unique(np.concatenate(dask.compute(
        [delayed(np.unique)(y) for y in y_parts])[0]))
    if labels.size > 2:
        raise ValueError(f"threshold_metrics is binary but y_true has {labels.size} classes.")
    pos_label = resolve_pos_label(labels, pos_label)
    counts = np.sum(dask.compute([delayed(_confusion)(y, s, w, pos_label, threshold, i)
                                  for i, (y, s, w) in enumerate(zip(y_parts, s_parts, w_parts,
                                                                    strict=True))])[0],
                    axis=0)
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


def tune_threshold(y_true, y_score, scoring="f1", *, pos_label=None, sample_weight=None):
    """The exact threshold sweep of :class:`imbtool.TunedThresholdClassifier` on Dask scores.

    Every distinct score is a candidate cut, as in memory, and the cut is
    chosen by the same rule (ties within 1e-12, the lower median of the
    optimal cuts, the middle of its run of optimal cuts); only per-bin
    summaries reach the client. With ``sample_weight`` the confusion counts
    are sums of weights, as ``TunedThresholdClassifier.fit(...,
    sample_weight=...)`` counts them (a score held only by rows of weight 0
    is still a cut).

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
    sample_weight : dask.array.Array or dask.dataframe.Series, default=None
        Row weights, partitioned like ``y_true``.

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
    table = ScoreTable(y_true, y_score, pos_label, sample_weight)
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


def _linear_quantiles(table, n, n_bins):
    """``np.percentile(scores, np.linspace(0, 100, n_bins + 1))`` from the sorted table.

    NumPy's "linear" rule, its floating-point operations in its order, so
    that the bin edges (and the bins of scores equal to an edge) are the
    in-memory ones: the virtual index ``n q + (1 - q) - 1``, the two order
    statistics around it, and their interpolation from the nearer end.
    """
    q = np.true_divide(np.linspace(0, 100, n_bins + 1), 100)
    virtual = n * q + (1 + q * -1) - 1
    previous = np.floor(virtual)
    following = previous + 1
    high, low = virtual >= n - 1, virtual < 0
    previous[high], following[high] = n - 1, n - 1
    previous[low], following[low] = 0, 0
    # NumPy measures the weight from index -1 past the end: the two ends are equal there.
    gamma = virtual - np.where(high, -1, previous)
    ranks = np.unique(np.r_[previous, following]).astype(np.int64)
    values = dict(zip(ranks.tolist(), table.values_at(ranks).tolist(), strict=True))
    a = np.array([values[int(r)] for r in previous])
    b = np.array([values[int(r)] for r in following])
    difference = b - a
    edges = a + difference * gamma
    upper = gamma >= 0.5
    edges[upper] = (b - difference * (1 - gamma))[upper]
    return edges


def _bin_sums(table, pos_above, neg_above, positives, negatives, inner, n_bins):
    """Rows, summed predictions and summed outcomes of each calibration bin, from one bin
    of the sorted table (``np.searchsorted`` of the edges: the in-memory assignment)."""
    scores, pos, neg = table
    rows = pos + neg
    held = rows > 0  # not the predict-nothing cut at inf
    scores, pos, rows = scores[held], pos[held], rows[held]
    bins = np.searchsorted(inner, scores)
    return np.stack([np.bincount(bins, weights=rows, minlength=n_bins),
                     np.bincount(bins, weights=scores * rows, minlength=n_bins),
                     np.bincount(bins, weights=pos, minlength=n_bins)])


def _top_label(y_part, p_part, labels, index):
    """Whether the arg-max class is right, and its probability, for one partition."""
    proba = check_probabilities(np.asarray(p_part), "y_proba")
    _check_part(y_part, proba, index)
    if proba.ndim != 2:
        raise ValueError(f"y_proba partition {index} is 1-D; give one column per class.")
    columns = multiclass_indices(np.asarray(y_part), labels, proba.shape[1])
    return ((np.argmax(proba, axis=1) == columns).astype(np.int64), proba.max(axis=1))


def _first(pair):
    return pair[0]


def _second(pair):
    return pair[1]


def expected_calibration_error(y_true, y_proba, *, n_bins=10, strategy="quantile",
                               pos_label=None, labels=None):
    """Expected calibration error of Dask probabilities, exactly, without collecting them.

    Equals :func:`imbtool.metrics.expected_calibration_error` (the same bins:
    equal-mass bins at the exact quantiles of the predictions, found by the
    distributed sort of :func:`average_precision`, or equal-width bins) up to
    the order of floating-point summation. Binary (1-D ``y_proba``: the
    probability of ``pos_label``) or top-label multiclass (2-D: the arg-max
    class's probability against whether it is right).

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series of shape (n_samples,)
        True labels.
    y_proba : dask.array.Array, dask.dataframe.Series or DataFrame
        Probabilities partitioned like ``y_true``: of shape (n_samples,) for
        a binary problem, (n_samples, n_classes) otherwise.
    n_bins : int, default=10
        Number of bins.
    strategy : {"quantile", "uniform"}, default="quantile"
        Equal-mass (``"quantile"``) or equal-width (``"uniform"``) bins.
    pos_label : int, str or None, default=None
        The positive class of a 1-D ``y_proba``; None means the larger label.
    labels : array-like of shape (n_classes,), default=None
        Class of each column of a 2-D ``y_proba``; None means the sorted
        labels of ``y_true`` (one more pass over it).

    Returns
    -------
    ece : float

    Examples
    --------
    >>> import dask.array as da
    >>> from imbtool.dask import expected_calibration_error
    >>> y = da.from_array([0, 0, 1, 1], chunks=2)
    >>> proba = da.from_array([0.1, 0.3, 0.6, 0.9], chunks=2)
    >>> round(expected_calibration_error(y, proba, n_bins=2), 4)
    0.225
    """
    if not (isinstance(n_bins, numbers.Integral) and n_bins >= 1):
        raise ValueError(f"n_bins must be a positive integer; got {n_bins!r}.")
    if strategy not in ("quantile", "uniform"):
        raise ValueError(f"strategy must be 'quantile' or 'uniform'; got {strategy!r}.")
    y_true = as_column(y_true, "y_true")
    two_d = (isinstance(y_proba, dd.DataFrame) and len(y_proba.columns) > 1) or (
        isinstance(y_proba, da.Array) and y_proba.ndim == 2 and y_proba.shape[1] > 1)
    if two_d:
        y_parts, p_parts = partitions(y_true), partitions(y_proba)
        if len(y_parts) != len(p_parts):
            raise ValueError(f"y_true and y_proba must be partitioned alike: y_true has "
                             f"{len(y_parts)} partitions, y_proba has {len(p_parts)}.")
        if labels is None:
            labels = np.unique(np.concatenate(dask.compute([delayed(np.unique)(p)
                                                            for p in y_parts])[0]))
        pairs = [delayed(_top_label)(y, p, np.asarray(labels), i)
                 for i, (y, p) in enumerate(zip(y_parts, p_parts, strict=True))]
        y_true = from_parts([delayed(_first)(p) for p in pairs], np.dtype(np.int64))
        y_proba, pos_label = from_parts([delayed(_second)(p) for p in pairs],
                                        np.dtype(np.float64)), 1
    table = ScoreTable(y_true, y_proba, pos_label)
    n = int(round(table.bin_rows.sum()))
    low, high = table.values_at([0, n - 1])
    if low < 0 or high > 1:
        raise ValueError(f"y_proba must hold probabilities in [0, 1]; got values in "
                         f"[{low:.4g}, {high:.4g}]. Decision scores are not probabilities: "
                         "use predict_proba, or calibrate the model first.")
    edges = (_linear_quantiles(table, n, n_bins) if strategy == "quantile"
             else np.linspace(0.0, 1.0, n_bins + 1))
    counts, predicted, outcome = np.sum(table.map(_bin_sums, edges[1:-1], n_bins), axis=0)
    filled = counts > 0
    gaps = np.abs(outcome[filled] / counts[filled] - predicted[filled] / counts[filled])
    return float(np.sum(counts[filled] * gaps) / np.sum(counts[filled]))
