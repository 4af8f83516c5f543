"""The out-of-core recipe on a LocalCluster whose workers hold less memory than the data.

    python benchmarks/bench_dask.py [--rows 10000000] [--worker-memory 384MiB] [--folder DIR]

Data: ``--rows`` training rows x 20 float32 features and as many validation and
test rows as a quarter of that, written chunk by chunk (200,000 rows a file) to
parquet, so no process ever holds a whole set; the label is drawn from a
logistic model with 5 informative features and about 0.5 % positives. The
cluster: 2 worker processes, 1 thread each, ``--worker-memory`` each.

Recipes, each timed from reading the parquet files to its tuned threshold:

- **imbtool**: ``imbtool.dask.PriorCorrectedClassifier`` (its
  ``RandomUnderSampler`` keeps every positive and 10 negatives per positive,
  exact quotas; a LightGBM classifier fitted on the gathered sample with its
  classes weighted equally, ``class_weight="balanced"``; the
  probabilities corrected to the true prior partition-wise), then
  ``imbtool.dask.tune_threshold`` (F1, validation set) and
  ``imbtool.dask.average_precision`` (test set), out of core.
- **hand-made**: Dask's ``DataFrame.sample`` keeps each negative with the
  probability that gives the same expected sample size, every positive kept;
  ``lightgbm.dask.DaskLGBMClassifier(scale_pos_weight=10)`` on the workers;
  the probabilities corrected by hand (``q = p / (p + (1 - p) w)``, ``w`` =
  scale_pos_weight / negative rate: the factor by which the training odds
  exceed the true ones); the F1 threshold from the validation predictions
  collected on the client.

Both use 100 LightGBM rounds with the same parameters, one thread per process
(LightGBM's threads spin when the cores are oversubscribed). Printed: wall time,
training rows per second, AP and ECE (15 equal-mass bins,
``imbtool.metrics.expected_calibration_error``) on the test set (the
predictions are collected for these two figures only, outside the timing),
F1 at the tuned threshold, and each worker's peak resident memory.
"""

import argparse
import os
import resource
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

N_FEATURES = 20
CHUNK = 200_000
# Logistic model of the label: 5 informative features; the intercept puts the positive
# share near 0.5 % (the logit's spread is about 1.5).
WEIGHTS = np.r_[1.0, 0.8, 0.6, 0.4, 0.2, np.zeros(N_FEATURES - 5)]
INTERCEPT = -7.0
# Negatives kept per positive by both recipes.
NEGATIVES_PER_POSITIVE = 10
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


def imbtool_recipe(folders):
    X, y = read(folders["train"])
    clf = imbdask.PriorCorrectedClassifier(
        lightgbm.LGBMClassifier(**LGBM, n_jobs=1),
        sampler=RandomUnderSampler(sampling_strategy=1 / NEGATIVES_PER_POSITIVE,
                                   random_state=0))
    clf.fit(X, y)
    X_val, y_val = read(folders["valid"])
    threshold, _ = imbdask.tune_threshold(y_val, clf.predict_proba(X_val)["1"], "f1")
    X_test, y_test = read(folders["test"])
    ap = imbdask.average_precision(y_test, clf.predict_proba(X_test)["1"])
    return (lambda frame: clf.predict_proba(frame)["1"]), threshold, ap


def hand_recipe(folders, client):
    X, y = read(folders["train"])
    frame = X.assign(y=y)
    n_pos = int(y.sum().compute())
    n_neg = int(len(y)) - n_pos
    rate = min(1.0, NEGATIVES_PER_POSITIVE * n_pos / n_neg)
    sample = dd.concat([frame[frame.y == 1], frame[frame.y == 0].sample(frac=rate,
                                                                          random_state=0)])
    sample = sample.persist()
    model = lightgbm.dask.DaskLGBMClassifier(**LGBM, scale_pos_weight=NEGATIVES_PER_POSITIVE,
                                            client=client)
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


def _peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--worker-memory", default="384MiB")
    parser.add_argument("--folder", default=None)
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
          f"{data_mib:.0f} MiB of parquet, written in {time.perf_counter() - start:.0f} s")
    print(f"cluster: 2 workers x 1 thread x {args.worker_memory}, a new cluster per recipe")
    for name in ("imbtool", "hand-made"):
        # A fresh cluster per recipe, so that each worker's peak memory is the recipe's own.
        with LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=args.worker_memory,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            start = time.perf_counter()
            predict, threshold, ap = (imbtool_recipe(folders) if name == "imbtool"
                                      else hand_recipe(folders, client))
            seconds = time.perf_counter() - start
            peaks = client.run(_peak_rss_mib)
            X_test, y_test = read(folders["test"])
            p_test, y_test = dask.compute(predict(X_test), y_test)
        p_test, y_test = np.asarray(p_test), np.asarray(y_test)
        ece = expected_calibration_error(y_test, p_test, n_bins=15)
        f1 = f1_score(y_test, p_test >= threshold)
        print(f"{name}: {seconds:.1f} s, {sizes['train'] / seconds:,.0f} training rows/s, "
              f"AP {ap:.4f} (in memory {average_precision(y_test, p_test):.4f}), "
              f"ECE {ece:.5f}, F1 {f1:.4f} at {threshold:.4f}, peak RSS per worker "
              f"{', '.join(f'{v:.0f}' for v in peaks.values())} MiB", flush=True)
    if args.folder is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
