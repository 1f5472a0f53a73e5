"""driftline.metrics against scikit-learn (and NumPy), side by side in one run.

    python benches/bench_metrics.py [--quick] [--json FILE]

Data (10M rows, seeded): y ~ Bernoulli(0.3), scores ~ Beta(2 + 3y, 5 - 3y) clipped to [0, 1],
predictions = scores >= 0.5 (int64 0/1); a 10-class task with skewed classes and 75% correct
predictions; 20 segments as an Arrow dictionary column (and the same decoded to strings);
regression y ~ N(100, 20), prediction = y + N(0, 5). Labels reach driftline as pyarrow arrays
built once, outside the timed region, zero-copy from the int64 NumPy arrays; scikit-learn and
NumPy get the NumPy arrays. Only the computation is timed.

Timing: driftline and NumPy: median of ``--repeat`` runs after one warm-up (as bench_core);
scikit-learn takes seconds per call on 10M rows, so it is the best (minimum) of
``--ref-repeat`` runs, no warm-up -- which favours the reference. Each driftline timing
includes building the accumulator and deriving the metrics (``result_from``). "all cores" rows
use every core; "one core" rows rerun driftline in a child process with RAYON_NUM_THREADS=1
and take the ratio against the same reference timings (scikit-learn and np.bincount are
single-threaded). A second table splits driftline's time (label encoding, counting, scores,
derivation) for diagnosis.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

import driftline
from driftline import _core, metrics

K = 10  # classes of the multiclass task
SEGMENTS = 20


# ------------------------------------------------------------------------------------------
# Timing
# ------------------------------------------------------------------------------------------


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median of ``repeat`` runs after one warm-up (bench_core.timeit), and the last result."""
    out = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best of ``repeat`` runs, no warm-up: for the slow reference calls."""
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------


def make_data(n: int) -> dict[str, Any]:
    rng = np.random.default_rng(7)
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = np.clip(rng.beta(2.0 + 3.0 * y, 5.0 - 3.0 * y), 0.0, 1.0)
    p = (s >= 0.5).astype(np.int64)
    w = 1.0 / np.arange(1, K + 1)  # skewed class frequencies
    ym = rng.choice(K, size=n, p=w / w.sum()).astype(np.int64)
    pm = np.where(rng.random(n) < 0.75, ym, rng.integers(0, K, n)).astype(np.int64)
    codes = rng.integers(0, SEGMENTS, n).astype(np.int32)
    seg_dict = pa.DictionaryArray.from_arrays(
        pa.array(codes), pa.array([f"segment_{i:02d}" for i in range(SEGMENTS)])
    )
    rt = rng.normal(100.0, 20.0, n)
    rp = rt + rng.normal(0.0, 5.0, n)
    d = {
        "n": n,
        "y": y,
        "s": s,
        "p": p,
        "pos_u8": y.astype(np.uint8),
        "ym": ym,
        "pm": pm,
        "seg_dict": seg_dict,
        "seg_str": seg_dict.dictionary_decode(),
        "rt": rt,
        "rp": rp,
    }
    for k in ("y", "p", "ym", "pm"):
        arr = pa.array(d[k])
        assert arr.buffers()[1].address == d[k].ctypes.data, f"{k}: pa.array copied"
        d[k + "_pa"] = arr
    return d


# ------------------------------------------------------------------------------------------
# driftline
# ------------------------------------------------------------------------------------------


def perf_result(
    task: str, labels: list[int], t: Any, p: Any, s: Any, segs: dict[str, Any]
) -> metrics.ClassificationResult:
    perf = driftline.Performance(task, labels=labels, segmentations=list(segs))
    perf.update(t, p, s, list(segs.values()))
    return metrics.result_from(perf)


def driftline_measures(d: dict[str, Any], repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Seconds of each driftline measure, and the results (for the parity checks)."""
    yt, yp, s = d["y_pa"], d["p_pa"], d["s"]
    mt, mp = d["ym_pa"], d["pm_pa"]
    b, m = [0, 1], list(range(K))
    seg = {"segment": d["seg_dict"]}
    cases: dict[str, Callable[[], Any]] = {
        # 1. confusion matrix + precision/recall/F1
        "bin_c": lambda: perf_result("binary", b, yt, yp, None, {}),
        "bin_c_e2e": lambda: metrics.classification(yt, yp, labels=b),
        "mc_c": lambda: perf_result("multiclass", m, mt, mp, None, {}),
        "mc_c_e2e": lambda: metrics.classification(mt, mp, labels=m),
        # 2. exact ROC AUC
        "roc_exact": lambda: _core.roc_auc_exact(s, d["pos_u8"]),
        "scores_e2e": lambda: metrics.classification(yt, scores=s, labels=b),
        # 3./4. streaming: confusion from the scores, binned AUC, log loss, Brier, ECE
        "stream": lambda: perf_result("binary", b, yt, None, s, {}),
        # 5. segments
        "bin_cs": lambda: perf_result("binary", b, yt, yp, s, {}),
        "bin_cs_seg": lambda: perf_result("binary", b, yt, yp, s, seg),
        "bin_cs_seg_str": lambda: perf_result("binary", b, yt, yp, s, {"segment": d["seg_str"]}),
        "bin_c_seg": lambda: perf_result("binary", b, yt, yp, None, seg),
        # extra: regression
        "reg": lambda: metrics.regression(d["rt"], d["rp"]),
    }
    times, results = {}, {}
    for key, fn in cases.items():
        times[key], results[key] = median_time(fn, repeat)
    return times, results


