"""imbtool.evaluation: Demšar's worked example, scipy, and resampling kept out of validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn import FunctionSampler
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_allclose
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from imbtool.evaluation import (
    average_ranks,
    bootstrap_ci,
    critical_difference_data,
    cross_validate_imbalanced,
    friedman_test,
    holm_test,
    nemenyi_test,
    wilcoxon_test,
)
from imbtool.metrics import g_mean

# Demšar (JMLR 2006), Table 6: AUC of C4.5, C4.5+m, C4.5+cf, C4.5+m+cf on 14
# UCI sets. The table prints three decimals; the paper's ranks come from the
# unrounded values, where C4.5+cf beats C4.5+m+cf on "voting" (0.97501 below).
DEMSAR = np.array([
    [0.763, 0.768, 0.771, 0.798], [0.599, 0.591, 0.590, 0.569],
    [0.954, 0.971, 0.968, 0.967], [0.628, 0.661, 0.654, 0.657],
    [0.882, 0.888, 0.886, 0.898], [0.936, 0.931, 0.916, 0.931],
    [0.661, 0.668, 0.609, 0.685], [0.583, 0.583, 0.563, 0.625],
    [0.775, 0.838, 0.866, 0.875], [1.000, 1.000, 1.000, 1.000],
    [0.940, 0.962, 0.965, 0.962], [0.619, 0.666, 0.614, 0.669],
    [0.972, 0.981, 0.97501, 0.975], [0.957, 0.978, 0.946, 0.970],
])
NAMES = ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"]

score_tables = st.tuples(st.integers(0, 2**31 - 1), st.integers(2, 12), st.integers(2, 7))
# scipy's Friedman test wants at least three methods.
score_tables_k3 = st.tuples(st.integers(0, 2**31 - 1), st.integers(2, 12), st.integers(3, 7))


def _table(seed, n, k):
    # Rounded so that ties occur.
    return np.round(np.random.default_rng(seed).random((n, k)), 1)


# ---------------------------------------------------------------- statistics


def test_demsar_worked_example():
    ranks = average_ranks(DEMSAR, names=NAMES)
    assert_allclose(ranks.average_ranks, [3.143, 2.000, 2.893, 1.964], atol=5e-4)
    friedman = friedman_test(DEMSAR)
    assert friedman.statistic == pytest.approx(9.28, abs=5e-3)
    assert friedman.iman_davenport_statistic == pytest.approx(3.69, abs=5e-3)
    assert friedman.iman_davenport_df == (3, 39)
    # "F(3, 39) = 2.85 at alpha = 0.05", so the null is rejected.
    assert stats.f.ppf(0.95, 3, 39) == pytest.approx(2.85, abs=5e-3)
    assert friedman.iman_davenport_pvalue < 0.05
    nemenyi = nemenyi_test(DEMSAR, names=NAMES)
    assert nemenyi.critical_difference == pytest.approx(1.25, abs=5e-3)
    assert nemenyi_test(DEMSAR, alpha=0.10).critical_difference == pytest.approx(1.12, abs=5e-3)
    # "None of the post-hoc pairs is significant at 0.05" except none: the
    # largest gap, 3.143 - 1.964 = 1.18, is below 1.25.
    assert not nemenyi.significant.any()


def test_demsar_holm_against_control():
    # Section 3.2.2: C4.5 as control; C4.5+m+cf and C4.5+m differ, C4.5+cf does not.
    holm = holm_test(DEMSAR, control="C4.5", names=NAMES)
    assert holm.names == ["C4.5+m", "C4.5+cf", "C4.5+m+cf"]
    assert_allclose(holm.z, [2.342, 0.512, 2.416], atol=2e-3)
    assert holm.reject.tolist() == [True, False, True]
    assert_allclose(holm.pvalues, 2 * stats.norm.sf(np.abs(holm.z)))


def test_demsar_wilcoxon():
    # Section 3.1.3: C4.5 vs C4.5+m, R+ = 93, R- = 12 with zero differences split.
    result = wilcoxon_test(DEMSAR[:, 1], DEMSAR[:, 0])
    assert result.statistic == 12.0
    assert result.pvalue < 0.05
    assert (result.wins, result.ties, result.losses) == (10, 2, 2)


@pytest.mark.parametrize(
    "k, q", [(2, 1.960), (3, 2.343), (4, 2.569), (5, 2.728), (6, 2.850), (8, 3.031), (10, 3.164)]
)
def test_nemenyi_q_matches_demsar_table5(k, q):
    table = np.tile(np.arange(k, dtype=float), (5, 1))
    assert nemenyi_test(table).q_alpha == pytest.approx(q, abs=1.5e-3)


@settings(max_examples=25, deadline=None)
@given(score_tables_k3)
def test_friedman_with_tie_correction_equals_scipy(case):
    table = _table(*case)
    result = friedman_test(table, tie_correction=True)
    ranks = stats.rankdata(-table, axis=1)
    if np.all(ranks == ranks[:, :1]):
        return  # scipy divides by zero on a table tied everywhere
    expected = stats.friedmanchisquare(*table.T)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-9, abs=1e-9)
    assert result.pvalue == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(score_tables)
def test_rank_properties(case):
    table = _table(*case)
    n, k = table.shape
    ranks = average_ranks(table).average_ranks
    assert ranks.sum() == pytest.approx(k * (k + 1) / 2)
    # Lower-is-better reverses the ranks exactly.
    assert_allclose(average_ranks(table, greater_is_better=False).average_ranks, k + 1 - ranks)
    # Adding a constant per data set changes nothing.
    shifted = table + np.arange(n)[:, None]
    assert_allclose(average_ranks(shifted).average_ranks, ranks)
    friedman = friedman_test(table)
    assert 0 <= friedman.pvalue <= 1 and friedman.statistic >= 0
    nemenyi = nemenyi_test(table)
    assert np.all((nemenyi.pvalues >= 0) & (nemenyi.pvalues <= 1 + 1e-12))
    # A pair is significant exactly when its Nemenyi p-value is below alpha.
    off = ~np.eye(k, dtype=bool)
    agree = nemenyi.significant[off] == (nemenyi.pvalues[off] <= 0.05 + 1e-9)
    assert agree.all()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_adjustment_equals_reference(pvalues):
    table = np.tile(np.arange(3.0), (4, 1))  # any valid table: only the adjustment is tested
    from imbtool.evaluation._stats import _holm_adjust

    p = np.asarray(pvalues)
    adjusted = _holm_adjust(p)
    order = np.argsort(p, kind="stable")
    m = len(p)
    reference = np.empty(m)
    running = 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[j]))
        reference[j] = running
    assert_allclose(adjusted, reference)
    assert np.all(adjusted >= p - 1e-15)
    assert holm_test(table, control=0).names == ["1", "2"]


def test_wilcoxon_equals_scipy_on_real_cv_scores():
    X, y = load_breast_cancer(return_X_y=True)
    a = [row["roc_auc"] for row in cross_validate_imbalanced(
        DecisionTreeClassifier(random_state=0), X, y, metrics=["roc_auc"], cv=5, n_repeats=2,
        random_state=0)]
    b = [row["roc_auc"] for row in cross_validate_imbalanced(
        make_pipeline(StandardScaler(), LogisticRegression()), X, y, metrics=["roc_auc"],
        cv=5, n_repeats=2, random_state=0)]
    result = wilcoxon_test(a, b)
    expected = stats.wilcoxon(a, b, zero_method="zsplit")
    assert result.pvalue == pytest.approx(expected.pvalue)
    assert result.losses == 10  # the tree never beats the linear model's ranking here


def test_critical_difference_cliques():
    data = critical_difference_data(DEMSAR, names=NAMES)
    assert data.names == ["C4.5+m+cf", "C4.5+m", "C4.5+cf", "C4.5"]
    assert data.cliques == [tuple(data.names)]
    # A clique is a maximal run whose ends are closer than CD.
    rng = np.random.default_rng(3)
    table = rng.random((30, 6)) + np.linspace(0, 1, 6)
    data = critical_difference_data(table)
    r, cd = data.average_ranks, data.critical_difference
    for clique in data.cliques:
        idx = [data.names.index(n) for n in clique]
        assert r[idx[-1]] - r[idx[0]] < cd
        if idx[-1] + 1 < len(r):
            assert r[idx[-1] + 1] - r[idx[0]] >= cd
    members = {n for c in data.cliques for n in c}
    # A method outside every clique differs from all others.
    for name in set(data.names) - members:
        j = data.names.index(name)
        assert np.all(np.abs(np.delete(r, j) - r[j]) >= cd)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: friedman_test([[1, 2, 3]]), "at least 2 x 2"),
        (lambda: friedman_test([[1, np.nan], [1, 2]]),
         "missing or infinite values in rows \\[0\\]"),
        (lambda: nemenyi_test(DEMSAR, alpha=1.5), "alpha must be in"),
        (lambda: holm_test(DEMSAR, control="J48", names=NAMES), "valid names are"),
        (lambda: holm_test(DEMSAR, control=7), "out of range"),
        (lambda: average_ranks(DEMSAR, names=["a"]), "names has 1 entries"),
        (lambda: wilcoxon_test([1, 2, 3], [1, 2]), "paired by data set"),
    ],
)
def test_statistics_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_statistics_accept_dataframe():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(DEMSAR, columns=NAMES)
    assert friedman_test(frame).names == NAMES
    assert holm_test(frame, control="C4.5").control == "C4.5"


# ----------------------------------------------------------------- bootstrap


def test_bootstrap_percentile_and_bca_match_scipy():
    # Unstratified, on the mean: the same estimator scipy.stats.bootstrap computes.
    rng = np.random.default_rng(0)
    y = (rng.random(150) < 0.3).astype(int)
    values = rng.exponential(size=150)

    def mean_of_second(_, s):
        return float(np.mean(s))

    for method, scipy_method in (("percentile", "percentile"), ("bca", "BCa")):
        ours = bootstrap_ci(mean_of_second, y, values, n_bootstraps=4000, method=method,
                            stratify=False, random_state=0)
        theirs = stats.bootstrap((values,), np.mean, n_resamples=4000, method=scipy_method,
                                 random_state=1).confidence_interval
        width = theirs.high - theirs.low
        assert ours.low == pytest.approx(theirs.low, abs=0.06 * width)
        assert ours.high == pytest.approx(theirs.high, abs=0.06 * width)
    # BCa shifts a skewed statistic's interval to the right of the percentile one.
    percentile = bootstrap_ci(mean_of_second, y, values, n_bootstraps=2000, stratify=False,
                              random_state=0)
    bca = bootstrap_ci(mean_of_second, y, values, n_bootstraps=2000, method="bca",
                       stratify=False, random_state=0)
    assert bca.high > percentile.high


def test_bootstrap_stratified_keeps_class_counts_and_is_seeded():
    X, y = load_breast_cancer(return_X_y=True)
    score = X[:, 0]
    seen = []

    def spy(y_true, s):
        seen.append(int(np.sum(y_true)))
        return roc_auc_score(y_true, s)

    ci = bootstrap_ci(spy, y, score, n_bootstraps=50, random_state=0)
    assert set(seen) == {int(y.sum())}
    assert ci.estimate == pytest.approx(roc_auc_score(y, score))
    assert ci.low <= ci.estimate <= ci.high
    again = bootstrap_ci("roc_auc", y, score, n_bootstraps=50, random_state=0)
    assert_allclose(again.distribution, ci.distribution)


def test_bootstrap_unstratified_drops_undefined_replicates_with_warning():
    y = np.r_[np.zeros(60), np.ones(1)]
    score = np.linspace(0, 1, 61)
    with pytest.warns(UserWarning, match="undefined on"):
        ci = bootstrap_ci("roc_auc", y, score, n_bootstraps=40, stratify=False, random_state=0)
    assert ci.n_bootstraps < 40


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"metric": "nope"}, ValueError, "valid names are"),
        ({"metric": 3}, TypeError, "metric must be"),
        ({"n_bootstraps": 1}, ValueError, "n_bootstraps"),
        ({"confidence": 1.0}, ValueError, "confidence"),
        ({"method": "basic"}, ValueError, "method must be one of"),
        ({"y_score": [0.1, 0.2]}, ValueError, "same number of samples"),
    ],
)
def test_bootstrap_bad_input(kwargs, error, match):
    args = {"metric": "roc_auc", "y_true": [0, 1, 0, 1], "y_score": [0.1, 0.9, 0.3, 0.6]}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        bootstrap_ci(args.pop("metric"), args.pop("y_true"), args.pop("y_score"), **args)


# ------------------------------------------------------------------------ CV


class _RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that records every matrix it is asked to predict on."""

    def fit(self, X, y):
        self.model_ = LogisticRegression(max_iter=2000).fit(X, y)
        self.classes_ = self.model_.classes_
        self.seen_ = []
        return self

    def predict(self, X):
        self.seen_.append(np.asarray(X).copy())
        return self.model_.predict(X)

    def decision_function(self, X):
        self.seen_.append(np.asarray(X).copy())
        return self.model_.decision_function(X)


