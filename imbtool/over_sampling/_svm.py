"""SVM-SMOTE: SMOTE seeded by the class's support vectors."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.svm import SVC
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from threadpoolctl import threadpool_limits

from ..utils._scale import BAND
from ..utils._threads import n_threads, numba_threads
from ._base import (
    NEIGHBORS_CONSTRAINT,
    BaseOverSampler,
    class_neighbors,
    danger_counts,
    neighbors_estimator,
    smote_draws,
)
from ._kernels import rbf_weighted_sums

# The default SVC of a binary problem with at least this many rows is fitted
# through working sets (SVMSMOTE's Notes); below it libsvm on all rows is as fast.
WORKING_SET_MIN_ROWS = 30_000
_START_ROWS = 5_000  # per class, drawn with a fixed seed: the start only sets the speed
_ADD_ROWS = 5_000  # most violating rows added per round
_NEAR = 0.02  # zero-weight rows kept in the set while this close to violating
_MAX_ROUNDS = 30
_MOST_VECTORS = 4  # give up once more than 1 / _MOST_VECTORS of the rows are support vectors
_BLOCK_ENTRIES = 1 << 22  # rows x support vectors per block of kernel products


def _kernel_sums(X, sq, vectors, coef, gamma, n_jobs):
    """``sum_j coef[j] * K(x_i, X[vectors[j]])`` for every row, the RBF kernel, by blocks."""
    out = np.empty(X.shape[0])
    V = X[vectors]
    step = max(64, _BLOCK_ENTRIES // max(vectors.size, 1))
    with threadpool_limits(limits=n_threads(n_jobs), user_api="blas"), \
            numba_threads(n_jobs, work=X.shape[0] * vectors.size):
        for a in range(0, X.shape[0], step):
            rbf_weighted_sums(X[a:a + step] @ V.T, sq[a:a + step], sq[vectors], coef, gamma,
                              out[a:a + step])
    return out


def _working_set_svc(X, y, random_state, n_jobs=None):
    """Fit ``SVC(gamma="scale")`` to all rows of a binary problem through working sets.

    Decomposition in the manner of Osuna, Freund and Girosi (1997): libsvm
    solves the dual on a working set; the gradient of the full dual at that
    solution (zero weight off the set) is computed for every row, and the fit
    stops when libsvm's own stopping rule -- no pair of rows violating the
    optimality conditions by more than ``tol`` -- holds on all rows. Otherwise
    the next set keeps the support vectors and the zero-weight rows close to
    violating, and adds the most violating rows. Returns the SVC fitted on the
    last set and the rows of ``X`` that are its support vectors, or ``None``
    when a quarter of the rows are support vectors, the set would reach half
    the rows or the rounds run out (the caller then fits on all rows).
    """
    X = np.asarray(X, dtype=np.float64)
    n_rows = X.shape[0]
    variance = X.var()
    gamma = 1.0 / (X.shape[1] * variance) if variance != 0 else 1.0
    classes = np.unique(y)
    signs = np.where(y == classes[1], 1.0, -1.0)
    sq = np.einsum("ij,ij->i", X, X)
    start = np.random.default_rng(0)
    work = np.sort(np.concatenate([
        start.choice(rows, size=min(rows.size, _START_ROWS), replace=False)
        for rows in (np.flatnonzero(y == label) for label in classes)]))
    # libsvm uses its seed only for probability estimates, but SVC.fit draws it from a
    # RandomState instance each time: an int keeps the caller's generator out of the rounds.
    seed = random_state if isinstance(random_state, Integral) else 0
    for _ in range(_MAX_ROUNDS):
        svc = SVC(gamma=gamma, random_state=seed).fit(X[work], y[work])
        support = work[svc.support_]
        if support.size > n_rows // _MOST_VECTORS:
            # Support vectors stay in every later set: with this many the sets are large,
            # rounds cost nearly a fit on all rows, and that fit is the faster way.
            return None
        # -y_t * (gradient of the dual)_t, libsvm's quantity; support rows carry
        # dual_coef_ = alpha * sign, every other row has alpha = 0.
        grad = signs - _kernel_sums(X, sq, support, svc.dual_coef_[0], gamma, n_jobs)
        alpha = np.zeros(n_rows)
        alpha[support] = np.abs(svc.dual_coef_[0])
        free_up = alpha < svc.C
        up = np.where(signs > 0, free_up, alpha > 0)
        low = np.where(signs > 0, alpha > 0, free_up)
        top, bottom = grad[up].max(), grad[low].min()
        if top - bottom <= svc.tol:
            return svc, support
        # A zero-weight row is "up" for the positive class and "low" for the other.
        violation = np.where(signs > 0, grad - bottom, top - grad)
        violation[support] = -np.inf
        outside = np.ones(n_rows, dtype=bool)
        outside[work] = False
        flagged = np.flatnonzero(outside & (violation > svc.tol))
        if flagged.size == 0:
            # Only rounding separates the set's own solution from libsvm's rule.
            return svc, support
        added = flagged[np.argsort(-violation[flagged], kind="stable")[:_ADD_ROWS]]
        near = work[violation[work] > -_NEAR]
        work = np.union1d(np.union1d(support, near), added)
        if work.size > n_rows // 2:
            return None
    return None


class SVMSMOTE(BaseOverSampler):
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
        Threads for the neighbour search and the generation. ``None`` and
        ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    nn_k_ : estimator
        imbalanced-learn's neighbour estimator for ``k_neighbors``:
        ``NearestNeighbors(n_neighbors=k_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator. Not fitted.
    nn_m_ : estimator
        The same for ``m_neighbors``.
    svm_estimator_ : estimator
        The fitted SVM. The default SVC of a large binary problem is fitted
        on a working set of rows (Notes), so its own ``support_`` indexes that
        set; ``svm_support_`` always indexes ``X``.
    svm_support_ : ndarray of shape (n_vectors,)
        The rows of ``X`` that are support vectors of the SVM.
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`). ``svm_estimator_`` is fitted on that copy.
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

    On large data the SVM fit is nearly all the time. With the default SVM,
    a binary problem of at least 30,000 rows is not handed to libsvm whole:
    libsvm solves the dual on a working set, the gradient of the full dual is
    computed for every row, and the rows that break libsvm's stopping rule
    (largest violating pair above ``tol``) join the set until none does
    (decomposition as in Osuna, Freund and Girosi, 1997). The result meets
    the same rule on all rows as a fit on all rows, with ``gamma`` computed on
    all rows as ``"scale"`` would; both are solutions to that tolerance, so
    support vectors with tiny weights may differ. On eight KEEL data sets
    the minority-class support vectors were identical to those of the fit on
    all rows (``tests/test_svm_working_set.py``); on 100,000 x 20 rows the
    fit is several times faster (``benchmarks/RESULTS.md``). When more than a
    quarter of the rows turn out to be support vectors (heavily overlapping
    classes) the working sets grow large and stop paying, so the SVM is then
    refitted on all rows, after the round that showed it. Multiclass data,
    smaller data and any ``svm_estimator`` given are fitted on all rows, as
    imbalanced-learn does; pass ``svm_estimator=SVC(gamma="scale")`` for its
    exact fit on large data.

    References
    ----------
    H. M. Nguyen, E. W. Cooper, K. Kamei, "Borderline over-sampling for
    imbalanced data classification", International Journal of Knowledge
    Engineering and Soft Data Paradigms 3(1), 4-21, 2011.

    E. Osuna, R. Freund, F. Girosi, "An improved training algorithm for
    support vector machines", Neural Networks for Signal Processing VII,
    276-285, 1997.

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
    >>> bool(np.isin(sampler.synthetic_sources_[:, 0], sampler.svm_support_).all())
    True
    """

    # The SVM's RBF kernel (X.var(), squared norms) squares coordinates: run at
    # unit scale outside the band (base.BaseSampler).
    _scale_band = BAND

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
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
        self.nn_k_ = neighbors_estimator("k_neighbors", self.k_neighbors)
        self.nn_m_ = neighbors_estimator("m_neighbors", self.m_neighbors)
        rng = check_random_state(self.random_state)
        fitted = None
        if (self.svm_estimator is None and X.shape[0] >= WORKING_SET_MIN_ROWS
                and np.unique(y).size == 2):
            fitted = _working_set_svc(X, y, self.random_state, self.n_jobs)
        if fitted is None:
            if self.svm_estimator is None:
                self.svm_estimator_ = SVC(gamma="scale", random_state=self.random_state)
            else:
                self.svm_estimator_ = clone(self.svm_estimator)
            self.svm_estimator_.fit(X, y)
            support = getattr(self.svm_estimator_, "support_", None)
        else:
            self.svm_estimator_, support = fitted
        if support is None:
            raise TypeError(
                f"svm_estimator must expose the fitted attribute support_ (the indices of "
                f"its support vectors), as SVC does; {type(self.svm_estimator_).__name__} "
                "does not."
            )
        self.svm_support_ = support
        for label, n_samples in self._classes_to_grow(y):
            vectors = support[y[support] == label]
            n_other, m, _ = danger_counts(X, y, vectors, label, self.m_neighbors, self.n_jobs)
            kept = n_other < m
            if not kept.any():
                raise ValueError(
                    f"SVM-SMOTE is not adapted to your dataset: all {vectors.size} support "
                    f"vectors of class {label} are noise (all their m_neighbors nearest rows "
                    "belong to other classes), so SVMSMOTE cannot seed from them. Raise "
                    "m_neighbors or use another SMOTE variant."
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
