"""Boosting for imbalance: resampling boosters and cost-sensitive boosters.

All of them are multiclass SAMME boosting (Zhu et al., 2009; the algorithm of
scikit-learn's ``AdaBoostClassifier``) with one hook changed:

- RUSBoost (and OverBoost, SMOTEBoost, KMeansSMOTEBoost with
  ``keep_resample=False``) resample the weighted training set before fitting
  each member; the weights are updated on the full training set. With two
  classes the member's error is measured there too, as in imbalanced-learn
  and imbalanced-ensemble (a worse-than-chance member is a flipped useful
  one). With three or more classes it is measured on the member's own
  resample with its weights: SAMME's bound (error below ``1 - 1/K``) is the
  weak-learning condition on the distribution a member was fit to, and on
  the original, majority-dominated weights a member of a balanced resample
  missed it round after round (imbalanced-learn stops there;
  imbalanced-ensemble keeps such members with a negative weight).
- OverBoost, SMOTEBoost, KMeansSMOTEBoost by default (``keep_resample=True``,
  imbalanced-ensemble's rule) keep the first round's balanced resample as
  the training set of every round: error and update are taken on it.
- AdaCost, AdaUBoost, AsymBoost keep the training set and change the weight
  update, the initial weights, or the weights before each round.
"""

import numbers
import warnings

import numpy as np
from sklearn.base import _fit_context
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..utils import class_visit_order
from ..utils._costs import check_cost_matrix
from ..utils._peer import refuse_peer_parameters
from ..utils._warnings import ImbtoolFutureWarning
from ._base import (
    MAX_INT,
    SammeVote,
    _BaseImbalancedEnsemble,
    fit_member,
    member_class,
    samme_proba,
)
from ._targets import PEER_WAYS, RoundTargets, fit_args_to_eval_set

_FIT_DOC = """Fit the boosted ensemble.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Initial sample weights (uniform when None).
        eval_set : list of (X_val, y_val) pairs, default=None
            Scored after every round; scores in ``evals_result_``.
        eval_metric : str, callable or list of them, default=None
            ``"average_precision"``, ``"balanced_accuracy"``, ``"roc_auc"``,
            ``"log_loss"`` or ``(y_true, y_pred_proba) -> float`` (higher is
            better). ``None`` means average precision and balanced accuracy.
        early_stopping_rounds : int, default=None
            Stop when the first metric on the first eval set has not improved
            for this many rounds, and keep the members up to its best round.
        eval_datasets : dict of {name: (X_val, y_val)}, default=None
            imbalanced-ensemble's ``eval_set``: scored as ``eval_set`` (``valid_0``,
            ``valid_1``... in dict order). Not with ``eval_set``.
        eval_metrics : None
            imbalanced-ensemble's ``{name: (metric, kwargs)}`` is not supported
            (TypeError); use ``eval_metric``.
        train_verbose : False
            Not supported (TypeError); set the ``verbose`` parameter.
%s
        Returns
        -------
        self : object
        """

_COMMON_PARAMS = """estimator : estimator object, default=None
        Member prototype; its fit must take ``sample_weight``. ``None`` means
        ``DecisionTreeClassifier(max_depth=1)`` (a stump, as AdaBoost).
    n_estimators : int, default=50
        Maximum number of rounds (boosting stops early on a perfect member).
        A member no better than chance stops the boosters that keep one
        training set; those that resample it every round (RUSBoost, and the
        over-sampling ones with ``keep_resample=False``) drop it and go on
        with the next round's resample.
    learning_rate : float, default=1.0
        Shrinks every member's weight."""

_COMMON_TAIL = """n_jobs : int, default=None
        Given to a member whose own ``n_jobs`` is None (rounds are sequential, so the member's own
        workers are where the parallelism is); it means what it means to the member. For
        scikit-learn's members, ``None`` means 1 unless in a :func:`joblib.parallel_config`
        context, ``-1`` every processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Seeds the resampling and the members.
    verbose : int, default=0
        1: progress bar (tqdm); 2: a log line per round.

    Attributes
    ----------
    estimators_ : list of estimators
    estimator_weights_ : ndarray of shape (n_members,)
        SAMME weight of every member.
    classes_ : ndarray of shape (n_classes,)
    class_counts_ : ndarray of shape (n_classes,)
    training_log_ : list of dict
        Per round: ``round``, ``error`` (the member's weighted error: on the
        training set, or, for the boosters that resample every round with
        three or more classes, on its resample), ``n_samples`` (member's training set) and
        validation scores.
    evals_result_ : dict
    best_iteration_ : int or None
    feature_importances_ : ndarray of shape (n_features,)
        Weighted mean of the members' importances.
    n_features_in_ : int"""


