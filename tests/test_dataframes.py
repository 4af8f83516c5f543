"""Samplers with pandas, polars and sparse input.

Index contract (the same as imbalanced-learn's): the output of ``fit_resample``
on a DataFrame has a fresh ``RangeIndex(n_out)``. Over-samplers return the
original rows first, in order, so with a default ``RangeIndex`` input the
original rows keep their labels and the synthetic rows continue it
(``n, n + 1, ...``). Under-samplers and cleaners relabel the kept rows
``0 .. n_out - 1``; ``sample_indices_`` maps them back to input positions.
``RandomUnderSampler`` (as imbalanced-learn's) keeps the input labels instead.
"""

import re

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from imbtool.datasets import load_dataset
from imbtool.pipeline import make_pipeline
from imbtool.utils import all_estimators
from imbtool.utils._compat import PANDAS_INSTALLED, POLARS_INSTALLED, XGBOOST_INSTALLED

pd = pytest.importorskip("pandas") if PANDAS_INSTALLED else None
pytestmark = pytest.mark.skipif(not PANDAS_INSTALLED, reason="needs pandas")

SAMPLERS = all_estimators("sampler")
IDS = [name for name, _ in SAMPLERS]
NOMINAL = ("SMOTEN", "SMOTENC")
# Samplers for which resampling sparse rows is meaningful and required to work.
SPARSE_REQUIRED = ("SMOTE", "RandomOverSampler", "RandomUnderSampler")
# Data-frame handling does not depend on the inner model; these defaults take seconds.
FAST_PARAMS = {
    "KMeansSMOTE": {"kmeans_estimator": KMeans(n_clusters=8, n_init=1, random_state=0)},
    "InstanceHardnessThreshold": {"estimator": LogisticRegression()},
}


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    # Tiny problems: multi-threaded BLAS only adds contention on a shared 2-core machine.
    with threadpool_limits(1, user_api="blas"):
        yield


def seeded(cls):
    """Default sampler, seeded; the two slow defaults get a cheaper inner model."""
    sampler = cls(**FAST_PARAMS.get(cls.__name__, {}))
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    return sampler


@pytest.fixture(scope="module")
def frames():
    """Every other row of ecoli1 with a float32 column; every fourth of german (categoricals).

    Half the rows keep the tests fast; the data-frame handling does not depend on size.
    """
    ecoli = load_dataset("ecoli1", as_frame=True)
    X = ecoli.data.astype({ecoli.data.columns[0]: "float32"}).iloc[::2].reset_index(drop=True)
    german = load_dataset("german", as_frame=True)
    G = german.data.iloc[::4].reset_index(drop=True)
    y_german = german.target.iloc[::4].reset_index(drop=True)
    return {
        "numeric": (X, ecoli.target.iloc[::2].reset_index(drop=True)),
        "SMOTENC": (G, y_german),
        "SMOTEN": (G.loc[:, german.categorical_features], y_german),
    }


def data_for(name, frames):
    return frames[name] if name in NOMINAL else frames["numeric"]


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
def test_pandas_in_pandas_out(name, cls, frames):
    X, y = data_for(name, frames)
    sampler = seeded(cls)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X.columns)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    assert y_res.name == y.name
    assert X_res.index.equals(y_res.index)
    np.testing.assert_array_equal(sampler.feature_names_in_, X.columns)
    if name not in NOMINAL:
        # The DataFrame path computes the same rows as the array path.
        X_arr, y_arr = seeded(cls).fit_resample(X.to_numpy(), y.to_numpy())
        np.testing.assert_allclose(X_res.to_numpy(), X_arr, rtol=1e-6)
        np.testing.assert_array_equal(y_res.to_numpy(), y_arr)

    # The index contract of the module docstring.
    n, n_out = len(X), len(X_res)
    kept = getattr(sampler, "sample_indices_", None)
    if kept is not None and np.array_equal(kept, np.arange(n)):
        assert X_res.index.equals(pd.RangeIndex(n_out))
        pd.testing.assert_frame_equal(X_res.iloc[:n], X)
        return
    if name == "RandomUnderSampler":
        assert X_res.index.equals(X.index[kept])
    else:
        assert X_res.index.equals(pd.RangeIndex(n_out))
    if kept is not None and len(kept) == n_out:
        np.testing.assert_array_equal(X_res.to_numpy(), X.to_numpy()[kept])


