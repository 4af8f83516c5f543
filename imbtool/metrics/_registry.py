"""Metric registry and scorers: one name -> function, input kind and direction.

A benchmark runner looks a metric up by name, learns which prediction it needs
(hard labels, ranking scores or probabilities) and whether larger is better,
and calls it; ``get_scorer`` turns the same entry into a scikit-learn scorer
for ``scoring=`` in ``GridSearchCV`` or ``cross_validate``.
"""

import inspect
from dataclasses import dataclass, field

import numpy as np
from imblearn.metrics import sensitivity_score, specificity_score
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    fbeta_score,
    log_loss,
    make_scorer,
    precision_score,
    recall_score,
)
from sklearn.metrics import get_scorer as _sklearn_get_scorer
from sklearn.metrics import get_scorer_names as _sklearn_scorer_names
from sklearn.metrics._scorer import _Scorer

from ..utils._pos_label import resolve_pos_label
from ._calibration import brier_score, expected_calibration_error
from ._classification import g_mean, index_balanced_accuracy, mcc
from ._ranking import (
    average_precision,
    fbeta_at_tuned_threshold,
    pr_auc,
    precision_at_recall,
    recall_at_precision,
    roc_auc,
)
from ._regression import (
    rare_f1,
    rare_precision,
    rare_recall,
    relevance_mae,
    relevance_rmse,
    sera,
)

NEEDS = ("labels", "scores", "probabilities", "values")

# How a scorer gets each kind of input from a fitted classifier. Ranking
# metrics accept either response: they only use the order of the scores.
_RESPONSE_METHOD = {
    "labels": "predict",
    "scores": ("decision_function", "predict_proba"),
    "probabilities": "predict_proba",
    "values": "predict",  # a regressor's predicted targets
}


@dataclass(frozen=True, eq=False)
class MetricInfo:
    """A registered metric.

    Calling it as ``info(y_true, y)`` computes the metric, where ``y`` is the
    kind of prediction named by ``needs``.

    Parameters
    ----------
    name : str
        Registry name.
    func : callable
        ``func(y_true, y, **kwargs)``.
    needs : {"labels", "scores", "probabilities", "values"}
        Hard predictions, a continuous score of the positive class (any
        monotone scale), calibrated probabilities, or a regressor's predicted
        targets (the imbalanced-regression metrics).
    greater_is_better : bool, default=True
        Direction of the metric.
    tunes_threshold : bool, default=False
        The metric picks its own operating point on the data it scores
        (optimistic, in-sample).
    kwargs : dict, default={}
        Fixed keyword arguments passed to ``func``.

    Examples
    --------
    >>> from imbtool.metrics import get_metric
    >>> info = get_metric("roc_auc")
    >>> info.needs, info.greater_is_better
    ('scores', True)
    >>> float(info([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]))
    0.75
    """

    name: str
    func: object
    needs: str
    greater_is_better: bool = True
    tunes_threshold: bool = False
    kwargs: dict = field(default_factory=dict)

    def __call__(self, y_true, y, **kwargs):
        return self.func(y_true, y, **{**self.kwargs, **kwargs})


_REGISTRY = {}


