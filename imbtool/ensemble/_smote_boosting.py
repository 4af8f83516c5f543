"""SMOTEBoost and KMeansSMOTEBoost: the boosters whose rounds over-sample with SMOTE.

Apart from the other boosters so that importing those does not load the samplers
(and imbalanced-learn beneath them); the SAMME loop is :mod:`._boosting`'s.
"""

import numbers
import warnings

from sklearn.utils._param_validation import Interval

from ..over_sampling import KMeansSMOTE
from ..utils._peer import refuse_peer_parameters
from ..utils._warnings import ImbtoolUserWarning
from ._boosting import (
    _COMMON_PARAMS,
    _COMMON_TAIL,
    _KEEP_RESAMPLE_DOC,
    _TARGET_ATTRS,
    _BaseResampleBoost,
    _BaseSAMMEBoost,
)
from ._samplers import SYNTHETIC_WEIGHT, smote_resample
from ._targets import PEER_WAYS


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination")
class SMOTEBoostClassifier(_BaseResampleBoost):
    __doc__ = f"""SMOTEBoost: boosting where each round adds SMOTE samples to the minority.

    SMOTE brings each class up to the largest class's size; synthetic
    samples get a boosting weight by the ``synthetic_weight`` rule (by
    default their seed's current weight). With ``keep_resample=True``
    (imbalanced-ensemble's rule) this happens once and the rounds boost on
    the balanced set; with ``keep_resample=False`` (the paper's rule) every
    round draws new synthetic samples and the member's error and the weight
    update use the original training set only.

    Read more in Chawla N. V., Lazarevic A., Hall L. O., Bowyer K. W.,
    "SMOTEBoost: Improving Prediction of the Minority Class in Boosting",
    PKDD 2003.

    Parameters
    ----------
    {_COMMON_PARAMS}
    k_neighbors : int, default=5
        SMOTE's neighbours (fewer when a class is smaller).
    synthetic_weight : {{"seed", "interpolate", "class_mean"}}, default="seed"
        Boosting weight of a synthetic sample in the round's member fit: its
        seed's current weight, the weight interpolated between seed and
        partner like the features (:func:`imbtool.utils.resample_aligned`),
        or the mean current weight of its class. Original samples keep theirs.
    {_KEEP_RESAMPLE_DOC}
    {_COMMON_TAIL}
    {_TARGET_ATTRS}

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import SMOTEBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = SMOTEBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.training_log_[0]["n_samples"]
    900
    """

    _smote_kind = "smote"
    _sampling_kind = "over"
    # imbtool's SMOTE works on dense arrays without NaN.
    _accept_sparse = False

    _parameter_constraints = {
        **_BaseSAMMEBoost._parameter_constraints,
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "synthetic_weight": [SYNTHETIC_WEIGHT],
        "keep_resample": ["boolean"],
    }

    _resamples_each_round = True

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0, k_neighbors=5,
                 synthetic_weight="seed", keep_resample=True, n_jobs=None, random_state=None,
                 verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.k_neighbors = k_neighbors
        self.synthetic_weight = synthetic_weight
        self.keep_resample = keep_resample
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _keeps_resample(self):
        return self.keep_resample

    def _resample(self, X, y, w, rng):
        targets = self._targets()
        return smote_resample(X, y, w, targets, self.k_neighbors, rng, kind=self._smote_kind,
                              synthetic_weight=self.synthetic_weight,
                              sampler_params=self._sampler_params())

    def _sampler_params(self):
        """Further parameters of the round's SMOTE sampler (a hook)."""
        return {}


