"""imbtool.under_sampling against imbalanced-learn, brute force and bad input.

Equality is asserted on data without distance ties: real KEEL sets get a
jitter far below their measurement resolution (their repeated values tie
many distances, and tied neighbours are ordered differently by scikit-learn).
"""

import pickle
import warnings

import imblearn.under_sampling as reference
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import make_pipeline
from scipy.spatial.distance import cdist
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

import imbtool.under_sampling as us
from imbtool.datasets import load_dataset
from imbtool.neighbors import _query
from imbtool.under_sampling import _cleaning

REAL = ["ecoli1", "glass1", "pima", "new_thyroid1", "vehicle0", "yeast1"]

DETERMINISTIC = [
    ("EditedNearestNeighbours", {}),
    ("EditedNearestNeighbours", {"kind_sel": "mode", "n_neighbors": 5}),
    ("EditedNearestNeighbours", {"sampling_strategy": "all"}),
    ("RepeatedEditedNearestNeighbours", {}),
    ("RepeatedEditedNearestNeighbours", {"kind_sel": "mode", "max_iter": 3}),
    ("AllKNN", {}),
    ("AllKNN", {"kind_sel": "mode", "n_neighbors": 5, "allow_minority": True}),
    ("TomekLinks", {}),
    ("TomekLinks", {"sampling_strategy": "all"}),
    ("NeighbourhoodCleaningRule", {}),
    ("NeighbourhoodCleaningRule", {"n_neighbors": 5, "threshold_cleaning": 2.0}),
    ("NearMiss", {"version": 1}),
    ("NearMiss", {"version": 2}),
    ("NearMiss", {"version": 3}),
    ("NearMiss", {"version": 1, "sampling_strategy": 0.95, "n_neighbors": 4}),
    ("OneSidedSelection", {"random_state": 0}),
    ("OneSidedSelection", {"random_state": 3, "n_neighbors": 3}),
    ("RandomUnderSampler", {"random_state": 0}),
    ("RandomUnderSampler", {"random_state": 1, "replacement": True, "sampling_strategy": 0.8}),
]


def untied(X, seed=0):
    """X plus a jitter of 1e-7 of each column's spread: breaks ties, keeps the data."""
    rng = np.random.default_rng(seed)
    return X + 1e-7 * X.std(axis=0) * rng.standard_normal(X.shape)


