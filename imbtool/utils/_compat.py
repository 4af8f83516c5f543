"""Availability flags for optional dependencies.

Every optional import in imbtool goes through this module, so that a missing
extra turns into a clear message (or a cleanly skipped test), never an
ImportError deep inside an estimator.
"""

import importlib
import importlib.util


def _available(module_name):
    # find_spec does not import: probing matplotlib or distributed must not slow `import imbtool`.
    return importlib.util.find_spec(module_name) is not None


PANDAS_INSTALLED = _available("pandas")
POLARS_INSTALLED = _available("polars")
MATPLOTLIB_INSTALLED = _available("matplotlib")
XGBOOST_INSTALLED = _available("xgboost")
DASK_INSTALLED = _available("distributed")
TQDM_INSTALLED = _available("tqdm")

_EXTRA_OF = {
    "pandas": "test",
    "polars": "polars",
    "matplotlib": "plot",
    "xgboost": "gpu",
    "distributed": "dist",
    "tqdm": "test",
}


def require(module_name, feature):
    """Import an optional dependency or raise an ImportError saying how to get it.

    Parameters
    ----------
    module_name : str
        Importable name, e.g. ``"matplotlib"``.
    feature : str
        What the caller wanted to do, used in the message.

    Returns
    -------
    module
        The imported module.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        extra = _EXTRA_OF.get(module_name)
        hint = f"pip install 'imbtool[{extra}]'" if extra else f"pip install {module_name}"
        raise ImportError(
            f"{feature} needs the optional dependency {module_name!r}; install it with {hint}."
        ) from exc
