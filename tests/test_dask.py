"""imbtool.dask on a LocalCluster: the same results as the in-memory classes.

Exactness, stated per class: RandomUnderSampler keeps the same rows for every
partition and worker count, and the in-memory sampler's counts (its random
stream is keyed to global positions, so the rows differ from the in-memory
sampler's); the metrics, the threshold sweep and the prior-corrected
probabilities equal the in-memory ones.
"""

import inspect
import warnings

import numpy as np
import pytest
from imblearn.utils import check_sampling_strategy

pytest.importorskip("distributed")
dask = pytest.importorskip("dask")
pd = pytest.importorskip("pandas")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from distributed import Client, LocalCluster, get_task_stream  # noqa: E402
from sklearn.base import BaseEstimator, ClassifierMixin, clone  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402
from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402

from imbtool import dask as imbdask  # noqa: E402
from imbtool import over_sampling  # noqa: E402
from imbtool.dask import _keys  # noqa: E402
from imbtool.metrics import average_precision, g_mean, mcc, pr_auc  # noqa: E402
from imbtool.over_sampling import SMOTE  # noqa: E402
from imbtool.pipeline import make_pipeline  # noqa: E402
from imbtool.threshold import (  # noqa: E402
    PriorCorrectedClassifier,
    RecallAtPrecision,
    TunedThresholdClassifier,
    prior_shift,
)
from imbtool.threshold._objectives import resolve_objective  # noqa: E402
from imbtool.under_sampling import RandomUnderSampler  # noqa: E402
from imbtool.utils._sweep import threshold_curve  # noqa: E402
from imbtool.utils._warnings import ImbtoolUserWarning  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with LocalCluster(processes=False, n_workers=2, threads_per_worker=1,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


def _data(n=6000, positive=0.04, n_classes=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    if n_classes == 2:
        y = (rng.random(n) < positive).astype(np.int64)
    else:
        y = rng.choice(n_classes, size=n, p=np.linspace(1, 3, n_classes) / np.linspace(
            1, 3, n_classes).sum())
    X[:, 0] += 1.5 * (y == 1)
    return X, y


def _arrays(X, y, chunks):
    return da.from_array(X, chunks=(chunks, X.shape[1])), da.from_array(y, chunks=chunks)


def _frames(X, y, npartitions):
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(y=y)
    ddf = dd.from_pandas(frame, npartitions=npartitions)
    return ddf.drop(columns="y"), ddf["y"]


# -- RandomUnderSampler ----------------------------------------------------------------------

@pytest.mark.parametrize("strategy", ["auto", "majority", "not majority", "all", 0.5,
                                      {0: 100, 1: 30}])
def test_under_sampler_targets_are_the_in_memory_ones(client, strategy):
    X, y = _data(n_classes=2 if isinstance(strategy, (float, dict)) else 3)
    sampler = imbdask.RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    X_res, y_res = sampler.fit_resample(*_arrays(X, y, 1000))
    expected = check_sampling_strategy(strategy, y, "under-sampling")
    assert sampler.sampling_strategy_ == dict(expected)
    reference = RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    _, y_ref = reference.fit_resample(X, y)
    y_res = y_res.compute()
    assert np.bincount(y_res).tolist() == np.bincount(y_ref).tolist()
    index = sampler.sample_indices_.compute()
    np.testing.assert_array_equal(X_res.compute(), X[index])
    np.testing.assert_array_equal(y_res, y[index])
    assert np.all(np.diff(index) > 0)


@pytest.mark.parametrize("chunks", [6000, 1000, 777, 250])
def test_under_sampler_keeps_the_same_rows_for_any_partitioning(client, chunks):
    X, y = _data()
    reference = imbdask.RandomUnderSampler(random_state=3)
    reference.fit_resample(*_arrays(X, y, 6000))
    expected = reference.sample_indices_.compute()
    sampler = imbdask.RandomUnderSampler(random_state=3)
    sampler.fit_resample(*_arrays(X, y, chunks))
    np.testing.assert_array_equal(sampler.sample_indices_.compute(), expected)
    # ... and without a cluster (the local threaded scheduler): worker count does not matter.
    with dask.config.set(scheduler="sync"):
        local = imbdask.RandomUnderSampler(random_state=3)
        local.fit_resample(*_arrays(X, y, chunks))
        np.testing.assert_array_equal(local.sample_indices_.compute(), expected)


def test_under_sampler_on_frames_matches_arrays_and_weights_rows(client):
    X, y = _data()
    arrays = imbdask.RandomUnderSampler(random_state=5)
    arrays.fit_resample(*_arrays(X, y, 1000))
    frames = imbdask.RandomUnderSampler(random_state=5)
    X_res, y_res, weight = frames.fit_resample(*_frames(X, y, 7), return_weight=True)
    index = frames.sample_indices_.compute()
    np.testing.assert_array_equal(index, arrays.sample_indices_.compute())
    X_res, y_res, weight = X_res.compute(), y_res.compute(), weight.compute()
    assert list(X_res.columns) == ["x0", "x1", "x2"] and y_res.name == "y"
    np.testing.assert_array_equal(X_res.index, index)
    np.testing.assert_array_equal(weight.index, y_res.index)
    counts = np.bincount(y)
    np.testing.assert_allclose(weight.to_numpy(), np.where(y_res == 0, counts[0] / counts[1], 1))
    # The weights give back each class's size: the kept rows stand for the whole class.
    assert weight[y_res == 0].sum() == pytest.approx(counts[0])


def test_under_sampler_radix_search_is_exact(client, monkeypatch):
    X, y = _data(n=3000)
    gathered = imbdask.RandomUnderSampler(random_state=2)
    gathered.fit_resample(*_arrays(X, y, 500))
    expected = gathered.sample_indices_.compute()
    # Force histogram rounds: a bucket is gathered only when it holds at most 3 keys.
    monkeypatch.setattr(_keys, "GATHER_LIMIT", 3)
    searched = imbdask.RandomUnderSampler(random_state=2)
    searched.fit_resample(*_arrays(X, y, 500))
    np.testing.assert_array_equal(searched.sample_indices_.compute(), expected)
    # The rows kept are the class's rows with the smallest keys, checked directly.
    keys = _keys.position_keys(0, len(y), _keys.seed_words(np.random.RandomState(2)))
    negatives = np.flatnonzero(y == 0)
    smallest = np.sort(negatives[np.argsort(keys[negatives])[:np.sum(y == 1)]])
    np.testing.assert_array_equal(expected[y[expected] == 0], smallest)


def test_position_keys_select_uniformly():
    # The sampler keeps a class's rows with the smallest keys (checked above); over many
    # seeds every row is then kept about equally often (here 10 of 40: rate 0.25).
    rows = np.arange(7, 47)
    kept = np.zeros(rows.size)
    seeds = 1000
    for seed in range(seeds):
        keys = _keys.position_keys(0, 50, _keys.seed_words(np.random.RandomState(seed)))[rows]
        kept[np.argsort(keys)[:10]] += 1
    rate = kept / seeds
    # Binomial(1000, 0.25): standard deviation 0.0137; 5 of them is a loose, safe bound.
    assert np.abs(rate - 0.25).max() < 5 * 0.0137
    assert rate.sum() == pytest.approx(10)


def test_under_sampler_seeds_differ_and_repeat(client):
    X, y = _data(n=2000)
    runs = []
    for seed in (0, 0, 1):
        sampler = imbdask.RandomUnderSampler(random_state=seed)
        sampler.fit_resample(*_arrays(X, y, 300))
        runs.append(sampler.sample_indices_.compute())
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])


