"""Side-by-side benchmarks of the profiling core against the reference tools, in one run.

    pip install -e '.[bench]' && python benches/bench_core.py [--quick]

Prints a Markdown table (median of repeats, and the ratio to the reference) that is copied into
docs/benchmarks.md. Thread counts: "per core" rows pin driftline to one thread (the reference
tools are single-threaded); the other rows use every core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import driftline


def timeit(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def row(name: str, ours: float, ref: float | None, ref_name: str, target: str) -> dict[str, Any]:
    return {
        "benchmark": name,
        "driftline_s": ours,
        "reference": ref_name,
        "reference_s": ref,
        "speedup": (ref / ours) if ref else None,
        "target": target,
    }


def bench_histograms(n: int, repeat: int, label: str = "") -> list[dict[str, Any]]:
    from fast_histogram import histogram1d

    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    lo, hi = float(x.min()), float(x.max())

    def ours_uniform() -> None:
        h = driftline.Histogram.uniform(64, lo, hi)
        h.update(x)

    t_ours = timeit(ours_uniform, repeat)
    t_fh = timeit(lambda: histogram1d(x, bins=64, range=(lo, hi)), repeat)
    out = [
        row(
            f"uniform histogram, 64 bins, {n:,} f64{label}",
            t_ours,
            t_fh,
            "fast_histogram",
            ">= 1.5x per core",
        )
    ]

    edges = np.quantile(x[:100_000], np.linspace(0, 1, 11))

    def ours_edges() -> None:
        h = driftline.Histogram.from_edges(edges)
        h.update(x)

    def numpy_edges() -> None:
        idx = np.searchsorted(edges, x, side="right")
        np.bincount(idx, minlength=len(edges) + 1)

    t_ours = timeit(ours_edges, repeat)
    t_np = timeit(numpy_edges, repeat)
    out.append(
        row(
            f"binning on 10 quantile edges, {n:,} f64{label}",
            t_ours,
            t_np,
            "np.searchsorted+bincount",
            ">= 20x",
        )
    )
    return out


def bench_kll(n: int, repeat: int) -> list[dict[str, Any]]:
    from datasketches import kll_doubles_sketch

    rng = np.random.default_rng(1)
    x = rng.normal(size=n)

    def ours() -> None:
        k = driftline.KLL(200)
        k.update(x)

    def theirs() -> None:
        k = kll_doubles_sketch(200)
        k.update(x)

    out = [
        row(
            f"KLL ingest k=200, {n:,} f64",
            timeit(ours, repeat),
            timeit(theirs, repeat),
            "datasketches.kll_doubles_sketch",
            ">= 4x",
        )
    ]
    # One float per call from Python.
    m = 1_000_000
    vals = rng.normal(size=m).tolist()
    k = driftline.KLL()
    upd = k.update
    t0 = time.perf_counter()
    for v in vals:
        upd(v)
    ours_ns = (time.perf_counter() - t0) / m
    ds = kll_doubles_sketch(200)
    dupd = ds.update
    t0 = time.perf_counter()
    for v in vals:
        dupd(v)
    theirs_ns = (time.perf_counter() - t0) / m
    out.append(
        row(
            "one float into KLL from Python (per call)",
            ours_ns,
            theirs_ns,
            "datasketches",
            "<= 80 ns",
        )
    )
    return out


def make_table(rows: int, seed: int = 2) -> Any:
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    cols: dict[str, Any] = {}
    for i in range(20):
        if i % 4 == 0:
            cols[f"n{i}"] = rng.integers(0, 1000, rows)
        else:
            cols[f"n{i}"] = rng.normal(i, 1.0 + i, rows)
    for j in range(5):
        card = [5, 50, 500, 5000, 20][j]
        cats = np.array([f"cat_{j}_{v}" for v in range(card)], dtype=object)
        cols[f"c{j}"] = pa.array(cats[rng.integers(0, card, rows)], pa.string())
    return pa.table(cols)


def vm_hwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def vm_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_core_child(n: int, repeat: int) -> None:
    """Histogram and KLL rows with driftline pinned to one thread (RAYON_NUM_THREADS=1)."""
    rows = bench_histograms(n, repeat, ", one core") + bench_kll(n, repeat)[:1]
    rows[-1]["benchmark"] += ", one core"
    print(json.dumps(rows))


def run_one_core(script: str, n: int, repeat: int) -> Any:
    """Run ``script --one-core-child N REPEAT`` on one pool thread; its last stdout line (JSON)."""
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, script, "--one-core-child", str(n), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench_one_core(n: int, repeat: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = run_one_core(__file__, n, repeat)
    return rows


def profile_child(rows: int, repeat: int) -> None:
    """Run in a fresh process so peak memory is attributable to profiling alone."""
    t = make_table(rows)
    before = vm_rss_mb()
    hwm_before = vm_hwm_mb()
    t_prof = timeit(lambda: driftline.profile(t), repeat)
    peak = vm_hwm_mb()
    print(
        json.dumps(
            {
                "seconds": t_prof,
                "input_mb": t.nbytes / 2**20,
                "rss_before_mb": before,
                "peak_above_input_mb": max(peak, hwm_before) - before,
            }
        )
    )


def bench_profile(rows: int, repeat: int) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, __file__, "--profile-child", str(rows), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return [
        row(
            f"profile {rows:,} rows x (20 numeric + 5 categorical)",
            r["seconds"],
            None,
            "-",
            "<= 0.4 s",
        ),
        {
            "benchmark": "peak memory above the input table (MB)",
            "driftline_s": r["peak_above_input_mb"],
            "reference": f"input table {r['input_mb']:.0f} MB",
            "reference_s": None,
            "speedup": None,
            "target": "<= 200 MB",
        },
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    ap.add_argument("--profile-child", nargs=2, type=int)
    ap.add_argument("--one-core-child", nargs=2, type=int)
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    if args.profile_child:
        profile_child(*args.profile_child)
        return
    if args.one_core_child:
        one_core_child(*args.one_core_child)
        return
    n = 1_000_000 if args.quick else 10_000_000
    repeat = 3 if args.quick else 7
    # "one core" rows pin driftline to one thread; the others use every core.
    rows = bench_one_core(n, repeat)
    rows += bench_histograms(n, repeat, ", all cores") + bench_kll(n, repeat)
    rows += bench_profile(100_000 if args.quick else 1_000_000, repeat)
    print(
        f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}, numpy {np.__version__}\n"
    )
    print("| benchmark | driftline | reference | reference time | ratio | target |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        unit = "ns" if "per call" in r["benchmark"] else ("MB" if "MB" in r["benchmark"] else "ms")
        scale = 1e9 if unit == "ns" else (1.0 if unit == "MB" else 1e3)
        ours = f"{r['driftline_s'] * scale:.1f} {unit}"
        ref = "-" if r["reference_s"] is None else f"{r['reference_s'] * scale:.1f} {unit}"
        ratio = "-" if r["speedup"] is None else f"{r['speedup']:.1f}x"
        print(f"| {r['benchmark']} | {ours} | {r['reference']} | {ref} | {ratio} | {r['target']} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
