"""What every imbtool sampler adds to imbalanced-learn's ``fit_resample``.

The mixin gives each sampler: a clear error when placed where rows cannot be
resampled, polars in and out, a clear error for sparse input the method
cannot use, and ``sample_weight`` with ``class_counts="weight"``.

The pipeline error:

scikit-learn's ``Pipeline``, ``FeatureUnion`` and ``ColumnTransformer`` accept
a step only if ``hasattr(step, "transform")``; a sampler has no ``transform``,
so scikit-learn's message ("should be transformers and implement fit and
transform") never says what to use instead. ``hasattr`` swallows only
``AttributeError``, so the descriptor below answers those three validators
with a ``TypeError`` naming :class:`imbtool.pipeline.Pipeline` and behaves as
an absent attribute for every other caller (imbalanced-learn's ``Pipeline``
included, which must see a sampler without ``transform``).
"""

import copy
import sys

import scipy.sparse as sp
from imblearn.utils import check_target_type
from sklearn.utils import get_tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _num_samples, check_consistent_length
from sklearn.utils._param_validation import StrOptions

from ..utils import _polars
from ..utils._class_counts import check_weight, row_strategy

# The constructor parameter every sampler has; see PlainPipelineGuardMixin.fit_resample.
CLASS_COUNTS_CONSTRAINT = [StrOptions({"rows", "weight"})]
CLASS_COUNTS_DOC = """class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample``, whose docstring defines the rule."""

# (module, function) of the scikit-learn validators whose hasattr probe gets the message.
_PLAIN_VALIDATORS = {
    ("sklearn.pipeline", "_validate_steps"),
    ("sklearn.pipeline", "_validate_transformers"),
    ("sklearn.compose._column_transformer", "_validate_transformers"),
}


class _NoTransform:
    """Class attribute ``transform`` that is absent except to scikit-learn's step validators."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        caller = sys._getframe(1)
        if (caller.f_globals.get("__name__"), caller.f_code.co_name) in _PLAIN_VALIDATORS:
            kind = type(instance if instance is not None else owner).__name__
            raise TypeError(
                f"{kind} is a sampler: it changes the training rows with fit_resample, which a "
                "scikit-learn Pipeline, FeatureUnion or ColumnTransformer cannot do. Use "
                "imbtool.pipeline.Pipeline or imbtool.pipeline.make_pipeline (imbalanced-learn's "
                "pipeline), which resamples during fit only."
            )
        raise AttributeError(f"{owner.__name__!r} object has no attribute {self.name!r}")


def _sparse_samplers():
    from ..utils import all_estimators  # the registry imports every sampler module

    return ", ".join(name for name, cls in all_estimators("sampler")
                     if get_tags(cls()).input_tags.sparse)


class PlainPipelineGuardMixin:
    """Mixin for samplers: pipeline guard, polars, sparse errors, weighted class counts.

    Listed before the imbalanced-learn base class, e.g.
    ``class _SyntheticOverSampler(PlainPipelineGuardMixin, BaseOverSampler)``;
    the sampler's ``__init__`` takes ``class_counts="rows"`` and its
    ``_parameter_constraints`` hold ``CLASS_COUNTS_CONSTRAINT``.
    """

    transform = _NoTransform()
    # Under metadata routing, sample_weight reaches fit_resample only when asked for
    # (set_fit_resample_request(sample_weight=True)): weights meant for the classifier
    # must not make every sampler step an error.
    __metadata_request__fit_resample = {"sample_weight": False}

    def _reference_params(self):
        """Constructor parameters for imbalanced-learn's sampler of the same name."""
        return {k: v for k, v in self.get_params(deep=False).items() if k != "class_counts"}

    def fit_resample(self, X, y, *, sample_weight=None, **params):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            pandas and polars DataFrames give the same kind of frame back,
            with the input's column names and dtypes (categorical and polars
            ``Enum`` columns included); sparse matrices only where the
            sampler's ``input_tags.sparse`` says so.
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
        if getattr(self, "class_counts", "rows") == "weight":
            self._validate_params()
            check_classification_targets(y)
            labels = check_target_type(y)
            check_consistent_length(X, labels)
            if weight is None:
                weight = check_weight(None, labels)
            # A twin with the equivalent row-count strategy runs the sampler, so the
            # parameter stays as given; its fitted attributes become this sampler's.
            twin = copy.copy(self)
            twin.sampling_strategy = row_strategy(self.sampling_strategy, labels, weight,
                                                  self._sampling_type)
            X_res, y_res = super(PlainPipelineGuardMixin, twin).fit_resample(X, y, **params)
            # What the twin's fit removed (a previous fit's attributes) goes here too.
            for key in set(vars(self)) - set(vars(twin)):
                delattr(self, key)
            vars(self).update({k: v for k, v in vars(twin).items() if k != "sampling_strategy"})
        else:
            X_res, y_res = super().fit_resample(X, y, **params)
        # Lets imbtool.utils.resample_aligned reject arrays of another length.
        self.n_samples_fit_ = _num_samples(X)
        if X is not frame_X:
            X_res = _polars.like(frame_X, X_res)
        if y is not frame_y:
            y_res = _polars.like(frame_y, y_res)
        return X_res, y_res
