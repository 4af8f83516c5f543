"""Tomek links: remove rows that are mutual nearest neighbours of another class."""

import numbers

import numpy as np
from imblearn.under_sampling.base import BaseCleaningSampler

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ._base import targeted_classes
from ._cleaning import tomek_mask, warn_emptied


class TomekLinks(BaseSampler, BaseCleaningSampler):
    """Remove the targeted ends of Tomek links.

    Two rows of different classes form a Tomek link when each is the other's
    nearest neighbour. Returns the rows imbalanced-learn's ``TomekLinks``
    returns, searching nearest neighbours only for the rows outside the
    largest class and for the largest-class rows they point at, instead of
    for every row.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes whose linked rows are removed: ``"auto"`` (= ``"not
        minority"``), ``"majority"``, ``"not majority"``, ``"all"``, a list of
        classes, or a callable of ``y``.
    n_jobs : int, default=None
        Threads of the neighbour search; the result never depends on it.
        ``None`` and ``-1`` use every core available (threads inside one call,
        as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How the minority and majority that a string ``sampling_strategy``
        names are found: by rows (imbalanced-learn's rule) or, with
        ``"weight"``, by total ``sample_weight`` given to ``fit_resample``
        (its Notes define the rule); the cleaning rule itself counts no
        class.

    Attributes
    ----------
    sampling_strategy_ : dict
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows kept, in increasing order.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    Equal distances are ordered by the lower row index; only with tied
    distances can the result differ from imbalanced-learn's. Sparse input is
    not supported.

    References
    ----------
    .. [1] I. Tomek, "Two Modifications of CNN", IEEE Transactions on Systems,
       Man, and Cybernetics, 6(11), 769-772, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.under_sampling import TomekLinks
    >>> X = np.array([[0.0], [1.0], [1.4], [3.0], [4.0]])
    >>> y = np.array([0, 0, 1, 0, 0])
    >>> tl = TomekLinks()
    >>> X_res, y_res = tl.fit_resample(X, y)
    >>> tl.sample_indices_.tolist()
    [0, 2, 3, 4]
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        classes, codes = np.unique(y, return_inverse=True)
        targeted = np.isin(classes, list(self.sampling_strategy_))
        remove = tomek_mask(X, codes, self.n_jobs) & targeted[codes]
        kept = np.flatnonzero(~remove)
        warn_emptied(y[kept], y, type(self).__name__)
        return self._select(X, y, kept)


def tomek_kept(X, y, sampling_strategy, n_jobs=None):
    """Rows :class:`TomekLinks` keeps, for the samplers that clean with it."""
    classes, codes = np.unique(y, return_inverse=True)
    targeted = targeted_classes(sampling_strategy, y, classes)
    return np.flatnonzero(~(tomek_mask(X, codes, n_jobs) & targeted[codes]))
