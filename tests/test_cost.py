"""imbtool.cost: boosting losses (derivatives against finite differences), class weights,
cost-optimal threshold, and CostSensitiveClassifier against scikit-learn on real data."""

import pickle

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn import config_context
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from imbtool.cost import (
    AsymmetricLoss,
    CostSensitiveClassifier,
    FocalLoss,
    WeightedLogLoss,
    compute_class_weight,
    cost_optimal_threshold,
)
from imbtool.datasets import load_dataset
from imbtool.ensemble import AdaCostClassifier
from imbtool.threshold import ExpectedCost, bayes_threshold, expected_cost
from imbtool.utils._costs import check_cost_matrix

EPS = 1e-5


@pytest.fixture(scope="module")
def pima():
    X, y = load_dataset("pima", return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _finite_differences(loss, y, z):
    """Central differences of the loss (-> gradient) and of the gradient (-> Hessian diagonal)."""
    def value(zz):
        return loss.gradient_hessian(y, zz, exact=True)[0]

    def grad(zz):
        return loss.gradient_hessian(y, zz, exact=True)[1]

    if z.ndim == 1:
        return ((value(z + EPS) - value(z - EPS)) / (2 * EPS),
                (grad(z + EPS) - grad(z - EPS)) / (2 * EPS))
    g, h = np.empty_like(z), np.empty_like(z)
    for k in range(z.shape[1]):
        step = np.zeros_like(z)
        step[:, k] = EPS
        g[:, k] = (value(z + step) - value(z - step)) / (2 * EPS)
        h[:, k] = (grad(z + step)[:, k] - grad(z - step)[:, k]) / (2 * EPS)
    return g, h


def _assert_derivatives(loss, y, z):
    _, grad, hess = loss.gradient_hessian(y, z, exact=True)
    num_grad, num_hess = _finite_differences(loss, y, z)
    np.testing.assert_allclose(grad, num_grad, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(hess, num_hess, rtol=1e-4, atol=1e-6)


margins = st.lists(st.floats(-8, 8), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None)
@given(z=margins, seed=st.integers(0, 2**16), alpha=st.floats(0.05, 0.95), gamma=st.floats(0, 5))
def test_focal_binary_derivatives(z, seed, alpha, gamma):
    z = np.array(z)
    y = np.random.default_rng(seed).integers(0, 2, z.size)
    _assert_derivatives(FocalLoss(alpha=alpha, gamma=gamma), y, z)


@settings(max_examples=25, deadline=None)
@given(z=margins, seed=st.integers(0, 2**16), gamma_pos=st.floats(0, 4),
       gamma_neg=st.sampled_from([0.0, 1.0, 2.0, 3.5, 4.0]), clip=st.sampled_from([0.0, 0.05, 0.2]))
def test_asymmetric_derivatives(z, seed, gamma_pos, gamma_neg, clip):
    z = np.array(z)
    p = 1 / (1 + np.exp(-z))
    assume(np.all(np.abs(p - clip) > 1e-3))  # the probability margin is a kink of the loss
    y = np.random.default_rng(seed).integers(0, 2, z.size)
    _assert_derivatives(AsymmetricLoss(gamma_pos, gamma_neg, clip), y, z)


@settings(max_examples=25, deadline=None)
@given(z=margins, seed=st.integers(0, 2**16), pos_weight=st.floats(0.1, 50))
def test_weighted_logloss_binary_derivatives(z, seed, pos_weight):
    z = np.array(z)
    y = np.random.default_rng(seed).integers(0, 2, z.size)
    _assert_derivatives(WeightedLogLoss(pos_weight), y, z)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), n_classes=st.integers(3, 5), gamma=st.floats(0, 4),
       n=st.integers(1, 25))
def test_multiclass_derivatives(seed, n_classes, gamma, n):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 3, (n, n_classes))
    y = rng.integers(0, n_classes, n)
    alpha = rng.uniform(0.1, 1, n_classes)
    _assert_derivatives(FocalLoss(alpha=alpha, gamma=gamma), y, z)
    _assert_derivatives(WeightedLogLoss(pos_weight=alpha), y, z)


