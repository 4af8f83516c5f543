"""Row-aligned fit params (weights, groups, costs) follow the rows of every sampler.

imbtool.pipeline.Pipeline carries the later steps' row-aligned fit params
through each sampler step, with and without scikit-learn's metadata routing,
and the resampling ensembles pass a user's sample_weight to every member
aligned with the member's rows. Every check compares against the same
resampling done by hand (sampler.fit_resample + resample_aligned) on real data.
"""

import numpy as np
import pandas as pd
import pytest
import sklearn
from imblearn.over_sampling import SMOTE as ImblearnSMOTE
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from imbtool.combine import SMOTEENN
from imbtool.datasets import load_dataset
from imbtool.ensemble import (
    BalanceCascadeClassifier,
    KMeansSMOTEBoostClassifier,
    OverBaggingClassifier,
    OverBoostClassifier,
    RUSBoostClassifier,
    SelfPacedEnsembleClassifier,
    SMOTEBaggingClassifier,
    SMOTEBoostClassifier,
    UnderBaggingClassifier,
)
from imbtool.ensemble._base import MAX_INT
from imbtool.over_sampling import SMOTE, RandomOverSampler
from imbtool.pipeline import Pipeline, make_pipeline
from imbtool.under_sampling import EditedNearestNeighbours
from imbtool.utils import all_estimators, resample_aligned


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def yeast():
    X, y = load_dataset("yeast1", return_X_y=True)
    # Survey-style weights that vary with a feature, so misaligned rows change the model.
    weight = 0.5 + 2.0 * (X[:, 0] > np.median(X[:, 0])) + np.linspace(0, 1, len(y))
    return X, y, weight


class Recorder(ClassifierMixin, BaseEstimator):
    """Keeps the rows and the row-aligned fit params it was fitted with."""

    def fit(self, X, y, sample_weight=None, costs=None, groups=None):
        self.X_fit_, self.y_fit_ = np.asarray(X).copy(), np.asarray(y).copy()
        self.sample_weight_, self.costs_, self.groups_ = sample_weight, costs, groups
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


SAMPLERS = {
    "smote": lambda: SMOTE(random_state=0),
    "enn": lambda: EditedNearestNeighbours(),
    "smoteenn": lambda: SMOTEENN(random_state=0),
}


def by_hand(sampler, X, y, weight, rule):
    X_res, y_res = sampler.fit_resample(X, y)
    return X_res, y_res, resample_aligned(sampler, weight, rule=rule)


