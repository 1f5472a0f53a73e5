//! Exact, mergeable confusion matrices over encoded labels, whole or per segment.
//!
//! Rows and columns are label codes from a [`LabelEncoder`] with `k` classes: `0..k` for the
//! declared classes, `k` for unknown labels and `k + 1` for nulls, so the full matrix is
//! `(k + 2) × (k + 2)`, indexed `[true code][predicted code]`, and every row added is counted in
//! exactly one cell (or, for [`ConfusionMatrix::add_threshold`], in an invalid-score tally). The
//! `k × k` block of declared classes ([`ConfusionMatrix::known`]) equals
//! `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=classes)` when every label is declared
//! and non-null. Derived metrics (precision, recall, ...) are computed from that small matrix
//! elsewhere.
//!
//! Counting: each row's cell index is computed in blocks of 256 rows and incremented in four
//! interleaved sub-count arrays (row `i` goes to array `i mod 4`), so consecutive rows that hit
//! the same cell do not wait for each other's stores; inputs of at least 2^20 rows are split over
//! the rayon pool and the partial counts summed. [`SegmentedConfusion`] counts all segments in
//! the same single pass, with the flat index `segment · (k+2)² + true · (k+2) + pred`.

use std::ops::Range;

use arrow_array::Array;
use rayon::prelude::*;

use super::labels::{LabelEncoder, Segment, SegmentEncoder};
use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};

/// Largest `k` a confusion matrix accepts (so that `k + 2 <= 4096`).
pub const MAX_CONFUSION_CLASSES: usize = 4094;
/// Largest number of cells (segments × (k+2)²) of a [`SegmentedConfusion`].
pub const MAX_SEGMENTED_CELLS: usize = 1 << 25;

/// Inputs at least this long are split over threads.
const PARALLEL_MIN: usize = 1 << 20;
/// Most rows counted by one task: keeps every `u32` sub-count below 2^32.
const MAX_TASK: usize = 1 << 30;
/// Rows whose indices are computed before they are counted.
const BLOCK: usize = 256;
/// Interleaved sub-count arrays.
const LANES: usize = 4;
/// Padding between sub-count arrays (one cache line of `u32`).
const LANE_PAD: usize = 16;

/// Something that yields one flat cell index per row.
trait Indices: Sync {
    fn len(&self) -> usize;
    /// Write the indices of rows `start..start + buf.len()` to `buf`; false if a code of the
    /// block is out of range (the indices are then meaningless).
    fn fill(&self, start: usize, buf: &mut [u32]) -> bool;
}

/// `t · stride + p`.
struct Pairs<'a> {
    t: &'a [u32],
    p: &'a [u32],
    stride: u32,
}

impl Indices for Pairs<'_> {
    fn len(&self) -> usize {
        self.t.len()
    }
    #[inline]
    fn fill(&self, start: usize, buf: &mut [u32]) -> bool {
        let end = start + buf.len();
        let s = self.stride;
        let mut ok = true;
        for ((o, &t), &p) in buf
            .iter_mut()
            .zip(&self.t[start..end])
            .zip(&self.p[start..end])
        {
            ok &= (t < s) & (p < s);
            *o = t.wrapping_mul(s).wrapping_add(p);
        }
        ok
    }
}

/// `seg · cells + t · stride + p`.
struct Triples<'a> {
    t: &'a [u32],
    p: &'a [u32],
    seg: &'a [u32],
    stride: u32,
    cells: u32,
    segments: u32,
}

impl Indices for Triples<'_> {
    fn len(&self) -> usize {
        self.t.len()
    }
    #[inline]
    fn fill(&self, start: usize, buf: &mut [u32]) -> bool {
        let end = start + buf.len();
        let (s, c, ns) = (self.stride, self.cells, self.segments);
        let mut ok = true;
        for (((o, &t), &p), &g) in buf
            .iter_mut()
            .zip(&self.t[start..end])
            .zip(&self.p[start..end])
            .zip(&self.seg[start..end])
        {
            ok &= (t < s) & (p < s) & (g < ns);
            *o = g
                .wrapping_mul(c)
                .wrapping_add(t.wrapping_mul(s))
                .wrapping_add(p);
        }
        ok
    }
}

/// `t · stride + (score >= threshold)` for valid scores, `cells + t` otherwise.
struct Thresholded<'a> {
    t: &'a [u32],
    scores: &'a [f64],
    threshold: f64,
    stride: u32,
    cells: u32,
}

impl Indices for Thresholded<'_> {
    fn len(&self) -> usize {
        self.t.len()
    }
    #[inline]
    fn fill(&self, start: usize, buf: &mut [u32]) -> bool {
        let end = start + buf.len();
        let (s, c, thr) = (self.stride, self.cells, self.threshold);
        let mut ok = true;
        for ((o, &t), &x) in buf
            .iter_mut()
            .zip(&self.t[start..end])
            .zip(&self.scores[start..end])
        {
            ok &= t < s;
            let valid = (0.0..=1.0).contains(&x);
            let cell = t.wrapping_mul(s).wrapping_add(u32::from(x >= thr));
            *o = if valid { cell } else { c.wrapping_add(t) };
        }
        ok
    }
}

/// Whether every code of rows `range` is in range.
fn all_valid(src: &impl Indices, range: Range<usize>) -> bool {
    let mut buf = [0u32; BLOCK];
    let mut start = range.start;
    while start < range.end {
        let m = BLOCK.min(range.end - start);
        if !src.fill(start, &mut buf[..m]) {
            return false;
        }
        start += m;
    }
    true
}

/// Count the rows of `range` into one `u64` array; false (with `out` partly counted) if a code
/// is out of range.
fn count_direct(src: &impl Indices, range: Range<usize>, out: &mut [u64]) -> bool {
    let mut buf = [0u32; BLOCK];
    let mut start = range.start;
    while start < range.end {
        let m = BLOCK.min(range.end - start);
        if !src.fill(start, &mut buf[..m]) {
            return false;
        }
        for &i in &buf[..m] {
            match out.get_mut(i as usize) {
                Some(c) => *c += 1,
                None => return false,
            }
        }
        start += m;
    }
    true
}

