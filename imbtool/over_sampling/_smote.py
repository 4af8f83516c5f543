"""SMOTE: interpolation between a minority sample and one of its minority neighbours."""

import numpy as np
import scipy.sparse as sp

from ._base import (
    NEIGHBORS_CONSTRAINT,
    BaseOverSampler,
    class_neighbors,
    neighbors_estimator,
    smote_draws,
)


class SMOTE(BaseOverSampler):
    """Synthetic Minority Over-sampling TEchnique (Chawla et al., 2002).

    Each new sample lies at a uniform random position on the segment between
    a randomly chosen sample of the class and one of its ``k_neighbors``
    nearest neighbours of the same class. Only the class rows are searched
    (class against class), on imbtool's exact numba engine; points are
    written straight into the output. A drop-in for
    ``imblearn.over_sampling.SMOTE``: same parameters, same
    ``sampling_strategy`` semantics and, when the neighbours agree (no
    distance ties), the same output for the same ``random_state``. Sparse
    ``X`` (CSR or CSC) gives the same points as a sparse matrix of the same
    format; only the rows of the class being grown are densified, for the
    neighbour search.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn: the minority/majority ratio after resampling
        (binary only), a class selection (``"minority"``, ``"not minority"``,
        ``"not majority"``, ``"all"``, ``"auto"``), a ``{class: n_samples}``
        dict, or a callable returning such a dict from ``y``.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; output is identical for any ``n_jobs``.
    k_neighbors : int or estimator, default=5
        Neighbours per sample; or an object with ``kneighbors`` and
        ``kneighbors_graph`` that is used as imbalanced-learn uses it (its
        ``n_neighbors`` counts the sample itself).
    n_jobs : int, default=None
        Threads for the neighbour search and the generation. ``None`` and
        ``-1`` use every core available (threads inside one call, as
        scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples to add per class.
    nn_k_ : estimator
        imbalanced-learn's neighbour estimator for ``k_neighbors``:
        ``NearestNeighbors(n_neighbors=k_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator. Not fitted.
    sample_indices_ : ndarray of shape (n_samples,)
        Input rows present in the output: all of them, first and in order.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        For each synthetic row, in output order: its seed row and the
        neighbour row it was interpolated towards.
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each synthetic row:
        ``X[seed] + step * (X[partner] - X[seed])``.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined when ``X`` has string column names.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
    synthetic minority over-sampling technique", Journal of Artificial
    Intelligence Research 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling import SMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y), np.bincount(y_res)
    (array([450,  50]), array([450, 450]))
    >>> bool(np.array_equal(X_res[:500], X)), SMOTE().fit_resample(X, y)[0].dtype
    (True, dtype('float64'))
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    def _plan(self, X, y):
        self.nn_k_ = neighbors_estimator("k_neighbors", self.k_neighbors)
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            rows = np.flatnonzero(y == label)
            if sp.issparse(X):
                # The neighbour engine is dense: only this class's rows are densified.
                local = np.arange(rows.size)
                nn = rows[class_neighbors(self.k_neighbors, X[rows].toarray(), local, local,
                                          name="k_neighbors", label=label, n_jobs=self.n_jobs)]
            else:
                nn = class_neighbors(self.k_neighbors, X, rows, rows, name="k_neighbors",
                                     label=label, n_jobs=self.n_jobs)
            yield (label, *smote_draws(self.random_state, rows, nn, n_samples))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
