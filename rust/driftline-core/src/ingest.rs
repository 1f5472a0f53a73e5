//! Arrow ingestion: feeding Arrow arrays and record batches into profiles, in parallel.
//!
//! Arrays are read in place (no copy of the values buffer): numeric values are converted to
//! `f64` in runs of [`RUN`] values on the stack, and float columns without nulls or non-finite
//! values are handed to the sketches straight from the Arrow buffer.
//!
//! Outcomes per input (the "bad input matrix", also documented in `docs/profile.md`):
//!
//! | input | outcome |
//! |---|---|
//! | null | `null_count` |
//! | NaN, +inf, −inf in a numeric column | `nan_count`, `posinf_count`, `neginf_count`; never sketched |
//! | string in a numeric column | parsed as a number; unparsable strings go to `type_error_count` |
//! | NaN or ±inf in a float column declared categorical | `type_error_count` |
//! | column absent from a batch | every row of that batch counted as null |
//! | column of the batch not in the schema | ignored |
//! | unsupported Arrow type (list, struct, binary, ...) | [`Error::UnsupportedType`] |

use std::sync::{Mutex, OnceLock};

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray, RecordBatch};
use arrow_schema::DataType;
use rayon::prelude::*;

use crate::categorical::CategoricalProfile;
use crate::error::{Error, Result};
use crate::numeric::{NumericProfile, RUN};
use crate::profile::{ColumnProfile, Profile};

/// Rows below which a column is not split across threads.
const MIN_SPLIT_ROWS: usize = 1 << 16;

/// Conversion of an Arrow native value to `f64`.
trait ToF64: Copy {
    fn to_f64(self) -> f64;
}
macro_rules! to_f64_as {
    ($($t:ty),*) => {$(impl ToF64 for $t { #[inline] fn to_f64(self) -> f64 { self as f64 } })*};
}
to_f64_as!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);
impl ToF64 for half::f16 {
    #[inline]
    fn to_f64(self) -> f64 {
        self.to_f64()
    }
}

fn feed_primitive<T>(p: &mut NumericProfile, a: &PrimitiveArray<T>, scale: f64)
where
    T: ArrowPrimitiveType,
    T::Native: ToF64,
{
    let values = a.values();
    let nulls = a.nulls().filter(|n| n.null_count() > 0);
    let mut buf = [0.0f64; RUN];
    let mut start = 0;
    while start < values.len() {
        let end = (start + RUN).min(values.len());
        let mut n = 0;
        match nulls {
            None => {
                for &v in &values[start..end] {
                    let x = v.to_f64() * scale;
                    buf[n] = x;
                    if x.is_finite() {
                        n += 1;
                    } else {
                        p.count_non_finite(x);
                    }
                }
            }
            Some(nb) => {
                let mut null = 0;
                for (i, &v) in values[start..end].iter().enumerate() {
                    if nb.is_null(start + i) {
                        null += 1;
                        continue;
                    }
                    let x = v.to_f64() * scale;
                    buf[n] = x;
                    if x.is_finite() {
                        n += 1;
                    } else {
                        p.count_non_finite(x);
                    }
                }
                p.add_nulls(null);
            }
        }
        p.add_finite(&buf[..n]);
        start = end;
    }
}

/// Float64 without nulls: hand runs to the sketches in place when they are all finite.
fn feed_f64_dense(p: &mut NumericProfile, values: &[f64]) {
    for run in values.chunks(RUN) {
        if run.iter().all(|x| x.is_finite()) {
            p.add_finite(run);
        } else {
            p.add_values(run);
        }
    }
}

fn feed_strings_as_numbers<'a>(p: &mut NumericProfile, it: impl Iterator<Item = Option<&'a str>>) {
    let mut buf = Vec::with_capacity(RUN);
    for v in it {
        match v {
            None => p.add_nulls(1),
            Some(s) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => buf.push(x),
                Ok(x) => p.count_non_finite(x),
                Err(_) => p.add_type_errors(1),
            },
        }
        if buf.len() == RUN {
            p.add_finite(&buf);
            buf.clear();
        }
    }
    p.add_finite(&buf);
}

fn arrow_err(e: arrow_schema::ArrowError) -> Error {
    Error::invalid(format!("arrow: {e}"))
}

fn unsupported(column: &str, dtype: &DataType) -> Error {
    Error::UnsupportedType {
        column: column.to_string(),
        dtype: dtype.to_string(),
    }
}

