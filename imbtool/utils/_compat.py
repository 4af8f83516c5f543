"""Availability flags for optional dependencies.

Every optional import in imbtool goes through this module, so that a missing
extra turns into a clear message (or a cleanly skipped test), never an
ImportError deep inside an estimator.
"""

import importlib
import importlib.util
import re


def _available(module_name):
    # find_spec does not import: probing matplotlib or distributed must not slow `import imbtool`.
    return importlib.util.find_spec(module_name) is not None


PANDAS_INSTALLED = _available("pandas")
POLARS_INSTALLED = _available("polars")
MATPLOTLIB_INSTALLED = _available("matplotlib")
XGBOOST_INSTALLED = _available("xgboost")
DASK_INSTALLED = _available("distributed")
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


def sklearn_calibration_methods():
    """The ``method`` values that scikit-learn's ``CalibratedClassifierCV`` accepts.

    ``"temperature"`` is new in scikit-learn 1.8; 1.6 and 1.7 have sigmoid and isotonic.
    """
    return ("sigmoid", "isotonic") + (("temperature",) if sklearn_at_least("1.8") else ())



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
    n_per_job = [n_estimators // n_jobs] * n_jobs
    for i in range(n_estimators % n_jobs):
        n_per_job[i] += 1
    starts = [0]
    for n in n_per_job:
        starts.append(starts[-1] + n)
    return n_jobs, n_per_job, starts


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


def balanced_class_weight(classes, y, sample_weight=None):
    """``compute_class_weight("balanced", classes=classes, y=y, sample_weight=sample_weight)``.

    scikit-learn takes ``sample_weight`` there from 1.7 on; on 1.6 the same weights are
    computed here: ``total weight / (n_classes_in_y * weight of the class)``.
    """
    import numpy as np
    from sklearn.utils.class_weight import compute_class_weight

    if sample_weight is None:
        return compute_class_weight("balanced", classes=classes, y=y)
    if sklearn_at_least("1.7"):
        return compute_class_weight("balanced", classes=classes, y=y, sample_weight=sample_weight)
    from sklearn.preprocessing import LabelEncoder
    from sklearn.utils.validation import _check_sample_weight

    classes = np.asarray(classes)
    if set(np.unique(y)) - set(classes):
        raise ValueError("classes should include all valid labels that can be in y")
    le = LabelEncoder()
    y_ind = le.fit_transform(y)
    if not np.all(np.isin(classes, le.classes_)):
        raise ValueError("classes should have valid labels that are in y")
    sample_weight = _check_sample_weight(sample_weight, y)
    counts = np.bincount(y_ind, weights=sample_weight, minlength=len(le.classes_))
    recip_freq = counts.sum() / (len(le.classes_) * counts)
    return recip_freq[le.transform(classes)]


def multiclass_brier_score(columns, y_proba, sample_weight=None):
    """Brier score of ``y_proba`` (n_samples, n_classes) against true column indices.

    Same value as ``brier_score_loss(columns, y_proba, labels=range(n_classes))`` on
    scikit-learn >= 1.7 (1.6 takes 1-D probabilities only): the weighted mean over
    samples of the squared distance to the one-hot target, halved when there are
    fewer than three columns.
    """
    import numpy as np

    y_proba = np.asarray(y_proba, dtype=np.float64)
    onehot = np.zeros_like(y_proba)
    onehot[np.arange(len(y_proba)), np.asarray(columns)] = 1.0
    score = np.average(np.sum((onehot - y_proba) ** 2, axis=1), weights=sample_weight)
    if y_proba.shape[1] < 3:
        score *= 0.5
    return float(score)
