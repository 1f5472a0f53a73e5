"""``driftline.Monitor``: live monitoring inside a model server.

The request path (:meth:`Monitor.log`) is the Rust recorder's method itself: it reads the
record, locks one shard of the accumulators briefly and returns, without I/O and without
releasing the GIL. Everything else (closing windows, comparing them with the baseline, rules,
the store, resource sampling) runs on background threads.
"""

from __future__ import annotations

import atexit
import collections
import hashlib
import json
import logging
import os
import queue
import random
import re
import socket
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from driftline import _core
from driftline._compare import CompareConfig, compare
from driftline._core import DDSketch, Profile
from driftline._model import ModelSpec, model_of
from driftline._profile import _config, _edges, _schema_list, to_arrow
from driftline._schema import Schema
from driftline._window import Window

__all__ = ["Monitor", "parse_duration"]

log = logging.getLogger("driftline.monitor")

#: Seconds between two feeds of the logged blocks into the sketches.
_FEED_EVERY = 0.01

_UNITS = {"ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: str | float | timedelta) -> float:
    """Seconds in ``"250ms"``, ``"30s"``, ``"5m"``, ``"1h"``, ``"1d"`` (or ``"1h30m"``), a
    :class:`~datetime.timedelta` or a number of seconds."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        raise TypeError(f"expected a duration like '5m', got {value!r}")
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)", value.strip())
    if not parts or "".join(n + u for n, u in parts) != re.sub(r"\s+", "", value):
        raise ValueError(f"cannot read the duration {value!r}; use e.g. '250ms', '30s', '5m', '1h'")
    return sum(float(n) * _UNITS[u] for n, u in parts)


class _Resources:
    """Samples the process's CPU share, resident memory and thread count."""

    def __init__(self) -> None:
        self._last: tuple[float, float] | None = None
        self.reset()

    def reset(self) -> None:
        self.cpu: list[float] = []
        self.rss = 0.0
        self.threads = 0.0

    @staticmethod
    def _read() -> tuple[float, float, float]:
        """(CPU seconds, RSS bytes, threads)."""
        try:
            with open("/proc/self/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            tick = os.sysconf("SC_CLK_TCK")
            cpu = (int(fields[11]) + int(fields[12])) / tick
            threads = float(fields[17])
            with open("/proc/self/statm", "rb") as f:
                rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            return cpu, float(rss), threads
        except (OSError, IndexError, ValueError):
            import resource

            u = resource.getrusage(resource.RUSAGE_SELF)
            return u.ru_utime + u.ru_stime, u.ru_maxrss * 1024.0, float(threading.active_count())

    def sample(self) -> None:
        cpu, rss, threads = self._read()
        now = time.monotonic()
        if self._last is not None and now > self._last[0]:
            self.cpu.append(100.0 * (cpu - self._last[1]) / (now - self._last[0]))
        self._last = (now, cpu)
        self.rss = max(self.rss, rss)
        self.threads = max(self.threads, threads)

    def take(self) -> dict[str, float]:
        self.sample()
        out = {"rss_bytes": self.rss, "threads": self.threads}
        if self.cpu:
            out["cpu_percent"] = sum(self.cpu) / len(self.cpu)
        self.reset()
        return out


class _Retrying:
    """Runs ``fn(item)`` for queued items on its own thread, retrying failures with exponential
    backoff; never blocks the caller (a full queue drops its oldest item and counts it)."""

    def __init__(
        self,
        name: str,
        fn: Callable[[Any], Any],
        *,
        attempts: int,
        backoff: tuple[float, float],
        capacity: int = 1024,
    ) -> None:
        self.name, self.fn, self.attempts, self.backoff = name, fn, attempts, backoff
        self.q: queue.Queue[Any] = queue.Queue(capacity)
        self.errors = 0
        self.failed = 0
        self.dropped = 0
        self.done = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"driftline-{name}", daemon=True)
        self._thread.start()

    def put(self, item: Any) -> None:
        while True:
            try:
                self.q.put_nowait(item)
                return
            except queue.Full:
                try:
                    self.q.get_nowait()
                    self.q.task_done()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def _run(self) -> None:
        while True:
            item = self.q.get()
            if item is None:
                self.q.task_done()
                return
            delay = self.backoff[0]
            for attempt in range(1, self.attempts + 1):
                try:
                    self.fn(item)
                    self.done += 1
                    break
                except Exception as e:  # a failing store must never take the monitor down
                    self.errors += 1
                    self.last_error = f"{type(e).__name__}: {e}"
                    log.warning("%s failed (attempt %d): %s", self.name, attempt, e)
                    if attempt == self.attempts:
                        self.failed += 1
                        break
                    if self._stop.wait(delay * (0.5 + random.random())):
                        # Shutting down: one last immediate attempt, then give up.
                        delay = 0.0
                    delay = min(delay * 2, self.backoff[1])
            self.q.task_done()

    def close(self, timeout: float) -> None:
        self._stop.set()
        self.put(None)
        self._thread.join(timeout)


def _hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _iso(t: float | None) -> str:
    if t is None:
        return ""
    return datetime.fromtimestamp(t, timezone.utc).isoformat()


class Monitor:
    """Live monitoring inside a model server (see ``docs/monitor.md``).

    Parameters
    ----------
    schema:
        The features: a :class:`Schema` or ``{name: "numeric" | "categorical"}`` (taken from
        ``baseline`` when omitted). Columns named like the model's prediction or score columns
        are filled from :meth:`log`'s ``prediction`` and ``score``, so their drift is monitored.
    baseline:
        A profile of reference data; each closed window is compared with it, and numeric
        columns are also counted on its quantile bins (``bins``).
    window:
        Tumbling windows by time (``"5m"``, ``"30s"``, a ``timedelta``) or by row count (an
        ``int``).
    store:
        Where closed windows are saved (any object with ``save(window)``, e.g.
        :class:`driftline.store.FileStore`); failures are retried with backoff on a background
        thread, never in :meth:`log`.
    rules:
        A :class:`driftline.rules.Rules` evaluated on every closed window.
    model:
        A :class:`ModelSpec` (label, prediction, scores, segments); taken from the baseline's
        model section when omitted.
    name, version:
        The model's name and version, recorded in every window's metadata.
    compare:
        The :class:`CompareConfig` for the comparison with the baseline.
    lateness:
        How long after its end a time window still accepts records stamped inside it.
    label_ttl, label_buffer:
        How long, and how many, predictions logged with an ``id`` wait for their label.
    shards:
        Accumulator shards (threads logging at once lock different shards).
    history:
        Closed windows kept in memory (:attr:`windows`).
    resource_interval:
        Seconds between samples of the process's CPU, memory and threads.
    on_window:
        Called with each closed :class:`Window` on the background thread.
    store_attempts, backoff:
        Attempts per store write, and the (first, longest) delay between them in seconds.
    **options:
        Sketch parameters (as for :func:`driftline.profile`).
    """

    __slots__ = (
        "__weakref__",
        "_baseline",
        "_cb_errors",
        "_closed",
        "_compare",
        "_compare_errors",
        "_created",
        "_first_index",
        "_history",
        "_init",
        "_latency_total",
        "_latest",
        "_latest_labels",
        "_lock",
        "_meta",
        "_on_window",
        "_proc",
        "_rec",
        "_resource_interval",
        "_resources",
        "_rows",
        "_rules",
        "_rules_errors",
        "_stop",
        "_store",
        "_store_q",
        "_thread",
        "_tick",
        "_totals",
        "_window_s",
        "log",
        "log_labels",
        "name",
        "version",
    )

    def __init__(
        self,
        schema: Schema | Mapping[str, str] | None = None,
        baseline: Profile | None = None,
        window: str | int | float | timedelta = "5m",
        store: Any = None,
        rules: Any = None,
        *,
        model: ModelSpec | None = None,
        name: str = "model",
        version: str = "",
        compare: CompareConfig | None = None,
        bins: int = 10,
        lateness: str | float | timedelta = 0.0,
        label_ttl: str | float | timedelta = "1h",
        label_buffer: int = 1_000_000,
        shards: int = 16,
        history: int = 64,
        resource_interval: float = 1.0,
        on_window: Callable[[Window], Any] | None = None,
        store_attempts: int = 5,
        backoff: tuple[float, float] = (0.5, 30.0),
        **options: Any,
    ) -> None:
        if schema is None and baseline is None:
            raise ValueError("give the schema of the features, or a baseline profile")
        sl = _schema_list(schema)
        edges, sl = _edges(baseline, bins, sl)
        config = dict(baseline.config) if baseline is not None else {}
        config.update(_config(options))
        model_arg: tuple[Any, ...] | None
        if model is not None:
            model_arg = model.core(None)
        else:
            model_arg = None if baseline is None else model_of(baseline)
        template = _core.Profiler(sl, config, edges, model_arg).snapshot()
        if isinstance(window, bool) or not isinstance(window, int | float | str | timedelta):
            raise TypeError(f"window must be a duration or a row count, got {window!r}")
        if isinstance(window, int):
            if window < 1:
                raise ValueError(f"a row window needs at least 1 row, got {window}")
            self._rows: int | None = window
            self._window_s = 0.0
            kw: dict[str, Any] = {"rows": window}
        else:
            self._rows = None
            self._window_s = parse_duration(window)
            if not self._window_s > 0:
                raise ValueError(f"the window must be positive, got {window!r}")
            kw = {"window_ns": round(self._window_s * 1e9)}
        lateness_s = parse_duration(lateness)
        ttl_s = parse_duration(label_ttl)
        self._rec = _core.Recorder(
            template,
            lateness_ns=round(lateness_s * 1e9),
            shards=shards,
            label_capacity=label_buffer,
            label_ttl_ns=round(ttl_s * 1e9),
            **kw,
        )
        self._init: dict[str, Any] = dict(
            template=template,
            kw=kw,
            lateness_ns=round(lateness_s * 1e9),
            shards=shards,
            label_buffer=label_buffer,
            ttl_ns=round(ttl_s * 1e9),
            history=history,
            store_attempts=store_attempts,
            backoff=backoff,
        )
        #: Log one request (the recorder's own method: no Python frame in the request path).
        self.log = self._rec.log
        #: Join labels to earlier predictions by id.
        self.log_labels = self._rec.log_labels
        self.name, self.version = name, version
        self._baseline = baseline
        self._compare = compare or CompareConfig()
        self._store, self._rules, self._on_window = store, rules, on_window
        self._resource_interval = resource_interval
        self._tick = 0.05 if self._rows is not None else min(1.0, max(self._window_s / 20, 0.01))
        self._meta = {
            "driftline.model": name,
            "driftline.model_version": version,
            "driftline.host": socket.gethostname(),
            "driftline.version": _version(),
            "driftline.schema_hash": _hash(template.schema),
            "driftline.config_hash": _hash(
                [template.config, edges, None if model_arg is None else model_arg[:4]]
            ),
            "driftline.window": str(window),
        }
        self._start()
        _register(self)

    # -- lifecycle ------------------------------------------------------------------------

    def _start(self) -> None:
        self._lock = threading.Lock()
        # Held around every call that feeds or merges without the GIL, and by the fork hook,
        # so a child never inherits a lock held by a thread that does not exist there.
        self._proc = threading.Lock()
        self._created = self._rec.now()
        self._first_index = self._rec.current_index()
        self._history: collections.deque[Window] = collections.deque(maxlen=self._init["history"])
        self._latest: Window | None = None
        self._latest_labels: Window | None = None
        self._latency_total = DDSketch(0.01, 2048)
        self._totals: dict[str, float] = collections.defaultdict(float)
        self._compare_errors = self._rules_errors = self._cb_errors = 0
        self._resources = _Resources()
        self._closed = False
        self._stop = threading.Event()
        self._store_q = (
            _Retrying(
                "store",
                self._store.save,
                attempts=self._init["store_attempts"],
                backoff=self._init["backoff"],
            )
            if self._store is not None
            else None
        )
        self._thread = threading.Thread(target=self._run, name="driftline-monitor", daemon=True)
        self._thread.start()

    def _after_fork_in_child(self) -> None:
        """The child of a fork starts with empty accumulators and fresh threads."""
        self._rec.reset()
        self._start()

    def close(self, timeout: float = 10.0) -> None:
        """Close the open window (processing it like any other) and stop the background
        threads, waiting at most ``timeout`` seconds for pending store writes. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stop.set()
        self._thread.join(timeout)
        try:
            with self._proc:
                closed = self._rec.take(all=True)
            self._process(closed, final=True)
        except Exception:  # never raise from shutdown
            log.exception("closing the last window failed")
        if self._store_q is not None:
            self._store_q.close(timeout)
        closer = getattr(self._rules, "close", None)
        if closer is not None:
            try:
                closer(timeout)
            except Exception:
                log.exception("closing the rules failed")

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        next_sample = next_tick = 0.0
        while not self._stop.wait(_FEED_EVERY):
            try:
                with self._proc:
                    self._rec.feed()
                now = time.monotonic()
                if now >= next_sample:
                    self._resources.sample()
                    next_sample = now + self._resource_interval
                if now >= next_tick:
                    next_tick = now + self._tick
                    with self._proc:
                        closed = self._rec.take()
                    self._process(closed)
            except Exception:  # the monitor must survive anything
                log.exception("processing closed windows failed")

    # -- closing windows --------------------------------------------------------------------

    def _process(self, closed: list[dict[str, Any]], final: bool = False) -> None:
        idle = None
        for c in closed:
            if c["kind"] == "window" and c["requests"] == 0:
                # Empty windows show a stop in traffic; a monitor that never saw a record (a
                # pre-fork server's master, say) reports none.
                if idle is None:
                    idle = self._rec.totals()["requests"] == 0
                if idle:
                    continue
            w = self._window(c, final)
            if w is None:
                continue
            if self._rules is not None:
                try:
                    w = replace(w, alerts=tuple(self._rules.evaluate(w)))
                except Exception:
                    self._rules_errors += 1
                    log.exception("evaluating rules failed")
            with self._lock:
                self._account(w, c)
            if self._store_q is not None and (w.kind == "window" or c["joined_late"]):
                self._store_q.put(w)
            if self._on_window is not None:
                try:
                    self._on_window(w)
                except Exception:
                    self._cb_errors += 1
                    log.exception("on_window callback failed")

    def _labels(self, c: Mapping[str, Any]) -> dict[str, int]:
        keys = ("joined", "joined_late", "unlabeled", "unmatched", "expired", "evicted")
        out = {k: int(c[k]) for k in keys}
        out["duplicate_ids"] = int(c["duplicate_ids"])
        out["model_errors"] = int(c["model_errors"])
        return out

    def _window(self, c: dict[str, Any], final: bool) -> Window | None:
        kind = c["kind"]
        profile: Profile = c["profile"]
        if self._rows is not None:
            start, end = c["first"], c["last"]
            if start is None:
                start = end = self._rec.now()
        else:
            start, end = c["start"], c["end"]
            if c["index"] == self._first_index:
                start = max(start, self._created)
            if final and kind == "window":
                end = min(end, self._rec.now())
        if kind == "labels" and c["index"] == -(2**63):
            start = end = self._rec.now()
        meta = dict(self._meta)
        meta.update(
            {
                "driftline.window_kind": kind,
                "driftline.window_index": str(c["index"]),
                "driftline.window_start": _iso(start),
                "driftline.window_end": _iso(end),
                "driftline.pid": str(os.getpid()),
                "driftline.source": f"{self._meta['driftline.host']}-{os.getpid()}",
            }
        )
        profile = profile.with_metadata(meta)
        report = None
        if kind == "window" and self._baseline is not None and profile.row_count > 0:
            try:
                report = compare(self._baseline, profile, self._compare)
            except Exception:
                self._compare_errors += 1
                log.exception("comparing window %s with the baseline failed", c["index"])
        return Window(
            index=int(c["index"]),
            kind=kind,
            start=float(start),
            end=float(end),
            profile=profile,
            requests=int(c["requests"]),
            errors=int(c["errors"]),
            malformed=int(c["malformed"]),
            late=int(c["late"]),
            future=int(c["future"]),
            labels=self._labels(c),
            latency=c["latency"] if kind == "window" else None,
            resources=self._resources.take() if kind == "window" else {},
            report=report,
            baseline=self._baseline,
        )

    def _account(self, w: Window, c: Mapping[str, Any]) -> None:
        t = self._totals
        for k in ("requests", "errors", "malformed", "late", "future"):
            t[k] += c[k]
        for k, v in w.labels.items():
            t[f"labels_{k}"] += v
        if w.kind == "window":
            t["windows"] += 1
            if w.latency is not None:
                self._latency_total.merge(w.latency)
            self._latest = w
            self._history.append(w)
        elif w.profile.performance is not None and c["joined_late"]:
            t["labels_updates"] += 1
            self._latest_labels = w

    # -- reading ----------------------------------------------------------------------------

    def log_batch(self, data: Any, *, latency_ms: Any = None, errors: int = 0) -> None:
        """Count a batch (any input :func:`driftline.profile` takes) into the current window:
        its feature columns, its model columns (labels included) and, optionally, one latency
        per row. Raises on a batch that does not fit the schema."""
        lat = None
        if latency_ms is not None:
            import numpy as np

            lat = np.asarray(latency_ms, dtype=np.float64).tolist()
        self._rec.log_batch(to_arrow(data), lat, errors)

    def snapshot(self) -> Profile:
        """The open window's profile so far (with its metadata)."""
        with self._proc:
            c = self._rec.snapshot()
        meta = dict(self._meta)
        meta.update(
            {
                "driftline.window_kind": "open",
                "driftline.window_index": str(c["index"]),
                "driftline.window_start": _iso(c["start"] if self._rows is None else c["first"]),
                "driftline.pid": str(os.getpid()),
            }
        )
        profile: Profile = c["profile"]
        return profile.with_metadata(meta)

    def snapshot_stats(self) -> dict[str, float]:
        """Counters of the open window so far."""
        return {k: float(v) for k, v in self._rec.open_counts().items()}

    def flush(self) -> list[Window]:
        """Close every window that can close now and return the closed windows (the
        background thread does this on its own every tick)."""
        out: list[Window] = []
        cb = self._on_window

        def keep(w: Window) -> None:
            out.append(w)
            if cb is not None:
                cb(w)

        try:
            self._on_window = keep
            with self._proc:
                closed = self._rec.take()
            self._process(closed)
        finally:
            self._on_window = cb
        return out

    @property
    def windows(self) -> list[Window]:
        """The most recent closed windows (``history`` of them), oldest first."""
        with self._lock:
            return list(self._history)

    @property
    def latest(self) -> Window | None:
        """The most recent closed window."""
        return self._latest

    @property
    def latest_labels(self) -> Window | None:
        """The most recent labels update (labels that arrived after their window closed)."""
        return self._latest_labels

    @property
    def latency_total(self) -> DDSketch:
        """Latency (ms) of every closed window, merged."""
        with self._lock:
            return DDSketch.from_bytes(self._latency_total.to_bytes())

    @property
    def rules(self) -> Any:
        return self._rules

    @property
    def baseline(self) -> Profile | None:
        return self._baseline

    def totals(self) -> dict[str, float]:
        """Cumulative counters: records (``requests``, ``errors``, ``malformed``, ``late``,
        ``future``: live, open window included), closed ``windows``, label accounting
        (``labels_*``, as windows close), and the background threads' error counts."""
        with self._lock:
            out = dict(self._totals)
        # Record counters are live (open windows included) and only ever grow.
        out.update({k: float(v) for k, v in self._rec.totals().items()})
        out.setdefault("windows", 0.0)
        for k in ("joined", "joined_late", "unmatched", "expired", "evicted"):
            out.setdefault(f"labels_{k}", 0.0)
        out["labels_pending"] = float(self._rec.pending_labels())
        out["store_errors"] = float(self._store_q.errors if self._store_q else 0)
        out["store_failed"] = float(self._store_q.failed if self._store_q else 0)
        out["store_dropped"] = float(self._store_q.dropped if self._store_q else 0)
        stats = getattr(self._rules, "stats", None)
        nerr = 0.0
        if callable(stats):
            try:
                s = stats()
                nerr = float(s.get("failed", 0)) + float(s.get("retried", 0))
            except Exception:
                nerr = 0.0
        out["notifier_errors"] = nerr
        out["compare_errors"] = float(self._compare_errors)
        out["rules_errors"] = float(self._rules_errors)
        out["callback_errors"] = float(self._cb_errors)
        return out

    def health(self) -> dict[str, Any]:
        """Whether the background thread runs, and the last store error."""
        return {
            "running": self._thread.is_alive() and not self._closed,
            "store_last_error": self._store_q.last_error if self._store_q else None,
            **self.totals(),
        }

    def serve_metrics(self, port: int = 0, addr: str = "127.0.0.1") -> Any:
        """Serve the Prometheus metrics of this monitor over HTTP (see ``docs/prometheus.md``);
        returns the server (``.port``, ``.url``, ``.close()``)."""
        from driftline.prometheus import serve_metrics

        return serve_metrics(self, port=port, addr=addr)

    def __repr__(self) -> str:
        w = f"{self._rows} rows" if self._rows is not None else f"{self._window_s:g}s"
        return f"Monitor(name={self.name!r}, window={w}, windows={len(self._history)})"


def _version() -> str:
    from driftline import __version__

    return __version__


_monitors: weakref.WeakSet[Monitor] = weakref.WeakSet()
_hooks_installed = False


def _register(m: Monitor) -> None:
    global _hooks_installed
    _monitors.add(m)
    if _hooks_installed:
        return
    _hooks_installed = True
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(
            before=_before_fork, after_in_parent=_after_fork_parent, after_in_child=_after_fork
        )
    atexit.register(_close_all)


_forking: list[Monitor] = []


def _before_fork() -> None:
    # No feeding or merging may be in flight while the process forks.
    for m in list(_monitors):
        m._proc.acquire()
        _forking.append(m)


def _after_fork_parent() -> None:
    while _forking:
        _forking.pop()._proc.release()


def _after_fork() -> None:
    _forking.clear()
    for m in list(_monitors):
        if not m._closed:
            m._after_fork_in_child()


def _close_all() -> None:
    for m in list(_monitors):
        m.close(timeout=5.0)
