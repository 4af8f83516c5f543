"""Cost matrices: the one layout, the one validator and the binary constructor.

Every cost matrix in imbtool follows scikit-learn's ``confusion_matrix``
layout: ``C[i, j]`` is the cost of predicting ``classes_[j]`` for a sample
whose true class is ``classes_[i]`` (rows: truth, columns: prediction),
classes in sorted order.
"""

import numpy as np


def check_cost_matrix(cost_matrix, n_classes=None, *, per_sample=False, name="cost_matrix"):
    """Validate a cost matrix ``C[true, predicted]``; return it as float64.

    The rules, the same wherever imbtool takes a cost matrix:

    - a numeric array of shape ``(n_classes, n_classes)`` (with
      ``per_sample=True``, also a stack of one matrix per sample,
      ``(n_samples, n_classes, n_classes)``);
    - every cost finite and non-negative (a benefit is a lower cost);
    - a matrix of class costs makes, in every row, the correct prediction (the
      diagonal) cost no more than any wrong one, and at least one mistake cost
      more than the right call (otherwise no decision can depend on it).

    Per-sample stacks describe single samples, whose right call may well cost
    more than a mistake (an investigation dearer than the amount at stake);
    only the first two rules apply to them.

    Parameters
    ----------
    cost_matrix : array-like
        The costs.
    n_classes : int, default=None
        Number of classes the matrix must describe; any when None.
    per_sample : bool, default=False
        Accept per-sample stacks of shape ``(n_samples, k, k)`` too.
    name : str, default="cost_matrix"
        Name of the parameter, for the error messages.

    Returns
    -------
    cost : ndarray of shape (k, k) or (n_samples, k, k)

    Examples
    --------
    >>> from imbtool.utils._costs import check_cost_matrix
    >>> check_cost_matrix([[0, 1], [5, 0]], 2).tolist()
    [[0.0, 1.0], [5.0, 0.0]]
    """
    try:
        cost = np.asarray(cost_matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric square array; got "
                        f"{type(cost_matrix).__name__}.") from exc
    k = cost.shape[-1] if cost.ndim else 0
    square = cost.ndim in ((2, 3) if per_sample else (2,)) and cost.shape[-2] == k
    if square and n_classes is not None and k != n_classes:
        raise ValueError(
            f"{name} must be of shape ({n_classes}, {n_classes}), one row (true class) and one "
            f"column (predicted class) per class in sorted label order (classes_); the cost "
            f"matrix is {k} x {k} but there are {n_classes} classes."
        )
    if not square:
        want = "n_classes" if n_classes is None else n_classes
        stack = f" or per-sample (n_samples, {want}, {want})" if per_sample else ""
        raise ValueError(
            f"{name} must have shape ({want}, {want}){stack} (rows: true class, columns: "
            f"predicted class, in sorted label order); got shape {cost.shape}."
        )
    if not np.all(np.isfinite(cost)):
        raise ValueError(f"{name} contains NaN or infinite costs; every cost must be a finite "
                         "number.")
    if np.any(cost < 0):
        raise ValueError(f"{name} contains negative costs; costs must be non-negative "
                         "(express a benefit as a lower cost).")
    if cost.ndim == 3:
        return cost
    diagonal = np.diag(cost)[:, None]
    bad = np.flatnonzero(np.any(cost < diagonal, axis=1))
    if bad.size:
        raise ValueError(
            f"{name} rows {bad.tolist()} make a correct prediction cost more than a mistake "
            f"({name}[i, i] > {name}[i, j]); rows are the true class, columns the prediction."
        )
    if not np.any(cost > diagonal):
        raise ValueError(f"{name} gives every prediction the same cost; no decision can be "
                         "cost-sensitive.")
    return cost


def make_cost_matrix(*, cost_fp=1.0, cost_fn=1.0, cost_tp=0.0, cost_tn=0.0):
    """Binary cost matrix ``C[true, pred]`` from the four outcome costs.

    Scalars give one ``(2, 2)`` matrix. Arrays of shape ``(n_samples,)`` (for
    example a transaction amount as the cost of missing a fraud) give
    per-sample matrices of shape ``(n_samples, 2, 2)`` for
    ``TunedThresholdClassifier.fit(..., sample_cost=...)``.

    Parameters
    ----------
    cost_fp, cost_fn, cost_tp, cost_tn : float or array-like of shape (n_samples,)
        Cost of a false positive, false negative, true positive, true negative.

    Returns
    -------
    cost : ndarray of shape (2, 2) or (n_samples, 2, 2)

    Examples
    --------
    >>> from imbtool.threshold import make_cost_matrix
    >>> make_cost_matrix(cost_fp=5.0, cost_fn=[100.0, 20.0]).tolist()
    [[[0.0, 5.0], [100.0, 0.0]], [[0.0, 5.0], [20.0, 0.0]]]
    """
    parts = [np.asarray(c, dtype=float) for c in (cost_tn, cost_fp, cost_fn, cost_tp)]
    for name, part in zip(("cost_tn", "cost_fp", "cost_fn", "cost_tp"), parts):
        if part.ndim > 1:
            raise ValueError(f"{name} must be a number or a 1-D array; got shape {part.shape}.")
    try:
        tn, fp, fn, tp = np.broadcast_arrays(*parts)
    except ValueError:
        raise ValueError(
            "Per-sample costs must all have the same length; got shapes "
            f"{[p.shape for p in parts]}."
        ) from None
    return check_cost_matrix(np.stack([np.stack([tn, fp], -1), np.stack([fn, tp], -1)], -2),
                             per_sample=True, name="the cost matrix")
