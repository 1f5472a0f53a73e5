"""Schemas: which columns to profile, and how."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from driftline._core import SchemaError, infer_schema

KINDS = ("numeric", "categorical")
_ALIASES = {
    "numeric": "numeric",
    "numerical": "numeric",
    "num": "numeric",
    "categorical": "categorical",
    "category": "categorical",
    "cat": "categorical",
}


class Schema:
    """Ordered column names and their kinds (``"numeric"`` or ``"categorical"``).

    Build one with :meth:`from_dict` (``Schema.from_dict({"age": "numeric", "city":
    "categorical"})``), or let :func:`driftline.profile` infer it from Arrow types: integers,
    floats, booleans, timestamps, dates, durations and decimals are numeric; strings and
    dictionary-encoded strings are categorical. Declare an integer column categorical to count
    its values as labels. Columns of the data that the schema does not name are ignored.
    """

    __slots__ = ("_columns",)

    def __init__(self, columns: Mapping[str, str] | Iterable[tuple[str, str]]) -> None:
        items = list(columns.items()) if isinstance(columns, Mapping) else list(columns)
        out: dict[str, str] = {}
        for name, kind in items:
            if not isinstance(name, str):
                raise SchemaError(f"column names must be strings, got {name!r}")
            k = _ALIASES.get(str(kind).lower())
            if k is None:
                raise SchemaError(
                    f"column {name!r} has unknown kind {kind!r}; use one of {', '.join(KINDS)}"
                )
            if name in out:
                raise SchemaError(f"column {name!r} appears twice in the schema")
            out[name] = k
        self._columns = out

    @classmethod
    def from_dict(cls, columns: Mapping[str, str]) -> Schema:
        """A schema from ``{name: kind}``."""
        return cls(columns)

    @classmethod
    def infer(cls, data: Any) -> Schema:
        """Infer a schema from the Arrow types of ``data`` (any input :func:`profile` takes)."""
        from driftline._profile import to_arrow

        return cls(infer_schema(to_arrow(data)))

    @property
    def columns(self) -> dict[str, str]:
        """``{name: kind}`` in order."""
        return dict(self._columns)

    def to_list(self) -> list[tuple[str, str]]:
        """``[(name, kind), ...]`` in order."""
        return list(self._columns.items())

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __getitem__(self, name: str) -> str:
        return self._columns[name]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self.to_list() == other.to_list()

    def __hash__(self) -> int:
        return hash(tuple(self.to_list()))

    def __repr__(self) -> str:
        return f"Schema({self._columns!r})"