@pytest.mark.parametrize("name", NOMINAL)
def test_categorical_columns_stay_categorical(name, frames):
    cls = dict(SAMPLERS)[name]
    X, y = frames[name]
    X_res, _ = seeded(cls).fit_resample(X, y)
    for column in X.select_dtypes("category"):
        assert isinstance(X_res[column].dtype, pd.CategoricalDtype)
        assert list(X_res[column].cat.categories) == list(X[column].cat.categories)
        assert X_res[column].notna().all()
    assert len(X_res) > len(X)


def test_pandas_flows_through_a_pipeline_with_set_output(frames):
    X, y = frames["numeric"]
    smote = dict(SAMPLERS)["SMOTE"](random_state=0)
    pipe = make_pipeline(StandardScaler(), smote, LogisticRegression())
    pipe.set_output(transform="pandas").fit(X, y)
    # The scaler emits a DataFrame, the sampler keeps it one, the classifier sees the names.
    np.testing.assert_array_equal(pipe[1].feature_names_in_, X.columns)
    np.testing.assert_array_equal(pipe[-1].feature_names_in_, X.columns)


def to_polars(X):
    """A polars frame of ``X``; nominal columns become Categorical, the first of them an Enum."""
    import polars as pl

    columns, enum_done = [], False
    for c in X.columns:
        if isinstance(X[c].dtype, pd.CategoricalDtype):
            # Built column by column: pl.from_pandas would need pyarrow for categoricals.
            dtype = pl.Categorical if enum_done else pl.Enum(
                [str(v) for v in X[c].cat.categories])
            enum_done = True
            columns.append(pl.Series(c, X[c].astype(str).to_numpy(), dtype=dtype))
        else:
            columns.append(pl.Series(c, X[c].to_numpy()))
    return pl.DataFrame(columns)


@pytest.mark.skipif(not POLARS_INSTALLED, reason="needs polars")
@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
def test_polars_in_polars_out(name, cls, frames):
    import polars as pl

    X, y = data_for(name, frames)
    X_pl = to_polars(X)
    y_pl = pl.Series(y.name, y.to_numpy())
    sampler = seeded(cls)
    # SMOTENC keeps categorical_features="auto": it finds the Categorical and Enum columns.
    X_res, y_res = sampler.fit_resample(X_pl, y_pl)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == X_pl.schema
    assert y_res.name == y_pl.name and y_res.dtype == y_pl.dtype
    np.testing.assert_array_equal(sampler.feature_names_in_, X.columns)
    # The same rows as the pandas path, column by column (labels for the nominal ones).
    X_pd, y_pd = seeded(cls).fit_resample(X, y)
    np.testing.assert_array_equal(y_res.to_numpy(), y_pd.to_numpy())
    for c in X.columns:
        expected = X_pd[c].to_numpy()
        got = X_res[c].cast(pl.String).to_numpy() if X_pl.schema[c] in (
            pl.Categorical,) or isinstance(X_pl.schema[c], pl.Enum) else X_res[c].to_numpy()
        np.testing.assert_array_equal(got, expected.astype(got.dtype), err_msg=c)


def sklearn_reads_polars_names(X, y):
    """Whether scikit-learn records a polars frame's column names (``feature_names_in_``):
    1.6 reads them only through the dataframe interchange protocol, which polars 2 lacks."""
    return hasattr(LogisticRegression().fit(to_polars(X), y), "feature_names_in_")


@pytest.mark.skipif(not POLARS_INSTALLED, reason="needs polars")
def test_polars_flows_through_a_pipeline_with_set_output(frames):
    X, y = frames["numeric"]
    if not sklearn_reads_polars_names(X, y):
        pytest.skip("this scikit-learn records no feature names of this polars' frames")
    smote = dict(SAMPLERS)["SMOTE"](random_state=0)
    pipe = make_pipeline(StandardScaler(), smote, LogisticRegression())
    pipe.set_output(transform="polars").fit(X, y)
    np.testing.assert_array_equal(pipe[-1].feature_names_in_, X.columns)


