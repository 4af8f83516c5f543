"""`python -m imbtool benchmark` on damaged results folders, unreachable schedulers,
failed cells, a repeated first command and non-terminal progress."""

import json
import os
import shutil
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from imbtool.__main__ import main
from imbtool.benchmark import BenchmarkConfig, _runner, run_benchmark
from imbtool.remedies import _registry, register_remedy

TINY = ["benchmark", "--datasets", "new_thyroid1", "--models", "lr", "--methods", "none",
        "--metrics", "f1", "--folds", "2", "--no-progress"]


def _lines(folder):
    with open(os.path.join(folder, "cells.jsonl")) as handle:
        return handle.read().splitlines(keepends=True)


def _one_error_line(err, *needles):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("robust") / "out")
    assert main([*TINY, "--out", folder]) == 0
    return folder


@pytest.fixture
def copy(finished, tmp_path):
    folder = str(tmp_path / "copy")
    shutil.copytree(finished, folder)
    return folder


@pytest.fixture
def ran(monkeypatch):
    cells = []
    real = _runner.run_cell
    monkeypatch.setattr(_runner, "run_cell",
                        lambda cell, config: cells.append(cell) or real(cell, config))
    return cells


@pytest.mark.parametrize("damage, problem", [
    (lambda path: os.remove(path), "is missing"),
    (lambda path: open(path, "w").write('{"fingerprint": {"folds": 2'), "not valid JSON"),
    (lambda path: open(path, "w").write("[1, 2]"), "no 'fingerprint' and 'config'"),
    (lambda path: os.remove(path) or os.mkdir(path), "is a folder where"),
])
@pytest.mark.parametrize("resume", [True, False])
def test_damaged_config_is_one_clear_error(copy, damage, problem, resume, ran, capsys):
    path = os.path.join(copy, "config.json")
    damage(path)
    capsys.readouterr()
    assert main([*TINY, "--out", copy, *(["--resume"] if resume else [])]) == 2
    fix = "move it away" if "folder" in problem else "--overwrite"
    _one_error_line(capsys.readouterr().err, path, problem, fix)
    assert ran == []


def test_a_folder_in_place_of_the_cells_file_is_one_clear_error(tmp_path, capsys):
    os.makedirs(tmp_path / "out" / "cells.jsonl")
    assert main([*TINY, "--out", str(tmp_path / "out"), "--resume"]) == 2
    _one_error_line(capsys.readouterr().err, str(tmp_path / "out" / "cells.jsonl"),
                    "is a folder where", "another --out")


@pytest.mark.parametrize("damage, problem", [
    (lambda line: line[: len(line) // 2] + "\n", "not valid JSON"),
    (lambda line: "\xff\xfe garbage\n", "not valid JSON"),
    (lambda line: json.dumps({**json.loads(line), "fold": "one"}) + "\n", "'fold' is 'one'"),
    (lambda line: json.dumps({**json.loads(line), "metrics": [0.5]}) + "\n", "'metrics' is"),
    (lambda line: json.dumps({**json.loads(line), "status": "fine"}) + "\n", "'status' is"),
    (lambda line: json.dumps({**json.loads(line), "score": 1.0}) + "\n", "unknown keys"),
    (lambda line: json.dumps({k: v for k, v in json.loads(line).items() if k != "metrics"})
     + "\n", "missing keys ['metrics']"),
    (lambda line: "[1, 2]\n", "a JSON list"),
])
def test_damaged_cell_records_are_skipped_and_recomputed(copy, damage, problem, ran, capsys):
    path = os.path.join(copy, "cells.jsonl")
    lines = _lines(copy)
    original = json.loads(lines[0])
    with open(path, "w") as handle:
        handle.writelines([damage(lines[0]), *lines[1:]])
    capsys.readouterr()
    assert main([*TINY, "--out", copy, "--resume"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"warning: skipped 1 damaged record(s) in {path} (line 1: {problem}" in err
    assert "removed them, their cells run again" in err
    assert f"reusing 1 finished cells from {copy}" in err
    assert [_runner.cell_key(c) for c in ran] == [_runner.cell_key(original)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the damaged line is gone: no second warning
        cells = _runner.read_cells(path)
    assert cells[_runner.cell_key(original)]["metrics"] == original["metrics"]


def test_read_cells_without_a_log_warns(copy):
    path = os.path.join(copy, "cells.jsonl")
    with open(path, "a") as handle:
        handle.write('{"torn": \n')
    with pytest.warns(UserWarning, match=r"skipped 1 damaged record\(s\).*line 3"):
        assert len(_runner.read_cells(path)) == 2


def test_unreachable_dask_scheduler_is_one_clear_error(tmp_path, capsys):
    pytest.importorskip("distributed")
    address = "tcp://127.0.0.1:1"
    assert main([*TINY, "--out", str(tmp_path / "out"), "--dask-scheduler", address,
                 "--dask-timeout", "1"]) == 2
    _one_error_line(capsys.readouterr().err, f"cannot reach the Dask scheduler at "
                    f"--dask-scheduler {address}", "--dask-timeout")


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


def test_every_cell_failed_exits_1_with_the_reasons(tmp_path, failing_remedy, capsys):
    args = [*TINY, "--datasets", "glass4", "--methods", failing_remedy]
    assert main([*args, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    _one_error_line(err, "all 2 cells failed", "first reasons: ",
                    "RuntimeError: cannot handle nine features")
    assert not os.path.exists(tmp_path / "out" / "summary.md")


def test_some_failed_cells_exit_0_and_the_summary_says_so(tmp_path, failing_remedy, capsys):
    args = [*TINY, "--datasets", "new_thyroid1", "glass4", "--methods", "none", failing_remedy]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "2 of 8 cells FAILED; first reasons: " in out
    assert "cannot handle nine features" in out and "summary.md" in out


def test_the_same_command_twice_reuses_the_finished_cells(finished, ran, capsys):
    capsys.readouterr()
    assert main([*TINY, "--out", finished]) == 0
    assert ran == []
    assert f"reusing 2 finished cells from {finished}" in capsys.readouterr().err
    # Another configuration is still refused, naming --resume and another folder.
    assert main([*TINY, "--methods", "none", "class_weight", "--out", finished]) == 2
    _one_error_line(capsys.readouterr().err, "another configuration", "--resume",
                    "another --out")


def test_progress_off_a_terminal_prints_lines_every_10_seconds(tmp_path, monkeypatch, capsys):
    options = []
    real = _runner.tqdm
    monkeypatch.setattr(_runner, "tqdm", lambda *a, **k: options.append(k) or real(*a, **k))
    config = BenchmarkConfig(datasets=["new_thyroid1"], models=["lr"], methods=["none"],
                             metrics=["f1"], folds=2)
    run_benchmark(config, str(tmp_path), progress=True)  # stderr is captured: not a TTY
    assert options[0]["mininterval"] == 10 and options[0]["file"] is not None
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip("\r ")]
    assert lines[0].strip("\r").startswith("0/2 cells, failed=0, 00:00 elapsed")
    assert lines[-1].strip("\r").startswith("2/2 cells, failed=0, ")


def test_progress_on_a_terminal_is_the_live_bar():
    class Terminal:
        def isatty(self):
            return True

    terminal = Terminal()
    assert _runner._progress_options(terminal) == {"file": terminal}
