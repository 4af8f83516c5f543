"""The bad-input matrix: every sampler and classifier, every messy-table case, one defined outcome.

Each case either produces a correct result (checked: original rows kept or
mapped back through ``sample_indices_``, labels from the input's label set,
probabilities valid) or raises a ``ValueError``/``TypeError`` whose message
names what was wrong. Inputs are compared with copies afterwards: nothing may
be modified in place. Counts of cases and outcomes are in tests/RELIABILITY.md.
"""

import inspect
import re

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags

from imbtool.datasets import load_dataset
from imbtool.utils import all_estimators
from imbtool.utils._compat import XGBOOST_INSTALLED

# Edge-case inputs (one-row classes, sparse X, ...) give some methods documented warnings:
# - SMOBD on unscaled data finds no noise, as documented.
# - BorderlineSMOTE with no sample in danger returns the data unchanged, as documented.
# - SMOTENC/SMOTEN densify sparse input, as documented.
# - RemedySearchCV: remedies that fail on the data are reported and skipped, as documented.
# - KMeansSMOTE-based estimators on data too small for its clusters fall back as documented.
# - cleaning samplers on toy data may empty a class, the documented outcome.
# - balanced toy labels: the positive class is the greater label, as the warning says.
pytestmark = [
    pytest.mark.filterwarnings("ignore:SMOBD. no sample of class"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:No sample of class .* is in danger"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:Passing a sparse matrix to"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore::imbtool.model_selection.RemedyFailedWarning"),
    pytest.mark.filterwarnings("ignore:k-means SMOTE found no usable cluster"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:.* removed every row of class"
                               ":imbtool.utils.ImbtoolWarning"),
    pytest.mark.filterwarnings("ignore:The classes .* have the same number of rows"
                               ":imbtool.utils.ImbtoolWarning"),
]

SAMPLERS_BY_NAME = all_estimators("sampler")
SAMPLERS = [cls for _, cls in SAMPLERS_BY_NAME]
CLASSIFIERS = [cls for _, cls in all_estimators("classifier")]


def _small(estimator):
    """Few members for ensembles: the matrix tests behaviour, not quality."""
    params = estimator.get_params()
    small = {k: 5 for k in ("n_estimators",) if k in params}
    if "random_state" in params:
        small["random_state"] = 0
    return estimator.set_params(**small)


def _real_data(cls):
    """ecoli1 (336 x 7, 77 minority), shaped for what the estimator consumes."""
    X, y = load_dataset("ecoli1", return_X_y=True)
    if cls.__name__ == "SMOTEN":
        X = np.floor(X * 4)  # all-categorical: four bins per feature
    elif cls.__name__ == "SMOTENC":
        X = X.copy()
        X[:, 0] = np.floor(X[:, 0] * 4)
    return X, y


def _make(cls):
    if cls.__name__.startswith("XGB") and not XGBOOST_INSTALLED:
        pytest.skip(f"{cls.__name__} needs the optional xgboost extra (imbtool[xgboost])")
    estimator = _small(cls())
    if cls.__name__ == "SMOTENC":
        estimator.set_params(categorical_features=[0])
    return estimator


def _accepts_nan(estimator):
    return estimator.__sklearn_tags__().input_tags.allow_nan


def _run(estimator, X, y, **fit_params):
    X_before = X.copy() if hasattr(X, "copy") else X
    y_before = y.copy() if hasattr(y, "copy") else y
    if hasattr(estimator, "fit_resample"):
        out = estimator.fit_resample(X, y, **fit_params)
    else:
        estimator.fit(X, y, **fit_params)
        out = estimator
    _assert_unchanged(X, X_before)
    _assert_unchanged(y, y_before)
    return out


def _assert_unchanged(a, before):
    if sparse.issparse(a):
        assert (a != before).nnz == 0
    elif hasattr(a, "equals"):
        assert a.equals(before)
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(before))


def _check_resampled(sampler, X, y, X_out, y_out):
    """Input rows kept map back through ``sample_indices_`` and come first; labels from y's set."""
    Xa = X.toarray() if sparse.issparse(X) else np.asarray(X)
    Xo = X_out.toarray() if sparse.issparse(X_out) else np.asarray(X_out)
    ya, yo = np.asarray(y), np.asarray(y_out)
    assert Xo.shape[1] == Xa.shape[1] and len(Xo) == len(yo)
    assert set(np.unique(yo)) <= set(np.unique(ya))
    idx = sampler.sample_indices_
    np.testing.assert_array_equal(Xo[: len(idx)], Xa[idx])
    np.testing.assert_array_equal(yo[: len(idx)], ya[idx])
    # Every output row is an input row (in sample_indices_) or a recorded synthetic one.
    assert len(idx) + len(getattr(sampler, "synthetic_sources_", ())) == len(Xo)


