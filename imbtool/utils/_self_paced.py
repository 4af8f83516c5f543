"""Self-paced Ensemble's hardness, bins and quotas (Liu et al., ICDE 2020), shared by the
in-memory ensemble and its Dask counterpart."""

import numpy as np

_EPS = np.finfo(np.float64).eps

# Hardness of a sample from the probability the ensemble gives its own class:
# the error of a one-vs-rest prediction whose target is 1.
HARDNESS = {
    "absolute_error": lambda p: 1.0 - p,
    "squared_error": lambda p: (1.0 - p) ** 2,
    "cross_entropy": lambda p: -np.log(np.clip(p, _EPS, None)),
}


def hardness_bins(hardness, lo, hi, k_bins):
    """Bin of each hardness among ``k_bins`` equal-width bins over ``[lo, hi]`` (``hi > lo``)."""
    return np.minimum(((hardness - lo) * (k_bins / (hi - lo))).astype(np.intp), k_bins - 1)


def bin_shares(population, hardness_sum, alpha):
    """Each bin's share of the sample: ``1 / (mean hardness + alpha)``, normalised; empty
    bins get none."""
    filled = population > 0
    mean_hardness = np.zeros(population.shape[0])
    mean_hardness[filled] = hardness_sum[filled] / population[filled]
    weight = np.zeros(population.shape[0])
    weight[filled] = 1.0 / (mean_hardness[filled] + alpha)
    return weight / weight.sum()


def bin_quotas(shares, total):
    """Integer quotas proportional to ``shares`` that add up to ``total``.

    Floors first, then gives the leftover units to the largest remainders
    (ties to the lower bin), so rounding never changes the sample size.
    """
    raw = shares * total
    quota = np.floor(raw).astype(np.int64)
    leftover = int(total - quota.sum())
    if leftover > 0:
        quota[np.argsort(quota - raw, kind="stable")[:leftover]] += 1
    return quota
