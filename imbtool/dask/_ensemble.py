"""Under-sampling ensembles on Dask collections: members trained on the workers."""

import numbers
import warnings

import numpy as np
import pandas as pd
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolUserWarning
from ._collections import (
    as_proba,
    dask,
    delayed,
    is_frame,
    partitions,
)
from ._params import log_line, refuse
from ._predict import PartitionPredictMixin
from ._strategy import UNDER_STRINGS
from ._under_sampling import RandomUnderSampler

# The largest seed drawn for a member: the in-memory ensembles' range (a
# RandomState takes any 32-bit unsigned integer).
_MAX_SEED = np.iinfo(np.int32).max


def _fit_member(estimator, limit, X_parts, y_parts, features=None, max_samples=None, seed=0):
    """Fit one member on a worker from the partitions of its sample.

    ``max_samples`` (the in-memory rule: a count, or a fraction of the
    member's rows) keeps a uniform subset of the gathered rows, drawn without
    replacement with ``seed``; ``features`` are the member's columns (None:
    all). Returns the fitted member and its rows per class (``{label: rows}``).
    """
    if isinstance(X_parts[0], pd.DataFrame):
        X, y = pd.concat(X_parts), pd.concat(y_parts)
    else:
        X, y = np.concatenate(X_parts), np.concatenate(y_parts)
    n_rows = X.shape[0]
    size = n_rows if max_samples is None else _resolve_size(max_samples, n_rows)
    if size < n_rows:
        rows = np.sort(np.random.RandomState(seed).choice(n_rows, size, replace=False))
        X, y = _take_rows(X, rows), _take_rows(y, rows)
    if features is not None:
        X = X.iloc[:, features] if isinstance(X, pd.DataFrame) else X[:, features]
    nbytes = X.shape[0] * X.shape[1] * 8
    if limit is not None and nbytes > limit:
        raise ValueError(
            f"A member's sample ({X.shape[0]} rows x {X.shape[1]} columns, {nbytes} bytes) is "
            f"larger than max_sample_bytes={limit}: keep fewer rows with sampling_strategy, "
            "or raise the limit."
        )
    labels, counts = np.unique(np.asarray(y), return_counts=True)
    return estimator.fit(X, y), dict(zip(labels.tolist(), counts.tolist(), strict=True))


def _take_rows(data, rows):
    return data.iloc[rows] if isinstance(data, (pd.DataFrame, pd.Series)) else data[rows]


def _resolve_size(value, n):
    # scikit-learn's bagging rule, as the in-memory ensembles apply it: an int is a count,
    # a float a fraction of n (at least one).
    return int(value) if isinstance(value, numbers.Integral) else max(1, int(value * n))


def _mean_proba(part, members, features, classes, columns):
    """Mean of the members' probabilities on one partition; ``features``: each member's
    columns (None: every member sees all of them)."""
    proba = np.zeros((len(part), classes.size))
    for i, member in enumerate(members):
        cols = None if features is None else features[i]
        X = part if cols is None else (
            part.iloc[:, cols] if isinstance(part, pd.DataFrame) else part[:, cols])
        # A member whose sample lacked a class gives it no probability.
        proba[:, np.searchsorted(classes, member.classes_)] += member.predict_proba(X)
    proba /= len(members)
    return as_proba(part, proba, columns)


