"""Numba kernels of the boosting losses: loss, gradient and Hessian per sample.

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

from ..utils._compiled import is_compiled, run_kernel_or_twin, svml_possible
from ..utils._jit import njit, prange
from ..utils._threads import PARALLEL_MIN_WORK, numba_threads, requested_threads


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


@njit(cache=True, inline="always")
def _focal_row(y, z, i, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad, out_hess):
    """Row ``i`` of :func:`focal_binary`; 1 when its label is neither 0 nor 1, else 0."""
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
    return 0 if y[i] == 0 or y[i] == 1 else 1


@njit(cache=True, parallel=True)
def focal_binary(y, z, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad, out_hess):
    """Binary focal loss ``-alpha_t (1 - p_t)**gamma log(p_t)`` (Lin et al. 2017).

    Hessians below ``floor`` are raised to it. Returns the number of labels
    that are neither 0 nor 1.
    """
    bad = 0
    for i in prange(z.shape[0]):
        bad += _focal_row(y, z, i, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad,
                          out_hess)
    return bad


@njit(cache=True)
def focal_binary_serial(y, z, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad, out_hess):
    """:func:`focal_binary` on the calling thread: the same rows, the same bits.

    Compiles in about half the time of the parallel kernel (measured 1.3 s
    against 2.4 s CPU on 2 cores, numba 0.68), which a first fit on a fresh
    install pays; small calls run on one thread in either kernel.
    """
    bad = 0
    for i in range(z.shape[0]):
        bad += _focal_row(y, z, i, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad,
                          out_hess)
    return bad


def _libm(func, x):
    """``func`` (``math.exp``, ``math.log1p``) of each value: the C library's, as numba calls it."""
    return np.fromiter(map(func, x.tolist()), dtype=np.float64, count=x.size)


def focal_binary_numpy(y, z, alpha_neg, alpha_pos, gamma, floor, out_loss, out_grad, out_hess):
    """:func:`focal_binary` in numpy, the same bits: nothing to compile on a first fit.

    Each operation of :func:`_focal_terms` and :func:`_focal_row` in the same
    order on float64 arrays (no fused multiply-add, as numba compiles without
    fastmath), the branches as selections. exp and log1p go through Python's
    ``math``, which calls the C library as numba's kernel does; numpy's own
    SIMD exp/log would differ in the last bit. ~0.4 us a row, so it serves
    the small calls of a first fit (10,000 rows: ~4 ms a boosting round).
    Outputs for non-finite margins are NaN or infinite alike, their NaN sign
    bits not compared.
    """
    pos = y == 1
    zt = np.where(pos, z, -z)
    e = _libm(math.exp, -np.abs(zt))
    l1 = _libm(math.log1p, e)
    ahead = zt >= 0.0
    with np.errstate(all="ignore"):
        first = 1.0 / (1.0 + e)
        other = e * first
        pt = np.where(ahead, first, other)
        q = np.where(ahead, other, first)
        lp = np.where(ahead, -l1, zt - l1)
        lq = np.where(ahead, -zt - l1, -l1)
        qg = _libm(math.exp, gamma * lq)
        loss = -qg * lp
        grad = qg * (gamma * pt * lp - q)
        hess = pt * qg * (gamma * lp * (q - gamma * pt) + q * (2.0 * gamma + 1.0))
        a = np.where(pos, alpha_pos, alpha_neg)
        out_loss[:] = a * loss
        out_grad[:] = a * np.where(pos, grad, -grad)
        if floor > -math.inf:
            surrogate = qg * pt * q
            # Python's max(h, surrogate), as numba compiles it: h unless surrogate is larger.
            hess = np.where(surrogate > hess, surrogate, hess)
        out_hess[:] = a * hess
    return int(np.count_nonzero((y != 0) & (y != 1)))


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


def _serial_or_parallel(kernel, serial, work):
    """``serial`` for work that runs on one thread anyway, unless ``kernel`` is ready first.

    Below ``PARALLEL_MIN_WORK`` :func:`numba_threads` runs the parallel kernel
    on one thread: its serial twin gives the same bits and compiles in half
    the time, which is what a first fit on a fresh install pays. A parallel
    kernel already compiled (here or in numba's cache) and a serial one not
    compiled in this process: the parallel one runs, as compiling would cost more.
    """
    if serial is None or work >= PARALLEL_MIN_WORK or kernel.signatures:
        return kernel
    return serial if serial.signatures or not is_compiled(kernel) else kernel


