"""Cost-sensitive learning: cost wrappers and imbalance losses for gradient boosting.

``CostSensitiveClassifier`` makes any classifier cost-sensitive (weighting,
cost-proportionate rejection sampling, MetaCost, Bayes minimum risk);
``cost_optimal_threshold`` gives the expected-cost-optimal threshold of a
binary probability model; ``FocalLoss``, ``AsymmetricLoss`` and
``WeightedLogLoss`` are custom objectives for LightGBM and XGBoost (see
``imbtool.boosters`` for classifiers that bundle them).
"""

from ._classifier import CostSensitiveClassifier
from ._losses import AsymmetricLoss, FocalLoss, WeightedLogLoss
from ._weights import class_weight_from_costs, compute_class_weight, cost_optimal_threshold

__all__ = [
    "AsymmetricLoss",
    "CostSensitiveClassifier",
    "FocalLoss",
    "WeightedLogLoss",
    "class_weight_from_costs",
    "compute_class_weight",
    "cost_optimal_threshold",
]
