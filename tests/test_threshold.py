"""imbtool.threshold: the exact sweep against brute force, scikit-learn's
TunedThresholdClassifierCV on real KEEL data, prior correction, calibration
and bad input."""

import inspect
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.metrics import geometric_mean_score
from imblearn.pipeline import make_pipeline as imb_make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    cohen_kappa_score,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    train_test_split,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbtool.cost import cost_optimal_threshold
from imbtool.datasets import load_dataset
from imbtool.threshold import (
    BetaCalibration,
    CalibratedClassifier,
    CountMetric,
    ExpectedCost,
    FBeta,
    PrecisionAtRecall,
    PriorCorrectedClassifier,
    RecallAtPrecision,
    TPRAtFPR,
    TunedThresholdClassifier,
    bayes_threshold,
    brier_score,
    confusion_sweep,
    ece,
    expected_cost,
    make_cost_matrix,
    prior_shift,
    undersampling_correction,
)
from imbtool.threshold._multiclass import _coordinate_step
from imbtool.threshold._objectives import resolve_objective
from imbtool.utils._compat import sklearn_at_least
from imbtool.utils._sweep import threshold_curve as _curve


def _gmean(y, p, sample_weight=None):
    if sample_weight is not None:
        # imbalanced-learn's geometric_mean_score mis-weights (values > 1 or NaN
        # when every sample is predicted positive), so use the definition.
        return np.sqrt(recall_score(y, p, sample_weight=sample_weight, zero_division=0)
                       * recall_score(1 - y, 1 - p, sample_weight=sample_weight, zero_division=0))
    return geometric_mean_score(y, p, average="binary")


def _youden(y, p, sample_weight=None):
    return (recall_score(y, p, sample_weight=sample_weight, zero_division=0)
            + recall_score(1 - y, 1 - p, sample_weight=sample_weight, zero_division=0) - 1)


def _kappa(y, p, w):
    # replace_undefined_by is new in scikit-learn 1.7; before it an undefined kappa is nan.
    if "replace_undefined_by" in inspect.signature(cohen_kappa_score).parameters:
        return cohen_kappa_score(y, p, sample_weight=w, replace_undefined_by=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = cohen_kappa_score(y, p, sample_weight=w)
    return 0.0 if np.isnan(kappa) else kappa


# objective name -> the same metric of hard predictions, from scikit-learn / imbalanced-learn
REFERENCE = {
    "f1": lambda y, p, w: f1_score(y, p, sample_weight=w, zero_division=0),
    "f2": lambda y, p, w: fbeta_score(y, p, beta=2, sample_weight=w, zero_division=0),
    "precision": lambda y, p, w: precision_score(y, p, sample_weight=w, zero_division=0),
    "recall": lambda y, p, w: recall_score(y, p, sample_weight=w, zero_division=0),
    "accuracy": lambda y, p, w: accuracy_score(y, p, sample_weight=w),
    "balanced_accuracy": lambda y, p, w: balanced_accuracy_score(y, p, sample_weight=w),
    "mcc": lambda y, p, w: matthews_corrcoef(y, p, sample_weight=w),
    "cohen_kappa": lambda y, p, w: _kappa(y, p, w),
    "g_mean": lambda y, p, w: _gmean(y, p, w),
    "youden_j": lambda y, p, w: _youden(y, p, w),
}


@st.composite
def scored_labels(draw, min_size=4, max_size=40):
    """Binary labels with both classes and scores full of ties."""
    n = draw(st.integers(min_size, max_size))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    y[0], y[1] = 0, 1
    score = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), dtype=float) / 6
    weighted = draw(st.booleans())
    w = None
    if weighted:
        w = np.array(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)), dtype=float)
    return y, score, w


def _brute_cuts(score):
    return np.r_[np.unique(score), np.inf]


@settings(max_examples=25, deadline=None)
@given(scored_labels())
def test_sweep_counts_equal_brute_force(data):
    y, score, w = data
    weights = np.ones(len(y)) if w is None else w
    sweep = confusion_sweep(y, score, w)
    np.testing.assert_array_equal(sweep.thresholds, _brute_cuts(score))
    for k, t in enumerate(sweep.thresholds):
        pred = score >= t
        assert sweep.tp[k] == pytest.approx(weights[pred & (y == 1)].sum())
        assert sweep.fp[k] == pytest.approx(weights[pred & (y == 0)].sum())
        assert sweep.fn[k] == pytest.approx(weights[~pred & (y == 1)].sum())
        assert sweep.tn[k] == pytest.approx(weights[~pred & (y == 0)].sum())


