"""Resampling bagging: UnderBagging, OverBagging, SMOTEBagging, EasyEnsemble, BRF.

Each member sees its own resample of the training set, drawn from a seed that
depends on the member's index only, so members are fitted in parallel
(joblib threads, or any joblib backend such as Dask) with results that do not
depend on ``n_jobs``.  A resampling schedule gives the per-member class
targets: balanced for every member ("fixed"), moving from the original to the
balanced distribution ("progressive"), or a user callable.
"""

import numbers

import numpy as np
from sklearn.base import _fit_context
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils import resample_aligned
from ._base import (
    MAX_INT,
    _BaseImbalancedEnsemble,
    fit_in_parallel,
    fit_member,
    former_positional,
)
from ._samplers import smote_sampler

# Weight of a synthetic row given to a member (see smote_resample).
SYNTHETIC_WEIGHT = StrOptions({"seed", "interpolate", "class_mean"})

_FIT_DOC = """Fit the ensemble.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed, for the drawn rows, to every member's fit.
        eval_set : list of (X_val, y_val) pairs, default=None
            Scored after every member; scores in ``evals_result_``.
        eval_metric : str, callable or list of them, default=None
            ``"average_precision"``, ``"balanced_accuracy"``, ``"roc_auc"``,
            ``"log_loss"`` or ``(y_true, y_pred_proba) -> float`` (higher is
            better). ``None`` means average precision and balanced accuracy.
        early_stopping_rounds : int, default=None
            Stop when the first metric on the first eval set has not improved
            for this many members (members are then fitted in parallel blocks
            of this size) and keep the members up to the best one.

        Returns
        -------
        self : object
        """


def schedule_targets(schedule, i, n_estimators, counts, balanced, classes):
    """Per-class sample counts for member ``i`` under a resampling schedule."""
    if schedule == "fixed":
        return balanced
    if schedule == "progressive":
        frac = i / (n_estimators - 1) if n_estimators > 1 else 1.0
        return np.rint(counts + (balanced - counts) * frac).astype(np.int64)
    wanted = schedule(i, n_estimators, dict(zip(classes.tolist(), counts.tolist())))
    if not isinstance(wanted, dict) or set(wanted) != set(classes.tolist()):
        raise ValueError(
            f"the schedule callable must return a dict with one target count per class "
            f"{classes.tolist()}; for member {i} it returned {wanted!r}."
        )
    targets = np.array([wanted[c] for c in classes.tolist()])
    if not np.issubdtype(targets.dtype, np.integer) or targets.min() < 1:
        raise ValueError(
            f"the schedule callable must return positive integer counts; for member {i} "
            f"it returned {wanted!r}."
        )
    return targets.astype(np.int64)


class _ResampledBagging(_BaseImbalancedEnsemble):
    """Bagging where every member's training set is a class-wise resample."""

    # "under": classes to the smallest size; "over": to the largest size.
    _balance_to = "under"

    _parameter_constraints = {
        **_BaseImbalancedEnsemble._parameter_constraints,
        "schedule": [StrOptions({"fixed", "progressive"}), callable],
        "bootstrap": ["boolean"],
    }

    def _draw_rows(self, targets, rows_by_class, rng):
        # A class asked for more samples than it has is always drawn with replacement.
        return np.concatenate([
            rng.choice(rows, t, replace=self.bootstrap or t > rows.shape[0])
            for rows, t in zip(rows_by_class, targets)
        ])

    def _resample(self, X, y, sample_weight, rows, targets, rng):
        """Training set of one member from its drawn rows (hook for SMOTE)."""
        return X[rows], y[rows], None if sample_weight is None else sample_weight[rows]

    def _fit_rounds(self, X, y, sample_weight, rng):
        counts = self.class_counts_
        size = counts.min() if self._balance_to == "under" else counts.max()
        balanced = np.full(self.n_classes_, size, dtype=np.int64)
        rows_by_class = [np.flatnonzero(y == c) for c in range(self.n_classes_)]
        seeds = rng.randint(MAX_INT, size=self.n_estimators)

        def build(i):
            draw_rng = np.random.RandomState(seeds[i])
            targets = schedule_targets(self.schedule, i, self.n_estimators, counts, balanced,
                                       self.classes_)
            rows = self._draw_rows(targets, rows_by_class, draw_rng)
            X_i, y_i, w_i = self._resample(X, y, sample_weight, rows, targets, draw_rng)
            member = fit_member(self._make_member(seeds[i]), X_i, y_i, w_i)
            return member, {"n_samples": int(y_i.shape[0]),
                            "class_counts": np.bincount(y_i, minlength=self.n_classes_).tolist()}

        block = self._monitor.early_stopping_rounds
        for member, log in fit_in_parallel(build, self.n_estimators, self.n_jobs, block):
            if self._accept(member, **log):
                break
        return self


