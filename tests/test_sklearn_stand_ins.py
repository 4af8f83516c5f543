"""imbtool's stand-ins for private scikit-learn helpers give scikit-learn's results.

The references are scikit-learn's private functions, imported here only to compare:
same chunks, same seeds and the same verbose lines on every supported scikit-learn.
"""

import pytest
import sklearn
from sklearn.ensemble import BaggingClassifier
from sklearn.ensemble._base import _partition_estimators, _set_random_states
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._user_interface import _print_elapsed_time

from imbtool.utils._compat import (
    partition_estimators,
    print_elapsed_time,
    routing_enabled,
    set_random_states,
    sklearn_at_least,
)


@pytest.mark.parametrize("n_estimators", [1, 5, 10, 17])
@pytest.mark.parametrize("n_jobs", [1, 2, 3, -1, None])
def test_partition_estimators(n_estimators, n_jobs):
    assert partition_estimators(n_estimators, n_jobs) == _partition_estimators(n_estimators,
                                                                               n_jobs)


def test_set_random_states_draws_scikit_learns_seeds():
    def nested():
        return BaggingClassifier(make_pipeline(DecisionTreeClassifier(), LogisticRegression()))

    ours, theirs = nested(), nested()
    set_random_states(ours, 7)
    _set_random_states(theirs, 7)
    assert ours.get_params(deep=True).keys() == theirs.get_params(deep=True).keys()
    seeds = {k: v for k, v in ours.get_params(deep=True).items() if k.endswith("random_state")}
    assert len(seeds) == 3
    assert all(theirs.get_params(deep=True)[k] == v for k, v in seeds.items())


@pytest.mark.parametrize("message", ["(step 1 of 2) Processing scaler", None])
def test_print_elapsed_time_prints_scikit_learns_line(capsys, message):
    with print_elapsed_time("Pipeline", message):
        pass
    ours = capsys.readouterr().out
    with _print_elapsed_time("Pipeline", message):
        pass
    assert ours == capsys.readouterr().out
    assert (ours == "") == (message is None)


def test_routing_enabled_follows_config():
    assert not routing_enabled()
    with sklearn.config_context(enable_metadata_routing=True):
        assert routing_enabled()


def test_sklearn_at_least():
    major, minor = (int(part) for part in sklearn.__version__.split(".")[:2])
    assert sklearn_at_least(f"{major}.{minor}")
    assert not sklearn_at_least(f"{major}.{minor + 1}")
    assert sklearn_at_least("1.6")
