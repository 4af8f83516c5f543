"""Standard normal noise written in place, reproducible for any thread count."""

import math

import numpy as np

from ._compiled import run_kernel_or_twin
from ._normal_kernels import _UNIT, normal_fill

# Edge of the base layer of the 256-layer ziggurat (Marsaglia and Tsang, 2000).
_R = 3.6541528853610088
# Rows of noise per random stream: the streams, not the threads, fix the values.
NOISE_ROWS = 16_384
# Values drawn in Python (``_normal_fill_python``, ~2 us a value on an idle
# core) up to this many while numba is not loaded (~0.25 s: loading numba
# costs about as much), and up to LARGE_VALUES while the kernel is not
# compiled (~1 s, less than compiling it costs on 2 cores).
SMALL_VALUES = 1 << 17
LARGE_VALUES = 1 << 19
_MASK64 = (1 << 64) - 1


def ziggurat_tables(n_layers=256, r=_R):
    """Ziggurat layer edges ``x`` and the density ``exp(-x**2 / 2)`` there.

    ``x`` has ``n_layers + 1`` values, ``x[1] = r`` and ``x[-1] = 0``.

    Every layer has the area ``v`` of the base layer (the strip under the
    curve up to ``r`` plus the tail beyond it); ``x[0] = v / f(r)`` is the
    base layer's width as a rectangle.
    """
    def f(t):
        return math.exp(-0.5 * t * t)

    v = r * f(r) + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2))
    x = np.empty(n_layers + 1)
    x[0], x[1] = v / f(r), r
    for i in range(1, n_layers - 1):
        x[i + 1] = math.sqrt(-2.0 * math.log(v / x[i] + f(x[i])))
    x[n_layers] = 0.0
    return x, np.exp(-0.5 * x * x)


_X, _FX = ziggurat_tables()


def standard_normal_fill(out, random_state):
    """Fill a 2-D C-ordered float32/float64 array with standard normals, in place.

    One seed is taken from ``random_state`` (a ``RandomState``); fixed blocks
    of ``NOISE_ROWS`` rows each get their own stream spawned from it, and the
    blocks are filled on the numba threads set by the caller, so the values are
    the same for any thread count.
    """
    seed = np.random.SeedSequence(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    n_streams = max(1, -(-out.shape[0] // NOISE_ROWS))
    states = np.array([child.generate_state(4, np.uint64) for child in seed.spawn(n_streams)])
    # xoshiro256**'s one invalid state (all zero bits) would repeat zeros.
    states[~states.any(axis=1), 0] = 1
    run_kernel_or_twin(normal_fill, _normal_fill_python, out.size, SMALL_VALUES, LARGE_VALUES,
                       out, states, NOISE_ROWS, _X, _FX)


def _rotl(x, k):
    return ((x << k) & _MASK64) | (x >> (64 - k))


def _next(s):
    """xoshiro256** on a list of four Python ints, as ``_normal_kernels._next``."""
    s0, s1, s2, s3 = s
    result = (_rotl((s1 * 5) & _MASK64, 7) * 9) & _MASK64
    t = (s1 << 17) & _MASK64
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s[:] = s0, s1, s2, _rotl(s3, 45)
    return result


def _normal(s, x, fx):
    """``_normal_kernels._normal`` in Python floats (float64, the same operations)."""
    while True:
        u = _next(s)
        i = u & 255
        z = (u >> 11) * _UNIT * x[i]
        if z < x[i + 1]:
            break
        if i == 0:
            r = x[1]
            while True:
                a = -math.log(1.0 - (_next(s) >> 11) * _UNIT) / r
                b = -math.log(1.0 - (_next(s) >> 11) * _UNIT)
                if 2.0 * b > a * a:
                    break
            z = r + a
            break
        if fx[i] + (_next(s) >> 11) * _UNIT * (fx[i + 1] - fx[i]) < math.exp(-0.5 * z * z):
            break
    return -z if (u >> 8) & 1 else z


def _normal_fill_python(out, states, rows_per_stream, x, fx):
    """``_normal_kernels.normal_fill`` in Python: the same values, nothing to compile."""
    n, d = out.shape
    x, fx = x.tolist(), fx.tolist()
    for c in range(states.shape[0]):
        s = [int(v) for v in states[c]]
        rows = slice(c * rows_per_stream, min(n, (c + 1) * rows_per_stream))
        values = [_normal(s, x, fx) for _ in range((rows.stop - rows.start) * d)]
        out[rows] = np.array(values).reshape(out[rows].shape)
