"""Relabelling invariance of the threshold and cost tools: the names of the
classes never change a decision.

Every public classifier of imbtool.threshold and imbtool.cost is fitted on a
target and on one-to-one relabellings of it (strings with the rare class
sorting first and last, booleans, shifted and negative integers, a pandas
Categorical). The predictions must be the relabelled predictions, the tuned
thresholds and scores the same, and ``predict_proba`` the same columns in the
order of the new ``classes_``. The positive class of a binary problem is, by
default, the minority class, whatever its label.

Then every sampler and classifier of the registry, on binary and three-class
targets: the same rows, indices and predictions under relabellings that keep
the labels' sort order, and under those that change it (classes that share a
random stream are visited in the order of their first row in ``y``), with the
two exceptions, scikit-learn's own tie rules, listed by name.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import cross_val_score

from imbtool.datasets import load_dataset
from imbtool.metrics import get_scorer, list_metrics
from imbtool.regression import BaseRegressionSampler, REBAGGRegressor
from imbtool.threshold import (
    ExpectedCost,
    PrecisionAtRecall,
    RecallAtPrecision,
    TPRAtFPR,
    TunedThresholdClassifier,
)
from imbtool.under_sampling import InstanceHardnessThreshold
from imbtool.utils import all_estimators, resolve_pos_label
from imbtool.utils._compat import XGBOOST_INSTALLED

from _estimators import build_estimator

OWN_MODULES = ("imbtool.threshold", "imbtool.cost")
OWN_CLASSIFIERS = sorted(
    (name, cls) for name, cls in all_estimators("classifier")
    if cls.__module__.startswith(OWN_MODULES)
)

# One-to-one relabellings of {0, 1} where 1 is the minority class.
BINARY_MAPS = {
    "strings_minority_first": {0: "ok", 1: "fraud"},
    "strings_minority_last": {0: "fraud", 1: "ok"},
    "bool": {0: False, 1: True},
    "bool_flipped": {0: True, 1: False},
    "ints_shifted": {0: -3, 1: 7},
    "ints_flipped": {0: 7, 1: -3},
    "categorical": "categorical",
}
# Of {0, 1, 2} where 2 is the rarest class.
MULTICLASS_MAPS = {
    "strings_reversed": {0: "c", 1: "b", 2: "a"},
    "ints_permuted": {0: 7, 1: -3, 2: 0},
    "categorical": "categorical",
}


def _relabel(y, mapping):
    if isinstance(mapping, str):
        names = np.array(["ok", "fraud"] if y.max() == 1 else ["c", "b", "a"])
        return pd.Categorical(names[y], categories=sorted(set(names.tolist())))
    values = list(mapping.values())
    out = np.empty(len(y), dtype=np.asarray(values).dtype)
    for old, new in mapping.items():
        out[y == old] = new
    return out


def _as_map(y, y_new):
    """{old label: new label}, read from the data."""
    y_new = np.asarray(y_new)
    return {old: y_new[np.flatnonzero(y == old)[0]] for old in np.unique(y)}


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(300, n_features=5, n_informative=3, weights=[0.85], flip_y=0.05,
                               random_state=0)
    return X, y


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(360, n_features=6, n_informative=4, n_classes=3,
                               weights=[0.6, 0.3, 0.1], random_state=1)
    return X, y


def _instances(name, cls, mapping_for, multiclass):
    """Configurations of each classifier: the defaults and every binary positive-class use."""
    lr = LogisticRegression(max_iter=1000)
    if name == "TunedThresholdClassifier":
        if multiclass:
            return [cls(lr, scoring=s) for s in ("balanced_accuracy", "accuracy", "f1_macro")]
        scorings = ["f1", "f2", "mcc", "g_mean", "youden_j", "cohen_kappa", "precision",
                    "recall", "balanced_accuracy", "expected_cost",
                    ExpectedCost(cost_fp=1, cost_fn=5), PrecisionAtRecall(0.6),
                    RecallAtPrecision(0.3), TPRAtFPR(0.2)]
        return ([cls(lr, scoring=s) for s in scorings]
                + [cls(lr, scoring="f1", fold_aggregation="average"),
                   cls(lr, scoring="f1", response_method="decision_function"),
                   cls(lr, scoring="f1", pos_label=mapping_for(1))])
    if name == "PriorCorrectedClassifier":
        k = 3 if multiclass else 2
        deployment = {mapping_for(c): p for c, p in enumerate([0.5, 0.3, 0.2][:k])}
        # The default under-samples at random, drawing its classes in an order no
        # relabelling changes (imbtool.utils.class_visit_order).
        return [cls(), cls(lr), cls(lr, deployment_prior=deployment)]
    if name == "CostSensitiveClassifier":
        # cost_matrix is in sorted label order: relabel it with the classes.
        k = 3 if multiclass else 2
        base = np.array([[0, 1, 2], [3, 0, 1], [8, 4, 0]] if multiclass else [[0, 1], [5, 0]])
        # Row i of the new matrix is the original class that sorts i-th once relabelled.
        order = np.argsort(np.asarray([mapping_for(c) for c in range(k)]), kind="stable")
        matrix = base[np.ix_(order, order)]
        return [cls(lr), cls(lr, cost_matrix=matrix, method="bayes_risk"),
                cls(lr, cost_matrix=matrix), cls(lr, method="rejection_sampling", random_state=0)]
    return [cls(lr)]


def _check_same(ref, new, X, mapping, y_ref):
    pred_ref, pred_new = ref.predict(X), np.asarray(new.predict(X))
    expected = np.array([mapping[v] for v in pred_ref], dtype=object)
    np.testing.assert_array_equal(pred_new.astype(object), expected)
    assert [mapping[c] for c in ref.classes_.tolist()] != [] and set(new.classes_.tolist()) == {
        mapping[c] for c in ref.classes_.tolist()}
    if hasattr(ref, "predict_proba"):
        proba_ref, proba_new = ref.predict_proba(X), new.predict_proba(X)
        columns = [new.classes_.tolist().index(mapping[c]) for c in ref.classes_.tolist()]
        np.testing.assert_allclose(proba_new[:, columns], proba_ref, rtol=1e-6, atol=1e-8)
    for attr in ("best_threshold_", "best_score_"):
        if hasattr(ref, attr):
            assert getattr(new, attr) == pytest.approx(getattr(ref, attr), rel=1e-6, abs=1e-9), attr
    if hasattr(ref, "offsets_"):
        # Only differences of offsets matter: compare them relative to the first class.
        order = [new.classes_.tolist().index(mapping[c]) for c in ref.classes_.tolist()]
        moved = new.offsets_[order]
        np.testing.assert_allclose(moved - moved[0], ref.offsets_ - ref.offsets_[0], rtol=1e-6,
                                   atol=1e-9)
    if getattr(ref, "pos_label_", None) is not None:
        assert new.pos_label_ == mapping[ref.pos_label_]
        if ref.pos_label is None:
            assert ref.pos_label_ == 1  # the minority class of y_ref
    if hasattr(ref, "training_prior_"):
        order = [new.classes_.tolist().index(mapping[c]) for c in ref.classes_.tolist()]
        np.testing.assert_allclose(new.training_prior_[order], ref.training_prior_)
        np.testing.assert_allclose(new.deployment_prior_[order], ref.deployment_prior_)


def _fit_quietly(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return estimator.fit(X, y)


def test_own_classifiers_are_found():
    names = {name for name, _ in OWN_CLASSIFIERS}
    assert {"TunedThresholdClassifier", "PriorCorrectedClassifier", "CostSensitiveClassifier",
            "CalibratedClassifier"} <= names


@pytest.mark.parametrize("relabelling", list(BINARY_MAPS), ids=list(BINARY_MAPS))
@pytest.mark.parametrize("name, cls", OWN_CLASSIFIERS, ids=[n for n, _ in OWN_CLASSIFIERS])
def test_binary_relabelling(binary, name, cls, relabelling):
    X, y = binary
    y_new = _relabel(y, BINARY_MAPS[relabelling])
    mapping = _as_map(y, y_new)
    refs = _instances(name, cls, lambda c: c, multiclass=False)
    news = _instances(name, cls, lambda c: mapping[c], multiclass=False)
    for ref, new in zip(refs, news):
        _fit_quietly(ref, X, y)
        _fit_quietly(new, X, y_new)
        _check_same(ref, new, X, mapping, y)


@pytest.mark.parametrize("relabelling", list(MULTICLASS_MAPS), ids=list(MULTICLASS_MAPS))
@pytest.mark.parametrize("name, cls", OWN_CLASSIFIERS, ids=[n for n, _ in OWN_CLASSIFIERS])
def test_multiclass_relabelling(multiclass, name, cls, relabelling):
    X, y = multiclass
    y_new = _relabel(y, MULTICLASS_MAPS[relabelling])
    mapping = _as_map(y, y_new)
    refs = _instances(name, cls, lambda c: c, multiclass=True)
    news = _instances(name, cls, lambda c: mapping[c], multiclass=True)
    for ref, new in zip(refs, news):
        _fit_quietly(ref, X, y)
        _fit_quietly(new, X, y_new)
        _check_same(ref, new, X, mapping, y)


@pytest.mark.parametrize("relabelling", list(BINARY_MAPS), ids=list(BINARY_MAPS))
def test_scorers_relabelling(binary, relabelling):
    """Every registered metric's scorer gives the same value on relabelled data."""
    X, y = binary
    y_new = _relabel(y, BINARY_MAPS[relabelling])
    ref = LogisticRegression(max_iter=1000).fit(X, y)
    new = LogisticRegression(max_iter=1000).fit(X, y_new)
    for metric in (set(list_metrics()) - set(list_metrics("values"))):  # values: regression
        scorer = get_scorer(metric)
        assert scorer(new, X, y_new) == pytest.approx(scorer(ref, X, y), rel=1e-6, abs=1e-9), metric


