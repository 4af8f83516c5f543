"""A package's public names imported from their modules on first use (PEP 562).

A first call in a fresh process pays every import on its path: a package that imports
all of its modules makes ``from package import OneClass`` load the others too (and what
they import). With :func:`lazy_exports` the package's ``__init__`` lists where each name
lives instead, and a name's module is imported when the name is first looked up.
"""

import importlib
import sys


def lazy_exports(package, modules):
    """The ``__getattr__`` and ``__dir__`` of a package whose names load on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    modules : dict of {str: tuple of str}
        Each module of the package (``"._boosting"``) and the public names defined there.

    Returns
    -------
    getattr : callable
        The package's module-level ``__getattr__``: imports the module of a listed name,
        stores the value on the package (later look-ups do not come back here) and returns
        it; any other name raises AttributeError, as for a plain module.
    dir : callable
        The package's module-level ``__dir__``: its loaded attributes and every listed name.

    Examples
    --------
    >>> from imbtool.utils._lazy import lazy_exports
    >>> getattr_, dir_ = lazy_exports("json", {".decoder": ("JSONDecodeError",)})
    >>> getattr_("JSONDecodeError").__name__
    'JSONDecodeError'
    """
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name):
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__
