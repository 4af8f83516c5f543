"""One contract for every public estimator: keyword-only parameters, declared
constraints, and every parameter error an ``InvalidParameterError`` naming the
parameter, raised before any work.

The registry drives every test here, so an estimator added later is held to the
same contract without being listed.
"""

import inspect

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from imbtool.utils import all_estimators
from imbtool.utils._compat import XGBOOST_INSTALLED

from _estimators import build_estimator

# Parameters that may be passed by position, as the peer whose name the class
# carries takes them (scikit-learn's meta-estimators and Pipeline, imbalanced-learn's
# and imbalanced-ensemble's ensembles and samplers, LightGBM-style boosters).
LEADING = {"estimator", "n_estimators", "steps", "loss", "categorical_features",
           "categorical_encoder"}

ESTIMATORS = [(name, cls) for name, cls in all_estimators()
              if XGBOOST_INSTALLED or name != "XGBImbalancedClassifier"]


def _params(cls):
    return [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self"]


@pytest.mark.parametrize("name, cls", ESTIMATORS)
def test_only_the_leading_parameters_are_positional(name, cls):
    positional = [p.name for p in _params(cls) if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert set(positional) <= LEADING, (
        f"{name}: {sorted(set(positional) - LEADING)} must be keyword-only")
    assert not [p for p in _params(cls) if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


@pytest.mark.parametrize("name, cls", ESTIMATORS)
def test_every_parameter_has_a_constraint(name, cls):
    declared = getattr(cls, "_parameter_constraints", {})
    missing = [p.name for p in _params(cls) if p.name not in declared]
    assert not missing, f"{name}: no _parameter_constraints entry for {missing}"


class _Unacceptable:
    """A value no constraint accepts: not a number, string, callable, estimator or array."""

    def __repr__(self):
        return "<unacceptable>"


# Data that no estimator can use: a parameter error must come before X is even read.
_UNUSABLE_X = np.array([["not a number"] * 3] * 12, dtype=object)
_Y = np.array([0] * 8 + [1] * 4)

_CASES = [
    (name, cls, p.name)
    for name, cls in ESTIMATORS
    for p in _params(cls)
    if getattr(cls, "_parameter_constraints", {}).get(p.name) != "no_validation"
]


@pytest.mark.parametrize("name, cls, param", _CASES,
                         ids=[f"{name}-{param}" for name, _, param in _CASES])
def test_bad_parameter_is_refused_by_name_before_any_work(name, cls, param):
    estimator = build_estimator(cls).set_params(**{param: _Unacceptable()})
    method = estimator.fit_resample if hasattr(estimator, "fit_resample") and not hasattr(
        estimator, "predict") else estimator.fit
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of {name}"):
        method(_UNUSABLE_X, _Y)