def run_binary(kernel, y, z, *params, serial=None, twin=None, out=None):
    """Call a binary kernel; return (loss, grad, hess) and the count of labels other than 0/1.

    ``serial``: the kernel's one-thread twin, for small calls (see :func:`_serial_or_parallel`).
    ``twin``: its numpy twin (the same bits), run instead of compiling for
    calls that run on one thread anyway, while the kernels are not compiled
    and only where numba cannot use SVML (``utils._compiled``). ``out``: three
    contiguous float64 arrays of ``z``'s length to write into (a fit's buffers,
    reused every round) instead of new ones.
    """
    z = np.ascontiguousarray(z, dtype=np.float64)
    if out is None:
        out = np.empty((3, z.shape[0]))
    # A boosting round's call on a small set must not wait for busy threads; ~40
    # operations per element (exp, log, powers).
    work = 40 * z.shape[0]
    args = (np.ascontiguousarray(y), z, *params, out[0], out[1], out[2])

    def compiled():
        chosen = _serial_or_parallel(kernel, serial, work)
        with numba_threads(requested_threads(), work=work):
            return chosen(*args)

    if twin is None or work >= PARALLEL_MIN_WORK or svml_possible():
        bad = compiled()
    else:
        bad = run_kernel_or_twin(serial or kernel, twin, work, PARALLEL_MIN_WORK,
                                 PARALLEL_MIN_WORK, *args, run=compiled)
    return (out[0], out[1], out[2]), bad


@njit(cache=True, inline="always")
def _logistic_terms(t):
    """``-log(sigmoid(t))``, ``sigmoid(t) - 1`` and ``sigmoid(t) (1 - sigmoid(t))``: one exp."""
    e = math.exp(-abs(t))
    loss = math.log1p(e) + (-t if t < 0.0 else 0.0)
    p = 1.0 / (1.0 + e) if t >= 0.0 else e / (1.0 + e)
    return loss, p - 1.0, p * (1.0 - p)


@njit(cache=True, parallel=True)
def shifted_logloss_binary(y, z, shift_neg, shift_pos, out_loss, out_grad, out_hess):
    """Log-loss of the log-odds ``z + shift``, the shift chosen by the label.

    A positive is scored on ``z + shift_pos``, a negative on ``z + shift_neg``
    (logit adjustment: one shift for both; LDAM: ``-Delta_1`` and
    ``+Delta_0``). Returns the number of labels that are neither 0 nor 1.
    """
    bad = 0
    for i in prange(z.shape[0]):
        if y[i] != 0 and y[i] != 1:
            bad += 1
        if y[i] == 1:
            loss, g, h = _logistic_terms(z[i] + shift_pos)
        else:
            # A negative's signed margin is -(z + shift): d/dz flips the sign.
            loss, g, h = _logistic_terms(-(z[i] + shift_neg))
            g = -g
        out_loss[i] = loss
        out_grad[i] = g
        out_hess[i] = h
    return bad


@njit(cache=True, parallel=True)
def shifted_softmax(y, z, offset, true_shift, out_loss, out_grad, out_hess):
    """Softmax cross-entropy of ``z_k + offset_k``, the true class's margin also moved by
    ``true_shift[y]`` (logit adjustment: ``offset = tau log pi``; LDAM: ``true_shift = -Delta``).

    One pass per row; labels are checked by the caller.
    """
    n_classes = z.shape[1]
    for i in prange(z.shape[0]):
        label = y[i]
        top = -math.inf
        for k in range(n_classes):
            v = z[i, k] + offset[k]
            if k == label:
                v += true_shift[label]
            out_grad[i, k] = v
            top = max(top, v)
        total = 0.0
        for k in range(n_classes):
            e = math.exp(out_grad[i, k] - top)
            out_hess[i, k] = e
            total += e
        out_loss[i] = math.log(total) + top - out_grad[i, label]
        for k in range(n_classes):
            p = out_hess[i, k] / total
            out_grad[i, k] = p - (1.0 if k == label else 0.0)
            out_hess[i, k] = p * (1.0 - p)


