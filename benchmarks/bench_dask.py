"""The out-of-core recipe on a LocalCluster whose workers hold less memory than the data.

    python benchmarks/bench_dask.py [--rows 10000000] [--worker-memory 384MiB] [--folder DIR]
        [--recipes imbtool hand-made] [--seeds 0 1 2]

Data: ``--rows`` training rows x 20 float32 features and as many validation and
test rows as a quarter of that, written chunk by chunk (200,000 rows a file) to
parquet, so no process ever holds a whole set; the label is drawn from a
logistic model with 5 informative features and about 0.5 % positives. The
cluster: 2 worker processes, 1 thread each, ``--worker-memory`` each, a new
cluster for every recipe and seed.

Recipes, each timed from reading the parquet files to its tuned threshold and
test AP; every one keeps all positives and 10 negatives per positive, and
fits LightGBM (100 rounds, the same parameters, one thread per process:
LightGBM's threads spin when the cores are oversubscribed) seeded with the
run's seed, which also seeds the down-sampling draw:

- **imbtool** (booster): ``imbtool.dask.PriorCorrectedClassifier`` (its
  ``RandomUnderSampler`` draws the negatives with exact quotas; LightGBM is
  fitted on the gathered sample with its classes weighted equally,
  ``class_weight="balanced"``; the probabilities are corrected to the true
  prior partition by partition), then ``imbtool.dask.tune_threshold`` (F1,
  validation set) and ``imbtool.dask.average_precision`` (test set), out of
  core.
- **imbtool-smote**: the same with SMOTE on the minority between the
  down-sample and the booster: the estimator is
  ``imbtool.pipeline.make_pipeline(SMOTE(sampling_strategy=0.5), LightGBM)``
  fitted unweighted (SMOTE does the re-balancing), the training prior counted
  after SMOTE's rows.
- **imbtool-ensemble**: ``imbtool.dask.RandomUnderSampler`` then
  ``imbtool.dask.SMOTE(sampling_strategy=0.5)`` (the minority gathered, its
  new rows appended as partitions), both held on the workers, then
  ``imbtool.dask.UnderBaggingClassifier`` with 5 LightGBM members, each
  fitted on a worker on its own balanced draw; the members' mean probability
  corrected from their training prior (the class shares of the members'
  samples) to the true one by ``imbtool.dask.PriorCorrectedClassifier``,
  partition by partition.
- **hand-made**: Dask's ``DataFrame.sample`` keeps each negative with the
  probability that gives the same expected sample size, every positive kept;
  ``lightgbm.dask.DaskLGBMClassifier(scale_pos_weight=10)`` on the workers;
  the probabilities corrected by hand (``q = p / (p + (1 - p) w)``, ``w`` =
  scale_pos_weight / negative rate: the factor by which the training odds
  exceed the true ones); the F1 threshold from the validation predictions
  collected on the client.

Printed per recipe and seed: wall time, training rows per second, AP and ECE
(15 equal-mass bins, ``imbtool.metrics.expected_calibration_error``) on the
test set (the predictions are collected for these two figures only, outside
the timing), F1 at the tuned threshold, each worker's peak resident memory and
the client's (the script's process, a running maximum: run one recipe per
command to read a recipe's own). With several seeds, the mean and range of AP
and ECE per recipe and each imbtool recipe's difference from the hand-made
one, paired by seed.
"""

import argparse
import os
import shutil
import tempfile
import time

import dask
import dask.dataframe as dd
import lightgbm
import numpy as np
import pandas as pd
from _common import machine_line
from distributed import Client, LocalCluster
from sklearn.metrics import f1_score, precision_recall_curve

from imbtool import dask as imbdask
from imbtool.dask import RandomUnderSampler
from imbtool.metrics import average_precision, expected_calibration_error
from imbtool.over_sampling import SMOTE
from imbtool.pipeline import make_pipeline

N_FEATURES = 20
CHUNK = 200_000
# Logistic model of the label: 5 informative features; the intercept puts the positive
# share near 0.5 % (the logit's spread is about 1.5).
WEIGHTS = np.r_[1.0, 0.8, 0.6, 0.4, 0.2, np.zeros(N_FEATURES - 5)]
INTERCEPT = -7.0
# Negatives kept per positive by every recipe.
NEGATIVES_PER_POSITIVE = 10
# SMOTE grows the positives of the 1:10 down-sample to 1:2 (sampling_strategy 0.5): a usual
# target that leaves the negatives in the majority.
SMOTE_RATIO = 0.5
# Members of the under-bagging ensemble: each sees every (real or synthetic) positive and as
# many negatives, so 5 members see the down-sample's negatives about 2.5 times over.
N_MEMBERS = 5
LGBM = dict(n_estimators=100, learning_rate=0.1, num_leaves=31, verbose=-1)


