"""imbtool.boosters and the boosting losses on degenerate and bad input: data no tree can split,
the silent GPU probe, parameters and weights that must be refused, extreme margins."""

import os

import lightgbm
import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from imbtool.boosters import LGBMImbalancedClassifier
from imbtool.boosters._device import lightgbm_gpu_device
from imbtool.cost import AsymmetricLoss, FocalLoss, WeightedLogLoss

SMALL = {"n_estimators": 5, "device": "cpu", "n_jobs": 1}
N = 60
Y2 = (np.arange(N) % 5 == 0).astype(int)  # 20 % positives
Y3 = np.repeat([0, 1, 2], [36, 12, 12])
CONSTANT = {"zeros": np.zeros((N, 2)), "ones": np.ones((N, 3)), "nan": np.full((N, 1), np.nan)}
# Losses whose starting margin is the plain class prior, as LightGBM's boost-from-average.
PRIOR_LOSSES = ["focal", "asymmetric", "logloss"]


def _cases():
    for loss in [*PRIOR_LOSSES, "weighted_logloss"]:
        for y in (Y2, Y3):
            if loss == "asymmetric" and y is Y3:
                continue
            yield loss, y


@pytest.mark.parametrize("loss, y", list(_cases()),
                         ids=lambda v: v if isinstance(v, str) else f"{len(set(v))}cls")
@pytest.mark.parametrize("kind", list(CONSTANT))
@pytest.mark.parametrize("pre_filter", [False, True])
def test_constant_features_give_the_prior(loss, y, kind, pre_filter):
    # All-zero features have a single bin even unfiltered, and LightGBM aborted a custom
    # objective there ("Check failed: num_features > 0") where its built-in one fits.
    X = CONSTANT[kind]
    clf = LGBMImbalancedClassifier(loss, booster_params={"feature_pre_filter": pre_filter},
                                   **SMALL).fit(X, y)
    proba = clf.predict_proba(X)
    # The built-in objective keeps its prior in the first tree, not in init_score_.
    if loss != "logloss":
        shape = proba.shape[:1] + np.shape(clf.init_score_)
        np.testing.assert_allclose(clf.decision_function(X),
                                   np.broadcast_to(clf.init_score_, shape))
    if loss in PRIOR_LOSSES:
        plain = lightgbm.LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=1).fit(X, y)
        np.testing.assert_allclose(proba, plain.predict_proba(X), atol=1e-9)
    else:  # pos_weight="balanced" weights the classes to equal shares
        np.testing.assert_allclose(proba, 1 / proba.shape[1])


@pytest.mark.parametrize("loss", ["focal", "weighted_logloss"])
def test_no_split_possible_stops_early_and_predicts(loss):
    # Four rows cannot fill two leaves of min_child_samples=20: the first tree has no split
    # and LightGBM stops there, long before n_estimators.
    X = np.arange(8, dtype=float).reshape(4, 2)
    y = np.array([0, 1, 0, 1])
    clf = LGBMImbalancedClassifier(loss, n_estimators=50, device="cpu", n_jobs=1).fit(X, y)
    assert clf.booster_.current_iteration() < 50
    np.testing.assert_allclose(clf.predict_proba(X), 0.5)
    assert set(clf.predict(X)) <= {0, 1}


@pytest.mark.parametrize("X, y", [(np.ones((1, 2)), np.array([1])),
                                  (np.random.default_rng(0).normal(size=(10, 2)),
                                   np.zeros(10, dtype=int))],
                         ids=["one_row", "one_class"])
def test_one_class_is_a_clear_error(X, y):
    with pytest.raises(ValueError, match="at least 2 classes"):
        LGBMImbalancedClassifier(**SMALL).fit(X, y)


def test_two_rows_fit():
    clf = LGBMImbalancedClassifier(**SMALL).fit(np.array([[0.0], [1.0]]), np.array([0, 1]))
    np.testing.assert_allclose(clf.predict_proba(np.array([[0.5]])), 0.5)


def test_device_auto_prints_nothing(capfd):
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = np.arange(40) % 2
    lightgbm_gpu_device.cache_clear()
    capfd.readouterr()
    clf = LGBMImbalancedClassifier(n_estimators=3, device="auto", n_jobs=1).fit(X, y)
    LGBMImbalancedClassifier(n_estimators=3, device="auto", n_jobs=1).fit(X, y)
    gpu = lightgbm_gpu_device()
    assert lightgbm_gpu_device.cache_info().misses == 1  # probed once per process
    # The probe gave the descriptors back: what is written afterwards still arrives.
    os.write(1, b"out after\n")
    os.write(2, b"err after\n")
    out, err = capfd.readouterr()
    assert "LightGBM" not in out + err and "Fatal" not in out + err
    assert out == "out after\n" and err == "err after\n"
    assert clf.device_ == ("cpu" if gpu is None else gpu)


