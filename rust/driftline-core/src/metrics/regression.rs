//! Mergeable regression error metrics, whole or per segment.
//!
//! For every valid row, with the error `e = y_pred − y_true`, a [`RegressionAccumulator`] keeps
//! `n`, `Σ|e|`, `Σe²`, `Σe`, the MAPE terms `|e| / max(|y_true|, f64::EPSILON)` (exactly
//! scikit-learn's `mean_absolute_percentage_error`, a fraction, not a percentage), the sMAPE
//! terms `2|e| / (|y_true| + |y_pred|)` (0 when both are 0; a fraction in `[0, 2]`), the count,
//! mean and second central moment of `y_true` (so that `R² = 1 − SSE/SST` is mergeable), and a
//! KLL sketch of the signed errors for error quantiles.
//!
//! A row is valid when `y_true`, `y_pred` and their difference are finite. Other rows (NaN or
//! ±inf on either side, or a difference that overflows) are counted in
//! [`RegressionAccumulator::invalid`] and skipped. Null handling belongs to the caller: pass
//! nulls as NaN.
//!
//! Sums are formed over blocks of 1024 rows with four independent partial sums each, and the
//! block sums are added with Neumaier's compensated summation (kept as a value plus a correction
//! term, both serialized), so the means agree with numpy's pairwise sums to about 1e-15
//! relative. `y_true` moments use [`Moments`] (corrected two-pass within a block, Chan et al.
//! across blocks and merges). Inputs of at least 2^21 rows are split into tasks of 2^20 rows over
//! the rayon pool; tasks are merged in order and their sketches seeded from their position in the
//! stream, so results do not depend on the number of threads.

use std::ops::Range;

use arrow_array::Array;
use rayon::prelude::*;

use super::labels::{Segment, SegmentEncoder};
use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};
use crate::kll::KllSketch;
use crate::moments::Moments;

/// Rows per block of sums, moments and sketch updates (the KLL bulk block size).
const BLOCK: usize = 1024;
/// Rows per parallel task (and per slab of segmented input).
const TASK: usize = 1 << 20;
/// Slabs of segmented input at least this long are split over threads by segment.
const PARALLEL_SEGMENTS_MIN: usize = 1 << 16;

/// A compensated (Neumaier) sum.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sum {
    hi: f64,
    lo: f64,
}

impl Sum {
    #[inline]
    fn add(&mut self, x: f64) {
        let t = self.hi + x;
        if t.is_finite() {
            if self.hi.abs() >= x.abs() {
                self.lo += (self.hi - t) + x;
            } else {
                self.lo += (x - t) + self.hi;
            }
        }
        self.hi = t;
    }

    fn merge(&mut self, o: &Sum) {
        self.add(o.hi);
        self.lo += o.lo;
    }

    fn value(&self) -> f64 {
        if self.hi.is_finite() {
            self.hi + self.lo
        } else {
            self.hi
        }
    }

    fn write(&self, w: &mut Writer) {
        w.f64(self.hi);
        w.f64(self.lo);
    }

    fn read(r: &mut Reader, what: &str, nonneg: bool) -> Result<Self> {
        let s = Sum {
            hi: r.f64()?,
            lo: r.f64()?,
        };
        ensure(!s.hi.is_nan() && s.lo.is_finite(), || {
            format!(
                "sum of {what} ({} + {}) is NaN or its correction is not finite",
                s.hi, s.lo
            )
        })?;
        ensure(!nonneg || s.hi >= 0.0, || {
            format!("sum of {what} ({}) is negative", s.hi)
        })?;
        Ok(s)
    }
}

