"""imbtool.ensemble: SPE against the paper's rules, the CLIMB set against its peers.

Real-data comparisons use KEEL sets from imbtool.datasets; every number that is
checked is recomputed here independently (np.histogram bins, the paper's
formulas, scikit-learn's AdaBoost, imbalanced-learn's ensembles).
"""

import inspect
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joblib import parallel_backend
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from imbtool.datasets import load_dataset
from imbtool.ensemble import (
    AdaCostClassifier,
    AdaUBoostClassifier,
    AsymBoostClassifier,
    BalanceCascadeClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    KMeansSMOTEBoostClassifier,
    OverBaggingClassifier,
    OverBoostClassifier,
    RUSBoostClassifier,
    SelfPacedEnsembleClassifier,
    SMOTEBaggingClassifier,
    SMOTEBoostClassifier,
    UnderBaggingClassifier,
)
from imbtool.ensemble._self_paced import bin_quotas, self_paced_draw
from imbtool.utils._compat import DASK_INSTALLED, PANDAS_INSTALLED

ALL = [
    AdaCostClassifier, AdaUBoostClassifier, AsymBoostClassifier, BalanceCascadeClassifier,
    BalancedRandomForestClassifier, EasyEnsembleClassifier, KMeansSMOTEBoostClassifier,
    OverBaggingClassifier, OverBoostClassifier, RUSBoostClassifier, SelfPacedEnsembleClassifier,
    SMOTEBaggingClassifier, SMOTEBoostClassifier, UnderBaggingClassifier,
]
PARALLEL = [UnderBaggingClassifier, OverBaggingClassifier, SMOTEBaggingClassifier,
            EasyEnsembleClassifier, BalancedRandomForestClassifier]


@pytest.fixture(scope="module")
def yeast():
    data = load_dataset("yeast4")
    return data.data, data.target


@pytest.fixture(scope="module")
def toy():
    return make_classification(n_samples=400, n_features=6, weights=[0.88], flip_y=0.03,
                               random_state=1)


def _small(cls, **params):
    return cls(n_estimators=5, random_state=0, **params)


# ---------------------------------------------------------------- SPE rules
@settings(max_examples=25, deadline=None)
@given(
    hardness=st.lists(st.floats(0, 1, allow_nan=False), min_size=30, max_size=200),
    n_target=st.integers(5, 30),
    round_=st.integers(1, 49),
    k_bins=st.integers(1, 8),
    seed=st.integers(0, 2**31 - 1),
)
def test_self_paced_draw_follows_the_paper(hardness, n_target, round_, k_bins, seed):
    h = np.asarray(hardness)
    alpha = np.tan(round_ * np.pi / (2 * 50))
    picked = self_paced_draw(h, n_target, alpha, k_bins, False, False,
                             np.random.RandomState(seed))
    assert np.unique(picked).size == picked.size
    if h.max() == h.min():
        assert picked.size == n_target
        return
    # Independent recomputation: numpy's equal-width histogram over [min, max].
    counts, edges = np.histogram(h, bins=k_bins)
    which = np.clip(np.searchsorted(edges, h, side="right") - 1, 0, k_bins - 1)
    means = np.array([h[which == b].mean() if counts[b] else np.nan for b in range(k_bins)])
    weight = np.where(counts > 0, 1 / (np.nan_to_num(means) + alpha), 0)
    share = weight / weight.sum()
    quota = bin_quotas(share, n_target)
    assert quota.sum() == n_target and np.all(np.abs(quota - share * n_target) < 1)
    got = np.bincount(which[picked], minlength=k_bins)
    np.testing.assert_array_equal(got, np.minimum(quota, counts))


def test_soft_resample_favours_bins_by_weight():
    rng = np.random.RandomState(0)
    h = np.concatenate([np.full(500, 0.05), np.full(500, 0.95)])
    picks = [self_paced_draw(h, 100, 0.1, 5, True, False, rng) for _ in range(50)]
    easy_share = np.mean([np.mean(p < 500) for p in picks])
    # bin weights 1/(0.05+0.1) and 1/(0.95+0.1): the easy bin's share is 0.875
    assert abs(easy_share - (1 / 0.15) / (1 / 0.15 + 1 / 1.05)) < 0.03
    assert all(np.unique(p).size == 100 for p in picks)


