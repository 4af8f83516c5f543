"""The registry of imbalance remedies, and how each is put around an estimator.

A remedy turns an estimator (a classifier, or a Pipeline ending in one) into
the estimator that is fitted. It is one of four kinds, by where it acts:

- ``"sampler"``: an object with ``fit_resample``, inserted just before the
  final step of an :class:`imbtool.pipeline.Pipeline` (after any
  preprocessing of the estimator's own pipeline), so it resamples the
  training data it is fitted on and nothing else; the registry adds no
  scaler -- an estimator that wants distance-based samplers to see scaled
  features carries its ``StandardScaler`` in its own pipeline;
- ``"wrapper"``: a meta-classifier around the estimator;
- ``"estimator"``: the estimator itself, changed (class weights, focal loss);
- ``"standalone"``: a complete classifier that ignores the estimator.

Each remedy also records what :class:`imbtool.model_selection.RemedySearchCV`
needs: the class prior its final model learns (``"counted"`` on what the
final step saw, or ``"uniform"`` for ensembles that balance each member's
data), how fit params reach it (the kind), and whether it leaves estimators
that are ensembles already alone (``skips_ensembles``).

imbtool's own remedies register themselves: on first use the registry imports
``imbtool.over_sampling``, ``imbtool.under_sampling``, ``imbtool.combine``,
``imbtool.threshold``, ``imbtool.cost``, ``imbtool.ensemble`` and
``imbtool.boosters`` and adds every public sampler and classifier they export,
named by :func:`remedy_name`.
"""

import importlib
import inspect
import re
import warnings
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from sklearn.base import ClassifierMixin, clone
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.utils.validation import has_fit_parameter

from ..pipeline import Pipeline
from ..utils._compat import XGBOOST_INSTALLED, require, routing_enabled
from ..utils._warnings import ImbtoolFutureWarning

FAMILIES = ("baseline", "weighting", "sampling", "threshold", "cost", "ensemble", "selection")
KINDS = ("sampler", "wrapper", "estimator", "standalone")
PRIORS = ("counted", "uniform")

# Where imbtool's remedies live, and the family each module contributes.
_IMBTOOL_MODULES = {
    "imbtool.over_sampling": "sampling",
    "imbtool.under_sampling": "sampling",
    "imbtool.combine": "sampling",
    "imbtool.threshold": "threshold",
    "imbtool.cost": "cost",
    "imbtool.ensemble": "ensemble",
    "imbtool.boosters": "cost",
}
# Complete classifiers, not wrappers of any estimator: a balanced forest's
# ``estimator`` must be a tree (it draws features per split), and EasyEnsemble's
# members are AdaBoost ensembles (Liu et al. 2009; with another estimator it is
# ``under_bagging``, and warns so).
_STANDALONE_CLASSES = {"BalancedRandomForestClassifier", "EasyEnsembleClassifier"}
# Settings that differ from a class's defaults, recorded in its source string.
# The threshold is tuned for F1, the benchmark's primary metric, as in the
# "Balancing the Scales" protocol; boosters run on the CPU so that results and
# timings do not depend on whether a GPU happens to be present.
_CLASS_PARAMS = {
    "TunedThresholdClassifier": {"scoring": "f1"},
    "LGBMImbalancedClassifier": {"device": "cpu"},
}
# Remedies that, with the settings above, are defined for two classes only, and why: the
# multiclass benchmark refuses them by name instead of reporting a failed fit.
_BINARY_ONLY = {
    "TunedThresholdClassifier": "it tunes one decision threshold for the F1 of the positive "
    "class (scoring='f1')",
}
# Class names the snake-case rule spells badly (runs of capitals).
_SPELLED = {
    "SMOTEENN": "smote_enn",
    "SMOTEIPF": "smote_ipf",
    "SMOTENC": "smote_nc",
    "SVMSMOTE": "svm_smote",
    "ProWSyn": "prowsyn",
}
# Names of the two former registries (the benchmark's and RemedySearchCV's):
# they keep working for one release, with a FutureWarning.
_ALIASES = {
    "smoteenn": "smote_enn",
    "smoteipf": "smote_ipf",
    "smotenc": "smote_nc",
    "svmsmote": "svm_smote",
    "pro_w_syn": "prowsyn",
    "random_under_sampling": "random_under_sampler",
}


