"""scikit-learn's common estimator checks over every public imbtool estimator.

Every estimator is constructible with no arguments (meta-estimators default
their inner estimator), so the registry alone drives this test. A check an
estimator is known to fail is listed, with its reason, by the estimator's
``_expected_failed_checks`` method; nothing is skipped silently.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from imbtool.utils import all_estimators


def _expected_failed_checks(estimator):
    method = getattr(estimator, "_expected_failed_checks", None)
    return method() if method is not None else {}


@parametrize_with_checks(
    [cls() for _, cls in all_estimators()],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
