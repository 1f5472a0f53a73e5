"""Exact two-sample drift statistics on raw arrays, computed in Rust.

Every function takes NumPy arrays, Arrow arrays, or polars/pandas series, and returns the same
numbers as the SciPy function of the same name (where SciPy has one): ``ks_2samp`` (statistic
to 1e-12, p-value to 1e-9 relative, exact and asymptotic methods), ``wasserstein_distance`` and
``chi2_contingency`` on the 2xk table of category counts. Results are small frozen dataclasses
with named fields; they print readably and pickle.

NaN in numeric input raises ``ValueError`` (SciPy would return NaN); empty input raises
:class:`driftline.InsufficientDataError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from driftline import _core

__all__ = [
    "BinnedResult",
    "Chi2Result",
    "KSResult",
    "ZTestResult",
    "chi2_contingency",
    "hellinger",
    "jensen_shannon",
    "kl_divergence",
    "ks_2samp",
    "psi",
    "two_proportion_ztest",
    "wasserstein_distance",
    "wasserstein_distance_normed",
]

Binning = Literal["quantile", "uniform"] | Sequence[float] | npt.ArrayLike


def float_array(x: Any, name: str) -> npt.NDArray[np.float64]:
    """A contiguous float64 array (any shape) from NumPy, Arrow, polars or pandas input."""
    if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray):
        try:
            x = x.to_numpy(zero_copy_only=False)
        except TypeError:
            x = x.to_numpy()
    try:
        return np.ascontiguousarray(x, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be numeric: {e}") from None


def _floats(x: Any, name: str) -> npt.NDArray[np.float64]:
    """:func:`float_array`, flattened."""
    return float_array(x, name).ravel()


def _labels(x: Any) -> npt.NDArray[Any]:
    if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray):
        try:
            x = x.to_numpy(zero_copy_only=False)
        except TypeError:
            x = x.to_numpy()
    return np.asarray(x).ravel()


@dataclass(frozen=True)
class KSResult:
    """Two-sample Kolmogorov-Smirnov test (the fields of ``scipy.stats.ks_2samp``)."""

    statistic: float
    pvalue: float
    statistic_location: float
    statistic_sign: int
    method: str


def ks_2samp(
    a: Any,
    b: Any,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    method: Literal["auto", "exact", "asymp"] = "auto",
) -> KSResult:
    """Two-sample Kolmogorov-Smirnov test, as ``scipy.stats.ks_2samp``.

    ``method="auto"`` uses the exact null distribution when ``max(len(a), len(b)) <= 10000``
    and the asymptotic one otherwise (falling back to asymptotic when exact computation
    overflows, as SciPy does); ``method`` in the result says which was used.
    """
    s, p, loc, sign, used = _core.ks_2samp(_floats(a, "a"), _floats(b, "b"), alternative, method)
    return KSResult(s, p, loc, sign, used)


def wasserstein_distance(
    a: Any, b: Any, a_weights: Any | None = None, b_weights: Any | None = None
) -> float:
    """First Wasserstein distance between two samples, as ``scipy.stats.wasserstein_distance``."""
    aw = None if a_weights is None else _floats(a_weights, "a_weights")
    bw = None if b_weights is None else _floats(b_weights, "b_weights")
    return float(_core.wasserstein_distance(_floats(a, "a"), _floats(b, "b"), aw, bw))


def wasserstein_distance_normed(reference: Any, current: Any) -> float:
    """Wasserstein distance divided by the reference standard deviation (ddof=0).

    This is the "normed Wasserstein" drift score of Evidently; 0 when the reference is constant
    and the distance is 0, ``inf`` when the reference is constant and the distance is not.
    """
    ref = _floats(reference, "reference")
    d = wasserstein_distance(ref, current)
    sd = float(np.std(ref))
    if sd == 0.0:
        return 0.0 if d == 0.0 else float("inf")
    return d / sd


@dataclass(frozen=True)
class BinnedResult:
    """A divergence between binned samples, with the binning it used."""

    statistic: float
    edges: tuple[float, ...]
    reference_counts: tuple[float, ...]
    current_counts: tuple[float, ...]
    epsilon: float | None = None
    empty_bins: int = field(default=0)


def _binned(reference: Any, current: Any, bins: int, binning: Binning) -> tuple[Any, ...]:
    ref = _floats(reference, "reference")
    cur = _floats(current, "current")
    if isinstance(binning, str):
        if bins < 1:
            raise ValueError(f"bins must be at least 1, got {bins}")
        if binning == "quantile":
            edges = _core.quantile_edges(ref, bins)
        elif binning == "uniform":
            if ref.size == 0:
                raise _core.InsufficientDataError("reference is empty")
            lo, hi = float(ref.min()), float(ref.max())
            edges = list(np.linspace(lo, hi, bins + 1)) if hi > lo else [lo]
        else:
            raise ValueError(f"binning must be 'quantile', 'uniform' or edges, got {binning!r}")
    else:
        edges = [float(e) for e in np.asarray(binning, dtype=np.float64).ravel()]
    r = _core.bin_counts(ref, edges)
    c = _core.bin_counts(cur, edges)
    return tuple(edges), r, c


def _divergence(
    kind: str, reference: Any, current: Any, bins: int, binning: Binning, param: float
) -> BinnedResult:
    edges, r, c = _binned(reference, current, bins, binning)
    stat = _core.divergence(kind, r, c, param)
    empty = sum(1 for x, y in zip(r, c, strict=True) if x == 0 or y == 0)
    eps = param if kind in ("psi", "kl_divergence") else None
    return BinnedResult(stat, edges, tuple(r), tuple(c), eps, empty)


def psi(
    reference: Any,
    current: Any,
    bins: int = 10,
    binning: Binning = "quantile",
    epsilon: float = 1e-4,
) -> BinnedResult:
    """Population stability index ``Σ (c_i - r_i)·ln(c_i / r_i)`` on bin proportions.

    Bins: ``"quantile"`` (default) puts the edges at the reference's quantiles, ``"uniform"``
    spaces them evenly over the reference range, or pass the edges. The outer bins are open
    (values below the first edge count in the first bin, above the last edge in the last).
    Proportions below ``epsilon`` are raised to ``epsilon`` so that empty bins give a finite
    value; ``empty_bins`` in the result counts the bins where that happened on either side.
    """
    return _divergence("psi", reference, current, bins, binning, epsilon)


def jensen_shannon(
    reference: Any,
    current: Any,
    bins: int = 10,
    binning: Binning = "quantile",
    base: float = 2.0,
) -> BinnedResult:
    """Jensen-Shannon distance (square root of the divergence), as
    ``scipy.spatial.distance.jensenshannon(p, q, base)``; in [0, 1] for base 2."""
    return _divergence("jensen_shannon", reference, current, bins, binning, base)


def kl_divergence(
    reference: Any,
    current: Any,
    bins: int = 10,
    binning: Binning = "quantile",
    epsilon: float = 1e-4,
) -> BinnedResult:
    """Kullback-Leibler divergence ``KL(current || reference)`` (natural log), proportions
    below ``epsilon`` raised to ``epsilon``."""
    return _divergence("kl_divergence", reference, current, bins, binning, epsilon)


def hellinger(
    reference: Any, current: Any, bins: int = 10, binning: Binning = "quantile"
) -> BinnedResult:
    """Hellinger distance between the binned distributions, in [0, 1]."""
    return _divergence("hellinger", reference, current, bins, binning, 0.0)


@dataclass(frozen=True)
class Chi2Result:
    """Chi-square test of homogeneity on the 2xk table of category counts."""

    statistic: float
    pvalue: float
    dof: int
    cramers_v: float
    categories: tuple[Any, ...]


def chi2_contingency(reference_values: Any, current_values: Any) -> Chi2Result:
    """Chi-square test that two samples of labels come from one distribution.

    Equals ``scipy.stats.chi2_contingency`` on the 2xk table of the two samples' category
    counts (with Yates' correction when there are two categories). Cramér's V uses the
    uncorrected statistic, as ``scipy.stats.contingency.association``.
    """
    ref = _labels(reference_values)
    cur = _labels(current_values)
    if ref.size == 0 or cur.size == 0:
        raise _core.InsufficientDataError("chi2_contingency needs two non-empty samples")
    cats, inv = np.unique(np.concatenate([ref, cur]), return_inverse=True)
    rc = np.bincount(inv[: ref.size], minlength=len(cats)).tolist()
    cc = np.bincount(inv[ref.size :], minlength=len(cats)).tolist()
    s, p, dof, v = _core.chi2_contingency_2xk(rc, cc)
    return Chi2Result(s, p, dof, v, tuple(cats.tolist()))


@dataclass(frozen=True)
class ZTestResult:
    """Pooled two-proportion z-test."""

    statistic: float
    pvalue: float
    p_reference: float
    p_current: float


def two_proportion_ztest(reference: Any, current: Any) -> ZTestResult:
    """Two-sided pooled z-test that two binary samples have the same rate of ``True``/1
    (as ``statsmodels.stats.proportion.proportions_ztest``)."""
    ref = _floats(reference, "reference")
    cur = _floats(current, "current")
    for name, arr in (("reference", ref), ("current", cur)):
        if not np.all((arr == 0) | (arr == 1)):
            raise ValueError(f"{name} must hold only 0/1 or booleans")
    s, p, pr, pc = _core.two_proportion_ztest(int(ref.sum()), ref.size, int(cur.sum()), cur.size)
    return ZTestResult(s, p, pr, pc)
