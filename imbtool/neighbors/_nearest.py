"""``NearestNeighbors``: scikit-learn's unsupervised neighbours API on the numba engine."""

from numbers import Integral

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._functions import _check_k
from ._query import METRICS, check_data, check_metric, check_reach, column_bounds, search


class NearestNeighbors(BaseEstimator):
    """Exact k-nearest-neighbour search on a numba-jitted, multi-threaded engine.

    A drop-in for ``sklearn.neighbors.NearestNeighbors`` for the k-nearest
    queries, also accepted as the ``k_neighbors``/``n_neighbors`` object of
    imbalanced-learn's samplers. The search is exact and blocked (memory beyond
    the output is a few buffers per thread); euclidean search on large inputs
    filters candidates with float32 products under a rigorous error bound and
    ranks the survivors in float64, so the answer equals brute force.

    Parameters
    ----------
    n_neighbors : int, default=5
        Neighbours returned by :meth:`kneighbors` by default.
    metric : {"euclidean", "manhattan", "mixed"}, default="euclidean"
        Distance. ``"mixed"`` is euclidean over numeric columns plus
        ``penalty**2`` per differing categorical column, under the square root
        (the distance SMOTE-NC uses); it needs ``metric_params``.
    metric_params : dict, default=None
        For ``"mixed"``: ``{"categorical": mask or indices, "penalty": float}``.
    n_jobs : int, default=None
        Threads of the search; results never depend on it. ``None`` and
        ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when fitted on a DataFrame with string column names.
    n_samples_fit_ : int
        Number of fitted rows.
    effective_metric_ : str
        The metric used.

    Notes
    -----
    Equal distances are ordered by the lower row index (euclidean distances are
    compared as exact float64 sums of squares, before the square root). With ``X=None`` each
    fitted row is excluded from its own neighbours by index, so an exact
    duplicate of it is still returned; scikit-learn removes the row itself
    when it is among the k + 1 nearest and otherwise the first one, which
    differs from this only when more than k duplicates tie.

    Answers do not depend on the scale of the data: multiplying every feature
    by a power of two scales the distances by it and changes no neighbour,
    down to subnormal values (rows spanning less than ``2**-256`` are searched
    on a copy scaled up by a power of two, which is exact). Data whose squared
    distances overflow float64 (spans beyond about 1e154) are refused.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.neighbors import NearestNeighbors
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [3.0, 0.0], [3.0, 1.5]])
    >>> nn = NearestNeighbors(n_neighbors=1).fit(X)
    >>> nn.kneighbors(return_distance=False).ravel().tolist()
    [1, 0, 3, 2]
    >>> dist, ind = nn.kneighbors([[2.9, 0.1]])
    >>> ind.tolist(), np.round(dist, 3).tolist()
    ([[2]], [[0.141]])
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "metric": [StrOptions(set(METRICS))],
        "metric_params": [dict, None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, n_neighbors=5, metric="euclidean", metric_params=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Index the rows of ``X`` (no copy when ``X`` is a C-ordered float array).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, finite.
        y : None
            Ignored.

        Returns
        -------
        self : NearestNeighbors
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], order="C",
                          ensure_all_finite=True)
        self._metric_args = check_metric(self.metric, self.metric_params, X.shape[1])
        self._bounds = column_bounds(X)
        check_reach(*self._bounds)
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]
        self.effective_metric_ = self.metric
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Find the k nearest fitted rows of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            Query points. ``None`` queries the fitted rows, each excluded from
            its own neighbours.
        n_neighbors : int, default=None
            Neighbours to return; ``None`` uses the constructor's value.
        return_distance : bool, default=True
            Also return the distances.

        Returns
        -------
        neigh_dist : ndarray of shape (n_queries, n_neighbors), float64
            Only when ``return_distance=True``.
        neigh_ind : ndarray of shape (n_queries, n_neighbors), int64
            Indices of the nearest fitted rows, nearest first.
        """
        check_is_fitted(self)
        k = _check_k(self.n_neighbors if n_neighbors is None else n_neighbors)
        n_fit = self.n_samples_fit_
        if X is None:
            if k >= n_fit:
                raise ValueError(
                    f"Expected n_neighbors < n_samples_fit when querying the fitted rows (each "
                    f"row is not its own neighbour), but n_neighbors = {k}, n_samples_fit = "
                    f"{n_fit}; lower n_neighbors."
                )
            Xq = self._fit_X
            qrows = np.arange(n_fit, dtype=np.int64)
            exclude = qrows
        else:
            if k > n_fit:
                raise ValueError(
                    f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                    f"n_samples_fit = {n_fit}; lower n_neighbors or fit on more rows."
                )
            Xq = validate_data(self, X, dtype=[np.float64, np.float32], order="C",
                               ensure_all_finite=True, reset=False)
            Xq = check_data(Xq)
            # Queries and fitted rows together must keep distances finite too.
            low, high = column_bounds(Xq)
            check_reach(np.minimum(low, self._bounds[0]), np.maximum(high, self._bounds[1]))
            qrows = np.arange(Xq.shape[0], dtype=np.int64)
            exclude = np.full(Xq.shape[0], -1, dtype=np.int64)
        crows = np.arange(n_fit, dtype=np.int64)
        dist, ind = search(Xq, qrows, self._fit_X, crows, exclude, k, *self._metric_args,
                           self.n_jobs)
        return (dist, ind) if return_distance else ind

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        """Sparse graph of the k nearest neighbours of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            As in :meth:`kneighbors`.
        n_neighbors : int, default=None
            As in :meth:`kneighbors`.
        mode : {"connectivity", "distance"}, default="connectivity"
            Ones, or the distances, as the graph's values.

        Returns
        -------
        A : scipy.sparse.csr_matrix of shape (n_queries, n_samples_fit)
        """
        if mode not in ("connectivity", "distance"):
            raise ValueError(
                f"mode must be 'connectivity' or 'distance'; got {mode!r}."
            )
        dist, ind = self.kneighbors(X, n_neighbors, return_distance=True)
        n_queries, k = ind.shape
        values = np.ones(ind.size) if mode == "connectivity" else dist.ravel()
        indptr = np.arange(0, n_queries * k + 1, k)
        return csr_matrix((values, ind.ravel(), indptr), shape=(n_queries, self.n_samples_fit_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
