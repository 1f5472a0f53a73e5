"""Prometheus exposition of a live :class:`driftline.Monitor`.

:class:`MonitorCollector` is a ``prometheus_client`` custom collector that reads the monitor at
scrape time; :func:`serve_metrics` serves it over HTTP from a daemon thread with a private
registry::

    server = driftline.prometheus.serve_metrics(monitor, port=9100)
    server.url    # http://127.0.0.1:9100/metrics
    server.close()

or, to add the monitor to an existing registry (the global one, or an application's)::

    prometheus_client.REGISTRY.register(driftline.prometheus.MonitorCollector(monitor))

Every metric is named ``driftline_...`` and every series carries the ``model`` and ``version``
labels. The metric names, types, labels and meaning are listed in ``docs/prometheus.md``. In
short:

- counters from ``monitor.totals()``: ``driftline_requests_total``, ``driftline_errors_total``,
  ``driftline_malformed_total``, ``driftline_late_total``, ``driftline_future_total``,
  ``driftline_windows_total``, ``driftline_labels_total{status}``,
  ``driftline_store_errors_total``, ``driftline_notifier_errors_total`` and the other error
  counters of the monitor's background work; the gauge ``driftline_labels_pending``;
- the histogram ``driftline_request_latency_ms`` of every closed window's latencies, with
  bucket counts read from the cumulative latency sketch (see :data:`LATENCY_BUCKETS`);
- one gauge ``driftline_window_<name>`` per sample name of the latest closed window
  (:meth:`driftline._window.Window.samples`; all but ``alert_firing``), with the sample's
  labels, and the window's bounds ``driftline_window_start_timestamp_seconds``/
  ``..._end_timestamp_seconds``;
- ``driftline_window_late_label_performance{metric}`` from the latest late-label update;
- ``driftline_alert_firing{rule,severity,...}`` = 1 for each firing alert and
  ``driftline_alert_value{...}``, the value that fired it.

NaN values (an undefined metric, latency quantiles of a window without latencies) are not
exported: the series is absent from that scrape, which Prometheus treats as "no data" rather
than as a number. Infinite values are exported as ``+Inf``/``-Inf``.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any, Protocol
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from driftline._core import DDSketch
from driftline._window import Window

try:
    from prometheus_client import CollectorRegistry, make_wsgi_app
    from prometheus_client.core import (
        CounterMetricFamily,
        GaugeMetricFamily,
        HistogramMetricFamily,
        Metric,
    )
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "driftline.prometheus needs prometheus_client: pip install 'driftline[prometheus]'"
    ) from exc

__all__ = [
    "LATENCY_BUCKETS",
    "MetricsServer",
    "MonitorCollector",
    "MonitorLike",
    "label_name",
    "latency_buckets",
    "metric_name",
    "serve_metrics",
]

_log = logging.getLogger(__name__)

#: Upper bounds (milliseconds) of the ``driftline_request_latency_ms`` buckets; ``+Inf`` is
#: added after the last.
LATENCY_BUCKETS: tuple[float, ...] = (
    1.0,
    2.0,
    5.0,
    10.0,
    25.0,
    50.0,
    100.0,
    250.0,
    500.0,
    1000.0,
    2500.0,
    5000.0,
    10000.0,
)

PREFIX = "driftline_"

# Counters read from ``monitor.totals()``: key -> metric name without the ``_total`` suffix
# (CounterMetricFamily appends it), and help text. A key missing from the totals is skipped.
_COUNTERS: tuple[tuple[str, str, str], ...] = (
    ("requests", "driftline_requests", "Records logged (predictions served)."),
    ("errors", "driftline_errors", "Records logged with error=True."),
    (
        "malformed",
        "driftline_malformed",
        "Records with at least one defect (missing or unreadable feature, label, score...).",
    ),
    (
        "late",
        "driftline_late",
        "Records whose timestamp fell in a window already closed (counted, not profiled).",
    ),
    (
        "future",
        "driftline_future",
        "Records stamped more than one window length ahead of the clock.",
    ),
    ("windows", "driftline_windows", "Windows closed."),
    (
        "labels_updates",
        "driftline_label_updates",
        "Performance updates of closed windows from labels that arrived after they closed.",
    ),
    ("store_errors", "driftline_store_errors", "Failed attempts to write a window to the store."),
    (
        "store_failed",
        "driftline_store_failed",
        "Windows not written to the store after every attempt.",
    ),
    (
        "store_dropped",
        "driftline_store_dropped",
        "Windows dropped because the store's queue was full.",
    ),
    (
        "notifier_errors",
        "driftline_notifier_errors",
        "Failed or retried alert notifications.",
    ),
    (
        "compare_errors",
        "driftline_compare_errors",
        "Windows whose comparison with the baseline raised.",
    ),
    ("rules_errors", "driftline_rules_errors", "Windows whose rule evaluation raised."),
    ("callback_errors", "driftline_callback_errors", "on_window callbacks that raised."),
)
# ``labels_<status>`` keys of the totals, exported as ``driftline_labels_total{status}``.
_LABEL_STATUSES = (
    "joined",
    "joined_late",
    "unmatched",
    "expired",
    "evicted",
    "duplicate_ids",
    "unlabeled",
    "model_errors",
)
_LABELS_HELP = (
    "Delayed-label accounting: joined (label joined while the prediction's window was open), "
    "joined_late (after it closed), unmatched (label id with no waiting prediction), expired "
    "and evicted (waiting predictions dropped: no label in time, buffer full), duplicate_ids "
    "(prediction logged again with a waiting id), unlabeled (prediction with neither label "
    "nor id), model_errors (rows the performance accumulators rejected)."
)

_WINDOW = PREFIX + "window_"
_WINDOW_HELP: dict[str, str] = {
    "requests": "Records logged in the latest closed window.",
    "errors": "Records logged with error=True in the latest closed window.",
    "malformed": "Records with at least one defect in the latest closed window.",
    "late": "Records of the latest closed window that arrived after it had closed.",
    "future": "Records stamped more than one window length ahead, in the latest window.",
    "rows": "Rows profiled in the latest closed window.",
    "request_rate": "Requests per second over the latest closed window.",
    "error_rate": "Share of the latest closed window's requests logged as errors.",
    "window_seconds": "Seconds the latest closed window covers.",
    "latency_ms": "Latency quantile (ms) of the latest closed window (sketch estimate).",
    "cpu_percent": "Process CPU use averaged over the latest closed window (percent).",
    "rss_bytes": "Maximum resident set size of the process during the latest closed window.",
    "threads": "Maximum number of process threads during the latest closed window.",
    "values": "Values of the column in the latest closed window (nulls included).",
    "missing": "Null or missing values of the column in the latest closed window.",
    "type_errors": "Values of the column that could not be read as its kind.",
    "nan": "NaN values of the numeric column in the latest closed window.",
    "inf": "Infinite values of the numeric column in the latest closed window.",
    "unknown_categories": "Values of the column whose category the baseline never saw.",
    "labels": "Delayed-label accounting of the latest closed window, by status.",
    "labelled_rows": "Rows of the latest closed window with a label.",
    "performance": "Model metric over the labelled rows of the latest closed window.",
    "drift_share": "Share of the columns found drifted against the baseline.",
    "dataset_drift": "1 when the share of drifted columns reaches the dataset threshold.",
    "drift_detected": "1 when the column is found drifted against the baseline.",
    "drift_score": "Drift statistic of the column against the baseline, by method.",
    "drift_pvalue": "p-value of the column's drift test against the baseline.",
    "performance_change": "Model metric change against the baseline.",
    "performance_degraded": "1 when the model metric degraded against the baseline.",
    "quality": "Data-quality statistic of the column, by check.",
    "quality_flagged": "1 when the data-quality check flags the column.",
}
_START = _WINDOW + "start_timestamp_seconds"
_END = _WINDOW + "end_timestamp_seconds"
_LATE_PERF = _WINDOW + "late_label_performance"
_LATE_END = _WINDOW + "late_label_end_timestamp_seconds"
_RESERVED = frozenset({_START, _END, _LATE_PERF, _LATE_END})
# Window samples left out: the window's alerts are exported from ``monitor.rules.firing`` as
# ``driftline_alert_firing``, with their own labels (a window's alerts also hold the resolved
# ones, and one rule firing on several columns would repeat one series).
_NOT_EXPORTED = frozenset({"alert_firing"})

_METRIC_BAD = re.compile(r"[^a-zA-Z0-9_:]")
_LABEL_BAD = re.compile(r"[^a-zA-Z0-9_]")


class MonitorLike(Protocol):
    """What :class:`MonitorCollector` reads from a monitor (a :class:`driftline.Monitor`).

    Optional: ``monitor.snapshot_stats() -> Mapping[str, float]`` (the open window so far),
    exported as ``driftline_open_window_<key>`` gauges when the monitor has it."""

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def latest(self) -> Window | None: ...
    @property
    def latest_labels(self) -> Window | None: ...
    @property
    def latency_total(self) -> DDSketch | None: ...
    @property
    def rules(self) -> Any: ...
    def totals(self) -> Mapping[str, float]: ...


@functools.lru_cache(maxsize=4096)
def metric_name(name: str) -> str:
    """``name`` made a valid Prometheus metric name (invalid characters become ``_``)."""
    out = _METRIC_BAD.sub("_", name)
    return "_" + out if not out or out[0].isdigit() else out


@functools.lru_cache(maxsize=4096)
def label_name(name: str) -> str:
    """``name`` made a valid Prometheus label name: invalid characters become ``_``, and a name
    starting with a digit or with ``__`` (reserved by Prometheus) gets a prefix."""
    out = _LABEL_BAD.sub("_", str(name))
    if not out or out[0].isdigit():
        out = "_" + out
    if out.startswith("__"):
        out = "label" + out
    return out


def _with_labels(base: Mapping[str, str], extra: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """``base`` plus ``extra`` with valid names; an extra label whose name is taken is renamed
    ``<prefix><name>``, and dropped if that is taken too."""
    out = dict(base)
    for k, v in extra.items():
        key = label_name(k)
        if key in out:
            key = prefix + key
            if key in out:
                continue
        out[key] = str(v)
    return out


def _number(value: Any) -> float | None:
    """``value`` as a float, or ``None`` when it is NaN or not a number."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def latency_buckets(sketch: DDSketch | None) -> tuple[list[tuple[str, float]], float]:
    """Cumulative ``(le, count)`` pairs (``+Inf`` last) and the sum of ``sketch``'s values.

    ``count(le=b)`` is ``round(sketch.rank(b) * sketch.count)``: the number of values in the
    sketch's buckets up to the one holding ``b``, so it counts every value ``<= b`` and may also
    count values up to a relative distance of about ``2 * alpha`` above ``b`` (the sketch's
    bucket width). The counts are non-decreasing in ``le`` and the ``+Inf`` bucket is exactly
    ``sketch.count``."""
    count = 0
    total = 0.0
    counts = [0] * len(LATENCY_BUCKETS)
    if sketch is not None and sketch.count > 0:
        # A private copy: count, sum and ranks then describe the same values even when the
        # monitor merges a window into its sketch during the scrape.
        snap = DDSketch.from_bytes(sketch.to_bytes())
        count = int(snap.count)
        total = float(snap.sum)
        ranks = snap.rank(list(LATENCY_BUCKETS))
        running = 0
        for i, r in enumerate(ranks):
            running = min(max(round(float(r) * count), running), count)
            counts[i] = running
    pairs: list[tuple[str, float]] = [
        (repr(b), float(n)) for b, n in zip(LATENCY_BUCKETS, counts, strict=True)
    ]
    pairs.append(("+Inf", float(count)))
    return pairs, total