@settings(max_examples=25, deadline=None)
@given(scored_labels(), st.sampled_from(sorted(REFERENCE)))
def test_every_objective_equals_reference_metric_at_every_cut(data, name):
    y, score, w = data
    curve = _curve(resolve_objective(name), [(y, score, w, None)])
    brute = np.array([REFERENCE[name](y, (score >= t).astype(int), w) for t in curve.thresholds])
    np.testing.assert_allclose(curve.result.score, brute, atol=1e-10)
    # The chosen threshold reaches the brute-force maximum on these scores.
    assert curve.result.score[curve.index] == pytest.approx(brute.max(), abs=1e-10)
    achieved = REFERENCE[name](y, (score >= curve.threshold).astype(int), w)
    assert achieved == pytest.approx(brute.max(), abs=1e-10)


@settings(max_examples=25, deadline=None)
@given(scored_labels(), st.booleans())
def test_expected_cost_sweep_equals_brute_force(data, per_sample):
    y, score, w = data
    rng = np.random.default_rng(len(y))
    if per_sample:
        cost = make_cost_matrix(cost_fp=rng.uniform(0, 3, len(y)),
                                cost_fn=rng.uniform(0, 30, len(y)),
                                cost_tp=rng.uniform(0, 1, len(y)))
        objective = ExpectedCost()
    else:
        cost = make_cost_matrix(cost_fp=1.0, cost_fn=7.0, cost_tn=0.5)
        objective = ExpectedCost(cost)
    curve = _curve(objective, [(y, score, w, cost if per_sample else None)])
    brute = np.array([
        expected_cost(y, (score >= t).astype(int), None if per_sample else cost, labels=[0, 1],
                      sample_cost=cost if per_sample else None, sample_weight=w)
        for t in curve.thresholds
    ])
    np.testing.assert_allclose(curve.result.score, brute, atol=1e-9)
    assert curve.result.score[curve.index] == pytest.approx(brute.min(), abs=1e-9)


def _brute_constrained(y, score, maximised, bounded, bound, at_least):
    best = None
    for t in _brute_cuts(score):
        p = (score >= t).astype(int)
        rates = {
            "recall": recall_score(y, p, zero_division=0),
            "tpr": recall_score(y, p, zero_division=0),
            "fpr": 1 - recall_score(1 - y, 1 - p, zero_division=0),
            "precision": precision_score(y, p, zero_division=np.nan) if p.any() else np.nan,
        }
        b = rates[bounded]
        if np.isnan(b) or np.isnan(rates[maximised]):
            continue
        if (b >= bound - 1e-12) if at_least else (b <= bound + 1e-12):
            best = rates[maximised] if best is None else max(best, rates[maximised])
    return best


@settings(max_examples=25, deadline=None)
@given(scored_labels(), st.floats(0.0, 1.0), st.sampled_from(["rp", "pr", "tf"]))
def test_constrained_objectives_equal_brute_force(data, bound, kind):
    y, score, _ = data
    objective, spec = {
        "rp": (RecallAtPrecision(bound), ("recall", "precision", True)),
        "pr": (PrecisionAtRecall(bound), ("precision", "recall", True)),
        "tf": (TPRAtFPR(bound), ("tpr", "fpr", False)),
    }[kind]
    expected = _brute_constrained(y, score, *spec[:2], bound, spec[2])
    curve = _curve(objective, [(y, score, None, None)])
    if expected is None:
        assert curve.index is None
        with pytest.raises(ValueError, match="No threshold reaches"):
            TunedThresholdClassifier._tune_binary(TunedThresholdClassifier(), objective,
                                                  [(y, score, None, None)])
    else:
        assert curve.result.score[curve.index] == pytest.approx(expected, abs=1e-12)
        assert curve.result.feasible[curve.index]


