"""Resampling bagging: UnderBagging, OverBagging, SMOTEBagging, EasyEnsemble, BRF.

Each member sees its own resample of the training set, drawn from a seed that
depends on the member's index only, so members are fitted in parallel
(joblib threads, or any joblib backend such as Dask) with results that do not
depend on ``n_jobs``.  A resampling schedule gives the per-member class
targets: balanced for every member ("fixed"), moving from the original to the
balanced distribution ("progressive"), or a user callable.
"""

import numbers
import warnings

import numpy as np
from imblearn.utils import check_sampling_strategy
from sklearn.base import _fit_context, clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.pipeline import Pipeline as SklearnPipeline
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..pipeline import Pipeline, make_pipeline
from ..under_sampling import RandomUnderSampler
from ..utils import class_visit_order
from ..utils._warnings import ImbtoolUserWarning
from ._base import (
    MAX_INT,
    _BaseImbalancedEnsemble,
    fit_in_parallel,
    fit_member,
    former_positional,
    member_proba,
)
from ._samplers import SYNTHETIC_WEIGHT, smote_resample
from ._targets import fit_args_to_eval_set

_SAMPLE_WEIGHT_DOC = """        sample_weight : array-like of shape (n_samples,), default=None
            Passed, for the drawn rows, to every member's fit.
"""

