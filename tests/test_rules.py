"""Rules on real windows: thresholds, persistence, cooldown, escalation, resolution, delivery with
retries off the caller's thread, the audit log, and loading rules from config."""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pytest

import driftline
from driftline._window import Window
from driftline.rules import (
    Alert,
    Backoff,
    CallbackNotifier,
    Dispatcher,
    LogNotifier,
    Notifier,
    Rule,
    Rules,
    WebhookNotifier,
    default_rules,
)

T0 = 1_700_000_000.0
FAST = Backoff(base=0.01, factor=2.0, max=0.05, jitter=0.0, max_attempts=5)


def table(seed: int, shift: float = 0.0, n: int = 4000) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "x": rng.normal(shift, 1.0, n),
            "y": rng.normal(0.0, 1.0, n),
            "c": rng.choice(["a", "b", "c"], n),
        }
    )


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    base = driftline.profile(table(1))
    clean = driftline.profile(table(2))
    drifted = driftline.profile(table(3, shift=1.0))
    meta = {"driftline.model": "churn", "driftline.model_version": "v3"}
    return {
        "base": base,
        "clean": clean.with_metadata(meta),
        "drifted": drifted.with_metadata(meta),
        "clean_report": driftline.compare(base, clean),
        "drift_report": driftline.compare(base, drifted),
    }


def window(
    data: dict[str, Any],
    index: int,
    *,
    requests: int = 1000,
    errors: int = 0,
    latency: float | None = None,
    drift: bool | None = None,
) -> Window:
    """A closed window: ``errors`` of ``requests``; latencies all equal to ``latency`` ms (none
    when ``None``); a drift report (drifted in column x) when ``drift`` is set."""
    sketch = None
    if latency is not None:
        sketch = driftline.DDSketch(0.01, 2048)
        sketch.update(np.full(100, latency))
    report = None
    if drift is not None:
        report = data["drift_report"] if drift else data["clean_report"]
    return Window(
        index=index,
        kind="window",
        start=T0 + 60 * index,
        end=T0 + 60 * (index + 1),
        profile=data["drifted" if drift else "clean"],
        requests=requests,
        errors=errors,
        latency=sketch,
        report=report,
    )


def error_rule(**kw: Any) -> Rule:
    args: dict[str, Any] = {"name": "errors", "metric": "error_rate", "op": ">", "threshold": 0.05}
    args.update(kw)
    return Rule(**args)


class Recorder:
    """A notifier that records what it was sent (thread-safe)."""

    def __init__(self) -> None:
        self.alerts: list[Alert] = []
        self.lock = threading.Lock()

    def notify(self, alert: Alert) -> None:
        with self.lock:
            self.alerts.append(alert)


def read_audit(path: Path) -> list[dict[str, Any]]:
    def no_constants(name: str) -> Any:
        raise AssertionError(f"non-standard JSON constant {name} in the audit log")

    return [json.loads(line, parse_constant=no_constants) for line in path.read_text().splitlines()]


# ------------------------------------------------------------------------------------------
# Conditions
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "threshold", "fires"),
    [
        (">", 0.05, True),
        (">", 0.1, False),
        (">=", 0.1, True),
        (">=", 0.11, False),
        ("<", 0.1, False),
        ("<", 0.2, True),
        ("<=", 0.1, True),
        ("<=", 0.09, False),
        ("==", 0.1, True),
        ("==", 0.2, False),
        ("!=", 0.1, False),
        ("!=", 0.2, True),
    ],
)
def test_threshold_ops(data: dict[str, Any], op: str, threshold: float, fires: bool) -> None:
    rules = Rules([error_rule(op=op, threshold=threshold)])
    alerts = rules.evaluate(window(data, 0, requests=1000, errors=100))  # error rate 0.1
    assert [a.state for a in alerts] == (["firing"] if fires else [])
    if fires:
        a = alerts[0]
        assert (a.rule, a.metric, a.op, a.threshold) == ("errors", "error_rate", op, threshold)
        assert a.value == pytest.approx(0.1)
        assert (a.model, a.version, a.window_index) == ("churn", "v3", 0)
        assert a.window_start == T0 and a.window_end == T0 + 60
        assert "errors" in a.message and "error_rate" in a.message and "churn" in a.message
        assert rules.firing == alerts


