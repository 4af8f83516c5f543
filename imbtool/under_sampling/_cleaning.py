"""Exact neighbourhood queries of the cleaning methods, doing only the work that decides.

Every function here returns what the brute-force definition returns (the k
nearest neighbours of every row, ties to the lower row index); they differ from
brute force only in how much of the distance matrix they look at.
"""

import warnings
from collections import Counter

import numpy as np

from imbtool.neighbors import kneighbors, nearest_other_class
from imbtool.neighbors._query import check_data, foreign_pairs, query_slices
from imbtool.neighbors._small import closer_counts

from ..utils._warnings import ImbtoolUserWarning

# Rows per cell of the first scan, and first block of the later scans (which
# double) in ``edited_neighbours``. They only move time, never the answer.
CELL_SIZE = 1000
FIRST_BLOCK = 2048


def minority_class(y):
    """The minority class as imbalanced-learn picks it (first seen among equal counts)."""
    counts = Counter(y)
    return min(counts, key=counts.get)


def check_enough_rows(n_rows, n_neighbors, name="n_neighbors"):
    if n_rows <= n_neighbors:
        raise ValueError(
            f"{name}={n_neighbors} needs at least {n_neighbors + 1} rows (each row's "
            f"{n_neighbors} nearest other rows), but X has {n_rows}; lower {name}."
        )


def warn_emptied(kept_y, y, sampler):
    """Warn when cleaning removed every row of a class."""
    gone = sorted(set(np.unique(y).tolist()) - set(np.unique(kept_y).tolist()), key=str)
    if gone:
        warnings.warn(
            f"{sampler} removed every row of class(es) {gone}; the resampled data no longer "
            "contains them. Lower n_neighbors, use kind_sel='mode', or exclude these classes "
            "from sampling_strategy.",
            ImbtoolUserWarning,
            stacklevel=3,
        )


def _precedes(d1, i1, d2, i2):
    """(d1, i1) comes before (d2, i2) in the neighbour order (distance, then row index)."""
    return (d1 < d2) | ((d1 == d2) & (i1 < i2))


def _blocks(n_rows, first, minimum):
    """Doubling blocks covering ``range(n_rows)``, each at least ``minimum`` long."""
    bounds, start, size = [], 0, first
    while start < n_rows:
        end = min(n_rows, start + size)
        if n_rows - end < minimum:
            end = n_rows
        bounds.append((start, end))
        start, size = end, 2 * size
    return bounds


def _nearest_centre(X, centres, chunk=8192):
    # Rounding of the expanded square only moves rows between cells, which
    # changes speed, not results; the BLAS product is much cheaper here.
    # Chunks keep the rows x centres scores small.
    half_norms = 0.5 * np.einsum("ij,ij->i", centres, centres)
    cell = np.empty(X.shape[0], dtype=np.int64)
    for start in range(0, X.shape[0], chunk):
        scores = X[start:start + chunk] @ centres.T
        np.subtract(half_norms, scores, out=scores)
        cell[start:start + chunk] = scores.argmin(axis=1)
    return cell


def _cells(X, n_cells):
    """Cells of a cheap spatial partition: one Lloyd step from fixed pseudo-random rows.

    Only speed depends on it: rows of a cell are mostly each other's near
    neighbours, so a row's own cell usually already proves it safe; the Lloyd
    step evens out the cell sizes, and so the cost of scanning them.
    """
    centres = X[np.random.default_rng(0).choice(X.shape[0], n_cells, replace=False)]
    cell = _nearest_centre(X, centres)
    order = np.argsort(cell, kind="stable")
    _, starts = np.unique(cell[order], return_index=True)
    sizes = np.diff(np.append(starts, cell.size))
    centres = np.add.reduceat(X[order], starts, axis=0) / sizes[:, None]
    return _nearest_centre(X, centres.astype(X.dtype))


def _merge(best_d, best_i, d, i, k):
    """The k first of two neighbour lists per row, counting a row seen twice once."""
    d = np.hstack([best_d, d])
    i = np.hstack([best_i, i])
    order = np.lexsort((i, d), axis=1)
    d = np.take_along_axis(d, order, axis=1)
    i = np.take_along_axis(i, order, axis=1)
    twice = np.zeros(d.shape, dtype=bool)
    twice[:, 1:] = i[:, 1:] == i[:, :-1]
    d[twice] = np.inf
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)


