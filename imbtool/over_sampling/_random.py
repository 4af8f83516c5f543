"""Random over-sampling: bootstrap rows of the classes to grow, optionally smoothed."""

from collections.abc import Mapping
from numbers import Real

import numpy as np
import scipy.sparse as sp
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..utils._class_order import class_visit_order
from ..utils._normal import standard_normal_fill
from ..utils._scale import scaled_std
from ..utils._threads import numba_threads
from ._kernels import add_scaled, take_rows


class RandomOverSampler(BaseSampler, BaseOverSampler):
    """Over-sample by drawing rows of a class with replacement.

    With ``shrinkage`` the copies are perturbed by Gaussian noise (a smoothed
    bootstrap): per class, feature scale ``shrinkage * h * std``, with
    ``h = (4 / ((n_features + 2) n_samples)) ** (1 / (n_features + 4))``.
    The output is written in one pass (no stacking of partial copies).
    A drop-in for ``imblearn.over_sampling.RandomOverSampler``; like it, the
    plain bootstrap accepts any values (strings, NaN, sparse matrices); the
    smoothed one numeric finite values, dense or sparse (sparse ``X`` gives a
    sparse output of its format, whose copies are dense rows).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
    shrinkage : float, dict or None, default=None
        ``None`` for a plain bootstrap; a float >= 0 for every class, or a
        ``{class: float}`` dict with a factor for every class resampled.
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    shrinkage_ : dict or None
        The factor per resampled class.
    sample_indices_ : ndarray
        Input rows present in the output, in output order: all originals,
        then the bootstrap copies (without shrinkage). Smoothed copies are
        new points, so with shrinkage only the originals are listed
        (imbalanced-learn lists the copies' sources too).
    synthetic_sources_ : ndarray of shape (n_new, 2)
        With shrinkage, the row each smoothed copy was drawn around and -1
        (no partner): the copy is that row plus Gaussian noise of the
        class's scale above, which is not recorded, so there are no
        ``synthetic_steps_``. Empty without shrinkage.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    For the same ``random_state`` the drawn rows equal imbalanced-learn's
    where the classes first appear in ``y`` in sorted order (otherwise, for
    several classes, those of the first class drawn): the classes draw from
    one stream in the order of their first row in ``y``, which no renaming
    of the classes changes (:func:`imbtool.utils.class_visit_order`). The smoothing
    noise does not: it comes from imbtool's own normal generator (a numba
    ziggurat over xoshiro256** streams, a few times faster than numpy's), so
    the smoothed copies have the same distribution but other values.

    References
    ----------
    G. Menardi, N. Torelli, "Training and assessing classification rules with
    imbalanced data", Data Mining and Knowledge Discovery 28, 92-122, 2014
    (the smoothed bootstrap).

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.over_sampling import RandomOverSampler
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> sampler = RandomOverSampler(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> y_res.tolist(), sampler.sample_indices_.tolist()
    ([0, 0, 0, 0, 1, 1, 1, 1], [0, 1, 2, 3, 4, 5, 4, 5])
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "shrinkage": [Interval(Real, 0, None, closed="left"), dict, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None,
                 class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.shrinkage = shrinkage

    _check_X_options = None  # rows are copied: any dtype, NaN allowed

    def _check_X(self, X):
        if self.shrinkage is not None:
            try:
                X = check_array(X, dtype=[np.float64, np.float32], order="C",
                                accept_sparse=["csr", "csc"])
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    "When shrinkage is not None, X needs to contain only numerical, finite "
                    f"values, because the smoothed bootstrap adds noise to it: {exc}"
                ) from exc
        elif hasattr(X, "iloc"):
            X = X.to_numpy()
        else:
            X = check_array(X, dtype=None, accept_sparse=["csr", "csc"],
                            ensure_all_finite=False)
        return X

    def _shrinkage_per_class(self):
        if self.shrinkage is None or not isinstance(self.shrinkage, Mapping):
            factors = (None if self.shrinkage is None
                       else dict.fromkeys(self.sampling_strategy_, self.shrinkage))
            return factors
        missing = self.sampling_strategy_.keys() - self.shrinkage.keys()
        if missing:
            raise ValueError(
                "`shrinkage` should contain a shrinkage factor for each class that is "
                f"resampled; missing: {sorted(missing)!r}."
            )
        bad = {k: v for k, v in self.shrinkage.items() if not (isinstance(v, Real) and v >= 0)}
        if bad:
            raise ValueError(f"The shrinkage factor needs to be >= 0 (a float); got {bad!r}.")
        return dict(self.shrinkage)

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        self.shrinkage_ = self._shrinkage_per_class()
        n_samples, n_features = X.shape
        # One stream for every class: drawn in an order no renaming of the classes changes
        # (imbtool.utils.class_visit_order); the copies keep sampling_strategy_'s order.
        drawn = {label: rng.choice(np.flatnonzero(y == label), size=self.sampling_strategy_[label],
                                   replace=True)
                 for label in class_visit_order(y, self.sampling_strategy_)}
        draws = [drawn[label] for label in self.sampling_strategy_]
        boot = np.concatenate([np.empty(0, np.int64)] + draws).astype(np.int64)
        indices = np.concatenate([np.arange(n_samples), boot])
        y_res = y[indices]
        if self.shrinkage_ is not None:
            if sp.issparse(X):
                # The noise fills every entry of the copies: densify, then back to X's format.
                return sp.csr_matrix(self._smoothed(X.toarray(), y, draws, boot, rng)).asformat(
                    X.format), y_res
            return self._smoothed(X, y, draws, boot, rng), y_res
        if isinstance(X, np.ndarray) and X.dtype.kind in "biuf" and X.flags.c_contiguous:
            # The gather is the whole cost; numba threads share it (and its page faults).
            X_res = np.empty((indices.size, n_features), dtype=X.dtype)
            with numba_threads(None, work=X_res.size):
                take_rows(X, indices, X_res, 0)
        else:
            X_res = X[indices]
        self.sample_indices_ = indices
        self.synthetic_sources_ = np.empty((0, 2), dtype=np.int64)
        return X_res, y_res

    def _smoothed(self, X, y, draws, boot, rng):
        """Originals, then each drawn row plus Gaussian noise of its class's scale."""
        n_samples, n_features = X.shape
        X_res = np.empty((n_samples + boot.size, n_features), dtype=X.dtype)
        h = (4 / ((n_features + 2) * n_samples)) ** (1 / (n_features + 4))
        with numba_threads(None, work=X_res.size):
            take_rows(X, np.arange(n_samples), X_res, 0)
            counts = list(self.sampling_strategy_.values())
            starts = dict(zip(self.sampling_strategy_, n_samples + np.cumsum([0] + counts)))
            # Each class's noise in the visit order of the draws, so that no renaming of the
            # classes moves noise from one class's copies to another's.
            for label in class_visit_order(y, self.sampling_strategy_):
                start = starts[label]
                standard_normal_fill(X_res[start:start + self.sampling_strategy_[label]], rng)
            for (label, start), rows in zip(starts.items(), draws):
                scale = self.shrinkage_[label] * h * scaled_std(X[y == label])
                # One pass: no gathered copy of the drawn rows, no second sweep for the scale.
                add_scaled(X, rows.astype(np.int64), scale.astype(X.dtype), X_res, start)
        self.sample_indices_ = np.arange(n_samples)
        self.synthetic_sources_ = np.column_stack([boot, np.full(boot.size, -1)])
        return X_res

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.sparse = True  # rows are picked or copied, never computed
        return tags
