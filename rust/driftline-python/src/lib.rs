//! `driftline._core`: thin Python bindings over `driftline-core`.
//!
//! Every heavy call extracts its buffers, releases the GIL with [`Python::detach`], calls the
//! core and wraps the result. Core errors become exceptions of the `DriftlineError` tree through
//! one conversion ([`err`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::RecordBatchReader;
use driftline_core::categorical::{CategoricalProfile, Categories};
use driftline_core::ddsketch::DDSketch;
use driftline_core::histogram::Histogram;
use driftline_core::ingest::Profiler;
use driftline_core::kll::KllSketch;
use driftline_core::model::{ModelProfile, ModelSpec};
use driftline_core::numeric::NumericProfile;
use driftline_core::profile::{ColumnProfile, Profile};
use driftline_core::schema::{ColumnKind, ProfileConfig, Schema};
use driftline_core::Error;
use numpy::{PyReadonlyArray1, PyUntypedArrayMethods};
use parking_lot::Mutex;
use pyo3::exceptions::{PyException, PyKeyError, PyKeyboardInterrupt, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;

mod live;
mod metrics;
mod stats;

pyo3::create_exception!(
    driftline,
    DriftlineError,
    PyException,
    "Root of every driftline error."
);
pyo3::create_exception!(
    driftline,
    CorruptDataError,
    DriftlineError,
    "Serialized bytes are truncated, corrupted or invalid."
);
pyo3::create_exception!(
    driftline,
    UnsupportedFormatError,
    CorruptDataError,
    "Serialized bytes come from a format version this build cannot read."
);
pyo3::create_exception!(
    driftline,
    IncompatibleError,
    DriftlineError,
    "Objects differ in a parameter that merging or comparing needs equal."
);
pyo3::create_exception!(
    driftline,
    SchemaError,
    DriftlineError,
    "Data does not fit the schema."
);
pyo3::create_exception!(
    driftline,
    UnsupportedTypeError,
    SchemaError,
    "A column has an Arrow type that cannot be profiled."
);
pyo3::create_exception!(
    driftline,
    InsufficientDataError,
    DriftlineError,
    "Too little data to answer."
);

/// `(label, prediction, scores, segments, empty accumulators)` of a model section.
type ModelArg<'py> = (
    String,
    Option<String>,
    Vec<String>,
    Vec<String>,
    PyRef<'py, metrics::PyPerformance>,
);

fn model_from(arg: Option<ModelArg<'_>>) -> PyResult<Option<ModelProfile>> {
    let Some((label, prediction, scores, segments, perf)) = arg else {
        return Ok(None);
    };
    let spec = ModelSpec {
        label,
        prediction,
        scores,
        segments,
    };
    let mut p = perf.inner.lock().clone();
    p.clear();
    Ok(Some(ModelProfile::new(spec, p).py()?))
}

/// Convert a core error into the matching Python exception.
fn err(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::Corrupt(_) => CorruptDataError::new_err(msg),
        Error::UnsupportedFormat(_) => UnsupportedFormatError::new_err(msg),
        Error::Incompatible { .. } => IncompatibleError::new_err(msg),
        Error::Schema(_) => SchemaError::new_err(msg),
        Error::UnsupportedType { .. } => UnsupportedTypeError::new_err(msg),
        Error::InsufficientData(_) => InsufficientDataError::new_err(msg),
        Error::InvalidArgument(_) => PyValueError::new_err(msg),
        Error::Interrupted => PyKeyboardInterrupt::new_err(msg),
    }
}

trait OrPy<T> {
    fn py(self) -> PyResult<T>;
}
impl<T> OrPy<T> for Result<T, Error> {
    fn py(self) -> PyResult<T> {
        self.map_err(err)
    }
}

/// Arrays at least this long are processed with the GIL released.
const DETACH_MIN: usize = 1 << 14;

/// Values from a float, a float64 NumPy array, or anything NumPy can convert.
enum Values<'py> {
    One(f64),
    Array(PyReadonlyArray1<'py, f64>),
}

