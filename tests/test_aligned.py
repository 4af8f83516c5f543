"""Provenance of every sampler, and resample_aligned carrying row-aligned arrays with it.

Every sampler's output is ``X[sample_indices_]`` followed by one synthetic row
per ``synthetic_sources_`` row (``[seed, partner]``); where
``synthetic_steps_`` is recorded, each synthetic row is recomputed from its
sources. Checked on real data for every sampler the registry finds, so a new
sampler without provenance fails here.
"""

import functools
import warnings

import numpy as np
import pytest

from imbtool.datasets import load_dataset
from imbtool.utils import all_estimators, resample_aligned

SETS = ["ecoli1", "glass1", "pima", "yeast4", "page-blocks0"]
# Data sets per sampler where the default list does not fit: nominal data for the
# nominal SMOTEs; a random forest cross-validated per fit is slow on the larger sets;
# yeast4's minority is too scattered for KMeansSMOTE's default cluster threshold.
SETS_OF = {
    "SMOTEN": ["flare-F"],
    "SMOTENC": ["abalone9-18", "german"],
    "InstanceHardnessThreshold": ["ecoli1", "glass1"],
    "KMeansSMOTE": ["ecoli1", "glass1", "pima", "page-blocks0"],
}

SAMPLERS = [cls for _, cls in all_estimators("sampler")]
# Non-default settings that take another provenance path.
VARIANTS = [
    ("PolynomFitSMOTE", {"topology": "bus"}),
    ("PolynomFitSMOTE", {"topology": "mesh"}),
    ("PolynomFitSMOTE", {"topology": "polynomial"}),
    ("RandomOverSampler", {"shrinkage": 0.5}),
    ("ClusterCentroids", {"voting": "hard"}),
    ("GeometricSMOTE", {"selection_strategy": "majority"}),
    ("SMOTEENN", {"smote": "SafeLevelSMOTE"}),
    ("SMOTETomek", {"smote": "RandomOverSampler"}),
    ("SMOTEENN", {"sampling_strategy": 0.8}),
]
BY_NAME = {cls.__name__: cls for cls in SAMPLERS}


@functools.cache
def _data(name):
    return load_dataset(name)


def _build(cls, data, **params):
    params = {key: BY_NAME[value](random_state=1) if key == "smote" else value
              for key, value in params.items()}
    sampler = cls(**params)
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    if cls.__name__ == "SMOTENC":
        sampler.set_params(categorical_features=data.categorical_features)
    return sampler


def _interpolated(values, sources, steps):
    """``seed + step * (partner - seed)`` row by row; the seed's value without a partner."""
    seed, partner = sources.T
    partner = np.where(partner >= 0, partner, seed)
    step = steps if steps.ndim == values.ndim else steps.reshape(steps.shape + (1,) * (
        values.ndim - 1))
    return values[seed] + step * (values[partner] - values[seed])


