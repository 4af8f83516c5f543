"""imbtool.over_sampling: geometry of every synthetic row, agreement with imbalanced-learn
on real KEEL data, estimator contracts and bad input."""

import pickle
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn import over_sampling as imb
from imblearn.pipeline import Pipeline
from imblearn.utils import estimator_checks as imb_checks
from scipy.spatial.distance import cdist
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from imbtool.datasets import load_dataset
from imbtool.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)

NUMERIC = [SMOTE, BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE, RandomOverSampler]


def _data(seed, n_min, n_maj, d, dtype, n_classes=2):
    """Overlapping Gaussian classes, so that border and hard samples exist."""
    rng = np.random.default_rng(seed)
    sizes = [n_maj] + [n_min] * (n_classes - 1)
    X = np.vstack([rng.normal(0.6 * c, 1.0, size=(m, d)) for c, m in enumerate(sizes)])
    y = np.repeat(np.arange(n_classes), sizes)
    order = rng.permutation(y.size)
    return np.ascontiguousarray(X[order], dtype=dtype), y[order]


def _kth_distance(X, seed, candidates, k):
    d = np.sqrt(((X[candidates].astype(np.float64) - X[seed]) ** 2).sum(axis=1))
    d = d[candidates != seed]
    return np.sort(d)[k - 1]


def _check_segments(X, y, X_res, sources, k, lo, hi, among_all=False):
    """Each synthetic row = seed + t (partner - seed), t in [lo, hi], partner a k-neighbour."""
    X64 = X.astype(np.float64)
    tol = 1e-5 if X.dtype == np.float32 else 1e-9
    for new, (s, p) in zip(X_res[X.shape[0]:].astype(np.float64), sources):
        label = y[s]
        cand = np.arange(y.size) if among_all else np.flatnonzero(y == label)
        assert p != s and p in cand
        dist = np.sqrt(((X64[p] - X64[s]) ** 2).sum())
        assert dist <= _kth_distance(X, s, cand, k) * (1 + 1e-9) + 1e-12
        direction = X64[p] - X64[s]
        norm2 = direction @ direction
        t = 0.0 if norm2 == 0 else (new - X64[s]) @ direction / norm2
        scale = 1.0 + np.abs(X64[s]).max() + np.abs(X64[p]).max()
        assert np.abs(new - (X64[s] + t * direction)).max() <= tol * scale
        assert lo - tol <= t <= hi + tol


def _expected_counts(y, sampler):
    counts = Counter(y.tolist())
    for label, n in sampler.sampling_strategy_.items():
        counts[label] += n
    return counts


def _check_contract(X, y, X_res, y_res, sampler):
    n = X.shape[0]
    assert X_res.dtype == X.dtype
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(y_res[:n], y)
    assert Counter(y_res.tolist()) == _expected_counts(y, sampler)
    np.testing.assert_array_equal(sampler.sample_indices_, np.arange(n))
    assert sampler.synthetic_sources_.shape == (y_res.size - n, 2)
    np.testing.assert_array_equal(y[sampler.synthetic_sources_[:, 0]], y_res[n:])


data_params = dict(
    seed=st.integers(0, 2**31 - 1),
    n_min=st.integers(12, 40),
    n_maj=st.integers(60, 120),
    d=st.integers(1, 4),
    dtype=st.sampled_from([np.float64, np.float32]),
    n_classes=st.sampled_from([2, 3]),
    strategy=st.sampled_from(["auto", "all", "dict"]),
)


def _strategy(strategy, y):
    if strategy != "dict":
        return strategy
    counts = np.bincount(y)
    return {int(c): int(counts.max() + 7 * c) for c in range(1, counts.size)}


@settings(max_examples=15, deadline=None)
@given(k=st.integers(1, 6), **data_params)
def test_smote_rows_lie_on_segments_to_minority_neighbours(k, seed, n_min, n_maj, d, dtype,
                                                           n_classes, strategy):
    X, y = _data(seed, n_min, n_maj, d, dtype, n_classes)
    X_in = X.copy()
    sampler = SMOTE(k_neighbors=k, random_state=seed, sampling_strategy=_strategy(strategy, y))
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X, X_in)
    _check_contract(X, y, X_res, y_res, sampler)
    _check_segments(X, y, X_res, sampler.synthetic_sources_, k, 0.0, 1.0)


