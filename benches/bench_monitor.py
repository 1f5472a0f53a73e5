"""``driftline.Monitor`` as a model server sees it: what ``monitor.log`` costs per request, from
one thread and from many, what it holds in memory over millions of records, whether it
survives a fork, and how often a single call is slow.

    python benches/bench_monitor.py [--quick] [--reference-python /path/to/venv/bin/python]
                                    [--json FILE]

Sections (each prints a markdown table with the load average at its start and end):

1. Per-record cost of ``monitor.log`` from Python: a 25-field record (20 floats + 5 category
   strings; 10,000 pre-built records whose values vary, cycled) as a dict with keys built at
   run time (``json.loads`` of a JSON line), as a dict with interned keys (like literal keys
   in source), as a tuple in schema order, and as json-keyed dicts cycling through only 64
   records (cached, as the record a server has just parsed); each with the features alone and with
   ``prediction``, ``score``, ``latency_ms`` and ``id`` keyword arguments into a monitor with a
   binary ``ModelSpec``. The timed loop minus the same loop with an empty body, divided by the
   records: median of repeats after a warm-up, every repeat running all the variants in turn,
   with the garbage collector off (as ``timeit`` does). Side by side in the same run:
   ``prometheus_client`` ``Histogram.observe`` of 25 values per record and, with
   ``--reference-python`` (an interpreter that has whylogs, e.g. the virtualenv of
   ``bench_tools.py``), whylogs' ``why.log(row=...)`` and ``DatasetProfile.track(row=...)``
   per record, run in a child process of that interpreter.
2. Threads: 1, 8 and 32 threads each logging 10^6 records (``--quick``: 10^5) into one monitor
   (window "1h"), then ``close()``; wall time, records/s, and whether the closed windows count
   every record exactly (requests, profile rows, every column's count).
3. Memory: RSS (``/proc/self/statm``) every 10^6 records over 10^7 (``--quick``: every 10^5
   over 10^6) into a monitor with row windows of that size, in a fresh process per series.
4. Fork: ``os.fork`` while another thread of the parent logs; the child's monitor must start
   empty and log and close exactly; the child's time to log 10^5 records.
5. Latency of single calls: ``time.perf_counter_ns`` around each of 10^6 calls (``--quick``:
   10^5), less the median cost of the two timer calls; p50, p99, p99.9, max and how many
   calls exceeded 20 µs, 100 µs and 1 ms.

The machine is shared: compare the ratios within one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NUMERIC = [f"n{i}" for i in range(20)]
CATEGORICAL = [f"c{j}" for j in range(5)]
FIELDS = NUMERIC + CATEGORICAL
CARDINALITY = [5, 50, 500, 5000, 20]
N_RECORDS = 10_000
HOT_RECORDS = 64
TARGET_US = 3.0

# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------


def make_lines(n: int = N_RECORDS, seed: int = 7) -> list[str]:
    """``n`` JSON lines of 25 fields: ``n{i}`` ~ Normal(i, 1 + i), ``c{j}`` one of
    ``CARDINALITY[j]`` categories."""
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        rec: dict[str, Any] = {f"n{i}": rng.gauss(i, 1.0 + i) for i in range(20)}
        for j, card in enumerate(CARDINALITY):
            rec[f"c{j}"] = f"cat_{j}_{rng.randrange(card)}"
        lines.append(json.dumps(rec))
    return lines


class Data:
    """The same records in every shape the benchmark logs."""

    def __init__(self, n: int = N_RECORDS) -> None:
        self.lines = make_lines(n)
        #: Dicts as a JSON request body gives them: keys are fresh strings in every record.
        self.json_dicts: list[dict[str, Any]] = [json.loads(line) for line in self.lines]
        keys = [sys.intern(k) for k in FIELDS]
        # Every shape is parsed afresh, so that each record's values sit next to its container
        # in memory as they would in a server (shared values made one shape slower).
        #: Dicts with interned keys (the same objects as literal keys in source code).
        self.interned_dicts = [
            dict(zip(keys, json.loads(line).values(), strict=True)) for line in self.lines
        ]
        #: Tuples in schema order (the JSON lines list the fields in that order).
        self.tuples = [tuple(json.loads(line).values()) for line in self.lines]
        rng = random.Random(11)
        self.scores = [rng.betavariate(2, 5) for _ in range(n)]
        self.preds = [int(s >= 0.5) for s in self.scores]
        self.latencies = [rng.lognormvariate(1.0, 0.5) for _ in range(n)]
        #: 25 floats per record for the Prometheus histograms: the 20 numeric fields and the
        #: 5 category indices.
        self.prom_rows = [
            tuple(float(d[k]) for k in NUMERIC)
            + tuple(float(d[k].rsplit("_", 1)[1]) for k in CATEGORICAL)
            for d in self.json_dicts
        ]


def schema() -> dict[str, str]:
    return {**dict.fromkeys(NUMERIC, "numeric"), **dict.fromkeys(CATEGORICAL, "categorical")}


def model_spec() -> Any:
    import driftline

    # The score column "p" and the label column "y" are not features.
    return driftline.ModelSpec("binary", label="y", scores="p", labels=[0, 1])


def cycle(seq: Sequence[Any], n: int) -> list[Any]:
    reps = -(-n // len(seq))
    return (list(seq) * reps)[:n]


# ------------------------------------------------------------------------------------------
# Measurement helpers
# ------------------------------------------------------------------------------------------


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def rss_mb() -> float:
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def fmt_load(start: Sequence[float], end: Sequence[float]) -> str:
    return (
        f"load average (1/5/15 min) at start {start[0]:.2f} {start[1]:.2f} {start[2]:.2f}, "
        f"at end {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}"
    )


Loop = Callable[[list[Any]], int]


def interleaved(
    variants: Sequence[tuple[Loop, Loop, Callable[[int], list[Any]]]], repeat: int
) -> list[dict[str, Any]]:
    """For each ``(body, empty, items)``: the median over ``repeat`` runs of ``body(items(r))``
    less the median of ``empty(items(r))`` (the same loop without the call), in µs per item.
    Run 0 is a warm-up; every run goes through all the variants in turn, so a change in the
    machine's speed during the run is shared by all of them. ``items(r)`` is built before the
    clock starts; it may differ per run (fresh request ids)."""
    runs: list[list[float]] = [[] for _ in variants]
    empties: list[list[float]] = [[] for _ in variants]
    sizes = [0] * len(variants)
    for r in range(repeat + 1):
        for v, (body, empty, items) in enumerate(variants):
            xs = items(r)
            n = sizes[v] = len(xs)
            gc.collect()
            gc.disable()
            try:
                e = empty(xs)
                t = body(xs)
            finally:
                gc.enable()
            del xs
            if r > 0:
                runs[v].append(t / n / 1e3)
                empties[v].append(e / n / 1e3)
    return [
        {
            "us": statistics.median(runs[v]) - statistics.median(empties[v]),
            "loop_us": statistics.median(runs[v]),
            "empty_us": statistics.median(empties[v]),
            "runs_us": runs[v],
            "calls_per_run": sizes[v],
            "repeat": repeat,
        }
        for v in range(len(variants))
    ]


# The loops are written out (not parametrised) so that each empty loop does exactly what its
# timed loop does except the call.


def loop_features(log: Callable[..., Any], xs: list[Any]) -> int:
    t0 = time.perf_counter_ns()
    for r in xs:
        log(r)
    return time.perf_counter_ns() - t0


def empty_features(xs: list[Any]) -> int:
    t0 = time.perf_counter_ns()
    for _r in xs:
        pass
    return time.perf_counter_ns() - t0


def loop_full(log: Callable[..., Any], xs: list[Any]) -> int:
    t0 = time.perf_counter_ns()
    for r, pred, score, lat, rid in xs:
        log(r, prediction=pred, score=score, latency_ms=lat, id=rid)
    return time.perf_counter_ns() - t0


def empty_full(xs: list[Any]) -> int:
    t0 = time.perf_counter_ns()
    for _r, _pred, _score, _lat, _rid in xs:
        pass
    return time.perf_counter_ns() - t0


def loop_observe(observers: list[Callable[[float], None]], xs: list[Any]) -> int:
    t0 = time.perf_counter_ns()
    for row in xs:
        for observe, v in zip(observers, row, strict=True):
            observe(v)
    return time.perf_counter_ns() - t0


def empty_observe(observers: list[Callable[[float], None]], xs: list[Any]) -> int:
    t0 = time.perf_counter_ns()
    for row in xs:
        for _observe, _v in zip(observers, row, strict=True):
            pass
    return time.perf_counter_ns() - t0


def full_items(data: Data, records: list[Any], n: int, tag: str) -> list[Any]:
    """``n`` (record, prediction, score, latency_ms, id) tuples with ids unique to ``tag``."""
    k = len(records)
    return [
        (
            records[i % k],
            data.preds[i % k],
            data.scores[i % k],
            data.latencies[i % k],
            f"{tag}-{i:07d}",
        )
        for i in range(n)
    ]


def full_items_run(data: Data, records: list[Any], n: int, variant: int, r: int) -> list[Any]:
    return full_items(data, records, n, f"v{variant}r{r}")


# ------------------------------------------------------------------------------------------
# 1. Per-record cost
# ------------------------------------------------------------------------------------------


def bench_per_record(data: Data, args: argparse.Namespace, n: int, repeat: int) -> dict[str, Any]:
    import driftline

    start = load()
    shapes = [
        ("dict, keys from json.loads", data.json_dicts),
        ("dict, interned (literal) keys", data.interned_dicts),
        ("tuple in schema order", data.tuples),
        # A server logs the record it has just parsed, so it is in the CPU caches: the same
        # call on 64 records cycled (their values and keys stay cached).
        (
            f"dict, keys from json.loads, {HOT_RECORDS} records cycled (cached)",
            data.json_dicts[:HOT_RECORDS],
        ),
    ]
    monitors = []
    variants: list[tuple[Loop, Loop, Callable[[int], list[Any]]]] = []
    names = []
    for shape, records in shapes:
        m = driftline.Monitor(schema(), window="1h")
        xs = cycle(records, n)
        variants.append((partial(loop_features, m.log), empty_features, lambda r, xs=xs: xs))
        monitors.append(m)
        names.append(f"{shape}, features only")
        m = driftline.Monitor(schema(), window="1h", model=model_spec())
        variants.append(
            (
                partial(loop_full, m.log),
                empty_full,
                partial(full_items_run, data, records, n, len(names)),
            )
        )
        monitors.append(m)
        names.append(f"{shape}, + prediction, score, latency_ms, id; binary ModelSpec")
    from prometheus_client import CollectorRegistry, Histogram

    registry = CollectorRegistry()
    hists = [Histogram(f"feature_{k}", f"feature {k}", registry=registry) for k in FIELDS]
    observers = [h.observe for h in hists]
    prom_xs = cycle(data.prom_rows, n)
    variants.append(
        (
            partial(loop_observe, observers),
            partial(empty_observe, observers),
            lambda r: prom_xs,
        )
    )
    results = interleaved(variants, repeat)
    rows: list[dict[str, Any]] = []
    for name, m, res in zip(names, monitors, results, strict=False):
        m.close()
        exact = sum(w.requests for w in m.windows) == (repeat + 1) * n
        rows.append({"variant": name, "exact": exact, **res})
    refs = [{"reference": "prometheus_client Histogram.observe x25", **results[-1]}]
    if args.reference_python:
        refs += bench_whylogs(data, args)
    return {"rows": rows, "references": refs, "load_start": start, "load_end": load()}


def bench_whylogs(data: Data, args: argparse.Namespace) -> list[dict[str, Any]]:
    """whylogs in a child process of ``--reference-python``."""
    quick = args.quick
    with tempfile.TemporaryDirectory(prefix="bench_monitor_") as tmp:
        path = Path(tmp) / "records.jsonl"
        path.write_text("\n".join(data.lines))
        cmd = [
            args.reference_python,
            str(Path(__file__).resolve()),
            "--whylogs-child",
            str(path),
            "--why-log-rows",
            str(20 if quick else 60),
            "--track-rows",
            str(200 if quick else 2000),
            "--child-repeat",
            str(3 if quick else 5),
        ]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        except subprocess.TimeoutExpired:
            return [{"reference": "whylogs", "error": "timed out"}]
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        tail = " | ".join(p.stderr.strip().splitlines()[-5:])
        return [{"reference": "whylogs", "error": f"exit status {p.returncode}: {tail}"}]
    out = json.loads(lines[-1])
    version = out["versions"].get("whylogs")
    return [
        {"reference": f"whylogs {version} why.log(row=dict)", **out["why_log"]},
        {"reference": f"whylogs {version} DatasetProfile.track(row=dict)", **out["track"]},
    ]


def whylogs_child(path: str, why_rows: int, track_rows: int, repeat: int) -> None:
    """Runs under the reference interpreter: never imports driftline."""
    from _reference_tools import compat, emit, versions

    patched = compat()
    import whylogs as why
    from whylogs.core import DatasetProfile

    records = [json.loads(line) for line in Path(path).read_text().splitlines()]

    def loop_log(xs: list[Any]) -> int:
        t0 = time.perf_counter_ns()
        for r in xs:
            why.log(row=r)
        return time.perf_counter_ns() - t0

    prof = DatasetProfile()
    track = prof.track

    def loop_track(xs: list[Any]) -> int:
        t0 = time.perf_counter_ns()
        for r in xs:
            track(row=r)
        return time.perf_counter_ns() - t0

    why_xs = cycle(records, why_rows)
    track_xs = cycle(records, track_rows)
    emit(
        {
            "why_log": interleaved([(loop_log, empty_features, lambda r: why_xs)], repeat)[0],
            "track": interleaved([(loop_track, empty_features, lambda r: track_xs)], repeat)[0],
            "versions": versions(),
            "compat": patched,
        }
    )


def print_per_record(sec: dict[str, Any]) -> None:
    print("\n## 1. Per-record cost of `monitor.log` from Python\n")
    print(fmt_load(sec["load_start"], sec["load_end"]) + "\n")
    rows = sec["rows"]
    print("| record | µs per record | loop µs | empty loop µs | runs | target ≤ 3 µs | exact |")
    print("|---|---:|---:|---:|---|---|---|")
    for r in rows:
        status = "met" if r["us"] <= TARGET_US else "**not met**"
        runs = f"{r['repeat']} x {r['calls_per_run']:,}"
        print(
            f"| {r['variant']} | {r['us']:.2f} | {r['loop_us']:.2f} | {r['empty_us']:.3f} "
            f"| {runs} | {status} | {'yes' if r['exact'] else '**no**'} |"
        )
    base_feat = rows[0]["us"]
    base_full = rows[1]["us"]
    print(
        "\n| reference | µs per record | runs | ratio to driftline dict (json keys), "
        "features only | ratio to driftline dict (json keys) + kwargs + model |"
    )
    print("|---|---:|---|---:|---:|")
    for r in sec["references"]:
        if "error" in r:
            print(f"| {r['reference']} | {r['error']} | | | |")
            continue
        runs = f"{r['repeat']} x {r['calls_per_run']:,}"
        print(
            f"| {r['reference']} | {r['us']:,.2f} | {runs} | {r['us'] / base_feat:,.1f}x "
            f"| {r['us'] / base_full:,.1f}x |"
        )
    print(
        "\nµs per record = median timed loop - median empty loop (the same loop and argument "
        "unpacking without the call), garbage collector off; ratio = reference time / "
        "driftline time. Prometheus: 25 `Histogram` objects (default buckets) in their own "
        "registry, one `observe` each per record (20 numeric fields + 5 category indices); "
        "its empty loop keeps the zip over the 25 values, so only the calls are counted. "
        "whylogs runs in a child process of the reference interpreter: `why.log(row=)` builds "
        "a new profile per call (its per-row API); `DatasetProfile.track(row=)` adds to one. "
        f"The records cycle through {N_RECORDS:,} distinct ones (about 28 MB of Python objects "
        "as dicts, more than the caches hold), so each call also reads its record from memory; "
        f"the `{HOT_RECORDS} records cycled` rows keep them cached, as a server logging the "
        "record it has just parsed does."
    )


# ------------------------------------------------------------------------------------------
# 2. Threads
# ------------------------------------------------------------------------------------------


def thread_worker(
    log: Callable[..., Any],
    barrier: threading.Barrier,
    base: list[Any],
    first_id: int,
    n: int,
    failures: list[BaseException],
) -> None:
    """Log ``n`` records (cycling ``base``) with ids ``first_id``, ``first_id + 1``, ..."""
    try:
        rid = first_id
        left = n
        barrier.wait()
        while left:
            chunk = base if left >= len(base) else base[:left]
            for r, pred, score, lat in chunk:
                log(r, prediction=pred, score=score, latency_ms=lat, id=rid)
                rid += 1
            left -= len(chunk)
    except BaseException as e:
        failures.append(e)


def bench_threads(data: Data, per_thread: int, counts: Sequence[int]) -> dict[str, Any]:
    import driftline

    start = load()
    base = [
        (r, data.preds[i], data.scores[i], data.latencies[i])
        for i, r in enumerate(data.interned_dicts)
    ]
    rows = []
    for threads in counts:
        m = driftline.Monitor(schema(), window="1h", model=model_spec())
        log = m.log
        barrier = threading.Barrier(threads + 1)
        failures: list[BaseException] = []

        ts = [
            threading.Thread(
                target=thread_worker,
                args=(log, barrier, base, t * per_thread, per_thread, failures),
            )
            for t in range(threads)
        ]
        for t in ts:
            t.start()
        barrier.wait()
        t0 = time.perf_counter()
        for t in ts:
            t.join()
        wall = time.perf_counter() - t0
        t1 = time.perf_counter()
        m.close()
        close_s = time.perf_counter() - t1
        expected = threads * per_thread
        windows = m.windows
        requests = sum(w.requests for w in windows)
        rowcount = sum(w.profile.row_count for w in windows)
        col_counts = {c: sum(w.profile[c].count for w in windows) for c in FIELDS}
        malformed = sum(w.malformed for w in windows)
        exact = (
            requests == expected
            and rowcount == expected
            and all(v == expected for v in col_counts.values())
            and malformed == 0
            and not failures
        )
        rows.append(
            {
                "threads": threads,
                "records": expected,
                "log_s": wall,
                "records_per_s": expected / wall,
                "close_s": close_s,
                "windows": len(windows),
                "requests": requests,
                "row_count": rowcount,
                "column_counts_min": min(col_counts.values()),
                "column_counts_max": max(col_counts.values()),
                "malformed": malformed,
                "exact": exact,
                "failures": [repr(e) for e in failures],
            }
        )
        del m, windows
        gc.collect()
    return {"rows": rows, "per_thread": per_thread, "load_start": start, "load_end": load()}


def print_threads(sec: dict[str, Any]) -> None:
    print("\n## 2. Threads logging into one monitor (window 1h), exact counts\n")
    print(fmt_load(sec["load_start"], sec["load_end"]) + "\n")
    print(
        "| threads | records | log wall s | records/s | vs 1 thread | close() s | windows "
        "| Σ requests | Σ profile rows | column counts | exact |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    one = next((r for r in sec["rows"] if r["threads"] == 1), None)
    for r in sec["rows"]:
        rel = f"{r['records_per_s'] / one['records_per_s']:.2f}x" if one else "-"
        cc = (
            f"{r['column_counts_min']:,}"
            if r["column_counts_min"] == r["column_counts_max"]
            else f"{r['column_counts_min']:,} to {r['column_counts_max']:,}"
        )
        print(
            f"| {r['threads']} | {r['records']:,} | {r['log_s']:.2f} | {r['records_per_s']:,.0f} "
            f"| {rel} | {r['close_s']:.3f} | {r['windows']} | {r['requests']:,} "
            f"| {r['row_count']:,} | {cc} | {'exact' if r['exact'] else '**not exact**'} |"
        )
    print(
        f"\nEach thread logs {sec['per_thread']:,} records (dict with interned keys, "
        "prediction, score, latency_ms, an integer id unique across threads) into one monitor "
        "with a binary ModelSpec; log wall = from a barrier release to the last join; "
        "exact = Σ requests, Σ profile rows and every column's count equal threads x records "
        "per thread, and nothing counted malformed."
    )


# ------------------------------------------------------------------------------------------
# 3. Memory
# ------------------------------------------------------------------------------------------


def memory_child(variant: str, total: int, step: int) -> None:
    """Runs in a fresh process: RSS every ``step`` records over ``total``."""
    import driftline

    data = Data()
    recs = data.interned_dicts
    k = len(recs)
    spec = model_spec() if variant == "serving" else None
    m = driftline.Monitor(schema(), window=step, model=spec)
    log = m.log
    gc.collect()
    series = [(0, rss_mb())]
    t0 = time.perf_counter()
    i = 0
    while i < total:
        end = min(i + step, total)
        if variant == "serving":
            preds, scores, lats = data.preds, data.scores, data.latencies
            for j in range(i, end):
                x = j % k
                log(recs[x], prediction=preds[x], score=scores[x], latency_ms=lats[x], id=f"q{j}")
        else:
            for j in range(i, end):
                log(recs[j % k])
        i = end
        series.append((i, rss_mb()))
    elapsed = time.perf_counter() - t0
    m.close()
    windows = m.windows
    print(
        json.dumps(
            {
                "variant": variant,
                "series": series,
                "after_close_mb": rss_mb(),
                "seconds": elapsed,
                "windows": len(windows),
                "requests": sum(w.requests for w in windows),
                "pending_labels_at_close": m.totals()["labels_pending"],
                "evicted": sum(w.labels.get("evicted", 0) for w in windows),
            }
        )
    )


def bench_memory(total: int, step: int) -> dict[str, Any]:
    start = load()
    out = []
    for variant in ("features", "serving"):
        p = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--memory-child",
                variant,
                str(total),
                str(step),
            ],
            capture_output=True,
            text=True,
        )
        lines = p.stdout.strip().splitlines()
        if p.returncode != 0 or not lines:
            out.append({"variant": variant, "error": p.stderr.strip().splitlines()[-5:]})
            continue
        out.append(json.loads(lines[-1]))
    return {"series": out, "total": total, "step": step, "load_start": start, "load_end": load()}


def print_memory(sec: dict[str, Any]) -> None:
    step = sec["step"]
    print(f"\n## 3. Memory over {sec['total']:,} records (row windows of {step:,})\n")
    print(fmt_load(sec["load_start"], sec["load_end"]) + "\n")
    ok = [s for s in sec["series"] if "error" not in s]
    for s in sec["series"]:
        if "error" in s:
            print(f"{s['variant']} failed: {s['error']}\n")
    if not ok:
        return
    names = {
        "features": "features only",
        "serving": "+ prediction, score, latency_ms, string id; ModelSpec",
    }
    print("| records logged | " + " | ".join(f"RSS MB, {names[s['variant']]}" for s in ok) + " |")
    print("|---:|" + "---:|" * len(ok))
    for i, (n, _) in enumerate(ok[0]["series"]):
        print(f"| {n:,} | " + " | ".join(f"{s['series'][i][1]:.1f}" for s in ok) + " |")
    print("| after close() | " + " | ".join(f"{s['after_close_mb']:.1f}" for s in ok) + " |")
    print()
    print(
        "| series | growth after the first "
        f"{step:,} | max - min after the first {step:,} | windows | Σ requests | s to log |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for s in ok:
        after = [v for n, v in s["series"] if n >= step]
        s["growth_after_first_mb"] = after[-1] - after[0]
        s["spread_after_first_mb"] = max(after) - min(after)
        print(
            f"| {names[s['variant']]} | {s['growth_after_first_mb']:+.1f} MB "
            f"| {s['spread_after_first_mb']:.1f} MB | {s['windows']} | {s['requests']:,} "
            f"| {s['seconds']:.1f} |"
        )
    print(
        "\nEach series runs in a fresh process (RSS from /proc/self/statm; the 10,000 records "
        "and the interpreter are already resident at 0). The serving series keeps up to "
        "1,000,000 ids waiting for their labels (the default label_buffer; older ones are "
        "evicted), and the monitor keeps its last 64 closed windows (history)."
    )


# ------------------------------------------------------------------------------------------
# 4. Fork
# ------------------------------------------------------------------------------------------


def fork_once(data: Data, child_n: int, tag: str) -> dict[str, Any]:
    import driftline

    m = driftline.Monitor(schema(), window="1h", model=model_spec())
    log = m.log
    items = full_items(data, data.interned_dicts, child_n, f"child-{tag}")
    base = [
        (r, data.preds[i], data.scores[i], data.latencies[i])
        for i, r in enumerate(data.interned_dicts)
    ]
    stop = threading.Event()
    logged = [0]

    def parent_logger() -> None:
        k = 0
        while not stop.is_set():
            for r, pred, score, lat in base[:1000]:
                log(r, prediction=pred, score=score, latency_ms=lat, id=f"p{tag}-{k}")
                k += 1
                logged[0] = k

    th = threading.Thread(target=parent_logger)
    th.start()
    while logged[0] < 20_000:
        time.sleep(0.001)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(rfd)
            stats = m.snapshot_stats()
            totals = m.totals()
            empty = stats["requests"] == 0 and totals["requests"] == 0 and not m.windows
            running = m.health()["running"]
            t0 = time.perf_counter()
            for r, pred, score, lat, rid in items:
                log(r, prediction=pred, score=score, latency_ms=lat, id=rid)
            t = time.perf_counter() - t0
            m.close()
            ws = m.windows
            exact = (
                sum(w.requests for w in ws) == child_n
                and sum(w.profile.row_count for w in ws) == child_n
                and m.totals()["requests"] == child_n
            )
            res = {
                "empty_at_start": empty,
                "background_running": running,
                "requests_at_start": stats["requests"],
                "exact": exact,
                "requests": sum(w.requests for w in ws),
                "seconds": t,
            }
        except BaseException as e:
            res = {"error": repr(e)}
            code = 1
        os.write(wfd, json.dumps(res).encode())
        os.close(wfd)
        os._exit(code)
    os.close(wfd)
    # The parent keeps logging while the child runs.
    chunks = []
    deadline = time.monotonic() + 120
    status = None
    while time.monotonic() < deadline:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
        time.sleep(0.01)
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    while True:
        b = os.read(rfd, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(rfd)
    stop.set()
    th.join()
    m.close()
    parent_n = logged[0]
    parent_exact = sum(w.requests for w in m.windows) == parent_n
    try:
        res = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        res = {}
    if status is None:
        res["error"] = "child timed out after 120 s"
    elif not res:
        res["error"] = f"child exit status {status}"
    res.update(parent_records=parent_n, parent_exact=parent_exact)
    res["ok"] = bool(
        res.get("empty_at_start") and res.get("exact") and parent_exact and "error" not in res
    )
    return res


def bench_fork(data: Data, child_n: int, repeat: int) -> dict[str, Any]:
    start = load()
    runs = [fork_once(data, child_n, str(r)) for r in range(repeat)]
    return {"runs": runs, "child_records": child_n, "load_start": start, "load_end": load()}


def print_fork(sec: dict[str, Any]) -> None:
    print("\n## 4. Fork while another thread logs\n")
    print(fmt_load(sec["load_start"], sec["load_end"]) + "\n")
    print(
        "| fork | child empty at start | child background thread | child exact "
        "| child µs per record | parent records | parent exact | ok |"
    )
    print("|---:|---|---|---|---:|---:|---|---|")
    n = sec["child_records"]
    for i, r in enumerate(sec["runs"]):
        us = f"{r['seconds'] / n * 1e6:.2f}" if "seconds" in r else "-"
        print(
            f"| {i + 1} | {r.get('empty_at_start', '-')} | "
            f"{'running' if r.get('background_running') else 'not running'} | "
            f"{r.get('exact', '-')} | {us} | {r['parent_records']:,} | {r['parent_exact']} | "
            f"{'ok' if r['ok'] else '**not ok**: ' + r.get('error', '')} |"
        )
    times = [r["seconds"] for r in sec["runs"] if "seconds" in r]
    if times:
        t = statistics.median(times)
        print(
            f"\nchild's time to log {n:,} records (dict, interned keys, + prediction, score, "
            f"latency_ms, string id): median {t * 1e3:.0f} ms ({t / n * 1e6:.2f} µs per "
            f"record) over {len(times)} forks; "
            + ("all ok" if all(r["ok"] for r in sec["runs"]) else "**not all ok**")
        )


# ------------------------------------------------------------------------------------------
# 5. Latency of single calls
# ------------------------------------------------------------------------------------------


def latency_run(log: Callable[..., Any], data: Data, n: int, full: bool) -> dict[str, Any]:
    pc = time.perf_counter_ns
    k = N_RECORDS
    recs, preds, scores, lats = data.interned_dicts, data.preds, data.scores, data.latencies
    out = array("q", bytes(8 * n))
    over = array("q", bytes(8 * n))
    gc.collect()
    gc.disable()
    try:
        for i in range(n):  # the two timer calls alone
            t0 = pc()
            t1 = pc()
            over[i] = t1 - t0
        if full:
            for i in range(n):
                x = i % k
                r, pred, score, lat, rid = recs[x], preds[x], scores[x], lats[x], f"l-{i}"
                t0 = pc()
                log(r, prediction=pred, score=score, latency_ms=lat, id=rid)
                t1 = pc()
                out[i] = t1 - t0
        else:
            for i in range(n):
                r = recs[i % k]
                t0 = pc()
                log(r)
                t1 = pc()
                out[i] = t1 - t0
    finally:
        gc.enable()
    timer = statistics.median(over)
    xs = sorted(v - timer for v in out)

    def q(p: float) -> float:
        return xs[min(int(p * n), n - 1)] / 1e3

    return {
        "calls": n,
        "timer_ns": timer,
        "p50_us": q(0.5),
        "p99_us": q(0.99),
        "p999_us": q(0.999),
        "max_us": xs[-1] / 1e3,
        "over_20us": sum(1 for v in xs if v > 20_000),
        "over_100us": sum(1 for v in xs if v > 100_000),
        "over_1ms": sum(1 for v in xs if v > 1_000_000),
    }


def bench_latency(data: Data, n: int) -> dict[str, Any]:
    import driftline

    start = load()
    rows = []
    for name, full in (
        ("dict (interned keys), features only", False),
        ("dict (interned keys) + prediction, score, latency_ms, string id; ModelSpec", True),
    ):
        m = driftline.Monitor(schema(), window="1h", model=model_spec() if full else None)
        # Warm-up: the first window's accumulators and the label buffer's first allocations.
        latency_run(m.log, data, min(n, 20_000), full)
        res = latency_run(m.log, data, n, full)
        m.close()
        rows.append({"call": name, **res})
    return {"rows": rows, "load_start": start, "load_end": load()}


def print_latency(sec: dict[str, Any]) -> None:
    print("\n## 5. Latency of single `log` calls\n")
    print(fmt_load(sec["load_start"], sec["load_end"]) + "\n")
    print(
        "| call | calls | timer ns | p50 µs | p99 µs | p99.9 µs | max µs | > 20 µs | > 100 µs "
        "| > 1 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in sec["rows"]:
        print(
            f"| {r['call']} | {r['calls']:,} | {r['timer_ns']:.0f} | {r['p50_us']:.2f} "
            f"| {r['p99_us']:.2f} | {r['p999_us']:.2f} | {r['max_us']:,.0f} | {r['over_20us']:,} "
            f"| {r['over_100us']:,} | {r['over_1ms']:,} |"
        )
    print(
        "\n`time.perf_counter_ns()` before and after each call, less the median of the two "
        "timer calls alone (timer ns); garbage collector off; after a warm-up of 20,000 "
        "calls. Includes any wait for the GIL or a shard lock held by the background thread."
    )


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    ap.add_argument("--reference-python", help="interpreter with whylogs (optional)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument(
        "--sections", default="1,2,3,4,5", help="comma-separated sections to run (default: all)"
    )
    ap.add_argument("--whylogs-child", help=argparse.SUPPRESS)
    ap.add_argument("--why-log-rows", type=int, default=60, help=argparse.SUPPRESS)
    ap.add_argument("--track-rows", type=int, default=2000, help=argparse.SUPPRESS)
    ap.add_argument("--child-repeat", type=int, default=5, help=argparse.SUPPRESS)
    ap.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.whylogs_child:
        whylogs_child(args.whylogs_child, args.why_log_rows, args.track_rows, args.child_repeat)
        return
    if args.memory_child:
        variant, total, step = args.memory_child
        memory_child(variant, int(total), int(step))
        return

    import driftline

    quick = args.quick
    sections = {int(s) for s in args.sections.split(",") if s}
    repeat = 3 if quick else 7
    calls = 20_000 if quick else 100_000
    per_thread = 100_000 if quick else 1_000_000
    mem_total = 1_000_000 if quick else 10_000_000
    mem_step = mem_total // 10
    latency_calls = 100_000 if quick else 1_000_000

    import importlib.metadata as md

    payload: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "quick": quick,
        "machine": {
            "arch": platform.machine(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "versions": {
            "driftline": driftline.__version__,
            "prometheus_client": md.version("prometheus-client"),
        },
        "load_start": load(),
    }
    print(f"# driftline.Monitor benchmark, {payload['date']}{' (--quick)' if quick else ''}\n")
    print(
        f"{payload['machine']['arch']}, {payload['machine']['cores']} cores, Python "
        f"{payload['machine']['python']}, driftline {driftline.__version__}, prometheus_client "
        f"{payload['versions']['prometheus_client']}; load average at start "
        + " ".join(f"{x:.2f}" for x in payload["load_start"])
    )
    data = Data()
    if 1 in sections:
        payload["per_record"] = bench_per_record(data, args, calls, repeat)
        print_per_record(payload["per_record"])
        sys.stdout.flush()
    if 2 in sections:
        payload["threads"] = bench_threads(data, per_thread, (1, 8, 32))
        print_threads(payload["threads"])
        sys.stdout.flush()
    if 3 in sections:
        payload["memory"] = bench_memory(mem_total, mem_step)
        print_memory(payload["memory"])
        sys.stdout.flush()
    if 4 in sections:
        payload["fork"] = bench_fork(data, 100_000, 3 if quick else 5)
        print_fork(payload["fork"])
        sys.stdout.flush()
    if 5 in sections:
        payload["latency"] = bench_latency(data, latency_calls)
        print_latency(payload["latency"])
    payload["load_end"] = load()
    print(
        f"\nload average at end {' '.join(f'{x:.2f}' for x in payload['load_end'])}; finished "
        + time.strftime("%Y-%m-%d %H:%M:%S %Z")
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(payload, f, indent=1)


if __name__ == "__main__":
    main()
