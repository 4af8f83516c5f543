"""Every sampler on every dtype: the rule of ``BaseSampler.fit_resample`` (imbtool.utils._dtypes).

For each sampler and input dtype: the sampler works or refuses with the
documented error; the output has the input's kind and dtypes, no NaN; the
rows it copies are the input rows exactly; a synthetic value follows the
column's rule (rounded integers, voted booleans, an existing category), which
is checked against the same sampler run on the float version of the data.
"""

import re

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from imbtool.datasets import load_dataset
from imbtool.utils import all_estimators
from imbtool.utils._compat import PANDAS_INSTALLED, POLARS_INSTALLED

pd = pytest.importorskip("pandas") if PANDAS_INSTALLED else None
pytestmark = [
    pytest.mark.skipif(not PANDAS_INSTALLED, reason="needs pandas"),
    # SMOBD on these unscaled columns finds no noise and says so, as documented.
    pytest.mark.filterwarnings("ignore:SMOBD. no sample of class:imbtool.utils.ImbtoolWarning"),
]

SAMPLERS = all_estimators("sampler")
IDS = [name for name, _ in SAMPLERS]
# Samplers that take X as it comes (nominal values, copies of rows).
AS_IS = ("RandomOverSampler", "RandomUnderSampler", "SMOTEN", "SMOTENC")
FAST_PARAMS = {
    "KMeansSMOTE": {"kmeans_estimator": KMeans(n_clusters=4, n_init=1, random_state=0)},
    "InstanceHardnessThreshold": {"estimator": LogisticRegression()},
}

FRAME_KINDS = ["float16", "float32", "float64", "longdouble", "int8", "int16", "int32", "int64",
               "uint8", "bool", "Int64", "boolean", "Float64", "category_numeric",
               "category_string"]
ARRAY_KINDS = ["float16", "float32", "longdouble", "int8", "int64", "uint8", "bool"]
POLARS_KINDS = ["Int32", "Float32", "Boolean", "Categorical"]
# The dtype each kind is compared with: the same values, as floats.
FLOAT_TWIN = {"float16": "float32", "longdouble": "float64", "int8": "float64",
              "Int64": "float64", "bool": "float64", "category_numeric": "float64"}


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def data():
    """60 rows of ecoli1: 40 of class 0, 20 of class 1."""
    X, y = load_dataset("ecoli1", return_X_y=True)
    rows = np.r_[np.flatnonzero(y == 0)[:40], np.flatnonzero(y == 1)[:20]]
    return X[rows], y[rows]


def sampler_for(name, cls, array=False):
    params = dict(FAST_PARAMS.get(name, {}))
    if name == "SMOTENC" and array:
        params["categorical_features"] = [0]
    sampler = cls(**params)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    return sampler


def frame(X, kind):
    """Columns a, b, c of X (times 10); b has the dtype ``kind``; SMOTENC's nominal column n."""
    f = pd.DataFrame(X[:, :3] * 10, columns=["a", "b", "c"])
    b = f["b"]
    if kind in ("float16", "float32", "float64", "longdouble", "Float64"):
        f["b"] = b.astype(kind)
    elif kind in ("int8", "int16", "int32", "int64", "uint8", "Int64"):
        f["b"] = b.round().astype(kind)
    elif kind in ("bool", "boolean"):
        f["b"] = (b > b.median()).astype(kind)
    elif kind == "category_numeric":
        f["b"] = pd.Categorical(b.round().astype(int))
    elif kind == "category_string":
        f["b"] = pd.Categorical(np.where(b > b.median(), "high", "low"))
    f["n"] = pd.Categorical(np.where(f["a"] > f["a"].median(), "x", "y"))
    return f


def array(X, kind):
    if kind == "bool":
        return X > np.median(X, axis=0)
    if kind[0] in "iu":
        return np.rint(X * 10).astype(kind)
    return X.astype(kind)


