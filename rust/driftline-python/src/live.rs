//! Bindings of the live recorder (`driftline._core.Recorder`), which `driftline.Monitor` wraps.
//!
//! `log` is the request path: it reads the Python values without raising (every defect is
//! counted), locks one shard briefly and returns; it never releases the GIL, so no lock of the
//! recorder is ever held by a thread without the GIL (which keeps `fork` safe). Closing windows
//! takes the parts out under the GIL and merges them with the GIL released.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use driftline_core::live::{
    Cell, Closed, ClosedKind, JoinConfig, Key, Record, Recorder, Stats, WindowSpec,
};
use parking_lot::Mutex;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use smallvec::SmallVec;

use crate::{OrPy, PyDDSketch, PyProfile};

/// Read one Python value without raising.
#[inline]
fn cell<'a>(v: &'a Bound<'_, PyAny>) -> Cell<'a> {
    if v.is_none() {
        return Cell::Null;
    }
    if let Ok(f) = v.cast_exact::<PyFloat>() {
        return Cell::Float(f.value());
    }
    if let Ok(s) = v.cast_exact::<PyString>() {
        return s.to_str().map_or(Cell::Invalid, Cell::Str);
    }
    if let Ok(b) = v.cast_exact::<PyBool>() {
        return Cell::Bool(b.is_true());
    }
    if v.cast_exact::<PyInt>().is_ok() {
        return match v.extract::<i64>() {
            Ok(i) => Cell::Int(i),
            Err(_) => v.extract::<f64>().map_or(Cell::Invalid, Cell::Float),
        };
    }
    slow_cell(v)
}

/// Subclasses and NumPy scalars.
#[cold]
fn slow_cell<'a>(v: &'a Bound<'_, PyAny>) -> Cell<'a> {
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_str().map_or(Cell::Invalid, Cell::Str);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Cell::Bool(b.is_true());
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Cell::Float(f.value());
    }
    let numpy_bool = v
        .get_type()
        .name()
        .is_ok_and(|n| n.to_str().is_ok_and(|n| n == "bool" || n == "bool_"));
    if numpy_bool {
        if let Ok(b) = v.extract::<bool>() {
            return Cell::Bool(b);
        }
    }
    if let Ok(i) = v.extract::<i64>() {
        return Cell::Int(i);
    }
    if let Ok(x) = v.extract::<f64>() {
        return Cell::Float(x);
    }
    Cell::Invalid
}

/// A float argument (latency): `Ok(None)` for None, `Err(())` when unreadable.
fn float_arg(v: Option<&Bound<'_, PyAny>>) -> Result<Option<f64>, ()> {
    match v.map(cell) {
        None | Some(Cell::Null) => Ok(None),
        Some(Cell::Float(x)) => Ok(Some(x)),
        Some(Cell::Int(i)) => Ok(Some(i as f64)),
        _ => Err(()),
    }
}

fn timestamp_arg(v: Option<&Bound<'_, PyAny>>) -> Result<Option<i64>, ()> {
    let Some(v) = v else { return Ok(None) };
    let secs = match float_arg(Some(v)) {
        Ok(s) => s,
        // A datetime (or anything with a POSIX `timestamp()`).
        Err(()) => v
            .call_method0("timestamp")
            .and_then(|t| t.extract::<f64>())
            .map(Some)
            .map_err(|_| ())?,
    };
    match secs {
        None => Ok(None),
        Some(s) if s.is_finite() && s.abs() < 9.0e9 => Ok(Some((s * 1e9) as i64)),
        Some(_) => Err(()),
    }
}

fn key_arg(v: &Bound<'_, PyAny>) -> Option<Key> {
    if v.is_none() {
        return None;
    }
    if let Ok(i) = v.cast::<PyInt>() {
        if let Ok(i) = i.extract::<i64>() {
            return Some(Key::Int(i));
        }
    }
    if let Ok(s) = v.cast::<PyString>() {
        if let Ok(s) = s.to_str() {
            return Some(Key::Str(s.into()));
        }
    }
    v.str()
        .ok()
        .and_then(|s| s.to_str().ok().map(|s| Key::Str(s.into())))
}

/// Columns a record's values are gathered for on the stack (wider schemas allocate).
const STACK_COLUMNS: usize = 32;

/// Sharded, windowed accumulators fed one record at a time.
#[pyclass(module = "driftline._core", name = "Recorder", frozen)]
pub(crate) struct PyRecorder {
    inner: Arc<Recorder>,
    names: Vec<Py<PyString>>,
    name_strs: Vec<String>,
    index: HashMap<String, u32>,
    /// Column of each dict position, as last seen (`u32::MAX`: unknown).
    order: Vec<AtomicU32>,
    n_scores: usize,
}