class UnderBaggingClassifier(_ResampledBagging):
    """UnderBagging: bagging on balanced random under-samples.

    Every member is trained on a class-wise random sample with all classes at
    the smallest class's size (with replacement when ``bootstrap=True``).
    Members are fitted in parallel; the ensemble predicts the mean of their
    probabilities.

    Read more in Barandela R., Valdovinos R. M., Sanchez J. S., "New
    applications of ensembles of classifiers", Pattern Analysis and
    Applications 6, 2003. Same algorithm as imbalanced-learn's
    ``BalancedBaggingClassifier`` with a random under-sampler; pick this one
    for the resampling schedule, validation log/early stopping and
    staged predictions.

    Parameters
    ----------
    estimator : estimator object, default=None
        Member prototype; ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        Per-member class targets. "fixed": every class at the smallest class's
        size. "progressive": member ``i`` moves linearly from the original
        class counts (first member) to the balanced ones (last member). A
        callable ``(i, n_estimators, class_counts: dict) -> dict`` gives the
        target count of every class for member ``i``.
    bootstrap : bool, default=True
        Draw with replacement (a class asked for more samples than it has,
        by a schedule, is always drawn with replacement).
    n_jobs : int, default=None
        Members fitted in parallel through joblib (threads by default; a
        ``joblib.parallel_config(backend="dask")`` context spreads them over a cluster).
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context, ``-1`` every
        processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Results are the same for every ``n_jobs``.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.

    Attributes
    ----------
    estimators_ : list of estimators
    estimator_weights_ : ndarray of shape (n_members,)
    classes_ : ndarray of shape (n_classes,)
    class_counts_ : ndarray of shape (n_classes,)
    training_log_ : list of dict
        Per member: ``round``, ``n_samples``, ``class_counts``, validation scores.
    evals_result_ : dict
    best_iteration_ : int or None
    feature_importances_ : ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import UnderBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = UnderBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.training_log_[0]["class_counts"]
    [50, 50]
    """

    def __init__(self, estimator=None, n_estimators=50, *, schedule="fixed", bootstrap=True,
                 n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.schedule = schedule
        self.bootstrap = bootstrap
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeClassifier()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None):
        return self._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)

    fit.__doc__ = _FIT_DOC


class EasyEnsembleClassifier(UnderBaggingClassifier):
    """EasyEnsemble: AdaBoost learners on independent balanced under-samples.

    Each member is an AdaBoost ensemble trained on a random balanced
    under-sample (without replacement) of the training set; the ensemble
    predicts the mean of their probabilities.

    Read more in Liu X.-Y., Wu J., Zhou Z.-H., "Exploratory Undersampling for
    Class-Imbalance Learning", IEEE TSMC-B 39(2), 2009. imbalanced-learn's
    ``EasyEnsembleClassifier`` is the same algorithm; pick this one for
    thread-parallel members, the resampling schedule, validation
    log/early stopping and staged predictions.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of under-samples (AdaBoost members).
    estimator : estimator object, default=None
        ``None`` means ``AdaBoostClassifier(n_estimators=10)``.
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        See :class:`UnderBaggingClassifier`.
    bootstrap : bool, default=False
        Draw with replacement.
    n_jobs : int, default=None
        Members fitted in parallel through joblib, as in
        :class:`UnderBaggingClassifier`. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the resamples and the members; see :class:`UnderBaggingClassifier`.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.

    Attributes
    ----------
    estimators_ : list of AdaBoostClassifier
    classes_ : ndarray of shape (n_classes,)
    training_log_ : list of dict
    evals_result_ : dict
    best_iteration_ : int or None

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = EasyEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    >>> type(clf.estimators_[0]).__name__
    'AdaBoostClassifier'
    """

    # imbalanced-learn's order: EasyEnsembleClassifier(n_estimators=10, estimator=None, *, ...).
    @former_positional(("estimator", "n_estimators"))
    def __init__(self, n_estimators=10, estimator=None, *, schedule="fixed", bootstrap=False,
                 n_jobs=None, random_state=None, verbose=0):
        super().__init__(estimator, n_estimators, schedule=schedule, bootstrap=bootstrap,
                         n_jobs=n_jobs, random_state=random_state, verbose=verbose)

    def _default_estimator(self):
        return AdaBoostClassifier(n_estimators=10)