def test_under_sampler_refuses_misaligned_and_unknown_partitions(client):
    X, y = _data(n=1000)
    sampler = imbdask.RandomUnderSampler(random_state=0)
    with pytest.raises(ValueError, match="partitioned alike: partition 0"):
        sampler.fit_resample(da.from_array(X, chunks=(100, 3)),
                             da.from_array(y, chunks=((150, 50) + (100,) * 8,)))
    with pytest.raises(ValueError, match="partitioned alike: X has 4 partitions"):
        sampler.fit_resample(*_frames(X, y, 4)[:1], _frames(X, y, 5)[1])
    X_dask, y_dask = _arrays(X, y, 100)
    with pytest.raises(ValueError, match=r"unknown size.*compute_chunk_sizes"):
        sampler.fit_resample(X_dask[y_dask >= 0], y_dask)
    with pytest.raises(TypeError, match="both be Dask Arrays or both"):
        sampler.fit_resample(X_dask, _frames(X, y, 10)[1])
    with pytest.raises(TypeError, match="must be a Dask Array or DataFrame"):
        sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match=r"asks for 5000 rows of class 1"):
        imbdask.RandomUnderSampler(sampling_strategy={1: 5000}).fit_resample(X_dask, y_dask)
    with pytest.raises(InvalidParameterError, match="sampling_strategy"):
        imbdask.RandomUnderSampler(sampling_strategy="minority").fit_resample(X_dask, y_dask)


def test_under_sampler_leaves_the_input_unchanged(client):
    X, y = _data(n=1000)
    X_copy, y_copy = X.copy(), y.copy()
    X_dask, y_dask = _arrays(X, y, 100)
    chunks = X_dask.chunks
    X_res, _ = imbdask.RandomUnderSampler(random_state=0).fit_resample(X_dask, y_dask)
    X_res.compute()
    assert X_dask.chunks == chunks
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


# -- Metrics and the threshold sweep out of core ---------------------------------------------

def _scores(n=4000, ties=False, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.08).astype(np.int64)
    score = rng.normal(size=n) + 1.5 * y
    return y, (np.round(score, 1) if ties else score)


@pytest.mark.parametrize("ties, chunks", [(False, 333), (True, 4000), (True, 500)])
def test_ranking_metrics_equal_the_in_memory_ones(client, ties, chunks):
    y, score = _scores(ties=ties)
    Y, S = da.from_array(y, chunks=chunks), da.from_array(score, chunks=chunks)
    assert imbdask.average_precision(Y, S) == pytest.approx(average_precision(y, score),
                                                            rel=1e-12)
    assert imbdask.pr_auc(Y, S) == pytest.approx(pr_auc(y, score), rel=1e-12)


@pytest.mark.parametrize("scoring", ["f1", "g_mean", "recall", RecallAtPrecision(0.3)])
def test_threshold_sweep_is_the_in_memory_one(client, scoring):
    # Ties (rounded scores) make runs of equal cuts; "recall" is optimal on a run of
    # thousands of cuts that crosses many bins, so the run's ends are found across bins.
    y, score = _scores(n=2000, ties=scoring == "f1")
    expected = threshold_curve(resolve_objective(scoring), [(y, score, None, None)])
    for chunks in (2000, 250):
        threshold, value = imbdask.tune_threshold(da.from_array(y, chunks=chunks),
                                                  da.from_array(score, chunks=chunks), scoring)
        assert threshold == expected.threshold
        assert value == pytest.approx(expected.result.score[expected.index], rel=1e-12)


