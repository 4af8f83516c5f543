"""Time to first result: import + first fit in a fresh process with an empty numba cache.

Every case runs in its own Python process (``NUMBA_CACHE_DIR`` set to a new,
empty directory, as on a new install, CI job or container), for imbtool and
for its imbalanced-learn or scikit-learn counterpart, on the same data. The
clock starts after numpy has loaded the data and stops after the first
``fit_resample``/``fit``; the median of ``--repeats`` processes is printed,
as wall-clock seconds and as the process's CPU seconds (all its threads),
which a loaded machine distorts much less. Each figure is split into the
import (of the estimator's module, in the same process) and the first call
(construction and fit). The counterpart's bare package import (``import
imblearn``, ``import sklearn``, ``import lightgbm``), timed the same way in
its own processes, is the floor both sides share: imbtool's samplers
subclass imbalanced-learn's bases, so they pay its import too.

Every public sampler and classifier has a case, named for the imbtool
class (``"NearMiss:2"`` names a variant); the counterpart is
imbalanced-learn's class of the same name, else the nearest scikit-learn
(or LightGBM, XGBoost) estimator given in ``_CASES``; imbtool classes with
none are timed alone, against the 3 s bound. ``--kernels`` lists the numba
kernels that imbtool's first call compiled (none is the goal on small data).

    python benchmarks/bench_first_call.py                 # every case, 2,000 and 10,000 rows
    python benchmarks/bench_first_call.py --case SMOTE --sizes 2000 --kernels
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.datasets import make_classification

# Data set-ups run before the clock starts (X: 10 float columns, y: 0/1).
NOMINAL = "X = np.clip(np.round(X), -2, 2).astype(np.int64)"  # every column categorical
MIXED = "X[:, :3] = np.clip(np.round(X[:, :3]), -2, 2)"  # three categorical columns


def _case(package, peer=None, make="E(random_state=0)", peer_make=None, prep="", name=None):
    """One case: imbtool's class in ``package`` and its counterpart.

    ``peer`` is the counterpart's module (the same class name) or a
    ``"module:Class"`` pair; None where neither imbalanced-learn nor
    scikit-learn has one (imbtool is timed alone, for the 3 s bound).
    """
    def load(name_):
        return (f"from imbtool.{package} import {name_} as E", make)

    def load_peer(name_):
        if peer is None:
            return None
        module, _, cls = peer.partition(":")
        return (f"from {module} import {cls or name_} as E", peer_make or make)
    return lambda name_: (load(name or name_), load_peer(name or name_), prep)


# The under-sampling ensembles' counterparts: imbalanced-learn's, with the same members.
TEN = "E(n_estimators=10, random_state=0)"
BOOST = "sklearn.ensemble:AdaBoostClassifier"  # the AdaBoost variants' nearest peer
OVER = "imblearn.over_sampling"
UNDER = "imblearn.under_sampling"
# Cases are named for the imbtool class; "Name:variant" cases time a variant.
_CASES = {
    "ADASYN": _case("over_sampling", OVER),
    "BorderlineSMOTE": _case("over_sampling", OVER),
    "GeometricSMOTE": _case("over_sampling"),
    "KMeansSMOTE": _case("over_sampling", OVER,
                         "E(random_state=0, cluster_balance_threshold=0.0)"),
    "LeeSMOTE": _case("over_sampling"),
    "MWMOTE": _case("over_sampling"),
    "PolynomFitSMOTE": _case("over_sampling", make="E()"),
    "ProWSyn": _case("over_sampling"),
    "RandomOverSampler": _case("over_sampling", OVER),
    "RandomOverSampler:shrinkage": _case("over_sampling", OVER,
                                         "E(random_state=0, shrinkage=1.0)",
                                         name="RandomOverSampler"),
    "SMOBD": _case("over_sampling"),
    "SMOTE": _case("over_sampling", OVER),
    "SMOTEIPF": _case("over_sampling"),
    "SMOTEN": _case("over_sampling", OVER, prep=NOMINAL),
    "SMOTENC": _case("over_sampling", OVER, "E([0, 1, 2], random_state=0)", prep=MIXED),
    "SVMSMOTE": _case("over_sampling", OVER),
    "SafeLevelSMOTE": _case("over_sampling"),
    "AllKNN": _case("under_sampling", UNDER, "E()"),
    "ClusterCentroids": _case("under_sampling", UNDER),
    "CondensedNearestNeighbour": _case("under_sampling", UNDER),
    "EditedNearestNeighbours": _case("under_sampling", UNDER, "E()"),
    "InstanceHardnessThreshold": _case("under_sampling", UNDER),
    "NearMiss": _case("under_sampling", UNDER, "E()"),
    "NearMiss:2": _case("under_sampling", UNDER, "E(version=2)", name="NearMiss"),
    "NearMiss:3": _case("under_sampling", UNDER, "E(version=3)", name="NearMiss"),
    "NeighbourhoodCleaningRule": _case("under_sampling", UNDER, "E()"),
    "OneSidedSelection": _case("under_sampling", UNDER),
    "RandomUnderSampler": _case("under_sampling", UNDER),
    "RepeatedEditedNearestNeighbours": _case("under_sampling", UNDER, "E()"),
    "TomekLinks": _case("under_sampling", UNDER, "E()"),
    "SMOTEENN": _case("combine", "imblearn.combine"),
    "SMOTETomek": _case("combine", "imblearn.combine"),
    "BalancedBaggingClassifier": _case("ensemble", "imblearn.ensemble", TEN),
    "BalancedRandomForestClassifier": _case("ensemble", "imblearn.ensemble", TEN),
    "EasyEnsembleClassifier": _case("ensemble", "imblearn.ensemble", TEN),
    "RUSBoostClassifier": _case("ensemble", "imblearn.ensemble", TEN),
    "UnderBaggingClassifier": _case("ensemble", "imblearn.ensemble:BalancedBaggingClassifier",
                                    TEN),
    "OverBaggingClassifier": _case(
        "ensemble", "imblearn.ensemble:BalancedBaggingClassifier", TEN,
        "E(n_estimators=10, random_state=0, sampler=__import__("
        "'imblearn.over_sampling').over_sampling.RandomOverSampler())"),
    "SMOTEBaggingClassifier": _case(
        "ensemble", "imblearn.ensemble:BalancedBaggingClassifier", TEN,
        "E(n_estimators=10, random_state=0, sampler=__import__("
        "'imblearn.over_sampling').over_sampling.SMOTE())"),
    "SelfPacedEnsembleClassifier": _case("ensemble", "imblearn.ensemble:EasyEnsembleClassifier",
                                         TEN),
    "BalanceCascadeClassifier": _case("ensemble", "imblearn.ensemble:EasyEnsembleClassifier",
                                      TEN),
    "AdaCostClassifier": _case("ensemble", BOOST, TEN),
    "AdaUBoostClassifier": _case("ensemble", BOOST, TEN),
    "AsymBoostClassifier": _case("ensemble", BOOST, TEN),
    "OverBoostClassifier": _case("ensemble", BOOST, TEN),
    "SMOTEBoostClassifier": _case("ensemble", BOOST, TEN),
    "KMeansSMOTEBoostClassifier": _case("ensemble", BOOST, TEN),
    "CostSensitiveClassifier": _case("cost", "sklearn.linear_model:LogisticRegression", "E()",
                                     "E(class_weight='balanced')"),
    "LGBMImbalancedClassifier": _case("boosters", "lightgbm:LGBMClassifier", "E()",
                                      "E(verbose=-1)"),
    "CalibratedClassifier": _case("threshold", "sklearn.calibration:CalibratedClassifierCV",
                                  "E()"),
    "TunedThresholdClassifier": _case(
        "threshold", "sklearn.model_selection:TunedThresholdClassifierCV", "E()",
        "E(__import__('sklearn.linear_model').linear_model.LogisticRegression())"),
    "PriorCorrectedClassifier": _case("threshold", "sklearn.linear_model:LogisticRegression",
                                      "E()"),
    "NearestNeighbors": _case("neighbors", "sklearn.neighbors", "E().fit(X).kneighbors(X)"),
    "Pipeline": _case(
        "pipeline", "imblearn.pipeline",
        "E([('s', __import__('imbtool.over_sampling').over_sampling.SMOTE(random_state=0)), "
        "('c', __import__('sklearn.linear_model').linear_model.LogisticRegression())])",
        "E([('s', __import__('imblearn.over_sampling').over_sampling.SMOTE(random_state=0)), "
        "('c', __import__('sklearn.linear_model').linear_model.LogisticRegression())])"),
    "XGBImbalancedClassifier": _case("boosters", "xgboost:XGBClassifier", "E()"),
    "RemedySearchCV": _case("model_selection", make="E(cv=3, random_state=0)"),
}
# name: (imbtool (import, make), counterpart (import, make) or None, set-up)
CASES = {name: case(name.partition(":")[0]) for name, case in _CASES.items()}

# The timed child: numpy and the data are loaded before the clock starts.
# It prints wall and CPU seconds, then (for --kernels) the numba kernels that
# compiled (every kernel with a signature: the cache directory starts empty).
CHILD = """
import sys, time
import numpy as np
X, y = np.load(sys.argv[1]), np.load(sys.argv[2])
{prep}
t0, c0 = time.perf_counter(), time.process_time()
{imp}
t1, c1 = time.perf_counter(), time.process_time()
est = {make}
if hasattr(est, "fit_resample"):
    est.fit_resample(X, y)