fn values<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Values<'py>> {
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Values::One(f.value()));
    }
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'py, f64>>() {
        if a.is_contiguous() {
            return Ok(Values::Array(a));
        }
    }
    if let Ok(x) = obj.extract::<f64>() {
        if !obj.hasattr("__len__")? {
            return Ok(Values::One(x));
        }
    }
    let np = obj.py().import("numpy")?;
    let arr = np
        .call_method1("ascontiguousarray", (obj, "float64"))
        .map_err(|e| {
            PyValueError::new_err(format!("expected a float or an array of numbers: {e}"))
        })?;
    let arr = np.call_method1("ravel", (arr,))?;
    Ok(Values::Array(arr.extract::<PyReadonlyArray1<'py, f64>>()?))
}

fn with_slice<R: Send>(
    py: Python<'_>,
    v: &Values<'_>,
    f: impl FnOnce(&[f64]) -> R + Send,
) -> PyResult<R> {
    match v {
        Values::One(x) => Ok(f(std::slice::from_ref(x))),
        Values::Array(a) => {
            let s = a.as_slice()?;
            if s.len() >= DETACH_MIN {
                Ok(py.detach(|| f(s)))
            } else {
                Ok(f(s))
            }
        }
    }
}

fn float_list(_py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    match values(obj)? {
        Values::One(x) => Ok(vec![x]),
        Values::Array(a) => Ok(a.as_slice()?.to_vec()),
    }
}

/// Return a float or a NumPy array shaped like the query.
fn scalar_or_array<'py>(
    py: Python<'py>,
    query: &Bound<'py, PyAny>,
    out: Vec<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    if query.cast::<PyFloat>().is_ok()
        || (query.extract::<f64>().is_ok() && !query.hasattr("__len__")?)
    {
        Ok(PyFloat::new(py, out[0]).into_any())
    } else {
        Ok(numpy::PyArray1::from_vec(py, out).into_any())
    }
}

// ----------------------------------------------------------------------------------------------
// KLL

/// KLL quantile sketch (thread-safe; `update` accepts one float or an array).
#[pyclass(module = "driftline", name = "KLL", frozen)]
struct PyKll {
    inner: Mutex<KllSketch>,
}

#[pymethods]
impl PyKll {
    #[new]
    #[pyo3(signature = (k = 200))]
    fn new(k: u16) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(KllSketch::try_new(k).py()?),
        })
    }
    /// Add one float or an array of values; NaN and ±inf are skipped.
    fn update(&self, py: Python<'_>, values_: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(f) = values_.cast::<PyFloat>() {
            self.inner.lock().update(f.value());
            return Ok(());
        }
        let v = values(values_)?;
        with_slice(py, &v, |s| self.inner.lock().update_slice(s))
    }
    /// Quantile(s) at q in [0, 1].
    fn quantile<'py>(&self, py: Python<'py>, q: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let qs = float_list(py, q)?;
        let out = self.inner.lock().quantiles(&qs).py()?;
        scalar_or_array(py, q, out)
    }
    /// Fraction of values <= x (inclusive), for a float or an array.
    fn rank<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let xs = float_list(py, x)?;
        let s = self.inner.lock();
        let out = xs
            .iter()
            .map(|v| s.rank(*v))
            .collect::<Result<Vec<_>, _>>()
            .py()?;
        drop(s);
        scalar_or_array(py, x, out)
    }
    /// Ranks at each split point, then 1.0 (len(split_points) + 1 values).
    fn cdf<'py>(
        &self,
        py: Python<'py>,
        split_points: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let xs = float_list(py, split_points)?;
        let out = self.inner.lock().cdf(&xs).py()?;
        Ok(numpy::PyArray1::from_vec(py, out).into_any())
    }
    /// Retained items ascending and their cumulative weights (the last equals `n`): the
    /// sketch's step CDF, used to compare two sketches.
    fn sorted_view<'py>(
        &self,
        py: Python<'py>,
    ) -> (
        Bound<'py, numpy::PyArray1<f64>>,
        Bound<'py, numpy::PyArray1<u64>>,
    ) {
        let (v, w) = self.inner.lock().sorted_view();
        (
            numpy::PyArray1::from_vec(py, v),
            numpy::PyArray1::from_vec(py, w),
        )
    }
    /// Merge another KLL into this one (same k).
    fn merge(&self, other: &PyKll) -> PyResult<()> {
        if std::ptr::eq(self, other) {
            let copy = other.inner.lock().clone();
            return self.inner.lock().merge(&copy).py();
        }
        let o = other.inner.lock().clone();
        self.inner.lock().merge(&o).py()
    }
    #[getter]
    fn k(&self) -> u16 {
        self.inner.lock().k()
    }
    #[getter]
    fn n(&self) -> u64 {
        self.inner.lock().n()
    }
    #[getter]
    fn num_retained(&self) -> usize {
        self.inner.lock().num_retained()
    }
    #[getter]
    fn min(&self) -> Option<f64> {
        self.inner.lock().min()
    }
    #[getter]
    fn max(&self) -> Option<f64> {
        self.inner.lock().max()
    }
    /// Normalized rank error at 99% confidence (single rank; `pmf=True` for two-sided).
    #[pyo3(signature = (pmf = false))]
    fn normalized_rank_error(&self, pmf: bool) -> f64 {
        KllSketch::normalized_rank_error(self.inner.lock().k(), pmf)
    }
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.lock().to_bytes())
    }
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(KllSketch::from_bytes(data).py()?),
        })
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let f = py.get_type::<PyKll>().getattr("from_bytes")?;
        (f, (slf.get().to_bytes(py),)).into_pyobject(py)
    }
    fn __len__(&self) -> usize {
        self.inner.lock().n() as usize
    }
    fn __repr__(&self) -> String {
        let s = self.inner.lock();
        format!(
            "KLL(k={}, n={}, retained={})",
            s.k(),
            s.n(),
            s.num_retained()
        )
    }
}

