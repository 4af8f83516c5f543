"""The shipped regression data sets with skewed targets."""

from pathlib import Path

import numpy as np
import pytest

from imbtool.datasets import list_regression_datasets, load_regression_dataset
from imbtool.datasets._loaders import REGRESSION_DIR
from imbtool.regression import relevance

ALL = [d["name"] for d in list_regression_datasets()]


def test_collection_is_complete_and_compact():
    assert len(ALL) == 11
    assert "boston" not in ALL  # left out on purpose: see build_regression_datasets.py
    assert {"cpu_performance", "medpar_los", "birthwt", "slid_wages"} <= set(ALL)
    assert sum(p.stat().st_size for p in Path(REGRESSION_DIR).iterdir()) < 256 * 2**10


@pytest.mark.parametrize("name", ALL)
def test_every_set_loads_consistently_with_its_index(name):
    info = {d["name"]: d for d in list_regression_datasets()}[name]
    bunch = load_regression_dataset(name)
    X, y = bunch.data, bunch.target
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert X.shape == (info["n_samples"], info["n_features"]) and y.shape == (len(X),)
    assert np.isfinite(y).all() and bunch.target_name == info["target"]
    # The rare counts of the index are the relevance function's, recomputed here.
    rare = relevance(y) >= 0.5
    assert int(rare.sum()) == info["n_rare"] == info["n_rare_high"] + info["n_rare_low"]
    assert info["n_rare"] >= 19 and rare.mean() < 0.25
    assert bool(np.isnan(X).any()) == info["has_missing"]
    assert int(bunch.categorical_features.sum()) == info["n_nominal"]
    for j in np.flatnonzero(bunch.categorical_features):
        codes = X[~np.isnan(X[:, j]), j]
        assert np.all(codes == np.round(codes))
        assert codes.min() >= 0 and codes.max() < len(bunch.categories[j])
    assert "Source: R data set" in bunch.DESCR and "Citation: " in bunch.DESCR


def test_values_equal_the_source_text():
    # The first data line of MASS/cpus and the last of car/Ornstein in the package's CSVs.
    X, y = load_regression_dataset("cpu_performance", return_X_y=True)
    assert X[0].tolist() == [125, 256, 6000, 256, 16, 128]
    assert y[0] == 198.0
    bunch = load_regression_dataset("ornstein_interlocks")
    assert bunch.feature_names == ["assets", "sector", "nation"]
    last = bunch.data[-1]
    assert last[0] == 62 and bunch.target[-1] == 0
    assert bunch.categories[1][int(last[1])] == "MIN"
    assert bunch.categories[2][int(last[2])] == "US"


def test_tails_left_and_right():
    info = {d["name"]: d for d in list_regression_datasets()}
    assert info["birthwt"]["n_rare_low"] == info["birthwt"]["n_rare"] > 0
    assert info["cpu_performance"]["n_rare_high"] == info["cpu_performance"]["n_rare"]
    assert info["cpu_performance"]["skewness"] > 3


def test_as_frame():
    pd = pytest.importorskip("pandas")
    bunch = load_regression_dataset("salaries", as_frame=True)
    assert list(bunch.data.columns) == bunch.feature_names
    assert isinstance(bunch.data["rank"].dtype, pd.CategoricalDtype)
    assert bunch.target.name == "salary" and list(bunch.frame.columns)[-1] == "salary"
    listing = list_regression_datasets(as_frame=True)
    assert len(listing) == len(ALL) and "n_rare" in listing.columns


def test_unknown_name_points_to_the_listing():
    with pytest.raises(ValueError, match="list_regression_datasets"):
        load_regression_dataset("ecoli1")
    with pytest.raises(TypeError, match="name must be"):
        load_regression_dataset(3)
