"""imbtool's import graph: no module imports from a layer above its own.

The layers, lowest first (sideways within a layer is fine):

0. utils, neighbors, datasets, metrics
1. base (``imbtool/base.py``: the sampler base)
2. over_sampling, under_sampling, combine, pipeline, regression
3. ensemble, threshold, cost, boosters
4. remedies
5. model_selection, evaluation, dask
6. plotting
7. benchmark, the package itself (``imbtool/__init__.py``) and ``imbtool/__main__.py``

Every module is parsed with ``ast`` (imports at module level and inside
functions, absolute and relative, and ``import_module("imbtool...")`` with a
literal name); docstrings and comments do not count. Imports whose module name
is computed at run time (the estimator registry's walk) are not seen.
"""

import ast
from pathlib import Path

import pytest

import imbtool

PACKAGE = Path(imbtool.__file__).resolve().parent

LAYERS = {
    "utils": 0, "neighbors": 0, "datasets": 0, "metrics": 0,
    "base": 1,
    "over_sampling": 2, "under_sampling": 2, "combine": 2, "pipeline": 2, "regression": 2,
    "ensemble": 3, "threshold": 3, "cost": 3, "boosters": 3,
    "remedies": 4,
    "model_selection": 5, "evaluation": 5, "dask": 5,
    "plotting": 6,
    "benchmark": 7, "__init__": 7, "__main__": 7,
}

def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module):
    """The layer key of an ``imbtool...`` module name (None outside imbtool)."""
    names = module.split(".")
    if names[0] != "imbtool":
        return None
    return "__init__" if len(names) == 1 else names[1]


def _is_import_module_call(node):
    """``import_module("...")`` or ``importlib.import_module("...")`` with a literal name."""
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = getattr(node.func, "attr", getattr(node.func, "id", None))
    first = node.args[0]
    literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
    return func == "import_module" and literal


def _imported_modules(path, source=None):
    """Absolute names of the imbtool modules that ``path`` (or ``source`` read as it) imports."""
    name = _module_name(path)
    # The package a relative import starts from: the module's own for an __init__.
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source or path.read_text(encoding="utf-8"), filename=str(path))):
        if _is_import_module_call(node):
            found.add(node.args[0].value)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            if module == "imbtool":
                # ``from imbtool import ensemble`` / ``from .. import ensemble``: the names
                # are the parts imported.
                found.update(f"imbtool.{alias.name}" for alias in node.names)
            else:
                found.add(module)
    return {module for module in found if _part(module) is not None}


def _layer(part):
    if part not in LAYERS:
        raise AssertionError(
            f"imbtool.{part} has no layer: add it to LAYERS in tests/test_layers.py "
            "(and to the layer table of the package's design)."
        )
    return LAYERS[part]


def upward_imports():
    """``{(module, imported part)}`` for every import of a layer above the module's own."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        own = "__main__" if path.name == "__main__.py" and path.parent == PACKAGE else _part(name)
        for module in _imported_modules(path):
            target = _part(module)
            if _layer(target) > _layer(own):
                found.add((name, target))
    return found


def test_every_part_has_a_layer():
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    assert parts <= set(LAYERS), f"parts without a layer: {sorted(parts - set(LAYERS))}"


def test_no_module_imports_a_layer_above_its_own():
    new = sorted(upward_imports())
    assert not new, (
        "imports of a layer above the importing module's own (move the shared code "
        f"down, to utils/ or base.py): {new}"
    )


@pytest.mark.parametrize("source, expected", [
    ("from ..pipeline import Pipeline", {"imbtool.pipeline"}),
    ("from .. import ensemble, utils", {"imbtool.ensemble", "imbtool.utils"}),
    ("from ._base import x", {"imbtool.over_sampling._base"}),
    ("import imbtool.metrics as m", {"imbtool.metrics"}),
    ("def f():\n    from imbtool.plotting import a", {"imbtool.plotting"}),
    ('"""from ..plotting import a"""\nimport numpy', set()),
    ('importlib.import_module("imbtool.ensemble._bagging")', {"imbtool.ensemble._bagging"}),
])
def test_imports_are_read_from_the_syntax_tree(source, expected):
    assert _imported_modules(PACKAGE / "over_sampling" / "_probe.py", source) == expected
