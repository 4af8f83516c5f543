"""The positive class of a binary problem: the minority class unless told otherwise.

scikit-learn calls the greater label (``classes_[1]``) positive. In imbalanced
learning the class of interest is the rare one, and labels such as
"fraud"/"ok" sort the rare class first, so every binary imbtool tool that
needs a positive class (threshold objectives, cost wrappers, scorers) resolves
it here: ``pos_label=None`` means the minority class of the labels, counted
in rows (sample weights are not counted: the class that is rare in the data
is the one of interest, whatever its weight).
"""

import warnings

import numpy as np

from ._warnings import ImbtoolUserWarning


def resolve_pos_label(y, pos_label=None, *, classes=None, name="y"):
    """Positive class of binary labels: ``pos_label``, or the minority class of ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Binary class labels (training labels for an estimator, ``y_true`` for
        a scorer).
    pos_label : int, float, bool, str or None, default=None
        The positive class. None means the class with the fewest rows of
        ``y`` (rows, not sample weights); when both classes have the same
        number of rows the greater label (``classes[1]``, scikit-learn's
        rule) is taken, with a ``UserWarning``. Otherwise it must be one of
        ``classes``.
    classes : array-like of shape (2,), default=None
        The two classes, sorted (an estimator's ``classes_``); ``np.unique(y)``
        when None.
    name : str, default="y"
        Name of the labels in error messages.

    Returns
    -------
    pos_label : object
        The positive class: the element of ``classes`` as a Python scalar
        (``classes.tolist()``), which every scikit-learn ``pos_label`` accepts.

    Raises
    ------
    ValueError
        When there are not two classes, or ``pos_label`` is not one of them.

    Examples
    --------
    >>> from imbtool.utils import resolve_pos_label
    >>> resolve_pos_label(["ok", "fraud", "ok", "ok"])
    'fraud'
    >>> resolve_pos_label(["ok", "fraud", "ok", "ok"], pos_label="ok")
    'ok'
    """
    y = np.asarray(y)
    classes = np.unique(y) if classes is None else np.asarray(classes)
    if classes.shape != (2,):
        raise ValueError(
            f"A positive class is defined for two classes; {name} has {classes.size} "
            f"({classes.tolist()[:10]})."
        )
    labels = classes.tolist()
    if pos_label is not None:
        matches = [i for i, c in enumerate(labels) if c == pos_label]
        if not matches:
            raise ValueError(
                f"pos_label={pos_label!r} is not a class of {name} (classes: {labels}); pass one "
                "of them, or pos_label=None for the minority class."
            )
        return labels[matches[0]]
    counts = np.array([np.count_nonzero(y == c) for c in classes])
    if counts[0] == counts[1]:
        warnings.warn(
            f"The classes {labels} of {name} have the same number of rows ({counts[0]}), so there "
            f"is no minority class; {labels[1]!r}, the greater label, is taken as the positive "
            "class (scikit-learn's rule). Set pos_label= to choose it.",
            ImbtoolUserWarning,
            stacklevel=3,
        )
        return labels[1]
    return labels[int(np.argmin(counts))]