def _mark_synthetic(X, y):
    # Adds minority copies whose first feature is a value no real row has.
    minority = X[y == 1]
    fake = minority.copy()
    fake[:, 0] = -1e6
    return np.vstack([X, fake]), np.r_[y, np.ones(len(fake), dtype=y.dtype)]


def test_cv_never_scores_synthetic_rows_and_equals_manual_loop():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X[:, :8])
    y = 1 - y  # malignant (the smaller class) as 1
    sampler = FunctionSampler(func=_mark_synthetic, validate=False)
    rows = cross_validate_imbalanced(
        _RecordingClassifier(), X, y, sampler=sampler, metrics=["roc_auc", "g_mean"],
        cv=3, n_repeats=2, random_state=0, return_estimator=True)
    assert [(r["repeat"], r["fold"]) for r in rows] == [(i, j) for i in range(2) for j in range(3)]
    splits = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0).split(X, y))
    for row, (train, test) in zip(rows, splits):
        clf = row["estimator"][-1]
        assert all(seen.shape[0] == len(test) and (seen[:, 0] > -1e6).all() for seen in clf.seen_)
        assert row["n_train"] == len(train) and row["n_test"] == len(test)
        manual = make_pipeline(clone(sampler),
                               LogisticRegression(max_iter=2000)).fit(X[train], y[train])
        assert row["roc_auc"] == pytest.approx(
            roc_auc_score(y[test], manual.decision_function(X[test])))
        assert row["g_mean"] == pytest.approx(g_mean(y[test], manual.predict(X[test])))


