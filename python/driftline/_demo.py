"""Built-in example data: a reference dataset and a drifted current dataset."""

from __future__ import annotations

from typing import Any

import numpy as np

CITIES = [f"city_{i:02d}" for i in range(20)]
DEVICES = ["android", "ios", "web"]


def example_data(rows: int = 200_000, *, drift: bool = False, seed: int = 0) -> Any:
    """A pyarrow Table of synthetic model inputs and outputs.

    With ``drift=True`` the data moves the way production data does: ``age`` shifts up,
    ``income`` scales, ``session_s`` grows a heavy tail, city popularity changes and a city never
    seen before appears, ``device`` gets nulls, and ``income`` gets NaN and inf values from a
    broken upstream join. ``score`` and ``tenure_days`` stay put.
    """
    import pyarrow as pa

    rng = np.random.default_rng(seed + (1 if drift else 0))
    age = rng.normal(40.0 + (5.0 if drift else 0.0), 10.0, rows).round().clip(18, 95)
    income = rng.lognormal(10.5, 0.6, rows) * (1.2 if drift else 1.0)
    session = rng.exponential(120.0, rows)
    if drift:
        heavy = rng.random(rows) < 0.05
        session[heavy] *= 20.0
        bad = rng.random(rows)
        income[bad < 0.01] = np.nan
        income[(bad >= 0.01) & (bad < 0.012)] = np.inf
    tenure = rng.gamma(2.0, 200.0, rows)
    score = rng.beta(2.0, 5.0, rows)
    weights = 1.0 / np.arange(1, len(CITIES) + 1)
    if drift:
        weights = weights[::-1].copy()
    city = np.array([*CITIES, "city_new"], dtype=object)[
        rng.choice(len(CITIES), rows, p=weights / weights.sum())
    ]
    if drift:
        city[rng.random(rows) < 0.03] = "city_new"
    device = rng.choice(np.array(DEVICES, dtype=object), rows, p=[0.5, 0.35, 0.15])
    device_arr = pa.array(device, type=pa.string())
    if drift:
        mask = pa.array(rng.random(rows) < 0.08)
        device_arr = pa.compute.if_else(mask, pa.scalar(None, pa.string()), device_arr)
    return pa.table(
        {
            "age": pa.array(age.astype(np.int64)),
            "income": income,
            "session_s": session,
            "tenure_days": tenure,
            "score": score,
            "city": pa.array(city, type=pa.string()).dictionary_encode(),
            "device": device_arr,
        }
    )
