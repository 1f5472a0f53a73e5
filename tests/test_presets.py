"""Per-column methods and the Evidently / NannyML compatibility presets of compare().

The reference functions below restate, with SciPy and NumPy, what Evidently 0.7
(``evidently.legacy.calculations.stattests``) and NannyML 0.13
(``nannyml.drift.univariate.methods``) compute, so the presets are checked against the tools'
algorithms without installing them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial import distance

import driftline
from driftline import CompareConfig


def drift_of(report: driftline.DriftReport, column: str) -> list[driftline.Finding]:
    return [f for f in report.findings if f.column == column and f.category == "drift"]


# -- reference restatements ------------------------------------------------------------------


def evidently_method(ref: np.ndarray, cur: np.ndarray, numeric: bool) -> str:
    n_values = np.unique(np.concatenate([ref, cur])).size
    if ref.size <= 1000:
        if numeric and n_values > 5:
            return "ks"
        return "chi2" if n_values > 2 else "z"
    if numeric:
        return "wasserstein" if n_values > 5 else "jensen_shannon"
    return "jensen_shannon"


def evidently_counts(ref: np.ndarray, cur: np.ndarray, numeric: bool) -> tuple[Any, Any]:
    if numeric and np.unique(ref).size > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, bins)[0] / ref.size, np.histogram(cur, bins)[0] / cur.size
    keys = np.union1d(ref, cur)
    r = np.zeros(keys.size)
    c = np.zeros(keys.size)
    u, n = np.unique(ref, return_counts=True)
    r[np.searchsorted(keys, u)] = n
    u, n = np.unique(cur, return_counts=True)
    c[np.searchsorted(keys, u)] = n
    return r / ref.size, c / cur.size


def evidently_score(method: str, ref: np.ndarray, cur: np.ndarray, numeric: bool) -> float:
    """Evidently's drift_score: the p-value of a test, or the distance."""
    if method == "ks":
        return float(stats.ks_2samp(ref, cur).pvalue)
    if method == "wasserstein":
        return float(stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001))
    if method == "jensen_shannon":
        r, c = evidently_counts(ref, cur, numeric)
        return float(distance.jensenshannon(r, c))
    keys = np.union1d(ref, cur)
    rc = np.array([(ref == k).sum() for k in keys], dtype=float)
    cc = np.array([(cur == k).sum() for k in keys], dtype=float)
    if method == "chi2":
        return float(stats.chisquare(cc, rc * cur.size / ref.size).pvalue)
    # z: share of values other than the first key.
    if keys.size == 1:
        return 1.0
    p1, p2 = 1 - rc[0] / ref.size, 1 - cc[0] / cur.size
    pooled = (p1 * ref.size + p2 * cur.size) / (ref.size + cur.size)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / ref.size + 1 / cur.size))
    return float(2 * (1 - stats.norm.cdf(abs(z))))


def nannyml_js(ref: np.ndarray, cur: np.ndarray) -> float:
    bins = np.histogram_bin_edges(ref, bins="doane")
    r = np.histogram(ref, bins)[0] / ref.size
    c = np.histogram(cur, bins)[0] / cur.size
    leftover = 1 - c.sum()
    if leftover > 0:
        c, r = np.append(c, leftover), np.append(r, 0)
    return float(distance.jensenshannon(r, c, base=2))


def score_of(f: driftline.Finding) -> float:
    return f.pvalue if f.pvalue is not None else f.statistic


# -- tests -----------------------------------------------------------------------------------


CASES = [
    # (reference rows, current rows, kind of column, shift)
    (400, 700, "normal", 0.0),
    (400, 700, "normal", 0.4),
    (900, 300, "three", 0.2),
    (900, 300, "two", 0.2),
    (3000, 2000, "normal", 0.1),
    (3000, 2000, "three", 0.3),
    (3000, 2000, "wide_int", 0.5),
    (5000, 5000, "lognormal", 0.05),
]


def column(kind: str, n: int, shift: float, rng: np.random.Generator) -> np.ndarray:
    if kind == "normal":
        return rng.normal(shift, 1.0, n)
    if kind == "lognormal":
        return rng.lognormal(shift, 1.0, n)
    if kind == "three":
        return rng.choice([1.0, 2.0, 5.0], n, p=[0.4 + shift / 2, 0.3, 0.3 - shift / 2])
    if kind == "two":
        return rng.choice([0.0, 1.0], n, p=[0.5 + shift / 2, 0.5 - shift / 2])
    return rng.integers(0, 15, n).astype(float) + np.round(shift * rng.random(n))