@settings(max_examples=25, deadline=None)
@given(scored_labels(min_size=12), st.sampled_from(["f1", "mcc", "balanced_accuracy"]))
def test_fold_average_equals_brute_force_mean_of_fold_metrics(data, name):
    y, score, _ = data
    # Every held-out fold holds both classes, as the estimator requires in this mode.
    y[:6] = [0, 0, 0, 1, 1, 1]
    folds = [np.arange(len(y))[i::3] for i in range(3)]
    curve = _curve(resolve_objective(name), [(y[f], score[f], None, None) for f in folds])
    brute = np.array([
        np.mean([REFERENCE[name](y[f], (score[f] >= t).astype(int), None) for f in folds])
        for t in curve.thresholds
    ])
    np.testing.assert_allclose(curve.result.score, brute, atol=1e-10)
    assert curve.result.score[curve.index] == pytest.approx(brute.max(), abs=1e-10)


def test_tie_rule_takes_the_middle_of_the_optimal_plateau():
    # Balanced accuracy is 1 for every threshold in (0.3, 0.7]: cuts at 0.4,
    # 0.5, 0.6, 0.7 tie, and the midpoint of (0.3, 0.7] is 0.5.
    y = np.array([0, 0, 1])
    score = np.array([0.1, 0.3, 0.7])
    curve = _curve(resolve_objective("balanced_accuracy"), [(y, score, None, None)])
    assert curve.threshold == pytest.approx(0.5)
    y = np.array([0, 0, 0, 0, 1, 1])
    score = np.array([0.1, 0.2, 0.3, 0.4, 0.8, 0.9])
    curve = _curve(resolve_objective("f1"), [(y, score, None, None)])
    assert curve.threshold == pytest.approx(0.6)


def test_callable_objective_and_its_shape_check():
    y = np.array([0, 0, 1, 1, 0, 1])
    score = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    net = CountMetric(lambda tp, fp, fn, tn: 5 * tp - fp, name="net")
    curve = _curve(net, [(y, score, None, None)])
    brute = [5 * np.sum((score >= t) & (y == 1)) - np.sum((score >= t) & (y == 0))
             for t in curve.thresholds]
    assert curve.result.score.tolist() == brute
    with pytest.raises(ValueError, match="one value per cut"):
        _curve(CountMetric(lambda tp, fp, fn, tn: 1.0), [(y, score, None, None)])


# ---------------------------------------------------------------- real data vs scikit-learn

@pytest.mark.parametrize("name", ["ecoli1", "pima", "yeast-0-5-6-7-9_vs_4"])
def test_exact_sweep_never_below_sklearn_grid_on_keel(name):
    X, y = load_dataset(name, return_X_y=True)
    estimator = make_pipeline(StandardScaler(), LogisticRegression())
    cv = StratifiedKFold(5)
    theirs = TunedThresholdClassifierCV(estimator, scoring="f1", cv=cv).fit(X, y)
    for aggregation in ("average", "pool"):
        ours = TunedThresholdClassifier(estimator, scoring="f1", cv=cv,
                                        fold_aggregation=aggregation,
                                        store_cv_results=True).fit(X, y)
        # Same folds, same deterministic estimator: same out-of-fold scores,
        # so evaluate F1 exactly at their threshold on our curve.
        at_theirs = ours.cv_results_["scores"][np.searchsorted(ours.cv_results_["thresholds"],
                                                               theirs.best_threshold_)]
        assert ours.best_score_ >= at_theirs - 1e-12
        assert ours.best_score_ == pytest.approx(ours.cv_results_["scores"].max())


def test_refit_predict_uses_threshold_and_prefit_score_matches_holdout():
    X, y = load_dataset("yeast1", return_X_y=True)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, stratify=y, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_fit, y_fit)
    tuned = TunedThresholdClassifier(model, scoring="f1", cv="prefit",
                                     refit=False).fit(X_val, y_val)
    assert tuned.estimator_ is model
    assert f1_score(y_val, tuned.predict(X_val)) == pytest.approx(tuned.best_score_)
    assert f1_score(y_val, tuned.predict(X_val)) >= f1_score(y_val, model.predict(X_val))
    proba = model.predict_proba(X_val)[:, 1]
    np.testing.assert_array_equal(tuned.predict(X_val),
                                  (proba >= tuned.best_threshold_).astype(int))


