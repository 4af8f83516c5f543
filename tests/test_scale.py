"""Answers do not depend on the scale of the features, from 1e-300 to 1e300.

Every feature is multiplied by the power of two nearest 10^k: that is exact
in binary floating point (10^k itself rounds every value and can split exact
ties of the data, e.g. yeast4's 2-decimal features, at any scale), so a
neighbour method must give the same rows, and distances and synthetic rows
scaled by the factor, as at scale 1. Where the scaled values are subnormal
(below ~2.2e-308) they lose bits; the reference is then the scaled data
brought back to scale 1 by the inverse power of two, which is exact. Where
squared distances would overflow float64 (spans above ~1e154) the engine
refuses the data with a ValueError naming X.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.ensemble import RandomForestClassifier

from imbtool import combine, over_sampling, under_sampling
from imbtool.datasets import load_dataset
from imbtool.neighbors import NearestNeighbors, _query, kneighbors, nearest_other_class
from imbtool.utils import all_estimators
from imbtool.utils._scale import BAND, scaled_std

# Every sampler runs on the same data at every scale; the data warnings are expected:
# - NearMiss-3 keeps every candidate when there are fewer than asked, as documented.
pytestmark = [
    pytest.mark.filterwarnings("ignore:NearMiss-3 found only"
                               ":imbtool.utils.ImbtoolWarning"),
]

# Exponents of two: nearest to 10^k for k in -300..300 by 25, then the edges
# (2^-1022 ~ 2.2e-308, the smallest normal; 2^-1062 ~ 5e-320 and 2^-1074 ~ 5e-324,
# subnormal; 2^997 ~ 1e300; 2^1023, the largest).
EXPONENTS = sorted({round(k * math.log2(10)) for k in range(-300, 301, 25)}
                   | {-1074, -1062, -1022, 997, 1023})
# A few scales for the samplers: the underflow range (~1e-300, 1e-170, 1e-100),
# below float32's range (~1e-40) and above it (~1e100).
FEW = [-997, -565, -332, -133, 332]


@pytest.fixture(scope="module", params=["yeast4", "ecoli1"])
def data(request):
    return load_dataset(request.param, return_X_y=True)


@pytest.fixture(params=["direct", "filtered"])
def engine_path(request, monkeypatch):
    monkeypatch.setattr(_query, "FILTER_MIN_PAIRS", 0 if request.param == "filtered" else 10**18)
    return request.param


def _scaled(X, e, dtype=np.float64):
    """``X * 2^e`` in ``dtype`` and the reference data ``X * 2^e * 2^-e`` (exact), or None.

    None where ``X * 2^e`` is not finite in ``dtype``.
    """
    with np.errstate(over="ignore", under="ignore"):
        Xf = (np.asarray(X, dtype=np.float64) * 2.0**e).astype(dtype)
    if not np.isfinite(Xf).all():
        return None, None
    ref = np.ldexp(Xf.astype(np.float64), -e).astype(dtype)
    return Xf, ref


def _reach_overflows(X, e):
    span = np.ptp(np.asarray(X, dtype=np.float64), axis=0)
    with np.errstate(over="ignore"):
        return not np.isfinite((span * 2.0**e) @ (span * 2.0**e))


def _check_engine(answer, X, e, dtype=np.float64):
    """``answer(Xf)`` at scale 2^e equals ``answer(ref)`` with distances scaled by 2^e."""
    Xf, ref = _scaled(X, e, dtype)
    if Xf is None or _reach_overflows(Xf.astype(np.float64), 0):
        with pytest.raises(ValueError, match=r"X"):
            answer(Xf if Xf is not None else np.asarray(X) * np.inf)
        return "refused"
    dist, ind = answer(Xf)
    ref_dist, ref_ind = answer(ref)
    assert_array_equal(ind, ref_ind, err_msg=f"2^{e}")
    with np.errstate(under="ignore"):
        assert_array_equal(dist, np.ldexp(ref_dist, e), err_msg=f"2^{e}")
    return "exact" if np.array_equal(ref, np.asarray(X, dtype=dtype)) else "rounded"


@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
def test_kneighbors_is_the_same_at_every_scale(data, engine_path, metric):
    X, _ = data
    outcome = {e: _check_engine(lambda Z: kneighbors(Z, 5, metric=metric), X, e)
               for e in EXPONENTS}
    # The sweep covers what it claims: exact data from ~1e-300 up to where the
    # squared distances overflow, rounded (subnormal) data below, refusal above.
    assert all(outcome[e] == "exact" for e in EXPONENTS if -997 <= e <= 500)
    assert outcome[-1074] == "rounded" and outcome[1023] == "refused"


def test_float32_kneighbors_is_the_same_at_every_scale(data, engine_path):
    X, _ = data
    X32 = X.astype(np.float32)
    for e in range(-150, 128, 7):
        Xf, ref = _scaled(X32, e, np.float32)
        if Xf is None:
            continue
        got = kneighbors(Xf, 5)
        expected = kneighbors(ref, 5)
        assert_array_equal(got[1], expected[1], err_msg=f"2^{e}")
        assert_array_equal(got[0], np.ldexp(expected[0], e), err_msg=f"2^{e}")


def test_mixed_metric_is_the_same_at_every_scale(data):
    X, y = data
    # A categorical column (codes, not scaled with the features) and a penalty
    # that scales with them, as SMOTE-NC's median standard deviation does.
    codes = np.round(X[:, :1] * 4)
    penalty = float(np.median(np.std(X, axis=0)))
    for e in EXPONENTS:
        Xf, ref = _scaled(X, e)
        if Xf is None or _reach_overflows(Xf, 0):
            continue
        params = {"categorical": [X.shape[1]], "penalty": math.ldexp(penalty, e)}
        got = kneighbors(np.hstack([Xf, codes]), 5, metric="mixed", metric_params=params)
        # A subnormal penalty has lost bits too: the reference keeps the same ones.
        params["penalty"] = math.ldexp(params["penalty"], -e)
        expected = kneighbors(np.hstack([ref, codes]), 5, metric="mixed", metric_params=params)
        assert_array_equal(got[1], expected[1], err_msg=f"2^{e}")
        with np.errstate(under="ignore"):
            assert_array_equal(got[0], np.ldexp(expected[0], e), err_msg=f"2^{e}")


def test_separate_queries_and_other_class_are_the_same_at_every_scale(data, engine_path):
    X, y = data

    def fitted_queries(Z):
        return NearestNeighbors(n_neighbors=4).fit(Z[50:]).kneighbors(Z[:50])

    def other_class(Z):
        dist, ind = nearest_other_class(Z, y)
        return dist[:, None], ind

    for e in EXPONENTS:
        _check_engine(fitted_queries, X, e)
        _check_engine(other_class, X, e)


def test_normal_range_is_searched_in_place(monkeypatch):
    X, _ = load_dataset("ecoli1", return_X_y=True)
    seen = []
    original = _query._search
    monkeypatch.setattr(_query, "_search", lambda Xq, *args: seen.append(Xq) or original(Xq, *args))
    inputs = [X * 2.0**-200, X * 2.0**500, X.astype(np.float32) * 2.0**-140, X * 2.0**-300]
    for Z in inputs:
        kneighbors(Z, 3)
    assert [a is b for a, b in zip(seen, inputs)] == [True, True, True, False]


def _cleaner_answer(sampler, X, y):
    sampler.fit_resample(X, y)
    return sampler.sample_indices_


@pytest.mark.parametrize("make",
                         [under_sampling.TomekLinks, under_sampling.EditedNearestNeighbours],
                         ids=["TomekLinks", "EditedNearestNeighbours"])
def test_cleaning_is_the_same_at_every_scale(data, make):
    X, y = data
    base = _cleaner_answer(make(), X, y)
    assert base.size < X.shape[0]  # the data give the cleaner something to remove
    for e in EXPONENTS:
        Xf, ref = _scaled(X, e)
        if Xf is None or _reach_overflows(Xf, 0):
            with pytest.raises(ValueError, match=r"X"):
                make().fit_resample(X * 2.0**e if Xf is None else Xf, y)
            continue
        expected = base if np.array_equal(ref, X) else _cleaner_answer(make(), ref, y)
        assert_array_equal(_cleaner_answer(make(), Xf, y), expected, err_msg=f"2^{e}")


def test_smote_is_the_same_at_every_scale(data):
    X, y = data

    def run(Z):
        sampler = over_sampling.SMOTE(random_state=0)
        Xr, yr = sampler.fit_resample(Z, y)
        return sampler, Xr[len(Z):], yr

    base, base_rows, base_y = run(X)
    for e in EXPONENTS:
        Xf, ref = _scaled(X, e)
        if Xf is None or _reach_overflows(Xf, 0):
            with pytest.raises(ValueError, match=r"X"):
                run(X * 2.0**e if Xf is None else Xf)
            continue
        sampler, rows, yr = run(Xf)
        if np.array_equal(ref, X):
            expected, expected_rows = base, base_rows
        else:
            expected, expected_rows, _ = run(ref)
        assert_array_equal(sampler.sample_indices_, expected.sample_indices_)
        assert_array_equal(sampler.synthetic_sources_, expected.synthetic_sources_,
                           err_msg=f"2^{e}")
        assert_array_equal(yr, base_y)
        with np.errstate(under="ignore"):
            scaled_back = np.ldexp(rows, -e)
        if e >= -1000:
            # Interpolation x + gap (x' - x) rounds alike at every normal scale.
            assert_array_equal(scaled_back, expected_rows, err_msg=f"2^{e}")
        else:
            # Subnormal rows keep fewer bits: equal up to the smallest subnormal, scaled.
            assert np.max(np.abs(scaled_back - expected_rows)) <= 2.0**(-1074 - e)


def _nominal_data():
    X, y = load_dataset("ecoli1", return_X_y=True)
    return np.hstack([X, np.round(X[:, :1] * 4)]), y


# Each sampler at scale 2^e; parameters in the units of X scale with it.
SAMPLERS = {
    "ADASYN": lambda e: over_sampling.ADASYN(random_state=0),
    "BorderlineSMOTE": lambda e: over_sampling.BorderlineSMOTE(random_state=0),
    "GeometricSMOTE": lambda e: over_sampling.GeometricSMOTE(random_state=0),
    "KMeansSMOTE": lambda e: over_sampling.KMeansSMOTE(random_state=0),
    "LeeSMOTE": lambda e: over_sampling.LeeSMOTE(random_state=0),
    # The closeness factor caps (number of features) / distance at cf_th.
    "MWMOTE": lambda e: over_sampling.MWMOTE(random_state=0, cf_th=math.ldexp(5.0, -e)),
    "PolynomFitSMOTE": lambda e: over_sampling.PolynomFitSMOTE(random_state=0),
    "ProWSyn": lambda e: over_sampling.ProWSyn(random_state=0),
    "RandomOverSampler": lambda e: over_sampling.RandomOverSampler(random_state=0, shrinkage=1.0),
    "SafeLevelSMOTE": lambda e: over_sampling.SafeLevelSMOTE(random_state=0),
    "SMOBD": lambda e: over_sampling.SMOBD(random_state=0, max_eps=math.ldexp(1.0, e)),
    # Nominal values: scaled values are other names of the same categories.
    "SMOTEN": lambda e: over_sampling.SMOTEN(random_state=0),
    "SMOTEIPF": lambda e: over_sampling.SMOTEIPF(random_state=0),
    "SMOTENC": lambda e: over_sampling.SMOTENC(categorical_features=[7], random_state=0),
    "SVMSMOTE": lambda e: over_sampling.SVMSMOTE(random_state=0),
    "AllKNN": lambda e: under_sampling.AllKNN(),
    "ClusterCentroids": lambda e: under_sampling.ClusterCentroids(random_state=0),
    "CondensedNearestNeighbour": lambda e: under_sampling.CondensedNearestNeighbour(
        random_state=0),
    # A forest, as the default, copies X to float32; 10 trees instead of 100 (8 s) suffice.
    "InstanceHardnessThreshold": lambda e: under_sampling.InstanceHardnessThreshold(
        estimator=RandomForestClassifier(n_estimators=10), random_state=0),
    "NearMiss-1": lambda e: under_sampling.NearMiss(version=1),
    "NearMiss-2": lambda e: under_sampling.NearMiss(version=2),
    "NearMiss-3": lambda e: under_sampling.NearMiss(version=3),
    "NeighbourhoodCleaningRule": lambda e: under_sampling.NeighbourhoodCleaningRule(),
    "OneSidedSelection": lambda e: under_sampling.OneSidedSelection(random_state=0),
    "RandomUnderSampler": lambda e: under_sampling.RandomUnderSampler(random_state=0),
    "RepeatedEditedNearestNeighbours": lambda e: under_sampling.RepeatedEditedNearestNeighbours(),
    "SMOTEENN": lambda e: combine.SMOTEENN(random_state=0),
    "SMOTETomek": lambda e: combine.SMOTETomek(random_state=0),
}


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_other_samplers_are_the_same_at_every_scale(name):
    X, y = _nominal_data() if name == "SMOTENC" else load_dataset("ecoli1", return_X_y=True)
    base_X, base_y = SAMPLERS[name](0).fit_resample(X, y)
    # Categorical codes keep their values; every other column is scaled.
    numeric = np.arange(X.shape[1]) != 7 if name == "SMOTENC" else np.ones(X.shape[1], bool)
    for e in FEW:
        Xf = X.copy()
        Xf[:, numeric] *= 2.0**e
        got_X, got_y = SAMPLERS[name](e).fit_resample(Xf, y)
        assert_array_equal(got_y, base_y, err_msg=f"2^{e}")
        got_X = np.asarray(got_X, dtype=np.float64)
        got_X[:, numeric] = np.ldexp(got_X[:, numeric], -e)
        assert_array_equal(got_X, base_X, err_msg=f"2^{e}")


def test_the_sweep_covers_every_sampler():
    swept = {name.split("-")[0] for name in SAMPLERS}
    swept |= {"TomekLinks", "EditedNearestNeighbours", "SMOTE"}  # the tests above
    assert swept == {name for name, _ in all_estimators("sampler")}


@pytest.mark.parametrize("e", [0, -20, 20, -33, 33, -997, 332])
def test_rules_outside_the_engine_run_at_unit_scale_outside_the_band(e):
    X, y = load_dataset("ecoli1", return_X_y=True)
    Xf = X * 2.0**e
    largest = np.max(np.abs(Xf))
    in_band = BAND[0] <= largest < BAND[1]
    sampler = under_sampling.ClusterCentroids(random_state=0)
    X_res, _ = sampler.fit_resample(Xf, y)
    shift = sampler.scale_exponent_
    if in_band:
        assert shift == 0
    else:
        assert 0.5 <= math.ldexp(largest, shift) < 1.0
    # KMeans saw X * 2^shift: its centroids, scaled back, are the output's new rows.
    centers = np.ldexp(sampler.estimator_.cluster_centers_, -shift)
    assert_array_equal(X_res[sampler.sample_indices_.size:], centers)
    # SMOBD's OPTICS rounds to an absolute precision: it always runs at unit scale.
    smobd = over_sampling.SMOBD(random_state=0, max_eps=math.ldexp(1.0, e))
    smobd.fit_resample(Xf, y)
    assert 0.5 <= math.ldexp(largest, smobd.scale_exponent_) < 1.0


def test_sparse_input_is_scaled_like_dense():
    import scipy.sparse as sp

    X, y = load_dataset("ecoli1", return_X_y=True)
    Xf = X * 2.0**-997
    dense = under_sampling.InstanceHardnessThreshold(random_state=0)
    sparse = under_sampling.InstanceHardnessThreshold(random_state=0)
    X_dense, _ = dense.fit_resample(Xf, y)
    X_sparse, _ = sparse.fit_resample(sp.csr_matrix(Xf), y)
    assert sparse.scale_exponent_ == dense.scale_exponent_ > 0
    assert_array_equal(sparse.sample_indices_, dense.sample_indices_)
    assert_array_equal(X_sparse.toarray(), X_dense)


@pytest.mark.parametrize("e", [-1070, -997, -600, 0, 600])
def test_scaled_std_is_the_std_at_every_scale(e):
    X, _ = load_dataset("ecoli1", return_X_y=True)
    with np.errstate(under="ignore"):
        expected = np.ldexp(np.std(X, axis=0), e)
        got = scaled_std(np.ldexp(X, e))
    if e >= -1000:
        assert_array_equal(got, expected)
    else:
        # Subnormal inputs hold fewer bits: within a few of the smallest subnormals.
        assert np.max(np.abs(got - expected)) <= 2.0**-1070
    # The plain std loses everything below ~1e-154 (what the rescaling is for).
    if e == -997:
        assert not np.array_equal(np.std(np.ldexp(X, e), axis=0), expected)


def _with_estimator(name):
    """The sampler ``name`` with a scikit-learn neighbours estimator for its neighbour parameter."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neighbors import NearestNeighbors as SklearnNeighbors

    nn = SklearnNeighbors(n_neighbors=4)
    return {
        "SMOTE": lambda: over_sampling.SMOTE(random_state=0, k_neighbors=nn),
        "BorderlineSMOTE": lambda: over_sampling.BorderlineSMOTE(random_state=0, k_neighbors=nn),
        "ADASYN": lambda: over_sampling.ADASYN(random_state=0, n_neighbors=nn),
        "EditedNearestNeighbours": lambda: under_sampling.EditedNearestNeighbours(n_neighbors=nn),
        "AllKNN": lambda: under_sampling.AllKNN(n_neighbors=nn),
        "NeighbourhoodCleaningRule": lambda: under_sampling.NeighbourhoodCleaningRule(
            n_neighbors=nn),
        "OneSidedSelection": lambda: under_sampling.OneSidedSelection(
            random_state=0, n_neighbors=KNeighborsClassifier(n_neighbors=1)),
    }[name]()


@pytest.mark.parametrize("name", ["SMOTE", "BorderlineSMOTE", "ADASYN", "EditedNearestNeighbours",
                                  "AllKNN", "NeighbourhoodCleaningRule", "OneSidedSelection"])
def test_a_neighbours_estimator_is_the_same_at_every_scale(name):
    # A scikit-learn estimator given as the neighbour parameter sums squared differences
    # itself; the samplers use it at unit scale outside the band.
    X, y = load_dataset("ecoli1", return_X_y=True)
    base_X, base_y = _with_estimator(name).fit_resample(X, y)
    for e in FEW:
        got_X, got_y = _with_estimator(name).fit_resample(X * 2.0**e, y)
        assert_array_equal(got_y, base_y, err_msg=f"2^{e}")
        assert_array_equal(np.ldexp(got_X, -e), base_X, err_msg=f"2^{e}")
