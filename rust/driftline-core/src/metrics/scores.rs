//! Streaming, mergeable, serializable accumulators of classifier scores.
//!
//! [`BinaryScoreHistogram`] keeps, for probability scores `p ∈ [0, 1]` of a binary target, one
//! histogram of the positives and one of the negatives over `bins` equal-width bins (default
//! 65,536), plus compensated running sums for the log loss and the Brier score and per-bin sums
//! for a reliability diagram (default 10 calibration bins). [`MulticlassScoreAccumulator`] keeps
//! a one-vs-rest pair of histograms per class (default 4,096 bins), the multiclass log loss and
//! the rank of the true class of every row (so top-k accuracy for any k). [`Segmented`]
//! ([`SegmentedBinaryScores`], [`SegmentedMulticlassScores`]) keeps one accumulator per segment
//! and fills all of them in one pass.
//!
//! Adding rows costs one pass; merging adds counts, so merging the accumulators of any split of
//! a stream gives exactly the counts of a single pass (float sums agree to rounding).
//!
//! # Rows that are not counted
//!
//! Every row lands in exactly one tally. Binary: a label other than 0 (negative) or 1
//! (positive) is an `unknown_label`; otherwise a score that is NaN, infinite or outside `[0, 1]`
//! is an `invalid_score`; otherwise the row is counted. Multiclass: a label `>= k` is an
//! `unknown_label`; otherwise a row with any score NaN, infinite or outside `[0, 1]` is an
//! `invalid_row`; otherwise the row is counted. A counted multiclass row whose scores do not sum
//! to 1 within scikit-learn's tolerance (`|Σ − 1| <= 1e-8 + √ε`) is still counted, like
//! scikit-learn (which warns), and is tallied in `off_simplex` so the caller can warn too.
//! Segmented variants also tally rows whose segment index is out of range (`unknown_segment`).
//!
//! # Bins
//!
//! A score `p` goes to bin `min(⌊p·B⌋, B − 1)` computed in `f64`: bin `b` holds
//! `b/B <= p < (b+1)/B` and the last bin is closed. When `B` is a power of two the product is
//! exact and so are these edges; otherwise a score within an ulp of an edge may land on either
//! side. Either way the bin is a non-decreasing function of the score, which is all the AUC and
//! AP bounds below need.
//!
//! # ROC AUC and its bound
//!
//! With `P` positives, `N` negatives and `posᵦ`, `negᵦ` per bin, the streaming value counts a
//! (positive, negative) pair in different bins by the order of the bins and a pair in the same
//! bin as ½: `AUC_h = Σᵦ posᵦ·(negs below b + negᵦ/2) / (P·N)`.
//!
//! *Claim:* `|AUC_h − AUC| <= Σᵦ posᵦ·negᵦ / (2·P·N)`, the reported bound. *Proof:* the exact
//! AUC is `Σ c(i, j) / (P·N)` over pairs of a positive `i` and a negative `j`, with `c = 1` if
//! `sᵢ > sⱼ`, ½ if equal, 0 if below. Since the bin is non-decreasing in the score, a pair in
//! different bins has `bin(i) > bin(j) ⇒ sᵢ > sⱼ` (else `sᵢ <= sⱼ` would give
//! `bin(i) <= bin(j)`), so its exact and streaming contributions are both 1, and symmetrically
//! both 0. A pair in the same bin contributes ½ to the streaming sum and `c ∈ {0, ½, 1}` to the
//! exact one, an error of at most ½. There are `Σᵦ posᵦ·negᵦ` such pairs. ∎
//!
//! # Average precision and its bound
//!
//! The streaming AP takes each non-empty bin as one threshold, from the top:
//! `AP_h = Σᵦ (posᵦ/P)·precᵦ` with `precᵦ = (T + posᵦ) / (T + F + posᵦ + negᵦ)`, where `T` and
//! `F` count the positives and negatives of the bins above `b`.
//!
//! *Claim:* `|AP_h − AP| <= Σᵦ (posᵦ/P)·max(hiᵦ − precᵦ, precᵦ − loᵦ)` with
//! `loᵦ = (T + 1)/(T + F + 1 + negᵦ)` and `hiᵦ = (T + posᵦ)/(T + F + posᵦ)`. *Proof:* the exact
//! AP sums `(pₜ/P)·precisionₜ` over distinct scores `t`; since bins are ordered by score, the
//! thresholds of bin `b` see all `T + F` rows above and part of the bin: `tp` positives
//! (`1 <= tp <= posᵦ` at a threshold holding a positive) and `fp` negatives (`0 <= fp <= negᵦ`).
//! `(T + tp)/(T + F + tp + fp)` rises with `tp` and falls with `fp`, so every such precision
//! lies in `[loᵦ, hiᵦ]`, and the bin's exact share, a weighted mean of them with total weight
//! `posᵦ/P`, lies in `(posᵦ/P)·[loᵦ, hiᵦ]`, as does the streaming share
//! (`precᵦ ∈ [loᵦ, hiᵦ]`). Summing over bins gives the claim. ∎
//!
//! Both bounds hold in exact arithmetic; computed values carry the usual rounding on top.
//!
//! # Log loss, Brier score, calibration
//!
//! The log loss matches `sklearn.metrics.log_loss` (scikit-learn 1.9): the probability given to
//! the true class (`p`, or `1 − p` for a negative) is clipped to `[ε, 1 − ε]` with
//! `ε = f64::EPSILON`, and rows are not renormalized (scikit-learn ≥ 1.5 only warns when they
//! do not sum to 1). The Brier score is `mean((p − y)²)` as `brier_score_loss`. Calibration bins
//! follow `sklearn.calibration.calibration_curve(strategy="uniform")`: edges
//! `eᵢ = i·(1/C)` (as `numpy.linspace`), bin 0 is `[0, e₁]` and bin `i > 0` is `(eᵢ, eᵢ₊₁]`.
//! The expected calibration error is `Σ_c (n_c/n)·|mean score_c − observed rate_c|`.
//!
//! # Byte layout
//!
//! Counts are written as a length-prefixed blob of fixed-width little-endian integers (1, 2, 4
//! or 8 bytes, the smallest that holds the largest count), so the decoder never allocates more
//! than 8 times the bytes it reads. Compensated sums are written as their two `f64` parts.

use rayon::prelude::*;

use super::exact::{true_class_rank, Average};
use crate::codec::{self, ensure, Kind, Reader, Writer};
use crate::error::{Error, Result};

/// Default number of score bins of a [`BinaryScoreHistogram`].
pub const DEFAULT_BINS: usize = 1 << 16;
/// Default number of calibration (reliability) bins.
pub const DEFAULT_CALIBRATION_BINS: usize = 10;
/// Default number of score bins per class of a [`MulticlassScoreAccumulator`].
pub const DEFAULT_MULTICLASS_BINS: usize = 1 << 12;
/// Largest number of score bins.
pub const MAX_BINS: usize = 1 << 24;
/// Largest number of calibration bins.
pub const MAX_CALIBRATION_BINS: usize = 1 << 16;
/// Largest number of classes of a [`MulticlassScoreAccumulator`].
pub const MAX_CLASSES: usize = 1 << 16;
/// Largest number of segments of a segmented accumulator.
pub const MAX_SEGMENTS: usize = 1 << 20;
/// Largest `2·k·bins` of a multiclass accumulator (count cells).
const MAX_CELLS: usize = 1 << 28;
/// Inputs at least this long are split over the rayon pool.
const PARALLEL_MIN: usize = 1 << 17;
/// Clipping of probabilities in the log loss (scikit-learn: `finfo(float64).eps`).
const EPS: f64 = f64::EPSILON;
/// `-ln(EPS)`: the largest loss of one row.
const MAX_ROW_LOSS: f64 = 36.04365338911715;
/// scikit-learn's "rows sum to one" tolerance: `isclose(sum, 1, rtol=√ε, atol=1e-8)`.
const SIMPLEX_TOL: f64 = 1e-8 + 1.4901161193847656e-8;

/// A Neumaier-compensated sum.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sum {
    s: f64,
    c: f64,
}

impl Sum {
    #[inline(always)]
    fn add(&mut self, x: f64) {
        let t = self.s + x;
        let e = if self.s.abs() >= x.abs() {
            (self.s - t) + x
        } else {
            (x - t) + self.s
        };
        self.c += e;
        self.s = t;
    }
    fn merge(&mut self, o: &Sum) {
        self.add(o.s);
        self.c += o.c;
    }
    fn value(&self) -> f64 {
        self.s + self.c
    }
    fn encode(&self, w: &mut Writer) {
        w.f64(self.s);
        w.f64(self.c);
    }
    /// Read a sum whose value must lie in `[0, max]` (with rounding slack).
    fn decode(r: &mut Reader, what: &str, max: f64) -> Result<Self> {
        let s = Sum {
            s: r.f64()?,
            c: r.f64()?,
        };
        let v = s.value();
        let slack = 1e-6 + max * 1e-9;
        ensure(
            s.s.is_finite() && s.c.is_finite() && v >= -slack && v <= max + slack,
            || format!("{what} sum {v} is not finite or outside [0, {max}]"),
        )?;
        Ok(s)
    }
}

/// Factors multiplied before one logarithm: each is at least `ε = 2⁻⁵²`, so a product of 16
/// stays above `2⁻⁸³²`, far from underflow, and carries a relative rounding error of at most
/// `16·2⁻⁵³`, an absolute error of about `2·10⁻¹⁵` in its logarithm.
const PRODUCT_LEN: u32 = 16;
/// Rows per block of plain sums, folded into the compensated sums after each block.
const BLOCK: usize = 4096;
/// Rows classified per block by the binary kernel.
const FILL_BLOCK: usize = 512;
/// Blocks of [`FILL_BLOCK`] rows between two folds of the per-lane tallies (the lane sums of
/// scores then hold at most 8,192 values in [0, 1] before their compensated addition).
const FLUSH_BLOCKS: usize = 16;
/// Interior calibration edges compared from registers.
const PADDED_EDGES: usize = 16;

/// Plain running values of the current block of rows, folded into the compensated sums by
/// `flush` (always empty between calls of the public API).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pending {
    /// Product of the clipped true-class probabilities of the last `factors` rows: the log
    /// loss takes one logarithm per [`PRODUCT_LEN`] rows.
    prod: f64,
    factors: u32,
    /// Plain sum of squared errors of the block.
    brier: f64,
}

impl Default for Pending {
    fn default() -> Self {
        Pending {
            prod: 1.0,
            factors: 0,
            brier: 0.0,
        }
    }
}

impl Pending {
    /// Multiply in the clipped probability `q` of the true class.
    #[inline(always)]
    fn factor(&mut self, q: f64, log_loss: &mut Sum) {
        self.prod *= q.clamp(EPS, 1.0 - EPS);
        self.factors += 1;
        if self.factors == PRODUCT_LEN {
            log_loss.add(-self.prod.ln());
            self.prod = 1.0;
            self.factors = 0;
        }
    }

    fn flush(&mut self, log_loss: &mut Sum, brier: &mut Sum) {
        if self.factors > 0 {
            log_loss.add(-self.prod.ln());
        }
        brier.add(self.brier);
        *self = Pending::default();
    }
}

/// Sums of one calibration bin.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct CalBin {
    count: u64,
    positives: u64,
    score: Sum,
}

/// One bin of a reliability diagram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReliabilityBin {
    /// Lower edge (exclusive, except for the first bin).
    pub lo: f64,
    /// Upper edge (inclusive).
    pub hi: f64,
    /// Rows whose score falls in the bin.
    pub count: u64,
    /// Positives among them.
    pub positives: u64,
    /// Mean score of the bin (NaN when empty).
    pub mean_score: f64,
    /// Fraction of positives in the bin (NaN when empty).
    pub observed_rate: f64,
}

