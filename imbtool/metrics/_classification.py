"""Metrics of hard predictions, built on imbalanced-learn's and scikit-learn's."""

import numpy as np
from imblearn.metrics import (
    classification_report_imbalanced,
    geometric_mean_score,
    make_index_balanced_accuracy,
)
from sklearn.metrics import matthews_corrcoef, multilabel_confusion_matrix
from sklearn.utils.multiclass import unique_labels

from ..utils._compat import require
from ._validation import check_label_pair

_AVERAGES_IBA = ("binary", "macro", "weighted", None)


def _check_pos_label(y_true, y_pred, pos_label):
    present = np.union1d(y_true, y_pred)
    if pos_label not in present.tolist():
        raise ValueError(
            f"pos_label={pos_label!r} is in neither y_true nor y_pred (labels: "
            f"{present.tolist()[:10]}); pass one of them."
        )


def g_mean(y_true, y_pred, *, average="multiclass", labels=None, pos_label=1, sample_weight=None):
    """Geometric mean of the per-class recalls (G-mean).

    For two classes this is ``sqrt(sensitivity * specificity)``. Computed by
    :func:`imblearn.metrics.geometric_mean_score`; this wrapper adds input
    checks. A classifier that ignores a class gets 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    average : {"multiclass", "binary", "macro", "weighted", "micro"} or None, default="multiclass"
        ``"multiclass"``: the root of the product of all class recalls.
        ``"binary"``: ``sqrt(sensitivity * specificity)`` of ``pos_label``.
        Otherwise per-class one-vs-rest G-means, averaged as named
        (``None`` returns them all).
    labels : array-like, default=None
        Classes to include, and their order when ``average=None``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average="binary"``.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float or ndarray of shape (n_classes,)
        G-mean in [0, 1].

    Examples
    --------
    >>> from imbtool.metrics import g_mean
    >>> round(g_mean([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]), 4)
    0.6124
    """
    y_true, y_pred = check_label_pair(y_true, y_pred, sample_weight)
    if average == "binary":
        _check_pos_label(y_true, y_pred, pos_label)
    if sample_weight is not None and average != "multiclass":
        # imblearn's weighted one-vs-rest path returns NaN (or values > 1) where the
        # unweighted one returns 0 (imbalanced-learn 0.14.2), so weighted G-means are ours.
        score = _weighted_ovr_g_mean(y_true, y_pred, labels, pos_label, average, sample_weight)
    else:
        score = geometric_mean_score(
            y_true,
            y_pred,
            labels=labels,
            pos_label=pos_label,
            average=average,
            sample_weight=sample_weight,
        )
    return score if average is None else float(score)


