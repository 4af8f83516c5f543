"""Kernels with a numpy (or Python) twin give the same bits on both paths, and compile nothing.

A first fit on small data, with numba's cache empty, runs the twins; a
compiled kernel runs whenever it is ready. Each twin is compared with its
kernel directly, each estimator that uses one is fitted on both sides of the
switch, and a fresh process checks that small first fits compile nothing.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from sklearn.datasets import make_classification

from imbtool.cost import _kernels as losses
from imbtool.neighbors import _query
from imbtool.over_sampling import _kernels as over
from imbtool.under_sampling import _kernels as under
from imbtool.utils import _compiled, _normal


def _same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.fixture
def twins(monkeypatch):
    """Kernels read as not compiled: calls up to each twin's limit run the twin."""
    monkeypatch.setattr(_compiled, "is_compiled", lambda kernel: False)
    monkeypatch.setattr(_compiled, "TWIN_BUDGET_SECONDS", np.inf)
    monkeypatch.setattr(_query, "is_compiled", lambda kernel: False)
    monkeypatch.setattr(_query, "_numpy_seconds", [0.0])


def _kernels_only(monkeypatch):
    """Every call over its twin's limit: the kernels run."""
    for module, names in [(over, ["SMALL_VALUES", "LARGE_VALUES"]),
                          (under, ["SMALL_TERMS", "LARGE_TERMS"]),
                          (_normal, ["SMALL_VALUES", "LARGE_VALUES"]),
                          (_query, ["SMALL_MAX_PAIRS"])]:
        for name in names:
            monkeypatch.setattr(module, name, -1)


def test_numpy_first_switches_at_the_limit(monkeypatch):
    kernel = object()
    monkeypatch.setattr(_compiled, "is_compiled", lambda k: False)
    assert _compiled.numpy_first(kernel, 100, 10, 100)
    assert not _compiled.numpy_first(kernel, 101, 10, 100)
    monkeypatch.setattr(_compiled, "is_compiled", lambda k: True)
    assert not _compiled.numpy_first(kernel, 100, 10, 100)

    def unread(k):
        raise AssertionError("the cache must not be read before numba is loaded")

    # numba not loaded yet: small work goes to the twin without looking at the cache.
    monkeypatch.delitem(sys.modules, "numba", raising=False)
    monkeypatch.setattr(_compiled, "is_compiled", unread)
    assert _compiled.numpy_first(kernel, 10, 10, 100)
    with pytest.raises(AssertionError, match="not be read"):
        _compiled.numpy_first(kernel, 11, 10, 100)


def test_twin_runs_until_its_time_budget_is_spent(monkeypatch):
    monkeypatch.setattr(_compiled, "is_compiled", lambda k: False)
    monkeypatch.setattr(_compiled, "_twin_seconds", {})
    monkeypatch.setattr(_compiled, "TWIN_BUDGET_SECONDS", 1.5)
    monkeypatch.setattr(_compiled, "time", _Clock())  # each twin call takes a second
    calls = []

    def kernel(x):
        calls.append("kernel")
        return x

    def twin(x):
        calls.append("twin")
        return x

    for _ in range(4):
        assert _compiled.run_kernel_or_twin(kernel, twin, 1, 10, 10, 7) == 7
    # 1 s, then 2 s: over the budget, the kernel from then on.
    assert calls == ["twin", "twin", "kernel", "kernel"]


