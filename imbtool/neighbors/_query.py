"""Validated entry points of the neighbour engine.

The functions here check and convert inputs, pick a kernel (or the numpy path
of ``_small.py`` for small searches while the kernels are not compiled) and
set the thread count; the arithmetic lives in ``_kernels.py``.
"""

import math
import sys
import time
from numbers import Real

import numpy as np
from sklearn.utils import check_array

from ..utils._compiled import is_compiled
from ..utils._scale import UNIT, check_reach, unit_shift
from ..utils._threads import numba_threads
from . import _small
from ._metrics import EUCLIDEAN, MANHATTAN, MIXED

METRICS = {"euclidean": EUCLIDEAN, "manhattan": MANHATTAN, "mixed": MIXED}

# Below this many query-candidate pairs the float32 filter does not pay for
# its set-up (one thread: break-even near 150,000 pairs; the direct path also
# splits fewer queries over more threads); both paths give identical answers,
# so this only moves time.
FILTER_MIN_PAIRS = 300_000
# Searches run in numpy (``_small``), which loads no numba and compiles
# nothing, up to SMALL_MAX_PAIRS query-candidate pairs (10,000 rows against
# 10,000) while the kernels they need are not compiled in this process or
# in numba's cache: compiling those costs ~4-8 s on 2 cores, the numpy path
# ~1 s at that size (a few ms below 10^5 pairs). Compiled kernels are faster
# (3-15x), so they are used whenever they are ready. Both paths give
# identical answers.
SMALL_MAX_PAIRS = 100_000_000
# Up to this many pairs the numpy path of the metrics that sum every pair
# exactly (~20-50 ns a pair with 10 columns, measured on 2 cores) costs less
# than loading numba and cached kernels (~0.5-0.8 s CPU) just to find out
# whether the kernels are compiled.
NUMBA_LOAD_PAIRS = 30_000_000
# The same for euclidean search, which filters with BLAS products: about
# 0.3 (d + 17) ns a pair of d columns on one thread (7.5 ns at 10 columns, 10
# at 20, 21 at 50, 10,000 x 10,000 rows, load ~11), so this many pairs times
# (d + 17) is ~0.8 s: 10^8 pairs of 10 columns.
NUMBA_LOAD_EUCLIDEAN_WORK = 100_000_000 * 27
# A process that has spent this long on the numpy path uses the kernels from
# then on, compiling them if need be: it never spends much more than twice
# what the better choice would have cost. CPU seconds, as compiling is
# counted: wall time on a busy machine would switch too early.
NUMPY_BUDGET_SECONDS = 8.0
# Seconds spent so far on the numpy path (one cell, updated in place).
_numpy_seconds = [0.0]
# Unit roundoff of float32.
_U32 = 2.0**-24
# Below this widest column span the search runs on a copy of the rows scaled
# by a power of two (exact) to a span in [1/2, 1). Above it, a difference down
# to 2^-255 of the span still squares to a normal float64 (>= 2^-1022), so the
# sums of squares are the same, scaled, at every scale; below it squared
# differences would lose bits, then vanish (all of them at spans near 1e-170).
MIN_SPAN = 2.0**-256


