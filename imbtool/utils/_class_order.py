"""The order in which a sampler or ensemble visits classes that share one random stream.

When several classes draw from one random stream, the class visited first
takes the first draws, so the visit order decides which rows each class gets.
Sorted label order (imbalanced-learn's) depends on the names of the classes:
renaming ``0``/``1``/``2`` to ``"c"``/``"b"``/``"a"`` reverses it and gives
another sample. The order of each class's first row in ``y`` is the same under
every one-to-one renaming, and equals sorted order whenever the labels first
appear sorted (a sorted ``y``, every KEEL data set imbtool ships), where the
rows stay imbalanced-learn's.
"""

import numpy as np

__all__ = ["class_visit_order"]


def class_visit_order(y, classes=None):
    """Classes in the order of their first row in ``y``: the order no renaming can change.

    Every imbtool sampler and ensemble whose classes draw from one random
    stream visits them in this order; the output may still list the classes'
    blocks in sorted label order, since only the draws depend on the visit
    order.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    classes : iterable, default=None
        The classes to order, each a class of ``y`` (e.g. the keys of a
        sampler's ``sampling_strategy_``); every class of ``y`` when None.

    Returns
    -------
    list
        ``classes`` sorted by the position of their first row in ``y``.

    Raises
    ------
    ValueError
        When one of ``classes`` has no row in ``y``.

    Examples
    --------
    >>> from imbtool.utils import class_visit_order
    >>> class_visit_order(["b", "c", "b", "a"])
    ['b', 'c', 'a']
    >>> class_visit_order([2, 0, 1, 0], classes=[0, 1])
    [0, 1]
    >>> class_visit_order([2, 0, 1, 0], classes=[1, 2])
    [2, 1]
    """
    y = np.asarray(y)
    labels, first = np.unique(y, return_index=True)
    position = dict(zip(labels.tolist(), first.tolist()))
    if classes is None:
        return labels[np.argsort(first, kind="stable")].tolist()
    classes = list(classes)
    absent = [c for c in classes if c not in position]
    if absent:
        raise ValueError(
            f"classes {absent!r} have no row in y (classes of y: {labels.tolist()!r}); order "
            "only classes of the labels being resampled."
        )
    return sorted(classes, key=position.__getitem__)