class MonitorCollector:
    """A ``prometheus_client`` collector exporting a monitor's counters, latency histogram,
    latest closed window and firing alerts, read at each scrape.

    ``describe()`` returns nothing, so registering the collector does not call ``collect()``
    (the monitor is only read when scraped). Each part of the exposition (counters, latency,
    open window, latest window, late labels, alerts) is built on its own: a part that raises is
    left out of that scrape, logged on the ``driftline.prometheus`` logger, and counted in
    ``driftline_exporter_errors_total``, so the other parts are still served.

    A closed window does not change, so the gauges of the latest window (and of the latest
    late-label update) are built once per window object and reused until the monitor's
    ``latest`` (``latest_labels``) is another window."""

    def __init__(self, monitor: MonitorLike) -> None:
        self.monitor = monitor
        self._errors = 0
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[Window, tuple[tuple[str, str], ...], list[Metric]]] = {}

    def describe(self) -> list[Metric]:
        return []

    def collect(self) -> Iterable[Metric]:
        m = self.monitor
        base = {"model": str(m.name), "version": str(m.version)}
        parts: tuple[Callable[[MonitorLike, dict[str, str]], list[Metric]], ...] = (
            self._counters,
            self._latency,
            self._open_window,
            self._window,
            self._late_labels,
            self._alerts,
        )
        out: list[Metric] = []
        for part in parts:
            try:
                out.extend(part(m, base))
            except Exception:
                with self._lock:
                    self._errors += 1
                _log.warning(
                    "driftline exporter: %s failed; left out of this scrape",
                    part.__name__.lstrip("_"),
                    exc_info=True,
                )
        errors = CounterMetricFamily(
            PREFIX + "exporter_errors",
            "Parts of a scrape left out because reading the monitor raised (see the log).",
            labels=list(base),
        )
        errors.add_metric(list(base.values()), float(self._errors))
        out.append(errors)
        return out

    # ---------------------------------------------------------------------------------------

    @staticmethod
    def _counters(m: MonitorLike, base: dict[str, str]) -> list[Metric]:
        totals = dict(m.totals())
        names, values = list(base), list(base.values())
        out: list[Metric] = []
        for key, name, doc in _COUNTERS:
            v = _number(totals.get(key))
            if v is None:
                continue
            fam = CounterMetricFamily(name, doc, labels=names)
            fam.add_metric(values, v)
            out.append(fam)
        labels = CounterMetricFamily(PREFIX + "labels", _LABELS_HELP, labels=[*names, "status"])
        for status in _LABEL_STATUSES:
            v = _number(totals.get("labels_" + status))
            if v is not None:
                labels.add_metric([*values, status], v)
        if labels.samples:
            out.append(labels)
        pending = _number(totals.get("labels_pending"))
        if pending is not None:
            g = GaugeMetricFamily(
                PREFIX + "labels_pending",
                "Predictions logged with an id, waiting for their label.",
                labels=names,
            )
            g.add_metric(values, pending)
            out.append(g)
        return out

    @staticmethod
    def _latency(m: MonitorLike, base: dict[str, str]) -> list[Metric]:
        buckets, total = latency_buckets(getattr(m, "latency_total", None))
        fam = HistogramMetricFamily(
            PREFIX + "request_latency_ms",
            "Request latency (ms) of every closed window; bucket counts are read from a "
            "relative-error sketch (see docs/prometheus.md).",
            labels=list(base),
        )
        fam.add_metric(list(base.values()), buckets, total)
        return [fam]

    @staticmethod
    def _open_window(m: MonitorLike, base: dict[str, str]) -> list[Metric]:
        stats = getattr(m, "snapshot_stats", None)
        if not callable(stats):
            return []
        out: list[Metric] = []
        for key, value in dict(stats()).items():
            v = _number(value)
            if v is None:
                continue
            name = PREFIX + "open_window_" + metric_name(str(key))
            fam = GaugeMetricFamily(name, f"The open window so far: {key}.", labels=list(base))
            fam.add_metric(list(base.values()), v)
            out.append(fam)
        return out

    def _window(self, m: MonitorLike, base: dict[str, str]) -> list[Metric]:
        w = m.latest
        return [] if w is None else self._cached("window", w, base, _window_families)

    def _late_labels(self, m: MonitorLike, base: dict[str, str]) -> list[Metric]:
        w = getattr(m, "latest_labels", None)
        return [] if w is None else self._cached("labels", w, base, _late_label_families)

    def _cached(
        self,
        slot: str,
        window: Window,
        base: dict[str, str],
        build: Callable[[Window, dict[str, str]], list[Metric]],
    ) -> list[Metric]:
        """``build(window, base)``, kept until the monitor's window changes: a closed window
        does not change, and a window of many columns has thousands of series."""
        labels = tuple(base.items())
        with self._lock:
            hit = self._cache.get(slot)
        if hit is not None and hit[0] is window and hit[1] == labels:
            return hit[2]
        out = build(window, base)
        with self._lock:
            self._cache[slot] = (window, labels, out)
        return out

    @staticmethod
    def _alerts(m: MonitorLike, base: dict[str, str]) -> list[Metric]:
        rules = getattr(m, "rules", None)
        if rules is None:
            return []
        firing = rules.firing
        if callable(firing):
            firing = firing()
        name_f, name_v = PREFIX + "alert_firing", PREFIX + "alert_value"
        fam = Metric(name_f, "1 for each alert currently firing.", "gauge")
        val = Metric(name_v, "The value that made the firing alert fire.", "gauge")
        seen: set[tuple[tuple[str, str], ...]] = set()
        for a in firing or ():
            labels = dict(base)
            labels["rule"] = str(a.rule)
            labels["severity"] = str(a.severity)
            labels = _with_labels(labels, getattr(a, "labels", None) or {}, "alert_")
            key = tuple(sorted(labels.items()))
            if key in seen:
                continue
            seen.add(key)
            fam.add_sample(name_f, labels, 1.0)
            v = _number(getattr(a, "value", None))
            if v is not None:
                val.add_sample(name_v, labels, v)
        return [f for f in (fam, val) if f.samples]