def edited_neighbours(X, codes, rows, k, n_jobs=None, neighbours=True):
    """Which ``rows`` have only same-class rows among their ``k`` nearest neighbours.

    A row whose nearest foreign row f lies at distance r is *safe* once k rows
    of its class are found that come before (r, f) in its neighbour order:
    only rows of its class can. Each row first counts the rows of its class
    in its own cell of a coarse spatial partition that are certainly nearer
    than r (one product a pair, ``closer_counts``); the rows left unproven
    scan the data in blocks (a fixed shuffled order, doubling in size),
    keeping their k nearest so far, and stop as soon as they are safe. Rows
    that never become safe have scanned everything, so their running k
    nearest are their exact k nearest neighbours; without ``neighbours`` the
    blocks hold only the row's class, which decides safety alike at a
    fraction of the pairs.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    codes : ndarray of shape (n_samples,), int
        Class codes 0..n_classes-1.
    rows : ndarray of int
        Query rows.
    k : int
        Neighbours per row.
    neighbours : bool, default=True
        Whether the unsafe rows' neighbours are needed.

    Returns
    -------
    safe : ndarray of shape (len(rows),), bool
    neigh : ndarray of shape (len(rows), k), int64
        Exact k nearest neighbours of the unsafe rows (rows where ``safe`` is
        False) with ``neighbours``; undefined elsewhere.
    """
    # Validated once here: the scans below query the same X up to hundreds of times.
    X = check_data(X)
    n = X.shape[0]
    safe = np.zeros(rows.size, dtype=bool)
    neigh = np.zeros((rows.size, k), dtype=np.int64)
    if rows.size == 0:
        return safe, neigh
    n_same = np.bincount(codes)[codes[rows]]
    # Small data, or mostly foreign rows: the bound costs as much as the search.
    if n <= 4 * FIRST_BLOCK or np.mean(n - n_same) > 0.5 * n:
        neigh[:] = kneighbors(X, k, rows=rows, return_distance=False, n_jobs=n_jobs)
        safe[:] = (codes[neigh] == codes[rows][:, None]).all(axis=1)
        return safe, neigh
    radius, other = nearest_other_class(X, codes, rows=rows, n_jobs=n_jobs)
    best_d = np.full((rows.size, k), np.inf)
    best_i = np.full((rows.size, k), n, dtype=np.int64)
    safe[~np.isfinite(radius)] = True

    # The rows of one class in one cell, as ranges of ``by_group``.
    group = _cells(X, max(1, n // CELL_SIZE)) * (codes.max() + 1) + codes
    by_group = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[by_group], np.arange(group.max() + 2))
    query_group = group[rows]
    for g in np.unique(query_group[~safe]):
        members = by_group[bounds[g]:bounds[g + 1]]
        if members.size <= k:
            continue
        q = np.flatnonzero((query_group == g) & ~safe)
        safe[q] = closer_counts(X, rows[q], members, radius[q]) >= k
    pending = np.flatnonzero(~safe)

    order = np.random.default_rng(0).permutation(n)
    if neighbours:
        _scan_blocks(X, rows, pending, order, k, (best_d, best_i, radius, other, safe), n_jobs)
        pending = np.flatnonzero(~safe)
        neigh[pending] = best_i[pending]
        return safe, neigh
    for label in np.unique(codes[rows[pending]]):
        # (A class of k rows or fewer leaves its rows unsafe: none has k others.)
        _scan_blocks(X, rows, pending[codes[rows[pending]] == label],
                     order[codes[order] == label], k, (best_d, best_i, radius, other, safe),
                     n_jobs)
    return safe, neigh


def _scan_blocks(X, rows, pending, order, k, state, n_jobs):
    """Scan ``order``'s rows in doubling blocks for the ``pending`` queries of
    :func:`edited_neighbours`, updating its running neighbours and ``safe`` in ``state``."""
    best_d, best_i, radius, other, safe = state
    for start, end in _blocks(order.size, max(FIRST_BLOCK, 4 * k), k + 1):
        if pending.size == 0 or order.size <= k:
            break
        d, i = kneighbors(X, k, rows=rows[pending], among=order[start:end], n_jobs=n_jobs,
                          check_input=False)
        best_d[pending], best_i[pending] = _merge(best_d[pending], best_i[pending], d, i, k)
        done = _precedes(best_d[pending, -1], best_i[pending, -1], radius[pending],
                         other[pending])
        safe[pending[done]] = True
        pending = pending[~done]


def edited_keep(X, codes, targeted, k, kind_sel, n_jobs=None):
    """Rows Wilson's editing keeps: untargeted rows, and targeted rows whose
    ``k`` nearest neighbours all share their class ("all") or whose most
    frequent neighbour class, smallest on ties, is theirs ("mode").

    Parameters
    ----------
    targeted : ndarray of bool, shape (n_classes,)
        Classes that may lose rows.

    Returns
    -------
    keep : ndarray of shape (n_samples,), bool
    """
    check_enough_rows(X.shape[0], k)
    keep = np.ones(X.shape[0], dtype=bool)
    rows = np.flatnonzero(targeted[codes])
    safe, neigh = edited_neighbours(X, codes, rows, k, n_jobs, neighbours=kind_sel == "mode")
    unsafe = np.flatnonzero(~safe)
    if kind_sel == "all" or unsafe.size == 0:
        keep[rows[unsafe]] = False
        return keep
    keep[rows[unsafe]] = vote(codes[neigh[unsafe]], codes.max() + 1) == codes[rows[unsafe]]
    return keep


def _nearest_rows(X, rows, n_jobs):
    """Nearest other row of each of ``rows``, searched in slices (see ``query_slices``)."""
    nearest = np.empty(rows.size, dtype=np.int64)
    for part in query_slices(rows.size, X.shape[0]):
        nearest[part] = kneighbors(X, 1, rows=rows[part], return_distance=False,
                                   n_jobs=n_jobs)[:, 0]
    return nearest


def tomek_mask(X, codes, n_jobs=None):
    """Rows that are in a Tomek link: mutual nearest neighbours of different classes.

    A link joins two classes, so one end is outside the largest class: the
    nearest neighbours of the other classes' rows find every link, and only
    the largest-class rows they point at need a search of their own. Where
    every row's nearest row of another class costs fewer pairs (a cross
    search of the classes, see ``foreign_search``), links are found from
    those instead (:func:`_links_of_foreign_pairs`).
    """
    check_enough_rows(X.shape[0], 1, "the number of rows for Tomek links")
    X = check_data(X)
    n = X.shape[0]
    largest = np.bincount(codes).argmax()
    first = np.flatnonzero(codes != largest)
    if foreign_pairs(codes, np.arange(n), X.shape[1]) < first.size * n:
        return _links_of_foreign_pairs(X, codes, n_jobs)
    nearest = np.full(n, -1, dtype=np.int64)
    nearest[first] = _nearest_rows(X, first, n_jobs)
    pointed = nearest[first]
    pointed = np.unique(pointed[codes[pointed] != codes[first]])
    second = pointed[nearest[pointed] < 0]
    nearest[second] = _nearest_rows(X, second, n_jobs)
    linked = nearest >= 0
    partner = np.where(linked, nearest, 0)
    linked &= (codes[partner] != codes) & (nearest[partner] == np.arange(n))
    return linked


def _links_of_foreign_pairs(X, codes, n_jobs):
    """:func:`tomek_mask` from every row's nearest row of another class.

    The ends of a link are each other's nearest foreign row; such a pair is
    a link when no row of either end's own class comes before the other end.
    Each end's nearest row among its class and the ends' partners is its
    partner exactly then (no other foreign row comes before its nearest).
    """
    n = X.shape[0]
    _, partner = nearest_other_class(X, codes, n_jobs=n_jobs)
    partner = np.where(partner >= 0, partner, np.arange(n))
    ends = np.flatnonzero(partner[partner] == np.arange(n))
    ends = ends[partner[ends] != ends]
    linked = np.zeros(n, dtype=bool)
    for label in np.unique(codes[ends]):
        mine = ends[codes[ends] == label]
        among = np.union1d(np.flatnonzero(codes == label), partner[mine])
        nearest = kneighbors(X, 1, rows=mine, among=among, return_distance=False,
                             n_jobs=n_jobs, check_input=False)[:, 0]
        linked[mine] = nearest == partner[mine]
    return linked & linked[partner]


def knn_including_self(X, k, rows, among, n_jobs=None):
    """k nearest of ``rows`` among ``among``, a query in ``among`` being its own nearest.

    The semantics of scikit-learn's ``fit(X[among]).kneighbors(X[rows])``,
    which imbalanced-learn's prediction steps rely on.
    """
    rows = np.asarray(rows, dtype=np.int64)
    dist = np.empty((rows.size, k))
    ind = np.empty((rows.size, k), dtype=np.int64)
    inside = np.isin(rows, among)
    out = np.flatnonzero(~inside)
    if out.size:
        dist[out], ind[out] = kneighbors(X, k, rows=rows[out], among=among, n_jobs=n_jobs)
    ins = np.flatnonzero(inside)
    if ins.size:
        dist[ins, 0], ind[ins, 0] = 0.0, rows[ins]
        if k > 1:
            dist[ins, 1:], ind[ins, 1:] = kneighbors(X, k - 1, rows=rows[ins], among=among,
                                                     n_jobs=n_jobs)
    return dist, ind


def vote(labels, n_classes):
    """Most frequent code per row, the smallest on ties (scikit-learn's KNN vote)."""
    votes = np.zeros((labels.shape[0], n_classes), dtype=np.int64)
    np.add.at(votes, (np.repeat(np.arange(labels.shape[0]), labels.shape[1]), labels.ravel()), 1)
    return votes.argmax(axis=1)
