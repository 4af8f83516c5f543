"""One instance of every public imbtool estimator, for the tests that sweep the registry.

Most estimators construct with no arguments (meta-estimators default their
inner estimator); the few that need arguments get the smallest sensible ones
here, in one place.
"""

from sklearn.linear_model import LogisticRegression

from imbtool.under_sampling import RandomUnderSampler
from imbtool.utils import all_estimators


def _pipeline(cls):
    # Seeded so that two fits resample the same rows (check_fit_idempotent).
    return cls([("sampler", RandomUnderSampler(random_state=0)), ("clf", LogisticRegression())])


# Class name -> factory taking the class, for estimators without a no-argument form.
_FACTORIES = {"Pipeline": _pipeline}


def build_estimator(cls):
    """An instance of ``cls`` ready for scikit-learn's common checks."""
    return _FACTORIES.get(cls.__name__, lambda c: c())(cls)


def all_instances(type_filter=None):
    """``(name, instance)`` of every public estimator (optionally of one kind)."""
    return [(name, build_estimator(cls)) for name, cls in all_estimators(type_filter)]
