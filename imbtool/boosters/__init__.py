"""Gradient-boosted trees with imbalance-aware losses and class weights, on CPU or GPU.

``LGBMImbalancedClassifier`` (LightGBM) and ``XGBImbalancedClassifier``
(XGBoost, optional extra ``xgboost``) bundle a booster, a loss from
``imbtool.cost`` or class weights, and a ``device`` choice.
"""

from ._lightgbm import LGBMImbalancedClassifier
from ._xgboost import XGBImbalancedClassifier

__all__ = ["LGBMImbalancedClassifier", "XGBImbalancedClassifier"]