def test_spe_alpha_schedule_and_balanced_rounds(yeast):
    X, y = yeast
    spe = SelfPacedEnsembleClassifier(n_estimators=8, k_bins=10, random_state=0).fit(X, y)
    alphas = [e["alpha"] for e in spe.training_log_]
    np.testing.assert_allclose(alphas, np.tan(np.arange(8) * np.pi / 16))
    n_min = np.bincount(y).min()
    assert spe.training_log_[0]["n_samples"] == 2 * n_min
    assert all(e["n_samples"] <= 2 * n_min for e in spe.training_log_)


class _CountingTree(DecisionTreeClassifier):
    rows_predicted = []

    def predict_proba(self, X, check_input=True):
        type(self).rows_predicted.append(X.shape[0])
        return super().predict_proba(X, check_input)


def test_spe_predicts_only_the_new_member_on_the_majority(toy):
    X, y = toy
    _CountingTree.rows_predicted = []
    SelfPacedEnsembleClassifier(_CountingTree(), n_estimators=6, random_state=0).fit(X, y)
    n_major = np.bincount(y).max()
    assert _CountingTree.rows_predicted == [n_major] * 5


def test_spe_mean_of_members_and_staged(toy):
    X, y = toy
    spe = _small(SelfPacedEnsembleClassifier).fit(X, y)
    expected = np.mean([m.predict_proba(X) for m in spe.estimators_], axis=0)
    np.testing.assert_allclose(spe.predict_proba(X), expected)
    staged = list(spe.staged_predict_proba(X))
    assert len(staged) == 5
    np.testing.assert_allclose(staged[0], spe.estimators_[0].predict_proba(X))
    np.testing.assert_allclose(staged[-1], expected)
    assert np.array_equal(np.argsort(spe.decision_function(X)), np.argsort(expected[:, 1]))


def test_spe_hardness_callable_and_named(toy):
    X, y = toy
    named = _small(SelfPacedEnsembleClassifier, hardness="absolute_error").fit(X, y)

    def absolute(y_true, proba):
        return 1 - proba[np.arange(len(y_true)), y_true]

    custom = _small(SelfPacedEnsembleClassifier, hardness=absolute).fit(X, y)
    np.testing.assert_array_equal(named.predict_proba(X), custom.predict_proba(X))
    for name in ("squared_error", "cross_entropy"):
        _small(SelfPacedEnsembleClassifier, hardness=name).fit(X, y)
    bad = _small(SelfPacedEnsembleClassifier, hardness=lambda t, p: p)
    with pytest.raises(ValueError, match="hardness callable must return"):
        bad.fit(X, y)


def test_spe_multiclass_balances_every_class():
    X, y = make_classification(n_samples=600, n_classes=3, n_informative=4,
                               weights=[0.7, 0.2, 0.1], random_state=0)
    spe = _small(SelfPacedEnsembleClassifier).fit(X, y)
    n_min = np.bincount(y).min()
    assert all(e["n_samples"] <= 3 * n_min for e in spe.training_log_)
    assert spe.predict_proba(X).shape == (600, 3)


def test_spe_beats_a_single_tree_on_real_data(yeast):
    X, y = yeast
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    spe = SelfPacedEnsembleClassifier(n_estimators=10, random_state=0)
    ap_spe = average_precision_score(y, cross_val_predict(spe, X, y, cv=cv,
                                                          method="predict_proba")[:, 1])
    tree = DecisionTreeClassifier(random_state=0)
    ap_tree = average_precision_score(y, cross_val_predict(tree, X, y, cv=cv,
                                                           method="predict_proba")[:, 1])
    assert ap_spe > ap_tree + 0.05


