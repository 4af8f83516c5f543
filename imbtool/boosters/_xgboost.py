"""XGBoost with an imbalance loss or class weighting, as a scikit-learn classifier.

XGBoost itself comes with the ``xgboost`` extra.
"""

import numbers

import numpy as np
from sklearn.utils._param_validation import Interval

from ..utils._compat import require
from ._base import _ImbalancedBooster
from ._device import resolve_device, xgboost_gpu_device


class XGBImbalancedClassifier(_ImbalancedBooster):
    """XGBoost gradient boosting with an imbalance-aware loss or class weights.

    The XGBoost counterpart of :class:`LGBMImbalancedClassifier`; needs the
    optional dependency ``xgboost`` (``pip install 'imbtool[xgboost]'``). Custom
    losses start from the prior log-odds (given to XGBoost as the base
    margin, stored in ``init_score_``) and ``predict_proba`` applies the
    link to the raw margins.

    Parameters
    ----------
    loss : str or loss object, default="focal"
        As in :class:`LGBMImbalancedClassifier`; ``"logloss"`` is XGBoost's
        built-in ``binary:logistic`` / ``multi:softprob``.
    loss_params : dict, default=None
    class_weight : None, "balanced", "effective_number" or dict, default=None
    beta : float in [0, 1), default=0.999
    class_weight_start : float in [0, 1), default=0.0
        Deferred re-weighting, as in :class:`LGBMImbalancedClassifier`.
    n_estimators : int, default=100
    learning_rate : float, default=0.1
    max_depth : int, default=6
    min_child_weight : float, default=1.0
        Minimum Hessian sum in a leaf. Focal, asymmetric and dice Hessians
        are small (well below 1 per sample: dice's about 0.04 on the glass
        data), so leaves need more samples than with log-loss; lower it on
        small data (LightGBM's default is 1e-3). With dice at 1.0, the small
        classes of a multiclass set can get no leaf of their own and are
        never predicted.
    subsample : float in (0, 1], default=1.0
    colsample_bytree : float in (0, 1], default=1.0
    reg_lambda : float >= 0, default=1.0
    device : {"auto", "cpu", "gpu"}, default="auto"
        ``"auto"`` trains on CUDA when this XGBoost build has CUDA support and
        a CUDA device is visible, otherwise on the CPU with one INFO log line.
        ``"gpu"`` without one raises.
    n_jobs : int, default=None
        XGBoost's threads (and the custom loss's), for training and
        prediction. ``None`` and ``-1`` use every core available (threads
        inside one call, as scikit-learn's OpenMP code).
    random_state : int, RandomState instance or None, default=None
    booster_params : dict, default=None
        Further XGBoost parameters (e.g. ``{"max_bin": 64}``).

    Attributes
    ----------
    classes_, booster_, loss_, init_score_, pos_label_, device_, n_features_in_, feature_names_in_
        As in :class:`LGBMImbalancedClassifier`; ``booster_`` is an ``xgboost.Booster``.
    logit_adjustment_ : ndarray of shape (n_classes,) or None
        As in :class:`LGBMImbalancedClassifier`.

    Notes
    -----
    On a machine with no idle core (a shared CI runner, a busy server), XGBoost's
    OpenMP threads spin while they wait for the next round, and a custom loss, computed
    in Python between two rounds, competes with them for the CPU. With
    ``OMP_WAIT_POLICY=PASSIVE`` set in the environment before Python starts (OpenMP reads
    it once, when it loads) they sleep instead: in ``benchmarks/bench_booster_load.py``
    (2,000 rows, a 2-core machine with one core kept busy) the first fit took 0.55 s
    instead of 31.8 s (0.37 instead of 11.2 s CPU), with the same predictions, bit for bit
    (XGBoost's ``XGBClassifier``: 0.38 instead of 5.2 s). ``n_jobs=1`` has no thread to
    wait (1.6 s there, the same predictions). imbtool sets neither: the policy would apply
    to every OpenMP library in the process, and ``n_jobs`` is the caller's.

    References
    ----------
    Chen and Guestrin, "XGBoost: A Scalable Tree Boosting System", KDD 2016.
    Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017.

    Examples
    --------
    >>> from imbtool.boosters import XGBImbalancedClassifier
    >>> from imbtool.datasets import load_dataset
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> clf = XGBImbalancedClassifier(n_estimators=20, device="cpu").fit(X, y)  # doctest: +SKIP
    >>> clf.predict_proba(X).shape  # doctest: +SKIP
    (336, 2)
    """

    _reserved = frozenset({"objective", "num_class", "num_boost_round", "n_estimators",
                           "base_margin", "base_score", "device"})
    _parameter_constraints = {
        **_ImbalancedBooster._parameter_constraints,
        "max_depth": [Interval(numbers.Integral, 0, None, closed="left")],
        "min_child_weight": [Interval(numbers.Real, 0, None, closed="left")],
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
        max_depth=6,
        min_child_weight=1.0,
        subsample=1.0,
        colsample_bytree=1.0,
        reg_lambda=1.0,
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
        self.max_depth = max_depth
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.device = device
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.booster_params = booster_params

    def _train(self, X, y, weight, n_classes, objective):
        name = type(self).__name__
        xgboost = require("xgboost", name)
        extra = self._booster_params()
        self.device_ = resolve_device(self.device, xgboost_gpu_device, name)
        multiclass = n_classes > 2
        params = {
            "learning_rate": self.learning_rate,
            "max_depth": self.max_depth,
            "min_child_weight": self.min_child_weight,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "reg_lambda": self.reg_lambda,
            "tree_method": "hist",
            "device": self.device_,
            "verbosity": 0,
        }
        if self.n_jobs is not None:
            params["nthread"] = self.n_jobs
        seed = self._seed()
        if seed is not None:
            params["seed"] = seed
        if multiclass:
            params["num_class"] = n_classes
        base_margin = None
        if self.loss_ is None:
            params["objective"] = "multi:softprob" if multiclass else "binary:logistic"
        else:
            params["disable_default_eval_metric"] = 1
            # The margin starts from base_margin in training; without this, XGBoost
            # would add an intercept of its own (estimated for the placeholder
            # squared-error objective) to every prediction.
            params["base_score"] = 0.0
            base_margin = (np.tile(self.init_score_, (len(y), 1)) if multiclass
                           else np.full(len(y), self.init_score_))
        params.update(extra)
        dtrain = xgboost.DMatrix(X, label=y, weight=weight, base_margin=base_margin)
        return xgboost.train(params, dtrain, num_boost_round=self.n_estimators, obj=objective)

    def _raw_predict(self, X):
        xgboost = require("xgboost", type(self).__name__)
        return self.booster_.predict(xgboost.DMatrix(X), output_margin=True)
