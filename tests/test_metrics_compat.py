"""imbalanced-learn's metric names in imbtool.metrics: importable, and equal to its results.

The deliberate differences (the weighted G-mean, and specificities under
``sample_weight``) are checked against hand computations instead.
"""

import warnings

import imblearn.metrics
import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import imbtool.metrics
from imbtool.datasets import load_dataset
from imbtool.metrics import (
    classification_report_imbalanced,
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)

IMBLEARN_NAMES = sorted(imblearn.metrics.__all__)
REEXPORTED = [
    "classification_report_imbalanced",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "sensitivity_score",
]
AVERAGES = ["binary", "micro", "macro", "weighted", None]
DATASETS = ["yeast4", "ecoli1", "iris_imbalanced"]


def _load(name):
    if name == "iris_imbalanced":
        X, y = load_iris(return_X_y=True)
        keep = np.r_[0:50, 50:70, 100:108]  # 50 / 20 / 8
        return X[keep], y[keep]
    return load_dataset(name, return_X_y=True)


@pytest.fixture(scope="module", params=DATASETS)
def predictions(request):
    X, y = _load(request.param)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    return y, cross_val_predict(model, X, y, cv=cv)


def _both(name, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = getattr(imbtool.metrics, name)(*args, **kwargs)
        theirs = getattr(imblearn.metrics, name)(*args, **kwargs)
    return ours, theirs


def _averages(y):
    return AVERAGES if len(np.unique(y)) == 2 else [a for a in AVERAGES if a != "binary"]


def _by_hand(y_true, y_pred, labels, sample_weight=None):
    """Per-class sensitivity, specificity and support from explicit loops."""
    w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, float)
    sens, spec, support = [], [], []
    for c in labels:
        tp = w[(y_true == c) & (y_pred == c)].sum()
        fn = w[(y_true == c) & (y_pred != c)].sum()
        tn = w[(y_true != c) & (y_pred != c)].sum()
        fp = w[(y_true != c) & (y_pred == c)].sum()
        sens.append(tp / (tp + fn) if tp + fn else 0.0)
        spec.append(tn / (tn + fp) if tn + fp else 0.0)
        support.append(tp + fn)
    return np.array(sens), np.array(spec), np.array(support)


@pytest.mark.parametrize("name", IMBLEARN_NAMES)
def test_every_imblearn_metric_name_is_importable(name):
    assert name in imbtool.metrics.__all__
    ours = getattr(imbtool.metrics, name)
    assert callable(ours)
    if name in REEXPORTED:
        assert ours is getattr(imblearn.metrics, name)
    else:
        assert ours.__doc__ and "Examples" in ours.__doc__


def test_all_is_sorted():
    assert imbtool.metrics.__all__ == sorted(imbtool.metrics.__all__)


def test_sensitivity_specificity_equal_imblearn(predictions):
    y, pred = predictions
    for average in _averages(y):
        for name in ("sensitivity_specificity_support", "sensitivity_score", "specificity_score"):
            ours, theirs = _both(name, y, pred, average=average)
            if name == "sensitivity_specificity_support":
                for a, b in zip(ours, theirs):
                    assert (a is None) == (b is None)
                    if a is not None:
                        assert_allclose(a, b, rtol=1e-12)
            else:
                assert_allclose(ours, theirs, rtol=1e-12)
    labels = np.unique(y)[::-1]
    ours, theirs = _both("specificity_score", y, pred, labels=labels, average=None)
    assert_allclose(ours, theirs, rtol=1e-12)


def test_geometric_mean_equals_imblearn_except_weighted(predictions):
    y, pred = predictions
    for average in ["multiclass", *_averages(y)]:
        if average == "weighted":
            continue
        ours, theirs = _both("geometric_mean_score", y, pred, average=average)
        assert_allclose(ours, theirs, rtol=1e-12)
    ours, theirs = _both("geometric_mean_score", y, pred, correction=0.01)
    assert_allclose(ours, theirs, rtol=1e-12)


def test_weighted_geometric_mean_by_hand(predictions):
    y, pred = predictions
    labels = np.unique(y)
    sens, spec, support = _by_hand(y, pred, labels)
    expected = np.sum(support * np.sqrt(sens * spec)) / support.sum()
    assert geometric_mean_score(y, pred, average="weighted") == pytest.approx(expected)
    per_class = geometric_mean_score(y, pred, average=None)
    assert geometric_mean_score(y, pred, average="weighted") == pytest.approx(
        np.average(per_class, weights=support)
    )
    # imbalanced-learn's rule: root of the product of the weighted averages.
    _, theirs = _both("geometric_mean_score", y, pred, average="weighted")
    imblearn_rule = np.sqrt(np.average(sens, weights=support) * np.average(spec, weights=support))
    assert theirs == pytest.approx(imblearn_rule)
    if len(labels) == 2:
        assert geometric_mean_score(y, pred, average="weighted") == pytest.approx(
            geometric_mean_score(y, pred, average="binary")
        )


def test_weighted_geometric_mean_of_a_majority_only_classifier():
    y_true = np.array([0] * 8 + [1] * 2)
    y_pred = np.zeros(10, dtype=int)
    ours, theirs = _both("geometric_mean_score", y_true, y_pred, average="weighted")
    # Per class: sensitivity (1, 0), specificity (0, 1), so both one-vs-rest G-means are 0.
    assert ours == 0.0
    # imbalanced-learn: sqrt((0.8 * 1 + 0.2 * 0) * (0.8 * 0 + 0.2 * 1)) = sqrt(0.16).
    assert theirs == pytest.approx(0.4)
    ours, theirs = _both("geometric_mean_score", y_true, y_pred, average="macro")
    assert ours == theirs == pytest.approx(0.5)


