"""The base class of every imbtool sampler.

:class:`BaseSampler` keeps imbalanced-learn's sampler contract -- a subclass
writes ``_fit_resample(X, y)`` and finds the resolved ``sampling_strategy_``
set -- and adds what every imbtool sampler shares: one input validation,
polars in and out, a clear error for sparse input the method cannot use,
class sizes measured by ``sample_weight`` (``class_counts="weight"``) and the
provenance of the output rows (``sample_indices_``, ``n_samples_fit_``).

A sampler has ``fit_resample`` and no ``transform``, so scikit-learn's
``Pipeline``, ``FeatureUnion`` and ``ColumnTransformer`` reject it at fit with
their own ``TypeError``; use :class:`imbtool.pipeline.Pipeline`, which
resamples during fit only.
"""

import numpy as np
import scipy.sparse as sp
from imblearn.base import BaseSampler as _ImblearnBaseSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from imblearn.utils._validation import ArraysTransformer
from sklearn.base import _fit_context
from sklearn.preprocessing import label_binarize
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _num_samples, check_consistent_length, validate_data

from .utils import _dtypes, _polars
from .utils._class_counts import check_output_size, check_weight, check_whole_counts, row_strategy
from .utils._scale import check_span, ldexp, max_abs, output_at_scale, unit_shift

__all__ = ["BaseSampler"]

# The constructor parameter every sampler has; see BaseSampler.fit_resample.
CLASS_COUNTS_CONSTRAINT = [StrOptions({"rows", "weight"})]


def _sparse_samplers():
    from .utils import all_estimators  # walks the package, so imported when an error needs it

    return ", ".join(name for name, cls in all_estimators("sampler")
                     if get_tags(cls()).input_tags.sparse)


