"""Comparing several methods over several data sets (Demšar, JMLR 2006).

Every function takes a score table with one row per data set and one column
per method (a 2-D array, or a pandas DataFrame whose columns name the
methods). Rank 1 is the best method on a data set; tied methods share the
average of their ranks.
"""

import numbers

import numpy as np
from scipy.stats import chi2, f, norm, rankdata, studentized_range, wilcoxon
from sklearn.utils import Bunch


def _score_table(scores, names):
    if hasattr(scores, "columns") and hasattr(scores, "to_numpy"):
        if names is None:
            names = [str(c) for c in scores.columns]
        table = scores.to_numpy(dtype=float)
    else:
        table = np.asarray(scores, dtype=float)
    if table.ndim != 2 or table.shape[0] < 2 or table.shape[1] < 2:
        raise ValueError(
            "scores must be a 2-D table with one row per data set and one column per method, "
            f"at least 2 x 2; got shape {table.shape}."
        )
    missing = ~np.isfinite(table)
    if missing.any():
        rows = np.flatnonzero(missing.any(axis=1)).tolist()
        raise ValueError(
            f"scores has missing or infinite values in rows {rows[:10]}; drop those data sets "
            "(or the methods that failed on them) before comparing."
        )
    names = [str(j) for j in range(table.shape[1])] if names is None else list(names)
    if len(names) != table.shape[1]:
        raise ValueError(f"names has {len(names)} entries but scores has {table.shape[1]} columns.")
    return table, names


def _ranks(table, greater_is_better):
    return rankdata(-table if greater_is_better else table, method="average", axis=1)


def _check_alpha(alpha):
    if not (isinstance(alpha, numbers.Real) and 0 < alpha < 1):
        raise ValueError(f"alpha must be in (0, 1); got {alpha!r}.")


def _rank_standard_error(n_methods, n_datasets):
    return np.sqrt(n_methods * (n_methods + 1) / (6.0 * n_datasets))


def average_ranks(scores, *, greater_is_better=True, names=None):
    """Rank the methods on each data set and average the ranks.

    Parameters
    ----------
    scores : array-like or DataFrame of shape (n_datasets, n_methods)
        One score per data set and method.
    greater_is_better : bool, default=True
        Whether larger scores are better (False for losses such as Brier).
    names : list of str, default=None
        Method names (default: the DataFrame columns, else "0", "1", ...).

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``names``, ``average_ranks`` (n_methods,) and ``ranks``
        (n_datasets, n_methods); ties get the average rank.

    Examples
    --------
    >>> from imbtool.evaluation import average_ranks
    >>> average_ranks([[0.9, 0.8, 0.8], [0.7, 0.9, 0.6]]).average_ranks.tolist()
    [1.5, 1.75, 2.75]
    """
    table, names = _score_table(scores, names)
    ranks = _ranks(table, greater_is_better)
    return Bunch(names=names, average_ranks=ranks.mean(axis=0), ranks=ranks)


