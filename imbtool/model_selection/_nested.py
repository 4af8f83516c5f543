"""Nested cross-validation of the remedy selection itself."""

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import check_cv, cross_validate
from sklearn.utils import Bunch

from ._search import RemedySearchCV


def nested_remedy_score(search, X, y, *, groups=None, cv=5, n_jobs=None, params=None):
    """Outer-fold scores of a whole remedy selection: the number to trust.

    ``best_score_`` of a search is the best of many cross-validated scores and so
    is biased upwards. Here the search runs again inside each outer training
    part -- choosing its remedy and threshold there -- and the chosen model is
    scored on the outer held-out part with the search's own ``scoring``.

    Parameters
    ----------
    search : RemedySearchCV or None
        Unfitted; None means ``RemedySearchCV()``.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    groups : array-like of shape (n_samples,), default=None
        Group labels, for a group splitter as ``cv`` (outer folds) or as the
        search's ``cv`` (inner folds): both get them, sliced to each outer
        training part for the inner search, so no group straddles a split.
        Without metadata routing only; with it, pass them in ``params``.
    cv : int, cross-validation generator or iterable, default=5
        Outer folds (integers give ``StratifiedKFold``).
    n_jobs : int, default=None
        Outer folds in parallel (joblib). ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor
        (joblib's rule).
    params : dict, default=None
        Fit params of the search (e.g. ``sample_weight``), sliced to each outer
        training part as :func:`sklearn.model_selection.cross_validate` does.

    Returns
    -------
    result : Bunch
        ``test_score`` (one per outer fold), ``mean`` and ``std`` of it,
        ``inner_best_score`` (the searches' own, optimistic ``best_score_``),
        ``chosen`` (the remedy and threshold picked in each outer fold) and
        ``estimators``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.model_selection import RemedySearchCV, nested_remedy_score
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> search = RemedySearchCV(LogisticRegression(max_iter=1000), remedies=["none", "smote"],
    ...                         cv=3, random_state=0)
    >>> result = nested_remedy_score(search, X, y, cv=3)
    >>> len(result.test_score), 0 < result.mean <= 1
    (3, True)
    """
    search = RemedySearchCV() if search is None else search
    if not isinstance(search, RemedySearchCV):
        raise TypeError(f"search must be a RemedySearchCV; got {type(search).__name__}.")
    search = clone(search).set_params(refit=True)
    outer = check_cv(cv, y, classifier=True)
    if groups is not None:
        params = {**(params or {}), "groups": groups}
    found = cross_validate(search, X, y, groups=groups, cv=outer, n_jobs=n_jobs,
                           return_estimator=True, error_score="raise", params=params)
    fitted = found["estimator"]
    scores = np.asarray(found["test_score"], dtype=float)
    return Bunch(
        test_score=scores,
        mean=float(scores.mean()),
        std=float(scores.std()),
        inner_best_score=np.array([s.best_score_ for s in fitted]),
        chosen=[s.best_params_ for s in fitted],
        estimators=fitted,
    )
