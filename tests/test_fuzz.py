"""Fuzz target over ``fit_resample`` of every sampler (run on request: ``-m fuzz``).

Hypothesis draws messy tables: random shapes, feature dtypes (float64,
float32, int64, int32, bool, pandas frames with mixed column dtypes, Fortran,
strided and read-only arrays), value scales from 1e-200 to 1e200, constant
columns, duplicated rows and ties, one to eight classes with sizes from one
row up, int / negative int / float-valued / string / bool labels, and the
sampler's ``sampling_strategy`` and neighbour counts. The defined outcome is
either a correct result (the invariants of tests/test_invariants.py hold:
inputs unmodified, original rows kept or mapped back through
``sample_indices_``, labels from the input, finite output of the input's
float dtype) or a ``ValueError``/``TypeError`` with a message; never another
exception, never an error from inside numba, never NaN in the output.

The suite's profile replays 100 fixed examples per sampler; a long search::

    IMBTOOL_FUZZ_EXAMPLES=1500 OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python -m pytest \\
        -m fuzz -p no:cacheprovider --hypothesis-profile=fuzz -rA tests/test_fuzz.py

(``-rA`` prints, per sampler, how many examples ran and how they ended.)

Crashes it found are regression tests in tests/test_reliability.py
(``test_fuzz_regression_*``); the search time and counts are in tests/RELIABILITY.md.
"""

import os
import re
import traceback
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.ensemble import RandomForestClassifier

from test_invariants import SAMPLERS, _copy, assert_unchanged, check_resampled

NEIGHBOUR_PARAMS = ("k_neighbors", "n_neighbors", "m_neighbors", "n_neighbors_ver3")
STRATEGIES = ("auto", "all", "minority", "majority", "not minority", "not majority")
# IMBTOOL_FUZZ_MAX_SCALE=1e150 searches past the known overflow defects (strict xfails in
# tests/test_reliability.py) instead of finding them again.
SCALES = tuple(s for s in (1.0, 1.0, 1.0, 1e-6, 1e3, 1e6, 1e150, 1e200, 1e-200)
               if s <= float(os.environ.get("IMBTOOL_FUZZ_MAX_SCALE", "inf")))


@st.composite
def class_sizes(draw):
    n_classes = draw(st.sampled_from([1, 2, 2, 2, 3, 4, 8]))
    size = st.sampled_from([(1, 3), (4, 40), (4, 40), (40, 400)]).flatmap(
        lambda bounds: st.integers(*bounds))
    return draw(st.lists(size, min_size=n_classes, max_size=n_classes))


@st.composite
def messy_tables(draw):
    """(X, y, description) of a messy table; X and y in the drawn container and dtypes."""
    sizes = draw(class_sizes())
    n, n_features = sum(sizes), draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    codes = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    shift = draw(st.sampled_from([0.0, 0.5, 3.0]))
    X = rng.standard_normal((n, n_features)) + shift * codes[:, None]
    if draw(st.booleans()):
        X = np.round(X * draw(st.sampled_from([1, 2, 4])))  # ties and duplicated rows
    if draw(st.booleans()):
        copies = rng.integers(0, n, size=n // 3)
        X[rng.integers(0, n, size=copies.size)] = X[copies]
    if draw(st.booleans()):
        X[:, rng.integers(0, n_features)] = draw(st.sampled_from([0.0, 1.0, -7.5]))
    X = X * draw(st.sampled_from(SCALES))

    dtype = draw(st.sampled_from(["float64", "float32", "int64", "int32", "bool"]))
    if dtype == "bool":
        X = X > 0
    elif dtype.startswith("int"):
        X = np.clip(np.round(X), -1e9, 1e9).astype(dtype)
    else:
        X = X.astype(dtype)

    labels = draw(st.sampled_from(["int", "negative", "float", "str", "bool"]))
    if labels == "bool" and len(sizes) != 2:
        labels = "int"
    y = {
        "int": lambda: codes,
        "negative": lambda: np.array([-5, 1000, 7, 0, -1, 3, 42, 9])[codes],
        "float": lambda: codes.astype(np.float64),
        "str": lambda: np.array(["minority", "b", "ε", "", "0", "1", "x y", "Z"])[codes],
        "bool": lambda: codes.astype(bool),
    }[labels]()

    container = draw(st.sampled_from(
        ["numpy", "fortran", "strided", "readonly", "pandas", "pandas-mixed"]))
    if container == "fortran":
        X = np.asfortranarray(X)
    elif container == "strided":
        X = np.repeat(X, 2, axis=1)[:, ::2]
    elif container == "readonly":
        X = X.copy()
        X.flags.writeable = False
        y.flags.writeable = False
    elif container.startswith("pandas"):
        frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(n_features)])
        if container == "pandas-mixed" and n_features > 1:
            frame["c0"] = np.round(frame["c0"].to_numpy(dtype=np.float64)).astype(np.int64)
        X, y = frame, pd.Series(y, name="label")
    # The description shows in hypothesis' report of a failing example.
    return X, y, (f"{len(sizes)} classes {sizes}, {n_features} features, {dtype}, "
                  f"{labels} labels, {container}")