def _brute_neighbors(X, rows, among, k):
    """k nearest of ``among`` for each of ``rows``, itself excluded, ties to the lower index."""
    d = cdist(X[rows].astype(np.float64), X[among].astype(np.float64), "sqeuclidean")
    d[rows[:, None] == among[None, :]] = np.inf
    return among[np.argsort(d, axis=1, kind="stable")[:, :k]]


def _in_danger(X, y, rows, m):
    ind = _brute_neighbors(X, np.asarray(rows), np.arange(y.size), m)
    return (y[ind] != y[rows][:, None]).sum(axis=1), m


@settings(max_examples=12, deadline=None)
@given(kind=st.sampled_from(["borderline-1", "borderline-2"]), **data_params)
def test_borderline_seeds_are_in_danger_and_rows_on_segments(kind, seed, n_min, n_maj, d, dtype,
                                                             n_classes, strategy):
    X, y = _data(seed, n_min, n_maj, d, dtype, n_classes)
    sampler = BorderlineSMOTE(kind=kind, random_state=seed, m_neighbors=8,
                              sampling_strategy=_strategy(strategy, y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a class with no sample in danger
        X_res, y_res = sampler.fit_resample(X, y)
    n = X.shape[0]
    np.testing.assert_array_equal(X_res[:n], X)
    assert X_res.dtype == X.dtype
    sources = sampler.synthetic_sources_
    for label, danger in sampler.in_danger_indices_.items():
        other, m = _in_danger(X, y, danger, 8)
        assert np.all((other >= m / 2) & (other < m))
        assert np.count_nonzero(y_res == label) == _expected_counts(y, sampler)[label]
    if sources.size:
        in_danger = np.concatenate(list(sampler.in_danger_indices_.values()))
        assert np.isin(sources[:, 0], in_danger).all()
    if kind == "borderline-1":
        _check_segments(X, y, X_res, sources, 5, 0.0, 1.0)
    else:
        own = y[sources[:, 1]] == y[sources[:, 0]]
        new = X_res[n:]
        _check_segments(X, y, np.vstack([X, new[own]]), sources[own], 5, 0.0, 1.0, among_all=True)
        _check_segments(X, y, np.vstack([X, new[~own]]), sources[~own], 5, 0.0, 0.5,
                        among_all=True)


@settings(max_examples=12, deadline=None)
@given(**data_params)
def test_adasyn_seeds_have_foreign_neighbours_and_rows_on_segments(seed, n_min, n_maj, d, dtype,
                                                                  n_classes, strategy):
    X, y = _data(seed, n_min, n_maj, d, dtype, n_classes)
    sampler = ADASYN(random_state=seed, sampling_strategy=_strategy(strategy, y))
    X_res, y_res = sampler.fit_resample(X, y)
    _check_contract(X, y, X_res, y_res, sampler)
    seeds = sampler.synthetic_sources_[:, 0]
    other, _ = _in_danger(X, y, seeds, 5)
    assert other.min() > 0
    _check_segments(X, y, X_res, sampler.synthetic_sources_, 5, 0.0, 1.0)


@settings(max_examples=8, deadline=None)
@given(**data_params)
def test_svmsmote_seeds_are_support_vectors_and_rows_on_lines(seed, n_min, n_maj, d, dtype,
                                                             n_classes, strategy):
    X, y = _data(seed, n_min, n_maj, d, dtype, n_classes)
    sampler = SVMSMOTE(random_state=seed, sampling_strategy=_strategy(strategy, y))
    X_res, y_res = sampler.fit_resample(X, y)
    _check_contract(X, y, X_res, y_res, sampler)
    sources = sampler.synthetic_sources_
    assert np.isin(sources[:, 0], sampler.svm_estimator_.support_).all()
    other, m = _in_danger(X, y, sources[:, 0], 10)
    assert other.max() < m
    inside = other >= m / 2
    new = X_res[X.shape[0]:]
    _check_segments(X, y, np.vstack([X, new[inside]]), sources[inside], 5, 0.0, 1.0)
    _check_segments(X, y, np.vstack([X, new[~inside]]), sources[~inside], 5, -0.5, 0.0)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), dtype=st.sampled_from([np.float64, np.float32]))
