"""Drift methods: one statistic per (column, method), from two column profiles or from raw data.

A method returns a :class:`Stat`; :func:`driftline.compare` turns it into a finding by applying
the decision rule of the preset. The per-method maths lives in Rust (``driftline._core``); this
module only chooses bins and inputs. See ``docs/compare.md`` for the table of methods.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from driftline import _core
from driftline._core import ColumnProfile

PRESETS = ("driftline", "evidently", "nannyml")
TESTS = frozenset({"ks", "chi2", "z"})
# Statistics reported beside the verdict but never used for it (NannyML's defaults report
# them; they have no scale-free threshold).
REPORT_ONLY = frozenset({"ks_statistic", "wasserstein_raw"})
BINNED = frozenset({"psi", "jensen_shannon", "hellinger", "kl_divergence"})
NUMERIC_METHODS = frozenset({"ks", "wasserstein"} | BINNED | REPORT_ONLY)
CATEGORICAL_METHODS = frozenset({"chi2", "z"} | BINNED)
# Quantile bins of the reference used by binned methods when no shared histogram exists.
DEFAULT_BINS = 10
PSI_EPSILON = 1e-4

Counts = tuple[Sequence[float], Sequence[float]]


@dataclass(frozen=True)
class Stat:
    """One statistic of one column, before the decision rule."""

    method: str
    statistic: float
    pvalue: float | None = None
    # The value held against the threshold (``statistic`` unless stated otherwise).
    effect_size: float | None = None
    # Largest possible distance from the exact value (0: exact; NaN: approximate, unbounded).
    bound: float | None = None
    detail: str = ""


def choose(preset: str, kind: str, n_ref: int, n_values: int | None) -> list[str]:
    """The default methods of ``preset`` for a column of ``kind`` with ``n_ref`` valid
    reference values and ``n_values`` distinct values over both samples (``None``: unknown,
    taken as many)."""
    many = n_values is None or n_values > 5
    if preset == "evidently":
        # evidently.legacy.calculations.stattests.registry._get_default_stattest
        if n_ref <= 1000:
            if kind == "numeric" and many:
                return ["ks"]
            return ["chi2" if n_values is None or n_values > 2 else "z"]
        if kind == "numeric":
            return ["wasserstein" if many else "jensen_shannon"]
        return ["jensen_shannon"]
    if preset == "nannyml":
        # UnivariateDriftCalculator defaults, plus the KS D and raw Wasserstein it reports.
        if kind == "numeric":
            return ["jensen_shannon", "ks_statistic", "wasserstein_raw"]
        return ["jensen_shannon"]
    return ["ks" if kind == "numeric" else "chi2"]


def check_method(method: str, kind: str, column: str) -> None:
    allowed = NUMERIC_METHODS if kind == "numeric" else CATEGORICAL_METHODS
    if method not in allowed:
        raise ValueError(
            f"column {column!r}: method {method!r} does not apply to a {kind} column; "
            f"choose one of {sorted(allowed)}"
        )


def _js_base(preset: str) -> float:
    # Evidently uses SciPy's default (natural log); NannyML and driftline use base 2.
    return math.e if preset == "evidently" else 2.0


def _divergence(method: str, rc: Sequence[float], cc: Sequence[float], preset: str) -> float:
    if method == "jensen_shannon":
        param = _js_base(preset)
    elif method in ("psi", "kl_divergence"):
        param = PSI_EPSILON
    else:
        param = 0.0
    return float(_core.divergence(method, rc, cc, param))


def _norm(sd: float, preset: str) -> float:
    # Evidently floors the reference standard deviation at 0.001.
    return max(sd, 0.001) if preset == "evidently" else sd


def _normed(w: float, bound: float, sd: float, preset: str) -> tuple[float, float]:
    norm = _norm(sd, preset)
    if norm == 0.0:
        return (0.0 if w == 0.0 else math.inf), (0.0 if bound == 0.0 else math.inf)
    return w / norm, bound / norm


# ------------------------------------------------------------------------------------------
# From profiles
# ------------------------------------------------------------------------------------------


def kll_error(c: ColumnProfile) -> float:
    k = c.kll
    # A sketch that never compacted holds every value: its CDF is exact.
    return 0.0 if k.num_retained >= k.n else k.normalized_rank_error(False)


def _profile_bins(b: ColumnProfile, c: ColumnProfile) -> tuple[Counts, bool, str]:
    """Bin counts of both numeric columns: exact when both carry histograms on the same edges,
    otherwise from the KLL CDFs on the reference's quantile edges."""
    hb, hc = b.histogram, c.histogram
    if hb is not None and hc is not None and list(hb.edges) == list(hc.edges):
        rc = [float(hb.underflow), *hb.counts.tolist(), float(hb.overflow)]
        cc = [float(hc.underflow), *hc.counts.tolist(), float(hc.overflow)]
        return (rc, cc), True, f"{len(hb.edges) - 1} baseline bins (exact)"
    qs = np.linspace(0.0, 1.0, DEFAULT_BINS + 1)
    edges = np.unique(np.asarray(b.quantile(qs), dtype=np.float64))

    def counts(col: ColumnProfile) -> list[float]:
        cdf = np.asarray(col.kll.cdf(edges.tolist()), dtype=np.float64)
        out: list[float] = (np.diff(cdf, prepend=0.0) * col.valid_count).tolist()
        return out

    return (counts(b), counts(c)), False, f"{len(edges) + 1} quantile bins from sketches"


