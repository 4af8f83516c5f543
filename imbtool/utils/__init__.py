"""Utilities shared across imbtool: the estimator registry, the positive class of binary
labels, optional-dependency flags and the base class of imbtool's warnings."""

from ._aligned import resample_aligned
from ._discovery import all_estimators
from ._pos_label import resolve_pos_label
from ._warnings import ImbtoolWarning

__all__ = ["ImbtoolWarning", "all_estimators", "resample_aligned", "resolve_pos_label"]
