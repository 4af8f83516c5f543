"""How much of the peers' own test code runs on imbtool when only the imports change.

    python benchmarks/bench_compat.py [--peer {imblearn,imbens,all}] [--imbtool PATH]
                                      [--out DIR] [--venv PATH] [--max-ids N]
                                      [--work DIR [--reuse]]

For each peer the script copies the peer's test files into a temporary
folder twice, as they are and with imports rewritten to imbtool (the rules
are in ``_compat_rewrite.py`` and are printed into the summary), runs pytest
on both (``--continue-on-collection-errors -p no:cacheprovider``, JUnit XML)
and counts passed / failed / errors per file group.

* imbalanced-learn (installed in this environment): ``ensemble/tests``,
  ``metrics/tests/test_classification.py``, ``metrics/tests/test_score_objects.py``
  and the sampler tests (``over_sampling/tests``, ``over_sampling/_smote/tests``,
  ``under_sampling/*/tests``, ``combine/tests``).  Both runs use this
  interpreter; the rewritten one has ``PYTHONPATH=--imbtool``.
* imbalanced-ensemble pins an older scikit-learn, so it lives in its own
  virtual environment (``--venv``, created with ``pip install
  imbalanced-ensemble pytest`` when it has no interpreter yet).  Its
  ``ensemble/**/tests`` run there for the peer count; the rewritten copies run
  in this environment with ``PYTHONPATH=--imbtool``.

"Pass on imbtool" is the number of tests that pass in the rewritten run; a
file that fails to import on imbtool (a missing name) contributes none of its
tests.  Every test that the peer passes and imbtool does not is listed with a
one-line reason (exception type and the first line of its message) and put in
one kind: missing name, unexpected keyword argument, missing fitted attribute,
wrong result, other.  Output in ``--out``: ``compat.md`` (table, rules,
grouped reasons, up to ``--max-ids`` representative ids), ``failures.md``
(every id) and ``compat.json``.

``--work DIR`` keeps the copies, pytest logs and JUnit files in DIR;
``--work DIR --reuse`` counts the JUnit files already there again (for
instance after changing the report) instead of rerunning a side whose file
exists.  A JUnit file may also be assembled from several partial runs of the
same copies, as long as each test appears once.
"""

import argparse
import collections
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

# A script's own folder is first on sys.path, so its sibling module imports by name.
import _compat_rewrite as R

HERE = Path(__file__).resolve().parent

# (group, relative paths or globs inside the peer package)
IMBLEARN_GROUPS = [
    ("ensemble", ["ensemble/tests/test_*.py"]),
    ("metrics", ["metrics/tests/test_classification.py", "metrics/tests/test_score_objects.py"]),
    ("over_sampling", ["over_sampling/tests/test_*.py", "over_sampling/_smote/tests/test_*.py"]),
    ("under_sampling", ["under_sampling/*/tests/test_*.py"]),
    ("combine", ["combine/tests/test_*.py"]),
]
# Summary rows over several groups (name, groups).
IMBLEARN_ROLLUPS = [
    ("ensemble + metrics", ["ensemble", "metrics"]),
    ("samplers", ["over_sampling", "under_sampling", "combine"]),
]
IMBENS_GROUPS = [
    ("ensemble/_under_sampling", ["ensemble/_under_sampling/tests/test_*.py"]),
    ("ensemble/_over_sampling", ["ensemble/_over_sampling/tests/test_*.py"]),
    ("ensemble/_reweighting", ["ensemble/_reweighting/tests/test_*.py"]),
    ("ensemble/_compatible", ["ensemble/_compatible/tests/test_*.py"]),
    ("ensemble (base)", ["ensemble/tests/test_*.py"]),
]

# Class names exported by imbtool's public modules (filled in by main): an
# AttributeError on one of them is a missing name or fitted attribute; on any
# other object (a scikit-learn member, say) it is "other".
PUBLIC_NAMES = set()

KINDS = ["missing name", "unexpected keyword argument", "missing fitted attribute", "wrong result",
         "other"]