def _weighted_ovr_g_mean(y_true, y_pred, labels, pos_label, average, sample_weight):
    """One-vs-rest G-means sqrt(sensitivity * specificity) from weighted confusion counts."""
    if average == "binary":
        labels = [pos_label]
    elif labels is None:
        labels = unique_labels(y_true, y_pred)
    counts = multilabel_confusion_matrix(y_true, y_pred, labels=labels, sample_weight=sample_weight)
    tn, fp, fn, tp = (counts[:, i // 2, i % 2].astype(float) for i in range(4))
    if average == "micro":
        tn, fp, fn, tp = (np.array([c.sum()]) for c in (tn, fp, fn, tp))
    with np.errstate(divide="ignore", invalid="ignore"):
        sensitivity = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        specificity = np.where(tn + fp > 0, tn / (tn + fp), 0.0)
    if average is None:
        return np.sqrt(sensitivity * specificity)
    # As imblearn averages unweighted: sensitivities and specificities apart, then the root.
    support = tp + fn
    weights = support if average == "weighted" and support.sum() > 0 else None
    return float(np.sqrt(np.average(sensitivity, weights=weights)
                         * np.average(specificity, weights=weights)))


def index_balanced_accuracy(
    y_true,
    y_pred,
    *,
    alpha=0.1,
    squared=True,
    average="binary",
    labels=None,
    pos_label=1,
    sample_weight=None,
):
    """Index balanced accuracy (IBA) of García, Mollineda and Sánchez (2009).

    ``IBA = (1 + alpha * (TPR - TNR)) * G``, with ``G = TPR * TNR`` (the squared
    G-mean) when ``squared=True``, else ``sqrt(TPR * TNR)``. The dominance term
    ``TPR - TNR`` rewards classifiers whose errors fall on the majority class.
    With ``alpha <= 1`` the value lies in [0, 1]. Computed with
    :func:`imblearn.metrics.make_index_balanced_accuracy` applied to the
    one-vs-rest G-mean.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    alpha : float, default=0.1
        Weight of the dominance.
    squared : bool, default=True
        Use the squared G-mean, as in the paper.
    average : {"binary", "macro", "weighted"} or None, default="binary"
        ``"binary"``: the IBA of ``pos_label``; otherwise one-vs-rest IBAs per
        class, averaged (``"weighted"`` by support) or all returned (``None``).
    labels : array-like, default=None
        Classes to include when ``average != "binary"``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average="binary"``.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float or ndarray of shape (n_classes,)

    References
    ----------
    V. García, R. A. Mollineda, J. S. Sánchez. "Index of balanced accuracy: a
    performance measure for skewed class distributions", IbPRIA 2009.

    Examples
    --------
    >>> from imbtool.metrics import index_balanced_accuracy
    >>> round(index_balanced_accuracy([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]), 4)
    0.3656
    """
    if average not in _AVERAGES_IBA:
        raise ValueError(f"average must be one of {_AVERAGES_IBA}; got {average!r}.")
    if not isinstance(alpha, (int, float, np.number)):
        raise TypeError(f"alpha must be a real number; got {alpha!r}.")
    y_true, y_pred = check_label_pair(y_true, y_pred, sample_weight)
    iba = make_index_balanced_accuracy(alpha=alpha, squared=squared)(geometric_mean_score)
    if average == "binary":
        _check_pos_label(y_true, y_pred, pos_label)
        return float(
            iba(y_true, y_pred, pos_label=pos_label, average="binary", sample_weight=sample_weight)
        )
    per_class = iba(y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight)
    if average is None:
        return per_class
    if average == "macro":
        return float(np.mean(per_class))
    classes = np.unique(np.concatenate([y_true, y_pred])) if labels is None else labels
    weight = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, float)
    support = np.array([weight[y_true == c].sum() for c in classes])
    return float(np.average(per_class, weights=support))


def mcc(y_true, y_pred, *, sample_weight=None):
    """Matthews correlation coefficient.

    The correlation between true and predicted labels, in [-1, 1]; 0 is chance
    and it stays informative under heavy imbalance. Computed by
    :func:`sklearn.metrics.matthews_corrcoef`, with input checks.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from imbtool.metrics import mcc
    >>> round(mcc([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]), 4)
    0.25
    """
    y_true, y_pred = check_label_pair(y_true, y_pred, sample_weight)
    return float(matthews_corrcoef(y_true, y_pred, sample_weight=sample_weight))


_REPORT_COLUMNS = {
    "pre": "precision",
    "rec": "recall",
    "spe": "specificity",
    "f1": "f1",
    "geo": "g_mean",
    "iba": "iba",
    "sup": "support",
}
_OUTPUTS = ("text", "dict", "frame")


def imbalanced_report(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    sample_weight=None,
    alpha=0.1,
    digits=3,
    output="text",
):
    """Per-class precision, recall, specificity, F1, G-mean, IBA and support.

    Each class is scored one-vs-rest; the per-class numbers come from
    :func:`imblearn.metrics.classification_report_imbalanced`. Two summary rows
    follow: ``"macro avg"`` (unweighted mean over classes) and
    ``"weighted avg"`` (weighted by support).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        Classes to report, in order. Default: all classes present.
    target_names : list of str, default=None
        Display names for ``labels``.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    alpha : float, default=0.1
        Dominance weight of the index balanced accuracy.
    digits : int, default=3
        Digits shown in the text output.
    output : {"text", "dict", "frame"}, default="text"
        A formatted table, a dict ``{row: {column: value}}``, or a
        :class:`pandas.DataFrame` (needs pandas).

    Returns
    -------
    report : str, dict or pandas.DataFrame

    Examples
    --------
    >>> from imbtool.metrics import imbalanced_report
    >>> report = imbalanced_report([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0], output="dict")
    >>> report["1"]["recall"], report["1"]["specificity"], report["1"]["support"]
    (0.5, 0.75, 2)
    >>> print(imbalanced_report([0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0], digits=2))
                  precision  recall  specificity     f1  g_mean    iba  support
    0                  0.75    0.75         0.50   0.75    0.61   0.38        4
    1                  0.50    0.50         0.75   0.50    0.61   0.37        2
    macro avg          0.62    0.62         0.62   0.62    0.61   0.37        6
    weighted avg       0.67    0.67         0.58   0.67    0.61   0.38        6
    """
    if output not in _OUTPUTS:
        raise ValueError(f"output must be one of {_OUTPUTS}; got {output!r}.")
    y_true, y_pred = check_label_pair(y_true, y_pred, sample_weight)
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
    if target_names is not None and len(target_names) != len(labels):
        raise ValueError(
            f"target_names has {len(target_names)} names but there are {len(labels)} labels."
        )
    raw = classification_report_imbalanced(
        y_true,
        y_pred,
        labels=labels,
        sample_weight=sample_weight,
        alpha=alpha,
        output_dict=True,
        zero_division=0,
    )
    names = [str(n) for n in (labels if target_names is None else target_names)]
    rows = {}
    for name, label in zip(names, labels):
        entry = raw[str(label)]
        rows[name] = {new: float(entry[old]) for old, new in _REPORT_COLUMNS.items()}
        rows[name]["support"] = int(entry["sup"])
    per_class = np.array([[row[c] for c in _REPORT_COLUMNS.values()] for row in rows.values()])
    support = per_class[:, -1]
    total = int(support.sum())
    for avg_name, weights in (("macro avg", None), ("weighted avg", support)):
        means = np.average(per_class[:, :-1], axis=0, weights=weights if total else None)
        rows[avg_name] = dict(zip(list(_REPORT_COLUMNS.values())[:-1], means.tolist()))
        rows[avg_name]["support"] = total

    if output == "dict":
        return rows
    if output == "frame":
        pd = require("pandas", "imbalanced_report(output='frame')")
        return pd.DataFrame.from_dict(rows, orient="index")
    return _format_report(rows, digits)


def _format_report(rows, digits):
    columns = list(_REPORT_COLUMNS.values())
    name_width = max(len(name) for name in rows) + 2
    widths = [max(len(c), digits + 3) for c in columns]
    lines = [" " * name_width + "  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    for name, row in rows.items():
        cells = [
            str(row[c]).rjust(w) if c == "support" else f"{row[c]:.{digits}f}".rjust(w)
            for c, w in zip(columns, widths)
        ]
        lines.append(name.ljust(name_width) + "  ".join(cells))
    return "\n".join(lines)