def test_spe_lightgbm_member_with_nan():
    lightgbm = pytest.importorskip("lightgbm")
    X, y = make_classification(n_samples=300, weights=[0.85], random_state=0)
    X[::7, 0] = np.nan
    member = lightgbm.LGBMClassifier(n_estimators=10, verbose=-1)
    spe = SelfPacedEnsembleClassifier(member, n_estimators=4, n_jobs=1, random_state=0)
    assert np.isfinite(spe.fit(X, y).predict_proba(X)).all()
    assert spe.estimators_[0].get_params()["n_jobs"] == 1  # the ensemble's n_jobs reaches it
    # The default member (scikit-learn's tree) takes NaN too.
    tree = SelfPacedEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert np.isfinite(tree.predict_proba(X)).all()


# ------------------------------------------------------------- bad input
def test_bad_input_messages(toy):
    X, y = toy
    with pytest.raises(ValueError, match="one class"):
        SelfPacedEnsembleClassifier().fit(X, np.zeros_like(y))
    y_tiny = y.copy()
    y_tiny[np.flatnonzero(y == 1)[3:]] = 0
    with pytest.raises(ValueError, match="fewer than k_bins=5"):
        SelfPacedEnsembleClassifier().fit(X, y_tiny)
    with pytest.raises(TypeError, match="SVC.*no predict_proba"):
        SelfPacedEnsembleClassifier(SVC()).fit(X, y)
    with pytest.raises(TypeError, match="KNeighborsClassifier.*sample_weight"):
        RUSBoostClassifier(KNeighborsClassifier()).fit(X, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SelfPacedEnsembleClassifier(LogisticRegression()).fit(X_nan, y)
    for cls in (SMOTEBoostClassifier, SMOTEBaggingClassifier, KMeansSMOTEBoostClassifier):
        assert not cls().__sklearn_tags__().input_tags.allow_nan
        with pytest.raises(ValueError, match="NaN"):
            _small(cls).fit(X_nan, y)
        with pytest.raises(TypeError, match="[Ss]parse"):
            _small(cls).fit(sparse.csr_matrix(X), y)
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        _small(SelfPacedEnsembleClassifier).fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError, match="sample_weight was given"):
        UnderBaggingClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=np.ones(len(y)))
    with pytest.raises(ValueError, match="early_stopping_rounds needs an eval_set"):
        _small(UnderBaggingClassifier).fit(X, y, early_stopping_rounds=2)
    with pytest.raises(ValueError, match="eval_metric got unknown"):
        _small(UnderBaggingClassifier).fit(X, y, eval_set=[(X, y)], eval_metric="f9")
    with pytest.raises(ValueError, match="schedule callable"):
        _small(UnderBaggingClassifier, schedule=lambda i, n, c: {0: 3}).fit(X, y)
    with pytest.raises(ValueError, match="cost_matrix must be"):
        _small(AdaCostClassifier, cost_matrix=np.ones((3, 3))).fit(X, y)
    with pytest.raises(ValueError, match="no better than chance"):
        RUSBoostClassifier(random_state=0).fit(np.zeros((40, 2)), np.tile([0, 1], 20))


