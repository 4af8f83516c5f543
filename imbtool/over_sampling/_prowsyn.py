"""ProWSyn: synthesis weighted by each minority sample's proximity level to the boundary."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ..neighbors import kneighbors
from ._base import POSITIVE_INT, BaseOverSampler, class_rows, label_text
from ._kernels import interpolate


def proximity_levels(X, y, label, rows, n_neighbors, n_levels, n_jobs):
    """Proximity level (1 = nearest the other classes) of each row in ``rows``.

    Level ``l < n_levels`` holds the not-yet-levelled minority samples that
    are among the ``n_neighbors`` nearest of those to some sample of another
    class; what is left after ``n_levels - 1`` rounds gets ``n_levels``.
    """
    others = np.flatnonzero(y != label)
    level = np.full(rows.size, n_levels, dtype=np.int64)
    position = np.full(X.shape[0], -1, dtype=np.int64)
    position[rows] = np.arange(rows.size)
    left = rows
    for lev in range(1, n_levels):
        if left.size == 0:
            break
        near = kneighbors(X, min(n_neighbors, left.size), rows=others, among=left,
                          return_distance=False, n_jobs=n_jobs)
        hit = np.unique(near)
        level[position[hit]] = lev
        left = np.setdiff1d(left, hit, assume_unique=True)
    return level


class ProWSyn(BaseOverSampler):
    """Proximity Weighted Synthetic over-sampling (ProWSyn).

    The minority class is cut into proximity levels (Barua, Islam and
    Murase, 2013): level 1 holds the ``n_neighbors`` nearest minority
    samples of every sample of the other classes; they are removed and the
    step repeats for levels 2, ..., ``L - 1``; the rest forms level ``L``.
    A sample of level ``l`` gets the weight ``exp(-theta * (l - 1))``, so
    samples near the boundary seed more synthetic samples. Seeds are drawn
    in proportion to their weight; each synthetic sample lies on the segment
    from its seed to a random other sample of the same level, at a uniform
    position. A sample alone in its level seeds nothing.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    n_neighbors : int, default=5
        Minority neighbours taken per other-class sample at each level (K).
    L : int, default=5
        Number of proximity levels.
    theta : float, default=1.0
        Decay of the weight with the level; 0 weighs all levels the same.
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
        ``[seed, partner]`` rows of ``X`` behind each synthetic sample.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Position of each synthetic sample on its segment: it is
        ``X[seed] + step * (X[partner] - X[seed])``.

    References
    ----------
    S. Barua, M. M. Islam and K. Murase, "ProWSyn: Proximity weighted
    synthetic oversampling technique for imbalanced data set learning",
    PAKDD 2013, LNCS 7819, pp. 317-328, doi:10.1007/978-3-642-37456-2_27.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._prowsyn import ProWSyn
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> X_res, y_res = ProWSyn(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [269, 269]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_neighbors": [POSITIVE_INT],
        "L": [POSITIVE_INT],
        "theta": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=5, L=5,
                 theta=1.0, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.L = L
        self.theta = theta
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        rows = class_rows(y, label, 2, "ProWSyn (a seed and a partner)")
        level = proximity_levels(X, y, label, rows, self.n_neighbors, self.L, self.n_jobs)
        order = np.argsort(level, kind="stable")
        rows, level = rows[order], level[order]
        first = np.searchsorted(level, level, side="left")
        size = np.searchsorted(level, level, side="right") - first
        weight = np.exp(-self.theta * (level - 1.0)) * (size > 1)
        if not weight.any():
            raise ValueError(f"ProWSyn: every proximity level of class {label_text(label)} holds "
                             "a single sample, so no segment exists; lower L or raise "
                             "n_neighbors.")
        pos = rng.choice(rows.size, size=n_new, p=weight / weight.sum())
        # A uniform other member of the seed's level: shift by 1..size-1 within the level.
        shift = 1 + np.floor(rng.uniform(size=n_new) * (size[pos] - 1)).astype(np.int64)
        partner_pos = first[pos] + (pos - first[pos] + shift) % size[pos]
        seeds, partners = rows[pos], rows[partner_pos]
        steps = rng.uniform(size=n_new)
        interpolate(X, seeds, X, partners, steps, out, start)
        sources[:, 0] = seeds
        sources[:, 1] = partners
        return steps
