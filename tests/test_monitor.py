"""``driftline.Monitor``: windows, exact counts under threads, bad input, delayed labels,
latency, the store, fork, memory."""

from __future__ import annotations

import math
import os
import threading
import time
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import driftline
from driftline import ModelSpec, Monitor, metrics
from driftline.store import MemoryStore

SCHEMA = {"x": "numeric", "c": "categorical", "seg": "categorical"}


def _table(n: int, seed: int = 0, shift: float = 0.0) -> pa.Table:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    return pa.table(
        {
            "x": rng.normal(shift, 1.0, size=n),
            "c": rng.choice(["a", "b", "c"], size=n),
            "seg": rng.choice(["s1", "s2"], size=n),
            "y": y,
            "p": np.clip(y * 0.3 + rng.random(size=n) * 0.7, 0, 1),
        }
    )


SPEC = ModelSpec("binary", label="y", scores="p", labels=[0, 1], segments=["seg"])


def _baseline() -> driftline.Profile:
    return driftline.profile(_table(5000, seed=1).select(["x", "c", "seg"]), SCHEMA)


def test_log_matches_profile_of_the_same_rows() -> None:
    base = _baseline()
    t = _table(5000)
    with Monitor(SCHEMA, baseline=base, window=2000, model=SPEC) as m:
        for r in t.to_pylist():
            m.log(r, None, score=r["p"], label=r["y"])
    ws = m.windows
    assert [w.requests for w in ws] == [2000, 2000, 1000]
    assert [w.profile.row_count for w in ws] == [2000, 2000, 1000]
    merged = ws[0].profile.merge(ws[1].profile).merge(ws[2].profile)
    ref = driftline.profile(t, SCHEMA, baseline=base, model=SPEC)
    assert merged["x"].count == ref["x"].count == 5000
    assert merged["x"].mean == pytest.approx(ref["x"].mean, rel=1e-12)
    assert merged["x"].min == ref["x"].min and merged["x"].max == ref["x"].max
    assert np.array_equal(merged["x"].histogram.counts, ref["x"].histogram.counts)
    assert merged["c"].frequencies == ref["c"].frequencies
    a, b = metrics.from_profile(merged), metrics.from_profile(ref)
    assert a is not None and b is not None
    assert a.n == b.n == 5000
    assert a.accuracy == b.accuracy
    assert a.roc_auc == b.roc_auc
    assert np.array_equal(a.confusion_matrix, b.confusion_matrix)
    # Every window is compared with the baseline and carries its metadata.
    w = ws[0]
    assert w.report is not None and set(w.report.columns) == set(SCHEMA)
    meta = w.profile.metadata
    for key in ("model", "model_version", "window_start", "window_end", "host", "version"):
        assert f"driftline.{key}" in meta
    assert meta["driftline.schema_hash"] and meta["driftline.config_hash"]


def test_log_batch_counts_like_log() -> None:
    t = _table(3000)
    with Monitor(SCHEMA, window=10**9, model=SPEC) as m:
        m.log_batch(t, latency_ms=np.full(3000, 2.0))
        snap = m.snapshot()
        assert snap.row_count == 3000
    (w,) = m.windows
    ref = driftline.profile(t, SCHEMA, model=SPEC)
    assert w.requests == 3000 and w.profile["c"].frequencies == ref["c"].frequencies
    assert w.latency is not None and w.latency.count == 3000


