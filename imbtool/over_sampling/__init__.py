"""Over-samplers: the SMOTE family on the numba neighbour engine."""

from ..utils._lazy import lazy_exports

# Each sampler is imported from its module on first use: a first call in a fresh process
# loads its own module and the shared base, not the other samplers (nor what they import).
__getattr__, __dir__ = lazy_exports(__name__, {
    "._adasyn": ("ADASYN",),
    "._borderline": ("BorderlineSMOTE",),
    "._gsmote": ("GeometricSMOTE",),
    "._kmeans": ("KMeansSMOTE",),
    "._lee": ("LeeSMOTE",),
    "._mwmote": ("MWMOTE",),
    "._nominal": ("SMOTEN", "SMOTENC"),
    "._polynom": ("PolynomFitSMOTE",),
    "._prowsyn": ("ProWSyn",),
    "._random": ("RandomOverSampler",),
    "._safe_level": ("SafeLevelSMOTE",),
    "._smobd": ("SMOBD",),
    "._smote": ("SMOTE",),
    "._smote_ipf": ("SMOTEIPF",),
    "._svm": ("SVMSMOTE",),
})

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