# -------------------------------------------------- common behaviour, all
@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_eval_set_log_staged_and_pickle(cls, toy):
    X, y = toy
    X_tr, y_tr, X_va, y_va = X[:300], y[:300], X[300:], y[300:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # KMeansSMOTE fallback on toy data
        clf = _small(cls).fit(X_tr, y_tr, eval_set=[(X_va, y_va)])
    n = len(clf.estimators_)
    assert len(clf.training_log_) == n
    ap = clf.evals_result_["valid_0"]["average_precision"]
    staged = list(clf.staged_predict_proba(X_va))
    assert len(ap) == len(staged) == n
    np.testing.assert_allclose(ap, [average_precision_score(y_va, p[:, 1]) for p in staged])
    np.testing.assert_allclose(staged[-1], clf.predict_proba(X_va))
    clone_ = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(clone_.predict_proba(X_va), clf.predict_proba(X_va))
    assert clf.feature_importances_.shape == (X.shape[1],)


@pytest.mark.parametrize("cls", [SelfPacedEnsembleClassifier, UnderBaggingClassifier,
                                 RUSBoostClassifier], ids=lambda c: c.__name__)
def test_early_stopping_keeps_best_round(cls, toy):
    X, y = toy
    # Depth-3 members: stumps on RUS samples can end boosting (error >= 1/2) before it stalls.
    member = DecisionTreeClassifier(max_depth=3)
    clf = cls(member, n_estimators=40, random_state=0).fit(
        X[:300], y[:300], eval_set=[(X[300:], y[300:])], eval_metric="log_loss",
        early_stopping_rounds=3)
    losses = clf.evals_result_["valid_0"]["log_loss"]
    assert len(losses) < 40
    best = int(np.argmin(losses))
    assert clf.best_iteration_ == best + 1 == len(clf.estimators_)
    assert len(losses) - 1 - best == 3


def test_verbose_logs_rounds(toy, capsys):
    X, y = toy
    _small(SelfPacedEnsembleClassifier, verbose=2).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith("round=0 alpha=0")


@pytest.mark.parametrize("cls", PARALLEL + [SelfPacedEnsembleClassifier],
                         ids=lambda c: c.__name__)
def test_same_result_for_every_n_jobs(cls, toy):
    X, y = toy
    one = _small(cls, n_jobs=1).fit(X, y).predict_proba(X)
    two = _small(cls, n_jobs=2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(one, two)


@pytest.mark.skipif(not DASK_INSTALLED, reason="dask.distributed not installed")
def test_dask_backend_gives_the_same_members(toy):
    from distributed import Client, LocalCluster

    X, y = toy
    expected = _small(BalancedRandomForestClassifier, n_jobs=1).fit(X, y).predict_proba(X)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False) as cluster, \
            Client(cluster), parallel_backend("dask"):
        got = _small(BalancedRandomForestClassifier, n_jobs=2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.skipif(not PANDAS_INSTALLED, reason="pandas not installed")
def test_pandas_pipeline_and_grid_search(yeast):
    import pandas as pd

    X, y = yeast
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    spe = _small(SelfPacedEnsembleClassifier).fit(frame, pd.Series(y))
    assert list(spe.feature_names_in_) == list(frame.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # fitted with names, given an array
        from_array = spe.predict_proba(frame.to_numpy())
    np.testing.assert_array_equal(spe.predict_proba(frame), from_array)
    pipe = make_pipeline(StandardScaler(), _small(UnderBaggingClassifier))
    grid = GridSearchCV(pipe, {"underbaggingclassifier__schedule": ["fixed", "progressive"]},
                        cv=3, scoring="average_precision").fit(frame, y)
    assert grid.best_score_ > 0.2


# --------------------------------------------------- resampling schedule
def test_schedules(toy):
    X, y = toy
    counts = np.bincount(y)
    prog = UnderBaggingClassifier(n_estimators=4, schedule="progressive", random_state=0)
    log = prog.fit(X, y).training_log_
    assert log[0]["class_counts"] == counts.tolist()
    assert log[-1]["class_counts"] == [counts.min()] * 2

    def ramp(i, n, class_counts):
        return {label: 10 + 5 * i for label in class_counts}

    log = UnderBaggingClassifier(n_estimators=3, schedule=ramp, random_state=0).fit(X, y)
    assert [e["class_counts"] for e in log.training_log_] == [[10, 10], [15, 15], [20, 20]]
    over = OverBaggingClassifier(n_estimators=2, random_state=0).fit(X, y).training_log_
    assert over[0]["class_counts"] == [counts.max()] * 2


def test_balance_cascade_pool_shrinks_to_minority(toy):
    X, y = toy
    counts = np.bincount(y)
    clf = BalanceCascadeClassifier(n_estimators=5, random_state=0).fit(X, y)
    pools = [e["pool_size"] for e in clf.training_log_]
    share = (counts.min() / counts.max()) ** (1 / 4)
    expected = [counts.max()]
    for _ in range(4):
        expected.append(max(counts.min(), int(np.ceil(expected[-1] * share))))
    assert pools == expected[1:] + [expected[-1]]


# ------------------------------------------------------------ boosting
@pytest.mark.parametrize("cls,param", [(AdaCostClassifier, "cost_matrix"),
                                       (AdaUBoostClassifier, "class_cost"),
                                       (AsymBoostClassifier, "class_cost")])
def test_cost_boosters_with_uniform_cost_are_adaboost(cls, param, yeast):
    X, y = yeast
    ours = cls(n_estimators=10, random_state=0, **{param: "uniform"}).fit(X, y)
    ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=10,
                             random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.estimator_weights_, ada.estimator_weights_, rtol=1e-9)
    np.testing.assert_allclose(ours.decision_function(X), ada.decision_function(X), atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), ada.predict_proba(X), atol=1e-12)


def test_cost_boosters_raise_minority_recall(yeast):
    X, y = yeast
    plain = AdaUBoostClassifier(n_estimators=20, class_cost="uniform", random_state=0)
    recall_plain = plain.fit(X, y).predict(X)[y == 1].mean()
    for cls in (AdaCostClassifier, AdaUBoostClassifier, AsymBoostClassifier):
        recall = cls(n_estimators=20, random_state=0).fit(X, y).predict(X)[y == 1].mean()
        assert recall > recall_plain


def test_adacost_reads_true_predicted_and_the_old_layout_stays_behind_a_deprecation(yeast):
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = yeast
    old = np.array([[0.5, 6.0], [1.0, 2.0]])  # C[predicted, true], the layout before this release
    new = AdaCostClassifier(n_estimators=10, random_state=0, cost_matrix=old.T,
                            cost_matrix_layout="true_pred").fit(X, y)
    np.testing.assert_array_equal(new.cost_matrix_, old.T)
    with pytest.warns(FutureWarning, match="cost_matrix_layout='pred_true'.*deprecated"):
        legacy = AdaCostClassifier(n_estimators=10, random_state=0, cost_matrix=old,
                                   cost_matrix_layout="pred_true").fit(X, y)
    # The same costs give the same model whichever layout wrote them.
    np.testing.assert_array_equal(legacy.cost_matrix_, new.cost_matrix_)
    np.testing.assert_array_equal(legacy.decision_function(X), new.decision_function(X))
    # The default reading is C[true, predicted], and an asymmetric matrix (where the two readings
    # differ) is never taken silently.
    with pytest.warns(FutureWarning, match=r"now reads cost_matrix as C\[true, predicted\]"):
        default = AdaCostClassifier(n_estimators=10, random_state=0, cost_matrix=old.T).fit(X, y)
    np.testing.assert_array_equal(default.decision_function(X), new.decision_function(X))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AdaCostClassifier(n_estimators=5, cost_matrix=[[0, 1], [1, 0]]).fit(X, y)
        AdaCostClassifier(n_estimators=5, cost_matrix_layout="pred_true").fit(X, y)  # a preset
    # Presets are C[true, predicted] too: calling a minority sample majority costs the most.
    inverse = AdaCostClassifier(n_estimators=5).fit(X, y).cost_matrix_
    assert inverse[1, 0] > inverse[0, 1]
    with pytest.raises(InvalidParameterError, match="cost_matrix_layout"):
        AdaCostClassifier(cost_matrix_layout="columns").fit(X, y)
    with pytest.raises(ValueError, match="correct prediction cost more than a mistake"):
        AdaCostClassifier(cost_matrix=old.T[::-1]).fit(X, y)


@pytest.mark.parametrize("params", [{"estimator": "tree"},
                                    {"estimator": [DecisionTreeClassifier()]},
                                    {"n_jobs": float("inf")}, {"cost_matrix": "dear"},
                                    {"n_estimators": 0}, {"learning_rate": -1.0}])
def test_adacost_parameter_errors_name_the_parameter(yeast, params):
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = yeast
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        AdaCostClassifier(**params).fit(X, y)


# ------------------------------------ against imbalanced-learn, real data
def _cv_ap(model, X, y, seed=0):
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)
    return average_precision_score(
        y, cross_val_predict(model, X, y, cv=cv, method="predict_proba")[:, 1])


