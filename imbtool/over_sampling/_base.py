"""What the SMOTE-family samplers share: input checks, neighbour queries, output assembly."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.base import clone
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import validate_data

from ..neighbors import kneighbors
from ..neighbors._query import check_data
from ..utils._threads import numba_threads
from ._kernels import interpolate, take_rows
from ..pipeline._guard import CLASS_COUNTS_CONSTRAINT, PlainPipelineGuardMixin

NEIGHBORS_CONSTRAINT = [
    Interval(Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


class _SyntheticOverSampler(PlainPipelineGuardMixin, BaseOverSampler):
    """Base of the samplers that add interpolated rows after the original ones.

    Subclasses implement ``_plan(X, y)`` returning, per class to grow, its
    label and the ``(seeds, partners, gaps)`` of the new rows (global row
    indices into ``X``); this class validates the input, writes every row
    into one preallocated output and records the provenance:
    ``sample_indices_``, ``synthetic_sources_`` and ``synthetic_steps_``
    (row ``i`` is ``X[seed] + steps[i] * (X[partner] - X[seed])``).
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "n_jobs": [Integral, None],
    }

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        # Sparse X only for a subclass whose tags say so; the others never get here with it.
        sparse = ["csr", "csc"] if get_tags(self).input_tags.sparse else False
        X, y = validate_data(self, X=X, y=y, reset=True, dtype=[np.float64, np.float32],
                             order="C", accept_sparse=sparse, ensure_all_finite=True)
        return X, y, binarize_y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Dense unless a subclass's rule makes sense on sparse rows and its _plan handles them.
        tags.input_tags.sparse = False
        tags.sampler_tags.sample_indices = True
        return tags

    def _fit_resample(self, X, y):
        plan = [part for part in self._plan(X, y) if part[1].size]
        return self._assemble(X, y, plan)

    def _assemble(self, X, y, plan):
        """Originals first, then the planned synthetic rows, in one output array."""
        labels = [label for label, *_ in plan]
        counts = [seeds.size for _, seeds, _, _ in plan]
        seeds = np.concatenate([np.empty(0, np.int64)] + [p[1] for p in plan]).astype(np.int64)
        partners = np.concatenate([np.empty(0, np.int64)] + [p[2] for p in plan]).astype(np.int64)
        gaps = np.concatenate([np.empty(0)] + [p[3] for p in plan]).astype(np.float64)
        n = X.shape[0]
        if sp.issparse(X):
            out = sparse_interpolate(X, seeds, partners, gaps)
        else:
            out = np.empty((n + seeds.size, X.shape[1]), dtype=X.dtype)
            with numba_threads(self.n_jobs, work=out.size):
                take_rows(X, np.arange(n, dtype=np.int64), out, 0)
                interpolate(X, seeds, X, partners, gaps, out, n)
        y_out = np.concatenate([y, np.repeat(np.asarray(labels, dtype=y.dtype), counts)])
        self.sample_indices_ = np.arange(n)
        self.synthetic_sources_ = np.column_stack([seeds, partners])
        # With the sources, the step recomputes every synthetic row (and interpolates
        # row-aligned arrays the same way: imbtool.utils.resample_aligned).
        self.synthetic_steps_ = gaps
        return out, y_out


def sparse_interpolate(X, seeds, partners, gaps):
    """``X`` then the rows ``X[seed] + gap * (X[partner] - X[seed])``, sparse, in ``X``'s format.

    The arithmetic of the dense kernel (difference in the data's dtype, step
    in float64, cast back), so the points equal the dense path's; a negative
    partner copies the seed.
    """
    X_csr = X.tocsr()
    partners = np.where(partners < 0, seeds, partners)
    start = X_csr[seeds]
    new = (start + sp.diags(gaps) @ (X_csr[partners] - start)).astype(X.dtype)
    return sp.vstack([X_csr, new], format=X.format)


def class_neighbors(nn, X, rows, among, *, name, label, n_jobs, where=None, **metric):
    """Row indices of the neighbours of ``rows`` among ``among`` (excluding each row itself).

    ``nn`` is the sampler's neighbour parameter: an int ``k`` uses the numba
    engine; an estimator is used as imbalanced-learn uses it (fitted on the
    candidate rows, asked for ``n_neighbors`` rows of which the first, the
    query itself, is dropped). ``metric`` goes to :func:`imbtool.neighbors.kneighbors`.
    """
    if isinstance(nn, Integral):
        k = check_class_size(nn, among.size, name=name, where=where, label=label)
        # Most queries touch one class: validate those rows, not all of X again.
        few = (isinstance(X, np.ndarray) and X.dtype in (np.float32, np.float64)
               and X.flags.c_contiguous and rows.size + among.size < X.shape[0])
        if few:
            check_data(X[np.union1d(rows, among)])
        return kneighbors(X, k, rows=rows, among=among, return_distance=False, n_jobs=n_jobs,
                          check_input=not few, **metric)
    estimator = clone(nn).fit(X[among])
    return among[estimator.kneighbors(X[rows], return_distance=False)[:, 1:]]


def check_class_size(k, n_candidates, *, name, where, label):
    """``k`` as an int, or a ValueError naming the class and its size when it is too small."""
    k = int(k)
    if n_candidates - 1 < k:
        where = where or f"class {label}"
        raise ValueError(
            f"{name}={k} needs at least {k + 1} samples in {where} (each sample plus its "
            f"{k} neighbours), but there are only {n_candidates}; lower {name} or collect "
            "more samples."
        )
    return k


def n_neighbors_of(nn):
    """The ``k`` a neighbour parameter stands for (an estimator counts the query itself)."""
    return int(nn) if isinstance(nn, Integral) else nn.n_neighbors - 1


def smote_draws(random_state, seeds, neighbors, n_samples, step=1.0):
    """Seeds, partners and gaps for ``n_samples`` points on random seed-neighbour segments.

    Draws as imbalanced-learn's ``_make_samples`` does (one index into the
    flattened neighbour table, then one uniform step per point, from
    ``check_random_state(random_state)``), so equal neighbours give equal output.
    """
    rng = check_random_state(random_state)
    k = neighbors.shape[1]
    flat = rng.randint(low=0, high=neighbors.size, size=n_samples)
    gaps = step * rng.uniform(size=n_samples)
    rows, cols = np.divmod(flat, k)
    return seeds[rows], neighbors[rows, cols], gaps


def danger_counts(X, y, rows, label, m_neighbors, n_jobs, name="m_neighbors", width=None):
    """Number of the ``m`` nearest rows (of all rows) of each of ``rows`` not labelled ``label``.

    Also returns ``m`` and the neighbour table, ``width`` columns wide when
    given (a wider query whose first ``m`` columns are the same, ties included).
    """
    m = n_neighbors_of(m_neighbors)
    nn = class_neighbors(m_neighbors if width is None else width, X, rows,
                         np.arange(X.shape[0]), name=name, label=label, n_jobs=n_jobs,
                         where="the whole data set")
    return np.count_nonzero(y[nn[:, :m]] != label, axis=1), m, nn


def apportion(weights, total):
    """Integers proportional to ``weights`` summing exactly to ``total`` (largest remainder).

    Ties in the remainder go to the lower index, so the split is deterministic;
    all-zero weights split evenly.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if not weights.sum() > 0:
        weights = np.ones_like(weights)
    quota = weights * (total / weights.sum())
    counts = np.floor(quota).astype(np.int64)
    short = int(total - counts.sum())
    if short > 0:
        counts[np.argsort(counts - quota, kind="stable")[:short]] += 1
    return counts
