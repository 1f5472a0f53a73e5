"""driftline.stats against scipy.stats, side by side in one run.

python benches/bench_stats.py
"""

from __future__ import annotations

import time

import numpy as np
import scipy.stats as ss
from bench_core import make_table, timeit

import driftline
from driftline import stats


def main() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    a = rng.normal(size=n)
    b = rng.normal(0.1, 1.0, n)
    rows = [
        (
            "exact KS 1M vs 1M (statistic + asymptotic p-value)",
            timeit(lambda: stats.ks_2samp(a, b), 7),
            timeit(lambda: ss.ks_2samp(a, b), 7),
            ">= 5x",
        ),
        (
            "Wasserstein 1M vs 1M",
            timeit(lambda: stats.wasserstein_distance(a, b), 7),
            timeit(lambda: ss.wasserstein_distance(a, b), 7),
            ">= 10x",
        ),
    ]
    # Two independent samples (different seeds) of the same distribution.
    ref_t, cur_t = make_table(1_000_000, seed=2), make_table(1_000_000, seed=3)
    t0 = time.perf_counter()
    base = driftline.profile(ref_t)
    cur = driftline.profile(cur_t, baseline=base)
    driftline.compare(base, cur)
    flow = time.perf_counter() - t0
    cmp = timeit(lambda: driftline.compare(base, cur), 20)
    print("| benchmark | driftline | scipy | ratio | target |")
    print("|---|---|---|---|---|")
    for name, ours, theirs, target in rows:
        print(
            f"| {name} | {ours * 1e3:.1f} ms | {theirs * 1e3:.1f} ms | {theirs / ours:.1f}x "
            f"| {target} |"
        )
    flow_name = "whole flow: profile 1M + 1M rows x 25 columns, compare"
    print(f"| {flow_name} | {flow:.2f} s | - | - | <= 1.5 s |")
    print(f"| compare of two 25-column profiles | {cmp * 1e3:.1f} ms | - | - | <= 10 ms |")


if __name__ == "__main__":
    main()
