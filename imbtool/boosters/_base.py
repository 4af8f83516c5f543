"""What the LightGBM and XGBoost imbalance classifiers share: loss, weights, link, validation."""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from ..cost._losses import (
    AsymmetricLoss,
    DiceLoss,
    FocalLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    WeightedLogLoss,
    _BoostingLoss,
    margins_to_proba,
)
from ..cost._weights import check_weighted_classes, compute_class_weight
from ..utils import resolve_pos_label
from ..utils._threads import N_JOBS_CONSTRAINT, numba_threads
from ._device import DEVICES

LOSSES = {
    "focal": FocalLoss,
    "asymmetric": AsymmetricLoss,
    "weighted_logloss": WeightedLogLoss,
    "ldam": LDAMLoss,
    "logit_adjusted": LogitAdjustedLoss,
    "dice": DiceLoss,
}
BUILTIN = "logloss"


class _FitObjective:
    """The custom objective of one fit: the loss on the booster's threads, and deferred weights.

    The loss's numba kernels run on the booster's ``n_jobs`` threads, like
    the booster itself: the fit sets them once around the booster's training
    (``_ImbalancedBooster.fit``), whose rounds call this in the same thread,
    instead of every round. Deferred re-weighting (DRW, Cao et al. 2019) trains
    on the plain loss first and multiplies the class weights into gradient
    and Hessian from round ``start`` on, so that the weights re-balance the
    decision without distorting what the early trees learned. Both LightGBM
    and XGBoost call a custom objective exactly once per boosting round, so
    the call count is the round; one instance serves one fit.
    """

    def __init__(self, loss, class_factor=None, start=0):
        self.loss = loss
        self.class_factor = class_factor
        self.start = start
        self.calls = 0
        # The loss on this fit's labels and weights, checked on the first call (see
        # _BoostingLoss._fit_rounds): the later rounds only compute gradients.
        self.rounds = None

    def __call__(self, first, second, sample_weight=None):
        if self.rounds is None:
            self.rounds = self.loss._fit_rounds(first, second, sample_weight)
        grad, hess = self.rounds(first, second, sample_weight)
        self.calls += 1
        if self.class_factor is None or self.calls <= self.start:
            return grad, hess
        factor = self.class_factor if grad.ndim == 1 else self.class_factor[:, None]
        # In place: the arrays are this fit's, rewritten every round.
        grad *= factor
        hess *= factor
        return grad, hess


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
        "class_weight_start": [Interval(numbers.Real, 0, 1, closed="left")],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "device": [StrOptions(set(DEVICES))],
        "n_jobs": N_JOBS_CONSTRAINT,
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

    def _starts_from_optimum(self):
        """Whether a custom loss's boosting starts from its constant-model optimum (else 0)."""
        return True

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
        start = int(self.class_weight_start * self.n_estimators)
        deferred = self.class_weight is not None and start > 0
        if deferred and loss is None:
            raise InvalidParameterError(
                f"{type(self).__name__}: class_weight_start > 0 (deferred re-weighting) needs a "
                "custom loss, which the booster's built-in log-loss is not; use "
                "loss='logit_adjusted' with loss_params={'tau': 0.0}, the same log-loss.")
        # Per-row class weights, read before the binary labels may be flipped below.
        row_class_weight = class_weight[y_enc]
        if not deferred:
            weight = weight * row_class_weight
        if loss is not None:
            try:
                loss.check_params(n_classes)
            except ValueError as exc:
                raise InvalidParameterError(
                    f"{type(self).__name__}: invalid loss {loss!r}: {exc}") from exc
        self.loss_ = loss
        self.logit_adjustment_ = (loss.class_offsets(y_enc, n_classes)
                                  if isinstance(loss, LogitAdjustedLoss) else None)
        self.pos_label_ = None
        if n_classes == 2:
            # A binary loss weighs its positive class (FocalLoss's alpha, pos_weight, ...):
            # the minority class, whatever its label, so renaming the classes changes nothing.
            # On a tie it is classes_[1], as before; the helper's warning would advise a
            # pos_label parameter that the boosters do not have.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                self.pos_label_ = resolve_pos_label(y, classes=self.classes_)
            if self.pos_label_ == self.classes_.tolist()[0]:
                y_enc = 1 - y_enc  # the booster learns the log-odds of pos_label_
        if self.loss_ is None or not self._starts_from_optimum():
            self.init_score_ = 0.0 if n_classes == 2 else np.zeros(n_classes)
        else:
            self.init_score_ = self.loss_.init_score(y_enc, n_classes, weight)
        objective = None
        if loss is not None:
            objective = _FitObjective(loss, row_class_weight if deferred else None, start)
        # The loss's kernels on the booster's threads, every round (see _FitObjective).
        with numba_threads(self.n_jobs or None):
            self.booster_ = self._train(X, y_enc, weight, n_classes, objective)
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
        margins = self._raw_predict(X) + self.init_score_
        if self.pos_label_ is not None and self.pos_label_ == self.classes_.tolist()[0]:
            return -margins  # the booster's margins are the log-odds of classes_[0]
        return margins

    def predict_proba(self, X):
        """Class probabilities: the logistic link (binary) or softmax of ``decision_function``.

        With focal, asymmetric or dice loss these are scores that rank well but
        are not calibrated (the losses are not proper scoring rules); calibrate
        them (e.g. ``CalibratedClassifierCV``) before reading them as risks.
        With LDAM or logit adjustment they are the plain softmax of margins
        trained with class offsets: probabilities under a flattened class
        prior (uniform for logit adjustment at ``tau=1``; the training prior
        divided by ``exp(logit_adjustment_)`` for any ``tau``), as the
        balanced error wants, not the training prior.

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
