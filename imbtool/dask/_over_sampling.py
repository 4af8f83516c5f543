"""SMOTE on Dask collections: the classes to grow gathered, the rest left in place."""

import numbers

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from ..over_sampling import SMOTE as _InMemorySMOTE
from ..utils._class_counts import available_memory
from ._collections import (
    check_pair,
    class_counts,
    da,
    dask,
    dd,
    delayed,
    is_frame,
    offsets,
    partitions,
)
from ._strategy import OVER_STRINGS, resolve_strategy


def _rows_of(X_part, y_part, start, labels, extra):
    """The rows of ``labels`` in one partition, their labels and global positions.

    ``extra`` more rows of another class are taken too (the in-memory sampler
    needs one row of a class it does not grow; it never reads it).
    """
    y_values = np.asarray(y_part)
    chosen = np.isin(y_values, labels)
    if extra:
        chosen |= np.cumsum(~chosen) <= extra
    rows = np.flatnonzero(chosen)
    X_rows = X_part.iloc[rows] if isinstance(X_part, pd.DataFrame) else X_part[rows]
    return X_rows, y_values[rows], start + rows


class SMOTE(BaseEstimator):
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
        As in :class:`imbtool.over_sampling.SMOTE`; a callable is called
        with the Dask ``y`` and must return a dict of target class sizes.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
    k_neighbors : int, default=5
        Neighbours per row, within its class.
    max_gather_bytes : int or None, default=None
        Largest gathered data (rows of the grown classes and new rows, x
        columns x 8 bytes); None means the memory the system reports as
        available. A larger one is refused with a ``ValueError`` giving its
        size before anything is gathered.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows added per class.
    class_counts_ : dict
        Rows of each class in ``y``.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        For each new row, in output order, the global positions of its seed
        row and of the neighbour it was interpolated towards.
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
    >>> y = (rng.random(1000) < 0.05).astype(int)
    >>> X = da.from_array(rng.normal(size=(1000, 2)), chunks=(250, 2))
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, da.from_array(y, chunks=250))
    >>> np.bincount(y_res.compute()).tolist()
    [955, 955]
    """

    _parameter_constraints: dict = {
        "sampling_strategy": [Interval(numbers.Real, 0, None, closed="right"),
                              StrOptions(OVER_STRINGS), dict, callable],
        "random_state": ["random_state"],
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_gather_bytes": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 max_gather_bytes=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.max_gather_bytes = max_gather_bytes

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
        X, y, lengths = check_pair(X, y)
        classes, table = class_counts(y)
        totals = table.sum(axis=0)
        self.class_counts_ = dict(zip(classes.tolist(), totals.tolist(), strict=True))
        self.n_samples_fit_ = int(lengths.sum())
        self.sampling_strategy_ = {
            c: n for c, n in resolve_strategy(self.sampling_strategy, classes, totals, y,
                                              "over-sampling").items() if n > 0}
        grown = sorted(self.sampling_strategy_)
        n_columns = len(X.columns) if is_frame(X) else X.shape[1]
        rows = sum(self.class_counts_[c] + self.sampling_strategy_[c] for c in grown)
        size = rows * n_columns * 8
        limit = available_memory() if self.max_gather_bytes is None else self.max_gather_bytes
        if size > limit:
            raise ValueError(
                f"SMOTE gathers the classes it grows and their new rows ({rows} rows x "
                f"{n_columns} columns, {size} bytes), more than max_gather_bytes={limit} "
                "(default: the memory available); grow fewer classes or rows, or raise the "
                "limit."
            )
        if not grown:
            self.synthetic_sources_ = np.empty((0, 2), dtype=np.int64)
            self.synthetic_steps_ = np.empty(0)
            return X, y
        extra = 1 if len(grown) < classes.size else 0
        # The extra row (from the first partition holding another class) comes last.
        holder = int(np.flatnonzero(table[:, ~np.isin(classes, grown)].sum(axis=1))[0]) \
            if extra else -1
        pieces = dask.compute([
            delayed(_rows_of)(Xp, yp, int(s), grown, int(i == holder))
            for i, (Xp, yp, s) in enumerate(zip(partitions(X), partitions(y), offsets(lengths),
                                                strict=True))])[0]
        X_rows, y_rows, positions = self._gathered(pieces, holder, grown)
        sampler = _InMemorySMOTE(
            sampling_strategy={c: self.class_counts_[c] + n
                               for c, n in self.sampling_strategy_.items()},
            random_state=self.random_state, k_neighbors=self.k_neighbors)
        X_out, y_out = sampler.fit_resample(X_rows, y_rows)
        self.synthetic_sources_ = positions[sampler.synthetic_sources_]
        self.synthetic_steps_ = sampler.synthetic_steps_
        n_in = len(y_rows)
        X_new = X_out.iloc[n_in:] if isinstance(X_out, pd.DataFrame) else X_out[n_in:]
        return self._appended(X, y, X_new, np.asarray(y_out)[n_in:], int(np.median(lengths)) or 1)

    @staticmethod
    def _gathered(pieces, holder, grown):
        """The gathered rows in global order, the extra row moved last."""
        X_parts, y_parts, position_parts = zip(*pieces, strict=True)
        positions = np.concatenate(position_parts)
        y_rows = np.concatenate(y_parts)
        is_extra = ~np.isin(y_rows, grown)
        order = np.r_[np.flatnonzero(~is_extra), np.flatnonzero(is_extra)]
        if isinstance(X_parts[0], pd.DataFrame):
            X_rows = pd.concat(X_parts).iloc[order]
        else:
            X_rows = np.concatenate(X_parts)[order]
        return X_rows, y_rows[order], positions[order]

    def _appended(self, X, y, X_new, y_new, chunk):
        """``X`` and ``y`` followed by partitions of the new rows."""
        if is_frame(X):
            index = pd.RangeIndex(self.n_samples_fit_, self.n_samples_fit_ + len(y_new))
            X_new = pd.DataFrame(X_new, columns=X.columns).set_axis(index)
            y_new = pd.Series(y_new, index=index, name=y.name).astype(y.dtype)
            npartitions = -(-len(y_new) // chunk)
            return (dd.concat([X, dd.from_pandas(X_new, npartitions=npartitions)]),
                    dd.concat([y, dd.from_pandas(y_new, npartitions=npartitions)]))
        X = X.rechunk({1: -1})
        return (da.concatenate([X, da.from_array(np.asarray(X_new, dtype=X.dtype),
                                                 chunks=(chunk, X.shape[1]))]),
                da.concatenate([y, da.from_array(y_new.astype(y.dtype), chunks=chunk)]))
