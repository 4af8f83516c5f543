"""Imbalance ensembles: Self-paced Ensemble and the CLIMB set.

Under-sampling based: :class:`SelfPacedEnsembleClassifier`,
:class:`BalanceCascadeClassifier`, :class:`BalancedRandomForestClassifier`,
:class:`EasyEnsembleClassifier`, :class:`RUSBoostClassifier`,
:class:`UnderBaggingClassifier`. Over-sampling based:
:class:`OverBaggingClassifier`, :class:`SMOTEBaggingClassifier`,
:class:`SMOTEBoostClassifier`, :class:`KMeansSMOTEBoostClassifier` (also importable as
``KmeansSMOTEBoostClassifier``, imbalanced-ensemble's spelling),
:class:`OverBoostClassifier`. Cost-sensitive boosting:
:class:`AdaCostClassifier`, :class:`AdaUBoostClassifier`,
:class:`AsymBoostClassifier`. Plain bagging and AdaBoost on the same member
loops, imbalanced-ensemble's baselines: :class:`CompatibleBaggingClassifier`,
:class:`CompatibleAdaBoostClassifier`.

All of them take any scikit-learn classifier as ``estimator``, record a
per-round ``training_log_``, score ``eval_set`` every round
(``evals_result_``, ``early_stopping_rounds``) and give staged predictions.
"""

from ._bagging import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    CompatibleBaggingClassifier,
    EasyEnsembleClassifier,
    OverBaggingClassifier,
    SMOTEBaggingClassifier,
    UnderBaggingClassifier,
)
from ._boosting import (
    AdaCostClassifier,
    AdaUBoostClassifier,
    AsymBoostClassifier,
    CompatibleAdaBoostClassifier,
    KMeansSMOTEBoostClassifier,
    # imbalanced-ensemble's spelling, an alias kept out of __all__ so the class is listed once.
    KmeansSMOTEBoostClassifier,  # noqa: F401
    OverBoostClassifier,
    RUSBoostClassifier,
    SMOTEBoostClassifier,
)
from ._cascade import BalanceCascadeClassifier
from ._self_paced import SelfPacedEnsembleClassifier

__all__ = [
    "AdaCostClassifier",
    "AdaUBoostClassifier",
    "AsymBoostClassifier",
    "BalanceCascadeClassifier",
    "BalancedBaggingClassifier",
    "BalancedRandomForestClassifier",
    "CompatibleAdaBoostClassifier",
    "CompatibleBaggingClassifier",
    "EasyEnsembleClassifier",
    "KMeansSMOTEBoostClassifier",
    "OverBaggingClassifier",
    "OverBoostClassifier",
    "RUSBoostClassifier",
    "SMOTEBaggingClassifier",
    "SMOTEBoostClassifier",
    "SelfPacedEnsembleClassifier",
    "UnderBaggingClassifier",
]
