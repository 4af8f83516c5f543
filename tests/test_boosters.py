"""imbtool.boosters: imbalance losses inside LightGBM / XGBoost, checked against the boosters'
built-in objectives on real data; link, init score, device selection, bad input."""

import logging
import pickle

import lightgbm
import numpy as np
import pytest
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbtool.boosters import LGBMImbalancedClassifier, XGBImbalancedClassifier
from imbtool.boosters._device import lightgbm_gpu_device
from imbtool.cost import AsymmetricLoss, FocalLoss, WeightedLogLoss
from imbtool.datasets import load_dataset
from imbtool.utils._compat import XGBOOST_INSTALLED

SMALL = {"n_estimators": 30, "device": "cpu", "n_jobs": 1}
LGB_SAME = {"n_estimators": 30, "num_leaves": 15, "verbose": -1, "n_jobs": 1}
needs_xgboost = pytest.mark.skipif(not XGBOOST_INSTALLED,
                                   reason="xgboost (extra 'xgboost') not installed")


def _has_lightgbm_gpu():
    return lightgbm_gpu_device() is not None


@pytest.fixture(scope="module")
def yeast1():
    return load_dataset("yeast1", return_X_y=True)


def _three_classes():
    X, y = load_dataset("ecoli1", return_X_y=True)
    return X, y + (X[:, 0] > np.median(X[:, 0]))


def test_focal_gamma_zero_equals_lightgbm_binary(yeast1):
    X, y = yeast1
    # alpha=0.5, gamma=0 is half the log-loss: same Newton steps as LightGBM's own objective,
    # which also starts from the prior log-odds (boost_from_average).
    ours = LGBMImbalancedClassifier(loss="focal", loss_params={"alpha": 0.5, "gamma": 0.0},
                                    num_leaves=15, **SMALL).fit(X, y)
    ref = lightgbm.LGBMClassifier(**LGB_SAME).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    weighted = LGBMImbalancedClassifier(loss=WeightedLogLoss(pos_weight=1.0), num_leaves=15,
                                        **SMALL).fit(X, y)
    np.testing.assert_allclose(weighted.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_class_weight_matches_lightgbm(yeast1):
    X, y = yeast1
    ours = LGBMImbalancedClassifier(loss="logloss", class_weight="balanced", num_leaves=15,
                                    **SMALL).fit(X, y)
    ref = lightgbm.LGBMClassifier(class_weight="balanced", **LGB_SAME).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-9)


def test_multiclass_focal_gamma_zero_equals_lightgbm_softmax():
    X, y = _three_classes()
    # LightGBM multiplies its softmax Hessian by K / (K - 1): with no L2 penalty that is the
    # learning rate times (K - 1) / K, and leaves the split search unchanged.
    ours = LGBMImbalancedClassifier(loss="focal", loss_params={"alpha": 1.0, "gamma": 0.0},
                                    num_leaves=15, learning_rate=0.1 * 2 / 3, **SMALL).fit(X, y)
    ref = lightgbm.LGBMClassifier(**LGB_SAME).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


def test_loss_objects_plug_into_lightgbm_apis(yeast1):
    X, y = yeast1
    loss = FocalLoss(alpha=0.4, gamma=1.5)
    ours = LGBMImbalancedClassifier(loss=loss, num_leaves=15, **SMALL).fit(X, y)
    init = np.full(len(y), loss.init_score(y))
    # Straight LightGBM: sklearn API (objective=loss) and lightgbm.train (params["objective"]=loss).
    sk = lightgbm.LGBMClassifier(objective=loss, **LGB_SAME).fit(X, y, init_score=init)
    np.testing.assert_allclose(sk.predict(X, raw_score=True) + init, ours.decision_function(X),
                               atol=1e-9)
    booster = lightgbm.train({"objective": loss, "num_leaves": 15, "verbose": -1, "num_threads": 1},
                             lightgbm.Dataset(X, y, init_score=init), num_boost_round=30,
                             feval=loss.lgb_metric,
                             valid_sets=[lightgbm.Dataset(X, y, init_score=init)])
    np.testing.assert_allclose(booster.predict(X, raw_score=True) + init,
                               ours.decision_function(X), atol=1e-9)
    # predict_proba is the logistic link of the margin, not the raw margin.
    proba = ours.predict_proba(X)[:, 1]
    np.testing.assert_allclose(proba, 1 / (1 + np.exp(-ours.decision_function(X))))
    assert loss.lgb_metric(y, ours.decision_function(X))[0] == "focal_loss"


