//! Class and segment labels: mapping Arrow label columns to dense `u32` codes.
//!
//! [`LabelEncoder`] holds a declared, ordered set of `k` classes and maps every row of an Arrow
//! array to a code:
//!
//! | row | code |
//! |---|---|
//! | the `i`-th declared class | `i` |
//! | a value outside the declared classes | [`LabelEncoder::unknown`] `= k` |
//! | null | [`LabelEncoder::null`] `= k + 1` |
//!
//! so that every row lands somewhere and nothing is dropped silently.
//!
//! Value types: Arrow `Int8`..`Int64`, `UInt8`..`UInt64`, `Float16`..`Float64`, `Boolean`, `Utf8`,
//! `LargeUtf8`, `Utf8View`, `Null`, and dictionaries of any of these (the dictionary values are
//! encoded once, then the keys are mapped). A float holding an integral value (`1.0`) is the integer
//! label `1`; any other float (`0.5`, NaN, ±inf) is unknown. Booleans and integers compare as numpy
//! does (`false == 0`, `true == 1`). Strings never equal numbers: encoding a string column against
//! integer or boolean classes (or the reverse) is an [`Error::InvalidArgument`], as mixing string
//! and number labels is in scikit-learn.
//!
//! [`SegmentEncoder`] is the open-ended counterpart for segment columns: it assigns a new code to
//! each new value until it holds `cap` named segments (default [`SegmentEncoder::DEFAULT_CAP`]),
//! after which new values go to the `__other__` segment; nulls go to the `__null__` segment. Both
//! reserved segments always exist, with codes [`SegmentEncoder::NULL`] and [`SegmentEncoder::OTHER`].

use std::fmt;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{
    Array, ArrowPrimitiveType, DictionaryArray, GenericStringArray, OffsetSizeTrait, PrimitiveArray,
};
use arrow_buffer::ArrowNativeType;
use arrow_schema::DataType;
use hashbrown::{HashMap, HashSet};

use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};

/// A class or segment value.
///
/// The derived order (integers, then strings, then booleans) is only used within one kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// An integer label (also integral floats, and unsigned integers up to `i64::MAX`).
    Int(i64),
    /// A string label.
    Str(String),
    /// A boolean label.
    Bool(bool),
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Int(v) => write!(f, "{v}"),
            Label::Str(s) => f.write_str(s),
            Label::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl From<i64> for Label {
    fn from(v: i64) -> Self {
        Label::Int(v)
    }
}
impl From<&str> for Label {
    fn from(v: &str) -> Self {
        Label::Str(v.to_string())
    }
}
impl From<String> for Label {
    fn from(v: String) -> Self {
        Label::Str(v)
    }
}
impl From<bool> for Label {
    fn from(v: bool) -> Self {
        Label::Bool(v)
    }
}

const TAG_INT: u8 = 0;
const TAG_STR: u8 = 1;
const TAG_BOOL: u8 = 2;

impl Label {
    fn tag(&self) -> u8 {
        match self {
            Label::Int(_) => TAG_INT,
            Label::Str(_) => TAG_STR,
            Label::Bool(_) => TAG_BOOL,
        }
    }

    fn write(&self, w: &mut Writer) {
        w.u8(self.tag());
        match self {
            Label::Int(v) => w.i64(*v),
            Label::Str(s) => w.str(s),
            Label::Bool(b) => w.u8(u8::from(*b)),
        }
    }

    fn read(r: &mut Reader) -> Result<Self> {
        match r.u8()? {
            TAG_INT => Ok(Label::Int(r.i64()?)),
            TAG_STR => Ok(Label::Str(r.str()?)),
            TAG_BOOL => match r.u8()? {
                0 => Ok(Label::Bool(false)),
                1 => Ok(Label::Bool(true)),
                b => Err(Error::corrupt(format!(
                    "boolean label byte {b} is not 0 or 1"
                ))),
            },
            t => Err(Error::corrupt(format!("unknown label tag {t}"))),
        }
    }
}

/// The broad type of an Arrow column's values, checked once per array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Number,
    Str,
}

/// The integer a float stands for, if it is integral and within `i64`.
#[inline]
fn int_of_float(x: f64) -> Option<i64> {
    // ±2^63 are exact in f64; `x as i64` saturates, so the range check keeps it exact.
    const TWO_63: f64 = -(i64::MIN as f64);
    if x.fract() == 0.0 && (-TWO_63..TWO_63).contains(&x) {
        Some(x as i64)
    } else {
        None
    }
}

/// Turns values into codes. Implemented by the fixed encoder (pure: the code of a value never
/// depends on what came before) and by the growing ones (segments, inference). For every sink,
/// once a value has been given a code, giving the same value again returns the same code and
/// changes nothing, so a column encoder may remember the codes of values it has seen.
trait Sink {
    /// Pure sinks may be called on the (meaningless) values under null slots; the result is
    /// overwritten. Impure sinks are only called on valid values.
    const PURE: bool;
    fn accept(&self, kind: ValueKind, dtype: &DataType) -> Result<()>;
    fn null(&self) -> u32;
    fn int(&mut self, v: i64) -> u32;
    /// An unsigned value above `i64::MAX`.
    fn big(&mut self, v: u64) -> u32;
    fn float(&mut self, x: f64) -> u32;
    fn boolean(&mut self, b: bool) -> u32;
    fn string(&mut self, s: &str) -> u32;
}

fn primitive<T, S>(
    a: &PrimitiveArray<T>,
    s: &mut S,
    out: &mut Vec<u32>,
    mut f: impl FnMut(&mut S, T::Native) -> u32,
) where
    T: ArrowPrimitiveType,
    S: Sink,
{
    let values = a.values();
    let nulls = a.nulls().filter(|n| n.null_count() > 0);
    let null = s.null();
    match nulls {
        None => out.extend(values.iter().map(|&v| f(s, v))),
        Some(nb) if S::PURE => {
            let start = out.len();
            out.extend(values.iter().map(|&v| f(s, v)));
            for (o, valid) in out[start..].iter_mut().zip(nb.iter()) {
                if !valid {
                    *o = null;
                }
            }
        }
        Some(nb) => {
            out.extend(
                values
                    .iter()
                    .zip(nb.iter())
                    .map(|(&v, valid)| if valid { f(s, v) } else { null }),
            )
        }
    }
}

/// Fewest rows of a string column for which [`string_column`] remembers codes.
const MEMO_MIN_ROWS: usize = 64;

/// The bytes of a value of at most 16 bytes as two integers (with its length, a key that tells
/// any two such values apart); `None` for longer values.
#[inline]
fn short_key(v: &[u8]) -> Option<(u64, u64)> {
    let n = v.len();
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().expect("8 bytes"));
    if (8..=16).contains(&n) {
        // The first and the last 8 bytes: together they cover the value.
        Some((word(&v[..8]), word(&v[n - 8..])))
    } else if n < 8 {
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(v);
        Some((u64::from_le_bytes(b), 0))
    } else {
        None
    }
}

