"""driftline.prometheus: the exposition of a monitor, scraped over loopback and parsed back."""

from __future__ import annotations

import logging
import math
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

import driftline
from driftline._demo import example_data
from driftline._window import Sample, Window
from driftline.prometheus import (
    LATENCY_BUCKETS,
    MetricsServer,
    MonitorCollector,
    label_name,
    metric_name,
    serve_metrics,
)

T0 = 1_764_460_800.0  # 2025-11-30T00:00:00Z
BASE = {"model": "churn", "version": "1.2"}
TOTALS = {
    "requests": 1234.0,
    "errors": 5.0,
    "malformed": 7.0,
    "late": 2.0,
    "future": 1.0,
    "windows": 3.0,
    "labels_joined": 100.0,
    "labels_joined_late": 10.0,
    "labels_unmatched": 4.0,
    "labels_expired": 3.0,
    "labels_evicted": 1.0,
    "labels_duplicate_ids": 6.0,
    "labels_unlabeled": 8.0,
    "labels_model_errors": 0.0,
    "labels_updates": 2.0,
    "labels_pending": 42.0,
    "store_errors": 0.0,
    "store_failed": 0.0,
    "store_dropped": 1.0,
    "notifier_errors": 2.0,
    "compare_errors": 0.0,
    "rules_errors": 1.0,
    "callback_errors": 0.0,
}
# totals() key -> exported counter (without _total)
COUNTERS = {
    "requests": "driftline_requests",
    "errors": "driftline_errors",
    "malformed": "driftline_malformed",
    "late": "driftline_late",
    "future": "driftline_future",
    "windows": "driftline_windows",
    "labels_updates": "driftline_label_updates",
    "store_errors": "driftline_store_errors",
    "store_failed": "driftline_store_failed",
    "store_dropped": "driftline_store_dropped",
    "notifier_errors": "driftline_notifier_errors",
    "compare_errors": "driftline_compare_errors",
    "rules_errors": "driftline_rules_errors",
    "callback_errors": "driftline_callback_errors",
}
STATUSES = [
    "joined",
    "joined_late",
    "unmatched",
    "expired",
    "evicted",
    "duplicate_ids",
    "unlabeled",
    "model_errors",
]
SPEC = driftline.ModelSpec("binary", label="label", scores="p", labels=[0, 1])
METRIC_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

Key = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class FakeAlert:
    rule: str
    severity: str
    labels: Mapping[str, str]
    value: float | None


@dataclass
class FakeRules:
    firing: list[FakeAlert]


@dataclass
class FakeMonitor:
    """The attributes driftline.Monitor exposes to the exporter."""

    name: str = "churn"
    version: str = "1.2"
    latest: Any = None
    latest_labels: Any = None
    latency_total: driftline.DDSketch = field(default_factory=driftline.DDSketch)
    rules: Any = None
    counts: dict[str, float] = field(default_factory=lambda: dict(TOTALS))

    def totals(self) -> dict[str, float]:
        return dict(self.counts)


@dataclass
class World:
    window: Window
    late: Window
    latency_values: np.ndarray[Any, Any]
    latency_total: driftline.DDSketch


def with_model(t: pa.Table, rng: np.random.Generator) -> pa.Table:
    n = t.num_rows
    p = rng.random(n)
    label = (rng.random(n) < p).astype(np.int64)
    return t.append_column("label", pa.array(label)).append_column("p", pa.array(p))


