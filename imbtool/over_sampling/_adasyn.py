"""ADASYN: more synthetic samples where the class is harder to learn."""

import numpy as np
from sklearn.utils import check_random_state

from ._base import (
    NEIGHBORS_CONSTRAINT,
    BaseOverSampler,
    apportion,
    class_neighbors,
    danger_counts,
    n_neighbors_of,
    neighbors_estimator,
)


class ADASYN(BaseOverSampler):
    """Adaptive Synthetic sampling (He, Bai, Garcia and Li, 2008).

    Each sample of the class gets a share of the new samples proportional to
    the fraction of other-class rows among its ``n_neighbors`` nearest rows
    (the class rows are searched against all rows); its new samples are
    SMOTE points towards its ``n_neighbors`` nearest samples of the class.
    A drop-in for ``imblearn.over_sampling.ADASYN``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; output is identical for any ``n_jobs``.
    n_neighbors : int or estimator, default=5
        Neighbours for both the difficulty ratio and the interpolation, as
        ``k_neighbors`` in :class:`SMOTE`.
    n_jobs : int, default=None
        Threads of the numba kernels. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    nn_ : estimator
        imbalanced-learn's neighbour estimator for ``n_neighbors``:
        ``NearestNeighbors(n_neighbors=n_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator. Not fitted.
    sample_indices_ : ndarray of shape (n_samples,)
        Input rows in the output: all of them, first.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed row and partner row of each synthetic row.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each synthetic row:
        ``X[seed] + step * (X[partner] - X[seed])``.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    The per-sample counts are the paper's ``r_i * G`` rounded by largest
    remainder, so the class reaches exactly the size ``sampling_strategy``
    asks for; imbalanced-learn rounds each to nearest and may miss it by a few.
    A class whose samples have no other-class neighbour raises ``ValueError``.

    References
    ----------
    H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: Adaptive synthetic sampling
    approach for imbalanced learning", IJCNN 2008, 1322-1328.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling import ADASYN
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [450, 450]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": NEIGHBORS_CONSTRAINT,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5,
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_jobs = n_jobs

    def _plan(self, X, y):
        self.nn_ = neighbors_estimator("n_neighbors", self.n_neighbors)
        rng = check_random_state(self.random_state)
        k = n_neighbors_of(self.n_neighbors)
        for label, n_samples in self._classes_to_grow(y):
            rows = np.flatnonzero(y == label)
            n_other, _, _ = danger_counts(X, y, rows, label, self.n_neighbors, self.n_jobs,
                                       name="n_neighbors")
            if not n_other.any():
                raise ValueError(
                    f"No sample of class {label} has a neighbour of another class among its "
                    f"n_neighbors={k} nearest rows, so ADASYN's weights are undefined; raise "
                    "n_neighbors or use SMOTE."
                )
            per_seed = apportion(n_other, n_samples)
            nn = class_neighbors(self.n_neighbors, X, rows, rows, name="n_neighbors",
                                 label=label, n_jobs=self.n_jobs)
            local = np.repeat(np.arange(rows.size), per_seed)
            cols = rng.choice(k, size=n_samples)
            gaps = rng.uniform(size=n_samples)
            yield label, rows[local], nn[local, cols], gaps
