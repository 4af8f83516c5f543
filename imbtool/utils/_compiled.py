"""Whether a numba kernel can run without compiling first."""

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
