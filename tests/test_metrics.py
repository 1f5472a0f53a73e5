"""driftline.metrics: parity with scikit-learn (and fairlearn), segments, merges, bad input."""

from __future__ import annotations

import math
import pickle
import warnings
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

import driftline
from driftline import metrics
from driftline.metrics import Performance, UndefinedMetricWarning


def close(a: float | None, b: float, tol: float = 1e-9) -> bool:
    if a is None:
        return False
    if math.isnan(b):
        return math.isnan(a)
    return abs(a - b) <= tol * max(1.0, abs(b))


# -- classification ---------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 300),
    st.integers(2, 6),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 1.0, math.nan]),
)
def test_confusion_metrics_match_sklearn(n: int, k: int, seed: int, zd: float) -> None:
    rng = np.random.default_rng(seed)
    yt = rng.integers(0, k, n)
    yp = np.where(rng.random(n) < 0.6, yt, rng.integers(0, k, n))
    labels = list(range(k))
    r = metrics.classification(yt, yp, labels=labels, zero_division=zd)
    assert r.n == n
    np.testing.assert_array_equal(r.confusion_matrix, skm.confusion_matrix(yt, yp, labels=labels))
    assert close(r.accuracy, skm.accuracy_score(yt, yp))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for avg in ("micro", "macro", "weighted"):
            p, rc, f, _ = skm.precision_recall_fscore_support(
                yt, yp, labels=labels, average=avg, zero_division=zd
            )
            got = getattr(r, avg)
            assert close(got.precision, p) and close(got.recall, rc) and close(got.f1, f), avg
        if k == 2:
            p, rc, f, _ = skm.precision_recall_fscore_support(
                yt, yp, labels=labels, average="binary", zero_division=zd
            )
            assert close(r.precision, p) and close(r.recall, rc) and close(r.f1, f)
        assert close(r.balanced_accuracy, skm.balanced_accuracy_score(yt, yp))
        assert close(r.mcc, skm.matthews_corrcoef(yt, yp))
        assert close(r.kappa, skm.cohen_kappa_score(yt, yp, labels=labels))


def test_binary_scores_match_sklearn() -> None:
    rng = np.random.default_rng(0)
    n = 20_000
    y = rng.integers(0, 2, n)
    s = np.clip(rng.beta(2 + 3 * y, 5 - 3 * y), 0, 1)
    s[:50] = np.round(s[:50], 1)  # ties
    r = metrics.classification(y, scores=s)
    pred = (s >= 0.5).astype(int)
    assert r.task == "binary" and r.pos_label == 1
    np.testing.assert_array_equal(r.confusion_matrix, skm.confusion_matrix(y, pred))
    assert close(r.roc_auc, skm.roc_auc_score(y, s)) and r.roc_auc_bound == 0.0
    assert close(r.pr_auc, skm.average_precision_score(y, s))
    assert close(r.log_loss, skm.log_loss(y, s), 1e-12)
    assert close(r.brier, skm.brier_score_loss(y, s), 1e-12)
    from sklearn.calibration import calibration_curve

    prob_true, prob_pred = calibration_curve(y, s, n_bins=10)
    assert r.reliability is not None
    rel = [b for b in r.reliability if b.count > 0]
    np.testing.assert_allclose([b.observed_rate for b in rel], prob_true, rtol=1e-12)
    np.testing.assert_allclose([b.mean_score for b in rel], prob_pred, rtol=1e-12)
    counts = np.array([b.count for b in rel])
    assert r.ece == pytest.approx(np.sum(counts / n * np.abs(prob_true - prob_pred)), rel=1e-9)
    lo, hi = r.accuracy_ci
    assert lo < r.accuracy < hi
    # Streaming (binned) AUC: within its bound of the exact value, bound below 1e-4.
    b = metrics.classification(y, scores=s, exact=False)
    assert b.roc_auc_bound is not None and b.roc_auc_bound < 1e-4
    assert abs(b.roc_auc - skm.roc_auc_score(y, s)) <= b.roc_auc_bound
    assert b.pr_auc_bound is not None
    assert abs(b.pr_auc - skm.average_precision_score(y, s)) <= b.pr_auc_bound


