"""The benchmark behind ``python -m imbtool benchmark``: an application of imbtool.

It runs every (data set, model, remedy, fold) cell of a ``BenchmarkConfig``
with ``run_benchmark``, caching each finished cell on disk so that a run can
be resumed, and writes a report (tidy CSV, Markdown summary, the
critical-difference diagrams of :class:`imbtool.plotting.CriticalDifferenceDisplay`).
Models come from the registry here (``register_model``); remedies from
:mod:`imbtool.remedies`; the statistics from :mod:`imbtool.evaluation`.
"""

from ._models import OWN_MODEL, build_estimator, get_model, list_models, register_model
from ._report import write_report
from ._runner import BenchmarkConfig, ConfigMismatchError, run_benchmark, select_datasets

__all__ = [
    "OWN_MODEL",
    "BenchmarkConfig",
    "ConfigMismatchError",
    "build_estimator",
    "get_model",
    "list_models",
    "register_model",
    "run_benchmark",
    "select_datasets",
    "write_report",
]