def test_focal_gamma_zero_is_log_loss():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 2, 200)
    y = rng.integers(0, 2, 200)
    p = 1 / (1 + np.exp(-z))
    # alpha=0.5 weights both classes by one half.
    assert FocalLoss(alpha=0.5, gamma=0).mean_loss(y, z) == pytest.approx(0.5 * log_loss(y, p),
                                                                          rel=1e-10)
    Z = rng.normal(0, 2, (200, 4))
    yk = rng.integers(0, 4, 200)
    P = np.exp(Z) / np.exp(Z).sum(1, keepdims=True)
    assert FocalLoss(alpha=1.0, gamma=0).mean_loss(yk, Z) == pytest.approx(log_loss(yk, P),
                                                                           rel=1e-10)
    g_focal, h_focal = FocalLoss(alpha=0.5, gamma=0)(y, z)
    g_log, h_log = WeightedLogLoss(pos_weight=1.0)(y, z)
    np.testing.assert_allclose(2 * g_focal, g_log, rtol=1e-12)
    np.testing.assert_allclose(2 * h_focal, h_log, rtol=1e-12)


def test_focal_down_weights_easy_samples():
    y = np.array([1, 1])
    z = np.array([4.0, -1.0])  # an easy and a hard positive
    ratio_focal = np.divide(*FocalLoss(gamma=2).gradient_hessian(y, z)[0])
    ratio_plain = np.divide(*FocalLoss(gamma=0).gradient_hessian(y, z)[0])
    assert ratio_focal < 0.01 * ratio_plain


@pytest.mark.parametrize("n_classes", [2, 3])
def test_boosters_get_positive_hessians_never_below_exact(n_classes):
    rng = np.random.default_rng(3)
    z = rng.normal(0, 6, 400) if n_classes == 2 else rng.normal(0, 6, (400, n_classes))
    y = rng.integers(0, n_classes, 400)
    loss = FocalLoss(alpha=0.25 if n_classes == 2 else 1.0, gamma=2)
    exact = loss.gradient_hessian(y, z, exact=True)[2]
    used = loss.gradient_hessian(y, z)[2]
    assert np.any(exact < 0)  # focal loss is not convex for badly misclassified samples
    assert np.all(used > 0) and np.all(used >= exact)
    if n_classes == 2:
        p = 1 / (1 + np.exp(-z))
        pt = np.where(y == 1, p, 1 - p)
        surrogate = np.where(y == 1, 0.25, 0.75) * (1 - pt) ** 2 * p * (1 - p)
        np.testing.assert_allclose(used, np.maximum(exact, surrogate), rtol=1e-6, atol=1e-300)


def test_sample_weight_scales_gradients_and_both_call_orders():
    rng = np.random.default_rng(2)
    z, y, w = rng.normal(size=50), rng.integers(0, 2, 50), rng.uniform(0, 3, 50)
    loss = FocalLoss()
    g, h = loss(y, z)
    gw, hw = loss(y, z, w)
    np.testing.assert_allclose(gw, g * w)
    np.testing.assert_allclose(hw, h * w)

    class FakeDataset:  # the (preds, dataset) order of lightgbm.train / xgboost.train
        def get_label(self):
            return y.astype(float)

        def get_weight(self):
            return w

    gd, hd = loss(z, FakeDataset())
    np.testing.assert_allclose(gd, gw)
    np.testing.assert_allclose(hd, hw)


def test_init_score_is_prior_log_odds():
    y = np.array([0] * 90 + [1] * 10)
    assert FocalLoss().init_score(y) == pytest.approx(np.log(10 / 90))
    assert WeightedLogLoss(pos_weight=9.0).init_score(y) == pytest.approx(0.0)
    yk = np.array([0] * 6 + [1] * 3 + [2])
    np.testing.assert_allclose(FocalLoss().init_score(yk, 3), np.log([0.6, 0.3, 0.1]))