@pytest.mark.parametrize("seed", range(4))
def test_vote_equals_kernel(twins, monkeypatch, seed):
    rng = np.random.default_rng(seed)
    for trial in range(30):
        n_rows, n_voters, n_cols = (int(v) for v in rng.integers(1, [40, 8, 5]))
        codes = rng.integers(0, rng.integers(1, 5), size=(rng.integers(n_voters, 50), n_cols))
        hoods = rng.integers(0, codes.shape[0], size=(n_rows, n_voters))
        u = [rng.uniform(size=(n_rows, n_cols)), np.zeros((n_rows, n_cols)),
             np.full((n_rows, n_cols), np.nextafter(1.0, 0.0))][trial % 3]
        expected = np.full((n_rows + 2, n_cols), -1, dtype=np.int64)
        got = expected.copy()
        over.vote_categories(codes, hoods, u, expected, 2)
        monkeypatch.setattr(over, "BLOCK_VALUES", int(rng.integers(1, 60)))  # several blocks
        over.vote(codes, hoods, u, got, 2)
        assert _same_bits(expected, got)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mean_distance_equals_kernel(twins, monkeypatch, dtype):
    rng = np.random.default_rng(1)
    for _ in range(30):
        d = int(rng.integers(1, 6))
        X = (rng.normal(size=(90, d)) * 10.0 ** rng.uniform(-5, 5, d)).astype(dtype)
        rows = rng.choice(90, int(rng.integers(2, 90)), replace=False)
        monkeypatch.setattr(over, "BLOCK_VALUES", int(rng.integers(1, 300)))
        assert over.mean_distance(X, rows) == over.mean_pairwise_distance(X, rows)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_under_sampling_twins_equal_kernels(twins, monkeypatch, dtype):
    rng = np.random.default_rng(2)
    for trial in range(40):
        n, d = int(rng.integers(3, 100)), int(rng.integers(1, 6))
        X = (rng.integers(0, 3, size=(n, d)) * (1.1 if trial % 2 else 1.0)).astype(dtype)  # ties
        rows = np.sort(rng.choice(n, int(rng.integers(1, n)), replace=False)).astype(np.int64)
        among = np.sort(rng.choice(n, int(rng.integers(1, n)), replace=False)).astype(np.int64)
        k = int(rng.integers(1, 6))  # more than ``among`` at times
        monkeypatch.setattr(under, "BLOCK_TERMS", int(rng.integers(1, 400)))
        assert _same_bits(under.farthest_sum(X, rows, among, k), under.farthest(X, rows, among, k))
        k, n_classes = int(rng.integers(1, 4)), 3
        base_d = np.sort(rng.integers(0, 4, size=(rows.size, k)).astype(np.float64), axis=1)
        base_lab = rng.integers(0, n_classes, size=(rows.size, k)).astype(np.int64)
        target = int(rng.integers(0, n_classes))
        blocked = rng.random(rows.size) < 0.2
        b1, b2, b3 = blocked.copy(), blocked.copy(), blocked.copy()
        expected = under.condense(X, rows, target, base_d, base_lab, b1, n_classes, 0,
                                  np.empty(0, dtype=np.int64))
        got = under.condense_rows(X, rows, target, base_d, base_lab, b2, n_classes)
        assert _same_bits(expected, got) and _same_bits(b1, b2)
        # Past its time budget the numpy pass hands the rest to the kernel.
        monkeypatch.setattr(under, "time", _Clock())
        monkeypatch.setattr(under, "CONDENSE_BUDGET_SECONDS", int(rng.integers(0, rows.size)))
        got = under.condense_rows(X, rows, target, base_d, base_lab, b3, n_classes)
        assert _same_bits(expected, got) and _same_bits(b1, b3)


class _Clock:
    """A ``time`` module whose clock advances a second at each reading."""

    def __init__(self):
        self.now = 0.0

    def process_time(self):
        self.now += 1.0
        return self.now


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shrinkage_twins_equal_kernels(twins, dtype):
    rng = np.random.default_rng(3)
    # Enough values to reach the ziggurat's wedges and its tail beyond r.
    states = rng.integers(1, 2**63, size=(3, 4), dtype=np.uint64)
    expected = np.zeros((9000, 5), dtype=dtype)
    got = expected.copy()
    _normal.normal_fill(expected, states, 4000, _normal._X, _normal._FX)
    _normal._normal_fill_python(got, states, 4000, _normal._X, _normal._FX)
    assert (np.abs(expected) > _normal._R).any()
    assert _same_bits(expected, got)
    X = rng.normal(size=(50, 5)).astype(dtype)
    rows = rng.integers(0, 50, size=300)
    scale = rng.uniform(size=5).astype(dtype)
    noise = rng.normal(size=(310, 5)).astype(dtype)
    a, b = noise.copy(), noise.copy()
    over.add_scaled_rows(X, rows, scale, a, 10)
    over.add_scaled(X, rows, scale, b, 10)
    assert _same_bits(a, b)


