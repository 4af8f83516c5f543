"""Make any scikit-learn classifier cost-sensitive.

By weighting, rejection sampling, MetaCost or Bayes minimum risk.
"""

import numbers

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    _num_samples,
    check_is_fitted,
    has_fit_parameter,
    validate_data,
)

from ..utils._compat import routing_enabled
from ..utils._costs import check_cost_matrix
from ..utils._threads import N_JOBS_CONSTRAINT
from ._weights import check_weighted_classes, class_weight_from_costs, compute_class_weight

METHODS = ("weighting", "rejection_sampling", "metacost", "bayes_risk")


def _fit_weighted(estimator, X, y, weight, params, source="sample_weight"):
    """Fit ``estimator`` with per-sample weights, through a Pipeline if need be.

    ``source`` names what the weights hold, for the error message.
    """
    if weight is None:
        return estimator.fit(X, y, **params)
    if routing_enabled():
        # A Pipeline routes sample_weight to the steps that requested it, and
        # raises if none did; a plain estimator takes it directly.
        return estimator.fit(X, y, sample_weight=weight, **params)
    final = estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator
    if not has_fit_parameter(final, "sample_weight"):
        raise TypeError(
            f"{type(final).__name__}.fit takes no sample_weight, through which this method "
            f"applies {source}; use method='rejection_sampling', which needs no weights."
        )
    if isinstance(estimator, Pipeline):
        return estimator.fit(X, y, **{f"{estimator.steps[-1][0]}__sample_weight": weight}, **params)
    return estimator.fit(X, y, sample_weight=weight, **params)


def _proba_on(estimator, X, classes):
    """``predict_proba`` with columns for all ``classes`` (zeros for classes it never saw)."""
    proba = estimator.predict_proba(X)
    if len(estimator.classes_) == len(classes):
        return proba
    full = np.zeros((proba.shape[0], len(classes)))
    full[:, np.searchsorted(classes, estimator.classes_)] = proba
    return full


def _fit_member(estimator, X, y, rows, params):
    return _fit_weighted(clone(estimator), X[rows], y[rows], None, params)


class CostSensitiveClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Turn misclassification costs into a cost-sensitive classifier, for any estimator.

    Costs are given per class (``class_weight``), as a cost matrix, or per
    sample (``sample_cost`` in ``fit``, e.g. a transaction amount), and used
    by one of four methods:

    - ``"weighting"``: the estimator is fitted with per-sample weights equal
      to the cost of misclassifying each sample (through a Pipeline to its
      final step; scikit-learn metadata routing is respected).
    - ``"rejection_sampling"``: cost-proportionate rejection sampling
      ("Costing", Zadrozny, Langford and Abe, ICDM 2003): each of
      ``n_resamples`` members is fitted, without weights, on a subsample that
      keeps sample ``i`` with probability ``cost_i / max(cost)``; their
      probabilities are averaged (votes without ``predict_proba``). For
      estimators that take no weights.
    - ``"metacost"``: MetaCost (Domingos, KDD 1999): ``n_resamples``
      bootstrap members estimate each training sample's class probabilities
      (from the members whose bag left it out), every sample is relabelled to
      its cost-minimising class, and the estimator is refitted on the new
      labels.
    - ``"bayes_risk"``: the estimator is fitted unchanged (optionally
      calibrated) and predicts the class of minimum expected cost,
      ``argmin_k sum_j P(j|x) cost_matrix[j, k]``.

    Parameters
    ----------
    estimator : estimator, default=None
        A classifier (or Pipeline ending in one). None:
        ``LogisticRegression(max_iter=1000)``.
    class_weight : None, "balanced", "effective_number" or dict, default=None
        Cost of misclassifying a sample of each class; see
        :func:`compute_class_weight`. When both this and ``cost_matrix`` are
        None, ``"balanced"`` is used. Give one or the other, not both.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]``: cost of predicting ``classes_[j]`` when the
        truth is ``classes_[i]`` (scikit-learn's ``confusion_matrix`` layout,
        the one every imbtool cost matrix follows). Rows and columns are in
        sorted label order, not negative/positive order, so no positive class
        is involved: with labels "fraud"/"ok", row 0 is "fraud". Non-negative, with correct
        predictions costing no more than wrong ones. For weighting and rejection sampling
        it becomes the class weights ``mean_j (C[i, j] - C[i, i])`` over the
        other classes (exact for two classes).
    method : {"weighting", "rejection_sampling", "metacost", "bayes_risk"}, default="weighting"
    beta : float in [0, 1), default=0.999
        ``beta`` of ``class_weight="effective_number"`` (Cui et al., CVPR 2019).
    n_resamples : int, default=10
        Members of rejection sampling and MetaCost.
    calibration : {None, "sigmoid", "isotonic"}, default=None
        For ``"bayes_risk"``: calibrate the estimator's probabilities with
        ``CalibratedClassifierCV(method=calibration)`` before deciding.
    random_state : int, RandomState instance or None, default=None
    n_jobs : int, default=None
        Members fitted in parallel (joblib). ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor
        (joblib's rule).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs used (derived from the class weights when no matrix was given;
        None when costs were given per sample).
    class_weight_ : ndarray of shape (n_classes,)
        Per-class misclassification costs (None with ``sample_cost``).
    estimator_ : estimator
        The fitted estimator (weighting, MetaCost, Bayes risk).
    estimators_ : list of estimators
        The members (rejection sampling; MetaCost's probability estimators).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbtool.cost import CostSensitiveClassifier
    >>> from imbtool.datasets import load_dataset
    >>> X, y = load_dataset("pima", return_X_y=True)
    >>> clf = CostSensitiveClassifier(cost_matrix=[[0, 1], [5, 0]], method="bayes_risk").fit(X, y)
    >>> bool(clf.predict(X).mean() > y.mean())  # false negatives are dear: more positives
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "class_weight": [StrOptions({"balanced", "effective_number"}), dict, None],
        "cost_matrix": ["array-like", None],
        "method": [StrOptions(set(METHODS))],
        "beta": [Interval(numbers.Real, 0, 1, closed="left")],
        "n_resamples": [Interval(numbers.Integral, 1, None, closed="left")],
        "calibration": [StrOptions({"sigmoid", "isotonic"}), None],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        estimator=None,
        *,
        class_weight=None,
        cost_matrix=None,
        method="weighting",
        beta=0.999,
        n_resamples=10,
        calibration=None,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.class_weight = class_weight
        self.cost_matrix = cost_matrix
        self.method = method
        self.beta = beta
        self.n_resamples = n_resamples
        self.calibration = calibration
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _base_estimator(self):
        return LogisticRegression(max_iter=1000) if self.estimator is None else self.estimator

    def get_metadata_routing(self):
        """Get the metadata routing of this object.

        ``sample_weight`` and ``sample_cost`` are consumed here; the other fit
        parameters are routed to the estimator's ``fit``.

        Returns
        -------
        routing : MetadataRouter
            The routing information of this object.
        """
        return (
            MetadataRouter(owner=type(self).__name__)
            .add_self_request(self)
            .add(estimator=self._base_estimator(),
                 method_mapping=MethodMapping().add(caller="fit", callee="fit"))
        )

    def _costs(self, y, sample_weight):
        """Per-class weights and cost matrix implied by the parameters."""
        n_classes = len(self.classes_)
        if self.cost_matrix is not None:
            matrix = check_cost_matrix(self.cost_matrix, n_classes)
            return class_weight_from_costs(matrix), matrix
        weights = compute_class_weight(self.class_weight or "balanced", y=y, classes=self.classes_,
                                       beta=self.beta, sample_weight=sample_weight)
        return weights, weights[:, None] * (1.0 - np.eye(n_classes))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, sample_cost=None, **fit_params):
        """Fit the cost-sensitive classifier.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Ordinary sample weights, multiplied into the cost weights.
        sample_cost : array-like of shape (n_samples,), default=None
            Example-dependent costs: the cost of misclassifying each training
            sample (e.g. the amount of a fraudulent transaction, the fixed
            cost of investigating a legitimate one). Replaces the class-level
            costs; supported by ``"weighting"`` and ``"rejection_sampling"``.
        **fit_params : dict
            Passed to the estimator's ``fit`` (routed by request when metadata
            routing is enabled).

        Returns
        -------
        self
        """
        if self.cost_matrix is not None and self.class_weight is not None:
            raise InvalidParameterError("Give either class_weight or cost_matrix, not both "
                                        "(set class_weight=None to use the cost matrix).")
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], ensure_all_finite=False,
                             dtype=None, reset=True)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("CostSensitiveClassifier needs at least 2 classes in y; got one "
                             f"class, {self.classes_[0]!r}.")
        if routing_enabled():
            params = process_routing(self, "fit", **fit_params).estimator.fit
        else:
            params = fit_params
        weight = (None if sample_weight is None
                  else _check_sample_weight(sample_weight, X, ensure_non_negative=True))
        check_weighted_classes(y, weight, self.classes_, type(self).__name__)

        if sample_cost is not None:
            if self.method not in ("weighting", "rejection_sampling"):
                raise ValueError("sample_cost (example-dependent costs) is supported by "
                                 "method='weighting' and 'rejection_sampling', not "
                                 f"{self.method!r}.")
            if self.class_weight is not None or self.cost_matrix is not None:
                raise ValueError("sample_cost replaces the class-level costs; leave class_weight "
                                 "and cost_matrix at None when giving it.")
            # Checked here rather than by scikit-learn's sample-weight check, whose messages
            # would name sample_weight.
            try:
                cost = np.asarray(sample_cost, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError("sample_cost must be numbers, one cost per sample.") from None
            if cost.shape != (_num_samples(X),):
                raise ValueError(f"sample_cost must have shape ({_num_samples(X)},), one cost per "
                                 f"sample of X; got shape {cost.shape}.")
            if not np.all(np.isfinite(cost)) or np.any(cost < 0):
                raise ValueError(
                    "sample_cost must hold finite, non-negative costs (one per sample).")
            self.class_weight_, self.cost_matrix_ = None, None
        else:
            self.class_weight_, self.cost_matrix_ = self._costs(y, weight)
            cost = self.class_weight_[np.searchsorted(self.classes_, y)]
        # What the per-sample costs are made of, for the messages.
        source = "sample_cost" if sample_cost is not None else "the class costs"
        if weight is not None:
            cost = cost * weight
            source += " x sample_weight"
        if not np.any(cost > 0):
            raise ValueError(f"every sample has zero cost ({source}); nothing to learn from.")

        estimator = self._base_estimator()
        if self.method == "weighting":
            self.estimator_ = _fit_weighted(clone(estimator), X, y, cost, params, source)
        elif self.method == "rejection_sampling":
            self.estimators_ = self._fit_members(
                X, y, self._rejection_rows(cost), params,
                f"the costs ({source}) are too skewed or the data too small")
        elif self.method == "metacost":
            self.estimator_ = self._fit_metacost(estimator, X, y, weight, params)
        else:
            base = (estimator if self.calibration is None
                    else CalibratedClassifierCV(estimator, method=self.calibration))
            if not hasattr(base, "predict_proba"):
                raise TypeError(f"method='bayes_risk' needs predicted probabilities; "
                                f"{type(base).__name__} has no predict_proba.")
            self.estimator_ = _fit_weighted(clone(base), X, y, weight, params)
        return self

    def _rejection_rows(self, cost):
        rng = check_random_state(self.random_state)
        keep = cost / cost.max()
        return [np.flatnonzero(rng.uniform(size=cost.shape[0]) < keep)
                for _ in range(self.n_resamples)]

    def _fit_members(self, X, y, rows_list, params, why):
        """Members fitted on the rows of ``rows_list``; ``why`` explains a one-class subsample."""
        for rows in rows_list:
            if np.unique(y[rows]).shape[0] < 2:
                raise ValueError(
                    f"a {self.method} subsample holds a single class ({rows.shape[0]} samples): "
                    f"{why}. Use method='weighting' or more data."
                )
        return Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_member)(self._base_estimator(), X, y, rows, params)
            for rows in rows_list
        )

    def _fit_metacost(self, estimator, X, y, weight, params):
        if not hasattr(estimator, "predict_proba"):
            raise TypeError(f"method='metacost' needs predicted probabilities; "
                            f"{type(estimator).__name__} has no predict_proba.")
        n = X.shape[0]
        rng = check_random_state(self.random_state)
        bags = [rng.randint(n, size=n) for _ in range(self.n_resamples)]
        self.estimators_ = self._fit_members(X, y, bags, params,
                                             "a class is too rare for bootstrap samples")
        proba_sum, votes = np.zeros((n, len(self.classes_))), np.zeros(n)
        for member, bag in zip(self.estimators_, bags):
            out_of_bag = np.ones(n, dtype=bool)
            out_of_bag[bag] = False
            proba_sum[out_of_bag] += _proba_on(member, X[out_of_bag], self.classes_)
            votes[out_of_bag] += 1
        # A sample in every bag (rare unless n_resamples is small) is judged by all members.
        never_out = votes == 0
        if np.any(never_out):
            proba_sum[never_out] = np.mean(
                [_proba_on(m, X[never_out], self.classes_) for m in self.estimators_], 0)
            votes[never_out] = 1
        expected_cost = (proba_sum / votes[:, None]) @ self.cost_matrix_
        relabelled = self.classes_[np.argmin(expected_cost, axis=1)]
        if np.unique(relabelled).shape[0] < 2:
            raise ValueError(f"MetaCost relabelled every sample as class {relabelled[0]!r}: under "
                             "these costs that class is always the cheapest prediction; check the "
                             "cost matrix.")
        self.relabelled_fraction_ = float(np.mean(relabelled != y))
        return _fit_weighted(clone(estimator), X, relabelled, weight, params)

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, accept_sparse=["csr", "csc"], ensure_all_finite=False,
                             dtype=None, reset=False)

    def _has_proba(self):
        return hasattr(self._base_estimator(), "predict_proba") or (
            self.method == "bayes_risk" and self.calibration is not None)

    @available_if(_has_proba)
    def predict_proba(self, X):
        """Class probabilities of the fitted estimator (members averaged for rejection sampling).

        With ``"weighting"`` and ``"rejection_sampling"`` these reflect the
        reweighted class priors, not the deployment ones.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The probability of each class, columns in the order of ``classes_``.
        """
        X = self._check_X(X)
        if self.method == "rejection_sampling":
            return np.mean([_proba_on(m, X, self.classes_) for m in self.estimators_], axis=0)
        return _proba_on(self.estimator_, X, self.classes_)

    def predict(self, X):
        """Predicted class; for ``"bayes_risk"`` the class of minimum expected cost.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The predicted classes, each one of ``classes_``.
        """
        X = self._check_X(X)
        if self.method == "bayes_risk":
            expected_cost = _proba_on(self.estimator_, X, self.classes_) @ self.cost_matrix_
            return self.classes_[np.argmin(expected_cost, axis=1)]
        if self.method != "rejection_sampling":
            return self.estimator_.predict(X)
        if hasattr(self.estimators_[0], "predict_proba"):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        votes = np.zeros((X.shape[0], len(self.classes_)))
        for member in self.estimators_:
            votes[np.arange(X.shape[0]), np.searchsorted(self.classes_, member.predict(X))] += 1
        return self.classes_[np.argmax(votes, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base_tags = self._base_estimator().__sklearn_tags__()
        tags.input_tags.sparse = base_tags.input_tags.sparse
        tags.input_tags.allow_nan = base_tags.input_tags.allow_nan
        return tags
