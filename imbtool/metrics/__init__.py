"""Metrics for imbalanced classification, a metric registry and scorers.

Hard-prediction metrics wrap imbalanced-learn / scikit-learn (``g_mean``,
``index_balanced_accuracy``, ``mcc``, ``imbalanced_report``); ranking metrics
of a positive-class score (``roc_auc``, ``average_precision``, ``pr_auc``,
``fbeta_at_tuned_threshold``, ``precision_at_recall``,
``recall_at_precision``); calibration metrics of probabilities
(``brier_score``, ``expected_calibration_error``, ``reliability_curve``).
Every metric is registered by name (``list_metrics``, ``get_metric``) and
available as a scorer (``get_scorer``).
"""

from imblearn.metrics import sensitivity_score, specificity_score

from ._calibration import brier_score, expected_calibration_error, reliability_curve
from ._classification import g_mean, imbalanced_report, index_balanced_accuracy, mcc
from ._ranking import (
    average_precision,
    fbeta_at_tuned_threshold,
    pr_auc,
    precision_at_recall,
    recall_at_precision,
    roc_auc,
)
from ._registry import (
    MetricInfo,
    get_metric,
    get_scorer,
    get_scorer_names,
    list_metrics,
    register_metric,
    score_predictions,
)

__all__ = [
    "MetricInfo",
    "average_precision",
    "brier_score",
    "expected_calibration_error",
    "fbeta_at_tuned_threshold",
    "g_mean",
    "get_metric",
    "get_scorer",
    "get_scorer_names",
    "imbalanced_report",
    "index_balanced_accuracy",
    "list_metrics",
    "mcc",
    "pr_auc",
    "precision_at_recall",
    "recall_at_precision",
    "register_metric",
    "reliability_curve",
    "roc_auc",
    "score_predictions",
    "sensitivity_score",
    "specificity_score",
]
