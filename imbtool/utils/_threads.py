"""Thread use, and the one rule for ``n_jobs``.

``n_jobs`` follows scikit-learn, which has two kinds of parallelism:

- Threads inside one call (imbtool's numba kernels, LightGBM's OpenMP
  threads): ``None`` and ``-1`` use every core available, as scikit-learn's
  OpenMP code does; for numba that is ``NUMBA_NUM_THREADS``. Spreading such a
  call over joblib workers as well would only oversubscribe the cores.
- Work spread over joblib workers (an ensemble's members, a search's
  candidates and folds): joblib's rule, ``None`` is 1 unless a
  :func:`joblib.parallel_config` context says otherwise and ``-1`` is every
  processor; the context also picks the backend (threads, processes, Dask).

Every public class states its kind in its ``n_jobs`` description with one of
the two sentences below, word for word, so that the rule reads the same
everywhere.
"""

import contextvars
import os
import sys
import threading
from contextlib import contextmanager
from numbers import Integral

from sklearn.utils._param_validation import Interval

# The sentence that ends the ``n_jobs`` description of a class whose work runs
# as threads inside one call.
N_JOBS_THREADS = (
    "``None`` and ``-1`` use every core available (threads inside one call, as "
    "scikit-learn's OpenMP code)."
)
# The sentence that ends the ``n_jobs`` description of a class whose work is
# spread over joblib workers.
N_JOBS_JOBLIB = (
    "``None`` means 1 unless in a :func:`joblib.parallel_config` context, ``-1`` "
    "every processor (joblib's rule)."
)

# The ``_parameter_constraints`` entry of every ``n_jobs``: None or a non-zero int. joblib
# refuses 0 ("has no meaning") while numba code would run it on one thread: refused alike.
N_JOBS_CONSTRAINT = [Interval(Integral, None, -1, closed="right"),
                     Interval(Integral, 1, None, closed="left"), None]


def _numba_pool_size():
    """numba's ``NUMBA_NUM_THREADS``; read as numba reads it while numba is not loaded.

    Loading numba (~0.3-0.8 s) only to count threads would cost a fit that
    runs no kernel more than the fit itself: numba takes the environment
    variable, else the processors this process may run on.
    """
    numba = sys.modules.get("numba")
    if numba is not None:
        return numba.config.NUMBA_NUM_THREADS
    try:
        return int(os.environ["NUMBA_NUM_THREADS"])
    except (KeyError, ValueError):
        pass
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform; numba then counts the cores
        return max(1, os.cpu_count() or 1)


def n_threads(n_jobs):
    """Numba threads for ``n_jobs``: None or -1 means every core numba may use."""
    available = _numba_pool_size()
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


# The threads an enclosing ``numba_threads(n_jobs)`` asked for while numba was
# not loaded (per thread and task, as a context variable), or None.
_requested = contextvars.ContextVar("imbtool_numba_threads", default=None)


def requested_threads():
    """numba's threads as an enclosing :func:`numba_threads` set them, or numba's current count."""
    requested = _requested.get()
    if requested is not None:
        return requested
    import numba

    return numba.get_num_threads()


@contextmanager
def numba_threads(n_jobs, work=None):
    """Run numba kernels on ``n_jobs`` threads, or on one when ``work`` is small.

    Small work before numba is loaded runs on the numpy paths: setting
    threads would load numba (and start its thread pool) for nothing. A
    kernel that does run there uses numba's default threads, which changes
    no result.
    """
    small = work is not None and work < PARALLEL_MIN_WORK
    if small and "numba" not in sys.modules:
        yield
        return
    if work is None and "numba" not in sys.modules:
        # Threads for whatever kernels the block may run (a booster's custom
        # objective): numba loads only with such a kernel, which reads this
        # request (requested_threads); the numpy twins need no numba at all.
        token = _requested.set(n_threads(n_jobs))
        try:
            yield
        finally:
            _requested.reset(token)
        return
    import numba

    previous = numba.get_num_threads()
    wanted = n_threads(n_jobs)  # also checks n_jobs
    if small:
        wanted = 1
    if wanted == previous:
        # Nothing to change: a booster's objective runs every round inside the fit's
        # own setting, and each set_num_threads costs ~5 us (two locks, a compiled check).
        yield
        return
    numba.set_num_threads(wanted)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


# The BLAS pools that :func:`one_blas_thread` limits, found once (a scan of
# the loaded libraries, ~10 ms), and how many callers are inside it now.
_blas = {"controller": None, "inside": 0, "limit": None}
_blas_lock = threading.Lock()


@contextmanager
def one_blas_thread():
    """Run numpy's BLAS calls on the calling thread only, then restore its threads.

    For the many small products of the numpy paths (a few MiB each): there
    OpenBLAS's threads cost more than they save, and on a busy machine far
    more, as they spin waiting for a core (a 10,000-row neighbour search: 1.2
    CPU s on one thread, 11.5 s on two at load ~13). Results do not depend on
    it. Callers in several threads share one limit, lifted when the last
    leaves, so that none restores a count another has set.
    """
    with _blas_lock:
        if _blas["inside"] == 0:
            if _blas["controller"] is None:
                from threadpoolctl import ThreadpoolController

                _blas["controller"] = ThreadpoolController()
            _blas["limit"] = _blas["controller"].limit(limits=1, user_api="blas")
        _blas["inside"] += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas["inside"] -= 1
            if _blas["inside"] == 0:
                _blas["limit"].restore_original_limits()
                _blas["limit"] = None
