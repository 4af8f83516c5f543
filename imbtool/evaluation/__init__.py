"""Honest evaluation for imbalanced learning: the statistics library.

Repeated stratified cross-validation with resampling kept inside the training
folds (``cross_validate_imbalanced``), bootstrap confidence intervals for any
metric (``bootstrap_ci``), and the statistics for comparing many methods over
many data sets: average ranks, the Friedman test with the Iman-Davenport
variant, Nemenyi and Holm post-hoc tests, the Wilcoxon signed-rank test and the
data of a critical-difference diagram (Demšar, JMLR 2006).

The benchmark runner that uses them is the application :mod:`imbtool.benchmark`
(``python -m imbtool benchmark``); the remedies it compares are registered in
:mod:`imbtool.remedies`.
"""

import importlib
import warnings

from ..utils._warnings import ImbtoolFutureWarning
from ._bootstrap import bootstrap_ci
from ._cv import cross_validate_imbalanced
from ._stats import (
    average_ranks,
    critical_difference_data,
    friedman_test,
    holm_test,
    nemenyi_test,
    wilcoxon_test,
)

__all__ = [
    "average_ranks",
    "bootstrap_ci",
    "critical_difference_data",
    "cross_validate_imbalanced",
    "friedman_test",
    "holm_test",
    "nemenyi_test",
    "wilcoxon_test",
]

# Remedy names that moved down to imbtool.remedies; importable from here for one more
# release. The benchmark runner moved up to imbtool.benchmark (an application this
# library layer must not import).
_MOVED = {
    "get_remedy": "imbtool.remedies",
    "list_remedies": "imbtool.remedies",
    "register_remedy": "imbtool.remedies",
    "select_remedies": "imbtool.remedies",
    "with_sampler": "imbtool.remedies",
}


def __getattr__(name):
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = _MOVED[name]
    warnings.warn(f"imbtool.evaluation.{name} is deprecated since 0.1 and will be removed in "
                  f"0.2; import it from {module}.", ImbtoolFutureWarning, stacklevel=2)
    # Imported on use of a deprecated name only (the remedies sit below this layer).
    return getattr(importlib.import_module(module), name)
