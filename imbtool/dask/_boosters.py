"""LightGBM's Dask training with imbtool's imbalance losses and class weights."""

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, InvalidParameterError
from sklearn.utils.validation import check_is_fitted

from ..boosters import LGBMImbalancedClassifier as _InMemoryLGBM
from ..cost import LogitAdjustedLoss, compute_class_weight
from ..utils._compat import require
from ..utils._threads import numba_threads
from ._collections import (
    as_proba,
    check_pair,
    da,
    dask,
    dd,
    delayed,
    from_parts,
    is_frame,
    partition_proba,
    partitions,
)
from ._predict import PartitionPredictMixin

lightgbm_dask = require("lightgbm.dask", "imbtool.dask.LGBMImbalancedClassifier")
distributed = require("distributed", "imbtool.dask.LGBMImbalancedClassifier")

class _WorkerObjective:
    """The loss as LightGBM's scikit-learn objective ``(y_true, y_pred, weight)`` on a worker.

    Its numba kernels run on ``n_jobs`` threads, like the worker's LightGBM.
    Module-level and holding only the loss and a thread count, so it pickles
    to the workers.
    """

    def __init__(self, loss, n_jobs):
        self.loss = loss
        self.n_jobs = n_jobs

    def __call__(self, y_true, y_pred, weight):
        with numba_threads(self.n_jobs):
            return self.loss(y_true, y_pred, weight)


def _warm(objective, n_classes):
    # The loss's kernels compiled (or loaded from numba's cache) once per worker process,
    # on every worker at once, before LightGBM opens its network: see fit's Notes.
    margins = np.zeros(n_classes) if n_classes == 2 else np.zeros((n_classes, n_classes))
    objective(np.arange(n_classes, dtype=np.float64), margins, np.ones(n_classes))


def _encode(part, _, classes, codes):
    """The code the booster learns for each label: the same on every worker (the whole
    data's classes), 1.0 for ``pos_label_`` in a binary problem."""
    values = codes[np.searchsorted(classes, np.asarray(part))].astype(np.float64)
    return pd.Series(values, index=part.index) if isinstance(part, pd.Series) else values


def _row_weight(y_part, w_part, classes, class_weight):
    weight = class_weight[np.searchsorted(classes, np.asarray(y_part))]
    if w_part is not None:
        weight = weight * np.asarray(w_part, dtype=np.float64)
    return pd.Series(weight, index=y_part.index) if isinstance(y_part, pd.Series) else weight


def _constant(part, _, value):
    if np.ndim(value) == 0:
        values = np.full(len(part), value)
        return pd.Series(values, index=part.index) if isinstance(part, pd.Series) else values
    values = np.tile(value, (len(part), 1))
    return pd.DataFrame(values, index=part.index) if isinstance(part, pd.Series) else values


def _init_scores(y, init_score):
    """The starting margin of every row, a collection partitioned like ``y``: a column for a
    binary problem, one column per class otherwise."""
    if np.ndim(init_score) == 0:
        return _per_partition(_constant, y, init_score)
    n_classes = len(init_score)
    if is_frame(y):
        meta = pd.DataFrame({c: pd.Series([], dtype=np.float64) for c in range(n_classes)},
                            index=y._meta.index)
        return dd.from_delayed([delayed(_constant)(p, None, init_score) for p in partitions(y)],
                               meta=meta, divisions=y.divisions, verify_meta=False)
    return y.map_blocks(_constant, None, init_score, new_axis=1, chunks=(y.chunks[0], (n_classes,)),
                        dtype=np.float64)


def _class_mass(y_part, w_part, classes):
    codes = np.searchsorted(classes, np.asarray(y_part))
    weight = None if w_part is None else np.asarray(w_part, dtype=np.float64)
    if weight is not None and not (np.all(np.isfinite(weight)) and np.all(weight >= 0)):
        raise ValueError("sample_weight must hold finite, non-negative weights.")
    return np.bincount(codes, weights=weight, minlength=classes.size)


