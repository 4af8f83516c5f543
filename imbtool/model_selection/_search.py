"""RemedySearchCV: pick the imbalance remedy that wins on the data, by cross-validation."""

import math
import numbers
import warnings
from numbers import Integral, Real
from time import perf_counter

import numpy as np
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import (
    _check_method_params,
    _deprecate_positional_args,
    _is_arraylike_not_scalar,
    _num_samples,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    indexable,
    validate_data,
)

from ..threshold._objectives import Objective
from ..threshold._prior import prior_shift
from ..utils import resolve_pos_label
from ..utils._compat import routing_enabled
from ..utils._response import response_values
from ..utils._threads import N_JOBS_CONSTRAINT
from ..utils._warnings import ImbtoolUserWarning
from ._remedies import build_candidates, check_remedies, fold_fit_params, priors
from ._scoring import FoldScoring, _PriorShifted, blend_input

_STATUS_ORDER = {"ok": 0, "stopped": 1, "error": 2, "skipped": 3}


class RemedyFailedWarning(ImbtoolUserWarning):
    """Some remedies of a :class:`RemedySearchCV` failed or were skipped.

    The best remedy is chosen among the rest. The message lists each one with
    its reason (also in ``cv_results_['reason']``).

    Examples
    --------
    >>> import warnings
    >>> from imbtool.model_selection import RemedyFailedWarning
    >>> issubclass(RemedyFailedWarning, UserWarning)
    True
    >>> warnings.simplefilter("error", RemedyFailedWarning)  # make a failed remedy an error
    >>> warnings.resetwarnings()
    """


def _fit_fold(candidate, X, y, train, val, scoring, pos_index, blend=False):
    """Fit one candidate on one training part; score its held-out part.

    ``blend``: also keep what a blend of candidates needs on the held-out part
    (:func:`~._scoring.blend_input`).
    """
    y_train = _safe_indexing(y, train)
    # scikit-learn's rule (as in GridSearchCV): params with one entry per row of X are sliced.
    fit_params = _check_method_params(X, candidate.fit_params, indices=train)
    start = perf_counter()
    try:
        fitted = clone(candidate.estimator).fit(
            _safe_indexing(X, train), y_train, **fold_fit_params(candidate, fit_params, y_train))
    except Exception as exc:  # a remedy that cannot run on these data is a result
        return dict(error=f"{type(exc).__name__}: {exc}", exception=exc)
    fit_time = perf_counter() - start
    start = perf_counter()
    X_val, y_val = _safe_indexing(X, val), _safe_indexing(y, val)
    try:
        shifted = None
        if scoring.needs_proba() or (blend and hasattr(fitted, "predict_proba")):
            X_train = _safe_indexing(X, train)
            shifted = priors(candidate, fitted, X_train, y_train, fitted.classes_, fit_params)
        if scoring.needs_proba():
            # Probability metrics judge the probabilities predict_proba will give: corrected.
            score = scoring(_PriorShifted(fitted, *shifted), X_val, y_val)
        else:
            score = scoring(fitted, X_val, y_val)
        scores = None if pos_index is None else response_values(fitted, X_val, "auto", pos_index)
        blended = blend_input(fitted, X_val, shifted) if blend else None
    except Exception as exc:
        return dict(error=f"{type(exc).__name__}: {exc}", exception=exc)
    return dict(score=score, scores=scores, blend=blended, fit_time=fit_time,
                score_time=perf_counter() - start)


