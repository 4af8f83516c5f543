"""Synthetic imbalanced data for scale tests, where no real set is large enough."""

from numbers import Integral, Real

import numpy as np
from sklearn.datasets import make_classification
from sklearn.utils import check_random_state


def _check_range(value, name, low, high, *, closed_low=True, closed_high=True):
    if not isinstance(value, Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}.")
    above = value >= low if closed_low else value > low
    below = value <= high if closed_high else value < high
    if not (above and below):
        left, right = "[" if closed_low else "(", "]" if closed_high else ")"
        raise ValueError(f"{name} must be in {left}{low}, {high}{right}; got {value!r}.")


def make_imbalanced_classification(n_samples=10_000, n_features=20, minority_share=0.01,
                                   overlap=0.5, noise=0.0, *, dtype=np.float64,
                                   random_state=None):
    """Generate a binary problem with an exact minority share.

    A thin layer over :func:`sklearn.datasets.make_classification` (two
    informative Gaussian clusters per class, redundant and noise features) that
    speaks in the terms of imbalanced learning.

    Parameters
    ----------
    n_samples : int, default=10_000
        Rows in total.
    n_features : int, default=20
        Columns; ``min(n_features, 5)`` are informative, a quarter of the rest
        are redundant combinations of them, the others are noise.
    minority_share : float in (0, 0.5], default=0.01
        Fraction of rows in the minority class (coded 1). The minority count is
        ``max(1, round(minority_share * n_samples))``, before label noise.
    overlap : float in [0, 1), default=0.5
        How much the classes overlap: 0 gives well separated clusters
        (``class_sep=2``), values near 1 nearly the same centres
        (``class_sep = 2 * (1 - overlap)``).
    noise : float in [0, 1), default=0.0
        Fraction of rows whose label is drawn again at random
        (``make_classification``'s ``flip_y``).
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64
        Dtype of ``X``.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible output.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), int64, minority class 1

    Examples
    --------
    >>> from imbtool.datasets import make_imbalanced_classification
    >>> X, y = make_imbalanced_classification(1000, 5, minority_share=0.05, random_state=0)
    >>> X.shape, int(y.sum())
    ((1000, 5), 50)
    """
    for value, name, low in ((n_samples, "n_samples", 2), (n_features, "n_features", 1)):
        if not isinstance(value, Integral) or isinstance(value, bool) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}; got {value!r}.")
    _check_range(minority_share, "minority_share", 0, 0.5, closed_low=False)
    _check_range(overlap, "overlap", 0, 1, closed_high=False)
    _check_range(noise, "noise", 0, 1, closed_high=False)
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise ValueError(f"dtype must be numpy.float32 or numpy.float64; got {dtype!r}.")

    n_minority = max(1, round(minority_share * n_samples))
    n_informative = min(n_features, 5)
    n_redundant = (n_features - n_informative) // 4
    # Two clusters per class need 2 * 2 <= 2**n_informative; one feature allows one.
    n_clusters = 2 if n_informative >= 2 else 1
    rng = check_random_state(random_state)
    X, y = make_classification(
        n_samples=n_samples, n_features=n_features, n_informative=n_informative,
        n_redundant=n_redundant, n_repeated=0, n_classes=2,
        n_clusters_per_class=n_clusters, weights=[1 - n_minority / n_samples],
        flip_y=0.0, class_sep=2.0 * (1.0 - overlap), random_state=rng,
    )
    y = y.astype(np.int64)
    # make_classification rounds the per-cluster counts; fix the minority count exactly.
    minority = np.flatnonzero(y == 1)
    if minority.size != n_minority:
        majority = np.flatnonzero(y == 0)
        if minority.size > n_minority:
            y[rng.choice(minority, minority.size - n_minority, replace=False)] = 0
        else:
            y[rng.choice(majority, n_minority - minority.size, replace=False)] = 1
    if noise > 0:
        flip = rng.random_sample(n_samples) < noise
        y[flip] = rng.randint(0, 2, size=int(flip.sum()))
    return X.astype(dtype, copy=False), y
