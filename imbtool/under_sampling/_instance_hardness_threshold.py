"""Instance hardness threshold: drop the rows a cross-validated classifier finds hardest."""

from collections import Counter

import numpy as np
from imblearn.under_sampling.base import BaseUnderSampler
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods

from ..base import CLASS_COUNTS_CONSTRAINT, BaseSampler
from ..utils._compat import set_random_states
from ..utils._scale import BAND
from ..utils._threads import N_JOBS_CONSTRAINT


class InstanceHardnessThreshold(BaseSampler, BaseUnderSampler):
    """Keep, in each resampled class, the rows with the highest cross-validated
    probability of their own class (Smith, Martinez and Giraud-Carrier).

    Runs the procedure of imbalanced-learn's ``InstanceHardnessThreshold``
    with the same draws for the same ``random_state`` (same folds, same
    estimator seeds), so ``sample_indices_`` are identical. The work is the
    classifier's; there is no neighbour search to speed up. Unlike
    imbalanced-learn, labels need not be 0..n_classes-1.

    Parameters
    ----------
    estimator : classifier with predict_proba, default=None
        ``None`` means ``RandomForestClassifier(n_estimators=100)``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Target counts, as in imbalanced-learn's under-samplers. A class may
        keep more rows than asked when probabilities tie at the threshold.
    random_state : int, RandomState instance or None, default=None
    cv : int, cross-validation generator or iterable, default=5
        Number of stratified, shuffled folds (only an int is used as a count).
    n_jobs : int, default=None
        Jobs of the cross-validation (and of the default forest's trees).
        ``None`` means 1 unless in a :func:`joblib.parallel_config` context,
        ``-1`` every processor (joblib's rule).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    estimator_ : classifier
    sampling_strategy_ : dict
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`). ``estimator_`` is fitted on that copy.
    sample_indices_ : ndarray of shape (n_new_samples,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    References
    ----------
    .. [1] M. R. Smith, T. Martinez and C. Giraud-Carrier, "An instance level
       analysis of data complexity", Machine Learning, 95(2), 225-256, 2014.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.under_sampling import InstanceHardnessThreshold
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> iht = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    >>> X_res, y_res = iht.fit_resample(X, y)
    >>> bool((y_res == 0).sum() >= (y_res == 1).sum() == (y == 1).sum())
    True
    """

    # The default forest's trees copy X to float32 and skip splits closer than
    # 1e-7: run at unit scale outside the band (base.BaseSampler).
    _scale_band = BAND

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "class_counts": CLASS_COUNTS_CONSTRAINT,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "n_jobs": N_JOBS_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(self, *, estimator=None, sampling_strategy="auto", random_state=None, cv=5,
                 n_jobs=None, class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.estimator = estimator
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        random_state = check_random_state(self.random_state)
        if self.estimator is None:
            self.estimator_ = RandomForestClassifier(n_estimators=100,
                                                     random_state=self.random_state,
                                                     n_jobs=self.n_jobs)
        elif is_classifier(self.estimator):
            self.estimator_ = clone(self.estimator)
            set_random_states(self.estimator_, random_state)
        else:
            raise ValueError(
                f"estimator must be a classifier with predict_proba; got {self.estimator!r}."
            )
        counts = Counter(y)
        folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=random_state)
        proba = cross_val_predict(self.estimator_, X, y, cv=folds, n_jobs=self.n_jobs,
                                  method="predict_proba")
        codes = np.unique(y, return_inverse=True)[1]
        own = proba[np.arange(y.size), codes]
        chosen = []
        for target_class in np.unique(y):
            rows = np.flatnonzero(y == target_class)
            if target_class in self.sampling_strategy_:
                share = self.sampling_strategy_[target_class] / counts[target_class]
                threshold = np.percentile(own[rows], (1.0 - share) * 100.0)
                rows = rows[own[rows] >= threshold]
            chosen.append(rows)
        self.sample_indices_ = np.concatenate(chosen)
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # rows are picked or copied, never computed
        return tags
