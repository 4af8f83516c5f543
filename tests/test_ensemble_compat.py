"""imbalanced-ensemble compatibility of the boosting, self-paced and cascade ensembles.

The resampling boosters on imbalanced data with three or more classes, measured against
imbalanced-ensemble 0.2.3 (scikit-learn 1.6.0), and imbalanced-ensemble's names and fit
arguments (``target_label``, ``n_target_samples``, ``balancing_schedule``,
``eval_datasets``, ``soft_resample_flag``, ``cost_matrix``, ``beta``); its
``CompatibleAdaBoostClassifier`` and ``CompatibleBaggingClassifier``; and the sweep over
both peers' parameters: each is taken, or refused with a TypeError naming it.
"""

import importlib
import inspect
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

import imbtool.combine
import imbtool.ensemble
import imbtool.over_sampling
import imbtool.under_sampling
from imbtool.ensemble import (
    AdaCostClassifier,
    AdaUBoostClassifier,
    AsymBoostClassifier,
    BalanceCascadeClassifier,
    CompatibleAdaBoostClassifier,
    CompatibleBaggingClassifier,
    KMeansSMOTEBoostClassifier,
    KmeansSMOTEBoostClassifier,
    OverBoostClassifier,
    RUSBoostClassifier,
    SelfPacedEnsembleClassifier,
    SMOTEBoostClassifier,
)

WEIGHTS = {3: [0.01, 0.05, 0.94], 5: [0.02, 0.03, 0.05, 0.1, 0.8]}

# imbalanced-ensemble 0.2.3's members and test balanced accuracy, default parameters,
# random_state=0, on multiclass_split(k) below. Produced in imbalanced-ensemble's own
# environment by:
#   for k, w in WEIGHTS.items():
#       X, y = make_classification(n_samples=4000, n_classes=k, n_informative=4,
#                                  weights=w, random_state=0)
#       Xtr, Xte, ytr, yte = train_test_split(X, y, stratify=y, random_state=0)
#       clf = imbens.ensemble.<Name>(random_state=0).fit(Xtr, ytr)
#       print(k, len(clf.estimators_), balanced_accuracy_score(yte, clf.predict(Xte)))
# Its KmeansSMOTEBoostClassifier raises there ("No clusters found with sufficient samples
# of class 0"); imbtool's falls back to plain SMOTE in such rounds, with a warning.
IMBENS = {
    (3, "RUSBoostClassifier"): (50, 0.572),
    (3, "OverBoostClassifier"): (50, 0.595),
    (3, "SMOTEBoostClassifier"): (50, 0.581),
    (5, "RUSBoostClassifier"): (50, 0.298),
    (5, "OverBoostClassifier"): (50, 0.554),
    (5, "SMOTEBoostClassifier"): (50, 0.583),
}
BOOSTERS = {c.__name__: c for c in (RUSBoostClassifier, OverBoostClassifier,
                                     SMOTEBoostClassifier, KMeansSMOTEBoostClassifier)}


def multiclass_split(k):
    X, y = make_classification(n_samples=4000, n_classes=k, n_informative=4,
                               weights=WEIGHTS[k], random_state=0)
    return train_test_split(X, y, stratify=y, random_state=0)


@pytest.mark.filterwarnings("ignore:k-means SMOTE found no usable cluster")
@pytest.mark.parametrize("k, name", [(3, n) for n in BOOSTERS] + [
    (5, "OverBoostClassifier"), (5, "SMOTEBoostClassifier")])
def test_resampling_boosters_fit_imbalanced_multiclass(k, name):
    # Each member is judged against SAMME's 1 - 1/K bound on the balanced resample it was
    # fit to; judged on the original, majority-dominated weights, none passed here.
    X_train, X_test, y_train, y_test = multiclass_split(k)
    clf = BOOSTERS[name](random_state=0).fit(X_train, y_train)
    score = balanced_accuracy_score(y_test, clf.predict(X_test))
    n_members, peer_score = IMBENS.get((k, name), (50, None))
    assert len(clf.estimators_) == n_members
    assert np.all(clf.estimator_weights_ > 0)
    assert score > 1.0 / k + 0.05
    if peer_score is not None:
        assert score > peer_score - 0.15


