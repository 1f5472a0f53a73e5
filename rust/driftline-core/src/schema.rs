//! Column kinds, the schema of a profile, and the sketch parameters every profile records.

use arrow_schema::{DataType, Schema as ArrowSchema};

use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};

/// How a column is summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Numbers (integers, floats, booleans, timestamps, dates, durations, decimals).
    Numeric,
    /// Labels (strings, dictionary-encoded values, or integers declared categorical).
    Categorical,
}

impl ColumnKind {
    /// The name used in schemas (`"numeric"`, `"categorical"`).
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Numeric => "numeric",
            ColumnKind::Categorical => "categorical",
        }
    }

    /// Parse a kind name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "numeric" | "numerical" | "num" => Ok(ColumnKind::Numeric),
            "categorical" | "category" | "cat" => Ok(ColumnKind::Categorical),
            other => Err(Error::Schema(format!(
                "unknown column kind {other:?}; use \"numeric\" or \"categorical\""
            ))),
        }
    }

    /// The kind an Arrow type is profiled as by default, or `None` when unsupported.
    pub fn infer(dtype: &DataType) -> Option<Self> {
        use DataType::*;
        match dtype {
            Boolean | Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 | Float16
            | Float32 | Float64 | Timestamp(..) | Date32 | Date64 | Time32(_) | Time64(_)
            | Duration(_) | Decimal128(..) | Decimal256(..) => Some(ColumnKind::Numeric),
            Utf8 | LargeUtf8 | Utf8View => Some(ColumnKind::Categorical),
            Dictionary(_, v) => match v.as_ref() {
                Utf8 | LargeUtf8 | Utf8View => Some(ColumnKind::Categorical),
                other => Self::infer(other),
            },
            Null => Some(ColumnKind::Numeric),
            _ => None,
        }
    }

    fn tag(self) -> u8 {
        match self {
            ColumnKind::Numeric => 0,
            ColumnKind::Categorical => 1,
        }
    }

    fn from_tag(t: u8) -> Result<Self> {
        match t {
            0 => Ok(ColumnKind::Numeric),
            1 => Ok(ColumnKind::Categorical),
            t => Err(Error::corrupt(format!("unknown column kind tag {t}"))),
        }
    }
}

/// Ordered column names and kinds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    columns: Vec<(String, ColumnKind)>,
}

impl Schema {
    /// A schema from `(name, kind)` pairs; names must be unique.
    pub fn new(columns: Vec<(String, ColumnKind)>) -> Result<Self> {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in &columns {
            if !seen.insert(name.as_str()) {
                return Err(Error::Schema(format!(
                    "column {name:?} appears twice in the schema"
                )));
            }
        }
        Ok(Self { columns })
    }

    /// Infer a schema from an Arrow schema; unsupported types raise [`Error::UnsupportedType`].
    pub fn infer(arrow: &ArrowSchema) -> Result<Self> {
        let cols = arrow
            .fields()
            .iter()
            .map(|f| {
                ColumnKind::infer(f.data_type())
                    .map(|k| (f.name().clone(), k))
                    .ok_or_else(|| Error::UnsupportedType {
                        column: f.name().clone(),
                        dtype: f.data_type().to_string(),
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Self::new(cols)
    }

    /// The columns in order.
    pub fn columns(&self) -> &[(String, ColumnKind)] {
        &self.columns
    }

    /// Position of a column.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| n == name)
    }

    /// Serialize.
    pub fn encode(&self, w: &mut Writer) {
        w.len(self.columns.len());
        for (name, kind) in &self.columns {
            w.str(name);
            w.u8(kind.tag());
        }
    }

    /// Deserialize and validate.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let n = r.len(9)?;
        let mut cols = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.str()?;
            cols.push((name, ColumnKind::from_tag(r.u8()?)?));
        }
        Self::new(cols).map_err(|e| Error::corrupt(e.to_string()))
    }
}

/// Sketch parameters; profiles merge only when these agree.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileConfig {
    /// KLL accuracy parameter (rank error about 1.33% at 99% confidence for 200).
    pub kll_k: u16,
    /// DDSketch relative accuracy.
    pub dd_alpha: f64,
    /// DDSketch buckets per sign before the lowest magnitudes collapse.
    pub dd_max_buckets: usize,
    /// Distinct categories counted exactly before a column switches to sketches.
    pub category_cap: usize,
    /// Counters of the frequent-items sketch used past the cap.
    pub frequent_items: usize,
    /// HyperLogLog precision (2^p registers) used past the cap.
    pub hll_p: u8,
}

