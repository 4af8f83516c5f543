"""The queries imbalance methods need, so that samplers pay only for what they use."""

from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_consistent_length, column_or_1d

from ._query import check_data, check_metric, foreign_search, search


def _row_selection(selection, n_rows, name):
    """Sorted-as-given int64 row numbers from None, an index array or a boolean mask."""
    if selection is None:
        return np.arange(n_rows, dtype=np.int64)
    arr = np.asarray(selection)
    if arr.dtype == bool:
        if arr.shape != (n_rows,):
            raise ValueError(
                f"{name} is a boolean mask of shape {arr.shape}, but X has {n_rows} rows; "
                f"pass a mask of shape ({n_rows},) or an array of row indices."
            )
        return np.flatnonzero(arr).astype(np.int64)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must be None, a boolean mask or a 1-D array of integer row indices; "
            f"got an array of dtype {arr.dtype} and shape {arr.shape}."
        )
    if arr.size and (arr.min() < 0 or arr.max() >= n_rows):
        raise ValueError(f"{name} holds row indices outside [0, {n_rows}).")
    return arr.astype(np.int64)


def _check_k(n_neighbors):
    if not isinstance(n_neighbors, Integral) or isinstance(n_neighbors, bool) or n_neighbors < 1:
        raise ValueError(f"n_neighbors must be an integer >= 1; got {n_neighbors!r}.")
    return int(n_neighbors)


def kneighbors(X, n_neighbors, *, rows=None, among=None, metric="euclidean",
               metric_params=None, return_distance=True, n_jobs=None, check_input=True):
    """Nearest neighbours of some rows of ``X`` among other rows of ``X``.

    The query most samplers make: e.g. the minority rows against all rows
    (Borderline-SMOTE, ADASYN), or against the minority rows only (SMOTE),
    without building a separate index or copying the query rows.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data; float32 and float64 are used as they are.
    n_neighbors : int
        Neighbours per query row.
    rows : array-like of int or bool mask, default=None
        The query rows; ``None`` means every row.
    among : array-like of int or bool mask, default=None
        The candidate rows; ``None`` means every row. A query row is never its
        own neighbour (it is excluded by index, so an exact duplicate of it
        still counts).
    metric : {"euclidean", "manhattan", "mixed"}, default="euclidean"
        ``"mixed"`` adds ``penalty**2`` per differing categorical column to the
        squared euclidean distance over the other columns; give
        ``metric_params={"categorical": mask, "penalty": float}``.
    metric_params : dict, default=None
        Parameters of the metric.
    return_distance : bool, default=True
        Also return the distances.
    n_jobs : int, default=None
        Threads of the search; results never depend on it. ``None`` and
        ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).
    check_input : bool, default=True
        Validate ``X``. A caller that queries the same array many times may
        validate it once and pass ``False``, as scikit-learn's trees allow;
        ``X`` must then be a finite, C-contiguous, 2-D float32 or float64
        ndarray, or the answer is undefined.

    Returns
    -------
    dist : ndarray of shape (n_queries, n_neighbors), float64
        Only when ``return_distance=True``.
    ind : ndarray of shape (n_queries, n_neighbors), int64
        Row indices into ``X``, nearest first; equal distances are ordered by
        the lower row index.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.neighbors import kneighbors
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> dist, ind = kneighbors(X, 1, rows=[0, 3], among=[1, 2, 3])
    >>> ind.ravel().tolist(), dist.ravel().tolist()
    ([1, 2], [1.0, 3.0])
    """
    if check_input:
        X = check_data(X)
    k = _check_k(n_neighbors)
    qrows = _row_selection(rows, X.shape[0], "rows")
    metric_id, categorical, penalty = check_metric(metric, metric_params, X.shape[1])
    if among is None:
        crows = np.arange(X.shape[0], dtype=np.int64)
        in_candidates = np.ones(qrows.size, dtype=bool)
    else:
        # A mask sorts and deduplicates in O(n): np.unique/np.isin cost ~1 s at 10^6 rows.
        is_candidate = np.zeros(X.shape[0], dtype=bool)
        is_candidate[_row_selection(among, X.shape[0], "among")] = True
        crows = np.flatnonzero(is_candidate)
        in_candidates = is_candidate[qrows]
    available = crows.size - (1 if in_candidates.any() else 0)
    if k > available:
        raise ValueError(
            f"n_neighbors={k} is larger than the {available} candidate rows available to each "
            f"query ({crows.size} rows in `among`, and a query row is never its own neighbour); "
            "lower n_neighbors or widen `among`."
        )
    exclude = np.where(in_candidates, qrows, -1)
    dist, ind = search(X, qrows, X, crows, exclude, k, metric_id, categorical, penalty, n_jobs)
    return (dist, ind) if return_distance else ind


def nearest_other_class(X, y, *, rows=None, metric="euclidean", metric_params=None,
                        n_jobs=None):
    """Distance from rows of ``X`` to the nearest row with a different label.

    The bound cleaning methods need: a row whose nearest foreign row lies
    beyond its k-th neighbour cannot have a foreign neighbour.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels, of any type.
    rows : array-like of int or bool mask, default=None
        The query rows; ``None`` means every row.
    metric : {"euclidean", "manhattan", "mixed"}, default="euclidean"
        As in :func:`kneighbors`.
    metric_params : dict, default=None
        As in :func:`kneighbors`.
    n_jobs : int, default=None
        Threads of the search; results never depend on it. ``None`` and
        ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).

    Returns
    -------
    dist : ndarray of shape (n_queries,), float64
        ``inf`` where every row has the query's label.
    ind : ndarray of shape (n_queries,), int64
        Row of the nearest foreign row (lowest index among equals), or -1.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.neighbors import nearest_other_class
    >>> X = np.array([[0.0], [1.0], [3.0], [6.0]])
    >>> dist, ind = nearest_other_class(X, [0, 0, 1, 1])
    >>> ind.tolist(), dist.tolist()
    ([2, 2, 1, 1], [3.0, 2.0, 2.0, 5.0])
    """
    X = check_data(X)
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    qrows = _row_selection(rows, X.shape[0], "rows")
    metric_id, categorical, penalty = check_metric(metric, metric_params, X.shape[1])
    _, codes = np.unique(y, return_inverse=True)
    return foreign_search(X, codes.astype(np.int64), qrows, metric_id, categorical, penalty,
                          n_jobs)