def test_model_and_version_given_override_metadata(data: dict[str, Any]) -> None:
    rules = Rules([error_rule()], model="fraud", version="2024-01")
    (a,) = rules.evaluate(window(data, 0, errors=100))
    assert (a.model, a.version) == ("fraud", "2024-01")


def test_label_subset_selects_samples_and_each_column_alerts_separately(
    data: dict[str, Any],
) -> None:
    every = Rule("drift", "drift_detected", "==", 1)
    only_y = Rule("drift-y", "drift_detected", "==", 1, labels={"column": "y"})
    p99 = Rule("slow", "latency_ms", ">", 100, labels={"quantile": "0.99"})
    rules = Rules([every, only_y, p99])
    alerts = rules.evaluate(window(data, 0, drift=True, latency=250.0))
    assert sorted((a.rule, tuple(a.labels.items())) for a in alerts) == [
        ("drift", (("column", "x"),)),
        ("slow", (("quantile", "0.99"),)),
    ]
    # The column that stops drifting resolves; the latency alert goes on firing.
    alerts = rules.evaluate(window(data, 1, drift=False, latency=250.0))
    states = {(a.rule, a.state) for a in alerts}
    assert states == {("drift", "resolved"), ("slow", "firing")}
    assert [a.rule for a in rules.firing] == ["slow"]


def test_matches_requires_every_rule_label() -> None:
    from driftline._window import Sample

    r = Rule("r", "drift_score", ">", 0.1, labels={"method": "ks"})
    assert r.matches(Sample("drift_score", {"column": "x", "method": "ks"}, 0.2))
    assert not r.matches(Sample("drift_score", {"column": "c", "method": "chi2"}, 0.2))
    assert not r.matches(Sample("drift_pvalue", {"column": "x", "method": "ks"}, 0.2))
    assert not r.matches(Sample("drift_score", {"column": "x"}, 0.2))


def test_for_windows_needs_consecutive_windows(data: dict[str, Any]) -> None:
    rules = Rules([error_rule(for_windows=3)])
    errors = [100, 100, 0, 100, 100, 100, 100]
    fired = [
        [(a.state, a.consecutive) for a in rules.evaluate(window(data, i, errors=e))]
        for i, e in enumerate(errors)
    ]
    assert fired == [[], [], [], [], [], [("firing", 1)], [("firing", 2)]]


def test_cooldown_suppresses_repeat_notifications(data: dict[str, Any]) -> None:
    rec = Recorder()
    rules = Rules([error_rule(cooldown=2)], [rec], backoff=FAST)
    alerts = [rules.evaluate(window(data, i, errors=100))[0] for i in range(8)]
    assert [a.consecutive for a in alerts] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [a.notified for a in alerts] == [True, False, False, True, False, False, True, False]
    assert rules.flush(10)
    assert [a.window_index for a in rec.alerts] == [0, 3, 6]
    assert rules.stats()["delivered"] == 3
    rules.close()


def test_no_cooldown_notifies_every_firing_window(data: dict[str, Any]) -> None:
    rec = Recorder()
    rules = Rules([error_rule()], [rec], backoff=FAST)
    for i in range(4):
        rules.evaluate(window(data, i, errors=100))
    assert rules.close(10)
    assert [a.window_index for a in rec.alerts] == [0, 1, 2, 3]


