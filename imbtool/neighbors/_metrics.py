"""Metric ids of the neighbour engine, shared by its kernels and its numpy path."""

EUCLIDEAN = 0
MANHATTAN = 1
MIXED = 2