def breakdown(d: dict[str, Any], repeat: int) -> list[tuple[str, float, int]]:
    """Where driftline's time goes (update without derivation, label encoding, ...), with the
    minor page faults of one call: each fresh 4-byte-per-row buffer of 10M rows costs ~9,800
    (4 KiB pages) unless the allocator reuses memory."""
    yt, yp, s = d["y_pa"], d["p_pa"], d["s"]
    seg = [d["seg_dict"]]

    def update(task: str, labels: list[int], t: Any, p: Any, sc: Any, sg: list[Any]) -> Any:
        perf = driftline.Performance(task, labels=labels, segmentations=["segment"] if sg else [])
        perf.update(t, p, sc, sg)
        return perf

    b, m = [0, 1], list(range(K))
    enc_b = driftline.Performance("binary", labels=b)
    enc_m = driftline.Performance("multiclass", labels=m)
    filled = update("binary", b, yt, yp, s, [])
    filled_seg = update("binary", b, yt, yp, s, seg)
    filled_mc = update("multiclass", m, d["ym_pa"], d["pm_pa"], None, [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("Performance.encode_labels(y), binary", lambda: enc_b.encode_labels(yt)),
            ("Performance.encode_labels(y), 10-class", lambda: enc_m.encode_labels(d["ym_pa"])),
            ("update(y, y_pred), binary", lambda: update("binary", b, yt, yp, None, [])),
            (
                "update(y, y_pred), 10-class",
                lambda: update("multiclass", m, d["ym_pa"], d["pm_pa"], None, []),
            ),
            ("update(y, scores)", lambda: update("binary", b, yt, None, s, [])),
            ("update(y, y_pred, scores)", lambda: update("binary", b, yt, yp, s, [])),
            (
                "update(y, y_pred, scores), 20 segments (dictionary)",
                lambda: update("binary", b, yt, yp, s, seg),
            ),
            (
                "update(y, y_pred, scores), 20 segments (string)",
                lambda: update("binary", b, yt, yp, s, [d["seg_str"]]),
            ),
            (
                "update(y, y_pred), 20 segments (dictionary)",
                lambda: update("binary", b, yt, yp, None, seg),
            ),
            ("result_from(perf), binary with scores", lambda: metrics.result_from(filled)),
            ("result_from(perf), 10-class", lambda: metrics.result_from(filled_mc)),
            (
                "result_from(perf), binary with scores, 20 segments",
                lambda: metrics.result_from(filled_seg),
            ),
            ("_core.roc_auc_exact(scores, positive)", lambda: _core.roc_auc_exact(s, d["pos_u8"])),
            (
                "_core.average_precision_exact(scores, positive)",
                lambda: _core.average_precision_exact(s, d["pos_u8"]),
            ),
        ]
        out = []
        for name, fn in cases:
            secs = median_time(fn, repeat)[0]
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            fn()
            out.append((name, secs, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0))
        return out


# ------------------------------------------------------------------------------------------
# References
# ------------------------------------------------------------------------------------------


def np_confusion(y: np.ndarray, p: np.ndarray, k: int) -> tuple[np.ndarray, float, float, float]:
    """Confusion matrix by np.bincount and the per-class precision/recall/F1 (macro means)."""
    cm = np.bincount(y * k + p, minlength=k * k).reshape(k, k)
    tp = np.diag(cm).astype(np.float64)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(actual > 0, tp / actual, 0.0)
        f1 = np.where(predicted + actual > 0, 2 * tp / (predicted + actual), 0.0)
    if k == 2:  # average="binary", positive class 1
        return cm, float(precision[1]), float(recall[1]), float(f1[1])
    return cm, float(precision.mean()), float(recall.mean()), float(f1.mean())


def reference_measures(
    d: dict[str, Any], repeat: int, ref_repeat: int
) -> tuple[dict[str, float], dict[str, Any]]:
    from sklearn.metrics import (  # type: ignore[import-untyped]
        average_precision_score,
        confusion_matrix,
        log_loss,
        mean_absolute_error,
        mean_squared_error,
        precision_recall_fscore_support,
        r2_score,
        roc_auc_score,
    )

    y, p, s, ym, pm = d["y"], d["p"], d["s"], d["ym"], d["pm"]
    b, m = [0, 1], list(range(K))

    def sk_conf(t: np.ndarray, q: np.ndarray, labels: list[int], average: str) -> Any:
        cm = confusion_matrix(t, q, labels=labels)
        return cm, precision_recall_fscore_support(t, q, labels=labels, average=average)

    def sk_reg() -> tuple[float, float, float]:
        rt, rp = d["rt"], d["rp"]
        return mean_absolute_error(rt, rp), mean_squared_error(rt, rp), r2_score(rt, rp)

    numpy_cases = {
        "np_bin": lambda: np_confusion(y, p, 2),
        "np_mc": lambda: np_confusion(ym, pm, K),
    }
    sk_cases = {
        "sk_bin": lambda: sk_conf(y, p, b, "binary"),
        "sk_mc": lambda: sk_conf(ym, pm, m, "macro"),
        "sk_roc": lambda: roc_auc_score(y, s),
        "sk_ap": lambda: average_precision_score(y, s),
        "sk_logloss": lambda: log_loss(y, s),
        "sk_reg": sk_reg,
    }
    times, results = {}, {}
    for key, fn in numpy_cases.items():
        times[key], results[key] = median_time(fn, repeat)
    for key, fn in sk_cases.items():
        times[key], results[key] = best_time(fn, ref_repeat)
    return times, results


# ------------------------------------------------------------------------------------------
# Parity: the benchmark only counts if the numbers agree
# ------------------------------------------------------------------------------------------


def check_parity(ours: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    notes = []
    for key, npk, skk in (("bin_c", "np_bin", "sk_bin"), ("mc_c", "np_mc", "sk_mc")):
        for k2 in (key, key + "_e2e"):
            r = ours[k2]
            cm_np, prec, rec, f1 = ref[npk]
            cm_sk, (sp, sr, sf, _) = ref[skk]
            assert np.array_equal(r.confusion_matrix, cm_np), f"{k2}: confusion != numpy"
            assert np.array_equal(r.confusion_matrix, cm_sk), f"{k2}: confusion != sklearn"
            for a, b_np, b_sk in ((r.precision, prec, sp), (r.recall, rec, sr), (r.f1, f1, sf)):
                assert abs(a - b_np) < 1e-12 and abs(a - b_sk) < 1e-12, (k2, a, b_np, b_sk)
    notes.append("confusion matrices identical to sklearn and numpy; P/R/F1 within 1e-12")
    d_roc = abs(ours["roc_exact"] - ref["sk_roc"])
    d_e2e = abs(ours["scores_e2e"].roc_auc - ref["sk_roc"])
    d_ap = abs(ours["scores_e2e"].pr_auc - ref["sk_ap"])
    assert max(d_roc, d_e2e, d_ap) < 1e-9, (d_roc, d_e2e, d_ap)
    notes.append(
        f"exact ROC AUC - sklearn: {d_roc:.1e} (isolated), {d_e2e:.1e} (classification); "
        f"average precision - sklearn: {d_ap:.1e}"
    )
    d_ll = abs(ours["stream"].log_loss - ref["sk_logloss"])
    assert d_ll < 1e-9, d_ll
    notes.append(f"streaming log loss - sklearn: {d_ll:.1e}")
    g = ours["reg"]
    mae, mse, r2 = ref["sk_reg"]
    rel = max(abs(g.mae - mae) / mae, abs(g.mse - mse) / mse, abs(g.r2 - r2))
    assert rel < 1e-9, rel
    notes.append(f"regression mae/mse/r2 vs sklearn: max relative difference {rel:.1e}")
    return notes


# ------------------------------------------------------------------------------------------
# One-core child
# ------------------------------------------------------------------------------------------

ONE_CORE = ["bin_c", "mc_c", "roc_exact", "stream", "bin_cs", "bin_cs_seg", "reg"]  # timed keys


def one_core_child(n: int, repeat: int) -> None:
    d = make_data(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        times, _ = driftline_measures(d, repeat)
    print(json.dumps({k: times[k] for k in ONE_CORE}))


def bench_one_core(n: int, repeat: int) -> dict[str, float]:
    from bench_core import run_one_core

    result: dict[str, float] = run_one_core(__file__, n, repeat)
    return result


# ------------------------------------------------------------------------------------------
# Table
# ------------------------------------------------------------------------------------------


def fmt_t(t: float) -> str:
    return f"{t * 1e3:.1f} ms" if t < 1.0 else f"{t:.2f} s"


def speed_row(
    name: str, ours: float, ref: float, ref_name: str, target: float | None
) -> dict[str, Any]:
    ratio = ref / ours
    return {
        "measure": name,
        "driftline": fmt_t(ours),
        "reference": f"{ref_name}: {fmt_t(ref)}",
        "ratio": f"{ratio:.1f}x",
        "target": "-" if target is None else f">= {target:g}x",
        "status": "-" if target is None else ("met" if ratio >= target else "MISSED"),
        "driftline_s": ours,
        "reference_s": ref,
    }


def slowdown_row(
    name: str, ours: float, base: float, base_name: str, target: float
) -> dict[str, Any]:
    ratio = ours / base
    return {
        "measure": name,
        "driftline": fmt_t(ours),
        "reference": f"{base_name}: {fmt_t(base)}",
        "ratio": f"{ratio:.2f}x the unsegmented time",
        "target": f"<= {target:g}x",
        "status": "met" if ratio <= target else "MISSED",
        "driftline_s": ours,
        "reference_s": base,
    }


def value_row(name: str, value: float, ref: str, target: float | None) -> dict[str, Any]:
    return {
        "measure": name,
        "driftline": f"{value:.2e}",
        "reference": ref,
        "ratio": "-",
        "target": "-" if target is None else f"<= {target:g}",
        "status": "-" if target is None else ("met" if value <= target else "MISSED"),
        "driftline_s": value,
        "reference_s": None,
    }


SK_CONF = "sklearn confusion_matrix + precision_recall_fscore_support"
NP_CONF = "np.bincount + arithmetic"
SK_ROC = "sklearn roc_auc_score"
SK_LL = "sklearn log_loss"
SK_REG = "sklearn mae + mse + r2_score"
UNSEG = "same, unsegmented"

# (measure, driftline key, reference key(s), reference name, target ratio); "t:" is a driftline
# key (a slowdown row: the ratio is driftline / that time, the target a maximum).
ALL_CORES: list[tuple[str, str, str, str, float | None]] = [
    ("binary confusion + P/R/F1, Performance + result_from", "bin_c", "sk_bin", SK_CONF, 50),
    ("binary confusion + P/R/F1, Performance + result_from", "bin_c", "np_bin", NP_CONF, 1.5),
    (
        "binary confusion + P/R/F1, metrics.classification(y, yp)",
        "bin_c_e2e",
        "sk_bin",
        SK_CONF,
        50,
    ),
    (
        "binary confusion + P/R/F1, metrics.classification(y, yp)",
        "bin_c_e2e",
        "np_bin",
        NP_CONF,
        1.5,
    ),
    ("10-class confusion + P/R/F1, Performance + result_from", "mc_c", "sk_mc", SK_CONF, 50),
    ("10-class confusion + P/R/F1, Performance + result_from", "mc_c", "np_mc", NP_CONF, 1.5),
    (
        "10-class confusion + P/R/F1, metrics.classification(y, yp)",
        "mc_c_e2e",
        "sk_mc",
        SK_CONF,
        50,
    ),
    (
        "10-class confusion + P/R/F1, metrics.classification(y, yp)",
        "mc_c_e2e",
        "np_mc",
        NP_CONF,
        1.5,
    ),
    ("exact ROC AUC, _core.roc_auc_exact", "roc_exact", "sk_roc", SK_ROC, 10),
    (
        "metrics.classification(y, scores=s): exact ROC AUC + AP + every score metric",
        "scores_e2e",
        "sk_roc+sk_ap",
        "sklearn roc_auc_score + average_precision_score",
        None,
    ),
    ("streaming AUC: Performance(y, scores) + result_from", "stream", "sk_roc", SK_ROC, 50),
    ("log loss: the same streaming pass", "stream", "sk_logloss", SK_LL, 10),
    ("binary confusion + scores, 20 segments (dictionary)", "bin_cs_seg", "t:bin_cs", UNSEG, 2),
    ("binary confusion + scores, 20 segments (string)", "bin_cs_seg_str", "t:bin_cs", UNSEG, 2),
    ("binary confusion only, 20 segments (dictionary)", "bin_c_seg", "t:bin_c", UNSEG, 2),
    ("regression mae/mse/r2 (+ mape, smape, quantiles)", "reg", "sk_reg", SK_REG, None),
]
ONE_CORE_ROWS: list[tuple[str, str, str, str, float | None]] = [
    ("binary confusion + P/R/F1, Performance + result_from", "bin_c", "sk_bin", SK_CONF, 50),
    ("binary confusion + P/R/F1, Performance + result_from", "bin_c", "np_bin", NP_CONF, 1.5),
    ("10-class confusion + P/R/F1, Performance + result_from", "mc_c", "sk_mc", SK_CONF, 50),
    ("10-class confusion + P/R/F1, Performance + result_from", "mc_c", "np_mc", NP_CONF, 1.5),
    ("exact ROC AUC, _core.roc_auc_exact", "roc_exact", "sk_roc", SK_ROC, 10),
    ("streaming AUC: Performance(y, scores) + result_from", "stream", "sk_roc", SK_ROC, 50),
    ("log loss: the same streaming pass", "stream", "sk_logloss", SK_LL, 10),
    ("binary confusion + scores, 20 segments (dictionary)", "bin_cs_seg", "t:bin_cs", UNSEG, 2),
    ("regression mae/mse/r2 (+ mape, smape, quantiles)", "reg", "sk_reg", SK_REG, None),
]


def timed_rows(
    spec: list[tuple[str, str, str, str, float | None]],
    ours: dict[str, float],
    ref: dict[str, float],
    suffix: str,
    rr: int,
) -> list[dict[str, Any]]:
    out = []
    for name, key, ref_key, ref_name, target in spec:
        if ref_key.startswith("t:"):
            assert target is not None
            out.append(slowdown_row(name + suffix, ours[key], ours[ref_key[2:]], ref_name, target))
        else:
            ref_t = sum(ref[k] for k in ref_key.split("+"))
            if ref_name.startswith("sklearn"):
                ref_name += f" (best of {rr})"
            out.append(speed_row(name + suffix, ours[key], ref_t, ref_name, target))
    return out


def build_rows(
    n: int,
    t: dict[str, float],
    r: dict[str, float],
    res: dict[str, Any],
    ref_res: dict[str, Any],
    one: dict[str, float] | None,
    rr: int,
) -> list[dict[str, Any]]:
    rows = timed_rows(ALL_CORES, t, r, f", {n / 1e6:g}M rows, all cores", rr)
    stream = res["stream"]
    rows.insert(
        11,
        value_row(
            "streaming ROC AUC error, |streaming - exact|",
            abs(stream.roc_auc - res["roc_exact"]),
            f"reported bound roc_auc_bound = {stream.roc_auc_bound:.2e}",
            1e-4,
        ),
    )
    rows.insert(
        13,
        value_row(
            "log loss, |driftline - sklearn|",
            abs(stream.log_loss - ref_res["sk_logloss"]),
            "-",
            None,
        ),
    )
    if one:
        rows += timed_rows(ONE_CORE_ROWS, one, r, f", {n / 1e6:g}M rows, one core", rr)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1M rows, for a smoke run")
    ap.add_argument("--rows", type=int, help="rows (default 10M, --quick 1M)")
    ap.add_argument("--repeat", type=int, help="driftline/numpy runs, median (default 7)")
    ap.add_argument("--ref-repeat", type=int, default=2, help="sklearn runs, best of (2)")
    ap.add_argument("--no-one-core", action="store_true", help="skip the one-core child")
    ap.add_argument("--one-core-child", nargs=2, type=int)
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    if args.one_core_child:
        one_core_child(*args.one_core_child)
        return
    n = args.rows or (1_000_000 if args.quick else 10_000_000)
    repeat = args.repeat or (3 if args.quick else 7)
    load_start = loadavg()
    t_start = time.perf_counter()

    one = None if args.no_one_core else bench_one_core(n, repeat)
    d = make_data(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, res = driftline_measures(d, repeat)
    r, ref_res = reference_measures(d, repeat, args.ref_repeat)
    notes = check_parity(res, ref_res)
    parts = breakdown(d, repeat)
    rows = build_rows(n, t, r, res, ref_res, one, args.ref_repeat)

    print(
        f"\nmachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"driftline threads {_core.num_threads()}, python {platform.python_version()}, "
        f"numpy {np.__version__}, pyarrow {pa.__version__}, "
        f"scikit-learn {__import__('sklearn').__version__}; "
        f"load average {load_start} at start, {loadavg()} at end; "
        f"run {time.perf_counter() - t_start:.0f} s\n"
        f"driftline and numpy: median of {repeat} after a warm-up; "
        f"sklearn: best of {args.ref_repeat}\n"
    )
    print("| measure | driftline | reference | ratio | target | status |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['measure']} | {row['driftline']} | {row['reference']} | {row['ratio']} "
            f"| {row['target']} | {row['status']} |"
        )
    print("\nparity: " + "; ".join(notes))
    print(f"\nwhere driftline's time goes ({n / 1e6:g}M rows, all cores, median of {repeat}):\n")
    print("| step | time | minor page faults per call |")
    print("|---|---|---|")
    for name, secs, faults in parts:
        print(f"| {name} | {fmt_t(secs)} | {faults:,} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "breakdown": parts, "parity": notes}, f, indent=1)


if __name__ == "__main__":
    main()
