"""The remedies ``RemedySearchCV`` can try, and how each is put around the estimator.

A remedy is one of three kinds, by where it acts:

- ``"sampler"``: an object with ``fit_resample``, inserted just before the
  final step of an imbalanced-learn ``Pipeline`` (after any preprocessing of
  the estimator's own pipeline), so it resamples the training data it is
  fitted on and nothing else;
- ``"wrapper"``: a meta-classifier whose ``estimator`` is left ``None``; the
  search's estimator is put there;
- ``"estimator"``: a complete classifier used as it is (class weights and
  focal loss are built as such).

Each candidate also says which class prior its final model learns, so the
refitted model's ``predict_proba`` can be moved back to the true prior, and
how the fit params given to the search reach it (``bind``).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metadata_routing import _routing_enabled
from sklearn.utils.validation import has_fit_parameter

from ..pipeline import Pipeline
from ..utils import resample_aligned
from ..utils._compat import XGBOOST_INSTALLED, require

# Built-in remedies in the order "auto" tries them.
REMEDY_NAMES = (
    "none",
    "class_weight",
    "random_under_sampling",
    "smote",
    "borderline_smote",
    "smote_enn",
    "self_paced_ensemble",
    "balanced_bagging",
    "focal_loss",
)
# "auto" tries one ensemble wrapper: Self-paced Ensemble (CLIMB's strongest family).
AUTO_REMEDIES = tuple(n for n in REMEDY_NAMES if n != "balanced_bagging")
# Members of the built-in ensembles learn on balanced subsets.
_ENSEMBLE_MEMBERS = 10


@dataclass
class Candidate:
    """One remedy to evaluate: ``estimator`` is None when it was skipped (``reason``)."""

    name: str
    estimator: object = None
    reason: str = ""
    # "counted": the (weighted) class counts the final step was fitted on; "uniform": the
    # documented prior of ensembles that balance every member's data themselves.
    prior: str = "counted"
    # True: balanced sample weights are multiplied into the final step's weights.
    balance: bool = False
    # How the search's fit params reach the candidate: "direct" (same names as for the
    # estimator), "moved" (a plain estimator became the step "estimator" of a Pipeline),
    # "wrapper" (a meta-classifier or user classifier: sample_weight only).
    route: str = "direct"
    # Filled by bind(): the candidate's own fit params, and the key among them that
    # carries the final step's sample weights ("" when it gets none).
    fit_params: dict = None
    weight_key: str = ""


def _final_step(estimator):
    if isinstance(estimator, SkPipeline):
        return estimator.steps[-1]
    return None, estimator


def _replace_final(estimator, new_final):
    if isinstance(estimator, SkPipeline):
        return Pipeline(list(estimator.steps[:-1]) + [(estimator.steps[-1][0], new_final)])
    return new_final


def _with_sampler(estimator, sampler):
    head = list(estimator.steps[:-1]) if isinstance(estimator, SkPipeline) else []
    name, final = _final_step(estimator)
    return Pipeline(head + [("sampler", sampler), (name or "estimator", final)])


def _is_ensemble(estimator):
    final = _final_step(estimator)[1]
    return "n_estimators" in final.get_params(deep=False)


def _class_weight(estimator, random_state, auto):
    keys = [k for k in estimator.get_params(deep=True)
            if k == "class_weight" or k.endswith("__class_weight")]
    if keys:
        # The estimator multiplies these with any sample_weight it is given.
        return Candidate("class_weight", clone(estimator).set_params(
            **{k: "balanced" for k in keys}))
    final = _final_step(estimator)[1]
    if has_fit_parameter(final, "sample_weight"):
        return Candidate("class_weight", clone(estimator), balance=True)
    return Candidate("class_weight", reason=(
        f"{type(final).__name__} has no class_weight parameter and its fit takes no sample_weight"))


def _sampler(name, sampler):
    def build(estimator, random_state, auto):
        return Candidate(name, _with_sampler(estimator, _seeded(sampler(), random_state)),
                         route=_sampler_route(estimator))
    return build


def _sampler_route(estimator):
    return "direct" if isinstance(estimator, SkPipeline) else "moved"


def _ensemble(name, cls):
    def build(estimator, random_state, auto):
        if auto and _is_ensemble(estimator):
            return Candidate(name, reason=(
                f"{type(_final_step(estimator)[1]).__name__} is an ensemble already; wrapping it "
                f"costs {_ENSEMBLE_MEMBERS} of its fits per fold (name {name!r} in remedies to "
                "run it anyway)"))
        wrapper = cls(estimator=clone(estimator), n_estimators=_ENSEMBLE_MEMBERS)
        return Candidate(name, _seeded(wrapper, random_state), prior="uniform", route="wrapper")
    return build


def _focal(estimator, random_state, auto):
    final = _final_step(estimator)[1]
    boosters = []
    try:
        from lightgbm import LGBMClassifier

        from ..boosters import LGBMImbalancedClassifier
        boosters.append((LGBMClassifier, LGBMImbalancedClassifier, _lightgbm_settings))
    except ImportError:
        pass
    if XGBOOST_INSTALLED:
        from ..boosters import XGBImbalancedClassifier
        boosters.append((require("xgboost", "focal_loss").XGBClassifier, XGBImbalancedClassifier,
                         _xgboost_settings))
    for source, target, settings in boosters:
        if isinstance(final, source):
            booster = _seeded(target(loss="focal", **settings(final, target)), random_state)
            return Candidate("focal_loss", _replace_final(estimator, _same_request(booster, final)))
    missing = "" if XGBOOST_INSTALLED else "; xgboost is not installed"
    return Candidate("focal_loss", reason=(
        "focal loss needs a LightGBM or XGBoost booster (lightgbm.LGBMClassifier or "
        f"xgboost.XGBClassifier{missing}); got {type(final).__name__}"))


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
    if _routing_enabled():
        request = final.get_metadata_routing().fit.requests.get("sample_weight")
        if request is not None:
            booster.set_fit_request(sample_weight=request)
    return booster


def _builtin(name):
    """``build(estimator, random_state, auto) -> Candidate`` of a built-in remedy name."""
    from ..combine import SMOTEENN
    from ..ensemble import SelfPacedEnsembleClassifier, UnderBaggingClassifier
    from ..over_sampling import SMOTE, BorderlineSMOTE
    from ..under_sampling import RandomUnderSampler

    return {
        "none": lambda estimator, random_state, auto: Candidate("none", clone(estimator)),
        "class_weight": _class_weight,
        "random_under_sampling": _sampler("random_under_sampling", RandomUnderSampler),
        "smote": _sampler("smote", SMOTE),
        "borderline_smote": _sampler("borderline_smote", BorderlineSMOTE),
        "smote_enn": _sampler("smote_enn", SMOTEENN),
        "self_paced_ensemble": _ensemble("self_paced_ensemble", SelfPacedEnsembleClassifier),
        "balanced_bagging": _ensemble("balanced_bagging", UnderBaggingClassifier),
        "focal_loss": _focal,
    }[name]


def _seeded(estimator, random_state):
    if random_state is None:
        return estimator
    keys = [k for k in estimator.get_params(deep=True)
            if k == "random_state" or k.endswith("__random_state")]
    return estimator.set_params(**{k: random_state for k in keys})


def _snake(obj):
    return type(obj).__name__.lower()


def _from_object(remedy, estimator, random_state):
    if hasattr(remedy, "fit_resample"):
        sampler = _seeded(clone(remedy), random_state)
        return Candidate(_snake(remedy), _with_sampler(estimator, sampler),
                         route=_sampler_route(estimator))
    if is_classifier(remedy) or hasattr(remedy, "predict"):
        params = remedy.get_params(deep=False)
        remedy = _seeded(clone(remedy), random_state)
        if "estimator" in params and params["estimator"] is None:
            remedy.set_params(estimator=clone(estimator))
        # Ensembles of these libraries balance each member's data (their documented default).
        balancing = type(remedy).__module__.startswith(("imbtool.ensemble", "imblearn.ensemble"))
        return Candidate(_snake(remedy), remedy, prior="uniform" if balancing else "counted",
                         route="wrapper")
    raise TypeError(
        f"A remedy must be a name ({', '.join(REMEDY_NAMES)}), a sampler (with fit_resample), a "
        f"classifier or meta-classifier, or a (remedy, param_grid) pair; got {remedy!r}."
    )


def _check_name(name):
    if name not in REMEDY_NAMES:
        raise ValueError(
            f"Unknown remedy {name!r}; valid remedy names are: {', '.join(REMEDY_NAMES)} "
            "(or pass a sampler / classifier object, or a (remedy, param_grid) pair)."
        )


def _grid_target(candidate, remedy):
    """The object a param grid acts on: the sampler, the wrapper or the classifier."""
    estimator = candidate.estimator
    if isinstance(estimator, Pipeline) and "sampler" in estimator.named_steps and (
            isinstance(remedy, str) or hasattr(remedy, "fit_resample")):
        return estimator.named_steps["sampler"]
    return _final_step(estimator)[1]


def build_candidates(remedies, estimator, random_state, params=None, routing=False):
    """Candidates in order, skipped ones included with their reason.

    ``remedies``: "auto", or a list of names, objects and ``(remedy, param_grid)``
    pairs; grid parameters are set on the remedy object (sampler, wrapper, or
    the classifier for "none", "class_weight" and "focal_loss"). ``params``:
    fit params meant for ``estimator.fit``, bound to each candidate.
    """
    auto = isinstance(remedies, str) and remedies == "auto"
    if isinstance(remedies, str) and not auto:
        raise ValueError(f"remedies must be 'auto' or a list of remedies; got {remedies!r}.")
    items = AUTO_REMEDIES if auto else list(remedies)
    if not items:
        raise ValueError("remedies is empty; give at least one remedy or 'auto'.")
    candidates = []
    for item in items:
        remedy, grid = item if isinstance(item, tuple) else (item, None)
        if isinstance(remedy, str):
            _check_name(remedy)
            candidate = _builtin(remedy)(estimator, random_state, auto)
        else:
            candidate = _from_object(remedy, estimator, random_state)
        if grid is None or candidate.estimator is None:
            candidates.append(candidate)
            continue
        for point in ParameterGrid(grid):
            variant = Candidate(**{**vars(candidate), "estimator": clone(candidate.estimator)})
            try:
                _grid_target(variant, remedy).set_params(**point)
            except ValueError as exc:
                raise ValueError(f"param_grid of remedy {candidate.name!r}: {exc}") from None
            settings = ", ".join(f"{k}={v!r}" for k, v in sorted(point.items()))
            variant.name = f"{candidate.name}({settings})"
            candidates.append(variant)
    names = [c.name for c in candidates]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"remedies holds {duplicated} more than once; give each remedy once.")
    return [bind(c, estimator, params or {}, routing) for c in candidates]


def _final_weight_key(estimator, routing):
    """Name under which ``estimator.fit`` hands sample weights to its final step, or ""."""
    name, final = _final_step(estimator)
    if name is None:
        return "sample_weight"
    if not routing:
        return f"{name}__sample_weight"
    request = final.get_metadata_routing().fit.requests.get("sample_weight")
    return "sample_weight" if request is True else request if isinstance(request, str) else ""


# Metadata routing alias of the class weight remedy's weights for a Pipeline's final step.
_BALANCED_KEY = "remedy_sample_weight"


def bind(candidate, estimator, params, routing):
    """Set ``candidate.fit_params`` from the search's fit ``params``, or skip it with a reason.

    ``params`` are those meant for ``estimator.fit`` (routed to it when metadata
    routing is enabled). A sampler candidate of a plain estimator gets them
    under the step name "estimator" (its Pipeline carries row-aligned ones
    through the sampler); wrappers and user classifiers get the final step's
    sample weights as their own ``sample_weight`` and nothing else.
    """
    if candidate.estimator is None:
        return candidate
    user_key = _final_weight_key(estimator, routing)
    if candidate.route == "wrapper":
        others = sorted(k for k in params if k != user_key)
        if others:
            candidate.estimator, candidate.reason = None, (
                f"fit params {others} cannot be passed to {type(candidate.estimator).__name__}, "
                "which takes the estimator's sample weights only")
            return candidate
        candidate.weight_key = "sample_weight"
        candidate.fit_params = {}
        if user_key in params:
            wrapper = candidate.estimator
            member = wrapper.get_params(deep=False).get("estimator")
            if not has_fit_parameter(wrapper, "sample_weight"):
                reason = f"{type(wrapper).__name__}.fit takes no sample_weight"
            elif member is not None and not has_fit_parameter(member, "sample_weight"):
                reason = (f"{type(wrapper).__name__} passes sample_weight to its members' fit, "
                          f"which {type(member).__name__}.fit does not take by that name")
            else:
                candidate.fit_params = {"sample_weight": params[user_key]}
                return candidate
            candidate.estimator, candidate.reason = None, reason
        return candidate
    prefix = "estimator__" if candidate.route == "moved" and not routing else ""
    candidate.fit_params = {prefix + k: v for k, v in params.items()}
    key = _final_weight_key(candidate.estimator, routing)
    if candidate.balance and routing and isinstance(candidate.estimator, SkPipeline):
        # The balanced weights are for the final step alone: it asks for them under a
        # name of their own, which no other step consumes.
        candidate.estimator = clone(candidate.estimator)
        _final_step(candidate.estimator)[1].set_fit_request(sample_weight=_BALANCED_KEY)
        params = dict(candidate.fit_params)
        given = params.get(key) if key else None
        if key and not candidate.estimator.get_metadata_routing().consumes("fit", [key]):
            del params[key]  # the final step was its only consumer
        candidate.fit_params = {**params, **({} if given is None else {_BALANCED_KEY: given})}
        key = _BALANCED_KEY
    candidate.weight_key = key
    return candidate


def fold_fit_params(candidate, fit_params, y):
    """Fit params of a candidate on training labels ``y``, balanced weights multiplied in."""
    if not candidate.balance:
        return fit_params
    balanced = compute_sample_weight("balanced", y)
    given = fit_params.get(candidate.weight_key)
    return {**fit_params, candidate.weight_key: balanced if given is None else
            balanced * np.asarray(given, dtype=np.float64)}


def seen_by_final_step(fitted, X, y, weight):
    """Labels and weights (None: unweighted) that the final step of ``fitted`` was fitted on.

    Every sampler of a fitted Pipeline records which rows it kept and which
    rows seeded its synthetic ones (``sample_indices_``, ``synthetic_sources_``):
    labels and weights follow them as :class:`imbtool.pipeline.Pipeline` carried
    the weights, without resampling again. Pipelines holding a sampler that
    records none are resampled again (with clones of the fitted samplers, so
    a seeded sampler gives the same rows) to count the labels.
    """
    if not isinstance(fitted, SkPipeline):
        return y, weight
    steps = [s for _, s in fitted.steps[:-1] if s is not None and s != "passthrough"]
    samplers = [s for s in steps if hasattr(s, "fit_resample")]
    y = np.asarray(y)
    if all(hasattr(s, "sample_indices_") for s in samplers):
        rule = "seed"
        if isinstance(fitted, Pipeline):
            rule = fitted._rule(fitted._check_aligned_rules(), fitted.steps[-1][0], "sample_weight")
        for sampler in samplers:
            y = np.asarray(resample_aligned(sampler, y))
            if weight is not None:
                weight = np.asarray(resample_aligned(sampler, weight, rule=rule))
        return y, weight
    Xt = X
    for step in steps:
        if hasattr(step, "fit_resample"):
            Xt, y = clone(step).fit_resample(Xt, y)
        else:
            Xt = step.transform(Xt)
    return np.asarray(y), None


def _class_mass(y, weight, classes, class_weight=None):
    y = np.asarray(y)
    mass = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    if isinstance(class_weight, dict) or class_weight in ("balanced", "balanced_subsample"):
        # As scikit-learn applies class_weight: on the labels the model is fitted on.
        mass = mass * compute_sample_weight(
            "balanced" if isinstance(class_weight, str) else class_weight, y)
    return np.array([mass[y == c].sum() for c in classes], dtype=float)


def priors(candidate, fitted, X, y, classes, fit_params=None):
    """``(training prior, deployment prior)`` of a candidate fitted on ``X, y``.

    The deployment prior is the class frequency of ``y`` (weighted by the
    sample weights given for the estimator's final step). The training prior
    is the one the final step learned: the weighted class counts it was
    fitted on (after every sampler of the pipeline, with the weights it was
    given and its own ``class_weight``), or uniform for ensembles that
    balance each member's data. When a class got no weight the data's prior
    is used (nothing is corrected).
    """
    fit_params = dict(fit_params or {})
    key = candidate.weight_key
    if key and fit_params.get(key) is not None:
        # One weight per row, also for a scalar weight, so weights follow the samplers' rows.
        fit_params[key] = np.broadcast_to(np.asarray(fit_params[key], dtype=np.float64), len(y))
    given = fit_params.get(key) if key else None
    weight = fold_fit_params(candidate, fit_params, y).get(key) if key else None
    deployment = _class_mass(y, given, classes)
    if candidate.prior == "uniform":
        training = np.ones(classes.size)
    else:
        y_final, w_final = seen_by_final_step(fitted, X, y, weight)
        final = _final_step(fitted)[1]
        training = _class_mass(y_final, w_final, classes,
                               final.get_params(deep=False).get("class_weight"))
    if not (np.all(training > 0) and np.all(deployment > 0)):
        training = deployment
    return training / training.sum(), deployment / deployment.sum()