// ----------------------------------------------------------------------------------------------
// DDSketch

/// Relative-error quantile sketch (DDSketch family).
#[pyclass(module = "driftline", name = "DDSketch", frozen)]
pub(crate) struct PyDDSketch {
    pub(crate) inner: Mutex<DDSketch>,
}

#[pymethods]
impl PyDDSketch {
    #[new]
    #[pyo3(signature = (alpha = 0.01, max_buckets = 4096))]
    fn new(alpha: f64, max_buckets: usize) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(DDSketch::try_new(alpha, max_buckets).py()?),
        })
    }
    /// Add one float or an array of values; NaN and ±inf are skipped.
    fn update(&self, py: Python<'_>, values_: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(f) = values_.cast::<PyFloat>() {
            self.inner.lock().update(f.value());
            return Ok(());
        }
        let v = values(values_)?;
        with_slice(py, &v, |s| self.inner.lock().update_slice(s))
    }
    fn quantile<'py>(&self, py: Python<'py>, q: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let qs = float_list(py, q)?;
        let out = self.inner.lock().quantiles(&qs).py()?;
        scalar_or_array(py, q, out)
    }
    fn rank<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let xs = float_list(py, x)?;
        let s = self.inner.lock();
        let out = xs
            .iter()
            .map(|v| s.rank(*v))
            .collect::<Result<Vec<_>, _>>()
            .py()?;
        drop(s);
        scalar_or_array(py, x, out)
    }
    fn merge(&self, other: &PyDDSketch) -> PyResult<()> {
        let o = other.inner.lock().clone();
        self.inner.lock().merge(&o).py()
    }
    #[getter]
    fn alpha(&self) -> f64 {
        self.inner.lock().alpha()
    }
    #[getter]
    fn count(&self) -> u64 {
        self.inner.lock().count()
    }
    #[getter]
    fn min(&self) -> Option<f64> {
        self.inner.lock().min()
    }
    #[getter]
    fn max(&self) -> Option<f64> {
        self.inner.lock().max()
    }
    #[getter]
    fn sum(&self) -> f64 {
        self.inner.lock().sum()
    }
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.lock().to_bytes())
    }
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(DDSketch::from_bytes(data).py()?),
        })
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let f = py.get_type::<PyDDSketch>().getattr("from_bytes")?;
        (f, (slf.get().to_bytes(py),)).into_pyobject(py)
    }
    fn __len__(&self) -> usize {
        self.inner.lock().count() as usize
    }
    fn __repr__(&self) -> String {
        let s = self.inner.lock();
        format!("DDSketch(alpha={}, count={})", s.alpha(), s.count())
    }
}

// ----------------------------------------------------------------------------------------------
// Histogram

/// Exact histogram with underflow, overflow and NaN tallies.
#[pyclass(module = "driftline", name = "Histogram", frozen)]
struct PyHistogram {
    inner: Mutex<Histogram>,
}

