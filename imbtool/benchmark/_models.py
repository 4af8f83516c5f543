"""The models the benchmark runs, and the estimator each (data set, model, remedy) cell fits.

A *model* is a plain classifier (logistic regression, a tree, ...); the
remedies come from :mod:`imbtool.remedies`. A remedy that is a complete
classifier of its own (a balanced random forest) runs once per data set under
the pseudo-model ``"own"``. A sampler remedy gets the model with a
``StandardScaler`` in front where the model has none of its own, so the
distance-based samplers see standardised features (fitted on the training
fold); the other remedies get the model as registered, so the trees are fitted
on the features as they are.
"""

import re
from dataclasses import dataclass

from sklearn.base import clone
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from ..remedies import get_remedy, register_remedy
from ..remedies._registry import seeded

OWN_MODEL = "own"


@dataclass(frozen=True, eq=False)
class Model:
    """A registered model: ``factory(random_state) -> classifier``.

    ``ensemble=True`` marks models that are ensembles already (forests,
    boosting); remedies with ``skips_ensembles`` do not wrap them.
    """

    name: str
    factory: object
    description: str = ""
    ensemble: bool = False

    def build(self, random_state):
        return self.factory(random_state)


_MODELS = {}


def register_model(name, factory, *, description="", ensemble=False, replace=False):
    """Register a model for the benchmark.

    Parameters
    ----------
    name : str
        Registry name (used on the command line).
    factory : callable
        ``factory(random_state) -> classifier``; called once per cell, so it
        must return a fresh, unfitted estimator.
    description : str, default=""
        One line shown by ``python -m imbtool benchmark --list``.
    ensemble : bool, default=False
        The model is an ensemble itself; ensemble remedies will not wrap it.
    replace : bool, default=False
        Allow overwriting an existing entry.

    Returns
    -------
    model : Model

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from imbtool.benchmark import register_model, list_models
    >>> _ = register_model("nb", lambda random_state: GaussianNB(), replace=True)
    >>> "nb" in list_models()
    True
    """
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
        raise ValueError(
            f"name must be a non-empty string of letters, digits, '_', '.' or '-'; got {name!r}."
        )
    if not callable(factory):
        raise TypeError(f"factory must be callable; got {factory!r}.")
    if name == OWN_MODEL:
        raise ValueError(f"{OWN_MODEL!r} is reserved for remedies that are complete classifiers.")
    if name in _MODELS and not replace:
        raise ValueError(f"A model named {name!r} is already registered; pass replace=True.")
    model = Model(name, factory, description, bool(ensemble))
    _MODELS[name] = model
    return model


def list_models():
    """Names of the registered models, sorted.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.benchmark import list_models
    >>> {"lr", "dt", "rf", "lgbm"} <= set(list_models())
    True
    """
    return sorted(_MODELS)


def get_model(name):
    """Look a model up by name; the error lists the valid names.

    Parameters
    ----------
    name : str

    Returns
    -------
    model : Model

    Examples
    --------
    >>> from imbtool.benchmark import get_model
    >>> get_model("lr").name
    'lr'
    """
    try:
        return _MODELS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown model {name!r}; valid models are: {', '.join(list_models())}."
        ) from None


def applies(remedy_name, model_name, random_state=0):
    """Whether the benchmark runs ``remedy_name`` with ``model_name``.

    A standalone remedy runs with the pseudo-model "own" only; a remedy with
    ``skips_ensembles`` leaves ensemble models alone; a remedy that cannot be
    put around the model (class weights for a model without ``class_weight``)
    does not run with it. :func:`not_run_reason` says why.
    """
    return not not_run_reason(remedy_name, model_name, random_state)


