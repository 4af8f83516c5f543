"""ResamplingDisplay: original, synthetic and removed samples in two dimensions."""

import numpy as np
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.utils.validation import check_array

from ._base import get_axes

_NAME = "ResamplingDisplay"
_KINDS = ("original", "removed", "synthetic")
_STYLE = {
    "original": dict(marker="o", alpha=0.5, s=18),
    "removed": dict(marker="x", alpha=0.9, s=30),
    "synthetic": dict(marker="^", alpha=0.8, s=22, edgecolors="k", linewidths=0.3),
}


def _split_rows(X, X_res, sample_indices):
    """Masks of the kept input rows and of the output rows that are new.

    With ``sample_indices`` (rows of ``X`` the output starts with, as imbtool
    and imbalanced-learn samplers record), every output row past them is new.
    Without, output rows are matched to input rows by exact content.
    """
    if sample_indices is not None:
        sample_indices = np.asarray(sample_indices)
        kept = np.zeros(len(X), dtype=bool)
        kept[sample_indices] = True
        new = np.zeros(len(X_res), dtype=bool)
        new[len(sample_indices):] = True
        return kept, new
    rows = {row.tobytes() for row in X_res}
    kept = np.array([row.tobytes() in rows for row in X])
    originals = {row.tobytes() for row in X}
    new = np.array([row.tobytes() not in originals for row in X_res], dtype=bool)
    return kept, new


class ResamplingDisplay:
    """What a sampler did, in two dimensions: kept, removed and synthetic samples by class.

    Points are projected on two columns of ``X`` or on the first two
    principal components of the original ``X`` (the same projection for all
    three sets), and coloured by class; kept samples are circles, removed
    ones crosses, synthetic ones triangles.

    Parameters
    ----------
    points : dict
        ``{(kind, label): ndarray of shape (n, 2)}`` with kind "original",
        "removed" or "synthetic".
    axis_labels : (str, str)
    title : str, default=None

    Attributes
    ----------
    artists_ : dict
        ``{(kind, label): PathCollection}`` for every non-empty set.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.over_sampling import SMOTE
    >>> from imbtool.plotting import ResamplingDisplay
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> display = ResamplingDisplay.from_estimator(SMOTE(random_state=0), X, y)
    >>> len(display.artists_["synthetic", 1].get_offsets()), int((y == 0).sum() - (y == 1).sum())
    (182, 182)
    """

    def __init__(self, *, points, axis_labels=("", ""), title=None):
        self.points = points
        self.axis_labels = axis_labels
        self.title = title

    def plot(self, ax=None):
        """Draw the points.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ResamplingDisplay
        """
        ax = get_axes(ax, _NAME)
        labels = sorted({label for _, label in self.points}, key=str)
        colors = {label: f"C{i % 10}" for i, label in enumerate(labels)}
        self.artists_ = {}
        for kind in _KINDS:
            for label in labels:
                pts = self.points.get((kind, label))
                if pts is None or len(pts) == 0:
                    continue
                self.artists_[kind, label] = ax.scatter(
                    pts[:, 0], pts[:, 1], color=colors[label], label=f"{kind} {label}",
                    **_STYLE[kind])
        ax.set_xlabel(self.axis_labels[0])
        ax.set_ylabel(self.axis_labels[1])
        if self.title:
            ax.set_title(self.title)
        ax.legend(loc="best", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, sampler, X, y, *, projection="auto", ax=None):
        """Resample ``X, y`` with a clone of ``sampler`` and draw the result.

        Parameters
        ----------
        sampler : sampler
            Anything with ``fit_resample``; it is cloned, the original is untouched.
        X : array-like of shape (n_samples, n_features)
            Numeric.
        y : array-like of shape (n_samples,)
        projection : "auto", "pca" or (int, int), default="auto"
            "auto": the two columns if there are two, else "pca"; a pair picks columns.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ResamplingDisplay
        """
        if not hasattr(sampler, "fit_resample"):
            raise TypeError(f"{_NAME}.from_estimator needs a sampler with fit_resample; got "
                            f"{type(sampler).__name__}.")
        fitted = clone(sampler)
        X_res, y_res = fitted.fit_resample(X, y)
        return cls.from_resampled(X, y, X_res, y_res,
                                  sample_indices=getattr(fitted, "sample_indices_", None),
                                  projection=projection, title=type(sampler).__name__, ax=ax)

    @classmethod
    def from_resampled(cls, X, y, X_resampled, y_resampled, *, sample_indices=None,
                       projection="auto", title=None, ax=None):
        """Draw a resampling already done (the counterpart of ``from_predictions``).

        Parameters
        ----------
        X, y : the input of ``fit_resample``
        X_resampled, y_resampled : its output
        sample_indices : array-like of int, default=None
            The sampler's ``sample_indices_``: input rows the output starts
            with. None matches output rows to input rows by content.
        projection : "auto", "pca" or (int, int), default="auto"
        title : str, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ResamplingDisplay
        """
        names = getattr(X, "columns", None)
        X = check_array(X, dtype=np.float64, input_name="X")
        X_res = check_array(X_resampled, dtype=np.float64, input_name="X_resampled")
        y, y_res = np.asarray(y), np.asarray(y_resampled)
        if len(y) != len(X) or len(y_res) != len(X_res):
            raise ValueError(f"{_NAME}: X has {len(X)} rows and y {len(y)}; X_resampled has "
                             f"{len(X_res)} rows and y_resampled {len(y_res)}; they must match.")
        if X_res.shape[1] != X.shape[1]:
            raise ValueError(f"{_NAME}: X has {X.shape[1]} columns but X_resampled has "
                             f"{X_res.shape[1]}.")
        kept, new = _split_rows(X, X_res, sample_indices)
        project, axis_labels = _projection(X, projection, names)
        P, P_res = project(X), project(X_res)
        points = {}
        for label in np.unique(np.r_[y, y_res]):
            points["original", label] = P[kept & (y == label)]
            points["removed", label] = P[~kept & (y == label)]
            points["synthetic", label] = P_res[new & (y_res == label)]
        return cls(points=points, axis_labels=axis_labels, title=title).plot(ax=ax)


def _projection(X, projection, names):
    n_features = X.shape[1]
    if isinstance(projection, str) and projection == "auto":
        projection = (0, 1) if n_features == 2 else "pca"
    if isinstance(projection, str) and projection == "pca":
        if n_features < 2:
            raise ValueError(f"{_NAME} needs at least two features; X has {n_features}.")
        pca = PCA(n_components=2, random_state=0).fit(X)
        share = 100 * pca.explained_variance_ratio_
        return pca.transform, (f"PC1 ({share[0]:.0f}% variance)", f"PC2 ({share[1]:.0f}% variance)")
    if (not isinstance(projection, (tuple, list)) or len(projection) != 2
            or not all(isinstance(j, (int, np.integer)) and -n_features <= j < n_features
                       for j in projection)):
        raise ValueError(f"{_NAME}: projection must be 'auto', 'pca' or a pair of column indices "
                         f"below {n_features}; got {projection!r}.")
    cols = list(projection)
    labels = tuple(str(names[j]) if names is not None else f"feature {j}" for j in cols)
    return (lambda A: A[:, cols]), labels
