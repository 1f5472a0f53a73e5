"""Model performance: classification and regression metrics, per segment, fairness gaps, and
the change of each metric against a baseline.

The counting runs in Rust, in one pass over the data, in mergeable accumulators
(:class:`driftline.Performance`); the metrics are derived here from the small matrices they
hold. Numbers on raw arrays are scikit-learn's (``exact=True``, the default: ROC AUC and
average precision are computed exactly); numbers from accumulators (profiles, monitors) carry a
bound for the binned AUCs. See ``docs/metrics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from driftline import _core
from driftline._compare import Finding
from driftline._confusion import (
    Average,
    ClassMetrics,
    UndefinedMetricWarning,
    ZeroDivision,
    derive,
    derive_many,
    warn_undefined,
    wilson,
)
from driftline._core import Performance
from driftline.stats import float_array

__all__ = [
    "Average",
    "ClassMetrics",
    "ClassificationResult",
    "FairnessResult",
    "GroupRates",
    "Performance",
    "RegressionResult",
    "ThresholdPoint",
    "UndefinedMetricWarning",
    "classification",
    "compare_performance",
    "fairness",
    "from_profile",
    "regression",
    "regression_from",
    "result_from",
    "segment_key",
    "threshold_sweep",
]


# ------------------------------------------------------------------------------------------
# Input normalisation
# ------------------------------------------------------------------------------------------


def _arrow(x: Any, name: str) -> Any:
    """A pyarrow Array for a label or segment vector (NumPy, Arrow, polars, pandas, lists)."""
    import pyarrow as pa

    if isinstance(x, pa.ChunkedArray):
        return x.combine_chunks()
    if isinstance(x, pa.Array):
        return x
    if hasattr(x, "__arrow_c_array__") or hasattr(x, "__arrow_c_stream__"):
        arr = pa.array(x) if hasattr(x, "__arrow_c_array__") else pa.chunked_array(x)
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray):
        x = x.to_numpy()
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind in "OUS":
        return pa.array(arr.tolist() if arr.dtype.kind == "O" else arr, from_pandas=True)
    return pa.array(arr)


def _floats(x: Any, name: str, ndim: int = 1) -> npt.NDArray[np.float64]:
    arr = float_array(x, name)
    if ndim == 1 and arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def _segments(segments: Any, n: int) -> dict[str, Any]:
    """``{name: arrow array}`` of segment columns: a mapping of arrays, or a table (each
    column one segmentation); a tuple of names inside a mapping key is not needed: join columns
    with :func:`segment_key` for combinations."""
    if segments is None:
        return {}
    if not isinstance(segments, Mapping):
        from driftline._compare import _table

        table = _table(segments)
        segments = {name: table[name] for name in table.column_names}
    out = {}
    for name, values in segments.items():
        arr = _arrow(values, f"segment {name!r}")
        if len(arr) != n:
            raise ValueError(f"segment {name!r} has {len(arr)} values, expected {n}")
        out[str(name)] = arr
    return out


def segment_key(*columns: Any, sep: str = " & ") -> Any:
    """One segment column for a combination of columns (``"DE & mobile"``), built by Arrow in
    one vectorised pass; nulls stay null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = [pc.cast(_arrow(c, "segment"), pa.string()) for c in columns]
    return pc.binary_join_element_wise(*arrays, sep)


