"""Every notebook in notebooks/ runs top to bottom (nbclient), and is stored executed."""

from pathlib import Path

import pytest

from imbtool.utils._compat import DASK_DATAFRAME_INSTALLED

nbformat = pytest.importorskip("nbformat", reason="needs nbclient (test extra)")
nbclient = pytest.importorskip("nbclient", reason="needs nbclient (test extra)")
pytest.importorskip("ipykernel", reason="needs ipykernel (test extra)")
pytest.importorskip("matplotlib", reason="the notebooks draw plots (plot extra)")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_executed(path):
    # Stored with their outputs so that the repository's viewer shows results and plots;
    # stored from one clean top-to-bottom run (counts 1, 2, 3, ...), without errors, and
    # without anything of the machine that ran them (absolute paths in warnings).
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    rerun = "rerun it top to bottom and save (jupyter execute --inplace, from notebooks/)"
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), (
        f"{path.name} is not stored from one top-to-bottom run; {rerun}")
    outputs = [out for cell in code for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"], (
        f"{path.name} is stored with an error; {rerun}")
    text = nbformat.writes(nb)
    assert str(ROOT) not in text and str(Path.home()) not in text, (
        f"{path.name} shows a path of the machine that ran it")


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "plt." in p.read_text()
                                  or "Display" in p.read_text()],
                         ids=lambda p: p.stem)
def test_notebook_that_plots_is_stored_with_its_plots(path):
    nb = nbformat.read(path, as_version=4)
    images = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
              if "image/png" in out.get("data", {})]
    assert images, f"{path.name} draws plots but none is stored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    if "dask" in path.stem and not DASK_DATAFRAME_INSTALLED:
        pytest.skip("the Dask notebook needs the dask extra")
    # The large-data notebook reads its row count from here (1,000,000 when a person runs it).
    monkeypatch.setenv("IMBTOOL_NOTEBOOK_ROWS", "20000")
    # The regression notebook's forests (100 trees when a person runs it): 10 ran it in
    # about a third of the time.
    monkeypatch.setenv("IMBTOOL_NOTEBOOK_TREES", "10")
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