def test_yeast4_fraud_ok_regression():
    """The F1 tuned for labels "fraud"/"ok" is the F1 of "fraud", the rare class."""
    X, y = load_dataset("yeast4", return_X_y=True)
    labels = np.where(y == 1, "fraud", "ok")
    coded = TunedThresholdClassifier(LogisticRegression(), scoring="f1").fit(X, y)
    named = TunedThresholdClassifier(LogisticRegression(), scoring="f1").fit(X, labels)
    assert named.pos_label_ == "fraud"
    assert named.best_score_ == pytest.approx(coded.best_score_, rel=1e-9)
    assert named.best_threshold_ == pytest.approx(coded.best_threshold_, rel=1e-9)
    assert named.best_score_ < 0.9  # not the F1 of "ok" (0.98)
    assert f1_score(labels, named.predict(X), pos_label="fraud") == pytest.approx(
        f1_score(y, coded.predict(X)))
    # The scorer of a search or cross-validation scores "fraud" too.
    a = cross_val_score(LogisticRegression(), X, y, scoring=get_scorer("f1"))
    b = cross_val_score(LogisticRegression(), X, labels, scoring=get_scorer("f1"))
    np.testing.assert_allclose(a, b)
    assert b.mean() == pytest.approx(
        cross_val_score(LogisticRegression(), X, labels,
                        scoring=get_scorer("f1", pos_label="fraud")).mean())


