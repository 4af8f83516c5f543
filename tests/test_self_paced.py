"""SelfPacedEnsembleClassifier: the ``replacement`` draw and the scikit-learn tree fast path.

The fast path (float32 once, ``check_input=False``) must give exactly the
members and probabilities of the plain path; a subclass of
DecisionTreeClassifier takes the plain path, so the two are compared member by
member on real KEEL data.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier

from imbtool.datasets import load_dataset
from imbtool.ensemble import (
    BalanceCascadeClassifier,
    SelfPacedEnsembleClassifier,
    UnderBaggingClassifier,
)
from imbtool.ensemble._self_paced import bin_quotas, self_paced_draw


class PlainTree(DecisionTreeClassifier):
    """Same tree; being a subclass, it takes the ensemble's plain (checked) path."""


class PlainExtraTree(ExtraTreeClassifier):
    """Same tree; being a subclass, it takes the ensemble's plain (checked) path."""


@pytest.fixture(scope="module")
def ecoli():
    data = load_dataset("ecoli1")
    return data.data, data.target


@pytest.fixture
def fit_calls(monkeypatch):
    """Record the check_input each tree fit gets (subclasses included)."""
    calls = []
    fit = DecisionTreeClassifier.fit

    def recording_fit(self, X, y, sample_weight=None, check_input=True):
        calls.append(check_input)
        return fit(self, X, y, sample_weight=sample_weight, check_input=check_input)

    monkeypatch.setattr(DecisionTreeClassifier, "fit", recording_fit)
    return calls


def assert_same_members(fast, plain, X):
    assert len(fast.estimators_) == len(plain.estimators_)
    for a, b in zip(fast.estimators_, plain.estimators_):
        assert a.get_params() == b.get_params()
        np.testing.assert_array_equal(a.tree_.feature, b.tree_.feature)
        np.testing.assert_array_equal(a.tree_.threshold, b.tree_.threshold)
        np.testing.assert_array_equal(a.tree_.value, b.tree_.value)
    np.testing.assert_array_equal(fast.predict_proba(X), plain.predict_proba(X))
    assert [e["n_samples"] for e in fast.training_log_] == \
        [e["n_samples"] for e in plain.training_log_]


# -------------------------------------------------------------- the draw
@settings(max_examples=25, deadline=None)
@given(
    hardness=st.lists(st.floats(0, 1, allow_nan=False), min_size=30, max_size=200),
    n_target=st.integers(5, 30),
    round_=st.integers(1, 49),
    k_bins=st.integers(1, 8),
    seed=st.integers(0, 2**31 - 1),
)
def test_draw_with_replacement_fills_every_quota(hardness, n_target, round_, k_bins, seed):
    h = np.asarray(hardness)
    alpha = np.tan(round_ * np.pi / (2 * 50))
    picked = self_paced_draw(h, n_target, alpha, k_bins, False, True, np.random.RandomState(seed))
    assert picked.size == n_target and picked.min() >= 0 and picked.max() < h.size
    if h.max() == h.min():
        return
    # Independent recomputation of the bins (numpy's equal-width histogram).
    counts, edges = np.histogram(h, bins=k_bins)
    which = np.clip(np.searchsorted(edges, h, side="right") - 1, 0, k_bins - 1)
    means = np.array([h[which == b].mean() if counts[b] else np.nan for b in range(k_bins)])
    weight = np.where(counts > 0, 1 / (np.nan_to_num(means) + alpha), 0)
    quota = bin_quotas(weight / weight.sum(), n_target)
    # Every bin gives its full quota, also a bin holding fewer samples.
    np.testing.assert_array_equal(np.bincount(which[picked], minlength=k_bins), quota)


def test_draw_with_replacement_is_uniform_within_a_bin():
    rng = np.random.RandomState(0)
    h = np.concatenate([np.zeros(3), np.ones(200)])
    picks = np.concatenate([self_paced_draw(h, 40, 1e-9, 2, False, True, rng)
                            for _ in range(300)])
    # The easy bin (3 samples) takes almost all 40 per draw, each of its 3 samples a third.
    easy = np.bincount(picks[picks < 3], minlength=3) / np.sum(picks < 3)
    np.testing.assert_allclose(easy, 1 / 3, atol=0.02)


def test_soft_draw_with_replacement_follows_bin_shares():
    rng = np.random.RandomState(0)
    h = np.concatenate([np.full(500, 0.05), np.full(500, 0.95)])
    picks = [self_paced_draw(h, 100, 0.1, 5, True, True, rng) for _ in range(50)]
    easy_share = np.mean([np.mean(p < 500) for p in picks])
    assert abs(easy_share - (1 / 0.15) / (1 / 0.15 + 1 / 1.05)) < 0.03
    assert all(p.size == 100 for p in picks)


# ------------------------------------------------------- the ensemble's rows
class RowRecorder(DecisionTreeClassifier):
    """Records the labels of the rows it is fitted on."""

    def fit(self, X, y, sample_weight=None, check_input=True):
        self.y_fit_ = np.asarray(y)
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_replacement_gives_every_member_n_min_rows_per_class(n_classes):
    X, y = make_classification(n_samples=600, n_classes=n_classes, n_informative=4,
                               weights=[0.75, 0.15, 0.1][:n_classes - 1], random_state=0)
    n_min = np.bincount(y).min()
    spe = SelfPacedEnsembleClassifier(RowRecorder(), n_estimators=8, replacement=True,
                                      random_state=0).fit(X, y)
    for member in spe.estimators_:
        np.testing.assert_array_equal(np.bincount(member.y_fit_, minlength=n_classes),
                                      np.full(n_classes, n_min))
    plain = SelfPacedEnsembleClassifier(RowRecorder(), n_estimators=8,
                                        random_state=0).fit(X, y)
    smallest = np.argmin(np.bincount(y))
    assert all(np.sum(m.y_fit_ == smallest) == n_min for m in plain.estimators_)
    assert all(len(m.y_fit_) <= n_classes * n_min for m in plain.estimators_)


