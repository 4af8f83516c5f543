"""Per-class target sizes and balancing schedules: imbalanced-ensemble's fit arguments.

imbalanced-ensemble's resampling ensembles take, in ``fit``, ``target_label``
(the class whose size every class is resampled to), ``n_target_samples`` (an
int for every class or a dict per class) and ``balancing_schedule`` (how each
round's class sizes move from the original distribution to the target). The
rules and the error messages follow its ``check_target_label_and_n_target_samples``
and schedules, so code written for it reads the same here.

The peers' constructor parameters that imbtool's ensembles leave out are
refused, with the imbtool way, by the sentences of ``PEER_WAYS``.
"""

import numbers
from math import ceil

import numpy as np


def target_distribution(classes, counts, target_label=None, n_target_samples=None,
                        kind="under"):
    """Target size per class, ``{label: n}``, for under- or over-sampling.

    Neither argument: every class at the smallest (``kind="under"``) or
    largest (``"over"``) class's size, imbtool's default.
    """
    labels = [c.item() if hasattr(c, "item") else c for c in classes]
    origin = dict(zip(labels, (int(n) for n in counts)))
    if n_target_samples is not None and target_label is not None:
        raise ValueError(
            "'n_target_samples' and 'target_label' cannot be specified at the same time."
        )
    if n_target_samples is None:
        if target_label is None:
            target_label = labels[int(np.argmin(counts) if kind == "under" else np.argmax(counts))]
        elif target_label not in origin:
            raise ValueError(f"The target class {target_label!r} is not present in the data.")
        n_target_samples = origin[target_label]
    pick = min if kind == "under" else max
    if isinstance(n_target_samples, numbers.Integral) and not isinstance(n_target_samples, bool):
        if n_target_samples <= 0:
            raise ValueError(
                f"'n_target_samples' must be positive, got {n_target_samples}."
            )
        if kind == "under" and n_target_samples > max(origin.values()):
            raise ValueError(
                f"'n_target_samples' > the number of samples of the largest class "
                f"({max(origin.values())}); under-sampling cannot reach {n_target_samples}."
            )
        if kind == "over" and n_target_samples < min(origin.values()):
            raise ValueError(
                f"'n_target_samples' < the number of samples of the smallest class "
                f"({min(origin.values())}); over-sampling cannot reach {n_target_samples}."
            )
        return {c: pick(n_target_samples, n) for c, n in origin.items()}
    if not isinstance(n_target_samples, dict):
        raise ValueError(
            f"'n_target_samples' should be an int or a dict, got "
            f"{type(n_target_samples).__name__}."
        )
    unknown = set(n_target_samples) - set(origin)
    if unknown:
        raise ValueError(f"The target class(es) {sorted(unknown)} are not present in the data.")
    if any(n <= 0 for n in n_target_samples.values()):
        raise ValueError(
            f"The number of samples in a class must > 0; 'n_target_samples' has a "
            f"negative or zero value: {n_target_samples}."
        )
    target = dict(origin)
    for c, n in n_target_samples.items():
        if pick(n, origin[c]) != n:
            raise ValueError(
                f"The target number of samples of class {c} must be "
                f"{'at most' if kind == 'under' else 'at least'} {origin[c]} (its size) for "
                f"{kind}-sampling, got {n}."
            )
        target[c] = int(n)
    return target


def _uniform(origin_distr, target_distr, i_estimator, total_estimator):
    return target_distr


def _progressive(origin_distr, target_distr, i_estimator, total_estimator):
    progress = 1.0 if total_estimator == 1 else i_estimator / (total_estimator - 1)
    # The 1e-10 keeps an exact integer from rounding up (imbalanced-ensemble's rule).
    return {c: ceil(n * (1.0 - progress) + target_distr[c] * progress - 1e-10)
            for c, n in origin_distr.items()}


BALANCING_SCHEDULES = {"uniform": _uniform, "progressive": _progressive}


