//! The model section of a profile: which columns hold the model's labels, predictions, scores
//! and segments, and the [`Performance`] accumulators fed from them batch by batch.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{new_null_array, Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;

use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};
use crate::metrics::performance::{Performance, ScoreInput, Targets, Task};

/// Column names of a model's outputs in the profiled data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSpec {
    /// The ground-truth column (label, or target value for regression).
    pub label: String,
    /// The predicted label or value column (optional for classification with scores).
    pub prediction: Option<String>,
    /// Score columns: one (the positive class's probability) for a binary task, one per class
    /// in class order for a multiclass task, none otherwise.
    pub scores: Vec<String>,
    /// Segment columns, in the order of the accumulator's segmentations.
    pub segments: Vec<String>,
}

/// A [`ModelSpec`] with its accumulators.
#[derive(Debug, Clone)]
pub struct ModelProfile {
    spec: ModelSpec,
    perf: Performance,
}

/// A numeric Arrow column as `f64` (nulls as NaN, so they count as invalid values).
fn floats(column: &str, a: &dyn Array) -> Result<Vec<f64>> {
    fn prim<T>(a: &dyn Array, f: impl Fn(T::Native) -> f64) -> Vec<f64>
    where
        T: arrow_array::ArrowPrimitiveType,
    {
        let p = a.as_primitive::<T>();
        p.iter().map(|v| v.map_or(f64::NAN, &f)).collect()
    }
    use DataType::*;
    Ok(match a.data_type() {
        Float64 => {
            let p = a.as_primitive::<Float64Type>();
            if p.null_count() == 0 {
                p.values().to_vec()
            } else {
                prim::<Float64Type>(a, |v| v)
            }
        }
        Float32 => prim::<Float32Type>(a, f64::from),
        Float16 => prim::<Float16Type>(a, f64::from),
        Int8 => prim::<Int8Type>(a, f64::from),
        Int16 => prim::<Int16Type>(a, f64::from),
        Int32 => prim::<Int32Type>(a, f64::from),
        Int64 => prim::<Int64Type>(a, |v| v as f64),
        UInt8 => prim::<UInt8Type>(a, f64::from),
        UInt16 => prim::<UInt16Type>(a, f64::from),
        UInt32 => prim::<UInt32Type>(a, f64::from),
        UInt64 => prim::<UInt64Type>(a, |v| v as f64),
        Boolean => a
            .as_boolean()
            .iter()
            .map(|v| v.map_or(f64::NAN, |b| f64::from(u8::from(b))))
            .collect(),
        Null => vec![f64::NAN; a.len()],
        other => {
            return Err(Error::Schema(format!(
                "model column {column:?} must be numeric, got {other}"
            )))
        }
    })
}

impl ModelProfile {
    /// Bind `spec` to empty accumulators `perf` (whose segmentations must be `spec.segments`).
    pub fn new(spec: ModelSpec, perf: Performance) -> Result<Self> {
        if perf.segmentations() != spec.segments.as_slice() {
            return Err(Error::invalid(format!(
                "segment columns {:?} differ from the accumulator's segmentations {:?}",
                spec.segments,
                perf.segmentations()
            )));
        }
        let k = perf.classes().map_or(0, |c| c.k());
        match perf.task() {
            Task::Binary if spec.scores.len() > 1 => {
                return Err(Error::invalid("a binary task takes one score column"))
            }
            Task::Multiclass if !spec.scores.is_empty() && spec.scores.len() != k => {
                return Err(Error::invalid(format!(
                    "a multiclass task takes one score column per class ({k}), got {}",
                    spec.scores.len()
                )))
            }
            Task::Regression if !spec.scores.is_empty() || spec.prediction.is_none() => {
                return Err(Error::invalid(
                    "a regression task takes a prediction column and no score columns",
                ))
            }
            Task::Binary | Task::Multiclass
                if spec.prediction.is_none() && spec.scores.is_empty() =>
            {
                return Err(Error::invalid(
                    "a classification task needs a prediction column or score columns",
                ))
            }
            _ => {}
        }
        Ok(Self { spec, perf })
    }

