"""LDAM, logit-adjusted and dice losses, deferred re-weighting, and post-hoc logit adjustment.

Derivatives against finite differences for every loss, class count and
parameter corner; init scores against a numerical minimum of the
constant-model loss; bad input; the boosters and the remedy registry.
"""

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError
from test_cost import _assert_derivatives

from imbtool.boosters import LGBMImbalancedClassifier, XGBImbalancedClassifier
from imbtool.boosters._base import LOSSES
from imbtool.cost import (
    DiceLoss,
    LDAMLoss,
    LogitAdjustedClassifier,
    LogitAdjustedLoss,
    WeightedLogLoss,
    compute_class_weight,
)
from imbtool.cost._losses import DICE_MAX_STEP, HESSIAN_FLOOR
from imbtool.datasets import load_dataset
from imbtool.remedies import get_remedy
from imbtool.utils._compat import XGBOOST_INSTALLED

CORNERS = [
    LogitAdjustedLoss(tau=0.0), LogitAdjustedLoss(tau=1.0), LogitAdjustedLoss(tau=3.0),
    LDAMLoss(max_margin=0.0), LDAMLoss(max_margin=0.5), LDAMLoss(max_margin=3.0),
    DiceLoss(alpha=0.0, gamma=1.0), DiceLoss(alpha=1.0, gamma=1.0),
    DiceLoss(alpha=0.3, gamma=0.01), DiceLoss(alpha=3.0, gamma=5.0),
]
SMALL = dict(n_estimators=30, min_child_samples=5, device="cpu", n_jobs=1, random_state=0)


def _data(n_classes, n=60, seed=0, scale=3.0):
    rng = np.random.default_rng(seed)
    # Skewed labels so that the class sizes (which LDAM and logit adjustment read) differ.
    y = rng.choice(n_classes, n, p=np.arange(1, n_classes + 1) / np.arange(1, n_classes + 1).sum())
    z = rng.normal(0, scale, n if n_classes == 2 else (n, n_classes))
    return y, z


@pytest.fixture(scope="module")
def ecoli1():
    return load_dataset("ecoli1", return_X_y=True)


@pytest.mark.parametrize("n_classes", [2, 3, 7])
@pytest.mark.parametrize("loss", CORNERS, ids=repr)
def test_derivatives_match_finite_differences(loss, n_classes):
    y, z = _data(n_classes)
    _assert_derivatives(loss, y, z)


@pytest.mark.parametrize("n_classes", [2, 3, 7])
@pytest.mark.parametrize("loss", CORNERS, ids=repr)
def test_boosters_get_positive_hessians(loss, n_classes):
    y, z = _data(n_classes, scale=8.0)
    _, grad, hess = loss.gradient_hessian(y, z)
    _, _, exact = loss.gradient_hessian(y, z, exact=True)
    assert np.all(hess >= HESSIAN_FLOOR) if isinstance(loss, DiceLoss) else np.all(hess >= 0)
    assert np.all(hess >= exact)
    if isinstance(loss, DiceLoss):
        # The surrogate bounds every Newton step at DICE_MAX_STEP logits.
        assert np.all(np.abs(grad) / hess <= DICE_MAX_STEP * (1 + 1e-12))
        assert np.any(exact < 0)  # not convex: the surrogate is needed
    else:
        np.testing.assert_array_equal(hess, exact)  # convex: the exact Hessian goes through


