"""``driftline.profile`` and the streaming ``Profiler``: input normalisation, then Rust."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from driftline import _core
from driftline._core import Profile
from driftline._model import ModelSpec, model_of
from driftline._schema import Schema

_OPTIONS = ("kll_k", "dd_alpha", "dd_max_buckets", "category_cap", "frequent_items", "hll_p")


def to_arrow(data: Any) -> Any:
    """Return an object exposing the Arrow C stream or array interface for ``data``.

    Arrow objects (pyarrow Table, RecordBatch, RecordBatchReader), polars and duckdb results and
    anything else with ``__arrow_c_stream__``/``__arrow_c_array__`` pass through untouched and
    are read zero-copy. A pandas DataFrame and a dict of arrays are converted with pyarrow
    (numeric NumPy arrays without copying).
    """
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return data
    import pyarrow as pa

    if isinstance(data, Mapping):
        import numpy as np

        cols = {}
        for name, values in data.items():
            if not isinstance(name, str):
                raise TypeError(f"column names must be strings, got {name!r}")
            arr = values if isinstance(values, pa.Array | pa.ChunkedArray) else np.asarray(values)
            cols[name] = arr
        return pa.table(cols)
    mod = type(data).__module__
    if mod.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    raise TypeError(
        "expected a pyarrow Table/RecordBatch/RecordBatchReader, an object with "
        "__arrow_c_stream__ or __arrow_c_array__ (polars, duckdb), a pandas DataFrame or a "
        f"dict of arrays; got {type(data).__name__}"
    )


def _schema_list(schema: Schema | Mapping[str, str] | None) -> list[tuple[str, str]] | None:
    if schema is None:
        return None
    if not isinstance(schema, Schema):
        schema = Schema(schema)
    return schema.to_list()


def _config(options: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        raise TypeError(
            f"unknown option(s) {sorted(unknown)}; profile options are {', '.join(_OPTIONS)}"
        )
    return dict(options)


def _edges(
    baseline: Profile | None, bins: int, schema: list[tuple[str, str]] | None
) -> tuple[dict[str, list[float]] | None, list[tuple[str, str]] | None]:
    if baseline is None:
        return None, schema
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    edges = baseline.bin_edges(bins)
    if schema is None:
        schema = baseline.schema
    else:
        numeric = {n for n, k in schema if k == "numeric"}
        edges = {n: e for n, e in edges.items() if n in numeric}
    return edges, schema


def profile(
    data: Any,
    schema: Schema | Mapping[str, str] | None = None,
    *,
    baseline: Profile | None = None,
    bins: int = 10,
    model: ModelSpec | None = None,
    **options: Any,
) -> Profile:
    """Profile ``data`` and return an immutable, mergeable :class:`Profile`.

    Parameters
    ----------
    data:
        A pyarrow Table, RecordBatch or RecordBatchReader (read batch by batch, never
        materialised), anything with ``__arrow_c_stream__``/``__arrow_c_array__`` (polars,
        duckdb), a pandas DataFrame, or a dict of NumPy arrays.
    schema:
        A :class:`Schema` or ``{name: kind}``; inferred from the Arrow types when omitted (or
        taken from ``baseline``).
    baseline:
        A profile of reference data. Each numeric column then also gets an exact histogram on the
        baseline's ``bins`` quantile bin edges (with underflow and overflow bins), which makes
        PSI, Jensen-Shannon and chi-square against the baseline exact.
    bins:
        Number of quantile bins taken from the baseline.
    model:
        A :class:`ModelSpec` naming the model's label, prediction, score and segment columns:
        the profile then also carries the model's performance accumulators
        (``Profile.performance``; see :func:`driftline.metrics.from_profile`). With a baseline
        that has a model section, the baseline's is used by default.
    **options:
        Sketch parameters: ``kll_k`` (200), ``dd_alpha`` (0.01), ``dd_max_buckets`` (4096),
        ``category_cap`` (10000), ``frequent_items`` (4096), ``hll_p`` (12). With a baseline
        they default to the baseline's, so the two profiles can be merged and compared.

    The work runs in Rust on all cores with the GIL released; Ctrl-C stops it between batches.
    """
    sl = _schema_list(schema)
    edges, sl = _edges(baseline, bins, sl)
    config = dict(baseline.config) if baseline is not None else {}
    config.update(_config(options))
    arrow = to_arrow(data)
    return _core.profile(arrow, sl, config, edges, _model_arg(model, baseline, arrow))


def _model_arg(model: ModelSpec | None, baseline: Profile | None, data: Any) -> Any:
    if model is not None:
        return model.core(data)
    return None if baseline is None else model_of(baseline)


class Profiler:
    """A streaming, thread-safe profiler.

    ``update(batch)`` may be called from many threads at once; each batch is profiled without a
    lock and merged atomically, so :meth:`snapshot` always returns a consistent profile (row
    counts, histogram totals and sketch sizes agree) even while writers run.
    """

    __slots__ = ("_inner",)

    def __init__(
        self,
        schema: Schema | Mapping[str, str] | None = None,
        *,
        baseline: Profile | None = None,
        bins: int = 10,
        model: ModelSpec | None = None,
        **options: Any,
    ) -> None:
        sl = _schema_list(schema)
        edges, sl = _edges(baseline, bins, sl)
        config = dict(baseline.config) if baseline is not None else {}
        config.update(_config(options))
        self._inner = _core.Profiler(sl, config, edges, _model_arg(model, baseline, None))

    def update(self, data: Any) -> None:
        """Profile a batch (any input :func:`profile` takes) and merge it in."""
        self._inner.update(to_arrow(data))

    def merge(self, other: Profile) -> None:
        """Merge an existing profile (same schema and configuration) in."""
        self._inner.merge_profile(other)

    def snapshot(self) -> Profile:
        """The profile of everything seen so far."""
        return self._inner.snapshot()

    def __repr__(self) -> str:
        return f"Profiler(rows={self._inner.snapshot().row_count})"