def same_rows(name, params, X, y):
    ours = getattr(us, name)(**params)
    theirs = getattr(reference, name)(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            theirs.fit_resample(X, y)
        except ValueError:
            # e.g. a float sampling_strategy on multiclass data: ours refuses too.
            with pytest.raises(ValueError):
                ours.fit_resample(X, y)
            return None
        X_ours, y_ours = ours.fit_resample(X, y)
    expected = theirs.sample_indices_
    if name == "CondensedNearestNeighbour":
        # Ours returns each row once: imbalanced-learn's indices without their repeats.
        expected = expected[np.sort(np.unique(expected, return_index=True)[1])]
    np.testing.assert_array_equal(ours.sample_indices_, expected, err_msg=f"{name}({params})")
    np.testing.assert_array_equal(X_ours, X[ours.sample_indices_])
    np.testing.assert_array_equal(y_ours, y[ours.sample_indices_])
    return ours


@pytest.fixture(scope="module")
def real_sets():
    return {name: load_dataset(name, return_X_y=True) for name in REAL}


@pytest.mark.parametrize("name, params", DETERMINISTIC)
def test_same_rows_as_imblearn_on_keel(real_sets, name, params):
    for X, y in real_sets.values():
        same_rows(name, params, untied(X), y)


@pytest.mark.parametrize("params", [{"random_state": 0}, {"random_state": 2, "n_neighbors": 3}])
def test_condensed_nearest_neighbour_same_rows(real_sets, params):
    # imbalanced-learn refits after every addition: only the smaller sets.
    for name in ["ecoli1", "glass1", "new_thyroid1"]:
        X, y = real_sets[name]
        same_rows("CondensedNearestNeighbour", params, untied(X), y)


def test_instance_hardness_and_cluster_centroids_same_output(real_sets):
    X, y = real_sets["ecoli1"]
    params = {"estimator": LogisticRegression(max_iter=500), "random_state": 0, "cv": 3}
    same_rows("InstanceHardnessThreshold", params, X, y)
    X, y = real_sets["new_thyroid1"]
    X = untied(X)
    soft = us.ClusterCentroids(random_state=0, voting="soft").fit_resample(X, y)
    theirs_soft = reference.ClusterCentroids(random_state=0, voting="soft").fit_resample(X, y)
    # imbtool puts the untouched classes first, then the centroids; imbalanced-learn
    # goes by class, which a stable sort by label restores.
    order = np.argsort(soft[1], kind="stable")
    assert not np.array_equal(order, np.arange(len(order)))
    np.testing.assert_allclose(soft[0][order], theirs_soft[0])
    np.testing.assert_array_equal(soft[1][order], theirs_soft[1])
    # A two-row cluster's centroid is equidistant from both rows, so hard
    # voting has genuine ties: compare distances, not rows.
    hard = us.ClusterCentroids(random_state=0, voting="hard").fit_resample(X, y)
    theirs = reference.ClusterCentroids(random_state=0, voting="hard").fit_resample(X, y)
    np.testing.assert_allclose(np.linalg.norm(hard[0][order] - theirs_soft[0], axis=1),
                               np.linalg.norm(theirs[0] - theirs_soft[0], axis=1), rtol=1e-9)
    assert all((hard[0][hard[1] == c][:, None] == X[y == c]).all(-1).any(-1).all()
               for c in (0, 1))


def test_multiclass_real_data():
    X, y = load_wine(return_X_y=True)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1), np.flatnonzero(y == 2)[:20]]
    X, y = untied(X[keep]), y[keep]
    for name, params in DETERMINISTIC + [("CondensedNearestNeighbour", {"random_state": 0})]:
        same_rows(name, params, X, y)


@st.composite
def labelled_data(draw):
    n_classes = draw(st.integers(2, 3))
    n = draw(st.integers(30, 90))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    y = rng.choice(n_classes, size=n, p=[0.6, 0.4] if n_classes == 2 else [0.5, 0.3, 0.2])
    y[:n_classes * 6] = np.repeat(np.arange(n_classes), 6)
    X = rng.standard_normal((n, draw(st.integers(1, 4)))) + 0.8 * y[:, None]
    return X, y


@settings(max_examples=25, deadline=None)
@given(data=labelled_data(), case=st.sampled_from(DETERMINISTIC + [
    ("CondensedNearestNeighbour", {"random_state": 0}),
    ("CondensedNearestNeighbour", {"random_state": 1, "n_neighbors": 3, "n_seeds_S": 2}),
]))
def test_same_rows_as_imblearn_random_data(data, case):
    same_rows(*case, *data)


def brute_edit(X, codes, k, kind_sel):
    """Wilson's rule straight from the full distance matrix (ties: lower row)."""
    D = cdist(X, X, "sqeuclidean")
    np.fill_diagonal(D, np.inf)
    neigh = np.lexsort((np.broadcast_to(np.arange(len(X)), D.shape), D), axis=1)[:, :k]
    labels = codes[neigh]
    if kind_sel == "all":
        return (labels == codes[:, None]).all(axis=1)
    votes = np.stack([(labels == c).sum(axis=1) for c in range(codes.max() + 1)], axis=1)
    return votes.argmax(axis=1) == codes


def brute_tomek(X, codes):
    D = cdist(X, X, "sqeuclidean")
    np.fill_diagonal(D, np.inf)
    nearest = D.argmin(axis=1)
    return (codes[nearest] != codes) & (nearest[nearest] == np.arange(len(X)))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(60, 200), k=st.integers(1, 6),
       kind_sel=st.sampled_from(["all", "mode"]), ties=st.booleans(),
       n_classes=st.integers(2, 3))
