"""Tables, statistics and plots from benchmark cells.

Scores are averaged over the folds and repeats of each (data set, model,
method); those averages are what the ranks and tests compare. Two views:

* **remedies** -- blocks are (data set, model) pairs, treatments the remedies
  that wrap a model: "which remedy helps a given model", the protocol of the
  "Balancing the Scales" study;
* **configurations** -- blocks are data sets, treatments every model + remedy
  pair including complete classifiers such as a balanced random forest: "which
  whole pipeline wins", the CLIMB view.

The Friedman test needs complete blocks: a treatment missing from more than a
quarter of the blocks is dropped (ensemble remedies wrap only non-ensemble
models, so they leave the remedies view and stay in the configurations view),
then blocks with any remaining hole (failed cells) are dropped; the report
says what it dropped.
"""

import csv
import io
import os
from collections import defaultdict

import numpy as np
from scipy.stats import rankdata

from ..evaluation import critical_difference_data, friedman_test, holm_test
from ..metrics import get_metric
from ..remedies import get_remedy
from ..utils._compat import MATPLOTLIB_INSTALLED, require
from ..utils._tolerance import TIE_TOLERANCE
from ._models import OWN_MODEL, not_run_reason
from ._runner import dataset_info

BASELINE = "none"


def cell_means(rows, metric):
    """``{(dataset, model, method): (mean metric, mean fit time)}`` over finished folds.

    A (data set, model, method) with any failed fold is left out.
    """
    values = defaultdict(list)
    failed = set()
    for row in rows:
        key = (row["dataset"], row["model"], row["method"])
        if row["status"] != "ok":
            failed.add(key)
            continue
        values[key].append((row["metrics"].get(metric, np.nan), row["fit_time"]))
    means = {}
    for key, pairs in values.items():
        if key in failed:
            continue
        scores, times = np.array(pairs, dtype=float).T
        if np.isnan(scores).any():
            continue
        means[key] = (float(scores.mean()), float(times.mean()))
    return means


def _complete_table(entries, explain=None):
    """entries: {(block, treatment): value} -> (table, blocks, treatments, dropped).

    A treatment missing from more than a quarter of the blocks is absent by
    design (an ensemble remedy that does not wrap ensemble models) and is
    dropped; the remaining holes are sporadic failures, and their blocks are
    dropped. ``explain(treatment, missing_blocks)`` says why a dropped
    treatment is missing.
    """
    blocks = sorted({b for b, _ in entries})
    treatments = sorted({t for _, t in entries}, key=lambda t: (t != BASELINE, t))
    dropped = []
    for t in list(treatments):
        present = sum((b, t) in entries for b in blocks)
        if present < 0.75 * len(blocks):
            treatments.remove(t)
            missing = [b for b in blocks if (b, t) not in entries]
            why = f": {explain(t, missing)}" if explain is not None else ""
            dropped.append(f"{t} (has {present} of {len(blocks)} blocks){why}")
    broken = [b for b in blocks if any((b, t) not in entries for t in treatments)]
    if broken:
        blocks = [b for b in blocks if b not in broken]
        shown = ", ".join("/".join(b) if isinstance(b, tuple) else b for b in broken[:6])
        dropped.append(f"{len(broken)} blocks with a missing or failed treatment ({shown}"
                       + (", ..." if len(broken) > 6 else "") + ")")
    table = np.array([[entries[(b, t)] for t in treatments] for b in blocks], dtype=float)
    return table.reshape(len(blocks), len(treatments)), blocks, treatments, dropped


