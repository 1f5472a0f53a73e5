"""Alert rules over the samples of each window: thresholds with a minimum sample size,
persistence, cooldown and escalation; notifiers delivered on a background thread with retries and
exponential backoff; every evaluation and every alert appended to a JSON-lines audit log.

See ``docs/rules.md`` for the semantics of every field, the verdicts and the audit log format.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import math
import operator
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from driftline._window import json_safe

if TYPE_CHECKING:
    from driftline._window import Sample, Window

__all__ = [
    "OPS",
    "SEVERITIES",
    "VERDICTS",
    "Alert",
    "Backoff",
    "CallbackNotifier",
    "Dispatcher",
    "LogNotifier",
    "Notifier",
    "Rule",
    "Rules",
    "WebhookError",
    "WebhookNotifier",
    "default_rules",
]

log = logging.getLogger("driftline.rules")

#: Comparison operators a rule may use, as ``value <op> threshold``.
OPS: Mapping[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}

#: Alert severities, from least to most severe.
SEVERITIES = ("info", "warning", "critical")

#: What one evaluation of a rule on one sample concluded (see ``docs/rules.md``).
VERDICTS = ("true", "false", "insufficient", "nan", "missing")

LabelKey = tuple[tuple[str, str], ...]


def _label_key(labels: Mapping[str, str]) -> LabelKey:
    return tuple(sorted((str(k), str(v)) for k, v in labels.items()))


def _iso(t: float) -> str:
    try:
        return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return str(t)


def _selector(metric: str, labels: Mapping[str, str]) -> str:
    if not labels:
        return metric
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{metric}{{{inner}}}"


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


# ------------------------------------------------------------------------------------------
# Rule and Alert
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A threshold on one metric of each window.

    Parameters
    ----------
    name:
        Unique name of the rule (alerts and the audit log refer to it).
    metric:
        A sample name of :meth:`driftline._window.Window.samples` (``"error_rate"``,
        ``"latency_ms"``, ``"drift_detected"``, ``"dataset_drift"``, ``"performance"``,
        ``"missing"``, ``"unknown_categories"``, ...).
    op:
        One of ``">"``, ``">="``, ``"<"``, ``"<="``, ``"=="``, ``"!="``; the condition is
        ``value <op> threshold``.
    threshold:
        The number the value is compared with (any real number but NaN).
    severity:
        ``"info"``, ``"warning"`` (default) or ``"critical"``.
    labels:
        Labels a sample must carry (a subset match: ``{"quantile": "0.99"}`` selects the p99
        latency sample; ``{}`` selects every sample of the metric). A rule that selects several
        samples (``drift_detected`` has one per column) evaluates, fires and resolves each one
        separately.
    min_requests:
        Windows with fewer requests (for a ``"labels"`` update: fewer labelled rows) are not
        evaluated: verdict ``"insufficient"``, and the rule's state is left as it was.
    for_windows:
        Persistence: the rule fires once the condition held on this many consecutive evaluated
        windows.
    cooldown:
        After a notification, a still-firing alert is not notified again for this many windows
        (0: notified on every window it fires).
    escalate_after:
        After firing on this many consecutive windows, the alert's severity becomes
        ``"critical"`` (``None``: never escalates).
    description:
        Free text, appended to the alert message.
    """

    name: str
    metric: str
    op: str
    threshold: float
    severity: str = "warning"
    labels: Mapping[str, str] = field(default_factory=dict)
    min_requests: int = 0
    for_windows: int = 1
    cooldown: int = 0
    escalate_after: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"rule name must be a non-empty string, got {self.name!r}")
        where = f"rule {self.name!r}"
        if not isinstance(self.metric, str) or not self.metric.strip():
            raise ValueError(f"{where}: metric must be a non-empty string, got {self.metric!r}")
        if self.op not in OPS:
            raise ValueError(f"{where}: op must be one of {', '.join(OPS)}; got {self.op!r}")
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, int | float):
            raise ValueError(f"{where}: threshold must be a number, got {t!r}")
        if math.isnan(t):
            raise ValueError(f"{where}: threshold must not be NaN")
        object.__setattr__(self, "threshold", float(t))
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"{where}: severity must be one of {', '.join(SEVERITIES)}; got {self.severity!r}"
            )
        if not isinstance(self.labels, Mapping):
            raise ValueError(
                f"{where}: labels must be a mapping of label name to value, got {self.labels!r}"
            )
        for k, v in self.labels.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise ValueError(
                    f"{where}: labels must map strings to strings, got {k!r}: {v!r} "
                    '(write label values as strings, e.g. quantile = "0.99")'
                )
        object.__setattr__(self, "labels", dict(self.labels))
        for name, low in (("min_requests", 0), ("for_windows", 1), ("cooldown", 0)):
            value = getattr(self, name)
            if not _is_int(value) or value < low:
                raise ValueError(f"{where}: {name} must be an integer >= {low}, got {value!r}")
        e = self.escalate_after
        if e is not None and (not _is_int(e) or e < 1):
            raise ValueError(f"{where}: escalate_after must be None or an integer >= 1, got {e!r}")
        if not isinstance(self.description, str):
            raise ValueError(f"{where}: description must be a string, got {self.description!r}")

    def __hash__(self) -> int:
        return hash(
            (
                self.name,
                self.metric,
                self.op,
                self.threshold,
                self.severity,
                _label_key(self.labels),
                self.min_requests,
                self.for_windows,
                self.cooldown,
                self.escalate_after,
                self.description,
            )
        )

    def matches(self, sample: Sample) -> bool:
        """Whether ``sample`` is one of the samples this rule evaluates."""
        if sample.name != self.metric:
            return False
        return all(sample.labels.get(k) == v for k, v in self.labels.items())

    def holds(self, value: float) -> bool:
        """Whether ``value <op> threshold`` (never for NaN)."""
        if math.isnan(value):
            return False
        return bool(OPS[self.op](value, self.threshold))

    def to_dict(self) -> dict[str, Any]:
        """The rule as a plain dict (the form :meth:`from_dict` and TOML files take)."""
        return {
            "name": self.name,
            "metric": self.metric,
            "op": self.op,
            "threshold": self.threshold,
            "severity": self.severity,
            "labels": dict(self.labels),
            "min_requests": self.min_requests,
            "for_windows": self.for_windows,
            "cooldown": self.cooldown,
            "escalate_after": self.escalate_after,
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Rule:
        """A rule from a dict with the field names as keys; unknown or missing keys raise
        ``ValueError``."""
        if not isinstance(d, Mapping):
            raise ValueError(f"a rule must be a mapping of field to value, got {d!r}")
        name = d.get("name", "?")
        allowed = set(cls.__dataclass_fields__)
        unknown = sorted(set(d) - allowed)
        if unknown:
            raise ValueError(
                f"rule {name!r}: unknown field(s) {', '.join(map(repr, unknown))}; "
                f"rule fields are {', '.join(cls.__dataclass_fields__)}"
            )
        missing = [k for k in ("name", "metric", "op", "threshold") if k not in d]
        if missing:
            raise ValueError(f"rule {name!r}: missing required field(s) {', '.join(missing)}")
        return cls(**dict(d))


@dataclass(frozen=True)
class Alert:
    """One alert of one rule on one sample, raised on one window.

    ``state`` is ``"firing"`` (the condition holds, persistence reached) or ``"resolved"`` (it
    no longer holds). ``consecutive`` counts the windows in a row the alert has fired (for a
    resolved alert: how many it fired before resolving). ``notified`` says whether notifiers
    were sent this alert (a firing alert within its rule's cooldown is not). ``severity`` may
    be ``"critical"`` past the rule's ``escalate_after``.
    """

    rule: str
    severity: str
    metric: str
    labels: dict[str, str]
    value: float
    threshold: float
    op: str
    state: str
    window_start: float
    window_end: float
    window_index: int
    model: str
    version: str
    consecutive: int
    message: str
    notified: bool = True

    def __hash__(self) -> int:
        return hash((self.rule, _label_key(self.labels), self.state, self.window_index))

    def to_dict(self) -> dict[str, Any]:
        """Every field as a JSON-ready dict (NaN and infinities as ``None``)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "metric": self.metric,
            "labels": dict(self.labels),
            "value": json_safe(float(self.value)),
            "threshold": json_safe(float(self.threshold)),
            "op": self.op,
            "state": self.state,
            "window_start": json_safe(float(self.window_start)),
            "window_end": json_safe(float(self.window_end)),
            "window_index": self.window_index,
            "model": self.model,
            "version": self.version,
            "consecutive": self.consecutive,
            "message": self.message,
            "notified": self.notified,
        }


# ------------------------------------------------------------------------------------------
# Notifiers
# ------------------------------------------------------------------------------------------


@runtime_checkable
class Notifier(Protocol):
    """Anything with ``notify(alert)``. It runs on the dispatcher's thread and may raise: the
    dispatcher then retries it with backoff."""

    def notify(self, alert: Alert) -> None: ...


def _notifier_name(n: Any) -> str:
    name = getattr(n, "name", None)
    return name if isinstance(name, str) and name else type(n).__name__


class LogNotifier:
    """Log each alert's message on ``logger`` (a Logger, a logger name, or ``None`` for
    ``"driftline.alerts"``) at ``level``; the record carries the alert as ``record.alert``
    (its :meth:`Alert.to_dict`)."""

    def __init__(
        self, logger: logging.Logger | str | None = None, level: int = logging.WARNING
    ) -> None:
        if logger is None or isinstance(logger, str):
            logger = logging.getLogger(logger or "driftline.alerts")
        self.logger = logger
        self.level = level
        self.name = f"log({logger.name})"

    def notify(self, alert: Alert) -> None:
        self.logger.log(self.level, "%s", alert.message, extra={"alert": alert.to_dict()})


class CallbackNotifier:
    """Call ``fn(alert)`` for each alert."""

    def __init__(self, fn: Callable[[Alert], Any]) -> None:
        if not callable(fn):
            raise TypeError(f"CallbackNotifier needs a callable, got {fn!r}")
        self.fn = fn
        self.name = f"callback({getattr(fn, '__qualname__', type(fn).__name__)})"

    def notify(self, alert: Alert) -> None:
        self.fn(alert)


class WebhookError(RuntimeError):
    """A webhook answered with a status other than 2xx."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET without the body: refuse instead.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class WebhookNotifier:
    """POST each alert as JSON (:meth:`Alert.to_dict`) to ``url``.

    A status other than 2xx (redirects included) or a network error raises, so the dispatcher
    retries. Only the host of ``url`` appears in names and errors, never its path or query
    (webhook URLs often embed a secret).
    """

    def __init__(
        self, url: str, *, timeout: float = 5.0, headers: Mapping[str, str] | None = None
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"webhook url must be an http:// or https:// URL, got {url!r}")
        if not timeout > 0:
            raise ValueError(f"webhook timeout must be positive, got {timeout!r}")
        self.url = url
        self.timeout = float(timeout)
        self.headers = dict(headers or {})
        host = f"{parts.hostname}:{parts.port}" if parts.port else f"{parts.hostname}"
        self.name = f"webhook({host})"
        self._opener = urllib.request.build_opener(_NoRedirect)

    def notify(self, alert: Alert) -> None:
        from driftline import __version__

        body = json.dumps(alert.to_dict(), allow_nan=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"driftline/{__version__}",
            **self.headers,
        }
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                status = int(resp.status)
                resp.read()
        except urllib.error.HTTPError as e:
            status, reason = e.code, e.reason
            e.close()
            raise WebhookError(f"{self.name} answered HTTP {status} {reason}") from None
        if not 200 <= status < 300:
            raise WebhookError(f"{self.name} answered HTTP {status}")


