"""Machinery shared by imbtool's ensembles.

Every ensemble here is a list of members plus a combination rule (mean of
probabilities, or a SAMME vote for the boosting family).  The combination rule
is a small "vote" object that can be fed one member at a time; the same object
keeps SPE's running hardness estimate, the per-round validation scores and the
staged predictions, so each round costs one prediction by the new member only.
"""

import copy
import functools
import inspect
import numbers
import warnings
from abc import abstractmethod
from collections import deque

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    log_loss,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize
from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    has_fit_parameter,
    validate_data,
)

from ..utils import class_visit_order
from ..utils._compat import TQDM_INSTALLED, partition_estimators, set_random_states
from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolFutureWarning

MAX_INT = np.iinfo(np.int32).max

# Rows per chunk when a member's prediction is split over threads.
_PREDICT_CHUNK = 16384


# scikit-learn's own trees: fit and predict_proba take check_input=False.
_FAST_TREES = (DecisionTreeClassifier, ExtraTreeClassifier)


def tree_input(estimator, X):
    """``X`` as scikit-learn trees convert it, or None where the fast path does not apply.

    A tree validates and converts its input to C-ordered float32 on every
    ``fit`` and ``predict_proba``; on the few hundred rows of a resampling
    round that costs more than growing the tree.  As scikit-learn's forests do,
    the ensemble converts once and calls its trees with ``check_input=False``.
    The converted array is the one the tree would build, so the members and
    their predictions are the same.  Only for exactly ``DecisionTreeClassifier``
    or ``ExtraTreeClassifier`` (a subclass may change ``fit``), dense ``X`` and
    no NaN (a tree finds its missing-value splits only when it checks its input).
    """
    if type(estimator) not in _FAST_TREES or issparse(X):
        return None
    X32 = np.ascontiguousarray(X, dtype=np.float32)
    return None if np.isnan(X32).any() else X32


def member_proba(member, X, n_classes, check_input=True):
    """Class probabilities of one member, columns aligned to the ensemble's classes.

    Members are trained on encoded labels ``0..n_classes-1``; a member that saw
    only some classes gets zero columns for the others, and a member without
    ``predict_proba`` votes with a one-hot of its prediction.  ``check_input=False``
    is for scikit-learn trees given the output of ``tree_input``.
    """
    if X.shape[0] == 0:
        return np.zeros((0, n_classes))
    if not hasattr(member, "predict_proba"):
        out = np.zeros((X.shape[0], n_classes))
        out[np.arange(X.shape[0]), np.asarray(member.predict(X), dtype=np.intp)] = 1.0
        return out
    proba = member.predict_proba(X) if check_input else member.predict_proba(X, check_input=False)
    if proba.shape[1] == n_classes:
        return proba
    out = np.zeros((proba.shape[0], n_classes))
    out[:, np.asarray(member.classes_, dtype=np.intp)] = proba
    return out


def parallel_member_proba(member, X, n_classes, n_jobs, check_input=True):
    """``member_proba`` split over row chunks in threads when it pays off."""
    n_jobs = effective_n_jobs(n_jobs)
    if n_jobs == 1 or X.shape[0] < 2 * _PREDICT_CHUNK:
        return member_proba(member, X, n_classes, check_input)
    bounds = np.linspace(0, X.shape[0], n_jobs + 1).astype(int)
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(member_proba)(member, X[lo:hi], n_classes, check_input)
        for lo, hi in zip(bounds[:-1], bounds[1:])
    )
    return np.vstack(parts)


def member_class(member, X, class_order):
    """Class codes one member predicts; a tree's tie goes to the first class of ``class_order``.

    A scikit-learn tree predicts the first most probable of its sorted class
    codes; here a tied leaf goes to the first class in ``class_order`` (the
    codes in the order of their first row in ``y``), which no renaming of the
    classes changes, and is otherwise the tree's own prediction. Members that
    are not such trees predict as they do.
    """
    if type(member) not in _FAST_TREES:
        return np.asarray(member.predict(X), dtype=np.intp)
    proba = member_proba(member, X, class_order.size)
    return class_order[proba[:, class_order].argmax(axis=1)]