def test_pos_label_and_string_labels_and_decision_function():
    X, y = load_dataset("pima", return_X_y=True)
    labels = np.where(y == 1, "sick", "healthy")
    est = make_pipeline(StandardScaler(), LogisticRegression())
    a = TunedThresholdClassifier(est, scoring="f1",
                                 response_method="decision_function").fit(X, labels)
    assert set(a.predict(X)) <= {"sick", "healthy"}
    b = TunedThresholdClassifier(est, scoring="f1", pos_label="healthy").fit(X, labels)
    assert b.best_score_ == pytest.approx(
        TunedThresholdClassifier(est, scoring="f1", pos_label=1).fit(X, 1 - y).best_score_)
    # Without pos_label the positive class is the minority ("sick", 0 in 1 - y), whatever its label.
    c = TunedThresholdClassifier(est, scoring="f1").fit(X, labels)
    assert c.pos_label_ == "sick"
    assert c.best_score_ == pytest.approx(
        TunedThresholdClassifier(est, scoring="f1").fit(X, 1 - y).best_score_)
    assert c.best_score_ == pytest.approx(
        TunedThresholdClassifier(est, scoring="f1").fit(X, y).best_score_)
    with pytest.raises(ValueError, match="pos_label='ill' is not a class"):
        TunedThresholdClassifier(est, pos_label="ill").fit(X, labels)


def test_per_sample_cost_and_cost_optimal_threshold():
    X, y = load_dataset("page-blocks0", return_X_y=True)
    rng = np.random.default_rng(0)
    amount = rng.lognormal(3, 1, len(y))
    cost = make_cost_matrix(cost_fp=5.0, cost_fn=amount)
    est = make_pipeline(StandardScaler(), LogisticRegression())
    tuned = TunedThresholdClassifier(est, scoring=ExpectedCost(), store_cv_results=True)
    tuned.fit(X, y, sample_cost=cost)
    assert tuned.best_score_ == pytest.approx(tuned.cv_results_["scores"].min())
    # A constant cost matrix as sample_cost gives the same curve as the matrix itself.
    flat = make_cost_matrix(cost_fp=1.0, cost_fn=9.0)
    a = TunedThresholdClassifier(est, scoring=ExpectedCost(flat)).fit(X, y)
    b = TunedThresholdClassifier(est, scoring=ExpectedCost()).fit(
        X, y, sample_cost=np.broadcast_to(flat, (len(y), 2, 2)))
    assert a.best_threshold_ == pytest.approx(b.best_threshold_)
    assert cost_optimal_threshold(flat) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="sample_cost is used by an ExpectedCost"):
        TunedThresholdClassifier(est, scoring="f1").fit(X, y, sample_cost=cost)


def test_bootstrap_interval_is_reproducible_and_brackets_estimate():
    X, y = load_dataset("ecoli1", return_X_y=True)
    kw = dict(scoring="f1", cv=3, n_bootstraps=50, random_state=3, store_cv_results=True)
    a = TunedThresholdClassifier(**kw).fit(X, y)
    b = TunedThresholdClassifier(**kw, n_jobs=2).fit(X, y)
    assert a.threshold_interval_ == b.threshold_interval_
    lo, hi = a.score_interval_
    assert lo <= hi and len(a.cv_results_["bootstrap_scores"]) == 50
    assert a.threshold_interval_[0] <= a.threshold_interval_[1]


def test_multiclass_coordinate_step_is_exact():
    rng = np.random.default_rng(0)
    n, k = 60, 3
    y = rng.integers(0, k, n)
    S = rng.normal(size=(n, k)) + np.eye(k)[y]
    offsets = np.array([0.0, 0.3, -0.2])
    offset, value = _coordinate_step(1, S, offsets.copy(), y, np.ones(n), "balanced_accuracy", None,
                                     np.bincount(y, minlength=k).astype(float))
    others = np.max(np.delete(S + offsets, 1, axis=1), axis=1) - S[:, 1]
    grid = np.r_[np.sort(others) - 1e-9, np.sort(others) + 1e-9]
    brute = []
    for b in grid:
        o = offsets.copy()
        o[1] = b
        brute.append(balanced_accuracy_score(y, np.argmax(S + o, axis=1)))
    assert value == pytest.approx(max(brute))
    o = offsets.copy()
    o[1] = offset
    assert balanced_accuracy_score(y, np.argmax(S + o, axis=1)) == pytest.approx(value)


