"""Real imbalanced data sets, shipped and read offline, and generators for scale tests."""

from ._generators import make_imbalanced_classification
from ._loaders import list_datasets, load_dataset

__all__ = ["list_datasets", "load_dataset", "make_imbalanced_classification"]
