"""The regression mode of the benchmark: ``python -m imbtool benchmark --task regression``.

Cells are (data set, model, method, repeat, fold) as in the classification
mode, over the regression sets of
:func:`~imbtool.datasets.list_regression_datasets`. A *method* is a plan
around a regressor: nothing (``none``), DenseWeight sample weights, or a
sampler of :mod:`imbtool.regression` in an :mod:`imbtool.pipeline` pipeline
(behind a ``StandardScaler``, so that its neighbour search sees standardised
features). :func:`register_regression_method` adds one, e.g. an ensemble that
wraps the regressor.

Folds are stratified on relevance bins (:func:`regression_folds`), so every
training and test fold holds its share of the rare targets. The relevance is
the data set's, as the papers define it: automatic box-plot control points of
the whole target, given to every sampler and metric, the same for every fold
and method (a training fold's own box plot can find no extreme value where
the whole set has a few, as in ``birthwt``).
"""

import os
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.preprocessing import StandardScaler

from ..datasets import list_regression_datasets, load_regression_dataset
from ..metrics import rare_f1, rare_precision, rare_recall, relevance_rmse, sera
from ..pipeline import make_pipeline
from ..regression import (
    SMOGN,
    SMOTER,
    WERCS,
    GaussNoise,
    REBAGGRegressor,
    RelevanceOverSampler,
    RelevanceUnderSampler,
    dense_weight,
    relevance,
    relevance_control_points,
)
from ..utils._compat import MATPLOTLIB_INSTALLED, require
from ..utils._tolerance import TIE_TOLERANCE
from ._report import (
    compare,
    comparison_markdown,
    failures_markdown,
    header_markdown,
    plot_critical_difference,
    rank_by_metric_markdown,
    tidy_csv,
    write_summary,
)
from ._runner import BenchmarkConfig, failed_row

# ------------------------------------------------------------------ models


@dataclass(frozen=True, eq=False)
class RegressionModel:
    """A regressor of the benchmark: ``factory(random_state)``; ``scaled``: needs scaling."""

    name: str
    factory: object
    description: str
    scaled: bool = False


def _ridge(random_state):
    from sklearn.linear_model import Ridge

    return Ridge(alpha=1.0)


def _rf(random_state):
    from sklearn.ensemble import RandomForestRegressor

    return RandomForestRegressor(n_estimators=100, n_jobs=1, random_state=random_state)


def _lgbm(random_state):
    from lightgbm import LGBMRegressor

    return LGBMRegressor(n_estimators=100, n_jobs=1, verbose=-1, random_state=random_state)


REGRESSION_MODELS = {
    "ridge": RegressionModel("ridge", _ridge, "standardised ridge regression (alpha=1)", True),
    "rf": RegressionModel("rf", _rf, "random forest, 100 trees"),
    "lgbm": RegressionModel("lgbm", _lgbm, "LightGBM, 100 rounds, defaults otherwise"),
}

# ----------------------------------------------------------------- methods


@dataclass(frozen=True, eq=False)
class RegressionMethod:
    """A method around a regressor.

    ``plan(model, y_train, random_state, control_points) -> (steps, final,
    sample_weight)``: the steps (samplers) put before ``final`` (the model, or
    an estimator that wraps it) and the sample weights ``final`` is fitted
    with (None: none).
    """

    name: str
    plan: object
    family: str
    source: str


_METHODS = {}


def register_regression_method(name, plan, *, family, source, replace=False):
    """Add a method to the regression mode of the benchmark.

    Parameters
    ----------
    name : str
        Name on the command line.
    plan : callable
        ``plan(model, y_train, random_state, control_points) -> (steps, final,
        sample_weight)``: a list of samplers to put before ``final``, the
        estimator fitted last (``model`` itself, or one that wraps it) and its
        sample weights (or None). Called once per cell with a fresh model and
        the relevance control points of the data set, which a method that
        cuts rare from normal targets should use.
    family : str
        Shown in the tables ("sampler", "weights", "ensemble", ...).
    source : str
        The implementation, as the report names it.
    replace : bool, default=False
        Allow overwriting an existing entry.

    Returns
    -------
    method : RegressionMethod

    Examples
    --------
    >>> from sklearn.ensemble import BaggingRegressor
    >>> from imbtool.benchmark import register_regression_method
    >>> method = register_regression_method(
    ...     "bagging", lambda model, y, seed, points: (
    ...         [], BaggingRegressor(model, random_state=seed), None),
    ...     family="ensemble", source="sklearn.ensemble.BaggingRegressor", replace=True)
    >>> method.name
    'bagging'
    """
    if name in _METHODS and not replace:
        raise ValueError(f"A regression method named {name!r} is already registered; pass "
                         "replace=True.")
    if not callable(plan):
        raise TypeError(f"plan must be callable; got {plan!r}.")
    _METHODS[name] = RegressionMethod(name, plan, family, source)
    return _METHODS[name]