/// Count the rows of `range` (at most [`MAX_TASK`]) with interleaved `u32` sub-counts of
/// `N >= cells` entries each (`N` a power of two, so that masking the index removes the bounds
/// check; the mask never changes a valid index). `None` if a code is out of range.
fn count_lanes_pow2<const N: usize>(
    src: &impl Indices,
    range: Range<usize>,
    cells: usize,
) -> Option<Vec<u64>> {
    debug_assert!(N.is_power_of_two() && cells <= N);
    // Lanes start a cache line past a multiple of 4 KiB from each other: with exactly `N` apart,
    // increments of the same cell in different lanes alias in the store buffer (measured ~1.4x
    // slower for 20 segments of 16 cells).
    let mut lanes = vec![0u32; LANES * (N + LANE_PAD)];
    let [l0, l1, l2, l3]: [&mut [u32; N]; LANES] = {
        let mut it = lanes
            .chunks_exact_mut(N + LANE_PAD)
            .map(|c| <&mut [u32; N]>::try_from(&mut c[..N]).expect("N entries"));
        std::array::from_fn(|_| it.next().expect("four lanes"))
    };
    let mut buf = [0u32; BLOCK];
    let mut start = range.start;
    while start < range.end {
        let m = BLOCK.min(range.end - start);
        if !src.fill(start, &mut buf[..m]) {
            return None;
        }
        let quads = buf[..m].chunks_exact(LANES);
        let rest = quads.remainder();
        for q in quads {
            l0[q[0] as usize & (N - 1)] += 1;
            l1[q[1] as usize & (N - 1)] += 1;
            l2[q[2] as usize & (N - 1)] += 1;
            l3[q[3] as usize & (N - 1)] += 1;
        }
        for &i in rest {
            l0[i as usize & (N - 1)] += 1;
        }
        start += m;
    }
    Some(
        (0..cells)
            .map(|i| u64::from(l0[i]) + u64::from(l1[i]) + u64::from(l2[i]) + u64::from(l3[i]))
            .collect(),
    )
}

/// Count the rows of `range` (at most [`MAX_TASK`]) with interleaved `u32` sub-counts; `None`
/// if a code is out of range.
fn count_lanes(src: &impl Indices, range: Range<usize>, cells: usize) -> Option<Vec<u64>> {
    match cells {
        0..=256 => count_lanes_pow2::<256>(src, range, cells),
        // A few segments of a binary task: tables zeroed per batch stay small.
        257..=1024 => count_lanes_pow2::<1024>(src, range, cells),
        1025..=4096 => count_lanes_pow2::<4096>(src, range, cells),
        4097..=65536 => count_lanes_pow2::<65536>(src, range, cells),
        _ => {
            // Large tables: same-cell collisions are rare, one bounds-checked count suffices.
            let mut out = vec![0u64; cells];
            count_direct(src, range, &mut out).then_some(out)
        }
    }
}

/// Add the count of every index of `src` to `out` (`out.len()` cells). Codes are validated in
/// the same pass; if one is out of range, `out` is left unchanged and false is returned.
fn count_into(src: &impl Indices, out: &mut [u64]) -> bool {
    let n = src.len();
    let cells = out.len();
    if n == 0 {
        return true;
    }
    if n < LANES * cells {
        // Few rows for the table: validate, then count straight into `out`.
        return all_valid(src, 0..n) && count_direct(src, 0..n, out);
    }
    let Some(total) = count_table(src, cells) else {
        return false;
    };
    for (o, c) in out.iter_mut().zip(&total) {
        *o += c;
    }
    true
}

/// The count of every index of `src` in a table of `cells` cells, with interleaved sub-counts
/// (split over the pool for long inputs); `None` if a code is out of range.
fn count_table(src: &impl Indices, cells: usize) -> Option<Vec<u64>> {
    let n = src.len();
    let task = if n >= PARALLEL_MIN {
        n.div_ceil(2 * rayon::current_num_threads())
            .clamp(PARALLEL_MIN / 4, MAX_TASK)
    } else {
        n.min(MAX_TASK)
    };
    let tasks = n.div_ceil(task).max(1);
    let part = |i: usize| count_lanes(src, i * task..((i + 1) * task).min(n), cells);
    if tasks == 1 {
        part(0)
    } else {
        (0..tasks)
            .into_par_iter()
            .map(part)
            .reduce_with(|a, b| {
                let (mut a, b) = (a?, b?);
                a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                Some(a)
            })
            .flatten()
    }
}

/// The error for the first out-of-range code of `xs`, if any (the slow path of a failed count).
fn check_codes(what: &str, xs: &[u32], bound: usize) -> Result<()> {
    match xs.iter().position(|&x| x as usize >= bound) {
        Some(i) => Err(Error::invalid(format!(
            "{what} code {} at row {i} is out of range (codes are 0..{bound})",
            xs[i]
        ))),
        None => Ok(()),
    }
}

fn check_len(what: &str, a: usize, b: usize) -> Result<()> {
    if a != b {
        return Err(Error::invalid(format!(
            "y_true has {a} rows but {what} has {b}"
        )));
    }
    Ok(())
}

fn checked_n(n: u64, add: usize) -> Result<u64> {
    n.checked_add(add as u64)
        .ok_or_else(|| Error::invalid("row count would overflow u64"))
}

fn check_classes(classes: &LabelEncoder) -> Result<()> {
    if classes.k() > MAX_CONFUSION_CLASSES {
        return Err(Error::invalid(format!(
            "a confusion matrix holds at most {MAX_CONFUSION_CLASSES} classes, got {}",
            classes.k()
        )));
    }
    Ok(())
}

fn incompatible_classes(a: &LabelEncoder, b: &LabelEncoder) -> Error {
    let show = |e: &LabelEncoder| {
        let mut s: Vec<String> = e.classes().iter().take(8).map(|c| c.to_string()).collect();
        if e.k() > 8 {
            s.push(format!("... ({} in all)", e.k()));
        }
        format!("[{}]", s.join(", "))
    };
    Error::incompatible("classes", format!("{} vs {}", show(a), show(b)))
}

fn check_limits(classes: &LabelEncoder, segments: &SegmentEncoder) -> Result<()> {
    check_classes(classes)?;
    let cells = (classes.k() + 2).pow(2);
    let most = (segments.cap() + 2).saturating_mul(cells);
    if most > MAX_SEGMENTED_CELLS {
        return Err(Error::invalid(format!(
            "{} segments of {cells} cells exceed {MAX_SEGMENTED_CELLS} cells; lower the segment cap",
            segments.cap() + 2
        )));
    }
    Ok(())
}

/// Sum of `xs`, `None` on overflow.
fn checked_sum(xs: &[u64]) -> Option<u64> {
    xs.iter().try_fold(0u64, |s, &x| s.checked_add(x))
}

/// An exact confusion matrix over the codes of a [`LabelEncoder`], with unknown and null rows
/// and columns and per-true-label tallies of invalid scores. See the
/// [module documentation](self).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMatrix {
    classes: LabelEncoder,
    /// Rows counted (matrix cells and invalid scores).
    n: u64,
    /// `(k+2)²` cells by `[true][pred]`, then `k + 2` invalid-score tallies by true code.
    counts: Vec<u64>,
}

