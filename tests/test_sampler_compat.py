"""imbalanced-learn's fitted attributes, hooks, sparse input and error phrases on imbtool.

Each attribute is compared with the one imbalanced-learn's sampler of the
same name sets on the same real data set.
"""

import warnings

import imblearn.combine as ref_combine
import imblearn.over_sampling as ref_over
import imblearn.under_sampling as ref_under
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.preprocessing import OneHotEncoder

from imbtool import combine, over_sampling, under_sampling
from imbtool.datasets import load_dataset


def untied(X, seed=0):
    rng = np.random.default_rng(seed)
    return X + 1e-7 * X.std(axis=0) * rng.standard_normal(X.shape)


@pytest.fixture(scope="module")
def ecoli1():
    X, y = load_dataset("ecoli1", return_X_y=True)
    return untied(X), y


@pytest.fixture(scope="module")
def car():
    return load_dataset("car-good", return_X_y=True)


# --- neighbour estimators: nn_k_, nn_m_, nn_ -----------------------------------------------

NEIGHBOUR_CASES = [
    ("SMOTE", {}, ["nn_k_"]),
    ("BorderlineSMOTE", {"m_neighbors": 7}, ["nn_k_", "nn_m_"]),
    ("SVMSMOTE", {"k_neighbors": 3}, ["nn_k_", "nn_m_"]),
    ("KMeansSMOTE", {"kmeans_estimator": 1, "cluster_balance_threshold": 0.0}, ["nn_k_"]),
    ("ADASYN", {"n_neighbors": 4}, ["nn_"]),
]


@pytest.mark.parametrize("name, params, attributes", NEIGHBOUR_CASES)
def test_neighbour_estimators_as_imblearn(ecoli1, name, params, attributes):
    X, y = ecoli1
    ours = getattr(over_sampling, name)(random_state=0, **params)
    theirs = getattr(ref_over, name)(random_state=0, **params)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    for attribute in attributes:
        mine, peer = getattr(ours, attribute), getattr(theirs, attribute)
        assert type(mine) is type(peer)
        assert mine.get_params() == peer.get_params()


def test_neighbour_estimator_given_is_cloned(ecoli1):
    X, y = ecoli1
    nn = NearestNeighbors(n_neighbors=4)
    sampler = over_sampling.BorderlineSMOTE(k_neighbors=nn, random_state=0)
    sampler.fit_resample(X, y)
    assert sampler.nn_k_ is not nn and sampler.nn_k_.n_neighbors == 4
    assert sampler.nn_m_.n_neighbors == 11


def test_nominal_samplers_neighbour_estimator(car):
    X, y = car
    for name, params in [("SMOTEN", {}), ("SMOTENC", {"categorical_features": [0, 1, 2]})]:
        ours = getattr(over_sampling, name)(random_state=0, **params)
        theirs = getattr(ref_over, name)(random_state=0, **params)
        ours.fit_resample(X, y)
        theirs.fit_resample(X, y)
        assert ours.nn_k_.get_params() == theirs.nn_k_.get_params()


# --- BorderlineSMOTE.in_danger_indices ------------------------------------------------------

@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
@pytest.mark.parametrize("m_neighbors", [5, 10])
def test_in_danger_indices_as_imblearn(ecoli1, kind, m_neighbors):
    X, y = ecoli1
    ours = over_sampling.BorderlineSMOTE(kind=kind, m_neighbors=m_neighbors, random_state=0)
    theirs = ref_over.BorderlineSMOTE(kind=kind, m_neighbors=m_neighbors, random_state=0)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert ours.in_danger_indices is ours.in_danger_indices_
    assert ours.in_danger_indices.keys() == theirs.in_danger_indices.keys()
    for label, rows in theirs.in_danger_indices.items():
        np.testing.assert_array_equal(ours.in_danger_indices[label], rows)


def test_in_danger_indices_empty_when_no_sample_is_in_danger(ecoli1):
    X, y = ecoli1
    sampler = over_sampling.BorderlineSMOTE(m_neighbors=1, random_state=0)
    with pytest.warns(UserWarning, match="in danger"):
        X_res, _ = sampler.fit_resample(X, y)
    assert sampler.in_danger_indices == {}
    np.testing.assert_array_equal(X_res, X)


def test_in_danger_indices_needs_a_fit():
    assert not hasattr(over_sampling.BorderlineSMOTE(), "in_danger_indices")


# --- KMeansSMOTE and SVMSMOTE -----------------------------------------------------------------

@pytest.mark.parametrize("params", [{"kmeans_estimator": 3},
                                    {"kmeans_estimator": 1, "cluster_balance_threshold": 0.0},
                                    {"kmeans_estimator": 2, "cluster_balance_threshold": 0.2}])
def test_kmeans_fitted_attributes_as_imblearn(ecoli1, params):
    X, y = ecoli1
    ours = over_sampling.KMeansSMOTE(random_state=0, **params)
    theirs = ref_over.KMeansSMOTE(random_state=0, **params)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert ours.cluster_balance_threshold_ == theirs.cluster_balance_threshold_
    assert ours.kmeans_estimator_.get_params() == theirs.kmeans_estimator_.get_params()
    np.testing.assert_array_equal(ours.kmeans_estimator_.labels_,
                                  theirs.kmeans_estimator_.labels_)