/// Feed an Arrow array into a numeric column profile.
pub fn feed_numeric(p: &mut NumericProfile, column: &str, a: &dyn Array) -> Result<()> {
    use DataType::*;
    match a.data_type() {
        Float64 => {
            let arr = a.as_primitive::<Float64Type>();
            if arr.null_count() == 0 {
                feed_f64_dense(p, arr.values());
            } else {
                feed_primitive(p, arr, 1.0);
            }
        }
        Float32 => feed_primitive(p, a.as_primitive::<Float32Type>(), 1.0),
        Float16 => feed_primitive(p, a.as_primitive::<Float16Type>(), 1.0),
        Int8 => feed_primitive(p, a.as_primitive::<Int8Type>(), 1.0),
        Int16 => feed_primitive(p, a.as_primitive::<Int16Type>(), 1.0),
        Int32 => feed_primitive(p, a.as_primitive::<Int32Type>(), 1.0),
        Int64 => feed_primitive(p, a.as_primitive::<Int64Type>(), 1.0),
        UInt8 => feed_primitive(p, a.as_primitive::<UInt8Type>(), 1.0),
        UInt16 => feed_primitive(p, a.as_primitive::<UInt16Type>(), 1.0),
        UInt32 => feed_primitive(p, a.as_primitive::<UInt32Type>(), 1.0),
        UInt64 => feed_primitive(p, a.as_primitive::<UInt64Type>(), 1.0),
        // Temporal types as their stored integers (timestamps in their unit since the epoch,
        // dates in days or milliseconds, durations in their unit).
        Timestamp(..) | Date64 | Time64(_) | Duration(_) => {
            let data = a.to_data();
            let arr = PrimitiveArray::<Int64Type>::from(
                data.into_builder()
                    .data_type(Int64)
                    .build()
                    .map_err(arrow_err)?,
            );
            feed_primitive(p, &arr, 1.0)
        }
        Date32 | Time32(_) => {
            let data = a.to_data();
            let arr = PrimitiveArray::<Int32Type>::from(
                data.into_builder()
                    .data_type(Int32)
                    .build()
                    .map_err(arrow_err)?,
            );
            feed_primitive(p, &arr, 1.0)
        }
        Decimal128(_, scale) => {
            let arr = a.as_primitive::<Decimal128Type>();
            let f = 10f64.powi(-(*scale as i32));
            let mut buf = Vec::with_capacity(RUN);
            for v in arr.iter() {
                match v {
                    None => p.add_nulls(1),
                    Some(v) => buf.push(v as f64 * f),
                }
                if buf.len() == RUN {
                    p.add_values(&buf);
                    buf.clear();
                }
            }
            p.add_values(&buf);
        }
        Boolean => {
            let arr = a.as_boolean();
            let mut buf = Vec::with_capacity(RUN);
            for v in arr.iter() {
                match v {
                    None => p.add_nulls(1),
                    Some(b) => buf.push(b as u8 as f64),
                }
                if buf.len() == RUN {
                    p.add_finite(&buf);
                    buf.clear();
                }
            }
            p.add_finite(&buf);
        }
        Null => p.add_nulls(a.len() as u64),
        Utf8 => feed_strings_as_numbers(p, a.as_string::<i32>().iter()),
        LargeUtf8 => feed_strings_as_numbers(p, a.as_string::<i64>().iter()),
        Utf8View => feed_strings_as_numbers(p, a.as_string_view().iter()),
        Dictionary(..) => {
            let dict = a.as_any_dictionary();
            // Decode the dictionary values once, then look each key up.
            let decoded = decode_numeric_values(column, dict.values().as_ref())?;
            let keys = dict.normalized_keys();
            let nulls = a.logical_nulls();
            let mut buf = Vec::with_capacity(RUN);
            for (i, k) in keys.iter().enumerate() {
                if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    p.add_nulls(1);
                    continue;
                }
                match decoded.get(*k).copied().flatten() {
                    None => p.add_nulls(1),
                    Some(Ok(x)) => buf.push(x),
                    Some(Err(())) => p.add_type_errors(1),
                }
                if buf.len() == RUN {
                    p.add_values(&buf);
                    buf.clear();
                }
            }
            p.add_values(&buf);
        }
        other => return Err(unsupported(column, other)),
    }
    Ok(())
}

/// Decode a (dictionary values) array into numbers: `None` for null, `Err` for unreadable.
fn decode_numeric_values(column: &str, a: &dyn Array) -> Result<Vec<Option<Result<f64, ()>>>> {
    let cfg = crate::schema::ProfileConfig::default();
    let mut out = Vec::with_capacity(a.len());
    for i in 0..a.len() {
        let one = a.slice(i, 1);
        let mut p = NumericProfile::new(&cfg, None)?;
        feed_numeric(&mut p, column, one.as_ref())?;
        out.push(if p.null_count > 0 {
            None
        } else if p.type_error_count > 0 {
            Some(Err(()))
        } else if p.valid_count() == 1 {
            Some(Ok(p.moments.min().unwrap_or(f64::NAN)))
        } else if p.nan_count > 0 {
            Some(Ok(f64::NAN))
        } else if p.posinf_count > 0 {
            Some(Ok(f64::INFINITY))
        } else {
            Some(Ok(f64::NEG_INFINITY))
        });
    }
    Ok(out)
}

