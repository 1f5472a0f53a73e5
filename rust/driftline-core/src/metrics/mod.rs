//! Model-quality metrics: exact metrics on raw arrays, and streaming, mergeable accumulators of
//! classifier scores (optionally split by segment).

pub mod exact;
pub mod scores;