impl ConfusionMatrix {
    /// An empty matrix over `classes` (at most [`MAX_CONFUSION_CLASSES`]).
    pub fn new(classes: LabelEncoder) -> Result<Self> {
        check_classes(&classes)?;
        let s = classes.k() + 2;
        Ok(Self {
            classes,
            n: 0,
            counts: vec![0; s * s + s],
        })
    }

    /// The classes.
    pub fn classes(&self) -> &LabelEncoder {
        &self.classes
    }

    /// Number of declared classes `k`.
    pub fn k(&self) -> usize {
        self.classes.k()
    }

    /// Side of the full matrix (`k + 2`).
    pub fn stride(&self) -> usize {
        self.classes.k() + 2
    }

    fn cells(&self) -> usize {
        self.stride() * self.stride()
    }

    /// Rows counted: the sum of the full matrix plus [`ConfusionMatrix::invalid_score`].
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Count rows given as codes (`0..=k + 1`, as produced by [`LabelEncoder::encode`]).
    ///
    /// Errors ([`Error::InvalidArgument`], `self` unchanged): different lengths, or a code above
    /// `k + 1`.
    pub fn add(&mut self, y_true: &[u32], y_pred: &[u32]) -> Result<()> {
        check_len("y_pred", y_true.len(), y_pred.len())?;
        let s = self.stride();
        let n = checked_n(self.n, y_true.len())?;
        let cells = self.cells();
        let src = Pairs {
            t: y_true,
            p: y_pred,
            stride: s as u32,
        };
        if !count_into(&src, &mut self.counts[..cells]) {
            check_codes("y_true", y_true, s)?;
            check_codes("y_pred", y_pred, s)?;
            return Err(Error::invalid("a code is out of range"));
        }
        self.n = n;
        Ok(())
    }

    /// Encode two Arrow label columns with [`ConfusionMatrix::classes`] and count them.
    pub fn add_arrays(&mut self, y_true: &dyn Array, y_pred: &dyn Array) -> Result<()> {
        let (mut t, mut p) = (Vec::new(), Vec::new());
        self.classes.encode(y_true, &mut t)?;
        self.classes.encode(y_pred, &mut p)?;
        self.add(&t, &p)
    }

    /// Count a binary task from scores: the prediction is class 1 (the second declared class,
    /// the positive one) when `score >= threshold` and class 0 otherwise. A score that is NaN or
    /// outside `[0, 1]` is not counted in the matrix but in the invalid-score tally of its true
    /// label ([`ConfusionMatrix::invalid_score_by_true`]).
    ///
    /// Errors ([`Error::InvalidArgument`], `self` unchanged): `k != 2`, a NaN threshold,
    /// different lengths, or a true code above `k + 1`.
    pub fn add_threshold(&mut self, y_true: &[u32], scores: &[f64], threshold: f64) -> Result<()> {
        if self.k() != 2 {
            return Err(Error::invalid(format!(
                "thresholded scores need exactly 2 classes, these are {}",
                self.k()
            )));
        }
        if threshold.is_nan() {
            return Err(Error::invalid("threshold is NaN"));
        }
        check_len("scores", y_true.len(), scores.len())?;
        let s = self.stride();
        let n = checked_n(self.n, y_true.len())?;
        let src = Thresholded {
            t: y_true,
            scores,
            threshold,
            stride: s as u32,
            cells: self.cells() as u32,
        };
        if !count_into(&src, &mut self.counts) {
            check_codes("y_true", y_true, s)?;
            return Err(Error::invalid("a code is out of range"));
        }
        self.n = n;
        Ok(())
    }

    /// Add the counts of `other`.
    ///
    /// Errors, with `self` unchanged: [`Error::Incompatible`] (field `classes`) unless both have
    /// the same classes in the same order; [`Error::InvalidArgument`] if the row count overflows.
    pub fn merge(&mut self, other: &ConfusionMatrix) -> Result<()> {
        if self.classes != other.classes {
            return Err(incompatible_classes(&self.classes, &other.classes));
        }
        self.n = self
            .n
            .checked_add(other.n)
            .ok_or_else(|| Error::invalid("merged row count would overflow u64"))?;
        // No cell can overflow: every cell is at most n.
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        Ok(())
    }

    /// The full `(k+2) × (k+2)` matrix, row-major by true code.
    pub fn full(&self) -> &[u64] {
        &self.counts[..self.cells()]
    }

    /// Rows with true code `t` and predicted code `p` (0 when out of range).
    pub fn get(&self, t: u32, p: u32) -> u64 {
        let s = self.stride();
        if (t as usize) < s && (p as usize) < s {
            self.counts[t as usize * s + p as usize]
        } else {
            0
        }
    }

    /// The `k × k` matrix of declared classes (rows true, columns predicted), as
    /// `sklearn.metrics.confusion_matrix(labels=classes)`.
    pub fn known(&self) -> Vec<u64> {
        let (k, s) = (self.k(), self.stride());
        (0..k)
            .flat_map(|t| self.counts[t * s..t * s + k].iter().copied())
            .collect()
    }

    fn row_sum(&self, t: usize) -> u64 {
        let s = self.stride();
        self.counts[t * s..(t + 1) * s].iter().sum()
    }

    fn col_sum(&self, p: usize) -> u64 {
        let s = self.stride();
        (0..s).map(|t| self.counts[t * s + p]).sum()
    }

    /// Matrix rows whose true label is not a declared class.
    pub fn unknown_true(&self) -> u64 {
        self.row_sum(self.k())
    }

    /// Matrix rows whose true label is null.
    pub fn null_true(&self) -> u64 {
        self.row_sum(self.k() + 1)
    }

    /// Matrix rows whose predicted label is not a declared class.
    pub fn unknown_pred(&self) -> u64 {
        self.col_sum(self.k())
    }

    /// Matrix rows whose predicted label is null.
    pub fn null_pred(&self) -> u64 {
        self.col_sum(self.k() + 1)
    }

    /// Rows of [`ConfusionMatrix::add_threshold`] with a NaN or out-of-`[0, 1]` score.
    pub fn invalid_score(&self) -> u64 {
        self.invalid_score_by_true().iter().sum()
    }

    /// Invalid-score rows by true code (`k + 2` tallies).
    pub fn invalid_score_by_true(&self) -> &[u64] {
        &self.counts[self.cells()..]
    }

    /// Serialize (classes, n, cells, invalid-score tallies).
    pub fn encode(&self, w: &mut Writer) {
        self.classes.write(w);
        w.u64(self.n);
        w.u64s(&self.counts);
    }

