"""SVMSMOTE's default SVC on large binary data: fitted through working sets, it must meet
libsvm's stopping rule on all rows and pick (nearly) the support vectors of a fit on all rows."""

import numpy as np
import pytest
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from imbtool.datasets import load_dataset
from imbtool.over_sampling import SVMSMOTE, _svm
from imbtool.over_sampling._kernels import rbf_weighted_sums


def _max_violation(X, y, svc, support):
    """libsvm's stopping quantity (largest violating pair) over all rows, exact kernel."""
    X = X.astype(np.float64)
    signs = np.where(y == svc.classes_[1], 1.0, -1.0)
    grad = signs - rbf_kernel(X, X[support], gamma=svc._gamma) @ svc.dual_coef_[0]
    alpha = np.zeros(y.size)
    alpha[support] = np.abs(svc.dual_coef_[0])
    up = np.where(signs > 0, alpha < svc.C, alpha > 0)
    low = np.where(signs > 0, alpha > 0, alpha < svc.C)
    return grad[up].max() - grad[low].min()


@pytest.fixture
def small_sets(monkeypatch):
    """Working sets far smaller than the KEEL data, so that several rounds run."""
    monkeypatch.setattr(_svm, "WORKING_SET_MIN_ROWS", 0)
    monkeypatch.setattr(_svm, "_START_ROWS", 100)
    monkeypatch.setattr(_svm, "_ADD_ROWS", 200)


def test_rbf_weighted_sums_matches_exact_kernel():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 7)) * rng.uniform(0.1, 5, size=7)
    V = np.vstack([X[:20], rng.normal(size=(40, 7)) * 4])  # exact repeats: distance 0
    coef = rng.uniform(-1, 1, size=V.shape[0])
    sq = np.einsum("ij,ij->i", X, X)
    for gamma in (1e-3, 0.1, 10.0):  # 10: most terms far below exp(-64)
        out = np.empty(X.shape[0])
        rbf_weighted_sums(X @ V.T, sq, np.einsum("ij,ij->i", V, V), coef, gamma, out)
        exact = rbf_kernel(X, V, gamma=gamma) @ coef
        assert np.abs(out - exact).max() <= 1e-8 * np.abs(coef).sum()


def _dual_objective(X, support, dual_coef, gamma):
    X = X.astype(np.float64)[support]
    return np.abs(dual_coef).sum() - 0.5 * dual_coef @ rbf_kernel(X, X, gamma=gamma) @ dual_coef


@pytest.mark.parametrize("name", ["satimage", "page-blocks0", "segment0", "abalone19", "yeast4",
                                  "shuttle-2_vs_5", "kr-vs-k-zero-one_vs_draw",
                                  "abalone-17_vs_7-8-9-10"])
def test_working_set_fit_meets_libsvm_rule_on_all_rows(small_sets, name):
    bunch = load_dataset(name)
    X, y = bunch.data, bunch.target
    svc, support = _svm._working_set_svc(X, y, 0)
    assert 100 < svc.shape_fit_[0] < X.shape[0]  # the set grew, and stayed a subset
    assert np.unique(support).size == support.size
    assert _max_violation(X, y, svc, support) <= svc.tol + 1e-8
    full = SVC(gamma="scale").fit(X, y)
    assert svc._gamma == pytest.approx(full._gamma, rel=1e-12)
    minority = y == 1
    ours, theirs = support[minority[support]], full.support_[minority[full.support_]]
    common = np.intersect1d(ours, theirs).size
    assert common / np.union1d(ours, theirs).size >= 0.97
    # Both are solutions to libsvm's tolerance: the optimum agrees closely, while rows with
    # tiny weights may differ (abalone19: 102 vs 158 majority vectors, dual 63.9979 vs 63.9983).
    ours_dual = _dual_objective(X, support, svc.dual_coef_[0], svc._gamma)
    full_dual = _dual_objective(X, full.support_, full.dual_coef_[0], full._gamma)
    assert ours_dual == pytest.approx(full_dual, rel=1e-4)


@pytest.mark.parametrize("labels", [("neg", "pos"), ("pos", "neg"), (-3, 7)])
def test_working_set_sign_convention_for_any_labels(small_sets, labels):
    bunch = load_dataset("segment0")
    y = np.where(bunch.target == 1, labels[1], labels[0])
    svc, support = _svm._working_set_svc(bunch.data, y, 0)
    assert _max_violation(bunch.data, y, svc, support) <= svc.tol + 1e-8


def test_falls_back_to_all_rows_when_most_rows_are_support_vectors(small_sets, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1200, 4))
    y = rng.integers(0, 2, size=1200)  # labels unrelated to X: nearly every row a vector
    fits = []

    class CountingSVC(SVC):
        def fit(self, X, y, sample_weight=None):
            fits.append(X.shape[0])
            return super().fit(X, y, sample_weight)

    monkeypatch.setattr(_svm, "SVC", CountingSVC)
    monkeypatch.setattr(_svm, "_START_ROWS", 400)
    assert _svm._working_set_svc(X, y, 0) is None
    # The first set already holds more than a quarter of all rows as support vectors.
    assert fits == [800]
    monkeypatch.setattr(_svm, "SVC", SVC)  # SVMSMOTE below: through the same fallback
    sampler = SVMSMOTE(random_state=0)
    sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.svm_support_,
                                  SVC(gamma="scale").fit(X, y).support_)


def test_svmsmote_seeds_from_the_working_set_fit(small_sets):
    bunch = load_dataset("satimage")
    X, y = bunch.data, bunch.target
    sampler = SVMSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res)[1] == np.bincount(y)[0]
    np.testing.assert_array_equal(X_res[: X.shape[0]], X)
    support = sampler.svm_support_
    assert sampler.svm_estimator_.shape_fit_[0] < X.shape[0]
    assert np.isin(sampler.synthetic_sources_[:, 0], support[y[support] == 1]).all()
    seeds, partners = sampler.synthetic_sources_.T
    steps = sampler.synthetic_steps_
    np.testing.assert_allclose(X_res[X.shape[0]:],
                               X[seeds] + steps[:, None] * (X[partners] - X[seeds]), atol=1e-9)
    assert np.all((steps >= -0.5) & (steps <= 1))  # out_step=0.5 outwards, up to 1 inwards
    minority = np.flatnonzero(y == 1)
    # The partner is one of the seed's 5 nearest other minority rows (by distance: satimage
    # has tied distances, so the rows themselves are not unique).
    kth = NearestNeighbors(n_neighbors=6).fit(X[minority]).kneighbors(X[seeds])[0][:, 5]
    assert np.all(y[partners] == 1) and np.all(partners != seeds)
    assert np.all(np.linalg.norm(X[partners] - X[seeds], axis=1) <= kth * (1 + 1e-12))
    again = SVMSMOTE(random_state=0, n_jobs=1).fit_resample(X, y)
    np.testing.assert_array_equal(again[0], X_res)


def test_default_fit_on_all_rows_below_the_threshold():
    bunch = load_dataset("pima")
    sampler = SVMSMOTE(random_state=0)
    sampler.fit_resample(bunch.data, bunch.target)
    assert sampler.svm_estimator_.shape_fit_[0] == bunch.data.shape[0]
    np.testing.assert_array_equal(sampler.svm_support_, sampler.svm_estimator_.support_)