def test_kmeans_no_cluster_is_a_value_and_runtime_error(ecoli1):
    X, y = ecoli1
    for error in (ValueError, RuntimeError):
        with pytest.raises(error, match="No clusters found with sufficient samples of class"):
            over_sampling.KMeansSMOTE(cluster_balance_threshold=10,
                                      random_state=0).fit_resample(X, y)
    with pytest.raises(RuntimeError):
        ref_over.KMeansSMOTE(cluster_balance_threshold=10, random_state=0).fit_resample(X, y)


def test_svm_estimator_as_imblearn(ecoli1):
    X, y = ecoli1
    ours = over_sampling.SVMSMOTE(random_state=0)
    theirs = ref_over.SVMSMOTE(random_state=0)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert ours.svm_estimator_.get_params() == theirs.svm_estimator_.get_params()
    np.testing.assert_array_equal(ours.svm_estimator_.support_, theirs.svm_estimator_.support_)


def test_svm_smote_error_phrases(ecoli1):
    X, y = ecoli1
    # Four rows of a third class, each deep inside another class: all its support
    # vectors are noise.
    y_noise = y.copy()
    y_noise[np.flatnonzero(y == 0)[:2]] = 2
    y_noise[np.flatnonzero(y == 1)[:2]] = 2
    for cls in (over_sampling.SVMSMOTE, ref_over.SVMSMOTE):
        with pytest.raises(ValueError, match="SVM-SMOTE is not adapted to your dataset"):
            cls(k_neighbors=1, sampling_strategy={2: 10}, random_state=0).fit_resample(X, y_noise)
    with pytest.raises(TypeError, match="support_"):
        over_sampling.SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(X, y)


# --- SMOTEN and SMOTENC -----------------------------------------------------------------------