@pytest.mark.parametrize(("n_ref", "n_cur", "kind", "shift"), CASES)
def test_evidently_preset_numeric(n_ref: int, n_cur: int, kind: str, shift: float) -> None:
    rng = np.random.default_rng(n_ref + n_cur)
    ref, cur = column(kind, n_ref, 0.0, rng), column(kind, n_cur, shift, rng)
    # NaN and infinities are dropped first, as Evidently does.
    ref_t = pa.table({"x": np.append(ref, [np.nan, np.inf])})
    report = driftline.compare(ref_t, pa.table({"x": cur}), preset="evidently")
    (f,) = drift_of(report, "x")
    method = evidently_method(ref, cur, numeric=True)
    assert f.method == method
    assert f.bound == 0.0
    want = evidently_score(method, ref, cur, numeric=True)
    assert score_of(f) == pytest.approx(want, rel=1e-9, abs=1e-12)
    threshold = 0.05 if method in ("ks", "chi2", "z") else 0.1
    assert f.threshold == threshold
    if method == "ks":
        assert f.flagged == (want <= threshold)
    elif method in ("chi2", "z"):
        assert f.flagged == (want < threshold)
    else:
        assert f.flagged == (want >= threshold)


@pytest.mark.parametrize(("n_ref", "n_cats"), [(500, 2), (500, 6), (4000, 2), (4000, 6)])
def test_evidently_preset_categorical(n_ref: int, n_cats: int) -> None:
    rng = np.random.default_rng(n_ref * n_cats)
    cats = np.array([f"k{i}" for i in range(n_cats)])
    ref = rng.choice(cats, n_ref)
    p = np.linspace(1, 2, n_cats)
    cur = rng.choice(cats, 1500, p=p / p.sum())
    report = driftline.compare(pa.table({"c": ref}), pa.table({"c": cur}), preset="evidently")
    (f,) = drift_of(report, "c")
    method = evidently_method(ref, cur, numeric=False)
    assert f.method == method
    assert score_of(f) == pytest.approx(evidently_score(method, ref, cur, False), rel=1e-9)


def test_evidently_chi2_new_category_is_drift() -> None:
    ref = pa.table({"c": ["a", "b"] * 100})
    cur = pa.table({"c": ["a", "b", "c"] * 100})
    (f,) = drift_of(driftline.compare(ref, cur, preset="evidently"), "c")
    assert (f.method, f.statistic, f.pvalue, f.flagged) == ("chi2", math.inf, 0.0, True)


@pytest.mark.parametrize("shift", [0.0, 0.2, 1.0])
def test_nannyml_preset(shift: float) -> None:
    rng = np.random.default_rng(7)
    ref, cur = rng.gamma(2.0, 1.0, 4000), rng.gamma(2.0, 1.0 + shift, 3000)
    cats_ref = rng.choice(["a", "b", "c"], 4000)
    cats_cur = rng.choice(["a", "b", "c", "d"], 3000, p=[0.4, 0.3, 0.2, 0.1])
    report = driftline.compare(
        pa.table({"x": ref, "c": cats_ref}), pa.table({"x": cur, "c": cats_cur}), preset="nannyml"
    )
    got = {f.method: f for f in drift_of(report, "x")}
    assert set(got) == {"jensen_shannon", "ks_statistic", "wasserstein_raw"}
    assert got["jensen_shannon"].statistic == pytest.approx(nannyml_js(ref, cur), rel=1e-9)
    assert got["jensen_shannon"].flagged == (got["jensen_shannon"].statistic > 0.1)
    assert got["ks_statistic"].statistic == pytest.approx(stats.ks_2samp(ref, cur).statistic)
    w = stats.wasserstein_distance(ref, cur)
    assert got["wasserstein_raw"].statistic == pytest.approx(w, rel=1e-9)
    assert not got["ks_statistic"].flagged and math.isnan(got["ks_statistic"].threshold)
    # Categorical: reference categories, plus one bin for the share of new ones.
    (c,) = drift_of(report, "c")
    u, n = np.unique(cats_cur, return_counts=True)
    r = np.append(np.unique(cats_ref, return_counts=True)[1] / 4000, 0.0)
    assert list(u) == ["a", "b", "c", "d"]
    want = distance.jensenshannon(r, n / 3000, base=2)
    assert c.statistic == pytest.approx(want, rel=1e-9)


