"""`python -m imbtool benchmark --task regression` on a tiny run: cells, folds, report, resume."""

import csv
import json
import os

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

from imbtool.__main__ import main
from imbtool.benchmark import (
    RegressionBenchmarkConfig,
    _regression,
    get_regression_method,
    list_regression_methods,
    register_regression_method,
    run_benchmark,
)
from imbtool.benchmark import _runner as _benchmark
from imbtool.datasets import load_regression_dataset
from imbtool.metrics import rare_f1, sera
from imbtool.regression import SMOTER, dense_weight, relevance, relevance_control_points

TINY = ["benchmark", "--task", "regression", "--datasets", "cpu_performance",
        "airquality_ozone", "--models", "ridge", "--methods", "none", "dense_weight", "smoter",
        "wercs", "--folds", "3", "--no-progress"]


def _cells(folder):
    with open(os.path.join(folder, "cells.jsonl")) as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("regression") / "out")
    assert main([*TINY, "--out", folder]) == 0
    return folder


def test_run_writes_cells_tidy_csv_summary_and_plots(tiny_run):
    cells = _cells(tiny_run)
    assert len(cells) == 2 * 1 * 4 * 3
    assert all(c["status"] == "ok" for c in cells)
    assert all(set(c["metrics"]) == {"sera", "rare_f1", "rmse"} for c in cells)
    with open(os.path.join(tiny_run, "results.csv")) as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(cells) * 3 and "n_rare" in rows[0]
    summary = open(os.path.join(tiny_run, "summary.md")).read()
    for text in ("## Methods by sera", "## Methods by rare_f1", "## Methods by rmse",
                 "Friedman chi2(3)", "Nemenyi critical difference", "W/T/L vs dense_weight",
                 "smoter = imbtool.regression.SMOTER"):
        assert text in summary
    pytest.importorskip("matplotlib")
    for name in ("cd_methods_sera.png", "cd_methods_rare_f1.png"):
        assert os.path.getsize(os.path.join(tiny_run, name)) > 1000


def test_folds_are_stratified_on_relevance_bins():
    _, y = load_regression_dataset("cpu_performance", return_X_y=True)
    points = relevance_control_points(y)
    rare = relevance(y, points) >= 0.5
    splits = _regression.regression_folds(y, points, folds=5, repeats=1, seed=0)
    tests = np.concatenate([test for _, test in splits])
    assert np.array_equal(np.sort(tests), np.arange(len(y)))
    per_fold = [int(rare[test].sum()) for _, test in splits]
    assert max(per_fold) - min(per_fold) <= 1 and sum(per_fold) == rare.sum()


def test_a_stratum_smaller_than_the_folds_joins_its_neighbour():
    # Relevance rises from 0 at 0.5 to 1 at 5: only 10 and 11 are rare, two rows for 5 folds.
    y = np.r_[np.linspace(0, 1, 40), 10.0, 11.0]
    strata = _regression.relevance_strata(y, [[0.5, 0, 0], [5, 1, 0]], 5)
    assert strata[-1] == strata[-2] == strata[39] == _regression.NORMAL_BINS
    assert min(np.bincount(strata)[1:]) >= 5


def test_cells_equal_a_manual_fold(tiny_run):
    X, y = load_regression_dataset("cpu_performance", return_X_y=True)
    points = relevance_control_points(y)
    train, test = _regression.regression_folds(y, points, folds=3, repeats=1, seed=0)[2]
    scaler = StandardScaler().fit(X[train])
    by_method = {c["method"]: c for c in _cells(tiny_run)
                 if (c["dataset"], c["fold"]) == ("cpu_performance", 2)}
    # SMOTER with the data set's relevance, on the standardised training fold.
    X_res, y_res = SMOTER(control_points=points, random_state=0).fit_resample(
        scaler.transform(X[train]), y[train])
    y_pred = Ridge().fit(X_res, y_res).predict(scaler.transform(X[test]))
    assert by_method["smoter"]["metrics"]["sera"] == pytest.approx(sera(
        y[test], y_pred, control_points=points))
    assert by_method["smoter"]["metrics"]["rare_f1"] == pytest.approx(rare_f1(
        y[test], y_pred, control_points=points))
    # DenseWeight: the same model fitted with the training fold's density weights.
    model = Ridge().fit(scaler.transform(X[train]), y[train], sample_weight=dense_weight(y[train]))
    y_pred = model.predict(scaler.transform(X[test]))
    assert by_method["dense_weight"]["metrics"]["rmse"] == pytest.approx(
        np.sqrt(np.mean((y[test] - y_pred) ** 2)))
    assert by_method["dense_weight"]["metrics"] != by_method["none"]["metrics"]


