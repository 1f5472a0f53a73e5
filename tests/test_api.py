"""The public API: names, inputs, schema."""

from __future__ import annotations

import pickle

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

import driftline


def table(n: int = 1000, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "x": rng.normal(size=n),
            "i": rng.integers(0, 100, n),
            "b": rng.random(n) < 0.3,
            "s": pa.array(rng.choice(["a", "b", "c"], n)),
        }
    )


def test_public_names() -> None:
    for name in [
        "profile",
        "Profile",
        "Profiler",
        "ColumnProfile",
        "Schema",
        "KLL",
        "DDSketch",
        "Histogram",
        "DriftlineError",
        "CorruptDataError",
        "IncompatibleError",
        "SchemaError",
        "UnsupportedTypeError",
    ]:
        assert hasattr(driftline, name), name
    assert issubclass(driftline.CorruptDataError, driftline.DriftlineError)
    assert issubclass(driftline.UnsupportedTypeError, driftline.SchemaError)


def test_profile_basics() -> None:
    t = table()
    p = driftline.profile(t)
    assert p.row_count == 1000
    assert p.columns == ["x", "i", "b", "s"]
    assert dict(p.schema) == {"x": "numeric", "i": "numeric", "b": "numeric", "s": "categorical"}
    x = t["x"].to_numpy()
    c = p["x"]
    assert isinstance(c, driftline.ColumnProfile)
    assert c.count == 1000 and c.null_count == 0 and c.valid_count == 1000
    assert c.min == x.min() and c.max == x.max()
    assert c.mean == pytest.approx(x.mean(), rel=1e-12)
    assert c.variance == pytest.approx(x.var(), rel=1e-12)
    assert c.var(ddof=1) == pytest.approx(x.var(ddof=1), rel=1e-12)
    assert c.quantile(0.0) == x.min() and c.quantile(1.0) == x.max()
    assert c.rank(x.max()) == 1.0
    assert p["b"].mean == pytest.approx(t["b"].to_numpy(zero_copy_only=False).mean())
    s = p["s"]
    assert s.kind == "categorical" and s.is_exact and s.distinct_count == 3
    assert sum(s.frequencies.values()) == 1000
    assert "x" in p and "nope" not in p
    with pytest.raises(KeyError):
        p["nope"]
    with pytest.raises(TypeError):
        _ = s.mean
    assert "Profile(rows=1000" in repr(p)


@pytest.mark.parametrize(
    "convert",
    [
        lambda t: t,
        lambda t: t.to_batches()[0],
        lambda t: pa.RecordBatchReader.from_batches(t.schema, t.to_batches(max_chunksize=128)),
        lambda t: pl.from_arrow(t),
        lambda t: t.to_pandas(),
        lambda t: {name: t[name].to_numpy() for name in t.column_names},
    ],
    ids=["table", "batch", "reader", "polars", "pandas", "dict"],
)
def test_inputs_agree(convert) -> None:  # type: ignore[no-untyped-def]
    t = table(5000, seed=3)
    ref = driftline.profile(t)
    p = driftline.profile(convert(t))
    assert p.row_count == ref.row_count
    for name in ["x", "i"]:
        assert p[name].count == ref[name].count
        assert p[name].mean == pytest.approx(ref[name].mean, rel=1e-12)
        assert p[name].min == ref[name].min and p[name].max == ref[name].max
    assert p["s"].frequencies == ref["s"].frequencies


def test_schema_declared_and_inferred() -> None:
    t = table()
    s = driftline.Schema.from_dict({"i": "categorical", "x": "numeric"})
    p = driftline.profile(t, s)
    assert p.columns == ["i", "x"]
    assert p["i"].kind == "categorical" and p["i"].distinct_count == len(np.unique(t["i"]))
    assert driftline.Schema.infer(t).columns["s"] == "categorical"
    with pytest.raises(driftline.SchemaError):
        driftline.Schema.from_dict({"a": "bogus"})
    with pytest.raises(TypeError):
        driftline.profile(t, bogus_option=3)
    with pytest.raises(TypeError):
        driftline.profile([1, 2, 3])


def test_options_and_incompatible_merge() -> None:
    t = table()
    a = driftline.profile(t, kll_k=100)
    b = driftline.profile(t)
    assert a.config["kll_k"] == 100
    with pytest.raises(driftline.IncompatibleError, match="kll_k"):
        a.merge(b)
    c = driftline.profile(t, {"x": "numeric"})
    with pytest.raises(driftline.IncompatibleError, match="schema"):
        b.merge(c)
    with pytest.raises(ValueError):
        driftline.profile(t, kll_k=2)


def test_baseline_histograms_and_edge_mismatch() -> None:
    ref = driftline.profile(table(20_000, seed=1))
    cur_t = table(10_000, seed=2)
    cur = driftline.profile(cur_t, baseline=ref)
    h = cur["x"].histogram
    assert h is not None
    edges = np.asarray(ref.bin_edges()["x"])
    np.testing.assert_array_equal(h.edges, edges)
    x = cur_t["x"].to_numpy()
    counts, _ = np.histogram(x[(x >= edges[0]) & (x <= edges[-1])], bins=edges)
    np.testing.assert_array_equal(h.counts, counts)
    assert h.underflow == int((x < edges[0]).sum()) and h.overflow == int((x > edges[-1]).sum())
    assert h.total == cur["x"].valid_count
    with pytest.raises(driftline.IncompatibleError, match=r"bin_edges|histogram"):
        cur.merge(driftline.profile(cur_t))
    cur2 = driftline.profile(cur_t, baseline=driftline.profile(table(20_000, seed=9)))
    with pytest.raises(driftline.IncompatibleError):
        cur.merge(cur2)


def test_sketch_classes() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=100_000)
    k = driftline.KLL()
    assert k.k == 200
    k.update(x)
    k.update(1.5)
    assert k.n == 100_001 and len(k) == 100_001
    q = k.quantile([0.1, 0.5, 0.9])
    assert isinstance(q, np.ndarray) and np.all(np.diff(q) >= 0)
    assert isinstance(k.quantile(0.5), float)
    assert abs(k.rank(0.0) - 0.5) < 0.0133
    cdf = k.cdf([-1.0, 0.0, 1.0])
    assert len(cdf) == 4 and cdf[-1] == 1.0
    k2 = pickle.loads(pickle.dumps(k))
    assert k2.quantile(0.5) == k.quantile(0.5)
    assert driftline.KLL.from_bytes(k.to_bytes()).n == k.n
    k.merge(k2)
    assert k.n == 200_002
    with pytest.raises(driftline.IncompatibleError):
        k.merge(driftline.KLL(k=100))
    with pytest.raises(ValueError):
        k.quantile(1.5)
    with pytest.raises(driftline.InsufficientDataError):
        driftline.KLL().quantile(0.5)
    d = driftline.DDSketch()
    d.update(np.abs(x) + 1)
    assert d.count == 100_000
    assert pickle.loads(pickle.dumps(d)).quantile(0.5) == d.quantile(0.5)
    h = driftline.Histogram.uniform(4, 0.0, 4.0)
    h.update(np.array([0.0, 1.0, 1.5, 3.999, 4.0, 5.0, -1.0, np.nan]))
    assert list(h.counts) == [1, 2, 0, 2]
    assert (h.underflow, h.overflow, h.nan_count, h.total) == (1, 1, 1, 8)
    h2 = driftline.Histogram.from_edges([0.0, 1.0, 10.0])
    h2.update(np.arange(12.0))
    assert list(h2.counts) == [1, 10] and h2.overflow == 1
    assert list(pickle.loads(pickle.dumps(h2)).counts) == [1, 10]
