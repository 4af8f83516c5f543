"""Time to first result: import + first fit in a fresh process with an empty numba cache.

Every case runs in its own Python process (``NUMBA_CACHE_DIR`` set to a new,
empty directory, as on a new install, CI job or container), for imbtool and
for its imbalanced-learn or scikit-learn counterpart, on the same data. The
clock starts after numpy has loaded the data and stops after the first
``fit_resample``/``fit``; the median of ``--repeats`` processes is printed,
as wall-clock seconds and as the process's CPU seconds (all its threads),
which a loaded machine distorts much less.

    python benchmarks/bench_first_call.py                 # every case, 2,000 and 10,000 rows
    python benchmarks/bench_first_call.py --case SMOTE --sizes 2000
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.datasets import make_classification

# name: (imbtool import and estimator, counterpart import and estimator, method)
CASES = {
    "SMOTE": ("from imbtool.over_sampling import SMOTE as E",
              "from imblearn.over_sampling import SMOTE as E", "E(random_state=0)"),
    "ADASYN": ("from imbtool.over_sampling import ADASYN as E",
               "from imblearn.over_sampling import ADASYN as E", "E(random_state=0)"),
    "BorderlineSMOTE": ("from imbtool.over_sampling import BorderlineSMOTE as E",
                        "from imblearn.over_sampling import BorderlineSMOTE as E",
                        "E(random_state=0)"),
    "SVMSMOTE": ("from imbtool.over_sampling import SVMSMOTE as E",
                 "from imblearn.over_sampling import SVMSMOTE as E", "E(random_state=0)"),
    "KMeansSMOTE": ("from imbtool.over_sampling import KMeansSMOTE as E",
                    "from imblearn.over_sampling import KMeansSMOTE as E",
                    "E(random_state=0, cluster_balance_threshold=0.0)"),
    "RandomOverSampler": ("from imbtool.over_sampling import RandomOverSampler as E",
                          "from imblearn.over_sampling import RandomOverSampler as E",
                          "E(random_state=0)"),
    "EditedNearestNeighbours": ("from imbtool.under_sampling import EditedNearestNeighbours as E",
                                "from imblearn.under_sampling import EditedNearestNeighbours as E",
                                "E()"),
    "RepeatedEditedNearestNeighbours": (
        "from imbtool.under_sampling import RepeatedEditedNearestNeighbours as E",
        "from imblearn.under_sampling import RepeatedEditedNearestNeighbours as E", "E()"),
    "AllKNN": ("from imbtool.under_sampling import AllKNN as E",
               "from imblearn.under_sampling import AllKNN as E", "E()"),
    "CondensedNearestNeighbour": (
        "from imbtool.under_sampling import CondensedNearestNeighbour as E",
        "from imblearn.under_sampling import CondensedNearestNeighbour as E", "E(random_state=0)"),
    "OneSidedSelection": ("from imbtool.under_sampling import OneSidedSelection as E",
                          "from imblearn.under_sampling import OneSidedSelection as E",
                          "E(random_state=0)"),
    "NeighbourhoodCleaningRule": (
        "from imbtool.under_sampling import NeighbourhoodCleaningRule as E",
        "from imblearn.under_sampling import NeighbourhoodCleaningRule as E", "E()"),
    "TomekLinks": ("from imbtool.under_sampling import TomekLinks as E",
                   "from imblearn.under_sampling import TomekLinks as E", "E()"),
    "NearMiss": ("from imbtool.under_sampling import NearMiss as E",
                 "from imblearn.under_sampling import NearMiss as E", "E(version=2)"),
    "InstanceHardnessThreshold": (
        "from imbtool.under_sampling import InstanceHardnessThreshold as E",
        "from imblearn.under_sampling import InstanceHardnessThreshold as E", "E(random_state=0)"),
    "RandomUnderSampler": ("from imbtool.under_sampling import RandomUnderSampler as E",
                           "from imblearn.under_sampling import RandomUnderSampler as E",
                           "E(random_state=0)"),
    "ClusterCentroids": ("from imbtool.under_sampling import ClusterCentroids as E",
                         "from imblearn.under_sampling import ClusterCentroids as E",
                         "E(random_state=0)"),
    "SMOTEENN": ("from imbtool.combine import SMOTEENN as E",
                 "from imblearn.combine import SMOTEENN as E", "E(random_state=0)"),
    "SMOTETomek": ("from imbtool.combine import SMOTETomek as E",
                   "from imblearn.combine import SMOTETomek as E", "E(random_state=0)"),
    "BalancedRandomForestClassifier": (
        "from imbtool.ensemble import BalancedRandomForestClassifier as E",
        "from imblearn.ensemble import BalancedRandomForestClassifier as E",
        "E(n_estimators=10, random_state=0)"),
    "EasyEnsembleClassifier": ("from imbtool.ensemble import EasyEnsembleClassifier as E",
                               "from imblearn.ensemble import EasyEnsembleClassifier as E",
                               "E(n_estimators=10, random_state=0)"),
    "RUSBoostClassifier": ("from imbtool.ensemble import RUSBoostClassifier as E",
                           "from imblearn.ensemble import RUSBoostClassifier as E",
                           "E(n_estimators=10, random_state=0)"),
    "UnderBaggingClassifier": ("from imbtool.ensemble import UnderBaggingClassifier as E",
                               "from imblearn.ensemble import BalancedBaggingClassifier as E",
                               "E(n_estimators=10, random_state=0)"),
}

# The timed child: numpy and the data are loaded before the clock starts.
CHILD = """
import sys, time
import numpy as np
X, y = np.load(sys.argv[1]), np.load(sys.argv[2])
t0, c0 = time.perf_counter(), time.process_time()
{imp}
est = {make}
if hasattr(est, "fit_resample"):
    est.fit_resample(X, y)
else:
    est.fit(X, y)
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def first_call(imp, make, X_path, y_path):
    """(wall, CPU) seconds to import and fit once, in a new process with an empty numba cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        # Run from the empty directory: ``python -c`` puts the working
        # directory first on sys.path, so a checkout there would shadow PYTHONPATH.
        out = subprocess.run([sys.executable, "-c", CHILD.format(imp=imp, make=make), X_path,
                              y_path], env=env, cwd=cache, capture_output=True, text=True,
                             check=True)
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES),
                        help="run only this case (repeatable)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start", flush=True)
    print(f"{'case':32s} {'rows':>6s} {'imbtool wall/cpu s':>19s} "
          f"{'counterpart wall/cpu s':>23s} {'ratio wall/cpu':>15s}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            X, y = make_classification(n_samples=n, n_features=10, n_informative=5,
                                       weights=[0.9, 0.1], random_state=0)
            X_path, y_path = os.path.join(tmp, f"X{n}.npy"), os.path.join(tmp, f"y{n}.npy")
            np.save(X_path, X)
            np.save(y_path, y)
            for name in args.case or CASES:
                ours, theirs, make = CASES[name]
                a = [first_call(ours, make, X_path, y_path) for _ in range(args.repeats)]
                b = [first_call(theirs, make, X_path, y_path) for _ in range(args.repeats)]
                (aw, ac), (bw, bc) = [[statistics.median(t[i] for t in runs) for i in (0, 1)]
                                      for runs in (a, b)]
                print(f"{name:32s} {n:6d} {aw:10.2f} /{ac:6.2f} {bw:14.2f} /{bc:6.2f} "
                      f"{aw / bw:8.2f} /{ac / bc:5.2f}", flush=True)
    print(f"load {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
