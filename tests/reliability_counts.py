"""Print the counts of tests/RELIABILITY.md from the test parametrization and a matrix run.

Run from the repository root::

    OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python tests/reliability_counts.py [--sampler-checks]

1. the estimator registry and scikit-learn's common checks per estimator
   (collected from tests/test_common.py, expected failures counted from the
   xfail marks ``tests/_expected_failures.py`` puts there);
2. the bad-input matrix (tests/test_reliability.py) run once: per estimator,
   the cases that ended in a clear ``ValueError``/``TypeError``, in a
   checked correct result, as a listed known defect, or skipped;
3. the hypothesis property tests of the suite with their example counts;
4. with ``--sampler-checks``: imbalanced-learn's sampler checks
   (``_yield_sampler_checks``) on every registry sampler (about 3 minutes).
"""

import argparse
import sys
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ARGS = ["-p", "no:cacheprovider", "-q", "-W", "ignore", "--no-header"]


class _Collect:
    def __init__(self):
        self.items = []

    def pytest_collection_modifyitems(self, items):
        self.items = list(items)


def collect(*paths):
    plugin = _Collect()
    pytest.main(["--collect-only", *ARGS, *map(str, paths)], plugins=[plugin])
    return plugin.items


def common_checks():
    per_estimator = defaultdict(lambda: [0, 0])
    for item in collect(TESTS / "test_common.py"):
        name = type(item.callspec.params["estimator"]).__name__
        per_estimator[name][0] += 1
        per_estimator[name][1] += item.get_closest_marker("xfail") is not None
    return per_estimator


class _Matrix:
    """Records, per matrix case, whether each fit ended in an error or a result."""

    def __init__(self):
        self.current, self.runs, self.outcome, self.estimator = None, defaultdict(list), {}, {}

    def pytest_collection_modifyitems(self, items):
        module = next(item.module for item in items
                      if hasattr(getattr(item, "module", None), "_run"))
        original = module._run

        def recording_run(*args, **kwargs):
            try:
                out = original(*args, **kwargs)
            except (ValueError, TypeError):
                self.runs[self.current].append("error")
                raise
            self.runs[self.current].append("result")
            return out

        module._run = recording_run
        for item in items:
            cls = getattr(item, "callspec", None) and item.callspec.params.get("cls")
            self.estimator[item.nodeid] = cls.__name__ if cls else "(regression tests)"

    def pytest_runtest_setup(self, item):
        self.current = item.nodeid

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.skipped or report.failed:
            if hasattr(report, "wasxfail"):
                self.outcome[report.nodeid] = "known defect (xfail)"
            elif report.skipped:
                self.outcome[report.nodeid] = "skipped"
            elif report.failed:
                self.outcome[report.nodeid] = "FAILED"
            else:
                runs = set(self.runs[report.nodeid])
                self.outcome[report.nodeid] = (
                    "clear error" if runs == {"error"} else
                    "correct result" if runs == {"result"} else
                    "error and result" if runs else "own assertions")


def bad_input_matrix():
    plugin = _Matrix()
    pytest.main([*ARGS, str(TESTS / "test_reliability.py")], plugins=[plugin])
    table = defaultdict(Counter)
    for nodeid, outcome in plugin.outcome.items():
        table[plugin.estimator[nodeid]][outcome] += 1
    return table


def property_tests():
    """(test id, max_examples) of every hypothesis test the suite collects."""
    sys.path.insert(0, str(TESTS))
    import test_invariants

    found = []
    for item in collect(*sorted(TESTS.glob("test_*.py"))):
        function = getattr(item, "obj", None)
        inner = getattr(function, "hypothesis", None)
        settings = getattr(function, "_hypothesis_internal_use_settings", None)
        if getattr(getattr(item, "module", None), "__name__", "") == "test_invariants":
            cls = item.callspec.params["cls"]
            which = 1 if "bit_identical" in item.name else 0
            found.append((item.nodeid, test_invariants._examples(cls, which)))
        elif inner is not None and settings is not None:
            found.append((item.nodeid, settings.max_examples))
    return found


def sampler_checks():
    from imblearn.utils.estimator_checks import _yield_sampler_checks

    from imbtool.utils import all_estimators

    results = defaultdict(list)
    for name, cls in all_estimators("sampler"):
        sampler = cls()
        params = sampler.get_params()
        sampler.set_params(**({"random_state": 0} if "random_state" in params else {}),
                           **({"categorical_features": [0]} if name == "SMOTENC" else {}))
        for check in _yield_sampler_checks(sampler):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    check(name, sampler)
                except Exception as exc:  # reported, not raised: this is an audit
                    results[name].append((check.__name__, f"{type(exc).__name__}: "
                                          f"{str(exc).splitlines()[0][:90] if str(exc) else ''}"))
                else:
                    results[name].append((check.__name__, None))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sampler-checks", action="store_true",
                        help="also run imbalanced-learn's sampler checks on every sampler")
    args = parser.parse_args()

    from imbtool.utils import all_estimators

    kinds = {k: len(all_estimators(k)) for k in ("sampler", "classifier", "transformer")}
    print(f"\n## Registry: {len(all_estimators())} public estimators {kinds}")

    common = common_checks()
    print(f"\n## scikit-learn common checks (tests/test_common.py): {len(common)} estimators, "
          f"{sum(n for n, _ in common.values())} checks, "
          f"{sum(x for _, x in common.values())} listed expected failures")
    for name, (n, xfail) in sorted(common.items()):
        print(f"| {name} | {n} | {xfail} |")

    matrix = bad_input_matrix()
    columns = ["clear error", "correct result", "error and result", "known defect (xfail)",
               "skipped", "FAILED", "own assertions"]
    columns = [c for c in columns if any(row[c] for row in matrix.values())]
    total = Counter()
    print("\n## Bad-input matrix (tests/test_reliability.py)")
    print("| estimator | cases | " + " | ".join(columns) + " |")
    for name, row in sorted(matrix.items()):
        total.update(row)
        print(f"| {name} | {sum(row.values())} | " + " | ".join(str(row[c]) for c in columns)
              + " |")
    print(f"| **all** | {sum(total.values())} | "
          + " | ".join(str(total[c]) for c in columns) + " |")

    props = property_tests()
    print(f"\n## Hypothesis property tests: {len(props)} parametrized tests, "
          f"{sum(n for _, n in props)} examples per suite run")
    per_file = defaultdict(lambda: [0, 0])
    for nodeid, n in props:
        per_file[nodeid.split("::")[0]][0] += 1
        per_file[nodeid.split("::")[0]][1] += n
    for path, (tests, examples) in sorted(per_file.items()):
        print(f"| {path} | {tests} | {examples} |")

    if args.sampler_checks:
        results = sampler_checks()
        n = sum(len(r) for r in results.values())
        failed = [(name, c, e) for name, r in results.items() for c, e in r if e]
        print(f"\n## imbalanced-learn sampler checks: {len(results)} samplers, {n} checks, "
              f"{len(failed)} not passed")
        for name, check, error in failed:
            print(f"| {name} | {check} | {error} |")


if __name__ == "__main__":
    main()
