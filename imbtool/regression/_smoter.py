"""SMOTER and Gaussian-noise over-sampling of the rare target bumps."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ..neighbors import kneighbors
from ._base import BaseRegressionSampler, check_bump_size, draw_seeds, gaussian_noise

__all__ = ["GaussNoise", "SMOTER"]


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
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, sampling_strategy="balance", relevance_threshold=0.5,
                 control_points=None, extremes="both", k_neighbors=5, n_jobs=None,
                 random_state=None):
        super().__init__(sampling_strategy=sampling_strategy,
                         relevance_threshold=relevance_threshold, control_points=control_points,
                         extremes=extremes, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _grow(self, X, y, rows, n_new, rng):
        check_bump_size(rows, self.k_neighbors, "k_neighbors")
        neighbors = kneighbors(X, self.k_neighbors, rows=rows, among=rows,
                               return_distance=False, n_jobs=self.n_jobs)
        seeds = draw_seeds(np.arange(rows.size), n_new, rng)
        partners = neighbors[seeds, rng.randint(self.k_neighbors, size=n_new)]
        seeds = rows[seeds]
        steps = rng.random_sample(n_new)
        X_new = (X[seeds] + steps[:, None] * (X[partners] - X[seeds])).astype(X.dtype)
        y_new = y[seeds] + steps * (y[partners] - y[seeds])
        same = np.all(X[seeds] == X[partners], axis=1)
        y_new[same] = (y[seeds[same]] + y[partners[same]]) / 2
        return X_new, y_new, np.column_stack([seeds, partners]), steps


class GaussNoise(BaseRegressionSampler):
    """Gaussian-noise over-sampling of the rare target bumps (Branco et al. 2016).

    Each rare bump grows to its target size with copies of its rows (every
    row seeding equally, the remainder at random) perturbed by Gaussian
    noise: each feature and the target get noise of standard deviation
    ``perturbation`` times their standard deviation over the data set. Each
    normal bump above its target size is randomly under-sampled.

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
        Noise standard deviation as a fraction of each column's.
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
        "perturbation": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="balance", relevance_threshold=0.5,
                 control_points=None, extremes="both", perturbation=0.1, random_state=None):
        super().__init__(sampling_strategy=sampling_strategy,
                         relevance_threshold=relevance_threshold, control_points=control_points,
                         extremes=extremes, random_state=random_state)
        self.perturbation = perturbation

    def _grow(self, X, y, rows, n_new, rng):
        return gaussian_noise(X, y, draw_seeds(rows, n_new, rng), self.perturbation, rng)