def test_kmeans_smote_rows_on_segments_within_a_cluster(seed, dtype):
    X, y = _data(seed, 60, 200, 2, dtype)
    sampler = KMeansSMOTE(kmeans_estimator=4, cluster_balance_threshold=0.1, random_state=seed,
                          n_jobs=1)
    X_res, y_res = sampler.fit_resample(X, y)
    _check_contract(X, y, X_res, y_res, sampler)
    clusters = sampler.kmeans_estimator_.labels_
    seeds, partners = sampler.synthetic_sources_.T
    np.testing.assert_array_equal(clusters[seeds], clusters[partners])
    for c in np.unique(clusters[seeds]):
        mine = clusters[seeds] == c
        members = np.flatnonzero((clusters == c) & (y == 1))
        X_c, y_c = X[members], y[members]
        remap = np.searchsorted(members, sampler.synthetic_sources_[mine])
        _check_segments(X_c, y_c, np.vstack([X_c, X_res[X.shape[0]:][mine]]), remap, 2, 0, 1)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), shrinkage=st.sampled_from([None, 0.0, 1.0, 3.0]),
       dtype=st.sampled_from([np.float64, np.float32]))
def test_random_over_sampler_copies_or_perturbs_class_rows(seed, shrinkage, dtype):
    X, y = _data(seed, 15, 80, 3, dtype, 3)
    sampler = RandomOverSampler(shrinkage=shrinkage, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    n = X.shape[0]
    assert X_res.dtype == X.dtype and Counter(y_res.tolist()) == _expected_counts(y, sampler)
    np.testing.assert_array_equal(X_res[:n], X)
    if shrinkage is None:
        np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
        np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])
    else:
        src = sampler.synthetic_sources_
        assert (src[:, 1] == -1).all()
        np.testing.assert_array_equal(y[src[:, 0]], y_res[n:])
        if shrinkage == 0.0:
            np.testing.assert_array_equal(X_res[n:], X[src[:, 0]])


def _mixed_data(seed, n_min=15, n_maj=60):
    rng = np.random.default_rng(seed)
    n = n_min + n_maj
    X = pd.DataFrame({
        "x0": rng.normal(size=n),
        "c0": pd.Categorical(rng.choice(["a", "b", "c"], n)),
        "x1": rng.normal(size=n),
        "c1": rng.choice(np.array(["u", "v"], dtype=object), n),
    })
    return X, np.repeat([0, 1], [n_maj, n_min])


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 5))
def test_smotenc_numeric_on_segments_and_categories_voted_by_neighbours(seed, k):
    X, y = _mixed_data(seed)
    sampler = SMOTENC(k_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)
    assert list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    pd.testing.assert_frame_equal(X_res.iloc[:n], X)
    np.testing.assert_array_equal(sampler.categorical_features_, [1, 3])
    num = X[["x0", "x1"]].to_numpy()
    codes = np.column_stack([X["c0"].cat.codes, pd.factorize(X["c1"], sort=True)[0]])
    penalty = np.median(num[y == 1].std(axis=0))
    minority = np.flatnonzero(y == 1)
    for i, (s, p) in enumerate(sampler.synthetic_sources_):
        d2 = (((num[minority] - num[s]) ** 2).sum(1)
              + penalty**2 * (codes[minority] != codes[s]).sum(1))
        d2[minority == s] = np.inf
        assert d2[minority == p][0] <= np.sort(d2)[k - 1] * (1 + 1e-9) + 1e-12
        new = X_res.iloc[n + i]
        t = (new["x0"] - num[s, 0]) / (num[p, 0] - num[s, 0])
        np.testing.assert_allclose(num[s] + t * (num[p] - num[s]), [new["x0"], new["x1"]],
                                   rtol=1e-9, atol=1e-12)
        assert -1e-9 <= t <= 1 + 1e-9
        voters = minority[np.argsort(d2, kind="stable")[:k]]
        for col in ("c0", "c1"):
            counts = X[col].iloc[voters].value_counts()
            assert counts.get(new[col], 0) == counts.max()


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n_classes=st.sampled_from([2, 3]))
def test_smoten_rows_take_known_categories_and_match_imblearn(seed, n_classes):
    rng = np.random.default_rng(seed)
    X = rng.choice(np.array(["a", "b", "c", "d"], dtype=object), size=(90, 3))
    y = np.repeat(np.arange(n_classes), [90 - 12 * (n_classes - 1)] + [12] * (n_classes - 1))
    ours = SMOTEN(random_state=3).fit_resample(X, y)
    theirs = imb.SMOTEN(random_state=3).fit_resample(X, y)
    assert set(ours[0].ravel()) <= set(X.ravel())
    np.testing.assert_array_equal(ours[0][:90], X)
    np.testing.assert_array_equal(ours[1], theirs[1])
    # Equal distances may order differently between the two searches.
    assert (ours[0] == theirs[0]).mean() > 0.9


