"""The regression samplers: bumps, targets per bump, provenance, frames and bad input."""

import numpy as np
import pytest

from imbtool.neighbors import kneighbors
from imbtool.regression import (
    SMOGN,
    SMOTER,
    WERCS,
    GaussNoise,
    RelevanceOverSampler,
    RelevanceUnderSampler,
    relevance,
)

POINTS = [[1.0, 0.0, 0.0], [4.0, 1.0, 0.0]]  # rare: y >= 2.5 (relevance >= 0.5)


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    return X, y


@pytest.mark.parametrize("sampler_cls", [SMOTER, GaussNoise])
def test_balance_brings_every_bump_to_the_mean_bump_size(sampler_cls):
    X, y = _data()
    rare = relevance(y, POINTS) >= 0.5
    sampler = sampler_cls(control_points=POINTS, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    # Two bumps (normal low, rare high): each becomes n / 2 rows.
    assert rare.any() and not rare.all()
    rare_res = relevance(y_res, POINTS) >= 0.5
    n_new = sampler.synthetic_sources_.shape[0]
    assert n_new == y.size // 2 - rare.sum()
    kept = sampler.sample_indices_
    assert np.array_equal(X_res[:kept.size], X[kept]) and np.array_equal(y_res[:kept.size], y[kept])
    assert np.count_nonzero(~rare[kept]) == y.size // 2  # the normal bump, under-sampled
    assert rare[kept].sum() == rare.sum()  # every rare row kept
    assert np.all(rare[sampler.synthetic_sources_[:, 0]])  # seeds are rare rows
    assert rare_res.sum() >= rare.sum()


def test_smoter_interpolates_x_and_y_by_the_recorded_steps():
    X, y = _data()
    sampler = SMOTER(control_points=POINTS, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    seeds, partners = sampler.synthetic_sources_.T
    steps = sampler.synthetic_steps_
    new = slice(sampler.sample_indices_.size, None)
    np.testing.assert_allclose(X_res[new], X[seeds] + steps[:, None] * (X[partners] - X[seeds]))
    # The inverse-distance weighted mean of the two targets: on the segment, the same step.
    d_seed = np.linalg.norm(X_res[new] - X[seeds], axis=1)
    d_partner = np.linalg.norm(X_res[new] - X[partners], axis=1)
    expected = (d_partner * y[seeds] + d_seed * y[partners]) / (d_seed + d_partner)
    np.testing.assert_allclose(y_res[new], expected, rtol=1e-9)
    # Partners are among the k nearest rows of the same rare bump.
    rare = np.flatnonzero(relevance(y, POINTS) >= 0.5)
    assert np.isin(partners, rare).all() and np.all(partners != seeds)


def test_smoter_duplicate_rows_take_the_mean_target():
    X, y = _data(60)
    rare = np.flatnonzero(relevance(y, POINTS) >= 0.5)
    X = X.copy()
    X[rare] = X[rare[0]]  # every rare row at the same point: zero distances
    sampler = SMOTER(control_points=POINTS, k_neighbors=1, random_state=0)
    if rare.size < 2:
        pytest.skip("needs two rare rows")
    _, y_res = sampler.fit_resample(X, y)
    seeds, partners = sampler.synthetic_sources_.T
    np.testing.assert_allclose(y_res[sampler.sample_indices_.size:],
                               (y[seeds] + y[partners]) / 2)


def test_gauss_noise_perturbs_around_the_seed():
    X, y = _data(2000)
    sampler = GaussNoise(control_points=POINTS, perturbation=0.1, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    seeds = sampler.synthetic_sources_[:, 0]
    assert np.all(sampler.synthetic_sources_[:, 1] == -1)
    noise = X_res[sampler.sample_indices_.size:] - X[seeds]
    # The spread is measured on the rare bump being grown (Branco et al. 2016), not on all rows.
    bump = relevance(y, POINTS) >= 0.5
    np.testing.assert_allclose(noise.std(axis=0) / X[bump].std(axis=0), 0.1, rtol=0.1)
    y_noise = y_res[sampler.sample_indices_.size:] - y[seeds]
    np.testing.assert_allclose(y_noise.std() / y[bump].std(), 0.1, rtol=0.1)
    assert not hasattr(sampler, "synthetic_steps_")
    zero = GaussNoise(control_points=POINTS, perturbation=0.0, random_state=0)
    X_zero, y_zero = zero.fit_resample(X, y)
    np.testing.assert_array_equal(X_zero[zero.sample_indices_.size:],
                                  X[zero.synthetic_sources_[:, 0]])


def test_extreme_and_list_strategies():
    X, y = _data()
    n_rare = int((relevance(y, POINTS) >= 0.5).sum())
    half = y.size / 2
    sampler = SMOTER(control_points=POINTS, sampling_strategy="extreme", random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    normal_target, rare_target = round(half**2 / (y.size - n_rare)), round(half**2 / n_rare)
    assert y_res.size == normal_target + rare_target
    sampler = SMOTER(control_points=POINTS, sampling_strategy=[1.0, 2.0], random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert y_res.size == y.size + n_rare
    with pytest.raises(ValueError, match="one factor >= 0 per bump: y has 2 bumps"):
        SMOTER(control_points=POINTS, sampling_strategy=[1.0]).fit_resample(X, y)


@pytest.mark.parametrize("sampler_cls", [SMOTER, GaussNoise])
def test_same_seed_same_output_across_n_jobs(sampler_cls):
    X, y = _data()
    params = {"n_jobs": 1} if sampler_cls is SMOTER else {}
    first = sampler_cls(random_state=3, **params).fit_resample(X, y)
    if sampler_cls is SMOTER:
        params = {"n_jobs": 2}
    second = sampler_cls(random_state=3, **params).fit_resample(X, y)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_frames_come_back_as_frames():
    pd = pytest.importorskip("pandas")
    X, y = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).astype({"a": "float32"})
    X_res, y_res = SMOTER(random_state=0).fit_resample(frame, pd.Series(y, name="target"))
    assert list(X_res.columns) == ["a", "b", "c"] and X_res["a"].dtype == np.float32
    assert y_res.name == "target"
    pl = pytest.importorskip("polars")
    X_res, y_res = SMOTER(random_state=0).fit_resample(pl.from_pandas(frame),
                                                       pl.Series("target", y))
    assert isinstance(X_res, pl.DataFrame) and X_res.schema["a"] == pl.Float32
    assert isinstance(y_res, pl.Series) and y_res.name == "target"


def test_caller_data_is_not_modified():
    X, y = _data()
    X_copy, y_copy = X.copy(), y.copy()
    SMOTER(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


@pytest.mark.parametrize("y_bad, error, message", [
    (np.ones(300), ValueError, "constant"),
    (np.r_[np.full(299, 1.0), np.nan], ValueError, "y contains NaN"),
    (np.r_[np.full(299, 1.0), np.inf], ValueError, "y contains infinity"),
    (np.array(["a", "b"] * 150), TypeError, "classification target"),
    (np.arange(300.0), ValueError, "No target is rare"),  # uniform: no box-plot extremes
])
def test_bad_target_is_refused_by_name(y_bad, error, message):
    X, _ = _data()
    with pytest.raises(error, match=message):
        SMOTER().fit_resample(X, y_bad)


def test_too_few_rare_rows_for_k_neighbors():
    X, y = _data()
    y = y.copy()
    y[np.argsort(y)[-3:]] = 50.0 + np.arange(3)  # three rows far beyond the rest
    with pytest.raises(ValueError, match="rare bump has 3 rows, fewer than k_neighbors"):
        SMOTER(control_points=[[10.0, 0.0, 0.0], [40.0, 1.0, 0.0]]).fit_resample(X, y)


def test_non_increasing_control_points_are_refused():
    X, y = _data()
    with pytest.raises(ValueError, match="strictly increasing"):
        SMOTER(control_points=[[4.0, 1.0], [1.0, 0.0]]).fit_resample(X, y)


def test_relevance_under_sampler_keeps_rare_rows_and_shrinks_normal_bumps():
    X, y = _data()
    rare = relevance(y, POINTS) >= 0.5
    sampler = RelevanceUnderSampler(control_points=POINTS, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    kept = sampler.sample_indices_
    np.testing.assert_array_equal(X_res, X[kept])
    assert rare[kept].sum() == rare.sum() and np.count_nonzero(~rare[kept]) == y.size // 2
    assert sampler.synthetic_sources_.shape == (0, 2)


def test_relevance_over_sampler_copies_rare_rows():
    X, y = _data()
    rare = relevance(y, POINTS) >= 0.5
    sampler = RelevanceOverSampler(control_points=POINTS, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.sample_indices_, np.arange(y.size))
    seeds = sampler.synthetic_sources_[:, 0]
    np.testing.assert_array_equal(X_res[y.size:], X[seeds])
    np.testing.assert_array_equal(y_res[y.size:], y[seeds])
    assert rare[seeds].all() and rare.sum() + seeds.size == y.size // 2
    # Each rare row is copied floor(n_new / n_rare) or one more times.
    counts = np.bincount(seeds, minlength=y.size)[rare]
    assert counts.max() - counts.min() <= 1


def test_wercs_draws_by_relevance():
    X, y = _data(2000)
    phi = relevance(y, POINTS)
    sampler = WERCS(control_points=POINTS, over=0.5, under=0.3, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    kept, seeds = sampler.sample_indices_, sampler.synthetic_sources_[:, 0]
    assert kept.size == 2000 - 600 and seeds.size == 1000
    assert np.all(phi[seeds] > 0)  # relevance 0 is never drawn for over-sampling
    assert np.all(np.isin(np.flatnonzero(phi == 1), kept))  # relevance 1 is never removed
    np.testing.assert_array_equal(X_res[kept.size:], X[seeds])
    noisy = WERCS(control_points=POINTS, perturbation=0.1, random_state=0)
    X_noisy, _ = noisy.fit_resample(X, y)
    assert not np.array_equal(X_noisy[noisy.sample_indices_.size:],
                              X[noisy.synthetic_sources_[:, 0]])


def test_wercs_refuses_removing_more_than_the_removable_rows():
    X, y = _data()
    with pytest.raises(ValueError, match="lower under"):
        WERCS(control_points=[[0.0, 1.0], [1.0, 1.0]], under=0.5).fit_resample(X, y)


def test_smogn_interpolates_safe_neighbours_and_perturbs_the_others():
    X, y = _data(1000)
    sampler = SMOGN(control_points=POINTS, k_neighbors=5, perturbation=0.02, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    seeds, partners = sampler.synthetic_sources_.T
    steps = sampler.synthetic_steps_
    new_X, new_y = X_res[sampler.sample_indices_.size:], y_res[sampler.sample_indices_.size:]
    rare = np.flatnonzero(relevance(y, POINTS) >= 0.5)
    # maxD: half the median of the seed's distances to every other row of its bump.
    between = np.linalg.norm(X[rare][:, None] - X[rare][None], axis=2)
    others = between[~np.eye(rare.size, dtype=bool)].reshape(rare.size, rare.size - 1)
    safe_distance = dict(zip(rare, np.median(others, axis=1) / 2))
    _, neighbours = kneighbors(X, 5, rows=rare, among=rare)
    neighbours = dict(zip(rare, neighbours))
    interpolated = partners >= 0
    assert interpolated.any() and (~interpolated).any()
    for i in np.flatnonzero(interpolated):
        s, p = seeds[i], partners[i]
        assert np.linalg.norm(X[p] - X[s]) < safe_distance[s] and p in neighbours[s]
        np.testing.assert_allclose(new_X[i], X[s] + steps[i] * (X[p] - X[s]))
        np.testing.assert_allclose(new_y[i], y[s] + steps[i] * (y[p] - y[s]))
    noise = ~interpolated
    assert np.isnan(steps[noise]).all()
    # Noise of at most `perturbation` standard deviations of each column over the bump.
    scaled = np.abs(new_X[noise] - X[seeds[noise]]) / X[rare].std(axis=0)
    assert scaled.max() < 0.02 * 6 and scaled.max() > 0


def test_smogn_noise_share_on_a_case_computed_by_hand():
    # One rare bump of nine rows on a line: x = 0..7 and an outlier at 20; k = 2.
    # Seed 0: distances to the others 1..7, 20 -> median 4.5, maxD 2.25; its two
    # neighbours (1, 2) are safe. Seed 3: 1, 1, 2, 2, 3, 3, 4, 17 -> maxD 1.25, neighbours
    # at 1: safe; likewise every seed in 0..7. Seed 20: 13..20 -> maxD 8.25, neighbours at
    # 13 and 14: unsafe. So exactly the rows seeded by 20 are noise: 1 in 9. (Half the
    # median over the 2 neighbours only would make every pair unsafe: all noise.)
    x_rare = np.r_[np.arange(8.0), 20.0]
    X = np.r_[x_rare, np.linspace(-50, -30, 27)][:, None]
    y = np.r_[np.full(9, 10.0), np.linspace(0.0, 1.0, 27)]
    points = [[1.0, 0.0], [10.0, 1.0]]
    sampler = SMOGN(control_points=points, k_neighbors=2, sampling_strategy=[1.0, 3.0],
                    random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    seeds, partners = sampler.synthetic_sources_.T
    assert seeds.size == 18  # the rare bump grows from 9 to 27 rows: each seeds twice
    noise = partners == -1
    assert noise.sum() == 2 and np.all(seeds[noise] == 8)
    assert np.all(np.abs(X[partners[~noise], 0] - X[seeds[~noise], 0]) <= 2)


def test_smogn_refuses_too_few_rare_rows():
    X, y = _data()
    with pytest.raises(ValueError, match="fewer than k_neighbors"):
        SMOGN(control_points=POINTS, k_neighbors=299).fit_resample(X, y)


def test_a_regression_sampler_is_a_pipeline_step_scored_by_sera():
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import cross_val_score

    from imbtool.metrics import get_scorer
    from imbtool.pipeline import Pipeline
    from imbtool.utils import resample_aligned

    X, y = _data()
    pipe = Pipeline([("sampler", SMOTER(random_state=0)), ("model", LinearRegression())])
    scores = cross_val_score(pipe, X, y, cv=3, scoring=get_scorer("sera"))
    assert scores.shape == (3,) and np.all(np.isfinite(scores)) and np.all(scores <= 0)
    sampler = SMOTER(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    weight = resample_aligned(sampler, np.arange(y.size, dtype=float))
    assert weight.shape == y_res.shape
    np.testing.assert_array_equal(weight[:sampler.sample_indices_.size], sampler.sample_indices_)


def _mixed_frame(n=300, seed=0):
    pd = pytest.importorskip("pandas")
    X, y = _data(n, seed)
    rng = np.random.default_rng(seed + 1)
    # A nominal column tied to the target: the rare (high) rows are mostly "shop".
    channel = np.where(rng.random(n) < 0.8, np.where(X[:, 0] > 0.8, "shop", "web"), "app")
    frame = pd.DataFrame({"a": X[:, 0], "channel": pd.Categorical(channel),
                          "b": X[:, 1].astype(np.float32), "member": X[:, 2] > 0})
    return frame, pd.Series(y, name="target")


@pytest.mark.parametrize("sampler_cls", [SMOTER, SMOGN, GaussNoise])
def test_nominal_columns_come_back_in_their_dtypes(sampler_cls):
    frame, y = _mixed_frame()
    sampler = sampler_cls(categorical_features="auto", control_points=POINTS, random_state=0)
    X_res, y_res = sampler.fit_resample(frame, y)
    np.testing.assert_array_equal(sampler.categorical_features_, [1, 3])
    assert list(X_res.columns) == list(frame.columns)
    assert X_res.dtypes.to_dict() == frame.dtypes.to_dict()
    assert set(X_res["channel"]) <= set(frame["channel"])
    assert X_res["channel"].cat.categories.tolist() == frame["channel"].cat.categories.tolist()
    kept = sampler.sample_indices_
    assert X_res.iloc[:kept.size].reset_index(drop=True).equals(
        frame.iloc[kept].reset_index(drop=True))
    # Every new row takes its nominal values from its seed or its partner.
    new = X_res.iloc[kept.size:].reset_index(drop=True)
    seeds, partners = sampler.synthetic_sources_.T
    for column in ("channel", "member"):
        from_seed = new[column].to_numpy() == frame[column].to_numpy()[seeds]
        from_partner = (partners >= 0) & (new[column].to_numpy()
                                          == frame[column].to_numpy()[np.maximum(partners, 0)])
        assert np.all(from_seed | from_partner)


def test_smoter_nominal_value_of_the_nearer_row_and_target_by_mixed_distance():
    frame, y = _mixed_frame()
    sampler = SMOTER(categorical_features=["channel", "member"], control_points=POINTS,
                     random_state=0)
    X_res, y_res = sampler.fit_resample(frame, y)
    seeds, partners = sampler.synthetic_sources_.T
    steps = sampler.synthetic_steps_
    new = X_res.iloc[sampler.sample_indices_.size:]
    nominal = frame[["channel", "member"]].to_numpy()
    expected = np.where(steps[:, None] < 0.5, nominal[seeds], nominal[partners])
    np.testing.assert_array_equal(new[["channel", "member"]].to_numpy(), expected)
    # Numeric columns on the segment; the target weighted by the inverse mixed distance:
    # euclidean over the numeric columns, plus the bump's median numeric sd per differing
    # nominal column.
    numeric = frame[["a", "b"]].to_numpy(dtype=np.float64)
    new_numeric = new[["a", "b"]].to_numpy(dtype=np.float64)
    np.testing.assert_allclose(new_numeric, numeric[seeds] + steps[:, None]
                               * (numeric[partners] - numeric[seeds]), rtol=1e-6)
    rare = np.flatnonzero(relevance(y.to_numpy(), POINTS) >= 0.5)
    penalty = np.median(numeric[rare].std(axis=0))

    def dist(rows):
        return np.sqrt(np.sum((new_numeric - numeric[rows]) ** 2, axis=1)
                       + penalty**2 * np.sum(expected != nominal[rows], axis=1))

    to_seed, to_partner = dist(seeds), dist(partners)
    np.testing.assert_allclose(
        y_res.to_numpy()[sampler.sample_indices_.size:],
        (to_partner * y.to_numpy()[seeds] + to_seed * y.to_numpy()[partners])
        / (to_seed + to_partner), rtol=1e-5)
    assert np.any(expected != nominal[seeds]) and np.any(expected != nominal[partners])


def test_gauss_noise_leaves_nominal_columns_as_the_seed():
    X, y = _data()
    X_nominal = np.column_stack([X, np.where(X[:, 1] > 0, 3.0, 7.0)])
    sampler = GaussNoise(categorical_features=[3], control_points=POINTS, random_state=0)
    X_res, _ = sampler.fit_resample(X_nominal, y)
    seeds = sampler.synthetic_sources_[:, 0]
    new = X_res[sampler.sample_indices_.size:]
    np.testing.assert_array_equal(new[:, 3], X_nominal[seeds, 3])
    assert np.all(new[:, :3] != X_nominal[seeds, :3])


def test_object_arrays_with_text_columns():
    X, y = _data()
    X_obj = np.column_stack([X, np.where(X[:, 1] > 0, "up", "down")]).astype(object)
    X_obj[:, :3] = X
    X_res, _ = SMOGN(categorical_features=[3], control_points=POINTS,
                     random_state=0).fit_resample(X_obj, y)
    assert X_res.dtype == object and set(X_res[:, 3]) == {"up", "down"}
    np.asarray(X_res[:, :3], dtype=np.float64)  # the numeric columns stay numbers


def test_nominal_bad_input_is_refused_by_name():
    frame, y = _mixed_frame()
    with pytest.raises(ValueError, match="categorical_features='auto'.*DataFrame"):
        SMOTER(categorical_features="auto").fit_resample(frame.to_numpy(), y)
    with pytest.raises(ValueError, match="lacks"):
        SMOTER(categorical_features=["nope"]).fit_resample(frame, y)
    with pytest.raises(ValueError, match="boolean mask of length 2"):
        SMOTER(categorical_features=[True, False]).fit_resample(frame, y)
    with pytest.raises(ValueError, match="outside"):
        SMOTER(categorical_features=[9]).fit_resample(frame, y)
    gappy = frame.copy()
    gappy.loc[3, "channel"] = None
    with pytest.raises(ValueError, match="nominal column 'channel' has 1 missing"):
        SMOTER(categorical_features="auto").fit_resample(gappy, y)
    # Without categorical_features a text category has no position: the error says what to do.
    with pytest.raises(TypeError, match="categorical"):
        SMOTER().fit_resample(frame, y)


def test_polars_nominal_columns_come_back_as_polars():
    pl = pytest.importorskip("polars")
    frame, y = _mixed_frame()
    X_pl = pl.from_pandas(frame).with_columns(pl.col("channel").cast(pl.String))
    X_res, y_res = SMOTER(categorical_features="auto", control_points=POINTS,
                          random_state=0).fit_resample(X_pl, pl.Series("target", y.to_numpy()))
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == X_pl.schema
    assert set(X_res["channel"].to_list()) <= {"shop", "web", "app"}
    assert isinstance(y_res, pl.Series) and y_res.len() == X_res.height


@pytest.mark.parametrize("sampler", [RelevanceUnderSampler(random_state=0),
                                     RelevanceOverSampler(random_state=0),
                                     WERCS(random_state=0)], ids=lambda s: type(s).__name__)
def test_row_copying_samplers_take_frames_with_any_column(sampler):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(size=150), "i": rng.integers(0, 3, 150),
                      "c": pd.Categorical(rng.choice(["x", "y"], 150)),
                      "s": rng.choice(["u", "v", "w"], 150).astype(object)},
                     index=np.arange(150) * 2)
    y = np.exp(rng.normal(size=150))
    X_res, y_res = sampler.fit_resample(X, y)
    rows = np.concatenate([sampler.sample_indices_, sampler.synthetic_sources_[:, 0]])
    # The output rows are the input rows named by the provenance, in the input's dtypes.
    pd.testing.assert_frame_equal(X_res, X.iloc[rows].reset_index(drop=True))
    np.testing.assert_array_equal(y_res, y[rows])
    # The same draws as on the numeric columns alone, as arrays.
    numeric = type(sampler)(random_state=0).fit_resample(X[["a", "i"]].to_numpy(float), y)
    np.testing.assert_array_equal(X_res[["a", "i"]].to_numpy(float), numeric[0])
    np.testing.assert_array_equal(y_res, numeric[1])


def test_wercs_with_noise_still_refuses_text_columns():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(size=150),
                      "c": pd.Categorical(rng.choice(["x", "y"], 150))})
    with pytest.raises(TypeError, match="column 'c'"):
        WERCS(perturbation=0.1, random_state=0).fit_resample(X, np.exp(rng.normal(size=150)))