@pytest.fixture(scope="module")
def world() -> World:
    rng = np.random.default_rng(7)
    ref = with_model(example_data(4000, seed=1), rng)
    cur = with_model(example_data(2000, drift=True, seed=1), rng)
    base = driftline.profile(ref, model=SPEC)
    cur_p = driftline.profile(cur, baseline=base)
    report = driftline.compare(base, cur_p)
    window_latency = driftline.DDSketch()
    window_latency.update(rng.lognormal(3.0, 1.0, 2000))
    window = Window(
        index=3,
        kind="window",
        start=T0,
        end=T0 + 60.0,
        profile=cur_p,
        requests=2000,
        errors=3,
        malformed=1,
        late=2,
        labels={"joined": 1500, "unmatched": 2},
        latency=window_latency,
        resources={"cpu_percent": 12.5, "rss_bytes": 1.5e8, "threads": 9.0},
        report=report,
        alerts=(FakeAlert("drift", "warning", {}, 0.4),),
    )
    late_data = with_model(example_data(500, seed=3), rng)
    late = Window(
        index=2,
        kind="labels",
        start=T0 - 60.0,
        end=T0,
        profile=driftline.profile(late_data.select(["label", "p"]), model=SPEC),
        labels={"joined_late": 500},
    )
    # Every closed window's latencies: sub-millisecond, the body, and a tail past 10 s.
    values = np.concatenate(
        [rng.uniform(0.05, 0.99, 300), rng.lognormal(3.5, 1.3, 20_000), [12_000.0, 60_000.0]]
    )
    total = driftline.DDSketch()
    total.update(values)
    return World(window, late, values, total)


