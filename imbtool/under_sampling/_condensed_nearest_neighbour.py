"""Hart's condensed nearest neighbour (CNN) and Kubat and Matwin's one-sided selection (OSS)."""

import numbers
from collections import Counter

import numpy as np
from imblearn import under_sampling as imblearn_us
from imblearn.under_sampling.base import BaseCleaningSampler
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..utils._class_order import class_visit_order
from ..utils._scale import BAND
from ..utils._threads import N_JOBS_CONSTRAINT
from ._base import uses_engine
from ._cleaning import knn_including_self, minority_class, vote
from ._kernels import condense_rows
from ._tomek_links import tomek_kept

_PARAMS = {
    **BaseCleaningSampler._parameter_constraints,
    "class_counts": CLASS_COUNTS_CONSTRAINT,
    "n_neighbors": [
        Interval(numbers.Integral, 1, None, closed="left"),
        HasMethods(["kneighbors", "kneighbors_graph"]),
        None,
    ],
    "n_seeds_S": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_jobs": N_JOBS_CONSTRAINT,
    "random_state": ["random_state"],
}


class _SeededSelection(BaseSampler, BaseCleaningSampler):
    """Shared set-up: per resampled class, ``n_seeds_S`` random seed rows joined to the minority."""

    _parameter_constraints: dict = _PARAMS

    # The condense kernel, and imbalanced-learn's rule with a neighbours estimator,
    # sum squared differences: run at unit scale outside the band (base.BaseSampler).
    _scale_band = BAND
    _reference = None
    _store_grows = False  # whether the class's rows that are kept join the classifier's store

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors=None,
                 n_seeds_S=1, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        k = 1 if self.n_neighbors is None else self.n_neighbors
        if not uses_engine(k):
            ref = self._reference(**self._reference_params())
            ref.fit_resample(X, y)
            self.estimators_ = ref.estimators_
            return self._select(X, y, ref.sample_indices_)
        random_state = check_random_state(self.random_state)
        counts = Counter(y)
        minority_rows = np.flatnonzero(y == minority_class(y))
        classes, codes = np.unique(y, return_inverse=True)
        chosen = {label: np.flatnonzero(y == label) for label in classes.tolist()}
        estimators = {}
        # The seeds of every class come from one stream: draw them in an order no renaming
        # of the classes changes (imbtool.utils.class_visit_order); blocks stay sorted.
        for target_class in class_visit_order(y, self.sampling_strategy_):
            rows = chosen[target_class]
            draws = random_state.randint(low=0, high=counts[target_class], size=self.n_seeds_S)
            store = np.append(minority_rows, rows[draws])
            if k > store.size:
                raise ValueError(
                    f"n_neighbors={k} is larger than the {store.size} rows the first "
                    f"{type(self).__name__} classifier of class {target_class!r} is fitted on "
                    "(the minority rows and n_seeds_S seeds); lower n_neighbors or raise "
                    "n_seeds_S."
                )
            picked = chosen[target_class] = self._class_rows(X, codes, classes.size, rows, draws,
                                                             store, k)
            # imbalanced-learn's classifier for this class, fitted on its final store.
            fit_rows = np.append(minority_rows, picked) if self._store_grows else store
            estimators[target_class] = KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs
                                                            ).fit(X[fit_rows], y[fit_rows])
        self.estimators_ = [estimators[c] for c in classes.tolist() if c in estimators]
        return self._finish(X, y, np.concatenate([chosen[c] for c in classes.tolist()]))

    def _finish(self, X, y, indices):
        return self._select(X, y, indices)

    def _store_neighbours(self, X, k, rows, store):
        """k nearest of ``rows`` in ``store``, a row repeated in the store counting as often."""
        unique, counts = np.unique(store, return_counts=True)
        dist, ind = knn_including_self(X, min(k, unique.size), rows, unique, self.n_jobs)
        if counts.max() == 1:
            return dist, ind
        reach = np.cumsum(counts[np.searchsorted(unique, ind)], axis=1)
        pick = np.stack([np.argmax(reach > t, axis=1) for t in range(k)], axis=1)
        return np.take_along_axis(dist, pick, axis=1), np.take_along_axis(ind, pick, axis=1)