    /// Deserialize and validate (at most [`MAX_CONFUSION_CLASSES`] classes, `(k+2)² + k + 2`
    /// counts summing to `n`).
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let classes = LabelEncoder::read(r)?;
        ensure(classes.k() <= MAX_CONFUSION_CLASSES, || {
            format!("{} classes exceed {MAX_CONFUSION_CLASSES}", classes.k())
        })?;
        let n = r.u64()?;
        let counts = r.u64s()?;
        let s = classes.k() + 2;
        ensure(counts.len() == s * s + s, || {
            format!(
                "{} confusion counts for {} classes (expected {})",
                counts.len(),
                classes.k(),
                s * s + s
            )
        })?;
        ensure(checked_sum(&counts) == Some(n), || {
            format!("confusion counts do not sum to n = {n}")
        })?;
        Ok(Self { classes, n, counts })
    }
}

/// One confusion matrix per segment, counted in one pass. Segments are named by a
/// [`SegmentEncoder`] (nulls in `__null__`, values beyond its cap in `__other__`), and merging
/// matches segments by value.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentedConfusion {
    classes: LabelEncoder,
    segments: SegmentEncoder,
    n: u64,
    /// `segments.len()` blocks of `(k+2)²` cells.
    counts: Vec<u64>,
}

impl SegmentedConfusion {
    /// An empty accumulator over `classes`, with `segments` (which may already name segments).
    ///
    /// Errors ([`Error::InvalidArgument`]): more than [`MAX_CONFUSION_CLASSES`] classes, or
    /// `(cap + 2) · (k + 2)²` above [`MAX_SEGMENTED_CELLS`] (lower the cap).
    pub fn new(classes: LabelEncoder, segments: SegmentEncoder) -> Result<Self> {
        check_limits(&classes, &segments)?;
        let cells = (classes.k() + 2).pow(2);
        let counts = vec![0; segments.len() * cells];
        Ok(Self {
            classes,
            segments,
            n: 0,
            counts,
        })
    }

    /// The classes.
    pub fn classes(&self) -> &LabelEncoder {
        &self.classes
    }

    /// The segments.
    pub fn segments(&self) -> &SegmentEncoder {
        &self.segments
    }

    /// Number of segments (the reserved `__null__` and `__other__` included).
    pub fn n_segments(&self) -> usize {
        self.segments.len()
    }

    /// Rows counted.
    pub fn n(&self) -> u64 {
        self.n
    }

    fn cells(&self) -> usize {
        (self.classes.k() + 2).pow(2)
    }

    fn grow(&mut self) {
        let want = self.segments.len() * self.cells();
        if self.counts.len() < want {
            self.counts.resize(want, 0);
        }
    }

    /// Append the segment code of every row of `a` to `out`, creating segments as needed.
    pub fn encode_segments(&mut self, a: &dyn Array, out: &mut Vec<u32>) -> Result<()> {
        let r = self.segments.encode(a, out);
        self.grow();
        r
    }

    /// Count rows given as label codes and segment codes (from
    /// [`SegmentedConfusion::encode_segments`]), all segments in one pass.
    ///
    /// Errors ([`Error::InvalidArgument`], `self` unchanged): different lengths, a label code
    /// above `k + 1`, or a segment code at or above [`SegmentedConfusion::n_segments`].
    pub fn add(&mut self, y_true: &[u32], y_pred: &[u32], segment: &[u32]) -> Result<()> {
        check_len("y_pred", y_true.len(), y_pred.len())?;
        check_len("segment", y_true.len(), segment.len())?;
        let s = self.classes.k() + 2;
        let n = checked_n(self.n, y_true.len())?;
        let src = Triples {
            t: y_true,
            p: y_pred,
            seg: segment,
            stride: s as u32,
            cells: self.cells() as u32,
            segments: self.segments.len() as u32,
        };
        if !count_into(&src, &mut self.counts) {
            check_codes("y_true", y_true, s)?;
            check_codes("y_pred", y_pred, s)?;
            check_codes("segment", segment, self.segments.len())?;
            return Err(Error::invalid("a code is out of range"));
        }
        self.n = n;
        Ok(())
    }

    /// [`SegmentedConfusion::add`], also adding the same rows to `total` (a matrix over the
    /// same classes). With many rows per cell, one counting pass fills both: `total` gets the
    /// sum of the segments' new counts.
    ///
    /// Errors ([`Error::InvalidArgument`], nothing counted): those of
    /// [`SegmentedConfusion::add`], or a row count of `total` that would overflow;
    /// [`Error::Incompatible`] if `total` has other classes.
    pub fn add_with_total(
        &mut self,
        y_true: &[u32],
        y_pred: &[u32],
        segment: &[u32],
        total: &mut ConfusionMatrix,
    ) -> Result<()> {
        if total.classes != self.classes {
            return Err(incompatible_classes(&total.classes, &self.classes));
        }
        check_len("y_pred", y_true.len(), y_pred.len())?;
        check_len("segment", y_true.len(), segment.len())?;
        let total_n = checked_n(total.n, y_true.len())?;
        if y_true.len() < LANES * self.counts.len() {
            // Few rows for the table: two direct counts cost less than summing a table. `add`
            // validates every code, so the second count cannot fail.
            self.add(y_true, y_pred, segment)?;
            return total.add(y_true, y_pred);
        }
        let s = self.classes.k() + 2;
        let n = checked_n(self.n, y_true.len())?;
        let cells = self.cells();
        let src = Triples {
            t: y_true,
            p: y_pred,
            seg: segment,
            stride: s as u32,
            cells: cells as u32,
            segments: self.segments.len() as u32,
        };
        let Some(table) = count_table(&src, self.counts.len()) else {
            check_codes("y_true", y_true, s)?;
            check_codes("y_pred", y_pred, s)?;
            check_codes("segment", segment, self.segments.len())?;
            return Err(Error::invalid("a code is out of range"));
        };
        for (a, b) in self.counts.iter_mut().zip(&table) {
            *a += b;
        }
        for block in table.chunks_exact(cells) {
            for (a, b) in total.counts[..cells].iter_mut().zip(block) {
                *a += b;
            }
        }
        self.n = n;
        total.n = total_n;
        Ok(())
    }

    /// Encode Arrow label and segment columns and count them.
    pub fn add_arrays(
        &mut self,
        y_true: &dyn Array,
        y_pred: &dyn Array,
        segment: &dyn Array,
    ) -> Result<()> {
        let (mut t, mut p, mut g) = (Vec::new(), Vec::new(), Vec::new());
        self.classes.encode(y_true, &mut t)?;
        self.classes.encode(y_pred, &mut p)?;
        self.encode_segments(segment, &mut g)?;
        self.add(&t, &p, &g)
    }