def test_loss_bad_input():
    with pytest.raises(ValueError, match="gamma"):
        FocalLoss(gamma=-1)(np.array([0, 1]), np.zeros(2))
    with pytest.raises(ValueError, match="alpha"):
        FocalLoss(alpha=1.5)(np.array([0, 1]), np.zeros(2))
    with pytest.raises(ValueError, match="class codes"):
        FocalLoss()(np.array([0, 2]), np.zeros(2))
    with pytest.raises(ValueError, match="FocalLoss for multiclass"):
        AsymmetricLoss()(np.array([0, 2]), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="one weight per class"):
        WeightedLogLoss(pos_weight=2.0)(np.array([0, 2]), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="y_pred must have shape"):
        FocalLoss()(np.array([0, 1, 1]), np.zeros(2))


# --- class weights -------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(counts=st.lists(st.integers(1, 500), min_size=2, max_size=5), beta=st.floats(0.0, 0.9999))
def test_effective_number_weights(counts, beta):
    y = np.repeat(np.arange(len(counts)), counts)
    w = compute_class_weight("effective_number", y=y, beta=beta)
    assert w.sum() == pytest.approx(len(counts))
    effective = (1 - beta ** np.array(counts, dtype=float)) / (1 - beta)
    # w_c proportional to 1 / E_c
    np.testing.assert_allclose(w * effective, (w * effective)[0], rtol=1e-8)
    # Never more extreme than inverse frequency: the effective number grows more slowly than n_c.
    order = np.argsort(counts, kind="stable")
    assert np.all(np.diff(w[order]) <= 1e-9)


def test_balanced_matches_sklearn_and_dict_checks():
    y = np.array(["a"] * 7 + ["b"] * 3)
    from sklearn.utils.class_weight import compute_class_weight as sk

    np.testing.assert_allclose(compute_class_weight("balanced", y=y),
                               sk("balanced", classes=np.array(["a", "b"]), y=y))
    np.testing.assert_allclose(compute_class_weight({"b": 5}, y=y), [1, 5])
    with pytest.raises(ValueError, match=r"names classes \['c'\]"):
        compute_class_weight({"c": 2}, y=y)
    with pytest.raises(ValueError, match="non-negative"):
        compute_class_weight({"b": -1}, y=y)


def test_balanced_with_sample_weight_counts_weight():
    # Integer weights act like repeated samples; the classes may come in any order.
    y = np.array(["a"] * 4 + ["b"] * 3 + ["c"] * 2)
    sw = np.array([1, 2, 1, 3, 1, 1, 2, 5, 1])
    expected = compute_class_weight("balanced", y=np.repeat(y, sw))
    np.testing.assert_allclose(compute_class_weight("balanced", y=y, sample_weight=sw), expected)
    np.testing.assert_allclose(
        compute_class_weight("balanced", y=y, classes=["c", "a", "b"], sample_weight=sw),
        expected[[2, 0, 1]])
    with pytest.raises(ValueError, match="exactly the labels of y"):
        compute_class_weight("balanced", y=y, classes=["a", "b"], sample_weight=sw)


# --- cost-optimal threshold ----------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(costs=st.tuples(st.floats(0, 10), st.floats(1e-3, 10), st.floats(0, 10),
                       st.floats(1e-3, 10)), p=st.floats(0, 1))
def test_cost_optimal_threshold_minimises_expected_cost(costs, p):
    # A mistake costs more than the right answer: fp > tn and fn > tp by construction.
    tn, extra_fp, tp, extra_fn = costs
    fp, fn = tn + extra_fp, tp + extra_fn
    matrix = [[tn, fp], [fn, tp]]
    t = cost_optimal_threshold(matrix)
    with pytest.warns(FutureWarning, match="bayes_threshold is deprecated"):
        assert t == bayes_threshold(matrix)  # its deprecated alias, same convention
    cost_positive = p * tp + (1 - p) * fp
    cost_negative = p * fn + (1 - p) * tn
    chosen = cost_positive if p >= t else cost_negative
    assert chosen <= min(cost_positive, cost_negative) + 1e-9


def test_cost_optimal_threshold_per_sample_and_errors():
    amounts = np.array([10.0, 100.0, 1000.0])
    t = cost_optimal_threshold(cost_fp=5.0, cost_fn=amounts)
    np.testing.assert_allclose(t, 5 / (5 + amounts))
    assert cost_optimal_threshold(cost_fp=1.0, cost_fn=3.0) == pytest.approx(0.25)
    for bad, match in [([[0, 1], [-2, 0]], "non-negative"), ([[0, 1], [np.nan, 0]], "finite"),
                       ([[0, 1, 1], [1, 0, 1]], "shape"), ([[2, 1], [3, 0]], "mistake")]:
        with pytest.raises(ValueError, match=match):
            cost_optimal_threshold(bad)
    with pytest.raises(ValueError, match="mistake"):
        cost_optimal_threshold(cost_fp=1.0, cost_fn=[1.0, 0.0])


