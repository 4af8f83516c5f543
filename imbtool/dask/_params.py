"""Refusals of the in-memory parameter values that a Dask class cannot honour out of core.

A Dask class takes every parameter of its in-memory namesake, so that code moves
between the two unchanged; a value whose meaning needs the whole data in memory
fails the fit with an error naming the parameter, why and what to do instead,
rather than being ignored.
"""


def refuse(estimator, name, why, instead):
    """Raise the ValueError for ``estimator``'s parameter ``name`` at its current value."""
    value = getattr(estimator, name)
    raise ValueError(f"{type(estimator).__name__}: {name}={value!r} is not available on Dask, "
                     f"where {why}; {instead}.")


def check_class_counts(estimator):
    """``class_counts="weight"`` sizes classes by ``sample_weight``, which the Dask
    ``fit_resample`` does not take."""
    if estimator.class_counts != "rows":
        refuse(estimator, "class_counts",
               "fit_resample takes no sample_weight, so class sizes are row counts",
               "set class_counts='rows', or use the in-memory sampler of the same name")


def log_line(verbose, entry):
    """Print one member's log line when ``verbose`` is set (the in-memory ensembles' line)."""
    if verbose:
        print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in entry.items()), flush=True)


def member_n_jobs(member, n_jobs):
    """Give ``n_jobs`` to a member whose own ``n_jobs`` is left at None (the in-memory rule)."""
    params = member.get_params(deep=False)
    if n_jobs is not None and "n_jobs" in params and params["n_jobs"] is None:
        member.set_params(n_jobs=n_jobs)
    return member