_KEEP_RESAMPLE_DOC = """keep_resample : bool, default=True
        True: a round's resample, with its rows' boosting weights, becomes the
        training set of the rounds after it; the member's error and the
        weight update are taken on it, and a later round only adds the rows
        its class targets grow by (with the "uniform" schedule none: AdaBoost
        on the first round's balanced resample). This is what
        imbalanced-ensemble's classes do (its ``update_x_y_after_resample``);
        on the KEEL sets of ``benchmarks/bench_compat_results.py`` it matches
        imbalanced-ensemble's average precision and scores 0.03 higher than False.
        False: every round resamples the original training set under its
        current weights, and error and weight update are taken on the original
        rows (the SMOTEBoost paper's rule)."""

_TARGET_ATTRS = """origin_distr_ : dict
        Training samples per class label.
    target_distr_ : dict
        Size per class label the rounds resample toward (``target_label`` /
        ``n_target_samples`` in ``fit``).
    target_label_ : label or None
        The class whose size is the target; None when ``n_target_samples`` was given.
    balancing_schedule_ : callable
        The schedule used, ``(origin_distr, target_distr, i_round, n_rounds) -> dict``."""


def class_costs(spec, counts, classes):
    """Per-class cost: "inverse" n_max/n_c, "log1p-inverse", "uniform", or a dict."""
    if isinstance(spec, dict):
        missing = set(classes.tolist()) - set(spec)
        if missing:
            raise ValueError(
                f"class_cost dict must give a cost for every class; missing {sorted(missing)}."
            )
        return np.array([spec[c] for c in classes.tolist()], dtype=np.float64)
    ratio = counts.max() / counts
    return {"inverse": ratio, "log1p-inverse": np.log1p(ratio),
            "uniform": np.ones_like(ratio)}[spec]


def cost_matrix_of(spec, counts, layout=None):
    """AdaCost's misclassification cost ``C[true, predicted]`` from a preset name or an array.

    ``layout`` is how an array is read: None or "true_pred" as ``C[true,
    predicted]`` (warning, while the layout parameter lasts, when None meets an
    asymmetric matrix, which the old reading would have transposed);
    "pred_true" is the deprecated ``C[predicted, true]``, checked by its old
    rule (every entry positive) and transposed.
    """
    if isinstance(spec, str):
        # n_predicted / n_true: calling a rare sample common costs the most.
        ratio = counts[None, :] / counts[:, None]
        return {"inverse": ratio, "log1p-inverse": np.log1p(ratio),
                "uniform": np.ones_like(ratio)}[spec]
    k = counts.shape[0]
    if layout != "pred_true":
        matrix = check_cost_matrix(spec, k)
        if layout is None and not np.array_equal(matrix, matrix.T):
            warnings.warn(
                "AdaCostClassifier now reads cost_matrix as C[true, predicted] (rows: true class, "
                "columns: prediction), the layout of scikit-learn's confusion_matrix and of every "
                "other imbtool cost matrix; before 0.1 it read C[predicted, true]. This "
                "matrix is asymmetric, so the two readings differ: pass "
                "cost_matrix_layout='true_pred' to confirm the new reading and silence this "
                "warning, or transpose a matrix written for the old one.",
                ImbtoolFutureWarning,
                stacklevel=7,  # the caller of fit
            )
        return matrix
    warnings.warn(
        "cost_matrix_layout='pred_true' (C[predicted, true]) is deprecated since 0.1 and will be "
        "removed in 0.2; pass the transposed matrix, C[true, predicted], with "
        "cost_matrix_layout='true_pred'.",
        ImbtoolFutureWarning,
        stacklevel=7,  # the caller of fit
    )
    matrix = np.asarray(spec, dtype=np.float64)
    if matrix.shape != (k, k) or not np.all(np.isfinite(matrix)) or matrix.min() <= 0:
        raise ValueError(
            f"cost_matrix must be a positive finite array of shape ({k}, {k}) "
            f"(cost_matrix_layout='pred_true': rows predicted class, columns true class); "
            f"got shape {matrix.shape}."
        )
    return matrix.T


