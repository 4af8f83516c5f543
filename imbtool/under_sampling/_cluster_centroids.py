"""Under-sampling by replacing a class with its cluster centroids."""

import numpy as np
from imblearn.under_sampling.base import BaseUnderSampler
from scipy.sparse import csr_matrix
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, StrOptions

from imbtool.neighbors import NearestNeighbors

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler


class ClusterCentroids(BaseSampler, BaseUnderSampler):
    """Replace each resampled class by the centroids of as many clusters as rows asked.

    Runs imbalanced-learn's ``ClusterCentroids`` procedure (one clustering
    per resampled class, in sorted class order, with the same estimator and
    ``random_state``), so the output holds imbalanced-learn's rows. With
    ``voting="hard"`` each centroid is replaced by its nearest row of the
    class (imbtool's exact neighbour search, ties to the lower row).

    Row order: the rows of the classes left as they are come first (in
    class order), then one row per centroid (resampled classes in class
    order), so every sampler's output is ``X[sample_indices_]`` followed by
    its synthetic rows; imbalanced-learn interleaves the classes in class
    order instead (a stable sort of the output by label gives its order).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Target counts, as in imbalanced-learn's under-samplers.
    random_state : int, RandomState instance or None, default=None
        Seed of the default ``KMeans``.
    estimator : clusterer with ``n_clusters`` and ``cluster_centers_``, default=None
        ``None`` means ``KMeans(random_state=random_state)``.
    voting : {"auto", "hard", "soft"}, default="auto"
        ``"soft"`` returns the centroids, ``"hard"`` their nearest rows;
        ``"auto"`` is ``"soft"`` (input is dense).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    estimator_ : clusterer
    voting_ : str
    sampling_strategy_ : dict
    sample_indices_ : ndarray of shape (n_kept,)
        Input rows in the output, in output order: the rows of the classes
        not resampled, then (hard voting) the row chosen for each centroid.
    synthetic_sources_ : ndarray of shape (n_centroids, 2)
        Soft voting only: for each centroid row, in output order, the
        nearest row of its class (the row hard voting would output) and -1.
        A centroid is built from many rows, so with
        :func:`imbtool.utils.resample_aligned` it takes that row's value.
    centroid_members_ : scipy.sparse.csr_matrix of shape (n_centroids, n_samples)
        Soft voting only: row ``i`` marks the input rows the fitted
        clusterer assigns to centroid ``i`` (``estimator_.predict``), the rows
        it summarises; e.g. ``centroid_members_ @ w`` totals a row-aligned
        weight per centroid. For ``KMeans`` the centroid is, up to its
        convergence tolerance, their mean.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    Sparse input is not supported.

    References
    ----------
    .. [1] S.-J. Yen and Y.-S. Lee, "Cluster-based under-sampling approaches
       for imbalanced data distributions", Expert Systems with Applications,
       36(3), 5718-5727, 2009.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import ClusterCentroids
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = ClusterCentroids(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 0).sum() == (y_res == 1).sum())
    True
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "estimator": [HasMethods(["fit", "predict"]), None],
        "voting": [StrOptions({"auto", "hard", "soft"})],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, estimator=None,
                 voting="auto", class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    def _fit_resample(self, X, y):
        if self.estimator is None:
            self.estimator_ = KMeans(random_state=self.random_state)
        else:
            self.estimator_ = clone(self.estimator)
            if "n_clusters" not in self.estimator_.get_params():
                raise ValueError(
                    "`estimator` should be a clustering estimator exposing a parameter "
                    "`n_clusters` and a fitted parameter `cluster_centers_` (e.g. KMeans); got "
                    f"{self.estimator!r}."
                )
        self.voting_ = "soft" if self.voting == "auto" else self.voting
        kept, centers, nearest, members = [], [], [], []
        for target_class in np.unique(y):
            rows = np.flatnonzero(y == target_class)
            if target_class not in self.sampling_strategy_:
                kept.append(rows)
                continue
            X_class = _safe_indexing(X, rows)
            self.estimator_.set_params(n_clusters=self.sampling_strategy_[target_class])
            self.estimator_.fit(X_class)
            if not hasattr(self.estimator_, "cluster_centers_"):
                raise RuntimeError(
                    "`estimator` should be a clustering estimator exposing a fitted parameter "
                    f"`cluster_centers_`; {type(self.estimator_).__name__} does not."
                )
            centers.append(self.estimator_.cluster_centers_)
            nearest.append(rows[NearestNeighbors(n_neighbors=1).fit(X_class).kneighbors(
                centers[-1], return_distance=False)[:, 0]])
            if self.voting_ == "soft":
                members.append((rows, self.estimator_.predict(X_class), len(centers[-1])))
        nearest = np.concatenate([np.empty(0, np.intp)] + nearest)
        kept = np.concatenate([np.empty(0, np.intp)] + kept)
        for name in ("synthetic_sources_", "centroid_members_"):
            self.__dict__.pop(name, None)
        if self.voting_ == "hard":
            self.sample_indices_ = np.concatenate([kept, nearest])
            return _safe_indexing(X, self.sample_indices_), y[self.sample_indices_]
        self.sample_indices_ = kept
        self.synthetic_sources_ = np.column_stack([nearest, np.full(nearest.size, -1)])
        self.centroid_members_ = _membership(members, nearest.size, X.shape[0])
        X_out = np.vstack([_safe_indexing(X, kept)] + centers)
        return X_out, np.concatenate([y[kept], y[nearest]])


def _membership(members, n_centroids, n_samples):
    """Sparse 0/1 matrix: row ``i`` marks the input rows assigned to centroid ``i``."""
    offsets = np.cumsum([0] + [n for *_, n in members])
    centroid = np.concatenate([np.empty(0, np.intp)] + [
        labels + offset for (_, labels, _), offset in zip(members, offsets)])
    rows = np.concatenate([np.empty(0, np.intp)] + [rows for rows, *_ in members])
    return csr_matrix((np.ones(rows.size, dtype=np.int8), (centroid, rows)),
                      shape=(n_centroids, n_samples))