def test_resolve_pos_label():
    assert resolve_pos_label(["ok", "fraud", "ok"]) == "fraud"
    assert resolve_pos_label([3, 3, -1]) == -1
    assert resolve_pos_label([True, False, False]) is True
    assert resolve_pos_label(["a", "b", "b"], pos_label="b") == "b"
    assert resolve_pos_label(pd.Categorical(["x", "y", "y"])) == "x"
    # Rows are counted, whatever the classes' sample weights.
    assert resolve_pos_label([0, 0, 1], classes=[0, 1]) == 1
    with pytest.warns(UserWarning, match="same number of rows.*greater label.*pos_label="):
        assert resolve_pos_label(["b", "a", "a", "b"]) == "b"
    with pytest.raises(ValueError,
                       match=r"pos_label='x' is not a class of y \(classes: \['a', 'b'\]\)"):
        resolve_pos_label(["a", "b"], pos_label="x")
    with pytest.raises(ValueError, match="two classes"):
        resolve_pos_label([0, 1, 2])


def test_tie_falls_back_to_greater_label_with_warning(binary):
    X, _ = binary
    y = np.r_[np.zeros(150, dtype=int), np.ones(150, dtype=int)]
    with pytest.warns(UserWarning, match="no minority class"):
        clf = TunedThresholdClassifier(LogisticRegression(), scoring="f1").fit(X, y)
    assert clf.pos_label_ == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert TunedThresholdClassifier(LogisticRegression(), scoring="f1",
                                        pos_label=0).fit(X, y).pos_label_ == 0


