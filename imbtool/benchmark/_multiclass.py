"""The multiclass mode of the benchmark: ``python -m imbtool benchmark --task multiclass``.

Cells are (data set, model, remedy, repeat, fold) as in the binary mode, with
the same models, remedies and stratified folds, over the multiclass sets of
``list_datasets(task="multiclass")``. What changes is the scoring: no class is
"positive", so the metrics are those defined for any number of classes
(``MULTICLASS_METRICS``), computed from the predicted labels and from the
probabilities of every class of the data set. A binary metric (the F1 or the
average precision of one positive class, ...) or a remedy defined for two
classes only (:attr:`imbtool.remedies.Remedy.binary_only`) named for this mode
is refused with an error that names it.
"""

import time
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    log_loss,
    matthews_corrcoef,
    roc_auc_score,
)

from ..datasets import list_datasets
from ..metrics import g_mean, index_balanced_accuracy, list_metrics
from ..remedies import get_remedy
from ._runner import BenchmarkConfig, failed_row, fit_cell

# ----------------------------------------------------------------- metrics


@dataclass(frozen=True)
class MulticlassMetric:
    """A metric of the multiclass mode: ``func(y_true, y, classes)``.

    ``needs`` is ``"labels"`` (``y``: predicted labels) or
    ``"probabilities"`` (``y``: one column per class of ``classes``, the data
    set's classes in sorted order); ``classes`` makes a class that is never
    predicted count as a miss instead of being left out of an average.
    """

    func: object
    needs: str
    greater_is_better: bool
    description: str


def _macro_f1(y_true, y_pred, classes):
    return f1_score(y_true, y_pred, labels=classes, average="macro", zero_division=0.0)


def _balanced_accuracy(y_true, y_pred, classes):
    return balanced_accuracy_score(y_true, y_pred)


def _g_mean(y_true, y_pred, classes):
    return geometric_mean_score(y_true, y_pred, average="multiclass")


def _macro_g_mean(y_true, y_pred, classes):
    return float(np.mean(g_mean(y_true, y_pred, average=None, labels=classes)))


def _macro_iba(y_true, y_pred, classes):
    return index_balanced_accuracy(y_true, y_pred, average="macro", labels=classes)


def _mcc(y_true, y_pred, classes):
    return matthews_corrcoef(y_true, y_pred)


def _accuracy(y_true, y_pred, classes):
    return accuracy_score(y_true, y_pred)


def _roc_auc_ovr(y_true, proba, classes):
    return roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=classes)


def _log_loss(y_true, proba, classes):
    return log_loss(y_true, proba, labels=classes)


MULTICLASS_METRICS = {
    "macro_f1": MulticlassMetric(_macro_f1, "labels", True,
                                 "mean of the per-class F1 scores"),
    "balanced_accuracy": MulticlassMetric(_balanced_accuracy, "labels", True,
                                          "mean of the per-class recalls"),
    "g_mean": MulticlassMetric(_g_mean, "labels", True, "geometric mean of the per-class "
                               "recalls (imbalanced-learn, average='multiclass')"),
    "macro_g_mean": MulticlassMetric(_macro_g_mean, "labels", True, "mean of the one-vs-rest "
                                     "G-means sqrt(sensitivity * specificity) of the classes"),
    "macro_iba": MulticlassMetric(_macro_iba, "labels", True, "mean of the one-vs-rest indices "
                                  "of balanced accuracy (alpha 0.1, squared G-mean)"),
    "mcc": MulticlassMetric(_mcc, "labels", True, "multiclass Matthews correlation"),
    "accuracy": MulticlassMetric(_accuracy, "labels", True, "share of rows predicted right"),
    "roc_auc_ovr": MulticlassMetric(_roc_auc_ovr, "probabilities", True, "mean of the "
                                    "one-vs-rest ROC AUCs of predict_proba's columns"),
    "log_loss": MulticlassMetric(_log_loss, "probabilities", False,
                                 "cross-entropy of predict_proba"),
}
DEFAULT_MULTICLASS_METRICS = ("macro_f1", "balanced_accuracy", "g_mean", "macro_g_mean", "mcc",
                              "roc_auc_ovr")
# The losses of imbtool.boosters (they run with the lgbm model only), the post-hoc logit
# adjustment and the remedies of every family that take any number of classes.
DEFAULT_MULTICLASS_METHODS = (
    "none", "class_weight", "random_under_sampler", "random_over_sampler", "smote",
    "logit_adjusted", "focal_loss", "ldam_loss", "ldam_drw_loss", "logit_adjusted_loss",
    "dice_loss", "self_paced_ensemble", "balanced_random_forest",
)

QUICK_MULTICLASS = dict(datasets=("ecoli-multiclass", "glass-multiclass"), models=("lr", "lgbm"),
                        methods=("none", "class_weight", "smote", "logit_adjusted", "ldam_loss"),
                        folds=3)