    /// Add the counts of `other`, matching segments by value: a segment of `other` missing here
    /// is created (or, beyond this accumulator's cap, added to `__other__`).
    ///
    /// Errors, with `self` unchanged: [`Error::Incompatible`] (field `classes`) unless the classes
    /// are the same in the same order; [`Error::InvalidArgument`] if the row count overflows.
    pub fn merge(&mut self, other: &SegmentedConfusion) -> Result<()> {
        if self.classes != other.classes {
            return Err(incompatible_classes(&self.classes, &other.classes));
        }
        let n = self
            .n
            .checked_add(other.n)
            .ok_or_else(|| Error::invalid("merged row count would overflow u64"))?;
        let cells = self.cells();
        if self.segments.values() == other.segments.values() {
            for (a, b) in self.counts.iter_mut().zip(&other.counts) {
                *a += b;
            }
        } else {
            for (code, block) in other.counts.chunks_exact(cells).enumerate() {
                if block.iter().all(|&c| c == 0) {
                    continue;
                }
                let seg = other.segments.get(code as u32).unwrap_or(Segment::Other);
                let mine = self.segments.intern(&seg) as usize;
                self.grow();
                for (a, b) in self.counts[mine * cells..(mine + 1) * cells]
                    .iter_mut()
                    .zip(block)
                {
                    *a += b;
                }
            }
        }
        self.n = n;
        Ok(())
    }

    /// The full `(k+2)²` counts of segment `code`, `None` when out of range.
    pub fn segment_counts(&self, code: u32) -> Option<&[u64]> {
        let cells = self.cells();
        let i = code as usize;
        (i < self.segments.len()).then(|| &self.counts[i * cells..(i + 1) * cells])
    }

    /// The confusion matrix of segment `code`, `None` when out of range.
    pub fn segment(&self, code: u32) -> Option<ConfusionMatrix> {
        let block = self.segment_counts(code)?;
        let mut m = ConfusionMatrix::new(self.classes.clone()).ok()?;
        m.counts[..block.len()].copy_from_slice(block);
        m.n = block.iter().sum();
        Some(m)
    }

    /// The confusion matrix of all segments together.
    pub fn overall(&self) -> ConfusionMatrix {
        let mut m = ConfusionMatrix::new(self.classes.clone()).expect("classes were checked");
        let cells = self.cells();
        for block in self.counts.chunks_exact(cells) {
            for (a, b) in m.counts.iter_mut().zip(block) {
                *a += b;
            }
        }
        m.n = self.n;
        m
    }

    /// Serialize (classes, segments, n, counts).
    pub fn encode(&self, w: &mut Writer) {
        self.classes.write(w);
        self.segments.write(w);
        w.u64(self.n);
        w.u64s(&self.counts);
    }

    /// Deserialize and validate (the limits of [`SegmentedConfusion::new`], one block of counts
    /// per segment, counts summing to `n`).
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let classes = LabelEncoder::read(r)?;
        let segments = SegmentEncoder::read(r)?;
        check_limits(&classes, &segments)
            .map_err(|e| Error::corrupt(format!("segmented confusion: {e}")))?;
        let n = r.u64()?;
        // Read before anything is allocated from the classes and segments.
        let counts = r.u64s()?;
        let want = segments.len() * (classes.k() + 2).pow(2);
        ensure(counts.len() == want, || {
            format!(
                "{} segmented confusion counts where {want} were expected",
                counts.len()
            )
        })?;
        ensure(checked_sum(&counts) == Some(n), || {
            format!("segmented confusion counts do not sum to n = {n}")
        })?;
        Ok(Self {
            classes,
            segments,
            n,
            counts,
        })
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

    /// Random codes in `0..k + 2` (mostly `0..k`), with predictions right about 70% of the time.
    fn rows(n: usize, k: u32, seed: u64) -> (Vec<u32>, Vec<u32>) {
        let mut r = SplitMix64::new(seed);
        let mut t = Vec::with_capacity(n);
        let mut p = Vec::with_capacity(n);
        for _ in 0..n {
            let x = r.next_u64();
            let a = if x % 50 == 0 {
                k + (x >> 8) as u32 % 2
            } else {
                (x >> 16) as u32 % k
            };
            let b = if (x >> 40) % 10 < 7 {
                a
            } else {
                (x >> 48) as u32 % (k + 2)
            };
            t.push(a);
            p.push(b);
        }
        (t, p)
    }

    fn naive(t: &[u32], p: &[u32], s: usize) -> Vec<u64> {
        let mut c = vec![0u64; s * s];
        for (&a, &b) in t.iter().zip(p) {
            c[a as usize * s + b as usize] += 1;
        }
        c
    }

    fn round_trip(m: &ConfusionMatrix) -> Vec<u8> {
        let mut w = Writer::new();
        m.encode(&mut w);
        let b = w.finish();
        let mut r = Reader::new(&b);
        assert_eq!(&ConfusionMatrix::decode(&mut r).unwrap(), m);
        r.finish().unwrap();
        b
    }

    #[test]
    fn matches_sklearn_confusion_matrix() {
        // sklearn 1.9.1: confusion_matrix(yt, yp, labels=["dog", "cat", "bird"]).
        let yt = [
            "cat", "dog", "bird", "dog", "cat", "cat", "fish", "bird", "dog", "cat", "bird", "dog",
            "cat", "dog", "dog",
        ];
        let yp = [
            "cat", "cat", "bird", "dog", "dog", "cat", "cat", "dog", "dog", "bird", "bird", "fish",
            "cat", "dog", "cat",
        ];
        let classes = ["dog", "cat", "bird"].map(Label::from).to_vec();
        let mut m = ConfusionMatrix::new(LabelEncoder::new(classes).unwrap()).unwrap();
        m.add_arrays(
            &StringArray::from(yt.to_vec()),
            &StringArray::from(yp.to_vec()),
        )
        .unwrap();
        assert_eq!(m.known(), [3, 2, 0, 1, 3, 1, 1, 0, 2]);
        // "fish" is unknown: one true fish predicted cat, one true dog predicted fish.
        assert_eq!((m.unknown_true(), m.unknown_pred()), (1, 1));
        assert_eq!(m.get(3, 1), 1);
        assert_eq!(m.get(0, 3), 1);
        assert_eq!((m.null_true(), m.null_pred(), m.n()), (0, 0, 15));
        // sklearn 1.9.1: confusion_matrix(yt, yp) with the inferred labels.
        let (a, b) = (
            StringArray::from(yt.to_vec()),
            StringArray::from(yp.to_vec()),
        );
        let e = LabelEncoder::infer(&[&a, &b]).unwrap();
        let mut m = ConfusionMatrix::new(e).unwrap();
        m.add_arrays(&a, &b).unwrap();
        assert_eq!(m.known(), [2, 0, 1, 0, 1, 3, 1, 0, 0, 2, 3, 1, 0, 1, 0, 0]);
        round_trip(&m);
    }