class FixedScores(ClassifierMixin, BaseEstimator):
    """A fitted binary classifier whose decision value is the first column of X."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0]


def test_threshold_sweep_matches_the_tuned_classifier_weighted_or_not(client):
    # Ties (rounded scores) and rows of weight 0, some alone on their score: such a score
    # is still a cut in memory.
    X, y = _data(n=3000)
    score = np.round(X[:, 0], 2)
    weight = np.random.default_rng(1).choice([0.0, 0.5, 1.0, 3.0], size=y.size)
    S, Y = _frames(score[:, None], y, 6)
    W = dd.from_pandas(pd.Series(weight), npartitions=6)
    found = []
    for w, W_dask in ((None, None), (weight, W)):
        tuned = TunedThresholdClassifier(FixedScores().fit(X, y), scoring="f1", cv="prefit",
                                         refit=False, response_method="decision_function")
        tuned.fit(score[:, None], y, sample_weight=w)
        threshold, value = imbdask.tune_threshold(Y, S["x0"], "f1", sample_weight=W_dask)
        assert threshold == tuned.best_threshold_
        assert value == pytest.approx(tuned.best_score_, rel=1e-12)
        found.append(threshold)
    assert found[0] != found[1]  # the weights matter


def test_threshold_metrics_equal_the_in_memory_ones(client):
    y, score = _scores()
    S, frame_y = _frames(score[:, None], y, 6)
    got = imbdask.threshold_metrics(frame_y, S["x0"], 0.8)
    predicted = (score >= 0.8).astype(int)
    assert got["f1"] == pytest.approx(f1_score(y, predicted), rel=1e-12)
    assert got["g_mean"] == pytest.approx(g_mean(y, predicted), rel=1e-12)
    assert got["mcc"] == pytest.approx(mcc(y, predicted), rel=1e-12)
    assert got["tp"] + got["fn"] == y.sum()


def test_weighted_metrics_equal_the_in_memory_ones(client):
    from sklearn.metrics import matthews_corrcoef

    y, score = _scores(n=3000, ties=True)
    weight = np.random.default_rng(1).random(3000)
    weight[:100] = 0.0  # zero weights: scores that are no point of sklearn's curves
    Y, S, W = (da.from_array(a, chunks=700) for a in (y, score, weight))
    assert imbdask.average_precision(Y, S, sample_weight=W) == pytest.approx(
        average_precision(y, score, sample_weight=weight), rel=1e-12)
    assert imbdask.pr_auc(Y, S, sample_weight=W) == pytest.approx(
        pr_auc(y, score, sample_weight=weight), rel=1e-12)
    got = imbdask.threshold_metrics(Y, S, 0.5, sample_weight=W)
    predicted = (score >= 0.5).astype(int)
    assert got["f1"] == pytest.approx(f1_score(y, predicted, sample_weight=weight), rel=1e-12)
    assert got["mcc"] == pytest.approx(matthews_corrcoef(y, predicted, sample_weight=weight),
                                       rel=1e-12)
    with pytest.raises(ValueError, match=r"sample_weight partition \d+ holds negative"):
        imbdask.average_precision(Y, S, sample_weight=-W)


@pytest.mark.parametrize("n, strategy, n_bins", [(3000, "quantile", 10), (2999, "quantile", 7),
                                                 (3000, "uniform", 10)])
def test_expected_calibration_error_is_the_in_memory_one(client, n, strategy, n_bins):
    # Equal-mass bins need the exact quantiles (NumPy's interpolation between the order
    # statistics around each): rounded probabilities put many rows on the edges.
    from imbtool.metrics import expected_calibration_error

    rng = np.random.default_rng(n)
    y = (rng.random(n) < 0.1).astype(int)
    proba = np.round(np.clip(rng.beta(1, 8, size=n) + 0.3 * y, 0, 1), 2)
    for chunks in (n, 401):
        got = imbdask.expected_calibration_error(
            da.from_array(y, chunks=chunks), da.from_array(proba, chunks=chunks),
            n_bins=n_bins, strategy=strategy)
        assert got == pytest.approx(expected_calibration_error(
            y, proba, n_bins=n_bins, strategy=strategy), rel=1e-12, abs=1e-15)
    # Top-label, from a 2-D array or a frame of per-class columns.
    labels = rng.choice(3, size=n)
    P = np.round(rng.dirichlet([1, 2, 3], size=n), 2)
    P /= P.sum(axis=1, keepdims=True)
    expected = expected_calibration_error(labels, P, n_bins=n_bins, strategy=strategy)
    frame, frame_y = _frames(P, labels, 5)
    for Y, Q in ((da.from_array(labels, chunks=401), da.from_array(P, chunks=(401, 3))),
                 (frame_y, frame)):
        got = imbdask.expected_calibration_error(Y, Q, n_bins=n_bins, strategy=strategy)
        assert got == pytest.approx(expected, rel=1e-12)


def test_expected_calibration_error_refuses_scores(client):
    y, score = _scores(n=400)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        imbdask.expected_calibration_error(da.from_array(y, chunks=100),
                                           da.from_array(score, chunks=100))
    with pytest.raises(ValueError, match="not in labels="):
        imbdask.expected_calibration_error(
            da.from_array(y, chunks=100), da.from_array(np.full((400, 2), 0.5), chunks=100),
            labels=[0, 2])


def test_metrics_refuse_bad_scores(client):
    y, score = _scores(n=400)
    score[250] = np.nan
    with pytest.raises(ValueError, match="y_score partition 2 contains NaN"):
        imbdask.average_precision(da.from_array(y, chunks=100), da.from_array(score, chunks=100))
    with pytest.raises(ValueError, match="partitioned alike"):
        imbdask.pr_auc(da.from_array(y, chunks=100), da.from_array(score, chunks=200))
    with pytest.raises(ValueError, match="3 classes"):
        imbdask.average_precision(da.from_array(np.arange(400) % 3, chunks=100),
                                  da.from_array(np.zeros(400), chunks=100))


# -- Prior correction --------------------------------------------------------------------------

@pytest.mark.parametrize("as_frames", [False, True])
def test_prior_correction_is_the_in_memory_rule(client, as_frames):
    X, y = _data(n=4000)
    X_dask, y_dask = _frames(X, y, 5) if as_frames else _arrays(X, y, 800)
    clf = imbdask.PriorCorrectedClassifier().fit(X_dask, y_dask)
    # The in-memory classifier fitted on the same down-sample with the same priors.
    index = clf.sampler_.sample_indices_.compute()
    reference = PriorCorrectedClassifier(
        LogisticRegression(), training_prior=clf.training_prior_,
        deployment_prior=clf.deployment_prior_).fit(X[index], y[index])
    proba = clf.predict_proba(X_dask).compute()
    proba = proba.to_numpy() if as_frames else proba
    np.testing.assert_allclose(proba, reference.predict_proba(X), rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X_dask).compute(), reference.predict(X))
    counts = np.bincount(y)
    np.testing.assert_allclose(clf.deployment_prior_, counts / counts.sum())
    np.testing.assert_allclose(clf.training_prior_, [0.5, 0.5])
    # The positive column is what the out-of-core metrics take, partitioned like y.
    positive = clf.predict_proba(X_dask)["1"] if as_frames else clf.predict_proba(X_dask)[:, 1]
    assert imbdask.average_precision(y_dask, positive) == pytest.approx(
        average_precision(y, reference.predict_proba(X)[:, 1]), rel=1e-9)


@pytest.mark.parametrize("class_weight", ["balanced", None])
def test_prior_correction_of_a_weighted_fit(client, class_weight):
    # A 1:4 down-sample: "balanced" fits with the classes weighted equally (the training
    # prior is then 1/2 each), None unweighted (the prior is the sample's 4:1).
    X, y = _data(n=4000)
    sampler = imbdask.RandomUnderSampler(sampling_strategy=0.25, random_state=0)
    clf = imbdask.PriorCorrectedClassifier(sampler=sampler, class_weight=class_weight)
    clf.fit(*_arrays(X, y, 800))
    index = clf.sampler_.sample_indices_.compute()
    n_pos = int(y.sum())
    weight = (np.where(y[index] == 1, 5 * n_pos / (2 * n_pos), 5 * n_pos / (2 * 4 * n_pos))
              if class_weight else None)
    expected_prior = [0.5, 0.5] if class_weight else [0.8, 0.2]
    np.testing.assert_allclose(clf.training_prior_, expected_prior)
    reference = PriorCorrectedClassifier(
        LogisticRegression(), training_prior=expected_prior,
        deployment_prior=clf.deployment_prior_).fit(X[index], y[index], sample_weight=weight)
    np.testing.assert_allclose(clf.predict_proba(_arrays(X, y, 800)[0]).compute(),
                               reference.predict_proba(X), rtol=1e-12)


@pytest.mark.parametrize("class_weight", ["balanced", None])
def test_prior_correction_counts_the_pipelines_smote_rows(client, class_weight):
    # down-sample -> SMOTE on the minority -> classifier: the training prior is the class
    # mass the classifier saw after SMOTE (1:4 grown to 1:2), not the down-sample's.
    X, y = _data(n=4000)
    sampler = imbdask.RandomUnderSampler(sampling_strategy=0.25, random_state=0)
    pipeline = make_pipeline(SMOTE(sampling_strategy=0.5, random_state=0), LogisticRegression())
    clf = imbdask.PriorCorrectedClassifier(pipeline, sampler=sampler, class_weight=class_weight)
    clf.fit(*_arrays(X, y, 800))
    # Balanced weights 5/8 and 5/2 per row, carried to SMOTE's rows from their seeds.
    expected_prior = [4 * 5 / 8, 2 * 5 / 2] if class_weight else [4, 2]
    np.testing.assert_allclose(clf.training_prior_, np.divide(expected_prior,
                                                              sum(expected_prior)))
    index = clf.sampler_.sample_indices_.compute()
    n_pos = int(y.sum())
    weight = np.where(y[index] == 1, 5 / 2, 5 / 8) if class_weight else None
    reference = PriorCorrectedClassifier(
        pipeline, training_prior=clf.training_prior_,
        deployment_prior=clf.deployment_prior_).fit(X[index], y[index], sample_weight=weight)
    assert np.bincount(y[index]).tolist() == [4 * n_pos, n_pos]
    np.testing.assert_allclose(clf.predict_proba(_arrays(X, y, 800)[0]).compute(),
                               reference.predict_proba(X), rtol=1e-12)


def test_the_down_sample_reaches_the_client_partition_by_partition(client):
    # dask.compute of a frame joins its partitions in one task on a worker first: that
    # worker would hold the whole down-sample. The fit gathers it partition by partition.
    X, y = _data(n=4000)
    with get_task_stream(client) as stream:
        clf = imbdask.PriorCorrectedClassifier().fit(*_frames(X, y, 5))
    names = {str(task["key"]) for task in stream.data}
    assert names and not any("repartitiontofewer" in name for name in names)
    index = clf.sampler_.sample_indices_.compute()
    reference = PriorCorrectedClassifier(
        LogisticRegression(), training_prior=clf.training_prior_,
        deployment_prior=clf.deployment_prior_).fit(X[index], y[index])
    np.testing.assert_allclose(clf.estimator_.coef_, reference.estimator_.coef_, rtol=1e-12)


def test_prior_correction_refuses_a_sample_too_large(client):
    X, y = _data(n=1000)
    with pytest.raises(ValueError, match=r"down-sample \(\d+ rows x 3 columns, \d+ bytes\)"):
        imbdask.PriorCorrectedClassifier(max_sample_bytes=100).fit(*_arrays(X, y, 250))


@pytest.mark.parametrize("name", ["UnderBaggingClassifier", "SelfPacedEnsembleClassifier"])
def test_prior_correction_of_a_dask_ensemble(client, name):
    # The ensemble is fitted on the Dask data, its members on the workers; its mean
    # probability moves from the members' training prior (the class shares of the rows each
    # member saw, averaged over the members) to the data's class frequencies.
    X, y = _data(n=1500)
    X_dask, y_dask = _arrays(X, y, 500)
    ensemble = getattr(imbdask, name)(LogisticRegression(), n_estimators=2, random_state=0,
                                      **({"sampling_strategy": 0.5} if "Bagging" in name else {}))
    clf = imbdask.PriorCorrectedClassifier(ensemble).fit(X_dask, y_dask)
    assert clf.sampler_ is None
    if name == "SelfPacedEnsembleClassifier":
        member_rows = clf.estimator_.samples_
    else:
        member_rows = [s.sample_indices_.compute() for s in clf.estimator_.samplers_]
    shares = [np.bincount(y[rows], minlength=2) / rows.size for rows in member_rows]
    np.testing.assert_allclose(clf.training_prior_, np.mean(shares, axis=0), rtol=1e-12)
    np.testing.assert_allclose(clf.deployment_prior_, np.bincount(y) / y.size)
    reference = clone(ensemble).fit(X_dask, y_dask)
    expected = prior_shift(reference.predict_proba(X_dask).compute(), clf.training_prior_,
                           clf.deployment_prior_)
    np.testing.assert_allclose(clf.predict_proba(X_dask).compute(), expected, rtol=1e-12)
    # Corrected to the data's prior: the mean probability is near the positive rate.
    assert abs(expected[:, 1].mean() - y.mean()) < 0.3 * y.mean()
    with pytest.raises(ValueError, match="sampler must be None with a Dask ensemble"):
        imbdask.PriorCorrectedClassifier(ensemble, sampler=imbdask.RandomUnderSampler()).fit(
            X_dask, y_dask)


# -- Ensembles over chunks ---------------------------------------------------------------------

def test_under_bagging_members_are_fitted_on_their_samples(client):
    X, y = _data(n=3000)
    clf = imbdask.UnderBaggingClassifier(n_estimators=3, random_state=0)
    clf.fit(*_arrays(X, y, 500))
    expected = np.zeros((len(y), 2))
    for member, sampler in zip(clf.estimators_, clf.samplers_, strict=True):
        index = sampler.sample_indices_.compute()
        assert np.bincount(y[index]).tolist() == [np.sum(y == 1)] * 2
        # The member is the tree an in-memory fit on its rows gives.
        twin = DecisionTreeClassifier(random_state=sampler.random_state).fit(X[index], y[index])
        np.testing.assert_array_equal(member.tree_.threshold, twin.tree_.threshold)
        expected += twin.predict_proba(X) / 3
    X_dask = _arrays(X, y, 700)[0]
    np.testing.assert_allclose(clf.predict_proba(X_dask).compute(), expected, rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X_dask).compute(), np.argmax(expected, axis=1))


def test_ensembles_do_not_depend_on_partitioning(client):
    X, y = _data(n=2000)
    results = []
    for npartitions in (1, 6):
        clf = imbdask.EasyEnsembleClassifier(n_estimators=2, random_state=1)
        X_dask, y_dask = _frames(X, y, npartitions)
        proba = clf.fit(X_dask, y_dask).predict_proba(X_dask).compute()
        assert list(proba.columns) == ["0", "1"]
        results.append(proba.to_numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


@pytest.mark.parametrize("as_frames", [False, True], ids=["arrays", "frames"])
def test_ensembles_predict_around_an_empty_partition(client, as_frames):
    # A filter can leave a partition without rows: it gets no probabilities, the other rows
    # those of the members, and nothing warns on the way (Dask's meta inference once ran
    # the prediction on zero-size stand-ins and indexed them out of bounds).
    X, y = _data(n=1200)
    if as_frames:
        X_dask, y_dask = _frames(X, y, 3)
        X_mem = X_dask.compute()
        X_gap = dd.concat([X_dask.partitions[0], X_dask[X_dask["x0"] > 1e9].partitions[1],
                           X_dask.partitions[1:]])
        assert X_gap.map_partitions(len).compute().tolist() == [400, 0, 400, 400]
    else:
        X_dask, y_dask = _arrays(X, y, 400)
        X_mem, X_gap = X, da.from_array(X, chunks=((400, 0, 800), (3,)))
    clf = imbdask.UnderBaggingClassifier(n_estimators=2, random_state=0).fit(X_dask, y_dask)
    expected = np.mean([m.predict_proba(X_mem) for m in clf.estimators_], axis=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        proba, labels = dask.compute(clf.predict_proba(X_gap), clf.predict(X_gap))
    assert [str(w.message) for w in caught] == []
    np.testing.assert_allclose(np.asarray(proba), expected, rtol=1e-12)
    np.testing.assert_array_equal(np.asarray(labels), np.argmax(expected, axis=1))


def test_ensemble_member_sample_too_large_is_refused(client):
    X, y = _data(n=1000)
    with pytest.raises(ValueError, match=r"member's sample \(\d+ rows x 3 columns"):
        imbdask.UnderBaggingClassifier(n_estimators=1, max_sample_bytes=64).fit(
            *_arrays(X, y, 250))


# Parameters of the in-memory classes whose default the Dask class cannot take: drawing a
# class with replacement needs it in memory (position keys keep a row at most once).
_DASK_DEFAULTS = {("UnderBaggingClassifier", "bootstrap"): False,
                  ("SelfPacedEnsembleClassifier", "replacement"): False}


@pytest.mark.parametrize("name", ["UnderBaggingClassifier", "EasyEnsembleClassifier",
                                  "SelfPacedEnsembleClassifier", "RandomUnderSampler", "SMOTE",
                                  "BorderlineSMOTE", "ADASYN", "TomekLinks",
                                  "EditedNearestNeighbours"])
def test_dask_classes_take_the_in_memory_parameters(name):
    from imbtool import ensemble, under_sampling

    in_memory = next(getattr(m, name) for m in (ensemble, under_sampling, over_sampling)
                     if hasattr(m, name))
    dask_params = inspect.signature(getattr(imbdask, name)).parameters
    for param, value in inspect.signature(in_memory).parameters.items():
        assert param in dask_params, f"{name} lacks {param}"
        expected = _DASK_DEFAULTS.get((name, param), value.default)
        assert repr(dask_params[param].default) == repr(expected), (name, param)


def test_bagging_columns_and_subsample_are_the_in_memory_rule(client):
    # Member i draws its columns as in memory and keeps max_samples of its under-sample
    # (a uniform subset without replacement); it is the in-memory fit on those rows and
    # columns, whatever the partitioning.
    X, y = _data(n=1500)
    probas = []
    for chunks, bootstrap_features in ((300, False), (1500, True)):
        clf = imbdask.UnderBaggingClassifier(n_estimators=2, max_features=2, max_samples=0.5,
                                             bootstrap_features=bootstrap_features,
                                             random_state=0)
        X_dask = _arrays(X, y, chunks)[0]
        clf.fit(X_dask, _arrays(X, y, chunks)[1])
        expected = np.zeros((len(y), 2))
        for member, sampler, cols, log in zip(clf.estimators_, clf.samplers_,
                                              clf.estimators_features_, clf.training_log_,
                                              strict=True):
            seed = sampler.random_state
            draw = np.random.RandomState(seed)
            cols_again = (draw.randint(0, 3, 2) if bootstrap_features
                          else np.sort(draw.choice(3, 2, replace=False)))
            np.testing.assert_array_equal(cols, cols_again)
            index = sampler.sample_indices_.compute()
            kept = np.sort(np.random.RandomState(draw.randint(np.iinfo(np.int32).max)).choice(
                index.size, index.size // 2, replace=False))
            rows = index[kept]
            assert log["n_samples"] == rows.size == index.size // 2
            assert log["class_counts"] == np.bincount(y[rows], minlength=2).tolist()
            twin = DecisionTreeClassifier(random_state=seed).fit(X[rows][:, cols], y[rows])
            np.testing.assert_array_equal(member.tree_.threshold, twin.tree_.threshold)
            expected += twin.predict_proba(X[:, cols]) / 2
        proba = clf.predict_proba(X_dask).compute()
        np.testing.assert_allclose(proba, expected, rtol=1e-12)
        probas.append(proba)
    with pytest.raises(ValueError, match="max_features=4 must be at most"):
        imbdask.UnderBaggingClassifier(n_estimators=1, max_features=4).fit(*_arrays(X, y, 500))


def test_bagging_warm_start_n_jobs_and_verbose(client, capsys):
    # Members added by a warm start are those of one fit (member i keeps the i-th seed);
    # n_jobs only caps the members fitted at once; verbose prints a line per member.
    X, y = _data(n=1200)
    data = _arrays(X, y, 400)
    clf = imbdask.EasyEnsembleClassifier(n_estimators=1, warm_start=True, n_jobs=1, verbose=1,
                                         random_state=0).fit(*data)
    clf.set_params(n_estimators=3, n_jobs=None).fit(*data)
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == [
        "round=0", "round=1", "round=2"]
    once = imbdask.EasyEnsembleClassifier(n_estimators=3, n_jobs=2, random_state=0).fit(*data)
    assert [e["seed"] for e in clf.training_log_] == [e["seed"] for e in once.training_log_]
    np.testing.assert_allclose(clf.predict_proba(data[0]).compute(),
                               once.predict_proba(data[0]).compute(), rtol=1e-12)
    members = clf.estimators_
    with pytest.warns(ImbtoolUserWarning, match="without increasing n_estimators"):
        clf.fit(*data)
    assert clf.estimators_ == members
    with pytest.raises(ValueError, match="n_estimators=2 must be larger or equal"):
        clf.set_params(n_estimators=2).fit(*data)


@pytest.mark.parametrize("name, params, match", [
    ("UnderBaggingClassifier", {"bootstrap": True}, "bootstrap=True is not available"),
    ("EasyEnsembleClassifier", {"replacement": True}, "replacement=True is not available"),
    ("UnderBaggingClassifier", {"oob_score": True}, "oob_score=True is not available"),
    ("EasyEnsembleClassifier", {"schedule": "progressive"}, "schedule='progressive' is not"),
    ("RandomUnderSampler", {"replacement": True}, "replacement=True is not available"),
    ("RandomUnderSampler", {"class_counts": "weight"}, "class_counts='weight' is not"),
    ("SMOTE", {"class_counts": "weight"}, "class_counts='weight' is not"),
    ("TomekLinks", {"class_counts": "weight"}, "class_counts='weight' is not"),
])
def test_values_not_available_on_dask_are_refused(name, params, match):
    # Refused before any data is read: no cluster needed.
    X, y = _data(n=200)
    estimator = getattr(imbdask, name)(**params)
    fit = estimator.fit_resample if hasattr(estimator, "fit_resample") else estimator.fit
    with pytest.raises(ValueError, match=match):
        fit(*_arrays(X, y, 100))


def test_neighbour_search_threads_do_not_change_the_rows(client):
    X, y = _data(n=600, positive=0.1)
    data = _arrays(X, y, 200)
    for name, params in (("BorderlineSMOTE", {"random_state": 0}), ("TomekLinks", {})):
        one, two = (getattr(imbdask, name)(n_jobs=n_jobs, **params) for n_jobs in (1, 2))
        for a, b in zip(one.fit_resample(*data), two.fit_resample(*data), strict=True):
            np.testing.assert_array_equal(a.compute(), b.compute())


# -- SMOTE: the grown classes gathered ---------------------------------------------------------

@pytest.mark.parametrize("name, params, n_classes, strategy", [
    ("SMOTE", {}, 2, "auto"),
    ("SMOTE", {}, 3, "not majority"),
    ("SMOTE", {}, 2, 0.5),
    ("BorderlineSMOTE", {}, 2, "auto"),
    ("BorderlineSMOTE", {"kind": "borderline-2"}, 3, "not majority"),
    ("ADASYN", {}, 2, "auto"),
])
def test_over_samplers_make_the_in_memory_rows(client, name, params, n_classes, strategy):
    # Borderline-SMOTE's danger test and ADASYN's ratios read neighbours among all rows:
    # the partition-wise search and its merge must find the in-memory ones exactly.
    X, y = _data(n=2000, n_classes=n_classes)
    in_memory = getattr(over_sampling, name)
    reference = in_memory(sampling_strategy=strategy, random_state=4, **params)
    X_ref, y_ref = reference.fit_resample(X, y)
    for chunks in (2000, 300):
        sampler = getattr(imbdask, name)(sampling_strategy=strategy, random_state=4, **params)
        X_res, y_res = sampler.fit_resample(*_arrays(X, y, chunks))
        np.testing.assert_array_equal(X_res.compute(), X_ref)
        np.testing.assert_array_equal(y_res.compute(), y_ref)
        # Provenance in global positions: the in-memory one, since it indexes the whole data.
        np.testing.assert_array_equal(sampler.synthetic_sources_, reference.synthetic_sources_)


def test_smote_on_frames_appends_new_partitions(client):
    X, y = _data(n=2000)
    X_dask, y_dask = _frames(X, y, 4)
    sampler = imbdask.SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X_dask, y_dask)
    X_res, y_res = X_res.compute(), y_res.compute()
    X_ref, y_ref = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res.to_numpy(), X_ref)
    np.testing.assert_array_equal(X_res.index, np.arange(len(y_ref)))
    assert list(X_res.columns) == ["x0", "x1", "x2"] and y_res.name == "y"
    seed, partner = sampler.synthetic_sources_.T
    new = X + 0.0
    np.testing.assert_allclose(
        X_res.to_numpy()[2000:],
        new[seed] + sampler.synthetic_steps_[:, None] * (new[partner] - new[seed]))


def test_smote_refuses_a_minority_too_large_to_gather(client):
    X, y = _data(n=1000)
    with pytest.raises(ValueError, match=r"SMOTE gathers the classes it grows .* "
                                         r"\(up to \d+ rows x 3 columns, \d+ bytes\)"):
        imbdask.SMOTE(max_gather_bytes=1000).fit_resample(*_arrays(X, y, 250))


def test_frames_read_from_parquet_stay_aligned(client, tmp_path):
    # Dask's optimiser joins the partitions of a narrow column selection read from parquet
    # (y alone), so X and y would no longer share partitions; the split shown is kept.
    pytest.importorskip("pyarrow")
    X, y = _data(n=2000)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"]).assign(y=y)
    for i in range(4):
        frame.iloc[500 * i:500 * (i + 1)].to_parquet(tmp_path / f"part-{i}.parquet")
    stored = dd.read_parquet(tmp_path)
    sampler = imbdask.RandomUnderSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(stored[["x0", "x1", "x2"]], stored["y"])
    reference = imbdask.RandomUnderSampler(random_state=0)
    reference.fit_resample(*_arrays(X, y, 500))
    index = reference.sample_indices_.compute()
    np.testing.assert_array_equal(sampler.sample_indices_.compute(), index)
    np.testing.assert_array_equal(X_res.compute().to_numpy(), X[index])


_READS = []


def _recorded_read(start, frame, columns=None):
    # One partition of a frame read "from storage", the columns asked for recorded.
    columns = list(frame.columns) if columns is None else list(columns)
    _READS.append(tuple(columns))
    return frame.iloc[start:start + 500][columns]


def test_passes_over_y_read_y_alone():
    # A source that reads only the columns asked for (as a parquet read does): the class
    # counts and the key search read y's column alone; X is counted once (its rows) and
    # read again only for the kept rows.
    X, y = _data(n=2000)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"]).assign(y=y)
    stored = dd.from_map(_recorded_read, [0, 500, 1000, 1500], frame=frame, meta=frame.iloc[:0],
                         enforce_metadata=False)
    _READS.clear()
    # In this process, so that the reads are recorded here.
    with dask.config.set(scheduler="sync"):
        sampler = imbdask.RandomUnderSampler(random_state=0)
        X_res, y_res = sampler.fit_resample(stored[["x0", "x1", "x2"]], stored["y"])
        fit_reads = list(_READS)
        X_kept = X_res.compute().to_numpy()
    y_reads = fit_reads.count(("y",))
    assert y_reads >= 8  # the class counts and a round of the key search, 4 partitions each
    assert len(fit_reads) - y_reads == 4  # X's rows counted, once per partition
    reference = imbdask.RandomUnderSampler(random_state=0)
    reference.fit_resample(*_arrays(X, y, 500))
    np.testing.assert_array_equal(X_kept, X[reference.sample_indices_.compute()])


# -- LightGBM on Dask with imbtool's losses ----------------------------------------------------

@pytest.fixture(scope="module")
def one_worker():
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=1,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


@pytest.mark.parametrize("loss, class_weight", [("focal", None), ("asymmetric", "balanced"),
                                                ("logloss", "balanced"),
                                                ("weighted_logloss", {0: 1.0, 1: 3.0})])
@pytest.mark.parametrize("as_frames", [False, True])
def test_dask_booster_on_one_worker_is_the_in_memory_booster(one_worker, loss, class_weight,
                                                            as_frames):
    # On one worker LightGBM's Dask training is its in-memory training: the objective, the
    # class weights and the starting margin must then give the in-memory model exactly.
    from imbtool.boosters import LGBMImbalancedClassifier

    X, y = _data(n=3000)
    y = np.where(y == 1, 7, 3)  # labels other than 0/1, the minority the larger
    params = dict(loss=loss, class_weight=class_weight, n_estimators=15, n_jobs=1,
                  random_state=0, device="cpu")
    if isinstance(class_weight, dict):
        params["class_weight"] = {3: 1.0, 7: 3.0}
    X_dask, y_dask = _frames(X, y, 4) if as_frames else _arrays(X, y, 700)
    clf = imbdask.LGBMImbalancedClassifier(**params, client=one_worker).fit(X_dask, y_dask)
    reference = LGBMImbalancedClassifier(**params).fit(X, y)
    assert clf.pos_label_ == reference.pos_label_ == 7
    assert clf.init_score_ == pytest.approx(reference.init_score_, abs=1e-12)
    # The built-in objective: in memory LightGBM starts from the prior it averages over its
    # float32 weights; on Dask the start is the whole data's prior in float64 (LightGBM's
    # would average the workers' priors). The trees are the same, the margins within 1e-7.
    _assert_predicts_like(clf, reference, X, X_dask, 1e-7 if loss == "logloss" else 1e-10)


def _assert_predicts_like(clf, reference, X, X_dask, tol):
    """The Dask classifier's probabilities, margins and labels are the in-memory ones."""
    proba = clf.predict_proba(X_dask).compute()
    if isinstance(proba, pd.DataFrame):
        assert list(proba.columns) == [str(c) for c in reference.classes_]
        proba = proba.to_numpy()
    np.testing.assert_allclose(proba, reference.predict_proba(X), rtol=tol, atol=1e-12)
    np.testing.assert_allclose(np.asarray(clf.decision_function(X_dask).compute()),
                               reference.decision_function(X), rtol=tol, atol=tol)
    np.testing.assert_array_equal(np.asarray(clf.predict(X_dask).compute()),
                                  reference.predict(X))


