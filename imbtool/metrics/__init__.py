"""Metrics for imbalanced classification, a metric registry and scorers.

Hard-prediction metrics wrap imbalanced-learn / scikit-learn (``g_mean``,
``index_balanced_accuracy``, ``mcc``, ``imbalanced_report``); ranking metrics
of a positive-class score (``roc_auc``, ``average_precision``, ``pr_auc``,
``fbeta_at_tuned_threshold``, ``precision_at_recall``,
``recall_at_precision``); calibration metrics of probabilities
(``brier_score``, ``expected_calibration_error``, ``reliability_curve``);
metrics of imbalanced regression on the rare targets by relevance (``sera``,
``relevance_rmse``, ``relevance_mae``, ``rare_precision``, ``rare_recall``,
``rare_f1``).
Every metric is registered by name (``list_metrics``, ``get_metric``) and
available as a scorer (``get_scorer``).

Every public name of ``imblearn.metrics`` (imbalanced-learn 0.14) can be
imported from here, so code written for imbalanced-learn runs after changing
the import. ``classification_report_imbalanced``,
``macro_averaged_mean_absolute_error``, ``make_index_balanced_accuracy`` and
``sensitivity_score`` are imbalanced-learn's own functions, re-exported
unchanged (their documentation is imbalanced-learn's).
``geometric_mean_score``, ``sensitivity_specificity_support`` and
``specificity_score`` have the same signatures and defaults and delegate to
imbalanced-learn, with the differences below.

Differences from imbalanced-learn
---------------------------------
``geometric_mean_score(average="weighted")`` is the support-weighted mean of
the per-class one-vs-rest G-means (those of ``average=None``);
imbalanced-learn takes the root of the product of the support-weighted
sensitivity and specificity, which gives a classifier that ignores a class a
positive score (0.4 for a majority-only classifier on 80/20 data, where every
G-mean is 0). With ``sample_weight``, ``sensitivity_specificity_support``,
``specificity_score`` and the one-vs-rest ``geometric_mean_score`` averages
count true negatives by weight, as scikit-learn's confusion matrix does;
imbalanced-learn mixes the number of samples with weighted counts there, and
its specificity can exceed 1. Everywhere else the results are
imbalanced-learn's, including ``average="macro"`` of ``geometric_mean_score``
(the root of mean sensitivity times mean specificity, not the mean of the
per-class G-means).
"""

from imblearn.metrics import (
    classification_report_imbalanced,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
)

from ._calibration import brier_score, expected_calibration_error, reliability_curve
from ._classification import g_mean, imbalanced_report, index_balanced_accuracy, mcc
from ._imblearn_compat import (
    geometric_mean_score,
    sensitivity_specificity_support,
    specificity_score,
)
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
from ._regression import (
    rare_f1,
    rare_precision,
    rare_recall,
    relevance_mae,
    relevance_rmse,
    sera,
)

__all__ = [
    "MetricInfo",
    "average_precision",
    "brier_score",
    "classification_report_imbalanced",
    "expected_calibration_error",
    "fbeta_at_tuned_threshold",
    "g_mean",
    "geometric_mean_score",
    "get_metric",
    "get_scorer",
    "get_scorer_names",
    "imbalanced_report",
    "index_balanced_accuracy",
    "list_metrics",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "mcc",
    "pr_auc",
    "precision_at_recall",
    "rare_f1",
    "rare_precision",
    "rare_recall",
    "recall_at_precision",
    "register_metric",
    "relevance_mae",
    "relevance_rmse",
    "reliability_curve",
    "roc_auc",
    "score_predictions",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "sera",
    "specificity_score",
]