def not_run_reason(remedy_name, model_name, random_state=0):
    """Why the benchmark does not run ``remedy_name`` with ``model_name`` ("" when it does).

    Parameters
    ----------
    remedy_name, model_name : str
        Registered names (``model_name="own"`` for standalone remedies).
    random_state : int, default=0

    Returns
    -------
    reason : str

    Examples
    --------
    >>> from imbtool.benchmark._models import not_run_reason
    >>> not_run_reason("self_paced_ensemble", "rf")
    'an ensemble model: ensemble remedies do not wrap ensembles'
    >>> not_run_reason("smote", "lr")
    ''
    """
    remedy = get_remedy(remedy_name)
    if remedy.standalone and model_name != OWN_MODEL:
        return "a complete classifier: it runs with its own model only"
    if model_name == OWN_MODEL and not remedy.standalone:
        return f"the pseudo-model {OWN_MODEL!r} is for complete classifiers only"
    if remedy.standalone:
        return ""
    model = get_model(model_name)
    if remedy.skips_ensembles and model.ensemble:
        return "an ensemble model: ensemble remedies do not wrap ensembles"
    plan = remedy.plan(model.build(random_state), random_state)
    if plan.estimator is None:
        return plan.reason or "the remedy cannot be put around this model"
    if plan.balance:
        # The benchmark passes no sample weights, so balanced weights cannot be multiplied in.
        return "it needs balanced sample weights, which the benchmark does not pass"
    return ""


def build_estimator(remedy_name, model_name, random_state):
    """The unfitted estimator a benchmark cell fits.

    Parameters
    ----------
    remedy_name, model_name : str
        Registered names (``model_name="own"`` for standalone remedies).
    random_state : int
        Seed passed to the model and to the remedy where they accept one.

    Returns
    -------
    estimator : classifier

    Examples
    --------
    >>> from imbtool.benchmark import build_estimator
    >>> [name for name, _ in build_estimator("smote", "rf", 0).steps]
    ['standardscaler', 'sampler', 'randomforestclassifier']
    """
    remedy = get_remedy(remedy_name)
    model = None if model_name == OWN_MODEL else clone(get_model(model_name).build(random_state))
    if remedy.kind == "sampler":
        model = _scaled(model)
    plan = remedy.plan(model, random_state)
    if plan.estimator is None:
        raise ValueError(f"{remedy_name} cannot be put around {model_name}: {plan.reason}.")
    estimator = plan.estimator
    # Cells are the unit of parallelism; threads inside a cell would oversubscribe.
    if "n_jobs" in estimator.get_params(deep=False):
        estimator.set_params(n_jobs=1)
    return estimator


def _scaled(model):
    """``model`` behind a StandardScaler, unless its pipeline has one already."""
    if isinstance(model, Pipeline):
        if any(isinstance(step, StandardScaler) for _, step in model.steps[:-1]):
            return model
        return Pipeline([("standardscaler", StandardScaler()), *model.steps])
    return Pipeline([("standardscaler", StandardScaler()),
                     (type(model).__name__.lower(), model)])


def _lr(random_state):
    from sklearn.linear_model import LogisticRegression

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _dt(random_state):
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(random_state=random_state)


def _rf(random_state):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=random_state)


def _lgbm(random_state):
    from lightgbm import LGBMClassifier

    return LGBMClassifier(n_estimators=100, n_jobs=1, verbose=-1, random_state=random_state)


def _remedy_search(estimator, random_state):
    # RemedySearchCV sits above the remedies in the layers, so the benchmark registers it.
    from ..model_selection import RemedySearchCV

    return seeded(RemedySearchCV(estimator, scoring="f1"), random_state)


register_model("lr", _lr, description="standardised logistic regression (L2, C=1)")
register_model("dt", _dt, description="CART decision tree, unpruned")
register_model("rf", _rf, description="random forest, 100 trees", ensemble=True)
register_model("lgbm", _lgbm, description="LightGBM, 100 rounds, defaults otherwise",
               ensemble=True)
register_remedy(
    "remedy_search_cv", _remedy_search, family="selection",
    source="imbtool.model_selection.RemedySearchCV(scoring='f1')",
    description="Choose, by cross-validation, the imbalance remedy that scores best around a "
    "classifier.", replace=True)
