"""Random under-sampling of Dask collections with exact per-class quotas."""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ..base import CLASS_COUNTS_CONSTRAINT
from . import _keys
from ._collections import (
    check_pair,
    delayed,
    from_parts,
    is_frame,
    meta_of,
    offsets,
    partitions,
    tree_reduce,
)
from ._params import check_class_counts, refuse
from ._strategy import UNDER_STRINGS, resolve_strategy


def _class_keys(y_part, start, seed, label):
    keys = _keys.position_keys(start, start + len(y_part), seed)
    return keys[np.asarray(y_part) == label]


def _search_pass(y_part, start, seed, tasks):
    """One round of the key search on one partition: per task, a histogram or candidates."""
    out = []
    for label, prefix, level, gather in tasks:
        keys = _class_keys(y_part, start, seed, label)
        keys = keys[_keys.prefix_mask(keys, prefix, level)]
        if gather:
            out.append(keys)
        else:
            out.append(np.bincount(_keys.digit(keys, level), minlength=1 << _keys.DIGIT_BITS))
    return out


def _merge(tasks):
    def combine(*results):
        return [np.concatenate(parts) if gather else np.sum(parts, axis=0)
                for (*_, gather), parts in zip(tasks, zip(*results), strict=True)]
    return combine


def _nth_smallest_keys(y_parts, starts, seed, targets, totals):
    """``{label: the n-th smallest key of the class}`` for ``{label: (n, class rows)}``.

    A radix search over the keys' 16-bit digits: each round counts the keys of
    the bucket still holding the n-th one by their next digit (a histogram per
    class, summed over partitions), until that bucket is small enough to be
    gathered and sorted. Every round reads ``y`` once; the client never holds
    more than ``GATHER_LIMIT`` keys per class.
    """
    state = {label: (0, 0, n, totals[label]) for label, n in targets.items()}
    found = {}
    while state:
        tasks = [(label, prefix, level, size <= _keys.GATHER_LIMIT)
                 for label, (prefix, level, _, size) in state.items()]
        per_part = [delayed(_search_pass)(p, int(s), seed, tasks)
                    for p, s in zip(y_parts, starts, strict=True)]
        results = tree_reduce(per_part, _merge(tasks)).compute()
        for (label, prefix, level, gather), result in zip(tasks, results, strict=True):
            rank = state[label][2]
            if gather:
                found[label] = np.sort(result)[rank - 1]
                del state[label]
                continue
            cumulative = np.cumsum(result)
            d = int(np.searchsorted(cumulative, rank))
            below = int(cumulative[d - 1]) if d else 0
            state[label] = ((prefix << _keys.DIGIT_BITS) | d, level + 1, rank - below,
                            int(result[d]))
    return found


def _keep(y_part, start, seed, thresholds, dropped):
    """Mask of one partition's kept rows: keys at most the class's threshold."""
    y_part = np.asarray(y_part)
    mask = ~np.isin(y_part, dropped)
    if thresholds:
        keys = _keys.position_keys(start, start + len(y_part), seed)
        for label, threshold in thresholds.items():
            rows = y_part == label
            mask[rows] = keys[rows] <= threshold
    return mask


def _take(part, mask):
    return part[mask] if isinstance(part, np.ndarray) else part.iloc[mask]


def _weights(y_part, mask, labels, weights):
    kept = np.asarray(y_part)[mask]
    values = np.asarray(weights, dtype=np.float64)[np.searchsorted(labels, kept)]
    if isinstance(y_part, pd.Series):
        return pd.Series(values, index=y_part.index[mask], name="sample_weight")
    return values


def _positions(start, mask):
    return np.arange(start, start + mask.size, dtype=np.int64)[mask]


