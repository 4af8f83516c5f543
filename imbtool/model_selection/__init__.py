"""Choosing the imbalance remedy by cross-validation.

``RemedySearchCV`` fits every remedy (no intervention, class weights,
under-sampling, SMOTE and a neighbourhood-aware variant, a cleaning
combination, a Self-paced Ensemble, focal loss for boosters) around one
classifier on the same folds, scores each with and without a tuned decision
threshold, stops hopeless ones by successive halving over folds and refits the
winner. ``RemedyEnsembleClassifier`` blends the remedies instead: each one's
out-of-fold probabilities, moved to the training prior, weighted by greedy
ensemble selection, with one decision threshold tuned on the blend.
``nested_remedy_score`` and ``nested_ensemble_score`` measure the selection and
the blend themselves on outer folds.
"""

from ._ensemble import RemedyEnsembleClassifier
from ._nested import nested_ensemble_score, nested_remedy_score
from ._remedies import REMEDY_NAMES
from ._search import RemedyFailedWarning, RemedySearchCV

__all__ = [
    "REMEDY_NAMES",
    "RemedyEnsembleClassifier",
    "RemedyFailedWarning",
    "RemedySearchCV",
    "nested_ensemble_score",
    "nested_remedy_score",
]
