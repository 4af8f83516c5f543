"""Utilities shared across imbtool: the estimator registry and optional-dependency flags."""

from ._discovery import all_estimators

__all__ = ["all_estimators"]
