"""Safe-Level-SMOTE: the gap leans toward the end of the segment that is safer."""

import numpy as np

from ..neighbors import kneighbors
from ._base import POSITIVE_INT, BaseOverSampler, class_rows, label_text


def safe_level_gap_bounds(slp, sln):
    """Per-pair gap interval ``[lo, hi]`` of Safe-Level-SMOTE.

    ``slp``/``sln``: safe levels (minority count among the k neighbours in
    the whole data) of the seed and of its partner. ``sln == 0`` (partner is
    noise) gives ``[0, 0]``, a copy of the seed; a larger ``slp`` shrinks the
    interval toward the seed, a larger ``sln`` toward the partner. The pair
    with both levels 0 has no interval; callers leave it out.
    """
    slp = slp.astype(np.float64)
    sln = sln.astype(np.float64)
    lo = np.zeros_like(slp)
    hi = np.ones_like(slp)
    partner_noise = sln == 0
    hi[partner_noise] = 0.0
    seed_safer = ~partner_noise & (slp > sln)
    hi[seed_safer] = sln[seed_safer] / slp[seed_safer]
    partner_safer = ~partner_noise & (slp < sln)
    lo[partner_safer] = 1.0 - slp[partner_safer] / sln[partner_safer]
    return lo, hi


class SafeLevelSMOTE(BaseOverSampler):
    """Safe-Level-SMOTE over-sampling.

    The safe level of a minority sample is the number of its class among its
    ``k_neighbors`` nearest neighbours in the whole data. For a seed ``p``
    and a partner ``n`` among ``p``'s ``k_neighbors`` nearest minority
    neighbours, with levels ``slp`` and ``sln`` (Bunkhumpornpat et al.,
    2009): no sample when both are 0; a copy of ``p`` when only ``sln`` is
    0; otherwise each attribute gets its own gap, uniform in ``[0, 1]`` when
    ``slp == sln``, in ``[0, sln / slp]`` when ``slp > sln`` and in
    ``[1 - slp / sln, 1]`` when ``slp < sln``, and the sample is
    ``p + gap * (n - p)``. The paper makes one sample per minority sample
    and round; to give any requested count, the pairs (seed, neighbour) are
    drawn uniformly, with replacement, among those that make a sample.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    k_neighbors : int, default=5
        Neighbours for the partners (minority) and the safe levels (all data).
    n_jobs : int, default=None
        Threads of the neighbour search; the output does not depend on it.
        ``None`` and ``-1`` use every core available (threads inside one call,
        as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples generated per class.
    sample_indices_ : ndarray of shape (n_samples,)
        Rows of ``X`` in the output; they come first, in order.
    synthetic_sources_ : ndarray of shape (n_synthetic, 2)
        ``[seed, partner]`` rows of ``X`` behind each synthetic sample;
        partner -1 for the copies made when the partner's safe level is 0.
    synthetic_steps_ : ndarray of shape (n_synthetic, n_features)
        The gap of every attribute: synthetic sample ``i`` is
        ``X[seed] + steps[i] * (X[partner] - X[seed])``, feature by feature;
        0 for the copies. With a gap per feature there is no single step
        for a row-aligned array, so :func:`imbtool.utils.resample_aligned`
        offers only ``rule="seed"`` here.

    References
    ----------
    C. Bunkhumpornpat, K. Sinapiromsaran and C. Lursinsap,
    "Safe-Level-SMOTE: Safe-Level-Synthetic Minority Over-Sampling TEchnique
    for handling the class imbalanced problem", PAKDD 2009, LNCS 5476,
    pp. 475-482, doi:10.1007/978-3-642-01307-2_43.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._safe_level import SafeLevelSMOTE
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> X_res, y_res = SafeLevelSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [269, 269]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [POSITIVE_INT],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        k = self.k_neighbors
        rows = class_rows(y, label, k + 1, f"k_neighbors={k}")
        around = kneighbors(X, k, rows=rows, return_distance=False, n_jobs=self.n_jobs)
        level = np.zeros(X.shape[0], dtype=np.int64)
        level[rows] = (y[around] == label).sum(axis=1)
        partners = kneighbors(X, k, rows=rows, among=rows, return_distance=False,
                              n_jobs=self.n_jobs)
        seeds = np.repeat(rows, k)
        partners = partners.reshape(-1)
        usable = (level[seeds] > 0) | (level[partners] > 0)
        if not usable.any():
            raise ValueError(
                f"SafeLevelSMOTE: every minority sample of class {label_text(label)} has no "
                "sample of its "
                f"class among its k_neighbors={k} nearest neighbours (safe level 0), so no "
                "synthetic sample can be made; raise k_neighbors or leave this class out."
            )
        seeds, partners = seeds[usable], partners[usable]
        pick = rng.randint(0, seeds.size, size=n_new)
        seeds, partners = seeds[pick], partners[pick]
        lo, hi = safe_level_gap_bounds(level[seeds], level[partners])
        gaps = lo[:, None] + (hi - lo)[:, None] * rng.uniform(size=(n_new, X.shape[1]))
        base = X[seeds]
        out[start:start + n_new] = base + gaps * (X[partners] - base)
        sources[:, 0] = seeds
        sources[:, 1] = np.where(level[partners] > 0, partners, -1)
        return gaps
