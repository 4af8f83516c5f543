"""Utilities shared across imbtool: the estimator registry and optional-dependency flags."""

from ._aligned import resample_aligned
from ._discovery import all_estimators

__all__ = ["all_estimators", "resample_aligned"]
