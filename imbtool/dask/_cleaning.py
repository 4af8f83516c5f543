"""Tomek links and Wilson's editing on Dask collections, by an exact partition-wise search."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError, StrOptions

from ..base import CLASS_COUNTS_CONSTRAINT
from ..neighbors import kneighbors
from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolUserWarning
from ._collections import (
    check_pair,
    dask,
    delayed,
    from_parts,
    is_frame,
    keep_nearest,
    meta_of,
    offsets,
    partitions,
    rows_to_query,
    tree_reduce,
)
from ._params import check_class_counts
from ._strategy import UNDER_STRINGS, resolve_strategy
from ._under_sampling import _positions, _take


def _nearest_in(X_query, rows, X_part, y_part, start, same, k, n_jobs):
    """The ``k`` nearest rows of one partition to the query rows: squared distance, position,
    label.

    ``same``: the query rows are rows of this partition (each is then never
    its own neighbour, by index, as in memory). The engine orders rows by
    squared distance, then by the lower row index, which within a partition
    is the lower global position.
    """
    X_part = np.asarray(X_part, dtype=np.float64)
    y_part = np.asarray(y_part)
    queries = np.asarray(X_query, dtype=np.float64)[rows]
    if not rows.size:
        return _empty(0, k, y_part.dtype)
    if same:
        k = min(k, len(X_part) - 1)
        if k < 1:
            return _empty(rows.size, 0, y_part.dtype)
        index = kneighbors(X_part, k, rows=rows, return_distance=False, n_jobs=n_jobs)
    else:
        k = min(k, len(X_part))
        if k < 1:
            return _empty(rows.size, 0, y_part.dtype)
        stacked = np.concatenate([queries, X_part])
        index = kneighbors(stacked, k, rows=np.arange(rows.size),
                           among=np.arange(rows.size, len(stacked)),
                           return_distance=False, n_jobs=n_jobs) - rows.size
    return _squared(queries, X_part[index]), index + start, y_part[index]


def _squared(queries, neighbours):
    """Squared euclidean distances summed column by column, as the engine sums them.

    The engine ranks by the squared distance: two distances equal after the
    square root may differ here, and the merge of the partitions' lists must
    rank them as the engine does on the whole data.
    """
    total = np.zeros(neighbours.shape[:2])
    for j in range(queries.shape[1]):
        t = queries[:, j, None] - neighbours[:, :, j]
        total += t * t
    return total


def _empty(n, k, dtype):
    return np.empty((n, k)), np.empty((n, k), dtype=np.int64), np.empty((n, k), dtype=dtype)


def _search(X_parts, y_parts, starts, k, n_jobs, labels=None, wanted=None):
    """Exact ``k`` nearest neighbours among all rows of the query rows of every partition.

    The query rows are those of ``labels`` or at the global positions
    ``wanted``. Partition ``i``'s queries are compared with every partition
    ``j`` (one task per pair, holding two partitions), and each query's
    per-partition top lists are merged. Returns, per partition, the queries'
    global positions and labels and their neighbours' positions and labels,
    nearest first (Delayed). ``n_jobs``: threads of each task's search.
    """
    out = []
    for i, (X_i, y_i, s_i) in enumerate(zip(X_parts, y_parts, starts, strict=True)):
        rows = delayed(rows_to_query)(y_i, int(s_i), labels, wanted)
        found = [delayed(_nearest_in)(X_i, rows, X_j, y_j, int(s_j), i == j, k, n_jobs)
                 for j, (X_j, y_j, s_j) in enumerate(zip(X_parts, y_parts, starts, strict=True))]
        out.append(delayed(_located)(rows, y_i, int(s_i), tree_reduce(found, keep_nearest(k))))
    return out


def _located(rows, y_part, start, nearest):
    _, position, label = nearest
    return rows + start, np.asarray(y_part)[rows], position, label


class _DaskCleaningSampler(BaseEstimator):
    """Remove rows found by a rule on their exact nearest neighbours; keep the rest lazily."""

    _parameter_constraints: dict = {
        "sampling_strategy": [StrOptions(UNDER_STRINGS), list, callable],
        "n_jobs": N_JOBS_CONSTRAINT,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
    }

    def _targeted(self, classes, totals, y):
        strategy = self.sampling_strategy
        if callable(strategy):
            strategy = strategy(y)
            if not isinstance(strategy, (list, dict)):
                raise TypeError("A callable sampling_strategy must return a list or dict of "
                                f"the classes to clean; got {strategy!r}.")
            strategy = list(strategy)
        if isinstance(strategy, list):
            unknown = [c for c in strategy if c not in classes.tolist()]
            if unknown:
                raise ValueError(f"sampling_strategy names classes {unknown} that y does not "
                                 f"hold; its classes are {classes.tolist()}.")
            return sorted(strategy)
        return sorted(resolve_strategy(strategy, classes, totals, y, "under-sampling"))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Find the rows to remove and return the others as lazy Dask collections.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X``, and of the same kind.

        Returns
        -------
        X_resampled : dask.array.Array or dask.dataframe.DataFrame
            The kept rows, in the input's order and partitions.
        y_resampled : dask.array.Array or dask.dataframe.Series
        """
        check_class_counts(self)
        X, y, lengths, classes, table = check_pair(X, y)
        totals = table.sum(axis=0)
        targeted = self._targeted(classes, totals, y)
        X_parts, y_parts, starts = partitions(X), partitions(y), offsets(lengths)
        removed = np.sort(self._removed(X_parts, y_parts, starts, classes, table, targeted))
        _warn_emptied(type(self).__name__, y_parts, starts, classes, table, removed)
        # Attributes are set only once the search is done: a fit that fails (a lost worker)
        # leaves a fitted sampler as it was.
        self.sampling_strategy_ = {c: int(n) for c, n in zip(classes.tolist(), totals.tolist(),
                                                             strict=True) if c in targeted}
        self.n_samples_fit_ = int(lengths.sum())
        self.removed_indices_ = removed
        masks = [delayed(_kept_mask)(int(s), int(n), removed)
                 for s, n in zip(starts, lengths, strict=True)]

        def rebuild(func, parts, meta, n_columns=None):
            return from_parts([delayed(func)(p, m) for p, m in zip(parts, masks, strict=True)],
                              meta, n_columns)

        self.sample_indices_ = rebuild(_positions, starts, np.dtype(np.int64))
        return (rebuild(_take, X_parts, meta_of(X), None if is_frame(X) else X.shape[1]),
                rebuild(_take, y_parts, meta_of(y)))


