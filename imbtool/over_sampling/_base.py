"""What imbtool's over-samplers share: the base class, neighbour queries, draws, row counts."""

import warnings
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from imblearn.over_sampling.base import BaseOverSampler as _ImblearnBaseOverSampler
from imblearn.utils import check_neighbors_object
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval

from ..base import BaseSampler
from ..neighbors import kneighbors
from ..neighbors._query import check_data
from ..utils._class_order import class_visit_order
from ..utils._scale import ldexp, max_abs, unit_shift
from ..utils._threads import N_JOBS_CONSTRAINT, numba_threads
from ..utils._warnings import ImbtoolDataConversionWarning
from ._kernels import interpolate, take_rows

NEIGHBORS_CONSTRAINT = [
    Interval(Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


class BaseOverSampler(BaseSampler, _ImblearnBaseOverSampler):
    """Base of imbtool's over-samplers that add new rows after the original ones.

    The output is the input rows, in order, then the new rows class by
    class; the base records their provenance: ``sample_indices_`` (every
    input row), ``synthetic_sources_`` (seed and partner row of each new row,
    -1 for none) and, when every new row is a two-point interpolation,
    ``synthetic_steps_`` (row = ``X[seed] + step * (X[partner] - X[seed])``,
    a step per row or per feature; 0 where the partner is -1).

    A subclass makes its new rows through one of two hooks:

    - ``_plan(X, y)`` yields ``(label, seeds, partners, gaps)`` parts (global
      row indices into ``X``) for all classes at once; the base writes them
      in one pass, threaded and, for subclasses whose tags allow it, sparse.
      The SMOTE family draws here as imbalanced-learn does (a fresh
      ``check_random_state(random_state)`` where imbalanced-learn makes one);
      classes that share one stream are drawn in ``_classes_to_grow``'s order
      (their first row in ``y``), and the output lists them in sorted order.
    - ``_generate(X, y, label, n_new, rng, out, start, sources)`` writes the
      ``n_new`` rows of one class into ``out[start:start + n_new]`` and
      their source rows into ``sources``, and returns their steps (shape
      ``(n_new,)`` or ``(n_new, n_features)``) or ``None`` when the rows are
      not two-point interpolations. ``rng`` is one ``RandomState`` for all
      classes, drawn in a fixed order, so the output does not depend on
      ``n_jobs``.
    """

    _parameter_constraints: dict = {
        **_ImblearnBaseOverSampler._parameter_constraints,
        **BaseSampler._parameter_constraints,
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    # Every over-sampler's rows are interpolated in float, C order.
    _check_X_options = {"dtype": [np.float64, np.float32], "order": "C"}

    _plan = None  # or a method: see the class docstring

    def _fit_resample(self, X, y):
        if self._plan is not None:
            # list() runs the plan with no frame of its own between it and this
            # method, so a warning's stacklevel is the same on every Python.
            plan = list(self._plan(X, y))
            # The plan draws the classes in their visit order (_classes_to_grow); the output
            # lists them in sampling_strategy_'s sorted order (a stable sort keeps each
            # class's parts in the order drawn).
            rank = {label: i for i, label in enumerate(self.sampling_strategy_)}
            plan.sort(key=lambda part: rank[part[0]])
            return self._assemble(X, y, [part for part in plan if part[1].size])
        return self._oversample(X, y, check_random_state(self.random_state))

    def _classes_to_grow(self, y):
        """``(label, n_new)`` of each class to grow, in :func:`class_visit_order`.

        A plan whose classes share one random stream draws them in this order, the order
        of their first row in ``y``, which no renaming of the classes changes.
        """
        return [(label, self.sampling_strategy_[label])
                for label in class_visit_order(y, self.sampling_strategy_)
                if self.sampling_strategy_[label] > 0]

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

    def _oversample(self, X, y, rng):
        """Originals first, then each class's ``_generate`` rows, in one output array.

        The classes come in the order of their first row in ``y``, each with its
        own random stream, so the output does not depend on the labels' names.
        """
        n_samples = X.shape[0]
        # Keyed by a row, not by the label or its place in the label order: renaming the
        # classes, in any sort order, changes nothing (no imbalanced-learn draws to keep).
        wanted = [label for label, _ in self._classes_to_grow(y)]
        first_row = {label: int(np.flatnonzero(y == label)[0]) for label in wanted}
        seed = rng.randint(np.iinfo(np.int32).max)
        n_new = sum(self.sampling_strategy_[label] for label in wanted)
        out = np.empty((n_samples + n_new, X.shape[1]), dtype=X.dtype)
        out[:n_samples] = X
        sources = np.full((n_new, 2), -1, dtype=np.int64)
        y_new, steps = [y], []
        start = n_samples
        for label in wanted:
            n = int(self.sampling_strategy_[label])
            class_rng = np.random.RandomState([seed, first_row[label]])
            steps.append(self._generate(X, y, label, n, class_rng, out, start,
                                        sources[start - n_samples:start - n_samples + n]))
            y_new.append(np.full(n, label, dtype=y.dtype))
            start += n
        self.sample_indices_ = np.arange(n_samples)
        self.synthetic_sources_ = sources
        # A refit with another setting (e.g. a topology without steps) must not leave
        # the previous fit's steps behind.
        self.__dict__.pop("synthetic_steps_", None)
        if all(part is not None for part in steps):
            width = np.shape(steps[0])[1:] if steps else ()
            steps = np.concatenate([np.empty((0,) + width)] + steps).astype(np.float64)
            steps[sources[:, 1] < 0] = 0.0
            self.synthetic_steps_ = steps
        return out, np.concatenate(y_new)


def through_dense(resample, X, y, *, warn=None):
    """``resample(X, y)`` on a dense copy of a sparse ``X``, the output in ``X``'s sparse format.

    For samplers whose rule works on dense rows but that take sparse input as
    imbalanced-learn's do; ``warn`` names the sampler in a
    ``DataConversionWarning`` saying so. Dense ``X`` goes straight through.
    """
    if not sp.issparse(X):
        return resample(X, y)
    if warn is not None:
        warnings.warn(
            f"Passing a sparse matrix to {warn} is not really efficient since it is converted "
            "to a dense array internally; the output is sparse again.",
            ImbtoolDataConversionWarning,
            stacklevel=2,
        )
    X_res, y_res = resample(X.toarray(), y)
    return sp.csr_matrix(X_res).asformat(X.format), y_res


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
    query itself, is dropped), on rows scaled to unit scale where their
    largest magnitude is outside ``imbtool.utils._scale.BAND``. ``metric``
    goes to :func:`imbtool.neighbors.kneighbors`.
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
    # Its search sums squared differences, which vanish at tiny scales: it runs at unit
    # scale outside the band, which keeps every neighbour order (exact power of two).
    candidates, queries = X[among], X[rows]
    shift = unit_shift(max(max_abs(candidates), max_abs(queries)))
    estimator = clone(nn).fit(ldexp(candidates, shift))
    return among[estimator.kneighbors(ldexp(queries, shift), return_distance=False)[:, 1:]]


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


def neighbors_estimator(name, nn):
    """imbalanced-learn's neighbour estimator for the parameter ``name`` (its ``nn_k_``, ``nn_m_``).

    ``NearestNeighbors(n_neighbors=k + 1)`` for an int ``k`` (the query counts
    itself), a clone of an estimator. Recorded, not fitted: imbtool searches
    with its own engine for an int and fits a clone per class for an estimator.
    """
    return check_neighbors_object(name, nn, additional_neighbor=1)


def n_neighbors_of(nn):
    """The ``k`` a neighbour parameter stands for (an estimator counts the query itself)."""
    return int(nn) if isinstance(nn, Integral) else nn.n_neighbors - 1


def random_pairs(neighbors, n_new, rng):
    """Seed positions drawn uniformly and a uniform partner among each seed's neighbours.

    ``neighbors`` holds global row indices, one row per candidate seed; one
    index into the flattened table is drawn per point, as in
    imbalanced-learn's SMOTE, so equal neighbours give equal draws.
    """
    k = neighbors.shape[1]
    pick = rng.randint(low=0, high=neighbors.shape[0] * k, size=n_new)
    return pick // k, neighbors.reshape(-1)[pick]


def smote_draws(random_state, seeds, neighbors, n_samples, step=1.0):
    """Seeds, partners and gaps for ``n_samples`` points on random seed-neighbour segments.

    Draws as imbalanced-learn's ``_make_samples`` does (:func:`random_pairs`,
    then one uniform step per point, from ``check_random_state(random_state)``),
    so equal neighbours give equal output.
    """
    rng = check_random_state(random_state)
    rows, partners = random_pairs(neighbors, n_samples, rng)
    gaps = step * rng.uniform(size=n_samples)
    return seeds[rows], partners, gaps


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


def class_rows(y, label, minimum, why):
    """Row indices of class ``label``; a clear error when there are fewer than ``minimum``."""
    rows = np.flatnonzero(y == label)
    if rows.size < minimum:
        raise ValueError(
            f"Class {label_text(label)} has {rows.size} samples, but {why} needs at least "
            f"{minimum}; "
            "lower that parameter or leave this class out of sampling_strategy."
        )
    return rows


def class_neighbor_table(X, y, label, k, n_jobs):
    """Rows of class ``label`` and the ``k`` nearest rows of the class to each of them."""
    rows = class_rows(y, label, k + 1, f"k_neighbors={k}")
    return rows, kneighbors(X, k, rows=rows, among=rows, return_distance=False, n_jobs=n_jobs)


def label_text(label):
    """A class label as users wrote it (``1``, ``'a'``), not as numpy's repr (``np.int64(1)``)."""
    return repr(label.item() if isinstance(label, np.generic) else label)


POSITIVE_INT = Interval(Integral, 1, None, closed="left")
