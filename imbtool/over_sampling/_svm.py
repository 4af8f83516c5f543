"""SVM-SMOTE: SMOTE seeded by the class's support vectors."""

from numbers import Real

import numpy as np
from sklearn.base import clone
from sklearn.svm import SVC
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval

from ._base import (
    NEIGHBORS_CONSTRAINT,
    _SyntheticOverSampler,
    class_neighbors,
    danger_counts,
    smote_draws,
)


class SVMSMOTE(_SyntheticOverSampler):
    """SVM-SMOTE (Nguyen, Cooper and Kamei, 2011).

    An SVM is fitted to the data; the support vectors of the class that are
    not noise (not all of their ``m_neighbors`` nearest rows of another class)
    seed the new samples. Support vectors in danger (at least half of those
    neighbours of another class) interpolate towards one of their
    ``k_neighbors`` nearest class samples; the safe ones extrapolate away from
    it by up to ``out_step`` times the distance, widening the class region.
    A Beta(10, 10) draw splits the new samples between the two groups.
    A drop-in for ``imblearn.over_sampling.SVMSMOTE``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws (and of the default SVC).
    k_neighbors : int or estimator, default=5
        Neighbours to interpolate towards, as in :class:`SMOTE`.
    m_neighbors : int or estimator, default=10
        Neighbours (among all rows) deciding noise and danger.
    svm_estimator : estimator with ``support_``, default=None
        The SVM; ``None`` means ``SVC(gamma="scale", random_state=random_state)``.
    out_step : float in [0, 1], default=0.5
        Largest extrapolation step of the safe support vectors.
    n_jobs : int, default=None
        Threads for the neighbour search and the generation (``None``: all).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    svm_estimator_ : estimator
        The fitted SVM.
    sample_indices_ : ndarray of shape (n_samples,)
        Input rows in the output: all of them, first.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed (support vector) row and neighbour row of each synthetic row;
        an extrapolated row lies on the far side of the seed from its partner.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each synthetic row:
        ``X[seed] + step * (X[partner] - X[seed])`` (negative when extrapolated).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    The SVM is fitted once per call (imbalanced-learn refits the same model
    for every class). When every kept support vector is in danger, or every
    one is safe, that group makes all the new samples, so the class reaches
    the requested size (imbalanced-learn then falls short). When every support
    vector of a class is noise a ``ValueError`` is raised.

    On large data the SVM fit is nearly all the time (both libraries fit the
    same SVC), and libsvm's kernel cache sets its speed: on 100,000 x 20 rows
    ``SVC(gamma="scale", cache_size=2000)`` fitted in about half the time of
    the 200 MB default, with the same support vectors
    (``benchmarks/RESULTS.md``). Pass such an ``svm_estimator`` when the memory
    is there; the default keeps scikit-learn's cache.

    References
    ----------
    H. M. Nguyen, E. W. Cooper, K. Kamei, "Borderline over-sampling for
    imbalanced data classification", International Journal of Knowledge
    Engineering and Soft Data Paradigms 3(1), 4-21, 2011.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling import SVMSMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> sampler = SVMSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [450, 450]
    >>> bool(np.isin(sampler.synthetic_sources_[:, 0], sampler.svm_estimator_.support_).all())
    True
    """

    _parameter_constraints: dict = {
        **_SyntheticOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
        "m_neighbors": NEIGHBORS_CONSTRAINT,
        "svm_estimator": [HasMethods(["fit", "predict"]), None],
        "out_step": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=10, svm_estimator=None, out_step=0.5, n_jobs=None,
                 class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step
        self.n_jobs = n_jobs

    def _plan(self, X, y):
        rng = check_random_state(self.random_state)
        if self.svm_estimator is None:
            self.svm_estimator_ = SVC(gamma="scale", random_state=self.random_state)
        else:
            self.svm_estimator_ = clone(self.svm_estimator)
        self.svm_estimator_.fit(X, y)
        support = getattr(self.svm_estimator_, "support_", None)
        if support is None:
            raise TypeError(
                f"svm_estimator must expose the fitted attribute support_ (the indices of "
                f"its support vectors), as SVC does; {type(self.svm_estimator_).__name__} "
                "does not."
            )
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            vectors = support[y[support] == label]
            n_other, m, _ = danger_counts(X, y, vectors, label, self.m_neighbors, self.n_jobs)
            kept = n_other < m
            if not kept.any():
                raise ValueError(
                    f"All {vectors.size} support vectors of class {label} are noise (all their "
                    "m_neighbors nearest rows belong to other classes); SVMSMOTE cannot seed "
                    "from them. Raise m_neighbors or use another SMOTE variant."
                )
            vectors, n_other = vectors[kept], n_other[kept]
            danger = n_other >= m / 2
            n_inside = min(int(rng.beta(10, 10) * (n_samples + 1)), n_samples)
            if not danger.any():
                n_inside = 0
            elif danger.all():
                n_inside = n_samples
            rows = np.flatnonzero(y == label)
            for group, count, step in ((danger, n_inside, 1.0),
                                       (~danger, n_samples - n_inside, -self.out_step)):
                if count == 0:
                    continue
                seeds = vectors[group]
                nn = class_neighbors(self.k_neighbors, X, seeds, rows, name="k_neighbors",
                                     label=label, n_jobs=self.n_jobs)
                yield (label, *smote_draws(self.random_state, seeds, nn, count, step=step))
