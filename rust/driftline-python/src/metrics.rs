//! Bindings for `driftline_core::metrics`: the `Performance` accumulator, label inference, and
//! exact ROC AUC / average precision on raw arrays.

use driftline_core::metrics::exact::{self, Average};
use driftline_core::metrics::labels::{Label, LabelEncoder, Segment};
use driftline_core::metrics::performance::{
    Performance, PerformanceConfig, ScoreInput, ScoreView, Targets, Task,
};
use driftline_core::metrics::ConfusionMatrix;
use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use parking_lot::Mutex;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList};
use pyo3_arrow::PyArray;

use crate::OrPy;

fn label_to_py<'py>(py: Python<'py>, l: &Label) -> PyResult<Bound<'py, PyAny>> {
    Ok(match l {
        Label::Int(v) => v.into_pyobject(py)?.into_any(),
        Label::Str(s) => s.into_pyobject(py)?.into_any(),
        Label::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
    })
}

fn label_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Label> {
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Label::Bool(b.is_true()));
    }
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Label::Int(i));
    }
    if let Ok(s) = obj.extract::<String>() {
        return Ok(Label::Str(s));
    }
    if let Ok(f) = obj.extract::<f64>() {
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            return Ok(Label::Int(f as i64));
        }
    }
    Err(PyValueError::new_err(format!(
        "labels must be integers, strings or booleans, got {}",
        obj.repr()?
    )))
}

fn segment_name(s: &Segment) -> String {
    s.to_string()
}

/// The sorted distinct labels of label arrays (scikit-learn's `unique_labels`).
#[pyfunction]
pub fn infer_labels<'py>(py: Python<'py>, arrays: Vec<PyArray>) -> PyResult<Bound<'py, PyList>> {
    let refs: Vec<_> = arrays.iter().map(|a| a.array().clone()).collect();
    let enc = py
        .detach(|| {
            let dyns: Vec<&dyn arrow_array::Array> = refs.iter().map(|a| a.as_ref()).collect();
            LabelEncoder::infer(&dyns)
        })
        .py()?;
    let out = PyList::empty(py);
    for l in enc.classes() {
        out.append(label_to_py(py, l)?)?;
    }
    Ok(out)
}

/// `sklearn.metrics.roc_auc_score` of binary labels (`positive`: 0/1 bytes).
#[pyfunction]
pub fn roc_auc_exact(
    py: Python<'_>,
    scores: PyReadonlyArray1<'_, f64>,
    positive: PyReadonlyArray1<'_, u8>,
) -> PyResult<f64> {
    let (s, p) = (scores.as_slice()?, positive.as_slice()?);
    py.detach(|| exact::roc_auc(s, p)).py()
}

/// `sklearn.metrics.average_precision_score` of binary labels.
#[pyfunction]
pub fn average_precision_exact(
    py: Python<'_>,
    scores: PyReadonlyArray1<'_, f64>,
    positive: PyReadonlyArray1<'_, u8>,
) -> PyResult<f64> {
    let (s, p) = (scores.as_slice()?, positive.as_slice()?);
    py.detach(|| exact::average_precision(s, p)).py()
}

/// `roc_auc_score(multi_class="ovr")` of an `n x k` score matrix.
#[pyfunction]
pub fn roc_auc_ovr_exact(
    py: Python<'_>,
    scores: PyReadonlyArray2<'_, f64>,
    y: PyReadonlyArray1<'_, u32>,
    k: usize,
    average: &str,
) -> PyResult<f64> {
    let avg = match average {
        "macro" => Average::Macro,
        "weighted" => Average::Weighted,
        o => {
            return Err(PyValueError::new_err(format!(
                "average must be 'macro' or 'weighted', got {o:?}"
            )))
        }
    };
    let (s, y) = (scores.as_slice()?, y.as_slice()?);
    py.detach(|| exact::roc_auc_ovr(s, y, k, avg)).py()
}