def _warn_emptied(name, y_parts, starts, classes, table, removed):
    if not removed.size:
        return
    labels = np.concatenate(_labels_at(y_parts, starts, removed))
    gone = [c for c, n, r in zip(classes.tolist(), table.sum(axis=0),
                                 np.bincount(np.searchsorted(classes, labels),
                                             minlength=classes.size), strict=True)
            if n == r]
    if gone:
        warnings.warn(
            f"{name} removed every row of class(es) {gone}; the resampled data no longer "
            "contains them. Lower n_neighbors, use kind_sel='mode', or exclude these classes "
            "from sampling_strategy.",
            ImbtoolUserWarning, stacklevel=4)


def _kept_mask(start, n, removed):
    mask = np.ones(n, dtype=bool)
    inside = removed[(removed >= start) & (removed < start + n)]
    mask[inside - start] = False
    return mask


def _labels_at(y_parts, starts, positions):
    def pick(y_part, start):
        inside = positions[(positions >= start) & (positions < start + len(y_part))]
        return np.asarray(y_part)[inside - start]
    return dask.compute(*[delayed(pick)(p, int(s)) for p, s in zip(y_parts, starts,
                                                                    strict=True)])


class TomekLinks(_DaskCleaningSampler):
    """Remove the targeted ends of Tomek links in a Dask collection.

    The Dask counterpart of :class:`imbtool.under_sampling.TomekLinks`: two
    rows of different classes form a link when each is the other's nearest
    neighbour, and the ends of the targeted classes are removed. The same
    rows as in memory are removed, whatever the partitioning: every
    neighbour is found by an exact search of every partition, merged by
    distance and then global position (the in-memory tie rule).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes whose linked rows are removed: ``"auto"`` (= ``"not
        minority"``), ``"majority"``, ``"not majority"``, ``"not minority"``,
        ``"all"``, a list of classes, or a callable of the Dask ``y``
        returning such a list (or a dict, whose keys are taken).

    n_jobs : int, default=None
        Threads of each neighbour search task (the in-memory sampler's
        meaning: threads of its search); the result never depends on it.
        ``None`` and ``-1`` use every core available (threads inside one
        call, as scikit-learn's OpenMP code).
    class_counts : {"rows"}, default="rows"
        Class sizes (which class is the minority) are row counts. The
        in-memory ``"weight"`` sizes classes by ``sample_weight``, which
        ``fit_resample`` on Dask does not take: it raises a ``ValueError``.

    Attributes
    ----------
    sampling_strategy_ : dict
        The targeted classes (with their rows in ``y``).
    removed_indices_ : ndarray of int64
        Global positions of the removed rows, increasing.
    sample_indices_ : dask.array.Array
        Global positions of the kept rows, increasing (lazy).
    n_samples_fit_ : int
        Rows of the input.

    See Also
    --------
    imbtool.under_sampling.TomekLinks : The in-memory sampler.

    Notes
    -----
    Cost as the data grow: a link joins two classes, so one end lies
    outside the largest class. The rows of the other classes are the
    queries of a first search, and the largest-class rows they point at
    those of a second. Each search compares its queries with every row,
    one task per pair of partitions (p**2 tasks for p partitions, each
    holding two partitions), and reads ``X`` p times; the distance
    evaluations grow as (rows outside the largest class) x (all rows).
    Nothing but the neighbours' positions (one per query) reaches the
    client; ``y`` is read twice more (class counts, the removed rows'
    labels). Rows are compared as float64, unscaled.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import TomekLinks
    >>> X = np.array([[0.0], [1.0], [1.4], [3.0], [4.0]])
    >>> y = np.array([0, 0, 1, 0, 0])
    >>> sampler = TomekLinks()
    >>> X_res, y_res = sampler.fit_resample(da.from_array(X, chunks=(2, 1)),
    ...                                     da.from_array(y, chunks=2))
    >>> sampler.sample_indices_.compute().tolist()
    [0, 2, 3, 4]
    """

    def __init__(self, *, sampling_strategy="auto", n_jobs=None, class_counts="rows"):
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs
        self.class_counts = class_counts

    def _removed(self, X_parts, y_parts, starts, classes, table, targeted):
        largest = classes[int(np.argmax(table.sum(axis=0)))]
        others = [c for c in classes.tolist() if c != largest]
        position, label, nearest, nearest_label = _gathered(
            _search(X_parts, y_parts, starts, 1, self.n_jobs, labels=others))
        # The largest-class rows a link may end at: their own nearest row is needed too.
        pointed = np.unique(nearest[(nearest_label != label) & (nearest_label == largest)])
        if pointed.size:
            more = _gathered(_search(X_parts, y_parts, starts, 1, self.n_jobs, wanted=pointed))
            position, label, nearest, nearest_label = (
                np.concatenate(pair) for pair in zip((position, label, nearest, nearest_label),
                                                     more, strict=True))
        order = np.argsort(position)
        position, label, nearest, nearest_label = (a[order] for a in (position, label, nearest,
                                                                      nearest_label))
        # A link: the partner's nearest row is the row itself, of another class.
        at = np.minimum(np.searchsorted(position, nearest), position.size - 1)
        linked = ((position[at] == nearest) & (nearest[at] == position)
                  & (nearest_label != label))
        return position[linked & np.isin(label, targeted)]