def _window_families(w: Window, base: dict[str, str]) -> list[Metric]:
    out = _window_gauges(w.samples(), base, _WINDOW)
    for name, doc, value in (
        (_START, "Start of the latest closed window (Unix seconds).", w.start),
        (_END, "End of the latest closed window (Unix seconds).", w.end),
    ):
        v = _number(value)
        if v is not None:
            fam = GaugeMetricFamily(name, doc, labels=list(base))
            fam.add_metric(list(base.values()), v)
            out.append(fam)
    return out


def _late_label_families(w: Window, base: dict[str, str]) -> list[Metric]:
    fam = Metric(
        _LATE_PERF,
        "Model metric of a closed window recomputed with the labels that arrived after it "
        "closed (the latest such update).",
        "gauge",
    )
    seen: set[tuple[tuple[str, str], ...]] = set()
    for s in w.samples():
        if s.name != "performance":
            continue
        v = _number(s.value)
        if v is None:
            continue
        labels = _with_labels(base, s.labels, "sample_")
        key = tuple(sorted(labels.items()))
        if key not in seen:
            seen.add(key)
            fam.add_sample(_LATE_PERF, labels, v)
    out: list[Metric] = [fam] if fam.samples else []
    end = _number(w.end)
    if end is not None:
        g = GaugeMetricFamily(
            _LATE_END,
            "End of the window the latest late-label update belongs to (Unix seconds).",
            labels=list(base),
        )
        g.add_metric(list(base.values()), end)
        out.append(g)
    return out


