"""Correct predicted probabilities for a shift of class priors (e.g. after resampling)."""

import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.pipeline import Pipeline, make_pipeline
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d, indexable

from ..metrics._validation import check_probabilities
from ..under_sampling import RandomUnderSampler
from ..utils import resample_aligned


def prior_shift(proba, training_prior, deployment_prior):
    """Move probabilities from the training class priors to the deployment priors.

    Bayes' rule with the class-conditional densities unchanged gives
    ``p'(c|x) = p(c|x) pi'_c / pi_c / sum_j p(j|x) pi'_j / pi_j`` (Saerens,
    Latinne & Decaestecker, "Adjusting the outputs of a classifier to new a
    priori probabilities", Neural Computation 2002).

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Probabilities of a model trained under ``training_prior``.
    training_prior, deployment_prior : array-like of shape (n_classes,)
        Positive class priors (normalised here), in column order.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> from imbtool.threshold import prior_shift
    >>> prior_shift([[0.5, 0.5]], [0.5, 0.5], [0.9, 0.1]).round(3).tolist()
    [[0.9, 0.1]]
    """
    proba = check_probabilities(proba)
    if proba.ndim != 2:
        raise ValueError("proba must be 2-D, one column per class.")
    ratios = []
    for name, prior in (("training_prior", training_prior), ("deployment_prior", deployment_prior)):
        prior = np.asarray(prior, dtype=float)
        if (prior.shape != (proba.shape[1],) or not np.all(prior > 0)
                or not np.isfinite(prior).all()):
            raise ValueError(
                f"{name} must hold {proba.shape[1]} positive numbers, one per column of proba; "
                f"got {prior.tolist()}."
            )
        ratios.append(prior / prior.sum())
    weighted = proba * (ratios[1] / ratios[0])
    return weighted / weighted.sum(axis=1, keepdims=True)


def undersampling_correction(proba_pos, beta):
    """Closed-form correction of positive-class probabilities after random under-sampling.

    When negatives are kept with probability ``beta`` (``beta = N+ / N-`` for a
    balanced result) the model's ``p_s`` overstates the positive class;
    ``p = beta p_s / (beta p_s - p_s + 1)`` (Dal Pozzolo, Caelen, Johnson &
    Bontempi, "Calibrating probability with undersampling for unbalanced
    classification", IEEE SSCI 2015). It is :func:`prior_shift` for two classes.

    Parameters
    ----------
    proba_pos : array-like of shape (n_samples,)
        Positive-class probabilities of the model trained on under-sampled data.
    beta : float in (0, 1]
        Share of negatives kept.

    Returns
    -------
    proba_pos : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from imbtool.threshold import undersampling_correction
    >>> undersampling_correction([0.5], beta=0.1).round(4).tolist()
    [0.0909]
    """
    p = check_probabilities(proba_pos)
    if p.ndim != 1:
        raise ValueError("proba_pos must be 1-D (the positive-class probability).")
    if not (isinstance(beta, numbers.Real) and 0 < beta <= 1):
        raise ValueError("beta is the share of negatives kept and must be in (0, 1]; got "
                         f"{beta!r}.")
    return beta * p / (beta * p - p + 1)


def _counts_after_samplers(pipeline, y, classes):
    """Class counts seen by the final step of a fitted imbalanced-learn Pipeline.

    Labels follow each sampler's provenance: its kept rows and, for a
    synthetic row, its seed's label (the class it was made for).
    """
    labels = np.asarray(y)
    for _, step in pipeline.steps[:-1]:
        if step is None or step == "passthrough" or not hasattr(step, "fit_resample"):
            continue
        if hasattr(step, "sample_indices_"):
            labels = np.asarray(resample_aligned(step, labels))
        elif isinstance(step, BaseOverSampler):
            labels = np.concatenate(
                [labels]
                + [np.full(int(n), c, dtype=labels.dtype)
                   for c, n in step.sampling_strategy_.items()]
            )
        else:
            raise ValueError(
                f"Cannot tell the class counts {type(step).__name__} left for training (it has no "
                "sample_indices_ and is not an over-sampler); pass training_prior= explicitly."
            )
    return np.array([np.sum(labels == c) for c in classes], dtype=float)


def _as_prior(prior, classes, name):
    if isinstance(prior, dict):
        missing = [c for c in classes.tolist() if c not in prior]
        if missing:
            raise ValueError(f"{name} has no entry for classes {missing}; give one per class.")
        prior = [prior[c] for c in classes.tolist()]
    prior = np.asarray(prior, dtype=float)
    if prior.shape != classes.shape or not np.all(prior > 0) or not np.isfinite(prior).all():
        raise ValueError(
            f"{name} must give a positive number for each of the {classes.size} classes "
            f"{classes.tolist()} (array in classes_ order or dict); got {prior.tolist()}."
        )
    return prior / prior.sum()


