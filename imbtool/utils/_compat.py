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
# imbtool.dask also needs dask.dataframe, whose imports need pandas and pyarrow.
DASK_DATAFRAME_INSTALLED = DASK_INSTALLED and PANDAS_INSTALLED and _available("pyarrow")
TQDM_INSTALLED = _available("tqdm")

# The extra (setup.cfg) that brings each optional top-level module. tqdm is a
# runtime dependency, so a missing one is reinstalled by name, not through an extra.
_EXTRA_OF = {
    "pandas": "pandas",
    "polars": "polars",
    "matplotlib": "plot",
    "xgboost": "xgboost",
    "dask": "dask",
    "distributed": "dask",
    "nbclient": "notebooks",
    "ipykernel": "notebooks",
}


def require(module_name, feature):
    """Import an optional dependency or raise an ImportError saying how to get it.

    Parameters
    ----------
    module_name : str
        Importable name, e.g. ``"matplotlib"`` or ``"matplotlib.pyplot"``.
    feature : str
        What the caller wanted to do, used in the message.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    ImportError
        When the module cannot be imported; the one-line message names the
        extra that brings it, e.g. ``pip install 'imbtool[plot]'``.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        package = module_name.partition(".")[0]
        extra = _EXTRA_OF.get(package)
        hint = f"pip install 'imbtool[{extra}]'" if extra else f"pip install {package}"
        raise ImportError(
            f"{feature} needs the optional dependency {package!r}; install it with {hint}."
        ) from exc