/// A string column with offsets. Each row's string is hashed by the sink, except that short
/// values (at most 16 bytes, the common case for labels and segments) are first looked up in a
/// small table of the codes this call has already given, keyed by their bytes as two integers:
/// a handful of distinct values then costs a few integer operations per row instead of a
/// hash-map lookup and a string comparison.
fn string_column<O: OffsetSizeTrait, S: Sink>(
    a: &GenericStringArray<O>,
    s: &mut S,
    out: &mut Vec<u32>,
) {
    /// Table slots (a power of two) and how many are probed before giving up on a value.
    const SLOTS: usize = 256;
    const PROBES: usize = 4;
    #[derive(Clone, Copy)]
    struct Seen {
        lo: u64,
        hi: u64,
        /// Byte length; `u32::MAX` for an empty slot.
        len: u32,
        code: u32,
    }
    let empty = Seen {
        lo: 0,
        hi: 0,
        len: u32::MAX,
        code: 0,
    };
    let mut seen = [empty; SLOTS];
    let offsets = a.value_offsets();
    let bytes = a.value_data();
    let nulls = a.nulls().filter(|n| n.null_count() > 0);
    // Written in place (rows start as null).
    let start = out.len();
    out.resize(start + a.len(), s.null());
    for (i, o) in out[start..].iter_mut().enumerate() {
        if nulls.is_some_and(|n| n.is_null(i)) {
            continue;
        }
        let v = &bytes[offsets[i].as_usize()..offsets[i + 1].as_usize()];
        let Some((lo, hi)) = short_key(v) else {
            *o = s.string(a.value(i));
            continue;
        };
        let len = v.len() as u32;
        let h = (lo ^ hi.rotate_left(29) ^ u64::from(len)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let first = (h >> 56) as usize;
        let mut code = None;
        for p in 0..PROBES {
            let e = &mut seen[(first + p) % SLOTS];
            if e.len == len && e.lo == lo && e.hi == hi {
                code = Some(e.code);
                break;
            }
            if e.len == u32::MAX {
                let c = s.string(a.value(i));
                *e = Seen {
                    lo,
                    hi,
                    len,
                    code: c,
                };
                code = Some(c);
                break;
            }
        }
        // Every probed slot holds another value: too many distinct values to remember.
        *o = code.unwrap_or_else(|| s.string(a.value(i)));
    }
}

fn strings<'a, S: Sink>(it: impl Iterator<Item = Option<&'a str>>, s: &mut S, out: &mut Vec<u32>) {
    let null = s.null();
    out.extend(it.map(|v| match v {
        Some(v) => s.string(v),
        None => null,
    }));
}

fn unsupported(dtype: &DataType) -> Error {
    Error::invalid(format!(
        "labels of Arrow type {dtype} are not supported; use integers, booleans or strings"
    ))
}

/// A dictionary column: the values are encoded once, then each row's key is mapped (read in
/// the keys' own type: no widened copy of the keys).
fn dictionary<K: ArrowDictionaryKeyType, S: Sink>(
    d: &DictionaryArray<K>,
    s: &mut S,
    out: &mut Vec<u32>,
) -> Result<()> {
    let values = d.values();
    let keys = d.keys();
    let key_nulls = keys.nulls().filter(|n| n.null_count() > 0);
    let null = s.null();
    // Pure sinks encode the whole dictionary at once; growing sinks encode only the values that
    // a valid key refers to, in order of first use, so an unused dictionary entry never becomes
    // a label or a segment.
    const UNSET: u32 = u32::MAX;
    let mut codes = if S::PURE {
        let mut c = Vec::with_capacity(values.len());
        encode_with(values.as_ref(), s, &mut c)?;
        c
    } else {
        vec![UNSET; values.len()]
    };
    let mut one = Vec::with_capacity(1);
    // Give key `k` its code (a key out of range, as a negative key becomes, is null).
    let mut first_use = |codes: &mut [u32], k: usize| -> Result<u32> {
        let Some(slot) = codes.get_mut(k) else {
            return Ok(null);
        };
        one.clear();
        encode_with(values.slice(k, 1).as_ref(), s, &mut one)?;
        *slot = one.first().copied().unwrap_or(null);
        Ok(*slot)
    };
    if !S::PURE {
        // Codes in order of first use: the entries valid rows refer to, by their first row
        // (the scan stops once every entry has been seen, usually within the first rows).
        let n_values = codes.len();
        let mut seen = vec![false; n_values];
        let mut found = 0;
        for (i, k) in keys.values().iter().enumerate() {
            if found == n_values {
                break;
            }
            let k = k.as_usize();
            if k < n_values && !seen[k] && !key_nulls.is_some_and(|n| n.is_null(i)) {
                seen[k] = true;
                found += 1;
                first_use(&mut codes, k)?;
            }
        }
    }
    // Written in place: every key a valid row uses has its code, so the loop over the keys
    // (the whole cost) is a plain table lookup without branches; out-of-range keys give null,
    // and null rows are set afterwards.
    let start = out.len();
    out.resize(start + keys.len(), null);
    let dst = &mut out[start..];
    let n_codes = codes.len();
    for (o, k) in dst.iter_mut().zip(keys.values()) {
        let k = k.as_usize();
        *o = if k < n_codes { codes[k] } else { null };
    }
    if let Some(nb) = key_nulls {
        for (o, valid) in dst.iter_mut().zip(nb.iter()) {
            if !valid {
                *o = null;
            }
        }
    }
    debug_assert!(!dst.contains(&UNSET), "a valid row's key has no code");
    Ok(())
}