def test_escalation_to_critical_is_notified_despite_cooldown(data: dict[str, Any]) -> None:
    rec = Recorder()
    rules = Rules([error_rule(escalate_after=2, cooldown=10)], [rec], backoff=FAST)
    alerts = [rules.evaluate(window(data, i, errors=100))[0] for i in range(5)]
    severities = ["warning", "warning", "critical", "critical", "critical"]
    assert [a.severity for a in alerts] == severities
    assert [a.notified for a in alerts] == [True, False, True, False, False]
    assert "escalated from warning" in alerts[2].message
    assert rules.firing[0].severity == "critical"
    (resolved,) = rules.evaluate(window(data, 5, errors=0))
    assert (resolved.state, resolved.severity, resolved.consecutive) == ("resolved", "critical", 5)
    # After resolving, the rule starts again at its own severity.
    (again,) = rules.evaluate(window(data, 6, errors=100))
    assert (again.severity, again.consecutive) == ("warning", 1)
    assert rules.close(10)
    assert [(a.window_index, a.state) for a in rec.alerts] == [
        (0, "firing"),
        (2, "firing"),
        (5, "resolved"),
        (6, "firing"),
    ]


def test_resolved_alert(data: dict[str, Any]) -> None:
    rec = Recorder()
    rules = Rules([error_rule(description="too many failed requests")], [rec], backoff=FAST)
    rules.evaluate(window(data, 0, errors=100))
    rules.evaluate(window(data, 1, errors=90))
    (r,) = rules.evaluate(window(data, 2, errors=10))
    assert (r.state, r.consecutive, r.window_index, r.notified) == ("resolved", 2, 2, True)
    assert r.value == pytest.approx(0.01)
    assert "RESOLVED" in r.message and "too many failed requests" in r.message
    assert rules.firing == []
    assert rules.evaluate(window(data, 3, errors=10)) == []
    assert rules.close(10)
    assert [a.state for a in rec.alerts] == ["firing", "firing", "resolved"]


