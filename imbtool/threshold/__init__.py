"""Decision thresholds, multiclass decision offsets and probability calibration.

``TunedThresholdClassifier`` tunes the decision threshold of a binary
classifier by an exact sweep over every distinct out-of-fold score (or
per-class offsets of a multiclass one) for any confusion-matrix objective,
expected cost or constrained objective.
"""

from ._objectives import (
    CountMetric,
    ExpectedCost,
    FBeta,
    Objective,
    PrecisionAtRecall,
    RecallAtPrecision,
    TPRAtFPR,
    bayes_threshold,
    expected_cost,
    make_cost_matrix,
)
from ._sweep import confusion_sweep
from ._tuned import TunedThresholdClassifier

__all__ = [
    "CountMetric",
    "ExpectedCost",
    "FBeta",
    "Objective",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "TPRAtFPR",
    "TunedThresholdClassifier",
    "bayes_threshold",
    "confusion_sweep",
    "expected_cost",
    "make_cost_matrix",
]
