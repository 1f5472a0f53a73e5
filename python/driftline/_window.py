"""``Window``: one closed window of live traffic, and the flat metric samples that rules and the
Prometheus exporter read from it."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from driftline._compare import DriftReport
from driftline._core import DDSketch, Profile

__all__ = ["LATENCY_QUANTILES", "Sample", "Window", "json_safe"]

#: Latency quantiles reported for every window.
LATENCY_QUANTILES = (0.5, 0.9, 0.99, 0.999)


class Sample(NamedTuple):
    """One named value of a window, with labels (``{"column": "age"}``, ``{"metric": "f1"}``).

    Names and labels are stable: rules select samples by them, and the Prometheus exporter
    exports each name as ``driftline_<name>``."""

    name: str
    labels: Mapping[str, str]
    value: float


@dataclass(frozen=True, eq=False)
class Window:
    """One closed window of live traffic.

    - ``kind``: ``"window"`` when the window closes; ``"labels"`` for a later update carrying
      only performance accumulators fed by labels that arrived after the window closed
      (``profile`` then has no rows, only its model section).
    - ``start``, ``end``: the window's bounds in seconds since the Unix epoch (UTC); for a
      row-count window, the timestamps of its first and last record.
    - ``profile``: the window's profile, with metadata (model name and version, window bounds,
      host, driftline version, schema and configuration hash).
    - ``requests``: records logged; ``errors``: those logged with ``error=True``.
    - ``malformed``: records with at least one defect (a missing or unreadable feature, a
      features object that is not a mapping or sequence, a sequence of the wrong length, an
      unreadable label, prediction, score, latency or timestamp); the column profiles say which
      column (``null_count``, ``type_error_count``).
    - ``late``: records whose timestamp fell in a window already closed (counted here, not
      profiled); ``future``: records stamped more than one window length ahead of the clock
      (profiled in the current window).
    - ``labels``: delayed-label accounting (``joined``, ``joined_late``, ``unmatched``,
      ``expired``, ``evicted``, ``duplicate_ids``, ``unlabeled``).
    - ``latency``: relative-error sketch of the logged ``latency_ms`` values.
    - ``resources``: process usage sampled during the window (``cpu_percent`` averaged,
      ``rss_bytes`` and ``threads`` at their maximum).
    - ``report``: the comparison with the monitor's baseline (``None`` without one).
    - ``alerts``: alerts the monitor's rules raised on this window.
    """

    index: int
    kind: str
    start: float
    end: float
    profile: Profile
    requests: int = 0
    errors: int = 0
    malformed: int = 0
    late: int = 0
    future: int = 0
    labels: Mapping[str, int] = field(default_factory=dict)
    latency: DDSketch | None = None
    resources: Mapping[str, float] = field(default_factory=dict)
    report: DriftReport | None = None
    alerts: tuple[Any, ...] = ()
    baseline: Profile | None = None

    @property
    def duration(self) -> float:
        """Seconds the window covers."""
        return max(self.end - self.start, 0.0)

    @property
    def request_rate(self) -> float:
        """Requests per second (0 for a window of no duration)."""
        d = self.duration
        return self.requests / d if d > 0 else 0.0

    @property
    def error_rate(self) -> float:
        """Share of requests logged as errors (0 without requests)."""
        return self.errors / self.requests if self.requests else 0.0

    def latency_quantiles(self) -> dict[float, float]:
        """p50, p90, p99 and p99.9 latency in milliseconds (NaN without latencies), each
        within the sketch's relative error of the true quantile."""
        if self.latency is None or self.latency.count == 0:
            return {q: math.nan for q in LATENCY_QUANTILES}
        values = self.latency.quantile(list(LATENCY_QUANTILES))
        return {q: float(v) for q, v in zip(LATENCY_QUANTILES, values, strict=True)}

    def performance(self) -> Any:
        """The model's metrics in this window (:func:`driftline.metrics.from_profile`), or
        ``None`` without a model section or labelled rows."""
        from driftline.metrics import UndefinedMetricWarning, from_profile

        if self.profile.performance is None:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            result = from_profile(self.profile)
        return result if result is not None and result.n > 0 else None

    def samples(self) -> list[Sample]:
        """Every value of the window as flat samples (see ``docs/monitor.md`` for the list)."""
        return list(self._samples())

    def _samples(self) -> Iterator[Sample]:
        none: dict[str, str] = {}
        if self.kind == "window":
            yield Sample("requests", none, float(self.requests))
            yield Sample("errors", none, float(self.errors))
            yield Sample("malformed", none, float(self.malformed))
            yield Sample("late", none, float(self.late))
            yield Sample("future", none, float(self.future))
            yield Sample("rows", none, float(self.profile.row_count))
            yield Sample("request_rate", none, self.request_rate)
            yield Sample("error_rate", none, self.error_rate)
            yield Sample("window_seconds", none, self.duration)
            for q, v in self.latency_quantiles().items():
                yield Sample("latency_ms", {"quantile": _q(q)}, v)
            for k, v in self.resources.items():
                yield Sample(k, none, float(v))
            yield from self._column_samples()
        for status, n in self.labels.items():
            yield Sample("labels", {"status": status}, float(n))
        perf = self.performance()
        if perf is not None:
            yield Sample("labelled_rows", none, float(perf.n))
            for m in type(perf)._SCALARS:
                v = getattr(perf, m)
                if v is not None:
                    yield Sample("performance", {"metric": m}, float(v))
        if self.report is not None:
            yield from self._report_samples(self.report)
        for a in self.alerts:
            if getattr(a, "state", "firing") != "firing":
                continue
            yield Sample("alert_firing", {"rule": str(a.rule), "severity": str(a.severity)}, 1.0)

    def _column_samples(self) -> Iterator[Sample]:
        base = self.baseline
        for name in self.profile.columns:
            c = self.profile[name]
            labels = {"column": name}
            yield Sample("values", labels, float(c.count))
            yield Sample("missing", labels, float(c.null_count))
            yield Sample("type_errors", labels, float(c.type_error_count))
            if c.kind == "numeric":
                yield Sample("nan", labels, float(c.nan_count))
                yield Sample("inf", labels, float(c.posinf_count + c.neginf_count))
            elif base is not None and name in base:
                unknown = _unknown_categories(c, base[name])
                if unknown is not None:
                    yield Sample("unknown_categories", labels, float(unknown))

    @staticmethod
    def _report_samples(report: DriftReport) -> Iterator[Sample]:
        none: dict[str, str] = {}
        yield Sample("drift_share", none, report.share_drifted)
        yield Sample("dataset_drift", none, float(report.dataset_drift))
        drifted = set(report.drifted_columns)
        for col in report.columns:
            yield Sample("drift_detected", {"column": col}, float(col in drifted))
        for f in report.findings:
            labels = {"column": f.column, "method": f.method}
            if f.category == "drift":
                yield Sample("drift_score", labels, f.statistic)
                if f.pvalue is not None:
                    yield Sample("drift_pvalue", labels, f.pvalue)
            elif f.category == "performance":
                yield Sample("performance_change", {"metric": f.method}, f.statistic)
                yield Sample("performance_degraded", {"metric": f.method}, float(f.flagged))
            else:
                yield Sample("quality", {"column": f.column, "check": f.method}, f.statistic)
                yield Sample(
                    "quality_flagged", {"column": f.column, "check": f.method}, float(f.flagged)
                )


def _q(q: float) -> str:
    return format(q, "g")


def _unknown_categories(current: Any, baseline: Any) -> int | None:
    """Values of ``current`` whose category the baseline never saw (``None`` when the baseline
    only kept a sketch of its categories, so the answer would be a guess)."""
    if baseline.kind != "categorical" or not baseline.is_exact:
        return None
    known = baseline.frequencies
    if current.is_exact:
        return int(sum(n for v, n in current.frequencies.items() if v not in known))
    return None


def json_safe(x: Any) -> Any:
    """``x`` with NaN and ±inf replaced by ``None`` and mapping keys made strings, recursively
    (JSON has no non-finite numbers)."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, Mapping):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [json_safe(v) for v in x]
    return x
