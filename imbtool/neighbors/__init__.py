"""The numba nearest-neighbour engine under every neighbour-based method in imbtool."""

from ._functions import kneighbors, nearest_other_class
from ._nearest import NearestNeighbors

__all__ = ["NearestNeighbors", "kneighbors", "nearest_other_class"]
