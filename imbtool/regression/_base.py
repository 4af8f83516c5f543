"""The base of the regression samplers: relevance bumps, targets per bump, provenance."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from ..utils import _dtypes, _polars
from ..utils._relevance import (
    check_control_points,
    check_target,
    relevance,
    relevance_control_points,
)
from ._nominal import NominalColumns

__all__ = ["BaseRegressionSampler"]


def _bumps(y_sorted_rare):
    """``(start, stop)`` of each run of equal rare/normal status in the sorted target."""
    change = np.flatnonzero(np.diff(y_sorted_rare.astype(np.int8))) + 1
    edges = np.concatenate([[0], change, [y_sorted_rare.size]])
    return list(zip(edges[:-1], edges[1:]))


class BaseRegressionSampler(BaseEstimator):
    """Base class of the samplers for a continuous target.

    The sorted target is cut into *bumps*: maximal runs of rare
    (``relevance >= relevance_threshold``) or normal values (Branco et al.
    2017). ``sampling_strategy`` gives each bump a target size: ``"balance"``
    brings every bump to ``n_samples / n_bumps`` rows; ``"extreme"`` to
    ``(n_samples / n_bumps)**2 / size``, which favours the smaller (rarer)
    bumps further; a list gives one size factor per bump, in increasing
    target order. A subclass grows the rare bumps (``_grow``) and, where its
    method does, shrinks the normal bumps by random under-sampling.

    The output is the kept input rows, in input order (``sample_indices_``),
    then the new rows, bump by bump (``synthetic_sources_``: seed and partner
    row, -1 without a partner; ``synthetic_steps_`` where the method
    interpolates). pandas and polars frames and series come back as such.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        Target size of each bump, as above.
    relevance_threshold : float, default=0.5
        Targets with relevance at or above it are rare.
    control_points : array-like of shape (m, 2) or (m, 3), default=None
        Relevance control points; ``None``: automatic, from the box plot
        (:func:`imbtool.regression.relevance_control_points`).
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant for automatic control points.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Examples
    --------
    >>> from imbtool.regression import BaseRegressionSampler, SMOTER
    >>> issubclass(SMOTER, BaseRegressionSampler)
    True
    """

    _parameter_constraints: dict = {
        "sampling_strategy": [StrOptions({"balance", "extreme"}), list],
        "relevance_threshold": [Interval(Real, 0, 1, closed="right")],
        "control_points": ["array-like", None],
        "extremes": [StrOptions({"both", "high", "low"})],
        "random_state": ["random_state"],
    }
    # Whether normal bumps above their target size are randomly under-sampled, and
    # whether rare bumps below it grow (through _grow).
    _undersamples = True
    _oversamples = True

    def __init__(self, *, sampling_strategy="balance", relevance_threshold=0.5,
                 control_points=None, extremes="both", random_state=None):
        self.sampling_strategy = sampling_strategy
        self.relevance_threshold = relevance_threshold
        self.control_points = control_points
        self.extremes = extremes
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

    def _validate(self, X, y, dtype=(np.float64, np.float32)):
        X_valid, _ = validate_data(self, X=X, y=y, dtype=None if dtype is None else list(dtype),
                                   ensure_min_samples=2, y_numeric=False)
        y_valid = check_target(y)
        if self.control_points is None:
            self.control_points_ = relevance_control_points(y_valid, extremes=self.extremes)
        else:
            self.control_points_ = check_control_points(self.control_points)
        return X_valid, y_valid

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Validate ``X`` and ``y`` and find the relevance control points.

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
        self._validate(X, y)
        return self

    def _bump_targets(self, y):
        """Rows (indices) of each bump, whether it is rare, and its target size."""
        phi = relevance(y, self.control_points_)
        order = np.argsort(y, kind="stable")
        rare_sorted = phi[order] >= self.relevance_threshold
        if not rare_sorted.any():
            raise ValueError(
                f"No target is rare at relevance_threshold={self.relevance_threshold}: the "
                f"highest relevance is {phi.max():.3g}. Lower relevance_threshold, give "
                "control_points, or check that y has extreme values.")
        if rare_sorted.all():
            raise ValueError(
                f"Every target is rare at relevance_threshold={self.relevance_threshold}: "
                "nothing to balance against. Raise relevance_threshold or give control_points.")
        bumps = _bumps(rare_sorted)
        sizes = np.array([stop - start for start, stop in bumps], dtype=np.float64)
        mean = y.size / len(bumps)
        if isinstance(self.sampling_strategy, list):
            factors = np.asarray(self.sampling_strategy, dtype=np.float64)
            if factors.shape != (len(bumps),) or not np.all(np.isfinite(factors) & (factors >= 0)):
                raise ValueError(
                    f"sampling_strategy as a list needs one factor >= 0 per bump: y has "
                    f"{len(bumps)} bumps (rare flags, low to high: "
                    f"{[bool(rare_sorted[s]) for s, _ in bumps]}), got {self.sampling_strategy!r}.")
            targets = sizes * factors
        elif self.sampling_strategy == "balance":
            targets = np.full_like(sizes, mean)
        else:  # "extreme"
            targets = mean**2 / sizes
        targets = np.rint(targets).astype(np.int64)
        return [(np.sort(order[start:stop]), bool(rare_sorted[start]), int(target))
                for (start, stop), target in zip(bumps, targets)]

    def _resample(self, X, y, rng):
        """``(keep, new)``: arrays of kept input rows, and ``_grow``'s results, bump by bump."""
        keep, new = [], []
        for rows, rare, target in self._bump_targets(y):
            if rare and self._oversamples and target > rows.size:
                keep.append(rows)
                new.append(self._grow(X, y, rows, target - rows.size, rng))
            elif not rare and self._undersamples and target < rows.size:
                keep.append(np.sort(rng.choice(rows, size=target, replace=False)))
            else:
                keep.append(rows)
        return keep, new

    def _grow(self, X, y, rows, n_new, rng):
        """``(X_new, y_new, sources, steps or None)``: ``n_new`` rows for the rare bump ``rows``."""
        raise NotImplementedError

    def _nominal_mask(self, X):
        """Boolean mask of the nominal columns of the computed ``X``; None when there is none."""
        columns = getattr(self, "categorical_features_", None)
        if columns is None or columns.size == 0:
            return None
        mask = np.zeros(X.shape[1], dtype=bool)
        mask[columns] = True
        return mask

    def fit_resample(self, X, y):
        """Resample: grow the rare bumps, shrink the normal ones, as the method does.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Numeric features; pandas and polars frames come back as frames
            with the input's columns and dtypes. A sampler whose output rows
            are all input rows (random under- and over-sampling, WERCS without
            ``perturbation``) takes a frame with columns of any type (strings,
            categories, dates): its rows are copied, never computed on.
        y : array-like of shape (n_samples,)
            The continuous target; a pandas or polars Series comes back as one.

        Returns
        -------
        X_resampled : {ndarray, DataFrame}
        y_resampled : {ndarray, Series}
        """
        self._validate_params()
        frame_X, frame_y = X, y
        if _polars.is_polars(X):
            X = _polars.to_pandas(X)
        if _polars.is_polars(y):
            y = _polars.to_pandas(y)
        pd = _dtypes._pandas()
        # A frame whose output rows are all input rows is only indexed: any column type.
        copy_rows = self._copies_rows() and pd is not None and isinstance(X, pd.DataFrame)
        if copy_rows:
            _, y_valid = self._validate(X, y, dtype=None)
            X_valid = np.arange(y_valid.size, dtype=np.float64)[:, None]  # row positions
        else:
            nominal = NominalColumns(X, getattr(self, "categorical_features", None),
                                     type(self).__name__)
            X_enc = nominal.encode(X)
            X_comp, plan = _dtypes.encode(X_enc, numeric=True, allow_nan=False,
                                          sampler_name=type(self).__name__)
            X_valid, y_valid = self._validate(X_comp, y)
            self.__dict__.pop("categorical_features_", None)
            if hasattr(self, "categorical_features"):
                self.categorical_features_ = nominal.columns
        keep, new = self._resample(X_valid, y_valid, check_random_state(self.random_state))
        self.sample_indices_ = np.sort(np.concatenate(keep)).astype(np.intp)
        X_parts = [X_valid[self.sample_indices_]] + [part[0] for part in new]
        y_parts = [y_valid[self.sample_indices_]] + [part[1] for part in new]
        self.synthetic_sources_ = np.concatenate(
            [part[2] for part in new] or [np.empty((0, 2), np.intp)]).astype(np.intp)
        steps = [part[3] for part in new if part[3] is not None]
        self.__dict__.pop("synthetic_steps_", None)
        if steps:
            self.synthetic_steps_ = np.concatenate(steps)
        X_res, y_res = np.concatenate(X_parts), np.concatenate(y_parts)
        self.n_samples_fit_ = y_valid.size
        # Back in the input's kind: frames keep their columns and dtypes, series their name.
        if copy_rows:
            X_res = X.iloc[X_res[:, 0].astype(np.intp)].reset_index(drop=True)
        elif pd is not None and isinstance(X, pd.DataFrame):
            X_res = pd.DataFrame(X_res, columns=X_enc.columns)
            if plan is None:  # no column needed a conversion: cast back to the input dtypes
                X_res = X_res.astype(dict(X_enc.dtypes))
        if not copy_rows:
            X_res = nominal.decode(X, _dtypes.decode(plan, X_res, self.sample_indices_))
        if pd is not None and isinstance(y, pd.Series):
            y_res = pd.Series(y_res, name=y.name)
        if X is not frame_X:
            X_res = _polars.like(frame_X, X_res)
        if y is not frame_y:
            y_res = _polars.like(frame_y, y_res)
        return X_res, y_res

    def _copies_rows(self):
        """True when every output row is an input row (no new value is computed)."""
        return False