/// Append one code per row of `a` to `out`.
fn encode_with<S: Sink>(a: &dyn Array, s: &mut S, out: &mut Vec<u32>) -> Result<()> {
    use DataType::*;
    let dtype = a.data_type();
    let kind = match dtype {
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 | Float16 | Float32
        | Float64 | Boolean => Some(ValueKind::Number),
        Utf8 | LargeUtf8 | Utf8View => Some(ValueKind::Str),
        _ => None,
    };
    if let Some(kind) = kind {
        s.accept(kind, dtype)?;
    }
    out.reserve(a.len());
    match dtype {
        Int8 => primitive(a.as_primitive::<Int8Type>(), s, out, |s, v| s.int(v.into())),
        Int16 => primitive(a.as_primitive::<Int16Type>(), s, out, |s, v| {
            s.int(v.into())
        }),
        Int32 => primitive(a.as_primitive::<Int32Type>(), s, out, |s, v| {
            s.int(v.into())
        }),
        Int64 => primitive(a.as_primitive::<Int64Type>(), s, out, |s, v| s.int(v)),
        UInt8 => primitive(a.as_primitive::<UInt8Type>(), s, out, |s, v| {
            s.int(v.into())
        }),
        UInt16 => primitive(a.as_primitive::<UInt16Type>(), s, out, |s, v| {
            s.int(v.into())
        }),
        UInt32 => primitive(a.as_primitive::<UInt32Type>(), s, out, |s, v| {
            s.int(v.into())
        }),
        UInt64 => primitive(
            a.as_primitive::<UInt64Type>(),
            s,
            out,
            |s, v| match i64::try_from(v) {
                Ok(v) => s.int(v),
                Err(_) => s.big(v),
            },
        ),
        Float16 => primitive(a.as_primitive::<Float16Type>(), s, out, |s, v| {
            s.float(v.to_f64())
        }),
        Float32 => primitive(a.as_primitive::<Float32Type>(), s, out, |s, v| {
            s.float(v.into())
        }),
        Float64 => primitive(a.as_primitive::<Float64Type>(), s, out, |s, v| s.float(v)),
        Boolean => {
            let null = s.null();
            out.extend(a.as_boolean().iter().map(|v| match v {
                Some(b) => s.boolean(b),
                None => null,
            }))
        }
        // The table of remembered codes pays off over many rows, not for the single values of
        // a dictionary's first uses.
        Utf8 if a.len() >= MEMO_MIN_ROWS => string_column(a.as_string::<i32>(), s, out),
        LargeUtf8 if a.len() >= MEMO_MIN_ROWS => string_column(a.as_string::<i64>(), s, out),
        Utf8 => strings(a.as_string::<i32>().iter(), s, out),
        LargeUtf8 => strings(a.as_string::<i64>().iter(), s, out),
        Utf8View => strings(a.as_string_view().iter(), s, out),
        Null => out.extend(std::iter::repeat_n(s.null(), a.len())),
        Dictionary(key, _) => match key.as_ref() {
            Int8 => dictionary(a.as_dictionary::<Int8Type>(), s, out)?,
            Int16 => dictionary(a.as_dictionary::<Int16Type>(), s, out)?,
            Int32 => dictionary(a.as_dictionary::<Int32Type>(), s, out)?,
            Int64 => dictionary(a.as_dictionary::<Int64Type>(), s, out)?,
            UInt8 => dictionary(a.as_dictionary::<UInt8Type>(), s, out)?,
            UInt16 => dictionary(a.as_dictionary::<UInt16Type>(), s, out)?,
            UInt32 => dictionary(a.as_dictionary::<UInt32Type>(), s, out)?,
            UInt64 => dictionary(a.as_dictionary::<UInt64Type>(), s, out)?,
            _ => return Err(unsupported(dtype)),
        },
        other => return Err(unsupported(other)),
    }
    Ok(())
}

/// Largest number of classes a [`LabelEncoder`] holds.
pub const MAX_CLASSES: usize = 1 << 24;

/// How a value of an integer-like column is looked up.
#[derive(Debug, Clone)]
enum Lookup {
    /// No classes: everything non-null is unknown.
    Empty,
    /// Classes are the integers `0..k` in order: the code is the value.
    Identity,
    /// Integer classes within a small range: `table[v - min]` (unknown where no class).
    Offset { min: i64, table: Vec<u32> },
    /// Other integer classes.
    Ints(HashMap<i64, u32>),
    /// Boolean classes: code of `false` and of `true` (unknown where not declared).
    Bools([u32; 2]),
    /// String classes.
    Strs(HashMap<String, u32>),
}

/// A declared, ordered set of `k` classes mapping labels to codes `0..k`, with `k` for unknown
/// labels and `k + 1` for nulls. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct LabelEncoder {
    classes: Vec<Label>,
    lookup: Lookup,
}

impl PartialEq for LabelEncoder {
    fn eq(&self, other: &Self) -> bool {
        self.classes == other.classes
    }
}

impl LabelEncoder {
    /// An encoder for `classes`, in the given order (code `i` is `classes[i]`).
    ///
    /// Errors ([`Error::InvalidArgument`]): classes of different kinds (integers, strings and
    /// booleans cannot be mixed), a repeated class, or more than [`MAX_CLASSES`] classes.
    pub fn new(classes: Vec<Label>) -> Result<Self> {
        if classes.len() > MAX_CLASSES {
            return Err(Error::invalid(format!(
                "{} classes exceed the limit of {MAX_CLASSES}",
                classes.len()
            )));
        }
        if let Some(first) = classes.first() {
            if let Some(c) = classes.iter().find(|c| c.tag() != first.tag()) {
                return Err(Error::invalid(format!(
                    "classes mix label kinds ({first:?} and {c:?}); use one of integers, strings or booleans"
                )));
            }
        }
        let lookup = Self::build_lookup(&classes)?;
        Ok(Self { classes, lookup })
    }

    /// An encoder for the integer classes `0..k` (the fast path: a row's code is its value).
    pub fn range(k: u32) -> Result<Self> {
        Self::new((0..i64::from(k)).map(Label::Int).collect())
    }

    fn build_lookup(classes: &[Label]) -> Result<Lookup> {
        let k = classes.len() as u32;
        let dup = |c: &Label| Error::invalid(format!("class {c} is declared twice"));
        Ok(match classes.first() {
            None => Lookup::Empty,
            Some(Label::Int(_)) => {
                let ints: Vec<i64> = classes
                    .iter()
                    .map(|c| match c {
                        Label::Int(v) => *v,
                        _ => unreachable!("kinds checked"),
                    })
                    .collect();
                let mut map = HashMap::with_capacity(ints.len());
                for (i, &v) in ints.iter().enumerate() {
                    if map.insert(v, i as u32).is_some() {
                        return Err(dup(&classes[i]));
                    }
                }
                let (min, max) = (
                    *ints.iter().min().expect("non-empty"),
                    *ints.iter().max().expect("non-empty"),
                );
                let span = (max as i128 - min as i128) as u128 + 1;
                if min == 0
                    && span == u128::from(k)
                    && ints.iter().enumerate().all(|(i, &v)| v == i as i64)
                {
                    Lookup::Identity
                } else if span <= (4 * classes.len()).max(1024) as u128 {
                    let mut table = vec![k; span as usize];
                    for (i, &v) in ints.iter().enumerate() {
                        table[(v as i128 - min as i128) as usize] = i as u32;
                    }
                    Lookup::Offset { min, table }
                } else {
                    Lookup::Ints(map)
                }
            }
            Some(Label::Bool(_)) => {
                let mut t = [k; 2];
                for (i, c) in classes.iter().enumerate() {
                    if let Label::Bool(b) = c {
                        if t[usize::from(*b)] != k {
                            return Err(dup(c));
                        }
                        t[usize::from(*b)] = i as u32;
                    }
                }
                Lookup::Bools(t)
            }
            Some(Label::Str(_)) => {
                let mut map = HashMap::with_capacity(classes.len());
                for (i, c) in classes.iter().enumerate() {
                    if let Label::Str(s) = c {
                        if map.insert(s.clone(), i as u32).is_some() {
                            return Err(dup(c));
                        }
                    }
                }
                Lookup::Strs(map)
            }
        })
    }