def test_dask_booster_on_two_workers_ranks_like_the_in_memory_one(client):
    # Two workers: LightGBM bins each feature from one worker's rows, so the trees differ a
    # little from the in-memory ones; the ranking must stay as good.
    from imbtool.boosters import LGBMImbalancedClassifier

    X, y = _data(n=6000)
    X_dask, y_dask = _arrays(X, y, 1000)
    clf = imbdask.LGBMImbalancedClassifier(n_estimators=30, n_jobs=1, random_state=0,
                                           device="cpu", client=client).fit(X_dask, y_dask)
    reference = LGBMImbalancedClassifier(n_estimators=30, n_jobs=1, random_state=0,
                                         device="cpu").fit(X, y)
    # Held-out rows: the models' ranking, not how they fit their training rows. Many of them:
    # which worker gets which partitions, and so the trees, is Dask's choice on each run, and
    # in 8 runs on 6,000 rows (240 positives) the AP was 0.005 above to 0.031 below the
    # in-memory one (one failure); on 60,000 the same runs were 0.005 below to 0.021 above.
    X_test, y_test = _data(n=60000, seed=1)
    X_test_dask, y_test_dask = _arrays(X_test, y_test, 10000)
    ap = imbdask.average_precision(y_test_dask, clf.predict_proba(X_test_dask)[:, 1])
    expected = average_precision(y_test, reference.predict_proba(X_test)[:, 1])
    assert ap > expected - 0.03
    proba = clf.predict_proba(X_dask).compute()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_dask_booster_objective_pickles_to_workers():
    import pickle

    from imbtool.cost import FocalLoss
    from imbtool.dask._boosters import _WorkerObjective

    objective = pickle.loads(pickle.dumps(_WorkerObjective(FocalLoss(gamma=1.5), 1)))
    y, z, w = np.array([0.0, 1.0, 1.0]), np.array([0.3, -0.2, 1.0]), np.array([1.0, 2.0, 0.5])
    grad, hess = objective(y, z, w)
    expected = FocalLoss(gamma=1.5)(y, z, w)
    np.testing.assert_array_equal(grad, expected[0])
    np.testing.assert_array_equal(hess, expected[1])


