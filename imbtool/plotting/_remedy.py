"""RemedyScoresDisplay: each remedy's held-out scores, fold by fold, from a RemedySearchCV."""

import numpy as np

from ._base import check_fitted, get_axes

_NAME = "RemedyScoresDisplay"


class RemedyScoresDisplay:
    """Per-fold held-out scores of every remedy a ``RemedySearchCV`` fitted.

    One row per remedy and threshold choice: a box over its fold scores and
    one dot per fold. Remedies scored on every fold come first, best mean
    first; remedies stopped by successive halving were scored on fewer
    folds, so their means are not comparable with the others': they are
    ranked apart, below a line, with the folds they reached in their label
    (hollow dots). Skipped and failed ones are left out. The chosen remedy
    is drawn in colour.

    Parameters
    ----------
    labels : list of str
        Row labels, best mean first ("smote", "smote + threshold", ...).
    fold_scores : list of ndarray
        Finite held-out scores of each row.
    stopped : list of bool
        Rows stopped by halving.
    best : int or None
        Index of the chosen row in ``labels``.
    scoring : str, default="score"
        Axis label.

    Attributes
    ----------
    boxes_ : dict
        What ``Axes.boxplot`` returns (``"boxes"``, ``"medians"``, ...), rows in order.
    points_ : list of matplotlib PathCollection
        The fold dots of each row; ``get_offsets()[:, 0]`` are its scores.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.model_selection import RemedySearchCV
    >>> from imbtool.plotting import RemedyScoresDisplay
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> search = RemedySearchCV(LogisticRegression(max_iter=1000), remedies=["none", "smote"],
    ...                         cv=3, random_state=0).fit(X, y)
    >>> display = RemedyScoresDisplay.from_estimator(search)
    >>> len(display.points_), [len(p.get_offsets()) for p in display.points_]
    (4, [3, 3, 2, 2])
    >>> display.labels[-1].endswith("(stopped: 2 of 3 folds)")
    True
    """

    def __init__(self, *, labels, fold_scores, stopped, best=None, scoring="score"):
        self.labels = labels
        self.fold_scores = fold_scores
        self.stopped = stopped
        self.best = best
        self.scoring = scoring

    def plot(self, ax=None):
        """Draw the boxes and fold dots.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RemedyScoresDisplay
        """
        ax = get_axes(ax, _NAME)
        # Best mean at the top.
        positions = np.arange(len(self.labels), 0, -1)
        self.boxes_ = ax.boxplot(self.fold_scores, positions=positions, orientation="horizontal",
                                 widths=0.6, showfliers=False, patch_artist=True)
        self.points_ = []
        for i, (scores, pos) in enumerate(zip(self.fold_scores, positions)):
            colour = "C1" if i == self.best else "C0"
            self.boxes_["boxes"][i].set(facecolor="none", edgecolor=colour)
            self.points_.append(ax.scatter(
                scores, np.full(len(scores), pos), s=18, zorder=3, edgecolors=colour,
                facecolors="none" if self.stopped[i] else colour))
        ax.set_yticks(positions, self.labels)
        n_complete = len(self.stopped) - sum(bool(s) for s in self.stopped)
        if 0 < n_complete < len(self.stopped):
            # Stopped rows are ranked apart: their means cover fewer folds.
            ax.axhline(positions[n_complete - 1] - 0.5, color="0.5", lw=0.8, ls="--")
        ax.set_xlabel(f"held-out {self.scoring} per fold")
        ax.set_title("Remedies on all folds, best first; below the line, stopped by halving "
                     "on fewer folds (hollow), ranked apart; orange: chosen", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, search, *, ax=None):
        """Display of a fitted ``RemedySearchCV``.

        Parameters
        ----------
        search : RemedySearchCV
            Fitted.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RemedyScoresDisplay
        """
        check_fitted(search, _NAME, name="search")
        if not hasattr(search, "cv_results_"):
            raise TypeError(f"{_NAME} needs a fitted RemedySearchCV; got {type(search).__name__}.")
        return cls.from_cv_results(search.cv_results_, best_index=search.best_index_,
                                   scoring=str(search.scoring), ax=ax)

    @classmethod
    def from_cv_results(cls, cv_results, *, best_index=None, scoring="score", ax=None):
        """Display of a ``RemedySearchCV.cv_results_`` dict.

        Parameters
        ----------
        cv_results : dict
            With ``params``, ``split{k}_test_score``, ``mean_test_score`` and ``status``.
        best_index : int, default=None
            Row of the chosen remedy.
        scoring : str, default="score"
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RemedyScoresDisplay
        """
        missing = [k for k in ("params", "mean_test_score", "status", "split0_test_score")
                   if k not in cv_results]
        if missing:
            raise ValueError(
                f"{_NAME}: cv_results lacks {missing}; pass RemedySearchCV.cv_results_.")
        n_splits = sum(1 for k in cv_results if k.startswith("split") and k.endswith("_test_score"))
        scores = np.column_stack([cv_results[f"split{k}_test_score"] for k in range(n_splits)])
        by_mean = np.argsort(-np.nan_to_num(cv_results["mean_test_score"], nan=-np.inf),
                             kind="stable")
        # Rows scored on every fold first; rows stopped on fewer folds ranked apart, below.
        shown = [i for status in ("ok", "stopped") for i in by_mean
                 if cv_results["status"][i] == status and np.isfinite(scores[i]).any()]
        if not shown:
            raise ValueError(f"{_NAME}: no remedy in cv_results has a finite fold score.")
        labels = []
        for i in shown:
            params = cv_results["params"][i]
            tuned = params["threshold"] == "tuned"
            label = params["remedy"] + (" + threshold" if tuned else "")
            if cv_results["status"][i] == "stopped":
                n_folds = int(np.isfinite(scores[i]).sum())
                label += f" (stopped: {n_folds} of {n_splits} folds)"
            labels.append(label)
        return cls(
            labels=labels,
            fold_scores=[scores[i][np.isfinite(scores[i])] for i in shown],
            stopped=[cv_results["status"][i] == "stopped" for i in shown],
            best=shown.index(best_index) if best_index in shown else None,
            scoring=scoring,
        ).plot(ax=ax)
