"""Random under-sampling."""

import numpy as np
from imblearn.under_sampling.base import BaseUnderSampler
from imblearn.utils._validation import _check_X
from sklearn.utils import _safe_indexing, check_random_state

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..utils._class_order import class_visit_order


class RandomUnderSampler(BaseSampler, BaseUnderSampler):
    """Keep a random subset of each resampled class.

    Draws exactly what imbalanced-learn's ``RandomUnderSampler`` draws for the
    same ``random_state`` (one ``RandomState.choice`` per resampled class)
    where the classes first appear in ``y`` in sorted order, so
    ``sample_indices_`` are identical; otherwise the classes draw in the order
    of their first row in ``y``, which no renaming of the classes changes
    (:func:`imbtool.utils.class_visit_order`). Accepts any
    2-D input, NaN and strings included, since it never looks at X.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Target counts, as in imbalanced-learn's under-samplers.
    random_state : int, RandomState instance or None, default=None
    replacement : bool, default=False
        Draw with replacement.
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    sample_indices_ : ndarray of shape (n_new_samples,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import RandomUnderSampler
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 0).sum() == (y_res == 1).sum())
    True
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "replacement": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False,
                 class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.replacement = replacement

    _check_X_options = None  # imbalanced-learn's permissive check of X (any dtype, NaN allowed)

    def _check_X(self, X):
        return _check_X(X)

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        classes = np.unique(y).tolist()
        chosen = {label: np.flatnonzero(y == label) for label in classes}
        # One stream for every class: drawn in an order no renaming of the classes changes
        # (imbtool.utils.class_visit_order); the output keeps the blocks in sorted order.
        for target_class in class_visit_order(y, self.sampling_strategy_):
            rows = chosen[target_class]
            chosen[target_class] = rows[random_state.choice(
                range(rows.size), size=self.sampling_strategy_[target_class],
                replace=self.replacement)]
        self.sample_indices_ = np.concatenate([chosen[label] for label in classes])
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.sparse = True  # rows are picked or copied, never computed
        return tags