def test_multiclass_error_is_taken_on_the_resample():
    X_train, _, y_train, _ = multiclass_split(3)
    clf = RUSBoostClassifier(n_estimators=5, random_state=0).fit(X_train, y_train)
    # every logged error passed SAMME's bound on the member's own training set
    assert all(0 <= entry["error"] < 2 / 3 for entry in clf.training_log_)
    assert all(entry["n_samples"] == 3 * np.bincount(y_train).min()
               for entry in clf.training_log_)


class _FitRecordingStump(DecisionTreeClassifier):
    """A stump that records the rows and boosting weights of every fit."""

    fits = []

    def __init__(self, max_depth=1, random_state=None):
        super().__init__(max_depth=max_depth, random_state=random_state)

    def fit(self, X, y, sample_weight=None, check_input=True):
        type(self).fits.append((X.copy(), y.copy(), sample_weight.copy(), self))
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


X_BIN, Y_BIN = make_classification(n_samples=200, weights=[0.85], flip_y=0.1, random_state=3)


def _recorded_fits(cls, **params):
    _FitRecordingStump.fits = []
    clf = cls(_FitRecordingStump(), n_estimators=6, random_state=0, **params)
    return clf, _FitRecordingStump.fits


@pytest.mark.parametrize("cls", [OverBoostClassifier, SMOTEBoostClassifier,
                                 KMeansSMOTEBoostClassifier])
def test_keep_resample_boosts_on_the_first_rounds_balanced_set(cls):
    # imbalanced-ensemble's rule: round 0 balances the data; every later member is fit on
    # the same rows, weighted by SAMME's update taken on those rows with the members'
    # weights, as AdaBoost on the balanced set.
    clf, fits = _recorded_fits(cls, keep_resample=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "k-means SMOTE found no usable cluster")
        clf.fit(X_BIN, Y_BIN)
    X0, y0, w, _ = fits[0]
    assert np.bincount(y0).tolist() == [np.bincount(Y_BIN).max()] * 2
    np.testing.assert_array_equal(X0[:Y_BIN.shape[0]], X_BIN)
    np.testing.assert_allclose(w, 1 / y0.shape[0])
    assert len(fits) == len(clf.estimators_) > 1
    for k in range(1, len(fits)):
        Xk, yk, wk, _ = fits[k]
        np.testing.assert_array_equal(Xk, X0)
        np.testing.assert_array_equal(yk, y0)
        incorrect = clf.estimators_[k - 1].predict(X0) != y0
        error = np.average(incorrect, weights=w)
        alpha = np.log((1 - error) / error)
        assert clf.estimator_weights_[k - 1] == pytest.approx(alpha)
        w = w * np.exp(alpha * incorrect)
        w /= w.sum()
        np.testing.assert_allclose(wk, w, rtol=1e-10)


@pytest.mark.parametrize("cls", [OverBoostClassifier, SMOTEBoostClassifier])
def test_without_keep_resample_every_round_resamples_the_original_rows(cls):
    # The paper's rule: each member's set is the original rows (with their boosting
    # weights, updated on the original rows) plus a new draw; a member at chance is
    # dropped and leaves the weights as they were.
    clf, fits = _recorded_fits(cls, keep_resample=False)
    clf.fit(X_BIN, Y_BIN)
    n = Y_BIN.shape[0]
    w = np.full(n, 1 / n)
    kept = {id(m): a for m, a in zip(clf.estimators_, clf.estimator_weights_)}
    assert len(kept) > 1
    for k, (Xk, yk, wk, member) in enumerate(fits):
        np.testing.assert_array_equal(Xk[:n], X_BIN)
        assert np.bincount(yk).tolist() == [np.bincount(Y_BIN).max()] * 2
        np.testing.assert_allclose(wk[:n] / wk[:n].sum(), w, rtol=1e-10)
        if k:
            assert not np.array_equal(Xk[n:], fits[k - 1][0][n:])
        incorrect = member.predict(X_BIN) != Y_BIN
        w = w * np.exp(kept.get(id(member), 0.0) * incorrect)
        w /= w.sum()


