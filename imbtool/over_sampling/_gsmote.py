"""Geometric SMOTE: synthetic samples inside a truncated, deformed hyper-sphere."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ..neighbors import nearest_other_class
from ._base import POSITIVE_INT, BaseOverSampler, class_neighbor_table, class_rows, random_pairs


def geometric_points(center, surface, directions, radii_u, truncation_factor,
                     deformation_factor):
    """Points of the G-SMOTE region around ``center`` reaching ``surface``, in float64.

    ``directions`` (standard normal rows) and ``radii_u`` (uniform) give a
    uniform point of the unit ball. Its component along the center-surface
    axis is mirrored when it falls outside the truncated part (below
    ``truncation_factor - 1`` for a positive factor, above
    ``truncation_factor + 1`` for a negative one); the perpendicular part is
    then shrunk by ``1 - deformation_factor`` and the ball scaled by the
    center-surface distance. A zero distance gives the center itself.
    """
    center = center.astype(np.float64, copy=False)
    axis = surface - center
    radius = np.linalg.norm(axis, axis=1)
    safe = np.where(radius > 0, radius, 1.0)
    axis /= safe[:, None]
    n_features = center.shape[1]
    point = directions / np.linalg.norm(directions, axis=1)[:, None]
    point *= (radii_u ** (1.0 / n_features))[:, None]
    along = np.einsum("ij,ij->i", point, axis)
    if truncation_factor > 0:
        flip = along < truncation_factor - 1
    else:
        flip = (along > truncation_factor + 1 if truncation_factor < 0
                else np.zeros_like(along, bool))
    along[flip] = -along[flip]
    point -= np.einsum("ij,ij->i", point, axis)[:, None] * axis
    point *= 1.0 - deformation_factor
    point += along[:, None] * axis
    point *= radius[:, None]
    point += center
    return point


class GeometricSMOTE(BaseOverSampler):
    """Geometric SMOTE (G-SMOTE) over-sampling.

    For each synthetic sample a minority center is drawn, with a surface
    point chosen by ``selection_strategy`` (Douzas and Bacao, 2019):
    ``"minority"`` a random one of the center's ``k_neighbors`` nearest
    minority neighbours, ``"majority"`` its nearest sample of another class,
    ``"combined"`` whichever of the two is closer. The new sample is uniform
    in the hyper-sphere around the center through the surface point,
    truncated along the center-surface axis by ``truncation_factor`` (1: the
    half toward the surface point, -1: the half away from it, 0: none) and
    flattened toward that axis by ``deformation_factor`` (0: sphere, 1: the
    SMOTE-like segment). Defaults are those of the paper's reference code.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    truncation_factor : float in [-1, 1], default=1.0
        Truncation of the hyper-sphere along the center-surface axis.
    deformation_factor : float in [0, 1], default=0.0
        Deformation of the hyper-sphere toward the axis.
    selection_strategy : {"combined", "majority", "minority"}, default="combined"
        How the surface point is chosen.
    k_neighbors : int, default=5
        Minority neighbours considered by the "minority" and "combined" strategies.
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
        ``[center, surface]`` rows of ``X`` behind each synthetic sample; the
        surface row may belong to another class. The sample is a random
        point of the region they span (a random direction and radius), not
        a point of their segment, so no ``synthetic_steps_`` are recorded.

    References
    ----------
    G. Douzas and F. Bacao, "Geometric SMOTE a geometrically enhanced
    drop-in replacement for SMOTE", Information Sciences 501 (2019)
    118-135, doi:10.1016/j.ins.2019.06.007.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._gsmote import GeometricSMOTE
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> X_res, y_res = GeometricSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [269, 269]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "truncation_factor": [Interval(Real, -1, 1, closed="both")],
        "deformation_factor": [Interval(Real, 0, 1, closed="both")],
        "selection_strategy": [StrOptions({"combined", "majority", "minority"})],
        "k_neighbors": [POSITIVE_INT],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, truncation_factor=1.0,
                 deformation_factor=0.0, selection_strategy="combined", k_neighbors=5,
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.truncation_factor = truncation_factor
        self.deformation_factor = deformation_factor
        self.selection_strategy = selection_strategy
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        strategy, k = self.selection_strategy, self.k_neighbors
        if strategy == "majority":
            rows = class_rows(y, label, 1, "GeometricSMOTE")
            _, foreign = nearest_other_class(X, y, rows=rows, n_jobs=self.n_jobs)
            centers = rows[rng.randint(0, rows.size, size=n_new)]
            surfaces = foreign[np.searchsorted(rows, centers)]
        else:
            rows, neighbors = class_neighbor_table(X, y, label, k, self.n_jobs)
            pos, surfaces = random_pairs(neighbors, n_new, rng)
            centers = rows[pos]
            if strategy == "combined":
                foreign_dist, foreign = nearest_other_class(X, y, rows=rows, n_jobs=self.n_jobs)
                own_dist = np.linalg.norm(X[surfaces] - X[centers], axis=1)
                closer = own_dist > foreign_dist[pos]
                surfaces[closer] = foreign[pos[closer]]
        directions = rng.normal(size=(n_new, X.shape[1]))
        radii_u = rng.uniform(size=n_new)
        out[start:start + n_new] = geometric_points(
            X[centers], X[surfaces], directions, radii_u, self.truncation_factor,
            self.deformation_factor)
        sources[:, 0] = centers
        sources[:, 1] = surfaces
        return None