#[pymethods]
impl PyHistogram {
    #[staticmethod]
    fn uniform(bins: usize, lo: f64, hi: f64) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(Histogram::uniform(bins, lo, hi).py()?),
        })
    }
    #[staticmethod]
    fn from_edges(py: Python<'_>, edges: &Bound<'_, PyAny>) -> PyResult<Self> {
        let e = float_list(py, edges)?;
        Ok(Self {
            inner: Mutex::new(Histogram::from_edges(e).py()?),
        })
    }
    fn update(&self, py: Python<'_>, values_: &Bound<'_, PyAny>) -> PyResult<()> {
        let v = values(values_)?;
        with_slice(py, &v, |s| self.inner.lock().update(s))
    }
    fn merge(&self, other: &PyHistogram) -> PyResult<()> {
        let o = other.inner.lock().clone();
        self.inner.lock().merge(&o).py()
    }
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> Bound<'py, numpy::PyArray1<u64>> {
        numpy::PyArray1::from_slice(py, self.inner.lock().counts())
    }
    #[getter]
    fn edges<'py>(&self, py: Python<'py>) -> Bound<'py, numpy::PyArray1<f64>> {
        numpy::PyArray1::from_vec(py, self.inner.lock().binning().edges())
    }
    #[getter]
    fn underflow(&self) -> u64 {
        self.inner.lock().underflow()
    }
    #[getter]
    fn overflow(&self) -> u64 {
        self.inner.lock().overflow()
    }
    #[getter]
    fn nan_count(&self) -> u64 {
        self.inner.lock().nan()
    }
    #[getter]
    fn total(&self) -> u64 {
        self.inner.lock().total()
    }
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.lock().to_bytes())
    }
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: Mutex::new(Histogram::from_bytes(data).py()?),
        })
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let f = py.get_type::<PyHistogram>().getattr("from_bytes")?;
        (f, (slf.get().to_bytes(py),)).into_pyobject(py)
    }
    fn __repr__(&self) -> String {
        let h = self.inner.lock();
        format!("Histogram(bins={}, total={})", h.counts().len(), h.total())
    }
}

// ----------------------------------------------------------------------------------------------
// Profiles

fn config_from(dict: Option<&Bound<'_, PyDict>>) -> PyResult<ProfileConfig> {
    let mut c = ProfileConfig::default();
    if let Some(d) = dict {
        for (k, v) in d.iter() {
            let key: String = k.extract()?;
            match key.as_str() {
                "kll_k" => c.kll_k = v.extract()?,
                "dd_alpha" => c.dd_alpha = v.extract()?,
                "dd_max_buckets" => c.dd_max_buckets = v.extract()?,
                "category_cap" => c.category_cap = v.extract()?,
                "frequent_items" => c.frequent_items = v.extract()?,
                "hll_p" => c.hll_p = v.extract()?,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "unknown profile option {other:?}; known: kll_k, dd_alpha, dd_max_buckets, category_cap, frequent_items, hll_p"
                    )))
                }
            }
        }
    }
    c.validate().py()?;
    Ok(c)
}

fn schema_from(cols: Option<Vec<(String, String)>>) -> PyResult<Option<Schema>> {
    cols.map(|c| {
        let parsed = c
            .into_iter()
            .map(|(n, k)| ColumnKind::parse(&k).map(|k| (n, k)))
            .collect::<Result<Vec<_>, _>>()
            .py()?;
        Schema::new(parsed).py()
    })
    .transpose()
}

/// Read every batch of `reader` into `profiler`, checking for Ctrl-C between batches.
fn drain(
    py: Python<'_>,
    profiler: &Profiler,
    mut reader: Box<dyn RecordBatchReader + Send>,
) -> PyResult<()> {
    loop {
        let next = py.detach(|| -> Result<Result<bool, Error>, String> {
            match reader.next() {
                None => Ok(Ok(false)),
                Some(Err(e)) => Err(e.to_string()),
                Some(Ok(b)) => Ok(profiler.update(&b).map(|_| true)),
            }
        });
        py.check_signals()?;
        match next {
            Ok(more) => {
                if !more.py()? {
                    return Ok(());
                }
            }
            // A Python source (a generator behind a RecordBatchReader) that was interrupted
            // reports the KeyboardInterrupt through the Arrow stream as an error string.
            Err(msg) if msg.contains("KeyboardInterrupt") => {
                return Err(PyKeyboardInterrupt::new_err(
                    "interrupted while reading the input",
                ))
            }
            Err(msg) => return Err(PyValueError::new_err(format!("reading input batch: {msg}"))),
        }
    }
}

/// Streaming, thread-safe profiler over Arrow batches.
#[pyclass(module = "driftline._core", name = "Profiler", frozen)]
struct PyProfiler {
    inner: Arc<Profiler>,
}

