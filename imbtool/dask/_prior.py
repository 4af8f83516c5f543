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
    gather,
    is_frame,
)
from ._predict import PartitionPredictMixin
from ._under_sampling import RandomUnderSampler


def _corrected(part, estimator, training, deployment, columns):
    proba = prior_shift(estimator.predict_proba(part), training, deployment)
    return as_proba(part, proba, columns)


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

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        Fitted in memory on the down-sample: a classifier, or an
        :class:`imbtool.pipeline.Pipeline` whose sampler steps resample the
        down-sample further (SMOTE on the minority) before its classifier.
        None means ``LogisticRegression()``.
    sampler : imbtool.dask.RandomUnderSampler, default=None
        The down-sampling. None means ``RandomUnderSampler(random_state=0)``.
    class_weight : "balanced" or None, default="balanced"
        ``"balanced"`` fits the estimator with the down-sample's classes
        weighted equally (each row weighs ``rows / (n_classes x rows of its
        class)``, as ``scale_pos_weight`` = negatives per positive does for
        a booster); None fits it unweighted. A booster ranks better trained
        balanced on a 1:10 down-sample (see Notes); the prior correction
        undoes the weighting either way.
    training_prior : "auto", array-like of shape (n_classes,) or dict, default="auto"
        Priors the estimator was trained under; "auto" means the class
        counts of the down-sample, weighted by ``class_weight``, as the
        final step of a Pipeline ``estimator`` saw them (after its sampler
        steps, the rule of :class:`imbtool.threshold.PriorCorrectedClassifier`).
    deployment_prior : array-like of shape (n_classes,), dict or None, default=None
        Priors to correct to; None means the class frequencies of ``y``.
    max_sample_bytes : int or None, default=None
        Largest down-sample (rows x columns x 8 bytes) gathered for the fit;
        None means the memory the system reports as available.

    Attributes
    ----------
    sampler_ : imbtool.dask.RandomUnderSampler
        The fitted sampler (``class_counts_``, ``sample_indices_``).
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
        estimator = LogisticRegression() if self.estimator is None else self.estimator
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
        fitted, classes, training_prior = inner.estimator_, inner.classes_, inner.training_prior_
        frequencies = np.array([counts[c] for c in classes.tolist()], dtype=float)
        deployment_prior = _as_prior(
            frequencies if self.deployment_prior is None else self.deployment_prior,
            classes, "deployment_prior")
        # Attributes are set only once the estimator is fitted: a fit that fails (a lost
        # worker) leaves a fitted classifier as it was.
        self.sampler_, self.estimator_, self.classes_ = sampler, fitted, classes
        self.training_prior_, self.deployment_prior_ = training_prior, deployment_prior
        self.n_features_in_ = n_columns
        return self

    _fitted_attribute = "estimator_"
    _proba_func = staticmethod(_corrected)

    def _proba_args(self):
        return (self.estimator_, self.training_prior_, self.deployment_prior_)