def remedy_name(class_name):
    """The registry name of a class: snake case, without a ``Classifier`` suffix.

    Parameters
    ----------
    class_name : str
        Name of an imbtool class.

    Returns
    -------
    name : str

    Examples
    --------
    >>> from imbtool.remedies import remedy_name
    >>> remedy_name("RandomUnderSampler"), remedy_name("SMOTEENN")
    ('random_under_sampler', 'smote_enn')
    >>> remedy_name("SelfPacedEnsembleClassifier")
    'self_paced_ensemble'
    """
    if class_name in _SPELLED:
        return _SPELLED[class_name]
    name = re.sub(r"Classifier$", "", class_name)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return name.lower()


@dataclass
class Plan:
    """What a remedy makes of one estimator; ``estimator`` is None when it cannot apply.

    Parameters
    ----------
    name : str
        Registry name of the remedy.
    estimator : estimator or None, default=None
        The estimator with the remedy applied (unfitted); None when the remedy
        does not apply.
    reason : str, default=""
        Why the remedy does not apply, when ``estimator`` is None.
    prior : {"counted", "uniform"}, default="counted"
        The class prior the final model learns: the (weighted) class counts
        its final step was fitted on, or the uniform prior of ensembles that
        balance every member's data themselves.
    balance : bool, default=False
        Balanced sample weights are to be multiplied into the final step's
        weights.
    route : {"direct", "moved", "wrapper"}, default="direct"
        How the caller's fit params reach the estimator: under the same names,
        moved to the step ``"estimator"`` of a Pipeline, or ``sample_weight``
        only (a meta-classifier or a complete classifier).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.remedies import get_remedy
    >>> plan = get_remedy("smote").plan(LogisticRegression())
    >>> plan.route, plan.estimator.steps[0]
    ('moved', ('sampler', SMOTE()))
    """

    name: str
    estimator: object = None
    reason: str = ""
    # "counted": the (weighted) class counts the final step was fitted on; "uniform": the
    # prior of ensembles that balance every member's data themselves.
    prior: str = "counted"
    # True: balanced sample weights are to be multiplied into the final step's weights.
    balance: bool = False
    # How the caller's fit params reach it: "direct" (same names as for the estimator),
    # "moved" (a plain estimator became the step "estimator" of a Pipeline), "wrapper"
    # (a meta-classifier or a complete classifier: sample_weight only).
    route: str = "direct"