def to_polars(f, kind):
    import polars as pl

    columns = []
    for c in f.columns:
        if c == "b" and kind == "Categorical" or c == "n":
            columns.append(pl.Series(c, f[c].astype(str).to_numpy(), dtype=pl.Categorical))
        elif c == "b":
            columns.append(pl.Series(c, f[c].to_numpy()).cast(getattr(pl, kind)))
        else:
            columns.append(pl.Series(c, f[c].to_numpy()))
    return pl.DataFrame(columns)


def frame_input(X, name, kind):
    f = frame(X, "category_string" if kind == "Categorical" else
              {"Int32": "int32", "Float32": "float32", "Boolean": "bool"}.get(kind, kind))
    return f if name == "SMOTENC" else f.drop(columns="n")


def refused(name, kind):
    """The documented refusal: a string-categorical column for a sampler computing on numbers."""
    return kind in ("category_string", "Categorical") and name not in AS_IS


def check_refusal(exc_info):
    message = str(exc_info.value)
    assert "'b'" in message and "SMOTENC" in message and "OneHotEncoder" in message, message


def check_kept(X_in, X_res, sampler, take):
    """The rows the output copies (``X[sample_indices_]`` first) are the input rows, exactly."""
    kept = getattr(sampler, "sample_indices_", None)
    assert kept is not None
    assert len(kept) <= len(X_res)
    return take(X_in, kept), len(kept)


@pytest.mark.parametrize("kind", FRAME_KINDS)
@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
def test_pandas_dtypes(name, cls, kind, data):
    X, y = data
    X_in = frame_input(X, name, kind)
    before = X_in.copy()
    sampler = sampler_for(name, cls)
    if refused(name, kind):
        with pytest.raises(TypeError) as exc_info:
            sampler.fit_resample(X_in, y)
        check_refusal(exc_info)
        return
    X_res, y_res = sampler.fit_resample(X_in, y)
    pd.testing.assert_frame_equal(X_in, before)  # the caller's frame is not modified
    assert isinstance(X_res, pd.DataFrame) and len(X_res) == len(y_res)
    pd.testing.assert_series_equal(X_res.dtypes, X_in.dtypes)
    assert not X_res.isna().any().any()
    for column in X_in.select_dtypes("category"):
        assert X_res[column].isin(X_in[column].cat.categories).all()
    originals, k = check_kept(X_in, X_res, sampler,
                              lambda X, rows: X.iloc[rows].reset_index(drop=True))
    pd.testing.assert_frame_equal(X_res.iloc[:k].reset_index(drop=True), originals)
    twin = FLOAT_TWIN.get(kind)
    if twin is None or name in AS_IS or k == len(X_res):
        return
    # The synthetic rows are the float twin's, cast by the column's rule.
    X_twin = X_in.copy()
    X_twin["b"] = (X_in["b"].astype(np.float64) if kind != "category_numeric"
                   else X_in["b"].astype(int).astype(np.float64)).astype(twin)
    X_float, _ = sampler_for(name, cls).fit_resample(X_twin, y)
    assert len(X_float) == len(X_res)
    computed = X_float["b"].to_numpy(dtype=np.float64)[k:]
    got = X_res["b"].iloc[k:]
    if kind in ("int8", "Int64"):
        np.testing.assert_array_equal(got.to_numpy(dtype=np.float64), np.rint(computed))
    elif kind == "bool":
        np.testing.assert_array_equal(got.to_numpy(), computed >= 0.5)
    elif kind == "category_numeric":
        categories = X_in["b"].cat.categories.to_numpy(dtype=np.float64)
        distance = np.abs(got.astype(int).to_numpy(dtype=np.float64) - computed)
        nearest = np.min(np.abs(categories[None, :] - computed[:, None]), axis=1)
        np.testing.assert_allclose(distance, nearest)
    else:
        np.testing.assert_array_equal(got.to_numpy(), computed.astype(kind))
    for column in ("a", "c"):
        np.testing.assert_array_equal(X_res[column].to_numpy(), X_float[column].to_numpy())