def _check_sample_weights(params, n_samples, y=None, classes=None):
    """Every ``sample_weight`` fit param: finite, non-negative, one per row of X (or a scalar),
    and (given ``y``) some positive weight in every class."""
    for key, value in params.items():
        if value is None or not (key == "sample_weight" or key.endswith("__sample_weight")):
            continue
        # A scalar is one weight for every row, as scikit-learn's estimators take it.
        if _is_arraylike_not_scalar(value) and _num_samples(value) != n_samples:
            raise ValueError(f"fit param {key!r} has {_num_samples(value)} rows but X has "
                             f"{n_samples}; pass one weight per row of X.")
        try:
            weights = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"fit param {key!r} must be numeric weights; {exc}.") from None
        if weights.ndim > 1:
            raise ValueError(f"fit param {key!r} must be 1-D; got shape {weights.shape}.")
        if not np.all(np.isfinite(weights)):
            raise ValueError(f"fit param {key!r} has NaN or infinite weights; weights must be "
                             "finite.")
        if np.any(weights < 0):
            raise ValueError(f"fit param {key!r} has negative weights; weights must be >= 0.")
        if y is not None:
            # A class without weight is a class the model never learns: it predicts only the
            # others, and its predict_proba cannot be moved to the class prior.
            weights = np.broadcast_to(weights, (n_samples,))
            empty = [c for c in classes.tolist() if not np.any(weights[y == c] > 0)]
            if empty:
                raise ValueError(
                    f"fit param {key!r} gives every row of class {empty[0]!r} weight 0; "
                    "each class needs a positive sample_weight somewhere (drop the class "
                    "from y, or give its rows weight).")


def _estimator_has(attr):
    def check(self):
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, attr)
        return hasattr(self._estimator(), attr)

    return check


