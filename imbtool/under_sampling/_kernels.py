"""numba kernels of the under-samplers; the Python API validates and converts before calling."""

import numpy as np

from ..utils._jit import njit, prange


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