/// Confusion counts at one threshold of [`BinaryScoreHistogram::threshold_sweep`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdCounts {
    /// The threshold asked for.
    pub threshold: f64,
    /// The threshold the counts are exact for: rows with `score >= effective` are predicted
    /// positive. Equal to `threshold` when it is `<= 0`, `> 1` or a bin's lower edge `b/B`;
    /// otherwise the lower edge of the bin holding `threshold`.
    pub effective: f64,
    /// Positives predicted positive.
    pub true_pos: u64,
    /// Negatives predicted positive.
    pub false_pos: u64,
    /// Negatives predicted negative.
    pub true_neg: u64,
    /// Positives predicted negative.
    pub false_neg: u64,
}

fn check_bins(bins: usize) -> Result<()> {
    if !(1..=MAX_BINS).contains(&bins) {
        return Err(Error::invalid(format!(
            "bins must be in 1..={MAX_BINS}, got {bins}"
        )));
    }
    Ok(())
}

/// `numpy.linspace(0, 1, c + 1)`.
fn calibration_edges(c: usize) -> Vec<f64> {
    let step = 1.0 / c as f64;
    (0..=c)
        .map(|i| if i == c { 1.0 } else { i as f64 * step })
        .collect()
}

/// Calibration bin of `p ∈ [0, 1]`: the number of interior edges strictly below `p`.
#[inline(always)]
fn calibration_bin(edges: &[f64], p: f64) -> usize {
    let c = edges.len() - 1;
    let mut i = ((p * c as f64) as usize).min(c - 1);
    while i > 0 && p <= edges[i] {
        i -= 1;
    }
    while i + 1 < c && p > edges[i + 1] {
        i += 1;
    }
    i
}

/// Score bin of `p ∈ [0, 1]`.
#[inline(always)]
fn score_bin(p: f64, bins_f: f64, bins: usize) -> usize {
    ((p * bins_f) as usize).min(bins - 1)
}

/// ROC AUC and its bound from per-bin negative and positive counts.
fn auc_from_counts(neg: &[u64], pos: &[u64]) -> Result<(f64, f64)> {
    let (mut u2, mut tied, mut below) = (0u128, 0u128, 0u64);
    let mut p_all = 0u64;
    for (&n, &p) in neg.iter().zip(pos) {
        u2 += u128::from(p) * (2 * u128::from(below) + u128::from(n));
        tied += u128::from(p) * u128::from(n);
        below += n;
        p_all += p;
    }
    if p_all == 0 || below == 0 {
        return Err(Error::InsufficientData(format!(
            "ROC AUC needs both classes; got {p_all} positives and {below} negatives"
        )));
    }
    let pn2 = 2.0 * p_all as f64 * below as f64;
    Ok((u2 as f64 / pn2, tied as f64 / pn2))
}

/// Average precision (each bin one threshold) and its bound from per-bin counts.
fn ap_from_counts(neg: &[u64], pos: &[u64]) -> Result<(f64, f64)> {
    let p_all: u64 = pos.iter().sum();
    if p_all == 0 {
        return Err(Error::InsufficientData(
            "average precision needs at least one positive".into(),
        ));
    }
    let (mut t, mut f) = (0.0f64, 0.0f64);
    let (mut ap, mut bound) = (0.0, 0.0);
    for (&n, &p) in neg.iter().zip(pos).rev() {
        let (n, p) = (n as f64, p as f64);
        if p > 0.0 {
            let prec = (t + p) / (t + f + p + n);
            let lo = (t + 1.0) / (t + f + 1.0 + n);
            let hi = (t + p) / (t + f + p);
            ap += p * prec;
            bound += p * (hi - prec).max(prec - lo);
        }
        t += p;
        f += n;
    }
    Ok((ap / p_all as f64, bound / p_all as f64))
}

/// Whether [`drive`] splits `n` rows over the pool (else it needs no empty accumulators).
fn parallel(n: usize) -> bool {
    n >= PARALLEL_MIN && rayon::current_num_threads() >= 2
}

/// Split `0..n` over the pool: `fill` each chunk into fresh accumulators from `empty` (a total,
/// if `total` is given, and one per part), then `merge` them into `total` and `parts`. Returns
/// the sum of `fill`'s tallies. Small inputs fill `total` and `parts` directly.
fn drive<T, E, F, M>(
    mut total: Option<&mut T>,
    parts: &mut [T],
    n: usize,
    empty: E,
    fill: F,
    merge: M,
) -> u64
where
    T: Send,
    E: Fn() -> (Option<T>, Vec<T>) + Sync,
    F: Fn(Option<&mut T>, &mut [T], usize, usize) -> u64 + Sync,
    M: Fn(&mut T, &T),
{
    if !parallel(n) {
        return fill(total, parts, 0, n);
    }
    let threads = rayon::current_num_threads();
    let chunk = n.div_ceil(threads);
    let partials: Vec<(Option<T>, Vec<T>, u64)> = (0..threads)
        .into_par_iter()
        .map(|t| {
            let (mut tot, mut p) = empty();
            let a = (t * chunk).min(n);
            let tally = fill(tot.as_mut(), &mut p, a, (a + chunk).min(n));
            (tot, p, tally)
        })
        .collect();
    let mut tally = 0;
    for (tot, p, t) in partials {
        if let (Some(dst), Some(src)) = (total.as_deref_mut(), &tot) {
            merge(dst, src);
        }
        for (dst, src) in parts.iter_mut().zip(&p) {
            merge(dst, src);
        }
        tally += t;
    }
    tally
}

/// Append counts as a blob of the narrowest fixed-width integers that hold them.
fn encode_counts(w: &mut Writer, counts: &[u64]) {
    let max = counts.iter().copied().max().unwrap_or(0);
    let width: usize = if max <= u64::from(u8::MAX) {
        1
    } else if max <= u64::from(u16::MAX) {
        2
    } else if max <= u64::from(u32::MAX) {
        4
    } else {
        8
    };
    w.u8(width as u8);
    let mut blob = Vec::with_capacity(counts.len() * width);
    for c in counts {
        blob.extend_from_slice(&c.to_le_bytes()[..width]);
    }
    w.bytes(&blob);
}

/// Read `len` counts written by [`encode_counts`] (the blob's size is checked before any
/// allocation, which is therefore at most 8 times the blob).
fn decode_counts(r: &mut Reader, len: usize, what: &str) -> Result<Vec<u64>> {
    let width = usize::from(r.u8()?);
    ensure(matches!(width, 1 | 2 | 4 | 8), || {
        format!("{what} count width {width} is not 1, 2, 4 or 8")
    })?;
    let blob = r.bytes()?;
    ensure(len.checked_mul(width) == Some(blob.len()), || {
        format!(
            "{what} counts take {} bytes where {len} counts of {width} bytes were expected",
            blob.len()
        )
    })?;
    let mut out = Vec::with_capacity(len);
    for c in blob.chunks_exact(width) {
        let mut b = [0u8; 8];
        b[..width].copy_from_slice(c);
        out.push(u64::from_le_bytes(b));
    }
    Ok(out)
}

/// Sum `xs`, failing on `u64` overflow.
fn checked_total(xs: impl IntoIterator<Item = u64>, what: &str) -> Result<u64> {
    xs.into_iter()
        .try_fold(0u64, |a, x| a.checked_add(x))
        .ok_or_else(|| Error::corrupt(format!("{what} overflow u64")))
}

// ---------------------------------------------------------------------------------------------
// Binary
// ---------------------------------------------------------------------------------------------

/// Streaming histograms of binary-classifier scores with log loss, Brier and calibration sums.
///
/// See the [module documentation](self) for the bins, the bounds and the tallies.
#[derive(Debug, Clone, PartialEq)]
pub struct BinaryScoreHistogram {
    bins: usize,
    /// `[negatives per bin…, positives per bin…]`.
    counts: Vec<u64>,
    cal: Vec<CalBin>,
    log_loss: Sum,
    brier: Sum,
    invalid_score: u64,
    unknown_label: u64,
    /// Calibration edges (derived, not serialized).
    cal_edges: Vec<f64>,
}

impl Default for BinaryScoreHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl BinaryScoreHistogram {
    /// An empty accumulator with [`DEFAULT_BINS`] score bins and [`DEFAULT_CALIBRATION_BINS`].
    pub fn new() -> Self {
        Self::with_bins(DEFAULT_BINS, DEFAULT_CALIBRATION_BINS).expect("default bins are valid")
    }

    /// An empty accumulator with `bins` score bins (1..=2²⁴; a power of two gives exact edges)
    /// and `calibration_bins` reliability bins (1..=65536).
    pub fn with_bins(bins: usize, calibration_bins: usize) -> Result<Self> {
        check_bins(bins)?;
        if !(1..=MAX_CALIBRATION_BINS).contains(&calibration_bins) {
            return Err(Error::invalid(format!(
                "calibration bins must be in 1..={MAX_CALIBRATION_BINS}, got {calibration_bins}"
            )));
        }
        Ok(Self {
            bins,
            counts: vec![0; 2 * bins],
            cal: vec![CalBin::default(); calibration_bins],
            log_loss: Sum::default(),
            brier: Sum::default(),
            invalid_score: 0,
            unknown_label: 0,
            cal_edges: calibration_edges(calibration_bins),
        })
    }

    /// Number of score bins.
    pub fn bins(&self) -> usize {
        self.bins
    }
    /// Number of calibration bins.
    pub fn calibration_bins(&self) -> usize {
        self.cal.len()
    }
    /// Negatives per score bin.
    pub fn negative_counts(&self) -> &[u64] {
        &self.counts[..self.bins]
    }
    /// Positives per score bin.
    pub fn positive_counts(&self) -> &[u64] {
        &self.counts[self.bins..]
    }
    /// Counted positives `P`.
    pub fn positives(&self) -> u64 {
        self.cal.iter().map(|c| c.positives).sum()
    }
    /// Counted negatives `N`.
    pub fn negatives(&self) -> u64 {
        self.rows() - self.positives()
    }
    /// Counted rows `P + N`.
    pub fn rows(&self) -> u64 {
        self.cal.iter().map(|c| c.count).sum()
    }
    /// Rows with a known label and a NaN, infinite or out-of-`[0, 1]` score (skipped).
    pub fn invalid_score(&self) -> u64 {
        self.invalid_score
    }
    /// Rows whose label is neither 0 nor 1 (skipped).
    pub fn unknown_label(&self) -> u64 {
        self.unknown_label
    }

    /// Add one lane's calibration tallies (two per bin: rows, positives), per-bin score sums,
    /// Brier sum and log loss (if the lane multiplied any factor) to the compensated sums.
    fn fold_lane(&mut self, tally: &[u32], score: &[f64], brier: f64, loss: Option<f64>) {
        for (c, &t) in tally.iter().enumerate() {
            self.cal[c / 2].count += u64::from(t);
            if c % 2 == 1 {
                self.cal[c / 2].positives += u64::from(t);
            }
        }
        for (c, &s) in score.iter().enumerate() {
            if s != 0.0 {
                self.cal[c].score.add(s);
            }
        }
        self.brier.add(brier);
        if let Some(l) = loss {
            self.log_loss.add(l);
        }
    }

