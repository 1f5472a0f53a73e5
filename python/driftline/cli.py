"""The ``driftline`` command line."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import driftline
from driftline._core import Profile


def _read_table(path: Path) -> Any:
    import pyarrow.csv
    import pyarrow.parquet as pq

    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return pq.ParquetFile(path)
    if suffix in (".csv", ".tsv"):
        opts = pyarrow.csv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ",")
        return pyarrow.csv.open_csv(path, parse_options=opts)
    raise SystemExit(f"driftline: cannot read {path}: expected .parquet, .csv or .tsv")


def _load_profile_or_data(path: Path, baseline: Profile | None = None) -> Profile:
    if path.suffix.lower() == ".dlp":
        return Profile.from_bytes(path.read_bytes())
    src = _read_table(path)
    if hasattr(src, "iter_batches"):  # Parquet: stream row groups, never the whole file
        import pyarrow as pa

        reader = pa.RecordBatchReader.from_batches(src.schema_arrow, src.iter_batches())
        return driftline.profile(reader, baseline=baseline)
    return driftline.profile(src, baseline=baseline)


def _fmt(x: float | None, width: int = 10) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-".rjust(width)
    ax = abs(x)
    if ax != 0 and (ax >= 1e6 or ax < 1e-3):
        return f"{x:.3e}".rjust(width)
    return f"{x:.4g}".rjust(width)


def max_cdf_gap(ref: driftline.ColumnProfile, cur: driftline.ColumnProfile) -> float | None:
    """Largest gap between the two columns' CDFs, evaluated at the KLL quantiles of both."""
    if ref.valid_count == 0 or cur.valid_count == 0:
        return None
    grid = np.linspace(0.0, 1.0, 201)
    pts = np.unique(np.concatenate([ref.quantile(grid), cur.quantile(grid)]))
    return float(np.max(np.abs(ref.rank(pts) - cur.rank(pts))))


def summary_table(reference: Profile, current: Profile) -> str:
    """A plain-text side-by-side summary of two profiles."""
    lines = [
        f"reference: {reference.row_count:,} rows    current: {current.row_count:,} rows",
        "",
        f"{'column':<14}{'kind':<13}{'missing ref':>12}{'missing cur':>12}"
        f"{'mean/top ref':>14}{'mean/top cur':>14}{'p50 ref':>10}{'p50 cur':>10}{'CDF gap':>9}",
    ]
    for name in reference.columns:
        r = reference[name]
        if name not in current:
            lines.append(f"{name:<14}{r.kind:<13}  (missing from current data)")
            continue
        c = current[name]
        miss_r = (r.count - r.valid_count) / max(r.count, 1)
        miss_c = (c.count - c.valid_count) / max(c.count, 1)
        head = f"{name:<14}{r.kind:<13}{miss_r:>12.2%}{miss_c:>12.2%}"
        if r.kind == "numeric" and c.kind == "numeric":
            gap = max_cdf_gap(r, c)
            p50r = r.quantile(0.5) if r.valid_count else None
            p50c = c.quantile(0.5) if c.valid_count else None
            lines.append(
                head
                + _fmt(r.mean, 14)
                + _fmt(c.mean, 14)
                + _fmt(p50r)
                + _fmt(p50c)
                + ("-" if gap is None else f"{gap:.3f}").rjust(9)
            )
        else:
            top_r = r.top(1)[0][0] if r.valid_count else "-"
            top_c = c.top(1)[0][0] if c.valid_count else "-"
            new = set(c.frequencies) - set(r.frequencies) - {"__other__"}
            extra = f"   new: {', '.join(sorted(new)[:3])}" if new else ""
            lines.append(head + f"{top_r:>14}{top_c:>14}" + " " * 20 + f"{'':>9}" + extra)
    return "\n".join(lines)


def _cmd_demo(args: argparse.Namespace) -> int:
    from driftline._demo import example_data

    t0 = time.perf_counter()
    ref_data = example_data(args.rows, drift=False, seed=args.seed)
    cur_data = example_data(args.rows, drift=True, seed=args.seed)
    t1 = time.perf_counter()
    reference = driftline.profile(ref_data)
    current = driftline.profile(cur_data, baseline=reference)
    t2 = time.perf_counter()
    print(summary_table(reference, current))
    print()
    print(driftline.compare(reference, current))
    print(
        f"\ngenerated 2 x {args.rows:,} rows in {t1 - t0:.2f} s; "
        f"profiled both in {t2 - t1:.3f} s; profile sizes "
        f"{len(reference.to_bytes()):,} and {len(current.to_bytes()):,} bytes"
    )
    return 0


def _write_profile(profile: driftline.Profile, out: Path) -> Path:
    """Write ``profile`` to ``out`` atomically (a temporary file, then a rename)."""
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(profile.to_bytes())
    tmp.replace(out)
    return out