def test_bad_pos_label_names_the_parameter(binary):
    X, y = binary
    with pytest.raises(ValueError, match=r"pos_label='fraud' is not a class of y"):
        TunedThresholdClassifier(scoring="f1", pos_label="fraud").fit(X, y)
    with pytest.raises(ValueError, match="pos_label applies to imbtool metric names"):
        get_scorer("neg_log_loss", pos_label=1)
    with pytest.raises(ValueError, match="no positive class"):
        get_scorer("accuracy", pos_label=1)


def test_score_predictions_pos_label(binary):
    from imbtool.metrics import score_predictions

    X, y = binary
    model = LogisticRegression(max_iter=1000).fit(X, y)
    proba = model.predict_proba(X)[:, 1]
    names = ["f1", "average_precision", "brier", "log_loss", "accuracy"]
    ref = score_predictions(y, names, y_pred=model.predict(X), y_proba=proba)
    labels = np.where(y == 1, "fraud", "ok")
    pred = np.where(model.predict(X) == 1, "fraud", "ok")
    new = score_predictions(labels, names, y_pred=pred, y_proba=proba, pos_label="fraud")
    assert new == pytest.approx(ref)


# --- every estimator of the registry -------------------------------------------------------
#
# The rule (README, "Trust"; imbtool.base.BaseSampler; imbtool.utils.class_visit_order):
# where several classes draw from one random stream (the random samplers, ADASYN, SVMSMOTE,
# KMeansSMOTE, CNN, OSS, every resampling ensemble's members), the classes are visited in the
# order of their first row in y, which no renaming changes; a tie between classes in an
# ensemble's probabilities, or in a boosted tree member's leaf, goes to the class visited
# first (CompatibleBaggingClassifier, scikit-learn's BaggingClassifier drop-in, and its
# subclass BalancedBaggingClassifier keep the first sorted class). Where the labels first
# appear in sorted order this is imbalanced-learn's order, so the same random_state gives
# imbalanced-learn's rows. A relabelling that keeps the labels' sort order therefore changes
# nothing: the same rows in the same order, the same sample_indices_, the same predictions
# and probabilities. A relabelling that changes the sort order may reorder the class blocks
# of a sampler's output (they follow sorted order) and otherwise changes nothing: the same
# rows of each class, the same predictions.

# Every estimator fitted on labels: the samplers and whatever predicts (Pipeline included).
# The regression samplers and REBAGG take a continuous target: there are no labels to rename.
CONTINUOUS_TARGET = (BaseRegressionSampler, REBAGGRegressor)
REGISTRY = [(name, cls) for name, cls in all_estimators()
            if (hasattr(cls, "fit_resample") or hasattr(cls, "predict"))
            and not issubclass(cls, CONTINUOUS_TARGET)
            and (XGBOOST_INSTALLED or name != "XGBImbalancedClassifier")]

