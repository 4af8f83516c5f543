"""`python -m imbtool benchmark --task multiclass`: cells, scores, report, refusals (tiny run)."""

import json
import os
import warnings

import numpy as np
import pytest
from imblearn.metrics import geometric_mean_score
from sklearn.dummy import DummyClassifier
from sklearn.metrics import balanced_accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold

from imbtool.__main__ import main
from imbtool.benchmark import MulticlassBenchmarkConfig, build_estimator, run_benchmark
from imbtool.benchmark._multiclass import MULTICLASS_METRICS, _class_proba
from imbtool.benchmark._runner import ConfigMismatchError, _load
from imbtool.remedies import get_remedy, register_remedy

TINY = ["benchmark", "--task", "multiclass", "--datasets", "glass-multiclass",
        "ecoli-multiclass", "--models", "lgbm", "--methods", "none", "class_weight",
        "ldam_loss", "logit_adjusted", "--folds", "2", "--no-progress"]


def _cells(folder):
    with open(os.path.join(folder, "cells.jsonl")) as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("multiclass") / "out")
    with warnings.catch_warnings():
        # LightGBM 4.6 (the floor) names the columns of a plain array it is fitted on, and
        # scikit-learn 1.6 then warns at predict that the array has no names; newer releases
        # of the two agree.
        warnings.filterwarnings("ignore", "X does not have valid feature names", UserWarning)
        assert main([*TINY, "--out", folder]) == 0
    return folder


def test_run_scores_every_cell_and_reports_the_tests(tiny_run):
    cells = _cells(tiny_run)
    assert len(cells) == 2 * 1 * 4 * 2
    assert all(c["status"] == "ok" for c in cells)
    defaults = {"macro_f1", "balanced_accuracy", "g_mean", "macro_g_mean", "mcc", "roc_auc_ovr"}
    assert all(set(c["metrics"]) == defaults for c in cells)
    assert all(0 < c["metrics"]["macro_f1"] <= 1 for c in cells)
    summary = open(os.path.join(tiny_run, "summary.md")).read()
    for text in ("# imbtool multiclass benchmark", "## Remedies by macro_f1",
                 "Friedman chi2(3)", "Nemenyi critical difference",
                 "ldam_loss = imbtool.boosters (loss='ldam')", "| lgbm/ldam_loss |"):
        assert text in summary
    pytest.importorskip("matplotlib")
    assert os.path.getsize(os.path.join(tiny_run, "cd_remedies_macro_f1.png")) > 1000


def test_cell_scores_equal_the_metrics_computed_by_hand(tiny_run):
    cell = next(c for c in _cells(tiny_run)
                if (c["dataset"], c["method"], c["fold"]) == ("glass-multiclass", "ldam_loss", 1))
    X, y = _load("glass-multiclass")
    # The benchmark's folds are StratifiedKFold(shuffle=True, random_state=seed)'s, the
    # folds of benchmarks/bench_losses.py.
    splits = list(RepeatedStratifiedKFold(n_splits=2, n_repeats=1, random_state=0).split(X, y))
    for (_, test), (_, test2) in zip(
            splits, StratifiedKFold(2, shuffle=True, random_state=0).split(X, y)):
        assert np.array_equal(test, test2)
    train, test = splits[1]
    model = build_estimator("ldam_loss", "lgbm", 0).fit(X[train], y[train])
    pred, proba = model.predict(X[test]), model.predict_proba(X[test])
    expected = {
        "macro_f1": f1_score(y[test], pred, average="macro"),
        "balanced_accuracy": balanced_accuracy_score(y[test], pred),
        "g_mean": geometric_mean_score(y[test], pred),
        "roc_auc_ovr": roc_auc_score(y[test], proba, multi_class="ovr"),
    }
    for name, value in expected.items():
        assert cell["metrics"][name] == pytest.approx(value, abs=1e-12), name