class RandomUnderSampler(BaseEstimator):
    """Keep a random subset of each resampled class of a Dask collection.

    The Dask counterpart of :class:`imbtool.under_sampling.RandomUnderSampler`
    (same parameters and class targets, ``sampling_strategy_``): each
    resampled class keeps exactly its target number of rows, chosen
    uniformly at random without replacement. A row is kept by a random key
    computed from its global position and ``random_state``, so the kept rows
    are the same for any number of partitions and workers. Nothing but ``y``
    is read during ``fit_resample``; the outputs are lazy and read ``X``
    partition by partition.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Target counts, as in imbalanced-learn's under-samplers; a callable
        is called with the Dask ``y`` and must return a dict.
    random_state : int, RandomState instance or None, default=None
        Seeds the keys: an int gives the same rows on every run.
    replacement : bool, default=False
        Only False on Dask: a row is kept by its key at most once, so a class
        is drawn without replacement. True raises a ``ValueError``; draw with
        replacement within a member's gathered sample instead
        (``bootstrap=True`` of :class:`imbtool.dask.UnderBaggingClassifier`).
    class_counts : {"rows"}, default="rows"
        Class sizes are row counts. The in-memory ``"weight"`` sizes classes
        by ``sample_weight``, which ``fit_resample`` on Dask does not take: it
        raises a ``ValueError``.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows kept of each resampled class.
    classes_ : ndarray
        Sorted class labels.
    class_counts_ : dict
        Rows of each class in ``y``.
    class_weight_ : dict
        Inverse sampling rate of each class, ``rows in y / rows kept`` (1 for
        the classes not resampled): the weight that makes the kept rows stand
        for their class, and the ratio that moves probabilities back to the
        true priors (:class:`imbtool.dask.PriorCorrectedClassifier`).
    sample_indices_ : dask.array.Array of shape (n_new_samples,)
        Global positions of the kept rows, in increasing order (lazy).
    n_samples_fit_ : int
        Rows of the input.
    n_partitions_ : int
        Partitions of the input.

    See Also
    --------
    imbtool.under_sampling.RandomUnderSampler : The in-memory sampler.

    Notes
    -----
    The random stream is not the in-memory sampler's (which draws one
    permutation of each class and so needs it in memory): the rows kept
    differ, while their counts per class are the same and each class's kept
    rows are a uniform sample of it. Row ``i`` gets key ``h(seed, i)``, a
    bijective 64-bit mix; a class keeps its rows with the ``n`` smallest keys.
    The ``n``-th smallest key is found exactly by a radix search (16 bits per
    round, each round reading ``y`` once) without sorting or gathering the
    class. The output keeps the input's row order and partitions (some may be
    empty). The minority and majority on a tie of class sizes are the
    smallest labels (imbalanced-learn takes the first seen).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import RandomUnderSampler
    >>> y = np.r_[np.zeros(90, dtype=int), np.ones(10, dtype=int)]
    >>> X = da.from_array(np.arange(200.0).reshape(100, 2), chunks=(25, 2))
    >>> y = da.from_array(y, chunks=25)
    >>> sampler = RandomUnderSampler(random_state=0)
    >>> X_res, y_res, weight = sampler.fit_resample(X, y, return_weight=True)
    >>> np.bincount(y_res.compute()).tolist()
    [10, 10]
    >>> sampler.class_weight_
    {0: 9.0, 1: 1.0}
    """

    _parameter_constraints: dict = {
        "sampling_strategy": [Interval(numbers.Real, 0, 1, closed="right"),
                              StrOptions(UNDER_STRINGS), dict, callable],
        "random_state": ["random_state"],
        "replacement": ["boolean"],
        "class_counts": CLASS_COUNTS_CONSTRAINT,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False,
                 class_counts="rows"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement
        self.class_counts = class_counts

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y, *, return_weight=False):
        """Choose the kept rows and return them as lazy Dask collections.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X`` (same number of rows in each partition),
            and of the same kind (Arrays with Arrays, frames with frames).
        return_weight : bool, default=False
            Also return each kept row's weight, its class's ``class_weight_``.

        Returns
        -------
        X_resampled : dask.array.Array or dask.dataframe.DataFrame
        y_resampled : dask.array.Array or dask.dataframe.Series
        weight : dask.array.Array or dask.dataframe.Series
            Only when ``return_weight=True``; a Series named ``sample_weight``
            with ``y_resampled``'s index for frames.
        """
        if self.replacement:
            refuse(self, "replacement", "a row is kept by its position key at most once",
                   "set replacement=False (and bootstrap=True on a Dask ensemble to draw "
                   "with replacement within each member's sample)")
        check_class_counts(self)
        X, y, lengths, classes, table = check_pair(X, y)
        totals = table.sum(axis=0)
        class_counts = dict(zip(classes.tolist(), totals.tolist(), strict=True))
        strategy = resolve_strategy(self.sampling_strategy, classes, totals, y,
                                    "under-sampling")
        seed = _keys.seed_words(check_random_state(self.random_state))
        y_parts, starts = partitions(y), offsets(lengths)
        searched = {c: n for c, n in strategy.items() if 0 < n < class_counts[c]}
        thresholds = _nth_smallest_keys(y_parts, starts, seed, searched, class_counts)
        dropped = [c for c, n in strategy.items() if n == 0]
        # Attributes are set only once the key search is done: a fit that fails (a lost
        # worker) leaves a fitted sampler as it was.
        self.classes_, self.class_counts_, self.sampling_strategy_ = (classes, class_counts,
                                                                      strategy)
        self.n_samples_fit_ = int(lengths.sum())
        self.n_partitions_ = int(lengths.size)
        # A class dropped entirely (target 0) has no row to weigh.
        self.class_weight_ = {
            c: (class_counts[c] / n if n else 0.0) if (n := strategy.get(c)) is not None
            else 1.0
            for c in classes.tolist()
        }
        masks = [delayed(_keep)(p, int(s), seed, thresholds, dropped)
                 for p, s in zip(y_parts, starts, strict=True)]

        def rebuild(func, parts, meta, *args, n_columns=None):
            return from_parts([delayed(func)(p, m, *args)
                               for p, m in zip(parts, masks, strict=True)], meta, n_columns)

        X_res = rebuild(_take, partitions(X), meta_of(X),
                        n_columns=None if is_frame(X) else X.shape[1])
        y_res = rebuild(_take, y_parts, meta_of(y))
        self.sample_indices_ = rebuild(_positions, starts, np.dtype(np.int64))
        if not return_weight:
            return X_res, y_res
        weights = [self.class_weight_[c] for c in classes.tolist()]
        meta = (pd.Series([], dtype=np.float64, name="sample_weight", index=y._meta.index)
                if is_frame(y) else np.dtype(np.float64))
        return X_res, y_res, rebuild(_weights, y_parts, meta, classes, weights)
