"""Write the format-version-1 golden files (run once per format version; the files are committed).

python tests/golden/make_golden.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa

import driftline

HERE = Path(__file__).parent


def main() -> None:
    rng = np.random.default_rng(20261129)
    n = 5000
    x = rng.normal(10.0, 3.0, n)
    x[:7] = np.nan
    x[7] = np.inf
    t = pa.table(
        {
            "x": x,
            "k": pa.array(rng.integers(0, 5, n)),
            "s": pa.array(rng.choice(["red", "green", "blue"], n)),
            "m": pa.array([None if i % 10 == 0 else float(i) for i in range(n)]),
        }
    )
    base = driftline.profile(t.slice(0, 2500))
    p = driftline.profile(t, baseline=base).with_metadata({"model": "golden", "version": "1"})
    stats = {
        "x": {"count": n, "nan_count": 7, "posinf_count": 1, "min": p["x"].min, "max": p["x"].max},
        "k": {"count": n, "valid_count": n, "mean": p["k"].mean},
        "s": {"count": n, "frequencies": p["s"].frequencies},
        "m": {"null_count": 500, "max": 4999.0},
    }
    cases = {
        "profile_v1": (
            p.to_bytes(),
            {"kind": "profile", "row_count": n, "columns": p.columns, "stats": stats},
        ),
    }
    k = driftline.KLL()
    k.update(rng.lognormal(size=100_000))
    cases["kll_v1"] = (k.to_bytes(), {"kind": "kll", "n": k.n, "median": k.quantile(0.5)})
    d = driftline.DDSketch()
    d.update(rng.normal(size=50_000))
    cases["ddsketch_v1"] = (
        d.to_bytes(),
        {"kind": "ddsketch", "count": d.count, "median": d.quantile(0.5)},
    )
    h = driftline.Histogram.from_edges([0.0, 0.5, 1.0, 4.0])
    h.update(rng.exponential(size=1000))
    cases["histogram_v1"] = (
        h.to_bytes(),
        {"kind": "histogram", "counts": [int(c) for c in h.counts]},
    )
    for name, (blob, meta) in cases.items():
        (HERE / f"{name}.bin").write_bytes(blob)
        (HERE / f"{name}.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
