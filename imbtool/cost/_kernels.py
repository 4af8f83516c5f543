"""Numba kernels of the binary boosting losses: loss, gradient and Hessian per sample.

Every kernel works on the raw margin ``z`` (log-odds) and writes the exact
first and second derivatives with respect to ``z``. One fused, parallel pass
per boosting round keeps a custom objective close to the cost of LightGBM's
built-in one: numpy would make a temporary array per operation.

The focal term is written in the "signed margin" ``zt = z`` for a positive
and ``zt = -z`` for a negative, where ``p_t = sigmoid(zt)``; then
``d/dz = sign * d/dzt`` and the second derivative is unchanged.
"""

import math

import numpy as np

from ..utils._jit import njit, prange
from ..utils._threads import numba_threads


@njit(cache=True, inline="always")
def _sigmoid(z):
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@njit(cache=True, inline="always")
def _focal_terms(zt, gamma):
    """Loss, d/dzt and d2/dzt2 of ``-(1 - p_t)**gamma * log(p_t)``.

    p_t, 1 - p_t and both logarithms come from one exp and one log1p, and
    (1 - p_t)**gamma from one more exp: this loop is the per-round cost of
    the custom objective.
    """
    e = math.exp(-abs(zt))
    l1 = math.log1p(e)
    if zt >= 0.0:
        pt = 1.0 / (1.0 + e)
        q = e * pt
        lp = -l1
        lq = -zt - l1
    else:
        q = 1.0 / (1.0 + e)
        pt = e * q
        lp = zt - l1
        lq = -l1
    qg = math.exp(gamma * lq)
    loss = -qg * lp
    grad = qg * (gamma * pt * lp - q)
    hess = pt * qg * (gamma * lp * (q - gamma * pt) + q * (2.0 * gamma + 1.0))
    # Curvature of log-loss weighted by the focusing factor held fixed: positive,
    # equal to the exact Hessian at gamma = 0, used where the exact one is smaller.
    surrogate = qg * pt * q
    return loss, grad, hess, surrogate


@njit(cache=True, parallel=True)
def focal_binary(y, z, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad, out_hess):
    """Binary focal loss ``-alpha_t (1 - p_t)**gamma log(p_t)`` (Lin et al. 2017).

    Hessians below ``floor`` are raised to it. Returns the number of labels
    that are neither 0 nor 1.
    """
    bad = 0
    for i in prange(z.shape[0]):
        if y[i] != 0 and y[i] != 1:
            bad += 1
        if y[i] == 1:
            loss, g, h, sur = _focal_terms(z[i], gamma)
            a = alpha_pos
        else:
            loss, g, h, sur = _focal_terms(-z[i], gamma)
            g = -g
            a = alpha_neg
        out_loss[i] = a * loss
        out_grad[i] = a * g
        out_hess[i] = a * max(h, sur) if floor > -math.inf else a * h
    return bad


@njit(cache=True, parallel=True)
def asymmetric_binary(y, z, gamma_pos, gamma_neg, clip, floor, out_loss, out_grad, out_hess):
    """Asymmetric loss (Ridnik et al. 2021) for one sigmoid output.

    Positives: ``-(1 - p)**gamma_pos log(p)``. Negatives use the shifted
    probability ``u = max(p - clip, 0)``: ``-u**gamma_neg log(1 - u)``, so a
    negative with ``p <= clip`` contributes nothing. Hessians below ``floor``
    are raised to it. Returns the number of labels that are neither 0 nor 1.
    """
    bad = 0
    for i in prange(z.shape[0]):
        if y[i] != 0 and y[i] != 1:
            bad += 1
        if y[i] == 1:
            loss, g, h, sur = _focal_terms(z[i], gamma_pos)
            out_loss[i] = loss
            out_grad[i] = g
            out_hess[i] = max(h, sur) if floor > -math.inf else h
            continue
        if clip == 0.0:
            # u = p: the focal term of a negative. Written through the margin, it
            # stays finite where 1 - u underflows to 0 (z of several hundred).
            loss, g, h, _ = _focal_terms(-z[i], gamma_neg)
            out_loss[i] = loss
            out_grad[i] = -g
            out_hess[i] = max(h, floor)
            continue
        p = _sigmoid(z[i])
        u = p - clip
        if u <= 0.0:
            out_loss[i] = 0.0
            out_grad[i] = 0.0
            out_hess[i] = max(0.0, floor)
            continue
        # 1 - u >= clip > 0, so log1p(-u) is accurate and finite.
        one_minus_u = _sigmoid(-z[i]) + clip
        log_omu = math.log1p(-u)
        ug = u**gamma_neg
        # u**(gamma - 1) and u**(gamma - 2) only ever appear multiplied by gamma.
        ug1 = 0.0
        ug2 = 0.0
        if gamma_neg != 0.0:
            ug1 = gamma_neg * u ** (gamma_neg - 1.0)
            if gamma_neg != 1.0:
                ug2 = gamma_neg * (gamma_neg - 1.0) * u ** (gamma_neg - 2.0)
        d1 = -ug1 * log_omu + ug / one_minus_u  # dL/du
        d2 = -ug2 * log_omu + 2.0 * ug1 / one_minus_u + ug / (one_minus_u * one_minus_u)
        dp = p * (1.0 - p)  # dp/dz
        out_loss[i] = -ug * log_omu
        out_grad[i] = d1 * dp
        out_hess[i] = max(d2 * dp * dp + d1 * dp * (1.0 - 2.0 * p), floor)
    return bad


def run_binary(kernel, y, z, *params):
    """Call a binary kernel; return (loss, grad, hess) and the count of labels other than 0/1."""
    z = np.ascontiguousarray(z, dtype=np.float64)
    out = np.empty((3, z.shape[0]))
    # A boosting round's call on a small set must not wait for busy threads; ~40
    # operations per element (exp, log, powers).
    with numba_threads(None, work=40 * z.shape[0]):
        bad = kernel(np.ascontiguousarray(y), z, *params, out[0], out[1], out[2])
    return (out[0], out[1], out[2]), bad
