"""Bootstrap confidence intervals for any metric of (y_true, prediction)."""

import numbers
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.utils import Bunch, check_random_state

from ..metrics import get_metric
from ..metrics._validation import check_same_length
from ..utils._warnings import ImbtoolUserWarning

_METHODS = ("percentile", "bca")


def bootstrap_ci(
    metric,
    y_true,
    y_score,
    *,
    n_bootstraps=1000,
    confidence=0.95,
    method="percentile",
    stratify=True,
    random_state=None,
):
    """Bootstrap confidence interval of a metric over the evaluation samples.

    Each replicate draws ``n`` rows with replacement and recomputes the metric.
    With ``stratify=True`` (default) rows are drawn within each class so every
    replicate keeps the class counts -- under heavy imbalance an unstratified
    replicate may miss the minority class altogether, where ranking metrics are
    undefined. The interval covers the uncertainty from the finite evaluation
    set, not from retraining the model.

    Parameters
    ----------
    metric : str or callable
        A registered metric name (:func:`imbtool.metrics.list_metrics`) or
        ``metric(y_true, y_score) -> float``.
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Whatever ``metric`` takes as its second argument: labels, scores or
        probabilities.
    n_bootstraps : int, default=1000
        Number of replicates.
    confidence : float, default=0.95
        Coverage of the two-sided interval, in (0, 1).
    method : {"percentile", "bca"}, default="percentile"
        ``"percentile"``: quantiles of the replicates. ``"bca"``: bias-corrected
        and accelerated (Efron 1987); the bias uses the share of replicates
        below the estimate (ties count half) and the acceleration a
        leave-one-out jackknife, which costs ``n_samples`` extra metric calls.
    stratify : bool, default=True
        Resample within classes of ``y_true``.
    random_state : int, RandomState instance or None, default=None
        Seed of the resampling.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``estimate`` (metric on all samples), ``low``, ``high``, ``confidence``,
        ``method``, ``n_bootstraps`` (replicates used) and ``distribution``
        (the replicate values).

    References
    ----------
    B. Efron. "Better bootstrap confidence intervals", JASA 82(397), 1987.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.evaluation import bootstrap_ci
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.zeros(180), np.ones(20)]
    >>> score = y + rng.normal(scale=1.0, size=200)
    >>> ci = bootstrap_ci("roc_auc", y, score, n_bootstraps=200, random_state=0)
    >>> bool(ci.low < ci.estimate < ci.high)
    True
    """
    func = get_metric(metric) if isinstance(metric, str) else metric
    if not callable(func):
        raise TypeError(f"metric must be a metric name or a callable; got {metric!r}.")
    if not (isinstance(n_bootstraps, numbers.Integral) and n_bootstraps >= 2):
        raise ValueError(f"n_bootstraps must be an integer >= 2; got {n_bootstraps!r}.")
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}.")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}; got {method!r}.")
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score)
    check_same_length(y_true=y_true, y_score=y_score)
    rng = check_random_state(random_state)

    estimate = float(func(y_true, y_score))
    strata = (
        [np.flatnonzero(y_true == c) for c in np.unique(y_true)]
        if stratify
        else [np.arange(len(y_true))]
    )
    distribution = []
    failures = 0
    for _ in range(n_bootstraps):
        rows = np.concatenate([s[rng.randint(len(s), size=len(s))] for s in strata])
        try:
            distribution.append(float(func(y_true[rows], y_score[rows])))
        except ValueError:
            # An unstratified replicate can lose a class; the metric is undefined there.
            failures += 1
    if len(distribution) < n_bootstraps / 2:
        raise ValueError(
            f"The metric failed on {failures} of {n_bootstraps} replicates; use stratify=True."
        )
    if failures:
        warnings.warn(
            f"The metric was undefined on {failures} of {n_bootstraps} replicates, which "
            "were dropped; use stratify=True to keep every class in every replicate.",
            ImbtoolUserWarning,
            stacklevel=2,
        )
    distribution = np.asarray(distribution)

    tail = (1 - confidence) / 2
    quantiles = np.array([tail, 1 - tail])
    if method == "bca":
        quantiles = _bca_quantiles(func, y_true, y_score, estimate, distribution, quantiles)
    low, high = np.percentile(distribution, 100 * quantiles)
    return Bunch(
        estimate=estimate,
        low=float(low),
        high=float(high),
        confidence=confidence,
        method=method,
        n_bootstraps=len(distribution),
        distribution=distribution,
    )


def _bca_quantiles(func, y_true, y_score, estimate, distribution, quantiles):
    below = np.mean(distribution < estimate) + 0.5 * np.mean(distribution == estimate)
    # All replicates on one side of the estimate would make z0 infinite.
    half_step = 0.5 / len(distribution)
    z0 = norm.ppf(np.clip(below, half_step, 1 - half_step))
    keep = np.ones(len(y_true), dtype=bool)
    jackknife = np.empty(len(y_true))
    for i in range(len(y_true)):
        keep[i] = False
        jackknife[i] = func(y_true[keep], y_score[keep])
        keep[i] = True
    deviation = jackknife.mean() - jackknife
    spread = np.sum(deviation**2)
    acceleration = np.sum(deviation**3) / (6 * spread**1.5) if spread > 0 else 0.0
    z = norm.ppf(quantiles)
    return norm.cdf(z0 + (z0 + z) / (1 - acceleration * (z0 + z)))
