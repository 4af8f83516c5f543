"""numba kernels of the under-samplers; the Python API validates and converts before calling.

``farthest`` and ``condense_rows`` choose between a kernel and the same
arithmetic in numpy (bit for bit equal): while a kernel is not compiled
(here or in numba's cache) numpy answers problems up to a size where it
costs less than compiling, so that a first fit on small data compiles nothing.
"""

import numpy as np

from ..utils._compiled import numpy_first
from ..utils._jit import njit, prange

# Distance terms (pairs x columns) up to which numpy answers while numba is
# not loaded (~0.1 s at ~2-5 ns a term: less than loading numba, ~0.3-0.8 s),
# and while the kernel is not compiled (~1-2 s of numpy, about what
# compiling costs on 2 cores).
SMALL_TERMS = 1 << 25
LARGE_TERMS = 1 << 29
# Pairs the numpy twins hold at once: a few float64 arrays of ~16 MB.
BLOCK_PAIRS = 1 << 21


def _pair_distances(X, a, b):
    """``_distance(X, a[i], b[i])`` for every i, with the kernel's arithmetic."""
    acc = np.zeros(a.size)
    for j in range(X.shape[1]):
        t = X[a, j] - X[b, j]  # in X's dtype, as the kernel subtracts
        acc += t * t
    return np.sqrt(acc)


def farthest(X, rows, among, k):
    """:func:`farthest_sum`, by its kernel or by the same sums in numpy."""
    if not numpy_first(farthest_sum, rows.size * among.size * X.shape[1], SMALL_TERMS,
                       LARGE_TERMS):
        return farthest_sum(X, rows, among, k)
    out = np.empty(rows.size)
    step = max(1, BLOCK_PAIRS // max(among.size, 1))
    for q0 in range(0, rows.size, step):
        q = rows[q0:q0 + step]
        d = _pair_distances(X, np.repeat(q, among.size), np.tile(among, q.size))
        top = np.sort(d.reshape(q.size, among.size), axis=1)[:, max(0, among.size - k):]
        # The kernel starts from k values of -1.0, kept where there are fewer rows.
        top = np.hstack([np.full((q.size, k - top.shape[1]), -1.0), top])
        # Added in increasing order, one after the other (cumsum, not a pairwise sum).
        out[q0:q0 + q.size] = np.cumsum(top, axis=1)[:, -1]
    return out


def condense_rows(X, s_rows, target, base_d, base_lab, blocked, n_classes):
    """:func:`condense`, by its kernel or by the same pass in numpy (``blocked`` updated too)."""
    # At most one distance per (row, earlier added row): s^2 / 2 pairs.
    if not numpy_first(condense, s_rows.size * s_rows.size // 2 * X.shape[1], SMALL_TERMS,
                       LARGE_TERMS):
        return condense(X, s_rows, target, base_d, base_lab, blocked, n_classes)
    k = base_d.shape[1]
    added = []
    for p in range(s_rows.size):
        if blocked[p]:
            continue
        q = s_rows[p]
        d = _pair_distances(X, np.full(len(added), q), np.asarray(added, dtype=np.int64))
        # The k nearest of the store, earlier entries first among equal distances
        # (the kernel inserts after equal ones and only below the k-th).
        order = np.argsort(np.concatenate([base_d[p], d]), kind="stable")[:k]
        labels = np.where(order < k, base_lab[p][np.minimum(order, k - 1)], target)
        if np.argmax(np.bincount(labels, minlength=n_classes)) != target:
            added.append(q)
            if q < blocked.size:
                blocked[q] = True
    return np.asarray(added, dtype=np.int64)



@njit(cache=True, inline="always")
def _distance(X, a, b):
    s = 0.0
    for j in range(X.shape[1]):
        t = X[a, j] - X[b, j]
        s += t * t
    return np.sqrt(s)


@njit(cache=True, parallel=True)
def farthest_sum(X, rows, among, k):
    """Sum, in increasing order, of the ``k`` largest distances from each row to ``among``.

    NearMiss-2's score; keeps k values per row instead of the full
    rows x among distance matrix.
    """
    out = np.empty(rows.size)
    for qi in prange(rows.size):
        top = np.full(k, -1.0)  # increasing; top[0] is the smallest kept
        for c in range(among.size):
            d = _distance(X, rows[qi], among[c])
            if d > top[0]:
                pos = 0
                while pos + 1 < k and top[pos + 1] < d:
                    top[pos] = top[pos + 1]
                    pos += 1
                top[pos] = d
        s = 0.0
        for j in range(k):
            s += top[j]
        out[qi] = s
    return out


@njit(cache=True)
def condense(X, s_rows, target, base_d, base_lab, blocked, n_classes):
    """Hart's single pass of condensing, as imbalanced-learn runs it.

    Row ``s_rows[p]`` is added to the store when the k-nearest-neighbour vote
    over the store (``base_*``: the initial store, row itself included, plus
    the rows added so far) misclassifies it, unless ``blocked[p]``. Adding row
    r blocks position r: imbalanced-learn compares positions with row indices
    there, and the rows it returns depend on it.

    Returns
    -------
    added : ndarray of int64
        Rows added, in order.
    """
    k = base_d.shape[1]
    added = np.empty(s_rows.size, dtype=np.int64)
    n_added = 0
    best_d = np.empty(k)
    best_l = np.empty(k, dtype=np.int64)
    votes = np.empty(n_classes, dtype=np.int64)
    for p in range(s_rows.size):
        if blocked[p]:
            continue
        q = s_rows[p]
        best_d[:] = base_d[p]
        best_l[:] = base_lab[p]
        for a in range(n_added):
            d = _distance(X, q, added[a])
            if d < best_d[k - 1]:
                pos = k - 1
                while pos > 0 and best_d[pos - 1] > d:
                    best_d[pos] = best_d[pos - 1]
                    best_l[pos] = best_l[pos - 1]
                    pos -= 1
                best_d[pos] = d
                best_l[pos] = target
        votes[:] = 0
        for j in range(k):
            votes[best_l[j]] += 1
        if np.argmax(votes) != target:
            added[n_added] = q
            n_added += 1
            if q < blocked.size:
                blocked[q] = True
    return added[:n_added]
