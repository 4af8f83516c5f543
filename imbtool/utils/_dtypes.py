"""The dtype rule of every imbtool sampler: X is computed in float, given back in its own dtypes.

A sampler computes its rows in float32 or float64. :func:`encode` turns X
(a NumPy array or a pandas DataFrame; polars arrives as pandas) into that
computation form and :func:`decode` turns the computed output back into X's
kind and dtypes:

- rows the output copies from the input (``X[sample_indices_]``, the prefix
  of every imbtool sampler's output) are the input's rows, exactly;
- a synthetic row's value is cast to the column's dtype by the column's rule:

  ========================================  ===========================================
  column dtype                               computed as / synthetic value
  ========================================  ===========================================
  float32, float64 (also pandas Float32/64)  as is (Float: kept in the nullable dtype)
  float16                                    float32, cast back to float16
  longdouble                                 float64 (synthetic values carry float64
                                             precision), cast back to longdouble
  int8..int64, uint8..uint64, pandas         float64, rounded to the nearest integer
  Int8..Int64 / UInt8..UInt64                (half to even), clipped to the dtype's
                                             range, kept in the dtype
  bool, pandas boolean                       0.0/1.0; True where the computed value is
                                             >= 0.5: between a seed and a partner, the
                                             value of the row nearer by the step (the
                                             partner's at 0.5); for a centroid, the
                                             majority vote of its rows
  categorical with numeric categories        the category values; the nearest category
                                             (the lower one on a tie), kept categorical
  categorical with other categories          refused (no position to interpolate): use
                                             SMOTENC / SMOTEN, or encode the column
  ========================================  ===========================================

- a missing value (``pd.NA`` / NaN) in a column is refused, naming the
  column, by samplers whose tags do not allow NaN.

A NumPy array of integers or booleans is validated as scikit-learn does (as
in imbalanced-learn: a sampler that computes on it gives float64 values, one
that copies rows may keep the dtype); float16 and longdouble arrays follow
the rule above and keep their dtype.

Samplers that take X as it comes (``_check_X_options = None`` or a ``dtype``
of ``None``: random over- and under-sampling, SMOTEN, SMOTENC) keep
categorical, boolean (in frames: SMOTENC takes them for nominal), object and
string columns as they are; float16, longdouble and integer columns are
computed as above, so no compiled kernel meets them and SMOTENC's new
continuous values follow the same rule.
"""

import numpy as np
from scipy.sparse import issparse as sp_issparse

__all__ = ["decode", "encode"]

_PLAIN = (np.dtype(np.float32), np.dtype(np.float64))


def _pandas():
    import sys

    return sys.modules.get("pandas")


class _Column:
    """How one column is computed and rebuilt."""

    def __init__(self, kind, dtype, compute, categories=None):
        self.kind = kind          # "float", "int", "bool", "category", "keep"
        self.dtype = dtype        # the input dtype (NumPy or pandas)
        self.compute = compute    # NumPy float dtype of the computation
        self.categories = categories  # float values of numeric categories

    def back(self, values):
        """Computed float values of synthetic rows as values of the column's dtype."""
        if self.kind == "float":
            return values.astype(self.dtype) if isinstance(self.dtype, np.dtype) else values
        if self.kind == "int":
            info = np.iinfo(self.dtype.numpy_dtype if hasattr(self.dtype, "numpy_dtype")
                            else self.dtype)
            rounded = np.clip(np.rint(values), info.min, info.max)
            return rounded.astype(info.dtype)
        if self.kind == "bool":
            return values >= 0.5
        if self.kind == "category":
            cats = self.categories
            # Nearest category value; the lower one on a tie (categories sorted for the search).
            order = np.argsort(cats, kind="stable")
            sorted_cats = cats[order]
            right = np.clip(np.searchsorted(sorted_cats, values), 1, sorted_cats.size - 1)
            left = right - 1
            if sorted_cats.size == 1:
                return np.zeros(values.shape, dtype=np.intp)
            take_right = np.abs(sorted_cats[right] - values) < np.abs(values - sorted_cats[left])
            return order[np.where(take_right, right, left)]  # category codes
        return values


