"""Import cost of single classes: ``from imbtool.<package> import <Class>`` in fresh processes.

Each reading is one new interpreter, run from an empty folder, that imports numpy
(outside the clock, as in ``bench_first_call.py``) and then the class; it prints the
CPU and wall seconds of that import. With several ``--checkout`` folders (imbtool
source trees, put first on ``sys.path``) the checkouts alternate within each repeat,
so a before/after comparison runs under the same load. ``--peer`` statements (e.g.
``import imblearn``) are timed the same way, once per repeat, as the floor.

    python benchmarks/bench_import.py --checkout OLD --checkout NEW --package ensemble \\
        --repeats 5 --peer "from sklearn.ensemble import AdaBoostClassifier"
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = """
import time
import numpy
c0, t0 = time.process_time(), time.perf_counter()
{statement}
print(time.process_time() - c0, time.perf_counter() - t0)
"""


def import_seconds(statement, checkout, folder):
    """(CPU, wall) seconds of ``statement`` in a fresh interpreter."""
    env = dict(os.environ)
    if checkout:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [checkout, env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, "-c", CHILD.format(statement=statement)], env=env,
                         cwd=folder, capture_output=True, text=True, check=True)
    cpu, wall = out.stdout.split()[-2:]
    return float(cpu), float(wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", action="append",
                        help="an imbtool source tree to import from (repeatable); "
                             "default: the installed imbtool")
    parser.add_argument("--package", action="append", required=True,
                        help="imbtool subpackage whose __all__ classes are timed (repeatable)")
    parser.add_argument("--peer", action="append", default=[],
                        help="an import statement timed alongside, as the floor")
    parser.add_argument("--only", action="append",
                        help="time only this class (repeatable)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    checkouts = args.checkout or [""]
    sys.path[:0] = checkouts[-1:]
    import importlib

    statements = [f"from imbtool.{package} import {name}" for package in args.package
                  for name in importlib.import_module(f"imbtool.{package}").__all__
                  if not args.only or name in args.only]
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start; median of "
          f"{args.repeats} fresh processes, import CPU (wall) seconds", flush=True)
    print(" | ".join([f"{'statement':60s}", *(f"checkout {i}" for i in range(len(checkouts))),
                      "ratio last/first"]), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for statement in args.peer:
            runs = [import_seconds(statement, "", folder) for _ in range(args.repeats)]
            cpu, wall = (statistics.median(r[i] for r in runs) for i in range(2))
            print(f"{statement:60s} | {cpu:5.2f} ({wall:5.2f})", flush=True)
        for statement in statements:
            runs = [[] for _ in checkouts]
            for _ in range(args.repeats):
                for i, checkout in enumerate(checkouts):
                    runs[i].append(import_seconds(statement, checkout, folder))
            cells = [[statistics.median(r[j] for r in run) for j in range(2)] for run in runs]
            print(" | ".join([f"{statement:60s}",
                              *(f"{cpu:5.2f} ({wall:5.2f})" for cpu, wall in cells),
                              f"{cells[-1][0] / cells[0][0]:5.2f}"]), flush=True)
    print(f"load {os.getloadavg()[0]:.2f} at end", flush=True)


if __name__ == "__main__":
    main()