@njit(cache=True, inline="always")
def _focal_softmax_row(y, z, i, alpha, gamma, floor, out_loss, out_grad, out_hess):
    """Row ``i`` of :func:`focal_softmax`."""
    n_classes = z.shape[1]
    tiny = np.finfo(np.float64).tiny
    label = y[i]
    top = -math.inf
    for k in range(n_classes):
        top = max(top, z[i, k])
    total = 0.0
    for k in range(n_classes):
        e = math.exp(z[i, k] - top)
        out_grad[i, k] = e  # kept until the gradient overwrites it
        total += e
    log_total = math.log(total)
    lp = z[i, label] - top - log_total
    p = math.exp(lp)
    q = -math.expm1(lp)  # 1 - p_y, accurate when p_y -> 1
    a = alpha[label]
    qg = q**gamma
    c = a * qg * (gamma * p * lp - q)
    d = a * gamma * p * qg * (q * lp + 2.0 * q - (gamma - 1.0) * p * lp)
    out_loss[i] = -a * qg * lp
    for k in range(n_classes):
        pk = out_grad[i, k] / total
        if k == label:
            r, t = 1.0, p
        else:
            r = -pk / max(q, tiny)
            t = -r * (1.0 - pk)
        h = d * r * r - c * t
        out_grad[i, k] = c * r
        out_hess[i, k] = max(h, a * qg * pk * (1.0 - pk)) if floor > -math.inf else h


@njit(cache=True, parallel=True)
def focal_softmax(y, z, alpha, gamma, floor, out_loss, out_grad, out_hess):
    """Softmax focal loss ``-alpha_y (1 - p_y)**gamma log(p_y)``, one pass per row.

    With ``q = 1 - p_y`` the gradient of margin k is ``c r_k``, ``r_y = 1`` and
    ``r_k = -p_k / q`` (in [-1, 0], as ``p_k <= q``): no power of ``q`` below
    ``gamma`` is ever formed. Where ``floor`` is finite the Hessian is raised to
    the log-loss curvature weighted by the focusing factor held fixed
    (``alpha_y q**gamma p_k (1 - p_k)``). Labels are checked by the caller.
    """
    for i in prange(z.shape[0]):
        _focal_softmax_row(y, z, i, alpha, gamma, floor, out_loss, out_grad, out_hess)


@njit(cache=True)
def focal_softmax_serial(y, z, alpha, gamma, floor, out_loss, out_grad, out_hess):
    """:func:`focal_softmax` on the calling thread: the same rows, the same bits.

    The multiclass twin of :func:`focal_binary_serial`, for the same reason: a
    first fit on a fresh install compiles the quicker serial loop.
    """
    for i in range(z.shape[0]):
        _focal_softmax_row(y, z, i, alpha, gamma, floor, out_loss, out_grad, out_hess)


def run_multiclass(kernel, y, z, *params, serial=None, out=None):
    """Call a multiclass kernel on integer codes ``y``; return (loss, grad, hess).

    ``serial``: the kernel's one-thread twin, for small calls (see :func:`_serial_or_parallel`).
    ``out``: contiguous float64 arrays of shapes (n,), (n, K), (n, K) to write
    into (a fit's buffers, reused every round) instead of new ones.
    """
    z = np.ascontiguousarray(z, dtype=np.float64)
    if out is None:
        out = np.empty(z.shape[0]), np.empty_like(z), np.empty_like(z)
    loss, grad, hess = out
    # ~10 operations per entry (one exp and a few arithmetic operations).
    work = 10 * z.size
    kernel = _serial_or_parallel(kernel, serial, work)
    with numba_threads(requested_threads(), work=work):
        kernel(np.ascontiguousarray(y, dtype=np.intp), z, *params, loss, grad, hess)
    return loss, grad, hess


