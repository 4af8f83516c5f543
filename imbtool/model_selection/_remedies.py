"""How ``RemedySearchCV`` turns its ``remedies`` into candidates, and what each learned.

Remedies named by string come from the one registry, :mod:`imbtool.remedies`,
which also says where each acts (sampler before the final step, wrapper,
changed estimator, standalone classifier), which class prior its final model
learns, and whether "auto" leaves ensemble estimators alone. Objects given as
remedies (samplers, classifiers) are placed the same way. Each candidate also
binds the fit params given to the search (``bind``), so the refitted model's
``predict_proba`` can be moved back to the true prior.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import has_fit_parameter

from ..pipeline import Pipeline
from ..remedies import Plan, canonical_name, get_remedy, list_remedies, with_sampler
from ..remedies._registry import final_step as _final_step
from ..remedies._registry import seeded as _seeded
from ..utils import resample_aligned

# Built-in remedies in the order "auto" tries them.
REMEDY_NAMES = (
    "none",
    "class_weight",
    "random_under_sampler",
    "smote",
    "borderline_smote",
    "smote_enn",
    "self_paced_ensemble",
    "under_bagging",
    "focal_loss",
)
# "auto" tries one ensemble wrapper: Self-paced Ensemble (CLIMB's strongest family).
AUTO_REMEDIES = tuple(n for n in REMEDY_NAMES if n != "under_bagging")
# Members of the ensemble remedies named in the search learn on balanced subsets.
_ENSEMBLE_MEMBERS = 10


@dataclass
class Candidate(Plan):
    """One remedy to evaluate: ``estimator`` is None when it was skipped (``reason``)."""

    # Filled by bind(): the candidate's own fit params, and the key among them that
    # carries the final step's sample weights ("" when it gets none).
    fit_params: dict = None
    weight_key: str = ""
    # Skipped because "auto" does not apply the remedy to this estimator (by design).
    inapplicable: bool = False


def _builtin(name, estimator, random_state, auto):
    """The candidate of a registered remedy name."""
    remedy = get_remedy(name)
    plan = remedy.plan(estimator, random_state, auto=auto)
    if remedy.family == "ensemble" and remedy.kind == "wrapper" and plan.estimator is not None:
        members = plan.estimator.get_params(deep=False)
        if "n_estimators" in members:
            plan.estimator.set_params(n_estimators=_ENSEMBLE_MEMBERS)
    return Candidate(**vars(plan))


def _snake(obj):
    return type(obj).__name__.lower()


def _from_object(remedy, estimator, random_state):
    if hasattr(remedy, "fit_resample"):
        sampler = _seeded(clone(remedy), random_state)
        return Candidate(_snake(remedy), with_sampler(estimator, sampler),
                         route="direct" if isinstance(estimator, SkPipeline) else "moved")
    if is_classifier(remedy) or hasattr(remedy, "predict"):
        params = remedy.get_params(deep=False)
        remedy = _seeded(clone(remedy), random_state)
        if "estimator" in params and params["estimator"] is None:
            remedy.set_params(estimator=clone(estimator))
        # Ensembles of these libraries balance each member's data (their documented default).
        balancing = type(remedy).__module__.startswith(("imbtool.ensemble", "imblearn.ensemble"))
        return Candidate(_snake(remedy), remedy, prior="uniform" if balancing else "counted",
                         route="wrapper")
    raise _invalid(
        f"A remedy must be a registered name ({', '.join(REMEDY_NAMES)}, ... see "
        "imbtool.remedies.list_remedies()), a sampler (with fit_resample), a "
        f"classifier or meta-classifier, or a (remedy, param_grid) pair; got {remedy!r}."
    )


def _invalid(message):
    return InvalidParameterError(f"The 'remedies' parameter of RemedySearchCV: {message}")


def _check_name(name):
    """The registry name of ``name`` (a former name warns); the error lists the valid ones."""
    name = canonical_name(name)
    names = list_remedies()
    if name not in names:
        raise _invalid(
            f"Unknown remedy {name!r}; valid remedy names are: {', '.join(REMEDY_NAMES)}, "
            f"{', '.join(n for n in names if n not in REMEDY_NAMES)} (or pass a sampler / "
            "classifier object, or a (remedy, param_grid) pair)."
        )
    return name


def check_remedies(remedies):
    """``(items, auto)``: the ``(remedy, param_grid)`` pairs of ``remedies``, names canonical.

    Raises ``InvalidParameterError`` (naming ``remedies``) for an unknown name, an
    object that is no remedy, or an empty list; former names warn.
    """
    if isinstance(remedies, str):
        if remedies != "auto":
            raise _invalid(f"must be 'auto' or a list of remedies; got {remedies!r}.")
        return [(name, None) for name in AUTO_REMEDIES], True
    items = []
    for item in remedies:
        remedy, grid = item if isinstance(item, tuple) else (item, None)
        if isinstance(remedy, str):
            remedy = _check_name(remedy)
        elif not (hasattr(remedy, "fit_resample") or is_classifier(remedy)
                  or hasattr(remedy, "predict")):
            _from_object(remedy, None, None)  # raises the error that lists what a remedy is
        items.append((remedy, grid))
    if not items:
        raise _invalid("is empty; give at least one remedy or 'auto'.")
    return items, False


def _grid_target(candidate, remedy):
    """The object a param grid acts on: the sampler, the wrapper or the classifier."""
    estimator = candidate.estimator
    if isinstance(estimator, Pipeline) and "sampler" in estimator.named_steps and (
            isinstance(remedy, str) or hasattr(remedy, "fit_resample")):
        return estimator.named_steps["sampler"]
    return _final_step(estimator)[1]


def build_candidates(remedies, estimator, random_state, params=None, routing=False):
    """Candidates in order, skipped ones included with their reason.

    ``remedies``: what :func:`check_remedies` made of the search's ``remedies``
    (names, objects and ``(remedy, param_grid)`` pairs); grid parameters are set
    on the remedy object (sampler, wrapper, or the classifier for "none",
    "class_weight" and "focal_loss"). ``params``: fit params meant for
    ``estimator.fit``, bound to each candidate.
    """
    items, auto = remedies
    candidates = []
    for remedy, grid in items:
        if isinstance(remedy, str):
            candidate = _builtin(remedy, estimator, random_state, auto)
            candidate.inapplicable = auto and candidate.estimator is None
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
                raise _invalid(f"param_grid of remedy {candidate.name!r}: {exc}") from None
            settings = ", ".join(f"{k}={v!r}" for k, v in sorted(point.items()))
            variant.name = f"{candidate.name}({settings})"
            candidates.append(variant)
    names = [c.name for c in candidates]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise _invalid(f"holds {duplicated} more than once; give each remedy once.")
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
    balance each member's data. A final step that declares a logit adjustment
    (``logit_adjustment_``: ``LogitAdjustedClassifier``, a booster on the
    logit-adjusted loss) learned the counted prior divided by
    ``exp(logit_adjustment_)``. When a class got no weight the data's prior is
    used (nothing is corrected).
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
        shift = getattr(final, "logit_adjustment_", None)
        if shift is not None and np.all(training > 0):
            # Why the prior is pi**(1 - tau): a model of the counted prior pi estimates
            # p(c|x) = pi_c f_c(x) / Z(x) (f_c: the class densities). Post-hoc adjustment
            # divides it by pi_c**tau and renormalises: pi_c**(1 - tau) f_c(x) / Z'(x), Bayes'
            # rule for the prior pi**(1 - tau). The logit-adjusted loss fits
            # softmax(z + tau log pi) to p(c|x), so softmax(z) is the same quantity. So the
            # prior these probabilities hold is the counted one times exp(-tau log pi):
            # uniform at tau=1 only, the counted one at tau=0.
            log_prior = np.log(training) - shift
            training = np.exp(log_prior - log_prior.max())
    if not (np.all(training > 0) and np.all(deployment > 0)):
        training = deployment
    return training / training.sum(), deployment / deployment.sum()
