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
refitted model's ``predict_proba`` can be moved back to the true prior.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline as SkPipeline
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import has_fit_parameter

from ..pipeline import Pipeline

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
    # "observed": the class counts the final step saw; "uniform": balanced;
    # "data": no shift (nothing is corrected).
    prior: str = "data"
    # Fit parameter that takes balanced sample weights ("" when none is passed).
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
        weighted = clone(estimator).set_params(**{k: "balanced" for k in keys})
        return Candidate("class_weight", weighted, prior="uniform")
    name, final = _final_step(estimator)
    if has_fit_parameter(final, "sample_weight"):
        key = f"{name}__sample_weight" if name else "sample_weight"
        return Candidate("class_weight", clone(estimator), prior="uniform", weight_key=key)
    return Candidate("class_weight", reason=(
        f"{type(final).__name__} has no class_weight parameter and its fit takes no sample_weight"))


def _sampler(name, sampler):
    def build(estimator, random_state, auto):
        return Candidate(name, _with_sampler(estimator, _seeded(sampler(), random_state)),
                         prior="observed")
    return build


def _ensemble(name, cls):
    def build(estimator, random_state, auto):
        if auto and _is_ensemble(estimator):
            return Candidate(name, reason=(
                f"{type(_final_step(estimator)[1]).__name__} is an ensemble already; wrapping it "
                f"costs {_ENSEMBLE_MEMBERS} of its fits per fold (name {name!r} in remedies to "
                "run it anyway)"))
        wrapper = cls(estimator=clone(estimator), n_estimators=_ENSEMBLE_MEMBERS)
        return Candidate(name, _seeded(wrapper, random_state), prior="uniform")
    return build


def _focal(estimator, random_state, auto):
    final = _final_step(estimator)[1]
    try:
        from lightgbm import LGBMClassifier

        from ..boosters import LGBMImbalancedClassifier
    except ImportError as exc:
        return Candidate("focal_loss", reason=f"focal loss needs LightGBM ({exc})")
    if not isinstance(final, LGBMClassifier):
        return Candidate("focal_loss", reason=(
            f"focal loss needs a LightGBM booster (LGBMClassifier); got {type(final).__name__}"))
    shared = LGBMImbalancedClassifier().get_params(deep=False)
    params = {k: v for k, v in final.get_params(deep=False).items()
              if k in shared and k not in ("class_weight", "device")}
    booster = LGBMImbalancedClassifier(loss="focal", device="cpu", **params)
    return Candidate("focal_loss", _replace_final(estimator, booster))


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
        return Candidate(_snake(remedy), _with_sampler(estimator, sampler), prior="observed")
    if is_classifier(remedy) or hasattr(remedy, "predict"):
        params = remedy.get_params(deep=False)
        remedy = _seeded(clone(remedy), random_state)
        if "estimator" in params and params["estimator"] is None:
            remedy.set_params(estimator=clone(estimator))
        return Candidate(_snake(remedy), remedy)
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


def build_candidates(remedies, estimator, random_state):
    """Candidates in order, skipped ones included with their reason.

    ``remedies``: "auto", or a list of names, objects and ``(remedy, param_grid)``
    pairs; grid parameters are set on the remedy object (sampler, wrapper, or
    the classifier for "none", "class_weight" and "focal_loss").
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
    return candidates


def priors(candidate, fitted, X, y, classes):
    """``(training prior, deployment prior)`` of a candidate fitted on ``X, y``.

    The training prior is the one the final step learned: the class counts the
    samplers left (they are run again on ``X, y`` to count them), uniform for
    balanced weights and ensembles of balanced subsets, else the data's own --
    as it also is when a class was emptied. The deployment prior is the data's.
    """
    frequencies = np.array([np.sum(np.asarray(y) == c) for c in classes], dtype=float)
    training = frequencies
    if candidate.prior == "uniform":
        training = np.ones(classes.size)
    elif candidate.prior == "observed":
        Xt, yt = X, y
        for _, step in fitted.steps[:-1]:
            if step is None or step == "passthrough":
                continue
            if hasattr(step, "fit_resample"):
                Xt, yt = clone(step).fit_resample(Xt, yt)
            else:
                Xt = step.transform(Xt)
        training = np.array([np.sum(np.asarray(yt) == c) for c in classes], dtype=float)
    if not np.all(training > 0):
        training = frequencies
    return training / training.sum(), frequencies / frequencies.sum()


def candidate_fit_params(candidate, y):
    """Fit parameters of a candidate on training labels ``y`` (balanced sample weights)."""
    if not candidate.weight_key:
        return {}
    return {candidate.weight_key: compute_sample_weight("balanced", y)}
