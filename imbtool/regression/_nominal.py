"""Nominal columns of the regression samplers: which they are, their codes, and back.

A nominal column is computed as integer codes (0, 1, ... in order of first
appearance) in its own position of the float matrix the samplers work on;
the neighbour search compares codes for equality (the engine's ``"mixed"``
metric) and the output gives every code back as the column's value, in the
column's dtype (a pandas categorical column keeps its categories).
"""

import numpy as np

from ..utils import _dtypes

__all__ = ["NominalColumns"]


def _is_frame(X):
    pd = _dtypes._pandas()
    return pd is not None and isinstance(X, pd.DataFrame)


def _auto_columns(X, sampler_name):
    if not _is_frame(X):
        raise ValueError(
            f"{sampler_name}: categorical_features='auto' finds the nominal columns of a pandas "
            f"DataFrame by dtype, but X is a {type(X).__name__}; pass the indices or a boolean "
            "mask of the nominal columns.")
    pd = _dtypes._pandas()
    return np.flatnonzero([
        isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        for dtype in X.dtypes])


def _listed_columns(X, categorical_features, sampler_name):
    listed = np.asarray(categorical_features).reshape(-1)
    n_columns = X.shape[1]
    if listed.dtype.kind == "b":
        if listed.size != n_columns:
            raise ValueError(
                f"{sampler_name}: categorical_features is a boolean mask of length "
                f"{listed.size}, but X has {n_columns} columns.")
        return np.flatnonzero(listed)
    if listed.dtype.kind in "OUS":
        if not _is_frame(X):
            raise ValueError(
                f"{sampler_name}: categorical_features names columns, but X has no column "
                "names (it is not a DataFrame); pass column indices or a boolean mask.")
        names = list(X.columns)
        missing = [name for name in listed if name not in names]
        if missing:
            raise ValueError(
                f"{sampler_name}: categorical_features names columns that X lacks: {missing}.")
        return np.unique([names.index(name) for name in listed])
    if listed.dtype.kind not in "iu":
        raise TypeError(
            f"{sampler_name}: categorical_features must be 'auto', column indices, column "
            f"names or a boolean mask; got {categorical_features!r}.")
    if listed.size and (listed.min() < -n_columns or listed.max() >= n_columns):
        raise ValueError(
            f"{sampler_name}: categorical_features holds column indices outside "
            f"[0, {n_columns}) for X with {n_columns} columns.")
    return np.unique(listed % n_columns)


class NominalColumns:
    """The nominal columns of ``X`` (indices), their codes and the values behind them."""

    def __init__(self, X, categorical_features, sampler_name):
        if categorical_features is None:
            self.columns = np.empty(0, dtype=np.intp)
        elif isinstance(categorical_features, str):  # "auto", the only string allowed
            self.columns = _auto_columns(X, sampler_name)
        else:
            self.columns = _listed_columns(X, categorical_features, sampler_name)
        self.values, self.codes = [], []
        for col in self.columns:
            column = X.iloc[:, col] if _is_frame(X) else np.asarray(X)[:, col]
            self._check_missing(X, col, column, sampler_name)
            if _is_frame(X) and hasattr(column, "cat"):
                # The categorical's own codes: its categories, in their order, come back.
                self.codes.append(column.cat.codes.to_numpy().astype(np.intp))
                self.values.append(None)
                continue
            values, codes = np.unique(np.asarray(column, dtype=object), return_inverse=True)
            self.codes.append(codes.astype(np.intp))
            self.values.append(values)

    @staticmethod
    def _check_missing(X, col, column, sampler_name):
        pd = _dtypes._pandas()
        missing = (np.asarray(pd.isna(column)) if pd is not None
                   else np.array([value is None or value != value for value in column]))
        if missing.any():
            name = X.columns[col] if _is_frame(X) else col
            raise ValueError(
                f"Input X contains NaN: nominal column {name!r} has {int(missing.sum())} "
                f"missing value(s), which {sampler_name} cannot resample. Impute them first "
                "(e.g. sklearn.impute.SimpleImputer) or drop those rows.")

    def encode(self, X):
        """``X`` with each nominal column replaced by its codes (floats), in the same kind."""
        if self.columns.size == 0:
            return X
        if _is_frame(X):
            X = X.copy()
            for col, codes in zip(self.columns, self.codes):
                X.isetitem(int(col), codes.astype(np.float64))
            return X
        X = np.asarray(X)
        numeric = np.setdiff1d(np.arange(X.shape[1]), self.columns)
        out = np.empty(X.shape, dtype=np.float64)
        try:
            out[:, numeric] = X[:, numeric].astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"The columns {numeric.tolist()} of X are not listed in categorical_features, "
                f"so they must be numeric: {exc}. List the other nominal columns.") from exc
        for col, codes in zip(self.columns, self.codes):
            out[:, col] = codes
        return out

    def decode(self, X_in, X_res):
        """The output ``X_res`` with the nominal columns' codes turned back into values."""
        if self.columns.size == 0:
            return X_res
        pd = _dtypes._pandas()
        if _is_frame(X_in):
            X_res = X_res.copy()
            for col, values in zip(self.columns, self.values):
                codes = X_res.iloc[:, col].to_numpy().astype(np.intp)
                dtype = X_in.dtypes.iloc[col]
                if values is None:
                    column = pd.Categorical.from_codes(codes, dtype=dtype)
                else:
                    column = pd.array(values[codes], dtype=dtype)
                X_res.isetitem(int(col), column)
            return X_res
        # An array with text keeps it in an object array; a numeric one stays in the
        # computed float dtype, as the samplers give numeric arrays back.
        X_res = np.asarray(X_res)
        out = X_res.astype(object if np.asarray(X_in).dtype.kind in "OUS" else X_res.dtype)
        for col, values in zip(self.columns, self.values):
            out[:, col] = values[X_res[:, col].astype(np.intp)]
        return out