def _gathered(found):
    """The search's results of every partition, concatenated on the client (one per query)."""
    parts = dask.compute(*found)
    position, label, nearest, nearest_label = (np.concatenate(a) for a in zip(*parts))
    return position, label, nearest[:, 0], nearest_label[:, 0]


def _edited(located, classes, kind_sel):
    """Global positions of one partition's queried rows that Wilson's editing removes."""
    position, label, _, nearest_label = located
    if kind_sel == "all":
        keep = np.all(nearest_label == label[:, None], axis=1)
    else:
        codes = np.searchsorted(classes, nearest_label)
        votes = np.zeros((codes.shape[0], classes.size), dtype=np.int64)
        np.add.at(votes, (np.repeat(np.arange(codes.shape[0]), codes.shape[1]), codes.ravel()),
                  1)
        # argmax takes the first of equal counts: the smallest label, the in-memory rule.
        keep = classes[np.argmax(votes, axis=1)] == label
    return position[~keep]


class EditedNearestNeighbours(_DaskCleaningSampler):
    """Wilson's editing of a Dask collection: remove rows their neighbourhood outvotes.

    The Dask counterpart of
    :class:`imbtool.under_sampling.EditedNearestNeighbours`: a row of a
    targeted class is removed when any (``kind_sel="all"``) or most
    (``"mode"``) of its ``n_neighbors`` nearest rows belong to another class.
    The same rows as in memory are removed, whatever the partitioning: the
    neighbours are found by an exact search of every partition, merged by
    distance and then global position (the in-memory tie rule).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes to clean: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not majority"``, ``"not minority"``, ``"all"``, a list of
        classes, or a callable of the Dask ``y`` returning such a list (or a
        dict, whose keys are taken).
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood (the row itself excluded). An estimator
        with ``kneighbors`` counts the row itself, as imbalanced-learn uses
        it: its ``n_neighbors - 1`` rows are the neighbourhood. Only its
        size is read (the search is the exact euclidean one); an estimator
        with another metric or a radius is refused.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: keep a row only if all its neighbours share its class.
        ``"mode"``: keep it if the most frequent neighbour class (the
        smallest label on ties) is its own.

    n_jobs : int, default=None
        Threads of each neighbour search task (the in-memory sampler's
        meaning: threads of its search); the result never depends on it.
        ``None`` and ``-1`` use every core available (threads inside one
        call, as scikit-learn's OpenMP code).
    class_counts : {"rows"}, default="rows"
        Class sizes (which class is the minority) are row counts. The
        in-memory ``"weight"`` sizes classes by ``sample_weight``, which
        ``fit_resample`` on Dask does not take: it raises a ``ValueError``.

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned (with their rows in ``y``).
    removed_indices_ : ndarray of int64
        Global positions of the removed rows, increasing.
    sample_indices_ : dask.array.Array
        Global positions of the kept rows, increasing (lazy; the in-memory
        sampler lists them class by class).
    n_samples_fit_ : int
        Rows of the input.

    See Also
    --------
    imbtool.under_sampling.EditedNearestNeighbours : The in-memory sampler.

    Notes
    -----
    Cost as the data grow: every row of a cleaned class is a query (with
    ``"auto"``, the whole majority), compared with every row, one task per
    pair of partitions (p**2 tasks for p partitions, each holding two
    partitions); ``X`` is read p times and the distance evaluations grow as
    (rows cleaned) x (all rows), quadratic in the data. The edit is decided
    on the workers; only the removed rows' positions reach the client.
    Rows are compared as float64, unscaled.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import EditedNearestNeighbours
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(400) < 0.2).astype(int)
    >>> X = da.from_array(rng.normal(size=(400, 2)) + y[:, None], chunks=(100, 2))
    >>> sampler = EditedNearestNeighbours()
    >>> X_res, y_res = sampler.fit_resample(X, da.from_array(y, chunks=100))
    >>> int((y_res == 1).sum().compute()) == int(y.sum()), len(sampler.removed_indices_) > 0
    (True, True)
    """

    _parameter_constraints: dict = {
        **_DaskCleaningSampler._parameter_constraints,
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left"),
                        HasMethods(["kneighbors", "kneighbors_graph"])],
        "kind_sel": [StrOptions({"all", "mode"})],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None,
                 class_counts="rows"):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs
        self.class_counts = class_counts

    def _size(self):
        """Neighbours of each row, the row itself excluded."""
        if isinstance(self.n_neighbors, numbers.Integral):
            return int(self.n_neighbors)
        params = self.n_neighbors.get_params()
        euclidean = params.get("metric", "minkowski") in ("euclidean", "l2") or (
            params.get("metric", "minkowski") == "minkowski" and params.get("p", 2) == 2)
        size = params.get("n_neighbors")
        if not (euclidean and isinstance(size, numbers.Integral) and size >= 2):
            raise InvalidParameterError(
                f"{type(self).__name__}: an n_neighbors estimator on Dask gives only its "
                "neighbourhood size (its n_neighbors, the row itself included, at least 2) to "
                f"the exact euclidean search; got {self.n_neighbors!r}. Give an int, or use "
                "the in-memory imbtool.under_sampling.EditedNearestNeighbours.")
        return int(size) - 1

    def _removed(self, X_parts, y_parts, starts, classes, table, targeted):
        n_rows = int(table.sum())
        size = self._size()
        if size > n_rows - 1:
            raise ValueError(f"n_neighbors={self.n_neighbors} is larger than the {n_rows - 1} "
                             "other rows each row can have as neighbours; lower n_neighbors.")
        found = _search(X_parts, y_parts, starts, size, self.n_jobs, labels=targeted)
        removed = dask.compute(*[delayed(_edited)(f, classes, self.kind_sel) for f in found])
        return np.concatenate(removed)