# --- CostSensitiveClassifier ---------------------------------------------------------------


def test_weighting_equals_sklearn_class_weight(pima):
    X, y = pima
    ours = CostSensitiveClassifier(LogisticRegression(), class_weight="balanced").fit(X, y)
    ref = LogisticRegression(class_weight="balanced").fit(X, y)
    np.testing.assert_allclose(ours.estimator_.coef_, ref.coef_, rtol=1e-4)
    cm = CostSensitiveClassifier(LogisticRegression(), cost_matrix=[[0, 1], [4, 0]]).fit(X, y)
    ref = LogisticRegression(class_weight={0: 1, 1: 4}).fit(X, y)
    np.testing.assert_allclose(cm.estimator_.coef_, ref.coef_, rtol=1e-4)
    np.testing.assert_allclose(cm.predict_proba(X), ref.predict_proba(X), rtol=1e-4)


def test_example_dependent_costs_are_sample_weights(pima):
    X, y = pima
    amount = np.random.default_rng(0).uniform(1, 100, len(y))
    ours = CostSensitiveClassifier(LogisticRegression()).fit(X, y, sample_cost=amount)
    ref = LogisticRegression().fit(X, y, sample_weight=amount)
    np.testing.assert_allclose(ours.estimator_.coef_, ref.coef_, rtol=1e-4)


def test_weighting_through_pipeline_legacy_and_routed(pima):
    X, y = pima
    ref = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced")).fit(X, y)
    legacy = CostSensitiveClassifier(
        make_pipeline(StandardScaler(), LogisticRegression())).fit(X, y)
    np.testing.assert_allclose(legacy.predict_proba(X), ref.predict_proba(X), rtol=1e-4)
    with config_context(enable_metadata_routing=True):
        scaler = StandardScaler().set_fit_request(sample_weight=False)
        inner = make_pipeline(scaler, LogisticRegression().set_fit_request(sample_weight=True))
        routed = CostSensitiveClassifier(inner).fit(X, y)
        np.testing.assert_allclose(routed.predict_proba(X), ref.predict_proba(X), rtol=1e-4)
        # No step asked for the weights: scikit-learn refuses rather than dropping them silently.
        with pytest.raises(Exception, match="sample_weight"):
            CostSensitiveClassifier(make_pipeline(scaler, LogisticRegression())).fit(X, y)
        # An outer Pipeline routes the caller's sample_weight to us only on request.
        sw = np.random.default_rng(0).uniform(0.5, 2, len(y))
        outer = make_pipeline(scaler, CostSensitiveClassifier(
            LogisticRegression().set_fit_request(sample_weight=True)).set_fit_request(sample_weight=True))
        outer.fit(X, y, sample_weight=sw)
        w = compute_class_weight("balanced", y=y, sample_weight=sw)[y] * sw
        ref_w = LogisticRegression().fit(StandardScaler().fit_transform(X), y, sample_weight=w)
        np.testing.assert_allclose(outer[-1].estimator_.coef_, ref_w.coef_, rtol=1e-4)


def test_weighting_needs_sample_weight_support(pima):
    X, y = pima
    with pytest.raises(TypeError, match="rejection_sampling"):
        CostSensitiveClassifier(KNeighborsClassifier()).fit(X, y)


def test_rejection_sampling_accepts_in_proportion_to_cost(pima):
    X, y = pima
    clf = CostSensitiveClassifier(KNeighborsClassifier(), method="rejection_sampling",
                                  n_resamples=30, random_state=0).fit(X, y)
    sizes = np.array([[np.sum(m._y == c) for c in (0, 1)] for m in clf.estimators_])
    # Balanced costs: every minority sample is kept, the majority at rate n_min / n_maj.
    np.testing.assert_array_equal(sizes[:, 1], np.sum(y == 1))
    expected = np.sum(y == 0) * np.sum(y == 1) / np.sum(y == 0)
    assert abs(sizes[:, 0].mean() - expected) < 4 * np.sqrt(expected / 30)
    again = CostSensitiveClassifier(KNeighborsClassifier(), method="rejection_sampling",
                                    n_resamples=30, random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))