def _check_classifier(clf, X, y):
    proba = clf.predict_proba(X)
    assert proba.shape == (X.shape[0], len(np.unique(np.asarray(y))))
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(np.unique(clf.predict(X))) <= set(np.unique(np.asarray(y)))


def _assert_clear_error(excinfo, pattern):
    message = str(excinfo.value)
    assert re.search(pattern, message, re.IGNORECASE), message


def _outcome(estimator, X, y, error=None, **fit_params):
    """Run one case: the result must be correct, or (when ``error`` is set) the error clear."""
    if error is not None:
        with pytest.raises((ValueError, TypeError)) as excinfo:
            _run(estimator, X, y, **fit_params)
        _assert_clear_error(excinfo, error)
        return None
    out = _run(estimator, X, y, **fit_params)
    if hasattr(estimator, "fit_resample"):
        _check_resampled(estimator, X, y, *out)
    else:
        _check_classifier(estimator, X, y)
    return out


ALL = SAMPLERS + CLASSIFIERS
LOGISTIC_TAGGED_DENSE = not get_tags(LogisticRegression()).input_tags.sparse
IDS = [cls.__name__ for cls in ALL]

# Defects this matrix found that are not fixed yet: (test function, estimator) or
# (test id, None) -> reason.
# Strict: a fix turns the xfail into a failure, so the entry must then be removed.
KNOWN_DEFECTS = {}


@pytest.fixture(autouse=True)
def _known_defect(request):
    cls = request.node.callspec.params.get("cls") if hasattr(request.node, "callspec") else None
    reason = KNOWN_DEFECTS.get((request.node.name, None)) or KNOWN_DEFECTS.get(
        (request.node.originalname, getattr(cls, "__name__", None)))
    if reason is not None:
        request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.mark.parametrize("cls", ALL, ids=IDS)
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "+inf", "-inf"])
def test_non_finite_values(cls, value):
    estimator = _make(cls)
    X, y = _real_data(cls)
    X = X.copy()
    X[3, 1] = value
    if np.isnan(value) and _accepts_nan(estimator):
        _outcome(estimator, X, y)
    elif _accepts_nan(estimator) and hasattr(estimator, "fit_resample"):
        # Random samplers copy rows and never compute with them: any value passes through.
        _outcome(estimator, X, y)
    else:
        _outcome(estimator, X, y, error=r"\bX\b.*(NaN|infinity|inf)|(NaN|infinity).*\bX\b")


@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_empty_input_and_zero_features(cls):
    X, y = _real_data(cls)
    _outcome(_make(cls), X[:0], y[:0], error=r"0 sample")
    _outcome(_make(cls), X[:, :0], y, error=r"0 feature")


@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_single_class_is_rejected(cls):
    X, y = _real_data(cls)
    _outcome(_make(cls), X, np.zeros_like(y), error=r"class")


@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_mismatched_lengths_are_rejected(cls):
    X, y = _real_data(cls)
    _outcome(_make(cls), X, y[:-1], error=r"inconsistent|length|samples")


# A class of one row is what this test is about: scikit-learn's splitters (inside
# InstanceHardnessThreshold, TunedThresholdClassifier) say so, as they should.
@pytest.mark.filterwarnings("ignore:The least populated class in y has only 1 member"
                            ":UserWarning")
@pytest.mark.filterwarnings("ignore:Number of classes in training fold:RuntimeWarning")
@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_a_class_with_one_sample(cls):
    """Three classes, one of them a single row: handled, or refused naming the cause."""
    X, y = _real_data(cls)
    y = y.copy()
    y[0] = 2
    estimator = _make(cls)
    try:
        _run(clone(estimator), X, y)
    except (ValueError, TypeError) as exc:
        assert re.search(r"neighbo|class|sample", str(exc), re.IGNORECASE), str(exc)
    else:
        _outcome(estimator, X, y)


@pytest.mark.parametrize("cls", ALL, ids=IDS)
@pytest.mark.parametrize("kind", ["str", "bool", "category"])
def test_label_types(cls, kind):
    X, y = _real_data(cls)
    if kind == "category":
        pd = pytest.importorskip("pandas")
        labels = pd.Series(pd.Categorical(np.where(y == 1, "fraud", "ok")))
    else:
        labels = {
            "str": lambda: np.where(y == 1, "fraud", "ok"),
            "bool": lambda: y.astype(bool),
        }[kind]()
    out = _outcome(_make(cls), X, labels)
    if out is not None and hasattr(cls, "fit_resample"):
        assert np.asarray(out[1]).dtype == np.asarray(labels).dtype


@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_mixed_type_object_labels_are_rejected(cls):
    # Mixed str/int labels cannot be ordered: scikit-learn refuses them, naming the types.
    X, y = _real_data(cls)
    labels = np.array(["fraud" if v else 0 for v in y], dtype=object)
    _outcome(_make(cls), X, labels, error=r"str|int|type|mix")


