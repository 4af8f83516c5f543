"""SMOTE over-sampling followed by cleaning: SMOTE + ENN and SMOTE + Tomek links."""

import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.base import clone
from sklearn.utils import check_X_y
from sklearn.utils._param_validation import HasMethods

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..over_sampling import SMOTE
from ..under_sampling import EditedNearestNeighbours, TomekLinks


class _SMOTEThenClean(BaseSampler):
    """SMOTE with ``sampling_strategy``/``random_state``, then a cleaning sampler.

    The cleaner keeps original and synthetic rows in its own order (ENN by
    class), so they would interleave; the output puts the kept originals
    first and the kept synthetic rows after them, each in the cleaner's
    order. Every sampler's output then reads ``X[sample_indices_]``
    followed by one row per ``synthetic_sources_`` row, which is what
    :func:`imbtool.utils.resample_aligned` and the pipeline's routing of
    row-aligned arrays rely on; a per-row origin map would make each of
    them handle a second layout.
    """

    _sampling_type = "over-sampling"

    def _validate_estimator(self, sampling_strategy=None):
        """Set ``smote_`` and the cleaner's fitted attribute to the parts to use, unfitted.

        imbalanced-learn's hook of the same name: the given parts cloned, or the
        defaults; the default SMOTE takes ``sampling_strategy`` (``fit_resample``
        passes it in rows), else the parameter.
        """
        cleaner = getattr(self, self._cleaner_name)
        strategy = self.sampling_strategy if sampling_strategy is None else sampling_strategy
        self.smote_ = (SMOTE(sampling_strategy=strategy, random_state=self.random_state,
                             n_jobs=self.n_jobs)
                       if self.smote is None else clone(self.smote))
        setattr(self, self._cleaner_name + "_",
                self._cleaner() if cleaner is None else clone(cleaner))

    def _fit_resample(self, X, y):
        self._validate_estimator(self._row_sampling_strategy)
        y = check_target_type(y)
        X, y = check_X_y(X, y)
        self.sampling_strategy_ = self._row_sampling_strategy
        X_res, y_res = self.smote_.fit_resample(X, y)
        cleaner = getattr(self, self._cleaner_name + "_")
        X_clean, y_clean = cleaner.fit_resample(X_res, y_res)
        return self._originals_first(cleaner, len(y_res), X_clean, y_clean)

    def _originals_first(self, cleaner, n_smoted, X_clean, y_clean):
        """Reorder the cleaned rows (kept originals, then kept synthetic); record provenance."""
        for name in ("sample_indices_", "synthetic_sources_", "synthetic_steps_"):
            self.__dict__.pop(name, None)
        kept = getattr(self.smote_, "sample_indices_", ())
        sources = getattr(self.smote_, "synthetic_sources_", np.empty((0, 2), dtype=np.int64))
        chosen = getattr(cleaner, "sample_indices_", None)
        if len(kept) + len(sources) != n_smoted or chosen is None or len(chosen) != len(y_clean):
            # A part without provenance (or a cleaner that makes rows): the cleaner's output.
            return X_clean, y_clean
        chosen = np.asarray(chosen)
        synthetic = chosen >= len(kept)
        order = np.concatenate([np.flatnonzero(~synthetic), np.flatnonzero(synthetic)])
        self.sample_indices_ = np.asarray(kept)[chosen[~synthetic]]
        self.synthetic_sources_ = np.asarray(sources)[chosen[synthetic] - len(kept)]
        steps = getattr(self.smote_, "synthetic_steps_", None)
        if steps is not None:
            self.synthetic_steps_ = np.asarray(steps)[chosen[synthetic] - len(kept)]
        return X_clean[order], y_clean[order]


class SMOTEENN(_SMOTEThenClean):
    """SMOTE over-sampling, then Wilson's editing of every class (Batista et al.).

    The same steps as imbalanced-learn's ``SMOTEENN``: ``SMOTE`` with
    ``sampling_strategy`` and ``random_state``, then
    ``EditedNearestNeighbours(sampling_strategy="all")``. Both are imbtool's,
    so with the default parts the output holds imbalanced-learn's rows when
    neighbours are not tied; the editing computes only the neighbourhoods
    that can contain another class. The kept original rows come first,
    then the kept synthetic rows (imbalanced-learn's order is by class; a
    stable sort of the output by label gives it). Provenance
    (``sample_indices_``, ``synthetic_sources_``) is recorded when both
    parts record it and the cleaner only selects rows, as the defaults do;
    otherwise the output is the cleaner's, in its order.

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
        Threads of the default parts. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule). It sizes the
        default SMOTE step; a sampler given as ``smote`` keeps its own.

    Attributes
    ----------
    smote_ : sampler
    enn_ : sampler
    sampling_strategy_ : float, str, dict or callable
    sample_indices_ : ndarray
        Input rows in the output, in output order: the originals the
        cleaning kept. They come first; the kept synthetic rows follow (the
        row order differs from imbalanced-learn's, the rows are the same).
    synthetic_sources_ : ndarray of shape (n_kept_synthetic, 2)
        The over-sampler's ``[seed, partner]`` rows of each kept synthetic
        row, in output order.
    synthetic_steps_ : ndarray of shape (n_kept_synthetic,)
        The over-sampler's step of each kept synthetic row, when it records
        them (SMOTE does): the row is ``X[seed] + step * (X[partner] - X[seed])``.
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
    not tied (Tomek links keep rows in input order, so the kept originals
    already come first, then the kept synthetic rows). Provenance
    (``sample_indices_``, ``synthetic_sources_``) is recorded when both
    parts record it and the cleaner only selects rows, as the defaults do;
    otherwise the output is the cleaner's, in its order.

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
        Threads of the default parts. ``None`` and ``-1`` use every core
        available (threads inside one call, as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule). It sizes the
        default SMOTE step; a sampler given as ``smote`` keeps its own.

    Attributes
    ----------
    smote_ : sampler
    tomek_ : sampler
    sampling_strategy_ : float, str, dict or callable
    sample_indices_ : ndarray
        Input rows in the output, in output order: the originals the
        cleaning kept. They come first; the kept synthetic rows follow (the
        row order differs from imbalanced-learn's, the rows are the same).
    synthetic_sources_ : ndarray of shape (n_kept_synthetic, 2)
        The over-sampler's ``[seed, partner]`` rows of each kept synthetic
        row, in output order.
    synthetic_steps_ : ndarray of shape (n_kept_synthetic,)
        The over-sampler's step of each kept synthetic row, when it records
        them (SMOTE does): the row is ``X[seed] + step * (X[partner] - X[seed])``.
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