def _cmd_profile(args: argparse.Namespace) -> int:
    prof = _load_profile_or_data(Path(args.data))
    out = _write_profile(prof, Path(args.output))
    print(f"profiled {prof.row_count:,} rows x {len(prof)} columns -> {out}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    ref = _load_profile_or_data(Path(args.reference))
    cur = _load_profile_or_data(Path(args.current), baseline=ref) if args.current else ref
    print(summary_table(ref, cur))
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    cfg = driftline.CompareConfig(preset=args.preset)
    if args.exact:
        paths = [Path(args.baseline), Path(args.current)]
        if any(p.suffix.lower() == ".dlp" for p in paths):
            raise SystemExit("driftline: --exact needs the raw data files, not saved profiles")
        tables = [_read_table(p) for p in paths]
        base, cur = (t.read() if hasattr(t, "iter_batches") else t.read_all() for t in tables)
        report = driftline.compare(base, cur, cfg, exact=True)
    else:
        base = _load_profile_or_data(Path(args.baseline))
        cur = _load_profile_or_data(Path(args.current), baseline=base)
        report = driftline.compare(base, cur, cfg)
    print(report.to_json(indent=1) if args.json else report)
    return 1 if (args.fail_on_drift and report.drifted_columns) else 0


def _cmd_windows(args: argparse.Namespace) -> int:
    from driftline.store import FileStore

    root = Path(args.root)
    if not root.is_dir():
        raise SystemExit(f"driftline: no store at {root}")
    store = FileStore(root)
    start = _time_arg(args.since)
    end = _time_arg(args.until)
    keys = store.keys(model=args.model, version=args.version, start=start, end=end)
    if args.merge:
        merged = store.load_range(start, end, model=args.model, version=args.version)
        if merged is None:
            raise SystemExit("driftline: no window in that range")
        out = _write_profile(merged, Path(args.merge))
        print(f"merged {len(keys)} files, {merged.row_count:,} rows -> {out}")
        return 0
    print(
        f"{'start (UTC)':<27}{'kind':<8}{'requests':>10}{'errors':>8}{'malformed':>10}"
        f"{'p99 ms':>9}  drifted / alerts"
    )
    for key in keys:
        info = store.info(key)
        p99 = info.get("latency_ms", {}).get("0.99")
        drifted = info.get("drifted_columns") or []
        alerts = [a.get("rule") for a in info.get("alerts", []) if a.get("state") == "firing"]
        print(
            f"{info['start_iso'][:26]:<27}{info['kind']:<8}{info['requests']:>10,}"
            f"{info['errors']:>8,}{info['malformed']:>10,}"
            f"{'-' if p99 is None else format(p99, '.1f'):>9}  "
            f"{', '.join(drifted) or '-'} / {', '.join(map(str, alerts)) or '-'}"
        )
    print(f"{len(keys)} files")
    return 0


def _time_arg(value: str | None) -> float | None:
    if value is None:
        return None
    from datetime import datetime, timezone

    try:
        return float(value)
    except ValueError:
        t = datetime.fromisoformat(value)
        return (t if t.tzinfo else t.replace(tzinfo=timezone.utc)).timestamp()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``driftline`` command."""
    parser = argparse.ArgumentParser(prog="driftline", description=__doc__)
    parser.add_argument("--version", action="version", version=driftline.__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="profile built-in reference and drifted data")
    demo.add_argument("--rows", type=int, default=200_000)
    demo.add_argument("--seed", type=int, default=0)
    demo.set_defaults(func=_cmd_demo)
    prof = sub.add_parser("profile", help="profile a Parquet or CSV file into a .dlp file")
    prof.add_argument("data")
    prof.add_argument("-o", "--output", required=True)
    prof.set_defaults(func=_cmd_profile)
    show = sub.add_parser("show", help="summarise a profile or data file (optionally vs another)")
    show.add_argument("reference")
    show.add_argument("current", nargs="?")
    show.set_defaults(func=_cmd_show)
    cmp = sub.add_parser(
        "compare", help="drift and quality findings of CURRENT against BASELINE (data or .dlp)"
    )
    cmp.add_argument("baseline")
    cmp.add_argument("current")
    cmp.add_argument("--json", action="store_true", help="print the report as JSON")
    cmp.add_argument(
        "--preset",
        choices=["driftline", "evidently", "nannyml"],
        default="driftline",
        help="decision rules: driftline's (default), or Evidently's or NannyML's defaults",
    )
    cmp.add_argument(
        "--exact",
        action="store_true",
        help="compute numeric statistics on the raw data (loads both files into memory)",
    )
    cmp.add_argument(
        "--fail-on-drift", action="store_true", help="exit with status 1 when a column drifted"
    )
    cmp.set_defaults(func=_cmd_compare)
    win = sub.add_parser("windows", help="list the windows a monitor saved in a file store")
    win.add_argument("root", help="the FileStore folder")
    win.add_argument("--model")
    win.add_argument("--version")
    win.add_argument("--since", help="ISO time (UTC unless it says otherwise) or epoch seconds")
    win.add_argument("--until", help="end of the range (exclusive), same forms as --since")
    win.add_argument("--merge", metavar="OUT.dlp", help="merge the range into one profile file")
    win.set_defaults(func=_cmd_windows)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except driftline.DriftlineError as e:
        print(f"driftline: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
