"""NearMiss-1, -2 and -3: keep the majority rows closest to (or, -3, farthest from) the minority."""

import numbers
import warnings

import numpy as np
from imblearn import under_sampling as imblearn_us
from imblearn.under_sampling.base import BaseUnderSampler
from sklearn.utils._param_validation import HasMethods, Interval

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..utils._scale import BAND
from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolUserWarning
from ._base import uses_engine
from ._cleaning import knn_including_self, minority_class
from ._kernels import farthest

_NEIGHBOURS = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


class NearMiss(BaseSampler, BaseUnderSampler):
    """Under-sample by distance to the minority class (Mani and Zhang's NearMiss).

    - version 1 keeps the rows with the smallest mean distance to their
      ``n_neighbors`` nearest minority rows;
    - version 2 the rows with the smallest mean distance to their
      ``n_neighbors`` *farthest* minority rows (computed keeping k distances
      per row, not the full row x minority matrix imbalanced-learn builds);
    - version 3 first takes the ``n_neighbors_ver3`` nearest rows of each
      minority row, then keeps those with the *largest* mean distance to
      their ``n_neighbors`` nearest minority rows (it can return fewer rows
      than asked, with a warning, as imbalanced-learn does).

    Rows are ranked exactly as in imbalanced-learn's ``NearMiss`` (stable sort
    of the summed distances).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Target counts, as in imbalanced-learn's under-samplers.
    version : {1, 2, 3}, default=1
    n_neighbors : int or estimator, default=3
        Minority neighbours in the score. An estimator is used as
        imbalanced-learn uses it, without the fast path.
    n_neighbors_ver3 : int or estimator, default=3
        Candidates per minority row in version 3.
    n_jobs : int, default=None
        Threads of the neighbour search; the result never depends on it.
        ``None`` and ``-1`` use every core available (threads inside one call,
        as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`).
    sample_indices_ : ndarray of shape (n_new_samples,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    Distances are exact float64 sums of squares (scikit-learn's euclidean
    distance expands the square); scores within about 1e-12 of each other may
    rank differently. Sparse input is not supported.

    References
    ----------
    .. [1] I. Mani and I. Zhang, "kNN approach to unbalanced data
       distributions: a case study involving information extraction", ICML
       Workshop on Learning from Imbalanced Datasets, 2003.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import NearMiss
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = NearMiss(version=2).fit_resample(X, y)
    >>> bool((y_res == 0).sum() == (y_res == 1).sum() == (y == 1).sum())
    True
    """

    # NearMiss-2's farthest_sum kernel sums squared differences: run at unit
    # scale outside the band (base.BaseSampler).
    _scale_band = BAND

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "version": [Interval(numbers.Integral, 1, 3, closed="both")],
        "n_neighbors": _NEIGHBOURS,
        "n_neighbors_ver3": _NEIGHBOURS,
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(self, *, sampling_strategy="auto", version=1, n_neighbors=3, n_neighbors_ver3=3,
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _score(self, X, rows, minority_rows):
        k = self.n_neighbors
        if self.version == 2:
            Xf = np.ascontiguousarray(X, dtype=np.float32 if X.dtype == np.float32 else np.float64)
            return farthest(Xf, rows.astype(np.int64), minority_rows.astype(np.int64), k)
        dist, _ = knn_including_self(X, k, rows, minority_rows, self.n_jobs)
        return dist.sum(axis=1)

    def _fit_resample(self, X, y):
        if not (uses_engine(self.n_neighbors) and uses_engine(self.n_neighbors_ver3)):
            ref = imblearn_us.NearMiss(**self._reference_params())
            ref.fit_resample(X, y)
            return self._select(X, y, ref.sample_indices_)
        minority_rows = np.flatnonzero(y == minority_class(y))
        if self.n_neighbors > minority_rows.size:
            raise ValueError(
                f"n_neighbors={self.n_neighbors} is larger than the {minority_rows.size} rows of "
                "the minority class; lower n_neighbors."
            )
        chosen = []
        for target_class in np.unique(y):
            rows = np.flatnonzero(y == target_class)
            if target_class not in self.sampling_strategy_:
                chosen.append(rows)
                continue
            n_samples = self.sampling_strategy_[target_class]
            if self.version == 3:
                if self.n_neighbors_ver3 > rows.size:
                    raise ValueError(
                        f"n_neighbors_ver3={self.n_neighbors_ver3} is larger than the "
                        f"{rows.size} rows of class {target_class!r}; lower n_neighbors_ver3."
                    )
                _, near = knn_including_self(X, self.n_neighbors_ver3, minority_rows, rows,
                                             self.n_jobs)
                rows = np.unique(near)
                order = np.argsort(-self._score(X, rows, minority_rows), kind="stable")
            else:
                order = np.argsort(self._score(X, rows, minority_rows), kind="stable")
            if rows.size < n_samples:
                warnings.warn(
                    f"NearMiss-{self.version} found only {rows.size} candidate rows of class "
                    f"{target_class!r} for the {n_samples} asked; all of them are kept.",
                    ImbtoolUserWarning,
                    stacklevel=4,  # the caller of fit_resample
                )
            chosen.append(rows[order[:n_samples]])
        return self._select(X, y, np.concatenate(chosen))