def test_method_per_column_and_per_kind() -> None:
    rng = np.random.default_rng(3)
    ref = pa.table({"x": rng.normal(0, 1, 20_000), "y": rng.normal(0, 1, 20_000)})
    cur = pa.table({"x": rng.normal(0.5, 1, 20_000), "y": rng.normal(0, 1, 20_000)})
    base = driftline.baseline(ref)
    prof = driftline.profile(cur, baseline=base)
    cfg = CompareConfig(numeric_method="psi", per_column={"y": {"method": "wasserstein"}})
    report = driftline.compare(base, prof, cfg)
    (x,) = drift_of(report, "x")
    (y,) = drift_of(report, "y")
    assert (x.method, x.bound, x.flagged) == ("psi", 0.0, True)
    # Exact PSI on the baseline's bins, with underflow and overflow bins.
    edges = np.asarray(base["x"].histogram.edges)

    def props(v: Any) -> np.ndarray:
        v = np.asarray(v)
        c = [(v < edges[0]).sum(), *np.histogram(v, edges)[0], (v > edges[-1]).sum()]
        return np.maximum(np.asarray(c) / v.size, 1e-4)

    r, c = props(ref["x"]), props(cur["x"])
    assert x.statistic == pytest.approx(float(np.sum((c - r) * np.log(c / r))), rel=1e-9)
    assert (y.method, y.flagged) == ("wasserstein", False)
    w = stats.wasserstein_distance(ref["y"], cur["y"]) / np.std(ref["y"])
    assert abs(y.statistic - w) <= y.bound
    # Thresholds apply per method and per column.
    cfg2 = CompareConfig(numeric_method="psi", psi_threshold=10.0)
    assert not drift_of(driftline.compare(base, prof, cfg2), "x")[0].flagged


def test_binned_methods_from_sketches_are_marked_approximate() -> None:
    rng = np.random.default_rng(4)
    a = driftline.profile(pa.table({"x": rng.normal(0, 1, 50_000)}))
    b = driftline.profile(pa.table({"x": rng.normal(1, 1, 50_000)}))
    for method in ("psi", "jensen_shannon", "hellinger", "kl_divergence"):
        (f,) = drift_of(driftline.compare(a, b, CompareConfig(numeric_method=method)), "x")
        assert f.method == method and math.isnan(f.bound) and f.flagged
        assert "from sketches" in f.detail


def test_bad_methods_are_rejected() -> None:
    with pytest.raises(ValueError, match="does not apply"):
        CompareConfig(numeric_method="chi2")
    with pytest.raises(ValueError, match="preset"):
        CompareConfig(preset="whylogs")  # type: ignore[arg-type]
    t = pa.table({"c": ["a", "b"] * 10})
    p = driftline.profile(t)
    with pytest.raises(ValueError, match="column 'c'"):
        driftline.compare(p, p, CompareConfig(per_column={"c": {"method": "ks"}}))
    with pytest.raises(ValueError, match="raw data"):
        driftline.compare(p, p, exact=True)


def test_dataset_drift_share() -> None:
    rng = np.random.default_rng(5)
    ref = pa.table({f"x{i}": rng.normal(0, 1, 5000) for i in range(4)})
    cur = pa.table({f"x{i}": rng.normal(1.0 if i < 2 else 0, 1, 5000) for i in range(4)})
    report = driftline.compare(ref, cur, preset="evidently")
    assert report.share_drifted == 0.5 and report.dataset_drift
    assert report.to_dict()["dataset_drift"] is True
    report = driftline.compare(ref, cur, CompareConfig(drift_share=0.75))
    assert not report.dataset_drift


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["normal", "lognormal", "mixed", "constant", "negative"]),
    st.integers(1, 6000),
    st.integers(1, 6000),
    st.floats(0, 2),
    st.integers(0, 2**32 - 1),
)
def test_wasserstein_from_sketches_within_bound(
    dist: str, n: int, m: int, shift: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)

    def draw(k: int, s: float) -> np.ndarray:
        if dist == "normal":
            return rng.normal(s, 1, k)
        if dist == "lognormal":
            return rng.lognormal(s, 2, k)
        if dist == "mixed":
            return np.where(rng.random(k) < 0.3, 0.0, rng.standard_t(2, k) * 100 + s)
        if dist == "constant":
            return np.full(k, 3.0 + s)
        return -rng.exponential(1 + s, k)

    a, b = draw(n, 0.0), draw(m, shift)
    pa_, pb = driftline.profile({"x": a}), driftline.profile({"x": b})
    (f,) = drift_of(driftline.compare(pa_, pb, CompareConfig(numeric_method="wasserstein")), "x")
    w, bound = driftline._core.wasserstein_sketches(pa_["x"], pb["x"])
    exact = stats.wasserstein_distance(a, b)
    assert abs(w - exact) <= bound
    assert bound <= 0.0101 * (np.abs(a).mean() + np.abs(b).mean()) + 1e-12
    sd = float(np.std(a))
    if sd > 0:
        assert f.statistic == pytest.approx(w / sd, rel=1e-6)


def test_presets_count_every_category_past_the_cap() -> None:
    rng = np.random.default_rng(9)
    ref = np.array([f"k{i}" for i in rng.integers(0, 15_000, 60_000)])
    cur = np.array([f"k{i}" for i in rng.integers(2_000, 17_000, 60_000)])
    report = driftline.compare(pa.table({"c": ref}), pa.table({"c": cur}), preset="evidently")
    (f,) = drift_of(report, "c")
    assert f.method == "jensen_shannon" and f.bound == 0.0
    want = evidently_score("jensen_shannon", ref, cur, numeric=False)
    assert f.statistic == pytest.approx(want, rel=1e-9)
