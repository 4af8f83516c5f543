"""Polynomial-fitting SMOTE: synthetic samples along a topology over the minority class."""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ._base import POSITIVE_INT, BaseOverSampler, class_rows
from ._kernels import interpolate


def spread_over_segments(n_segments, n_new, rng):
    """Segment of each new sample and its evenly spaced position on that segment.

    Every segment gets ``n_new // n_segments`` samples and a random set of
    ``n_new % n_segments`` segments one more; a segment with ``c`` samples
    holds them at ``1/(c+1), ..., c/(c+1)``.
    """
    counts = np.full(n_segments, n_new // n_segments, dtype=np.int64)
    counts[rng.choice(n_segments, n_new % n_segments, replace=False)] += 1
    segment = np.repeat(np.arange(n_segments), counts)
    rank = np.arange(n_new) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    return segment, rank / (counts[segment] + 1.0)


def pair_from_index(index, n):
    """The pair ``(i, j)``, ``i < j < n``, at position ``index`` in row-major order."""
    # Row i starts at i*n - i*(i+1)/2; invert that triangular number, then fix rounding.
    i = np.floor((2 * n - 1 - np.sqrt((2 * n - 1) ** 2 - 8.0 * index)) / 2).astype(np.int64)
    start = i * n - i * (i + 1) // 2
    i = np.where(start > index, i - 1, i)
    start = i * n - i * (i + 1) // 2
    i = np.where(index - start >= n - 1 - i, i + 1, i)
    start = i * n - i * (i + 1) // 2
    return i, i + 1 + index - start


class PolynomFitSMOTE(BaseOverSampler):
    """Over-sampling along a topology of the minority class (polynomial fitting SMOTE).

    Gazzah and Amara (2008) place synthetic samples on a structure fitted
    to the minority class:

    - ``"star"``: on the segments from each minority sample to the class mean;
    - ``"bus"``: on the segments between consecutive minority samples, in
      the order of ``X``;
    - ``"mesh"``: on the segments between every pair of minority samples;
    - ``"polynomial"``: on a curve; the samples are ordered by the mean of
      their features, each feature is fitted by a polynomial of ``degree``
      in that rank, and new samples evaluate the curve at uniform ranks.

    For star, bus and mesh the requested count is spread over the segments
    as evenly as possible (the remainder on randomly chosen segments), and
    the samples of a segment are evenly spaced on it, as in the paper.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    topology : {"star", "bus", "mesh", "polynomial"}, default="star"
        Structure the samples are placed on.
    degree : int, default=2
        Degree of the polynomial topology.
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
        ``[seed, partner]`` rows of ``X``. Star: partner -1 (the class mean);
        bus and mesh: the segment's two ends; polynomial: seed is the
        minority sample whose rank is nearest to the evaluated rank,
        partner -1.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Bus and mesh only: synthetic sample ``i`` is
        ``X[seed] + steps[i] * (X[partner] - X[seed])``. Absent for the other
        topologies, whose samples are not made from two rows: a star sample
        lies between its seed and the class mean, a polynomial one on a
        curve fitted to the whole class (a least-squares combination of all
        its samples).

    References
    ----------
    S. Gazzah and N. E. B. Amara, "New oversampling approaches based on
    polynomial fitting for imbalanced data sets", 8th IAPR International
    Workshop on Document Analysis Systems, 2008, pp. 677-684,
    doi:10.1109/DAS.2008.74.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._polynom import PolynomFitSMOTE
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> X_res, y_res = PolynomFitSMOTE(topology="mesh", random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [269, 269]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "topology": [StrOptions({"star", "bus", "mesh", "polynomial"})],
        "degree": [POSITIVE_INT],
    }
    _parameter_constraints.pop("n_jobs")

    def __init__(self, *, sampling_strategy="auto", random_state=None, topology="star",
                 degree=2, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.topology = topology
        self.degree = degree

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        if self.topology == "polynomial":
            self._on_curve(X, y, label, n_new, rng, out, start, sources)
            return None
        rows = class_rows(y, label, 1 if self.topology == "star" else 2,
                          f"topology={self.topology!r}")
        n = rows.size
        if self.topology == "star":
            segment, gaps = spread_over_segments(n, n_new, rng)
            seeds = rows[segment]
            mean = X[rows].mean(axis=0, dtype=np.float64).astype(X.dtype)[None, :]
            interpolate(X, seeds, mean, np.zeros(n_new, dtype=np.int64), gaps, out, start)
            sources[:, 0] = seeds
            # The far end is the class mean, not a row: no two-row step to record.
            return None
        if self.topology == "bus":
            segment, gaps = spread_over_segments(n - 1, n_new, rng)
            seeds, partners = rows[segment], rows[segment + 1]
        else:
            segment, gaps = spread_over_segments(n * (n - 1) // 2, n_new, rng)
            i, j = pair_from_index(segment, n)
            seeds, partners = rows[i], rows[j]
        interpolate(X, seeds, X, partners, gaps, out, start)
        sources[:, 0] = seeds
        sources[:, 1] = partners
        return gaps

    def _on_curve(self, X, y, label, n_new, rng, out, start, sources):
        rows = class_rows(y, label, self.degree + 1, f"degree={self.degree}")
        rows = rows[np.argsort(X[rows].mean(axis=1), kind="stable")]
        rank = np.arange(rows.size, dtype=np.float64)
        coef = np.polynomial.polynomial.polyfit(rank, X[rows].astype(np.float64), self.degree)
        at = rng.uniform(0.0, rows.size - 1.0, size=n_new)
        out[start:start + n_new] = np.polynomial.polynomial.polyvander(at, self.degree) @ coef
        sources[:, 0] = rows[np.rint(at).astype(np.int64)]
