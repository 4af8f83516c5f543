"""Whether a numba kernel can run without compiling first, and when its numpy twin runs instead."""

import os
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


def run_kernel_or_twin(kernel, twin, work, small_work, large_work, *args, run=None):
    """``kernel(*args)``, or ``twin(*args)`` where :func:`numpy_first` says so (timed).

    ``run``: what runs instead of ``kernel(*args)`` on the compiled side (a
    caller that picks among kernels or sets their threads there).
    """
    if not numpy_first(kernel, work, small_work, large_work):
        return kernel(*args) if run is None else run()
    start = time.process_time()
    try:
        return twin(*args)
    finally:
        _twin_seconds[kernel] = _twin_seconds.get(kernel, 0.0) + time.process_time() - start


# The library numba loads to use Intel SVML, by platform (numba's own names).
_SVML_LIBRARY = {"linux": "libsvml.so", "darwin": "libsvml.dylib", "win32": "svml_dispmd"}
_svml = []


def svml_possible():
    """Whether numba may use Intel SVML's math functions in this process.

    Where SVML is installed (``icc_rt``) and not disabled, numba vectorises
    loops that call exp or log1p with SVML's versions, whose last bits differ
    from the C library's; a twin that computes them through Python's
    ``math`` (the C library, as numba calls them otherwise) then no longer
    gives the kernel's bits, so it must not run. Read from numba when it is
    loaded; otherwise numba's own test, without loading numba: SVML is off
    when ``NUMBA_DISABLE_INTEL_SVML`` is set or its library cannot be loaded
    (where it can, this answers True even if numba's LLVM lacks SVML: a
    compile then, never a different answer).
    """
    numba = sys.modules.get("numba")
    if numba is not None and hasattr(numba.config, "USING_SVML"):
        return bool(numba.config.USING_SVML)
    if not _svml:
        _svml.append(_svml_loadable())
    return _svml[0]


def _svml_loadable():
    try:
        if int(os.environ.get("NUMBA_DISABLE_INTEL_SVML", "0") or "0"):
            return False
    except ValueError:
        pass  # numba refuses such a value itself; answer as if SVML may run
    import ctypes

    name = _SVML_LIBRARY.get(sys.platform)
    if name is None:
        return False
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True
