"""Lee's SMOTE with rejection of synthetic points that land among the other classes."""

import warnings
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ..neighbors import NearestNeighbors
from ..neighbors._query import query_slices
from ..utils._warnings import ImbtoolUserWarning
from ._base import POSITIVE_INT, BaseOverSampler, class_neighbor_table, label_text, random_pairs
from ._kernels import interpolate


class LeeSMOTE(BaseOverSampler):
    """SMOTE that rejects candidates whose neighbourhood is mostly other classes.

    A candidate is made as in SMOTE, on the segment between a random
    minority sample and one of its ``k_neighbors`` nearest minority
    neighbours. It is kept only if fewer than ``rejection_level`` of its
    ``k_neighbors`` nearest neighbours in the training data belong to other
    classes (Lee, Kim and Lee, 2015). Candidates are drawn in batches sized
    by the last acceptance rate; when five batches in a row yield nothing
    the level is raised by 0.1 (a warning says so), which guarantees the
    requested count.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    k_neighbors : int, default=5
        Neighbours for the segments and for the rejection test.
    rejection_level : float in (0, 1], default=0.5
        Largest accepted share of other-class neighbours (exclusive).
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
    J. Lee, N. Kim and J.-H. Lee, "An over-sampling technique with rejection
    for imbalanced class learning", Proc. 9th Int. Conf. on Ubiquitous
    Information Management and Communication (IMCOM), 2015,
    doi:10.1145/2701126.2701181.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._lee import LeeSMOTE
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> X_res, y_res = LeeSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [269, 269]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [POSITIVE_INT],
        "rejection_level": [Interval(Real, 0, 1, closed="right")],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 rejection_level=0.5, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.rejection_level = rejection_level
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        k = self.k_neighbors
        rows, neighbors = class_neighbor_table(X, y, label, k, self.n_jobs)
        around_index = NearestNeighbors(n_neighbors=k, n_jobs=self.n_jobs).fit(X)
        level, barren, filled, rate = self.rejection_level, 0, 0, 0.5
        steps = np.empty(n_new)
        while filled < n_new:
            # Size the batch by the last acceptance rate: few large queries, not many small
            # ones; after a barren batch only probe, as the level may have to rise.
            missing = n_new - filled
            batch = 32 + int(min(1.25 * missing / rate, 16 * missing)) if rate > 0 else 256
            pos, partners = random_pairs(neighbors, batch, rng)
            seeds = rows[pos]
            candidates = np.empty((batch, X.shape[1]), dtype=X.dtype)
            gaps = rng.uniform(size=batch)
            interpolate(X, seeds, X, partners, gaps, candidates, 0)
            around = np.concatenate([
                around_index.kneighbors(candidates[part], return_distance=False)
                for part in query_slices(batch, X.shape[0])])
            foreign = (y[around] != label).mean(axis=1)
            accepted = np.flatnonzero(foreign < level)
            rate = accepted.size / batch
            keep = accepted[:missing]
            out[start + filled:start + filled + keep.size] = candidates[keep]
            sources[filled:filled + keep.size, 0] = seeds[keep]
            sources[filled:filled + keep.size, 1] = partners[keep]
            steps[filled:filled + keep.size] = gaps[keep]
            filled += keep.size
            barren = barren + 1 if keep.size == 0 else 0
            if barren == 5:
                level, barren = level + 0.1, 0
        if level > self.rejection_level:
            warnings.warn(f"LeeSMOTE: class {label_text(label)} needed rejection_level raised from "
                          f"{self.rejection_level} to {level:.1f} to reach its count.",
                          ImbtoolUserWarning, stacklevel=4)
        return steps
