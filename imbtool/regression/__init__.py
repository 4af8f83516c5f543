"""Imbalanced regression: relevance of rare target values, density weights and samplers.

The samplers take a continuous ``y`` and cut it into rare and normal bumps by
relevance (:func:`relevance`): :class:`SMOTER`, :class:`SMOGN`, :class:`GaussNoise`,
:class:`RelevanceUnderSampler`, :class:`RelevanceOverSampler` and
:class:`WERCS`. :class:`REBAGGRegressor` bags a regressor over resamples that
balance rare and normal targets. :func:`dense_weight` gives DenseWeight sample
weights. The metrics (SERA, rare-target F1, ...) are in :mod:`imbtool.metrics`.
"""

from ..utils._relevance import dense_weight, relevance, relevance_control_points
from ._base import BaseRegressionSampler
from ._random import WERCS, RelevanceOverSampler, RelevanceUnderSampler
from ._rebagg import REBAGGRegressor
from ._smoter import SMOGN, SMOTER, GaussNoise

__all__ = [
    "REBAGGRegressor",
    "SMOGN",
    "SMOTER",
    "WERCS",
    "BaseRegressionSampler",
    "GaussNoise",
    "RelevanceOverSampler",
    "RelevanceUnderSampler",
    "dense_weight",
    "relevance",
    "relevance_control_points",
]