# ------------------------------------------------------------------------------------------
# Classification
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram."""

    lo: float
    hi: float
    count: int
    mean_score: float
    observed_rate: float


@dataclass(frozen=True, eq=False)
class ClassificationResult:
    """Classification metrics; for a binary task ``precision``, ``recall``, ``f1`` and
    ``specificity`` are those of ``pos_label`` (scikit-learn's ``average="binary"``), for a
    multiclass task their macro averages."""

    task: str
    n: int
    labels: tuple[Any, ...]
    pos_label: Any
    confusion_matrix: npt.NDArray[np.int64]
    accuracy: float
    accuracy_ci: tuple[float, float]
    balanced_accuracy: float
    precision: float
    recall: float
    f1: float
    specificity: float
    per_class: Mapping[Any, ClassMetrics]
    macro: Average
    micro: Average
    weighted: Average
    mcc: float
    kappa: float
    roc_auc: float | None = None
    roc_auc_bound: float | None = None
    roc_auc_ci: tuple[float, float] | None = None
    pr_auc: float | None = None
    pr_auc_bound: float | None = None
    log_loss: float | None = None
    brier: float | None = None
    ece: float | None = None
    reliability: tuple[ReliabilityBin, ...] | None = None
    top_k_accuracy: Mapping[int, float] | None = None
    positives: int | None = None
    negatives: int | None = None
    unknown_labels: int = 0
    null_labels: int = 0
    unknown_predictions: int = 0
    null_predictions: int = 0
    invalid_scores: int = 0
    segments: Mapping[str, Mapping[str, ClassificationResult]] = field(default_factory=dict)

    _SCALARS = (
        "accuracy",
        "balanced_accuracy",
        "precision",
        "recall",
        "f1",
        "specificity",
        "mcc",
        "kappa",
        "roc_auc",
        "pr_auc",
        "log_loss",
        "brier",
        "ece",
    )

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (the confusion matrix as nested lists), segments included."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "confusion_matrix":
                v = v.tolist()
            elif f.name == "per_class":
                v = {str(k): asdict(c) for k, c in v.items()}
            elif f.name in ("macro", "micro", "weighted"):
                v = asdict(v)
            elif f.name == "reliability" and v is not None:
                v = [asdict(b) for b in v]
            elif f.name == "segments":
                v = {s: {k: r.to_dict() for k, r in g.items()} for s, g in v.items()}
            out[f.name] = v
        return out

    def to_polars(self) -> Any:
        """One row per (segmentation, segment) — the overall result first, with segmentation
        ``None`` — and one column per scalar metric plus ``n`` and the accuracy interval."""
        import polars as pl

        rows = []
        for seg, name, r in [(None, None, self), *self._segment_rows()]:
            row: dict[str, Any] = {"segmentation": seg, "segment": name, "n": r.n}
            row.update({m: getattr(r, m) for m in self._SCALARS})
            row["accuracy_low"], row["accuracy_high"] = r.accuracy_ci
            rows.append(row)
        return pl.DataFrame(rows)

    def _segment_rows(self) -> list[tuple[str, str, ClassificationResult]]:
        return [(s, k, r) for s, g in self.segments.items() for k, r in g.items()]

    def __repr__(self) -> str:
        def fmt(x: float | None) -> str:
            return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4f}"

        head = f"ClassificationResult({self.task}, n={self.n:,}, labels={list(self.labels)}"
        if self.pos_label is not None:
            head += f", pos_label={self.pos_label!r}"
        lines = [head + ")"]
        lines.append(
            "  "
            + "  ".join(
                f"{m}={fmt(getattr(self, m))}"
                for m in self._SCALARS
                if getattr(self, m) is not None
            )
        )
        if self.roc_auc_bound:
            lines.append(f"  roc_auc bound ±{self.roc_auc_bound:.2e} (binned)")
        bad = {
            k: getattr(self, k)
            for k in (
                "unknown_labels",
                "null_labels",
                "unknown_predictions",
                "null_predictions",
                "invalid_scores",
            )
            if getattr(self, k)
        }
        if bad:
            lines.append("  not counted: " + ", ".join(f"{k}={v:,}" for k, v in bad.items()))
        for seg, group in self.segments.items():
            lines.append(
                f"  by {seg}: "
                + ", ".join(
                    f"{k} (n={r.n:,}, acc {fmt(r.accuracy)})" for k, r in list(group.items())[:8]
                )
                + (" ..." if len(group) > 8 else "")
            )
        return "\n".join(lines)


def _hanley_mcneil(
    auc: float, pos: int, neg: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """95% interval of a ROC AUC from the Hanley & McNeil (1982) standard error."""
    if pos == 0 or neg == 0 or math.isnan(auc):
        return math.nan, math.nan
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (pos - 1) * (q1 - auc**2) + (neg - 1) * (q2 - auc**2)) / (pos * neg)
    se = math.sqrt(max(var, 0.0))
    return max(0.0, auc - z * se), min(1.0, auc + z * se)


def _auc_se(auc: float, pos: int, neg: int) -> float:
    lo, hi = _hanley_mcneil(auc, pos, neg, 1.0)
    return (hi - lo) / 2 if not math.isnan(lo) else math.nan


def result_from(
    perf: Performance,
    zero_division: ZeroDivision = "warn",
    segmentation: int | None = None,
    segment: int | None = None,
    exact: tuple[float | None, float | None] | None = None,
) -> ClassificationResult:
    """A :class:`ClassificationResult` from an accumulator (one segment of one segmentation
    when given); ``exact`` overrides the binned ROC and PR AUC."""
    raw = perf.classification(segmentation, segment)
    labels = list(raw["labels"])
    cm = _confusion(raw, labels)
    d = derive(cm, labels, zero_division)
    if zero_division == "warn" and segmentation is None:
        # Like scikit-learn: warn about the reported metrics only (a binary task reports the
        # positive class; the per-class table of the other class is not a headline number).
        undefined = d["undefined"]
        pos = raw.get("pos_index")
        if raw["task"] == "binary" and pos is not None:
            undefined = [(w, i) for w, i in undefined if i == pos and w != "specificity"]
        else:
            undefined = [(w, i) for w, i in undefined if w != "specificity"]
        warn_undefined(undefined, labels)
    segments: dict[str, dict[str, ClassificationResult]] = {}
    if segmentation is None:
        for i, name in enumerate(perf.segmentations):
            segments[name] = _segment_results(perf, i, labels, zero_division)
    return _result(raw, labels, cm, d, exact, segments)


def _confusion(raw: Mapping[str, Any], labels: list[Any]) -> npt.NDArray[np.int64]:
    k = len(labels)
    return np.asarray(raw["confusion"], dtype=np.int64).reshape(k, k)


def _segment_results(
    perf: Performance, segmentation: int, labels: list[Any], zero_division: ZeroDivision
) -> dict[str, ClassificationResult]:
    """Every segment of one segmentation, their confusion metrics derived in one pass."""
    values = perf.segment_values(segmentation)
    raws = [perf.classification(segmentation, code) for code, _ in values]
    k = len(labels)
    cms = np.array([r["confusion"] for r in raws], dtype=np.int64).reshape(len(raws), k, k)
    derived = derive_many(cms, labels, zero_division)
    return {
        str(value): _result(raw, labels, cm, d, None, {})
        for (_, value), raw, cm, d in zip(values, raws, cms, derived, strict=True)
    }


def _result(
    raw: Mapping[str, Any],
    labels: list[Any],
    cm: npt.NDArray[np.int64],
    d: Mapping[str, Any],
    exact: tuple[float | None, float | None] | None,
    segments: Mapping[str, Mapping[str, ClassificationResult]],
) -> ClassificationResult:
    n = int(cm.sum())
    binary = raw["task"] == "binary"
    pos = raw.get("pos_index")
    if binary and pos is not None:
        pc = d["per_class"][pos]
        precision, recall, f1, spec = pc.precision, pc.recall, pc.f1, pc.specificity
    else:
        precision, recall, f1 = d["macro"].precision, d["macro"].recall, d["macro"].f1
        spec = float(np.nanmean([c.specificity for c in d["per_class"]])) if labels else math.nan
    roc, roc_bound = raw.get("roc_auc", (None, None))
    pr, pr_bound = raw.get("pr_auc", (None, None))
    if exact is not None:
        roc, pr = exact
        roc_bound = pr_bound = 0.0
    positives, negatives = raw.get("positives"), raw.get("negatives")
    roc_ci = None
    if roc is not None and positives is not None and negatives is not None:
        roc_ci = _hanley_mcneil(roc, positives, negatives)
    rel = raw.get("reliability")
    correct = int(np.trace(cm))
    return ClassificationResult(
        task=raw["task"],
        n=n,
        labels=tuple(labels),
        pos_label=labels[pos] if binary and pos is not None else None,
        confusion_matrix=cm,
        accuracy=d["accuracy"],
        accuracy_ci=wilson(correct, n),
        balanced_accuracy=d["balanced_accuracy"],
        precision=precision,
        recall=recall,
        f1=f1,
        specificity=spec,
        per_class={labels[i]: c for i, c in enumerate(d["per_class"])},
        macro=d["macro"],
        micro=d["micro"],
        weighted=d["weighted"],
        mcc=d["mcc"],
        kappa=d["kappa"],
        roc_auc=roc,
        roc_auc_bound=roc_bound,
        roc_auc_ci=roc_ci,
        pr_auc=pr,
        pr_auc_bound=pr_bound,
        log_loss=raw.get("log_loss"),
        brier=raw.get("brier"),
        ece=raw.get("ece"),
        reliability=None if rel is None else tuple(ReliabilityBin(*b) for b in rel),
        top_k_accuracy=raw.get("top_k"),
        positives=positives,
        negatives=negatives,
        unknown_labels=raw["unknown_labels"],
        null_labels=raw["null_labels"],
        unknown_predictions=raw["unknown_predictions"],
        null_predictions=raw["null_predictions"],
        invalid_scores=raw["invalid_scores"],
        segments=segments,
    )


def classification(
    y_true: Any,
    y_pred: Any = None,
    scores: Any = None,
    *,
    labels: Sequence[Any] | None = None,
    pos_label: Any = None,
    threshold: float = 0.5,
    segments: Any = None,
    zero_division: ZeroDivision = "warn",
    exact: bool = True,
    bins: int | None = None,
) -> ClassificationResult:
    """Classification metrics of one batch of predictions.

    - ``y_true``: true labels (integers, strings or booleans; nulls are counted, not used).
    - ``y_pred``: predicted labels; for a binary task they may be omitted when ``scores`` is
      given (predicted positive when ``score >= threshold``).
    - ``scores``: for a binary task the positive class's probability (one value per row); for
      a multiclass task an ``n x k`` array of class probabilities in ``labels`` order. Scores
      that are NaN, infinite or outside [0, 1] are counted in ``invalid_scores`` and left out
      of the score metrics.
    - ``labels``: the class set, in order (default: the sorted distinct labels of ``y_true``
      and ``y_pred``, as scikit-learn). Labels outside it are counted in ``unknown_labels`` /
      ``unknown_predictions``: a row with an unknown true label is left out, a known label
      predicted as an unknown class counts as an error.
    - ``pos_label``: the positive class of a binary task (default: the last label, i.e. 1,
      ``True`` or the greater string).
    - ``segments``: ``{name: values}`` (or a table): every metric per value of each segment
      column, with the sample count and intervals; combine columns with :func:`segment_key`.
    - ``exact``: compute ROC AUC and average precision exactly (scikit-learn's numbers) for the
      overall result; segments and streaming use score histograms with a reported bound.
    """
    import pyarrow as pa

    t = _arrow(y_true, "y_true")
    p = None if y_pred is None else _arrow(y_pred, "y_pred")
    if p is not None and len(p) != len(t):
        raise ValueError(f"y_true has {len(t)} values but y_pred has {len(p)}")
    s = None if scores is None else _floats(scores, "scores", ndim=2)
    if s is not None and s.shape[0] != len(t):
        raise ValueError(f"y_true has {len(t)} values but scores has {s.shape[0]} rows")
    if p is None and s is None:
        raise ValueError("give y_pred, scores, or both")
    if labels is None:
        arrays = [t] if p is None else [t, p]
        labels = _core.infer_labels([a for a in arrays if not isinstance(a, pa.NullArray)])
    labels = list(labels)
    multiclass = len(labels) > 2 or (s is not None and s.ndim == 2 and s.shape[1] > 1)
    task = "multiclass" if multiclass else "binary"
    if s is not None and multiclass and (s.ndim != 2 or s.shape[1] != len(labels)):
        raise ValueError(
            f"multiclass scores must have one column per label ({len(labels)}), got shape {s.shape}"
        )
    if s is not None and not multiclass:
        s = s.reshape(-1)
        if s.ndim != 1:
            raise ValueError(f"binary scores must be one value per row, got shape {s.shape}")
    segs = _segments(segments, len(t))
    perf = Performance(
        task,
        labels=labels,
        pos_label=pos_label,
        threshold=threshold,
        segmentations=list(segs),
        **({} if bins is None else {"bins": bins}),
    )
    perf.update(t, p, s, list(segs.values()))
    exact_auc = None
    if exact and s is not None and task == "binary":
        exact_auc = _exact_binary(perf, t, s)
    elif exact and s is not None:
        exact_auc = _exact_multiclass(perf, t, s)
    return result_from(perf, zero_division, exact=exact_auc)


def _exact_binary(
    perf: Performance, t: Any, s: npt.NDArray[np.float64]
) -> tuple[float | None, float | None]:
    y = np.asarray(perf.encode_labels(t), dtype=np.uint32)
    pos = perf.pos_index
    known = (y < 2) & np.isfinite(s) & (s >= 0) & (s <= 1)
    positive = (y[known] == pos).astype(np.uint8)
    sk = np.ascontiguousarray(s[known])
    try:
        roc = _core.roc_auc_exact(sk, positive)
    except _core.InsufficientDataError:
        roc = None
    try:
        ap = _core.average_precision_exact(sk, positive)
    except _core.InsufficientDataError:
        ap = None
    return roc, ap


def _exact_multiclass(
    perf: Performance, t: Any, s: npt.NDArray[np.float64]
) -> tuple[float | None, float | None]:
    y = np.asarray(perf.encode_labels(t), dtype=np.uint32)
    k = s.shape[1]
    ok = (y < k) & np.all(np.isfinite(s) & (s >= 0) & (s <= 1), axis=1)
    try:
        roc = _core.roc_auc_ovr_exact(np.ascontiguousarray(s[ok]), y[ok], k, "macro")
    except _core.InsufficientDataError:
        roc = None
    return roc, None


# ------------------------------------------------------------------------------------------
# Regression
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RegressionResult:
    """Regression metrics; errors are ``y_pred - y_true`` (``mean_error`` > 0: over-prediction).

    ``mae_ci`` and ``mean_error_ci`` are 95% normal intervals from the sample variance of the
    absolute and signed errors."""

    n: int
    mae: float
    mse: float
    rmse: float
    mape: float
    smape: float
    r2: float
    mean_error: float
    mae_ci: tuple[float, float]
    mean_error_ci: tuple[float, float]
    error_quantiles: Mapping[float, float]
    invalid: int = 0
    segments: Mapping[str, Mapping[str, RegressionResult]] = field(default_factory=dict)

    _SCALARS = ("mae", "mse", "rmse", "mape", "smape", "r2", "mean_error")

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "segments"}
        out["error_quantiles"] = dict(self.error_quantiles)
        out["segments"] = {
            s: {k: r.to_dict() for k, r in g.items()} for s, g in self.segments.items()
        }
        return out

    def to_polars(self) -> Any:
        import polars as pl

        rows = []
        items = [(None, None, self)] + [
            (s, k, r) for s, g in self.segments.items() for k, r in g.items()
        ]
        for seg, name, r in items:
            row: dict[str, Any] = {"segmentation": seg, "segment": name, "n": r.n}
            row.update({m: getattr(r, m) for m in self._SCALARS})
            rows.append(row)
        return pl.DataFrame(rows)

    def __repr__(self) -> str:
        body = ", ".join(f"{m}={getattr(self, m):.6g}" for m in self._SCALARS)
        extra = f", invalid={self.invalid:,}" if self.invalid else ""
        segs = "".join(f"\n  by {s}: {len(g)} segments" for s, g in self.segments.items())
        return f"RegressionResult(n={self.n:,}, {body}{extra}){segs}"


QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


def regression_from(
    perf: Performance, segmentation: int | None = None, segment: int | None = None
) -> RegressionResult:
    raw = perf.regression(segmentation, segment, list(QUANTILES))
    n = raw["n"]
    z = 1.959963984540054

    def ci(mean: float, second_moment: float) -> tuple[float, float]:
        if n < 2 or math.isnan(mean):
            return math.nan, math.nan
        var = max(second_moment - mean * mean, 0.0) * n / (n - 1)
        half = z * math.sqrt(var / n)
        return mean - half, mean + half

    segments: dict[str, dict[str, RegressionResult]] = {}
    if segmentation is None:
        for i, name in enumerate(perf.segmentations):
            segments[name] = {
                str(value): regression_from(perf, i, code) for code, value in perf.segment_values(i)
            }
    nan = math.nan
    return RegressionResult(
        n=n,
        mae=raw["mae"] if raw["mae"] is not None else nan,
        mse=raw["mse"] if raw["mse"] is not None else nan,
        rmse=raw["rmse"] if raw["rmse"] is not None else nan,
        mape=raw["mape"] if raw["mape"] is not None else nan,
        smape=raw["smape"] if raw["smape"] is not None else nan,
        r2=raw["r2"] if raw["r2"] is not None else nan,
        mean_error=raw["mean_error"] if raw["mean_error"] is not None else nan,
        mae_ci=ci(raw["mae"] or nan, raw["mse"] or nan),
        mean_error_ci=ci(raw["mean_error"] or nan, raw["mse"] or nan),
        error_quantiles=dict(zip(QUANTILES, raw["error_quantiles"], strict=True)),
        invalid=raw["invalid"],
        segments=segments,
    )


def regression(y_true: Any, y_pred: Any, *, segments: Any = None) -> RegressionResult:
    """Regression metrics (scikit-learn's ``mean_absolute_error``, ``mean_squared_error``,
    ``root_mean_squared_error``, ``mean_absolute_percentage_error``, ``r2_score``; sMAPE as
    ``mean(2|e| / (|y| + |ŷ|))`` with 0/0 = 0; error quantiles from a KLL sketch). Rows where
    either value is null, NaN or infinite are counted in ``invalid`` and left out."""
    t = _floats(y_true, "y_true")
    p = _floats(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} values but y_pred has {p.size}")
    segs = _segments(segments, t.size)
    perf = Performance("regression", segmentations=list(segs))
    perf.update(t, p, None, list(segs.values()))
    return regression_from(perf)


@dataclass(frozen=True)
class ThresholdPoint:
    """Confusion counts and rates at one threshold (predicted positive: ``score >= effective``,
    ``effective`` being the threshold moved down to its score bin's lower edge)."""

    threshold: float
    effective: float
    true_pos: int
    false_pos: int
    true_neg: int
    false_neg: int
    precision: float
    recall: float
    false_positive_rate: float


def threshold_sweep(perf: Performance, thresholds: Sequence[float]) -> list[ThresholdPoint]:
    """Precision, recall and false-positive rate at each threshold, from a binary accumulator
    with scores (for choosing an operating point). Counts are exact at the bin edges
    (multiples of 1/16,384 by default); a threshold inside a bin is moved to its lower edge."""
    out = []
    for t, e, tp, fp, tn, fn in perf.threshold_sweep(list(thresholds)):
        prec = tp / (tp + fp) if tp + fp else math.nan
        rec = tp / (tp + fn) if tp + fn else math.nan
        fpr = fp / (fp + tn) if fp + tn else math.nan
        out.append(ThresholdPoint(t, e, tp, fp, tn, fn, prec, rec, fpr))
    return out


def from_profile(
    profile: Any, zero_division: ZeroDivision = "warn"
) -> ClassificationResult | RegressionResult | None:
    """The performance of the model section of a profile (built with ``ModelSpec``), or
    ``None`` when it has none. ROC and PR AUC come from the score histograms, with their
    bound."""
    perf = profile.performance
    if perf is None:
        return None
    if perf.task == "regression":
        return regression_from(perf)
    return result_from(perf, zero_division)


# ------------------------------------------------------------------------------------------
# Fairness
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRates:
    """Rates of one group of a sensitive attribute (binary task)."""

    group: str
    n: int
    selection_rate: float
    selection_rate_ci: tuple[float, float]
    true_positive_rate: float
    false_positive_rate: float
    precision: float


@dataclass(frozen=True)
class FairnessResult:
    """Gaps between the groups of one sensitive attribute, as fairlearn defines them
    (``between_groups``: largest minus smallest group value)."""

    attribute: str
    groups: tuple[GroupRates, ...]
    demographic_parity_difference: float
    demographic_parity_ratio: float
    four_fifths_rule_violated: bool
    equal_opportunity_difference: float
    equalized_odds_difference: float
    predictive_parity_difference: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _gap(values: list[float]) -> float:
    v = [x for x in values if not math.isnan(x)]
    return max(v) - min(v) if v else math.nan


def fairness_from(perf: Performance, min_count: int = 1) -> list[FairnessResult]:
    """Fairness gaps for each segmentation of a binary-task accumulator; groups with fewer than
    ``min_count`` rows are listed but left out of the gaps."""
    out = []
    for i, attr in enumerate(perf.segmentations):
        groups = []
        for code, value in perf.segment_values(i):
            raw = perf.classification(i, code)
            cm = np.asarray(raw["confusion"], dtype=np.float64).reshape(2, 2)
            pos = raw["pos_index"]
            neg = 1 - pos
            tp, fn = cm[pos, pos], cm[pos, neg]
            fp, tn = cm[neg, pos], cm[neg, neg]
            n = int(cm.sum())
            sel = (tp + fp) / n if n else math.nan
            groups.append(
                GroupRates(
                    str(value),
                    n,
                    sel,
                    wilson(tp + fp, n),
                    tp / (tp + fn) if tp + fn else math.nan,
                    fp / (fp + tn) if fp + tn else math.nan,
                    tp / (tp + fp) if tp + fp else math.nan,
                )
            )
        used = [g for g in groups if g.n >= min_count]
        sel = [g.selection_rate for g in used]
        lo, hi = (min(sel), max(sel)) if sel else (math.nan, math.nan)
        ratio = lo / hi if hi and hi > 0 else math.nan
        tpr = _gap([g.true_positive_rate for g in used])
        fpr = _gap([g.false_positive_rate for g in used])
        out.append(
            FairnessResult(
                attr,
                tuple(groups),
                hi - lo,
                ratio,
                bool(ratio < 0.8) if not math.isnan(ratio) else False,
                tpr,
                max(tpr, fpr) if not (math.isnan(tpr) or math.isnan(fpr)) else math.nan,
                _gap([g.precision for g in used]),
            )
        )
    return out


def fairness(
    y_true: Any,
    y_pred: Any,
    sensitive: Any,
    *,
    pos_label: Any = None,
    labels: Sequence[Any] | None = None,
    min_count: int = 1,
) -> list[FairnessResult]:
    """Fairness gaps of binary predictions per sensitive attribute (``{name: values}`` or a
    table): selection rate per group (with a Wilson interval), demographic-parity difference
    and ratio (with the four-fifths rule), equal-opportunity difference (TPR gap),
    equalized-odds difference (the larger of the TPR and FPR gaps) and predictive-parity
    difference (precision gap)."""
    t, p = _arrow(y_true, "y_true"), _arrow(y_pred, "y_pred")
    if labels is None:
        labels = _core.infer_labels([t, p])
    if len(labels) != 2:
        raise ValueError(f"fairness gaps need a binary task; got labels {list(labels)}")
    segs = _segments(sensitive, len(t))
    perf = Performance("binary", labels=list(labels), pos_label=pos_label, segmentations=list(segs))
    perf.update(t, p, None, list(segs.values()))
    return fairness_from(perf, min_count)


# ------------------------------------------------------------------------------------------
# Change against a baseline
# ------------------------------------------------------------------------------------------


def _two_proportion(x1: float, n1: float, x2: float, n2: float) -> float:
    if n1 == 0 or n2 == 0:
        return math.nan
    _, p, _, _ = _core.two_proportion_ztest(round(x1), round(n1), round(x2), round(n2))
    return float(p)


def compare_performance(
    baseline: ClassificationResult | RegressionResult,
    current: ClassificationResult | RegressionResult,
    *,
    alpha: float = 0.05,
    min_drop: float = 0.02,
    min_count: int = 30,
    correction: str = "bonferroni",
    column: str = "model",
) -> list[Finding]:
    """Findings (category ``"performance"``) for each metric of ``current`` against
    ``baseline``. A rate metric (accuracy, precision, recall) drops significantly when the
    two-proportion z-test's p-value is below ``alpha`` **and** it fell by more than
    ``min_drop`` (absolute); ROC AUC uses a z-test on the Hanley-McNeil standard errors of the
    two independent samples; regression errors flag a relative increase above ``min_drop``
    (MAE also needs its interval to clear the baseline's). The p-values are corrected across
    the metrics (``correction``: ``"bonferroni"``, ``"bh"`` or ``"none"``), and a metric whose
    denominator holds fewer than ``min_count`` rows on either side is reported, never
    flagged."""
    from driftline._compare import _adjust

    out: list[Finding] = []
    if isinstance(baseline, ClassificationResult) and isinstance(current, ClassificationResult):

        def rate(name: str, b: tuple[float, float], c: tuple[float, float]) -> None:
            (xb, nb), (xc, nc) = b, c
            if nb == 0 or nc == 0:
                return
            rb, rc = xb / nb, xc / nc
            p = _two_proportion(xb, nb, xc, nc)
            drop = rb - rc
            ok = min(nb, nc) >= min_count
            out.append(
                Finding(
                    column,
                    "performance",
                    name,
                    rc,
                    min_drop,
                    ok and drop > min_drop,
                    pvalue=p,
                    effect_size=drop,
                    bound=0.0,
                    detail=f"{rb:.4f} -> {rc:.4f} (n {int(nb):,} -> {int(nc):,})",
                )
            )

        def counts(r: ClassificationResult) -> dict[str, tuple[float, float]]:
            cm = r.confusion_matrix
            d = {"accuracy": (float(np.trace(cm)), float(cm.sum()))}
            if r.task == "binary" and r.pos_label is not None:
                i = list(r.labels).index(r.pos_label)
                d["precision"] = (float(cm[i, i]), float(cm[:, i].sum()))
                d["recall"] = (float(cm[i, i]), float(cm[i, :].sum()))
            return d

        cb, cc = counts(baseline), counts(current)
        for name in cb:
            if name in cc:
                rate(name, cb[name], cc[name])
        if baseline.roc_auc is not None and current.roc_auc is not None:
            sb = _auc_se(baseline.roc_auc, baseline.positives or 0, baseline.negatives or 0)
            sc = _auc_se(current.roc_auc, current.positives or 0, current.negatives or 0)
            drop = baseline.roc_auc - current.roc_auc
            se = math.hypot(sb, sc)
            from statistics import NormalDist

            p = 2 * (1 - NormalDist().cdf(abs(drop) / se)) if se > 0 else math.nan
            bound = (baseline.roc_auc_bound or 0.0) + (current.roc_auc_bound or 0.0)
            ok = (
                min(
                    baseline.positives or 0,
                    baseline.negatives or 0,
                    current.positives or 0,
                    current.negatives or 0,
                )
                >= min_count
            )
            out.append(
                Finding(
                    column,
                    "performance",
                    "roc_auc",
                    current.roc_auc,
                    min_drop,
                    ok and drop - bound > min_drop,
                    pvalue=p,
                    effect_size=drop,
                    bound=bound,
                    detail=f"{baseline.roc_auc:.4f} -> {current.roc_auc:.4f} (Hanley-McNeil)",
                )
            )
        # Here `flagged` holds the effect-size and sample-size conditions; the corrected
        # p-value completes the rule.
        adjusted = _adjust(
            [f.pvalue if f.pvalue is not None and not math.isnan(f.pvalue) else 1.0 for f in out],
            correction,
        )
        return [
            replace(f, pvalue=float(p), flagged=bool(f.flagged and p < alpha))
            for f, p in zip(out, adjusted, strict=True)
        ]
    if isinstance(baseline, RegressionResult) and isinstance(current, RegressionResult):
        for name in ("mae", "rmse"):
            b, c = getattr(baseline, name), getattr(current, name)
            rel = (c - b) / b if b > 0 else (math.inf if c > 0 else 0.0)
            flagged = rel > min_drop
            if name == "mae":
                flagged = flagged and current.mae_ci[0] > baseline.mae_ci[1]
            out.append(
                Finding(
                    column,
                    "performance",
                    name,
                    c,
                    min_drop,
                    bool(flagged),
                    effect_size=rel,
                    bound=0.0,
                    detail=f"{b:.6g} -> {c:.6g}",
                )
            )
        return out
    raise TypeError("compare two ClassificationResults or two RegressionResults")