class _BaseSAMMEBoost(_BaseImbalancedEnsemble):
    """SAMME boosting with hooks for resampling and cost-sensitive weights."""

    _needs_sample_weight = True
    # Members of successive rounds see different random resamples.
    _resamples_each_round = False

    def _new_vote(self, X):
        return SammeVote(X, self.n_classes_, self._visit_order)

    _parameter_constraints = {
        **_BaseImbalancedEnsemble._parameter_constraints,
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def _default_estimator(self):
        return DecisionTreeClassifier(max_depth=1)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, eval_datasets=None, eval_metrics=None,
            train_verbose=False):
        return self._fit_peer(X, y, sample_weight, eval_set, eval_metric,
                              early_stopping_rounds, eval_datasets, eval_metrics, train_verbose)

    fit.__doc__ = _FIT_DOC % ""

    def _fit_peer(self, X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds,
                  eval_datasets, eval_metrics, train_verbose, **fit_only):
        """``_fit`` with imbalanced-ensemble's fit arguments; ``fit_only`` lives for this fit."""
        eval_set = fit_args_to_eval_set(type(self).__name__, eval_set, eval_datasets,
                                        eval_metrics, train_verbose)
        self._fit_only = fit_only
        try:
            return self._fit(X, y, sample_weight, eval_set, eval_metric, early_stopping_rounds)
        finally:
            for name in ("_fit_only", "_round_index", "_round_targets"):
                self.__dict__.pop(name, None)

    def _stops_at_perfect_member(self):
        """Whether a member without training error ends the boosting (a hook).

        Its weights update leaves the distribution as it is, so later members
        repeat it; stopping saves their fits.
        """
        return True

    def _initial_weights(self, w, y):
        return w

    def _round_weights(self, w, y):
        return w

    def _resample(self, X, y, w, rng):
        return X, y, w

    def _keeps_resample(self):
        """Whether a round's resample becomes the training set of later rounds (a hook)."""
        return False

    def _update(self, w, alpha, incorrect, y, pred):
        return w * np.exp(alpha * incorrect)

    def _fit_rounds(self, X, y, sample_weight, rng):
        n_classes = self.n_classes_
        w = np.ones(y.shape[0]) if sample_weight is None else sample_weight.copy()
        w /= w.sum()  # weights near the smallest float may vanish here
        empty = np.bincount(y, weights=w, minlength=n_classes) <= 0
        if empty.any():
            # Members learn from weights: a class with none is never learnt, and a round
            # that draws only weightless rows has nothing to fit (0 / 0 weights).
            raise ValueError(
                f"{type(self).__name__}: sample_weight gives every row of class "
                f"{self.classes_.tolist()[np.argmax(empty)]!r} weight 0 (or weights so small "
                "beside the others' that they vanish when the weights are normalised), so no "
                "member can learn it; give its rows positive weights, or drop the class from y."
            )
        w = self._initial_weights(w, y)
        w /= w.sum()
        params = self.estimator_.get_params(deep=False)
        member_params = ({"n_jobs": self.n_jobs}
                         if "n_jobs" in params and params["n_jobs"] is None else {})
        seeds = rng.randint(MAX_INT, size=self.n_estimators)
        for i, seed in enumerate(seeds):
            w = self._round_weights(w, y)
            w /= w.sum()
            self._round_index = i  # the resampling boosters' balancing schedule reads it
            X_i, y_i, w_i = self._resample(X, y, w, np.random.RandomState(seed))
            if not w_i.sum() > 0:
                raise ValueError(
                    f"{type(self).__name__}: the rows drawn for round {i} all have boosting "
                    "weight 0 (the weight update underflowed, or sample_weight gives weight to "
                    "too few rows), so the member has nothing to fit; lower learning_rate or "
                    "give more rows positive sample_weight."
                )
            w_i = w_i / w_i.sum()
            member = fit_member(self._make_member(seed, **member_params), X_i, y_i, w_i)
            # Whether the next round draws a new resample of the same training set.
            redraws = self._resamples_each_round
            if self._keeps_resample():
                # imbalanced-ensemble's rule: the resample, with its weights, is the training
                # set from here on; error and weight update are taken on it, and a later
                # round only adds the rows its (growing) class targets need.
                X, y, w = X_i, y_i, w_i
                redraws = False
            # A member's tie goes to the class first seen in y, as in its vote (SammeVote).
            pred = member_class(member, X, self._visit_order)
            incorrect = pred != y
            if n_classes > 2 and redraws:
                # SAMME's bound (error below 1 - 1/K) is the weak-learning condition on the
                # distribution the member was fit on. On the original weights a member fit
                # to a balanced resample is judged mostly on the majority class and misses
                # the bound round after round (no member at all on 1%/5%/94% data), so it is
                # judged on its own training set; the update still reweights original rows.
                # Two classes keep the original-set error: a worse member is flipped there.
                error = float(np.average(member_class(member, X_i, self._visit_order) != y_i,
                                         weights=w_i))
            else:
                error = float(np.average(incorrect, weights=w))
            # Two classes: a member worse than chance is a useful member flipped (its
            # SAMME weight is negative), which matters when each round sees a different
            # resample or cost-skewed weights. More classes: no such flip exists.
            chance = 1.0 - 1.0 / n_classes
            if error == chance or error >= 1.0 or (n_classes > 2 and error > chance):
                if redraws:
                    # The weight update leaves the previous member at exactly chance, so a
                    # resample that yields the same stump lands here; the next round draws
                    # a new resample, so drop this member and go on (stopping here ended
                    # OverBoost after 6 of 50 rounds on KEEL glass0).
                    continue
                if not self.estimators_:
                    raise ValueError(
                        f"{type(self).__name__}: the first member {self.estimator_!r} is no "
                        f"better than chance (weighted error {error:.3f}); use a stronger "
                        "estimator."
                    )
                break
            alpha = (1.0 if error <= 0 else
                     self.learning_rate * (np.log((1 - error) / error) + np.log(n_classes - 1)))
            if self._accept(member, alpha, error=error, n_samples=int(y_i.shape[0])) or (
                    error <= 0 and self._stops_at_perfect_member()):
                break
            w = self._update(w, alpha, incorrect, y, pred)
            total = w.sum()
            if not np.isfinite(total) or total <= 0:
                break
            w /= total
        if not self.estimators_:
            raise ValueError(
                f"{type(self).__name__}: every member of the {self.n_estimators} rounds was no "
                f"better than chance with {self.estimator_!r}; use a stronger estimator."
            )
        return self

    def decision_function(self, X):
        """SAMME decision: the weighted vote margin (binary) or per-class scores.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
        """
        vote = self._final_vote(self._check_X(X))
        return samme_proba(vote.votes, vote.weight, self.n_classes_)[0]

    def staged_decision_function(self, X):
        """SAMME decision after each round (first member, first two, ...).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Yields
        ------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
        """
        for vote in self._staged_votes(self._check_X(X)):
            yield samme_proba(vote.votes, vote.weight, self.n_classes_)[0]