/// `top_k_accuracy_score` of an `n x k` score matrix.
#[pyfunction]
pub fn top_k_accuracy_exact(
    py: Python<'_>,
    scores: PyReadonlyArray2<'_, f64>,
    y: PyReadonlyArray1<'_, u32>,
    k: usize,
    k_top: usize,
) -> PyResult<f64> {
    let (s, y) = (scores.as_slice()?, y.as_slice()?);
    py.detach(|| exact::top_k_accuracy(s, y, k, k_top)).py()
}

/// `(threshold, effective threshold, tp, fp, tn, fn)`.
type SweepRow = (f64, f64, u64, u64, u64, u64);

/// Mergeable, serializable model-quality accumulators (thread-safe).
#[pyclass(module = "driftline", name = "Performance", frozen)]
pub struct PyPerformance {
    pub(crate) inner: Mutex<Performance>,
}

fn confusion_dict<'py>(
    py: Python<'py>,
    perf: &Performance,
    m: &ConfusionMatrix,
    scores: Option<ScoreView<'_>>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let classes = m.classes();
    let labels = PyList::empty(py);
    for l in classes.classes() {
        labels.append(label_to_py(py, l)?)?;
    }
    d.set_item("task", perf.task().name())?;
    d.set_item("labels", labels)?;
    d.set_item("confusion", PyArray1::from_vec(py, m.known()))?;
    d.set_item("n", m.n())?;
    if perf.task() == Task::Binary {
        d.set_item("pos_index", perf.pos())?;
    }
    d.set_item("unknown_labels", m.unknown_true())?;
    d.set_item("null_labels", m.null_true())?;
    d.set_item("unknown_predictions", m.unknown_pred())?;
    d.set_item("null_predictions", m.null_pred())?;
    let mut invalid = m.invalid_score();
    match scores {
        Some(ScoreView::Binary(h)) => {
            invalid += h.invalid_score();
            d.set_item("positives", h.positives())?;
            d.set_item("negatives", h.negatives())?;
            if let Ok(v) = h.roc_auc() {
                d.set_item("roc_auc", v)?;
            }
            if let Ok(v) = h.average_precision() {
                d.set_item("pr_auc", v)?;
            }
            if let Ok(v) = h.log_loss() {
                d.set_item("log_loss", v)?;
            }
            if let Ok(v) = h.brier() {
                d.set_item("brier", v)?;
            }
            if let Ok(v) = h.ece() {
                d.set_item("ece", v)?;
            }
            let rel = PyList::empty(py);
            for b in h.reliability() {
                rel.append((b.lo, b.hi, b.count, b.mean_score, b.observed_rate))?;
            }
            d.set_item("reliability", rel)?;
        }
        Some(ScoreView::Multi(h)) => {
            invalid += h.invalid_row();
            if let Ok(v) = h.roc_auc_ovr(Average::Macro) {
                d.set_item("roc_auc", v)?;
            }
            if let Ok(v) = h.log_loss() {
                d.set_item("log_loss", v)?;
            }
            let top = PyDict::new(py);
            for k_top in [1usize, 2, 3, 5] {
                if k_top < h.classes() {
                    if let Ok(v) = h.top_k_accuracy(k_top) {
                        top.set_item(k_top, v)?;
                    }
                }
            }
            d.set_item("top_k", top)?;
        }
        None => {}
    }
    d.set_item("invalid_scores", invalid)?;
    Ok(d)
}