class BalancedRandomForestClassifier(UnderBaggingClassifier):
    """Balanced random forest: random-feature trees on balanced bootstrap samples.

    Every tree is grown on a bootstrap sample of each class at the smallest
    class's size, choosing among ``sqrt(n_features)`` features at each split;
    the forest predicts the mean of the trees' probabilities.

    Read more in Chen C., Liaw A., Breiman L., "Using Random Forest to Learn
    Imbalanced Data", Tech. Rep. 666, UC Berkeley, 2004. imbalanced-learn's
    ``BalancedRandomForestClassifier`` is the same algorithm; pick this one
    for the resampling schedule, any tree settings through ``estimator``,
    validation log/early stopping and staged predictions.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    estimator : estimator object, default=None
        ``None`` means ``DecisionTreeClassifier(max_features="sqrt")``.
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        See :class:`UnderBaggingClassifier`.
    bootstrap : bool, default=True
        Draw with replacement.
    n_jobs : int, default=None
        Members fitted in parallel through joblib, as in
        :class:`UnderBaggingClassifier`. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the resamples and the members; see :class:`UnderBaggingClassifier`.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_ : ndarray of shape (n_classes,)
    feature_importances_ : ndarray of shape (n_features,)
    training_log_ : list of dict
    evals_result_ : dict
    best_iteration_ : int or None

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> brf = BalancedRandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> brf.feature_importances_.shape
    (20,)
    """

    # imbalanced-learn's order: BalancedRandomForestClassifier(n_estimators=100, *, ...).
    @former_positional(("estimator", "n_estimators"))
    def __init__(self, n_estimators=100, *, estimator=None, schedule="fixed", bootstrap=True,
                 n_jobs=None, random_state=None, verbose=0):
        super().__init__(estimator, n_estimators, schedule=schedule, bootstrap=bootstrap,
                         n_jobs=n_jobs, random_state=random_state, verbose=verbose)

    def _default_estimator(self):
        return DecisionTreeClassifier(max_features="sqrt")


class OverBaggingClassifier(UnderBaggingClassifier):
    """OverBagging: bagging on balanced random over-samples.

    Every member is trained on a bootstrap sample of each class at the
    largest class's size, so minority samples are repeated.

    Read more in Wang S., Yao X., "Diversity analysis on imbalanced data sets
    by using ensemble models", IEEE CIDM 2009.

    Parameters
    ----------
    estimator : estimator object, default=None
        ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        "fixed": every class at the largest class's size; "progressive": from
        the original to those counts; or a callable, see
        :class:`UnderBaggingClassifier`.
    bootstrap : bool, default=True
        Draw the largest class with replacement too (smaller classes are
        always drawn with replacement to reach their target).
    n_jobs : int, default=None
        Members fitted in parallel through joblib, as in
        :class:`UnderBaggingClassifier`. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the resamples and the members; see :class:`UnderBaggingClassifier`.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.

    Attributes
    ----------
    estimators_ : list of estimators
    classes_ : ndarray of shape (n_classes,)
    training_log_ : list of dict
    evals_result_ : dict
    best_iteration_ : int or None

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import OverBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = OverBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.training_log_[0]["class_counts"]
    [450, 450]
    """

    _balance_to = "over"