def write_set(folder, rows, seed):
    """``rows`` rows written as parquet files of CHUNK rows, one chunk in memory at a time."""
    os.makedirs(folder)
    for i, start in enumerate(range(0, rows, CHUNK)):
        rng = np.random.default_rng([seed, i])
        n = min(CHUNK, rows - start)
        X = rng.standard_normal((n, N_FEATURES), dtype=np.float32)
        logit = X @ WEIGHTS + INTERCEPT
        y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
        frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(N_FEATURES)]).assign(y=y)
        frame.to_parquet(os.path.join(folder, f"part-{i:05d}.parquet"), index=False)


def read(folder):
    # One partition per file for every column selection: X and y must be partitioned alike.
    frame = dd.read_parquet(folder, blocksize=None)
    return frame[[f"f{j}" for j in range(N_FEATURES)]], frame["y"]


def booster(seed):
    return lightgbm.LGBMClassifier(**LGBM, n_jobs=1, random_state=seed)


def down_sampler(seed):
    return RandomUnderSampler(sampling_strategy=1 / NEGATIVES_PER_POSITIVE, random_state=seed)


def tuned_and_scored(positive, folders):
    """The F1 threshold (validation set) and the test AP of ``positive``'s scores, out of core."""
    X_val, y_val = read(folders["valid"])
    threshold, _ = imbdask.tune_threshold(y_val, positive(X_val), "f1")
    X_test, y_test = read(folders["test"])
    return threshold, imbdask.average_precision(y_test, positive(X_test))


def prior_corrected_recipe(folders, seed, smote):
    X, y = read(folders["train"])
    estimator = booster(seed)
    if smote:
        estimator = make_pipeline(SMOTE(sampling_strategy=SMOTE_RATIO, random_state=seed),
                                  estimator)
    clf = imbdask.PriorCorrectedClassifier(estimator, sampler=down_sampler(seed),
                                           class_weight=None if smote else "balanced")
    clf.fit(X, y)

    def positive(features):
        return clf.predict_proba(features)["1"]

    return (positive, *tuned_and_scored(positive, folders))


def ensemble_recipe(folders, seed):
    X, y = read(folders["train"])
    sampler = down_sampler(seed)
    # The down-sample held on the workers: SMOTE reads it twice (partition sizes, the
    # minority) and the members again; it is drawn from the parquet files once.
    X_down, y_down = dask.persist(*sampler.fit_resample(X, y))
    X_grown, y_grown = imbdask.SMOTE(sampling_strategy=SMOTE_RATIO,
                                     random_state=seed).fit_resample(X_down, y_down)
    # The members read the grown sample several times (class counts, key search, fit).
    X_grown, y_grown = dask.persist(X_grown, y_grown)
    # The members' mean probability moved from their training prior (the class shares of
    # their samples) to the data's, given here: the grown sample's frequencies are not it.
    clf = imbdask.PriorCorrectedClassifier(
        # n_jobs: the members are fitted at once on the workers (None fits one at a time).
        imbdask.UnderBaggingClassifier(booster(seed), n_estimators=N_MEMBERS, n_jobs=N_MEMBERS,
                                       random_state=seed),
        sampler=None, deployment_prior=sampler.class_counts_).fit(X_grown, y_grown)

    def positive(features):
        return clf.predict_proba(features)["1"]

    return (positive, *tuned_and_scored(positive, folders))


def hand_recipe(folders, client, seed):
    X, y = read(folders["train"])
    frame = X.assign(y=y)
    n_pos = int(y.sum().compute())
    n_neg = int(len(y)) - n_pos
    rate = min(1.0, NEGATIVES_PER_POSITIVE * n_pos / n_neg)
    sample = dd.concat([frame[frame.y == 1], frame[frame.y == 0].sample(frac=rate,
                                                                          random_state=seed)])
    sample = sample.persist()
    # n_jobs=1: LightGBM trains with each worker's thread count whatever n_jobs says, but
    # predicts with n_jobs threads (None: every core) per worker.
    model = lightgbm.dask.DaskLGBMClassifier(**LGBM, scale_pos_weight=NEGATIVES_PER_POSITIVE,
                                            n_jobs=1, random_state=seed, client=client)
    model.fit(sample.drop(columns="y"), sample["y"])
    w = NEGATIVES_PER_POSITIVE / rate

    def corrected(features):
        p = model.predict_proba(features)[:, 1]
        return p / (p + (1 - p) * w)

    X_val, y_val = read(folders["valid"])
    p_val, y_val = dask.compute(corrected(X_val), y_val)
    precision, recall, thresholds = precision_recall_curve(y_val, p_val)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-300)
    threshold = thresholds[np.argmax(f1[:-1])]
    X_test, y_test = read(folders["test"])
    p_test, y_test = dask.compute(corrected(X_test), y_test)
    return corrected, threshold, average_precision(y_test, p_test)


RECIPES = {
    "imbtool": lambda folders, client, seed: prior_corrected_recipe(folders, seed, smote=False),
    "imbtool-smote": lambda folders, client, seed: prior_corrected_recipe(folders, seed,
                                                                          smote=True),
    "imbtool-ensemble": lambda folders, client, seed: ensemble_recipe(folders, seed),
    "hand-made": hand_recipe,
}


