"""The command line of ``python -m imbtool benchmark [options]``.

Runs (or resumes) the imbalance benchmark over the real data sets shipped in
``imbtool.datasets`` and prints the summary table; ``--list`` shows what can
be run; ``--task regression`` compares the methods of imbalanced regression
over the regression sets. See ``python -m imbtool benchmark --help``.
"""

import argparse
import sys
import time
from fnmatch import fnmatchcase


def _parser():
    from ._runner import DEFAULT_METHODS, DEFAULT_METRICS, DEFAULT_MODELS, QUICK

    parser = argparse.ArgumentParser(
        prog="python -m imbtool",
        description="imbtool: compare imbalance remedies over real data sets.")
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser(
        "benchmark",
        help="compare imbalance remedies over real data sets",
        description="Cross-validate every (data set, model, method) cell, cache each finished "
        "cell in --out, and report mean metrics, mean ranks, wins/ties/losses against no "
        "intervention, the Friedman/Nemenyi/Holm tests and plots.",
    )
    bench.add_argument("--task", choices=("classification", "multiclass", "regression"),
                       default="classification",
                       help="classification (default): remedies around classifiers on the binary "
                       "sets; multiclass: the same on the multiclass sets, metrics defined for "
                       "any number of classes (macro_f1, balanced_accuracy, g_mean, ...), the "
                       "boosters' losses among the default methods; "
                       "regression: samplers and weights of imbtool.regression around "
                       "regressors (ridge, rf, lgbm) on the regression sets with skewed targets, "
                       "metrics sera, rare_f1, rmse, folds stratified on relevance bins")
    bench.add_argument("--quick", action="store_true",
                       help=f"small representative run: data sets {', '.join(QUICK['datasets'])}; "
                       f"{QUICK['folds']} folds; models {', '.join(QUICK['models'])}")
    bench.add_argument("--datasets", nargs="+", metavar="SPEC",
                       help="names, patterns (yeast*) or filters (ir>10, n<=1000, n_minority>=20); "
                       "default: every real set with at most 1500 rows (with --task regression: "
                       "every regression set; filters n, n_features, n_rare)")
    bench.add_argument("--methods", nargs="+", metavar="NAME",
                       help="remedy names, patterns or family:NAME; default: "
                       + ", ".join(DEFAULT_METHODS) + " (those available)")
    bench.add_argument("--models", nargs="+", metavar="NAME",
                       help="default: " + ", ".join(DEFAULT_MODELS))
    bench.add_argument("--metrics", nargs="+", metavar="NAME",
                       help="registered metric names; the first is the primary metric; "
                       "default: " + ", ".join(DEFAULT_METRICS))
    bench.add_argument("--folds", type=int, help="stratified folds (default 5; 3 with --quick)")
    bench.add_argument("--repeats", type=int, help="repeats of the k-fold split (default 1)")
    bench.add_argument("--seed", type=int, default=0, help="seed of the splits and estimators")
    bench.add_argument("--n-jobs", type=int, default=1, help="cells run in parallel (joblib)")
    bench.add_argument("--dask-scheduler", metavar="ADDRESS",
                       help="run the cells on a Dask cluster through joblib's Dask backend")
    bench.add_argument("--dask-timeout", type=float, default=30, metavar="SECONDS",
                       help="how long to try to reach --dask-scheduler (default 30)")
    bench.add_argument("--out", help="results folder (default: benchmark-results[-quick])")
    bench.add_argument("--resume", action="store_true",
                       help="skip cells already in --out (needed when data sets, models or "
                       "methods differ from theirs; the same configuration reuses them anyway)")
    bench.add_argument("--overwrite", action="store_true", help="discard results in --out")
    bench.add_argument("--no-progress", action="store_true", help="no progress bar")
    bench.add_argument("--list", action="store_true",
                       help="list data sets, models, methods and metrics, then exit")
    return parser