@dataclass(frozen=True, eq=False)
class Remedy:
    """A registered remedy.

    Parameters
    ----------
    name : str
        Registry name.
    build : callable
        ``build(estimator, random_state) -> estimator``; ``estimator`` is None
        for standalone remedies.
    family : str
        One of ``FAMILIES``.
    source : str
        The implementation, e.g. ``"imbtool.over_sampling.SMOTE"``.
    kind : str, default="wrapper"
        One of ``KINDS``: where the remedy acts, and so how fit params reach it.
    prior : str, default="counted"
        ``"counted"`` or ``"uniform"``: the class prior its final model learns.
    applies : callable or None, default=None
        ``applies(estimator) -> bool``; None means always.
    description : str, default=""
        One line for ``--list``.
    skips_ensembles : bool, default=False
        Leave estimators that are ensembles already alone (``"auto"`` in
        ``RemedySearchCV``, ensemble models in the benchmark): fifty random
        forests inside a Self-paced Ensemble is neither what the literature
        measures nor affordable.
    planner : callable or None, default=None
        ``planner(estimator, random_state, auto) -> Plan``, for remedies that
        decide per estimator; None uses ``build``.
    binary_only : str, default=""
        Why the remedy is defined for two classes only ("" when it takes any
        number of classes); the multiclass benchmark refuses it with this reason.

    Examples
    --------
    >>> from imbtool.remedies import get_remedy
    >>> remedy = get_remedy("smote")
    >>> remedy.family, remedy.kind, remedy.source
    ('sampling', 'sampler', 'imbtool.over_sampling.SMOTE')
    """

    name: str
    build: object
    family: str
    source: str
    kind: str = "wrapper"
    prior: str = "counted"
    applies: object = None
    description: str = ""
    skips_ensembles: bool = False
    # plan(estimator, random_state, auto) -> Plan, for remedies that decide per estimator.
    planner: object = None
    binary_only: str = ""

    @property
    def standalone(self):
        """Whether the remedy is a complete classifier that takes no estimator."""
        return self.kind == "standalone"

    def plan(self, estimator, random_state=None, *, auto=False):
        """What this remedy makes of ``estimator`` (unfitted, not modified).

        Parameters
        ----------
        estimator : classifier or Pipeline, or None for standalone remedies
        random_state : int, RandomState instance or None, default=None
            Set on the remedy's own ``random_state`` parameters.
        auto : bool, default=False
            The remedy was chosen by a default list rather than by name: a
            remedy with ``skips_ensembles`` leaves an ensemble estimator alone.

        Returns
        -------
        plan : Plan
        """
        if self.planner is not None:
            return self.planner(estimator, random_state, auto)
        if auto and self.skips_ensembles and is_ensemble(estimator):
            return Plan(self.name, reason=(
                f"{type(final_step(estimator)[1]).__name__} is an ensemble already; wrapping it "
                f"costs one of its fits per member (name {self.name!r} in remedies to run it "
                "anyway)"))
        if self.applies is not None and estimator is not None and not self.applies(estimator):
            return Plan(self.name, reason=f"{self.name} does not apply to "
                        f"{type(final_step(estimator)[1]).__name__}")
        inner = None if self.standalone or estimator is None else clone(estimator)
        route = {"sampler": "direct" if isinstance(estimator, SkPipeline) else "moved",
                 "estimator": "direct"}.get(self.kind, "wrapper")
        return Plan(self.name, self.build(inner, random_state), prior=self.prior, route=route)


@dataclass
class _State:
    remedies: dict = field(default_factory=dict)
    discovered: bool = False


_STATE = _State()


def _check_name(name):
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
        raise ValueError(
            f"name must be a non-empty string of letters, digits, '_', '.' or '-'; got {name!r}."
        )


