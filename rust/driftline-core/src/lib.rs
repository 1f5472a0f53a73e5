//! driftline-core: the pure-Rust engine of driftline.
//!
//! Everything whose cost grows with the data lives here: streaming histograms, quantile sketches
//! (KLL), relative-error sketches (DDSketch family), frequent-item and distinct-count sketches,
//! mergeable column profiles, Arrow ingestion, and the versioned byte format. The crate has no
//! Python dependency; `driftline-python` wraps it.

pub mod categorical;
pub mod codec;
pub mod ddsketch;
pub mod error;
pub mod frequent;
pub mod histogram;
pub mod hll;
pub mod ingest;
pub mod kll;
pub mod live;
pub mod metrics;
pub mod model;
pub mod moments;
pub mod numeric;
pub mod profile;
pub mod rng;
pub mod schema;
pub mod stats;

pub use error::{Error, Result};