@pytest.mark.parametrize("three", [False, True], ids=["binary", "3 classes"])
def test_boost_from_average_false_starts_every_loss_at_zero(yeast1, three):
    """booster_params={"boost_from_average": False}: the model LightGBM grows on the loss
    with no init_score (margin 0), as other implementations of the loss start."""
    X, y = _three_classes() if three else yeast1
    loss = FocalLoss(alpha=[0.2, 0.3, 0.5] if three else 0.4, gamma=1.5)
    ours = LGBMImbalancedClassifier(loss=loss, num_leaves=15, **SMALL,
                                    booster_params={"boost_from_average": False}).fit(X, y)
    np.testing.assert_array_equal(ours.init_score_, 0.0)
    ref = lightgbm.LGBMClassifier(objective=loss, **LGB_SAME).fit(X, y)
    np.testing.assert_allclose(ours.decision_function(X), ref.predict(X, raw_score=True),
                               atol=1e-9)
    from_optimum = LGBMImbalancedClassifier(loss=loss, num_leaves=15, **SMALL).fit(X, y)
    assert np.all(from_optimum.init_score_ != 0.0)


@pytest.mark.parametrize("loss", ["focal", "asymmetric", "weighted_logloss", "logloss"])
def test_real_data_quality(yeast1, loss):
    X, y = yeast1
    rng = np.random.default_rng(0)
    test = rng.random(len(y)) < 0.3
    clf = LGBMImbalancedClassifier(loss=loss, **SMALL).fit(X[~test], y[~test])
    ap = average_precision_score(y[test], clf.predict_proba(X[test])[:, 1])
    plain = lightgbm.LGBMClassifier(n_estimators=30, verbose=-1, n_jobs=1).fit(X[~test], y[~test])
    ap_plain = average_precision_score(y[test], plain.predict_proba(X[test])[:, 1])
    # Within a few points of plain LightGBM's ranking quality (and far above the 0.29 base rate).
    assert ap > ap_plain - 0.05


def test_weighted_and_balanced_losses_raise_minority_recall(yeast1):
    X, y = yeast1
    plain = LGBMImbalancedClassifier(loss="logloss", **SMALL).fit(X, y).predict(X).mean()
    for params in [{"loss": "weighted_logloss"},
                   {"loss": "logloss", "class_weight": "effective_number", "beta": 0.99},
                   {"loss": "focal", "loss_params": {"alpha": 0.75}}]:
        predicted = LGBMImbalancedClassifier(**params, **SMALL).fit(X, y).predict(X)
        assert predicted.mean() > plain, params


def test_multiclass_probabilities():
    X, y = _three_classes()
    clf = LGBMImbalancedClassifier(**SMALL).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 3)
    np.testing.assert_allclose(proba.sum(1), 1)
    assert np.mean(clf.predict(X) == y) > 0.8
    with pytest.raises(ValueError, match="FocalLoss for multiclass"):
        LGBMImbalancedClassifier(loss="asymmetric", **SMALL).fit(X, y)


def test_pandas_nan_grid_search_pickle_determinism():
    pytest.importorskip("pandas")
    X, y = load_dataset("pima", return_X_y=True, as_frame=True)
    X = X.copy()
    X.iloc[::7, 2] = np.nan
    grid = GridSearchCV(make_pipeline(StandardScaler(), LGBMImbalancedClassifier(**SMALL)),
                        {"lgbmimbalancedclassifier__loss": ["focal", "logloss"]},
                        scoring="average_precision", cv=3).fit(X, y)
    best = grid.best_estimator_
    assert list(best.feature_names_in_) == list(X.columns)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(best)).predict_proba(X),
                                  best.predict_proba(X))
    params = {"n_estimators": 30, "device": "cpu", "subsample": 0.7, "colsample_bytree": 0.7,
              "random_state": 3}
    one = LGBMImbalancedClassifier(**params, n_jobs=1).fit(X, y).predict_proba(X)
    two = LGBMImbalancedClassifier(**params, n_jobs=2).fit(X, y).predict_proba(X)
    np.testing.assert_allclose(one, two, atol=1e-12)


def test_device_selection(yeast1, caplog):
    X, y = yeast1
    if _has_lightgbm_gpu():
        pytest.skip("a GPU is available: the no-GPU paths cannot be exercised")
    with caplog.at_level(logging.INFO, logger="imbtool.boosters"):
        clf = LGBMImbalancedClassifier(n_estimators=2, device="auto").fit(X, y)
    assert clf.device_ == "cpu"
    assert [r.levelname for r in caplog.records if r.name == "imbtool.boosters"] == ["INFO"]
    with pytest.raises(ValueError, match="device='gpu' but no usable GPU"):
        LGBMImbalancedClassifier(n_estimators=2, device="gpu").fit(X, y)