def check_schedule(balancing_schedule):
    """The schedule function: a name in ``BALANCING_SCHEDULES`` or a callable."""
    if callable(balancing_schedule):
        return balancing_schedule
    if isinstance(balancing_schedule, str) and balancing_schedule in BALANCING_SCHEDULES:
        return BALANCING_SCHEDULES[balancing_schedule]
    raise TypeError(
        f"'balancing_schedule' should be one of {sorted(BALANCING_SCHEDULES)} or a callable "
        "(origin_distr, target_distr, i_estimator, total_estimator) -> dict, got "
        f"{balancing_schedule!r}."
    )


class RoundTargets:
    """Class sizes of every round, in ``classes_`` order, from the fit arguments.

    Sets on ``estimator``: ``origin_distr_``, ``target_label_`` (None when
    ``n_target_samples`` was given), ``target_distr_`` and ``balancing_schedule_``.
    """

    def __init__(self, estimator, target_label, n_target_samples, balancing_schedule, kind):
        classes, counts = estimator.classes_, estimator.class_counts_
        schedule = check_schedule(balancing_schedule)
        target = target_distribution(classes, counts, target_label, n_target_samples, kind)
        labels = list(target)
        estimator.origin_distr_ = dict(zip(labels, (int(n) for n in counts)))
        estimator.target_label_ = (None if n_target_samples is not None else
                                   target_label if target_label is not None else
                                   labels[int(np.argmin(counts) if kind == "under"
                                              else np.argmax(counts))])
        estimator.target_distr_ = target
        estimator.balancing_schedule_ = schedule
        self._labels, self._estimator = labels, estimator

    def __call__(self, i, n_rounds):
        est = self._estimator
        distr = est.balancing_schedule_(est.origin_distr_, est.target_distr_, i, n_rounds)
        return np.array([distr[c] for c in self._labels], dtype=np.int64)


def fit_args_to_eval_set(name, eval_set, eval_datasets, eval_metrics, train_verbose):
    """``eval_set`` from imbalanced-ensemble's ``eval_datasets``; refuse what has no mapping."""
    if eval_metrics is not None:
        raise TypeError(
            f"{name}.fit does not take imbalanced-ensemble's eval_metrics ({{name: (metric, "
            "kwargs)}}); pass eval_metric: a name or callables (y_true, y_pred_proba) -> float."
        )
    if train_verbose not in (False, None):
        raise TypeError(
            f"{name}.fit does not take imbalanced-ensemble's train_verbose; set the "
            "estimator's verbose parameter (1: progress bar, 2: a log line per round)."
        )
    if eval_datasets is None:
        return eval_set
    if eval_set is not None:
        raise ValueError("Pass eval_set or eval_datasets (imbalanced-ensemble's name), not both.")
    if not isinstance(eval_datasets, dict):
        raise TypeError(
            f"eval_datasets must be a dict {{name: (X, y)}}, got {type(eval_datasets).__name__}."
        )
    return list(eval_datasets.values())


# A peer's constructor parameter -> what to do in imbtool (see utils._peer).
PEER_WAYS = {
    "algorithm": (
        "imbalanced-learn's and imbalanced-ensemble's AdaBoost option, which scikit-learn "
        "removed; imbtool's boosters are SAMME, the one algorithm left: drop the argument."),
    "early_termination": (
        "imbalanced-ensemble's switch; this booster always stops at a member without "
        "training error (early_termination=True): drop the argument "
        "(CompatibleAdaBoostClassifier takes it)."),
    "estimator_params": (
        "imbalanced-ensemble's list of attributes copied to every member; set them on "
        "estimator instead (estimator=DecisionTreeClassifier(max_depth=3), say)."),
    "n_jobs_sampler": (
        "imbalanced-ensemble's thread count of the k-means SMOTE step; imbtool runs that "
        "step on one thread inside the round: drop the argument (n_jobs sets the members')."),
    "sampling_strategy": (
        "imbalanced-learn's RUSBoost option; give the class sizes of the rounds to fit: "
        "fit(X, y, n_target_samples={label: size}) or fit(X, y, target_label=label)."),
}
