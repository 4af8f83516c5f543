"""SERA, relevance-weighted errors, rare-target precision/recall/F1 and their scorers."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import cross_val_score

from imbtool.metrics import (
    get_metric,
    get_scorer,
    list_metrics,
    rare_f1,
    rare_precision,
    rare_recall,
    relevance_mae,
    relevance_rmse,
    score_predictions,
    sera,
)
from imbtool.regression import relevance


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y, y + rng.normal(scale=0.5, size=n)


def test_sera_is_the_area_under_the_ser_curve():
    # The paper's definition, integrated numerically: SER_t = sum of squared errors over the
    # cases with relevance >= t, for t on a fine grid of [0, 1].
    _, y, y_pred = _data()
    phi = relevance(y)
    t = np.linspace(0, 1, 200_001)
    order = np.sort(phi)
    squared = ((y_pred - y) ** 2)[np.argsort(phi)]
    # SER_t: the sum over cases whose relevance is at least t (suffix sums on sorted phi).
    suffix = np.concatenate([np.cumsum(squared[::-1])[::-1], [0.0]])
    ser = suffix[np.searchsorted(order, t, side="left")]
    area = np.sum((ser[1:] + ser[:-1]) / 2 * np.diff(t))
    assert sera(y, y_pred) == pytest.approx(area, rel=1e-4)
    assert sera(y, y) == 0.0


def test_relevance_weighted_errors():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    y_pred = np.array([1.0, 1.0, 4.0, 2.0])
    points = [[0.0, 0.0, 0.0], [3.0, 1.0, 0.0]]
    phi = relevance(y, points)  # h01(t) at t = 0, 1/3, 2/3, 1: 0, 7/27, 20/27, 1
    np.testing.assert_allclose(phi, [0, 7 / 27, 20 / 27, 1], atol=1e-12)
    error = y_pred - y
    assert relevance_rmse(y, y_pred, control_points=points) == pytest.approx(
        np.sqrt(np.sum(phi * error**2) / phi.sum()), rel=1e-12)
    assert relevance_mae(y, y_pred, control_points=points) == pytest.approx(
        np.sum(phi * np.abs(error)) / phi.sum(), rel=1e-12)


def test_rare_precision_recall_f1_count_events_and_alerts():
    points = [[0.0, 0.0], [10.0, 1.0]]  # rare at relevance >= 0.5: y >= 5
    y = np.array([1.0, 2.0, 6.0, 7.0, 8.0, 9.0])
    y_pred = np.array([6.0, 2.0, 6.0, 7.0, 1.0, 1.0])
    # events: rows 2-5; alerts: rows 0, 2, 3; both: rows 2, 3.
    assert rare_precision(y, y_pred, control_points=points) == pytest.approx(2 / 3)
    assert rare_recall(y, y_pred, control_points=points) == pytest.approx(2 / 4)
    f1 = 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)
    assert rare_f1(y, y_pred, control_points=points) == pytest.approx(f1)
    assert rare_precision(y, np.zeros(6), control_points=points) == 0.0


def test_utility_form_on_a_case_computed_by_hand():
    # Two points without slopes: Fritsch-Carlson gives both the secant, so phi(v) = v / 2
    # on [0, 2]; rare at phi >= 0.5 means v >= 1, and D(y) = y - 1.
    points = [[0.0, 0.0], [2.0, 1.0]]
    y = np.array([0.0, 0.5, 2.0, 1.5, 2.0])
    y_pred = np.array([0.0, 1.5, 2.0, 0.5, 1.5])
    # Row 1: false alert (phi(y) = 0.25): precision's denominator + 2 - 0.5 * 0.75 = 1.625.
    # Row 2: exact: G = 0, u = phi(y) = 1; terms 1 + u = 2 and 1 + phi(y) = 2.
    # Row 3: missed event (phi(y) = 0.75): recall's denominator + 1.75.
    # Row 4: D = 1, G = 0.5; benefit 1 * 0.5, cost (0.5 * 0.75 + 0.5 * 1) * 0.5 = 0.4375,
    #        u = 0.0625; terms 1.0625 and 2.
    recall = (2 + 1.0625) / (2 + 1.75 + 2)
    precision = (2 + 1.0625) / (2 + 2 + 1.625)
    kw = {"control_points": points, "form": "utility"}
    assert rare_recall(y, y_pred, **kw) == pytest.approx(recall, rel=1e-12)
    assert rare_precision(y, y_pred, **kw) == pytest.approx(precision, rel=1e-12)
    assert rare_f1(y, y_pred, **kw) == pytest.approx(
        2 * precision * recall / (precision + recall), rel=1e-12)
    # p weighs the prediction's relevance against the truth's in the cost: p = 1, row 4's
    # cost is 1 * 0.5 (u = 0), and a false alert costs 2 - (1 - 0.25) = 1.25.
    assert rare_recall(y, y_pred, p=1.0, **kw) == pytest.approx(3 / 5.75, rel=1e-12)
    assert rare_precision(y, y_pred, p=1.0, **kw) == pytest.approx(3 / 5.25, rel=1e-12)
    # The event form on the same rows: alerts 1, 2, 4; events 2, 3, 4.
    assert rare_precision(y, y_pred, control_points=points) == pytest.approx(2 / 3)
    # Perfect predictions: every true alert earns phi(y) and both are 1.
    assert rare_f1(y, y, **kw) == pytest.approx(1.0)
    # An overshoot beyond D loses the benefit and pays the whole cost: u = -1.
    assert rare_recall([0.0, 2.0], [0.0, 3.5], **kw) == pytest.approx(0.0)


def test_utility_form_bad_input():
    with pytest.raises(ValueError, match="form must be"):
        rare_f1([0.0, 2.0], [0.0, 2.0], control_points=[[0.0, 0.0], [2.0, 1.0]], form="x")
    with pytest.raises(ValueError, match="p must be"):
        rare_f1([0.0, 2.0], [0.0, 2.0], control_points=[[0.0, 0.0], [2.0, 1.0]],
                form="utility", p=1.5)
    with pytest.raises(ValueError, match="changes rare status"):
        rare_f1([0.0, 2.0], [0.0, 2.0], control_points=[[0.0, 1.0], [2.0, 1.0]],
                form="utility")


def test_scorers_by_name_score_a_regressor():
    X, y, _ = _data()
    assert set(list_metrics("values")) == {
        "sera", "relevance_rmse", "relevance_mae", "rare_precision", "rare_recall", "rare_f1",
        "rare_precision_utility", "rare_recall_utility", "rare_f1_utility"}
    assert get_metric("sera").greater_is_better is False
    model = LinearRegression().fit(X, y)
    assert get_scorer("sera")(model, X, y) == pytest.approx(-sera(y, model.predict(X)))
    assert get_scorer("rare_f1")(model, X, y) == pytest.approx(rare_f1(y, model.predict(X)))
    assert get_scorer("rare_f1_utility")(model, X, y) == pytest.approx(
        rare_f1(y, model.predict(X), form="utility"))
    scores = cross_val_score(LinearRegression(), X, y, cv=3, scoring=get_scorer("sera"))
    assert scores.shape == (3,) and np.all(scores <= 0)
    values = score_predictions(y, ["sera", "rare_f1"], y_pred=model.predict(X))
    assert values["sera"] == pytest.approx(sera(y, model.predict(X)))


def test_bad_input_is_refused_by_name():
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        sera([0.0, 1.0, 5.0], [0.0, np.nan, 1.0])
    with pytest.raises(TypeError, match="y_true must be numeric"):
        sera(["a", "b", "c"], [0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        sera([0.0, 1.0, 5.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="no rare target"):
        relevance_rmse([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], control_points=[[5.0, 0.0], [6.0, 1.0]])
    with pytest.raises(ValueError, match="threshold"):
        rare_f1([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], threshold=0.0)
