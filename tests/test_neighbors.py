"""The neighbour engine is exact: brute-force references, scikit-learn, imbalanced-learn."""

import os
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer
from sklearn.neighbors import NearestNeighbors as SkNN

from imbtool.datasets import load_dataset
from imbtool.neighbors import NearestNeighbors, _query, kneighbors, nearest_other_class


def brute(Xq, Xc, k, exclude=None, metric="euclidean", categorical=None, penalty=0.0):
    """Reference: every distance in float64, ordered by (distance, index).

    Euclidean distances are ordered by their squares, as the engine does: two
    squared sums one ulp apart can share a square root.
    """
    Xq = np.asarray(Xq, dtype=np.float64)
    Xc = np.asarray(Xc, dtype=np.float64)
    diff = Xq[:, None, :] - Xc[None, :, :]
    if metric == "manhattan":
        terms = np.abs(diff)
    else:
        terms = diff**2
        if metric == "mixed":
            terms[:, :, categorical] = (diff[:, :, categorical] != 0) * penalty**2
    # Feature by feature, as the engine sums: numpy's pairwise sum can split exact ties of
    # real data (yeast4 has distances equal in exact arithmetic that differ by an ulp).
    D = np.zeros(terms.shape[:2])
    for j in range(terms.shape[2]):
        D += terms[:, :, j]
    if exclude is not None:
        D[np.arange(len(Xq))[exclude >= 0], exclude[exclude >= 0]] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(Xc.shape[0]), D.shape), D), axis=-1)[:, :k]
    nearest = np.take_along_axis(D, order, 1)
    return (nearest if metric == "manhattan" else np.sqrt(nearest)), order


@pytest.fixture(params=["direct", "filtered"])
def engine_path(request, monkeypatch):
    """Run a test on each exact path: they must agree with the reference alike.

    The setting holds for all the examples hypothesis draws in one test.
    """
    monkeypatch.setattr(_query, "FILTER_MIN_PAIRS", 0 if request.param == "filtered" else 10**18)
    return request.param


def _assert_same_neighbours(got, expected):
    assert_array_equal(got[1], expected[1])
    assert_allclose(got[0], expected[0], rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(2, 60),
    d=st.integers(1, 9),
    k=st.integers(1, 8),
    seed=st.integers(0, 2**31 - 1),
    dtype=st.sampled_from([np.float64, np.float32]),
    ties=st.booleans(),
)
def test_all_points_equal_brute_force(engine_path, n, d, k, seed, dtype, ties):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if ties:  # a coarse grid makes many equal distances and duplicate rows
        X = np.round(X)
    X = X.astype(dtype)
    k = min(k, n - 1)
    got = NearestNeighbors(n_neighbors=k).fit(X).kneighbors()
    _assert_same_neighbours(got, brute(X, X, k, exclude=np.arange(n)))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(3, 50),
    d=st.integers(1, 6),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
    metric=st.sampled_from(["euclidean", "manhattan", "mixed"]),
)
def test_subset_queries_equal_brute_force(engine_path, n, d, k, seed, metric):
    rng = np.random.default_rng(seed)
    k = min(k, n - 1)
    X = rng.normal(size=(n, d))
    params, categorical, penalty = None, None, 0.0
    if metric == "mixed":
        categorical = rng.random(d) < 0.5
        X[:, categorical] = rng.integers(0, 3, size=(n, categorical.sum()))
        penalty = float(rng.uniform(0.1, 2))
        params = {"categorical": categorical, "penalty": penalty}
    rows = rng.choice(n, size=rng.integers(1, n + 1), replace=False)
    among = np.sort(rng.choice(n, size=rng.integers(k + 1, n + 1), replace=False))
    got = kneighbors(X, k, rows=rows, among=among, metric=metric, metric_params=params)
    exclude = np.array([np.searchsorted(among, r) if r in among else -1 for r in rows])
    ref_d, ref_pos = brute(X[rows], X[among], k, exclude, metric, categorical, penalty)
    _assert_same_neighbours(got, (ref_d, among[ref_pos]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(2, 60), n_classes=st.integers(1, 4), seed=st.integers(0, 2**31 - 1))
def test_nearest_other_class_equals_brute_force(engine_path, n, n_classes, seed):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, 3)), 1)
    y = rng.integers(0, n_classes, size=n).astype(str)
    dist, ind = nearest_other_class(X, y)
    D = ((X[:, None] - X[None]) ** 2).sum(-1)
    D[y[:, None] == y[None, :]] = np.inf
    expected_ind = np.where(np.isinf(D.min(1)), -1, D.argmin(1))  # argmin: first = lowest index
    assert_array_equal(ind, expected_ind)
    assert_allclose(dist, np.sqrt(D.min(1)))


