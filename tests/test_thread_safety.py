"""Thread safety: estimators fitted at once in two threads on shared read-only data.

Each pair is run one after another (the reference), then both at the same
time in two threads released together by a barrier, several times; every
concurrent result must be bit-identical to the reference. The pairs cover the
numba neighbour engine, the interpolation kernels, the cleaning kernels,
numba's per-thread ``set_num_threads`` (n_jobs=2 in one thread, 1 in the
other) and two ensembles. A static check asserts that no numba kernel reads
or writes module-level mutable state.
"""

import ast
import pathlib
import threading

import numpy as np
import pytest
from sklearn.base import clone

import imbtool
from imbtool import ensemble, over_sampling, under_sampling
from imbtool.datasets import load_dataset

# Every sampler runs on the same data in two threads; the data warnings are expected:
# - NearMiss-3 keeps every candidate when there are fewer than asked, as documented.
pytestmark = [
    pytest.mark.filterwarnings("ignore:NearMiss-3 found only"
                               ":imbtool.utils.ImbtoolWarning"),
]

PAIRS = [
    (over_sampling.SMOTE(random_state=0, n_jobs=2),
     under_sampling.EditedNearestNeighbours(n_jobs=1)),
    (over_sampling.ADASYN(random_state=1), under_sampling.TomekLinks()),
    (over_sampling.BorderlineSMOTE(random_state=2, n_jobs=1),
     under_sampling.NeighbourhoodCleaningRule(n_jobs=2)),
    (over_sampling.MWMOTE(random_state=3), under_sampling.NearMiss(version=3)),
    (over_sampling.SMOTENC(categorical_features=[0], random_state=4),
     under_sampling.CondensedNearestNeighbour(random_state=5)),
    (ensemble.SMOTEBoostClassifier(n_estimators=5, random_state=0),
     ensemble.BalancedRandomForestClassifier(n_estimators=10, random_state=0, n_jobs=2)),
]
REPEATS = 3


@pytest.fixture(scope="module")
def shared_data():
    X, y = load_dataset("ecoli1", return_X_y=True)
    X = X.copy()
    X[:, 0] = np.floor(X[:, 0] * 4)  # SMOTENC's nominal column; others see a coarse feature
    X.flags.writeable = False
    y = y.copy()
    y.flags.writeable = False
    return X, y


def _result(estimator, X, y):
    estimator = clone(estimator)
    if hasattr(estimator, "fit_resample"):
        return [np.asarray(a) for a in estimator.fit_resample(X, y)]
    return [estimator.fit(X, y).predict_proba(X)]


def _concurrently(estimators, X, y):
    barrier = threading.Barrier(len(estimators))
    results, errors = [None] * len(estimators), []

    def work(i):
        try:
            barrier.wait()
            results[i] = _result(estimators[i], X, y)
        except BaseException as exc:  # re-raised in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(estimators))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: "+".join(type(e).__name__ for e in p))
def test_two_threads_give_the_sequential_results(pair, shared_data):
    X, y = shared_data
    reference = [_result(estimator, X, y) for estimator in pair]
    for _ in range(REPEATS):
        for ref, got in zip(reference, _concurrently(pair, X, y), strict=True):
            for a, b in zip(ref, got, strict=True):
                assert a.dtype == b.dtype and a.shape == b.shape
                assert a.tobytes() == b.tobytes(), "a concurrent fit changed the result"


def _numba_modules():
    root = pathlib.Path(imbtool.__file__).parent
    # utils/_jit.py defines the lazy ``njit`` the kernel modules use; it has no kernel.
    return sorted(p for p in root.rglob("*.py")
                  if "njit" in p.read_text() and p != root / "utils" / "_jit.py")


def _is_njit(node):
    def name(d):
        d = d.func if isinstance(d, ast.Call) else d
        return d.attr if isinstance(d, ast.Attribute) else getattr(d, "id", "")
    return any(name(d) in ("njit", "jit") for d in node.decorator_list)


def _immutable(value):
    """A module-level value a kernel may read: a number, string or tuple of them."""
    try:
        constant = ast.literal_eval(value)
    except ValueError:
        return False
    return isinstance(constant, (int, float, complex, str, bytes, bool, tuple, type(None)))


@pytest.mark.parametrize("path", _numba_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_numba_kernels_hold_no_module_level_mutable_state(path):
    """No ``global`` statement in a kernel, and no kernel names a module-level mutable value.

    numba freezes globals into the compiled code, so a module-level array a
    kernel reads would silently stop tracking later changes; writes would be
    shared across threads. Kernels get all state through their arguments.
    """
    tree = ast.parse(path.read_text())
    mutable = {
        target.id
        for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and node.value is not None and not _immutable(node.value)
    }
    kernels = [node for node in ast.walk(tree)
               if isinstance(node, ast.FunctionDef) and _is_njit(node)]
    assert kernels, f"{path} mentions njit but defines no kernel"
    for kernel in kernels:
        for node in ast.walk(kernel):
            assert not isinstance(node, (ast.Global, ast.Nonlocal)), (
                f"{kernel.name} in {path.name} declares global state")
            if isinstance(node, ast.Name):
                assert node.id not in mutable, (
                    f"{kernel.name} in {path.name} uses the module-level mutable {node.id}")
