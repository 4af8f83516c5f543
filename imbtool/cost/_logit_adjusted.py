"""Post-hoc logit adjustment of any fitted classifier (Menon et al., ICLR 2021)."""

import numbers

import numpy as np
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ..utils._compat import routing_enabled
from ..utils._response import response_values
from ._classifier import _fit_weighted
from ._weights import check_weighted_classes


class LogitAdjustedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Post-hoc logit adjustment: subtract ``tau * log(pi_c)`` from a fitted model's logits.

    Menon et al. ("Long-tail learning via logit adjustment", ICLR 2021) show
    that ``argmax_c f_c(x) - tau log pi_c`` (``pi``: the training class
    frequencies) is consistent for the balanced error at ``tau=1`` when
    ``f_c`` are log-probabilities; ``tau`` is worth tuning
    (``GridSearchCV`` over ``tau``). The logits are the estimator's
    log-probabilities when it has ``predict_proba``, else its
    ``decision_function`` (a binary one as the log-odds of ``classes_[1]``);
    for scores that are not log-probabilities (an SVM's margins) the
    adjustment is a heuristic. The training form of the same idea is
    :class:`LogitAdjustedLoss`.

    Parameters
    ----------
    estimator : classifier with predict_proba or decision_function, default=None
        None means ``LogisticRegression(max_iter=1000)``. A model that
        learned a balanced prior already (``class_weight="balanced"``,
        balancing samplers) should not be adjusted again.
    tau : float >= 0, default=1.0
        Strength of the adjustment; 0 leaves the estimator unchanged.

    Attributes
    ----------
    estimator_ : classifier
        The fitted estimator.
    classes_ : ndarray of shape (n_classes,)
    class_prior_ : ndarray of shape (n_classes,)
        ``pi``: the class frequencies of ``y`` (weighted by ``sample_weight``).
    logit_adjustment_ : ndarray of shape (n_classes,)
        ``tau * log(class_prior_)``, subtracted from the logits: the
        probabilities hold the estimator's prior divided by
        ``exp(logit_adjustment_)``, ``class_prior_**(1 - tau)`` (normalised)
        for an estimator that learned ``class_prior_``, uniform only at
        ``tau=1``. :class:`~imbtool.model_selection.RemedySearchCV` reads it
        to move the probabilities back to the data's prior.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.

    References
    ----------
    Menon, Jayasumana, Rawat, Jain, Veit, Kumar, "Long-tail learning via
    logit adjustment", ICLR 2021.

    Examples
    --------
    >>> from imbtool.cost import LogitAdjustedClassifier
    >>> from imbtool.datasets import load_dataset
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> plain = LogitAdjustedClassifier(tau=0.0).fit(X, y)
    >>> adjusted = LogitAdjustedClassifier(tau=1.0).fit(X, y)
    >>> bool(adjusted.predict(X).tolist().count(1) > plain.predict(X).tolist().count(1))
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "tau": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(self, estimator=None, *, tau=1.0):
        self.estimator = estimator
        self.tau = tau

    def _base_estimator(self):
        return LogisticRegression(max_iter=1000) if self.estimator is None else self.estimator

    def get_metadata_routing(self):
        """Get the metadata routing of this object.

        ``sample_weight`` is consumed here (for the class prior) and passed
        on; the other fit parameters are routed to the estimator's ``fit``.

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

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the estimator and record the class prior.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the estimator and used to count the class prior.
        **fit_params : dict
            Passed to the estimator's ``fit`` (routed by request when metadata
            routing is enabled).

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], ensure_all_finite=False,
                             dtype=None, reset=True)
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"{type(self).__name__} needs at least 2 classes in y; got one "
                             f"class, {classes[0]!r}.")
        params = process_routing(self, "fit", **fit_params).estimator.fit if routing_enabled() \
            else fit_params
        weight = (None if sample_weight is None
                  else _check_sample_weight(sample_weight, X, ensure_non_negative=True))
        check_weighted_classes(y, weight, classes, type(self).__name__)
        self.estimator_ = _fit_weighted(clone(self._base_estimator()), X, y, weight, params)
        self.classes_ = np.asarray(self.estimator_.classes_)
        mass = np.ones(len(y)) if weight is None else weight
        prior = np.array([mass[y == c].sum() for c in self.classes_], dtype=np.float64)
        if np.any(prior <= 0):
            # log(0) would make the class win (or lose) every prediction.
            raise ValueError(
                f"{type(self).__name__}: sample_weight leaves classes "
                f"{self.classes_[prior <= 0].tolist()} with no weight, so their prior is 0 and "
                "log(0) cannot be subtracted; give every class some weight.")
        self.class_prior_ = prior / prior.sum()
        self.logit_adjustment_ = self.tau * np.log(self.class_prior_)
        return self

    def _logits(self, X):
        """Adjusted logits, one column per class."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=["csr", "csc"], ensure_all_finite=False,
                          dtype=None, reset=False)
        scores = response_values(self.estimator_, X, "auto")
        if scores.ndim == 1:  # a binary decision function: the log-odds of classes_[1]
            scores = np.column_stack([np.zeros_like(scores), scores])
        return scores - self.logit_adjustment_

    def decision_function(self, X):
        """Adjusted logits: log-odds of ``classes_[1]`` (binary) or one score per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        logits = self._logits(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def _has_proba(self):
        return hasattr(self._base_estimator(), "predict_proba")

    @available_if(_has_proba)
    def predict_proba(self, X):
        """The estimator's probabilities divided by ``class_prior_**tau``, renormalised.

        These are the probabilities under the prior ``class_prior_**(1 - tau)``
        (normalised; uniform at ``tau=1``) when the estimator learned
        ``class_prior_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return np.exp(log_softmax(self._logits(X), axis=1))

    def predict(self, X):
        """The class of the largest adjusted logit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        logits = self._logits(X)
        return self.classes_[np.argmax(logits, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        base_tags = self._base_estimator().__sklearn_tags__()
        tags.input_tags.sparse = base_tags.input_tags.sparse
        tags.input_tags.allow_nan = base_tags.input_tags.allow_nan
        return tags