def test_equals_sklearn_on_real_data():
    X = load_breast_cancer().data
    k = 6
    ours = NearestNeighbors(n_neighbors=k).fit(X)
    theirs = SkNN(n_neighbors=k, algorithm="brute").fit(X)
    for query in (None, X[::7] + 0.5):
        _assert_same_neighbours_close(ours.kneighbors(query), theirs.kneighbors(query))
    assert_array_equal(ours.kneighbors_graph(mode="distance").indices,
                       theirs.kneighbors_graph(mode="distance").indices)
    assert_allclose(ours.kneighbors_graph(mode="distance").data,
                    theirs.kneighbors_graph(mode="distance").data, rtol=1e-9)
    assert_array_equal(ours.kneighbors_graph(X[:5]).toarray(),
                       theirs.kneighbors_graph(X[:5]).toarray())


@pytest.mark.parametrize("name", ["page-blocks0", "satimage", "segment0", "yeast4", "abalone19"])
def test_equals_brute_force_on_real_keel_data(engine_path, name):
    # Real tables have duplicate rows and tied distances: the (distance, index) order must hold.
    X, _ = load_dataset(name, return_X_y=True)
    rows = np.linspace(0, len(X) - 1, 150).astype(np.int64)
    dist, ind = kneighbors(X, 6, rows=rows)
    expected_dist, expected_ind = brute(X[rows], X, 6, exclude=rows)
    assert_array_equal(ind, expected_ind)
    assert_allclose(dist, expected_dist, rtol=1e-12, atol=1e-12)
    # scikit-learn's |x|^2 - 2x.y + |y|^2 leaves ~1e-5 on duplicates of large-valued rows.
    sk_dist, _ = SkNN(n_neighbors=6, algorithm="brute").fit(X).kneighbors(X[rows], 7)
    assert_allclose(dist, sk_dist[:, 1:], rtol=1e-6, atol=1e-4)


def _assert_same_neighbours_close(got, expected):
    # scikit-learn computes distances as |x|^2 - 2x.y + |y|^2: equal to rounding.
    assert_array_equal(got[1], expected[1])
    assert_allclose(got[0], expected[0], rtol=1e-7)


def test_manhattan_equals_sklearn(engine_path):
    X = load_breast_cancer().data[:200]
    got = NearestNeighbors(n_neighbors=4, metric="manhattan").fit(X).kneighbors()
    expected = SkNN(n_neighbors=4, metric="manhattan", algorithm="brute").fit(X).kneighbors()
    _assert_same_neighbours_close(got, expected)


def test_filtered_path_is_exact_with_large_offset_and_scale():
    # A large common offset and disparate column scales stress the float32
    # filter: its error margin must still keep every true neighbour.
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3000, 5)) * [1e-3, 1, 1e3, 1, 1] + 1e6
    got = kneighbors(X, 5)
    _assert_same_neighbours(got, brute(X, X, 5, exclude=np.arange(len(X))))


@pytest.mark.parametrize("grid", [False, True])
def test_filtered_path_is_exact_across_partial_tiles_and_blocks(engine_path, grid):
    from imbtool.neighbors import _kernels
    from imbtool.neighbors._simd import TILE_C, TILE_Q

    # Query and candidate counts that leave partial register tiles (6 x 16) and
    # partial task and packing blocks; a coarse grid adds exact ties and duplicates.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(1500, 7)) * 3
    if grid:
        X = np.round(X)
    rows = rng.choice(1500, size=_kernels.FILTER_Q + TILE_Q + 5, replace=False)
    among = np.sort(rng.choice(1500, size=_kernels.FILTER_C + TILE_C + 11, replace=False))
    got = kneighbors(X, 9, rows=rows, among=among)
    exclude = np.array([np.searchsorted(among, r) if r in among else -1 for r in rows])
    ref_d, ref_i = brute(X[rows], X[among], 9, exclude=exclude)
    _assert_same_neighbours(got, (ref_d, among[ref_i]))


