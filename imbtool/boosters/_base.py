"""What the LightGBM and XGBoost imbalance classifiers share: loss, weights, link, validation."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ..cost._losses import (
    AsymmetricLoss,
    FocalLoss,
    WeightedLogLoss,
    _BoostingLoss,
    margins_to_proba,
)
from ..cost._weights import check_weighted_classes, compute_class_weight
from ._device import DEVICES

LOSSES = {
    "focal": FocalLoss,
    "asymmetric": AsymmetricLoss,
    "weighted_logloss": WeightedLogLoss,
}
BUILTIN = "logloss"


class _ImbalancedBooster(ClassifierMixin, BaseEstimator):
    """Fit/predict logic around a backend's ``_train`` and ``_raw_predict``."""

    # booster_params the estimator sets itself (backend names); overriding them
    # would desynchronise the link and init score from the model.
    _reserved = frozenset()

    _parameter_constraints = {
        "loss": [StrOptions({*LOSSES, BUILTIN}), _BoostingLoss],
        "loss_params": [dict, None],
        "class_weight": [StrOptions({"balanced", "effective_number"}), dict, None],
        "beta": [Interval(numbers.Real, 0, 1, closed="left")],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "device": [StrOptions(set(DEVICES))],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
        "booster_params": [dict, None],
    }

    def _make_loss(self):
        if isinstance(self.loss, _BoostingLoss):
            if self.loss_params:
                raise InvalidParameterError(
                    "loss_params only applies to a loss given by name; set the "
                    "parameters on the loss object instead.")
            return self.loss
        if self.loss == BUILTIN:
            if self.loss_params:
                raise InvalidParameterError("loss='logloss' takes no loss_params.")
            return None
        try:
            return LOSSES[self.loss](**(self.loss_params or {}))
        except TypeError as exc:
            raise InvalidParameterError(
                f"loss_params {self.loss_params!r} do not fit loss={self.loss!r}: {exc}") from exc

    def _booster_params(self):
        params = dict(self.booster_params or {})
        clash = sorted(self._reserved & set(params))
        if clash:
            raise InvalidParameterError(
                f"{type(self).__name__}: booster_params may not set {clash}; use the "
                "estimator's own parameters (loss, n_estimators, device) instead.")
        return params

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the booster.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            NaN is allowed (missing values go to the learned side of each split).
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Multiplied by the class weights.

        Returns
        -------
        self
        """
        loss = self._make_loss()
        self._booster_params()
        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan",
                             dtype=[np.float64, np.float32])
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(f"{type(self).__name__} needs at least 2 classes in y; got one "
                             f"class, {self.classes_[0]!r}.")
        y_enc = encoder.transform(y)
        weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        check_weighted_classes(y_enc, weight, np.arange(n_classes), type(self).__name__)
        class_weight = compute_class_weight(self.class_weight, y=y, classes=self.classes_,
                                            beta=self.beta, sample_weight=weight)
        weight = weight * class_weight[y_enc]
        if loss is not None:
            try:
                loss.check_params(n_classes)
            except ValueError as exc:
                raise InvalidParameterError(
                    f"{type(self).__name__}: invalid loss {loss!r}: {exc}") from exc
        self.loss_ = loss
        if self.loss_ is None:
            self.init_score_ = 0.0 if n_classes == 2 else np.zeros(n_classes)
        else:
            self.init_score_ = self.loss_.init_score(y_enc, n_classes, weight)
        self.booster_ = self._train(X, y_enc, weight, n_classes)
        return self

    def decision_function(self, X):
        """Raw margins: log-odds of ``classes_[1]`` (binary) or class scores.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            NaN is allowed.

        Returns
        -------
        margins : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The margins, ``init_score_`` included: shape (n_samples,) for binary
            problems, (n_samples, n_classes) otherwise.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan",
                          dtype=[np.float64, np.float32])
        raw = self._raw_predict(X)
        return raw + self.init_score_

    def predict_proba(self, X):
        """Class probabilities: the logistic link (binary) or softmax of ``decision_function``.

        With focal or asymmetric loss these are scores that rank well but are
        not calibrated (the losses are not proper scoring rules); calibrate
        them (e.g. ``CalibratedClassifierCV``) before reading them as risks.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            NaN is allowed.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The probability of each class, columns in the order of ``classes_``.
        """
        raw = self.decision_function(X)
        return margins_to_proba(raw)

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            NaN is allowed.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The class of highest ``predict_proba``, one of ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def _seed(self):
        if self.random_state is None:
            return None
        if isinstance(self.random_state, numbers.Integral):
            return int(self.random_state)
        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
