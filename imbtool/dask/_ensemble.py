"""Under-sampling ensembles on Dask collections: members trained on the workers."""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._collections import (
    as_proba,
    dask,
    delayed,
    is_frame,
    partitions,
)
from ._predict import PartitionPredictMixin
from ._strategy import UNDER_STRINGS
from ._under_sampling import RandomUnderSampler

# The largest seed drawn for a member: the in-memory ensembles' range (a
# RandomState takes any 32-bit unsigned integer).
_MAX_SEED = np.iinfo(np.int32).max


def _fit_member(estimator, limit, X_parts, y_parts):
    """Fit one member on a worker from the partitions of its sample."""
    if isinstance(X_parts[0], pd.DataFrame):
        X, y = pd.concat(X_parts), pd.concat(y_parts)
    else:
        X, y = np.concatenate(X_parts), np.concatenate(y_parts)
    size = X.shape[0] * X.shape[1] * 8
    if limit is not None and size > limit:
        raise ValueError(
            f"A member's sample ({X.shape[0]} rows x {X.shape[1]} columns, {size} bytes) is "
            f"larger than max_sample_bytes={limit}: keep fewer rows with sampling_strategy, "
            "or raise the limit."
        )
    return estimator.fit(X, y)


def _mean_proba(part, members, classes, columns):
    proba = np.zeros((len(part), classes.size))
    for member in members:
        # A member whose sample lacked a class gives it no probability.
        proba[:, np.searchsorted(classes, member.classes_)] += member.predict_proba(part)
    proba /= len(members)
    return as_proba(part, proba, columns)


class _UnderSampledEnsemble(PartitionPredictMixin, ClassifierMixin, BaseEstimator):
    """Members fitted on the workers, each on its own random under-sample of the Dask data."""

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "sampling_strategy": [Interval(numbers.Real, 0, 1, closed="right"),
                              StrOptions(UNDER_STRINGS), dict, callable],
        "random_state": ["random_state"],
        "max_sample_bytes": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(self, estimator=None, *, n_estimators=10, sampling_strategy="auto",
                 random_state=None, max_sample_bytes=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.max_sample_bytes = max_sample_bytes

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Draw each member's under-sample and fit the members on the workers.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X``.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        random_state = check_random_state(self.random_state)
        estimator = self._default_estimator() if self.estimator is None else self.estimator
        # Attributes are set only once every member is fitted: a fit that fails (a lost
        # worker that Dask gives up on) leaves a fitted ensemble as it was.
        samplers, members = [], []
        for _ in range(self.n_estimators):
            seed = int(random_state.randint(_MAX_SEED))
            sampler = RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                         random_state=seed)
            X_res, y_res = sampler.fit_resample(X, y)
            member = clone(estimator)
            if "random_state" in member.get_params():
                member.set_params(random_state=seed)
            members.append(delayed(_fit_member)(member, self.max_sample_bytes,
                                                partitions(X_res), partitions(y_res)))
            samplers.append(sampler)
        estimators = list(dask.compute(*members))
        self.samplers_, self.estimators_ = samplers, estimators
        self.classes_ = samplers[0].classes_
        self.n_features_in_ = len(X.columns) if is_frame(X) else X.shape[1]
        return self

    _fitted_attribute = "estimators_"
    _proba_func = staticmethod(_mean_proba)

    def _proba_args(self):
        return (self.estimators_, self.classes_)


class UnderBaggingClassifier(_UnderSampledEnsemble):
    """UnderBagging on Dask collections: members on random under-samples, fitted on workers.

    The Dask counterpart of :class:`imbtool.ensemble.UnderBaggingClassifier`:
    member ``i`` is fitted on the rows :class:`imbtool.dask.RandomUnderSampler`
    keeps with the ``i``-th seed drawn from ``random_state`` (all the minority
    and an equal sample of each other class by default). A member's sample
    is gathered and fitted on one worker, never the whole data; the fitted
    members come back to the client, and predictions average their
    probabilities partition by partition.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        Member prototype; ``None`` means ``DecisionTreeClassifier()``. Its
        ``random_state``, if it has one, is set to the member's seed.
    n_estimators : int, default=10
        Number of members.
    sampling_strategy : float, str, dict or callable, default="auto"
        Each member's under-sampling targets, as in
        :class:`imbtool.dask.RandomUnderSampler`.
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.
    max_sample_bytes : int or None, default=None
        Largest member sample (rows x columns x 8 bytes) a worker gathers;
        a larger one fails the fit with a ``ValueError`` giving its size.
        None means no check.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    samplers_ : list of imbtool.dask.RandomUnderSampler
        Each member's sampler (its rows are ``sample_indices_``).
    classes_ : ndarray
        Sorted class labels.
    n_features_in_ : int
        Columns of ``X``.

    See Also
    --------
    imbtool.ensemble.UnderBaggingClassifier : The in-memory ensemble.

    Notes
    -----
    Every member's sampler reads ``y`` two or three times (class counts, the
    exact key search) and the member's fit reads ``X`` once; the members'
    samples are drawn one after the other and fitted together.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import UnderBaggingClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2000) < 0.05).astype(int)
    >>> X = da.from_array(rng.normal(size=(2000, 2)) + y[:, None], chunks=(500, 2))
    >>> clf = UnderBaggingClassifier(n_estimators=3, random_state=0)
    >>> clf.fit(X, da.from_array(y, chunks=500)).predict(X).shape
    (2000,)
    """

    def _default_estimator(self):
        return DecisionTreeClassifier()


class EasyEnsembleClassifier(_UnderSampledEnsemble):
    """EasyEnsemble on Dask collections: AdaBoost members on random under-samples.

    The Dask counterpart of :class:`imbtool.ensemble.EasyEnsembleClassifier`:
    :class:`imbtool.dask.UnderBaggingClassifier` whose members are AdaBoost
    ensembles, each fitted on a worker on its own balanced under-sample.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        Member prototype; ``None`` means ``AdaBoostClassifier(n_estimators=10)``.
        Its ``random_state``, if it has one, is set to the member's seed.
    n_estimators : int, default=10
        Number of members.
    sampling_strategy : float, str, dict or callable, default="auto"
        Each member's under-sampling targets, as in
        :class:`imbtool.dask.RandomUnderSampler`.
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.
    max_sample_bytes : int or None, default=None
        Largest member sample (rows x columns x 8 bytes) a worker gathers;
        None means no check.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    samplers_ : list of imbtool.dask.RandomUnderSampler
        Each member's sampler.
    classes_ : ndarray
        Sorted class labels.
    n_features_in_ : int
        Columns of ``X``.

    See Also
    --------
    imbtool.ensemble.EasyEnsembleClassifier : The in-memory ensemble.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import EasyEnsembleClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2000) < 0.05).astype(int)
    >>> X = da.from_array(rng.normal(size=(2000, 2)) + y[:, None], chunks=(500, 2))
    >>> clf = EasyEnsembleClassifier(n_estimators=2, random_state=0)
    >>> clf.fit(X, da.from_array(y, chunks=500)).predict_proba(X).shape
    (2000, 2)
    """

    def _default_estimator(self):
        return AdaBoostClassifier(n_estimators=10)
