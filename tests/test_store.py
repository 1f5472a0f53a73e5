"""FileStore and MemoryStore: round trips, layout, time-range listing, merging, label updates,
atomic writes and sidecars."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import driftline
from driftline._window import Window
from driftline.rules import Rule, Rules
from driftline.store import FileStore, MemoryStore, Store

# 2024-03-09 23:58:00 UTC: windows of 60 s cross midnight into 2024-03-10.
T0 = datetime(2024, 3, 9, 23, 58, tzinfo=timezone.utc).timestamp()
SPEC = driftline.ModelSpec("binary", label="y", prediction="p", labels=[0, 1])


def table(seed: int, n: int, shift: float = 0.0) -> pa.Table:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return pa.table(
        {
            "x": rng.normal(shift, 1.0, n),
            "c": rng.choice(["a", "b"], n),
            "y": y,
            "p": np.where(rng.random(n) < 0.8, y, 1 - y),
        }
    )


@pytest.fixture(scope="module")
def base() -> driftline.Profile:
    return driftline.profile(table(0, 5000), model=SPEC)


def make_window(
    base: driftline.Profile,
    index: int,
    *,
    rows: int = 200,
    model: str | None = "churn",
    version: str | None = "v1",
    start: float | None = None,
    kind: str = "window",
    alerts: tuple[Any, ...] = (),
    shift: float = 0.0,
) -> Window:
    meta = {}
    if model is not None:
        meta["driftline.model"] = model
    if version is not None:
        meta["driftline.model_version"] = version
    prof = driftline.profile(table(100 + index, rows, shift), model=SPEC).with_metadata(meta)
    t = T0 + 60 * index if start is None else start
    if kind == "labels":
        return Window(index, "labels", t, t + 60, prof, labels={"joined": rows})
    latency = driftline.DDSketch(0.01, 2048)
    latency.update(np.linspace(1.0, 100.0, rows))
    return Window(
        index,
        "window",
        t,
        t + 60,
        prof,
        requests=rows + 5,
        errors=3,
        malformed=2,
        late=1,
        future=4,
        labels={"joined": 10, "unmatched": 2},
        latency=latency,
        resources={"cpu_percent": 12.5, "rss_bytes": 1.5e8},
        report=driftline.compare(base, prof),
        alerts=alerts,
    )


@pytest.fixture(params=["file", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore | MemoryStore:
    return FileStore(tmp_path / "store") if request.param == "file" else MemoryStore()


def test_both_are_stores(tmp_path: Path) -> None:
    assert isinstance(FileStore(tmp_path), Store)
    assert isinstance(MemoryStore(), Store)


def test_round_trip_equal_bytes(store: FileStore | MemoryStore, base: driftline.Profile) -> None:
    w = make_window(base, 0)
    key = store.save(w)
    assert store.load(key).to_bytes() == w.profile.to_bytes()
    assert store.keys() == [key]
    with pytest.raises(KeyError):
        store.load(key.replace("_0.dlp", "_1.dlp"))


def test_file_layout(tmp_path: Path, base: driftline.Profile) -> None:
    fs = FileStore(tmp_path)
    w = make_window(base, 0, start=T0 + 0.25)
    key = fs.save(w)
    assert key == "churn/v1/2024-03-09/20240309T235800.250000Z_0.dlp"
    assert (tmp_path / key).read_bytes() == w.profile.to_bytes()
    assert (tmp_path / key).with_suffix(".json").exists()
    assert driftline.Profile.from_bytes((tmp_path / key).read_bytes()).row_count == 200
    # Without model metadata: "model" and "_".
    key = fs.save(make_window(base, 1, model=None, version=None))
    assert key == "model/_/2024-03-09/20240309T235900.000000Z_1.dlp"
    # Names that are not safe path segments are percent-encoded and stay under the root.
    key = fs.save(make_window(base, 2, model="../team/a b", version=".."))
    assert key == "%2E.%2Fteam%2Fa%20b/%2E./2024-03-10/20240310T000000.000000Z_2.dlp"
    assert (tmp_path / key).is_file()
    assert fs.keys(model="../team/a b", version="..") == [key]


def test_keys_filter_by_time_model_version(
    store: FileStore | MemoryStore, base: driftline.Profile
) -> None:
    saved = {}
    # Saved out of order; windows 0-1 are on 2024-03-09, 2-4 on 2024-03-10.
    for i in (3, 0, 4, 1, 2):
        saved[("churn", "v1", i)] = store.save(make_window(base, i))
    saved[("churn", "v2", 2)] = store.save(make_window(base, 2, version="v2"))
    saved[("fraud", "v1", 1)] = store.save(make_window(base, 1, model="fraud"))

    def k(model: str, version: str, *idx: int) -> list[str]:
        return [saved[(model, version, i)] for i in idx]

    assert store.keys(model="churn", version="v1") == k("churn", "v1", 0, 1, 2, 3, 4)
    assert store.keys(model="churn") == [
        *k("churn", "v1", 0, 1, 2),
        *k("churn", "v2", 2),
        *k("churn", "v1", 3, 4),
    ]
    assert store.keys(version="v1", start=T0 + 60, end=T0 + 120) == [
        *k("churn", "v1", 1),
        *k("fraud", "v1", 1),
    ]
    # Half-open: a window starting at `end` is left out; `start` and `end` as datetimes.
    midnight = datetime(2024, 3, 10, tzinfo=timezone.utc)
    assert store.keys("churn", "v1", start=midnight) == k("churn", "v1", 2, 3, 4)
    assert store.keys("churn", "v1", end=midnight) == k("churn", "v1", 0, 1)
    aware = midnight.astimezone(timezone(timedelta(hours=-5)))  # the same instant
    assert store.keys("churn", "v1", start=aware, end=aware + timedelta(minutes=2)) == k(
        "churn", "v1", 2, 3
    )
    assert store.keys(model="nobody") == []
    assert store.keys(start=T0 + 3600) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        store.keys(start=datetime(2024, 3, 10))
    assert len(store.keys()) == 7


def test_load_range_merges(store: FileStore | MemoryStore, base: driftline.Profile) -> None:
    rows = [100, 200, 300, 400]
    for i, n in enumerate(rows):
        store.save(make_window(base, i, rows=n))
    store.save(make_window(base, 1, rows=1000, model="fraud"))
    merged = store.load_range(T0 + 60, T0 + 240, model="churn")
    assert merged is not None and merged.row_count == 200 + 300 + 400
    everything = store.load_range(None, None, model="churn")
    assert everything is not None and everything.row_count == sum(rows)
    assert store.load_range(T0 + 3600, None) is None
    # The merged profile is a real merge: column counts add up too.
    assert everything["x"].count == sum(rows)


def test_label_updates_saved_beside_their_window_and_merged(
    store: FileStore | MemoryStore, base: driftline.Profile
) -> None:
    w = make_window(base, 5, rows=300)
    key = store.save(w)
    u1 = store.save(make_window(base, 5, rows=40, kind="labels"))
    u2 = store.save(make_window(base, 5, rows=60, kind="labels"))
    other = store.save(make_window(base, 6, rows=10, kind="labels"))
    stem = key.removesuffix(".dlp")
    assert u1 == f"{stem}.labels-1.dlp" and u2 == f"{stem}.labels-2.dlp"
    assert other.endswith("_6.labels-1.dlp")
    assert store.keys(start=w.start, end=w.end) == [key, u1, u2]
    assert store.info(u2)["kind"] == "labels" and store.info(u2)["labels"] == {"joined": 60}
    merged = store.load_range(w.start, w.end)
    assert merged is not None and merged.row_count == 300 + 40 + 60
    perf = driftline.metrics.from_profile(merged)
    assert perf is not None and perf.n == 400


def test_sidecar(store: FileStore | MemoryStore, base: driftline.Profile) -> None:
    rules = Rules([Rule("errors", "errors", ">", 0)])
    first = make_window(base, 0)
    alerts = tuple(rules.evaluate(first))
    assert len(alerts) == 1
    w = make_window(base, 0, alerts=alerts, shift=1.0)
    key = store.save(w)
    info = store.info(key)
    assert info["key"] == key
    assert (info["model"], info["version"], info["index"], info["kind"]) == (
        "churn",
        "v1",
        0,
        "window",
    )
    assert info["start"] == w.start and info["end"] == w.end
    assert info["start_iso"] == "2024-03-09T23:58:00Z" and info["end_iso"] == "2024-03-09T23:59:00Z"
    assert info["rows"] == 200
    scalars = ("requests", "errors", "malformed", "late", "future")
    assert [info[f] for f in scalars] == [205, 3, 2, 1, 4]
    assert info["labels"] == {"joined": 10, "unmatched": 2}
    assert info["resources"] == {"cpu_percent": 12.5, "rss_bytes": 1.5e8}
    expected = {format(q, "g"): v for q, v in w.latency_quantiles().items()}
    assert info["latency_ms"] == pytest.approx(expected)
    assert set(info["latency_ms"]) == {"0.5", "0.9", "0.99", "0.999"}
    assert w.report is not None
    assert info["drifted_columns"] == w.report.drifted_columns and "x" in info["drifted_columns"]
    assert info["dataset_drift"] == w.report.dataset_drift
    assert info["drift_share"] == pytest.approx(w.report.share_drifted)
    assert info["alerts"] == [alerts[0].to_dict()]
    assert info["metadata"] == w.profile.metadata


def test_sidecar_nan_is_null(tmp_path: Path, base: driftline.Profile) -> None:
    fs = FileStore(tmp_path)
    prof = driftline.profile(table(1, 50))
    key = fs.save(Window(0, "window", T0, T0 + 60, prof))  # no latencies: NaN quantiles

    def strict(name: str) -> Any:
        raise AssertionError(f"{name} in a sidecar")

    text = (tmp_path / key).with_suffix(".json").read_text()
    info = json.loads(text, parse_constant=strict)
    assert info["latency_ms"] == {"0.5": None, "0.9": None, "0.99": None, "0.999": None}
    assert info["dataset_drift"] is None and info["drifted_columns"] is None
    assert info == fs.info(key)


def test_writes_leave_no_temporary_files(tmp_path: Path, base: driftline.Profile) -> None:
    fs = FileStore(tmp_path)
    for i in range(3):
        fs.save(make_window(base, i))
    fs.save(make_window(base, 1, kind="labels"))
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == 8
    assert all(f.endswith((".dlp", ".json")) and not f.startswith(".") for f in files)


def test_failed_write_leaves_nothing_behind(
    tmp_path: Path, base: driftline.Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs = FileStore(tmp_path)
    w = make_window(base, 0)
    key = fs.save(w)
    before = (tmp_path / key).read_bytes()
    real = os.replace
    calls: list[str] = []

    def replace_then_fail(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if str(dst).endswith(".dlp"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(OSError, match="No space left"):
        fs.save(make_window(base, 0, rows=999))
    with pytest.raises(OSError, match="No space left"):
        fs.save(make_window(base, 7))
    monkeypatch.undo()
    assert len(calls) == 4  # sidecar, then profile, for each save
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []
    # The window saved earlier is intact, and the failed new window was never listed.
    assert (tmp_path / key).read_bytes() == before
    assert fs.keys() == [key]


def test_bad_keys(tmp_path: Path) -> None:
    fs = FileStore(tmp_path / "s")
    (tmp_path / "secret.dlp").write_bytes(b"x")
    for key in ("../secret.dlp", "/etc/passwd", "a/b/c.dlp", "m/_/2024-01-01/notes.txt"):
        with pytest.raises(ValueError, match="not a store key"):
            fs.load(key)
    with pytest.raises(KeyError):
        fs.load("m/_/2024-01-01/20240101T000000.000000Z_0.dlp")
    with pytest.raises(KeyError):
        fs.info("m/_/2024-01-01/20240101T000000.000000Z_0.dlp")


def test_unknown_kind_rejected(store: FileStore | MemoryStore, base: driftline.Profile) -> None:
    w = make_window(base, 0)
    bad = Window(0, "hourly", w.start, w.end, w.profile)
    with pytest.raises(ValueError, match="kind"):
        store.save(bad)


def test_memory_store_matches_file_store(tmp_path: Path, base: driftline.Profile) -> None:
    fs, ms = FileStore(tmp_path), MemoryStore()
    windows = [make_window(base, i, rows=50 + i) for i in range(4)]
    windows.append(make_window(base, 2, rows=7, kind="labels"))
    windows.append(make_window(base, 1, model="fraud", version=None))
    for w in windows:
        assert fs.save(w) == ms.save(w)
    assert fs.keys() == ms.keys()
    assert fs.keys(start=T0 + 60, end=T0 + 180) == ms.keys(start=T0 + 60, end=T0 + 180)
    for key in fs.keys():
        assert fs.load(key).to_bytes() == ms.load(key).to_bytes()
        assert fs.info(key) == ms.info(key)
    a, b = fs.load_range(T0, T0 + 240, "churn"), ms.load_range(T0, T0 + 240, "churn")
    assert a is not None and b is not None
    assert a.row_count == b.row_count == 50 + 51 + 52 + 53 + 7


def test_memory_store_bounded(base: driftline.Profile) -> None:
    ms = MemoryStore(max_windows=2)
    k0 = ms.save(make_window(base, 0))
    ms.save(make_window(base, 0, kind="labels"))
    k2 = ms.save(make_window(base, 2))
    k1 = ms.save(make_window(base, 1))
    # The window starting first goes, with its label update.
    assert ms.keys() == [k1, k2]
    with pytest.raises(KeyError):
        ms.load(k0)
    assert ms.window(k2).index == 2
    with pytest.raises(ValueError, match="max_windows"):
        MemoryStore(max_windows=0)
