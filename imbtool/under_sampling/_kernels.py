"""numba kernels of the under-samplers; the Python API validates and converts before calling.

``farthest`` and ``condense_rows`` choose between a kernel and the same
arithmetic in numpy (bit for bit equal): while a kernel is not compiled
(here or in numba's cache) numpy answers problems up to a size where it
costs less than compiling, so that a first fit on small data compiles nothing.
"""

import time

import numpy as np

from ..utils._compiled import run_kernel_or_twin
from ..utils._jit import njit, prange

# Distance terms (pairs x columns) up to which numpy answers while numba is
# not loaded (~0.1-0.2 s at 5-15 ns a term on 2 shared cores: less than
# loading numba and its cache index, ~0.3-0.8 s), and while the kernel is not
# compiled (~1-2 s, about what compiling farthest_sum costs there).
SMALL_TERMS = 1 << 24
LARGE_TERMS = 1 << 27
# Rows the numpy condensing pass takes while numba is not loaded (~20-50 us a
# row: 10,000 rows cost less than loading numba); beyond, up to
# LARGE_CONDENSE rows while the kernel is not compiled. A pass whose store
# grows large costs more a row; past CONDENSE_BUDGET_SECONDS of CPU time
# (about what compiling the kernel costs) the kernel finishes it.
SMALL_CONDENSE = 10_000
LARGE_CONDENSE = 100_000
CONDENSE_BUDGET_SECONDS = 1.5
# Distance terms the numpy twins hold at once: a few arrays of ~16 MB.
BLOCK_TERMS = 1 << 21


def _distances(Q, C):
    """``_distance`` of every row of ``Q`` to every row of ``C``, with the kernel's arithmetic.

    Differences and squares in the rows' dtype, summed in float64 column after
    column (a cumulative sum adds in order; ``sum`` would pair the terms).
    """
    t = Q[:, None, :] - C[None, :, :]
    return np.sqrt(np.cumsum(t * t, axis=2, dtype=np.float64)[..., -1])


def farthest(X, rows, among, k):
    """NearMiss-2's score of each row; see :func:`farthest_sum`."""
    return run_kernel_or_twin(farthest_sum, _farthest_numpy,
                              rows.size * among.size * X.shape[1], SMALL_TERMS, LARGE_TERMS,
                              X, rows, among, k)


def _farthest_numpy(X, rows, among, k):
    out = np.empty(rows.size)
    C = X[among]
    step = max(1, BLOCK_TERMS // max(among.size * X.shape[1], 1))
    for q0 in range(0, rows.size, step):
        d = _distances(X[rows[q0:q0 + step]], C)
        top = np.sort(d, axis=1)[:, max(0, among.size - k):]
        # The kernel starts from k values of -1.0, kept where there are fewer rows.
        top = np.hstack([np.full((d.shape[0], k - top.shape[1]), -1.0), top])
        # Added in increasing order, one after the other.
        out[q0:q0 + d.shape[0]] = np.cumsum(top, axis=1)[:, -1]
    return out


def condense_rows(X, s_rows, target, base_d, base_lab, blocked, n_classes):
    """Rows Hart's pass adds to the store (``blocked`` updated); see :func:`condense`."""
    return run_kernel_or_twin(condense, _condense_numpy, s_rows.size, SMALL_CONDENSE,
                              LARGE_CONDENSE, X, s_rows, target, base_d, base_lab, blocked,
                              n_classes, 0, np.empty(0, dtype=np.int64))


def _condense_numpy(X, s_rows, target, base_d, base_lab, blocked, n_classes, start, earlier):
    # Always called from the start (``start`` 0, nothing ``earlier``), as condense_rows does.
    k = base_d.shape[1]
    added = np.empty(s_rows.size, dtype=np.int64)
    store = np.empty((s_rows.size, X.shape[1]), dtype=X.dtype)  # the added rows' values
    n_added = 0
    deadline = time.process_time() + CONDENSE_BUDGET_SECONDS
    for p in range(s_rows.size):
        if blocked[p]:
            continue
        if time.process_time() > deadline:
            return condense(X, s_rows, target, base_d, base_lab, blocked, n_classes, p,
                            added[:n_added])
        q = s_rows[p]
        d = _distances(X[q:q + 1], store[:n_added])[0]
        labels = base_lab[p]
        # Only rows added closer than the k-th stored neighbour enter the vote; the
        # kernel keeps earlier entries first among equal distances.
        closer = d < base_d[p, k - 1]
        if closer.any():
            order = np.argsort(np.concatenate([base_d[p], d[closer]]), kind="stable")[:k]
            labels = np.where(order < k, labels[np.minimum(order, k - 1)], target)
        if np.argmax(np.bincount(labels, minlength=n_classes)) != target:
            added[n_added] = q
            store[n_added] = X[q]
            n_added += 1
            if q < blocked.size:
                blocked[q] = True
    return added[:n_added].copy()


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
def condense(X, s_rows, target, base_d, base_lab, blocked, n_classes, start, earlier):
    """Hart's single pass of condensing, as imbalanced-learn runs it.

    Row ``s_rows[p]`` is added to the store when the k-nearest-neighbour vote
    over the store (``base_*``: the initial store, row itself included, plus
    the rows added so far) misclassifies it, unless ``blocked[p]``. Adding row
    r blocks position r: imbalanced-learn compares positions with row indices
    there, and the rows it returns depend on it. The pass starts at position
    ``start`` with ``earlier`` already added (a pass the numpy twin began).

    Returns
    -------
    added : ndarray of int64
        Rows added, in order.
    """
    k = base_d.shape[1]
    added = np.empty(s_rows.size, dtype=np.int64)
    added[:earlier.size] = earlier
    n_added = earlier.size
    best_d = np.empty(k)
    best_l = np.empty(k, dtype=np.int64)
    votes = np.empty(n_classes, dtype=np.int64)
    for p in range(start, s_rows.size):
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