    /// Fill `parts[seg(i)]` with rows `a..b`, and `total` with all of them; returns the rows
    /// whose segment is out of range (only `total` counts those).
    ///
    /// Rows go by blocks. A first, branch-free loop classifies the block (it vectorizes): the
    /// score-bin slot, the calibration slot, the clipped true-class probability and the squared
    /// error of each row. A second loop adds them up. Calibration tallies, plain sums and log
    /// products go to four interleaved lanes per segment (row `i` to lane `i mod 4`) so that
    /// neighbouring rows of one bin do not serialize on one memory location; the lanes are
    /// folded into the compensated sums every few blocks. The log loss multiplies probabilities
    /// and keeps the product's binary exponent apart (exact integer arithmetic), so it takes one
    /// logarithm per lane and fold instead of one per row.
    ///
    /// The total shares the pass: it counts each row in its own (possibly finer) score bin, and
    /// its calibration tallies and sums are folded from the segments' lanes, so filling it costs
    /// one increment per row instead of a second pass over the rows.
    fn fill<G: Fn(usize) -> usize>(
        mut total: Option<&mut Self>,
        parts: &mut [Self],
        seg: G,
        y: &[u32],
        scores: &[f64],
        a: usize,
        b: usize,
    ) -> u64 {
        const LANES: usize = 4;
        let s_count = parts.len();
        // One lane group per segment, and with a total one more for the rows of out-of-range
        // segments.
        let groups = s_count + usize::from(total.is_some());
        let bins = parts[0].bins;
        let (bins_u, top) = (bins as u32, (bins - 1) as f64);
        let bins_f = bins as f64;
        let tbins = total.as_ref().map_or(bins, |t| t.bins);
        let (tbins_u, ttop, tbins_f) = (tbins as u32, (tbins - 1) as f64, tbins as f64);
        let cal_edges = parts[0].cal_edges.clone();
        let c_bins = cal_edges.len() - 1;
        // Interior edges padded with NaN (`p > NaN` is false) when they fit in registers.
        let padded = c_bins <= PADDED_EDGES + 1;
        let mut pad = [f64::NAN; PADDED_EDGES];
        if padded {
            pad[..c_bins - 1].copy_from_slice(&cal_edges[1..c_bins]);
        }
        let (unknown_slot, invalid_slot) = (2 * bins_u, 2 * bins_u + 1);
        // Per lane and group: calibration tallies (2 per bin; a lane sees at most
        // FLUSH_BLOCKS · FILL_BLOCK rows between folds, so `u32` holds them), score sums, and the
        // Brier sum with the log product and its exponent (together: one cache line per lane
        // rather than three, as the many lanes of many segments crowd the L1 cache).
        #[derive(Clone, Copy)]
        struct Sums {
            brier: f64,
            prod: f64,
            expo: i64,
        }
        const EMPTY: Sums = Sums {
            brier: 0.0,
            prod: 1.0,
            expo: 0,
        };
        let lanes = LANES * groups;
        let mut tally = vec![0u32; lanes * 2 * c_bins];
        let mut score = vec![0.0f64; lanes * c_bins];
        let mut sums = vec![EMPTY; lanes];
        let mut slot = [0u32; FILL_BLOCK];
        let mut tslot = [0u32; FILL_BLOCK];
        let mut grp = [0usize; FILL_BLOCK];
        let mut cslot = [0u32; FILL_BLOCK];
        let mut fac = [0.0f64; FILL_BLOCK];
        let mut sq = [0.0f64; FILL_BLOCK];
        let mut unknown = 0;
        for start in (a..b).step_by(FILL_BLOCK) {
            let end = (start + FILL_BLOCK).min(b);
            let n = end - start;
            let (yb, sb) = (&y[start..end], &scores[start..end]);
            let (slot, cslot, fac, sq) =
                (&mut slot[..n], &mut cslot[..n], &mut fac[..n], &mut sq[..n]);
            for i in 0..n {
                let (yv, p) = (yb[i], sb[i]);
                let label_ok = yv <= 1;
                let ok = label_ok & (0.0..=1.0).contains(&p);
                let pos = yv == 1;
                let bin = (p * bins_f).max(0.0).min(top) as u32;
                let s = if pos { bins_u + bin } else { bin };
                slot[i] = if ok {
                    s
                } else if label_ok {
                    invalid_slot
                } else {
                    unknown_slot
                };
                let yf = if pos { 1.0 } else { 0.0 };
                let q = if pos { p } else { 1.0 - p };
                fac[i] = if ok { q.clamp(EPS, 1.0 - EPS) } else { 1.0 };
                let d = p - yf;
                sq[i] = if ok { d * d } else { 0.0 };
                if padded {
                    let mut j = 0u32;
                    for e in pad {
                        j += (p > e) as u32;
                    }
                    cslot[i] = 2 * j + pos as u32;
                }
            }
            if !padded {
                for i in 0..n {
                    let p = sb[i];
                    if (0.0..=1.0).contains(&p) {
                        cslot[i] = 2 * calibration_bin(&cal_edges, p) as u32 + (yb[i] == 1) as u32;
                    }
                }
            }
            // The total's score slots, when its bins differ (only read for counted rows).
            let tslot: &[u32] = if total.is_some() && tbins != bins {
                let tslot = &mut tslot[..n];
                for i in 0..n {
                    let bin = (sb[i] * tbins_f).max(0.0).min(ttop) as u32;
                    tslot[i] = if yb[i] == 1 { tbins_u + bin } else { bin };
                }
                tslot
            } else {
                slot
            };
            // The score-bin counts first, in a short loop of their own: with many segments the
            // histograms outgrow the cache, and a short loop keeps many increments in flight.
            let grp = &mut grp[..n];
            for i in 0..n {
                let g = seg(start + i);
                grp[i] = g;
                let s = slot[i];
                if s < unknown_slot {
                    if let Some(h) = parts.get_mut(g) {
                        h.counts[s as usize] += 1;
                    }
                    if let Some(t) = total.as_deref_mut() {
                        t.counts[tslot[i] as usize] += 1;
                    }
                }
            }
            for i in 0..n {
                let g = grp[i];
                if g >= s_count {
                    unknown += 1;
                    if total.is_none() {
                        continue;
                    }
                }
                let s = slot[i];
                if s >= unknown_slot {
                    let label = s == unknown_slot;
                    for h in parts.get_mut(g).into_iter().chain(total.as_deref_mut()) {
                        if label {
                            h.unknown_label += 1;
                        } else {
                            h.invalid_score += 1;
                        }
                    }
                    continue;
                }
                let l = (i % LANES) * groups + g.min(s_count);
                let c = cslot[i] as usize;
                tally[l * 2 * c_bins + c] += 1;
                score[l * c_bins + c / 2] += sb[i];
                let u = &mut sums[l];
                u.brier += sq[i];
                // The product stays in [2⁻⁵³, 1): its exponent moves to `expo`.
                let m = (u.prod * fac[i]).to_bits();
                u.expo += ((m >> 52) as i64) - 1022;
                u.prod = f64::from_bits((m & ((1 << 52) - 1)) | (1022 << 52));
            }
            // Fold the lane tallies into the accumulators every FLUSH_BLOCKS blocks (and at the
            // end): the fold costs the same for every segment whether or not it saw rows.
            let block_no = (start - a) / FILL_BLOCK + 1;
            if end < b && block_no % FLUSH_BLOCKS != 0 {
                continue;
            }
            for l in 0..lanes {
                let u = sums[l];
                let loss = (u.expo != 0 || u.prod != 1.0)
                    .then(|| -(u.prod.ln() + u.expo as f64 * std::f64::consts::LN_2));
                let t = &mut tally[l * 2 * c_bins..(l + 1) * 2 * c_bins];
                let s = &mut score[l * c_bins..(l + 1) * c_bins];
                for h in parts
                    .get_mut(l % groups)
                    .into_iter()
                    .chain(total.as_deref_mut())
                {
                    h.fold_lane(t, s, u.brier, loss);
                }
                t.fill(0);
                s.fill(0.0);
                sums[l] = EMPTY;
            }
        }
        unknown
    }

    /// Add rows: `y[i]` is 0 (negative), 1 (positive) or anything else (unknown label), and
    /// `scores[i]` the predicted probability of the positive class. Large inputs are split over
    /// the rayon pool.
    ///
    /// Errors: [`Error::InvalidArgument`] if the lengths differ (nothing is added).
    pub fn add(&mut self, y: &[u32], scores: &[f64]) -> Result<()> {
        check_len(y.len(), scores.len(), "labels", "scores")?;
        // Empty partials are built only on the parallel path (a template would zero the whole
        // histogram on every call, however small the batch).
        let (bins, cal) = (self.bins, self.cal.len());
        drive(
            None,
            std::slice::from_mut(self),
            y.len(),
            || {
                let empty = Self::with_bins(bins, cal).expect("bins were validated");
                (None, vec![empty])
            },
            |_, parts, a, b| Self::fill(None, parts, |_| 0, y, scores, a, b),
            |dst, src| dst.merge_same(src),
        );
        Ok(())
    }

    /// ROC AUC from the histograms and a rigorous bound on its distance to the exact AUC of the
    /// counted rows (see the module documentation).
    ///
    /// Errors: [`Error::InsufficientData`] unless both classes were counted.
    pub fn roc_auc(&self) -> Result<(f64, f64)> {
        auc_from_counts(self.negative_counts(), self.positive_counts())
    }

    /// Average precision with each bin as one threshold, and a rigorous bound on its distance
    /// to the exact average precision of the counted rows (see the module documentation).
    ///
    /// Errors: [`Error::InsufficientData`] without counted positives.
    pub fn average_precision(&self) -> Result<(f64, f64)> {
        ap_from_counts(self.negative_counts(), self.positive_counts())
    }

    fn need_rows(&self, what: &str) -> Result<f64> {
        let n = self.rows();
        if n == 0 {
            return Err(Error::InsufficientData(format!(
                "{what} needs at least one counted row"
            )));
        }
        Ok(n as f64)
    }

    /// Mean log loss of the counted rows, as `sklearn.metrics.log_loss` (exact up to rounding).
    pub fn log_loss(&self) -> Result<f64> {
        Ok(self.log_loss.value() / self.need_rows("log loss")?)
    }

    /// Mean Brier score `mean((p − y)²)` of the counted rows (exact up to rounding).
    pub fn brier(&self) -> Result<f64> {
        Ok(self.brier.value() / self.need_rows("Brier score")?)
    }

    /// Expected calibration error over the calibration bins:
    /// `Σ_c (n_c/n)·|mean score_c − observed rate_c|`.
    pub fn ece(&self) -> Result<f64> {
        let n = self.need_rows("expected calibration error")?;
        let s: f64 = self
            .cal
            .iter()
            .map(|c| (c.score.value() - c.positives as f64).abs())
            .sum();
        Ok(s / n)
    }