#[pymethods]
impl PyProfiler {
    #[new]
    #[pyo3(signature = (schema = None, config = None, edges = None, model = None))]
    fn new(
        schema: Option<Vec<(String, String)>>,
        config: Option<&Bound<'_, PyDict>>,
        edges: Option<BTreeMap<String, Vec<f64>>>,
        model: Option<ModelArg<'_>>,
    ) -> PyResult<Self> {
        let p = Profiler::new(
            schema_from(schema)?,
            config_from(config)?,
            edges.unwrap_or_default(),
            model_from(model)?,
        )
        .py()?;
        Ok(Self { inner: Arc::new(p) })
    }
    /// Profile an Arrow record batch or stream and merge it in (GIL released).
    fn update(&self, py: Python<'_>, data: AnyRecordBatch) -> PyResult<()> {
        let reader = data.into_reader()?;
        drain(py, &self.inner, reader)
    }
    /// Merge a profile in.
    fn merge_profile(&self, py: Python<'_>, profile: &PyProfile) -> PyResult<()> {
        let p = profile.inner.clone();
        py.detach(|| self.inner.merge(&p)).py()
    }
    fn snapshot(&self, py: Python<'_>) -> PyResult<PyProfile> {
        let p = py.detach(|| self.inner.snapshot()).py()?;
        Ok(PyProfile { inner: Arc::new(p) })
    }
}

/// An immutable, mergeable summary of records.
#[pyclass(module = "driftline", name = "Profile", frozen)]
pub(crate) struct PyProfile {
    pub(crate) inner: Arc<Profile>,
}

impl PyProfile {
    fn column_index(&self, name: &str) -> PyResult<usize> {
        self.inner
            .schema()
            .index_of(name)
            .ok_or_else(|| PyKeyError::new_err(format!("no column {name:?} in the profile")))
    }
}

#[pymethods]
impl PyProfile {
    #[getter]
    fn row_count(&self) -> u64 {
        self.inner.row_count()
    }
    /// Column names in schema order.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.inner
            .schema()
            .columns()
            .iter()
            .map(|c| c.0.clone())
            .collect()
    }
    /// `(name, kind)` pairs in schema order.
    #[getter]
    fn schema(&self) -> Vec<(String, String)> {
        self.inner
            .schema()
            .columns()
            .iter()
            .map(|(n, k)| (n.clone(), k.name().to_string()))
            .collect()
    }
    /// The sketch configuration.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = self.inner.config();
        let d = PyDict::new(py);
        d.set_item("kll_k", c.kll_k)?;
        d.set_item("dd_alpha", c.dd_alpha)?;
        d.set_item("dd_max_buckets", c.dd_max_buckets)?;
        d.set_item("category_cap", c.category_cap)?;
        d.set_item("frequent_items", c.frequent_items)?;
        d.set_item("hll_p", c.hll_p)?;
        Ok(d)
    }
    #[getter]
    fn metadata(&self) -> BTreeMap<String, String> {
        self.inner.metadata().clone()
    }
    /// The model's accumulators (a copy), or `None` when the profile has no model section.
    #[getter]
    fn performance(&self) -> Option<metrics::PyPerformance> {
        self.inner.model().map(|m| metrics::PyPerformance {
            inner: Mutex::new(m.performance().clone()),
        })
    }
    /// The model's columns: `{"label", "prediction", "scores", "segments"}`, or `None`.
    #[getter]
    fn model<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(m) = self.inner.model() else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        let spec = m.spec();
        d.set_item("label", &spec.label)?;
        d.set_item("prediction", &spec.prediction)?;
        d.set_item("scores", spec.scores.clone())?;
        d.set_item("segments", spec.segments.clone())?;
        Ok(Some(d))
    }
    /// A copy with extra metadata entries.
    fn with_metadata(&self, entries: BTreeMap<String, String>) -> PyProfile {
        let mut p = (*self.inner).clone();
        for (k, v) in entries {
            p.set_metadata(k, v);
        }
        PyProfile { inner: Arc::new(p) }
    }
    /// A new profile combining this one and `other`.
    fn merge(&self, py: Python<'_>, other: &PyProfile) -> PyResult<PyProfile> {
        let (a, b) = (self.inner.clone(), other.inner.clone());
        let p = py
            .detach(|| {
                let mut m = (*a).clone();
                m.merge(&b).map(|_| m)
            })
            .py()?;
        Ok(PyProfile { inner: Arc::new(p) })
    }
    /// Baseline bin edges per numeric column (`bins` quantile bins each).
    #[pyo3(signature = (bins = 10))]
    fn bin_edges(&self, bins: usize) -> BTreeMap<String, Vec<f64>> {
        let mut out = BTreeMap::new();
        for ((name, _), c) in self
            .inner
            .schema()
            .columns()
            .iter()
            .zip(self.inner.columns())
        {
            if let ColumnProfile::Numeric(n) = c {
                if let Some(e) = n.bin_edges(bins) {
                    out.insert(name.clone(), e);
                }
            }
        }
        out
    }
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let b = py.detach(|| self.inner.to_bytes());
        PyBytes::new(py, &b)
    }
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let p = py.detach(|| Profile::from_bytes(data)).py()?;
        Ok(Self { inner: Arc::new(p) })
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let f = py.get_type::<PyProfile>().getattr("from_bytes")?;
        (f, (slf.get().to_bytes(py),)).into_pyobject(py)
    }
    fn __getitem__(&self, name: &str) -> PyResult<PyColumnProfile> {
        let index = self.column_index(name)?;
        Ok(PyColumnProfile {
            profile: self.inner.clone(),
            index,
        })
    }
    fn __contains__(&self, name: &str) -> bool {
        self.inner.schema().index_of(name).is_some()
    }
    fn __len__(&self) -> usize {
        self.inner.columns().len()
    }
    fn __repr__(&self) -> String {
        format!(
            "Profile(rows={}, columns={})",
            self.inner.row_count(),
            self.inner.columns().len()
        )
    }
}