def binary_metric_error(names):
    """The error for metric names of the binary mode (one positive class) asked of this one."""
    return ValueError(
        f"--task multiclass: the metric(s) {', '.join(map(repr, names))} score one positive "
        "class and are defined for two classes only; multiclass metrics are: "
        f"{', '.join(MULTICLASS_METRICS)}.")


def check_multiclass_config(config):
    """Raise a ValueError naming any data set, metric or remedy this mode cannot run.

    A binary data set, a binary metric and a remedy with ``binary_only`` are
    named with the reason and what to use instead.
    """
    multiclass = {d["name"] for d in list_datasets(task="multiclass")}
    binary = [d for d in config.datasets if d not in multiclass]
    if binary:
        raise ValueError(f"--task multiclass runs the multiclass data sets; {binary} are not "
                         f"among them: {', '.join(sorted(multiclass))}.")
    unknown = [m for m in config.metrics if m not in MULTICLASS_METRICS]
    if unknown:
        if all(m in list_metrics() for m in unknown):
            raise binary_metric_error(unknown)
        raise ValueError(f"Unknown multiclass metric {unknown[0]!r}; valid: "
                         f"{', '.join(MULTICLASS_METRICS)}.")
    two_class = {m: get_remedy(m).binary_only for m in config.methods
                 if get_remedy(m).binary_only}
    if two_class:
        raise ValueError("--task multiclass: defined for two classes only: " + "; ".join(
            f"{name} ({why})" for name, why in two_class.items()) + ". Leave them out.")


# -------------------------------------------------------------------- cells


def _class_proba(estimator, X, classes):
    """``predict_proba`` with one column per class of ``classes`` (None without it).

    A class the fitted model never saw (a sampler removed all its rows) gets
    a column of zeros, so columns always mean the same class.
    """
    if not hasattr(estimator, "predict_proba"):
        return None
    proba = estimator.predict_proba(X)
    full = np.zeros((proba.shape[0], len(classes)))
    full[:, np.searchsorted(classes, estimator.classes_)] = proba
    return full


@dataclass
class MulticlassBenchmarkConfig(BenchmarkConfig):
    """A multiclass benchmark: data sets, models, remedies, metrics and folds.

    Parameters
    ----------
    datasets : list of str
        Names of ``list_datasets(task="multiclass")``.
    models : list of str
        Registered model names (see :func:`list_models`).
    methods : list of str
        Remedy names of :mod:`imbtool.remedies` that take any number of classes.
    metrics : list of str, default=DEFAULT_MULTICLASS_METRICS
        Keys of ``MULTICLASS_METRICS``; the first is the primary one.
    folds : int, default=5
        Stratified folds per repeat.
    repeats : int, default=1
        Repeats of the cross-validation, each with its own split.
    seed : int, default=0
        Seed of the splits and of every estimator.

    Examples
    --------
    >>> from imbtool.benchmark import MulticlassBenchmarkConfig
    >>> config = MulticlassBenchmarkConfig(datasets=["glass-multiclass"], models=["lgbm"],
    ...                                    methods=["none", "ldam_loss"], folds=2)
    >>> len(config.cells()), config.metrics[:3]
    (4, ['macro_f1', 'balanced_accuracy', 'g_mean'])
    """

    task: ClassVar[str] = "multiclass"
    metrics: list = field(default_factory=lambda: list(DEFAULT_MULTICLASS_METRICS))

    def run(self, cell):
        """Fit and score one cell; never raises (a failure is a result).

        Parameters
        ----------
        cell : dict
            One of :meth:`cells`.

        Returns
        -------
        row : dict
        """
        row = dict(cell)
        try:
            estimator, X_test, y_train, y_test, fit_time = fit_cell(cell, self)
            classes = np.unique(np.concatenate([y_train, y_test]))
            start = time.perf_counter()
            predicted = {"labels": estimator.predict(X_test),
                         "probabilities": _class_proba(estimator, X_test, classes)}
            predict_time = time.perf_counter() - start
            values = {}
            for name in self.metrics:
                metric = MULTICLASS_METRICS[name]
                y = predicted[metric.needs]
                # A model without predict_proba has no probability metrics (NaN: left out).
                values[name] = (float("nan") if y is None
                                else float(metric.func(y_test, y, classes)))
            row.update(status="ok", error="", fit_time=fit_time, predict_time=predict_time,
                       n_train=len(y_train), n_test=len(y_test), metrics=values)
        except Exception as exc:  # recorded, the run goes on
            failed_row(row, exc)
        return row

    def fingerprint(self):
        """What two runs must share for their cells to be comparable.

        Returns
        -------
        fingerprint : dict
            The classification fingerprint and ``task="multiclass"``.
        """
        return {**super().fingerprint(), "task": self.task}

    def directions(self):
        """``{metric: greater_is_better}`` of the configuration's metrics.

        Returns
        -------
        directions : dict
        """
        return {m: MULTICLASS_METRICS[m].greater_is_better for m in self.metrics}