def test_keep_resample_with_a_growing_schedule_adds_to_the_kept_set():
    clf, fits = _recorded_fits(OverBoostClassifier, keep_resample=True)
    clf.fit(X_BIN, Y_BIN, balancing_schedule="progressive")
    sizes = [f[1].shape[0] for f in fits]
    assert sizes == sorted(sizes) and sizes[0] == Y_BIN.shape[0]
    assert sizes[-1] == 2 * np.bincount(Y_BIN).max()
    for previous, current in zip(fits, fits[1:]):
        np.testing.assert_array_equal(current[0][:previous[0].shape[0]], previous[0])


@pytest.mark.parametrize("value", ["yes", 1.5, None])
def test_keep_resample_is_validated(value):
    with pytest.raises(InvalidParameterError, match="keep_resample"):
        OverBoostClassifier(keep_resample=value).fit(X_BIN, Y_BIN)


class _FullTreeRecorder(_FitRecordingStump):
    def __init__(self, max_depth=None, random_state=None):
        super().__init__(max_depth=max_depth, random_state=random_state)

    def fit(self, X, y, sample_weight=None, check_input=True):
        type(self).fits.append((X.copy(), y.copy(), self))
        return DecisionTreeClassifier.fit(self, X, y, sample_weight=sample_weight,
                                          check_input=check_input)


@pytest.mark.parametrize("replacement", [True, False])
def test_cascade_bootstraps_the_smaller_class_with_replacement(replacement):
    # imbalanced-ensemble's cascade (and imbtool's SPE) with replacement=True bootstrap the
    # class that is not under-sampled; without replacement it enters whole.
    _FullTreeRecorder.fits = []
    BalanceCascadeClassifier(_FullTreeRecorder(), n_estimators=4, replacement=replacement,
                             random_state=0).fit(X_BIN, Y_BIN)
    # Tree members may be given float32 rows: compare rows in float32.
    minority = X_BIN[Y_BIN == 1].astype(np.float32)
    n_min = minority.shape[0]
    assert len(_FullTreeRecorder.fits) == 4
    for Xk, yk, _ in _FullTreeRecorder.fits:
        assert np.bincount(yk).tolist() == [n_min, n_min]
        drawn = np.unique(Xk[yk == 1].astype(np.float32), axis=0)
        # every drawn minority row is a minority row of the data
        assert all((minority == row).all(axis=1).any() for row in drawn)
        if replacement:
            assert drawn.shape[0] < n_min
        else:
            assert drawn.shape[0] == n_min


def test_kmeans_spelling_is_the_same_class():
    assert KmeansSMOTEBoostClassifier is KMeansSMOTEBoostClassifier


X_SMALL, Y_SMALL = make_classification(n_samples=300, n_classes=3, n_informative=4,
                                       weights=[0.1, 0.3, 0.6], random_state=0)


@pytest.mark.parametrize("cls", [SelfPacedEnsembleClassifier, BalanceCascadeClassifier])
def test_target_arguments_set_target_distr(cls):
    counts = np.bincount(Y_SMALL)
    clf = cls(n_estimators=5, random_state=0)
    assert clf.fit(X_SMALL, Y_SMALL).target_distr_ == {c: counts.min() for c in range(3)}
    assert clf.fit(X_SMALL, Y_SMALL, target_label=1).target_distr_ == {
        0: counts[0], 1: counts[1], 2: counts[1]}
    assert clf.fit(X_SMALL, Y_SMALL, n_target_samples={2: 50}).target_distr_ == {
        0: counts[0], 1: counts[1], 2: 50}
    assert all(entry["n_samples"] == counts[0] + counts[1] + 50 for entry in clf.training_log_)
    with pytest.raises(ValueError, match="cannot be specified at the same time"):
        clf.fit(X_SMALL, Y_SMALL, target_label=0, n_target_samples=10)
    with pytest.raises(ValueError, match="is not present in the data"):
        clf.fit(X_SMALL, Y_SMALL, target_label=7)


def test_default_targets_keep_the_ensemble():
    spe = SelfPacedEnsembleClassifier(n_estimators=5, random_state=0)
    default = spe.fit(X_SMALL, Y_SMALL).predict_proba(X_SMALL)
    explicit = spe.fit(X_SMALL, Y_SMALL, target_label=0).predict_proba(X_SMALL)
    np.testing.assert_array_equal(default, explicit)


