"""Timing, memory and test helpers shared by the benchmark scripts."""

import os
import platform
import statistics
import time
from datetime import date

import numpy as np


def reset_peak_rss():
    """Reset the process's peak resident set size (Linux); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _status_kib(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def measure(fn, repeats):
    """Run ``fn`` ``repeats`` times; return (median seconds, all times, last result)."""
    times, result = [], None
    for _ in range(repeats):
        result = None
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def peak_mib(fn):
    """Growth of peak resident memory, in MiB, while ``fn`` runs once.

    Meant to run in a fresh process (see ``in_subprocess``): the peak is reset
    to the current resident set first, so it counts the method's working
    memory and its output, not the input data.
    """
    if not reset_peak_rss():
        return float("nan")
    base = _status_kib("VmRSS")
    fn()
    return (_status_kib("VmHWM") - base) / 1024


def in_subprocess(script, *args):
    """Run ``python script *args`` and return its last stdout line as a float."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, script, *args], capture_output=True, text=True,
                         check=True).stdout
    return float(out.strip().splitlines()[-1])


def machine_line():
    cpu = platform.processor() or platform.machine()
    return (f"{date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}")


def holm_adjust(pvalues):
    """Holm's step-down adjusted p-values, in the order given."""
    order = np.argsort(pvalues)
    adjusted, running = np.empty(len(pvalues)), 0.0
    for rank, j in enumerate(order):
        running = max(running, min(1.0, (len(pvalues) - rank) * pvalues[j]))
        adjusted[j] = running
    return adjusted
