"""The one registry of imbalance remedies, shared by the benchmark and ``RemedySearchCV``.

Every public sampler, wrapper and ensemble of imbtool is a remedy under one
name (snake case of its class name, see :func:`remedy_name`), next to the
special remedies "none", "class_weight" and "focal_loss". A remedy is put
around an estimator in one way (:meth:`Remedy.plan`): a sampler goes just
before the final step of an :class:`imbtool.pipeline.Pipeline`, a wrapper
takes the estimator, a standalone classifier replaces it. Former names of the
benchmark's and ``RemedySearchCV``'s lists (``"smoteenn"``,
``"random_under_sampling"``, ``"balanced_bagging"``, ...) keep working for one
release with a ``FutureWarning``.
"""

from ._registry import (
    FAMILIES,
    Plan,
    Remedy,
    canonical_name,
    get_remedy,
    list_remedies,
    register_remedy,
    remedy_name,
    select_remedies,
    with_sampler,
)

__all__ = [
    "FAMILIES",
    "Plan",
    "Remedy",
    "canonical_name",
    "get_remedy",
    "list_remedies",
    "register_remedy",
    "remedy_name",
    "select_remedies",
    "with_sampler",
]
