"""``class_counts`` and ``sample_weight`` on every sampler (issue 12: weighted class counts).

The rule under test is the one in the samplers' ``fit_resample`` Notes: class
``c`` (``n_c`` rows, total weight ``W_c``, mean weight ``m_c = W_c / n_c``) has
size ``W_c``; a total ``T`` is ``T / m_c`` rows of class ``c``; imbalanced-
learn's formula (``int`` truncation included) is applied to those sizes.
"""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError
from threadpoolctl import threadpool_limits

from imbtool.datasets import load_dataset
from imbtool.utils import all_estimators
from imbtool.utils._compat import PANDAS_INSTALLED

SAMPLERS = all_estimators("sampler")
IDS = [name for name, _ in SAMPLERS]
NOMINAL = ("SMOTEN", "SMOTENC")
# The inner model does not matter here; these defaults take seconds.
FAST_PARAMS = {
    "KMeansSMOTE": {"kmeans_estimator": KMeans(n_clusters=8, n_init=1, random_state=0)},
    "InstanceHardnessThreshold": {"estimator": LogisticRegression()},
}
# Samplers whose output class counts are exactly what sampling_strategy_ asks.
EXACT_OVER = ("SMOTE", "RandomOverSampler", "ADASYN", "BorderlineSMOTE", "SVMSMOTE",
              "ProWSyn", "SafeLevelSMOTE", "LeeSMOTE", "GeometricSMOTE", "MWMOTE", "SMOBD",
              "PolynomFitSMOTE")
EXACT_UNDER = ("RandomUnderSampler", "NearMiss", "ClusterCentroids")


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(1, user_api="blas"):
        yield


def make(cls, **params):
    sampler = cls(**FAST_PARAMS.get(cls.__name__, {}), **params)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    return sampler


@pytest.fixture(scope="module")
def data():
    X, y = load_dataset("ecoli1", return_X_y=True)
    out = {"numeric": (X, y)}
    if PANDAS_INSTALLED:
        german = load_dataset("german", as_frame=True)
        G = german.data.iloc[::4].reset_index(drop=True)
        y_g = german.target.iloc[::4].to_numpy()
        out["SMOTENC"] = (G, y_g)
        out["SMOTEN"] = (G.loc[:, german.categorical_features], y_g)
    return out


def data_for(name, data):
    if name in NOMINAL and name not in data:
        pytest.skip("needs pandas")
    return data[name] if name in NOMINAL else data["numeric"]


def assert_same_output(a, b):
    for left, right in zip(a, b):
        if hasattr(left, "to_numpy"):
            left, right = left.to_numpy(), right.to_numpy()
        np.testing.assert_array_equal(left, right)


def documented(strategy, y, weight, sampling_type):
    """``{class: (rows, target total weight)}`` by the documented rule, for a binary target."""
    labels = np.unique(y).tolist()
    n = {c: int(np.sum(y == c)) for c in labels}
    W = {c: float(weight[y == c].sum()) for c in labels}
    heavy, light = max(labels, key=W.get), min(labels, key=W.get)
    if isinstance(strategy, dict):
        targets = strategy
    elif sampling_type == "over-sampling":
        targets = {light: W[heavy] * (strategy if isinstance(strategy, float) else 1.0)}
    else:
        targets = {heavy: W[light] / (strategy if isinstance(strategy, float) else 1.0)}
    # Truncation as in imbalanced-learn: of the rows added (over) or kept (under).
    return {c: ((n[c] + int(t * n[c] / W[c] - n[c])) if sampling_type == "over-sampling"
                else int(t * n[c] / W[c]), t) for c, t in targets.items()}


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
def test_parameter_and_rows_default(name, cls, data):
    """The parameter exists, defaults to rows, is validated, and weights do not change rows."""
    sampler = cls()
    assert sampler.get_params()["class_counts"] == "rows"
    assert "class_counts" in cls._parameter_constraints
    assert "class_counts : {" in cls.__doc__
    X, y = data_for(name, data)
    with pytest.raises(InvalidParameterError, match="class_counts"):
        make(cls, class_counts="bytes").fit_resample(X, y)
    plain = make(cls).fit_resample(X, y)
    weight = np.random.RandomState(0).uniform(0.1, 5.0, len(y))
    assert_same_output(make(cls).fit_resample(X, y, sample_weight=weight), plain)


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
@pytest.mark.parametrize("value", [1.0, 0.1, 3.7])
def test_equal_weights_count_like_rows(name, cls, value, data):
    """Equal weights make weighted totals proportional to rows: the output is the same."""
    X, y = data_for(name, data)
    weighted = make(cls, class_counts="weight")
    out = weighted.fit_resample(X, y, sample_weight=np.full(len(y), value))
    assert_same_output(out, make(cls).fit_resample(X, y))
    assert weighted.get_params()["sampling_strategy"] == "auto"  # the parameter is untouched


