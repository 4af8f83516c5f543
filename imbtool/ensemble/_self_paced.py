"""Self-paced Ensemble (Liu et al., ICDE 2020)."""

import numbers
from contextlib import nullcontext

import numpy as np
from sklearn import config_context
from sklearn.base import _fit_context
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions

from ..utils import class_visit_order
from ..utils._peer import refuse_peer_parameters
from ..utils._self_paced import HARDNESS, bin_quotas, bin_shares, hardness_bins
from ._base import (
    MeanVote,
    _BaseImbalancedEnsemble,
    fit_member,
    former_positional,
    tree_input,
)
from ._targets import PEER_WAYS, RoundTargets, fit_args_to_eval_set


def self_paced_draw(hardness, n_target, alpha, k_bins, soft_resample, replacement, rng):
    """Positions (into ``hardness``) of one class's self-paced under-sample.

    Parameters
    ----------
    hardness : ndarray of shape (n,)
        Hardness of the class's samples under the current ensemble.
    n_target : int
        Samples wanted (the minority size).
    alpha : float
        Self-paced factor, ``tan(i * pi / (2 * n_estimators))`` in round ``i``.
    k_bins : int
        Number of equal-width hardness bins over ``[min, max]``.
    soft_resample : bool
        Draw by per-sample probability (bin share spread over the bin's
        samples) instead of a fixed quota per bin.
    replacement : bool
        Draw with replacement: every bin gives its full quota.  Without, a bin
        holding fewer samples than its quota gives all it has.
    rng : numpy.random.RandomState

    Returns
    -------
    positions : ndarray of int
        ``n_target`` positions; fewer without replacement when a bin holds
        less than its quota.
    """
    n = hardness.shape[0]
    lo, hi = hardness.min(), hardness.max()
    if not hi > lo:
        return rng.choice(n, n_target, replace=replacement)
    bins = hardness_bins(hardness, lo, hi, k_bins)
    population = np.bincount(bins, minlength=k_bins)
    share = bin_shares(population, np.bincount(bins, weights=hardness, minlength=k_bins), alpha)
    if soft_resample:
        # Each sample's weight is its bin's share divided by the bin's size.
        p = share[bins] / population[bins]
        if replacement:
            return rng.choice(n, n_target, replace=True, p=p / p.sum())
        # Weighted draw without replacement (Efraimidis-Spirakis keys).
        keys = np.log(rng.random_sample(n)) / p
        return np.argpartition(-keys, n_target - 1)[:n_target]
    quota = bin_quotas(share, n_target)
    by_bin = np.argsort(bins, kind="stable")
    starts = np.concatenate([[0], np.cumsum(population)])
    if replacement:
        # Uniform within each bin, all bins in one vectorised draw.
        bin_of = np.repeat(np.arange(k_bins), quota)
        offset = (rng.random_sample(n_target) * population[bin_of]).astype(np.intp)
        return by_bin[starts[bin_of] + offset]
    quota = np.minimum(quota, population)
    return np.concatenate([
        rng.choice(by_bin[starts[b]:starts[b + 1]], quota[b], replace=False)
        for b in np.flatnonzero(quota)
    ])


