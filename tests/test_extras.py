"""The optional extras in setup.cfg, and every install hint that names one."""

import configparser
import importlib
import pathlib
import re

import pytest
from packaging.requirements import Requirement

from imbtool.utils import _compat

ROOT = pathlib.Path(__file__).resolve().parents[1]
USER_EXTRAS = ("pandas", "polars", "plot", "dask", "xgboost", "notebooks")
# Former names, aliases for one release: old name -> new name.
ALIASES = {"gpu": "xgboost", "dist": "dask"}
# What the suite imports optionally (importorskip or an _INSTALLED flag), by distribution.
SUITE_OPTIONAL = ("pandas", "polars", "matplotlib", "dask", "nbformat", "nbclient", "ipykernel",
                  "numpydoc", "hypothesis", "pytest-xdist", "ruff", "tqdm")
# `test` brings these modules through another distribution: XGBoost's CPU-only wheel (the
# `xgboost` wheel carries 350 MB of CUDA libraries).
SAME_MODULE = {"xgboost": "xgboost-cpu"}


def _extras():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    section = parser["options.extras_require"]
    return {name: [Requirement(line) for line in section[name].splitlines() if line.strip()]
            for name in section}


def _names(requirements):
    # A distribution and the extras asked of it: dask[distributed] -> {dask, dask[distributed]}.
    names = set()
    for req in requirements:
        names.add(req.name)
        names.update(f"{req.name}[{extra}]" for extra in req.extras)
    return names


EXTRAS = _extras()


@pytest.mark.parametrize("name", USER_EXTRAS + ("all", "test") + tuple(ALIASES))
def test_each_named_extra_exists_and_is_not_empty(name):
    assert EXTRAS.get(name), f"setup.cfg has no extra {name!r}"


@pytest.mark.parametrize("name", ["pandas", "polars", "plot", "dask", "xgboost"])
def test_user_extra_brings_what_it_is_named_for(name):
    brings = {"plot": "matplotlib", "dask": "dask[distributed]"}.get(name, name)
    assert brings in _names(EXTRAS[name])


def test_aliases_are_the_new_extras():
    for old, new in ALIASES.items():
        assert _names(EXTRAS[old]) == _names(EXTRAS[new])


def test_all_covers_every_user_extra_and_no_test_tool():
    covered = _names(EXTRAS["all"])
    for name in USER_EXTRAS:
        assert _names(EXTRAS[name]) <= covered, name
    assert not covered & {"pytest", "pytest-xdist", "hypothesis", "ruff", "numpydoc"}


def test_test_covers_the_user_extras_and_what_the_suite_imports():
    covered = _names(EXTRAS["test"])
    covered |= {name for name, other in SAME_MODULE.items() if other in covered}
    for name in USER_EXTRAS:
        missing = _names(EXTRAS[name]) - covered
        assert not missing, (name, missing)
    assert set(SUITE_OPTIONAL) <= covered
    assert {"pytest", "pytest-xdist"} <= covered


def test_require_maps_every_module_to_an_existing_extra():
    for module, extra in _compat._EXTRA_OF.items():
        assert extra in EXTRAS, (module, extra)
        assert module in {"distributed", "nbclient", "ipykernel"} or any(
            req.name == module for req in EXTRAS[extra]), (module, extra)


def _hinted_extras():
    # Every imbtool[NAME] written in the package or the README (messages, docstrings, prose).
    files = [*(ROOT / "imbtool").rglob("*.py"), ROOT / "README.md"]
    found = []
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r"imbtool\[([^\]{}]+)\]", line):
                found.extend((f"{path.relative_to(ROOT)}:{lineno}", name.strip())
                             for name in match.group(1).split(","))
    return found


def test_every_imbtool_extra_mentioned_exists():
    found = _hinted_extras()
    assert found
    unknown = [(where, name) for where, name in found if name not in EXTRAS]
    assert not unknown


@pytest.mark.parametrize("module, extra", [("pandas", "pandas"), ("polars", "polars"),
                                           ("matplotlib", "plot"), ("matplotlib.pyplot", "plot"),
                                           ("xgboost", "xgboost"), ("distributed", "dask"),
                                           ("nbclient", "notebooks")])
def test_missing_optional_module_names_its_extra_in_one_line(monkeypatch, module, extra):
    real = importlib.import_module

    def fake(name, *args, **kwargs):
        if name == module or name.startswith(module + "."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(_compat.importlib, "import_module", fake)
    with pytest.raises(ImportError) as info:
        _compat.require(module, "the feature")
    message = str(info.value)
    assert "\n" not in message
    assert f"pip install 'imbtool[{extra}]'" in message and message.startswith("the feature")


def test_missing_core_module_is_named_without_an_extra(monkeypatch):
    monkeypatch.setattr(_compat.importlib, "import_module",
                        lambda name: (_ for _ in ()).throw(ModuleNotFoundError(name)))
    with pytest.raises(ImportError, match=r"install it with pip install tqdm\.$"):
        _compat.require("tqdm", "the progress bar")


def test_readme_first_command_installs_the_plot_extra_the_benchmark_names():
    # The main job (the README's first command) ends with its plots written: it installs
    # the extra that brings matplotlib, the one the benchmark names when it is missing.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```bash\n", 1)[1].splitlines()[0]
    assert first.startswith('pip install -e ".[plot]"') and "imbtool benchmark" in first
    assert "matplotlib" in _names(EXTRAS["plot"])
    report = (ROOT / "imbtool" / "benchmark" / "_report.py").read_text(encoding="utf-8")
    assert "Plots skipped" not in report or "imbtool[plot]" in report