def check_provenance(sampler, data):
    X, y = data.data, data.target
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # e.g. LeeSMOTE raising its level
        X_res, y_res = sampler.fit_resample(X, y)
    X_res = np.asarray(X_res, dtype=np.float64)
    kept = sampler.sample_indices_
    sources = getattr(sampler, "synthetic_sources_", np.empty((0, 2), dtype=np.int64))
    n_kept = len(kept)
    assert n_kept + len(sources) == len(y_res)
    assert sources.shape[1] == 2 and np.all((sources >= -1) & (sources < len(y)))
    assert np.all(sources[:, 0] >= 0)
    # Kept rows are the input rows; a synthetic row has its seed's class.
    np.testing.assert_array_equal(X_res[:n_kept], X[kept])
    np.testing.assert_array_equal(y_res[:n_kept], y[kept])
    np.testing.assert_array_equal(y_res[n_kept:], y[sources[:, 0]])

    steps = getattr(sampler, "synthetic_steps_", None)
    if steps is not None:
        assert len(steps) == len(sources)
        columns = getattr(sampler, "continuous_features_", slice(None))
        np.testing.assert_allclose(X_res[n_kept:, columns],
                                   _interpolated(X[:, columns], sources, steps),
                                   rtol=0, atol=1e-12)

    row_id = np.arange(len(y))
    origin = np.concatenate([kept, sources[:, 0]])
    for array, expected in [(row_id, origin),
                            (np.column_stack([row_id, -row_id]),
                             np.column_stack([origin, -origin]))]:
        np.testing.assert_array_equal(resample_aligned(sampler, array), expected)
        np.testing.assert_array_equal(resample_aligned(sampler, array.tolist()), expected)

    weight = np.linspace(1.0, 2.0, len(y))
    costs = np.column_stack([weight, weight**2])
    if len(sources) and (steps is None or steps.ndim == 2):
        with pytest.raises(ValueError, match="synthetic_steps_"):
            resample_aligned(sampler, weight, rule="interpolate")
        return
    steps = np.zeros(0) if steps is None else steps  # no synthetic row: nothing to interpolate
    for array in (weight, costs):
        carried = resample_aligned(sampler, array, rule="interpolate")
        np.testing.assert_array_equal(carried[:n_kept], array[kept])
        np.testing.assert_allclose(carried[n_kept:], _interpolated(array, sources, steps),
                                   rtol=0, atol=1e-12)
    pd = pytest.importorskip("pandas")
    index = np.arange(len(y)) * 3 + 7
    series = pd.Series(weight, index=index, name="w")
    frame = pd.DataFrame(costs, index=index, columns=["a", "b"])
    for rule in ("seed", "interpolate"):
        out = resample_aligned(sampler, series, rule=rule)
        assert isinstance(out, pd.Series) and out.name == "w"
        assert out.index.equals(pd.RangeIndex(len(y_res)))
        np.testing.assert_array_equal(out.to_numpy(), resample_aligned(sampler, weight, rule=rule))
        out = resample_aligned(sampler, frame, rule=rule)
        assert isinstance(out, pd.DataFrame) and list(out.columns) == ["a", "b"]
        np.testing.assert_array_equal(out.to_numpy(), resample_aligned(sampler, costs, rule=rule))


@pytest.mark.parametrize("cls", SAMPLERS, ids=[cls.__name__ for cls in SAMPLERS])
def test_every_output_row_maps_to_its_origin_on_real_data(cls):
    for name in SETS_OF.get(cls.__name__, SETS):
        data = _data(name)
        check_provenance(_build(cls, data), data)


@pytest.mark.parametrize("name, params", VARIANTS,
                         ids=[f"{name}-{'-'.join(map(str, p.values()))}" for name, p in VARIANTS])
def test_other_settings_record_provenance_too(name, params):
    for set_name in ("ecoli1", "pima"):
        data = _data(set_name)
        check_provenance(_build(BY_NAME[name], data, **params), data)


def test_a_refit_without_steps_drops_the_previous_steps():
    from imbtool.over_sampling import PolynomFitSMOTE

    data = _data("ecoli1")
    sampler = PolynomFitSMOTE(topology="mesh", random_state=0)
    sampler.fit_resample(data.data, data.target)
    assert sampler.synthetic_steps_.shape == (len(sampler.synthetic_sources_),)
    sampler.set_params(topology="star").fit_resample(data.data, data.target)
    assert not hasattr(sampler, "synthetic_steps_")


