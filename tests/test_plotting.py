"""imbtool.plotting: every display is drawn with Agg and its artists' data checked."""

import numpy as np
import pytest
from scipy.stats import rankdata
from sklearn.calibration import calibration_curve
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, precision_recall_curve
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from imbtool.datasets import load_dataset
from imbtool.evaluation import critical_difference_data
from imbtool.over_sampling import SMOTE
from imbtool.threshold import RecallAtPrecision, TunedThresholdClassifier
from imbtool.under_sampling import EditedNearestNeighbours
from imbtool.utils._compat import MATPLOTLIB_INSTALLED

pytestmark = pytest.mark.skipif(not MATPLOTLIB_INSTALLED, reason="needs matplotlib (plot extra)")

if MATPLOTLIB_INSTALLED:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from imbtool.plotting import (
        CalibrationDisplay,
        CriticalDifferenceDisplay,
        PrecisionRecallComparisonDisplay,
        ResamplingDisplay,
        ThresholdCurveDisplay,
        TrainingCurveDisplay,
    )


@pytest.fixture(autouse=True)
def _close_figures():
    # Tiny problems: multi-threaded BLAS only adds contention on a shared 2-core machine.
    with threadpool_limits(1, user_api="blas"):
        yield
    plt.close("all")


@pytest.fixture(scope="module")
def ecoli():
    return load_dataset("ecoli1", return_X_y=True)


@pytest.fixture(scope="module")
def ecoli_scores(ecoli):
    X, y = ecoli
    return y, cross_val_predict(LogisticRegression(), X, y, cv=3, method="predict_proba")[:, 1]


# ThresholdCurveDisplay -------------------------------------------------------------------