def query_slices(n_queries, n_candidates):
    """Slices of ``n_queries`` queries, each a search of at most SMALL_MAX_PAIRS pairs.

    A caller with many queries searches them slice by slice, so that each
    slice may take the numpy path while the kernels are not compiled (a
    fresh install) instead of compiling them; each query's neighbours do not
    depend on the other queries, so the answers are the same.
    """
    step = max(1, SMALL_MAX_PAIRS // max(n_candidates, 1))
    return [slice(start, start + step) for start in range(0, n_queries, step)]


def _use_small(pairs, metric_id, limit, n_features):
    """Whether a search runs on the numpy path (``_small``) rather than the kernels."""
    if pairs > SMALL_MAX_PAIRS or _numpy_seconds[0] > NUMPY_BUDGET_SECONDS:
        return False
    # Loading numba to look at its cache would cost more than the numpy path.
    cheap = (pairs * (n_features + 17) <= NUMBA_LOAD_EUCLIDEAN_WORK if metric_id == EUCLIDEAN
             else pairs <= NUMBA_LOAD_PAIRS)
    if "numba" not in sys.modules and cheap:
        return True
    from . import _kernels

    needed = ((_kernels.knn_direct,) if metric_id != EUCLIDEAN or pairs < limit
              else (_kernels.knn_filter_euclidean, _kernels.knn_rerank))
    return not all(is_compiled(kernel) for kernel in (_kernels.row_bounds, *needed))


def check_data(X, name="X"):
    """Validate a data matrix for the engine without copying what is already fit.

    float32 and float64 are kept as they are; other numeric types become
    float64. The result is C-contiguous, finite and two-dimensional.
    """
    try:
        X = check_array(
            X,
            accept_sparse=False,
            dtype=[np.float64, np.float32],
            order="C",
            ensure_all_finite=True,
            input_name=name,
        )
    except ValueError as exc:
        raise ValueError(f"Invalid {name} for imbtool.neighbors: {exc}") from exc
    check_reach(*column_bounds(X), name=name)
    return X


def column_bounds(X):
    """Per-column minimum and maximum of a validated data matrix, in float64."""
    return X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)


def check_metric(metric, metric_params, n_features):
    """Return (metric id, categorical mask, mismatch penalty) for :func:`search`."""
    if metric not in METRICS:
        raise ValueError(
            f"metric={metric!r} is not supported; use one of {sorted(METRICS)}."
        )
    params = dict(metric_params or {})
    categorical = np.zeros(n_features, dtype=np.bool_)
    penalty = 0.0
    if metric == "mixed":
        unknown = set(params) - {"categorical", "penalty"}
        if unknown or "categorical" not in params or "penalty" not in params:
            raise ValueError(
                "metric='mixed' needs metric_params={'categorical': <boolean mask or indices "
                f"of the categorical columns>, 'penalty': <float >= 0>}}; got {sorted(params)}."
            )
        mask = np.asarray(params["categorical"])
        if mask.dtype == bool:
            if mask.shape != (n_features,):
                raise ValueError(
                    f"metric_params['categorical'] is a boolean mask of length {mask.size}, but "
                    f"X has {n_features} columns."
                )
            categorical = mask.astype(np.bool_)
        else:
            idx = mask.astype(np.int64).ravel()
            if idx.size and (idx.min() < 0 or idx.max() >= n_features):
                raise ValueError(
                    f"metric_params['categorical'] holds column indices outside [0, {n_features})."
                )
            categorical[idx] = True
        penalty = params["penalty"]
        if not isinstance(penalty, Real) or not np.isfinite(penalty) or penalty < 0:
            raise ValueError(
                f"metric_params['penalty'] must be a finite float >= 0; got {penalty!r}."
            )
        penalty = float(penalty)
    elif params:
        raise ValueError(f"metric={metric!r} takes no metric_params; got {sorted(params)}.")
    return METRICS[metric], categorical, penalty


