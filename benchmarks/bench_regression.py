"""Speed of imbtool.regression.SMOGN against `smogn`, and SMOTER against
`ImbalancedLearningRegression`.

Both peers are GPL-licensed, so neither is imported here: each runs as a
black box in its own environment (``--peer-python``, a Python with `smogn`;
``--iblr-python``, one with `ImbalancedLearningRegression`), in a subprocess
that times only its resampling call (``smogn.smoter``;
``ImbalancedLearningRegression.smote``, SMOTER) and is stopped after
``--peer-timeout`` seconds. Data: ``n`` rows x 20 normal features, a
right-skewed target ``exp(x0 + 0.3 noise)``; all methods use their defaults
(k=5, SMOGN's perturbation 0.02, "balance", relevance threshold 0.5, automatic
box-plot relevance).

`smogn` 0.1.2 calls ``np.quantile(interpolation=...)``, removed in NumPy 2: its
environment needs ``pip install smogn "numpy<2" "pandas<2.3"``; so does
``pip install ImbalancedLearningRegression "numpy<2" "pandas<2.3"``.

    python -u bench_regression.py --rows 5000 20000 --peer-python /path/to/venv/bin/python
    python -u bench_regression.py --rows 5000 20000 --iblr-python /path/to/venv/bin/python
"""

import argparse
import subprocess
import textwrap

import numpy as np
from _common import machine_line, measure

from imbtool.regression import SMOGN, SMOTER

_PEER = textwrap.dedent("""
    import sys, time
    import numpy as np, pandas as pd
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    y = np.exp(X[:, 0] + 0.3 * rng.normal(size=n))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)]).assign(target=y)
    t0 = time.perf_counter()
    out = CALL
    print(len(out), time.perf_counter() - t0)
""")
# (imbtool's sampler, the peer's import and call) for each peer.
PEERS = {
    "smogn": (SMOGN, "__import__('smogn').smoter(data=frame, y='target')"),
    "ImbalancedLearningRegression": (
        SMOTER, "__import__('ImbalancedLearningRegression').smote(data=frame, y='target')"),
}


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    return X, np.exp(X[:, 0] + 0.3 * rng.normal(size=n))


def peer_seconds(python, peer, n, timeout):
    """Seconds of the peer's resampling call, or None when stopped at ``timeout``."""
    script = _PEER.replace("CALL", PEERS[peer][1])
    try:
        out = subprocess.run([python, "-c", script, str(n), "0"], capture_output=True,
                             text=True, check=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return None
    return float(out.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-python", default=None,
                        help="a Python with smogn installed; leave out to time imbtool only")
    parser.add_argument("--iblr-python", default=None,
                        help="a Python with ImbalancedLearningRegression installed: time SMOTER "
                        "against its smote instead")
    parser.add_argument("--peer-timeout", type=float, default=600.0)
    args = parser.parse_args()
    peer, python = (("ImbalancedLearningRegression", args.iblr_python) if args.iblr_python
                    else ("smogn", args.peer_python))
    sampler = PEERS[peer][0]
    print(machine_line())
    print(f"| rows x 20 | imbtool {sampler.__name__} (median) | {peer} | ratio |")
    print("|---|---|---|---|")
    for n in args.rows:
        X, y = data(n)
        seconds, _, (X_res, _) = measure(
            lambda X=X, y=y: sampler(random_state=0).fit_resample(X, y), args.repeats)
        shown = "not run"
        ratio = ""
        if python:
            timed = peer_seconds(python, peer, n, args.peer_timeout)
            if timed is None:
                shown = f"stopped at {args.peer_timeout:.0f} s"
                ratio = f">{args.peer_timeout / seconds:.0f}x"
            else:
                shown, ratio = f"{timed:.2f} s", f"{timed / seconds:.0f}x"
        print(f"| {n:,} | {seconds:.3f} s ({X_res.shape[0]:,} rows out) | {shown} | {ratio} |",
              flush=True)


if __name__ == "__main__":
    main()
