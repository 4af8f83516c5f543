"""numba kernels shared by the over-samplers.

They take validated arrays (C-contiguous, float32 or float64, int64 indices,
float64 gaps) and write into a preallocated output; the Python layer draws the
random numbers, so results do not depend on the number of threads.

The functions the samplers call (``interpolate``, ``take_rows``,
``add_scaled``, ``vote``, ``mean_distance``) choose between their kernel and
a numpy twin with the same arithmetic (bit for bit equal): small work for a
kernel not compiled yet goes to the twin, so that a first fit on small data
compiles nothing here (``utils._compiled.run_kernel_or_twin``).
"""

import numpy as np

from ..utils._compiled import run_kernel_or_twin
from ..utils._jit import njit, prange

# Values (output rows x columns; voter codes; pair distance terms) up to which
# a twin runs while numba is not loaded: ~25 ns per value (0.1 s at this
# size), less than loading numba (~0.3-0.8 s). Up to LARGE_VALUES (128 MB of
# float64 output; numpy ~0.4 s and a few temporaries of the output's size) a
# twin also runs while the kernel is not compiled, here or in numba's cache
# (compiling costs ~1-5 s). A compiled kernel is used whenever it is ready:
# it is ~4x faster.
SMALL_VALUES = 1 << 22
LARGE_VALUES = 1 << 24


def _twin(kernel, twin, n_values, *args):
    return run_kernel_or_twin(kernel, twin, n_values, SMALL_VALUES, LARGE_VALUES, *args)


def interpolate(A, seeds, B, partners, gaps, out, start):
    """Write ``A[seeds[i]] + gaps[i] * (B[partners[i]] - A[seeds[i]])`` to ``out[start + i]``.

    A negative partner copies the seed row; see :func:`interpolate_kernel`.
    """
    _twin(interpolate_kernel, _interpolate_numpy, seeds.shape[0] * out.shape[1], A, seeds, B,
          partners, gaps, out, start)


def _interpolate_numpy(A, seeds, B, partners, gaps, out, start):
    a = A[seeds]
    step = gaps[:, None] * (B[partners] - a).astype(np.float64)
    new = (a.astype(np.float64) + step).astype(out.dtype)
    copy = partners < 0
    new[copy] = a[copy]
    out[start:start + seeds.shape[0]] = new


def take_rows(X, rows, out, start):
    """Copy ``X[rows[i]]`` to ``out[start + i]``."""
    _twin(take_rows_kernel, _take_rows_numpy, rows.shape[0] * out.shape[1], X, rows, out, start)


def _take_rows_numpy(X, rows, out, start):
    out[start:start + rows.shape[0]] = X[rows]


def add_scaled(X, rows, scale, out, start):
    """``out[start + i] = X[rows[i]] + scale * out[start + i]``; see :func:`add_scaled_rows`."""
    _twin(add_scaled_rows, _add_scaled_numpy, rows.shape[0] * out.shape[1], X, rows, scale,
          out, start)


def _add_scaled_numpy(X, rows, scale, out, start):
    block = out[start:start + rows.shape[0]]
    block[:] = X[rows] + scale * block


# Values (voter codes, or pair distances) the numpy twins hold at once: a few
# arrays of this size, ~16 MB each.
BLOCK_VALUES = 1 << 21


def vote(codes, neighborhoods, u, out, start):
    """Most frequent code per column among each row's neighbourhood; see :func:`vote_categories`."""
    _twin(vote_categories, _vote_numpy, neighborhoods.size * codes.shape[1], codes,
          neighborhoods, u, out, start)