# ---------------------------------------------------------------- real data, vs imblearn

REAL = ["ecoli1", "yeast4", "glass1", "vehicle0", "haberman", "new_thyroid1"]


def _real(name):
    bunch = load_dataset(name)
    return bunch.data, bunch.target


def _without_ties(X, rows, k):
    """Whether every row's k + 1 nearest class rows (itself first) are unambiguous."""
    d = np.sort(cdist(X[rows], X[rows], "sqeuclidean"), axis=1)[:, : k + 2]
    return bool(np.all(np.diff(d, axis=1) > 0))


@pytest.mark.parametrize("name", REAL)
def test_smoothed_bootstrap_draws_imblearns_rows_with_its_scale(name):
    X, y = _real(name)
    ours = RandomOverSampler(shrinkage=1.0, random_state=0)
    theirs = imb.RandomOverSampler(shrinkage=1.0, random_state=0)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    n = len(X)
    np.testing.assert_array_equal(y_ours, y_theirs)
    # Binary: the same rows are drawn; only the Gaussian noise comes from another generator.
    np.testing.assert_array_equal(ours.synthetic_sources_[:, 0], theirs.sample_indices_[n:])
    np.testing.assert_array_equal(X_ours[:n], X_theirs[:n])
    noise_ours = X_ours[n:] - X[ours.synthetic_sources_[:, 0]]
    noise_theirs = X_theirs[n:] - X[theirs.sample_indices_[n:]]
    assert not np.array_equal(noise_ours, noise_theirs)
    varying = X[y == 1].std(axis=0) > 0
    ratio = noise_ours[:, varying].std(axis=0) / noise_theirs[:, varying].std(axis=0)
    # Hundreds of draws per column: two samples of one scale agree within ~25%.
    assert np.all(np.abs(ratio - 1) < 0.35), ratio


@pytest.mark.parametrize("name", REAL)
def test_smote_equals_imblearn_on_real_data(name):
    X, y = _real(name)
    ours = SMOTE(random_state=0).fit_resample(X, y)
    theirs = imb.SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(ours[1], theirs[1])
    if _without_ties(X, np.flatnonzero(y == 1), 5):
        np.testing.assert_array_equal(ours[0], theirs[0])
    else:  # equal distances (integer-valued data) may be ordered differently
        assert np.mean(np.all(ours[0] == theirs[0], axis=1)) > 0.9


@pytest.mark.parametrize("name", REAL)
@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_danger_set_and_output_match_imblearn(name, kind):
    X, y = _real(name)
    ours = BorderlineSMOTE(kind=kind, random_state=0)
    theirs = imb.BorderlineSMOTE(kind=kind, random_state=0)
    X_o, y_o = ours.fit_resample(X, y)
    X_t, y_t = theirs.fit_resample(X, y)
    rows = np.flatnonzero(y == 1)
    other, m = _in_danger(X, y, rows, 10)
    np.testing.assert_array_equal(ours.in_danger_indices_[1], rows[(other >= m / 2) & (other < m)])
    np.testing.assert_array_equal(y_o, y_t)
    if _without_ties(X, np.arange(y.size), 10):
        np.testing.assert_array_equal(ours.in_danger_indices_[1], theirs.in_danger_indices[1])
        same = np.all(np.isclose(X_o, X_t, rtol=1e-12, atol=1e-12), axis=1).mean()
        assert same > (0.999 if kind == "borderline-1" else 0.99), same
    else:  # integer-valued data: equal distances may be ordered differently
        diff = np.setxor1d(ours.in_danger_indices_[1], theirs.in_danger_indices[1])
        assert diff.size <= 0.05 * rows.size


