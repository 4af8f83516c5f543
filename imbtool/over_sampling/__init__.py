"""Over-samplers: the SMOTE family on the numba neighbour engine."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._gsmote import GeometricSMOTE
from ._kmeans import KMeansSMOTE
from ._lee import LeeSMOTE
from ._mwmote import MWMOTE
from ._nominal import SMOTEN, SMOTENC
from ._polynom import PolynomFitSMOTE
from ._prowsyn import ProWSyn
from ._random import RandomOverSampler
from ._safe_level import SafeLevelSMOTE
from ._smobd import SMOBD
from ._smote import SMOTE
from ._smote_ipf import SMOTEIPF
from ._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "MWMOTE",
    "SMOBD",
    "SMOTE",
    "SMOTEIPF",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "GeometricSMOTE",
    "KMeansSMOTE",
    "LeeSMOTE",
    "PolynomFitSMOTE",
    "ProWSyn",
    "RandomOverSampler",
    "SafeLevelSMOTE",
]