def _print_list(out):
    from ..datasets import list_datasets
    from ..metrics import list_metrics
    from ..remedies import get_remedy, list_remedies
    from ._models import get_model, list_models

    out.write("Methods (family, implementation):\n")
    for name in list_remedies():
        remedy = get_remedy(name)
        scope = " [complete classifier]" if remedy.standalone else ""
        out.write(f"  {name:28s} {remedy.family:10s} {remedy.source}{scope}\n")
    out.write("Models:\n")
    for name in list_models():
        out.write(f"  {name:6s} {get_model(name).description}\n")
    out.write("Metrics: " + ", ".join(list_metrics()) + "\n")
    out.write("Data sets (name, rows, minority, imbalance ratio):\n")
    for d in list_datasets():
        out.write(f"  {d['name']:36s} {d['n_samples']:6d} {d['n_minority']:5d} "
                  f"{d['imbalance_ratio']:7.2f}\n")


def _print_multiclass_list(out):
    from ..datasets import list_datasets
    from ..remedies import get_remedy, list_remedies
    from ._models import get_model, list_models
    from ._multiclass import MULTICLASS_METRICS

    out.write("Methods (family, implementation):\n")
    for name in list_remedies():
        remedy = get_remedy(name)
        if remedy.binary_only:
            out.write(f"  {name:28s} not for multiclass: {remedy.binary_only}\n")
        else:
            out.write(f"  {name:28s} {remedy.family:10s} {remedy.source}\n")
    out.write("Models:\n")
    for name in list_models():
        out.write(f"  {name:6s} {get_model(name).description}\n")
    out.write("Metrics:\n")
    for name, metric in MULTICLASS_METRICS.items():
        out.write(f"  {name:18s} {metric.description}\n")
    out.write("Data sets (name, rows, classes, smallest class, imbalance ratio):\n")
    for d in list_datasets(task="multiclass"):
        out.write(f"  {d['name']:36s} {d['n_samples']:6d} {d['n_classes']:3d} "
                  f"{d['n_minority']:5d} {d['imbalance_ratio']:7.2f}\n")


def _print_regression_list(out):
    from ..datasets import list_regression_datasets
    from ._regression import (
        REGRESSION_METRICS,
        REGRESSION_MODELS,
        get_regression_method,
        list_regression_methods,
    )

    out.write("Methods (family, implementation):\n")
    for name in list_regression_methods():
        method = get_regression_method(name)
        out.write(f"  {method.name:28s} {method.family:10s} {method.source}\n")
    out.write("Models:\n")
    for model in REGRESSION_MODELS.values():
        out.write(f"  {model.name:6s} {model.description}\n")
    out.write("Metrics: " + ", ".join(REGRESSION_METRICS) + "\n")
    out.write("Data sets (name, rows, rare targets, target skewness):\n")
    for d in list_regression_datasets():
        out.write(f"  {d['name']:36s} {d['n_samples']:6d} {d['n_rare']:5d} "
                  f"{d['skewness']:7.2f}\n")


def _regression_config(args):
    from ..datasets import list_regression_datasets
    from ._regression import (
        DEFAULT_REGRESSION_METRICS,
        DEFAULT_REGRESSION_MODELS,
        QUICK_REGRESSION,
        RegressionBenchmarkConfig,
        check_regression_config,
        list_regression_methods,
    )
    from ._runner import select_datasets

    quick = args.quick
    catalogue = list_regression_datasets()
    available = list_regression_methods()
    datasets = (select_datasets(args.datasets, catalogue) if args.datasets else
                list(QUICK_REGRESSION["datasets"]) if quick else [d["name"] for d in catalogue])
    models = args.models or list(QUICK_REGRESSION["models"] if quick
                                 else DEFAULT_REGRESSION_MODELS)
    if args.methods:
        methods = [n for n in available if any(fnmatchcase(n, p) for p in args.methods)]
        unmatched = [p for p in args.methods if not any(fnmatchcase(n, p) for n in available)]
        if unmatched:
            raise ValueError(f"Unknown regression method {unmatched[0]!r}; valid methods are: "
                             f"{', '.join(available)}.")
    else:
        methods = list(QUICK_REGRESSION["methods"] if quick else available)
    folds = args.folds or (QUICK_REGRESSION["folds"] if quick else 5)
    repeats = args.repeats or 1
    if folds < 2 or repeats < 1:
        raise ValueError(f"--folds must be >= 2 and --repeats >= 1; got {folds} and {repeats}.")
    config = RegressionBenchmarkConfig(
        datasets=datasets, models=list(models), methods=methods,
        metrics=list(args.metrics or DEFAULT_REGRESSION_METRICS), folds=folds, repeats=repeats,
        seed=args.seed)
    check_regression_config(config)
    return config


