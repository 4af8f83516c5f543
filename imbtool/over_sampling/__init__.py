"""Over-samplers: the SMOTE family on the numba neighbour engine."""

__all__ = []
