"""RemedySearchCV, the benchmark and the displays score the rare class and never choose silently."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from imbtool.datasets import load_dataset
from imbtool.model_selection import RemedyFailedWarning, RemedySearchCV
from imbtool.model_selection._scoring import FoldScoring
from imbtool.utils._compat import MATPLOTLIB_INSTALLED


@pytest.fixture(scope="module")
def yeast4():
    return load_dataset("yeast4", return_X_y=True)


@pytest.fixture(scope="module")
def ecoli():
    return load_dataset("ecoli1", return_X_y=True)


def _lr():
    return LogisticRegression(max_iter=1000)


# ------------------------------------------------------------- positive class


@pytest.mark.slow
def test_string_labels_choose_and_score_as_zero_one_labels(yeast4):
    # "fraud" (the minority, 1) sorts before "ok": classes_[1] is the majority.
    X, y = yeast4
    labels = np.where(y == 1, "fraud", "ok")
    numeric = RemedySearchCV(_lr(), scoring="f1", random_state=0).fit(X, y)
    named = RemedySearchCV(_lr(), scoring="f1", random_state=0).fit(X, labels)
    assert numeric.pos_label_ == 1 and named.pos_label_ == "fraud"
    keys = ["mean_test_score", "rank_test_score"] + [f"split{k}_test_score" for k in range(5)]
    for key in keys:
        np.testing.assert_allclose(named.cv_results_[key], numeric.cv_results_[key])
    np.testing.assert_array_equal(named.cv_results_["status"], numeric.cv_results_["status"])
    assert named.best_params_ == numeric.best_params_
    assert named.best_threshold_ == pytest.approx(numeric.best_threshold_)
    mapped = np.where(numeric.predict(X) == 1, "fraud", "ok")
    np.testing.assert_array_equal(named.predict(X), mapped)


def test_explicit_pos_label_and_its_errors(ecoli):
    X, y = ecoli
    labels = np.where(y == 1, "fraud", "ok")
    search = RemedySearchCV(_lr(), remedies=["none", "class_weight"], cv=3, pos_label="ok",
                            random_state=0).fit(X, labels)
    assert search.pos_label_ == "ok"
    with pytest.raises(ValueError, match="pos_label='spam' is not a class"):
        RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3, pos_label="spam").fit(X, labels)
    with pytest.raises(ValueError, match="pos_label=1 is for binary targets"):
        RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3, pos_label=1).fit(
            X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="'pos_label' parameter"):
        RemedySearchCV(_lr(), pos_label=[1]).fit(X, y)


def test_imbtool_scorers_score_the_training_positive_class(ecoli):
    classes = np.array(["fraud", "ok"])
    scoring = FoldScoring("average_precision", classes, "fraud")
    assert scoring.scorer._kwargs["pos_label"] == "fraud"
    # scikit-learn's names get none (their scorers fix their own).
    assert "pos_label" not in FoldScoring("neg_log_loss", classes, "fraud").scorer._kwargs
    X, y = ecoli
    labels = np.where(y == 1, "fraud", "ok")
    numeric = RemedySearchCV(_lr(), remedies=["none", "class_weight"], cv=3,
                             scoring="average_precision", random_state=0).fit(X, y)
    named = RemedySearchCV(_lr(), remedies=["none", "class_weight"], cv=3,
                           scoring="average_precision", random_state=0).fit(X, labels)
    np.testing.assert_allclose(named.cv_results_["split0_test_score"],
                               numeric.cv_results_["split0_test_score"])


# ------------------------------------------------------ refusals and warnings


def test_fold_without_a_positive_is_refused_before_fitting(ecoli):
    X, y = ecoli
    positive = np.flatnonzero(y == 1)
    rest = np.setdiff1d(np.arange(len(y)), positive)
    # Fold 0 holds no positive row in its held-out part.
    folds = [(np.r_[positive, rest[::2]], rest[1::2]),
             (np.r_[positive[::2], rest[1::2]], np.r_[positive[1::2], rest[::2]])]
    with pytest.raises(ValueError, match=r"fold\(s\) \[0\] of 2 holds no row of the positive "
                                         r"class 1.*n_splits <= 77"):
        RemedySearchCV(_lr(), remedies=["none", "smote"], cv=folds).fit(X, y)


def test_a_class_without_weight_is_refused(ecoli):
    X, y = ecoli
    search = RemedySearchCV(_lr(), remedies=["none", "smote"], cv=3)
    with pytest.raises(ValueError, match="'sample_weight' gives every row of class 1 weight 0"):
        search.fit(X, y, sample_weight=np.where(y == 1, 0.0, 1.0))
    with pytest.raises(ValueError, match="'sample_weight' gives every row of class 0 weight 0"):
        search.fit(X, y, sample_weight=0.0)


class _Broken(ClassifierMixin, BaseEstimator):
    """A remedy that cannot run on these data."""

    def fit(self, X, y):
        raise TypeError("cannot convert the nullable integer column\nsecond line")

    def predict(self, X):
        return np.zeros(len(X))


def test_failed_remedies_warn_with_their_reasons(ecoli):
    X, y = ecoli
    with pytest.warns(RemedyFailedWarning) as record:
        search = RemedySearchCV(_lr(), remedies=["none", "class_weight", _Broken()], cv=3,
                                random_state=0).fit(X, y)
    message = str(record[0].message)
    assert "_broken (error: fold 0: TypeError: cannot convert the nullable integer column)" \
        in message
    assert "second line" not in message and "none, class_weight" in message
    assert search.best_remedy_ in ("none", "class_weight")


def test_too_few_remedies_left_is_refused_unless_one_was_asked(ecoli):
    X, y = ecoli
    with pytest.raises(ValueError, match=r"1 remedy left to choose from \(none\).*_broken"):
        RemedySearchCV(_lr(), remedies=["none", _Broken()], cv=3).fit(X, y)
    with pytest.raises(TypeError, match="nullable integer"):
        RemedySearchCV(_lr(), remedies=[_Broken()], cv=3).fit(X, y)
    # One remedy asked for: nothing to choose, nothing to warn about.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", RemedyFailedWarning)
        search = RemedySearchCV(_lr(), remedies=["none"], cv=3).fit(X, y)
    assert search.best_remedy_ == "none"


def test_auto_does_not_warn_about_remedies_that_do_not_apply(ecoli):
    import warnings

    X, y = ecoli
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemedyFailedWarning)
        search = RemedySearchCV(_lr(), cv=3, factor=3, random_state=0).fit(X, y)
    statuses = dict(zip(search.cv_results_["param_remedy"], search.cv_results_["status"]))
    assert statuses["focal_loss"] == "skipped"


# --------------------------------------------------------------- displays


@pytest.mark.skipif(not MATPLOTLIB_INSTALLED, reason="matplotlib is not installed")
def test_remedy_scores_display_ranks_stopped_remedies_apart():
    import matplotlib

    matplotlib.use("Agg")
    from imbtool.plotting import RemedyScoresDisplay

    nan = np.nan
    results = {
        "params": [{"remedy": "halted", "threshold": "default"},
                   {"remedy": "chosen", "threshold": "default"}],
        "status": np.array(["stopped", "ok"], dtype=object),
        # The halted remedy's mean over 2 folds is above the chosen one's over 5.
        "mean_test_score": np.array([0.9, 0.7]),
    }
    for k, (a, b) in enumerate([(0.9, 0.7), (0.9, 0.7), (nan, 0.7), (nan, 0.7), (nan, 0.7)]):
        results[f"split{k}_test_score"] = np.array([a, b])
    display = RemedyScoresDisplay.from_cv_results(results, best_index=1)
    assert display.labels == ["chosen", "halted (stopped: 2 of 5 folds)"]
    assert display.best == 0


def test_binary_positive_of_the_displays_is_the_minority():
    from imbtool.plotting._base import binary_positive

    y01, pos = binary_positive(np.array(["ok", "fraud", "ok", "ok"]), None, "Display")
    assert pos == "fraud" and y01.tolist() == [0, 1, 0, 0]
    with pytest.raises(ValueError, match="Display: pos_label='x' is not a class of y_true"):
        binary_positive(np.array(["ok", "fraud"]), "x", "Display")


# -------------------------------------------------------------- benchmark


def test_benchmark_predictions_take_the_positive_column(ecoli):
    from imbtool.benchmark._runner import _predictions

    X, y = ecoli
    labels = np.where(y == 1, "fraud", "ok")
    model = _lr().fit(X, labels)
    _, y_score, y_proba = _predictions(model, X, "fraud")
    np.testing.assert_allclose(y_proba, model.predict_proba(X)[:, 0])
    from sklearn.svm import LinearSVC

    svm = LinearSVC().fit(X, labels)
    _, y_score, y_proba = _predictions(svm, X, "fraud")
    assert y_proba is None
    np.testing.assert_allclose(y_score, -svm.decision_function(X))


def test_cross_validation_scores_the_training_minority(ecoli):
    from imbtool.evaluation import cross_validate_imbalanced

    X, y = ecoli
    labels = np.where(y == 1, "fraud", "ok")
    metrics = ["f1", "average_precision", "mcc", "roc_auc"]
    numeric = cross_validate_imbalanced(_lr(), X, y, metrics=metrics, cv=3, random_state=0)
    named = cross_validate_imbalanced(_lr(), X, labels, metrics=metrics, cv=3, random_state=0)
    for a, b in zip(numeric, named):
        for name in metrics:
            assert b[name] == pytest.approx(a[name])


def _row(dataset, model, method, value, status="ok"):
    return {"dataset": dataset, "model": model, "method": method, "repeat": 0, "fold": 0,
            "source": "imbtool", "status": status, "fit_time": 0.1, "predict_time": 0.0,
            "metrics": {"f1": value} if status == "ok" else {}, "error": ""}


def _bench_rows():
    rows = []
    for i, dataset in enumerate(["ecoli1", "yeast4", "glass1", "pima"]):
        for model in ("lr", "rf"):
            rows.append(_row(dataset, model, "none", 0.5 + 0.01 * i))
            rows.append(_row(dataset, model, "smote", 0.6 + 0.02 * i))
        rows.append(_row(dataset, "lr", "self_paced_ensemble", 0.9))
    return rows


def test_benchmark_report_says_why_a_method_left_the_test():
    from imbtool.benchmark._report import compare, comparison_markdown

    result = compare(_bench_rows(), "f1", "remedies")
    assert result["treatments"] == ["none", "smote"]
    text = comparison_markdown(result)
    assert ("self_paced_ensemble (has 4 of 8 blocks): not run with rf (an ensemble model: "
            "ensemble remedies do not wrap ensembles)") in text
    failed = _bench_rows() + [_row(d, "lr", "smote", 0, status="error")
                              for d in ("ecoli1", "yeast4", "glass1")]
    failed = [r for r in failed if not (r["method"] == "smote" and r["model"] == "lr"
                                        and r["status"] == "ok" and r["dataset"] != "pima")]
    text = comparison_markdown(compare(failed, "f1", "remedies"))
    assert "failed or scored NaN with lr on 3 data sets" in text


@pytest.mark.skipif(not MATPLOTLIB_INSTALLED, reason="matplotlib is not installed")
def test_by_ir_plot_says_which_models_a_method_averages(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from imbtool.benchmark import _report

    captured = {}
    monkeypatch.setattr(plt, "close", lambda fig: captured.setdefault("fig", fig))
    _report.plot_metric_by_ir(_bench_rows(), "f1", str(tmp_path / "f1_by_ir.png"))
    ax = captured["fig"].axes[0]
    labels = sorted(t.get_text() for t in ax.get_legend().get_texts())
    assert labels == ["none", "self_paced_ensemble (lr only)", "smote"]
    assert "averaged over lr, rf" in ax.get_title()
