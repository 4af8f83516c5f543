"""imbtool's warning categories.

Every warning imbtool issues is an :class:`ImbtoolWarning` and also the standard
category it would otherwise be (UserWarning, FutureWarning, RuntimeWarning,
scikit-learn's DataConversionWarning), so filters on either keep working.
"""

from sklearn.exceptions import DataConversionWarning


class ImbtoolWarning(Warning):
    """Base class of every warning imbtool issues.

    Filter on it to treat imbtool's warnings alike, e.g. to make them errors
    in a test suite, without touching other libraries' warnings.

    Examples
    --------
    >>> import warnings
    >>> from imbtool.utils import ImbtoolWarning
    >>> warnings.simplefilter("error", ImbtoolWarning)
    >>> warnings.resetwarnings()
    """


class ImbtoolUserWarning(ImbtoolWarning, UserWarning):
    # A questionable input or an outcome the caller should know about.
    pass


class ImbtoolFutureWarning(ImbtoolWarning, FutureWarning):
    # A deprecation (FutureWarning: shown to end users by default).
    pass


class ImbtoolRuntimeWarning(ImbtoolWarning, RuntimeWarning):
    # Something about the running environment, e.g. a numba cache that cannot be written.
    pass


class ImbtoolDataConversionWarning(ImbtoolWarning, DataConversionWarning):
    # Input converted to another format than the caller gave.
    pass