def test_min_requests_skips_windows_without_resetting(data: dict[str, Any], tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    rules = Rules([error_rule(min_requests=500, for_windows=2)], audit_log=audit)
    assert rules.evaluate(window(data, 0, requests=1000, errors=100)) == []
    # 40% errors on 50 requests: too few to judge, and the streak is kept.
    assert rules.evaluate(window(data, 1, requests=50, errors=20)) == []
    (a,) = rules.evaluate(window(data, 2, requests=1000, errors=100))
    assert a.state == "firing"
    # Too few requests never resolves either.
    assert rules.evaluate(window(data, 3, requests=10, errors=0)) == []
    assert [x.rule for x in rules.firing] == ["errors"]
    rules.close()
    verdicts = [r["verdict"] for r in read_audit(audit) if r["type"] == "evaluation"]
    assert verdicts == ["true", "insufficient", "true", "insufficient"]


def test_min_requests_of_label_updates_counts_labelled_rows() -> None:
    rng = np.random.default_rng(7)

    def labelled(n: int) -> driftline.Profile:
        y = rng.integers(0, 2, n)
        p = np.where(rng.random(n) < 0.7, y, 1 - y)  # about 70% accurate
        spec = driftline.ModelSpec("binary", label="y", prediction="p", labels=[0, 1])
        return driftline.profile(pa.table({"y": y, "p": p}), model=spec)

    rule = Rule(
        "accuracy", "performance", "<", 0.9, labels={"metric": "accuracy"}, min_requests=1000
    )
    rules = Rules([rule])

    def update(i: int, n: int) -> Window:
        # A label update carries no requests of its own: requests must not be what counts.
        return Window(i, "labels", T0, T0 + 60, labelled(n), requests=10**6)

    assert rules.evaluate(update(0, 500)) == []
    (a,) = rules.evaluate(update(0, 2000))
    assert a.labels == {"metric": "accuracy"} and a.value == pytest.approx(0.7, abs=0.05)


def test_nan_never_fires_and_resolves(data: dict[str, Any], tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    # NaN != 0 is true in IEEE arithmetic; a rule must still not fire on a NaN.
    rules = Rules(
        [Rule("any-latency", "latency_ms", "!=", 0, labels={"quantile": "0.5"})], audit_log=audit
    )
    for op in ("!=", ">", "<", ">=", "<=", "=="):
        assert not Rule("r", "m", op, 0).holds(math.nan)
    assert rules.evaluate(window(data, 0, latency=None)) == []
    assert rules.evaluate(window(data, 1, latency=20.0))[0].state == "firing"
    (r,) = rules.evaluate(window(data, 2, latency=None))
    assert r.state == "resolved" and math.isnan(r.value)
    assert r.to_dict()["value"] is None
    rules.close()
    evals = [r for r in read_audit(audit) if r["type"] == "evaluation"]
    assert evals[0]["value"] is None and evals[1]["value"] == pytest.approx(20.0, rel=0.02)
    assert [e["verdict"] for e in evals] == ["nan", "true", "nan"]


def test_missing_metric_leaves_state_alone(data: dict[str, Any], tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    rules = Rules([Rule("dataset", "dataset_drift", "==", 1)], audit_log=audit)
    drift = driftline.CompareConfig(drift_share=0.3)  # x drifts: 1 of 3 columns
    report = driftline.compare(data["base"], data["drifted"], drift)
    w0 = Window(0, "window", T0, T0 + 60, data["drifted"], requests=10, report=report)
    assert [a.state for a in rules.evaluate(w0)] == ["firing"]
    # A window without a report (no baseline) says nothing about drift.
    assert rules.evaluate(window(data, 1)) == []
    assert [a.rule for a in rules.firing] == ["dataset"]
    rules.close()
    evals = [r for r in read_audit(audit) if r["type"] == "evaluation"]
    assert [(e["window_index"], e["verdict"]) for e in evals] == [(0, "true"), (1, "missing")]


# ------------------------------------------------------------------------------------------
# Delivery
# ------------------------------------------------------------------------------------------


def test_notifier_retried_with_backoff_then_delivered(data: dict[str, Any], tmp_path: Path) -> None:
    calls: list[Alert] = []

    def flaky(alert: Alert) -> None:
        calls.append(alert)
        if len(calls) <= 2:
            raise ConnectionError(f"down (attempt {len(calls)})")

    audit = tmp_path / "audit.jsonl"
    rules = Rules([error_rule()], [CallbackNotifier(flaky)], audit_log=audit, backoff=FAST)
    rules.evaluate(window(data, 0, errors=100))
    assert rules.flush(10)
    stats = rules.stats()
    assert (stats["delivered"], stats["retried"], stats["failed"], stats["dropped"]) == (1, 2, 0, 0)
    assert "ConnectionError: down (attempt 2)" in stats["last_error"]
    assert len(calls) == 3 and all(c == calls[0] for c in calls)
    rules.close()
    deliveries = [r for r in read_audit(audit) if r["type"] == "delivery"]
    assert [(d["outcome"], d["attempts"]) for d in deliveries] == [
        ("retry", 1),
        ("retry", 2),
        ("delivered", 3),
    ]
    assert deliveries[0]["notifier"].startswith("callback(")


def test_backoff_schedule() -> None:
    b = Backoff(base=0.5, factor=2.0, max=30.0, jitter=0.0)
    assert [b.delay(k) for k in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
    assert b.delay(10_000) == 30.0  # no overflow
    jittered = Backoff(jitter=0.5)
    for k in range(1, 10):
        d = jittered.delay(k)
        top = min(30.0, 0.5 * 2 ** (k - 1))
        assert top / 2 <= d <= top
    with pytest.raises(ValueError, match="factor"):
        Backoff(factor=0.5)
    with pytest.raises(ValueError, match="max_attempts"):
        Backoff(max_attempts=0)


def test_failing_notifier_never_blocks_evaluate(data: dict[str, Any]) -> None:
    started, release, returned_once = threading.Event(), threading.Event(), threading.Event()
    attempts: list[int] = []

    def stuck(alert: Alert) -> None:
        attempts.append(alert.window_index)
        started.set()
        release.wait(30)
        returned_once.set()
        raise TimeoutError("webhook timed out")

    rec = Recorder()
    backoff = Backoff(base=0.01, max=0.02, jitter=0.0, max_attempts=3)
    rules = Rules([error_rule()], [CallbackNotifier(stuck), rec], backoff=backoff)
    returned = []
    for i in range(3):
        returned.append(rules.evaluate(window(data, i, errors=100)))
        # evaluate came back while the notifier is still stuck in its first call.
        assert not returned_once.is_set()
    assert started.wait(10)
    assert [len(a) for a in returned] == [1, 1, 1]
    assert rules.stats()["pending"] >= 1 and rules.stats()["failed"] == 0
    release.set()
    assert rules.flush(30)
    stats = rules.stats()
    assert stats["failed"] == 3 and stats["retried"] == 6 and stats["delivered"] == 3
    assert "TimeoutError: webhook timed out" in stats["last_error"]
    assert sorted(attempts) == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert [a.window_index for a in rec.alerts] == [0, 1, 2]
    rules.close()


def test_queue_overflow_drops_oldest(data: dict[str, Any]) -> None:
    started, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def slow(alert: Alert) -> None:
        started.set()
        release.wait(30)
        seen.append(alert.window_index)

    rules = Rules([error_rule()], [slow], queue_size=3, backoff=FAST)
    rules.evaluate(window(data, 0, errors=100))
    assert started.wait(10)  # window 0 is being delivered, the queue is empty
    for i in range(1, 6):
        rules.evaluate(window(data, i, errors=100))
    assert rules.stats()["dropped"] == 2
    release.set()
    assert rules.close(10)
    assert seen == [0, 3, 4, 5]
    assert rules.stats()["delivered"] == 4


def test_close_flushes_then_drops_later_alerts(data: dict[str, Any]) -> None:
    rec = Recorder()
    rules = Rules([error_rule()], [rec], backoff=FAST)
    for i in range(3):
        rules.evaluate(window(data, i, errors=100))
    assert rules.close(10)
    assert len(rec.alerts) == 3
    rules.evaluate(window(data, 3, errors=100))
    assert rules.stats()["dropped"] == 1 and len(rec.alerts) == 3


def test_dispatcher_drops_what_close_could_not_deliver() -> None:
    release = threading.Event()
    d = Dispatcher([lambda a: release.wait(30)], backoff=FAST)
    alert = Alert("r", "warning", "m", {}, 1.0, 0.0, ">", "firing", 0.0, 1.0, 0, "", "", 1, "")
    for _ in range(3):
        d.submit(alert)
    assert d.close(0.05) is False
    assert d.dropped == 2  # the one in progress is neither delivered nor dropped yet
    release.set()


class _Hook(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[Any, bytes]]] = []
    fail_first = 1

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append((self.headers, body))
        status = 500 if len(type(self).requests) <= type(self).fail_first else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, type[_Hook]]]:
    handler = type("Hook", (_Hook,), {"requests": [], "fail_first": 1})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks/secret-token", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_webhook_posts_json_and_is_retried(
    data: dict[str, Any], webhook: tuple[str, type[_Hook]]
) -> None:
    url, handler = webhook
    hook = WebhookNotifier(url, timeout=5, headers={"Authorization": "Bearer t"})
    assert "secret-token" not in hook.name
    rules = Rules([error_rule(labels={})], [hook], backoff=FAST)
    rules.evaluate(window(data, 4, errors=200))
    assert rules.close(20)
    stats = rules.stats()
    assert (stats["delivered"], stats["retried"], stats["failed"]) == (1, 1, 0)
    assert "HTTP 500" in stats["last_error"] and "secret-token" not in stats["last_error"]
    assert len(handler.requests) == 2
    headers, body = handler.requests[-1]
    assert headers["Content-Type"] == "application/json"
    assert headers["Authorization"] == "Bearer t"
    payload = json.loads(body)
    assert payload["rule"] == "errors" and payload["state"] == "firing"
    assert payload["metric"] == "error_rate" and payload["labels"] == {}
    assert payload["value"] == pytest.approx(0.2) and payload["threshold"] == 0.05
    assert payload["window_index"] == 4 and payload["window_start"] == T0 + 240
    assert payload["model"] == "churn" and payload["version"] == "v3"
    assert payload["message"].startswith("[WARNING] errors:")


