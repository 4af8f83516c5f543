"""Repeated stratified cross-validation that resamples inside training folds only."""

import numbers

import numpy as np
from imblearn.pipeline import make_pipeline
from sklearn.model_selection import RepeatedStratifiedKFold, check_cv, cross_validate

from ..metrics import get_metric, get_scorer
from ..metrics._registry import _REGISTRY, _takes_pos_label
from ..utils import resolve_pos_label

DEFAULT_METRICS = ("roc_auc", "average_precision", "f1", "g_mean", "mcc")


def positive_scorer(scoring, pos_label):
    """Scorer of ``scoring`` whose positive class is ``pos_label`` where the metric has one.

    :func:`imbtool.metrics.get_scorer` with ``pos_label`` for imbtool metric
    names with a positive class (F1, average precision, ROC-AUC, Brier, ...);
    imbtool metrics without one (accuracy, MCC, ...), scikit-learn scorer
    names and callables are returned as :func:`~imbtool.metrics.get_scorer`
    gives them (scikit-learn's scorers fix their own positive class).

    Parameters
    ----------
    scoring : str or callable
        Metric name or scorer.
    pos_label : int, float, bool, str or None
        The positive class, resolved on the training labels
        (:func:`imbtool.utils.resolve_pos_label`); None leaves the scorer
        to the minority of the labels it scores.

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from imbtool.evaluation._cv import positive_scorer
    >>> positive_scorer("f1", "fraud")._kwargs["pos_label"]
    'fraud'
    >>> "pos_label" in positive_scorer("accuracy", "fraud")._kwargs
    False
    """
    if (pos_label is not None and isinstance(scoring, str) and scoring in _REGISTRY
            and _takes_pos_label(_REGISTRY[scoring].func)):
        return get_scorer(scoring, pos_label=pos_label)
    return get_scorer(scoring)