    /// The sorted distinct non-null labels of `arrays`, as scikit-learn's `unique_labels`:
    /// integers sorted numerically (integral floats count as integers, booleans as 0 and 1 when
    /// mixed with integers), strings lexicographically (by code point), booleans `false < true`.
    ///
    /// Errors ([`Error::InvalidArgument`]): string labels mixed with numbers or booleans, a
    /// non-integral float (including NaN and ±inf), an unsigned value above `i64::MAX`, an
    /// unsupported Arrow type, or more than [`MAX_CLASSES`] distinct labels.
    pub fn infer(arrays: &[&dyn Array]) -> Result<Self> {
        let mut sink = InferSink::default();
        let mut scratch = Vec::new();
        for a in arrays {
            scratch.clear();
            encode_with(*a, &mut sink, &mut scratch)?;
            if let Some(x) = sink.non_integral {
                return Err(Error::invalid(format!(
                    "label {x} is not an integer; classification labels must be integers, booleans or strings"
                )));
            }
            if let Some(v) = sink.big {
                return Err(Error::invalid(format!(
                    "label {v} exceeds the largest supported integer label {}",
                    i64::MAX
                )));
            }
            let numbers = !sink.ints.is_empty() || sink.bools.iter().any(|b| *b);
            if numbers && !sink.strs.is_empty() {
                return Err(Error::invalid(
                    "mix of string and number labels; use one kind of label",
                ));
            }
            if sink.ints.len() + sink.strs.len() > MAX_CLASSES {
                return Err(Error::invalid(format!(
                    "more than {MAX_CLASSES} distinct labels"
                )));
            }
        }
        let classes: Vec<Label> = if !sink.strs.is_empty() {
            let mut v: Vec<String> = sink.strs.into_iter().collect();
            v.sort_unstable();
            v.into_iter().map(Label::Str).collect()
        } else if !sink.ints.is_empty() {
            let mut v: Vec<i64> = sink.ints.into_iter().collect();
            v.extend((0..2).filter(|&b| sink.bools[b as usize]));
            v.sort_unstable();
            v.dedup();
            v.into_iter().map(Label::Int).collect()
        } else {
            [false, true]
                .into_iter()
                .filter(|&b| sink.bools[usize::from(b)])
                .map(Label::Bool)
                .collect()
        };
        Self::new(classes)
    }

    /// Number of declared classes `k`.
    pub fn k(&self) -> usize {
        self.classes.len()
    }

    /// The declared classes, in code order.
    pub fn classes(&self) -> &[Label] {
        &self.classes
    }

    /// Code of a label outside the declared classes (`k`).
    pub fn unknown(&self) -> u32 {
        self.classes.len() as u32
    }

    /// Code of a null label (`k + 1`).
    pub fn null(&self) -> u32 {
        self.classes.len() as u32 + 1
    }

    /// Code of one label (`unknown()` when it is not a declared class; integers and booleans
    /// compare as 0/1, strings never equal numbers).
    pub fn code(&self, label: &Label) -> u32 {
        let mut s = LookupSink { e: self };
        match label {
            Label::Int(v) => s.int(*v),
            Label::Bool(b) => s.boolean(*b),
            Label::Str(v) => match &self.lookup {
                Lookup::Strs(_) => s.string(v),
                _ => self.unknown(),
            },
        }
    }

    /// Append the code of every row of `a` to `out` (see the [module documentation](self)).
    ///
    /// Errors ([`Error::InvalidArgument`]): an unsupported Arrow type, or string values against
    /// number or boolean classes (or the reverse); `out` may then hold a partial result.
    pub fn encode(&self, a: &dyn Array, out: &mut Vec<u32>) -> Result<()> {
        if let Lookup::Identity = self.lookup {
            encode_with(
                a,
                &mut IdentitySink {
                    k: self.classes.len() as u64,
                },
                out,
            )
        } else {
            encode_with(a, &mut LookupSink { e: self }, out)
        }
    }

    /// Serialize (kind tag, count, classes).
    pub fn write(&self, w: &mut Writer) {
        let tag = self.classes.first().map_or(TAG_INT, Label::tag);
        w.u8(tag);
        w.len(self.classes.len());
        for c in &self.classes {
            match c {
                Label::Int(v) => w.i64(*v),
                Label::Str(s) => w.str(s),
                Label::Bool(b) => w.u8(u8::from(*b)),
            }
        }
    }

    /// Deserialize and validate (one kind, distinct classes, at most [`MAX_CLASSES`]).
    pub fn read(r: &mut Reader) -> Result<Self> {
        let tag = r.u8()?;
        let n = match tag {
            TAG_INT | TAG_STR => r.len(8)?,
            TAG_BOOL => r.len(1)?,
            t => return Err(Error::corrupt(format!("unknown label kind tag {t}"))),
        };
        ensure(n <= MAX_CLASSES, || {
            format!("{n} classes exceed {MAX_CLASSES}")
        })?;
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            classes.push(match tag {
                TAG_INT => Label::Int(r.i64()?),
                TAG_STR => Label::Str(r.str()?),
                _ => match r.u8()? {
                    0 => Label::Bool(false),
                    1 => Label::Bool(true),
                    b => return Err(Error::corrupt(format!("boolean class byte {b}"))),
                },
            });
        }
        Self::new(classes).map_err(|e| Error::corrupt(format!("classes: {e}")))
    }

    /// Whether a column of `kind` can be encoded against these classes.
    fn accept(&self, kind: ValueKind, dtype: &DataType) -> Result<()> {
        let strings = matches!(self.lookup, Lookup::Strs(_));
        let ok = match self.lookup {
            Lookup::Empty => true,
            _ => strings == (kind == ValueKind::Str),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "labels of Arrow type {dtype} cannot be compared with {} classes; cast the column",
                if strings {
                    "string"
                } else {
                    "integer or boolean"
                }
            )))
        }
    }
}

/// Classes `0..k`: the code is the value itself.
struct IdentitySink {
    k: u64,
}

