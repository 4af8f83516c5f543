"""Whether a numba kernel can run without compiling first, and when its numpy twin runs instead."""

import sys
import time

from ._jit import LazyKernel

# A kernel's numpy twin runs until it has cost this many CPU seconds in a
# process (about what compiling a kernel costs on 2 cores; CPU, not wall,
# seconds, so that a busy machine does not switch early); later calls compile
# the kernel, once: a process that calls a twin often pays at most about
# twice the better choice.
TWIN_BUDGET_SECONDS = 2.0
# Seconds spent so far in each kernel's twin.
_twin_seconds = {}


def is_compiled(kernel):
    """True when ``kernel`` is compiled in this process or numba's disk cache holds it.

    A fresh install has neither: its first call compiles (seconds), which a
    caller with a numpy route for small inputs avoids. Only numba's cache
    index is read (a small pickle, checked against the kernel's source); a
    layout numba does not have reads as not compiled, which costs time, never
    a different answer.
    """
    if kernel.signatures:
        return True
    if isinstance(kernel, LazyKernel):
        kernel = kernel.dispatcher()
    try:
        return bool(kernel._cache._cache_file._load_index())
    except (AttributeError, OSError):
        return False


def numpy_first(kernel, work, small_work, large_work):
    """Whether a call of ``work`` units runs ``kernel``'s numpy twin (same answers) instead.

    Up to ``small_work`` while numba is not loaded: loading it just to look
    at its cache costs more (~0.3-0.8 s) than the numpy twin. Up to
    ``large_work`` while the kernel is compiled neither in this process nor
    in numba's cache: compiling costs seconds. A compiled kernel always runs:
    it is faster; so does one whose twin has used up its time budget. Each
    caller sizes both limits for its own twin.
    """
    if work > large_work or _twin_seconds.get(kernel, 0.0) > TWIN_BUDGET_SECONDS:
        return False
    if "numba" not in sys.modules and work <= small_work:
        return True
    return not is_compiled(kernel)


def run_kernel_or_twin(kernel, twin, work, small_work, large_work, *args):
    """``kernel(*args)``, or ``twin(*args)`` where :func:`numpy_first` says so (timed)."""
    if not numpy_first(kernel, work, small_work, large_work):
        return kernel(*args)
    start = time.process_time()
    try:
        return twin(*args)
    finally:
        _twin_seconds[kernel] = _twin_seconds.get(kernel, 0.0) + time.process_time() - start
