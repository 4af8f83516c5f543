"""``njit`` and ``prange`` that leave numba unimported until a kernel first runs.

Importing numba costs about as much as importing imbalanced-learn; a fit that
runs no kernel (small data take the numpy paths) need not pay it. A kernel
defined with this ``njit`` becomes a numba dispatcher, with the same options
(and the same on-disk cache), at its first call. numba must then see numba
objects in the kernel module's globals when it compiles: the first kernel of
a module to run swaps every kernel and the ``prange`` placeholder there for
numba's own.
"""

import functools
import threading
import warnings

from ._warnings import ImbtoolRuntimeWarning

# Iterates as ``range`` in Python; numba's ``prange`` replaces it before compiling.
prange = range
_LOCK = threading.Lock()


class LazyKernel:
    """A numba kernel, created at its first call (or :meth:`dispatcher`)."""

    def __init__(self, py_func, options):
        functools.update_wrapper(self, py_func)
        self.py_func = py_func
        self._options = options
        self._dispatcher = None

    def dispatcher(self):
        """The numba dispatcher (created, not compiled, here)."""
        if self._dispatcher is None:
            with _LOCK:  # threads that meet a kernel first at once create it once
                if self._dispatcher is None:
                    self._create()
        return self._dispatcher

    def _create(self):
        import numba

        namespace = self.py_func.__globals__
        for kernel in [v for v in namespace.values() if isinstance(v, LazyKernel)] + [self]:
            if kernel._dispatcher is None:
                kernel._dispatcher = _jit(numba, kernel.py_func, kernel._options)
        for name, value in list(namespace.items()):
            if isinstance(value, LazyKernel):
                namespace[name] = value._dispatcher
            elif value is prange:
                namespace[name] = numba.prange

    @property
    def signatures(self):
        """The compiled signatures; empty until the kernel has run."""
        return [] if self._dispatcher is None else self._dispatcher.signatures

    def __call__(self, *args):
        return self.dispatcher()(*args)


def _jit(numba, py_func, options):
    try:
        return numba.njit(**options)(py_func)
    except RuntimeError as exc:
        # numba caches in __pycache__ beside the module, or else in a user
        # directory (NUMBA_CACHE_DIR, or ~/.cache/numba); where none of them
        # is writable it refuses to cache. Compiling every run is slow, not wrong.
        if not options.get("cache") or "no locator available" not in str(exc):
            raise
        warnings.warn(
            f"numba cannot cache imbtool's kernels ({exc}); they compile again in every "
            "process. Set NUMBA_CACHE_DIR to a writable directory to keep them.",
            ImbtoolRuntimeWarning, stacklevel=4)
        return numba.njit(**{**options, "cache": False})(py_func)


def njit(**options):
    """``numba.njit(**options)``, applied at the kernel's first call."""
    return lambda py_func: LazyKernel(py_func, options)