/// The counters of a window, by name.
fn counters(s: &Stats) -> [(&'static str, u64); 13] {
    [
        ("requests", s.requests),
        ("errors", s.errors),
        ("malformed", s.malformed),
        ("late", s.late),
        ("future", s.future),
        ("joined", s.joined),
        ("joined_late", s.joined_late),
        ("unlabeled", s.unlabeled),
        ("unmatched", s.unmatched),
        ("expired", s.expired),
        ("evicted", s.evicted),
        ("duplicate_ids", s.duplicate_ids),
        ("model_errors", s.model_errors),
    ]
}

fn closed_dict<'py>(py: Python<'py>, c: Closed) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let s = &c.stats;
    d.set_item(
        "kind",
        match c.kind {
            ClosedKind::Window => "window",
            ClosedKind::Labels => "labels",
        },
    )?;
    d.set_item("index", c.index)?;
    let secs = |ns: i64| (ns != i64::MAX && ns != i64::MIN).then(|| ns as f64 / 1e9);
    d.set_item("start", secs(c.start_ns))?;
    d.set_item("end", secs(c.end_ns))?;
    d.set_item("first", secs(s.first_ns))?;
    d.set_item("last", secs(s.last_ns))?;
    for (k, v) in counters(s) {
        d.set_item(k, v)?;
    }
    d.set_item(
        "latency",
        Py::new(
            py,
            PyDDSketch {
                inner: Mutex::new(c.stats.latency),
            },
        )?,
    )?;
    d.set_item(
        "profile",
        Py::new(
            py,
            PyProfile {
                inner: Arc::new(c.profile),
            },
        )?,
    )?;
    Ok(d)
}

impl PyRecorder {
    /// Read a dict whose keys come in the order seen last time (the common case: records built
    /// by the same code): one pass over its entries, comparing each key with the expected
    /// column's name, instead of a hash lookup per column. `false` (and `items` unusable) when
    /// the dict does not match.
    #[inline]
    fn dict_in_order<'py>(
        &self,
        d: &Bound<'py, PyDict>,
        items: &mut SmallVec<[Option<Bound<'py, PyAny>>; STACK_COLUMNS]>,
    ) -> bool {
        let n = self.names.len();
        if d.len() != n {
            return false;
        }
        items.resize(n, None);
        for (pos, (k, v)) in d.iter().enumerate() {
            let c = self.order[pos].load(Ordering::Relaxed) as usize;
            if c >= n || items[c].is_some() {
                return false;
            }
            let same = k.is(self.names[c].bind(d.py()))
                || k.cast::<PyString>()
                    .is_ok_and(|s| s.to_str().is_ok_and(|s| s == self.name_strs[c]));
            if !same {
                return false;
            }
            items[c] = Some(v);
        }
        true
    }

    /// Remember the key order of `d` for [`PyRecorder::dict_in_order`].
    #[cold]
    fn learn_order(&self, d: &Bound<'_, PyDict>) {
        if d.len() != self.names.len() {
            return;
        }
        for (pos, (k, _)) in d.iter().enumerate() {
            let c = k
                .cast::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok().and_then(|s| self.index.get(s).copied()))
                .unwrap_or(u32::MAX);
            self.order[pos].store(c, Ordering::Relaxed);
        }
    }
}