# Relabellings of {0, 1} (1 the minority) and of {0, 1, 2} (2 the rarest): a dict, or a list
# of category names for a pandas Categorical (category order reversed: it does not sort them).
KEEP_ORDER = {
    "binary": {"strings": {0: "fraud", 1: "ok"}, "bool": {0: False, 1: True},
               "ints_negative": {0: -7, 1: -3}, "categorical": ["fraud", "ok"]},
    "multiclass": {"strings": {0: "a", 1: "b", 2: "c"}, "ints_negative": {0: -5, 1: 0, 2: 9},
                   "categorical": ["a", "b", "c"]},
}
CHANGE_ORDER = {
    "binary": {"strings": {0: "ok", 1: "fraud"}, "bool": {0: True, 1: False},
               "ints": {0: 7, 1: -3}, "categorical": ["ok", "fraud"]},
    "multiclass": {"strings": {0: "c", 1: "b", 2: "a"}, "ints_rotated": {0: 7, 1: -3, 2: 0}},
}

_SKLEARN_BOOSTED_TIES = (
    "its members are scikit-learn AdaBoostClassifiers of decision stumps: a stump whose leaf "
    "holds equal weights of two classes predicts the first in sorted label order (scikit-learn's "
    "rule, inside the member) and AdaBoost carries that into its later rounds")
# (estimator, problem) -> (relabellings that change the output, reason). Each is a strict
# xfail: a fix turns it into a failure, to be removed from here.
_SKLEARN_TIES = (
    "a tie between classes in the members' averaged probabilities goes to the first class in "
    "sorted label order, as in scikit-learn's BaggingClassifier, of which this is the drop-in "
    "(a one-member bag predicts as its member; one row of 120 here)")
ORDER_DEPENDENT = {
    ("EasyEnsembleClassifier", "multiclass"): (("strings",), _SKLEARN_BOOSTED_TIES),
    ("CompatibleBaggingClassifier", "multiclass"): (("strings",), _SKLEARN_TIES),
}


def _registry_data(problem):
    if problem == "binary":
        X, y = make_classification(80, n_features=4, n_informative=3, n_redundant=0,
                                   weights=[0.75], random_state=0)
    else:
        X, y = make_classification(120, n_features=4, n_informative=3, n_redundant=0,
                                   n_classes=3, n_clusters_per_class=1,
                                   weights=[0.55, 0.3, 0.15], random_state=1)
    # A nominal column with three values, for SMOTENC.
    X[:, -1] = np.digitize(X[:, -1], [-0.5, 0.5])
    return X, y


def _registry_relabel(y, mapping):
    if isinstance(mapping, list):
        names = np.array(sorted(mapping))
        return pd.Series(pd.Categorical(names[y], categories=mapping))
    return _relabel(y, mapping)


def _registry_instance(cls, X):
    estimator = build_estimator(cls)
    params = estimator.get_params()
    small = {"random_state": 0, "n_estimators": 5, "categorical_features": [X.shape[1] - 1]}
    estimator.set_params(**{k: v for k, v in small.items() if k in params})
    if isinstance(estimator, InstanceHardnessThreshold):  # 5 trees, not 100, for time
        estimator.set_params(estimator=RandomForestClassifier(5, random_state=0))
    return estimator


_FITTED = {}


