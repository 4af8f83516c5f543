"""What pytest collects outside tests/: the docstring examples of imbtool's modules."""

from imbtool.utils._compat import DASK_DATAFRAME_INSTALLED

# imbtool.dask imports Dask when imported; without the dask extra its examples are skipped
# (tests/test_dask.py skips itself the same way).
collect_ignore = [] if DASK_DATAFRAME_INSTALLED else ["imbtool/dask"]