def scrape(server: MetricsServer) -> str:
    with urllib.request.urlopen(server.url, timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        body: bytes = r.read()
    return body.decode("utf-8")


def parse(text: str) -> tuple[dict[str, str], dict[Key, float]]:
    """Family types and every series of an exposition; fails on a duplicate series or an
    invalid name."""
    types: dict[str, str] = {}
    series: dict[Key, float] = {}
    for fam in text_string_to_metric_families(text):
        assert fam.name not in types, f"family {fam.name} appears twice"
        types[fam.name] = fam.type
        for s in fam.samples:
            assert METRIC_RE.match(s.name), s.name
            assert all(LABEL_RE.match(k) and not k.startswith("__") for k in s.labels), s.labels
            assert s.labels["model"] == "churn" and s.labels["version"] == "1.2"
            key = (s.name, tuple(sorted(s.labels.items())))
            assert key not in series, f"duplicate series {key}"
            series[key] = s.value
    return types, series


def key(name: str, **labels: str) -> Key:
    return (name, tuple(sorted({**BASE, **labels}.items())))


def serve_and_parse(monitor: Any) -> tuple[str, dict[str, str], dict[Key, float]]:
    with serve_metrics(monitor, port=0) as server:
        text = scrape(server)
    types, series = parse(text)
    return text, types, series


def window_series(series: dict[Key, float]) -> dict[Key, float]:
    return {
        k: v
        for k, v in series.items()
        if k[0].startswith("driftline_window_")
        and "timestamp" not in k[0]
        and "late_label" not in k[0]
    }


def expected_window_series(w: Window) -> dict[Key, float]:
    """Every sample of the window but NaN ones and the window's alerts (exported from the
    rules' firing alerts instead)."""
    return {
        key("driftline_window_" + s.name, **s.labels): s.value
        for s in w.samples()
        if not math.isnan(s.value) and s.name != "alert_firing"
    }


# ------------------------------------------------------------------------------------------


def test_window_gauges_equal_the_windows_samples(world: World) -> None:
    monitor = FakeMonitor(latest=world.window, latency_total=world.latency_total)
    _, types, series = serve_and_parse(monitor)
    expected = expected_window_series(world.window)
    assert window_series(series) == expected
    for name in {k[0] for k in expected}:
        assert types[name] == "gauge"
    # A few series by name, as a dashboard would select them.
    got = window_series(series)
    assert got[key("driftline_window_drift_score", column="age", method="ks")] > 0
    assert key("driftline_window_drift_pvalue", column="city", method="chi2") in got
    assert 0 < got[key("driftline_window_performance", metric="f1")] < 1
    assert got[key("driftline_window_latency_ms", quantile="0.99")] == pytest.approx(
        world.window.latency_quantiles()[0.99]
    )
    assert got[key("driftline_window_requests")] == 2000
    assert got[key("driftline_window_labels", status="joined")] == 1500
    assert got[key("driftline_window_rss_bytes")] == 1.5e8
    assert any(s.name == "alert_firing" for s in world.window.samples())
    assert "driftline_window_alert_firing" not in types
    assert series[key("driftline_window_start_timestamp_seconds")] == T0
    assert series[key("driftline_window_end_timestamp_seconds")] == T0 + 60.0
    assert types["driftline_window_end_timestamp_seconds"] == "gauge"


def test_a_new_window_replaces_the_gauges(world: World) -> None:
    monitor = FakeMonitor(latest=world.window)
    small = Window(
        index=4, kind="window", start=T0 + 60, end=T0 + 120, profile=world.late.profile, requests=5
    )
    with serve_metrics(monitor, port=0) as server:
        _, first = parse(scrape(server))
        _, again = parse(scrape(server))
        monitor.latest = small
        _, second = parse(scrape(server))
    assert first == again
    assert first[key("driftline_window_requests")] == 2000
    assert second[key("driftline_window_requests")] == 5
    assert second[key("driftline_window_end_timestamp_seconds")] == T0 + 120
    assert window_series(second) == expected_window_series(small)
    assert not any(k[0] == "driftline_window_drift_score" for k in second)


def test_nan_samples_are_skipped(world: World) -> None:
    # No latencies in the window: its latency quantiles are NaN.
    w = Window(index=0, kind="window", start=T0, end=T0 + 60, profile=world.window.profile)
    nan_samples = [s for s in w.samples() if math.isnan(s.value)]
    assert {s.name for s in nan_samples} == {"latency_ms"}
    text, _, series = serve_and_parse(FakeMonitor(latest=w))
    values = [line.rsplit(" ", 1)[1] for line in text.splitlines() if not line.startswith("#")]
    assert "NaN" not in values
    assert not any(k[0] == "driftline_window_latency_ms" for k in series)
    assert window_series(series) == expected_window_series(w)
    assert len(window_series(series)) == len(w.samples()) - len(nan_samples)


def test_nan_alert_values_and_infinite_values() -> None:
    samples = [
        Sample("drift_score", {"column": "a", "method": "psi"}, math.inf),
        Sample("drift_score", {"column": "b", "method": "psi"}, math.nan),
        Sample("drift_score", {"column": "a", "method": "psi"}, 3.0),  # repeated: first kept
    ]

    class Fixed:
        start, end = T0, T0 + 1

        def samples(self) -> list[Sample]:
            return samples

    _, _, series = serve_and_parse(FakeMonitor(latest=Fixed()))
    assert window_series(series) == {
        key("driftline_window_drift_score", column="a", method="psi"): math.inf
    }


def test_latency_histogram(world: World) -> None:
    sketch, values = world.latency_total, world.latency_values
    _, types, series = serve_and_parse(FakeMonitor(latency_total=sketch))
    name = "driftline_request_latency_ms"
    assert types[name] == "histogram"
    buckets = {float(dict(k[1])["le"]): v for k, v in series.items() if k[0] == name + "_bucket"}
    assert sorted(buckets) == [*LATENCY_BUCKETS, math.inf]
    counts = [buckets[b] for b in sorted(buckets)]
    assert counts == sorted(counts), "buckets must be non-decreasing"
    assert buckets[math.inf] == sketch.count == len(values)
    assert series[key(name + "_count")] == sketch.count
    assert series[key(name + "_sum")] == sketch.sum
    assert series[key(name + "_sum")] == pytest.approx(values.sum(), rel=1e-9)
    # Each bucket counts every value <= le and at most those within one sketch bucket above.
    gamma = (1 + sketch.alpha) / (1 - sketch.alpha)
    for le in LATENCY_BUCKETS:
        exact = int((values <= le).sum())
        upper = int((values <= le * gamma * (1 + 1e-12)).sum())
        assert exact <= buckets[le] <= upper, (le, exact, buckets[le], upper)
        assert buckets[le] == pytest.approx(exact, rel=0.05, abs=3)
    assert buckets[10_000.0] == len(values) - 2  # the two values past 10 s


def test_counters(world: World) -> None:
    _, types, series = serve_and_parse(FakeMonitor(latest=world.window))
    for total, name in COUNTERS.items():
        assert types[name] == "counter"
        assert series[key(f"{name}_total")] == TOTALS[total]
    assert types["driftline_labels"] == "counter"
    for status in STATUSES:
        assert series[key("driftline_labels_total", status=status)] == TOTALS[f"labels_{status}"]
    statuses = [dict(k[1])["status"] for k in series if k[0] == "driftline_labels_total"]
    assert statuses == STATUSES  # labels_pending and labels_updates are not statuses
    assert types["driftline_labels_pending"] == "gauge"
    assert series[key("driftline_labels_pending")] == 42
    assert series[key("driftline_exporter_errors_total")] == 0


def test_counters_missing_from_totals_are_left_out() -> None:
    _, types, series = serve_and_parse(FakeMonitor(counts={"requests": 3.0, "errors": math.nan}))
    assert series[key("driftline_requests_total")] == 3
    assert "driftline_errors" not in types
    assert "driftline_labels" not in types


def test_alert_gauges() -> None:
    alerts = [
        FakeAlert("drift_share_high", "critical", {}, 0.5),
        FakeAlert("column_drift", "warning", {"column": "age"}, 0.31),
        FakeAlert("column_drift", "warning", {"column": "income"}, math.nan),
        FakeAlert("column_drift", "warning", {"column": "age"}, 0.31),  # repeated
        FakeAlert("odd", "info", {"model": "m2", "rule": "r", "bad-key": "v", "0x": "z"}, None),
    ]
    monitor = FakeMonitor(rules=FakeRules(alerts))
    _, types, series = serve_and_parse(monitor)
    assert types["driftline_alert_firing"] == "gauge"
    firing = {k: v for k, v in series.items() if k[0] == "driftline_alert_firing"}
    odd = {"alert_model": "m2", "alert_rule": "r", "bad_key": "v", "_0x": "z"}
    assert firing == {
        key("driftline_alert_firing", rule="drift_share_high", severity="critical"): 1.0,
        key("driftline_alert_firing", rule="column_drift", severity="warning", column="age"): 1,
        key("driftline_alert_firing", rule="column_drift", severity="warning", column="income"): 1,
        key("driftline_alert_firing", rule="odd", severity="info", **odd): 1.0,
    }
    values = {k: v for k, v in series.items() if k[0] == "driftline_alert_value"}
    assert values == {
        key("driftline_alert_value", rule="drift_share_high", severity="critical"): 0.5,
        key("driftline_alert_value", rule="column_drift", severity="warning", column="age"): 0.31,
    }


def test_no_alerts_firing_exports_no_alert_series() -> None:
    _, types, _ = serve_and_parse(FakeMonitor(rules=FakeRules([])))
    assert "driftline_alert_firing" not in types


def test_late_label_performance(world: World) -> None:
    _, types, series = serve_and_parse(FakeMonitor(latest_labels=world.late))
    perf = {
        dict(k[1])["metric"]: v
        for k, v in series.items()
        if k[0] == "driftline_window_late_label_performance"
    }
    expected = {
        s.labels["metric"]: s.value
        for s in world.late.samples()
        if s.name == "performance" and not math.isnan(s.value)
    }
    assert perf == expected
    assert {"accuracy", "f1", "roc_auc"} <= set(perf)
    assert types["driftline_window_late_label_performance"] == "gauge"
    assert series[key("driftline_window_late_label_end_timestamp_seconds")] == T0
    # The labels update is not the latest closed window: no other window gauges.
    assert not window_series(series)


def test_monitor_without_a_closed_window_still_serves_counters() -> None:
    monitor = FakeMonitor()
    _, types, series = serve_and_parse(monitor)
    for total, name in COUNTERS.items():
        assert series[key(f"{name}_total")] == TOTALS[total]
    assert not any(name.startswith("driftline_window_") for name in types)
    assert not any(name.startswith("driftline_alert") for name in types)
    buckets = [v for k, v in series.items() if k[0] == "driftline_request_latency_ms_bucket"]
    assert len(buckets) == len(LATENCY_BUCKETS) + 1 and not any(buckets)
    assert series[key("driftline_request_latency_ms_count")] == 0
    assert series[key("driftline_request_latency_ms_sum")] == 0


def test_open_window_gauges() -> None:
    class WithSnapshot(FakeMonitor):
        def snapshot_stats(self) -> dict[str, float]:
            return {"requests": 17.0, "errors": 1.0}

    _, types, series = serve_and_parse(WithSnapshot())
    assert types["driftline_open_window_requests"] == "gauge"
    assert series[key("driftline_open_window_requests")] == 17
    assert series[key("driftline_open_window_errors")] == 1


def test_thousand_columns_parse_without_duplicates() -> None:
    rng = np.random.default_rng(11)
    cols = 1000

    def table(shift: float) -> pa.Table:
        return pa.table({f"f{i:04d}": rng.normal(shift, 1.0, 200) for i in range(cols)})

    base = driftline.profile(table(0.0))
    cur = driftline.profile(table(0.5), baseline=base)
    report = driftline.compare(base, cur)
    w = Window(index=0, kind="window", start=T0, end=T0 + 60, profile=cur, report=report)
    _, _, series = serve_and_parse(FakeMonitor(latest=w))  # parse() rejects duplicates
    assert window_series(series) == expected_window_series(w)
    scores = [k for k in series if k[0] == "driftline_window_drift_score"]
    assert len(scores) == cols
    assert len({dict(k[1])["column"] for k in scores}) == cols


def test_label_values_are_escaped() -> None:
    name = 'we"ird\\col\nname é'
    prof = driftline.profile(pa.table({name: [1.0, 2.0, None]}))
    w = Window(index=0, kind="window", start=T0, end=T0 + 60, profile=prof)
    _, _, series = serve_and_parse(FakeMonitor(latest=w))
    assert series[key("driftline_window_missing", column=name)] == 1
    assert series[key("driftline_window_values", column=name)] == 3


def test_a_failing_part_is_left_out_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        start, end = T0, T0 + 60

        def samples(self) -> list[Sample]:
            raise RuntimeError("boom")

    monitor = FakeMonitor(latest=Broken())
    with caplog.at_level(logging.WARNING, logger="driftline.prometheus"):
        with serve_metrics(monitor, port=0) as server:
            _, first = parse(scrape(server))
            _, second = parse(scrape(server))
    assert first[key("driftline_requests_total")] == TOTALS["requests"]
    assert not window_series(first)
    assert first[key("driftline_exporter_errors_total")] == 1
    assert second[key("driftline_exporter_errors_total")] == 2
    assert "boom" in caplog.text


def test_registration_does_not_collect() -> None:
    class Untouchable(FakeMonitor):
        def totals(self) -> dict[str, float]:
            raise AssertionError("collected at registration")

    collector = MonitorCollector(Untouchable())
    assert collector.describe() == []
    registry = CollectorRegistry()
    registry.register(collector)  # must not call totals()
    registry.unregister(collector)
    registry.register(MonitorCollector(FakeMonitor()))
    _, series = parse(generate_latest(registry).decode())
    assert series[key("driftline_requests_total")] == TOTALS["requests"]


def test_server_lifecycle() -> None:
    monitor = FakeMonitor()
    server = serve_metrics(monitor, port=0)
    other = serve_metrics(FakeMonitor(version="2"), port=0)
    try:
        assert server.port > 0 and other.port != server.port
        assert server.url == f"http://127.0.0.1:{server.port}/metrics"
        assert "driftline_requests_total" in scrape(server)
        assert 'version="2"' in scrape(other)
        # A private registry: the process-wide one is untouched.
        assert server.registry is not REGISTRY
        assert not any(
            s.labels.get("model") == "churn" for m in REGISTRY.collect() for s in m.samples
        )
        assert "serving" in repr(server)
    finally:
        server.close()
        other.close()
    server.close()  # idempotent
    assert server.closed and "closed" in repr(server)
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(server.url, timeout=5)


def test_concurrent_scrapes_while_windows_change(world: World) -> None:
    monitor = FakeMonitor(latest=world.window, latency_total=world.latency_total)
    plain = Window(index=9, kind="window", start=T0, end=T0 + 5, profile=world.window.profile)
    errors: list[BaseException] = []
    stop = threading.Event()

    with serve_metrics(monitor, port=0) as server:

        def scraper() -> None:
            try:
                for _ in range(15):
                    parse(scrape(server))
            except BaseException as e:
                errors.append(e)

        def swapper() -> None:
            while not stop.is_set():
                monitor.latest = plain if monitor.latest is world.window else world.window

        threads = [threading.Thread(target=scraper) for _ in range(4)]
        s = threading.Thread(target=swapper)
        s.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        s.join()
    assert not errors


def test_name_sanitising() -> None:
    assert metric_name("cpu-percent") == "cpu_percent"
    assert metric_name("9lives") == "_9lives"
    assert label_name("__name__") == "label__name__"
    assert label_name("a.b") == "a_b"
    assert label_name("1st") == "_1st"


def monitor_class() -> Any:
    return driftline.Monitor


def test_a_live_monitor_end_to_end() -> None:
    monitor_cls = monitor_class()
    rng = np.random.default_rng(5)
    n = 2000
    score = rng.random(n)
    ref = pa.table(
        {
            "x": rng.normal(0, 1, n),
            "y": rng.normal(5, 2, n),
            "prediction": (score >= 0.5).astype(np.int64),
            "score": score,
            "label": (rng.random(n) < score).astype(np.int64),
        }
    )
    spec = driftline.ModelSpec(
        "binary", label="label", prediction="prediction", scores="score", labels=[0, 1]
    )
    schema = {"x": "numeric", "y": "numeric"}
    base = driftline.profile(ref, schema, model=spec)
    monitor = monitor_cls(
        schema, baseline=base, window=100, model=spec, name="churn", version="1.2"
    )
    try:
        latencies = rng.lognormal(2.0, 0.5, 300)
        for i in range(300):
            p = float(rng.random())
            features = {"x": float(rng.normal(0.5, 1)), "y": float(rng.normal(5, 2))}
            monitor.log(features, int(p >= 0.5), score=p, latency_ms=latencies[i], id=f"r{i}")
        monitor.log_labels([f"r{i}" for i in range(50)], [1] * 50)
        monitor.flush()
        with monitor.serve_metrics(0) as server:
            types, series = parse(scrape(server))
        assert series[key("driftline_requests_total")] == 300
        assert series[key("driftline_windows_total")] == 3
        assert series[key("driftline_exporter_errors_total")] == 0
        assert series[key("driftline_request_latency_ms_count")] == 300
        assert series[key("driftline_request_latency_ms_sum")] == pytest.approx(latencies.sum())
        statuses = ("joined", "joined_late")
        joined = sum(series.get(key("driftline_labels_total", status=s), 0) for s in statuses)
        assert joined == 50
        assert window_series(series) == expected_window_series(monitor.latest)
        assert key("driftline_window_drift_score", column="x", method="ks") in series
        assert types["driftline_window_end_timestamp_seconds"] == "gauge"
    finally:
        monitor.close()