@pytest.mark.parametrize("strategy", [0.29, 0.5, 1.0])
@pytest.mark.parametrize("name", ["SMOTE", "RandomUnderSampler"])
def test_equal_weights_keep_float_truncation(name, strategy, data):
    """100 majority and 20 minority rows of ecoli1: imbalanced-learn truncates the float
    0.29 * 100 = 28.999999999999996, so SMOTE adds 8 rows, not 9; equal weights do too."""
    cls = dict(SAMPLERS)[name]
    X, y = data["numeric"]
    rows = np.r_[np.flatnonzero(y == 0)[:100], np.flatnonzero(y == 1)[:20]]
    X, y = X[rows], y[rows]
    expected = make(cls, sampling_strategy=strategy).fit_resample(X, y)
    if name == "SMOTE" and strategy == 0.29:
        assert np.bincount(expected[1]).tolist() == [100, 28]
    for value in (1.0, 0.1, 3.7):
        sampler = make(cls, class_counts="weight", sampling_strategy=strategy)
        assert_same_output(sampler.fit_resample(X, y, sample_weight=np.full(len(y), value)),
                           expected)


def real_weights(y):
    """Uneven weights: majority rows around 1, minority rows around 2.2 (ecoli1: 259 vs 77)."""
    rng = np.random.RandomState(1)
    return np.where(y == 1, rng.uniform(1.5, 2.9, len(y)), rng.uniform(0.5, 1.5, len(y)))


@pytest.mark.parametrize("name", EXACT_OVER + EXACT_UNDER)
@pytest.mark.parametrize("strategy", ["auto", 0.8, "dict"])
def test_weighted_counts_follow_the_documented_rule(name, strategy, data):
    cls = dict(SAMPLERS)[name]
    X, y = data["numeric"]
    weight = real_weights(y)
    over = name in EXACT_OVER
    if strategy == "dict":
        # Target total weights: the minority grows to 250 (from ~169), the majority shrinks to 150.
        strategy = {1: 250.0} if over else {0: 150.0}
    sampling_type = "over-sampling" if over else "under-sampling"
    expected = documented(strategy, y, weight, sampling_type)
    sampler = make(cls, class_counts="weight", sampling_strategy=strategy)
    _, y_res = sampler.fit_resample(X, y, sample_weight=weight)
    for label, (rows, target) in expected.items():
        assert np.sum(y_res == label) == rows
        # At the class's mean weight, the rows carry the asked total to within one row.
        mean = weight[y == label].mean()
        assert abs(rows * mean - target) < mean
    if not isinstance(strategy, dict):
        # Row counting gives other numbers on this data: the weights matter.
        _, y_rows = make(cls, sampling_strategy=strategy).fit_resample(X, y)
        assert np.bincount(y_rows).tolist() != np.bincount(y_res).tolist()


def test_minority_chosen_by_weight(data):
    """A class with fewer rows but more weight is the majority: the other class is grown."""
    cls = dict(SAMPLERS)["SMOTE"]
    X, y = data["numeric"]
    weight = np.where(y == 1, 5.0, 1.0)  # 77 rows x 5 = 385 > 259
    sampler = make(cls, class_counts="weight")
    _, y_res = sampler.fit_resample(X, y, sample_weight=weight)
    assert list(sampler.sampling_strategy_) == [0]
    assert np.bincount(y_res).tolist() == [385, 77]


