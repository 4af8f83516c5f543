"""TunedThresholdClassifier: exact, constrained and cost-aware decision thresholds."""

import numbers
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedShuffleSplit, check_cv
from sklearn.utils import _safe_indexing, check_random_state, get_tags
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    StrOptions,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    column_or_1d,
    indexable,
)

from ..utils._costs import check_cost_matrix
from ..utils._pos_label import resolve_pos_label
from ..utils._response import response_values
from ..utils._sweep import threshold_curve
from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolFutureWarning, ImbtoolUserWarning
from ._multiclass import check_multiclass_objective, tune_offsets
from ._objectives import ExpectedCost, Objective, resolve_objective

_AGGREGATIONS = ("pool", "average")


def _estimator_has(attr):
    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, attr)
        inner = self._default_estimator() if self.estimator is None else self.estimator
        return hasattr(inner, attr)

    return check


def _fit_and_score(estimator, X, y, train, val, fit_params, response_method, pos_index):
    fitted = clone(estimator).fit(_safe_indexing(X, train), _safe_indexing(y, train), **{
        key: _safe_indexing(value, train) for key, value in fit_params.items()
    })
    return fitted, response_values(fitted, _safe_indexing(X, val), response_method, pos_index)


class TunedThresholdClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classifier whose decision threshold is tuned exactly on out-of-fold scores.

    The estimator is fitted once per cross-validation fold; its scores on the
    held-out parts are collected, sorted once, and the confusion counts at
    every distinct score come from cumulative sums, so the objective is
    evaluated at every threshold that changes a prediction in O(n log n) --
    an exact maximiser, not a grid. A sample is predicted positive when its
    score is ``>= best_threshold_``, as in scikit-learn.

    **Tie rule.** The objective is a step function of the threshold. Cuts whose
    value is within a relative 1e-12 of the best tie (a constrained objective
    then keeps the ties that meet its bound by the widest margin); the lower
    median of the tied cuts is taken, and ``best_threshold_`` is the midpoint of
    the score interval covered by the run of consecutive optimal cuts around
    it. A threshold in the middle of a plateau is the one least sensitive to
    small shifts of new scores.

    Multiclass targets get per-class additive offsets on the log-probabilities
    (or decision values), ``predict = argmax(scores + offsets_)``, tuned by
    coordinate ascent in which every coordinate step is an exact sweep over
    the breakpoints of that class's offset; the objectives "accuracy",
    "balanced_accuracy", "f1_macro" and :class:`ExpectedCost` are available.

    Parameters
    ----------
    estimator : classifier, default=None
        Classifier with ``predict_proba`` or ``decision_function``. None means
        ``LogisticRegression()``. With ``cv="prefit"`` it must be fitted.
    scoring : str, Objective or callable, default=None
        The objective to optimise (``scoring``, as in scikit-learn's
        ``TunedThresholdClassifierCV``); None means "balanced_accuracy".
        Binary: "f1", "f2", "f0.5", "precision", "recall", "accuracy",
        "balanced_accuracy", "g_mean", "youden_j", "mcc", "cohen_kappa",
        "expected_cost" (0-1 cost); an :class:`Objective` such as
        :class:`FBeta`, :class:`ExpectedCost`, :class:`RecallAtPrecision`,
        :class:`PrecisionAtRecall`, :class:`TPRAtFPR`; or a callable
        ``f(tp, fp, fn, tn) -> ndarray`` vectorised over cuts (greater is
        better; wrap it in :class:`CountMetric` to say otherwise).
    objective : str, Objective or callable
        Deprecated name of ``scoring``; it still works, with a
        ``FutureWarning``, and will be removed in 0.2. Give
        ``scoring`` or ``objective``, not both.
    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        Scores to threshold; "auto" tries ``predict_proba`` first.
    pos_label : int, float, bool or str, default=None
        Positive class (binary): the class the objective scores (the F-beta,
        precision, recall, MCC, ... of this class; the "positive" of
        :class:`ExpectedCost`'s false positives and negatives and of the
        constrained objectives) and whose score is thresholded. None means
        the minority class of the ``y`` passed to ``fit`` (counted in rows,
        not sample weights); when both classes have the same number of rows,
        the greater label ``classes_[1]``, with a warning. ``classes_`` and
        the columns of ``predict_proba`` stay in sorted order whichever class
        is positive.
    cv : int, cross-validation generator, iterable, float in (0, 1) or "prefit", default=5
        Integers give ``StratifiedKFold``; a float holds out that share once
        (``StratifiedShuffleSplit``); "prefit" uses the fitted ``estimator`` as is
        and tunes on the data passed to ``fit``.
    refit : bool, default=True
        Refit the estimator on all data after tuning. False needs a single
        split (then its model is kept) and is implied by ``cv="prefit"``.
    fold_aggregation : {"pool", "average"}, default="pool"
        "pool": concatenate the held-out scores of all folds and sweep them
        together -- one curve over all samples, which assumes the fold
        models' scores are on a common scale. "average": compute the objective
        in each fold and average over folds at every distinct held-out score
        (what scikit-learn's ``TunedThresholdClassifierCV`` approximates on a
        grid by interpolation); still exact. Binary only.
    n_bootstraps : int, default=0
        Replicates of a stratified bootstrap of the held-out (score, label)
        pairs; each re-runs the sweep. Gives ``threshold_interval_`` and
        ``score_interval_``. Binary only.
    confidence : float in (0, 1), default=0.95
        Coverage of the bootstrap percentile intervals.
    max_iter : int, default=10
        Coordinate-ascent passes over the classes (multiclass).
    n_jobs : int, default=None
        Folds fitted in parallel (joblib). ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor
        (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seed of the float-``cv`` split and of the bootstrap.
    store_cv_results : bool, default=False
        Keep the whole curve in ``cv_results_``.

    Attributes
    ----------
    estimator_ : classifier
        The fitted classifier used by ``predict``.
    classes_ : ndarray
        Sorted class labels.
    pos_label_ : object or None
        Binary: the positive class, ``pos_label`` resolved on the training
        labels. None for multiclass targets.
    best_threshold_ : float
        Binary: predict ``pos_label_`` when its score is >= this (``inf``:
        never).
    scorer_ : Objective or str
        The objective tuned: ``scoring`` resolved to an :class:`Objective`
        (binary), or the multiclass objective as given.
    best_score_ : float
        Objective at ``best_threshold_`` on the held-out scores (for
        :class:`ExpectedCost`, the expected cost per sample, minimised).
    offsets_ : ndarray of shape (n_classes,)
        Multiclass only.
    threshold_interval_, score_interval_ : tuple of float
        Bootstrap intervals (when ``n_bootstraps > 0``).
    cv_results_ : dict
        With ``store_cv_results=True``: "thresholds" and "scores" at every cut,
        the objective's components (e.g. "precision", "recall") and, when
        pooled, the counts "tp", "fp", "fn", "tn"; bootstrap replicates under
        "bootstrap_thresholds" and "bootstrap_scores".

    References
    ----------
    Balancing the Scales (SMOTE vs class weights vs decision-threshold
    calibration, 15 classifiers x 30 data sets): threshold calibration was the
    most consistently effective remedy.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.threshold import TunedThresholdClassifier
    >>> X, y = make_classification(500, weights=[0.9], random_state=0)
    >>> clf = TunedThresholdClassifier(scoring="f1").fit(X, y)
    >>> 0 < clf.best_threshold_ < 1, round(clf.best_score_, 3) > 0.5
    (True, True)

    The positive class is the minority class whatever its label, so naming
    the classes changes nothing:

    >>> import numpy as np
    >>> named = TunedThresholdClassifier(scoring="f1").fit(X, np.where(y == 1, "fraud", "ok"))
    >>> str(named.pos_label_), bool(np.isclose(named.best_score_, clf.best_score_))
    ('fraud', True)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"]), None],
        "scoring": [str, Objective, callable, None],
        "objective": [str, Objective, callable, Hidden(StrOptions({"deprecated"}))],
        "response_method": [StrOptions({"auto", "predict_proba", "decision_function"})],
        "pos_label": [Interval(numbers.Real, None, None, closed="neither"), str, "boolean", None],
        "cv": ["cv_object", Interval(numbers.Real, 0, 1, closed="neither"), StrOptions({"prefit"})],
        "refit": ["boolean"],
        "fold_aggregation": [StrOptions(set(_AGGREGATIONS))],
        "n_bootstraps": [Interval(numbers.Integral, 0, None, closed="left")],
        "confidence": [Interval(numbers.Real, 0, 1, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": N_JOBS_CONSTRAINT,
        "random_state": ["random_state"],
        "store_cv_results": ["boolean"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        scoring=None,
        objective="deprecated",
        response_method="auto",
        pos_label=None,
        cv=5,
        refit=True,
        fold_aggregation="pool",
        n_bootstraps=0,
        confidence=0.95,
        max_iter=10,
        n_jobs=None,
        random_state=None,
        store_cv_results=False,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.objective = objective
        self.response_method = response_method
        self.pos_label = pos_label
        self.cv = cv
        self.refit = refit
        self.fold_aggregation = fold_aggregation
        self.n_bootstraps = n_bootstraps
        self.confidence = confidence
        self.max_iter = max_iter
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.store_cv_results = store_cv_results

    @staticmethod
    def _default_estimator():
        return LogisticRegression()

    def _scoring(self):
        """``scoring``, or the deprecated ``objective`` with its warning."""
        if isinstance(self.objective, str) and self.objective == "deprecated":
            return "balanced_accuracy" if self.scoring is None else self.scoring
        if self.scoring is not None:
            raise InvalidParameterError(
                "Both scoring and objective were given; objective is the deprecated name of "
                "scoring: give scoring only."
            )
        warnings.warn(
            "The objective parameter of TunedThresholdClassifier is deprecated since 0.1 and will "
            "be removed in 0.2; use scoring, as in scikit-learn's TunedThresholdClassifierCV.",
            ImbtoolFutureWarning,
            stacklevel=4,  # the caller of fit, past _fit_context's wrapper
        )
        return self.objective

    def _splits(self, X, y):
        if isinstance(self.cv, str):
            if self.refit:
                raise ValueError("cv='prefit' uses the fitted estimator as is; set refit=False.")
            return None
        if isinstance(self.cv, numbers.Real) and not isinstance(self.cv, numbers.Integral):
            splitter = StratifiedShuffleSplit(1, test_size=self.cv, random_state=self.random_state)
        else:
            splitter = check_cv(self.cv, y, classifier=True)
        splits = list(splitter.split(X, y))
        if not self.refit and len(splits) > 1:
            raise ValueError(
                "refit=False keeps the model of a single split, but cv gives "
                f"{len(splits)} splits; use refit=True, a float cv or cv='prefit'."
            )
        return splits

    def _check_folds(self, y, splits, n_classes, per_fold):
        for i, (train, val) in enumerate(splits):
            for part, idx in (("training", train), ("held-out", val)):
                if part == "held-out" and not per_fold:
                    continue
                present = np.unique(y[idx]).size
                if present < n_classes:
                    raise ValueError(
                        f"Fold {i} has {present} of the {n_classes} classes in its {part} part; "
                        "every fold needs all classes. Use StratifiedKFold (the default for an "
                        "integer cv) or fewer folds."
                    )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, sample_cost=None, **fit_params):
        """Fit the estimator per fold, tune the threshold (or offsets), then refit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the estimator's ``fit`` and used as weights of the
            confusion counts.
        sample_cost : array-like of shape (n_samples, n_classes, n_classes), default=None
            Per-sample cost matrices ``C_i[true, pred]`` for an
            :class:`ExpectedCost` objective (see :func:`make_cost_matrix`):
            binary matrices in the order negative, positive (``pos_label_``
            second, as :func:`make_cost_matrix` builds them), multiclass ones
            in ``classes_`` order.
        **fit_params : dict
            Passed to the estimator's ``fit`` (per-sample arrays are split
            with the folds).

        Returns
        -------
        self : TunedThresholdClassifier
        """
        objective = self._scoring()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        X, y = indexable(X, y)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        estimator = self._default_estimator() if self.estimator is None else self.estimator
        splits = self._splits(X, y)
        if splits is None:
            try:
                check_is_fitted(estimator, "classes_")
            except NotFittedError as exc:
                raise NotFittedError("cv='prefit' needs a fitted estimator; fit it first.") from exc
            classes = np.asarray(estimator.classes_)
        else:
            classes = np.unique(y)
        if classes.size < 2:
            raise ValueError(
                "TunedThresholdClassifier needs at least two classes in y; got only "
                f"{classes.tolist()}."
            )
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
            fit_params = {**fit_params, "sample_weight": sample_weight}
        binary = classes.size == 2
        if binary:
            tuned = resolve_objective(objective)
        else:
            name, cost_matrix = check_multiclass_objective(objective, classes.size)
            if self.n_bootstraps:
                raise ValueError("n_bootstraps is available for binary targets only; set it to 0.")
        if sample_cost is not None:
            if not (isinstance(objective, ExpectedCost) or objective == "expected_cost"):
                raise ValueError(
                    "sample_cost is used by an ExpectedCost objective only; set "
                    "scoring=ExpectedCost()."
                )
            sample_cost = check_cost_matrix(sample_cost, classes.size, per_sample=True,
                                            name="sample_cost")
            if sample_cost.ndim != 3 or len(sample_cost) != len(y):
                raise ValueError(
                    f"sample_cost must have shape ({len(y)}, {classes.size}, {classes.size}); "
                    f"got {sample_cost.shape}."
                )

        if binary:
            pos_label = resolve_pos_label(y, self.pos_label, classes=classes)
            pos_index = classes.tolist().index(pos_label)
        else:
            pos_label, pos_index = None, None

        if splits is None:
            unknown = np.setdiff1d(np.unique(y), classes)
            if unknown.size:
                raise ValueError(
                    f"y holds labels {unknown.tolist()[:10]} the prefit estimator does not know "
                    f"(classes_: {classes.tolist()})."
                )
            self.estimator_ = estimator
            groups = [np.arange(len(y))]
            scores = [response_values(estimator, X, self.response_method, pos_index)]
        else:
            self._check_folds(y, splits, classes.size,
                              binary and self.fold_aggregation == "average")
            fitted = Parallel(n_jobs=self.n_jobs)(
                delayed(_fit_and_score)(
                    estimator, X, y, train, val, fit_params, self.response_method, pos_index
                )
                for train, val in splits
            )
            groups = [val for _, val in splits]
            scores = [s for _, s in fitted]
            if self.refit:
                self.estimator_ = clone(estimator).fit(X, y, **fit_params)
            else:
                self.estimator_ = fitted[0][0]

        self.classes_ = classes
        self.pos_label_ = pos_label
        self.scorer_ = tuned if binary else objective
        w = sample_weight
        if all(np.ptp(s, axis=0).max() == 0 for s in scores):
            warnings.warn(
                f"{type(estimator).__name__} gives constant scores within every held-out fold: "
                "no threshold separates any samples there, so the result is close to "
                "'all positive' or 'all negative'. Check the estimator and its features.",
                ImbtoolUserWarning,
                stacklevel=3,  # the caller of fit, past _fit_context's wrapper
            )
        if binary:
            target = (y == pos_label).astype(np.int64)
            if self.fold_aggregation == "pool":
                groups, scores = [np.concatenate(groups)], [np.concatenate(scores)]
            data = [
                (target[g], s, None if w is None else w[g],
                 None if sample_cost is None else sample_cost[g])
                for g, s in zip(groups, scores)
            ]
            self._tune_binary(tuned, data)
        else:
            index = np.concatenate(groups)
            y_index = np.searchsorted(classes, y[index])
            cost = cost_matrix if sample_cost is None else sample_cost[index]
            self.offsets_, self.best_score_, self.n_iter_ = tune_offsets(
                y_index, np.concatenate(scores), name, cost,
                None if w is None else w[index], self.max_iter,
            )
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        return self

    def _tune_binary(self, objective, data):
        curve = threshold_curve(objective, data)
        if curve.index is None:
            raise ValueError(objective.infeasible_message(curve.parts))
        self.best_threshold_ = float(curve.threshold)
        self.best_score_ = float(curve.result.score[curve.index])
        if self.n_bootstraps:
            rng = check_random_state(self.random_state)
            replicates = np.array([threshold_curve(objective, _resample(data, rng), summary=True)
                                   for _ in range(self.n_bootstraps)])
            tail = 100 * (1 - self.confidence) / 2
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                bounds = [tail, 100 - tail]
                self.threshold_interval_ = tuple(np.nanpercentile(replicates[:, 0], bounds))
                self.score_interval_ = tuple(np.nanpercentile(replicates[:, 1], bounds))
        if self.store_cv_results:
            self.cv_results_ = {"thresholds": curve.thresholds, "scores": curve.result.score,
                                **curve.parts}
            if len(data) == 1:
                self.cv_results_.update({k: curve.counts[k] for k in ("tp", "fp", "fn", "tn")})
            if self.n_bootstraps:
                self.cv_results_["bootstrap_thresholds"] = replicates[:, 0]
                self.cv_results_["bootstrap_scores"] = replicates[:, 1]

    def _check_fitted(self):
        check_is_fitted(self, "estimator_")

    def predict(self, X):
        """Predict with the tuned threshold (binary) or offsets (multiclass).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        self._check_fitted()
        if self.classes_.size == 2:
            pos_index = self.classes_.tolist().index(self.pos_label_)
            score = response_values(self.estimator_, X, self.response_method, pos_index)
            return np.where(score >= self.best_threshold_, self.classes_[pos_index],
                            self.classes_[1 - pos_index])
        scores = response_values(self.estimator_, X, self.response_method)
        return self.classes_[np.argmax(scores + self.offsets_, axis=1)]

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the fitted estimator (not moved by the threshold).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        self._check_fitted()
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log-probabilities of the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        self._check_fitted()
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        self._check_fitted()
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()

        inner = self._default_estimator() if self.estimator is None else self.estimator
        tags.input_tags.sparse = get_tags(inner).input_tags.sparse
        return tags


def _resample(data, rng):
    """Stratified bootstrap of each group of (y, score, weight, cost)."""
    out = []
    for y, score, w, cost in data:
        idx = np.concatenate([rng.choice(members, members.size)
                              for members in (np.flatnonzero(y == 0), np.flatnonzero(y == 1))])
        out.append((y[idx], score[idx], None if w is None else w[idx],
                    None if cost is None else cost[idx]))
    return out
