"""The standard normal generator behind the smoothed bootstrap."""

import numba
import numpy as np
import pytest
from scipy import stats

from imbtool.utils._normal import NOISE_ROWS, standard_normal_fill, ziggurat_tables


def _draw(shape, seed, dtype=np.float64):
    out = np.empty(shape, dtype=dtype)
    standard_normal_fill(out, np.random.RandomState(seed))
    return out


def test_every_ziggurat_layer_has_the_same_area():
    x, fx = ziggurat_tables()
    v = x[0] * fx[1]  # base layer as a rectangle of height f(r)
    # Layer i spans [0, x[i]] between heights f(x[i]) and f(x[i + 1]); the top one reaches f(0) = 1.
    areas = x[1:-1] * (fx[2:] - fx[1:-1])
    np.testing.assert_allclose(areas, v, rtol=1e-10)
    assert x[-1] == 0.0 and fx[-1] == 1.0
    assert np.all(np.diff(x[1:]) < 0)


def test_draws_follow_the_standard_normal():
    z = _draw((250_000, 16), seed=0).ravel()  # 4,000,000 values, 13 streams
    assert stats.kstest(z, "norm").pvalue > 1e-3
    # Equal-probability bins resolve the ziggurat's layers and wedges better than KS.
    edges = stats.norm.ppf(np.linspace(0, 1, 201))
    counts = np.histogram(z, bins=edges)[0]
    assert stats.chisquare(counts).pvalue > 1e-3
    # The tail beyond the base layer comes from a separate branch: its mass too.
    r = ziggurat_tables()[0][1]
    for t in (r, 4.5):
        expected = 2 * stats.norm.sf(t) * z.size
        assert abs(np.count_nonzero(np.abs(z) > t) - expected) < 5 * np.sqrt(expected)
    assert abs(np.count_nonzero(z > 0) - z.size / 2) < 5 * np.sqrt(z.size / 4)


def test_same_seed_same_values_and_streams_differ():
    a = _draw((3 * NOISE_ROWS + 5, 3), seed=7)
    np.testing.assert_array_equal(a, _draw((3 * NOISE_ROWS + 5, 3), seed=7))
    assert not np.array_equal(a, _draw((3 * NOISE_ROWS + 5, 3), seed=8))
    blocks = a[: 3 * NOISE_ROWS].reshape(3, NOISE_ROWS, 3)
    assert not np.array_equal(blocks[0], blocks[1])
    # A row-count that changes the number of streams leaves the earlier rows as they were.
    np.testing.assert_array_equal(_draw((NOISE_ROWS, 3), seed=7), a[:NOISE_ROWS])


def test_float32_output_is_the_float64_draw_rounded():
    a = _draw((NOISE_ROWS + 10, 4), seed=1)
    b = _draw((NOISE_ROWS + 10, 4), seed=1, dtype=np.float32)
    assert b.dtype == np.float32
    np.testing.assert_array_equal(b, a.astype(np.float32))


@pytest.mark.parametrize("threads", [1, 2])
def test_values_do_not_depend_on_the_thread_count(threads):
    if threads > numba.config.NUMBA_NUM_THREADS:
        pytest.skip(f"numba has {numba.config.NUMBA_NUM_THREADS} thread(s) here")
    reference = _draw((5 * NOISE_ROWS + 17, 2), seed=3)
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        out = _draw((5 * NOISE_ROWS + 17, 2), seed=3)
    finally:
        numba.set_num_threads(previous)
    np.testing.assert_array_equal(out, reference)