def _numeric_categories(dtype):
    categories = np.asarray(dtype.categories)
    if categories.dtype.kind in "iuf":
        return categories.astype(np.float64)
    if categories.dtype.kind == "b":
        return categories.astype(np.float64)
    return None


def _plan_dtype(dtype, name, numeric, sampler_name, in_frame=True):
    """The _Column of a column of ``dtype``, or None when the sampler takes it as it is.

    A NumPy array of integers or booleans is validated as scikit-learn does (as
in imbalanced-learn: a sampler that computes on it gives float64 values, one
that copies rows may keep the dtype); float16 and longdouble arrays follow
the rule above and keep their dtype.

Samplers that take X as it comes (``numeric=False``) see integers as float64
    too, so their synthetic values follow the same rule; a boolean or
    categorical frame column stays as it is for them (SMOTENC takes it for a
    nominal one).
    """
    pd = _pandas()
    if isinstance(dtype, np.dtype):
        if dtype in _PLAIN:
            return None
        if dtype.kind == "f":
            compute = np.float32 if dtype.itemsize < 4 else np.float64
            return _Column("float", dtype, np.dtype(compute))
        if dtype.kind in "iu":
            return _Column("int", dtype, np.dtype(np.float64))
        if dtype.kind == "b" and (numeric or not in_frame):
            return _Column("bool", dtype, np.dtype(np.float64))
        return None  # object, strings, dates: the sampler's own validation answers
    if pd is None:
        return None
    if isinstance(dtype, pd.CategoricalDtype):
        if not numeric:
            return None
        categories = _numeric_categories(dtype)
        if categories is None:
            raise TypeError(
                f"{sampler_name} computes on numbers (distances, new values), but column "
                f"{name!r} of X is categorical with non-numeric categories "
                f"({dtype.categories.dtype}), which have no numeric position. Encode the column "
                "first (e.g. OneHotEncoder or .cat.codes); to over-sample nominal columns as "
                "they are, use SMOTENC (mixed columns) or SMOTEN (all nominal); "
                "RandomOverSampler and RandomUnderSampler take any column."
            )
        return _Column("category", dtype, np.dtype(np.float64), categories)
    if isinstance(dtype, pd.SparseDtype):
        return None  # sparse columns: the sampler's rule on sparse X answers
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        kind = getattr(dtype, "kind", None)
        if kind in "iu" and kind:
            return _Column("int", dtype, np.dtype(np.float64))
        if kind == "b" and numeric:
            return _Column("bool", dtype, np.dtype(np.float64))
        if kind == "f":
            return _Column("float", dtype, np.dtype(np.float64))
    return None


def _column_values(series, column, name, allow_nan, sampler_name):
    """A pandas column as a NumPy float array of ``column.compute``."""
    pd = _pandas()
    if column.kind == "category":
        codes = series.cat.codes.to_numpy()
        missing = codes < 0
        values = column.categories[np.where(missing, 0, codes)]
        if missing.any():
            values = np.where(missing, np.nan, values)
    else:
        missing = series.isna().to_numpy()
        values = series.to_numpy(dtype=column.compute, na_value=np.nan) if isinstance(
            series.dtype, pd.api.extensions.ExtensionDtype) else series.to_numpy().astype(
            column.compute)
    if missing.any() and not allow_nan:
        raise ValueError(
            f"Input X contains NaN: column {name!r} ({series.dtype}) has {int(missing.sum())} "
            f"missing value(s), which {sampler_name} cannot resample. Impute them first (e.g. "
            "sklearn.impute.SimpleImputer) or drop those rows."
        )
    return values.astype(column.compute, copy=False)


class Plan:
    """What :func:`encode` changed, for :func:`decode`."""

    def __init__(self, X, columns, X_comp):
        self.X = X
        self.columns = columns  # list of _Column or None per column (frames); one for arrays
        self.X_comp = X_comp