def test_weighted_geometric_mean_toy_by_hand():
    # One-vs-rest: class 0 has sensitivity 1 and specificity 3/4, classes 1 and 2
    # sensitivity 0; supports 2, 2, 2.
    y_true = [0, 1, 2, 0, 1, 2]
    y_pred = [0, 2, 1, 0, 0, 1]
    expected = (2 * np.sqrt(1.0 * 0.75) + 0 + 0) / 6
    assert geometric_mean_score(y_true, y_pred, average="weighted") == pytest.approx(expected)
    _, theirs = _both("geometric_mean_score", y_true, y_pred, average="weighted")
    assert theirs == pytest.approx(np.sqrt((1 / 3) * (2 / 3)))


def test_reexports_equal_imblearn(predictions):
    y, pred = predictions
    ours, theirs = _both("macro_averaged_mean_absolute_error", y, pred)
    assert ours == theirs
    ours, theirs = _both("classification_report_imbalanced", y, pred, output_dict=True)
    assert ours == theirs
    iba = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    iba_imblearn = imblearn.metrics.make_index_balanced_accuracy(alpha=0.1, squared=True)(
        imblearn.metrics.geometric_mean_score
    )
    for average in ["multiclass", *[a for a in _averages(y) if a != "weighted"]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert_allclose(iba(y, pred, average=average), iba_imblearn(y, pred, average=average))
    assert sensitivity_score(y, pred, average="macro") == pytest.approx(
        np.mean(_by_hand(y, pred, np.unique(y))[0])
    )
    assert classification_report_imbalanced is imblearn.metrics.classification_report_imbalanced
    assert macro_averaged_mean_absolute_error is imblearn.metrics.macro_averaged_mean_absolute_error


@pytest.mark.parametrize("average", AVERAGES)
def test_sample_weight_equals_repeating_rows(predictions, average):
    y, pred = predictions
    if average == "binary" and len(np.unique(y)) > 2:
        pytest.skip("binary average needs binary data")
    weights = np.random.default_rng(0).integers(1, 4, size=len(y))
    y_rep, pred_rep = np.repeat(y, weights), np.repeat(pred, weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weighted = sensitivity_specificity_support(y, pred, average=average,
                                                   sample_weight=weights)
        repeated = imblearn.metrics.sensitivity_specificity_support(y_rep, pred_rep,
                                                                    average=average)
        for a, b in zip(weighted, repeated):
            if b is not None:
                assert_allclose(a, b, rtol=1e-12)
        assert_allclose(specificity_score(y, pred, average=average, sample_weight=weights),
                        imblearn.metrics.specificity_score(y_rep, pred_rep, average=average))
        assert_allclose(geometric_mean_score(y, pred, average=average, sample_weight=weights),
                        geometric_mean_score(y_rep, pred_rep, average=average))
        if average != "weighted":
            assert_allclose(
                geometric_mean_score(y, pred, average=average, sample_weight=weights),
                imblearn.metrics.geometric_mean_score(y_rep, pred_rep, average=average),
            )


def test_sample_weighted_specificity_by_hand():
    y_true = np.array([0, 0, 1, 1])
    y_pred = np.array([0, 1, 1, 1])
    w = np.array([1.0, 2.0, 3.0, 4.0])
    sens, spec, support = sensitivity_specificity_support(y_true, y_pred, sample_weight=w)
    # Class 1: TN = 1 (weight of the correct 0), FP = 2, so 1 / 3; class 0: TN = 7, FP = 0.
    assert_allclose(spec, [1.0, 1 / 3])
    assert_allclose(sens, [1 / 3, 1.0])
    assert_allclose(support, [3.0, 7.0])
    for ours, by_hand in zip((sens, spec, support), _by_hand(y_true, y_pred, [0, 1], w)):
        assert_allclose(ours, by_hand)
    _, theirs = _both("specificity_score", y_true, y_pred, sample_weight=w)
    assert theirs > 1  # imbalanced-learn 0.14 mixes counts and weights
    assert specificity_score(y_true, y_pred, sample_weight=w) == pytest.approx(1 / 3)
    assert geometric_mean_score(y_true, y_pred, average="binary", sample_weight=w) == (
        pytest.approx(np.sqrt(1 / 3))
    )


def test_checks_and_warnings_match_imblearn():
    with pytest.raises(ValueError):
        sensitivity_specificity_support([0, 1, 2], [1, 2, 0], average="mega")
    with pytest.raises(ValueError):
        geometric_mean_score([0, 1], [0, 1], correction=-1.0)
    with pytest.raises(ValueError, match="pos_label=2"):
        specificity_score([0, 1, 0], [0, 1, 1], pos_label=2)
    with pytest.raises(ValueError, match="pos_label=2"):
        specificity_score([0, 1, 0], [0, 1, 1], pos_label=2, sample_weight=[1, 1, 1])
    with pytest.warns(UserWarning, match=r"labels=\[pos_label\]"):
        geometric_mean_score([1, 2, 1], [1, 2, 2], pos_label=2, average="weighted")
    with pytest.raises(ValueError, match="multilabel"):
        specificity_score(np.eye(3, dtype=int), np.eye(3, dtype=int), average="macro",
                          sample_weight=[1, 1, 1])
