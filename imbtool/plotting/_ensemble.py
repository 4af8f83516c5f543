"""RemedyEnsembleDisplay: the members of a RemedyEnsembleClassifier and their weights."""

import numpy as np

from ._base import check_fitted, get_axes

_NAME = "RemedyEnsembleDisplay"


class RemedyEnsembleDisplay:
    """Weights of the remedies in a ``RemedyEnsembleClassifier``'s blend.

    One horizontal bar per remedy that was fitted: its weight in the blend
    (0 for remedies that were not chosen), heaviest first, labelled with the
    remedy's own mean held-out score (the better of its default decisions and
    its tuned threshold), so that one sees which remedies the blend keeps and
    how each one scores alone. The blend's own mean held-out score is in the
    title.

    Parameters
    ----------
    names : list of str
        Remedies.
    weights : array-like of shape (n_remedies,)
        Their weights in the blend.
    scores : array-like of shape (n_remedies,), default=None
        Their own mean held-out scores (NaN: none).
    blend_score : float, default=None
        The blend's mean held-out score.
    scoring : str, default="score"
        Name of the score.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        One bar per remedy, in the order drawn (heaviest at the top).
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from imbtool.plotting import RemedyEnsembleDisplay
    >>> display = RemedyEnsembleDisplay(names=["none", "smote", "class_weight"],
    ...                                 weights=[0.25, 0.75, 0.0]).plot()
    >>> [round(float(bar.get_width()), 2) for bar in display.bars_]
    [0.75, 0.25, 0.0]
    """

    def __init__(self, *, names, weights, scores=None, blend_score=None, scoring="score"):
        self.names = names
        self.weights = weights
        self.scores = scores
        self.blend_score = blend_score
        self.scoring = scoring

    def plot(self, ax=None):
        """Draw one bar per remedy, heaviest at the top.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RemedyEnsembleDisplay
        """
        weights = np.asarray(self.weights, dtype=float)
        if weights.ndim != 1 or len(weights) != len(self.names) or not len(weights):
            raise ValueError(f"{_NAME}: give one weight per name; got {len(self.names)} names "
                             f"and weights of shape {weights.shape}.")
        scores = (np.full(len(weights), np.nan) if self.scores is None
                  else np.asarray(self.scores, dtype=float))
        ax = get_axes(ax, _NAME)
        # Heaviest at the top; ties keep the given order.
        order = np.argsort(-weights, kind="stable")
        positions = np.arange(len(order), 0, -1)
        self.bars_ = ax.barh(positions, weights[order],
                             color=["C1" if weights[i] > 0 else "0.7" for i in order])
        labels = [self.names[i] + ("" if np.isnan(scores[i]) else f" ({scores[i]:.3f} alone)")
                  for i in order]
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, 1)
        ax.set_xlabel("weight in the blend")
        title = "Remedies in the blend (grey: not chosen)"
        if self.blend_score is not None:
            title += f"; blend: {self.blend_score:.3f} held-out {self.scoring}"
        ax.set_title(title, fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, ensemble, *, ax=None):
        """Display of a fitted ``RemedyEnsembleClassifier``.

        Parameters
        ----------
        ensemble : RemedyEnsembleClassifier
            Fitted.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RemedyEnsembleDisplay
        """
        check_fitted(ensemble, _NAME, name="ensemble")
        results = getattr(ensemble, "cv_results_", None)
        if results is None or "weight" not in results:
            raise TypeError(
                f"{_NAME} needs a fitted RemedyEnsembleClassifier; got {type(ensemble).__name__}.")
        members = [i for i in range(ensemble.best_index_)
                   if results["status"][i] == "ok"]
        names = list(dict.fromkeys(results["param_remedy"][i] for i in members))
        weights, scores = [], []
        for name in names:
            rows = [i for i in members if results["param_remedy"][i] == name]
            weights.append(float(results["weight"][rows[0]]))
            means = results["mean_test_score"][rows]
            scores.append(float(np.nanmax(means)) if np.isfinite(means).any() else np.nan)
        return cls(names=names, weights=weights, scores=scores,
                   blend_score=float(ensemble.best_score_), scoring=str(ensemble.scoring)
                   ).plot(ax=ax)
