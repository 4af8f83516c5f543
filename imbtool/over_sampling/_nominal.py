"""SMOTE-NC and SMOTE-N: SMOTE for data with nominal (categorical) columns."""

from numbers import Integral

import numpy as np
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.utils._validation import _check_X
from scipy.sparse import csr_matrix
from sklearn.base import clone
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
from sklearn.utils import _safe_indexing, check_array, check_random_state
from sklearn.utils._indexing import _get_column_indices
from sklearn.utils._param_validation import HasMethods, StrOptions

from ..utils._scale import scaled_std
from ..utils._threads import numba_threads
from ._base import (
    NEIGHBORS_CONSTRAINT,
    BaseOverSampler,
    check_class_size,
    class_neighbors,
    neighbors_estimator,
    smote_draws,
    through_dense,
)
from ._kernels import vote

_ENCODER_CONSTRAINT = [HasMethods(["fit_transform", "inverse_transform"]), None]


def _is_dataframe(X):
    return hasattr(X, "iloc") and hasattr(X, "dtypes")


def _vote(codes, neighborhoods, u, n_jobs):
    out = np.empty((neighborhoods.shape[0], codes.shape[1]), dtype=codes.dtype)
    with numba_threads(n_jobs, work=out.size * neighborhoods.shape[1]):
        vote(codes, neighborhoods, u, out, 0)
    return out


