"""Profile stores: every closed window's profile kept by model, version and time, with its
scalar fields beside it, to be listed, reloaded and merged over any time range.

See ``docs/store.md`` for the file layout, the sidecar fields and the atomicity guarantees.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import re
import secrets
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

from driftline._core import Profile
from driftline._window import json_safe

if TYPE_CHECKING:
    from driftline._window import Window

__all__ = ["FileStore", "MemoryStore", "Store", "TimeLike"]

#: A point in time: seconds since the Unix epoch, or a timezone-aware ``datetime``.
TimeLike = float | int | datetime

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NAME = re.compile(
    r"^(\d{8}T\d{6}\.\d{6}Z)_(-?\d+)(?:~([A-Za-z0-9.-]+?))?(?:\.labels-(\d+))?\.dlp$"
)
_SOURCE_CHARS = re.compile(r"[^A-Za-z0-9.-]+")


def _base_stem(stamp: str, window: Window) -> str:
    """``<stamp>_<index>``, plus ``~<source>`` when the window names the process that
    recorded it (``driftline.source``), so that the processes of a pre-fork server never
    overwrite each other's windows."""
    source = window.profile.metadata.get("driftline.source", "")
    source = _SOURCE_CHARS.sub("-", source).strip(".-")
    return f"{stamp}_{window.index}" + (f"~{source}" if source else "")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@runtime_checkable