@refuse_peer_parameters(PEER_WAYS, "algorithm")
class CompatibleAdaBoostClassifier(_BaseSAMMEBoost):
    __doc__ = f"""AdaBoost (SAMME) on imbtool's boosting loop, with no resampling or costs.

    Each round fits a member on the training set under the current sample
    weights, gives it the SAMME weight ``learning_rate * (log((1 - err) / err)
    + log(K - 1))`` and raises the weights of the samples it gets wrong. This
    is imbalanced-ensemble's ``CompatibleAdaBoostClassifier`` (its parameters,
    defaults and fitted attributes), the baseline its imbalance boosters are
    compared with, and scikit-learn's ``AdaBoostClassifier`` with the
    validation log, early stopping and staged predictions of imbtool's boosters.

    Read more in Zhu J., Zou H., Rosset S., Hastie T., "Multi-class AdaBoost",
    Statistics and its Interface 2(3), 2009.

    Parameters
    ----------
    {_COMMON_PARAMS}
    early_termination : bool, default=False
        Stop at a member without training error (imbalanced-ensemble's
        parameter). False goes on to ``n_estimators`` members; a perfect
        member leaves the weights as they are, so the members after it repeat it.
    {_COMMON_TAIL}
    estimator_errors_ : ndarray of shape (n_members,)
        Weighted training error of every member.
    estimators_n_training_samples_ : list of int
        Rows each member was fitted on.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import CompatibleAdaBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = CompatibleAdaBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> len(clf.estimators_), clf.estimator_errors_.shape
    (10, (10,))
    """

    _parameter_constraints = {
        **_BaseSAMMEBoost._parameter_constraints,
        "early_termination": ["boolean"],
    }

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0,
                 early_termination=False, n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.early_termination = early_termination
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _stops_at_perfect_member(self):
        return self.early_termination

    @property
    def estimator_errors_(self):
        """Weighted training error of every member (see Attributes)."""
        check_is_fitted(self)
        return np.array([log["error"] for log in self.training_log_[:len(self.estimators_)]])