def from_profiles(
    method: str,
    b: ColumnProfile,
    c: ColumnProfile,
    freqs: tuple[list[int], list[int], Any] | None,
    preset: str,
) -> Stat:
    """``method`` between two column profiles of the same kind, with its bound."""
    if method in ("ks", "ks_statistic"):
        d, bound = _core.ks_sketches(b, c)
        if method == "ks_statistic":
            return Stat(method, d, bound=bound, detail="Kolmogorov-Smirnov D")
        p, _ = _core.ks_pvalue(
            min(1.0, max(0.0, d - bound)), b.valid_count, c.valid_count, "two-sided", "asymp"
        )
        detail = ""
        if preset == "driftline":
            hb, hc = b.histogram, c.histogram
            if hb is not None and hc is not None and list(hb.edges) == list(hc.edges):
                (rc, cc), _, _ = _profile_bins(b, c)
                detail = f"PSI {_divergence('psi', rc, cc, preset):.4f} (exact)"
        return Stat(method, d, pvalue=p, effect_size=d - bound, bound=bound, detail=detail)
    if method in ("wasserstein", "wasserstein_raw"):
        w, bound = _core.wasserstein_sketches(b, c)
        if method == "wasserstein_raw":
            return Stat(method, w, bound=bound, detail="from relative-error sketches")
        sd = float(b.std or 0.0)
        s, sb = _normed(w, bound, sd, preset)
        return Stat(
            method, s, effect_size=s, bound=sb, detail=f"W {w:.4g} / reference std {sd:.4g}"
        )
    if freqs is None:
        if method not in BINNED:
            raise ValueError(
                f"method {method!r} needs category counts, which a numeric column profile does "
                "not carry; compare the raw data (exact=True) instead"
            )
        (rc, cc), exact, how = _profile_bins(b, c)
        s = _divergence(method, rc, cc, preset)
        return Stat(method, s, effect_size=s, bound=0.0 if exact else math.nan, detail=how)
    rci, cci, _ = freqs
    return categorical(method, rci, cci, preset, b.is_exact and c.is_exact)


def categorical(
    method: str, rc: Sequence[int], cc: Sequence[int], preset: str, exact: bool
) -> Stat:
    """``method`` on aligned category counts."""
    bound = 0.0 if exact else math.nan
    js = _divergence("jensen_shannon", rc, cc, "driftline")
    if method == "chi2":
        if preset == "evidently":
            s, p, dof = chisquare_gof(rc, cc)
            return Stat(
                method,
                s,
                pvalue=p,
                effect_size=js,
                bound=bound,
                detail=f"goodness of fit, dof {dof}",
            )
        s, p, dof, v = _core.chi2_contingency_2xk(rc, cc)
        return Stat(
            method,
            s,
            pvalue=p,
            effect_size=js,
            bound=bound,
            detail=f"dof {dof}, Cramer's V {v:.3f}, JS {js:.3f}",
        )
    if method == "z":
        if len(rc) > 2:
            raise ValueError(f"the z-test needs at most 2 categories, got {len(rc)}")
        if len(rc) < 2:
            return Stat(
                method,
                0.0,
                pvalue=1.0,
                effect_size=0.0,
                bound=bound,
                detail="one category on both sides",
            )
        z, p, pr, pc = _core.two_proportion_ztest(rc[1], sum(rc), cc[1], sum(cc))
        return Stat(
            method, z, pvalue=p, effect_size=js, bound=bound, detail=f"share {pr:.4f} -> {pc:.4f}"
        )
    s = _divergence(method, rc, cc, preset)
    return Stat(method, s, effect_size=s, bound=bound, detail=f"{len(rc)} categories")


def chisquare_gof(rc: Sequence[float], cc: Sequence[float]) -> tuple[float, float, int]:
    """``scipy.stats.chisquare(current, reference scaled to the current total)`` (Evidently's
    chi-square): a category absent from the reference but present now gives an infinite
    statistic and p-value 0."""
    r, c = np.asarray(rc), np.asarray(cc)
    expected = r * (c.sum() / r.sum())
    dof = len(r) - 1
    if np.any((expected == 0) & (c > 0)):
        return math.inf, 0.0, dof
    keep = expected > 0
    s = float(np.sum((c[keep] - expected[keep]) ** 2 / expected[keep]))
    return s, (float(_core.chi2_sf(s, dof)) if dof > 0 else 1.0), dof


