"""What importing a family of estimators loads: only what its first call needs.

A first call in a fresh process pays every import on its path, so heavy optional
libraries load where they are used, the estimators that do not use imbtool's samplers
do not load imbalanced-learn (whose package import loads all of its subpackages), and
``imbtool.ensemble`` imports a class's module when the class is first looked up.
"""

import subprocess
import sys

import pytest

# Libraries that no import of these families needs: each is loaded by the code that uses it.
OPTIONAL = ("numba", "lightgbm", "xgboost", "dask", "distributed", "matplotlib", "polars")


# What the ensembles that over-sample with SMOTE do not need: the other families' modules
# and the other over-samplers (MWMOTE's loads SciPy's hierarchical clustering).
NOT_FOR_SMOTE_BOOST = ("imbtool.ensemble._bagging", "imbtool.pipeline", "imbtool.under_sampling",
                       "imbtool.over_sampling._mwmote", "scipy.cluster.vq")
# The ensembles that resample without imbtool's samplers, or not at all.
OWN_ENSEMBLES = ("AdaCostClassifier, AdaUBoostClassifier, AsymBoostClassifier, "
                 "CompatibleAdaBoostClassifier, OverBoostClassifier, RUSBoostClassifier, "
                 "BalanceCascadeClassifier, SelfPacedEnsembleClassifier")


@pytest.mark.parametrize("steps", [
    [
        # imbtool.ensemble imports a class's module on first use: SMOTEBoost's loads
        # the over-samplers, not the bagging ensembles, the pipeline or the under-samplers.
        ("", "from imbtool.ensemble import KMeansSMOTEBoostClassifier",
         NOT_FOR_SMOTE_BOOST + OPTIONAL),
        # An under-sampler loads its own module, not the others nor the neighbour engine.
        ("", "from imbtool.under_sampling import RandomUnderSampler",
         ("imbtool.under_sampling._cleaning", "imbtool.neighbors") + OPTIONAL),
        # The samplers subclass imbalanced-learn's bases (a drop-in), so they load it.
        ("", "import imbtool.under_sampling, imbtool.over_sampling, imbtool.combine", OPTIONAL),
    ],
    [
        # Their counterparts are scikit-learn's NearestNeighbors and LogisticRegression.
        ("", "import imbtool.neighbors, imbtool.cost", ("imblearn",) + OPTIONAL),
        # Their counterpart is scikit-learn's AdaBoost (imbalanced-learn's for the last two).
        ("", f"from imbtool.ensemble import {OWN_ENSEMBLES}",
         ("imblearn", "imbtool.over_sampling", "imbtool.under_sampling") + OPTIONAL),
        # LightGBM's counterpart: the booster may load what ``import lightgbm`` loads (some
        # LightGBM releases import dask and matplotlib themselves), nothing more.
        ("lightgbm", "import imbtool.boosters", ("imblearn",) + OPTIONAL),
    ],
], ids=["samplers", "neighbors-cost-ensembles-boosters"])
def test_family_import_loads_no_optional_library(steps, tmp_path):
    # One fresh interpreter a family, run from an empty folder. Each step imports its
    # counterpart's package (if any), then runs its import statement, and prints which of
    # the ``absent`` modules the statement loaded; a line a step.
    code = ["import sys"]
    for peer, statement, absent in steps:
        code += [f"import {peer}" if peer else "", "before = set(sys.modules)", statement,
                 f"print('|'.join(m for m in {absent!r} if m in set(sys.modules) - before))"]
    out = subprocess.run([sys.executable, "-c", "\n".join(code)], cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [""] * len(steps)


@pytest.mark.parametrize("package", [
    "imbtool.ensemble", "imbtool.over_sampling", "imbtool.under_sampling"])
def test_lazy_package_names_resolve_like_imported_ones(package):
    # These packages import a class's module on first use: each listed name resolves to
    # its class (defined in a private module, the path pickle records), shows in dir(),
    # and an unknown name is an AttributeError, as for a plain module.
    import importlib
    import pickle

    module = importlib.import_module(package)
    for name in module.__all__:
        cls = getattr(module, name)
        assert cls.__name__ == name and cls.__module__.startswith(f"{package}._")
        assert name in dir(module)
    first = getattr(module, module.__all__[0])
    assert type(pickle.loads(pickle.dumps(first()))) is first
    with pytest.raises(AttributeError, match=f"'{package}' has no attribute 'Nope'"):
        module.Nope  # noqa: B018


def test_peer_spelling_is_the_same_class():
    from imbtool.ensemble import KMeansSMOTEBoostClassifier, KmeansSMOTEBoostClassifier

    assert KmeansSMOTEBoostClassifier is KMeansSMOTEBoostClassifier
