"""SMOTER and Gaussian-noise over-sampling of the rare target bumps."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ..neighbors import kneighbors
from ._base import BaseRegressionSampler, check_bump_size, draw_seeds, gaussian_noise

__all__ = ["SMOGN", "SMOTER", "GaussNoise"]


class SMOTER(BaseRegressionSampler):
    """SMOTE for regression (Torgo et al. 2013).

    The target is cut into rare and normal bumps by relevance (see
    :class:`BaseRegressionSampler`). Each rare bump grows to its target
    size: a new row lies at a uniform random step ``g`` on the segment from
    a seed row of the bump to one of its ``k_neighbors`` nearest neighbours
    in the same bump (imbtool's numba engine, euclidean); its target is the
    mean of the two targets weighted by the inverse distance of the new row
    to each, which on that segment is ``y_seed + g (y_partner - y_seed)``
    (the plain mean when the two rows coincide). Each normal bump above its
    target size is randomly under-sampled.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        Target size of each bump: ``"balance"`` gives every bump
        ``n_samples / n_bumps`` rows, ``"extreme"``
        ``(n_samples / n_bumps)**2 / size``; a list one size factor per bump
        in increasing target order (e.g. ``[0.5, 3.0]``: halve the normal
        bump, triple the rare one).
    relevance_threshold : float, default=0.5
        Targets with relevance at or above it are rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    k_neighbors : int, default=5
        Neighbours of each seed within its bump.
    n_jobs : int, default=None
        Threads of the neighbour search; results never depend on it.
        ``None`` and ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).
    categorical_features : "auto", array-like or None, default=None
        The nominal columns: ``None``, none; ``"auto"``, the columns of a
        pandas DataFrame with a categorical, object, string or boolean dtype;
        or column indices, names (DataFrame) or a boolean mask. Distances
        then add, for each nominal column that differs, the median standard
        deviation of the bump's numeric columns (SMOTE-NC's distance), and
        the output gives each nominal column back in its dtype.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    sample_indices_ : ndarray of shape (n_kept,)
        Input rows kept, in input order; they begin the output.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed and partner row of each new row, in output order.
    synthetic_steps_ : ndarray of shape (n_new,)
        Step of each new row: ``X[seed] + step * (X[partner] - X[seed])``.
    categorical_features_ : ndarray of int
        Indices of the nominal columns (empty when there is none).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    L. Torgo, R. P. Ribeiro, B. Pfahringer, P. Branco, "SMOTE for regression",
    Portuguese Conference on Artificial Intelligence (EPIA), 378-389, 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import SMOTER, relevance
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> X_res, y_res = SMOTER(random_state=0).fit_resample(X, y)
    >>> rare = lambda t: int((relevance(t, [[1.0, 0.0, 0.0], [4.0, 1.0, 0.0]]) >= 0.5).sum())
    >>> rare(y_res) > rare(y)
    True
    """

    _parameter_constraints: dict = {
        **BaseRegressionSampler._parameter_constraints,
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="balance", relevance_threshold=0.5,
                 control_points=None, extremes="both", k_neighbors=5, n_jobs=None,
                 categorical_features=None, random_state=None):
        super().__init__(sampling_strategy=sampling_strategy,
                         relevance_threshold=relevance_threshold, control_points=control_points,
                         extremes=extremes, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.categorical_features = categorical_features
        self.n_jobs = n_jobs

    def _grow(self, X, y, rows, n_new, rng):
        distance = _Distance(X, rows, self._nominal_mask(X))
        seeds, partners, _ = _bump_pairs(X, rows, n_new, self.k_neighbors, self.n_jobs, rng,
                                         distance)
        X_new, y_new, steps = _interpolate(X, y, seeds, partners, rng, distance)
        return X_new, y_new, np.column_stack([seeds, partners]), steps


class _Distance:
    """The distance of a bump: euclidean, or SMOTE-NC's over mixed columns.

    With nominal columns (a boolean mask over X's columns, holding codes) the
    squared distance is the squared euclidean distance over the numeric
    columns plus ``penalty**2`` for each nominal column that differs;
    ``penalty`` is the median standard deviation of the bump's numeric columns
    (Chawla et al. 2002, SMOTE-NC), 1 when there is none (any constant ranks
    neighbours alike on nominal columns alone).
    """

    def __init__(self, X, rows, nominal):
        self.nominal = nominal if nominal is not None and nominal.any() else None
        self.penalty = 0.0
        if self.nominal is not None:
            numeric = X[rows][:, ~self.nominal]
            self.penalty = float(np.median(numeric.std(axis=0))) if numeric.shape[1] else 1.0

    def search_params(self):
        if self.nominal is None:
            return {}
        return {"metric": "mixed",
                "metric_params": {"categorical": self.nominal, "penalty": self.penalty}}

    def squared(self, A, B):
        """Squared distances between the rows of ``A`` and ``B``, pairwise (same shape)."""
        if self.nominal is None:
            return np.sum((A - B) ** 2, axis=1)
        num = ~self.nominal
        return (np.sum((A[:, num] - B[:, num]) ** 2, axis=1)
                + self.penalty**2 * np.sum(A[:, self.nominal] != B[:, self.nominal], axis=1))


def _bump_pairs(X, rows, n_new, k, n_jobs, rng, distance):
    """Seeds of ``n_new`` rows in a bump, one of each seed's ``k`` neighbours in it, and the
    distance to that neighbour."""
    check_bump_size(rows, k, "k_neighbors")
    dist, neighbors = kneighbors(X, k, rows=rows, among=rows, n_jobs=n_jobs,
                                 **distance.search_params())
    local = draw_seeds(np.arange(rows.size), n_new, rng)
    pick = rng.randint(k, size=n_new)
    return rows[local], neighbors[local, pick], dist[local, pick]


def _interpolate(X, y, seeds, partners, rng, distance=None):
    """SMOTER's rows between seeds and partners, and their steps.

    Numeric columns lie at the step on the segment. A nominal column takes the
    value of the row nearer by the step: the seed's below 0.5, the partner's
    from 0.5 on (SMOTER's paper draws one of the two at random; the nearer
    one keeps the value consistent with where the row lies). The target is
    the mean of the two targets weighted by the inverse distance of the new
    row to each: on a numeric segment, ``y_seed + step (y_partner - y_seed)``;
    the plain mean where the new row is at distance 0 from both.
    """
    steps = rng.random_sample(seeds.size)
    X_new = (X[seeds] + steps[:, None] * (X[partners] - X[seeds])).astype(X.dtype)
    if distance is None or distance.nominal is None:
        y_new = y[seeds] + steps * (y[partners] - y[seeds])
        same = np.all(X[seeds] == X[partners], axis=1)
    else:
        nominal = distance.nominal
        X_new[:, nominal] = np.where(steps[:, None] < 0.5, X[seeds][:, nominal],
                                     X[partners][:, nominal])
        to_seed = np.sqrt(distance.squared(X_new, X[seeds]))
        to_partner = np.sqrt(distance.squared(X_new, X[partners]))
        same = to_seed + to_partner == 0
        with np.errstate(invalid="ignore"):
            y_new = (to_partner * y[seeds] + to_seed * y[partners]) / (to_seed + to_partner)
    y_new[same] = (y[seeds[same]] + y[partners[same]]) / 2
    return X_new, y_new, steps


class GaussNoise(BaseRegressionSampler):
    """Gaussian-noise over-sampling of the rare target bumps (Branco et al. 2016).

    Each rare bump grows to its target size with copies of its rows (every
    row seeding equally, the remainder at random) perturbed by Gaussian
    noise: each feature and the target get noise of standard deviation
    ``perturbation`` times their standard deviation over the rows of that
    bump (Branco et al. 2016 measure the spread on the rare cases being
    grown, not on the whole data set). Each normal bump above its target
    size is randomly under-sampled.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        Target size of each bump, as in :class:`SMOTER`.
    relevance_threshold : float, default=0.5
        Targets with relevance at or above it are rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    perturbation : float, default=0.1
        Noise standard deviation as a fraction of each column's over the bump.
    categorical_features : "auto", array-like or None, default=None
        The nominal columns: ``None``, none; ``"auto"``, the columns of a
        pandas DataFrame with a categorical, object, string or boolean dtype;
        or column indices, names (DataFrame) or a boolean mask. Distances
        then add, for each nominal column that differs, the median standard
        deviation of the bump's numeric columns (SMOTE-NC's distance), and
        the output gives each nominal column back in its dtype.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    sample_indices_ : ndarray of shape (n_kept,)
        Input rows kept, in input order; they begin the output.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed row of each new row and -1 (no partner), in output order.
    categorical_features_ : ndarray of int
        Indices of the nominal columns (empty when there is none).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "UBL: an R package for utility-based
    learning", arXiv:1604.08079, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import GaussNoise
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> sampler = GaussNoise(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape[0] == sampler.sample_indices_.size + sampler.synthetic_sources_.shape[0]
    True
    """

    _parameter_constraints: dict = {
        **BaseRegressionSampler._parameter_constraints,
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "perturbation": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="balance", relevance_threshold=0.5,
                 control_points=None, extremes="both", perturbation=0.1,
                 categorical_features=None, random_state=None):
        super().__init__(sampling_strategy=sampling_strategy,
                         relevance_threshold=relevance_threshold, control_points=control_points,
                         extremes=extremes, random_state=random_state)
        self.perturbation = perturbation
        self.categorical_features = categorical_features

    def _grow(self, X, y, rows, n_new, rng):
        return gaussian_noise(X, y, draw_seeds(rows, n_new, rng), self.perturbation, rng, rows,
                              self._nominal_mask(X))


class SMOGN(BaseRegressionSampler):
    """SMOTER where the neighbour is safe, Gaussian noise where it is not (Branco et al. 2017).

    Rare and normal bumps as in :class:`SMOTER`. For each new row of a rare
    bump, a seed and one of its ``k_neighbors`` nearest neighbours in the
    bump are drawn. The seed's safe distance is half the median of its
    distances to every other row of its bump (the paper's ``maxD``: the
    median of the seed's row of the bump's distance matrix, over all the
    bump's cases, not over the ``k`` neighbours only). A neighbour closer
    than that gives a SMOTER row (interpolated X, distance-weighted y); a
    farther one gives a copy of the seed with Gaussian noise of
    ``min(safe distance, perturbation)`` standard deviations of each column
    over the bump (features and target), as the paper's Algorithm 2 does.
    Normal bumps above their target size are randomly under-sampled.
    Distances are euclidean on ``X`` as given: scale the features first
    when their units differ.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        Target size of each bump, as in :class:`SMOTER`.
    relevance_threshold : float, default=0.5
        Targets with relevance at or above it are rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    k_neighbors : int, default=5
        Neighbours of each seed within its bump.
    perturbation : float, default=0.02
        Largest noise standard deviation, as a fraction of each column's over the bump.
    n_jobs : int, default=None
        Threads of the neighbour search; results never depend on it.
        ``None`` and ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).
    categorical_features : "auto", array-like or None, default=None
        The nominal columns: ``None``, none; ``"auto"``, the columns of a
        pandas DataFrame with a categorical, object, string or boolean dtype;
        or column indices, names (DataFrame) or a boolean mask. Distances
        then add, for each nominal column that differs, the median standard
        deviation of the bump's numeric columns (SMOTE-NC's distance), and
        the output gives each nominal column back in its dtype.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    sample_indices_ : ndarray of shape (n_kept,)
        Input rows kept, in input order; they begin the output.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed and partner row of each new row; partner -1 for a noise row.
    synthetic_steps_ : ndarray of shape (n_new,)
        Step of each interpolated row; NaN for a noise row.
    categorical_features_ : ndarray of int
        Indices of the nominal columns (empty when there is none).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "SMOGN: a pre-processing approach for
    imbalanced regression", Proceedings of Machine Learning Research 74
    (LIDTA), 36-50, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import SMOGN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> sampler = SMOGN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> noise = sampler.synthetic_sources_[:, 1] == -1
    >>> bool(np.isnan(sampler.synthetic_steps_[noise]).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseRegressionSampler._parameter_constraints,
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "perturbation": [Interval(Real, 0, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="balance", relevance_threshold=0.5,
                 control_points=None, extremes="both", k_neighbors=5, perturbation=0.02,
                 n_jobs=None, categorical_features=None, random_state=None):
        super().__init__(sampling_strategy=sampling_strategy,
                         relevance_threshold=relevance_threshold, control_points=control_points,
                         extremes=extremes, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.perturbation = perturbation
        self.categorical_features = categorical_features
        self.n_jobs = n_jobs

    def _grow(self, X, y, rows, n_new, rng):
        distance = _Distance(X, rows, self._nominal_mask(X))
        seeds, partners, dist = _bump_pairs(X, rows, n_new, self.k_neighbors, self.n_jobs, rng,
                                            distance)
        safe_distance = (median_distances(X, rows, distance) / 2)[np.searchsorted(rows, seeds)]
        safe = dist < safe_distance
        X_new = np.empty((n_new, X.shape[1]), dtype=X.dtype)
        y_new = np.empty(n_new)
        steps = np.full(n_new, np.nan)
        X_new[safe], y_new[safe], steps[safe] = _interpolate(X, y, seeds[safe], partners[safe],
                                                             rng, distance)
        far = ~safe
        X_new[far], y_new[far], _, _ = gaussian_noise(
            X, y, seeds[far], np.minimum(safe_distance[far], self.perturbation), rng, rows,
            distance.nominal)
        partners = np.where(safe, partners, -1)
        return X_new, y_new, np.column_stack([seeds, partners]), steps


# Query rows per block of median_distances: a block holds block x bump-size distances
# (256 x 10^4 float64 = 20 MB), so memory stays flat however large the bump.
_MEDIAN_BLOCK = 256


def median_distances(X, rows, distance):
    """Median distance of each row of ``rows`` to the other rows of ``rows``.

    Every distance of the bump is needed (a median is no nearest-neighbour
    query); blocks of query rows keep the memory to ``_MEDIAN_BLOCK`` rows of
    the distance matrix.
    """
    points = X[rows].astype(np.float64)
    nominal = distance.nominal
    numeric = points if nominal is None else points[:, ~nominal]
    squares = np.einsum("ij,ij->i", numeric, numeric)
    out = np.empty(rows.size)
    # The median of the m - 1 other distances: order statistics (m - 2) // 2 and (m - 1) // 2
    # among them, one further on in the row once its own distance sorts first.
    middle = [1 + (rows.size - 2) // 2, 1 + (rows.size - 1) // 2]
    for start in range(0, rows.size, _MEDIAN_BLOCK):
        block = slice(start, min(start + _MEDIAN_BLOCK, rows.size))
        d2 = numeric[block] @ numeric.T
        d2 *= -2.0
        d2 += squares[None, :]
        d2 += squares[block, None]
        if nominal is not None:
            for col in np.flatnonzero(nominal):
                d2 += distance.penalty**2 * (points[block, col][:, None] != points[None, :, col])
        # Each row's distance to itself is not one of its distances to the other rows: below
        # every distance, it takes the first place. Squared distances order as distances do,
        # so the order statistics are partitioned (linear time, in place) before any root.
        d2[np.arange(d2.shape[0]), np.arange(block.start, block.stop)] = -np.inf
        d2.partition(middle, axis=1)
        out[block] = np.sqrt(np.maximum(d2[:, middle], 0.0)).mean(axis=1)
    return out
