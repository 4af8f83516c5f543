"""imbalanced-learn's metric functions under their own names, with two corrections.

``sensitivity_specificity_support``, ``specificity_score`` and
``geometric_mean_score`` keep imbalanced-learn's signatures, defaults, checks,
warnings and results, and delegate to it, except where its result is wrong:

* with ``sample_weight``, imbalanced-learn forms the true negatives from the
  number of samples instead of their total weight, so a specificity can leave
  [0, 1]; here the weighted confusion counts come from
  :func:`sklearn.metrics.multilabel_confusion_matrix`;
* ``geometric_mean_score(average="weighted")`` is the support-weighted mean of
  the per-class one-vs-rest G-means (what ``average=None`` returns).
"""

import numbers

import numpy as np
from imblearn.metrics import geometric_mean_score as _imblearn_geometric_mean_score
from imblearn.metrics import (
    sensitivity_specificity_support as _imblearn_sensitivity_specificity_support,
)
from sklearn.metrics import multilabel_confusion_matrix
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.multiclass import unique_labels

_AVERAGES = {"binary", "micro", "macro", "weighted", "samples"}
_COMMON_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "labels": ["array-like", None],
    "pos_label": [str, numbers.Integral, None],
    "average": [None, StrOptions(_AVERAGES)],
    "sample_weight": ["array-like", None],
}


