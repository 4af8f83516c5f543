"""One contract for every public estimator: keyword-only parameters, declared
constraints, and every parameter error an ``InvalidParameterError`` naming the
parameter, raised before any work.

The registry drives every test here, so an estimator added later is held to the
same contract without being listed.
"""

import inspect
import warnings
from numbers import Integral

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils._param_validation import Interval, InvalidParameterError, make_constraint

from imbtool.regression import BaseRegressionSampler, REBAGGRegressor
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
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of {name}"):
        _method(estimator)(_UNUSABLE_X, _Y)


def _method(estimator):
    """fit_resample of a sampler, fit of anything else."""
    return estimator.fit_resample if hasattr(estimator, "fit_resample") and not hasattr(
        estimator, "predict") else estimator.fit


# --- every parameter probed with values derived from its constraints ----------------------
#
# Each parameter gets NaN, +/-inf, -1, 0, a stray string, and for each of its Interval
# constraints the values just outside both ends (and a fraction for an integer interval).
# A probe the constraints refuse must be refused by name before any work (above); a probe
# they accept must be meaningful: no constraint accepts a non-finite number, and an
# accepted probe fits and gives finite output, or is refused with a ValueError/TypeError.


def _outside(interval):
    """Values just outside each end of an Interval, and a fraction for an integer one."""
    integral = interval.type is Integral
    values = []
    for end, direction, open_end in ((interval.left, -np.inf, ("right", "neither")),
                                     (interval.right, np.inf, ("left", "neither"))):
        if end is not None:
            values.append(end + (1 if direction > 0 else -1) if integral
                          else end if interval.closed in open_end
                          else float(np.nextafter(end, direction)))
    if integral:
        values.append((interval.left or 0) + 1.5)
    return values


def probe_values(constraints):
    """(label, value) of every probe of a parameter with these constraints."""
    probes = [("nan", np.nan), ("inf", np.inf), ("-inf", -np.inf), ("-1", -1), ("0", 0),
              ("string", "not-an-option")]
    for constraint in constraints:
        if isinstance(constraint, Interval):
            probes += [(f"outside {constraint}", v) for v in _outside(constraint)]
    return probes


def _accepts(constraints, value):
    return any(make_constraint(c).is_satisfied_by(value) for c in constraints)


PROBES = [
    (name, cls, param, label, value, _accepts(cls._parameter_constraints[param], value))
    for name, cls, param in _CASES
    for label, value in probe_values(cls._parameter_constraints[param])
]


@pytest.mark.parametrize("name, cls, param", _CASES,
                         ids=[f"{name}-{param}" for name, _, param in _CASES])
def test_probe_outside_the_constraints_is_refused_by_name(name, cls, param):
    for _, probed, p, _, value, accepted in PROBES:
        if probed is cls and p == param and not accepted:
            estimator = build_estimator(cls).set_params(**{param: value})
            with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of {name}"):
                _method(estimator)(_UNUSABLE_X, _Y)


@pytest.mark.parametrize("name, cls", ESTIMATORS)
def test_no_parameter_accepts_a_non_finite_number(name, cls):
    accepting = sorted({p for n, _, p, label, _, accepted in PROBES
                        if n == name and accepted and label in ("nan", "inf", "-inf")})
    assert not accepting, f"{name}: {accepting} accept NaN or infinity"


def _small_instance(cls, param, value):
    estimator = build_estimator(cls)
    names = estimator.get_params()
    small = {"n_estimators": 5, "random_state": 0, "categorical_features": [3]}
    estimator.set_params(**{k: v for k, v in small.items() if k in names and k != param})
    if cls.__name__ == "InstanceHardnessThreshold" and param != "estimator":  # time
        estimator.set_params(estimator=RandomForestClassifier(5, random_state=0))
    return estimator.set_params(**{param: value})


# Accepted probes whose meaning is the convention scikit-learn documents (all cores, a seed,
# silence): fitting them proves nothing, so they are counted, not fitted.
CONVENTIONS = {("n_jobs", -1), ("random_state", 0), ("verbose", 0)}
# probe id -> "result" or "clear error", read by tests/reliability_counts.py.
OUTCOMES = {}
_ACCEPTED = [p for p in PROBES if p[-1] and (p[2], p[4]) not in CONVENTIONS]


@pytest.mark.parametrize("name, cls, param, label, value, accepted", _ACCEPTED,
                         ids=[f"{p[0]}-{p[2]}={p[3]}" for p in _ACCEPTED])
def test_accepted_probe_fits_or_is_refused_clearly(name, cls, param, label, value, accepted,
                                                   tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Pipeline(memory="not-an-option") caches into that folder
    X, y = make_classification(60, n_features=4, n_informative=3, n_redundant=0,
                               weights=[0.75], random_state=0)
    X[:, -1] = np.digitize(X[:, -1], [-0.5, 0.5])  # a nominal column, for SMOTENC
    if issubclass(cls, (BaseRegressionSampler, REBAGGRegressor)):  # a rare high tail
        y = np.exp(X[:, 0] + 0.5 * y)
    estimator = _small_instance(cls, param, value)
    key = f"{name}-{param}={label}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = _method(estimator)(X, y)
            if hasattr(estimator, "predict"):
                out = (estimator.predict(X), *(
                    [estimator.predict_proba(X)] if hasattr(estimator, "predict_proba") else []))
    except (ValueError, TypeError) as exc:
        assert param in str(exc) or repr(value) in str(exc), (
            f"{key}: the error does not name {param}: {exc}")
        OUTCOMES[key] = "clear error"
        return
    if isinstance(out, tuple):  # X_res (sampler), or predictions and probabilities
        output = np.asarray(out[0] if not hasattr(estimator, "predict") else out[-1])
        assert output.dtype.kind != "f" or np.isfinite(output).all(), f"{key}: non-finite"
    OUTCOMES[key] = "result"
