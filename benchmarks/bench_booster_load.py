"""The boosters' first fit on a busy machine: OpenMP's wait policy and the thread count.

LightGBM and XGBoost run each boosting round on OpenMP threads; with a custom
objective (imbtool's losses) the gradients are computed in Python between two
rounds, while the OpenMP worker threads wait for the next one. By default they
wait actively (spinning) for a while, which on a machine with no idle core takes
CPU from the thread that computes the gradients. This benchmark times the fit
alone (the imports are not timed) in a fresh process with an empty numba cache,
imbtool's booster and its counterpart (the library's own classifier, whose
objective runs inside the library), under three settings:

- ``default``: the environment as given, without ``OMP_WAIT_POLICY``;
- ``passive``: ``OMP_WAIT_POLICY=PASSIVE`` in the child's environment (read by the
  OpenMP runtime when it loads, so it must be set before the library is imported);
- ``n_jobs=1``: the default policy, one thread (``n_jobs=1``): no worker to wait.

Settings and sides alternate within each repeat; cells are medians of wall and CPU
seconds. ``--busy N`` keeps N busy-loop processes at normal priority running for
the whole run (an artificial load, the same for every setting). The ``predictions``
column says whether each setting's ``predict_proba`` bytes equal the default's.

    python benchmarks/bench_booster_load.py --booster xgboost --rows 2000 --busy 1
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.datasets import make_classification

BOOSTERS = {
    "lightgbm": (("from imbtool.boosters import LGBMImbalancedClassifier as E", "E({})"),
                 ("from lightgbm import LGBMClassifier as E", "E(verbose=-1, {})")),
    "xgboost": (("from imbtool.boosters import XGBImbalancedClassifier as E", "E({})"),
                ("from xgboost import XGBClassifier as E", "E({})")),
}
SETTINGS = ("default", "passive", "n_jobs=1")

# The timed child: the imports and the data come before the clock starts.
CHILD = """
import hashlib, sys, time
import numpy as np
{imp}
X, y = np.load(sys.argv[1]), np.load(sys.argv[2])
est = {make}
t0, c0 = time.perf_counter(), time.process_time()
est.fit(X, y)
t1, c1 = time.perf_counter(), time.process_time()
print(t1 - t0, c1 - c0, hashlib.sha256(est.predict_proba(X).tobytes()).hexdigest()[:12])
"""


def fit_once(side, setting, X_path, y_path):
    """(wall, CPU, predictions digest) of one fit in a fresh process under ``setting``."""
    imp, make = side
    make = make.format("n_jobs=1" if setting == "n_jobs=1" else "")
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
        env["NUMBA_CACHE_DIR"] = cache
        if setting == "passive":
            env["OMP_WAIT_POLICY"] = "PASSIVE"
        out = subprocess.run([sys.executable, "-c", CHILD.format(imp=imp, make=make),
                              X_path, y_path], env=env, cwd=cache, capture_output=True,
                             text=True, check=True)
    wall, cpu, digest = out.stdout.split()[-3:]
    return float(wall), float(cpu), digest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--booster", choices=sorted(BOOSTERS), action="append")
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--busy", type=int, default=0,
                        help="busy-loop processes kept running at normal priority")
    args = parser.parse_args()
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(args.busy)]
    try:
        print(f"{os.cpu_count()} cores, {args.busy} busy loop(s), "
              f"load {os.getloadavg()[0]:.2f} at start", flush=True)
        print(f"{'booster':9s} {'rows':>6s} {'setting':9s} | {'imbtool wall (CPU)':>19s} | "
              f"{'counterpart wall (CPU)':>22s} | ratio wall/CPU | predictions", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            for n in args.rows:
                X, y = make_classification(n_samples=n, n_features=10, n_informative=5,
                                           weights=[0.9, 0.1], random_state=0)
                X_path, y_path = os.path.join(tmp, "X.npy"), os.path.join(tmp, "y.npy")
                np.save(X_path, X)
                np.save(y_path, y)
                for booster in args.booster or sorted(BOOSTERS):
                    runs = {(s, side): [] for s in SETTINGS for side in range(2)}
                    for _ in range(args.repeats):
                        for setting in SETTINGS:
                            for side in range(2):
                                runs[setting, side].append(fit_once(
                                    BOOSTERS[booster][side], setting, X_path, y_path))
                    for setting in SETTINGS:
                        cells = [[statistics.median(r[i] for r in runs[setting, side])
                                  for i in range(2)] for side in range(2)]
                        same = all({r[2] for r in runs[setting, side]}
                                   == {r[2] for r in runs["default", side]}
                                   for side in range(2))
                        print(f"{booster:9s} {n:6d} {setting:9s} | "
                              f"{cells[0][0]:8.2f} ({cells[0][1]:6.2f}) | "
                              f"{cells[1][0]:11.2f} ({cells[1][1]:6.2f}) | "
                              f"{cells[0][0] / cells[1][0]:5.2f} / {cells[0][1] / cells[1][1]:5.2f}"
                              f" | {'same as default' if same else 'differ from default'}",
                              flush=True)
        print(f"load {os.getloadavg()[0]:.2f} at end", flush=True)
    finally:
        for process in busy:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