    /// Reliability diagram: one entry per calibration bin, empty bins included.
    pub fn reliability(&self) -> Vec<ReliabilityBin> {
        self.cal
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let n = c.count as f64;
                let (mean_score, observed_rate) = if c.count == 0 {
                    (f64::NAN, f64::NAN)
                } else {
                    (c.score.value() / n, c.positives as f64 / n)
                };
                ReliabilityBin {
                    lo: self.cal_edges[i],
                    hi: self.cal_edges[i + 1],
                    count: c.count,
                    positives: c.positives,
                    mean_score,
                    observed_rate,
                }
            })
            .collect()
    }

    /// Confusion counts at each threshold (predicted positive when `score >= threshold`).
    ///
    /// A threshold inside a bin is moved down to the bin's lower edge (reported as
    /// `effective`): the counts are exact for `effective`, and equal to those of the requested
    /// threshold when it is `<= 0`, `> 1` or a bin edge `b/B`.
    ///
    /// Errors: [`Error::InvalidArgument`] if a threshold is NaN.
    pub fn threshold_sweep(&self, thresholds: &[f64]) -> Result<Vec<ThresholdCounts>> {
        if let Some(i) = thresholds.iter().position(|t| t.is_nan()) {
            return Err(Error::invalid(format!("threshold {i} is NaN")));
        }
        let (neg, pos) = (self.negative_counts(), self.positive_counts());
        // Suffix sums: `ge[b]` = rows in bins `>= b`.
        let mut pos_ge = vec![0u64; self.bins + 1];
        let mut neg_ge = vec![0u64; self.bins + 1];
        for b in (0..self.bins).rev() {
            pos_ge[b] = pos_ge[b + 1] + pos[b];
            neg_ge[b] = neg_ge[b + 1] + neg[b];
        }
        let (p_all, n_all) = (pos_ge[0], neg_ge[0]);
        let bins_f = self.bins as f64;
        Ok(thresholds
            .iter()
            .map(|&t| {
                let (b, effective) = if t > 1.0 {
                    (self.bins, t)
                } else if t <= 0.0 {
                    (0, t)
                } else {
                    let b = score_bin(t, bins_f, self.bins);
                    (b, b as f64 / bins_f)
                };
                ThresholdCounts {
                    threshold: t,
                    effective,
                    true_pos: pos_ge[b],
                    false_pos: neg_ge[b],
                    true_neg: n_all - neg_ge[b],
                    false_neg: p_all - pos_ge[b],
                }
            })
            .collect())
    }

    /// Merge `other` into `self`; afterwards `self` summarizes both streams.
    ///
    /// Errors: [`Error::Incompatible`] (`scores.bins` or `scores.calibration_bins`) if the bins
    /// differ; `self` is unchanged on error.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        self.compatible(other)?;
        self.merge_same(other);
        Ok(())
    }

    /// Append the payload (no envelope) to `w`.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.bins as u64);
        w.u64(self.cal.len() as u64);
        encode_counts(w, &self.counts);
        for c in &self.cal {
            w.u64(c.count);
            w.u64(c.positives);
            c.score.encode(w);
        }
        self.log_loss.encode(w);
        self.brier.encode(w);
        w.u64(self.invalid_score);
        w.u64(self.unknown_label);
    }

    /// Read a payload written by [`BinaryScoreHistogram::encode`], checking every invariant:
    /// bin counts in range, calibration counts and positives adding up to the histograms',
    /// positives within counts, sums finite and within their possible range.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let bins = r.u64()?;
        ensure((1..=MAX_BINS as u64).contains(&bins), || {
            format!("score bin count {bins} is outside 1..={MAX_BINS}")
        })?;
        let cal_bins = r.u64()?;
        ensure(
            (1..=MAX_CALIBRATION_BINS as u64).contains(&cal_bins),
            || format!("calibration bin count {cal_bins} is outside 1..={MAX_CALIBRATION_BINS}"),
        )?;
        let (bins, cal_bins) = (bins as usize, cal_bins as usize);
        let counts = decode_counts(r, 2 * bins, "score histogram")?;
        ensure(cal_bins * 32 <= r.remaining(), || {
            format!("{cal_bins} calibration bins do not fit in the bytes that remain")
        })?;
        let neg = checked_total(counts[..bins].iter().copied(), "negative counts")?;
        let pos = checked_total(counts[bins..].iter().copied(), "positive counts")?;
        let rows = neg
            .checked_add(pos)
            .ok_or_else(|| Error::corrupt("score counts overflow u64"))?;
        let edges = calibration_edges(cal_bins);
        let mut cal = Vec::with_capacity(cal_bins);
        for i in 0..cal_bins {
            let count = r.u64()?;
            let positives = r.u64()?;
            ensure(positives <= count, || {
                format!("calibration bin {i} has {positives} positives among {count} rows")
            })?;
            let score = Sum::decode(r, "calibration score", count as f64 * edges[i + 1])?;
            cal.push(CalBin {
                count,
                positives,
                score,
            });
        }
        ensure(
            checked_total(cal.iter().map(|c| c.count), "calibration counts")? == rows,
            || format!("calibration bins do not add up to the {rows} counted rows"),
        )?;
        ensure(
            checked_total(cal.iter().map(|c| c.positives), "calibration positives")? == pos,
            || format!("calibration positives do not add up to the {pos} counted positives"),
        )?;
        let log_loss = Sum::decode(r, "log loss", rows as f64 * MAX_ROW_LOSS)?;
        let brier = Sum::decode(r, "Brier", rows as f64)?;
        let invalid_score = r.u64()?;
        let unknown_label = r.u64()?;
        checked_total([rows, invalid_score, unknown_label], "row tallies")?;
        Ok(Self {
            bins,
            counts,
            cal,
            log_loss,
            brier,
            invalid_score,
            unknown_label,
            cal_edges: edges,
        })
    }

    /// Serialize into a checksummed envelope of kind [`Kind::BinaryScores`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        codec::seal(Kind::BinaryScores, &w.finish())
    }

    /// Deserialize bytes produced by [`BinaryScoreHistogram::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(codec::open(bytes, Kind::BinaryScores)?);
        let h = Self::decode(&mut r)?;
        r.finish()?;
        Ok(h)
    }
}

fn check_len(a: usize, b: usize, an: &str, bn: &str) -> Result<()> {
    if a != b {
        return Err(Error::invalid(format!("{a} {an} but {b} {bn}")));
    }
    Ok(())
}

fn check_rows(n: usize, k: usize, len: usize) -> Result<()> {
    if n.checked_mul(k) != Some(len) {
        return Err(Error::invalid(format!(
            "scores must hold {n} rows of k = {k} values; got {len} values"
        )));
    }
    Ok(())
}

fn check_segments(segments: usize) -> Result<()> {
    if !(1..=MAX_SEGMENTS).contains(&segments) {
        return Err(Error::invalid(format!(
            "segments must be in 1..={MAX_SEGMENTS}, got {segments}"
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Multiclass
// ---------------------------------------------------------------------------------------------

/// Streaming one-vs-rest score histograms, log loss and true-class ranks of a `k`-class model.
///
/// See the [module documentation](self) for the bins, the bounds and the tallies.
#[derive(Debug, Clone, PartialEq)]
pub struct MulticlassScoreAccumulator {
    k: usize,
    bins: usize,
    /// `counts[(2·c + is_true)·bins + bin]`: class `c`'s score of rows of another class
    /// (`is_true = 0`) or of class `c` (`is_true = 1`).
    counts: Vec<u64>,
    /// `ranks[r]`: rows whose true class ranked `r` (0 = top, ties to the higher class index).
    ranks: Vec<u64>,
    log_loss: Sum,
    off_simplex: u64,
    invalid_row: u64,
    unknown_label: u64,
    /// Not serialized; empty between calls.
    pending: Pending,
}

impl MulticlassScoreAccumulator {
    /// An empty accumulator for `k` classes (2..=65536) with [`DEFAULT_MULTICLASS_BINS`].
    pub fn new(k: usize) -> Result<Self> {
        Self::with_bins(k, DEFAULT_MULTICLASS_BINS)
    }

    /// An empty accumulator for `k` classes with `bins` score bins per class (1..=2²⁴, and
    /// `2·k·bins <= 2²⁸`).
    pub fn with_bins(k: usize, bins: usize) -> Result<Self> {
        if !(2..=MAX_CLASSES).contains(&k) {
            return Err(Error::invalid(format!(
                "classes must be in 2..={MAX_CLASSES}, got {k}"
            )));
        }
        check_bins(bins)?;
        if 2 * k * bins > MAX_CELLS {
            return Err(Error::invalid(format!(
                "2·k·bins = {} exceeds {MAX_CELLS}; use fewer bins",
                2 * k * bins
            )));
        }
        Ok(Self {
            k,
            bins,
            counts: vec![0; 2 * k * bins],
            ranks: vec![0; k],
            log_loss: Sum::default(),
            off_simplex: 0,
            invalid_row: 0,
            unknown_label: 0,
            pending: Pending::default(),
        })
    }

    /// Number of classes `k`.
    pub fn classes(&self) -> usize {
        self.k
    }
    /// Number of score bins per class.
    pub fn bins(&self) -> usize {
        self.bins
    }
    /// Counted rows.
    pub fn rows(&self) -> u64 {
        self.ranks.iter().sum()
    }
    /// Counted rows of class `c` (its positives in one-vs-rest).
    pub fn class_rows(&self, c: usize) -> u64 {
        self.class_counts(c).1.iter().sum()
    }
    /// `rank_counts()[r]`: counted rows whose true class had rank `r` (0 = highest score; equal
    /// scores rank the higher class index first, as scikit-learn).
    pub fn rank_counts(&self) -> &[u64] {
        &self.ranks
    }
    /// Counted rows whose scores do not sum to 1 within scikit-learn's tolerance.
    pub fn off_simplex(&self) -> u64 {
        self.off_simplex
    }
    /// Rows with a known label and a NaN, infinite or out-of-`[0, 1]` score (skipped).
    pub fn invalid_row(&self) -> u64 {
        self.invalid_row
    }
    /// Rows whose label is `>= k` (skipped).
    pub fn unknown_label(&self) -> u64 {
        self.unknown_label
    }

    /// Class `c`'s score histograms: (rows of other classes, rows of class `c`).
    ///
    /// Panics if `c >= k`.
    pub fn class_counts(&self, c: usize) -> (&[u64], &[u64]) {
        let b = self.bins;
        (
            &self.counts[2 * c * b..(2 * c + 1) * b],
            &self.counts[(2 * c + 1) * b..(2 * c + 2) * b],
        )
    }

    #[inline(always)]
    fn add_row(&mut self, y: u32, row: &[f64], bins_f: f64) {
        let yi = y as usize;
        if yi >= self.k {
            self.unknown_label += 1;
            return;
        }
        let mut ok = true;
        let mut sum = 0.0;
        for &p in row {
            ok &= (0.0..=1.0).contains(&p);
            sum += p;
        }
        if !ok {
            self.invalid_row += 1;
            return;
        }
        if (sum - 1.0).abs() > SIMPLEX_TOL {
            self.off_simplex += 1;
        }
        let bins = self.bins;
        for (c, &p) in row.iter().enumerate() {
            let t = usize::from(c == yi);
            self.counts[(2 * c + t) * bins + score_bin(p, bins_f, bins)] += 1;
        }
        self.ranks[true_class_rank(row, yi)] += 1;
        self.pending.factor(row[yi], &mut self.log_loss);
    }

    /// Fill `parts[seg(i)]` with rows `a..b`, and `total` with all of them; returns the rows
    /// whose segment is out of range (only `total` counts those).
    fn fill<G: Fn(usize) -> usize>(
        mut total: Option<&mut Self>,
        parts: &mut [Self],
        seg: G,
        y: &[u32],
        scores: &[f64],
        a: usize,
        b: usize,
    ) -> u64 {
        let k = parts[0].k;
        let bins_f = parts[0].bins as f64;
        let tbins_f = total.as_ref().map_or(bins_f, |t| t.bins as f64);
        let mut unknown = 0;
        for start in (a..b).step_by(BLOCK) {
            for i in start..(start + BLOCK).min(b) {
                let row = &scores[i * k..(i + 1) * k];
                if let Some(t) = total.as_deref_mut() {
                    t.add_row(y[i], row, tbins_f);
                }
                match parts.get_mut(seg(i)) {
                    Some(h) => h.add_row(y[i], row, bins_f),
                    None => unknown += 1,
                }
            }
            for h in parts.iter_mut().chain(total.as_deref_mut()) {
                h.pending.flush(&mut h.log_loss, &mut Sum::default());
            }
        }
        unknown
    }

    /// Add rows: `scores` is row-major `n × k` class probabilities and `y[i]` the class index
    /// of row `i` (`>= k`: unknown label). Large inputs are split over the rayon pool.
    ///
    /// Errors: [`Error::InvalidArgument`] unless `scores.len() == y.len() · k` (nothing is
    /// added).
    pub fn add(&mut self, y: &[u32], scores: &[f64]) -> Result<()> {
        check_rows(y.len(), self.k, scores.len())?;
        let (k, bins) = (self.k, self.bins);
        drive(
            None,
            std::slice::from_mut(self),
            y.len(),
            || (None, vec![Self::with_bins(k, bins).expect("validated")]),
            |_, parts, a, b| Self::fill(None, parts, |_| 0, y, scores, a, b),
            |dst, src| dst.merge_same(src),
        );
        Ok(())
    }

    fn check_class(&self, c: usize) -> Result<()> {
        if c >= self.k {
            return Err(Error::invalid(format!(
                "class {c} is out of range for k = {}",
                self.k
            )));
        }
        Ok(())
    }

    /// One-vs-rest ROC AUC of class `c` and its bound (as [`BinaryScoreHistogram::roc_auc`]).
    pub fn class_roc_auc(&self, c: usize) -> Result<(f64, f64)> {
        self.check_class(c)?;
        let (neg, pos) = self.class_counts(c);
        auc_from_counts(neg, pos)
    }

    /// One-vs-rest average precision of class `c` and its bound (as
    /// [`BinaryScoreHistogram::average_precision`]).
    pub fn class_average_precision(&self, c: usize) -> Result<(f64, f64)> {
        self.check_class(c)?;
        let (neg, pos) = self.class_counts(c);
        ap_from_counts(neg, pos)
    }

    /// One-vs-rest ROC AUC averaged over classes as `roc_auc_score(multi_class="ovr")`, and the
    /// same average of the per-class bounds (a bound on the averaged error).
    ///
    /// Errors: [`Error::InsufficientData`] if some class has no counted row or every row is of
    /// one class.
    pub fn roc_auc_ovr(&self, average: Average) -> Result<(f64, f64)> {
        let (mut v, mut e, mut wsum) = (0.0, 0.0, 0.0);
        for c in 0..self.k {
            let (a, b) = self.class_roc_auc(c).map_err(|err| {
                Error::InsufficientData(format!("one-vs-rest ROC AUC of class {c}: {err}"))
            })?;
            let w = match average {
                Average::Macro => 1.0,
                Average::Weighted => self.class_rows(c) as f64,
            };
            v += w * a;
            e += w * b;
            wsum += w;
        }
        Ok((v / wsum, e / wsum))
    }

    /// Mean multiclass log loss of the counted rows, as `sklearn.metrics.log_loss` (the true
    /// class's probability clipped to `[ε, 1 − ε]`, rows not renormalized).
    pub fn log_loss(&self) -> Result<f64> {
        let n = self.rows();
        if n == 0 {
            return Err(Error::InsufficientData(
                "log loss needs at least one counted row".into(),
            ));
        }
        Ok(self.log_loss.value() / n as f64)
    }

    /// Fraction of counted rows whose true class is among the `k_top` highest scores, as
    /// `sklearn.metrics.top_k_accuracy_score` (exact).
    pub fn top_k_accuracy(&self, k_top: usize) -> Result<f64> {
        if k_top == 0 {
            return Err(Error::invalid("k_top must be at least 1"));
        }
        let n = self.rows();
        if n == 0 {
            return Err(Error::InsufficientData(
                "top-k accuracy needs at least one counted row".into(),
            ));
        }
        let hits: u64 = self.ranks.iter().take(k_top).sum();
        Ok(hits as f64 / n as f64)
    }

    /// Merge `other` into `self`.
    ///
    /// Errors: [`Error::Incompatible`] (`scores.classes` or `scores.bins`) if the class or bin
    /// counts differ; `self` is unchanged on error.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        self.compatible(other)?;
        self.merge_same(other);
        Ok(())
    }

    /// Append the payload (no envelope) to `w`.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.k as u64);
        w.u64(self.bins as u64);
        encode_counts(w, &self.counts);
        w.u64s(&self.ranks);
        self.log_loss.encode(w);
        w.u64(self.off_simplex);
        w.u64(self.invalid_row);
        w.u64(self.unknown_label);
    }

    /// Read a payload written by [`MulticlassScoreAccumulator::encode`], checking every
    /// invariant: class and bin counts in range, every class histogram pair holding every
    /// counted row once, the true-class histograms and ranks adding up to the counted rows,
    /// `off_simplex` within them, the log loss finite and within its possible range.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let k = r.u64()?;
        ensure((2..=MAX_CLASSES as u64).contains(&k), || {
            format!("class count {k} is outside 2..={MAX_CLASSES}")
        })?;
        let bins = r.u64()?;
        ensure((1..=MAX_BINS as u64).contains(&bins), || {
            format!("score bin count {bins} is outside 1..={MAX_BINS}")
        })?;
        let (k, bins) = (k as usize, bins as usize);
        ensure(2 * k * bins <= MAX_CELLS, || {
            format!("2·k·bins = {} exceeds {MAX_CELLS}", 2 * k * bins)
        })?;
        let counts = decode_counts(r, 2 * k * bins, "class score histograms")?;
        let ranks = r.u64s()?;
        ensure(ranks.len() == k, || {
            format!("{} rank counts for {k} classes", ranks.len())
        })?;
        let rows = checked_total(ranks.iter().copied(), "rank counts")?;
        let mut true_rows = 0u64;
        for c in 0..k {
            let b = bins;
            let other = checked_total(
                counts[2 * c * b..(2 * c + 1) * b].iter().copied(),
                "class counts",
            )?;
            let own = checked_total(
                counts[(2 * c + 1) * b..(2 * c + 2) * b].iter().copied(),
                "class counts",
            )?;
            ensure(other.checked_add(own) == Some(rows), || {
                format!("class {c} histograms do not hold the {rows} counted rows")
            })?;
            true_rows += own;
        }
        ensure(true_rows == rows, || {
            format!("true-class counts add up to {true_rows}, not the {rows} counted rows")
        })?;
        let log_loss = Sum::decode(r, "log loss", rows as f64 * MAX_ROW_LOSS)?;
        let off_simplex = r.u64()?;
        let invalid_row = r.u64()?;
        let unknown_label = r.u64()?;
        ensure(off_simplex <= rows, || {
            format!("{off_simplex} off-simplex rows among {rows} counted rows")
        })?;
        checked_total([rows, invalid_row, unknown_label], "row tallies")?;
        Ok(Self {
            k,
            bins,
            counts,
            ranks,
            log_loss,
            off_simplex,
            invalid_row,
            unknown_label,
            pending: Pending::default(),
        })
    }

    /// Serialize into a checksummed envelope of kind [`Kind::MulticlassScores`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        codec::seal(Kind::MulticlassScores, &w.finish())
    }

    /// Deserialize bytes produced by [`MulticlassScoreAccumulator::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(codec::open(bytes, Kind::MulticlassScores)?);
        let h = Self::decode(&mut r)?;
        r.finish()?;
        Ok(h)
    }
}

