"""Checks of Dask inputs and the partition-wise plumbing shared by imbtool.dask.

Every class of :mod:`imbtool.dask` takes ``X`` and ``y`` partitioned alike:
partition ``i`` of ``y`` labels the rows of partition ``i`` of ``X``. A row's
*global position* is its index in the concatenation of the partitions, so it
does not depend on how the data are split or which worker holds them.
"""

import numpy as np
import pandas as pd

from ..utils._compat import require

da = require("dask.array", "imbtool.dask")
dd = require("dask.dataframe", "imbtool.dask")
dask = require("dask", "imbtool.dask")
delayed = dask.delayed


def is_frame(obj):
    """Whether ``obj`` is a Dask DataFrame or Series."""
    return isinstance(obj, (dd.DataFrame, dd.Series))


def _kind(obj, name, ndims):
    if isinstance(obj, da.Array):
        if obj.ndim not in ndims:
            raise ValueError(f"{name} must be a {' or '.join(map(str, ndims))}-D Dask Array; "
                             f"got {obj.ndim} dimensions.")
        return "array"
    if is_frame(obj):
        return "frame"
    raise TypeError(
        f"{name} must be a Dask Array or DataFrame/Series; got {type(obj).__name__}. For data "
        "in memory use the class of the same name in imbtool's other subpackages, or wrap the "
        "data with dask.array.from_array / dask.dataframe.from_pandas."
    )


def as_column(y, name="y"):
    """``y`` as a 1-D Dask Array or Series (a one-column DataFrame is taken as its column)."""
    if isinstance(y, dd.DataFrame):
        if len(y.columns) != 1:
            raise ValueError(f"{name} must be one column; got a DataFrame with columns "
                             f"{list(y.columns)}.")
        return y[y.columns[0]]
    _kind(y, name, (1,))
    return y


def partitions(obj):
    """The Delayed partitions of a Dask collection, in order (2-D arrays: whole rows)."""
    if isinstance(obj, da.Array):
        if obj.ndim == 2:
            obj = obj.rechunk({1: -1})
            return list(obj.to_delayed()[:, 0])
        return list(obj.to_delayed())
    # Dask's optimiser may join the partitions of a narrow column selection (y read from
    # parquet alone becomes fewer, larger partitions than X): the partitions as the
    # collection shows them are the only ones X and y are sure to share. Its logical
    # simplification alone pushes the column selection into the source, so that a pass
    # over y reads y's column of each parquet file, not every column.
    return list(_projected(obj).to_delayed(optimize_graph=False))


def _projected(frame):
    """``frame`` with its column selection pushed into its source, its partitions unchanged.

    Simplifying never joins partitions (the optimiser's later tuning does), but
    a filter pushed into a parquet read may drop whole files: such a frame is
    kept as it is. Callers check the partitions' lengths against ``X``'s.
    """
    # dask.dataframe before dask-expr (dask < 2025.1) has no logical plan to simplify.
    simplify = getattr(frame, "simplify", None)
    if simplify is None:
        return frame
    simplified = simplify()
    return simplified if simplified.npartitions == frame.npartitions else frame


def _row_counts(obj):
    """Delayed row count of each partition of a frame: its index alone is read (a parquet
    read then reads no column)."""
    return [delayed(_length)(p) for p in partitions(obj.index)]


def gather(*collections):
    """Dask collections computed on the client, each partition sent on its own.

    ``dask.compute`` of a DataFrame or Array joins the partitions in one task on
    a worker and sends the result from there: that worker holds the whole
    collection (twice while joining), however little memory it has. Here only
    the client holds the whole.
    """
    computed = dask.compute(*[partitions(c) for c in collections])
    return [pd.concat(parts) if is_frame(c) else np.concatenate(parts)
            for c, parts in zip(collections, computed, strict=True)]


def _length(part):
    return len(part)