@pytest.mark.parametrize("loss", [LogitAdjustedLoss(0.0), LDAMLoss(0.0)], ids=repr)
@pytest.mark.parametrize("n_classes", [2, 4])
def test_zero_offset_is_log_loss(loss, n_classes):
    y, z = _data(n_classes)
    plain = WeightedLogLoss(pos_weight=np.ones(n_classes))
    for ours, theirs in zip(loss.gradient_hessian(y, z), plain.gradient_hessian(y, z)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss", [LogitAdjustedLoss(1.5), LDAMLoss(1.0)], ids=repr)
def test_binary_margin_is_the_two_class_softmax(loss):
    """One log-odds margin z is the softmax of the class scores [0, z]."""
    y, z = _data(2)
    binary = loss.gradient_hessian(y, z, exact=True)
    two = loss.gradient_hessian(y, np.column_stack([np.zeros_like(z), z]), exact=True)
    np.testing.assert_allclose(binary[0], two[0], rtol=1e-12)
    np.testing.assert_allclose(binary[1], two[1][:, 1], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(binary[2], two[2][:, 1], rtol=1e-12, atol=1e-15)


def test_logit_adjustment_and_ldam_follow_their_papers():
    y = np.array([0] * 6 + [1] * 3 + [2] * 1)
    z = np.random.default_rng(1).normal(size=(10, 3))
    prior = np.array([0.6, 0.3, 0.1])
    loss, _, _ = LogitAdjustedLoss(tau=0.7).gradient_hessian(y, z)
    np.testing.assert_allclose(loss, -log_softmax(z + 0.7 * np.log(prior), axis=1)[
        np.arange(10), y], rtol=1e-12)
    delta = 2.0 * (1.0 / np.array([6.0, 3.0, 1.0])) ** 0.25  # C n_c^(-1/4), largest = C = 2
    np.testing.assert_allclose(LDAMLoss(2.0).margins(y, 3), delta, rtol=1e-12)
    shifted = z.copy()
    shifted[np.arange(10), y] -= delta[y]
    loss, _, _ = LDAMLoss(2.0).gradient_hessian(y, z)
    np.testing.assert_allclose(loss, -log_softmax(shifted, axis=1)[np.arange(10), y], rtol=1e-12)


def test_dice_follows_the_paper():
    """DSC = 1 - (2 (1-p)^a p y + g) / ((1-p)^a p + y + g), per class of the softmax."""
    alpha, gamma = 0.5, 0.3
    y = np.array([0, 1, 2, 2])
    z = np.random.default_rng(2).normal(size=(4, 3))
    p = softmax(z, axis=1)
    target = np.eye(3)[y]
    u = (1 - p) ** alpha * p
    expected = (1 - (2 * u * target + gamma) / (u + target + gamma)).sum(axis=1)
    np.testing.assert_allclose(DiceLoss(alpha, gamma).gradient_hessian(y, z)[0], expected,
                               rtol=1e-12)
    pb = 1 / (1 + np.exp(-z[:, 0]))
    yb = (y == 2).astype(int)
    ub = (1 - pb) ** alpha * pb
    np.testing.assert_allclose(DiceLoss(alpha, gamma).gradient_hessian(yb, z[:, 0])[0],
                               1 - (2 * ub * yb + gamma) / (ub + yb + gamma), rtol=1e-12)


def _constant_loss(loss, y, n_classes, weight):
    def value(c):
        z = np.full(len(y), c[0]) if n_classes == 2 else np.tile(c, (len(y), 1))
        return np.average(loss.gradient_hessian(y, z, exact=True)[0], weights=weight)

    return value


@pytest.mark.parametrize("n_classes", [2, 3, 7])
@pytest.mark.parametrize("loss", [LogitAdjustedLoss(1.0), LogitAdjustedLoss(2.0),
                                  LDAMLoss(0.5), LDAMLoss(3.0)], ids=repr)
def test_init_score_minimises_the_constant_model_loss(loss, n_classes):
    y, _ = _data(n_classes, n=200, seed=3)
    weight = np.random.default_rng(4).uniform(0.5, 2.0, y.size)
    init = loss.init_score(y, n_classes, weight)
    value = _constant_loss(loss, y, n_classes, weight)
    best = minimize(value, np.zeros(1 if n_classes == 2 else n_classes), method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000})
    assert value(np.atleast_1d(init)) <= best.fun + 1e-10
    # ... and it is a stationary point: the weighted gradient vanishes.
    z = np.full(len(y), init) if n_classes == 2 else np.tile(init, (len(y), 1))
    grad = loss.gradient_hessian(y, z, weight)[1].sum(axis=0)
    np.testing.assert_allclose(grad, 0, atol=1e-7 * weight.sum())


def test_logit_adjusted_init_score_closed_form():
    y = np.array([0] * 70 + [1] * 20 + [2] * 10)
    share = np.array([0.7, 0.2, 0.1])
    init = LogitAdjustedLoss(tau=1.0).init_score(y, 3)
    # softmax(c + log pi) = pi: c is constant, zero after centring.
    np.testing.assert_allclose(init, 0.0, atol=1e-9)
    init = LogitAdjustedLoss(tau=0.5).init_score(y, 3)
    expected = 0.5 * np.log(share)
    np.testing.assert_allclose(init, expected - expected.mean(), atol=1e-9)


def test_dice_starts_from_the_log_prior():
    y = np.array([0] * 90 + [1] * 10)
    assert DiceLoss().init_score(y) == pytest.approx(np.log(10 / 90))


@pytest.mark.parametrize("loss", CORNERS, ids=repr)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_labels_must_be_class_codes(loss, n_classes):
    _, z = _data(n_classes, n=4)
    for bad in ([0, 1, 2, n_classes], [0, 1, -1, 0], [0, 1, 0.5, 1]):
        with pytest.raises(ValueError, match="integer class codes"):
            loss.gradient_hessian(np.array(bad), z)


@pytest.mark.parametrize("loss", CORNERS, ids=repr)
def test_class_absent_from_the_labels(loss):
    """Class 1 of three never occurs (a CV fold): finite results, and no pull toward it."""
    y = np.array([0, 0, 2, 2, 0])
    z = np.random.default_rng(5).normal(size=(5, 3))
    value, grad, hess = loss.gradient_hessian(y, z)
    assert np.isfinite(value).all() and np.isfinite(grad).all() and np.isfinite(hess).all()
    if not isinstance(loss, DiceLoss):  # cross-entropy family: every sample pushes it down
        assert np.all(grad[:, 1] >= 0)
    init = loss.init_score(y, 3)
    assert np.isfinite(init).all() and init[1] < min(init[0], init[2])


def _dice_reference(loss, y, z):
    """The paper's formula, evaluated on probabilities (exactly 0 or 1 when saturated)."""
    if z.ndim == 1:
        p, target = 1 / (1 + np.exp(-z)), y.astype(float)
    else:
        p, target = softmax(z, axis=1), np.eye(z.shape[1])[y]
    u = (1 - p) ** loss.alpha * p  # 0**0 = 1: alpha=0 gives u = p
    value = 1 - (2 * u * target + loss.gamma) / (u + target + loss.gamma)
    return value if z.ndim == 1 else value.sum(axis=1)


@pytest.mark.parametrize("loss", CORNERS, ids=repr)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_extreme_margins_are_finite_and_correct(loss, n_classes):
    y = np.arange(4) % n_classes
    if n_classes == 2:
        z = np.array([-1e4, 1e4, 1e4, -1e4])  # right, right, wrong, wrong
    else:
        z = np.full((4, n_classes), -1e4)
        z[np.arange(4), (y + np.array([0, 0, 1, 1])) % n_classes] = 1e4  # two right, two wrong
    with np.errstate(over="ignore"):
        value, grad, hess = loss.gradient_hessian(y, z)
    exact = loss.gradient_hessian(y, z, exact=True)[2]
    for array in (value, grad, hess, exact):
        assert np.isfinite(array).all()
    right, wrong = [0, 1], [2, 3]
    if isinstance(loss, DiceLoss):
        with np.errstate(over="ignore"):
            np.testing.assert_allclose(value, _dice_reference(loss, y, z), rtol=1e-12)
        np.testing.assert_allclose(grad, 0.0, atol=1e-300)  # saturated: u and its slope are 0
        assert np.all(hess >= HESSIAN_FLOOR)
    else:
        # Log-loss of a margin of 1e4 or 2e4 (plus a bounded offset): ~0 right, the margin wrong.
        assert np.all(value[right] < 1e-100)
        np.testing.assert_allclose(value[wrong], 2e4 if n_classes > 2 else 1e4, rtol=1e-3)
        np.testing.assert_allclose(np.abs(grad[wrong]).max(), 1.0)


@pytest.mark.parametrize("cls, name, values", [
    (LogitAdjustedLoss, "tau", [-0.5, np.nan, np.inf, "1"]),
    (LDAMLoss, "max_margin", [-1.0, np.nan, np.inf, None]),
    (DiceLoss, "alpha", [-1.0, np.nan]),
    (DiceLoss, "gamma", [0.0, -1.0, np.nan]),
])
def test_bad_parameters_name_themselves(cls, name, values):
    y, z = _data(3, n=5)
    X = np.random.default_rng(0).normal(size=(40, 2))
    yy = np.arange(40) % 2
    for value in values:
        with pytest.raises(InvalidParameterError, match=name):
            cls(**{name: value}).gradient_hessian(y, z)
        with pytest.raises(InvalidParameterError, match=name):
            cls(**{name: value}).check_params(3)
        loss_name = {LogitAdjustedLoss: "logit_adjusted", LDAMLoss: "ldam", DiceLoss: "dice"}
        with pytest.raises(InvalidParameterError, match=name):
            LGBMImbalancedClassifier(loss_name[cls], loss_params={name: value}, **SMALL).fit(X, yy)


# ---------------------------------------------------------------- boosters


@pytest.mark.parametrize("loss", ["ldam", "logit_adjusted", "dice"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_boosters_take_each_loss_by_name_and_return_probabilities(loss, n_classes):
    X, y = load_dataset("ecoli1", return_X_y=True)
    if n_classes == 3:
        y = np.where(X[:, 0] > np.median(X[:, 0]), 2, y)
    clf = LGBMImbalancedClassifier(loss, **SMALL).fit(X, y)
    proba = clf.predict_proba(X)
    raw = clf.decision_function(X)
    assert proba.shape == (len(y), n_classes)
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    expected = softmax(np.column_stack([np.zeros_like(raw), raw]) if raw.ndim == 1 else raw,
                       axis=1)
    np.testing.assert_allclose(proba, expected, rtol=1e-10)  # the link, not raw margins
    assert balanced_accuracy_score(y, clf.predict(X)) > 0.8


def test_logit_adjusted_booster_favours_the_rare_class(ecoli1):
    X, y = ecoli1
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    rates = {}
    for loss in ("logloss", "logit_adjusted"):
        pred = cross_val_predict(LGBMImbalancedClassifier(loss, **SMALL), X, y, cv=cv)
        rates[loss] = (np.mean(pred == 1), balanced_accuracy_score(y, pred))
    assert rates["logit_adjusted"][0] > rates["logloss"][0]
    assert rates["logit_adjusted"][1] > rates["logloss"][1]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_loss_form_is_post_hoc_adjustment_for_boosters(ecoli1, n_classes):
    """A constant per-class offset moves every round's gradients the same way: boosting on the
    logit-adjusted loss gives the post-hoc adjusted margins of the plain model."""
    X, y = ecoli1
    if n_classes == 3:
        y = np.where(X[:, 0] > np.median(X[:, 0]), 2, y)
    # LightGBM's own multiclass objective scales its Hessian by K / (K - 1); imbtool's
    # cross-entropy (the logit-adjusted loss at tau=0) does not, and is the plain model here.
    plain = "logloss" if n_classes == 2 else LogitAdjustedLoss(tau=0.0)
    for tau in (0.5, 1.0):
        loss_form = LGBMImbalancedClassifier("logit_adjusted", loss_params={"tau": tau},
                                             **SMALL).fit(X, y).decision_function(X)
        post_hoc = LogitAdjustedClassifier(LGBMImbalancedClassifier(plain, **SMALL),
                                           tau=tau).fit(X, y).decision_function(X)
        if n_classes > 2:  # softmax margins are defined up to a constant per row
            loss_form = loss_form - loss_form.mean(axis=1, keepdims=True)
            post_hoc = post_hoc - post_hoc.mean(axis=1, keepdims=True)
        # LightGBM keeps gradients in float32: margins shifted by the offset round differently.
        np.testing.assert_allclose(loss_form, post_hoc, atol=1e-3)


def test_deferred_reweighting(ecoli1):
    X, y = ecoli1
    minority = {}
    for start in (None, 0.5, 0.0):
        params = dict(class_weight=None) if start is None else dict(
            class_weight="balanced", class_weight_start=start)
        clf = LGBMImbalancedClassifier("logit_adjusted", loss_params={"tau": 0.0}, **SMALL,
                                       **params).fit(X, y)
        minority[start] = clf.predict_proba(X)[:, 1].mean()
    # Half the rounds weighted: between no weights and weights from the start.
    assert minority[None] < minority[0.5] < minority[0.0]
    # The start is the unweighted optimum (the weights come later).
    plain = LGBMImbalancedClassifier("ldam", **SMALL).fit(X, y)
    drw = LGBMImbalancedClassifier("ldam", class_weight="effective_number",
                                   class_weight_start=0.5, **SMALL).fit(X, y)
    assert drw.init_score_ == plain.init_score_
    with pytest.raises(InvalidParameterError, match="class_weight_start"):
        LGBMImbalancedClassifier("logloss", class_weight="balanced", class_weight_start=0.5,
                                 **SMALL).fit(X, y)
    with pytest.raises(InvalidParameterError, match="class_weight_start"):
        LGBMImbalancedClassifier(class_weight_start=1.0, **SMALL).fit(X, y)


@pytest.mark.parametrize("name, n_classes", [
    (name, n_classes) for name in LOSSES for n_classes in (2, 3)
    if not (name == "asymmetric" and n_classes > 2)])  # asymmetric: binary only
def test_fit_objective_is_the_per_call_loss(name, n_classes):
    """A fit's objective, set up once from the first call, gives the bits of the loss called
    afresh every round (labels, weights and class sizes read again), round after round."""
    lightgbm = pytest.importorskip("lightgbm")
    loss = LOSSES[name](alpha=[0.2, 0.3, 0.5]) if name == "focal" and n_classes > 2 else (
        LOSSES[name]())
    y, _ = _data(n_classes, n=200)
    rng = np.random.default_rng(1)
    dataset = lightgbm.Dataset(rng.normal(size=(200, 2)), label=y, weight=rng.random(200),
                               params={"verbose": -1}).construct()
    objective = None
    for _ in range(3):  # every round's margins differ; the objective's arrays are reused
        _, z = _data(n_classes, n=200, seed=int(rng.integers(1000)))
        if objective is None:
            objective = loss._fit_rounds(z, dataset)
        grad, hess = objective(z, dataset)
        fresh_grad, fresh_hess = loss(z, dataset)
        np.testing.assert_array_equal(grad, fresh_grad)
        np.testing.assert_array_equal(hess, fresh_hess)
    with pytest.raises(ValueError, match="one training set"):
        objective(z[:50], dataset)


@pytest.mark.parametrize("params", [{}, {"class_weight": "effective_number",
                                         "class_weight_start": 0.5}], ids=["plain", "drw"])
def test_fitting_twice_gives_the_same_model(ecoli1, params):
    """The per-fit objective state does not leak from one fit into the next."""
    X, y = ecoli1
    weight = np.random.default_rng(0).random(len(y)) + 0.5
    clf = LGBMImbalancedClassifier("ldam", **SMALL, **params)
    first = clf.fit(X, y, sample_weight=weight).decision_function(X)
    np.testing.assert_array_equal(clf.fit(X, y, sample_weight=weight).decision_function(X), first)
    # A fit on other rows in between, then the first data again.
    clf.fit(X[::2], y[::2])
    np.testing.assert_array_equal(clf.fit(X, y, sample_weight=weight).decision_function(X), first)


def test_fit_sets_the_loss_threads_once(ecoli1, monkeypatch):
    """The loss's numba threads are set around the booster's training, not every round:
    as many set_num_threads calls for 60 rounds as for 5, and the caller's count restored.
    (With n_jobs > 1 a small call still drops to one thread and back each round.)"""
    numba = pytest.importorskip("numba")
    X, y = ecoli1
    set_num_threads = numba.set_num_threads
    before = numba.get_num_threads()
    calls = {}
    for rounds in (5, 60):
        counted = []
        monkeypatch.setattr(numba, "set_num_threads",
                            lambda n, counted=counted: (counted.append(n), set_num_threads(n)))
        LGBMImbalancedClassifier("focal", **{**SMALL, "n_estimators": rounds}).fit(X, y)
        calls[rounds] = len(counted)
        assert numba.get_num_threads() == before
    assert calls[60] == calls[5]


def test_class_balanced_weights_are_one_rule(ecoli1):
    """class_weight="effective_number" is compute_class_weight's rule, for every loss."""
    X, y = ecoli1
    weight = compute_class_weight("effective_number", y=y, beta=0.99)[y]
    for loss in ("ldam", "logit_adjusted", "dice", "focal"):
        by_name = LGBMImbalancedClassifier(loss, class_weight="effective_number", beta=0.99,
                                           **SMALL).fit(X, y)
        by_hand = LGBMImbalancedClassifier(loss, **SMALL).fit(X, y, sample_weight=weight)
        np.testing.assert_array_equal(by_name.decision_function(X), by_hand.decision_function(X))


@pytest.mark.skipif(not XGBOOST_INSTALLED, reason="xgboost (extra 'xgboost') not installed")
@pytest.mark.parametrize("loss", ["ldam", "logit_adjusted", "dice"])
def test_xgboost_takes_each_loss(loss, ecoli1):
    X, y = ecoli1
    clf = XGBImbalancedClassifier(loss, class_weight="balanced", class_weight_start=0.5,
                                  n_estimators=20, device="cpu", n_jobs=1).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert balanced_accuracy_score(y, clf.predict(X)) > 0.8


@pytest.mark.skipif(not XGBOOST_INSTALLED, reason="xgboost (extra 'xgboost') not installed")
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("loss", ["focal", "asymmetric", "weighted_logloss", "ldam",
                                  "logit_adjusted", "dice", "logloss"])
def test_xgboost_trees_take_the_loss_gradients(loss, n_classes):
    """Every loss by name reaches XGBoost as its gradient and Hessian: after one round each
    leaf moves its rows' margins by XGBoost's Newton step -eta G / (H + lambda), G and H
    summed from the loss at ``init_score_`` (float32 leaves: 1e-6); predict_proba is a
    probability. A binary-only loss on three classes is a clear error."""
    import xgboost
    from sklearn.datasets import make_classification

    X, y = make_classification(300, 5, n_informative=3, n_classes=n_classes,
                               weights=[0.7, 0.3] if n_classes == 2 else [0.6, 0.3, 0.1],
                               random_state=0)
    clf = XGBImbalancedClassifier(loss, n_estimators=1, max_depth=2, min_child_weight=0.0,
                                  reg_lambda=1.0, learning_rate=0.3, device="cpu", n_jobs=1)
    if n_classes > 2 and loss == "asymmetric":
        with pytest.raises(InvalidParameterError, match="defined for binary problems"):
            clf.fit(X, y)
        return
    clf.fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), n_classes) and proba.min() >= 0
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    if clf.loss_ is None:
        return
    assert clf.pos_label_ in (None, 1)  # the minority is class 1: margins not negated
    margins = clf.decision_function(X)
    _, grad, hess = clf.loss_.gradient_hessian(
        y, np.broadcast_to(clf.init_score_, margins.shape).copy())
    step = (margins - clf.init_score_).reshape(len(y), -1)
    grad, hess = grad.reshape(len(y), -1), hess.reshape(len(y), -1)
    leaves = clf.booster_.predict(xgboost.DMatrix(X), pred_leaf=True).reshape(len(y), -1)
    for k in range(step.shape[1]):
        for leaf in np.unique(leaves[:, k]):
            rows = leaves[:, k] == leaf
            newton = -0.3 * grad[rows, k].sum() / (hess[rows, k].sum() + 1.0)
            np.testing.assert_allclose(step[rows, k], newton, atol=1e-6)


# ---------------------------------------------------------- post-hoc wrapper


def test_post_hoc_adjustment_is_the_paper_rule(ecoli1):
    X, y = ecoli1
    X = StandardScaler().fit_transform(X)
    base = LogisticRegression(max_iter=1000).fit(X, y)
    prior = np.bincount(y) / len(y)
    for tau in (0.0, 1.0, 2.0):
        clf = LogitAdjustedClassifier(LogisticRegression(max_iter=1000), tau=tau).fit(X, y)
        np.testing.assert_allclose(clf.class_prior_, prior)
        logits = np.log(base.predict_proba(X)) - tau * np.log(prior)
        np.testing.assert_array_equal(clf.predict(X), np.argmax(logits, axis=1))
        np.testing.assert_allclose(clf.predict_proba(X), softmax(logits, axis=1), rtol=1e-9)
        np.testing.assert_allclose(clf.decision_function(X), logits[:, 1] - logits[:, 0],
                                   rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(LogitAdjustedClassifier(tau=0.0).fit(X, y).predict(X),
                                  LogisticRegression(max_iter=1000).fit(X, y).predict(X))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_post_hoc_adjustment_of_a_decision_function(ecoli1, n_classes):
    X, y = ecoli1
    X = StandardScaler().fit_transform(X)
    if n_classes == 3:
        y = np.where(X[:, 0] > 1.0, 2, y)
    svm = LinearSVC().fit(X, y)
    clf = LogitAdjustedClassifier(LinearSVC(), tau=1.0).fit(X, y)
    assert not hasattr(clf, "predict_proba")
    prior = np.bincount(y) / len(y)
    scores = svm.decision_function(X)
    if n_classes == 2:
        expected = scores - np.log(prior[1] / prior[0])
        np.testing.assert_allclose(clf.decision_function(X), expected, rtol=1e-9)
        np.testing.assert_array_equal(clf.predict(X), (expected > 0).astype(int))
    else:
        expected = scores - np.log(prior)
        np.testing.assert_allclose(clf.decision_function(X), expected, rtol=1e-9)
        np.testing.assert_array_equal(clf.predict(X), np.argmax(expected, axis=1))


def test_post_hoc_tau_in_grid_search_and_real_data_gain(ecoli1):
    X, y = ecoli1
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    model = LogitAdjustedClassifier(LGBMImbalancedClassifier("logloss", **SMALL))
    grid = GridSearchCV(model, {"tau": [0.0, 0.5, 1.0, 1.5]}, scoring="balanced_accuracy",
                        cv=cv).fit(X, y)
    scores = grid.cv_results_["mean_test_score"]
    assert grid.best_params_["tau"] > 0 and scores.max() > scores[0]


def test_post_hoc_bad_input(ecoli1):
    X, y = ecoli1
    for tau in (-1.0, np.nan):
        with pytest.raises(InvalidParameterError, match="tau"):
            LogitAdjustedClassifier(tau=tau).fit(X, y)
    weight = np.where(y == 1, 0.0, 1.0)
    with pytest.raises(ValueError, match="sample_weight"):
        LogitAdjustedClassifier().fit(X, y, sample_weight=weight)


def test_registered_remedies(ecoli1):
    from lightgbm import LGBMClassifier

    remedy = get_remedy("logit_adjusted")
    assert remedy.kind == "wrapper" and remedy.source == "imbtool.cost.LogitAdjustedClassifier"
    # Its prior is read from the fitted logit_adjustment_ (tested with a tau grid below).
    assert remedy.prior == "counted" and get_remedy("logit_adjusted_loss").prior == "counted"
    assert get_remedy("ldam_loss").prior == "counted"
    assert isinstance(remedy.build(LogisticRegression(), 0), LogitAdjustedClassifier)
    for name, loss in [("ldam_loss", "ldam"), ("logit_adjusted_loss", "logit_adjusted"),
                       ("dice_loss", "dice")]:
        plan = get_remedy(name).plan(LGBMClassifier(n_estimators=7), random_state=0)
        assert plan.estimator.loss == loss and plan.estimator.n_estimators == 7
        assert "LightGBM or XGBoost" in get_remedy(name).plan(LogisticRegression()).reason
    # LDAM with deferred re-weighting: class-balanced weights from half the rounds on.
    plan = get_remedy("ldam_drw_loss").plan(LGBMClassifier(n_estimators=8), random_state=0)
    assert plan.estimator.get_params() == {
        **plan.estimator.get_params(), "loss": "ldam", "class_weight": "effective_number",
        "class_weight_start": 0.5, "n_estimators": 8}


@pytest.mark.parametrize("tau", [0.0, 0.5, 1.0, 2.0])
def test_remedy_search_moves_logit_adjustment_back_to_the_data_prior(tau):
    """Post-hoc adjustment divides the learned prior pi by pi**tau, so the model's prior is
    pi**(1 - tau), uniform only at tau=1: RemedySearchCV's correction must undo it for every
    tau, giving back the plain model's probabilities, whose mean is the class frequency."""
    from sklearn.datasets import make_classification

    from imbtool.model_selection import RemedySearchCV
    from imbtool.threshold import prior_shift

    X, y = make_classification(600, 5, n_informative=3, n_classes=3, weights=[0.7, 0.2, 0.1],
                               random_state=0)
    search = RemedySearchCV(LogisticRegression(), remedies=[("logit_adjusted", {"tau": [tau]})],
                            scoring="balanced_accuracy", cv=3, random_state=0).fit(X, y)
    frequency = np.bincount(y) / len(y)
    expected = frequency ** (1 - tau) / np.sum(frequency ** (1 - tau))
    np.testing.assert_allclose(search.training_prior_, expected, rtol=1e-12)
    plain = LogisticRegression().fit(X, y).predict_proba(X)
    proba = search.predict_proba(X)
    np.testing.assert_allclose(proba, plain, atol=1e-10)
    # The intercept is not penalised: the plain model's mean probability is the class frequency.
    np.testing.assert_allclose(proba.mean(axis=0), frequency, atol=1e-3)
    if tau != 1.0:  # a uniform training prior (the former declaration) misses it
        adjusted = search.best_estimator_.predict_proba(X)
        wrong = prior_shift(adjusted, np.ones(3) / 3, frequency).mean(axis=0)
        assert np.abs(wrong - frequency).max() > 0.01


@pytest.mark.parametrize("minority_first", [False, True])
def test_remedy_search_corrects_the_logit_adjusted_loss_for_a_tau_grid(ecoli1, minority_first):
    """The booster's logit-adjusted loss learns the same prior as post-hoc adjustment: with
    tau in a grid, the corrected probabilities are those of the plain log-loss booster (also
    when the minority class is classes_[0], whose log-odds the booster learns)."""
    from lightgbm import LGBMClassifier

    from imbtool.model_selection import RemedySearchCV

    X, y = ecoli1
    y = 1 - y if minority_first else y
    grid = {"loss_params": [{"tau": 0.5}, {"tau": 2.0}]}
    search = RemedySearchCV(LGBMClassifier(n_estimators=30, min_child_samples=5, verbose=-1),
                            remedies=[("logit_adjusted_loss", grid)], scoring="g_mean",
                            tune_threshold=False, cv=3, random_state=0).fit(X, y)
    tau = search.best_estimator_.loss_params["tau"]
    frequency = np.bincount(y) / len(y)
    expected = frequency ** (1 - tau) / np.sum(frequency ** (1 - tau))
    np.testing.assert_allclose(search.training_prior_, expected, rtol=1e-12)
    plain = LGBMImbalancedClassifier(LogitAdjustedLoss(tau=0.0), **{**SMALL, "random_state": 0})
    # LightGBM keeps gradients in float32: margins shifted by the offset round differently.
    np.testing.assert_allclose(search.predict_proba(X), plain.fit(X, y).predict_proba(X),
                               atol=1e-3)