def _per_partition(func, y, *args, sample_weight=None):
    """``func(y_part, w_part, *args)`` on every partition, as a collection like ``y``."""
    if sample_weight is None:
        w_parts = [None] * y.npartitions if is_frame(y) else None
    if is_frame(y):
        w_parts = w_parts if sample_weight is None else partitions(sample_weight)
        meta = pd.Series([], dtype=np.float64, index=y._meta.index)
        parts = [delayed(func)(p, w, *args) for p, w in zip(partitions(y), w_parts, strict=True)]
        return dd.from_delayed(parts, meta=meta, divisions=y.divisions, verify_meta=False)
    if sample_weight is None:
        return y.map_blocks(func, None, *args, dtype=np.float64)
    return da.map_blocks(func, y, sample_weight, *args, dtype=np.float64)


def _margins(part, estimator):
    margins = estimator.decision_function(part)
    return pd.Series(margins, index=part.index) if isinstance(part, pd.DataFrame) else margins


def _class_margins(part, estimator, columns):
    return as_proba(part, estimator.decision_function(part), columns)


def _predict(part, estimator, columns):
    return as_proba(part, estimator.predict_proba(part), columns)


class LGBMImbalancedClassifier(PartitionPredictMixin, ClassifierMixin, BaseEstimator):
    """LightGBM trained on Dask collections with an imbalance loss or class weights.

    The Dask counterpart of :class:`imbtool.boosters.LGBMImbalancedClassifier`,
    with its parameters: LightGBM's own distributed training
    (:mod:`lightgbm.dask`, one LightGBM process per Dask worker holding
    data, the histograms reduced over the network) with imbtool's loss as
    the custom objective, the class weights multiplied into each row's
    weight partition by partition, and boosting started from the weighted
    prior's margin (``init_score_``, computed from the class totals exactly
    as in memory). Binary and multiclass: every worker learns the codes of
    the whole data's classes (``num_class`` of them for more than two), and
    the losses that read the class sizes read the whole data's. No process
    holds the whole data; the fitted model is the in-memory classifier
    (``estimator_``), whose ``predict_proba`` (the logistic link or the
    softmax of the raw margins) runs partition by partition.

    Parameters
    ----------
    loss : str or loss object, default="focal"
        ``"focal"``, ``"asymmetric"``, ``"weighted_logloss"``, ``"ldam"``,
        ``"logit_adjusted"``, ``"dice"`` (the losses of :mod:`imbtool.cost`
        of those names), a loss object of those classes, or ``"logloss"``
        (LightGBM's built-in binary or multiclass objective). ``"asymmetric"``
        and ``"dice"`` are binary. The class sizes that LDAM's margins, logit
        adjustment's offsets and weighted log-loss's ``"balanced"`` weights
        read are the whole data's, counted once before training (a worker
        sees only its rows).
    loss_params : dict, default=None
        Parameters of a loss given by name, e.g. ``{"gamma": 1.0}``. The
        positive class a loss weighs is the minority class (``pos_label_``).
    class_weight : None, "balanced", "effective_number" or dict, default=None
        Class weights multiplied into the row weights, computed from the
        class totals of ``y`` (weighted by ``sample_weight``); see
        :func:`imbtool.cost.compute_class_weight`.
    beta : float in [0, 1), default=0.999
        ``beta`` of ``class_weight="effective_number"``.
    class_weight_start : float, default=0.0
        Only 0 on Dask: deferred re-weighting would count the rounds in an
        objective that every worker copies.
    n_estimators : int, default=100
    learning_rate : float, default=0.1
    num_leaves : int, default=31
    min_child_samples : int, default=20
    subsample : float in (0, 1], default=1.0
    colsample_bytree : float in (0, 1], default=1.0
    reg_lambda : float >= 0, default=0.0
    device : {"auto", "cpu", "gpu"}, default="auto"
        ``"auto"`` trains on the workers' CPUs (the client cannot probe the
        workers' devices); ``"gpu"`` asks the workers' LightGBM for a GPU.
    n_jobs : int, default=None
        Threads of the custom loss on each worker and of LightGBM's
        prediction; LightGBM's Dask training itself runs on each worker's
        Dask threads. ``None`` and ``-1`` use every core available (threads
        inside one call, as scikit-learn's OpenMP code).
    random_state : int, RandomState instance or None, default=None
    booster_params : dict, default=None
        Further LightGBM parameters (e.g. ``{"max_bin": 63}``).
    client : distributed.Client or None, default=None
        The cluster to train on; None means the default client.

    Attributes
    ----------
    estimator_ : imbtool.boosters.LGBMImbalancedClassifier
        The in-memory classifier holding the booster trained on Dask.
    booster_ : lightgbm.Booster
    classes_ : ndarray of shape (n_classes,)
    pos_label_ : object or None
        Binary: the class the loss treats as positive, the minority class
        of ``y`` (``classes_[1]`` on a tie). None for multiclass.
    init_score_ : float or ndarray of shape (n_classes,)
        Margin the boosting started from: log-odds of ``pos_label_``
        (binary) or the class scores of the weighted prior.
    loss_ : loss object or None
    logit_adjustment_ : ndarray of shape (n_classes,) or None
        The training offsets of ``loss="logit_adjusted"`` (from the whole
        data's class sizes), None for other losses.
    class_weight_ : ndarray of shape (n_classes,)
        The class weights used, in the order of ``classes_``.
    n_features_in_ : int

    See Also
    --------
    imbtool.boosters.LGBMImbalancedClassifier : The in-memory classifier.

    Notes
    -----
    LightGBM's Dask classifier encodes on each worker the labels that
    worker holds, so a worker missing a class would learn wrong codes:
    this class trains LightGBM's Dask regressor (``num_class`` outputs for
    more than two classes) on the whole data's codes with imbtool's
    objective, which trains the same trees. With ``loss="logloss"`` the
    boosting starts from the whole data's weighted prior (LightGBM's own
    start averages each worker's). Equality with the in-memory
    classifier: the objective's gradient on a worker's rows is the
    in-memory one restricted to them, and ``init_score_`` and the class
    weights are the in-memory ones; LightGBM's distributed training bins
    each feature from one worker's rows, so the trees equal the in-memory
    ones when one worker holds the data, and otherwise depend on which
    worker holds which partitions. The loss's numba kernels are compiled
    (or loaded from numba's on-disk cache) once per worker process, on all
    workers at once before training: a few seconds on a new cluster, none
    after. Each fit reads ``y`` once (class counts), and LightGBM reads
    ``X`` once into its bins.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from distributed import Client, LocalCluster
    >>> from imbtool.dask import LGBMImbalancedClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random(4000) < 0.05).astype(int)
    >>> X = da.from_array(rng.normal(size=(4000, 3)) + y[:, None], chunks=(1000, 3))
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
    ...     with Client(cluster):
    ...         clf = LGBMImbalancedClassifier(n_estimators=20, n_jobs=1)
    ...         proba = clf.fit(X, da.from_array(y, chunks=1000)).predict_proba(X).compute()
    >>> proba.shape, int(clf.pos_label_)
    ((4000, 2), 1)
    """

    _parameter_constraints = {
        **_InMemoryLGBM._parameter_constraints,
        "client": [HasMethods(["submit", "run"]), None],
    }

    def __init__(
        self,
        loss="focal",
        *,
        loss_params=None,
        class_weight=None,
        beta=0.999,
        class_weight_start=0.0,
        n_estimators=100,
        learning_rate=0.1,
        num_leaves=31,
        min_child_samples=20,
        subsample=1.0,
        colsample_bytree=1.0,
        reg_lambda=0.0,
        device="auto",
        n_jobs=None,
        random_state=None,
        booster_params=None,
        client=None,
    ):
        self.loss = loss
        self.loss_params = loss_params
        self.class_weight = class_weight
        self.beta = beta
        self.class_weight_start = class_weight_start
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.device = device
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.booster_params = booster_params
        self.client = client

    def _in_memory(self):
        params = {k: v for k, v in self.get_params(deep=False).items() if k != "client"}
        return _InMemoryLGBM(**params)

    def _check_dask_params(self):
        if self.class_weight_start:
            raise InvalidParameterError(
                f"{type(self).__name__}: class_weight_start must be 0 on Dask (deferred "
                "re-weighting counts the rounds in an objective that every worker copies); "
                f"got {self.class_weight_start!r}.")

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train LightGBM on the Dask workers with the imbalance loss and class weights.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Partitioned like ``X``; two or more classes.
        sample_weight : dask.array.Array or dask.dataframe.Series, default=None
            Partitioned like ``y``; multiplied by the class weights.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        self._check_dask_params()
        memory = self._in_memory()
        loss = memory._make_loss()
        memory._booster_params()
        X, y, lengths, classes, table = check_pair(X, y)
        n_classes = classes.size
        if loss is not None:
            try:
                loss.check_params(n_classes)
            except ValueError as exc:
                raise InvalidParameterError(
                    f"{type(self).__name__}: invalid loss {loss!r}: {exc}") from exc
        if sample_weight is not None:
            sample_weight = self._check_weight(sample_weight, y)
            mass = np.sum(dask.compute(
                [delayed(_class_mass)(p, w, classes)
                 for p, w in zip(partitions(y), partitions(sample_weight), strict=True)])[0],
                axis=0)
        else:
            mass = table.sum(axis=0).astype(np.float64)
        counts = table.sum(axis=0)
        class_weight = compute_class_weight(self.class_weight, y=classes, classes=classes,
                                            beta=self.beta, sample_weight=mass)
        # The code each class is learnt as, the same on every worker: the position in
        # classes_, except that a binary booster learns the log-odds of the minority class
        # (classes_[1] on a tie), as in memory.
        codes = np.arange(n_classes)
        pos_label = None
        if n_classes == 2:
            pos_label = classes[0] if counts[0] < counts[1] else classes[1]
            codes = (classes == pos_label).astype(np.int64)
        weighted = np.zeros(n_classes)
        weighted[codes] = mass * class_weight
        worker_loss = logit_adjustment = None
        if loss is None:
            # LightGBM's own start is each worker's weighted prior, averaged over workers;
            # the whole data's is what it computes in memory.
            share = np.clip(weighted / weighted.sum(), 1e-12, None)
            init_score = (float(np.log(share[1] / share[0])) if n_classes == 2
                          else np.log(share))
        else:
            sizes = np.zeros(n_classes)
            sizes[codes] = counts
            # The losses that read the class sizes (LDAM's margins, logit adjustment's
            # offsets, weighted log-loss's "balanced") read the whole data's, not a worker's.
            worker_loss = loss._with_class_sizes(sizes)
            # One row per class, weighted by the class's total weight: the constant margin's
            # loss depends on the label and weight only, so this is the in-memory init score.
            init_score = worker_loss.init_score(np.arange(n_classes), n_classes, weighted)
            if isinstance(loss, LogitAdjustedLoss):
                logit_adjustment = worker_loss.class_offsets(np.arange(n_classes), n_classes)
        estimator = self._train_on_dask(X, y, sample_weight, worker_loss, memory, classes,
                                        codes, class_weight, init_score)
        estimator.pos_label_, estimator.loss_ = pos_label, loss
        estimator.logit_adjustment_ = logit_adjustment
        # Attributes are set only once the booster is trained: a fit that fails (a lost
        # worker) leaves a fitted classifier as it was.
        self.classes_, self.pos_label_, self.class_weight_ = classes, pos_label, class_weight
        self.init_score_, self.loss_, self.estimator_ = init_score, loss, estimator
        self.logit_adjustment_ = logit_adjustment
        self.booster_ = estimator.booster_
        self.device_ = estimator.device_
        self.n_features_in_ = estimator.n_features_in_
        if hasattr(estimator, "feature_names_in_"):
            self.feature_names_in_ = estimator.feature_names_in_
        return self

    @staticmethod
    def _check_weight(sample_weight, y):
        if isinstance(y, da.Array) != isinstance(sample_weight, da.Array) or not (
                isinstance(sample_weight, da.Array) or is_frame(sample_weight)):
            raise TypeError("sample_weight must be a Dask collection of y's kind (a Dask Array "
                            f"for Arrays, a Series for frames); got "
                            f"{type(sample_weight).__name__}.")
        if isinstance(y, da.Array) and sample_weight.chunks[0] != y.chunks[0]:
            raise ValueError("sample_weight must be partitioned like y: rechunk it with "
                             "sample_weight.rechunk(y.chunks).")
        if is_frame(y) and sample_weight.npartitions != y.npartitions:
            raise ValueError(f"sample_weight has {sample_weight.npartitions} partitions, y "
                             f"{y.npartitions}: split them the same way.")
        return sample_weight

    def _train_on_dask(self, X, y, sample_weight, loss, memory, classes, codes, class_weight,
                       init_score):
        n_classes = classes.size
        params = {
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1 if self.subsample < 1 else 0,
            "feature_fraction": self.colsample_bytree,
            "lambda_l2": self.reg_lambda,
            "device_type": "gpu" if self.device == "gpu" else "cpu",
            "deterministic": True,
            "feature_pre_filter": False,
            # No metric: nothing reads it, and the regressor's default (l2) is not a
            # classifier's.
            "metric": "None",
            "verbose": -1,
        }
        if n_classes > 2:
            params["num_class"] = n_classes
        seed = memory._seed()
        if seed is not None:
            params["seed"] = seed
        params.update(self.booster_params or {})
        builtin = "binary" if n_classes == 2 else "multiclass"
        objective = builtin if loss is None else _WorkerObjective(loss, self.n_jobs or None)
        client = self.client or distributed.default_client()
        if loss is not None:
            client.run(_warm, objective, n_classes)
        label = _per_partition(_encode, y, classes, codes)
        weight = _per_partition(_row_weight, y, classes, class_weight,
                                sample_weight=sample_weight)
        # A regressor, not LightGBM's Dask classifier: the classifier re-encodes the labels on
        # every worker from the classes that worker holds, so a worker missing a class would
        # train on wrong codes. The codes here are the whole data's (with num_class for K
        # classes); with a custom or named objective LightGBM's regressor and classifier
        # train the same trees.
        model = lightgbm_dask.DaskLGBMRegressor(
            objective=objective, n_estimators=self.n_estimators, client=client, **params)
        # lightgbm.dask prints its port search on the client whatever its verbosity, and
        # warns that it ignores the n_jobs its own classifier always carries (None here).
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Parameter n_jobs will be ignored", UserWarning)
            model.fit(X, label, sample_weight=weight, init_score=_init_scores(y, init_score))
        estimator = clone(memory)
        # The in-memory classifier's fitted state, with the booster trained on Dask: its
        # decision_function adds init_score_ and orients the margins to classes_[1].
        estimator.classes_ = classes
        estimator.init_score_ = init_score
        estimator.booster_ = model.booster_
        estimator.device_ = params["device_type"]
        estimator.n_features_in_ = len(X.columns) if is_frame(X) else X.shape[1]
        if is_frame(X) and all(isinstance(c, str) for c in X.columns):
            estimator.feature_names_in_ = np.asarray(X.columns, dtype=object)
        return estimator

    def decision_function(self, X):
        """Raw margins, partition by partition (lazy).

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame

        Returns
        -------
        margins : dask.array.Array or dask.dataframe.Series or DataFrame
            Binary: the log-odds of ``classes_[1]``, shape (n_samples,) (a
            Series with ``X``'s index for a DataFrame ``X``). Multiclass: the
            class scores, shape (n_samples, n_classes) (a DataFrame with a
            column per class, named by its label as a string).
        """
        check_is_fitted(self, "estimator_")
        if self.classes_.size > 2:
            return partition_proba(X, _class_margins, (self.estimator_,), self.classes_)
        if is_frame(X):
            meta = pd.Series([], dtype=np.float64, index=X._meta.index)
            return from_parts([delayed(_margins)(p, self.estimator_) for p in partitions(X)],
                              meta)
        return X.rechunk({1: -1}).map_blocks(_margins, self.estimator_, drop_axis=1,
                                             dtype=np.float64)

    _fitted_attribute = "estimator_"
    _proba_func = staticmethod(_predict)

    def _proba_args(self):
        return (self.estimator_,)
