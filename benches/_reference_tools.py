"""Child-process side of ``bench_tools.py`` and ``parity_tools.py``: runs Evidently, NannyML and
whylogs on Parquet files and prints one JSON line. It never imports driftline, so it runs under
any interpreter that has the reference tools:

    /path/to/venv/bin/python benches/_reference_tools.py TASK --ref REF.parquet --cur CUR.parquet \
        --categorical c0,c1

TASK is one of ``evidently``, ``evidently-legacy``, ``nannyml``, ``nannyml-3``, ``whylogs``
(timed runs, see :func:`measure`), ``parity`` (per-column results of Evidently's legacy
``DataDriftPreset`` and NannyML's ``UnivariateDriftCalculator``, untimed) or ``versions``.

The measurement helpers (:func:`measure` and friends) are imported by ``bench_tools.py`` too, so
every tool is measured the same way.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

# Usage analytics off: NannyML, whylogs and Evidently send usage events unless told not to,
# and a blocked network call would distort the timings.
for _key in ("NML_DISABLE_USAGE_LOGGING", "WHYLOGS_NO_ANALYTICS", "DO_NOT_TRACK"):
    os.environ.setdefault(_key, "1")


# ------------------------------------------------------------------------------------------
# Measurement
# ------------------------------------------------------------------------------------------


# Evidently's display names of its default tests and distances -> driftline's method names.
EVIDENTLY_METHODS = {
    "K-S p_value": "ks",
    "chi-square p_value": "chi2",
    "Z-test p_value": "z",
    "Wasserstein distance (normed)": "wasserstein",
    "Jensen-Shannon distance": "jensen_shannon",
}
# NannyML's method names -> driftline's nannyml-preset method names.
NANNYML_METHODS = {
    "jensen_shannon": "jensen_shannon",
    "kolmogorov_smirnov": "ks_statistic",
    "wasserstein": "wasserstein_raw",
}


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return math.nan


def rss_mb() -> float:
    """Resident set size now."""
    return _status_mb("VmRSS")


def maxrss_mb() -> float:
    """Peak resident set size of this process so far (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (``VmHWM``) so that the peak of the next phase can be
    read on its own; False where ``/proc/self/clear_refs`` is not writable."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def measure(
    load: Callable[[], Any], run: Callable[[Any], Any], import_s: float = math.nan
) -> dict[str, Any]:
    """Time ``data = load()`` (reading the input) and ``run(data)`` (the tool's work).

    Memory: ``peak_mb`` is the process's absolute peak RSS (``ru_maxrss``, load and run
    included); ``input_rss_mb`` the RSS once the input is loaded; ``peak_above_input_mb`` the
    peak RSS of the run phase alone (``VmHWM`` after a reset at its start) minus
    ``input_rss_mb``: the memory the tool needs beyond holding the data.

    ``ru_maxrss`` of a freshly executed process starts from the RSS of the process that
    spawned it (Linux carries it over on exec), so the parent must stay small;
    ``peak_hwm_mb`` (the larger ``VmHWM`` of the two phases, which starts afresh on exec) is
    recorded as a cross-check.
    """
    gc.collect()
    start_rss = rss_mb()
    t0, c0 = time.perf_counter(), cpu_s()
    data = load()
    gc.collect()
    t1, c1 = time.perf_counter(), cpu_s()
    input_rss = rss_mb()
    load_peak = maxrss_mb()
    load_hwm = _status_mb("VmHWM")
    was_reset = reset_peak()
    result = run(data)
    t2, c2 = time.perf_counter(), cpu_s()
    run_peak = _status_mb("VmHWM") if was_reset else maxrss_mb()
    return {
        "import_s": import_s,
        "load_s": t1 - t0,
        "compute_s": t2 - t1,
        "wall_s": t2 - t0,
        "load_cpu_s": c1 - c0,
        "compute_cpu_s": c2 - c1,
        "cpu_s": c2 - c0,
        "start_rss_mb": start_rss,
        "input_rss_mb": input_rss,
        "input_mb": input_rss - start_rss,
        "load_peak_mb": load_peak,
        "peak_mb": max(maxrss_mb(), load_peak),
        "peak_hwm_mb": max(load_hwm, run_peak),
        "compute_peak_mb": run_peak,
        "peak_above_input_mb": run_peak - input_rss,
        "peak_reset": was_reset,
        "result": result,
    }


def emit(obj: Any) -> None:
    print(json.dumps(obj, default=_json_default))
    sys.stdout.flush()


def _json_default(x: Any) -> Any:
    try:
        import numpy as np

        if isinstance(x, np.generic):
            return x.item()
        if isinstance(x, np.ndarray):
            return x.tolist()
    except ImportError:
        pass
    return str(x)


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else (None if math.isnan(v) else v)


