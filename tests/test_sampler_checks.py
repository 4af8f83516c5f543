"""imbalanced-learn's own sampler checks over every imbtool sampler.

``tests/test_common.py`` runs scikit-learn's checks; these are the ones
imbalanced-learn adds for samplers (``sampling_strategy`` counts, sparse and
pandas round trips, ``sample_indices_``, multiclass, dtypes, feature names).
A check a sampler is known to fail is listed below with its reason and runs as
a strict expected failure, so a fix shows up; nothing is skipped.
"""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from imblearn.utils.estimator_checks import _yield_sampler_checks
from scipy import sparse
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils import check_array, get_tags

from imbtool.base import BaseSampler
from imbtool.utils import all_estimators

SAMPLERS = all_estimators("sampler")

DENSE_ONLY = (
    "a dense-only sampler: imbalanced-learn runs this check on every sampler that takes "
    "DataFrames, and imbtool refuses sparse X with a TypeError naming X and the samplers "
    "that accept it (the defined outcome of tests/test_reliability.py)"
)
EXPECTED = {
    ("SMOTEIPF", "check_samplers_fit_resample"): (
        "the iterative-partitioning filter removes noisy rows after SMOTE, so classes end "
        "below the sampling_strategy counts, as the method defines"),
    ("SMOTEIPF", "check_samplers_sampling_strategy_fit_resample"): (
        "the iterative-partitioning filter removes noisy rows after SMOTE, so classes end "
        "below the sampling_strategy counts, as the method defines"),
    ("SMOTENC", "check_samplers_string"): (
        "the check's X is all strings, so every column is nominal; SMOTENC refuses and "
        "points to SMOTEN, which is meant for that"),
    ("KMeansSMOTE", "check_samplers_sampling_strategy_fit_resample"): (
        "on the check's toy data no k-means cluster holds enough minority rows for the "
        "default cluster_balance_threshold; KMeansSMOTE refuses with a ValueError saying so "
        "(also a RuntimeError, imbalanced-learn's error there)"),
}


def _pandas_sparse_stays_sparse():
    """Whether scikit-learn's input validation turns an all-sparse pandas frame into a scipy
    matrix, which dense-only samplers refuse. scikit-learn 1.6 with pandas 3 densifies it
    instead, and the samplers then pass the check."""
    try:
        import pandas as pd
    except ImportError:  # the check skips itself without pandas
        return False
    frame = pd.DataFrame(np.eye(3), dtype=pd.SparseDtype(float, 0))
    return sparse.issparse(check_array(frame, accept_sparse=True))


PANDAS_SPARSE_STAYS_SPARSE = _pandas_sparse_stays_sparse()


def _sampler(name, cls):
    sampler = cls()
    params = sampler.get_params()
    if "random_state" in params:
        sampler.set_params(random_state=0)
    if name == "SMOTENC":
        sampler.set_params(categorical_features=[0])
    if name == "InstanceHardnessThreshold":
        # The default forest's 100 trees on each of 5 folds made every check take 5-7 s;
        # the checks are about the sampler's inputs and outputs, the same with 10 trees.
        sampler.set_params(estimator=RandomForestClassifier(n_estimators=10))
    return sampler


def _cases():
    for name, cls in SAMPLERS:
        sampler = _sampler(name, cls)
        for check in _yield_sampler_checks(sampler):
            reason = EXPECTED.get((name, check.__name__))
            if check.__name__ == "check_samplers_pandas_sparse" and not \
                    get_tags(sampler).input_tags.sparse and PANDAS_SPARSE_STAYS_SPARSE:
                reason = DENSE_ONLY
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, sampler, check, id=f"{name}-{check.__name__}",
                               marks=marks)


@pytest.mark.parametrize("name, sampler, check", list(_cases()))
def test_imblearn_sampler_check(name, sampler, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(name, sampler)


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[name for name, _ in SAMPLERS])
def test_every_sampler_stands_on_the_one_base(name, cls):
    assert issubclass(cls, BaseSampler)


@pytest.mark.parametrize("module, allowed", [
    ("imbtool.base", {"base", "utils"}),
    ("imbtool.combine", {"base", "combine", "neighbors", "over_sampling", "under_sampling",
                         "utils"}),
    ("imbtool.pipeline", {"pipeline", "utils"}),
])
def test_samplers_import_nothing_above_their_layer(module, allowed):
    # A fresh interpreter: what importing the module pulls in, and nothing the tests loaded.
    code = (f"import sys, {module}; "
            "print(' '.join({m.split('.')[1] for m in sys.modules if m.startswith('imbtool.')}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(out.stdout.split()) <= allowed
