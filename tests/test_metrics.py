"""imbtool.metrics against scikit-learn / imbalanced-learn, brute force, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.metrics import (
    classification_report_imbalanced,
    geometric_mean_score,
    make_index_balanced_accuracy,
)
from numpy.testing import assert_allclose
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbtool.datasets import load_dataset
from imbtool.metrics import (
    average_precision,
    brier_score,
    expected_calibration_error,
    fbeta_at_tuned_threshold,
    g_mean,
    get_metric,
    get_scorer,
    imbalanced_report,
    index_balanced_accuracy,
    list_metrics,
    mcc,
    pr_auc,
    precision_at_recall,
    recall_at_precision,
    reliability_curve,
    roc_auc,
    score_predictions,
)


@pytest.fixture(scope="module")
def keel():
    """Out-of-fold probabilities of a logistic regression on KEEL yeast-2_vs_4 (IR 9)."""
    X, y = load_dataset("yeast-2_vs_4", return_X_y=True)
    model = make_pipeline(StandardScaler(), LogisticRegression())
    proba = cross_val_predict(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0),
                              method="predict_proba")[:, 1]
    return X, y, proba


labelled = st.integers(4, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
    )
)
scored = st.integers(4, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda y: 0 < sum(y) < len(y)),
        # A coarse grid makes tied scores common.
        st.lists(st.integers(0, 10).map(lambda v: v / 10), min_size=n, max_size=n),
    )
)


# ------------------------------------------------------- hard-prediction metrics


def test_label_metrics_equal_peers_on_keel(keel):
    _, y, proba = keel
    pred = (proba >= 0.3).astype(int)
    assert g_mean(y, pred) == pytest.approx(geometric_mean_score(y, pred))
    sens, spec = skm.recall_score(y, pred), skm.recall_score(1 - y, 1 - pred)
    assert g_mean(y, pred, average="binary") == pytest.approx(np.sqrt(sens * spec))
    iba = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    assert index_balanced_accuracy(y, pred) == pytest.approx(
        iba(y, pred, average="binary", pos_label=1))
    assert index_balanced_accuracy(y, pred) == pytest.approx(
        (1 + 0.1 * (sens - spec)) * sens * spec)
    assert mcc(y, pred) == pytest.approx(skm.matthews_corrcoef(y, pred))


@settings(max_examples=25, deadline=None)
@given(labelled)
def test_g_mean_and_iba_formulas(pair):
    y, pred = map(np.asarray, pair)
    if len(np.unique(np.r_[y, pred])) < 2:
        return
    tp = np.sum((y == 1) & (pred == 1))
    tn = np.sum((y == 0) & (pred == 0))
    tpr = tp / max(np.sum(y == 1), 1)
    tnr = tn / max(np.sum(y == 0), 1)
    if (y == 1).any() and (y == 0).any():
        assert g_mean(y, pred, average="binary") == pytest.approx(np.sqrt(tpr * tnr))
        assert index_balanced_accuracy(y, pred, alpha=0.3, squared=False) == pytest.approx(
            (1 + 0.3 * (tpr - tnr)) * np.sqrt(tpr * tnr))
    assert 0 <= g_mean(y, pred) <= 1
    assert -1 <= mcc(y, pred) <= 1


def test_iba_averages():
    y = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    pred = np.array([0, 1, 0, 1, 2, 2, 2, 0, 2])
    per_class = index_balanced_accuracy(y, pred, average=None)
    assert per_class.shape == (3,)
    assert index_balanced_accuracy(y, pred, average="macro") == pytest.approx(per_class.mean())
    assert index_balanced_accuracy(y, pred, average="weighted") == pytest.approx(
        np.average(per_class, weights=[3, 2, 4]))


def test_imbalanced_report_equals_imblearn(keel):
    _, y, proba = keel
    pred = (proba >= 0.3).astype(int)
    ours = imbalanced_report(y, pred, output="dict")
    theirs = classification_report_imbalanced(y, pred, output_dict=True, zero_division=0)
    for label in ("0", "1"):
        for new, old in (("precision", "pre"), ("recall", "rec"), ("specificity", "spe"),
                         ("f1", "f1"), ("g_mean", "geo"), ("iba", "iba"), ("support", "sup")):
            assert ours[label][new] == pytest.approx(theirs[label][old])
    assert ours["macro avg"]["recall"] == pytest.approx(skm.balanced_accuracy_score(y, pred))
    assert ours["weighted avg"]["support"] == len(y)
    text = imbalanced_report(y, pred, target_names=["negative", "positive"])
    assert "positive" in text and "specificity" in text


# -------------------------------------------------------------- ranking metrics


def test_ranking_metrics_equal_sklearn_on_keel(keel):
    _, y, proba = keel
    assert roc_auc(y, proba) == pytest.approx(skm.roc_auc_score(y, proba))
    assert average_precision(y, proba) == pytest.approx(skm.average_precision_score(y, proba))
    precision, recall, _ = skm.precision_recall_curve(y, proba)
    assert pr_auc(y, proba) == pytest.approx(skm.auc(recall, precision))
    # String labels with an explicit positive class give the same numbers.
    names = np.where(y == 1, "yes", "no")
    assert roc_auc(names, proba, pos_label="yes") == pytest.approx(roc_auc(y, proba))


def _brute_thresholds(y, score):
    for t in np.unique(score):
        pred = (score >= t).astype(int)
        yield t, skm.precision_score(y, pred, zero_division=0), skm.recall_score(y, pred)


@settings(max_examples=25, deadline=None)
@given(scored, st.sampled_from([0.5, 1.0, 2.0]))
def test_tuned_fbeta_is_the_exact_maximum(pair, beta):
    y, score = map(np.asarray, pair)
    best, threshold = fbeta_at_tuned_threshold(y, score, beta=beta, return_threshold=True)
    brute = max(skm.fbeta_score(y, (score >= t).astype(int), beta=beta, zero_division=0)
                for t in np.unique(score))
    assert best == pytest.approx(brute)
    assert skm.fbeta_score(y, (score >= threshold).astype(int), beta=beta) == pytest.approx(best)


@settings(max_examples=25, deadline=None)
@given(scored, st.floats(0, 1))
def test_constrained_operating_points_equal_brute_force(pair, level):
    y, score = map(np.asarray, pair)
    points = list(_brute_thresholds(y, score))
    feasible = [p for _, p, r in points if r >= level - 1e-12]
    assert precision_at_recall(y, score, level) == pytest.approx(max(feasible))
    feasible = [r for _, p, r in points if p >= level - 1e-12]
    assert recall_at_precision(y, score, level) == pytest.approx(max(feasible, default=0.0))


@settings(max_examples=25, deadline=None)
@given(scored)
def test_ranking_metrics_ignore_monotone_transforms(pair):
    y, score = map(np.asarray, pair)
    transformed = np.exp(3 * score) - 7
    for metric in (roc_auc, average_precision, pr_auc, fbeta_at_tuned_threshold):
        assert metric(y, transformed) == pytest.approx(metric(y, score))
    assert 0 <= average_precision(y, score) <= 1


# ---------------------------------------------------------- calibration metrics


def test_brier_equals_sklearn(keel):
    _, y, proba = keel
    assert brier_score(y, proba) == pytest.approx(skm.brier_score_loss(y, proba))
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(3), size=40)
    labels = rng.integers(0, 3, size=40)
    onehot = np.eye(3)[labels]
    assert brier_score(labels, P) == pytest.approx(np.mean(np.sum((P - onehot) ** 2, axis=1)))
    sw = rng.uniform(0.5, 2.0, size=40)
    weighted = np.average(np.sum((P - onehot) ** 2, axis=1), weights=sw)
    assert brier_score(labels, P, sample_weight=sw) == pytest.approx(weighted)
    # Two columns score as binary: the 1-D score of the second column.
    P2 = np.column_stack([1 - proba, proba])
    assert brier_score(y, P2) == pytest.approx(skm.brier_score_loss(y, proba))


@pytest.mark.parametrize("strategy", ["quantile", "uniform"])
def test_reliability_curve_equals_sklearn_and_ece_is_its_weighted_gap(keel, strategy):
    _, y, proba = keel
    curve = reliability_curve(y, proba, n_bins=8, strategy=strategy)
    prob_true, prob_pred = calibration_curve(y, proba, n_bins=8, strategy=strategy)
    assert_allclose(curve.fraction_positive, prob_true)
    assert_allclose(curve.mean_predicted, prob_pred)
    assert curve.counts.sum() == len(y)
    ece = expected_calibration_error(y, proba, n_bins=8, strategy=strategy)
    assert ece == pytest.approx(np.sum(curve.counts * np.abs(prob_true - prob_pred)) / len(y))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 15))
def test_ece_of_perfectly_calibrated_bins_is_zero_and_bounded(seed, n_bins):
    rng = np.random.default_rng(seed)
    proba = rng.random(200)
    y = (rng.random(200) < proba).astype(int)
    ece = expected_calibration_error(y, proba, n_bins=n_bins)
    assert 0 <= ece <= 1
    # Predicting each bin's observed rate is calibrated on this very sample.
    curve = reliability_curve(y, proba, n_bins=n_bins, strategy="uniform")
    edges = curve.bin_edges
    ids = np.searchsorted(edges[1:-1], proba)
    rates = np.array([y[ids == b].mean() for b in range(n_bins) if (ids == b).any()])
    calibrated = np.zeros_like(proba)
    for value, b in zip(rates, [b for b in range(n_bins) if (ids == b).any()]):
        calibrated[ids == b] = value
    assert (expected_calibration_error(y, calibrated, n_bins=n_bins, strategy="uniform")
            <= ece + 1e-12)


# --------------------------------------------------------- registry and scorers


def test_scorers_work_in_grid_search_on_keel(keel):
    X, y, _ = keel
    model = make_pipeline(StandardScaler(), LogisticRegression())
    for name in ("g_mean", "average_precision", "brier", "f1_tuned"):
        search = GridSearchCV(model, {"logisticregression__C": [0.1, 1.0]}, cv=3,
                              scoring=get_scorer(name)).fit(X, y)
        scorer = get_scorer(name)
        fitted = search.best_estimator_
        info = get_metric(name)
        kind = {"labels": fitted.predict(X), "scores": fitted.predict_proba(X)[:, 1],
                "probabilities": fitted.predict_proba(X)[:, 1]}[info.needs]
        sign = 1 if info.greater_is_better else -1
        assert scorer(fitted, X, y) == pytest.approx(sign * info(y, kind))
    assert get_scorer("neg_log_loss") is not None  # scikit-learn names still work


def test_score_predictions_and_listing(keel):
    _, y, proba = keel
    pred = (proba >= 0.5).astype(int)
    values = score_predictions(y, ["f1", "roc_auc", "brier"], y_pred=pred, y_proba=proba)
    assert values == {"f1": pytest.approx(skm.f1_score(y, pred)),
                      "roc_auc": pytest.approx(skm.roc_auc_score(y, proba)),
                      "brier": pytest.approx(skm.brier_score_loss(y, proba))}
    assert set(list_metrics("probabilities")) == {"brier", "ece", "log_loss"}
    assert "g_mean" in list_metrics("labels")


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: g_mean([0, 1, 1], [0, 1]), ValueError, "same number of samples"),
        (lambda: g_mean([], []), ValueError, "empty"),
        (lambda: g_mean([0, 1], [0, 1], average="binary", pos_label=5), ValueError, "pos_label=5"),
        (lambda: index_balanced_accuracy([0, 1], [0, 1], alpha="x"), TypeError, "alpha"),
        (lambda: index_balanced_accuracy([0, 1], [0, 1], average="micro"), ValueError, "average"),
        (lambda: roc_auc([0, 0, 0], [0.1, 0.2, 0.3]), ValueError, "needs both classes"),
        (lambda: roc_auc([0, 1, 2], [0.1, 0.2, 0.3]), ValueError, "binary but y_true has 3"),
        (lambda: roc_auc([0, 1], [0.1, np.nan]), ValueError, "NaN or infinite"),
        (lambda: roc_auc([0, 1], ["a", "b"]), TypeError, "must be numeric"),
        (lambda: roc_auc(["a", "b"], [0.1, 0.2], pos_label="c"), ValueError, "not a label"),
        (lambda: brier_score([0, 1], [0.2, 1.5]), ValueError, "Decision scores are not"),
        (lambda: brier_score([0, 1], [[0.2, 0.9], [0.5, 0.5]]), ValueError, "sum to 1"),
        (lambda: brier_score([0, 1, 2], [[0.5, 0.5], [0.5, 0.5], [1, 0]]), ValueError, "labels="),
        (lambda: expected_calibration_error([0, 1], [0.2, 0.8], n_bins=0), ValueError, "n_bins"),
        (lambda: expected_calibration_error([0, 1], [0.2, 0.8], strategy="x"), ValueError,
         "strategy"),
        (lambda: fbeta_at_tuned_threshold([0, 1], [0.2, 0.8], beta=0), ValueError, "beta"),
        (lambda: precision_at_recall([0, 1], [0.2, 0.8], 1.5), ValueError, "min_recall"),
        (lambda: get_metric("f7"), ValueError, "valid names are"),
        (lambda: get_scorer("f7"), ValueError, "Unknown scoring 'f7'"),
        (lambda: score_predictions([0, 1], ["brier"], y_pred=[0, 1]), ValueError, "y_proba="),
        (lambda: imbalanced_report([0, 1], [0, 1], output="html"), ValueError, "output"),
    ],
)
def test_bad_input_messages(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_inputs_are_not_modified(keel):
    _, y, proba = keel
    y_copy, proba_copy = y.copy(), proba.copy()
    for metric in (roc_auc, average_precision, brier_score, expected_calibration_error,
                   fbeta_at_tuned_threshold):
        metric(y, proba)
    assert np.array_equal(y, y_copy) and np.array_equal(proba, proba_copy)


@pytest.mark.parametrize("average", ["binary", "multiclass", "macro", "weighted", "micro", None])
@pytest.mark.parametrize("seed", range(4))
def test_weighted_g_mean_equals_repeating_rows(average, seed):
    # imbalanced-learn 0.14.2 returns NaN here for every average but "multiclass".
    rng = np.random.default_rng(seed)
    n_classes = 2 if average == "binary" else 3
    y_true = rng.integers(0, n_classes, 60)
    y_pred = np.where(rng.random(60) < 0.6, y_true, rng.integers(0, n_classes, 60))
    w = rng.integers(0, 4, 60)
    weighted = g_mean(y_true, y_pred, average=average, sample_weight=w)
    repeated = g_mean(np.repeat(y_true, w), np.repeat(y_pred, w), average=average)
    np.testing.assert_allclose(weighted, repeated, rtol=1e-12)
    assert np.all(np.isfinite(weighted))
