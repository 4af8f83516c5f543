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


def _one_thread(cls):
    # XGBoost's OpenMP threads spin while they wait: on 2 cores shared with other work its
    # all-core default made scikit-learn's check_classifiers_train take 9.1 s of CPU time
    # (29 s wall) against 0.7 s (2.6 s) on one thread; CI's 2 test workers share 2 cores.
    return cls(n_jobs=1)


def _three_folds(cls):
    # Every remedy is fitted on every fold: with the default 5 folds each of
    # RemedyEnsembleClassifier's sparse checks took 33-39 s (RemedySearchCV's 11-13 s). 3
    # folds run the same code (each remedy, the blend or the halving, the threshold sweep,
    # the refit) in about half the time.
    return cls(cv=3)


# Class name -> factory taking the class, for estimators without a no-argument form, or whose
# default would oversubscribe the test workers' cores or take long on scikit-learn's checks.
_FACTORIES = {"Pipeline": _pipeline, "XGBImbalancedClassifier": _one_thread,
              "RemedyEnsembleClassifier": _three_folds, "RemedySearchCV": _three_folds}


def build_estimator(cls):
    """An instance of ``cls`` ready for scikit-learn's common checks."""
    return _FACTORIES.get(cls.__name__, lambda c: c())(cls)


def all_instances(type_filter=None):
    """``(name, instance)`` of every public estimator (optionally of one kind)."""
    return [(name, build_estimator(cls)) for name, cls in all_estimators(type_filter)]
