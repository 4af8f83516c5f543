"""Numba kernels of the neighbour engine: pure functions over arrays.

Two exact paths, both blocked so that memory beyond the output is a few
per-thread buffers:

* ``knn_direct`` sums each distance in float64, one column after another, over
  a transposed block of candidates. Any metric; used for small problems, for
  non-euclidean metrics and as the fallback of the filtered path.
* ``knn_filter_euclidean`` + ``knn_rerank`` is the fast euclidean path.
  float32 products formed in registers (``_simd.product_tile``: twice the SIMD
  width of float64, and no pass over a stored product matrix) give
  approximate squared distances of centred data; every candidate that could
  still be among the k nearest, given a rigorous bound on the float32
  rounding error, is kept; the survivors are
  then ranked by the same float64 sums as ``knn_direct``. Both paths therefore
  return identical neighbours, ties broken by the lower row index.
"""

import numpy as np
from numba import njit, prange
from numba.cpython.unsafe.numbers import trailing_zeros

from ._metrics import MANHATTAN, MIXED
from ._simd import TILE_C, TILE_Q, product_tile

# Direct path: query rows per task, candidates per transposed block.
DIRECT_Q = 64
DIRECT_C = 256
# Filtered path: queries per task and candidates packed per step. Each task packs
# every candidate once, so more queries per task spread that cost thinner; the
# packed block (FILTER_C x (d + 1) float32) stays in a core's L2 cache.
FILTER_Q = 384
FILTER_C = 512


@njit(cache=True, inline="always")
def _add_squared(acc, col, q, width):
    for r in range(width):
        t = q - col[r]
        acc[r] += t * t


@njit(cache=True, inline="always")
def _add_absolute(acc, col, q, width):
    for r in range(width):
        acc[r] += abs(q - col[r])


@njit(cache=True, inline="always")
def _add_mismatch(acc, col, q, width, penalty2):
    for r in range(width):
        if col[r] != q:
            acc[r] += penalty2


@njit(cache=True, inline="always")
def _accumulate(acc, col, q, width, metric, is_categorical, penalty2):
    # Adding a metric means one _add_* function and one branch here.
    if metric == MANHATTAN:
        _add_absolute(acc, col, q, width)
    elif metric == MIXED and is_categorical:
        _add_mismatch(acc, col, q, width, penalty2)
    else:
        _add_squared(acc, col, q, width)


@njit(cache=True, inline="always")
def _finish(value, metric):
    if metric == MANHATTAN:
        return value
    return np.sqrt(value)


@njit(cache=True, inline="always")
def _push(best_d, best_i, d, idx):
    # Only a strictly smaller distance moves past an entry, so among equal
    # distances the entry that arrived first (the lower index) stays first.
    k = best_d.shape[0]
    p = k - 1
    while p > 0 and best_d[p - 1] > d:
        best_d[p] = best_d[p - 1]
        best_i[p] = best_i[p - 1]
        p -= 1
    best_d[p] = d
    best_i[p] = idx


