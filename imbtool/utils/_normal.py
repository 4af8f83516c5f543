"""Standard normal noise written in place, reproducible for any thread count."""

import math

import numpy as np

# Edge of the base layer of the 256-layer ziggurat (Marsaglia and Tsang, 2000).
_R = 3.6541528853610088
# Rows of noise per random stream: the streams, not the threads, fix the values.
NOISE_ROWS = 16_384


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
    # Imported here: the kernel module loads numba, which most fits never need.
    from ._normal_kernels import normal_fill

    normal_fill(out, states, NOISE_ROWS, _X, _FX)