@pytest.mark.parametrize("cls", ALL, ids=IDS)
@pytest.mark.parametrize("layout", ["int", "float32", "fortran", "strided", "readonly"])
def test_feature_dtypes_and_layouts_give_the_same_result(cls, layout):
    X, y = _real_data(cls)
    if layout == "int":
        X = np.round(X * 100)
        variant = X.astype(np.int64)
    elif layout == "float32":
        X = X.astype(np.float32)
        variant = X.copy()
    elif layout == "fortran":
        variant = np.asfortranarray(X)
    elif layout == "strided":
        wide = np.repeat(X, 2, axis=1)
        X, variant = wide[:, ::2].copy(), wide[:, ::2]
    else:
        variant = X.copy()
        variant.flags.writeable = False
    reference = _outcome(_make(cls), X, y)
    result = _outcome(_make(cls), variant, y)
    if hasattr(cls, "fit_resample"):
        if layout == "float32":
            assert np.asarray(result[0]).dtype == np.float32
        np.testing.assert_allclose(np.asarray(result[0], dtype=float),
                                   np.asarray(reference[0], dtype=float), rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(result[1], reference[1])
    else:
        np.testing.assert_allclose(result.predict_proba(np.asarray(variant, dtype=float)),
                                   reference.predict_proba(X), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_pandas_with_a_non_default_index(cls):
    pd = pytest.importorskip("pandas")
    X, y = _real_data(cls)
    index = pd.Index(np.arange(len(y))[::-1] * 10 + 7, name="row")
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])], index=index)
    target = pd.Series(y, index=index, name="target")
    reference = _outcome(_make(cls), X, y)
    result = _outcome(_make(cls), frame, target)
    if hasattr(cls, "fit_resample"):
        assert isinstance(result[0], pd.DataFrame)
        assert list(result[0].columns) == list(frame.columns)
        assert isinstance(result[1], pd.Series) and result[1].name == "target"
        np.testing.assert_array_equal(result[0].to_numpy(), reference[0])
    else:
        np.testing.assert_allclose(result.predict_proba(frame), reference.predict_proba(X))


@pytest.mark.parametrize("cls", ALL, ids=IDS)
def test_sparse_input(cls):
    X, y = _real_data(cls)
    estimator = _make(cls)
    if not estimator.__sklearn_tags__().input_tags.sparse:
        if LOGISTIC_TAGGED_DENSE:
            # scikit-learn 1.6 tags LogisticRegression dense-only though it takes sparse X;
            # wrappers of it inherit the tag and fit sparse X: a correct result or a clear error.
            try:
                _outcome(estimator, sparse.csr_matrix(X), y)
            except (TypeError, ValueError) as exc:
                assert re.search("sparse", str(exc), re.IGNORECASE), exc
            return
        _outcome(estimator, sparse.csr_matrix(X), y, error=r"sparse")
        return
    result = _outcome(estimator, sparse.csr_matrix(X), y)
    if hasattr(cls, "fit_resample"):
        assert sparse.issparse(result[0])
        dense = _outcome(_make(cls), X, y)
        np.testing.assert_allclose(result[0].toarray(), dense[0])


def _takes_sample_weight(estimator):
    # A fit that takes **params routes sample_weight too (RemedySearchCV, as GridSearchCV).
    params = inspect.signature(estimator.fit).parameters
    return "sample_weight" in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


@pytest.mark.parametrize("cls", CLASSIFIERS, ids=[c.__name__ for c in CLASSIFIERS])
@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf], ids=["negative", "nan", "inf"])
def test_bad_sample_weight_is_rejected(cls, bad):
    estimator = _make(cls)
    if not _takes_sample_weight(estimator):
        pytest.skip(f"{cls.__name__}.fit takes no sample_weight")
    X, y = _real_data(cls)
    w = np.ones(len(y))
    w[5] = bad
    _outcome(estimator, X, y, error=r"sample_weight", sample_weight=w)


# A class of one row is what this test is about: scikit-learn's splitters (inside
# InstanceHardnessThreshold, TunedThresholdClassifier) say so, as they should.
@pytest.mark.filterwarnings("ignore:The least populated class in y has only 1 member"
                            ":UserWarning")
