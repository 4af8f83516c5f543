"""REBAGG: bagging whose members each see a resample balancing rare and normal targets."""

import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..neighbors import kneighbors
from ..utils._compat import set_random_states
from ..utils._relevance import (
    check_control_points,
    check_target,
    relevance,
    relevance_control_points,
)
from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolUserWarning
from ._base import _bumps, check_bump_size, draw_seeds, gaussian_noise
from ._smoter import _interpolate

__all__ = ["REBAGGRegressor"]

# Shares of rare rows a "variation" member draws from, one at random per member (Branco
# et al. 2018): from a third to two thirds of the sample, around the balance.
VARIATION_SHARES = (1 / 3, 2 / 5, 1 / 2, 3 / 5, 2 / 3)
# Largest member seed: the int32 range, as scikit-learn's bagging draws its seeds.
_MAX_SEED = np.iinfo(np.int32).max


class REBAGGRegressor(RegressorMixin, BaseEstimator):
    """REsampled BAGGing for imbalanced regression (Branco, Torgo & Ribeiro 2018).

    Targets with relevance at or above ``relevance_threshold`` are rare (see
    :func:`imbtool.regression.relevance`). Each of the ``n_estimators``
    members is fitted on its own sample in which rare rows make up a share
    ``s``: ``1/2`` for ``resampling="balance"``, and for ``"variation"`` one
    of ``1/3, 2/5, 1/2, 3/5, 2/3`` drawn per member. How the sample is built
    is ``sampler``:

    - ``"over"``: ``n`` rows (the training size), ``round(s n)`` drawn with
      replacement from the rare rows, the rest from the normal rows.
    - ``"under"``: a bootstrap of the rare rows (as many as there are) and
      normal rows drawn with replacement so that the rare rows are a share
      ``s``: a sample smaller than ``n`` when rare rows are few.
    - ``"smoter"``: ``n`` rows; the normal part and a bootstrap of the rare
      rows as in ``"over"``, the rare part completed with new SMOTER rows
      (:class:`SMOTER`: between a rare row and one of its ``k_neighbors``
      nearest rows of the same rare bump).
    - ``"noise"``: as ``"smoter"``, the new rows being copies of rare rows
      with Gaussian noise of ``perturbation`` standard deviations of each
      column over the seed's rare bump (:class:`GaussNoise`).

    A prediction is the mean of the members' predictions. Member ``i``
    depends only on ``random_state`` and ``i``, so results are the same for
    every ``n_jobs``. When no target is rare at the threshold, every member
    gets a plain bootstrap (bagging) and an :class:`ImbtoolUserWarning`
    says so, so that a cross-validation fold without rare targets still
    fits.

    Parameters
    ----------
    estimator : estimator, default=None
        The member regressor, cloned for each member; ``None`` means a
        :class:`~sklearn.tree.DecisionTreeRegressor`. Its ``random_state``
        parameters get the member's seed.
    n_estimators : int, default=10
        Number of members.
    resampling : {"balance", "variation"}, default="balance"
        Share of rare rows in each member's sample, as above.
    sampler : {"over", "under", "smoter", "noise"}, default="over"
        How each member's sample is built, as above.
    relevance_threshold : float, default=0.5
        Targets with relevance at or above it are rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: from the box plot of ``y``.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    k_neighbors : int, default=5
        ``sampler="smoter"`` only: neighbours of each rare row in its bump.
    perturbation : float, default=0.1
        ``sampler="noise"`` only: noise standard deviation as a fraction of
        each column's over the rare bump.
    n_jobs : int, default=None
        Members fitted in parallel (joblib threads). ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seed of the members' samples and of their ``random_state``.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members.
    rare_shares_ : ndarray of shape (n_estimators,)
        Share of rare rows asked of each member's sample (0 when no target is rare).
    control_points_ : ndarray of shape (m, 3)
        The relevance control points used, ``(y, phi, slope)``.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "REBAGG: REsampled BAGGing for imbalanced
    regression", Proceedings of Machine Learning Research 94 (LIDTA), 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.regression import REBAGGRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0] + 0.3 * rng.normal(size=300))
    >>> model = REBAGGRegressor(n_estimators=5, sampler="smoter", random_state=0).fit(X, y)
    >>> model.predict(X[:3]).shape
    (3,)
    >>> model.rare_shares_.tolist()
    [0.5, 0.5, 0.5, 0.5, 0.5]
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "resampling": [StrOptions({"balance", "variation"})],
        "sampler": [StrOptions({"over", "under", "smoter", "noise"})],
        "relevance_threshold": [Interval(Real, 0, 1, closed="right")],
        "control_points": ["array-like", None],
        "extremes": [StrOptions({"both", "high", "low"})],
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "perturbation": [Interval(Real, 0, None, closed="left")],
        "n_jobs": N_JOBS_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(self, estimator=None, n_estimators=10, *, resampling="balance",
                 sampler="over", relevance_threshold=0.5, control_points=None,
                 extremes="both", k_neighbors=5, perturbation=0.1, n_jobs=None,
                 random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.resampling = resampling
        self.sampler = sampler
        self.relevance_threshold = relevance_threshold
        self.control_points = control_points
        self.extremes = extremes
        self.k_neighbors = k_neighbors
        self.perturbation = perturbation
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the members, each on its own resample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features.
        y : array-like of shape (n_samples,)
            The continuous target.

        Returns
        -------
        self : object
        """
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], y_numeric=True,
                             ensure_min_samples=2)
        y = check_target(y)
        if self.control_points is None:
            self.control_points_ = relevance_control_points(y, extremes=self.extremes)
        else:
            self.control_points_ = check_control_points(self.control_points)
        rare = relevance(y, self.control_points_) >= self.relevance_threshold
        plan = _Plan(X, y, rare, self)
        rng = check_random_state(self.random_state)
        seeds = rng.randint(_MAX_SEED, size=self.n_estimators)
        if plan.bagging:
            shares = np.zeros(self.n_estimators)
        elif self.resampling == "balance":
            shares = np.full(self.n_estimators, 0.5)
        else:
            shares = rng.choice(VARIATION_SHARES, size=self.n_estimators)
        self.rare_shares_ = shares
        base = DecisionTreeRegressor() if self.estimator is None else self.estimator
        self.estimators_ = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_fit_member)(base, plan, share, seed) for share, seed in zip(shares, seeds))
        return self

    def predict(self, X):
        """Mean prediction of the members.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return np.mean([member.predict(X) for member in self.estimators_], axis=0)


class _Plan:
    """What every member's sample is drawn from: rare and normal rows, and the rare bumps
    with their neighbours (found once, shared by the members)."""

    def __init__(self, X, y, rare, params):
        self.X, self.y, self.sampler = X, y, params.sampler
        self.perturbation = params.perturbation
        self.rare, self.normal = np.flatnonzero(rare), np.flatnonzero(~rare)
        self.bagging = self.rare.size == 0 or self.normal.size == 0
        if self.bagging:
            warnings.warn(
                f"REBAGGRegressor: {'no' if self.rare.size == 0 else 'every'} target is rare "
                f"at relevance_threshold={params.relevance_threshold}, so there is nothing to "
                "balance: every member is fitted on a plain bootstrap (bagging).",
                ImbtoolUserWarning, stacklevel=4)
            return
        order = np.argsort(y, kind="stable")
        self.bumps = [np.sort(order[start:stop]) for start, stop in _bumps(rare[order])
                      if rare[order[start]]]
        if self.sampler == "smoter":
            # Each rare row's k neighbours within its own bump.
            self.neighbors = np.empty((y.size, params.k_neighbors), dtype=np.intp)
            for rows in self.bumps:
                check_bump_size(rows, params.k_neighbors, "k_neighbors")
                self.neighbors[rows] = kneighbors(X, params.k_neighbors, rows=rows, among=rows,
                                                  return_distance=False, n_jobs=1)

    def sample(self, share, rng):
        """``(X, y)`` of one member."""
        n = self.y.size
        if self.bagging:
            rows = rng.randint(n, size=n)
            return self.X[rows], self.y[rows]
        if self.sampler == "under":
            rare = rng.choice(self.rare, size=self.rare.size)
            n_normal = max(round(self.rare.size * (1 - share) / share), 1)
            rows = np.concatenate([rare, rng.choice(self.normal, size=n_normal)])
            return self.X[rows], self.y[rows]
        n_rare = round(share * n)
        normal = rng.choice(self.normal, size=n - n_rare)
        if self.sampler == "over":
            rows = np.concatenate([normal, rng.choice(self.rare, size=n_rare)])
            return self.X[rows], self.y[rows]
        kept = rng.choice(self.rare, size=min(n_rare, self.rare.size))
        rows = np.concatenate([normal, kept])
        X_parts, y_parts = [self.X[rows]], [self.y[rows]]
        seeds = draw_seeds(self.rare, n_rare - kept.size, rng)
        for bump in self.bumps:
            mine = seeds[np.isin(seeds, bump)]
            if self.sampler == "smoter":
                partners = self.neighbors[mine, rng.randint(self.neighbors.shape[1],
                                                            size=mine.size)]
                X_new, y_new, _ = _interpolate(self.X, self.y, mine, partners, rng)
            else:
                X_new, y_new, _, _ = gaussian_noise(self.X, self.y, mine, self.perturbation,
                                                    rng, bump)
            X_parts.append(X_new)
            y_parts.append(y_new)
        return np.concatenate(X_parts), np.concatenate(y_parts)


def _fit_member(base, plan, share, seed):
    rng = np.random.RandomState(seed)
    X, y = plan.sample(share, rng)
    member = clone(base)
    set_random_states(member, seed)
    return member.fit(X, y)
