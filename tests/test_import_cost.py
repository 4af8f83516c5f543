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


@pytest.mark.parametrize("modules, absent", [
    # The samplers subclass imbalanced-learn's bases (a drop-in), so they load it.
    (("imbtool.under_sampling", "imbtool.over_sampling", "imbtool.combine"), OPTIONAL),
    # Their counterparts are scikit-learn's NearestNeighbors and LightGBM alone.
    (("imbtool.neighbors", "imbtool.cost", "imbtool.boosters"),
     ("imblearn",) + tuple(m for m in OPTIONAL if m != "lightgbm")),
], ids=["samplers", "neighbors-cost-boosters"])
def test_family_import_loads_no_optional_library(modules, absent, tmp_path):
    # A fresh interpreter, run from an empty folder: only what these imports pull in.
    code = (f"import sys, {', '.join(modules)}; "
            f"print(' '.join(m for m in {absent!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == []
