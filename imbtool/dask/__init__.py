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

What equals the in-memory results (tests/test_dask.py checks each on small
data, for several partition counts, on a LocalCluster):

- ``RandomUnderSampler``: the same counts per class (``sampling_strategy_``
  as imbalanced-learn resolves it) and the same rows for any partitioning and
  any number of workers; not the in-memory sampler's rows (its stream needs
  each class in memory; here a row's draw is keyed to its global position).
- ``SMOTE``, ``BorderlineSMOTE``, ``ADASYN``: the in-memory samplers' new
  rows, exactly, and their provenance in global positions.
- ``TomekLinks``, ``EditedNearestNeighbours``: the rows the in-memory
  samplers remove, exactly (an exact neighbour search over every pair of
  partitions, ranked as the engine ranks).
- ``PriorCorrectedClassifier``: the in-memory rule (``prior_shift``) on the
  same down-sample (a Dask ensemble as its estimator: ``prior_shift`` of the
  ensemble's probabilities from its members' training prior, the class shares
  of their samples); ``UnderBaggingClassifier`` / ``EasyEnsembleClassifier``:
  each member is the in-memory fit on its sampler's rows (the ``max_samples``
  subset of them, on the ``max_features`` columns drawn as in memory), the
  same for any partitioning.
- ``SelfPacedEnsembleClassifier``: the paper's rule (hardness bins and
  quotas as in memory, each bin's rows drawn by position keys), the same
  members for any partitioning; not the in-memory random stream.
- ``LGBMImbalancedClassifier``: LightGBM's own Dask training with the
  in-memory objective, class weights and starting margin, binary or
  multiclass (the whole data's class codes and sizes on every worker); the
  in-memory model when one worker holds the data (with several, LightGBM
  bins each feature from one worker's rows).
- ``average_precision``, ``pr_auc``, ``threshold_metrics`` (with sample
  weights), ``expected_calibration_error`` (binary and top-label, the
  in-memory bins at the exact quantiles) and ``tune_threshold``: the
  in-memory metrics and the exact sweep of ``TunedThresholdClassifier``, up
  to the order of floating-point summation.

Every class takes all the parameters of its in-memory namesake, with the same
names, defaults and meanings, except these values, which need the whole data
(or a class) in memory and raise a ``ValueError`` naming the parameter and
what to do instead:

- ``bootstrap=True`` / ``replacement=True`` (``UnderBaggingClassifier``,
  ``EasyEnsembleClassifier``, ``RandomUnderSampler``,
  ``SelfPacedEnsembleClassifier``): a row is chosen by its position key at
  most once, and a draw with replacement from a class needs the class in
  memory. Hence the two defaults that differ: ``UnderBaggingClassifier``'s
  ``bootstrap`` and ``SelfPacedEnsembleClassifier``'s ``replacement`` are
  False on Dask (True in memory).
- ``oob_score=True`` (the bagging ensembles): every row's out-of-bag
  prediction; score on held-out partitions with :func:`average_precision`.
- ``schedule`` other than ``"fixed"`` (the bagging ensembles): every member
  under-samples to the same targets; a dict ``sampling_strategy`` sets them.
- ``class_counts="weight"`` (the samplers): ``fit_resample`` on Dask takes no
  ``sample_weight``.
- ``soft_resample=True`` (``SelfPacedEnsembleClassifier``): a bin's rows are
  drawn uniformly.

``n_jobs`` keeps its in-memory sense where one exists on Dask (the threads of
each neighbour search; a self-paced member's own ``n_jobs``); for the bagging
ensembles it is the number of members fitted at once, by joblib's rule as in
memory (None: one at a time; set it to the workers' threads). ``verbose`` prints a line per
member; there is no progress bar.

Cost: every fit reads ``y`` a few times (class counts, then one or two
rounds of the key search for the sampler; a sketch and a table pass for the
metrics) and ``X`` once per gathered sample. A DataFrame is split as its
``npartitions`` shows, because Dask's optimiser may otherwise join the
partitions of a column read alone from parquet; its column selection is still
pushed into the read, so a pass over ``y`` read from parquet reads ``y``'s
column alone, and counting ``X``'s rows reads no column. The neighbour
search of ``BorderlineSMOTE`` and ``ADASYN`` costs (grown rows) x (all rows)
distance evaluations; that of ``TomekLinks`` (rows outside the largest class)
x (all rows) and of ``EditedNearestNeighbours`` (rows cleaned) x (all rows),
one task per pair of partitions. A fit that Dask
gives up on (a worker lost more often than ``allowed-failures``) raises and
leaves the estimator's previous fit whole.

Needs the ``dask`` extra: ``pip install 'imbtool[dask]'``.
"""

from ._boosters import LGBMImbalancedClassifier
from ._cleaning import EditedNearestNeighbours, TomekLinks
from ._ensemble import EasyEnsembleClassifier, UnderBaggingClassifier
from ._metrics import (
    average_precision,
    expected_calibration_error,
    pr_auc,
    threshold_metrics,
    tune_threshold,
)
from ._over_sampling import ADASYN, SMOTE, BorderlineSMOTE
from ._prior import PriorCorrectedClassifier
from ._self_paced import SelfPacedEnsembleClassifier
from ._under_sampling import RandomUnderSampler

__all__ = [
    "ADASYN",
    "BorderlineSMOTE",
    "EasyEnsembleClassifier",
    "EditedNearestNeighbours",
    "LGBMImbalancedClassifier",
    "UnderBaggingClassifier",
    "PriorCorrectedClassifier",
    "RandomUnderSampler",
    "SMOTE",
    "SelfPacedEnsembleClassifier",
    "TomekLinks",
    "average_precision",
    "expected_calibration_error",
    "pr_auc",
    "threshold_metrics",
    "tune_threshold",
]