def test_progressive_schedule():
    spe = SelfPacedEnsembleClassifier(n_estimators=5, random_state=0)
    spe.fit(X_SMALL, Y_SMALL, balancing_schedule="progressive")
    sizes = [entry["n_samples"] for entry in spe.training_log_]
    assert sizes[0] == Y_SMALL.shape[0] and sizes[-1] == 3 * np.bincount(Y_SMALL).min()
    assert sizes == sorted(sizes, reverse=True)
    with pytest.raises(ValueError, match="only support static target sample distribution"):
        BalanceCascadeClassifier(random_state=0).fit(X_SMALL, Y_SMALL,
                                                     balancing_schedule="progressive")


def test_booster_targets_and_schedule():
    counts = np.bincount(Y_SMALL)
    rus = RUSBoostClassifier(n_estimators=3, random_state=0).fit(
        X_SMALL, Y_SMALL, n_target_samples=40)
    assert rus.target_distr_ == {0: counts[0], 1: 40, 2: 40}
    assert rus.training_log_[0]["n_samples"] == counts[0] + 80
    over = OverBoostClassifier(n_estimators=3, random_state=0).fit(
        X_SMALL, Y_SMALL, balancing_schedule="progressive")
    assert [e["n_samples"] for e in over.training_log_][0] == Y_SMALL.shape[0]
    assert over.training_log_[-1]["n_samples"] == 3 * counts.max()


def test_soft_resample_flag_is_soft_resample():
    a = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0, soft_resample=True)
    b = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0, soft_resample_flag=True)
    np.testing.assert_array_equal(a.fit(X_SMALL, Y_SMALL).predict_proba(X_SMALL),
                                  b.fit(X_SMALL, Y_SMALL).predict_proba(X_SMALL))
    with pytest.raises(ValueError, match="soft_resample_flag"):
        SelfPacedEnsembleClassifier(soft_resample=True, soft_resample_flag=False).fit(
            X_SMALL, Y_SMALL)


def test_eval_datasets_is_eval_set_and_refused_arguments_say_why():
    clf = SelfPacedEnsembleClassifier(n_estimators=3, random_state=0)
    by_name = clf.fit(X_SMALL, Y_SMALL, eval_datasets={"valid": (X_SMALL, Y_SMALL)})
    assert list(by_name.evals_result_) == ["valid_0"]
    with pytest.raises(TypeError, match="eval_metric"):
        clf.fit(X_SMALL, Y_SMALL, eval_metrics={"acc": (balanced_accuracy_score, {})})
    with pytest.raises(TypeError, match="verbose"):
        RUSBoostClassifier(n_estimators=2).fit(X_SMALL, Y_SMALL, train_verbose=True)


def test_adacost_fit_cost_matrix_is_read_in_the_peer_layout():
    # imbalanced-ensemble's fit argument: C[predicted, true]; cost_matrix_ is C[true, predicted].
    peer = np.array([[0.0, 1.0, 1.0], [5.0, 0.0, 1.0], [9.0, 2.0, 0.0]])
    clf = AdaCostClassifier(n_estimators=3, random_state=0).fit(X_SMALL, Y_SMALL,
                                                                cost_matrix=peer)
    np.testing.assert_array_equal(clf.cost_matrix_, peer.T)
    same = AdaCostClassifier(n_estimators=3, random_state=0, cost_matrix=peer.T,
                             cost_matrix_layout="true_pred").fit(X_SMALL, Y_SMALL)
    np.testing.assert_array_equal(clf.predict(X_SMALL), same.predict(X_SMALL))
    with pytest.raises(ValueError, match="When 'cost_matrix' is string"):
        clf.fit(X_SMALL, Y_SMALL, cost_matrix="random")


def test_reweighting_fit_class_costs():
    ada = AdaUBoostClassifier(n_estimators=3, random_state=0)
    assert np.all(ada.fit(X_SMALL, Y_SMALL, beta="uniform").class_cost_ == 1)
    assert ada.fit(X_SMALL, Y_SMALL, beta={0: 3, 1: 2, 2: 1}).class_cost_.tolist() == [3, 2, 1]
    asym = AsymBoostClassifier(n_estimators=3, random_state=0)
    assert np.all(asym.fit(X_SMALL, Y_SMALL, cost_matrix="uniform").class_cost_ == 1)
    with pytest.raises(TypeError, match="class_cost"):
        asym.fit(X_SMALL, Y_SMALL, cost_matrix=np.ones((3, 3)))