def test_webhook_rejects_non_http_urls() -> None:
    with pytest.raises(ValueError, match="http"):
        WebhookNotifier("file:///etc/passwd")
    with pytest.raises(ValueError, match="timeout"):
        WebhookNotifier("http://localhost/x", timeout=0)


def test_log_notifier(data: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    rules = Rules([error_rule()], [LogNotifier("test.alerts")], backoff=FAST)
    with caplog.at_level("WARNING", logger="test.alerts"):
        rules.evaluate(window(data, 0, errors=100))
        assert rules.close(10)
    (record,) = [r for r in caplog.records if r.name == "test.alerts"]
    assert record.levelname == "WARNING" and "error_rate" in record.getMessage()
    assert record.alert["rule"] == "errors"  # type: ignore[attr-defined]


def test_notifiers_must_have_notify() -> None:
    assert isinstance(Recorder(), Notifier)
    with pytest.raises(TypeError, match="notify"):
        Rules([error_rule()], [object()])  # type: ignore[list-item]


# ------------------------------------------------------------------------------------------
# Audit log
# ------------------------------------------------------------------------------------------


def test_audit_log_records_every_evaluation_and_alert(data: dict[str, Any], tmp_path: Path) -> None:
    audit = tmp_path / "logs" / "audit.jsonl"
    rec = Recorder()
    rules = Rules(
        [
            Rule("drift", "drift_detected", "==", 1),
            Rule("slow", "latency_ms", ">", 100, labels={"quantile": "0.99"}),
        ],
        [rec],
        audit_log=audit,
        backoff=FAST,
    )
    rules.evaluate(window(data, 0, drift=True, latency=250.0))
    rules.evaluate(window(data, 1, drift=False, latency=None))
    assert rules.close(10)
    records = read_audit(audit)
    evals = [r for r in records if r["type"] == "evaluation"]
    # 3 columns + 1 latency sample on each of the 2 windows.
    assert len(evals) == 8
    got = {(e["window_index"], e["rule"], tuple(e["labels"].items())): e["verdict"] for e in evals}
    assert got == {
        (0, "drift", (("column", "x"),)): "true",
        (0, "drift", (("column", "y"),)): "false",
        (0, "drift", (("column", "c"),)): "false",
        (0, "slow", (("quantile", "0.99"),)): "true",
        (1, "drift", (("column", "x"),)): "false",
        (1, "drift", (("column", "y"),)): "false",
        (1, "drift", (("column", "c"),)): "false",
        (1, "slow", (("quantile", "0.99"),)): "nan",
    }
    for e in evals:
        assert e["model"] == "churn" and e["version"] == "v3" and e["window_kind"] == "window"
        assert e["window_start"] == T0 + 60 * e["window_index"]
        assert {"time", "metric", "value", "op", "threshold", "requests"} <= set(e)
    slow1 = next(e for e in evals if e["rule"] == "slow" and e["window_index"] == 1)
    assert slow1["value"] is None
    alerts = [(r["window_index"], r["rule"], r["state"]) for r in records if r["type"] == "alert"]
    assert sorted(alerts) == [
        (0, "drift", "firing"),
        (0, "slow", "firing"),
        (1, "drift", "resolved"),
        (1, "slow", "resolved"),
    ]
    deliveries = [r for r in records if r["type"] == "delivery"]
    assert len(deliveries) == 4 and {d["outcome"] for d in deliveries} == {"delivered"}


def test_audit_log_is_appended_never_rewritten(data: dict[str, Any], tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    for i in range(2):
        with Rules([error_rule()], audit_log=audit) as rules:
            rules.evaluate(window(data, i, errors=100))
    records = read_audit(audit)
    assert [(r["type"], r["window_index"]) for r in records] == [
        ("evaluation", 0),
        ("alert", 0),
        ("evaluation", 1),
        ("alert", 1),
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_audit_write_failure_never_stops_evaluation(data: dict[str, Any]) -> None:
    rec = Recorder()
    rules = Rules([error_rule()], [rec], audit_log="/dev/full", backoff=FAST)
    (a,) = rules.evaluate(window(data, 0, errors=100))
    assert a.state == "firing"
    assert rules.flush(10) and rec.alerts == [a]
    rules.close()
    assert rules.stats()["audit_errors"] >= 2  # the window's records, then the delivery's


def test_firing_read_while_evaluating(data: dict[str, Any]) -> None:
    rules = Rules(
        [Rule("drift", "drift_detected", "==", 1), error_rule(for_windows=2)], backoff=FAST
    )
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]

    def reader() -> None:
        try:
            while not stop.is_set():
                for a in rules.firing:
                    assert a.state == "firing"
                rules.stats()
                reads[0] += 1
        except BaseException as e:
            errors.append(e)

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(200):
            rules.evaluate(window(data, i, errors=100 * (i % 3 != 2), drift=i % 2 == 0))
    finally:
        stop.set()
        t.join(10)
    assert errors == [] and reads[0] > 0
    assert rules.stats()["windows"] == 200
    # Window 199: errors (second in a row), no drift.
    assert [a.rule for a in rules.firing] == ["errors"]


# ------------------------------------------------------------------------------------------
# Configuration
# ------------------------------------------------------------------------------------------


def test_rule_validation() -> None:
    with pytest.raises(ValueError, match="op must be one of"):
        Rule("r", "error_rate", "=>", 1)
    with pytest.raises(ValueError, match="severity"):
        Rule("r", "error_rate", ">", 1, severity="fatal")
    with pytest.raises(ValueError, match="NaN"):
        Rule("r", "error_rate", ">", math.nan)
    with pytest.raises(ValueError, match="threshold must be a number"):
        Rule("r", "error_rate", ">", "0.1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="for_windows must be an integer >= 1"):
        Rule("r", "error_rate", ">", 1, for_windows=0)
    with pytest.raises(ValueError, match="cooldown"):
        Rule("r", "error_rate", ">", 1, cooldown=-1)
    with pytest.raises(ValueError, match="escalate_after"):
        Rule("r", "error_rate", ">", 1, escalate_after=0)
    with pytest.raises(ValueError, match=re.escape('quantile = "0.99"')):
        Rule("r", "latency_ms", ">", 1, labels={"quantile": 0.99})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="name"):
        Rule("", "error_rate", ">", 1)
    with pytest.raises(ValueError, match="unique"):
        Rules([error_rule(), error_rule(threshold=0.2)])


def test_rule_dict_round_trip_and_hash() -> None:
    r = Rule("slow", "latency_ms", ">", 250, "critical", {"quantile": "0.99"}, 100, 2, 3, 4, "x")
    assert Rule.from_dict(r.to_dict()) == r
    assert hash(Rule.from_dict(r.to_dict())) == hash(r)
    assert isinstance(r.threshold, float)
    assert len({r, Rule.from_dict(r.to_dict())}) == 1


def test_from_dicts_reports_which_rule_is_wrong() -> None:
    ok = {"name": "a", "metric": "error_rate", "op": ">", "threshold": 0.1}
    rules = Rules.from_dicts([ok, {**ok, "name": "b", "labels": {"column": "x"}}])
    assert [r.name for r in rules.rules] == ["a", "b"]
    with pytest.raises(ValueError, match=r"rules\[1\]: rule 'b': unknown field\(s\) 'treshold'"):
        Rules.from_dicts([ok, {"name": "b", "metric": "m", "op": ">", "treshold": 1}])
    with pytest.raises(ValueError, match=r"rules\[0\].*missing required field\(s\) op"):
        Rules.from_dicts([{"name": "a", "metric": "m", "threshold": 1}])
    with pytest.raises(ValueError, match=r"rules\[0\].*for_windows"):
        Rules.from_dicts([{**ok, "for_windows": 1.5}])


def test_from_toml(data: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "conf" / "driftline.toml"
    path.parent.mkdir()
    path.write_text(
        """
audit_log = "audit/rules.jsonl"

[monitor]
window = "5m"   # read by other parts of the configuration, ignored here

[[rules]]
name = "errors"
metric = "error_rate"
op = ">"
threshold = 0.05
severity = "critical"
min_requests = 100

[[rules]]
name = "slow"
metric = "latency_ms"
op = ">"
threshold = 250
labels = { quantile = "0.99" }
for_windows = 2
escalate_after = 3
description = "p99 latency"

[[notifiers]]
type = "log"
logger = "test.toml"
level = "error"
"""
    )
    rec = Recorder()
    rules = Rules.from_toml(path, [rec], backoff=FAST)
    assert [r.name for r in rules.rules] == ["errors", "slow"]
    assert rules.rules[1].labels == {"quantile": "0.99"} and rules.rules[1].escalate_after == 3
    (a,) = rules.evaluate(window(data, 0, errors=100, latency=300.0))
    assert (a.rule, a.severity) == ("errors", "critical")
    assert rules.close(10)
    assert len(rec.alerts) == 1
    assert (tmp_path / "conf" / "audit" / "rules.jsonl").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rules]\nname = 1", "not valid TOML"),
        ('title = "x"', r"no \[\[rules\]\]"),
        ('[[rule]]\nname = "x"', r"write \[\[rules\]\], not \[\[rule\]\]"),
        (
            '[[rules]]\nname = "a"\nmetric = "m"\nop = ">"\nthreshold = 1\nseverity = "loud"',
            r"rules\[0\]: rule 'a': severity must be one of",
        ),
        (
            '[[rules]]\nname = "a"\nmetric = "m"\nop = ">"\nthreshold = 1\n'
            '[[notifiers]]\ntype = "pager"',
            r"notifiers\[0\]: notifier type must be 'log' or 'webhook'",
        ),
        (
            '[[rules]]\nname = "a"\nmetric = "m"\nop = ">"\nthreshold = 1\n'
            '[[notifiers]]\ntype = "webhook"\nurl = "ftp://x"',
            r"notifiers\[0\]: webhook url must be an http",
        ),
    ],
)
def test_from_toml_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as e:
        Rules.from_toml(path)
    assert str(path) in str(e.value)


def test_default_rules_evaluate(data: dict[str, Any]) -> None:
    rules = default_rules(latency_p99_ms=200.0)
    assert [r.name for r in rules] == [
        "dataset-drift",
        "error-rate",
        "latency-p99",
        "missing-share",
        "performance-degraded",
    ]
    engine = Rules(rules)
    w = window(data, 0, requests=1000, errors=100, latency=300.0, drift=False)
    assert {a.rule for a in engine.evaluate(w)} == {"error-rate"}
    w = window(data, 1, requests=1000, errors=100, latency=300.0, drift=False)
    assert {(a.rule, a.severity) for a in engine.evaluate(w)} == {
        ("error-rate", "critical"),
        ("latency-p99", "warning"),
    }
    # Too few requests: nothing is judged.
    assert engine.evaluate(window(data, 2, requests=10, errors=10, latency=300.0)) == []
