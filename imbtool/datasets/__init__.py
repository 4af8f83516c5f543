"""Real imbalanced data sets, shipped and read offline, and generators for scale tests."""

from ._generators import make_imbalanced_classification
from ._loaders import (
    list_datasets,
    list_regression_datasets,
    load_dataset,
    load_regression_dataset,
)

__all__ = [
    "list_datasets",
    "list_regression_datasets",
    "load_dataset",
    "load_regression_dataset",
    "make_imbalanced_classification",
]
