"""resample_aligned: row-aligned arrays follow the rows a sampler kept or made."""

import numpy as np
import pytest

from imbtool.datasets import load_dataset
from imbtool.utils import all_estimators, resample_aligned

PROVENANCE = [cls for _, cls in all_estimators("sampler") if cls.__name__ not in (
    "ClusterCentroids", "SMOTEENN", "SMOTETomek", "SMOTEN", "SMOTENC")]


@pytest.fixture(scope="module")
def data():
    return load_dataset("ecoli1", return_X_y=True)


@pytest.mark.parametrize("cls", PROVENANCE, ids=[c.__name__ for c in PROVENANCE])
def test_every_output_row_maps_to_its_origin_on_real_data(cls, data):
    X, y = data
    sampler = cls()
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    row_id = np.arange(len(y))
    ids = resample_aligned(sampler, row_id)
    assert len(ids) == len(y_res)
    # Kept rows and synthetic seeds both point at input rows of the same class.
    np.testing.assert_array_equal(y[ids], y_res)
    kept = len(sampler.sample_indices_)
    np.testing.assert_array_equal(X[ids[:kept]], X_res[:kept])
    two_d = resample_aligned(sampler, np.column_stack([row_id, -row_id]))
    np.testing.assert_array_equal(two_d[:, 0], ids)


def test_pandas_in_pandas_out(data):
    pd = pytest.importorskip("pandas")
    from imbtool.under_sampling import EditedNearestNeighbours

    X, y = data
    enn = EditedNearestNeighbours()
    enn.fit_resample(X, y)
    groups = pd.Series(np.arange(len(y)) // 10, index=np.arange(len(y)) + 100, name="group")
    out = resample_aligned(enn, groups)
    assert isinstance(out, pd.Series) and out.name == "group"
    assert out.index.equals(pd.RangeIndex(len(enn.sample_indices_)))
    np.testing.assert_array_equal(out.to_numpy(), groups.to_numpy()[enn.sample_indices_])
    frame = resample_aligned(enn, groups.to_frame())
    assert list(frame.columns) == ["group"]


def test_bad_calls_are_rejected(data):
    from imbtool.over_sampling import SMOTE

    X, y = data
    smote = SMOTE(random_state=0)
    with pytest.raises(Exception, match="not fitted"):
        resample_aligned(smote, y)
    smote.fit_resample(X, y)
    with pytest.raises(ValueError, match="rule must be one of"):
        resample_aligned(smote, y, rule="mean")
    with pytest.raises(ValueError, match="rows but the sampler was fitted on at least 336"):
        resample_aligned(smote, y[:-3])
    with pytest.raises(ValueError, match="numeric array"):
        resample_aligned(smote, np.array(["a"] * len(y)), rule="interpolate")
    from imbtool.over_sampling import ProWSyn

    prowsyn = ProWSyn(random_state=0)
    prowsyn.fit_resample(X, y)
    with pytest.raises(ValueError, match="ProWSyn does not record"):
        resample_aligned(prowsyn, np.ones(len(y)), rule="interpolate")


INTERPOLATING = ["SMOTE", "BorderlineSMOTE", "ADASYN", "SVMSMOTE", "KMeansSMOTE"]


@pytest.mark.parametrize("name", INTERPOLATING)
def test_synthetic_rows_are_recomputed_from_their_recorded_sources(name, data):
    import imbtool.over_sampling as over

    X, y = data
    sampler = getattr(over, name)(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    seed, partner = sampler.synthetic_sources_.T
    step = sampler.synthetic_steps_[:, None]
    np.testing.assert_allclose(X_res[len(y):], X[seed] + step * (X[partner] - X[seed]),
                               rtol=0, atol=1e-12)
    weight = np.linspace(1.0, 2.0, len(y))
    carried = resample_aligned(sampler, weight, rule="interpolate")
    expected = weight[seed] + sampler.synthetic_steps_ * (weight[partner] - weight[seed])
    np.testing.assert_allclose(carried[len(y):], expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(carried[: len(y)], weight)