@pytest.mark.gpu
@pytest.mark.skipif(not _has_lightgbm_gpu(), reason="no GPU build of LightGBM or no GPU device")
def test_lightgbm_gpu_matches_cpu(yeast1):
    X, y = yeast1
    cpu = LGBMImbalancedClassifier(n_estimators=50, device="cpu").fit(X, y)
    gpu = LGBMImbalancedClassifier(n_estimators=50, device="gpu").fit(X, y)
    assert gpu.device_ in ("cuda", "gpu")
    ap_cpu = average_precision_score(y, cpu.predict_proba(X)[:, 1])
    ap_gpu = average_precision_score(y, gpu.predict_proba(X)[:, 1])
    assert abs(ap_cpu - ap_gpu) < 0.02  # GPU histograms use single precision


@pytest.mark.parametrize(
    "params, match",
    [
        ({"booster_params": {"objective": "binary"}}, "may not set"),
        ({"loss": FocalLoss(), "loss_params": {"gamma": 1}}, "loss_params only applies"),
        ({"loss_params": {"gama": 1}}, "do not fit loss"),
        ({"loss": "hinge"}, "loss"),
        ({"class_weight": {5: 1.0}}, r"names classes \[5\]"),
        ({"device": "tpu"}, "device"),
        ({"loss_params": {"alpha": -0.5}}, "alpha"),
        ({"booster_params": {"boost_from_average": "no"}}, "boost_from_average"),
    ],
)
def test_bad_input(yeast1, params, match):
    X, y = yeast1
    with pytest.raises(ValueError, match=match):
        LGBMImbalancedClassifier(**{**SMALL, **params}).fit(X, y)


@needs_xgboost
def test_xgboost_custom_objective_equals_builtin(yeast1):
    import xgboost

    X, y = yeast1
    prior = y.mean()
    ours = XGBImbalancedClassifier(loss=WeightedLogLoss(pos_weight=1.0), max_depth=3,
                                   **SMALL).fit(X, y)
    ref = xgboost.train({"objective": "binary:logistic", "base_score": prior, "max_depth": 3,
                         "learning_rate": 0.1, "nthread": 1, "tree_method": "hist"},
                        xgboost.DMatrix(X, y), num_boost_round=30)
    np.testing.assert_allclose(ours.predict_proba(X)[:, 1], ref.predict(xgboost.DMatrix(X)),
                               atol=1e-5)


@needs_xgboost
def test_xgboost_apis_and_multiclass(yeast1):
    import xgboost

    X, y = yeast1
    w = np.where(y == 1, 2.0, 1.0)
    loss = AsymmetricLoss()
    sk = xgboost.XGBClassifier(objective=loss, n_estimators=10, max_depth=3,
                               n_jobs=1).fit(X, y, sample_weight=w)
    learning_rate = sk.get_xgb_params()["learning_rate"] or 0.3
    booster = xgboost.train({"max_depth": 3, "nthread": 1, "learning_rate": learning_rate},
                            xgboost.DMatrix(X, y, weight=w), num_boost_round=10, obj=loss)
    assert sk.get_booster().predict(xgboost.DMatrix(X), output_margin=True).shape == (len(y),)
    assert booster.predict(xgboost.DMatrix(X), output_margin=True).shape == (len(y),)
    Xk, yk = _three_classes()
    clf = XGBImbalancedClassifier(**SMALL).fit(Xk, yk)
    np.testing.assert_allclose(clf.predict_proba(Xk).sum(1), 1)
    assert np.mean(clf.predict(Xk) == yk) > 0.8
    focal = XGBImbalancedClassifier(**SMALL).fit(X, y)
    assert average_precision_score(y, focal.predict_proba(X)[:, 1]) > 0.6


@pytest.mark.skipif(XGBOOST_INSTALLED, reason="checks the message shown without xgboost")
def test_xgboost_missing_is_a_clear_error(yeast1):
    X, y = yeast1
    with pytest.raises(ImportError, match=r"imbtool\[xgboost\]"):
        XGBImbalancedClassifier(**SMALL).fit(X, y)


@pytest.mark.parametrize("cls", [LGBMImbalancedClassifier, XGBImbalancedClassifier])
@pytest.mark.parametrize("params", [{"n_jobs": float("inf")}, {"loss": "hinge"},
                                    {"class_weight": [1, 2]}, {"learning_rate": 0},
                                    {"device": "tpu"},
                                    {"booster_params": {"objective": "binary"}},
                                    {"loss": FocalLoss(), "loss_params": {"gamma": 1}}])
def test_parameter_errors_name_the_parameter_before_any_work(cls, params):
    from sklearn.utils._param_validation import InvalidParameterError

    # No data is looked at (and xgboost need not be installed) before the parameters are checked.
    with pytest.raises(InvalidParameterError, match=list(params)[-1]):
        cls(**params).fit(None, None)


def test_keyword_only_after_the_loss(yeast1):
    X, y = yeast1
    LGBMImbalancedClassifier("logloss", **SMALL).fit(X, y)
    with pytest.raises(TypeError, match="positional"):
        LGBMImbalancedClassifier("focal", None)