fn feed_display<T: std::fmt::Display>(
    p: &mut CategoricalProfile,
    it: impl Iterator<Item = Option<T>>,
) {
    let mut s = String::new();
    for v in it {
        match v {
            None => p.add_nulls(1),
            Some(v) => {
                use std::fmt::Write;
                s.clear();
                let _ = write!(s, "{v}");
                p.add(&s, 1);
            }
        }
    }
}

fn feed_float_categories<T: Into<f64> + Copy>(
    p: &mut CategoricalProfile,
    it: impl Iterator<Item = Option<T>>,
) {
    let mut s = String::new();
    for v in it {
        match v.map(Into::into) {
            None => p.add_nulls(1),
            Some(x) if !x.is_finite() => p.add_type_errors(1),
            Some(x) => {
                use std::fmt::Write;
                s.clear();
                let _ = write!(s, "{x}");
                p.add(&s, 1);
            }
        }
    }
}

/// Feed an Arrow array into a categorical column profile.
pub fn feed_categorical(p: &mut CategoricalProfile, column: &str, a: &dyn Array) -> Result<()> {
    use DataType::*;
    match a.data_type() {
        Utf8 => a.as_string::<i32>().iter().for_each(|v| match v {
            Some(s) => p.add(s, 1),
            None => p.add_nulls(1),
        }),
        LargeUtf8 => a.as_string::<i64>().iter().for_each(|v| match v {
            Some(s) => p.add(s, 1),
            None => p.add_nulls(1),
        }),
        Utf8View => a.as_string_view().iter().for_each(|v| match v {
            Some(s) => p.add(s, 1),
            None => p.add_nulls(1),
        }),
        Dictionary(..) => {
            let dict = a.as_any_dictionary();
            let values = dict.values();
            let keys = dict.normalized_keys();
            let nulls = a.logical_nulls();
            let mut counts = vec![0u64; values.len()];
            let mut null = 0u64;
            for (i, k) in keys.iter().enumerate() {
                if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
                    null += 1;
                } else if let Some(c) = counts.get_mut(*k) {
                    *c += 1;
                } else {
                    null += 1;
                }
            }
            p.add_nulls(null);
            // Feed each used dictionary value once, with its weight, through this same function.
            for (k, &c) in counts.iter().enumerate() {
                if c == 0 {
                    continue;
                }
                let mut one = CategoricalProfile::new(&crate::schema::ProfileConfig {
                    category_cap: 1,
                    ..Default::default()
                });
                feed_categorical(&mut one, column, values.slice(k, 1).as_ref())?;
                if one.null_count > 0 {
                    p.add_nulls(c);
                } else if one.type_error_count > 0 {
                    p.add_type_errors(c);
                } else if let Some((v, _)) = one.top(1).0.into_iter().next() {
                    p.add(&v, c);
                }
            }
        }
        Boolean => feed_display(p, a.as_boolean().iter()),
        Int8 => feed_display(p, a.as_primitive::<Int8Type>().iter()),
        Int16 => feed_display(p, a.as_primitive::<Int16Type>().iter()),
        Int32 => feed_display(p, a.as_primitive::<Int32Type>().iter()),
        Int64 => feed_display(p, a.as_primitive::<Int64Type>().iter()),
        UInt8 => feed_display(p, a.as_primitive::<UInt8Type>().iter()),
        UInt16 => feed_display(p, a.as_primitive::<UInt16Type>().iter()),
        UInt32 => feed_display(p, a.as_primitive::<UInt32Type>().iter()),
        UInt64 => feed_display(p, a.as_primitive::<UInt64Type>().iter()),
        Float32 => feed_float_categories(p, a.as_primitive::<Float32Type>().iter()),
        Float64 => feed_float_categories(p, a.as_primitive::<Float64Type>().iter()),
        Null => p.add_nulls(a.len() as u64),
        other => return Err(unsupported(column, other)),
    }
    Ok(())
}

/// Feed an array into a column profile of either kind.
pub fn feed_column(c: &mut ColumnProfile, column: &str, a: &dyn Array) -> Result<()> {
    match c {
        ColumnProfile::Numeric(p) => feed_numeric(p, column, a),
        ColumnProfile::Categorical(p) => feed_categorical(p, column, a),
    }
}

