"""K-Means SMOTE: SMOTE inside the clusters where the class is dense enough."""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from threadpoolctl import threadpool_limits

from ..utils._scale import BAND
from ..utils._threads import n_threads
from ._base import (
    NEIGHBORS_CONSTRAINT,
    BaseOverSampler,
    apportion,
    class_neighbors,
    n_neighbors_of,
    neighbors_estimator,
    smote_draws,
)
from ._kernels import mean_distance

# Any real number but NaN and +/-inf (Interval refuses those; the type Real does not).
_FINITE = Interval(Real, None, None, closed="neither")


class NoEligibleClusterError(ValueError, RuntimeError):
    """No cluster holds enough samples of a class to over-sample it.

    A ``ValueError``, as imbtool's refusals are, and a ``RuntimeError``, as
    imbalanced-learn's ``KMeansSMOTE`` raises in this case.
    """


class KMeansSMOTE(BaseOverSampler):
    """K-Means SMOTE (Douzas, Bacao and Last, 2018).

    The data are clustered with k-means once; clusters where the class makes
    up at least ``cluster_balance_threshold`` of the rows, and that hold more
    than ``k_neighbors`` of its samples, get new samples in proportion to their
    sparsity (mean distance between the class samples of the cluster, raised
    to ``density_exponent``, divided by their number); inside each cluster the
    points are SMOTE points between class samples of that cluster.
    A drop-in for ``imblearn.over_sampling.KMeansSMOTE``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws and of the default k-means.
    k_neighbors : int or estimator, default=2
        Neighbours to interpolate towards, as in :class:`SMOTE`.
    n_jobs : int, default=None
        Threads of the clustering, the density and the generation. ``None`` and
        ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).
    kmeans_estimator : int or estimator, default=None
        The clustering: ``None`` means ``MiniBatchKMeans(random_state=random_state)``,
        an int that many clusters; an estimator needs ``fit_predict``/``predict``
        and ``n_clusters``.
    cluster_balance_threshold : "auto" or float, default="auto"
        Smallest share of the class in a cluster to over-sample it; ``"auto"``
        is half the class's share of the samples to add.
    density_exponent : "auto" or float, default="auto"
        Exponent of the mean distance in the sparsity; ``"auto"`` is
        ``0.16 * log_1.6(n)**1.8`` for a cluster with ``n`` class samples.
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    kmeans_estimator_ : estimator
        The fitted clustering.
    cluster_balance_threshold_ : float or "auto"
    nn_k_ : estimator
        imbalanced-learn's neighbour estimator for ``k_neighbors``:
        ``NearestNeighbors(n_neighbors=k_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator. Not fitted.
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`). ``kmeans_estimator_`` is fitted on that copy.
    sample_indices_ : ndarray of shape (n_samples,)
        Input rows in the output: all of them, first.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed row and partner row (same class and cluster) of each synthetic row.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each synthetic row:
        ``X[seed] + step * (X[partner] - X[seed])``.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    The mean distance is computed without building the distance matrix.
    The per-cluster counts are rounded by largest remainder so that the class
    reaches exactly the requested size (imbalanced-learn rounds each up and
    may overshoot by up to the number of clusters), and the clustering is
    fitted once rather than once per class. No eligible cluster raises a
    ``ValueError`` that is also a ``RuntimeError`` (imbalanced-learn's error).

    References
    ----------
    G. Douzas, F. Bacao, F. Last, "Improving imbalanced learning through a
    heuristic oversampling method based on k-means and SMOTE", Information
    Sciences 465, 1-20, 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_blobs
    >>> from imbtool.over_sampling import KMeansSMOTE
    >>> X, y = make_blobs(n_samples=[400, 60], centers=[[0, 0], [4, 4]], random_state=0)
    >>> X_res, y_res = KMeansSMOTE(kmeans_estimator=3, random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [400, 400]
    """

    # KMeans and the clusters' mean distances sum squared differences: run at unit
    # scale outside the band (base.BaseSampler).
    _scale_band = BAND

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
        "kmeans_estimator": [
            HasMethods(["fit", "predict"]),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "cluster_balance_threshold": [StrOptions({"auto"}), _FINITE],
        "density_exponent": [StrOptions({"auto"}), _FINITE],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=2,
                 n_jobs=None, kmeans_estimator=None, cluster_balance_threshold="auto",
                 density_exponent="auto", class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _log_sparsity(self, X, rows):
        # In logs: mean_distance ** exponent overflows for distances beyond ~1e15-1e35.
        mean = mean_distance(X, rows)
        exponent = (math.log(rows.size, 1.6) ** 1.8 * 0.16
                    if self.density_exponent == "auto" else self.density_exponent)
        with np.errstate(divide="ignore"):
            return exponent * np.log(mean) - math.log(rows.size)

    def _plan(self, X, y):
        self.nn_k_ = neighbors_estimator("k_neighbors", self.k_neighbors)
        if self.kmeans_estimator is None:
            self.kmeans_estimator_ = MiniBatchKMeans(random_state=self.random_state)
        elif isinstance(self.kmeans_estimator, Integral):
            self.kmeans_estimator_ = MiniBatchKMeans(n_clusters=self.kmeans_estimator,
                                                     random_state=self.random_state)
        else:
            self.kmeans_estimator_ = clone(self.kmeans_estimator)
        n_clusters = self.kmeans_estimator_.n_clusters
        self.cluster_balance_threshold_ = (
            self.cluster_balance_threshold if n_clusters != 1 else -np.inf)
        # n_jobs also bounds the clustering's OpenMP threads.
        with threadpool_limits(limits=n_threads(self.n_jobs), user_api="openmp"):
            clusters = self.kmeans_estimator_.fit_predict(X)
        rng = check_random_state(self.random_state)
        n_to_add = sum(self.sampling_strategy_.values())
        k = n_neighbors_of(self.k_neighbors)
        for label, n_samples in self._classes_to_grow(y):
            threshold = (n_samples / n_to_add / 2 if self.cluster_balance_threshold_ == "auto"
                         else self.cluster_balance_threshold_)
            eligible = []
            for cluster in range(n_clusters):
                members = np.flatnonzero(clusters == cluster)
                rows = members[y[members] == label]
                if members.size and rows.size / members.size >= threshold and rows.size > k:
                    eligible.append(rows)
            if not eligible:
                raise NoEligibleClusterError(
                    f"No clusters found with sufficient samples of class {label}: none holds "
                    f"a share of at least {threshold:.3g} and more than k_neighbors={k} of "
                    "them; lower cluster_balance_threshold or k_neighbors, or change the "
                    "number of clusters."
                )
            log_sparsity = np.array([self._log_sparsity(X, rows) for rows in eligible])
            top = log_sparsity.max()
            sparsity = np.exp(log_sparsity - top) if np.isfinite(top) else np.zeros(len(eligible))
            for rows, count in zip(eligible, apportion(sparsity, n_samples)):
                if count == 0:
                    continue
                nn = class_neighbors(self.k_neighbors, X, rows, rows, name="k_neighbors",
                                     label=label, n_jobs=self.n_jobs)
                yield (label, *smote_draws(rng, rows, nn, count))
