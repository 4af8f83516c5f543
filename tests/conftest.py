import os
from importlib.metadata import version

import numpy as np
import pytest
from hypothesis import settings
from packaging.version import Version
from threadpoolctl import threadpool_limits

# The suite gate (CI) replays the same examples every run, so a red run is reproducible and
# never a dice roll; `pytest --hypothesis-profile=explore` searches new examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
# `-m fuzz --hypothesis-profile=fuzz`: the fuzz target's long search (examples per sampler
# from IMBTOOL_FUZZ_EXAMPLES).
settings.register_profile("fuzz", derandomize=False, print_blob=True, deadline=None,
                          max_examples=int(os.environ.get("IMBTOOL_FUZZ_EXAMPLES", "1000")))
settings.load_profile("ci")

# Warnings that the oldest supported releases raise by themselves, filtered only where those
# releases are installed (on the newest ones the same message would point at a real defect):
# - LightGBM 4.6 reports its own column names (Column_0, ...) as feature_names_in_ after a
#   fit on a NumPy array, so scikit-learn >= 1.6 warns at every predict on a NumPy array
#   (LightGBM issue 6798; from 4.7 on the attribute is absent after such a fit).
# - joblib 1.5's own Dask backend implements the deprecated apply_async, not submit, so
#   joblib warns at every task it sends to Dask (1.6's backend implements submit).
_FLOOR_WARNINGS = [
    ("lightgbm", "4.7", "ignore:X does not have valid feature names, but LGBM(Classifier|Regressor)"
     " was fitted with feature names:UserWarning"),
    ("joblib", "1.6", "ignore:`apply_async` is deprecated, implement and use `submit` instead"
     ":DeprecationWarning"),
]


def pytest_configure(config):
    for package, fixed_in, line in _FLOOR_WARNINGS:
        if Version(version(package)) < Version(fixed_in):
            config.addinivalue_line("filterwarnings", line)


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread_per_worker():
    # pytest -n 2 already fills both cores; BLAS threads on top only oversubscribe them
    # (a 336-row LogisticRegression fit went from 0.04 s to 0.8 s).
    with threadpool_limits(1, user_api="blas"):
        yield


@pytest.fixture
def rng():
    return np.random.default_rng(0)
