"""The streaming Profiler under concurrent writers."""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa

import driftline


def test_eight_threads_exact_counts_and_consistent_snapshots() -> None:
    base = driftline.profile({"x": np.random.default_rng(0).normal(size=10_000)})
    prof = driftline.Profiler(baseline=base)
    rows, batch, threads = 1_000_000, 125_000, 8
    rng = np.random.default_rng(1)
    chunk = pa.table({"x": rng.normal(size=batch)})
    snapshots: list[driftline.Profile] = []
    stop = threading.Event()

    def writer() -> None:
        for _ in range(rows // batch):
            prof.update(chunk)

    def reader() -> None:
        while not stop.is_set():
            snapshots.append(prof.snapshot())

    ws = [threading.Thread(target=writer) for _ in range(threads)]
    r = threading.Thread(target=reader)
    r.start()
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    stop.set()
    r.join()
    final = prof.snapshot()
    assert final.row_count == threads * rows
    assert final["x"].count == threads * rows
    assert len(snapshots) > 0
    for s in [*snapshots, final]:
        c = s["x"]
        h = c.histogram
        assert h is not None
        assert c.count == s.row_count
        assert c.valid_count == h.total == c.kll.n == c.ddsketch.count
        assert s.row_count % batch == 0


def test_profiler_schema_inferred_from_first_batch() -> None:
    prof = driftline.Profiler()
    prof.update({"a": np.arange(10.0)})
    prof.update({"a": np.arange(5.0), "b": np.arange(5.0)})
    p = prof.snapshot()
    assert p.columns == ["a"] and p.row_count == 15
