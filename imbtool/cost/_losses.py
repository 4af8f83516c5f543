"""Imbalance-aware losses for gradient boosting (LightGBM and XGBoost).

A loss object is one callable that serves as a custom objective for all four
entry points: ``lightgbm.LGBMClassifier(objective=loss)`` and
``xgboost.XGBClassifier(objective=loss)`` call ``loss(y_true, y_pred,
sample_weight)``; ``lightgbm.train(params={"objective": loss})`` and
``xgboost.train(obj=loss)`` call ``loss(preds, dataset)``. Both orders are
recognised. The returned gradient and Hessian are with respect to the raw
margin, multiplied by the sample weights.

Boosters given a custom objective predict raw margins (without any
``init_score``); ``to_proba`` applies the link.
"""

import copy
import numbers

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_softmax
from sklearn.utils._param_validation import InvalidParameterError

from . import _kernels

# Focal and asymmetric losses are not convex: their exact Hessian turns
# negative (or nearly zero) for badly misclassified samples, which flips or
# blows up a Newton leaf value. The booster receives, per sample, the larger
# of the exact Hessian and the log-loss curvature weighted by the focusing
# factor held fixed (alpha_t (1 - p_t)**gamma p (1 - p), equal to the exact
# one at gamma = 0), and never less than HESSIAN_FLOOR (asymmetric negatives).
# The exact Hessian is available from ``gradient_hessian(..., exact=True)``.
HESSIAN_FLOOR = 1e-6


def margins_to_proba(raw):
    """Probabilities from raw margins.

    Columns [1 - p, p] of the logistic link (binary) or the softmax (multiclass).
    """
    raw = np.asarray(raw, dtype=np.float64)
    if raw.ndim == 1:
        p = expit(raw)
        return np.column_stack([1.0 - p, p])
    return np.exp(log_softmax(raw, axis=1))


def _is_dataset(obj):
    return hasattr(obj, "get_label") and hasattr(obj, "get_weight")


def _dataset_weight(dataset):
    weight = dataset.get_weight()
    return None if weight is None or np.size(weight) == 0 else np.asarray(weight, dtype=np.float64)


def _objective_args(first, second, sample_weight):
    """``(y_true, y_pred, sample_weight)`` from either objective call order."""
    if _is_dataset(second):
        return second.get_label(), first, _dataset_weight(second)
    return first, second, sample_weight


def _buffers(shape):
    """Loss, gradient and Hessian arrays for margins of ``shape`` (the loss: one per row)."""
    if len(shape) == 1:
        return tuple(np.empty((3, shape[0])))
    return np.empty(shape[0]), np.empty(shape), np.empty(shape)


class _Rounds:
    """A loss on fixed labels and weights: all that does not depend on the margins, done once.

    Label codes, parameters, class sizes and sample weights are checked and
    derived when it is made; :meth:`run` only runs the kernel, raises the
    Hessian to its floor and applies the weights. A booster's fit calls its
    objective once per round on the same rows, so the boosters call the
    instance itself (:meth:`__call__`), which also reuses one set of output
    arrays for every round: the gradients of a round are overwritten by the
    next (LightGBM and XGBoost copy them before returning). Results are the
    bits of :meth:`_BoostingLoss.gradient_hessian`, which runs through here.
    """

    def __init__(self, loss, y, shape, sample_weight=None, exact=False):
        # One margin per row (binary log-odds) or one per class (softmax, also for 2 classes).
        self.multiclass = len(shape) == 2
        n_classes = shape[1] if self.multiclass else 2
        if self.multiclass:
            loss._check_labels(y, n_classes)
            y = y.astype(np.intp)
        self.loss = loss
        self.floor = -np.inf if (exact or loss._convex) else HESSIAN_FLOOR
        self.step = loss._step(y, n_classes, self.floor, self.multiclass)
        self.weight = (None if sample_weight is None
                       else loss._check_weight(sample_weight, y.shape[0]))
        self.shape = None  # the margins' shape as the booster gives them (set by _fit_rounds)
        self.out = None

    def run(self, z, out, weigh_loss=True):
        """Fill ``out`` (loss, gradient, Hessian) for the margins ``z``; return it."""
        loss, grad, hess = out
        n_bad = self.step(z, out)
        if n_bad:
            self.loss._check_labels(None, 2, n_bad)
        if self.multiclass:
            np.maximum(hess, self.floor, out=hess)
        if self.weight is not None:
            if weigh_loss:
                loss *= self.weight
            rows = self.weight if grad.ndim == 1 else self.weight[:, None]
            grad *= rows
            hess *= rows
        return out

    def __call__(self, first, second, sample_weight=None):
        """One boosting round: gradient and Hessian of the margins, in the fit's own arrays."""
        preds = first if _is_dataset(second) else second
        z = np.asarray(preds, dtype=np.float64)
        if z.shape != self.shape:
            raise ValueError(
                f"{type(self.loss).__name__}: the margins have shape {z.shape}, the first "
                f"round's had {self.shape}; one fit's objective serves one training set.")
        _, grad, hess = self.run(z.reshape(self.out[1].shape), self.out, weigh_loss=False)
        return grad.reshape(self.shape), hess.reshape(self.shape)