def check_alike(sizes):
    """Raise unless every collection in ``{name: partition sizes}`` has the same sizes."""
    (reference_name, reference), *others = sizes.items()
    for name, other in others:
        if len(other) != len(reference):
            raise ValueError(
                f"{reference_name} and {name} must be partitioned alike: {reference_name} has "
                f"{len(reference)} partitions, {name} has {len(other)}. Split them the "
                "same way (e.g. select X and y from one frame, or rechunk one like the other)."
            )
        bad = [i for i, (a, b) in enumerate(zip(reference, other)) if a != b]
        if bad:
            i = bad[0]
            raise ValueError(
                f"{reference_name} and {name} must be partitioned alike: partition {i} has "
                f"{reference[i]} rows in {reference_name} and {other[i]} in {name} "
                f"({len(bad)} partitions differ). Split them the same way."
            )


def partition_lengths(*collections, names):
    """Rows in each partition of every collection, checked to be the same.

    Arrays give their known chunk sizes; frames are counted (one pass that
    reads each partition, computed for all the frames together).
    """
    known, todo = {}, {}
    for obj, name in zip(collections, names, strict=True):
        if isinstance(obj, da.Array):
            sizes = obj.chunks[0]
            if any(np.isnan(s) for s in sizes):
                raise ValueError(
                    f"{name} has partitions of unknown size (NaN chunks, e.g. after boolean "
                    f"indexing); call {name}.compute_chunk_sizes() first: rows are numbered "
                    "by global position, which needs every partition's size."
                )
            known[name] = tuple(int(s) for s in sizes)
        else:
            todo[name] = _row_counts(obj)
    if todo:
        counted = dask.compute(todo)[0]
        known.update({name: tuple(int(n) for n in sizes) for name, sizes in counted.items()})
    check_alike({name: known[name] for name in names})
    _check_divisions(collections, names)
    return np.asarray(known[names[0]], dtype=np.int64)


def _check_divisions(collections, names):
    frames = [obj for obj in collections if is_frame(obj) and obj.known_divisions]
    if len(frames) > 1 and any(f.divisions != frames[0].divisions for f in frames[1:]):
        raise ValueError(f"{', '.join(names)} have different index divisions: their "
                         "partitions do not hold the same rows.")


def check_pair(X, y):
    """``(X, y)`` checked: Dask collections of one kind, partitioned alike, and y's classes.

    One pass reads ``y`` (and ``X``'s partition sizes, for frames): the class
    counts of every partition give ``y``'s partition sizes.

    Returns
    -------
    X, y : Dask collections (``y`` 1-D)
    lengths : ndarray of int64
        Rows in each partition.
    classes : ndarray
        Sorted class labels.
    table : ndarray of shape (n_partitions, n_classes)
        Rows of each class in each partition.
    """
    kind_X = _kind(X, "X", (2,))
    y = as_column(y)
    kind_y = "array" if isinstance(y, da.Array) else "frame"
    if kind_X != kind_y:
        raise TypeError(
            "X and y must both be Dask Arrays or both Dask DataFrame/Series; got X as "
            f"{type(X).__name__} and y as {type(y).__name__}. Convert one (to_dask_array / "
            "from_dask_array) so that their partitions match."
        )
    counted = [delayed(_counts)(p) for p in partitions(y)]
    if kind_X == "array":
        lengths = partition_lengths(X, y, names=("X", "y"))
        per_part = dask.compute(counted)[0]
    else:
        sizes, per_part = dask.compute(_row_counts(X), counted)
        check_alike({"X": sizes, "y": [int(c.sum()) for _, c in per_part]})
        _check_divisions((X, y), ("X", "y"))
        lengths = np.asarray(sizes, dtype=np.int64)
    nonempty = [labels for labels, _ in per_part if labels.size]
    if not nonempty:
        raise ValueError("y has no rows.")
    classes = np.unique(np.concatenate(nonempty))
    table = np.zeros((len(per_part), classes.size), dtype=np.int64)
    for i, (labels, counts) in enumerate(per_part):
        table[i, np.searchsorted(classes, labels)] = counts
    return X, y, lengths, classes, table


def _counts(part):
    labels, counts = np.unique(np.asarray(part), return_counts=True)
    return labels, counts


def offsets(lengths):
    """Global position of each partition's first row."""
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)