def _explainer(rows, view):
    """``explain(treatment, missing_blocks)`` for :func:`_complete_table`: why each is missing.

    A (data set, model, method) with a cell that did not finish failed; one
    without cells was not run, for the reason of
    :func:`~imbtool.benchmark._models.not_run_reason`.
    """
    ran = defaultdict(set)
    for row in rows:
        ran[(row["model"], row["method"])].add(row["dataset"])

    def explain(treatment, missing):
        if view == "remedies":
            groups = defaultdict(list)
            for dataset, model in missing:
                groups[(model, treatment)].append(dataset)
        else:
            model, _, method = treatment.rpartition("/")
            groups = {(model or OWN_MODEL, method): list(missing)}
        parts = []
        for (model, method), datasets in sorted(groups.items()):
            not_run = [d for d in datasets if d not in ran[(model, method)]]
            failed = len(datasets) - len(not_run)
            if not_run:
                try:
                    reason = not_run_reason(method, model) or "not in this run"
                except ValueError:
                    reason = "not in this run"
                parts.append(f"not run with {model} ({reason})" if len(not_run) == len(datasets)
                             else f"not run with {model} on {len(not_run)} data sets ({reason})")
            if failed:
                parts.append(f"failed or scored NaN with {model} on {failed} data sets "
                             "(see Failures)")
        return "; ".join(parts)

    return explain


def compare(rows, metric, view, *, greater_is_better=None):
    """Mean score, mean rank, wins/ties/losses against "none", tests, for one view.

    Parameters
    ----------
    rows : list of dict
        Benchmark cells.
    metric : str
        Registered metric name.
    view : {"remedies", "configurations"}
        See the module docstring.
    greater_is_better : bool or None, default=None
        Direction of ``metric``; None: the registered metric's.

    Returns
    -------
    result : dict
        ``treatments``, ``blocks``, ``table`` (blocks x treatments), ``mean``,
        ``rank``, ``fit_time``, ``wtl`` ({treatment: (w, t, l)} against the
        baseline in the same block, for remedies), ``friedman``, ``cd``,
        ``holm`` (or None), ``dropped``.
    """
    greater = (get_metric(metric).greater_is_better if greater_is_better is None
               else greater_is_better)
    means = cell_means(rows, metric)
    entries, times = {}, defaultdict(list)
    for (dataset, model, method), (score, fit_time) in means.items():
        if view == "remedies":
            if model == OWN_MODEL:
                continue
            block, treatment = (dataset, model), method
        else:
            block, treatment = dataset, f"{model}/{method}" if model != OWN_MODEL else method
        entries[(block, treatment)] = score
        times[treatment].append(fit_time)
    table, blocks, treatments, dropped = _complete_table(entries, _explainer(rows, view))
    result = dict(metric=metric, view=view, treatments=treatments, blocks=blocks, table=table,
                  dropped=dropped, greater_is_better=greater, friedman=None, cd=None, holm=None,
                  wtl={}, fit_time={t: float(np.mean(times[t])) for t in treatments})
    if not treatments or not blocks:
        return result
    result["mean"] = table.mean(axis=0)
    # A single treatment has rank 1 everywhere (average_ranks wants two to compare).
    result["rank"] = rankdata(-table if greater else table, axis=1).mean(axis=0)
    if table.shape[1] >= 2 and table.shape[0] >= 2:
        result["friedman"] = friedman_test(table, greater_is_better=greater, names=treatments)
        result["cd"] = critical_difference_data(table, greater_is_better=greater,
                                                names=treatments)
        if view == "remedies" and BASELINE in treatments:
            result["holm"] = holm_test(table, BASELINE, greater_is_better=greater,
                                       names=treatments)
    if view == "remedies" and BASELINE in treatments:
        base = table[:, treatments.index(BASELINE)]
        for j, t in enumerate(treatments):
            diff = (table[:, j] - base) * (1 if greater else -1)
            result["wtl"][t] = (int(np.sum(diff > TIE_TOLERANCE)),
                                int(np.sum(np.abs(diff) <= TIE_TOLERANCE)),
                                int(np.sum(diff < -TIE_TOLERANCE)))
    return result


def _fmt(value, digits=3):
    return "nan" if value is None or not np.isfinite(value) else f"{value:.{digits}f}"