def register_remedy(
    name, build, *, family, source, models=None, applies=None, description="", replace=False,
    wraps_ensembles=False, kind=None, prior="counted", binary_only="",
):
    """Register an imbalance remedy.

    Parameters
    ----------
    name : str
        Registry name.
    build : callable
        ``build(estimator, random_state) -> estimator``; called with a clone
        of the estimator.
    family : {"baseline", "weighting", "sampling", "threshold", "cost", "ensemble", "selection"}
        Kind of remedy, used in reports and in ``family:NAME`` patterns.
    source : str
        Dotted path of the implementation, recorded with every benchmark result.
    models : None or ("own",), default=None
        ``("own",)`` for a complete classifier that ignores the estimator
        (the same as ``kind="standalone"``).
    applies : callable, default=None
        ``applies(estimator) -> bool``: whether the remedy can wrap that estimator.
    description : str, default=""
        One line for ``python -m imbtool benchmark --list``.
    replace : bool, default=False
        Allow overwriting an existing entry.
    wraps_ensembles : bool, default=False
        For ``family="ensemble"``: also wrap estimators that are ensembles
        already, which the built-in ensemble remedies leave alone.
    kind : {"sampler", "wrapper", "estimator", "standalone"}, default=None
        Where the remedy acts (see the module docstring); None means
        "standalone" with ``models=("own",)``, else "wrapper".
    prior : {"counted", "uniform"}, default="counted"
        The class prior the remedy's final model learns.
    binary_only : str, default=""
        Why the remedy is defined for two classes only; "" when it takes any
        number of classes.

    Returns
    -------
    remedy : Remedy

    Examples
    --------
    >>> from imblearn.under_sampling import NearMiss
    >>> from imbtool.remedies import register_remedy, with_sampler, list_remedies
    >>> _ = register_remedy("imblearn_near_miss", lambda est, rs: with_sampler(est, NearMiss()),
    ...                     family="sampling", source="imblearn.under_sampling.NearMiss",
    ...                     kind="sampler", replace=True)
    >>> "imblearn_near_miss" in list_remedies()
    True
    """
    _check_name(name)
    if not callable(build):
        raise TypeError(f"build must be callable; got {build!r}.")
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}; got {family!r}.")
    if models not in (None, ("own",)):
        raise ValueError(f"models must be None or ('own',); got {models!r}.")
    if kind is None:
        kind = "standalone" if models == ("own",) else "wrapper"
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}.")
    if prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS}; got {prior!r}.")
    if not isinstance(binary_only, str):
        raise TypeError(f"binary_only must be a string (the reason, or \"\"); got {binary_only!r}.")
    if name in _ALIASES:
        raise ValueError(f"{name!r} is a former name of {_ALIASES[name]!r}; choose another name.")
    if name in _STATE.remedies and not replace:
        raise ValueError(f"A remedy named {name!r} is already registered; pass replace=True.")
    remedy = Remedy(name, build, family, str(source), kind=kind, prior=prior, applies=applies,
                    description=description,
                    skips_ensembles=family == "ensemble" and not wraps_ensembles,
                    binary_only=binary_only)
    _STATE.remedies[name] = remedy
    return remedy


def _add(remedy):
    _STATE.remedies[remedy.name] = remedy
    return remedy


def canonical_name(name):
    """The registry name of ``name``; a former name warns and gives its new name.

    Parameters
    ----------
    name : str

    Returns
    -------
    name : str
        Unchanged unless it is a former name.

    Examples
    --------
    >>> import warnings
    >>> from imbtool.remedies import canonical_name
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)  # the former name warns
    ...     canonical_name("smoteenn")
    'smote_enn'
    """
    if isinstance(name, str) and name in _ALIASES and name not in _STATE.remedies:
        new = _ALIASES[name]
        warnings.warn(f"The remedy name {name!r} is deprecated since 0.1 and will be removed "
                      f"in 0.2; use {new!r}.", ImbtoolFutureWarning, stacklevel=3)
        return new
    return name


def list_remedies(family=None):
    """Names of the registered remedies, sorted (imbtool's own are discovered first).

    Parameters
    ----------
    family : str, default=None
        Keep only this family.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from imbtool.remedies import list_remedies
    >>> {"none", "class_weight", "smote_enn", "focal_loss"} <= set(list_remedies())
    True
    """
    _discover()
    if family is not None and family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES} or None; got {family!r}.")
    return sorted(n for n, r in _STATE.remedies.items() if family is None or r.family == family)


def get_remedy(name):
    """Look a remedy up by name (former names warn); the error lists the valid names.

    Parameters
    ----------
    name : str

    Returns
    -------
    remedy : Remedy

    Examples
    --------
    >>> from imbtool.remedies import get_remedy
    >>> get_remedy("smote").source
    'imbtool.over_sampling.SMOTE'
    """
    _discover()
    try:
        return _STATE.remedies[canonical_name(name)]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown method {name!r}; valid methods are: {', '.join(list_remedies())}."
        ) from None


