"""Helpers of imbtool's neighbour-based under-samplers.

Their base is :class:`imbtool.base.BaseSampler`.
"""

import numbers

import numpy as np
from imblearn.utils import check_sampling_strategy


def uses_engine(n_neighbors):
    """True when a neighbours parameter is a count (the fast path), not an estimator."""
    return isinstance(n_neighbors, numbers.Integral) and not isinstance(n_neighbors, bool)


def targeted_classes(sampling_strategy, y, classes, sampling_type="clean-sampling"):
    """Boolean mask over ``classes`` of those ``sampling_strategy`` resamples in ``y``."""
    strategy = check_sampling_strategy(sampling_strategy, y, sampling_type)
    return np.isin(classes, list(strategy))
