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

import numpy as np

from ._metrics import EUCLIDEAN, MANHATTAN, MIXED

# Query rows per block: a block's pairs (rows x candidates float64 values, a
# few arrays of them) stay near 16 MB, whatever the number of candidates.
BLOCK_PAIRS = 1 << 21
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


def _candidates(Q, C, skip, k, d):
    """Pairs (query, candidate position) that may be among the k euclidean nearest.

    ``A = |q|^2 + |c|^2 - 2 q.c`` of rows centred on ``C``'s mean differs from
    the engine's sum ``E`` by at most ``beta (|q|^2 + max |c|^2) + eta``:
    ``E`` is within ``gamma_(d+2) D`` of the exact squared distance ``D``
    (``gamma_n = n u / (1 - n u)``); centring moves each coordinate difference
    by at most ``u (|q_j| + |c_j|)``, so ``D`` by at most ``4 u (|q|^2 + |c|^2)``;
    the product and norms, summed in any order (BLAS), err by at most
    ``gamma_(d+2) (|q|^2 + |c|^2 + 2 |q| |c|)``; and ``D <= 2 (|q|^2 + |c|^2)``.
    That totals under ``(6 d + 16) u (|q|^2 + |c|^2)``; ``beta`` doubles it.
    ``eta`` covers underflow: each of the ~4 d + 8 roundings of either sum
    that underflows errs by at most 2^-1075, absolutely.
    With ``t`` the k-th smallest ``A`` of a query and ``m`` its margin, the
    k-th smallest ``E`` is at most ``t + m``, so every neighbour, ties at the
    k-th distance included, has ``A <= t + 2 m``.
    """
    center = C.mean(axis=0)
    Qc = Q - center
    Cc = C - center
    qn = np.einsum("ij,ij->i", Qc, Qc)
    cn = np.einsum("ij,ij->i", Cc, Cc)
    beta = 2.0 * (6 * d + 16) * _U64
    eta = (4 * d + 8) * 2.0**-1074
    with np.errstate(over="ignore", invalid="ignore"):
        # In place: a block's pairs are the memory traffic here.
        A = Qc @ Cc.T
        A *= -2.0
        A += cn
        A += qn[:, None]
        A[skip] = np.inf
        t = np.partition(A, k - 1, axis=1)[:, k - 1]
        margin = beta * (qn + cn.max()) + eta
        keep = A <= (t + 2.0 * margin)[:, None]
    # Rows too far apart for the expanded square (overflow) keep every candidate.
    bad = ~np.isfinite(t + 2.0 * margin)
    if bad.any():
        keep[bad] = True
        keep[skip] = False
    return _pairs(keep)


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
    # Position in crows (ascending) of each query's excluded row, or -1.
    at = np.minimum(np.searchsorted(crows, exclude), n_c - 1)
    skip_at = np.where((exclude >= 0) & (crows[at] == exclude), at, -1)
    step = max(1, BLOCK_PAIRS // max(n_c, 1))
    for q0 in range(0, m, step):
        _knn_block(Xq, qrows[q0:q0 + step], C, crows, skip_at[q0:q0 + step], k, metric,
                   categorical, penalty2, dist[q0:q0 + step], ind[q0:q0 + step])
    return dist, ind


def _knn_block(Xq, qrows, C, crows, skip_at, k, metric, categorical, penalty2, dist, ind):
    """:func:`knn` for one block of queries, written to ``dist`` and ``ind``."""
    m = qrows.size
    Q = Xq[qrows].astype(np.float64)
    has = np.flatnonzero(skip_at >= 0)
    skip = (has, skip_at[has])
    if metric == EUCLIDEAN:
        qi, ci = _candidates(Q, C, skip, k, C.shape[1])
    else:
        keep = np.ones((m, C.shape[0]), dtype=bool)
        keep[skip] = False
        qi, ci = _pairs(keep)
    s = exact_sums(Q[qi], C[ci], metric, categorical, penalty2)
    # Pairs by query, then (distance, row); every query has at least k.
    order = np.lexsort((ci, s, qi))
    first = np.searchsorted(qi[order], np.arange(m))
    take = order[first[:, None] + np.arange(k)]
    best = s[take]
    dist[:] = best if metric == MANHATTAN else np.sqrt(best)
    ind[:] = crows[ci[take]]