@pytest.mark.parametrize("kind", ARRAY_KINDS)
@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
# Boolean data have few distinct rows: ClusterCentroids' KMeans says it found fewer clusters.
@pytest.mark.filterwarnings("ignore:Number of distinct clusters"
                            ":sklearn.exceptions.ConvergenceWarning")
def test_array_dtypes(name, cls, kind, data):
    X, y = data
    X_in = array(X, kind)
    before = X_in.copy()
    sampler = sampler_for(name, cls, array=True)
    X_res, y_res = sampler.fit_resample(X_in, y)
    np.testing.assert_array_equal(X_in, before)
    assert isinstance(X_res, np.ndarray) and len(X_res) == len(y_res)
    if X_in.dtype.kind == "f":
        assert X_res.dtype == X_in.dtype  # float16 and longdouble included
    else:
        # Integer and boolean arrays: scikit-learn's validation, as in imbalanced-learn.
        assert X_res.dtype in (X_in.dtype, np.float64)
    if X_res.dtype.kind == "f":
        assert np.isfinite(X_res).all()
    originals, k = check_kept(X_in, X_res, sampler, lambda X, rows: X[rows])
    np.testing.assert_array_equal(X_res[:k], originals.astype(X_res.dtype))


@pytest.mark.skipif(not POLARS_INSTALLED, reason="needs polars")
@pytest.mark.parametrize("kind", POLARS_KINDS)
@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
def test_polars_dtypes(name, cls, kind, data):
    import polars as pl

    X, y = data
    X_in = to_polars(frame_input(X, name, kind), kind)
    sampler = sampler_for(name, cls)
    if refused(name, kind):
        with pytest.raises(TypeError) as exc_info:
            sampler.fit_resample(X_in, y)
        check_refusal(exc_info)
        return
    X_res, _ = sampler.fit_resample(X_in, y)
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == X_in.schema
    assert X_res.null_count().sum_horizontal().item() == 0
    kept = sampler.sample_indices_
    assert X_res.head(len(kept)).equals(X_in[kept])


NULLABLE_WITH_NA = {
    "Int64": pd.array([1, None] + [2] * 58, dtype="Int64") if PANDAS_INSTALLED else None,
    "boolean": pd.array([True, None] + [False] * 58, dtype="boolean") if PANDAS_INSTALLED else None,
    "Float64": pd.array([1.5, None] + [2.5] * 58, dtype="Float64") if PANDAS_INSTALLED else None,
}


@pytest.mark.parametrize("dtype", list(NULLABLE_WITH_NA))
@pytest.mark.parametrize("name, cls", [s for s in SAMPLERS if s[0] not in AS_IS],
                         ids=[n for n in IDS if n not in AS_IS])
def test_missing_values_refused_naming_the_column(name, cls, dtype, data):
    X, y = data
    X_in = frame(X, "float64").drop(columns="n")
    X_in["b"] = NULLABLE_WITH_NA[dtype]
    with pytest.raises(ValueError, match=r"Input X contains NaN: column 'b' \(" + dtype):
        sampler_for(name, cls).fit_resample(X_in, y)


@pytest.mark.parametrize("name", ["RandomOverSampler", "RandomUnderSampler"])
def test_row_copying_samplers_keep_missing_values(name, data):
    X, y = data
    X_in = frame(X, "float64").drop(columns="n")
    X_in["b"] = NULLABLE_WITH_NA["Int64"]
    sampler = sampler_for(name, dict(SAMPLERS)[name])
    X_res, _ = sampler.fit_resample(X_in, y)
    pd.testing.assert_series_equal(X_res.dtypes, X_in.dtypes)
    np.testing.assert_array_equal(X_res["b"].isna().to_numpy(),
                                  X_in["b"].isna().to_numpy()[sampler.sample_indices_])


