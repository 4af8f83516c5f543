"""imbalanced-learn's Pipeline, with row-aligned fit params carried through samplers."""

import numpy as np
import scipy.sparse as sp
from imblearn import pipeline as imb_pipeline
from imblearn.pipeline import _fit_resample_one, _fit_transform_one
from sklearn.base import clone
from sklearn.pipeline import _name_estimators
from sklearn.utils._param_validation import HasMethods, validate_params
from sklearn.utils.validation import _is_arraylike_not_scalar, _num_samples, check_memory

from ..utils import resample_aligned
from ..utils._aligned import RULES
from ..utils._compat import print_elapsed_time, routing_enabled

# Params that are row-aligned by meaning: a length other than n_samples is an error
# for them, where scikit-learn's rule would pass any other array through unchanged.
_ALIGNED_BY_NAME = ("sample_weight", "groups")

class Pipeline(imb_pipeline.Pipeline):
    """The ``Pipeline`` of imbalanced-learn, keeping fit params aligned with resampled rows.

    Samplers run in ``fit``, ``fit_transform``, ``fit_predict`` and
    ``fit_resample`` only, as in imbalanced-learn. After each sampler step,
    every row-aligned fit param of the later steps follows the sampler's rows
    (:func:`imbtool.utils.resample_aligned`): kept rows keep their value, a
    synthetic row takes its seed's value, or, for the param names listed in
    ``aligned_rules`` as ``"interpolate"``, the value interpolated like its
    features. So ``make_pipeline(SMOTE(), LogisticRegression()).fit(X, y,
    logisticregression__sample_weight=w)`` fits the classifier with one weight
    per resampled row. The same holds with metadata routing enabled
    (``sklearn.set_config(enable_metadata_routing=True)``), e.g. under
    ``GridSearchCV(pipe).fit(X, y, sample_weight=w)`` with the classifier's
    ``set_fit_request(sample_weight=True)``. imbtool samplers do not request
    the weights for themselves unless told to
    (``set_fit_resample_request(sample_weight=True)``, for
    ``class_counts="weight"``).

    A param is row-aligned when it is an array-like (list, ndarray, pandas
    Series or DataFrame, 1-D or 2-D) with as many rows as the data reaching
    the sampler -- scikit-learn's rule for splitting fit params in
    cross-validation; other params pass unchanged. ``sample_weight``,
    ``groups`` and the names in ``aligned_rules`` must have that length.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Transformers and samplers, then the final estimator.
    aligned_rules : dict of str to {"seed", "interpolate"}, default=None
        Value of synthetic rows per fit param: keys are param names as the
        step receives them (``"sample_weight"``) or qualified by the step
        (``"logisticregression__sample_weight"``, which wins). Unlisted params
        take the seed's value (right for groups and ids). ``"interpolate"``
        needs a numeric param and, to make rows, a sampler that records
        ``synthetic_steps_`` (the SMOTE family).
    transform_input : list of str, default=None
        See :class:`imblearn.pipeline.Pipeline`; metadata routing only.
    memory : str or object with the joblib.Memory interface, default=None
        Caches the fitted transformers and samplers.
    verbose : bool, default=False
        Print the time taken by each step.

    Attributes
    ----------
    named_steps : :class:`~sklearn.utils.Bunch`
        The steps by name.
    classes_ : ndarray of shape (n_classes,)
        The final classifier's classes.
    n_features_in_ : int
        Features seen by the first step.

    Raises
    ------
    ValueError
        From ``fit``: a row-aligned param of the wrong length, ``"interpolate"``
        asked of a non-numeric param, a negative or non-finite
        ``sample_weight`` (each naming the param), or a row-aligned param
        meeting a sampler that records no ``sample_indices_``.

    See Also
    --------
    make_pipeline : A Pipeline with step names made from the class names.
    imbtool.utils.resample_aligned : The same alignment, by hand.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.over_sampling import SMOTE
    >>> from imbtool.pipeline import Pipeline
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> w = np.where(y == 1, 2.0, 1.0)
    >>> pipe = Pipeline([("smote", SMOTE(random_state=0)), ("clf", LogisticRegression())])
    >>> pipe.fit(X, y, clf__sample_weight=w).predict(X[:5])
    array([0, 0, 1, 0, 0])
    """

    _parameter_constraints = {
        **imb_pipeline.Pipeline._parameter_constraints,
        "aligned_rules": [dict, None],
    }

    def __init__(self, steps, *, aligned_rules=None, transform_input=None,
                 memory=None, verbose=False):
        super().__init__(steps, transform_input=transform_input, memory=memory,
                         verbose=verbose)
        self.aligned_rules = aligned_rules

    def _fit(self, X, y=None, routed_params=None, raw_params=None):
        # imbalanced-learn's _fit, plus _carry_through after every sampler step.
        self.steps = list(self.steps)
        self._validate_steps()
        rules = self._check_aligned_rules()
        self._check_aligned_params(routed_params, _num_samples(X), rules)
        memory = check_memory(self.memory)
        fit_transform_one_cached = memory.cache(_fit_transform_one)
        fit_resample_one_cached = memory.cache(_fit_resample_one)
        for step_idx, name, step in self._iter(
            with_final=False, filter_passthrough=False, filter_resample=False
        ):
            if step is None or step == "passthrough":
                with print_elapsed_time("Pipeline", self._log_message(step_idx)):
                    continue
            if hasattr(memory, "location") and memory.location is None:
                cloned = step  # imbalanced-learn fits in place when not caching
            else:
                cloned = clone(step)
            message = self._log_message(step_idx)
            if hasattr(cloned, "transform") or hasattr(cloned, "fit_transform"):
                params = self._get_metadata_for_step(
                    step_idx=step_idx, step_params=routed_params[name], all_params=raw_params
                )
                X, fitted = fit_transform_one_cached(
                    cloned, X, y, weight=None, message_clsname="Pipeline", message=message,
                    params=params,
                )
            elif hasattr(cloned, "fit_resample"):
                n_in = _num_samples(X)
                X, y, fitted = fit_resample_one_cached(
                    cloned, X, y, message_clsname="Pipeline", message=message,
                    params=routed_params[name],
                )
                self._carry_through(fitted, name, step_idx, n_in, routed_params, rules)
            self.steps[step_idx] = (name, fitted)
        return X, y

    def __getitem__(self, ind):
        item = super().__getitem__(ind)
        if isinstance(ind, slice):  # scikit-learn's slice keeps memory and verbose only
            item.aligned_rules = self.aligned_rules
        return item

    def _check_method_params(self, method, props, **kwargs):
        routed = super()._check_method_params(method, props, **kwargs)
        if not routing_enabled():
            # Without routing imbalanced-learn fills fit, fit_transform and fit_predict
            # only, so a sampler's "step__sample_weight" would be dropped silently.
            for step_params in routed.values():
                step_params["fit_resample"] = step_params["fit"]
        return routed

    def _check_aligned_rules(self):
        rules = {} if self.aligned_rules is None else self.aligned_rules
        bad = {k: v for k, v in rules.items() if not isinstance(k, str) or v not in RULES}
        if bad:
            raise ValueError(
                f"aligned_rules maps fit param names to one of {RULES}; got {bad!r}."
            )
        return rules

    def _rule(self, rules, step, param):
        return rules.get(f"{step}__{param}", rules.get(param, "seed"))

    def _later_params(self, routed_params, after):
        """(step, param, method dict) for every fit param of the steps after index ``after``."""
        seen = set()
        for name, _ in self.steps[after + 1:]:
            for method_params in routed_params.get(name, {}).values():
                if id(method_params) in seen:
                    continue
                seen.add(id(method_params))
                for param in list(method_params):
                    yield name, param, method_params

    def _check_aligned_params(self, routed_params, n_samples, rules):
        declared = {key.rsplit("__", 1)[-1] for key in rules} | set(_ALIGNED_BY_NAME)
        for step, param, method_params in self._later_params(routed_params, -1):
            value = method_params[param]
            label = _label(step, param)
            if not (_is_arraylike_not_scalar(value) or sp.issparse(value)):
                continue
            n_value = _num_samples(value)
            if param in declared and n_value != n_samples:
                raise ValueError(
                    f"fit param {label} has {n_value} rows but X has {n_samples}; pass one "
                    "value per row of X."
                )
            if n_value != n_samples:
                continue
            if param == "sample_weight":
                _check_weights(value, label)
            if self._rule(rules, step, param) == "interpolate" and not _is_numeric(value):
                raise ValueError(
                    f"aligned_rules asks to interpolate fit param {label}, which is not "
                    f"numeric; use rule 'seed' for labels, groups and ids."
                )

    def _carry_through(self, sampler, sampler_name, step_idx, n_in, routed_params, rules):
        """Resample the later steps' row-aligned params like ``sampler`` resampled X."""
        done = {}
        for step, param, method_params in self._later_params(routed_params, step_idx):
            value = method_params[param]
            if not (_is_arraylike_not_scalar(value) or sp.issparse(value)):
                continue
            if _num_samples(value) != n_in:
                continue
            label = _label(step, param)
            if sp.issparse(value):
                raise ValueError(
                    f"fit param {label} is a sparse matrix; row-aligned params must be dense "
                    "to follow the rows of a sampler."
                )
            if not hasattr(sampler, "sample_indices_"):
                raise ValueError(
                    f"fit param {label} cannot follow the rows of step {sampler_name!r}: "
                    f"{type(sampler).__name__} records no sample_indices_. Use a sampler "
                    "that records its provenance or drop the param."
                )
            rule = self._rule(rules, step, param)
            key = (id(value), rule)
            if key not in done:
                try:
                    done[key] = resample_aligned(sampler, value, rule=rule)
                except ValueError as exc:
                    raise ValueError(f"fit param {label}: {exc}") from exc
            method_params[param] = done[key]


