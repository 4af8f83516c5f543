"""scikit-learn's common estimator checks over every public imbtool estimator.

The registry drives this test; ``tests/_estimators.py`` builds each estimator.
A check an estimator is known to fail is listed, with its reason, in
``tests/_expected_failures.py``; nothing is skipped silently, except the
XGBoost booster's checks where xgboost (an optional extra) is not installed.
"""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from imbtool.utils._compat import XGBOOST_INSTALLED

from _estimators import all_instances
from _expected_failures import expected_failed_checks

# scikit-learn's checks run every estimator on toy data; imbtool's data warnings there are
# expected outcomes, not defects:
# - KMeansSMOTE-based estimators on data too small for its clusters fall back as documented.
# - balanced toy labels: the positive class is the greater label, as the warning says.
# - RemedySearchCV: remedies that fail on the data are reported and skipped, as documented.
# - cleaning samplers on toy data may empty a class, the documented outcome.
# - SMOBD on unscaled data finds no noise, as documented.
# - REBAGGRegressor on toy targets without extremes bags plain bootstraps, as documented.
# And one of scikit-learn's: AdaBoost members (EasyEnsembleClassifier's) take the log of
# the sample weights, which the weight checks set to zero for some rows; scikit-learn's
# update keeps those at zero, but numpy warns of the log (180 warnings).
pytestmark = [
    pytest.mark.filterwarnings("ignore:divide by zero encountered in log:RuntimeWarning"
                               ":sklearn.ensemble._weight_boosting"),
    pytest.mark.filterwarnings("ignore:k-means SMOTE found no usable cluster"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:The classes .* have the same number of rows"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore::imbtool.model_selection.RemedyFailedWarning"),
    pytest.mark.filterwarnings("ignore:.* removed every row of class"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:SMOBD. no sample of class"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:REBAGGRegressor. (no|every) target is rare"
                               ":imbtool.utils.ImbtoolWarning"),
    # scikit-learn's own checks provoke these on purpose: check_supervised_y_no_nan casts a
    # y holding NaN/inf, check_estimator_sparse_* passes a DOK matrix (which scikit-learn
    # cannot scan for NaN), check_non_transformer_estimators_n_iter fits with max_iter cut.
    pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning"),
    pytest.mark.filterwarnings("ignore:Can't check dok sparse matrix:UserWarning"),
    pytest.mark.filterwarnings("ignore:lbfgs failed to converge"
                               ":sklearn.exceptions.ConvergenceWarning"),
    # scikit-learn 1.6's check_n_features_in_after_fitting fits on 10 rows, 4 of one class
    # (1.9's on 15): TunedThresholdClassifier's 5 stratified folds make scikit-learn warn.
    pytest.mark.filterwarnings("ignore:The least populated class in y has only 4 members, "
                               "which is less than n_splits=5:UserWarning"),
]

# Every check fits, and fitting needs xgboost: without it the whole class is skipped.
_NEEDS_XGBOOST = {"XGBImbalancedClassifier"}

_INSTANCES = all_instances()


def _checks(estimators):
    """``parametrize_with_checks`` over ``estimators``, its cases listed.

    scikit-learn hands pytest a generator of cases, which pytest 9.1 deprecates
    ("non-Collection iterable"); the same cases in a list are what it asks for.
    """
    decorator = parametrize_with_checks(estimators, expected_failed_checks=expected_failed_checks)
    names, cases = decorator.args
    return pytest.mark.parametrize(names, list(cases), **decorator.kwargs)


@_checks([est for name, est in _INSTANCES if name not in _NEEDS_XGBOOST])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.skipif(not XGBOOST_INSTALLED,
                    reason="xgboost is not installed (pip install 'imbtool[xgboost]')")
@_checks([est for name, est in _INSTANCES if name in _NEEDS_XGBOOST])
def test_sklearn_compatible_xgboost(estimator, check):
    check(estimator)
