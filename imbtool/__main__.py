"""Command line: ``python -m imbtool benchmark [options]``.

Runs (or resumes) the imbalance benchmark over the real data sets shipped in
``imbtool.datasets`` and prints the summary table; ``--list`` shows what can
be run. See ``python -m imbtool benchmark --help`` and :mod:`imbtool.benchmark`.
"""

import sys

from .benchmark._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