# ------------------------------------------------------------------------------------------
# From raw data (exact mode)
# ------------------------------------------------------------------------------------------


def raw_numeric(column: Any) -> npt.NDArray[np.float64]:
    """The finite values of an Arrow column as float64 (nulls, NaN and infinities dropped, as
    Evidently and NannyML do before testing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = column
    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    if pa.types.is_temporal(col.type):
        col = col.cast(pa.int64())
    arr = np.asarray(pc.cast(col.drop_null(), pa.float64()).to_numpy(), dtype=np.float64)
    return np.ascontiguousarray(arr[np.isfinite(arr)])


def value_counts(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> tuple[list[int], list[int]]:
    """Counts of each distinct value of ``a`` and ``b`` over the union of their values."""
    ua, ca = np.unique(a, return_counts=True)
    ub, cb = np.unique(b, return_counts=True)
    keys = np.union1d(ua, ub)
    rc = np.zeros(keys.size, dtype=np.int64)
    cc = np.zeros(keys.size, dtype=np.int64)
    rc[np.searchsorted(keys, ua)] = ca
    cc[np.searchsorted(keys, ub)] = cb
    return rc.tolist(), cc.tolist()


def n_unique(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], limit: int = 5) -> int:
    """The number of distinct values of ``a`` and ``b`` together when it is at most ``limit``,
    otherwise some number above ``limit`` (a head of the data usually settles it)."""
    head = np.unique(np.concatenate([a[:1000], b[:1000]]))
    if head.size > limit:
        return int(head.size)
    return int(np.unique(np.concatenate([a, b])).size)


def raw_category_counts(ref: Any, cur: Any) -> tuple[list[int], list[int]]:
    """Exact counts of every category of two Arrow columns (nulls left out), aligned on the
    union of their categories, counted by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def counts(col: Any) -> dict[Any, int]:
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        vc = pc.value_counts(col.drop_null())
        return dict(zip(vc.field(0).to_pylist(), vc.field(1).to_pylist(), strict=True))

    r, c = counts(ref), counts(cur)
    keys = list(r) + [k for k in c if k not in r]
    return [r.get(k, 0) for k in keys], [c.get(k, 0) for k in keys]


def _raw_bins(
    method: str, a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], preset: str
) -> tuple[Counts, str]:
    if preset == "evidently":
        # evidently.legacy.calculations.stattests.utils.get_binned_data
        if np.unique(a).size > 20:
            edges = np.histogram_bin_edges(np.concatenate([a, b]), bins="sturges")
            rc = np.histogram(a, edges)[0].astype(np.float64)
            cc = np.histogram(b, edges)[0].astype(np.float64)
            return (rc.tolist(), cc.tolist()), f"{edges.size - 1} Sturges bins on both samples"
        return value_counts(a, b), "distinct values"
    if preset == "nannyml":
        # nannyml.drift.univariate.methods.ContinuousJensenShannonDistance
        edges = np.histogram_bin_edges(a, bins="doane")
        rc = np.histogram(a, edges)[0].astype(np.float64)
        cc = np.histogram(b, edges)[0].astype(np.float64)
        leftover = b.size - cc.sum()
        if leftover > 0:
            rc, cc = np.append(rc, 0.0), np.append(cc, leftover)
        return (rc.tolist(), cc.tolist()), f"{edges.size - 1} Doane bins on the reference"
    qedges = _core.quantile_edges(a, DEFAULT_BINS)
    return (
        (_core.bin_counts(a, qedges), _core.bin_counts(b, qedges)),
        f"{len(qedges) + 1} reference quantile bins",
    )


def from_raw(
    method: str, a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], preset: str
) -> Stat:
    """``method`` between two numeric samples, exactly."""
    if method in ("ks", "ks_statistic"):
        d, p, *_ = _core.ks_2samp(a, b, "two-sided", "auto")
        if method == "ks_statistic":
            return Stat(method, d, bound=0.0, detail="Kolmogorov-Smirnov D")
        return Stat(method, d, pvalue=p, effect_size=d, bound=0.0)
    if method in ("wasserstein", "wasserstein_raw"):
        w = float(_core.wasserstein_distance(a, b))
        if method == "wasserstein_raw":
            return Stat(method, w, bound=0.0)
        sd = float(np.std(a))
        s, _ = _normed(w, 0.0, sd, preset)
        return Stat(
            method, s, effect_size=s, bound=0.0, detail=f"W {w:.4g} / reference std {sd:.4g}"
        )
    if method in ("chi2", "z"):
        rci, cci = value_counts(a, b)
        return categorical(method, rci, cci, preset, True)
    (rc, cc), how = _raw_bins(method, a, b, preset)
    s = _divergence(method, rc, cc, preset)
    return Stat(method, s, effect_size=s, bound=0.0, detail=how)
