"""The benchmark runner: cells of (data set, model, remedy, repeat, fold), cached on disk.

Every cell is fitted and scored independently; its result is appended to
``cells.jsonl`` in the output folder as one line written with a single
``write`` on a file opened for appending, then flushed to disk, so a crash
loses at most the cells in flight and never leaves a half-merged table. A
resumed run reads the finished cells back and skips them. A cell whose remedy
raises is recorded with status ``"error"`` and the message, and the run goes
on.
"""

import json
import os
import re
import sys
import threading
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import ClassVar

import numpy as np
from imblearn.pipeline import make_pipeline
from joblib import Parallel, delayed
from sklearn.impute import SimpleImputer
from sklearn.model_selection import RepeatedStratifiedKFold
from tqdm.auto import tqdm

from ..datasets import list_datasets, load_dataset
from ..metrics import get_metric, score_predictions
from ..remedies import get_remedy
from ..utils import resolve_pos_label
from ..utils._warnings import ImbtoolUserWarning
from ._models import OWN_MODEL, applies, build_estimator

PROTOCOL = 1
CELLS_FILE = "cells.jsonl"
CONFIG_FILE = "config.json"

DEFAULT_METHODS = (
    "none",
    "class_weight",
    "random_under_sampler",
    "smote",
    "borderline_smote",
    "smote_enn",
    "tuned_threshold",
    "self_paced_ensemble",
    "balanced_random_forest",
    "lgbm_imbalanced",
)
DEFAULT_MODELS = ("lr", "dt", "rf", "lgbm")
DEFAULT_METRICS = (
    "f1", "f2", "precision", "recall", "balanced_accuracy", "g_mean", "mcc",
    "roc_auc", "average_precision", "brier",
)
QUICK = dict(
    datasets=("ecoli1", "new_thyroid1", "glass4", "yeast-2_vs_4", "haberman", "ecoli4"),
    methods=("none", "class_weight", "random_under_sampler", "smote", "tuned_threshold",
             "balanced_random_forest"),
    models=("lr", "dt"),
    folds=3,
    repeats=1,
)
# The full run: every real set up to this size (keeps the default run near an hour on 2 cores).
FULL_MAX_SAMPLES = 1500


class ConfigMismatchError(ValueError):
    """A results folder holds cells of a different protocol.

    Raised by :func:`run_benchmark` when ``out`` already holds cells whose
    folds, repeats, seed or metrics differ from the configuration's; resume
    into another folder, or pass ``overwrite=True``.

    Examples
    --------
    >>> from imbtool.benchmark import ConfigMismatchError
    >>> issubclass(ConfigMismatchError, ValueError)
    True
    """


@dataclass
class BenchmarkConfig:
    """What defines comparable cells. Data sets, models and methods may grow on resume.

    Parameters
    ----------
    datasets : list of str
        Names of shipped data sets (see :func:`select_datasets`).
    models : list of str
        Registered model names (see :func:`list_models`).
    methods : list of str
        Remedy names of :mod:`imbtool.remedies`.
    metrics : list of str, default=DEFAULT_METRICS
        Metric names of :mod:`imbtool.metrics`; the first is the primary one.
    folds : int, default=5
        Stratified folds per repeat.
    repeats : int, default=1
        Repeats of the cross-validation, each with its own split.
    seed : int, default=0
        Seed of the splits and of every estimator.

    Examples
    --------
    >>> from imbtool.benchmark import BenchmarkConfig
    >>> config = BenchmarkConfig(datasets=["glass4"], models=["lr"], methods=["none"])
    >>> config.fingerprint()["folds"]
    5
    """

    # The kind of data sets and metrics (a class constant, not a field).
    task: ClassVar[str] = "binary"
    datasets: list
    models: list
    methods: list
    metrics: list = field(default_factory=lambda: list(DEFAULT_METRICS))
    folds: int = 5
    repeats: int = 1
    seed: int = 0

    def cells(self):
        """Every cell of the configuration, in plan order (see :func:`plan_cells`).

        Returns
        -------
        cells : list of dict
        """
        return plan_cells(self)

    def run(self, cell):
        """Fit and score one cell; never raises (a failure is a result).

        Parameters
        ----------
        cell : dict
            One of :meth:`cells`.

        Returns
        -------
        row : dict
        """
        return _classification_cell(cell, self)

    def fingerprint(self):
        """What two runs must share for their cells to be comparable.

        Returns
        -------
        fingerprint : dict
            The protocol version, folds, repeats, seed and sorted metrics.
        """
        return {"protocol": PROTOCOL, "folds": self.folds, "repeats": self.repeats,
                "seed": self.seed, "metrics": sorted(self.metrics)}

    def directions(self):
        """``{metric: greater_is_better}`` of the configuration's metrics.

        Returns
        -------
        directions : dict
        """
        return {m: get_metric(m).greater_is_better for m in self.metrics}


