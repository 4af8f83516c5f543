"""Honest evaluation for imbalanced learning.

Repeated stratified cross-validation with resampling kept inside the training
folds (``cross_validate_imbalanced``), bootstrap confidence intervals for any
metric (``bootstrap_ci``), and the statistics for comparing many methods over
many data sets: average ranks, the Friedman test with the Iman-Davenport
variant, Nemenyi and Holm post-hoc tests, the Wilcoxon signed-rank test and the
data of a critical-difference diagram (Demšar, JMLR 2006).
"""

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