def _accepts_nan(estimator):
    """Whether NaN in X reaches a step that handles it.

    Samplers that only pick rows pass NaN on to the next step (or drop it): the
    first step that is not such a sampler decides, by its ``allow_nan`` tag.
    """
    steps = ([step for _, step in estimator.steps if step not in (None, "passthrough")]
             if isinstance(estimator, Pipeline) else [estimator])
    for step in steps:
        if not get_tags(step).input_tags.allow_nan:
            return False
        if not hasattr(step, "fit_resample"):
            return True
    return True


class PriorCorrectedClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Classifier whose probabilities are moved back to the true class priors.

    A model fitted on resampled data learns the resampled priors; its
    probabilities overstate the minority class. This meta-estimator fits the
    estimator and applies :func:`prior_shift` from the training prior to the
    deployment prior in ``predict_proba``; ``predict`` is the arg-max of the
    corrected probabilities. For random under-sampling of the negatives the
    result equals the closed form :func:`undersampling_correction`.

    The correction treats every class alike, so it needs no positive class:
    relabelling the classes permutes the columns of ``predict_proba`` (in
    sorted ``classes_`` order) and changes no prediction. Priors given as
    arrays follow ``classes_`` order; dicts are keyed by label.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        Typically an imbalanced-learn ``Pipeline`` ending in a classifier with
        sampler steps. None means ``make_pipeline(RandomUnderSampler(random_state=0),
        LogisticRegression())``.
    training_prior : "auto", array-like of shape (n_classes,) or dict, default="auto"
        Priors the final classifier was trained under. "auto": class counts
        left by the sampler steps of a ``Pipeline`` estimator (samplers with
        ``sample_indices_`` and over-samplers), or the class frequencies of
        ``y`` when there is no sampler (then nothing changes).
    deployment_prior : array-like of shape (n_classes,), dict or None, default=None
        Priors to correct to. None means the class frequencies of ``y`` in ``fit``.
        When this classifier is itself a step after a sampler in a Pipeline,
        ``fit`` sees the resampled ``y``: "auto" then reads the resampled
        frequencies as the training prior, and the deployment prior must be
        given here (the true frequencies are no longer visible).

    Attributes
    ----------
    estimator_ : classifier
    classes_ : ndarray
    training_prior_, deployment_prior_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.threshold import PriorCorrectedClassifier
    >>> X, y = make_classification(2000, weights=[0.95], random_state=0)
    >>> clf = PriorCorrectedClassifier().fit(X, y)
    >>> clf.training_prior_.round(2).tolist(), clf.deployment_prior_.round(2).tolist()
    ([0.5, 0.5], [0.94, 0.06])
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "training_prior": [StrOptions({"auto"}), "array-like", dict],
        "deployment_prior": ["array-like", dict, None],
    }

    def __init__(self, estimator=None, *, training_prior="auto", deployment_prior=None):
        self.estimator = estimator
        self.training_prior = training_prior
        self.deployment_prior = deployment_prior

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the estimator and derive both priors.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : PriorCorrectedClassifier
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y "
                             "is None.")
        X, y = indexable(X, y)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        estimator = self._inner()
        if not _accepts_nan(estimator):
            # A sampler step may drop the non-finite rows before the step that would refuse
            # them, so the fit would pass while predict fails on the same rows.
            check_array(X, accept_sparse=True, dtype=None, ensure_2d=False, allow_nd=True,
                        ensure_all_finite=True, input_name="X")
        self.estimator_ = clone(estimator).fit(X, y, **fit_params)
        self.classes_ = np.asarray(self.estimator_.classes_)
        if self.classes_.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes; got {self.classes_.tolist()}."
            )
        frequencies = np.array([np.sum(y == c) for c in self.classes_], dtype=float)
        if isinstance(self.training_prior, str):
            counts = (_counts_after_samplers(self.estimator_, y, self.classes_)
                      if isinstance(self.estimator_, Pipeline) else frequencies)
            self.training_prior_ = _as_prior(counts, self.classes_, "The training class counts")
        else:
            self.training_prior_ = _as_prior(self.training_prior, self.classes_, "training_prior")
        self.deployment_prior_ = _as_prior(
            frequencies if self.deployment_prior is None else self.deployment_prior,
            self.classes_, "deployment_prior",
        )
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        if hasattr(self.estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.estimator_.feature_names_in_
        return self

    def predict_proba(self, X):
        """Probabilities corrected to ``deployment_prior_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "estimator_")
        proba = self.estimator_.predict_proba(X)
        try:
            return prior_shift(proba, self.training_prior_, self.deployment_prior_)
        except ValueError as exc:
            raise ValueError(f"{type(self.estimator_).__name__}.predict_proba: {exc}") from None

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Arg-max of the corrected probabilities.

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
        tags.input_tags.sparse = get_tags(self._inner()).input_tags.sparse
        tags.input_tags.allow_nan = _accepts_nan(self._inner())
        return tags

    def _inner(self):
        if self.estimator is None:
            return make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
        return self.estimator
