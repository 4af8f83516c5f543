"""Registries of the models and imbalance remedies the benchmark can run.

A *model* is a plain classifier (logistic regression, a tree, ...). A
*remedy* turns a model into the estimator that is fitted: "none" returns it
unchanged, a sampler is put in front of it inside an imbalanced-learn
pipeline (so resampling touches the training folds only), a meta-estimator
(threshold tuning, cost-sensitive wrappers, ensembles) wraps it. A remedy that
is a complete classifier of its own (a balanced random forest) runs once per
data set under the pseudo-model ``"own"``.

imbtool's own remedies register themselves: on first use the registry imports
``imbtool.over_sampling``, ``imbtool.under_sampling``, ``imbtool.combine``,
``imbtool.threshold``, ``imbtool.cost`` and ``imbtool.ensemble`` -- whichever
exist -- and adds every public sampler and classifier they export. Reference
implementations from imbalanced-learn and scikit-learn fill a name only while
imbtool has no class of that name; the ``source`` of every remedy is recorded
with each result, so a result never silently changes implementation.
"""

import importlib
import inspect
import re
import warnings
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from imblearn.pipeline import Pipeline as ImbPipeline
from sklearn.base import ClassifierMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

OWN_MODEL = "own"
FAMILIES = ("baseline", "weighting", "sampling", "threshold", "cost", "ensemble", "selection")

# Where imbtool's remedies live, and the family each module contributes.
_IMBTOOL_MODULES = {
    "imbtool.over_sampling": "sampling",
    "imbtool.under_sampling": "sampling",
    "imbtool.combine": "sampling",
    "imbtool.threshold": "threshold",
    "imbtool.cost": "cost",
    "imbtool.ensemble": "ensemble",
    "imbtool.boosters": "cost",
    "imbtool.model_selection": "selection",
}
# Their ``estimator`` must be a tree (a forest draws features per split), so
# they are complete classifiers, not wrappers of any model.
_STANDALONE_CLASSES = {"BalancedRandomForestClassifier"}
# Settings that differ from a class's defaults, recorded in its source string.
# The threshold is tuned for F1, the benchmark's primary metric, as in the
# "Balancing the Scales" protocol; boosters run on the CPU so that results and
# timings do not depend on whether a GPU happens to be present.
_CLASS_PARAMS = {
    "TunedThresholdClassifier": {"scoring": "f1"},
    "LGBMImbalancedClassifier": {"device": "cpu"},
    "RemedySearchCV": {"scoring": "f1"},
}


@dataclass(frozen=True, eq=False)
class Model:
    """A registered model: ``factory(random_state) -> classifier``.

    ``ensemble=True`` marks models that are ensembles already (forests,
    boosting); ensemble remedies do not wrap them -- fifty random forests
    inside a Self-paced Ensemble is neither what the literature measures nor
    affordable.
    """

    name: str
    factory: object
    description: str = ""
    ensemble: bool = False

    def build(self, random_state):
        return self.factory(random_state)


@dataclass(frozen=True, eq=False)
class Remedy:
    """A registered remedy.

    Attributes
    ----------
    name : str
        Registry name.
    build : callable
        ``build(model, random_state) -> estimator``; ``model`` is None for
        remedies with ``models=("own",)``.
    family : str
        One of ``FAMILIES``.
    source : str
        The implementation, e.g. ``"imbtool.over_sampling.SMOTE"``.
    models : tuple of str or None
        ``None``: wraps any model it :attr:`applies` to; ``("own",)``: a
        complete classifier.
    applies : callable or None
        ``applies(model) -> bool``; None means always.
    description : str
        One line for ``--list``.
    wraps_ensembles : bool
        Whether an ensemble remedy also wraps models that are ensembles
        already (see :class:`Model`).
    """

    name: str
    build: object
    family: str
    source: str
    models: tuple = None
    applies: object = None
    description: str = ""
    wraps_ensembles: bool = False

    @property
    def standalone(self):
        return self.models == (OWN_MODEL,)

    def applies_to(self, model_name, model):
        if self.standalone:
            return model_name == OWN_MODEL
        if model_name == OWN_MODEL:
            return False
        if self.family == "ensemble" and not self.wraps_ensembles and get_model(
                model_name).ensemble:
            return False
        return self.applies is None or bool(self.applies(model))