def test_numeric_categorical_smote_has_no_nan(data):
    """The reported case: 12 of 20 synthetic rows of a numeric categorical column were NaN."""
    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = data
    X_in = frame(X, "category_numeric").drop(columns="n")
    X_res, _ = SMOTE(random_state=0).fit_resample(X_in, y)
    synthetic = X_res["b"].iloc[len(X_in):]
    assert len(synthetic) == 20 and synthetic.notna().all()
    assert X_res["b"].dtype == X_in["b"].dtype


def test_integer_synthetic_values_are_rounded_not_truncated():
    """Between 0 and 10 at a step of 0.97 the value is 10 (9.7 rounded), not 9."""
    SMOTE = dict(SAMPLERS)["SMOTE"]
    rng = np.random.default_rng(0)
    values = rng.integers(0, 100, size=(60, 3))
    X = pd.DataFrame({"i16": values[:, 0].astype("int16"), "u8": values[:, 1].astype("uint8"),
                      "I32": pd.array(values[:, 2], dtype="Int32")})
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    seeds, partners = sampler.synthetic_sources_.T
    steps = sampler.synthetic_steps_.reshape(-1, 1)
    exact = values[seeds] + steps * (values[partners] - values[seeds])
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    got = X_res.iloc[60:].to_numpy(dtype=np.float64)
    np.testing.assert_array_equal(got, np.rint(exact))
    assert (np.abs(got - exact) <= 0.5 + 1e-9).all()


def test_bool_synthetic_value_is_the_step_nearest_source():
    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = load_dataset("ecoli1", return_X_y=True)
    f = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    f["flag"] = (f["x0"] > f["x0"].median()).astype("boolean")
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(f, y)
    seeds, partners = sampler.synthetic_sources_.T
    steps = sampler.synthetic_steps_
    flag = f["flag"].to_numpy(dtype=bool)
    nearer = np.where(steps >= 0.5, flag[partners], flag[seeds])
    np.testing.assert_array_equal(X_res["flag"].iloc[len(f):].to_numpy(dtype=bool), nearer)
    assert X_res["flag"].dtype == "boolean"


@pytest.mark.parametrize("dtype", ["float16", "longdouble"])
@pytest.mark.parametrize("name", ["RandomOverSampler", "SMOTE", "EditedNearestNeighbours"])
def test_odd_floats_are_computed_in_float32_or_float64(name, dtype, data):
    """No kernel meets float16 or longdouble: the run on float32/float64, cast back."""
    X, y = data
    cls = dict(SAMPLERS)[name]
    X_res, y_res = sampler_for(name, cls).fit_resample(X.astype(dtype), y)
    twin = np.float32 if dtype == "float16" else np.float64
    X_twin, y_twin = sampler_for(name, cls).fit_resample(X.astype(dtype).astype(twin), y)
    assert X_res.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(X_res, X_twin.astype(dtype))
    np.testing.assert_array_equal(y_res, y_twin)


def test_refusal_names_the_column_and_the_alternatives(data):
    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = data
    with pytest.raises(TypeError, match=re.escape("column 'b' of X is categorical")):
        SMOTE().fit_resample(frame(X, "category_string").drop(columns="n"), y)


@pytest.mark.skipif(not POLARS_INSTALLED, reason="needs polars")
def test_polars_nulls_stay_missing_and_are_refused_by_name():
    import polars as pl

    SMOTE, ROS = dict(SAMPLERS)["SMOTE"], dict(SAMPLERS)["RandomOverSampler"]
    X = pl.DataFrame({"a": np.arange(30.0),
                      "b": pl.Series([1, None] + list(range(28)), dtype=pl.Int32),
                      "c": pl.Series([True, None] + [False] * 28)})
    y = np.r_[np.zeros(20, int), np.ones(10, int)]
    with pytest.raises(ValueError, match=r"column 'b' \(Int32\) has 1 missing value"):
        SMOTE(random_state=0).fit_resample(X, y)
    X_res, _ = ROS(random_state=0).fit_resample(X, y)
    assert X_res.schema == X.schema
    assert X_res.head(30).equals(X)
    assert X_res["b"].null_count() == 1 and X_res["c"].null_count() == 1