def _multiclass_config(args):
    from ..datasets import list_datasets
    from ..remedies import get_remedy, list_remedies, select_remedies
    from ._models import get_model
    from ._multiclass import (
        DEFAULT_MULTICLASS_METHODS,
        DEFAULT_MULTICLASS_METRICS,
        QUICK_MULTICLASS,
        MulticlassBenchmarkConfig,
        check_multiclass_config,
    )
    from ._runner import DEFAULT_MODELS, select_datasets

    quick = args.quick
    catalogue = list_datasets(task="multiclass")
    binary = [s for s in args.datasets or () if s in {d["name"] for d in list_datasets()}]
    if binary:
        raise ValueError(f"--task multiclass runs the multiclass data sets; {binary} are binary "
                         f"(valid: {', '.join(d['name'] for d in catalogue)}).")
    datasets = (select_datasets(args.datasets, catalogue) if args.datasets else
                list(QUICK_MULTICLASS["datasets"]) if quick else [d["name"] for d in catalogue])
    models = args.models or list(QUICK_MULTICLASS["models"] if quick else DEFAULT_MODELS)
    for name in models:
        get_model(name)
    available = list_remedies()
    wanted = QUICK_MULTICLASS["methods"] if quick else DEFAULT_MULTICLASS_METHODS
    methods = select_remedies(args.methods or [
        p for p in wanted if any(fnmatchcase(n, p) for n in available)])
    # A two-class remedy named outright is an error (check_multiclass_config); one that a
    # pattern or family matched is left out, with a line saying so.
    named = set(args.methods or ())
    skipped = [m for m in methods if get_remedy(m).binary_only and m not in named]
    for name in skipped:
        sys.stderr.write(f"skipped {name}: defined for two classes only "
                         f"({get_remedy(name).binary_only})\n")
    methods = [m for m in methods if m not in skipped]
    if not methods:
        raise ValueError(f"--methods {' '.join(args.methods)}: no remedy left for multiclass "
                         "data (all are defined for two classes only).")
    folds = args.folds or (QUICK_MULTICLASS["folds"] if quick else 5)
    repeats = args.repeats or 1
    if folds < 2 or repeats < 1:
        raise ValueError(f"--folds must be >= 2 and --repeats >= 1; got {folds} and {repeats}.")
    config = MulticlassBenchmarkConfig(
        datasets=datasets, models=list(models), methods=methods,
        metrics=list(args.metrics or DEFAULT_MULTICLASS_METRICS), folds=folds,
        repeats=repeats, seed=args.seed)
    check_multiclass_config(config)
    return config