def test_dask_booster_refuses_what_it_cannot_do(client):
    X, y = _data(n=1000)
    X_dask, y_dask = _arrays(X, y, 250)
    with pytest.raises(InvalidParameterError, match="class_weight_start must be 0"):
        imbdask.LGBMImbalancedClassifier(class_weight_start=0.5).fit(X_dask, y_dask)
    X3, y3 = _data(n=1000, n_classes=3)
    with pytest.raises(InvalidParameterError, match="AsymmetricLoss is defined for binary"):
        imbdask.LGBMImbalancedClassifier("asymmetric").fit(*_arrays(X3, y3, 250))
    with pytest.raises(ValueError, match="sample_weight must be partitioned like y"):
        imbdask.LGBMImbalancedClassifier().fit(X_dask, y_dask,
                                               sample_weight=da.ones(1000, chunks=500))


@pytest.mark.parametrize("loss, class_weight, as_frames", [
    ("focal", None, True), ("weighted_logloss", None, False), ("ldam", "balanced", False),
    ("logit_adjusted", None, False), ("logloss", "balanced", False)])
def test_dask_multiclass_booster_on_one_worker_is_the_in_memory_booster(
        one_worker, loss, class_weight, as_frames):
    # K classes with the whole data's codes: on one worker, the in-memory model exactly,
    # also for the losses that read the class sizes (weighted log-loss's "balanced", LDAM,
    # logit adjustment), which read the whole data's.
    from imbtool.boosters import LGBMImbalancedClassifier

    X, y = _data(n=2000, n_classes=3)
    y = np.array([10, 20, 30])[y]
    params = dict(loss=loss, class_weight=class_weight, n_estimators=8, n_jobs=1,
                  random_state=0, device="cpu")
    X_dask, y_dask = _frames(X, y, 3) if as_frames else _arrays(X, y, 700)
    clf = imbdask.LGBMImbalancedClassifier(**params, client=one_worker).fit(X_dask, y_dask)
    reference = LGBMImbalancedClassifier(**params).fit(X, y)
    assert clf.pos_label_ is None and clf.classes_.tolist() == [10, 20, 30]
    if loss != "logloss":  # in memory LightGBM's built-in start is inside its first trees
        np.testing.assert_allclose(clf.init_score_, reference.init_score_, atol=1e-9)
    if loss == "logit_adjusted":
        np.testing.assert_allclose(clf.logit_adjustment_, reference.logit_adjustment_)
    # The built-in objective's start: float32 weights in memory (see the binary test).
    _assert_predicts_like(clf, reference, X, X_dask, 1e-7 if loss == "logloss" else 1e-9)


