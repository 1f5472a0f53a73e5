"""driftline.stats against scipy: same numbers on hypothesis-generated and fixed-seed data."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
import scipy.stats as ss
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import jensenshannon

import driftline
from driftline import stats

small_ints = st.integers(-5, 5).map(float)
values = st.one_of(small_ints, st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False))
samples = arrays(np.float64, st.integers(1, 60), elements=values)


def close(a: float, b: float, rel: float) -> bool:
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b))


@given(a=samples, b=samples, alternative=st.sampled_from(["two-sided", "less", "greater"]))
def test_ks_2samp_matches_scipy_exact(a: np.ndarray, b: np.ndarray, alternative: str) -> None:
    with warnings.catch_warnings():
        # scipy warns when the exact computation fails and it falls back to asymp, as we do.
        warnings.simplefilter("ignore", RuntimeWarning)
        want = ss.ks_2samp(a, b, alternative=alternative, method="exact")
    got = stats.ks_2samp(a, b, alternative=alternative, method="exact")  # type: ignore[arg-type]
    assert abs(got.statistic - want.statistic) <= 1e-12
    assert close(got.pvalue, want.pvalue, 1e-9), (got, want)
    assert got.statistic_location == want.statistic_location
    assert got.statistic_sign == want.statistic_sign


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize(
    ("n1", "n2", "shift"), [(20_000, 15_000, 0.02), (1000, 50_000, 0.1), (30_000, 30_000, 0.0)]
)
def test_ks_2samp_matches_scipy_asymp_and_auto(
    alternative: str, n1: int, n2: int, shift: float
) -> None:
    rng = np.random.default_rng(n1 + n2)
    a = rng.normal(size=n1).round(2)  # ties
    b = rng.normal(shift, 1.0, n2).round(2)
    for method in ("auto", "asymp"):
        want = ss.ks_2samp(a, b, alternative=alternative, method=method)
        got = stats.ks_2samp(a, b, alternative=alternative, method=method)  # type: ignore[arg-type]
        assert abs(got.statistic - want.statistic) <= 1e-12
        assert close(got.pvalue, want.pvalue, 1e-9), (method, got, want)


@given(
    a=samples,
    b=samples,
    wa=st.booleans(),
)
def test_wasserstein_matches_scipy(a: np.ndarray, b: np.ndarray, wa: bool) -> None:
    rng = np.random.default_rng(len(a) * 100 + len(b))
    aw = rng.random(len(a)) + 0.1 if wa else None
    bw = rng.random(len(b)) + 0.1 if wa else None
    want = ss.wasserstein_distance(a, b, aw, bw)
    got = stats.wasserstein_distance(a, b, aw, bw)
    assert close(got, want, 1e-9) or abs(got - want) < 1e-12


def test_inputs_of_every_kind_and_result_objects() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=500), rng.normal(0.3, 1, 400)
    want = ss.ks_2samp(a, b)
    for conv in (np.asarray, pa.array, pl.Series, pd.Series):
        r = stats.ks_2samp(conv(a), conv(b))
        assert abs(r.statistic - want.statistic) <= 1e-12
    r = stats.ks_2samp(a, b)
    assert pickle.loads(pickle.dumps(r)) == r and "KSResult(statistic=" in repr(r)
    with pytest.raises(driftline.InsufficientDataError):
        stats.ks_2samp(np.array([]), b)
    with pytest.raises(ValueError, match="NaN"):
        stats.ks_2samp(np.array([1.0, np.nan]), b)
    with pytest.raises(ValueError):
        stats.ks_2samp(a, b, alternative="sideways")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        stats.ks_2samp(np.array(["x", "y"]), b)


def test_normed_wasserstein() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 2, 1000), rng.normal(1, 2, 1000)
    assert stats.wasserstein_distance_normed(a, b) == pytest.approx(
        ss.wasserstein_distance(a, b) / np.std(a), rel=1e-12
    )
    assert stats.wasserstein_distance_normed(np.ones(5), np.ones(3)) == 0.0


@given(
    ref=st.lists(st.sampled_from("abcde"), min_size=1, max_size=200),
    cur=st.lists(st.sampled_from("abcdef"), min_size=1, max_size=200),
)
def test_chi2_contingency_matches_scipy(ref: list[str], cur: list[str]) -> None:
    cats = sorted(set(ref) | set(cur))
    table = np.array([[ref.count(c) for c in cats], [cur.count(c) for c in cats]])
    got = stats.chi2_contingency(ref, cur)
    if len(cats) == 1:
        assert (got.statistic, got.pvalue, got.dof) == (0.0, 1.0, 0)
        return
    want = ss.chi2_contingency(table)
    assert got.dof == want.dof
    assert close(got.statistic, want.statistic, 1e-12) or abs(got.statistic) < 1e-12
    assert close(got.pvalue, want.pvalue, 1e-9)
    v = ss.contingency.association(table, method="cramer")
    assert got.cramers_v == pytest.approx(v, rel=1e-9, abs=1e-12)


def test_binned_divergences() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=5000), rng.normal(0.5, 1, 4000)
    r = stats.psi(a, b)
    assert np.isfinite(r.statistic) and r.statistic > 0.1
    assert len(r.edges) == 11 and sum(r.reference_counts) == 5000 and sum(r.current_counts) == 4000
    # Disjoint supports stay finite.
    d = stats.psi(np.zeros(100) + np.arange(100), np.arange(100) + 1000.0)
    assert np.isfinite(d.statistic) and d.empty_bins > 0
    js = stats.jensen_shannon(a, b)
    p = np.asarray(js.reference_counts) / 5000
    q = np.asarray(js.current_counts) / 4000
    assert js.statistic == pytest.approx(jensenshannon(p, q, base=2), rel=1e-12)
    assert stats.jensen_shannon(a, a).statistic == 0.0
    assert stats.jensen_shannon(a, b, base=np.e).statistic == pytest.approx(
        jensenshannon(p, q), rel=1e-12
    )
    assert 0 < stats.hellinger(a, b).statistic < 1
    assert stats.kl_divergence(a, b).statistic > 0
    u = stats.psi(a, b, bins=5, binning="uniform")
    assert len(u.edges) == 6
    e = stats.psi(a, b, binning=[-1.0, 0.0, 1.0])
    assert e.edges == (-1.0, 0.0, 1.0)


def test_two_proportion_ztest() -> None:
    a = np.array([1] * 30 + [0] * 70)
    b = np.array([1] * 45 + [0] * 55)
    r = stats.two_proportion_ztest(a, b)
    p = 75 / 200
    z = (0.30 - 0.45) / np.sqrt(p * (1 - p) * (1 / 100 + 1 / 100))
    assert r.statistic == pytest.approx(z, rel=1e-12)
    assert r.pvalue == pytest.approx(2 * ss.norm.sf(abs(z)), rel=1e-9)
    with pytest.raises(ValueError):
        stats.two_proportion_ztest(np.array([0.5]), b)