class MeanVote:
    """Running mean of members' probabilities on a fixed data set."""

    def __init__(self, X, n_classes, n_jobs=None):
        self.X, self.n_classes, self.n_jobs = X, n_classes, n_jobs
        self.total = np.zeros((X.shape[0], n_classes))
        self.weight = 0.0
        self._tree_X = False  # not converted yet; None when the tree fast path does not apply

    def add(self, member, weight=1.0, features=None):
        """Add one member; ``features``: the columns it was fitted on (None: all)."""
        if features is not None:
            self.total += weight * parallel_member_proba(member, self.X[:, features],
                                                         self.n_classes, self.n_jobs)
            self.weight += weight
            return
        X, check_input = self.X, True
        if type(member) in _FAST_TREES:
            if self._tree_X is False:
                self._tree_X = tree_input(member, self.X)
            if self._tree_X is not None:
                X, check_input = self._tree_X, False
        self.total += weight * parallel_member_proba(member, X, self.n_classes, self.n_jobs,
                                                     check_input)
        self.weight += weight

    def proba(self):
        return self.total / self.weight


def samme_proba(votes, weight_sum, n_classes):
    """SAMME decision and probabilities from summed member weights per class.

    Same definition as scikit-learn's AdaBoostClassifier: members vote +1 for
    their class and -1/(K-1) for the others, weighted by their boosting
    weight, normalised by the summed weight, then passed through a softmax.
    """
    decision = (votes * n_classes / (n_classes - 1) - weight_sum / (n_classes - 1)) / weight_sum
    if n_classes == 2:
        margin = decision[:, 1] - decision[:, 0]
        logits = np.column_stack([-margin, margin]) / 2
    else:
        margin = decision
        logits = decision / (n_classes - 1)
    logits = logits - logits.max(axis=1, keepdims=True)
    proba = np.exp(logits)
    proba /= proba.sum(axis=1, keepdims=True)
    return margin, proba


class SammeVote:
    """Running SAMME vote of boosted members on a fixed data set.

    ``class_order``: the class codes in the order a member's tie goes to
    (:func:`member_class`).
    """

    def __init__(self, X, n_classes, class_order):
        self.X, self.n_classes, self.class_order = X, n_classes, class_order
        self.votes = np.zeros((X.shape[0], n_classes))
        self.weight = 0.0

    def add(self, member, weight=1.0, features=None):
        X = self.X if features is None else self.X[:, features]
        pred = member_class(member, X, self.class_order)
        if weight < 0:
            # Only for two classes: a negative weight is a vote for the other class.
            pred = 1 - pred
        self.votes[np.arange(pred.shape[0]), pred] += abs(weight)
        self.weight += abs(weight)

    def proba(self):
        return samme_proba(self.votes, self.weight, self.n_classes)[1]


def _average_precision(y, proba):
    if proba.shape[1] == 2:
        return average_precision_score(y, proba[:, 1])
    return average_precision_score(label_binarize(y, classes=np.arange(proba.shape[1])), proba)


def _roc_auc(y, proba):
    if proba.shape[1] == 2:
        return roc_auc_score(y, proba[:, 1])
    return roc_auc_score(y, proba, multi_class="ovr", labels=np.arange(proba.shape[1]))


# name -> (function of encoded labels and probabilities, higher is better)
EVAL_METRICS = {
    "average_precision": (_average_precision, True),
    "balanced_accuracy": (lambda y, p: balanced_accuracy_score(y, p.argmax(axis=1)), True),
    "roc_auc": (_roc_auc, True),
    "log_loss": (lambda y, p: log_loss(y, p, labels=np.arange(p.shape[1])), False),
}


