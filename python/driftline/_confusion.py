"""Metrics derived from a k x k confusion matrix, with scikit-learn's definitions.

The matrix is small (k classes), so this is plain NumPy; the counting itself happens in Rust.
Rows are true classes, columns predicted classes, as ``sklearn.metrics.confusion_matrix``.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

ZeroDivision = str | float

__all__ = [
    "Average",
    "ClassMetrics",
    "UndefinedMetricWarning",
    "derive",
    "derive_many",
    "warn_undefined",
    "wilson",
]


class UndefinedMetricWarning(UserWarning):
    """A metric's denominator was zero; the ``zero_division`` value was used."""


@dataclass(frozen=True)
class ClassMetrics:
    """One class against the rest."""

    label: Any
    support: int
    precision: float
    recall: float
    f1: float
    specificity: float


@dataclass(frozen=True)
class Average:
    """Precision, recall and F1 averaged over classes."""

    precision: float
    recall: float
    f1: float


def _zero_value(zero_division: ZeroDivision) -> float:
    if zero_division == "warn":
        return 0.0
    if isinstance(zero_division, str):
        raise ValueError(f"zero_division must be 'warn', 0, 1 or nan, got {zero_division!r}")
    z = float(zero_division)
    if not (math.isnan(z) or z in (0.0, 1.0)):
        raise ValueError(f"zero_division must be 'warn', 0, 1 or nan, got {zero_division!r}")
    return z