def _held_out_cost(clf, X, y, matrix):
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    return expected_cost(y, cross_val_predict(clf, X, y, cv=cv), matrix)


@pytest.mark.parametrize("name", ["yeast1", "pima"])
def test_cost_methods_lower_held_out_cost_on_real_data(name):
    X, y = load_dataset(name, return_X_y=True)
    matrix = np.array([[0.0, 1.0], [5.0, 0.0]])
    plain = _held_out_cost(make_pipeline(StandardScaler(), LogisticRegression()), X, y, matrix)
    for method in ["weighting", "bayes_risk", "metacost", "rejection_sampling"]:
        estimator = make_pipeline(StandardScaler(), LogisticRegression())
        clf = CostSensitiveClassifier(estimator, cost_matrix=matrix, method=method, n_resamples=5,
                                      random_state=0)
        assert _held_out_cost(clf, X, y, matrix) < 0.85 * plain, method


def test_bayes_risk_is_the_cost_optimal_threshold(pima):
    X, y = pima
    matrix = [[0, 2], [7, 1]]
    clf = CostSensitiveClassifier(LogisticRegression(), cost_matrix=matrix,
                                  method="bayes_risk").fit(X, y)
    p = LogisticRegression().fit(X, y).predict_proba(X)[:, 1]
    np.testing.assert_array_equal(clf.predict(X), (p >= cost_optimal_threshold(matrix)).astype(int))
    calibrated = CostSensitiveClassifier(LogisticRegression(), cost_matrix=matrix,
                                         method="bayes_risk", calibration="isotonic").fit(X, y)
    assert calibrated.predict_proba(X).shape == (len(y), 2)


def test_metacost_relabels_toward_the_dear_class(pima):
    X, y = pima
    clf = CostSensitiveClassifier(DecisionTreeClassifier(max_depth=4, random_state=0),
                                  cost_matrix=[[0, 1], [6, 0]], method="metacost",
                                  random_state=0).fit(X, y)
    assert 0 < clf.relabelled_fraction_ < 0.5
    assert clf.predict(X).mean() > y.mean()


def test_multiclass_cost_matrix():
    X, y = load_dataset("ecoli1", return_X_y=True)
    y = y + (X[:, 0] > np.median(X[:, 0]))  # three classes
    matrix = np.array([[0, 1, 1], [1, 0, 1], [10, 10, 0]])
    for method in ["weighting", "bayes_risk", "metacost"]:
        clf = CostSensitiveClassifier(make_pipeline(StandardScaler(), LogisticRegression()),
                                      cost_matrix=matrix, method=method,
                                      random_state=0).fit(X, y)
        plain = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
        assert np.mean(clf.predict(X) == 2) >= np.mean(plain.predict(X) == 2), method


def test_pandas_grid_search_pickle(pima):
    pd = pytest.importorskip("pandas")
    X, y = load_dataset("pima", return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame)
    grid = GridSearchCV(CostSensitiveClassifier(make_pipeline(StandardScaler(),
                                                              LogisticRegression())),
                        {"method": ["weighting", "bayes_risk"],
                         "class_weight": ["balanced", "effective_number"]},
                        scoring="balanced_accuracy", cv=3).fit(X, y)
    best = grid.best_estimator_
    assert list(best.feature_names_in_) == list(X.columns)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(best)).predict(X), best.predict(X))