# ------------------------------------------------------------------ data sets

_RANGE = re.compile(
    r"^(ir|n|n_samples|n_minority|n_rare|n_features)\s*(<=|>=|<|>|==)\s*([0-9.eE+]+)$")
_RANGE_KEYS = {"ir": "imbalance_ratio", "n": "n_samples"}


def select_datasets(specs, catalogue=None):
    """Expand data set names and range filters to names of shipped real data sets.

    Parameters
    ----------
    specs : iterable of str
        Names (``"ecoli1"``), shell patterns (``"yeast*"``), or filters
        ``ir>10``, ``n<=1000``, ``n_minority>=20``, ``n_features<30``.
        Filters given together are combined with "and"; names and patterns
        are added to the result.
    catalogue : list of dict or None, default=None
        The data sets to choose from, as :func:`~imbtool.datasets.list_datasets`
        describes them (the regression mode passes
        :func:`~imbtool.datasets.list_regression_datasets`, whose sets filter by
        ``n_rare``); None: the classification sets.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.benchmark import select_datasets
    >>> select_datasets(["ecoli1", "glass4"])
    ['ecoli1', 'glass4']
    >>> all(n.startswith("yeast") for n in select_datasets(["yeast*", "ir>20"]))
    True
    """
    catalogue = {d["name"]: d for d in (list_datasets() if catalogue is None else catalogue)}
    names, filters = [], []
    for spec in specs:
        match = _RANGE.match(spec.replace(" ", ""))
        if match:
            key, op, value = match.groups()
            key = _RANGE_KEYS.get(key, key)
            if any(key not in entry for entry in catalogue.values()):
                raise ValueError(f"Filter {spec!r}: these data sets have no {key!r}.")
            filters.append((key, op, float(value)))
            continue
        matched = [n for n in catalogue if fnmatchcase(n, spec)]
        if not matched:
            raise ValueError(
                f"Unknown data set {spec!r}; valid data sets are: {', '.join(catalogue)}; "
                "or filters such as ir>10, n<=1000, n_minority>=20."
            )
        names += [n for n in matched if n not in names]
    ops = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
           "==": np.equal}
    pool = names if names else list(catalogue)
    if not names and not filters:
        return []
    selected = [n for n in pool
                if all(ops[op](catalogue[n][key], value) for key, op, value in filters)]
    if not selected:
        raise ValueError(f"No data set matches {list(specs)}.")
    return selected


def default_datasets():
    """Every shipped real data set with at most ``FULL_MAX_SAMPLES`` rows."""
    return [d["name"] for d in list_datasets()
            if d["n_samples"] <= FULL_MAX_SAMPLES]


@lru_cache(maxsize=8)
def _load(name):
    bunch = load_dataset(name)
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target)
    return X, y


def dataset_info(name):
    """The catalogue entry of a data set, binary or multiclass (size, imbalance ratio, ...)."""
    for entry in list_datasets(task="all"):
        if entry["name"] == name:
            return entry
    raise ValueError(f"Unknown data set {name!r}.")


# ---------------------------------------------------------------------- cells


def plan_cells(config):
    """Every cell of a configuration as dicts (dataset, model, method, repeat, fold, source)."""
    cells = []
    for dataset in config.datasets:
        for method in config.methods:
            remedy = get_remedy(method)
            models = [OWN_MODEL] if remedy.standalone else config.models
            for model_name in models:
                if not applies(method, model_name, config.seed):
                    continue
                for repeat in range(config.repeats):
                    for fold in range(config.folds):
                        cells.append(dict(dataset=dataset, model=model_name, method=method,
                                          repeat=repeat, fold=fold, source=remedy.source))
    return cells


def cell_key(cell):
    return (cell["dataset"], cell["model"], cell["method"], int(cell["repeat"]), int(cell["fold"]))


def _predictions(estimator, X, pos_label):
    """Labels, and scores and probabilities of the positive class ``pos_label``."""
    y_pred = estimator.predict(X)
    pos_index = list(estimator.classes_).index(pos_label)
    y_proba = None
    if hasattr(estimator, "predict_proba"):
        try:
            y_proba = estimator.predict_proba(X)[:, pos_index]
        except (AttributeError, NotImplementedError):
            y_proba = None
    y_score = y_proba
    if y_score is None and hasattr(estimator, "decision_function"):
        # A binary decision function grows with classes_[1].
        y_score = estimator.decision_function(X) * (1.0 if pos_index == 1 else -1.0)
    return y_pred, y_score, y_proba