@dataclass
class _State:
    models: dict = field(default_factory=dict)
    remedies: dict = field(default_factory=dict)
    discovered: bool = False
    unavailable: dict = field(default_factory=dict)


_STATE = _State()


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
    >>> from imbtool.evaluation import register_model, list_models
    >>> _ = register_model("nb", lambda random_state: GaussianNB(), replace=True)
    >>> "nb" in list_models()
    True
    """
    _check_name(name)
    if not callable(factory):
        raise TypeError(f"factory must be callable; got {factory!r}.")
    if name == OWN_MODEL:
        raise ValueError(f"{OWN_MODEL!r} is reserved for remedies that are complete classifiers.")
    if name in _STATE.models and not replace:
        raise ValueError(f"A model named {name!r} is already registered; pass replace=True.")
    model = Model(name, factory, description, bool(ensemble))
    _STATE.models[name] = model
    return model


def register_remedy(
    name, build, *, family, source, models=None, applies=None, description="", replace=False,
    wraps_ensembles=False,
):
    """Register an imbalance remedy for the benchmark.

    Parameters
    ----------
    name : str
        Registry name.
    build : callable
        ``build(model, random_state) -> estimator``.
    family : {"baseline", "weighting", "sampling", "threshold", "cost", "ensemble"}
        Kind of remedy, used in reports and in ``--methods family:NAME``.
    source : str
        Dotted path of the implementation, recorded with every result.
    models : None or ("own",), default=None
        ``("own",)`` for a complete classifier that ignores the model.
    applies : callable, default=None
        ``applies(model) -> bool``: whether the remedy can wrap that model.
    description : str, default=""
        One line for ``--list``.
    replace : bool, default=False
        Allow overwriting an existing entry.
    wraps_ensembles : bool, default=False
        For ``family="ensemble"``: also wrap models registered with
        ``ensemble=True`` (forests, boosters), which the built-in ensemble
        remedies leave alone. The Self-paced Ensemble paper used such members
        (ten-member bagging, forests and GBDT), so a benchmark may want them
        at a member count it can afford.

    Returns
    -------
    remedy : Remedy

    Examples
    --------
    >>> from imblearn.under_sampling import NearMiss
    >>> from imbtool.evaluation import register_remedy, with_sampler, list_remedies
    >>> _ = register_remedy("imblearn_near_miss", lambda model, rs: with_sampler(model, NearMiss()),
    ...                     family="sampling", source="imblearn.under_sampling.NearMiss",
    ...                     replace=True)
    >>> "imblearn_near_miss" in list_remedies()
    True
    """
    _check_name(name)
    if not callable(build):
        raise TypeError(f"build must be callable; got {build!r}.")
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}; got {family!r}.")
    if models not in (None, (OWN_MODEL,)):
        raise ValueError(f"models must be None or ({OWN_MODEL!r},); got {models!r}.")
    if name in _STATE.remedies and not replace:
        raise ValueError(f"A remedy named {name!r} is already registered; pass replace=True.")
    remedy = Remedy(name, build, family, str(source), models, applies, description,
                    bool(wraps_ensembles))
    _STATE.remedies[name] = remedy
    return remedy


def _check_name(name):
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
        raise ValueError(
            f"name must be a non-empty string of letters, digits, '_', '.' or '-'; got {name!r}."
        )


def list_models():
    """Names of the registered models, sorted.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.evaluation import list_models
    >>> {"lr", "dt", "rf", "lgbm"} <= set(list_models())
    True
    """
    return sorted(_STATE.models)


def list_remedies(family=None):
    """Names of the remedies available now (imbtool modules are discovered first).

    Parameters
    ----------
    family : str, default=None
        Keep only this family.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.evaluation import list_remedies
    >>> {"none", "class_weight"} <= set(list_remedies())
    True
    """
    _discover()
    if family is not None and family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES} or None; got {family!r}.")
    return sorted(n for n, r in _STATE.remedies.items() if family is None or r.family == family)


def get_model(name):
    """Look a model up by name; the error lists the valid names."""
    try:
        return _STATE.models[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown model {name!r}; valid models are: {', '.join(list_models())}."
        ) from None


def get_remedy(name):
    """Look a remedy up by name; the error lists the valid names."""
    _discover()
    try:
        return _STATE.remedies[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown method {name!r}; valid methods are: {', '.join(list_remedies())}."
            + _unavailable_note()
        ) from None


def unavailable_modules():
    """``{module: reason}`` for imbtool remedy modules that could not be imported."""
    _discover()
    return dict(_STATE.unavailable)


def _unavailable_note():
    if not _STATE.unavailable:
        return ""
    return " (not available: " + ", ".join(sorted(_STATE.unavailable)) + ")"


def select_remedies(patterns):
    """Expand names, shell patterns (``"*smote*"``) and ``family:NAME`` to remedy names.

    Parameters
    ----------
    patterns : iterable of str
        Each must match at least one available remedy.

    Returns
    -------
    names : list of str
        In the order given, without duplicates.

    Examples
    --------
    >>> from imbtool.evaluation import select_remedies
    >>> select_remedies(["none", "family:weighting"])
    ['none', 'class_weight']
    """
    available = list_remedies()
    chosen = []
    for pattern in patterns:
        if pattern.startswith("family:"):
            family = pattern.split(":", 1)[1]
            if family not in FAMILIES:
                raise ValueError(f"Unknown family {family!r} in {pattern!r}; valid: {FAMILIES}.")
            matched = list_remedies(family)
        else:
            matched = [n for n in available if fnmatchcase(n, pattern)]
        if not matched:
            raise ValueError(
                f"Unknown method {pattern!r}; valid methods are: {', '.join(available)}"
                f" (or family:NAME with NAME in {FAMILIES})." + _unavailable_note()
            )
        chosen += [n for n in matched if n not in chosen]
    return chosen


# ------------------------------------------------------------------ building


def _set_params_if_accepted(estimator, **params):
    accepted = estimator.get_params(deep=False)
    return estimator.set_params(**{k: v for k, v in params.items() if k in accepted})


def with_sampler(model, sampler):
    """Put ``sampler`` just before the classifier, in an imbalanced-learn pipeline.

    Features are standardised first (inside the pipeline, fitted on the
    training fold), so distance-based samplers do not depend on the units of
    the columns; the trees that follow are unaffected by the scaling.

    Parameters
    ----------
    model : classifier or Pipeline
        The model; a pipeline keeps its preprocessing steps first.
    sampler : object with ``fit_resample``
        The sampler.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline

    Examples
    --------
    >>> from imblearn.over_sampling import SMOTE
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbtool.evaluation import with_sampler
    >>> [name for name, _ in with_sampler(DecisionTreeClassifier(), SMOTE()).steps]
    ['standardscaler', 'sampler', 'decisiontreeclassifier']
    """
    if isinstance(model, Pipeline):
        head = list(model.steps[:-1])
        tail = model.steps[-1]
    else:
        head = []
        tail = (type(model).__name__.lower(), model)
    if not any(isinstance(step, StandardScaler) for _, step in head):
        head.append(("standardscaler", StandardScaler()))
    return ImbPipeline(head + [("sampler", sampler), tail])


def _class_weight_params(model):
    return [k for k in model.get_params(deep=True) if k == "class_weight" or k.endswith("__class_weight")]


def _with_class_weight(model, random_state):
    return model.set_params(**{k: "balanced" for k in _class_weight_params(model)})


def _snake(class_name):
    name = re.sub(r"Classifier$", "", class_name)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return name.lower()


def _sampler_builder(cls):
    def build(model, random_state):
        sampler = _set_params_if_accepted(cls(), random_state=random_state)
        return with_sampler(model, sampler)

    return build


def _wrapper_builder(cls, param):
    def build(model, random_state):
        estimator = cls(**{param: model}, **_CLASS_PARAMS.get(cls.__name__, {}))
        return _set_params_if_accepted(estimator, random_state=random_state)

    return build


def _standalone_builder(cls):
    def build(model, random_state):
        estimator = cls(**_CLASS_PARAMS.get(cls.__name__, {}))
        return _set_params_if_accepted(estimator, random_state=random_state)

    return build


def _source(module_name, cls_name):
    params = _CLASS_PARAMS.get(cls_name, {})
    settings = ", ".join(f"{k}={v!r}" for k, v in params.items())
    return f"{module_name}.{cls_name}" + (f"({settings})" if params else "")


def _remedy_from_class(cls, family, source):
    """The remedy a public imbtool class provides, or None if it is not one."""
    if hasattr(cls, "fit_resample"):
        return dict(build=_sampler_builder(cls), family="sampling", source=source)
    if not issubclass(cls, ClassifierMixin):
        return None
    params = inspect.signature(cls.__init__).parameters
    inner = next((p for p in ("estimator", "classifier", "base_estimator") if p in params), None)
    if inner is not None and cls.__name__ not in _STANDALONE_CLASSES:
        return dict(build=_wrapper_builder(cls, inner), family=family, source=source)
    return dict(build=_standalone_builder(cls), family=family, source=source, models=(OWN_MODEL,))


def _discover():
    if _STATE.discovered:
        return
    _STATE.discovered = True
    for module_name, family in _IMBTOOL_MODULES.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                _STATE.unavailable[module_name] = "not written yet"
                continue
            _STATE.unavailable[module_name] = f"{type(exc).__name__}: {exc}"
            warnings.warn(f"{module_name} failed to import ({exc}); its remedies are skipped.")
            continue
        except Exception as exc:  # a module being written may be broken; say so, run the rest
            _STATE.unavailable[module_name] = f"{type(exc).__name__}: {exc}"
            warnings.warn(f"{module_name} failed to import ({exc}); its remedies are skipped.")
            continue
        for public in getattr(module, "__all__", []):
            cls = getattr(module, public, None)
            if not inspect.isclass(cls) or inspect.isabstract(cls):
                continue
            spec = _remedy_from_class(cls, family, _source(module_name, public))
            if spec is not None:
                first_line = (inspect.getdoc(cls) or "").split("\n")[0]
                register_remedy(_snake(public), description=first_line, replace=True, **spec)
    _register_references()


def _register_references():
    """Peer implementations, used only for names imbtool does not provide (yet)."""
    from imblearn.combine import SMOTEENN
    from imblearn.ensemble import BalancedRandomForestClassifier
    from imblearn.over_sampling import SMOTE, BorderlineSMOTE
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.model_selection import TunedThresholdClassifierCV

    references = {
        "random_under_sampler": (RandomUnderSampler, "imblearn.under_sampling.RandomUnderSampler"),
        "smote": (SMOTE, "imblearn.over_sampling.SMOTE"),
        "borderline_smote": (BorderlineSMOTE, "imblearn.over_sampling.BorderlineSMOTE"),
        "smoteenn": (SMOTEENN, "imblearn.combine.SMOTEENN"),
    }
    for name, (cls, source) in references.items():
        if name not in _STATE.remedies:
            register_remedy(name, _sampler_builder(cls), family="sampling", source=source,
                            description=f"reference implementation {source}")
    if "balanced_random_forest" not in _STATE.remedies:
        register_remedy(
            "balanced_random_forest",
            _standalone_builder(BalancedRandomForestClassifier),
            family="ensemble",
            source="imblearn.ensemble.BalancedRandomForestClassifier",
            models=(OWN_MODEL,),
            description="reference implementation imblearn.ensemble.BalancedRandomForestClassifier",
        )
    if "tuned_threshold" not in _STATE.remedies:
        register_remedy(
            "tuned_threshold",
            lambda model, rs: TunedThresholdClassifierCV(model, scoring="f1", random_state=rs),
            family="threshold",
            source="sklearn.model_selection.TunedThresholdClassifierCV(scoring='f1')",
            description="decision threshold maximising F1 by internal 5-fold CV (reference)",
        )


def _lr(random_state):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

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


register_model("lr", _lr, description="standardised logistic regression (L2, C=1)")
register_model("dt", _dt, description="CART decision tree, unpruned")
register_model("rf", _rf, description="random forest, 100 trees", ensemble=True)
register_model("lgbm", _lgbm, description="LightGBM, 100 rounds, defaults otherwise",
               ensemble=True)
register_remedy("none", lambda model, rs: model, family="baseline", source="-",
                description="no intervention")
register_remedy(
    "class_weight",
    _with_class_weight,
    family="weighting",
    source="class_weight='balanced'",
    applies=lambda model: bool(_class_weight_params(model)),
    description="inverse-frequency class weights in the loss (class_weight='balanced')",
)


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
    """
    remedy = get_remedy(remedy_name)
    model = None if model_name == OWN_MODEL else clone(get_model(model_name).build(random_state))
    # Cells are the unit of parallelism; threads inside a cell would oversubscribe.
    return _set_params_if_accepted(remedy.build(model, random_state), n_jobs=1)