#[pymethods]
impl PyRecorder {
    /// `template`: an empty profile (schema, configuration, bin edges, model section);
    /// `window_ns` (time windows) or `rows` (row-count windows).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (template, *, window_ns = None, rows = None, lateness_ns = 0, shards = 16, label_capacity = 1_000_000, label_ttl_ns = 3_600_000_000_000))]
    fn new(
        py: Python<'_>,
        template: &PyProfile,
        window_ns: Option<i64>,
        rows: Option<u64>,
        lateness_ns: i64,
        shards: usize,
        label_capacity: usize,
        label_ttl_ns: i64,
    ) -> PyResult<Self> {
        let spec = match (window_ns, rows) {
            (Some(length_ns), None) => WindowSpec::Time {
                length_ns,
                lateness_ns,
            },
            (None, Some(r)) => WindowSpec::Rows(r),
            _ => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "give exactly one of window_ns and rows",
                ))
            }
        };
        let t = (*template.inner).clone();
        let names = t
            .schema()
            .columns()
            .iter()
            .map(|(n, _)| PyString::intern(py, n).unbind())
            .collect();
        let n_scores = t.model().map_or(0, |m| m.spec().scores.len());
        let name_strs: Vec<String> = t
            .schema()
            .columns()
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        let index = name_strs
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let order = (0..name_strs.len())
            .map(|_| AtomicU32::new(u32::MAX))
            .collect();
        let inner = Recorder::new(
            t,
            spec,
            shards,
            JoinConfig {
                capacity: label_capacity,
                ttl_ns: label_ttl_ns,
            },
        )
        .py()?;
        Ok(Self {
            inner: Arc::new(inner),
            names,
            name_strs,
            index,
            order,
            n_scores,
        })
    }

    /// Count one record. Never raises for bad data: every defect is counted in the window.
    #[pyo3(signature = (features, prediction = None, *, score = None, label = None, latency_ms = None, id = None, timestamp = None, error = None))]
    #[allow(clippy::too_many_arguments)]
    fn log(
        &self,
        features: &Bound<'_, PyAny>,
        prediction: Option<&Bound<'_, PyAny>>,
        score: Option<&Bound<'_, PyAny>>,
        label: Option<&Bound<'_, PyAny>>,
        latency_ms: Option<&Bound<'_, PyAny>>,
        id: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        error: Option<&Bound<'_, PyAny>>,
    ) {
        let py = features.py();
        let n = self.names.len();
        let mut malformed = false;
        let mut items: SmallVec<[Option<Bound<'_, PyAny>>; STACK_COLUMNS]> =
            SmallVec::with_capacity(n);
        if let Ok(d) = features.cast::<PyDict>() {
            if !self.dict_in_order(d, &mut items) {
                items.clear();
                for name in &self.names {
                    items.push(d.get_item(name.bind(py)).ok().flatten());
                }
                self.learn_order(d);
            }
        } else if let Ok(l) = features.cast::<PyList>() {
            malformed |= l.len() != n;
            items.extend((0..n).map(|i| l.get_item(i).ok()));
        } else if let Ok(t) = features.cast::<PyTuple>() {
            malformed |= t.len() != n;
            items.extend((0..n).map(|i| t.get_item(i).ok()));
        } else if features.is_instance_of::<PyString>() || features.is_none() {
            malformed = true;
            items.resize(n, None);
        } else if features.hasattr("keys").unwrap_or(false) {
            // Any other mapping (pandas Series, MappingProxy...).
            for name in &self.names {
                items.push(features.get_item(name.bind(py)).ok());
            }
        } else {
            // Any other sequence (NumPy array...).
            let len = features.len().ok();
            malformed |= len != Some(n);
            items.extend((0..n).map(|i| features.get_item(i).ok()));
        }
        let cells: SmallVec<[Cell<'_>; STACK_COLUMNS]> = items
            .iter()
            .map(|o| o.as_ref().map_or(Cell::Missing, cell))
            .collect();
        let mut scores = [f64::NAN; 8];
        let mut score_vec = Vec::new();
        let score_slice: &[f64] = match score {
            _ if self.n_scores == 0 => &[],
            None => &scores[..self.n_scores.min(8)],
            Some(s) => {
                let read = |dst: &mut [f64]| -> bool {
                    match cell(s) {
                        Cell::Float(x) if dst.len() == 1 => {
                            dst[0] = x;
                            true
                        }
                        Cell::Int(i) if dst.len() == 1 => {
                            dst[0] = i as f64;
                            true
                        }
                        Cell::Null => true,
                        _ => match s.try_iter() {
                            Ok(it) => {
                                let mut k = 0;
                                for v in it.flatten() {
                                    if k < dst.len() {
                                        dst[k] = match cell(&v) {
                                            Cell::Float(x) => x,
                                            Cell::Int(i) => i as f64,
                                            _ => f64::NAN,
                                        };
                                    }
                                    k += 1;
                                }
                                k == dst.len()
                            }
                            Err(_) => false,
                        },
                    }
                };
                let ok = if self.n_scores <= 8 {
                    read(&mut scores[..self.n_scores])
                } else {
                    score_vec = vec![f64::NAN; self.n_scores];
                    read(&mut score_vec)
                };
                malformed |= !ok;
                if self.n_scores <= 8 {
                    &scores[..self.n_scores]
                } else {
                    &score_vec
                }
            }
        };
        let latency = float_arg(latency_ms).unwrap_or_else(|()| {
            malformed = true;
            None
        });
        let ts = timestamp_arg(timestamp).unwrap_or_else(|()| {
            malformed = true;
            None
        });
        let error = error.is_some_and(|e| e.is_truthy().unwrap_or(true));
        let record = Record {
            features: &cells,
            prediction: prediction.map_or(Cell::Missing, cell),
            scores: score_slice,
            label: label.map_or(Cell::Missing, cell),
            latency_ms: latency,
            error,
            id: id.and_then(key_arg),
            timestamp_ns: ts,
            malformed,
        };
        self.inner.log(record);
    }

    /// Join labels to earlier predictions by id; returns how many matched.
    fn log_labels(&self, ids: &Bound<'_, PyAny>, labels: &Bound<'_, PyAny>) -> PyResult<u64> {
        let ids: Vec<Bound<'_, PyAny>> = ids.try_iter()?.collect::<PyResult<_>>()?;
        let labels: Vec<Bound<'_, PyAny>> = labels.try_iter()?.collect::<PyResult<_>>()?;
        if ids.len() != labels.len() {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "{} ids but {} labels",
                ids.len(),
                labels.len()
            )));
        }
        let pairs = ids
            .iter()
            .zip(&labels)
            .filter_map(|(i, l)| key_arg(i).map(|k| (k, cell(l))));
        Ok(self.inner.log_labels(pairs))
    }

    /// Count an Arrow batch (or stream) into the current window.
    #[pyo3(signature = (data, latency_ms = None, errors = 0))]
    fn log_batch(
        &self,
        py: Python<'_>,
        data: AnyRecordBatch,
        latency_ms: Option<Vec<f64>>,
        errors: u64,
    ) -> PyResult<()> {
        let reader = data.into_reader()?;
        let inner = self.inner.clone();
        let mut first = true;
        for batch in reader {
            let batch =
                batch.map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
            // Profile without the GIL and without any lock; count it in under the GIL.
            let part = py.detach(|| inner.profile_batch(&batch)).py()?;
            let lat = if first {
                latency_ms.as_deref().unwrap_or(&[])
            } else {
                &[]
            };
            let err = if first { errors } else { 0 };
            first = false;
            inner.add_batch(part, lat, err);
        }
        Ok(())
    }

    /// Close every window that can close at `now` (seconds; the recorder's clock when omitted),
    /// or every open window with `all=True`; returns one dict per closed window or labels
    /// update, in index order.
    #[pyo3(signature = (now = None, all = false))]
    fn take<'py>(
        &self,
        py: Python<'py>,
        now: Option<f64>,
        all: bool,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let now_ns = now.map_or_else(|| self.inner.now_ns(), |s| (s * 1e9) as i64);
        let taken = self.inner.take_closable(now_ns, all);
        if taken.is_empty() {
            return Ok(Vec::new());
        }
        let inner = &self.inner;
        let closed = py.detach(|| inner.finish(taken)).py()?;
        closed.into_iter().map(|c| closed_dict(py, c)).collect()
    }

    /// The open window so far (the current one, or window `index`).
    #[pyo3(signature = (index = None))]
    fn snapshot<'py>(&self, py: Python<'py>, index: Option<i64>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.inner.snapshot_parts(index);
        let inner = &self.inner;
        let c = py.detach(|| inner.finish_snapshot(s)).py()?;
        closed_dict(py, c)
    }

    /// Feed the blocks the logging threads handed over into the window sketches (GIL
    /// released); the monitor's background thread calls this continuously.
    fn feed(&self, py: Python<'_>) {
        let inner = &self.inner;
        py.detach(|| inner.feed());
    }

    /// Blocks waiting to be fed.
    fn waiting(&self) -> usize {
        self.inner.waiting()
    }

    /// Forget everything recorded (used in a child process after `fork`).
    fn reset(&self) {
        self.inner.reset();
    }

    /// Seconds since the Unix epoch on the recorder's clock.
    fn now(&self) -> f64 {
        self.inner.now_ns() as f64 / 1e9
    }

    /// Index of the window records are going to now.
    fn current_index(&self) -> i64 {
        self.inner.current_index()
    }

    /// Counters of the open window so far (cheap: nothing is copied or merged).
    fn open_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.inner.open_counts(None);
        let d = PyDict::new(py);
        for (k, v) in counters(&s) {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Cumulative record counters since creation (or since `reset`).
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let t = self.inner.totals();
        let d = PyDict::new(py);
        d.set_item("requests", t.requests)?;
        d.set_item("errors", t.errors)?;
        d.set_item("malformed", t.malformed)?;
        d.set_item("late", t.late)?;
        d.set_item("future", t.future)?;
        Ok(d)
    }

    /// Predictions waiting for their label.
    fn pending_labels(&self) -> usize {
        self.inner.pending_labels()
    }
}