def test_as_accurate_as_imbalanced_learn():
    from imblearn.ensemble import BalancedRandomForestClassifier as ImbBRF
    from imblearn.ensemble import RUSBoostClassifier as ImbRUS

    pairs = [
        (BalancedRandomForestClassifier(n_estimators=20, random_state=0),
         ImbBRF(n_estimators=20, sampling_strategy="all", replacement=True, bootstrap=False,
                random_state=0)),
        (RUSBoostClassifier(n_estimators=10, random_state=0),
         ImbRUS(n_estimators=10, random_state=0)),
    ]
    sets = [load_dataset(name) for name in ("yeast4", "ecoli3")]
    for ours, theirs in pairs:
        ap_ours = np.mean([_cv_ap(ours, d.data, d.target) for d in sets])
        ap_theirs = np.mean([_cv_ap(theirs, d.data, d.target) for d in sets])
        # Same algorithms, different random draws: the mean AP may differ by chance only.
        assert ap_ours > ap_theirs - 0.05, (type(ours).__name__, ap_ours, ap_theirs)


def test_resampling_boosters_train_on_balanced_sets(toy):
    X, y = toy
    counts = np.bincount(y)
    assert {e["n_samples"] for e in _small(RUSBoostClassifier).fit(X, y).training_log_} == {
        2 * counts.min()}
    for cls in (OverBoostClassifier, SMOTEBoostClassifier):
        assert {e["n_samples"] for e in _small(cls).fit(X, y).training_log_} == {
            2 * counts.max()}
    smote = _small(SMOTEBaggingClassifier).fit(X, y)
    assert smote.training_log_[0]["class_counts"] == [counts.max()] * 2