# ---------------------------------------------------------------------------
# copying, running, parsing

def collect_files(pkg_dir, groups):
    out = []  # (group, relative path)
    for group, patterns in groups:
        for pat in patterns:
            for p in sorted(pkg_dir.glob(pat)):
                out.append((group, p.relative_to(pkg_dir).as_posix()))
    return out


def lay_out(root, top, pkg_dir, files, rewrite=None, extra=None):
    """Copy ``files`` under ``root/top`` (a package), rewritten when asked.

    Every folder gets an ``__init__.py`` so test modules have unique dotted
    names (``top.ensemble.tests.test_bagging``); an empty ``pytest.ini`` pins
    the root directory and keeps any other configuration out.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "pytest.ini").write_text("[pytest]\n")
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    modules = {}
    for group, rel in files:
        src = pkg_dir / rel
        dst = root / top / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text()
        if rewrite is not None:
            text = rewrite(text)
        dst.write_text(text)
        d = dst.parent
        while d != root:
            (d / "__init__.py").touch()
            d = d.parent
        modules[f"{top}." + rel[:-3].replace("/", ".")] = (group, rel)
    return modules


def run_pytest(python, root, junit, env_extra, log):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.update(env_extra)
    env.setdefault("OMP_NUM_THREADS", "1")
    cmd = [python, "-m", "pytest", "-p", "no:cacheprovider", "--continue-on-collection-errors",
           "-q", "-rN", f"--junitxml={junit}", "-o", "junit_family=xunit2", "."]
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        rc = subprocess.run(cmd, check=False, cwd=root, env=env, stdout=fh,
                            stderr=subprocess.STDOUT).returncode
    return rc, time.perf_counter() - t0


_E_LINE = re.compile(r"^E\s+(\w[\w.]*(Error|Exception|Warning|Failed|Interrupt)\b.*)$")


def one_line_reason(elem):
    """Exception type and the first line of its message."""
    msg = (elem.get("message") or "").strip()
    text = elem.text or ""
    if not msg or msg in ("collection failure",) or msg.startswith("failed on setup"):
        # Collection and setup errors: take the last "E   SomeError: ..." line.
        cands = [m.group(1) for m in map(_E_LINE.match, text.splitlines()) if m]
        if cands:
            msg = cands[-1]
        elif text.strip():
            msg = text.strip().splitlines()[-1]
    marker = "During handling of the above exception"
    if msg.startswith("Failed: DID NOT WARN") and marker in text:
        # pytest.warns around a call that raised: the exception is the reason, not the
        # missing warning.
        cands = [m.group(1) for m in map(_E_LINE.match, text.split(marker)[0].splitlines()) if m]
        if cands:
            msg = cands[-1]
    lines = [ln.strip() for ln in msg.splitlines() if ln.strip()] or ["(no message)"]
    first = lines[0]
    if first.startswith("assert ") or first == "assert":
        first = "AssertionError: " + first
    if first.endswith(":") and len(lines) > 1:  # "AssertionError:" then the text on the next line
        first += " " + lines[1]
    if first.startswith("AssertionError: Regex pattern did not match"):
        detail = dict(ln.split(":", 1) for ln in lines[1:] if ":" in ln)
        first += (f" Expected {detail.get('Expected regex', '?').strip()},"
                  f" got {detail.get('Actual message', '?').strip()}")
    # File locations in messages name this machine's paths: keep the module only.
    first = re.sub(r"\s*\((/|[A-Za-z]:\\)[^()]*\.py\)", "", first)
    return first[:200]


def parse_junit(path, modules):
    """Return {test id: (status, reason)} and {file: collection-error reason}."""
    tests, collect_errors = {}, {}
    if not Path(path).exists():
        return tests, collect_errors
    mods = sorted(modules, key=len, reverse=True)

    def module_of(dotted):
        for m in mods:
            if dotted == m or dotted.startswith(m + "."):
                return m
        return None

    for tc in ET.parse(path).getroot().iter("testcase"):
        cls, name = tc.get("classname", ""), tc.get("name", "")
        status, reason = "passed", ""
        for child in tc:
            if child.tag in ("failure", "error"):
                status = "failed" if child.tag == "failure" else "error"
                reason = one_line_reason(child)
                break
            if child.tag == "skipped":
                status, reason = "skipped", ((child.get("message") or "").splitlines()[0][:200]
                                             if child.get("message") else "")
        if not cls:  # collection error: name is the module path
            mod = module_of(name.replace("/", ".").removesuffix(".py"))
            if mod is not None:
                collect_errors[modules[mod][1]] = reason
            continue
        mod = module_of(cls)
        if mod is None:
            continue
        rest = cls[len(mod) + 1:]
        tid = modules[mod][1] + "::" + (rest + "::" if rest else "") + name
        # A test can carry a failure and a teardown error: keep the first non-pass.
        if tid not in tests or tests[tid][0] == "passed":
            tests[tid] = (status, reason)
    return tests, collect_errors


def kind_of(reason):
    r = reason
    if re.match(r"(ImportError|ModuleNotFoundError|NameError)\b", r):
        return "missing name"
    if "unexpected keyword argument" in r or re.search(r"Invalid parameter .* for estimator", r):
        return "unexpected keyword argument"
    m = re.match(r"AttributeError: '(\w+)' object has no attribute '(\w+)'", r)
    if m:
        owner, attr = m.groups()
        if owner not in PUBLIC_NAMES or attr.startswith("_"):
            return "other"  # a member that is not the peer's kind of object, or a private helper
        return "missing fitted attribute" if attr.endswith("_") else "missing name"
    if re.match(r"AttributeError: module .* has no attribute", r):
        return "missing name"
    if "NotFittedError" in r:
        return "missing fitted attribute"
    if re.match(r"(AssertionError|Failed: DID NOT RAISE|Failed: DID NOT WARN)", r) or \
            "Regex pattern did not match" in r or "does not match" in r:
        return "wrong result"
    return "other"


def normalise(reason):
    """Reason text for counting: numbers and long literals folded."""
    r = re.sub(r"0x[0-9a-f]+", "0x..", reason)
    r = re.sub(r"\b\d+(\.\d+)?(e[-+]?\d+)?\b", "N", r)
    r = re.sub(r"array\(\[.*", "array([...", r)
    return r[:160]


# ---------------------------------------------------------------------------
# one peer

def junit_seconds(junit):
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    return float(suite.get("time", "nan"))


def measure(peer, pkg_dir, groups, work, peer_python, imbtool, rewrite, top, extra=None,
            reuse=False):
    files = collect_files(pkg_dir, groups)
    res = {}
    for side, python, rw, env in (
        ("peer", peer_python, None, {}),
        ("imbtool", sys.executable, rewrite, {"PYTHONPATH": str(imbtool)}),
    ):
        root = work / f"{peer}-{side}"
        modules = lay_out(root, top, pkg_dir, files, rw, extra if side == "imbtool" else None)
        junit = work / f"{peer}-{side}.xml"
        if reuse and junit.exists():  # a kept run: count it again, do not rerun it
            rc, secs = "reused", junit_seconds(junit)
        else:
            rc, secs = run_pytest(python, root, junit, env, work / f"{peer}-{side}.log")
        tests, cerr = parse_junit(junit, modules)
        print(f"  {peer} on {side}: {len(tests)} test results, {len(cerr)} collection errors, "
              f"{secs:.0f} s (pytest exit {rc})", flush=True)
        res[side] = {"tests": tests, "collect_errors": cerr, "seconds": secs, "rc": rc}
    res["missing_imports"] = missing_imports(work / f"{peer}-imbtool", imbtool)
    file_group = {rel: g for g, rel in files}
    return files, file_group, res


def summarise(peer, files, file_group, res, group_names):
    peer_t, ours_t = res["peer"]["tests"], res["imbtool"]["tests"]
    ours_cerr = res["imbtool"]["collect_errors"]
    rows = {}
    for g in group_names:
        rows[g] = {k: 0 for k in ("files", "peer_passed", "peer_failed", "peer_error",
                                  "peer_skipped", "ours_passed", "ours_failed", "ours_error",
                                  "ours_skipped",
                                  "ours_collect_errors", "peer_collect_errors")}
    for g, rel in files:
        rows[g]["files"] += 1
        rows[g]["ours_collect_errors"] += rel in ours_cerr
        rows[g]["peer_collect_errors"] += rel in res["peer"]["collect_errors"]
    for side, tests in (("peer", peer_t), ("ours", ours_t)):
        for tid, (status, _) in tests.items():
            g = file_group[tid.split("::")[0]]
            rows[g][f"{side}_{status}"] += 1
    # Every test the peer passes and imbtool does not, with its reason.
    lost = []  # (test id, kind, reason, how)
    for tid, (status, _) in sorted(peer_t.items()):
        if status != "passed":
            continue
        rel = tid.split("::")[0]
        if tid in ours_t:
            st, reason = ours_t[tid]
            if st == "passed":
                continue
            if st == "skipped":
                lost.append((tid, "other", "skipped: " + reason, st))
                continue
            lost.append((tid, kind_of(reason), reason, st))
        elif rel in ours_cerr:
            lost.append((tid, kind_of(ours_cerr[rel]), ours_cerr[rel], "not collected"))
        else:
            lost.append((tid, "other",
                         "not collected under the same id (parametrisation differs)", "absent"))
    # Failures on imbtool of tests the peer does not pass (or does not have).
    extra = [(tid, kind_of(r), r, st) for tid, (st, r) in sorted(ours_t.items())
             if st in ("failed", "error") and peer_t.get(tid, ("absent",))[0] != "passed"]
    return rows, lost, extra


# ---------------------------------------------------------------------------
# report

def pct(a, b):
    return f"{100 * a / b:.0f}%" if b else "-"


def table_lines(peer_label, rows, rollups):
    out = []
    for name, groups in [(g, [g]) for g in rows] + rollups:
        agg = collections.Counter()
        for g in groups:
            agg.update(rows[g])
        out.append((f"{peer_label}: {name}", agg))
    return out


def render(results, args, rules_text, max_ids):
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    md = ["# Drop-in compatibility with the peers' own tests", ""]
    md.append(f"Measured {now}: {os.cpu_count()} cores ({cpu_model()}, {platform.system()} "
              f"{platform.machine()}), Python {platform.python_version()}, "
              f"imbtool at `{args.imbtool_label}`.")
    md.append("")
    md.append("    python benchmarks/bench_compat.py " + " ".join(args.argv_label))
    md.append("")
    md.append("The peer's test files run twice: as shipped, on the peer (\"pass on peer\"), "
              "and with only the imports rewritten to imbtool (\"pass on imbtool\"). A test "
              "file whose imports fail on imbtool counts none of its tests as passed. "
              "% = pass on imbtool / pass on peer.")
    md.append("")
    md.append("| peer test group | files | pass on peer | pass on imbtool | % | imbtool failed "
              "| imbtool errors | files not importable on imbtool |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results.values():
        for label, a in r["table"]:
            md.append(f"| {label} | {a['files']} | {a['peer_passed']} | {a['ours_passed']} | "
                      f"{pct(a['ours_passed'], a['peer_passed'])} | {a['ours_failed']} | "
                      f"{a['ours_error']} | "
                      f"{a['ours_collect_errors']} |")
    md.append("")
    for peer, r in results.items():
        md.append(f"Versions ({peer}): {r['versions']}. "
                  f"Run time: peer {r['res']['peer']['seconds']:.0f} s, "
                  f"imbtool {r['res']['imbtool']['seconds']:.0f} s.")
    md.append("")
    md += rules_text
    md += ["## Kinds of failure", "",
           ("- missing name: an import fails (`ImportError`, `ModuleNotFoundError`), or an "
            "imbtool object lacks a public method or attribute without a trailing underscore;"),
           "- unexpected keyword argument: a constructor or `set_params` refuses a peer parameter;",
           ("- missing fitted attribute: an imbtool estimator lacks a fitted attribute "
            "(`name_`) after fit;"),
           ("- wrong result: an assertion fails, including a different error message "
            "(`Regex pattern did not match`) or an expected error or warning that imbtool "
            "does not give (`DID NOT RAISE`/`DID NOT WARN`);"),
           ("- other: any other exception (imbtool refusing an input the peer accepts, an "
            "attribute missing on an object that is not imbtool's, a private helper the test "
            "calls)."), ""]
    full = ["# Every peer-passing test that does not pass on imbtool", ""]
    for peer, r in results.items():
        lost, extra = r["lost"], r["extra"]
        md.append(f"## {peer}: peer-passing tests that do not pass on imbtool ({len(lost)})")
        md.append("")
        md.append("| kind | tests |")
        md.append("|---|---:|")
        kinds = collections.Counter(k for _, k, _, _ in lost)
        for k in KINDS:
            md.append(f"| {k} | {kinds.get(k, 0)} |")
        md.append("")
        names = collections.Counter()
        for _, _, rsn, _ in lost:
            m = re.search(r"cannot import name '(\w+)'", rsn)
            if m:
                names[f"`{m.group(1)}` (import)"] += 1
            m = re.search(r"(\w+)\.(__init__|fit)\(\) got an unexpected keyword argument "
                          r"'(\w+)'", rsn)
            if m:
                where = "constructor" if m.group(2) == "__init__" else "fit"
                names[f"`{m.group(3)}=` ({where})"] += 1
        if r["res"]["missing_imports"]:
            md.append("Names the tests import that imbtool lacks (all of them; an ImportError "
                      "reports only the first of a statement): " + "; ".join(
                          f"`{mod}`: " + ", ".join(f"`{n}`" for n in ns)
                          for mod, ns in sorted(r["res"]["missing_imports"].items())) + ".")
            md.append("")
        if names:
            md.append("Missing names and parameters, by tests affected: " + ", ".join(
                f"{k} {n}" for k, n in names.most_common(20)) + ".")
            md.append("")
        md.append("Top reasons (tests affected; a reason that stops a file from importing "
                  "counts every test in that file):")
        md.append("")
        reasons = collections.Counter((k, normalise(rsn)) for _, k, rsn, _ in lost)
        for (k, rsn), n in reasons.most_common(25):
            md.append(f"- {n} x [{k}] `{rsn}`")
        md.append("")
        # Representative ids: round-robin over the reasons, most frequent first.
        by_reason = collections.OrderedDict()
        for (k, rsn), _ in reasons.most_common():
            by_reason[(k, rsn)] = [x for x in lost if (x[1], normalise(x[2])) == (k, rsn)]
        picked, depth = [], 0
        quota = max_ids // max(1, len(results))
        while len(picked) < quota and any(len(v) > depth for v in by_reason.values()):
            for v in by_reason.values():
                if len(v) > depth and len(picked) < quota:
                    picked.append(v[depth])
            depth += 1
        md.append(f"Representative ids ({len(picked)} of {len(lost)}; all in `failures.md`):")
        md.append("")
        for tid, k, rsn, how in sorted(picked):
            md.append(f"- `{tid}` ({how}) [{k}]: {rsn}")
        md.append("")
        if extra:
            md.append(f"Also failing on imbtool, but not passing on the peer either: {len(extra)}.")
            md.append("")
        full.append(f"## {peer} ({len(lost)})")
        full.append("")
        for tid, k, rsn, how in lost:
            full.append(f"- `{tid}` ({how}) [{k}]: {rsn}")
        full.append("")
        if extra:
            full.append(f"### {peer}: failing on imbtool, not passing on the peer ({len(extra)})")
            full.append("")
            for tid, k, rsn, how in extra:
                full.append(f"- `{tid}` ({how}) [{k}]: {rsn}")
            full.append("")
    return "\n".join(md) + "\n", "\n".join(full) + "\n"


def rules_markdown(peers):
    out = ["## Rewrite rules", ""]
    if "imblearn" in peers:
        out += ["imbalanced-learn (rewritten in import statements only):", "",
                "| module | becomes | why |", "|---|---|---|"]
        out += [f"| `{a}` | `{b}` | {c} |" for a, b, c in R.IMBLEARN_RULES]
        out.append("")
    if "imbens" in peers:
        out += [("imbalanced-ensemble (its 0.2.x wheel installs the package as `imbens`; "
                "`imbalanced_ensemble` spellings are rewritten the same way):"), "",
                "| module or text | becomes | why |", "|---|---|---|"]
        out += [f"| `{a}` | `{b}` | {c} |" for a, b, c in R.IMBENS_RULES]
        out.append("")
    return out


# ---------------------------------------------------------------------------

def ensure_venv(venv):
    py = venv / "bin" / "python"
    if not py.exists():
        print(f"creating {venv} and installing imbalanced-ensemble (pip resolves its pins)",
              flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "imbalanced-ensemble", "pytest"],
                       check=True)
    return py


def package_dir(python, names):
    for name in names:
        r = subprocess.run([python, "-c",
                            f"import os, {name}; print(os.path.dirname({name}.__file__))"],
                           check=False, capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        if r.returncode == 0:
            return name, Path(r.stdout.strip().splitlines()[-1])
    raise SystemExit(f"none of {names} importable with {python}")


def versions(python, mods, env_extra=None):
    code = (f"import importlib\nfor m in {mods!r}:\n    mod = importlib.import_module(m)\n"
            "    print(m, getattr(mod, '__version__', '?'), mod.__file__)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(env_extra or {})
    r = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env, check=True)
    return [line.split(" ", 2) for line in r.stdout.strip().splitlines()]


_MISSING_CODE = """
import ast, importlib, json, pathlib, sys
out = {}
for path in sorted(pathlib.Path(sys.argv[1]).rglob("test_*.py")):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("imbtool"):
            try:
                mod = importlib.import_module(node.module)
            except ImportError:
                out.setdefault(node.module, set()).add("(module)")
                continue
            for a in node.names:
                if not hasattr(mod, a.name):
                    out.setdefault(node.module, set()).add(a.name)