@pytest.mark.parametrize("objective", ["balanced_accuracy", "f1_macro",
                                       ExpectedCost(np.array([[0, 1, 1], [8, 0, 1], [1, 1, 0.0]]))])
def test_multiclass_offsets_on_holdout(objective):
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, stratify=y, random_state=0, test_size=0.5)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.01)).fit(X_fit, y_fit)
    tuned = TunedThresholdClassifier(model, scoring=objective, cv="prefit",
                                     refit=False).fit(X_val, y_val)
    pred = tuned.predict(X_val)
    if isinstance(objective, ExpectedCost):
        before = expected_cost(y_val, model.predict(X_val), objective.cost_matrix, labels=[0, 1, 2])
        after = expected_cost(y_val, pred, objective.cost_matrix, labels=[0, 1, 2])
        assert after == pytest.approx(tuned.best_score_) and after <= before
    else:
        metric = balanced_accuracy_score if objective == "balanced_accuracy" else (
            lambda a, b: f1_score(a, b, average="macro"))
        assert metric(y_val, pred) == pytest.approx(tuned.best_score_)
        assert metric(y_val, pred) >= metric(y_val, model.predict(X_val))
    with pytest.raises(ValueError, match="not available for 3 classes"):
        TunedThresholdClassifier(scoring="f1").fit(X, y)


# Resampled folds are balanced: the positive class is the greater label, as the warning says.
@pytest.mark.filterwarnings("ignore:The classes .* have the same number of rows"
                            ":imbtool.utils.ImbtoolWarning")
def test_pipeline_after_imbtool_sampler_gridsearch_pandas_pickle():
    pd = pytest.importorskip("pandas")
    from imbtool.over_sampling import SMOTE

    data = load_dataset("ecoli1", as_frame=True)
    X, y = data.data, pd.Series(data.target)
    pipe = imb_make_pipeline(SMOTE(random_state=0), TunedThresholdClassifier(scoring="f1", cv=3))
    search = GridSearchCV(pipe, {"tunedthresholdclassifier__scoring": ["f1", "mcc"]}, cv=3,
                          scoring="f1").fit(X, y)
    tuned = TunedThresholdClassifier(scoring="f2", cv=3).fit(X, y)
    assert list(tuned.feature_names_in_) == list(X.columns)
    clone = pickle.loads(pickle.dumps(tuned))
    np.testing.assert_array_equal(clone.predict(X), tuned.predict(X))
    assert search.best_score_ > 0.5


# ---------------------------------------------------------------- bad input

class _ConstantProba(ClassifierMixin, BaseEstimator):
    def __init__(self, value=0.5):
        self.value = value

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.column_stack([1 - np.full(len(X), self.value), np.full(len(X), self.value)])


def test_constant_scores_warn_and_give_defined_result():
    X, y = load_dataset("haberman", return_X_y=True)
    with pytest.warns(UserWarning, match="constant scores"):
        TunedThresholdClassifier(DummyClassifier(), scoring="f1").fit(X, y)
    with pytest.warns(UserWarning, match="constant scores"):
        tuned = TunedThresholdClassifier(_ConstantProba(0.3), scoring="f1").fit(X, y)
    # Predicting everything positive is the best F1 when nothing is separated.
    assert tuned.best_threshold_ == 0.3 and (tuned.predict(X) == 1).all()


def test_bad_input_messages():
    X, y = load_dataset("haberman", return_X_y=True)
    order = np.argsort(y, kind="stable")
    with pytest.raises(ValueError, match=r"Fold \d has 1 of the 2 classes.*StratifiedKFold"):
        TunedThresholdClassifier(cv=KFold(3)).fit(X[order], y[order])
    with pytest.raises(ValueError, match="outside \\[0, 1\\]"):
        TunedThresholdClassifier(_ConstantProba(value=1.5)).fit(X, y)
    with pytest.raises(ValueError, match="No threshold reaches precision >= 0.99.*best reachable"):
        TunedThresholdClassifier(scoring=RecallAtPrecision(0.99)).fit(X, y)
    with pytest.raises(ValueError, match="Unknown objective 'f7'"):
        TunedThresholdClassifier(scoring="f7").fit(X, y)
    with pytest.raises(ValueError, match="at least two classes"):
        TunedThresholdClassifier().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="refit=False"):
        TunedThresholdClassifier(refit=False).fit(X, y)
    with pytest.raises(ValueError, match="beta must be a positive"):
        FBeta(beta=-1)
    with pytest.raises(ValueError, match="cost matrix is 2 x 2 but there are 3"):
        expected_cost([0, 1, 2], [0, 1, 1], make_cost_matrix())