def get_regression_method(name):
    """Look a regression method up by name; the error lists the valid names.

    Parameters
    ----------
    name : str

    Returns
    -------
    method : RegressionMethod

    Examples
    --------
    >>> from imbtool.benchmark import get_regression_method
    >>> get_regression_method("smogn").source
    'imbtool.regression.SMOGN'
    """
    try:
        return _METHODS[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown regression method {name!r}; valid methods are: "
                         f"{', '.join(_METHODS)}.") from None


def list_regression_methods():
    """Names of the registered regression methods, in registration order.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.benchmark import list_regression_methods
    >>> list_regression_methods()[:3]
    ['none', 'dense_weight', 'smoter']
    """
    return list(_METHODS)


def _sampler_plan(sampler_class):
    def plan(model, y_train, random_state, control_points):
        return [sampler_class(control_points=control_points, random_state=random_state)], \
            model, None

    return plan


def _dense_weight_plan(model, y_train, random_state, control_points):
    # alpha=1: the weighting of Steininger et al.'s experiments (rare targets weighted up
    # in proportion to how thin their density is).
    return [], model, dense_weight(y_train, alpha=1.0)


register_regression_method("none", lambda model, y, seed, points: ([], model, None),
                           family="none",
                           source="no intervention")
register_regression_method("dense_weight", _dense_weight_plan, family="weights",
                           source="imbtool.regression.dense_weight(alpha=1) as sample weights")
for _name, _class in [("smoter", SMOTER), ("smogn", SMOGN), ("gauss_noise", GaussNoise),
                      ("relevance_under_sampler", RelevanceUnderSampler),
                      ("relevance_over_sampler", RelevanceOverSampler), ("wercs", WERCS)]:
    register_regression_method(_name, _sampler_plan(_class), family="sampler",
                               source=f"imbtool.regression.{_class.__name__}")
register_regression_method(
    "rebagg", lambda model, y, seed, points: (
        [], REBAGGRegressor(model, control_points=points, random_state=seed), None),
    family="ensemble", source="imbtool.regression.REBAGGRegressor (10 members, over-sampling)")

# ----------------------------------------------------------------- metrics


@dataclass(frozen=True)
class _Metric:
    func: object
    greater_is_better: bool
    relevance: bool = True  # takes the data set's control points


def _rmse(y_true, y_pred):
    return root_mean_squared_error(y_true, y_pred)


REGRESSION_METRICS = {
    "sera": _Metric(sera, False),
    "rare_f1": _Metric(rare_f1, True),
    "rare_precision": _Metric(rare_precision, True),
    "rare_recall": _Metric(rare_recall, True),
    "relevance_rmse": _Metric(relevance_rmse, False),
    "rmse": _Metric(_rmse, False, relevance=False),
}
DEFAULT_REGRESSION_METRICS = ("sera", "rare_f1", "rmse")
DEFAULT_REGRESSION_MODELS = ("ridge", "rf", "lgbm")
QUICK_REGRESSION = dict(datasets=("cpu_performance", "airquality_ozone"), models=("ridge",),
                        methods=("none", "dense_weight", "smoter", "smogn"), folds=3)

# -------------------------------------------------------------------- folds

# Normal targets are cut into this many quantile bins besides the rare low and rare high
# bins, so that the folds also spread the common range evenly.
NORMAL_BINS = 4


def relevance_strata(y, control_points, n_folds, threshold=0.5):
    """Stratum of each target: rare low, normal quantile bins, rare high.

    A stratum with fewer rows than ``n_folds`` joins its neighbour towards
    the median, so that every stratum can be spread over the folds.
    """
    rare = relevance(y, control_points) >= threshold
    median = np.median(y)
    normal = y[~rare]
    edges = np.quantile(normal, np.linspace(0, 1, NORMAL_BINS + 1)[1:-1]) if normal.size else []
    strata = np.where(rare, np.where(y < median, 0, NORMAL_BINS + 1),
                      1 + np.searchsorted(edges, y, side="right"))
    for stratum in (0, NORMAL_BINS + 1):
        if 0 < np.sum(strata == stratum) < n_folds:
            strata[strata == stratum] = 1 if stratum == 0 else NORMAL_BINS
    return strata