// ---------------------------------------------------------------------------------------------
// Segmented
// ---------------------------------------------------------------------------------------------

mod part {
    use super::*;

    /// What [`Segmented`] needs of its per-segment accumulator. The trait is sealed: it lives in
    /// a private module, so only the accumulators of this module implement it.
    pub trait SegmentPart: Clone + Send + Sync {
        /// Envelope kind of the segmented accumulator.
        const SEGMENTED_KIND: Kind;
        /// A lower bound on the bytes of one encoded accumulator (bounds the segment count
        /// before allocating).
        const MIN_PAYLOAD: u64;
        /// An empty accumulator with the same shape.
        fn empty_like(&self) -> Self;
        /// Add `other`, known to be compatible.
        fn merge_same(&mut self, other: &Self);
        /// [`Error::Incompatible`] unless `other` has the same shape.
        fn compatible(&self, other: &Self) -> Result<()>;
        /// Fill `parts[seg(i)]` with rows `a..b`, and `total` (if any) with all of them;
        /// returns the rows whose segment is out of range.
        fn fill<G: Fn(usize) -> usize>(
            total: Option<&mut Self>,
            parts: &mut [Self],
            seg: G,
            y: &[u32],
            scores: &[f64],
            a: usize,
            b: usize,
        ) -> u64;
        /// [`Error::InvalidArgument`] unless `scores` has the right length for `n_rows` rows.
        fn check_input(&self, n_rows: usize, scores_len: usize) -> Result<()>;
        /// [`Error::InvalidArgument`] unless `total` can be filled beside `self` (same classes).
        fn check_total(&self, total: &Self) -> Result<()>;
        /// Append the payload to `w`.
        fn encode(&self, w: &mut Writer);
        /// Read a payload written by `encode`.
        fn decode(r: &mut Reader) -> Result<Self>;
    }

    impl SegmentPart for BinaryScoreHistogram {
        const SEGMENTED_KIND: Kind = Kind::SegmentedBinaryScores;
        // 16 + 17 + 2 + 32 + 32 + 16 bytes.
        const MIN_PAYLOAD: u64 = 107;
        fn empty_like(&self) -> Self {
            Self::with_bins(self.bins, self.cal.len()).expect("bins were validated")
        }
        fn merge_same(&mut self, other: &Self) {
            for (a, b) in self.counts.iter_mut().zip(&other.counts) {
                *a += b;
            }
            for (a, b) in self.cal.iter_mut().zip(&other.cal) {
                a.count += b.count;
                a.positives += b.positives;
                a.score.merge(&b.score);
            }
            self.log_loss.merge(&other.log_loss);
            self.brier.merge(&other.brier);
            self.invalid_score += other.invalid_score;
            self.unknown_label += other.unknown_label;
        }
        fn compatible(&self, other: &Self) -> Result<()> {
            if self.bins != other.bins {
                return Err(Error::incompatible(
                    "scores.bins",
                    format!("{} vs {}", self.bins, other.bins),
                ));
            }
            if self.cal.len() != other.cal.len() {
                return Err(Error::incompatible(
                    "scores.calibration_bins",
                    format!("{} vs {}", self.cal.len(), other.cal.len()),
                ));
            }
            Ok(())
        }
        fn fill<G: Fn(usize) -> usize>(
            total: Option<&mut Self>,
            parts: &mut [Self],
            seg: G,
            y: &[u32],
            scores: &[f64],
            a: usize,
            b: usize,
        ) -> u64 {
            BinaryScoreHistogram::fill(total, parts, seg, y, scores, a, b)
        }
        fn check_input(&self, n_rows: usize, scores_len: usize) -> Result<()> {
            check_len(n_rows, scores_len, "labels", "scores")
        }
        fn check_total(&self, total: &Self) -> Result<()> {
            // Calibration bins are shared by the segments' lanes and the total.
            if self.cal.len() != total.cal.len() {
                return Err(Error::invalid(format!(
                    "the total has {} calibration bins, the segments {}",
                    total.cal.len(),
                    self.cal.len()
                )));
            }
            Ok(())
        }
        fn encode(&self, w: &mut Writer) {
            BinaryScoreHistogram::encode(self, w)
        }
        fn decode(r: &mut Reader) -> Result<Self> {
            BinaryScoreHistogram::decode(r)
        }
    }

    impl SegmentPart for MulticlassScoreAccumulator {
        const SEGMENTED_KIND: Kind = Kind::SegmentedMulticlassScores;
        // 16 + 17 + 4 + 24 + 16 + 24 bytes.
        const MIN_PAYLOAD: u64 = 89;
        fn empty_like(&self) -> Self {
            Self::with_bins(self.k, self.bins).expect("validated")
        }
        fn merge_same(&mut self, other: &Self) {
            for (a, b) in self.counts.iter_mut().zip(&other.counts) {
                *a += b;
            }
            for (a, b) in self.ranks.iter_mut().zip(&other.ranks) {
                *a += b;
            }
            self.log_loss.merge(&other.log_loss);
            self.off_simplex += other.off_simplex;
            self.invalid_row += other.invalid_row;
            self.unknown_label += other.unknown_label;
        }
        fn compatible(&self, other: &Self) -> Result<()> {
            if self.k != other.k {
                return Err(Error::incompatible(
                    "scores.classes",
                    format!("{} vs {}", self.k, other.k),
                ));
            }
            if self.bins != other.bins {
                return Err(Error::incompatible(
                    "scores.bins",
                    format!("{} vs {}", self.bins, other.bins),
                ));
            }
            Ok(())
        }
        fn fill<G: Fn(usize) -> usize>(
            total: Option<&mut Self>,
            parts: &mut [Self],
            seg: G,
            y: &[u32],
            scores: &[f64],
            a: usize,
            b: usize,
        ) -> u64 {
            MulticlassScoreAccumulator::fill(total, parts, seg, y, scores, a, b)
        }
        fn check_input(&self, n_rows: usize, scores_len: usize) -> Result<()> {
            check_rows(n_rows, self.k, scores_len)
        }
        fn check_total(&self, total: &Self) -> Result<()> {
            if self.k != total.k {
                return Err(Error::invalid(format!(
                    "the total has {} classes, the segments {}",
                    total.k, self.k
                )));
            }
            Ok(())
        }
        fn encode(&self, w: &mut Writer) {
            MulticlassScoreAccumulator::encode(self, w)
        }
        fn decode(r: &mut Reader) -> Result<Self> {
            MulticlassScoreAccumulator::decode(r)
        }
    }
}

use part::SegmentPart;

/// One accumulator per segment, all filled in one pass over the rows: a
/// [`SegmentedBinaryScores`] or a [`SegmentedMulticlassScores`].
#[derive(Debug, Clone, PartialEq)]
pub struct Segmented<A> {
    parts: Vec<A>,
    unknown_segment: u64,
}

/// One [`BinaryScoreHistogram`] per segment, all filled in one pass over the rows.
pub type SegmentedBinaryScores = Segmented<BinaryScoreHistogram>;