def search(Xq, qrows, Xc, crows, exclude, k, metric_id, categorical, penalty, n_jobs,
           filter_min_pairs=None):
    """Exact k-nearest search over validated arrays; see ``_kernels.knn_direct``.

    The answer does not depend on the scale of the data: rows whose widest
    column span (or mixed-metric penalty) is under ``MIN_SPAN`` are searched
    on a copy scaled by a power of two, which changes no distance order or
    tie, and the distances are scaled back exactly (up to one rounding where
    they are subnormal). Other rows are searched in place.
    """
    limit = FILTER_MIN_PAIRS if filter_min_pairs is None else filter_min_pairs
    small = _use_small(qrows.size * crows.size, metric_id, limit, Xc.shape[1])
    if small:
        low, high = _small.row_bounds(Xq, qrows, Xc, crows)
    else:
        from . import _kernels

        low, high = _kernels.row_bounds(Xq, qrows, Xc, crows)
    span = high - low
    # Categorical columns only count as equal or not; the penalty stands for them.
    measured = ~categorical
    widest = max(float(np.max(span[measured], initial=0.0)), penalty)
    shift = unit_shift(widest, band=(MIN_SPAN, math.inf))
    if shift == 0:
        return _search(Xq, qrows, Xc, crows, exclude, k, metric_id, categorical, penalty,
                       n_jobs, low, high, limit, small)
    # Constant and categorical columns keep their values: scaling them changes
    # no distance, and an offset far above the span could overflow.
    # (np.ldexp, not a product: 2^shift itself overflows for subnormal spans.)
    shifts = np.where(measured & (span > 0), shift, 0)
    at = np.minimum(np.searchsorted(crows, exclude), crows.size - 1)
    exclude = np.where((exclude >= 0) & (crows[at] == exclude), at, -1)
    dist, ind = _search(np.ldexp(Xq[qrows].astype(np.float64), shifts),
                        np.arange(qrows.size, dtype=np.int64),
                        np.ldexp(Xc[crows].astype(np.float64), shifts),
                        np.arange(crows.size, dtype=np.int64), exclude, k, metric_id,
                        categorical, math.ldexp(penalty, shift), n_jobs, np.ldexp(low, shifts),
                        np.ldexp(high, shifts), limit, small)
    return np.ldexp(dist, -shift), crows[ind]


