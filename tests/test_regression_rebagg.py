"""REBAGGRegressor: each member's resample, determinism, fallbacks and bad input."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.ensemble import BaggingRegressor
from sklearn.tree import DecisionTreeRegressor

from imbtool.metrics import rare_recall
from imbtool.regression import REBAGGRegressor, relevance
from imbtool.utils import ImbtoolWarning

POINTS = [[1.0, 0.0, 0.0], [4.0, 1.0, 0.0]]  # rare: y >= 2.5 (relevance >= 0.5)


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y


class _Recorder(RegressorMixin, BaseEstimator):
    """Keeps the sample it is fitted on; predicts its mean target."""

    def fit(self, X, y):
        self.X_, self.y_ = X, y
        return self

    def predict(self, X):
        return np.full(X.shape[0], self.y_.mean())


def _rare(y):
    return relevance(y, POINTS) >= 0.5


def _fit(**params):
    X, y = _data()
    model = REBAGGRegressor(_Recorder(), n_estimators=6, control_points=POINTS,
                            random_state=0, **params).fit(X, y)
    return X, y, model


def test_over_balances_rare_and_normal_rows_drawn_from_the_data():
    X, y, model = _fit(sampler="over")
    rows = {tuple(row) for row in X}
    for member in model.estimators_:
        assert member.y_.size == y.size
        assert np.count_nonzero(_rare(member.y_)) == y.size // 2
        assert all(tuple(row) in rows for row in member.X_)  # copies only
    # The members differ (each its own draw), and the prediction is their mean.
    assert len({member.y_.sum() for member in model.estimators_}) == 6
    np.testing.assert_allclose(model.predict(X[:2]),
                               np.mean([m.y_.mean() for m in model.estimators_]))


def test_under_keeps_a_bootstrap_of_the_rare_rows_and_as_many_normal_rows():
    X, y, model = _fit(sampler="under")
    n_rare = np.count_nonzero(_rare(y))
    for member in model.estimators_:
        assert member.y_.size == 2 * n_rare
        assert np.count_nonzero(_rare(member.y_)) == n_rare


def test_variation_draws_the_papers_shares():
    X, y, model = _fit(sampler="over", resampling="variation", n_jobs=2)
    shares = model.rare_shares_
    assert set(shares) <= {1 / 3, 2 / 5, 1 / 2, 3 / 5, 2 / 3} and len(set(shares)) > 1
    for share, member in zip(shares, model.estimators_):
        assert np.count_nonzero(_rare(member.y_)) == round(share * y.size)


@pytest.mark.parametrize("sampler", ["smoter", "noise"])
def test_synthetic_samplers_complete_the_rare_part_with_new_rows(sampler):
    X, y, model = _fit(sampler=sampler)
    rare = _rare(y)
    rows = {tuple(row) for row in X}
    for member in model.estimators_:
        new = np.array([tuple(row) not in rows for row in member.X_])
        # The rare rows drawn as they are, then the new rows up to half the sample.
        assert member.y_.size == y.size and new.sum() == y.size // 2 - rare.sum()
        if sampler == "smoter":  # interpolated between rare rows: inside the rare range
            assert member.y_[new].min() >= y[rare].min() - 1e-12
            assert member.y_[new].max() <= y[rare].max() + 1e-12


@pytest.mark.parametrize("sampler", ["over", "under", "smoter", "noise"])
def test_same_seed_same_model_across_n_jobs(sampler):
    X, y = _data()
    one = REBAGGRegressor(n_estimators=4, sampler=sampler, random_state=1, n_jobs=1).fit(X, y)
    two = REBAGGRegressor(n_estimators=4, sampler=sampler, random_state=1, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(one.predict(X), two.predict(X))


def test_rebagg_recalls_more_rare_targets_than_plain_bagging():
    X, y = _data(1500, seed=1)
    X_test, y_test = _data(1500, seed=2)
    tree = DecisionTreeRegressor(min_samples_leaf=5)
    plain = BaggingRegressor(tree, n_estimators=20, random_state=0).fit(X, y)
    rebagg = REBAGGRegressor(tree, n_estimators=20, random_state=0).fit(X, y)
    kw = {"control_points": POINTS}
    assert (rare_recall(y_test, rebagg.predict(X_test), **kw)
            > rare_recall(y_test, plain.predict(X_test), **kw))


def test_no_rare_target_bags_plain_bootstraps_with_a_warning():
    X, _ = _data()
    y = np.random.default_rng(0).uniform(size=300)  # relevance 0 below 1 under POINTS
    with pytest.warns(ImbtoolWarning, match="no target is rare"):
        model = REBAGGRegressor(_Recorder(), n_estimators=3, control_points=POINTS,
                                random_state=0).fit(X, y)
    assert np.all(model.rare_shares_ == 0)
    assert all(member.y_.size == y.size for member in model.estimators_)


def test_bad_input_is_refused_by_name():
    X, y = _data()
    with pytest.raises(ValueError, match="fewer than k_neighbors"):
        REBAGGRegressor(sampler="smoter", k_neighbors=299, control_points=POINTS).fit(X, y)
    with pytest.raises(ValueError, match="constant"):
        REBAGGRegressor().fit(X, np.ones(300))
    with pytest.raises(ValueError, match="strictly increasing"):
        REBAGGRegressor(control_points=[[4.0, 1.0], [1.0, 0.0]]).fit(X, y)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        REBAGGRegressor().fit(X, np.r_[y[:-1], np.nan])