def check_bump_size(rows, k_neighbors, name):
    """A clear error when a rare bump has too few rows for ``k_neighbors`` neighbours."""
    if rows.size < k_neighbors + 1:
        raise ValueError(
            f"A rare bump has {rows.size} rows, fewer than {name} + 1 = {k_neighbors + 1}: "
            f"lower {name} to at most {rows.size - 1}, or lower relevance_threshold so the "
            "bump holds more rows.")



def draw_seeds(rows, n_new, rng):
    """``n_new`` seed rows from a bump: each row ``n_new // size`` times, the rest at random.

    Every rare row seeds the same number of new rows, as SMOTER's over-sampling
    percentage defines it; the remainder is drawn without replacement.
    """
    whole, rest = divmod(n_new, rows.size)
    return np.concatenate([np.repeat(rows, whole), rng.choice(rows, size=rest, replace=False)])


def gaussian_noise(X, y, seeds, perturbation, rng, spread_rows, nominal=None):
    """Copies of the rows ``seeds`` with Gaussian noise of ``perturbation`` standard deviations
    (a number, or one per seed).

    Each feature and the target get noise with standard deviation
    ``perturbation`` times their own over the rows ``spread_rows`` (the
    seeds' bump, as Branco et al. 2016 and 2017 estimate it on the rare
    cases being grown); the columns of the boolean mask ``nominal`` keep the
    seed's value. ``(X_new, y_new, sources, None)`` with sources ``(seed, -1)``,
    as ``_grow`` returns.
    """
    # A scalar, or one perturbation per seed (SMOGN's, bounded by each seed's safe distance).
    scale = np.broadcast_to(np.asarray(perturbation, dtype=np.float64), seeds.shape)[:, None]
    noise = rng.normal(size=(seeds.size, X.shape[1] + 1)) * scale
    spread = X[spread_rows].std(axis=0)
    if nominal is not None:
        spread[nominal] = 0.0
    X_new = (X[seeds] + noise[:, :-1] * spread).astype(X.dtype)
    y_new = y[seeds] + noise[:, -1] * y[spread_rows].std()
    return X_new, y_new, np.column_stack([seeds, np.full(seeds.size, -1)]), None