/// Sum of `f` over a block with four independent partial sums.
#[inline(always)]
fn sum4(n: usize, f: impl Fn(usize) -> f64) -> f64 {
    let mut acc = [0.0f64; 4];
    let n4 = n / 4 * 4;
    for i in (0..n4).step_by(4) {
        for (l, a) in acc.iter_mut().enumerate() {
            *a += f(i + l);
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for i in n4..n {
        s += f(i);
    }
    s
}

/// Sums of one block: `[Σ|e|, Σe², Σe, Σape, Σsape]`, one term at a time (each pass stays in
/// registers and vectorizes; the block stays in L1).
#[inline]
fn block_sums(e: &[f64], t: &[f64], p: &[f64]) -> [f64; 5] {
    let n = e.len().min(t.len()).min(p.len());
    let (e, t, p) = (&e[..n], &t[..n], &p[..n]);
    [
        sum4(n, |i| e[i].abs()),
        sum4(n, |i| e[i] * e[i]),
        sum4(n, |i| e[i]),
        sum4(n, |i| e[i].abs() / t[i].abs().max(f64::EPSILON)),
        sum4(n, |i| {
            let den = t[i].abs() + p[i].abs();
            if den == 0.0 {
                0.0
            } else {
                2.0 * e[i].abs() / den
            }
        }),
    ]
}

/// Seed of the sketch of the task starting at row `start` of the stream.
fn task_seed(start: u64) -> u64 {
    let mut z = start.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Mergeable regression error metrics; see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct RegressionAccumulator {
    n: u64,
    invalid: u64,
    abs: Sum,
    sq: Sum,
    err: Sum,
    ape: Sum,
    sape: Sum,
    y_true: Moments,
    errors: KllSketch,
}

impl Default for RegressionAccumulator {
    fn default() -> Self {
        Self::new()
    }
}

impl RegressionAccumulator {
    /// Empty, with an error sketch of `k = 200`.
    pub fn new() -> Self {
        Self::with_k(KllSketch::DEFAULT_K).expect("default k is valid")
    }

    /// Empty, with an error sketch of accuracy parameter `k` (see [`KllSketch::try_new`]).
    pub fn with_k(k: u16) -> Result<Self> {
        Ok(Self {
            n: 0,
            invalid: 0,
            abs: Sum::default(),
            sq: Sum::default(),
            err: Sum::default(),
            ape: Sum::default(),
            sape: Sum::default(),
            y_true: Moments::new(),
            errors: KllSketch::try_new(k)?,
        })
    }

    fn empty_like(&self, seed: u64) -> Self {
        let mut a = Self::with_k(self.errors.k()).expect("k of an existing sketch");
        a.errors = KllSketch::with_seed(self.errors.k(), seed).expect("k of an existing sketch");
        a
    }

    /// Add rows (`y_true[i]`, `y_pred[i]`); invalid rows are counted and skipped.
    ///
    /// Errors ([`Error::InvalidArgument`], `self` unchanged): different lengths, or a row count
    /// that would overflow `u64`.
    pub fn add(&mut self, y_true: &[f64], y_pred: &[f64]) -> Result<()> {
        if y_true.len() != y_pred.len() {
            return Err(Error::invalid(format!(
                "y_true has {} rows but y_pred has {}",
                y_true.len(),
                y_pred.len()
            )));
        }
        self.n
            .checked_add(self.invalid)
            .and_then(|s| s.checked_add(y_true.len() as u64))
            .ok_or_else(|| Error::invalid("row count would overflow u64"))?;
        if y_true.len() < 2 * TASK {
            self.add_seq(y_true, y_pred);
            return Ok(());
        }
        let base = self.n + self.invalid;
        let parts: Vec<Self> = y_true
            .par_chunks(TASK)
            .zip(y_pred.par_chunks(TASK))
            .enumerate()
            .map(|(i, (t, p))| {
                let mut a = self.empty_like(task_seed(base + (i * TASK) as u64));
                a.add_seq(t, p);
                a
            })
            .collect();
        for part in &parts {
            self.merge(part)?;
        }
        Ok(())
    }

    /// Add rows on this thread.
    fn add_seq(&mut self, y_true: &[f64], y_pred: &[f64]) {
        let mut e = [0.0f64; BLOCK];
        let mut t = [0.0f64; BLOCK];
        let mut p = [0.0f64; BLOCK];
        for (bt, bp) in y_true.chunks(BLOCK).zip(y_pred.chunks(BLOCK)) {
            // Branch-free compaction of the valid rows; a finite difference implies finite sides.
            let mut m = 0;
            for (&a, &b) in bt.iter().zip(bp) {
                let d = b - a;
                e[m] = d;
                t[m] = a;
                p[m] = b;
                m += usize::from(d.is_finite());
            }
            self.invalid += (bt.len() - m) as u64;
            if m == 0 {
                continue;
            }
            self.n += m as u64;
            let s = block_sums(&e[..m], &t[..m], &p[..m]);
            self.abs.add(s[0]);
            self.sq.add(s[1]);
            self.err.add(s[2]);
            self.ape.add(s[3]);
            self.sape.add(s[4]);
            self.y_true.merge(&Moments::of_finite(&t[..m]));
            self.errors.update_slice(&e[..m]);
        }
    }

    /// Combine with `other`; afterwards `self` summarizes both.
    ///
    /// Errors, with `self` unchanged: [`Error::Incompatible`] (field `kll.k`) if the error sketches
    /// differ in `k`; [`Error::InvalidArgument`] if a count would overflow.
    pub fn merge(&mut self, other: &RegressionAccumulator) -> Result<()> {
        let n = self.n.checked_add(other.n);
        let invalid = self.invalid.checked_add(other.invalid);
        let (Some(n), Some(invalid)) = (n, invalid) else {
            return Err(Error::invalid("merged row count would overflow u64"));
        };
        n.checked_add(invalid)
            .ok_or_else(|| Error::invalid("merged row count would overflow u64"))?;
        self.errors.merge(&other.errors)?;
        self.n = n;
        self.invalid = invalid;
        self.abs.merge(&other.abs);
        self.sq.merge(&other.sq);
        self.err.merge(&other.err);
        self.ape.merge(&other.ape);
        self.sape.merge(&other.sape);
        self.y_true.merge(&other.y_true);
        Ok(())
    }

    /// Valid rows.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Rows skipped because a side or the difference was NaN or infinite.
    pub fn invalid(&self) -> u64 {
        self.invalid
    }

    fn mean(&self, s: &Sum) -> Option<f64> {
        (self.n > 0).then(|| s.value() / self.n as f64)
    }

    /// Mean absolute error (`None` without valid rows).
    pub fn mae(&self) -> Option<f64> {
        self.mean(&self.abs)
    }

    /// Mean squared error (`None` without valid rows).
    pub fn mse(&self) -> Option<f64> {
        self.mean(&self.sq)
    }

    /// Root mean squared error (`None` without valid rows).
    pub fn rmse(&self) -> Option<f64> {
        self.mse().map(f64::sqrt)
    }

    /// Mean absolute percentage error as scikit-learn computes it: the mean of
    /// `|e| / max(|y_true|, f64::EPSILON)`, a fraction (`None` without valid rows).
    pub fn mape(&self) -> Option<f64> {
        self.mean(&self.ape)
    }

    /// Symmetric MAPE: the mean of `2|e| / (|y_true| + |y_pred|)` with `0/0 = 0`, in `[0, 2]`
    /// (`None` without valid rows).
    pub fn smape(&self) -> Option<f64> {
        self.mean(&self.sape)
    }

    /// Mean error `mean(y_pred − y_true)`, positive when predictions are too high (`None`
    /// without valid rows).
    pub fn mean_error(&self) -> Option<f64> {
        self.mean(&self.err)
    }

    /// Coefficient of determination `1 − SSE/SST`, as `sklearn.metrics.r2_score` with
    /// `force_finite=True`: when `SST == 0` it is 1.0 if `SSE == 0` and 0.0 otherwise. `None`
    /// with fewer than two valid rows (where scikit-learn returns NaN).
    pub fn r2(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let sse = self.sq.value();
        let sst = self.y_true.m2();
        Some(if sst == 0.0 {
            if sse == 0.0 {
                1.0
            } else {
                0.0
            }
        } else {
            1.0 - sse / sst
        })
    }

    /// Moments of the valid `y_true` values.
    pub fn y_true_moments(&self) -> &Moments {
        &self.y_true
    }

    /// The sketch of the signed errors `y_pred − y_true` of valid rows.
    pub fn error_sketch(&self) -> &KllSketch {
        &self.errors
    }

    /// Approximate `q`-quantile of the signed errors (see [`KllSketch::quantile`]).
    pub fn error_quantile(&self, q: f64) -> Result<f64> {
        self.errors.quantile(q)
    }

    /// Serialize.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.n);
        w.u64(self.invalid);
        for s in [&self.abs, &self.sq, &self.err, &self.ape, &self.sape] {
            s.write(w);
        }
        self.y_true.encode(w);
        self.errors.encode(w);
    }

    /// Deserialize and validate: sums not NaN (non-negative where they must be, the sMAPE sum at
    /// most `2n`), all zero when `n == 0`, and the moments and sketch counting exactly `n` rows.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let n = r.u64()?;
        let invalid = r.u64()?;
        ensure(n.checked_add(invalid).is_some(), || {
            "regression row count overflows u64".into()
        })?;
        let abs = Sum::read(r, "|e|", true)?;
        let sq = Sum::read(r, "e²", true)?;
        let err = Sum::read(r, "e", false)?;
        let ape = Sum::read(r, "APE", true)?;
        let sape = Sum::read(r, "sAPE", true)?;
        ensure(sape.value() <= 2.0 * n as f64 * (1.0 + 1e-9), || {
            format!(
                "sum of sAPE {} exceeds 2n = {}",
                sape.value(),
                2 * n as u128
            )
        })?;
        if n == 0 {
            ensure(
                [abs, sq, err, ape, sape]
                    .iter()
                    .all(|s| s.hi == 0.0 && s.lo == 0.0),
                || "regression sums of zero rows are not zero".into(),
            )?;
        }
        let y_true = Moments::decode(r).map_err(|e| e.within("regression.y_true"))?;
        let errors = KllSketch::decode(r).map_err(|e| e.within("regression.errors"))?;
        ensure(y_true.n() == n && errors.n() == n, || {
            format!(
                "regression n = {n} but y_true moments count {} and the error sketch {}",
                y_true.n(),
                errors.n()
            )
        })?;
        Ok(Self {
            n,
            invalid,
            abs,
            sq,
            err,
            ape,
            sape,
            y_true,
            errors,
        })
    }
}

/// One [`RegressionAccumulator`] per segment, filled in one pass over the rows. Segments are
/// named by a [`SegmentEncoder`] (nulls in `__null__`, values beyond its cap in `__other__`),
/// and merging matches segments by value.
#[derive(Debug, Clone)]
pub struct SegmentedRegression {
    segments: SegmentEncoder,
    /// One per segment code; empty ones are allocated lazily (`None`).
    accs: Vec<Option<RegressionAccumulator>>,
    k: u16,
}

impl SegmentedRegression {
    /// Empty, with `segments` (which may already name segments) and error sketches of `k = 200`.
    pub fn new(segments: SegmentEncoder) -> Self {
        Self::with_k(segments, KllSketch::DEFAULT_K).expect("default k is valid")
    }

    /// Empty, with error sketches of accuracy parameter `k`.
    pub fn with_k(segments: SegmentEncoder, k: u16) -> Result<Self> {
        KllSketch::try_new(k)?;
        let mut s = Self {
            segments,
            accs: Vec::new(),
            k,
        };
        s.grow();
        Ok(s)
    }

    fn grow(&mut self) {
        let want = self.segments.len();
        if self.accs.len() < want {
            self.accs.resize(want, None);
        }
    }

    /// The segments.
    pub fn segments(&self) -> &SegmentEncoder {
        &self.segments
    }

    /// Number of segments (the reserved `__null__` and `__other__` included).
    pub fn n_segments(&self) -> usize {
        self.segments.len()
    }

    /// Append the segment code of every row of `a` to `out`, creating segments as needed.
    pub fn encode_segments(&mut self, a: &dyn Array, out: &mut Vec<u32>) -> Result<()> {
        let r = self.segments.encode(a, out);
        self.grow();
        r
    }

    /// The accumulator of segment `code` (`None` if out of range or without any row).
    pub fn segment(&self, code: u32) -> Option<&RegressionAccumulator> {
        self.accs.get(code as usize).and_then(Option::as_ref)
    }

    /// All segments together.
    pub fn overall(&self) -> Result<RegressionAccumulator> {
        let mut all = RegressionAccumulator::with_k(self.k)?;
        for a in self.accs.iter().flatten() {
            all.merge(a)?;
        }
        Ok(all)
    }

    /// Add rows with their segment codes (from [`SegmentedRegression::encode_segments`]) in one
    /// pass: each slab of 2^20 rows is grouped by segment (a counting sort), then every group is
    /// added to its segment's accumulator, segments in parallel. Results do not depend on the
    /// number of threads.
    ///
    /// Errors ([`Error::InvalidArgument`], `self` unchanged): different lengths, or a segment
    /// code at or above [`SegmentedRegression::n_segments`].
    pub fn add(&mut self, y_true: &[f64], y_pred: &[f64], segment: &[u32]) -> Result<()> {
        let n = y_true.len();
        if y_pred.len() != n || segment.len() != n {
            return Err(Error::invalid(format!(
                "y_true, y_pred and segment have {n}, {} and {} rows",
                y_pred.len(),
                segment.len()
            )));
        }
        let ns = self.segments.len();
        if let Some(i) = segment.iter().position(|&g| g as usize >= ns) {
            return Err(Error::invalid(format!(
                "segment code {} at row {i} is out of range (codes are 0..{ns})",
                segment[i]
            )));
        }
        // Each segment's count stays at most the total, so checking the total here keeps every
        // count below in range.
        self.accs
            .iter()
            .flatten()
            .try_fold(0u64, |s, a| s.checked_add(a.n + a.invalid))
            .and_then(|s| s.checked_add(n as u64))
            .ok_or_else(|| Error::invalid("row count would overflow u64"))?;
        let k = self.k;
        let slab = n.min(TASK);
        let (mut gt, mut gp) = (vec![0.0; slab], vec![0.0; slab]);
        let mut offsets = vec![0usize; ns + 1];
        let mut pos = vec![0usize; ns];
        for ((t, p), g) in y_true
            .chunks(TASK)
            .zip(y_pred.chunks(TASK))
            .zip(segment.chunks(TASK))
        {
            // Counting sort of the slab's rows by segment.
            offsets.fill(0);
            for &s in g {
                offsets[s as usize + 1] += 1;
            }
            for i in 1..=ns {
                offsets[i] += offsets[i - 1];
            }
            pos.copy_from_slice(&offsets[..ns]);
            for ((&s, &a), &b) in g.iter().zip(t).zip(p) {
                let o = &mut pos[s as usize];
                gt[*o] = a;
                gp[*o] = b;
                *o += 1;
            }
            for (s, acc) in self.accs.iter_mut().enumerate() {
                if acc.is_none() && offsets[s] < offsets[s + 1] {
                    let mut a = RegressionAccumulator::with_k(k)?;
                    a.errors = KllSketch::with_seed(k, task_seed(s as u64))?;
                    *acc = Some(a);
                }
            }
            // Each segment's rows go to its own accumulator, segments in parallel.
            let work: Vec<(&mut RegressionAccumulator, Range<usize>)> = self
                .accs
                .iter_mut()
                .enumerate()
                .filter_map(|(s, a)| {
                    let r = offsets[s]..offsets[s + 1];
                    if r.is_empty() {
                        None
                    } else {
                        a.as_mut().map(|a| (a, r))
                    }
                })
                .collect();
            let (gt, gp) = (&gt, &gp);
            if work.len() > 1 && t.len() >= PARALLEL_SEGMENTS_MIN {
                work.into_par_iter()
                    .for_each(|(a, r)| a.add_seq(&gt[r.clone()], &gp[r]));
            } else {
                for (a, r) in work {
                    a.add_seq(&gt[r.clone()], &gp[r]);
                }
            }
        }
        Ok(())
    }

    /// Encode Arrow segment values and add the rows.
    pub fn add_with_segments(
        &mut self,
        y_true: &[f64],
        y_pred: &[f64],
        segment: &dyn Array,
    ) -> Result<()> {
        let mut g = Vec::with_capacity(segment.len());
        self.encode_segments(segment, &mut g)?;
        self.add(y_true, y_pred, &g)
    }

    /// Merge `other`, matching segments by value: a segment of `other` missing here is created
    /// (or, beyond this accumulator's cap, merged into `__other__`).
    ///
    /// Errors, with `self` unchanged: [`Error::Incompatible`] if the sketches' `k` differ;
    /// [`Error::InvalidArgument`] if a count would overflow.
    pub fn merge(&mut self, other: &SegmentedRegression) -> Result<()> {
        if self.k != other.k {
            return Err(Error::incompatible(
                "kll.k",
                format!("{} vs {}", self.k, other.k),
            ));
        }
        let mut next = self.clone();
        for (code, acc) in other.accs.iter().enumerate() {
            let Some(acc) = acc else { continue };
            let seg = other.segments.get(code as u32).unwrap_or(Segment::Other);
            let mine = next.segments.intern(&seg) as usize;
            next.grow();
            match &mut next.accs[mine] {
                Some(m) => m.merge(acc)?,
                slot => *slot = Some(acc.clone()),
            }
        }
        *self = next;
        Ok(())
    }

    /// Serialize (sketch `k`, segments, then per segment a presence byte and the accumulator).
    pub fn encode(&self, w: &mut Writer) {
        w.u32(u32::from(self.k));
        self.segments.write(w);
        for a in &self.accs {
            match a {
                None => w.u8(0),
                Some(a) => {
                    w.u8(1);
                    a.encode(w);
                }
            }
        }
    }

    /// Deserialize and validate (every present accumulator valid, with a sketch of the same `k`).
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let k = r.u32()?;
        let k = u16::try_from(k).map_err(|_| Error::corrupt(format!("KLL k {k} exceeds 65535")))?;
        let segments = SegmentEncoder::read(r)?;
        let mut s = Self::with_k(segments, k).map_err(|e| Error::corrupt(format!("{e}")))?;
        for code in 0..s.accs.len() {
            match r.u8()? {
                0 => {}
                1 => {
                    let a = RegressionAccumulator::decode(r)
                        .map_err(|e| e.within(&format!("segment {code}")))?;
                    ensure(a.errors.k() == k, || {
                        format!(
                            "segment {code} has sketch k {} instead of {k}",
                            a.errors.k()
                        )
                    })?;
                    s.accs[code] = Some(a);
                }
                b => return Err(Error::corrupt(format!("segment presence byte {b}"))),
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use arrow_array::{Int64Array, StringArray};
    use proptest::prelude::*;

    use super::*;
    use crate::metrics::labels::Label;
    use crate::rng::SplitMix64;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        a == b || (a - b).abs() <= rel * a.abs().max(b.abs())
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {
            assert_close!($a, $b, 1e-12)
        };
        ($a:expr, $b:expr, $rel:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(
                close(a, b, $rel),
                "{} = {a:e} vs {} = {b:e}",
                stringify!($a),
                stringify!($b)
            );
        }};
    }

    /// Reference metrics by naive loops (Kahan sums, two-pass SST).
    struct Naive {
        mae: f64,
        mse: f64,
        me: f64,
        mape: f64,
        smape: f64,
        r2: f64,
        n: usize,
    }

    fn kahan(xs: impl Iterator<Item = f64>) -> f64 {
        let (mut s, mut c) = (0.0f64, 0.0f64);
        for x in xs {
            let y = x - c;
            let t = s + y;
            c = (t - s) - y;
            s = t;
        }
        s
    }

    fn naive(t: &[f64], p: &[f64]) -> Naive {
        let rows: Vec<(f64, f64)> = t
            .iter()
            .zip(p)
            .map(|(&a, &b)| (a, b))
            .filter(|(a, b)| (b - a).is_finite())
            .collect();
        let n = rows.len();
        let m = |f: &dyn Fn(f64, f64) -> f64| kahan(rows.iter().map(|&(a, b)| f(a, b))) / n as f64;
        let mean_t = m(&|a, _| a);
        let sst = kahan(rows.iter().map(|&(a, _)| (a - mean_t) * (a - mean_t)));
        let sse = kahan(rows.iter().map(|&(a, b)| (b - a) * (b - a)));
        Naive {
            mae: m(&|a, b| (b - a).abs()),
            mse: m(&|a, b| (b - a) * (b - a)),
            me: m(&|a, b| b - a),
            mape: m(&|a, b| (b - a).abs() / a.abs().max(f64::EPSILON)),
            smape: m(&|a, b| {
                let d = a.abs() + b.abs();
                if d == 0.0 {
                    0.0
                } else {
                    2.0 * (b - a).abs() / d
                }
            }),
            r2: 1.0 - sse / sst,
            n,
        }
    }

    fn check(acc: &RegressionAccumulator, want: &Naive, rel: f64) {
        assert_eq!(acc.n(), want.n as u64);
        assert_close!(acc.mae().unwrap(), want.mae, rel);
        assert_close!(acc.mse().unwrap(), want.mse, rel);
        assert_close!(acc.rmse().unwrap(), want.mse.sqrt(), rel);
        assert_close!(acc.mean_error().unwrap(), want.me, rel);
        assert_close!(acc.mape().unwrap(), want.mape, rel);
        assert_close!(acc.smape().unwrap(), want.smape, rel);
        assert_close!(acc.r2().unwrap(), want.r2, rel);
    }

    fn data(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut r = SplitMix64::new(seed);
        let mut u = move || (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let t: Vec<f64> = (0..n)
            .map(|_| 100.0 + 40.0 * (u() - 0.5) + u() * u())
            .collect();
        let p: Vec<f64> = t.iter().map(|&x| x + 3.0 * (u() - 0.45)).collect();
        (t, p)
    }

    #[test]
    fn matches_sklearn_and_numpy() {
        // scikit-learn 1.9.1 / numpy 2.4.6 on these arrays.
        let t = [3.0, -0.5, 2.0, 7.0, 0.0, 1e-3, 12.5, -4.25, 100.0, 0.3];
        let p = [2.5, 0.0, 2.0, 8.0, 0.1, 0.0, 11.0, -4.0, 97.5, 0.35];
        let mut acc = RegressionAccumulator::new();
        acc.add(&t, &p).unwrap();
        assert_close!(acc.mae().unwrap(), 0.6401);
        assert_close!(acc.mse().unwrap(), 1.0075001);
        assert_close!(acc.rmse().unwrap(), 1.0037430448077833);
        // y_true = 0 with y_pred = 0.1 weighs 0.1 / f64::EPSILON, as in scikit-learn.
        assert_close!(acc.mape().unwrap(), 45035996273705.234);
        assert_close!(acc.r2().unwrap(), 0.9988545184243389);
        assert_close!(acc.mean_error().unwrap(), -0.2601);
        assert_close!(acc.smape().unwrap(), 0.6682579759768017);
        assert_eq!(acc.invalid(), 0);
        check(&acc, &naive(&t, &p), 1e-12);
        assert_eq!(acc.error_quantile(0.0).unwrap(), -2.5);
        assert_eq!(acc.error_quantile(1.0).unwrap(), 1.0);
    }

    #[test]
    fn r2_conventions_invalid_rows_and_empty() {
        let mut acc = RegressionAccumulator::new();
        assert_eq!(
            (acc.mae(), acc.mse(), acc.rmse(), acc.r2()),
            (None, None, None, None)
        );
        assert_eq!(
            (acc.mape(), acc.smape(), acc.mean_error()),
            (None, None, None)
        );
        assert!(acc.error_quantile(0.5).is_err());
        acc.add(&[], &[]).unwrap();
        acc.add(&[2.0], &[2.0]).unwrap();
        assert_eq!(acc.r2(), None);
        // sklearn: r2_score([2, 2, 2], [2, 2, 2]) == 1.0 and r2_score([2, 2, 2], [2, 2.5, 2]) == 0.0.
        acc.add(&[2.0, 2.0], &[2.0, 2.0]).unwrap();
        assert_eq!(acc.r2(), Some(1.0));
        acc.add(&[2.0], &[2.5]).unwrap();
        assert_eq!(acc.r2(), Some(0.0));
        // sMAPE of 0 vs 0 is 0.
        let mut z = RegressionAccumulator::new();
        z.add(&[0.0, 0.0], &[0.0, 1.0]).unwrap();
        assert_eq!(z.smape(), Some(1.0));
        // Invalid rows: NaN, ±inf on either side, and a difference that overflows.
        let t = [1.0, f64::NAN, 2.0, f64::INFINITY, 1e308, 4.0, 5.0];
        let p = [
            1.5,
            1.0,
            f64::NEG_INFINITY,
            f64::INFINITY,
            -1e308,
            4.0,
            f64::NAN,
        ];
        let mut acc = RegressionAccumulator::new();
        acc.add(&t, &p).unwrap();
        assert_eq!((acc.n(), acc.invalid()), (2, 5));
        assert_eq!(acc.mae(), Some(0.25));
        assert_eq!(acc.error_sketch().n(), 2);
        assert!(acc.add(&[1.0], &[]).is_err());
        assert_eq!(acc.n(), 2);
    }

    #[test]
    fn large_inputs_and_any_split_agree_with_naive_loops() {
        for n in [1, 5, 1023, 1025, 100_000, (2 << 20) + 777] {
            let (mut t, p) = data(n, n as u64);
            if n > 10 {
                t[7] = f64::NAN;
            }
            let want = naive(&t, &p);
            let mut acc = RegressionAccumulator::new();
            acc.add(&t, &p).unwrap();
            assert_eq!(acc.invalid(), (n - want.n) as u64);
            if n > 1 {
                check(&acc, &want, 1e-12);
            }
            for cut in [0, 1, n / 3, n - 1] {
                let mut a = RegressionAccumulator::new();
                let mut b = RegressionAccumulator::new();
                a.add(&t[..cut], &p[..cut]).unwrap();
                b.add(&t[cut..], &p[cut..]).unwrap();
                a.merge(&b).unwrap();
                assert_eq!((a.n(), a.invalid()), (acc.n(), acc.invalid()));
                if n > 1 {
                    check(&a, &want, 1e-12);
                }
            }
        }
    }

    #[test]
    fn error_quantiles_are_within_the_sketch_bound() {
        let (t, p) = data(300_000, 3);
        let mut acc = RegressionAccumulator::new();
        acc.add(&t, &p).unwrap();
        let mut e: Vec<f64> = t.iter().zip(&p).map(|(a, b)| b - a).collect();
        e.sort_by(f64::total_cmp);
        let eps = KllSketch::normalized_rank_error(200, false);
        for q in [0.01, 0.1, 0.5, 0.9, 0.99] {
            let x = acc.error_quantile(q).unwrap();
            let rank = e.partition_point(|&v| v <= x) as f64 / e.len() as f64;
            assert!((rank - q).abs() <= eps, "q {q}: rank {rank}");
        }
    }

    fn bytes(acc: &RegressionAccumulator) -> Vec<u8> {
        let mut w = Writer::new();
        acc.encode(&mut w);
        w.finish()
    }

    #[test]
    fn round_trip_truncations_and_bit_flips() {
        let (t, p) = data(3000, 4);
        let mut acc = RegressionAccumulator::new();
        acc.add(&t, &p).unwrap();
        let b = bytes(&acc);
        let mut r = Reader::new(&b);
        let back = RegressionAccumulator::decode(&mut r).unwrap();
        r.finish().unwrap();
        assert_eq!(bytes(&back), b);
        for cut in 0..b.len() {
            let r = RegressionAccumulator::decode(&mut Reader::new(&b[..cut]));
            assert!(matches!(r, Err(Error::Corrupt(_))), "cut {cut}");
        }
        for i in 0..b.len() {
            for bit in 0..8 {
                let mut f = b.clone();
                f[i] ^= 1 << bit;
                if let Err(e) = RegressionAccumulator::decode(&mut Reader::new(&f)) {
                    assert!(matches!(e, Error::Corrupt(_)), "{e}");
                }
            }
        }
        let empty = bytes(&RegressionAccumulator::new());
        assert!(RegressionAccumulator::decode(&mut Reader::new(&empty)).is_ok());
    }

    #[test]
    fn segments_match_separate_accumulators_and_merge_by_value() {
        let n = (2 << 20) + 5;
        let (t, p) = data(n, 6);
        let mut r = SplitMix64::new(8);
        let names = ["a", "b", "c", "d", "e", "f"];
        let seg: Vec<Option<&str>> = (0..n)
            .map(|_| {
                let x = (r.next_u64() % 7) as usize;
                names.get(x).copied()
            })
            .collect();
        let mut s = SegmentedRegression::new(SegmentEncoder::with_cap(4).unwrap());
        s.add_with_segments(&t, &p, &StringArray::from(seg.clone()))
            .unwrap();
        assert_eq!(s.n_segments(), 6);
        let mut codes = Vec::new();
        s.clone()
            .encode_segments(&StringArray::from(seg.clone()), &mut codes)
            .unwrap();
        for code in 0..6u32 {
            let (ts, ps): (Vec<f64>, Vec<f64>) = (0..n)
                .filter(|&i| codes[i] == code)
                .map(|i| (t[i], p[i]))
                .unzip();
            let got = s.segment(code).unwrap();
            check(got, &naive(&ts, &ps), 1e-12);
        }
        // __other__ holds the two values that appeared last.
        let named = s.segments().values().to_vec();
        let other = s.segment(SegmentEncoder::OTHER).unwrap().n();
        let late = seg
            .iter()
            .filter(|v| v.is_some_and(|v| !named.contains(&Label::from(v))))
            .count() as u64;
        assert_eq!(other, late);
        let overall = s.overall().unwrap();
        check(&overall, &naive(&t, &p), 1e-12);

        // Two accumulators that met the segments in different orders, merged by value.
        let half = n / 2;
        let mut a = SegmentedRegression::new(SegmentEncoder::new());
        a.add_with_segments(
            &t[..half],
            &p[..half],
            &StringArray::from(seg[..half].to_vec()),
        )
        .unwrap();
        let rev: Vec<Option<&str>> = seg[half..].iter().rev().copied().collect();
        let tr: Vec<f64> = t[half..].iter().rev().copied().collect();
        let pr: Vec<f64> = p[half..].iter().rev().copied().collect();
        let mut b = SegmentedRegression::new(SegmentEncoder::new());
        // Pre-declare segments in another order so the codes differ.
        for v in ["f", "e", "d"] {
            b.segments.intern(&Segment::Value(Label::from(v)));
        }
        b.grow();
        b.add_with_segments(&tr, &pr, &StringArray::from(rev))
            .unwrap();
        a.merge(&b).unwrap();
        for v in names {
            let code = a
                .segments()
                .lookup(&Segment::Value(Label::from(v)))
                .unwrap();
            let (ts, ps): (Vec<f64>, Vec<f64>) = (0..n)
                .filter(|&i| seg[i] == Some(v))
                .map(|i| (t[i], p[i]))
                .unzip();
            check(a.segment(code).unwrap(), &naive(&ts, &ps), 1e-12);
        }
        // Round trip, truncations, bad codes.
        let mut w = Writer::new();
        a.encode(&mut w);
        let bytes = w.finish();
        let mut rd = Reader::new(&bytes);
        let back = SegmentedRegression::decode(&mut rd).unwrap();
        rd.finish().unwrap();
        let mut w2 = Writer::new();
        back.encode(&mut w2);
        assert_eq!(w2.finish(), bytes);
        for cut in (0..bytes.len()).step_by(7) {
            let r = SegmentedRegression::decode(&mut Reader::new(&bytes[..cut]));
            assert!(matches!(r, Err(Error::Corrupt(_))), "cut {cut}");
        }
        assert!(a.add(&[1.0], &[1.0], &[99]).is_err());
        let mut other_k = SegmentedRegression::with_k(SegmentEncoder::new(), 100).unwrap();
        other_k.add(&[1.0], &[2.0], &[0]).unwrap();
        assert!(matches!(a.merge(&other_k), Err(Error::Incompatible { .. })));
        // Integer segments with nulls.
        let mut s = SegmentedRegression::new(SegmentEncoder::new());
        s.add_with_segments(
            &[1.0, 2.0, 3.0],
            &[1.0, 2.5, 3.0],
            &Int64Array::from(vec![Some(1), None, Some(1)]),
        )
        .unwrap();
        assert_eq!(s.segment(SegmentEncoder::NULL).unwrap().mae(), Some(0.5));
        assert_eq!(s.segment(2).unwrap().n(), 2);
        assert!(s.segment(SegmentEncoder::OTHER).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 24 } else { 96 }))]

        #[test]
        fn merge_is_associative_and_round_trips(
            a in proptest::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 0..300),
            b in proptest::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 0..300),
            c in proptest::collection::vec((-1e6f64..1e6, -1e6f64..1e6), 2..300),
        ) {
            let make = |rows: &[(f64, f64)]| {
                let (t, p): (Vec<f64>, Vec<f64>) = rows.iter().copied().unzip();
                let mut acc = RegressionAccumulator::new();
                acc.add(&t, &p).unwrap();
                acc
            };
            let (ma, mb, mc) = (make(&a), make(&b), make(&c));
            let mut left = ma.clone();
            left.merge(&mb).unwrap();
            left.merge(&mc).unwrap();
            let mut bc = mb.clone();
            bc.merge(&mc).unwrap();
            let mut right = ma.clone();
            right.merge(&bc).unwrap();
            prop_assert_eq!(left.n(), right.n());
            let metrics = |x: &RegressionAccumulator| {
                [x.mae(), x.mse(), x.mean_error(), x.mape(), x.smape(), x.r2()].map(|v| v.unwrap())
            };
            for (l, r) in metrics(&left).into_iter().zip(metrics(&right)) {
                prop_assert!(close(l, r, 1e-12) || (l - r).abs() < 1e-9, "{} vs {}", l, r);
            }
            let bytes = bytes(&left);
            let back = RegressionAccumulator::decode(&mut Reader::new(&bytes)).unwrap();
            prop_assert_eq!(super::tests::bytes(&back), bytes);
        }
    }

    /// `cargo test --release -p driftline-core metrics::regression::tests::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "timing: prints figures for docs/benchmarks.md, asserts no speed"]
    fn timing() {
        let n = 10_000_000;
        let (t, p) = data(n, 1);
        let best = |f: &mut dyn FnMut()| {
            (0..5)
                .map(|_| {
                    let t0 = Instant::now();
                    f();
                    t0.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::INFINITY, f64::min)
        };
        let all = best(&mut || {
            let mut acc = RegressionAccumulator::new();
            acc.add(&t, &p).unwrap();
            std::hint::black_box(&acc);
        });
        let g: Vec<u32> = (0..n as u32)
            .map(|i| 2 + i.wrapping_mul(2_654_435_761) % 20)
            .collect();
        let mut enc = SegmentEncoder::new();
        for v in 0..20 {
            enc.intern(&Segment::Value(Label::Int(v)));
        }
        let seg = best(&mut || {
            let mut s = SegmentedRegression::new(enc.clone());
            s.add(&t, &p, &g).unwrap();
            std::hint::black_box(&s);
        });
        println!("regression n={n}: {all:.1} ms; 20 segments: {seg:.1} ms");
    }
}