_FIT_DOC = """Fit the ensemble.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
""" + _SAMPLE_WEIGHT_DOC + """        eval_set : list of (X_val, y_val) pairs, default=None
            Scored after every member; scores in ``evals_result_``.
        eval_metric : str, callable or list of them, default=None
            ``"average_precision"``, ``"balanced_accuracy"``, ``"roc_auc"``,
            ``"log_loss"`` or ``(y_true, y_pred_proba) -> float`` (higher is
            better). ``None`` means average precision and balanced accuracy.
        early_stopping_rounds : int, default=None
            Stop when the first metric on the first eval set has not improved
            for this many members (members are then fitted in parallel blocks
            of this size) and keep the members up to the best one.
        max_samples : None
            imbalanced-ensemble's per-fit ``max_samples`` is not supported
            (TypeError); set the ``max_samples`` parameter.
        eval_datasets, eval_metrics, train_verbose : see :meth:`SelfPacedEnsembleClassifier.fit`

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
    """Bagging where every member's training set is a class-wise resample.

    One loop for the whole family: member ``i`` draws its rows (``_draw_rows``),
    then its columns (``max_features``, ``bootstrap_features``), builds its
    training set (``_resample``) and is fitted; the drawn rows and columns are
    kept in ``estimators_samples_`` and ``estimators_features_`` (scikit-learn's
    bagging attributes), which the out-of-bag estimate and the predictions use.
    """

    # "under": classes to the smallest size; "over": to the largest size.
    _balance_to = "under"

    _parameter_constraints = {
        **_BaseImbalancedEnsemble._parameter_constraints,
        "schedule": [StrOptions({"fixed", "progressive"}), callable],
        "bootstrap": ["boolean"],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left"),
                        Interval(numbers.Real, 0, 1, closed="right")],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"),
                         Interval(numbers.Real, 0, 1, closed="right")],
        "bootstrap_features": ["boolean"],
        "oob_score": ["boolean"],
        "warm_start": ["boolean"],
        "sampling_strategy": [Interval(numbers.Real, 0, 1, closed="right"),
                              StrOptions({"auto", "majority", "not minority", "not majority",
                                          "all", "minority"}),
                              dict, callable],
        "replacement": ["boolean"],
    }

    def _class_targets(self, y, counts):
        """Per-class sample counts of a member under ``sampling_strategy``."""
        kind = "under-sampling" if self._balance_to == "under" else "over-sampling"
        wanted = check_sampling_strategy(self.sampling_strategy, self.classes_[y], kind)
        targets = counts.copy()
        for label, n in wanted.items():
            c = int(np.searchsorted(self.classes_, label))
            # imbalanced-learn's over-sampling strategy counts the samples to add.
            targets[c] = n if kind == "under-sampling" else counts[c] + n
        return targets

    def _subsample(self, rows, rng):
        """``max_samples`` of the member's drawn rows (a count, or a fraction of them)."""
        if self.max_samples is None:
            return rows
        size = self._resolve_size(self.max_samples, rows.shape[0])
        if size >= rows.shape[0]:
            return rows
        return rows[rng.choice(rows.shape[0], size, replace=False)]

    def _draw_rows(self, targets, rows_by_class, rng):
        # A class asked for more samples than it has is always drawn with replacement.
        rows = np.concatenate([
            rng.choice(rows, targets[c],
                       replace=self.bootstrap or self.replacement or targets[c] > rows.shape[0])
            for c, rows in rows_by_class.items()
        ])
        return self._subsample(rows, rng)

    def _bag_features(self, n_features):
        """Number of columns of each member (``max_features``)."""
        return self._resolve_size(self.max_features, n_features)

    def _draw_features(self, n_features, rng):
        """Columns of one member, or None for all of them in order (no draw)."""
        if self._max_features == n_features and not self.bootstrap_features:
            return None
        if self.bootstrap_features:
            return rng.randint(0, n_features, self._max_features)
        return np.sort(rng.choice(n_features, self._max_features, replace=False))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, max_samples=None, eval_datasets=None,
            eval_metrics=None, train_verbose=False):
        return self._fit_peer(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds,
                              max_samples, eval_datasets, eval_metrics, train_verbose)

    fit.__doc__ = _FIT_DOC

    def _fit_peer(self, X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds,
                  max_samples, eval_datasets, eval_metrics, train_verbose):
        """``_fit`` with imbalanced-ensemble's fit arguments mapped or refused."""
        if max_samples is not None:
            raise TypeError(
                f"{type(self).__name__}.fit does not take imbalanced-ensemble's max_samples; "
                "set the max_samples parameter instead (set_params(max_samples=...)), so "
                "that get_params shows what the model was fitted with."
            )
        eval_set = fit_args_to_eval_set(type(self).__name__, eval_set, eval_datasets,
                                        eval_metrics, train_verbose)
        return self._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)

    def _package(self, member, seed, targets):
        """The fitted member as ``estimators_`` holds it (a hook)."""
        return member

    def _resample(self, X, y, sample_weight, rows, targets, rng):
        """Training set of one member from its drawn rows (hook for SMOTE)."""
        return X[rows], y[rows], None if sample_weight is None else sample_weight[rows]

    @staticmethod
    def _resolve_size(value, n):
        # scikit-learn's bagging rule: an int is a count, a float a fraction of n.
        return int(value) if isinstance(value, numbers.Integral) else max(1, int(value * n))

    def _fit(self, X, y, sample_weight=None, eval_set=None, eval_metric=None,
             early_stopping_rounds=None):
        for attr in ("oob_score_", "oob_decision_function_"):
            if hasattr(self, attr):
                delattr(self, attr)
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without replacement "
                             "there are no out-of-bag samples to score.")
        if self.oob_score and self.warm_start:
            raise ValueError("oob_score=True does not combine with warm_start=True.")
        if self.oob_score and early_stopping_rounds is not None:
            raise ValueError("oob_score=True does not combine with early_stopping_rounds "
                             "(the out-of-bag estimate would count dropped members).")
        old = None
        if self.warm_start and getattr(self, "estimators_", None):
            n_old = len(self.estimators_)
            if self.n_estimators < n_old:
                raise ValueError(
                    f"n_estimators={self.n_estimators} must be larger or equal to "
                    f"len(estimators_)={n_old} when warm_start==True."
                )
            if self.n_estimators == n_old:
                warnings.warn("Warm-start fitting without increasing n_estimators does not "
                              "fit new members.", ImbtoolUserWarning, stacklevel=3)
                return self
            if eval_set is not None:
                raise ValueError("warm_start=True adds members to a fitted ensemble; "
                                 "eval_set scores a whole fit, so pass one or the other.")
            old = (self.estimators_, list(self.estimator_weights_), self.estimators_samples_,
                   self.estimators_features_, self.training_log_)
        # What a warm start keeps, for _fit_rounds.
        self._old = old
        try:
            super()._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)
        finally:
            del self._old
        if old is not None:
            self.training_log_ = old[4] + self.training_log_
        return self

    def _fit_rounds(self, X, y, sample_weight, rng):
        counts = self.class_counts_
        n_features = X.shape[1]
        self._max_features = self._bag_features(n_features)
        if self._max_features > n_features:
            raise ValueError(f"max_features={self.max_features} must be at most the number "
                             f"of features ({n_features}).")
        targets_end = self._class_targets(y, counts)
        # {class code: its rows}, in an order no renaming of the classes changes: every
        # member draws its classes from one stream, and its sample lists them, in this order.
        rows_by_class = {c: np.flatnonzero(y == c)
                         for c in class_visit_order(y, range(self.n_classes_))}
        # Seeds of members 0..n_estimators-1 whatever was fitted before: a warm-started
        # ensemble has the members of one fitted at once.
        seeds = rng.randint(MAX_INT, size=self.n_estimators)
        if self._old is None:
            self.estimators_samples_, self.estimators_features_ = [], []
            start = 0
        else:
            members, weights, samples, features, _ = self._old
            self.estimators_.extend(members)
            self.estimator_weights_.extend(weights)
            self.estimators_samples_, self.estimators_features_ = list(samples), list(features)
            start = len(members)
        all_features = np.arange(n_features)

        def build(i):
            draw_rng = np.random.RandomState(seeds[i])
            targets = schedule_targets(self.schedule, i, self.n_estimators, counts, targets_end,
                                       self.classes_)
            rows = self._draw_rows(targets, rows_by_class, draw_rng)
            features = self._draw_features(n_features, draw_rng)
            X_i, y_i, w_i = self._resample(
                X if features is None else X[:, features], y, sample_weight, rows, targets,
                draw_rng)
            member = self._package(fit_member(self._make_member(seeds[i]), X_i, y_i, w_i),
                                   seeds[i], targets)
            return member, rows, features, {
                "seed": int(seeds[i]),
                "n_samples": int(y_i.shape[0]),
                "class_counts": np.bincount(y_i, minlength=self.n_classes_).tolist()}

        block = self._monitor.early_stopping_rounds
        for member, rows, features, log in fit_in_parallel(
                build, self.n_estimators, self.n_jobs, block, start=start):
            self.estimators_samples_.append(rows)
            self.estimators_features_.append(all_features if features is None else features)
            if self._accept(member, features=features, **log):
                break
        if self.oob_score:
            self._set_oob_score(X, y)
        return self

    def _member_features(self):
        n_features = self.n_features_in_
        return [None if f.shape[0] == n_features and (f == np.arange(n_features)).all() else f
                for f in self.estimators_features_[:len(self.estimators_)]]

    def _set_oob_score(self, X, y):
        """Out-of-bag class probabilities and accuracy (scikit-learn's definition)."""
        total = np.zeros((X.shape[0], self.n_classes_))
        for member, rows, features in zip(self.estimators_, self.estimators_samples_,
                                          self._member_features()):
            oob = np.ones(X.shape[0], dtype=bool)
            oob[rows] = False
            X_oob = X[oob] if features is None else X[oob][:, features]
            total[oob] += member_proba(member, X_oob, self.n_classes_)
        seen = total.sum(axis=1)
        if (seen == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few "
                          "estimators were used to compute any reliable oob estimates.",
                          ImbtoolUserWarning, stacklevel=3)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.oob_decision_function_ = total / seen[:, None]
        self.oob_score_ = float(np.mean(total.argmax(axis=1) == y))

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba`` (``-inf`` where a probability is zero).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    # scikit-learn's BaseEnsemble protocol: len(), indexing and iteration over members.
    def __len__(self):
        return len(self.estimators_)

    def __getitem__(self, index):
        return self.estimators_[index]

    def __iter__(self):
        return iter(self.estimators_)


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
    max_samples : int or float, default=1.0
        Rows of each member: a count, or a fraction of its resampled rows.
    max_features : int or float, default=1.0
        Columns of each member: a count, or a fraction of the features.
    bootstrap : bool, default=True
        Draw with replacement (a class asked for more samples than it has,
        by a schedule, is always drawn with replacement).
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Score the ensemble on the rows out of each member's sample
        (``oob_score_``, ``oob_decision_function_``); needs ``bootstrap=True``.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Per-class sample counts of every member, as imbalanced-learn's
        ``sampling_strategy`` for under-sampling;
        ``"auto"`` gives every class the smallest class's size.
    replacement : bool, default=False
        Draw each class's sample with replacement (as ``bootstrap=True``).
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        Per-member class targets. "fixed": every class at the smallest class's
        size. "progressive": member ``i`` moves linearly from the original
        class counts (first member) to the balanced ones (last member). A
        callable ``(i, n_estimators, class_counts: dict) -> dict`` gives the
        target count of every class for member ``i``.
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

    def __init__(self, estimator=None, n_estimators=50, *, max_samples=1.0, max_features=1.0,
                 bootstrap=True, bootstrap_features=False, oob_score=False, warm_start=False,
                 sampling_strategy="auto", replacement=False, schedule="fixed", n_jobs=None,
                 random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.schedule = schedule
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeClassifier()


# The bag parameters of scikit-learn's BaggingClassifier, as the bagging classes take them.
_BAG_PARAMS = """max_samples : int or float, default=1.0
        Rows of each bag: a count, or a fraction of the training set.
    max_features : int or float, default=1.0
        Columns of each member: a count, or a fraction of the features.
    bootstrap : bool, default=True
        Draw the bag's rows with replacement.
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Score the ensemble on the rows out of each member's bag
        (``oob_score_``, ``oob_decision_function_``); needs ``bootstrap=True``.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``."""


class CompatibleBaggingClassifier(_ResampledBagging):
    __doc__ = f"""Bagging: every member on a random bag of rows and columns of the training set.

    scikit-learn's ``BaggingClassifier`` (bagging, pasting, random subspaces,
    random patches) on imbtool's member loop: member ``i`` draws ``max_samples``
    rows (with replacement when ``bootstrap=True``) and ``max_features``
    columns and is fitted on them, without any resampling; the ensemble
    predicts the mean of the members' probabilities, a tie going to the first
    class of ``classes_`` (scikit-learn's rule, so a one-member bag predicts as
    its member; imbtool's other ensembles give a tie to the class whose first
    row in ``y`` came first). This is
    imbalanced-ensemble's ``CompatibleBaggingClassifier`` (same parameters,
    defaults and fitted attributes), the baseline its imbalance ensembles are
    compared with; :class:`BalancedBaggingClassifier` adds a sampler to every bag.
    One deliberate difference: rows of zero ``sample_weight`` are never drawn
    into a bag (they add nothing to a member's fit, and a bag of only such rows
    would leave its member nothing to learn), so ``max_samples`` counts the
    rows of positive weight and a fit equals the fit on those rows alone.

    Read more in Breiman L., "Bagging predictors", Machine Learning 24(2), 1996,
    and Louppe G., Geurts P., "Ensembles on Random Patches", ECML PKDD 2012.

    Parameters
    ----------
    estimator : estimator object, default=None
        Member prototype; ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    {_BAG_PARAMS}
    n_jobs : int, default=None
        Members fitted in parallel through joblib (threads).
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context, ``-1``
        every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the bags and the members; results are the same for every ``n_jobs``.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.

    Attributes
    ----------
    estimator_ : estimator
        The members' prototype.
    estimators_ : list of estimators
        The fitted members.
    estimators_samples_ : list of ndarray
        Rows of each member's bag.
    estimators_features_ : list of ndarray
        Columns of each member.
    estimators_n_training_samples_ : list of int
        Rows each member was fitted on.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
        Accuracy of the out-of-bag prediction (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (with ``oob_score=True``).
    training_log_ : list of dict
        Per member: ``round``, ``seed``, ``n_samples`` and ``class_counts`` of its bag.
    evals_result_ : dict
    best_iteration_ : int or None
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import CompatibleBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = CompatibleBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.estimators_n_training_samples_
    [500, 500, 500, 500, 500]
    """

    _parameter_constraints = {
        k: v for k, v in _ResampledBagging._parameter_constraints.items()
        if k not in ("schedule", "sampling_strategy", "replacement")
    }

    # Every member sees its bag as drawn: no class targets to move through.
    schedule = "fixed"

    def __init__(self, estimator=None, n_estimators=50, *, max_samples=1.0, max_features=1.0,
                 bootstrap=True, bootstrap_features=False, oob_score=False, warm_start=False,
                 n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def _class_targets(self, y, counts):
        # The bag keeps the classes as drawn (a sampler, if any, balances it later).
        return counts

    def _predicted_class(self, proba):
        # scikit-learn's BaggingClassifier rule, kept by the drop-in and its subclass: a tie
        # goes to the first class of classes_, as a single member's own predict gives it.
        return self.classes_[proba.argmax(axis=1)]

    def _fit_rounds(self, X, y, sample_weight, rng):
        # Rows of zero weight add nothing to a member's fit, and a bag of only such rows
        # would leave its member nothing to learn from: bags are drawn among the others,
        # so a fit equals the fit on the rows of positive weight alone.
        self._pool = None
        if sample_weight is not None and not sample_weight.all():
            self._pool = np.flatnonzero(sample_weight)
            if self._pool.size == 0:  # newer scikit-learn's weight check refuses them first
                raise ValueError("sample_weight is zero for every row, so no bag can draw a "
                                 "row to fit on; give some rows a positive weight.")
        n_samples = X.shape[0] if self._pool is None else self._pool.size
        self._max_samples = (n_samples if self.max_samples is None
                             else self._resolve_size(self.max_samples, n_samples))
        try:
            return super()._fit_rounds(X, y, sample_weight, rng)
        finally:
            del self._pool

    def _draw_rows(self, targets, rows_by_class, rng):
        # Here max_samples sizes the bag drawn from the training set (scikit-learn's rule).
        pool = self._pool
        n_samples = (sum(rows.shape[0] for rows in rows_by_class.values()) if pool is None
                     else pool.size)
        if self._max_samples > n_samples:
            where = "" if pool is None else " of positive sample_weight"
            raise ValueError(f"max_samples={self.max_samples} must be at most the number "
                             f"of samples{where} ({n_samples}).")
        if self.bootstrap:
            rows = rng.randint(0, n_samples, self._max_samples)
        elif self._max_samples == n_samples:
            rows = np.arange(n_samples)
        else:
            rows = np.sort(rng.choice(n_samples, self._max_samples, replace=False))
        return rows if pool is None else pool[rows]


class BalancedBaggingClassifier(CompatibleBaggingClassifier):
    __doc__ = f"""Bagging where a sampler balances every bag: imbalanced-learn's BalancedBagging.

    Member ``i`` draws a bag of ``max_samples`` rows (with replacement when
    ``bootstrap=True``) and ``max_features`` columns, then fits the pipeline
    ``sampler -> estimator`` on it: the sampler (a random under-sampler by
    default) resamples the bag before the estimator sees it. The ensemble
    predicts the mean of the members' probabilities.

    Read more in Maclin R., Opitz D., "An empirical evaluation of bagging and
    boosting", AAAI 1997, and Hido S., Kashima H., Takahashi Y., "Roughly
    balanced bagging for imbalance data", Statistical Analysis and Data
    Mining 2(5-6), 2009. Parameters, defaults and fitted attributes are those of
    imbalanced-learn's ``BalancedBaggingClassifier``; :class:`UnderBaggingClassifier`
    draws the balanced sample directly (one draw per member) and adds a
    resampling schedule.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier fitted after the sampler; ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=10
        Number of members.
    {_BAG_PARAMS}
    sampling_strategy : float, str, dict or callable, default="auto"
        The default sampler's ``sampling_strategy`` (see
        :class:`imbtool.under_sampling.RandomUnderSampler`); unused with ``sampler``.
    replacement : bool, default=False
        The default sampler's ``replacement``; unused with ``sampler``.
    n_jobs : int, default=None
        Members fitted in parallel through joblib (threads).
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context, ``-1``
        every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the bags, the samplers and the estimators; results are the same
        for every ``n_jobs``.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per member.
    sampler : sampler object, default=None
        Any sampler (``fit_resample``); ``None`` means
        ``RandomUnderSampler(sampling_strategy=sampling_strategy, replacement=replacement)``.

    Attributes
    ----------
    estimator_ : Pipeline
        The ``sampler -> estimator`` prototype of the members.
    estimators_ : list of Pipeline
        The fitted members.
    sampler_ : sampler object
        The sampler prototype.
    samplers_ : list of sampler objects
        The fitted sampler of each member.
    pipelines_ : list of Pipeline
        Same as ``estimators_``.
    estimators_samples_ : list of ndarray
        Rows of each member's bag (before its sampler).
    estimators_features_ : list of ndarray
        Columns of each member.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
        Accuracy of the out-of-bag prediction (with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (with ``oob_score=True``).
    training_log_ : list of dict
        Per member: ``round``, ``n_samples`` and ``class_counts`` of its bag.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import BalancedBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = BalancedBaggingClassifier(random_state=0).fit(X, y)
    >>> len(clf.estimators_), type(clf.samplers_[0]).__name__
    (10, 'RandomUnderSampler')
    """

    _parameter_constraints = {
        **{k: v for k, v in _ResampledBagging._parameter_constraints.items() if k != "schedule"},
        "sampler": [HasMethods(["fit_resample"]), None],
    }

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=1.0, max_features=1.0,
                 bootstrap=True, bootstrap_features=False, oob_score=False, warm_start=False,
                 sampling_strategy="auto", replacement=False, n_jobs=None, random_state=None,
                 verbose=0, sampler=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.sampler = sampler

    def _allow_nan(self):
        # The sampler sees the data first; imbtool's samplers take no NaN.
        return False

    def _validate_estimator(self):
        estimator = super()._validate_estimator()
        self.sampler_ = (RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                            replacement=self.replacement)
                         if self.sampler is None else clone(self.sampler))
        return Pipeline([("sampler", self.sampler_), ("classifier", estimator)])

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, *, eval_set=None, eval_metric=None, early_stopping_rounds=None,
            max_samples=None, eval_datasets=None, eval_metrics=None, train_verbose=False):
        # As imbalanced-learn's: no sample_weight, the sampler decides which rows count.
        return self._fit_peer(X, y, None, eval_set, eval_metric, early_stopping_rounds,
                              max_samples, eval_datasets, eval_metrics, train_verbose)

    fit.__doc__ = _FIT_DOC.replace(_SAMPLE_WEIGHT_DOC, "")

    @property
    def samplers_(self):
        """The fitted sampler of each member."""
        return [pipeline.steps[0][1] for pipeline in self.estimators_]

    @property
    def pipelines_(self):
        """The fitted ``sampler -> estimator`` pipelines (``estimators_``)."""
        return self.estimators_


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
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Per-class sample counts, as imbalanced-learn's ``sampling_strategy`` for
        under-sampling; ``"auto"`` gives every class the smallest class's size.
    replacement : bool, default=False
        Draw each class's sample with replacement.
    max_samples, max_features : int or float, default=1.0
        See :class:`UnderBaggingClassifier`.
    bootstrap : bool, default=False
        Draw with replacement.
    bootstrap_features, oob_score : bool, default=False
        See :class:`UnderBaggingClassifier`.
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        See :class:`UnderBaggingClassifier`.
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
    estimator_ : Pipeline
        ``RandomUnderSampler -> estimator``, the members' prototype.
    estimators_ : list of Pipeline
        Per member, ``RandomUnderSampler -> AdaBoostClassifier`` (by default):
        the fitted classifier behind the under-sampler that, given the training
        set, draws its sample (same seed, ``replacement`` and per-class counts).
    samplers_ : list of RandomUnderSampler
    pipelines_ : list of Pipeline
        Same as ``estimators_``.
    estimators_samples_ : list of ndarray
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
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
    >>> [name for name, _ in clf.estimators_[0].steps]
    ['sampler', 'classifier']
    """

    # imbalanced-learn's order: EasyEnsembleClassifier(n_estimators=10, estimator=None, *, ...).
    @former_positional(("estimator", "n_estimators"))
    def __init__(self, n_estimators=10, estimator=None, *, warm_start=False,
                 sampling_strategy="auto", replacement=False, max_samples=1.0, max_features=1.0,
                 bootstrap=False, bootstrap_features=False, oob_score=False, schedule="fixed",
                 n_jobs=None, random_state=None, verbose=0):
        super().__init__(estimator, n_estimators, max_samples=max_samples,
                         max_features=max_features, bootstrap=bootstrap,
                         bootstrap_features=bootstrap_features, oob_score=oob_score,
                         warm_start=warm_start, sampling_strategy=sampling_strategy,
                         replacement=replacement, schedule=schedule, n_jobs=n_jobs,
                         random_state=random_state, verbose=verbose)

    def _default_estimator(self):
        return AdaBoostClassifier(n_estimators=10)

    def _validate_estimator(self):
        estimator = super()._validate_estimator()
        # EasyEnsemble is defined by its AdaBoost members; with any other member the
        # algorithm is under-bagging. imbalanced-ensemble warns here, and so do we (at fit,
        # not in __init__, scikit-learn's rule), so that the result is not mistaken for
        # EasyEnsemble's.
        final = estimator[-1] if isinstance(estimator, SklearnPipeline) else estimator
        if not isinstance(final, AdaBoostClassifier):
            warnings.warn(
                f"You are trying to set {type(estimator).__name__} as the estimator of "
                "EasyEnsembleClassifier: EasyEnsemble's members are AdaBoost ensembles, so "
                "with another estimator this is under-bagging, which "
                "UnderBaggingClassifier(estimator=..., bootstrap=False) fits without this "
                "warning.", ImbtoolUserWarning,
                # The caller of fit: past _fit_context's wrapper, fit and the three _fit layers.
                stacklevel=7)
        return estimator

    def _package(self, member, seed, targets):
        # imbalanced-learn's members are "under-sampler -> AdaBoost" pipelines. This
        # sampler, given the training set, draws the member's sample: the same seed
        # and per-class counts (a strategy that names every class) as the draw above.
        sampler = RandomUnderSampler(
            sampling_strategy=dict(zip(self.classes_.tolist(), targets.tolist())),
            replacement=self.bootstrap or self.replacement, random_state=seed)
        return Pipeline([("sampler", sampler), ("classifier", member)])

    def _fit(self, X, y, sample_weight=None, eval_set=None, eval_metric=None,
             early_stopping_rounds=None):
        super()._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)
        if not isinstance(self.estimator_, Pipeline):
            # The members' prototype, as imbalanced-learn's estimator_ shows it.
            self.estimator_ = Pipeline([
                ("sampler", RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                               replacement=self.bootstrap or self.replacement)),
                ("classifier", self.estimator_)])
        return self

    @property
    def samplers_(self):
        """The under-sampler of each member (see ``estimators_``)."""
        return [pipeline[0] for pipeline in self.estimators_]

    @property
    def pipelines_(self):
        """Same as ``estimators_``."""
        return self.estimators_

    @property
    def feature_importances_(self):
        """Mean of the members' classifiers' ``feature_importances_``."""
        check_is_fitted(self)
        return np.mean([pipeline[-1].feature_importances_ for pipeline in self.estimators_],
                       axis=0)


_TREE_DEFAULTS = {
    "criterion": "gini", "max_depth": None, "min_samples_split": 2, "min_samples_leaf": 1,
    "min_weight_fraction_leaf": 0.0, "max_features": "sqrt", "max_leaf_nodes": None,
    "min_impurity_decrease": 0.0, "class_weight": None, "ccp_alpha": 0.0,
    "monotonic_cst": None,
}


class BalancedRandomForestClassifier(UnderBaggingClassifier):
    """Balanced random forest: random-feature trees on balanced bootstrap samples.

    Every tree is grown on a sample of each class at the smallest class's
    size (drawn with replacement by default), choosing among
    ``sqrt(n_features)`` features at each split; the forest predicts the mean
    of the trees' probabilities.

    Read more in Chen C., Liaw A., Breiman L., "Using Random Forest to Learn
    Imbalanced Data", Tech. Rep. 666, UC Berkeley, 2004. Parameters, defaults
    and fitted attributes are imbalanced-learn's ``BalancedRandomForestClassifier``'s
    (imbalanced-ensemble's has ``n_estimators=50``, ``bootstrap=True``,
    ``sampling_strategy="auto"``, ``replacement=False``); ``estimator`` and
    ``schedule`` are imbtool's additions.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        The trees' split criterion.
    max_depth : int, default=None
        The trees' maximum depth.
    min_samples_split : int or float, default=2
        The trees' minimum samples to split a node.
    min_samples_leaf : int or float, default=1
        The trees' minimum samples in a leaf.
    min_weight_fraction_leaf : float, default=0.0
        The trees' minimum weight fraction in a leaf.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features the trees consider at each split.
    max_leaf_nodes : int, default=None
        The trees' maximum number of leaves.
    min_impurity_decrease : float, default=0.0
        The trees' minimum impurity decrease of a split.
    bootstrap : bool, default=False
        Grow each tree on a bootstrap (with replacement) of its balanced sample.
    oob_score : bool, default=False
        Score the forest on the rows out of each tree's sample
        (``oob_score_``, ``oob_decision_function_``); needs ``bootstrap=True``.
    sampling_strategy : float, str, dict or callable, default="all"
        Per-class sample counts, as :class:`imbtool.under_sampling.RandomUnderSampler`'s;
        ``"all"`` and ``"auto"`` give every class the smallest class's size.
    replacement : bool, default=True
        Draw each class's sample with replacement.
    n_jobs : int, default=None
        Trees fitted in parallel through joblib (threads).
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context, ``-1``
        every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the samples and the trees; results are the same for every ``n_jobs``.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per tree.
    warm_start : bool, default=False
        Keep the fitted trees and add new ones up to ``n_estimators``.
    class_weight : {"balanced", "balanced_subsample"}, dict, list of dicts or None, \