print(json.dumps({k: sorted(v) for k, v in out.items()}))
"""


def missing_imports(root, imbtool):
    """Every name the rewritten tests import from imbtool that imbtool lacks.

    An ImportError names only the first missing name of a statement; this
    lists them all.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(imbtool)
    r = subprocess.run([sys.executable, "-c", _MISSING_CODE, str(root)], capture_output=True,
                       text=True, env=env, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def public_names(imbtool):
    code = (f"import importlib\nfor m in {R.IMBLEARN_MAPPED!r}:\n"
            "    mod = importlib.import_module('imbtool.' + m)\n"
            "    print(*getattr(mod, '__all__', []))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(imbtool)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       check=True)
    return set(r.stdout.split())


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--imbtool", type=Path, default=HERE.parent,
                    help="imbtool checkout to test (default: this repository)")
    ap.add_argument("--peer", choices=["imblearn", "imbens", "all"], default="all")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "compat")
    ap.add_argument("--venv", type=Path, default=HERE / "out" / "imbens-venv",
                    help="virtual environment for imbalanced-ensemble (created if missing)")
    ap.add_argument("--max-ids", type=int, default=60, help="representative ids in compat.md")
    ap.add_argument("--keep", action="store_true", help="keep the temporary test folders")
    ap.add_argument("--work", type=Path, default=None,
                    help="folder for the test copies, logs and JUnit files "
                         "(kept; default: a temporary one)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --work: count the JUnit files already there instead of "
                         "rerunning pytest")
    args = ap.parse_args(argv)
    args.imbtool = args.imbtool.resolve()
    args.imbtool_label = "this repository" if args.imbtool == HERE.parent else str(args.imbtool)
    args.argv_label = sys.argv[1:] if argv is None else argv
    peers = ["imblearn", "imbens"] if args.peer == "all" else [args.peer]
    args.out.mkdir(parents=True, exist_ok=True)

    # The imbtool side must import the checkout under test, not an installed copy.
    (_, _, where), = versions(sys.executable, ["imbtool"], {"PYTHONPATH": str(args.imbtool)})
    if not Path(where).resolve().is_relative_to(args.imbtool):
        raise SystemExit(f"PYTHONPATH={args.imbtool} imports imbtool from {where}")

    PUBLIC_NAMES.update(public_names(args.imbtool))

    if args.work is not None:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
        args.keep = True
    else:
        work = Path(tempfile.mkdtemp(prefix="imbtool-compat-"))
    results = {}
    try:
        for peer in peers:
            if peer == "imblearn":
                _, pkg = package_dir(sys.executable, ["imblearn"])
                groups, rollups, rewrite, py, top = (IMBLEARN_GROUPS, IMBLEARN_ROLLUPS,
                                                     R.rewrite_imblearn, sys.executable,
                                                     "compat_imblearn")
                vers = (versions(py, ["imblearn", "sklearn"]),
                        versions(sys.executable, ["imblearn", "sklearn", "imbtool"],
                                 {"PYTHONPATH": str(args.imbtool)}))
                label, extra = "imbalanced-learn", None
            else:
                py = str(ensure_venv(args.venv))
                _, pkg = package_dir(py, ["imbens", "imbalanced_ensemble"])
                groups, rollups, rewrite, top = IMBENS_GROUPS, [("all ensemble tests",
                                                                 [g for g, _ in IMBENS_GROUPS])], \
                    R.rewrite_imbens, "compat_imbens"
                vers = (versions(py, [pkg.name, "sklearn"]),
                        versions(sys.executable, ["imblearn", "sklearn", "imbtool"],
                                 {"PYTHONPATH": str(args.imbtool)}))
                label, extra = "imbalanced-ensemble", {"_compat_shim.py": R.SHIM_SOURCE}
            print(f"{label}: tests from {pkg}", flush=True)
            files, file_group, res = measure(peer, pkg, groups, work, py, args.imbtool, rewrite,
                                             top, extra, reuse=args.reuse)
            rows, lost, extra_f = summarise(peer, files, file_group, res, [g for g, _ in groups])
            vtxt = "peer side " + ", ".join(f"{m} {v}" for m, v, _ in vers[0]) + \
                "; imbtool side " + ", ".join(f"{m} {v}" for m, v, _ in vers[1])
            results[peer] = {"table": table_lines(label, rows, rollups), "lost": lost,
                             "extra": extra_f, "res": res, "versions": vtxt}
    finally:
        if args.keep:
            print(f"test folders kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'peer test group':50s} {'pass on peer':>13s} {'pass on imbtool':>16s} {'%':>5s}")
    for r in results.values():
        for label, a in r["table"]:
            print(f"{label:50s} {a['peer_passed']:13d} {a['ours_passed']:16d} "
                  f"{pct(a['ours_passed'], a['peer_passed']):>5s}")
    summary, full = render(results, args, rules_markdown(peers), args.max_ids)
    (args.out / "compat.md").write_text(summary)
    (args.out / "failures.md").write_text(full)
    (args.out / "compat.json").write_text(json.dumps({
        peer: {"table": [(label, dict(a)) for label, a in r["table"]],
               "not_passing_on_imbtool": [dict(zip(("id", "kind", "reason", "how"), x))
                                          for x in r["lost"]],
               "failing_on_both": [dict(zip(("id", "kind", "reason", "how"), x))
                                   for x in r["extra"]],
               "versions": r["versions"]}
        for peer, r in results.items()}, indent=1))
    print(f"\nwrote {args.out / 'compat.md'}, failures.md, compat.json")


if __name__ == "__main__":
    main()
