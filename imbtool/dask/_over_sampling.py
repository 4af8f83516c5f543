"""SMOTE on Dask collections: the classes to grow gathered, the rest left in place."""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from ..base import CLASS_COUNTS_CONSTRAINT
from ..neighbors import NearestNeighbors
from ..over_sampling import ADASYN as _InMemoryADASYN
from ..over_sampling import SMOTE as _InMemorySMOTE
from ..over_sampling import BorderlineSMOTE as _InMemoryBorderlineSMOTE
from ..utils._class_counts import available_memory
from ..utils._threads import N_JOBS_CONSTRAINT
from ._collections import (
    check_pair,
    da,
    dask,
    dd,
    delayed,
    is_frame,
    keep_nearest,
    offsets,
    partitions,
    rows_to_query,
    tree_reduce,
)
from ._params import check_class_counts
from ._strategy import OVER_STRINGS, resolve_strategy


def _rows_of(X_part, y_part, start, labels=None, wanted=None):
    """Rows of one partition (of ``labels``, or at the global positions ``wanted``), their
    labels and global positions."""
    rows = rows_to_query(y_part, start, labels, wanted)
    X_rows = X_part.iloc[rows] if isinstance(X_part, pd.DataFrame) else X_part[rows]
    return X_rows, np.asarray(y_part)[rows], start + rows


def _nearest_in_part(X_part, start, queries, k, n_jobs):
    """The ``k`` nearest rows of one partition to each query: distances, global positions."""
    rows = np.asarray(X_part, dtype=np.float64)
    k = min(k, len(rows))
    if not k:
        return np.empty((len(queries), 0)), np.empty((len(queries), 0), dtype=np.int64)
    distance, index = NearestNeighbors(n_neighbors=k, n_jobs=n_jobs).fit(rows).kneighbors(queries)
    return distance, index + start


