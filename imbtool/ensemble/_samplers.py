"""The over-samplers used inside the ensembles: imbtool's own SMOTE family."""

from ..over_sampling import SMOTE, KMeansSMOTE


def smote_sampler(kind, sampling_strategy, k_neighbors, seed, **params):
    """A SMOTE-family sampler: ``kind`` is "smote" or "kmeans_smote".

    ``params`` are further parameters of that sampler (KMeansSMOTE's clustering).
    ``n_jobs=1`` because the ensembles already parallelise over members.
    """
    sampler = SMOTE if kind == "smote" else KMeansSMOTE
    return sampler(sampling_strategy=sampling_strategy, k_neighbors=k_neighbors,
                   random_state=seed, n_jobs=1, **params)
