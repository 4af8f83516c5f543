"""imbtool.pipeline: samplers in pipelines, the leakage rule, searches, plain-pipeline errors."""

import pickle

import numpy as np
import pytest
from imblearn import FunctionSampler
from imblearn.over_sampling import RandomOverSampler as ImblearnROS
from imblearn.pipeline import Pipeline as ImblearnPipeline
from scipy.stats import loguniform, randint
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.cluster import KMeans
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import Pipeline as SklearnPipeline
from sklearn.pipeline import make_union
from threadpoolctl import threadpool_limits

from imbtool.base import BaseSampler
from imbtool.cost import CostSensitiveClassifier
from imbtool.datasets import load_dataset
from imbtool.ensemble import SelfPacedEnsembleClassifier
from imbtool.metrics import g_mean, get_scorer
from imbtool.over_sampling import SMOTE
from imbtool.pipeline import Pipeline, make_pipeline
from imbtool.threshold import TunedThresholdClassifier
from imbtool.utils import all_estimators

SAMPLERS = all_estimators("sampler")


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    # Tiny problems: multi-threaded BLAS only adds contention on a shared 2-core machine.
    with threadpool_limits(1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def ecoli():
    return load_dataset("ecoli1", return_X_y=True)


def sampler_data(name, ecoli):
    """Data the sampler is meant for: nominal columns for the SMOTE-N family, else ecoli1."""
    if name not in ("SMOTENC", "SMOTEN"):
        return ecoli
    german = load_dataset("german", as_frame=True)
    X = german.data
    if name == "SMOTEN":
        X = X.loc[:, german.categorical_features]
    return X, german.target.to_numpy()


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Keeps the rows it was fitted on; predicts the majority label."""

    def fit(self, X, y):
        self.X_fit_, self.y_fit_ = np.asarray(X).copy(), np.asarray(y).copy()
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[np.argmax(np.bincount(self.y_fit_.astype(int)))])


def test_one_import_is_imblearns_pipeline():
    import imblearn.pipeline

    # imbtool's Pipeline extends imbalanced-learn's (row-aligned fit params, issue 12).
    assert issubclass(Pipeline, imblearn.pipeline.Pipeline)
    assert isinstance(make_pipeline(SMOTE(), LogisticRegression()), Pipeline)


def test_resampling_happens_inside_each_training_fold_only(ecoli):
    X, y = ecoli
    # Column 0 becomes the row id, so the sampler can report which rows it was given.
    X = np.column_stack([np.arange(len(y), dtype=float), X])
    seen = []

    def record(X_fold, y_fold):
        seen.append(X_fold[:, 0].astype(int))
        return X_fold, y_fold

    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    pipe = make_pipeline(FunctionSampler(func=record, validate=False), RecordingClassifier())
    result = cross_validate(pipe, X, y, cv=cv, return_estimator=True)

    splits = list(cv.split(X, y))
    assert len(seen) == len(splits), "the sampler must run once per fit (fold), never in predict"
    for ids, (train, test) in zip(seen, splits):
        np.testing.assert_array_equal(np.sort(ids), train)
        assert np.intersect1d(ids, test).size == 0
    assert all(len(est[-1].y_fit_) == len(train) for est, (train, _) in
               zip(result["estimator"], splits))


def test_smote_synthetic_rows_come_from_training_fold_only(ecoli):
    X, y = ecoli
    cv = StratifiedKFold(4, shuffle=True, random_state=1)
    pipe = make_pipeline(SMOTE(random_state=0), RecordingClassifier())
    fitted = cross_validate(pipe, X, y, cv=cv, return_estimator=True)["estimator"]
    for est, (train, _) in zip(fitted, cv.split(X, y)):
        smote, clf = est[0], est[-1]
        n_train = len(train)
        assert smote.sample_indices_.size == n_train
        # Synthetic rows are built from rows of the training fold (indices into it).
        assert smote.synthetic_sources_.max() < n_train
        assert len(clf.y_fit_) == n_train + len(smote.synthetic_sources_)
        np.testing.assert_array_equal(clf.X_fit_[:n_train], X[train])
        counts = np.bincount(clf.y_fit_.astype(int))
        assert counts[0] == counts[1]


def test_cross_val_score_equals_manual_in_fold_resampling(ecoli):
    X, y = ecoli
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression(max_iter=1000))
    scores = cross_val_score(pipe, X, y, cv=cv, scoring=get_scorer("g_mean"))
    manual = []
    for train, test in cv.split(X, y):
        X_res, y_res = SMOTE(random_state=0).fit_resample(X[train], y[train])
        clf = LogisticRegression(max_iter=1000).fit(X_res, y_res)
        manual.append(g_mean(y[test], clf.predict(X[test])))
    np.testing.assert_allclose(scores, manual)


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[name for name, _ in SAMPLERS])
def test_every_sampler_resamples_in_fit_only(name, cls, ecoli):
    X, y = sampler_data(name, ecoli)
    # The step contract does not depend on the inner model; these two defaults take seconds.
    sampler = cls(**{"KMeansSMOTE": {"kmeans_estimator": KMeans(n_clusters=8, n_init=1,
                                                                random_state=0)},
                     "InstanceHardnessThreshold": {"estimator": LogisticRegression()},
                     }.get(name, {}))
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    pipe = make_pipeline(sampler, RecordingClassifier()).fit(X, y)
    X_res, y_res = clone(sampler).fit_resample(X, y)
    np.testing.assert_array_equal(pipe[-1].X_fit_, np.asarray(X_res))
    np.testing.assert_array_equal(pipe[-1].y_fit_, y_res)
    # predict passes the rows through untouched: one prediction per input row.
    assert pipe.predict(X[:17]).shape == (17,)


def test_grid_search_over_sampler_and_threshold_with_imbtool_scorer(ecoli):
    X, y = ecoli
    pipe = Pipeline([
        ("smote", SMOTE(random_state=0)),
        ("threshold", TunedThresholdClassifier(LogisticRegression(), cv=2)),
    ])
    grid = {
        "smote__k_neighbors": [3, 7],
        "smote__sampling_strategy": [0.5],
        "threshold__scoring": ["f1", "g_mean"],
    }
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, grid, scoring=get_scorer("g_mean"), cv=cv).fit(X, y)

    assert len(search.cv_results_["params"]) == 4
    best = search.best_index_
    params = search.cv_results_["params"][best]
    # Recompute the best cell by hand: resample the training fold, tune, score the test fold.
    for fold, (train, test) in enumerate(cv.split(X, y)):
        smote = SMOTE(random_state=0, k_neighbors=params["smote__k_neighbors"],
                      sampling_strategy=params["smote__sampling_strategy"])
        X_res, y_res = smote.fit_resample(X[train], y[train])
        tuned = TunedThresholdClassifier(LogisticRegression(), cv=2,
                                         scoring=params["threshold__scoring"])
        tuned.fit(X_res, y_res)
        assert search.cv_results_[f"split{fold}_test_score"][best] == pytest.approx(
            g_mean(y[test], tuned.predict(X[test])))
    fitted = search.best_estimator_
    assert fitted.named_steps["smote"].k_neighbors == params["smote__k_neighbors"]
    assert fitted.named_steps["threshold"].scoring == params["threshold__scoring"]


def test_randomized_search_over_sampler_and_classifier(ecoli):
    X, y = ecoli
    pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression(max_iter=1000))
    dists = {
        "smote__k_neighbors": randint(2, 9),
        "logisticregression__C": loguniform(1e-2, 1e2),
    }
    search = RandomizedSearchCV(pipe, dists, n_iter=4, cv=3, random_state=0,
                                scoring=get_scorer("average_precision")).fit(X, y)
    ks = [p["smote__k_neighbors"] for p in search.cv_results_["params"]]
    assert all(2 <= k < 9 for k in ks)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert 0 < search.best_score_ <= 1
    assert search.best_estimator_[0].k_neighbors == search.best_params_["smote__k_neighbors"]


def test_grid_search_over_ensemble_and_cost_parameters(ecoli):
    X, y = ecoli
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    scorer = get_scorer("average_precision")
    spe = Pipeline([("smote", SMOTE(random_state=0)),
                    ("spe", SelfPacedEnsembleClassifier(n_estimators=5, random_state=0))])
    grid = {"smote__sampling_strategy": [0.5, 1.0], "spe__k_bins": [3, 10]}
    search = GridSearchCV(spe, grid, scoring=scorer, cv=cv).fit(X, y)
    best = search.cv_results_["params"][search.best_index_]
    manual = cross_val_score(clone(spe).set_params(**best), X, y, cv=cv, scoring=scorer)
    assert search.best_score_ == pytest.approx(manual.mean())

    cost = make_pipeline(SMOTE(random_state=0),
                         CostSensitiveClassifier(LogisticRegression(), random_state=0))
    grid = {"smote__k_neighbors": [3, 5],
            "costsensitiveclassifier__method": ["weighting", "bayes_risk"],
            "costsensitiveclassifier__cost_matrix": [[[0, 1], [5, 0]], [[0, 1], [20, 0]]]}
    search = GridSearchCV(cost, grid, scoring=get_scorer("g_mean"), cv=cv).fit(X, y)
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    fitted = search.best_estimator_[-1]
    np.testing.assert_array_equal(fitted.cost_matrix_,
                                  search.best_params_["costsensitiveclassifier__cost_matrix"])


@pytest.mark.parametrize("build", [
    lambda s: SklearnPipeline([("s", s), ("clf", LogisticRegression())]),
    lambda s: make_union(s),
    lambda s: make_column_transformer((s, [0, 1])),
], ids=["Pipeline", "FeatureUnion", "ColumnTransformer"])
def test_plain_sklearn_containers_reject_samplers_at_fit(build, ecoli):
    # A sampler has no transform: scikit-learn's own step validation rejects it at fit.
    X, y = ecoli
    container = build(SMOTE())
    with pytest.raises(TypeError, match=r"SMOTE\(\).*transform|transform.*SMOTE\(\)"):
        container.fit(X, y)


def test_samplers_work_in_both_resampling_pipelines(ecoli):
    X, y = ecoli
    sampler = SMOTE(random_state=0)
    assert not hasattr(sampler, "transform") and not hasattr(SMOTE, "transform")
    assert isinstance(pickle.loads(pickle.dumps(sampler)), SMOTE)
    X_res, y_res = clone(sampler).fit_resample(X, y)
    expected = LogisticRegression().fit(X_res, y_res).predict(X)
    # imbtool's sampler in imbalanced-learn's Pipeline, and in imbtool's.
    for pipe in (ImblearnPipeline([("s", clone(sampler)), ("clf", LogisticRegression())]),
                 make_pipeline(clone(sampler), LogisticRegression())):
        np.testing.assert_array_equal(pipe.fit(X, y).predict(X), expected)
    # imbalanced-learn's sampler in imbtool's Pipeline.
    ros = ImblearnROS(random_state=0)
    X_res, y_res = clone(ros).fit_resample(X, y)
    expected = LogisticRegression().fit(X_res, y_res).predict(X)
    np.testing.assert_array_equal(make_pipeline(ros, LogisticRegression()).fit(X, y).predict(X),
                                  expected)


@pytest.mark.parametrize("name, cls", SAMPLERS, ids=[name for name, _ in SAMPLERS])
def test_sampler_in_plain_sklearn_pipeline_is_rejected(name, cls, ecoli):
    X, y = ecoli
    pipe = SklearnPipeline([("sampler", cls()), ("clf", LogisticRegression())])
    assert issubclass(cls, BaseSampler)
    with pytest.raises(TypeError, match=rf"transform.*{name}\("):
        pipe.fit(X, y)
