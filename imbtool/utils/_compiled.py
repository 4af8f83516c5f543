"""Whether a numba kernel can run without compiling first, and when its numpy twin runs instead."""

import sys

from ._jit import LazyKernel


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
    it is faster. Each caller sizes both limits for its own twin.
    """
    if work > large_work:
        return False
    if "numba" not in sys.modules and work <= small_work:
        return True
    return not is_compiled(kernel)
