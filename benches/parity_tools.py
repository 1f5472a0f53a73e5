"""Per-column parity of driftline's compatibility presets with the tools themselves.

    python benches/parity_tools.py --reference-python /path/to/venv/bin/python [--out DIR]

On small synthetic datasets written to Parquet, ``driftline.compare(ref, cur,
preset="evidently")`` is held against Evidently's legacy ``DataDriftPreset``
(``drift_by_columns``: stattest_name, drift_score, drift_detected), and ``preset="nannyml"``
against NannyML's ``UnivariateDriftCalculator`` (jensen_shannon, kolmogorov_smirnov and
wasserstein values, one chunk). The reference tools run under ``--reference-python``
(``_reference_tools.py parity``), driftline here, both on the same files.

The datasets exercise both branches of Evidently's default choice (reference rows <= 1000: KS,
chi-square, z; above: normed Wasserstein and Jensen-Shannon), numeric columns with 1, 2, 3 and 5
distinct values, a value or category absent from the reference, nulls (valid rows just below
1000 while total rows are above), categorical columns, and categorical columns with more than
10,000 distinct values (a profile's default ``category_cap``). Two datasets have 20,000 and
100,000 reference rows, past the 10,000 from which NannyML estimates KS and Wasserstein from
10,000 bins while driftline's exact mode computes them exactly; their KS/Wasserstein
differences are reported apart, as expected differences.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from _reference_tools import EVIDENTLY_METHODS, NANNYML_METHODS

import driftline

HERE = Path(__file__).resolve().parent

NANNYML_EXACT_LIMIT = 10_000
# Values agree when within either tolerance.
ABS_TOL, REL_TOL = 1e-9, 1e-6

# (name, reference rows, current rows, seed)
DATASETS = [
    ("small_500", 500, 700, 1),
    ("edge_1010_with_nulls", 1010, 900, 2),
    ("mid_5000", 5000, 4000, 3),
    ("mid_9000_no_drift", 9000, 6000, 4),
    ("large_20000", 20_000, 15_000, 5),
    ("high_cardinality_100000", 100_000, 100_000, 6),
]


def with_nulls(values: np.ndarray, share: float, rng: np.random.Generator) -> pa.Array:
    mask = rng.random(values.size) < share
    return pa.array(values, mask=mask)


def make_side(n: int, rng: np.random.Generator, drift: bool, null_share: float) -> pa.Table:
    """One side of a dataset; ``drift`` moves the columns named ``*_drift``, ``*_new`` and
    ``*_shift``, the others keep their distribution."""
    d = 1.0 if drift else 0.0
    cats8 = np.array([f"k{i}" for i in range(8)], dtype=object)
    p8 = np.full(8, 1 / 8)
    p8_drift = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05])
    cols: dict[str, Any] = {
        "num_normal": rng.normal(0.0, 1.0, n),
        "num_shift": rng.normal(0.25 * d, 1.0, n),
        "num_lognormal_drift": rng.lognormal(0.0, 1.0 + 0.3 * d, n),
        "num_int15": rng.integers(0, 15, n).astype(np.int64),
        "num_five_drift": rng.choice(
            np.array([0, 1, 2, 3, 4], dtype=np.int64),
            n,
            p=[0.2, 0.2, 0.2, 0.2, 0.2] if not drift else [0.3, 0.25, 0.2, 0.15, 0.1],
        ),
        "num_three_shift": rng.choice(
            np.array([1.0, 2.0, 5.0]), n, p=[0.4 + 0.1 * d, 0.3, 0.3 - 0.1 * d]
        ),
        "num_two": rng.choice(np.array([0.0, 1.0]), n, p=[0.6, 0.4]),
        "num_two_shift": rng.choice(np.array([0.0, 1.0]), n, p=[0.6 - 0.1 * d, 0.4 + 0.1 * d]),
        "num_const": np.full(n, 7.0),
        # A fourth value appears only in the current data.
        "num_new": rng.choice(
            np.array([1.0, 2.0, 3.0, 9.0]), n, p=[0.4, 0.3, 0.3 - 0.05 * d, 0.05 * d]
        ),
        "num_nulls_shift": with_nulls(rng.normal(0.15 * d, 1.0, n), null_share, rng),
        "cat_uniform": pa.array(cats8[rng.choice(8, n, p=p8)], pa.string()),
        "cat_drift": pa.array(cats8[rng.choice(8, n, p=p8_drift if drift else p8)], pa.string()),
        "cat_two": pa.array(
            np.array(["yes", "no"], dtype=object)[rng.choice(2, n, p=[0.7, 0.3])], pa.string()
        ),
        "cat_const": pa.array(np.full(n, "only", dtype=object), pa.string()),
        "cat_new": pa.array(
            np.array(["a", "b", "c", "zz"], dtype=object)[
                rng.choice(4, n, p=[0.5, 0.3, 0.2 - 0.04 * d, 0.04 * d])
            ],
            pa.string(),
        ),
        "cat_nulls": with_nulls(
            np.array(["x", "y", "z"], dtype=object)[rng.choice(3, n, p=[0.5, 0.3, 0.2])],
            null_share,
            rng,
        ),
    }
    cols = {k: v if isinstance(v, pa.Array) else pa.array(v) for k, v in cols.items()}
    cols["cat_nulls"] = cols["cat_nulls"].cast(pa.string())
    return pa.table(cols)


def high_cardinality(n_ref: int, n_cur: int, rng: np.random.Generator) -> tuple[pa.Table, pa.Table]:
    """Categorical columns with more distinct values than a profile counts exactly by default
    (``category_cap``, 10,000): 12,000 values on both sides, and 15,000 values in the reference
    against 17,000 in the current data."""

    def side(n: int, k_same: int, k_new: int) -> pa.Table:
        return pa.table(
            {
                "num_normal": rng.normal(0.0, 1.0, n),
                "cat_high_same": pa.array([f"v{i}" for i in rng.integers(0, k_same, n)]),
                "cat_high_new": pa.array([f"w{i}" for i in rng.integers(0, k_new, n)]),
            }
        )

    return side(n_ref, 12_000, 15_000), side(n_cur, 12_000, 17_000)


def make_dataset(name: str, n_ref: int, n_cur: int, seed: int) -> tuple[pa.Table, pa.Table]:
    rng = np.random.default_rng(seed)
    if name.startswith("high_cardinality"):
        return high_cardinality(n_ref, n_cur, rng)
    drift = not name.endswith("no_drift")
    # 2% nulls: for the 1,010-row dataset the valid reference rows of the columns with nulls
    # fall to about 990, which is Evidently's small-sample branch.
    return make_side(n_ref, rng, False, 0.02), make_side(n_cur, rng, drift, 0.02)


def run_reference(python: str, ref: str, cur: str, categorical: list[str]) -> dict[str, Any]:
    cmd = [
        python,
        str(HERE / "_reference_tools.py"),
        "parity",
        "--ref",
        ref,
        "--cur",
        cur,
        "--categorical",
        ",".join(categorical),
    ]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"reference run failed on {ref}")
    out: dict[str, Any] = json.loads(p.stdout.strip().splitlines()[-1])
    return out


def drift_findings(report: driftline.DriftReport) -> dict[tuple[str, str], driftline.Finding]:
    return {(f.column, f.method): f for f in report.findings if f.category == "drift"}


def diff(ours: float | None, theirs: float | None) -> tuple[float, float]:
    """Absolute and relative difference; infinities agree with infinities of the same sign,
    and a missing value on one side only is an infinite difference."""
    if ours is None or theirs is None:
        return (0.0, 0.0) if ours is None and theirs is None else (math.inf, math.inf)
    if math.isinf(ours) or math.isinf(theirs):
        return (0.0, 0.0) if ours == theirs else (math.inf, math.inf)
    a = abs(ours - theirs)
    if a == 0.0:
        return 0.0, 0.0
    return a, a / abs(theirs) if theirs != 0.0 else math.inf


def agree(a: float, r: float) -> bool:
    return a <= ABS_TOL or r <= REL_TOL


def compare_evidently(
    name: str, table: pa.Table, cur: pa.Table, ev: dict[str, Any]
) -> list[dict[str, Any]]:
    report = driftline.compare(table, cur, preset="evidently")
    found = drift_findings(report)
    rows = []
    for column, theirs in ev["columns"].items():
        method = EVIDENTLY_METHODS.get(theirs["stattest_name"], theirs["stattest_name"])
        ours = [f for (c, _), f in found.items() if c == column]
        f = next((x for x in ours if x.method == method), None)
        row: dict[str, Any] = {
            "dataset": name,
            "column": column,
            "evidently_method": theirs["stattest_name"],
            "method": method,
            "driftline_methods": [x.method for x in ours],
            "evidently_score": theirs["drift_score"],
            "evidently_drift": theirs["drift_detected"],
        }
        if f is None:
            row.update(
                method_match=False,
                driftline_score=None,
                driftline_drift=None,
                abs_diff=math.inf,
                rel_diff=math.inf,
                verdict_match=False,
            )
        else:
            score = f.pvalue if method in ("ks", "chi2", "z") else f.statistic
            a, r = diff(score, theirs["drift_score"])
            row.update(
                method_match=True,
                driftline_score=score,
                driftline_drift=f.flagged,
                abs_diff=a,
                rel_diff=r,
                verdict_match=f.flagged == theirs["drift_detected"],
                driftline_bound=f.bound,
                driftline_detail=f.detail,
            )
        rows.append(row)
    return rows


def compare_nannyml(
    name: str, table: pa.Table, cur: pa.Table, nml: dict[str, Any]
) -> list[dict[str, Any]]:
    report = driftline.compare(table, cur, preset="nannyml")
    found = drift_findings(report)
    n_ref = table.num_rows
    rows = []
    for column, methods in nml["columns"].items():
        for their_method, v in methods.items():
            method = NANNYML_METHODS.get(their_method, their_method)
            f = found.get((column, method))
            ours = None if f is None else f.statistic
            a, r = diff(ours, v.get("value"))
            rows.append(
                {
                    "dataset": name,
                    "n_ref": n_ref,
                    "column": column,
                    "nannyml_method": their_method,
                    "method": method,
                    "nannyml_value": v.get("value"),
                    "nannyml_alert": v.get("alert"),
                    "nannyml_upper_threshold": v.get("upper_threshold"),
                    "driftline_value": ours,
                    "driftline_drift": None if f is None else f.flagged,
                    "driftline_bound": None if f is None else f.bound,
                    "driftline_detail": None if f is None else f.detail,
                    "abs_diff": a,
                    "rel_diff": r,
                    # Past 10,000 reference rows NannyML bins KS and Wasserstein; exact here.
                    "expected_difference": n_ref >= NANNYML_EXACT_LIMIT
                    and their_method in ("kolmogorov_smirnov", "wasserstein"),
                }
            )
    return rows


def summarise(
    rows: list[dict[str, Any]], key: str, extra: str | None = None
) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        k = (r[key],) + ((r[extra],) if extra else ())
        groups.setdefault(k, []).append(r)
    out = []
    for k, g in sorted(groups.items(), key=lambda kv: str(kv[0])):
        finite = [r for r in g if math.isfinite(r["abs_diff"])]
        out.append(
            {
                "group": k,
                "n": len(g),
                "max_abs": max((r["abs_diff"] for r in g), default=0.0),
                "max_rel": max(
                    (r["rel_diff"] for r in finite if math.isfinite(r["rel_diff"])), default=0.0
                ),
                "disagree": sum(not agree(r["abs_diff"], r["rel_diff"]) for r in g),
                "verdict_mismatch": sum(not r.get("verdict_match", True) for r in g),
                "method_mismatch": sum(not r.get("method_match", True) for r in g),
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference-python", required=True)
    ap.add_argument("--out", default="bench_tools_results", help="directory for the JSON")
    args = ap.parse_args()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    ev_rows: list[dict[str, Any]] = []
    nml_rows: list[dict[str, Any]] = []
    versions: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="parity_tools_") as tmp:
        for name, n_ref, n_cur, seed in DATASETS:
            ref_t, cur_t = make_dataset(name, n_ref, n_cur, seed)
            rp, cp = Path(tmp) / f"{name}_ref.parquet", Path(tmp) / f"{name}_cur.parquet"
            pq.write_table(ref_t, rp)
            pq.write_table(cur_t, cp)
            categorical = [f.name for f in ref_t.schema if pa.types.is_string(f.type)]
            theirs = run_reference(args.reference_python, str(rp), str(cp), categorical)
            versions = theirs.get("versions", versions)
            # driftline reads the same files.
            ref_r, cur_r = pq.read_table(rp), pq.read_table(cp)
            ev_rows += compare_evidently(name, ref_r, cur_r, theirs["evidently"])
            nml_rows += compare_nannyml(name, ref_r, cur_r, theirs["nannyml"])
            print(
                f"{name}: {n_ref:,} reference rows, {n_cur:,} current rows, "
                f"{ref_t.num_columns} columns",
                flush=True,
            )

    print(f"\nreference tools: {versions}; driftline {driftline.__version__}")
    print(f"agreement: |difference| <= {ABS_TOL:g} or relative difference <= {REL_TOL:g}\n")
    print(
        'Evidently (legacy DataDriftPreset) vs compare(preset="evidently"): score = p-value '
        "of a test, the statistic of a distance\n"
    )
    print(
        "| method | columns | max abs diff | max rel diff | disagree | verdict mismatch "
        "| method mismatch |"
    )
    print("|---|---|---|---|---|---|---|")
    for s in summarise(ev_rows, "method"):
        print(
            f"| {s['group'][0]} | {s['n']} | {s['max_abs']:.3g} | {s['max_rel']:.3g} "
            f"| {s['disagree']} | {s['verdict_mismatch']} | {s['method_mismatch']} |"
        )
    print('\nNannyML (UnivariateDriftCalculator, chunk_number=1) vs compare(preset="nannyml")\n')
    print("| method | reference rows | columns | max abs diff | max rel diff | disagree |")
    print("|---|---|---|---|---|---|")
    for r in nml_rows:
        r["ref_rows"] = ">= 10,000" if r["n_ref"] >= NANNYML_EXACT_LIMIT else "< 10,000"
    for s in summarise(nml_rows, "nannyml_method", "ref_rows"):
        print(
            f"| {s['group'][0]} | {s['group'][1]} | {s['n']} | {s['max_abs']:.3g} "
            f"| {s['max_rel']:.3g} | {s['disagree']} |"
        )

    print("\nPer-column disagreements and verdict mismatches:")
    shown = 0
    for r in ev_rows:
        if not agree(r["abs_diff"], r["rel_diff"]) or not r["verdict_match"]:
            shown += 1
            print(
                f"  evidently {r['dataset']}/{r['column']}: {r['evidently_method']} -> "
                f"{r['method']} (driftline {r['driftline_methods']}); evidently "
                f"{r['evidently_score']!r} drift={r['evidently_drift']}, driftline "
                f"{r['driftline_score']!r} drift={r['driftline_drift']} "
                f"(bound {r.get('driftline_bound')!r}, {r.get('driftline_detail')!r})"
            )
    for r in nml_rows:
        if not agree(r["abs_diff"], r["rel_diff"]):
            shown += 1
            tag = " (expected: NannyML bins past 10,000 rows)" if r["expected_difference"] else ""
            print(
                f"  nannyml {r['dataset']}/{r['column']}: {r['nannyml_method']} nannyml "
                f"{r['nannyml_value']!r}, driftline {r['driftline_value']!r}{tag} "
                f"(bound {r['driftline_bound']!r}, {r['driftline_detail']!r})"
            )
    if not shown:
        print("  none")
    alerts = sum(bool(r["nannyml_alert"]) for r in nml_rows)
    flagged = sum(bool(r["driftline_drift"]) for r in nml_rows)
    print(
        f"\nNannyML alerts: {alerts} of {len(nml_rows)} (column, method) values; driftline "
        f"nannyml-preset flags: {flagged}. NannyML's default thresholds come from the spread "
        "over reference chunks; with one chunk they are not comparable with the preset's "
        "constant 0.1 (see docs/compare.md)."
    )
    path = out_dir / "parity_tools.json"
    path.write_text(
        json.dumps(
            {"versions": versions, "evidently": ev_rows, "nannyml": nml_rows}, indent=1, default=str
        )
    )
    print(f"raw results: {path}")


if __name__ == "__main__":
    main()