@pytest.mark.parametrize("name", REAL)
def test_adasyn_seed_weights_match_the_rule(name):
    X, y = _real(name)
    sampler = ADASYN(random_state=0)
    X_o, y_o = sampler.fit_resample(X, y)
    rows = np.flatnonzero(y == 1)
    other, _ = _in_danger(X, y, rows, 5)
    per_seed = np.bincount(np.searchsorted(rows, sampler.synthetic_sources_[:, 0]),
                           minlength=rows.size)
    G = np.count_nonzero(y == 0) - rows.size
    assert np.all(other[per_seed > 0] > 0)
    assert np.abs(per_seed - other / other.sum() * G).max() < 1 and per_seed.sum() == G
    imb_counts = np.bincount(imb.ADASYN(random_state=0).fit_resample(X, y)[1])
    assert np.bincount(y_o)[1] == np.bincount(y_o)[0]
    assert abs(int(imb_counts[1]) - np.bincount(y_o)[1]) <= other.astype(bool).sum() / 2 + 1


@pytest.mark.parametrize("name", ["ecoli1", "glass1", "new_thyroid1"])
def test_svmsmote_equals_imblearn_on_real_data(name):
    X, y = _real(name)
    ours = SVMSMOTE(random_state=0).fit_resample(X, y)
    theirs = imb.SVMSMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(ours[1], theirs[1])
    assert np.all(np.isclose(ours[0], theirs[0], rtol=1e-12), axis=1).mean() > 0.9


def test_smotenc_matches_imblearn_on_german_credit():
    bunch = load_dataset("german", as_frame=True)
    X, y = bunch.data, bunch.target
    ours = SMOTENC(random_state=0).fit_resample(X, y)
    cat = np.flatnonzero(bunch.categorical_features)
    theirs = imb.SMOTENC(categorical_features=cat.tolist(), random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(np.asarray(ours[1]), np.asarray(theirs[1]))
    num = X.columns[~bunch.categorical_features]
    np.testing.assert_allclose(ours[0][num].to_numpy(), theirs[0][num].to_numpy(), rtol=1e-12)
    agree = (ours[0][X.columns[cat]].to_numpy() == theirs[0][X.columns[cat]].to_numpy()).mean()
    assert agree > 0.9  # votes with tied counts are broken at random


@pytest.mark.parametrize("sampler_cls", [SMOTE, BorderlineSMOTE, ADASYN])
def test_classifier_on_our_output_scores_like_on_imblearns(sampler_cls):
    """Mean ROC AUC over 3 folds of yeast4 with ours vs imblearn's output, within 0.02."""
    X, y = _real("yeast4")
    peer = getattr(imb, sampler_cls.__name__)
    scores = {"ours": [], "imblearn": []}
    for train, test in StratifiedKFold(3, shuffle=True, random_state=0).split(X, y):
        scaler = StandardScaler().fit(X[train])
        for key, sampler in (("ours", sampler_cls(random_state=1)),
                             ("imblearn", peer(random_state=1))):
            X_r, y_r = sampler.fit_resample(scaler.transform(X[train]), y[train])
            clf = LogisticRegression(max_iter=2000).fit(X_r, y_r)
            scores[key].append(
                roc_auc_score(y[test], clf.decision_function(scaler.transform(X[test]))))
    assert abs(np.mean(scores["ours"]) - np.mean(scores["imblearn"])) < 0.02, scores


# ---------------------------------------------------------------- estimator contracts


def test_pipeline_and_grid_search():
    X, y = _real("ecoli1")
    pipe = Pipeline([("sampler", SMOTE(random_state=0)),
                     ("clf", LogisticRegression(max_iter=1000))])
    grid = GridSearchCV(pipe, {"sampler__k_neighbors": [3, 5]}, cv=3, scoring="roc_auc")
    grid.fit(X, y)
    assert grid.best_params_["sampler__k_neighbors"] in (3, 5)
    assert grid.best_score_ > 0.8


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), ADASYN(random_state=0),
                                     RandomOverSampler(random_state=0, shrinkage=1.0)])
