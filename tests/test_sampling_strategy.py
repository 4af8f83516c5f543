"""One ``sampling_strategy`` rule for every sampler, and the output-size guard, both in the base.

- a dict (or a callable's dict) counts rows: whole numbers only; 30.0 is 30,
  2.5 is an ``InvalidParameterError`` naming ``sampling_strategy`` and the class;
- a float ratio keeps imbalanced-learn's ``int`` truncation;
- an over-sampled output larger than the available memory is refused before
  anything is allocated, naming ``sampling_strategy``, the rows and the bytes.
"""

import re
import time

import numpy as np
import pytest
from imblearn.utils import check_sampling_strategy
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError

from imbtool.datasets import load_dataset
from imbtool.utils import all_estimators
from imbtool.utils._class_counts import MAX_OUTPUT_BYTES_ENV, OutputSizeError

SAMPLERS = all_estimators("sampler")
FAST_PARAMS = {
    "KMeansSMOTE": {"kmeans_estimator": KMeans(n_clusters=4, n_init=1, random_state=0)},
    "InstanceHardnessThreshold": {"estimator": LogisticRegression()},
}
# Samplers whose sampling_strategy can be a dict of counts.
COUNTING = [(name, cls) for name, cls in SAMPLERS if cls()._sampling_type != "clean-sampling"]
OVER = [(name, cls) for name, cls in SAMPLERS if cls()._sampling_type == "over-sampling"]


@pytest.fixture(scope="module")
def data():
    """60 rows of ecoli1, 40 of class 0 and 20 of class 1; SMOTEN/SMOTENC get integers."""
    X, y = load_dataset("ecoli1", return_X_y=True)
    rows = np.r_[np.flatnonzero(y == 0)[:40], np.flatnonzero(y == 1)[:20]]
    return X[rows], y[rows]


def make(name, cls, **params):
    params = {**FAST_PARAMS.get(name, {}), **params}
    if name == "SMOTENC":
        params["categorical_features"] = [0]
    sampler = cls(**params)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    return sampler


def inputs(name, data):
    X, y = data
    if name in ("SMOTEN", "SMOTENC"):
        X = np.column_stack([np.rint(X[:, 0] * 4), X[:, 1:]]) if name == "SMOTENC" \
            else np.rint(X * 4)
    return X, y


def counts(cls):
    """A dict of counts each sampler kind accepts: class 1 to 30 rows, or class 0 to 30."""
    return {1: 30} if cls()._sampling_type == "over-sampling" else {0: 30}


@pytest.mark.parametrize("name, cls", COUNTING, ids=[n for n, _ in COUNTING])
def test_fractional_count_is_refused_naming_parameter_and_class(name, cls, data):
    X, y = inputs(name, data)
    (label, n), = counts(cls).items()
    for strategy in ({label: n + 0.5}, lambda y: {label: n + 0.5}):
        with pytest.raises(InvalidParameterError, match=re.escape(
                f"sampling_strategy as a dict maps each class to a whole number of rows; "
                f"class {label!r} has {n + 0.5!r}")):
            make(name, cls, sampling_strategy=strategy).fit_resample(X, y)


@pytest.mark.parametrize("name, cls", COUNTING, ids=[n for n, _ in COUNTING])
def test_whole_float_count_is_the_integer(name, cls, data):
    X, y = inputs(name, data)
    (label, n), = counts(cls).items()
    X_int, y_int = make(name, cls, sampling_strategy={label: n}).fit_resample(X, y)
    X_float, y_float = make(name, cls, sampling_strategy={label: float(n)}).fit_resample(X, y)
    np.testing.assert_array_equal(X_float, X_int)
    np.testing.assert_array_equal(y_float, y_int)


@pytest.mark.parametrize("name, cls", COUNTING, ids=[n for n, _ in COUNTING])
def test_float_ratio_keeps_imblearn_truncation(name, cls, data):
    X, y = inputs(name, data)
    sampler = make(name, cls, sampling_strategy=0.55)
    sampler.fit_resample(X, y)
    expected = check_sampling_strategy(0.55, y, sampler._sampling_type)
    # SMOTEENN and SMOTETomek (as imbalanced-learn's) record the parameter; their SMOTE resolves it.
    resolved = getattr(sampler, "smote_", sampler).sampling_strategy_
    assert resolved == expected
    # 0.55 * 40 = 22 rows of class 1 (2 new); 20 / 0.55 = 36.36 -> 36 rows of class 0.
    assert expected == ({1: 2} if sampler._sampling_type == "over-sampling" else {0: 36})


def test_weight_targets_may_be_fractional(data):
    """With class_counts="weight" the dict holds total weights, which need not be whole."""
    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = data
    _, y_res = SMOTE(random_state=0, sampling_strategy={1: 30.5},
                     class_counts="weight").fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 30]


@pytest.mark.parametrize("name, cls", OVER, ids=[n for n, _ in OVER])
def test_huge_output_is_refused_before_allocation(name, cls, data):
    X, y = inputs(name, data)
    start = time.perf_counter()
    with pytest.raises(OutputSizeError) as exc_info:
        make(name, cls, sampling_strategy={1: 10**13}).fit_resample(X, y)
    assert time.perf_counter() - start < 5
    message = str(exc_info.value)
    assert "sampling_strategy" in message and "10,000,000,000,040 output rows" in message
    assert "GiB" in message and MAX_OUTPUT_BYTES_ENV in message
    assert isinstance(exc_info.value, ValueError) and isinstance(exc_info.value, MemoryError)


def test_output_limit_can_be_set(data, monkeypatch):
    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = data
    # 60 + 20 rows of 7 float64: 4480 bytes.
    monkeypatch.setenv(MAX_OUTPUT_BYTES_ENV, "4000")
    with pytest.raises(OutputSizeError, match="80 output rows"):
        SMOTE(random_state=0, sampling_strategy={1: 40}).fit_resample(X, y)
    monkeypatch.setenv(MAX_OUTPUT_BYTES_ENV, "4480")
    _, y_res = SMOTE(random_state=0, sampling_strategy={1: 40}).fit_resample(X, y)
    assert y_res.size == 80
    monkeypatch.setenv(MAX_OUTPUT_BYTES_ENV, "none")
    SMOTE(random_state=0, sampling_strategy={1: 40}).fit_resample(X, y)