/// The profile of one column (a view into an immutable [`PyProfile`]).
#[pyclass(module = "driftline", name = "ColumnProfile", frozen)]
struct PyColumnProfile {
    profile: Arc<Profile>,
    index: usize,
}

impl PyColumnProfile {
    fn col(&self) -> &ColumnProfile {
        &self.profile.columns()[self.index]
    }
    fn numeric(&self) -> PyResult<&NumericProfile> {
        match self.col() {
            ColumnProfile::Numeric(n) => Ok(n),
            ColumnProfile::Categorical(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "column {:?} is categorical; this statistic exists for numeric columns only",
                self.name()
            ))),
        }
    }
    fn categorical(&self) -> PyResult<&driftline_core::categorical::CategoricalProfile> {
        match self.col() {
            ColumnProfile::Categorical(c) => Ok(c),
            ColumnProfile::Numeric(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "column {:?} is numeric; this statistic exists for categorical columns only",
                self.name()
            ))),
        }
    }
}

#[pymethods]
impl PyColumnProfile {
    #[getter]
    fn name(&self) -> String {
        self.profile.schema().columns()[self.index].0.clone()
    }
    #[getter]
    fn kind(&self) -> &'static str {
        self.col().kind().name()
    }
    #[getter]
    fn count(&self) -> u64 {
        self.col().count()
    }
    #[getter]
    fn null_count(&self) -> u64 {
        self.col().null_count()
    }
    #[getter]
    fn type_error_count(&self) -> u64 {
        match self.col() {
            ColumnProfile::Numeric(n) => n.type_error_count,
            ColumnProfile::Categorical(c) => c.type_error_count,
        }
    }
    #[getter]
    fn valid_count(&self) -> u64 {
        match self.col() {
            ColumnProfile::Numeric(n) => n.valid_count(),
            ColumnProfile::Categorical(c) => c.valid_count(),
        }
    }
    #[getter]
    fn nan_count(&self) -> u64 {
        self.numeric().map(|n| n.nan_count).unwrap_or(0)
    }
    #[getter]
    fn posinf_count(&self) -> u64 {
        self.numeric().map(|n| n.posinf_count).unwrap_or(0)
    }
    #[getter]
    fn neginf_count(&self) -> u64 {
        self.numeric().map(|n| n.neginf_count).unwrap_or(0)
    }
    #[getter]
    fn min(&self) -> PyResult<Option<f64>> {
        Ok(self.numeric()?.moments.min())
    }
    #[getter]
    fn max(&self) -> PyResult<Option<f64>> {
        Ok(self.numeric()?.moments.max())
    }
    #[getter]
    fn mean(&self) -> PyResult<Option<f64>> {
        Ok(self.numeric()?.moments.mean())
    }
    /// Population variance (ddof=0, as `numpy.var`).
    #[getter]
    fn variance(&self) -> PyResult<Option<f64>> {
        Ok(self.numeric()?.moments.variance(0))
    }
    /// Variance with `ddof` delta degrees of freedom.
    #[pyo3(signature = (ddof = 0))]
    fn var(&self, ddof: u64) -> PyResult<Option<f64>> {
        Ok(self.numeric()?.moments.variance(ddof))
    }
    #[getter]
    fn std(&self) -> PyResult<Option<f64>> {
        Ok(self.numeric()?.moments.variance(0).map(f64::sqrt))
    }
    /// Quantile(s) from the KLL sketch.
    fn quantile<'py>(&self, py: Python<'py>, q: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let qs = float_list(py, q)?;
        let out = self.numeric()?.kll.quantiles(&qs).py()?;
        scalar_or_array(py, q, out)
    }
    /// Fraction of finite values <= x, from the KLL sketch.
    fn rank<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let xs = float_list(py, x)?;
        let k = &self.numeric()?.kll;
        let out = xs
            .iter()
            .map(|v| k.rank(*v))
            .collect::<Result<Vec<_>, _>>()
            .py()?;
        scalar_or_array(py, x, out)
    }
    /// Ranks at the split points, then 1.0.
    fn cdf<'py>(
        &self,
        py: Python<'py>,
        split_points: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let xs = float_list(py, split_points)?;
        let out = self.numeric()?.kll.cdf(&xs).py()?;
        Ok(numpy::PyArray1::from_vec(py, out).into_any())
    }
    /// A copy of the column's KLL sketch.
    #[getter]
    fn kll(&self) -> PyResult<PyKll> {
        Ok(PyKll {
            inner: Mutex::new(self.numeric()?.kll.clone()),
        })
    }
    /// A copy of the column's relative-error sketch.
    #[getter]
    fn ddsketch(&self) -> PyResult<PyDDSketch> {
        Ok(PyDDSketch {
            inner: Mutex::new(self.numeric()?.dd.clone()),
        })
    }
    /// The exact histogram on baseline edges, or None.
    #[getter]
    fn histogram(&self) -> PyResult<Option<PyHistogram>> {
        Ok(self.numeric()?.histogram.clone().map(|h| PyHistogram {
            inner: Mutex::new(h),
        }))
    }
    /// Whether category counts are exact (the distinct cap was never exceeded).
    #[getter]
    fn is_exact(&self) -> PyResult<bool> {
        Ok(self.categorical()?.is_exact())
    }
    /// Distinct values: exact below the cap, a HyperLogLog estimate above.
    #[getter]
    fn distinct_count(&self) -> PyResult<f64> {
        Ok(self.categorical()?.distinct())
    }
    /// The `n` most frequent values with their counts, most frequent first.
    #[pyo3(signature = (n = 10))]
    fn top(&self, n: usize) -> PyResult<Vec<(String, u64)>> {
        Ok(self.categorical()?.top(n).0)
    }
    /// Counts of the tracked values, plus `"__other__"` for the rest when not all are tracked.
    #[getter]
    fn frequencies(&self) -> PyResult<BTreeMap<String, u64>> {
        let c = self.categorical()?;
        let (items, other) = c.top(usize::MAX);
        let mut m: BTreeMap<String, u64> = items.into_iter().collect();
        if other > 0 {
            m.insert("__other__".into(), other);
        }
        Ok(m)
    }
    /// Count of one category (exact below the cap, a lower bound above).
    fn count_of(&self, value: &str) -> PyResult<u64> {
        Ok(self.categorical()?.count_of(value))
    }
    /// Largest shortfall of a reported category count (0 when exact).
    #[getter]
    fn max_count_error(&self) -> PyResult<u64> {
        Ok(self.categorical()?.max_error())
    }
    /// Values not reported by the frequent-items sketch (0 when exact).
    #[getter]
    fn other_count(&self) -> PyResult<u64> {
        let c = self.categorical()?;
        Ok(match c.categories() {
            Categories::Exact(_) => 0,
            Categories::Sketch { .. } => c.top(usize::MAX).1,
        })
    }
    fn __repr__(&self) -> String {
        let c = self.col();
        match c {
            ColumnProfile::Numeric(n) => format!(
                "ColumnProfile(name={:?}, kind='numeric', count={}, nulls={}, mean={:?}, min={:?}, max={:?})",
                self.name(), n.count, n.null_count, n.moments.mean(), n.moments.min(), n.moments.max()
            ),
            ColumnProfile::Categorical(k) => format!(
                "ColumnProfile(name={:?}, kind='categorical', count={}, nulls={}, distinct={})",
                self.name(), k.count, k.null_count, k.distinct()
            ),
        }
    }
}

