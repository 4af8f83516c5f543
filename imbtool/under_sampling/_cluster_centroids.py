"""Under-sampling by replacing a class with its cluster centroids."""

import numpy as np
from imblearn.under_sampling.base import BaseUnderSampler
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, StrOptions

from imbtool.neighbors import NearestNeighbors
from ..pipeline._guard import CLASS_COUNTS_CONSTRAINT, PlainPipelineGuardMixin


class ClusterCentroids(PlainPipelineGuardMixin, BaseUnderSampler):
    """Replace each resampled class by the centroids of as many clusters as rows asked.

    Runs imbalanced-learn's ``ClusterCentroids`` procedure (one clustering
    per resampled class, in sorted class order, with the same estimator and
    ``random_state``), so the output equals imbalanced-learn's. With
    ``voting="hard"`` each centroid is replaced by its nearest row of the
    class (imbtool's exact neighbour search, ties to the lower row).

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
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    New rows are made, so there is no ``sample_indices_``. Sparse input is not
    supported.

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

    def _check_X_y(self, X, y, accept_sparse=None):
        return super()._check_X_y(X, y, accept_sparse=False)

    def _fit_resample(self, X, y):
        if self.estimator is None:
            self.estimator_ = KMeans(random_state=self.random_state)
        else:
            self.estimator_ = clone(self.estimator)
            if "n_clusters" not in self.estimator_.get_params():
                raise ValueError(
                    "estimator must be a clustering estimator with an n_clusters parameter and "
                    f"a fitted cluster_centers_ attribute (e.g. KMeans); got {self.estimator!r}."
                )
        self.voting_ = "soft" if self.voting == "auto" else self.voting
        X_parts, y_parts = [], []
        for target_class in np.unique(y):
            X_class = _safe_indexing(X, np.flatnonzero(y == target_class))
            if target_class in self.sampling_strategy_:
                self.estimator_.set_params(n_clusters=self.sampling_strategy_[target_class])
                self.estimator_.fit(X_class)
                if not hasattr(self.estimator_, "cluster_centers_"):
                    raise RuntimeError(
                        "estimator must expose a fitted cluster_centers_ attribute; "
                        f"{type(self.estimator_).__name__} does not."
                    )
                centers = self.estimator_.cluster_centers_
                if self.voting_ == "hard":
                    nearest = NearestNeighbors(n_neighbors=1).fit(X_class).kneighbors(
                        centers, return_distance=False)
                    X_class = X_class[nearest[:, 0]]
                else:
                    X_class = centers
            X_parts.append(X_class)
            y_parts.append(np.full(X_class.shape[0], target_class, dtype=y.dtype))
        return np.vstack(X_parts), np.hstack(y_parts)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.sampler_tags.sample_indices = False
        return tags
