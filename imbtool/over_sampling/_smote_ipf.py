"""SMOTE-IPF: SMOTE followed by the Iterative-Partitioning noise Filter."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..utils._scale import BAND
from ._base import POSITIVE_INT, BaseOverSampler, class_neighbor_table, random_pairs
from ._kernels import interpolate


class SMOTEIPF(BaseOverSampler):
    """SMOTE, then removal of noisy samples by the Iterative-Partitioning Filter.

    Sáez, Luengo, Stefanowski and Herrera (2015): SMOTE first brings the
    classes to the counts of ``sampling_strategy``; then, in each round of
    the IPF, the current data is split at random into ``n_partitions``
    parts, one classifier is trained on each part, and the samples that
    most of them (``voting="majority"``) or all of them (``"consensus"``)
    misclassify are removed, originals and synthetic alike. The rounds stop
    once ``k`` rounds in a row removed fewer than ``p`` times the size of
    the SMOTE output. A round never removes the last samples of a class.
    The final class counts are therefore usually below what
    ``sampling_strategy`` asks.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers (for the SMOTE step).
    random_state : int, RandomState instance or None, default=None
        Seeds SMOTE, the partitions and the classifiers.
    k_neighbors : int, default=5
        Minority neighbours of SMOTE.
    n_partitions : int, default=9
        Parts the data is split into in each filtering round.
    k : int, default=3
        Rounds in a row with few removals that end the filter.
    p : float, default=0.01
        Share of the SMOTE output below which a round counts as "few removals";
        a round that removes nothing always counts (so ``p=0`` stops after
        ``k`` such rounds in a row).
    voting : {"majority", "consensus"}, default="majority"
        Removal rule.
    estimator : classifier or None, default=None
        Classifier trained on each part; ``None`` is a decision tree
        (scikit-learn's CART, standing in for the paper's C4.5).
    n_jobs : int, default=None
        Threads of the neighbour search; the output does not depend on it.
        ``None`` and ``-1`` use every core available (threads inside one call,
        as scikit-learn's OpenMP code).
    class_counts : {"rows", "weight"}, default="rows"
        How class sizes are measured when ``sampling_strategy`` is turned
        into numbers of rows: ``"rows"`` counts rows (imbalanced-learn's
        rule); ``"weight"`` uses each class's total ``sample_weight`` given
        to ``fit_resample`` (its Notes define the rule).

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples generated per class by SMOTE.
    scale_exponent_ : int
        The rule ran on ``np.ldexp(X, scale_exponent_)``: 0 (X as it is) where the largest
        magnitude of X lies in [2**-32, 2**32), else the power of two that brings it to
        [1/2, 1), so the answer is the same at every scale
        (:class:`imbtool.base.BaseSampler`).
    sample_indices_ : ndarray of shape (n_kept_originals,)
        Rows of ``X`` kept by the filter; they come first, in order.
    synthetic_sources_ : ndarray of shape (n_kept_synthetic, 2)
        ``[seed, partner]`` rows of ``X`` behind each kept synthetic sample.
    synthetic_steps_ : ndarray of shape (n_kept_synthetic,)
        Position of each kept synthetic sample on its segment: it is
        ``X[seed] + step * (X[partner] - X[seed])``.
    n_filter_rounds_ : int
        Filtering rounds run.

    References
    ----------
    J. A. Sáez, J. Luengo, J. Stefanowski and F. Herrera, "SMOTE-IPF:
    Addressing the noisy and borderline examples problem in imbalanced
    classification by a re-sampling method with filtering", Information
    Sciences 291 (2015) 184-203, doi:10.1016/j.ins.2014.08.051.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbtool.over_sampling._smote_ipf import SMOTEIPF
    >>> X, y = make_classification(300, weights=[0.9], random_state=0)
    >>> sampler = SMOTEIPF(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [236, 236]
    >>> bool(np.array_equal(X_res[:263], X[sampler.sample_indices_]))
    True
    """

    # scikit-learn's trees copy X to float32 and skip splits closer than 1e-7:
    # run at unit scale outside the band (base.BaseSampler).
    _scale_band = BAND

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [POSITIVE_INT],
        "n_partitions": [Interval(Integral, 2, None, closed="left")],
        "k": [POSITIVE_INT],
        "p": [Interval(Real, 0, 1, closed="both")],
        "voting": [StrOptions({"majority", "consensus"})],
        "estimator": [HasMethods(["fit", "predict"]), None],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 n_partitions=9, k=3, p=0.01, voting="majority", estimator=None, n_jobs=None,
                 class_counts="rows"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.class_counts = class_counts
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_partitions = n_partitions
        self.k = k
        self.p = p
        self.voting = voting
        self.estimator = estimator
        self.n_jobs = n_jobs

    def _generate(self, X, y, label, n_new, rng, out, start, sources):
        k = self.k_neighbors
        rows, neighbors = class_neighbor_table(X, y, label, k, self.n_jobs)
        pos, partners = random_pairs(neighbors, n_new, rng)
        seeds = rows[pos]
        steps = rng.uniform(size=n_new)
        interpolate(X, seeds, X, partners, steps, out, start)
        sources[:, 0] = seeds
        sources[:, 1] = partners
        return steps

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        X_res, y_res = self._oversample(X, y, rng)
        keep = self._filter(X_res, y_res, rng)
        n = X.shape[0]
        self.sample_indices_ = keep[keep < n]
        self.synthetic_sources_ = self.synthetic_sources_[keep[keep >= n] - n]
        self.synthetic_steps_ = self.synthetic_steps_[keep[keep >= n] - n]
        return X_res[keep], y_res[keep]

    def _filter(self, X, y, rng):
        estimator = DecisionTreeClassifier() if self.estimator is None else self.estimator
        keep = np.arange(X.shape[0])
        threshold = self.p * X.shape[0]
        quiet, rounds = 0, 0
        while quiet < self.k and keep.size >= self.n_partitions:
            rounds += 1
            parts = np.array_split(rng.permutation(keep.size), self.n_partitions)
            wrong = np.zeros(keep.size, dtype=np.int64)
            for part in parts:
                model = clone(estimator)
                if "random_state" in model.get_params():
                    model.set_params(random_state=rng.randint(np.iinfo(np.int32).max))
                model.fit(X[keep[part]], y[keep[part]])
                wrong += model.predict(X[keep]) != y[keep]
            noisy = wrong > self.n_partitions / 2 if self.voting == "majority" else (
                wrong == self.n_partitions)
            # Never empty a class: its samples are kept when all would go.
            for label in np.setdiff1d(np.unique(y[keep]), np.unique(y[keep][~noisy])):
                noisy[y[keep] == label] = False
            # A round that removes nothing is always quiet: with p=0 no count is below the
            # threshold, and the filter would otherwise repeat such rounds forever.
            removed = int(noisy.sum())
            quiet = quiet + 1 if removed < threshold or removed == 0 else 0
            keep = keep[~noisy]
        self.n_filter_rounds_ = rounds
        return keep

