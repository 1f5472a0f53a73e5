"""Accuracy against exact NumPy answers: counts, min/max, moments, KLL and DDSketch bounds."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import driftline

KLL_BOUND = 0.0133  # single-rank normalized error of KLL at k=200, 99% confidence
ALPHA = 0.01


def distributions(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    half = n // 2
    return {
        "uniform": rng.random(n),
        "normal": rng.normal(3.0, 2.0, n),
        "lognormal": rng.lognormal(0.0, 2.0, n),
        "pareto": rng.pareto(1.5, n) + 1.0,
        "bimodal": np.concatenate([rng.normal(-5, 1, half), rng.normal(5, 0.5, n - half)]),
        "heavy_ties": np.floor(rng.random(n) * 7.0),
        "zipf": rng.zipf(1.7, n).astype(np.float64),
        "sorted_asc": np.sort(rng.normal(size=n)),
        "sorted_desc": np.sort(rng.normal(size=n))[::-1].copy(),
        "sawtooth": (np.arange(n) % 1000).astype(np.float64) + rng.random(n) * 1e-3,
        "exponential": rng.exponential(5.0, n),
    }


def max_rank_error(sorted_x: np.ndarray, ranks_at) -> float:  # type: ignore[no-untyped-def]
    n = len(sorted_x)
    probes = sorted_x[np.ceil(np.arange(1, 100) / 100 * n).astype(int) - 1]
    true = np.searchsorted(sorted_x, probes, side="right") / n
    return float(np.max(np.abs(ranks_at(probes) - true)))


def test_kll_rank_error_bound_over_distributions_and_seeds() -> None:
    n = 200_000
    failures, trials, worst = 0, 0, 0.0
    for seed in range(10):
        for x in distributions(n, seed).values():
            k = driftline.KLL()
            k.update(x)
            err = max_rank_error(np.sort(x), k.rank)
            worst = max(worst, err)
            trials += 1
            failures += err > KLL_BOUND
    assert trials >= 100
    assert failures <= trials // 100, (failures, trials, worst)


def test_kll_bound_after_merging_and_in_profiles() -> None:
    failures, trials = 0, 0
    for seed in range(3):
        for x in distributions(300_000, 100 + seed).values():
            parts = np.array_split(x, 7)
            k = driftline.KLL()
            for part in parts:
                s = driftline.KLL()
                s.update(part)
                k.merge(s)
            p = driftline.profile(pa.table({"x": x}))
            sx = np.sort(x)
            for ranks in (k.rank, p["x"].rank):
                trials += 1
                failures += max_rank_error(sx, ranks) > KLL_BOUND
    assert failures <= max(1, trials // 100), (failures, trials)


def test_quantiles_monotone_and_exact_ends() -> None:
    for x in distributions(50_000, 7).values():
        k = driftline.KLL()
        k.update(x)
        qs = np.linspace(0, 1, 1001)
        v = k.quantile(qs)
        assert np.all(np.diff(v) >= 0)
        assert v[0] == x.min() and v[-1] == x.max()


def test_ddsketch_relative_error_every_trial() -> None:
    qs = np.array([0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999])
    for seed in range(5):
        for name, x in distributions(100_000, seed).items():
            d = driftline.DDSketch()
            d.update(x)
            exact = np.quantile(x, qs, method="lower")
            est = d.quantile(qs)
            nonzero = exact != 0
            rel = np.abs(est[nonzero] - exact[nonzero]) / np.abs(exact[nonzero])
            assert np.all(rel <= ALPHA * (1 + 1e-9)), (name, seed, rel.max())
            assert np.all(est[~nonzero] == 0)


def exact_moments(x: np.ndarray) -> tuple[float, float]:
    mean = math.fsum(x) / len(x)
    return mean, math.fsum((x - mean) ** 2) / len(x)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(
    x=arrays(np.float64, st.integers(1, 3000), elements=finite),
    offset=st.sampled_from([0.0, 1e3, -1e6, 1e9]),
    chunks=st.integers(1, 5),
)
def test_counts_min_max_moments_match_exact(x: np.ndarray, offset: float, chunks: int) -> None:
    x = x + offset
    t = pa.Table.from_batches([pa.record_batch({"x": c}) for c in np.array_split(x, chunks)])
    c = driftline.profile(t)["x"]
    assert c.count == len(x) and c.valid_count == len(x)
    assert c.min == x.min() and c.max == x.max()
    mean, var = exact_moments(x)
    scale = float(np.abs(x).max())
    assert c.mean == pytest.approx(mean, rel=1e-12, abs=1e-12 * scale)
    # Variance: relative to the variance itself, or to the data scale when it cancels to ~0.
    assert c.variance == pytest.approx(var, rel=1e-12, abs=1e-12 * scale * scale * 1e-4)


@given(arrays(np.float64, st.integers(1, 200), elements=finite))
def test_small_kll_is_exact(x: np.ndarray) -> None:
    k = driftline.KLL()
    k.update(x)
    sx = np.sort(x)
    np.testing.assert_array_equal(k.rank(sx), np.searchsorted(sx, sx, side="right") / len(x))


def test_fixed_seed_moments_many_shapes() -> None:
    for seed in range(3):
        for name, x in distributions(1_000_003, seed).items():
            c = driftline.profile({"x": x})["x"]
            mean, var = exact_moments(x)
            assert c.mean == pytest.approx(mean, rel=1e-12), name
            assert c.variance == pytest.approx(var, rel=1e-12), name


def test_ks_between_sketches_within_bound_of_exact_ks() -> None:
    """|KS from two KLL sketches - exact KS on the raw samples| <= eps1 + eps2 (each bound holds
    with 99% confidence, so at most 1% of trials may miss), over every distribution family."""
    from scipy import stats as ss

    from driftline import _core

    n = 60_000
    failures, trials = 0, 0
    for seed in range(6):
        ref = distributions(n, seed)
        cur = distributions(n, 1000 + seed)
        for name, a in ref.items():
            b = cur[name] * 1.05 if seed % 2 else cur[name]
            pa_, pb = driftline.profile({"x": a}), driftline.profile({"x": b})
            d, bound = _core.ks_sketches(pa_["x"], pb["x"])
            exact = ss.ks_2samp(a[np.isfinite(a)], b[np.isfinite(b)]).statistic
            trials += 1
            failures += abs(d - exact) > bound
    assert trials >= 60
    assert failures <= trials // 100, (failures, trials)