class SMOTEBaggingClassifier(_ResampledBagging):
    """SMOTEBagging: bagging where SMOTE tops every class up to the largest size.

    Every member takes a bootstrap sample of each class at its own size and
    then SMOTE (interpolating within the bootstrap sample) adds synthetic
    samples until each class reaches its target (the largest class's size by
    default). ``sample_weight`` follows the rows: drawn samples keep their
    weight, synthetic ones get one by the ``synthetic_weight`` rule.

    Read more in Wang S., Yao X., "Diversity analysis on imbalanced data sets
    by using ensemble models", IEEE CIDM 2009.

    Parameters
    ----------
    estimator : estimator object, default=None
        ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    k_neighbors : int, default=5
        SMOTE's neighbours (fewer when a class's bootstrap is smaller).
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        See :class:`OverBaggingClassifier`.
    bootstrap : bool, default=True
        Bootstrap each class before SMOTE.
    synthetic_weight : {"seed", "interpolate", "class_mean"}, default="seed"
        Weight of a synthetic sample in its member's fit: its seed's weight,
        the weight interpolated between seed and partner like the features
        (:func:`imbtool.utils.resample_aligned`), or the mean weight of its
        class. Original samples keep their own weight.
    n_jobs : int, default=None
        Members fitted in parallel through joblib, as in
        :class:`UnderBaggingClassifier`. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the resamples and the members; see :class:`UnderBaggingClassifier`.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.

    Attributes
    ----------
    estimators_ : list of estimators
    classes_ : ndarray of shape (n_classes,)
    training_log_ : list of dict
    evals_result_ : dict
    best_iteration_ : int or None

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import SMOTEBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = SMOTEBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.training_log_[0]["class_counts"]
    [450, 450]
    """

    _balance_to = "over"
    # imbtool's SMOTE works on dense arrays without NaN.
    _accept_sparse = False

    _parameter_constraints = {
        **_ResampledBagging._parameter_constraints,
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "synthetic_weight": [SYNTHETIC_WEIGHT],
    }

    def __init__(self, estimator=None, n_estimators=50, *, k_neighbors=5, schedule="fixed",
                 bootstrap=True, synthetic_weight="seed", n_jobs=None, random_state=None,
                 verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.k_neighbors = k_neighbors
        self.schedule = schedule
        self.bootstrap = bootstrap
        self.synthetic_weight = synthetic_weight
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeClassifier()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None):
        return self._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)

    fit.__doc__ = _FIT_DOC

    def _draw_rows(self, targets, rows_by_class, rng):
        # The bootstrap keeps each class's own size; SMOTE supplies the rest.
        if not self.bootstrap:
            return np.concatenate(rows_by_class)
        return np.concatenate([rng.choice(rows, rows.shape[0]) for rows in rows_by_class])

    def _resample(self, X, y, sample_weight, rows, targets, rng):
        return smote_resample(X[rows], y[rows], None if sample_weight is None
                              else sample_weight[rows], targets, self.k_neighbors, rng,
                              synthetic_weight=self.synthetic_weight)


def smote_resample(X, y, sample_weight, targets, k_neighbors, rng, kind="smote",
                   synthetic_weight="seed"):
    """SMOTE every class of (X, y) below its target up to it.

    Kept rows keep their weight; a synthetic row gets its seed's weight
    (``synthetic_weight="seed"``), the weight interpolated like its features
    (``"interpolate"``, :func:`imbtool.utils.resample_aligned`) or the mean
    weight of its class (``"class_mean"``). A class with a single distinct row
    cannot be interpolated and is repeated instead, with the repeated rows' weights.
    """
    counts = np.bincount(y, minlength=targets.shape[0])
    short = np.flatnonzero(targets > counts)
    if short.size == 0:
        return X, y, sample_weight
    strategy = {int(c): int(targets[c]) for c in short}
    k = min(k_neighbors, int(counts[short].min()) - 1)
    if k < 1:
        extra = np.concatenate([rng.choice(np.flatnonzero(y == c), targets[c] - counts[c])
                                for c in short])
        rows = np.concatenate([np.arange(y.shape[0]), extra])
        return X[rows], y[rows], None if sample_weight is None else sample_weight[rows]
    sampler = smote_sampler(kind, strategy, k, rng.randint(MAX_INT))
    X_res, y_res = sampler.fit_resample(X, y)
    if sample_weight is None:
        return X_res, y_res, None
    if synthetic_weight != "class_mean":
        return X_res, y_res, resample_aligned(sampler, sample_weight, rule=synthetic_weight)
    class_mean = np.bincount(y, weights=sample_weight, minlength=targets.shape[0]) / np.maximum(
        counts, 1)
    weights = np.concatenate([sample_weight, class_mean[y_res[y.shape[0]:]]])
    return X_res, y_res, weights
