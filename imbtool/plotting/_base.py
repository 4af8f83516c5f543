"""What the displays share: the matplotlib import, axes, fitted-estimator and shape checks."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..utils import resolve_pos_label
from ..utils._compat import require


def get_axes(ax, display):
    """``ax`` or a new figure's axes; matplotlib is imported here, only when a plot is drawn."""
    require("matplotlib", f"{display}.plot")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def check_fitted(estimator, display, name="estimator"):
    check_is_fitted(
        estimator,
        msg=(
            f"{display} needs a fitted {name}, but this {type(estimator).__name__} instance is "
            "not fitted yet; call its fit method first."
        ),
    )


def check_n_features(estimator, X, display):
    """Check ``X`` against the estimator's ``n_features_in_`` before the estimator raises."""
    n_in = getattr(estimator, "n_features_in_", None)
    shape = np.shape(X)
    if len(shape) != 2:
        raise ValueError(f"{display}: X must be 2-D (n_samples, n_features); got shape {shape}.")
    if n_in is not None and shape[1] != n_in:
        raise ValueError(
            f"{display}: X has {shape[1]} features but {type(estimator).__name__} was fitted "
            f"with {n_in}; pass data with the training columns."
        )


def check_scores(y_true, y_score, display, name="y_score"):
    """1-D labels and scores of equal length, as arrays."""
    y_true, y_score = np.asarray(y_true), np.asarray(y_score)
    if y_true.ndim != 1:
        raise ValueError(f"{display}: y_true must be 1-D; got shape {y_true.shape}.")
    if y_score.ndim != 1:
        raise ValueError(
            f"{display}: {name} must be 1-D scores of the positive class; got shape "
            f"{y_score.shape} (for predict_proba output pass the positive column, e.g. [:, 1])."
        )
    if y_true.shape != y_score.shape:
        raise ValueError(
            f"{display}: y_true has {y_true.size} samples but {name} has {y_score.size}."
        )
    return y_true, y_score


def binary_positive(y_true, pos_label, display):
    """0/1 targets and the positive label (the minority class by default); binary only.

    The positive class is :func:`imbtool.utils.resolve_pos_label`'s: ``pos_label``,
    or the minority class of ``y_true`` (a tie takes the greater label, with a warning).
    """
    classes = np.unique(y_true)
    if classes.size != 2:
        raise ValueError(f"{display} needs binary targets; y_true has classes {classes.tolist()}.")
    try:
        pos_label = resolve_pos_label(y_true, pos_label, classes=classes, name="y_true")
    except ValueError as exc:
        raise ValueError(f"{display}: {exc}") from None
    return (np.asarray(y_true) == pos_label).astype(np.int64), pos_label


def named_models(models, names, display):
    """``(names, models)`` from a dict or a list of models (names default to class names)."""
    if isinstance(models, dict):
        if names is not None:
            raise ValueError(f"{display}: pass names or a dict of models, not both.")
        return list(models), list(models.values())
    models = list(models)
    if not models:
        raise ValueError(f"{display} needs at least one model.")
    if names is None:
        names = [type(m).__name__ if hasattr(m, "fit") else f"model {i}"
                 for i, m in enumerate(models)]
    if len(names) != len(models):
        raise ValueError(f"{display}: got {len(names)} names for {len(models)} models.")
    return list(names), models
