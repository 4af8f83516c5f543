"""Laurikkala's neighbourhood cleaning rule (NCR)."""

import numbers
from collections import Counter

import numpy as np
from imblearn import under_sampling as imblearn_us
from imblearn.under_sampling.base import BaseCleaningSampler
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval

from imbtool.neighbors import kneighbors

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..utils._peer import refuse_peer_parameters
from ..utils._scale import BAND
from ..utils._threads import N_JOBS_CONSTRAINT
from ._base import uses_engine
from ._cleaning import check_enough_rows, minority_class, vote, warn_emptied
from ._edited_nearest_neighbours import EditedNearestNeighbours


@refuse_peer_parameters({"kind_sel": (
    "the editing rule of imbalanced-ensemble's NCR (and of imbalanced-learn's before 0.14, "
    "which removed it); pass edited_nearest_neighbours=EditedNearestNeighbours("
    "n_neighbors=3, kind_sel=...) for the editing step instead.")})
class NeighbourhoodCleaningRule(BaseSampler, BaseCleaningSampler):
    """Clean the neighbourhoods of the minority class (NCR).

    Removes (a) the rows that editing with ``kind_sel="mode"`` removes and
    (b) the neighbours, from classes large enough to clean, of minority rows
    that a k-nearest-neighbour vote (the row itself included) misclassifies,
    exactly as imbalanced-learn's ``NeighbourhoodCleaningRule``; step (a) is
    :class:`EditedNearestNeighbours`' fast exact editing and step (b)
    searches neighbours of the minority rows only.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes to clean, as in :class:`EditedNearestNeighbours`.
    edited_nearest_neighbours : sampler, default=None
        The editing of step (a); by default
        ``EditedNearestNeighbours(n_neighbors=n_neighbors, kind_sel="mode")``.
    n_neighbors : int or estimator, default=3
        Neighbourhood size of both steps. An estimator is used as
        imbalanced-learn uses it, without the fast path.
    threshold_cleaning : float, default=0.5
        A class is cleaned in step (b) only if it has more than
        ``threshold_cleaning`` times as many rows as the minority class.
    n_jobs : int, default=None
        Threads of the neighbour search; the result never depends on it.
        ``None`` and ``-1`` use every core available (threads inside one call,
        as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How the minority and majority that a string ``sampling_strategy``
        names are found: by rows (imbalanced-learn's rule) or, with
        ``"weight"``, by total ``sample_weight`` given to ``fit_resample``
        (its Notes define the rule); the cleaning rule itself counts no
        class.

    Attributes
    ----------
    sampling_strategy_ : dict
    edited_nearest_neighbours_ : sampler
        The fitted editing of step (a).
    classes_to_clean_ : list
        Classes cleaned in step (b).
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`).
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows kept, in increasing order.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    References
    ----------
    .. [1] J. Laurikkala, "Improving identification of difficult small
       classes by balancing class distribution", AIME 2001, 63-66.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import NeighbourhoodCleaningRule
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = NeighbourhoodCleaningRule().fit_resample(X, y)
    >>> bool((y_res == 1).sum() == (y == 1).sum() and len(y_res) < len(y))
    True
    """

    # With a neighbours estimator the rule is imbalanced-learn's, whose search sums
    # squared differences: run at unit scale outside the band (base.BaseSampler).
    _scale_band = BAND

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "threshold_cleaning": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(self, *, sampling_strategy="auto", edited_nearest_neighbours=None,
                 n_neighbors=3, threshold_cleaning=0.5, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        if not uses_engine(self.n_neighbors):
            ref = imblearn_us.NeighbourhoodCleaningRule(**self._reference_params())
            ref.fit_resample(X, y)
            self.edited_nearest_neighbours_ = ref.edited_nearest_neighbours_
            self.classes_to_clean_ = ref.classes_to_clean_
            return self._select(X, y, ref.sample_indices_)
        k = self.n_neighbors
        check_enough_rows(X.shape[0], k)
        if self.edited_nearest_neighbours is None:
            self.edited_nearest_neighbours_ = EditedNearestNeighbours(
                sampling_strategy=self._row_sampling_strategy, n_neighbors=k, kind_sel="mode",
                n_jobs=self.n_jobs)
        else:
            self.edited_nearest_neighbours_ = clone(self.edited_nearest_neighbours)
        self.edited_nearest_neighbours_.fit_resample(X, y)
        removed = np.ones(y.shape, dtype=bool)
        removed[self.edited_nearest_neighbours_.sample_indices_] = False

        counts = Counter(y)
        minority = minority_class(y)
        self.classes_to_clean_ = [
            c for c, n in counts.items()
            if c in self.sampling_strategy_ and n > counts[minority] * self.threshold_cleaning
        ]
        classes, codes = np.unique(y, return_inverse=True)
        rows = np.flatnonzero(y == minority)
        neigh = kneighbors(X, k, rows=rows, return_distance=False, n_jobs=self.n_jobs)
        # The vote counts the row itself, as scikit-learn's predict on the
        # training rows does; the cleaned neighbours exclude it.
        voters = np.hstack([rows[:, None], neigh[:, :-1]])
        wrong = vote(codes[voters], classes.size) != codes[rows]
        cleaned = np.unique(neigh[wrong])
        removed[cleaned[np.isin(y[cleaned], self.classes_to_clean_)]] = True
        kept = np.flatnonzero(~removed)
        warn_emptied(y[kept], y, type(self).__name__)
        return self._select(X, y, kept)
