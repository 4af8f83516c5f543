"""Class weights, cost matrices and the cost-optimal threshold: validation and conversions.

Cost matrices follow scikit-learn's confusion-matrix layout:
``cost_matrix[i, j]`` is the cost of predicting class ``j`` for a sample whose
true class is ``i`` (rows: truth, columns: prediction), classes in sorted
order (``classes_``), checked by the one validator every cost-matrix taker
of imbtool shares.
"""

import numbers

import numpy as np
from sklearn.utils.class_weight import compute_class_weight as _sk_class_weight

from ..utils._costs import check_cost_matrix, make_cost_matrix


def compute_class_weight(class_weight, *, y, classes=None, beta=0.999, sample_weight=None):
    """One weight per class, from a rule or a mapping.

    Parameters
    ----------
    class_weight : None, "balanced", "effective_number" or dict
        ``None``: all ones. ``"balanced"``: ``n_samples / (n_classes * n_c)``
        (scikit-learn's rule). ``"effective_number"``: the class-balanced
        weights of Cui et al. (CVPR 2019), ``(1 - beta) / (1 - beta**n_c)``,
        the inverse of the "effective number of samples" of each class,
        rescaled so that they sum to the number of classes (Cui et al.'s
        normalisation). Unnormalised (about ``1 - beta`` per sample of a
        large class) they would shrink every Hessian, so that a booster's
        minimum Hessian per leaf (LightGBM's ``min_sum_hessian_in_leaf``,
        XGBoost's ``min_child_weight``) stops trees early: smaller, faster
        trees, but a regularisation that depends on the class sizes and, on
        15 KEEL sets, slightly lower scores (``benchmarks/RESULTS.md``). A dict
        maps class labels to weights; classes it leaves out get 1.
    y : array-like of shape (n_samples,)
        Training labels.
    classes : array-like, default=None
        Sorted class labels; ``np.unique(y)`` when None.
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only; ``beta -> 1`` approaches
        ``"balanced"``, ``beta = 0`` gives equal weights.
    sample_weight : array-like of shape (n_samples,), default=None
        Class sizes are sums of sample weights, so that integer weights act
        like repeated samples.

    Returns
    -------
    weights : ndarray of shape (n_classes,)

    Examples
    --------
    >>> from imbtool.cost import compute_class_weight
    >>> compute_class_weight("balanced", y=[0, 0, 0, 1]).tolist()
    [0.6666666666666666, 2.0]
    >>> w = compute_class_weight("effective_number", y=[0] * 90 + [1] * 10, beta=0.9)
    >>> bool(w[1] > w[0])
    True
    """
    y = np.asarray(y)
    classes = np.unique(y) if classes is None else np.asarray(classes)
    if class_weight is None:
        return np.ones(len(classes))
    if isinstance(class_weight, str):
        if class_weight == "balanced":
            if sample_weight is None:
                return _sk_class_weight("balanced", classes=classes, y=y)
            return _balanced_weighted(classes, y, sample_weight)
        if class_weight == "effective_number":
            if not isinstance(beta, numbers.Real) or not 0.0 <= beta < 1.0:
                raise ValueError("beta must be a number in [0, 1) for "
                                 f"class_weight='effective_number'; got {beta!r}.")
            weight = (np.ones(len(y)) if sample_weight is None
                      else np.asarray(sample_weight, dtype=np.float64))
            counts = np.array([weight[y == c].sum() for c in classes])
            # (1 - beta**n) / (1 - beta) written with expm1/log1p to stay exact for beta near 1.
            if beta > 0:
                effective = -np.expm1(counts * np.log(beta)) / (1.0 - beta)
            else:
                effective = np.minimum(counts, 1.0)
            weights = 1.0 / np.maximum(effective, np.finfo(np.float64).tiny)
            return weights * len(classes) / weights.sum()
        raise ValueError(
            "class_weight must be None, 'balanced', 'effective_number' or a dict "
            f"{{label: weight}}; got {class_weight!r}."
        )
    if isinstance(class_weight, dict):
        unknown = [k for k in class_weight if not np.any(classes == k)]
        if unknown:
            raise ValueError(
                f"class_weight names classes {unknown} that are not in the training labels "
                f"{classes.tolist()}; use the labels exactly as they appear in y."
            )
        weights = np.ones(len(classes))
        for label, value in class_weight.items():
            value = float(value)
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"class_weight[{label!r}] must be a finite, non-negative number; "
                                 f"got {value!r}.")
            weights[np.flatnonzero(classes == label)[0]] = value
        return weights
    raise TypeError(
        "class_weight must be None, 'balanced', 'effective_number' or a dict; got "
        f"{type(class_weight).__name__}."
    )


def _balanced_weighted(classes, y, sample_weight):
    """scikit-learn's "balanced" rule with class sizes summed from ``sample_weight``.

    ``compute_class_weight`` takes ``sample_weight`` only from scikit-learn 1.7 on; this
    is its rule, computed the same way (``bincount`` over the sorted labels of ``y``), so
    the weights are identical on every supported scikit-learn.
    """
    labels, y_ind = np.unique(y, return_inverse=True)
    if not np.array_equal(labels, np.unique(classes)):
        raise ValueError(
            f"classes {np.asarray(classes).tolist()} must be exactly the labels of y "
            f"{labels.tolist()} for class_weight='balanced'."
        )
    counts = np.bincount(y_ind, weights=np.asarray(sample_weight, dtype=np.float64),
                         minlength=labels.size)
    recip_freq = counts.sum() / (labels.size * counts)
    return recip_freq[np.searchsorted(labels, classes)]


