"""driftline's drift report side by side with Evidently, NannyML and whylogs, on the same Parquet
files, each tool in its own child process.

    python benches/bench_tools.py --reference-python /path/to/venv/bin/python \
        [--rows 1000000] [--out DIR]

The reference tools need not be importable here: ``--reference-python`` is an interpreter that
has them (and pandas, pyarrow); it runs ``_reference_tools.py``, which never imports driftline.
driftline runs under this interpreter.

Data: ``bench_core.make_table`` (20 numeric + 5 categorical columns); ``--rows`` reference rows
and ``--rows`` current rows (two halves of one draw), with drift planted in 5 current columns
(``DRIFTED``). Every run is a fresh process that reads the two Parquet files and reports its
wall time, CPU time and memory (see ``_reference_tools.measure``): the absolute peak RSS
(``ru_maxrss``) and the peak of the tool's own work above the RSS with the input loaded.

A reference tool can be given fewer rows (``--evidently-rows`` and so on) when the full size
would take too long; its row count is printed beside it and its ratio is taken against a
driftline run on the same rows, never extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from _reference_tools import EVIDENTLY_METHODS, NANNYML_METHODS, emit, measure
from bench_core import make_table

HERE = Path(__file__).resolve().parent
CATEGORICAL = ["c0", "c1", "c2", "c3", "c4"]
DRIFTED = ["n1", "n2", "n4", "c0", "c4"]

# (task, label, runs where). Driftline tasks run under this interpreter.
DRIFTLINE_TASKS = [
    ("driftline", "driftline: profile + profile(baseline=) + compare"),
    ("driftline-1thread", "driftline: same, one thread (RAYON_NUM_THREADS=1)"),
    ("driftline-baseline", "driftline: baseline() (2 passes) + profile + compare"),
    ("driftline-stream", "driftline: same as default, Parquet streamed by batch"),
    ("driftline-evidently", 'driftline: compare(tables, preset="evidently"), exact'),
    ("driftline-nannyml", 'driftline: compare(tables, preset="nannyml"), exact'),
]
REFERENCE_TASKS = [
    ("evidently", "Evidently 0.7 Report + DataDriftPreset", "evidently"),
    ("evidently-legacy", "Evidently legacy Report + DataDriftPreset", "evidently"),
    ("nannyml", "NannyML UnivariateDriftCalculator (JS)", "nannyml"),
    ("nannyml-3", "NannyML UnivariateDriftCalculator (JS, KS, Wasserstein)", "nannyml"),
    ("whylogs", "whylogs log x2 + calculate_drift_scores", "whylogs"),
]


# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------


def make_pair(rows: int) -> tuple[pa.Table, pa.Table]:
    """Reference and current tables of ``rows`` rows each: two halves of one
    ``make_table(2 * rows)`` draw, with drift planted in the current half's ``DRIFTED``
    columns (a mean shift of half a standard deviation, a 1.5x scale, a +10% shift of an
    integer column, and two reweighted categorical columns)."""
    both = make_table(2 * rows)
    ref, cur = both.slice(0, rows), both.slice(rows, rows)
    rng = np.random.default_rng(3)

    def num(name: str) -> np.ndarray:
        return cur.column(name).to_numpy()

    def cats(j: int, card: int, p: np.ndarray) -> pa.Array:
        values = np.array([f"cat_{j}_{v}" for v in range(card)], dtype=object)
        return pa.array(values[rng.choice(card, rows, p=p / p.sum())], pa.string())

    new = {
        "n1": num("n1") + 1.0,  # N(1, 2): mean + 0.5 sd
        "n2": (num("n2") - 2.0) * 1.5 + 2.0,  # N(2, 3): sd x 1.5
        "n4": num("n4") + 100,  # integers 0..999: + 100
        "c0": cats(0, 5, np.array([0.4, 0.3, 0.1, 0.1, 0.1])),
        "c4": cats(4, 20, 1.0 / np.arange(1, 21)),
    }
    for name, values in new.items():
        arr = values if isinstance(values, pa.Array) else pa.array(values)
        cur = cur.set_column(cur.schema.get_field_index(name), name, arr)
    return ref.combine_chunks(), cur.combine_chunks()


def write_pair(ref: pa.Table, cur: pa.Table, rows: int, where: Path) -> tuple[str, str]:
    r, c = where / f"reference_{rows}.parquet", where / f"current_{rows}.parquet"
    pq.write_table(ref.slice(0, rows), r)
    pq.write_table(cur.slice(0, rows), c)
    return str(r), str(c)


# ------------------------------------------------------------------------------------------
# driftline children
# ------------------------------------------------------------------------------------------


def _report_summary(report: Any) -> dict[str, Any]:
    return {
        "drifted_columns": len(report.drifted_columns),
        "drifted": report.drifted_columns,
        "findings": len(report.findings),
    }


def driftline_child(task: str, ref: str, cur: str) -> None:
    t0 = time.perf_counter()
    import pyarrow.dataset  # noqa: F401  (loaded by the first read_table; counted as import)

    import driftline

    import_s = time.perf_counter() - t0

    def tables() -> tuple[pa.Table, pa.Table]:
        return pq.read_table(ref), pq.read_table(cur)

    def flow(d: tuple[Any, Any]) -> dict[str, Any]:
        base = driftline.profile(d[0])
        current = driftline.profile(d[1], baseline=base)
        return _report_summary(driftline.compare(base, current))

    def flow_baseline(d: tuple[Any, Any]) -> dict[str, Any]:
        base = driftline.baseline(d[0])
        current = driftline.profile(d[1], baseline=base)
        return _report_summary(driftline.compare(base, current))

    def stream(path: str) -> pa.RecordBatchReader:
        f = pq.ParquetFile(path)
        return pa.RecordBatchReader.from_batches(f.schema_arrow, f.iter_batches(65_536))

    def flow_stream(_: Any) -> dict[str, Any]:
        base = driftline.profile(stream(ref))
        current = driftline.profile(stream(cur), baseline=base)
        return _report_summary(driftline.compare(base, current))

    def preset(name: str) -> Any:
        def run(d: tuple[Any, Any]) -> dict[str, Any]:
            report = driftline.compare(d[0], d[1], preset=name)
            out = _report_summary(report)
            # Per column, for the agreement check against the tools at full size.
            columns: dict[str, dict[str, Any]] = {}
            for f in report.findings:
                if f.category == "drift":
                    score = f.pvalue if f.method in ("ks", "chi2", "z") else f.statistic
                    columns.setdefault(f.column, {})[f.method] = {
                        "score": score,
                        "flagged": f.flagged,
                        "bound": f.bound,
                    }
            out["columns"] = columns
            return out

        return run

    if task in ("driftline", "driftline-1thread"):
        out = measure(tables, flow, import_s)
    elif task == "driftline-baseline":
        out = measure(tables, flow_baseline, import_s)
    elif task == "driftline-stream":
        out = measure(lambda: None, flow_stream, import_s)
    elif task == "driftline-evidently":
        out = measure(tables, preset("evidently"), import_s)
    elif task == "driftline-nannyml":
        out = measure(tables, preset("nannyml"), import_s)
    else:
        raise SystemExit(f"unknown task {task}")
    out["versions"] = {
        "driftline": driftline.__version__,
        "pyarrow": pa.__version__,
        "numpy": np.__version__,
        "threads": os.environ.get("RAYON_NUM_THREADS", str(os.cpu_count())),
    }
    emit(out)


# ------------------------------------------------------------------------------------------
# Parent
# ------------------------------------------------------------------------------------------


def run_child(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "elapsed_s": timeout}
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        tail = "\n".join(p.stderr.strip().splitlines()[-15:])
        return {
            "error": f"exit status {p.returncode}",
            "stderr": tail,
            "elapsed_s": time.perf_counter() - t0,
        }
    out: dict[str, Any] = json.loads(lines[-1])
    out["elapsed_s"] = time.perf_counter() - t0
    return out


def agreement(results: list[dict[str, Any]]) -> list[str]:
    """Per-column agreement of the driftline presets with the tools, on the benchmark data."""
    by = {(r["task"], r["rows"]): r for r in results if "error" not in r}
    lines = []

    def rel(a: float | None, b: float | None) -> float:
        if a is None or b is None:
            return float("inf")
        if a == b:
            return 0.0
        return abs(a - b) / abs(b) if b else float("inf")

    for tool, ours_task, kind in (
        ("evidently-legacy", "driftline-evidently", "evidently"),
        ("evidently", "driftline-evidently", "evidently"),
        ("nannyml-3", "driftline-nannyml", "nannyml"),
    ):
        theirs_r = next((r for (t, _), r in by.items() if t == tool), None)
        if theirs_r is None or (ours_task, theirs_r["rows"]) not in by:
            continue
        ours = by[(ours_task, theirs_r["rows"])]["result"]["columns"]
        theirs = theirs_r["result"]["columns"]
        worst: dict[str, tuple[float, str]] = {}
        verdicts = 0
        missing = []
        for col, v in theirs.items():
            if kind == "evidently":
                name = v.get("stattest_name") or v.get("method")
                method = EVIDENTLY_METHODS.get(name, name)
                score = v.get("drift_score", v.get("score"))
                f = ours.get(col, {}).get(method)
                if f is None:
                    missing.append(f"{col}:{method}")
                    continue
                pairs = [(method, f["score"], score)]
                if "drift_detected" in v and v["drift_detected"] != f["flagged"]:
                    verdicts += 1
            else:
                pairs = []
                for m, mv in v.items():
                    f = ours.get(col, {}).get(NANNYML_METHODS.get(m, m))
                    if f is None:
                        missing.append(f"{col}:{m}")
                        continue
                    pairs.append((m, f["score"], mv.get("value")))
            for m, a, b in pairs:
                d = rel(a, b)
                if d >= worst.get(m, (-1.0, ""))[0]:
                    worst[m] = (d, col)
        parts = [f"{m} max rel diff {d:.2g} ({c})" for m, (d, c) in sorted(worst.items())]
        extra = f"; verdict mismatches {verdicts}" if kind == "evidently" else ""
        extra += f"; missing {missing}" if missing else ""
        lines.append(
            f"{tool} vs {ours_task} [{theirs_r['rows']:,} rows]: " + ", ".join(parts) + extra
        )
    return lines


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(HERE), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + (" (uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fmt(x: Any, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def make_data_child(where: str, rows: int, counts: list[int]) -> None:
    """Generate the data and write one Parquet pair per row count. Runs in its own process so
    that the parent, which spawns every measured child, stays small (see
    ``_reference_tools.measure`` on ``ru_maxrss``)."""
    t0 = time.perf_counter()
    ref_t, cur_t = make_pair(rows)
    files = {n: write_pair(ref_t, cur_t, n, Path(where)) for n in counts}
    emit({"files": files, "seconds": time.perf_counter() - t0})


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    only = set(args.only.split(",")) if args.only else None
    tool_rows = {
        "evidently": args.evidently_rows or args.rows,
        "nannyml": args.nannyml_rows or args.rows,
        "whylogs": args.whylogs_rows or args.rows,
    }
    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    this = str(Path(__file__).resolve())
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench_tools_") as tmp:
        row_counts = sorted({args.rows, *tool_rows.values()}, reverse=True)
        made = run_child(
            [
                sys.executable,
                this,
                "--make-data",
                tmp,
                "--rows",
                str(args.rows),
                "--row-counts",
                ",".join(map(str, row_counts)),
            ],
            args.timeout,
        )
        if "error" in made:
            raise SystemExit(f"data generation failed: {made}")
        files = {int(n): f for n, f in made["files"].items()}
        sizes = {n: sum(os.path.getsize(f) for f in files[n]) / 2**20 for n in row_counts}
        print(
            f"data: {args.rows:,} reference + {args.rows:,} current rows x 25 columns, drift in "
            f"{', '.join(DRIFTED)}; Parquet {sizes[args.rows]:.0f} MB; generated and written in "
            f"{made['seconds']:.1f} s"
        )
        ref_versions = run_child(
            [args.reference_python, str(HERE / "_reference_tools.py"), "versions"], 120
        )

        def record(task: str, label: str, rows: int, cmd: list[str], env: Any = None) -> None:
            load_1 = os.getloadavg()[0]
            res = run_child(cmd, args.timeout, env)
            res.update(task=task, label=label, rows=rows, load_1min_at_start=load_1)
            results.append(res)
            status = res.get("error") or f"{res['wall_s']:.2f} s, peak {res['peak_mb']:.0f} MB"
            print(f"  {label} [{rows:,} rows]: {status}", flush=True)

        for rows in row_counts:
            ref, cur = files[rows]
            tasks = DRIFTLINE_TASKS if rows == args.rows else DRIFTLINE_TASKS[:1]
            for task, label in tasks:
                # The default flow always runs: the ratios are taken against it.
                if only and task not in only and task != "driftline":
                    continue
                env = dict(os.environ)
                if task == "driftline-1thread":
                    env["RAYON_NUM_THREADS"] = "1"
                cmd = [sys.executable, this, "--child", task, "--ref", ref, "--cur", cur]
                record(task, label, rows, cmd, env)
        for task, label, tool in REFERENCE_TASKS:
            if only and task not in only:
                continue
            rows = tool_rows[tool]
            ref, cur = files[rows]
            cmd = [
                args.reference_python,
                str(HERE / "_reference_tools.py"),
                task,
                "--ref",
                ref,
                "--cur",
                cur,
                "--categorical",
                ",".join(CATEGORICAL),
            ]
            record(task, label, rows, cmd)
    load_after = os.getloadavg()
    return {
        "rows": args.rows,
        "tool_rows": tool_rows,
        "drifted_planted": DRIFTED,
        "parquet_mb": sizes,
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "driftline_git": git_state(),
        "reference_versions": ref_versions,
        "load_average_before": load,
        "load_average_after": load_after,
        "results": results,
    }


def print_report(payload: dict[str, Any]) -> None:
    results = payload["results"]
    versions = payload["reference_versions"]
    machine = payload["machine"]
    base = {r["rows"]: r for r in results if r["task"] == "driftline" and "error" not in r}
    print(
        f"\nmachine: {machine['arch']}, {machine['cores']} cores; driftline "
        f"{payload['driftline_git']}, python {machine['python']}; reference tools: "
        + ", ".join(f"{k} {v}" for k, v in versions.items() if k != "elapsed_s")
        + "\n"
    )
    print(
        "| tool | rows (ref = cur) | wall s | read s | compute s | CPU s | peak MB "
        "| above input MB | ratio wall | ratio compute | ratio CPU | load | drifted |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            print(f"| {r['label']} | {r['rows']:,} | {r['error']} | | | | | | | | | | |")
            continue
        b = base.get(r["rows"])
        ratio_w = r["wall_s"] / b["wall_s"] if b else None
        ratio_c = r["compute_s"] / b["compute_s"] if b else None
        ratio_cpu = r["cpu_s"] / b["cpu_s"] if b else None
        res = r.get("result") or {}
        drifted = res.get("drifted_columns", res.get("columns_with_alert"))
        drifted = None if drifted is None else int(drifted)
        print(
            f"| {r['label']} | {r['rows']:,} | {r['wall_s']:.2f} | {r['load_s']:.2f} "
            f"| {r['compute_s']:.2f} | {r['cpu_s']:.1f} | {r['peak_mb']:.0f} "
            f"| {r['peak_above_input_mb']:.0f} | {fmt(ratio_w, '.1f')}x | {fmt(ratio_c, '.1f')}x "
            f"| {fmt(ratio_cpu, '.1f')}x | {fmt(r.get('load_1min_at_start'), '.1f')} "
            f"| {fmt(drifted, '')} |"
        )
    print(
        "\nwall = read + compute (import time excluded, in the JSON as import_s); CPU = user + "
        "system seconds of read + compute; ratios are to driftline's default flow on the same "
        "rows; peak = ru_maxrss of the child; above input = peak RSS of the compute phase minus "
        "RSS with the input loaded; load = 1-minute load average when the child started; "
        "drifted = columns flagged (NannyML: columns with an alert)."
    )
    lines = agreement(results)
    if lines:
        print(
            "\nper-column agreement on this data (NannyML bins KS and Wasserstein from 10,000 "
            "reference rows on; driftline's values are exact):"
        )
        for line in lines:
            print("  " + line)
    la, lb = payload["load_average_before"], payload["load_average_after"]
    print(
        f"load average before / after the run: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} / "
        f"{lb[0]:.2f} {lb[1]:.2f} {lb[2]:.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference-python", help="interpreter with evidently, nannyml, whylogs")
    ap.add_argument("--rows", type=int, default=1_000_000, help="reference rows = current rows")
    ap.add_argument("--evidently-rows", type=int, help="rows for the Evidently runs")
    ap.add_argument("--nannyml-rows", type=int, help="rows for the NannyML runs")
    ap.add_argument("--whylogs-rows", type=int, help="rows for the whylogs runs")
    ap.add_argument("--out", default="bench_tools_results", help="directory for the JSON")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per child process")
    ap.add_argument("--only", help="comma-separated tasks to run (default: all)")
    ap.add_argument("--from-json", help="print the tables of a saved run instead of running")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--ref", help=argparse.SUPPRESS)
    ap.add_argument("--cur", help=argparse.SUPPRESS)
    ap.add_argument("--make-data", help=argparse.SUPPRESS)
    ap.add_argument("--row-counts", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        driftline_child(args.child, args.ref, args.cur)
        return
    if args.make_data:
        make_data_child(args.make_data, args.rows, [int(n) for n in args.row_counts.split(",")])
        return
    if args.from_json:
        print_report(json.loads(Path(args.from_json).read_text()))
        return
    if not args.reference_python:
        ap.error("--reference-python is required")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = run_all(args)
    print_report(payload)
    path = out_dir / f"bench_tools_{args.rows}.json"
    path.write_text(json.dumps(payload, indent=1))
    print(f"raw figures: {path}")


if __name__ == "__main__":
    main()
