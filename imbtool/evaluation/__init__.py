"""Honest evaluation for imbalanced learning, and the benchmark behind ``python -m imbtool``.

Repeated stratified cross-validation with resampling kept inside the training
folds (``cross_validate_imbalanced``), bootstrap confidence intervals for any
metric (``bootstrap_ci``), and the statistics for comparing many methods over
many data sets: average ranks, the Friedman test with the Iman-Davenport
variant, Nemenyi and Holm post-hoc tests, the Wilcoxon signed-rank test and the
data of a critical-difference diagram (Demšar, JMLR 2006).

The benchmark runs every (data set, model, remedy, fold) cell of a
``BenchmarkConfig`` with ``run_benchmark``, caching each finished cell on disk;
models and remedies come from registries (``register_model``,
``register_remedy``) that imbtool's own samplers, threshold tuners, cost
wrappers and ensembles join automatically once their modules exist.
"""

from ._benchmark import BenchmarkConfig, ConfigMismatchError, run_benchmark, select_datasets
from ._bootstrap import bootstrap_ci
from ._cv import cross_validate_imbalanced
from ._registry import (
    get_model,
    get_remedy,
    list_models,
    list_remedies,
    register_model,
    register_remedy,
    select_remedies,
    with_sampler,
)
from ._stats import (
    average_ranks,
    critical_difference_data,
    friedman_test,
    holm_test,
    nemenyi_test,
    wilcoxon_test,
)

__all__ = [
    "BenchmarkConfig",
    "ConfigMismatchError",
    "average_ranks",
    "bootstrap_ci",
    "critical_difference_data",
    "cross_validate_imbalanced",
    "friedman_test",
    "get_model",
    "get_remedy",
    "holm_test",
    "list_models",
    "list_remedies",
    "nemenyi_test",
    "register_model",
    "register_remedy",
    "run_benchmark",
    "select_datasets",
    "select_remedies",
    "wilcoxon_test",
    "with_sampler",
]
