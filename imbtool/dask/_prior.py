"""A classifier fitted on a Dask down-sample, its probabilities corrected to the true priors."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..threshold import PriorCorrectedClassifier as _InMemoryPriorCorrected
from ..threshold import prior_shift
from ..utils._class_counts import available_memory
from ..utils._priors import as_prior as _as_prior
from ._collections import (
    as_proba,
    check_pair,
    gather,
    is_frame,
)
from ._ensemble import _UnderSampledEnsemble
from ._predict import PartitionPredictMixin
from ._self_paced import SelfPacedEnsembleClassifier
from ._under_sampling import RandomUnderSampler

# The Dask ensembles: fitted on the Dask data itself, each member on its own under-sample.
_DASK_ENSEMBLES = (_UnderSampledEnsemble, SelfPacedEnsembleClassifier)


def _in_memory_proba(part, estimator):
    return estimator.predict_proba(part)


def _ensemble_proba(part, ensemble):
    # The ensemble's own partition function, asked for an array (no column names).
    return ensemble._proba_func(part, *ensemble._proba_args(), None)


def _corrected(part, proba, estimator, training, deployment, columns):
    shifted = prior_shift(proba(part, estimator), training, deployment)
    return as_proba(part, shifted, columns)


def _members_prior(ensemble):
    """The class shares of each member's sample, averaged over the members.

    An under-sampled ensemble's member ``i`` saw the rows per class its
    ``training_log_`` entry records (its sampler's targets, or the subset
    ``max_samples`` kept of them); a self-paced member saw every positive
    and the negatives of its round's quotas. Rows are counted:
    a member's own class weighting is not.
    """
    if isinstance(ensemble, SelfPacedEnsembleClassifier):
        positive = np.asarray(ensemble.classes_) == ensemble.pos_label_
        counts = []
        for entry in ensemble.training_log_:
            negatives = int(np.sum(entry["quota"]))
            counts.append(np.where(positive, entry["n_samples"] - negatives, negatives))
    else:
        counts = [entry["class_counts"] for entry in ensemble.training_log_]
    counts = np.asarray(counts, dtype=float)
    return (counts / counts.sum(axis=1, keepdims=True)).mean(axis=0)


class PriorCorrectedClassifier(PartitionPredictMixin, ClassifierMixin, MetaEstimatorMixin,
                               BaseEstimator):
    """Classifier trained on a Dask down-sample, its probabilities moved back to the true priors.

    The Dask counterpart of :class:`imbtool.threshold.PriorCorrectedClassifier`
    with its default pipeline (a random under-sampler, then the classifier):
    ``fit`` down-samples the Dask data with ``sampler``, gathers the sample
    (it must fit in memory, which is checked) and fits ``estimator`` on it;
    ``predict_proba`` runs the estimator on every partition and applies
    :func:`imbtool.threshold.prior_shift` from the sample's class priors to
    the data's, partition by partition.

    A Dask ensemble (:class:`imbtool.dask.UnderBaggingClassifier`,
    :class:`imbtool.dask.EasyEnsembleClassifier`,
    :class:`imbtool.dask.SelfPacedEnsembleClassifier`) as ``estimator`` is
    fitted on the Dask data instead, its members on the workers, each on its
    own under-sample; its members' mean probability is moved from their
    training prior (the class shares of each member's sample, averaged over
    the members) to the data's.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        Fitted in memory on the down-sample: a classifier, or an
        :class:`imbtool.pipeline.Pipeline` whose sampler steps resample the
        down-sample further (SMOTE on the minority) before its classifier.
        Or a Dask ensemble, fitted on the Dask data. None means
        ``LogisticRegression()``.
    sampler : imbtool.dask.RandomUnderSampler, default=None
        The down-sampling. None means ``RandomUnderSampler(random_state=0)``;
        it must be None for a Dask ensemble, whose members draw their own
        under-samples from the data.
    class_weight : "balanced" or None, default="balanced"
        ``"balanced"`` fits the estimator with the down-sample's classes
        weighted equally (each row weighs ``rows / (n_classes x rows of its
        class)``, as ``scale_pos_weight`` = negatives per positive does for
        a booster); None fits it unweighted. A booster ranks better trained
        balanced on a 1:10 down-sample (see Notes); the prior correction
        undoes the weighting either way. Not used by a Dask ensemble, whose
        members weigh their rows as their own parameters say.
    training_prior : "auto", array-like of shape (n_classes,) or dict, default="auto"
        Priors the estimator was trained under; "auto" means the class
        counts of the down-sample, weighted by ``class_weight``, as the
        final step of a Pipeline ``estimator`` saw them (after its sampler
        steps, the rule of :class:`imbtool.threshold.PriorCorrectedClassifier`);
        for a Dask ensemble, the rows of each class in each member's sample
        as shares of that sample, averaged over the members (a member's own
        class weighting is not counted: give the prior then).
    deployment_prior : array-like of shape (n_classes,), dict or None, default=None
        Priors to correct to; None means the class frequencies of ``y``.
    max_sample_bytes : int or None, default=None
        Largest down-sample (rows x columns x 8 bytes) gathered for the fit;
        None means the memory the system reports as available. Not used by
        a Dask ensemble (its own ``max_sample_bytes`` bounds a member's
        sample).

    Attributes
    ----------
    sampler_ : imbtool.dask.RandomUnderSampler or None
        The fitted sampler (``class_counts_``, ``sample_indices_``); None for
        a Dask ensemble.
    estimator_ : classifier
    classes_ : ndarray
    training_prior_, deployment_prior_ : ndarray of shape (n_classes,)

    See Also
    --------
    imbtool.threshold.PriorCorrectedClassifier : The in-memory classifier.

    Notes
    -----
    On 2,000,000 rows with 0.5 % positives (``benchmarks/bench_dask.py``'s
    data), LightGBM (100 rounds) fitted on every positive and 10 negatives
    per positive ranked the 500,000 test rows with an average precision of
    0.0325 weighted balanced and 0.0300 unweighted (mean of 3 draws of the
    negatives; balanced was higher in each).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import PriorCorrectedClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2000) < 0.05).astype(int)
    >>> X = rng.normal(size=(2000, 2)) + y[:, None]
    >>> clf = PriorCorrectedClassifier().fit(da.from_array(X, chunks=(500, 2)),
    ...                                      da.from_array(y, chunks=500))
    >>> clf.training_prior_.tolist(), clf.deployment_prior_.round(3).tolist()
    ([0.5, 0.5], [0.945, 0.055])
    >>> clf.predict_proba(da.from_array(X, chunks=(500, 2))).shape
    (2000, 2)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "sampler": [RandomUnderSampler, None],
        "class_weight": [StrOptions({"balanced"}), None],
        "training_prior": [StrOptions({"auto"}), "array-like", dict],
        "deployment_prior": ["array-like", dict, None],
        "max_sample_bytes": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(self, estimator=None, *, sampler=None, class_weight="balanced",
                 training_prior="auto", deployment_prior=None, max_sample_bytes=None):
        self.estimator = estimator
        self.sampler = sampler
        self.class_weight = class_weight
        self.training_prior = training_prior
        self.deployment_prior = deployment_prior
        self.max_sample_bytes = max_sample_bytes

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Down-sample, gather the sample, fit the estimator and derive both priors.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X``.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : PriorCorrectedClassifier
        """
        estimator = LogisticRegression() if self.estimator is None else self.estimator
        if isinstance(estimator, _DASK_ENSEMBLES):
            return self._fit_ensemble(clone(estimator), X, y, fit_params)
        sampler = clone(self.sampler or RandomUnderSampler(random_state=0))
        X_res, y_res = sampler.fit_resample(X, y)
        counts = sampler.class_counts_
        kept = {c: sampler.sampling_strategy_.get(c, n) for c, n in counts.items()}
        n_columns = len(X.columns) if is_frame(X) else X.shape[1]
        size = sum(kept.values()) * n_columns * 8
        limit = available_memory() if self.max_sample_bytes is None else self.max_sample_bytes
        if size > limit:
            raise ValueError(
                f"The down-sample ({sum(kept.values())} rows x {n_columns} columns, {size} "
                f"bytes) is larger than max_sample_bytes={limit} (default: the memory "
                "available): keep fewer rows with the sampler's sampling_strategy, or raise "
                "the limit."
            )
        X_mem, y_mem = gather(X_res, y_res)
        labels = np.array(sorted(kept))
        kept_counts = np.array([kept[c] for c in labels.tolist()], dtype=float)
        weight = fit_params.pop("sample_weight", None)
        if self.class_weight == "balanced":
            # Every class weighs the same in total: rows / (n_classes x rows of the class); a
            # class the sampler dropped (0 rows kept) has no row to weigh.
            class_weight = np.ones(labels.size)
            np.divide(kept_counts.sum(), labels.size * kept_counts, out=class_weight,
                      where=kept_counts > 0)
            balanced = class_weight[np.searchsorted(labels, np.asarray(y_mem))]
            weight = balanced if weight is None else balanced * np.asarray(weight, np.float64)
        # The in-memory rule on the gathered sample: the weights reach the final step of a
        # Pipeline (through its sampler steps), and the "auto" training prior is what that
        # step was fitted under, counted after the Pipeline's samplers (SMOTE's new rows).
        inner = _InMemoryPriorCorrected(estimator, training_prior=self.training_prior)
        inner.fit(X_mem, y_mem, sample_weight=weight, **fit_params)
        return self._fitted(sampler, inner.estimator_, inner.classes_, inner.training_prior_,
                            counts, X)

    def _fit_ensemble(self, ensemble, X, y, fit_params):
        """Fit a Dask ensemble on the data; the training prior is its members'
        (:func:`_members_prior`)."""
        if self.sampler is not None:
            raise ValueError(
                f"sampler must be None with a Dask ensemble ({type(ensemble).__name__}): its "
                "members draw their own under-samples from X and y (set the ensemble's "
                "sampling_strategy). To fit it on a down-sample, pass the down-sample as X "
                "and y, and the data's class frequencies as deployment_prior."
            )
        _, _, _, classes, table = check_pair(X, y)
        counts = dict(zip(classes.tolist(), table.sum(axis=0).tolist(), strict=True))
        fitted = ensemble.fit(X, y, **fit_params)
        training_prior = (_members_prior(fitted) if isinstance(self.training_prior, str)
                          else _as_prior(self.training_prior, fitted.classes_, "training_prior"))
        return self._fitted(None, fitted, fitted.classes_, training_prior, counts, X)

    def _fitted(self, sampler, fitted, classes, training_prior, counts, X):
        """Set the fitted attributes at once, the deployment prior from the class counts."""
        classes = np.asarray(classes)
        frequencies = np.array([counts[c] for c in classes.tolist()], dtype=float)
        deployment_prior = _as_prior(
            frequencies if self.deployment_prior is None else self.deployment_prior,
            classes, "deployment_prior")
        # Attributes are set only once the estimator is fitted: a fit that fails (a lost
        # worker) leaves a fitted classifier as it was.
        self.sampler_, self.estimator_, self.classes_ = sampler, fitted, classes
        self.training_prior_, self.deployment_prior_ = training_prior, deployment_prior
        self.n_features_in_ = len(X.columns) if is_frame(X) else X.shape[1]
        return self

    _fitted_attribute = "estimator_"
    _proba_func = staticmethod(_corrected)

    def _proba_args(self):
        proba = (_ensemble_proba if isinstance(self.estimator_, _DASK_ENSEMBLES)
                 else _in_memory_proba)
        return (proba, self.estimator_, self.training_prior_, self.deployment_prior_)
