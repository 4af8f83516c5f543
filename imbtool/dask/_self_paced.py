"""Self-paced Ensemble on Dask collections: negatives drawn by hardness, members on workers."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, InvalidParameterError, StrOptions

from ..utils._self_paced import HARDNESS, bin_quotas, bin_shares, hardness_bins
from ..utils._threads import N_JOBS_CONSTRAINT
from . import _keys
from ._collections import (
    check_pair,
    dask,
    delayed,
    is_frame,
    offsets,
    partitions,
    tree_reduce,
)
from ._ensemble import _MAX_SEED, _fit_member, _mean_proba
from ._params import log_line, member_n_jobs
from ._predict import PartitionPredictMixin
from ._under_sampling import _nth_smallest_keys, _positions, _take


def _add_positive_proba(running, X_part, member, positive):
    """The ensemble's summed probability of the positive class on one partition, updated."""
    proba = np.zeros(len(X_part))
    column = np.flatnonzero(member.classes_ == positive)
    if column.size:
        proba = member.predict_proba(X_part)[:, column[0]]
    return proba if running is None else running + proba


def _hardness(running, y_part, n_members, negative, name):
    """Hardness of one partition's negatives under the ensemble (NaN for the other rows)."""
    y_part = np.asarray(y_part)
    out = np.full(y_part.shape[0], np.nan)
    rows = y_part == negative
    if n_members:
        out[rows] = HARDNESS[name](1.0 - running[rows] / n_members)
    else:
        out[rows] = 0.0
    return out


def _range(*parts):
    values = [p for p in parts if p.size]
    return (min(p[0] for p in values), max(p[1] for p in values)) if values else (0.0, 0.0)


def _part_range(hardness):
    finite = hardness[~np.isnan(hardness)]
    return np.array([finite.min(), finite.max()]) if finite.size else np.empty(0)


def _bins(hardness, lo, hi, k_bins):
    """Bin of every negative (-1 for the other rows): what the key search selects by."""
    bins = np.full(hardness.shape[0], -1, dtype=np.int64)
    rows = ~np.isnan(hardness)
    bins[rows] = hardness_bins(hardness[rows], lo, hi, k_bins) if hi > lo else 0
    return bins


def _histogram(bins, hardness, k_bins):
    rows = bins >= 0
    return np.stack([np.bincount(bins[rows], minlength=k_bins).astype(np.float64),
                     np.bincount(bins[rows], weights=hardness[rows], minlength=k_bins)])


def _sum(*parts):
    return np.sum(parts, axis=0)


def _chosen(bins, y_part, start, seed, thresholds, whole, positive):
    """Rows of one partition in the round's sample: every positive, the drawn negatives."""
    mask = np.asarray(y_part) == positive
    mask |= np.isin(bins, whole)
    if thresholds:
        keys = _keys.position_keys(start, start + len(bins), seed)
        for b, threshold in thresholds.items():
            rows = bins == b
            mask[rows] = keys[rows] <= threshold
    return mask


