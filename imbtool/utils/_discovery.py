"""Registry of imbtool's public estimators, found by walking the package."""

import inspect
import pkgutil
from importlib import import_module
from operator import itemgetter
from pathlib import Path

from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin

_TYPE_TESTS = {
    "classifier": lambda cls: issubclass(cls, ClassifierMixin),
    "transformer": lambda cls: issubclass(cls, TransformerMixin),
    # imbalanced-learn's sampler contract; a pipeline has fit_resample too, but only
    # through its last step, so it is not a sampler.
    "sampler": lambda cls: issubclass(cls, _sampler_mixin()),
}


def _sampler_mixin():
    # Imported on first use: importing imbalanced-learn loads every one of its
    # subpackages (about a second), which the estimators that are not samplers
    # (NearestNeighbors, the boosters) would otherwise pay through imbtool.utils.
    from imblearn.base import SamplerMixin

    return SamplerMixin



def all_estimators(type_filter=None):
    """List every public estimator class defined in imbtool.

    Parameters
    ----------
    type_filter : {"classifier", "transformer", "sampler"} or list of them, default=None
        Keep only estimators of these kinds. ``None`` keeps all.

    Returns
    -------
    estimators : list of (name, class) tuples
        Sorted by name.

    Examples
    --------
    >>> from imbtool.utils import all_estimators
    >>> names = [name for name, _ in all_estimators()]
    >>> "NearestNeighbors" in names
    True
    """
    # The package's folder, found from this file: importing the package itself from
    # here would import upward (utils is the lowest layer).
    package = str(Path(__file__).resolve().parents[1])
    found = {}
    for _, module_name, _ in pkgutil.walk_packages([package], prefix="imbtool."):
        parts = module_name.split(".")
        # imbtool.dask takes Dask collections only and reuses the in-memory classes' names
        # (its package docstring says why it is not listed); it needs the dask extra.
        if "tests" in parts or parts[1] in ("__main__", "dask"):
            continue
        module = import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                name.startswith(("_", "Base"))  # base classes are not estimators to use
                or name != cls.__name__  # an alias (a peer's spelling) is listed once, by its class
                or not cls.__module__.startswith("imbtool.")
                or not issubclass(cls, BaseEstimator)
                or inspect.isabstract(cls)
            ):
                continue
            found[name] = cls
    estimators = sorted(found.items(), key=itemgetter(0))

    if type_filter is not None:
        kinds = [type_filter] if isinstance(type_filter, str) else list(type_filter)
        unknown = set(kinds) - set(_TYPE_TESTS)
        if unknown:
            raise ValueError(
                f"type_filter got unknown kinds {sorted(unknown)}; "
                f"valid kinds are {sorted(_TYPE_TESTS)} or None."
            )
        estimators = [
            (name, cls) for name, cls in estimators if any(_TYPE_TESTS[k](cls) for k in kinds)
        ]
    return estimators