@pytest.mark.parametrize("label_dtype", [np.float32, np.float64, np.int64])
def test_serial_focal_kernel_equals_parallel(label_dtype):
    """The one-thread focal kernel gives the parallel kernel's bits, label check included."""
    rng = np.random.default_rng(4)
    # Enough rows for the parallel kernel to use its threads (see run_binary).
    z = np.concatenate([rng.normal(0, 4, 30_000), rng.normal(0, 1e-3, 500),
                        [0.0, -0.0, 5e-324, -5e-324, 1e-300, 36.0, -36.0, 700.0, -700.0,
                         1e308, -1e308]])
    y = (rng.random(z.size) < 0.3).astype(label_dtype)
    for gamma in [0.0, 0.5, 2.0, 3.7]:
        for floor in [-np.inf, 1e-6]:
            for bad_labels in [0, 3]:
                yy = y.copy()
                yy[:bad_labels] = 2
                params = (0.75, 0.25, gamma, floor)
                expected, n_bad = losses.run_binary(losses.focal_binary, yy, z, *params)
                out = np.empty((3, z.size))
                got = losses.focal_binary_serial(yy, z, *params, out[0], out[1], out[2])
                assert got == n_bad == bad_labels
                assert _same_bits(np.stack(expected), out)


@pytest.mark.parametrize("n_classes", [3, 7])
def test_serial_focal_softmax_equals_parallel(n_classes):
    """The one-thread multiclass focal kernel gives the parallel kernel's bits."""
    rng = np.random.default_rng(5)
    # Enough entries for the parallel kernel to use its threads (see run_multiclass).
    z = rng.normal(0, 4, (12_000, n_classes))
    z[:6] = [[700.0] * n_classes, [-700.0] * n_classes, [0.0] * n_classes,
             [1e-300] * n_classes, [36.0] + [-36.0] * (n_classes - 1),
             [-1e4] + [1e4] * (n_classes - 1)]
    y = rng.integers(0, n_classes, z.shape[0])
    alpha = rng.uniform(0.2, 1.0, n_classes)
    for gamma in [0.0, 0.5, 2.0, 3.7]:
        for floor in [-np.inf, 1e-6]:
            expected = losses.run_multiclass(losses.focal_softmax, y, z, alpha, gamma, floor)
            out = (np.empty(z.shape[0]), np.empty_like(z), np.empty_like(z))
            losses.focal_softmax_serial(y.astype(np.intp), z, alpha, gamma, floor, *out)
            for a, b in zip(expected, out):
                assert _same_bits(a, b)


@pytest.mark.parametrize("label_dtype", [np.float32, np.float64, np.int64])
def test_focal_twin_equals_kernel(label_dtype):
    """The numpy focal loss gives the kernel's bits (the serial kernel gives the parallel
    one's, above): extreme margins, every branch, the label count."""
    rng = np.random.default_rng(6)
    z = np.concatenate([rng.normal(0, 4, 3000), rng.normal(0, 1e-3, 200),
                        [0.0, -0.0, 5e-324, -5e-324, 1e-300, 36.0, -36.0, 700.0, -700.0,
                         745.2, -745.2, 1e308, -1e308]])
    y = (rng.random(z.size) < 0.3).astype(label_dtype)
    for gamma in [0.0, 0.5, 1.0, 2.0, 3.7]:
        for floor in [-np.inf, 1e-6]:
            for bad_labels in [0, 3]:
                yy = y.copy()
                yy[:bad_labels] = 2
                params = (0.75, 0.25, gamma, floor)
                expected, got = np.empty((3, z.size)), np.empty((3, z.size))
                n_bad = losses.focal_binary_serial(yy, z, *params, *expected)
                assert losses.focal_binary_numpy(yy, z, *params, *got) == n_bad == bad_labels
                assert _same_bits(expected, got)
    # Non-finite margins (never from a booster): the same values, NaN where the kernel's is.
    z = np.array([np.inf, -np.inf, np.nan, 1.0])
    for yy in (np.array([1, 0, 1, 0]), np.array([0, 1, 0, 1])):
        expected, got = np.empty((3, 4)), np.empty((3, 4))
        losses.focal_binary_serial(yy, z, 0.75, 0.25, 2.0, 1e-6, *expected)
        losses.focal_binary_numpy(yy, z, 0.75, 0.25, 2.0, 1e-6, *got)
        np.testing.assert_array_equal(expected, got)


