//! A [`Profile`]: the mergeable, serializable summary of a set of records.

use std::collections::BTreeMap;

use crate::categorical::CategoricalProfile;
use crate::codec::{self, ensure, Kind, Reader, Writer};
use crate::error::{Error, Result};
use crate::model::ModelProfile;
use crate::numeric::NumericProfile;
use crate::schema::{ColumnKind, ProfileConfig, Schema};

/// The profile of one column.
// A profile holds one value per column, so the size difference between variants costs little
// and boxing would add an indirection to every access.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ColumnProfile {
    /// A numeric column.
    Numeric(NumericProfile),
    /// A categorical column.
    Categorical(CategoricalProfile),
}

impl ColumnProfile {
    /// The column's kind.
    pub fn kind(&self) -> ColumnKind {
        match self {
            ColumnProfile::Numeric(_) => ColumnKind::Numeric,
            ColumnProfile::Categorical(_) => ColumnKind::Categorical,
        }
    }
    /// Values seen, of every kind.
    pub fn count(&self) -> u64 {
        match self {
            ColumnProfile::Numeric(p) => p.count,
            ColumnProfile::Categorical(p) => p.count,
        }
    }
    /// Null values.
    pub fn null_count(&self) -> u64 {
        match self {
            ColumnProfile::Numeric(p) => p.null_count,
            ColumnProfile::Categorical(p) => p.null_count,
        }
    }
    /// Count `n` nulls (used when a batch lacks the column).
    pub fn add_nulls(&mut self, n: u64) {
        match self {
            ColumnProfile::Numeric(p) => p.add_nulls(n),
            ColumnProfile::Categorical(p) => p.add_nulls(n),
        }
    }
    /// Combine with a profile of the same column kind and parameters.
    pub fn merge(&mut self, other: &ColumnProfile) -> Result<()> {
        match (self, other) {
            (ColumnProfile::Numeric(a), ColumnProfile::Numeric(b)) => a.merge(b),
            (ColumnProfile::Categorical(a), ColumnProfile::Categorical(b)) => a.merge(b),
            (a, b) => Err(Error::incompatible(
                "kind",
                format!("{} vs {}", a.kind().name(), b.kind().name()),
            )),
        }
    }
}

/// A mergeable summary of records: per-column profiles in schema order, the row count, the
/// sketch configuration and free-form string metadata.
#[derive(Debug, Clone)]
pub struct Profile {
    config: ProfileConfig,
    schema: Schema,
    row_count: u64,
    columns: Vec<ColumnProfile>,
    metadata: BTreeMap<String, String>,
    model: Option<ModelProfile>,
}

impl Profile {
    /// An empty profile; `edges` gives baseline bin edges for numeric columns that get an exact
    /// histogram.
    pub fn new(
        schema: Schema,
        config: ProfileConfig,
        edges: &BTreeMap<String, Vec<f64>>,
    ) -> Result<Self> {
        config.validate()?;
        if let Some(name) = edges.keys().find(|n| {
            schema
                .index_of(n)
                .is_none_or(|i| schema.columns()[i].1 != ColumnKind::Numeric)
        }) {
            return Err(Error::Schema(format!(
                "bin edges given for {name:?}, which is not a numeric column of the schema"
            )));
        }
        let columns = schema
            .columns()
            .iter()
            .map(|(name, kind)| match kind {
                ColumnKind::Numeric => {
                    NumericProfile::new(&config, edges.get(name).map(|e| &e[..]))
                        .map(ColumnProfile::Numeric)
                        .map_err(|e| match e {
                            Error::InvalidArgument(m) => {
                                Error::invalid(format!("bin edges of column {name:?}: {m}"))
                            }
                            e => e,
                        })
                }
                ColumnKind::Categorical => {
                    Ok(ColumnProfile::Categorical(CategoricalProfile::new(&config)))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            config,
            schema,
            row_count: 0,
            columns,
            metadata: BTreeMap::new(),
            model: None,
        })
    }

    /// An empty profile with the same schema, configuration, bin edges and metadata.
    pub fn empty_like(&self) -> Self {
        let mut p = Self {
            config: self.config.clone(),
            schema: self.schema.clone(),
            row_count: 0,
            columns: Vec::with_capacity(self.columns.len()),
            metadata: self.metadata.clone(),
            model: self.model.as_ref().map(ModelProfile::empty_like),
        };
        for c in &self.columns {
            p.columns.push(match c {
                ColumnProfile::Numeric(n) => ColumnProfile::Numeric(
                    NumericProfile::new(
                        &self.config,
                        n.histogram.as_ref().map(|h| h.binning().edges()).as_deref(),
                    )
                    .expect("configuration validated at construction"),
                ),
                ColumnProfile::Categorical(_) => {
                    ColumnProfile::Categorical(CategoricalProfile::new(&self.config))
                }
            });
        }
        p
    }

    /// The sketch configuration.
    pub fn config(&self) -> &ProfileConfig {
        &self.config
    }
    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
    /// Records summarised.
    pub fn row_count(&self) -> u64 {
        self.row_count
    }
    /// Add to the record count.
    pub fn add_rows(&mut self, n: u64) {
        self.row_count += n;
    }
    /// Column profiles in schema order.
    pub fn columns(&self) -> &[ColumnProfile] {
        &self.columns
    }
    /// Mutable column profiles in schema order.
    pub fn columns_mut(&mut self) -> &mut [ColumnProfile] {
        &mut self.columns
    }
    /// A column's profile by name.
    pub fn column(&self, name: &str) -> Option<&ColumnProfile> {
        self.schema.index_of(name).map(|i| &self.columns[i])
    }
    /// Metadata (model name, window bounds, ...).
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }
    /// The model section (labels, predictions and scores with their accumulators), if any.
    pub fn model(&self) -> Option<&ModelProfile> {
        self.model.as_ref()
    }

