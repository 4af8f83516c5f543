"""Numba kernels for standard normal draws: xoshiro256** bits through a ziggurat.

numpy's ``Generator.standard_normal`` calls its bit generator through a
function pointer per value (~12 ns a value on the project's 2-core machine);
inlined here the same method runs at ~5 ns, and it is the whole cost of the
smoothed bootstrap. Each stream is one xoshiro256** state (Blackman and
Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47, 2021),
seeded by numpy's ``SeedSequence``; values go through the 256-layer ziggurat
of Marsaglia and Tsang ("The ziggurat method for generating random
variables", J. Stat. Softw. 5(8), 2000).
"""

import math

import numpy as np

from ._jit import njit, prange

# 2**-53: 53 random bits as a float in [0, 1).
_UNIT = 1.1102230246251565e-16


@njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, inline="always")
def _next(s):
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(cache=True, inline="always")
def _unit(u):
    # The top 53 bits: the low ones pick the layer and the sign.
    return np.float64(u >> np.uint64(11)) * _UNIT


@njit(cache=True, inline="always")
def _normal(s, x, fx):
    """One standard normal; ``x``/``fx`` are the layer edges and the density there."""
    while True:
        u = _next(s)
        i = np.int64(u & np.uint64(255))
        z = _unit(u) * x[i]
        # ~99% of draws: strictly inside the layer's rectangle under the curve.
        if z < x[i + 1]:
            break
        if i == 0:
            # Beyond the base layer's edge r: Marsaglia's exact tail method.
            r = x[1]
            while True:
                a = -math.log(1.0 - _unit(_next(s))) / r
                b = -math.log(1.0 - _unit(_next(s)))
                if 2.0 * b > a * a:
                    break
            z = r + a
            break
        if fx[i] + _unit(_next(s)) * (fx[i + 1] - fx[i]) < math.exp(-0.5 * z * z):
            break
    return -z if (u >> np.uint64(8)) & np.uint64(1) else z


@njit(cache=True, parallel=True)
def normal_fill(out, states, rows_per_stream, x, fx):
    """Fill ``out`` (2-D, float32/float64) with normals, ``rows_per_stream`` rows per state.

    Stream ``c`` writes rows ``[c * rows_per_stream, (c + 1) * rows_per_stream)``
    from ``states[c]`` (copied, so ``states`` is left as given): the values do
    not depend on the number of threads.
    """
    n, d = out.shape
    for c in prange(states.shape[0]):
        s = states[c].copy()
        for i in range(c * rows_per_stream, min(n, (c + 1) * rows_per_stream)):
            for j in range(d):
                out[i, j] = _normal(s, x, fx)