def select_remedies(patterns):
    """Expand names, shell patterns (``"*smote*"``) and ``family:NAME`` to remedy names.

    Parameters
    ----------
    patterns : iterable of str
        Each must match at least one registered remedy; former names warn.

    Returns
    -------
    names : list of str
        In the order given, without duplicates.

    Examples
    --------
    >>> from imbtool.remedies import select_remedies
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
            pattern = canonical_name(pattern)
            matched = [n for n in available if fnmatchcase(n, pattern)]
        if not matched:
            raise ValueError(
                f"Unknown method {pattern!r}; valid methods are: {', '.join(available)}"
                f" (or family:NAME with NAME in {FAMILIES})."
            )
        chosen += [n for n in matched if n not in chosen]
    return chosen


# ------------------------------------------------------------------ building


def final_step(estimator):
    """``(step name, final estimator)``; the name is None for a plain estimator."""
    if isinstance(estimator, SkPipeline):
        return estimator.steps[-1]
    return None, estimator


def is_ensemble(estimator):
    """Whether the final step of ``estimator`` has ``n_estimators`` (forests, boosters)."""
    return estimator is not None and "n_estimators" in final_step(estimator)[1].get_params(
        deep=False)


def _replace_final(estimator, new_final):
    if isinstance(estimator, SkPipeline):
        return Pipeline(list(estimator.steps[:-1]) + [(estimator.steps[-1][0], new_final)])
    return new_final


def with_sampler(estimator, sampler):
    """Put ``sampler`` just before the final step, in an :class:`imbtool.pipeline.Pipeline`.

    Parameters
    ----------
    estimator : classifier or Pipeline
        A pipeline keeps its preprocessing steps first; a plain classifier
        becomes the step ``"estimator"``.
    sampler : object with ``fit_resample``
        The sampler, step ``"sampler"``.

    Returns
    -------
    pipeline : imbtool.pipeline.Pipeline

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from imbtool.over_sampling import SMOTE
    >>> from imbtool.pipeline import make_pipeline
    >>> from imbtool.remedies import with_sampler
    >>> [name for name, _ in with_sampler(DecisionTreeClassifier(), SMOTE()).steps]
    ['sampler', 'estimator']
    >>> model = make_pipeline(StandardScaler(), DecisionTreeClassifier())
    >>> [name for name, _ in with_sampler(model, SMOTE()).steps]
    ['standardscaler', 'sampler', 'decisiontreeclassifier']
    """
    head = list(estimator.steps[:-1]) if isinstance(estimator, SkPipeline) else []
    name, final = final_step(estimator)
    return Pipeline(head + [("sampler", sampler), (name or "estimator", final)])


def seeded(estimator, random_state):
    """Set every ``random_state`` parameter of ``estimator`` (nested ones too); None: unchanged."""
    if random_state is None:
        return estimator
    keys = [k for k in estimator.get_params(deep=True)
            if k == "random_state" or k.endswith("__random_state")]
    return estimator.set_params(**{k: random_state for k in keys})


def class_weight_keys(estimator):
    """The ``class_weight`` parameters of ``estimator`` (nested ones too)."""
    return [k for k in estimator.get_params(deep=True)
            if k == "class_weight" or k.endswith("__class_weight")]


def _class_weight(estimator, random_state, auto):
    keys = class_weight_keys(estimator)
    if keys:
        # The estimator multiplies these with any sample_weight it is given.
        return Plan("class_weight", clone(estimator).set_params(**{k: "balanced" for k in keys}))
    final = final_step(estimator)[1]
    if has_fit_parameter(final, "sample_weight"):
        return Plan("class_weight", clone(estimator), balance=True)
    return Plan("class_weight", reason=(
        f"{type(final).__name__} has no class_weight parameter and its fit takes no sample_weight"))


def _booster_loss(name, loss, params):
    """The planner of remedy ``name``: a LightGBM / XGBoost booster trained on ``loss``.

    ``params``: further booster parameters of the remedy (class weights and their schedule).
    """
    def plan(estimator, random_state, auto):
        final = final_step(estimator)[1]
        boosters = []
        try:
            from lightgbm import LGBMClassifier

            from ..boosters import LGBMImbalancedClassifier
            boosters.append((LGBMClassifier, LGBMImbalancedClassifier, _lightgbm_settings))
        except ImportError:
            pass
        if XGBOOST_INSTALLED:
            from ..boosters import XGBImbalancedClassifier
            boosters.append((require("xgboost", name).XGBClassifier, XGBImbalancedClassifier,
                             _xgboost_settings))
        for source, target, settings in boosters:
            if isinstance(final, source):
                booster = seeded(target(loss=loss, **{**settings(final, target), **params}),
                                 random_state)
                return Plan(name, _replace_final(estimator, _same_request(booster, final)))
        missing = "" if XGBOOST_INSTALLED else "; xgboost is not installed"
        return Plan(name, reason=(
            f"{name.replace('_', ' ')} needs a LightGBM or XGBoost booster (lightgbm."
            f"LGBMClassifier or xgboost.XGBClassifier{missing}); got {type(final).__name__}"))

    return plan


def _lightgbm_settings(final, target):
    shared = target().get_params(deep=False)
    return {**{k: v for k, v in final.get_params(deep=False).items()
               if k in shared and k not in ("class_weight", "device", "loss")}, "device": "cpu"}


# XGBClassifier settings that are XGBoost training parameters with no
# XGBImbalancedClassifier parameter of their own: they go to booster_params.
_XGB_BOOSTER_PARAMS = ("gamma", "max_bin", "max_leaves", "grow_policy", "reg_alpha",
                       "colsample_bylevel", "colsample_bynode", "max_delta_step", "tree_method")


def _xgboost_settings(final, target):
    # XGBClassifier leaves unset settings None (XGBoost's defaults); those stay the target's.
    given = {k: v for k, v in final.get_params(deep=False).items() if v is not None}
    shared = target().get_params(deep=False)
    settings = {k: v for k, v in given.items()
                if k in shared and k not in ("class_weight", "device", "loss", "booster_params")}
    extra = {k: given[k] for k in _XGB_BOOSTER_PARAMS if k in given}
    on_gpu = str(given.get("device", "cpu")).startswith(("cuda", "gpu"))
    return {**settings, "booster_params": extra or None, "device": "gpu" if on_gpu else "cpu"}


def _same_request(booster, final):
    """Give the booster the final step's sample_weight request (metadata routing)."""
    if routing_enabled():
        request = final.get_metadata_routing().fit.requests.get("sample_weight")
        if request is not None:
            booster.set_fit_request(sample_weight=request)
    return booster