def encode(X, *, numeric, allow_nan, sampler_name):
    """``(X_comp, plan)``: X in the computation form, and the plan to undo it (None: no change).

    ``numeric``: the sampler computes on numbers (over-samplers, distance-based
    samplers); otherwise only float16 / longdouble columns are converted.
    """
    pd = _pandas()
    if pd is not None and isinstance(X, pd.DataFrame):
        columns = [_plan_dtype(dtype, name, numeric, sampler_name)
                   for name, dtype in X.dtypes.items()]
        if all(c is None for c in columns):
            return X, None
        computes = {c.compute for c in columns if c is not None}
        plain = {dtype for dtype, c in zip(X.dtypes, columns) if c is None}
        # float32 only when every column is float32 or narrower.
        if computes == {np.dtype(np.float32)} and plain <= {np.dtype(np.float32)}:
            compute = np.dtype(np.float32)
        else:
            compute = np.dtype(np.float64)
        data = {}
        for (name, series), column in zip(X.items(), columns):
            if column is None:
                data[name] = series
            else:
                column.compute = compute if numeric else column.compute
                data[name] = _column_values(series, column, name, allow_nan, sampler_name)
        X_comp = pd.DataFrame(data, index=X.index)
        X_comp.columns = X.columns
        return X_comp, Plan(X, columns, X_comp)
    if isinstance(X, np.ndarray) and X.ndim == 2:
        column = _plan_dtype(X.dtype, "X", numeric, sampler_name, in_frame=False)
        # Integer and boolean arrays keep scikit-learn's validation (float64 where
        # a sampler computes on them, as imbalanced-learn); only odd floats change.
        if column is None or column.kind != "float":
            return X, None
        X_comp = X.astype(column.compute)
        return X_comp, Plan(X, [column], X_comp)
    return X, None


def _prefix(plan, X_res, indices):
    """How many leading output rows are the input rows ``indices`` (0 when they are not)."""
    if indices is None or sp_issparse(X_res):
        return 0
    indices = np.asarray(indices)
    k = indices.size
    if k == 0 or k > X_res.shape[0] or indices.min() < 0 or indices.max() >= len(plan.X):
        return 0
    # Checked on the computed values, so a sampler outside the convention loses nothing.
    if isinstance(plan.X, np.ndarray):
        same = np.array_equal(np.asarray(X_res[:k]), plan.X_comp[indices], equal_nan=True)
    else:
        planned = [i for i, c in enumerate(plan.columns) if c is not None]
        same = np.array_equal(X_res.iloc[:k, planned].to_numpy(dtype=np.float64),
                              plan.X_comp.iloc[indices, planned].to_numpy(dtype=np.float64),
                              equal_nan=True)
    return k if same else 0


def decode(plan, X_res, indices):
    """The output ``X_res`` (computed form, same kind as the input) in the input's dtypes.

    ``indices``: the sampler's ``sample_indices_`` -- the output begins with
    ``X[indices]``, which is taken from the input exactly; the other rows are
    cast by each column's rule.
    """
    if plan is None:
        return X_res
    pd = _pandas()
    k = _prefix(plan, X_res, indices)
    idx = np.asarray(indices if k else np.empty(0, np.intp), dtype=np.intp)
    if isinstance(plan.X, np.ndarray):
        column = plan.columns[0]
        out = np.empty(X_res.shape, dtype=plan.X.dtype)
        out[:k] = plan.X[idx]
        out[k:] = column.back(np.asarray(X_res[k:]))
        return out
    data = {}
    for position, column in enumerate(plan.columns):
        computed = X_res.iloc[:, position]
        if column is None:
            data[position] = computed.array if computed.dtype == plan.X.dtypes.iloc[
                position] else computed.astype(plan.X.dtypes.iloc[position]).array
            continue
        original = plan.X.iloc[:, position]
        synthetic = computed.to_numpy()[k:]
        if column.kind == "category":
            codes = np.concatenate([original.cat.codes.to_numpy()[idx],
                                    column.back(synthetic.astype(np.float64))])
            data[position] = pd.Categorical.from_codes(codes, dtype=column.dtype)
            continue
        head = original.array.take(idx) if k else original.array[:0]
        tail = pd.array(column.back(synthetic), dtype=column.dtype)
        data[position] = type(head)._concat_same_type([head, tail])
    out = pd.DataFrame(data, index=X_res.index)
    out.columns = plan.X.columns
    return out