/// KS statistic between two numeric columns' KLL step CDFs, and its bound `ε₁ + ε₂` (each
/// sketch's normalized rank error; 0 for a sketch that still holds every value).
#[pyfunction]
fn ks_sketches(reference: &PyColumnProfile, current: &PyColumnProfile) -> PyResult<(f64, f64)> {
    driftline_core::kll::ks_distance(&reference.numeric()?.kll, &current.numeric()?.kll).py()
}

/// First Wasserstein distance between two numeric columns' relative-error sketches, and a
/// rigorous bound on its distance from the exact value on the raw data.
#[pyfunction]
fn wasserstein_sketches(
    reference: &PyColumnProfile,
    current: &PyColumnProfile,
) -> PyResult<(f64, f64)> {
    driftline_core::ddsketch::wasserstein_distance(&reference.numeric()?.dd, &current.numeric()?.dd)
        .py()
}

type Aligned = (Vec<u64>, Vec<u64>, Vec<(String, u64)>);

/// Align the category counts of two categorical columns: `(reference_counts, current_counts,
/// new)` over the union of their categories (`__other__` included when a column is past its
/// cap), where `new` lists the current categories absent from the reference, most frequent first.
#[pyfunction]
fn align_categories(reference: &PyColumnProfile, current: &PyColumnProfile) -> PyResult<Aligned> {
    let (b, c) = (reference.categorical()?, current.categorical()?);
    Ok(CategoricalProfile::align(b, c))
}