class _UnderSampledEnsemble(PartitionPredictMixin, ClassifierMixin, BaseEstimator):
    """Members fitted on the workers, each on its own random under-sample of the Dask data."""

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_samples": [Interval(numbers.Integral, 1, None, closed="left"),
                        Interval(numbers.Real, 0, 1, closed="right")],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"),
                         Interval(numbers.Real, 0, 1, closed="right")],
        "bootstrap": ["boolean"],
        "bootstrap_features": ["boolean"],
        "oob_score": ["boolean"],
        "warm_start": ["boolean"],
        "sampling_strategy": [Interval(numbers.Real, 0, 1, closed="right"),
                              StrOptions(UNDER_STRINGS), dict, callable],
        "replacement": ["boolean"],
        "schedule": [StrOptions({"fixed", "progressive"}), callable],
        "n_jobs": N_JOBS_CONSTRAINT,
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "max_sample_bytes": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(self, estimator=None, n_estimators=50, *, max_samples=1.0, max_features=1.0,
                 bootstrap=False, bootstrap_features=False, oob_score=False, warm_start=False,
                 sampling_strategy="auto", replacement=False, schedule="fixed", n_jobs=None,
                 random_state=None, verbose=0, max_sample_bytes=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.schedule = schedule
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.max_sample_bytes = max_sample_bytes

    def _check_dask_params(self):
        """Refuse the values whose in-memory meaning needs the whole data in memory."""
        for name in ("bootstrap", "replacement"):
            if getattr(self, name):
                refuse(self, name, "a member's rows are drawn by position keys, each row at "
                       "most once (drawing a class's rows with replacement needs the class in "
                       "memory)", f"set {name}=False (max_samples still draws a subset of "
                       "each member's sample), or use the in-memory ensemble")
        if self.oob_score:
            refuse(self, "oob_score", "each row's out-of-bag prediction would need every "
                   "member to predict every row outside its sample",
                   "set oob_score=False and score the ensemble on held-out partitions, e.g. "
                   "with imbtool.dask.average_precision")
        if self.schedule != "fixed":
            refuse(self, "schedule", "every member's sampler takes the same targets",
                   "set schedule='fixed', or pass a per-class dict as sampling_strategy")

    def _draw_features(self, n_features, rng):
        """One member's columns, as in memory: None for all of them in order."""
        k = _resolve_size(self.max_features, n_features)
        if k > n_features:
            raise ValueError(f"max_features={self.max_features} must be at most the number "
                             f"of features ({n_features}).")
        if k == n_features and not self.bootstrap_features:
            return None
        if self.bootstrap_features:
            return rng.randint(0, n_features, k)
        return np.sort(rng.choice(n_features, k, replace=False))

    def _old_members(self):
        """The fitted members a warm start keeps (empty without one)."""
        if not (self.warm_start and getattr(self, "estimators_", None)):
            return [], [], [], []
        n_old = len(self.estimators_)
        if self.n_estimators < n_old:
            raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to "
                             f"len(estimators_)={n_old} when warm_start=True.")
        return (list(self.estimators_), list(self.samplers_), list(self.estimators_features_),
                list(self.training_log_))

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
        self._check_dask_params()
        members, samplers, features, log = self._old_members()
        if members and self.n_estimators == len(members):
            warnings.warn("Warm-start fitting without increasing n_estimators does not fit "
                          "new members.", ImbtoolUserWarning, stacklevel=3)
            return self
        random_state = check_random_state(self.random_state)
        # Seeds of members 0..n_estimators-1 whatever was fitted before: a warm-started
        # ensemble has the members of one fitted at once.
        seeds = random_state.randint(_MAX_SEED, size=self.n_estimators).tolist()
        estimator = self._default_estimator() if self.estimator is None else self.estimator
        n_features = len(X.columns) if is_frame(X) else X.shape[1]
        # Attributes are set only once every member is fitted: a fit that fails (a lost
        # worker that Dask gives up on) leaves a fitted ensemble as it was.
        pending = []
        classes = None
        for i in range(len(members), self.n_estimators):
            seed = seeds[i]
            sampler = RandomUnderSampler(sampling_strategy=self.sampling_strategy,
                                         random_state=seed)
            X_res, y_res = sampler.fit_resample(X, y)
            draw = np.random.RandomState(seed)
            cols = self._draw_features(n_features, draw)
            member = clone(estimator)
            if "random_state" in member.get_params():
                member.set_params(random_state=seed)
            pending.append(delayed(_fit_member)(
                member, self.max_sample_bytes, partitions(X_res), partitions(y_res), cols,
                self.max_samples, int(draw.randint(_MAX_SEED))))
            samplers.append(sampler)
            classes = sampler.classes_.tolist()
            features.append(np.arange(n_features) if cols is None else cols)
        # n_jobs: members fitted at once, by joblib's rule as in memory.
        step = effective_n_jobs(self.n_jobs)
        for first in range(0, len(pending), step):
            for member, counts in dask.compute(*pending[first:first + step]):
                entry = {"round": len(members), "seed": seeds[len(members)],
                         "n_samples": sum(counts.values()),
                         "class_counts": [counts.get(c, 0) for c in classes]}
                log_line(self.verbose, entry)
                members.append(member)
                log.append(entry)
        self.estimators_, self.samplers_ = members, samplers
        self.estimators_features_, self.training_log_ = features, log
        self.classes_ = samplers[0].classes_
        self.n_features_in_ = n_features
        return self

    _fitted_attribute = "estimators_"
    _proba_func = staticmethod(_mean_proba)

    def _proba_args(self):
        n = self.n_features_in_
        features = [None if f.shape[0] == n and (f == np.arange(n)).all() else f
                    for f in self.estimators_features_]
        return (self.estimators_, features, self.classes_)


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
    n_estimators : int, default=50
        Number of members (the in-memory default; it was 10 before).
    max_samples : int or float, default=1.0
        Rows of each member, as in memory: a count, or a fraction of its
        under-sample, drawn uniformly without replacement from the gathered
        sample on its worker (a different random stream from memory's).
    max_features : int or float, default=1.0
        Columns of each member: a count, or a fraction of the features,
        drawn as in memory; ``estimators_features_`` records them.
    bootstrap : bool, default=False
        Only False on Dask (the in-memory UnderBagging's default is True):
        each class's rows are chosen by position keys, each at most once, and
        drawing a class with replacement would need it in memory. True
        raises a ``ValueError``.
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Only False on Dask: the out-of-bag estimate needs a prediction of
        every row by the members that did not see it (and in memory needs
        ``bootstrap=True``); True raises a ``ValueError``. Score the ensemble
        on held-out partitions instead.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``;
        member ``i`` gets the ``i``-th seed of ``random_state``, so a
        warm-started ensemble has the members of one fitted at once.
    sampling_strategy : float, str, dict or callable, default="auto"
        Each member's under-sampling targets, as in
        :class:`imbtool.dask.RandomUnderSampler`.
    replacement : bool, default=False
        Only False on Dask, for the reason given under ``bootstrap``.
    schedule : {"fixed"}, default="fixed"
        Only "fixed" on Dask (every member under the same targets);
        "progressive" or a callable raise a ``ValueError``: pass per-class
        targets as a dict ``sampling_strategy`` instead.
    n_jobs : int, default=None
        Members fitted at once on the workers (in memory: members fitted in
        parallel); the result never depends on it. Set it to the workers'
        threads, or to ``n_estimators`` to submit every member at once.
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context,
        ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.
    verbose : int, default=0
        Prints each member's ``training_log_`` line when set; there is no
        progress bar on Dask.
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
    estimators_features_ : list of ndarray
        Each member's columns.
    training_log_ : list of dict
        Per member: ``round``, ``seed``, ``n_samples`` and ``class_counts``
        (rows per class of ``classes_`` it was fitted on).
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
    samples are drawn one after the other and fitted ``n_jobs`` at a time.

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
    max_samples : int or float, default=1.0
        Rows of each member, as in memory: a count, or a fraction of its
        under-sample, drawn uniformly without replacement from the gathered
        sample on its worker (a different random stream from memory's).
    max_features : int or float, default=1.0
        Columns of each member: a count, or a fraction of the features,
        drawn as in memory; ``estimators_features_`` records them.
    bootstrap : bool, default=False
        Only False on Dask (the in-memory default too):
        each class's rows are chosen by position keys, each at most once, and
        drawing a class with replacement would need it in memory. True
        raises a ``ValueError``.
    bootstrap_features : bool, default=False
        Draw the columns with replacement.
    oob_score : bool, default=False
        Only False on Dask: the out-of-bag estimate needs a prediction of
        every row by the members that did not see it (and in memory needs
        ``bootstrap=True``); True raises a ``ValueError``. Score the ensemble
        on held-out partitions instead.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``;
        member ``i`` gets the ``i``-th seed of ``random_state``, so a
        warm-started ensemble has the members of one fitted at once.
    sampling_strategy : float, str, dict or callable, default="auto"
        Each member's under-sampling targets, as in
        :class:`imbtool.dask.RandomUnderSampler`.
    replacement : bool, default=False
        Only False on Dask, for the reason given under ``bootstrap``.
    schedule : {"fixed"}, default="fixed"
        Only "fixed" on Dask (every member under the same targets);
        "progressive" or a callable raise a ``ValueError``: pass per-class
        targets as a dict ``sampling_strategy`` instead.
    n_jobs : int, default=None
        Members fitted at once on the workers (in memory: members fitted in
        parallel); the result never depends on it. Set it to the workers'
        threads, or to ``n_estimators`` to submit every member at once.
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context,
        ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.
    verbose : int, default=0
        Prints each member's ``training_log_`` line when set; there is no
        progress bar on Dask.
    max_sample_bytes : int or None, default=None
        Largest member sample (rows x columns x 8 bytes) a worker gathers;
        a larger one fails the fit with a ``ValueError`` giving its size.
        None means no check.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    samplers_ : list of imbtool.dask.RandomUnderSampler
        Each member's sampler.
    estimators_features_ : list of ndarray
        Each member's columns.
    training_log_ : list of dict
        Per member: ``round``, ``seed``, ``n_samples`` and ``class_counts``
        (rows per class of ``classes_`` it was fitted on).
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

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=1.0, max_features=1.0,
                 bootstrap=False, bootstrap_features=False, oob_score=False, warm_start=False,
                 sampling_strategy="auto", replacement=False, schedule="fixed", n_jobs=None,
                 random_state=None, verbose=0, max_sample_bytes=None):
        super().__init__(estimator, n_estimators, max_samples=max_samples,
                         max_features=max_features, bootstrap=bootstrap,
                         bootstrap_features=bootstrap_features, oob_score=oob_score,
                         warm_start=warm_start, sampling_strategy=sampling_strategy,
                         replacement=replacement, schedule=schedule, n_jobs=n_jobs,
                         random_state=random_state, verbose=verbose,
                         max_sample_bytes=max_sample_bytes)

    def _default_estimator(self):
        return AdaBoostClassifier(n_estimators=10)
