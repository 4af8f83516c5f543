"""Random under- and over-sampling by relevance, and WERCS."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._relevance import relevance
from ._base import BaseRegressionSampler, draw_seeds, gaussian_noise

__all__ = ["RelevanceOverSampler", "RelevanceUnderSampler", "WERCS"]

_PARAMETERS = """
    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        Target size of each bump: ``"balance"`` gives every bump
        ``n_samples / n_bumps`` rows, ``"extreme"``
        ``(n_samples / n_bumps)**2 / size``; a list one size factor per bump
        in increasing target order.
    relevance_threshold : float, default=0.5
        Targets with relevance at or above it are rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
"""


class RelevanceUnderSampler(BaseRegressionSampler):
    __doc__ = """Random under-sampling of the normal target bumps (Torgo et al. 2013).

    Rows of every rare bump are kept; each normal bump above its target size
    keeps that many of its rows, drawn at random without replacement.
    """ + _PARAMETERS + """
    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    sample_indices_ : ndarray of shape (n_kept,)
        Input rows kept, in input order: the output.
    synthetic_sources_ : ndarray of shape (0, 2)
        No new rows.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import RelevanceUnderSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> X_res, y_res = RelevanceUnderSampler(random_state=0).fit_resample(X, y)
    >>> X_res.shape[0] < X.shape[0]
    True
    """

    _oversamples = False

    def _copies_rows(self):
        return True


class RelevanceOverSampler(BaseRegressionSampler):
    __doc__ = """Random over-sampling of the rare target bumps (Torgo et al. 2013).

    Normal bumps are kept whole; each rare bump below its target size gets
    copies of its rows (each row copied equally often, the remainder drawn at
    random), appended after the input rows.
    """ + _PARAMETERS + """
    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    sample_indices_ : ndarray of shape (n_samples,)
        Every input row, in input order; they begin the output.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        The copied row of each appended row and -1 (no partner).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import RelevanceOverSampler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> sampler = RelevanceOverSampler(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> bool(np.array_equal(X_res[300:], X[sampler.synthetic_sources_[:, 0]]))
    True
    """

    _undersamples = False

    def _copies_rows(self):
        return True

    def _grow(self, X, y, rows, n_new, rng):
        seeds = draw_seeds(rows, n_new, rng)
        return X[seeds], y[seeds], np.column_stack([seeds, np.full(n_new, -1)]), None


class WERCS(BaseRegressionSampler):
    """WEighted Relevance-based Combination Strategy (Branco et al. 2019).

    No threshold and no bumps: ``round(over * n_samples)`` rows are drawn
    with replacement with probability proportional to their relevance and
    appended (as copies, or with Gaussian noise when ``perturbation`` is
    given), and ``round(under * n_samples)`` rows are removed, drawn without
    replacement with probability proportional to ``1 - relevance``.

    Parameters
    ----------
    over : float, default=0.5
        Rows to add, as a fraction of the input rows.
    under : float, default=0.5
        Rows to remove, as a fraction of the input rows; below 1.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    perturbation : float, default=None
        ``None`` appends exact copies; a number adds Gaussian noise of that
        many standard deviations of each column over the whole data (WERCS
        draws from every row, so there is no bump to measure the spread on).
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Attributes
    ----------
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    sample_indices_ : ndarray of shape (n_kept,)
        Input rows kept, in input order; they begin the output.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        The drawn row of each appended row and -1 (no partner).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "Pre-processing approaches for
    imbalanced distributions in regression", Neurocomputing 343, 76-99, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import WERCS
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> X_res, y_res = WERCS(random_state=0).fit_resample(X, y)
    >>> X_res.shape
    (300, 3)
    """

    _parameter_constraints: dict = {
        "over": [Interval(Real, 0, None, closed="left")],
        "under": [Interval(Real, 0, 1, closed="left")],
        "control_points": ["array-like", None],
        "extremes": [StrOptions({"both", "high", "low"})],
        "perturbation": [Interval(Real, 0, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, over=0.5, under=0.5, control_points=None, extremes="both",
                 perturbation=None, random_state=None):
        self.over = over
        self.under = under
        self.control_points = control_points
        self.extremes = extremes
        self.perturbation = perturbation
        self.random_state = random_state

    def _copies_rows(self):
        return self.perturbation is None

    def _resample(self, X, y, rng):
        phi = relevance(y, self.control_points_)
        if not phi.any():
            raise ValueError("Every target has relevance 0: WERCS has no row to over-sample; "
                             "give control_points or check that y has extreme values.")
        n_over, n_under = round(self.over * y.size), round(self.under * y.size)
        removable = 1 - phi
        if np.count_nonzero(removable) < n_under:
            raise ValueError(
                f"under={self.under} asks to remove {n_under} rows, but only "
                f"{np.count_nonzero(removable)} have relevance below 1; lower under.")
        removed = rng.choice(y.size, size=n_under, replace=False,
                             p=removable / removable.sum()) if n_under else []
        keep = np.setdiff1d(np.arange(y.size), removed)
        seeds = rng.choice(y.size, size=n_over, replace=True, p=phi / phi.sum())
        if self.perturbation is None:
            new = (X[seeds], y[seeds], np.column_stack([seeds, np.full(n_over, -1)]), None)
        else:
            new = gaussian_noise(X, y, seeds, self.perturbation, rng, slice(None))
        return [keep], [new]
