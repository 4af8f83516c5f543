"""Imbalanced regression: relevance of rare target values and density weights."""

from ._relevance import dense_weight, relevance, relevance_control_points

__all__ = ["dense_weight", "relevance", "relevance_control_points"]
