"""`python -m imbtool benchmark` on a tiny configuration: outputs, resume, failures, bad input."""

import csv
import json
import os

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

from imbtool.__main__ import main
from imbtool.benchmark import (
    BenchmarkConfig,
    ConfigMismatchError,
    build_estimator,
    run_benchmark,
    select_datasets,
)
from imbtool.benchmark import _runner as _benchmark
from imbtool.datasets import list_datasets, load_dataset
from imbtool.remedies import (
    _registry,
    get_remedy,
    list_remedies,
    register_remedy,
    select_remedies,
    with_sampler,
)

TINY = ["--datasets", "new_thyroid1", "glass4", "--models", "lr", "--methods", "none",
        "class_weight", "smote", "random_under_sampler", "--metrics", "f1", "roc_auc", "brier",
        "--folds", "2", "--no-progress"]


def _cells(folder):
    with open(os.path.join(folder, "cells.jsonl")) as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("bench") / "out")
    assert main(["benchmark", *TINY, "--out", folder]) == 0
    return folder


def test_run_writes_tidy_csv_summary_and_plots(tiny_run, capsys):
    cells = _cells(tiny_run)
    assert len(cells) == 2 * 1 * 4 * 2
    assert all(c["status"] == "ok" for c in cells)
    with open(os.path.join(tiny_run, "results.csv")) as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(cells) * 3
    assert {r["metric"] for r in rows} == {"f1", "roc_auc", "brier"}
    assert {r["source"] for r in rows if r["method"] == "smote"} == {get_remedy("smote").source}
    summary = open(os.path.join(tiny_run, "summary.md")).read()
    assert "## Remedies by f1" in summary and "Friedman chi2(3)" in summary
    assert "W/T/L vs none" in summary
    pytest.importorskip("matplotlib")
    for name in ("cd_remedies_f1.png", "cd_configurations_f1.png", "f1_by_ir.png"):
        assert os.path.getsize(os.path.join(tiny_run, name)) > 1000


def test_cell_equals_a_manual_fold(tiny_run):
    # The stored score of (new_thyroid1, lr, smote, fold 1) is what fitting the
    # pipeline on that training fold and scoring the untouched test fold gives.
    X, y = load_dataset("new_thyroid1", return_X_y=True)
    train, test = list(RepeatedStratifiedKFold(n_splits=2, n_repeats=1, random_state=0)
                       .split(X, y))[1]
    model = build_estimator("smote", "lr", 0).fit(X[train], y[train])
    cell = next(c for c in _cells(tiny_run) if (c["dataset"], c["method"], c["fold"])
                == ("new_thyroid1", "smote", 1))
    assert cell["n_test"] == len(test)
    assert cell["metrics"]["f1"] == pytest.approx(f1_score(y[test], model.predict(X[test])))
    assert cell["metrics"]["roc_auc"] == pytest.approx(
        roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]))


