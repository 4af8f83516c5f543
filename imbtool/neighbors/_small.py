"""The neighbour engine's answers for small problems, in numpy: nothing to compile.

A fresh install compiles the engine's kernels on first use (seconds, more on
a loaded machine); small problems are answered here instead, with the
kernels' arithmetic, so that both paths return identical indices and
identical distances:

* every exact distance is summed as ``knn_direct`` sums it: float64 values,
  column after column, ``(q - c)**2`` (``abs(q - c)``, or ``penalty**2`` per
  differing categorical column) added in column order, then the square root;
* neighbours are ordered by (distance, row), so equal distances go to the
  lower row, as the kernels' insertion keeps them.

Euclidean search first filters with one BLAS product per query block (the
expanded square of centred rows) under a rigorous bound on its rounding
error, then sums the survivors exactly; other metrics sum every pair exactly.
"""

import math
from contextlib import nullcontext

import numpy as np

from ..utils._threads import one_blas_thread
from ._metrics import EUCLIDEAN, MANHATTAN, MIXED

# Query rows per block: a block's pairs (rows x candidates float64 values, a
# few arrays of them) stay near 16 MB, whatever the number of candidates.
BLOCK_PAIRS = 1 << 21
# Query-candidate pairs per product of the euclidean filter: 1 MiB of float64,
# a core's L2 cache on the machines measured, so the threshold and the
# comparison read the product from cache (10 columns, 10,000 x 10,000 rows,
# one thread: 3.2 ns a pair at this size, 6-9 ns at 2-16 MiB).
FILTER_BLOCK_PAIRS = 1 << 17
# The threshold of the euclidean filter comes from every ``stride``-th
# candidate, ``stride = sqrt(candidates / (SAMPLE_PER_NEIGHBOUR k))``: a
# larger stride selects on less (the selection costs ~4 ns a sampled pair)
# but lets ~stride * k candidates a query through to the exact sums (~0.7 us
# each, with their sort); this balances the two. It also keeps the sample
# over SAMPLE_PER_NEIGHBOUR * k candidates, far more than k + 1.
SAMPLE_PER_NEIGHBOUR = 100
# Unit roundoff of float64.
_U64 = 2.0**-53


def row_bounds(Xq, qrows, Xc, crows):
    """``_kernels.row_bounds`` in numpy (min and max are exact, so the bounds are equal)."""
    low = np.minimum(Xq[qrows].min(axis=0, initial=np.inf),
                     Xc[crows].min(axis=0, initial=np.inf)).astype(np.float64)
    high = np.maximum(Xq[qrows].max(axis=0, initial=-np.inf),
                      Xc[crows].max(axis=0, initial=-np.inf)).astype(np.float64)
    return low, high


def exact_sums(Q, C, metric, categorical, penalty2):
    """Distance sums of the pairs ``(Q[i], C[i])`` (float64 rows), as ``knn_direct`` adds them."""
    acc = np.zeros(Q.shape[0])
    for j in range(Q.shape[1]):
        if metric == MIXED and categorical[j]:
            acc += np.where(Q[:, j] != C[:, j], penalty2, 0.0)
            continue
        t = Q[:, j] - C[:, j]
        acc += np.abs(t) if metric == MANHATTAN else t * t
    return acc