# ---------------------------------------------------------------- prior correction, calibration

def test_prior_shift_equals_undersampling_closed_form_and_classifier():
    X, y = load_dataset("yeast4", return_X_y=True)
    X_fit, X_test, y_fit, y_test = train_test_split(X, y, stratify=y, random_state=0)
    pipe = imb_make_pipeline(RandomUnderSampler(random_state=0), StandardScaler(),
                             LogisticRegression())
    clf = PriorCorrectedClassifier(pipe).fit(X_fit, y_fit)
    n_pos, n_neg = np.sum(y_fit == 1), np.sum(y_fit == 0)
    np.testing.assert_allclose(clf.training_prior_, [0.5, 0.5])
    raw = clf.estimator_.predict_proba(X_test)[:, 1]
    closed = undersampling_correction(raw, beta=n_pos / n_neg)
    np.testing.assert_allclose(clf.predict_proba(X_test)[:, 1], closed, rtol=1e-10)
    np.testing.assert_allclose(
        prior_shift(np.column_stack([1 - raw, raw]), [0.5, 0.5], [n_neg, n_pos])[:, 1], closed)
    # Corrected probabilities are better probabilities on held-out data.
    assert brier_score(y_test, closed) < brier_score(y_test, raw)
    explicit = PriorCorrectedClassifier(pipe, training_prior={0: 1, 1: 1},
                                        deployment_prior=[n_neg, n_pos]).fit(X_fit, y_fit)
    np.testing.assert_allclose(explicit.predict_proba(X_test), clf.predict_proba(X_test))
    with pytest.raises(ValueError, match="deployment_prior must give a positive number"):
        PriorCorrectedClassifier(pipe, deployment_prior=[1, 0]).fit(X_fit, y_fit)


_TEMPERATURE_IN_SKLEARN = sklearn_at_least("1.8")


@pytest.mark.parametrize("method", [
    "sigmoid", "isotonic", "beta",
    pytest.param("temperature", marks=pytest.mark.skipif(
        not _TEMPERATURE_IN_SKLEARN, reason="temperature scaling needs scikit-learn >= 1.8")),
])
def test_calibration_improves_naive_bayes_on_real_data(method):
    X, y = load_dataset("vehicle0", return_X_y=True)
    X_fit, X_test, y_fit, y_test = train_test_split(X, y, stratify=y, random_state=0)
    raw = GaussianNB().fit(X_fit, y_fit).predict_proba(X_test)[:, 1]
    calibrated = CalibratedClassifier(GaussianNB(), method=method).fit(X_fit, y_fit)
    p = calibrated.predict_proba(X_test)[:, 1]
    assert brier_score(y_test, p) < brier_score(y_test, raw)
    assert ece(y_test, p) < ece(y_test, raw)
    if method != "beta":
        reference = CalibratedClassifierCV(GaussianNB(), method=method, cv=5, ensemble=False)
        np.testing.assert_allclose(p, reference.fit(X_fit, y_fit).predict_proba(X_test)[:, 1])


@pytest.mark.skipif(_TEMPERATURE_IN_SKLEARN, reason="scikit-learn < 1.8 only")
def test_temperature_on_old_sklearn_names_the_version():
    X, y = load_dataset("vehicle0", return_X_y=True)
    with pytest.raises(ValueError, match=r"method='temperature' needs scikit-learn >= 1.8"):
        CalibratedClassifier(GaussianNB(), method="temperature").fit(X, y)