@pytest.mark.parametrize("svml", [False, True])
def test_focal_twin_runs_only_where_numba_cannot_use_svml(twins, monkeypatch, svml):
    from imbtool.cost import FocalLoss

    calls = []
    twin = losses.focal_binary_numpy
    monkeypatch.setattr(losses, "focal_binary_numpy", lambda *a: calls.append(1) or twin(*a))
    monkeypatch.setattr(losses, "svml_possible", lambda: svml)
    rng = np.random.default_rng(7)
    y, z = (rng.random(500) < 0.2).astype(np.float64), rng.normal(size=500)
    got = FocalLoss(gamma=2.0).gradient_hessian(y, z)
    assert len(calls) == (0 if svml else 1)
    monkeypatch.setattr(losses, "svml_possible", lambda: True)
    expected = FocalLoss(gamma=2.0).gradient_hessian(y, z)
    assert all(_same_bits(a, b) for a, b in zip(expected, got))


def test_svml_read_without_numba_never_misses_numba_using_it(tmp_path):
    """The SVML test run before numba loads says True wherever numba then uses SVML."""
    code = """
        import sys
        from imbtool.utils._compiled import svml_possible
        before = svml_possible()
        assert "numba" not in sys.modules
        import numba
        assert before or not numba.config.USING_SVML
        assert svml_possible() == numba.config.USING_SVML
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, check=True)


class _Kernel:
    def __init__(self, compiled):
        self.signatures = ["sig"] if compiled else []


@pytest.mark.parametrize("parallel, serial, cached, work, expected", [
    (False, False, False, 100, "serial"),  # fresh install: the quick compile
    (False, True, False, 100, "serial"),
    (False, True, True, 100, "serial"),  # compiled here already
    (False, False, True, 100, "parallel"),  # in numba's cache: loads, no compile
    (True, False, False, 100, "parallel"),
    (False, False, False, losses.PARALLEL_MIN_WORK, "parallel"),  # threads pay
    (False, True, False, losses.PARALLEL_MIN_WORK, "parallel"),
])
def test_serial_kernel_only_for_small_work(monkeypatch, parallel, serial, cached, work,
                                           expected):
    kernels = {"parallel": _Kernel(parallel), "serial": _Kernel(serial)}
    monkeypatch.setattr(losses, "is_compiled", lambda k: k.signatures != [] or cached)
    chosen = losses._serial_or_parallel(kernels["parallel"], kernels["serial"], work)
    assert chosen is kernels[expected]
    assert losses._serial_or_parallel(kernels["parallel"], None, work) is kernels["parallel"]


def _estimators():
    from imbtool.over_sampling import SMOTEN, SMOTENC, KMeansSMOTE, RandomOverSampler
    from imbtool.under_sampling import CondensedNearestNeighbour, NearMiss

    return [
        ("nominal", SMOTEN(random_state=0)),
        ("mixed", SMOTENC([0, 1, 2], random_state=0)),
        ("real", KMeansSMOTE(random_state=0, cluster_balance_threshold=0.0)),
        ("real", RandomOverSampler(random_state=0, shrinkage=1.0)),
        ("real", NearMiss(version=2)),
        ("real", CondensedNearestNeighbour(random_state=0)),
    ]


@pytest.mark.parametrize("kind, sampler", _estimators(), ids=lambda v: type(v).__name__)
def test_samplers_same_across_the_switch(twins, monkeypatch, kind, sampler):
    X, y = make_classification(n_samples=500, n_features=6, weights=[0.8], random_state=0)
    X = np.round(X, 1)  # ties
    if kind == "nominal":
        X = np.clip(np.round(X), -2, 2).astype(np.int64)
    elif kind == "mixed":
        X[:, :3] = np.clip(np.round(X[:, :3]), -2, 2)
    X_twin, y_twin = sampler.fit_resample(X, y)
    _kernels_only(monkeypatch)
    X_kernel, y_kernel = sampler.fit_resample(X, y)
    assert _same_bits(X_twin, X_kernel) and _same_bits(y_twin, y_kernel)


def _sliced_samplers():
    from imbtool.combine import SMOTETomek
    from imbtool.over_sampling import LeeSMOTE
    from imbtool.under_sampling import TomekLinks

    return [LeeSMOTE(random_state=0), TomekLinks(), SMOTETomek(random_state=0)]


@pytest.mark.parametrize("sampler", _sliced_samplers(), ids=lambda v: type(v).__name__)
def test_same_rows_in_query_slices(twins, monkeypatch, sampler):
    """Queries searched in slices (numpy path or kernels): the same rows as one search."""
    X, y = make_classification(n_samples=500, n_features=6, weights=[0.8], random_state=0)
    X = np.round(X, 1)  # ties
    whole = sampler.fit_resample(X, y)
    monkeypatch.setattr(_query, "SMALL_MAX_PAIRS", 37 * 1000)  # slices of 37 queries or more
    sliced = sampler.fit_resample(X, y)
    _kernels_only(monkeypatch)
    kernels = sampler.fit_resample(X, y)
    for got in (sliced, kernels):
        assert all(_same_bits(a, b) for a, b in zip(whole, got))


def test_small_first_fits_compile_nothing(tmp_path):
    """First fits of the samplers with twins, on 2,000 rows and an empty cache, load no numba."""
    code = """
        import sys
        import numpy as np
        from sklearn.datasets import make_classification
        from imbtool.over_sampling import SMOTEN, SMOTENC, KMeansSMOTE, RandomOverSampler
        from imbtool.under_sampling import CondensedNearestNeighbour, NearMiss
        X, y = make_classification(n_samples=2000, n_features=10, weights=[0.9], random_state=0)
        N = np.clip(np.round(X), -2, 2).astype(np.int64)
        M = X.copy()
        M[:, :3] = N[:, :3]
        SMOTEN(random_state=0).fit_resample(N, y)
        SMOTENC([0, 1, 2], random_state=0).fit_resample(M, y)
        KMeansSMOTE(random_state=0, cluster_balance_threshold=0.0).fit_resample(X, y)
        RandomOverSampler(random_state=0, shrinkage=1.0).fit_resample(X, y)
        NearMiss(version=2).fit_resample(X, y)
        CondensedNearestNeighbour(random_state=0).fit_resample(X, y)
        assert "numba" not in sys.modules
    """
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, check=True)
    assert not list(tmp_path.rglob("*.nbi"))


def test_thread_request_before_numba_loads_reaches_the_kernels(tmp_path):
    """``numba_threads(n_jobs)`` with numba not loaded records the request without loading
    it; a kernel that then loads numba inside the block runs on the requested threads."""
    code = """
        import sys
        from imbtool.utils._threads import numba_threads, requested_threads
        with numba_threads(1):
            assert "numba" not in sys.modules and requested_threads() == 1
            import numba
            with numba_threads(requested_threads(), work=10**9):
                assert numba.get_num_threads() == 1
        assert requested_threads() == numba.config.NUMBA_NUM_THREADS
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, check=True)


