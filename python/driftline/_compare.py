"""``driftline.compare``: drift and data-quality findings between a baseline and current data.

Everything here works on profiles, so its cost depends on the sketch sizes (a few thousand
numbers per column), never on the number of rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np

from driftline import _core
from driftline._core import ColumnProfile, Profile
from driftline._methods import (
    PRESETS,
    REPORT_ONLY,
    TESTS,
    Stat,
    categorical,
    check_method,
    choose,
    from_profiles,
    from_raw,
    kll_error,
    n_unique,
    raw_category_counts,
    raw_numeric,
)

__all__ = ["CompareConfig", "DriftReport", "Finding", "baseline", "compare"]


@dataclass(frozen=True)
class CompareConfig:
    """How :func:`compare` decides.

    - ``preset``: ``"driftline"`` (the default decision described in ``docs/compare.md``),
      ``"evidently"`` or ``"nannyml"`` (those tools' default per-column methods, statistics and
      thresholds, for side-by-side comparisons).
    - ``numeric_method``, ``categorical_method``: ``"auto"`` (the preset's choice) or one method
      for every column of that kind: numeric ``ks``, ``wasserstein`` (normed by the reference
      standard deviation), ``psi``, ``jensen_shannon``, ``hellinger``, ``kl_divergence``;
      categorical ``chi2``, ``z``, ``psi``, ``jensen_shannon``, ``hellinger``,
      ``kl_divergence``.
    - ``alpha``: significance level of each test, after multiple-testing correction
      (``correction``: ``"bonferroni"``, ``"bh"`` for Benjamini-Hochberg, or ``"none"``).
    - ``ks_threshold``: smallest KS statistic, beyond the sketch error bound, that counts as
      drift of a numeric column (an effect size, so huge samples do not flag negligible shifts).
    - ``js_threshold``: smallest Jensen-Shannon distance (base 2) that counts as drift; also
      the effect size the chi-square and z tests must reach.
    - ``wasserstein_threshold``, ``psi_threshold``, ``hellinger_threshold``,
      ``kl_threshold``: the same for the other distances.
    - ``missing_rate_threshold``, ``out_of_range_threshold``: increases in the share of missing
      values and of values outside the baseline's [min, max] that count as quality problems.
    - ``drift_share``: share of drifted columns from which the dataset counts as drifted.
    - ``min_performance_drop``: smallest fall of a model metric that counts (see
      :func:`driftline.metrics.compare_performance`), when both profiles carry a model.
    - ``per_column``: ``{column: {field: value}}`` overrides of any field above, and
      ``{"method": name}`` to choose a column's method.
    """

    preset: Literal["driftline", "evidently", "nannyml"] = "driftline"
    numeric_method: str = "auto"
    categorical_method: str = "auto"
    alpha: float = 0.05
    correction: Literal["bonferroni", "bh", "none"] = "bonferroni"
    ks_threshold: float = 0.05
    js_threshold: float = 0.1
    wasserstein_threshold: float = 0.1
    psi_threshold: float = 0.2
    hellinger_threshold: float = 0.1
    kl_threshold: float = 0.1
    missing_rate_threshold: float = 0.05
    out_of_range_threshold: float = 0.05
    drift_share: float = 0.5
    min_performance_drop: float = 0.02
    per_column: Mapping[str, Mapping[str, float | str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise ValueError(f"preset must be one of {PRESETS}, got {self.preset!r}")
        if self.correction not in ("bonferroni", "bh", "none"):
            raise ValueError(
                f"correction must be 'bonferroni', 'bh' or 'none', got {self.correction!r}"
            )
        for name in ("numeric_method", "categorical_method"):
            kind = "numeric" if name.startswith("numeric") else "categorical"
            value = getattr(self, name)
            if value != "auto":
                check_method(value, kind, f"<{name}>")

    def get(self, column: str, name: str) -> float:
        value = self.per_column.get(column, {}).get(name)
        return float(getattr(self, name) if value is None else value)

    def methods(self, column: str, kind: str, n_ref: int, n_values: int | None) -> list[str]:
        """The methods used for ``column``: its ``per_column`` method, else the kind's method,
        else the preset's choice."""
        chosen = self.per_column.get(column, {}).get("method")
        if chosen is None:
            chosen = self.numeric_method if kind == "numeric" else self.categorical_method
        if chosen == "auto":
            return choose(self.preset, kind, n_ref, n_values)
        check_method(str(chosen), kind, column)
        return [str(chosen)]

    def threshold(self, column: str, method: str) -> float:
        """The threshold ``method`` is held to for ``column`` (a p-value level for the tests of
        the Evidently preset; NaN for statistics that are only reported)."""
        if method in REPORT_ONLY:
            return math.nan
        if self.preset == "evidently" and method in TESTS:
            return self.get(column, "alpha")
        name = {
            "ks": "ks_threshold",
            "wasserstein": "wasserstein_threshold",
            "psi": "psi_threshold",
            "hellinger": "hellinger_threshold",
            "kl_divergence": "kl_threshold",
        }.get(method, "js_threshold")
        return self.get(column, name)


@dataclass(frozen=True)
class Finding:
    """One statistic about one column, with the threshold it was held to and the verdict."""

    column: str
    category: str  # "drift", "quality" or "schema"
    method: str
    statistic: float
    threshold: float
    flagged: bool
    pvalue: float | None = None
    effect_size: float | None = None
    bound: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class DriftReport:
    """The findings of :func:`compare`."""

    findings: tuple[Finding, ...]
    columns: tuple[str, ...]
    config: CompareConfig

    @property
    def drifted_columns(self) -> list[str]:
        """Columns with a flagged drift finding, in schema order."""
        hit = {f.column for f in self.findings if f.category == "drift" and f.flagged}
        return [c for c in self.columns if c in hit]

    @property
    def share_drifted(self) -> float:
        """Share of compared columns that drifted."""
        return len(self.drifted_columns) / len(self.columns) if self.columns else 0.0

    @property
    def dataset_drift(self) -> bool:
        """Whether the share of drifted columns reaches ``config.drift_share``."""
        return bool(self.columns) and self.share_drifted >= self.config.drift_share

    @property
    def performance_findings(self) -> list[Finding]:
        """Findings about the model's metrics (when both profiles carry a model section)."""
        return [f for f in self.findings if f.category == "performance"]

    @property
    def quality_issues(self) -> list[Finding]:
        """Flagged data-quality and schema findings."""
        return [f for f in self.findings if f.category != "drift" and f.flagged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": self.config.preset,
            "drifted_columns": self.drifted_columns,
            "share_drifted": self.share_drifted,
            "dataset_drift": self.dataset_drift,
            "findings": [asdict(f) for f in self.findings],
        }

    def to_json(self, **kwargs: Any) -> str:
        def clean(x: Any) -> Any:
            if isinstance(x, float) and not math.isfinite(x):
                return None
            return x

        d = self.to_dict()
        d["findings"] = [{k: clean(v) for k, v in f.items()} for f in d["findings"]]
        return json.dumps(d, **kwargs)

    def to_arrow(self) -> Any:
        import pyarrow as pa

        return pa.Table.from_pylist([asdict(f) for f in self.findings])

    def to_polars(self) -> Any:
        import polars as pl

        return pl.from_arrow(self.to_arrow())

    def __str__(self) -> str:
        lines = [
            f"drift in {len(self.drifted_columns)} of {len(self.columns)} columns "
            f"({self.share_drifted:.0%})",
            "",
            f"{'column':<16}{'category':<9}{'method':<22}{'statistic':>11}{'p-value':>11}"
            f"{'bound':>8}{'threshold':>10}  verdict",
        ]
        for f in self.findings:
            p = "-" if f.pvalue is None else f"{f.pvalue:.3g}"
            b = "-" if f.bound is None else f"{f.bound:.3f}"
            verdict = "FLAG" if f.flagged else "ok"
            lines.append(
                f"{f.column:<16}{f.category:<9}{f.method:<22}{f.statistic:>11.4g}{p:>11}"
                f"{b:>8}{f.threshold:>10.3g}  {verdict}"
                + (f"  {f.detail}" if f.detail and f.flagged else "")
            )
        return "\n".join(lines)


def _adjust(pvalues: list[float], how: str) -> list[float]:
    m = len(pvalues)
    if m == 0 or how == "none":
        return pvalues
    p = np.asarray(pvalues)
    if how == "bonferroni":
        return list(np.minimum(p * m, 1.0))
    if how == "bh":
        order = np.argsort(p)
        ranked = p[order] * m / np.arange(1, m + 1)
        adj = np.minimum.accumulate(ranked[::-1])[::-1]
        out = np.empty(m)
        out[order] = np.minimum(adj, 1.0)
        return list(out)
    raise ValueError(f"correction must be 'bonferroni', 'bh' or 'none', got {how!r}")


def _missing_rate(c: ColumnProfile) -> float:
    return (c.count - c.valid_count) / c.count if c.count else 0.0


# Reference counts, current counts (aligned on the union of categories) and the current
# categories absent from the reference.
Freqs = tuple[list[int], list[int], list[tuple[str, int]]]


def _quality(
    name: str, b: ColumnProfile, c: ColumnProfile, cfg: CompareConfig, freqs: Freqs | None
) -> list[Finding]:
    out = []
    t = cfg.get(name, "missing_rate_threshold")
    delta = _missing_rate(c) - _missing_rate(b)
    out.append(
        Finding(
            name,
            "quality",
            "missing_rate_change",
            delta,
            t,
            delta > t,
            detail=f"{_missing_rate(b):.2%} -> {_missing_rate(c):.2%} missing, null or non-finite",
        )
    )
    if c.type_error_count:
        out.append(
            Finding(
                name,
                "quality",
                "type_errors",
                float(c.type_error_count),
                0.0,
                True,
                detail=f"{c.type_error_count} values could not be read",
            )
        )
    if b.kind == "numeric" and c.valid_count and b.valid_count:
        bmin, bmax = b.min, b.max
        assert bmin is not None and bmax is not None
        h = c.histogram
        if h is not None and h.edges[0] == bmin and h.edges[-1] == bmax:
            share = (h.underflow + h.overflow) / c.valid_count
            bound = 0.0
        else:
            share = float(c.rank(np.nextafter(bmin, -np.inf)) + 1.0 - c.rank(bmax))
            bound = 2 * kll_error(c)
        t = cfg.get(name, "out_of_range_threshold")
        out.append(
            Finding(
                name,
                "quality",
                "out_of_range_share",
                share,
                t,
                share - bound > t,
                bound=bound,
                detail=f"outside the baseline range [{bmin:.6g}, {bmax:.6g}]",
            )
        )
    if freqs is not None and c.valid_count:
        new = dict(freqs[2])
        if b.is_exact and new:
            examples = ", ".join(sorted(new, key=lambda k: -new[k])[:3])
            out.append(
                Finding(
                    name,
                    "quality",
                    "new_categories",
                    float(sum(new.values())),
                    0.0,
                    True,
                    detail=f"{len(new)} new ({examples})",
                )
            )
    return out


def baseline(data: Any, schema: Any = None, *, bins: int = 10, **options: Any) -> Profile:
    """Profile reference data in two passes so that it carries exact histograms on its own
    quantile bin edges; data profiled with ``baseline=`` this profile is counted on identical
    bins, which makes PSI against it exact. ``data`` must be re-readable (a table, not a
    one-shot stream)."""
    from driftline._profile import profile

    first = profile(data, schema, **options)
    return profile(data, dict(first.schema), baseline=first, bins=bins, **options)


def _decide(stat: Stat, p: float | None, column: str, cfg: CompareConfig) -> Finding:
    """Apply the preset's decision rule to one statistic."""
    t = cfg.threshold(column, stat.method)
    s, eff = stat.statistic, stat.effect_size
    if stat.method in REPORT_ONLY:
        flagged = False
    elif cfg.preset == "evidently":
        # Evidently: a test drifts on its p-value alone (KS: p <= threshold), a distance when
        # it reaches the threshold.
        if stat.method in TESTS:
            assert p is not None
            flagged = p <= t if stat.method == "ks" else p < t
        else:
            flagged = s >= t
    elif cfg.preset == "nannyml":
        flagged = s > t
    elif stat.method in TESTS:
        assert p is not None
        flagged = p < cfg.get(column, "alpha") and (eff or 0.0) > t
    else:
        # A distance drifts when it exceeds the threshold by more than its sketch bound.
        b = stat.bound if stat.bound is not None and math.isfinite(stat.bound) else 0.0
        eff = s - b
        flagged = eff > t
    return Finding(
        column,
        "drift",
        stat.method,
        s,
        t,
        flagged,
        pvalue=p,
        effect_size=eff,
        bound=stat.bound,
        detail=stat.detail,
    )


def _table(data: Any) -> Any:
    """``data`` as a pyarrow Table (a one-shot stream is read into memory)."""
    import pyarrow as pa

    from driftline._profile import to_arrow

    data = to_arrow(data)
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all()
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    return pa.table(data)


def compare(
    baseline: Any,
    current: Any,
    config: CompareConfig | None = None,
    *,
    preset: str | None = None,
    exact: bool | None = None,
) -> DriftReport:
    """Compare ``current`` with ``baseline`` and return a :class:`DriftReport`.

    Both may be profiles (the scalable path) or data (profiled first, the current data
    against the baseline's bins). The default decision per column (``preset="driftline"``):

    - numeric: the KS statistic between the two KLL sketches, ``D``, carries the bound
      ``eps1 + eps2`` of the sketches (0 for a sketch that holds every value). The column drifts
      when ``D - bound`` exceeds ``ks_threshold`` **and** the p-value of ``D - bound``
      (asymptotic Kolmogorov distribution, corrected for multiple testing) is below ``alpha``;
    - categorical: the chi-square test on the category counts (p-value corrected for multiple
      testing below ``alpha``) **and** a Jensen-Shannon distance of at least ``js_threshold``.

    A p-value alone would flag every column at 10^7 rows; the effect-size threshold keeps the
    verdict meaningful at every sample size. Distances (``wasserstein``, ``psi``, ...) drift
    when they exceed their threshold by more than their sketch bound.

    ``preset="evidently"`` or ``"nannyml"`` (or ``config.preset``) switches to those tools'
    default methods and decision rules. ``exact``: compute numeric statistics on the raw data
    instead of the sketches; by default, exactly when both inputs are data and a preset is
    chosen. Data-quality findings (missing-rate change, values outside the baseline range, new
    categories, type errors) and schema changes (missing, extra and retyped columns) are
    reported beside the drift findings.
    """
    from driftline._profile import profile

    cfg = config or CompareConfig()
    if preset is not None:
        cfg = replace(cfg, preset=preset)  # type: ignore[arg-type]
    is_data = not isinstance(baseline, Profile) and not isinstance(current, Profile)
    if exact is None:
        exact = is_data and cfg.preset != "driftline"
    if exact and not is_data:
        raise ValueError("exact=True needs the raw data of both sides, not profiles")
    ref_table = cur_table = None
    if exact:
        ref_table, cur_table = _table(baseline), _table(current)
        baseline, current = ref_table, cur_table
    if not isinstance(baseline, Profile):
        baseline = profile(baseline)
    if not isinstance(current, Profile):
        # The current data's own columns, so that added and dropped columns show as schema
        # changes; shared numeric columns are still counted on the baseline's bins.
        import pyarrow as pa

        from driftline._schema import Schema

        # A one-shot stream can be read only once: it is profiled on the baseline's schema.
        one_shot = isinstance(current, pa.RecordBatchReader)
        schema = None if one_shot else Schema.infer(current)
        current = profile(current, schema, baseline=baseline)
    bschema, cschema = dict(baseline.schema), dict(current.schema)
    findings: list[Finding] = []
    stats: list[tuple[str, Stat]] = []
    compared: list[str] = []
    for name, kind in baseline.schema:
        if name not in cschema:
            findings.append(
                Finding(
                    name,
                    "schema",
                    "missing_column",
                    1.0,
                    0.0,
                    True,
                    detail="column absent from the current data",
                )
            )
            continue
        if cschema[name] != kind:
            findings.append(
                Finding(
                    name,
                    "schema",
                    "retyped_column",
                    1.0,
                    0.0,
                    True,
                    detail=f"{kind} -> {cschema[name]}",
                )
            )
            continue
        b, c = baseline[name], current[name]
        compared.append(name)
        exact_counts = False
        # Category counts are read once per column: each read builds a dict of every category.
        freqs = _core.align_categories(b, c) if kind == "categorical" else None
        findings.extend(_quality(name, b, c, cfg, freqs))
        if b.valid_count == 0 or c.valid_count == 0:
            continue
        raw = None
        n_values: int | None
        if ref_table is not None and cur_table is not None and kind == "numeric":
            raw = raw_numeric(ref_table[name]), raw_numeric(cur_table[name])
            n_values = n_unique(*raw)
        elif freqs is not None:
            if ref_table is not None and cur_table is not None and not (b.is_exact and c.is_exact):
                # Past the category cap the profiles hold sketches: count the raw columns.
                rc, cc = raw_category_counts(ref_table[name], cur_table[name])
                freqs = (rc, cc, freqs[2])
                exact_counts = True
            n_values = len(freqs[0])
        else:
            n_values = 1 if b.min == b.max == c.min == c.max else None
        for method in cfg.methods(name, kind, b.valid_count, n_values):
            if raw is not None:
                stats.append((name, from_raw(method, raw[0], raw[1], cfg.preset)))
            elif freqs is not None and exact_counts:
                stats.append((name, categorical(method, freqs[0], freqs[1], cfg.preset, True)))
            else:
                stats.append((name, from_profiles(method, b, c, freqs, cfg.preset)))
    for name in current.columns:
        if name not in bschema:
            findings.append(
                Finding(
                    name,
                    "schema",
                    "extra_column",
                    1.0,
                    0.0,
                    True,
                    detail="column absent from the baseline",
                )
            )
    # Multiple-testing control applies to the driftline decision; the presets test each
    # column at its own level, as those tools do.
    tests = [i for i, (_, st) in enumerate(stats) if st.pvalue is not None]
    how = cfg.correction if cfg.preset == "driftline" else "none"
    adjusted = _adjust([stats[i][1].pvalue or 0.0 for i in tests], how)
    pvalues: list[float | None] = [st.pvalue for _, st in stats]
    for i, adj in zip(tests, adjusted, strict=True):
        pvalues[i] = float(adj)
    for (name, st), p in zip(stats, pvalues, strict=True):
        findings.append(_decide(st, p, name, cfg))
    order = {n: i for i, n in enumerate(compared)}
    findings.sort(key=lambda f: (order.get(f.column, len(order)), f.category != "drift"))
    findings.extend(_performance(baseline, current, cfg))
    return DriftReport(tuple(findings), tuple(compared), cfg)


def _performance(baseline: Profile, current: Profile, cfg: CompareConfig) -> list[Finding]:
    """Performance findings when both profiles carry the same kind of model section."""
    import warnings

    from driftline.metrics import (
        UndefinedMetricWarning,
        compare_performance,
        from_profile,
    )

    if baseline.performance is None or current.performance is None:
        return []
    with warnings.catch_warnings():
        # Zero denominators show as values in the findings; no need to warn here.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        b, c = from_profile(baseline), from_profile(current)
    if b is None or c is None or type(b) is not type(c):
        return []
    return compare_performance(
        b, c, alpha=cfg.alpha, min_drop=cfg.min_performance_drop, column="model"
    )