@pytest.mark.filterwarnings("ignore:Number of classes in training fold:RuntimeWarning")
@pytest.mark.parametrize("cls", SAMPLERS, ids=[c.__name__ for c in SAMPLERS])
@pytest.mark.parametrize("n_rows", [
    20_000, pytest.param(1_000_000, marks=pytest.mark.large, id="1000000"),
])
def test_one_minority_row_in_a_large_table(cls, n_rows):
    """Extreme imbalance: 1 minority row among 20,000 (and 10^6 with ``-m large``)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, 4))
    y = np.zeros(len(X), dtype=np.int64)
    y[12345] = 1
    if cls.__name__ in ("SMOTEN", "SMOTENC"):
        X[:, 0] = np.floor(X[:, 0])
        if cls.__name__ == "SMOTEN":
            X = np.floor(X)
    estimator = _make(cls)
    try:
        _run(clone(estimator), X, y)
    except (ValueError, TypeError) as exc:
        # One row has no minority neighbour to interpolate with: the sampler must say so.
        assert re.search(r"neighbo|sample", str(exc), re.IGNORECASE), str(exc)
    else:
        _outcome(estimator, X, y)


def test_prior_corrected_nan_follows_the_first_step_that_is_not_a_row_picker():
    """Regression: NaN passed a RandomUnderSampler that dropped it, so fit succeeded."""
    from imblearn.pipeline import make_pipeline
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression

    from imbtool.threshold import PriorCorrectedClassifier

    X, y = _real_data(PriorCorrectedClassifier)
    X = X.copy()
    X[np.flatnonzero(y == 0)[:3], 2] = np.nan
    for inner in (None, make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())):
        with pytest.raises(ValueError, match=r"Input X contains NaN"):
            PriorCorrectedClassifier(inner).fit(X, y)
    imputed = make_pipeline(RandomUnderSampler(random_state=0), SimpleImputer(),
                            LogisticRegression())
    clf = PriorCorrectedClassifier(imputed).fit(X, y)
    assert clf.__sklearn_tags__().input_tags.allow_nan
    _check_classifier(clf, X, y)


# Crashes the fuzz target (tests/test_fuzz.py) found, kept as regression tests.
# Features beyond ~1e154 make squared distances overflow float64: every distance was inf,
# the kernels returned neighbour -1, SMOTE-type samplers interpolated towards the last row
# and cleaners failed with the engine's internal index error. The engine now refuses such X
# with a ValueError naming X and suggesting scaling.


def _clear_error_or_valid(run, check):
    try:
        out = run()
    except (ValueError, TypeError) as exc:
        assert re.search(r"\bX\b", str(exc)), str(exc)
    else:
        check(out)


def test_fuzz_regression_neighbours_of_values_whose_squares_overflow():
    from imbtool.neighbors import kneighbors

    X = np.array([[-2.5e200], [4.2e199], [1.0e200], [3.0e200]])
    _clear_error_or_valid(lambda: kneighbors(X, 1),
                          lambda out: np.testing.assert_array_equal(out[1][:, 0], [1, 2, 1, 2]))


@pytest.mark.parametrize("name", [
    # Silently wrong: synthetic rows interpolated towards row -1 (G-SMOTE: non-finite rows).
    "ADASYN", "GeometricSMOTE", "SMOTE", "SMOTEENN", "SMOTETomek",
    # Errors that do not name the cause: the engine's internal argument check, SMOTENC's
    # inf penalty, "no neighbour of its class" for every row.
    "MWMOTE", "OneSidedSelection", "SafeLevelSMOTE", "SMOTENC", "TomekLinks",
])
def test_fuzz_regression_samplers_on_values_whose_squares_overflow(name):
    from test_invariants import check_resampled

    cls = dict(SAMPLERS_BY_NAME)[name]
    X, y = _real_data(cls)
    X = X * 1e200
    sampler = _make(cls)
    _clear_error_or_valid(lambda: sampler.fit_resample(X, y),
                          lambda out: check_resampled(sampler, X, y, *out))


def test_fuzz_regression_kmeans_smote_on_large_distances():
    # mean_distance ** exponent (exponent 8.9 for 77 rows, ~20 for 1000) raised Python's
    # OverflowError beyond mean distances of ~1e35 (~1e15); the weights are now in logs.
    cls = dict(SAMPLERS_BY_NAME)["KMeansSMOTE"]
    X, y = _real_data(cls)
    X = X * 1e100
    sampler = _make(cls)
    _clear_error_or_valid(lambda: sampler.fit_resample(X, y),
                          lambda out: _check_resampled(sampler, X, y, *out))


def test_fuzz_regression_condensed_nearest_neighbour_never_repeats_a_row():
    # imbalanced-learn's loop blocks positions, not seed rows: with n_neighbors >= 2 a seed
    # outvoted in its own neighbourhood was added a second time (0.14.2 does the same).
    cls = dict(SAMPLERS_BY_NAME)["CondensedNearestNeighbour"]
    X, y = _real_data(cls)
    sampler = cls(n_neighbors=3, random_state=2)
    sampler.fit_resample(X, y)
    indices = sampler.sample_indices_
    assert np.unique(indices).size == indices.size, "an original row is returned twice"
