"""CriticalDifferenceDisplay: average ranks, the Nemenyi critical difference and cliques."""

import numpy as np

from ..evaluation import critical_difference_data
from ._base import get_axes

_NAME = "CriticalDifferenceDisplay"


class CriticalDifferenceDisplay:
    """Critical-difference diagram (Demšar, JMLR 2006) of methods compared over data sets.

    Each method hangs from its average rank on the axis (rank 1, the best, on
    the left); the bar above the axis is the Nemenyi critical difference, and
    thick bars below join methods the test cannot tell apart (cliques). The
    title gives the Friedman p-value: when it is not small, read no
    difference into the diagram.

    There are no estimators or predictions here: build it from a score
    table with :meth:`from_scores`, or from the Bunch returned by
    :func:`imbtool.evaluation.critical_difference_data` with :meth:`from_data`.

    Parameters
    ----------
    names : list of str
        Methods, best average rank first.
    average_ranks : ndarray of shape (n_methods,)
        Ascending.
    critical_difference : float
    cliques : list of tuples of str
    friedman_pvalue : float, default=None
    alpha : float, default=0.05

    Attributes
    ----------
    method_lines_ : dict of {name: matplotlib Line2D}
        Elbow line from each method's rank on the axis to its label.
    labels_ : dict of {name: matplotlib Text}
    cd_line_ : matplotlib Line2D
        The critical-difference bar; its length is ``critical_difference``.
    clique_lines_ : list of matplotlib Line2D
        One per clique, spanning its ranks.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from imbtool.plotting import CriticalDifferenceDisplay
    >>> scores = [[0.9, 0.8, 0.79, 0.5]] * 3 + [[0.8, 0.9, 0.6, 0.5]] * 3
    >>> display = CriticalDifferenceDisplay.from_scores(scores, names=["a", "b", "c", "d"])
    >>> [line.get_xdata()[0] for line in display.method_lines_.values()]
    [np.float64(1.5), np.float64(1.5), np.float64(3.0), np.float64(4.0)]
    >>> [tuple(line.get_xdata()) for line in display.clique_lines_]
    [(np.float64(1.5), np.float64(3.0)), (np.float64(3.0), np.float64(4.0))]
    """

    def __init__(self, *, names, average_ranks, critical_difference, cliques,
                 friedman_pvalue=None, alpha=0.05):
        self.names = names
        self.average_ranks = average_ranks
        self.critical_difference = critical_difference
        self.cliques = cliques
        self.friedman_pvalue = friedman_pvalue
        self.alpha = alpha

    def plot(self, ax=None):
        """Draw the diagram.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CriticalDifferenceDisplay
        """
        ax = get_axes(ax, _NAME)
        ranks = np.asarray(self.average_ranks, dtype=float)
        k = len(ranks)
        rank_of = dict(zip(self.names, ranks))
        ax.set_xlim(0.5, k + 0.5)
        ax.set_ylim(-(k // 2 + 1.5) - 0.5 * len(self.cliques), 1.6)
        ax.axhline(0, color="k", lw=1)
        ax.set_xticks(np.arange(1, k + 1))
        ax.xaxis.set_ticks_position("top")
        ax.tick_params(axis="x", direction="in")
        for side in ("left", "right", "bottom"):
            ax.spines[side].set_visible(False)
        ax.spines["top"].set_position(("data", 0))
        ax.set_yticks([])

        # Cliques sit just under the axis, method elbows below them.
        self.clique_lines_ = []
        for j, clique in enumerate(self.cliques):
            lo, hi = min(rank_of[m] for m in clique), max(rank_of[m] for m in clique)
            (line,) = ax.plot([lo, hi], [-0.4 - 0.35 * j] * 2, color="k", lw=4,
                              solid_capstyle="round")
            self.clique_lines_.append(line)
        top = -0.6 - 0.35 * len(self.cliques)
        half = (k + 1) // 2
        self.method_lines_, self.labels_ = {}, {}
        for i, (name, rank) in enumerate(zip(self.names, ranks)):
            left = i < half
            depth = top - (i if left else k - 1 - i) - 0.5
            end = 0.5 if left else k + 0.5
            (line,) = ax.plot([rank, rank, end], [0, depth, depth], color="k", lw=0.8)
            self.method_lines_[name] = line
            self.labels_[name] = ax.text(end, depth + 0.1, f"{name} ({rank:.2f})",
                                         ha="left" if left else "right", va="bottom",
                                         fontsize="small")
        cd = self.critical_difference
        (self.cd_line_,) = ax.plot([1, 1 + cd], [1.0, 1.0], color="k", lw=2,
                                   marker="|", markersize=10)
        ax.text(1 + cd / 2, 1.15, f"CD = {cd:.2f}", ha="center", va="bottom")
        if self.friedman_pvalue is not None:
            ax.set_title(f"Friedman p = {self.friedman_pvalue:.3g}, Nemenyi alpha = {self.alpha}",
                         fontsize="small", pad=24)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_data(cls, data, *, ax=None):
        """Draw the Bunch returned by :func:`imbtool.evaluation.critical_difference_data`.

        Parameters
        ----------
        data : Bunch
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CriticalDifferenceDisplay
        """
        missing = {"names", "average_ranks", "critical_difference", "cliques"} - set(data)
        if missing:
            raise ValueError(f"{_NAME}.from_data needs the result of critical_difference_data; "
                             f"missing {sorted(missing)}.")
        return cls(names=list(data["names"]), average_ranks=data["average_ranks"],
                   critical_difference=data["critical_difference"], cliques=data["cliques"],
                   friedman_pvalue=data.get("friedman_pvalue"),
                   alpha=data.get("alpha", 0.05)).plot(ax=ax)

    @classmethod
    def from_scores(cls, scores, *, names=None, alpha=0.05, greater_is_better=True, ax=None):
        """Rank methods by their scores over data sets and draw the diagram.

        Parameters
        ----------
        scores : array-like or DataFrame of shape (n_datasets, n_methods)
            DataFrame columns name the methods.
        names : list of str, default=None
        alpha : float, default=0.05
        greater_is_better : bool, default=True
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CriticalDifferenceDisplay
        """
        data = critical_difference_data(scores, alpha=alpha, greater_is_better=greater_is_better,
                                        names=names)
        return cls.from_data(data, ax=ax)