def _sampler_builder(cls):
    def build(estimator, random_state):
        return with_sampler(estimator, seeded(cls(), random_state))

    return build


def _wrapper_builder(cls, param):
    def build(estimator, random_state):
        remedy = cls(**{param: estimator}, **_CLASS_PARAMS.get(cls.__name__, {}))
        return seeded(remedy, random_state)

    return build


def _standalone_builder(cls):
    def build(estimator, random_state):
        return seeded(cls(**_CLASS_PARAMS.get(cls.__name__, {})), random_state)

    return build


def _source(module_name, cls):
    cls_name = cls.__name__
    params = _CLASS_PARAMS.get(cls_name, {})
    settings = ", ".join(f"{k}={v!r}" for k, v in params.items())
    return f"{module_name}.{cls_name}" + (f"({settings})" if params else "")


def _remedy_from_class(cls, family, source):
    """The remedy a public imbtool class provides, or None if it is not one."""
    # Ensembles of imbtool balance each member's data (their documented default).
    prior = "uniform" if family == "ensemble" else "counted"
    if hasattr(cls, "fit_resample"):
        return dict(build=_sampler_builder(cls), family="sampling", source=source, kind="sampler")
    if not issubclass(cls, ClassifierMixin):
        return None
    binary_only = _BINARY_ONLY.get(cls.__name__, "")
    params = inspect.signature(cls.__init__).parameters
    inner = next((p for p in ("estimator", "classifier", "base_estimator") if p in params), None)
    if inner is not None and cls.__name__ not in _STANDALONE_CLASSES:
        return dict(build=_wrapper_builder(cls, inner), family=family, source=source,
                    kind="wrapper", prior=prior, binary_only=binary_only)
    return dict(build=_standalone_builder(cls), family=family, source=source,
                kind="standalone", prior=prior, binary_only=binary_only)


