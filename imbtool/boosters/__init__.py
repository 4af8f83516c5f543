"""Gradient-boosted trees with imbalance-aware losses and class weights, on CPU or GPU."""

from ._lightgbm import LGBMImbalancedClassifier

__all__ = ["LGBMImbalancedClassifier"]