def test_cv_lower_is_better_metric_reported_unnegated_and_n_jobs_invariant():
    X, y = load_breast_cancer(return_X_y=True)
    X = X[:, :8]
    model = make_pipeline(StandardScaler(), LogisticRegression())
    one = cross_validate_imbalanced(model, X, y, sampler=SMOTE(random_state=0),
                                    metrics=["brier", "f1"], cv=3, random_state=1)
    two = cross_validate_imbalanced(model, X, y, sampler=SMOTE(random_state=0),
                                    metrics=["brier", "f1"], cv=3, random_state=1, n_jobs=2)
    assert all(0 < r["brier"] < 0.25 for r in one)
    assert [r["brier"] for r in one] == [r["brier"] for r in two]
    assert [r["f1"] for r in one] == [r["f1"] for r in two]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"sampler": StandardScaler()}, TypeError, "fit_resample"),
        ({"metrics": []}, ValueError, "metrics is empty"),
        ({"metrics": ["nope"]}, ValueError, "Unknown scoring"),
        ({"cv": 1}, ValueError, "at least 2 folds"),
        ({"n_repeats": 0}, ValueError, "n_repeats"),
    ],
)
def test_cv_bad_input(kwargs, error, match):
    X, y = load_breast_cancer(return_X_y=True)
    with pytest.raises(error, match=match):
        cross_validate_imbalanced(LogisticRegression(), X[:60], y[:60], **kwargs)


@pytest.mark.parametrize("method, low, high", [
    ("percentile", 0.6271597222222223, 0.8286458333333333),
    ("bca", 0.6072804694846295, 0.8055462525460809),
])
def test_bootstrap_ci_keeps_its_recorded_values(method, low, high):
    # Recorded outputs: scipy.stats.bootstrap draws its own replicates (and has
    # no stratified resampling), so it is not used; any change here is a change
    # of results.
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(180), np.ones(20)]
    score = y + rng.normal(scale=1.0, size=200)
    ci = bootstrap_ci("roc_auc", y, score, n_bootstraps=200, method=method, random_state=0)
    assert ci.estimate == pytest.approx(0.7322222222222222, abs=1e-15)
    assert (ci.low, ci.high) == pytest.approx((low, high), abs=1e-15)