impl Default for ProfileConfig {
    fn default() -> Self {
        Self {
            kll_k: 200,
            dd_alpha: 0.01,
            dd_max_buckets: 4096,
            category_cap: 10_000,
            frequent_items: 4096,
            hll_p: 12,
        }
    }
}

impl ProfileConfig {
    /// Check every parameter's range.
    pub fn validate(&self) -> Result<()> {
        if self.kll_k < 8 {
            return Err(Error::invalid(format!(
                "kll_k must be >= 8, got {}",
                self.kll_k
            )));
        }
        if !(1e-4..=0.5).contains(&self.dd_alpha) {
            return Err(Error::invalid(format!(
                "dd_alpha must be in [0.0001, 0.5], got {}",
                self.dd_alpha
            )));
        }
        if self.dd_max_buckets < 16 || self.dd_max_buckets > 1 << 20 {
            return Err(Error::invalid("dd_max_buckets must be in 16..=1048576"));
        }
        if self.category_cap == 0 || self.category_cap > 1 << 24 {
            return Err(Error::invalid("category_cap must be in 1..=16777216"));
        }
        if self.frequent_items < 8 || self.frequent_items > 1 << 24 {
            return Err(Error::invalid("frequent_items must be in 8..=16777216"));
        }
        if !(4..=18).contains(&self.hll_p) {
            return Err(Error::invalid(format!(
                "hll_p must be in 4..=18, got {}",
                self.hll_p
            )));
        }
        Ok(())
    }

    /// Fail with [`Error::Incompatible`] naming the first parameter that differs.
    pub fn check_compatible(&self, other: &Self) -> Result<()> {
        let pairs: [(&str, String, String); 6] = [
            (
                "config.kll_k",
                self.kll_k.to_string(),
                other.kll_k.to_string(),
            ),
            (
                "config.dd_alpha",
                self.dd_alpha.to_string(),
                other.dd_alpha.to_string(),
            ),
            (
                "config.dd_max_buckets",
                self.dd_max_buckets.to_string(),
                other.dd_max_buckets.to_string(),
            ),
            (
                "config.category_cap",
                self.category_cap.to_string(),
                other.category_cap.to_string(),
            ),
            (
                "config.frequent_items",
                self.frequent_items.to_string(),
                other.frequent_items.to_string(),
            ),
            (
                "config.hll_p",
                self.hll_p.to_string(),
                other.hll_p.to_string(),
            ),
        ];
        for (field, a, b) in pairs {
            if a != b {
                return Err(Error::incompatible(field, format!("{a} vs {b}")));
            }
        }
        Ok(())
    }

    /// Serialize.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.kll_k as u64);
        w.f64(self.dd_alpha);
        w.u64(self.dd_max_buckets as u64);
        w.u64(self.category_cap as u64);
        w.u64(self.frequent_items as u64);
        w.u8(self.hll_p);
    }

    /// Deserialize and validate.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let k = r.u64()?;
        ensure(k <= u16::MAX as u64, || format!("kll_k {k} out of range"))?;
        let c = Self {
            kll_k: k as u16,
            dd_alpha: r.f64()?,
            dd_max_buckets: usize::try_from(r.u64()?).unwrap_or(usize::MAX),
            category_cap: usize::try_from(r.u64()?).unwrap_or(usize::MAX),
            frequent_items: usize::try_from(r.u64()?).unwrap_or(usize::MAX),
            hll_p: r.u8()?,
        };
        c.validate()
            .map_err(|e| Error::corrupt(format!("profile config: {e}")))?;
        Ok(c)
    }
}
