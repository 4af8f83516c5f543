"""Relevance (Ribeiro 2011) and DenseWeight (Steininger et al. 2021) against their definitions."""

import numpy as np
import pytest

from imbtool.regression import dense_weight, relevance, relevance_control_points


def test_control_points_are_the_box_plot_extremes():
    # Sorted y: Tukey hinges 2 and 4 (medians of each half, median included), IQR 2,
    # whiskers reach [-1, 7]; 20 lies beyond, so the high adjacent value 5 gets relevance 1,
    # and the low side has no outlier, so its point is the minimum with relevance 0.
    y = np.array([20.0, 1, 2, 2, 3, 3, 3, 4, 4, 5])
    points = relevance_control_points(y)
    np.testing.assert_array_equal(points, [[1, 0, 0], [3, 0, 0], [5, 1, 0]])
    assert relevance_control_points(y, extremes="low").tolist()[2] == [20.0, 0.0, 0.0]


def test_hinges_follow_fivenum_for_even_and_odd_sizes():
    # n=11: hinge depth floor((11+3)/2)/2 = 3.5, the mean of the 3rd and 4th order statistics.
    y = np.arange(1.0, 12.0)
    y[-1] = 100.0
    # fivenum(1..10, 100): 1, 3.5, 6, 8.5, 100: IQR 5, upper fence 16, adjacent value 10.
    np.testing.assert_array_equal(relevance_control_points(y),
                                  [[1, 0, 0], [6, 0, 0], [10, 1, 0]])


@pytest.mark.parametrize("t", [0.0, 0.1, 0.25, 0.5, 0.8, 1.0])
def test_zero_slope_hermite_segment_equals_the_published_basis(t):
    # With slopes 0, phi = h00(t) phi_0 + h01(t) phi_1, h01(t) = 3t^2 - 2t^3.
    points = [[3.0, 0.0, 0.0], [5.0, 1.0, 0.0]]
    phi = relevance([3.0 + 2.0 * t], points)[0]
    assert phi == pytest.approx(3 * t**2 - 2 * t**3, abs=1e-12)


def test_hermite_with_given_slopes_matches_the_formula():
    # Segment [0, 2], phi 0.2 -> 0.9, slopes 0.5 and 0.1, at t = 0.3 (y = 0.6).
    points = [[0.0, 0.2, 0.5], [2.0, 0.9, 0.1]]
    t, h = 0.3, 2.0
    expected = ((2 * t**3 - 3 * t**2 + 1) * 0.2 + (t**3 - 2 * t**2 + t) * h * 0.5
                + (-2 * t**3 + 3 * t**2) * 0.9 + (t**3 - t**2) * h * 0.1)
    assert relevance([0.6], points)[0] == pytest.approx(expected, abs=1e-12)


def test_outside_the_points_relevance_keeps_the_end_value():
    points = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [2.0, 1.0, 0.0]]
    np.testing.assert_array_equal(relevance([-5.0, 0.0, 1.0, 2.0, 9.0], points),
                                  [1, 1, 0, 1, 1])


def test_fritsch_carlson_slopes_for_points_without_slopes():
    # Points (0,0), (1,0.5), (2,1): secants 0.5, 0.5; FC three-point slopes 0.5 everywhere,
    # inside the monotonicity circle, so the interpolant is the straight line.
    points = [[0.0, 0.0], [1.0, 0.5], [2.0, 1.0]]
    y = np.linspace(0, 2, 9)
    np.testing.assert_allclose(relevance(y, points), y / 2, atol=1e-12)
    # A turning point gets slope 0: (0,0), (1,1), (2,0) is symmetric with a flat top.
    phi = relevance([0.5, 1.0, 1.5], [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    # slope at 0 is the secant 1, at 1 is 0: h00*0 + h10*1*1 + h01*1 + h11*0 at t=0.5
    expected = (0.125 - 0.5 + 0.5) + 0.5
    np.testing.assert_allclose(phi, [expected, 1.0, expected], atol=1e-12)


def test_fritsch_carlson_limits_steep_slopes_to_stay_monotone():
    # Secants 9.9 then ~0.001: the three-point slope at the middle point is far steeper than
    # the second secant, outside Fritsch-Carlson's radius 3, so it is scaled back.
    points = [[0.0, 0.0], [0.1, 0.99], [10.0, 1.0]]
    y = np.linspace(0, 10, 2001)
    phi = relevance(y, points)
    assert np.all(np.diff(phi) >= -1e-12)  # monotone, no overshoot
    assert phi.max() <= 1.0


@pytest.mark.parametrize("points, message", [
    ([[0.0, 0.0], [0.0, 1.0]], "strictly increasing"),
    ([[1.0, 0.0], [0.0, 1.0]], "strictly increasing"),
    ([[0.0, 0.0], [1.0, 1.5]], r"\[0, 1\]"),
    ([[0.0, 0.0]], "m >= 2"),
    ([[0.0, np.nan], [1.0, 1.0]], "NaN"),
])
def test_bad_control_points_are_refused_by_name(points, message):
    with pytest.raises(ValueError, match=message):
        relevance([0.5], points)


@pytest.mark.parametrize("y, error, message", [
    (np.ones(5), ValueError, "constant"),
    (np.array([1.0, np.nan, 2.0]), ValueError, "NaN or infinite"),
    (np.array([1.0, np.inf, 2.0]), ValueError, "NaN or infinite"),
    (np.array(["a", "b", "a"]), TypeError, "classification target"),
    (np.array([True, False, True]), TypeError, "classification target"),
])
def test_bad_target_is_refused_by_name(y, error, message):
    with pytest.raises(error, match=message):
        relevance(y)


def test_dense_weight_follows_the_definition():
    rng = np.random.default_rng(0)
    y = rng.lognormal(size=200)
    from scipy.stats import gaussian_kde

    density = gaussian_kde(y, bw_method="silverman")(y)
    scaled = (density - density.min()) / (density.max() - density.min())
    raw = np.maximum(1 - 0.7 * scaled, 1e-6)
    np.testing.assert_allclose(dense_weight(y, alpha=0.7), raw / raw.mean(), rtol=1e-12)
    np.testing.assert_allclose(dense_weight(y, alpha=0.0), np.ones_like(y))
    weight = dense_weight(y, alpha=1.0)
    assert weight.mean() == pytest.approx(1.0)
    assert weight[np.argmax(y)] > weight[np.argmin(np.abs(y - np.median(y)))]


def test_dense_weight_refuses_bad_alpha():
    with pytest.raises(ValueError, match="alpha"):
        dense_weight([0.0, 1.0, 2.0], alpha=-1)


def test_a_side_without_spread_is_left_out_and_a_point_mass_is_refused():
    # 0/1 target: the low side point would fall on the median 0; only two points remain.
    y = np.r_[np.zeros(45), np.ones(15)]
    np.testing.assert_array_equal(relevance_control_points(y), [[0, 0, 0], [1, 0, 0]])
    # 95 equal values and 5 outliers: the adjacent value is the median itself.
    with pytest.raises(ValueError, match="concentrated on one value"):
        relevance_control_points(np.r_[np.full(95, 5.0), np.full(5, 100.0)])