def _window_gauges(samples: Iterable[Any], base: Mapping[str, str], prefix: str) -> list[Metric]:
    """One gauge family per sample name, in order of first appearance; NaN samples skipped, and
    a repeated series (same name and labels) kept once, with its first value."""
    families: dict[str, Metric] = {}
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for s in samples:
        v = _number(s.value)
        if v is None:
            continue
        if s.name in _NOT_EXPORTED:
            continue
        name = prefix + metric_name(str(s.name))
        if name in _RESERVED:
            continue
        labels = _with_labels(base, s.labels, "sample_")
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            continue
        seen.add(key)
        fam = families.get(name)
        if fam is None:
            doc = _WINDOW_HELP.get(str(s.name), f"{s.name} of the latest closed window.")
            fam = families[name] = Metric(name, doc, "gauge")
        fam.add_sample(name, labels, v)
    return list(families.values())


class _QuietHandler(WSGIRequestHandler):
    """Serves requests without logging each one to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One daemon thread per connection (not kept for joining at close)."""

    daemon_threads = True


class MetricsServer:
    """A running metrics HTTP server (see :func:`serve_metrics`).

    ``port`` is the bound port (useful with ``port=0``), ``url`` the metrics URL, ``registry``
    the server's private ``CollectorRegistry`` (register more collectors on it to serve them
    too). ``close()`` stops the server, releases the port and joins the server thread; it is
    idempotent, and the server is a context manager that closes on exit."""

    def __init__(self, monitor: MonitorLike, port: int = 0, addr: str = "127.0.0.1") -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.collector = MonitorCollector(monitor)
        self.registry.register(self.collector)
        family, host = _best_family(addr, port)

        class Server(_ThreadingWSGIServer):
            address_family = family

        self._httpd = make_server(
            host, port, make_wsgi_app(self.registry), Server, handler_class=_QuietHandler
        )
        self.addr = addr
        self.port: int = int(self._httpd.server_address[1])
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"driftline-metrics:{self.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host = self.addr
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/metrics"

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop serving and release the port."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> MetricsServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "serving"
        return f"MetricsServer({self.url}, {state})"


def _best_family(addr: str, port: int) -> tuple[socket.AddressFamily, str]:
    """The address family and host to bind ``addr`` with (IPv6 addresses need AF_INET6)."""
    infos = socket.getaddrinfo(addr or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, sockaddr = infos[0]
    return family, str(sockaddr[0])


def serve_metrics(monitor: MonitorLike, port: int = 0, addr: str = "127.0.0.1") -> MetricsServer:
    """Serve ``monitor``'s metrics over HTTP at ``addr:port`` from a daemon thread.

    The server has its own ``CollectorRegistry`` (the process-wide default registry is left
    untouched, so several monitors can each serve their own port). ``port=0`` binds a free
    port: read it from the returned server's ``port``. Any path answers a ``GET`` with the
    exposition (``/metrics`` by convention); the response is gzip-compressed when the client
    accepts it, and in the OpenMetrics format when it asks for that."""
    return MetricsServer(monitor, port, addr)