def _rate(numerator, denominator):
    """``numerator / denominator``, 0 where the denominator is 0 (as imbalanced-learn)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, 0.0)


def _weighted_sensitivity_specificity_support(y_true, y_pred, labels, pos_label, average,
                                              sample_weight):
    """Sensitivity, specificity and support from sample-weighted confusion counts.

    Called after imbalanced-learn has checked the arguments; follows its label
    selection and averaging rules.
    """
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if average == "binary":
        labels = [pos_label]
    elif labels is None:
        labels = unique_labels(y_true, y_pred)
    counts = multilabel_confusion_matrix(
        y_true, y_pred, labels=labels, sample_weight=np.asarray(sample_weight, dtype=float)
    ).astype(float)
    tn, fp, fn, tp = counts[:, 0, 0], counts[:, 0, 1], counts[:, 1, 0], counts[:, 1, 1]
    if average == "micro":
        tn, fp, fn, tp = (np.array([c.sum()]) for c in (tn, fp, fn, tp))
    support = tp + fn
    sensitivity = _rate(tp, support)
    specificity = _rate(tn, tn + fp)
    if average is None:
        return sensitivity, specificity, support
    weights = None
    if average == "weighted":
        if support.sum() == 0:
            return 0, 0, None
        weights = support
    return np.average(sensitivity, weights=weights), np.average(specificity, weights=weights), None


@validate_params(
    {**_COMMON_CONSTRAINTS, "warn_for": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def sensitivity_specificity_support(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("sensitivity", "specificity"),
    sample_weight=None,
):
    """Sensitivity, specificity and support of each class, one-vs-rest.

    ``sensitivity = tp / (tp + fn)`` (the recall of the class) and
    ``specificity = tn / (tn + fp)`` (the recall of all other classes);
    ``support`` is the number (or total sample weight) of true members.
    Drop-in for :func:`imblearn.metrics.sensitivity_specificity_support`:
    same signature, defaults, checks and warnings, computed by it.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        Classes to include when ``average != "binary"``, and their order when
        ``average=None``. Classes absent from the data score 0.
    pos_label : str, int or None, default=1
        The class scored when ``average="binary"`` and the data are binary.
    average : {"binary", "micro", "macro", "weighted", "samples"} or None, default=None
        ``None``: the per-class values. ``"binary"``: those of ``pos_label``.
        ``"micro"``: from the confusion counts summed over classes.
        ``"macro"``: the unweighted mean over classes. ``"weighted"``: the
        mean weighted by support. ``"samples"`` raises (multilabel only).
    warn_for : tuple of str, default=("sensitivity", "specificity")
        Which undefined (zero-denominator) values to warn about.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    sensitivity : float or ndarray of shape (n_labels,)
    specificity : float or ndarray of shape (n_labels,)
    support : ndarray of shape (n_labels,) or None
        ``None`` unless ``average=None``.

    Notes
    -----
    With ``sample_weight``, imbalanced-learn 0.14 subtracts weighted counts
    from the number of samples to get the true negatives, so its specificity
    can leave [0, 1] (e.g. 2.0). Here the weighted true negatives are the
    total weight of the samples that are neither true nor predicted members
    of the class, so weighting a sample by ``k`` equals repeating it ``k``
    times. Without ``sample_weight`` the results are imbalanced-learn's.

    Examples
    --------
    >>> from imbtool.metrics import sensitivity_specificity_support
    >>> y_true = ["cat", "dog", "pig", "cat", "dog", "pig"]
    >>> y_pred = ["cat", "pig", "dog", "cat", "cat", "dog"]
    >>> sensitivity, specificity, support = sensitivity_specificity_support(y_true, y_pred)
    >>> sensitivity.tolist(), specificity.tolist(), support.tolist()
    ([1.0, 0.0, 0.0], [0.75, 0.5, 0.75], [2, 2, 2])
    >>> sensitivity, specificity, _ = sensitivity_specificity_support(
    ...     [0, 0, 1, 1], [0, 1, 1, 1], average="binary", sample_weight=[1.0, 2.0, 3.0, 4.0])
    >>> round(float(sensitivity), 4), round(float(specificity), 4)
    (1.0, 0.3333)
    """
    result = _imblearn_sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=warn_for,
        sample_weight=sample_weight,
    )
    if sample_weight is None:
        return result
    if average == "binary" and pos_label not in unique_labels(y_true, y_pred).tolist():
        return result  # imbalanced-learn's value when only negatives are present
    sensitivity, specificity, support = _weighted_sensitivity_specificity_support(
        y_true, y_pred, labels, pos_label, average, sample_weight
    )
    if average is not None:
        # Keep imbalanced-learn's return types (NumPy floats) for the averages.
        sensitivity, specificity = np.float64(sensitivity), np.float64(specificity)
    return sensitivity, specificity, support


@validate_params(_COMMON_CONSTRAINTS, prefer_skip_nested_validation=True)
def specificity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
):
    """Specificity ``tn / (tn + fp)``: the share of non-members of a class left out of it.

    Drop-in for :func:`imblearn.metrics.specificity_score` (same signature and
    results), with the sample-weight correction of
    :func:`sensitivity_specificity_support`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        Classes to include when ``average != "binary"``, and their order when
        ``average=None``.
    pos_label : str, int or None, default=1
        The class scored when ``average="binary"``.
    average : {"binary", "micro", "macro", "weighted", "samples"} or None, default="binary"
        As in :func:`sensitivity_specificity_support`.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    specificity : float or ndarray of shape (n_labels,)

    Notes
    -----
    With ``sample_weight`` the value is computed from weighted confusion counts
    and stays in [0, 1]; imbalanced-learn 0.14 can return values above 1
    there. Without weights the results are imbalanced-learn's.

    Examples
    --------
    >>> from imbtool.metrics import specificity_score
    >>> specificity_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average=None).tolist()
    [0.75, 0.5, 0.75]
    >>> float(specificity_score([0, 0, 1, 1], [0, 1, 1, 1]))
    0.5
    >>> round(float(specificity_score([0, 0, 1, 1], [0, 1, 1, 1], sample_weight=[1, 2, 3, 4])), 4)
    0.3333
    """
    _, specificity, _ = sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("specificity",),
        sample_weight=sample_weight,
    )
    return specificity


@validate_params(
    {
        **_COMMON_CONSTRAINTS,
        "average": [None, StrOptions(_AVERAGES | {"multiclass"})],
        "correction": [Interval(numbers.Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def geometric_mean_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="multiclass",
    sample_weight=None,
    correction=0.0,
):
    """Geometric mean of class recalls (G-mean), as imbalanced-learn computes it.

    With ``average="multiclass"`` (the default) this is the ``n_classes``-th
    root of the product of the per-class recalls; for two classes,
    ``sqrt(sensitivity * specificity)``. Any other ``average`` scores each
    class one-vs-rest by ``sqrt(sensitivity * specificity)``. A classifier that
    never recognises a class gets 0 unless ``correction`` replaces its zero
    recall (``average="multiclass"`` only). Drop-in for
    :func:`imblearn.metrics.geometric_mean_score`: same signature, defaults
    and results, except the two cases in the Notes. imbtool's own
    :func:`~imbtool.metrics.g_mean` adds input checks on top.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        Classes to include, and their order when ``average=None``.
    pos_label : str, int or None, default=1
        The class scored when ``average="binary"``.
    average : {"multiclass", "binary", "micro", "macro", "weighted", "samples"} \
