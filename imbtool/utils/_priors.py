"""Class priors given as arrays or dicts, checked and normalised."""

import numpy as np


def as_prior(prior, classes, name):
    """``prior`` (array in ``classes`` order or dict by label) as positive shares summing to 1."""
    if isinstance(prior, dict):
        missing = [c for c in classes.tolist() if c not in prior]
        if missing:
            raise ValueError(f"{name} has no entry for classes {missing}; give one per class.")
        prior = [prior[c] for c in classes.tolist()]
    prior = np.asarray(prior, dtype=float)
    if prior.shape != classes.shape or not np.all(prior > 0) or not np.isfinite(prior).all():
        raise ValueError(
            f"{name} must give a positive number for each of the {classes.size} classes "
            f"{classes.tolist()} (array in classes_ order or dict); got {prior.tolist()}."
        )
    return prior / prior.sum()