default=None
        The trees' ``class_weight``; ``"balanced_subsample"`` is ``"balanced"``
        on each tree's own sample.
    ccp_alpha : float, default=0.0
        The trees' pruning parameter.
    max_samples : int or float, default=None
        Size of each tree's bootstrap (with ``bootstrap=True``): a count, or a
        fraction of its balanced sample; ``None`` means the sample's size.
    monotonic_cst : array-like of int of shape (n_features,), default=None
        The trees' monotonicity constraints.
    estimator : estimator object, default=None
        Another member than the tree the parameters above describe (then
        leave those at their defaults).
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        See :class:`UnderBaggingClassifier`.

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
    estimators_ : list of DecisionTreeClassifier
    samplers_ : list of RandomUnderSampler
        Per tree, a random under-sampler with the tree's seed, ``sampling_strategy``
        and ``replacement``: with a strategy that names every class (``"all"``,
        the default), its ``fit_resample`` gives the tree's balanced sample (before
        its bootstrap).
    pipelines_ : list of Pipeline
        Per tree, ``samplers_[i] -> estimators_[i]``.
    estimators_samples_ : list of ndarray
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
    feature_importances_ : ndarray of shape (n_features,)
    training_log_ : list of dict
    evals_result_ : dict
    best_iteration_ : int or None
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> brf = BalancedRandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> brf.feature_importances_.shape
    (20,)
    """

    _parameter_constraints = {
        **{k: v for k, v in UnderBaggingClassifier._parameter_constraints.items()
           if k not in ("max_features", "bootstrap_features", "max_samples")},
        **{k: v for k, v in DecisionTreeClassifier._parameter_constraints.items()
           if k in _TREE_DEFAULTS and k != "class_weight"},
        "class_weight": [StrOptions({"balanced", "balanced_subsample"}), dict, list, None],
        "max_samples": [None, Interval(numbers.Integral, 1, None, closed="left"),
                        Interval(numbers.Real, 0, 1, closed="right")],
    }

    # The trees draw their split features (max_features is theirs): no column bags.
    bootstrap_features = False

    # imbalanced-learn's order: BalancedRandomForestClassifier(n_estimators=100, *, ...).
    @former_positional(("estimator", "n_estimators"))
    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease=0.0,
                 bootstrap=False, oob_score=False, sampling_strategy="all", replacement=True,
                 n_jobs=None, random_state=None, verbose=0, warm_start=False,
                 class_weight=None, ccp_alpha=0.0, max_samples=None, monotonic_cst=None,
                 estimator=None, schedule="fixed"):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples
        self.monotonic_cst = monotonic_cst
        self.estimator = estimator
        self.schedule = schedule

    def _tree_settings(self):
        settings = {name: getattr(self, name) for name in _TREE_DEFAULTS}
        if settings["class_weight"] == "balanced_subsample":
            # Each tree fits its own sample, so "balanced" on it is the forest's
            # "balanced_subsample".
            settings["class_weight"] = "balanced"
        return settings

    def _check_params(self):
        if self.max_samples is not None and not self.bootstrap:
            raise ValueError("max_samples sizes each tree's bootstrap; it needs bootstrap=True.")
        changed = sorted(name for name, default in _TREE_DEFAULTS.items()
                         if getattr(self, name) != default)
        if self.estimator is not None and changed:
            raise ValueError(
                f"{changed} set the default tree's parameters, but estimator="
                f"{self.estimator!r} is given; set them on the estimator instead."
            )

    def _default_estimator(self):
        return DecisionTreeClassifier(**self._tree_settings())

    def _bag_features(self, n_features):
        return n_features

    def _draw_rows(self, targets, rows_by_class, rng):
        # imbalanced-learn's forest: each class is drawn to its target (with
        # replacement when replacement=True), then with bootstrap=True each tree
        # takes a bootstrap of that sample, of max_samples rows.
        rows = np.concatenate([
            rng.choice(rows, targets[c], replace=self.replacement or targets[c] > rows.shape[0])
            for c, rows in rows_by_class.items()
        ])
        if not self.bootstrap:
            return rows
        size = (rows.shape[0] if self.max_samples is None
                else self._resolve_size(self.max_samples, rows.shape[0]))
        return rows[rng.randint(0, rows.shape[0], size)]

    @property
    def samplers_(self):
        """Per tree, the random under-sampler that draws its sample (see Attributes)."""
        check_is_fitted(self)
        return [RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                   replacement=self.replacement,
                                   random_state=log["seed"])
                for log in self.training_log_[:len(self.estimators_)]]

    @property
    def pipelines_(self):
        """Per tree, ``samplers_[i] -> estimators_[i]``."""
        return [make_pipeline(sampler, tree)
                for sampler, tree in zip(self.samplers_, self.estimators_)]


class OverBaggingClassifier(UnderBaggingClassifier):
    """OverBagging: bagging on balanced random over-samples.

    Every member takes a bootstrap sample of each class at its own size and
    then tops each class up to its target (the largest class's size by
    default) with rows repeated at random from that bootstrap sample, as
    random over-sampling of the bag does in imbalanced-ensemble's
    ``OverBaggingClassifier``. A member so sees about 63% of a small class's
    distinct rows, which keeps the members diverse.

    Read more in Wang S., Yao X., "Diversity analysis on imbalanced data sets
    by using ensemble models", IEEE CIDM 2009.

    Parameters
    ----------
    estimator : estimator object, default=None
        ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    max_samples : int or float, default=1.0
        Rows of each member: a count, or a fraction of its resampled rows.
    max_features : int or float, default=1.0
        Columns of each member: a count, or a fraction of the features.
    bootstrap : bool, default=True
        Bootstrap each class at its own size before the top-up; False starts
        from every row of the class once.
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Score the ensemble on the rows out of each member's sample
        (``oob_score_``, ``oob_decision_function_``); needs ``bootstrap=True``.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Per-class sample counts of every member, as imbalanced-learn's
        ``sampling_strategy`` for over-sampling (the counts to reach);
        ``"auto"`` gives every class the largest class's size.
    replacement : bool, default=False
        Bootstrap each class before the top-up (as ``bootstrap=True``).
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        "fixed": every class at the largest class's size; "progressive": from
        the original to those counts; or a callable, see
        :class:`UnderBaggingClassifier`.
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

    def _draw_rows(self, targets, rows_by_class, rng):
        # The bag, then random over-sampling within it: repeats come from the bag, not
        # from the whole class. Drawing every class straight to its target from all its
        # rows put nearly every minority row in every member (n_max draws from n_min
        # rows), which made the members alike: AP 0.026 below imbalanced-ensemble's on
        # the KEEL sets of benchmarks/bench_compat_results.py.
        rows = []
        for c, class_rows in rows_by_class.items():  # classes in visit order
            target = targets[c]
            bag = (rng.choice(class_rows, class_rows.shape[0])
                   if self.bootstrap or self.replacement else class_rows)
            if target < bag.shape[0]:
                rows.append(rng.choice(bag, target, replace=False))
            else:
                rows += [bag, rng.choice(bag, target - bag.shape[0])]
        return self._subsample(np.concatenate(rows), rng)


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
    max_samples : int or float, default=1.0
        Rows of each member: a count, or a fraction of its resampled rows.
    max_features : int or float, default=1.0
        Columns of each member: a count, or a fraction of the features.
    bootstrap : bool, default=True
        Bootstrap each class before SMOTE.
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Score the ensemble on the rows out of each member's sample
        (``oob_score_``, ``oob_decision_function_``); needs ``bootstrap=True``.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Per-class sample counts of every member, as imbalanced-learn's
        ``sampling_strategy`` for over-sampling (the counts to reach);
        ``"auto"`` gives every class the largest class's size.
    replacement : bool, default=False
        Bootstrap each class before SMOTE (as ``bootstrap=True``).
    schedule : {"fixed", "progressive"} or callable, default="fixed"
        See :class:`OverBaggingClassifier`.
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

    def __init__(self, estimator=None, n_estimators=50, *, k_neighbors=5, max_samples=1.0,
                 max_features=1.0, bootstrap=True, bootstrap_features=False, oob_score=False,
                 warm_start=False, sampling_strategy="auto", replacement=False,
                 schedule="fixed", synthetic_weight="seed", n_jobs=None, random_state=None,
                 verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.k_neighbors = k_neighbors
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.schedule = schedule
        self.synthetic_weight = synthetic_weight
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def _draw_rows(self, targets, rows_by_class, rng):
        # The bootstrap keeps each class's own size; SMOTE supplies the rest.
        if not (self.bootstrap or self.replacement):
            return self._subsample(np.concatenate(list(rows_by_class.values())), rng)
        return self._subsample(
            np.concatenate([rng.choice(rows, rows.shape[0]) for rows in rows_by_class.values()]),
            rng)

    def _resample(self, X, y, sample_weight, rows, targets, rng):
        return smote_resample(X[rows], y[rows], None if sample_weight is None
                              else sample_weight[rows], targets, self.k_neighbors, rng,
                              synthetic_weight=self.synthetic_weight)
