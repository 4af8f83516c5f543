"""Displays over several fitted models: precision-recall curves and reliability diagrams."""

import numpy as np
from sklearn.metrics import precision_recall_curve

from ..metrics import average_precision, expected_calibration_error, reliability_curve
from ..utils._response import response_values
from ._base import (
    binary_positive,
    check_fitted,
    check_n_features,
    check_scores,
    get_axes,
    named_models,
)


def _positive_scores(estimators, X, y, pos_label, response_method, display):
    """Names, per-model positive-class scores and the positive label, from fitted classifiers."""
    names, models = named_models(estimators, None, display)
    y = np.asarray(y)
    _, pos_label = binary_positive(y, pos_label, display)
    scores = []
    for name, model in zip(names, models):
        check_fitted(model, display, name=f"estimator ({name})")
        check_n_features(model, X, display)
        classes = list(model.classes_)
        if pos_label not in classes:
            raise ValueError(f"{display}: {name} was not fitted with class {pos_label!r}.")
        scores.append(response_values(model, X, response_method, classes.index(pos_label)))
    return names, scores, pos_label


class PrecisionRecallComparisonDisplay:
    """Precision-recall curves of several models on the same data, with average precision.

    Parameters
    ----------
    curves : list of Bunch-like dicts
        Each with ``name``, ``precision``, ``recall`` and ``average_precision``.
    prevalence : float
        Share of positives: the precision of a random ranking (chance level).

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One per model, in the order given.
    chance_line_ : matplotlib Line2D
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.plotting import PrecisionRecallComparisonDisplay
    >>> X, y = load_dataset("ecoli1", return_X_y=True)
    >>> models = {"logistic": LogisticRegression().fit(X, y),
    ...           "tree": DecisionTreeClassifier(max_depth=3).fit(X, y)}
    >>> display = PrecisionRecallComparisonDisplay.from_estimator(models, X, y)
    >>> [line.get_label().split(" (")[0] for line in display.lines_]
    ['logistic', 'tree']
    """

    _NAME = "PrecisionRecallComparisonDisplay"

    def __init__(self, *, curves, prevalence):
        self.curves = curves
        self.prevalence = prevalence

    def plot(self, ax=None):
        """Draw one step curve per model and the chance level.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PrecisionRecallComparisonDisplay
        """
        ax = get_axes(ax, self._NAME)
        self.lines_ = [
            ax.plot(c["recall"], c["precision"], drawstyle="steps-post",
                    label=f"{c['name']} (AP = {c['average_precision']:.3f})")[0]
            for c in self.curves
        ]
        self.chance_line_ = ax.axhline(self.prevalence, color="grey", ls=":",
                                       label=f"chance (prevalence = {self.prevalence:.3f})")
        ax.set(xlabel="recall", ylabel="precision", xlim=(-0.01, 1.01), ylim=(-0.01, 1.01))
        ax.legend(loc="best", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimators, X, y, *, pos_label=None, response_method="auto",
                       ax=None):
        """Curves of fitted binary classifiers on ``X, y``.

        Parameters
        ----------
        estimators : dict of {name: classifier} or list of classifiers
            Fitted.
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        pos_label : int, float, bool or str, default=None
        response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PrecisionRecallComparisonDisplay
        """
        names, scores, pos_label = _positive_scores(estimators, X, y, pos_label,
                                                    response_method, cls._NAME)
        return cls.from_predictions(y, dict(zip(names, scores)), pos_label=pos_label, ax=ax)

    @classmethod
    def from_predictions(cls, y_true, y_scores, *, names=None, pos_label=None, ax=None):
        """Curves of given scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
        y_scores : dict of {name: scores} or list of arrays of shape (n_samples,)
        names : list of str, default=None
            With a list of scores; default "model 0", "model 1", ...
        pos_label : int, float, bool or str, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PrecisionRecallComparisonDisplay
        """
        names, all_scores = named_models(y_scores, names, cls._NAME)
        curves = []
        for name, y_score in zip(names, all_scores):
            y, y_score = check_scores(y_true, y_score, cls._NAME, name=f"scores of {name}")
            y01, _ = binary_positive(y, pos_label, cls._NAME)
            precision, recall, _ = precision_recall_curve(y01, y_score)
            curves.append(dict(name=name, precision=precision, recall=recall,
                               average_precision=average_precision(y01, y_score)))
        return cls(curves=curves, prevalence=float(y01.mean())).plot(ax=ax)


