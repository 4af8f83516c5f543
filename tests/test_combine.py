"""imbtool.combine against imbalanced-learn's SMOTEENN and SMOTETomek."""

import pickle

import imblearn.combine as reference
import imblearn.under_sampling as reference_us
import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from imbtool.combine import SMOTEENN, SMOTETomek
from imbtool.datasets import load_dataset
from imbtool.over_sampling import SMOTE
from imbtool.under_sampling import EditedNearestNeighbours, TomekLinks

SETS = ["ecoli1", "glass1", "pima", "vehicle0", "new_thyroid1"]
PAIRS = [(SMOTEENN, reference.SMOTEENN), (SMOTETomek, reference.SMOTETomek)]


def untied(X, seed=0):
    rng = np.random.default_rng(seed)
    return X + 1e-7 * X.std(axis=0) * rng.standard_normal(X.shape)


@pytest.fixture(scope="module")
def real_sets():
    return {name: load_dataset(name, return_X_y=True) for name in SETS}


@pytest.mark.parametrize("ours, theirs", PAIRS)
@pytest.mark.parametrize("params", [{"random_state": 0},
                                    {"random_state": 1, "sampling_strategy": 0.7}])
def test_same_output_as_imblearn(real_sets, ours, theirs, params):
    for X, y in real_sets.values():
        X = untied(X)
        X_ours, y_ours = ours(**params).fit_resample(X, y)
        X_theirs, y_theirs = theirs(**params).fit_resample(X, y)
        np.testing.assert_array_equal(X_ours, X_theirs)
        np.testing.assert_array_equal(y_ours, y_theirs)


@pytest.mark.parametrize("cleaner, reference_cleaner",
                         [(EditedNearestNeighbours, reference_us.EditedNearestNeighbours),
                          (TomekLinks, reference_us.TomekLinks)])
def test_cleaning_of_smote_output_matches_imblearn(real_sets, cleaner, reference_cleaner):
    # The cleaning step alone, on balanced synthetic data (every class cleaned).
    X, y = real_sets["vehicle0"]
    X_s, y_s = SMOTE(random_state=3).fit_resample(untied(X), y)
    ours = cleaner(sampling_strategy="all").fit(X_s, y_s)
    ours.fit_resample(X_s, y_s)
    theirs = reference_cleaner(sampling_strategy="all")
    theirs.fit_resample(X_s, y_s)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


def test_custom_parts_are_cloned_and_used(real_sets):
    X, y = real_sets["ecoli1"]
    enn = EditedNearestNeighbours(kind_sel="mode", n_neighbors=5)
    smote = SMOTE(k_neighbors=3, random_state=4)
    sampler = SMOTEENN(smote=smote, enn=enn)
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.enn_ is not enn and sampler.smote_ is not smote
    X_s, y_s = SMOTE(k_neighbors=3, random_state=4).fit_resample(X, y)
    expected = EditedNearestNeighbours(kind_sel="mode", n_neighbors=5).fit_resample(X_s, y_s)
    np.testing.assert_array_equal(X_res, expected[0])
    np.testing.assert_array_equal(y_res, expected[1])


@pytest.mark.parametrize("cls", [SMOTEENN, SMOTETomek])
def test_pandas_pickle_n_jobs(real_sets, cls):
    pd = pytest.importorskip("pandas")
    X, y = real_sets["glass1"]
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    X_res, y_res = cls(random_state=0).fit_resample(frame, pd.Series(y, name="y"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(frame.columns)
    assert isinstance(y_res, pd.Series) and y_res.name == "y"
    sampler = pickle.loads(pickle.dumps(cls(random_state=0, n_jobs=1)))
    one = sampler.fit_resample(X, y)
    two = cls(random_state=0, n_jobs=2).fit_resample(X, y)
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[0], X_res.to_numpy())


def test_pipeline_grid_search(real_sets):
    X, y = real_sets["ecoli1"]
    pipe = make_pipeline(SMOTETomek(random_state=0), LogisticRegression(max_iter=500))
    search = GridSearchCV(pipe, {"smotetomek__sampling_strategy": [0.5, 1.0]}, cv=3,
                          scoring="balanced_accuracy").fit(X, y)
    assert 0.6 < search.best_score_ <= 1.0


@pytest.mark.parametrize("cls", [SMOTEENN, SMOTETomek])
def test_bad_input(cls):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    X_nan = X.copy()
    X_nan[1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cls().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match="1 class"):
        cls().fit_resample(X, np.zeros(40, int))
    with pytest.raises(ValueError, match="smote"):
        cls(smote="SMOTE").fit_resample(X, y)
    before = X.copy()
    cls(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, before)