class SelfPacedEnsembleClassifier(PartitionPredictMixin, ClassifierMixin, BaseEstimator):
    """Self-paced Ensemble on Dask collections: negatives drawn by hardness, round by round.

    The Dask counterpart of :class:`imbtool.ensemble.SelfPacedEnsembleClassifier`
    for two classes, with the paper's rule (Liu et al., ICDE 2020, Algorithm
    1; ``replacement=False`` in memory). Round 0 trains a member on every
    positive (minority) row and as many negatives drawn uniformly. In round
    ``i`` every negative gets its hardness under the current ensemble (the
    mean of the members' probabilities, kept as a running sum on the
    workers, partition by partition), the hardness range is cut into
    ``k_bins`` equal-width bins, bin ``l`` weighs ``1 / (mean hardness of l
    + alpha)`` with ``alpha = tan(i * pi / (2 * n_estimators))``, and each
    bin gives its share of ``n_positive`` negatives, drawn uniformly without
    replacement (a bin holding fewer gives all it has). Each member's sample
    is gathered and fitted on one worker; no worker holds the whole data.

    The draws are keyed to the rows' global positions, as in
    :class:`imbtool.dask.RandomUnderSampler`: the samples and members are the
    same for any partitioning and number of workers (not the in-memory
    ensemble's random stream, which needs the negatives in memory).

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        Member prototype; ``None`` means ``DecisionTreeClassifier()``. Its
        ``random_state``, if it has one, is set to the round's seed.
    n_estimators : int, default=50
        Number of rounds (members).
    k_bins : int, default=5
        Number of equal-width hardness bins.
    hardness : {"absolute_error", "squared_error", "cross_entropy"}, default="absolute_error"
        Hardness of a negative from the probability the ensemble gives its class.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws and the members.
    max_sample_bytes : int or None, default=None
        Largest member sample (rows x columns x 8 bytes) a worker gathers;
        a larger one fails the fit with a ``ValueError`` giving its size.
        None means no check.
    replacement : bool, default=False
        Only False on Dask (the paper's rule: a bin's quota drawn without
        replacement). The in-memory ensemble's default, True, draws each
        quota in full with replacement, which position keys cannot do (a
        row's key selects it at most once); True raises an error.
    soft_resample : bool, default=False
        Only False on Dask: drawing each negative with a probability that
        grows with its hardness needs keys that depend on the hardness of
        the round; True raises an error.
    soft_resample_flag : bool or None, default=None
        imbalanced-ensemble's name for ``soft_resample``; only None or False.
    n_jobs : int, default=None
        Given to the member's own fit when its ``n_jobs`` is left at None, as
        in memory (the rounds are sequential). Predictions run partition by
        partition as Dask tasks, so the in-memory threads of the hardness
        prediction are the workers' here. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor
        (joblib's rule).
    verbose : int, default=0
        Prints each round's log line (``training_log_``'s entry without the
        bins) when set; there is no progress bar on Dask.

    Attributes
    ----------
    estimators_ : list of classifiers
        Fitted members, in round order.
    samples_ : list of ndarray of int64
        Global positions of each member's rows, increasing.
    training_log_ : list of dict
        Per round: ``round``, ``alpha``, ``n_samples`` and the hardness
        bins' ``population`` and ``quota``.
    classes_ : ndarray of shape (2,)
    pos_label_ : object
        The minority class, every row of which each member sees.
    n_features_in_ : int

    See Also
    --------
    imbtool.ensemble.SelfPacedEnsembleClassifier : The in-memory ensemble.

    Notes
    -----
    Cost per round: one prediction of ``X`` by the new member (the running
    sum of probabilities, one float per row, stays on the workers), two
    passes over those sums (the hardness range, then the bins' histogram),
    one or more rounds of the exact key search per bin (over the sums and
    ``y``) and one read of ``X`` to gather the sample. The positives are
    gathered each round with the drawn negatives: they must fit on one
    worker.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import SelfPacedEnsembleClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(2000) < 0.05).astype(int)
    >>> X = da.from_array(rng.normal(size=(2000, 2)) + y[:, None], chunks=(500, 2))
    >>> clf = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0)
    >>> clf.fit(X, da.from_array(y, chunks=500)).predict_proba(X).shape
    (2000, 2)
    >>> [entry["n_samples"] for entry in clf.training_log_]
    [220, 220, 220, 220]
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "k_bins": [Interval(numbers.Integral, 1, None, closed="left")],
        "hardness": [StrOptions(set(HARDNESS))],
        "random_state": ["random_state"],
        "max_sample_bytes": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "replacement": ["boolean"],
        "soft_resample": ["boolean"],
        "soft_resample_flag": ["boolean", None],
        "n_jobs": N_JOBS_CONSTRAINT,
        "verbose": ["verbose"],
    }

    def __init__(self, estimator=None, *, n_estimators=50, k_bins=5, hardness="absolute_error",
                 random_state=None, max_sample_bytes=None, replacement=False,
                 soft_resample=False, soft_resample_flag=None, n_jobs=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.k_bins = k_bins
        self.hardness = hardness
        self.random_state = random_state
        self.max_sample_bytes = max_sample_bytes
        self.replacement = replacement
        self.soft_resample = soft_resample
        self.soft_resample_flag = soft_resample_flag
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _check_dask_params(self):
        refused = {"replacement": "each quota is drawn without replacement (the paper's rule)",
                   "soft_resample": "each bin's rows are drawn uniformly",
                   "soft_resample_flag": "each bin's rows are drawn uniformly"}
        for name, rule in refused.items():
            if getattr(self, name):
                raise InvalidParameterError(
                    f"{type(self).__name__}: {name}=True is not available on Dask, where "
                    f"{rule}; set {name}=False, or use the in-memory "
                    "imbtool.ensemble.SelfPacedEnsembleClassifier.")

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Train the members round by round, each on the positives and negatives drawn by
        hardness.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X``; two classes.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        self._check_dask_params()
        X, y, lengths, classes, table = check_pair(X, y)
        if classes.size != 2:
            raise ValueError(f"{type(self).__name__} on Dask takes two classes; y has "
                             f"{classes.size} ({classes.tolist()}).")
        counts = table.sum(axis=0)
        positive, negative = (classes[0], classes[1]) if counts[0] < counts[1] else (
            classes[1], classes[0])
        n_positive = int(counts.min())
        random_state = check_random_state(self.random_state)
        estimator = DecisionTreeClassifier() if self.estimator is None else self.estimator
        X_parts, y_parts, starts = partitions(X), partitions(y), offsets(lengths)
        running = [None] * len(X_parts)
        # Attributes are set only after the last round: a fit that fails (a lost worker
        # that Dask gives up on) leaves a fitted ensemble as it was.
        estimators, samples, log = [], [], []
        for i in range(self.n_estimators):
            alpha = float(np.tan(i * np.pi / (2 * self.n_estimators)))
            seed = _keys.seed_words(random_state)
            member_seed = int(random_state.randint(_MAX_SEED))
            hardness = [delayed(_hardness)(r, yp, i, negative, self.hardness)
                        for r, yp in zip(running, y_parts, strict=True)]
            lo, hi = tree_reduce([delayed(_part_range)(h) for h in hardness], _range).compute()
            bins = [delayed(_bins)(h, lo, hi, self.k_bins) for h in hardness]
            population, hardness_sum = tree_reduce(
                [delayed(_histogram)(b, h, self.k_bins) for b, h in zip(bins, hardness,
                                                                        strict=True)],
                _sum).compute()
            population = population.astype(np.int64)
            if hi > lo:
                shares = bin_shares(population, hardness_sum, alpha)
            else:
                # Equal hardness (round 0, or an ensemble that cannot tell the negatives
                # apart): one bin, a uniform draw, as in memory.
                shares = (population > 0) / np.count_nonzero(population)
            quota = np.minimum(bin_quotas(shares, n_positive), population)
            searched = {b: int(q) for b, q in enumerate(quota) if 0 < q < population[b]}
            thresholds = _nth_smallest_keys(bins, starts, seed, searched,
                                            dict(enumerate(population.tolist())))
            whole = [b for b, q in enumerate(quota) if q and q == population[b]]
            masks = [delayed(_chosen)(b, yp, int(s), seed, thresholds, whole, positive)
                     for b, yp, s in zip(bins, y_parts, starts, strict=True)]
            member = member_n_jobs(clone(estimator), self.n_jobs)
            if "random_state" in member.get_params():
                member.set_params(random_state=member_seed)
            (member, _), sample = dask.compute(
                delayed(_fit_member)(member, self.max_sample_bytes,
                                     [delayed(_take)(p, m) for p, m in zip(X_parts, masks,
                                                                            strict=True)],
                                     [delayed(_take)(p, m) for p, m in zip(y_parts, masks,
                                                                            strict=True)]),
                [delayed(_positions)(int(s), m) for s, m in zip(starts, masks, strict=True)])
            estimators.append(member)
            samples.append(np.concatenate(sample))
            log.append({"round": i, "alpha": alpha, "n_samples": int(samples[-1].size),
                        "population": population, "quota": quota})
            log_line(self.verbose, {"round": i, "alpha": alpha, "n_samples": log[-1]["n_samples"]})
            if i + 1 < self.n_estimators:
                running = list(dask.persist(*[
                    delayed(_add_positive_proba)(r, Xp, member, positive)
                    for r, Xp in zip(running, X_parts, strict=True)]))
        self.estimators_, self.samples_, self.training_log_ = estimators, samples, log
        self.classes_, self.pos_label_ = classes, positive
        self.n_features_in_ = len(X.columns) if is_frame(X) else X.shape[1]
        return self

    _fitted_attribute = "estimators_"
    _proba_func = staticmethod(_mean_proba)

    def _proba_args(self):
        return (self.estimators_, None, self.classes_)
