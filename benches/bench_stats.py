"""driftline.stats against scipy.stats, side by side in one run.

python benches/bench_stats.py
"""

from __future__ import annotations

import numpy as np
import scipy.stats as ss
from bench_core import timeit

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
    print("| benchmark | driftline | scipy | ratio | target |")
    print("|---|---|---|---|---|")
    for name, ours, theirs, target in rows:
        print(
            f"| {name} | {ours * 1e3:.1f} ms | {theirs * 1e3:.1f} ms | {theirs / ours:.1f}x "
            f"| {target} |"
        )


if __name__ == "__main__":
    main()
