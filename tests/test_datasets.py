"""The shipped real data sets, the KEEL parser and the synthetic generator."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from imbtool.datasets import list_datasets, load_dataset, make_imbalanced_classification
from imbtool.datasets._keel import KeelFormatError, decimal_scale, parse_keel
from imbtool.datasets._loaders import DATA_DIR

ALL = [d["name"] for d in list_datasets()]


def test_collection_is_complete_and_compact():
    assert len(ALL) == 106
    for name in ["ecoli1", "yeast4", "abalone19", "pima", "page-blocks0", "german", "pc1",
                 "satimage", "kddcup-land_vs_satan", "cleveland-0_vs_4"]:
        assert name in ALL
    size = sum(p.stat().st_size for p in Path(DATA_DIR).iterdir())
    assert size < 4 * 2**20


@pytest.mark.parametrize("name", ALL)
def test_every_set_loads_consistently_with_its_index(name):
    info = {d["name"]: d for d in list_datasets()}[name]
    bunch = load_dataset(name)
    X, y = bunch.data, bunch.target
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.shape == (info["n_samples"], info["n_features"])
    assert set(np.unique(y)) == {0, 1}
    n_minority = int(y.sum())
    assert n_minority == info["n_minority"] and n_minority <= len(y) - n_minority
    assert info["imbalance_ratio"] == pytest.approx((len(y) - n_minority) / n_minority, abs=0.01)
    assert bool(np.isnan(X).any()) == info["has_missing"]
    assert int(bunch.categorical_features.sum()) == info["n_nominal"]
    for j in np.flatnonzero(bunch.categorical_features):
        codes = X[~np.isnan(X[:, j]), j]
        assert np.all(codes == np.round(codes))
        assert codes.min() >= 0 and codes.max() < len(bunch.categories[j])
    assert np.isfinite(X[~np.isnan(X)]).all()


def test_values_equal_the_source_text_bit_for_bit():
    # First and last data lines of ecoli1.dat and the first of abalone19.dat in the package.
    X, y = load_dataset("ecoli1", return_X_y=True)
    assert X[0].tolist() == [0.49, 0.29, 0.48, 0.50, 0.56, 0.24, 0.35] and y[0] == 0
    assert X[-1].tolist() == [0.74, 0.74, 0.48, 0.50, 0.31, 0.53, 0.52] and y[-1] == 0
    bunch = load_dataset("abalone19")
    assert bunch.categories[0] == ["M", "F", "I"]
    assert bunch.data[0].tolist() == [0, 0.455, 0.365, 0.095, 0.514, 0.2245, 0.101, 0.15]


def test_as_frame_keeps_categories_and_names():
    pd = pytest.importorskip("pandas")
    bunch = load_dataset("german", as_frame=True)
    frame = bunch.data
    assert list(frame.columns) == bunch.feature_names
    nominal = [c for c, is_cat in zip(frame.columns, bunch.categorical_features) if is_cat]
    assert all(isinstance(frame[c].dtype, pd.CategoricalDtype) for c in nominal)
    assert frame.select_dtypes("number").shape[1] == 7
    X, _ = load_dataset("german", return_X_y=True)
    first = nominal[0]
    j = bunch.feature_names.index(first)
    assert (frame[first].cat.codes.to_numpy() == X[:, j]).all()
    assert bunch.frame.shape == (1000, 21) and bunch.target.name == "target"
    assert list_datasets(as_frame=True).shape[0] == len(ALL)


def test_missing_values_are_nan():
    bunch = load_dataset("cleveland-0_vs_4")
    assert np.isnan(bunch.data).sum() > 0


def test_bad_names_are_rejected_with_a_hint():
    with pytest.raises(ValueError, match="Unknown data set 'ecoli'.*list_datasets"):
        load_dataset("ecoli")
    with pytest.raises(TypeError, match="name must be a data set name"):
        load_dataset(3)


def test_parser_reads_nominals_missing_values_and_io_declarations():
    parsed = parse_keel(
        "@relation r\n@attribute a {x, y}\n@attribute b integer[0,9]\n"
        "@attribute Class {positive, negative}\n@inputs a, b\n@outputs Class\n@data\n"
        "y, 3, positive\nx, <null>, negative\n"
    )
    a, b = parsed["inputs"]
    assert a["values"] == [1, 0] and b["values"][1] is None and b["kind"] == "integer"
    assert parsed["output"]["values"] == ["positive", "negative"]


@pytest.mark.parametrize("text, message", [
    ("@relation r\n@attribute a real\n@attribute c {p, n}\n@data\n1, p, 2\n", "3 values for 2"),
    ("@relation r\n@attribute a {x}\n@attribute c {p, n}\n@data\nz, p\n", "not a declared"),
    ("@relation r\n@attribute a real\n@attribute c {p, n}\n@data\nabc, p\n", "not a number"),
    ("@relation r\n@attribute a real\n@attribute c {p, n}\n@data\n1, ?\n", "missing class"),
    ("@relation r\n@attribute a real\n@attribute c {p, n}\n", "no @data"),
    ("@relation r\n@attribute a blob\n@attribute c {p, n}\n@data\n1, p\n", "unknown type"),
])
def test_parser_errors_say_where(text, message):
    with pytest.raises(KeelFormatError, match=message):
        parse_keel(text)


def test_decimal_scaling_is_exact():
    from decimal import Decimal

    values = [Decimal(t) for t in ["0.1", "-2.75", "1E-3", "12345.6789"]]
    ints, exponent = decimal_scale(values)
    assert (ints / 10.0**exponent).tolist() == [float(v) for v in values]


@pytest.mark.parametrize("n, d, share", [(1000, 5, 0.05), (997, 1, 0.5), (20_000, 30, 0.001)])
def test_generator_hits_the_minority_share_exactly(n, d, share):
    X, y = make_imbalanced_classification(n, d, minority_share=share, random_state=0)
    assert X.shape == (n, d) and int(y.sum()) == max(1, round(share * n))
    X2, y2 = make_imbalanced_classification(n, d, minority_share=share, random_state=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


def test_generator_overlap_and_noise_make_the_problem_harder():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import cross_val_predict

    def auc(**kwargs):
        X, y = make_imbalanced_classification(3000, 8, minority_share=0.1, random_state=1,
                                              **kwargs)
        p = cross_val_predict(LogisticRegression(), X, y, cv=3, method="predict_proba")[:, 1]
        return roc_auc_score(y, p)

    assert auc(overlap=0.0) > auc(overlap=0.9) + 0.1
    assert auc(overlap=0.0) > auc(overlap=0.0, noise=0.5) + 0.1


def test_generator_float32():
    X, _ = make_imbalanced_classification(100, 3, minority_share=0.1, dtype=np.float32,
                                          random_state=0)
    assert X.dtype == np.float32


@pytest.mark.parametrize("kwargs, message", [
    ({"minority_share": 0.0}, "minority_share must be in \\(0, 0.5\\]"),
    ({"minority_share": 0.7}, "minority_share"),
    ({"overlap": 1.0}, "overlap must be in \\[0, 1\\)"),
    ({"noise": -0.1}, "noise"),
    ({"n_samples": 1}, "n_samples must be an integer >= 2"),
    ({"n_features": 2.5}, "n_features"),
    ({"dtype": np.int64}, "dtype"),
])
def test_generator_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_imbalanced_classification(**{"n_samples": 100, **kwargs})


MULTICLASS = ["ecoli-multiclass", "glass-multiclass", "satimage-multiclass",
              "vehicle-multiclass", "yeast-multiclass"]


def test_multiclass_sets_are_listed_apart():
    assert [d["name"] for d in list_datasets(task="multiclass")] == MULTICLASS
    every = [d["name"] for d in list_datasets(task="all")]
    assert sorted(ALL + MULTICLASS) == every
    assert all(d["n_classes"] == 2 for d in list_datasets())
    with pytest.raises(ValueError, match="task must be one of"):
        list_datasets(task="multi")


@pytest.mark.parametrize("name", MULTICLASS)
def test_multiclass_sets_load_consistently_with_their_index(name):
    info = {d["name"]: d for d in list_datasets(task="multiclass")}[name]
    bunch = load_dataset(name)
    counts = np.bincount(bunch.target)
    assert info["n_classes"] == len(counts) == len(bunch.target_names) > 2
    # Codes run from the largest class to the smallest.
    assert np.all(np.diff(counts) <= 0) and counts.min() == info["n_minority"]
    assert info["imbalance_ratio"] == pytest.approx(counts.max() / counts.min(), abs=0.01)
    assert bunch.data.shape == (info["n_samples"], info["n_features"])
    assert "Citation:" in bunch.DESCR and f"{len(counts)} classes" in bunch.DESCR
    X, y = load_dataset(name, as_frame=True, return_X_y=True)
    np.testing.assert_array_equal(y.to_numpy(), bunch.target)


def _rows(X):
    return Counter(map(tuple, np.asarray(X)))


@pytest.mark.parametrize("name, label, binary", [
    # The joins: each class is exactly the positives of its one-vs-rest KEEL file.
    ("ecoli-multiclass", "im", "ecoli1"), ("ecoli-multiclass", "pp", "ecoli2"),
    ("ecoli-multiclass", "imU", "ecoli3"), ("ecoli-multiclass", "om", "ecoli4"),
    ("yeast-multiclass", "NUC", "yeast1"), ("yeast-multiclass", "ME3", "yeast3"),
    ("yeast-multiclass", "ME2", "yeast4"), ("yeast-multiclass", "ME1", "yeast5"),
    ("yeast-multiclass", "EXC", "yeast6"),
    # The UCI files read independently of KEEL agree with the binary sets made from them.
    ("vehicle-multiclass", "van", "vehicle0"), ("vehicle-multiclass", "saab", "vehicle1"),
    ("vehicle-multiclass", "bus", "vehicle2"), ("vehicle-multiclass", "opel", "vehicle3"),
    ("glass-multiclass", "vehicle windows, float processed", "glass"),
    ("satimage-multiclass", "damp grey soil", "satimage"),
])
def test_multiclass_classes_match_the_binary_sets(name, label, binary):
    multi, two = load_dataset(name), load_dataset(binary)
    assert _rows(multi.data) == _rows(two.data)
    code = multi.target_names.index(label)
    assert _rows(multi.data[multi.target == code]) == _rows(two.data[two.target == 1])