def test_beta_calibration_recovers_identity_on_calibrated_scores():
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.99, 20000)
    y = (rng.random(len(p)) < p).astype(int)
    calibrator = BetaCalibration().fit(p, y)
    np.testing.assert_allclose(calibrator.coef_, [1, 1], atol=0.1)
    assert abs(calibrator.intercept_) < 0.15


@pytest.mark.parametrize("sampler", ["smote", "smoteenn", "borderline"])
def test_prior_correction_counts_what_the_final_step_saw(sampler):
    # Over-samplers record their kept rows in sample_indices_ and their new rows in
    # synthetic_sources_: the training prior must count both (it once counted only the first).
    from imbtool.combine import SMOTEENN
    from imbtool.datasets import load_dataset
    from imbtool.over_sampling import SMOTE, BorderlineSMOTE
    from imbtool.pipeline import make_pipeline
    from imbtool.threshold import PriorCorrectedClassifier

    make = {"smote": SMOTE, "smoteenn": SMOTEENN, "borderline": BorderlineSMOTE}[sampler]
    X, y = load_dataset("ecoli1", return_X_y=True)
    clf = PriorCorrectedClassifier(make_pipeline(make(random_state=0), LogisticRegression()))
    clf.fit(X, y)
    _, y_seen = make(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(clf.training_prior_, np.bincount(y_seen) / len(y_seen), atol=1e-12)
    np.testing.assert_allclose(clf.deployment_prior_, np.bincount(y) / len(y), atol=1e-12)
    assert not np.allclose(clf.training_prior_, clf.deployment_prior_)


def test_prior_correction_takes_sample_weight():
    # The default estimator is a pipeline with a sampler: sample_weight once failed in
    # Pipeline.fit, and its advice (logisticregression__sample_weight=) in the classifier,
    # with weights for the rows before under-sampling.
    from imbtool.threshold import PriorCorrectedClassifier

    X, y = load_dataset("ecoli1", return_X_y=True)
    plain = PriorCorrectedClassifier().fit(X, y)
    ones = PriorCorrectedClassifier().fit(X, y, sample_weight=np.ones(len(y)))
    advised = PriorCorrectedClassifier().fit(
        X, y, logisticregression__sample_weight=np.ones(len(y)))
    for clf in (ones, advised):
        np.testing.assert_array_equal(clf.predict_proba(X), plain.predict_proba(X))
        np.testing.assert_array_equal(clf.training_prior_, plain.training_prior_)
    # Weights follow the under-sampler's rows; both priors are total weights per class.
    weight = np.where(y == 1, 3.0, 1.0)
    clf = PriorCorrectedClassifier().fit(X, y, sample_weight=weight)
    kept = clf.estimator_.steps[0][1].sample_indices_
    seen = np.bincount(y[kept], weights=weight[kept])
    np.testing.assert_allclose(clf.training_prior_, seen / seen.sum(), rtol=1e-12)
    total = np.bincount(y, weights=weight)
    np.testing.assert_allclose(clf.deployment_prior_, total / total.sum(), rtol=1e-12)
    # The classifier was fitted with the kept rows' weights.
    direct = LogisticRegression().fit(X[kept], y[kept], sample_weight=weight[kept])
    np.testing.assert_allclose(clf.estimator_[-1].coef_, direct.coef_, rtol=1e-10)


def test_prior_correction_weight_equals_repeated_rows_for_a_deterministic_estimator():
    from imbtool.threshold import PriorCorrectedClassifier

    X, y = load_dataset("ecoli1", return_X_y=True)
    repeat = np.where(np.arange(len(y)) % 3 == 0, 2, 1)
    weighted = PriorCorrectedClassifier(LogisticRegression(max_iter=1000)).fit(
        X, y, sample_weight=repeat.astype(float))
    repeated = PriorCorrectedClassifier(LogisticRegression(max_iter=1000)).fit(
        np.repeat(X, repeat, axis=0), np.repeat(y, repeat))
    np.testing.assert_allclose(weighted.deployment_prior_, repeated.deployment_prior_,
                               rtol=1e-12)
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-5)