def test_resume_skips_finished_cells(tiny_run, tmp_path, monkeypatch):
    folder = str(tmp_path / "copy")
    os.makedirs(folder)
    for name in ("cells.jsonl", "config.json"):
        with (open(os.path.join(tiny_run, name)) as src,
              open(os.path.join(folder, name), "w") as dst):
            dst.write(src.read())
    lines = open(os.path.join(folder, "cells.jsonl")).read().splitlines(keepends=True)
    with open(os.path.join(folder, "cells.jsonl"), "w") as handle:
        handle.writelines(lines[:-2])
    ran = []
    real = _benchmark.run_cell
    monkeypatch.setattr(_benchmark, "run_cell",
                        lambda cell, config: ran.append(cell) or real(cell, config))
    assert main([*TINY, "--out", folder, "--resume"]) == 0
    assert len(ran) == 2
    assert {_benchmark.cell_key(c): c["metrics"] for c in _cells(folder)} == {
        _benchmark.cell_key(c): c["metrics"] for c in _cells(tiny_run)}


def test_regression_results_are_not_mixed_with_classification_ones(tiny_run, capsys):
    args = ["benchmark", "--datasets", "glass4", "--models", "lr", "--methods", "none",
            "--metrics", "f1", "--folds", "3", "--no-progress", "--out", tiny_run, "--resume"]
    assert main(args) == 2
    assert "different configuration" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--datasets", "ecoli1"], "Unknown data set 'ecoli1'"),
    (["--methods", "smote"], "Unknown regression method 'smote'"),
    (["--models", "lr"], "Unknown regression model 'lr'"),
    (["--metrics", "f1"], "Unknown regression metric 'f1'"),
    (["--datasets", "ir>10"], "have no 'imbalance_ratio'"),
])
def test_unknown_names_list_the_valid_ones(args, message, tmp_path, capsys):
    assert main(["benchmark", "--task", "regression", *args, "--out", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err


def test_list_shows_regression_methods_models_and_datasets(capsys):
    assert main(["benchmark", "--task", "regression", "--list"]) == 0
    out = capsys.readouterr().out
    for text in ("smogn", "dense_weight", "wercs", "ridge", "lgbm", "sera", "rare_f1", "rmse",
                 "cpu_performance", "slid_wages"):
        assert text in out


def test_a_registered_method_joins_the_run(tmp_path):
    from sklearn.ensemble import BaggingRegressor

    register_regression_method(
        "bagging_test", lambda model, y, seed, points: (
            [], BaggingRegressor(model, n_estimators=3, random_state=seed), None),
        family="ensemble", source="sklearn.ensemble.BaggingRegressor")
    try:
        assert "bagging_test" in list_regression_methods()
        config = RegressionBenchmarkConfig(datasets=["cpu_performance"], models=["ridge"],
                                           methods=["none", "bagging_test"], folds=2)
        rows = run_benchmark(config, str(tmp_path), progress=False)
        assert [r["status"] for r in rows] == ["ok"] * 4
        with pytest.raises(ValueError, match="already registered"):
            register_regression_method("bagging_test", print, family="x", source="y")
    finally:
        _regression._METHODS.pop("bagging_test")
    with pytest.raises(ValueError, match="valid methods are: none, dense_weight"):
        get_regression_method("bagging_test")


def test_quick_run_uses_its_small_configuration(tmp_path, capsys):
    folder = str(tmp_path / "quick")
    assert main(["benchmark", "--task", "regression", "--quick", "--no-progress",
                 "--out", folder]) == 0
    cells = _cells(folder)
    quick = _regression.QUICK_REGRESSION
    assert {c["dataset"] for c in cells} == set(quick["datasets"])
    assert {c["method"] for c in cells} == set(quick["methods"])
    assert len(cells) == 2 * 1 * len(quick["methods"]) * quick["folds"]
