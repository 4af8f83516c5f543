"""Exact rescaling by a power of two, for arithmetic that only holds at moderate scales.

Multiplying every value by ``2^s`` is exact in binary floating point (as
long as nothing leaves the normal range), and it commutes with every
rounding of a sum, product, square root or comparison: a computation on
``X * 2^s`` is the computation on ``X``, scaled. What breaks that at extreme
scales is underflow and overflow of intermediate values (squared
differences vanish below ~1e-154 in float64, ~1e-19 in float32) and
absolute constants of other libraries (scikit-learn's trees copy X to
float32 and ignore splits between values closer than 1e-7; OPTICS rounds
core distances to 15 decimals). Such computations run on a copy scaled so
that its largest magnitude lies in [1/2, 1), and their results are scaled
back; the neighbour engine does the same for searches whose span is tiny.
"""

import math

import numpy as np
import scipy.sparse as sp

__all__ = ["BAND", "UNIT", "check_reach", "check_span", "ldexp", "max_abs", "output_at_scale",
           "scale_param", "scaled_std", "unit_shift"]

# Largest magnitudes within [2^-32, 2^32) (about 2.3e-10 to 4.3e9, raw
# measurements in everyday units) are used in place, so results there are
# those of the computation on X itself (e.g. imbalanced-learn's). Differences
# down to float32's resolution (2^-24) of such values still square to at
# least (2^-32 * 2^-24)^2 = 2^-112, a normal float32 (>= 2^-126), and squares
# of 2^32 summed over up to 2^60 columns stay below float32's 2^128: float32
# is the narrower of the two dtypes the samplers compute in.
BAND = (2.0**-32, 2.0**32)
# The band of a computation that is right at unit scale only: every X is scaled.
UNIT = (0.5, 1.0)


def unit_shift(magnitude, band=BAND):
    """The exponent ``s`` with ``magnitude * 2^s`` in [1/2, 1), or 0 where no scaling is needed.

    0 where ``magnitude`` is 0, not finite, or within ``band`` = [low, high).
    """
    low, high = band
    if not 0.0 < magnitude < math.inf or low <= magnitude < high:
        return 0
    return -math.frexp(magnitude)[1]


def max_abs(X):
    """Largest magnitude of a dense or sparse float array (0 for an empty one)."""
    if sp.issparse(X):
        return float(abs(X).max()) if X.nnz else 0.0
    return float(np.max(np.abs(X), initial=0.0))


def ldexp(X, shift):
    """``X * 2^shift``, dense or sparse, exactly (up to rounding where it is subnormal)."""
    if shift == 0:
        return X
    # np.ldexp, not a product: 2^shift itself overflows for shifts beyond 1023.
    if sp.issparse(X):
        X = X.copy()
        X.data = np.ldexp(X.data, shift)
        return X
    return np.ldexp(X, shift)


def check_reach(low, high, name="X"):
    """A ValueError naming ``name`` when distances within the box [low, high] overflow float64.

    Finite values can still be too far apart: beyond ~1e154 the squared
    distances are inf, every candidate ties and no neighbour is defined.
    """
    span = high - low
    with np.errstate(over="ignore", invalid="ignore"):
        reach = float(span @ span)
    if not np.isfinite(reach):
        raise ValueError(
            f"Invalid {name} for imbtool.neighbors: its columns span up to {np.max(span):.3g}, so "
            "squared distances between rows overflow float64 and no neighbour is defined; scale "
            "the features first, e.g. with sklearn.preprocessing.StandardScaler."
        )


def check_span(X, name="X"):
    """:func:`check_reach` on the columns of a dense or sparse float array."""
    if X.shape[0] == 0:
        return
    low, high = X.min(axis=0), X.max(axis=0)
    if sp.issparse(X):
        low, high = low.toarray().ravel(), high.toarray().ravel()
    check_reach(np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64), name)


def scale_param(value, shift):
    """A parameter in the units of X (``shift``) or of 1 / X (``-shift``), at the copy's scale.

    Beyond float64's range it is inf (or 0): the value is beyond every distance.
    """
    with np.errstate(over="ignore", under="ignore"):
        return float(np.ldexp(value, shift))


def scaled_std(X, axis=0):
    """``np.std(X, axis)`` without underflow or overflow of the squared deviations.

    Computed at unit scale where the largest magnitude of ``X`` is outside
    :data:`BAND` and scaled back (exact up to one rounding where the result
    is subnormal); NaN propagates as in ``np.std``.
    """
    X = np.asarray(X)
    shift = unit_shift(float(np.nanmax(np.abs(X), initial=0.0)) if X.size else 0.0)
    return ldexp(np.std(ldexp(X, shift), axis=axis), -shift)


def output_at_scale(X, X_res, indices, shift):
    """A sampler's output computed on ``X * 2^shift``, brought back to the scale of ``X``.

    The first ``len(indices)`` rows are ``X[indices]``, exactly (copied rows);
    the others (synthetic rows, centroids) are scaled back by ``2^-shift``,
    exactly unless they are subnormal.
    """
    if shift == 0:
        return X_res
    new = ldexp(X_res[len(indices):], -shift)
    if sp.issparse(X_res):
        return sp.vstack([X[indices], new], format=X_res.format)
    return np.concatenate([X[indices], new.astype(X_res.dtype, copy=False)])