def test_prior_correction_refuses_weights_it_cannot_carry():
    from imbtool.threshold import PriorCorrectedClassifier

    X, y = load_dataset("ecoli1", return_X_y=True)
    weight = np.ones(len(y))
    # imbalanced-learn's Pipeline does not resample the weights with its samplers.
    pipe = imb_make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    with pytest.raises(ValueError, match=r"sample_weight .*imbtool\.pipeline\.Pipeline"):
        PriorCorrectedClassifier(pipe).fit(X, y, sample_weight=weight)
    with pytest.raises(ValueError, match="sample_weight or logisticregression__sample_weight"):
        PriorCorrectedClassifier().fit(X, y, sample_weight=weight,
                                       logisticregression__sample_weight=weight)
    with pytest.raises(ValueError, match="sample_weight"):
        PriorCorrectedClassifier().fit(X, y, sample_weight=-weight)
    with pytest.raises(ValueError, match="sample_weight"):
        PriorCorrectedClassifier().fit(X, y, sample_weight=weight[:-1])


# ---------------------------------------------------------------- contract and deprecations

def test_objective_is_the_deprecated_name_of_scoring():
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = load_dataset("ecoli1", return_X_y=True)
    new = TunedThresholdClassifier(scoring="f1", cv=3).fit(X, y)
    with pytest.warns(FutureWarning, match="objective parameter .* deprecated.*use scoring"):
        old = TunedThresholdClassifier(objective="f1", cv=3).fit(X, y)
    assert old.best_threshold_ == new.best_threshold_ and old.best_score_ == new.best_score_
    assert repr(new.scorer_) == repr(old.scorer_)
    with pytest.raises(InvalidParameterError, match="Both scoring and objective"):
        TunedThresholdClassifier(scoring="f1", objective="f1").fit(X, y)
    # None is scikit-learn's default, balanced accuracy.
    default = TunedThresholdClassifier(cv=3).fit(X, y)
    explicit = TunedThresholdClassifier(scoring="balanced_accuracy", cv=3).fit(X, y)
    assert default.best_threshold_ == explicit.best_threshold_


def test_bayes_threshold_is_a_deprecated_alias():
    flat = make_cost_matrix(cost_fp=1.0, cost_fn=9.0)
    with pytest.warns(FutureWarning, match="use imbtool.cost.cost_optimal_threshold"):
        assert bayes_threshold(flat) == cost_optimal_threshold(flat)


@pytest.mark.parametrize("cls, params", [
    (TunedThresholdClassifier, {"estimator": "LogisticRegression"}),
    (TunedThresholdClassifier, {"estimator": [LogisticRegression()]}),
    (TunedThresholdClassifier, {"n_jobs": float("inf")}),
    (TunedThresholdClassifier, {"response_method": "predict"}),
    (TunedThresholdClassifier, {"cv": 1.5}),
    (TunedThresholdClassifier, {"cv": "loo"}),
    (TunedThresholdClassifier, {"refit": "yes"}),
    (TunedThresholdClassifier, {"fold_aggregation": "median"}),
    (TunedThresholdClassifier, {"n_bootstraps": -1}),
    (TunedThresholdClassifier, {"confidence": 1.0}),
    (TunedThresholdClassifier, {"max_iter": 0}),
    (TunedThresholdClassifier, {"scoring": 3}),
    (PriorCorrectedClassifier, {"estimator": "LogisticRegression"}),
    (PriorCorrectedClassifier, {"estimator": [LogisticRegression()]}),
    (PriorCorrectedClassifier, {"training_prior": "balanced"}),
    (PriorCorrectedClassifier, {"deployment_prior": "auto"}),
    (CalibratedClassifier, {"estimator": "LogisticRegression"}),
    (CalibratedClassifier, {"estimator": [LogisticRegression()]}),
    (CalibratedClassifier, {"n_jobs": float("inf")}),
    (CalibratedClassifier, {"method": "platt"}),
    (CalibratedClassifier, {"cv": "five"}),
])
def test_parameter_errors_name_the_parameter_before_any_work(cls, params):
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = load_dataset("ecoli1", return_X_y=True)
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        # y=None would fail at the first use of the data: the parameters are checked before.
        cls(**params).fit(X, None)


@pytest.mark.parametrize("cls", [TunedThresholdClassifier, PriorCorrectedClassifier,
                                 CalibratedClassifier])
def test_keyword_only_after_the_estimator(cls):
    with pytest.raises(TypeError, match="positional"):
        cls(LogisticRegression(), "f1")
