"""The command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest

import driftline
from driftline.cli import main


def test_demo_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--rows", "20000"]) == 0
    out = capsys.readouterr().out
    for name in ["age", "income", "city", "device", "CDF gap", "city_new"]:
        assert name in out


def test_profile_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(0)
    t = pa.table({"x": rng.normal(size=5000), "s": rng.choice(["a", "b"], 5000)})
    pq.write_table(t, tmp_path / "d.parquet", row_group_size=1000)
    t.to_pandas().to_csv(tmp_path / "d.csv", index=False)
    assert main(["profile", str(tmp_path / "d.parquet"), "-o", str(tmp_path / "d.dlp")]) == 0
    p = driftline.Profile.from_bytes((tmp_path / "d.dlp").read_bytes())
    assert p.row_count == 5000 and p["x"].mean == pytest.approx(float(np.mean(t["x"])))
    assert main(["show", str(tmp_path / "d.dlp"), str(tmp_path / "d.csv")]) == 0
    assert "x" in capsys.readouterr().out
    (tmp_path / "bad.dlp").write_bytes(b"nonsense")
    assert main(["show", str(tmp_path / "bad.dlp")]) == 2


def test_compare_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(1)
    pq.write_table(pa.table({"x": rng.normal(size=5000)}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"x": rng.normal(2.0, 1.0, 5000)}), tmp_path / "b.parquet")
    assert main(["compare", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")]) == 0
    assert "FLAG" in capsys.readouterr().out
    argv = ["compare", "--json", "--fail-on-drift", str(tmp_path / "a.parquet")]
    assert main([*argv, str(tmp_path / "b.parquet")]) == 1
    assert '"drifted_columns"' in capsys.readouterr().out


def test_compare_presets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=3000), rng.normal(0.5, 1.0, 3000)
    pq.write_table(pa.table({"x": a}), tmp_path / "a.parquet")
    pa.csv.write_csv(pa.table({"x": b}), tmp_path / "b.csv")
    files = [str(tmp_path / "a.parquet"), str(tmp_path / "b.csv")]
    assert main(["compare", "--json", "--preset", "evidently", "--exact", *files]) == 0
    out = capsys.readouterr().out
    (f,) = [f for f in json.loads(out)["findings"] if f["category"] == "drift"]
    # Evidently above 1,000 reference rows: Wasserstein normed by the reference std.
    from scipy import stats

    want = stats.wasserstein_distance(a, b) / np.std(a)
    assert f["method"] == "wasserstein" and f["statistic"] == pytest.approx(want, rel=1e-9)
    assert main(["compare", "--preset", "nannyml", *files]) == 0
    assert "jensen_shannon" in capsys.readouterr().out
    assert main(["profile", files[0], "-o", str(tmp_path / "a.dlp")]) == 0
    with pytest.raises(SystemExit, match="raw data"):
        main(["compare", "--exact", str(tmp_path / "a.dlp"), files[1]])


def test_windows_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from driftline import Monitor
    from driftline.store import FileStore

    store = FileStore(tmp_path / "store")
    with Monitor({"x": "numeric"}, window=100, store=store, name="m") as m:
        for i in range(250):
            m.log((float(i),), None, latency_ms=2.0)
    assert main(["windows", str(tmp_path / "store")]) == 0
    out = capsys.readouterr().out
    assert "3 files" in out and "100" in out and "50" in out
    merged = tmp_path / "all.dlp"
    assert main(["windows", str(tmp_path / "store"), "--merge", str(merged)]) == 0
    assert driftline.Profile.from_bytes(merged.read_bytes()).row_count == 250
    assert main(["windows", str(tmp_path / "store"), "--since", "2100-01-01"]) == 0
    assert "0 files" in capsys.readouterr().out
