"""Imbalance remedies on Dask collections: data larger than one machine's memory.

The classes take Dask Arrays or DataFrames, ``X`` and ``y`` partitioned alike
(partition ``i`` of ``y`` labels the rows of partition ``i`` of ``X``), and
keep the names and parameters of imbtool's in-memory classes, the way
``lightgbm.dask`` extends LightGBM. Work runs partition by partition on
whichever Dask scheduler is active (a ``distributed.Client`` when one exists);
only small summaries (class counts, histograms of keys or scores) reach the
client.

They are not in :func:`imbtool.utils.all_estimators`: scikit-learn's common
checks and imbtool's contract tests pass NumPy arrays, which these classes
refuse (the in-memory classes of the same names take them), and a registry
keyed by name would confuse the two. Their own tests (tests/test_dask.py)
check that they match the in-memory classes on data that fits in memory.

Needs the ``dask`` extra: ``pip install 'imbtool[dask]'``.
"""

from ._ensemble import EasyEnsembleClassifier, UnderBaggingClassifier
from ._metrics import average_precision, pr_auc, threshold_metrics, tune_threshold
from ._over_sampling import ADASYN, SMOTE, BorderlineSMOTE
from ._prior import PriorCorrectedClassifier
from ._under_sampling import RandomUnderSampler

__all__ = [
    "ADASYN",
    "BorderlineSMOTE",
    "EasyEnsembleClassifier",
    "UnderBaggingClassifier",
    "PriorCorrectedClassifier",
    "RandomUnderSampler",
    "SMOTE",
    "average_precision",
    "pr_auc",
    "threshold_metrics",
    "tune_threshold",
]