def from_parts(parts, meta, n_columns=None):
    """A Dask collection from Delayed partitions of unknown size.

    ``meta`` is a pandas object (a Dask DataFrame/Series with its columns and
    dtypes) or a NumPy dtype (a Dask Array, 1-D or with ``n_columns``).
    """
    if isinstance(meta, (pd.DataFrame, pd.Series)):
        return dd.from_delayed(parts, meta=meta, verify_meta=False)
    shape = (np.nan,) if n_columns is None else (np.nan, n_columns)
    return da.concatenate([da.from_delayed(p, shape=shape, dtype=meta) for p in parts])


def meta_of(obj):
    """What :func:`from_parts` needs to rebuild a collection like ``obj``."""
    return obj._meta if is_frame(obj) else obj.dtype


def tree_reduce(parts, combine, split_every=8):
    """One Delayed value: ``combine`` applied to groups of ``split_every`` until one is left."""
    level = list(parts)
    while len(level) > 1:
        level = [delayed(combine)(*level[i:i + split_every])
                 for i in range(0, len(level), split_every)]
    return level[0]


def as_proba(part, proba, columns):
    """A partition's probabilities as an array, or a frame with the partition's index."""
    if columns is None:
        return proba
    return pd.DataFrame(proba, index=part.index, columns=columns)


def _rows_proba(part, func, n_classes, *args):
    # A partition without rows (a filter can leave one) has nothing to predict, and
    # scikit-learn's estimators refuse 0 rows: it gets an empty block of the right width.
    if len(part) == 0:
        return as_proba(part, np.zeros((0, n_classes)), args[-1])
    return func(part, *args)


def partition_proba(X, func, args, classes):
    """Lazy ``func(part, *args, columns)`` on every partition of ``X``: one column per class.

    A Dask Array ``X`` gives an Array (``columns`` None); a DataFrame gives a
    DataFrame with ``X``'s index and the labels, as strings, for columns. A
    partition without rows gives an empty block.
    """
    if is_frame(X):
        columns = [str(c) for c in classes]
        meta = pd.DataFrame({c: pd.Series([], dtype=np.float64) for c in columns},
                            index=X._meta.index)
        return from_parts([delayed(_rows_proba)(p, func, classes.size, *args, columns)
                           for p in partitions(X)], meta)
    if not isinstance(X, da.Array):
        raise TypeError(f"X must be a Dask Array or DataFrame; got {type(X).__name__}.")
    X = X.rechunk({1: -1})
    # The meta is given: without it Dask calls func on zero-size stand-ins for X and for
    # every array argument (classes_ too), which can index out of bounds.
    return X.map_blocks(_rows_proba, func, classes.size, *args, None,
                        chunks=(X.chunks[0], (classes.size,)),
                        meta=np.empty((0, classes.size), dtype=np.float64))


def _argmax(part, classes):
    labels = classes[np.argmax(np.asarray(part), axis=1)]
    return pd.Series(labels, index=part.index) if isinstance(part, pd.DataFrame) else labels


def partition_labels(proba, classes):
    """Lazy arg-max labels of :func:`partition_proba`'s output (a Series for frames)."""
    if is_frame(proba):
        meta = pd.Series([], dtype=classes.dtype, index=proba._meta.index)
        return from_parts([delayed(_argmax)(p, classes) for p in partitions(proba)], meta)
    return proba.map_blocks(_argmax, classes, drop_axis=1, dtype=classes.dtype)


def rows_to_query(y_part, start, labels=None, wanted=None):
    """Row numbers in one partition of the rows of ``labels``, or of the rows at the global
    positions ``wanted``."""
    if wanted is None:
        return np.flatnonzero(np.isin(np.asarray(y_part), labels))
    return np.flatnonzero(np.isin(np.arange(start, start + len(y_part)), wanted))


def keep_nearest(k):
    """Merge of per-partition neighbour lists ``(distance, position, *more)``, one row per
    query: the ``k`` nearest, the lower global position on a tie (the in-memory rule)."""
    def merge(*found):
        distance, position, *more = (np.concatenate(parts, axis=1) for parts in zip(*found))
        order = np.lexsort((position, distance), axis=1)[:, :k]
        return tuple(np.take_along_axis(a, order, axis=1)
                     for a in (distance, position, *more))
    return merge
