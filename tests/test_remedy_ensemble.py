"""RemedyEnsembleClassifier: the blend, its weights and threshold, failures, nested CV, display."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from imbtool.datasets import load_dataset
from imbtool.model_selection import (
    RemedyEnsembleClassifier,
    RemedyFailedWarning,
    nested_ensemble_score,
)
from imbtool.model_selection._ensemble import greedy_selection
from imbtool.threshold import RecallAtPrecision, prior_shift


@pytest.fixture(scope="module")
def ecoli():
    return load_dataset("ecoli1", return_X_y=True)


def _lr():
    return LogisticRegression(max_iter=1000)


def _f1_at_best_cut(y, score):
    """Best F1 over every cut of ``score`` (predict positive where score >= cut), brute force."""
    return max(f1_score(y, (score >= t).astype(int)) for t in np.unique(score))


def test_greedy_selection_finds_the_complementary_pair():
    # Member 0 ranks the first half of the positives above every negative, member 1 the
    # second half; alone each reaches F1 2/3, their mean separates the classes (F1 1).
    # Member 2 is noise. The best ensemble is members 0 and 1 with equal weight.
    y = np.r_[np.ones(10), np.zeros(30)].astype(int)
    first = np.r_[np.full(5, 0.9), np.full(5, 0.2), np.full(30, 0.4)]
    second = np.r_[np.full(5, 0.2), np.full(5, 0.9), np.full(30, 0.4)]
    noise = np.random.default_rng(0).uniform(size=40)
    probas = [np.column_stack([1 - p, p]) for p in (first, second, noise)]

    def score(proba):
        return _f1_at_best_cut(y, proba[:, 1])

    assert score(probas[0]) == pytest.approx(2 / 3)
    weights, history = greedy_selection(probas, score, rounds=6)
    np.testing.assert_allclose(weights, [0.5, 0.5, 0.0])
    assert history[1] == pytest.approx(1.0) and len(history) == 6


def test_greedy_selection_keeps_a_single_member_that_cannot_be_improved():
    y = np.r_[np.ones(5), np.zeros(15)].astype(int)
    perfect = np.r_[np.full(5, 0.8), np.full(15, 0.1)]
    worse = np.random.default_rng(1).uniform(size=20)
    probas = [np.column_stack([1 - p, p]) for p in (worse, perfect)]
    weights, _ = greedy_selection(probas, lambda p: _f1_at_best_cut(y, p[:, 1]))
    np.testing.assert_allclose(weights, [0.0, 1.0])


def _manual_oof_blend(X, y, weights, cv, seed):
    """Held-out probabilities of LR and balanced LR, moved to the data's prior, blended."""
    rows, blended = [], []
    for train, val in StratifiedKFold(cv, shuffle=True, random_state=seed).split(X, y):
        plain = _lr().fit(X[train], y[train]).predict_proba(X[val])
        # Balanced class weights: the model learned a uniform prior.
        balanced = _lr().set_params(class_weight="balanced").fit(X[train], y[train])
        train_prior = np.bincount(y[train]) / len(train)
        shifted = prior_shift(balanced.predict_proba(X[val]), [0.5, 0.5], train_prior)
        rows.append(val)
        blended.append(weights[0] * plain + weights[1] * shifted)
    return np.concatenate(rows), np.concatenate(blended)