def test_row_windows_are_exact_under_threads() -> None:
    per_thread, threads, window = 20_000, 8, 10_000
    with Monitor({"x": "numeric", "c": "categorical"}, window=window) as m:
        rec = {"x": 1.0, "c": "a"}

        def work() -> None:
            for _ in range(per_thread):
                m.log(rec, 0)

        ts = [threading.Thread(target=work) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    ws = m.windows
    total = per_thread * threads
    assert len(ws) == total // window
    assert all(w.requests == window and w.profile.row_count == window for w in ws)
    assert all(w.profile["c"].frequencies == {"a": window} for w in ws)
    assert m.totals()["requests"] == total


@pytest.mark.parametrize("threads", [8, 32])
def test_time_window_counts_are_exact_under_threads(threads: int) -> None:
    per_thread = 100_000 // threads * 4
    with Monitor({"x": "numeric"}, window="1h") as m:

        def work(k: int) -> None:
            for i in range(per_thread):
                m.log((float(i),), None, latency_ms=1.0)

        ts = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        # Snapshots while writers run are consistent (rows == values counted).
        for _ in range(5):
            s = m.snapshot()
            assert s["x"].count == s.row_count
        for t in ts:
            t.join()
        assert m.snapshot().row_count == per_thread * threads
    totals = m.totals()
    assert totals["requests"] == per_thread * threads
    assert sum(w.profile.row_count for w in m.windows) == per_thread * threads
    assert sum(w.latency.count for w in m.windows if w.latency) == per_thread * threads


def test_bad_input_is_counted_never_raised() -> None:
    schema = {"x": "numeric", "c": "categorical"}
    with Monitor(schema, window=10**9) as m:
        m.log({"x": 1.0, "c": "a"}, 1)  # fine
        m.log({"x": 2.0}, 1)  # missing feature
        m.log({"x": "abc", "c": "a"}, 1)  # wrong type
        m.log({"x": float("nan"), "c": "a"}, 1)  # NaN
        m.log({"x": [1, 2], "c": object()}, 1)  # unreadable values
        m.log(None, 1)  # not a record
        m.log("x=1", 1)  # not a record
        m.log((1.0,), 1)  # wrong length
        m.log({"x": 1.0, "c": "a"}, 1, latency_ms="slow")  # unreadable latency
        m.log({"x": 1.0, "c": "a"}, 1, latency_ms=-3.0)  # impossible latency
        m.log({"x": 1.0, "c": "a"}, 1, timestamp="yesterday")  # unreadable timestamp
        m.log({"x": 1.0, "c": "zzz", "extra": 5}, 1)  # unknown category, extra field: fine
        m.log({"x": np.float32(2.5), "c": np.str_("b")}, 1)  # NumPy scalars: fine
        m.log({"x": True, "c": 7}, 1, error=True)  # bool and int: fine, one error
    (w,) = m.windows
    assert w.requests == 14
    assert w.malformed == 10
    assert w.errors == 1
    x, c = w.profile["x"], w.profile["c"]
    assert x.count == c.count == 14
    assert x.null_count == 2  # the None record and the "x=1" record
    assert x.type_error_count == 2  # "abc", [1, 2]
    assert x.nan_count == 1
    assert c.null_count == 4  # missing, the two non-records and the short tuple
    assert c.type_error_count == 1  # object()
    assert c.frequencies["7"] == 1 and c.frequencies["b"] == 1


def test_time_windows_late_and_future_records() -> None:
    with Monitor({"x": "numeric"}, window="10s") as m:
        now = time.time()
        m.log((1.0,), None, timestamp=now)
        m.log((2.0,), None, timestamp=now - 3600)  # window long closed: late
        m.log((3.0,), None, timestamp=now + 3600)  # an hour ahead: future
        m.log((4.0,), None, timestamp=datetime.now(timezone.utc))
    ws = m.windows
    assert sum(w.requests for w in ws) == 4
    assert sum(w.late for w in ws) == 1
    assert sum(w.future for w in ws) == 1
    assert sum(w.profile.row_count for w in ws) == 3  # the late one is counted, not profiled


def test_time_windows_close_on_their_own() -> None:
    got: list[Any] = []
    with Monitor({"x": "numeric"}, window="200ms", on_window=got.append) as m:
        for i in range(10):
            m.log((float(i),), None)
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            time.sleep(0.05)
        assert got, "the background thread closes the window after its end"
        w = got[0]
        assert w.kind == "window" and w.requests == 10
        assert w.end - w.start <= 0.2 + 1e-6
        assert w.request_rate > 0
    # Idle windows are reported with zero requests, so a stop in traffic is visible.
    assert any(w.requests == 0 for w in m.windows) or len(m.windows) == 1


def test_delayed_labels_join_by_id() -> None:
    t = _table(3000)
    rows = t.to_pylist()
    with Monitor(SCHEMA, window=10**9, model=SPEC) as m:
        for i, r in enumerate(rows):
            m.log(r, None, score=r["p"], id=f"req-{i}")
        assert m.totals()["labels_pending"] == 3000
        matched = m.log_labels([f"req-{i}" for i in range(2000)], [r["y"] for r in rows[:2000]])
        assert matched == 2000
        assert m.log_labels(["nope", "req-1"], [0, 1]) == 0  # unknown, and already joined
    (w,) = m.windows
    assert w.labels["joined"] == 2000 and w.labels["unmatched"] == 2
    perf = w.performance()
    assert perf is not None and perf.n == 2000
    ref = metrics.from_profile(driftline.profile(t.slice(0, 2000), SCHEMA, model=SPEC))
    assert ref is not None and perf.accuracy == ref.accuracy and perf.roc_auc == ref.roc_auc


def test_labels_for_a_closed_window_come_as_an_update() -> None:
    rows = _table(100).to_pylist()
    updates: list[Any] = []
    m = Monitor(SCHEMA, window=50, model=SPEC, on_window=updates.append)
    for i, r in enumerate(rows[:50]):
        m.log(r, None, score=r["p"], id=i)
    m.log(rows[50], None, score=rows[50]["p"], id=50)  # opens the next window
    first = m.flush()
    assert [w.kind for w in first] == ["window"] and first[0].performance() is None
    assert m.log_labels(range(50), [r["y"] for r in rows[:50]]) == 50
    later = m.flush()
    m.close()
    (upd,) = [w for w in later if w.kind == "labels"]
    assert upd.index == first[0].index and upd.labels["joined_late"] == 50
    perf = upd.performance()
    assert perf is not None and perf.n == 50
    assert m.latest_labels is upd


def test_unlabelled_predictions_expire() -> None:
    with Monitor(SCHEMA, window=10**9, model=SPEC, label_ttl="50ms") as m:
        m.log({"x": 1.0, "c": "a", "seg": "s1"}, None, score=0.4, id="late")
        time.sleep(0.2)
        m.flush()
        assert m.log_labels(["late"], [1]) == 0
    total = sum(w.labels.get("expired", 0) for w in m.windows)
    total += sum(w.labels.get("unmatched", 0) for w in m.windows)
    assert total >= 1


def test_label_buffer_is_bounded() -> None:
    with Monitor(SCHEMA, window=10**9, model=SPEC, label_buffer=100, shards=1) as m:
        for i in range(250):
            m.log({"x": 1.0, "c": "a", "seg": "s1"}, None, score=0.4, id=i)
        assert m.totals()["labels_pending"] == 100
    assert sum(w.labels["evicted"] for w in m.windows) == 150


def test_latency_quantiles_within_the_sketch_accuracy() -> None:
    rng = np.random.default_rng(3)
    lat = rng.lognormal(1.0, 1.0, size=20_000)
    with Monitor({"x": "numeric"}, window=10**9) as m:
        for v in lat:
            m.log((1.0,), None, latency_ms=float(v))
    (w,) = m.windows
    for q, v in w.latency_quantiles().items():
        exact = np.quantile(lat, q, method="lower")
        hi = np.quantile(lat, q, method="higher")
        assert exact * (1 - 0.011) <= v <= hi * (1 + 0.011), q


class _FlakyStore(MemoryStore):
    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.calls = 0

    def save(self, window: Any) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise OSError("disk full")
        return super().save(window)


def test_a_failing_store_is_retried() -> None:
    store = _FlakyStore(failures=2)
    with Monitor({"x": "numeric"}, window=100, store=store, backoff=(0.01, 0.05)) as m:
        for i in range(300):
            m.log((float(i),), None)
    assert len(store.keys()) == 3
    totals = m.totals()
    assert totals["store_errors"] == 2 and totals["store_failed"] == 0


class _StuckStore(MemoryStore):
    """A store whose writes hang until released."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def save(self, window: Any) -> str:
        self.entered.set()
        self.release.wait()
        return super().save(window)


def test_a_hanging_store_never_blocks_logging() -> None:
    store = _StuckStore()
    m = Monitor({"x": "numeric"}, window=10, store=store)
    try:
        for i in range(10):
            m.log((float(i),), None)
        m.flush()  # the first window goes to the store, whose write now hangs
        assert store.entered.wait(10)
        # With the store stuck in a write, logging and closing windows go on.
        for i in range(1000):
            m.log((float(i),), None)
        m.flush()
        assert m.totals()["requests"] == 1010
        assert len(store.keys()) == 0
    finally:
        store.release.set()
        m.close()
    assert len(store.keys()) == 101


def test_a_store_that_always_fails_is_reported() -> None:
    store = _FlakyStore(failures=10**9)
    with Monitor(
        {"x": "numeric"}, window=10, store=store, store_attempts=2, backoff=(0.0, 0.0)
    ) as m:
        for i in range(20):
            m.log((float(i),), None)
    assert m.totals()["store_failed"] == 2
    assert m.health()["store_last_error"] == "OSError: disk full"


def test_close_flushes_the_open_window_and_is_idempotent() -> None:
    m = Monitor({"x": "numeric"}, window="1h")
    m.log((1.0,), None)
    m.close()
    m.close()
    assert [w.requests for w in m.windows] == [1]
    assert not m.health()["running"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_starts_with_a_clean_working_monitor() -> None:
    m = Monitor({"x": "numeric"}, window="1h")
    stop = threading.Event()

    def busy() -> None:  # keep the parent logging while it forks
        while not stop.is_set():
            m.log((1.0,), None)

    t = threading.Thread(target=busy)
    t.start()
    time.sleep(0.05)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            rows_at_start = m.snapshot().row_count
            for i in range(1000):
                m.log((float(i),), None)
            m.close()
            out = f"{rows_at_start} {sum(x.requests for x in m.windows)}"
        except BaseException as e:
            out = f"error {e!r}"
        os.write(w, out.encode())
        os._exit(0)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    got = os.read(r, 200).decode()
    os.close(r)
    stop.set()
    t.join()
    m.close()
    assert status == 0
    assert got == "0 1000"
    assert sum(x.requests for x in m.windows) > 0


def test_memory_stays_flat() -> None:
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    if not os.path.exists("/proc/self/statm"):
        pytest.skip("needs /proc")
    schema = {f"x{i}": "numeric" for i in range(10)} | {"c": "categorical"}
    rec = {**{f"x{i}": float(i) for i in range(10)}, "c": "a"}
    with Monitor(schema, window=100_000) as m:
        for _ in range(200_000):
            m.log(rec, None, latency_ms=1.0)
        before = rss()
        for _ in range(800_000):
            m.log(rec, None, latency_ms=1.0)
        after = rss()
    assert after - before < 32 * 2**20, (before, after)
    assert m.totals()["requests"] == 1_000_000


def test_window_argument_validation() -> None:
    with pytest.raises(ValueError, match="duration"):
        Monitor({"x": "numeric"}, window="five minutes")
    with pytest.raises(ValueError, match="at least 1 row"):
        Monitor({"x": "numeric"}, window=0)
    with pytest.raises(ValueError, match="schema"):
        Monitor()
    with pytest.raises(driftline.SchemaError, match="segment"):
        Monitor({"x": "numeric"}, model=SPEC)


def test_parse_duration() -> None:
    from driftline._monitor import parse_duration

    assert parse_duration("250ms") == 0.25
    assert parse_duration("1h30m") == 5400
    assert parse_duration(12) == 12.0
    assert math.isclose(parse_duration("1.5s"), 1.5)


def test_processes_never_overwrite_each_other_in_a_file_store(tmp_path: Any) -> None:
    from driftline.store import FileStore

    store = FileStore(tmp_path)
    with Monitor({"x": "numeric"}, window=10, store=store, name="m") as m:
        for i in range(10):
            m.log((float(i),), None)
    (w,) = m.windows
    other = w.profile.with_metadata({"driftline.source": "other-host-123"})
    from dataclasses import replace

    k1 = store.keys()
    k2 = store.save(replace(w, profile=other))
    keys = store.keys()
    assert len(k1) == 1 and len(keys) == 2 and k2 in keys
    assert "~other-host-123" in k2 and f"-{os.getpid()}" in k1[0]
    assert store.load(k2).row_count == 10


def test_rules_fire_on_windows_and_show_in_prometheus() -> None:
    import urllib.request

    from prometheus_client.parser import text_string_to_metric_families

    from driftline.rules import Rule, Rules

    seen: list[Any] = []
    rules = Rules(
        [
            Rule("errors", "error_rate", ">", 0.1, severity="critical"),
            Rule("drift", "drift_detected", "==", 1, labels={"column": "x"}),
        ],
        notifiers=[seen.append],
    )
    base = _baseline()
    drifted = _table(2000, seed=5, shift=3.0).to_pylist()
    with Monitor(SCHEMA, baseline=base, window=1000, rules=rules, name="churn") as m:
        for i, r in enumerate(drifted):
            m.log(r, None, error=i % 4 == 0)
        closed = m.flush()
        assert len(closed) == 2
        fired = {(a.rule, a.state) for w in closed for a in w.alerts}
        assert ("errors", "firing") in fired and ("drift", "firing") in fired
        with m.serve_metrics(0) as server:
            text = urllib.request.urlopen(server.url, timeout=5).read().decode()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    firing = {s.labels["rule"] for s in families["driftline_alert_firing"].samples}
    assert {"errors", "drift"} <= firing
    req = families["driftline_requests"].samples
    assert any(s.value == 2000 and s.labels["model"] == "churn" for s in req)
    rules.flush(5)
    assert any(getattr(a, "rule", None) == "errors" for a in seen)


def test_log_batch_takes_polars_and_pandas() -> None:
    import pandas as pd
    import polars as pl

    t = _table(1000)
    with Monitor(SCHEMA, window="1h", model=SPEC) as m:
        m.log_batch(pl.from_arrow(t))
        m.log_batch(t.to_pandas(), errors=3)
        assert m.snapshot_stats()["requests"] == 2000
    (w,) = m.windows
    assert w.requests == 2000 and w.errors == 3 and w.profile.row_count == 2000
    perf = w.performance()
    assert perf is not None and perf.n == 2000
    assert isinstance(t.to_pandas(), pd.DataFrame)


def test_a_monitor_that_never_logged_reports_no_empty_windows() -> None:
    got: list[Any] = []
    with Monitor({"x": "numeric"}, window="100ms", on_window=got.append):
        time.sleep(0.5)
    assert got == []
