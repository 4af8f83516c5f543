"""Which device a booster trains on: probe the installed build and the machine once per process."""

import contextlib
import functools
import logging
import os
import sys
import threading

import numpy as np

from ..utils._compat import require

logger = logging.getLogger("imbtool.boosters")

DEVICES = ("auto", "cpu", "gpu")


# Serialises the probes: the output redirection below is process-wide, and two
# overlapping ones could restore each other's saved descriptors in the wrong order.
_PROBE_LOCK = threading.Lock()


@contextlib.contextmanager
def _native_output_discarded():
    """Send what native code writes to file descriptors 1 and 2 to the null device meanwhile.

    LightGBM prints "[LightGBM] [Fatal] ..." from C++ straight to stderr before
    raising, which neither ``verbose=-1`` nor Python's ``sys.stderr`` can stop.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # absent or closed streams
            stream.flush()
    saved = []
    with open(os.devnull, "w") as null:
        try:
            for fd in (1, 2):
                # A descriptor that is not open needs no silencing.
                with contextlib.suppress(OSError):
                    saved.append((fd, os.dup(fd)))
                    os.dup2(null.fileno(), fd)
            yield
        finally:
            for fd, copy in reversed(saved):
                os.dup2(copy, fd)
                os.close(copy)


@functools.cache
def lightgbm_gpu_device():
    """LightGBM's GPU device_type usable here ("cuda", "gpu" for OpenCL) or None.

    A one-round fit on a tiny set is the only reliable test: a build without
    GPU support and a machine without a device fail the same way. The failed
    attempts print nothing (a CPU user must not see LightGBM's fatal-error
    lines), and the answer is cached for the process.
    """
    import lightgbm

    X = np.arange(40, dtype=np.float64).reshape(20, 2)
    y = np.arange(20) % 2
    with _PROBE_LOCK, _native_output_discarded():
        for device in ("cuda", "gpu"):
            try:
                lightgbm.train({"device_type": device, "verbose": -1, "objective": "binary"},
                               lightgbm.Dataset(X, y, params={"verbose": -1}), num_boost_round=1)
            except lightgbm.basic.LightGBMError:
                continue
            return device
    return None


@functools.cache
def xgboost_gpu_device():
    """"cuda" when the installed XGBoost is a CUDA build and a CUDA device is visible, else None."""
    xgboost = require("xgboost", "XGBImbalancedClassifier")
    if not xgboost.build_info().get("USE_CUDA", False):
        return None
    from numba import cuda

    return "cuda" if cuda.is_available() else None


def resolve_device(device, probe, owner):
    """Map the ``device`` parameter to the backend's device name ("cpu" or a GPU one)."""
    if device not in DEVICES:
        raise ValueError(f"{owner}: device must be one of {DEVICES}; got {device!r}.")
    if device == "cpu":
        return "cpu"
    gpu = probe()
    if gpu is not None:
        return gpu
    if device == "gpu":
        raise ValueError(
            f"{owner}: device='gpu' but no usable GPU was found (the installed build has no GPU "
            "support or the machine has no GPU device). Use device='cpu', or device='auto' to "
            "fall back to the CPU."
        )
    logger.info("%s: no usable GPU found, training on the CPU.", owner)
    return "cpu"
