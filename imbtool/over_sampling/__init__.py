"""Over-samplers: the SMOTE family on the numba neighbour engine."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._kmeans import KMeansSMOTE
from ._nominal import SMOTEN, SMOTENC
from ._random import RandomOverSampler
from ._smote import SMOTE
from ._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "RandomOverSampler",
]
