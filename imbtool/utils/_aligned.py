"""Carry row-aligned arrays (weights, groups, ids, costs) through a fitted sampler."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

RULES = ("seed", "interpolate")


def _take(array, rows):
    if hasattr(array, "iloc"):
        return array.iloc[rows]
    return np.asarray(array)[rows]


def resample_aligned(sampler, array, *, rule="seed"):
    """Resample an array aligned with the rows a sampler was fitted on.

    After ``sampler.fit_resample(X, y)``, the output holds the input rows
    ``sampler.sample_indices_`` first, then one synthetic row per row of
    ``sampler.synthetic_sources_`` (``[seed, partner]``, ``partner`` -1 when
    the method uses none). This function gives ``array`` the same layout: kept
    rows keep their value; a synthetic row takes its seed's value
    (``rule="seed"``, the default, right for groups and ids) or, for numeric
    arrays, the value interpolated like the features were
    (``rule="interpolate"``: ``seed + step * (partner - seed)`` with the
    sampler's ``synthetic_steps_``; rows without a partner take the seed's
    value), e.g. for weights or costs. Every imbtool sampler records this
    layout; those whose synthetic rows are not two-row interpolations
    (centroids, the smoothed bootstrap, G-SMOTE, SMOTE-N, ...) record no
    steps, and their docstrings say what their sources mean.

    Parameters
    ----------
    sampler : fitted imbtool sampler
        Must have ``sample_indices_`` (and ``synthetic_sources_`` if it made rows).
    array : array-like of shape (n_samples,) or (n_samples, n_columns)
        Aligned with the ``X`` given to ``fit_resample``; numpy arrays, lists,
        pandas Series and DataFrames. pandas input gives pandas output with a
        fresh ``RangeIndex``. Its length must be the sampler's
        ``n_samples_fit_`` (every imbtool sampler records it); for a sampler
        without it, only an array too short for the recorded row indices can
        be rejected.
    rule : {"seed", "interpolate"}, default="seed"
        Value of a synthetic row.

    Returns
    -------
    resampled : ndarray, Series or DataFrame
        One entry per output row of the sampler.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.over_sampling import SMOTE
    >>> from imbtool.utils import resample_aligned
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> weight = np.linspace(1, 2, len(y))
    >>> smote = SMOTE(random_state=0)
    >>> X_res, y_res = smote.fit_resample(X, y)
    >>> resample_aligned(smote, weight).shape == y_res.shape
    True
    """
    check_is_fitted(sampler, "sample_indices_")
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}; got {rule!r}.")
    kept = np.asarray(sampler.sample_indices_)
    sources = np.asarray(getattr(sampler, "synthetic_sources_", np.empty((0, 2), np.int64)))
    if not hasattr(array, "__len__"):
        raise TypeError(f"array must be array-like; got {type(array).__name__}.")
    length = len(array)
    expected = getattr(sampler, "n_samples_fit_", None)
    if expected is not None and length != expected:
        raise ValueError(
            f"array has {length} rows but {type(sampler).__name__} was fitted on {expected}; "
            "pass the array aligned with the X given to fit_resample."
        )
    seeds = sources[:, 0] if sources.size else np.empty(0, dtype=np.int64)
    rows = np.concatenate([kept, seeds]).astype(np.int64, copy=False)
    if expected is None and rows.size and rows.max() >= length:
        raise ValueError(
            f"array has {length} rows but the sampler was fitted on at least {rows.max() + 1}; "
            "pass the array aligned with the X given to fit_resample."
        )
    if rule == "interpolate" and len(seeds):
        out = _interpolate(sampler, array, kept, sources)
    else:
        out = _take(array, rows)
    if hasattr(out, "reset_index"):
        out = out.reset_index(drop=True)
    return out


def _interpolate(sampler, array, kept, sources):
    values = np.asarray(array)
    if not np.issubdtype(values.dtype, np.number) or values.dtype == bool:
        raise ValueError(
            f"rule='interpolate' needs a numeric array; got dtype {values.dtype}. Use "
            "rule='seed' for labels, groups and ids."
        )
    steps = getattr(sampler, "synthetic_steps_", None)
    name = type(sampler).__name__
    if steps is None:
        raise ValueError(
            f"rule='interpolate' needs the interpolation weights synthetic_steps_, which "
            f"{name} does not record: its synthetic rows are not interpolated between two "
            "input rows (its docstring says how they are made); use rule='seed'."
        )
    if np.ndim(steps) != 1:
        raise ValueError(
            f"rule='interpolate' needs one step per synthetic row, but {name} interpolates "
            "each feature with its own step (synthetic_steps_ has one column per feature); "
            "use rule='seed'."
        )
    seed, partner = sources[:, 0], sources[:, 1]
    has_partner = partner >= 0
    step = np.where(has_partner, np.asarray(steps, dtype=np.float64), 0.0)
    if values.ndim == 2:
        step = step[:, None]
    # Written in place into the output: at 10^6 rows every temporary costs page faults.
    result = np.empty((kept.size + seed.size,) + values.shape[1:], dtype=np.float64)
    result[:kept.size] = values[kept]
    synthetic = result[kept.size:]
    synthetic[...] = values[np.where(has_partner, partner, seed)]
    seed_values = values[seed]
    synthetic -= seed_values
    synthetic *= step
    synthetic += seed_values
    if hasattr(array, "iloc"):
        return type(array)(result, **({"columns": array.columns} if result.ndim == 2 else
                                      {"name": array.name}))
    return result