def test_filter_is_exact_with_the_other_vector_width(tmp_path):
    """The tile is 16 lanes wide on AVX-512 hosts, else 8: run the width this host does not use."""
    import subprocess
    import sys

    script = """
import sys
import numpy as np
from imbtool.neighbors import _kernels, _query, _simd, kneighbors
lanes = 24 - _simd._LANES  # 8 <-> 16, set before the first (fresh) compilation
_simd._LANES, _simd.TILE_C, _kernels.TILE_C = lanes, 2 * lanes, 2 * lanes
_query.FILTER_MIN_PAIRS = 0
X = np.round(np.random.default_rng(5).normal(size=(700, 6)) * 2)
dist, ind = kneighbors(X, 7)
np.save(sys.argv[1], np.stack([dist, ind]))
print(lanes)
"""
    out = tmp_path / "result.npy"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", script, str(out)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    from imbtool.neighbors import _simd

    assert int(done.stdout.split()[-1]) == 24 - _simd._LANES
    dist, ind = np.load(out)
    X = np.round(np.random.default_rng(5).normal(size=(700, 6)) * 2)
    _assert_same_neighbours((dist, ind.astype(np.int64)), brute(X, X, 7, exclude=np.arange(700)))


def test_float32_bound_is_rounded_up():
    from imbtool.neighbors._kernels import _up32

    x = np.random.default_rng(0).normal(size=2000) * 10.0 ** np.arange(-10, 10).repeat(100)
    for value in np.concatenate([x, [0.0, np.inf, 1.0, 2.0**-30]]):
        up = _up32(value)
        assert np.float64(up) >= value
        assert np.float64(np.nextafter(up, np.float32(-np.inf))) < value or up == value


def test_ties_resolve_to_the_lower_index(engine_path):
    X = np.zeros((10, 2))
    dist, ind = NearestNeighbors(n_neighbors=3).fit(X).kneighbors()
    assert_array_equal(ind[0], [1, 2, 3])
    assert_array_equal(ind[5], [0, 1, 2])
    assert_array_equal(dist, 0)
    _, ind = NearestNeighbors(n_neighbors=2).fit(X).kneighbors(np.ones((1, 2)))
    assert_array_equal(ind, [[0, 1]])


def test_float32_is_not_copied_and_results_do_not_depend_on_n_jobs():
    X = np.random.default_rng(0).normal(size=(2000, 8)).astype(np.float32)
    nn = NearestNeighbors(n_neighbors=5, n_jobs=1).fit(X)
    assert nn._fit_X is X
    one = nn.kneighbors()
    two = nn.set_params(n_jobs=2).kneighbors()
    assert_array_equal(one[0], two[0])
    assert_array_equal(one[1], two[1])
    _assert_same_neighbours(one, brute(X, X, 5, exclude=np.arange(len(X))))


def test_inputs_are_never_modified_and_read_only_input_works():
    X = np.random.default_rng(0).normal(size=(300, 4))
    X.flags.writeable = False
    before = X.copy()
    nn = NearestNeighbors(n_neighbors=3).fit(X)
    nn.kneighbors(X[:10])
    kneighbors(X, 3, rows=[1, 2])
    nearest_other_class(X, np.arange(300) % 2)
    assert_array_equal(X, before)