def comparison_markdown(result, family=None):
    """A Markdown table and the test results of :func:`compare`.

    ``family(method)`` names a method's family in the remedies view; None: the
    registered remedy's.
    """
    family = family or (lambda name: get_remedy(name).family)
    metric, view = result["metric"], result["view"]
    if "mean" not in result:
        return f"No complete {view} table for {metric}.\n"
    order = np.argsort(result["rank"], kind="stable")
    holm = result["holm"]
    header = ["rank", "method" if view == "remedies" else "configuration",
              f"mean {metric}", "mean rank"]
    if view == "remedies":
        header += ["family", f"W/T/L vs {BASELINE}", "Holm p vs none"]
    header += ["fit s/fold"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for position, j in enumerate(order, 1):
        t = result["treatments"][j]
        cells = [str(position), t, _fmt(result["mean"][j]), _fmt(result["rank"][j], 2)]
        if view == "remedies":
            w, ti, lo = result["wtl"].get(t, (0, 0, 0))
            p = "-"
            if holm is not None and t in holm.names:
                p = _fmt(holm.adjusted_pvalues[holm.names.index(t)], 4)
            cells += [family(t), "-" if t == BASELINE else f"{w}/{ti}/{lo}", p]
        cells += [_fmt(result["fit_time"][t], 3)]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n\n"
    n_blocks, n_treat = len(result["blocks"]), len(result["treatments"])
    unit = "(data set, model) pairs" if view == "remedies" else "data sets"
    text += f"Blocks: {n_blocks} {unit}; {n_treat} treatments; "
    text += "higher is better.\n" if result["greater_is_better"] else "lower is better.\n"
    friedman = result["friedman"]
    if friedman is not None:
        text += (
            f"Friedman chi2({friedman.df}) = {friedman.statistic:.2f}, p = {friedman.pvalue:.3g}; "
            f"Iman-Davenport F{friedman.iman_davenport_df} = "
            f"{friedman.iman_davenport_statistic:.2f}, p = {friedman.iman_davenport_pvalue:.3g}.\n"
        )
        cd = result["cd"]
        if n_treat <= 12:
            cliques = "; ".join("{" + ", ".join(c) + "}" for c in cd.cliques) or "none"
        else:
            cliques = f"{len(cd.cliques)} overlapping groups, see the diagram"
        text += (f"Nemenyi critical difference (alpha 0.05): {cd.critical_difference:.2f} ranks; "
                 f"groups not separated: {cliques}.\n")
        if friedman.iman_davenport_pvalue >= 0.05:
            text += ("The Friedman test does not reject equal performance: read no ranking "
                     "into it.\n")
    if result["dropped"]:
        text += "Left out of the test: " + "; ".join(result["dropped"]) + ".\n"
    return text


def rank_by_metric_markdown(rows, metrics, directions=None):
    """Mean rank of each remedy under every metric (remedies view).

    ``directions``: ``{metric: greater_is_better}``; None: the registered metrics'.
    """
    columns = {}
    names = None
    for metric in metrics:
        result = compare(rows, metric, "remedies",
                         greater_is_better=(directions or {}).get(metric))
        if "mean" not in result:
            continue
        columns[metric] = dict(zip(result["treatments"], result["rank"]))
        names = names or result["treatments"]
    if not columns:
        return ""
    names = sorted({t for c in columns.values() for t in c},
                   key=lambda t: (np.mean([c.get(t, np.nan) for c in columns.values()]), t))
    lines = ["| method | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for t in names:
        lines.append(f"| {t} | " + " | ".join(_fmt(columns[m].get(t), 2) for m in columns) + " |")
    return "\n".join(lines) + "\n"


def tidy_csv(rows, path, describe=("imbalance_ratio", None)):
    """Write one row per (cell, metric): the tidy results table (atomic replace).

    ``describe``: the name of the column that describes each data set and
    ``lookup(dataset) -> value`` (None: the imbalance ratio of the catalogue).
    """
    column, lookup = describe
    lookup = lookup or (lambda name: dataset_info(name)["imbalance_ratio"])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["dataset", column, "model", "method", "source", "repeat", "fold",
                     "status", "metric", "value", "fit_time", "predict_time", "n_train",
                     "n_test", "error"])
    ratio = {}
    for row in rows:
        name = row["dataset"]
        if name not in ratio:
            ratio[name] = lookup(name)
        common = [name, ratio[name], row["model"], row["method"], row["source"], row["repeat"],
                  row["fold"], row["status"]]
        tail = [row.get("fit_time"), row.get("predict_time"), row.get("n_train", ""),
                row.get("n_test", ""), row.get("error", "")]
        if row["status"] != "ok":
            writer.writerow(common + ["", ""] + tail)
            continue
        for metric, value in row["metrics"].items():
            writer.writerow(common + [metric, value] + tail)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", newline="") as handle:
        handle.write(buffer.getvalue())
    os.replace(tmp, path)


def plot_critical_difference(cd, path, title):
    """Save the :class:`~imbtool.plotting.CriticalDifferenceDisplay` of ``cd`` to ``path``."""
    plt = require("matplotlib.pyplot", "the critical-difference plot")
    from ..plotting import CriticalDifferenceDisplay

    fig, ax = plt.subplots(figsize=(8, 2.5 + 0.3 * len(cd.names)))
    display = CriticalDifferenceDisplay.from_data(cd, ax=ax)
    ax.set_title(f"{title}, N = {cd.n_datasets}: {display.ax_.get_title()}", fontsize="small",
                 pad=24)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_metric_by_ir(rows, metric, path):
    """Mean metric of each remedy (averaged over models) against the imbalance ratio.

    A method averaged over other models than the remedies' models (a complete
    classifier, which runs with its own model; an ensemble remedy, which does
    not wrap ensemble models; cells that failed) says so in its legend label,
    and the title says what the plain labels average over.
    """
    plt = require("matplotlib.pyplot", "the metric-by-imbalance-ratio plot")
    means = cell_means(rows, metric)
    by_method = defaultdict(lambda: defaultdict(dict))
    for (dataset, model, method), (score, _) in means.items():
        by_method[method][dataset][model] = score
    wrapped = sorted({model for (_, model, _) in means if model != OWN_MODEL})
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for method in sorted(by_method):
        points = sorted((dataset_info(d)["imbalance_ratio"], np.mean(list(v.values())))
                        for d, v in by_method[method].items())
        xs, ys = zip(*points)
        label = method
        used = sorted({m for v in by_method[method].values() for m in v})
        uneven = len({tuple(sorted(v)) for v in by_method[method].values()}) > 1
        if used == [OWN_MODEL]:
            label += " (own model)"
        elif used != wrapped or uneven:
            label += f" ({', '.join(used)} only" + (", not on every data set)" if uneven else ")")
        # Points only: neighbouring imbalance ratios are unrelated data sets.
        ax.plot(xs, ys, marker="o", ms=4, ls="none", alpha=0.8, label=label)
    ax.set_title(f"Remedies averaged over {', '.join(wrapped) or 'their models'}; "
                 "a label in brackets: averaged over those models only", fontsize="small")
    ax.set_xscale("log")
    ax.set_xlabel("imbalance ratio (majority / minority), log scale")
    ax.set_ylabel(f"mean {metric} over folds and models")
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def header_markdown(title, rows, config, cv, wall_time):
    """The summary's title, run line (cells finished and failed) and implementations."""
    ok = sum(r["status"] == "ok" for r in rows)
    sources = sorted({(r["method"], r["source"]) for r in rows})
    return [
        f"{title}\n",
        f"{len(config.datasets)} data sets, models {', '.join(config.models)}, "
        f"{config.folds}-fold {cv} x {config.repeats} repeat(s), seed {config.seed}; "
        f"{ok} of {len(rows)} cells finished, {len(rows) - ok} failed"
        + (f"; {wall_time:.0f} s wall time" if wall_time is not None else "") + ".\n",
        "Implementations: " + "; ".join(f"{m} = {s}" for m, s in sources) + ".\n",
    ]


def failures_markdown(rows):
    """A Failures section listing each (model, method, error) and its data sets ("" if none)."""
    seen = {}
    for r in rows:
        if r["status"] != "ok":
            seen.setdefault((r["method"], r["model"], r["error"]), []).append(r["dataset"])
    lines = [f"- {model}/{method} on {', '.join(sorted(set(datasets)))}: {error}\n"
             for (method, model, error), datasets in sorted(seen.items())]
    return "\n## Failures\n" + "".join(lines) if lines else ""


def write_summary(out, text):
    """Write ``summary.md`` into ``out`` (atomic replace); return ``text``."""
    tmp = os.path.join(out, f"summary.md.tmp{os.getpid()}")
    with open(tmp, "w") as handle:
        handle.write(text)
    os.replace(tmp, os.path.join(out, "summary.md"))
    return text


def write_report(rows, config, out, *, primary, wall_time=None):
    """Write results.csv, summary.md and the plots; return the summary text.

    Parameters
    ----------
    rows : list of dict
        The cells :func:`run_benchmark` returned.
    config : BenchmarkConfig
        The configuration they were run under.
    out : str or path
        Folder to write into.
    primary : str
        The metric the comparisons and critical-difference diagrams rank by.
    wall_time : float or None, default=None
        Seconds the run took, stated in the summary when given.

    Returns
    -------
    summary : str
        The text of ``summary.md``.

    Examples
    --------
    >>> import tempfile
    >>> from imbtool.benchmark import BenchmarkConfig, run_benchmark, write_report
    >>> config = BenchmarkConfig(datasets=["glass4"], models=["lr"], methods=["none"],
    ...                          metrics=["f1"], folds=2)
    >>> out = tempfile.mkdtemp()
    >>> rows = run_benchmark(config, out, progress=False)
    >>> write_report(rows, config, out, primary="f1").startswith("# imbtool benchmark")
    True
    """
    tidy_csv(rows, os.path.join(out, "results.csv"))
    directions = config.directions()
    multiclass = config.task == "multiclass"
    parts = [
        *header_markdown("# imbtool " + ("multiclass " if multiclass else "") + "benchmark",
                         rows, config, "stratified CV", wall_time),
        "Scores are means over folds; ranks per block (1 = best). "
        + ("Probability metrics use predict_proba, one column per class of the data set.\n"
           if multiclass else
           "Threshold-free metrics use predict_proba (or decision_function).\n"),
        f"\n## Remedies by {primary} (blocks: data set x model)\n",
        comparison_markdown(compare(rows, primary, "remedies",
                                    greater_is_better=directions[primary])),
        f"\n## Whole configurations by {primary} (blocks: data sets)\n",
        comparison_markdown(compare(rows, primary, "configurations",
                                    greater_is_better=directions[primary])),
        "\n## Mean rank of each remedy, by metric (blocks: data set x model)\n",
        rank_by_metric_markdown(rows, config.metrics, directions),
        failures_markdown(rows),
    ]
    if MATPLOTLIB_INSTALLED:
        require("matplotlib", "the plots").use("Agg")
        parts.append("\nPlots: ")
        for view in ("remedies", "configurations"):
            result = compare(rows, primary, view, greater_is_better=directions[primary])
            if result["cd"] is not None:
                name = f"cd_{view}_{primary}.png"
                plot_critical_difference(result["cd"], os.path.join(out, name),
                                         f"{view}, {primary}")
                parts.append(f"{name}, ")
        plot_metric_by_ir(rows, primary, os.path.join(out, f"{primary}_by_ir.png"))
        parts.append(f"{primary}_by_ir.png.\n")
    else:
        parts.append("\nPlots skipped: matplotlib is not installed "
                     "(pip install 'imbtool[plot]').\n")
    return write_summary(out, "".join(parts))
