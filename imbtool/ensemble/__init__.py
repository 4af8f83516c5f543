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

from ..utils._lazy import lazy_exports

# Each class is imported from its module on first use: a first call in a fresh process
# then loads only its own family (the cost-sensitive and random-resampling boosters, the
# Self-paced Ensemble and BalanceCascade load neither the samplers nor imbalanced-learn).
__getattr__, __dir__ = lazy_exports(__name__, {
    "._bagging": (
        "BalancedBaggingClassifier",
        "BalancedRandomForestClassifier",
        "CompatibleBaggingClassifier",
        "EasyEnsembleClassifier",
        "OverBaggingClassifier",
        "SMOTEBaggingClassifier",
        "UnderBaggingClassifier",
    ),
    "._boosting": (
        "AdaCostClassifier",
        "AdaUBoostClassifier",
        "AsymBoostClassifier",
        "CompatibleAdaBoostClassifier",
        "OverBoostClassifier",
        "RUSBoostClassifier",
    ),
    "._cascade": ("BalanceCascadeClassifier",),
    "._self_paced": ("SelfPacedEnsembleClassifier",),
    "._smote_boosting": (
        "KMeansSMOTEBoostClassifier",
        # imbalanced-ensemble's spelling, an alias kept out of __all__ so the class is
        # listed once.
        "KmeansSMOTEBoostClassifier",
        "SMOTEBoostClassifier",
    ),
})

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