def _registry_fit(name, cls, problem, mapping=None):
    """Fit (classifier) or resample (sampler); the reference fit is shared between tests."""
    key = (name, problem, repr(mapping))
    if key not in _FITTED:
        X, y = _registry_data(problem)
        y_fit = y if mapping is None else _registry_relabel(y, mapping)
        estimator = _registry_instance(cls, X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if hasattr(estimator, "predict"):
                estimator.fit(X, y_fit)
                out = (estimator.predict(X), getattr(estimator, "predict_proba", None) and
                       estimator.predict_proba(X), estimator.classes_)
            else:
                X_res, y_res = estimator.fit_resample(X, y_fit)
                out = (X_res, np.asarray(y_res), getattr(estimator, "sample_indices_", None))
        if mapping is not None:
            return out
        _FITTED[key] = out
    return _FITTED[key]


def _check_registry(name, cls, problem, mapping, keep_order):
    ref = _registry_fit(name, cls, problem)
    new = _registry_fit(name, cls, problem, mapping)
    X, y = _registry_data(problem)
    as_new = _as_map(y, _registry_relabel(y, mapping))
    if not hasattr(cls, "predict"):  # a sampler
        (X_ref, y_ref, idx_ref), (X_new, y_new, idx_new) = ref, new
        mapped = np.array([as_new[v] for v in y_ref], dtype=object)
        if keep_order:  # the same rows and labels in the same order
            np.testing.assert_array_equal(y_new.astype(object), mapped)
            blocks = [(np.ones(len(y_ref), bool), np.ones(len(y_new), bool))]
        else:  # the same rows of each class, in the same order within the class
            blocks = [(y_ref == old, y_new.astype(object) == as_new[old]) for old in np.unique(y)]
        for in_ref, in_new in blocks:
            np.testing.assert_array_equal(np.asarray(X_new)[in_new], np.asarray(X_ref)[in_ref])
            if idx_ref is not None:  # the output begins with X[sample_indices_]
                np.testing.assert_array_equal(idx_new[in_new[:len(idx_new)]],
                                              idx_ref[in_ref[:len(idx_ref)]])
        assert sorted(map(str, y_new)) == sorted(map(str, mapped))
        return
    (pred_ref, proba_ref, classes_ref), (pred_new, proba_new, classes_new) = ref, new
    np.testing.assert_array_equal(np.asarray(pred_new).astype(object),
                                  np.array([as_new[v] for v in pred_ref], dtype=object))
    if proba_ref is not None:
        columns = [classes_new.tolist().index(as_new[c]) for c in classes_ref.tolist()]
        np.testing.assert_allclose(proba_new[:, columns], proba_ref, rtol=1e-6, atol=1e-6)


def _registry_cases(maps, xfails):
    cases = []
    for name, cls in REGISTRY:
        for problem, by_name in maps.items():
            failing, reason = xfails.get((name, problem), ((), None))
            for label in by_name:
                marks = ([pytest.mark.xfail(strict=True, reason=reason)]
                         if label in failing else [])
                cases.append(pytest.param(name, cls, problem, label, marks=marks,
                                          id=f"{name}-{problem}-{label}"))
    return cases


def test_registry_covers_every_sampler_and_classifier():
    names = {name for name, _ in REGISTRY}
    assert {"RandomUnderSampler", "SMOTE", "TomekLinks", "SMOTEENN", "EasyEnsembleClassifier",
            "LGBMImbalancedClassifier", "Pipeline", "RemedySearchCV"} <= names
    left_out = {name for name, _ in all_estimators()} - names
    # no labels (the neighbour search, the regression samplers); an optional extra
    regression = {name for name, cls in all_estimators() if issubclass(cls, CONTINUOUS_TARGET)}
    assert left_out <= {"NearestNeighbors", "XGBImbalancedClassifier", *regression}


@pytest.mark.parametrize("name, cls, problem, label", _registry_cases(KEEP_ORDER, {}))
def test_every_estimator_relabelling_keeping_the_order(name, cls, problem, label):
    """Labels renamed in the same sort order: exactly the same output."""
    _check_registry(name, cls, problem, KEEP_ORDER[problem][label], keep_order=True)


@pytest.mark.parametrize("name, cls, problem, label",
                         _registry_cases(CHANGE_ORDER, ORDER_DEPENDENT))
def test_every_estimator_relabelling_changing_the_order(name, cls, problem, label):
    """Labels renamed in another sort order: the same rows per class, the same predictions."""
    _check_registry(name, cls, problem, CHANGE_ORDER[problem][label], keep_order=False)