/// Profile an Arrow stream or batch in one call (GIL released, Ctrl-C checked between batches).
#[pyfunction]
#[pyo3(signature = (data, schema = None, config = None, edges = None, model = None))]
fn profile(
    py: Python<'_>,
    data: AnyRecordBatch,
    schema: Option<Vec<(String, String)>>,
    config: Option<&Bound<'_, PyDict>>,
    edges: Option<BTreeMap<String, Vec<f64>>>,
    model: Option<ModelArg<'_>>,
) -> PyResult<PyProfile> {
    let reader = data.into_reader()?;
    let arrow_schema = reader.schema();
    let schema = match schema_from(schema)? {
        Some(s) => s,
        None => Schema::infer(&arrow_schema).py()?,
    };
    let profiler = Profiler::new(
        Some(schema),
        config_from(config)?,
        edges.unwrap_or_default(),
        model_from(model)?,
    )
    .py()?;
    drain(py, &profiler, reader)?;
    let p = py.detach(|| profiler.snapshot()).py()?;
    Ok(PyProfile { inner: Arc::new(p) })
}

/// Infer `(name, kind)` pairs from anything with `__arrow_c_schema__`-compatible batches.
#[pyfunction]
fn infer_schema(data: AnyRecordBatch) -> PyResult<Vec<(String, String)>> {
    let s = Schema::infer(data.schema()?.as_ref()).py()?;
    Ok(s.columns()
        .iter()
        .map(|(n, k)| (n.clone(), k.name().to_string()))
        .collect())
}

/// Threads in the pool used for profiling.
#[pyfunction]
fn num_threads() -> usize {
    rayon::current_num_threads()
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyKll>()?;
    m.add_class::<PyDDSketch>()?;
    m.add_class::<PyHistogram>()?;
    m.add_class::<PyProfile>()?;
    m.add_class::<PyColumnProfile>()?;
    m.add_class::<PyProfiler>()?;
    m.add_class::<metrics::PyPerformance>()?;
    m.add_class::<live::PyRecorder>()?;
    m.add_function(wrap_pyfunction!(metrics::infer_labels, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::roc_auc_exact, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::average_precision_exact, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::roc_auc_ovr_exact, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::top_k_accuracy_exact, m)?)?;
    m.add_function(wrap_pyfunction!(profile, m)?)?;
    m.add_function(wrap_pyfunction!(infer_schema, m)?)?;
    m.add_function(wrap_pyfunction!(num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(align_categories, m)?)?;
    m.add_function(wrap_pyfunction!(ks_sketches, m)?)?;
    m.add_function(wrap_pyfunction!(wasserstein_sketches, m)?)?;
    stats::register(m)?;
    m.add("DriftlineError", py.get_type::<DriftlineError>())?;
    m.add("CorruptDataError", py.get_type::<CorruptDataError>())?;
    m.add(
        "UnsupportedFormatError",
        py.get_type::<UnsupportedFormatError>(),
    )?;
    m.add("IncompatibleError", py.get_type::<IncompatibleError>())?;
    m.add("SchemaError", py.get_type::<SchemaError>())?;
    m.add(
        "UnsupportedTypeError",
        py.get_type::<UnsupportedTypeError>(),
    )?;
    m.add(
        "InsufficientDataError",
        py.get_type::<InsufficientDataError>(),
    )?;
    m.add("FORMAT_VERSION", driftline_core::codec::FORMAT_VERSION)?;
    Ok(())
}
