"""Every notebook in notebooks/ runs top to bottom (nbclient), and is stored without outputs."""

from pathlib import Path

import pytest

from imbtool.utils._compat import DASK_DATAFRAME_INSTALLED

nbformat = pytest.importorskip("nbformat", reason="needs nbclient (test extra)")
nbclient = pytest.importorskip("nbclient", reason="needs nbclient (test extra)")
pytest.importorskip("ipykernel", reason="needs ipykernel (test extra)")
pytest.importorskip("matplotlib", reason="the notebooks draw plots (plot extra)")

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name} has outputs stored; clear them before committing "
                "(jupyter nbconvert --clear-output --inplace)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    if "dask" in path.stem and not DASK_DATAFRAME_INSTALLED:
        pytest.skip("the Dask notebook needs the dask extra")
    # The large-data notebook reads its row count from here (1,000,000 when a person runs it).
    monkeypatch.setenv("IMBTOOL_NOTEBOOK_ROWS", "20000")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # Small problems on 2 shared cores: one BLAS/OpenMP thread avoids oversubscription.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(var, "1")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [out for cell in nb.cells if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert not errors
