"""Choosing the imbalance remedy by cross-validation.

``RemedySearchCV`` fits every remedy (no intervention, class weights,
under-sampling, SMOTE and a neighbourhood-aware variant, a cleaning
combination, a Self-paced Ensemble, focal loss for boosters) around one
classifier on the same folds, scores each with and without a tuned decision
threshold, stops hopeless ones by successive halving over folds and refits the
winner. ``nested_remedy_score`` measures the selection itself on outer folds.
"""

from ._nested import nested_remedy_score
from ._remedies import REMEDY_NAMES
from ._search import RemedyFailedWarning, RemedySearchCV

__all__ = ["REMEDY_NAMES", "RemedyFailedWarning", "RemedySearchCV", "nested_remedy_score"]