def _label(step, param):
    return f"{param!r} (for step {step!r})"


def _is_numeric(value):
    dtypes = getattr(value, "dtypes", None)
    if dtypes is not None and not hasattr(dtypes, "kind"):  # a DataFrame: every column
        return all(getattr(dtype, "kind", "O") in "iufc" for dtype in dtypes)
    return np.asarray(value).dtype.kind in "iufc"


def _check_weights(value, label):
    try:
        weights = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fit param {label} must be numeric weights; {exc}.") from exc
    if not np.all(np.isfinite(weights)):
        raise ValueError(f"fit param {label} has NaN or infinite weights; weights must be finite.")
    if np.any(weights < 0):
        raise ValueError(f"fit param {label} has negative weights; weights must be >= 0.")


@validate_params(
    {"aligned_rules": [dict, None], "memory": [None, str, HasMethods(["cache"])],
     "transform_input": [None, list], "verbose": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def make_pipeline(*steps, aligned_rules=None, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline`, naming each step by its lower-cased class name.

    Parameters
    ----------
    *steps : estimators
        Transformers and samplers, then the final estimator.
    aligned_rules : dict of str to {"seed", "interpolate"}, default=None
        Value of synthetic rows per row-aligned fit param; see :class:`Pipeline`.
    memory : str or object with the joblib.Memory interface, default=None
        Caches the fitted transformers and samplers.
    transform_input : list of str, default=None
        See :class:`imblearn.pipeline.Pipeline`; metadata routing only.
    verbose : bool, default=False
        Print the time taken by each step.

    Returns
    -------
    pipeline : Pipeline

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbtool.over_sampling import SMOTE
    >>> from imbtool.pipeline import make_pipeline
    >>> pipe = make_pipeline(SMOTE(), LogisticRegression(),
    ...                      aligned_rules={"sample_weight": "interpolate"})
    >>> [name for name, _ in pipe.steps]
    ['smote', 'logisticregression']
    """
    return Pipeline(_name_estimators(steps), aligned_rules=aligned_rules, memory=memory,
                    transform_input=transform_input, verbose=verbose)