def cross_validate_imbalanced(
    estimator,
    X,
    y,
    *,
    sampler=None,
    metrics=DEFAULT_METRICS,
    cv=5,
    n_repeats=1,
    random_state=None,
    n_jobs=None,
    params=None,
    error_score="raise",
    return_estimator=False,
):
    """Repeated stratified K-fold CV with resampling confined to the training folds.

    The sampler is fitted on, and only changes, the training part of each split;
    the validation part is the untouched original rows. With ``sampler=`` the
    pair is run as an :func:`imblearn.pipeline.make_pipeline` of clones; an
    imbalanced-learn ``Pipeline`` passed as ``estimator`` works the same way,
    since its samplers act in ``fit`` only. Splitting, fitting and scoring are
    done by :func:`sklearn.model_selection.cross_validate`.

    Parameters
    ----------
    estimator : estimator object
        Classifier, or an imbalanced-learn ``Pipeline`` ending in one.
    X : array-like of shape (n_samples, n_features)
        Features.
    y : array-like of shape (n_samples,)
        Labels.
    sampler : sampler object, default=None
        An object with ``fit_resample`` applied before ``estimator`` inside
        each training fold.
    metrics : iterable of str, default=("roc_auc", "average_precision", "f1", "g_mean", "mcc")
        imbtool metric names (see :func:`imbtool.metrics.list_metrics`) or
        scikit-learn scorer names. On binary labels, imbtool metrics with a
        positive class score the minority class of each split's training
        labels (:func:`imbtool.utils.resolve_pos_label`), whatever the labels'
        sort order; scikit-learn scorer names keep their own positive class
        (``classes_[1]``). Threshold-tuning metrics such as
        ``"f1_tuned"`` pick their threshold on the validation fold itself and
        are optimistic.
    cv : int or cross-validation splitter, default=5
        An int ``k`` means ``RepeatedStratifiedKFold(n_splits=k,
        n_repeats=n_repeats, random_state=random_state)``. A splitter is used
        as given (``n_repeats`` and ``random_state`` are then ignored).
    n_repeats : int, default=1
        Repetitions of the k-fold split with different shuffles.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffles when ``cv`` is an int.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib). Results do not depend on it.
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context,
        ``-1`` every processor (joblib's rule).
    params : dict, default=None
        Fit parameters routed as in :func:`~sklearn.model_selection.cross_validate`.
    error_score : "raise" or float, default="raise"
        Value recorded when fitting fails, or ``"raise"`` to propagate.
    return_estimator : bool, default=False
        Add the fitted estimator of each split to its row.

    Returns
    -------
    rows : list of dict
        One row per split: ``repeat``, ``fold``, ``n_train``, ``n_test``,
        ``fit_time`` (seconds, resampling included), ``score_time`` (seconds,
        predicting and scoring the validation fold) and one value per metric.
        Metric values are the metrics' own values: lower-is-better imbtool
        metrics such as ``"brier"`` are reported as is, not negated.

    Examples
    --------
    >>> from imblearn.under_sampling import RandomUnderSampler
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.evaluation import cross_validate_imbalanced
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> rows = cross_validate_imbalanced(
    ...     LogisticRegression(max_iter=5000), X, y, sampler=RandomUnderSampler(random_state=0),
    ...     metrics=["roc_auc", "g_mean"], cv=3, n_repeats=2, random_state=0)
    >>> len(rows), sorted(rows[0])[:4]
    (6, ['fit_time', 'fold', 'g_mean', 'n_test'])
    >>> all(row["roc_auc"] > 0.9 for row in rows)
    True
    """
    if sampler is not None:
        if not hasattr(sampler, "fit_resample"):
            raise TypeError(
                f"sampler must have a fit_resample method (an imbalanced-learn sampler); "
                f"got {type(sampler).__name__}."
            )
        estimator = make_pipeline(sampler, estimator)
    if isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics)
    if not metrics:
        raise ValueError("metrics is empty; name at least one metric.")

    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds; got {cv}.")
        if not (isinstance(n_repeats, numbers.Integral) and n_repeats >= 1):
            raise ValueError(f"n_repeats must be a positive integer; got {n_repeats!r}.")
        splitter = RepeatedStratifiedKFold(
            n_splits=cv, n_repeats=n_repeats, random_state=random_state
        )
        folds_per_repeat = cv
    else:
        splitter = check_cv(cv, y, classifier=True)
        total = splitter.get_n_splits(X, y)
        folds_per_repeat = total // getattr(splitter, "n_repeats", 1)

    splits = list(splitter.split(X, y))
    # The positive class of each split is the minority of its training labels, as a fitted
    # imbtool estimator resolves it; splits that agree are run together.
    y_array = np.asarray(y)
    binary = np.unique(y_array).size == 2
    by_positive = {}
    for index, (train, _) in enumerate(splits):
        pos = (resolve_pos_label(y_array[train], name="the training fold's labels")
               if binary else None)
        by_positive.setdefault(pos, []).append(index)
    result = {}
    for pos, indices in by_positive.items():
        part = cross_validate(
            estimator,
            X,
            y,
            scoring={name: positive_scorer(name, pos) for name in metrics},
            cv=[splits[i] for i in indices],
            n_jobs=n_jobs,
            params=params,
            error_score=error_score,
            return_estimator=return_estimator,
            return_indices=True,
        )
        for key, values in part.items():
            if key == "indices":
                for side in ("train", "test"):
                    store = result.setdefault("indices", {}).setdefault(side, [None] * len(splits))
                    for i, value in zip(indices, values[side]):
                        store[i] = value
                continue
            store = result.setdefault(key, [None] * len(splits))
            for i, value in zip(indices, values):
                store[i] = value
    # Scorers negate lower-is-better metrics; report the metric's own value.
    sign = {
        name: 1.0 if name not in _REGISTRY or get_metric(name).greater_is_better else -1.0
        for name in metrics
    }
    rows = []
    for split, (train, test) in enumerate(
        zip(result["indices"]["train"], result["indices"]["test"])
    ):
        row = {
            "repeat": split // folds_per_repeat,
            "fold": split % folds_per_repeat,
            "n_train": len(train),
            "n_test": len(test),
            "fit_time": float(result["fit_time"][split]),
            "score_time": float(result["score_time"][split]),
        }
        for name in metrics:
            row[name] = sign[name] * float(result[f"test_{name}"][split])
        if return_estimator:
            row["estimator"] = result["estimator"][split]
        rows.append(row)
    return rows
