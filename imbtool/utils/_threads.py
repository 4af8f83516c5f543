"""Thread use: how many numba threads a call gets."""

import os
from contextlib import contextmanager
from numbers import Integral

import numba


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