def register_metric(
    name, func, *, needs, greater_is_better=True, tunes_threshold=False, replace=False, **kwargs
):
    """Add a metric to the registry used by ``get_metric``, ``get_scorer`` and the benchmark.

    Parameters
    ----------
    name : str
        Registry name.
    func : callable
        ``func(y_true, y, **kwargs)`` returning a float.
    needs : {"labels", "scores", "probabilities", "values"}
        Which prediction ``func`` takes (``"values"``: predicted targets of a
        regressor).
    greater_is_better : bool, default=True
        Direction of the metric.
    tunes_threshold : bool, default=False
        Whether the metric chooses its own threshold on the scored data.
    replace : bool, default=False
        Allow overwriting an existing entry.
    **kwargs
        Fixed keyword arguments for ``func``.

    Returns
    -------
    info : MetricInfo

    Examples
    --------
    >>> from sklearn.metrics import fbeta_score
    >>> from imbtool.metrics import get_metric, register_metric
    >>> info = register_metric("f3", fbeta_score, needs="labels", beta=3, replace=True)
    >>> round(get_metric("f3")([0, 1, 1, 0], [0, 1, 0, 0]), 4)
    0.5263
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string; got {name!r}.")
    if not callable(func):
        raise TypeError(f"func must be callable; got {func!r}.")
    if needs not in NEEDS:
        raise ValueError(f"needs must be one of {NEEDS}; got {needs!r}.")
    if name in _REGISTRY and not replace:
        raise ValueError(f"A metric named {name!r} is already registered; pass replace=True.")
    info = MetricInfo(name, func, needs, bool(greater_is_better), bool(tunes_threshold), kwargs)
    _REGISTRY[name] = info
    return info


def list_metrics(needs=None):
    """Names of the registered metrics, optionally only those taking one input kind.

    Parameters
    ----------
    needs : {"labels", "scores", "probabilities", "values"}, default=None
        Keep only metrics of this input kind (``"values"``: the regression
        metrics).

    Returns
    -------
    names : list of str
        Sorted.

    Examples
    --------
    >>> from imbtool.metrics import list_metrics
    >>> list_metrics("probabilities")
    ['brier', 'ece', 'log_loss']
    """
    if needs is not None and needs not in NEEDS:
        raise ValueError(f"needs must be one of {NEEDS} or None; got {needs!r}.")
    return sorted(n for n, info in _REGISTRY.items() if needs is None or info.needs == needs)


def get_metric(name):
    """Look a metric up by name.

    Parameters
    ----------
    name : str
        A name from :func:`list_metrics`.

    Returns
    -------
    info : MetricInfo

    Examples
    --------
    >>> from imbtool.metrics import get_metric
    >>> info = get_metric("brier")
    >>> info.needs, info.greater_is_better
    ('probabilities', False)
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown metric {name!r}; valid names are: {', '.join(list_metrics())}."
        ) from None


def _takes_pos_label(func):
    try:
        return "pos_label" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


class _MinorityScorer(_Scorer):
    """A scorer whose positive class is, unless fixed, the minority class of ``y_true``.

    The positive class decides both the metric's positive class and the
    column of ``predict_proba`` (or the sign of ``decision_function``) that is
    scored. It is resolved on the ``y_true`` of every call by
    :func:`imbtool.utils.resolve_pos_label`; targets with other than two
    classes are scored as scikit-learn would.
    """

    def _score(self, method_caller, estimator, X, y_true, **kwargs):
        if "pos_label" not in self._kwargs and "pos_label" not in kwargs:
            labels = np.unique(np.asarray(y_true))
            if labels.size == 2:
                pos_label = resolve_pos_label(y_true, classes=labels, name="y_true")
                fixed = _Scorer(self._score_func, self._sign,
                                {**self._kwargs, "pos_label": pos_label}, self._response_method)
                return fixed._score(method_caller, estimator, X, y_true, **kwargs)
        return super()._score(method_caller, estimator, X, y_true, **kwargs)