def _check_eval_metric(eval_metric):
    if eval_metric is None:
        eval_metric = ["average_precision", "balanced_accuracy"]
    elif isinstance(eval_metric, str) or callable(eval_metric):
        eval_metric = [eval_metric]
    checked = []
    for metric in eval_metric:
        if callable(metric):
            checked.append((getattr(metric, "__name__", "custom"), metric, True))
        elif metric in EVAL_METRICS:
            checked.append((metric, *EVAL_METRICS[metric]))
        else:
            raise ValueError(
                f"eval_metric got unknown metric {metric!r}; use one of "
                f"{sorted(EVAL_METRICS)} or a callable (y_true, y_pred_proba) -> float "
                "where higher is better."
            )
    return checked


class _Monitor:
    """Per-round log, validation scores, early stopping and progress bar."""

    def __init__(self, name, n_rounds, eval_sets, eval_metric, early_stopping_rounds, verbose):
        self.metrics = _check_eval_metric(eval_metric)
        self.eval_sets = eval_sets
        self.early_stopping_rounds = early_stopping_rounds
        self.verbose = verbose
        self.log = []
        self.evals_result = {
            f"valid_{j}": {name_: [] for name_, _, _ in self.metrics} for j in range(len(eval_sets))
        }
        self.best_score, self.best_round = None, None
        self.bar = None
        if verbose == 1 and TQDM_INSTALLED:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=n_rounds, desc=name, leave=False)

    def record(self, round_idx, entry, eval_probas):
        """Store one round; return True when early stopping says stop."""
        for j, (proba, (_, y_val)) in enumerate(zip(eval_probas, self.eval_sets)):
            for name, func, _ in self.metrics:
                score = float(func(y_val, proba))
                self.evals_result[f"valid_{j}"][name].append(score)
                entry[f"valid_{j}_{name}"] = score
        self.log.append(entry)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix({k: v for k, v in entry.items() if k.startswith("valid_0")})
        elif self.verbose:
            print(" ".join(f"{k}={_fmt(v)}" for k, v in entry.items()), flush=True)
        if not eval_probas:
            return False
        name, _, higher = self.metrics[0]
        score = self.evals_result["valid_0"][name][-1]
        if self.best_score is None or (
            score > self.best_score if higher else score < self.best_score
        ):
            self.best_score, self.best_round = score, round_idx
            return False
        return (
            self.early_stopping_rounds is not None
            and round_idx - self.best_round >= self.early_stopping_rounds
        )

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _fmt(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _class_counts(y_enc, n_classes):
    return np.bincount(y_enc, minlength=n_classes)


def former_positional(former):
    """Let ``__init__`` accept, for one release, the positional layout ``former``.

    ``former`` names the parameters the previous signature took positionally,
    in order. A call whose positional arguments cannot be read in the new
    signature (more of them than it takes positionally, or a first one that is
    not an integer where ``n_estimators`` now comes first) is read in the former
    layout, with a FutureWarning saying to pass keywords. The signature that
    ``get_params`` and ``clone`` see is the new one (``functools.wraps``).
    """

    def decorate(init):
        positional = [
            p.name for p in inspect.signature(init).parameters.values()
            if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        ][1:]

        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            reads_as_former = len(args) > len(positional) or (
                bool(args) and positional[0] == "n_estimators"
                and not isinstance(args[0], numbers.Integral)
            )
            if not reads_as_former:
                return init(self, *args, **kwargs)
            names = former[:len(args)]
            clash = sorted(set(names) & set(kwargs))
            if len(args) > len(former) or clash:
                raise TypeError(
                    f"{type(self).__name__}() got {len(args)} positional arguments"
                    + (f" and {clash} also as keywords" if clash else "")
                    + f"; pass every parameter after {positional} as a keyword."
                )
            keywords = ", ".join(f"{name}=..." for name in names)
            warnings.warn(
                f"Passing {', '.join(names)} positionally to {type(self).__name__} is "
                f"deprecated and will stop working in the next release (the positional "
                f"parameters are now ({', '.join(positional)})). Pass keywords instead: "
                f"{type(self).__name__}({keywords}).",
                ImbtoolFutureWarning, stacklevel=2,
            )
            return init(self, **dict(zip(names, args)), **kwargs)

        return wrapper

    return decorate


class _BaseImbalancedEnsemble(ClassifierMixin, BaseEstimator):
    """Base of imbtool's ensembles: validation, member bookkeeping, observation.

    Subclasses make their vote in ``_new_vote`` (MeanVote or SammeVote), implement
    ``_default_estimator`` and ``_fit_rounds(X, y, sample_weight, rng)`` which calls
    ``self._accept`` for every member, in order, and stops when it returns True.
    """

    _accept_sparse = "csr"
    _needs_proba = False
    _needs_sample_weight = False

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": N_JOBS_CONSTRAINT,
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    @abstractmethod
    def _default_estimator(self):
        """The member used when ``estimator=None``."""

    @abstractmethod
    def _fit_rounds(self, X, y, sample_weight, rng):
        """Build the members, calling ``self._accept`` for each."""

    # ------------------------------------------------------------------ fit
    def _validate_estimator(self):
        estimator = self.estimator if self.estimator is not None else self._default_estimator()
        name = type(self).__name__
        if self._needs_proba and not hasattr(estimator, "predict_proba"):
            raise TypeError(
                f"{name} needs class probabilities from its members, but the estimator "
                f"{estimator!r} has no predict_proba. Use a probabilistic classifier "
                "(for SVC set probability=True, or wrap it in CalibratedClassifierCV)."
            )
        if self._needs_sample_weight and not has_fit_parameter(estimator, "sample_weight"):
            raise TypeError(
                f"{name} reweights samples every round, but the estimator {estimator!r} "
                "does not take sample_weight in fit. Use an estimator that does "
                "(decision trees, logistic regression, LightGBM...)."
            )
        return estimator

    def _allow_nan(self):
        if not self._accept_sparse:
            # The dense-only ensembles are the SMOTE-based ones; SMOTE cannot take NaN.
            return False
        estimator = self.estimator if self.estimator is not None else self._default_estimator()
        return get_tags(estimator).input_tags.allow_nan

    def _check_params(self):
        """Parameter checks beyond ``_parameter_constraints``, before any work (a hook)."""

    def _fit(self, X, y, sample_weight=None, eval_set=None, eval_metric=None,
             early_stopping_rounds=None):
        self._check_params()
        self.estimator_ = self._validate_estimator()
        self._tree_params = (self.estimator_.get_params(deep=False)
                             if type(self.estimator_) in _FAST_TREES else None)
        X, y = validate_data(
            self, X, y, accept_sparse=self._accept_sparse, dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan" if self._allow_nan() else True,
        )
        check_classification_targets(y)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        # Codes of the classes in the order of their first row in y: members draw them in
        # this order, and a tie in the ensemble's probabilities goes to the first of them,
        # so that no renaming of the classes changes a prediction.
        self._visit_order = np.array(class_visit_order(y_enc, range(self.n_classes_)),
                                     dtype=np.intp)
        if self.n_classes_ < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least two classes, but y has "
                f"one class only ({self.classes_[0]!r})."
            )
        if sample_weight is not None:
            if not has_fit_parameter(self.estimator_, "sample_weight"):
                raise ValueError(
                    f"sample_weight was given but the estimator {self.estimator_!r} does "
                    "not take sample_weight in fit; drop sample_weight or use an "
                    "estimator that accepts it."
                )
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64,
                                                 ensure_non_negative=True)
        if early_stopping_rounds is not None and (
            not isinstance(early_stopping_rounds, numbers.Integral) or early_stopping_rounds < 1
        ):
            raise ValueError(
                f"early_stopping_rounds must be a positive integer or None; got "
                f"{early_stopping_rounds!r}."
            )
        eval_sets = self._check_eval_set(eval_set)
        if early_stopping_rounds is not None and not eval_sets:
            raise ValueError("early_stopping_rounds needs an eval_set to score the rounds on.")

        self.class_counts_ = _class_counts(y_enc, self.n_classes_)
        self.estimators_, self.estimator_weights_ = [], []
        self._eval_votes = [self._new_vote(Xv) for Xv, _ in eval_sets]
        self._monitor = _Monitor(
            type(self).__name__, self.n_estimators, eval_sets, eval_metric,
            early_stopping_rounds, self.verbose,
        )
        rng = check_random_state(self.random_state)
        try:
            self._fit_rounds(X, y_enc, sample_weight, rng)
        finally:
            self._monitor.close()
        monitor = self._monitor
        self.training_log_ = monitor.log
        self.evals_result_ = monitor.evals_result if eval_sets else {}
        if eval_sets and early_stopping_rounds is not None:
            # Keep the members up to the best validation round, as LightGBM's best_iteration.
            keep = monitor.best_round + 1
            self.estimators_ = self.estimators_[:keep]
            self.estimator_weights_ = self.estimator_weights_[:keep]
        self.best_iteration_ = None if monitor.best_round is None else monitor.best_round + 1
        self.estimator_weights_ = np.asarray(self.estimator_weights_, dtype=np.float64)
        del self._eval_votes, self._monitor, self._tree_params
        return self

    def _check_eval_set(self, eval_set):
        if eval_set is None:
            return []
        if isinstance(eval_set, tuple):
            eval_set = [eval_set]
        checked = []
        for j, pair in enumerate(eval_set):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(
                    f"eval_set[{j}] must be a pair (X_val, y_val); got {type(pair).__name__}."
                )
            X_val, y_val = pair
            X_val = validate_data(
                self, X_val, reset=False, accept_sparse=self._accept_sparse,
                dtype=[np.float64, np.float32],
                ensure_all_finite="allow-nan" if self._allow_nan() else True,
            )
            y_val = np.asarray(y_val)
            unknown = np.setdiff1d(y_val, self.classes_)
            if unknown.size:
                raise ValueError(
                    f"eval_set[{j}] has labels {unknown.tolist()} not seen in y "
                    f"(classes are {self.classes_.tolist()})."
                )
            checked.append((X_val, np.searchsorted(self.classes_, y_val)))
        return checked

    def _make_member(self, seed, **params):
        if self._tree_params is not None and not params:
            # What clone and set_random_states give a scikit-learn tree (random_state
            # is its only random parameter), without their get_params passes, which
            # cost more than fitting a tree on a few hundred rows.
            member = type(self.estimator_)(**copy.deepcopy(self._tree_params))
            member.random_state = check_random_state(seed).randint(MAX_INT)
            return member
        member = clone(self.estimator_)
        if params:
            member.set_params(**params)
        set_random_states(member, seed)
        return member

    def _accept(self, member, weight=1.0, features=None, **log):
        """Add a fitted member; record the round; return True to stop (early stopping).

        ``features``: the columns the member was fitted on (None: all of them).
        """
        self.estimators_.append(member)
        self.estimator_weights_.append(float(weight))
        for vote in self._eval_votes:
            vote.add(member, weight, features)
        round_idx = len(self.estimators_) - 1
        entry = {"round": round_idx, **log}
        return self._monitor.record(round_idx, entry, [v.proba() for v in self._eval_votes])

    # ------------------------------------------------------------ predict
    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(
            self, X, reset=False, accept_sparse=self._accept_sparse, dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan" if self._allow_nan() else True,
        )

    def _member_features(self):
        """Columns each member was fitted on (None: all of them); a hook."""
        return [None] * len(self.estimators_)

    def _new_vote(self, X):
        """An empty vote of the members on X (a hook)."""
        return MeanVote(X, self.n_classes_, self.n_jobs)

    def _staged_votes(self, X):
        vote = self._new_vote(X)
        for member, weight, features in zip(self.estimators_, self.estimator_weights_,
                                            self._member_features()):
            vote.add(member, weight, features)
            yield vote

    def _final_vote(self, X):
        # The staged votes are one object updated in place: the last is the whole ensemble's.
        return deque(self._staged_votes(X), maxlen=1).pop()

    def predict_proba(self, X):
        """Class probabilities: the ensemble's combination of its members.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return self._final_vote(self._check_X(X)).proba()

    def staged_predict_proba(self, X):
        """Probabilities after each round (first member, first two, ...).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Yields
        ------
        proba : ndarray of shape (n_samples, n_classes)
        """
        X = self._check_X(X)
        for vote in self._staged_votes(X):
            yield vote.proba()

    def predict(self, X):
        """Predicted class: the one with the highest ensemble probability.

        A tie goes to the class whose first row in the training ``y`` came
        first (scikit-learn's first class of ``classes_`` when the labels
        first appear in sorted order), so renaming the classes never changes
        a prediction.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self._predicted_class(self.predict_proba(X))

    def staged_predict(self, X):
        """Predicted classes after each round.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Yields
        ------
        y_pred : ndarray of shape (n_samples,)
        """
        for proba in self.staged_predict_proba(X):
            yield self._predicted_class(proba)

    def _predicted_class(self, proba):
        """The most probable class; a tie goes to the class whose first row in y came first.

        With labels that first appear in sorted order this is scikit-learn's rule (the
        first class of ``classes_``); the order of first rows is the one no renaming of
        the classes changes (:func:`imbtool.utils.class_visit_order`).
        """
        order = self._visit_order
        return self.classes_[order[proba[:, order].argmax(axis=1)]]

    def decision_function(self, X):
        """Log-odds of the ensemble probability (binary) or log-probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
            Ranks samples exactly as ``predict_proba`` does.
        """
        eps = np.finfo(np.float64).eps
        logp = np.log(np.clip(self.predict_proba(X), eps, None))
        return logp[:, 1] - logp[:, 0] if self.n_classes_ == 2 else logp

    @property
    def feature_importances_(self):
        """Weighted mean of the members' ``feature_importances_``.

        Raises AttributeError when the members have none (e.g. logistic regression).
        """
        check_is_fitted(self)
        if not all(hasattr(m, "feature_importances_") for m in self.estimators_):
            raise AttributeError(
                f"the members ({type(self.estimators_[0]).__name__}) have no "
                "feature_importances_."
            )
        importances = np.array([m.feature_importances_ for m in self.estimators_])
        return np.average(importances, axis=0, weights=np.abs(self.estimator_weights_))

    @property
    def estimators_n_training_samples_(self):
        """Rows each member was fitted on, in member order (imbalanced-ensemble's attribute)."""
        check_is_fitted(self)
        return [log["n_samples"] for log in self.training_log_[:len(self.estimators_)]]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = bool(self._accept_sparse)
        tags.input_tags.allow_nan = self._allow_nan()
        return tags