def test_probabilities_keep_one_column_per_class_when_a_class_was_removed():
    y = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    X = np.arange(len(y), dtype=float)[:, None]
    model = DummyClassifier(strategy="prior").fit(X[y != 1], y[y != 1])  # never saw class 1
    proba = _class_proba(model, X, np.array([0, 1, 2]))
    assert proba.shape == (len(y), 3)
    assert np.all(proba[:, 1] == 0) and np.allclose(proba[:, [0, 2]], [3 / 7, 4 / 7])
    # A true class given probability 0 costs the log-loss over 30 nats a row, finitely
    # (scikit-learn clips at the float epsilon): 2 of the 9 rows.
    value = MULTICLASS_METRICS["log_loss"].func(y, proba, np.array([0, 1, 2]))
    assert np.isfinite(value) and value > 2 * 30 / 9


@pytest.mark.parametrize("args, message", [
    (["--metrics", "macro_f1", "f1", "average_precision"],
     "'f1', 'average_precision' score one positive class"),
    (["--methods", "none", "tuned_threshold"], "defined for two classes only: tuned_threshold"),
    (["--datasets", "ecoli1"], "['ecoli1'] are binary"),
    (["--metrics", "no_such_metric"], "Unknown multiclass metric 'no_such_metric'"),
])
def test_binary_names_are_refused_by_name(args, message, tmp_path, capsys):
    base = ["benchmark", "--task", "multiclass", "--datasets", "glass-multiclass", "--models",
            "lr", "--methods", "none", "--folds", "2", "--out", str(tmp_path / "out")]
    assert main(base + args) == 2
    assert message in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "out" / "cells.jsonl")


def test_a_pattern_leaves_two_class_remedies_out_and_says_so(tmp_path, capsys):
    config_args = ["benchmark", "--task", "multiclass", "--datasets", "glass-multiclass",
                   "--models", "lr", "--methods", "none", "family:threshold", "--folds", "2",
                   "--metrics", "balanced_accuracy", "--no-progress", "--out",
                   str(tmp_path / "out")]
    assert main(config_args) == 0
    err = capsys.readouterr().err
    assert "skipped tuned_threshold: defined for two classes only" in err
    methods = {c["method"] for c in _cells(tmp_path / "out")}
    assert "tuned_threshold" not in methods and {"none", "calibrated"} <= methods


def test_register_remedy_takes_a_binary_only_reason():
    remedy = register_remedy("two_class_only_example", lambda est, rs: est, family="threshold",
                             source="tests", binary_only="needs a positive class", replace=True)
    assert get_remedy("two_class_only_example").binary_only == "needs a positive class"
    assert remedy.binary_only and not get_remedy("smote").binary_only
    with pytest.raises(TypeError, match="binary_only"):
        register_remedy("two_class_only_example", lambda est, rs: est, family="threshold",
                        source="tests", binary_only=True, replace=True)


def test_binary_results_cannot_be_resumed_as_multiclass(tmp_path):
    config = MulticlassBenchmarkConfig(datasets=["glass-multiclass"], models=["lr"],
                                       methods=["none"], metrics=["accuracy"], folds=2)
    rows = run_benchmark(config, tmp_path, progress=False)
    assert [r["status"] for r in rows] == ["ok", "ok"]
    from imbtool.benchmark import BenchmarkConfig

    binary = BenchmarkConfig(datasets=["glass4"], models=["lr"], methods=["none"],
                             metrics=["accuracy"], folds=2)
    with pytest.raises(ConfigMismatchError, match="multiclass"):
        run_benchmark(binary, tmp_path, resume=True, progress=False)


def test_list_shows_multiclass_sets_metrics_and_refused_remedies(capsys):
    assert main(["benchmark", "--task", "multiclass", "--list"]) == 0
    out = capsys.readouterr().out
    assert "glass-multiclass" in out and "ecoli1 " not in out
    assert "macro_g_mean" in out and "ldam_drw_loss" in out
    assert "tuned_threshold              not for multiclass" in out