@njit(cache=True, parallel=True)
def knn_direct(Xq, qrows, Xc, crows, exclude, k, metric, categorical, penalty2):
    """Exact k nearest candidates of each query row, any metric.

    Parameters
    ----------
    Xq : (n_q, d) float32/float64; the queries are ``Xq[qrows]``.
    qrows : (m,) int64.
    Xc : (n_c, d) float32/float64; the candidates are ``Xc[crows]``, ``crows``
        ascending so that ties resolve to the lower index.
    exclude : (m,) int64, the row of Xc each query may not return, or -1.
    k : int, at most the number of candidates left after exclusion.
    metric : EUCLIDEAN, MANHATTAN or MIXED.
    categorical : (d,) bool, the categorical columns for MIXED.
    penalty2 : float, squared mismatch penalty for MIXED.

    Returns
    -------
    dist : (m, k) float64; ind : (m, k) int64 rows of Xc.
    """
    m = qrows.shape[0]
    n_c = crows.shape[0]
    d = Xc.shape[1]
    dist = np.empty((m, k), dtype=np.float64)
    ind = np.empty((m, k), dtype=np.int64)
    for qb in prange((m + DIRECT_Q - 1) // DIRECT_Q):
        q0 = qb * DIRECT_Q
        q1 = min(q0 + DIRECT_Q, m)
        block = np.empty((d, DIRECT_C), dtype=np.float64)
        acc = np.empty(DIRECT_C, dtype=np.float64)
        best_d = np.full((q1 - q0, k), np.inf)
        best_i = np.full((q1 - q0, k), -1, dtype=np.int64)
        for c0 in range(0, n_c, DIRECT_C):
            width = min(DIRECT_C, n_c - c0)
            for r in range(width):
                row = crows[c0 + r]
                for j in range(d):
                    block[j, r] = Xc[row, j]
            for qi in range(q0, q1):
                qrow = qrows[qi]
                acc[:width] = 0.0
                for j in range(d):
                    _accumulate(acc, block[j], np.float64(Xq[qrow, j]), width, metric,
                                categorical[j], penalty2)
                bd = best_d[qi - q0]
                bi = best_i[qi - q0]
                for r in range(width):
                    if acc[r] < bd[k - 1]:
                        row = crows[c0 + r]
                        if row != exclude[qi]:
                            _push(bd, bi, acc[r], row)
        for qi in range(q0, q1):
            for j in range(k):
                dist[qi, j] = _finish(best_d[qi - q0, j], metric)
                ind[qi, j] = best_i[qi - q0, j]
    return dist, ind


@njit(cache=True, inline="always")
def _widen(low, high, X, rows):
    for r in range(rows.shape[0]):
        row = rows[r]
        for j in range(X.shape[1]):
            v = np.float64(X[row, j])
            # Branches, not min/max: no NaN handling, twice as fast.
            if v < low[j]:
                low[j] = v
            if v > high[j]:
                high[j] = v


@njit(cache=True)
def row_bounds(Xq, qrows, Xc, crows):
    """Per-column minimum and maximum, in float64, over ``Xq[qrows]`` and ``Xc[crows]``."""
    low = np.full(Xc.shape[1], np.inf)
    high = np.full(Xc.shape[1], -np.inf)
    _widen(low, high, Xq, qrows)
    _widen(low, high, Xc, crows)
    return low, high


@njit(cache=True, inline="always")
def _centred32(x, center, scale, out):
    s = 0.0
    for j in range(x.shape[0]):
        t = np.float32((x[j] - center[j]) * scale)
        out[j] = t
        s += np.float64(t) * np.float64(t)
    return s


@njit(cache=True, inline="always")
def _up32(x):
    # The tile compares in float32: round the bound up so that it never drops a candidate.
    y = np.float32(x)
    if np.float64(y) < x:
        y = np.nextafter(y, np.float32(np.inf))
    return y


@njit(cache=True, parallel=True, fastmath={"nnan", "nsz"})
def knn_filter_euclidean(Xq, qrows, Xc, crows, exclude, k, n_keep, center, scale, beta,
                         eta):
    """Candidates that may be among the k euclidean nearest, from float32 products.

    One float32 product per query-candidate pair gives ``a = |c|^2 - 2 q.c``
    directly: the query rows are ``[-2 q, 1]`` and the candidate columns
    ``[c, |c|^2]`` (``|q|^2`` is the same for every candidate of a query and is
    left out). The products are formed 6 x TILE_C at a time in registers
    (``_simd.product_tile``), which also says which queries have one within
    their bound, so most tiles are never read back. The data are centred and
    multiplied by ``scale``, a power of two that keeps every coordinate within
    [-1, 1] (exact, and no float32 product can overflow). ``a`` then differs
    from its float64 value by at most ``beta * (|q|^2 + 2 |c|^2) + eta``
    (``beta``, ``eta`` from the caller's error analysis: ``eta`` covers
    float32 underflow; the ``|c|^2`` term is summed inside the product, hence
    its factor 2). A candidate is kept while ``a`` is within the ``n_keep``
    smallest and within ``2 * (beta * (|q|^2 + 2 max |c|^2) + eta)`` of the
    k-th smallest ``a``; that keeps every true neighbour and every tie at the
    k-th distance.

    Returns
    -------
    cand : (m, n_keep) int64 rows of Xc, -1 padded.
    complete : (m,) bool; False where the margin held more than ``n_keep``
        candidates, so that the query must be answered by ``knn_direct``.
    """
    m = qrows.shape[0]
    n_c = crows.shape[0]
    d = Xc.shape[1]
    width_k = d + 1
    cnorm = np.empty(n_c, dtype=np.float32)
    scratch = np.empty(d, dtype=np.float32)
    cmax = 0.0
    for r in range(n_c):
        s = _centred32(Xc[crows[r]], center, scale, scratch)
        cnorm[r] = s
        cmax = max(cmax, s)
    cand = np.empty((m, n_keep), dtype=np.int64)
    complete = np.empty(m, dtype=np.bool_)
    for qb in prange((m + FILTER_Q - 1) // FILTER_Q):
        q0 = qb * FILTER_Q
        nq = min(FILTER_Q, m - q0)
        n_tiles = (nq + TILE_Q - 1) // TILE_Q
        # Queries packed per tile, dimension-major; padding queries get bound -inf.
        A = np.zeros(n_tiles * width_k * TILE_Q, dtype=np.float32)
        bound32 = np.full(n_tiles * TILE_Q, -np.inf, dtype=np.float32)
        bound = np.full(nq, np.inf)
        margin = np.empty(nq, dtype=np.float64)
        row32 = np.empty(d, dtype=np.float32)
        for i in range(n_tiles * TILE_Q):
            base = (i // TILE_Q) * width_k * TILE_Q + i % TILE_Q
            A[base + d * TILE_Q] = 1.0
            if i < nq:
                s = _centred32(Xq[qrows[q0 + i]], center, scale, row32)
                for j in range(d):
                    A[base + j * TILE_Q] = np.float32(-2.0) * row32[j]
                margin[i] = 2.0 * (beta * (s + 2.0 * cmax) + eta)
                bound32[i] = np.inf
        B = np.empty((FILTER_C // TILE_C) * width_k * TILE_C, dtype=np.float32)
        out = np.empty(TILE_Q * TILE_C, dtype=np.float32)
        masks = np.empty(TILE_Q, dtype=np.int64)
        best_d = np.full((nq, n_keep), np.inf, dtype=np.float32)
        best_i = np.full((nq, n_keep), -1, dtype=np.int64)
        for c0 in range(0, n_c, FILTER_C):
            width = min(FILTER_C, n_c - c0)
            n_blocks = (width + TILE_C - 1) // TILE_C
            # Candidates packed per TILE_C, dimension-major; padding gets |c|^2 = inf.
            for r in range(n_blocks * TILE_C):
                base = (r // TILE_C) * width_k * TILE_C + r % TILE_C
                if r < width:
                    row = crows[c0 + r]
                    for j in range(d):
                        B[base + j * TILE_C] = np.float32((Xc[row, j] - center[j]) * scale)
                    B[base + d * TILE_C] = cnorm[c0 + r]
                else:
                    for j in range(d):
                        B[base + j * TILE_C] = 0.0
                    B[base + d * TILE_C] = np.inf
            for t in range(n_tiles):
                for cb in range(n_blocks):
                    hits = product_tile(A, t * width_k * TILE_Q, B, cb * width_k * TILE_C,
                                        width_k, bound32, t * TILE_Q, out, masks)
                    if hits == 0:
                        continue
                    for ii in range(min(TILE_Q, nq - t * TILE_Q)):
                        if not (hits >> ii) & 1:
                            continue
                        i = t * TILE_Q + ii
                        m_bits = masks[ii]
                        while m_bits:
                            rr = trailing_zeros(m_bits)
                            m_bits &= m_bits - 1
                            g = out[ii * TILE_C + rr]
                            # Padding candidates (inf) pass an infinite bound: skip them.
                            if g <= bound[i] and cb * TILE_C + rr < width:
                                row = crows[c0 + cb * TILE_C + rr]
                                if row != exclude[q0 + i]:
                                    _push(best_d[i], best_i[i], g, row)
                                    bound[i] = min(np.float64(best_d[i, n_keep - 1]),
                                                   best_d[i, k - 1] + margin[i])
                                    bound32[i] = _up32(bound[i])
        for i in range(nq):
            cand[q0 + i] = best_i[i]
            complete[q0 + i] = best_d[i, n_keep - 1] > best_d[i, k - 1] + margin[i]
    return cand, complete


@njit(cache=True, parallel=True)
def knn_rerank(Xq, qrows, Xc, cand, k):
    """The k nearest of each query's candidates by exact float64 euclidean distance.

    Sums each distance in column order, as ``knn_direct`` does, and orders by
    (distance, row), so both paths agree to the bit.
    """
    m = qrows.shape[0]
    d = Xc.shape[1]
    dist = np.empty((m, k), dtype=np.float64)
    ind = np.empty((m, k), dtype=np.int64)
    for qi in prange(m):
        qrow = qrows[qi]
        bd = np.full(k, np.inf)
        bi = np.full(k, -1, dtype=np.int64)
        for c in range(cand.shape[1]):
            row = cand[qi, c]
            if row < 0:
                continue
            s = 0.0
            for j in range(d):
                t = np.float64(Xq[qrow, j]) - np.float64(Xc[row, j])
                s += t * t
            # Candidates come in no index order: compare (distance, row).
            if s < bd[k - 1] or (s == bd[k - 1] and row < bi[k - 1]):
                p = k - 1
                while p > 0 and (bd[p - 1] > s or (bd[p - 1] == s and bi[p - 1] > row)):
                    bd[p] = bd[p - 1]
                    bi[p] = bi[p - 1]
                    p -= 1
                bd[p] = s
                bi[p] = row
        for j in range(k):
            dist[qi, j] = np.sqrt(bd[j])
            ind[qi, j] = bi[j]
    return dist, ind
