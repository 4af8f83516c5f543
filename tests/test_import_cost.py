"""What importing a family of estimators loads: only what its first call needs.

A first call in a fresh process pays every import on its path, so heavy optional
libraries load where they are used, and the estimators that are not samplers do not
load imbalanced-learn (whose package import loads all of its subpackages).
"""

import subprocess
import sys

import pytest

# Libraries that no import of these families needs: each is loaded by the code that uses it.
OPTIONAL = ("numba", "lightgbm", "xgboost", "dask", "distributed", "matplotlib", "polars")


@pytest.mark.parametrize("steps", [
    # The samplers subclass imbalanced-learn's bases (a drop-in), so they load it.
    [("", "imbtool.under_sampling, imbtool.over_sampling, imbtool.combine", OPTIONAL)],
    [
        # Their counterparts are scikit-learn's NearestNeighbors and LogisticRegression.
        ("", "imbtool.neighbors, imbtool.cost", ("imblearn",) + OPTIONAL),
        # LightGBM's counterpart: the booster may load what ``import lightgbm`` loads (some
        # LightGBM releases import dask and matplotlib themselves), nothing more.
        ("lightgbm", "imbtool.boosters", ("imblearn",) + OPTIONAL),
    ],
], ids=["samplers", "neighbors-cost-boosters"])
def test_family_import_loads_no_optional_library(steps, tmp_path):
    # One fresh interpreter a family, run from an empty folder. Each step imports its
    # counterpart's package (if any), then the modules, and prints which of the
    # ``absent`` libraries the modules loaded; a line a step.
    code = ["import sys"]
    for peer, modules, absent in steps:
        code += [f"import {peer}" if peer else "", "before = set(sys.modules)",
                 f"import {modules}",
                 f"print('|'.join(m for m in {absent!r} if m in set(sys.modules) - before))"]
    out = subprocess.run([sys.executable, "-c", "\n".join(code)], cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [""] * len(steps)
