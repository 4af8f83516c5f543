"""Utilities shared across imbtool: the estimator registry, the positive class of binary
labels and optional-dependency flags."""

from ._aligned import resample_aligned
from ._discovery import all_estimators
from ._pos_label import resolve_pos_label

__all__ = ["all_estimators", "resample_aligned", "resolve_pos_label"]