def run_cell(cell, config):
    """Fit and score one cell with ``config.run``; never raises (a failure is a result)."""
    return config.run(cell)


def fit_cell(cell, config):
    """Split the cell's data set, fit the cell's estimator on its training fold.

    Returns
    -------
    estimator, X_test, y_train, y_test, fit_time
    """
    X, y = _load(cell["dataset"])
    splitter = RepeatedStratifiedKFold(
        n_splits=config.folds, n_repeats=config.repeats, random_state=config.seed
    )
    split = cell["repeat"] * config.folds + cell["fold"]
    train, test = next(s for i, s in enumerate(splitter.split(X, y)) if i == split)
    estimator = build_estimator(cell["method"], cell["model"], config.seed)
    if np.isnan(X).any():
        # Median imputation inside the fold; most samplers cannot take NaN.
        estimator = make_pipeline(SimpleImputer(strategy="median"), estimator)
    start = time.perf_counter()
    estimator.fit(X[train], y[train])
    return estimator, X[test], y[train], y[test], time.perf_counter() - start


def _classification_cell(cell, config):
    row = dict(cell)
    try:
        estimator, X_test, y_train, y_test, fit_time = fit_cell(cell, config)
        start = time.perf_counter()
        # The class of interest is the minority of the training fold, as estimators resolve it.
        pos_label = resolve_pos_label(y_train, name="the training fold's labels")
        y_pred, y_score, y_proba = _predictions(estimator, X_test, pos_label)
        predict_time = time.perf_counter() - start
        wanted = [m for m in config.metrics
                  if get_metric(m).needs != "probabilities" or y_proba is not None]
        values = score_predictions(y_test, wanted, y_pred=y_pred, y_score=y_score,
                                   y_proba=y_proba, pos_label=pos_label)
        row.update(status="ok", error="", fit_time=fit_time, predict_time=predict_time,
                   n_train=len(y_train), n_test=len(y_test),
                   metrics={m: values.get(m, float("nan")) for m in config.metrics})
    except Exception as exc:  # recorded, the run goes on
        failed_row(row, exc)
    return row


def failed_row(row, exc):
    """Record ``exc`` in a cell's ``row``: status "error", the message and where it arose."""
    last = traceback.extract_tb(exc.__traceback__)[-1]
    row.update(status="error", error=f"{type(exc).__name__}: {exc} ({last.filename}:"
               f"{last.lineno})"[:500], fit_time=float("nan"), predict_time=float("nan"),
               metrics={})


# ----------------------------------------------------------------- disk cache


class ResultsFolderError(ValueError):
    """A results folder is damaged where it cannot be repaired safely."""


# Keys of a cell record and the types their values must have.
_RECORD_TYPES = {
    "dataset": str, "model": str, "method": str, "source": str, "repeat": int, "fold": int,
    "status": str, "error": str, "fit_time": (int, float), "predict_time": (int, float),
    "n_train": int, "n_test": int, "metrics": dict,
}
_RECORD_REQUIRED = ("dataset", "model", "method", "source", "repeat", "fold", "status",
                    "error", "metrics")


def _record_problem(row):
    """Why a decoded line is not a valid cell record, or None."""
    if not isinstance(row, dict):
        return f"a JSON {type(row).__name__}, not an object"
    unknown = sorted(set(row) - set(_RECORD_TYPES))
    if unknown:
        return f"unknown keys {unknown}"
    missing = [k for k in _RECORD_REQUIRED if k not in row]
    if missing:
        return f"missing keys {missing}"
    for key, kind in _RECORD_TYPES.items():
        if key in row and (isinstance(row[key], bool) or not isinstance(row[key], kind)):
            return f"{key!r} is {row[key]!r}, not {getattr(kind, '__name__', 'a number')}"
    if row["status"] not in ("ok", "error"):
        return f"'status' is {row['status']!r}, not 'ok' or 'error'"
    bad = [m for m, v in row["metrics"].items()
           if isinstance(v, bool) or not isinstance(v, (int, float, type(None)))]
    if bad:
        return f"metrics {bad} are not numbers"
    return None


