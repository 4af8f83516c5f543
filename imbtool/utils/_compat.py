"""Availability flags for optional dependencies, and stand-ins for private scikit-learn
helpers.

Every optional import in imbtool goes through this module, so that a missing
extra turns into a clear message (or a cleanly skipped test), never an
ImportError deep inside an estimator.
"""

import contextlib
import importlib
import importlib.util
import itertools
import re
import time


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


# --- scikit-learn helpers -------------------------------------------------------------
# imbtool supports scikit-learn >= 1.6 (see setup.cfg).  The helpers below stand in for
# private scikit-learn functions, whose names and signatures may change in any release,
# with code that only uses public API.  Each one gives the same result as the private
# function it replaces on every supported scikit-learn, so seeds and fitted models do not
# change with the scikit-learn version.

def sklearn_at_least(version):
    """Whether the installed scikit-learn is ``version`` (``"1.8"``) or newer."""
    from sklearn import __version__

    def _key(v):
        return tuple(int(part) for part in re.match(r"(\d+)\.(\d+)", v).groups())

    return _key(__version__) >= _key(version)


def routing_enabled():
    """Whether metadata routing is on (``sklearn.set_config(enable_metadata_routing=True)``).

    Public equivalent of ``sklearn.utils.metadata_routing._routing_enabled``.
    """
    from sklearn import get_config

    return bool(get_config().get("enable_metadata_routing", False))


def partition_estimators(n_estimators, n_jobs):
    """Split ``n_estimators`` into contiguous chunks, one per job.

    Same result as ``sklearn.ensemble._base._partition_estimators``.

    Returns
    -------
    n_jobs : int
        Number of chunks, at most ``n_estimators``.
    n_per_job : list of int
        Size of each chunk; the first ``n_estimators % n_jobs`` get one more.
    starts : list of int
        Chunk boundaries, ``n_jobs + 1`` of them, from 0 to ``n_estimators``.
    """
    from joblib import effective_n_jobs

    n_jobs = min(effective_n_jobs(n_jobs), n_estimators)
    n_per_job = [n_estimators // n_jobs + (i < n_estimators % n_jobs) for i in range(n_jobs)]
    return n_jobs, n_per_job, [0, *itertools.accumulate(n_per_job)]


def set_random_states(estimator, random_state=None):
    """Set every ``random_state`` parameter of ``estimator`` (nested ones too) to a seed.

    Same seeds, drawn in the same order, as ``sklearn.ensemble._base._set_random_states``:
    one ``randint(2**31 - 1)`` from ``random_state`` per parameter, in sorted name order.
    """
    import numpy as np
    from sklearn.utils import check_random_state

    random_state = check_random_state(random_state)
    to_set = {}
    for key in sorted(estimator.get_params(deep=True)):
        if key == "random_state" or key.endswith("__random_state"):
            to_set[key] = random_state.randint(np.iinfo(np.int32).max)
    if to_set:
        estimator.set_params(**to_set)


@contextlib.contextmanager
def print_elapsed_time(source, message=None):
    """Print ``message`` and the time the ``with`` block took, as scikit-learn's verbose
    pipelines do (``[Pipeline] ...... (step 1 of 2) Processing scaler, total=   0.0s``).

    Nothing is printed when ``message`` is None.
    """
    if message is None:
        yield
        return
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    elapsed_text = f"{elapsed / 60:4.1f}min" if elapsed > 60 else f" {elapsed:5.1f}s"
    prefix, suffix = f"[{source}] ", f" {message}, total={elapsed_text}"
    # scikit-learn pads every line with dots to 70 characters.
    print(f"{prefix}{'.' * (70 - len(prefix) - len(suffix))}{suffix}")