class _BoostingLoss:
    """Shared machinery: argument order, shapes, weights, link, init score, metric."""

    name = "loss"
    _convex = False
    # Class sizes fixed by ``_with_class_sizes`` (None: read from the labels of each call).
    _class_sizes = None

    def __call__(self, first, second, sample_weight=None):
        y_true, preds, sample_weight = _objective_args(first, second, sample_weight)
        _, grad, hess = self.gradient_hessian(y_true, preds, sample_weight)
        return grad, hess

    def _fit_rounds(self, first, second, sample_weight=None):
        """The objective of one fit, set up from its first call's labels and weights.

        Called as the objective every round (either call order), it checks
        and derives everything that does not depend on the margins once (see
        ``_Rounds``) instead of every round, with the same results.
        """
        y_true, preds, sample_weight = _objective_args(first, second, sample_weight)
        y, z, shape = self._check_inputs(y_true, preds)
        rounds = _Rounds(self, y, z.shape, sample_weight)
        rounds.shape, rounds.out = shape, _buffers(z.shape)
        return rounds

    def gradient_hessian(self, y_true, y_pred, sample_weight=None, *, exact=False):
        """Per-sample loss, gradient and (diagonal) Hessian with respect to the margin.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels: 0/1 for binary, integer codes ``0..n_classes-1`` for multiclass.
        y_pred : array-like of shape (n_samples,) or (n_samples, n_classes)
            Raw margins (log-odds, or class scores for multiclass).
        sample_weight : array-like of shape (n_samples,), default=None
            Multiplies loss, gradient and Hessian.
        exact : bool, default=False
            Return the exact Hessian instead of the one floored at
            ``HESSIAN_FLOOR`` that the boosters receive.

        Returns
        -------
        loss, grad, hess : ndarray, same shape as ``y_pred`` (loss: (n_samples,))
        """
        y, z, shape = self._check_inputs(y_true, y_pred)
        loss, grad, hess = _Rounds(self, y, z.shape, sample_weight, exact).run(z, _buffers(z.shape))
        return loss, grad.reshape(shape), hess.reshape(shape)

    def _check_inputs(self, y_true, y_pred):
        y = np.asarray(y_true).ravel()
        if y.dtype.kind not in "iuf":
            y = y.astype(np.float64)
        z = np.asarray(y_pred, dtype=np.float64)
        shape = z.shape
        if z.ndim == 2 and z.shape[1] == 1:
            z = z[:, 0]
        if z.ndim not in (1, 2) or z.shape[0] != y.shape[0]:
            raise ValueError(
                f"{type(self).__name__}: y_pred must have shape (n_samples,) or "
                f"(n_samples, n_classes) with n_samples={y.shape[0]} matching y_true; got {shape}."
            )
        return y, z, shape

    def _check_weight(self, sample_weight, n_samples):
        w = np.asarray(sample_weight, dtype=np.float64)
        if w.shape != (n_samples,):
            raise ValueError(f"{type(self).__name__}: sample_weight must have shape "
                             f"({n_samples},), one weight per sample; got {w.shape}.")
        # A NaN or negative weight would make the booster's leaf values NaN or
        # flip their sign without any error.
        if not (np.all(np.isfinite(w)) and np.all(w >= 0)):
            raise ValueError(f"{type(self).__name__}: sample_weight must hold finite, "
                             "non-negative weights.")
        return w

    def check_params(self, n_classes=2):
        """Check the loss parameters for a problem with ``n_classes`` classes.

        The gradient computation runs the same checks; boosters call this
        before training so that a bad parameter is reported before any work
        is done.

        Parameters
        ----------
        n_classes : int, default=2
            Number of classes of the problem the loss will be fitted on.

        Returns
        -------
        self : object
            The loss, unchanged.

        Raises
        ------
        ValueError
            Naming the parameter that is negative, NaN or infinite, or a
            binary-only loss given more than two classes.
        """
        self._check_params(n_classes)
        return self

    def _check_params(self, n_classes):
        """Subclasses with parameters raise ValueError naming the bad one."""

    def _step(self, y, n_classes, floor, multiclass):
        """``step(z, out)`` for labels ``y``: fills ``out`` (loss, gradient, Hessian) from the
        margins ``z`` and returns the count of binary labels other than 0/1.

        Everything that does not depend on ``z`` (parameters, class sizes,
        scratch space) is checked and computed here, once per fit.
        ``multiclass``: one margin per class (``y``: checked integer codes),
        else one log-odds margin per row (``y``: the raw labels, whose bad
        ones the kernels count).
        """
        raise NotImplementedError

    def _check_labels(self, y, n_classes, n_bad=None):
        if n_bad is None:
            n_bad = np.count_nonzero(~((y >= 0) & (y < n_classes) & (y == np.floor(y))))
        if n_bad:
            raise ValueError(
                f"{type(self).__name__}: y_true must hold integer class codes 0..{n_classes - 1} "
                f"(0/1 for binary); {n_bad} labels do not. Encode labels with "
                "sklearn.preprocessing.LabelEncoder."
            )

    def mean_loss(self, y_true, y_pred, sample_weight=None):
        """Weighted mean loss of raw margins: the matching evaluation metric (lower is better).

        Usable as ``XGBClassifier(eval_metric=loss.mean_loss)`` (with a custom
        objective XGBoost hands metrics raw margins).

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels: 0/1 for binary, integer codes ``0..n_classes-1`` for multiclass.
        y_pred : array-like of shape (n_samples,) or (n_samples, n_classes)
            Raw margins (log-odds, or class scores for multiclass).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the average.

        Returns
        -------
        loss : float
            The weighted mean of the per-sample loss.
        """
        loss, _, _ = self.gradient_hessian(y_true, y_pred, exact=True)
        return float(np.average(loss, weights=sample_weight))

    def lgb_metric(self, first, second, sample_weight=None):
        """The loss as a LightGBM metric: ``(name, value, is_higher_better)``.

        Usable as ``LGBMClassifier(eval_metric=loss.lgb_metric)`` and as
        ``lightgbm.train(feval=loss.lgb_metric)``.

        Parameters
        ----------
        first : array-like of shape (n_samples,) or lightgbm.Dataset
            The labels (scikit-learn API order), or the raw margins when
            ``second`` is a ``lightgbm.Dataset`` (``lightgbm.train`` order).
        second : array-like or lightgbm.Dataset
            The raw margins, or the ``lightgbm.Dataset`` holding the labels
            and weights.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the average; a ``lightgbm.Dataset`` gives its own.

        Returns
        -------
        name : str
            The loss's ``name``.
        value : float
            The weighted mean loss.
        is_higher_better : bool
            Always False.
        """
        if _is_dataset(second):
            first, second, sample_weight = second.get_label(), first, _dataset_weight(second)
        return self.name, self.mean_loss(first, second, sample_weight), False

    def to_proba(self, raw):
        """Probabilities from raw margins: the logistic link (binary) or softmax.

        Parameters
        ----------
        raw : array-like of shape (n_samples,) or (n_samples, n_classes)
            Raw margins (log-odds, or class scores for multiclass).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ``[1 - p, p]`` for binary margins.
        """
        return margins_to_proba(raw)

    def init_score(self, y, n_classes=2, sample_weight=None):
        """Starting margin: log-odds (binary) or log class shares of the weighted prior.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Integer class codes ``0..n_classes-1``.
        n_classes : int, default=2
            Number of classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the class counts.

        Returns
        -------
        init_score : float or ndarray of shape (n_classes,)
            A float for binary problems, an array of ``n_classes`` otherwise.
        """
        y = np.asarray(y, dtype=np.intp)
        counts = np.bincount(y, weights=sample_weight, minlength=n_classes).astype(np.float64)
        counts *= self._prior_weights(n_classes, counts)
        # A class without weight gets a tiny share instead of log(0): a floor, not a tolerance.
        share = np.clip(counts / counts.sum(), 1e-12, None)
        if n_classes == 2:
            return float(np.log(share[1] / share[0]))
        return np.log(share)

    def _prior_weights(self, n_classes, counts):
        return np.ones(n_classes)

    def _label_sizes(self, y, n_classes):
        """Class sizes the gradient reads: the labels' own, or those fixed for the fit."""
        if self._class_sizes is not None:
            return self._class_sizes
        return _label_counts(np.asarray(y), n_classes)

    def _with_class_sizes(self, counts):
        """A copy whose gradient and init score read ``counts`` as the labels' class sizes.

        For a fit whose gradient is called on part of the rows at a time (one
        Dask worker's rows): the losses that read the class distribution must
        read the whole data's. The copy's parameters are this loss's.
        """
        fixed = copy.copy(self)
        fixed._class_sizes = np.maximum(np.asarray(counts, dtype=np.float64), 1.0)
        return fixed

    def get_params(self, deep=True):
        """Get the parameters of this loss.

        Parameters
        ----------
        deep : bool, default=True
            Ignored: a loss holds no estimators. Kept for scikit-learn's API.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return {k: getattr(self, k) for k in self._param_names}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and self.get_params() == other.get_params()

    def __hash__(self):
        return hash((type(self).__name__, repr(self)))


def _check_real(value, name, owner, low=None, high=None, low_open=False):
    # InvalidParameterError is a ValueError: the scikit-learn error for a bad parameter.
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(value):
        raise InvalidParameterError(f"{owner}: {name} must be a finite real number; "
                                    f"got {value!r}.")
    if low is not None and (value < low or (low_open and value == low)):
        relation = ">" if low_open else ">="
        raise InvalidParameterError(f"{owner}: {name} must be {relation} {low}; got {value!r}.")
    if high is not None and value > high:
        raise InvalidParameterError(f"{owner}: {name} must be <= {high}; got {value!r}.")
    return float(value)


def _class_vector(value, n_classes, name, owner):
    vec = np.asarray(value, dtype=np.float64).ravel()
    if vec.shape[0] != n_classes:
        raise ValueError(
            f"{owner}: {name} has {vec.shape[0]} entries but the margins have {n_classes} classes; "
            "give one non-negative weight per class."
        )
    if not np.all(np.isfinite(vec)) or np.any(vec < 0):
        raise ValueError(f"{owner}: {name} must hold finite, non-negative weights; got {value!r}.")
    return vec


class FocalLoss(_BoostingLoss):
    """Focal loss (Lin et al., "Focal Loss for Dense Object Detection", 2017).

    ``FL(p_t) = -alpha_t (1 - p_t)**gamma log(p_t)``: the factor
    ``(1 - p_t)**gamma`` shrinks the loss of well-classified samples so the
    many easy negatives do not dominate the gradient. ``gamma=0`` is
    (alpha-weighted) log-loss. Multiclass problems use the softmax form with
    ``p_t`` the probability of the true class.

    Parameters
    ----------
    alpha : float in [0, 1] or sequence of float, default=0.25
        Binary: weight of the positive class (negatives get ``1 - alpha``).
        A sequence gives one weight per class (binary or multiclass). In a
        multiclass problem a single float weights every class alike.
    gamma : float >= 0, default=2.0
        Focusing exponent.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.cost import FocalLoss
    >>> y, z = np.array([0, 1, 1]), np.array([-2.0, 0.5, 3.0])
    >>> grad, hess = FocalLoss(alpha=0.25, gamma=2.0)(y, z)
    >>> grad.shape, bool(np.all(hess > 0))
    ((3,), True)
    """

    name = "focal_loss"
    _param_names = ("alpha", "gamma")

    def __init__(self, alpha=0.25, gamma=2.0):
        self.alpha = alpha
        self.gamma = gamma

    def _alpha_vector(self, n_classes):
        owner = type(self).__name__
        if isinstance(self.alpha, numbers.Real) and not isinstance(self.alpha, bool):
            alpha = _check_real(self.alpha, "alpha", owner, 0.0, 1.0)
            return np.array([1.0 - alpha, alpha]) if n_classes == 2 else np.full(n_classes, alpha)
        return _class_vector(self.alpha, n_classes, "alpha", owner)

    def _gamma(self):
        return _check_real(self.gamma, "gamma", type(self).__name__, 0.0)

    def _check_params(self, n_classes):
        self._alpha_vector(n_classes)
        self._gamma()

    def _step(self, y, n_classes, floor, multiclass):
        alpha, gamma = self._alpha_vector(n_classes), self._gamma()
        if not multiclass:
            return _binary_step(_kernels.focal_binary, y, alpha[0], alpha[1], gamma, floor,
                                serial=_kernels.focal_binary_serial,
                                twin=_kernels.focal_binary_numpy)
        return _multiclass_step(_kernels.focal_softmax, y, alpha, gamma, floor,
                                serial=_kernels.focal_softmax_serial)


class WeightedLogLoss(_BoostingLoss):
    """Log-loss with the positive class (or every class) weighted.

    ``-[w_pos y log p + (1 - y) log(1 - p)]``; LightGBM's ``scale_pos_weight``
    as an object that also works with XGBoost and for several classes.

    Parameters
    ----------
    pos_weight : float > 0, "balanced" or sequence of float, default="balanced"
        Binary: weight of positives; ``"balanced"`` uses ``n_negative /
        n_positive`` of the labels being fitted. A sequence gives one weight
        per class (softmax cross-entropy for multiclass); ``"balanced"`` then
        gives each class ``n_samples / (n_classes * n_c)``.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.cost import WeightedLogLoss
    >>> grad, hess = WeightedLogLoss(pos_weight=4.0)(np.array([0, 1]), np.array([0.0, 0.0]))
    >>> grad.tolist()
    [0.5, -2.0]
    """

    name = "weighted_logloss"
    _convex = True
    _param_names = ("pos_weight",)

    def __init__(self, pos_weight="balanced"):
        self.pos_weight = pos_weight

    def _class_weights(self, n_classes, counts):
        owner = type(self).__name__
        if isinstance(self.pos_weight, str):
            if self.pos_weight != "balanced":
                raise ValueError(f"{owner}: pos_weight must be a number, 'balanced' or one weight "
                                 f"per class; got {self.pos_weight!r}.")
            counts = np.maximum(counts, 1.0)
            if n_classes > 2:
                return counts.sum() / (n_classes * counts)
            return np.array([1.0, counts[0] / counts[1]])
        if isinstance(self.pos_weight, numbers.Real) and not isinstance(self.pos_weight, bool):
            if n_classes > 2:
                raise ValueError(f"{owner}: a single pos_weight only applies to binary problems; "
                                 f"give one weight per class for {n_classes} classes.")
            weight = _check_real(self.pos_weight, "pos_weight", owner, 0.0, low_open=True)
            return np.array([1.0, weight])
        return _class_vector(self.pos_weight, n_classes, "pos_weight", owner)

    _prior_weights = _class_weights

    def _check_params(self, n_classes):
        self._class_weights(n_classes, np.ones(n_classes))

    def _weights_for(self, y, n_classes):
        counts = self._label_sizes(y, n_classes)
        return self._class_weights(n_classes, counts)[y.astype(np.intp)]

    def _step(self, y, n_classes, floor, multiclass):
        if not multiclass:
            self._check_labels(y, 2)
        c = self._weights_for(y, n_classes)
        logloss = _softmax_step(y, n_classes) if multiclass else _logloss_step(y)
        rows = c[:, None] if multiclass else c

        def step(z, out):
            logloss(z, out)
            loss, grad, hess = out
            loss *= c
            grad *= rows
            hess *= rows
            return 0

        return step


_BINARY_ONLY = ("AsymmetricLoss is defined for binary problems (one sigmoid output); got {} "
                "classes. Use FocalLoss for multiclass.")


class AsymmetricLoss(_BoostingLoss):
    """Asymmetric loss, ASL (Ridnik et al., "Asymmetric Loss For Multi-Label Classification", 2021).

    Separate focusing exponents for positives and negatives, and a probability
    margin ``clip`` that shifts the negatives' probability down
    (``p_m = max(p - clip, 0)``): very easy negatives are discarded
    altogether, and likely mislabeled negatives (high ``p``) are penalised
    less. Positives: ``-(1 - p)**gamma_pos log(p)``; negatives:
    ``-p_m**gamma_neg log(1 - p_m)``. Binary problems only (one sigmoid
    output); use :class:`FocalLoss` for multiclass.

    Parameters
    ----------
    gamma_pos : float >= 0, default=0.0
    gamma_neg : float >= 0, default=4.0
    clip : float in [0, 1), default=0.05

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.cost import AsymmetricLoss
    >>> grad, hess = AsymmetricLoss(clip=0.05)(np.array([0, 0, 1]), np.array([-5.0, 1.0, 1.0]))
    >>> float(grad[0])  # an easy negative (p < clip) contributes nothing
    0.0
    """

    name = "asymmetric_loss"
    _param_names = ("gamma_pos", "gamma_neg", "clip")

    def __init__(self, gamma_pos=0.0, gamma_neg=4.0, clip=0.05):
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.clip = clip

    def _scalars(self):
        owner = type(self).__name__
        clip = _check_real(self.clip, "clip", owner, 0.0)
        if clip >= 1.0:
            raise ValueError(f"{owner}: clip must be in [0, 1); got {self.clip!r}.")
        return (_check_real(self.gamma_pos, "gamma_pos", owner, 0.0),
                _check_real(self.gamma_neg, "gamma_neg", owner, 0.0), clip)

    def _check_params(self, n_classes):
        if n_classes > 2:
            raise ValueError(_BINARY_ONLY.format(n_classes))
        self._scalars()

    def _step(self, y, n_classes, floor, multiclass):
        if multiclass:
            raise ValueError(_BINARY_ONLY.format(n_classes))
        return _binary_step(_kernels.asymmetric_binary, y, *self._scalars(), floor)


def _binary_step(kernel, y, *params, serial=None, twin=None):
    """A ``_step`` running a binary kernel of ``_kernels`` on the labels ``y``."""
    y = np.ascontiguousarray(y)

    def step(z, out):
        return _kernels.run_binary(kernel, y, z, *params, serial=serial, twin=twin, out=out)[1]

    return step


def _multiclass_step(kernel, y, *params, serial=None):
    """A ``_step`` running a multiclass kernel of ``_kernels`` on the integer codes ``y``."""
    y = np.ascontiguousarray(y, dtype=np.intp)

    def step(z, out):
        _kernels.run_multiclass(kernel, y, z, *params, serial=serial, out=out)
        return 0

    return step


def _logloss_step(y, shift_neg=0.0, shift_pos=0.0):
    """Log-loss of the log-odds ``z`` moved by a label-chosen shift.

    A positive is scored on ``z + shift_pos``, a negative on ``z + shift_neg``;
    derivatives are with respect to ``z``. Labels are checked by the caller.
    """
    return _binary_step(_kernels.shifted_logloss_binary, y, shift_neg, shift_pos)


def _softmax_step(y, n_classes, offset=None, true_shift=None):
    """Softmax cross-entropy of ``z + offset`` (per class), the true class's score also
    moved by ``true_shift[y]``; derivatives with respect to ``z``. ``y``: integer codes."""
    zero = np.zeros(n_classes)
    return _multiclass_step(_kernels.shifted_softmax, y, zero if offset is None else offset,
                            zero if true_shift is None else true_shift)


def _label_counts(y, n_classes):
    """Class sizes of the labels being fitted; a class absent from them counts as one sample.

    The losses that read the class distribution (logit adjustment, LDAM) need
    a finite log-size for every class the margins have, also for a class a
    cross-validation fold happens to leave out.
    """
    counts = np.bincount(y.astype(np.intp), minlength=n_classes)[:n_classes]
    return np.maximum(counts, 1).astype(np.float64)


class _DistributionLoss(_BoostingLoss):
    """A loss that reads the class sizes of the labels (their counts, not the weights).

    Subclasses write ``_sized_step(y, n_classes, counts, multiclass)``: the ``_step`` for
    integer codes ``y`` whose class sizes are ``counts``. The init score
    is the constant margin that minimises the weighted loss over the training
    labels, found numerically (the losses are convex in the margin).
    """

    _convex = True

    def _step(self, y, n_classes, floor, multiclass):
        if not multiclass:
            self._check_labels(y, 2)
        return self._sized_step(y.astype(np.intp), n_classes, self._label_sizes(y, n_classes),
                                multiclass)

    def _terms(self, y, z, counts):
        """Per-sample loss, gradient and Hessian of codes ``y`` whose class sizes are ``counts``."""
        out = _buffers(z.shape)
        multiclass = z.ndim == 2
        self._sized_step(y, z.shape[1] if multiclass else 2, counts, multiclass)(z, out)
        return out

    def init_score(self, y, n_classes=2, sample_weight=None):
        """Starting margin: the constant model that minimises the weighted loss.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Integer class codes ``0..n_classes-1``.
        n_classes : int, default=2
            Number of classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the loss.

        Returns
        -------
        init_score : float or ndarray of shape (n_classes,)
            A float for binary problems, an array of ``n_classes`` otherwise.
        """
        self._check_params(n_classes)
        y = np.asarray(y, dtype=np.intp)
        counts = self._label_sizes(y, n_classes)
        mass = np.bincount(y, weights=sample_weight, minlength=n_classes).astype(np.float64)
        # A constant model's loss depends on the class only: one row per class, weighted by
        # the class's total weight, stands for every sample.
        codes = np.arange(n_classes)
        start = np.log(np.clip(mass / mass.sum(), 1e-12, None))

        def objective(c):
            z = np.full(2, c[0]) if n_classes == 2 else np.tile(c, (n_classes, 1))
            loss, grad, _ = self._terms(codes, z, counts)
            grad = mass @ grad
            return mass @ loss, np.atleast_1d(grad)

        x0 = np.array([start[1] - start[0]]) if n_classes == 2 else start - start.mean()
        # Tight tolerances: the optimum is a few numbers and each evaluation costs K rows.
        best = minimize(objective, x0, jac=True, method="BFGS", options={"gtol": 1e-12}).x
        if n_classes == 2:
            return float(best[0])
        return best - best.mean()


class LogitAdjustedLoss(_DistributionLoss):
    """Logit-adjusted softmax cross-entropy (Menon et al., "Long-tail learning via logit
    adjustment", ICLR 2021).

    Training adds ``tau * log(pi_c)`` to the margin of every class ``c``
    inside the softmax (``pi``: the class frequencies of the labels being
    fitted): ``-log softmax(z + tau log pi)_y``. The raw margins ``z`` the
    booster learns then rank classes as the balanced error wants (``tau=1``
    is the Fisher-consistent choice); the offset is a training device only.
    ``to_proba`` applies the plain softmax (sigmoid for binary) to ``z``:
    these are probabilities under a prior flattened by ``pi**tau`` (uniform at
    ``tau=1``), not the training prior. Binary problems use one log-odds
    margin, shifted by ``tau * log(pi_1 / pi_0)``. ``tau=0`` is plain log-loss.

    The loss is convex in the margin; the exact Hessian goes to the booster.
    A class absent from the labels counts as one sample.

    In gradient boosting the offset is a constant per class, so every round
    sees the gradients of the plain log-loss model shifted by it: boosting
    on this loss gives exactly the margins of the same booster on plain
    log-loss, adjusted post hoc (:class:`LogitAdjustedClassifier`) -- the
    two forms coincide here, unlike in the neural networks of the paper.

    Parameters
    ----------
    tau : float >= 0, default=1.0
        Strength of the adjustment.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.cost import LogitAdjustedLoss
    >>> y = np.array([0, 0, 0, 1])
    >>> grad, hess = LogitAdjustedLoss(tau=1.0)(y, np.zeros(4))
    >>> grad.round(3).tolist()  # the rare class pulls harder than with plain log-loss
    [0.25, 0.25, 0.25, -0.75]
    >>> abs(round(LogitAdjustedLoss(tau=1.0).init_score(y), 6))  # log(1/3) - log(1/3)
    0.0
    """

    name = "logit_adjusted_loss"
    _param_names = ("tau",)

    def __init__(self, tau=1.0):
        self.tau = tau

    def _tau(self):
        return _check_real(self.tau, "tau", type(self).__name__, 0.0)

    def _check_params(self, n_classes):
        self._tau()

    def class_offsets(self, y, n_classes=2):
        """The offset ``tau * log(pi_c)`` added to each class's margin in training.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Integer class codes ``0..n_classes-1``: the labels being fitted.
        n_classes : int, default=2
            Number of classes.

        Returns
        -------
        offsets : ndarray of shape (n_classes,)
            ``tau * log(pi_c)``, ``pi``: the class frequencies of ``y`` (a
            class absent from ``y`` counts as one sample). The fitted margins'
            softmax divides the class prior by ``exp(offsets)``.
        """
        return self._offsets(self._label_sizes(y, n_classes))

    def _offsets(self, counts):
        return self._tau() * np.log(counts / counts.sum())

    def _sized_step(self, y, n_classes, counts, multiclass):
        offset = self._offsets(counts)
        if not multiclass:
            shift = offset[1] - offset[0]
            return _logloss_step(y, shift, shift)
        return _softmax_step(y, n_classes, offset=offset)


class LDAMLoss(_DistributionLoss):
    """Label-distribution-aware margin loss, LDAM (Cao et al., "Learning Imbalanced Datasets
    with Label-Distribution-Aware Margin Loss", NeurIPS 2019).

    Softmax cross-entropy with the true class's margin lowered by
    ``Delta_y = max_margin * (n_min / n_y)**(1/4)`` (``n_c``: class sizes of
    the labels being fitted): the rarest class must win by ``max_margin``,
    larger classes by less. Binary problems use one log-odds margin ``z``:
    a positive is scored on ``z - Delta_1``, a negative on ``z + Delta_0``.
    The margins are a training device: as in the paper, predictions use the
    plain softmax (sigmoid) of the raw margins (``to_proba``). Cao et al.
    scale normalised logits by ``s``; a booster's margins are not normalised,
    so there is no ``s`` and ``max_margin`` is in logit units.

    The paper pairs LDAM with deferred re-weighting (DRW): class weights
    switched on late in training. The boosters offer it for every loss as
    ``class_weight_start``. The loss is convex in the margin; the exact
    Hessian goes to the booster. A class absent from the labels counts as
    one sample.

    Parameters
    ----------
    max_margin : float >= 0, default=0.5
        Margin of the rarest class (the paper's largest margin, 0.5).
        ``max_margin=0`` is plain log-loss.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.cost import LDAMLoss
    >>> loss = LDAMLoss(max_margin=1.0)
    >>> loss.margins(np.array([0] * 81 + [1] * 1), n_classes=2).round(3).tolist()
    [0.333, 1.0]
    >>> grad, hess = loss(np.array([1, 0]), np.array([0.0, 0.0]))
    >>> bool(grad[0] < -0.5 and hess.min() > 0)
    True
    """

    name = "ldam_loss"
    _param_names = ("max_margin",)

    def __init__(self, max_margin=0.5):
        self.max_margin = max_margin

    def _check_params(self, n_classes):
        _check_real(self.max_margin, "max_margin", type(self).__name__, 0.0)

    def margins(self, y, n_classes=2):
        """The margin ``Delta_c`` of every class for the labels ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Integer class codes ``0..n_classes-1``.
        n_classes : int, default=2
            Number of classes.

        Returns
        -------
        margins : ndarray of shape (n_classes,)
            ``max_margin * (n_min / n_c)**(1/4)``.
        """
        return self._margins(self._label_sizes(y, n_classes))

    def _margins(self, counts):
        margin = _check_real(self.max_margin, "max_margin", type(self).__name__, 0.0)
        return margin * (counts.min() / counts) ** 0.25

    def _sized_step(self, y, n_classes, counts, multiclass):
        delta = self._margins(counts)
        if not multiclass:
            # A positive's log-odds lose Delta_1; a negative's (its margin is -z) lose Delta_0.
            return _logloss_step(y, delta[0], -delta[1])
        return _softmax_step(y, n_classes, true_shift=-delta)


# The dice loss is not convex in the margin: its exact Hessian is negative for
# confident samples (it pushes p back toward 1 / (1 + alpha)) and near zero
# where p saturates. The booster receives, per entry, the larger of the exact
# Hessian, |gradient| / DICE_MAX_STEP and HESSIAN_FLOOR. A leaf value is
# -sum(g) / sum(h), so the middle term bounds every Newton step at
# DICE_MAX_STEP logits (before the learning rate) wherever the exact curvature
# is negative or tiny; 2 logits is the step of log-loss at p = 0.5 with a unit
# residual (|g| / h = 0.5 / 0.25).
DICE_MAX_STEP = 2.0


class DiceLoss(_BoostingLoss):
    """Self-adjusting dice loss (Li et al., "Dice Loss for Data-imbalanced NLP Tasks", ACL 2020).

    Per sample and class, with ``p`` the predicted probability, ``y`` the 0/1
    target and ``u = (1 - p)**alpha * p``::

        DSC = 1 - (2 u y + gamma) / (u + y + gamma)

    a smoothed one-sample F1 whose factor ``(1 - p)**alpha`` makes easy,
    confident samples count less (``alpha = 0`` is the plain smoothed dice
    loss). Binary problems score the positive class's probability only, as
    in the paper; multiclass problems sum the one-vs-rest terms of every
    class's softmax probability.

    Not convex in the margin: see ``DICE_MAX_STEP`` for the positive Hessian
    the booster receives (``gradient_hessian(..., exact=True)`` gives the
    exact one). Its constant-model optimum lies at ``p -> 0`` for an
    imbalanced binary problem, where the gradients vanish, so boosting starts
    from the log prior instead (``init_score``). Predictions are the
    sigmoid / softmax of the raw margins; like focal loss, dice is not a
    proper scoring rule, so these rank but are not calibrated.

    Parameters
    ----------
    alpha : float >= 0, default=0.0
        Self-adjusting exponent. With ``alpha > 0`` a positive's loss is
        lowest at ``p = 1 / (1 + alpha)``, not at 1: confident positives are
        pushed back, so positives end near or below the 0.5 decision
        threshold. On the KEEL sets ecoli1 and pima (LightGBM, 5-fold CV)
        balanced accuracy fell from 0.81 / 0.71 at ``alpha=0`` to 0.59 / 0.54
        at ``alpha=1``; pair ``alpha > 0`` with a tuned threshold
        (:class:`imbtool.threshold.TunedThresholdClassifier`).
    gamma : float > 0, default=1.0
        Smoothing added to numerator and denominator; it keeps the loss of a
        negative finite and differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> from imbtool.cost import DiceLoss
    >>> grad, hess = DiceLoss(alpha=1.0, gamma=1.0)(np.array([0, 1]), np.array([-1.0, -1.0]))
    >>> bool(grad[0] > 0 > grad[1]), bool(np.all(hess > 0))
    (True, True)
    """

    name = "dice_loss"
    _param_names = ("alpha", "gamma")

    def __init__(self, alpha=0.0, gamma=1.0):
        self.alpha = alpha
        self.gamma = gamma

    def _scalars(self):
        owner = type(self).__name__
        return (_check_real(self.alpha, "alpha", owner, 0.0),
                _check_real(self.gamma, "gamma", owner, 0.0, low_open=True))

    def _check_params(self, n_classes):
        self._scalars()

    def _step(self, y, n_classes, floor, multiclass):
        alpha, gamma = self._scalars()
        if not multiclass:
            return _binary_step(_kernels.dice_binary, y, alpha, gamma, floor, DICE_MAX_STEP)
        # p, 1 - p and the two derivative factors of every row and class (dice_softmax).
        scratch = np.empty((4, y.shape[0], n_classes))
        return _multiclass_step(_kernels.dice_softmax, y, alpha, gamma, floor, DICE_MAX_STEP,
                                scratch)