class SMOTENC(BaseOverSampler):
    """SMOTE for mixed continuous and nominal columns (Chawla et al., 2002, SMOTE-NC).

    Neighbours are found with the paper's distance: euclidean over the
    continuous columns plus, for each nominal column that differs, the median
    standard deviation of the class's continuous columns (the engine's
    ``"mixed"`` metric, on integer codes: no one-hot matrix is built for the
    search). Continuous values are interpolated as in :class:`SMOTE`; each
    nominal value is the most frequent one among the seed's ``k_neighbors``
    neighbours, ties broken at random. A drop-in for
    ``imblearn.over_sampling.SMOTENC``, constructible without arguments.

    Parameters
    ----------
    categorical_features : "auto" or array-like, default="auto"
        The nominal columns: ``"auto"`` takes the columns of a pandas
        DataFrame with a categorical, object, string or boolean dtype; or
        column indices, names (DataFrame) or a boolean mask.
    categorical_encoder : estimator, default=None
        One-hot encoder defining the categories of each nominal column;
        ``None`` means ``OneHotEncoder(handle_unknown="ignore")``. It must keep
        one column per category.
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; output is identical for any ``n_jobs``.
    k_neighbors : int or estimator, default=5
        Neighbours per sample. An estimator is fitted, as in imbalanced-learn,
        on the continuous columns next to the one-hot columns scaled so that
        each differing category costs the median standard deviation.
    n_jobs : int, default=None
        Threads of the numba kernels. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    categorical_features_ : ndarray of int
    continuous_features_ : ndarray of int
    categorical_encoder_ : estimator
        The fitted one-hot encoder.
    nn_k_ : estimator
        imbalanced-learn's neighbour estimator for ``k_neighbors``:
        ``NearestNeighbors(n_neighbors=k_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator. Not fitted.
    median_std_ : dict
        Median standard deviation of the continuous columns per resampled class.
    n_features_ : int
    sample_indices_ : ndarray of shape (n_samples,)
        Input rows in the output: all of them, first.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        Seed and partner row of each synthetic row's continuous part (its
        nominal values are the vote of the seed's ``k_neighbors`` neighbours).
    synthetic_steps_ : ndarray of shape (n_new,)
        The interpolation weight of each synthetic row's continuous part:
        ``X[seed, c] + step * (X[partner, c] - X[seed, c])`` for the
        continuous columns ``c``.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    Sparse ``X`` (CSR or CSC) is accepted as imbalanced-learn accepts it:
    it is densified for the resampling, with a ``DataConversionWarning``,
    and the output is a sparse matrix of the same format. The sparse
    columns of a DataFrame are densified too (without a warning) and keep
    their sparse dtypes in the output.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
    synthetic minority over-sampling technique", Journal of Artificial
    Intelligence Research 16, 321-357, 2002 (section 6.1, SMOTE-NC).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from imbtool.over_sampling import SMOTENC
    >>> rng = np.random.RandomState(0)
    >>> X = pd.DataFrame({"amount": rng.normal(size=60),
    ...                   "channel": pd.Categorical(rng.choice(["web", "shop"], 60))})
    >>> y = np.r_[np.zeros(50, int), np.ones(10, int)]
    >>> X_res, y_res = SMOTENC(random_state=0).fit_resample(X, y)
    >>> X_res.shape, X_res["channel"].dtype == X["channel"].dtype
    ((100, 2), True)
    >>> sorted(X_res["channel"].unique())
    ['shop', 'web']
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
        "categorical_features": ["array-like", StrOptions({"auto"})],
        "categorical_encoder": _ENCODER_CONSTRAINT,
    }

    def __init__(self, categorical_features="auto", *, categorical_encoder=None,
                 sampling_strategy="auto", random_state=None, k_neighbors=5, n_jobs=None,
                 class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    _check_X_options = None  # nominal columns of any dtype; a DataFrame stays one

    def _check_X(self, X):
        X = _check_X(X)
        if _is_dataframe(X):
            import pandas as pd

            # Sparse columns are densified (see Notes); fit_resample gives their dtypes back.
            sparse_columns = {column: dtype.subtype for column, dtype in X.dtypes.items()
                              if isinstance(dtype, pd.SparseDtype)}
            if sparse_columns:
                X = X.astype(sparse_columns)
        else:
            X = check_array(X, dtype=None, accept_sparse=["csr", "csc"],
                            ensure_all_finite=True, input_name="X")
        return X

    def _nominal_columns(self, X):
        if isinstance(self.categorical_features, str):
            if not _is_dataframe(X):
                raise ValueError(
                    "categorical_features='auto' finds the nominal columns of a pandas "
                    f"DataFrame by dtype, but X is a {type(X).__name__} (the input data "
                    "should be a pandas.DataFrame); pass the column indices or a boolean "
                    "mask of the nominal columns."
                )
            import pandas as pd

            return np.flatnonzero([
                isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype)
                or pd.api.types.is_string_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                for dtype in X.dtypes
            ])
        return np.unique(np.asarray(_get_column_indices(X, self.categorical_features),
                                    dtype=np.int64))

    def _encode(self, X):
        """Continuous block, integer codes of the nominal block, and the one-hot matrix."""
        self.n_features_ = X.shape[1]
        self.categorical_features_ = self._nominal_columns(X)
        self.continuous_features_ = np.setdiff1d(np.arange(self.n_features_),
                                                 self.categorical_features_)
        if self.categorical_features_.size == 0:
            raise ValueError(
                "SMOTE-NC is not designed to work only with numerical features: SMOTENC "
                f"found no nominal column (categorical_features={self.categorical_features!r}); "
                "use SMOTE for purely continuous data or name the nominal columns."
            )
        if self.continuous_features_.size == 0:
            raise ValueError(
                "SMOTE-NC is not designed to work only with categorical features: SMOTENC "
                "found only nominal columns; use SMOTEN for purely nominal data."
            )
        try:
            X_num = check_array(_safe_indexing(X, self.continuous_features_, axis=1),
                                dtype=[np.float64, np.float32], order="C")
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"The continuous columns {self.continuous_features_.tolist()} of X must be "
                f"numeric and finite (list the others in categorical_features): {exc}"
            ) from exc
        self.categorical_encoder_ = (
            OneHotEncoder(handle_unknown="ignore") if self.categorical_encoder is None
            else clone(self.categorical_encoder))
        X_cat = _safe_indexing(X, self.categorical_features_, axis=1)
        ohe = self.categorical_encoder_.fit_transform(X_cat)
        ohe = csr_matrix(ohe)
        sizes = [cats.size for cats in self.categorical_encoder_.categories_]
        n_cat = self.categorical_features_.size
        if ohe.shape[1] != sum(sizes) or ohe.nnz != X.shape[0] * n_cat:
            raise ValueError(
                "SMOTENC requires a one-hot encoding with one column per category and exactly "
                f"one active column per nominal feature; categorical_encoder gave "
                f"{ohe.shape[1]} columns for {sum(sizes)} categories. Do not drop or merge "
                "categories (e.g. OneHotEncoder(handle_unknown='ignore'))."
            )
        ohe.sort_indices()
        offsets = np.cumsum([0] + sizes[:-1])
        codes = ohe.indices.reshape(X.shape[0], n_cat).astype(np.int64) - offsets
        return X_num, codes, ohe

    def _fit_resample(self, X, y):
        self.nn_k_ = neighbors_estimator("k_neighbors", self.k_neighbors)
        return through_dense(self._resample, X, y, warn="SMOTENC")

    def _resample(self, X, y):
        X_num, codes, ohe = self._encode(X)
        d_num = X_num.shape[1]
        work = np.hstack([X_num, codes.astype(X_num.dtype)])
        nominal = np.zeros(work.shape[1], dtype=bool)
        nominal[d_num:] = True
        self.median_std_ = {}
        plan, votes = [], []
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            rows = np.flatnonzero(y == label)
            median_std = float(np.median(scaled_std(X_num[rows])))
            self.median_std_[label] = median_std
            if isinstance(self.k_neighbors, Integral):
                nn = class_neighbors(
                    self.k_neighbors, work, rows, rows, name="k_neighbors", label=label,
                    n_jobs=self.n_jobs, metric="mixed",
                    metric_params={"categorical": nominal, "penalty": median_std})
            else:
                scaled = np.hstack([X_num, ohe.toarray() * (median_std / np.sqrt(2))])
                nn = class_neighbors(self.k_neighbors, scaled, rows, rows, name="k_neighbors",
                                     label=label, n_jobs=self.n_jobs)
            seeds, partners, gaps = smote_draws(self.random_state, rows, nn, n_samples)
            local = np.searchsorted(rows, seeds)
            rng = check_random_state(self.random_state)
            u = rng.uniform(size=(n_samples, codes.shape[1]))
            votes.append(_vote(codes, nn[local], u, self.n_jobs))
            plan.append((label, seeds, partners, gaps))
        out, y_out = self._assemble(work, y, plan)
        new_codes = np.vstack([codes] + votes)
        return self._decode(X, out[:, :d_num], new_codes), y_out

    def _decode(self, X, numeric, codes):
        """Output in the input's layout: original values first, decoded categories."""
        categories = self.categorical_encoder_.categories_
        columns = [None] * self.n_features_
        for j, col in enumerate(self.continuous_features_):
            columns[col] = numeric[:, j]
        for j, col in enumerate(self.categorical_features_):
            columns[col] = categories[j][codes[:, j]]
        if _is_dataframe(X):
            import pandas as pd

            return pd.DataFrame(dict(zip(X.columns, columns)), columns=X.columns)
        dtype = X.dtype if X.dtype.kind in "fiub" else object
        out = np.empty((numeric.shape[0], self.n_features_), dtype=np.result_type(dtype, numeric))
        for col, values in enumerate(columns):
            out[:, col] = values
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = True  # densified: see Notes
        return tags