def test_smoten_custom_neighbours_as_imblearn(car):
    X, y = car
    nn = NearestNeighbors(n_neighbors=6)
    X_ours, y_ours = over_sampling.SMOTEN(k_neighbors=nn, random_state=0).fit_resample(X, y)
    X_theirs, y_theirs = ref_over.SMOTEN(k_neighbors=nn, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smoten_sparse_input_as_dense(car, fmt):
    X, y = car
    X_ohe = OneHotEncoder().fit_transform(X).asformat(fmt)
    dense_ours, y_dense = over_sampling.SMOTEN(random_state=0).fit_resample(X_ohe.toarray(), y)
    with pytest.warns(DataConversionWarning, match="is not really efficient"):
        X_res, y_res = over_sampling.SMOTEN(random_state=0).fit_resample(X_ohe, y)
    assert X_res.format == fmt
    np.testing.assert_array_equal(X_res.toarray(), dense_ours)
    np.testing.assert_array_equal(y_res, y_dense)
    with pytest.warns(DataConversionWarning):
        X_peer, _ = ref_over.SMOTEN(random_state=0).fit_resample(X_ohe, y)
    assert X_peer.format == fmt and X_peer.shape == X_res.shape


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smotenc_sparse_input_as_dense(car, fmt):
    X, y = car
    X = np.column_stack([untied(np.random.default_rng(0).standard_normal((X.shape[0], 2))), X])
    nominal = list(range(2, X.shape[1]))
    sampler = over_sampling.SMOTENC(categorical_features=nominal, random_state=0)
    X_dense, y_dense = sampler.fit_resample(X, y)
    with pytest.warns(DataConversionWarning):
        X_res, y_res = sampler.fit_resample(sp.csr_matrix(X).asformat(fmt), y)
    assert X_res.format == fmt and X_res.dtype == X.dtype
    np.testing.assert_array_equal(X_res.toarray(), X_dense)
    np.testing.assert_array_equal(y_res, y_dense)


def test_smotenc_error_phrases(car):
    X, y = car
    frame = load_dataset("german", as_frame=True, return_X_y=True)[0]
    with pytest.raises(ValueError, match="the input data should be a pandas.DataFrame"):
        over_sampling.SMOTENC().fit_resample(X, y)
    with pytest.raises(ValueError,
                       match="SMOTE-NC is not designed to work only with categorical features"):
        over_sampling.SMOTENC(categorical_features=list(range(X.shape[1]))).fit_resample(X, y)
    numeric = frame.select_dtypes("number")
    y_german = load_dataset("german", return_X_y=True)[1]
    with pytest.raises(ValueError,
                       match="SMOTE-NC is not designed to work only with numerical features"):
        over_sampling.SMOTENC().fit_resample(numeric, y_german)
    encoder = OneHotEncoder(drop="first")
    with pytest.raises(ValueError,
                       match="SMOTENC requires a one-hot encoding with one column per category"):
        over_sampling.SMOTENC(categorical_features=[0], categorical_encoder=encoder).fit_resample(
            X, y)


# --- RandomOverSampler(shrinkage=...) ---------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_smoothed_bootstrap_takes_sparse_input(ecoli1, fmt):
    X, y = ecoli1
    X_sparse = sp.csr_matrix(X).asformat(fmt)
    X_res, y_res = over_sampling.RandomOverSampler(shrinkage=1.0, random_state=0).fit_resample(
        X_sparse, y)
    X_peer, y_peer = ref_over.RandomOverSampler(shrinkage=1.0, random_state=0).fit_resample(
        X_sparse, y)
    assert X_res.format == fmt and X_res.shape == X_peer.shape
    np.testing.assert_array_equal(np.bincount(y_res), np.bincount(y_peer))
    np.testing.assert_array_equal(X_res[:X.shape[0]].toarray(), X)
    # The copies are smoothed: new points, about as spread as imbalanced-learn's.
    new, peer_new = X_res[X.shape[0]:].toarray(), X_peer[X.shape[0]:].toarray()
    assert not np.isin(new, X).all()
    np.testing.assert_allclose(new.std(axis=0), peer_new.std(axis=0), rtol=0.5)


def test_shrinkage_error_phrases(ecoli1):
    X, y = ecoli1
    for shrinkage, phrase in [({}, "`shrinkage` should contain a shrinkage factor for each class"),
                              ({1: -1}, "The shrinkage factor needs to be >= 0")]:
        for cls in (over_sampling.RandomOverSampler, ref_over.RandomOverSampler):
            with pytest.raises(ValueError, match=phrase):
                cls(shrinkage=shrinkage).fit_resample(X, y)
    X_text = X.astype(object)
    X_text[0, 0] = "a"
    with pytest.raises(ValueError, match="When shrinkage is not None, X needs to contain only"):
        over_sampling.RandomOverSampler(shrinkage=1.0).fit_resample(X_text, y)


# --- ClusterCentroids --------------------------------------------------------------------------

def test_cluster_centroids_error_phrase(ecoli1):
    X, y = ecoli1
    for cls in (under_sampling.ClusterCentroids, ref_under.ClusterCentroids):
        with pytest.raises(ValueError, match="`estimator` should be a clustering estimator"):
            cls(estimator=LogisticRegression()).fit_resample(X, y)


# --- CondensedNearestNeighbour and OneSidedSelection estimators_ ----------------------------

@pytest.mark.parametrize("name", ["CondensedNearestNeighbour", "OneSidedSelection"])
@pytest.mark.parametrize("sampling_strategy", ["auto", "all"])
def test_selection_estimators_as_imblearn(ecoli1, name, sampling_strategy):
    X, y = ecoli1
    ours = getattr(under_sampling, name)(random_state=0, sampling_strategy=sampling_strategy)
    theirs = getattr(ref_under, name)(random_state=0, sampling_strategy=sampling_strategy)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert len(ours.estimators_) == len(theirs.estimators_) == len(ours.sampling_strategy_)
    for mine, peer in zip(ours.estimators_, theirs.estimators_):
        assert isinstance(mine, KNeighborsClassifier)
        assert mine.get_params() == peer.get_params()
        np.testing.assert_array_equal(mine.classes_, peer.classes_)
        # The same store, in any order.
        stored = np.lexsort(mine._fit_X.T)
        np.testing.assert_array_equal(mine._fit_X[stored], peer._fit_X[np.lexsort(peer._fit_X.T)])


# --- SMOTEENN and SMOTETomek -----------------------------------------------------------------

@pytest.mark.parametrize("cls, cleaner",
                         [(combine.SMOTEENN, "enn_"), (combine.SMOTETomek, "tomek_")])
def test_validate_estimator_sets_the_parts(cls, cleaner):
    sampler = cls(random_state=0, n_jobs=2, sampling_strategy=0.8)
    sampler._validate_estimator()
    assert getattr(sampler, cleaner).n_jobs == 2
    assert getattr(sampler, cleaner).sampling_strategy == "all"
    assert sampler.smote_.sampling_strategy == 0.8 and sampler.smote_.random_state == 0
    part = over_sampling.BorderlineSMOTE(random_state=1)
    sampler.set_params(smote=part)._validate_estimator()
    assert sampler.smote_ is not part and sampler.smote_.get_params() == part.get_params()


@pytest.mark.parametrize("name", ["ecoli1", "glass1", "pima"])
def test_smoteenn_rows_are_imblearn_rows_in_label_order(name):
    # imbtool puts the kept original rows first; imbalanced-learn's order is ENN's,
    # class by class. A stable sort by label of imbtool's output gives it.
    X, y = load_dataset(name, return_X_y=True)
    X = untied(X)
    X_ours, y_ours = combine.SMOTEENN(random_state=0).fit_resample(X, y)
    X_theirs, y_theirs = ref_combine.SMOTEENN(random_state=0).fit_resample(X, y)
    order = np.argsort(y_ours, kind="stable")
    np.testing.assert_array_equal(X_ours[order], X_theirs)
    np.testing.assert_array_equal(y_ours[order], y_theirs)


def test_no_warning_for_dense_nominal_input(car):
    X, y = car
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataConversionWarning)
        over_sampling.SMOTEN(random_state=0).fit_resample(X, y)
