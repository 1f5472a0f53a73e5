//! The error type of the core: a kind plus the context a user needs to act on it.

use std::fmt;

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
///
/// Each variant names what was wrong and where; the Python layer maps each variant to one
/// exception class under `driftline.DriftlineError`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Serialized bytes are truncated, corrupted, or violate an invariant of the format.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// Serialized bytes come from a format version this build cannot read.
    #[error("unsupported format: {0}")]
    UnsupportedFormat(String),
    /// Two objects cannot be merged or compared because a parameter differs.
    #[error("incompatible {field}: {detail}")]
    Incompatible {
        /// The field that differs (for example `kll.k` or `columns.age.bin_edges`).
        field: String,
        /// What differs, with both values.
        detail: String,
    },
    /// A column's type or kind does not fit the schema.
    #[error("schema error: {0}")]
    Schema(String),
    /// A column has an Arrow type the profiler cannot summarise.
    #[error("column {column:?} has unsupported type {dtype}; cast it to a numeric or string type, or leave it out of the schema")]
    UnsupportedType {
        /// Column name.
        column: String,
        /// The Arrow data type, as displayed by Arrow.
        dtype: String,
    },
    /// Too little data to answer (for example a quantile of an empty sketch).
    #[error("insufficient data: {0}")]
    InsufficientData(String),
    /// A plain argument mistake (out-of-range parameter, unsorted edges, ...).
    #[error("{0}")]
    InvalidArgument(String),
    /// The computation was interrupted (for example by Ctrl-C between batches).
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    /// Shorthand for a [`Error::Corrupt`] error.
    pub fn corrupt(msg: impl fmt::Display) -> Self {
        Error::Corrupt(msg.to_string())
    }

    /// Shorthand for an [`Error::Incompatible`] error.
    pub fn incompatible(field: impl Into<String>, detail: impl fmt::Display) -> Self {
        Error::Incompatible {
            field: field.into(),
            detail: detail.to_string(),
        }
    }

    /// Shorthand for an [`Error::InvalidArgument`] error.
    pub fn invalid(msg: impl fmt::Display) -> Self {
        Error::InvalidArgument(msg.to_string())
    }

    /// Prefix the location of a corrupt or incompatible field with `prefix` (`columns.age.` ...).
    pub fn within(self, prefix: &str) -> Self {
        match self {
            Error::Corrupt(m) => Error::Corrupt(format!("{prefix}: {m}")),
            Error::Incompatible { field, detail } => Error::Incompatible {
                field: format!("{prefix}.{field}"),
                detail,
            },
            other => other,
        }
    }
}
