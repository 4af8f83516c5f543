"""Cross-fitted probability calibration: sigmoid, isotonic, temperature and beta."""


import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import check_cv, cross_val_predict
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, column_or_1d, indexable

from ..utils._compat import sklearn_at_least
from ..utils._threads import N_JOBS_CONSTRAINT

_SKLEARN_METHODS = ("sigmoid", "isotonic", "temperature")
_METHODS = _SKLEARN_METHODS + ("beta",)
# Probabilities are clipped this far inside (0, 1) so that the log features stay finite.
_EPS = 1e-12


def _beta_features(p):
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.column_stack([np.log(p), -np.log1p(-p)])


class BetaCalibration:
    """Beta calibration of one binary probability (Kull, Silva Filho & Flach, AISTATS 2017).

    Fits ``logit(q) = a ln p - b ln(1 - p) + c`` by logistic regression on the
    two features; the map is monotone only when ``a, b >= 0``, so a negative
    coefficient's feature is dropped and the model refitted, as in the paper.
    It contains the identity (a = b = 1, c = 0) and Platt scaling of the
    log-odds (a = b), and can bend both tails independently, which suits
    the skewed score distributions of imbalanced data.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.threshold import BetaCalibration
    >>> p = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9, 0.4, 0.8])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1, 0])
    >>> calibration = BetaCalibration().fit(p, y)
    >>> calibration.predict(np.array([0.2, 0.8])).round(2)
    array([0.12, 0.82])
    """

    def fit(self, p, y, sample_weight=None):
        """Fit the calibration map.

        Parameters
        ----------
        p : ndarray of shape (n_samples,)
            Probabilities of the positive class.
        y : ndarray of shape (n_samples,)
            0/1 targets.
        sample_weight : ndarray of shape (n_samples,), default=None
            Weights of the logistic regression.

        Returns
        -------
        self : BetaCalibration
            The fitted calibration.
        """
        features = _beta_features(p)
        keep = np.array([True, True])
        model = None
        for _ in range(2):
            model = LogisticRegression(C=1e6, max_iter=1000)
            model.fit(features[:, keep], y, sample_weight=sample_weight)
            coef = np.zeros(2)
            coef[keep] = model.coef_[0]
            if (coef >= 0).all():
                break
            keep &= coef > 0
            if not keep.any():
                coef[:] = 0
                break
        else:
            coef = np.clip(coef, 0, None)
        self.coef_ = coef
        if keep.any():
            self.intercept_ = float(model.intercept_[0])
        else:
            rate = np.average(y, weights=sample_weight)
            self.intercept_ = float(np.log(rate / (1 - rate)))
        return self

    def predict(self, p):
        """Calibrated probabilities.

        Parameters
        ----------
        p : ndarray of shape (n_samples,)
            Probabilities of the positive class.

        Returns
        -------
        q : ndarray of shape (n_samples,)
            The calibrated probabilities of the positive class.
        """
        z = _beta_features(p) @ self.coef_ + self.intercept_
        return 1.0 / (1.0 + np.exp(-z))


class CalibratedClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Cross-fitted probability calibration for imbalanced data in one estimator.

    The calibration map is learned on out-of-fold probabilities (or decision
    values) of the estimator, then the estimator is refitted on all data, so
    no sample calibrates a model that saw it. "sigmoid" (Platt), "isotonic"
    and "temperature" are scikit-learn's :class:`~sklearn.calibration.CalibratedClassifierCV`
    with ``ensemble=False``; "beta" is :class:`BetaCalibration`, one-vs-rest
    and renormalised for multiclass. Temperature scaling keeps the ranking and
    only rescales the log-odds, which is known to degrade when classes overlap;
    isotonic needs many minority samples; beta
    is a flexible middle ground. Evaluate with :func:`brier_score`,
    :func:`ece` (equal-mass bins) and :func:`reliability_curve`.

    Parameters
    ----------
    estimator : classifier, default=None
        None means ``LogisticRegression()``.
    method : {"sigmoid", "isotonic", "temperature", "beta"}, default="sigmoid"
        ``"temperature"`` needs scikit-learn >= 1.8.
    cv : int or cross-validation generator, default=5
        Folds for the out-of-fold predictions (``StratifiedKFold`` for ints).
    n_jobs : int, default=None
        Folds fitted in parallel (joblib). ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor
        (joblib's rule).

    Attributes
    ----------
    estimator_ : classifier
        Fitted on all data (``"beta"``), or the fitted
        ``CalibratedClassifierCV`` (other methods).
    calibrators_ : list of BetaCalibration
        ``"beta"`` only: one per class (one for binary).
    classes_ : ndarray

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.threshold import CalibratedClassifier, ece
    >>> X, y = make_classification(3000, weights=[0.9], random_state=0)
    >>> clf = CalibratedClassifier(method="beta").fit(X[:2000], y[:2000])
    >>> ece(y[2000:], clf.predict_proba(X[2000:])[:, 1]) < 0.05
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]),
                      HasMethods(["fit", "decision_function"]), None],
        "method": [StrOptions(set(_METHODS))],
        "cv": ["cv_object"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(self, estimator=None, *, method="sigmoid", cv=5, n_jobs=None):
        self.estimator = estimator
        self.method = method
        self.cv = cv
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Learn the calibration map out of fold and refit the estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : CalibratedClassifier
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y "
                             "is None.")
        X, y = indexable(X, y)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        if self.method == "temperature" and not sklearn_at_least("1.8"):
            from sklearn import __version__

            raise ValueError(
                f"method='temperature' needs scikit-learn >= 1.8 (installed: {__version__}); "
                "upgrade scikit-learn or use method='sigmoid', 'isotonic' or 'beta'."
            )
        estimator = LogisticRegression() if self.estimator is None else self.estimator
        if self.method in _SKLEARN_METHODS:
            self.estimator_ = CalibratedClassifierCV(
                estimator, method=self.method, cv=self.cv, n_jobs=self.n_jobs, ensemble=False
            ).fit(X, y, sample_weight=sample_weight, **fit_params)
            self.classes_ = self.estimator_.classes_
        else:
            self._fit_beta(estimator, X, y, sample_weight, fit_params)
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        return self

    def _fit_beta(self, estimator, X, y, sample_weight, fit_params):
        self.classes_ = np.unique(y)
        if self.classes_.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes; got {self.classes_.tolist()}."
            )
        if sample_weight is not None:
            fit_params = {**fit_params, "sample_weight": sample_weight}
        cv = check_cv(self.cv, y, classifier=True)
        oof = cross_val_predict(estimator, X, y, cv=cv, method="predict_proba",
                                n_jobs=self.n_jobs, params=fit_params)
        columns = [1] if self.classes_.size == 2 else range(self.classes_.size)
        self.calibrators_ = [
            BetaCalibration().fit(oof[:, k], (y == self.classes_[k]).astype(int), sample_weight)
            for k in columns
        ]
        self.estimator_ = clone(estimator).fit(X, y, **fit_params)

    def predict_proba(self, X):
        """Calibrated class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        if self.method in _SKLEARN_METHODS:
            return self.estimator_.predict_proba(X)
        raw = self.estimator_.predict_proba(X)
        if self.classes_.size == 2:
            pos = self.calibrators_[0].predict(raw[:, 1])
            return np.column_stack([1 - pos, pos])
        calibrated = np.column_stack([c.predict(raw[:, k])
                                      for k, c in enumerate(self.calibrators_)])
        total = calibrated.sum(axis=1, keepdims=True)
        # A row every calibrator sends to 0 carries no information: uniform.
        return np.divide(calibrated, total, out=np.full_like(calibrated, 1 / self.classes_.size),
                         where=total > 0)

    def predict(self, X):
        """Arg-max of the calibrated probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "estimator_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = LogisticRegression() if self.estimator is None else self.estimator
        tags.input_tags.sparse = get_tags(inner).input_tags.sparse
        return tags