def _search(Xq, qrows, Xc, crows, exclude, k, metric_id, categorical, penalty, n_jobs, low,
            high, limit, small):
    """:func:`search` on rows within the box [low, high] (per column) that need no scaling.

    ``small`` picks the numpy path (``_small``) over the kernels.
    """
    penalty2 = penalty * penalty
    if small:
        start = time.process_time()
        found = _small.knn(Xq, qrows, Xc, crows, exclude, k, metric_id, categorical, penalty2)
        _numpy_seconds[0] += time.process_time() - start
        return found
    from . import _kernels

    with numba_threads(n_jobs, work=qrows.size * crows.size * Xc.shape[1]):
        if metric_id != EUCLIDEAN or qrows.size * crows.size < limit:
            return _kernels.knn_direct(Xq, qrows, Xc, crows, exclude, k, metric_id,
                                       categorical, penalty2)
        d = Xc.shape[1]
        # Any centre is correct; one near the data keeps norms, and so the
        # error margins, small. A strided sample of rows is enough; inside the
        # box, no centred coordinate exceeds the widest span.
        center = np.clip(Xc[crows[:: max(1, crows.size // 4096)]].mean(axis=0, dtype=np.float64),
                         low, high)
        # The filter scales the centred coordinates by this power of two to
        # within [-1, 1]: float32 then never overflows, and underflows only for
        # coordinates far below the widest span (``eta`` covers those).
        widest = float(np.max(high - low))
        scale = math.ldexp(1.0, unit_shift(widest, band=UNIT))
        # First-order bound on |approximate - exact| squared distance, relative
        # to |q|^2 + 2 |c|^2: at most (d + 6) float32 roundings (inputs, |c|^2
        # and the (d + 1)-term product that sums them); (d + 10), doubled, for safety.
        beta = 2.0 * (d + 10) * _U32
        # An underflowing float32 rounding errs by up to 2^-150 (half the
        # smallest subnormal), absolutely. With coordinates in [-1, 1] that
        # reaches a squared distance through 3 d conversions (weight at most 2)
        # and d + 2 other roundings: under (d + 1) 2^-147; doubled, for safety.
        eta = (d + 1) * 2.0**-146
        n_keep = max(2 * k, k + 16)
        cand, complete = _kernels.knn_filter_euclidean(
            Xq, qrows, Xc, crows, exclude, k, n_keep, center, scale, beta, eta)
        dist, ind = _kernels.knn_rerank(Xq, qrows, Xc, cand, k)
        redo = np.flatnonzero(~complete)
        if redo.size:
            dist[redo], ind[redo] = _kernels.knn_direct(
                Xq, qrows[redo], Xc, crows, exclude[redo], k, metric_id, categorical, penalty2)
        return dist, ind


def _cross_plan(codes, qrows, n_features, metric_id):
    """The class pairs of a cross search (:func:`foreign_search`), or None where it does not pay.

    A cross search computes each pair of classes' distances once, for the
    rows of both; per-class searches compute them once for each side that
    has queries. It runs on the numpy path only (the kernels search one
    side at a time) and where it saves over a quarter of the pairs: with
    both sides' sampled thresholds and the second test, a cross search costs
    ~1.25x one side's search of the same pairs (9,000 x 9,000 rows of 10
    columns, one thread: 0.51 s CPU against 0.78-0.87 s for both sides).
    """
    if metric_id != EUCLIDEAN:
        return None
    counts = np.bincount(codes)
    queried = np.bincount(codes[qrows], minlength=counts.size)
    present = np.flatnonzero(counts)
    pairs = [(a, b) for at, a in enumerate(present) for b in present[at + 1:]
             if queried[a] or queried[b]]
    sizes = [int(counts[a]) * int(counts[b]) for a, b in pairs]
    separate = int(queried @ (codes.size - counts))
    if not pairs or sum(sizes) > 0.75 * separate:
        return None
    if not _use_small(max(sizes), EUCLIDEAN, FILTER_MIN_PAIRS, n_features):
        return None
    return pairs


def foreign_pairs(codes, qrows, n_features, metric_id=EUCLIDEAN):
    """Query-candidate pairs :func:`foreign_search` computes for these query rows."""
    plan = _cross_plan(codes, qrows, n_features, metric_id)
    counts = np.bincount(codes)
    if plan is None:
        return int(np.bincount(codes[qrows], minlength=counts.size) @ (codes.size - counts))
    return sum(int(counts[a]) * int(counts[b]) for a, b in plan)


def foreign_search(X, codes, qrows, metric_id, categorical, penalty, n_jobs):
    """Each query row's nearest row of another class: ``(dist, row)``, ``(inf, -1)`` where none.

    ``codes`` are class codes 0..n_classes-1 of every row of the validated
    ``X``. Per class of the queries, one search among the other classes'
    rows; or, on the numpy path, one cross search per pair of classes
    (:func:`_cross_plan`), merged in the engine's (distance, row) order on
    the squared sums: the same answer.
    """
    plan = _cross_plan(codes, qrows, X.shape[1], metric_id)
    if plan is not None:
        start = time.process_time()
        found = _cross_search(X, codes, qrows, plan)
        _numpy_seconds[0] += time.process_time() - start
        if found is not None:
            return found
    dist = np.full(qrows.size, np.inf)
    ind = np.full(qrows.size, -1, dtype=np.int64)
    for label in np.unique(codes[qrows]):
        mine = np.flatnonzero(codes[qrows] == label)
        others = np.flatnonzero(codes != label)
        if others.size == 0:
            continue
        exclude = np.full(mine.size, -1, dtype=np.int64)
        d, i = search(X, qrows[mine], X, others, exclude, 1, metric_id, categorical, penalty,
                      n_jobs)
        dist[mine] = d[:, 0]
        ind[mine] = i[:, 0]
    return dist, ind


def _cross_search(X, codes, qrows, pairs):
    """:func:`foreign_search` by cross searches of ``pairs`` of classes, or None where the
    per-class searches would scale the rows (``MIN_SPAN``) or the products could overflow.
    """
    rows = {c: np.flatnonzero(codes == c) for c in np.unique(codes)}
    for label in np.unique(codes[qrows]):
        low, high = _small.row_bounds(X, qrows[codes[qrows] == label], X,
                                      np.flatnonzero(codes != label))
        if unit_shift(float(np.max(high - low, initial=0.0)), band=(MIN_SPAN, math.inf)):
            return None
    best_s = np.full(codes.size, np.inf)
    best_i = np.full(codes.size, -1, dtype=np.int64)
    for a, b in pairs:
        found = _small.cross_nearest(X, rows[a], rows[b])
        if found is None:
            return None
        for side, s, i in ((rows[a], *found[:2]), (rows[b], *found[2:])):
            better = (s < best_s[side]) | ((s == best_s[side]) & (i < best_i[side]))
            best_s[side[better]] = s[better]
            best_i[side[better]] = i[better]
    return np.sqrt(best_s[qrows]), best_i[qrows]
