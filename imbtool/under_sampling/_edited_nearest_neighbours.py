"""Wilson's editing (ENN) and its repeated forms, RENN and AllKNN."""

import numbers
from collections import Counter

import numpy as np
from imblearn import under_sampling as imblearn_us
from imblearn.under_sampling.base import BaseCleaningSampler
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ._base import targeted_classes, uses_engine
from ._cleaning import edited_keep, minority_class, warn_emptied

_NEIGHBOURS = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


def _edit(X, y, sampling_strategy, k, kind_sel, n_jobs):
    """Local indices of the rows one round of editing keeps, class by class."""
    classes, codes = np.unique(y, return_inverse=True)
    targeted = targeted_classes(sampling_strategy, y, classes)
    kept = np.flatnonzero(edited_keep(X, codes, targeted, k, kind_sel, n_jobs))
    # imbalanced-learn lists the kept rows class after class.
    return kept[np.argsort(codes[kept], kind="stable")]


def _stops(y_kept, counts, minority, allow_minority=False):
    """imbalanced-learn's stopping tests: a class would fall below the minority, or vanish."""
    kept = Counter(y_kept)
    below = any(n < counts[minority] for c, n in kept.items() if c != minority)
    return (below and not allow_minority) or len(kept) < len(counts)


class EditedNearestNeighbours(BaseSampler, BaseCleaningSampler):
    """Remove rows whose neighbourhood disagrees with their class (Wilson's editing).

    A targeted row is removed when any (``kind_sel="all"``) or most
    (``"mode"``) of its ``n_neighbors`` nearest neighbours belong to another
    class. Returns the rows imbalanced-learn's ``EditedNearestNeighbours``
    returns, but computes a row's neighbourhood only when its nearest row of
    another class could be in it: each row scans the data only until it has
    found ``n_neighbors`` rows nearer than its nearest foreign row.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes to clean, as in imbalanced-learn's cleaning samplers:
        ``"auto"`` (= ``"not minority"``), ``"majority"``, ``"not majority"``,
        ``"all"``, a list of classes, or a callable of ``y``.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood. An estimator with ``kneighbors`` (whose
        neighbourhood includes the row itself) is used as imbalanced-learn
        uses it, without the fast path.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: keep a row only if all its neighbours share its class.
        ``"mode"``: keep it if the most frequent neighbour class (the smallest
        label on ties) is its own.
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
        Classes cleaned.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Rows kept, class by class in sorted class order.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when X has string column names.

    Notes
    -----
    Rows are ordered by distance, equal distances by the lower row index, and
    a row is never its own neighbour (an exact duplicate still counts). Only
    with tied distances can this differ from imbalanced-learn, whose order of
    tied rows is scikit-learn's. Sparse input is not supported.

    References
    ----------
    .. [1] D. Wilson, "Asymptotic Properties of Nearest Neighbor Rules Using
       Edited Data", IEEE Transactions on Systems, Man, and Cybernetics,
       2(3), 408-421, 1972.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import EditedNearestNeighbours
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> enn = EditedNearestNeighbours().fit(X, y)
    >>> X_res, y_res = enn.fit_resample(X, y)
    >>> bool((y_res == 1).sum() == (y == 1).sum() and len(y_res) < len(y))
    True
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "n_neighbors": _NEIGHBOURS,
        "kind_sel": [StrOptions({"all", "mode"})],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None,
                 class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        if not uses_engine(self.n_neighbors):
            ref = imblearn_us.EditedNearestNeighbours(**self._reference_params())
            ref.fit_resample(X, y)
            return self._select(X, y, ref.sample_indices_)
        kept = _edit(X, y, self._row_sampling_strategy, self.n_neighbors, self.kind_sel,
                     self.n_jobs)
        warn_emptied(y[kept], y, type(self).__name__)
        return self._select(X, y, kept)


class RepeatedEditedNearestNeighbours(BaseSampler, BaseCleaningSampler):
    """Repeat Wilson's editing until it removes nothing (Tomek's RENN).

    Stops after ``max_iter`` rounds, when a round removes nothing, when a
    cleaned class falls below the minority class, or when a class vanishes,
    exactly as imbalanced-learn's ``RepeatedEditedNearestNeighbours``; each
    round is :class:`EditedNearestNeighbours`' fast exact editing.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        As in :class:`EditedNearestNeighbours`; re-evaluated every round.
    n_neighbors : int or estimator, default=3
        As in :class:`EditedNearestNeighbours`.
    max_iter : int, default=100
        Maximum number of rounds.
    kind_sel : {"all", "mode"}, default="all"
        As in :class:`EditedNearestNeighbours`.
    n_jobs : int, default=None
        Threads of the neighbour search. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How the minority and majority that a string ``sampling_strategy``
        names are found: by rows (imbalanced-learn's rule) or, with
        ``"weight"``, by total ``sample_weight`` given to ``fit_resample``
        (its Notes define the rule); the cleaning rule itself counts no
        class.

    Attributes
    ----------
    sampling_strategy_ : dict
    sample_indices_ : ndarray of shape (n_new_samples,)
    n_iter_ : int
        Rounds run.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    References
    ----------
    .. [1] I. Tomek, "An Experiment with the Edited Nearest-Neighbor Rule",
       IEEE Transactions on Systems, Man, and Cybernetics, 6(6), 448-452, 1976.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import RepeatedEditedNearestNeighbours
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> renn = RepeatedEditedNearestNeighbours()
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> renn.n_iter_ >= 1 and len(y_res) < len(y)
    True
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "n_neighbors": _NEIGHBOURS,
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "kind_sel": [StrOptions({"all", "mode"})],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100, kind_sel="all",
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        if not uses_engine(self.n_neighbors):
            ref = imblearn_us.RepeatedEditedNearestNeighbours(**self._reference_params())
            ref.fit_resample(X, y)
            self.n_iter_ = ref.n_iter_
            return self._select(X, y, ref.sample_indices_)
        counts = Counter(y)
        minority = minority_class(y)
        indices = np.arange(X.shape[0])
        n_iter = 0  # max_iter >= 1, so at least one round runs
        while n_iter < self.max_iter:
            n_iter += 1
            keep = _edit(X[indices], y[indices], self._row_sampling_strategy, self.n_neighbors,
                         self.kind_sel, self.n_jobs)
            converged = keep.size == indices.size
            indices = indices[keep]
            if converged or _stops(y[indices], counts, minority):
                break
        self.n_iter_ = n_iter
        warn_emptied(y[indices], y, type(self).__name__)
        return self._select(X, y, indices)


class AllKNN(BaseSampler, BaseCleaningSampler):
    """Wilson's editing with neighbourhoods of 1, 2, ..., ``n_neighbors`` rows in turn.

    Stops early when a cleaned class falls below the minority class (unless
    ``allow_minority``) or a class vanishes, exactly as imbalanced-learn's
    ``AllKNN``; each round is :class:`EditedNearestNeighbours`' fast exact
    editing.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        As in :class:`EditedNearestNeighbours`; re-evaluated every round.
    n_neighbors : int or estimator, default=3
        Largest neighbourhood. For an estimator, its ``n_neighbors - 1``
        (imbalanced-learn counts the row itself there).
    kind_sel : {"all", "mode"}, default="all"
        As in :class:`EditedNearestNeighbours`.
    allow_minority : bool, default=False
        Let a cleaned class fall below the minority class without stopping.
    n_jobs : int, default=None
        Threads of the neighbour search. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How the minority and majority that a string ``sampling_strategy``
        names are found: by rows (imbalanced-learn's rule) or, with
        ``"weight"``, by total ``sample_weight`` given to ``fit_resample``
        (its Notes define the rule); the cleaning rule itself counts no
        class.

    Attributes
    ----------
    sampling_strategy_ : dict
    sample_indices_ : ndarray of shape (n_new_samples,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    References
    ----------
    .. [1] I. Tomek, "An Experiment with the Edited Nearest-Neighbor Rule",
       IEEE Transactions on Systems, Man, and Cybernetics, 6(6), 448-452, 1976.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import AllKNN
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = AllKNN().fit_resample(X, y)
    >>> len(y_res) < len(y)
    True
    """

    _parameter_constraints: dict = {
        **BaseCleaningSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "n_neighbors": _NEIGHBOURS,
        "kind_sel": [StrOptions({"all", "mode"})],
        "allow_minority": ["boolean"],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all",
                 allow_minority=False, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        largest = (self.n_neighbors if uses_engine(self.n_neighbors)
                   else self.n_neighbors.n_neighbors - 1)
        counts = Counter(y)
        minority = minority_class(y)
        indices = np.arange(X.shape[0])
        for k in range(1, largest + 1):
            keep = _edit(X[indices], y[indices], self._row_sampling_strategy, k, self.kind_sel,
                         self.n_jobs)
            indices = indices[keep]
            if _stops(y[indices], counts, minority, self.allow_minority):
                break
        warn_emptied(y[indices], y, type(self).__name__)
        return self._select(X, y, indices)
