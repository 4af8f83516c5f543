"""SMOBD: SMOTE seeded by OPTICS-based density, with OPTICS noise left out."""

import warnings
from numbers import Real

import numpy as np
from sklearn.cluster import OPTICS
from sklearn.utils._param_validation import Interval

from ..neighbors import kneighbors
from ..utils._scale import UNIT, scale_param
from ..utils._warnings import ImbtoolUserWarning
from ._base import POSITIVE_INT, BaseOverSampler, class_rows, label_text
from ._kernels import interpolate


def count_within(X, rows, radius, start_k, n_jobs):
    """Rows of ``rows`` (the row itself included) within ``radius`` of each, exactly.

    The neighbour count is doubled for the rows whose k-th neighbour is
    still inside the radius, so dense rows cost more and sparse ones little.
    """
    count = np.ones(rows.size, dtype=np.int64)
    todo = np.arange(rows.size)
    k = min(start_k, rows.size - 1)
    while todo.size and k > 0:
        dist, _ = kneighbors(X, k, rows=rows[todo], among=rows, n_jobs=n_jobs)
        inside = dist <= radius
        count[todo] = 1 + inside.sum(axis=1)
        if k == rows.size - 1:
            break
        todo = todo[inside[:, -1]]
        k = min(2 * k, rows.size - 1)
    return count


def _normalised(values):
    top = values.max()
    return values / top if top > 0 else np.ones_like(values)


class SMOBD(BaseOverSampler):
    """Synthetic Minority Over-sampling Based on Density (SMOBD).

    Following Cao and Wang (2011) as read by smote-variants: OPTICS is run
    on the minority class; a sample whose core distance and reachability
    distance both exceed ``t`` times their class means is noise and seeds
    nothing. The others get the density ``eta1 * c + (1 - eta1) * r``, with
    ``c`` the core distance and ``r`` the number of minority samples within
    ``max_eps``, each divided by its maximum. Means are taken over the
    finite distances and an infinite distance counts as above its mean; in
    the density an infinite core distance counts as 1.1 times the largest
    finite one. Seeds are drawn in
    proportion to density; each synthetic sample lies at a uniform position
    on the segment to one of the seed's ``min_samples`` nearest minority
    neighbours.

    The OPTICS ordering is scikit-learn's (its own neighbour search, over
    the minority class only); the other neighbour queries use
    :mod:`imbtool.neighbors`. ``max_eps`` is in the units of ``X``: scale
    the data first.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    eta1 : float in [0, 1], default=0.5
        Weight of the core distance in the density.
    t : float, default=1.8
        Noise threshold factor.
    min_samples : int, default=5
        OPTICS ``min_samples`` and the number of partner candidates.
    max_eps : float, default=1.0
        OPTICS ``max_eps`` and the radius of the neighbour count.
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
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``, X scaled by the power of two that
        brings its largest magnitude to [1/2, 1) (OPTICS rounds core distances to an
        absolute 15 decimals), so the answer is the same at every scale; ``max_eps`` is
        scaled with it.
    sample_indices_ : ndarray of shape (n_samples,)
        Rows of ``X`` in the output; they come first, in order.
    synthetic_sources_ : ndarray of shape (n_synthetic, 2)
        ``[seed, partner]`` rows of ``X`` behind each synthetic sample.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Position of each synthetic sample on its segment: it is
        ``X[seed] + step * (X[partner] - X[seed])``.

    References
    ----------
    Q. Cao and S. Wang, "Applying over-sampling technique based on data
    density and cost-sensitive SVM to imbalanced learning", International
    Conference on Information Management, Innovation Management and
    Industrial Engineering (ICIII), 2011, vol. 2, pp. 543-548,
    doi:10.1109/ICIII.2011.276.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._smobd import SMOBD
    >>> X, y = make_classification(300, n_features=3, n_redundant=0, weights=[0.9],
    ...                            random_state=0)
    >>> X_res, y_res = SMOBD(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [270, 270]
    """

    # scikit-learn's OPTICS rounds core distances to 15 decimals, an absolute
    # precision that changes answers at any scale but one: X always runs at unit
    # scale (largest magnitude in [1/2, 1); base.BaseSampler), max_eps scaled with it.
    _scale_band = UNIT

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "eta1": [Interval(Real, 0, 1, closed="both")],
        "t": [Interval(Real, 0, None, closed="neither")],
        "min_samples": [POSITIVE_INT],
        "max_eps": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, eta1=0.5, t=1.8,
                 min_samples=5, max_eps=1.0, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.eta1 = eta1
        self.t = t
        self.min_samples = min_samples
        self.max_eps = max_eps
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        k = self.min_samples
        rows = class_rows(y, label, k + 1, f"min_samples={k}")
        max_eps = scale_param(self.max_eps, self.scale_exponent_)
        optics = OPTICS(min_samples=k, max_eps=max_eps)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its advice is replaced by the warning below
            optics.fit(X[rows])
        core, reach = optics.core_distances_, optics.reachability_
        if not np.isfinite(reach).any():
            warnings.warn(
                f"SMOBD: no sample of class {label_text(label)} has min_samples={k} neighbours "
                f"within max_eps={self.max_eps}, so no sample is noise and the density is flat; "
                "scale the data or raise max_eps.", ImbtoolUserWarning, stacklevel=4)
        finite_core = np.isfinite(core)
        noise = np.zeros(rows.size, dtype=bool)
        if finite_core.any() and np.isfinite(reach).any():
            noise = (~finite_core | (core > self.t * core[finite_core].mean())) & (
                ~np.isfinite(reach) | (reach > self.t * reach[np.isfinite(reach)].mean()))
        fill = 1.1 * core[finite_core].max() if finite_core.any() else 1.0
        core = np.where(finite_core, core, fill)
        within = count_within(X, rows, max_eps, k, self.n_jobs).astype(np.float64)
        density = self.eta1 * _normalised(core) + (1 - self.eta1) * _normalised(within)
        density[noise] = 0.0
        if not density.any():
            raise ValueError(f"SMOBD: every sample of class {label_text(label)} is OPTICS noise; "
                             "raise t or max_eps, or scale the data.")
        neighbors = kneighbors(X, k, rows=rows, among=rows, return_distance=False,
                               n_jobs=self.n_jobs)
        pos = rng.choice(rows.size, size=n_new, p=density / density.sum())
        partners = neighbors[pos, rng.randint(0, k, size=n_new)]
        seeds = rows[pos]
        steps = rng.uniform(size=n_new)
        interpolate(X, seeds, X, partners, steps, out, start)
        sources[:, 0] = seeds
        sources[:, 1] = partners
        return steps