impl Sink for IdentitySink {
    const PURE: bool = true;
    fn accept(&self, kind: ValueKind, dtype: &DataType) -> Result<()> {
        if kind == ValueKind::Str {
            return Err(Error::invalid(format!(
                "labels of Arrow type {dtype} cannot be compared with integer classes; cast the column"
            )));
        }
        Ok(())
    }
    #[inline]
    fn null(&self) -> u32 {
        self.k as u32 + 1
    }
    #[inline]
    fn int(&mut self, v: i64) -> u32 {
        // Negative values wrap to huge unsigned ones and fail the bound.
        if (v as u64) < self.k {
            v as u32
        } else {
            self.k as u32
        }
    }
    fn big(&mut self, _: u64) -> u32 {
        self.k as u32
    }
    #[inline]
    fn float(&mut self, x: f64) -> u32 {
        match int_of_float(x) {
            Some(v) => self.int(v),
            None => self.k as u32,
        }
    }
    #[inline]
    fn boolean(&mut self, b: bool) -> u32 {
        self.int(i64::from(b))
    }
    fn string(&mut self, _: &str) -> u32 {
        self.k as u32
    }
}

struct LookupSink<'a> {
    e: &'a LabelEncoder,
}

impl Sink for LookupSink<'_> {
    const PURE: bool = true;
    fn accept(&self, kind: ValueKind, dtype: &DataType) -> Result<()> {
        self.e.accept(kind, dtype)
    }
    #[inline]
    fn null(&self) -> u32 {
        self.e.null()
    }
    #[inline]
    fn int(&mut self, v: i64) -> u32 {
        let k = self.e.unknown();
        match &self.e.lookup {
            Lookup::Identity => {
                if (v as u64) < u64::from(k) {
                    v as u32
                } else {
                    k
                }
            }
            Lookup::Offset { min, table } => {
                // Values below `min` wrap to huge offsets.
                let d = v.wrapping_sub(*min) as u64;
                if d < table.len() as u64 {
                    table[d as usize]
                } else {
                    k
                }
            }
            Lookup::Ints(m) => m.get(&v).copied().unwrap_or(k),
            Lookup::Bools(t) => match v {
                0 => t[0],
                1 => t[1],
                _ => k,
            },
            Lookup::Empty | Lookup::Strs(_) => k,
        }
    }
    fn big(&mut self, _: u64) -> u32 {
        self.e.unknown()
    }
    #[inline]
    fn float(&mut self, x: f64) -> u32 {
        match int_of_float(x) {
            Some(v) => self.int(v),
            None => self.e.unknown(),
        }
    }
    #[inline]
    fn boolean(&mut self, b: bool) -> u32 {
        self.int(i64::from(b))
    }
    #[inline]
    fn string(&mut self, s: &str) -> u32 {
        match &self.e.lookup {
            Lookup::Strs(m) => m.get(s).copied().unwrap_or(self.e.unknown()),
            _ => self.e.unknown(),
        }
    }
}

#[derive(Default)]
struct InferSink {
    ints: HashSet<i64>,
    strs: HashSet<String>,
    bools: [bool; 2],
    non_integral: Option<f64>,
    big: Option<u64>,
}

impl Sink for InferSink {
    const PURE: bool = false;
    fn accept(&self, _: ValueKind, _: &DataType) -> Result<()> {
        Ok(())
    }
    fn null(&self) -> u32 {
        0
    }
    fn int(&mut self, v: i64) -> u32 {
        self.ints.insert(v);
        0
    }
    fn big(&mut self, v: u64) -> u32 {
        self.big.get_or_insert(v);
        0
    }
    fn float(&mut self, x: f64) -> u32 {
        match int_of_float(x) {
            Some(v) => self.int(v),
            None => {
                self.non_integral.get_or_insert(x);
                0
            }
        }
    }
    fn boolean(&mut self, b: bool) -> u32 {
        self.bools[usize::from(b)] = true;
        0
    }
    fn string(&mut self, s: &str) -> u32 {
        if !self.strs.contains(s) {
            self.strs.insert(s.to_string());
        }
        0
    }
}

/// One segment of a [`SegmentEncoder`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Rows whose segment value is null (`__null__`).
    Null,
    /// Rows whose segment value arrived after the cap was reached (`__other__`).
    Other,
    /// Rows with this segment value.
    Value(Label),
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Null => f.write_str("__null__"),
            Segment::Other => f.write_str("__other__"),
            Segment::Value(v) => v.fmt(f),
        }
    }
}

/// An open-ended encoder for segment columns.
///
/// Codes: [`SegmentEncoder::NULL`] (0) for nulls, [`SegmentEncoder::OTHER`] (1) for values that
/// arrive once `cap` named segments exist, and `2..2 + cap` for named segments in order of first
/// appearance. Unlike class labels, segment values of different kinds may coexist and never
/// compare equal (`true` is not `1`). Integral floats are integers; other floats (and unsigned
/// values above `i64::MAX`) become the string of their shortest decimal form (`"0.5"`, `"NaN"`),
/// so they share a segment with an equal string value. The reserved segments display as
/// `__null__` and `__other__` but are distinct from string values spelled that way.
#[derive(Debug, Clone)]
pub struct SegmentEncoder {
    cap: usize,
    values: Vec<Label>,
    ints: HashMap<i64, u32>,
    strs: HashMap<String, u32>,
    bools: [Option<u32>; 2],
}

impl PartialEq for SegmentEncoder {
    fn eq(&self, other: &Self) -> bool {
        self.cap == other.cap && self.values == other.values
    }
}

impl Default for SegmentEncoder {
    fn default() -> Self {
        Self::with_cap(Self::DEFAULT_CAP).expect("default cap is valid")
    }
}

impl SegmentEncoder {
    /// Code of the `__null__` segment.
    pub const NULL: u32 = 0;
    /// Code of the `__other__` segment.
    pub const OTHER: u32 = 1;
    /// Default number of named segments.
    pub const DEFAULT_CAP: usize = 1000;
    /// Largest allowed cap.
    pub const MAX_CAP: usize = 1 << 20;

    /// An empty encoder with the default cap of [`SegmentEncoder::DEFAULT_CAP`] named segments.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty encoder holding at most `cap` named segments (`0..=MAX_CAP`; with 0 every
    /// non-null value is `__other__`).
    pub fn with_cap(cap: usize) -> Result<Self> {
        if cap > Self::MAX_CAP {
            return Err(Error::invalid(format!(
                "segment cap {cap} exceeds {}",
                Self::MAX_CAP
            )));
        }
        Ok(Self {
            cap,
            values: Vec::new(),
            ints: HashMap::new(),
            strs: HashMap::new(),
            bools: [None; 2],
        })
    }

    /// The cap on named segments.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Number of segments, the two reserved ones included (`2 + named`).
    pub fn len(&self) -> usize {
        2 + self.values.len()
    }

    /// Always false: the reserved segments always exist.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The named segment values; the value of code `c >= 2` is `values()[c - 2]`.
    pub fn values(&self) -> &[Label] {
        &self.values
    }