def test_staged_decision_function_ends_at_decision_function():
    clf = AdaCostClassifier(n_estimators=4, random_state=0).fit(X_SMALL, Y_SMALL)
    staged = list(clf.staged_decision_function(X_SMALL))
    assert len(staged) == len(clf.estimators_)
    np.testing.assert_allclose(staged[-1], clf.decision_function(X_SMALL))


@pytest.mark.parametrize("k", [2, 3])
def test_compatible_adaboost_is_scikit_learns_adaboost(k):
    # Same SAMME rounds on imbtool's loop: same weights, errors and decision to rounding.
    X, y = make_classification(n_samples=600, n_classes=k, n_informative=4,
                               weights=[0.8] + [0.2 / (k - 1)] * (k - 1), random_state=0)
    ours = CompatibleAdaBoostClassifier(n_estimators=30, random_state=0).fit(X, y)
    theirs = AdaBoostClassifier(n_estimators=30, random_state=0).fit(X, y)
    assert len(ours.estimators_) == len(theirs.estimators_) == 30
    np.testing.assert_allclose(ours.estimator_weights_, theirs.estimator_weights_)
    np.testing.assert_allclose(ours.estimator_errors_, theirs.estimator_errors_)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X),
                               atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)
    assert ours.estimators_n_training_samples_ == [600] * 30


def test_compatible_adaboost_early_termination():
    # One feature separates the classes: the first stump is perfect.
    X = np.r_[np.zeros((20, 2)), np.ones((10, 2))]
    y = np.r_[np.zeros(20, int), np.ones(10, int)]
    stop = CompatibleAdaBoostClassifier(n_estimators=5, early_termination=True).fit(X, y)
    go_on = CompatibleAdaBoostClassifier(n_estimators=5).fit(X, y)
    assert (len(stop.estimators_), len(go_on.estimators_)) == (1, 5)
    np.testing.assert_array_equal(stop.predict(X), go_on.predict(X))
    assert go_on.estimator_errors_.tolist() == [0.0] * 5


def test_compatible_bagging_one_unbootstrapped_member_is_the_estimator():
    X_tr, X_te, y_tr, _ = train_test_split(X_SMALL, Y_SMALL, random_state=0)
    bag = CompatibleBaggingClassifier(KNeighborsClassifier(), n_estimators=1, bootstrap=False,
                                      random_state=0).fit(X_tr, y_tr)
    np.testing.assert_array_equal(bag.predict(X_te),
                                  KNeighborsClassifier().fit(X_tr, y_tr).predict(X_te))


def test_compatible_bagging_members_refit_from_their_bags():
    bag = CompatibleBaggingClassifier(LogisticRegression(), n_estimators=4, max_samples=0.5,
                                      max_features=2, bootstrap=False, random_state=1)
    bag.fit(X_SMALL, Y_SMALL)
    half = X_SMALL.shape[0] // 2
    assert bag.estimators_n_training_samples_ == [half] * 4
    for member, rows, cols in zip(bag.estimators_, bag.estimators_samples_,
                                  bag.estimators_features_):
        assert rows.shape == (half,) and np.unique(rows).shape == (half,)
        refit = LogisticRegression().fit(X_SMALL[rows][:, cols], Y_SMALL[rows])
        np.testing.assert_allclose(member.coef_, refit.coef_)


@pytest.mark.parametrize("bootstrap", [True, False])
@pytest.mark.parametrize("max_samples", [1.0, 0.6, 25])
def test_compatible_bagging_zero_weight_rows_are_as_if_absent(bootstrap, max_samples):
    rng = np.random.RandomState(3)
    weight = rng.uniform(0.5, 2.0, X_SMALL.shape[0])
    weight[rng.rand(X_SMALL.shape[0]) < 0.3] = 0.0
    kept = np.flatnonzero(weight)
    params = dict(n_estimators=6, max_samples=max_samples, bootstrap=bootstrap,
                  max_features=0.8, random_state=7)
    full = CompatibleBaggingClassifier(**params).fit(X_SMALL, Y_SMALL, sample_weight=weight)
    alone = CompatibleBaggingClassifier(**params).fit(X_SMALL[kept], Y_SMALL[kept],
                                                      sample_weight=weight[kept])
    for rows, rows_alone in zip(full.estimators_samples_, alone.estimators_samples_):
        assert (weight[rows] > 0).all()
        np.testing.assert_array_equal(rows, kept[rows_alone])
    np.testing.assert_array_equal(full.predict_proba(X_SMALL), alone.predict_proba(X_SMALL))
    assert full.estimators_n_training_samples_ == alone.estimators_n_training_samples_


