"""Thread use: numba thread counts, and in-place fills on plain threads."""

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from numbers import Integral

import numba
import numpy as np


def n_threads(n_jobs):
    """Numba threads for ``n_jobs``: None or -1 means every core numba may use."""
    available = numba.config.NUMBA_NUM_THREADS
    if n_jobs is None:
        return available
    if not isinstance(n_jobs, Integral) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero integer or None; got {n_jobs!r}.")
    if n_jobs < 0:
        return max(1, min(available, (os.cpu_count() or 1) + 1 + n_jobs))
    return min(int(n_jobs), available)


# A parallel numba call hands its work to other threads: microseconds on an idle
# machine, but a whole scheduler time slice (8 ms measured for a 200-element
# kernel) when other processes hold the cores, e.g. the joblib workers of a
# search each starting their own threads. Calls with less work than this
# (element operations, ~1 ms on one core) run on the calling thread.
PARALLEL_MIN_WORK = 1_000_000


@contextmanager
def numba_threads(n_jobs, work=None):
    """Run numba kernels on ``n_jobs`` threads, or on one when ``work`` is small."""
    previous = numba.get_num_threads()
    wanted = n_threads(n_jobs)
    numba.set_num_threads(1 if work is not None and work < PARALLEL_MIN_WORK else wanted)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


# Rows of noise per random stream: the streams, not the threads, fix the values.
_NOISE_ROWS = 16_384


def standard_normal_fill(out, random_state, workers=None):
    """Fill a C-ordered float array with standard normals on ``workers`` threads.

    numpy's Generator writes normals in the output's dtype without temporaries
    and releases the GIL, so fixed row chunks, each drawn from its own stream
    spawned from one seed taken from ``random_state``, fill in parallel and
    give the same values for any thread count. ``workers=None`` uses every
    core numba may use.
    """
    seed = np.random.SeedSequence(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    starts = range(0, out.shape[0], _NOISE_ROWS)
    streams = [np.random.default_rng(s) for s in seed.spawn(len(starts))]

    def fill(i):
        streams[i].standard_normal(out=out[starts[i]:starts[i] + _NOISE_ROWS], dtype=out.dtype)

    workers = min(n_threads(None) if workers is None else workers, len(starts))
    # Plain threads, not joblib: the chunks are written in place, which a joblib backend
    # set by the caller (Dask, processes) would do in copies.
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(fill, range(len(starts))))
    else:
        for i in range(len(starts)):
            fill(i)