def friedman_test(scores, *, greater_is_better=True, tie_correction=False, names=None):
    """Friedman test of equal performance, with the Iman-Davenport F variant.

    ``chi2_F = 12 N / (k (k+1)) * (sum_j R_j^2 - k (k+1)^2 / 4)`` over the
    average ranks ``R_j`` of ``k`` methods on ``N`` data sets, and
    ``F_F = (N - 1) chi2_F / (N (k - 1) - chi2_F)`` on ``(k - 1, (k - 1)(N - 1))``
    degrees of freedom, which Demšar recommends as less conservative.

    Parameters
    ----------
    scores : array-like or DataFrame of shape (n_datasets, n_methods)
        One score per data set and method.
    greater_is_better : bool, default=True
        Whether larger scores are better.
    tie_correction : bool, default=False
        Divide ``chi2_F`` by the tie correction ``1 - sum(t^3 - t) / (N k (k^2 - 1))``
        as :func:`scipy.stats.friedmanchisquare` does. The default follows
        Demšar's formula, which has none.
    names : list of str, default=None
        Method names.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``statistic`` (chi2_F), ``pvalue``, ``df``, ``iman_davenport_statistic``,
        ``iman_davenport_pvalue``, ``iman_davenport_df``, ``average_ranks``,
        ``names``, ``n_datasets``, ``n_methods``.

    References
    ----------
    J. Demšar. "Statistical comparisons of classifiers over multiple data sets",
    JMLR 7, 2006. R. L. Iman, J. M. Davenport. "Approximations of the critical
    region of the Friedman statistic", Comm. Stat. 9(6), 1980.

    Examples
    --------
    >>> from imbtool.evaluation import friedman_test
    >>> scores = [[0.9, 0.8, 0.7], [0.8, 0.75, 0.6], [0.85, 0.8, 0.7], [0.7, 0.8, 0.6]]
    >>> result = friedman_test(scores)
    >>> round(result.statistic, 3), round(result.pvalue, 4)
    (6.5, 0.0388)
    """
    table, names = _score_table(scores, names)
    n_datasets, n_methods = table.shape
    ranks = _ranks(table, greater_is_better)
    mean_ranks = ranks.mean(axis=0)
    statistic = (
        12.0 * n_datasets / (n_methods * (n_methods + 1))
        * (np.sum(mean_ranks**2) - n_methods * (n_methods + 1) ** 2 / 4.0)
    )
    statistic = max(statistic, 0.0)
    if tie_correction:
        tie_sizes = [np.unique(row, return_counts=True)[1] for row in ranks]
        ties = sum(np.sum(t**3 - t) for t in tie_sizes)
        correction = 1.0 - ties / (n_datasets * n_methods * (n_methods**2 - 1))
        statistic = statistic / correction if correction > 0 else 0.0
    df = n_methods - 1
    denominator = n_datasets * (n_methods - 1) - statistic
    f_statistic = (n_datasets - 1) * statistic / denominator if denominator > 0 else np.inf
    f_df = (n_methods - 1, (n_methods - 1) * (n_datasets - 1))
    return Bunch(
        statistic=float(statistic),
        pvalue=float(chi2.sf(statistic, df)),
        df=df,
        iman_davenport_statistic=float(f_statistic),
        iman_davenport_pvalue=float(f.sf(f_statistic, *f_df)),
        iman_davenport_df=f_df,
        average_ranks=mean_ranks,
        names=names,
        n_datasets=n_datasets,
        n_methods=n_methods,
    )


def nemenyi_test(scores, *, alpha=0.05, greater_is_better=True, names=None):
    """Nemenyi post-hoc test: all pairs of methods, after a Friedman test.

    Two methods differ significantly when their average ranks differ by at least
    the critical difference ``CD = q_alpha * sqrt(k (k+1) / (6 N))``, where
    ``q_alpha`` is the studentized range quantile for ``k`` groups and infinite
    degrees of freedom divided by ``sqrt(2)``
    (:data:`scipy.stats.studentized_range`).

    Parameters
    ----------
    scores : array-like or DataFrame of shape (n_datasets, n_methods)
        One score per data set and method.
    alpha : float, default=0.05
        Significance level.
    greater_is_better : bool, default=True
        Whether larger scores are better.
    names : list of str, default=None
        Method names.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``names``, ``average_ranks``, ``critical_difference``, ``q_alpha``,
        ``pvalues`` (k x k, family-wise adjusted by the studentized range) and
        ``significant`` (k x k booleans).

    Examples
    --------
    >>> from imbtool.evaluation import nemenyi_test
    >>> result = nemenyi_test([[0.9, 0.8, 0.7]] * 10)
    >>> round(result.q_alpha, 3), round(result.critical_difference, 3)
    (2.344, 1.048)
    >>> result.significant[0].tolist()
    [False, False, True]
    """
    _check_alpha(alpha)
    table, names = _score_table(scores, names)
    n_datasets, n_methods = table.shape
    mean_ranks = _ranks(table, greater_is_better).mean(axis=0)
    q_alpha = studentized_range.ppf(1 - alpha, n_methods, np.inf) / np.sqrt(2)
    standard_error = _rank_standard_error(n_methods, n_datasets)
    gaps = np.abs(mean_ranks[:, None] - mean_ranks[None, :])
    pvalues = np.ones_like(gaps)
    upper = np.triu_indices(n_methods, k=1)
    pvalues[upper] = studentized_range.sf(gaps[upper] / standard_error * np.sqrt(2), n_methods,
                                          np.inf)
    pvalues = np.minimum(pvalues, pvalues.T)
    critical_difference = q_alpha * standard_error
    return Bunch(
        names=names,
        average_ranks=mean_ranks,
        critical_difference=float(critical_difference),
        q_alpha=float(q_alpha),
        pvalues=pvalues,
        significant=gaps >= critical_difference,
    )


