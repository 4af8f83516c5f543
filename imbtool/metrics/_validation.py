"""Input checks shared by the metrics: one place for the messages users see."""

import numpy as np


def _as_1d(values, name):
    array = np.asarray(values)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array.ravel()
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {array.shape}.")
    return array


def check_same_length(**arrays):
    """Raise a ValueError naming the arrays whose lengths differ."""
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"Inputs must have the same number of samples: {described}.")


def check_label_pair(y_true, y_pred, sample_weight=None):
    """Validate ``(y_true, y_pred)`` of hard labels; return them as 1-D arrays."""
    y_true = _as_1d(y_true, "y_true")
    y_pred = _as_1d(y_pred, "y_pred")
    check_same_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    if len(y_true) == 0:
        raise ValueError("y_true is empty; metrics need at least one sample.")
    return y_true, y_pred


def resolve_pos_label(labels, pos_label):
    """Return the positive label for the sorted unique ``labels`` of ``y_true``.

    ``pos_label=None`` means 1 when the labels are {0, 1} or {-1, 1} (or a
    subset), else the greater of two labels -- the column scikit-learn's
    scorers pass as ``classes_[1]``. This is the rule of the metric functions
    called directly; the scorers of :func:`imbtool.metrics.get_scorer` and
    the estimators pass an explicit ``pos_label``, the minority class, from
    :func:`imbtool.utils.resolve_pos_label`.
    """
    if pos_label is None:
        if set(labels.tolist()) <= {0, 1} or set(labels.tolist()) <= {-1, 1}:
            return 1
        if len(labels) == 2:
            return labels[1]
        raise ValueError(
            f"y_true holds only the label {labels.tolist()}; pass pos_label= to say "
            "which class is positive."
        )
    if len(labels) == 2 and pos_label not in labels.tolist():
        raise ValueError(
            f"pos_label={pos_label!r} is not a label of y_true (labels: {labels.tolist()}); "
            "pass one of them."
        )
    return pos_label


def check_binary_target(y_true, pos_label, *, need_both=False, metric=""):
    """Validate a binary ``y_true``; return it as a 0/1 int array."""
    y_true = _as_1d(y_true, "y_true")
    if len(y_true) == 0:
        raise ValueError("y_true is empty; metrics need at least one sample.")
    labels = np.unique(y_true)
    if len(labels) > 2:
        raise ValueError(
            f"{metric or 'This metric'} is binary but y_true has {len(labels)} classes "
            f"{labels.tolist()[:10]}; use one-vs-rest scores per class."
        )
    pos_label = resolve_pos_label(labels, pos_label)
    y = (y_true == pos_label).astype(np.int64)
    if need_both and (y.all() or not y.any()):
        raise ValueError(
            f"{metric or 'This metric'} needs both classes in y_true; it holds only "
            f"{labels.tolist()}."
        )
    return y


def check_scores(y_score, name="y_score"):
    """Validate 1-D finite scores."""
    y_score = _as_1d(y_score, name)
    if not np.issubdtype(y_score.dtype, np.number) or y_score.dtype == bool:
        raise TypeError(f"{name} must be numeric; got dtype {y_score.dtype}.")
    y_score = y_score.astype(np.float64, copy=False)
    if not np.isfinite(y_score).all():
        raise ValueError(f"{name} contains NaN or infinite values; remove or impute them.")
    return y_score


def check_probabilities(y_proba, name="y_proba"):
    """Validate probabilities: 1-D positive-class or 2-D per-class, within [0, 1]."""
    y_proba = np.asarray(y_proba)
    if y_proba.ndim == 2 and y_proba.shape[1] == 1:
        y_proba = y_proba.ravel()
    if y_proba.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D or 2-D; got shape {y_proba.shape}.")
    if not np.issubdtype(y_proba.dtype, np.number) or y_proba.dtype == bool:
        raise TypeError(f"{name} must be numeric; got dtype {y_proba.dtype}.")
    y_proba = y_proba.astype(np.float64, copy=False)
    if not np.isfinite(y_proba).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    if y_proba.size and (y_proba.min() < 0 or y_proba.max() > 1):
        raise ValueError(
            f"{name} must hold probabilities in [0, 1]; got values in "
            f"[{y_proba.min():.4g}, {y_proba.max():.4g}]. Decision scores are not "
            "probabilities: use predict_proba, or calibrate the model first."
        )
    if y_proba.ndim == 2 and not np.allclose(y_proba.sum(axis=1), 1.0, atol=1e-6):
        raise ValueError(f"Each row of {name} must sum to 1 (one probability per class).")
    return y_proba


def multiclass_indices(y_true, labels, n_columns, name="y_proba"):
    """Map ``y_true`` to column indices of a 2-D probability array."""
    y_true = _as_1d(y_true, "y_true")
    classes = np.unique(y_true) if labels is None else np.asarray(labels)
    if len(classes) != n_columns:
        raise ValueError(
            f"{name} has {n_columns} columns but there are {len(classes)} labels "
            f"{classes.tolist()[:10]}; pass labels= (the classifier's classes_) in column order."
        )
    sorter = np.argsort(classes, kind="stable")
    position = np.searchsorted(classes, y_true, sorter=sorter).clip(max=len(classes) - 1)
    columns = sorter[position]
    unknown = classes[columns] != y_true
    if unknown.any():
        raise ValueError(
            f"y_true holds labels {np.unique(y_true[unknown]).tolist()[:10]} that are not in "
            "labels=."
        )
    return columns
