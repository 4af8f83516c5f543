"""Shared plumbing of the over-samplers beyond imbalanced-learn's set.

Each variant only says how it makes the new rows of one class; the base
class here validates the input, allocates the output once (originals first,
in order), loops over the classes ``sampling_strategy_`` asks for and records
where every synthetic row came from.
"""

from numbers import Integral

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn_compat.utils.validation import validate_data
from ..pipeline._guard import CLASS_COUNTS_CONSTRAINT, PlainPipelineGuardMixin


class _VariantOverSampler(PlainPipelineGuardMixin, BaseOverSampler):
    """Base of the variants: one ``_generate`` call per over-sampled class.

    Subclasses implement ``_generate(X, y, label, n_new, rng, out, start,
    sources)``, which writes ``n_new`` rows into ``out[start:start + n_new]``
    and the source rows of each into ``sources`` (shape ``(n_new, 2)``,
    preset to -1), and returns the interpolation steps of those rows
    (row = ``X[seed] + step * (X[partner] - X[seed])``; shape ``(n_new,)``,
    or ``(n_new, n_features)`` for a step per feature) or ``None`` when its
    rows are not such two-point interpolations. Only when every class gives
    steps is ``synthetic_steps_`` recorded, with step 0 where the partner is
    -1 (a copy of the seed). Random numbers come only from ``rng``, drawn in
    a fixed order, so the output does not depend on ``n_jobs``.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "n_jobs": [None, Integral],
    }

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_data(self, X=X, y=y, reset=True, accept_sparse=False,
                             dtype=[np.float64, np.float32], order="C")
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        return self._oversample(X, y, check_random_state(self.random_state))

    def _oversample(self, X, y, rng):
        n_samples = X.shape[0]
        wanted = [(label, int(n)) for label, n in self.sampling_strategy_.items() if n > 0]
        n_new = sum(n for _, n in wanted)
        out = np.empty((n_samples + n_new, X.shape[1]), dtype=X.dtype)
        out[:n_samples] = X
        sources = np.full((n_new, 2), -1, dtype=np.int64)
        y_new, steps = [y], []
        start = n_samples
        for label, n in wanted:
            steps.append(self._generate(X, y, label, n, rng, out, start,
                                        sources[start - n_samples:start - n_samples + n]))
            y_new.append(np.full(n, label, dtype=y.dtype))
            start += n
        self.sample_indices_ = np.arange(n_samples)
        self.synthetic_sources_ = sources
        self._record_steps(steps, sources)
        return out, np.concatenate(y_new)

    def _record_steps(self, steps, sources):
        # A refit with another setting (e.g. a topology without steps) must not leave
        # the previous fit's steps behind.
        self.__dict__.pop("synthetic_steps_", None)
        if any(part is None for part in steps):
            return
        width = np.shape(steps[0])[1:] if steps else ()
        steps = np.concatenate([np.empty((0,) + width)] + steps).astype(np.float64)
        steps[sources[:, 1] < 0] = 0.0
        self.synthetic_steps_ = steps

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.sampler_tags.sample_indices = True
        return tags


def class_rows(y, label, minimum, why):
    """Row indices of class ``label``; a clear error when there are fewer than ``minimum``."""
    rows = np.flatnonzero(y == label)
    if rows.size < minimum:
        raise ValueError(
            f"Class {label_text(label)} has {rows.size} samples, but {why} needs at least {minimum}; "
            "lower that parameter or leave this class out of sampling_strategy."
        )
    return rows


def label_text(label):
    """A class label as users wrote it (``1``, ``'a'``), not as numpy's repr (``np.int64(1)``)."""
    return repr(label.item() if isinstance(label, np.generic) else label)


def random_pairs(neighbors, n_new, rng):
    """Seeds drawn uniformly and a uniform partner among each seed's neighbours.

    ``neighbors`` holds global row indices, one row per candidate seed; the
    draw order (seed positions, then neighbour columns) is fixed, as in
    imbalanced-learn's SMOTE.
    """
    k = neighbors.shape[1]
    pick = rng.randint(low=0, high=neighbors.shape[0] * k, size=n_new)
    return pick // k, neighbors.reshape(-1)[pick]


POSITIVE_INT = Interval(Integral, 1, None, closed="left")