@refuse_peer_parameters(PEER_WAYS, "algorithm", "early_termination", "n_jobs_sampler")
class KMeansSMOTEBoostClassifier(SMOTEBoostClassifier):
    __doc__ = f"""KMeansSMOTEBoost: SMOTEBoost with k-means SMOTE as the over-sampler.

    As :class:`SMOTEBoostClassifier`, but each round's synthetic samples come
    from k-means SMOTE: the data are clustered and SMOTE runs within clusters
    with a high minority share, spreading samples by cluster density. When no
    cluster qualifies (small or very overlapped data) the round falls back to
    plain SMOTE and says so with a warning.

    Read more in Douzas G., Bacao F., Last F., "Improving imbalanced learning
    through a heuristic oversampling method based on k-means and SMOTE",
    Information Sciences 465, 2018, paired with SMOTEBoost (Chawla et al.,
    PKDD 2003) as in the CLIMB benchmark.

    Parameters
    ----------
    {_COMMON_PARAMS}
    k_neighbors : int, default=2
        Neighbours of SMOTE inside a cluster.
    synthetic_weight : {{"seed", "interpolate", "class_mean"}}, default="seed"
        See :class:`SMOTEBoostClassifier`.
    kmeans_estimator : int or estimator object, default=None
        The clustering of every round, as
        :class:`imbtool.over_sampling.KMeansSMOTE`'s: a number of clusters, a
        ``KMeans``-like estimator, or None for ``MiniBatchKMeans``' default.
    cluster_balance_threshold : "auto" or float, default="auto"
        Minority share a cluster needs to be over-sampled, as
        :class:`imbtool.over_sampling.KMeansSMOTE`'s ("auto": the class's
        share of the data; imbalanced-ensemble's default is 0.1).
    density_exponent : "auto" or float, default="auto"
        Exponent of the cluster density that spreads the samples over
        clusters, as :class:`imbtool.over_sampling.KMeansSMOTE`'s.
    keep_resample : bool, default=True
        See :class:`SMOTEBoostClassifier`.
    {_COMMON_TAIL}
    {_TARGET_ATTRS}

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.ensemble import KMeansSMOTEBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], class_sep=2, random_state=0)
    >>> clf = KMeansSMOTEBoostClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> len(clf.estimators_) <= 5
    True
    """

    _smote_kind = "kmeans_smote"
    # imbalanced-ensemble's clustering parameters, passed to every round's KMeansSMOTE.
    _KMEANS_PARAMS = ("kmeans_estimator", "cluster_balance_threshold", "density_exponent")

    _parameter_constraints = {
        **SMOTEBoostClassifier._parameter_constraints,
        **{name: KMeansSMOTE._parameter_constraints[name] for name in _KMEANS_PARAMS},
    }

    def __init__(self, estimator=None, n_estimators=50, *, learning_rate=1.0, k_neighbors=2,
                 synthetic_weight="seed", kmeans_estimator=None, cluster_balance_threshold="auto",
                 density_exponent="auto", keep_resample=True, n_jobs=None, random_state=None,
                 verbose=0):
        super().__init__(estimator, n_estimators, learning_rate=learning_rate,
                         k_neighbors=k_neighbors, synthetic_weight=synthetic_weight,
                         keep_resample=keep_resample, n_jobs=n_jobs, random_state=random_state,
                         verbose=verbose)
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent

    def _sampler_params(self):
        return {name: getattr(self, name) for name in self._KMEANS_PARAMS}

    def _resample(self, X, y, w, rng):
        state = rng.get_state()
        try:
            return super()._resample(X, y, w, rng)
        except (RuntimeError, ValueError) as exc:
            if "cluster" not in str(exc):
                raise
            warnings.warn(
                f"k-means SMOTE found no usable cluster ({exc}); this round uses plain "
                "SMOTE instead.", ImbtoolUserWarning, stacklevel=2,
            )
        rng.set_state(state)
        targets = self._targets()
        return smote_resample(X, y, w, targets, self.k_neighbors, rng,
                              synthetic_weight=self.synthetic_weight)


# imbalanced-ensemble's spelling of the name; the same class (not listed in ``__all__`` twice).
KmeansSMOTEBoostClassifier = KMeansSMOTEBoostClassifier
