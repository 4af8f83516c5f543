"""imbtool.model_selection: RemedySearchCV on real KEEL data -- no leakage, shared folds,
thresholds from the same fits, halving, prior correction, bad input -- and its Display."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joblib import parallel_backend
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score, matthews_corrcoef
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from imbtool.datasets import load_dataset
from imbtool.model_selection import (
    REMEDY_NAMES,
    RemedyFailedWarning,
    RemedySearchCV,
    nested_remedy_score,
)
from imbtool.model_selection._scoring import FoldScoring
from imbtool.over_sampling import SMOTE
from imbtool.pipeline import make_pipeline
from imbtool.threshold import FBeta, RecallAtPrecision, TunedThresholdClassifier, prior_shift
from imbtool.under_sampling import RandomUnderSampler
from imbtool.utils._compat import DASK_INSTALLED, MATPLOTLIB_INSTALLED, XGBOOST_INSTALLED

FITS = []


class SpyLogisticRegression(LogisticRegression):
    """Records every fit (its training rows) and every prediction input."""

    def fit(self, X, y, sample_weight=None):
        FITS.append(("fit", self.class_weight, np.array(X, copy=True)))
        return super().fit(X, y, sample_weight=sample_weight)

    def predict_proba(self, X):
        FITS.append(("predict", self.class_weight, np.array(X, copy=True)))
        return super().predict_proba(X)


class SpySMOTE(SMOTE):
    """Records the rows it is asked to resample."""

    def fit_resample(self, X, y, **params):
        FITS.append(("resample", None, np.array(X, copy=True)))
        return super().fit_resample(X, y, **params)


class FailsOnLateFolds(RandomUnderSampler):
    """Passes its rows through, but refuses a training set holding both ``marks`` rows."""

    marks = ()

    def fit_resample(self, X, y, **params):
        if self.marks and all((np.asarray(X) == m).all(axis=1).any() for m in self.marks):
            raise ValueError("both marked rows are in this training fold")
        return X, y


class WeightSpy(LogisticRegression):
    """Records the labels and sample weights of every fit."""

    def fit(self, X, y, sample_weight=None):
        FITS.append(("weights", np.array(y, copy=True),
                     None if sample_weight is None else np.array(sample_weight, dtype=float)))
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture
def spy():
    FITS.clear()
    yield FITS
    FITS.clear()


@pytest.fixture(scope="module")
def ecoli():
    return load_dataset("ecoli1", return_X_y=True)


@pytest.fixture(scope="module")
def glass():
    return load_dataset("glass1", return_X_y=True)


def _lr():
    return make_pipeline(StandardScaler(), LogisticRegression())


def _rows(X):
    return {row.tobytes() for row in np.ascontiguousarray(X)}


def _splits(X, y, n_splits=5, seed=0):
    return list(StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(X, y))


def _f1_at_cuts(y, score, cuts):
    """F1 of ``score >= t`` for every ``t`` in ``cuts``, by brute force (0 without positives)."""
    predicted = score[None, :] >= cuts[:, None]
    tp = (predicted & (y == 1)).sum(axis=1)
    wrong = (predicted != (y == 1)).sum(axis=1)
    return 2 * tp / np.maximum(2 * tp + wrong, 1)


def _row(search, remedy, threshold="default"):
    return search.cv_results_["params"].index({"remedy": remedy, "threshold": threshold})


def test_resampling_touches_training_folds_only_and_validation_sees_original_rows(ecoli, spy):
    X, y = ecoli
    search = RemedySearchCV(SpyLogisticRegression(max_iter=1000),
                            remedies=[SpySMOTE(k_neighbors=3)], factor=1, random_state=0).fit(X, y)
    splits = _splits(X, y)
    resampled = [_rows(x) for kind, _, x in spy if kind == "resample"]
    fitted = [x for kind, _, x in spy if kind == "fit"]
    predicted = [x for kind, _, x in spy if kind == "predict"]
    # 5 training folds and the refit; the refit's classes are counted without resampling again.
    assert len(resampled) == 6 and len(fitted) == 6 and len(predicted) == 5
    for k, (train, val) in enumerate(splits):
        assert resampled[k] == _rows(X[train])
        assert not resampled[k] & _rows(X[val])
        # The fold model learned synthetic rows, none of them a validation row.
        assert len(fitted[k]) > len(train) and not _rows(fitted[k]) & _rows(X[val])
        # Validation: exactly the held-out rows, original and in order.
        np.testing.assert_array_equal(predicted[k], X[val])
    assert resampled[5] == _rows(X)
    assert search.cv_results_["params"][search.best_index_]["remedy"] == "spysmote"


def test_all_candidates_use_the_same_folds(ecoli, spy):
    X, y = ecoli
    RemedySearchCV(SpyLogisticRegression(max_iter=1000), remedies=["none", "class_weight"],
                   factor=1, refit=False, random_state=3).fit(X, y)
    by_remedy = {}
    for kind, class_weight, x in spy:
        if kind == "fit":
            by_remedy.setdefault(class_weight, []).append(_rows(x))
    assert set(by_remedy) == {None, "balanced"}
    assert by_remedy[None] == by_remedy["balanced"]
    assert by_remedy[None] == [_rows(X[train]) for train, _ in _splits(X, y, seed=3)]


def test_tuned_threshold_reuses_the_fold_fits(ecoli, spy):
    X, y = ecoli
    model = SpyLogisticRegression(max_iter=1000)
    with_tuning = RemedySearchCV(model, remedies=["none", "class_weight"], factor=1,
                                 random_state=0).fit(X, y)
    n_with = sum(kind == "fit" for kind, _, _ in spy)
    spy.clear()
    RemedySearchCV(model, remedies=["none", "class_weight"], factor=1, tune_threshold=False,
                   random_state=0).fit(X, y)
    assert n_with == sum(kind == "fit" for kind, _, _ in spy) == 2 * 5 + 1
    results = with_tuning.cv_results_
    tuned = [_row(with_tuning, r, "tuned") for r in ("none", "class_weight")]
    assert all(results["status"][i] == "ok" for i in tuned)
    assert np.isfinite(results["mean_test_score"][tuned]).all()
    # The refit threshold is the one TunedThresholdClassifier finds on the same folds' scores.
    with_tuning.set_params(remedies=["none"], estimator=LogisticRegression(max_iter=1000)).fit(X, y)
    if with_tuning.best_threshold_ is None:
        pytest.fail("on ecoli1 the tuned threshold beats logistic regression's default")
    reference = TunedThresholdClassifier(LogisticRegression(max_iter=1000), scoring="f1",
                                         cv=_splits(X, y)).fit(X, y)
    assert with_tuning.best_threshold_ == pytest.approx(reference.best_threshold_, rel=1e-12)
    # Fold k is scored at a threshold that maximises F1 on the other folds' held-out scores.
    scores = np.empty(len(y))
    for train, val in _splits(X, y):
        scores[val] = clone(reference.estimator).fit(X[train], y[train]).predict_proba(X[val])[:, 1]
    row = _row(with_tuning, "none", "tuned")
    for k, (_, val) in enumerate(_splits(X, y)):
        other = np.setdiff1d(np.arange(len(y)), val)
        cuts = np.r_[np.unique(scores), np.inf]
        f1_other = _f1_at_cuts(y[other], scores[other], cuts)
        optimal = cuts[f1_other >= f1_other.max() - 1e-12]
        reachable = _f1_at_cuts(y[val], scores[val], optimal)
        reached = with_tuning.cv_results_[f"split{k}_test_score"][row]
        assert min(abs(reached - v) for v in reachable) < 1e-12


@settings(max_examples=25, deadline=None)
@given(
    labels=st.lists(st.booleans(), min_size=4, max_size=40).filter(lambda v: 0 < sum(v) < len(v)),
    data=st.data(),
)
def test_fold_score_at_any_threshold_equals_scikit_learns_metric(labels, data):
    y = np.array(labels, dtype=int)
    # Scores on a coarse grid, so ties are common; thresholds between, on and above them.
    score = np.array(data.draw(st.lists(st.integers(0, 5), min_size=len(y), max_size=len(y))))
    threshold = data.draw(st.sampled_from([-1.0, 0.5, 2.0, 2.5, 5.0, 7.0]))
    predicted = (score >= threshold).astype(int)
    for name, reference in (
        ("f1", lambda: f1_score(y, predicted, zero_division=0)),
        ("balanced_accuracy", lambda: balanced_accuracy_score(y, predicted)),
        ("mcc", lambda: matthews_corrcoef(y, predicted)),
    ):
        got = FoldScoring(name, np.array([0, 1])).at_threshold(y == 1, score.astype(float),
                                                               threshold)
        assert got == pytest.approx(reference(), abs=1e-12)


def test_halving_stops_hopeless_candidates_and_keeps_their_folds(glass, spy):
    X, y = glass
    search = RemedySearchCV(make_pipeline(StandardScaler(), SpyLogisticRegression()),
                            random_state=0).fit(X, y)
    results = search.cv_results_
    assert search.n_resources_ == [2, 5] and search.n_candidates_ == [7, 3]
    stopped = results["status"] == "stopped"
    ok = results["status"] == "ok"
    assert stopped.sum() == 2 * 4 and ok.sum() == 2 * 3
    assert (results["n_resources"][stopped] == 2).all() and (results["n_resources"][ok] == 5).all()
    assert np.isnan(results["split2_test_score"][stopped]).all()
    assert results["status"][search.best_index_] == "ok"
    assert results["rank_test_score"][search.best_index_] == 1
    # Survivors keep their first two folds: each candidate is fitted once per fold it reached
    # (a Self-paced Ensemble fits 10 members), plus the refit of the winner.
    members = {"self_paced_ensemble": 10}
    default = [i for i, p in enumerate(results["params"]) if p["threshold"] == "default"]
    expected = sum(members.get(results["params"][i]["remedy"], 1) * results["n_resources"][i]
                   for i in default) + members.get(search.best_remedy_, 1)
    fits_of_plain_models = sum(kind == "fit" for kind, _, _ in spy)
    assert fits_of_plain_models == expected
    no_halving = RemedySearchCV(make_pipeline(StandardScaler(), SpyLogisticRegression()),
                                factor=1, random_state=0)
    spy.clear()
    no_halving.fit(X, y)
    assert sum(kind == "fit" for kind, _, _ in spy) > fits_of_plain_models
    assert (no_halving.cv_results_["n_resources"][no_halving.cv_results_["status"] == "ok"]
            == 5).all()


@pytest.mark.parametrize(
    "estimator, skipped",
    [
        (_lr(), {"focal_loss": "LightGBM"}),
        (KNeighborsClassifier(), {"class_weight": "no class_weight", "focal_loss": "LightGBM"}),
        (RandomForestClassifier(n_estimators=5, random_state=0),
         {"self_paced_ensemble": "ensemble already", "focal_loss": "LightGBM"}),
        (LGBMClassifier(n_estimators=10, n_jobs=1, verbose=-1, random_state=0),
         {"self_paced_ensemble": "ensemble already"}),
    ],
    ids=["logistic", "knn", "forest", "lightgbm"],
)
def test_auto_remedies_follow_what_the_estimator_can_do(ecoli, estimator, skipped):
    X, y = ecoli
    search = RemedySearchCV(estimator, cv=3, random_state=0).fit(X, y)
    results = search.cv_results_
    names = [p["remedy"] for p in results["params"][::2]]
    assert names == [n for n in REMEDY_NAMES if n != "under_bagging"]
    for i, params in enumerate(results["params"]):
        if params["remedy"] in skipped:
            assert results["status"][i] == "skipped"
            assert skipped[params["remedy"]] in results["reason"][i]
        else:
            assert results["status"][i] in ("ok", "stopped"), results["reason"][i]


def test_class_weight_falls_back_to_balanced_sample_weight(ecoli):
    from sklearn.naive_bayes import GaussianNB

    X, y = ecoli
    search = RemedySearchCV(GaussianNB(), remedies=["class_weight"], cv=3, random_state=0).fit(X, y)
    balanced = GaussianNB().fit(X, y, sample_weight=np.where(y == 1, 0.5 / y.mean(),
                                                             0.5 / (1 - y.mean())))
    np.testing.assert_allclose(search.best_estimator_.class_prior_, balanced.class_prior_)
    np.testing.assert_allclose(search.training_prior_, [0.5, 0.5])


def test_focal_loss_for_lightgbm_copies_the_booster_settings(ecoli):
    X, y = ecoli
    model = LGBMClassifier(n_estimators=15, num_leaves=7, n_jobs=1, verbose=-1, random_state=0)
    search = RemedySearchCV(model, remedies=["focal_loss"], cv=3, random_state=0).fit(X, y)
    booster = search.best_estimator_
    assert type(booster).__name__ == "LGBMImbalancedClassifier" and booster.loss == "focal"
    assert (booster.n_estimators, booster.num_leaves) == (15, 7)


def test_param_grid_of_a_remedy_and_user_objects(ecoli):
    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=[("smote", {"k_neighbors": [2, 7]}), "none"],
                            cv=3, factor=1, random_state=0).fit(X, y)
    names = [p["remedy"] for p in search.cv_results_["params"][::2]]
    assert names == ["smote(k_neighbors=2)", "smote(k_neighbors=7)", "none"]
    if search.best_remedy_.startswith("smote"):
        k = int(search.best_remedy_[-2])
        assert search.best_estimator_.named_steps["sampler"].k_neighbors == k
    from imbtool.ensemble import SelfPacedEnsembleClassifier

    wrapped = RemedySearchCV(LogisticRegression(max_iter=1000),
                             remedies=[SelfPacedEnsembleClassifier(n_estimators=3)], cv=3,
                             random_state=0).fit(X, y)
    member = wrapped.best_estimator_.estimator
    assert isinstance(member, LogisticRegression) and member.max_iter == 1000


def test_predict_proba_is_moved_back_to_the_true_prior(ecoli):
    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=["random_under_sampler"], cv=3,
                            random_state=0).fit(X, y)
    counts = np.bincount(y)
    np.testing.assert_allclose(search.training_prior_, [0.5, 0.5])
    np.testing.assert_allclose(search.deployment_prior_, counts / counts.sum())
    raw = search.best_estimator_.predict_proba(X)
    proba = search.predict_proba(X)
    np.testing.assert_allclose(proba, prior_shift(raw, [0.5, 0.5], counts / counts.sum()))
    # Under-sampling inflates the minority probability; the correction brings it back.
    assert abs(proba[:, 1].mean() - y.mean()) < abs(raw[:, 1].mean() - y.mean())
    assert abs(proba[:, 1].mean() - y.mean()) < 0.05
    # SMOTE: the counts the classifier saw are read from the resampled data.
    smote = RemedySearchCV(_lr(), remedies=["smote"], cv=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(smote.training_prior_, [0.5, 0.5])
    none = RemedySearchCV(_lr(), remedies=["none"], cv=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(none.predict_proba(X), none.best_estimator_.predict_proba(X))


def test_probability_scoring_judges_corrected_fold_probabilities(ecoli):
    from imbtool.metrics import brier_score
    from imbtool.under_sampling import RandomUnderSampler

    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=["random_under_sampler"], scoring="brier", cv=3,
                            random_state=0).fit(X, y)
    results = search.cv_results_
    assert results["status"][1] == "skipped" and "confusion-matrix" in results["reason"][1]
    for k, (train, val) in enumerate(_splits(X, y, n_splits=3)):
        model = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0),
                              LogisticRegression()).fit(X[train], y[train])
        frequencies = np.bincount(y[train]) / len(train)
        proba = prior_shift(model.predict_proba(X[val]), [0.5, 0.5], frequencies)
        assert results[f"split{k}_test_score"][0] == pytest.approx(
            -brier_score(y[val], proba[:, 1]), rel=1e-10)
        assert results[f"split{k}_test_score"][0] > -brier_score(
            y[val], model.predict_proba(X[val])[:, 1])


def test_predict_uses_the_chosen_threshold(ecoli):
    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=["none"], cv=3, random_state=0).fit(X, y)
    raw = search.best_estimator_.predict_proba(X)[:, 1]
    expected = (raw >= search.best_threshold_) if search.best_threshold_ is not None else raw >= 0.5
    np.testing.assert_array_equal(search.predict(X), expected.astype(int))
    assert search.score(X, y) == pytest.approx(f1_score(y, search.predict(X)))


def test_objective_instances_score_and_tune_like_their_names(ecoli):
    X, y = ecoli
    by_name = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3, scoring="f2",
                             random_state=0).fit(X, y)
    by_object = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3, scoring=FBeta(2),
                               random_state=0).fit(X, y)
    np.testing.assert_array_equal(by_object.cv_results_["mean_test_score"],
                                  by_name.cv_results_["mean_test_score"])
    assert by_object.best_threshold_ == by_name.best_threshold_
    # A constrained objective: every tuned threshold of the chosen remedy meets it out of fold.
    constrained = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3,
                                 scoring=RecallAtPrecision(0.6), random_state=0).fit(X, y)
    assert constrained.best_threshold_ is not None
    assert np.isfinite(constrained.best_score_)


def test_bad_input(ecoli, spy):
    X, y = ecoli
    with pytest.raises(ValueError, match="Unknown remedy 'smot'.*none, class_weight.*smote"):
        RemedySearchCV(_lr(), remedies=["smot"]).fit(X, y)
    with pytest.raises(TypeError, match="A remedy must be"):
        RemedySearchCV(_lr(), remedies=[StandardScaler()]).fit(X, y)
    with pytest.raises(ValueError, match="more than once"):
        RemedySearchCV(_lr(), remedies=["none", "none"]).fit(X, y)
    with pytest.raises(ValueError, match="'auto' or a list"):
        RemedySearchCV(_lr(), remedies="smote").fit(X, y)
    with pytest.raises(ValueError, match="factor"):
        RemedySearchCV(_lr(), factor=0.5).fit(X, y)
    with pytest.raises(ValueError, match="min_resources"):
        RemedySearchCV(_lr(), min_resources=1).fit(X, y)
    with pytest.raises(ValueError, match="param_grid of remedy 'smote'"):
        RemedySearchCV(_lr(), remedies=[("smote", {"n_trees": [1]})]).fit(X, y)
    # A scoring that needs probabilities, an estimator without them: before any fit.
    with pytest.raises(ValueError, match="neg_log_loss.*predict_proba.*LinearSVC"):
        RemedySearchCV(LinearSVC(), scoring="neg_log_loss").fit(X, y)
    with pytest.raises(ValueError, match="needs predict_proba"):
        RemedySearchCV(LinearSVC(), scoring="brier").fit(X, y)
    assert not spy


@pytest.mark.parametrize("params, name", [
    (dict(remedies=["smot"]), "remedies"),
    (dict(remedies=[StandardScaler()]), "remedies"),
    (dict(remedies=["none", "none"]), "remedies"),
    (dict(remedies=[]), "remedies"),
    (dict(remedies="smote"), "remedies"),
    (dict(remedies=[("smote", {"n_trees": [1]})]), "remedies"),
    (dict(remedies=42), "remedies"),
    (dict(estimator="lr"), "estimator"),
    (dict(scoring=3), "scoring"),
    (dict(cv="five"), "cv"),
    (dict(tune_threshold="yes"), "tune_threshold"),
    (dict(factor=0.5), "factor"),
    (dict(min_resources=1), "min_resources"),
    (dict(refit=1), "refit"),
    (dict(n_jobs="all"), "n_jobs"),
    (dict(random_state="seed"), "random_state"),
    (dict(verbose=-1), "verbose"),
])
def test_parameter_errors_name_the_parameter_before_any_fit(ecoli, spy, params, name):
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = ecoli
    params = {"estimator": SpyLogisticRegression(), **params}
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of RemedySearchCV"):
        RemedySearchCV(**params).fit(X, y)
    assert not spy


def test_positional_remedies_scoring_cv_are_deprecated(ecoli):
    with pytest.warns(FutureWarning, match="Pass remedies=.*scoring=.*as keyword args"):
        search = RemedySearchCV(_lr(), ["none"], "f1", 3)
    assert (search.remedies, search.scoring, search.cv) == (["none"], "f1", 3)


def _weights(y, seed=0):
    return np.random.default_rng(seed).uniform(0.2, 3.0, len(y))


def _mass(y, weight):
    mass = np.array([weight[y == c].sum() for c in (0, 1)])
    return mass / mass.sum()


def test_sample_weight_reaches_each_candidate_as_in_a_fit_by_hand(ecoli):
    from sklearn.naive_bayes import GaussianNB
    from sklearn.utils.class_weight import compute_sample_weight

    X, y = ecoli
    w = _weights(y)
    lr = LogisticRegression(max_iter=1000)
    search = RemedySearchCV(lr, remedies=["none", "smote", "class_weight"], cv=3, factor=1,
                            random_state=0).fit(X, y, sample_weight=w)
    hand = {"none": lambda: clone(lr), "class_weight": lambda: clone(lr).set_params(
                class_weight="balanced"),
            "smote": lambda: make_pipeline(SMOTE(random_state=0), clone(lr))}
    keys = {"none": "sample_weight", "class_weight": "sample_weight",
            "smote": "logisticregression__sample_weight"}
    for name, build in hand.items():
        # Each fold: the training part's weights, sliced as scikit-learn slices fit params.
        expected = [f1_score(y[val], build().fit(X[train], y[train], **{keys[name]: w[train]})
                             .predict(X[val])) for train, val in _splits(X, y, 3)]
        row = _row(search, name)
        got = [search.cv_results_[f"split{k}_test_score"][row] for k in range(3)]
        np.testing.assert_allclose(got, expected)
    # The refit gets the full weights: the same coefficients as fitting by hand.
    for name, build in hand.items():
        single = RemedySearchCV(lr, remedies=[name], cv=3, random_state=0).fit(
            X, y, sample_weight=w)
        fitted = build().fit(X, y, **{keys[name]: w})
        np.testing.assert_allclose(single.best_estimator_.predict_proba(X),
                                   fitted.predict_proba(X))
        unweighted = build().fit(X, y)
        assert not np.allclose(fitted.predict_proba(X), unweighted.predict_proba(X))
        if name == "none":
            np.testing.assert_array_equal(single.best_estimator_.coef_, fitted.coef_)
        if name == "smote":
            np.testing.assert_array_equal(single.best_estimator_[-1].coef_, fitted[-1].coef_)
    # Nested: each outer training part's search gets that part's weights.
    outer = nested_remedy_score(RemedySearchCV(lr, remedies=["none"], cv=3, random_state=0),
                                X, y, cv=StratifiedKFold(2), params={"sample_weight": w})
    for (train, _), fitted in zip(StratifiedKFold(2).split(X, y), outer.estimators):
        np.testing.assert_array_equal(fitted.best_estimator_.coef_, clone(lr).set_params(
            random_state=0).fit(X[train], y[train], sample_weight=w[train]).coef_)
    # Balanced weights of the fallback are multiplied into the given ones.
    nb = RemedySearchCV(GaussianNB(), remedies=["class_weight"], cv=3, random_state=0).fit(
        X, y, sample_weight=w)
    by_hand = GaussianNB().fit(X, y, sample_weight=w * compute_sample_weight("balanced", y))
    np.testing.assert_allclose(nb.best_estimator_.class_prior_, by_hand.class_prior_)
    np.testing.assert_allclose(nb.best_estimator_.theta_, by_hand.theta_)


def test_training_prior_counts_what_the_final_step_was_fitted_on(ecoli, spy):
    from imbtool.under_sampling import RandomUnderSampler

    X, y = ecoli
    w = _weights(y, seed=1)
    cases = [("smote", None), ("smote_enn", None), ("random_under_sampler", None),
             ("class_weight", None),
             # A user's pipeline with its own samplers, and no remedy on top.
             ("none", make_pipeline(SMOTE(sampling_strategy=0.6, random_state=0),
                                    RandomUnderSampler(sampling_strategy=0.8, random_state=0),
                                    WeightSpy(max_iter=1000)))]
    for name, estimator in cases:
        for weight in (None, w, 2.0):  # a scalar weighs every row alike
            spy.clear()
            search = RemedySearchCV(estimator or WeightSpy(max_iter=1000), remedies=[name],
                                    cv=3, random_state=0)
            key = "weightspy__sample_weight" if estimator is not None else "sample_weight"
            search.fit(X, y, **({} if weight is None else {key: weight}))
            _, y_seen, w_seen = spy[-1]  # the refit
            given = np.broadcast_to(1.0 if weight is None else weight, len(y))
            np.testing.assert_allclose(search.deployment_prior_, _mass(y, given))
            if name == "class_weight":  # the final step weighs its own classes
                w_seen = given * np.where(y == 1, len(y) / (2 * y.sum()),
                                          len(y) / (2 * (1 - y).sum()))
            seen = np.broadcast_to(1.0 if w_seen is None else w_seen, len(y_seen))
            np.testing.assert_allclose(search.training_prior_, _mass(y_seen, seen), err_msg=name)
    # The user's pipeline: SMOTE to 0.6, then under-sampling to 0.8; its synthetic rows count.
    search.fit(X, y)
    ratio = search.training_prior_[1] / search.training_prior_[0]
    assert ratio == pytest.approx(0.8, abs=0.01) and search.training_prior_[1] > y.mean() + 0.1


# A remedy that cannot run with these weights is reported and skipped, as documented; the
# test compares the routed search with the unrouted one.
@pytest.mark.filterwarnings("ignore::imbtool.model_selection.RemedyFailedWarning")
def test_metadata_routing_routes_fit_params_as_without_it(ecoli):
    import sklearn
    from sklearn.exceptions import UnsetMetadataPassedError
    from sklearn.naive_bayes import GaussianNB

    X, y = ecoli
    w = _weights(y)
    remedies = ["none", "class_weight", "smote", "self_paced_ensemble"]
    plain = RemedySearchCV(make_pipeline(StandardScaler(), GaussianNB()), remedies=remedies,
                           cv=3, factor=1, random_state=0).fit(X, y, gaussiannb__sample_weight=w)
    lr = RemedySearchCV(LogisticRegression(max_iter=1000), remedies=["none", "smote"], cv=3,
                        random_state=0).fit(X, y, sample_weight=w)
    with sklearn.config_context(enable_metadata_routing=True):
        model = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                              GaussianNB().set_fit_request(sample_weight=True))
        routed = RemedySearchCV(model, remedies=remedies, cv=3, factor=1,
                                random_state=0).fit(X, y, sample_weight=w)
        np.testing.assert_array_equal(routed.cv_results_["mean_test_score"],
                                      plain.cv_results_["mean_test_score"])
        np.testing.assert_array_equal(routed.cv_results_["status"], plain.cv_results_["status"])
        outer = GridSearchCV(
            RemedySearchCV(LogisticRegression(max_iter=1000).set_fit_request(sample_weight=True),
                           remedies=["none", "smote"], cv=3, random_state=0),
            {"scoring": ["f1"]}, cv=2, refit=True).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(outer.best_estimator_.best_estimator_.predict_proba(X),
                                   lr.best_estimator_.predict_proba(X))
        with pytest.raises(UnsetMetadataPassedError, match="sample_weight"):
            RemedySearchCV(LogisticRegression(), remedies=["none"]).fit(X, y, sample_weight=w)
    # SPE hands sample_weight to its members: a Pipeline does not take it by that name.
    row = _row(plain, "self_paced_ensemble")
    assert plain.cv_results_["status"][row] == "skipped"
    assert "Pipeline.fit does not take" in plain.cv_results_["reason"][row]


def test_wrappers_get_the_estimators_weights_only(ecoli):
    from imbtool.ensemble import SelfPacedEnsembleClassifier

    X, y = ecoli
    w = _weights(y)
    lr = LogisticRegression(max_iter=1000)
    search = RemedySearchCV(lr, remedies=["self_paced_ensemble"], cv=2, random_state=0).fit(
        X, y, sample_weight=w)
    by_hand = SelfPacedEnsembleClassifier(estimator=lr, n_estimators=10, random_state=0).fit(
        X, y, sample_weight=w)
    np.testing.assert_allclose(search.best_estimator_.predict_proba(X), by_hand.predict_proba(X))
    np.testing.assert_allclose(search.training_prior_, [0.5, 0.5])
    # A skipped remedy warns, and two others are left to choose from.
    with pytest.warns(RemedyFailedWarning, match="self_paced_ensemble .skipped: fit params"):
        other = RemedySearchCV(_lr(), remedies=["none", "class_weight", "self_paced_ensemble"],
                               cv=2, random_state=0).fit(X, y, standardscaler__sample_weight=w)
    row = _row(other, "self_paced_ensemble")
    assert other.cv_results_["status"][row] == "skipped"
    assert "standardscaler__sample_weight" in other.cv_results_["reason"][row]


@pytest.mark.parametrize("key", ["sample_weight", "logisticregression__sample_weight"])
def test_bad_sample_weight_is_named_before_any_fit(ecoli, spy, key):
    X, y = ecoli
    estimator = make_pipeline(SpyLogisticRegression()) if "__" in key else SpyLogisticRegression()
    search = RemedySearchCV(estimator, remedies=["none", "smote"], cv=3)
    w = np.ones(len(y))
    for bad, message in ((w[:-1], "has 335 rows but X has 336"),
                         (np.where(y == 1, -1.0, 1.0), "has negative"), (-1.0, "has negative"),
                         (np.where(y == 1, np.nan, 1.0), "has NaN"), (w[:, None], "must be 1-D"),
                         (["a"] * len(y), "must be numeric")):
        with pytest.raises(ValueError, match=f"'{key}' {message}"):
            search.fit(X, y, **{key: bad})
    assert not spy


@pytest.mark.skipif(not XGBOOST_INSTALLED, reason="xgboost is not installed (extra 'xgboost')")
def test_focal_loss_for_xgboost_copies_the_booster_settings(ecoli):
    from xgboost import XGBClassifier

    from imbtool.boosters import XGBImbalancedClassifier

    X, y = ecoli
    w = _weights(y)
    model = XGBClassifier(n_estimators=15, max_depth=3, learning_rate=0.3, gamma=0.1, n_jobs=1)
    search = RemedySearchCV(model, remedies=["focal_loss"], cv=3, random_state=0).fit(
        X, y, sample_weight=w)
    booster = search.best_estimator_
    assert isinstance(booster, XGBImbalancedClassifier) and booster.loss == "focal"
    assert (booster.n_estimators, booster.max_depth, booster.learning_rate) == (15, 3, 0.3)
    assert booster.booster_params == {"gamma": 0.1} and booster.device == "cpu"
    by_hand = XGBImbalancedClassifier(n_estimators=15, max_depth=3, learning_rate=0.3, n_jobs=1,
                                      booster_params={"gamma": 0.1}, device="cpu",
                                      random_state=0).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(search.predict_proba(X), by_hand.predict_proba(X), rtol=1e-6)


def test_focal_loss_reason_names_the_boosters(ecoli, monkeypatch):
    from imbtool.remedies import _registry

    X, y = ecoli
    monkeypatch.setattr(_registry, "XGBOOST_INSTALLED", False)
    with pytest.warns(RemedyFailedWarning, match="focal_loss .skipped"):
        search = RemedySearchCV(_lr(), remedies=["none", "class_weight", "focal_loss"],
                                cv=3).fit(X, y)
    reason = search.cv_results_["reason"][_row(search, "focal_loss")]
    assert "LGBMClassifier or xgboost.XGBClassifier; xgboost is not installed" in reason


# Folds of this tiny sample can hold as many rows of each class; the positive class is then
# the greater label, as the warning says.
@pytest.mark.filterwarnings("ignore:The classes .* have the same number of rows"
                            ":imbtool.utils.ImbtoolWarning")
def test_too_small_classes_get_scikit_learns_message(ecoli):
    X, y = ecoli
    keep = np.r_[np.flatnonzero(y == 0)[:40], np.flatnonzero(y == 1)[:3]]
    with pytest.warns(UserWarning) as record:
        list(StratifiedKFold(5).split(X[keep], y[keep]))
    message = str(record[0].message)
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        RemedySearchCV(_lr()).fit(X[keep], y[keep])
    tiny = np.r_[np.flatnonzero(y == 0)[:3], np.flatnonzero(y == 1)[:3]]
    with pytest.raises(ValueError) as sklearn_error:
        list(StratifiedKFold(5).split(X[tiny], y[tiny]))
    with pytest.raises(ValueError, match=str(sklearn_error.value).replace(".", r"\.")):
        RemedySearchCV(_lr()).fit(X[tiny], y[tiny])


def test_a_remedy_that_fails_is_recorded_not_raised(ecoli):
    X, y = ecoli
    # Five minority rows in a training fold of 3-fold CV: SMOTE with 10 neighbours cannot run.
    keep = np.r_[np.flatnonzero(y == 0)[:60], np.flatnonzero(y == 1)[:8]]
    with pytest.warns(RemedyFailedWarning, match=r"smote \(error: fold 0: ValueError: k_neighbors"):
        search = RemedySearchCV(_lr(), remedies=["none", SMOTE(k_neighbors=10), "class_weight"],
                                cv=3, random_state=0).fit(X[keep], y[keep])
    row = _row(search, "smote")
    assert search.cv_results_["status"][row] == "error"
    assert "fold 0" in search.cv_results_["reason"][row]
    results = search.cv_results_
    ok = np.flatnonzero(results["status"] == "ok")
    assert search.best_index_ == ok[np.argmax(results["mean_test_score"][ok])]
    assert search.best_remedy_ in ("none", "class_weight")
    # With one remedy left there is nothing to choose from: refused, naming the failure.
    with pytest.raises(ValueError, match=r"1 remedy left to choose from \(none\).*smote \(error"):
        RemedySearchCV(_lr(), remedies=["none", SMOTE(k_neighbors=10)], cv=3,
                       random_state=0).fit(X[keep], y[keep])


def test_halving_readmits_stopped_remedies_when_every_survivor_fails(monkeypatch):
    # (A plain model: the sampler sees the rows as given, no scaler before it.)
    # Halving keeps the remedy that fails on every fold after the first two, so no survivor
    # completes; the stopped remedies, best first, take its place (before: the search raised
    # "No remedy could be fitted", though "none" fits every fold). Equal classes make the
    # three candidates tie after two folds, and the stable sort keeps the one listed first.
    X, y = make_classification(n_samples=100, flip_y=0, random_state=0)
    splits = _splits(X, y)
    monkeypatch.setattr(FailsOnLateFolds, "marks", (X[splits[0][1][0]], X[splits[1][1][0]]))
    with pytest.warns(RemedyFailedWarning, match=r"failsonlatefolds \(error: fold 2"):
        search = RemedySearchCV(LogisticRegression(), pos_label=1, random_state=0,
                                remedies=[FailsOnLateFolds(), "none", "class_weight"]).fit(X, y)
    results = search.cv_results_
    assert search.n_resources_ == [2, 5] and search.n_candidates_ == [3, 2]
    none, weighted = _row(search, "none"), _row(search, "class_weight")
    assert results["status"][none] == "ok" and "readmitted" in results["reason"][none]
    assert results["n_resources"][none] == 5
    assert results["status"][weighted] == "stopped" and results["n_resources"][weighted] == 2
    assert search.best_remedy_ == "none"
    # Nothing stopped to readmit: the error is raised as before.
    with pytest.raises(ValueError, match="both marked rows"):
        RemedySearchCV(LogisticRegression(), pos_label=1, random_state=0,
                       remedies=[FailsOnLateFolds()]).fit(X, y)


def test_multiclass_scores_macro_f1_and_skips_thresholds():
    X, y = load_iris(return_X_y=True)
    keep = np.r_[0:50, 50:80, 100:115]
    search = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3, random_state=0).fit(
        X[keep], y[keep])
    results = search.cv_results_
    tuned = [i for i, p in enumerate(results["params"]) if p["threshold"] == "tuned"]
    assert all(results["status"][i] == "skipped" and "binary" in results["reason"][i]
               for i in tuned)
    assert search.score(X[keep], y[keep]) == pytest.approx(
        f1_score(y[keep], search.predict(X[keep]), average="macro"))


def test_same_results_in_threads_and_deterministic(glass):
    X, y = glass
    search = RemedySearchCV(_lr(), remedies=["none", "smote", "self_paced_ensemble"], cv=3,
                            random_state=0)
    serial = search.fit(X, y).cv_results_
    with parallel_backend("threading", n_jobs=2):
        threaded = clone(search).set_params(n_jobs=2).fit(X, y).cv_results_
    for k in range(3):
        np.testing.assert_array_equal(serial[f"split{k}_test_score"],
                                      threaded[f"split{k}_test_score"])


@pytest.mark.skipif(not DASK_INSTALLED, reason="dask.distributed not installed")
def test_dask_backend_gives_the_same_scores(ecoli):
    from distributed import Client, LocalCluster

    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=["none", "random_under_sampler"], cv=3,
                            random_state=0)
    serial = search.fit(X, y).cv_results_
    # Dashboard on a free port: on the default one, taken by another cluster, distributed warns.
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=":0") as cluster, \
            Client(cluster), parallel_backend("dask"):
        distributed = clone(search).set_params(n_jobs=2).fit(X, y).cv_results_
    np.testing.assert_array_equal(serial["mean_test_score"], distributed["mean_test_score"])


def test_pickle_pandas_and_pipelines(ecoli):
    pd = pytest.importorskip("pandas")
    X, y = ecoli
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    search = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3, random_state=0).fit(frame, y)
    assert list(search.feature_names_in_) == list(frame.columns)
    restored = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(restored.predict(frame), search.predict(frame))
    np.testing.assert_allclose(restored.predict_proba(frame), search.predict_proba(frame))
    # After preprocessing in a Pipeline, and tuned by GridSearchCV.
    pipe = make_pipeline(StandardScaler(), RemedySearchCV(LogisticRegression(),
                                                          remedies=["none", "smote"], cv=3,
                                                          random_state=0))
    grid = GridSearchCV(pipe, {"remedysearchcv__estimator__C": [0.1, 1.0]}, cv=3).fit(X, y)
    assert 0 < grid.best_score_ <= 1
    assert grid.best_estimator_.predict(X).shape == y.shape


def test_nested_score_reports_outer_folds(ecoli):
    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=["none", "class_weight"], cv=3, random_state=0)
    outer = _splits(X, y, n_splits=3, seed=1)
    result = nested_remedy_score(search, X, y, cv=outer)
    assert len(result.test_score) == 3 and len(result.chosen) == 3
    for (train, test), score, fitted in zip(outer, result.test_score, result.estimators):
        refitted = clone(search).fit(X[train], y[train])
        assert refitted.best_params_ == fitted.best_params_
        assert score == pytest.approx(f1_score(y[test], refitted.predict(X[test])))
    assert result.mean == pytest.approx(np.mean(result.test_score))
    with pytest.raises(TypeError, match="RemedySearchCV"):
        nested_remedy_score(LogisticRegression(), X, y)


@pytest.mark.skipif(not MATPLOTLIB_INSTALLED, reason="matplotlib not installed")
def test_display_draws_each_remedys_fold_scores(glass):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from imbtool.plotting import RemedyScoresDisplay

    X, y = glass
    search = RemedySearchCV(_lr(), remedies=["none", "class_weight", "smote", "smote_enn"],
                            factor=2, random_state=0).fit(X, y)
    display = RemedyScoresDisplay.from_estimator(search)
    results = search.cv_results_
    shown = [i for i in np.argsort(-results["mean_test_score"], kind="stable")
             if results["status"][i] in ("ok", "stopped")]
    assert len(display.points_) == len(shown) == len(display.boxes_["boxes"])
    for points, i in zip(display.points_, shown):
        folds = np.array([results[f"split{k}_test_score"][i] for k in range(5)])
        np.testing.assert_allclose(points.get_offsets()[:, 0], folds[np.isfinite(folds)])
        assert (points.get_facecolors().size == 0) == (results["status"][i] == "stopped")
    labels = [t.get_text() for t in display.ax_.get_yticklabels()]
    best = display.labels.index(labels[0])
    assert best == 0 and display.best == shown.index(search.best_index_)
    plt.close("all")
    with pytest.raises(ValueError, match="lacks"):
        RemedyScoresDisplay.from_cv_results({"params": []})


def test_groups_reach_a_group_splitter_as_in_grid_search(ecoli):
    import sklearn
    from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

    X, y = ecoli
    groups = np.arange(len(y)) % 17
    remedies = ["none", "class_weight", "smote"]
    cv = StratifiedGroupKFold(3, shuffle=True, random_state=0)
    search = RemedySearchCV(_lr(), remedies=remedies, cv=cv, factor=1,
                            random_state=0).fit(X, y, groups=groups)
    folds = list(cv.split(X, y, groups))
    for train, test in folds:
        assert not set(groups[train]) & set(groups[test])
    by_hand = RemedySearchCV(_lr(), remedies=remedies, cv=folds, factor=1,
                             random_state=0).fit(X, y)
    np.testing.assert_array_equal(search.cv_results_["mean_test_score"],
                                  by_hand.cv_results_["mean_test_score"])
    with pytest.raises(ValueError, match="groups"):
        RemedySearchCV(_lr(), remedies=remedies, cv=GroupKFold(3)).fit(X, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        RemedySearchCV(_lr(), remedies=remedies, cv=GroupKFold(3)).fit(X, y, groups=groups[:-1])
    with sklearn.config_context(enable_metadata_routing=True):
        routed = RemedySearchCV(_lr(), remedies=remedies, cv=cv, factor=1,
                                random_state=0).fit(X, y, groups=groups)
    np.testing.assert_array_equal(routed.cv_results_["mean_test_score"],
                                  by_hand.cv_results_["mean_test_score"])
    # Nested: the outer splitter and the inner search both split by group.
    outer = GroupKFold(3)
    inner = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=GroupKFold(3), random_state=0)
    result = nested_remedy_score(inner, X, y, groups=groups, cv=outer)
    expected = []
    for train, test in outer.split(X, y, groups):
        fitted = clone(inner).fit(X[train], y[train], groups=groups[train])
        expected.append(f1_score(y[test], fitted.predict(X[test])))
    np.testing.assert_allclose(result.test_score, expected)