def check_weighted_classes(y, sample_weight, classes, owner):
    """Raise unless at least two classes keep a positive total sample weight."""
    if sample_weight is None:
        return
    totals = np.array([sample_weight[y == c].sum() for c in classes])
    if np.count_nonzero(totals > 0) < 2:
        raise ValueError(
            f"{owner} needs at least 2 classes with positive total sample_weight; classes "
            f"{classes[totals <= 0].tolist()} have none left. Give every class some weight."
        )


def class_weight_from_costs(cost_matrix):
    """Per-class weights implied by a cost matrix: the mean extra cost of misclassifying each class.

    For two classes this is ``[C[0, 1] - C[0, 0], C[1, 0] - C[1, 1]]``, the
    reweighting that makes the Bayes decision of the weighted problem equal to
    the cost-optimal one (Elkan 2001). With more classes it is a heuristic
    (exact only for cost matrices of the "rescalable" kind).

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``C[i, j]`` is the cost of predicting class ``j`` for a sample of
        class ``i``.

    Returns
    -------
    weights : ndarray of shape (n_classes,)
        The weight of each class.

    Examples
    --------
    >>> from imbtool.cost import class_weight_from_costs
    >>> class_weight_from_costs([[0, 1], [5, 0]])
    array([1., 5.])
    """
    matrix = np.asarray(cost_matrix, dtype=np.float64)
    n = matrix.shape[0]
    return (matrix.sum(axis=1) - n * np.diag(matrix)) / (n - 1)


def cost_optimal_threshold(cost_matrix=None, *, cost_fp=None, cost_fn=None, cost_tp=0.0,
                           cost_tn=0.0):
    """Probability threshold minimising the expected cost of a binary decision.

    Predicting the positive class for a sample with calibrated probability
    ``p`` costs ``p * C_tp + (1 - p) * C_fp`` in expectation; predicting the
    negative costs ``p * C_fn + (1 - p) * C_tn``. Positive is the cheaper
    decision exactly when ``p >= t*`` with (Elkan, "The Foundations of
    Cost-Sensitive Learning", IJCAI 2001)::

        t* = (C_fp - C_tn) / ((C_fp - C_tn) + (C_fn - C_tp))

    The one Elkan threshold of imbtool (``imbtool.threshold.bayes_threshold``
    is its deprecated alias), for one cost matrix or per-sample costs. Valid
    only for calibrated probabilities at the deployment prior; otherwise tune
    the threshold with ``TunedThresholdClassifier(scoring=ExpectedCost(...))``.

    "Positive" is the class whose probability ``p`` is compared with the
    threshold -- for an imbtool tool the class named by its ``pos_label_``
    (by default the minority class of the training labels), which is not
    necessarily ``classes_[1]``: take ``p`` from the ``predict_proba`` column
    ``list(classes_).index(pos_label_)``. The matrix and the scalar costs
    below are in that negative, positive order, not in sorted label order.

    Parameters
    ----------
    cost_matrix : array-like of shape (2, 2), default=None
        ``[[C_tn, C_fp], [C_fn, C_tp]]`` (rows: truth, columns: prediction;
        negative first, positive second).
        Give either this or ``cost_fp`` and ``cost_fn``.
    cost_fp, cost_fn : float or array-like of shape (n_samples,), default=None
        Cost of a false positive (predicting the positive class for a
        negative sample) / false negative (missing a positive sample). Arrays (one cost per
        sample, e.g. a transaction amount) give one threshold per sample.
    cost_tp, cost_tn : float or array-like of shape (n_samples,), default=0.0
        Cost of a true positive / true negative.

    Returns
    -------
    threshold : float, or ndarray of shape (n_samples,) for per-sample costs

    Examples
    --------
    >>> from imbtool.cost import cost_optimal_threshold
    >>> cost_optimal_threshold([[0, 1], [9, 0]])
    0.1
    >>> cost_optimal_threshold(cost_fp=1.0, cost_fn=[1.0, 99.0]).tolist()
    [0.5, 0.01]
    """
    if cost_matrix is not None:
        if cost_fp is not None or cost_fn is not None:
            raise ValueError("give either cost_matrix or cost_fp and cost_fn, not both.")
        matrix = check_cost_matrix(cost_matrix, 2)
    elif cost_fp is None or cost_fn is None:
        raise ValueError("give cost_matrix, or both cost_fp and cost_fn.")
    else:
        matrix = make_cost_matrix(cost_fp=cost_fp, cost_fn=cost_fn, cost_tp=cost_tp,
                                  cost_tn=cost_tn)
    false_alarm = matrix[..., 0, 1] - matrix[..., 0, 0]
    miss = matrix[..., 1, 0] - matrix[..., 1, 1]
    bad = np.flatnonzero((false_alarm <= 0) | (miss <= 0))
    if bad.size:
        where = "" if matrix.ndim == 2 else f"; samples {bad[:10].tolist()} break this"
        raise ValueError("a mistake must cost more than the right call (cost_fp > cost_tn and "
                         "cost_fn > cost_tp, i.e. C[0, 1] > C[0, 0] and C[1, 0] > C[1, 1])"
                         f"{where}.")
    threshold = false_alarm / (false_alarm + miss)
    return float(threshold) if matrix.ndim == 2 else threshold