def regression_folds(y, control_points, *, folds, repeats, seed):
    """Every (train, test) split of the cross-validation, stratified on relevance bins."""
    strata = relevance_strata(y, control_points, folds)
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    return list(splitter.split(np.zeros((len(y), 1)), strata))


@lru_cache(maxsize=4)
def _load(name, folds, repeats, seed):
    X, y = load_regression_dataset(name, return_X_y=True)
    control_points = relevance_control_points(y)
    return X, y, control_points, regression_folds(y, control_points, folds=folds,
                                                  repeats=repeats, seed=seed)


# -------------------------------------------------------------------- cells


@dataclass
class RegressionBenchmarkConfig(BenchmarkConfig):
    """A regression benchmark: data sets, regressors, methods, metrics and folds.

    Parameters
    ----------
    datasets : list of str
        Names of :func:`~imbtool.datasets.list_regression_datasets`.
    models : list of str
        Keys of ``REGRESSION_MODELS`` ("ridge", "rf", "lgbm").
    methods : list of str
        Registered regression methods (see :func:`register_regression_method`).
    metrics : list of str, default=DEFAULT_REGRESSION_METRICS
        Keys of ``REGRESSION_METRICS``; the first is the primary one.
    folds : int, default=5
        Folds stratified on relevance bins, per repeat.
    repeats : int, default=1
        Repeats of the cross-validation.
    seed : int, default=0
        Seed of the splits and of every estimator.

    Examples
    --------
    >>> from imbtool.benchmark import RegressionBenchmarkConfig
    >>> config = RegressionBenchmarkConfig(datasets=["cpu_performance"], models=["ridge"],
    ...                                    methods=["none", "smoter"], folds=2)
    >>> len(config.cells()), config.metrics
    (4, ['sera', 'rare_f1', 'rmse'])
    """

    task: ClassVar[str] = "regression"
    metrics: list = field(default_factory=lambda: list(DEFAULT_REGRESSION_METRICS))

    def cells(self):
        """Every cell, in plan order.

        Returns
        -------
        cells : list of dict
        """
        return [dict(dataset=d, model=m, method=name, repeat=r, fold=f,
                     source=get_regression_method(name).source)
                for d in self.datasets for name in self.methods for m in self.models
                for r in range(self.repeats) for f in range(self.folds)]

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
        row = dict(cell)
        try:
            X, y, control_points, splits = _load(cell["dataset"], self.folds, self.repeats,
                                                 self.seed)
            train, test = splits[cell["repeat"] * self.folds + cell["fold"]]
            model = REGRESSION_MODELS[cell["model"]]
            steps, final, weight = get_regression_method(cell["method"]).plan(
                model.factory(self.seed), y[train], self.seed, control_points)
            front = [SimpleImputer(strategy="median")] if np.isnan(X).any() else []
            if steps or model.scaled:
                front.append(StandardScaler())
            pipe = make_pipeline(*front, *steps, final)
            params = {} if weight is None else {f"{pipe.steps[-1][0]}__sample_weight": weight}
            start = time.perf_counter()
            pipe.fit(X[train], y[train], **params)
            fit_time = time.perf_counter() - start
            start = time.perf_counter()
            y_pred = pipe.predict(X[test])
            predict_time = time.perf_counter() - start
            values = {}
            for name in self.metrics:
                metric = REGRESSION_METRICS[name]
                extra = {"control_points": control_points} if metric.relevance else {}
                values[name] = float(metric.func(y[test], y_pred, **extra))
            row.update(status="ok", error="", fit_time=fit_time, predict_time=predict_time,
                       n_train=len(train), n_test=len(test), metrics=values)
        except Exception as exc:  # recorded, the run goes on
            failed_row(row, exc)
        return row

    def fingerprint(self):
        """What two runs must share for their cells to be comparable.

        Returns
        -------
        fingerprint : dict
            The classification fingerprint and ``task="regression"``.
        """
        return {**super().fingerprint(), "task": "regression"}


def check_regression_config(config):
    """Raise a ValueError naming any unknown data set, model, method or metric."""
    known = {d["name"] for d in list_regression_datasets()}
    for kind, names, valid in [("data set", config.datasets, known),
                               ("model", config.models, REGRESSION_MODELS),
                               ("method", config.methods, _METHODS),
                               ("metric", config.metrics, REGRESSION_METRICS)]:
        for name in names:
            if name not in valid:
                raise ValueError(f"Unknown regression {kind} {name!r}; valid: "
                                 f"{', '.join(sorted(valid))}.")