def test_block_scan_equals_brute_force(seed, n, k, kind_sel, ties, n_classes):
    rng = np.random.default_rng(seed)
    shares = np.r_[0.8, np.full(n_classes - 1, 0.2 / (n_classes - 1))]
    codes = rng.choice(n_classes, size=n, p=shares)
    codes[:n_classes] = np.arange(n_classes)
    X = rng.standard_normal((n, 3)) + 1.5 * codes[:, None]
    if ties:
        X = np.round(X)  # many equal distances and duplicate rows
    targeted = np.ones(n_classes, dtype=bool)
    with pytest.MonkeyPatch.context() as patch:
        # Tiny cells and blocks force every stage of the scan on small data.
        patch.setattr(_cleaning, "CELL_SIZE", 9)
        patch.setattr(_cleaning, "FIRST_BLOCK", 4)
        got = _cleaning.edited_keep(X, codes, targeted, k, kind_sel)
    np.testing.assert_array_equal(got, brute_edit(X, codes, k, kind_sel))
    np.testing.assert_array_equal(_cleaning.tomek_mask(X, codes), brute_tomek(X, codes))


@pytest.mark.parametrize("cross", [True, False])
def test_tomek_links_by_either_route_equal_brute_force(monkeypatch, cross):
    """Links from every row's nearest foreign row (where a cross search of the classes
    costs least) and from the other classes' nearest rows: both the definition's rows."""
    monkeypatch.setattr(_query, "is_compiled", lambda kernel: False)  # the numpy path
    # The numpy path's budget is per process: the suite's earlier searches may have spent it.
    monkeypatch.setattr(_query, "_numpy_seconds", [0.0])
    if not cross:
        monkeypatch.setattr(_query, "_cross_plan", lambda *args: None)
    routes = []
    monkeypatch.setattr(_cleaning, "_links_of_foreign_pairs",
                        lambda *args, f=_cleaning._links_of_foreign_pairs: routes.append(1)
                        or f(*args))
    rng = np.random.default_rng(int(cross))
    for trial in range(40):
        n, n_classes = int(rng.integers(3, 120)), int(rng.integers(1, 4))
        codes = np.unique(rng.integers(0, n_classes, n), return_inverse=True)[1]
        X = rng.standard_normal((n, 3)) + 1.5 * codes[:, None]
        if trial % 2:
            X = np.round(X)  # ties and duplicate rows, within and across classes
        np.testing.assert_array_equal(_cleaning.tomek_mask(X, codes), brute_tomek(X, codes))
    assert (len(routes) > 20) == cross


@pytest.mark.parametrize("name", ["EditedNearestNeighbours", "RepeatedEditedNearestNeighbours",
                                  "NeighbourhoodCleaningRule", "NearMiss"])
def test_neighbour_estimator_parameter_matches_imblearn(real_sets, name):
    X, y = real_sets["ecoli1"]
    same_rows(name, {"n_neighbors": NearestNeighbors(n_neighbors=4)}, untied(X), y)


def test_knn_classifier_parameter_matches_imblearn(real_sets):
    X, y = real_sets["glass1"]
    for name in ["OneSidedSelection", "CondensedNearestNeighbour"]:
        same_rows(name, {"n_neighbors": KNeighborsClassifier(1), "random_state": 0},
                  untied(X), y)


ALL = [cls for _, cls in us.__dict__.items() if isinstance(cls, type)]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_pandas_pickle_and_n_jobs(real_sets, cls):
    pd = pytest.importorskip("pandas")
    X, y = real_sets["ecoli1"]
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    series = pd.Series(y, name="target")
    params = {"random_state": 0} if "random_state" in cls().get_params() else {}
    if cls is us.InstanceHardnessThreshold:
        params.update(estimator=LogisticRegression(max_iter=500), cv=3)
    sampler = cls(**params)
    X_res, y_res = sampler.fit_resample(frame, series)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(frame.columns)
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    clone = pickle.loads(pickle.dumps(sampler))
    again = clone.fit_resample(frame, series)
    np.testing.assert_array_equal(again[0].to_numpy(), X_res.to_numpy())
    # IHT's n_jobs only spreads the cross-validation's fits over joblib workers.
    if "n_jobs" in sampler.get_params() and cls is not us.InstanceHardnessThreshold:
        one = cls(**params, n_jobs=1).fit_resample(X, y)
        two = cls(**params, n_jobs=2).fit_resample(X, y)
        np.testing.assert_array_equal(one[0], two[0])
        np.testing.assert_array_equal(one[1], two[1])


