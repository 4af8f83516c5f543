"""Class sizes measured by total sample weight instead of rows (``class_counts="weight"``).

imbalanced-learn turns ``sampling_strategy`` into row counts from the number
of rows per class. With weights, class ``c`` (``n_c`` rows, total weight
``W_c``, mean weight ``m_c = W_c / n_c``) has size ``W_c``, and the same rule
is applied to the totals expressed in rows of the class being resampled,
``W_j / m_c``; :func:`row_strategy` returns the equivalent row-count strategy,
which the sampler then runs unchanged.
"""

import os
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from imblearn.utils import check_sampling_strategy
from sklearn.utils._param_validation import InvalidParameterError
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


def _whole(strategy):
    """A dict strategy with every count a whole number (``int``); else a clear error."""
    counts = {}
    for label, value in strategy.items():
        if isinstance(value, Integral) or (
                isinstance(value, Real) and np.isfinite(value) and float(value).is_integer()):
            counts[label] = int(value)
        else:
            raise InvalidParameterError(
                "sampling_strategy as a dict maps each class to a whole number of rows; class "
                f"{label!r} has {value!r}. Give a whole number (e.g. {label!r}: "
                f"{int(np.floor(value)) if isinstance(value, Real) and np.isfinite(value) else 0}"
                "), or use a float ratio, which is truncated to whole rows."
            )
    return counts


def check_whole_counts(strategy, y, sampling_type):
    """``strategy`` with a dict's (or a callable's dict's) counts checked to be whole numbers.

    One rule for every sampler: counts in a dict are rows, so 2.5 is an
    ``InvalidParameterError`` naming ``sampling_strategy`` and the class, and
    30.0 is 30; a float ratio keeps imbalanced-learn's ``int`` truncation. A
    callable is wrapped, so samplers that call it on subsets check it too.
    """
    if sampling_type == "clean-sampling":
        return strategy
    if isinstance(strategy, Mapping):
        return _whole(strategy)
    if callable(strategy) and not getattr(strategy, "_whole_counts", False):
        def whole_counts(y, **kwargs):
            result = strategy(y, **kwargs)
            return _whole(result) if isinstance(result, Mapping) else result

        whole_counts._whole_counts = True
        whole_counts.__wrapped__ = strategy
        return whole_counts
    return strategy


# The environment variable that sets (in bytes; "none": no limit) the largest output an
# over-sampler may allocate; by default the memory the system reports as available.
MAX_OUTPUT_BYTES_ENV = "IMBTOOL_MAX_OUTPUT_BYTES"


def available_memory():
    """Bytes of memory available now (Linux: MemAvailable), or None when not knowable."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def output_limit():
    """The byte limit of one sampler output: the environment variable, else available memory."""
    value = os.environ.get(MAX_OUTPUT_BYTES_ENV)
    if value is not None:
        if value.strip().lower() in ("none", "", "0"):
            return None
        return int(float(value))
    return available_memory()


class OutputSizeError(ValueError, MemoryError):
    """The requested output does not fit in memory (a ValueError and a MemoryError)."""


def check_output_size(sampling_strategy, sampling_type, X):
    """Refuse, before allocation, an over-sampled output larger than :func:`output_limit`.

    The output has ``n_samples + sum(sampling_strategy_.values())`` rows of
    ``n_features`` values of X's itemsize (dense; for sparse X, the mean
    stored entries per row of value and index). Under-samplers and cleaners
    never output more rows than they get.
    """
    if sampling_type != "over-sampling" or not isinstance(sampling_strategy, Mapping):
        return
    n_samples, n_features = X.shape[0], (X.shape[1] if len(X.shape) > 1 else 1)
    rows = n_samples + sum(max(int(v), 0) for v in sampling_strategy.values())
    if sp.issparse(X):
        per_row = (X.nnz / max(n_samples, 1)) * (X.dtype.itemsize + 4)
    elif hasattr(X, "dtypes"):
        per_row = sum(getattr(d, "itemsize", 8) for d in X.dtypes)
    else:
        per_row = n_features * getattr(getattr(X, "dtype", None), "itemsize", 8)
    size = rows * per_row
    limit = output_limit()
    if limit is None or size <= limit:
        return
    raise OutputSizeError(
        f"sampling_strategy asks for {rows:,} output rows ({size / 2**30:,.1f} GiB for "
        f"{n_features} features), more than the {limit / 2**30:,.1f} GiB of memory available. "
        "Ask for fewer rows (a smaller sampling_strategy, e.g. a float ratio <= 1 or smaller "
        "dict counts), or resample a subset; to allow it anyway set the environment variable "
        f"{MAX_OUTPUT_BYTES_ENV} (bytes, or 'none')."
    )
