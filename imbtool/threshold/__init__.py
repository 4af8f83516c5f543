"""Decision thresholds, multiclass decision offsets and probability calibration.

``TunedThresholdClassifier`` tunes the decision threshold of a binary
classifier by an exact sweep over every distinct out-of-fold score (or
per-class offsets of a multiclass one) for any confusion-matrix objective,
expected cost or constrained objective. ``PriorCorrectedClassifier`` moves
probabilities of a model trained on resampled data back to the true priors;
``CalibratedClassifier`` calibrates them (sigmoid, isotonic, temperature,
beta), cross-fitted. The calibration metrics ``brier_score``, ``ece`` (equal-mass
bins) and ``reliability_curve`` are imbtool.metrics' own, re-exported.
"""


from ..metrics import brier_score, expected_calibration_error, reliability_curve
from ..utils._costs import make_cost_matrix
from ..utils._sweep import confusion_sweep
from ._calibration import BetaCalibration, CalibratedClassifier
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
)
from ._prior import PriorCorrectedClassifier, prior_shift, undersampling_correction
from ._tuned import TunedThresholdClassifier

ece = expected_calibration_error

__all__ = [
    "BetaCalibration",
    "CalibratedClassifier",
    "PriorCorrectedClassifier",
    "brier_score",
    "ece",
    "expected_calibration_error",
    "prior_shift",
    "reliability_curve",
    "undersampling_correction",
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