@pytest.mark.parametrize("method", ["mean", "selection"])
def test_blend_and_threshold_match_an_independent_computation(ecoli, method):
    X, y = ecoli
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "class_weight"], cv=4,
                                     method=method, random_state=0).fit(X, y)
    weights = dict(zip(blend.members_, blend.weights_))
    w = [weights.get("none", 0.0), weights.get("class_weight", 0.0)]
    assert sum(w) == pytest.approx(1.0)
    if method == "mean":
        assert w == pytest.approx([0.5, 0.5])
    rows, oof = _manual_oof_blend(X, y, w, 4, 0)
    # The threshold is the exact sweep's optimum on the pooled held-out blend.
    best = _f1_at_best_cut(y[rows], oof[:, 1])
    chosen = f1_score(y[rows], (oof[:, 1] >= blend.threshold_).astype(int))
    assert chosen == pytest.approx(best)
    # predict_proba: the weighted mean of the refitted members, each at the data's prior.
    plain = _lr().fit(X, y).predict_proba(X)
    balanced = _lr().set_params(class_weight="balanced").fit(X, y).predict_proba(X)
    expected = w[0] * plain + w[1] * prior_shift(balanced, [0.5, 0.5], np.bincount(y) / len(y))
    np.testing.assert_allclose(blend.predict_proba(X), expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(blend.predict(X), (expected[:, 1] >= blend.threshold_) * 1)


def test_resampled_members_are_moved_to_the_training_prior(ecoli):
    X, y = ecoli
    blend = RemedyEnsembleClassifier(_lr(), remedies=["random_under_sampler", "smote"], cv=3,
                                     method="mean", random_state=0).fit(X, y)
    prior = np.bincount(y) / len(y)
    for training, deployment in blend.member_priors_:
        # Both samplers balance the classes; the blend is moved back to the data's prior.
        np.testing.assert_allclose(training, [0.5, 0.5])
        np.testing.assert_allclose(deployment, prior)
    np.testing.assert_allclose(blend.deployment_prior_, prior)
    member = blend.estimators_[0].predict_proba(X)
    expected = sum(w * prior_shift(e.predict_proba(X), [0.5, 0.5], prior)
                   for w, e in zip(blend.weights_, blend.estimators_))
    np.testing.assert_allclose(blend.predict_proba(X), expected, rtol=1e-6)
    # Balanced members over-predict the minority; the blend's mean is near its frequency.
    assert member[:, 1].mean() > blend.predict_proba(X)[:, 1].mean()


def test_cv_results_hold_members_and_the_blend(ecoli):
    X, y = ecoli
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote", "class_weight"], cv=3,
                                     random_state=0).fit(X, y)
    results = blend.cv_results_
    assert list(results["param_remedy"][-1:]) == ["blend"] and blend.best_index_ == 6
    assert blend.best_score_ == pytest.approx(np.mean(
        [results[f"split{k}_test_score"][-1] for k in range(3)]))
    weight = dict(zip(results["param_remedy"][:-1], results["weight"][:-1]))
    for name, w in zip(blend.members_, blend.weights_):
        assert weight[name] == pytest.approx(w)
    assert sum(weight.values()) == pytest.approx(1.0)


def test_same_result_for_any_n_jobs(ecoli):
    X, y = ecoli
    fits = [RemedyEnsembleClassifier(_lr(), remedies=["none", "smote", "random_under_sampler"],
                                     cv=3, random_state=1, n_jobs=n_jobs).fit(X, y)
            for n_jobs in (1, 2)]
    assert fits[0].members_ == fits[1].members_
    np.testing.assert_array_equal(fits[0].weights_, fits[1].weights_)
    assert fits[0].threshold_ == fits[1].threshold_
    np.testing.assert_array_equal(fits[0].predict_proba(X), fits[1].predict_proba(X))


def test_pandas_in_and_string_labels(ecoli):
    pd = pytest.importorskip("pandas")
    X, y = ecoli
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    labels = np.where(y == 1, "rare", "common")
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote"], cv=3,
                                     random_state=0).fit(frame, labels)
    assert blend.pos_label_ == "rare"
    assert list(blend.feature_names_in_) == list(frame.columns)
    assert set(blend.predict(frame)) <= {"rare", "common"}


def test_objectives_and_scorers(ecoli):
    X, y = ecoli
    constrained = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote"], cv=3,
                                           scoring=RecallAtPrecision(0.6),
                                           random_state=0).fit(X, y)
    assert 0 < constrained.threshold_ < 1
    ranked = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote"], cv=3,
                                      scoring="average_precision", random_state=0).fit(X, y)
    # No threshold objective: no threshold, predict is the arg-max of the blend.
    assert ranked.threshold_ is None
    np.testing.assert_array_equal(ranked.predict(X),
                                  np.argmax(ranked.predict_proba(X), axis=1))


def test_infeasible_constraint_is_an_error(ecoli):
    X, y = ecoli
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(len(y), 2))
    with pytest.raises(ValueError, match="meets its constraint"):
        RemedyEnsembleClassifier(_lr(), remedies=["none"], cv=3, method="mean",
                                 scoring=RecallAtPrecision(1.0), random_state=0).fit(noise, y)


def test_decision_function_members_are_platt_scaled(ecoli):
    X, y = ecoli
    blend = RemedyEnsembleClassifier(LinearSVC(), remedies=["none", "smote"], cv=3,
                                     method="mean", random_state=0).fit(X, y)
    assert all(c is not None for c in blend.calibrators_)
    proba = blend.predict_proba(X)
    assert proba.min() >= 0 and proba.max() <= 1
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_multiclass_blends_without_threshold():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote"], cv=3,
                                     random_state=0).fit(X, y)
    assert blend.threshold_ is None and blend.pos_label_ is None
    assert blend.predict_proba(X).shape == (150, 3)
    with pytest.raises(ValueError, match="binary target"):
        RemedyEnsembleClassifier(_lr(), scoring=RecallAtPrecision(0.5), cv=3).fit(X, y)


