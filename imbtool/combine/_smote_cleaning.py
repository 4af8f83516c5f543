"""SMOTE over-sampling followed by cleaning: SMOTE + ENN and SMOTE + Tomek links."""

import numbers

from imblearn.base import BaseSampler
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.base import clone
from sklearn.utils import check_X_y
from sklearn.utils._param_validation import HasMethods

from imbtool.over_sampling import SMOTE
from imbtool.under_sampling import EditedNearestNeighbours, TomekLinks
from ..pipeline._guard import CLASS_COUNTS_CONSTRAINT, PlainPipelineGuardMixin


class _SMOTEThenClean(PlainPipelineGuardMixin, BaseSampler):
    """SMOTE with ``sampling_strategy``/``random_state``, then a cleaning sampler."""

    _sampling_type = "over-sampling"

    def _check_X_y(self, X, y, accept_sparse=None):
        return super()._check_X_y(X, y, accept_sparse=False)

    def _fit_resample(self, X, y):
        cleaner = getattr(self, self._cleaner_name)
        self.smote_ = (SMOTE(sampling_strategy=self.sampling_strategy,
                             random_state=self.random_state, n_jobs=self.n_jobs)
                       if self.smote is None else clone(self.smote))
        setattr(self, self._cleaner_name + "_",
                self._cleaner() if cleaner is None else clone(cleaner))
        y = check_target_type(y)
        X, y = check_X_y(X, y)
        self.sampling_strategy_ = self.sampling_strategy
        X_res, y_res = self.smote_.fit_resample(X, y)
        return getattr(self, self._cleaner_name + "_").fit_resample(X_res, y_res)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


class SMOTEENN(_SMOTEThenClean):
    """SMOTE over-sampling, then Wilson's editing of every class (Batista et al.).

    The same steps as imbalanced-learn's ``SMOTEENN``: ``SMOTE`` with
    ``sampling_strategy`` and ``random_state``, then
    ``EditedNearestNeighbours(sampling_strategy="all")``. Both are imbtool's,
    so with the default parts the output equals imbalanced-learn's when
    neighbours are not tied; the editing computes only the neighbourhoods
    that can contain another class.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        SMOTE's, as in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        SMOTE's seed.
    smote : sampler, default=None
        Over-sampler to use instead of ``SMOTE(sampling_strategy,
        random_state)``; any object with ``fit_resample`` (e.g. another
        imbtool SMOTE variant).
    enn : sampler, default=None
        Cleaner to use instead of ``EditedNearestNeighbours(sampling_strategy="all")``.
    n_jobs : int, default=None
        Threads of the default parts.
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    smote_ : sampler
    enn_ : sampler
    sampling_strategy_ : float, str, dict or callable
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    References
    ----------
    .. [1] G. Batista, R. C. Prati and M. C. Monard, "A study of the behavior
       of several methods for balancing machine learning training data",
       ACM SIGKDD Explorations Newsletter, 6(1), 20-29, 2004.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.combine import SMOTEENN
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = SMOTEENN(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 1).sum() > (y == 1).sum())
    True
    """

    _cleaner_name = "enn"
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "smote": [HasMethods(["fit_resample"]), None],
        "enn": [HasMethods(["fit_resample"]), None],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, enn=None,
                 n_jobs=None, class_counts="rows"):
        super().__init__()
        self.class_counts = class_counts
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _cleaner(self):
        return EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)


class SMOTETomek(_SMOTEThenClean):
    """SMOTE over-sampling, then removal of both ends of every Tomek link (Batista et al.).

    The same steps as imbalanced-learn's ``SMOTETomek``: ``SMOTE`` with
    ``sampling_strategy`` and ``random_state``, then
    ``TomekLinks(sampling_strategy="all")``. Both are imbtool's, so with the
    default parts the output equals imbalanced-learn's when neighbours are
    not tied.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        SMOTE's, as in imbalanced-learn's over-samplers.
    random_state : int, RandomState instance or None, default=None
        SMOTE's seed.
    smote : sampler, default=None
        Over-sampler to use instead of ``SMOTE(sampling_strategy, random_state)``.
    tomek : sampler, default=None
        Cleaner to use instead of ``TomekLinks(sampling_strategy="all")``.
    n_jobs : int, default=None
        Threads of the default parts.
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    smote_ : sampler
    tomek_ : sampler
    sampling_strategy_ : float, str, dict or callable
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    References
    ----------
    .. [1] G. Batista, A. L. C. Bazzan and M. C. Monard, "Balancing training
       data for automated annotation of keywords: a case study", WOB 2003,
       10-18.

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.combine import SMOTETomek
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X_res, y_res = SMOTETomek(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 1).sum() > (y == 1).sum())
    True
    """

    _cleaner_name = "tomek"
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "smote": [HasMethods(["fit_resample"]), None],
        "tomek": [HasMethods(["fit_resample"]), None],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, tomek=None,
                 n_jobs=None, class_counts="rows"):
        super().__init__()
        self.class_counts = class_counts
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    def _cleaner(self):
        return TomekLinks(sampling_strategy="all", n_jobs=self.n_jobs)