def get_scorer(scoring, *, pos_label=None):
    """A scikit-learn scorer for an imbtool metric name, else scikit-learn's own.

    imbtool names come first; any other string goes to
    :func:`sklearn.metrics.get_scorer`. Callables are returned unchanged, so
    this can wrap any ``scoring=`` value. Scorers of lower-is-better metrics
    (``"brier"``, ``"ece"``) return the negated value, as scikit-learn's
    ``neg_*`` scorers do.

    **Positive class.** A scorer of an imbtool metric with a positive class
    (F1, precision, recall, average precision, PR-AUC, ROC-AUC, the tuned and
    constrained metrics, Brier score, ECE, log-loss, ...) scores, when
    ``pos_label`` is None, the minority class of the ``y_true`` it is called
    with (rows counted; a tie in counts falls back to the greater label,
    with a ``UserWarning``), and takes that class's ``predict_proba`` column.
    Each call resolves it again: a held-out fold's minority is in practice
    the training minority, but not by construction, so pass ``pos_label``
    to fix it. Estimators resolve their positive class on their training
    labels instead (``pos_label_``).

    Parameters
    ----------
    scoring : str or callable
        Metric name or scorer.
    pos_label : int, float, bool, str or None, default=None
        Positive class of binary imbtool metrics; None means the minority
        class of the scored ``y_true``. Only for imbtool metric names.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from imbtool.metrics import get_scorer
    >>> search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, scoring=get_scorer("g_mean"))
    >>> get_scorer("roc_auc")._response_method
    ('decision_function', 'predict_proba')

    With labels "fraud" (rare) and "ok", the scorers score "fraud":

    >>> import numpy as np
    >>> from imbtool.datasets import load_dataset
    >>> X, y = load_dataset("yeast4", return_X_y=True)
    >>> labels = np.where(y == 1, "fraud", "ok")
    >>> model = LogisticRegression().fit(X, labels)
    >>> f1 = get_scorer("f1")
    >>> bool(f1(model, X, labels) == get_scorer("f1", pos_label="fraud")(model, X, labels))
    True
    """
    if callable(scoring):
        if pos_label is not None:
            raise ValueError("pos_label applies to imbtool metric names; a callable scorer fixes "
                             "its own positive class.")
        return scoring
    if isinstance(scoring, str) and scoring in _REGISTRY:
        info = _REGISTRY[scoring]
        if not _takes_pos_label(info.func):
            if pos_label is not None:
                raise ValueError(f"The metric {scoring!r} has no positive class; leave "
                                 "pos_label=None.")
            return make_scorer(
                info.func,
                response_method=_RESPONSE_METHOD[info.needs],
                greater_is_better=info.greater_is_better,
                **info.kwargs,
            )
        kwargs = dict(info.kwargs)
        if pos_label is not None:
            kwargs["pos_label"] = pos_label
        return _MinorityScorer(info.func, 1 if info.greater_is_better else -1, kwargs,
                               _RESPONSE_METHOD[info.needs])
    if pos_label is not None:
        raise ValueError(
            f"pos_label applies to imbtool metric names; {scoring!r} is scikit-learn's: build "
            "its scorer with sklearn.metrics.make_scorer(..., pos_label=...)."
        )
    try:
        return _sklearn_get_scorer(scoring)
    except (ValueError, TypeError):
        raise ValueError(
            f"Unknown scoring {scoring!r}. imbtool metrics: {', '.join(list_metrics())}; "
            "scikit-learn scorers: sklearn.metrics.get_scorer_names()."
        ) from None


def get_scorer_names():
    """All names :func:`get_scorer` accepts: imbtool's then scikit-learn's.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.metrics import get_scorer_names
    >>> {"g_mean", "f1_tuned", "neg_log_loss"} <= set(get_scorer_names())
    True
    """
    ours = list_metrics()
    return ours + sorted(set(_sklearn_scorer_names()) - set(ours))


def score_predictions(y_true, metrics, *, y_pred=None, y_score=None, y_proba=None, pos_label=None):
    """Compute several registered metrics from one model's predictions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    metrics : iterable of str
        Registered metric names.
    y_pred : array-like of shape (n_samples,), default=None
        Hard predictions, for metrics that need ``"labels"``.
    y_score : array-like of shape (n_samples,), default=None
        Ranking scores of the positive class, for ``"scores"`` metrics.
        Defaults to ``y_proba`` when that is 1-D.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes), default=None
        Probabilities, for ``"probabilities"`` metrics.
    pos_label : int, float, bool, str or None, default=None
        Positive class, passed to every metric that has one; 1-D ``y_score``
        and ``y_proba`` must be the scores of this class. None leaves each
        metric's own default (1 for 0/1 labels, else the greater label).
        With a fitted imbtool estimator pass its ``pos_label_``, or
        :func:`imbtool.utils.resolve_pos_label` of the training labels (the
        minority class).

    Returns
    -------
    values : dict
        ``{name: float}``, in the order of ``metrics``.

    Examples
    --------
    >>> from imbtool.metrics import score_predictions
    >>> score_predictions([0, 1, 1, 0], ["f1", "brier"], y_pred=[0, 1, 0, 0],
    ...                   y_proba=[0.1, 0.8, 0.4, 0.3])
    {'f1': 0.6666666666666666, 'brier': 0.125}
    """
    if y_score is None and y_proba is not None and np.ndim(y_proba) == 1:
        y_score = y_proba
    given = {"labels": y_pred, "scores": y_score, "probabilities": y_proba, "values": y_pred}
    argument = {"labels": "y_pred", "scores": "y_score", "probabilities": "y_proba",
                "values": "y_pred"}
    values = {}
    for name in metrics:
        info = get_metric(name)
        if given[info.needs] is None:
            raise ValueError(f"Metric {name!r} needs {info.needs}; pass {argument[info.needs]}=.")
        extra = ({"pos_label": pos_label}
                 if pos_label is not None and _takes_pos_label(info.func) else {})
        values[name] = float(info(y_true, given[info.needs], **extra))
    return values