class BaseSampler(_ImblearnBaseSampler):
    """Base class of imbtool's samplers.

    Listed before the imbalanced-learn base that sets ``_sampling_type``,
    e.g. ``class RandomUnderSampler(BaseSampler, imblearn's
    BaseUnderSampler)``. The sampler's ``__init__`` takes
    ``class_counts="rows"`` and its ``_parameter_constraints`` hold
    ``CLASS_COUNTS_CONSTRAINT``; subclasses implement ``_fit_resample(X, y)``.
    Inside it, ``self._row_sampling_strategy`` is ``sampling_strategy`` in
    rows (the parameter itself under ``class_counts="rows"``), for samplers
    that resolve the strategy again on subsets of the rows.

    A sampler whose rule computes on X outside the neighbour engine sets
    ``_scale_band``; where the largest magnitude of X lies outside it, the
    rule runs on X scaled by an exact power of two ``2^scale_exponent_`` to
    a largest magnitude in [1/2, 1) (``scale_exponent_`` is 0 otherwise), so
    its answer is the same at every scale: the same rows, and new rows
    scaled back exactly. Estimators it fits on the way (``estimator_``,
    ``svm_estimator_``, ...) are then fitted on that scaled copy.

    Class order: a sampler whose classes draw from one random stream visits
    them in the order of their first row in ``y``
    (:func:`imbtool.utils.class_visit_order`), which no renaming of the
    classes can change; where the labels first appear in sorted order it is
    imbalanced-learn's order, so the same ``random_state`` gives
    imbalanced-learn's rows. The output lists the class blocks in sorted
    label order. Relabelling ``y`` in the same sort order therefore gives the
    same output; relabelling it in another order gives the same rows of each
    class, with the class blocks in the new sort order.

    Input validation is :meth:`_check_X_y`: scikit-learn's ``validate_data``
    with sparse X where the tags allow it and the class's ``_check_X_options``;
    a sampler that takes X as it comes (any dtype, frames kept) sets
    ``_check_X_options = None`` and converts X in ``_check_X``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        The target counts, as in imbalanced-learn; the subclass's sampling
        type (over-, under- or clean-sampling) reads it.

    Examples
    --------
    A sampler that keeps the first rows of each class it under-samples:

    >>> import numpy as np
    >>> from imblearn.under_sampling.base import BaseUnderSampler
    >>> from imbtool.base import CLASS_COUNTS_CONSTRAINT, BaseSampler
    >>> class FirstRows(BaseSampler, BaseUnderSampler):
    ...     _parameter_constraints = {**BaseUnderSampler._parameter_constraints,
    ...                               "class_counts": CLASS_COUNTS_CONSTRAINT}
    ...
    ...     def __init__(self, *, sampling_strategy="auto", class_counts="rows"):
    ...         super().__init__(sampling_strategy=sampling_strategy)
    ...         self.class_counts = class_counts
    ...
    ...     def _fit_resample(self, X, y):
    ...         keep = [np.flatnonzero(y == label)[:self.sampling_strategy_.get(label, None)]
    ...                 for label in np.unique(y)]
    ...         return self._select(X, y, np.sort(np.concatenate(keep)))
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> y = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1, 1])
    >>> X_res, y_res = FirstRows().fit_resample(X, y)
    >>> y_res.tolist()
    [0, 0, 0, 1, 1, 1]
    """

    _parameter_constraints: dict = {
        "class_counts": CLASS_COUNTS_CONSTRAINT,
    }

    # Extra validate_data options for X (e.g. a float dtype); None: see _check_X.
    _check_X_options: dict = {}

    # None, or the band [low, high) of largest magnitudes of X within which
    # _fit_resample runs on X itself: set by samplers that compute outside the
    # neighbour engine (scikit-learn estimators, sums of squares) on float X.
    # Outside it they run at unit scale (imbtool.utils._scale).
    _scale_band = None

    # Under metadata routing, sample_weight reaches fit_resample only when asked for
    # (set_fit_resample_request(sample_weight=True)): weights meant for the classifier
    # must not make every sampler step an error.
    __metadata_request__fit_resample = {"sample_weight": False}

    def _check_X_y(self, X, y):
        # The sparse formats follow the tags, so there is no accept_sparse argument.
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        if self._check_X_options is None:
            # skip_check_array also skips the length check: a short y would drop rows silently.
            check_consistent_length(X, y)
            validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
            return self._check_X(X), y, binarize_y
        sparse = ["csr", "csc"] if get_tags(self).input_tags.sparse else False
        X, y = validate_data(self, X=X, y=y, reset=True, accept_sparse=sparse,
                             **self._check_X_options)
        return X, y, binarize_y

    def _check_X(self, X):
        """X as the sampler's rule takes it, for ``_check_X_options = None``."""
        raise NotImplementedError

    def _computes_on_numbers(self):
        """False for samplers that take X as it comes (any dtype, nominal values)."""
        options = self._check_X_options
        return options is not None and options.get("dtype", "numeric") is not None

    def _select(self, X, y, indices):
        """The rows ``indices`` of ``X`` and ``y``, recorded as ``sample_indices_``."""
        self.sample_indices_ = np.asarray(indices, dtype=np.intp)
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)

    def _reference_params(self):
        """Constructor parameters for imbalanced-learn's sampler of the same name."""
        params = self.get_params(deep=False)
        params.pop("class_counts", None)
        params["sampling_strategy"] = self._row_sampling_strategy
        return params

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Dense unless a subclass's rule makes sense on sparse rows and says so.
        tags.input_tags.sparse = False
        tags.sampler_tags.sample_indices = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y, *, sample_weight=None, **params):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            pandas and polars DataFrames give the same kind of frame back,
            with the input's column names and dtypes (categorical and polars
            ``Enum`` columns included), by the dtype rule in Notes. A NumPy
            array of floats keeps its dtype; one of integers or booleans is
            validated as in scikit-learn and imbalanced-learn (float64 where
            the sampler computes on it). Sparse matrices only where
            the sampler's ``input_tags.sparse`` says so.
        y : array-like of shape (n_samples,)
            A pandas or polars Series gives a Series of the same kind back.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row: finite and non-negative, else a ValueError.
            It changes the output only with ``class_counts="weight"`` (``None``
            then weighs every row 1). It is not resampled: carry it with
            :func:`imbtool.utils.resample_aligned` or
            :class:`imbtool.pipeline.Pipeline`. Under scikit-learn metadata
            routing a sampler receives it only after
            ``set_fit_resample_request(sample_weight=True)``.
        **params : dict
            Passed to the sampler's resampling, as in imbalanced-learn.

        Returns
        -------
        X_resampled : {ndarray, sparse matrix, DataFrame}
        y_resampled : {ndarray, Series}

        Notes
        -----
        **Dtypes.** A sampler computes in float32 (when every column is
        float32 or float16) or float64 and gives X back in its own kind and
        dtypes. Rows it copies from the input (``X[sample_indices_]``, which
        every output begins with) are the input rows, exactly; a new row's
        value is cast by its column's rule:

        - float32, float64, pandas ``Float32``/``Float64``: as computed;
        - float16: computed in float32 (float64 beside wider columns), cast
          back; longdouble: computed in float64 (new values carry float64
          precision), cast back;
        - integers (NumPy ``int8``..``uint64``, pandas ``Int8``..``UInt64``,
          polars ``Int*``/``UInt*``): rounded to the nearest integer (half to
          even, clipped to the dtype's range), not truncated; the dtype is
          kept;
        - bool, pandas ``boolean``, polars ``Boolean``: computed as 0/1 and
          True where the value is >= 0.5: a row interpolated between a seed
          and a partner takes the value of the one nearer by the step (the
          partner's at 0.5), a centroid the majority vote of its rows;
        - categorical with numeric categories: computed on the category
          values; a new value is the nearest category (the lower on a tie),
          so it is always one of the column's categories;
        - categorical with other categories (pandas string categories,
          polars ``Categorical``/``Enum``): no number to interpolate, so a
          sampler that computes on numbers refuses it with a ``TypeError``
          naming the column: encode it, or use SMOTENC / SMOTEN, which take
          nominal columns as they are, as do RandomOverSampler and
          RandomUnderSampler;
        - a missing value of a nullable column (``pd.NA``, polars null) is
          refused with a ``ValueError`` naming the column, as NaN in a float
          column is refused, except by samplers whose tags allow NaN (the
          random samplers, which copy rows).

        Under-samplers and cleaners only select rows, so their output dtypes
        are the input's exactly.

        **sampling_strategy.** A dict (or a callable's dict) gives rows per
        class (total weights under ``class_counts="weight"``, below): whole
        numbers of rows only (``30.0`` is 30; ``2.5`` is an
        ``InvalidParameterError`` naming the class); a float ratio keeps
        imbalanced-learn's ``int`` truncation. Before anything is allocated,
        an over-sampled output (rows x columns x itemsize) larger than the
        memory the system reports as available is refused with a
        ``ValueError`` (also a ``MemoryError``) giving the rows and bytes;
        the environment variable ``IMBTOOL_MAX_OUTPUT_BYTES`` sets another
        limit in bytes, or ``none`` for no limit.

        With ``class_counts="weight"``, class ``c`` with ``n_c`` rows of total
        weight ``W_c`` has size ``W_c`` instead of ``n_c``. A total ``T`` is
        turned into rows of class ``c`` by its mean weight ``m_c = W_c / n_c``
        (``T / m_c``; within 1e-9 of a whole number it is that number, so
        equal weights reproduce row counting exactly) and imbalanced-learn's
        formula is applied to these sizes, ``int`` truncation included:

        - a string ``sampling_strategy`` picks the minority and majority by
          total weight; an over-sampler brings each selected class ``c`` to
          ``int(W_max / m_c)`` rows, an under-sampler to ``int(W_min / m_c)``;
        - a float ``r`` (binary): the lightest class ``c`` gets
          ``int(r W_max / m_c - n_c)`` new rows; an under-sampler keeps
          ``int(W_min / m_c / r)`` rows of the heaviest;
        - a dict (or a callable's dict) gives target *total weights*
          ``T_c``: ``int(T_c / m_c)`` rows;
        - a cleaning sampler (ENN, Tomek links, ...) removes rows by its own
          rule; only the classes a string names (minority, majority) are
          chosen by weight.

        The sampler then runs as if given that row-count dict (or class
        list), which ``sampling_strategy_`` records.

        Examples
        --------
        >>> import numpy as np
        >>> from imbtool.datasets import load_dataset
        >>> from imbtool.over_sampling import SMOTE
        >>> X, y = load_dataset("ecoli1", return_X_y=True)
        >>> np.bincount(y).tolist()
        [259, 77]
        >>> weight = np.where(y == 1, 2.0, 1.0)  # each minority row counts twice
        >>> smote = SMOTE(random_state=0, class_counts="weight")
        >>> _, y_res = smote.fit_resample(X, y, sample_weight=weight)
        >>> np.bincount(y_res).tolist()  # 129 rows of weight 2: 258, the majority's 259
        [259, 129]
        """
        if sp.issparse(X) and not get_tags(self).input_tags.sparse:
            raise TypeError(
                f"{type(self).__name__} needs dense X, got a sparse matrix: its rule is computed "
                "on dense rows. Call X.toarray() first, or use a sampler that accepts sparse X "
                f"({_sparse_samplers()})."
            )
        frame_X, frame_y = X, y
        if _polars.is_polars(X):
            X = _polars.to_pandas(X)
        if _polars.is_polars(y):
            y = _polars.to_pandas(y)
        weight = None if sample_weight is None else check_weight(sample_weight, X)
        check_classification_targets(y)
        if getattr(self, "class_counts", "rows") == "weight":
            labels = check_target_type(y)
            check_consistent_length(X, labels)
            if weight is None:
                weight = check_weight(None, labels)
            self._row_sampling_strategy = row_strategy(self.sampling_strategy, labels, weight,
                                                       self._sampling_type)
        else:
            self._row_sampling_strategy = self.sampling_strategy
        # The dtype rule (see Notes): X in float for the computation, back in its dtypes after.
        tags = get_tags(self).input_tags
        X_comp, dtype_plan = _dtypes.encode(
            X, numeric=self._computes_on_numbers(), allow_nan=tags.allow_nan,
            sampler_name=type(self).__name__)
        # imbalanced-learn's fit_resample, with the strategy in rows.
        arrays_transformer = ArraysTransformer(X_comp, y)
        X_checked, y_checked, binarize_y = self._check_X_y(X_comp, y)
        self._row_sampling_strategy = check_whole_counts(
            self._row_sampling_strategy, y_checked, self._sampling_type)
        self.sampling_strategy_ = check_sampling_strategy(
            self._row_sampling_strategy, y_checked, self._sampling_type
        )
        check_output_size(self.sampling_strategy_, self._sampling_type, X_checked)
        shift = 0
        if self._scale_band is not None:
            # The rule at unit scale outside its band (see the class docstring). Data whose
            # squared distances overflow are refused as the neighbour engine refuses them,
            # so every sampler answers up to the same scale.
            check_span(X_checked)
            shift = self.scale_exponent_ = unit_shift(max_abs(X_checked), self._scale_band)
        X_res, y_res = self._fit_resample(ldexp(X_checked, shift), y_checked, **params)[:2]
        X_res = output_at_scale(X_checked, X_res, getattr(self, "sample_indices_", None), shift)
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(y_checked))
        X_res, y_res = arrays_transformer.transform(X_res, y_res)
        X_res = _dtypes.decode(dtype_plan, X_res, getattr(self, "sample_indices_", None))
        # Lets imbtool.utils.resample_aligned reject arrays of another length.
        self.n_samples_fit_ = _num_samples(X)
        if X is not frame_X:
            X_res = _polars.like(frame_X, X_res)
        if y is not frame_y:
            y_res = _polars.like(frame_y, y_res)
        return X_res, y_res
