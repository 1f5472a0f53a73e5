"""``driftline.compare``: drift and data-quality findings between a baseline and current data.

Everything here works on profiles, so its cost depends on the sketch sizes (a few thousand
numbers per column), never on the number of rows.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from driftline import _core
from driftline._core import ColumnProfile, Profile

__all__ = ["CompareConfig", "DriftReport", "Finding", "baseline", "compare"]


@dataclass(frozen=True)
class CompareConfig:
    """Thresholds of :func:`compare`.

    - ``alpha``: significance level of each drift test, after multiple-testing correction
      (``correction``: ``"bonferroni"``, ``"bh"`` for Benjamini-Hochberg, or ``"none"``).
    - ``ks_threshold``: smallest KS statistic, beyond the sketch error bound, that counts as
      drift of a numeric column (an effect size, so huge samples do not flag negligible shifts).
    - ``js_threshold``: smallest Jensen-Shannon distance (base 2) that counts as drift of a
      categorical column.
    - ``missing_rate_threshold``, ``out_of_range_threshold``: increases in the share of missing
      values and of values outside the baseline's [min, max] that count as quality problems.
    - ``per_column``: ``{column: {field: value}}`` overrides of the thresholds above.
    """

    alpha: float = 0.05
    correction: Literal["bonferroni", "bh", "none"] = "bonferroni"
    ks_threshold: float = 0.05
    js_threshold: float = 0.1
    missing_rate_threshold: float = 0.05
    out_of_range_threshold: float = 0.05
    per_column: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def get(self, column: str, name: str) -> float:
        value = self.per_column.get(column, {}).get(name)
        return float(getattr(self, name) if value is None else value)


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
    def quality_issues(self) -> list[Finding]:
        """Flagged data-quality and schema findings."""
        return [f for f in self.findings if f.category != "drift" and f.flagged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "drifted_columns": self.drifted_columns,
            "share_drifted": self.share_drifted,
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


def _kll_error(c: ColumnProfile) -> float:
    k = c.kll
    # A sketch that never compacted holds every value: its CDF is exact.
    return 0.0 if k.num_retained >= k.n else k.normalized_rank_error(False)


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
            bound = 2 * _kll_error(c)
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


def _drift_numeric(name: str, b: ColumnProfile, c: ColumnProfile, cfg: CompareConfig) -> Finding:
    d, bound = _core.ks_sketches(b, c)
    n1, n2 = b.valid_count, c.valid_count
    p, _ = _core.ks_pvalue(min(1.0, max(0.0, d - bound)), n1, n2, "two-sided", "asymp")
    t = cfg.get(name, "ks_threshold")
    extra = ""
    hb, hc = b.histogram, c.histogram
    if hb is not None and hc is not None and list(hb.edges) == list(hc.edges):
        rc = [hb.underflow, *hb.counts.tolist(), hb.overflow]
        cc = [hc.underflow, *hc.counts.tolist(), hc.overflow]
        extra = f"PSI {_core.divergence('psi', rc, cc, 1e-4):.4f} (exact)"
    return Finding(
        name, "drift", "ks", d, t, False, pvalue=p, effect_size=d - bound, bound=bound, detail=extra
    )


def _drift_categorical(
    name: str, b: ColumnProfile, c: ColumnProfile, cfg: CompareConfig, freqs: Freqs
) -> Finding:
    rc, cc, _ = freqs
    s, p, dof, v = _core.chi2_contingency_2xk(rc, cc)
    js = _core.divergence("jensen_shannon", [float(x) for x in rc], [float(x) for x in cc], 2.0)
    exact = b.is_exact and c.is_exact
    return Finding(
        name,
        "drift",
        "chi2+jensen_shannon",
        js,
        cfg.get(name, "js_threshold"),
        False,
        pvalue=p,
        effect_size=js,
        bound=None if exact else float("nan"),
        detail=f"chi2 {s:.4g}, dof {dof}, Cramer's V {v:.3f}",
    )


def baseline(data: Any, schema: Any = None, *, bins: int = 10, **options: Any) -> Profile:
    """Profile reference data in two passes so that it carries exact histograms on its own
    quantile bin edges; data profiled with ``baseline=`` this profile is counted on identical
    bins, which makes PSI against it exact. ``data`` must be re-readable (a table, not a
    one-shot stream)."""
    from driftline._profile import profile

    first = profile(data, schema, **options)
    return profile(data, dict(first.schema), baseline=first, bins=bins, **options)


def compare(baseline: Any, current: Any, config: CompareConfig | None = None) -> DriftReport:
    """Compare ``current`` with ``baseline`` and return a :class:`DriftReport`.

    Both may be profiles (the scalable path) or data (profiled first, the current data
    against the baseline's bins). The default decision per column:

    - numeric: the KS statistic between the two KLL sketches, ``D``, carries the bound
      ``eps1 + eps2`` of the sketches (0 for a sketch that holds every value). The column drifts
      when ``D - bound`` exceeds ``ks_threshold`` **and** the p-value of ``D - bound``
      (asymptotic Kolmogorov distribution, corrected for multiple testing) is below ``alpha``;
    - categorical: the chi-square test on the category counts (p-value corrected for multiple
      testing below ``alpha``) **and** a Jensen-Shannon distance of at least ``js_threshold``.

    A p-value alone would flag every column at 10^7 rows; the effect-size threshold keeps the
    verdict meaningful at every sample size. Data-quality findings (missing-rate change, values
    outside the baseline range, new categories, type errors) and schema changes (missing,
    extra and retyped columns) are reported beside the drift findings.
    """
    from driftline._profile import profile

    cfg = config or CompareConfig()
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
    drift: list[Finding] = []
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
        # Category counts are read once per column: each read builds a dict of every category.
        freqs = _core.align_categories(b, c) if kind == "categorical" else None
        findings.extend(_quality(name, b, c, cfg, freqs))
        if b.valid_count == 0 or c.valid_count == 0:
            continue
        if freqs is None:
            drift.append(_drift_numeric(name, b, c, cfg))
        else:
            drift.append(_drift_categorical(name, b, c, cfg, freqs))
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
    adjusted = _adjust([f.pvalue if f.pvalue is not None else 1.0 for f in drift], cfg.correction)
    for f, p in zip(drift, adjusted, strict=True):
        alpha = cfg.get(f.column, "alpha")
        flagged = p < alpha and (f.effect_size or 0.0) > f.threshold
        findings.append(
            Finding(
                f.column,
                f.category,
                f.method,
                f.statistic,
                f.threshold,
                flagged,
                pvalue=p,
                effect_size=f.effect_size,
                bound=f.bound,
                detail=f.detail,
            )
        )
    order = {n: i for i, n in enumerate(compared)}
    findings.sort(key=lambda f: (order.get(f.column, len(order)), f.category != "drift"))
    return DriftReport(tuple(findings), tuple(compared), cfg)