@pytest.mark.parametrize(
    "params, fit_kwargs, error, match",
    [
        ({"cost_matrix": [[0, 1], [-1, 0]]}, {}, ValueError, "negative"),
        ({"cost_matrix": [[0, 1], [np.nan, 0]]}, {}, ValueError, "NaN"),
        ({"cost_matrix": [[0, 1, 1], [1, 0, 1], [1, 1, 0]]}, {}, ValueError, r"shape \(2, 2\)"),
        ({"cost_matrix": [[3, 1], [2, 0]]}, {}, ValueError, "correct prediction cost more"),
        ({"cost_matrix": [[0, 1], [2, 0]], "class_weight": "balanced"}, {}, ValueError, "not both"),
        ({"class_weight": {7: 2.0}}, {}, ValueError, r"names classes \[7\]"),
        ({"method": "metacost"}, {"sample_cost": np.ones(768)}, ValueError, "sample_cost"),
        ({}, {"sample_cost": -np.ones(768)}, ValueError, "non-negative"),
        # The messages name sample_cost, never sample_weight.
        ({}, {"sample_cost": np.r_[np.nan, np.ones(767)]}, ValueError, "^sample_cost must hold"),
        ({}, {"sample_cost": np.ones(5)}, ValueError, r"^sample_cost must have shape \(768,\)"),
        ({}, {"sample_cost": np.ones((768, 2))}, ValueError, "^sample_cost must have shape"),
        ({}, {"sample_cost": ["a"] * 768}, ValueError, "^sample_cost must be numbers"),
        ({}, {"sample_cost": np.zeros(768)}, ValueError, r"zero cost \(sample_cost\)"),
        ({}, {"sample_cost": np.ones(768), "sample_weight": np.r_[np.zeros(767), -1.0]},
         ValueError, "sample_weight"),
        ({"method": "rejection_sampling"}, {"sample_cost": np.r_[np.zeros(767), 1.0]},
         ValueError, r"single class .*costs \(sample_cost\)"),
        ({"method": "magic"}, {}, ValueError, "method"),
    ],
)
def test_bad_input(pima, params, fit_kwargs, error, match):
    X, y = pima
    with pytest.raises(error, match=match):
        CostSensitiveClassifier(**params).fit(X, y, **fit_kwargs)


def test_sample_cost_errors_speak_of_sample_cost(pima):
    # Costs reach the estimator as its sample_weight, but the user passed sample_cost:
    # every message says which of the two (or both) it is about.
    from sklearn.neighbors import KNeighborsClassifier

    X, y = pima
    cost = np.ones(len(y))
    with pytest.raises(TypeError, match="takes no sample_weight, through which this method "
                                        "applies sample_cost;"):
        CostSensitiveClassifier(KNeighborsClassifier()).fit(X, y, sample_cost=cost)
    with pytest.raises(TypeError, match=r"applies sample_cost x sample_weight;"):
        CostSensitiveClassifier(KNeighborsClassifier()).fit(X, y, sample_cost=cost,
                                                            sample_weight=cost)
    with pytest.raises(ValueError, match=r"zero cost \(sample_cost x sample_weight\)"):
        even = np.arange(len(y)) % 2 == 0  # costs on the even rows, weights on the odd
        CostSensitiveClassifier().fit(X, y, sample_cost=even * 1.0, sample_weight=~even * 1.0)
    with pytest.raises(ValueError, match=r"zero cost \(the class costs x sample_weight\)"):
        CostSensitiveClassifier(class_weight={0: 0.0, 1: 0.0}).fit(X, y, sample_weight=cost)
    # A per-sample cost stack for the wrong number of classes names its own shape.
    from imbtool.utils._costs import check_cost_matrix

    with pytest.raises(ValueError, match=r"sample_cost must be of shape \(n_samples, 2, 2\)"):
        check_cost_matrix(np.ones((5, 3, 3)), 2, per_sample=True, name="sample_cost")


def test_does_not_modify_caller_data(pima):
    X, y = pima
    X0, y0 = X.copy(), y.copy()
    cost = np.ones(len(y))
    CostSensitiveClassifier(method="rejection_sampling", n_resamples=2,
                            random_state=0).fit(X, y, sample_cost=cost)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(cost, 1)


# --- the one cost-matrix convention ----------------------------------------------------------