/// One [`MulticlassScoreAccumulator`] per segment, all filled in one pass over the rows.
pub type SegmentedMulticlassScores = Segmented<MulticlassScoreAccumulator>;

impl Segmented<BinaryScoreHistogram> {
    /// `segments` empty accumulators (1..=2²⁰), each with the given bins (see
    /// [`BinaryScoreHistogram::with_bins`]).
    pub fn new(segments: usize, bins: usize, calibration_bins: usize) -> Result<Self> {
        Self::filled(
            segments,
            BinaryScoreHistogram::with_bins(bins, calibration_bins),
        )
    }
}

impl Segmented<MulticlassScoreAccumulator> {
    /// `segments` empty accumulators (1..=2²⁰) for `k` classes with `bins` bins per class (see
    /// [`MulticlassScoreAccumulator::with_bins`]).
    pub fn new(segments: usize, k: usize, bins: usize) -> Result<Self> {
        Self::filled(segments, MulticlassScoreAccumulator::with_bins(k, bins))
    }
}

impl<A: SegmentPart> Segmented<A> {
    /// `segments` copies of the empty accumulator `empty`, once the count is checked.
    fn filled(segments: usize, empty: Result<A>) -> Result<Self> {
        check_segments(segments)?;
        Ok(Self {
            parts: vec![empty?; segments],
            unknown_segment: 0,
        })
    }

    /// The per-segment accumulators, by segment index.
    pub fn segments(&self) -> &[A] {
        &self.parts
    }

    /// Rows whose segment index was out of range (skipped).
    pub fn unknown_segment(&self) -> u64 {
        self.unknown_segment
    }

    /// The accumulator of all segments together (merged).
    pub fn total(&self) -> A {
        let mut t = self.parts[0].empty_like();
        for p in &self.parts {
            t.merge_same(p);
        }
        t
    }

    /// Add rows to the accumulator of their segment: `segment[i]` indexes the segment (rows
    /// with an index `>= segments` are tallied in `unknown_segment` and skipped); see
    /// [`BinaryScoreHistogram::add`] and [`MulticlassScoreAccumulator::add`] for `y` and
    /// `scores`.
    ///
    /// Errors: [`Error::InvalidArgument`] on inconsistent lengths (nothing is added).
    pub fn add(&mut self, segment: &[u32], y: &[u32], scores: &[f64]) -> Result<()> {
        self.parts[0].check_input(y.len(), scores.len())?;
        check_len(segment.len(), y.len(), "segment indices", "labels")?;
        // Empty partials only for the parallel path: building them costs as much as zeroing
        // every segment's histograms, whatever the batch's size.
        let len = self.parts.len();
        let empty = parallel(y.len()).then(|| self.parts[0].empty_like());
        self.unknown_segment += drive(
            None,
            &mut self.parts,
            y.len(),
            || (None, vec![empty.clone().expect("parallel path"); len]),
            |_, parts, a, b| A::fill(None, parts, |i| segment[i] as usize, y, scores, a, b),
            |dst, src| dst.merge_same(src),
        );
        Ok(())
    }

    /// [`Segmented::add`], also adding every row to `total` (rows of an out-of-range segment
    /// included) in the same pass over the rows: `total` then holds what its own `add` would
    /// (the same counts; float sums equal up to rounding). `total` may have other bins than the
    /// segments.
    ///
    /// Errors: [`Error::InvalidArgument`] on inconsistent lengths or, for multiclass scores, a
    /// `total` with another number of classes (nothing is added).
    pub fn add_with_total(
        &mut self,
        total: &mut A,
        segment: &[u32],
        y: &[u32],
        scores: &[f64],
    ) -> Result<()> {
        self.parts[0].check_input(y.len(), scores.len())?;
        total.check_input(y.len(), scores.len())?;
        self.parts[0].check_total(total)?;
        check_len(segment.len(), y.len(), "segment indices", "labels")?;
        let len = self.parts.len();
        let empty = parallel(y.len()).then(|| (total.empty_like(), self.parts[0].empty_like()));
        self.unknown_segment += drive(
            Some(total),
            &mut self.parts,
            y.len(),
            || {
                let (t, p) = empty.clone().expect("parallel path");
                (Some(t), vec![p; len])
            },
            |t, parts, a, b| A::fill(t, parts, |i| segment[i] as usize, y, scores, a, b),
            |dst, src| dst.merge_same(src),
        );
        Ok(())
    }

    /// Add empty accumulators until there are `segments` of them (segments are only ever
    /// added, as a growing segment encoder assigns new codes).
    pub fn grow(&mut self, segments: usize) {
        if segments > self.parts.len() {
            let empty = self.parts[0].empty_like();
            self.parts.resize(segments, empty);
        }
    }

    /// An accumulator with `segments` empty segments and the bins of `self`.
    pub fn empty_with(&self, segments: usize) -> Self {
        let empty = self.parts[0].empty_like();
        Self {
            parts: vec![empty; segments.max(1)],
            unknown_segment: 0,
        }
    }

    /// Merge `other`, whose segment `i` is this accumulator's segment `map[i]` (`None`: the
    /// segment has no rows); segments are grown as needed.
    ///
    /// Errors: [`Error::Incompatible`] if the class or bin counts differ;
    /// [`Error::InvalidArgument`] if `map` does not cover `other`'s segments. `self` is
    /// unchanged on error.
    pub fn merge_mapped(&mut self, other: &Self, map: &[Option<u32>]) -> Result<()> {
        self.parts[0].compatible(&other.parts[0])?;
        if map.len() < other.parts.len() {
            return Err(Error::invalid(format!(
                "segment map covers {} of {} segments",
                map.len(),
                other.parts.len()
            )));
        }
        let need = map
            .iter()
            .flatten()
            .map(|&c| c as usize + 1)
            .max()
            .unwrap_or(0);
        self.grow(need);
        for (b, m) in other.parts.iter().zip(map) {
            if let Some(c) = m {
                self.parts[*c as usize].merge_same(b);
            }
        }
        self.unknown_segment += other.unknown_segment;
        Ok(())
    }

