"""The bad-input matrix: each input's documented outcome (a named tally or a typed error)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import driftline


def test_nan_inf_null_tallies_never_enter_sketches() -> None:
    arr = pa.array([1.0, np.nan, np.inf, -np.inf, None, 2.0, np.nan], pa.float64())
    c = driftline.profile(pa.table({"x": arr}))["x"]
    assert (c.count, c.null_count, c.nan_count, c.posinf_count, c.neginf_count) == (7, 1, 2, 1, 1)
    assert c.valid_count == 2 and c.kll.n == 2 and c.ddsketch.count == 2
    assert (c.min, c.max, c.mean) == (1.0, 2.0, 1.5)


def test_empty_input() -> None:
    t = pa.table({"x": pa.array([], pa.float64()), "s": pa.array([], pa.string())})
    p = driftline.profile(t)
    assert p.row_count == 0
    c = p["x"]
    assert c.count == 0 and c.mean is None and c.min is None and c.variance is None
    with pytest.raises(driftline.InsufficientDataError):
        c.quantile(0.5)
    assert p["s"].distinct_count == 0 and p["s"].top() == []
    assert driftline.Profile.from_bytes(p.to_bytes()).row_count == 0


def test_all_null_and_all_nan_columns() -> None:
    n = 100
    t = pa.table(
        {
            "nulls": pa.array([None] * n, pa.float64()),
            "nulltype": pa.nulls(n),
            "nans": np.full(n, np.nan),
            "snull": pa.array([None] * n, pa.string()),
        }
    )
    p = driftline.profile(t)
    assert p["nulls"].null_count == n and p["nulltype"].null_count == n
    assert p["nans"].nan_count == n and p["nans"].valid_count == 0 and p["nans"].mean is None
    assert p["snull"].null_count == n and p["snull"].kind == "categorical"
    # A baseline whose column has no finite values gives that column no histogram.
    cur = driftline.profile(t, baseline=p)
    assert cur["nans"].histogram is None


def test_constant_column() -> None:
    x = np.full(10_000, 3.25)
    ref = driftline.profile({"x": x})
    c = ref["x"]
    assert c.variance == 0.0 and c.min == c.max == 3.25
    assert c.quantile(0.5) == 3.25 and c.ddsketch.quantile(0.5) == pytest.approx(3.25, rel=0.01)
    edges = ref.bin_edges()["x"]
    assert edges[0] == 3.25 and len(edges) == 2
    cur = driftline.profile({"x": np.array([3.25, 3.25, 4.0, 1.0])}, baseline=ref)
    h = cur["x"].histogram
    assert h is not None and list(h.counts) == [2] and (h.underflow, h.overflow) == (1, 1)


def test_subnormal_and_extreme_values() -> None:
    x = np.array([5e-324, -5e-324, 1e308, -1e308, 0.0, 2.2e-308])
    c = driftline.profile({"x": x})["x"]
    assert c.valid_count == 6 and c.min == -1e308 and c.max == 1e308
    assert c.mean is not None and np.isfinite(c.mean)
    assert c.quantile(0.0) == -1e308 and c.quantile(1.0) == 1e308
    big = driftline.profile({"x": np.array([1e308, 1e308, 1e308])})["x"]
    assert big.mean == 1e308 and big.variance == 0.0
    tiny = driftline.profile({"x": np.array([5e-324, 1e-320, 2e-310])})["x"]
    assert tiny.min == 5e-324 and tiny.ddsketch.count == 3


def test_mixed_chunk_types_and_missing_column() -> None:
    prof = driftline.Profiler({"x": "numeric", "s": "categorical"})
    prof.update(pa.table({"x": pa.array([1, 2, 3], pa.int32()), "s": ["a", "b", "a"]}))
    prof.update(pa.table({"x": pa.array([1.5, None], pa.float32()), "s": pa.array([1, 2])}))
    prof.update(pa.table({"x": pa.array(["4", "abc", None, "inf"])}))  # "s" missing
    prof.update(pa.table({"other": [1, 2]}))  # both missing
    p = prof.snapshot()
    x = p["x"]
    assert p.row_count == 11
    assert x.count == 11 and x.valid_count == 5
    assert x.null_count == 1 + 1 + 2 and x.type_error_count == 1 and x.posinf_count == 1
    assert x.min == 1.0 and x.max == 4.0
    s = p["s"]
    assert s.count == 11 and s.null_count == 6
    assert s.frequencies == {"a": 2, "b": 1, "1": 1, "2": 1}


def test_dictionary_and_large_string_and_view() -> None:
    vals = ["x", "y", None, "x"]
    for arr in [
        pa.array(vals).dictionary_encode(),
        pa.array(vals, pa.large_string()),
        pa.array(vals, pa.string_view()),
    ]:
        s = driftline.profile(pa.table({"s": arr}))["s"]
        assert s.frequencies == {"x": 2, "y": 1} and s.null_count == 1


def test_temporal_and_decimal_are_numeric() -> None:
    import datetime as dt
    from decimal import Decimal

    t = pa.table(
        {
            "ts": pa.array([dt.datetime(2024, 1, 1), None], pa.timestamp("s")),
            "d": pa.array([dt.date(1970, 1, 2), dt.date(1970, 1, 4)]),
            "dec": pa.array([Decimal("1.25"), Decimal("2.75")], pa.decimal128(5, 2)),
        }
    )
    p = driftline.profile(t)
    assert p["ts"].min == dt.datetime(2024, 1, 1).replace(tzinfo=dt.timezone.utc).timestamp()
    assert p["ts"].null_count == 1
    assert (p["d"].min, p["d"].max) == (1.0, 3.0)
    assert p["dec"].mean == 2.0


def test_unsupported_type_is_a_typed_error() -> None:
    t = pa.table({"l": pa.array([[1, 2], [3]]), "x": [1.0, 2.0]})
    with pytest.raises(driftline.UnsupportedTypeError, match=r"'l'|\"l\""):
        driftline.profile(t)
    with pytest.raises(driftline.UnsupportedTypeError):
        driftline.profile(t, {"l": "numeric"})
    # Leaving the column out of the schema works.
    assert driftline.profile(t, {"x": "numeric"})["x"].count == 2


def test_wrong_typed_values_under_declared_schema() -> None:
    t = pa.table({"x": pa.array(["1.5", "abc", "", "2"]), "f": [1.5, np.nan, 2.0, 1.5]})
    p = driftline.profile(t, {"x": "numeric", "f": "categorical"})
    assert p["x"].valid_count == 2 and p["x"].type_error_count == 2 and p["x"].mean == 1.75
    assert p["f"].frequencies == {"1.5": 2, "2": 1} and p["f"].type_error_count == 1


def test_bad_sketch_arguments() -> None:
    with pytest.raises(ValueError):
        driftline.KLL(k=1)
    with pytest.raises(ValueError):
        driftline.DDSketch(alpha=2.0)
    with pytest.raises(ValueError):
        driftline.Histogram.from_edges([1.0, 0.0])
    with pytest.raises(ValueError):
        driftline.Histogram.uniform(0, 0.0, 1.0)
    k = driftline.KLL()
    k.update(np.array([np.nan, np.inf, 1.0]))
    assert k.n == 1
    with pytest.raises(ValueError):
        k.quantile(float("nan"))
