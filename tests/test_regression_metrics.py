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


def test_scorers_by_name_score_a_regressor():
    X, y, _ = _data()
    assert set(list_metrics("values")) == {"sera", "relevance_rmse", "relevance_mae",
                                          "rare_precision", "rare_recall", "rare_f1"}
    assert get_metric("sera").greater_is_better is False
    model = LinearRegression().fit(X, y)
    assert get_scorer("sera")(model, X, y) == pytest.approx(-sera(y, model.predict(X)))
    assert get_scorer("rare_f1")(model, X, y) == pytest.approx(rare_f1(y, model.predict(X)))
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