def test_dask_multiclass_booster_with_workers_missing_classes(client):
    # Rows sorted by class: each of the two workers lacks a class. The codes, the class
    # sizes LDAM reads and the starting margin are the whole data's, so the model still
    # ranks each class as the in-memory one does.
    from imbtool.boosters import LGBMImbalancedClassifier

    X, y = _data(n=3000, n_classes=3)
    X[:, 1] += 2.0 * (y == 2)
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    params = dict(loss="ldam", n_estimators=20, n_jobs=1, random_state=0, device="cpu")
    clf = imbdask.LGBMImbalancedClassifier(**params, client=client).fit(*_arrays(X, y, 500))
    reference = LGBMImbalancedClassifier(**params).fit(X, y)
    np.testing.assert_allclose(clf.init_score_, reference.init_score_, atol=1e-9)
    proba = clf.predict_proba(_arrays(X, y, 500)[0]).compute()
    expected = reference.predict_proba(X)
    for c in range(3):
        assert average_precision(y == c, proba[:, c]) == pytest.approx(
            average_precision(y == c, expected[:, c]), abs=0.03)


def test_losses_with_the_whole_datas_class_sizes():
    # What a worker computes: the gradient on its rows with the whole data's class sizes
    # is the whole data's gradient restricted to those rows.
    from imbtool.cost import LDAMLoss, LogitAdjustedLoss, WeightedLogLoss

    rng = np.random.default_rng(0)
    y = rng.choice(3, size=300, p=[0.7, 0.2, 0.1])
    z = rng.normal(size=(300, 3))
    rows = np.flatnonzero(y != 2)[:100]  # a worker holding no row of class 2
    for loss in (LDAMLoss(), LogitAdjustedLoss(), WeightedLogLoss()):
        fixed = loss._with_class_sizes(np.bincount(y))
        np.testing.assert_allclose(fixed(y[rows], z[rows])[0], loss(y, z)[0][rows])
        assert not np.allclose(loss(y[rows], z[rows])[0], loss(y, z)[0][rows])
        assert fixed == loss  # the same parameters