/// Profile one record batch with `template`'s schema, configuration and bin edges, spreading
/// columns and row ranges over the rayon pool. Schema columns absent from the batch count as null.
pub fn profile_batch(template: &Profile, batch: &RecordBatch) -> Result<Profile> {
    let rows = batch.num_rows();
    let schema = template.schema().columns();
    let threads = rayon::current_num_threads().max(1);
    // Split columns into row ranges so that there are a few tasks per thread.
    let per_col = (4 * threads).div_ceil(schema.len().max(1));
    let chunk = rows.div_ceil(per_col).max(MIN_SPLIT_ROWS);
    let mut tasks = Vec::new();
    for (i, (name, _)) in schema.iter().enumerate() {
        let col = batch.column_by_name(name);
        let mut start = 0;
        loop {
            let len = chunk.min(rows - start);
            tasks.push((i, col, start, len));
            start += len;
            if start >= rows {
                break;
            }
        }
    }
    let empty = template.empty_like();
    let parts: Vec<Result<(usize, ColumnProfile)>> = tasks
        .into_par_iter()
        .map(|(i, col, start, len)| {
            let mut c = empty.columns()[i].clone();
            match col {
                None => c.add_nulls(len as u64),
                Some(a) => feed_column(&mut c, &schema[i].0, a.slice(start, len).as_ref())?,
            }
            Ok((i, c))
        })
        .collect();
    let mut out = empty;
    for part in parts {
        let (i, c) = part?;
        let name = &schema[i].0;
        let slot = &mut out.columns_mut()[i];
        slot.merge(&c)
            .map_err(|e| e.within(&format!("columns.{name}")))?;
    }
    if let Some(m) = out.model_mut() {
        m.update(batch).map_err(|e| e.within("model"))?;
    }
    out.add_rows(rows as u64);
    Ok(out)
}

/// A thread-safe streaming profiler: `update` from many threads, `snapshot` at any time.
///
/// Each update profiles its batch without holding the lock and then merges the result under
/// it, so a snapshot always sees whole batches: counts, histogram totals and sketch sizes agree.
#[derive(Debug)]
pub struct Profiler {
    template: OnceLock<Profile>,
    config: crate::schema::ProfileConfig,
    edges: std::collections::BTreeMap<String, Vec<f64>>,
    model: Option<crate::model::ModelProfile>,
    state: Mutex<Option<Profile>>,
}

impl Profiler {
    /// A profiler with a fixed schema, or `None` to infer it from the first batch, and an
    /// optional model section (empty accumulators fed from the model's columns).
    pub fn new(
        schema: Option<crate::schema::Schema>,
        config: crate::schema::ProfileConfig,
        edges: std::collections::BTreeMap<String, Vec<f64>>,
        model: Option<crate::model::ModelProfile>,
    ) -> Result<Self> {
        config.validate()?;
        let template = OnceLock::new();
        if let Some(s) = schema {
            let mut t = Profile::new(s, config.clone(), &edges)?;
            t.set_model(model.clone());
            let _ = template.set(t);
        }
        Ok(Self {
            template,
            config,
            edges,
            model,
            state: Mutex::new(None),
        })
    }

    fn template_for(&self, batch: &RecordBatch) -> Result<&Profile> {
        if let Some(t) = self.template.get() {
            return Ok(t);
        }
        let schema = crate::schema::Schema::infer(&batch.schema())?;
        let mut t = Profile::new(schema, self.config.clone(), &self.edges)?;
        t.set_model(self.model.clone());
        let _ = self.template.set(t);
        Ok(self.template.get().expect("set above"))
    }

    /// Profile `batch` and merge it in.
    pub fn update(&self, batch: &RecordBatch) -> Result<()> {
        let t = self.template_for(batch)?;
        let part = profile_batch(t, batch)?;
        self.merge(&part)
    }

    /// Merge an already built profile in.
    pub fn merge(&self, part: &Profile) -> Result<()> {
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match g.as_mut() {
            None => *g = Some(part.clone()),
            Some(s) => s.merge(part)?,
        }
        Ok(())
    }

    /// The profile of everything merged so far (an empty profile before the first update).
    pub fn snapshot(&self) -> Result<Profile> {
        let g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match (g.as_ref(), self.template.get()) {
            (Some(s), _) => Ok(s.clone()),
            (None, Some(t)) => Ok(t.empty_like()),
            (None, None) => Err(Error::InsufficientData(
                "the profiler has no schema yet: give one or update it with a batch first".into(),
            )),
        }
    }
}
