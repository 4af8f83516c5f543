"""The over-samplers beyond imbalanced-learn: contract, geometry, real data, bad input.

Geometry is checked against neighbours recomputed with scikit-learn (exact
brute force) on continuous random data, where ties have probability zero.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTE
from imblearn.utils import check_sampling_strategy
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import NearestNeighbors as SkNN
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbtool.datasets import load_dataset
from imbtool.over_sampling._gsmote import GeometricSMOTE
from imbtool.over_sampling._lee import LeeSMOTE
from imbtool.over_sampling._mwmote import MWMOTE
from imbtool.over_sampling._polynom import PolynomFitSMOTE
from imbtool.over_sampling._prowsyn import ProWSyn
from imbtool.over_sampling._safe_level import SafeLevelSMOTE
from imbtool.over_sampling._smobd import SMOBD
from imbtool.over_sampling._smote_ipf import SMOTEIPF

EXACT_COUNT = {
    "LeeSMOTE": LeeSMOTE,
    "SafeLevelSMOTE": SafeLevelSMOTE,
    "ProWSyn": ProWSyn,
    "MWMOTE": MWMOTE,
    "GeometricSMOTE": GeometricSMOTE,
    "SMOBD": SMOBD,
    "star": lambda **kw: PolynomFitSMOTE(topology="star", **kw),
    "bus": lambda **kw: PolynomFitSMOTE(topology="bus", **kw),
    "mesh": lambda **kw: PolynomFitSMOTE(topology="mesh", **kw),
    "polynomial": lambda **kw: PolynomFitSMOTE(topology="polynomial", **kw),
}
ALL = {**EXACT_COUNT, "SMOTEIPF": SMOTEIPF}
FAST = settings(max_examples=12, deadline=None)


def _data(seed, n_major=60, n_minor=14, n_features=3, dtype=np.float64, n_classes=2):
    rng = np.random.default_rng(seed)
    sizes = [n_major] + [n_minor] * (n_classes - 1)
    X = np.vstack([rng.normal(loc=0.8 * c, size=(n, n_features)) for c, n in enumerate(sizes)])
    y = np.repeat(np.arange(n_classes), sizes)
    return X.astype(dtype), y


def _synthetic(X, X_res):
    return X_res[X.shape[0]:]


@pytest.mark.parametrize("name", EXACT_COUNT)
@FAST
@given(seed=st.integers(0, 10_000), n_minor=st.integers(8, 25),
       ratio=st.sampled_from([0.5, 1.0, "auto", "dict"]),
       dtype=st.sampled_from([np.float32, np.float64]), n_classes=st.sampled_from([2, 3]))
def test_originals_first_and_counts_as_asked(name, seed, n_minor, ratio, dtype, n_classes):
    X, y = _data(seed, n_minor=n_minor, dtype=dtype, n_classes=n_classes)
    if ratio == "dict":
        ratio = {c: 60 + c for c in range(1, n_classes)}
    elif n_classes == 3 and isinstance(ratio, float):
        ratio = "not majority"
    X_in, y_in = X.copy(), y.copy()
    sampler = EXACT_COUNT[name](sampling_strategy=ratio, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # LeeSMOTE's level-raising notice
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.array_equal(X, X_in) and np.array_equal(y, y_in)
    assert X_res.dtype == dtype
    n = X.shape[0]
    assert np.array_equal(X_res[:n], X) and np.array_equal(y_res[:n], y)
    assert np.array_equal(sampler.sample_indices_, np.arange(n))
    wanted = check_sampling_strategy(ratio, y, "over-sampling")
    counts = dict(zip(*np.unique(y_res, return_counts=True)))
    for label in np.unique(y):
        assert counts[label] == (y == label).sum() + wanted.get(label, 0)
    sources = sampler.synthetic_sources_
    assert sources.shape == (X_res.shape[0] - n, 2) and sources.dtype == np.int64
    # Every seed is a sample of the class it was made for.
    assert np.array_equal(y[sources[:, 0]], y_res[n:])
    assert np.isfinite(X_res).all()


def _segment_gap(seed, partner, point):
    """Position of ``point`` on the segment seed->partner and its distance off the line."""
    d = partner - seed
    g = np.einsum("ij,ij->i", point - seed, d) / np.maximum(np.einsum("ij,ij->i", d, d), 1e-300)
    off = np.linalg.norm(seed + g[:, None] * d - point, axis=1)
    return g, off


def _minority_neighbors(X, rows, k):
    nn = SkNN(n_neighbors=k + 1).fit(X[rows])
    ind = nn.kneighbors(X[rows], return_distance=False)[:, 1:]
    return {r: set(rows[ind[i]]) for i, r in enumerate(rows)}


@pytest.mark.parametrize("name", ["LeeSMOTE", "ProWSyn", "MWMOTE", "SMOBD", "bus", "mesh"])
@FAST
@given(seed=st.integers(0, 10_000))
def test_segment_methods_put_points_on_their_segment(name, seed):
    X, y = _data(seed, n_minor=20)
    sampler = EXACT_COUNT[name](random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        X_res, _ = sampler.fit_resample(X, y)
    seeds, partners = sampler.synthetic_sources_.T
    new = _synthetic(X, X_res)
    paired = partners >= 0
    g, off = _segment_gap(X[seeds[paired]], X[partners[paired]], new[paired])
    assert (off < 1e-9).all() and (g > -1e-12).all() and (g < 1 + 1e-12).all()
    assert np.array_equal(new[~paired], X[seeds[~paired]])
    assert (y[partners[paired]] == 1).all()
    if name in ("LeeSMOTE", "SMOBD"):
        # Partners are the seed's minority neighbours; no accepted point sits mostly among
        # the majority (the level can only have been raised with a warning).
        neighbors = _minority_neighbors(X, np.flatnonzero(y == 1), 5)
        assert all(p in neighbors[s] for s, p in zip(seeds, partners))


def _proximity_levels_bruteforce(X, y, K, L):
    left = list(np.flatnonzero(y == 1))
    level = {}
    for lev in range(1, L):
        if not left:
            break
        d = np.linalg.norm(X[y == 0][:, None] - X[left][None], axis=2)
        nearest = np.argsort(d, axis=1, kind="stable")[:, :min(K, len(left))]
        hit = set(np.array(left)[nearest].ravel())
        level.update({r: lev for r in hit})
        left = [r for r in left if r not in hit]
    level.update({r: L for r in left})
    return level


@FAST
@given(seed=st.integers(0, 10_000), K=st.integers(1, 4), L=st.integers(1, 5))
def test_prowsyn_partners_share_the_seed_proximity_level(seed, K, L):
    X, y = _data(seed, n_minor=20)
    sampler = ProWSyn(n_neighbors=K, L=L, random_state=seed)
    try:
        sampler.fit_resample(X, y)
    except ValueError as exc:
        assert "single sample" in str(exc)
        return
    level = _proximity_levels_bruteforce(X, y, K, L)
    seeds, partners = sampler.synthetic_sources_.T
    assert all(level[s] == level[p] and s != p for s, p in zip(seeds, partners))
    # theta=1: level-1 samples (boundary) seed more on average than the deepest level.
    if L > 1 and sum(v == 1 for v in level.values()) > 1:
        per_seed = np.bincount(seeds, minlength=X.shape[0])
        lv = np.array([level.get(i, 0) for i in range(X.shape[0])])
        deep = lv == max(level.values())
        if deep.sum() > 1 and max(level.values()) > 1:
            assert per_seed[lv == 1].mean() > per_seed[deep].mean()


@FAST
@given(seed=st.integers(0, 10_000), k=st.integers(2, 6))
def test_safe_level_gap_rules(seed, k):
    X, y = _data(seed, n_minor=20)
    sampler = SafeLevelSMOTE(k_neighbors=k, random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    around = SkNN(n_neighbors=k + 1).fit(X).kneighbors(X[minority], return_distance=False)[:, 1:]
    level = dict(zip(minority, (y[around] == 1).sum(axis=1)))
    neighbors = _minority_neighbors(X, minority, k)
    new = _synthetic(X, X_res)
    for (s, p), point in zip(sampler.synthetic_sources_, new):
        if p < 0:  # partner of safe level 0: a copy of the seed
            assert np.array_equal(point, X[s]) and level[s] > 0
            continue
        assert p in neighbors[s]
        slp, sln = level[s], level[p]
        assert sln > 0
        lo, hi = ((0.0, 1.0) if slp == sln
                  else (0.0, sln / slp) if slp > sln else (1 - slp / sln, 1.0))
        d = X[p] - X[s]
        moved = d != 0
        gap = (point[moved] - X[s][moved]) / d[moved]
        assert (gap >= lo - 1e-9).all() and (gap <= hi + 1e-9).all()


@FAST
@given(seed=st.integers(0, 10_000), truncation=st.floats(-1, 1), deformation=st.floats(0, 1),
       strategy=st.sampled_from(["combined", "majority", "minority"]))
def test_gsmote_points_lie_in_the_geometric_region(seed, truncation, deformation, strategy):
    X, y = _data(seed, n_minor=15)
    sampler = GeometricSMOTE(truncation_factor=truncation, deformation_factor=deformation,
                             selection_strategy=strategy, random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    centers, surfaces = sampler.synthetic_sources_.T
    c, s, p = X[centers], X[surfaces], _synthetic(X, X_res)
    radius = np.linalg.norm(s - c, axis=1)
    axis = (s - c) / radius[:, None]
    z = (p - c) / radius[:, None]
    along = np.einsum("ij,ij->i", z, axis)
    perp = np.linalg.norm(z - along[:, None] * axis, axis=1)
    tol = 1e-9
    # Inside the ellipsoid with semi-axes 1 (along) and 1 - deformation (across), written
    # without dividing by 1 - deformation: deformation 0.9999999999999999 makes that ~1e-16.
    assert (np.abs(along) <= 1 + tol).all()
    assert (perp <= (1 - deformation) * np.sqrt(np.clip(1 - along ** 2, 0, None)) + 1e-7).all()
    if truncation > 0:
        assert (along >= truncation - 1 - tol).all()
    elif truncation < 0:
        assert (along <= truncation + 1 + tol).all()
    # Surface rule, against brute-force neighbours.
    minority = np.flatnonzero(y == 1)
    neighbors = _minority_neighbors(X, minority, 5)
    nearest_major = np.flatnonzero(y == 0)[
        SkNN(n_neighbors=1).fit(X[y == 0]).kneighbors(X[centers], return_distance=False)[:, 0]]
    if strategy == "majority":
        assert np.array_equal(surfaces, nearest_major)
    elif strategy == "minority":
        assert all(t in neighbors[ctr] for ctr, t in zip(centers, surfaces))
    else:
        major_dist = np.linalg.norm(X[nearest_major] - c, axis=1)
        own = y[surfaces] == 1
        assert all(t in neighbors[ctr] for ctr, t in zip(centers[own], surfaces[own]))
        assert np.array_equal(surfaces[~own], nearest_major[~own])
        assert (radius[own] <= major_dist[own] + 1e-9).all()
        assert (radius[~own] <= np.linalg.norm(X[surfaces[~own]] - c[~own], axis=1) + 1e-9).all()


@FAST
@given(seed=st.integers(0, 10_000), n_minor=st.integers(5, 30))
def test_polynom_star_points_evenly_spaced_toward_the_mean(seed, n_minor):
    X, y = _data(seed, n_minor=n_minor)
    sampler = PolynomFitSMOTE(topology="star", random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    mean = X[y == 1].mean(axis=0)
    seeds = sampler.synthetic_sources_[:, 0]
    g, off = _segment_gap(X[seeds], np.broadcast_to(mean, X[seeds].shape),
                          _synthetic(X, X_res))
    assert (off < 1e-9).all()
    # A seed with c samples holds them at 1/(c+1), ..., c/(c+1); counts differ by at most 1.
    counts = np.bincount(seeds, minlength=X.shape[0])[y == 1]
    assert counts.max() - counts.min() <= 1
    for s in np.unique(seeds):
        c = (seeds == s).sum()
        assert np.allclose(np.sort(g[seeds == s]), np.arange(1, c + 1) / (c + 1))


@FAST
@given(seed=st.integers(0, 10_000))
def test_polynom_degree_one_curve_is_a_line(seed):
    X, y = _data(seed, n_minor=20, n_features=4)
    sampler = PolynomFitSMOTE(topology="polynomial", degree=1, random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    new = X_res[X.shape[0]:]
    singular = np.linalg.svd(new - new.mean(axis=0), compute_uv=False)
    assert singular[1] < 1e-8 * singular[0]


def test_mwmote_never_seeds_from_noise_and_partners_share_cluster():
    X, y = _data(3, n_minor=30)
    X[np.flatnonzero(y == 1)[0]] = X[y == 0].mean(axis=0)  # a minority sample deep in the majority
    sampler = MWMOTE(random_state=0)
    sampler.fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    around = SkNN(n_neighbors=6).fit(X).kneighbors(X[minority], return_distance=False)[:, 1:]
    noise = set(minority[(y[around] != 1).all(axis=1)])
    seeds = sampler.synthetic_sources_[:, 0]
    # Noise leaves S_minf, so it defines no border set; it can only be seeded as one of the
    # k3 minority neighbours of a border majority sample, with a small share.
    assert np.isin(seeds, minority).all()
    assert noise and all(np.mean(seeds == n) < 0.2 for n in noise)


def test_mwmote_refuses_when_fewer_than_two_minority_rows_survive_its_noise_filter():
    # Eight isolated minority rows far apart, each inside a tight majority cluster: none has a
    # minority row among its k1=5 nearest neighbours. A large k1 reaches the other clusters.
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=100, size=(8, 3))
    X = np.vstack([centers] + [c + rng.normal(scale=0.1, size=(6, 3)) for c in centers])
    y = np.r_[np.ones(8, int), np.zeros(48, int)]
    with pytest.raises(ValueError, match=r"0 sample\(s\) of class 1 .*k1=5.*Raise k1"):
        MWMOTE(random_state=0).fit_resample(X, y)
    X_res, y_res = MWMOTE(k1=20, random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [48, 48]


def test_smobd_never_seeds_from_optics_noise():
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal(size=(80, 2)), 0.3 * rng.normal(size=(25, 2)) + 3.0,
                   [[3.0, 5.5], [5.8, 3.0]]])  # two minority samples far from their class
    y = np.repeat([0, 1], [80, 27])
    sampler = SMOBD(max_eps=10.0, random_state=0)
    sampler.fit_resample(X, y)
    seeds = sampler.synthetic_sources_[:, 0]
    assert not np.isin([105, 106], seeds).any()
    assert np.unique(seeds).size > 15


def test_smote_ipf_removes_noise_and_keeps_originals_first():
    X, y = _data(4, n_minor=30)
    rng = np.random.default_rng(0)
    y_noisy = y.copy()
    flip = rng.choice(np.flatnonzero(y == 0), 6, replace=False)
    y_noisy[flip] = 1  # majority points labelled minority: the filter's job
    sampler = SMOTEIPF(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y_noisy)
    kept = sampler.sample_indices_
    assert np.all(np.diff(kept) > 0)
    assert np.array_equal(X_res[:kept.size], X[kept]) and np.array_equal(y_res[:kept.size],
                                                                         y_noisy[kept])
    assert np.setdiff1d(flip, kept).size >= 3  # most of the flipped labels are gone
    assert X_res.shape[0] - kept.size == sampler.synthetic_sources_.shape[0]
    assert sampler.n_filter_rounds_ >= sampler.k


def test_smote_ipf_p_zero_stops_after_k_rounds_without_removals():
    # p=0 made "fewer removals than p" impossible: the filter looped forever.
    X, y = _data(4, n_minor=30)
    sampler = SMOTEIPF(p=0, k=2, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.n_filter_rounds_ >= 2
    default = SMOTEIPF(k=2, random_state=0).fit_resample(X, y)
    # Rounds that remove nothing count as quiet under any p, so p=0 stops as soon as
    # two such rounds come in a row; the kept rows are a subset of the same draw.
    assert X_res.shape[1] == default[0].shape[1] and y_res.size <= default[1].size + 10**6


@pytest.mark.parametrize("name", ALL)
def test_deterministic_across_runs_and_n_jobs(name):
    X, y = make_classification(400, n_features=6, weights=[0.85], random_state=1)
    kwargs = {"random_state": 7}
    results = []
    for n_jobs in (1, 2, 1):
        sampler = ALL[name](**kwargs)
        if "n_jobs" in sampler.get_params():
            sampler.set_params(n_jobs=n_jobs)
        results.append(sampler.fit_resample(X, y)[0])
    assert all(np.array_equal(results[0], r) for r in results[1:])


@pytest.mark.parametrize("name", ALL)
def test_pandas_in_pandas_out_and_pickle(name):
    X, y = make_classification(200, n_features=4, weights=[0.8], random_state=2)
    frame = pd.DataFrame(X, columns=list("abcd"))
    target = pd.Series(y, name="label")
    sampler = ALL[name](random_state=0)
    X_res, y_res = sampler.fit_resample(frame, target)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list("abcd")
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    clone = pickle.loads(pickle.dumps(sampler))
    assert np.array_equal(clone.synthetic_sources_, sampler.synthetic_sources_)
    assert np.array_equal(clone.fit_resample(X, y)[0], X_res.to_numpy())


@pytest.mark.parametrize("name", ALL)
def test_bad_input_gives_clear_errors(name):
    make = ALL[name]
    X, y = _data(0, n_minor=10)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        make().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match="class"):
        make().fit_resample(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="not present"):
        make(sampling_strategy={5: 100}).fit_resample(X, y)
    with pytest.raises(ValueError, match="over-sampling"):
        make(sampling_strategy={0: 10, 1: 5}).fit_resample(X, y)
    with pytest.raises(ValueError, match="sampling_strategy"):
        make(sampling_strategy="everything").fit_resample(X, y)


@pytest.mark.parametrize("make, param", [
    (LeeSMOTE, "k_neighbors"), (SafeLevelSMOTE, "k_neighbors"), (GeometricSMOTE, "k_neighbors"),
    (SMOTEIPF, "k_neighbors"), (SMOBD, "min_samples"),
    (lambda **kw: PolynomFitSMOTE(topology="polynomial", **kw), None),
])
def test_too_small_class_names_class_and_count(make, param):
    X, y = _data(0, n_minor=3)
    with pytest.raises(ValueError, match=r"Class 1 has 3 samples.*at least"):
        make(**({param: 5} if param else {"degree": 3})).fit_resample(X, y)


@pytest.mark.parametrize("make, bad", [
    (GeometricSMOTE, {"truncation_factor": 2.0}), (GeometricSMOTE, {"selection_strategy": "x"}),
    (ProWSyn, {"theta": -1.0}), (PolynomFitSMOTE, {"topology": "ring"}),
    (LeeSMOTE, {"rejection_level": 0.0}), (MWMOTE, {"k3": 0}), (SMOTEIPF, {"voting": "all"}),
    (SMOBD, {"eta1": 1.5}),
])
def test_bad_parameter_named(make, bad):
    X, y = _data(0)
    with pytest.raises(ValueError, match=next(iter(bad))):
        make(**bad).fit_resample(X, y)


REAL_SETS = ["ecoli1", "yeast-0-5-6-7-9_vs_4"]


def _cv_balanced_accuracy(X, y, sampler):
    scores = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        X_tr, y_tr = X[train], y[train]
        if sampler is not None:
            X_tr, y_tr = sampler.fit_resample(X_tr, y_tr)
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        scores.append(balanced_accuracy_score(y[test], model.fit(X_tr, y_tr).predict(X[test])))
    return np.mean(scores)


@pytest.fixture(scope="module")
def real_scores():
    table = {}
    for name in REAL_SETS:
        bunch = load_dataset(name)
        X, y = bunch.data, bunch.target
        row = {"none": _cv_balanced_accuracy(X, y, None),
               "imblearn SMOTE": _cv_balanced_accuracy(X, y, SMOTE(random_state=0))}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            for method, make in ALL.items():
                row[method] = _cv_balanced_accuracy(X, y, make(random_state=0))
        table[name] = row
    return table


@pytest.mark.parametrize("method", ALL)
def test_classifier_on_real_data_is_sensible(method, real_scores):
    """Balanced accuracy (5-fold CV, logistic regression) on KEEL sets.

    Over-sampling should help a linear model on imbalanced data: averaged
    over the sets, each variant beats no resampling and stays within 0.03
    of imbalanced-learn's SMOTE; on no single set is it far below SMOTE.
    """
    mean = {k: np.mean([real_scores[s][k] for s in REAL_SETS]) for k in real_scores[REAL_SETS[0]]}
    assert mean[method] > mean["none"]
    assert mean[method] > mean["imblearn SMOTE"] - 0.03
    for s in REAL_SETS:
        assert real_scores[s][method] > real_scores[s]["imblearn SMOTE"] - 0.08, s


# The Pipeline/GridSearchCV plumbing is the shared base's; one method per family keeps it fast.
GRID = {"ProWSyn": ("theta", [0.5, 1.0]), "GeometricSMOTE": ("truncation_factor", [0.0, 1.0]),
        "polynomial": ("degree", [1, 2]), "SMOTEIPF": ("voting", ["majority", "consensus"])}


@pytest.mark.parametrize("name", GRID)
def test_in_pipeline_and_grid_search(name):
    from imblearn.pipeline import Pipeline
    from sklearn.model_selection import GridSearchCV

    X, y = make_classification(240, n_features=4, weights=[0.85], random_state=3)
    pipe = Pipeline([("sample", ALL[name](random_state=0)), ("model", LogisticRegression())])
    param, values = GRID[name]
    search = GridSearchCV(pipe, {f"sample__{param}": values}, cv=3, scoring="balanced_accuracy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X, y)
    assert search.best_params_[f"sample__{param}"] in values
    assert search.best_score_ > 0.6