class CondensedNearestNeighbour(_SeededSelection):
    """Keep a consistent subset: the rows a growing k-NN store misclassifies (Hart's CNN).

    For each resampled class, the store starts as the minority rows plus
    ``n_seeds_S`` random rows of the class; the class's rows are visited once
    in order and each one the store's k-nearest-neighbour vote misclassifies
    is added. The result equals imbalanced-learn's
    ``CondensedNearestNeighbour`` for the same ``random_state``, including a
    quirk of its loop: after row r is added, the row at *position* r within
    the class is skipped; but each row is returned once (imbalanced-learn
    returns a seed twice when it is drawn twice, or when its position was not
    skipped and the store outvotes it). imbalanced-learn refits and re-predicts the whole
    class after every addition; here each visited row is compared only with
    the rows added so far.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes to condense, as in imbalanced-learn's cleaning samplers.
    random_state : int, RandomState instance or None, default=None
        Draws the seed rows (``RandomState.randint``, as imbalanced-learn), class
        by class in the order of the classes' first rows in ``y``.
    n_neighbors : int, estimator or None, default=None
        Neighbours of the vote; ``None`` means 1. A ``KNeighborsClassifier``
        is used as imbalanced-learn uses it, without the fast path (and with
        its seeds drawn class by class in sorted label order, not in the
        order of the classes' first rows).
    n_seeds_S : int, default=1
        Seed rows per class.
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
    estimators_ : list of KNeighborsClassifier
        Per resampled class, in sorted class order, the k-NN classifier fitted on
        its final store (the minority rows, the seeds and the added rows),
        as imbalanced-learn's.
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`). ``estimators_`` are fitted on that copy.
    sample_indices_ : ndarray of shape (n_new_samples,)
        Per class: the seeds, then the added rows in visiting order.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    A seed drawn twice votes twice, as in imbalanced-learn, and is returned
    once. Sparse input is not supported.

    References
    ----------
    .. [1] P. Hart, "The condensed nearest neighbor rule", IEEE Transactions
       on Information Theory, 14(3), 515-516, 1968.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import CondensedNearestNeighbour
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = CondensedNearestNeighbour(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 1).sum() == (y == 1).sum() and len(y_res) < len(y))
    True
    """

    _reference = imblearn_us.CondensedNearestNeighbour
    _store_grows = True

    def _select(self, X, y, indices):
        # An under-sampler returns a subset: a row imbalanced-learn's loop gives twice is
        # kept once, at its first place.
        indices = np.asarray(indices)
        _, first = np.unique(indices, return_index=True)
        return super()._select(X, y, indices[np.sort(first)])

    def _class_rows(self, X, codes, n_classes, rows, draws, store, k):
        seeds = rows[draws]
        dist, near = self._store_neighbours(X, k, rows, store)
        blocked = np.zeros(rows.size, dtype=bool)
        blocked[seeds[seeds < rows.size]] = True
        Xf = np.ascontiguousarray(X, dtype=np.float32 if X.dtype == np.float32 else np.float64)
        added = condense_rows(Xf, rows.astype(np.int64), codes[rows[0]], dist, codes[near],
                              blocked, n_classes)
        return np.concatenate([seeds, added])


class OneSidedSelection(_SeededSelection):
    """One-sided selection: keep the rows a 1-NN on seeds misclassifies, then drop Tomek links.

    For each resampled class, a k-NN fitted on the minority rows and
    ``n_seeds_S`` random rows of the class classifies the class's other rows;
    the seeds and the misclassified rows are kept; then :class:`TomekLinks`
    cleans the kept data. Equals imbalanced-learn's ``OneSidedSelection`` for
    the same ``random_state``; both steps use imbtool's exact neighbour search.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        Classes to select from, as in imbalanced-learn's cleaning samplers.
    random_state : int, RandomState instance or None, default=None
        Draws the seed rows (``RandomState.randint``, as imbalanced-learn), class
        by class in the order of the classes' first rows in ``y``.
    n_neighbors : int, estimator or None, default=None
        Neighbours of the classifier; ``None`` means 1. A
        ``KNeighborsClassifier`` is used as imbalanced-learn uses it (with
        its seeds drawn class by class in sorted label order, not in the
        order of the classes' first rows).
    n_seeds_S : int, default=1
        Seed rows per class.
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
    estimators_ : list of KNeighborsClassifier
        Per resampled class, in sorted class order, the k-NN classifier fitted on
        the minority rows and the seeds, as imbalanced-learn's.
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`).
    sample_indices_ : ndarray of shape (n_new_samples,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    A seed drawn twice votes twice, as in imbalanced-learn. Sparse input is
    not supported.

    References
    ----------
    .. [1] M. Kubat and S. Matwin, "Addressing the curse of imbalanced
       training sets: one-sided selection", ICML 1997, 179-186.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import OneSidedSelection
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = OneSidedSelection(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 1).sum() == (y == 1).sum() and len(y_res) < len(y))
    True
    """

    _reference = imblearn_us.OneSidedSelection

    def _class_rows(self, X, codes, n_classes, rows, draws, store, k):
        others = rows[np.delete(np.arange(rows.size), draws)]
        _, near = self._store_neighbours(X, k, others, store)
        wrong = vote(codes[near], n_classes) != codes[rows[0]]
        return np.concatenate([rows[draws], others[wrong]])

    def _finish(self, X, y, indices):
        kept = tomek_kept(X[indices], y[indices], list(self.sampling_strategy_), self.n_jobs)
        return self._select(X, y, indices[kept])