def test_compatible_bagging_positive_weights_do_not_change_the_bags():
    weight = np.random.RandomState(0).uniform(0.1, 3.0, X_SMALL.shape[0])
    bags = [CompatibleBaggingClassifier(n_estimators=5, random_state=2).fit(
        X_SMALL, Y_SMALL, sample_weight=w).estimators_samples_ for w in (None, weight)]
    for plain, weighted in zip(*bags):
        np.testing.assert_array_equal(plain, weighted)


@pytest.mark.parametrize("seed", range(10))
def test_compatible_bagging_a_class_of_zero_weight_is_never_drawn(seed):
    # scikit-learn's one-label check: ten rows, the weights of one class zeroed. Drawing
    # among all rows gives some members only zero-weight rows (their trees raise).
    rng = np.random.RandomState(0)
    X, y = rng.uniform(size=(10, 10)), np.arange(10) % 2
    bag = CompatibleBaggingClassifier(random_state=seed).fit(X, y, sample_weight=y)
    assert all((y[rows] == 1).all() for rows in bag.estimators_samples_)
    np.testing.assert_array_equal(bag.predict(rng.uniform(size=(10, 10))), np.ones(10))


def test_compatible_bagging_zero_weights_bad_input():
    # Newer scikit-learn refuses all-zero weights in its own check; with 1.6, imbtool does.
    with pytest.raises(ValueError, match="zero for every row|at least one non-zero"):
        CompatibleBaggingClassifier(n_estimators=2).fit(
            X_SMALL, Y_SMALL, sample_weight=np.zeros(X_SMALL.shape[0]))
    weight = np.zeros(X_SMALL.shape[0])
    weight[:20] = 1.0
    with pytest.raises(ValueError, match=r"max_samples=30 .* positive sample_weight \(20\)"):
        CompatibleBaggingClassifier(n_estimators=2, max_samples=30).fit(
            X_SMALL, Y_SMALL, sample_weight=weight)


# imbalanced-ensemble 0.2.3's constructor and fit parameters (X and y left out), read with
# inspect.signature in its own environment (it pins an older scikit-learn, so it is never
# imported here). Its samplers not listed take imbalanced-learn's parameters.
IMBENS_SIGNATURES = {
    "SelfPacedEnsembleClassifier": (
        ("estimator", "n_estimators", "k_bins", "soft_resample_flag", "replacement",
         "estimator_params", "n_jobs", "random_state", "verbose"),
        ("sample_weight", "target_label", "n_target_samples", "balancing_schedule",
         "eval_datasets", "eval_metrics", "train_verbose")),
    "BalanceCascadeClassifier": (
        ("estimator", "n_estimators", "replacement", "estimator_params", "n_jobs",
         "random_state", "verbose"),
        ("sample_weight", "target_label", "n_target_samples", "balancing_schedule",
         "eval_datasets", "eval_metrics", "train_verbose")),
    "BalancedRandomForestClassifier": (
        ("n_estimators", "criterion", "max_depth", "min_samples_split", "min_samples_leaf",
         "min_weight_fraction_leaf", "max_features", "max_leaf_nodes",
         "min_impurity_decrease", "bootstrap", "oob_score", "sampling_strategy", "replacement",
         "n_jobs", "random_state", "verbose", "warm_start", "class_weight", "ccp_alpha",
         "max_samples"),
        ("sample_weight", "eval_datasets", "eval_metrics", "train_verbose")),
    **{name: (
        ("estimator", "n_estimators", *extra, "max_samples", "max_features", "bootstrap",
         "bootstrap_features", "oob_score", "warm_start", "n_jobs", "random_state", "verbose"),
        ("sample_weight", "max_samples", "eval_datasets", "eval_metrics", "train_verbose"))
       for name, extra in [("EasyEnsembleClassifier", ()), ("UnderBaggingClassifier", ()),
                           ("OverBaggingClassifier", ()), ("CompatibleBaggingClassifier", ()),
                           ("SMOTEBaggingClassifier", ("k_neighbors",))]},
    **{name: (
        ("estimator", "n_estimators", *extra, "learning_rate", "algorithm", "early_termination",
         "random_state"),
        ("sample_weight", *fit_extra, "eval_datasets", "eval_metrics", "train_verbose"))
       for name, extra, fit_extra in [
           ("RUSBoostClassifier", ("replacement",),
            ("target_label", "n_target_samples", "balancing_schedule")),
           ("OverBoostClassifier", (), ("target_label", "n_target_samples", "balancing_schedule")),
           ("SMOTEBoostClassifier", ("k_neighbors",),
            ("target_label", "n_target_samples", "balancing_schedule")),
           ("KmeansSMOTEBoostClassifier",
            ("k_neighbors", "n_jobs_sampler", "kmeans_estimator", "cluster_balance_threshold",
             "density_exponent"),
            ("target_label", "n_target_samples", "balancing_schedule")),
           ("AdaCostClassifier", (), ("cost_matrix",)),
           ("AdaUBoostClassifier", (), ("beta",)),
           ("AsymBoostClassifier", (), ("cost_matrix",)),
           ("CompatibleAdaBoostClassifier", (), ())]},
    "NeighbourhoodCleaningRule": (
        ("sampling_strategy", "n_neighbors", "kind_sel", "threshold_cleaning", "n_jobs"), ()),
}