def test_pandas_and_lists_work_like_arrays():
    pd = pytest.importorskip("pandas")
    X = np.random.default_rng(0).normal(size=(50, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c"], index=np.arange(100, 150))
    expected = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X[:4])
    _assert_same_neighbours(NearestNeighbors(n_neighbors=3).fit(frame).kneighbors(frame.iloc[:4]),
                            expected)
    _assert_same_neighbours(NearestNeighbors(n_neighbors=3).fit(X.tolist()).kneighbors(X[:4].tolist()),
                            expected)


def test_pickle_round_trip_gives_the_same_answer():
    X = np.random.default_rng(0).normal(size=(100, 3))
    nn = NearestNeighbors(n_neighbors=4).fit(X)
    clone = pickle.loads(pickle.dumps(nn))
    assert_array_equal(clone.kneighbors()[1], nn.kneighbors()[1])


def test_imblearn_samplers_accept_the_engine_and_give_the_same_output():
    from imblearn.over_sampling import ADASYN, SMOTE
    from imblearn.under_sampling import EditedNearestNeighbours

    data = load_breast_cancer()
    X, y = data.data, data.target
    for ours, theirs in [
        (SMOTE(k_neighbors=NearestNeighbors(n_neighbors=6), random_state=0), SMOTE(random_state=0)),
        (ADASYN(n_neighbors=NearestNeighbors(n_neighbors=6), random_state=0),
         ADASYN(random_state=0)),
        (EditedNearestNeighbours(n_neighbors=NearestNeighbors(n_neighbors=4)),
         EditedNearestNeighbours()),
    ]:
        Xo, yo = ours.fit_resample(X, y)
        Xt, yt = theirs.fit_resample(X, y)
        assert_allclose(Xo, Xt)
        assert_array_equal(yo, yt)


@pytest.mark.parametrize(
    "X, match",
    [
        ([[0.0, np.nan], [1.0, 2.0]], "NaN"),
        ([[0.0, np.inf], [1.0, 2.0]], "infinity"),
        (np.empty((0, 3)), "0 sample"),
        (np.empty((3, 0)), "0 feature"),
    ],
)
def test_bad_data_is_rejected_with_a_clear_message(X, match):
    with pytest.raises(ValueError, match=match):
        NearestNeighbors().fit(X)
    with pytest.raises(ValueError, match=match):
        kneighbors(X, 1)


def test_bad_queries_are_rejected_with_a_clear_message():
    X = np.random.default_rng(0).normal(size=(6, 3))
    nn = NearestNeighbors(n_neighbors=2).fit(X)
    with pytest.raises(ValueError, match="3 features"):
        nn.kneighbors(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="NaN"):
        nn.kneighbors([[np.nan, 0, 0]])
    with pytest.raises(ValueError, match="n_neighbors < n_samples_fit"):
        nn.kneighbors(n_neighbors=6)
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        nn.kneighbors(X, n_neighbors=7)
    with pytest.raises(ValueError, match="n_neighbors=3 is larger than the 2 candidate rows"):
        kneighbors(X, 3, among=[0, 1, 2])
    with pytest.raises(ValueError, match="outside"):
        kneighbors(X, 1, rows=[7])
    with pytest.raises(ValueError, match="boolean mask of shape"):
        kneighbors(X, 1, among=np.ones(4, dtype=bool))
    with pytest.raises(TypeError, match="integer row indices"):
        kneighbors(X, 1, rows=[0.5])
    with pytest.raises(ValueError, match="n_neighbors must be an integer"):
        kneighbors(X, 0)
    with pytest.raises(ValueError, match="metric='cosine' is not supported"):
        kneighbors(X, 1, metric="cosine")
    with pytest.raises(ValueError, match="needs metric_params"):
        kneighbors(X, 1, metric="mixed")
    with pytest.raises(ValueError, match="penalty"):
        kneighbors(X, 1, metric="mixed", metric_params={"categorical": [0], "penalty": -1.0})
    with pytest.raises(ValueError, match="mode must be"):
        nn.kneighbors_graph(mode="weights")


def test_rows_too_far_apart_for_float64_distances_are_refused():
    # Each array alone is fine; a query far from the fitted rows would make every
    # squared distance inf (no neighbour defined), so it is refused, naming X.
    fitted = np.array([[1e153], [2e153], [3e153]])
    nn = NearestNeighbors(n_neighbors=1).fit(fitted)
    assert nn.kneighbors(fitted[:1] * 0.5, return_distance=False).tolist() == [[0]]
    with pytest.raises(ValueError, match=r"X for imbtool.neighbors.*overflow float64.*scale"):
        nn.kneighbors(-fitted * 100)
    with pytest.raises(ValueError, match=r"X for imbtool.neighbors.*overflow float64"):
        NearestNeighbors(n_neighbors=1).fit(np.array([[-1e200], [1e200]]))


def test_small_work_runs_on_the_calling_thread():
    import numba

    from imbtool.utils._threads import PARALLEL_MIN_WORK, numba_threads

    before = numba.get_num_threads()
    with numba_threads(None, work=PARALLEL_MIN_WORK - 1):
        assert numba.get_num_threads() == 1
    with numba_threads(None, work=PARALLEL_MIN_WORK):
        assert numba.get_num_threads() == numba.config.NUMBA_NUM_THREADS
    with numba_threads(1, work=10 * PARALLEL_MIN_WORK):
        assert numba.get_num_threads() == 1
    assert numba.get_num_threads() == before
