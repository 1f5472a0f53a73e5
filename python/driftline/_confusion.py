"""Metrics derived from a k x k confusion matrix, with scikit-learn's definitions.

The matrix is small (k classes), so this is plain NumPy; the counting itself happens in Rust.
Rows are true classes, columns predicted classes, as ``sklearn.metrics.confusion_matrix``.
"""

from __future__ import annotations

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
    num: npt.NDArray[np.float64],
    den: npt.NDArray[np.float64],
    zero_division: ZeroDivision,
    what: str,
    undefined: list[tuple[str, int]],
) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    bad = den == 0
    if np.any(bad):
        undefined.extend((what, int(i)) for i in np.flatnonzero(bad))
        out[bad] = _zero_value(zero_division)
    return out


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


def _nanmean(x: npt.NDArray[np.float64], weights: npt.NDArray[np.float64] | None = None) -> float:
    keep = ~np.isnan(x)
    if not np.any(keep):
        return math.nan
    if weights is None:
        return float(np.mean(x[keep]))
    w = weights[keep]
    # As scikit-learn's _nanaverage: when every remaining weight is zero, ignore the weights.
    return float(np.sum(x[keep] * w) / np.sum(w)) if np.sum(w) > 0 else float(np.mean(x[keep]))


def derive(
    cm: npt.NDArray[np.integer[Any]],
    labels: list[Any],
    zero_division: ZeroDivision = "warn",
) -> dict[str, Any]:
    """Every confusion-matrix metric of ``cm`` (k x k, rows true, columns predicted), defined as
    in scikit-learn (``precision_recall_fscore_support``, ``balanced_accuracy_score``,
    ``matthews_corrcoef``, ``cohen_kappa_score``)."""
    _zero_value(zero_division)
    c = np.asarray(cm, dtype=np.float64)
    n = c.sum()
    tp = np.diag(c)
    pred = c.sum(axis=0)
    true = c.sum(axis=1)
    fp, fn = pred - tp, true - tp
    tn = n - tp - fp - fn
    undefined: list[tuple[str, int]] = []
    precision = _ratio(tp, pred, zero_division, "precision", undefined)
    recall = _ratio(tp, true, zero_division, "recall", undefined)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division, "F-score", undefined)
    specificity = _ratio(tn, tn + fp, zero_division, "specificity", undefined)
    per_class = [
        ClassMetrics(
            lab, int(true[i]), *(float(v[i]) for v in (precision, recall, f1, specificity))
        )
        for i, lab in enumerate(labels)
    ]

    def scalar(num: float, den: float, what: str) -> float:
        return float(_ratio(np.array([num]), np.array([den]), zero_division, what, undefined)[0])

    micro = Average(
        scalar(tp.sum(), pred.sum(), "micro precision"),
        scalar(tp.sum(), true.sum(), "micro recall"),
        scalar(2 * tp.sum(), 2 * tp.sum() + fp.sum() + fn.sum(), "micro F-score"),
    )
    macro = Average(_nanmean(precision), _nanmean(recall), _nanmean(f1))
    if true.sum() > 0:
        weighted = Average(*(_nanmean(v, true) for v in (precision, recall, f1)))
    else:
        z = _zero_value(zero_division)
        weighted = Average(z, z, z)
    # balanced_accuracy_score: mean recall over classes present in y_true.
    present = true > 0
    balanced = float(np.mean(tp[present] / true[present])) if np.any(present) else math.nan
    # matthews_corrcoef, multiclass form (Gorodkin 2004), 0 when undefined.
    cov_tp = tp.sum() * n - np.dot(true, pred)
    cov_pp = n * n - np.dot(pred, pred)
    cov_tt = n * n - np.dot(true, true)
    mcc = 0.0 if cov_pp * cov_tt == 0 else float(cov_tp / math.sqrt(cov_tt * cov_pp))
    # cohen_kappa_score, unweighted.
    if n > 0:
        expected = np.outer(true, pred) / n
        w = 1.0 - np.eye(len(labels))
        den = float(np.sum(w * expected))
        kappa = 1.0 - float(np.sum(w * c)) / den if den > 0 else math.nan
    else:
        kappa = math.nan
    return {
        "accuracy": float(tp.sum() / n) if n > 0 else math.nan,
        "balanced_accuracy": balanced,
        "per_class": per_class,
        "micro": micro,
        "macro": macro,
        "weighted": weighted,
        "mcc": mcc,
        "kappa": kappa,
        # (metric, class index or -1 for an average) whose denominator was zero.
        "undefined": [(w, i) for w, i in undefined if "micro" not in w]
        + [(w, -1) for w, _ in undefined if "micro" in w],
    }


def wilson(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (NaN bounds when ``n == 0``)."""
    if n <= 0:
        return math.nan, math.nan
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)
