"""``ModelSpec``: which columns of the profiled data hold a model's labels, predictions, scores
and segments, so that a profile also carries the model's performance accumulators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from driftline import _core

__all__ = ["ModelSpec"]


@dataclass(frozen=True)
class ModelSpec:
    """A model's columns in the profiled data.

    - ``task``: ``"binary"``, ``"multiclass"`` or ``"regression"``.
    - ``label``: the ground-truth column (rows whose label is null are counted, not used).
    - ``prediction``: the predicted label (or value) column; a classification task may give
      ``scores`` instead (binary: ``score >= threshold``; multiclass: arg-max).
    - ``scores``: binary, the positive class's probability column; multiclass, one column per
      class in ``labels`` order.
    - ``labels``: the class set (inferred from a table's label and prediction columns when
      omitted; streams must declare it, so that profiles of different batches merge).
    - ``segments``: segment columns; every metric is also kept per value of each.
    """

    task: Literal["binary", "multiclass", "regression"]
    label: str
    prediction: str | None = None
    scores: str | Sequence[str] = ()
    labels: Sequence[Any] | None = None
    pos_label: Any = None
    threshold: float = 0.5
    segments: Sequence[str] = ()

    def _score_columns(self) -> list[str]:
        return [self.scores] if isinstance(self.scores, str) else list(self.scores)

    def core(self, data: Any = None) -> tuple[Any, ...]:
        """The argument ``driftline._core.profile(model=...)`` takes."""
        labels = self.labels
        if self.task != "regression" and labels is None:
            import pyarrow as pa

            if not isinstance(data, pa.Table):
                raise ValueError(
                    "ModelSpec(labels=...) is required unless the data is a table the labels "
                    "can be read from"
                )
            cols = [data[c].combine_chunks() for c in (self.label, self.prediction) if c]
            labels = _core.infer_labels(cols)
        perf = _core.Performance(
            self.task,
            labels=None if self.task == "regression" else list(labels or []),
            pos_label=self.pos_label,
            threshold=self.threshold,
            segmentations=list(self.segments),
        )
        return (self.label, self.prediction, self._score_columns(), list(self.segments), perf)


def model_of(profile: _core.Profile) -> tuple[Any, ...] | None:
    """The model argument that reproduces ``profile``'s model section (empty accumulators)."""
    spec, perf = profile.model, profile.performance
    if spec is None or perf is None:
        return None
    return (spec["label"], spec["prediction"], spec["scores"], spec["segments"], perf)
