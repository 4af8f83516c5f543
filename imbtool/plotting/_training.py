"""TrainingCurveDisplay: validation scores of an ensemble round by round."""

import numpy as np

from ._base import check_fitted, get_axes

_NAME = "TrainingCurveDisplay"


class TrainingCurveDisplay:
    """Validation scores against the number of ensemble members, from ``evals_result_``.

    For :class:`imbtool.ensemble.SelfPacedEnsembleClassifier` and the other
    imbtool ensembles fitted with ``eval_set`` (any dict of the form
    ``{"valid_0": {"metric": [score per round, ...]}}`` works, as LightGBM and
    XGBoost record it). The best iteration is marked when known.

    Parameters
    ----------
    evals_result : dict
        ``{set name: {metric name: list of scores, one per round}}``.
    best_iteration : int, default=None
        Number of members at the best score (1-based), drawn as a vertical line.

    Attributes
    ----------
    lines_ : dict of {(set name, metric name): matplotlib Line2D}
    best_line_ : matplotlib Line2D or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from imbtool.plotting import TrainingCurveDisplay
    >>> result = {"valid_0": {"average_precision": [0.5, 0.6, 0.65, 0.64]}}
    >>> display = TrainingCurveDisplay.from_evals_result(result, best_iteration=3)
    >>> display.lines_["valid_0", "average_precision"].get_xdata().tolist()
    [1, 2, 3, 4]
    """

    def __init__(self, *, evals_result, best_iteration=None):
        self.evals_result = evals_result
        self.best_iteration = best_iteration

    def plot(self, ax=None, *, metrics=None):
        """Draw one line per evaluation set and metric.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
        metrics : list of str, default=None
            Metrics to draw; all when None.

        Returns
        -------
        display : TrainingCurveDisplay
        """
        ax = get_axes(ax, _NAME)
        self.lines_ = {}
        for set_name, by_metric in self.evals_result.items():
            for metric, values in by_metric.items():
                if metrics is not None and metric not in metrics:
                    continue
                values = np.asarray(values, dtype=float)
                (self.lines_[set_name, metric],) = ax.plot(
                    np.arange(1, len(values) + 1), values, label=f"{set_name}: {metric}")
        if not self.lines_:
            raise ValueError(f"{_NAME}: none of metrics={metrics} was recorded; recorded: "
                             f"{sorted({m for r in self.evals_result.values() for m in r})}.")
        self.best_line_ = None
        if self.best_iteration is not None:
            self.best_line_ = ax.axvline(self.best_iteration, color="k", ls="--",
                                         label=f"best iteration = {self.best_iteration}")
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(xlabel="number of members", ylabel="validation score")
        ax.legend(loc="best", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, metrics=None, ax=None):
        """Curves of an ensemble fitted with ``eval_set``.

        Parameters
        ----------
        estimator : fitted estimator with ``evals_result_``
        metrics : list of str, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : TrainingCurveDisplay
        """
        check_fitted(estimator, _NAME)
        result = getattr(estimator, "evals_result_", None)
        if result is None:
            raise TypeError(f"{_NAME}: {type(estimator).__name__} records no evals_result_.")
        if not result:
            raise ValueError(f"{_NAME}: {type(estimator).__name__} was fitted without eval_set, "
                             "so there are no validation scores; fit it with "
                             "eval_set=[(X_val, y_val)].")
        return cls.from_evals_result(result, metrics=metrics, ax=ax,
                                     best_iteration=getattr(estimator, "best_iteration_", None))

    @classmethod
    def from_evals_result(cls, evals_result, *, best_iteration=None, metrics=None, ax=None):
        """Curves of a recorded ``evals_result`` dict (the counterpart of ``from_predictions``).

        Parameters
        ----------
        evals_result : dict
        best_iteration : int, default=None
        metrics : list of str, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : TrainingCurveDisplay
        """
        if not isinstance(evals_result, dict) or not all(
                isinstance(v, dict) for v in evals_result.values()):
            raise TypeError(f"{_NAME}: evals_result must be a dict of dicts "
                            "{set name: {metric: scores}}.")
        return cls(evals_result=evals_result, best_iteration=best_iteration).plot(
            ax=ax, metrics=metrics)
