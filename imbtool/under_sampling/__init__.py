"""Under-sampling and cleaning: imbalanced-learn's results, computing only what decides them."""

from ..utils._lazy import lazy_exports

# Each sampler is imported from its module on first use: a first call in a fresh process
# loads its own module and the shared base, not the other samplers (nor what they import).
__getattr__, __dir__ = lazy_exports(__name__, {
    "._cluster_centroids": ("ClusterCentroids",),
    "._condensed_nearest_neighbour": ("CondensedNearestNeighbour", "OneSidedSelection"),
    "._edited_nearest_neighbours": (
        "AllKNN",
        "EditedNearestNeighbours",
        "RepeatedEditedNearestNeighbours",
    ),
    "._instance_hardness_threshold": ("InstanceHardnessThreshold",),
    "._nearmiss": ("NearMiss",),
    "._neighbourhood_cleaning_rule": ("NeighbourhoodCleaningRule",),
    "._random_under_sampler": ("RandomUnderSampler",),
    "._tomek_links": ("TomekLinks",),
})

__all__ = [
    "AllKNN",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
