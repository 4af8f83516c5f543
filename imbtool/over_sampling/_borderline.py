"""Borderline-SMOTE: SMOTE seeded only by the minority samples on the class border."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import StrOptions

from ..utils._warnings import ImbtoolUserWarning
from ._base import (
    NEIGHBORS_CONSTRAINT,
    BaseOverSampler,
    class_neighbors,
    danger_counts,
    n_neighbors_of,
    neighbors_estimator,
    smote_draws,
)


class BorderlineSMOTE(BaseOverSampler):
    """Borderline-SMOTE (Han, Wang and Mao, 2005).

    A sample of the class is *in danger* when at least half, but not all, of
    its ``m_neighbors`` nearest rows (of the whole data set) belong to other
    classes; only those samples seed new points. ``"borderline-1"``
    interpolates towards one of the seed's ``k_neighbors`` nearest samples of
    its own class; ``"borderline-2"`` towards one of its ``k_neighbors``
    nearest rows of any class, with the step drawn in [0, 0.5) instead of
    [0, 1) times the uniform step when that row has another label, so the new
    point stays closer to the seed. The searches are the class rows against
    all rows and the danger rows against their candidates, never all against all.

    A drop-in for ``imblearn.over_sampling.BorderlineSMOTE``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; output is identical for any ``n_jobs``.
    k_neighbors : int or estimator, default=5
        Neighbours to interpolate towards, as in :class:`SMOTE`.
    m_neighbors : int or estimator, default=10
        Neighbours (among all rows) that decide whether a sample is in danger.
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
        Variant of the paper.
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
    in_danger_indices_ : dict
        Rows in danger (the seeds) per resampled class; a class with none is
        left out. imbalanced-learn's name, ``in_danger_indices``, reads it too.
    nn_k_ : estimator
        imbalanced-learn's neighbour estimator for ``k_neighbors``:
        ``NearestNeighbors(n_neighbors=k_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator. Not fitted.
    nn_m_ : estimator
        The same for ``m_neighbors``.
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
    A class with no sample in danger gets no new sample (as in
    imbalanced-learn), with a ``UserWarning`` naming it.

    References
    ----------
    H. Han, W.-Y. Wang, B.-H. Mao, "Borderline-SMOTE: a new over-sampling
    method in imbalanced data sets learning", ICIC 2005, LNCS 3644, 878-887.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05,
    ...                            random_state=0)
    >>> sampler = BorderlineSMOTE(kind="borderline-2", random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [441, 441]
    >>> seeds = np.unique(sampler.synthetic_sources_[:, 0])
    >>> bool(np.isin(seeds, sampler.in_danger_indices_[1]).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
        "m_neighbors": NEIGHBORS_CONSTRAINT,
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=10, kind="borderline-1", n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.n_jobs = n_jobs

    @property
    def in_danger_indices(self):
        """``in_danger_indices_`` under imbalanced-learn's name."""
        return self.in_danger_indices_

    def _plan(self, X, y):
        self.in_danger_indices_ = {}
        self.nn_k_ = neighbors_estimator("k_neighbors", self.k_neighbors)
        self.nn_m_ = neighbors_estimator("m_neighbors", self.m_neighbors)
        k = n_neighbors_of(self.k_neighbors)
        # Borderline-2's partners are the first k of the m nearest rows of all
        # rows: one search serves both when both are numbers and k <= m.
        shared = (self.kind == "borderline-2" and k <= n_neighbors_of(self.m_neighbors)
                  and isinstance(self.k_neighbors, Integral)
                  and isinstance(self.m_neighbors, Integral))
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            rows = np.flatnonzero(y == label)
            n_other, m, nn_all = danger_counts(X, y, rows, label, self.m_neighbors, self.n_jobs)
            in_danger = (n_other >= m / 2) & (n_other < m)
            danger = rows[in_danger]
            if danger.size == 0:
                warnings.warn(
                    f"No sample of class {label} is in danger (has at least m_neighbors/2 "
                    "but not only neighbours of other classes), so BorderlineSMOTE adds none "
                    "to it; raise m_neighbors or use SMOTE.",
                    ImbtoolUserWarning,
                    stacklevel=5,  # the caller of fit_resample
                )
                continue
            self.in_danger_indices_[label] = danger
            if shared:
                nn = nn_all[in_danger, :k]
            else:
                among = rows if self.kind == "borderline-1" else np.arange(X.shape[0])
                where = None if self.kind == "borderline-1" else "the whole data set"
                nn = class_neighbors(self.k_neighbors, X, danger, among, name="k_neighbors",
                                     label=label, n_jobs=self.n_jobs, where=where)
            seeds, partners, gaps = smote_draws(self.random_state, danger, nn, n_samples)
            if self.kind == "borderline-2":
                foreign = y[partners] != label
                # imbalanced-learn restarts the generator here; same draws, same points.
                rng = check_random_state(self.random_state)
                gaps[foreign] *= rng.uniform(0.0, 0.5, size=np.count_nonzero(foreign))
            yield label, seeds, partners, gaps
