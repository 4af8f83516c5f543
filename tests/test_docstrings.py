"""numpydoc validation of the public API, and the one ``n_jobs`` rule in every docstring.

The public API is every name in a subpackage's ``__all__`` and the public
methods and properties imbtool defines on those classes (methods inherited
from scikit-learn or imbalanced-learn are theirs to document).
"""

import importlib
import inspect
import pkgutil

import pytest

import imbtool
from imbtool.utils._threads import N_JOBS_JOBLIB, N_JOBS_THREADS

docscrape = pytest.importorskip("numpydoc.docscrape")
validate = pytest.importorskip("numpydoc.validate").validate

# numpydoc's checks that the public API must pass: a docstring with a one-line
# summary (GL08, SS01-SS03), every parameter documented, known, in order and typed
# (PR01-PR06, PR10), a Returns section where something is returned (RT01).
CHECKS = {"GL08", "SS01", "SS02", "SS03", "PR01", "PR02", "PR03", "PR04", "PR05", "PR06",
          "PR10", "RT01"}
# ... and a runnable example on every public class and function (methods need none,
# nor do deprecated aliases: their replacement carries the example).
TOP_LEVEL_CHECKS = CHECKS | {"EX01"}


def _public_api():
    """``{import path: object}``: each public object once, under its first public path."""
    found, seen = {}, set()
    for module in sorted(m.name for m in pkgutil.iter_modules(imbtool.__path__)
                         if not m.name.startswith("_")):
        package = importlib.import_module(f"imbtool.{module}")
        for name in getattr(package, "__all__", []):
            obj = getattr(package, name)
            path = f"imbtool.{module}.{name}"
            if id(obj) not in seen and (inspect.isclass(obj) or inspect.isfunction(obj)):
                seen.add(id(obj))
                found[path] = obj
            if not inspect.isclass(obj):
                continue
            for attr, member in inspect.getmembers(obj):
                func = getattr(member, "fget", member)
                if (attr.startswith("_") or not inspect.isfunction(func)
                        or not func.__module__.startswith("imbtool") or id(func) in seen):
                    continue
                seen.add(id(func))
                found[f"{path}.{attr}"] = func
    return found


PUBLIC_API = _public_api()

@pytest.mark.parametrize("path", sorted(PUBLIC_API))
def test_public_docstrings_pass_numpydoc(path):
    deprecated = ".. deprecated::" in (inspect.getdoc(PUBLIC_API[path]) or "")
    checks = TOP_LEVEL_CHECKS if path.count(".") == 2 and not deprecated else CHECKS
    failing = {code: message for code, message in validate(path)["errors"] if code in checks}
    assert not failing, f"{path}: {failing}"


def _n_jobs_description(obj):
    doc = (docscrape.ClassDoc if inspect.isclass(obj) else docscrape.FunctionDoc)(obj)
    for param in doc["Parameters"]:
        if "n_jobs" in param.name.replace(" ", "").split(","):
            return " ".join(" ".join(param.desc).split())
    return ""


def _takes_n_jobs(obj):
    try:
        return "n_jobs" in inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return False


WITH_N_JOBS = sorted(path for path, obj in PUBLIC_API.items()
                     if path.count(".") == 2 and _takes_n_jobs(obj))


@pytest.mark.parametrize("path", WITH_N_JOBS)
def test_n_jobs_states_the_one_rule(path):
    description = _n_jobs_description(PUBLIC_API[path])
    states = [kind for kind, sentence in (("threads", N_JOBS_THREADS), ("joblib", N_JOBS_JOBLIB))
              if sentence in description]
    assert len(states) == 1, (
        f"{path}: the n_jobs description must end with one of the sentences of "
        f"imbtool/utils/_threads.py (N_JOBS_THREADS or N_JOBS_JOBLIB); it is {description!r}"
    )


def test_the_api_walk_finds_the_ensembles():
    assert "imbtool.ensemble.SelfPacedEnsembleClassifier.fit" in PUBLIC_API
    assert "imbtool.ensemble.EasyEnsembleClassifier" in WITH_N_JOBS