@refuse_peer_parameters(PEER_WAYS, "estimator_params")
class SelfPacedEnsembleClassifier(_BaseImbalancedEnsemble):
    """Self-paced Ensemble (SPE): under-sampling by hardness, round by round.

    Round 0 trains a member on a random balanced under-sample. In round ``i``
    every majority sample gets a hardness under the current ensemble (mean of
    the members so far); the hardness range is cut into ``k_bins`` equal-width
    bins, bin ``l`` weighs ``1 / (mean hardness of l + alpha)`` with the
    self-paced factor ``alpha = tan(i * pi / (2 * n_estimators))``, and each bin
    gives its share of ``n_minority`` samples. By default (``replacement=True``)
    every share is drawn in full with replacement and the minority is
    bootstrapped to its own size, as in the authors' maintained packages;
    ``replacement=False`` is the 2020 paper's exact rule (a bin holding fewer
    than its share gives all it has; the whole minority enters). The member is
    trained on those plus the minority. Early rounds weigh the easy and moderate
    bins; as ``alpha`` grows the weights flatten toward the whole range, so hard
    samples come in while the hardest (noise) keep a bounded share. The ensemble
    predicts the mean of its members' probabilities.

    The ensemble's prediction on the majority set is kept incrementally: each
    round costs one member fit and one prediction by the new member on the
    majority rows, never a prediction by every member.

    Multiclass: every class larger than the smallest one is under-sampled to
    the smallest class's size, each with its own bins, and the hardness of a
    sample is the one-vs-rest error of the probability the ensemble gives its
    own class (the rule of the imbalanced-ensemble package). For two classes
    this is exactly the paper's ``H(F(x), y)``.

    Read more in Liu Z., Cao W., Gao Z., Bian J., Chen H., Chang Y., Liu T.-Y.,
    "Self-paced Ensemble for Highly Imbalanced Massive Data Classification",
    ICDE 2020.

    Parameters
    ----------
    estimator : estimator object, default=None
        Member prototype; needs ``predict_proba``. ``None`` means
        ``DecisionTreeClassifier()``. Its ``n_jobs``, when it has one left at
        None, is set to this ensemble's ``n_jobs`` (rounds are sequential, so
        the member's own threads are where the parallelism is).
    n_estimators : int, default=50
        Number of rounds (members).
    k_bins : int, default=5
        Number of equal-width hardness bins. The smallest class must have at
        least ``k_bins`` samples.
    hardness : {"absolute_error", "squared_error", "cross_entropy"} or callable, \
            default="absolute_error"
        Hardness of a sample. A callable gets ``(y_true, y_pred_proba)`` for the
        samples being under-sampled -- their labels (values of ``y``) and the
        current ensemble's probabilities, shape (n, n_classes), columns in
        ``classes_`` order -- and returns a finite array of shape (n,).
    soft_resample : bool, default=False
        Sample by per-sample probability (bin share over bin size) instead of
        fixed per-bin quotas.
    n_jobs : int, default=None
        Given to the member's own fit (see ``estimator``), and the joblib threads of the hardness
        prediction on large majority sets and of predicting. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the under-samples and the members; results do not depend on
        ``n_jobs``.
    verbose : int, default=0
        1 shows a tqdm progress bar over rounds (a printed line per round when
        tqdm is not installed); 2 prints the log line of every round.
    replacement : bool, default=True
        How a round draws its training rows.

        - ``False``: the rule of the paper (Algorithm 1) and of its reference code
          (github.com/ZhiningLiu1998/self-paced-ensemble, ``self_paced_ensemble.py``,
          2019): a bin's quota is drawn without replacement, a bin holding fewer
          samples than its quota gives all it has (so a member may see fewer than
          ``n_minority`` majority rows), and the smaller classes enter whole.
        - ``True``: the default of the same authors' later packages
          (``self_paced_ensemble`` >= 0.1 in that repository, and
          imbalanced-ensemble's ``SelfPacedEnsembleClassifier(replacement=True)``):
          every quota is drawn in full with replacement and every class that is
          not under-sampled is bootstrapped to its own size, so each member sees
          exactly ``n_minority`` rows of every class, with repeats. Members
          differ more, which raised the mean average precision on small data
          sets from 0.851 to 0.883, level with imbalanced-ensemble's 0.881 (see
          Notes); hence the default.
    soft_resample_flag : bool or None, default=None
        imbalanced-ensemble's name for ``soft_resample``, with the same
        meaning; when not None it is used instead. ``soft_resample=True`` with
        ``soft_resample_flag=False`` is an error.

    Attributes
    ----------
    estimator_ : estimator
        The member prototype.
    estimators_ : list of estimators
        Fitted members, in round order.
    estimator_weights_ : ndarray of shape (n_members,)
        All ones (members vote equally).
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    class_counts_ : ndarray of shape (n_classes,)
        Training samples per class.
    training_log_ : list of dict
        Per round: ``round``, ``alpha``, ``n_samples``, mean hardness of the
        majority set (``hardness``) and the validation scores.
    evals_result_ : dict
        ``{"valid_0": {"average_precision": [...], ...}}`` when ``eval_set`` is given.
    best_iteration_ : int or None
        Number of members at the best validation score (``eval_set`` given).
    feature_importances_ : ndarray of shape (n_features,)
        Mean of the members' importances, when they have them.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when X has string column names.
    origin_distr_ : dict
        Training samples per class label (imbalanced-ensemble's attribute).
    target_distr_ : dict
        Size per class label the rounds resample toward (``target_label`` /
        ``n_target_samples`` in ``fit``; by default the smallest class's size).
    target_label_ : label or None
        The class whose size is the target; None when ``n_target_samples`` was given.
    balancing_schedule_ : callable
        The schedule used, ``(origin_distr, target_distr, i_round, n_rounds) -> dict``.

    See Also
    --------
    BalanceCascadeClassifier : drops the well-classified majority round by round.
    UnderBaggingClassifier : random balanced under-samples, members in parallel.

    Notes
    -----
    ``replacement`` matters on small data. On 24 KEEL sets of 150-340 rows
    (5-fold CV, 50 trees, ``benchmarks/bench_ensemble.py``, 2026-11-23; mean
    over 3 seeds) the mean average precision was 0.851 with
    ``replacement=False`` and 0.883 with ``replacement=True``;
    imbalanced-ensemble's default SPE had 0.881. In a
    separate ablation (mean of 3 seeds), full bin quotas drawn with replacement
    alone gave 0.863, the bootstrap of the minority alone 0.878, both 0.881;
    imbalanced-ensemble's other differences (its
    ``alpha = tan(pi i / (2 (n - 1)))`` and its running mean divided by
    ``i + 1`` instead of ``i``) changed nothing beyond the seed-to-seed spread.

    With a ``DecisionTreeClassifier`` or ``ExtraTreeClassifier`` member on
    dense data without NaN, ``X`` is converted to float32 once and the trees
    are fitted and queried with ``check_input=False``, as scikit-learn's
    forests do; the members are the ones the checked path builds.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import SelfPacedEnsembleClassifier
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> spe = SelfPacedEnsembleClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> len(spe.estimators_), spe.predict_proba(X[:2]).shape
    (10, (2, 2))
    >>> [entry["n_samples"] for entry in spe.training_log_][:3]
    [122, 122, 122]
    """

    _needs_proba = True

    _parameter_constraints = {
        **_BaseImbalancedEnsemble._parameter_constraints,
        "k_bins": [Interval(numbers.Integral, 1, None, closed="left")],
        "hardness": [StrOptions(set(HARDNESS)), callable],
        "soft_resample": ["boolean"],
        "soft_resample_flag": ["boolean", None],
        "replacement": ["boolean"],
    }

    @former_positional(("estimator", "n_estimators", "k_bins", "hardness", "soft_resample",
                        "n_jobs", "random_state", "verbose", "replacement"))
    def __init__(self, estimator=None, n_estimators=50, *, k_bins=5, hardness="absolute_error",
                 soft_resample=False, n_jobs=None, random_state=None, verbose=0,
                 replacement=True, soft_resample_flag=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.k_bins = k_bins
        self.hardness = hardness
        self.soft_resample = soft_resample
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.replacement = replacement
        self.soft_resample_flag = soft_resample_flag

    def _default_estimator(self):
        return DecisionTreeClassifier()

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, target_label=None, n_target_samples=None,
            balancing_schedule="uniform", eval_datasets=None, eval_metrics=None,
            train_verbose=False):
        """Fit the ensemble.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. NaN is passed through to members that accept it.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed, for the drawn rows, to every member's fit.
        eval_set : list of (X_val, y_val) pairs, default=None
            Scored after every round; scores in ``evals_result_``.
        eval_metric : str, callable or list of them, default=None
            ``"average_precision"``, ``"balanced_accuracy"``, ``"roc_auc"``,
            ``"log_loss"`` or ``(y_true, y_pred_proba) -> float`` (higher is
            better). ``None`` means average precision and balanced accuracy.
        early_stopping_rounds : int, default=None
            Stop when the first metric on the first eval set has not improved
            for this many rounds, and keep the members up to its best round.
        target_label : label, default=None
            Under-sample every larger class to this class's size (imbalanced-ensemble's
            argument). None (with ``n_target_samples`` None) means the smallest class.
        n_target_samples : int or dict, default=None
            Size of every class after under-sampling: an int (classes smaller keep
            theirs) or ``{label: size}`` for some classes (the others keep theirs).
            Not with ``target_label``. Sets ``target_distr_``.
        balancing_schedule : {"uniform", "progressive"} or callable, default="uniform"
            Class sizes of each round: "uniform" the target every round;
            "progressive" moves linearly from the original sizes (first round) to
            the target (last); a callable ``(origin_distr, target_distr, i_round,
            n_rounds) -> {label: size}``.
        eval_datasets : dict of {name: (X_val, y_val)}, default=None
            imbalanced-ensemble's ``eval_set``: the pairs are scored as ``eval_set``
            (``valid_0``, ``valid_1``... in dict order). Not with ``eval_set``.
        eval_metrics : None
            imbalanced-ensemble's ``{name: (metric, kwargs)}`` is not supported (TypeError);
            use ``eval_metric``.
        train_verbose : False
            Not supported (TypeError); set the ``verbose`` parameter.

        Returns
        -------
        self : SelfPacedEnsembleClassifier
        """
        eval_set = fit_args_to_eval_set(type(self).__name__, eval_set, eval_datasets,
                                        eval_metrics, train_verbose)
        self._fit_targets = (target_label, n_target_samples, balancing_schedule)
        try:
            return self._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)
        finally:
            del self._fit_targets

    def _check_params(self):
        # soft_resample=False is also the default, so only True against False conflicts.
        if self.soft_resample and self.soft_resample_flag is False:
            raise InvalidParameterError(
                f"The 'soft_resample_flag' parameter of {type(self).__name__} is "
                "imbalanced-ensemble's name for soft_resample; give one of them. Got "
                f"soft_resample={self.soft_resample!r} and "
                f"soft_resample_flag={self.soft_resample_flag!r} instead."
            )

    def _hardness_of(self, pool_y, proba):
        if callable(self.hardness):
            hardness = np.asarray(self.hardness(self.classes_[pool_y], proba), dtype=np.float64)
            if hardness.shape != pool_y.shape or not np.all(np.isfinite(hardness)):
                raise ValueError(
                    f"the hardness callable must return finite values of shape "
                    f"{pool_y.shape}; got shape {hardness.shape}"
                    f"{'' if hardness.shape != pool_y.shape else ' with non-finite values'}."
                )
            return hardness
        return HARDNESS[self.hardness](proba[np.arange(pool_y.shape[0]), pool_y])

    def _member_params(self):
        params = self.estimator_.get_params(deep=False)
        return {"n_jobs": self.n_jobs} if "n_jobs" in params and params["n_jobs"] is None else {}

    def _fit_rounds(self, X, y, sample_weight, rng):
        counts = self.class_counts_
        round_targets = RoundTargets(self, *self._fit_targets, kind="under")
        final = round_targets(self.n_estimators - 1, self.n_estimators)
        if final.min() < self.k_bins:
            raise ValueError(
                f"the smallest class target has {final.min()} samples, fewer than "
                f"k_bins={self.k_bins}; lower k_bins or collect more minority samples."
            )
        soft = self.soft_resample if self.soft_resample_flag is None else self.soft_resample_flag
        # The classes under-sampled at some round (a schedule never goes below the target).
        # Every round draws its classes from one stream: they come in an order no renaming
        # of the classes changes (imbtool.utils.class_visit_order), in the pool as in the draws.
        visit = np.array(class_visit_order(y, range(self.n_classes_)), dtype=np.intp)
        under = visit[counts[visit] > final[visit]]
        kept = [np.flatnonzero(y == c) for c in visit[counts[visit] <= final[visit]]]
        rank = np.empty(self.n_classes_, dtype=np.intp)
        rank[visit] = np.arange(visit.size)
        pool = np.flatnonzero(np.isin(y, under))
        pool = pool[np.argsort(rank[y[pool]], kind="stable")]
        pool_y = y[pool]
        bounds = np.concatenate([[0], np.cumsum(counts[under])])
        X_tree = tree_input(self.estimator_, X)
        fast = X_tree is not None
        X_fit = X_tree if fast else X
        # The ensemble's running prediction on the rows it under-samples.
        vote = MeanVote(X_fit[pool], self.n_classes_, self.n_jobs)
        member_params = self._member_params()
        for i in range(self.n_estimators):
            alpha = float(np.tan(i * np.pi / (2 * self.n_estimators)))
            if i == 0:
                hardness = np.zeros(pool.shape[0])
            else:
                hardness = self._hardness_of(pool_y, vote.proba())
            targets = round_targets(i, self.n_estimators)[under]
            picks = [
                pool[lo + self_paced_draw(hardness[lo:hi], n_c, alpha, self.k_bins,
                                          soft, self.replacement, rng)]
                if n_c < hi - lo else
                # A schedule's early rounds may keep a whole class.
                (pool[lo + rng.choice(hi - lo, hi - lo)] if self.replacement else pool[lo:hi])
                for lo, hi, n_c in zip(bounds[:-1], bounds[1:], targets)
            ]
            if self.replacement:
                # The classes that are not under-sampled are bootstrapped, as the
                # authors' packages do (each member then sees n_target rows per class).
                picks += [rng.choice(rows_c, rows_c.shape[0]) for rows_c in kept]
            else:
                picks += kept
            rows = np.concatenate(picks)
            # The first fit validates the member's parameters; later members share them.
            with nullcontext() if i == 0 else config_context(skip_parameter_validation=True):
                member = fit_member(
                    self._make_member(rng, **member_params), X_fit[rows], y[rows],
                    None if sample_weight is None else sample_weight[rows], check_input=not fast,
                )
            stop = self._accept(member, alpha=alpha, n_samples=int(rows.shape[0]),
                                hardness=float(hardness.mean()) if hardness.size else 0.0)
            if stop:
                break
            if i + 1 < self.n_estimators:
                vote.add(member)
        return self
