"""Imbalanced regression: relevance of rare target values, density weights and samplers."""

from ..utils._relevance import dense_weight, relevance, relevance_control_points
from ._base import BaseRegressionSampler
from ._smoter import SMOTER, GaussNoise

__all__ = ["SMOTER", "BaseRegressionSampler", "GaussNoise", "dense_weight", "relevance",
           "relevance_control_points"]