CLASSIFIERS = all_estimators("classifier")
# Known defects (strict: a fix must remove the entry).
POLARS_CLASSIFIER_DEFECTS = {}


def polars_classifier_cases():
    for name, cls in CLASSIFIERS:
        marks = []
        if name in POLARS_CLASSIFIER_DEFECTS:
            marks.append(pytest.mark.xfail(reason=POLARS_CLASSIFIER_DEFECTS[name], strict=True))
        if name.startswith("XGB") and not XGBOOST_INSTALLED:
            marks.append(pytest.mark.skip(reason="needs xgboost"))
        yield pytest.param(cls, id=name, marks=marks)


def small(cls):
    """A seeded classifier; ensembles get few members (polars handling does not need more)."""
    estimator = cls()
    params = estimator.get_params()
    estimator.set_params(**{k: v for k, v in (("random_state", 0), ("n_estimators", 5))
                            if k in params})
    return estimator


@pytest.mark.skipif(not POLARS_INSTALLED, reason="needs polars")
@pytest.mark.parametrize("cls", list(polars_classifier_cases()))
def test_classifier_fits_and_predicts_polars(cls, frames):
    """Where scikit-learn takes polars X (fit, predict), every imbtool classifier does too."""
    import polars as pl

    X, y = frames["numeric"]
    fitted = small(cls).fit(to_polars(X), pl.Series(y.name, y.to_numpy()))
    reference = small(cls).fit(X, y)
    if sklearn_reads_polars_names(X, y):
        np.testing.assert_array_equal(fitted.feature_names_in_, X.columns)
    np.testing.assert_array_equal(fitted.predict(to_polars(X)), reference.predict(X))


@pytest.fixture(scope="module")
def sparse_data():
    X, y = load_dataset("ecoli1", return_X_y=True)
    return sp.csr_matrix(np.where(X < 0.4, 0.0, X)), y


@pytest.mark.parametrize("name, cls", [s for s in SAMPLERS if s[0] not in NOMINAL],
                         ids=[n for n in IDS if n not in NOMINAL])
def test_sparse_input_works_or_fails_clearly(name, cls, sparse_data):
    X, y = sparse_data
    try:
        X_res, y_res = seeded(cls).fit_resample(X, y)
    except (TypeError, ValueError) as exc:
        assert name not in SPARSE_REQUIRED, f"{name} must accept sparse input: {exc}"
        message = str(exc)
        assert re.search(r"\bX\b", message) and ".toarray()" in message, message
        # ... and says which samplers take sparse X.
        assert all(required in message for required in SPARSE_REQUIRED), message
        return
    assert sp.issparse(X_res) and X_res.format == "csr"
    X_dense, y_dense = seeded(cls).fit_resample(X.toarray(), y)
    np.testing.assert_array_equal(X_res.toarray(), X_dense)
    np.testing.assert_array_equal(y_res, y_dense)


@pytest.mark.parametrize("name", ["ecoli1", "pima"])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_smote_matches_dense_path_and_imblearn(name, fmt, dtype):
    """Sparse SMOTE on real data made sparse: same points as dense SMOTE and as imbalanced-learn.

    Values below each column's median are zeroed (about half the entries); on these
    two sets no neighbour distances tie, so imbalanced-learn draws the same points.
    """
    from imblearn.over_sampling import SMOTE as ImblearnSMOTE

    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = load_dataset(name, return_X_y=True)
    dense = np.where(X < np.median(X, axis=0), 0.0, X).astype(dtype)
    X_sparse = sp.csr_matrix(dense).asformat(fmt)
    before = X_sparse.copy()
    X_res, y_res = SMOTE(random_state=0).fit_resample(X_sparse, y)
    assert sp.issparse(X_res) and X_res.format == fmt and X_res.dtype == dtype
    X_dense, y_dense = SMOTE(random_state=0).fit_resample(dense, y)
    np.testing.assert_array_equal(X_res.toarray(), X_dense)
    np.testing.assert_array_equal(y_res, y_dense)
    X_ref, y_ref = ImblearnSMOTE(random_state=0).fit_resample(X_sparse, y)
    np.testing.assert_array_equal(X_res.toarray(), X_ref.toarray())
    np.testing.assert_array_equal(y_res, y_ref)
    assert (X_sparse != before).nnz == 0  # the input is not modified