    /// The segment of code `code`, `None` when out of range.
    pub fn get(&self, code: u32) -> Option<Segment> {
        match code {
            Self::NULL => Some(Segment::Null),
            Self::OTHER => Some(Segment::Other),
            c => self.values.get(c as usize - 2).cloned().map(Segment::Value),
        }
    }

    /// The code of `segment` if it exists.
    pub fn lookup(&self, segment: &Segment) -> Option<u32> {
        match segment {
            Segment::Null => Some(Self::NULL),
            Segment::Other => Some(Self::OTHER),
            Segment::Value(Label::Int(v)) => self.ints.get(v).copied(),
            Segment::Value(Label::Str(s)) => self.strs.get(s.as_str()).copied(),
            Segment::Value(Label::Bool(b)) => self.bools[usize::from(*b)],
        }
    }

    /// The code of `segment`, creating a named segment if there is room (else `__other__`).
    pub fn intern(&mut self, segment: &Segment) -> u32 {
        match segment {
            Segment::Null => Self::NULL,
            Segment::Other => Self::OTHER,
            Segment::Value(Label::Int(v)) => self.int(*v),
            Segment::Value(Label::Str(s)) => self.string(s),
            Segment::Value(Label::Bool(b)) => self.boolean(*b),
        }
    }

    fn push(&mut self, v: Label) -> Option<u32> {
        if self.values.len() >= self.cap {
            return None;
        }
        self.values.push(v);
        Some(self.values.len() as u32 + 1)
    }

    /// Append the segment code of every row of `a` to `out`, creating segments for new values
    /// while there is room.
    ///
    /// Errors ([`Error::InvalidArgument`]): an unsupported Arrow type; segments created before
    /// the error remain.
    pub fn encode(&mut self, a: &dyn Array, out: &mut Vec<u32>) -> Result<()> {
        encode_with(a, self, out)
    }

    /// Serialize (cap, named values).
    pub fn write(&self, w: &mut Writer) {
        w.u64(self.cap as u64);
        w.len(self.values.len());
        for v in &self.values {
            v.write(w);
        }
    }

    /// Deserialize and validate (cap within bounds, at most `cap` distinct values).
    pub fn read(r: &mut Reader) -> Result<Self> {
        let cap = r.u64()?;
        ensure(cap <= Self::MAX_CAP as u64, || {
            format!("segment cap {cap} exceeds {}", Self::MAX_CAP)
        })?;
        let mut s = Self::with_cap(cap as usize)?;
        let n = r.len(2)?;
        ensure(n <= s.cap, || {
            format!("{n} named segments exceed the cap of {cap}")
        })?;
        for i in 0..n {
            let v = Segment::Value(Label::read(r)?);
            ensure(s.lookup(&v).is_none(), || {
                format!("segment {i} ({v}) is repeated")
            })?;
            s.intern(&v);
        }
        Ok(s)
    }
}

