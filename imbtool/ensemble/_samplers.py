"""The over-samplers used inside the ensembles: imbtool's own SMOTE family.

A module of its own so that the ensembles that do not over-sample with SMOTE
(the cost-sensitive and random-resampling boosters, the Self-paced Ensemble and
BalanceCascade) do not import the samplers, nor imbalanced-learn beneath them.
"""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ..over_sampling import SMOTE, KMeansSMOTE
from ..utils import class_visit_order, resample_aligned
from ._base import MAX_INT

# Weight of a synthetic row given to a member (see smote_resample).
SYNTHETIC_WEIGHT = StrOptions({"seed", "interpolate", "class_mean"})


def smote_sampler(kind, sampling_strategy, k_neighbors, seed, **params):
    """A SMOTE-family sampler: ``kind`` is "smote" or "kmeans_smote".

    ``params`` are further parameters of that sampler (KMeansSMOTE's clustering).
    ``n_jobs=1`` because the ensembles already parallelise over members.
    """
    sampler = SMOTE if kind == "smote" else KMeansSMOTE
    return sampler(sampling_strategy=sampling_strategy, k_neighbors=k_neighbors,
                   random_state=seed, n_jobs=1, **params)


def smote_resample(X, y, sample_weight, targets, k_neighbors, rng, kind="smote",
                   synthetic_weight="seed", sampler_params=None):
    """SMOTE every class of (X, y) below its target up to it.

    Kept rows keep their weight; a synthetic row gets its seed's weight
    (``synthetic_weight="seed"``), the weight interpolated like its features
    (``"interpolate"``, :func:`imbtool.utils.resample_aligned`) or the mean
    weight of its class (``"class_mean"``). A class with a single distinct row
    cannot be interpolated and is repeated instead, with the repeated rows' weights.
    """
    counts = np.bincount(y, minlength=targets.shape[0])
    short = np.flatnonzero(targets > counts)
    if short.size == 0:
        return X, y, sample_weight
    strategy = {int(c): int(targets[c]) for c in short}
    k = min(k_neighbors, int(counts[short].min()) - 1)
    if k < 1:
        extra = np.concatenate([rng.choice(np.flatnonzero(y == c), targets[c] - counts[c])
                                for c in class_visit_order(y, short.tolist())])
        rows = np.concatenate([np.arange(y.shape[0]), extra])
        return X[rows], y[rows], None if sample_weight is None else sample_weight[rows]
    sampler = smote_sampler(kind, strategy, k, rng.randint(MAX_INT), **(sampler_params or {}))
    X_res, y_res = sampler.fit_resample(X, y)
    if sample_weight is None:
        return X_res, y_res, None
    if synthetic_weight != "class_mean":
        return X_res, y_res, resample_aligned(sampler, sample_weight, rule=synthetic_weight)
    class_mean = np.bincount(y, weights=sample_weight, minlength=targets.shape[0]) / np.maximum(
        counts, 1)
    weights = np.concatenate([sample_weight, class_mean[y_res[y.shape[0]:]]])
    return X_res, y_res, weights