# -- Cleaning: Tomek links and Wilson's editing ------------------------------------------------

def _cleaning_data(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(900, 2))
    y = rng.choice(3, size=900, p=[0.7, 0.2, 0.1])
    X[:, 0] += y
    # Rounded: many equal distances, so the tie rule (distance, then position) is exercised.
    return np.round(X, 1), y


@pytest.mark.parametrize("strategy", ["auto", "all", "majority"])
def test_tomek_links_remove_the_in_memory_rows(client, strategy):
    from imbtool.under_sampling import TomekLinks

    X, y = _cleaning_data(0)
    reference = TomekLinks(sampling_strategy=strategy)
    reference.fit_resample(X, y)
    expected = np.sort(reference.sample_indices_)
    assert expected.size < len(y)
    for chunks in (900, 250, 97):
        sampler = imbdask.TomekLinks(sampling_strategy=strategy)
        X_res, y_res = sampler.fit_resample(*_arrays(X, y, chunks))
        np.testing.assert_array_equal(sampler.sample_indices_.compute(), expected)
        np.testing.assert_array_equal(X_res.compute(), X[expected])
        np.testing.assert_array_equal(y_res.compute(), y[expected])
        assert np.intersect1d(sampler.removed_indices_, expected).size == 0


@pytest.mark.parametrize("params", [{}, {"kind_sel": "mode", "n_neighbors": 4,
                                         "sampling_strategy": "all"},
                                    {"sampling_strategy": [0, 2], "n_neighbors": 5,
                                     "kind_sel": "mode"}])
def test_edited_nearest_neighbours_remove_the_in_memory_rows(client, params):
    from imbtool.under_sampling import EditedNearestNeighbours

    X, y = _cleaning_data(1)
    reference = EditedNearestNeighbours(**params)
    reference.fit_resample(X, y)
    expected = np.sort(reference.sample_indices_)
    for as_frames, split in ((False, 900), (False, 130), (True, 7)):
        sampler = imbdask.EditedNearestNeighbours(**params)
        data = _frames(X, y, split) if as_frames else _arrays(X, y, split)
        X_res, y_res = sampler.fit_resample(*data)
        np.testing.assert_array_equal(sampler.sample_indices_.compute(), expected)
        X_res = X_res.compute()
        if as_frames:
            np.testing.assert_array_equal(X_res.index, expected)
            X_res = X_res.to_numpy()
        np.testing.assert_array_equal(X_res, X[expected])


def test_cleaning_refuses_bad_input_and_warns_when_a_class_goes(client):
    X, y = _cleaning_data(2)
    X_dask, y_dask = _arrays(X, y, 300)
    with pytest.raises(ValueError, match=r"classes \[5\] that y does not hold"):
        imbdask.TomekLinks(sampling_strategy=[5]).fit_resample(X_dask, y_dask)
    with pytest.raises(InvalidParameterError, match="n_neighbors"):
        imbdask.EditedNearestNeighbours(n_neighbors=0).fit_resample(X_dask, y_dask)
    with pytest.raises(ValueError, match="partitioned alike"):
        imbdask.TomekLinks().fit_resample(X_dask, da.from_array(y, chunks=450))
    # Two far-apart points of class 1 inside class 0: editing with 'all' empties class 1.
    X2 = np.r_[np.zeros((20, 1)) + np.arange(20)[:, None] * 0.01, [[0.055], [0.105]]]
    y2 = np.r_[np.zeros(20, dtype=int), [1, 1]]
    with pytest.warns(UserWarning, match=r"removed every row of class\(es\) \[1\]"):
        imbdask.EditedNearestNeighbours(sampling_strategy="all").fit_resample(
            *_arrays(X2, y2, 11))


def test_cleaning_options_of_the_in_memory_samplers(client):
    # A callable sampling_strategy (called with the Dask y) and an n_neighbors estimator
    # (its n_neighbors counts the row itself, as imbalanced-learn uses it).
    from sklearn.neighbors import NearestNeighbors

    from imbtool.under_sampling import EditedNearestNeighbours, TomekLinks

    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 2))
    y = rng.choice(3, size=600, p=[0.7, 0.2, 0.1])
    X[:, 0] += y
    X_dask, y_dask = _arrays(X, y, 170)
    reference = EditedNearestNeighbours(n_neighbors=NearestNeighbors(n_neighbors=5),
                                        kind_sel="mode").fit_resample(X, y)[1]
    sampler = imbdask.EditedNearestNeighbours(n_neighbors=NearestNeighbors(n_neighbors=5),
                                              kind_sel="mode")
    np.testing.assert_array_equal(np.sort(sampler.fit_resample(X_dask, y_dask)[1].compute()),
                                  np.sort(reference))
    tomek = imbdask.TomekLinks(sampling_strategy=lambda labels: [0, 2])
    tomek.fit_resample(X_dask, y_dask)
    expected = TomekLinks(sampling_strategy=[0, 2])
    expected.fit_resample(X, y)
    np.testing.assert_array_equal(tomek.sample_indices_.compute(),
                                  np.sort(expected.sample_indices_))
    with pytest.raises(InvalidParameterError, match="n_neighbors estimator on Dask"):
        imbdask.EditedNearestNeighbours(
            n_neighbors=NearestNeighbors(n_neighbors=4, metric="manhattan")).fit_resample(
                X_dask, y_dask)
    with pytest.raises(TypeError, match="must return a list or dict"):
        imbdask.TomekLinks(sampling_strategy=lambda labels: 0).fit_resample(X_dask, y_dask)


# -- Self-paced Ensemble ---------------------------------------------------------------------

def test_self_paced_rounds_follow_the_rule(client):
    # Each round re-derived in memory: hardness under the members so far, equal-width bins,
    # quotas by 1 / (mean hardness + alpha); the sample holds every positive and exactly the
    # quota of negatives from each bin; the member is the in-memory fit on those rows.
    from imbtool.utils._self_paced import bin_quotas, bin_shares, hardness_bins

    X, y = _data(n=4000)
    clf = imbdask.SelfPacedEnsembleClassifier(n_estimators=5, k_bins=4, random_state=0)
    clf.fit(*_arrays(X, y, 900))
    negatives = np.flatnonzero(y == 0)
    running = np.zeros(len(y))
    for i, (member, sample, log) in enumerate(zip(clf.estimators_, clf.samples_,
                                                  clf.training_log_, strict=True)):
        assert np.isin(np.flatnonzero(y == 1), sample).all()
        hardness = running[negatives] / i if i else np.zeros(negatives.size)
        drawn = np.isin(negatives, sample)
        if hardness.max() > hardness.min():
            bins = hardness_bins(hardness, hardness.min(), hardness.max(), 4)
            population = np.bincount(bins, minlength=4)
            shares = bin_shares(population, np.bincount(bins, weights=hardness, minlength=4),
                                log["alpha"])
            quota = np.minimum(bin_quotas(shares, int(y.sum())), population)
            np.testing.assert_array_equal(np.bincount(bins[drawn], minlength=4), quota)
            np.testing.assert_array_equal(log["quota"], quota)
        else:
            assert drawn.sum() == y.sum()
        assert log["n_samples"] == sample.size == y.sum() + drawn.sum()
        twin = DecisionTreeClassifier(random_state=member.random_state).fit(X[sample],
                                                                            y[sample])
        np.testing.assert_array_equal(member.tree_.threshold, twin.tree_.threshold)
        running += twin.predict_proba(X)[:, 1]
    assert clf.training_log_[1]["alpha"] > 0 and clf.pos_label_ == 1