    #[test]
    fn segments_with_a_total_count_both_as_separate_adds() {
        let classes = LabelEncoder::range(3).unwrap();
        // Few rows per cell (two direct counts) and many (one table).
        for n in [50, 200_000] {
            let (t, p) = rows(n, 3, n as u64);
            let seg: Vec<u32> = (0..n).map(|i| (i * 7 % 5) as u32).collect();
            let mut enc = SegmentEncoder::new();
            for v in 0..3 {
                enc.intern(&Segment::Value(Label::Int(v)));
            }
            let mut sc = SegmentedConfusion::new(classes.clone(), enc).unwrap();
            let mut total = ConfusionMatrix::new(classes.clone()).unwrap();
            let (mut sc_alone, mut alone) = (sc.clone(), total.clone());
            sc.add_with_total(&t, &p, &seg, &mut total).unwrap();
            sc_alone.add(&t, &p, &seg).unwrap();
            alone.add(&t, &p).unwrap();
            assert_eq!((&sc, &total), (&sc_alone, &alone));
            assert_eq!(sc.overall(), total);
            // Out-of-range codes and other classes: an error, and nothing counted.
            let bad: Vec<u32> = seg.iter().map(|&g| g + 1).collect();
            assert!(sc.add_with_total(&t, &p, &bad, &mut total).is_err());
            let mut other = ConfusionMatrix::new(LabelEncoder::range(4).unwrap()).unwrap();
            assert!(matches!(
                sc.add_with_total(&t, &p, &seg, &mut other),
                Err(Error::Incompatible { .. })
            ));
            assert_eq!((&sc, &total), (&sc_alone, &alone));
        }
    }

    #[test]
    fn large_inputs_equal_a_naive_count() {
        for (n, k) in [(0, 3), (1, 1), (1000, 2), (3 << 20, 2), (3_000_001, 7)] {
            let (t, p) = rows(n, k, n as u64 + 1);
            let mut m = ConfusionMatrix::new(LabelEncoder::range(k).unwrap()).unwrap();
            m.add(&t, &p).unwrap();
            assert_eq!(
                m.full(),
                naive(&t, &p, k as usize + 2).as_slice(),
                "n {n} k {k}"
            );
            assert_eq!(m.n(), n as u64);
            // Any split, merged, is the same.
            let cut = n / 3;
            let mut a = ConfusionMatrix::new(LabelEncoder::range(k).unwrap()).unwrap();
            let mut b = a.clone();
            a.add(&t[..cut], &p[..cut]).unwrap();
            b.add(&t[cut..], &p[cut..]).unwrap();
            a.merge(&b).unwrap();
            assert_eq!(a, m);
        }
    }