def test_small_focal_booster_first_fit_loads_no_numba(tmp_path):
    """LightGBM with the default focal loss, 500 rows, an empty cache: the numpy focal twin,
    no kernel compiled, numba not loaded (where numba cannot use SVML)."""
    pytest.importorskip("lightgbm")
    code = """
        import sys
        from sklearn.datasets import make_classification
        from imbtool.boosters import LGBMImbalancedClassifier
        from imbtool.utils._compiled import svml_possible
        X, y = make_classification(n_samples=500, n_features=5, weights=[0.9], random_state=0)
        LGBMImbalancedClassifier(n_estimators=10, n_jobs=1).fit(X, y)
        assert svml_possible() or "numba" not in sys.modules
    """
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=tmp_path,
                   check=True)
    assert not list(tmp_path.rglob("*.nbi"))


@pytest.mark.parametrize("threads", [None, "3", "x"])
def test_thread_count_read_without_numba_matches_numba(tmp_path, threads):
    """The thread count read before numba loads is the one numba then reports."""
    code = """
        import sys
        from imbtool.utils._threads import _numba_pool_size
        before = _numba_pool_size()
        assert "numba" not in sys.modules
        import numba
        assert before == numba.config.NUMBA_NUM_THREADS == _numba_pool_size(), before
    """
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_NUM_THREADS"}
    if threads is not None:
        env["NUMBA_NUM_THREADS"] = threads
    subprocess.run([sys.executable, "-W", "ignore", "-c", textwrap.dedent(code)], env=env,
                   cwd=tmp_path, check=True)