elif hasattr(est, "fit"):
    est.fit(X, y)
t2, c2 = time.perf_counter(), time.process_time()
print(t2 - t0, c2 - c0, t1 - t0, c1 - c0, t2 - t1, c2 - c1)
kernels = set()
for name, module in list(sys.modules.items()):
    if not name.startswith("imbtool"):
        continue
    for value in list(vars(module).values()):
        func = getattr(value, "py_func", None)
        if func is not None and getattr(value, "signatures", None):
            kernels.add(f"{{func.__module__}}.{{func.__name__}}")
print("numba loaded" if "numba" in sys.modules else "numba not loaded", *sorted(kernels))
"""

def first_call(side, prep, X_path, y_path):
    """Seconds of import + first fit in a new process, empty numba cache, and the kernels line.

    The seconds are (total wall, total CPU, import wall, import CPU, call wall,
    call CPU), then the kernels line; None where the side cannot run here (an
    optional peer not installed).
    """
    imp, make = side
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        # Run from the empty directory: ``python -c`` puts the working
        # directory first on sys.path, so a checkout there would shadow PYTHONPATH.
        out = subprocess.run([sys.executable, "-c", CHILD.format(imp=imp, make=make, prep=prep),
                              X_path, y_path], env=env, cwd=cache, capture_output=True,
                             text=True)
    if out.returncode:
        if "ModuleNotFoundError" in out.stderr:
            return None
        raise RuntimeError(f"{imp}; {make} failed:\n{out.stderr}")
    times, kernels = out.stdout.strip().splitlines()[-2:]
    return (*map(float, times.split()), kernels)


def _median(runs):
    """Median seconds (as ``first_call``) of ``runs``, or None when the side did not run."""
    if not runs or runs[0] is None:
        return None
    return [statistics.median(run[i] for run in runs) for i in range(6)]


def _cell(times, at=0):
    """``wall / CPU`` seconds from position ``at`` of ``times`` (0 total, 2 import, 4 call)."""
    return f"{times[at]:5.2f}/{times[at + 1]:5.2f}" if times else f"{'n/a':>11s}"


def _bare(peer):
    """The bare import of the counterpart's package, the floor both sides pay."""
    package = peer[0].split()[1].split(".")[0]
    return (f"import {package}", "None"), package


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES),
                        help="run only this case (repeatable)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--kernels", action="store_true",
                        help="list the numba kernels that imbtool's first call compiled")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start", flush=True)
    print("seconds wall/CPU: total = import + call; bare: the counterpart's package alone",
          flush=True)
    print(f"{'case':30s} {'rows':>6s} | {'imbtool':>11s} {'import':>11s} {'call':>11s} | "
          f"{'counterpart':>11s} {'import':>11s} {'call':>11s} | {'ratio':>11s} | bare",
          flush=True)
    bare = {}  # package: median seconds of its bare import, timed once a run
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            X, y = make_classification(n_samples=n, n_features=10, n_informative=5,
                                       weights=[0.9, 0.1], random_state=0)
            X_path, y_path = os.path.join(tmp, f"X{n}.npy"), os.path.join(tmp, f"y{n}.npy")
            np.save(X_path, X)
            np.save(y_path, y)
            for name in args.case or CASES:
                ours, theirs, prep = CASES[name]
                a = [first_call(ours, prep, X_path, y_path) for _ in range(args.repeats)]
                b = [first_call(theirs, prep, X_path, y_path)
                     for _ in range(args.repeats if theirs else 0)]
                mine, peer = _median(a), _median(b)
                ratio = (f"{mine[0] / peer[0]:5.2f}/{mine[1] / peer[1]:5.2f}"
                         if mine and peer else f"{'-':>11s}")
                floor = "-"
                if peer:
                    side, package = _bare(theirs)
                    if package not in bare:
                        bare[package] = _median([first_call(side, "", X_path, y_path)
                                                 for _ in range(args.repeats)])
                    floor = f"{package} {_cell(bare[package])}"
                print(f"{name:30s} {n:6d} | {_cell(mine)} {_cell(mine, 2)} {_cell(mine, 4)} | "
                      f"{_cell(peer)} {_cell(peer, 2)} {_cell(peer, 4)} | {ratio} | {floor}",
                      flush=True)
                if args.kernels and a[0] is not None:
                    print(f"    {a[0][-1]}", flush=True)
    print(f"load {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
