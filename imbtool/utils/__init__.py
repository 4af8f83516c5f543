"""Utilities shared across imbtool: the estimator registry, the positive class of binary
labels, the order in which classes sharing a random stream are visited, optional-dependency
flags and the base class of imbtool's warnings."""

from ._aligned import resample_aligned
from ._class_order import class_visit_order
from ._discovery import all_estimators
from ._pos_label import resolve_pos_label
from ._warnings import ImbtoolWarning

__all__ = [
    "ImbtoolWarning",
    "all_estimators",
    "class_visit_order",
    "resample_aligned",
    "resolve_pos_label",
]