impl Sink for SegmentEncoder {
    const PURE: bool = false;
    fn accept(&self, _: ValueKind, _: &DataType) -> Result<()> {
        Ok(())
    }
    fn null(&self) -> u32 {
        Self::NULL
    }
    fn int(&mut self, v: i64) -> u32 {
        if let Some(c) = self.ints.get(&v) {
            return *c;
        }
        match self.push(Label::Int(v)) {
            Some(c) => {
                self.ints.insert(v, c);
                c
            }
            None => Self::OTHER,
        }
    }
    fn big(&mut self, v: u64) -> u32 {
        self.string(&v.to_string())
    }
    fn float(&mut self, x: f64) -> u32 {
        match int_of_float(x) {
            Some(v) => self.int(v),
            None => self.string(&x.to_string()),
        }
    }
    fn boolean(&mut self, b: bool) -> u32 {
        if let Some(c) = self.bools[usize::from(b)] {
            return c;
        }
        match self.push(Label::Bool(b)) {
            Some(c) => {
                self.bools[usize::from(b)] = Some(c);
                c
            }
            None => Self::OTHER,
        }
    }
    fn string(&mut self, s: &str) -> u32 {
        if let Some(c) = self.strs.get(s) {
            return *c;
        }
        match self.push(Label::Str(s.to_string())) {
            Some(c) => {
                self.strs.insert(s.to_string(), c);
                c
            }
            None => Self::OTHER,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{
        BooleanArray, DictionaryArray, Float32Array, Float64Array, Int32Array, Int64Array,
        Int8Array, LargeStringArray, NullArray, StringArray, StringViewArray, UInt64Array,
        UInt8Array,
    };

    use super::*;

    fn codes(e: &LabelEncoder, a: &dyn Array) -> Vec<u32> {
        let mut out = Vec::new();
        e.encode(a, &mut out).unwrap();
        out
    }

    fn ints(v: &[i64]) -> Vec<Label> {
        v.iter().map(|&x| Label::Int(x)).collect()
    }

    fn strs(v: &[&str]) -> Vec<Label> {
        v.iter().map(|&x| Label::from(x)).collect()
    }

    #[test]
    fn identity_fast_path_with_unknown_and_null() {
        let e = LabelEncoder::range(3).unwrap();
        assert!(matches!(e.lookup, Lookup::Identity));
        let a = Int64Array::from(vec![Some(0), Some(2), None, Some(3), Some(-1), Some(1)]);
        assert_eq!(codes(&e, &a), [0, 2, 4, 3, 3, 1]);
        let a = UInt8Array::from(vec![Some(255), Some(1), None]);
        assert_eq!(codes(&e, &a), [3, 1, 4]);
        let a = UInt64Array::from(vec![u64::MAX, 2]);
        assert_eq!(codes(&e, &a), [3, 2]);
        let a = Float64Array::from(vec![Some(1.0), Some(1.5), Some(f64::NAN), None, Some(-0.0)]);
        assert_eq!(codes(&e, &a), [1, 3, 3, 4, 0]);
        let a = BooleanArray::from(vec![Some(true), None, Some(false)]);
        assert_eq!(codes(&e, &a), [1, 4, 0]);
        assert_eq!(codes(&e, &NullArray::new(2)), [4, 4]);
        assert!(e
            .encode(&StringArray::from(vec!["0"]), &mut Vec::new())
            .is_err());
    }

    #[test]
    fn offset_and_hashed_integer_classes() {
        // Declared out of order: code i is classes[i], not the sorted position.
        let e = LabelEncoder::new(ints(&[10, -3, 7])).unwrap();
        assert!(matches!(e.lookup, Lookup::Offset { .. }));
        let a = Int32Array::from(vec![
            Some(7),
            Some(10),
            Some(-3),
            Some(0),
            None,
            Some(i32::MIN),
        ]);
        assert_eq!(codes(&e, &a), [2, 0, 1, 3, 4, 3]);
        let e = LabelEncoder::new(ints(&[i64::MIN, i64::MAX, 0])).unwrap();
        assert!(matches!(e.lookup, Lookup::Ints(_)));
        let a = Int64Array::from(vec![i64::MAX, 0, 5, i64::MIN]);
        assert_eq!(codes(&e, &a), [1, 2, 3, 0]);
        let a = Float32Array::from(vec![0.0f32, 2.5, -1e30]);
        assert_eq!(codes(&e, &a), [2, 3, 3]);
        assert_eq!(e.code(&Label::Int(i64::MAX)), 1);
        assert_eq!(e.code(&Label::from("0")), 3);
    }

    #[test]
    fn string_classes_every_string_layout_and_dictionary() {
        let e = LabelEncoder::new(strs(&["dog", "cat", "bird"])).unwrap();
        let v = vec![Some("cat"), None, Some("fish"), Some("dog"), Some("bird")];
        let want = [1, 4, 3, 0, 2];
        assert_eq!(codes(&e, &StringArray::from(v.clone())), want);
        assert_eq!(codes(&e, &LargeStringArray::from(v.clone())), want);
        assert_eq!(codes(&e, &StringViewArray::from(v)), want);
        let values = StringArray::from(vec![Some("bird"), Some("emu"), None, Some("dog")]);
        let keys = Int8Array::from(vec![Some(3), Some(0), None, Some(1), Some(2), Some(3)]);
        let d = DictionaryArray::try_new(keys, Arc::new(values)).unwrap();
        assert_eq!(codes(&e, &d), [0, 2, 4, 3, 4, 0]);
        assert!(e
            .encode(&Int64Array::from(vec![1]), &mut Vec::new())
            .is_err());
        assert!(e
            .encode(&BooleanArray::from(vec![true]), &mut Vec::new())
            .is_err());
    }

    #[test]
    fn boolean_classes_compare_with_zero_and_one() {
        let e = LabelEncoder::new(vec![Label::Bool(true), Label::Bool(false)]).unwrap();
        let a = BooleanArray::from(vec![Some(false), Some(true), None]);
        assert_eq!(codes(&e, &a), [1, 0, 3]);
        let a = Int64Array::from(vec![0, 1, 2]);
        assert_eq!(codes(&e, &a), [1, 0, 2]);
        let only_true = LabelEncoder::new(vec![Label::Bool(true)]).unwrap();
        assert_eq!(
            codes(&only_true, &BooleanArray::from(vec![false, true])),
            [1, 0]
        );
    }

    #[test]
    fn invalid_class_sets() {
        assert!(LabelEncoder::new(vec![Label::Int(1), Label::from("a")]).is_err());
        assert!(LabelEncoder::new(ints(&[1, 2, 1])).is_err());
        assert!(LabelEncoder::new(strs(&["a", "a"])).is_err());
        assert!(LabelEncoder::new(vec![Label::Bool(true), Label::Bool(true)]).is_err());
        let empty = LabelEncoder::new(Vec::new()).unwrap();
        assert_eq!(
            codes(&empty, &StringArray::from(vec![Some("x"), None])),
            [0, 1]
        );
    }

    #[test]
    fn infer_sorts_like_unique_labels() {
        let a = Int64Array::from(vec![Some(10), Some(2), None, Some(-1), Some(2)]);
        let b = Float64Array::from(vec![3.0, 10.0]);
        let e = LabelEncoder::infer(&[&a, &b]).unwrap();
        assert_eq!(e.classes(), ints(&[-1, 2, 3, 10]).as_slice());
        let a = StringArray::from(vec!["dog", "Cat", "bird", "dog"]);
        let b = StringViewArray::from(vec!["ant"]);
        let e = LabelEncoder::infer(&[&a, &b]).unwrap();
        assert_eq!(e.classes(), strs(&["Cat", "ant", "bird", "dog"]).as_slice());
        let e = LabelEncoder::infer(&[&BooleanArray::from(vec![true, false, true])]).unwrap();
        assert_eq!(e.classes(), [Label::Bool(false), Label::Bool(true)]);
        let bools = BooleanArray::from(vec![true]);
        let e = LabelEncoder::infer(&[&bools, &Int64Array::from(vec![5])]).unwrap();
        assert_eq!(e.classes(), ints(&[1, 5]).as_slice());
        // Only dictionary entries that a row uses are labels.
        let values = StringArray::from(vec!["unused", "b", "a"]);
        let d = DictionaryArray::try_new(
            Int32Array::from(vec![Some(1), None, Some(2)]),
            Arc::new(values),
        )
        .unwrap();
        assert_eq!(
            LabelEncoder::infer(&[&d]).unwrap().classes(),
            strs(&["a", "b"]).as_slice()
        );
        assert_eq!(LabelEncoder::infer(&[]).unwrap().k(), 0);
        // Errors.
        let s = StringArray::from(vec!["1"]);
        let i = Int64Array::from(vec![1]);
        assert!(matches!(
            LabelEncoder::infer(&[&s, &i]),
            Err(Error::InvalidArgument(_))
        ));
        let f = Float64Array::from(vec![1.0, 0.5]);
        assert!(LabelEncoder::infer(&[&f]).is_err());
        let nan = Float64Array::from(vec![f64::NAN]);
        assert!(LabelEncoder::infer(&[&nan]).is_err());
        let big = UInt64Array::from(vec![u64::MAX]);
        assert!(LabelEncoder::infer(&[&big]).is_err());
    }

    fn assert_reads_back(e: &LabelEncoder) {
        let mut w = Writer::new();
        e.write(&mut w);
        let b = w.finish();
        let mut r = Reader::new(&b);
        assert_eq!(&LabelEncoder::read(&mut r).unwrap(), e);
        r.finish().unwrap();
        for cut in 0..b.len() {
            let mut r = Reader::new(&b[..cut]);
            assert!(matches!(LabelEncoder::read(&mut r), Err(Error::Corrupt(_))));
        }
    }

    #[test]
    fn label_encoder_round_trip_and_truncation() {
        assert_reads_back(&LabelEncoder::range(4).unwrap());
        assert_reads_back(&LabelEncoder::new(strs(&["b", "a", ""])).unwrap());
        assert_reads_back(&LabelEncoder::new(vec![Label::Bool(true)]).unwrap());
        assert_reads_back(&LabelEncoder::new(Vec::new()).unwrap());
        // A repeated class is corrupt.
        let mut w = Writer::new();
        w.u8(TAG_INT);
        w.len(2);
        w.i64(4);
        w.i64(4);
        let b = w.finish();
        assert!(matches!(
            LabelEncoder::read(&mut Reader::new(&b)),
            Err(Error::Corrupt(_))
        ));
    }

    #[test]
    fn segments_grow_up_to_the_cap() {
        let mut s = SegmentEncoder::with_cap(3).unwrap();
        let mut out = Vec::new();
        let a = StringArray::from(vec![Some("eu"), None, Some("us"), Some("eu"), Some("apac")]);
        s.encode(&a, &mut out).unwrap();
        assert_eq!(out, [2, 0, 3, 2, 4]);
        out.clear();
        // Full: new values go to __other__, known ones keep their code; kinds never mix.
        let b = Int64Array::from(vec![Some(1), None]);
        s.encode(&b, &mut out).unwrap();
        let c = StringArray::from(vec!["latam", "us"]);
        s.encode(&c, &mut out).unwrap();
        assert_eq!(out, [1, 0, 1, 3]);
        assert_eq!(s.len(), 5);
        assert_eq!(s.get(0), Some(Segment::Null));
        assert_eq!(s.get(1), Some(Segment::Other));
        assert_eq!(s.get(4), Some(Segment::Value(Label::from("apac"))));
        assert_eq!(s.get(5), None);
        assert_eq!(s.get(0).unwrap().to_string(), "__null__");
        assert_eq!(s.get(1).unwrap().to_string(), "__other__");
        // Floats: integral ones are integers, others their decimal string.
        let mut s = SegmentEncoder::new();
        let mut out = Vec::new();
        let f = Float64Array::from(vec![2.0, 0.5]);
        s.encode(&f, &mut out).unwrap();
        let i = Int64Array::from(vec![2]);
        s.encode(&i, &mut out).unwrap();
        s.encode(&StringArray::from(vec!["0.5"]), &mut out).unwrap();
        assert_eq!(out, [2, 3, 2, 3]);
        // Unused dictionary values create no segment.
        let values = StringArray::from(vec!["unused", "x"]);
        let d = DictionaryArray::try_new(Int32Array::from(vec![1, 1]), Arc::new(values)).unwrap();
        let mut s = SegmentEncoder::new();
        let mut out = Vec::new();
        s.encode(&d, &mut out).unwrap();
        assert_eq!(
            (out.as_slice(), s.values()),
            ([2, 2].as_slice(), strs(&["x"]).as_slice())
        );
        // A dictionary column gives the codes (and the order of first use) of its decoded
        // strings, row by row: nulls, unused entries, entries used only under a null key.
        let mut x: u64 = 7;
        for _ in 0..50 {
            let mut next = || {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 33) as usize
            };
            let n_values = 1 + next() % 12;
            let values: Vec<String> = (0..n_values).map(|i| format!("v{i}")).collect();
            let keys: Vec<Option<i32>> = (0..1 + next() % 300)
                .map(|_| (next() % 5 != 0).then(|| (next() % n_values) as i32))
                .collect();
            let d = DictionaryArray::try_new(
                Int32Array::from(keys.clone()),
                Arc::new(StringArray::from(values.clone())),
            )
            .unwrap();
            let (mut a, mut b) = (SegmentEncoder::new(), SegmentEncoder::new());
            let (mut got, mut want) = (Vec::new(), Vec::new());
            a.encode(&d, &mut got).unwrap();
            for k in &keys {
                let v = StringArray::from(vec![k.map(|k| values[k as usize].as_str())]);
                b.encode(&v, &mut want).unwrap();
            }
            assert_eq!((&got, a.values()), (&want, b.values()));
        }
        // Cap 0: everything non-null is __other__.
        let mut s = SegmentEncoder::with_cap(0).unwrap();
        let mut out = Vec::new();
        s.encode(&Int64Array::from(vec![Some(1), None]), &mut out)
            .unwrap();
        assert_eq!(out, [1, 0]);
        assert!(SegmentEncoder::with_cap(SegmentEncoder::MAX_CAP + 1).is_err());
    }

    #[test]
    fn remembered_strings_give_the_codes_of_a_row_by_row_encoding() {
        // Short values of every length (0 to 16 bytes, embedded NUL bytes, values that differ
        // only past their 8th byte), long values, nulls, and more distinct values than the
        // table of remembered codes holds.
        let mut vals: Vec<Option<String>> = Vec::new();
        for i in 0..2000u32 {
            let v = match i % 7 {
                0 => None,
                1 => Some("x".repeat((i % 17) as usize)),
                2 => Some(format!("seg\0{}", i % 300)),
                3 => Some(format!("segment_{:08}", i % 40)),
                4 => Some(format!("a much longer segment value {}", i % 5)),
                5 => Some("a\0".to_string()),
                _ => Some("a".to_string()),
            };
            vals.push(v);
        }
        let array = StringArray::from(vals.clone());
        let large = LargeStringArray::from(vals.clone());
        let (mut one, mut rows) = (SegmentEncoder::with_cap(200).unwrap(), Vec::new());
        for v in &vals {
            // One row per call: nothing remembered across rows.
            one.encode(&StringArray::from(vec![v.clone()]), &mut rows)
                .unwrap();
        }
        for a in [&array as &dyn Array, &large] {
            let (mut s, mut out) = (SegmentEncoder::with_cap(200).unwrap(), Vec::new());
            s.encode(a, &mut out).unwrap();
            assert_eq!(out, rows);
            assert_eq!(s, one);
        }
        // Sliced (offsets not starting at 0), and against fixed classes.
        let e = LabelEncoder::new(strs(&["a", "a\0", "", "seg\x007"])).unwrap();
        let sliced = array.slice(3, 1500);
        let view = StringViewArray::from(vals[3..1503].to_vec());
        assert_eq!(codes(&e, &sliced), codes(&e, &view));
    }

    #[test]
    fn segment_encoder_round_trip_and_corruption() {
        let mut s = SegmentEncoder::with_cap(10).unwrap();
        s.intern(&Segment::Value(Label::from("a")));
        s.intern(&Segment::Value(Label::Int(-4)));
        s.intern(&Segment::Value(Label::Bool(false)));
        let mut w = Writer::new();
        s.write(&mut w);
        let b = w.finish();
        let mut r = Reader::new(&b);
        let back = SegmentEncoder::read(&mut r).unwrap();
        r.finish().unwrap();
        assert_eq!(back, s);
        assert_eq!(back.lookup(&Segment::Value(Label::Int(-4))), Some(3));
        for cut in 0..b.len() {
            assert!(matches!(
                SegmentEncoder::read(&mut Reader::new(&b[..cut])),
                Err(Error::Corrupt(_))
            ));
        }
        // More values than the cap, and repeated values, are corrupt.
        let mut w = Writer::new();
        w.u64(1);
        w.len(2);
        Label::Int(1).write(&mut w);
        Label::Int(2).write(&mut w);
        assert!(SegmentEncoder::read(&mut Reader::new(&w.finish())).is_err());
        let mut w = Writer::new();
        w.u64(5);
        w.len(2);
        Label::Int(1).write(&mut w);
        Label::Int(1).write(&mut w);
        assert!(SegmentEncoder::read(&mut Reader::new(&w.finish())).is_err());
    }
}