# ------------------------------------------------------------------- report

BASELINES = ("none", "dense_weight")


def _versus(result, baseline):
    """Wins/ties/losses of every method against ``baseline`` over the blocks."""
    if "mean" not in result or baseline not in result["treatments"]:
        return {}
    table, sign = result["table"], 1 if result["greater_is_better"] else -1
    base = table[:, result["treatments"].index(baseline)]
    out = {}
    for j, name in enumerate(result["treatments"]):
        diff = sign * (table[:, j] - base)
        out[name] = (int(np.sum(diff > TIE_TOLERANCE)), int(np.sum(np.abs(diff) <= TIE_TOLERANCE)),
                     int(np.sum(diff < -TIE_TOLERANCE)))
    return out


def _versus_markdown(result):
    """Mean and W/T/L against none and against DenseWeight, by mean rank."""
    if "mean" not in result:
        return ""
    against = {b: _versus(result, b) for b in BASELINES}
    header = ["method", f"mean {result['metric']}", "mean rank"]
    header += [f"W/T/L vs {b}" for b in BASELINES if against[b]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for j in np.argsort(result["rank"], kind="stable"):
        name = result["treatments"][j]
        cells = [name, f"{result['mean'][j]:.4g}", f"{result['rank'][j]:.2f}"]
        cells += ["-" if name == b else "/".join(map(str, against[b][name]))
                  for b in BASELINES if against[b]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_regression_report(rows, config, out, *, primary, wall_time=None):
    """Write results.csv, summary.md and the critical-difference plots; return the summary.

    Parameters
    ----------
    rows : list of dict
        The cells :func:`~imbtool.benchmark.run_benchmark` returned.
    config : RegressionBenchmarkConfig
        The configuration they were run under.
    out : str or path
        Folder to write into.
    primary : str
        The metric of the whole-configuration comparison.
    wall_time : float or None, default=None
        Seconds the run took, stated in the summary when given.

    Returns
    -------
    summary : str

    Examples
    --------
    >>> import tempfile
    >>> from imbtool.benchmark import (RegressionBenchmarkConfig, run_benchmark,
    ...                                write_regression_report)
    >>> config = RegressionBenchmarkConfig(datasets=["cpu_performance"], models=["ridge"],
    ...                                    methods=["none"], folds=2)
    >>> out = tempfile.mkdtemp()
    >>> rows = run_benchmark(config, out, progress=False)
    >>> write_regression_report(rows, config, out, primary="sera").startswith("# imbtool")
    True
    """
    rare = {d["name"]: d["n_rare"] for d in list_regression_datasets()}
    tidy_csv(rows, os.path.join(out, "results.csv"), describe=("n_rare", rare.__getitem__))
    directions = {m: REGRESSION_METRICS[m].greater_is_better for m in config.metrics}
    family = {name: method.family for name, method in _METHODS.items()}.get
    parts = [
        *header_markdown("# imbtool regression benchmark", rows, config,
                         "CV stratified on relevance bins", wall_time),
        "Scores are means over folds; ranks per block (1 = best). Relevance of each data "
        "set's target: automatic box-plot control points over the whole set; rare = "
        "relevance >= 0.5.\n",
    ]
    plots = []
    for metric in config.metrics:
        result = compare(rows, metric, "remedies", greater_is_better=directions[metric])
        parts += [f"\n## Methods by {metric} (blocks: data set x model)\n",
                  comparison_markdown(result, family=family), "\n", _versus_markdown(result)]
        if metric in ("sera", "rare_f1") and result["cd"] is not None:
            plots.append((result["cd"], f"cd_methods_{metric}.png", f"methods, {metric}"))
    configurations = compare(rows, primary, "configurations",
                             greater_is_better=directions[primary])
    parts += [f"\n## Whole configurations by {primary} (blocks: data sets)\n",
              comparison_markdown(configurations),
              "\n## Mean rank of each method, by metric (blocks: data set x model)\n",
              rank_by_metric_markdown(rows, config.metrics, directions),
              failures_markdown(rows)]
    if MATPLOTLIB_INSTALLED and plots:
        require("matplotlib", "the plots").use("Agg")
        for cd, name, title in plots:
            plot_critical_difference(cd, os.path.join(out, name), title)
        parts.append("\nPlots: " + ", ".join(name for _, name, _ in plots) + ".\n")
    elif plots:
        parts.append("\nPlots skipped: matplotlib is not installed "
                     "(pip install 'imbtool[plot]').\n")
    return write_summary(out, "".join(parts))

