"""Class sizes measured by total sample weight instead of rows (``class_counts="weight"``).

imbalanced-learn turns ``sampling_strategy`` into row counts from the number
of rows per class. With weights, class ``c`` (``n_c`` rows, total weight
``W_c``, mean weight ``m_c = W_c / n_c``) has size ``W_c``, and the same rule
is applied to the totals expressed in rows of the class being resampled,
``W_j / m_c``; :func:`row_strategy` returns the equivalent row-count strategy,
which the sampler then runs unchanged.
"""

from collections.abc import Mapping
from numbers import Real

import numpy as np
from imblearn.utils import check_sampling_strategy
from sklearn.utils.validation import _check_sample_weight

# A total within this relative distance of a whole number of rows is that number,
# so equal weights give exactly the row-counting result despite rounding in the sums.
_SNAP = 1e-9


def check_weight(sample_weight, X):
    """Float64 weights, one per row of ``X``, finite and >= 0; errors name sample_weight."""
    weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
    if not np.all(np.isfinite(weight)):
        raise ValueError("sample_weight must be finite; it contains NaN or infinite values.")
    return weight


def _selected(strategy, classes, total, sampling_type):
    """Classes a string strategy targets, minority and majority taken by total weight."""
    heavy, light = classes[np.argmax(total)], classes[np.argmin(total)]
    if strategy == "auto":
        strategy = "not majority" if sampling_type == "over-sampling" else "not minority"
    excluded = {"all": (), "not minority": (light,), "not majority": (heavy,)}
    if strategy in excluded:
        return [c for c in classes.tolist() if c not in excluded[strategy]]
    return [light if strategy == "minority" else heavy]


def row_strategy(strategy, y, weight, sampling_type):
    """The row-count ``sampling_strategy`` equal to ``strategy`` with classes measured by weight.

    Every total weight ``T`` is turned into rows of the class ``c`` it is
    compared with, ``T / m_c``, and imbalanced-learn's formula is applied to
    those sizes (``int`` truncation included): a string strategy brings the
    classes it selects (minority/majority by total weight) to the heaviest
    (over-sampling) or lightest (under-sampling) total; a float ``r`` brings
    the lightest class to ``r`` times the heaviest total (over-sampling) or
    the heaviest class to the lightest total over ``r`` (under-sampling); dict
    values, also a callable's, are target total weights.

    Parameters
    ----------
    strategy : float, str, dict, list or callable
        The sampler's ``sampling_strategy``.
    y : ndarray of shape (n_samples,)
    weight : ndarray of shape (n_samples,)
        Validated by :func:`check_weight`.
    sampling_type : {"over-sampling", "under-sampling", "clean-sampling"}

    Returns
    -------
    dict or list
        ``{class: rows after resampling}`` for over- and under-samplers, the
        targeted classes (a list) for cleaning samplers.
    """
    classes, codes = np.unique(y, return_inverse=True)
    rows = np.bincount(codes, minlength=classes.size)
    total = np.bincount(codes, weights=weight, minlength=classes.size)
    if np.any(total <= 0):
        raise ValueError(
            "class_counts='weight' measures each class by its total sample_weight, but class "
            f"{classes[np.argmin(total)]!r} has total weight 0; give it positive weights or "
            "use class_counts='rows'."
        )
    if callable(strategy):
        strategy = strategy(y)
    position = {c: i for i, c in enumerate(classes.tolist())}

    def in_rows(target, label):
        """A total weight in rows of ``label``'s mean weight, snapped to a whole count."""
        size = target * rows[position[label]] / total[position[label]]
        nearest = np.round(size)
        return float(nearest if abs(size - nearest) <= _SNAP * max(1.0, size) else size)

    over = sampling_type == "over-sampling"
    if isinstance(strategy, str):
        # imbalanced-learn's errors for a string the sampler cannot take.
        check_sampling_strategy(strategy, y, sampling_type)
        chosen = _selected(strategy, classes, total, sampling_type)
        if sampling_type == "clean-sampling":
            return chosen
        level = total.max() if over else total.min()
        sizes = {label: in_rows(level, label) for label in chosen}
    elif isinstance(strategy, Real) and sampling_type != "clean-sampling":
        if classes.size != 2:
            raise ValueError("sampling_strategy can be a float only when the target is binary; "
                             "for more classes, use a dict.")
        if over:
            label = classes[np.argmin(total)].item()
            sizes = {label: in_rows(total.max(), label) * strategy}
        else:
            label = classes[np.argmax(total)].item()
            sizes = {label: in_rows(total.min(), label) / strategy}
    elif isinstance(strategy, Mapping) and sampling_type != "clean-sampling":
        unknown = set(strategy) - set(position)
        if unknown or any(value < 0 for value in strategy.values()):
            raise ValueError(
                "sampling_strategy as a dict maps classes of y to target total weights >= 0 "
                f"(class_counts='weight'); got {dict(strategy)!r} for classes "
                f"{classes.tolist()!r}."
            )
        sizes = {label: in_rows(value, label) for label, value in strategy.items()}
    else:
        return strategy  # a list of classes, or a kind the row rule rejects with its message
    counts = {}
    for label, size in sizes.items():
        n = int(rows[position[label]])
        change = int(size - n) if over else int(size)
        if over and (change < 0 or (change == 0 and isinstance(strategy, Real))):
            raise ValueError(
                f"sampling_strategy asks class {label!r} for {size:g} rows of its mean weight, "
                f"not more than its {n}; over-samplers only add rows."
            )
        if not over and change > n:
            raise ValueError(
                f"sampling_strategy asks class {label!r} for {size:g} rows of its mean weight, "
                f"more than its {n}; under-samplers only remove rows."
            )
        counts[label] = n + change if over else change
    return counts