def _vote_numpy(codes, neighborhoods, u, out, start):
    n_rows, n_voters = neighborhoods.shape
    step = max(1, BLOCK_VALUES // max(n_voters * codes.shape[1], 1))
    for i in range(0, n_rows, step):
        block = slice(i, i + step)
        rows = neighborhoods[block].shape[0]
        out[start + i:start + i + rows] = _vote_block(codes, neighborhoods[block], u[block])


def _vote_block(codes, neighborhoods, u):
    """The most frequent code per row and column, ties picked by ``u`` (see ``vote_categories``)."""
    votes = np.sort(codes[neighborhoods], axis=1)  # (rows, voters, columns)
    n_voters = votes.shape[1]
    pos = np.arange(n_voters)[None, :, None]
    starts = np.ones(votes.shape, dtype=bool)
    starts[:, 1:] = votes[:, 1:] != votes[:, :-1]
    ends = np.ones(votes.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    # First and last position of each voter's run of equal codes.
    first = np.maximum.accumulate(np.where(starts, pos, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, pos, n_voters)[:, ::-1], axis=1)[:, ::-1]
    run = last - first + 1
    # One candidate per most frequent code, in increasing code order.
    best = starts & (run == run.max(axis=1, keepdims=True))
    pick = (u * best.sum(axis=1)).astype(np.int64)
    chosen = best & (np.cumsum(best, axis=1) - 1 == pick[:, None, :])
    return np.take_along_axis(votes, chosen.argmax(axis=1)[:, None, :], axis=1)[:, 0, :]


def mean_distance(X, rows):
    """Mean euclidean distance over the pairs of ``rows``; see :func:`mean_pairwise_distance`."""
    n = rows.shape[0]
    return _twin(mean_pairwise_distance, _mean_distance_numpy, n * (n - 1) // 2 * X.shape[1],
                 X, rows)


def _mean_distance_numpy(X, rows):
    n = rows.shape[0]
    Y = X[rows].astype(np.float64)
    total = 0.0
    # Pairs (a, b > a) in the kernel's order, a block of rows ``a`` at a time.
    step = max(1, BLOCK_VALUES // max(n, 1))
    for a0 in range(0, n, step):
        a = np.arange(a0, min(a0 + step, n))
        ai, bi = np.nonzero(np.arange(n)[None, :] > a[:, None])
        ai += a0
        acc = np.zeros(ai.size)
        for j in range(Y.shape[1]):
            diff = Y[ai, j] - Y[bi, j]
            acc += diff * diff
        # cumsum adds in order, as the kernel's running total does (sum() would pair them).
        total = np.cumsum(np.concatenate([[total], np.sqrt(acc)]))[-1]
    return 2.0 * float(total) / (n * (n - 1))


@njit(parallel=True, cache=True)
def interpolate_kernel(A, seeds, B, partners, gaps, out, start):
    """Write ``A[seeds[i]] + gaps[i] * (B[partners[i]] - A[seeds[i]])`` to ``out[start + i]``.

    A negative partner copies the seed row. The difference is taken in the
    data's dtype and the step in float64, then cast back, as imbalanced-learn
    does, so float32 data gives the same bits as there.
    """
    n_features = out.shape[1]
    for i in prange(seeds.shape[0]):
        row = start + i
        s = seeds[i]
        p = partners[i]
        if p < 0:
            for j in range(n_features):
                out[row, j] = A[s, j]
        else:
            g = gaps[i]
            for j in range(n_features):
                a = A[s, j]
                diff = B[p, j] - a
                out[row, j] = np.float64(a) + g * np.float64(diff)


@njit(parallel=True, cache=True)
def take_rows_kernel(X, rows, out, start):
    """Copy ``X[rows[i]]`` to ``out[start + i]``."""
    n_features = out.shape[1]
    for i in prange(rows.shape[0]):
        r = rows[i]
        for j in range(n_features):
            out[start + i, j] = X[r, j]


@njit(parallel=True, cache=True)
def add_scaled_rows(X, rows, scale, out, start):
    """``out[start + i] = X[rows[i]] + scale * out[start + i]`` (noise drawn in place first)."""
    n_features = out.shape[1]
    for i in prange(rows.shape[0]):
        r = rows[i]
        for j in range(n_features):
            out[start + i, j] = X[r, j] + scale[j] * out[start + i, j]


@njit(cache=True)
def mean_pairwise_distance(X, rows):
    """Mean euclidean distance over the ordered pairs of distinct ``rows`` (no matrix kept).

    Serial: the class part of a cluster is small, and a fixed summation order
    keeps the result independent of the thread count.
    """
    n = rows.shape[0]
    total = 0.0
    for a in range(n):
        ra = rows[a]
        for b in range(a + 1, n):
            rb = rows[b]
            acc = 0.0
            for j in range(X.shape[1]):
                diff = np.float64(X[ra, j]) - np.float64(X[rb, j])
                acc += diff * diff
            total += np.sqrt(acc)
    return 2.0 * total / (n * (n - 1))


@njit(parallel=True, cache=True)
def vote_categories(codes, neighborhoods, u, out, start):
    """Most frequent code per column among each synthetic row's neighbourhood rows.

    ``codes[r, c]`` is row ``r``'s code in categorical column ``c``;
    ``neighborhoods[i]`` lists the rows voting for synthetic row ``i``, written
    to ``out[start + i]``. Among equally frequent codes, taken in increasing
    order, ``u[i, c]`` in [0, 1) picks one (0 picks the smallest).
    """
    n_voters = neighborhoods.shape[1]
    for i in prange(neighborhoods.shape[0]):
        votes = np.empty(n_voters, dtype=codes.dtype)
        for c in range(codes.shape[1]):
            for v in range(n_voters):
                votes[v] = codes[neighborhoods[i, v], c]
            votes.sort()
            best = 0
            n_best = 0
            run = 1
            for v in range(1, n_voters + 1):
                if v < n_voters and votes[v] == votes[v - 1]:
                    run += 1
                    continue
                if run > best:
                    best, n_best = run, 1
                elif run == best:
                    n_best += 1
                run = 1
            pick = int(u[i, c] * n_best)
            run = 1
            for v in range(1, n_voters + 1):
                if v < n_voters and votes[v] == votes[v - 1]:
                    run += 1
                    continue
                if run == best:
                    if pick == 0:
                        out[start + i, c] = votes[v - 1]
                        break
                    pick -= 1
                run = 1


@njit(parallel=True, fastmath={"reassoc", "contract", "nnan", "ninf", "nsz"}, cache=True)
def rbf_weighted_sums(products, sq_rows, sq_vectors, coef, gamma, out):
    """``out[i] = sum_j coef[j] * exp(-gamma * |x_i - v_j|^2)``, from the row-vector products.

    ``products[i, j]`` is ``x_i . v_j``; ``sq_rows`` and ``sq_vectors`` are
    the squared norms. The exponential is
    ``T(u / 128) ** 128`` with ``T`` the degree-11 Taylor polynomial and ``u``
    clamped to [-64, 0]: relative error below 3e-9 per term (a term below
    exp(-64), about 1.6e-28, is returned as that), and plain arithmetic, so
    the loop vectorises (a libm ``exp`` call would not).
    Reassociation only changes the order of the sum within a row, the same
    for every thread count.
    """
    for i in prange(products.shape[0]):
        a = sq_rows[i]
        acc = 0.0
        for j in range(products.shape[1]):
            u = -gamma * (a + sq_vectors[j] - 2.0 * products[i, j])
            u = min(max(u, -64.0), 0.0) * (1.0 / 128.0)
            e = 1.0 + u * (1.0 + u * (1 / 2 + u * (1 / 6 + u * (1 / 24 + u * (
                1 / 120 + u * (1 / 720 + u * (1 / 5040 + u * (1 / 40320 + u * (
                    1 / 362880 + u * (1 / 3628800 + u * (1 / 39916800)))))))))))
            e *= e
            e *= e
            e *= e
            e *= e
            e *= e
            e *= e
            e *= e
            acc += coef[j] * e
        out[i] = acc