def test_ensembles_do_not_modify_input(toy):
    X, y = toy
    X0, y0 = X.copy(), y.copy()
    w = np.ones(len(y))
    for cls in ALL:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            clone(_small(cls)).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(w, 1.0)


@pytest.mark.parametrize("cls", [RUSBoostClassifier, OverBoostClassifier, AdaCostClassifier])
def test_boosters_name_a_class_without_weight(cls):
    # A class with no weight once reached a member as 0 / 0 weights, and the member's
    # "Input sample_weight contains NaN" blamed the user for NaN they never passed.
    X, y = load_dataset("ecoli1", return_X_y=True)
    for weight in (np.where(y == 1, 0.0, 1.0),            # the minority has none
                   np.r_[np.zeros(len(y) - 1), 1.0],        # one row has all of it
                   np.where(y == 1, 5e-324, 1.0)):          # vanishes when normalised
        with pytest.raises(ValueError, match=r"sample_weight gives every row of class (0|1) "
                                             r"weight 0") as info:
            _small(cls).fit(X, y, sample_weight=weight)
        assert "NaN" not in str(info.value)
    # Positive weight on a single row of a class is enough.
    weight = np.ones(len(y))
    weight[np.flatnonzero(y == 1)[1:]] = 0.0
    assert _small(cls).fit(X, y, sample_weight=weight).predict(X).shape == y.shape


def test_a_round_without_weight_is_named(monkeypatch):
    X, y = load_dataset("ecoli1", return_X_y=True)
    # A draw whose rows all carry boosting weight 0 (the weight update can underflow).
    monkeypatch.setattr(RUSBoostClassifier, "_resample",
                        lambda self, X, y, w, rng: (X, y, np.zeros_like(w)))
    with pytest.raises(ValueError, match="rows drawn for round 0 all have boosting weight 0"):
        _small(RUSBoostClassifier).fit(X, y)