def _peak_rss_mib():
    # The high-water mark of this process's own memory map (VmHWM). Not getrusage's
    # ru_maxrss: a worker is forked from the client and exec'd, and Linux carries the
    # client's resident size at the fork into the worker's ru_maxrss.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("/proc/self/status has no VmHWM line (Linux only).")


def collect(collection):
    """A 1-D Dask collection as a NumPy array, each partition sent to the client on its own
    (``dask.compute`` joins them on one worker first, which must then hold them all)."""
    return np.concatenate([np.asarray(part) for part in
                           dask.compute(list(collection.to_delayed()))[0]])


def run(name, folders, seed, worker_memory, train_rows):
    """One recipe on a fresh cluster (each worker's peak memory is then the recipe's own)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=worker_memory,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        start = time.perf_counter()
        predict, threshold, ap = RECIPES[name](folders, client, seed)
        seconds = time.perf_counter() - start
        peaks = client.run(_peak_rss_mib)
        X_test, y_test = read(folders["test"])
        p_test, y_test = collect(predict(X_test)), collect(y_test)
    ece = expected_calibration_error(y_test, p_test, n_bins=15)
    f1 = f1_score(y_test, p_test >= threshold)
    print(f"{name}, seed {seed}: {seconds:.1f} s, {train_rows / seconds:,.0f} training rows/s, "
          f"AP {ap:.4f} (in memory {average_precision(y_test, p_test):.4f}), "
          f"ECE {ece:.5f}, F1 {f1:.4f} at {threshold:.4f}, peak RSS per worker "
          f"{', '.join(f'{v:.0f}' for v in peaks.values())} MiB, client "
          f"{_peak_rss_mib():.0f} MiB, load {os.getloadavg()[0]:.1f}", flush=True)
    return {"seconds": seconds, "ap": ap, "ece": ece}


def summarise(results, seeds):
    """Mean and range per recipe; each imbtool recipe against the hand-made one, by seed."""
    for name, runs in results.items():
        line = []
        for figure in ("ap", "ece", "seconds"):
            values = np.array([r[figure] for r in runs])
            line.append(f"{figure} {values.mean():.5f} ({values.min():.5f}-{values.max():.5f})")
        print(f"{name} over seeds {seeds}: {', '.join(line)}")
    hand = results.get("hand-made")
    for name, runs in results.items():
        if hand is None or name == "hand-made":
            continue
        gap = {f: np.array([r[f] for r in runs]) - np.array([h[f] for h in hand])
               for f in ("ap", "ece")}
        ratio = np.array([r["seconds"] / h["seconds"] for r, h in zip(runs, hand, strict=True)])
        print(f"{name} - hand-made, paired by seed: AP {gap['ap'].mean():+.5f} "
              f"({gap['ap'].min():+.5f} to {gap['ap'].max():+.5f}), ECE "
              f"{gap['ece'].mean():+.5f} ({gap['ece'].min():+.5f} to {gap['ece'].max():+.5f}), "
              f"time ratio {ratio.mean():.2f}x ({ratio.min():.2f}-{ratio.max():.2f})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--worker-memory", default="384MiB")
    parser.add_argument("--folder", default=None)
    parser.add_argument("--recipes", nargs="+", choices=list(RECIPES),
                        default=["imbtool", "hand-made"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    args = parser.parse_args()
    root = args.folder or tempfile.mkdtemp(prefix="bench_dask_")
    folders = {name: os.path.join(root, name) for name in ("train", "valid", "test")}
    sizes = {"train": args.rows, "valid": args.rows // 4, "test": args.rows // 4}
    start = time.perf_counter()
    for seed, name in enumerate(folders):
        if not os.path.exists(folders[name]):
            write_set(folders[name], sizes[name], seed)
    data_mib = sum(os.path.getsize(os.path.join(f, n)) for f in folders.values()
                   for n in os.listdir(f)) / 2**20
    in_memory_mib = sum(sizes.values()) * (N_FEATURES * 4 + 1) / 2**20
    print(machine_line())
    print(f"data: {sizes} rows x {N_FEATURES} float32, {in_memory_mib:.0f} MiB in memory, "
          f"{data_mib:.0f} MiB of parquet, ready in {time.perf_counter() - start:.0f} s, "
          f"client peak RSS {_peak_rss_mib():.0f} MiB")
    print(f"cluster: 2 workers x 1 thread x {args.worker_memory}, a new cluster per run")
    results = {}
    # Seeds outermost: a change of load during the run falls on every recipe alike.
    for seed in args.seeds:
        for name in args.recipes:
            results.setdefault(name, []).append(
                run(name, folders, seed, args.worker_memory, sizes["train"]))
    if len(args.seeds) > 1:
        summarise(results, args.seeds)
    if args.folder is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