def test_resume_skips_finished_cells_and_recovers_a_torn_line(tiny_run, tmp_path, monkeypatch):
    folder = str(tmp_path / "copy")
    os.makedirs(folder)
    for name in ("cells.jsonl", "config.json"):
        with (open(os.path.join(tiny_run, name)) as src,
              open(os.path.join(folder, name), "w") as dst):
            dst.write(src.read())
    original = {_benchmark.cell_key(c): c["metrics"] for c in _cells(folder)}
    # Simulate a crash: the last two cells lost, the one before torn mid-line.
    lines = open(os.path.join(folder, "cells.jsonl")).read().splitlines(keepends=True)
    with open(os.path.join(folder, "cells.jsonl"), "w") as handle:
        handle.writelines(lines[:-3])
        handle.write(lines[-3][: len(lines[-3]) // 2])
    ran = []
    real = _benchmark.run_cell
    monkeypatch.setattr(_benchmark, "run_cell",
                        lambda cell, config: ran.append(cell) or real(cell, config))
    assert main(["benchmark", *TINY, "--out", folder, "--resume"]) == 0
    assert len(ran) == 3
    again = {_benchmark.cell_key(c): c["metrics"] for c in _benchmark.read_cells(
        os.path.join(folder, "cells.jsonl")).values()}
    assert again == original  # the recomputed cells are identical (seeded)
    ran.clear()
    assert main(["benchmark", *TINY, "--out", folder, "--resume"]) == 0
    assert ran == []


def test_parallel_cells_equal_serial(tiny_run, tmp_path):
    folder = str(tmp_path / "parallel")
    assert main(["benchmark", *TINY, "--methods", "none", "smote", "--out", folder,
                 "--n-jobs", "2"]) == 0
    serial = {_benchmark.cell_key(c): c["metrics"] for c in _cells(tiny_run)}
    parallel = {_benchmark.cell_key(c): c["metrics"] for c in _cells(folder)}
    assert len(parallel) == 8 and parallel == {k: serial[k] for k in parallel}


class _FailsOnGlass(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        if X.shape[1] == 9:  # glass4 has 9 features, new_thyroid1 has 5
            raise RuntimeError("cannot handle nine features")
        self.classes_ = np.unique(y)
        self.p_ = y.mean()
        return self

    def predict_proba(self, X):
        return np.column_stack([np.full(len(X), 1 - self.p_), np.full(len(X), self.p_)])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


@pytest.fixture
def failing_remedy():
    register_remedy("fails_on_glass", lambda model, rs: _FailsOnGlass(), family="baseline",
                    source="tests._FailsOnGlass", replace=True)
    yield "fails_on_glass"
    _registry._STATE.remedies.pop("fails_on_glass")


def test_failing_method_is_recorded_and_the_run_goes_on(tmp_path, failing_remedy):
    config = BenchmarkConfig(datasets=["new_thyroid1", "glass4"], models=["lr"],
                             methods=["none", "fails_on_glass"], metrics=["f1"], folds=2)
    rows = run_benchmark(config, str(tmp_path), progress=False)
    failed = [r for r in rows if r["status"] == "error"]
    assert {r["dataset"] for r in failed} == {"glass4"} and len(failed) == 2
    assert all("RuntimeError: cannot handle nine features" in r["error"] for r in failed)
    assert sum(r["status"] == "ok" for r in rows) == 6
    from imbtool.benchmark._report import write_report

    summary = write_report(rows, config, str(tmp_path), primary="f1")
    assert "## Failures" in summary and "cannot handle nine features" in summary


@pytest.mark.parametrize(
    "args, message",
    [
        (["--datasets", "atlantis"], "Unknown data set 'atlantis'; valid data sets are: "),
        (["--methods", "magic"], "Unknown method 'magic'; valid methods are: "),
        (["--models", "svm9"], "Unknown model 'svm9'; valid models are: "),
        (["--metrics", "f7"], "Unknown metric 'f7'; valid names are: "),
        (["--folds", "1"], "--folds must be >= 2"),
    ],
)
def test_unknown_names_list_the_valid_ones(args, message, tmp_path, capsys):
    assert main(["benchmark", *TINY, *args, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not os.path.exists(tmp_path / "x")


def test_unwritable_out_fails_before_any_cell(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(_benchmark, "run_cell", lambda *a: pytest.fail("a cell ran"))
    assert main(["benchmark", *TINY, "--out", str(blocker / "out")]) == 2
    assert "is not a writable folder" in capsys.readouterr().err


def test_existing_results_need_resume_and_a_matching_configuration(tiny_run, capsys):
    assert main(["benchmark", *TINY, "--methods", "none", "--out", tiny_run]) == 2
    assert "pass --resume" in capsys.readouterr().err
    assert main(["benchmark", *TINY, "--out", tiny_run, "--resume", "--folds", "3"]) == 2
    assert "different configuration" in capsys.readouterr().err
    config = BenchmarkConfig(datasets=["new_thyroid1"], models=["lr"], methods=["none"],
                             metrics=["f1", "roc_auc", "brier"], folds=2, seed=1)
    with pytest.raises(ConfigMismatchError, match="results would be mixed"):
        run_benchmark(config, tiny_run, resume=True, progress=False)


def test_list_shows_methods_models_metrics_and_datasets(capsys):
    assert main(["benchmark", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ("none", "class_weight", "smote", "lr", "lgbm", "g_mean", "ecoli1"):
        assert name in out


def test_dataset_filters_match_the_catalogue():
    info = {d["name"]: d for d in list_datasets()}
    chosen = select_datasets(["ir>10", "n<=300"])
    assert chosen and set(chosen) == {n for n, d in info.items()
                                      if d["imbalance_ratio"] > 10 and d["n_samples"] <= 300}
    assert select_datasets(["yeast*"]) == sorted(n for n in info if n.startswith("yeast"))
    with pytest.raises(ValueError, match="No data set matches"):
        select_datasets(["ir>1e9"])


def test_registry_discovers_imbtool_remedies_and_builds_them():
    names = list_remedies()
    assert {"none", "class_weight", "smote", "random_under_sampler"} <= set(names)
    # imbtool's own SMOTE is used once imbtool.over_sampling provides it.
    assert get_remedy("smote").source == "imbtool.over_sampling.SMOTE"
    assert select_remedies(["family:baseline"])[0] == "none"
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.tree import DecisionTreeClassifier

    # The sampler goes after the model's own preprocessing (its scaler); the registry
    # adds none: the benchmark puts a StandardScaler before a sampler where the model has none.
    pipeline = with_sampler(build_estimator("none", "lr", 0), RandomUnderSampler())
    assert [n for n, _ in pipeline.steps] == ["standardscaler", "sampler", "logisticregression"]
    pipeline = with_sampler(DecisionTreeClassifier(), RandomUnderSampler())
    assert [n for n, _ in pipeline.steps] == ["sampler", "estimator"]
    for model in ("lr", "dt", "rf", "lgbm"):
        steps = [n for n, _ in build_estimator("smote", model, 0).steps]
        assert steps[:2] == ["standardscaler", "sampler"], steps
    from imbtool.benchmark._models import applies

    for name in names:
        remedy = get_remedy(name)
        # focal_loss needs a booster: the first model it applies to.
        model = "own" if remedy.standalone else next(m for m in ("dt", "lgbm") if applies(name, m))
        estimator = build_estimator(name, model, 0)
        assert hasattr(estimator, "fit") and hasattr(estimator, "predict")


def test_dask_backend_gives_the_local_results(tiny_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    # Dashboard on a free port: on the default one, taken by another cluster, distributed warns.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        folder = str(tmp_path / "dask")
        assert main(["benchmark", *TINY, "--methods", "none", "smote", "--out", folder,
                     "--dask-scheduler", cluster.scheduler_address]) == 0
        # The cells ran as tasks of the cluster, not in the calling process.
        prefixes = list(cluster.scheduler.task_prefixes)
        assert any("run_cell" in name for name in prefixes), prefixes
    local = {_benchmark.cell_key(c): c["metrics"] for c in _cells(tiny_run)}
    remote = {_benchmark.cell_key(c): c["metrics"] for c in _cells(folder)}
    assert len(remote) == 8 and remote == {k: local[k] for k in remote}


def test_incomplete_tables_drop_absent_treatments_then_broken_blocks():
    from imbtool.benchmark._report import _complete_table

    blocks = [(d, m) for d in "abcdef" for m in ("lr", "rf")]
    entries = {(b, t): 0.5 for b in blocks for t in ("none", "smote")}
    entries.update({(b, "spe"): 0.6 for b in blocks if b[1] == "lr"})
    del entries[(("c", "rf"), "smote")]  # one failed cell
    table, kept_blocks, treatments, dropped = _complete_table(entries)
    assert treatments == ["none", "smote"]
    assert ("c", "rf") not in kept_blocks and len(kept_blocks) == 11
    assert table.shape == (11, 2) and len(dropped) == 2


def test_ensemble_remedies_wrap_ensemble_models_only_when_asked():
    from imbtool.ensemble import SelfPacedEnsembleClassifier

    config = BenchmarkConfig(datasets=["glass1"], models=["lr", "lgbm"],
                             methods=["self_paced_ensemble"], metrics=["f1"], folds=2)
    assert {c["model"] for c in _benchmark.plan_cells(config)} == {"lr"}
    register_remedy(
        "spe_any_member",
        lambda model, rs: SelfPacedEnsembleClassifier(model, n_estimators=3, random_state=rs),
        family="ensemble", source="tests.spe_any_member", replace=True, wraps_ensembles=True)
    try:
        config = BenchmarkConfig(datasets=["glass1"], models=["lr", "lgbm"],
                                 methods=["spe_any_member"], metrics=["f1"], folds=2)
        cells = _benchmark.plan_cells(config)
        assert sorted({c["model"] for c in cells}) == ["lgbm", "lr"]
        member = build_estimator("spe_any_member", "lgbm", 0).estimator
        assert type(member).__name__ == "LGBMClassifier"
    finally:
        _registry._STATE.remedies.pop("spe_any_member")


def test_cli_and_remedy_search_share_the_names_and_warn_on_former_ones(tmp_path):
    import warnings

    from sklearn.linear_model import LogisticRegression

    from imbtool.model_selection import RemedySearchCV
    from imbtool.model_selection._remedies import build_candidates, check_remedies
    from imbtool.remedies._registry import _ALIASES

    estimator = LogisticRegression()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in list_remedies():
            assert select_remedies([name]) == [name]
            candidates = build_candidates(check_remedies([name]), estimator, 0)
            assert [c.name for c in candidates] == [name]
    # Former names of the benchmark (smoteenn, ...) and of RemedySearchCV
    # (random_under_sampling) work for one release, with a warning. "balanced_bagging"
    # is the name of BalancedBaggingClassifier, imbalanced-learn's class of that name.
    assert {"smoteenn", "random_under_sampling"} <= set(_ALIASES)
    assert "balanced_bagging" not in _ALIASES
    assert get_remedy("balanced_bagging").source.endswith("BalancedBaggingClassifier")
    for old, new in _ALIASES.items():
        with pytest.warns(FutureWarning, match=f"'{old}' is deprecated.*use '{new}'"):
            assert select_remedies([old]) == [new]
        with pytest.warns(FutureWarning, match=f"'{old}' is deprecated.*use '{new}'"):
            candidates = build_candidates(check_remedies([old]), estimator, 0)
        assert [c.name for c in candidates] == [new]
    X, y = load_dataset("new_thyroid1", return_X_y=True)
    with pytest.warns(FutureWarning, match="'smoteenn' is deprecated"):
        search = RemedySearchCV(estimator, remedies=["none", "smoteenn"], cv=2,
                                random_state=0).fit(X, y)
    assert list(search.cv_results_["param_remedy"][::2]) == ["none", "smote_enn"]
    with pytest.warns(FutureWarning, match="'smoteenn' is deprecated"):
        assert main(["benchmark", "--datasets", "new_thyroid1", "--models", "lr", "--methods",
                     "smoteenn", "--metrics", "f1", "--folds", "2", "--no-progress", "--out",
                     str(tmp_path / "out")]) == 0
    assert {c["method"] for c in _cells(tmp_path / "out")} == {"smote_enn"}


@pytest.mark.parametrize("name, module", [("list_remedies", "imbtool.remedies"),
                                          ("with_sampler", "imbtool.remedies")])
def test_names_moved_out_of_evaluation_warn(name, module):
    import importlib

    import imbtool.evaluation

    with pytest.warns(FutureWarning, match=f"import it from {module}"):
        moved = getattr(imbtool.evaluation, name)
    assert moved is getattr(importlib.import_module(module), name)


def test_progress_bar_is_tqdm_and_counts_failures(tmp_path, failing_remedy, capsys):
    config = BenchmarkConfig(datasets=["glass4"], models=["lr"], methods=["fails_on_glass"],
                             metrics=["f1"], folds=2)
    run_benchmark(config, str(tmp_path), progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "failed=2" in err


def test_report_draws_the_critical_difference_display(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from imbtool.benchmark._report import plot_critical_difference
    from imbtool.evaluation import critical_difference_data
    from imbtool.plotting import CriticalDifferenceDisplay

    drawn = []
    real = CriticalDifferenceDisplay.plot
    monkeypatch.setattr(CriticalDifferenceDisplay, "plot",
                        lambda self, ax=None: drawn.append(self) or real(self, ax=ax))
    data = critical_difference_data([[0.9, 0.8, 0.7], [0.8, 0.75, 0.6], [0.85, 0.8, 0.7]],
                                    names=["a", "b", "c"])
    plot_critical_difference(data, tmp_path / "cd.png", "remedies, f1")
    assert len(drawn) == 1 and drawn[0].names == data.names
    assert os.path.getsize(tmp_path / "cd.png") > 1000