class _Broken(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise RuntimeError("broken on purpose")

    def predict_proba(self, X):
        raise AssertionError


class _NoScores(ClassifierMixin, BaseEstimator):
    """Records fits: it must never be fitted, having no scores to blend."""

    fitted = 0

    def fit(self, X, y):
        type(self).fitted += 1
        return self

    def predict(self, X):
        return np.zeros(len(X))


def test_failed_members_are_left_out_with_a_warning(ecoli):
    X, y = ecoli
    with pytest.warns(RemedyFailedWarning, match=r"_broken \(error: fold 0: RuntimeError"):
        blend = RemedyEnsembleClassifier(_lr(), remedies=["none", _Broken(), "smote"], cv=3,
                                         method="mean", random_state=0).fit(X, y)
    assert "_broken" not in blend.members_ and len(blend.members_) == 2
    assert blend.cv_results_["status"][2] == "error"


def test_every_member_failed_raises_with_the_reasons(ecoli):
    X, y = ecoli
    with pytest.raises(RuntimeError, match="broken on purpose") as info:
        RemedyEnsembleClassifier(_lr(), remedies=[_Broken()], cv=3).fit(X, y)
    assert "No remedy could be fitted" in "".join(info.value.__notes__)
    with pytest.raises(ValueError, match="focal_loss"):
        RemedyEnsembleClassifier(_lr(), remedies=["focal_loss"], cv=3).fit(X, y)


def test_estimator_without_scores_is_refused_before_any_fit(ecoli):
    X, y = ecoli
    with pytest.raises(ValueError, match="neither predict_proba nor decision_function"):
        RemedyEnsembleClassifier(_NoScores(), remedies=["none"], cv=3).fit(X, y)
    assert _NoScores.fitted == 0


def test_classes_too_small_for_the_folds(ecoli):
    X, y = ecoli
    keep = np.r_[np.flatnonzero(y == 1)[:3], np.flatnonzero(y == 0)]
    with pytest.raises(ValueError, match="least populated class"):
        RemedyEnsembleClassifier(_lr(), remedies=["none"], cv=5).fit(X[keep], y[keep])


def test_refit_false_and_bad_params(ecoli):
    from sklearn.exceptions import NotFittedError
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = ecoli
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote"], cv=3, refit=False,
                                     random_state=0).fit(X, y)
    assert blend.members_ and blend.threshold_ is not None
    with pytest.raises(NotFittedError):
        blend.predict(X)
    with pytest.raises(InvalidParameterError, match="method"):
        RemedyEnsembleClassifier(method="median").fit(X, y)
    with pytest.raises(InvalidParameterError, match="Unknown remedy"):
        RemedyEnsembleClassifier(remedies=["smoot"]).fit(X, y)


def test_nested_ensemble_score(ecoli):
    X, y = ecoli
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote"], cv=3, random_state=0)
    result = nested_ensemble_score(blend, X, y, cv=3)
    assert result.test_score.shape == (3,) and np.all((result.test_score > 0)
                                                      & (result.test_score <= 1))
    assert result.mean == pytest.approx(result.test_score.mean())
    assert [e.members_ for e in result.estimators] == result.members
    assert all(set(m) <= {"none", "smote"} for m in result.members)
    with pytest.raises(TypeError, match="RemedyEnsembleClassifier"):
        nested_ensemble_score(_lr(), X, y)


def test_display_shows_members_and_weights(ecoli):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from imbtool.plotting import RemedyEnsembleDisplay

    X, y = ecoli
    blend = RemedyEnsembleClassifier(_lr(), remedies=["none", "smote", "class_weight"], cv=3,
                                     random_state=0).fit(X, y)
    display = RemedyEnsembleDisplay.from_estimator(blend)
    # Bars are drawn heaviest first.
    drawn = [display.names[i] for i in np.argsort(-np.asarray(display.weights), kind="stable")]
    widths = dict(zip(drawn, [bar.get_width() for bar in display.bars_]))
    for name, w in zip(blend.members_, blend.weights_):
        assert widths[name] == pytest.approx(w)
    assert sum(display.weights) == pytest.approx(1.0)
    assert f"{blend.best_score_:.3f}" in display.ax_.get_title()
    with pytest.raises(ValueError, match="one weight per name"):
        RemedyEnsembleDisplay(names=["a"], weights=[0.5, 0.5]).plot()


def test_registered_as_a_benchmark_method():
    from imbtool.benchmark import build_estimator
    from imbtool.remedies import get_remedy

    assert get_remedy("remedy_ensemble").family == "selection"
    estimator = build_estimator("remedy_ensemble", "lr", 3)
    assert isinstance(estimator, RemedyEnsembleClassifier) and estimator.random_state == 3