or None, default="multiclass"
        ``"multiclass"``: root of the product of all class recalls.
        ``None``: per-class one-vs-rest G-means. ``"binary"``: that of
        ``pos_label``. ``"weighted"``: the mean of the per-class G-means
        weighted by support. ``"micro"`` and ``"macro"``: as in
        imbalanced-learn, ``sqrt(sensitivity * specificity)`` of the micro- or
        macro-averaged sensitivity and specificity.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    correction : float, default=0.0
        Recall substituted for classes with zero recall when
        ``average="multiclass"``.

    Returns
    -------
    score : float or ndarray of shape (n_labels,)

    Notes
    -----
    Differences from :func:`imblearn.metrics.geometric_mean_score` 0.14:

    * ``average="weighted"`` returns
      ``sum_c n_c * sqrt(sens_c * spec_c) / sum_c n_c``, the support-weighted
      mean of what ``average=None`` returns. imbalanced-learn instead
      support-weights the sensitivities and the specificities apart and takes
      the root of their product. The support-weighted sensitivity is the
      accuracy, and each class's specificity, which measures the *other*
      classes, gets that class's weight; so a classifier that predicts only
      the majority class of an 80/20 binary problem gets
      ``sqrt(0.8 * 0.2) = 0.4`` there, although its G-mean and both per-class
      G-means are 0. Here it gets 0, and binary ``"weighted"`` equals
      ``"binary"``.
    * With ``sample_weight`` and ``average != "multiclass"`` the one-vs-rest
      specificities use weighted true negatives (see
      :func:`sensitivity_specificity_support`); imbalanced-learn's can leave
      [0, 1].

    ``"macro"`` follows imbalanced-learn, so it is *not* the mean of the
    per-class G-means: the same 80/20 majority-only classifier gets 0.5.

    Examples
    --------
    >>> from imbtool.metrics import geometric_mean_score
    >>> y_true = [0, 1, 2, 0, 1, 2]
    >>> y_pred = [0, 2, 1, 0, 0, 1]
    >>> float(geometric_mean_score(y_true, y_pred))
    0.0
    >>> round(float(geometric_mean_score(y_true, y_pred, correction=0.001)), 4)
    0.01
    >>> geometric_mean_score(y_true, y_pred, average=None).round(4).tolist()
    [0.866, 0.0, 0.0]
    >>> round(float(geometric_mean_score(y_true, y_pred, average="weighted")), 4)
    0.2887

    A classifier that only predicts the majority class:

    >>> y_true = [0] * 8 + [1] * 2
    >>> y_pred = [0] * 10
    >>> float(geometric_mean_score(y_true, y_pred, average="weighted"))
    0.0
    >>> float(geometric_mean_score(y_true, y_pred, average="macro"))
    0.5
    """
    if average == "multiclass" or (average != "weighted" and sample_weight is None):
        return _imblearn_geometric_mean_score(
            y_true,
            y_pred,
            labels=labels,
            pos_label=pos_label,
            average=average,
            sample_weight=sample_weight,
            correction=correction,
        )
    if average == "weighted":
        sensitivity, specificity, support = sensitivity_specificity_support(
            y_true,
            y_pred,
            labels=labels,
            pos_label=pos_label,
            average=None,
            warn_for=("specificity", "specificity"),
            sample_weight=sample_weight,
        )
        if np.sum(support) == 0:
            return np.float64(0.0)
        return np.float64(np.average(np.sqrt(sensitivity * specificity), weights=support))
    sensitivity, specificity, _ = sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("specificity", "specificity"),
        sample_weight=sample_weight,
    )
    return np.sqrt(sensitivity * specificity)