# ------------------------------------------------------------------------------------------
# Compatibility with current NumPy and pandas
# ------------------------------------------------------------------------------------------


def compat() -> list[str]:
    """Restore two names that Evidently 0.7.23 and whylogs 1.6.4 use but that pandas 3 and
    NumPy 2 removed; without them neither package imports or logs under those versions.

    - ``pandas.core.dtypes.common.infer_dtype_from_object``: imported at module level by
      ``evidently.legacy.tests.data_integrity_tests`` and called only by its column-type test,
      never on the drift path.
    - ``numpy.unicode_``: NumPy 1's alias of ``numpy.str_``, which whylogs' type mapping
      (``whylogs.core.datatypes``) uses to recognise string columns; restored as that alias.

    Returns what was patched, for the record."""
    patched = []
    import numpy as np

    if not hasattr(np, "unicode_"):
        np.unicode_ = np.str_  # type: ignore[attr-defined]
        patched.append("numpy.unicode_ = numpy.str_")
    import pandas.core.dtypes.common as pdc

    if not hasattr(pdc, "infer_dtype_from_object"):

        def infer_dtype_from_object(dtype: Any) -> Any:
            return np.dtype(dtype).type

        pdc.infer_dtype_from_object = infer_dtype_from_object  # type: ignore[attr-defined]
        patched.append("pandas.core.dtypes.common.infer_dtype_from_object")
    return patched


def _whylogs_drift() -> Any:
    """``calculate_drift_scores`` without executing ``whylogs/viz/__init__.py`` (which imports
    IPython for notebook rendering only)."""
    import types

    import whylogs

    if "whylogs.viz" not in sys.modules:
        try:
            import IPython  # noqa: F401
            import whylogs.viz
        except ImportError:
            pkg = types.ModuleType("whylogs.viz")
            pkg.__path__ = [os.path.join(os.path.dirname(whylogs.__file__), "viz")]
            sys.modules["whylogs.viz"] = pkg
    from whylogs.viz.drift.column_drift_algorithms import calculate_drift_scores

    return calculate_drift_scores


# ------------------------------------------------------------------------------------------
# The tools
# ------------------------------------------------------------------------------------------


def read_pandas(path: str) -> Any:
    import pandas as pd

    return pd.read_parquet(path)


def load_pair(ref: str, cur: str) -> Callable[[], tuple[Any, Any]]:
    return lambda: (read_pandas(ref), read_pandas(cur))


def evidently_new(data: tuple[Any, Any], numerical: list[str], categorical: list[str]) -> Any:
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    ref, cur = data
    dd = DataDefinition(numerical_columns=numerical, categorical_columns=categorical)
    snapshot = Report([DataDriftPreset()]).run(
        Dataset.from_pandas(cur, data_definition=dd), Dataset.from_pandas(ref, data_definition=dd)
    )
    d = snapshot.dict()
    columns: dict[str, Any] = {}
    drifted = None
    for m in d["metrics"]:
        cfg = m.get("config", {})
        if cfg.get("type", "").endswith("ValueDrift"):
            value = _num(m["value"])
            columns[cfg["column"]] = {
                "method": cfg.get("method"),
                "score": value,
                "threshold": cfg.get("threshold"),
            }
        elif cfg.get("type", "").endswith("DriftedColumnsCount"):
            drifted = m["value"].get("count")
    return {"drifted_columns": drifted, "columns": columns}


def evidently_legacy_drift(
    ref: Any, cur: Any, numerical: list[str], categorical: list[str]
) -> dict[str, Any]:
    from evidently.legacy.metric_preset import DataDriftPreset
    from evidently.legacy.pipeline.column_mapping import ColumnMapping
    from evidently.legacy.report import Report

    mapping = ColumnMapping(
        numerical_features=numerical,
        categorical_features=categorical,
        target=None,
        prediction=None,
    )
    report = Report(metrics=[DataDriftPreset()])
    report.run(reference_data=ref, current_data=cur, column_mapping=mapping)
    d = report.as_dict()
    table = next(m["result"] for m in d["metrics"] if "drift_by_columns" in m["result"])
    columns = {
        name: {
            "column_type": v.get("column_type"),
            "stattest_name": v.get("stattest_name"),
            "stattest_threshold": _num(v.get("stattest_threshold")),
            "drift_score": _num(v.get("drift_score")),
            "drift_detected": bool(v.get("drift_detected")),
        }
        for name, v in table["drift_by_columns"].items()
    }
    return {
        "drifted_columns": table["number_of_drifted_columns"],
        "dataset_drift": table["dataset_drift"],
        "columns": columns,
    }