def test_pandas_in_pandas_out(sampler):
    X, y = _real("glass1")
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    y_s = pd.Series(y, name="label")
    X_res, y_res = sampler.fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X_df.columns) and y_res.name == "label"
    np.testing.assert_array_equal(sampler.feature_names_in_, X_df.columns)
    np.testing.assert_array_equal(X_res.to_numpy(), sampler.fit_resample(X, y)[0])


def _all_samplers(seed):
    return [SMOTE(random_state=seed), BorderlineSMOTE(random_state=seed),
            BorderlineSMOTE(kind="borderline-2", random_state=seed), SVMSMOTE(random_state=seed),
            ADASYN(random_state=seed), KMeansSMOTE(random_state=seed, kmeans_estimator=3, n_jobs=1,
                                                   cluster_balance_threshold=0.05),
            RandomOverSampler(random_state=seed, shrinkage=0.5)]


@pytest.mark.parametrize("sampler", _all_samplers(0), ids=repr)
def test_pickle_and_n_jobs_give_identical_output(sampler):
    X, y = _real("yeast1")
    ref = sampler.set_params(**({"n_jobs": 1} if "n_jobs" in sampler.get_params() else {})) \
        .fit_resample(X, y)[0]
    restored = pickle.loads(pickle.dumps(sampler))
    for n_jobs in (2,):
        if "n_jobs" in restored.get_params():
            restored.set_params(n_jobs=n_jobs)
        np.testing.assert_array_equal(restored.fit_resample(X, y)[0], ref)
    np.testing.assert_array_equal(restored.synthetic_sources_, sampler.synthetic_sources_)


def test_nominal_samplers_pickle_and_threads():
    X, y = _mixed_data(0, 20, 80)
    for sampler in (SMOTENC(random_state=0), SMOTEN(random_state=0)):
        data = X if isinstance(sampler, SMOTENC) else X[["c0", "c1"]].astype(object).to_numpy()
        ref = sampler.set_params(n_jobs=1).fit_resample(data, y)[0]
        again = pickle.loads(pickle.dumps(sampler)).set_params(n_jobs=2).fit_resample(data, y)[0]
        np.testing.assert_array_equal(np.asarray(again), np.asarray(ref))