def _ratio(
    num: npt.NDArray[np.float64], den: npt.NDArray[np.float64], zero: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """``num / den`` elementwise, ``zero`` where ``den == 0``; and where that happened."""
    out: npt.NDArray[np.float64] = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    bad = den == 0
    out[bad] = zero
    return out, bad


def warn_undefined(undefined: list[tuple[str, int]], labels: list[Any]) -> None:
    """Warn once about ill-defined metrics (scikit-learn's ``zero_division="warn"``)."""
    if undefined:
        what = sorted({w for w, _ in undefined})
        classes = sorted({i for _, i in undefined if i >= 0})
        where = f" for label(s) {[labels[i] for i in classes]}" if classes else ""
        warnings.warn(
            f"{', '.join(what)} ill-defined (zero denominator){where}; set to 0.0 "
            "(choose with zero_division=)",
            UndefinedMetricWarning,
            stacklevel=3,
        )


def _nanmean_rows(
    x: npt.NDArray[np.float64], weights: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]:
    """Mean of each row of ``x`` over its non-NaN entries (NaN when there are none); with
    ``weights``, their weighted mean, ignoring the weights when every remaining one is zero
    (as scikit-learn's ``_nanaverage``)."""
    keep = ~np.isnan(x)
    count = keep.sum(axis=1)
    vals = np.where(keep, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = vals.sum(axis=1) / count
        if weights is None:
            return np.where(count > 0, mean, np.nan)
        w = np.where(keep, weights, 0.0)
        wsum = w.sum(axis=1)
        weighted = (vals * w).sum(axis=1) / wsum
    return np.where(count > 0, np.where(wsum > 0, weighted, mean), np.nan)


def derive(
    cm: npt.NDArray[np.integer[Any]],
    labels: list[Any],
    zero_division: ZeroDivision = "warn",
) -> dict[str, Any]:
    """Every confusion-matrix metric of ``cm`` (k x k, rows true, columns predicted), defined as
    in scikit-learn (``precision_recall_fscore_support``, ``balanced_accuracy_score``,
    ``matthews_corrcoef``, ``cohen_kappa_score``)."""
    return derive_many(np.asarray(cm)[None], labels, zero_division)[0]


def derive_many(
    cms: npt.NDArray[np.integer[Any]],
    labels: list[Any],
    zero_division: ZeroDivision = "warn",
) -> list[dict[str, Any]]:
    """:func:`derive` of each of ``m`` confusion matrices (an ``m x k x k`` array) at once: the
    metrics of every segment in a few array operations instead of a few per segment."""
    zero = _zero_value(zero_division)
    c = np.asarray(cms, dtype=np.float64)
    m, k = c.shape[0], c.shape[1]
    n = c.sum(axis=(1, 2))
    tp = np.diagonal(c, axis1=1, axis2=2)
    pred = c.sum(axis=1)
    true = c.sum(axis=2)
    fp, fn = pred - tp, true - tp
    tn = n[:, None] - tp - fp - fn
    precision, bad_p = _ratio(tp, pred, zero)
    recall, bad_r = _ratio(tp, true, zero)
    f1, bad_f = _ratio(2 * tp, 2 * tp + fp + fn, zero)
    specificity, bad_s = _ratio(tn, tn + fp, zero)
    stp, spred, strue = tp.sum(axis=1), pred.sum(axis=1), true.sum(axis=1)
    micro_p, bad_mp = _ratio(stp, spred, zero)
    micro_r, bad_mr = _ratio(stp, strue, zero)
    micro_f, bad_mf = _ratio(2 * stp, 2 * stp + fp.sum(axis=1) + fn.sum(axis=1), zero)
    macro = [_nanmean_rows(v) for v in (precision, recall, f1)]
    weighted = [np.where(strue > 0, _nanmean_rows(v, true), zero) for v in (precision, recall, f1)]
    # balanced_accuracy_score: mean recall over classes present in y_true.
    present = true > 0
    n_present = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        class_recall = np.where(present, tp / np.where(present, true, 1.0), 0.0)
        balanced = np.where(n_present > 0, class_recall.sum(axis=1) / n_present, np.nan)
        accuracy = np.where(n > 0, stp / n, np.nan)
    # matthews_corrcoef, multiclass form (Gorodkin 2004), 0 when undefined.
    cov_tp = stp * n - (true * pred).sum(axis=1)
    cov_pp = n * n - (pred * pred).sum(axis=1)
    cov_tt = n * n - (true * true).sum(axis=1)
    den_mcc = cov_tt * cov_pp
    with np.errstate(invalid="ignore", divide="ignore"):
        mcc = np.where(den_mcc == 0, 0.0, cov_tp / np.sqrt(np.where(den_mcc == 0, 1.0, den_mcc)))
        # cohen_kappa_score, unweighted: 1 - observed / expected disagreement.
        off = 1.0 - np.eye(k)
        expected = true[:, :, None] * pred[:, None, :] / np.where(n > 0, n, 1.0)[:, None, None]
        den_kappa = (off * expected).sum(axis=(1, 2))
        kappa = np.where(
            (n > 0) & (den_kappa > 0),
            1.0 - (off * c).sum(axis=(1, 2)) / np.where(den_kappa > 0, den_kappa, 1.0),
            np.nan,
        )
    out = []
    for j in range(m):
        # (metric, class index or -1 for an average) whose denominator was zero.
        undefined = [
            (what, int(i))
            for what, bad in (
                ("precision", bad_p),
                ("recall", bad_r),
                ("F-score", bad_f),
                ("specificity", bad_s),
            )
            for i in np.flatnonzero(bad[j])
        ] + [
            (what, -1)
            for what, bad in (
                ("micro precision", bad_mp),
                ("micro recall", bad_mr),
                ("micro F-score", bad_mf),
            )
            if bad[j]
        ]
        per_class = [
            ClassMetrics(lab, int(t), float(pr), float(rc), float(f), float(sp))
            for lab, t, pr, rc, f, sp in zip(
                labels,
                true[j].tolist(),
                precision[j].tolist(),
                recall[j].tolist(),
                f1[j].tolist(),
                specificity[j].tolist(),
                strict=True,
            )
        ]
        out.append(
            {
                "accuracy": float(accuracy[j]),
                "balanced_accuracy": float(balanced[j]),
                "per_class": per_class,
                "micro": Average(float(micro_p[j]), float(micro_r[j]), float(micro_f[j])),
                "macro": Average(*(float(v[j]) for v in macro)),
                "weighted": Average(*(float(v[j]) for v in weighted)),
                "mcc": float(mcc[j]),
                "kappa": float(kappa[j]),
                "undefined": undefined,
            }
        )
    return out


@functools.lru_cache(maxsize=16)
def _z(confidence: float) -> float:
    """The two-sided normal quantile of ``confidence``."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (NaN bounds when ``n == 0``)."""
    if n <= 0:
        return math.nan, math.nan
    z = _z(confidence)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)