class CalibrationDisplay:
    """Reliability diagrams of several models: observed frequency against mean prediction.

    Unlike :class:`sklearn.calibration.CalibrationDisplay` it overlays several
    models (e.g. one classifier uncalibrated and calibrated by sigmoid or
    isotonic regression), uses equal-mass bins by default (on imbalanced data
    most equal-width bins are nearly empty) and puts each model's expected
    calibration error in the legend.

    Parameters
    ----------
    curves : list of dicts
        Each with ``name``, ``mean_predicted``, ``fraction_positive``,
        ``counts`` and ``ece``.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
    reference_line_ : matplotlib Line2D
        The diagonal of perfect calibration.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.calibration import CalibratedClassifierCV
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from imbtool.datasets import load_dataset
    >>> from imbtool.plotting import CalibrationDisplay
    >>> X, y = load_dataset("pima", return_X_y=True)
    >>> models = {"naive Bayes": GaussianNB().fit(X, y),
    ...           "isotonic": CalibratedClassifierCV(GaussianNB(), method="isotonic").fit(X, y)}
    >>> display = CalibrationDisplay.from_estimator(models, X, y, n_bins=5)
    >>> [len(line.get_xdata()) for line in display.lines_]
    [5, 5]
    """

    _NAME = "CalibrationDisplay"

    def __init__(self, *, curves):
        self.curves = curves

    def plot(self, ax=None):
        """Draw one reliability curve per model and the diagonal.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CalibrationDisplay
        """
        ax = get_axes(ax, self._NAME)
        (self.reference_line_,) = ax.plot([0, 1], [0, 1], "k:", label="perfectly calibrated")
        self.lines_ = [
            ax.plot(c["mean_predicted"], c["fraction_positive"], "s-",
                    label=f"{c['name']} (ECE = {c['ece']:.3f})")[0]
            for c in self.curves
        ]
        ax.set(xlabel="mean predicted probability", ylabel="observed frequency",
               xlim=(-0.01, 1.01), ylim=(-0.01, 1.01))
        ax.legend(loc="best", fontsize="small")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimators, X, y, *, n_bins=10, strategy="quantile",
                       pos_label=None, ax=None):
        """Reliability of fitted binary classifiers' ``predict_proba`` on ``X, y``.

        Parameters
        ----------
        estimators : dict of {name: classifier} or list of classifiers
            Fitted, with ``predict_proba``.
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        n_bins : int, default=10
        strategy : {"quantile", "uniform"}, default="quantile"
        pos_label : int, float, bool or str, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CalibrationDisplay
        """
        names, models = named_models(estimators, None, cls._NAME)
        for name, model in zip(names, models):
            if not hasattr(model, "predict_proba"):
                raise TypeError(f"{cls._NAME}: {name} has no predict_proba; calibration is "
                                "about probabilities.")
        names, probas, pos_label = _positive_scores(dict(zip(names, models)), X, y, pos_label,
                                                    "predict_proba", cls._NAME)
        return cls.from_predictions(y, dict(zip(names, probas)), n_bins=n_bins,
                                    strategy=strategy, pos_label=pos_label, ax=ax)

    @classmethod
    def from_predictions(cls, y_true, y_probas, *, names=None, n_bins=10, strategy="quantile",
                         pos_label=None, ax=None):
        """Reliability of given positive-class probabilities.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
        y_probas : dict of {name: probabilities} or list of arrays of shape (n_samples,)
        names : list of str, default=None
        n_bins : int, default=10
        strategy : {"quantile", "uniform"}, default="quantile"
        pos_label : int, float, bool or str, default=None
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : CalibrationDisplay
        """
        names, all_probas = named_models(y_probas, names, cls._NAME)
        curves = []
        for name, proba in zip(names, all_probas):
            y, proba = check_scores(y_true, proba, cls._NAME, name=f"probabilities of {name}")
            y01, _ = binary_positive(y, pos_label, cls._NAME)
            curve = reliability_curve(y01, proba, n_bins=n_bins, strategy=strategy)
            curves.append(dict(name=name, mean_predicted=curve.mean_predicted,
                               fraction_positive=curve.fraction_positive, counts=curve.counts,
                               ece=expected_calibration_error(y01, proba, n_bins=n_bins,
                                                              strategy=strategy)))
        return cls(curves=curves).plot(ax=ax)
