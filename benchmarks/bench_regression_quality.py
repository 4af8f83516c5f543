"""SMOGN's output quality against the `smogn` package, on the same folds of the real sets.

The folds, the relevance (the data set's automatic box-plot control points),
the preprocessing (median imputation, standardisation, both fitted on the
training fold), the models and the metrics are those of
``python -m imbtool benchmark --task regression``; only the sampler differs:
imbtool's SMOGN, or `smogn`'s ``smoter`` with the same control points
(``rel_method="manual"``), threshold 0.5, k=5, perturbation 0.02, "balance".

`smogn` is GPL-licensed, so it is never imported here: it runs as a black box
in its own environment (``--peer-python``; `smogn` 0.1.2 needs
``pip install smogn "numpy<2" "pandas<2.3"``), one subprocess per training
fold, stopped after ``--peer-timeout`` seconds; the remaining folds of a set
whose fold was stopped are not tried. A fold where `smogn` raises (it
refuses its own output when a synthetic row holds a missing value) counts as
failed; the scores are means over the folds where both ran. Prints one
Markdown row per data set and model.

    python -u bench_regression_quality.py --peer-python /path/to/venv/bin/python
"""

import argparse
import os
import subprocess
import tempfile
import textwrap
import time

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

from imbtool.benchmark._regression import (
    REGRESSION_METRICS,
    REGRESSION_MODELS,
    regression_folds,
)
from imbtool.datasets import list_regression_datasets, load_regression_dataset
from imbtool.regression import SMOGN, relevance_control_points

_PEER = textwrap.dedent("""
    import sys, time
    import numpy as np, pandas as pd, smogn
    data = np.load(sys.argv[1])
    X, y = data["X"], data["y"]
    np.random.seed(int(sys.argv[3]))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(target=y)
    t0 = time.perf_counter()
    out = smogn.smoter(data=frame, y="target", k=5, pert=0.02, samp_method="balance",
                       rel_thres=0.5, rel_method="manual",
                       rel_ctrl_pts_rg=data["control_points"].tolist())
    seconds = time.perf_counter() - t0
    np.savez(sys.argv[2], X=out.drop(columns="target").to_numpy(float),
             y=out["target"].to_numpy(float), seconds=seconds)
""")


def _peer(python, X, y, control_points, seed, timeout):
    """(X_res, y_res, seconds) from smogn; "stopped" at ``timeout``; its error message."""
    with tempfile.TemporaryDirectory() as folder:
        source, result = os.path.join(folder, "in.npz"), os.path.join(folder, "out.npz")
        np.savez(source, X=X, y=y, control_points=control_points)
        try:
            subprocess.run([python, "-c", _PEER, source, result, str(seed)], check=True,
                           capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "stopped"
        except subprocess.CalledProcessError as exc:
            return exc.stderr.strip().splitlines()[-1]
        with np.load(result) as out:
            return out["X"], out["y"], float(out["seconds"])


def _scores(X_res, y_res, X_test, y_test, control_points, models, metrics, seed):
    scores = {}
    for name in models:
        y_pred = REGRESSION_MODELS[name].factory(seed).fit(X_res, y_res).predict(X_test)
        for metric in metrics:
            info = REGRESSION_METRICS[metric]
            extra = {"control_points": control_points} if info.relevance else {}
            scores[(name, metric)] = float(info.func(y_test, y_pred, **extra))
    return scores


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", required=True)
    parser.add_argument("--peer-timeout", type=float, default=120.0,
                        help="seconds per training fold (default 120)")
    parser.add_argument("--datasets", nargs="+", default=None)
    parser.add_argument("--models", nargs="+", default=["ridge", "lgbm"])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    metrics = ["sera", "rare_f1", "rmse"]
    names = args.datasets or [d["name"] for d in list_regression_datasets()]
    print("| data set | rows | model | SERA imbtool / smogn | rare F1 imbtool / smogn "
          "| RMSE imbtool / smogn | rows out imbtool / smogn | s/fold imbtool / smogn |")
    print("|---|---|---|---|---|---|---|---|")
    for dataset in names:
        X, y = load_regression_dataset(dataset, return_X_y=True)
        control_points = relevance_control_points(y)
        splits = regression_folds(y, control_points, folds=args.folds, repeats=1, seed=0)
        ours, theirs, sizes, seconds, failures = [], [], [[], []], [[], []], []
        for fold, (train, test) in enumerate(splits):
            imputer = SimpleImputer(strategy="median").fit(X[train])
            scaler = StandardScaler().fit(imputer.transform(X[train]))
            X_train, X_test = (scaler.transform(imputer.transform(X[i])) for i in (train, test))
            peer = _peer(args.peer_python, X_train, y[train], control_points, fold,
                         args.peer_timeout)
            if isinstance(peer, str):
                failures.append((fold + 1, peer))
                if peer == "stopped":
                    break
                continue
            X_peer, y_peer, peer_seconds = peer
            seconds[1].append(peer_seconds)
            sizes[1].append(len(y_peer))
            theirs.append(_scores(X_peer, y_peer, X_test, y[test], control_points, args.models,
                                  metrics, 0))
            start = time.perf_counter()
            X_res, y_res = SMOGN(control_points=control_points, random_state=0).fit_resample(
                X_train, y[train])
            seconds[0].append(time.perf_counter() - start)
            sizes[0].append(len(y_res))
            ours.append(_scores(X_res, y_res, X_test, y[test], control_points, args.models,
                                metrics, 0))
        by_message = {}
        for fold, message in failures:
            by_message.setdefault(message, []).append(str(fold))
        note = "; ".join(f"fold {', '.join(folds)}: {message}"
                         for message, folds in by_message.items())
        for model in args.models:
            if not theirs:
                print(f"| {dataset} | {len(y)} | {model} | smogn: {note} | | | | |", flush=True)
                continue
            cells = [f"{np.mean([s[(model, m)] for s in ours]):.4g} / "
                     f"{np.mean([s[(model, m)] for s in theirs]):.4g}" for m in metrics]
            print(f"| {dataset} ({len(theirs)} of {len(splits)} folds"
                  + (f"; smogn {note}" if note else "") + f") | {len(y)} | {model} | "
                  + " | ".join(cells) + f" | {np.mean(sizes[0]):.0f} / {np.mean(sizes[1]):.0f}"
                  f" | {np.mean(seconds[0]):.2f} / {np.mean(seconds[1]):.2f} |", flush=True)

if __name__ == "__main__":
    main()