class _GatheringOverSampler(BaseEstimator):
    """Gather the classes to grow (and, when the rule needs them, their nearest rows of the
    whole data), run the in-memory sampler on them, append its new rows as partitions.

    A subclass names its in-memory sampler (``_sampler``) and how many nearest
    rows of the whole data each grown row's rule reads (``_reach``, itself
    included; 0 when the rule reads only its own class). Those rows are found
    by an exact k-nearest search on every partition and a merge of the
    partitions' top lists, then gathered: the in-memory sampler sees the same
    neighbours as on the whole data, so it makes the same rows.
    """

    _parameter_constraints: dict = {
        "sampling_strategy": [Interval(numbers.Real, 0, None, closed="right"),
                              StrOptions(OVER_STRINGS), dict, callable],
        "random_state": ["random_state"],
        "max_gather_bytes": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_jobs": N_JOBS_CONSTRAINT,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
    }

    def _reach(self):
        return 0

    def _in_memory(self, targets):
        params = {k: v for k, v in self.get_params().items() if k != "max_gather_bytes"}
        return self._sampler(**{**params, "sampling_strategy": targets})

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Gather the classes to grow, make the new rows and append them as new partitions.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X``, and of the same kind.

        Returns
        -------
        X_resampled : dask.array.Array or dask.dataframe.DataFrame
            The input's partitions, then the new rows.
        y_resampled : dask.array.Array or dask.dataframe.Series
        """
        check_class_counts(self)
        X, y, lengths, classes, table = check_pair(X, y)
        totals = table.sum(axis=0)
        class_counts = dict(zip(classes.tolist(), totals.tolist(), strict=True))
        strategy = {c: n for c, n in resolve_strategy(self.sampling_strategy, classes, totals, y,
                                                      "over-sampling").items() if n > 0}
        grown = sorted(strategy)
        n_columns = len(X.columns) if is_frame(X) else X.shape[1]
        n_grown = sum(class_counts[c] for c in grown)
        # The grown rows, their new rows and up to reach - 1 neighbours each of other classes.
        rows = n_grown * max(self._reach(), 1) + sum(strategy.values())
        size = rows * n_columns * 8
        limit = available_memory() if self.max_gather_bytes is None else self.max_gather_bytes
        if size > limit:
            raise ValueError(
                f"{type(self).__name__} gathers the classes it grows with their new rows and "
                f"the neighbours its rule reads (up to {rows} rows x {n_columns} columns, "
                f"{size} bytes), more than max_gather_bytes={limit} (default: the memory "
                "available); grow fewer classes or rows, or raise the limit."
            )
        if grown:
            X_res, y_res, sources, steps = self._grown(X, y, lengths, classes, table,
                                                       class_counts, strategy)
        else:
            X_res, y_res = X, y
            sources, steps = np.empty((0, 2), dtype=np.int64), np.empty(0)
        # Attributes are set only once the new rows are made: a fit that fails (a lost
        # worker) leaves a fitted sampler as it was.
        self.class_counts_, self.sampling_strategy_ = class_counts, strategy
        self.n_samples_fit_ = int(lengths.sum())
        self.synthetic_sources_, self.synthetic_steps_ = sources, steps
        return X_res, y_res

    def _grown(self, X, y, lengths, classes, table, class_counts, strategy):
        """The new rows appended to ``X`` and ``y``, and their provenance."""
        grown = sorted(strategy)
        X_parts, y_parts, starts = partitions(X), partitions(y), offsets(lengths)
        pieces = dask.compute([delayed(_rows_of)(Xp, yp, int(s), grown)
                               for Xp, yp, s in zip(X_parts, y_parts, starts, strict=True)])[0]
        wanted = self._neighbours(X_parts, starts, pieces)
        if len(grown) < classes.size and not wanted.size:
            # The in-memory sampler needs a row of a class it does not grow; it never reads it.
            holder = int(np.flatnonzero(table[:, ~np.isin(classes, grown)].sum(axis=1))[0])
            wanted = np.array([starts[holder] + np.flatnonzero(
                ~np.isin(dask.compute(y_parts[holder])[0], grown))[0]])
        if wanted.size:
            pieces += dask.compute([delayed(_rows_of)(Xp, yp, int(s), wanted=wanted)
                                    for Xp, yp, s in zip(X_parts, y_parts, starts,
                                                         strict=True)])[0]
        X_rows, y_rows, positions = self._gathered(pieces)
        sampler = self._in_memory({c: class_counts[c] + n for c, n in strategy.items()})
        X_out, y_out = sampler.fit_resample(X_rows, y_rows)
        n_in = len(y_rows)
        X_new = X_out.iloc[n_in:] if isinstance(X_out, pd.DataFrame) else X_out[n_in:]
        X_res, y_res = self._appended(X, y, X_new, np.asarray(y_out)[n_in:],
                                      int(lengths.sum()), int(np.median(lengths)) or 1)
        return X_res, y_res, positions[sampler.synthetic_sources_], sampler.synthetic_steps_

    def _neighbours(self, X_parts, starts, pieces):
        """Global positions of the other rows among the grown rows' ``_reach`` nearest."""
        k = self._reach()
        if not k:
            return np.empty(0, dtype=np.int64)
        X_rows = [np.asarray(p[0], dtype=np.float64) for p in pieces]
        queries = np.concatenate(X_rows) if X_rows else np.empty((0, 0))
        found = [delayed(_nearest_in_part)(Xp, int(s), queries, k, self.n_jobs)
                 for Xp, s in zip(X_parts, starts, strict=True)]
        _, nearest = tree_reduce(found, keep_nearest(k)).compute()
        grown_positions = np.concatenate([p[2] for p in pieces])
        return np.setdiff1d(nearest.ravel(), grown_positions)

    @staticmethod
    def _gathered(pieces):
        """The gathered rows in global order."""
        X_parts, y_parts, position_parts = zip(*pieces, strict=True)
        positions = np.concatenate(position_parts)
        order = np.argsort(positions, kind="stable")
        if isinstance(X_parts[0], pd.DataFrame):
            X_rows = pd.concat(X_parts).iloc[order]
        else:
            X_rows = np.concatenate(X_parts)[order]
        return X_rows, np.concatenate(y_parts)[order], positions[order]

    @staticmethod
    def _appended(X, y, X_new, y_new, n_samples, chunk):
        """``X`` and ``y`` followed by partitions of the new rows (global positions
        ``n_samples`` onwards)."""
        if is_frame(X):
            index = pd.RangeIndex(n_samples, n_samples + len(y_new))
            X_new = pd.DataFrame(X_new, columns=X.columns).set_axis(index)
            y_new = pd.Series(y_new, index=index, name=y.name).astype(y.dtype)
            npartitions = -(-len(y_new) // chunk)
            return (dd.concat([X, dd.from_pandas(X_new, npartitions=npartitions)]),
                    dd.concat([y, dd.from_pandas(y_new, npartitions=npartitions)]))
        X = X.rechunk({1: -1})
        return (da.concatenate([X, da.from_array(np.asarray(X_new, dtype=X.dtype),
                                                 chunks=(chunk, X.shape[1]))]),
                da.concatenate([y, da.from_array(y_new.astype(y.dtype), chunks=chunk)]))



class SMOTE(_GatheringOverSampler):
    """SMOTE on Dask collections, with the classes it grows gathered in memory.

    The Dask counterpart of :class:`imbtool.over_sampling.SMOTE`. SMOTE
    interpolates between a row and its nearest neighbours of the same class,
    so only the classes being grown are needed: their rows are gathered (the
    size is checked first), the in-memory SMOTE makes the new rows, and the
    output is the input's partitions followed by partitions of the new rows.
    The new rows are those the in-memory SMOTE makes from the same data and
    ``random_state``, exactly, whatever the partitioning.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in the in-memory sampler; a callable is called with the Dask
        ``y`` and must return a dict of target class sizes.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
    k_neighbors : int, default=5
        Neighbours per row, within its class.
    max_gather_bytes : int or None, default=None
        Largest gathered data (x columns x 8 bytes); None means the memory
        the system reports as available. A larger one is refused with a
        ``ValueError`` giving its size before anything is gathered.
    n_jobs : int, default=None
        Threads of each neighbour search (the in-memory sampler's meaning),
        within each Dask task: the partition searches and the gathered
        sampler; the result never depends on it. ``None`` and ``-1`` use
        every core available (threads inside one call, as scikit-learn's
        OpenMP code).
    class_counts : {"rows"}, default="rows"
        Class sizes are row counts. The in-memory ``"weight"`` sizes classes by
        ``sample_weight``, which ``fit_resample`` on Dask does not take: it
        raises a ``ValueError``.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows added per class.
    class_counts_ : dict
        Rows of each class in ``y``.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        For each new row, in output order, the global positions of its seed
        row and of the row it was interpolated towards.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each new row.
    n_samples_fit_ : int
        Rows of the input; the new rows follow them (global positions
        ``n_samples_fit_`` onwards, also their index for frames).

    See Also
    --------
    imbtool.over_sampling.SMOTE : The in-memory sampler.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import SMOTE
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(1000) < 0.1).astype(int)
    >>> X = da.from_array(rng.normal(size=(1000, 2)) + y[:, None], chunks=(250, 2))
    >>> sampler = SMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, da.from_array(y, chunks=250))
    >>> np.bincount(y_res.compute()).tolist()
    [911, 911]
    """

    _sampler = _InMemorySMOTE
    _parameter_constraints: dict = {
        **_GatheringOverSampler._parameter_constraints,
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 max_gather_bytes=None, n_jobs=None,
                 class_counts="rows"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.max_gather_bytes = max_gather_bytes
        self.n_jobs = n_jobs
        self.class_counts = class_counts


class BorderlineSMOTE(_GatheringOverSampler):
    """Borderline-SMOTE on Dask collections: the danger test against every partition.

    The Dask counterpart of :class:`imbtool.over_sampling.BorderlineSMOTE`.
    Its rule reads each grown row's nearest rows of the whole data (the
    ``m_neighbors`` of the danger test; for ``"borderline-2"`` also the
    ``k_neighbors`` it may interpolate towards): they are found by an exact
    search on every partition (imbtool's engine) merged into each row's
    top list, and gathered with the grown classes. The in-memory sampler
    then sees the same neighbours as on the whole data and makes the same
    new rows, exactly, whatever the partitioning.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in the in-memory sampler; a callable is called with the Dask
        ``y`` and must return a dict of target class sizes.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
    k_neighbors : int, default=5
        Neighbours to interpolate towards.
    m_neighbors : int, default=10
        Neighbours of the danger test, among all classes.
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
        Interpolate towards the row's own class only, or towards any class.
    max_gather_bytes : int or None, default=None
        Largest gathered data (x columns x 8 bytes); None means the memory
        the system reports as available. A larger one is refused with a
        ``ValueError`` giving its size before anything is gathered.
    n_jobs : int, default=None
        Threads of each neighbour search (the in-memory sampler's meaning),
        within each Dask task: the partition searches and the gathered
        sampler; the result never depends on it. ``None`` and ``-1`` use
        every core available (threads inside one call, as scikit-learn's
        OpenMP code).
    class_counts : {"rows"}, default="rows"
        Class sizes are row counts. The in-memory ``"weight"`` sizes classes by
        ``sample_weight``, which ``fit_resample`` on Dask does not take: it
        raises a ``ValueError``.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows added per class.
    class_counts_ : dict
        Rows of each class in ``y``.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        For each new row, in output order, the global positions of its seed
        row and of the row it was interpolated towards.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each new row.
    n_samples_fit_ : int
        Rows of the input; the new rows follow them (global positions
        ``n_samples_fit_`` onwards, also their index for frames).

    See Also
    --------
    imbtool.over_sampling.BorderlineSMOTE : The in-memory sampler.

    Notes
    -----
    The neighbour search compares every grown row with every row, partition
    by partition: its cost grows as (grown rows) x (all rows), and each
    partition sends back a top list of ``max(k, m) + 1`` rows per grown row.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import BorderlineSMOTE
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(1000) < 0.1).astype(int)
    >>> X = da.from_array(rng.normal(size=(1000, 2)) + y[:, None], chunks=(250, 2))
    >>> sampler = BorderlineSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, da.from_array(y, chunks=250))
    >>> np.bincount(y_res.compute()).tolist()
    [911, 911]
    """

    _sampler = _InMemoryBorderlineSMOTE
    _parameter_constraints: dict = {
        **_GatheringOverSampler._parameter_constraints,
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "m_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=10, kind="borderline-1", max_gather_bytes=None, n_jobs=None,
                 class_counts="rows"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.max_gather_bytes = max_gather_bytes
        self.n_jobs = n_jobs
        self.class_counts = class_counts

    def _reach(self):
        # The row itself comes first in its own search, hence + 1.
        return max(self.m_neighbors, self.k_neighbors if self.kind == "borderline-2" else 0) + 1


class ADASYN(_GatheringOverSampler):
    """ADASYN on Dask collections: the harder rows' ratios from every partition.

    The Dask counterpart of :class:`imbtool.over_sampling.ADASYN`. Each grown
    row's share of the new rows follows the other classes among its
    ``n_neighbors`` nearest rows of the whole data: those are found by an
    exact search on every partition merged into each row's top list, and
    gathered with the grown classes, so the in-memory ADASYN makes the same
    new rows as on the whole data, whatever the partitioning.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in the in-memory sampler; a callable is called with the Dask
        ``y`` and must return a dict of target class sizes.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
    n_neighbors : int, default=5
        Neighbours of each row, among all classes.
    max_gather_bytes : int or None, default=None
        Largest gathered data (x columns x 8 bytes); None means the memory
        the system reports as available. A larger one is refused with a
        ``ValueError`` giving its size before anything is gathered.
    n_jobs : int, default=None
        Threads of each neighbour search (the in-memory sampler's meaning),
        within each Dask task: the partition searches and the gathered
        sampler; the result never depends on it. ``None`` and ``-1`` use
        every core available (threads inside one call, as scikit-learn's
        OpenMP code).
    class_counts : {"rows"}, default="rows"
        Class sizes are row counts. The in-memory ``"weight"`` sizes classes by
        ``sample_weight``, which ``fit_resample`` on Dask does not take: it
        raises a ``ValueError``.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows added per class.
    class_counts_ : dict
        Rows of each class in ``y``.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        For each new row, in output order, the global positions of its seed
        row and of the row it was interpolated towards.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each new row.
    n_samples_fit_ : int
        Rows of the input; the new rows follow them (global positions
        ``n_samples_fit_`` onwards, also their index for frames).

    See Also
    --------
    imbtool.over_sampling.ADASYN : The in-memory sampler.

    Notes
    -----
    The neighbour search costs (grown rows) x (all rows) distance
    evaluations, partition by partition.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbtool.dask import ADASYN
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(1000) < 0.1).astype(int)
    >>> X = da.from_array(rng.normal(size=(1000, 2)) + y[:, None], chunks=(250, 2))
    >>> sampler = ADASYN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, da.from_array(y, chunks=250))
    >>> int(y_res.sum().compute()) > 96
    True
    """

    _sampler = _InMemoryADASYN
    _parameter_constraints: dict = {
        **_GatheringOverSampler._parameter_constraints,
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5,
                 max_gather_bytes=None, n_jobs=None,
                 class_counts="rows"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.max_gather_bytes = max_gather_bytes
        self.n_jobs = n_jobs
        self.class_counts = class_counts

    def _reach(self):
        return self.n_neighbors + 1
