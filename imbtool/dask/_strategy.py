"""imbalanced-learn's ``sampling_strategy`` resolved from class totals, without ``y`` in memory."""

import numbers

import numpy as np

UNDER_STRINGS = {"auto", "majority", "not minority", "not majority", "all"}
OVER_STRINGS = {"auto", "minority", "not minority", "not majority", "all"}


def _selected(name, labels, minority, majority):
    return {
        "auto": [c for c in labels if c != (minority if name == "under" else majority)],
        "minority": [minority],
        "majority": [majority],
        "not minority": [c for c in labels if c != minority],
        "not majority": [c for c in labels if c != majority],
        "all": labels,
    }


def resolve_strategy(sampling_strategy, classes, totals, y, sampling_type):
    """imbalanced-learn's targets for ``sampling_type``, from the class totals alone.

    Returns ``{label: n}`` for the resampled classes: rows to keep
    (under-sampling) or rows to add (over-sampling). The minority and
    majority are the classes with the fewest and most rows, the smallest
    label on a tie; a callable is called with the Dask ``y``.
    """
    under = sampling_type == "under-sampling"
    labels = classes.tolist()
    stats = dict(zip(labels, (int(t) for t in totals), strict=True))
    if len(labels) < 2:
        raise ValueError(f"The target has a single class {labels}; resampling needs two.")
    minority = labels[int(np.argmin(totals))]
    majority = labels[int(np.argmax(totals))]
    n_min, n_max = stats[minority], stats[majority]
    if isinstance(sampling_strategy, str):
        chosen = _selected("under" if under else "over", labels, minority,
                           majority)[sampling_strategy]
        return {c: (n_min if under else n_max - stats[c]) for c in chosen}
    if isinstance(sampling_strategy, numbers.Real):
        if len(labels) != 2:
            raise ValueError('"sampling_strategy" can be a float only when the type of target '
                             "is binary. For multi-class, use a dict.")
        if under:
            strategy = {c: int(n_min / sampling_strategy) for c in labels if c != minority}
            bad = any(n > stats[c] for c, n in strategy.items())
        else:
            strategy = {c: int(n_max * sampling_strategy - stats[c])
                        for c in labels if c != majority}
            bad = any(n <= 0 for n in strategy.values())
        if bad:
            raise ValueError(f"sampling_strategy={sampling_strategy} gives {strategy} for the "
                             f"class sizes {stats}; change the ratio.")
        return strategy
    strategy = sampling_strategy(y) if callable(sampling_strategy) else sampling_strategy
    if not isinstance(strategy, dict):
        raise TypeError(f"A callable sampling_strategy must return a dict; got {strategy!r}.")
    unknown = [c for c in strategy if c not in stats]
    if unknown:
        raise ValueError(f"sampling_strategy names classes {unknown} that y does not hold; its "
                         f"classes are {labels}.")
    resolved = {}
    for c, n in strategy.items():
        whole = isinstance(n, numbers.Integral) and not isinstance(n, bool)
        if not whole or not (0 <= n <= stats[c] if under else n >= stats[c]):
            allowed = "from 0 to" if under else "at least"
            raise ValueError(
                f"sampling_strategy asks for {n!r} rows of class {c!r}, which has {stats[c]}: "
                f"give a whole number {allowed} the class's rows."
            )
        resolved[c] = int(n) if under else int(n) - stats[c]
    return resolved
