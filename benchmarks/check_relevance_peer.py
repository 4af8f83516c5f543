"""imbtool's relevance function against the peer ``smogn``'s, on the same targets.

smogn (GPL) runs as a black box in its own environment (``--peer-python``):
this script writes the cases to a JSON file, calls smogn's ``phi_ctrl_pts``
and ``phi`` there, and prints the largest absolute difference per case.
Cases: log-normal targets with automatic box-plot control points (both
tails, high, low) and normal targets with user control points.

    python benchmarks/check_relevance_peer.py --peer-python <venv with smogn>/bin/python
"""

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from imbtool.regression import relevance

PEER = """
import json, sys
import pandas as pd
from smogn.phi import phi
from smogn.phi_ctrl_pts import phi_ctrl_pts
out = []
for case in json.load(open(sys.argv[1])):
    y = pd.Series(case["y"])
    if case["points"] is None:
        params = phi_ctrl_pts(y=y, method="auto", xtrm_type=case["extremes"], coef=1.5)
    else:
        params = phi_ctrl_pts(y=y, method="manual", ctrl_pts=case["points"])
    out.append([float(v) for v in phi(y=y, ctrl_pts=params)])
json.dump(out, open(sys.argv[2], "w"))
"""


def _cases(seed=0):
    rng = np.random.default_rng(seed)
    cases = [{"y": np.exp(rng.normal(size=300)).round(6).tolist(), "points": None,
              "extremes": extremes} for extremes in ("both", "high", "low") for _ in range(2)]
    y = rng.normal(size=200).round(6).tolist()
    cases += [{"y": y, "points": [[-2.0, 1, 0], [0.0, 0, 0], [2.0, 1, 0]], "extremes": None},
              {"y": y, "points": [[-1.0, 0, 0], [0.5, 0.3, 0], [2.0, 1, 0]], "extremes": None}]
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", required=True)
    args = parser.parse_args()
    cases = _cases()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "peer.py").write_text(PEER)
        (folder / "cases.json").write_text(json.dumps(cases))
        subprocess.run([args.peer_python, str(folder / "peer.py"), str(folder / "cases.json"),
                        str(folder / "out.json")], check=True)
        peer = json.loads((folder / "out.json").read_text())
    print("case | control points | max |imbtool - smogn| | rows differing by > 1e-9")
    for case, theirs in zip(cases, peer):
        y = np.asarray(case["y"])
        ours = (relevance(y, extremes=case["extremes"]) if case["points"] is None
                else relevance(y, case["points"]))
        diff = np.abs(ours - np.asarray(theirs))
        label = f"automatic, {case['extremes']}" if case["points"] is None else "user"
        print(f"{len(y)} rows | {label} | {diff.max():.3g} | {int((diff > 1e-9).sum())}")


if __name__ == "__main__":
    main()
