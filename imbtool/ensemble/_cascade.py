"""BalanceCascade (Liu, Wu and Zhou, 2009)."""

import numpy as np
from sklearn.base import _fit_context
from sklearn.tree import DecisionTreeClassifier

from ..utils import class_visit_order
from ..utils._peer import refuse_peer_parameters
from ._base import (
    MAX_INT,
    _BaseImbalancedEnsemble,
    fit_member,
    parallel_member_proba,
    tree_input,
)
from ._targets import PEER_WAYS, RoundTargets, fit_args_to_eval_set


@refuse_peer_parameters(PEER_WAYS, "estimator_params")
class BalanceCascadeClassifier(_BaseImbalancedEnsemble):
    """BalanceCascade: each round drops the majority samples the ensemble already gets right.

    Every class larger than the smallest keeps a pool, initially all its
    samples. Round ``i`` trains a member on a random draw of the smallest
    class's size from each pool plus the smallest class. Then each pool keeps
    only its hardest share ``f_c = (n_min / n_c) ** (1 / (n_estimators - 1))``
    -- the samples with the lowest ensemble probability for their own class --
    so after the last round every pool is down to about ``n_min``. The
    ensemble's probabilities on the pool are kept incrementally (one
    prediction by the new member per round). Prediction is the mean of the
    members' probabilities (the paper sums AdaBoost scores with a threshold;
    the mean keeps calibrated probabilities for any member). With a
    ``DecisionTreeClassifier`` or ``ExtraTreeClassifier`` member on dense data
    without NaN, ``X`` is converted to float32 once and the trees are fitted
    and queried with ``check_input=False``, as in
    :class:`SelfPacedEnsembleClassifier`; the members are the same.

    Read more in Liu X.-Y., Wu J., Zhou Z.-H., "Exploratory Undersampling for
    Class-Imbalance Learning", IEEE TSMC-B 39(2), 2009.

    Parameters
    ----------
    estimator : estimator object, default=None
        Member prototype; ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of rounds.
    n_jobs : int, default=None
        Given to a member whose own ``n_jobs`` is None, and the joblib threads of the pool
        prediction. ``None`` means 1 unless in a :func:`joblib.parallel_config` context,
        ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per round.
    replacement : bool, default=False
        False: each round draws distinct samples from every pool and the
        smaller classes enter whole (the paper's rule). True: the pools are
        drawn with replacement and every class that is not under-sampled is
        bootstrapped to its own size, as imbalanced-ensemble's
        ``BalanceCascadeClassifier`` (whose default is True) and
        :class:`SelfPacedEnsembleClassifier` do.

    Attributes
    ----------
    estimators_ : list of estimators
    classes_ : ndarray of shape (n_classes,)
    class_counts_ : ndarray of shape (n_classes,)
    training_log_ : list of dict
        Per round: ``round``, ``n_samples`` and ``pool_size`` (samples left in
        the pools after the round), validation scores.
    evals_result_ : dict
    best_iteration_ : int or None
    feature_importances_ : ndarray of shape (n_features,)
    n_features_in_ : int
    origin_distr_ : dict
        Training samples per class label (imbalanced-ensemble's attribute).
    target_distr_ : dict
        Size per class label the rounds resample toward (``target_label`` /
        ``n_target_samples`` in ``fit``; by default the smallest class's size).
    target_label_ : label or None
        The class whose size is the target; None when ``n_target_samples`` was given.
    balancing_schedule_ : callable
        The schedule used, ``(origin_distr, target_distr, i_round, n_rounds) -> dict``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import BalanceCascadeClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = BalanceCascadeClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> [entry["pool_size"] for entry in clf.training_log_]
    [522, 304, 177, 103, 103]
    """

    _needs_proba = True

    _parameter_constraints = {
        **_BaseImbalancedEnsemble._parameter_constraints,
        "replacement": ["boolean"],
    }

    def __init__(self, estimator=None, n_estimators=50, *, n_jobs=None, random_state=None,
                 verbose=0, replacement=False):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.replacement = replacement

    def _default_estimator(self):
        return DecisionTreeClassifier()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, target_label=None, n_target_samples=None,
            balancing_schedule="uniform", eval_datasets=None, eval_metrics=None,
            train_verbose=False):
        """Fit the cascade.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed, for the drawn rows, to every member's fit.
        eval_set : list of (X_val, y_val) pairs, default=None
            Scored after every round; scores in ``evals_result_``.
        eval_metric : str, callable or list of them, default=None
            See :meth:`SelfPacedEnsembleClassifier.fit`.
        early_stopping_rounds : int, default=None
            Stop when the first metric on the first eval set has not improved
            for this many rounds, and keep the members up to its best round.
        target_label, n_target_samples : see :meth:`SelfPacedEnsembleClassifier.fit`
            The size each pool is drawn at and shrinks to (``target_distr_``).
        balancing_schedule : "uniform" or callable, default="uniform"
            The pools shrink toward one fixed target, so a schedule must give the
            target at every round (as imbalanced-ensemble, "progressive" is an error).
        eval_datasets, eval_metrics, train_verbose : see :meth:`SelfPacedEnsembleClassifier.fit`

        Returns
        -------
        self : BalanceCascadeClassifier
        """
        eval_set = fit_args_to_eval_set(type(self).__name__, eval_set, eval_datasets,
                                        eval_metrics, train_verbose)
        self._fit_targets = (target_label, n_target_samples, balancing_schedule)
        try:
            return self._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)
        finally:
            del self._fit_targets

    def _fit_rounds(self, X, y, sample_weight, rng):
        counts = self.class_counts_
        round_targets = RoundTargets(self, *self._fit_targets, kind="under")
        target = round_targets(0, self.n_estimators)
        if any(not np.array_equal(round_targets(i, self.n_estimators), target)
               for i in range(1, self.n_estimators)):
            raise ValueError(
                "BalanceCascadeClassifier only support static target sample distribution: "
                "its pools shrink toward one target, so balancing_schedule must give the same "
                "class sizes every round ('uniform')."
            )
        # Every member draws its classes from one stream, in an order no renaming of the
        # classes changes (imbtool.utils.class_visit_order).
        under = np.array(class_visit_order(y, np.flatnonzero(counts > target).tolist()),
                         dtype=np.intp)
        kept = np.flatnonzero(np.isin(y, under, invert=True))
        # replacement=True bootstraps every class that is not under-sampled to its own size,
        # as imbalanced-ensemble's cascade and SelfPacedEnsembleClassifier do: members then
        # differ in their minority rows too (without it AP was 0.013-0.016 below the peer's
        # on the KEEL sets of benchmarks/bench_compat_results.py).
        whole = [np.flatnonzero(y == c) for c in
                 class_visit_order(y, np.flatnonzero(counts <= target).tolist())]
        pools = [np.flatnonzero(y == c) for c in under]
        n_targets = target[under]
        keep_share = (n_targets / counts[under]) ** (1.0 / max(self.n_estimators - 1, 1))
        # Running sum of members' own-class probability, per original row.
        own_proba = np.zeros(y.shape[0])
        params = self.estimator_.get_params(deep=False)
        member_params = ({"n_jobs": self.n_jobs}
                         if "n_jobs" in params and params["n_jobs"] is None else {})
        # scikit-learn trees: X converted once, members fitted and queried unchecked (as SPE).
        X_tree = tree_input(self.estimator_, X)
        fast = X_tree is not None
        X_use = X_tree if fast else X
        seeds = rng.randint(MAX_INT, size=self.n_estimators)
        for i, seed in enumerate(seeds):
            draw_rng = np.random.RandomState(seed)
            rows = np.concatenate(
                [draw_rng.choice(pool, n_c, replace=self.replacement)
                 for pool, n_c in zip(pools, n_targets)]
                + ([draw_rng.choice(rows_c, rows_c.shape[0]) for rows_c in whole]
                   if self.replacement else [kept]))
            member = fit_member(
                self._make_member(seed, **member_params), X_use[rows], y[rows],
                None if sample_weight is None else sample_weight[rows], check_input=not fast,
            )
            if i + 1 < self.n_estimators:
                pools = [self._shrink(member, X_use, y, pool, share, n_c, own_proba,
                                      check_input=not fast)
                         for pool, share, n_c in zip(pools, keep_share, n_targets)]
            if self._accept(member, n_samples=int(rows.shape[0]),
                            pool_size=int(sum(p.shape[0] for p in pools))):
                break
        return self

    def _shrink(self, member, X, y, pool, share, n_target, own_proba, check_input=True):
        """Keep the pool's hardest samples under the updated ensemble."""
        proba = parallel_member_proba(member, X[pool], self.n_classes_, self.n_jobs,
                                      check_input)
        own_proba[pool] += proba[np.arange(pool.shape[0]), y[pool]]
        n_keep = max(n_target, int(np.ceil(pool.shape[0] * share)))
        if n_keep >= pool.shape[0]:
            return pool
        # Lowest summed own-class probability first; stable so ties keep row order.
        return np.sort(pool[np.argsort(own_proba[pool], kind="stable")[:n_keep]])