class Store(Protocol):
    """Where a monitor keeps its windows."""

    def save(self, window: Window) -> str:
        """Store ``window``'s profile and scalar fields; returns its key."""
        ...

    def load(self, key: str) -> Profile:
        """The profile stored under ``key``."""
        ...

    def keys(
        self,
        model: str | None = None,
        version: str | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> list[str]:
        """Keys of the stored windows (and label updates), sorted by window start."""
        ...


# ------------------------------------------------------------------------------------------
# Naming
# ------------------------------------------------------------------------------------------


def _micros(t: TimeLike, what: str = "time") -> int:
    """``t`` as integer microseconds since the epoch (the resolution of stored names)."""
    if isinstance(t, datetime):
        if t.tzinfo is None or t.tzinfo.utcoffset(t) is None:
            raise ValueError(
                f"{what} must be a timezone-aware datetime (e.g. tzinfo=timezone.utc) or epoch "
                f"seconds, got the naive {t!r}"
            )
        d = t - _EPOCH
        return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds
    if isinstance(t, bool) or not isinstance(t, int | float):
        raise ValueError(f"{what} must be epoch seconds or a datetime, got {t!r}")
    if not math.isfinite(t):
        raise ValueError(f"{what} must be finite, got {t!r}")
    return round(t * 1_000_000)


def _stamp(us: int) -> tuple[str, str]:
    """The date folder (``YYYY-MM-DD``) and the file-name stamp (ISO 8601 basic format,
    ``YYYYMMDDTHHMMSS.ffffffZ``) of ``us`` microseconds since the epoch."""
    secs, frac = divmod(us, 1_000_000)
    dt = _EPOCH + timedelta(seconds=secs)
    return dt.strftime("%Y-%m-%d"), dt.strftime("%Y%m%dT%H%M%S") + f".{frac:06d}Z"


def _parse_stamp(stamp: str) -> int:
    dt = datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    d = dt - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + int(stamp[16:22])


def _segment(name: str) -> str:
    """``name`` as one safe path segment: percent-encoded, and never starting with ``.`` (so
    never ``.``, ``..`` or a hidden name)."""
    s = urllib.parse.quote(name, safe="")
    return "%2E" + s[1:] if s.startswith(".") else s


def _identity(window: Window) -> tuple[str, str, str, str]:
    """Model name, version, and their folder names."""
    meta = window.profile.metadata
    model = meta.get("driftline.model") or "model"
    version = meta.get("driftline.model_version") or ""
    return model, version, _segment(model), _version_dir(version)


def _version_dir(version: str) -> str:
    return "_" if not version else ("%5F" if version == "_" else _segment(version))


class _Entry(NamedTuple):
    key: str
    model_dir: str
    version_dir: str
    us: int
    idx: int
    n: int  # 0 for a window, n for its n-th label update

    @property
    def order(self) -> tuple[int, str, str, int, int]:
        return (self.us, self.model_dir, self.version_dir, self.idx, self.n)


def _parse_key(key: str) -> _Entry:
    if not isinstance(key, str):
        raise ValueError(f"a store key is a string, got {key!r}")
    p = PurePosixPath(key)
    parts = p.parts
    if (
        p.is_absolute()
        or len(parts) != 4
        or any(x in ("", ".", "..") for x in parts)
        or "\\" in key
        or not _DATE.match(parts[2])
    ):
        raise ValueError(f"not a store key: {key!r} (expected model/version/date/file.dlp)")
    m = _NAME.match(parts[3])
    if m is None:
        raise ValueError(f"not a store key: {key!r} (unexpected file name {parts[3]!r})")
    return _Entry(key, parts[0], parts[1], _parse_stamp(m[1]), int(m[2]), int(m[4] or 0))


def _range(start: TimeLike | None, end: TimeLike | None) -> tuple[int | None, int | None]:
    lo = None if start is None else _micros(start, "start")
    hi = None if end is None else _micros(end, "end")
    return lo, hi


def _select(
    entries: Iterator[_Entry] | list[_Entry],
    model: str | None,
    version: str | None,
    lo: int | None,
    hi: int | None,
) -> list[str]:
    mdir = None if model is None else _segment(model)
    vdir = None if version is None else _version_dir(version)
    out = [
        e
        for e in entries
        if (mdir is None or e.model_dir == mdir)
        and (vdir is None or e.version_dir == vdir)
        and (lo is None or e.us >= lo)
        and (hi is None or e.us < hi)
    ]
    out.sort(key=lambda e: e.order)
    return [e.key for e in out]


def _alert_dict(a: Any) -> Any:
    if hasattr(a, "to_dict"):
        return a.to_dict()
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return dataclasses.asdict(a)
    return {"rule": str(getattr(a, "rule", a)), "severity": str(getattr(a, "severity", ""))}


def _iso(us: int) -> str:
    secs, frac = divmod(us, 1_000_000)
    return (_EPOCH + timedelta(seconds=secs, microseconds=frac)).isoformat().replace("+00:00", "Z")


def _sidecar(window: Window, key: str) -> dict[str, Any]:
    """The scalar fields of ``window`` stored beside its profile (JSON-ready)."""
    model, version, _, _ = _identity(window)
    report = window.report
    out: dict[str, Any] = json_safe(
        {
            "key": key,
            "model": model,
            "version": version,
            "index": window.index,
            "kind": window.kind,
            "start": float(window.start),
            "end": float(window.end),
            "start_iso": _iso(_micros(window.start)),
            "end_iso": _iso(_micros(window.end)),
            "rows": window.profile.row_count,
            "requests": window.requests,
            "errors": window.errors,
            "malformed": window.malformed,
            "late": window.late,
            "future": window.future,
            "labels": {str(k): int(v) for k, v in window.labels.items()},
            "latency_ms": {format(q, "g"): v for q, v in window.latency_quantiles().items()},
            "resources": {str(k): float(v) for k, v in window.resources.items()},
            "dataset_drift": None if report is None else report.dataset_drift,
            "drift_share": None if report is None else report.share_drifted,
            "drifted_columns": None if report is None else report.drifted_columns,
            "alerts": [_alert_dict(a) for a in window.alerts],
            "metadata": dict(window.profile.metadata),
        }
    )
    return out


def _check_kind(window: Window) -> None:
    if window.kind not in ("window", "labels"):
        raise ValueError(f"window kind must be 'window' or 'labels', got {window.kind!r}")


def _merge(profiles: Iterator[Profile]) -> Profile | None:
    merged: Profile | None = None
    for p in profiles:
        merged = p if merged is None else merged.merge(p)
    return merged


# ------------------------------------------------------------------------------------------
# FileStore
# ------------------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # not possible on every platform (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one: a
    temporary file in the same folder, flushed and fsynced, then renamed over ``path``."""
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class FileStore:
    """Profiles in a folder tree, one ``.dlp`` file per window plus a ``.json`` sidecar::

        root/<model>/<version or _>/<YYYY-MM-DD>/<YYYYMMDDTHHMMSS.ffffffZ>_<index>.dlp
        root/<model>/<version or _>/<YYYY-MM-DD>/<YYYYMMDDTHHMMSS.ffffffZ>_<index>.json
        .../<stamp>_<index>.labels-<n>.dlp   (the n-th label update of that window)

    The date and stamp are the window's start in UTC; model and version come from the
    profile's metadata (``driftline.model``, ``driftline.model_version``; ``model`` and ``_``
    without them), percent-encoded. Keys are these paths relative to ``root``, with ``/``.

    Every file is written atomically (temporary file in the same folder, fsync, rename), the
    sidecar before the profile, so a listed key always has both.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FileStore({str(self.root)!r})"

    def save(self, window: Window) -> str:
        """Store ``window`` (a closed window, or a ``"labels"`` update of one); returns its
        key. Saving a window with the same model, version, start and index again replaces
        it; every label update gets a new number."""
        _check_kind(window)
        _, _, mdir, vdir = _identity(window)
        date, stamp = _stamp(_micros(window.start, "window start"))
        folder = self.root / mdir / vdir / date
        data = window.profile.to_bytes()
        with self._lock:
            folder.mkdir(parents=True, exist_ok=True)
            stem = _base_stem(stamp, window)
            if window.kind == "labels":
                taken = [
                    int(m[4])
                    for p in folder.glob(f"{stem}.labels-*.dlp")
                    if (m := _NAME.match(p.name)) and m[4]
                ]
                stem = f"{stem}.labels-{max(taken, default=0) + 1}"
            key = f"{mdir}/{vdir}/{date}/{stem}.dlp"
            info = _sidecar(window, key)
            _atomic_write(folder / f"{stem}.json", _json_bytes(info))
            _atomic_write(folder / f"{stem}.dlp", data)
            _fsync_dir(folder)
        return key

    def _path(self, key: str) -> Path:
        _parse_key(key)
        return self.root.joinpath(*PurePosixPath(key).parts)

    def load(self, key: str) -> Profile:
        """The profile stored under ``key`` (``KeyError`` when there is none)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise KeyError(f"no profile {key!r} in {self.root}") from None
        return Profile.from_bytes(data)

    def info(self, key: str) -> dict[str, Any]:
        """The sidecar of ``key``: the window's scalar fields (see ``docs/store.md``)."""
        path = self._path(key).with_suffix(".json")
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KeyError(f"no window {key!r} in {self.root}") from None
        out: dict[str, Any] = json.loads(text)
        return out

    def _entries(self, lo: int | None, hi: int | None) -> Iterator[_Entry]:
        first = None if lo is None else _stamp(lo)[0]
        last = None if hi is None else _stamp(hi)[0]
        for mdir in _dirs(self.root):
            for vdir in _dirs(mdir):
                for ddir in _dirs(vdir):
                    name = ddir.name
                    if not _DATE.match(name):
                        continue
                    if (first is not None and name < first) or (last is not None and name > last):
                        continue
                    for f in ddir.iterdir():
                        m = _NAME.match(f.name)
                        if m is None:
                            continue
                        yield _Entry(
                            f"{mdir.name}/{vdir.name}/{name}/{f.name}",
                            mdir.name,
                            vdir.name,
                            _parse_stamp(m[1]),
                            int(m[2]),
                            int(m[4] or 0),
                        )

    def keys(
        self,
        model: str | None = None,
        version: str | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> list[str]:
        """Keys of the windows and label updates of ``model`` and ``version`` (``None``: any;
        ``version=""``: saved without a version) whose window start lies in ``[start, end)``,
        sorted by window start (then model, version, index, update number)."""
        lo, hi = _range(start, end)
        return _select(self._entries(lo, hi), model, version, lo, hi)

    def load_range(
        self,
        start: TimeLike | None,
        end: TimeLike | None,
        model: str | None = None,
        version: str | None = None,
    ) -> Profile | None:
        """One profile merging every window (and label update) :meth:`keys` lists for these
        arguments, or ``None`` when there is none."""
        return _merge(self.load(k) for k in self.keys(model, version, start, end))


def _dirs(path: Path) -> list[Path]:
    try:
        return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except FileNotFoundError:
        return []


def _json_bytes(d: Mapping[str, Any]) -> bytes:
    return (json.dumps(d, allow_nan=False, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# ------------------------------------------------------------------------------------------
# MemoryStore
# ------------------------------------------------------------------------------------------


class MemoryStore:
    """The :class:`FileStore` API on windows kept in memory (for tests and notebooks).

    Keys are those a :class:`FileStore` would give. With ``max_windows``, saving a window past
    that number forgets the window that starts first (with its label updates).
    """

    def __init__(self, max_windows: int | None = None) -> None:
        if max_windows is not None and (
            isinstance(max_windows, bool) or not isinstance(max_windows, int) or max_windows < 1
        ):
            raise ValueError(f"max_windows must be None or an integer >= 1, got {max_windows!r}")
        self.max_windows = max_windows
        self._lock = threading.Lock()
        self._items: dict[str, tuple[_Entry, Window, dict[str, Any]]] = {}

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._items)} entries)"

    def __len__(self) -> int:
        return len(self._items)

    def save(self, window: Window) -> str:
        """Keep ``window``; returns its key (see :meth:`FileStore.save`)."""
        _check_kind(window)
        _, _, mdir, vdir = _identity(window)
        us = _micros(window.start, "window start")
        date, stamp = _stamp(us)
        with self._lock:
            stem = _base_stem(stamp, window)
            n = 0
            if window.kind == "labels":
                prefix = f"{mdir}/{vdir}/{date}/{stem}.labels-"
                n = 1 + max(
                    (e.n for k, (e, _, _) in self._items.items() if k.startswith(prefix)),
                    default=0,
                )
                stem = f"{stem}.labels-{n}"
            key = f"{mdir}/{vdir}/{date}/{stem}.dlp"
            entry = _Entry(key, mdir, vdir, us, window.index, n)
            self._items[key] = (entry, window, _sidecar(window, key))
            self._evict()
        return key

    def _evict(self) -> None:
        if self.max_windows is None:
            return
        windows = sorted((e.order, e) for e, _, _ in self._items.values() if e.n == 0)
        for _, old in windows[: max(len(windows) - self.max_windows, 0)]:
            group = (old.model_dir, old.version_dir, old.us, old.idx)
            for k, (e, _, _) in list(self._items.items()):
                if (e.model_dir, e.version_dir, e.us, e.idx) == group:
                    del self._items[k]

    def _get(self, key: str) -> tuple[_Entry, Window, dict[str, Any]]:
        _parse_key(key)
        with self._lock:
            try:
                return self._items[key]
            except KeyError:
                raise KeyError(f"no profile {key!r} in the memory store") from None

    def load(self, key: str) -> Profile:
        """The profile stored under ``key`` (``KeyError`` when there is none)."""
        return self._get(key)[1].profile

    def window(self, key: str) -> Window:
        """The window stored under ``key``."""
        return self._get(key)[1]

    def info(self, key: str) -> dict[str, Any]:
        """The fields a :class:`FileStore` writes to the sidecar of ``key``."""
        out: dict[str, Any] = json.loads(json.dumps(self._get(key)[2]))
        return out

    def keys(
        self,
        model: str | None = None,
        version: str | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> list[str]:
        """See :meth:`FileStore.keys`."""
        lo, hi = _range(start, end)
        with self._lock:
            entries = [e for e, _, _ in self._items.values()]
        return _select(entries, model, version, lo, hi)

    def load_range(
        self,
        start: TimeLike | None,
        end: TimeLike | None,
        model: str | None = None,
        version: str | None = None,
    ) -> Profile | None:
        """See :meth:`FileStore.load_range`."""
        return _merge(self.load(k) for k in self.keys(model, version, start, end))