    /// The column names.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// The accumulators.
    pub fn performance(&self) -> &Performance {
        &self.perf
    }

    /// Empty accumulators with the same specification.
    pub fn empty_like(&self) -> Self {
        let mut perf = self.perf.clone();
        perf.clear();
        Self {
            spec: self.spec.clone(),
            perf,
        }
    }

    /// Feed one record batch. A model column missing from the batch counts as nulls.
    pub fn update(&mut self, batch: &RecordBatch) -> Result<()> {
        let n = batch.num_rows();
        let col = |name: &str| -> ArrayRef {
            batch
                .column_by_name(name)
                .cloned()
                .unwrap_or_else(|| new_null_array(&DataType::Null, n))
        };
        let segs: Vec<ArrayRef> = self.spec.segments.iter().map(|s| col(s)).collect();
        let seg_refs: Vec<&dyn Array> = segs.iter().map(|a| a.as_ref()).collect();
        let label = col(&self.spec.label);
        if self.perf.task() == Task::Regression {
            let pred_name = self.spec.prediction.as_deref().unwrap_or_default();
            let t = floats(&self.spec.label, label.as_ref())?;
            let p = floats(pred_name, col(pred_name).as_ref())?;
            return self
                .perf
                .update(Targets::Values(&t, &p), ScoreInput::None, &seg_refs);
        }
        let pred = self.spec.prediction.as_deref().map(col);
        let scores: Vec<Vec<f64>> = self
            .spec
            .scores
            .iter()
            .map(|s| floats(s, col(s).as_ref()))
            .collect::<Result<_>>()?;
        let interleaved;
        let input = match (self.perf.task(), scores.len()) {
            (_, 0) => ScoreInput::None,
            (Task::Binary, _) => ScoreInput::Binary(&scores[0]),
            (_, k) => {
                let mut v = vec![0.0; n * k];
                for (j, c) in scores.iter().enumerate() {
                    for (i, &x) in c.iter().enumerate() {
                        v[i * k + j] = x;
                    }
                }
                interleaved = v;
                ScoreInput::Multi(&interleaved)
            }
        };
        self.perf.update(
            Targets::Labels(label.as_ref(), pred.as_deref()),
            input,
            &seg_refs,
        )
    }

    /// Add the counts of `other` (same specification).
    pub fn merge(&mut self, other: &ModelProfile) -> Result<()> {
        if self.spec != other.spec {
            return Err(Error::incompatible(
                "model",
                format!("{:?} vs {:?}", self.spec, other.spec),
            ));
        }
        self.perf.merge(&other.perf)
    }

    /// Append the serialized section to `w`.
    pub fn encode(&self, w: &mut Writer) {
        w.str(&self.spec.label);
        match &self.spec.prediction {
            Some(p) => {
                w.u8(1);
                w.str(p);
            }
            None => w.u8(0),
        }
        w.len(self.spec.scores.len());
        for s in &self.spec.scores {
            w.str(s);
        }
        w.len(self.spec.segments.len());
        for s in &self.spec.segments {
            w.str(s);
        }
        self.perf.encode(w);
    }

    /// Read a section written by [`ModelProfile::encode`].
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let label = r.str()?;
        let prediction = match r.u8()? {
            0 => None,
            1 => Some(r.str()?),
            f => return Err(Error::corrupt(format!("model: bad prediction flag {f}"))),
        };
        let strs = |r: &mut Reader| -> Result<Vec<String>> {
            let n = r.len(8)?;
            (0..n).map(|_| r.str()).collect()
        };
        let scores = strs(r)?;
        let segments = strs(r)?;
        let perf = Performance::decode(r)?;
        let spec = ModelSpec {
            label,
            prediction,
            scores,
            segments,
        };
        ensure(perf.segmentations() == spec.segments.as_slice(), || {
            "model: segment columns differ from the segmentations".into()
        })?;
        Self::new(spec, perf).map_err(|e| Error::corrupt(format!("model: {e}")))
    }
}