def _read_config(config_path, cells_path):
    """The stored configuration; a missing or damaged one is a ResultsFolderError."""
    fix = ("pass --overwrite to discard the results there and start again, or choose "
           "another --out.")
    if not os.path.exists(config_path):
        raise ResultsFolderError(
            f"{config_path} is missing, so the cells in {cells_path} cannot be checked "
            f"against this configuration; {fix}")
    try:
        with open(config_path, encoding="utf-8") as handle:
            stored = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsFolderError(f"{config_path} is damaged (not valid JSON: {exc}); {fix}") \
            from None
    if not (isinstance(stored, dict) and isinstance(stored.get("fingerprint"), dict)
            and isinstance(stored.get("config"), dict)):
        raise ResultsFolderError(
            f"{config_path} is damaged (no 'fingerprint' and 'config' objects); {fix}")
    return stored


def prepare_out(out, config, *, resume, overwrite=False, log=None):
    """Create/check the output folder before any work; returns the finished cells.

    Raises a clear error for an unwritable folder, for a folder where a results
    file belongs, for a missing or damaged ``config.json`` next to cells, for
    existing results of another configuration without ``resume`` or
    ``overwrite``, and for a resume under a different protocol. Existing
    results of the same configuration are reused. Damaged cell records are
    skipped (see :func:`read_cells`); their cells run again. ``log`` is as in
    :func:`run_benchmark`.
    """
    try:
        os.makedirs(out, exist_ok=True)
        probe = os.path.join(out, ".write-test")
        with open(probe, "w") as handle:
            handle.write("ok")
        os.remove(probe)
    except OSError as exc:
        raise PermissionError(f"--out {out!r} is not a writable folder: {exc.strerror}.") from None
    config_path = os.path.join(out, CONFIG_FILE)
    cells_path = os.path.join(out, CELLS_FILE)
    for path in (config_path, cells_path):
        if os.path.isdir(path):
            raise ResultsFolderError(
                f"{path} is a folder where the benchmark keeps a file; move it away or "
                "choose another --out.")
    done = {}
    if os.path.exists(cells_path) and not overwrite:
        old = _read_config(config_path, cells_path)
        same = old["config"] == json.loads(json.dumps(asdict(config)))
        if not resume and not same:
            raise FileExistsError(
                f"{out!r} already holds benchmark results of another configuration; pass "
                "--resume to continue them, --overwrite to start again, or another --out."
            )
        if old["fingerprint"] != config.fingerprint():
            raise ConfigMismatchError(
                f"--resume: {out!r} holds results of a different configuration "
                f"({old.get('fingerprint')}) than this run ({config.fingerprint()}); "
                "results would be mixed. Use the same --folds/--repeats/--seed/--metrics, "
                "or another --out."
            )
        done = read_cells(cells_path, log=log, repair=True)
    elif overwrite:
        for name in (cells_path, config_path):
            if os.path.exists(name):
                os.remove(name)
    _atomic_write(config_path, json.dumps(
        {"fingerprint": config.fingerprint(), "config": asdict(config)}, indent=2))
    return done


def read_cells(path, *, log=None, repair=False):
    """Finished cells by key; the last valid line for a key wins.

    A damaged line (torn by a crash, not JSON, wrong types, unknown keys) is
    skipped with a warning: every cell is fitted independently with seeded
    splits and estimators, so running its cell again gives the record it
    should have held. ``repair=True`` rewrites the file (atomically) without
    the damaged lines, so that the warning is given once.
    ``log(message)`` receives the warning; without it, a ``UserWarning``.
    """
    done, kept, skipped = {}, [], []
    if not os.path.exists(path):
        return done
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                problem = "not valid JSON (torn or corrupted)"
            else:
                problem = _record_problem(row)
            if problem:
                skipped.append(f"line {number}: {problem}")
                continue
            done[cell_key(row)] = row
            kept.append(raw.rstrip(b"\n").decode("utf-8") + "\n")
    if skipped:
        if repair:
            _atomic_write(path, "".join(kept))
        message = (f"warning: skipped {len(skipped)} damaged record(s) in {path} ("
                   + "; ".join(skipped[:3]) + ("; ..." if len(skipped) > 3 else "")
                   + ("); removed them, their cells run again." if repair
                      else "); their cells run again."))
        if log is None:
            warnings.warn(message, ImbtoolUserWarning, stacklevel=2)
        else:
            log(message)
    return done