@njit(cache=True, inline="always")
def _dice_terms(u, p, y, alpha, gamma):
    """Dice term ``1 - (2 u y + gamma) / (u + y + gamma)`` of ``u = (1 - p)**alpha p``, and
    ``c1 = T'(u) A``, ``c2 = T''(u) A**2 + T'(u) B``.

    ``A = du/dz = u (1 - (1 + alpha) p)`` and ``B = u''(p) p**2 (1 - p)**2 =
    alpha u p ((1 + alpha) p - 2)`` are written through ``u``, so that no
    negative power of ``1 - p`` is ever formed; ``y`` is 0 or 1.
    """
    denom = u + y + gamma
    # d/du of (2uy + gamma) / denom is (2 y**2 + 2 y gamma - gamma) / denom**2.
    num = 2.0 * y + gamma * (2.0 * y - 1.0)
    t1 = -num / (denom * denom)
    t2 = 2.0 * num / (denom * denom * denom)
    a = u * (1.0 - (1.0 + alpha) * p)
    b = alpha * u * p * ((1.0 + alpha) * p - 2.0)
    return 1.0 - (2.0 * u * y + gamma) / denom, t1 * a, t2 * a * a + t1 * b


@njit(cache=True, inline="always")
def _positive(h, g, floor, max_step):
    """The booster's Hessian: the exact one, raised to ``|g| / max_step`` and ``floor``."""
    if floor == -math.inf:
        return h
    return max(h, abs(g) / max_step, floor)


@njit(cache=True, parallel=True)
def dice_binary(y, z, alpha, gamma, floor, max_step, out_loss, out_grad, out_hess):
    """Self-adjusting dice loss (Li et al. 2020) of the positive class's sigmoid probability.

    Returns the number of labels that are neither 0 nor 1.
    """
    bad = 0
    for i in prange(z.shape[0]):
        if y[i] != 0 and y[i] != 1:
            bad += 1
        zi = z[i]
        e = math.exp(-abs(zi))
        l1 = math.log1p(e)
        if zi >= 0.0:
            p, log_p, log_q = 1.0 / (1.0 + e), -l1, -zi - l1
        else:
            p, log_p, log_q = e / (1.0 + e), zi - l1, -l1
        u = math.exp(alpha * log_q + log_p)
        loss, c1, c2 = _dice_terms(u, p, 1.0 if y[i] == 1 else 0.0, alpha, gamma)
        out_loss[i] = loss
        out_grad[i] = c1
        out_hess[i] = _positive(c2 + c1 * (1.0 - 2.0 * p), c1, floor, max_step)
    return bad


@njit(cache=True, parallel=True)
def dice_softmax(y, z, alpha, gamma, floor, max_step, scratch, out_loss, out_grad, out_hess):
    """Sum over classes of the one-vs-rest dice terms of the softmax probabilities.

    Class k's term depends on margin j != k through ``dp_k/dz_j = -p_k p_j``;
    with ``r = p_j / (1 - p_k) <= 1`` that is ``-p_k (1 - p_k) r``, whose
    ``(1 - p_k)`` goes into ``A_k`` and ``B_k``: ``u_k`` carries
    ``(1 - p_k)**alpha``, so no power below ``alpha`` appears. ``scratch``
    (4, n, K) holds p, 1 - p, c1 and c2 of each row.
    """
    n_classes = z.shape[1]
    tiny = np.finfo(np.float64).tiny
    for i in prange(z.shape[0]):
        prob, comp, c1, c2 = scratch[0, i], scratch[1, i], scratch[2, i], scratch[3, i]
        top = -math.inf
        for k in range(n_classes):
            top = max(top, z[i, k])
        total = 0.0
        for k in range(n_classes):
            total += math.exp(z[i, k] - top)
        log_total = math.log(total)
        loss = 0.0
        for k in range(n_classes):
            log_p = z[i, k] - top - log_total
            p = math.exp(log_p)
            q = -math.expm1(log_p)  # 1 - p, accurate when p -> 1
            prob[k] = p
            comp[k] = q
            if alpha == 0.0:
                u = p
            elif q > 0.0:
                u = math.exp(alpha * math.log(q) + log_p)
            else:
                u = 0.0
            term, c1[k], c2[k] = _dice_terms(u, p, 1.0 if k == y[i] else 0.0, alpha, gamma)
            loss += term
        out_loss[i] = loss
        for j in range(n_classes):
            g = c1[j]
            h = c2[j] + c1[j] * (1.0 - 2.0 * prob[j])
            for k in range(n_classes):
                if k == j:
                    continue
                r = min(prob[j] / max(comp[k], tiny), 1.0)
                g -= c1[k] * r
                h += c2[k] * r * r - c1[k] * r * (1.0 - 2.0 * prob[j])
            out_grad[i, j] = g
            out_hess[i, j] = _positive(h, g, floor, max_step)
