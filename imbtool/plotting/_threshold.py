"""ThresholdCurveDisplay: an objective, precision and recall against the decision threshold."""

import numpy as np

from ..threshold import TunedThresholdClassifier
from ..threshold._objectives import resolve_objective
from ..utils._response import response_values
from ..utils._sweep import threshold_curve as _curve
from ._base import binary_positive, check_fitted, check_n_features, check_scores, get_axes

_NAME = "ThresholdCurveDisplay"


def _ratio(num, den):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


class ThresholdCurveDisplay:
    """The objective (and precision, recall) against the decision threshold.

    Built from a fitted :class:`~imbtool.threshold.TunedThresholdClassifier`
    (its out-of-fold curve, tuned threshold and bootstrap interval), from any
    fitted binary classifier and data, or from scores. A sample is positive
    when its score is ``>=`` the threshold; each cut is drawn at the score
    where it starts, and the cut that predicts nothing positive is left out.

    Parameters
    ----------
    thresholds : ndarray of shape (n_cuts,)
    scores : ndarray of shape (n_cuts,)
        Objective at each threshold.
    precision, recall : ndarray of shape (n_cuts,), default=None
    best_threshold : float, default=None
        Marked with a vertical line.
    threshold_interval : (float, float), default=None
        Bootstrap interval of the threshold, shaded.
    objective_name : str, default="objective"

    Attributes
    ----------
    line_ : matplotlib Line2D
        The objective.
    precision_line_, recall_line_ : matplotlib Line2D or None
    threshold_line_ : matplotlib Line2D or None
    interval_patch_ : matplotlib Rectangle or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.plotting import ThresholdCurveDisplay
    >>> from imbtool.threshold import TunedThresholdClassifier
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> tuned = TunedThresholdClassifier(scoring="f1", store_cv_results=True,
    ...                                  n_bootstraps=50, random_state=0).fit(X, y)
    >>> display = ThresholdCurveDisplay.from_estimator(tuned)
    >>> display.threshold_line_.get_xdata()[0] == tuned.best_threshold_
    True
    """

    def __init__(self, *, thresholds, scores, precision=None, recall=None, best_threshold=None,
                 threshold_interval=None, objective_name="objective"):
        self.thresholds = thresholds
        self.scores = scores
        self.precision = precision
        self.recall = recall
        self.best_threshold = best_threshold
        self.threshold_interval = threshold_interval
        self.objective_name = objective_name

    def plot(self, ax=None, *, show_precision_recall=True):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            A new figure when None.
        show_precision_recall : bool, default=True
            Draw precision and recall too, when known.

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        ax = get_axes(ax, _NAME)
        finite = np.isfinite(self.thresholds)
        x = np.asarray(self.thresholds)[finite]
        (self.line_,) = ax.plot(x, np.asarray(self.scores)[finite], label=self.objective_name,
                                drawstyle="steps-post", lw=2)
        self.precision_line_ = self.recall_line_ = None
        if show_precision_recall and self.precision is not None:
            (self.precision_line_,) = ax.plot(x, np.asarray(self.precision)[finite],
                                              label="precision", drawstyle="steps-post", lw=1)
            (self.recall_line_,) = ax.plot(x, np.asarray(self.recall)[finite], label="recall",
                                           drawstyle="steps-post", lw=1)
        self.threshold_line_ = self.interval_patch_ = None
        if self.threshold_interval is not None and np.all(np.isfinite(self.threshold_interval)):
            low, high = self.threshold_interval
            self.interval_patch_ = ax.axvspan(low, high, color="grey", alpha=0.2,
                                              label="threshold interval")
        if self.best_threshold is not None and np.isfinite(self.best_threshold):
            self.threshold_line_ = ax.axvline(self.best_threshold, color="k", ls="--",
                                              label=f"threshold = {self.best_threshold:.3g}")
        ax.set_xlabel("decision threshold")
        ax.set_ylabel("value")
        ax.legend(loc="best")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, X=None, y=None, *, objective=None, pos_label=None,
                       response_method="auto", ax=None, **plot_kwargs):
        """Curve of a fitted classifier.

        With a :class:`~imbtool.threshold.TunedThresholdClassifier` and no
        data, the out-of-fold curve it was tuned on (fit it with
        ``store_cv_results=True``), its ``best_threshold_`` and, with
        ``n_bootstraps``, ``threshold_interval_``. With ``X, y``: the curve
        of the classifier's scores on that data; a tuned classifier's own
        threshold is marked, otherwise the best one on ``X, y``.

        Parameters
        ----------
        estimator : fitted binary classifier
        X : array-like of shape (n_samples, n_features), default=None
        y : array-like of shape (n_samples,), default=None
        objective : str, Objective or callable, default=None
            The tuned classifier's objective, else "f1".
        pos_label : int, float, bool or str, default=None
        response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        ax : matplotlib Axes, default=None
        **plot_kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        check_fitted(estimator, _NAME)
        tuned = isinstance(estimator, TunedThresholdClassifier)
        if X is None:
            if not tuned:
                raise TypeError(
                    f"{_NAME}.from_estimator without data needs a TunedThresholdClassifier; "
                    f"pass X and y to draw the curve of a {type(estimator).__name__}."
                )
            return cls._from_tuned(estimator).plot(ax=ax, **plot_kwargs)
        if y is None:
            raise ValueError(f"{_NAME}.from_estimator: pass y together with X.")
        check_n_features(estimator, X, _NAME)
        classes = estimator.classes_
        if len(classes) != 2:
            raise ValueError(f"{_NAME} needs a binary classifier; it has classes {classes}.")
        if tuned:
            pos_label = estimator.pos_label_ if pos_label is None else pos_label
            objective = estimator.scorer_ if objective is None else objective
            scorer = estimator.estimator_
        else:
            pos_label = classes[1] if pos_label is None else pos_label
            scorer = estimator
        pos_index = classes.tolist().index(pos_label)
        y_score = response_values(scorer, X, response_method, pos_index)
        display = cls._from_scores(y, y_score, objective or "f1", pos_label)
        if tuned:
            display.best_threshold = estimator.best_threshold_
        return display.plot(ax=ax, **plot_kwargs)

    @classmethod
    def from_predictions(cls, y_true, y_score, *, objective="f1", pos_label=None, ax=None,
                         **plot_kwargs):
        """Curve of given scores, with the threshold that maximises the objective on them.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
        y_score : array-like of shape (n_samples,)
            Larger means more positive.
        objective : str, Objective or callable, default="f1"
            As in :class:`~imbtool.threshold.TunedThresholdClassifier`.
        pos_label : int, float, bool or str, default=None
        ax : matplotlib Axes, default=None
        **plot_kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        display : ThresholdCurveDisplay
        """
        return cls._from_scores(y_true, y_score, objective, pos_label).plot(ax=ax, **plot_kwargs)

    @classmethod
    def _from_scores(cls, y_true, y_score, objective, pos_label):
        y_true, y_score = check_scores(y_true, y_score, _NAME)
        y01, _ = binary_positive(y_true, pos_label, _NAME)
        y_score = y_score.astype(np.float64)
        if not np.isfinite(y_score).all():
            raise ValueError(f"{_NAME}: y_score has NaN or infinite values.")
        objective = resolve_objective(objective)
        curve = _curve(objective, [(y01, y_score, None, None)])
        tp, fp, fn = (curve.counts[k] for k in ("tp", "fp", "fn"))
        return cls(thresholds=curve.thresholds, scores=curve.result.score,
                   precision=_ratio(tp, tp + fp), recall=_ratio(tp, tp + fn),
                   best_threshold=curve.threshold, objective_name=_objective_name(objective))

    @classmethod
    def _from_tuned(cls, tuned):
        if len(tuned.classes_) != 2:
            raise ValueError(f"{_NAME} draws binary thresholds; this classifier is multiclass "
                             "(its decision is set by offsets_).")
        results = getattr(tuned, "cv_results_", None)
        if results is None:
            raise ValueError(
                f"{_NAME}.from_estimator needs the tuning curve: fit the TunedThresholdClassifier "
                "with store_cv_results=True, or pass X and y."
            )
        # Pooled folds keep the counts; averaged folds keep only the objective's own parts.
        precision, recall = results.get("precision"), results.get("recall")
        if "tp" in results:
            tp, fp, fn = (results[k] for k in ("tp", "fp", "fn"))
            precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        if precision is None or recall is None:
            precision = recall = None
        return cls(thresholds=results["thresholds"], scores=results["scores"],
                   precision=precision, recall=recall, best_threshold=tuned.best_threshold_,
                   threshold_interval=getattr(tuned, "threshold_interval_", None),
                   objective_name=_objective_name(resolve_objective(tuned.scorer_)))


def _objective_name(objective):
    name = getattr(objective, "name", None)
    return name if isinstance(name, str) else repr(objective)