class _RemedyFolds(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """What the remedy search and the remedy blend share: checks, folds and the fold loop.

    Subclasses define ``_schedule(n_splits)`` (folds per round) and name the
    attribute that holds their refitted models in ``_refitted``.
    """

    _refitted = "best_estimator_"

    def _estimator(self):
        return LogisticRegression() if self.estimator is None else self.estimator

    def _splits(self, X, y, groups=None):
        if isinstance(self.cv, numbers.Integral):
            # Shuffled: halving compares candidates on the first folds, which must not
            # depend on the row order of the file (KEEL sets are sorted by class or source).
            splitter = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        else:
            splitter = check_cv(self.cv, y, classifier=True)
        with warnings.catch_warnings():
            # A fold without a minority sample cannot be scored, so scikit-learn's warning
            # about too few class members is an error here.
            warnings.filterwarnings("error", message=".*least populated class",
                                    category=UserWarning)
            try:
                return list(splitter.split(X, y, groups))
            except UserWarning as exc:
                raise ValueError(str(exc)) from None

    def _prepare(self, remedies, X, y, groups, params):
        """Checked data, classes, positive class, scoring, folds and candidates of a fit."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None.")
        estimator = self._estimator()
        tags = get_tags(estimator).input_tags
        _, y = validate_data(self, X, y, accept_sparse=True, dtype=None,
                             ensure_all_finite=not tags.allow_nan)
        X = indexable(X)[0]
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if self.classes_.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes in y; got 1 class: "
                f"{self.classes_.tolist()}."
            )
        if self.classes_.size == 2:
            self.pos_label_ = resolve_pos_label(y, self.pos_label, classes=self.classes_)
        elif self.pos_label is not None:
            raise ValueError(
                f"pos_label={self.pos_label!r} is for binary targets; y has "
                f"{self.classes_.size} classes. Leave pos_label=None.")
        else:
            self.pos_label_ = None
        _check_sample_weights(params, _num_samples(X), y, self.classes_)
        routing = routing_enabled()
        if routing:
            if groups is not None:
                params = {**params, "groups": groups}
            routed = process_routing(self, "fit", **params)
            params = routed.estimator.fit
            groups = routed.splitter.split.get("groups")
        if groups is not None:
            groups = column_or_1d(groups, warn=True)
            check_consistent_length(y, groups)
        scoring = FoldScoring(self.scoring, self.classes_, self.pos_label_)
        if scoring.needs_proba() and not hasattr(estimator, "predict_proba"):
            raise ValueError(
                f"scoring={self.scoring!r} needs predict_proba, which {type(estimator).__name__} "
                "does not have; use a scoring on labels or decision values (e.g. 'f1', "
                "'average_precision') or an estimator with predict_proba."
            )
        self.scorer_ = scoring
        splits = self._splits(X, y, groups)
        self._check_splits(y, splits)
        self.n_splits_ = len(splits)
        candidates = build_candidates(remedies, estimator, self.random_state, params, routing)
        return X, y, scoring, splits, candidates

    def _pos_index(self):
        return int(np.flatnonzero(self.classes_ == self.pos_label_)[0])

    def _check_splits(self, y, splits):
        """Every held-out part holds a positive row (binary): else its F1 is 0 by construction."""
        if self.pos_label_ is None:
            return
        positive = np.asarray(y) == self.pos_label_
        empty = [k for k, (_, val) in enumerate(splits) if not positive[val].any()]
        if empty:
            n_pos = int(positive.sum())
            raise ValueError(
                f"cv: the held-out part of fold(s) {empty} of {len(splits)} holds no row of the "
                f"positive class {self.pos_label_!r}, so its score would be 0 or undefined "
                f"whatever the remedy. Use a stratified splitter (an int cv, or "
                f"StratifiedKFold) with n_splits <= {n_pos} (the positive rows of y).")

    def _check_failures(self, candidates, runs, min_left, outcome):
        """Warn with every failed or skipped remedy; refuse to go on with fewer than ``min_left``.

        ``outcome`` says, with ``{}`` for the remedies left, what is done with them.
        """
        failed = [
            (c.name, r["status"], str(r["reason"]).strip().splitlines()[0] if r["reason"] else "")
            for c, r in zip(candidates, runs)
            if r["status"] == "error" or (r["status"] == "skipped" and not c.inapplicable)
        ]
        left = [c.name for c, r in zip(candidates, runs) if r["status"] in ("ok", "stopped")]
        listing = "; ".join(f"{name} ({status}: {reason})" for name, status, reason in failed)
        if len(left) < min_left:
            raise ValueError(
                f"{type(self).__name__} has {len(left)} remedy left to choose from "
                f"({', '.join(left) or 'none'}) after {len(failed)} failed or were skipped: "
                f"{listing}. Fix what they report, or pass remedies=[...] with the ones "
                "that apply.")
        if failed:
            warnings.warn(
                f"{len(failed)} remedies failed or were skipped and are left out; "
                f"{outcome.format(', '.join(left))}. {listing}.",
                RemedyFailedWarning, stacklevel=4)

    def _halving(self, candidates, X, y, splits, scoring, pos_index, blend=False):
        """Fold results per candidate; failed and stopped candidates keep what they reached.

        ``blend``: keep each fold's input to a blend (see :func:`_fit_fold`).
        """
        runs = [dict(folds=[None] * len(splits), status="skipped", reason=c.reason, iter=-1)
                for c in candidates]
        alive = [i for i, c in enumerate(candidates) if c.estimator is not None]
        for i in alive:
            runs[i]["status"] = "ok"
        self.n_resources_, self.n_candidates_ = [], []
        parallel = Parallel(n_jobs=self.n_jobs)
        first_error = None
        for rung, n_folds in enumerate(self._schedule(len(splits))):
            self.n_resources_.append(n_folds)
            self.n_candidates_.append(len(alive))
            while True:
                jobs = [(i, k) for i in alive for k in range(n_folds)
                        if runs[i]["folds"][k] is None]
                out = parallel(delayed(_fit_fold)(candidates[i], X, y, *splits[k], scoring,
                                                  pos_index, blend) for i, k in jobs)
                for (i, k), result in zip(jobs, out):
                    runs[i]["folds"][k] = result
                    runs[i]["iter"] = rung
                    if "error" in result and runs[i]["status"] == "ok":
                        runs[i].update(status="error", reason=f"fold {k}: {result['error']}")
                        first_error = first_error or result.pop("exception")
                    result.pop("exception", None)
                alive = [i for i in alive if runs[i]["status"] == "ok"]
                readmitted = [] if alive else self._readmit(runs, y, splits, scoring, pos_index)
                if not readmitted:
                    break
                # Every survivor failed on a fold the stopped remedies never reached (a
                # resampler on a fold with too few minority rows): the best of those go on in
                # their place, so a search that some remedy completes does not fail.
                alive = readmitted
                self.n_candidates_[-1] += len(readmitted)
            if not alive:
                reasons = "No remedy could be fitted and scored: " + "; ".join(
                    f"{candidates[i].name}: {r['reason']}" for i, r in enumerate(runs))
                if first_error is None:  # every remedy was skipped before any fit
                    raise ValueError(reasons + ".")
                # The error of the first remedy, with its type, so callers see what broke.
                first_error.add_note(reasons)
                raise first_error
            if n_folds < len(splits):
                merit = [self._merit(runs[i], y, splits, scoring, pos_index) for i in alive]
                keep = math.ceil(len(alive) / self.factor)
                # Stable sort: on ties the remedy listed first (the simpler one) stays.
                order = sorted(range(len(alive)), key=lambda j: -merit[j])
                for j in order[keep:]:
                    runs[alive[j]].update(status="stopped", reason=(
                        f"halving: not among the best {keep} of {len(alive)} after "
                        f"{n_folds} folds"))
                alive = [alive[j] for j in sorted(order[:keep])]
            if self.verbose:
                print(f"[{type(self).__name__}] round {rung}: {self.n_candidates_[-1]} "
                      f"candidates on {n_folds} folds, {len(alive)} kept")
        return runs

    def _readmit(self, runs, y, splits, scoring, pos_index):
        """The remedies halving stopped, best first, as many as the last round kept (marked ok)."""
        stopped = [i for i, run in enumerate(runs) if run["status"] == "stopped"]
        merit = [self._merit(runs[i], y, splits, scoring, pos_index) for i in stopped]
        # Stable sort, as in the halving: on ties the remedy listed first goes on.
        order = sorted(range(len(stopped)), key=lambda j: -merit[j])
        chosen = sorted(stopped[j] for j in order[:max(1, self.n_candidates_[-1])])
        for i in chosen:
            runs[i].update(status="ok", reason="halving: readmitted because every remedy "
                                                "it had kept failed")
        return chosen

    @staticmethod
    def _fold_scores(run, y, splits, scoring, tuned):
        """Held-out scores per fold (NaN where not fitted): default decisions or tuned threshold."""
        done = [k for k, r in enumerate(run["folds"]) if r is not None and "error" not in r]
        values = np.full(len(splits), np.nan)
        if not done:
            return values
        if tuned:
            values[done] = scoring.cross_fitted(
                y, [splits[k][1] for k in done], [run["folds"][k]["scores"] for k in done])
        else:
            values[done] = [run["folds"][k]["score"] for k in done]
        return values

    def _rows(self, candidates, runs, y, splits, scoring, tune):
        """One row per candidate and threshold choice: scores per fold, times, status."""
        rows = []
        for candidate, run in zip(candidates, runs):
            for threshold in ("default", "tuned"):
                row = dict(remedy=candidate.name, threshold=threshold, status=run["status"],
                           reason=run["reason"], iter=run["iter"])
                if threshold == "tuned" and not tune:
                    row.update(status="skipped", reason=(
                        "tune_threshold=False" if scoring.objective is not None
                        else scoring.threshold_reason))
                if row["status"] in ("ok", "stopped", "error") and row["iter"] >= 0:
                    row["scores"] = self._fold_scores(run, y, splits, scoring, threshold == "tuned")
                else:
                    row["scores"] = np.full(len(splits), np.nan)
                folds = [r for r in run["folds"] if r is not None and "error" not in r]
                row["fit_time"] = [r["fit_time"] for r in folds]
                row["score_time"] = [r["score_time"] for r in folds]
                rows.append(row)
        return rows

    @staticmethod
    def _table(rows):
        """``cv_results_`` of the rows: scikit-learn's layout, with ranks."""
        scores = np.array([r["scores"] for r in rows])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(scores, axis=1)
            std = np.nanstd(scores, axis=1)
        status = np.array([_STATUS_ORDER[r["status"]] for r in rows])
        # Fully evaluated rows rank first, by mean score; then stopped ones; NaN last.
        key = status * 1e6 + np.where(np.isfinite(mean), rankdata(-np.nan_to_num(mean, nan=-np.inf),
                                                                  method="min"), len(rows) + 1)
        results = {
            "params": [{"remedy": r["remedy"], "threshold": r["threshold"]} for r in rows],
            "param_remedy": np.ma.MaskedArray([r["remedy"] for r in rows], dtype=object),
            "param_threshold": np.ma.MaskedArray([r["threshold"] for r in rows], dtype=object),
        }
        for k in range(scores.shape[1]):
            results[f"split{k}_test_score"] = scores[:, k]
        results.update(
            mean_test_score=mean, std_test_score=std,
            rank_test_score=rankdata(key, method="min").astype(np.int32),
        )
        for name in ("fit_time", "score_time"):
            for stat, func in (("mean", np.mean), ("std", np.std)):
                results[f"{stat}_{name}"] = np.array([func(r[name]) if r[name] else np.nan
                                                      for r in rows])
        results.update(
            n_resources=np.array([int(np.isfinite(r["scores"]).sum()) for r in rows]),
            iter=np.array([r["iter"] for r in rows]),
            status=np.array([r["status"] for r in rows], dtype=object),
            reason=np.array([r["reason"] for r in rows], dtype=object),
        )
        return results

    def get_metadata_routing(self):
        """How fit params are routed: to the estimator's ``fit`` and the splitter's ``split``.

        Returns
        -------
        routing : MetadataRouter
        """
        return MetadataRouter(owner=self).add(
            estimator=self._estimator(), method_mapping=MethodMapping().add(caller="fit",
                                                                            callee="fit"),
        ).add(
            splitter=check_cv(self.cv, classifier=True),
            method_mapping=MethodMapping().add(caller="fit", callee="split"))

    def _check_X(self, X):
        check_is_fitted(self, self._refitted)
        tags = get_tags(self._estimator()).input_tags
        validate_data(self, X, reset=False, accept_sparse=True, dtype=None,
                      ensure_all_finite=not tags.allow_nan)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``-inf`` where a probability is 0.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def score(self, X, y):
        """The ``scoring`` on ``X, y`` (greater is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        score : float
        """
        check_is_fitted(self, self._refitted)
        return self.scorer_(self, X, y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self._estimator()).input_tags
        tags.input_tags.sparse = inner.sparse
        tags.input_tags.allow_nan = inner.allow_nan
        return tags


class RemedySearchCV(_RemedyFolds):
    """Choose, by cross-validation, the imbalance remedy that scores best around a classifier.

    Every remedy -- no intervention, class weights, random under-sampling,
    SMOTE, Borderline-SMOTE, SMOTE+ENN cleaning, a Self-paced Ensemble of the
    estimator, focal loss for a LightGBM or XGBoost booster -- is fitted on the same
    folds. Samplers sit inside an :class:`imbtool.pipeline.Pipeline`, so they
    resample training parts only; every held-out part is scored on its
    original rows. Each remedy is also scored with its decision threshold
    tuned on its own held-out scores, without another fit: the threshold of
    fold ``k`` maximises the metric on the pooled held-out scores of the other
    folds and is then applied to fold ``k``.

    **Successive halving over folds.** All candidates are fitted on the first
    ``min_resources`` folds; the best ``1 / factor`` of them (by the better of
    their default-threshold and tuned-threshold scores) go on to
    ``min_resources * factor`` folds, and so on until every survivor has all
    folds. This is scikit-learn's halving schedule (``HalvingGridSearchCV``:
    ``factor``, ``min_resources``, keep ``ceil(n / factor)``) with folds as the
    resource, rather than ``HalvingGridSearchCV`` itself: its resource is
    ``n_samples`` or an estimator parameter, and it refits every survivor from
    scratch in each round. Sub-sampling rows leaves a minority class of a few
    dozen rows with folds that SMOTE cannot run on and F1 cannot be computed
    on, while folds as the resource keep every row, keep all candidates on
    the same folds, and reuse each fold fitted in an earlier round, so
    halving only ever removes fits. When every remedy a round kept fails on a
    fold the stopped ones never reached (a resampler on a fold with too few
    minority rows), the best stopped remedies go on in their place
    (``cv_results_["reason"]`` says so), so the search does not fail while a
    remedy can complete every fold.

    ``predict_proba`` comes from the chosen remedy moved back to the class
    prior of the training data (:func:`imbtool.threshold.prior_shift`). The
    prior the model learned is counted on what its final step was fitted on:
    the labels (and sample weights, and its own ``class_weight``) left by
    every sampler of the pipeline -- the remedy's and the user's own --
    read from the fitted samplers' ``sample_indices_`` and
    ``synthetic_sources_``; ensembles that balance each member's data
    (the built-in ones, and imbtool / imbalanced-learn ensembles given as
    remedies) learned a uniform prior. ``predict`` gives the
    decisions that were scored in the search (the remedy's own ``predict``, or
    its scores against the tuned threshold), so it need not be the arg-max of
    the corrected probabilities.

    Remedies that fail or are skipped stay in ``cv_results_`` with their
    reason, and fitting warns (:class:`RemedyFailedWarning`) with the list;
    remedies that "auto" does not apply to the estimator (focal loss for a
    model that is no booster, ensembles of an ensemble) are listed in
    ``cv_results_`` only. When fewer than two remedies are left to choose
    from, fitting raises instead, unless a single remedy was asked for.

    Parameters
    ----------
    estimator : classifier, default=None
        The model to remedy; a ``Pipeline`` keeps its preprocessing first and
        samplers go just before its final step. None means
        ``LogisticRegression()``.
    remedies : "auto" or list, default="auto"
        "auto": "none", "class_weight" (``class_weight="balanced"``, else
        balanced ``sample_weight``), "random_under_sampler", "smote",
        "borderline_smote", "smote_enn", "self_paced_ensemble" (skipped when
        the estimator is an ensemble already) and "focal_loss"
        (``lightgbm.LGBMClassifier`` and ``xgboost.XGBClassifier`` estimators,
        their settings copied to the imbtool booster). A list may hold any
        name of :mod:`imbtool.remedies` (``imbtool.remedies.list_remedies()``,
        e.g. "under_bagging"; ensemble wrappers named here get 10 members),
        sampler objects, classifiers (a meta-classifier whose ``estimator`` is
        None gets the estimator) and ``(remedy, param_grid)`` pairs whose grid
        is set on the sampler, the wrapper or the classifier. The former name
        "random_under_sampling" works for one release, with a
        ``FutureWarning``; "balanced_bagging" is now
        :class:`~imbtool.ensemble.BalancedBaggingClassifier` (imbalanced-learn's
        under-sampling bagging; it was
        :class:`~imbtool.ensemble.UnderBaggingClassifier`). A remedy that cannot
        apply is kept in ``cv_results_`` with status "skipped" and the reason.
    scoring : str, callable or Objective, default="f1"
        Greater is better. A confusion-matrix name of
        ``imbtool.threshold`` ("f1", "f2", "balanced_accuracy", "g_mean",
        "mcc", ...) or an :class:`imbtool.threshold.Objective` (constrained
        ones such as ``RecallAtPrecision(0.8)`` too) on a binary target is
        computed with the positive class ``pos_label_`` and allows threshold
        tuning; other imbtool metric names
        on a binary target are scored with that positive class
        (``imbtool.metrics.get_scorer(name, pos_label=pos_label_)``), so every
        held-out fold scores the class of interest of the training labels;
        other names and callables go through
        :func:`imbtool.metrics.get_scorer` ("f1", "precision" and "recall"
        become their macro averages on multiclass targets).
        Probability scorers (Brier, log-loss) see the fold models'
        probabilities corrected as ``predict_proba`` corrects them.
    cv : int, cross-validation generator or iterable, default=5
        Integers give ``StratifiedKFold(cv, shuffle=True,
        random_state=random_state)``; a class with fewer members than folds
        raises scikit-learn's message as an error.
    tune_threshold : bool, default=True
        Also score every remedy with a tuned decision threshold (binary
        targets, confusion-matrix scoring).
    factor : float >= 1, default=3
        Halving rate; 1 fits every candidate on every fold.
    min_resources : int >= 2, default=2
        Folds every candidate is fitted on before the first cut.
    refit : bool, default=True
        Refit the best remedy on all data.
    n_jobs : int, default=None
        Candidates x folds run in parallel with joblib (any joblib backend,
        Dask's included, through ``joblib.parallel_backend``). ``None`` means 1
        unless in a :func:`joblib.parallel_config` context, ``-1`` every
        processor (joblib's rule).
    random_state : int, RandomState instance or None, default=None
        Set on every ``random_state`` of the candidates (samplers, ensembles,
        the estimator), so results do not depend on ``n_jobs``.
    verbose : int, default=0
        Print one line per halving round.
    pos_label : int, float, bool, str or None, default=None
        Positive class of a binary target: the class the metric scores and
        the tuned threshold decides for. None means the minority class of
        ``y`` (:func:`imbtool.utils.resolve_pos_label`), so labels such as
        "fraud"/"ok" are scored for the rare class whatever their sort
        order. Binary targets only.

    Attributes
    ----------
    cv_results_ : dict of arrays
        scikit-learn's format, one row per remedy and threshold choice:
        ``params``, ``param_remedy``, ``param_threshold`` ("default" or
        "tuned"), ``split{k}_test_score`` (NaN for folds not fitted),
        ``mean_test_score``, ``std_test_score``, ``rank_test_score``,
        ``mean_fit_time``, ``std_fit_time``, ``mean_score_time``,
        ``std_score_time``, ``n_resources`` (folds fitted), ``iter`` (last
        round reached), ``status`` ("ok", "stopped" by halving, "error",
        "skipped") and ``reason``.
    best_index_ : int
    best_score_ : float
        Mean held-out score of the chosen row.
    best_params_ : dict
    best_remedy_ : str
    best_threshold_ : float or None
        The tuned threshold on the chosen remedy's scores (pooled held-out
        scores of all folds), or None for default decisions.
    best_estimator_ : classifier
        The chosen remedy refitted on all data (``refit=True``).
    training_prior_, deployment_prior_ : ndarray of shape (n_classes,)
        Priors of the correction in ``predict_proba``; both weighted by the
        sample weights given for the estimator's final step.
    n_splits_ : int
    n_candidates_ : list of int
        Candidates fitted in each halving round.
    n_resources_ : list of int
        Folds per halving round.
    classes_ : ndarray
    pos_label_ : object or None
        The positive class (binary targets); None for multiclass targets.
    scorer_ : callable
    refit_time_ : float
    n_features_in_ : int
    feature_names_in_ : ndarray

    See Also
    --------
    nested_remedy_score : Outer-fold scores of the whole selection.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.model_selection import RemedySearchCV
    >>> from imbtool.pipeline import make_pipeline
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> search = RemedySearchCV(model, remedies=["none", "smote"], random_state=0).fit(X, y)
    >>> search.best_remedy_ in ("none", "smote"), len(search.cv_results_["params"])
    (True, 4)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"]), None],
        # A string other than "auto" gets its own message (check_remedies).
        "remedies": [str, list, tuple],
        "scoring": [str, callable, Objective],
        "cv": ["cv_object"],
        "tune_threshold": ["boolean"],
        "factor": [Interval(Real, 1, None, closed="left")],
        "min_resources": [Interval(Integral, 2, None, closed="left")],
        "refit": ["boolean"],
        "n_jobs": N_JOBS_CONSTRAINT,
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "pos_label": [Interval(Real, None, None, closed="neither"), str, "boolean", None],
    }

    # remedies, scoring and cv were positional before they became keyword-only.
    @_deprecate_positional_args(version="0.2")
    def __init__(self, estimator=None, *, remedies="auto", scoring="f1", cv=5,
                 tune_threshold=True, factor=3, min_resources=2, refit=True, n_jobs=None,
                 random_state=None, verbose=0, pos_label=None):
        self.estimator = estimator
        self.remedies = remedies
        self.scoring = scoring
        self.cv = cv
        self.tune_threshold = tune_threshold
        self.factor = factor
        self.min_resources = min_resources
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.pos_label = pos_label

    def _schedule(self, n_splits):
        if self.factor == 1 or self.min_resources >= n_splits:
            return [n_splits]
        rungs = [self.min_resources]
        while rungs[-1] < n_splits:
            rungs.append(min(n_splits, math.ceil(rungs[-1] * self.factor)))
        return rungs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, groups=None, **params):
        """Evaluate the remedies on the folds, keep the best, refit it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Passed on unchanged (a DataFrame stays one).
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter given as ``cv`` (e.g.
            ``StratifiedGroupKFold``), as in ``GridSearchCV``; ignored by the
            other splitters. With metadata routing enabled, ``groups`` goes to
            the splitter's ``split`` (every group splitter requests it).
        **params : dict
            Fit params of the estimator (``sample_weight``, or
            ``step__sample_weight`` for a Pipeline), as in ``GridSearchCV``:
            those with one entry per row of ``X`` are sliced to each training
            fold, the refit gets them whole. With metadata routing enabled
            they go where the estimator's requests send them
            (``set_fit_request(sample_weight=True)``). A sampler's pipeline
            carries them through the sampler (a synthetic row takes its
            seed's value, see :class:`imbtool.pipeline.Pipeline`); the class
            weight remedy multiplies its balanced weights into the sample
            weights; wrappers and user classifiers get the final step's
            sample weights as ``sample_weight`` and are skipped (with the
            reason) for any other param. Held-out folds are scored
            unweighted.

        Returns
        -------
        self : RemedySearchCV
        """
        # The names and objects of remedies are checked before any work, as the other params.
        remedies = check_remedies(self.remedies)
        X, y, scoring, splits, candidates = self._prepare(remedies, X, y, groups, params)
        tune = self.tune_threshold and scoring.objective is not None
        pos_index = self._pos_index() if tune else None
        runs = self._halving(candidates, X, y, splits, scoring, pos_index)
        self.cv_results_ = self._table(self._rows(candidates, runs, y, splits, scoring, tune))
        self._check_failures(candidates, runs, 1 if len(remedies[0]) == 1 else 2,
                             "the best of {} is chosen")
        # Two rows per candidate: default decisions, then tuned threshold.
        best = self._select(runs, y, splits, scoring) // 2
        if self.refit:
            self._refit(candidates[best], X, y)
        return self

    def _merit(self, run, y, splits, scoring, pos_index):
        means = [np.nanmean(self._fold_scores(run, y, splits, scoring, tuned))
                 for tuned in ((False, True) if pos_index is not None else (False,))]
        means = [m for m in means if np.isfinite(m)]
        return max(means) if means else -np.inf

    def _select(self, runs, y, splits, scoring):
        """Best fully evaluated row (first on ties); its threshold from all held-out scores."""
        results = self.cv_results_
        complete = (results["status"] == "ok") & np.isfinite(results["mean_test_score"])
        if not complete.any():
            raise ValueError(
                "No remedy has a finite score on every fold; see cv_results_['reason'].")
        complete = np.flatnonzero(complete)
        self.best_index_ = int(complete[np.argmax(results["mean_test_score"][complete])])
        self.best_score_ = float(results["mean_test_score"][self.best_index_])
        self.best_params_ = dict(results["params"][self.best_index_])
        self.best_remedy_ = self.best_params_["remedy"]
        self.best_threshold_ = None
        if self.best_params_["threshold"] == "tuned":
            run = runs[self.best_index_ // 2]
            positive = np.asarray(y)[np.concatenate([v for _, v in splits])] == self.pos_label_
            pooled = np.concatenate([r["scores"] for r in run["folds"]])
            self.best_threshold_ = scoring.best_threshold(positive, pooled)
        return self.best_index_

    def _refit(self, candidate, X, y):
        start = perf_counter()
        self.best_estimator_ = clone(candidate.estimator).fit(
            X, y, **fold_fit_params(candidate, candidate.fit_params, y))
        self.refit_time_ = perf_counter() - start
        self.training_prior_, self.deployment_prior_ = priors(
            candidate, self.best_estimator_, X, y, self.classes_, candidate.fit_params)

    def predict(self, X):
        """Decisions of the chosen remedy, at its tuned threshold when one was chosen.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        self._check_X(X)
        if self.best_threshold_ is None:
            return self.best_estimator_.predict(X)
        score = response_values(self.best_estimator_, X, "auto", self._pos_index())
        negative = self.classes_[self.classes_ != self.pos_label_][0]
        return np.where(score >= self.best_threshold_, self.pos_label_, negative)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Probabilities of the chosen remedy, moved from the training to the true prior.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        self._check_X(X)
        return prior_shift(self.best_estimator_.predict_proba(X), self.training_prior_,
                           self.deployment_prior_)

    predict_log_proba = available_if(_estimator_has("predict_proba"))(
        _RemedyFolds.predict_log_proba)