@pytest.mark.parametrize("rule", ["seed", "interpolate"])
@pytest.mark.parametrize("kind", sorted(SAMPLERS))
def test_weighted_pipeline_is_the_model_fitted_on_resampled_data_and_weights(yeast, kind, rule):
    X, y, weight = yeast
    pipe = make_pipeline(SAMPLERS[kind](), LogisticRegression(max_iter=500),
                         aligned_rules={"sample_weight": rule})
    pipe.fit(X, y, logisticregression__sample_weight=weight)

    X_res, y_res, w_res = by_hand(SAMPLERS[kind](), X, y, weight, rule)
    assert len(w_res) == len(y_res) != len(y)
    expected = LogisticRegression(max_iter=500).fit(X_res, y_res, sample_weight=w_res)
    np.testing.assert_allclose(pipe[-1].coef_, expected.coef_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(pipe[-1].intercept_, expected.intercept_, rtol=1e-12, atol=1e-12)
    # The weights matter: dropping them gives another model.
    unweighted = LogisticRegression(max_iter=500).fit(X_res, y_res)
    assert not np.allclose(unweighted.coef_, expected.coef_, rtol=1e-3)


def test_classifier_receives_each_rows_own_weight(yeast):
    X, y, weight = yeast
    pipe = make_pipeline(SMOTE(random_state=0), Recorder())
    pipe.fit(X, y, recorder__sample_weight=weight)
    smote, rec = pipe[0], pipe[-1]
    n_kept = smote.sample_indices_.size
    np.testing.assert_array_equal(rec.X_fit_[:n_kept], X[smote.sample_indices_])
    np.testing.assert_array_equal(rec.sample_weight_[:n_kept], weight[smote.sample_indices_])
    np.testing.assert_array_equal(rec.sample_weight_[n_kept:],
                                  weight[smote.synthetic_sources_[:, 0]])


def test_interpolated_weight_is_the_features_interpolation(yeast):
    X, y, weight = yeast
    pipe = make_pipeline(SMOTE(random_state=0), Recorder(),
                         aligned_rules={"recorder__sample_weight": "interpolate"})
    pipe.fit(X, y, recorder__sample_weight=weight)
    smote, rec = pipe[0], pipe[-1]
    seed, partner = smote.synthetic_sources_.T
    step = smote.synthetic_steps_
    n_kept = smote.sample_indices_.size
    np.testing.assert_allclose(rec.X_fit_[n_kept:],
                               X[seed] + step[:, None] * (X[partner] - X[seed]),
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(rec.sample_weight_[n_kept:],
                               weight[seed] + step * (weight[partner] - weight[seed]),
                               rtol=0, atol=1e-12)


def test_params_follow_two_samplers_and_reach_a_weighted_transformer(yeast):
    X, y, weight = yeast
    pipe = make_pipeline(SMOTE(random_state=0), EditedNearestNeighbours(), StandardScaler(),
                         LogisticRegression(max_iter=500))
    pipe.fit(X, y, standardscaler__sample_weight=weight,
             logisticregression__sample_weight=weight)

    smote, enn = SMOTE(random_state=0), EditedNearestNeighbours()
    X1, y1, w1 = by_hand(smote, X, y, weight, "seed")
    X2, y2, w2 = by_hand(enn, X1, y1, w1, "seed")
    scaler = StandardScaler().fit(X2, sample_weight=w2)
    np.testing.assert_allclose(pipe[2].mean_, scaler.mean_, rtol=1e-12)
    expected = LogisticRegression(max_iter=500).fit(scaler.transform(X2), y2, sample_weight=w2)
    np.testing.assert_allclose(pipe[-1].coef_, expected.coef_, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("rule", ["seed", "interpolate"])
def test_2d_and_pandas_params_follow_the_rows(yeast, rule):
    X, y, weight = yeast
    costs = np.column_stack([weight, 1 + X[:, 1]])
    frame = pd.DataFrame(costs, columns=["fp", "fn"], index=np.arange(len(y)) + 1000)
    series = pd.Series(weight, name="w", index=frame.index)
    groups = np.repeat(np.arange(len(y) // 4 + 1), 4)[: len(y)].astype(str)
    for cost_param in (costs, frame):
        pipe = make_pipeline(SMOTE(random_state=0), Recorder(),
                             aligned_rules={"sample_weight": rule, "costs": rule})
        pipe.fit(X, y, recorder__sample_weight=series, recorder__costs=cost_param,
                 recorder__groups=groups)
        smote, rec = pipe[0], pipe[-1]
        assert isinstance(rec.sample_weight_, pd.Series) and rec.sample_weight_.name == "w"
        pd.testing.assert_series_equal(rec.sample_weight_,
                                       resample_aligned(smote, series, rule=rule))
        assert type(rec.costs_) is type(cost_param) and rec.costs_.shape == (len(rec.y_fit_), 2)
        if isinstance(cost_param, pd.DataFrame):
            pd.testing.assert_frame_equal(rec.costs_, resample_aligned(smote, frame, rule=rule))
        else:
            np.testing.assert_array_equal(rec.costs_, resample_aligned(smote, costs, rule=rule))
        # groups always take the seed's value: no synthetic row joins a foreign group.
        np.testing.assert_array_equal(rec.groups_, resample_aligned(smote, groups))


def test_params_that_are_not_row_aligned_pass_unchanged(yeast):
    X, y, weight = yeast
    other = np.arange(7)
    pipe = make_pipeline(SMOTE(random_state=0), Recorder())
    pipe.fit(X, y, recorder__sample_weight=weight, recorder__costs=other)
    assert pipe[-1].costs_ is other


def test_fit_predict_and_fit_resample_carry_params_too(yeast):
    X, y, weight = yeast
    pipe = make_pipeline(SMOTE(random_state=0), KMeans(n_clusters=2, n_init=1, random_state=0))
    labels = pipe.fit_predict(X, y, kmeans__sample_weight=weight)
    X_res, _, w_res = by_hand(SMOTE(random_state=0), X, y, weight, "seed")
    expected = KMeans(n_clusters=2, n_init=1, random_state=0).fit_predict(X_res,
                                                                          sample_weight=w_res)
    np.testing.assert_array_equal(labels, expected)

    # A sampler as the last step gets the first sampler's rows (class_counts by weight).
    last = EditedNearestNeighbours(class_counts="weight")
    pipe = make_pipeline(RandomOverSampler(random_state=0), last)
    X_out, y_out = pipe.fit_resample(X, y, editednearestneighbours__sample_weight=weight)
    ros = RandomOverSampler(random_state=0)
    X1, y1, w1 = by_hand(ros, X, y, weight, "seed")
    X2, y2 = clone(last).fit_resample(X1, y1, sample_weight=w1)
    np.testing.assert_array_equal(X_out, X2)
    np.testing.assert_array_equal(y_out, y2)


def test_sampler_weights_are_not_dropped_without_routing(yeast):
    # imbalanced-learn's Pipeline drops "smote__sample_weight" silently without routing.
    X, y, weight = yeast
    weight = np.where(y == 1, 3.0, 1.0) * weight
    pipe = make_pipeline(SMOTE(class_counts="weight", random_state=0), Recorder())
    pipe.fit(X, y, smote__sample_weight=weight, recorder__sample_weight=weight)
    hand = SMOTE(class_counts="weight", random_state=0)
    X_res, _ = hand.fit_resample(X, y, sample_weight=weight)
    assert len(X_res) != len(SMOTE().fit_resample(X, y)[0])
    np.testing.assert_array_equal(pipe[-1].X_fit_, X_res)
    np.testing.assert_array_equal(pipe[-1].sample_weight_, resample_aligned(hand, weight))


def test_rules_survive_clone_and_slicing():
    pipe = make_pipeline(SMOTE(), StandardScaler(), Recorder(),
                         aligned_rules={"sample_weight": "interpolate"})
    assert clone(pipe).aligned_rules == {"sample_weight": "interpolate"}
    assert pipe[:2].aligned_rules == {"sample_weight": "interpolate"}
    assert isinstance(pipe[:2], Pipeline)


def test_pipeline_needs_steps_and_is_no_sampler():
    # As scikit-learn's Pipeline: no default steps.
    with pytest.raises(TypeError, match="steps"):
        Pipeline()
    assert "Pipeline" not in [name for name, _ in all_estimators("sampler")]
    # fit_resample exists exactly when the last step is a sampler, as in imbalanced-learn.
    assert not hasattr(make_pipeline(SMOTE(), LogisticRegression()), "fit_resample")
    assert hasattr(make_pipeline(StandardScaler(), SMOTE()), "fit_resample")


def test_cached_pipeline_carries_params(yeast, tmp_path):
    X, y, weight = yeast
    pipe = Pipeline([("smote", SMOTE(random_state=0)), ("lr", LogisticRegression(max_iter=500))],
                    memory=str(tmp_path))
    pipe.fit(X, y, lr__sample_weight=weight)
    X_res, y_res, w_res = by_hand(SMOTE(random_state=0), X, y, weight, "seed")
    expected = LogisticRegression(max_iter=500).fit(X_res, y_res, sample_weight=w_res)
    np.testing.assert_allclose(pipe[-1].coef_, expected.coef_, rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "params, match",
    [
        ({"recorder__sample_weight": np.ones(10)}, "'sample_weight'.*10 rows but X has"),
        ({"recorder__groups": np.ones(5)}, "'groups'.*5 rows but X has"),
        ({"recorder__costs": np.ones(9)}, "'costs'.*9 rows but X has"),
        ({"recorder__sample_weight": "negative"}, "'sample_weight'.*negative"),
        ({"recorder__sample_weight": "nan"}, "'sample_weight'.*NaN or infinite"),
        ({"recorder__sample_weight": "inf"}, "'sample_weight'.*NaN or infinite"),
        ({"recorder__sample_weight": "text"}, "'sample_weight'.*numeric"),
        ({"recorder__costs": "text"}, "interpolate fit param 'costs'.*not numeric"),
    ],
)
def test_bad_aligned_params_get_a_value_error_naming_them(yeast, params, match):
    X, y, weight = yeast
    values = {
        "negative": np.where(np.arange(len(y)) == 3, -1.0, weight),
        "nan": np.where(np.arange(len(y)) == 3, np.nan, weight),
        "inf": np.where(np.arange(len(y)) == 3, np.inf, weight),
        "text": np.array(["a", "b"] * (len(y) // 2) + ["a"] * (len(y) % 2)),
    }
    params = {k: values[v] if isinstance(v, str) else v for k, v in params.items()}
    pipe = make_pipeline(SMOTE(random_state=0), Recorder(), aligned_rules={"costs": "interpolate"})
    with pytest.raises(ValueError, match=match):
        pipe.fit(X, y, **params)


def test_interpolation_of_a_non_numeric_frame_is_refused(yeast):
    X, y, _ = yeast
    frame = pd.DataFrame({"cost": np.ones(len(y)), "who": ["x"] * len(y)})
    pipe = make_pipeline(EditedNearestNeighbours(), Recorder(),
                         aligned_rules={"costs": "interpolate"})
    with pytest.raises(ValueError, match="'costs'.*not numeric"):
        pipe.fit(X, y, recorder__costs=frame)


def test_bad_aligned_rules_and_samplers_without_provenance(yeast):
    X, y, weight = yeast
    with pytest.raises(ValueError, match="aligned_rules"):
        make_pipeline(SMOTE(), Recorder(), aligned_rules={"sample_weight": "mean"}).fit(
            X, y, recorder__sample_weight=weight)
    # imbalanced-learn's SMOTE records no sample_indices_: the row-aligned param cannot follow.
    with pytest.raises(ValueError, match="'sample_weight'.*step 'smote'.*sample_indices_"):
        make_pipeline(ImblearnSMOTE(random_state=0), Recorder()).fit(
            X, y, recorder__sample_weight=weight)
    # Without params to carry, such a sampler still works as in imbalanced-learn.
    make_pipeline(ImblearnSMOTE(random_state=0), Recorder()).fit(X, y)


def test_caller_arrays_are_not_modified(yeast):
    X, y, weight = yeast
    w = weight.copy()
    frame = pd.DataFrame({"w": weight})
    make_pipeline(SMOTE(random_state=0), Recorder(), aligned_rules={"sample_weight": "interpolate"}
                  ).fit(X, y, recorder__sample_weight=w, recorder__costs=frame)
    np.testing.assert_array_equal(w, weight)
    np.testing.assert_array_equal(frame["w"].to_numpy(), weight)


# -------------------------------------------------------- metadata routing
@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def routed_pipeline(sampler, rule="seed", C=1.0):
    # The sampler does not request the weights (it counts rows); only the classifier does.
    clf = LogisticRegression(C=C, max_iter=500).set_fit_request(sample_weight=True)
    clf.set_score_request(sample_weight=True)  # held-out rows are original: weights align
    return make_pipeline(sampler, clf, aligned_rules={"sample_weight": rule})


def weighted_accuracy():
    # An explicit scorer that requests the weights: scikit-learn routes them to the default
    # scorer (the pipeline's score) only from 1.8 on.
    return make_scorer(accuracy_score).set_score_request(sample_weight=True)


@pytest.mark.parametrize("kind, rule", [("smote", "interpolate"), ("enn", "seed")])
def test_grid_search_routes_aligned_weights_to_the_classifier(yeast, routing, kind, rule):
    X, y, weight = yeast
    pipe = routed_pipeline(SAMPLERS[kind](), rule)
    search = GridSearchCV(pipe, {"logisticregression__C": [0.1, 1.0]}, cv=3,
                          scoring=weighted_accuracy())
    search.fit(X, y, sample_weight=weight)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))

    best_C = search.best_params_["logisticregression__C"]
    X_res, y_res, w_res = by_hand(SAMPLERS[kind](), X, y, weight, rule)
    expected = LogisticRegression(C=best_C, max_iter=500).fit(X_res, y_res, sample_weight=w_res)
    np.testing.assert_allclose(search.best_estimator_[-1].coef_, expected.coef_,
                               rtol=1e-12, atol=1e-12)


def test_every_routed_fold_gets_its_own_rows_weights(yeast, routing):
    X, y, weight = yeast
    pipe = routed_pipeline(SMOTE(random_state=0))
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    out = cross_validate(pipe, X, y, cv=cv, params={"sample_weight": weight},
                         scoring=weighted_accuracy(), return_estimator=True, return_indices=True)
    for fitted, train in zip(out["estimator"], out["indices"]["train"]):
        X_res, y_res, w_res = by_hand(SMOTE(random_state=0), X[train], y[train], weight[train],
                                      "seed")
        expected = LogisticRegression(max_iter=500).fit(X_res, y_res, sample_weight=w_res)
        np.testing.assert_allclose(fitted[-1].coef_, expected.coef_, rtol=1e-12, atol=1e-12)


def test_routed_weights_reach_a_weight_counting_sampler_and_the_classifier(yeast, routing):
    X, y, weight = yeast
    smote = SMOTE(random_state=0,
                  class_counts="weight").set_fit_resample_request(sample_weight=True)
    clf = Recorder().set_fit_request(sample_weight=True)
    pipe = make_pipeline(smote, clf).fit(X, y, sample_weight=weight)

    hand = SMOTE(random_state=0, class_counts="weight")
    X_res, y_res = hand.fit_resample(X, y, sample_weight=weight)
    np.testing.assert_array_equal(pipe[-1].X_fit_, X_res)
    np.testing.assert_array_equal(pipe[-1].sample_weight_, resample_aligned(hand, weight))


def test_routed_bad_weights_are_named(yeast, routing):
    X, y, weight = yeast
    pipe = routed_pipeline(SMOTE(random_state=0))
    with pytest.raises(ValueError, match="'sample_weight'.*negative"):
        pipe.fit(X, y, sample_weight=-weight)
    with pytest.raises(ValueError, match="'sample_weight'.*rows but X has"):
        pipe.fit(X, y, sample_weight=weight[:-1])


# --------------------------------------------------------------- ensembles
class ProbaRecorder(Recorder):
    """Recorder with the predict_proba that SPE and BalanceCascade need."""

    def predict_proba(self, X):
        proba = np.zeros((len(X), len(self.classes_)))
        proba[:, 0] = 1.0
        return proba


def distinct_rows(X, y, weight):
    """Drop repeated rows, so that each row of a member's data names one input row."""
    keep = np.sort(np.unique(X, axis=0, return_index=True)[1])
    return X[keep], y[keep], weight[keep]


def rows_in(X, member):
    """Index in X of each row the member was fitted on, -1 for a synthetic row."""
    lookup = {row.tobytes(): i for i, row in enumerate(X)}
    return np.array([lookup.get(row.tobytes(), -1) for row in member.X_fit_])


@pytest.mark.parametrize("ensemble", [
    UnderBaggingClassifier(n_estimators=3, random_state=0),
    OverBaggingClassifier(n_estimators=2, random_state=0),
    SelfPacedEnsembleClassifier(n_estimators=3, random_state=0),
    BalanceCascadeClassifier(n_estimators=3, random_state=0),
], ids=lambda e: type(e).__name__)
def test_under_sampling_ensembles_give_each_member_its_rows_weights(yeast, ensemble):
    X, y, weight = distinct_rows(*yeast)
    ensemble = clone(ensemble).set_params(estimator=ProbaRecorder())
    ensemble.fit(X, y, sample_weight=weight)
    for member in ensemble.estimators_:
        rows = rows_in(X, member)
        assert rows.min() >= 0 and len(rows) != len(y)
        np.testing.assert_array_equal(member.sample_weight_, weight[rows])


def smote_by_hand(X, y, weight, member_seed, rule):
    """What SMOTEBagging (bootstrap=False) and SMOTEBoost's first round give a member."""
    smote_seed = np.random.RandomState(member_seed).randint(MAX_INT)
    counts = np.bincount(y)
    smote = SMOTE(sampling_strategy={1: int(counts.max())}, random_state=smote_seed, n_jobs=1)
    X_res, y_res = smote.fit_resample(X, y)
    if rule == "class_mean":
        means = np.bincount(y, weights=weight) / counts
        return X_res, np.concatenate([weight, means[y_res[len(y):]]])
    return X_res, resample_aligned(smote, weight, rule=rule)


@pytest.mark.parametrize("rule", ["seed", "interpolate", "class_mean"])
def test_smote_bagging_member_gets_smote_rows_and_weights_by_the_rule(yeast, rule):
    X, y, weight = yeast
    ensemble = SMOTEBaggingClassifier(Recorder(), n_estimators=1, bootstrap=False,
                                      synthetic_weight=rule, random_state=0)
    ensemble.fit(X, y, sample_weight=weight)
    # Without bootstrap the member's data are the classes in order, then SMOTE's rows.
    order = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)])
    member_seed = np.random.RandomState(0).randint(MAX_INT, size=1)[0]
    X_res, w_res = smote_by_hand(X[order], y[order], weight[order], member_seed, rule)
    member = ensemble.estimators_[0]
    np.testing.assert_array_equal(member.X_fit_, X_res)
    np.testing.assert_allclose(member.sample_weight_, w_res, rtol=1e-15)


@pytest.mark.parametrize("rule", ["seed", "interpolate"])
def test_smote_boost_member_gets_boosting_weights_by_the_rule(yeast, rule):
    X, y, weight = yeast
    ensemble = SMOTEBoostClassifier(Recorder(), n_estimators=1, synthetic_weight=rule,
                                    random_state=0)
    ensemble.fit(X, y, sample_weight=weight)
    member_seed = np.random.RandomState(0).randint(MAX_INT, size=1)[0]
    X_res, w_res = smote_by_hand(X, y, weight / weight.sum(), member_seed, rule)
    member = ensemble.estimators_[0]
    np.testing.assert_array_equal(member.X_fit_, X_res)
    np.testing.assert_allclose(member.sample_weight_, w_res / w_res.sum(), rtol=1e-12)


@pytest.mark.parametrize("boost", [RUSBoostClassifier, OverBoostClassifier],
                         ids=lambda c: c.__name__)
def test_random_resampling_boosters_keep_each_rows_weight(yeast, boost):
    X, y, weight = distinct_rows(*yeast)
    ensemble = boost(Recorder(), n_estimators=1, random_state=0).fit(X, y, sample_weight=weight)
    member = ensemble.estimators_[0]
    rows = rows_in(X, member)
    assert rows.min() >= 0
    expected = weight[rows] / weight[rows].sum()
    np.testing.assert_allclose(member.sample_weight_, expected, rtol=1e-12)


def test_kmeans_smote_boost_synthetic_rows_take_their_seeds_weight(yeast):
    X, y, weight = distinct_rows(*yeast)
    ensemble = KMeansSMOTEBoostClassifier(Recorder(), n_estimators=1, random_state=0)
    ensemble.fit(X, y, sample_weight=weight)
    member = ensemble.estimators_[0]
    n = len(y)
    start = weight / weight.sum()
    scale = 1 / member.sample_weight_[:n].sum()  # member weights are renormalised
    np.testing.assert_array_equal(member.X_fit_[:n], X)
    np.testing.assert_allclose(member.sample_weight_[:n] * scale, start, rtol=1e-12)
    synthetic = member.sample_weight_[n:] * scale
    assert synthetic.size > 0 and np.all(member.y_fit_[n:] == 1)
    # Each synthetic weight is the weight of one minority row (its seed).
    minority = start[y == 1]
    nearest = np.abs(synthetic[:, None] - minority[None, :]).min(axis=1)
    assert nearest.max() <= 1e-12 * minority.max()