    /// Merge `other` into `self`, segment by segment.
    ///
    /// Errors: [`Error::Incompatible`] if the segment, class or bin counts differ; `self` is
    /// unchanged on error.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if self.parts.len() != other.parts.len() {
            return Err(Error::incompatible(
                "scores.segments",
                format!("{} vs {}", self.parts.len(), other.parts.len()),
            ));
        }
        self.parts[0].compatible(&other.parts[0])?;
        for (a, b) in self.parts.iter_mut().zip(&other.parts) {
            a.merge_same(b);
        }
        self.unknown_segment += other.unknown_segment;
        Ok(())
    }

    /// Append the payload (no envelope) to `w`: the segment count, `unknown_segment`, then each
    /// segment's payload.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.parts.len() as u64);
        w.u64(self.unknown_segment);
        for p in &self.parts {
            p.encode(w);
        }
    }

    /// Read a payload written by [`Segmented::encode`]; every segment is checked as by its
    /// accumulator's `decode` ([`BinaryScoreHistogram::decode`],
    /// [`MulticlassScoreAccumulator::decode`]) and all must have the same shape.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let segments = r.u64()?;
        ensure(
            (1..=MAX_SEGMENTS as u64).contains(&segments)
                && segments.saturating_mul(A::MIN_PAYLOAD) <= r.remaining() as u64,
            || format!("segment count {segments} is out of range or exceeds the bytes left"),
        )?;
        let unknown_segment = r.u64()?;
        let mut parts: Vec<A> = Vec::with_capacity(segments as usize);
        for s in 0..segments {
            let p = A::decode(r).map_err(|e| e.within(&format!("segment {s}")))?;
            if let Some(first) = parts.first() {
                first
                    .compatible(&p)
                    .map_err(|e| Error::corrupt(format!("segment {s}: {e}")))?;
            }
            parts.push(p);
        }
        Ok(Self {
            parts,
            unknown_segment,
        })
    }

    /// Serialize into a checksummed envelope of kind [`Kind::SegmentedBinaryScores`] or
    /// [`Kind::SegmentedMulticlassScores`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        codec::seal(A::SEGMENTED_KIND, &w.finish())
    }

    /// Deserialize bytes produced by [`Segmented::to_bytes`] (of the same accumulator type).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(codec::open(bytes, A::SEGMENTED_KIND)?);
        let h = Self::decode(&mut r)?;
        r.finish()?;
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::exact;
    use crate::rng::SplitMix64;
    use proptest::prelude::*;

    fn uniform(r: &mut SplitMix64) -> f64 {
        (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Beta(a, b) for integers: the a-th smallest of a + b − 1 uniforms.
    fn beta(r: &mut SplitMix64, a: usize, b: usize) -> f64 {
        let mut u: Vec<f64> = (0..a + b - 1).map(|_| uniform(r)).collect();
        u.sort_by(f64::total_cmp);
        u[a - 1]
    }

    /// `n` rows: a fraction `prevalence` of positives, scores drawn by `pos` / `neg`.
    fn sample(
        n: usize,
        seed: u64,
        prevalence: f64,
        pos: impl Fn(&mut SplitMix64) -> f64,
        neg: impl Fn(&mut SplitMix64) -> f64,
    ) -> (Vec<u32>, Vec<f64>) {
        let mut r = SplitMix64::new(seed);
        (0..n)
            .map(|_| {
                if uniform(&mut r) < prevalence {
                    (1, pos(&mut r))
                } else {
                    (0, neg(&mut r))
                }
            })
            .unzip()
    }

    fn exact_of(y: &[u32], s: &[f64]) -> (f64, f64) {
        let (ss, yy): (Vec<f64>, Vec<bool>) = y
            .iter()
            .zip(s)
            .filter(|(y, s)| **y <= 1 && (0.0..=1.0).contains(*s))
            .map(|(y, s)| (*s, *y == 1))
            .unzip();
        let r = exact::binary_ranking(&ss, &yy).unwrap();
        (r.roc_auc().unwrap(), r.average_precision().unwrap())
    }

    #[test]
    fn sklearn_fixtures_binary() {
        // scikit-learn 1.9.1: log_loss, brier_score_loss, calibration_curve(n_bins=10).
        let y = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0];
        let p = [
            0.0,
            1.0,
            0.3,
            0.1,
            0.7,
            0.30000000000000004,
            0.2,
            0.95,
            0.5,
            0.45,
            1e-20,
            0.9,
        ];
        let mut h = BinaryScoreHistogram::new();
        h.add(&y, &p).unwrap();
        assert!((h.log_loss().unwrap() - 3.494528559749146).abs() < 1e-12);
        assert!((h.brier().unwrap() - 0.24875).abs() < 1e-15);
        let rel: Vec<ReliabilityBin> = h
            .reliability()
            .into_iter()
            .filter(|b| b.count > 0)
            .collect();
        let rate = [1.0 / 3.0, 0.0, 0.5, 0.5, 1.0, 0.0, 1.0];
        let mean = [
            0.03333333333333333,
            0.2,
            0.30000000000000004,
            0.475,
            0.7,
            0.9,
            0.975,
        ];
        assert_eq!(rel.len(), 7);
        for (i, b) in rel.iter().enumerate() {
            assert!((b.observed_rate - rate[i]).abs() < 1e-15, "bin {i}");
            assert!((b.mean_score - mean[i]).abs() < 1e-15, "bin {i}");
        }
        let ece: f64 = rel
            .iter()
            .map(|b| b.count as f64 / 12.0 * (b.mean_score - b.observed_rate).abs())
            .sum();
        assert!((h.ece().unwrap() - ece).abs() < 1e-15);
        let (auc, bound) = h.roc_auc().unwrap();
        let (ea, eap) = exact_of(&y, &p);
        assert!((auc - ea).abs() <= bound + 1e-15);
        let (ap, apb) = h.average_precision().unwrap();
        assert!((ap - eap).abs() <= apb + 1e-15);
    }

    #[test]
    fn sklearn_fixture_multiclass_log_loss_is_not_renormalized() {
        // scikit-learn 1.9.1: log_loss([0,2,1,2], rows, labels=[0,1,2]); row 3 sums to 1.1.
        let mut m = MulticlassScoreAccumulator::new(3).unwrap();
        m.add(
            &[0, 2, 1, 2],
            &[0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.5, 0.3, 0.3, 0.0, 0.0, 1.0],
        )
        .unwrap();
        assert!((m.log_loss().unwrap() - 0.4459478248947196).abs() < 1e-15);
        assert_eq!(m.off_simplex(), 1);
        assert_eq!(m.rows(), 4);
    }

    #[test]
    fn tallies() {
        let mut h = BinaryScoreHistogram::new();
        h.add(
            &[0, 1, 2, u32::MAX, 1, 0, 1],
            &[0.5, f64::NAN, 0.5, 0.1, -0.1, f64::INFINITY, 1.0],
        )
        .unwrap();
        assert_eq!((h.rows(), h.invalid_score(), h.unknown_label()), (2, 3, 2));
        assert!(h.add(&[0], &[]).is_err());
        assert!(matches!(h.roc_auc(), Ok((a, _)) if a == 1.0));
        let empty = BinaryScoreHistogram::new();
        assert!(matches!(empty.roc_auc(), Err(Error::InsufficientData(_))));
        assert!(empty.log_loss().is_err() && empty.ece().is_err());

        let mut m = MulticlassScoreAccumulator::new(3).unwrap();
        m.add(
            &[0, 3, 1],
            &[0.2, 0.3, 0.5, 0.2, 0.3, 0.5, 0.2, f64::NAN, 0.8],
        )
        .unwrap();
        assert_eq!((m.rows(), m.unknown_label(), m.invalid_row()), (1, 1, 1));
        assert!(m.add(&[0], &[0.5]).is_err());
    }

    #[test]
    fn threshold_sweep_is_exact_on_edges() {
        let (y, s) = sample(20_000, 5, 0.4, |r| beta(r, 3, 2), |r| beta(r, 2, 3));
        let mut h = BinaryScoreHistogram::with_bins(64, 10).unwrap();
        h.add(&y, &s).unwrap();
        let ts = [-1.0, 0.0, 0.25, 0.5, 0.515625, 63.0 / 64.0, 1.0, 1.5, 0.3];
        let got = h.threshold_sweep(&ts).unwrap();
        for g in &got {
            let tp = y
                .iter()
                .zip(&s)
                .filter(|(y, s)| **y == 1 && **s >= g.effective)
                .count() as u64;
            let fp = y
                .iter()
                .zip(&s)
                .filter(|(y, s)| **y == 0 && **s >= g.effective)
                .count() as u64;
            if g.threshold <= 1.0 {
                assert_eq!((g.true_pos, g.false_pos), (tp, fp), "{g:?}");
            } else {
                assert_eq!((g.true_pos, g.false_pos), (0, 0));
            }
            assert_eq!(g.true_pos + g.false_neg, h.positives());
            assert_eq!(g.false_pos + g.true_neg, h.negatives());
        }
        assert_eq!(got[8].effective, 19.0 / 64.0);
        assert_eq!(got[6].effective, 63.0 / 64.0);
        assert!(h.threshold_sweep(&[f64::NAN]).is_err());
    }

    #[test]
    fn streaming_auc_within_1e4_on_a_million_rows() {
        let n = 1_000_000;
        for (seed, (y, s)) in [
            sample(n, 1, 0.3, |r| beta(r, 5, 2), |r| beta(r, 2, 5)),
            // Peaky: confident scores piled up near 0 and 1.
            sample(
                n,
                2,
                0.1,
                |r| uniform(r).powf(1.0 / 40.0),
                |r| 1.0 - uniform(r).powf(1.0 / 25.0),
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let mut h = BinaryScoreHistogram::new();
            h.add(&y, &s).unwrap();
            let (auc, bound) = h.roc_auc().unwrap();
            let (ap, ap_bound) = h.average_precision().unwrap();
            let (ea, eap) = exact_of(&y, &s);
            assert!(
                (auc - ea).abs() <= bound + 1e-12,
                "{seed}: {auc} {ea} {bound}"
            );
            assert!((auc - ea).abs() <= 1e-4, "{seed}");
            assert!(bound <= 1e-4, "{seed}: bound {bound}");
            assert!(
                (ap - eap).abs() <= ap_bound + 1e-12,
                "{seed}: {ap} {eap} {ap_bound}"
            );
        }
    }

    #[test]
    fn multiclass_matches_exact() {
        let (n, k) = (30_000, 4);
        let mut r = SplitMix64::new(9);
        let mut y = Vec::with_capacity(n);
        let mut s = Vec::with_capacity(n * k);
        for i in 0..n {
            let c = (r.next_u64() % k as u64) as u32;
            let mut row: Vec<f64> = (0..k)
                .map(|j| uniform(&mut r) + if j == c as usize { 0.7 } else { 0.0 })
                .collect();
            // Coarse scores give ties within rows.
            let t: f64 = row.iter().sum();
            for x in row.iter_mut() {
                *x = (*x / t * 20.0).round() / 20.0;
            }
            s.extend_from_slice(&row);
            y.push(if i % 97 == 0 { 9 } else { c });
        }
        let mut m = MulticlassScoreAccumulator::with_bins(k, 256).unwrap();
        m.add(&y, &s).unwrap();
        assert_eq!(m.unknown_label(), (n as u64).div_ceil(97));
        for kt in 1..=k {
            let e = exact::top_k_accuracy(&s, &y, k, kt).unwrap();
            assert!((m.top_k_accuracy(kt).unwrap() - e).abs() < 1e-15);
        }
        for avg in [Average::Macro, Average::Weighted] {
            let e = exact::roc_auc_ovr(&s, &y, k, avg).unwrap();
            let (v, b) = m.roc_auc_ovr(avg).unwrap();
            assert!((v - e).abs() <= b + 1e-12, "{v} {e} {b}");
        }
        // Segmented: one pass equals separate accumulators.
        let seg: Vec<u32> = (0..n as u32).map(|i| i % 7).collect();
        let mut sm = SegmentedMulticlassScores::new(6, k, 256).unwrap();
        sm.add(&seg, &y, &s).unwrap();
        assert_eq!(
            sm.unknown_segment(),
            seg.iter().filter(|&&g| g >= 6).count() as u64
        );
        for g in 0..6u32 {
            let idx: Vec<usize> = (0..n).filter(|&i| seg[i] == g).collect();
            let yy: Vec<u32> = idx.iter().map(|&i| y[i]).collect();
            let ss: Vec<f64> = idx
                .iter()
                .flat_map(|&i| s[i * k..(i + 1) * k].to_vec())
                .collect();
            let mut one = MulticlassScoreAccumulator::with_bins(k, 256).unwrap();
            one.add(&yy, &ss).unwrap();
            let part = &sm.segments()[g as usize];
            assert_eq!(part.counts, one.counts);
            assert_eq!(part.ranks, one.ranks);
        }
        let back = SegmentedMulticlassScores::from_bytes(&sm.to_bytes()).unwrap();
        assert_eq!(back, sm);
        let back = MulticlassScoreAccumulator::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn parallel_add_and_segments_equal_serial_counts() {
        let n = 400_000;
        let (y, s) = sample(n, 3, 0.5, |r| beta(r, 2, 2), uniform);
        let mut big = BinaryScoreHistogram::with_bins(1000, 7).unwrap();
        big.add(&y, &s).unwrap();
        let mut small = BinaryScoreHistogram::with_bins(1000, 7).unwrap();
        for (yc, sc) in y.chunks(1000).zip(s.chunks(1000)) {
            small.add(yc, sc).unwrap();
        }
        assert_eq!(big.counts, small.counts);
        assert_eq!(
            big.cal
                .iter()
                .map(|c| (c.count, c.positives))
                .collect::<Vec<_>>(),
            small
                .cal
                .iter()
                .map(|c| (c.count, c.positives))
                .collect::<Vec<_>>()
        );
        assert!((big.log_loss().unwrap() - small.log_loss().unwrap()).abs() < 1e-14);

        let seg: Vec<u32> = (0..n).map(|i| (i * 7 % 5) as u32).collect();
        let mut sg = SegmentedBinaryScores::new(4, 1000, 7).unwrap();
        sg.add(&seg, &y, &s).unwrap();
        assert_eq!(
            sg.unknown_segment(),
            seg.iter().filter(|&&g| g >= 4).count() as u64
        );
        for g in 0..4u32 {
            let (yy, ss): (Vec<u32>, Vec<f64>) = (0..n)
                .filter(|&i| seg[i] == g)
                .map(|i| (y[i], s[i]))
                .unzip();
            let mut one = BinaryScoreHistogram::with_bins(1000, 7).unwrap();
            one.add(&yy, &ss).unwrap();
            assert_eq!(sg.segments()[g as usize].counts, one.counts);
        }
        let back = SegmentedBinaryScores::from_bytes(&sg.to_bytes()).unwrap();
        assert_eq!(back, sg);
        let mut other = SegmentedBinaryScores::new(5, 1000, 7).unwrap();
        assert!(matches!(other.merge(&sg), Err(Error::Incompatible { .. })));
        other = SegmentedBinaryScores::new(4, 1000, 7).unwrap();
        other.merge(&sg).unwrap();
        assert_eq!(other.total().counts, sg.total().counts);
    }

    #[test]
    fn segments_with_a_total_fill_both_as_separate_adds() {
        // Large enough for the parallel path, then in small batches; invalid scores, unknown
        // labels and out-of-range segments included.
        let n = 300_000;
        let (mut y, mut s) = sample(n, 11, 0.3, |r| beta(r, 5, 2), |r| beta(r, 2, 5));
        for i in (0..n).step_by(97) {
            s[i] = [f64::NAN, 1.5, -0.25][i % 3];
        }
        for i in (0..n).step_by(89) {
            y[i] = 2;
        }
        let seg: Vec<u32> = (0..n).map(|i| (i * 13 % 23) as u32).collect();
        for batch in [n, 4096] {
            let mut total = BinaryScoreHistogram::with_bins(1 << 12, 10).unwrap();
            let mut sg = SegmentedBinaryScores::new(22, 1 << 9, 10).unwrap();
            let mut alone = total.clone();
            let mut sg_alone = sg.clone();
            for (a, b) in (0..n).step_by(batch).map(|a| (a, (a + batch).min(n))) {
                sg.add_with_total(&mut total, &seg[a..b], &y[a..b], &s[a..b])
                    .unwrap();
                alone.add(&y[a..b], &s[a..b]).unwrap();
                sg_alone.add(&seg[a..b], &y[a..b], &s[a..b]).unwrap();
            }
            // The segments are filled exactly as without a total; the total has the counts of
            // its own pass and the same sums up to rounding.
            assert_eq!(sg, sg_alone);
            assert_eq!(total.counts, alone.counts);
            assert_eq!(total.reliability().len(), 10);
            for (a, b) in total.cal.iter().zip(&alone.cal) {
                assert_eq!((a.count, a.positives), (b.count, b.positives));
                assert!((a.score.value() - b.score.value()).abs() <= 1e-9 * b.score.value());
            }
            assert_eq!(
                (total.invalid_score, total.unknown_label),
                (alone.invalid_score, alone.unknown_label)
            );
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * b.abs();
            assert!(close(total.log_loss().unwrap(), alone.log_loss().unwrap()));
            assert!(close(total.brier().unwrap(), alone.brier().unwrap()));
        }
        // Multiclass: the same, per row.
        let k = 3;
        let mut r = SplitMix64::new(5);
        let ym: Vec<u32> = (0..n).map(|i| (i % 4) as u32).collect();
        let sm: Vec<f64> = (0..n * k).map(|_| uniform(&mut r)).collect();
        let mut total = MulticlassScoreAccumulator::with_bins(k, 64).unwrap();
        let mut sg = SegmentedMulticlassScores::new(22, k, 16).unwrap();
        let (mut alone, mut sg_alone) = (total.clone(), sg.clone());
        sg.add_with_total(&mut total, &seg, &ym, &sm).unwrap();
        alone.add(&ym, &sm).unwrap();
        sg_alone.add(&seg, &ym, &sm).unwrap();
        assert_eq!(sg, sg_alone);
        assert_eq!((&total.counts, &total.ranks), (&alone.counts, &alone.ranks));
        assert!((total.log_loss().unwrap() - alone.log_loss().unwrap()).abs() < 1e-13);
        // A total of another shape is refused, with nothing added.
        let mut other = MulticlassScoreAccumulator::with_bins(k + 1, 64).unwrap();
        assert!(sg
            .add_with_total(&mut other, &seg[..0], &ym[..0], &[])
            .is_err());
        let mut cal = BinaryScoreHistogram::with_bins(64, 7).unwrap();
        let mut sb = SegmentedBinaryScores::new(2, 64, 10).unwrap();
        assert!(sb.add_with_total(&mut cal, &[0], &[1], &[0.5]).is_err());
        assert_eq!((cal.rows(), sb.total().rows()), (0, 0));
    }

    #[test]
    fn merge_requires_same_bins() {
        let mut a = BinaryScoreHistogram::with_bins(16, 10).unwrap();
        let b = BinaryScoreHistogram::with_bins(32, 10).unwrap();
        let c = BinaryScoreHistogram::with_bins(16, 5).unwrap();
        assert!(
            matches!(a.merge(&b), Err(Error::Incompatible { field, .. }) if field == "scores.bins")
        );
        assert!(matches!(a.merge(&c), Err(Error::Incompatible { .. })));
        let mut m = MulticlassScoreAccumulator::new(3).unwrap();
        assert!(m
            .merge(&MulticlassScoreAccumulator::new(4).unwrap())
            .is_err());
        assert!(BinaryScoreHistogram::with_bins(0, 10).is_err());
        assert!(BinaryScoreHistogram::with_bins(16, 0).is_err());
        assert!(MulticlassScoreAccumulator::new(1).is_err());
    }

    /// Every truncation fails; every bit flip fails the checksum; every bit flip re-sealed with
    /// a valid checksum decodes or fails without panicking.
    fn check_corruption<T>(bytes: &[u8], kind: Kind, from: impl Fn(&[u8]) -> Result<T>) {
        for cut in 0..bytes.len() {
            assert!(from(&bytes[..cut]).is_err(), "truncated at {cut}");
        }
        let payload = codec::open(bytes, kind).unwrap();
        for i in 0..payload.len() {
            for bit in [0u8, 3, 7] {
                let mut b = bytes.to_vec();
                b[codec::HEADER_LEN + i] ^= 1 << bit;
                assert!(from(&b).is_err());
                let mut p = payload.to_vec();
                p[i] ^= 1 << bit;
                let _ = from(&codec::seal(kind, &p));
            }
        }
    }

    #[test]
    fn corrupt_bytes_are_rejected() {
        let (y, s) = sample(300, 4, 0.5, uniform, uniform);
        let mut h = BinaryScoreHistogram::with_bins(8, 3).unwrap();
        h.add(&y, &s).unwrap();
        check_corruption(
            &h.to_bytes(),
            Kind::BinaryScores,
            BinaryScoreHistogram::from_bytes,
        );
        let mut m = MulticlassScoreAccumulator::with_bins(2, 4).unwrap();
        let yy: Vec<u32> = y.iter().map(|v| v % 2).collect();
        let ss: Vec<f64> = s.iter().flat_map(|&p| [1.0 - p, p]).collect();
        m.add(&yy, &ss).unwrap();
        check_corruption(
            &m.to_bytes(),
            Kind::MulticlassScores,
            MulticlassScoreAccumulator::from_bytes,
        );
        let mut sg = SegmentedBinaryScores::new(2, 4, 2).unwrap();
        let seg: Vec<u32> = (0..300).map(|i| i % 3).collect();
        sg.add(&seg, &y, &s).unwrap();
        check_corruption(
            &sg.to_bytes(),
            Kind::SegmentedBinaryScores,
            SegmentedBinaryScores::from_bytes,
        );
        let mut sm = SegmentedMulticlassScores::new(2, 2, 4).unwrap();
        sm.add(&seg, &yy, &ss).unwrap();
        check_corruption(
            &sm.to_bytes(),
            Kind::SegmentedMulticlassScores,
            SegmentedMulticlassScores::from_bytes,
        );
        // A huge announced size does not allocate.
        let mut w = Writer::new();
        w.u64(MAX_BINS as u64);
        w.u64(10);
        w.u8(8);
        w.u64(u64::MAX);
        assert!(BinaryScoreHistogram::decode(&mut Reader::new(&w.finish())).is_err());
    }

    proptest! {
        #[test]
        fn streaming_within_bound_and_merge_exact(
            rows in prop::collection::vec(
                (0u32..3, prop_oneof![0.0f64..=1.0, (0u32..=8).prop_map(|v| f64::from(v) / 8.0), Just(f64::NAN), Just(1.5)]),
                1..400),
            bins in prop_oneof![1usize..40, Just(64usize), Just(65_536usize)],
            split in 0usize..400,
        ) {
            let (y, s): (Vec<u32>, Vec<f64>) = rows.into_iter().unzip();
            let mut h = BinaryScoreHistogram::with_bins(bins, 10).unwrap();
            h.add(&y, &s).unwrap();
            let cut = split.min(y.len());
            let mut a = BinaryScoreHistogram::with_bins(bins, 10).unwrap();
            let mut b = BinaryScoreHistogram::with_bins(bins, 10).unwrap();
            a.add(&y[..cut], &s[..cut]).unwrap();
            b.add(&y[cut..], &s[cut..]).unwrap();
            a.merge(&b).unwrap();
            prop_assert_eq!(&a.counts, &h.counts);
            prop_assert_eq!((a.invalid_score, a.unknown_label), (h.invalid_score, h.unknown_label));
            prop_assert!((a.log_loss.value() - h.log_loss.value()).abs() < 1e-9);
            let back = BinaryScoreHistogram::from_bytes(&h.to_bytes()).unwrap();
            prop_assert_eq!(&back, &h);
            if h.positives() > 0 && h.negatives() > 0 {
                let (ea, eap) = exact_of(&y, &s);
                let (v, e) = h.roc_auc().unwrap();
                prop_assert!((v - ea).abs() <= e + 1e-12, "auc {} exact {} bound {}", v, ea, e);
                let (v, e) = h.average_precision().unwrap();
                prop_assert!((v - eap).abs() <= e + 1e-12, "ap {} exact {} bound {}", v, eap, e);
            }
        }
    }

    /// Timings on 10M rows (release build): `cargo test --release -p driftline-core
    /// metrics::scores::tests::timings -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing: prints figures for docs/benchmarks.md, asserts no speed"]
    fn timings() {
        use std::time::Instant;
        let n = 10_000_000;
        let (y, s) = sample(n, 7, 0.3, |r| beta(r, 5, 2), |r| beta(r, 2, 5));
        let yb: Vec<bool> = y.iter().map(|&v| v == 1).collect();
        let best = |f: &mut dyn FnMut()| {
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::INFINITY, f64::min)
        };
        let mut exact_r = None;
        let t_exact = best(&mut || exact_r = Some(exact::binary_ranking(&s, &yb).unwrap()));
        let exact_r = exact_r.unwrap();
        let mut h = BinaryScoreHistogram::new();
        let t_stream = best(&mut || {
            h = BinaryScoreHistogram::new();
            h.add(&y, &s).unwrap();
            let _ = h.roc_auc().unwrap();
        });
        let (auc, bound) = h.roc_auc().unwrap();
        let exact_auc = exact_r.roc_auc().unwrap();
        assert!((auc - exact_auc).abs() <= bound && bound <= 1e-4);
        let seg: Vec<u32> = (0..n as u32)
            .map(|i| i.wrapping_mul(2654435761) % 20)
            .collect();
        let t_seg = best(&mut || {
            let mut g = SegmentedBinaryScores::new(20, DEFAULT_BINS, 10).unwrap();
            g.add(&seg, &y, &s).unwrap();
        });
        println!("10M rows, {} threads", rayon::current_num_threads());
        println!(
            "exact AUC+AP (one sort)    {t_exact:8.1} ms   AUC {exact_auc:.9}  AP {:.9}",
            exact_r.average_precision().unwrap()
        );
        println!(
            "streaming add + AUC        {t_stream:8.1} ms   AUC {auc:.9} ± {bound:.1e}  (same pass: log loss {:.9}, Brier, calibration)",
            h.log_loss().unwrap()
        );
        println!("streaming, 20 segments     {t_seg:8.1} ms");
        println!("{SKLEARN_TIMINGS}");
    }

    /// The bytes of the segmented accumulators are those of the format (kinds 7 and 8): 2
    /// segments of 4 bins, rows with out-of-range segments, unknown labels and a NaN score.
    #[test]
    fn segmented_bytes_are_stable() {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let mut r = SplitMix64::new(1);
        let n = 12;
        let seg: Vec<u32> = (0..n).map(|_| (r.next_u64() % 3) as u32).collect();
        let y: Vec<u32> = (0..n).map(|_| (r.next_u64() % 3) as u32).collect();
        let s: Vec<f64> = (0..n)
            .map(|i| if i == 5 { f64::NAN } else { uniform(&mut r) })
            .collect();
        let ym: Vec<u32> = (0..n).map(|_| (r.next_u64() % 3) as u32).collect();
        let sm: Vec<f64> = (0..2 * n).map(|_| uniform(&mut r)).collect();

        let mut b = SegmentedBinaryScores::new(2, 4, 2).unwrap();
        b.add(&seg, &y, &s).unwrap();
        let b_bytes = b.to_bytes();
        let expected = concat!(
            "444c4e45010007003201000000000000b1746c58020000000000000003000000000000000400000000000000",
            "02000000000000000108000000000000000101010000000200020000000000000000000000000000002a4e23",
            "5d21e5de3f0000000000000000030000000000000002000000000000007d21a6d11033fb3f000000000000a0",
            "bcea26348862d60540000000000000a0bc7948f01946a5ee3f000000000000803c0000000000000000010000",
            "0000000000040000000000000002000000000000000108000000000000000001000001000000020000000000",
            "00000100000000000000b6df86b9087cdc3f0000000000000000000000000000000000000000000000000000",
            "000000000000000000000000000010188c719d5b0c400000000000000000544c27e21b07f13f000000000000",
            "000000000000000000000100000000000000",
        );
        assert_eq!(hex(&b_bytes), expected);
        assert_eq!(SegmentedBinaryScores::from_bytes(&b_bytes).unwrap(), b);

        let mut m = SegmentedMulticlassScores::new(2, 2, 4).unwrap();
        m.add(&seg, &ym, &sm).unwrap();
        let m_bytes = m.to_bytes();
        let expected = concat!(
            "444c4e4501000800e2000000000000004c09269b020000000000000003000000000000000200000000000000",
            "0400000000000000011000000000000000030000000100000100010100000002010200000000000000040000",
            "00000000000100000000000000034f25d05d130c400000000000000000050000000000000000000000000000",
            "0001000000000000000200000000000000040000000000000001100000000000000000010000010000000100",
            "000001000000020000000000000000000000000000000200000000000000c1392d94079f1540000000000000",
            "0000020000000000000000000000000000000100000000000000",
        );
        assert_eq!(hex(&m_bytes), expected);
        assert_eq!(SegmentedMulticlassScores::from_bytes(&m_bytes).unwrap(), m);
        // Each kind opens only its own envelope.
        assert!(SegmentedMulticlassScores::from_bytes(&b_bytes).is_err());
        assert!(SegmentedBinaryScores::from_bytes(&m_bytes).is_err());
    }

    /// scikit-learn 1.9.1 / NumPy 2.4.6 on the same machine and distributions (10M rows, 30%
    /// positives ~ Beta(5, 2), negatives ~ Beta(2, 5); best of 2), in two rounds run alternately
    /// with this test on a shared 2-core machine (load average about 6). This test measured, in
    /// the same rounds: exact 820 / 1366 ms, streaming 480 / 404 ms, 20 segments 2230 / 2278 ms.
    const SKLEARN_TIMINGS: &str = "sklearn 1.9.1 (same machine, same session, two rounds): \
        roc_auc_score 17043 / 15390 ms, average_precision_score 12308 / 12177 ms, \
        log_loss 7472 / 7493 ms";
}