@pytest.mark.parametrize("sampler_cls", [SMOTE, BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE])
def test_float32_stays_float32(sampler_cls):
    X, y = _real("vehicle0")
    sampler = sampler_cls(random_state=0)
    if sampler_cls is KMeansSMOTE:
        sampler.set_params(kmeans_estimator=3, cluster_balance_threshold=0.05, n_jobs=1)
    X_res, _ = sampler.fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("sampler, name", [
    (SMOTE(k_neighbors=5), "k_neighbors=5"),
    (BorderlineSMOTE(k_neighbors=5), "k_neighbors=5"),
    (ADASYN(n_neighbors=5), "n_neighbors=5"),
    (SVMSMOTE(k_neighbors=5, m_neighbors=3), "k_neighbors=5"),
    (SMOTEN(k_neighbors=5), "k_neighbors=5"),
])
def test_too_few_minority_samples_names_class_and_count(sampler, name):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    X[-4:] += 0.3
    y = np.r_[np.zeros(36, int), np.full(4, 7)]
    if isinstance(sampler, SMOTEN):
        X = np.where(X > 0, "p", "n").astype(object)
    with pytest.raises(ValueError, match=rf"{name} needs at least 6 samples in class 7.*only 4"):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize("sampler_cls", [SMOTE, BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_are_rejected(sampler_cls, bad):
    X, y = _real("ecoli1")
    X = X.copy()
    X[3, 2] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        sampler_cls().fit_resample(X, y)


@pytest.mark.parametrize("sampler_cls", [SMOTE, ADASYN, RandomOverSampler, SMOTENC])
def test_strategy_errors(sampler_cls):
    X, y = _real("ecoli1")
    if sampler_cls is SMOTENC:
        X = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        X = X.assign(cat=pd.Categorical(np.where(X["f0"] > 0.5, "hi", "lo")))
    with pytest.raises(ValueError, match="more than 1 class"):
        sampler_cls().fit_resample(X, np.zeros(len(y), int))
    with pytest.raises(ValueError, match="not present in the data"):
        sampler_cls(sampling_strategy={5: 300}).fit_resample(X, y)
    with pytest.raises(ValueError, match="greater or equal to the original number"):
        sampler_cls(sampling_strategy={1: 10}).fit_resample(X, y)


def test_smotenc_without_nominal_columns_explains():
    X, y = _real("ecoli1")
    with pytest.raises(ValueError, match="pandas DataFrame by dtype"):
        SMOTENC().fit_resample(X, y)
    with pytest.raises(ValueError, match="no nominal column"):
        SMOTENC().fit_resample(pd.DataFrame(X), y)
    with pytest.raises(ValueError, match="use SMOTEN"):
        SMOTENC(categorical_features=list(range(X.shape[1]))).fit_resample(X, y)


def test_borderline_without_danger_warns():
    X = np.r_[np.zeros((30, 2)), np.full((10, 2), 50.0) + np.arange(10)[:, None]]
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.warns(UserWarning, match="No sample of class 1 is in danger"):
        X_res, _ = BorderlineSMOTE().fit_resample(X, y)
    assert X_res.shape == X.shape


# ---------------------------------------------------------------- imblearn's sampler checks

_SAMPLER_CHECKS = [getattr(imb_checks, name) for name in (
    "check_samplers_fit", "check_samplers_one_label", "check_samplers_fit_resample",
    "check_samplers_sampling_strategy_fit_resample", "check_samplers_pandas",
    "check_samplers_list", "check_samplers_multiclass_ova", "check_samplers_2d_target",
    "check_samplers_preserve_dtype", "check_samplers_sample_indices", "check_samplers_nan")]


_CHECK_CASES = [(sampler, check) for sampler in (
    SMOTE(random_state=0), BorderlineSMOTE(random_state=0), ADASYN(random_state=0),
    RandomOverSampler(random_state=0)) for check in _SAMPLER_CHECKS
    # imblearn runs its NaN check only on samplers tagged allow_nan (RandomOverSampler).
    if check is not imb_checks.check_samplers_nan or isinstance(sampler, RandomOverSampler)]


@pytest.mark.parametrize("sampler, check", _CHECK_CASES,
                         ids=[f"{type(s).__name__}-{c.__name__}" for s, c in _CHECK_CASES])
def test_imblearn_sampler_checks(sampler, check):
    check(type(sampler).__name__, sampler)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_smoothed_bootstrap_noise_has_the_documented_scale(dtype):
    rng = np.random.default_rng(0)
    X = (rng.normal(size=(5000, 4)) * [1.0, 3.0, 0.5, 10.0]).astype(dtype)
    y = np.repeat([0, 1], [4000, 1000])
    sampler = RandomOverSampler(shrinkage=2.0, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    src = sampler.synthetic_sources_[:, 0]
    noise = X_res[len(X):].astype(np.float64) - X[src]
    n, d = X.shape
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    expected = 2.0 * h * X[y == 1].std(axis=0)
    # 3,000 draws per feature: the sample std is within ~4% of the true one.
    np.testing.assert_allclose(noise.std(axis=0), expected, rtol=0.06)
    np.testing.assert_allclose(noise.mean(axis=0), 0, atol=0.1 * expected.max())
    again, _ = RandomOverSampler(shrinkage=2.0, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(again, X_res)


@pytest.mark.parametrize("threads", [1, 2])
def test_smoothed_noise_does_not_depend_on_the_thread_count(monkeypatch, threads):
    import numba

    import imbtool.utils._threads as threads_module
    from imbtool.utils._normal import NOISE_ROWS

    if threads > numba.config.NUMBA_NUM_THREADS:
        pytest.skip(f"numba has {numba.config.NUMBA_NUM_THREADS} thread(s) here")
    X, y = _real("yeast1")
    X = np.repeat(X, 80, axis=0)  # 118,720 rows, ~50,000 new: several noise streams
    y = np.repeat(y, 80)
    reference = RandomOverSampler(shrinkage=1.0, random_state=3).fit_resample(X, y)[0]
    monkeypatch.setattr(threads_module, "n_threads", lambda n_jobs: threads)
    out = RandomOverSampler(shrinkage=1.0, random_state=3).fit_resample(X, y)[0]
    np.testing.assert_array_equal(out, reference)
    assert out.shape[0] - X.shape[0] > 2 * NOISE_ROWS