def test_string_labels_pos_label_and_threshold() -> None:
    y = np.array(["spam", "ham", "spam", "ham", "spam"])
    s = np.array([0.9, 0.2, 0.4, 0.6, 0.7])
    r = metrics.classification(y, scores=s, threshold=0.65, pos_label="spam")
    pred = np.where(s >= 0.65, "spam", "ham")
    assert r.labels == ("ham", "spam") and r.pos_label == "spam"
    assert close(r.precision, skm.precision_score(y, pred, pos_label="spam"))
    assert close(r.recall, skm.recall_score(y, pred, pos_label="spam"))
    assert close(r.roc_auc, skm.roc_auc_score(y == "spam", s))
    rb = metrics.classification(pa.array([True, False, True]), pa.array([True, True, True]))
    assert rb.labels == (False, True) and rb.pos_label is True


def test_multiclass_scores_match_sklearn() -> None:
    rng = np.random.default_rng(1)
    n, k = 5000, 4
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y]
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    r = metrics.classification(y, scores=p, labels=list(range(k)))
    assert r.task == "multiclass"
    pred = p.argmax(axis=1)
    np.testing.assert_array_equal(r.confusion_matrix, skm.confusion_matrix(y, pred))
    assert close(r.roc_auc, skm.roc_auc_score(y, p, multi_class="ovr"))
    assert close(r.log_loss, skm.log_loss(y, p), 1e-9)
    assert r.top_k_accuracy is not None
    assert close(r.top_k_accuracy[2], skm.top_k_accuracy_score(y, p, k=2))


def test_unknown_null_and_invalid_are_counted() -> None:
    yt = pa.array([0, 1, 1, None, 7, 0, 1])
    yp = pa.array([0, 1, 0, 1, 1, 5, None])
    r = metrics.classification(yt, yp, labels=[0, 1])
    assert (r.unknown_labels, r.null_labels) == (1, 1)
    assert (r.unknown_predictions, r.null_predictions) == (1, 1)
    # Known true labels: rows 0,1,2,5,6; predictions 5 and None count as errors.
    assert r.n == 3 and r.confusion_matrix.sum() == 3
    s = np.array([0.1, np.nan, 0.7, 1.5, -0.1, 0.9])
    r2 = metrics.classification([0, 1, 1, 0, 0, 1], scores=s)
    assert r2.invalid_scores == 3
    assert close(r2.roc_auc, skm.roc_auc_score([0, 1, 1], [0.1, 0.7, 0.9]))


def test_zero_division_warns_like_sklearn() -> None:
    with pytest.warns(UndefinedMetricWarning):
        r = metrics.classification([0, 0, 0], [0, 0, 0], labels=[0, 1])
    assert r.precision == 0.0 and r.recall == 0.0
    r = metrics.classification([0, 0, 0], [0, 0, 0], labels=[0, 1], zero_division=1.0)
    assert r.precision == 1.0
    with pytest.raises(ValueError, match="zero_division"):
        metrics.classification([0, 1], [0, 1], zero_division=0.5)


def test_single_class_and_all_wrong() -> None:
    r = metrics.classification([1, 1, 1], scores=[0.2, 0.9, 0.4], labels=[0, 1])
    assert r.roc_auc is None  # undefined with one class, as scikit-learn warns
    r = metrics.classification([0, 1, 0, 1], [1, 0, 1, 0])
    assert r.accuracy == 0.0 and r.mcc == pytest.approx(-1.0)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="y_pred"):
        metrics.classification([0, 1], [0])
    with pytest.raises(ValueError, match="give y_pred"):
        metrics.classification([0, 1])
    with pytest.raises(ValueError):
        metrics.classification(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="one column per label"):
        metrics.classification([0, 1, 2], scores=np.ones((3, 2)) / 2, labels=[0, 1, 2])


# -- segments and merging --------------------------------------------------------------------