@pytest.mark.parametrize("name", ["EditedNearestNeighbours", "TomekLinks",
                                  "RepeatedEditedNearestNeighbours"])
def test_cleaners_clean_the_class_that_is_not_the_weighted_minority(name, data):
    cls = dict(SAMPLERS)[name]
    X, y = data["numeric"]
    heavy_minority = np.where(y == 1, 5.0, 1.0)
    sampler = make(cls, class_counts="weight")
    sampler.fit_resample(X, y, sample_weight=heavy_minority)
    removed = np.setdiff1d(np.arange(len(y)), sampler.sample_indices_)
    # "auto" cleans every class but the minority; by weight that is class 0.
    assert removed.size and set(y[removed]) == {1}
    rows = make(cls).fit_resample(X, y)
    assert not np.array_equal(rows[1], y[sampler.sample_indices_])


BAD_WEIGHTS = {
    "negative": (lambda n: np.r_[-1.0, np.ones(n - 1)], "sample_weight|[Nn]egative"),
    "nan": (lambda n: np.r_[np.nan, np.ones(n - 1)], "sample_weight"),
    "inf": (lambda n: np.r_[np.inf, np.ones(n - 1)], "sample_weight"),
    "short": (lambda n: np.ones(n - 1), "sample_weight"),
}


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=IDS)
@pytest.mark.parametrize("bad", list(BAD_WEIGHTS))
def test_bad_weights_are_rejected_naming_sample_weight(name, cls, bad, data):
    X, y = data_for(name, data)
    weight, pattern = BAD_WEIGHTS[bad]
    for counts in ("rows", "weight"):
        with pytest.raises(ValueError, match=pattern):
            make(cls, class_counts=counts).fit_resample(X, y, sample_weight=weight(len(y)))


def test_a_class_of_zero_total_weight_is_rejected(data):
    cls = dict(SAMPLERS)["SMOTE"]
    X, y = data["numeric"]
    with pytest.raises(ValueError, match="sample_weight.*total weight 0|total weight 0"):
        make(cls, class_counts="weight").fit_resample(X, y, sample_weight=(y == 0) * 1.0)


def test_weighted_fit_keeps_parameters_and_clones(data):
    cls = dict(SAMPLERS)["RandomUnderSampler"]
    X, y = data["numeric"]
    sampler = make(cls, class_counts="weight", sampling_strategy=0.8)
    sampler.fit_resample(X, y, sample_weight=real_weights(y))
    assert sampler.sampling_strategy == 0.8
    assert clone(sampler).get_params() == sampler.get_params()
    assert set(sampler.sampling_strategy_) == {0}


def test_metadata_routing_sends_weights_to_a_sampler_only_on_request(data):
    """Weights routed to the classifier leave samplers alone unless they ask for them."""
    import sklearn

    from imbtool.pipeline import make_pipeline

    SMOTE = dict(SAMPLERS)["SMOTE"]
    X, y = data["numeric"]
    weight = real_weights(y)
    with sklearn.config_context(enable_metadata_routing=True):
        classifier = LogisticRegression().set_fit_request(sample_weight=True)
        plain = make_pipeline(make(SMOTE, class_counts="weight"), classifier).fit(
            X, y, sample_weight=weight)
        assert plain[0].sampling_strategy_ == make(SMOTE).fit(X, y).sampling_strategy_
        asking = make(SMOTE, class_counts="weight").set_fit_resample_request(sample_weight=True)
        routed = make_pipeline(asking, clone(classifier)).fit(X, y, sample_weight=weight)
    direct = make(SMOTE, class_counts="weight")
    direct.fit_resample(X, y, sample_weight=weight)
    assert routed[0].sampling_strategy_ == direct.sampling_strategy_
    assert routed[0].sampling_strategy_ != plain[0].sampling_strategy_