BAD_LOSSES = [
    (FocalLoss, "gamma", [-1.0, np.nan, np.inf]),
    (FocalLoss, "alpha", [-0.1, 1.5, np.nan, np.inf, [0.5, np.nan], [0.5, -1.0]]),
    (AsymmetricLoss, "gamma_pos", [-1.0, np.nan, np.inf]),
    (AsymmetricLoss, "gamma_neg", [-1.0, np.nan, -np.inf]),
    (AsymmetricLoss, "clip", [-0.1, 1.0, np.nan, np.inf]),
    (WeightedLogLoss, "pos_weight", [0.0, -1.0, np.nan, np.inf, [1.0, np.inf]]),
]
BAD_LOSS_CASES = [(cls, name, value) for cls, name, values in BAD_LOSSES for value in values]


@pytest.mark.parametrize("cls, name, value", BAD_LOSS_CASES)
def test_bad_loss_parameter_is_refused_by_name(cls, name, value):
    loss = cls(**{name: value})
    with pytest.raises(ValueError, match=name):
        loss.check_params(2)
    with pytest.raises(ValueError, match=name):
        loss(np.array([0, 1]), np.zeros(2))


@pytest.mark.parametrize("cls, name, value", BAD_LOSS_CASES)
def test_booster_refuses_bad_loss_parameter_before_training(cls, name, value, monkeypatch):
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 2
    loss = {FocalLoss: "focal", AsymmetricLoss: "asymmetric",
            WeightedLogLoss: "weighted_logloss"}[cls]

    def no_training(*args, **kwargs):
        raise AssertionError("trained with a bad loss parameter")

    monkeypatch.setattr(lightgbm, "train", no_training)
    with pytest.raises(InvalidParameterError, match=name):
        LGBMImbalancedClassifier(loss, loss_params={name: value}, **SMALL).fit(X, y)
    with pytest.raises(InvalidParameterError, match=name):
        LGBMImbalancedClassifier(cls(**{name: value}), **SMALL).fit(X, y)


def test_asymmetric_multiclass_is_refused_before_training():
    X = np.random.default_rng(0).normal(size=(N, 2))
    with pytest.raises(InvalidParameterError, match="FocalLoss for multiclass"):
        LGBMImbalancedClassifier("asymmetric", **SMALL).fit(X, Y3)


@pytest.mark.parametrize("loss", [FocalLoss(), AsymmetricLoss(), WeightedLogLoss()])
@pytest.mark.parametrize("weight, match", [([1.0, np.nan, 1.0], "finite, non-negative"),
                                           ([1.0, np.inf, 1.0], "finite, non-negative"),
                                           ([1.0, -1.0, 1.0], "finite, non-negative"),
                                           ([1.0, 1.0], r"shape \(3,\)")])
def test_loss_refuses_bad_sample_weight(loss, weight, match):
    with pytest.raises(ValueError, match=f"sample_weight must .*{match}"):
        loss.gradient_hessian(np.array([0, 1, 1]), np.zeros(3), weight)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -1.0])
def test_booster_refuses_bad_sample_weight(bad):
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 2
    weight = np.ones(30)
    weight[3] = bad
    with pytest.raises(ValueError, match="sample_weight"):
        LGBMImbalancedClassifier(**SMALL).fit(X, y, sample_weight=weight)


MARGINS = np.array([-1e4, -1e3, -40.0, 0.0, 40.0, 1e3, 1e4])
BINARY_LOSSES = ([FocalLoss(alpha=a, gamma=g) for a in (0.25, 1.0)
                  for g in (0.0, 0.5, 1.0, 2.0, 5.0)]
                 + [AsymmetricLoss(gp, gn, c) for gp in (0.0, 2.5)
                    for gn in (0.0, 0.5, 1.0, 1.5, 4.0) for c in (0.0, 0.05, 0.5)]
                 + [WeightedLogLoss("balanced"), WeightedLogLoss(4.0)])


@pytest.mark.parametrize("loss", BINARY_LOSSES, ids=repr)
@pytest.mark.parametrize("exact", [False, True])
def test_extreme_binary_margins_give_finite_derivatives(loss, exact):
    # Both labels at every margin; AsymmetricLoss with clip=0 gave NaN for a negative at
    # z >= ~710 (1 - p underflowed to 0 and 0 * inf followed).
    y = np.tile([0, 1], MARGINS.size)
    z = np.repeat(MARGINS, 2)
    values, grad, hess = loss.gradient_hessian(y, z, exact=exact)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))
    if not exact:
        assert np.all(hess >= 0)


@pytest.mark.parametrize("loss", [FocalLoss(alpha=a, gamma=g) for a in (0.25, [0.2, 0.3, 0.5])
                                  for g in (0.0, 0.5, 2.0, 5.0)]
                         + [WeightedLogLoss("balanced"), WeightedLogLoss([1.0, 2.0, 3.0])],
                         ids=repr)
@pytest.mark.parametrize("exact", [False, True])
def test_extreme_multiclass_margins_give_finite_derivatives(loss, exact):
    levels = (-1e4, 0.0, 1e4)
    Z = np.array([[a, b, c] for a in levels for b in levels for c in levels])
    for label in range(3):
        y = np.full(len(Z), label)
        values, grad, hess = loss.gradient_hessian(y, Z, exact=exact)
        assert (np.all(np.isfinite(values)) and np.all(np.isfinite(grad))
                and np.all(np.isfinite(hess)))