def test_threshold_curve_from_predictions_matches_sklearn(ecoli_scores):
    y, score = ecoli_scores
    display = ThresholdCurveDisplay.from_predictions(y, score, objective="f1")
    precision, recall, thresholds = precision_recall_curve(y, score)
    np.testing.assert_allclose(display.line_.get_xdata(), thresholds)
    np.testing.assert_allclose(display.precision_line_.get_ydata(), precision[:-1])
    np.testing.assert_allclose(display.recall_line_.get_ydata(), recall[:-1])
    some = thresholds[:: max(1, len(thresholds) // 25)]
    f1 = dict(zip(display.line_.get_xdata(), display.line_.get_ydata()))
    for t in some:
        assert f1[t] == pytest.approx(f1_score(y, score >= t))
    # The marked threshold is optimal for F1 on these scores.
    best = display.threshold_line_.get_xdata()[0]
    assert best == display.best_threshold
    assert f1_score(y, score >= best) == pytest.approx(max(f1.values()))
    assert display.interval_patch_ is None
    assert display.ax_.get_xlabel() == "decision threshold"


def test_threshold_curve_from_tuned_classifier_marks_threshold_and_interval(ecoli):
    X, y = ecoli
    tuned = TunedThresholdClassifier(LogisticRegression(), scoring="g_mean", cv=3,
                                     store_cv_results=True, n_bootstraps=30,
                                     random_state=0).fit(X, y)
    display = ThresholdCurveDisplay.from_estimator(tuned)
    finite = np.isfinite(tuned.cv_results_["thresholds"])
    np.testing.assert_allclose(display.line_.get_xdata(), tuned.cv_results_["thresholds"][finite])
    np.testing.assert_allclose(display.line_.get_ydata(), tuned.cv_results_["scores"][finite])
    assert display.threshold_line_.get_xdata()[0] == tuned.best_threshold_
    patch = display.interval_patch_
    span = (patch.get_x(), patch.get_x() + patch.get_width())
    assert span == pytest.approx(tuned.threshold_interval_)
    assert display.line_.get_label() == "g_mean"
    # Averaged folds keep no counts: precision and recall are drawn only when the objective
    # has them.
    averaged = TunedThresholdClassifier(LogisticRegression(), scoring=RecallAtPrecision(0.6),
                                        cv=3, fold_aggregation="average",
                                        store_cv_results=True).fit(X, y)
    display = ThresholdCurveDisplay.from_estimator(averaged)
    finite = np.isfinite(averaged.cv_results_["thresholds"])
    np.testing.assert_allclose(display.precision_line_.get_ydata(),
                               averaged.cv_results_["precision"][finite])
    plain = TunedThresholdClassifier(LogisticRegression(), scoring="f1", cv=3,
                                     fold_aggregation="average", store_cv_results=True).fit(X, y)
    assert ThresholdCurveDisplay.from_estimator(plain).precision_line_ is None


def test_threshold_curve_on_test_data_marks_the_tuned_threshold(ecoli):
    X, y = ecoli
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    tuned = TunedThresholdClassifier(LogisticRegression(), scoring="f1", cv=3).fit(X_tr, y_tr)
    display = ThresholdCurveDisplay.from_estimator(tuned, X_te, y_te)
    score = tuned.estimator_.predict_proba(X_te)[:, 1]
    np.testing.assert_allclose(display.line_.get_xdata(), np.unique(score))
    assert display.threshold_line_.get_xdata()[0] == tuned.best_threshold_
    plain = ThresholdCurveDisplay.from_estimator(tuned.estimator_, X_te, y_te, objective="f1")
    np.testing.assert_allclose(plain.line_.get_ydata(), display.line_.get_ydata())


def test_threshold_curve_draws_on_given_axes(ecoli_scores):
    y, score = ecoli_scores
    _, ax = plt.subplots()
    display = ThresholdCurveDisplay.from_predictions(y, score, show_precision_recall=False, ax=ax)
    assert display.ax_ is ax and display.precision_line_ is None
    assert ax.get_lines()[0] is display.line_


def test_threshold_curve_bad_input(ecoli, ecoli_scores):
    X, y = ecoli
    y_s, score = ecoli_scores
    with pytest.raises(NotFittedError, match="ThresholdCurveDisplay needs a fitted"):
        ThresholdCurveDisplay.from_estimator(TunedThresholdClassifier(), X, y)
    tuned = TunedThresholdClassifier(cv=2).fit(X, y)
    with pytest.raises(ValueError, match="store_cv_results=True"):
        ThresholdCurveDisplay.from_estimator(tuned)
    from sklearn.datasets import load_iris

    multiclass = TunedThresholdClassifier(LogisticRegression(max_iter=1000), cv=2,
                                          store_cv_results=True).fit(*load_iris(return_X_y=True))
    with pytest.raises(ValueError, match="multiclass"):
        ThresholdCurveDisplay.from_estimator(multiclass)
    with pytest.raises(TypeError, match="pass X and y"):
        ThresholdCurveDisplay.from_estimator(LogisticRegression().fit(X, y))
    with pytest.raises(ValueError, match="X has 3 features but .* fitted with 7"):
        ThresholdCurveDisplay.from_estimator(tuned, X[:, :3], y)
    with pytest.raises(ValueError, match="must be 1-D"):
        ThresholdCurveDisplay.from_predictions(y_s, np.column_stack([1 - score, score]))
    with pytest.raises(ValueError, match="336 samples but y_score has 335"):
        ThresholdCurveDisplay.from_predictions(y_s, score[1:])
    with pytest.raises(ValueError, match="binary"):
        ThresholdCurveDisplay.from_predictions(np.arange(len(score)) % 3, score)


# ResamplingDisplay -----------------------------------------------------------------------


def test_resampling_display_smote_shows_originals_and_synthetic(ecoli):
    X, y = ecoli
    sampler = SMOTE(random_state=0)
    display = ResamplingDisplay.from_estimator(sampler, X, y, projection=(0, 1))
    assert not hasattr(sampler, "sample_indices_"), "the sampler passed in stays unfitted"
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    for label in (0, 1):
        np.testing.assert_array_equal(display.artists_["original", label].get_offsets(),
                                      X[y == label][:, :2])
    np.testing.assert_array_equal(display.artists_["synthetic", 1].get_offsets(),
                                  X_res[len(X):, :2])
    assert not any(kind == "removed" for kind, _ in display.artists_)
    assert ("synthetic", 0) not in display.artists_
    assert display.ax_.get_xlabel() == "feature 0"


def test_resampling_display_enn_shows_removed_rows_in_pca_space(ecoli):
    X, y = ecoli
    display = ResamplingDisplay.from_estimator(EditedNearestNeighbours(), X, y)
    kept = EditedNearestNeighbours().fit(X, y)
    enn = EditedNearestNeighbours()
    enn.fit_resample(X, y)
    removed = np.setdiff1d(np.arange(len(y)), enn.sample_indices_)
    assert removed.size > 0 and kept is not None
    pca = PCA(n_components=2).fit(X)
    removed_points = display.artists_["removed", 0].get_offsets()
    np.testing.assert_allclose(np.abs(removed_points),
                               np.abs(pca.transform(X[removed[y[removed] == 0]])), atol=1e-9)
    n_kept = sum(len(display.artists_["original", c].get_offsets()) for c in (0, 1))
    assert n_kept == enn.sample_indices_.size
    assert display.ax_.get_xlabel().startswith("PC1")


def test_resampling_display_smoteenn_shows_all_three_kinds(ecoli):
    from imbtool.combine import SMOTEENN

    X, y = ecoli
    X_res, _ = SMOTEENN(random_state=0).fit_resample(X, y)
    display = ResamplingDisplay.from_estimator(SMOTEENN(random_state=0), X, y)
    count = {kind: sum(len(a.get_offsets()) for (k, _), a in display.artists_.items() if k == kind)
             for kind in ("original", "removed", "synthetic")}
    assert min(count.values()) > 0
    assert count["original"] + count["removed"] == len(X)
    assert count["original"] + count["synthetic"] == len(X_res)


def test_resampling_display_from_resampled_matches_rows_by_content():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    y = np.array([0, 0, 1, 1])
    X_res = np.array([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [2.5, 3.0]])
    y_res = np.array([0, 1, 1, 1])
    display = ResamplingDisplay.from_resampled(X, y, X_res, y_res)
    np.testing.assert_array_equal(display.artists_["removed", 0].get_offsets(), [[0.0, 0.0]])
    np.testing.assert_array_equal(display.artists_["synthetic", 1].get_offsets(), [[2.5, 3.0]])
    np.testing.assert_array_equal(display.artists_["original", 1].get_offsets(),
                                  [[0.0, 1.0], [5.0, 5.0]])


def test_resampling_display_bad_input(ecoli):
    X, y = ecoli
    with pytest.raises(TypeError, match="needs a sampler with fit_resample"):
        ResamplingDisplay.from_estimator(LogisticRegression(), X, y)
    with pytest.raises(ValueError, match="projection must be"):
        ResamplingDisplay.from_estimator(SMOTE(), X, y, projection=(0, 9))
    with pytest.raises(ValueError, match="X has 7 columns but X_resampled has 6"):
        ResamplingDisplay.from_resampled(X, y, X[:, :6], y)
    with pytest.raises(ValueError, match="X has 336 rows and y 335"):
        ResamplingDisplay.from_resampled(X, y[1:], X, y)


# PrecisionRecallComparisonDisplay ----------------------------------------------------------


def test_precision_recall_comparison_matches_sklearn(ecoli):
    X, y = ecoli
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    models = {"logistic": LogisticRegression().fit(X_tr, y_tr),
              "svm": LinearSVC().fit(X_tr, y_tr)}
    display = PrecisionRecallComparisonDisplay.from_estimator(models, X_te, y_te)
    scores = [models["logistic"].predict_proba(X_te)[:, 1], models["svm"].decision_function(X_te)]
    for line, name, score in zip(display.lines_, models, scores):
        precision, recall, _ = precision_recall_curve(y_te, score)
        np.testing.assert_allclose(line.get_xdata(), recall)
        np.testing.assert_allclose(line.get_ydata(), precision)
        assert line.get_label() == f"{name} (AP = {average_precision_score(y_te, score):.3f})"
    assert display.chance_line_.get_ydata()[0] == pytest.approx(y_te.mean())


def test_precision_recall_comparison_from_predictions_names_and_errors(ecoli, ecoli_scores):
    X, y = ecoli
    y_s, score = ecoli_scores
    display = PrecisionRecallComparisonDisplay.from_predictions(y_s, [score, -score],
                                                                names=["good", "reversed"])
    assert [line.get_label().split(" (")[0] for line in display.lines_] == ["good", "reversed"]
    unnamed = PrecisionRecallComparisonDisplay.from_predictions(y_s, [score, list(-score)])
    assert [line.get_label().split(" (")[0] for line in unnamed.lines_] == ["model 0", "model 1"]
    with pytest.raises(NotFittedError, match=r"fitted estimator \(tree\)"):
        PrecisionRecallComparisonDisplay.from_estimator({"tree": DecisionTreeClassifier()}, X, y)
    with pytest.raises(ValueError, match="got 1 names for 2 models"):
        PrecisionRecallComparisonDisplay.from_predictions(y_s, [score, score], names=["a"])
    with pytest.raises(ValueError, match="scores of bad must be 1-D"):
        PrecisionRecallComparisonDisplay.from_predictions(y_s, {"bad": score[:, None]})


# CalibrationDisplay ----------------------------------------------------------------------


def test_calibration_display_matches_sklearn_calibration_curve(ecoli):
    X, y = ecoli
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    models = {"nb": GaussianNB().fit(X_tr, y_tr), "lr": LogisticRegression().fit(X_tr, y_tr)}
    display = CalibrationDisplay.from_estimator(models, X_te, y_te, n_bins=4)
    for line, model in zip(display.lines_, models.values()):
        prob_true, prob_pred = calibration_curve(y_te, model.predict_proba(X_te)[:, 1],
                                                 n_bins=4, strategy="quantile")
        np.testing.assert_allclose(line.get_xdata(), prob_pred)
        np.testing.assert_allclose(line.get_ydata(), prob_true)
    np.testing.assert_array_equal(display.reference_line_.get_xydata(), [[0, 0], [1, 1]])
    assert display.lines_[0].get_label().startswith("nb (ECE = ")


def test_calibration_display_bad_input(ecoli):
    X, y = ecoli
    with pytest.raises(TypeError, match="svm has no predict_proba"):
        CalibrationDisplay.from_estimator({"svm": LinearSVC().fit(X, y)}, X, y)
    with pytest.raises(ValueError, match="pass names or a dict"):
        CalibrationDisplay.from_predictions(y, {"a": np.full(len(y), 0.3)}, names=["a"])


# CriticalDifferenceDisplay ---------------------------------------------------------------


def test_critical_difference_display_draws_ranks_cd_and_cliques():
    rng = np.random.default_rng(0)
    # Four methods over 20 data sets with clearly different means.
    scores = rng.normal(size=(20, 4)) * 0.05 + np.array([0.9, 0.85, 0.7, 0.69])
    names = ["a", "b", "c", "d"]
    display = CriticalDifferenceDisplay.from_scores(scores, names=names)
    data = critical_difference_data(scores, names=names)
    ranks = rankdata(-scores, axis=1).mean(axis=0)
    for name, line in display.method_lines_.items():
        assert line.get_xdata()[0] == pytest.approx(ranks[names.index(name)])
        assert display.labels_[name].get_text().startswith(f"{name} (")
    assert list(display.method_lines_) == data.names
    cd_x = display.cd_line_.get_xdata()
    assert cd_x[1] - cd_x[0] == pytest.approx(data.critical_difference)
    rank_of = dict(zip(data.names, data.average_ranks))
    assert len(display.clique_lines_) == len(data.cliques) > 0
    for line, clique in zip(display.clique_lines_, data.cliques):
        span = [rank_of[m] for m in clique]
        assert tuple(line.get_xdata()) == pytest.approx((min(span), max(span)))
    assert "Friedman p" in display.ax_.get_title()


def test_critical_difference_display_from_data_checks_keys():
    with pytest.raises(ValueError, match="missing"):
        CriticalDifferenceDisplay.from_data({"names": ["a"]})


# TrainingCurveDisplay --------------------------------------------------------------------


def test_training_curves_of_self_paced_ensemble(ecoli):
    ensemble = pytest.importorskip("imbtool.ensemble", reason="imbtool.ensemble not committed yet")
    SelfPacedEnsembleClassifier = ensemble.SelfPacedEnsembleClassifier

    X, y = ecoli
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, stratify=y, random_state=0)
    spe = SelfPacedEnsembleClassifier(n_estimators=8, random_state=0)
    spe.fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    display = TrainingCurveDisplay.from_estimator(spe)
    assert set(display.lines_) == {("valid_0", m) for m in spe.evals_result_["valid_0"]}
    for (set_name, metric), line in display.lines_.items():
        np.testing.assert_allclose(line.get_ydata(), spe.evals_result_[set_name][metric])
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 9))
    if spe.best_iteration_ is not None:
        assert display.best_line_.get_xdata()[0] == spe.best_iteration_
    only = TrainingCurveDisplay.from_estimator(spe, metrics=["average_precision"])
    assert list(only.lines_) == [("valid_0", "average_precision")]
    unmonitored = SelfPacedEnsembleClassifier(n_estimators=3, random_state=0).fit(X_tr, y_tr)
    with pytest.raises(ValueError, match="eval_set"):
        TrainingCurveDisplay.from_estimator(unmonitored)
    with pytest.raises(NotFittedError, match="TrainingCurveDisplay needs a fitted"):
        TrainingCurveDisplay.from_estimator(SelfPacedEnsembleClassifier())