IMBTOOL_MODULES = (imbtool.ensemble, imbtool.over_sampling, imbtool.under_sampling,
                   imbtool.combine)


def _ours(name):
    found = [getattr(m, name) for m in IMBTOOL_MODULES if hasattr(m, name)]
    assert found, f"{name} has no imbtool counterpart"
    return found[0]


def _names(function):
    return [p for p in inspect.signature(function).parameters
            if p not in ("self", "X", "y") and not p.startswith("*")]


def _imblearn_signatures():
    out = {}
    for module in ("ensemble", "over_sampling", "under_sampling", "combine"):
        peer = importlib.import_module(f"imblearn.{module}")
        for name in peer.__all__:
            cls = getattr(peer, name)
            if inspect.isclass(cls) and hasattr(cls, "fit"):
                fit = _names(cls.fit) if hasattr(cls, "predict") else []
                out[name] = (_names(cls.__init__), [p for p in fit if p != "params"])
    return out


PEER_CASES = ([("imbalanced-ensemble", name, sig) for name, sig in IMBENS_SIGNATURES.items()]
              + [("imbalanced-learn", name, sig) for name, sig in _imblearn_signatures().items()])

# Fit arguments of imbalanced-ensemble that the ensembles name in fit but refuse, and a
# value the peer accepts for each.
REFUSED_FIT_ARGUMENTS = {
    "max_samples": 0.5,
    "eval_metrics": {"f1": (f1_score, {"average": "macro"})},
    "train_verbose": True,
}


@pytest.mark.parametrize("peer, name, signature", PEER_CASES,
                         ids=[f"{p}-{n}" for p, n, _ in PEER_CASES])
def test_every_peer_parameter_is_taken_or_refused_by_name(peer, name, signature):
    cls = _ours(name)
    ours = set(_names(cls.__init__))
    for param in signature[0]:
        if param in ours:
            continue
        with pytest.raises(TypeError, match=rf"does not take '{param}': .*{peer}") as info:
            cls(**{param: None})
        assert "unexpected keyword" not in str(info.value)
        assert param in cls._peer_refused


@pytest.mark.parametrize("peer, name, signature",
                         [case for case in PEER_CASES if case[2][1]],
                         ids=[f"{p}-{n}" for p, n, s in PEER_CASES if s[1]])
def test_every_peer_fit_argument_is_taken_or_refused_by_name(peer, name, signature):
    cls = _ours(name)
    ours = set(_names(cls.fit))
    for param in signature[1]:
        assert param in ours, f"{name}.fit does not take the peer's {param}"
        if param in REFUSED_FIT_ARGUMENTS:
            with pytest.raises(TypeError, match=rf"does not take {peer}'s {param}"):
                cls().fit(X_SMALL, Y_SMALL, **{param: REFUSED_FIT_ARGUMENTS[param]})