def test_segments_match_per_segment_sklearn() -> None:
    rng = np.random.default_rng(2)
    n = 30_000
    y = rng.integers(0, 2, n)
    s = np.clip(rng.beta(2 + 2 * y, 4 - 2 * y), 0, 1)
    region = rng.choice(["north", "south", "east"], n)
    device = np.where(rng.random(n) < 0.5, "mobile", None)
    r = metrics.classification(
        y,
        scores=s,
        segments={"region": region, "device": device, "both": metrics.segment_key(region, device)},
    )
    assert set(r.segments) == {"region", "device", "both"}
    assert set(r.segments["device"]) == {"mobile", "__null__"}
    for name, seg in r.segments["region"].items():
        m = region == name
        assert seg.n == m.sum()
        assert close(seg.accuracy, skm.accuracy_score(y[m], s[m] >= 0.5))
        assert abs(seg.roc_auc - skm.roc_auc_score(y[m], s[m])) <= seg.roc_auc_bound
        lo, hi = seg.accuracy_ci
        assert lo <= seg.accuracy <= hi
    assert sum(g.n for g in r.segments["both"].values()) == n
    df = r.to_polars()
    assert df.height == 1 + 3 + 2 + len(r.segments["both"])


def test_every_segment_metric_matches_sklearn_on_its_rows() -> None:
    # Segments are derived together (one array pass over all their confusion matrices); each
    # must still equal scikit-learn on its own rows, including a segment missing a class.
    rng = np.random.default_rng(5)
    n = 6_000
    y = rng.integers(0, 3, n)
    p = np.where(rng.random(n) < 0.6, y, rng.integers(0, 3, n))
    seg = rng.choice(["a", "b", "c", "d"], n)
    y[seg == "d"] = np.where(y[seg == "d"] == 2, 0, y[seg == "d"])  # no class 2 in "d"
    p[seg == "d"] = np.where(p[seg == "d"] == 2, 1, p[seg == "d"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = metrics.classification(y, p, labels=[0, 1, 2], segments={"s": seg})
        for name, got in r.segments["s"].items():
            m = seg == name
            yt, yp = y[m], p[m]
            kw: dict[str, Any] = {"labels": [0, 1, 2], "zero_division": 0}
            assert got.n == m.sum()
            np.testing.assert_array_equal(
                got.confusion_matrix, skm.confusion_matrix(yt, yp, labels=[0, 1, 2])
            )
            for avg in ("macro", "micro", "weighted"):
                a = getattr(got, avg)
                assert close(a.precision, skm.precision_score(yt, yp, average=avg, **kw))
                assert close(a.recall, skm.recall_score(yt, yp, average=avg, **kw))
                assert close(a.f1, skm.f1_score(yt, yp, average=avg, **kw))
            f1s = skm.f1_score(yt, yp, average=None, **kw)
            for i, c in enumerate([0, 1, 2]):
                assert close(got.per_class[c].f1, f1s[i])
            assert close(got.accuracy, skm.accuracy_score(yt, yp))
            assert close(got.balanced_accuracy, skm.balanced_accuracy_score(yt, yp))
            assert close(got.mcc, skm.matthews_corrcoef(yt, yp))
            assert close(got.kappa, skm.cohen_kappa_score(yt, yp, labels=[0, 1, 2]))


def test_merge_of_splits_equals_one_pass() -> None:
    rng = np.random.default_rng(3)
    n = 10_000
    y = rng.integers(0, 3, n)
    p = rng.integers(0, 3, n)
    seg = rng.choice(["a", "b", "c", "d"], n)
    one = Performance("multiclass", labels=[0, 1, 2], segmentations=["seg"])
    one.update(pa.array(y), pa.array(p), None, [pa.array(seg)])
    parts = [Performance("multiclass", labels=[0, 1, 2], segmentations=["seg"]) for _ in range(3)]
    cuts = [0, 1234, 7777, n]
    for part, a, b in zip(parts, cuts[:-1], cuts[1:], strict=True):
        # Each part meets the segments in a different order.
        part.update(pa.array(y[a:b]), pa.array(p[a:b]), None, [pa.array(seg[a:b])])
    merged = parts[2]
    merged.merge(parts[0])
    merged.merge(parts[1])
    r1, r2 = metrics.result_from(one), metrics.result_from(merged)
    np.testing.assert_array_equal(r1.confusion_matrix, r2.confusion_matrix)
    for k in r1.segments["seg"]:
        np.testing.assert_array_equal(
            r1.segments["seg"][k].confusion_matrix, r2.segments["seg"][k].confusion_matrix
        )
    restored = pickle.loads(pickle.dumps(merged))
    r3 = metrics.result_from(restored)
    np.testing.assert_array_equal(r3.confusion_matrix, r1.confusion_matrix)
    with pytest.raises(driftline.IncompatibleError):
        merged.merge(Performance("multiclass", labels=[0, 1, 3], segmentations=["seg"]))
    with pytest.raises(driftline.CorruptDataError):
        Performance.from_bytes(merged.to_bytes()[:-3])


def test_binary_score_merge_is_exact() -> None:
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 4000)
    s = rng.random(4000)
    whole = Performance("binary", labels=[0, 1])
    whole.update(pa.array(y), None, s)
    a, b = Performance("binary", labels=[0, 1]), Performance("binary", labels=[0, 1])
    a.update(pa.array(y[:1500]), None, s[:1500])
    b.update(pa.array(y[1500:]), None, s[1500:])
    a.merge(b)
    ra, rw = metrics.result_from(a), metrics.result_from(whole)
    assert ra.roc_auc == rw.roc_auc and ra.pr_auc == rw.pr_auc
    np.testing.assert_array_equal(ra.confusion_matrix, rw.confusion_matrix)
    assert ra.log_loss == pytest.approx(rw.log_loss, rel=1e-12)
    points = metrics.threshold_sweep(whole, [0.25, 0.5, 0.75])
    for pt in points:
        pred = s >= pt.effective
        assert pt.recall == np.sum(pred & (y == 1)) / np.sum(y == 1)
        assert pt.precision == np.sum(pred & (y == 1)) / np.sum(pred)
        assert pt.false_positive_rate == np.sum(pred & (y == 0)) / np.sum(y == 0)
    sweep = whole.threshold_sweep([0.25, 0.5, 0.75])
    for _thr, eff, tp, fp, tn, fn in sweep:
        pred = s >= eff
        assert tp == np.sum(pred & (y == 1)) and fp == np.sum(pred & (y == 0))
        assert tn == np.sum(~pred & (y == 0)) and fn == np.sum(~pred & (y == 1))


# -- regression ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_regression_matches_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 5000
    yt = rng.normal(10, 3, n)
    if seed == 1:
        yt[:10] = 0.0  # MAPE's epsilon
    yp = yt + rng.normal(0.5, 1, n)
    r = metrics.regression(yt, yp)
    assert r.n == n and r.invalid == 0
    assert close(r.mae, skm.mean_absolute_error(yt, yp), 1e-12)
    assert close(r.mse, skm.mean_squared_error(yt, yp), 1e-12)
    assert close(r.rmse, skm.root_mean_squared_error(yt, yp), 1e-12)
    assert close(r.mape, skm.mean_absolute_percentage_error(yt, yp), 1e-9)
    assert close(r.r2, skm.r2_score(yt, yp), 1e-12)
    assert close(r.mean_error, float(np.mean(yp - yt)), 1e-12)
    smape = np.mean(2 * np.abs(yp - yt) / (np.abs(yt) + np.abs(yp)))
    assert close(r.smape, float(smape), 1e-12)
    lo, hi = r.mae_ci
    assert lo < r.mae < hi
    q = np.quantile(yp - yt, 0.5)
    assert abs(r.error_quantiles[0.5] - q) < 0.05


def test_regression_invalid_rows_and_segments() -> None:
    yt = np.array([1.0, 2.0, np.nan, 4.0, 5.0, np.inf])
    yp = np.array([1.5, 2.0, 3.0, np.nan, 4.0, 1.0])
    seg = ["a", "b", "a", "b", "a", "b"]
    r = metrics.regression(yt, yp, segments={"s": seg})
    assert r.n == 3 and r.invalid == 3
    assert close(r.mae, (0.5 + 0.0 + 1.0) / 3)
    assert r.segments["s"]["a"].n == 2 and r.segments["s"]["b"].n == 1
    assert "RegressionResult" in repr(r)
    assert r.to_polars().height == 3


# -- fairness --------------------------------------------------------------------------------


def test_fairness_matches_fairlearn() -> None:
    # fairlearn is in the test extras; without it (a minimal install) this parity check is skipped.
    fl = pytest.importorskip("fairlearn.metrics")
    rng = np.random.default_rng(5)
    n = 20_000
    group = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y = rng.integers(0, 2, n)
    bias = np.select([group == "a", group == "b"], [0.1, -0.1], 0.0)
    pred = (rng.random(n) < 0.4 + 0.3 * y + bias).astype(int)
    (f,) = metrics.fairness(y, pred, {"group": group})
    assert close(
        f.demographic_parity_difference,
        fl.demographic_parity_difference(y, pred, sensitive_features=group),
    )
    assert close(
        f.demographic_parity_ratio, fl.demographic_parity_ratio(y, pred, sensitive_features=group)
    )
    assert close(
        f.equalized_odds_difference, fl.equalized_odds_difference(y, pred, sensitive_features=group)
    )
    assert close(
        f.equal_opportunity_difference,
        fl.equal_opportunity_difference(y, pred, sensitive_features=group),
    )
    sel = fl.MetricFrame(
        metrics=fl.selection_rate, y_true=y, y_pred=pred, sensitive_features=group
    ).by_group
    for g in f.groups:
        assert close(g.selection_rate, float(sel[g.group]))
    assert f.four_fifths_rule_violated == (f.demographic_parity_ratio < 0.8)


def test_fairness_handles_empty_groups() -> None:
    (f,) = metrics.fairness([1, 0, 1, 0], [1, 1, 0, 0], {"g": ["x", "x", "y", "y"]})
    by = {g.group: g for g in f.groups}
    assert by["x"].selection_rate == 1.0 and by["y"].selection_rate == 0.0
    assert f.demographic_parity_ratio == 0.0 and f.four_fifths_rule_violated
    with pytest.raises(ValueError, match="binary"):
        metrics.fairness([0, 1, 2], [0, 1, 2], {"g": ["a", "b", "c"]})


# -- change against a baseline ---------------------------------------------------------------


def perf(n: int, acc: float, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s = np.clip(np.where(rng.random(n) < acc, y, 1 - y) * 0.6 + rng.random(n) * 0.4, 0, 1)
    return metrics.classification(y, scores=s)


def test_compare_performance_flags_real_drops_only() -> None:
    base = perf(20_000, 0.9, 1)
    same = perf(20_000, 0.9, 2)
    worse = perf(20_000, 0.8, 3)
    assert not any(f.flagged for f in metrics.compare_performance(base, same))
    flagged = {f.method for f in metrics.compare_performance(base, worse) if f.flagged}
    assert {"accuracy", "roc_auc"} <= flagged
    # Samples of an unchanged model raise an alarm (any metric) in at most alpha of the
    # comparisons, thanks to the correction across metrics; tiny ones never do.
    alarms = sum(
        any(f.flagged for f in metrics.compare_performance(base, perf(300, 0.9, seed)))
        for seed in range(10, 110)
    )
    assert alarms <= 8
    for seed in range(5):
        assert not any(f.flagged for f in metrics.compare_performance(base, perf(25, 0.5, seed)))
    rb, rw = (
        metrics.regression([1.0, 2, 3, 4] * 500, [1.1, 2, 3, 4] * 500),
        metrics.regression([1.0, 2, 3, 4] * 500, [2.0, 3, 2, 5] * 500),
    )
    assert {f.method for f in metrics.compare_performance(rb, rw) if f.flagged} == {"mae", "rmse"}
    assert all(f.category == "performance" for f in metrics.compare_performance(rb, rw))
