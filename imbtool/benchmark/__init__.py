"""The benchmark behind ``python -m imbtool benchmark``: an application of imbtool.

It runs every (data set, model, remedy, fold) cell of a ``BenchmarkConfig``
with ``run_benchmark``, caching each finished cell on disk so that a run can
be resumed, and writes a report (tidy CSV, Markdown summary, the
critical-difference diagrams of :class:`imbtool.plotting.CriticalDifferenceDisplay`).
Models come from the registry here (``register_model``); remedies from
:mod:`imbtool.remedies`; the statistics from :mod:`imbtool.evaluation`. The
regression mode (``--task regression``, :class:`RegressionBenchmarkConfig`)
compares the samplers and weights of :mod:`imbtool.regression` on the
regression sets of :func:`imbtool.datasets.list_regression_datasets`; the
multiclass mode (``--task multiclass``, :class:`MulticlassBenchmarkConfig`)
runs the remedies and the boosters' losses on the multiclass sets, scored by
metrics defined for any number of classes.
"""

from ._models import OWN_MODEL, build_estimator, get_model, list_models, register_model
from ._multiclass import MulticlassBenchmarkConfig
from ._regression import (
    RegressionBenchmarkConfig,
    get_regression_method,
    list_regression_methods,
    register_regression_method,
    write_regression_report,
)
from ._report import write_report
from ._runner import BenchmarkConfig, ConfigMismatchError, run_benchmark, select_datasets

__all__ = [
    "OWN_MODEL",
    "BenchmarkConfig",
    "ConfigMismatchError",
    "MulticlassBenchmarkConfig",
    "RegressionBenchmarkConfig",
    "build_estimator",
    "get_model",
    "get_regression_method",
    "list_models",
    "list_regression_methods",
    "register_model",
    "register_regression_method",
    "run_benchmark",
    "select_datasets",
    "write_regression_report",
    "write_report",
]
