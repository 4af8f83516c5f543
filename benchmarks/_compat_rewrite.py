"""Import rewrites that turn a peer's test file into a test of imbtool.

Used by ``bench_compat.py``.  Each rule is data (what it matches, what it
becomes, why), so the summary can print the exact rules that produced its
counts.  Only imports change, plus one argument strip for imbalanced-ensemble
(see ``strip_keyword``); test bodies are left as the peer wrote them.
"""

import ast
import re

# --- imbalanced-learn -------------------------------------------------------
# Modules whose public names are the API under test: ``imblearn.<m>`` becomes
# ``imbtool.<m>`` in every import statement.  Everything else that a test
# imports from imbalanced-learn stays as it is:
#   * ``imblearn.utils`` (validation helpers, ``_CustomNearestNeighbors``,
#     ``_CustomClusterer``) and ``imblearn.datasets`` (``make_imbalance``) build
#     test data and test doubles; they are helpers, not the API under test;
#   * ``from imblearn import FunctionSampler`` is imbalanced-learn's top-level
#     helper sampler, used by one bagging test as a pass-through sampler.
IMBLEARN_MAPPED = ("ensemble", "over_sampling", "under_sampling", "combine", "metrics", "pipeline")

IMBLEARN_RULES = [
    (rf"imblearn.{m}", rf"imbtool.{m}",
     "public module under test"
     + (" (samplers are imbtool's too)" if m.endswith("sampling") else ""))
    for m in IMBLEARN_MAPPED
] + [
    ("imblearn.utils, imblearn.utils.testing", "(unchanged)", "test helpers and test doubles"),
    ("imblearn.datasets", "(unchanged)", "make_imbalance builds the test data"),
    ("from imblearn import FunctionSampler", "(unchanged)", "helper pass-through sampler"),
]

# --- imbalanced-ensemble ----------------------------------------------------
# The 0.2.x wheel ships its code as the package ``imbens`` (an older
# ``imbalanced_ensemble`` package, version 0.1.7, is installed beside it);
# both spellings are rewritten.  The peer's samplers and pipeline map to
# imbtool's (same class names); ``make_imbalance`` has no imbtool
# counterpart and maps to imbalanced-learn's (same signature);
# ``all_estimators(type_filter='ensemble')`` maps to a shim that lists
# imbtool.ensemble's classes, so the generic tests run over imbtool's
# ensembles.
IMBENS_PREFIXES = ("imbens", "imbalanced_ensemble")

IMBENS_MODULE_MAP = [
    ("ensemble", "imbtool.ensemble", "public module under test"),
    ("pipeline", "imbtool.pipeline", "imbtool's Pipeline / make_pipeline"),
    ("sampler._over_sampling", "imbtool.over_sampling", "helper samplers, same names in imbtool"),
    ("sampler.over_sampling", "imbtool.over_sampling", "helper samplers, same names in imbtool"),
    ("sampler._under_sampling", "imbtool.under_sampling", "helper samplers, same names in imbtool"),
    ("sampler.under_sampling", "imbtool.under_sampling", "helper samplers, same names in imbtool"),
    ("datasets", "imblearn.datasets", "make_imbalance: imbalanced-learn's (imbtool has none)"),
    ("utils.testing", "_compat_shim", "all_estimators: lists imbtool.ensemble's classes"),
    ("metrics", "imbtool.metrics", "public module"),
]

IMBENS_RULES = [
    (f"imbens.{src} (also imbalanced_ensemble.{src})", dst, why)
    for src, dst, why in IMBENS_MODULE_MAP
] + [
    ("keyword argument algorithm=... in any call", "(removed)",
     ("AdaBoost's algorithm= was removed from scikit-learn; the tests pass \"SAMME\", "
     "the only algorithm left")),
]

# Written beside the rewritten imbalanced-ensemble tests as _compat_shim.py.
SHIM_SOURCE = '''"""Stand-in for imbens.utils.testing.all_estimators over imbtool.ensemble."""
import inspect

import imbtool.ensemble


def all_estimators(type_filter=None):
    out = []
    for name in sorted(imbtool.ensemble.__all__):
        obj = getattr(imbtool.ensemble, name)
        if inspect.isclass(obj) and hasattr(obj, "fit"):
            out.append((name, obj))
    return out
'''


def _rewrite_imports(source, mapping):
    """Apply ``mapping`` ({old dotted prefix: new}) to module names in imports.

    Only ``import``/``from ... import`` statements are touched, so strings and
    comments that mention a module keep their text.  Longest prefix wins.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    keys = sorted(mapping, key=len, reverse=True)

    def new_name(mod):
        for k in keys:
            if mod == k or mod.startswith(k + "."):
                return mapping[k] + mod[len(k):]
        return None

    edits = []  # (line index, old module text, new)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mods = [node.module]
        elif isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        else:
            continue
        for mod in mods:
            repl = new_name(mod)
            if repl is not None:
                edits.append((node.lineno - 1, mod, repl))
    for i, old, new in edits:
        lines[i] = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w])", new, lines[i], count=1)
    return "".join(lines)


def strip_keyword(source, keyword):
    """Remove ``keyword=...`` from every call, keeping the rest of the text."""
    tree = ast.parse(source)
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))

    def pos(lineno, col):
        # ast columns are UTF-8 byte offsets; test sources here are ASCII in the
        # calls concerned, but convert through bytes to be safe.
        line = source[offsets[lineno - 1]:offsets[lineno]]
        return offsets[lineno - 1] + len(line.encode()[:col].decode(errors="ignore"))

    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == keyword:
                    spans.append((pos(kw.lineno, kw.col_offset),
                                  pos(kw.end_lineno, kw.end_col_offset)))
    for start, end in sorted(spans, reverse=True):
        m = re.match(r"\s*,[ \t]*", source[end:])
        if m:  # drop the comma after it
            end += m.end()
        else:  # last argument: drop the comma before it
            m = re.search(r",\s*$", source[:start])
            if m:
                start = m.start()
        source = source[:start] + source[end:]
    ast.parse(source)  # still valid Python
    return source


def rewrite_imblearn(source):
    mapping = {f"imblearn.{m}": f"imbtool.{m}" for m in IMBLEARN_MAPPED}
    return _rewrite_imports(source, mapping)


def rewrite_imbens(source):
    mapping = {}
    for prefix in IMBENS_PREFIXES:
        for src, dst, _ in IMBENS_MODULE_MAP:
            mapping[f"{prefix}.{src}"] = dst
    return strip_keyword(_rewrite_imports(source, mapping), "algorithm")
