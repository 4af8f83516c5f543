"""Parser for KEEL's ARFF-like ``.dat`` format.

KEEL files look like ARFF with two extra header lines::

    @relation name
    @attribute Sex {M, F, I}
    @attribute Length real [0.075, 0.815]
    @attribute Rings integer[1,29]
    @attribute Class {positive, negative}
    @inputs Sex, Length, Rings
    @outputs Class
    @data
    M, 0.455, 15, negative

``@inputs``/``@outputs`` are optional (when absent the last attribute is the
output, as in every KEEL file without them). Missing values are written ``?``
or ``<null>``. Only the build script (``benchmarks/build_datasets.py``, outside
the package) and the tests use this module: shipped data are read from the
compressed copies, never re-parsed at import.
"""

import re
from decimal import Decimal, InvalidOperation

import numpy as np

MISSING_TOKENS = frozenset({"?", "<null>", ""})

_ATTRIBUTE = re.compile(
    r"""^@attribute\s+
        (?P<name>'[^']*'|"[^"]*"|[^\s{\[]+)\s*
        (?P<spec>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMERIC = re.compile(r"^(?P<kind>real|integer|numeric)\s*(\[(?P<range>[^\]]*)\])?\s*$",
                      re.IGNORECASE)


class KeelFormatError(ValueError):
    """Raised when a ``.dat`` file does not follow KEEL's format."""


def _unquote(token):
    token = token.strip()
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1]
    return token


def _split_list(text):
    return [_unquote(part) for part in text.split(",") if part.strip()]


def _parse_attribute(line, lineno):
    match = _ATTRIBUTE.match(line.strip())
    if match is None:
        raise KeelFormatError(f"line {lineno}: cannot read attribute declaration {line!r}")
    name = _unquote(match["name"])
    spec = match["spec"].strip()
    if spec.startswith("{"):
        if not spec.endswith("}"):
            raise KeelFormatError(f"line {lineno}: nominal attribute {name!r} lacks a closing '}}'")
        categories = _split_list(spec[1:-1])
        if len(set(categories)) != len(categories):
            raise KeelFormatError(f"line {lineno}: nominal attribute {name!r} repeats a category")
        return {"name": name, "kind": "nominal", "categories": categories}
    numeric = _NUMERIC.match(spec)
    if numeric is None:
        raise KeelFormatError(f"line {lineno}: unknown type {spec!r} for attribute {name!r}")
    return {"name": name, "kind": numeric["kind"].lower(), "categories": None}


def _to_number(token, attribute, lineno):
    try:
        return Decimal(token)
    except InvalidOperation:
        raise KeelFormatError(
            f"line {lineno}: value {token!r} of numeric attribute {attribute['name']!r} "
            "is not a number"
        ) from None


def parse_keel(text):
    """Parse the text of a KEEL ``.dat`` file.

    Parameters
    ----------
    text : str
        Whole file content.

    Returns
    -------
    dict
        ``relation`` (str); ``inputs``: list of attribute dicts with keys
        ``name``, ``kind`` (``"real"``, ``"integer"``, ``"numeric"`` or
        ``"nominal"``), ``categories`` (list of str for nominal, else None)
        and ``values`` (a list with one entry per row: a ``decimal.Decimal``
        for numeric attributes, the category index for nominal ones, None
        when missing); ``output``: the output attribute dict whose ``values``
        hold the class label strings.

    Examples
    --------
    >>> parsed = parse_keel('''@relation toy
    ... @attribute colour {red, blue}
    ... @attribute size real [0.5, 2.0]
    ... @attribute Class {positive, negative}
    ... @data
    ... blue, 1.5, positive
    ... red, ?, negative''')
    >>> parsed["inputs"][0]["values"], parsed["output"]["values"]
    ([1, 0], ['positive', 'negative'])
    """
    relation = None
    attributes = []
    inputs = outputs = None
    rows = []
    in_data = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if in_data:
            rows.append((lineno, line))
            continue
        keyword = line.split(None, 1)[0].lower()
        if keyword == "@relation":
            relation = _unquote(line[len("@relation"):])
        elif keyword == "@attribute":
            attributes.append(_parse_attribute(line, lineno))
        elif keyword in ("@inputs", "@input"):
            inputs = _split_list(line.split(None, 1)[1]) if " " in line else []
        elif keyword in ("@outputs", "@output"):
            outputs = _split_list(line.split(None, 1)[1]) if " " in line else []
        elif keyword == "@data":
            in_data = True
        else:
            raise KeelFormatError(f"line {lineno}: unexpected header line {line!r}")
    if not in_data:
        raise KeelFormatError("no @data section")
    if len(attributes) < 2:
        raise KeelFormatError("need at least one input and one output @attribute")

    by_name = {a["name"]: i for i, a in enumerate(attributes)}
    if outputs is None:
        outputs = [attributes[-1]["name"]]
    if len(outputs) != 1:
        raise KeelFormatError(f"expected exactly one @outputs attribute, got {outputs}")
    if inputs is None:
        inputs = [a["name"] for a in attributes if a["name"] != outputs[0]]
    for name in inputs + outputs:
        if name not in by_name:
            raise KeelFormatError(f"@inputs/@outputs name {name!r} has no @attribute")

    for attribute in attributes:
        attribute["values"] = []
    lookup = [
        {c: k for k, c in enumerate(a["categories"])} if a["kind"] == "nominal" else None
        for a in attributes
    ]
    output_index = by_name[outputs[0]]
    for lineno, line in rows:
        tokens = [_unquote(t) for t in line.split(",")]
        if len(tokens) != len(attributes):
            raise KeelFormatError(
                f"line {lineno}: {len(tokens)} values for {len(attributes)} attributes"
            )
        for j, (token, attribute) in enumerate(zip(tokens, attributes)):
            if token in MISSING_TOKENS:
                if j == output_index:
                    raise KeelFormatError(f"line {lineno}: missing class label")
                attribute["values"].append(None)
            elif j == output_index:
                attribute["values"].append(token)
            elif lookup[j] is not None:
                if token not in lookup[j]:
                    raise KeelFormatError(
                        f"line {lineno}: {token!r} is not a declared category of "
                        f"{attribute['name']!r} {attribute['categories']}"
                    )
                attribute["values"].append(lookup[j][token])
            else:
                attribute["values"].append(_to_number(token, attribute, lineno))
    if not rows:
        raise KeelFormatError("the @data section is empty")
    return {
        "relation": relation,
        "inputs": [attributes[by_name[name]] for name in inputs],
        "output": attributes[output_index],
    }


def decimal_scale(values):
    """Smallest power of ten that makes every finite decimal an integer.

    Returns ``(ints, exponent)`` with ``ints / 10.0**exponent`` equal, bit for
    bit, to ``float(value)`` (both operands are exact in float64 and IEEE
    division rounds correctly), or ``None`` when that is not possible within
    int64 / exact powers of ten.

    Examples
    --------
    >>> from decimal import Decimal
    >>> decimal_scale([Decimal("0.455"), Decimal("5.0E-4"), None])
    (array([4550,    5,    0]), 4)
    """
    present = [v for v in values if v is not None]
    exponent = max((max(0, -v.normalize().as_tuple().exponent) for v in present), default=0)
    if exponent > 22:
        return None
    scaled = [int(v.scaleb(exponent)) if v is not None else 0 for v in values]
    if any(abs(s) >= 2**53 for s in scaled):
        return None
    return np.asarray(scaled, dtype=np.int64), exponent