def _atomic_write(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class _Appender:
    """Appends one JSON line per cell; a torn line from a crash is closed off first."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if os.fstat(self.fd).st_size:
            with open(path, "rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    os.write(self.fd, b"\n")

    def write(self, row):
        os.write(self.fd, (json.dumps(row, allow_nan=True) + "\n").encode())
        os.fsync(self.fd)

    def close(self):
        os.close(self.fd)


def _execute(todo, config, n_jobs, dask):
    if not dask:
        yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(run_cell)(cell, config) for cell in todo
        )
        return
    # The default of 1 would keep one batch in flight; use every worker of the cluster.
    n_jobs = -1 if n_jobs in (None, 1) else n_jobs
    batch = 64
    for start in range(0, len(todo), batch):
        yield from Parallel(n_jobs=n_jobs)(
            delayed(run_cell)(cell, config) for cell in todo[start:start + batch]
        )


# Off a terminal (CI logs, captured output) a progress line at most and at least this often:
# often enough that a log never looks stalled, rare enough to stay readable.
HEARTBEAT_S = 10


def _progress_options(stream):
    """tqdm options: a live bar on a terminal, else a line at most every 10 s."""
    if stream.isatty():
        return dict(file=stream)
    return dict(file=stream, mininterval=HEARTBEAT_S,
                bar_format="{n_fmt}/{total_fmt} cells{postfix}, {elapsed} elapsed, "
                "{remaining} left\n")


def run_benchmark(config, out, *, resume=False, overwrite=False, n_jobs=1, progress=True,
                  dask=False, log=None):
    """Run (or continue) a benchmark; return every finished cell of the configuration.

    Parameters
    ----------
    config : BenchmarkConfig
        Data sets, models, methods, metrics, folds, repeats and seed.
    out : str or path
        Output folder; ``cells.jsonl`` and ``config.json`` are written there.
    resume : bool, default=False
        Skip cells already in ``out`` (folds, repeats, seed and metrics must
        match; data sets, models and methods may differ). Without it, cells
        already in ``out`` are reused only under the very same configuration.
    overwrite : bool, default=False
        Discard results already in ``out``.
    n_jobs : int, default=1
        Cells run in parallel with joblib; results do not depend on it. With
        ``dask=True``, 1 means every worker of the cluster. ``None`` means 1
        unless in a :func:`joblib.parallel_config` context, ``-1`` every
        processor (joblib's rule).
    progress : bool, default=True
        Progress bar (tqdm) with the failed cells and an ETA, on stderr. When
        stderr is not a terminal (CI logs, notebooks' captured output), one
        line of cells done/total, failures and elapsed time every 10 s, also
        while a long cell runs.
    dask : bool, default=False
        The active joblib backend is Dask's: cells are sent in batches (the
        Dask backend returns whole batches, not a stream), each batch saved as
        it returns.
    log : callable or None, default=None
        Receives messages for the user (cells reused, damaged records
        skipped); None: damaged records give a ``UserWarning``.

    Returns
    -------
    rows : list of dict
        One per cell of ``config``, in plan order.

    Examples
    --------
    >>> import tempfile
    >>> from imbtool.benchmark import BenchmarkConfig, run_benchmark
    >>> config = BenchmarkConfig(datasets=["glass4"], models=["lr"], methods=["none"],
    ...                          metrics=["f1"], folds=2)
    >>> rows = run_benchmark(config, tempfile.mkdtemp(), progress=False)
    >>> len(rows), rows[0]["status"]
    (2, 'ok')
    """
    done = prepare_out(out, config, resume=resume, overwrite=overwrite, log=log)
    cells = config.cells()
    todo = [c for c in cells
            if cell_key(c) not in done or done[cell_key(c)].get("source") != c["source"]]
    if done and log is not None:
        log(f"reusing {len(cells) - len(todo)} finished cells from {out}")
    appender = _Appender(os.path.join(out, CELLS_FILE))
    bar = tqdm(total=len(todo), unit="cell", disable=not progress or not todo,
               postfix={"failed": 0}, **_progress_options(sys.stderr))
    failed = 0
    # tqdm prints only when a cell finishes; a cell longer than the interval would leave a
    # log silent, so off a terminal a thread redraws the line (elapsed time) meanwhile.
    stop = threading.Event()
    if not bar.disable and not sys.stderr.isatty():
        threading.Thread(target=_heartbeat, args=(bar, stop), daemon=True).start()
    try:
        for row in _execute(todo, config, n_jobs, dask):
            appender.write(row)
            done[cell_key(row)] = row
            bar.update()
            if row["status"] != "ok":
                failed += 1
                bar.set_postfix(failed=failed)
    finally:
        stop.set()
        appender.close()
        bar.close()
    return [done[cell_key(c)] for c in cells]


def _heartbeat(bar, stop):
    while not stop.wait(HEARTBEAT_S):
        bar.refresh()