def fit_member(member, X, y, sample_weight, check_input=True):
    """Fit one member, passing sample_weight only when there is one.

    ``check_input=False`` is for scikit-learn trees given rows of ``tree_input``.
    """
    params = {} if sample_weight is None else {"sample_weight": sample_weight}
    if not check_input:
        params["check_input"] = False
    return member.fit(X, y, **params)


def fit_in_parallel(build, n_rounds, n_jobs, block=None, start=0):
    """Yield ``build(i)`` for i in order from ``start``, computed in parallel blocks of rounds.

    ``build`` must depend on ``i`` only (its seed included), so the result is
    the same for every ``n_jobs`` and joblib backend (Dask included).  Blocks
    let early stopping end the fit without building every member; ``start``
    lets a warm start build only the members it lacks.
    """
    block = n_rounds if block is None else max(block, effective_n_jobs(n_jobs))
    for first in range(start, n_rounds, block):
        stop = min(first + block, n_rounds)
        n_chunks, _, starts = partition_estimators(stop - first, n_jobs)
        chunks = Parallel(n_jobs=n_chunks, prefer="threads")(
            delayed(_build_range)(build, first + lo, first + hi)
            for lo, hi in zip(starts[:-1], starts[1:])
        )
        for chunk in chunks:
            yield from chunk


def _build_range(build, lo, hi):
    return [build(i) for i in range(lo, hi)]