def test_cluster_centroids_sources_and_members():
    from imbtool.under_sampling import ClusterCentroids

    data = _data("glass1")
    X, y = data.data, data.target
    sampler = ClusterCentroids(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    centroids = X_res[len(sampler.sample_indices_):]
    seeds = sampler.synthetic_sources_[:, 0]
    # The seed is the nearest row of the centroid's class (brute force).
    for centroid, seed in zip(centroids, seeds):
        rows = np.flatnonzero(y == y[seed])
        dist = np.linalg.norm(X[rows] - centroid, axis=1)
        assert dist[rows == seed][0] == dist.min()
    members = sampler.centroid_members_.toarray()
    resampled = np.isin(y, list(sampler.sampling_strategy_))
    # Each row of a resampled class belongs to exactly one centroid of its class...
    np.testing.assert_array_equal(members.sum(axis=0), resampled.astype(int))
    assert all(set(y[row.astype(bool)]) == {y[seed]} for row, seed in zip(members, seeds))
    # ...and KMeans' centroid is their mean.
    np.testing.assert_allclose(members @ X / members.sum(axis=1, keepdims=True), centroids,
                               rtol=1e-9, atol=1e-9)
    # Hard voting outputs those seeds, in the same order.
    hard = ClusterCentroids(random_state=0, voting="hard")
    X_hard, _ = hard.fit_resample(X, y)
    np.testing.assert_array_equal(hard.sample_indices_,
                                  np.concatenate([sampler.sample_indices_, seeds]))


@pytest.mark.parametrize("name", ["SMOTEENN", "SMOTETomek"])
def test_cleaned_output_holds_imblearns_rows_originals_first(name):
    import imblearn.combine as reference

    data = _data("ecoli1")
    # Minority labelled 0, so ENN's per-class output would interleave originals and
    # synthetic rows; a tiny jitter breaks neighbour ties as in test_combine.
    X = data.data + 1e-7 * data.data.std(axis=0) * np.random.default_rng(0).standard_normal(
        data.data.shape)
    y = 1 - data.target
    sampler = BY_NAME[name](random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_ref, y_ref = getattr(reference, name)(random_state=0).fit_resample(X, y)
    n_kept = len(sampler.sample_indices_)
    assert np.all(np.diff(sampler.sample_indices_[y[sampler.sample_indices_] == 0]) > 0)
    assert n_kept < len(y_res) and np.all(y_res[n_kept:] == 0)
    order = np.lexsort(X_res.T[::-1])
    order_ref = np.lexsort(X_ref.T[::-1])
    np.testing.assert_array_equal(X_res[order], X_ref[order_ref])
    np.testing.assert_array_equal(y_res[order], y_ref[order_ref])


def test_bad_calls_are_rejected():
    from imbtool.over_sampling import SMOTE, SafeLevelSMOTE

    data = _data("ecoli1")
    X, y = data.data, data.target
    smote = SMOTE(random_state=0)
    with pytest.raises(Exception, match="not fitted"):
        resample_aligned(smote, y)
    smote.fit_resample(X, y)
    with pytest.raises(ValueError, match="rule must be one of"):
        resample_aligned(smote, y, rule="mean")
    for wrong in (y[:-3], np.append(y, y[:2])):
        with pytest.raises(ValueError, match=f"array has {len(wrong)} rows but SMOTE was fitted "
                                             "on 336"):
            resample_aligned(smote, wrong)
    # A sampler that does not record its input length (imbalanced-learn's): only an array
    # too short for the recorded rows can be caught.
    from imblearn.under_sampling import RandomUnderSampler

    rus = RandomUnderSampler(random_state=0)
    rus.fit_resample(X, y)
    with pytest.raises(ValueError, match="rows but the sampler was fitted on at least"):
        resample_aligned(rus, y[: int(rus.sample_indices_.max())])
    with pytest.raises(ValueError, match="numeric array"):
        resample_aligned(smote, np.array(["a"] * len(y)), rule="interpolate")
    with pytest.raises(TypeError, match="array-like"):
        resample_aligned(smote, 3.0)
    safe = SafeLevelSMOTE(random_state=0)
    safe.fit_resample(X, y)
    with pytest.raises(ValueError, match="SafeLevelSMOTE interpolates each feature"):
        resample_aligned(safe, np.ones(len(y)), rule="interpolate")


def test_weighted_refit_drops_the_previous_fits_attributes():
    # The weight-counting path fits a copy of the sampler; what that fit removes (here
    # the mesh topology's steps, or soft voting's centroid members) must go as well.
    from imbtool.over_sampling import PolynomFitSMOTE
    from imbtool.under_sampling import ClusterCentroids

    data = _data("ecoli1")
    X, y = data.data, data.target
    weight = np.where(y == 1, 2.0, 1.0)
    poly = PolynomFitSMOTE(topology="mesh", class_counts="weight")
    poly.fit_resample(X, y, sample_weight=weight)
    assert hasattr(poly, "synthetic_steps_")
    poly.set_params(topology="star").fit_resample(X, y, sample_weight=weight)
    assert not hasattr(poly, "synthetic_steps_")
    cc = ClusterCentroids(voting="soft", random_state=0, class_counts="weight")
    cc.fit_resample(X, y, sample_weight=weight)
    assert hasattr(cc, "centroid_members_")
    cc.set_params(voting="hard").fit_resample(X, y, sample_weight=weight)
    assert not hasattr(cc, "centroid_members_")
    assert cc.n_samples_fit_ == len(y)


def test_every_sampler_declares_the_provenance_it_records():
    # imbalanced-learn's sampler checks read the sample_indices tag.
    from sklearn.utils import get_tags

    for name, cls in all_estimators("sampler"):
        assert get_tags(cls()).sampler_tags.sample_indices, name
