//! Model-quality metrics from labels, predictions and scores: exact, mergeable and serializable
//! accumulators whose cost grows with the data, leaving the derived metrics (precision, recall,
//! F1, ...) to be computed from their small summaries, and exact metrics on raw arrays.
//!
//! * [`labels`]: [`LabelEncoder`] maps an Arrow label column to class codes, with one code for
//!   labels outside the declared classes and one for nulls; [`SegmentEncoder`] maps a segment
//!   column to open-ended segment codes (capped, with `__other__` and `__null__` segments).
//! * [`confusion`]: [`ConfusionMatrix`] and [`SegmentedConfusion`], exact counts over class codes.
//! * [`regression`]: [`RegressionAccumulator`] and [`SegmentedRegression`] (MAE, MSE, RMSE, MAPE,
//!   sMAPE, R², mean error and error quantiles).
//! * [`scores`]: streaming classifier-score histograms (ROC/PR AUC with a bound, log loss,
//!   Brier, calibration), per segment too.
//! * [`exact`]: exact ROC AUC, average precision and top-k accuracy on raw arrays.
//! * [`performance`]: [`Performance`], all of the above for one model, overall and per segment.
//!
//! Nothing is dropped silently:
//!
//! | input | where it is counted |
//! |---|---|
//! | label outside the declared classes (including non-integral floats) | unknown row/column `k` of the confusion matrix |
//! | null label | null row/column `k + 1` of the confusion matrix |
//! | NaN or out-of-`[0, 1]` score in [`ConfusionMatrix::add_threshold`] | invalid-score tally of the row's true label |
//! | NaN or ±inf `y_true`/`y_pred`, or an overflowing difference | [`RegressionAccumulator::invalid`] |
//! | null segment value | segment `__null__` |
//! | new segment value once the cap is reached | segment `__other__` |
//!
//! Payloads are written with [`crate::codec::Writer`] by each type's `encode` (`write` for the
//! encoders) and validated on `decode` (`read`).

pub mod confusion;
pub mod exact;
pub mod labels;
pub mod performance;
pub mod regression;
pub mod scores;

pub use confusion::{ConfusionMatrix, SegmentedConfusion};
pub use labels::{Label, LabelEncoder, Segment, SegmentEncoder};
pub use performance::{Performance, PerformanceConfig, Task};
pub use regression::{RegressionAccumulator, SegmentedRegression};
