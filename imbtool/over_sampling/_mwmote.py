"""MWMOTE: majority-weighted minority over-sampling of the hard-to-learn minority samples."""

from numbers import Real

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.utils._param_validation import Interval

from ..neighbors import kneighbors
from ._base import POSITIVE_INT, BaseOverSampler, class_rows, label_text
from ._kernels import interpolate


def selection_weights(dist, n_features, cf_th, cmax):
    """Selection weight contributed by each border majority sample to its minority neighbours.

    ``dist`` holds, per border majority sample, the distances to its k3
    nearest minority samples. Closeness ``Cf = min(l / d, cf_th) / cf_th *
    cmax`` (``l`` features), information weight ``Iw = Cf * Cf / sum(Cf)``
    over the row; minority samples outside the row have ``Cf = 0``.
    """
    inverse = np.divide(n_features, dist, out=np.full_like(dist, np.inf), where=dist > 0)
    closeness = np.minimum(inverse, cf_th) / cf_th * cmax
    return closeness * closeness / closeness.sum(axis=1, keepdims=True)


class MWMOTE(BaseOverSampler):
    """Majority Weighted Minority Over-sampling TEchnique (MWMOTE).

    Following Barua, Islam, Yao and Murase (2014):

    1. minority samples whose ``k1`` nearest neighbours (all data) are all
       of other classes are noise and are left out (``S_minf``);
    2. the ``k2`` nearest other-class samples of each sample of ``S_minf``
       form the border set ``S_bmaj``;
    3. the ``k3`` nearest minority samples of each border sample form the
       informative set ``S_imin``;
    4. each informative sample gets the selection weight ``sum over y in
       S_bmaj of Iw(y, x)`` (see :func:`selection_weights`);
    5. the minority class is clustered by average linkage, stopping at the
       distance ``cp`` times the mean nearest-neighbour distance in ``S_minf``;
    6. a synthetic sample lies on the segment, at a uniform position, from
       an informative sample drawn by weight to a random other member of its
       cluster (a copy when it is alone in its cluster).

    ``k1``, ``k2`` and ``k3`` are capped at the number of samples they can
    reach. The clustering holds the minority pairwise distances in memory
    (``n_min * (n_min - 1) / 2`` floats).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    k1 : int, default=5
        Neighbours (all data) of the noise filter.
    k2 : int, default=3
        Other-class neighbours defining the border set.
    k3 : int or None, default=None
        Minority neighbours of each border sample; ``None`` is half the
        class size, as in the paper.
    cp : float, default=3.0
        Clustering threshold factor.
    cf_th : float, default=5.0
        Cut-off of the closeness factor.
    cmax : float, default=2.0
        Largest closeness factor.
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
        partner -1 for the copy made from a seed alone in its cluster.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Position of each synthetic sample on its segment: it is
        ``X[seed] + step * (X[partner] - X[seed])``; 0 for the copies.

    References
    ----------
    S. Barua, M. M. Islam, X. Yao and K. Murase, "MWMOTE--Majority weighted
    minority oversampling technique for imbalanced data set learning", IEEE
    Transactions on Knowledge and Data Engineering 26(2) (2014) 405-425,
    doi:10.1109/TKDE.2012.232.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._mwmote import MWMOTE
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> X_res, y_res = MWMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [269, 269]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k1": [POSITIVE_INT],
        "k2": [POSITIVE_INT],
        "k3": [POSITIVE_INT, None],
        "cp": [Interval(Real, 0, None, closed="neither")],
        "cf_th": [Interval(Real, 0, None, closed="neither")],
        "cmax": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k1=5, k2=3, k3=None,
                 cp=3.0, cf_th=5.0, cmax=2.0, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k1 = k1
        self.k2 = k2
        self.k3 = k3
        self.cp = cp
        self.cf_th = cf_th
        self.cmax = cmax
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        rows = class_rows(y, label, 2, "MWMOTE (a seed and a partner)")
        others = np.flatnonzero(y != label)
        jobs = self.n_jobs
        around = kneighbors(X, min(self.k1, X.shape[0] - 1), rows=rows,
                            return_distance=False, n_jobs=jobs)
        filtered = rows[(y[around] == label).any(axis=1)]
        if filtered.size < 2:
            raise ValueError(
                f"MWMOTE: {filtered.size} sample(s) of class {label_text(label)} have a sample "
                "of their "
                f"class among their k1={self.k1} nearest neighbours; at least 2 are needed. "
                "Raise k1 or leave this class out."
            )
        border = np.unique(kneighbors(X, min(self.k2, others.size), rows=filtered,
                                      among=others, return_distance=False, n_jobs=jobs))
        k3 = rows.size // 2 if self.k3 is None else self.k3
        dist, informative = kneighbors(X, max(1, min(k3, rows.size)), rows=border, among=rows,
                                       n_jobs=jobs)
        weight = np.zeros(X.shape[0])
        np.add.at(weight, informative.ravel(),
                  selection_weights(dist, X.shape[1], self.cf_th, self.cmax).ravel())
        weight = weight[rows]

        nearest, _ = kneighbors(X, 1, rows=filtered, among=filtered, n_jobs=jobs)
        tree = linkage(X[rows].astype(np.float64), method="average")
        cluster = fcluster(tree, t=self.cp * nearest.mean(), criterion="distance")
        order = np.argsort(cluster, kind="stable")
        first = np.searchsorted(cluster[order], cluster, side="left")
        size = np.searchsorted(cluster[order], cluster, side="right") - first
        rank = np.empty(rows.size, dtype=np.int64)
        rank[order] = np.arange(rows.size)

        pos = rng.choice(rows.size, size=n_new, p=weight / weight.sum())
        # A uniform other member of the seed's cluster: shift by 1..size-1 within it.
        shift = 1 + np.floor(rng.uniform(size=n_new) * (size[pos] - 1)).astype(np.int64)
        alone = size[pos] == 1
        partner_pos = order[first[pos] + (rank[pos] - first[pos] + shift) % size[pos]]
        seeds = rows[pos]
        partners = np.where(alone, -1, rows[partner_pos])
        steps = rng.uniform(size=n_new)
        interpolate(X, seeds, X, partners, steps, out, start)
        sources[:, 0] = seeds
        sources[:, 1] = partners
        return steps