@pytest.mark.filterwarnings("ignore:The argument 'eval_set' is deprecated")
def test_training_curves_from_lightgbm_evals_result(ecoli):
    from lightgbm import LGBMClassifier

    X, y = ecoli
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, stratify=y, random_state=0)
    model = LGBMClassifier(n_estimators=15, verbose=-1).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    display = TrainingCurveDisplay.from_evals_result(model.evals_result_, best_iteration=7)
    (line,) = display.lines_.values()
    np.testing.assert_allclose(line.get_ydata(), model.evals_result_["valid_0"]["binary_logloss"])
    assert display.best_line_.get_xdata()[0] == 7
    with pytest.raises(ValueError, match="none of metrics"):
        TrainingCurveDisplay.from_evals_result(model.evals_result_, metrics=["auc"])
    with pytest.raises(TypeError, match="dict of dicts"):
        TrainingCurveDisplay.from_evals_result({"valid_0": [0.1, 0.2]})


def test_missing_matplotlib_gets_install_hint(monkeypatch):
    # A None entry in sys.modules makes the import fail as if matplotlib were absent.
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"TrainingCurveDisplay\.plot needs .*imbtool\[plot\]"):
        TrainingCurveDisplay.from_evals_result({"valid_0": {"auc": [0.5, 0.6]}})
