"""Plots for imbalanced learning, as scikit-learn-style Display objects.

Each display has ``from_estimator`` (fitted models, or a sampler for
:class:`ResamplingDisplay`), a data counterpart (``from_predictions``,
``from_resampled``, ``from_scores``, ``from_evals_result``) and
``plot(ax=...)``; the drawn artists are kept as attributes ending in ``_``.
Needs matplotlib (``pip install 'imbtool[plot]'``), imported only when a plot
is drawn.
"""

from ._compare import CalibrationDisplay, PrecisionRecallComparisonDisplay
from ._critical_difference import CriticalDifferenceDisplay
from ._ensemble import RemedyEnsembleDisplay
from ._remedy import RemedyScoresDisplay
from ._resampling import ResamplingDisplay
from ._threshold import ThresholdCurveDisplay
from ._training import TrainingCurveDisplay

__all__ = [
    "CalibrationDisplay",
    "CriticalDifferenceDisplay",
    "PrecisionRecallComparisonDisplay",
    "RemedyEnsembleDisplay",
    "RemedyScoresDisplay",
    "ResamplingDisplay",
    "ThresholdCurveDisplay",
    "TrainingCurveDisplay",
]