def _as_notifier(n: Any) -> Notifier:
    if isinstance(n, Notifier):
        return n
    if callable(n):
        return CallbackNotifier(n)
    raise TypeError(f"a notifier needs a notify(alert) method or must be callable, got {n!r}")


def notifier_from_dict(d: Mapping[str, Any]) -> Notifier:
    """A notifier from config: ``{"type": "log", "logger": ..., "level": "WARNING"}`` or
    ``{"type": "webhook", "url": ..., "timeout": 5.0, "headers": {...}}``."""
    if not isinstance(d, Mapping):
        raise ValueError(f"a notifier must be a mapping, got {d!r}")
    d = dict(d)
    kind = d.pop("type", None)
    if kind == "log":
        unknown = set(d) - {"logger", "level"}
        if unknown:
            raise ValueError(f"log notifier: unknown field(s) {sorted(unknown)}")
        level = d.get("level", logging.WARNING)
        if isinstance(level, str):
            resolved = logging.getLevelName(level.upper())
            if not isinstance(resolved, int):
                raise ValueError(f"log notifier: unknown level {level!r}")
            level = resolved
        return LogNotifier(d.get("logger"), level)
    if kind == "webhook":
        unknown = set(d) - {"url", "timeout", "headers"}
        if unknown:
            raise ValueError(f"webhook notifier: unknown field(s) {sorted(unknown)}")
        if "url" not in d:
            raise ValueError("webhook notifier: missing field 'url'")
        return WebhookNotifier(d["url"], timeout=d.get("timeout", 5.0), headers=d.get("headers"))
    raise ValueError(f"notifier type must be 'log' or 'webhook', got {kind!r}")