#[pymethods]
impl PyPerformance {
    #[new]
    #[pyo3(signature = (
        task, *, labels = None, pos_label = None, threshold = 0.5, segmentations = Vec::new(),
        bins = None, segment_bins = None, calibration_bins = None, segment_cap = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        task: &str,
        labels: Option<Vec<Bound<'_, PyAny>>>,
        pos_label: Option<Bound<'_, PyAny>>,
        threshold: f64,
        segmentations: Vec<String>,
        bins: Option<usize>,
        segment_bins: Option<usize>,
        calibration_bins: Option<usize>,
        segment_cap: Option<usize>,
    ) -> PyResult<Self> {
        let task = Task::parse(task).py()?;
        let classes = match labels {
            Some(ls) => Some(
                LabelEncoder::new(ls.iter().map(label_from_py).collect::<PyResult<Vec<_>>>()?)
                    .py()?,
            ),
            None => None,
        };
        let pos = pos_label.as_ref().map(label_from_py).transpose()?;
        let mut cfg = PerformanceConfig::for_task(task);
        cfg.threshold = threshold;
        cfg.bins = bins.unwrap_or(cfg.bins);
        cfg.segment_bins = segment_bins.unwrap_or(cfg.segment_bins);
        cfg.calibration_bins = calibration_bins.unwrap_or(cfg.calibration_bins);
        cfg.segment_cap = segment_cap.unwrap_or(cfg.segment_cap);
        let p = Performance::new(task, classes, pos.as_ref(), segmentations, cfg).py()?;
        Ok(Self {
            inner: Mutex::new(p),
        })
    }

    /// The task (`"binary"`, `"multiclass"` or `"regression"`).
    #[getter]
    fn task(&self) -> &'static str {
        self.inner.lock().task().name()
    }

    /// Code of the positive class of a binary task.
    #[getter]
    fn pos_index(&self) -> u32 {
        self.inner.lock().pos()
    }

    /// Names of the segmentations.
    #[getter]
    fn segmentations(&self) -> Vec<String> {
        self.inner.lock().segmentations().to_vec()
    }

    /// `(code, value)` of the segments of segmentation `i` that hold rows.
    fn segment_values(&self, i: usize) -> Vec<(u32, String)> {
        self.inner
            .lock()
            .segments(i)
            .iter()
            .map(|(c, s)| (*c, segment_name(s)))
            .collect()
    }

    /// Class codes of a label array (`k`: unknown, `k + 1`: null).
    fn encode_labels<'py>(
        &self,
        py: Python<'py>,
        y: PyArray,
    ) -> PyResult<Bound<'py, PyArray1<u32>>> {
        let a = y.array().clone();
        let p = self.inner.lock().clone();
        let out = py.detach(|| p.encode_labels(a.as_ref())).py()?;
        Ok(PyArray1::from_vec(py, out))
    }

    /// Add a batch: labels (Arrow arrays) or values (float64 arrays), scores, segments.
    #[pyo3(signature = (y_true, y_pred = None, scores = None, segments = Vec::new()))]
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_pred: Option<&Bound<'_, PyAny>>,
        scores: Option<&Bound<'_, PyAny>>,
        segments: Vec<PyArray>,
    ) -> PyResult<()> {
        let segs: Vec<_> = segments.iter().map(|a| a.array().clone()).collect();
        let task = self.inner.lock().task();
        if task == Task::Regression {
            let t: PyReadonlyArray1<'_, f64> = y_true.extract()?;
            let p: PyReadonlyArray1<'_, f64> = y_pred
                .ok_or_else(|| PyValueError::new_err("regression needs y_pred"))?
                .extract()?;
            if scores.is_some() {
                return Err(PyValueError::new_err("a regression task takes no scores"));
            }
            let (t, p) = (t.as_slice()?, p.as_slice()?);
            return py
                .detach(|| {
                    let dyns: Vec<&dyn arrow_array::Array> =
                        segs.iter().map(|a| a.as_ref()).collect();
                    self.inner
                        .lock()
                        .update(Targets::Values(t, p), ScoreInput::None, &dyns)
                })
                .py();
        }
        let t: PyArray = y_true.extract()?;
        let p: Option<PyArray> = y_pred.map(|p| p.extract()).transpose()?;
        let (t, p) = (t.array().clone(), p.map(|p| p.array().clone()));
        let s1: Option<PyReadonlyArray1<'_, f64>>;
        let s2: Option<PyReadonlyArray2<'_, f64>>;
        let score_slice: Option<&[f64]> = match scores {
            None => None,
            Some(obj) => {
                if task == Task::Binary {
                    s1 = Some(obj.extract()?);
                    Some(s1.as_ref().expect("set").as_slice()?)
                } else {
                    s2 = Some(obj.extract()?);
                    Some(s2.as_ref().expect("set").as_slice()?)
                }
            }
        };
        py.detach(|| {
            let dyns: Vec<&dyn arrow_array::Array> = segs.iter().map(|a| a.as_ref()).collect();
            let si = match (score_slice, task) {
                (None, _) => ScoreInput::None,
                (Some(s), Task::Binary) => ScoreInput::Binary(s),
                (Some(s), _) => ScoreInput::Multi(s),
            };
            self.inner.lock().update(
                Targets::Labels(t.as_ref(), p.as_ref().map(|p| p.as_ref())),
                si,
                &dyns,
            )
        })
        .py()
    }

    /// Raw classification counts and score metrics, overall or of one segment.
    #[pyo3(signature = (segmentation = None, segment = None))]
    fn classification<'py>(
        &self,
        py: Python<'py>,
        segmentation: Option<usize>,
        segment: Option<u32>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let p = self.inner.lock();
        let seg = segmentation.zip(segment);
        let (m, view) = p.classification(seg).py()?;
        confusion_dict(py, &p, &m, view)
    }

    /// Regression metrics overall or of one segment, with error quantiles at `quantiles`.
    #[pyo3(signature = (segmentation = None, segment = None, quantiles = Vec::new()))]
    fn regression<'py>(
        &self,
        py: Python<'py>,
        segmentation: Option<usize>,
        segment: Option<u32>,
        quantiles: Vec<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let r = self
            .inner
            .lock()
            .regression(segmentation.zip(segment))
            .py()?;
        let d = PyDict::new(py);
        d.set_item("n", r.n())?;
        d.set_item("invalid", r.invalid())?;
        d.set_item("mae", r.mae())?;
        d.set_item("mse", r.mse())?;
        d.set_item("rmse", r.rmse())?;
        d.set_item("mape", r.mape())?;
        d.set_item("smape", r.smape())?;
        d.set_item("r2", r.r2())?;
        d.set_item("mean_error", r.mean_error())?;
        let qs: Vec<f64> = quantiles
            .iter()
            .map(|&q| r.error_quantile(q).unwrap_or(f64::NAN))
            .collect();
        d.set_item("error_quantiles", qs)?;
        Ok(d)
    }

    /// Binary threshold sweep: `(threshold, effective, tp, fp, tn, fn)` per threshold.
    fn threshold_sweep(&self, thresholds: Vec<f64>) -> PyResult<Vec<SweepRow>> {
        let p = self.inner.lock();
        match p.classification(None).py()?.1 {
            Some(ScoreView::Binary(h)) => Ok(h
                .threshold_sweep(&thresholds)
                .py()?
                .into_iter()
                .map(|t| {
                    (
                        t.threshold,
                        t.effective,
                        t.true_pos,
                        t.false_pos,
                        t.true_neg,
                        t.false_neg,
                    )
                })
                .collect()),
            _ => Err(PyValueError::new_err(
                "a threshold sweep needs a binary task with scores",
            )),
        }
    }

    /// Merge another accumulator into this one.
    fn merge(&self, other: &PyPerformance) -> PyResult<()> {
        let o = other.inner.lock().clone();
        self.inner.lock().merge(&o).py()
    }

    /// A copy.
    fn copy(&self) -> Self {
        Self {
            inner: Mutex::new(self.inner.lock().clone()),
        }
    }

    /// The accumulators as checksummed bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.lock().to_bytes())
    }

    /// Read accumulators written by `to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(Performance::from_bytes(data).py()?),
        })
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let f = slf.getattr("from_bytes")?;
        Ok((f, (slf.get().to_bytes(py),)))
    }

    fn __repr__(&self) -> String {
        let p = self.inner.lock();
        format!(
            "Performance(task={:?}, segmentations={:?})",
            p.task().name(),
            p.segmentations()
        )
    }
}
