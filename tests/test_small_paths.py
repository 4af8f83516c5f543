"""The numpy paths for small inputs give the kernels' answers bit for bit, and compile nothing."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from imbtool.neighbors import _kernels, _query, _small, kneighbors, nearest_other_class
from imbtool.neighbors._metrics import EUCLIDEAN, MANHATTAN, MIXED
from imbtool.over_sampling import _kernels as over_kernels
from imbtool.utils import _compiled

METRICS = [EUCLIDEAN, MANHATTAN, MIXED]


def _same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and bool(
        (a.view(np.uint8) == b.view(np.uint8)).all())


def _data(rng, kind, n, d, dtype):
    if kind == "grid":  # many ties and exact duplicates
        X = rng.integers(0, 3, size=(n, d))
    elif kind == "duplicates":
        X = rng.normal(size=(max(2, n // 4), d))[rng.integers(0, max(2, n // 4), size=n)]
    elif kind == "scales":  # columns of very different magnitude
        X = rng.normal(size=(n, d)) * np.logspace(-6, 6, d)
    else:
        X = rng.normal(size=(n, d))
    return np.ascontiguousarray(X, dtype=dtype)


def _query_case(rng, n):
    rows = np.sort(rng.choice(n, size=rng.integers(1, n + 1), replace=False)).astype(np.int64)
    crows = np.sort(rng.choice(n, size=rng.integers(max(12, n // 3), n + 1),
                               replace=False)).astype(np.int64)
    exclude = np.where(np.isin(rows, crows), rows, -1).astype(np.int64)
    return rows, crows, exclude


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["normal", "grid", "duplicates", "scales"])
@pytest.mark.parametrize("metric", METRICS)
def test_small_knn_equals_direct_kernel(dtype, kind, metric):
    rng = np.random.default_rng([metric, len(kind), np.dtype(dtype).itemsize])
    for _ in range(6):
        n, d = int(rng.integers(12, 300)), int(rng.integers(1, 13))
        X = _data(rng, kind, n, d, dtype)
        rows, crows, exclude = _query_case(rng, n)
        k = int(rng.integers(1, min(9, crows.size - 1) + 1))
        categorical = rng.random(d) < 0.5
        args = (X, rows, X, crows, exclude, k, metric, categorical, 0.75**2)
        d1, i1 = _kernels.knn_direct(*args)
        d2, i2 = _small.knn(*args)
        assert _same_bits(i1, i2)
        assert _same_bits(d1, d2)


def test_small_knn_blocks_and_separate_queries(monkeypatch):
    # Several query blocks, and queries that are not rows of the candidates' array.
    monkeypatch.setattr(_small, "BLOCK_PAIRS", 500)
    rng = np.random.default_rng(3)
    Xc = rng.integers(0, 4, size=(200, 3)).astype(np.float64)
    Xq = rng.integers(0, 4, size=(70, 3)).astype(np.float64)
    qrows = np.arange(70, dtype=np.int64)
    crows = np.arange(200, dtype=np.int64)
    exclude = np.full(70, -1, dtype=np.int64)
    for metric in METRICS:
        args = (Xq, qrows, Xc, crows, exclude, 7, metric, np.array([True, False, False]), 2.0)
        d1, i1 = _kernels.knn_direct(*args)
        d2, i2 = _small.knn(*args)
        assert _same_bits(i1, i2) and _same_bits(d1, d2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind, d", [("grid", 2), ("grid", 7), ("duplicates", 5),
                                     ("normal", 64), ("grid", 200), ("scales", 9)])
def test_sampled_threshold_equals_direct_kernel(monkeypatch, kind, d, dtype):
    """The euclidean filter's threshold from every stride-th candidate, over many small
    products, keeps every neighbour and tie: the kernel's answer, bit for bit, on tie-heavy
    (integers, duplicates) and high-dimensional data."""
    monkeypatch.setattr(_small, "SAMPLE_PER_NEIGHBOUR", 1)  # strides of 4-17 on small data
    monkeypatch.setattr(_small, "FILTER_BLOCK_PAIRS", 2000)
    monkeypatch.setattr(_small, "BLOCK_PAIRS", 20_000)
    rng = np.random.default_rng([d, len(kind), np.dtype(dtype).itemsize])
    strides = set()
    for _ in range(3):
        n = int(rng.integers(150, 400))
        X = _data(rng, kind, n, d, dtype)
        rows, crows, exclude = _query_case(rng, n)
        k = int(rng.integers(1, 10))
        strides.add(_small._filter_parts(X[crows].astype(np.float64), k)[3])
        args = (X, rows, X, crows, exclude, k, EUCLIDEAN, np.zeros(d, dtype=bool), 0.0)
        d1, i1 = _kernels.knn_direct(*args)
        d2, i2 = _small.knn(*args)
        assert _same_bits(i1, i2)
        assert _same_bits(d1, d2)
    assert min(strides) > 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind, d", [("grid", 2), ("grid", 7), ("duplicates", 5),
                                     ("normal", 64), ("normal", 3), ("scales", 9)])
def test_cross_nearest_equals_direct_kernel(monkeypatch, kind, d, dtype):
    """One filter pass for both sides of a pair of row sets (the cross search of two
    classes) gives each side's nearest row of the other, as the kernel finds it, bit for
    bit: sampled thresholds (strides > 1), several products, ties and duplicates."""
    monkeypatch.setattr(_small, "SAMPLE_PER_NEIGHBOUR", 1)
    monkeypatch.setattr(_small, "FILTER_BLOCK_PAIRS", 2000)
    rng = np.random.default_rng([d, len(kind), np.dtype(dtype).itemsize, 1])
    no_cat = np.zeros(d, dtype=bool)
    for _ in range(3):
        n = int(rng.integers(60, 400))
        X = _data(rng, kind, n, d, dtype)
        side = rng.random(n) < rng.uniform(0.1, 0.9)
        side[:2] = [True, False]
        a, b = np.flatnonzero(side), np.flatnonzero(~side)
        sa, ia, sb, ib = _small.cross_nearest(X, a, b)
        for q, c, s, i in ((a, b, sa, ia), (b, a, sb, ib)):
            dist, ind = _kernels.knn_direct(X, q, X, c, np.full(q.size, -1), 1, EUCLIDEAN,
                                            no_cat, 0.0)
            assert _same_bits(ind[:, 0], i)
            assert _same_bits(dist[:, 0], np.sqrt(s))


@pytest.mark.parametrize("kind", ["grid", "duplicates", "normal", "scales"])
def test_closer_counts_count_only_rows_certainly_nearer(kind):
    """ENN's cell pass counts rows nearer than a radius from one product a pair: never a
    row at or beyond it (radii set to exact distances, ties, duplicates), and nearly all
    rows below it."""
    rng = np.random.default_rng(len(kind))
    X = _data(rng, kind, 200, 5, np.float64)
    among = np.sort(rng.choice(200, 150, replace=False))
    rows = among[::3]
    dist, _ = _small.knn(X, rows, X, among, rows, among.size - 1, EUCLIDEAN,
                         np.zeros(5, dtype=bool), 0.0)
    radius = dist[np.arange(rows.size), rng.integers(0, among.size - 1, rows.size)]
    radius[:3] = [np.inf, 0.0, 1e-310]  # none counts: no bound, nothing nearer, subnormal
    got = _small.closer_counts(X, rows, among, radius)
    nearer = (dist < radius[:, None]).sum(axis=1)
    assert (got <= nearer).all() and (got[:3] == 0).all()
    assert (got == nearer).mean() > 0.9


def test_cross_nearest_declines_what_could_overflow():
    X = np.array([[0.0], [1e154], [-1e154], [2.0]])
    assert _small.cross_nearest(X, np.array([0, 1]), np.array([2, 3])) is None


def test_one_blas_thread_restores_the_count_nested_and_across_threads():
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    from imbtool.utils._threads import one_blas_thread

    def blas_threads():
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas_threads()
    with one_blas_thread():
        with one_blas_thread():
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {1}

    def use(_):
        with one_blas_thread():
            return set(blas_threads())

    with ThreadPoolExecutor(4) as pool:
        assert all(seen == {1} for seen in pool.map(use, range(16)))
    assert blas_threads() == before


def test_small_row_bounds_equal_kernel():
    rng = np.random.default_rng(4)
    for dtype in (np.float32, np.float64):
        X = _data(rng, "scales", 100, 5, dtype)
        rows, crows, _ = _query_case(rng, 100)
        expected = _kernels.row_bounds(X, rows, X, crows)
        for a, b in zip(expected, _small.row_bounds(X, rows, X, crows)):
            assert np.array_equal(a, b)


def _force_kernels(monkeypatch):
    monkeypatch.setattr(_query, "SMALL_MAX_PAIRS", -1)


@pytest.fixture(autouse=True)
def _numpy_first(monkeypatch):
    # Compiled kernels are preferred when ready (they are, after the first
    # test): these tests compare the two paths, so each picks its own.
    monkeypatch.setattr(_query, "is_compiled", lambda kernel: False)
    monkeypatch.setattr(_query, "_numpy_seconds", [0.0])
    monkeypatch.setattr(_compiled, "is_compiled", lambda kernel: False)
    monkeypatch.setattr(_compiled, "TWIN_BUDGET_SECONDS", np.inf)


@pytest.mark.parametrize("scale", [1.0, 2.0**-300, 1e150])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_search_same_on_both_sides_of_the_switch(monkeypatch, scale, dtype):
    """Every route of ``search`` (numpy, direct kernel, float32 filter) gives one answer."""
    if dtype == np.float32 and scale != 1.0:
        pytest.skip("float32 cannot hold these scales")
    rng = np.random.default_rng(5)
    X = np.ascontiguousarray(rng.integers(0, 5, size=(400, 4)) * scale, dtype=dtype)
    rows, crows, exclude = _query_case(rng, 400)
    no_cat = np.zeros(4, dtype=bool)
    answers = []
    for metric in (EUCLIDEAN, MANHATTAN):
        small = _query.search(X, rows, X, crows, exclude, 6, metric, no_cat, 0.0, None)
        with monkeypatch.context() as m:
            _force_kernels(m)
            direct = _query.search(X, rows, X, crows, exclude, 6, metric, no_cat, 0.0, None,
                                   filter_min_pairs=np.inf)
            filtered = _query.search(X, rows, X, crows, exclude, 6, metric, no_cat, 0.0, None,
                                     filter_min_pairs=0)
        for other in (direct, filtered):
            assert _same_bits(small[1], other[1])
            assert _same_bits(small[0], other[0])
        answers.append(small)
    assert answers[0][1].shape == (rows.size, 6)


def test_public_queries_same_across_the_switch(monkeypatch):
    rng = np.random.default_rng(6)
    X = rng.integers(0, 3, size=(300, 5)).astype(np.float64)
    y = rng.integers(0, 3, size=300)
    rows, among = rng.choice(300, 120, replace=False), rng.choice(300, 200, replace=False)
    params = {"categorical": [0, 3], "penalty": 1.5}
    calls = [
        lambda: kneighbors(X, 5, rows=rows, among=among),
        lambda: kneighbors(X, 4, metric="manhattan"),
        lambda: kneighbors(X, 3, rows=rows, metric="mixed", metric_params=params),
        lambda: nearest_other_class(X, y, rows=rows),
        lambda: nearest_other_class(X, y),  # the cross search of each pair of classes
    ]
    small = [call() for call in calls]
    _force_kernels(monkeypatch)
    for call, expected in zip(calls, small):
        for a, b in zip(expected, call()):
            assert _same_bits(a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_writers_equal_kernels(dtype):
    rng = np.random.default_rng(7)
    X = _data(rng, "scales", 150, 6, dtype)
    seeds = rng.integers(0, 150, size=400)
    partners = rng.integers(-1, 150, size=400)
    gaps = rng.uniform(size=400)
    out1, out2 = np.zeros((560, 6), dtype=dtype), np.zeros((560, 6), dtype=dtype)
    over_kernels.interpolate_kernel(X, seeds, X, partners, gaps, out1, 150)
    over_kernels.interpolate(X, seeds, X, partners, gaps, out2, 150)
    assert _same_bits(out1, out2)
    over_kernels.take_rows_kernel(X, seeds, out1, 7)
    over_kernels.take_rows(X, seeds, out2, 7)
    assert _same_bits(out1, out2)


def test_samplers_same_across_the_switch(monkeypatch):
    from sklearn.datasets import make_classification

    from imbtool.over_sampling import SMOTE, BorderlineSMOTE
    from imbtool.under_sampling import EditedNearestNeighbours

    X, y = make_classification(n_samples=600, n_features=6, weights=[0.8], random_state=0)
    X = np.round(X, 1)  # ties
    samplers = [SMOTE(random_state=0), BorderlineSMOTE(random_state=0),
                EditedNearestNeighbours()]
    small = [s.fit_resample(X, y) for s in samplers]
    _force_kernels(monkeypatch)
    monkeypatch.setattr(over_kernels, "SMALL_VALUES", -1)
    monkeypatch.setattr(over_kernels, "LARGE_VALUES", -1)
    for sampler, (Xs, ys) in zip(samplers, small):
        Xk, yk = sampler.fit_resample(X, y)
        assert _same_bits(Xs, Xk) and np.array_equal(ys, yk)


def _run_fresh(code, cache):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, check=True)


def test_import_compiles_nothing(tmp_path):
    """Importing the samplers loads no numba and compiles no kernel (both wait for first use)."""
    _run_fresh("""
        import sys
        import imbtool.combine, imbtool.neighbors, imbtool.over_sampling, imbtool.under_sampling
        # numba itself loads with the first kernel that runs.
        assert "numba" not in sys.modules
        from numba.core.registry import CPUDispatcher
        from imbtool.utils._jit import LazyKernel
        compiled = [f"{mod}.{name}" for mod, m in list(sys.modules.items())
                    if mod.startswith("imbtool") for name, f in vars(m).items()
                    if isinstance(f, (CPUDispatcher, LazyKernel)) and f.signatures]
        assert not compiled, compiled
    """, tmp_path)
    # numba creates the cache directories, empty, when it defines the kernels.
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_small_first_fits_compile_nothing(tmp_path):
    """A first SMOTE or ENN fit on small data, on an empty numba cache, compiles no kernel."""
    _run_fresh("""
        from sklearn.datasets import make_classification
        from imbtool.over_sampling import SMOTE
        from imbtool.under_sampling import EditedNearestNeighbours
        X, y = make_classification(n_samples=2000, n_features=10, weights=[0.9], random_state=0)
        SMOTE(random_state=0).fit_resample(X, y)
        EditedNearestNeighbours().fit_resample(X, y)
    """, tmp_path)
    assert not list(tmp_path.rglob("*.nbi"))


def test_kernels_run_where_nothing_can_cache(tmp_path):
    """Where neither the install nor a user directory is writable, kernels compile uncached."""
    _run_fresh("""
        import warnings
        import numpy as np
        from numba.core import caching
        # No writable place: numba finds no cache locator.
        caching.FunctionCache._impl_class._locator_classes = []
        from imbtool.under_sampling._kernels import farthest_sum
        X = np.arange(12.0).reshape(6, 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = farthest_sum(X, np.arange(3), np.arange(3, 6), 2)
        assert any("NUMBA_CACHE_DIR" in str(w.message) for w in caught)
        assert out.shape == (3,)
    """, tmp_path)