# ------------------------------------------------------------------------------------------
# Delivery
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """Retry schedule of a failing notifier.

    Attempt ``k + 1`` (after ``k`` failures) waits ``min(max, base * factor**(k - 1))``
    seconds, shortened by a random share of up to ``jitter`` (so retries of many alerts spread
    out and never wait longer than ``max``). After ``max_attempts`` attempts in all the
    delivery counts as failed.
    """

    base: float = 0.5
    factor: float = 2.0
    max: float = 30.0
    jitter: float = 0.2
    max_attempts: int = 5

    def __post_init__(self) -> None:
        if not (self.base >= 0 and self.max >= 0):
            raise ValueError(f"backoff base and max must be >= 0, got {self.base}, {self.max}")
        if not self.factor >= 1:
            raise ValueError(f"backoff factor must be >= 1, got {self.factor}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"backoff jitter must be in [0, 1], got {self.jitter}")
        if not _is_int(self.max_attempts) or self.max_attempts < 1:
            raise ValueError(f"max_attempts must be an integer >= 1, got {self.max_attempts!r}")

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after the ``failures``-th failed attempt."""
        try:
            d = min(self.max, self.base * self.factor ** max(failures - 1, 0))
        except OverflowError:
            d = self.max
        u = (rng or random).random()
        return d * (1.0 - self.jitter * u)


@dataclass
class _Job:
    seq: int
    alert: Alert
    notifier: Notifier
    attempts: int = 0


#: ``on_event(outcome, alert, notifier_name, attempts, error)``; outcome is ``"delivered"``,
#: ``"retry"``, ``"failed"`` or ``"dropped"``.
EventHook = Callable[[str, Alert, str, int, "str | None"], None]


class Dispatcher:
    """Delivers alerts to notifiers on its own daemon thread.

    :meth:`submit` only appends to a bounded queue (one entry per alert and notifier) and never
    waits for I/O. When the queue holds ``queue_size`` entries (retries included), the oldest is
    dropped and counted in ``dropped``. A notifier that raises is retried on the
    :class:`Backoff` schedule, without holding up other deliveries; after
    ``backoff.max_attempts`` attempts it counts as ``failed``.
    """

    def __init__(
        self,
        notifiers: Sequence[Notifier | Callable[[Alert], Any]] = (),
        *,
        backoff: Backoff | None = None,
        queue_size: int = 10_000,
        on_event: EventHook | None = None,
        seed: int | None = None,
    ):
        if not _is_int(queue_size) or queue_size < 1:
            raise ValueError(f"queue_size must be an integer >= 1, got {queue_size!r}")
        self.notifiers = tuple(_as_notifier(n) for n in notifiers)
        self.backoff = backoff or Backoff()
        self.queue_size = queue_size
        self._on_event = on_event
        self._rng = random.Random(seed)
        self._cond = threading.Condition()
        self._queue: deque[_Job] = deque()
        self._retry: list[tuple[float, int, _Job]] = []
        self._seq = itertools.count()
        self._inflight = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        self._stop = False
        self.delivered = 0
        self.failed = 0
        self.retried = 0
        self.dropped = 0
        self.last_error: str | None = None

    # -- public -------------------------------------------------------------------------

    def submit(self, alert: Alert) -> None:
        """Queue ``alert`` for every notifier; returns at once."""
        if not self.notifiers:
            return
        dropped: list[_Job] = []
        with self._cond:
            reason = "closed" if self._closed else "queue full"
            if self._closed:
                self.dropped += len(self.notifiers)
                dropped = [_Job(-1, alert, n) for n in self.notifiers]
            else:
                for n in self.notifiers:
                    while len(self._queue) + len(self._retry) >= self.queue_size:
                        dropped.append(self._drop_oldest())
                    self._queue.append(_Job(next(self._seq), alert, n))
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="driftline-notify", daemon=True
                    )
                    self._thread.start()
                self._cond.notify_all()
        for job in dropped:
            self._event("dropped", job, reason)

    @property
    def pending(self) -> int:
        """Deliveries queued, waiting for a retry, or in progress."""
        with self._cond:
            return len(self._queue) + len(self._retry) + self._inflight

    def stats(self) -> dict[str, Any]:
        """``delivered``, ``failed``, ``retried``, ``dropped``, ``pending`` and
        ``last_error``."""
        with self._cond:
            return {
                "delivered": self.delivered,
                "failed": self.failed,
                "retried": self.retried,
                "dropped": self.dropped,
                "pending": len(self._queue) + len(self._retry) + self._inflight,
                "last_error": self.last_error,
            }

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued delivery has succeeded or failed for good (retries
        included); ``False`` if ``timeout`` seconds passed first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._queue or self._retry or self._inflight:
                if self._thread is None or not self._thread.is_alive():
                    return False
                if deadline is None:
                    self._cond.wait()
                else:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._cond.wait(left)
            return True

    def close(self, timeout: float | None = None) -> bool:
        """Flush for up to ``timeout`` seconds, then stop the thread. Deliveries still pending
        are counted as dropped; later submissions are dropped too. Returns whether everything
        was delivered or failed for good before the deadline."""
        with self._cond:
            self._closed = True
        flushed = self.flush(timeout)
        left: list[_Job] = []
        with self._cond:
            self._stop = True
            left = list(self._queue) + [job for _, _, job in self._retry]
            self._queue.clear()
            self._retry.clear()
            self.dropped += len(left)
            self._cond.notify_all()
            thread = self._thread
        for job in left:
            self._event("dropped", job, "closed before delivery")
        if thread is not None and thread is not threading.current_thread():
            # An idle worker exits at once; one stuck in a notifier is left behind (daemon).
            thread.join(1.0 if flushed else 0.0)
        return flushed

    # -- worker -------------------------------------------------------------------------

    def _drop_oldest(self) -> _Job:
        # Caller holds the lock. The oldest job is the lowest sequence number among the queue's
        # head and every waiting retry.
        best = None
        for i, (_, seq, _job) in enumerate(self._retry):
            if best is None or seq < self._retry[best][1]:
                best = i
        if self._queue and (best is None or self._queue[0].seq < self._retry[best][1]):
            job = self._queue.popleft()
        else:
            assert best is not None
            job = self._retry[best][2]
            self._retry[best] = self._retry[-1]
            self._retry.pop()
            heapq.heapify(self._retry)
        self.dropped += 1
        return job

    def _next(self) -> _Job | None:
        with self._cond:
            while True:
                if self._stop:
                    return None
                now = time.monotonic()
                if self._queue:
                    job = self._queue.popleft()
                elif self._retry and self._retry[0][0] <= now:
                    job = heapq.heappop(self._retry)[2]
                else:
                    wait = self._retry[0][0] - now if self._retry else None
                    self._cond.wait(wait)
                    continue
                self._inflight += 1
                return job

    def _run(self) -> None:
        while True:
            job = self._next()
            if job is None:
                return
            try:
                self._attempt(job)
            finally:
                with self._cond:
                    self._inflight -= 1
                    self._cond.notify_all()

    def _attempt(self, job: _Job) -> None:
        job.attempts += 1
        try:
            job.notifier.notify(job.alert)
        except Exception as e:
            error = f"{_notifier_name(job.notifier)}: {type(e).__name__}: {e}"
            with self._cond:
                self.last_error = error
                if self._stop:
                    self.dropped += 1
                    outcome = "dropped"
                elif job.attempts >= self.backoff.max_attempts:
                    self.failed += 1
                    outcome = "failed"
                else:
                    self.retried += 1
                    due = time.monotonic() + self.backoff.delay(job.attempts, self._rng)
                    heapq.heappush(self._retry, (due, job.seq, job))
                    outcome = "retry"
                    self._cond.notify_all()
            if outcome == "failed":
                log.warning("giving up on an alert after %d attempts: %s", job.attempts, error)
            self._event(outcome, job, error)
            return
        with self._cond:
            self.delivered += 1
        self._event("delivered", job, None)

    def _event(self, outcome: str, job: _Job, error: str | None) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(outcome, job.alert, _notifier_name(job.notifier), job.attempts, error)
        except Exception:
            log.exception("alert delivery hook failed")


# ------------------------------------------------------------------------------------------
# Audit log
# ------------------------------------------------------------------------------------------


class _AuditLog:
    """Append-only JSON-lines file; each record is one line, NaN and infinities as null."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._file = open(self.path, "a", encoding="utf-8")  # kept open
        self.errors = 0

    def write(self, records: Iterable[Mapping[str, Any]]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        lines = [
            json.dumps({"time": now, **json_safe(dict(r))}, allow_nan=False, ensure_ascii=False)
            for r in records
        ]
        with self._lock:
            if self._file.closed or not lines:
                return
            try:
                self._file.write("\n".join(lines) + "\n")
                self._file.flush()
            except OSError as e:
                # Never let a full disk stop evaluation or delivery: count and log it.
                self.errors += 1
                log.error("cannot write the audit log %s: %s", self.path, e)

    def close(self) -> None:
        with self._lock:
            try:
                self._file.close()
            except OSError as e:
                self.errors += 1
                log.error("cannot write the audit log %s: %s", self.path, e)


# ------------------------------------------------------------------------------------------
# Rules
# ------------------------------------------------------------------------------------------


@dataclass
class _State:
    streak: int = 0  # consecutive evaluated windows on which the condition held
    firing: bool = False
    consecutive: int = 0  # consecutive windows firing
    last_notified: int = 0  # value of ``consecutive`` at the last notification
    severity: str = ""
    alert: Alert | None = None


class Rules:
    """Evaluates rules on each window, keeps the state of every alert, notifies, audits.

    Parameters
    ----------
    rules:
        The rules (names must be unique).
    notifiers:
        Objects with ``notify(alert)`` (or plain callables), delivered on a background thread
        by a :class:`Dispatcher`.
    audit_log:
        Path of a JSON-lines file every evaluation, alert and delivery outcome is appended to
        (created with its directories; never truncated).
    model, version:
        Model name and version put in alerts; by default read from each window's profile
        metadata (``driftline.model``, ``driftline.model_version``).
    backoff, queue_size:
        Retry schedule and queue bound of the dispatcher.

    :meth:`evaluate` is meant to be called from one thread at a time (the monitor's);
    :attr:`firing` and :meth:`stats` may be read from any thread.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        notifiers: Sequence[Notifier | Callable[[Alert], Any]] = (),
        audit_log: str | os.PathLike[str] | None = None,
        model: str = "",
        version: str = "",
        *,
        backoff: Backoff | None = None,
        queue_size: int = 10_000,
    ):
        rules = tuple(rules)
        for r in rules:
            if not isinstance(r, Rule):
                raise TypeError(f"rules must be Rule objects, got {r!r} (see Rules.from_dicts)")
        names = [r.name for r in rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"rule names must be unique; repeated: {', '.join(dupes)}")
        self._rules = rules
        self.model = model
        self.version = version
        self._lock = threading.Lock()
        self._state: dict[tuple[str, LabelKey], _State] = {}
        self._windows = 0
        self._evaluations = 0
        self._dispatcher = Dispatcher(
            notifiers, backoff=backoff, queue_size=queue_size, on_event=self._delivery_event
        )
        self._audit = _AuditLog(audit_log) if audit_log is not None else None

    # -- construction from config ------------------------------------------------------

    @classmethod
    def from_dicts(
        cls,
        rules: Iterable[Mapping[str, Any]],
        notifiers: Sequence[Notifier | Callable[[Alert], Any]] = (),
        audit_log: str | os.PathLike[str] | None = None,
        model: str = "",
        version: str = "",
        *,
        backoff: Backoff | None = None,
        queue_size: int = 10_000,
    ) -> Rules:
        """Rules from dicts of :class:`Rule` fields; errors name the rule's position."""
        parsed = []
        for i, d in enumerate(rules):
            try:
                parsed.append(Rule.from_dict(d))
            except (TypeError, ValueError) as e:
                raise ValueError(f"rules[{i}]: {e}") from None
        return cls(
            parsed, notifiers, audit_log, model, version, backoff=backoff, queue_size=queue_size
        )

    @classmethod
    def from_toml(
        cls,
        path: str | os.PathLike[str],
        notifiers: Sequence[Notifier | Callable[[Alert], Any]] = (),
        audit_log: str | os.PathLike[str] | None = None,
        model: str = "",
        version: str = "",
        *,
        backoff: Backoff | None = None,
        queue_size: int = 10_000,
    ) -> Rules:
        """Rules from a TOML file: ``[[rules]]`` tables of :class:`Rule` fields, optional
        ``[[notifiers]]`` tables (``type = "log"`` or ``"webhook"``) and an optional top-level
        ``audit_log`` path (relative to the file). ``notifiers`` given here are added to the
        file's; ``audit_log`` given here replaces the file's. Other top-level keys are left to
        other readers of the file."""
        path = Path(path)
        data = _read_toml(path)
        if "rules" not in data:
            hint = " (write [[rules]], not [[rule]])" if "rule" in data else ""
            raise ValueError(f"{path}: no [[rules]] tables{hint}")
        raw = data["rules"]
        if not isinstance(raw, list):
            raise ValueError(f"{path}: 'rules' must be an array of tables ([[rules]])")
        found: list[Notifier | Callable[[Alert], Any]] = []
        raw_notifiers = data.get("notifiers", [])
        if not isinstance(raw_notifiers, list):
            raise ValueError(f"{path}: 'notifiers' must be an array of tables ([[notifiers]])")
        for i, d in enumerate(raw_notifiers):
            try:
                found.append(notifier_from_dict(d))
            except (TypeError, ValueError) as e:
                raise ValueError(f"{path}: notifiers[{i}]: {e}") from None
        if audit_log is None and "audit_log" in data:
            if not isinstance(data["audit_log"], str):
                raise ValueError(f"{path}: audit_log must be a string path")
            audit_log = path.parent / data["audit_log"]
        try:
            return cls.from_dicts(
                raw,
                [*found, *notifiers],
                audit_log,
                model,
                version,
                backoff=backoff,
                queue_size=queue_size,
            )
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None

    # -- state --------------------------------------------------------------------------

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules

    @property
    def firing(self) -> list[Alert]:
        """The latest alert of every rule and sample currently firing, in rule order."""
        order = {r.name: i for i, r in enumerate(self._rules)}
        with self._lock:
            items = [(k, s.alert) for k, s in self._state.items() if s.firing and s.alert]
        items.sort(key=lambda kv: (order.get(kv[0][0], 0), kv[0][1]))
        return [a for _, a in items if a is not None]

    def stats(self) -> dict[str, Any]:
        """Delivery counters (``delivered``, ``failed``, ``retried``, ``dropped``, ``pending``,
        ``last_error``), ``windows`` evaluated, ``evaluations`` made, ``firing`` alerts and
        ``audit_errors`` (audit-log writes that failed)."""
        out = self._dispatcher.stats()
        with self._lock:
            out["windows"] = self._windows
            out["evaluations"] = self._evaluations
            out["firing"] = sum(1 for s in self._state.values() if s.firing)
        out["audit_errors"] = self._audit.errors if self._audit is not None else 0
        return out

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every notification is delivered or has failed for good."""
        return self._dispatcher.flush(timeout)

    def close(self, timeout: float | None = 10.0) -> bool:
        """Flush notifications for up to ``timeout`` seconds, stop the delivery thread and
        close the audit log. Returns whether every notification was settled in time."""
        flushed = self._dispatcher.close(timeout)
        if self._audit is not None:
            self._audit.close()
        return flushed

    def __enter__(self) -> Rules:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Rules({len(self._rules)} rules, {len(self._dispatcher.notifiers)} notifiers)"

    # -- evaluation ---------------------------------------------------------------------

    def evaluate(self, window: Window) -> list[Alert]:
        """Evaluate every rule on ``window``.

        Returns the alerts of this window: a ``"firing"`` alert for every rule and sample that
        fires on it (``consecutive`` tells a new alert from a continuing one, ``notified``
        whether notifiers get it), and a ``"resolved"`` alert for every one that stopped
        firing. Notifications are queued, never sent from here."""
        samples = window.samples()
        meta = window.profile.metadata
        model = self.model or meta.get("driftline.model", "")
        version = self.version or meta.get("driftline.model_version", "")
        ctx = {
            "window_index": window.index,
            "window_kind": window.kind,
            "window_start": window.start,
            "window_end": window.end,
            "model": model,
            "version": version,
        }
        if window.kind == "labels":
            n = next((s.value for s in samples if s.name == "labelled_rows"), 0.0)
        else:
            n = float(window.requests)
        records: list[dict[str, Any]] = []
        alerts: list[Alert] = []
        with self._lock:
            self._windows += 1
            for rule in self._rules:
                self._evaluate_rule(rule, window, samples, n, model, version, ctx, records, alerts)
            self._evaluations += sum(1 for r in records if r["type"] == "evaluation")
        if self._audit is not None:
            for a in alerts:
                records.append({"type": "alert", **ctx, **a.to_dict()})
            self._audit.write(records)
        for a in alerts:
            if a.notified:
                self._dispatcher.submit(a)
        return alerts

    def _evaluate_rule(
        self,
        rule: Rule,
        window: Window,
        samples: list[Sample],
        n: float,
        model: str,
        version: str,
        ctx: Mapping[str, Any],
        records: list[dict[str, Any]],
        alerts: list[Alert],
    ) -> None:
        seen: set[LabelKey] = set()
        for s in samples:
            if not rule.matches(s):
                continue
            lk = _label_key(s.labels)
            if lk in seen:
                continue
            seen.add(lk)
            value = float(s.value)
            if n < rule.min_requests:
                verdict = "insufficient"
            elif math.isnan(value):
                verdict = "nan"
            else:
                verdict = "true" if rule.holds(value) else "false"
            st = self._state.setdefault((rule.name, lk), _State(severity=rule.severity))
            alert = self._advance(rule, st, verdict, value, dict(s.labels), window, model, version)
            if alert is not None:
                alerts.append(alert)
            records.append(
                {
                    "type": "evaluation",
                    **ctx,
                    "rule": rule.name,
                    "metric": rule.metric,
                    "labels": dict(s.labels),
                    "value": value,
                    "op": rule.op,
                    "threshold": rule.threshold,
                    "verdict": verdict,
                    "requests": n,
                    "streak": st.streak,
                    "firing": st.firing,
                }
            )
        # Samples this rule fired or was tracking that the window does not carry.
        absent: list[tuple[LabelKey, _State | None]] = [
            (lk, st)
            for (name, lk), st in self._state.items()
            if name == rule.name and lk not in seen
        ]
        if not seen and not absent:
            absent = [(_label_key(rule.labels), None)]
        for lk, maybe in absent:
            records.append(
                {
                    "type": "evaluation",
                    **ctx,
                    "rule": rule.name,
                    "metric": rule.metric,
                    "labels": dict(lk),
                    "value": None,
                    "op": rule.op,
                    "threshold": rule.threshold,
                    "verdict": "missing",
                    "requests": n,
                    "streak": maybe.streak if maybe else 0,
                    "firing": maybe.firing if maybe else False,
                }
            )

    def _advance(
        self,
        rule: Rule,
        st: _State,
        verdict: str,
        value: float,
        labels: dict[str, str],
        window: Window,
        model: str,
        version: str,
    ) -> Alert | None:
        if verdict == "insufficient":
            return None
        if verdict == "true":
            st.streak += 1
            if st.firing:
                st.consecutive += 1
            elif st.streak >= rule.for_windows:
                st.firing, st.consecutive, st.last_notified = True, 1, 0
            if not st.firing:
                return None
            severity = rule.severity
            if rule.escalate_after is not None and st.consecutive > rule.escalate_after:
                severity = "critical"
            escalated = st.consecutive > 1 and severity != st.severity
            notify = (
                st.consecutive == 1
                or escalated
                or st.consecutive - st.last_notified > rule.cooldown
            )
            st.severity = severity
            if notify:
                st.last_notified = st.consecutive
            st.alert = self._alert(
                rule, st, "firing", value, labels, window, model, version, notify, escalated
            )
            return st.alert
        # "false" or "nan": the condition does not hold.
        st.streak = 0
        if not st.firing:
            return None
        alert = self._alert(rule, st, "resolved", value, labels, window, model, version, True)
        st.firing, st.consecutive, st.last_notified = False, 0, 0
        st.severity, st.alert = rule.severity, None
        return alert

    @staticmethod
    def _alert(
        rule: Rule,
        st: _State,
        state: str,
        value: float,
        labels: dict[str, str],
        window: Window,
        model: str,
        version: str,
        notified: bool,
        escalated: bool = False,
    ) -> Alert:
        sel = _selector(rule.metric, labels)
        where = f"window {window.index} ({_iso(window.start)} to {_iso(window.end)})"
        if model:
            where += f" of model {model}" + (f" version {version}" if version else "")
        n = st.consecutive
        if state == "firing":
            msg = (
                f"[{st.severity.upper()}] {rule.name}: {sel} = {value:.6g} "
                f"{rule.op} {rule.threshold:.6g} on {where}"
                f"; firing for {n} window{'s' if n != 1 else ''}"
            )
            if escalated:
                msg += f" (escalated from {rule.severity})"
        else:
            msg = (
                f"[RESOLVED] {rule.name}: {sel} = {value:.6g}, no longer {rule.op} "
                f"{rule.threshold:.6g}, on {where}; fired for {n} window{'s' if n != 1 else ''}"
            )
        if rule.description:
            msg += f" - {rule.description}"
        return Alert(
            rule=rule.name,
            severity=st.severity,
            metric=rule.metric,
            labels=labels,
            value=value,
            threshold=rule.threshold,
            op=rule.op,
            state=state,
            window_start=window.start,
            window_end=window.end,
            window_index=window.index,
            model=model,
            version=version,
            consecutive=n,
            message=msg,
            notified=notified,
        )

    def _delivery_event(
        self, outcome: str, alert: Alert, notifier: str, attempts: int, error: str | None
    ) -> None:
        if self._audit is None:
            return
        self._audit.write(
            [
                {
                    "type": "delivery",
                    "window_index": alert.window_index,
                    "window_start": alert.window_start,
                    "window_end": alert.window_end,
                    "model": alert.model,
                    "version": alert.version,
                    "rule": alert.rule,
                    "labels": alert.labels,
                    "state": alert.state,
                    "severity": alert.severity,
                    "notifier": notifier,
                    "outcome": outcome,
                    "attempts": attempts,
                    "error": error,
                }
            ]
        )


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ImportError(
                "reading TOML on Python 3.10 needs the tomli package: pip install tomli"
            ) from None
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: not valid TOML: {e}") from None


def default_rules(
    *,
    min_requests: int = 100,
    error_rate: float = 0.05,
    latency_p99_ms: float = 1000.0,
    missing_share: float = 0.05,
    cooldown: int = 11,
) -> list[Rule]:
    """A starter set of rules (see ``docs/rules.md``):

    - ``dataset-drift``: the share of drifted columns reached the comparison's
      ``drift_share``, on 2 windows in a row;
    - ``error-rate``: more than ``error_rate`` of requests logged as errors (critical);
    - ``latency-p99``: p99 latency above ``latency_p99_ms`` on 2 windows in a row, critical
      after 6 windows;
    - ``missing-share``: a column's share of missing values grew by more than
      ``missing_share`` over the baseline's (one alert per column);
    - ``performance-degraded``: a model metric fell significantly below the baseline's (one
      alert per metric; needs labels and a baseline with a model section).

    Windows with fewer than ``min_requests`` requests (labelled rows, for label updates) are
    not evaluated; a still-firing alert is notified again every ``cooldown + 1`` windows.
    """
    common: dict[str, Any] = {"min_requests": min_requests, "cooldown": cooldown}
    return [
        Rule(
            "dataset-drift",
            "dataset_drift",
            "==",
            1.0,
            "warning",
            for_windows=2,
            description="the share of drifted columns reached the drift_share threshold",
            **common,
        ),
        Rule(
            "error-rate",
            "error_rate",
            ">",
            error_rate,
            "critical",
            description="share of requests logged as errors",
            **common,
        ),
        Rule(
            "latency-p99",
            "latency_ms",
            ">",
            latency_p99_ms,
            "warning",
            {"quantile": "0.99"},
            for_windows=2,
            escalate_after=6,
            description="p99 latency in milliseconds",
            **common,
        ),
        Rule(
            "missing-share",
            "quality",
            ">",
            missing_share,
            "warning",
            {"check": "missing_rate_change"},
            description="increase of a column's share of missing values over the baseline",
            **common,
        ),
        Rule(
            "performance-degraded",
            "performance_degraded",
            "==",
            1.0,
            "critical",
            description="a model metric fell significantly below the baseline",
            **common,
        ),
    ]