    /// Attach (or remove) a model section.
    pub fn set_model(&mut self, model: Option<ModelProfile>) {
        self.model = model;
    }

    /// The model section, mutable.
    pub fn model_mut(&mut self) -> Option<&mut ModelProfile> {
        self.model.as_mut()
    }

    /// Set one metadata entry.
    pub fn set_metadata(&mut self, key: String, value: String) {
        self.metadata.insert(key, value);
    }

    /// Combine with `other`: same schema, configuration and bin edges, or
    /// [`Error::Incompatible`] naming the field that differs. Metadata keys of `self` win.
    pub fn merge(&mut self, other: &Profile) -> Result<()> {
        self.config.check_compatible(&other.config)?;
        if self.schema != other.schema {
            let a = self.schema.columns();
            let b = other.schema.columns();
            let detail = a
                .iter()
                .zip(b)
                .find(|(x, y)| x != y)
                .map(|(x, y)| format!("{}:{} vs {}:{}", x.0, x.1.name(), y.0, y.1.name()))
                .unwrap_or_else(|| format!("{} columns vs {}", a.len(), b.len()));
            return Err(Error::incompatible("schema", detail));
        }
        let model = match (&self.model, &other.model) {
            (None, None) => None,
            (Some(a), Some(b)) => {
                let mut m = a.clone();
                m.merge(b)?;
                Some(m)
            }
            _ => {
                return Err(Error::incompatible(
                    "model",
                    "one profile has a model section and the other has none",
                ))
            }
        };
        // Check every column before changing any, so a failed merge leaves `self` untouched.
        for (i, (a, b)) in self.columns.iter().zip(&other.columns).enumerate() {
            if let (ColumnProfile::Numeric(x), ColumnProfile::Numeric(y)) = (a, b) {
                let ex = x.histogram.as_ref().map(|h| h.binning());
                let ey = y.histogram.as_ref().map(|h| h.binning());
                if ex != ey {
                    return Err(Error::incompatible(
                        format!("columns.{}.bin_edges", self.schema.columns()[i].0),
                        "the profiles were built against different baseline bin edges",
                    ));
                }
            }
        }
        for (i, (a, b)) in self.columns.iter_mut().zip(&other.columns).enumerate() {
            a.merge(b)
                .map_err(|e| e.within(&format!("columns.{}", self.schema.columns()[i].0)))?;
        }
        self.row_count += other.row_count;
        self.model = model;
        for (k, v) in &other.metadata {
            self.metadata.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Ok(())
    }

    /// Serialize with the envelope.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.config.encode(&mut w);
        self.schema.encode(&mut w);
        w.u64(self.row_count);
        w.len(self.metadata.len());
        for (k, v) in &self.metadata {
            w.str(k);
            w.str(v);
        }
        for c in &self.columns {
            match c {
                ColumnProfile::Numeric(p) => p.encode(&mut w),
                ColumnProfile::Categorical(p) => p.encode(&mut w),
            }
        }
        // The model section is optional and last, so profiles without one keep the bytes of
        // format version 1 exactly.
        if let Some(m) = &self.model {
            w.u8(1);
            m.encode(&mut w);
        }
        codec::seal(Kind::Profile, &w.finish())
    }

    /// Deserialize bytes from [`Profile::to_bytes`], validating every invariant.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(codec::open(bytes, Kind::Profile)?);
        let config = ProfileConfig::decode(&mut r)?;
        let schema = Schema::decode(&mut r)?;
        let row_count = r.u64()?;
        let nmeta = r.len(16)?;
        let mut metadata = BTreeMap::new();
        for _ in 0..nmeta {
            let k = r.str()?;
            let v = r.str()?;
            ensure(metadata.insert(k.clone(), v).is_none(), || {
                format!("metadata key {k:?} appears twice")
            })?;
        }
        let mut columns = Vec::with_capacity(schema.columns().len());
        for (name, kind) in schema.columns() {
            let c = match kind {
                ColumnKind::Numeric => {
                    NumericProfile::decode(&mut r, &config).map(ColumnProfile::Numeric)
                }
                ColumnKind::Categorical => {
                    CategoricalProfile::decode(&mut r, &config).map(ColumnProfile::Categorical)
                }
            }
            .map_err(|e| e.within(&format!("column {name:?}")))?;
            ensure(c.count() == row_count, || {
                format!(
                    "column {name:?} counts {} values in {row_count} rows",
                    c.count()
                )
            })?;
            columns.push(c);
        }
        let model = if r.remaining() == 0 {
            None
        } else {
            match r.u8()? {
                1 => Some(ModelProfile::decode(&mut r)?),
                f => return Err(Error::corrupt(format!("bad model section flag {f}"))),
            }
        };
        r.finish()?;
        Ok(Self {
            config,
            schema,
            row_count,
            columns,
            metadata,
            model,
        })
    }
}