def nannyml_drift(
    ref: Any, cur: Any, columns: list[str], categorical: list[str], methods: list[str] | None
) -> dict[str, Any]:
    import nannyml

    kwargs: dict[str, Any] = {}
    if methods:
        kwargs["continuous_methods"] = methods
    calc = nannyml.UnivariateDriftCalculator(
        column_names=columns, treat_as_categorical=categorical, chunk_number=1, **kwargs
    )
    with warnings.catch_warnings():
        # "The resulting number of chunks is too low": one chunk is the point here.
        warnings.simplefilter("ignore", UserWarning)
        calc.fit(ref)
        res = calc.calculate(cur)
    df = res.filter(period="analysis").to_df()
    out: dict[str, dict[str, Any]] = {}
    for col, method, field in df.columns:
        if col == "chunk" or field not in ("value", "alert", "upper_threshold"):
            continue
        out.setdefault(col, {}).setdefault(method, {})[field] = (
            bool(df[(col, method, field)].iloc[0])
            if field == "alert"
            else _num(df[(col, method, field)].iloc[0])
        )
    alerts = sum(any(m.get("alert") for m in v.values()) for v in out.values())
    return {"columns_with_alert": alerts, "columns": out}


def whylogs_drift(data: tuple[Any, Any]) -> dict[str, Any]:
    import whylogs as why

    calculate_drift_scores = _whylogs_drift()
    ref, cur = data
    ref_view = why.log(ref).profile().view()
    cur_view = why.log(cur).profile().view()
    scores = calculate_drift_scores(
        target_view=cur_view, reference_view=ref_view, with_thresholds=True
    )
    columns = {
        name: None
        if s is None
        else {
            "algorithm": s.get("algorithm"),
            "pvalue": _num(s.get("pvalue")),
            "statistic": _num(s.get("statistic")),
            "drift_category": s.get("drift_category"),
        }
        for name, s in scores.items()
    }
    drifted = sum(1 for s in columns.values() if s and s["drift_category"] == "DRIFT")
    return {"drifted_columns": drifted, "columns": columns}


def versions() -> dict[str, Any]:
    import importlib.metadata as md
    import platform

    out: dict[str, Any] = {"python": platform.python_version()}
    for pkg in ("evidently", "nannyml", "whylogs", "pandas", "numpy", "scipy", "pyarrow"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "task",
        choices=(
            "evidently",
            "evidently-legacy",
            "nannyml",
            "nannyml-3",
            "whylogs",
            "parity",
            "versions",
        ),
    )
    ap.add_argument("--ref")
    ap.add_argument("--cur")
    ap.add_argument("--categorical", default="", help="comma-separated categorical columns")
    args = ap.parse_args()
    if args.task == "versions":
        emit(versions())
        return

    t0 = time.perf_counter()
    patched = compat()
    import pandas as pd
    import pyarrow.dataset  # noqa: F401  (loaded by the first read_parquet; counted as import)
    import pyarrow.parquet as pq

    names = pq.read_schema(args.ref).names
    categorical = [c for c in args.categorical.split(",") if c]
    numerical = [c for c in names if c not in categorical]
    task = args.task
    if task in ("evidently", "evidently-legacy", "parity"):
        import evidently.legacy.metric_preset
        import evidently.presets  # noqa: F401
    if task in ("nannyml", "nannyml-3", "parity"):
        import nannyml  # noqa: F401
    if task == "whylogs":
        import whylogs  # noqa: F401

        _whylogs_drift()
    import_s = time.perf_counter() - t0
    del pd

    load = load_pair(args.ref, args.cur)
    three = ["jensen_shannon", "kolmogorov_smirnov", "wasserstein"]
    if task == "evidently":
        out = measure(load, lambda d: evidently_new(d, numerical, categorical), import_s)
    elif task == "evidently-legacy":
        out = measure(
            load, lambda d: evidently_legacy_drift(d[0], d[1], numerical, categorical), import_s
        )
    elif task in ("nannyml", "nannyml-3"):
        methods = three if task == "nannyml-3" else None
        out = measure(
            load, lambda d: nannyml_drift(d[0], d[1], names, categorical, methods), import_s
        )
    elif task == "whylogs":
        out = measure(load, whylogs_drift, import_s)
    else:
        ref, cur = load()
        out = {
            "evidently": evidently_legacy_drift(ref, cur, numerical, categorical),
            "nannyml": nannyml_drift(ref, cur, names, categorical, three),
            "rows": [len(ref), len(cur)],
        }
    out["compat"] = patched
    out["versions"] = versions()
    emit(out)


if __name__ == "__main__":
    main()
