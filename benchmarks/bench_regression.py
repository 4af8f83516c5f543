"""Speed of imbtool.regression.SMOGN against the `smogn` package.

`smogn` is GPL-licensed, so it is never imported here: it runs as a black box
in its own environment (``--peer-python``, a Python with `smogn` installed),
in a subprocess that times only its ``smoter`` call and is stopped after
``--peer-timeout`` seconds. Data: ``n`` rows x 20 normal features, a
right-skewed target ``exp(x0 + 0.3 noise)``; both methods use their defaults
(k=5, perturbation 0.02, "balance", relevance threshold 0.5, automatic box-plot
relevance).

`smogn` 0.1.2 calls ``np.quantile(interpolation=...)``, removed in NumPy 2: its
environment needs ``pip install smogn "numpy<2" "pandas<2.3"``.

    python -u bench_regression.py --rows 5000 20000 --peer-python /path/to/venv/bin/python
"""

import argparse
import subprocess
import textwrap

import numpy as np
from _common import machine_line, measure

from imbtool.regression import SMOGN

_PEER = textwrap.dedent("""
    import sys, time
    import numpy as np, pandas as pd, smogn
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)]).assign(target=y)
    t0 = time.perf_counter()
    out = smogn.smoter(data=frame, y="target")
    print(len(out), time.perf_counter() - t0)
""")


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    return X, np.exp(X[:, 0] + 0.3 * rng.normal(size=n))


def peer_seconds(python, n, timeout):
    """Seconds of smogn.smoter, or None when stopped at ``timeout``."""
    try:
        out = subprocess.run([python, "-c", _PEER, str(n), "0"], capture_output=True, text=True,
                             check=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return None
    return float(out.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-python", default=None,
                        help="a Python with smogn installed; leave out to time imbtool only")
    parser.add_argument("--peer-timeout", type=float, default=600.0)
    args = parser.parse_args()
    print(machine_line())
    print("| rows x 20 | imbtool SMOGN (median) | smogn | ratio |")
    print("|---|---|---|---|")
    for n in args.rows:
        X, y = data(n)
        seconds, _, (X_res, _) = measure(
            lambda X=X, y=y: SMOGN(random_state=0).fit_resample(X, y), args.repeats)
        peer = "not run"
        ratio = ""
        if args.peer_python:
            timed = peer_seconds(args.peer_python, n, args.peer_timeout)
            if timed is None:
                peer = f"stopped at {args.peer_timeout:.0f} s"
                ratio = f">{args.peer_timeout / seconds:.0f}x"
            else:
                peer, ratio = f"{timed:.2f} s", f"{timed / seconds:.0f}x"
        print(f"| {n:,} | {seconds:.3f} s ({X_res.shape[0]:,} rows out) | {peer} | {ratio} |")


if __name__ == "__main__":
    main()