class SMOTEN(BaseOverSampler):
    """SMOTE for purely nominal data (Chawla et al., 2002, SMOTE-N).

    Distances are the Value Difference Metric (Stanfill and Waltz, 1986) over
    the class-conditional frequencies of each value, fitted on the whole data.
    Each new sample copies, column by column, the most frequent value among a
    random class sample and its ``k_neighbors`` nearest class samples (ties:
    the smallest category). For two classes the metric equals a euclidean
    distance on the frequencies and the search runs on imbtool's engine;
    with more classes the class's VDM matrix is computed as in
    imbalanced-learn. A drop-in for ``imblearn.over_sampling.SMOTEN``.

    Parameters
    ----------
    categorical_encoder : estimator, default=None
        Ordinal encoder of the columns; ``None`` means
        ``OrdinalEncoder(dtype=np.int32)``.
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`SMOTE`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; output is identical for any ``n_jobs``.
    k_neighbors : int or estimator, default=5
        Neighbours voting with each sample; or an object with ``kneighbors``
        used as imbalanced-learn uses it (with ``metric="precomputed"``, on the
        class's VDM distances; its ``n_neighbors`` counts the sample itself).
    n_jobs : int, default=None
        Threads of the numba kernels. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
    categorical_encoder_ : estimator
        The fitted ordinal encoder.
    nn_k_ : estimator
        imbalanced-learn's neighbour estimator for ``k_neighbors``:
        ``NearestNeighbors(n_neighbors=k_neighbors + 1)`` for an int (the
        sample counts itself), else a clone of the estimator; with
        ``metric="precomputed"`` (the VDM distances), as imbalanced-learn's. Not
        fitted.
    sample_indices_ : ndarray of shape (n_samples,)
        Input rows in the output: all of them, first.
    synthetic_sources_ : ndarray of shape (n_new, 2)
        The sample each synthetic row was voted around, and -1 (the values
        come from its whole neighbourhood, not one partner; nothing is
        interpolated, so there are no ``synthetic_steps_``).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Notes
    -----
    Sparse ``X`` (CSR or CSC) is accepted as imbalanced-learn accepts it:
    it is densified for the resampling, with a ``DataConversionWarning``,
    and the output is a sparse matrix of the same format.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
    synthetic minority over-sampling technique", Journal of Artificial
    Intelligence Research 16, 321-357, 2002 (section 6.2, SMOTE-N).

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.over_sampling import SMOTEN
    >>> rng = np.random.RandomState(0)
    >>> X = rng.choice(np.array(["a", "b", "c"], dtype=object), size=(60, 3))
    >>> y = np.r_[np.zeros(45, int), np.ones(15, int)]
    >>> X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    >>> X_res.shape, set(X_res.ravel()) <= {"a", "b", "c"}
    ((90, 3), True)
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
        "categorical_encoder": _ENCODER_CONSTRAINT,
    }

    def __init__(self, categorical_encoder=None, *, sampling_strategy="auto",
                 random_state=None, k_neighbors=5, n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.categorical_encoder = categorical_encoder
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs

    _check_X_options = {"dtype": None}  # nominal values of any dtype

    def _neighborhoods(self, vdm, codes, rows, label, classes):
        """Each class row followed by its ``k_neighbors`` nearest class rows under the VDM."""
        if not isinstance(self.k_neighbors, Integral):
            # As imbalanced-learn uses an estimator: on the class's precomputed VDM
            # distances, each row's neighbourhood including the row itself.
            dist = vdm.pairwise(codes[rows])
            return rows[clone(self.nn_k_).fit(dist).kneighbors(dist, return_distance=False)]
        if classes.size == 2:
            # For two classes the VDM term of a column is (2 p(c1|a) - 2 p(c1|b))**2.
            embedded = np.column_stack([2.0 * proba[codes[:, f], 1]
                                        for f, proba in enumerate(vdm.proba_per_class_)])
            nn = class_neighbors(self.k_neighbors, embedded, rows, rows, name="k_neighbors",
                                 label=label, n_jobs=self.n_jobs)
        else:
            check_class_size(self.k_neighbors, rows.size, name="k_neighbors", where=None,
                             label=label)
            dist = vdm.pairwise(codes[rows])
            np.fill_diagonal(dist, -np.inf)
            order = np.argsort(dist, axis=1, kind="stable")[:, 1:self.k_neighbors + 1]
            nn = rows[order]
        return np.column_stack([rows, nn])

    def _fit_resample(self, X, y):
        self.nn_k_ = neighbors_estimator("k_neighbors", self.k_neighbors).set_params(
            metric="precomputed")
        return through_dense(self._resample, X, y, warn="SMOTEN")

    def _resample(self, X, y):
        self.categorical_encoder_ = (OrdinalEncoder(dtype=np.int32)
                                     if self.categorical_encoder is None
                                     else clone(self.categorical_encoder))
        codes = np.ascontiguousarray(self.categorical_encoder_.fit_transform(X), dtype=np.int64)
        classes = np.unique(y)
        vdm = ValueDifferenceMetric(
            n_categories=[len(cats) for cats in self.categorical_encoder_.categories_]
        ).fit(codes, y)
        n = X.shape[0]
        blocks, sources, labels = [X], [], []
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            rows = np.flatnonzero(y == label)
            hood = self._neighborhoods(vdm, codes, rows, label, classes)
            rng = check_random_state(self.random_state)
            local = rng.choice(np.arange(rows.size), size=n_samples, replace=True)
            voted = _vote(codes, hood[local], np.zeros((n_samples, codes.shape[1])),
                          self.n_jobs)
            blocks.append(self.categorical_encoder_.inverse_transform(voted))
            sources.append(rows[local])
            labels.append(np.full(n_samples, label, dtype=y.dtype))
        out = np.empty((sum(b.shape[0] for b in blocks), X.shape[1]),
                       dtype=np.result_type(*[b.dtype for b in blocks]))
        start = 0
        for block in blocks:
            out[start:start + block.shape[0]] = block
            start += block.shape[0]
        seeds = np.concatenate([np.empty(0, np.int64)] + sources)
        self.sample_indices_ = np.arange(n)
        self.synthetic_sources_ = np.column_stack([seeds, np.full(seeds.size, -1)])
        return out, np.concatenate([y] + labels)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.sparse = True  # densified: see Notes
        return tags