def test_pipeline_and_grid_search(real_sets):
    X, y = real_sets["ecoli1"]
    pipe = make_pipeline(us.EditedNearestNeighbours(), LogisticRegression(max_iter=500))
    search = GridSearchCV(pipe, {"editednearestneighbours__n_neighbors": [1, 3]},
                          cv=3, scoring="balanced_accuracy").fit(X, y)
    assert 0.6 < search.best_score_ <= 1.0
    assert search.best_params_["editednearestneighbours__n_neighbors"] in (1, 3)


def test_float32_stays_float32_and_input_untouched(real_sets):
    X, y = real_sets["vehicle0"]
    X32 = untied(X).astype(np.float32)
    before, y_before = X32.copy(), y.copy()
    for cls in [us.EditedNearestNeighbours, us.TomekLinks, us.NearMiss, us.AllKNN]:
        X_res, _ = cls().fit_resample(X32, y)
        assert X_res.dtype == np.float32
    np.testing.assert_array_equal(X32, before)
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.parametrize("cls", [us.EditedNearestNeighbours, us.TomekLinks, us.AllKNN,
                                 us.NeighbourhoodCleaningRule, us.NearMiss])
def test_bad_input(cls):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cls().fit_resample(X_nan, y)
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        cls().fit_resample(X_inf, y)
    with pytest.raises(ValueError, match="1 class"):
        cls().fit_resample(X, np.zeros(40, int))
    from scipy.sparse import csr_matrix
    with pytest.raises(TypeError, match="dense"):
        cls().fit_resample(csr_matrix(X), y)


def test_too_few_rows_and_over_sampling_strategy():
    X = np.random.default_rng(1).standard_normal((6, 2))
    y = np.array([0, 0, 0, 0, 1, 1])
    with pytest.raises(ValueError, match="n_neighbors=6 needs at least 7 rows"):
        us.EditedNearestNeighbours(n_neighbors=6).fit_resample(X, y)
    with pytest.raises(ValueError, match="n_neighbors=3 is larger than the 2 rows"):
        us.NearMiss(n_neighbors=3).fit_resample(X, y)
    with pytest.raises(ValueError, match="less or equal to the original"):
        us.NearMiss(sampling_strategy={0: 9}).fit_resample(X, y)
    with pytest.raises(ValueError, match="less or equal to the original"):
        us.RandomUnderSampler(sampling_strategy={1: 5}).fit_resample(X, y)


def test_emptied_class_warns():
    # Every row of class 1 sits among class-0 rows: editing all classes removes it.
    X = np.r_[np.linspace(0, 1, 20), [0.51, 0.26]][:, None]
    y = np.r_[np.zeros(20, int), [1, 1]]
    with pytest.warns(UserWarning, match=r"removed every row of class\(es\) \[1\]"):
        us.EditedNearestNeighbours(sampling_strategy="all").fit_resample(X, y)


@pytest.mark.parametrize("name", ["OneSidedSelection", "CondensedNearestNeighbour"])
def test_seed_drawn_twice_votes_twice(name):
    rng = np.random.default_rng(5)
    y = np.r_[np.zeros(14, int), np.ones(8, int)]
    X = rng.standard_normal((22, 2)) + 0.7 * y[:, None]
    draws_repeat = 0
    for seed in range(6):
        params = {"random_state": seed, "n_seeds_S": 6, "n_neighbors": 3}
        draws = np.random.RandomState(seed).randint(0, 14, size=6)
        draws_repeat += np.unique(draws).size < draws.size
        same_rows(name, params, X, y)
    assert draws_repeat >= 3
