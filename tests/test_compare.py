"""compare(): planted drift is found, independent samples raise no alarm, quality findings."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

import driftline


def dataset(rows: int, seed: int, drift: bool) -> pa.Table:
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {}
    for i in range(20):
        shift = 0.3 if (drift and i < 4) else 0.0
        cols[f"n{i}"] = rng.normal(i + shift, 1.0 + 0.1 * i, rows)
    cats = np.array([f"v{j}" for j in range(8)])
    for j in range(5):
        p = np.full(8, 1 / 8)
        if drift and j == 0:
            p = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05])
        idx = rng.choice(8, rows, p=p)
        cols[f"c{j}"] = pa.DictionaryArray.from_arrays(
            pa.array(idx.astype(np.int32)), pa.array(cats)
        )
    return pa.table(cols)


def test_planted_drift_found_without_false_alarms() -> None:
    rows = 1_000_000
    base = driftline.baseline(dataset(rows, 1, drift=False))
    cur = driftline.profile(dataset(rows, 2, drift=True), baseline=base)
    report = driftline.compare(base, cur)
    assert set(report.drifted_columns) == {"n0", "n1", "n2", "n3", "c0"}
    assert report.share_drifted == pytest.approx(5 / 25)
    ks = next(f for f in report.findings if f.method == "ks" and f.column == "n0")
    assert ks.bound == pytest.approx(2 * driftline.KLL().normalized_rank_error())
    assert "PSI" in ks.detail and "exact" in ks.detail


@pytest.mark.parametrize("rows", [1_000_000, 10_000_000])
def test_no_alarm_on_independent_samples(rows: int) -> None:
    rng = np.random.default_rng(rows)

    def make() -> pa.Table:
        return pa.table(
            {
                "x": rng.lognormal(0, 1, rows),
                "c": pa.DictionaryArray.from_arrays(
                    pa.array(rng.integers(0, 50, rows).astype(np.int32)),
                    pa.array([f"k{i}" for i in range(50)]),
                ),
            }
        )

    base = driftline.profile(make())
    report = driftline.compare(base, driftline.profile(make(), baseline=base))
    assert report.drifted_columns == []
    assert report.quality_issues == []


def test_quality_and_schema_findings() -> None:
    rng = np.random.default_rng(5)
    n = 20_000
    ref = pa.table({"x": rng.normal(size=n), "s": rng.choice(["a", "b"], n), "gone": np.ones(n)})
    x = rng.normal(size=n)
    x[: n // 5] = np.nan
    x[n // 5 : n // 5 + 2000] = 100.0
    s = rng.choice(["a", "b", "zzz"], n)
    cur = pa.table({"x": x, "s": s, "new": np.ones(n)})
    report = driftline.compare(ref, cur)
    flagged = {(f.column, f.method) for f in report.findings if f.flagged}
    assert ("x", "missing_rate_change") in flagged
    assert ("x", "out_of_range_share") in flagged
    assert ("s", "new_categories") in flagged
    assert ("gone", "missing_column") in flagged and ("new", "extra_column") in flagged
    new = next(f for f in report.findings if f.method == "new_categories")
    assert "zzz" in new.detail
    d = json.loads(report.to_json())
    assert {"drifted_columns", "share_drifted", "findings"} <= set(d)
    assert report.to_arrow().num_rows == len(report.findings)
    assert report.to_polars().height == len(report.findings)
    assert "drift in" in str(report)


def test_thresholds_and_corrections() -> None:
    rng = np.random.default_rng(9)
    a = {"x": rng.normal(size=50_000)}
    b = {"x": rng.normal(0.1, 1, 50_000)}
    strict = driftline.compare(a, b, driftline.CompareConfig(ks_threshold=0.0, alpha=0.05))
    loose = driftline.compare(a, b)
    assert strict.drifted_columns == ["x"] and loose.drifted_columns == []
    per = driftline.compare(a, b, driftline.CompareConfig(per_column={"x": {"ks_threshold": 0.0}}))
    assert per.drifted_columns == ["x"]
    with pytest.raises(ValueError):
        driftline.compare(a, b, driftline.CompareConfig(correction="nope"))  # type: ignore[arg-type]


def test_ks_between_sketches_matches_step_cdfs() -> None:
    from driftline import _core

    rng = np.random.default_rng(4)
    for n1, n2 in [(100, 300), (50_000, 20_000), (200_000, 200_000)]:
        a = driftline.profile({"x": rng.normal(size=n1).round(1)})["x"]
        b = driftline.profile({"x": rng.normal(0.2, 1.0, n2).round(1)})["x"]
        vb, wb = a.kll.sorted_view()
        vc, wc = b.kll.sorted_view()
        pts = np.union1d(vb, vc)
        fb = np.concatenate([[0], wb])[np.searchsorted(vb, pts, side="right")] / wb[-1]
        fc = np.concatenate([[0], wc])[np.searchsorted(vc, pts, side="right")] / wc[-1]
        d, bound = _core.ks_sketches(a, b)
        assert d == pytest.approx(float(np.max(np.abs(fb - fc))), abs=1e-15)
        exact = a.kll.num_retained >= n1 and b.kll.num_retained >= n2
        assert (bound == 0.0) == exact