    #[test]
    fn nulls_unknowns_single_class_and_empty() {
        let e = LabelEncoder::range(1).unwrap();
        let mut m = ConfusionMatrix::new(e.clone()).unwrap();
        let t = Int64Array::from(vec![Some(0), Some(0), None, Some(5), Some(0)]);
        let p = Int64Array::from(vec![Some(0), None, Some(0), Some(0), Some(9)]);
        m.add_arrays(&t, &p).unwrap();
        assert_eq!(m.known(), [1]);
        assert_eq!(
            (
                m.unknown_true(),
                m.null_true(),
                m.unknown_pred(),
                m.null_pred()
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(m.full().iter().sum::<u64>(), 5);
        // Empty input and no classes.
        let mut z = ConfusionMatrix::new(LabelEncoder::new(Vec::new()).unwrap()).unwrap();
        z.add(&[], &[]).unwrap();
        assert_eq!((z.n(), z.known().len(), z.full().len()), (0, 0, 4));
        z.add(&[0, 1], &[1, 1]).unwrap();
        assert_eq!(z.full(), [0, 1, 0, 1]);
        round_trip(&z);
        // Bad codes, lengths and class mismatches leave the matrix unchanged.
        let before = m.clone();
        assert!(m.add(&[0, 3], &[0, 0]).is_err());
        assert!(m.add(&[0], &[0, 0]).is_err());
        let other = ConfusionMatrix::new(LabelEncoder::range(2).unwrap()).unwrap();
        assert!(matches!(m.merge(&other), Err(Error::Incompatible { .. })));
        assert_eq!(m, before);
        assert!(ConfusionMatrix::new(LabelEncoder::range(4095).unwrap()).is_err());
    }

    #[test]
    fn threshold_counts_and_invalid_scores() {
        let e = LabelEncoder::new(["neg", "pos"].map(Label::from).to_vec()).unwrap();
        let mut m = ConfusionMatrix::new(e).unwrap();
        let t = [0, 1, 1, 0, 1, 3, 0, 1, 2];
        let s = [0.2, 0.5, 0.49, 0.5, f64::NAN, 0.9, -0.1, 1.5, 1.0];
        m.add_threshold(&t, &s, 0.5).unwrap();
        // Valid: (0,.2)->0 (1,.5)->1 (1,.49)->0 (0,.5)->1 (3,.9)->1 (2,1.0)->1.
        assert_eq!(m.known(), [1, 1, 1, 1]);
        assert_eq!((m.get(3, 1), m.get(2, 1)), (1, 1));
        assert_eq!(m.invalid_score(), 3);
        assert_eq!(m.invalid_score_by_true(), [1, 2, 0, 0]);
        assert_eq!(m.n(), 9);
        let b = round_trip(&m);
        assert!(!b.is_empty());
        // Against a naive loop on a large input (parallel path).
        let n = 2_500_000;
        let mut r = SplitMix64::new(9);
        let t: Vec<u32> = (0..n).map(|_| (r.next_u64() % 4) as u32).collect();
        let s: Vec<f64> = (0..n)
            .map(|_| (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.1 - 0.05)
            .collect();
        let mut m = ConfusionMatrix::new(LabelEncoder::range(2).unwrap()).unwrap();
        m.add_threshold(&t, &s, 0.3).unwrap();
        let mut want = vec![0u64; 20];
        for (&a, &x) in t.iter().zip(&s) {
            if (0.0..=1.0).contains(&x) {
                want[a as usize * 4 + usize::from(x >= 0.3)] += 1;
            } else {
                want[16 + a as usize] += 1;
            }
        }
        assert_eq!(m.counts, want);
        // Preconditions.
        let mut three = ConfusionMatrix::new(LabelEncoder::range(3).unwrap()).unwrap();
        assert!(three.add_threshold(&[0], &[0.5], 0.5).is_err());
        assert!(m.add_threshold(&[0], &[0.5], f64::NAN).is_err());
        assert!(m.add_threshold(&[4], &[0.5], 0.5).is_err());
    }

    #[test]
    fn truncations_are_corrupt_and_bit_flips_never_panic() {
        let (t, p) = rows(500, 3, 4);
        let mut m = ConfusionMatrix::new(LabelEncoder::range(3).unwrap()).unwrap();
        m.add(&t, &p).unwrap();
        let b = round_trip(&m);
        for cut in 0..b.len() {
            let r = ConfusionMatrix::decode(&mut Reader::new(&b[..cut]));
            assert!(matches!(r, Err(Error::Corrupt(_))), "cut {cut}");
        }
        for i in 0..b.len() {
            for bit in 0..8 {
                let mut f = b.clone();
                f[i] ^= 1 << bit;
                let mut r = Reader::new(&f);
                match ConfusionMatrix::decode(&mut r).and_then(|m| r.finish().map(|_| m)) {
                    Err(e) => assert!(matches!(e, Error::Corrupt(_)), "{e}"),
                    // A flip that keeps every invariant (e.g. a count moved between cells can't,
                    // since the sum must match) must still be a consistent matrix.
                    Ok(m) => assert_eq!(m.full().iter().sum::<u64>() + m.invalid_score(), m.n()),
                }
            }
        }
    }

    fn segmented(k: u32, cap: usize) -> SegmentedConfusion {
        SegmentedConfusion::new(
            LabelEncoder::range(k).unwrap(),
            SegmentEncoder::with_cap(cap).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn segments_are_counted_in_one_pass_and_merged_by_value() {
        let k = 3;
        let n = 2_200_000;
        let (t, p) = rows(n, k, 77);
        let mut r = SplitMix64::new(5);
        let seg_values: Vec<Option<i64>> = (0..n)
            .map(|_| {
                let x = r.next_u64() % 25;
                (x != 0).then_some(x as i64 * 10)
            })
            .collect();
        let seg_array = Int64Array::from(seg_values.clone());
        // Cap 20 of the 24 distinct values: the last four to appear go to __other__.
        let mut m = segmented(k, 20);
        let mut g = Vec::new();
        m.encode_segments(&seg_array, &mut g).unwrap();
        m.add(&t, &p, &g).unwrap();
        assert_eq!(m.n_segments(), 22);
        let s = (k + 2) as usize;
        for code in 0..m.n_segments() as u32 {
            let (ts, ps): (Vec<u32>, Vec<u32>) = (0..n)
                .filter(|&i| g[i] == code)
                .map(|i| (t[i], p[i]))
                .unzip();
            assert_eq!(
                m.segment_counts(code).unwrap(),
                naive(&ts, &ps, s).as_slice()
            );
            let seg = m.segment(code).unwrap();
            assert_eq!(seg.n(), ts.len() as u64);
        }
        assert_eq!(
            m.segment(0).unwrap().n(),
            seg_values.iter().filter(|v| v.is_none()).count() as u64
        );
        assert!(m.segment(1).unwrap().n() > 0);
        assert!(m.segment(22).is_none());
        let mut whole = ConfusionMatrix::new(LabelEncoder::range(k).unwrap()).unwrap();
        whole.add(&t, &p).unwrap();
        assert_eq!(m.overall(), whole);

        // Halves seen by accumulators whose encoders assign different codes (the second half
        // reversed), merged by value: same as one pass when nothing overflows the cap.
        let mut one = segmented(k, 100);
        let mut g1 = Vec::new();
        one.encode_segments(&seg_array, &mut g1).unwrap();
        one.add(&t, &p, &g1).unwrap();
        let half = n / 2;
        let mut a = segmented(k, 100);
        let mut ga = Vec::new();
        a.encode_segments(&seg_array.slice(0, half), &mut ga)
            .unwrap();
        a.add(&t[..half], &p[..half], &ga).unwrap();
        let rev: Vec<Option<i64>> = seg_values[half..].iter().rev().copied().collect();
        let (tr, pr): (Vec<u32>, Vec<u32>) = t[half..]
            .iter()
            .rev()
            .zip(p[half..].iter().rev())
            .map(|(a, b)| (*a, *b))
            .unzip();
        let mut b = segmented(k, 100);
        let mut gb = Vec::new();
        b.encode_segments(&Int64Array::from(rev), &mut gb).unwrap();
        b.add(&tr, &pr, &gb).unwrap();
        assert_ne!(a.segments(), b.segments());
        a.merge(&b).unwrap();
        assert_eq!(a.n(), one.n());
        for code in 0..one.n_segments() as u32 {
            let seg = one.segments().get(code).unwrap();
            let mine = a.segments().lookup(&seg).unwrap();
            assert_eq!(a.segment_counts(mine), one.segment_counts(code), "{seg}");
        }
        // Merging into a smaller cap sends the excess to __other__.
        let mut small = segmented(k, 5);
        small.merge(&one).unwrap();
        assert_eq!(small.n_segments(), 7);
        assert_eq!(small.overall(), one.overall());
    }

    #[test]
    fn segmented_round_trip_errors_and_corruption() {
        let (t, p) = rows(300, 2, 8);
        let mut m = segmented(2, 4);
        let seg = StringArray::from(
            (0..300)
                .map(|i| (i % 7 != 0).then(|| format!("s{}", i % 6)))
                .collect::<Vec<_>>(),
        );
        let mut g = Vec::new();
        m.encode_segments(&seg, &mut g).unwrap();
        m.add(&t, &p, &g).unwrap();
        let before = m.clone();
        assert!(m.add(&t[..2], &p[..2], &[0, 6]).is_err());
        assert!(m.add(&t[..2], &p[..1], &[0, 0]).is_err());
        let other = segmented(3, 4);
        assert!(matches!(m.merge(&other), Err(Error::Incompatible { .. })));
        assert_eq!(m, before);
        let mut w = Writer::new();
        m.encode(&mut w);
        let b = w.finish();
        let mut r = Reader::new(&b);
        assert_eq!(SegmentedConfusion::decode(&mut r).unwrap(), m);
        r.finish().unwrap();
        for cut in 0..b.len() {
            let r = SegmentedConfusion::decode(&mut Reader::new(&b[..cut]));
            assert!(matches!(r, Err(Error::Corrupt(_))), "cut {cut}");
        }
        for i in 0..b.len() {
            for bit in 0..8 {
                let mut f = b.clone();
                f[i] ^= 1 << bit;
                if let Err(e) = SegmentedConfusion::decode(&mut Reader::new(&f)) {
                    assert!(matches!(e, Error::Corrupt(_)), "{e}");
                }
            }
        }
        // A cap whose matrices would exceed the cell budget.
        assert!(SegmentedConfusion::new(
            LabelEncoder::range(400).unwrap(),
            SegmentEncoder::with_cap(1000).unwrap()
        )
        .is_err());
    }

    fn codes(k: u32) -> impl Strategy<Value = Vec<(u32, u32)>> {
        proptest::collection::vec((0..k + 2, 0..k + 2), 0..400)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 32 } else { 128 }))]

        #[test]
        fn merge_is_associative_and_round_trips(
            a in codes(3), b in codes(3), c in codes(3),
        ) {
            let make = |rows: &[(u32, u32)]| {
                let mut m = ConfusionMatrix::new(LabelEncoder::range(3).unwrap()).unwrap();
                let (t, p): (Vec<u32>, Vec<u32>) = rows.iter().copied().unzip();
                m.add(&t, &p).unwrap();
                m
            };
            let (ma, mb, mc) = (make(&a), make(&b), make(&c));
            let mut left = ma.clone();
            left.merge(&mb).unwrap();
            left.merge(&mc).unwrap();
            let mut bc = mb.clone();
            bc.merge(&mc).unwrap();
            let mut right = ma.clone();
            right.merge(&bc).unwrap();
            prop_assert_eq!(&left, &right);
            let all: Vec<(u32, u32)> = a.iter().chain(&b).chain(&c).copied().collect();
            prop_assert_eq!(&left, &make(&all));
            round_trip(&left);
        }

        #[test]
        fn segmented_merge_is_associative(
            a in proptest::collection::vec((0u32..4, 0u32..4, 0i64..6), 0..200),
            b in proptest::collection::vec((0u32..4, 0u32..4, 0i64..6), 0..200),
            c in proptest::collection::vec((0u32..4, 0u32..4, 0i64..6), 0..200),
        ) {
            // Within the cap (6 values, cap 8) merging is exactly associative; beyond it, which
            // values are named depends on the order, but the overall matrix never does.
            let make = |rows: &[(u32, u32, i64)], cap: usize| {
                let mut m = segmented(2, cap);
                let seg = Int64Array::from(rows.iter().map(|r| r.2).collect::<Vec<_>>());
                let mut g = Vec::new();
                m.encode_segments(&seg, &mut g).unwrap();
                let (t, p): (Vec<u32>, Vec<u32>) = rows.iter().map(|r| (r.0, r.1)).unzip();
                m.add(&t, &p, &g).unwrap();
                m
            };
            let merged = |cap: usize| {
                let (ma, mb, mc) = (make(&a, cap), make(&b, cap), make(&c, cap));
                let mut left = ma.clone();
                left.merge(&mb).unwrap();
                left.merge(&mc).unwrap();
                let mut bc = mb.clone();
                bc.merge(&mc).unwrap();
                let mut right = ma.clone();
                right.merge(&bc).unwrap();
                (left, right)
            };
            let (left, right) = merged(3);
            prop_assert_eq!(left.n(), right.n());
            prop_assert_eq!(left.overall(), right.overall());
            let (left, right) = merged(8);
            prop_assert_eq!(left.n(), right.n());
            prop_assert_eq!(left.overall(), right.overall());
            for code in 0..left.n_segments() as u32 {
                let seg = left.segments().get(code).unwrap();
                let j = right.segments().lookup(&seg).unwrap();
                prop_assert_eq!(left.segment_counts(code), right.segment_counts(j));
            }
            let mut w = Writer::new();
            left.encode(&mut w);
            let bytes = w.finish();
            prop_assert_eq!(SegmentedConfusion::decode(&mut Reader::new(&bytes)).unwrap(), left);
        }
    }

    fn best_of<F: FnMut()>(reps: usize, mut f: F) -> f64 {
        (0..reps)
            .map(|_| {
                let t0 = Instant::now();
                f();
                t0.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// `cargo test --release -p driftline-core metrics::confusion::tests::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "timing: prints figures for docs/benchmarks.md, asserts no speed"]
    fn timing() {
        let n = 10_000_000;
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        for k in [2u32, 10] {
            let (t, p) = rows(n, k, 1);
            let e = LabelEncoder::range(k).unwrap();
            let time = |pool: Option<&rayon::ThreadPool>| {
                best_of(7, || {
                    let mut m = ConfusionMatrix::new(e.clone()).unwrap();
                    match pool {
                        Some(pool) => pool.install(|| m.add(&t, &p).unwrap()),
                        None => m.add(&t, &p).unwrap(),
                    }
                    std::hint::black_box(&m);
                })
            };
            let floor = best_of(7, || {
                let s = t
                    .iter()
                    .zip(&p)
                    .fold(0u64, |s, (&a, &b)| s + u64::from(a ^ b));
                std::hint::black_box(s);
            });
            println!("memory floor (read both code arrays once): {floor:.2} ms");
            let (all, single) = (time(None), time(Some(&one)));
            println!("confusion k={k} n={n}: {all:.2} ms (all threads), {single:.2} ms (1 thread)");
            let mut r = SplitMix64::new(3);
            let g: Vec<u32> = (0..n).map(|_| (r.next_u64() % 20) as u32).collect();
            let seg = Int64Array::from(g.iter().map(|&x| x as i64).collect::<Vec<_>>());
            let mut proto = SegmentedConfusion::new(e.clone(), SegmentEncoder::new()).unwrap();
            let mut codes = Vec::new();
            proto.encode_segments(&seg, &mut codes).unwrap();
            let time_seg = |pool: Option<&rayon::ThreadPool>| {
                best_of(7, || {
                    let mut m = proto.clone();
                    match pool {
                        Some(pool) => pool.install(|| m.add(&t, &p, &codes).unwrap()),
                        None => m.add(&t, &p, &codes).unwrap(),
                    }
                    std::hint::black_box(&m);
                })
            };
            let (sall, ssingle) = (time_seg(None), time_seg(Some(&one)));
            println!(
                "segmented (20 segments) k={k}: {sall:.2} ms (all threads, {:.2}x), {ssingle:.2} ms (1 thread, {:.2}x)",
                sall / all,
                ssingle / single
            );
            let s: Vec<f64> = (0..n)
                .map(|_| (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
                .collect();
            if k == 2 {
                let th = best_of(7, || {
                    let mut m = ConfusionMatrix::new(e.clone()).unwrap();
                    m.add_threshold(&t, &s, 0.5).unwrap();
                    std::hint::black_box(&m);
                });
                println!("add_threshold n={n}: {th:.2} ms (all threads)");
            }
        }
        let (t, _) = rows(n, 10, 1);
        let labels = Int64Array::from(t.iter().map(|&x| x as i64).collect::<Vec<_>>());
        let e = LabelEncoder::range(12).unwrap();
        let enc = best_of(5, || {
            let mut out = Vec::with_capacity(n);
            e.encode(&labels, &mut out).unwrap();
            std::hint::black_box(&out);
        });
        let copy = best_of(5, || {
            let out: Vec<u32> = labels.values().iter().map(|&v| v as u32).collect();
            std::hint::black_box(&out);
        });
        println!(
            "LabelEncoder::encode Int64 0..k (identity) n={n}: {enc:.2} ms (plain i64 -> u32 copy: {copy:.2} ms)"
        );
    }
}