def test_resampling_boosters_go_on_past_a_member_at_chance():
    # After a SAMME update the last member sits exactly at chance, so a resample that
    # gives the same stump again is useless but not final: the next resample differs.
    X, y = load_dataset("glass0", return_X_y=True)
    train, _ = next(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    X, y = X[train], y[train]
    rounds = []

    class Counting(OverBoostClassifier):
        def _resample(self, X, y, w, rng):
            rounds.append(len(rounds))
            return super()._resample(X, y, w, rng)

    clf = Counting(n_estimators=50, keep_resample=False, random_state=0).fit(X, y)
    assert len(rounds) == 50
    assert len(clf.estimators_) < 50  # some rounds were at chance and dropped
    assert all(w != 0 for w in clf.estimator_weights_)
    assert all(entry["error"] != 0.5 for entry in clf.training_log_)


# ------------------------------------------------------------ the contract
# Leading positional parameters: imbalanced-learn's order for the classes named after
# its own, imbalanced-ensemble's (estimator, n_estimators) for the others.
_POSITIONAL = {
    EasyEnsembleClassifier: ["n_estimators", "estimator"],
    BalancedRandomForestClassifier: ["n_estimators"],
}


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_keyword_only_after_the_leading_parameters(cls):
    params = inspect.signature(cls).parameters.values()
    positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    assert positional == _POSITIONAL.get(cls, ["estimator", "n_estimators"])
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params
               if p.name not in positional)


@pytest.mark.parametrize("cls, args, kwargs, expected", [
    (EasyEnsembleClassifier, (None, 7), {}, {"estimator": None, "n_estimators": 7}),
    (EasyEnsembleClassifier, (LogisticRegression(),), {"n_estimators": 3},
     {"n_estimators": 3}),
    (BalancedRandomForestClassifier, (DecisionTreeClassifier(), 7), {},
     {"n_estimators": 7}),
    (SelfPacedEnsembleClassifier, (None, 7, 3, "squared_error", True), {"verbose": 0},
     {"n_estimators": 7, "k_bins": 3, "hardness": "squared_error", "soft_resample": True}),
])
def test_former_positional_layout_warns_and_still_works(cls, args, kwargs, expected):
    with pytest.warns(FutureWarning, match=f"positionally to {cls.__name__} is deprecated"):
        model = cls(*args, **kwargs)
    params = model.get_params(deep=False)
    assert {k: params[k] for k in expected} == expected
    if args[0] is not None:
        assert type(params["estimator"]) is type(args[0])


@pytest.mark.parametrize("cls, args", [
    (EasyEnsembleClassifier, (7, LogisticRegression())),
    (BalancedRandomForestClassifier, (7,)),
    (SelfPacedEnsembleClassifier, (LogisticRegression(), 7)),
    (RUSBoostClassifier, (None, 7)),
])
def test_new_positional_layout_is_silent(cls, args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = cls(*args)
    assert model.n_estimators == 7


def test_former_layout_given_twice_is_a_type_error():
    with pytest.raises(TypeError, match=r"\['k_bins'\] also as keywords"):
        SelfPacedEnsembleClassifier(None, 5, 3, k_bins=4)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_parameter_errors_come_first_and_name_the_parameter(cls):
    # X is not numeric, so any work before parameter validation would fail differently.
    X_bad, y = [["a", "b"]] * 6, [0, 1] * 3
    for name in cls._parameter_constraints:
        model = cls().set_params(**{name: object()})
        with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of {cls.__name__}"):
            model.fit(X_bad, y)


@pytest.mark.parametrize("cls", [AdaUBoostClassifier, AsymBoostClassifier])
@pytest.mark.parametrize("bad", [{0: 1.0, 1: 0.0}, {0: 1.0, 1: np.inf}, {0: "a", 1: 2.0}])
def test_class_cost_values_are_checked_before_any_work(cls, bad):
    # X is not numeric: the parameter error must come first.
    with pytest.raises(InvalidParameterError, match=f"'class_cost' parameter of {cls.__name__}"):
        cls(class_cost=bad).fit([["a", "b"]] * 6, [0, 1] * 3)


def test_class_cost_without_every_class_names_the_missing_ones(toy):
    with pytest.raises(ValueError, match=r"missing \[1\]"):
        AdaUBoostClassifier(class_cost={0: 1.0}).fit(*toy)