def _discover():
    if _STATE.discovered:
        return
    # Set first: registering looks names up, which must not start discovery again.
    _STATE.discovered = True
    try:
        for module_name, family in _IMBTOOL_MODULES.items():
            module = importlib.import_module(module_name)
            for public in module.__all__:
                cls = getattr(module, public)
                if not inspect.isclass(cls) or inspect.isabstract(cls):
                    continue
                spec = _remedy_from_class(cls, family, _source(module_name, cls))
                if spec is not None:
                    first_line = (inspect.getdoc(cls) or "").split("\n")[0]
                    register_remedy(remedy_name(public), description=first_line,
                                    replace=True, **spec)
    except BaseException:
        # A half-filled registry would answer "unknown remedy" for names it never reached.
        _STATE.discovered = False
        raise


def _planned(planner):
    """``build`` of a remedy that decides per estimator: its plan's estimator, or the reason."""
    def build(estimator, random_state):
        plan = planner(estimator, random_state, False)
        if plan.estimator is None:
            raise ValueError(f"{plan.name} cannot be applied: {plan.reason}.")
        return plan.estimator

    return build


_add(Remedy("none", lambda estimator, random_state: estimator, "baseline", "-",
            kind="estimator", description="no intervention"))
_add(Remedy(
    "class_weight", _planned(_class_weight), "weighting", "class_weight='balanced'",
    kind="estimator", planner=_class_weight,
    description="inverse-frequency class weights in the loss (class_weight='balanced', else "
    "balanced sample weights)"))
# The boosters' losses, each for a LightGBM or XGBoost estimator whose settings it copies.
# All learn the counted prior; the logit-adjusted loss (like LogitAdjustedClassifier) divides
# it by pi**tau and declares that as the fitted ``logit_adjustment_``, which RemedySearchCV
# reads, so the correction is exact for every tau.
_BOOSTER_LOSSES = {
    "focal_loss": ("focal", "focal loss", {}),
    "ldam_loss": ("ldam", "LDAM loss (label-distribution-aware margins)", {}),
    # Cao et al. pair LDAM with deferred re-weighting (DRW): class-balanced weights (effective
    # number, the boosters' default beta=0.999) switched on late. They start them at 80% of
    # the epochs; half the rounds here, the setting benchmarks/bench_losses.py measured.
    "ldam_drw_loss": ("ldam", "LDAM loss with deferred re-weighting (class-balanced weights "
                      "from half the rounds on)",
                      {"class_weight": "effective_number", "class_weight_start": 0.5}),
    "logit_adjusted_loss": ("logit_adjusted", "logit-adjusted loss (tau=1)", {}),
    "dice_loss": ("dice", "dice loss", {}),
}
for _name, (_loss, _what, _params) in _BOOSTER_LOSSES.items():
    _plan = _booster_loss(_name, _loss, _params)
    _settings = "".join(f", {k}={v!r}" for k, v in _params.items())
    _add(Remedy(
        _name, _planned(_plan), "cost", f"imbtool.boosters (loss={_loss!r}{_settings})",
        kind="estimator", planner=_plan,
        description=f"{_what} for a LightGBM or XGBoost booster, its settings copied"))