def _holm_adjust(pvalues):
    order = np.argsort(pvalues, kind="stable")
    m = len(pvalues)
    stepped = np.minimum(1.0, (m - np.arange(m)) * pvalues[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(stepped)
    return adjusted


def holm_test(scores, control, *, alpha=0.05, greater_is_better=True, names=None):
    """Compare every method with a control by rank z-tests and Holm's step-down.

    ``z = (R_control - R_j) / sqrt(k (k+1) / (6 N))`` with two-sided normal
    p-values; Holm's procedure adjusts them for the ``k - 1`` comparisons
    (adjusted ``p_(i) = max_{l <= i} min(1, (k - l) p_(l))`` over sorted
    p-values). More powerful than the Nemenyi test when one method is the
    reference, e.g. "no intervention".

    Parameters
    ----------
    scores : array-like or DataFrame of shape (n_datasets, n_methods)
        One score per data set and method.
    control : str or int
        The control method, by name or column index.
    alpha : float, default=0.05
        Family-wise significance level.
    greater_is_better : bool, default=True
        Whether larger scores are better.
    names : list of str, default=None
        Method names.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``control`` (name) and, for the other methods in column order,
        ``names``, ``rank_difference`` (control minus method: positive means
        the method ranks better), ``z``, ``pvalues``, ``adjusted_pvalues`` and
        ``reject``.

    References
    ----------
    S. Holm. "A simple sequentially rejective multiple test procedure",
    Scand. J. Statist. 6, 1979.

    Examples
    --------
    >>> from imbtool.evaluation import holm_test
    >>> result = holm_test([[0.7, 0.8, 0.9]] * 6, control=0)
    >>> result.names, result.reject.tolist()
    (['1', '2'], [False, True])
    """
    _check_alpha(alpha)
    table, names = _score_table(scores, names)
    n_datasets, n_methods = table.shape
    if isinstance(control, numbers.Integral) and not isinstance(control, bool):
        if not 0 <= control < n_methods:
            raise ValueError(f"control={control} is out of range for {n_methods} methods.")
        index = int(control)
    elif control in names:
        index = names.index(control)
    else:
        raise ValueError(f"control={control!r} is not a method; valid names are {names}.")
    mean_ranks = _ranks(table, greater_is_better).mean(axis=0)
    others = [j for j in range(n_methods) if j != index]
    difference = mean_ranks[index] - mean_ranks[others]
    z = difference / _rank_standard_error(n_methods, n_datasets)
    pvalues = 2 * norm.sf(np.abs(z))
    adjusted = _holm_adjust(pvalues)
    return Bunch(
        control=names[index],
        names=[names[j] for j in others],
        rank_difference=difference,
        z=z,
        pvalues=pvalues,
        adjusted_pvalues=adjusted,
        reject=adjusted <= alpha,
    )


def wilcoxon_test(a, b, *, greater_is_better=True, zero_method="zsplit", alternative="two-sided"):
    """Wilcoxon signed-rank test of two methods' scores over the same data sets.

    Calls :func:`scipy.stats.wilcoxon` on the paired scores. The default
    ``zero_method="zsplit"`` splits the ranks of zero differences (ties) evenly
    between the two sides, as Demšar recommends, instead of dropping them.

    Parameters
    ----------
    a, b : array-like of shape (n_datasets,)
        Scores of the two methods, paired by data set.
    greater_is_better : bool, default=True
        Direction used to count wins.
    zero_method : {"zsplit", "wilcox", "pratt"}, default="zsplit"
        Treatment of zero differences, passed to scipy.
    alternative : {"two-sided", "greater", "less"}, default="two-sided"
        Alternative about the differences ``a - b``, passed to scipy.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``statistic`` (scipy's; for two-sided tests the smaller rank sum),
        ``pvalue``, and ``wins``, ``ties``, ``losses`` of ``a`` against ``b``.

    Examples
    --------
    >>> from imbtool.evaluation import wilcoxon_test
    >>> ours = [0.81, 0.72, 0.93, 0.64, 0.88, 0.79]
    >>> theirs = [0.8, 0.7, 0.9, 0.6, 0.85, 0.75]
    >>> result = wilcoxon_test(ours, theirs)
    >>> result.statistic, round(result.pvalue, 4), result.wins
    (0.0, 0.0312, 6)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            f"a and b must be 1-D and paired by data set; got shapes {a.shape} and {b.shape}."
        )
    if len(a) < 2 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("a and b need at least two finite paired scores.")
    difference = a - b if greater_is_better else b - a
    wins, ties, losses = (
        int(np.sum(difference > 0)),
        int(np.sum(difference == 0)),
        int(np.sum(difference < 0)),
    )
    if ties == len(a):
        statistic, pvalue = 0.0, 1.0
    else:
        result = wilcoxon(a, b, zero_method=zero_method, alternative=alternative)
        statistic, pvalue = float(result.statistic), float(result.pvalue)
    return Bunch(statistic=statistic, pvalue=pvalue, wins=wins, ties=ties, losses=losses)


def critical_difference_data(scores, *, alpha=0.05, greater_is_better=True, names=None):
    """Everything a critical-difference diagram draws (Demšar 2006, Section 3.2.4).

    Methods sorted by average rank, the Nemenyi critical difference, and the
    cliques: maximal runs of methods, in rank order, whose average ranks all lie
    within less than ``CD`` of each other -- groups the Nemenyi test cannot
    separate, drawn as thick bars. The Friedman p-value is included: when it is
    not small, no post-hoc difference should be read into the diagram.

    Parameters
    ----------
    scores : array-like or DataFrame of shape (n_datasets, n_methods)
        One score per data set and method.
    alpha : float, default=0.05
        Significance level of the Nemenyi test.
    greater_is_better : bool, default=True
        Whether larger scores are better.
    names : list of str, default=None
        Method names.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``names`` and ``average_ranks`` (best first), ``critical_difference``,
        ``cliques`` (list of tuples of names), ``friedman_pvalue``,
        ``n_datasets`` and ``alpha``.

    Examples
    --------
    >>> from imbtool.evaluation import critical_difference_data
    >>> data = critical_difference_data([[0.9, 0.8, 0.79, 0.5]] * 3 + [[0.8, 0.9, 0.6, 0.5]] * 3)
    >>> data.names, data.average_ranks.tolist()
    (['0', '1', '2', '3'], [1.5, 1.5, 3.0, 4.0])
    >>> round(data.critical_difference, 3), data.cliques
    (1.915, [('0', '1', '2'), ('2', '3')])
    """
    nemenyi = nemenyi_test(scores, alpha=alpha, greater_is_better=greater_is_better, names=names)
    friedman = friedman_test(scores, greater_is_better=greater_is_better, names=names)
    order = np.argsort(nemenyi.average_ranks, kind="stable")
    ranks = nemenyi.average_ranks[order]
    sorted_names = [nemenyi.names[j] for j in order]
    cd = nemenyi.critical_difference
    cliques = []
    last_end = 0
    for start in range(len(ranks)):
        end = int(np.searchsorted(ranks, ranks[start] + cd, side="left"))
        # A run ending where the previous one ended is contained in it.
        if end - start > 1 and end > last_end:
            cliques.append(tuple(sorted_names[start:end]))
            last_end = end
    return Bunch(
        names=sorted_names,
        average_ranks=ranks,
        critical_difference=cd,
        cliques=cliques,
        friedman_pvalue=friedman.pvalue,
        n_datasets=friedman.n_datasets,
        alpha=alpha,
    )