def test_one_validator_and_its_rules():
    np.testing.assert_array_equal(check_cost_matrix([[0, 1], [5, 0]], 2), [[0.0, 1.0], [5.0, 0.0]])
    # A costly right call is fine as long as no mistake is cheaper (AdaCost's diagonal).
    check_cost_matrix([[1, 1], [9, 2]], 2)
    for bad, match in [
        ("dear", "numeric square array"),
        ([[0, 1, 1], [1, 0, 1]], r"must be of shape|must have shape"),
        ([[0, 1], [np.inf, 0]], "NaN or infinite"),
        ([[0, 1], [-1, 0]], "non-negative"),
        ([[3, 1], [2, 0]], r"rows \[0\] make a correct prediction cost more than a mistake"),
        ([[1, 1], [1, 1]], "same cost"),
    ]:
        with pytest.raises((TypeError, ValueError), match=match):
            check_cost_matrix(bad, 2)
    with pytest.raises(ValueError,
                       match=r"cost_matrix must be of shape \(3, 3\).*is 2 x 2 but there are 3"):
        check_cost_matrix([[0, 1], [1, 0]], 3)
    # Per-sample matrices: a single sample's right call may cost more than its mistake.
    stack = np.array([[[0, 5], [2, 3]], [[0, 1], [9, 0]]], dtype=float)
    np.testing.assert_array_equal(check_cost_matrix(stack, 2, per_sample=True), stack)
    with pytest.raises(ValueError, match="shape"):
        check_cost_matrix(stack, 2)
    with pytest.raises(ValueError, match="non-negative"):
        check_cost_matrix(-stack, 2, per_sample=True)


@pytest.mark.parametrize("bad, match", [
    ([[0, 1], [-1, 0]], "non-negative"),
    ([[3, 1], [2, 0]], "correct prediction cost more than a mistake"),
    ([[0, 1, 1], [1, 0, 1], [1, 1, 0]], "is 3 x 3 but there are 2"),
])
def test_every_cost_matrix_taker_applies_the_same_rules(pima, bad, match):
    X, y = pima
    X, y = X[:200], y[:200]
    takers = [
        lambda: CostSensitiveClassifier(cost_matrix=bad).fit(X, y),
        lambda: ExpectedCost(bad).matrix(2),
        lambda: expected_cost([0, 1], [1, 0], bad, labels=[0, 1]),
        lambda: cost_optimal_threshold(bad),
        lambda: AdaCostClassifier(n_estimators=2, cost_matrix=bad,
                                  cost_matrix_layout="true_pred").fit(X, y),
    ]
    for take in takers:
        with pytest.raises(ValueError, match=match):
            take()


def test_the_same_matrix_means_the_same_in_every_class(pima):
    # C[true, predicted] everywhere: dear false negatives push every class towards the positive.
    X, y = pima
    matrix = [[0, 1], [8, 0]]
    bayes = CostSensitiveClassifier(LogisticRegression(max_iter=1000), cost_matrix=matrix,
                                    method="bayes_risk").fit(X, y)
    ada = AdaCostClassifier(n_estimators=20, random_state=0, cost_matrix=matrix,
                            cost_matrix_layout="true_pred").fit(X, y)
    plain = AdaCostClassifier(n_estimators=20, random_state=0, cost_matrix="uniform").fit(X, y)
    assert ExpectedCost(matrix).matrix(2)[1, 0] == 8
    assert bayes.predict(X).mean() > y.mean()
    assert ada.predict(X).mean() > plain.predict(X).mean()


@pytest.mark.parametrize("params", [{"estimator": "LogisticRegression"},
                                    {"estimator": [LogisticRegression()]},
                                    {"n_jobs": float("inf")}, {"method": "magic"}, {"beta": 1.0},
                                    {"n_resamples": 0}, {"calibration": "platt"},
                                    {"class_weight": "inverse"}])
def test_cost_sensitive_classifier_parameter_errors(pima, params, monkeypatch):
    X, y = pima
    # Raised before any work: the data is never validated.
    monkeypatch.setattr("imbtool.cost._classifier.validate_data", None)
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        CostSensitiveClassifier(**params).fit(X, y)


def test_cost_sensitive_classifier_contract(pima):
    X, y = pima
    with pytest.raises(InvalidParameterError, match="class_weight or cost_matrix, not both"):
        CostSensitiveClassifier(class_weight="balanced", cost_matrix=[[0, 1], [2, 0]]).fit(X, y)
    with pytest.raises(TypeError, match="positional"):
        CostSensitiveClassifier(LogisticRegression(), "balanced")