def test_replacement_bootstraps_the_minority_with_its_weights():
    X, y = make_classification(n_samples=400, weights=[0.85], random_state=2)
    weight = np.arange(len(y), dtype=float) + 1
    row_of = {row.tobytes(): i for i, row in enumerate(X.astype(np.float32))}

    class Recorder(RowRecorder):
        def fit(self, X, y, sample_weight=None, check_input=True):
            self.rows_ = np.array([row_of[r.tobytes()] for r in np.asarray(X, np.float32)])
            self.weight_ = sample_weight
            return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)

    spe = SelfPacedEnsembleClassifier(Recorder(), n_estimators=6, replacement=True,
                                      random_state=0).fit(X, y, sample_weight=weight)
    n_min = np.bincount(y).min()
    for member in spe.estimators_:
        minority = member.rows_[y[member.rows_] == 1]
        assert len(minority) == n_min and len(np.unique(minority)) < n_min  # a bootstrap
        np.testing.assert_array_equal(member.weight_, weight[member.rows_])
    with pytest.raises(ValueError, match="replacement"):
        SelfPacedEnsembleClassifier(replacement="yes").fit(X, y)


# ------------------------------------------------------------- fast path
@pytest.mark.parametrize("replacement", [False, True])
def test_tree_fast_path_gives_the_plain_members(ecoli, fit_calls, replacement):
    X, y = ecoli
    params = dict(n_estimators=12, replacement=replacement, random_state=3)
    fast = SelfPacedEnsembleClassifier(DecisionTreeClassifier(max_features=0.6), **params)
    fast.fit(X, y)
    assert fit_calls == [False] * 12
    fit_calls.clear()
    plain = SelfPacedEnsembleClassifier(PlainTree(max_features=0.6), **params).fit(X, y)
    assert fit_calls == [True] * 12
    assert_same_members(fast, plain, X)


def test_tree_fast_path_with_weights_float32_multiclass_and_extra_trees(ecoli):
    X, y = ecoli
    y3 = y + (X[:, 0] > np.median(X[:, 0])) * (y == 0) * 2  # three classes
    weight = np.random.RandomState(0).uniform(0.5, 2, len(y))
    for fast_tree, plain_tree, X_in, target in [
        (DecisionTreeClassifier(), PlainTree(), X.astype(np.float32), y),
        (DecisionTreeClassifier(), PlainTree(), X, y3),
        (ExtraTreeClassifier(), PlainExtraTree(), X, y),
    ]:
        fast = SelfPacedEnsembleClassifier(fast_tree, n_estimators=6, random_state=1)
        plain = SelfPacedEnsembleClassifier(plain_tree, n_estimators=6, random_state=1)
        fast.fit(X_in, target, sample_weight=weight)
        plain.fit(X_in, target, sample_weight=weight)
        assert_same_members(fast, plain, X_in)


def test_nan_and_sparse_take_the_plain_path(ecoli, fit_calls):
    X, y = ecoli
    X_nan = X.copy()
    X_nan[::9, 1] = np.nan
    spe = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0).fit(X_nan, y)
    assert fit_calls == [True] * 4  # a tree learns its NaN splits only on checked input
    assert np.isfinite(spe.predict_proba(X_nan)).all()
    fit_calls.clear()
    dense = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0).fit(X, y)
    csr = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0).fit(
        sparse.csr_matrix(X), y)
    assert fit_calls == [False] * 4 + [True] * 4
    np.testing.assert_array_equal(csr.predict_proba(sparse.csr_matrix(X)),
                                  dense.predict_proba(X))


def test_predict_fast_path_matches_for_other_ensembles(ecoli):
    X, y = ecoli
    fast = UnderBaggingClassifier(DecisionTreeClassifier(), n_estimators=5, random_state=0)
    plain = UnderBaggingClassifier(PlainTree(), n_estimators=5, random_state=0)
    np.testing.assert_array_equal(fast.fit(X, y).predict_proba(X),
                                  plain.fit(X, y).predict_proba(X))


def test_balance_cascade_tree_fast_path_gives_the_plain_members(ecoli, fit_calls):
    X, y = ecoli
    weight = np.random.RandomState(0).uniform(0.5, 2, len(y))
    fast = BalanceCascadeClassifier(DecisionTreeClassifier(max_features=0.6), n_estimators=8,
                                    random_state=2).fit(X, y, sample_weight=weight)
    assert fit_calls == [False] * 8
    fit_calls.clear()
    plain = BalanceCascadeClassifier(PlainTree(max_features=0.6), n_estimators=8,
                                     random_state=2).fit(X, y, sample_weight=weight)
    assert fit_calls == [True] * 8
    assert_same_members(fast, plain, X)
    assert [e["pool_size"] for e in fast.training_log_] == [
        e["pool_size"] for e in plain.training_log_]