def _filter_parts(C, k):
    """What every block of a euclidean search shares (see :func:`_candidates`).

    The candidates centred on their mean, each with its squared norm as a last
    column, so that one product gives ``|c|^2 - 2 q.c``; and every
    ``stride``-th of them, the sample that sets each query's threshold.
    """
    n_c, d = C.shape
    center = C.mean(axis=0)
    aug = np.empty((n_c, d + 1))
    np.subtract(C, center, out=aug[:, :d])
    aug[:, d] = np.einsum("ij,ij->i", aug[:, :d], aug[:, :d])
    stride = max(1, math.isqrt(n_c // (SAMPLE_PER_NEIGHBOUR * k)))
    return center, aug, np.ascontiguousarray(aug[::stride]), stride


def _candidates(Q, parts, skip, k):
    """Pairs (query, candidate position) that may be among the k euclidean nearest.

    ``A = |c|^2 - 2 q.c`` of rows centred on the candidates' mean, plus
    ``|q|^2``, differs from the engine's sum ``E`` by at most
    ``beta (|q|^2 + max |c|^2) + eta``: ``E`` is within ``gamma_(d+2) D`` of
    the exact squared distance ``D`` (``gamma_n = n u / (1 - n u)``);
    centring moves each coordinate difference by at most ``u (|q_j| + |c_j|)``,
    so ``D`` by at most ``4 u (|q|^2 + |c|^2)``; the norms and the (d+1)-term
    product that sums ``-2 q_j c_j`` and ``|c|^2`` (exact scalings by -2 and
    1), in any order (BLAS), err by at most
    ``gamma_(d+2) (|q|^2 + |c|^2 + 2 |q| |c|)``; and ``D <= 2 (|q|^2 + |c|^2)``.
    That totals under ``(6 d + 16) u (|q|^2 + |c|^2)``; ``beta`` doubles it.
    ``eta`` covers underflow: each of the ~4 d + 8 roundings of either sum
    that underflows errs by at most 2^-1075, absolutely. ``|q|^2`` is the same
    for every candidate of a query, so it is never added.
    With ``t`` the k-th smallest ``A`` among any k candidates (a sample: an
    upper bound of the k-th smallest of all) and ``m`` the query's margin, the
    k-th smallest ``E`` is at most ``t + |q|^2 + m``, so every neighbour, ties
    at the k-th distance included, has ``A <= t + 2 m``. Taking ``t`` from
    every ``stride``-th candidate keeps about ``stride * k`` candidates a
    query instead of ``k`` (plus ties), and halves the work or better.
    """
    center, aug, sample, stride = parts
    n_c = aug.shape[0]
    d = Q.shape[1]
    Qa = np.empty((Q.shape[0], d + 1))
    np.subtract(Q, center, out=Qa[:, :d])
    qn = np.einsum("ij,ij->i", Qa[:, :d], Qa[:, :d])
    Qa[:, :d] *= -2.0
    Qa[:, d] = 1.0
    beta, eta = _filter_error(d)
    with np.errstate(over="ignore", invalid="ignore"):
        limit = 2.0 * (beta * (qn + aug[:, d].max()) + eta)
    # A query's excluded candidate, and where it falls in the sample.
    has, at = skip
    in_sample = at % stride == 0
    found_q, found_c = [], []
    step = max(1, FILTER_BLOCK_PAIRS // n_c)
    for q0 in range(0, Q.shape[0], step):
        block = Qa[q0:q0 + step]
        mine = (has >= q0) & (has < q0 + step)
        with np.errstate(over="ignore", invalid="ignore"):
            T = block @ sample.T
            T[has[mine & in_sample] - q0, at[mine & in_sample] // stride] = np.inf
            T.partition(k - 1, axis=1)
            bound = T[:, k - 1] + limit[q0:q0 + step]
            A = block @ aug.T
            A[has[mine] - q0, at[mine]] = np.inf
            keep = A <= bound[:, None]
        # Rows too far apart for the expanded square (overflow) keep every candidate.
        bad = ~np.isfinite(bound)
        if bad.any():
            keep[bad] = True
            keep[has[mine] - q0, at[mine]] = False
        qi, ci = _pairs(keep)
        found_q.append(qi + q0)
        found_c.append(ci)
    return np.concatenate(found_q), np.concatenate(found_c)


def _filter_error(d):
    """``(beta, eta)`` of the euclidean filter's bound, ``d`` columns (see :func:`_candidates`)."""
    return 2.0 * (6 * d + 16) * _U64, (4 * d + 8) * 2.0**-1074


def _expanded(A, B):
    """Rows of ``A`` and ``B`` (float64) set up for products ``P = |a|^2 + |b|^2 - 2 a.b``.

    Returns ``(A, B, Aa, Bb, an, bn)``: ``Aa @ Bb.T`` is ``P`` of the rows
    centred on their common mean (:func:`cross_nearest` bounds its error),
    ``an`` and ``bn`` the centred squared norms; or None where a product
    could overflow.
    """
    d = A.shape[1]
    center = (A.sum(axis=0) + B.sum(axis=0)) / (A.shape[0] + B.shape[0])
    Aa = np.empty((A.shape[0], d + 2))
    Bb = np.empty((B.shape[0], d + 2))
    np.subtract(A, center, out=Aa[:, :d])
    np.subtract(B, center, out=Bb[:, :d])
    with np.errstate(over="ignore"):
        an = np.einsum("ij,ij->i", Aa[:, :d], Aa[:, :d])
        bn = np.einsum("ij,ij->i", Bb[:, :d], Bb[:, :d])
        # |P| and every partial sum of it stay under 2 (|a|^2 + |b|^2):
        # nothing overflows below this.
        if not an.max(initial=0.0) + bn.max(initial=0.0) < 2.0**1020:
            return None
    Aa[:, d], Aa[:, d + 1] = an, 1.0
    Bb[:, :d] *= -2.0
    Bb[:, d], Bb[:, d + 1] = 1.0, bn
    return A, B, Aa, Bb, an, bn


def closer_counts(X, rows, among, radius):
    """How many other ``among`` rows are certainly nearer each of ``rows`` than its ``radius``.

    Euclidean; ``rows`` are rows of ``among`` (both ascending). A lower
    bound of the count of rows whose engine distance is below ``radius``
    (one product a pair, no exact sums): a pair counts when its product
    ``P`` (:func:`cross_nearest`) is below ``radius^2 (1 - 2^-40) - 2 m``,
    ``m`` the query's largest margin. That relative slack covers the
    rounding of ``radius^2`` (the square of a rounded square root) and of
    the threshold; radii whose square is not a normal float count nothing.
    """
    count = np.zeros(rows.size, dtype=np.int64)
    expanded = _expanded(X[rows].astype(np.float64), X[among].astype(np.float64))
    if expanded is None:
        return count
    _, _, Aa, Bb, an, bn = expanded
    beta, eta = _filter_error(Aa.shape[1] - 2)
    with np.errstate(over="ignore", invalid="ignore"):
        r2 = radius * radius
        below = r2 * (1.0 - 2.0**-40) - 2.0 * (beta * (an + bn.max()) + eta)
    below[~(np.isfinite(r2) & (r2 >= 2.0**-1000))] = -np.inf
    at = np.searchsorted(among, rows)
    step = max(1, FILTER_BLOCK_PAIRS // among.size)
    with one_blas_thread() if rows.size * among.size > FILTER_BLOCK_PAIRS else nullcontext():
        for q0 in range(0, rows.size, step):
            P = Aa[q0:q0 + step] @ Bb.T
            P[np.arange(P.shape[0]), at[q0:q0 + step]] = np.inf  # not the row itself
            count[q0:q0 + step] = np.count_nonzero(P < below[q0:q0 + step, None], axis=1)
    return count


def cross_nearest(X, arows, brows):
    """Each ``arows`` row's nearest ``brows`` row, and each ``brows`` row's nearest ``arows`` row.

    Euclidean, with one filter pass over the ``a x b`` pairs where two
    searches would make two: both sides' nearest rows are in the same
    products. ``arows`` and ``brows`` are disjoint and ascending. Returns
    ``(sa, ia, sb, ib)``: the engine's squared sums (before the square root,
    so that callers can merge answers in the kernels' order) and the row of
    each nearest, ties to the lower row; or None where the expanded square
    could overflow (the caller then searches each side).

    Each product is ``P = |a|^2 + |b|^2 - 2 a.b`` of rows centred on a common
    mean, a (d+2)-term product: :func:`_candidates`' analysis, which allows
    a (d+2)-term sum, bounds ``|P - E|`` by ``beta (|a|^2 + |b|^2) + eta``
    (``|a|^2`` now inside the product rather than added afterwards). So a
    row ``i`` of a, with ``t_i`` the smallest ``P`` over a sample of b and
    ``m_i`` its largest margin, has its nearest row at ``P <= t_i + 2 m_i``;
    the same for the rows of b, with a sample of a. A pair is summed exactly
    when either test keeps it; every row keeps at least its nearest.
    """
    expanded = _expanded(X[arows].astype(np.float64), X[brows].astype(np.float64))
    if expanded is None:
        return None
    A, B, Aa, Bb, an, bn = expanded
    n_a, n_b, d = A.shape[0], B.shape[0], A.shape[1]
    beta, eta = _filter_error(d)
    # Every stride-th row of the other side sets a row's threshold (see
    # SAMPLE_PER_NEIGHBOUR; one neighbour, so the smallest value is it).
    sample_b = np.ascontiguousarray(Bb[::max(1, math.isqrt(n_b // SAMPLE_PER_NEIGHBOUR))])
    sample_a = np.ascontiguousarray(Aa[::max(1, math.isqrt(n_a // SAMPLE_PER_NEIGHBOUR))])
    bound_a = 2.0 * (beta * (an + bn.max()) + eta)
    bound_b = 2.0 * (beta * (an.max() + bn) + eta)
    # As in :func:`knn`: one small product is not worth limiting BLAS's threads.
    with one_blas_thread() if n_a * n_b > FILTER_BLOCK_PAIRS else nullcontext():
        ai, bi = _cross_pairs(Aa, Bb, sample_a, sample_b, bound_a, bound_b)
    s = exact_sums(A[ai], B[bi], EUCLIDEAN, None, 0.0)
    # Pairs come by a, then b (both ascending), and lexsort is stable: the
    # first of each group is its smallest sum, the lower row among equals.
    by_a = np.lexsort((s, ai))
    by_a = by_a[np.searchsorted(ai[by_a], np.arange(n_a))]
    by_b = np.lexsort((s, bi))
    by_b = by_b[np.searchsorted(bi[by_b], np.arange(n_b))]
    return s[by_a], brows[bi[by_a]], s[by_b], arows[ai[by_b]]


def _cross_pairs(Aa, Bb, sample_a, sample_b, bound_a, bound_b):
    """Pairs (row of a, row of b) that :func:`cross_nearest`'s two tests keep.

    ``bound_a`` and ``bound_b`` hold the margins on entry; the samples'
    smallest products are added to them here.
    """
    n_a, n_b = Aa.shape[0], Bb.shape[0]
    step = max(1, FILTER_BLOCK_PAIRS // sample_b.shape[0])
    for a0 in range(0, n_a, step):
        bound_a[a0:a0 + step] += (Aa[a0:a0 + step] @ sample_b.T).min(axis=1)
    lowest = np.full(n_b, np.inf)
    step = max(1, FILTER_BLOCK_PAIRS // n_b)
    for a0 in range(0, sample_a.shape[0], step):
        np.minimum(lowest, (sample_a[a0:a0 + step] @ Bb.T).min(axis=0), out=lowest)
    bound_b += lowest
    found_a, found_b = [], []
    for a0 in range(0, n_a, step):
        P = Aa[a0:a0 + step] @ Bb.T
        keep = P <= bound_a[a0:a0 + step, None]
        keep |= P <= bound_b
        ai, bi = _pairs(keep)
        found_a.append(ai + a0)
        found_b.append(bi)
    return np.concatenate(found_a), np.concatenate(found_b)


def _pairs(keep):
    """Row and column of each True in ``keep`` (flat search: ~3x faster than 2-D nonzero)."""
    return np.divmod(np.flatnonzero(keep), keep.shape[1])


def knn(Xq, qrows, Xc, crows, exclude, k, metric, categorical, penalty2):
    """``_kernels.knn_direct`` in numpy: the same neighbours and distances, bit for bit."""
    m = qrows.size
    n_c = crows.size
    dist = np.empty((m, k), dtype=np.float64)
    ind = np.empty((m, k), dtype=np.int64)
    C = Xc[crows].astype(np.float64)
    parts = _filter_parts(C, k) if metric == EUCLIDEAN else None
    # Position in crows (ascending) of each query's excluded row, or -1.
    at = np.minimum(np.searchsorted(crows, exclude), n_c - 1)
    skip_at = np.where((exclude >= 0) & (crows[at] == exclude), at, -1)
    step = max(1, BLOCK_PAIRS // max(n_c, 1))
    # A search within one filter block is one small product: limiting BLAS's
    # threads (~0.3 ms) would cost more than they can.
    with one_blas_thread() if m * n_c > FILTER_BLOCK_PAIRS else nullcontext():
        for q0 in range(0, m, step):
            _knn_block(Xq, qrows[q0:q0 + step], C, parts, crows, skip_at[q0:q0 + step], k,
                       metric, categorical, penalty2, dist[q0:q0 + step], ind[q0:q0 + step])
    return dist, ind


def _knn_block(Xq, qrows, C, parts, crows, skip_at, k, metric, categorical, penalty2, dist,
               ind):
    """:func:`knn` for one block of queries, written to ``dist`` and ``ind``."""
    m = qrows.size
    Q = Xq[qrows].astype(np.float64)
    has = np.flatnonzero(skip_at >= 0)
    skip = (has, skip_at[has])
    if metric == EUCLIDEAN:
        qi, ci = _candidates(Q, parts, skip, k)
    else:
        keep = np.ones((m, C.shape[0]), dtype=bool)
        keep[skip] = False
        qi, ci = _pairs(keep)
    s = exact_sums(Q[qi], C[ci], metric, categorical, penalty2)
    # Pairs by query, then (distance, row); every query has at least k. The
    # pairs come by query, then row, and lexsort is stable: two keys suffice.
    order = np.lexsort((s, qi))
    first = np.searchsorted(qi[order], np.arange(m))
    take = order[first[:, None] + np.arange(k)]
    best = s[take]
    dist[:] = best if metric == MANHATTAN else np.sqrt(best)
    ind[:] = crows[ci[take]]
