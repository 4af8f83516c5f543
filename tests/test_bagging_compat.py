"""imbalanced-learn's bagging API on imbtool's resampling ensembles.

BalancedBaggingClassifier, and the bagging parameters and fitted attributes
(sampling_strategy, replacement, max_samples, max_features, bootstrap_features,
oob_score, warm_start, estimators_samples_, samplers_, pipelines_) of the
under/over-sampling ensembles.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from imbtool.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    OverBaggingClassifier,
    SMOTEBaggingClassifier,
    UnderBaggingClassifier,
)
from imbtool.over_sampling import RandomOverSampler
from imbtool.pipeline import Pipeline, make_pipeline

BAGGING = [UnderBaggingClassifier, OverBaggingClassifier, SMOTEBaggingClassifier,
           EasyEnsembleClassifier, BalancedBaggingClassifier]


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=300, n_features=6, n_informative=4,
                               weights=[0.85], random_state=0)


def test_balanced_bagging_members_are_sampler_pipelines(data):
    X, y = data
    clf = BalancedBaggingClassifier(n_estimators=4, random_state=0).fit(X, y)
    assert isinstance(clf.estimator_, Pipeline)
    assert all(isinstance(p, Pipeline) for p in clf.estimators_)
    assert clf.pipelines_ is clf.estimators_
    assert [s is p[0] for s, p in zip(clf.samplers_, clf.estimators_)] == [True] * 4
    assert len(clf) == 4 and clf[0] is clf.estimators_[0]
    # Each bag is a bootstrap of the training set; its sampler balances it.
    assert all(rows.shape == (X.shape[0],) for rows in clf.estimators_samples_)
    _, y_res = clf.samplers_[0].fit_resample(X[clf.estimators_samples_[0]],
                                             y[clf.estimators_samples_[0]])
    assert np.bincount(y_res)[0] == np.bincount(y_res)[1]
    with np.errstate(divide="ignore"):  # a probability of 0 has log -inf on both sides
        np.testing.assert_allclose(clf.predict_log_proba(X), np.log(clf.predict_proba(X)))


def test_balanced_bagging_any_sampler(data):
    X, y = data
    clf = BalancedBaggingClassifier(n_estimators=2, sampler=RandomOverSampler(),
                                    random_state=0).fit(X, y)
    assert type(clf.sampler_) is RandomOverSampler
    assert clf.samplers_[0].random_state is not None  # seeded per member


@pytest.mark.parametrize("cls", BAGGING)
def test_results_do_not_depend_on_n_jobs(cls, data):
    X, y = data
    params = dict(n_estimators=4, max_features=0.5, random_state=0)
    one = cls(n_jobs=1, **params).fit(X, y)
    two = cls(n_jobs=2, **params).fit(X, y)
    np.testing.assert_array_equal(one.predict_proba(X), two.predict_proba(X))
    for a, b in zip(one.estimators_features_, two.estimators_features_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", BAGGING)
def test_max_features_draws_member_columns(cls, data):
    X, y = data
    clf = cls(n_estimators=3, max_features=3, random_state=0).fit(X, y)
    assert [f.shape[0] for f in clf.estimators_features_] == [3, 3, 3]
    assert clf.predict_proba(X).shape == (X.shape[0], 2)
    boot = cls(n_estimators=8, max_features=1.0, bootstrap_features=True, random_state=0)
    unique = [np.unique(f).size for f in boot.fit(X, y).estimators_features_]
    assert min(unique) < X.shape[1]


@pytest.mark.parametrize("cls", BAGGING)
def test_warm_start_adds_the_members_of_a_single_fit(cls, data):
    X, y = data
    warm = cls(n_estimators=2, warm_start=True, random_state=3).fit(X, y)
    warm.set_params(n_estimators=5).fit(X, y)
    cold = cls(n_estimators=5, random_state=3).fit(X, y)
    assert len(warm.estimators_) == len(warm.estimators_samples_) == 5
    assert [e["round"] for e in warm.training_log_] == list(range(5))
    np.testing.assert_allclose(warm.predict_proba(X), cold.predict_proba(X))
    with pytest.warns(UserWarning, match="without increasing n_estimators"):
        warm.fit(X, y)
    with pytest.raises(ValueError, match="must be larger or equal to"):
        warm.set_params(n_estimators=1).fit(X, y)


def test_warm_start_rejects_oob_score(data):
    X, y = data
    with pytest.raises(ValueError, match="warm_start"):
        UnderBaggingClassifier(warm_start=True, oob_score=True).fit(X, y)


@pytest.mark.parametrize("cls", [UnderBaggingClassifier, BalancedBaggingClassifier])
def test_oob_score(cls, data):
    X, y = data
    clf = cls(n_estimators=20, oob_score=True, random_state=0).fit(X, y)
    assert 0.5 < clf.oob_score_ <= 1.0
    assert clf.oob_decision_function_.shape == (X.shape[0], 2)
    np.testing.assert_allclose(np.nansum(clf.oob_decision_function_, axis=1)[
        ~np.isnan(clf.oob_decision_function_[:, 0])], 1.0)
    # A refit without oob_score drops the estimate.
    clf.set_params(oob_score=False).fit(X, y)
    assert not hasattr(clf, "oob_score_")
    with pytest.raises(ValueError, match="bootstrap=True"):
        cls(oob_score=True, bootstrap=False).fit(X, y)


def test_sampling_strategy_sets_member_class_counts(data):
    X, y = data
    counts = np.bincount(y)
    clf = UnderBaggingClassifier(n_estimators=2, sampling_strategy=0.5, random_state=0)
    log = clf.fit(X, y).training_log_
    assert log[0]["class_counts"] == [2 * counts[1], counts[1]]
    over = OverBaggingClassifier(n_estimators=2, sampling_strategy={1: 100}, random_state=0)
    assert over.fit(X, y).training_log_[0]["class_counts"] == [counts[0], 100]


def test_over_bagging_tops_up_each_class_from_its_bag(data):
    # imbalanced-ensemble's rule: a bootstrap bag per class, then random over-sampling
    # within it. A member so holds about 1 - 1/e of the minority's distinct rows; drawn
    # straight from the whole class (the earlier rule) it held nearly all of them.
    X, y = data
    minority = np.flatnonzero(y == 1)
    counts = np.bincount(y)

    def distinct_share(clf):
        shares = []
        for rows in clf.fit(X, y).estimators_samples_:
            assert np.bincount(y[rows]).tolist() == [counts[0], counts[0]]
            shares.append(np.intersect1d(rows, minority).shape[0] / minority.shape[0])
        return np.mean(shares)

    bagged = distinct_share(OverBaggingClassifier(n_estimators=20, random_state=0))
    assert abs(bagged - (1 - np.exp(-1))) < 0.05
    # Without a bootstrap the bag is the whole class: every row is in every member.
    assert distinct_share(OverBaggingClassifier(n_estimators=3, bootstrap=False,
                                                random_state=0)) == 1.0


def test_max_samples_is_a_share_of_the_member_sample(data):
    X, y = data
    clf = UnderBaggingClassifier(n_estimators=2, max_samples=0.5, random_state=0).fit(X, y)
    assert clf.training_log_[0]["n_samples"] == np.bincount(y).min()
    bag = BalancedBaggingClassifier(n_estimators=2, max_samples=100, random_state=0).fit(X, y)
    assert bag._max_samples == 100 and bag.estimators_samples_[0].shape == (100,)
    with pytest.raises(ValueError, match="max_samples"):
        BalancedBaggingClassifier(max_samples=1000).fit(X, y)


@pytest.mark.parametrize("params", [{"max_samples": 0.0}, {"max_features": 1.5},
                                    {"sampling_strategy": "most"}, {"replacement": "yes"},
                                    {"oob_score": 1}, {"warm_start": None}])
@pytest.mark.parametrize("cls", BAGGING)
def test_invalid_parameters_name_themselves(cls, params, data):
    X, y = data
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        cls(**params).fit(X, y)


def test_balanced_bagging_rejects_a_non_sampler(data):
    X, y = data
    with pytest.raises(InvalidParameterError, match="sampler"):
        BalancedBaggingClassifier(sampler=LogisticRegression()).fit(X, y)


def test_balanced_random_forest_tree_parameters(data):
    X, y = data
    brf = BalancedRandomForestClassifier(n_estimators=3, max_depth=2, criterion="entropy",
                                         class_weight="balanced_subsample",
                                         random_state=0).fit(X, y)
    assert all(t.get_depth() <= 2 and t.criterion == "entropy" for t in brf.estimators_)
    assert brf.estimators_[0].class_weight == "balanced"
    with pytest.raises(ValueError, match="max_depth"):
        BalancedRandomForestClassifier(estimator=DecisionTreeClassifier(), max_depth=2).fit(X, y)
    with pytest.raises(ValueError, match="bootstrap=True"):
        BalancedRandomForestClassifier(max_samples=10).fit(X, y)


def test_balanced_random_forest_samplers_draw_the_tree_samples(data):
    X, y = data
    brf = BalancedRandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    for sampler, rows in zip(brf.samplers_, brf.estimators_samples_):
        sampler.fit_resample(X, y)
        np.testing.assert_array_equal(sampler.sample_indices_, rows)
    assert [p[-1] for p in brf.pipelines_] == brf.estimators_


def test_easy_ensemble_samplers_draw_the_member_samples(data):
    X, y = data
    eec = EasyEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert isinstance(eec.estimator_, Pipeline)
    for sampler, rows in zip(eec.samplers_, eec.estimators_samples_):
        sampler.fit_resample(X, y)
        np.testing.assert_array_equal(sampler.sample_indices_, rows)
    assert eec.feature_importances_.shape == (X.shape[1],)


def test_easy_ensemble_warns_when_its_members_are_not_adaboost(data):
    # imbalanced-ensemble's warning: another estimator makes EasyEnsemble under-bagging.
    X, y = data
    with pytest.warns(UserWarning, match="You are trying to set LogisticRegression"):
        eec = EasyEnsembleClassifier(3, LogisticRegression(), random_state=0).fit(X, y)
    under = UnderBaggingClassifier(LogisticRegression(), 3, bootstrap=False,
                                   random_state=0).fit(X, y)
    np.testing.assert_array_equal(eec.predict_proba(X), under.predict_proba(X))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for estimator in (None, AdaBoostClassifier(n_estimators=3),
                          make_pipeline(StandardScaler(), AdaBoostClassifier(n_estimators=3))):
            EasyEnsembleClassifier(2, estimator, random_state=0).fit(X, y)
