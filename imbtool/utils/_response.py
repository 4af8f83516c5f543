"""Scores of a fitted classifier in the form a decision threshold acts on."""

import numpy as np

from ._tolerance import TIE_TOLERANCE


def response_values(estimator, X, response_method, pos_index=None):
    """Scores of a fitted classifier: the positive column (binary) or one per class.

    Binary: ``predict_proba[:, pos_index]`` or the decision function
    oriented so that larger means ``classes_[pos_index]``. Multiclass
    (``pos_index=None``): log-probabilities or the decision matrix, so that
    additive offsets act as multiplicative re-weighting of probabilities.

    Parameters
    ----------
    estimator : fitted classifier
    X : array-like of shape (n_samples, n_features)
    response_method : {"auto", "predict_proba", "decision_function"}
        "auto" tries ``predict_proba`` first.
    pos_index : int, default=None
        Column of the positive class; None for one score per class.

    Returns
    -------
    scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
    """
    if response_method == "auto":
        methods = ["predict_proba", "decision_function"]
    else:
        methods = [response_method]
    method = next((m for m in methods if hasattr(estimator, m)), None)
    if method is None:
        raise AttributeError(
            f"{type(estimator).__name__} has none of {methods}; pick response_method= "
            "among the methods it has."
        )
    values = np.asarray(getattr(estimator, method)(X), dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(f"{type(estimator).__name__}.{method} returned NaN or infinite values.")
    if method == "predict_proba":
        if values.min() < -TIE_TOLERANCE or values.max() > 1 + TIE_TOLERANCE:
            raise ValueError(
                f"{type(estimator).__name__}.predict_proba returned values outside [0, 1] "
                f"([{values.min():.4g}, {values.max():.4g}]); use "
                "response_method='decision_function' for scores that are not probabilities."
            )
        if pos_index is None:
            return np.log(np.clip(values, 1e-300, None))
        return values[:, pos_index]
    if pos_index is None:
        return values
    if values.ndim == 2:
        return values[:, pos_index]
    return values if pos_index == 1 else -values