for _name, _func, _needs, _kwargs in [
    ("accuracy", accuracy_score, "labels", {}),
    ("balanced_accuracy", balanced_accuracy_score, "labels", {}),
    ("precision", precision_score, "labels", {"zero_division": 0.0}),
    ("recall", recall_score, "labels", {"zero_division": 0.0}),
    ("sensitivity", sensitivity_score, "labels", {}),
    ("specificity", specificity_score, "labels", {}),
    ("f1", f1_score, "labels", {"zero_division": 0.0}),
    ("f2", fbeta_score, "labels", {"beta": 2.0, "zero_division": 0.0}),
    ("g_mean", g_mean, "labels", {}),
    ("iba", index_balanced_accuracy, "labels", {}),
    ("mcc", mcc, "labels", {}),
    ("roc_auc", roc_auc, "scores", {}),
    ("average_precision", average_precision, "scores", {}),
    ("pr_auc", pr_auc, "scores", {}),
]:
    register_metric(_name, _func, needs=_needs, **_kwargs)

register_metric("f1_tuned", fbeta_at_tuned_threshold, needs="scores", tunes_threshold=True)
register_metric(
    "f2_tuned", fbeta_at_tuned_threshold, needs="scores", tunes_threshold=True, beta=2.0
)
register_metric(
    "precision_at_recall_90",
    precision_at_recall,
    needs="scores",
    tunes_threshold=True,
    min_recall=0.9,
)
register_metric(
    "recall_at_precision_90",
    recall_at_precision,
    needs="scores",
    tunes_threshold=True,
    min_precision=0.9,
)
# Imbalanced regression: errors and alerts on the rare targets of y_true (see _regression.py).
register_metric("sera", sera, needs="values", greater_is_better=False)
register_metric("relevance_rmse", relevance_rmse, needs="values", greater_is_better=False)
register_metric("relevance_mae", relevance_mae, needs="values", greater_is_better=False)
register_metric("rare_precision", rare_precision, needs="values")
register_metric("rare_recall", rare_recall, needs="values")
register_metric("rare_f1", rare_f1, needs="values")
register_metric("rare_precision_utility", rare_precision, needs="values", form="utility")
register_metric("rare_recall_utility", rare_recall, needs="values", form="utility")
register_metric("rare_f1_utility", rare_f1, needs="values", form="utility")
register_metric("brier", brier_score, needs="probabilities", greater_is_better=False)
register_metric("ece", expected_calibration_error, needs="probabilities", greater_is_better=False)
def _log_loss(y_true, y_proba, *, pos_label=None, sample_weight=None, labels=None):
    """scikit-learn's ``log_loss``; a 1-D ``y_proba`` is the probability of ``pos_label``.

    Without ``pos_label`` a 1-D ``y_proba`` is that of the greater label, as
    in scikit-learn.
    """
    y_proba = np.asarray(y_proba)
    if pos_label is not None and y_proba.ndim == 1:
        classes = np.unique(np.asarray(y_true)) if labels is None else np.asarray(labels)
        if classes.size == 2 and pos_label == classes[0]:
            y_proba = 1.0 - y_proba
    return log_loss(y_true, y_proba, sample_weight=sample_weight, labels=labels)


register_metric("log_loss", _log_loss, needs="probabilities", greater_is_better=False)