def _sampler(cls, draw_params):
    sampler = cls()
    params = sampler.get_params()
    chosen = {name: value for name, value in draw_params.items() if name in params}
    if "random_state" in params:
        chosen["random_state"] = 0
    if "n_estimators" in params:
        chosen["n_estimators"] = 5
    if cls.__name__ == "InstanceHardnessThreshold":
        # Its default 100-tree forest in 5 folds would take most of the fuzzing time.
        chosen["estimator"] = RandomForestClassifier(n_estimators=10, random_state=0)
    return sampler.set_params(**chosen)


@st.composite
def sampler_params(draw, X):
    # Mostly the defaults, so that most examples reach the resampling itself.
    params = {"sampling_strategy": draw(st.sampled_from(("auto",) * 6 + STRATEGIES + (0.8,)))}
    for name in NEIGHBOUR_PARAMS:
        if draw(st.integers(0, 3)) == 0:
            params[name] = draw(st.integers(1, 8))
    # SMOTENC: a random nonempty set of nominal columns (all of them is refused).
    n_features = np.shape(X)[1]
    params["categorical_features"] = draw(
        st.lists(st.integers(0, n_features - 1), min_size=1, max_size=n_features, unique=True))
    return params


NUMBA_TRACES = re.compile(r"numba|nopython|No matching definition|Failed in .* mode", re.I)


def _assert_clear_refusal(exc):
    message = str(exc)
    assert len(message) >= 20, f"{type(exc).__name__} without a usable message: {message!r}"
    frames = traceback.extract_tb(exc.__traceback__)
    assert not NUMBA_TRACES.search(message), f"an error from inside numba: {message}"
    assert not any("/numba/" in frame.filename for frame in frames), (
        f"an error raised inside numba: {message}")
    # The samplers validate what they pass to the neighbour engine: an argument error
    # from there names arguments the caller never gave. The one exception is by design:
    # only the engine knows which rows it compares, so it refuses X itself when their
    # squared distances overflow, naming X and the fix.
    overflow = message.startswith("Invalid X for imbtool.neighbors: its columns span")
    assert overflow or "imbtool/neighbors/" not in frames[-1].filename, (
        f"an internal neighbour-engine error reached the caller: {message}")


@pytest.mark.fuzz
@pytest.mark.parametrize("cls", SAMPLERS, ids=lambda c: c.__name__)
def test_fit_resample_on_messy_tables(cls):
    outcomes, refusals = Counter(), Counter()

    @settings(deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data):
        X, y, _ = data.draw(messy_tables(), label="table")
        sampler = _sampler(cls, data.draw(sampler_params(X), label="params"))
        X_before, y_before = _copy(X), _copy(y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                X_out, y_out = sampler.fit_resample(X, y)
            except (ValueError, TypeError) as exc:
                _assert_clear_refusal(exc)
                outcomes[f"refused with {type(exc).__name__}"] += 1
                refusals[f"{type(exc).__name__}: {str(exc)[:50]}"] += 1
                X_out = None
        assert_unchanged(X, X_before)
        assert_unchanged(y, y_before)
        if X_out is not None:
            check_resampled(sampler, X, y, X_out, y_out)
            outcomes["resampled, invariants hold"] += 1

    try:
        check()
    finally:
        # Shown with -rP (passed) or in the failure report: what the search ran.
        print(f"{cls.__name__}: {sum(outcomes.values())} examples run "
              f"(max_examples={settings.default.max_examples}): {dict(outcomes)}; "
              f"most frequent refusals: {refusals.most_common(3)}")
