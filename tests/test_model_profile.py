"""Profiles that carry a model section: built from log archives, merged, saved, compared."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from sklearn import metrics as skm

import driftline
from driftline import ModelSpec, metrics


def logs(n: int, seed: int, quality: float = 1.0) -> pa.Table:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    noise = rng.random(n)
    score = np.clip(quality * (0.35 * y + 0.65 * noise) + (1 - quality) * rng.random(n), 0, 1)
    return pa.table(
        {
            "age": rng.normal(40, 10, n),
            "region": rng.choice(["north", "south", "east"], n),
            "label": y,
            "score": score,
        }
    )


SPEC = ModelSpec("binary", label="label", scores="score", labels=[0, 1], segments=["region"])


def test_profile_carries_the_model_and_matches_direct_metrics() -> None:
    t = logs(50_000, 1)
    p = driftline.profile(t, model=SPEC)
    assert p.model == {
        "label": "label",
        "prediction": None,
        "scores": ["score"],
        "segments": ["region"],
    }
    r = metrics.from_profile(p)
    assert isinstance(r, metrics.ClassificationResult)
    y, s = t["label"].to_numpy(), t["score"].to_numpy()
    np.testing.assert_array_equal(r.confusion_matrix, skm.confusion_matrix(y, s >= 0.5))
    assert r.roc_auc_bound is not None
    assert abs(r.roc_auc - skm.roc_auc_score(y, s)) <= r.roc_auc_bound < 1e-4
    assert set(r.segments["region"]) == {"north", "south", "east"}
    # The feature columns are profiled as usual.
    assert p["age"].count == 50_000 and p.row_count == 50_000
    # Saved and read back, the accumulators are intact.
    q = driftline.Profile.from_bytes(p.to_bytes())
    r2 = metrics.from_profile(q)
    assert r2 is not None and r2.roc_auc == r.roc_auc
    np.testing.assert_array_equal(r2.confusion_matrix, r.confusion_matrix)


def test_merged_daily_profiles_equal_one_pass() -> None:
    days = [logs(8_000, seed) for seed in range(4)]
    parts = [driftline.profile(d, model=SPEC) for d in days]
    merged = parts[3].merge(parts[1]).merge(parts[0]).merge(parts[2])
    whole = driftline.profile(pa.concat_tables(days), model=SPEC)
    rm, rw = metrics.from_profile(merged), metrics.from_profile(whole)
    assert rm is not None and rw is not None
    np.testing.assert_array_equal(rm.confusion_matrix, rw.confusion_matrix)
    assert rm.roc_auc == rw.roc_auc and rm.log_loss == pytest.approx(rw.log_loss, rel=1e-12)
    for k, seg in rw.segments["region"].items():
        np.testing.assert_array_equal(
            rm.segments["region"][k].confusion_matrix, seg.confusion_matrix
        )
    with pytest.raises(driftline.IncompatibleError, match="model"):
        parts[0].merge(driftline.profile(days[0]))


def test_streams_and_threads() -> None:
    t = logs(30_000, 2)
    reader = pa.RecordBatchReader.from_batches(t.schema, t.to_batches(max_chunksize=4096))
    p = driftline.profile(reader, model=SPEC)
    pr = metrics.from_profile(p)
    assert pr is not None and pr.n == 30_000
    with pytest.raises(ValueError, match="labels"):
        driftline.Profiler(model=ModelSpec("binary", label="label", scores="score"))
    prof = driftline.Profiler(model=SPEC)
    from concurrent.futures import ThreadPoolExecutor

    batches = t.to_batches(max_chunksize=1000)
    with ThreadPoolExecutor(4) as ex:
        list(ex.map(prof.update, batches))
    r = metrics.from_profile(prof.snapshot())
    assert r is not None
    np.testing.assert_array_equal(r.confusion_matrix, pr.confusion_matrix)


def test_labels_inferred_from_a_table_and_regression() -> None:
    t = logs(2_000, 3)
    t = t.append_column("pred", pa.array((t["score"].to_numpy() >= 0.5).astype(np.int64)))
    p = driftline.profile(t, model=ModelSpec("binary", label="label", prediction="pred"))
    r = metrics.from_profile(p)
    assert r is not None and r.labels == (0, 1) and r.roc_auc is None
    rng = np.random.default_rng(0)
    yt = rng.normal(size=1000)
    reg = pa.table({"y": yt, "yhat": yt + 0.1, "shop": rng.choice(["a", "b"], 1000)})
    spec = ModelSpec("regression", label="y", prediction="yhat", segments=["shop"])
    rr = metrics.from_profile(driftline.profile(reg, model=spec))
    assert isinstance(rr, metrics.RegressionResult)
    assert rr.mae == pytest.approx(0.1) and rr.mean_error == pytest.approx(0.1)
    assert set(rr.segments["shop"]) == {"a", "b"}
    assert metrics.from_profile(driftline.profile(reg)) is None
    with pytest.raises(ValueError, match="regression"):
        driftline.profile(reg, model=ModelSpec("regression", label="y"))


def test_compare_reports_performance_beside_drift() -> None:
    base = driftline.baseline(logs(40_000, 4), model=SPEC)
    good = driftline.profile(logs(40_000, 5), baseline=base)  # the baseline's model section
    bad = driftline.profile(logs(40_000, 6, quality=0.5), baseline=base)
    assert good.model == base.model
    ok = driftline.compare(base, good)
    assert ok.performance_findings and not any(f.flagged for f in ok.performance_findings)
    worse = driftline.compare(base, bad)
    flagged = {f.method for f in worse.performance_findings if f.flagged}
    assert "roc_auc" in flagged and "accuracy" in flagged
    assert all(f.column == "model" for f in worse.performance_findings)
    assert "performance" in str(worse)
