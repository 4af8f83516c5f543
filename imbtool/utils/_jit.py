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

# Iterates as ``range`` in Python; numba's ``prange`` replaces it before compiling.
prange = range


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
            import numba

            namespace = self.py_func.__globals__
            lazy = [v for v in namespace.values() if isinstance(v, LazyKernel)] + [self]
            for kernel in lazy:
                if kernel._dispatcher is None:
                    kernel._dispatcher = numba.njit(**kernel._options)(kernel.py_func)
            for name, value in list(namespace.items()):
                if isinstance(value, LazyKernel):
                    namespace[name] = value._dispatcher
                elif value is prange:
                    namespace[name] = numba.prange
        return self._dispatcher

    @property
    def signatures(self):
        """The compiled signatures; empty until the kernel has run."""
        return [] if self._dispatcher is None else self._dispatcher.signatures

    def __call__(self, *args):
        return self.dispatcher()(*args)


def njit(**options):
    """``numba.njit(**options)``, applied at the kernel's first call."""
    return lambda py_func: LazyKernel(py_func, options)