def test_self_paced_does_not_depend_on_partitioning(client):
    X, y = _data(n=3000)
    results = []
    for data in (_arrays(X, y, 3000), _arrays(X, y, 431), _frames(X, y, 6)):
        clf = imbdask.SelfPacedEnsembleClassifier(n_estimators=4, random_state=3).fit(*data)
        proba = clf.predict_proba(data[0]).compute()
        results.append((np.asarray(proba), clf.samples_))
    for proba, samples in results[1:]:
        np.testing.assert_array_equal(proba, results[0][0])
        for got, expected in zip(samples, results[0][1], strict=True):
            np.testing.assert_array_equal(got, expected)
    with dask.config.set(scheduler="sync"):
        local = imbdask.SelfPacedEnsembleClassifier(n_estimators=4, random_state=3)
        local.fit(*_arrays(X, y, 500))
        np.testing.assert_array_equal(local.samples_[-1], results[0][1][-1])


def test_self_paced_refuses_what_it_cannot_do(client):
    X, y = _data(n=1000)
    with pytest.raises(ValueError, match=r"member's sample \(\d+ rows x 3 columns"):
        imbdask.SelfPacedEnsembleClassifier(n_estimators=1, max_sample_bytes=64).fit(
            *_arrays(X, y, 250))
    X3, y3 = _data(n=1000, n_classes=3)
    with pytest.raises(ValueError, match="takes two classes; y has 3"):
        imbdask.SelfPacedEnsembleClassifier().fit(*_arrays(X3, y3, 250))
    for name in ("replacement", "soft_resample", "soft_resample_flag"):
        with pytest.raises(InvalidParameterError, match=f"{name}=True is not available"):
            imbdask.SelfPacedEnsembleClassifier(**{name: True}).fit(*_arrays(X, y, 250))


def test_self_paced_n_jobs_and_verbose(client, capsys):
    # n_jobs goes to a member left at n_jobs=None, as in memory; verbose prints each round.
    X, y = _data(n=600)
    clf = imbdask.SelfPacedEnsembleClassifier(KNeighborsClassifier(), n_estimators=2, n_jobs=2,
                                              verbose=1, random_state=0)
    clf.fit(*_arrays(X, y, 200))
    assert [m.n_jobs for m in clf.estimators_] == [2, 2]
    assert capsys.readouterr().out.startswith("round=0 alpha=0")


# -- A worker lost mid-fit -------------------------------------------------------------------

@pytest.fixture(scope="module")
def killable():
    # Worker processes that a task may kill (SIGKILL: no clean-up, as when a machine is lost).
    # One retry: enough for a task lost once, and a task that kills every worker running it
    # is given up on after two deaths.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True,
            dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


@pytest.mark.slow
def test_a_lost_worker_gives_a_complete_fit_or_an_error(killable, tmp_path):
    # A member whose fit kills the worker process running it: once, Dask restarts the worker
    # and reruns the task and the fit completes with the same members as a clean fit;
    # always, Dask gives up (KilledWorker) and the ensemble keeps its previous fit whole,
    # never half of a new one.
    import os
    import signal

    from distributed.scheduler import KilledWorker

    class KillsItsWorker(ClassifierMixin, BaseEstimator):
        def __init__(self, flag="", always=False, random_state=None):
            self.flag = flag
            self.always = always
            self.random_state = random_state

        def fit(self, X, y):
            if self.always or _first_to_create(self.flag):
                os.kill(os.getpid(), signal.SIGKILL)
            self.tree_ = DecisionTreeClassifier(random_state=self.random_state).fit(X, y)
            self.classes_ = self.tree_.classes_
            return self

        def predict_proba(self, X):
            return self.tree_.predict_proba(X)

    def _first_to_create(path):
        # Atomic: two members' fits that start together on the two workers must not both
        # find no flag and both kill. The task of the first, re-run on the other worker
        # while that one dies too, would count two deaths, and Dask would give up on a fit
        # that loses one worker (under load, the window between a check and the write was
        # wide enough).
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True

    X, y = _data(n=2000)
    X_dask, y_dask = _arrays(X, y, 500)
    flag = str(tmp_path / "killed")
    clf = imbdask.UnderBaggingClassifier(KillsItsWorker(flag), n_estimators=3,
                                         random_state=0).fit(X_dask, y_dask)
    assert os.path.exists(flag)  # a worker was killed during this fit
    members, samplers = clf.estimators_, clf.samplers_
    clf.set_params(estimator=KillsItsWorker(flag, always=True), random_state=1)
    with pytest.raises(KilledWorker):
        clf.fit(X_dask, y_dask)
    assert clf.estimators_ is members and clf.samplers_ is samplers
    # The completed fit is the clean one: each member the tree fitted on its sampler's rows.
    with dask.config.set(scheduler="sync"):
        expected = np.zeros((len(y), 2))
        for member, sampler in zip(members, samplers, strict=True):
            index = sampler.sample_indices_.compute()
            twin = DecisionTreeClassifier(random_state=sampler.random_state).fit(X[index],
                                                                                 y[index])
            np.testing.assert_array_equal(member.tree_.tree_.threshold, twin.tree_.threshold)
            expected += twin.predict_proba(X) / 3
        np.testing.assert_allclose(clf.predict_proba(X_dask).compute(), expected, rtol=1e-12)


@pytest.mark.parametrize("name, params, fitted", [
    ("RandomUnderSampler", {"random_state": 0},
     ("classes_", "class_counts_", "sampling_strategy_", "class_weight_", "sample_indices_")),
    ("SMOTE", {"random_state": 0},
     ("class_counts_", "sampling_strategy_", "synthetic_sources_", "synthetic_steps_")),
    ("TomekLinks", {}, ("sampling_strategy_", "removed_indices_", "sample_indices_")),
    ("PriorCorrectedClassifier", {}, ("sampler_", "estimator_", "training_prior_")),
    ("SelfPacedEnsembleClassifier", {"n_estimators": 2, "random_state": 0},
     ("estimators_", "samples_", "training_log_")),
])
def test_a_fit_given_up_on_leaves_the_previous_fit_whole(client, tmp_path, name, params,
                                                         fitted):
    # y whose partitions fail once y has been read once whole, as a task does that Dask
    # gives up on (the lost-worker test above kills the worker; a raising task costs no
    # worker restart): the class counts of the fit succeed, its next distributed step (the
    # key search, the gathering, the neighbour search, the first member) fails. No
    # attribute of the previous fit may change.
    import os

    counter = str(tmp_path / "reads")

    class GivenUp(RuntimeError):
        pass

    def fail_after_one_pass(block, n_blocks):
        if not block.size:  # Dask's call on an empty block to learn the output's type
            return block
        with open(counter, "a") as f:
            f.write(".")
        if os.path.getsize(counter) > n_blocks:
            raise GivenUp("a task given up on")
        return block

    X, y = _data(n=1200)
    X_dask, y_dask = _arrays(X, y, 300)
    estimator = getattr(imbdask, name)(**params)
    fit = estimator.fit if hasattr(estimator, "fit") else estimator.fit_resample
    fit(X_dask, y_dask)
    before = {attribute: getattr(estimator, attribute) for attribute in fitted}
    failing = y_dask.map_blocks(fail_after_one_pass, y_dask.numblocks[0], dtype=y.dtype)
    with pytest.raises(GivenUp):
        fit(X_dask[::-1].rechunk(300), failing)
    assert os.path.getsize(counter) > y_dask.numblocks[0]
    for attribute, value in before.items():
        assert getattr(estimator, attribute) is value, attribute