def _config(args):
    if args.task == "regression":
        return _regression_config(args)
    if args.task == "multiclass":
        return _multiclass_config(args)
    from ..metrics import get_metric
    from ..remedies import list_remedies, select_remedies
    from ._models import get_model
    from ._runner import (
        DEFAULT_METHODS,
        DEFAULT_METRICS,
        DEFAULT_MODELS,
        QUICK,
        BenchmarkConfig,
        default_datasets,
        select_datasets,
    )

    quick = args.quick
    datasets = select_datasets(args.datasets) if args.datasets else (
        list(QUICK["datasets"]) if quick else default_datasets())
    models = args.models or list(QUICK["models"] if quick else DEFAULT_MODELS)
    for name in models:
        get_model(name)
    if args.methods:
        methods = select_remedies(args.methods)
    else:
        available = list_remedies()
        wanted = QUICK["methods"] if quick else DEFAULT_METHODS
        methods = select_remedies([p for p in wanted if any(fnmatchcase(n, p) for n in available)])
    metrics = args.metrics or list(DEFAULT_METRICS)
    for name in metrics:
        get_metric(name)
    folds = args.folds or (QUICK["folds"] if quick else 5)
    repeats = args.repeats or (QUICK["repeats"] if quick else 1)
    if folds < 2 or repeats < 1:
        raise ValueError(f"--folds must be >= 2 and --repeats >= 1; got {folds} and {repeats}.")
    return BenchmarkConfig(datasets=datasets, models=list(models), methods=methods,
                           metrics=list(metrics), folds=folds, repeats=repeats, seed=args.seed)


def _benchmark(args, out=None):
    out = out or sys.stdout
    from ._regression import write_regression_report
    from ._report import write_report
    from ._runner import run_benchmark

    regression = args.task == "regression"
    if args.list:
        {"regression": _print_regression_list, "multiclass": _print_multiclass_list}.get(
            args.task, _print_list)(out)
        return 0
    config = _config(args)
    folder = args.out or ("benchmark-results" + ("" if args.task == "classification"
                                                 else f"-{args.task}")
                          + ("-quick" if args.quick else ""))
    out.write(f"imbtool benchmark: {len(config.datasets)} data sets x {len(config.models)} models "
              f"x {len(config.methods)} methods, {config.folds} folds x {config.repeats} "
              f"repeat(s) -> {folder}\n")
    out.write("methods: " + ", ".join(config.methods) + "\n")
    out.flush()
    start = time.time()
    run = dict(resume=args.resume, overwrite=args.overwrite, n_jobs=args.n_jobs,
               progress=not args.no_progress, log=lambda line: sys.stderr.write(line + "\n"))
    if args.dask_scheduler:
        from ..utils._compat import require

        distributed = require("distributed", "--dask-scheduler")
        from joblib import parallel_config

        try:
            client = distributed.Client(args.dask_scheduler, timeout=args.dask_timeout)
        except OSError as exc:
            raise ConnectionError(
                f"cannot reach the Dask scheduler at --dask-scheduler {args.dask_scheduler} "
                f"({exc}); start it, or check the address and --dask-timeout.") from None
        with client, parallel_config(backend="dask"):
            rows = run_benchmark(config, folder, dask=True, **run)
    else:
        rows = run_benchmark(config, folder, **run)
    failures = [r for r in rows if r["status"] != "ok"]
    reasons = list(dict.fromkeys(f"{r['model']}/{r['method']}: {r['error']}" for r in failures))
    first = "; first reasons: " + " | ".join(reasons[:3]) if failures else ""
    if failures and len(failures) == len(rows):
        sys.stderr.write(f"error: all {len(rows)} cells failed{first}. The failed cells are "
                         f"in {folder}/cells.jsonl; no report was written.\n")
        return 1
    report = write_regression_report if regression else write_report
    text = report(rows, config, folder, primary=config.metrics[0], wall_time=time.time() - start)
    out.write(text)
    if failures:
        out.write(f"\n{len(failures)} of {len(rows)} cells FAILED{first}; see Failures in "
                  f"{folder}/summary.md.\n")
    out.write(f"\nFull results: {folder}/results.csv, {folder}/summary.md\n")
    return 0


def main(argv=None):
    """Entry point; returns the exit status.

    0: the run finished (some cells may have failed: the summary says so);
    1: every cell failed; 2: a usage error or a results folder that cannot be
    used (the message names it and what to do); 130: interrupted.
    """
    args = _parser().parse_args(argv)
    try:
        return _benchmark(args)
    except (ValueError, PermissionError, FileExistsError, ConnectionError, ImportError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted: finished cells are saved; rerun with --resume to go on.\n")
        return 130
