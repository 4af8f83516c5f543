"""What imbtool's neighbour-based under-samplers share on top of imbalanced-learn's bases."""

import numbers

import numpy as np
from imblearn.utils import check_sampling_strategy
from sklearn.utils import _safe_indexing
from ..pipeline._guard import PlainPipelineGuardMixin


class DenseSamplerMixin(PlainPipelineGuardMixin):
    """Dense input (the neighbour engine's), class codes and the selected rows.

    Placed before an imbalanced-learn base class, it narrows input validation
    to dense arrays, so sparse input gets scikit-learn's message saying to
    call ``.toarray()``.
    """

    def _check_X_y(self, X, y, accept_sparse=None):
        return super()._check_X_y(X, y, accept_sparse=False)

    def _select(self, X, y, indices):
        self.sample_indices_ = np.asarray(indices, dtype=np.intp)
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.sampler_tags.sample_indices = True
        return tags


def uses_engine(n_neighbors):
    """True when a neighbours parameter is a count (the fast path), not an estimator."""
    return isinstance(n_neighbors, numbers.Integral) and not isinstance(n_neighbors, bool)


def targeted_classes(sampling_strategy, y, classes, sampling_type="clean-sampling"):
    """Boolean mask over ``classes`` of those ``sampling_strategy`` resamples in ``y``."""
    strategy = check_sampling_strategy(sampling_strategy, y, sampling_type)
    return np.isin(classes, list(strategy))
