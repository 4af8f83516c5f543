"""polars in, polars out, through the pandas path that imbalanced-learn's samplers already keep.

imbalanced-learn rebuilds a sampler's output by the *name* of the input's type:
a polars ``DataFrame`` is taken for a pandas one and fails with polars dtypes.
A sampler therefore hands polars input to the library as pandas (built column
by column, so no pyarrow is needed) and turns the pandas output back into
polars with the input's schema.
"""

from ._compat import require


def is_polars(obj):
    """True for a polars DataFrame or Series (checked without importing polars)."""
    return (type(obj).__module__.split(".")[0] == "polars"
            and type(obj).__name__ in ("DataFrame", "Series"))


def _pandas_column(pd, pl, series):
    if isinstance(series.dtype, (pl.Categorical, pl.Enum)):
        # Enum keeps its declared category order; Categorical has none, pandas sorts.
        categories = (series.dtype.categories.to_list() if isinstance(series.dtype, pl.Enum)
                      else None)
        return pd.Categorical(series.cast(pl.String).to_numpy(), categories=categories)
    if series.null_count() and (series.dtype.is_integer() or series.dtype == pl.Boolean):
        # pandas' nullable dtype, so the missing values stay missing (not NaN floats or objects)
        # and a sampler's refusal can name the column.
        dtype = "boolean" if series.dtype == pl.Boolean else str(series.dtype)  # e.g. "Int32"
        return pd.array(series.to_list(), dtype=dtype)
    return series.to_numpy()


def to_pandas(obj):
    """A pandas DataFrame/Series with the same names, values and categorical columns."""
    pd = require("pandas", "polars input to an imbtool sampler")
    pl = require("polars", "polars input to an imbtool sampler")
    if isinstance(obj, pl.Series):
        return pd.Series(_pandas_column(pd, pl, obj), name=obj.name)
    return pd.DataFrame({name: _pandas_column(pd, pl, obj[name]) for name in obj.columns},
                        columns=list(obj.columns))


def like(template, result):
    """The pandas ``result`` as polars with ``template``'s names and dtypes.

    A column whose values no longer fit the input dtype (e.g. interpolated
    values of an integer column) raises polars' cast error, as in pandas.
    """
    pl = require("polars", "polars output of an imbtool sampler")
    if isinstance(template, pl.Series):
        return pl.Series(template.name, result.to_numpy(), dtype=template.dtype)
    # A categorical pandas column gives its labels as objects, which polars casts back;
    # a nullable one its missing values as None.
    return pl.DataFrame([pl.Series(name, _values(result[name]), dtype=dtype)
                         for name, dtype in template.schema.items()])


def _values(column):
    if column.hasnans and column.dtype.kind != "f":
        return column.to_numpy(dtype=object, na_value=None).tolist()
    return column.to_numpy()
