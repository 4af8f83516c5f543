"""LightGBM with an imbalance loss or class weighting, as a scikit-learn classifier."""

import numbers

import lightgbm
import numpy as np
from sklearn.utils._param_validation import Interval, InvalidParameterError

from ._base import _ImbalancedBooster
from ._device import lightgbm_gpu_device, resolve_device


class LGBMImbalancedClassifier(_ImbalancedBooster):
    """LightGBM gradient boosting with an imbalance-aware loss or class weights.

    The loss (focal, asymmetric, weighted log-loss, LDAM, logit-adjusted,
    dice or LightGBM's own log-loss) and the class weighting are one
    estimator parameter each, the boosting
    starts from the prior log-odds (``init_score_``), and
    ``predict_proba`` applies the link to the raw margins that a custom
    objective makes LightGBM return.

    Parameters
    ----------
    loss : str or loss object, default="focal"
        One of ``"focal"``, ``"asymmetric"``, ``"weighted_logloss"``,
        ``"ldam"``, ``"logit_adjusted"``, ``"dice"`` (the losses of
        :mod:`imbtool.cost` of those names) or ``"logloss"``, LightGBM's
        built-in binary / multiclass objective (the fastest; combine it with
        ``class_weight``). A loss object of :mod:`imbtool.cost`
        (:class:`~imbtool.cost.FocalLoss`, :class:`~imbtool.cost.LDAMLoss`, ...)
        may be given directly.
    loss_params : dict, default=None
        Parameters of a loss given by name, e.g. ``{"gamma": 1.0}``. In a
        binary problem the "positive" class that a loss weighs (``alpha``,
        ``pos_weight``, ``gamma_pos``) is the minority class of ``y``
        (``pos_label_``), whatever its label.
    class_weight : None, "balanced", "effective_number" or dict, default=None
        Class weights multiplied into the sample weights; see
        :func:`imbtool.cost.compute_class_weight`.
    beta : float in [0, 1), default=0.999
        ``beta`` of ``class_weight="effective_number"`` (Cui et al. 2019).
    class_weight_start : float in [0, 1), default=0.0
        Fraction of the rounds trained without the class weights: from round
        ``int(class_weight_start * n_estimators) + 1`` on, the class weights
        multiply the gradients and Hessians. This is the deferred
        re-weighting (DRW) that Cao et al. pair with LDAM, as a boosting
        schedule: the early trees learn the plain loss, the late ones
        re-balance it. The starting margin is then the optimum of the
        unweighted loss. Needs a custom loss (not ``"logloss"``).
    n_estimators : int, default=100
        Boosting rounds.
    learning_rate : float, default=0.1
    num_leaves : int, default=31
    min_child_samples : int, default=20
    subsample : float in (0, 1], default=1.0
        Row fraction per round (LightGBM bagging, every round when < 1).
    colsample_bytree : float in (0, 1], default=1.0
    reg_lambda : float >= 0, default=0.0
    device : {"auto", "cpu", "gpu"}, default="auto"
        ``"auto"`` trains on a GPU when this LightGBM build (CUDA or OpenCL)
        and the machine have one, otherwise on the CPU with one INFO log line
        (logger ``imbtool.boosters``). The GPU probe runs once per process and
        prints nothing. ``"gpu"`` without a usable GPU raises. The device
        trained on is ``device_``.
    n_jobs : int, default=None
        LightGBM's threads (and the custom loss's), for training and
        prediction. ``None`` and ``-1`` use every core available (threads
        inside one call, as scikit-learn's OpenMP code).
    random_state : int, RandomState instance or None, default=None
    booster_params : dict, default=None
        Further LightGBM parameters (e.g. ``{"max_bin": 63}``).
        ``{"boost_from_average": False}`` starts the boosting of every loss
        from margin 0 (``init_score_`` 0), as LightGBM does for its built-in
        objective with that parameter and for any custom objective without
        an ``init_score``: the start of models trained elsewhere on the same
        loss, to reproduce them. The default (True) starts a custom loss from
        its constant-model optimum.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    booster_ : lightgbm.Booster
    loss_ : loss object or None
        The loss used (None for ``loss="logloss"``).
    logit_adjustment_ : ndarray of shape (n_classes,) or None
        With the logit-adjusted loss, ``tau * log(pi_c)`` per class (columns
        of ``classes_``; ``pi``: the class frequencies of ``y``): the prior of
        ``predict_proba`` is the training prior divided by its ``exp``. None
        for the other losses.
    init_score_ : float or ndarray of shape (n_classes,)
        Margin the boosting started from (added back in ``decision_function``);
        binary: log-odds of ``pos_label_``. 0 for ``loss="logloss"`` (LightGBM
        then starts from the prior itself) and with
        ``booster_params={"boost_from_average": False}``.
    pos_label_ : object or None
        Binary problems: the class the loss treats as positive, the minority
        class of ``y`` (on a tie in class counts ``classes_[1]``, scikit-learn's
        rule). None with more than two classes.
    device_ : str
        Device trained on: ``"cpu"``, ``"cuda"`` or ``"gpu"`` (OpenCL).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.

    Notes
    -----
    On a machine with no idle core (a shared CI runner, a busy server), LightGBM's
    OpenMP threads spin while they wait for the next round, and a custom loss, computed
    in Python between two rounds, competes with them for the CPU. With
    ``OMP_WAIT_POLICY=PASSIVE`` set in the environment before Python starts (OpenMP reads
    it once, when it loads) they sleep instead: the first fit at 10,000 rows on a busy
    2-core machine took 1.3 s instead of 8.2 s (0.99 instead of 5.35 s CPU), with the same
    predictions, bit for bit (LightGBM's ``LGBMClassifier``: 0.49 instead of 1.3 s; see
    ``benchmarks/bench_booster_load.py``). ``n_jobs=1`` has no thread to wait. imbtool
    sets neither: the policy would apply to every OpenMP library in the process, and
    ``n_jobs`` is the caller's (LightGBM's meaning, unchanged).

    References
    ----------
    Lin, Goyal, Girshick, He, Dollar, "Focal Loss for Dense Object Detection", ICCV 2017.
    Cao, Wei, Gaidon, Arechiga, Ma, "Learning Imbalanced Datasets with
    Label-Distribution-Aware Margin Loss", NeurIPS 2019.
    Ke et al., "LightGBM: A Highly Efficient Gradient Boosting Decision Tree", NeurIPS 2017.

    Examples
    --------
    >>> from imbtool.boosters import LGBMImbalancedClassifier
    >>> from imbtool.datasets import load_dataset
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> clf = LGBMImbalancedClassifier(loss="focal", n_estimators=50, device="cpu").fit(X, y)
    >>> proba = clf.predict_proba(X)
    >>> proba.shape, bool(abs(proba.sum(axis=1) - 1).max() < 1e-12)
    ((336, 2), True)
    """

    _reserved = frozenset({"objective", "num_class", "num_iterations", "n_estimators",
                           "num_boost_round", "init_score"})
    _parameter_constraints = {
        **_ImbalancedBooster._parameter_constraints,
        "num_leaves": [Interval(numbers.Integral, 2, None, closed="left")],
        "min_child_samples": [Interval(numbers.Integral, 0, None, closed="left")],
        "subsample": [Interval(numbers.Real, 0, 1, closed="right")],
        "colsample_bytree": [Interval(numbers.Real, 0, 1, closed="right")],
        "reg_lambda": [Interval(numbers.Real, 0, None, closed="left")],
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

    def _starts_from_optimum(self):
        start = self._booster_params().get("boost_from_average", True)
        if not isinstance(start, (bool, np.bool_)):
            # LightGBM would read a string or number its own way; a loss's start is a bool.
            raise InvalidParameterError(
                f"{type(self).__name__}: booster_params['boost_from_average'] must be True or "
                f"False; got {start!r}.")
        return bool(start)

    def _train(self, X, y, weight, n_classes, objective):
        name = type(self).__name__
        extra = self._booster_params()
        self.device_ = resolve_device(self.device, lightgbm_gpu_device, name)
        multiclass = n_classes > 2
        builtin = "multiclass" if multiclass else "binary"
        params = {
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1 if self.subsample < 1 else 0,
            "feature_fraction": self.colsample_bytree,
            "lambda_l2": self.reg_lambda,
            "device_type": self.device_,
            "num_threads": self.n_jobs or 0,
            "deterministic": True,
            "verbose": -1,
        }
        if multiclass:
            params["num_class"] = n_classes
        seed = self._seed()
        if seed is not None:
            params["seed"] = seed
        params.update(extra)
        init = None
        if self.loss_ is not None:
            init = (np.full(len(y), self.init_score_) if not multiclass
                    else np.tile(self.init_score_, (len(y), 1)))
        # Pre-filtering drops features that cannot split under min_child_samples
        # (tiny data); unfiltered ones just never split. The dataset gets the
        # training parameters (bins, threads) and an objective that agrees with
        # num_class; LightGBM refuses to change its bins once it is constructed.
        dataset = lightgbm.Dataset(
            X, label=y, weight=weight, init_score=init,
            params={"feature_pre_filter": False, **params, "objective": builtin},
        ).construct()
        params["objective"] = objective if objective is not None else builtin
        if not any(dataset.feature_num_bin(j) for j in range(X.shape[1])):
            # No feature has two bins (all constant, e.g. all zero): no tree can
            # split, and LightGBM aborts on a custom objective there. Every tree
            # is then a constant 0 on top of init_score for any objective given
            # an init_score, so the built-in one makes the same model: the
            # margins stay at init_score_ (the weighted prior).
            params["objective"] = builtin
        return lightgbm.train(params, dataset, num_boost_round=self.n_estimators)

    def _raw_predict(self, X):
        return self.booster_.predict(X, raw_score=True, num_threads=self.n_jobs or 0)