_TARGET_DOC = """        target_label : label, default=None
            Resample every class to this class's size (imbalanced-ensemble's
            argument); None (with ``n_target_samples`` None) means the smallest
            class for RUSBoost, the largest for the over-sampling boosters.
        n_target_samples : int or dict, default=None
            Size of every class after resampling: an int or ``{label: size}`` for
            some classes (the others keep theirs). Not with ``target_label``.
            Sets ``target_distr_``.
        balancing_schedule : {"uniform", "progressive"} or callable, default="uniform"
            Class sizes of each round: "uniform" the target every round;
            "progressive" from the original sizes (first round) linearly to the
            target (last); a callable ``(origin_distr, target_distr, i_round,
            n_rounds) -> {label: size}``.
"""


class _BaseResampleBoost(_BaseSAMMEBoost):
    """SAMME boosting whose rounds resample toward per-class target sizes."""

    # "under" or "over": the direction of imbalanced-ensemble's target arguments.
    _sampling_kind = "under"

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, eval_datasets=None, eval_metrics=None,
            train_verbose=False, target_label=None, n_target_samples=None,
            balancing_schedule="uniform"):
        return self._fit_peer(X, y, sample_weight, eval_set, eval_metric,
                              early_stopping_rounds, eval_datasets, eval_metrics, train_verbose,
                              targets=(target_label, n_target_samples, balancing_schedule))

    fit.__doc__ = _FIT_DOC % _TARGET_DOC

    def _initial_weights(self, w, y):
        self._round_targets = RoundTargets(self, *self._fit_only["targets"],
                                           kind=self._sampling_kind)
        return w

    def _targets(self):
        return self._round_targets(self._round_index, self.n_estimators)


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination", "sampling_strategy")
class RUSBoostClassifier(_BaseResampleBoost):
    __doc__ = f"""RUSBoost: boosting where each round trains on a random balanced under-sample.

    Before every round each class is randomly under-sampled (without
    replacement by default) to the smallest class's size, keeping the current boosting
    weights of the drawn samples; the member's error and the weight update
    use the whole training set.

    Read more in Seiffert C., Khoshgoftaar T. M., Van Hulse J., Napolitano A.,
    "RUSBoost: A Hybrid Approach to Alleviating Class Imbalance", IEEE
    TSMC-A 40(1), 2010. imbalanced-learn's ``RUSBoostClassifier`` is the same
    algorithm; pick this one for the validation log/early stopping and
    deterministic member seeds.

    Parameters
    ----------
    {_COMMON_PARAMS}
    replacement : bool, default=False
        Draw each round's under-sample with replacement (imbalanced-learn's
        default is False, as here; imbalanced-ensemble's is True).
    {_COMMON_TAIL}
    {_TARGET_ATTRS}

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import RUSBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = RUSBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.training_log_[0]["n_samples"]
    100
    """

    _resamples_each_round = True

    _parameter_constraints = {
        **_BaseResampleBoost._parameter_constraints,
        "replacement": ["boolean"],
    }

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0, replacement=False,
                 n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _resample(self, X, y, w, rng):
        targets = self._targets()
        # One stream for every class: drawn, and listed, in an order no renaming changes.
        rows = np.concatenate([
            rng.choice(np.flatnonzero(y == c), targets[c], replace=self.replacement)
            for c in class_visit_order(y, range(self.n_classes_))])
        return X[rows], y[rows], w[rows]


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination")
class OverBoostClassifier(RUSBoostClassifier):
    __doc__ = f"""OverBoost: boosting where each round trains on a random balanced over-sample.

    Each class smaller than the largest is topped up to the largest class's
    size by random repetition (the repeated samples keep their current
    weights), once, and the rounds boost on that balanced set
    (``keep_resample=True``, imbalanced-ensemble's rule); with
    ``keep_resample=False`` every round repeats a new draw and error and
    weight update use the original training set.

    Read more in the CLIMB benchmark / imbalanced-ensemble package (Liu et al.)
    which pairs random over-sampling with AdaBoost, after Seiffert et al.,
    IEEE TSMC-A 40(1), 2010 (RUSBoost) and Chawla et al., PKDD 2003 (SMOTEBoost).

    Parameters
    ----------
    {_COMMON_PARAMS}
    {_KEEP_RESAMPLE_DOC}
    {_COMMON_TAIL}
    {_TARGET_ATTRS}

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import OverBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = OverBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.training_log_[0]["n_samples"]
    900
    """

    _sampling_kind = "over"

    # Over-sampling repeats rows by nature: no replacement switch.
    _parameter_constraints = {
        **_BaseResampleBoost._parameter_constraints,
        "keep_resample": ["boolean"],
    }

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0,
                 keep_resample=True, n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.keep_resample = keep_resample
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _keeps_resample(self):
        return self.keep_resample

    def _resample(self, X, y, w, rng):
        targets = self._targets()
        # The training set's own counts: with keep_resample it is an earlier round's resample.
        counts = np.bincount(y, minlength=self.n_classes_)
        # One stream for every class: drawn in an order no renaming of the classes changes.
        extra = [rng.choice(np.flatnonzero(y == c), targets[c] - counts[c])
                 for c in class_visit_order(y, range(self.n_classes_))
                 if counts[c] < targets[c]]
        rows = np.concatenate([np.arange(y.shape[0]), *extra])
        return X[rows], y[rows], w[rows]


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination")
class AdaCostClassifier(_BaseSAMMEBoost):
    __doc__ = f"""AdaCost: boosting whose weight update grows with the misclassification cost.

    SAMME boosting with the paper's cost-adjustment function: with ``c`` the
    cost ``C[true, predicted]`` scaled to ``[0, 1]`` by the largest cost, a
    misclassified sample's weight is multiplied by ``exp(alpha * (1 + c) / 2)``
    and a correct one's by ``exp(-alpha * (1 - c) / 2)``. Costly mistakes (a
    minority sample called majority) gain weight fastest, costly samples
    lose weight slowest when right, and the step stays bounded by AdaBoost's
    however skewed the costs. With uniform costs this is exactly SAMME.

    Read more in Fan W., Stolfo S. J., Zhang J., Chan P. K., "AdaCost:
    Misclassification Cost-sensitive Boosting", ICML 1999.

    Parameters
    ----------
    {_COMMON_PARAMS}
    cost_matrix : {{"inverse", "log1p-inverse", "uniform"}} or array of shape \
(n_classes, n_classes), default="inverse"
        ``C[i, j]``: cost of predicting class ``j`` for a sample of class ``i``
        (rows: true class, columns: prediction, classes in ``classes_``
        order), as in scikit-learn's ``confusion_matrix`` and every imbtool
        cost matrix. The diagonal is the cost of a correct call: a costly
        sample loses weight slowly when right. An array follows the rules of
        :class:`~imbtool.cost.CostSensitiveClassifier`'s ``cost_matrix``
        (non-negative, the correct call no dearer than a mistake).
        "inverse": ``n_j / n_i``; "log1p-inverse": ``log1p(n_j / n_i)``;
        "uniform": all ones (SAMME).
    cost_matrix_layout : {{"true_pred", "pred_true"}} or None, default=None
        How an array ``cost_matrix`` is read, during the change of layout.
        Before 0.1 AdaCost read ``C[predicted, true]``, the
        transpose. None reads ``C[true, predicted]`` and warns
        (``FutureWarning``) when the matrix is asymmetric, where the two
        readings differ; "true_pred" reads the same, silently; "pred_true"
        reads the old layout (deprecated: it and this parameter will be
        removed in 0.2). Ignored for a preset name.
    {_COMMON_TAIL}
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs used, ``C[true, predicted]`` whatever the layout given.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import AdaCostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = AdaCostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.cost_matrix_.round(2)
    array([[1.  , 0.11],
           [9.  , 1.  ]])
    """

    _parameter_constraints = {
        **_BaseSAMMEBoost._parameter_constraints,
        "cost_matrix": [StrOptions({"inverse", "log1p-inverse", "uniform"}), "array-like"],
        "cost_matrix_layout": [StrOptions({"true_pred", "pred_true"}), None],
    }

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0,
                 cost_matrix="inverse", cost_matrix_layout=None, n_jobs=None, random_state=None,
                 verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.cost_matrix = cost_matrix
        self.cost_matrix_layout = cost_matrix_layout
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, eval_datasets=None, eval_metrics=None,
            train_verbose=False, cost_matrix=None):
        return self._fit_peer(X, y, sample_weight, eval_set, eval_metric,
                              early_stopping_rounds, eval_datasets, eval_metrics, train_verbose,
                              cost_matrix=cost_matrix)

    fit.__doc__ = _FIT_DOC % """\
        cost_matrix : {"inverse", "log1p-inverse", "uniform"} or array of shape \
(n_classes, n_classes), default=None
            imbalanced-ensemble's fit argument, used instead of the ``cost_matrix``
            parameter when not None. A name means the preset of the parameter. An
            array is read in imbalanced-ensemble's layout, ``C[predicted, true]``
            (rows: prediction, columns: true class), and transposed to imbtool's
            ``C[true, predicted]`` (``cost_matrix_``), then checked by the rules of
            the parameter.
"""

    def _initial_weights(self, w, y):
        spec = self._fit_only["cost_matrix"]
        if spec is None:
            self.cost_matrix_ = cost_matrix_of(self.cost_matrix, self.class_counts_,
                                               self.cost_matrix_layout)
        elif isinstance(spec, str):
            if spec not in ("inverse", "log1p-inverse", "uniform"):
                raise ValueError(
                    "When 'cost_matrix' is string, it should be one of 'inverse', "
                    f"'log1p-inverse' or 'uniform'; got {spec!r}."
                )
            self.cost_matrix_ = cost_matrix_of(spec, self.class_counts_)
        else:
            # imbalanced-ensemble's C[predicted, true], transposed to C[true, predicted].
            self.cost_matrix_ = check_cost_matrix(np.asarray(spec).T, self.n_classes_)
        return w

    def _update(self, w, alpha, incorrect, y, pred):
        c = self.cost_matrix_[y, pred] / self.cost_matrix_.max()
        return w * np.exp(np.where(incorrect, alpha * (1 + c) / 2, -alpha * (1 - c) / 2))


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination")
class AdaUBoostClassifier(_BaseSAMMEBoost):
    __doc__ = f"""AdaUBoost: boosting with an unequal loss per class.

    Minimises ``sum_i beta[y_i] * exp(-margin_i)``: the initial weight of a
    sample is proportional to its class's ``beta``, then rounds follow SAMME,
    so minority mistakes weigh ``beta`` times more throughout.

    Read more in Karakoulas G., Shawe-Taylor J., "Optimizing Classifiers for
    Imbalanced Training Sets", NIPS 1998.

    Parameters
    ----------
    {_COMMON_PARAMS}
    class_cost : {{"inverse", "log1p-inverse", "uniform"}} or dict, default="inverse"
        ``beta`` per class: "inverse" is ``n_max / n_c``; a dict maps every
        class label to a positive cost.
    {_COMMON_TAIL}
    class_cost_ : ndarray of shape (n_classes,)
        The ``beta`` used per class, in ``classes_`` order.
    beta_ : dict
        The same as ``{{label: beta}}`` (imbalanced-ensemble's attribute).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import AdaUBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = AdaUBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.class_cost_.round(2)
    array([1., 9.])
    """

    _parameter_constraints = {
        **_BaseSAMMEBoost._parameter_constraints,
        "class_cost": [StrOptions({"inverse", "log1p-inverse", "uniform"}), dict],
    }

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0,
                 class_cost="inverse", n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.class_cost = class_cost
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _check_params(self):
        if isinstance(self.class_cost, dict):
            costs = list(self.class_cost.values())
            if not all(isinstance(c, numbers.Real) and np.isfinite(c) and c > 0 for c in costs):
                raise InvalidParameterError(
                    f"The 'class_cost' parameter of {type(self).__name__} must map every "
                    f"class to a positive finite cost. Got {self.class_cost!r} instead."
                )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, eval_datasets=None, eval_metrics=None,
            train_verbose=False, beta=None):
        return self._fit_peer(X, y, sample_weight, eval_set, eval_metric,
                              early_stopping_rounds, eval_datasets, eval_metrics, train_verbose,
                              class_cost=beta)

    fit.__doc__ = _FIT_DOC % """\
        beta : {"inverse", "log1p-inverse", "uniform"} or dict, default=None
            imbalanced-ensemble's fit argument: the per-class ``beta``, used
            instead of the ``class_cost`` parameter when not None (same values).
"""

    def _fit_class_cost(self, name):
        """``class_cost_`` from fit argument ``name`` (imbalanced-ensemble's) or the parameter."""
        spec = self._fit_only["class_cost"]
        if spec is None:
            spec = self.class_cost
        elif isinstance(spec, str):
            if spec not in ("inverse", "log1p-inverse", "uniform"):
                raise ValueError(
                    f"When '{name}' is string, it should be one of 'inverse', "
                    f"'log1p-inverse' or 'uniform'; got {spec!r}."
                )
        elif isinstance(spec, dict):
            missing = set(self.classes_.tolist()) - set(spec)
            if missing:
                raise ValueError(
                    f"'{name}' should specify beta values for all classes; missing "
                    f"{sorted(missing)}."
                )
            if not all(isinstance(c, numbers.Real) and np.isfinite(c) and c > 0
                       for c in spec.values()):
                raise ValueError(
                    f"'{name}': all values should be Integer or Real number, positive and "
                    f"finite; got {spec!r}."
                )
        else:
            raise TypeError(
                f"'{name}' should be one of 'inverse', 'log1p-inverse', 'uniform' or a dict "
                f"{{label: cost}}; got {type(spec).__name__}."
            )
        return class_costs(spec, self.class_counts_, self.classes_)

    def _initial_weights(self, w, y):
        self.class_cost_ = self._fit_class_cost("beta")
        self.beta_ = dict(zip(self.classes_.tolist(), self.class_cost_.tolist()))
        return w * self.class_cost_[y]


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination")
class AsymBoostClassifier(AdaUBoostClassifier):
    __doc__ = f"""AsymBoost: boosting that spreads an asymmetric loss over the rounds.

    Before each of the ``T = n_estimators`` rounds, the weights of class ``c``
    are multiplied by ``k_c ** (1 / (2 T))`` (then renormalised), so the
    asymmetry builds up gradually instead of being imposed once at the start,
    which AdaBoost's first rounds would otherwise absorb. For two classes
    this is Viola and Jones' ``exp(y log(sqrt(k)) / T)`` factor.

    Read more in Viola P., Jones M., "Fast and Robust Classification using
    Asymmetric AdaBoost and a Detector Cascade", NIPS 2001.

    Parameters
    ----------
    {_COMMON_PARAMS}
    class_cost : {{"inverse", "log1p-inverse", "uniform"}} or dict, default="inverse"
        ``k`` per class: "inverse" is ``n_max / n_c``.
    {_COMMON_TAIL}

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import AsymBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = AsymBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> len(clf.estimators_)
    10
    """

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, eval_set=None, eval_metric=None,
            early_stopping_rounds=None, eval_datasets=None, eval_metrics=None,
            train_verbose=False, cost_matrix=None):
        if cost_matrix is not None and not isinstance(cost_matrix, str):
            raise TypeError(
                "AsymBoostClassifier.fit takes imbalanced-ensemble's cost_matrix as a preset "
                "name only: its costs are one per class. Pass them as the class_cost "
                "parameter ({label: cost})."
            )
        return self._fit_peer(X, y, sample_weight, eval_set, eval_metric,
                              early_stopping_rounds, eval_datasets, eval_metrics, train_verbose,
                              class_cost=cost_matrix)

    fit.__doc__ = _FIT_DOC % """\
        cost_matrix : {"inverse", "log1p-inverse", "uniform"}, default=None
            imbalanced-ensemble's fit argument: a preset name used instead of the
            ``class_cost`` parameter when not None. A matrix is refused (TypeError):
            the costs here are one per class, the ``class_cost`` parameter.
"""

    def _initial_weights(self, w, y):
        self.class_cost_ = self._fit_class_cost("cost_matrix")
        self._round_factor = self.class_cost_ ** (1.0 / (2 * self.n_estimators))
        return w

    def _round_weights(self, w, y):
        return w * self._round_factor[y]
