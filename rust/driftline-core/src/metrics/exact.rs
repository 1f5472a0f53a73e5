//! Exact classification metrics on raw arrays, equal to scikit-learn's to rounding.
//!
//! * [`roc_auc`] is `sklearn.metrics.roc_auc_score` for a binary target: the Mann–Whitney
//!   statistic `U / (P·N)`, a tied (positive, negative) pair counting ½.
//! * [`average_precision`] is `sklearn.metrics.average_precision_score`: with the distinct
//!   scores `t₁ > t₂ > …` as thresholds (a row is predicted positive when its score is `>= t`),
//!   `AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ`, with recall `Rₙ` and precision `Pₙ` at threshold `tₙ` and `R₀ = 0`.
//! * [`roc_auc_ovr`] is `roc_auc_score(multi_class="ovr")` with `average="macro"` or
//!   `"weighted"`, and [`top_k_accuracy`] is `sklearn.metrics.top_k_accuracy_score`.
//!
//! Scores may be any non-NaN `f64`, infinities included (scikit-learn refuses infinities; their
//! order is well defined here). `-0.0` and `0.0` are the same score. NaN scores are refused with
//! [`Error::InvalidArgument`] naming their count, so the caller decides whether to drop them.
//!
//! Where scikit-learn returns NaN with a warning (a ROC AUC with a single class present, an
//! average precision without positives), these functions return [`Error::InsufficientData`].
//!
//! # Algorithm
//!
//! Scores map to order-preserving `u64` keys. One pass finds the range of the keys; the top 12
//! bits that vary over that range pick a bucket, and a counting pass plus a scatter pass (both
//! split over the rayon pool, each chunk writing to its own disjoint regions) group the keys by
//! bucket. Inside a bucket every key shares its high bits, so the label fits in the freed top
//! bit: each bucket sorts `key << 1 | label` (an LSD radix sort over only the bits that vary in
//! that bucket, skipping constant digits), after which one ascending walk over the tie groups
//! yields the bucket's share of `2U` (integer, exact) and of the average precision. Buckets are
//! independent given the per-bucket label counts of the counting pass, so they run in parallel.

use rayon::prelude::*;

use crate::error::{Error, Result};

/// A binary target value: whether a row is a positive.
pub trait BinaryLabel: Copy + Send + Sync {
    /// Whether the row is a positive.
    fn is_positive(self) -> bool;
}

impl BinaryLabel for bool {
    #[inline]
    fn is_positive(self) -> bool {
        self
    }
}

/// Any non-zero byte is a positive (a NumPy `bool` or `uint8` 0/1 array).
impl BinaryLabel for u8 {
    #[inline]
    fn is_positive(self) -> bool {
        self != 0
    }
}

/// How per-class one-vs-rest values are combined (scikit-learn's `average`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// Unweighted mean over the classes.
    Macro,
    /// Mean weighted by each class's number of rows (its prevalence in `y`).
    Weighted,
}

/// Exact ranking statistics of one binary problem, from one sort.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinaryRanking {
    /// Number of positive rows `P`.
    pub positives: u64,
    /// Number of negative rows `N`.
    pub negatives: u64,
    /// Twice the Mann–Whitney statistic: `2·#{pos > neg} + #{pos = neg}` over all pairs.
    pub twice_u: u128,
    /// `Σ (Rₙ − Rₙ₋₁)·Pₙ` over the distinct thresholds, times `P` (divide by `P` for AP).
    ap_sum: f64,
}

impl BinaryRanking {
    /// The ROC AUC `U / (P·N)`; [`Error::InsufficientData`] unless both classes are present.
    pub fn roc_auc(&self) -> Result<f64> {
        if self.positives == 0 || self.negatives == 0 {
            return Err(Error::InsufficientData(format!(
                "ROC AUC needs both classes; got {} positives and {} negatives",
                self.positives, self.negatives
            )));
        }
        Ok(self.twice_u as f64 / (2.0 * self.positives as f64 * self.negatives as f64))
    }

    /// The average precision; [`Error::InsufficientData`] without positives (it is 1 when every
    /// row is a positive).
    pub fn average_precision(&self) -> Result<f64> {
        if self.positives == 0 {
            return Err(Error::InsufficientData(format!(
                "average precision needs at least one positive; got {} negatives only",
                self.negatives
            )));
        }
        Ok(self.ap_sum / self.positives as f64)
    }
}

/// `sklearn.metrics.roc_auc_score(positive, scores)` for a binary target.
///
/// Errors: [`Error::InvalidArgument`] on length mismatch or NaN scores (with their count),
/// [`Error::InsufficientData`] unless both classes are present.
pub fn roc_auc<L: BinaryLabel>(scores: &[f64], positive: &[L]) -> Result<f64> {
    binary_ranking(scores, positive)?.roc_auc()
}

/// `sklearn.metrics.average_precision_score(positive, scores)`.
///
/// Errors: [`Error::InvalidArgument`] on length mismatch or NaN scores (with their count),
/// [`Error::InsufficientData`] without positives.
pub fn average_precision<L: BinaryLabel>(scores: &[f64], positive: &[L]) -> Result<f64> {
    binary_ranking(scores, positive)?.average_precision()
}

/// ROC AUC and average precision from one sort (see [`BinaryRanking`]).
///
/// Errors: [`Error::InvalidArgument`] on length mismatch or NaN scores (with their count).
pub fn binary_ranking<L: BinaryLabel>(scores: &[f64], positive: &[L]) -> Result<BinaryRanking> {
    if scores.len() != positive.len() {
        return Err(Error::invalid(format!(
            "{} scores but {} labels",
            scores.len(),
            positive.len()
        )));
    }
    ranking(scores.len(), |i| {
        Some((scores[i], positive[i].is_positive()))
    })
}

/// `sklearn.metrics.roc_auc_score(y, scores, multi_class="ovr", average=…, labels=range(k))`.
///
/// `scores` is row-major `n × k`; `y[i]` is the class index of row `i`, and rows with `y[i] >= k`
/// (unknown label) are skipped. Each class's AUC ranks column `c` against `y == c`. Rows are
/// not required to sum to 1 (scikit-learn refuses rows that do not).
///
/// Errors: [`Error::InvalidArgument`] on shape mismatch, `k < 2` or NaN scores,
/// [`Error::InsufficientData`] when some class has no row, or every row is of one class.
pub fn roc_auc_ovr(scores: &[f64], y: &[u32], k: usize, average: Average) -> Result<f64> {
    check_shape(scores, y, k)?;
    if k < 2 {
        return Err(Error::invalid(format!(
            "need at least 2 classes, got k = {k}"
        )));
    }
    let per_class: Vec<Result<BinaryRanking>> = (0..k)
        .into_par_iter()
        .map(|c| {
            ranking(y.len(), |i| {
                let yi = y[i] as usize;
                (yi < k).then(|| (scores[i * k + c], yi == c))
            })
        })
        .collect();
    let mut total = 0.0;
    let mut weight = 0.0;
    for (c, r) in per_class.into_iter().enumerate() {
        let r = r?;
        let auc = r.roc_auc().map_err(|_| {
            Error::InsufficientData(format!(
                "one-vs-rest ROC AUC of class {c} is undefined: {} rows of the class and {} of others",
                r.positives, r.negatives
            ))
        })?;
        let w = match average {
            Average::Macro => 1.0,
            Average::Weighted => r.positives as f64,
        };
        total += w * auc;
        weight += w;
    }
    Ok(total / weight)
}

/// `sklearn.metrics.top_k_accuracy_score(y, scores, k=k_top, labels=range(k))` for row-major
/// `n × k` scores: the fraction of rows whose true class is among the `k_top` highest scores.
///
/// Ties are broken as scikit-learn does (a stable ascending argsort, reversed): among equal
/// scores the higher class index ranks first. So class `y` is a hit when fewer than `k_top`
/// classes `c` have `s_c > s_y`, or `s_c == s_y` and `c > y`. Rows with `y[i] >= k` are skipped.
/// (scikit-learn takes a one-column score for a binary target and thresholds it at 0.5; with
/// `k = 2` columns this function applies the multiclass rule above.)
///
/// Errors: [`Error::InvalidArgument`] on shape mismatch, `k_top == 0` or NaN scores,
/// [`Error::InsufficientData`] when no row has a known label.
pub fn top_k_accuracy(scores: &[f64], y: &[u32], k: usize, k_top: usize) -> Result<f64> {
    check_shape(scores, y, k)?;
    if k_top == 0 {
        return Err(Error::invalid("k_top must be at least 1"));
    }
    let (hits, known, nan) = y
        .par_iter()
        .enumerate()
        .with_min_len(1 << 14)
        .fold(
            || (0u64, 0u64, 0u64),
            |(h, n, bad), (i, &yi)| {
                let row = &scores[i * k..(i + 1) * k];
                let bad = bad + row.iter().filter(|s| s.is_nan()).count() as u64;
                let yi = yi as usize;
                if yi >= k {
                    return (h, n, bad);
                }
                (h + u64::from(true_class_rank(row, yi) < k_top), n + 1, bad)
            },
        )
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    if nan > 0 {
        return Err(Error::invalid(format!("{nan} scores are NaN")));
    }
    if known == 0 {
        return Err(Error::InsufficientData(
            "top-k accuracy needs at least one row with a known label".into(),
        ));
    }
    Ok(hits as f64 / known as f64)
}

/// 0-based rank of class `y` in `row` under scikit-learn's order: descending score, ties to the
/// higher class index.
#[inline]
pub(crate) fn true_class_rank(row: &[f64], y: usize) -> usize {
    let sy = row[y];
    let above = row[..y].iter().filter(|&&s| s > sy).count();
    let after = row[y + 1..].iter().filter(|&&s| s >= sy).count();
    above + after
}

fn check_shape(scores: &[f64], y: &[u32], k: usize) -> Result<()> {
    if k == 0 || y.len().checked_mul(k) != Some(scores.len()) {
        return Err(Error::invalid(format!(
            "scores must hold {} rows of k = {k} values; got {} values",
            y.len(),
            scores.len()
        )));
    }
    Ok(())
}

/// Order-preserving map of a non-NaN `f64` to `u64` (`-0.0` maps like `0.0`).
#[inline(always)]
pub(crate) fn order_key(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    b ^ ((((b as i64) >> 63) as u64) | (1 << 63))
}

/// Bits of the first (bucketing) digit.
const TOP_BITS: u32 = 12;
/// Inputs at least this long use the bucketing pass; shorter ones sort in one bucket pair.
const BUCKET_MIN: usize = 1 << 15;
/// Rows per parallel chunk of the scanning passes (at least).
const CHUNK_MIN: usize = 1 << 16;
/// Bits per LSD digit inside a bucket.
const LSD_BITS: u32 = 11;
/// Buckets shorter than this use the standard library's sort.
const LSD_MIN: usize = 384;

#[derive(Clone, Copy)]
struct Scan {
    nan: u64,
    pos: u64,
    neg: u64,
    min: u64,
    max: u64,
}

/// Exact ranking statistics of the rows for which `row(i)` is `Some((score, positive))`.
fn ranking<F>(n: usize, row: F) -> Result<BinaryRanking>
where
    F: Fn(usize) -> Option<(f64, bool)> + Sync,
{
    let chunks = if n >= 2 * CHUNK_MIN {
        rayon::current_num_threads().max(1) * 2
    } else {
        1
    };
    let chunk_len = n.div_ceil(chunks).max(1);
    let ranges: Vec<(usize, usize)> = (0..n)
        .step_by(chunk_len)
        .map(|s| (s, (s + chunk_len).min(n)))
        .collect();

    // Pass 1: NaNs, class counts, key range.
    let scan = ranges
        .par_iter()
        .map(|&(a, b)| {
            let mut s = Scan {
                nan: 0,
                pos: 0,
                neg: 0,
                min: u64::MAX,
                max: 0,
            };
            for i in a..b {
                if let Some((x, y)) = row(i) {
                    if x.is_nan() {
                        s.nan += 1;
                        continue;
                    }
                    let k = order_key(x);
                    s.min = s.min.min(k);
                    s.max = s.max.max(k);
                    if y {
                        s.pos += 1;
                    } else {
                        s.neg += 1;
                    }
                }
            }
            s
        })
        .reduce(
            || Scan {
                nan: 0,
                pos: 0,
                neg: 0,
                min: u64::MAX,
                max: 0,
            },
            |a, b| Scan {
                nan: a.nan + b.nan,
                pos: a.pos + b.pos,
                neg: a.neg + b.neg,
                min: a.min.min(b.min),
                max: a.max.max(b.max),
            },
        );
    if scan.nan > 0 {
        return Err(Error::invalid(format!("{} scores are NaN", scan.nan)));
    }
    let (pos, neg) = (scan.pos, scan.neg);
    let m = (pos + neg) as usize;
    let mut out = BinaryRanking {
        positives: pos,
        negatives: neg,
        twice_u: 0,
        ap_sum: 0.0,
    };
    if pos == 0 {
        return Ok(out);
    }
    if neg == 0 || scan.min == scan.max {
        // One threshold: every pair is tied, precision is the prevalence.
        out.twice_u = u128::from(pos) * u128::from(neg);
        out.ap_sum = pos as f64 * (pos as f64 / m as f64);
        return Ok(out);
    }

    // Bucket digit: the top varying bits of the key range.
    let hb = 63 - (scan.min ^ scan.max).leading_zeros();
    let top = if m >= BUCKET_MIN { TOP_BITS } else { 1 };
    let width = top.min(hb + 1);
    let shift = hb + 1 - width;
    let nb = 1usize << width;
    let mask = (nb - 1) as u64;
    let bucket = move |k: u64| ((k >> shift) & mask) as usize;

    // Pass 2: per-chunk counts by bucket and label (index 2·bucket + label).
    let counts: Vec<Vec<u32>> = ranges
        .par_iter()
        .map(|&(a, b)| {
            let mut c = vec![0u32; 2 * nb];
            for i in a..b {
                if let Some((x, y)) = row(i) {
                    c[2 * bucket(order_key(x)) + usize::from(y)] += 1;
                }
            }
            c
        })
        .collect();

    // Disjoint output regions: bucket-major, chunk-minor.
    let mut keys = vec![0u64; m];
    let mut regions: Vec<Vec<&mut [u64]>> = (0..ranges.len()).map(|_| Vec::new()).collect();
    let mut bucket_pos = vec![0u64; nb];
    let mut bucket_neg = vec![0u64; nb];
    {
        let mut rest: &mut [u64] = &mut keys;
        for b in 0..nb {
            for (c, cnt) in counts.iter().enumerate() {
                let len = (cnt[2 * b] + cnt[2 * b + 1]) as usize;
                bucket_neg[b] += u64::from(cnt[2 * b]);
                bucket_pos[b] += u64::from(cnt[2 * b + 1]);
                let (head, tail) = rest.split_at_mut(len);
                regions[c].push(head);
                rest = tail;
            }
        }
    }
    drop(counts);

    // Pass 3: scatter `key << 1 | label` into the regions (the dropped top bit is common to a
    // bucket: it is either above the varying range or part of the bucket digit).
    ranges
        .par_iter()
        .zip(regions.par_iter_mut())
        .for_each(|(&(a, b), regs)| {
            let mut cur = vec![0usize; nb];
            for i in a..b {
                if let Some((x, y)) = row(i) {
                    let k = order_key(x);
                    let bk = bucket(k);
                    regs[bk][cur[bk]] = (k << 1) | u64::from(y);
                    cur[bk] += 1;
                }
            }
        });
    drop(regions);

    // Per bucket: sort, then walk the tie groups.
    let mut tasks = Vec::with_capacity(nb);
    {
        let mut rest: &mut [u64] = &mut keys;
        let (mut neg_below, mut pos_ge, mut neg_ge) = (0u64, pos, neg);
        for b in 0..nb {
            let len = (bucket_pos[b] + bucket_neg[b]) as usize;
            let (head, tail) = rest.split_at_mut(len);
            rest = tail;
            if len > 0 {
                tasks.push((head, neg_below, pos_ge, neg_ge));
            }
            neg_below += bucket_neg[b];
            pos_ge -= bucket_pos[b];
            neg_ge -= bucket_neg[b];
        }
    }
    let parts: Vec<(u128, f64)> = tasks
        .into_par_iter()
        .map_init(Vec::new, |scratch, (v, neg_below, pos_ge, neg_ge)| {
            sort_keys(v, scratch);
            walk(v, neg_below, pos_ge, neg_ge)
        })
        .collect();
    for (u, ap) in parts {
        out.twice_u += u;
        out.ap_sum += ap;
    }
    Ok(out)
}

/// `2U` and `Σ pₜ·precisionₜ` of a sorted bucket of `key << 1 | label` values, given the
/// negatives below the bucket and the positives and negatives in and above it.
fn walk(v: &[u64], mut neg_below: u64, mut pos_ge: u64, mut neg_ge: u64) -> (u128, f64) {
    let mut twice_u: u128 = 0;
    let mut ap = 0.0;
    let mut i = 0;
    while i < v.len() {
        let key = v[i] >> 1;
        let mut j = i + 1;
        while j < v.len() && v[j] >> 1 == key {
            j += 1;
        }
        // Negatives (label 0) sort first within a group.
        let p = v[i..j].iter().filter(|&&x| x & 1 == 1).count() as u64;
        let n = (j - i) as u64 - p;
        if p > 0 {
            twice_u += u128::from(p) * u128::from(2 * neg_below + n);
            ap += p as f64 * (pos_ge as f64 / (pos_ge + neg_ge) as f64);
        }
        neg_below += n;
        pos_ge -= p;
        neg_ge -= n;
        i = j;
    }
    (twice_u, ap)
}

/// Sort `v` ascending: LSD radix over the bits that vary in `v`, skipping constant digits.
pub(crate) fn sort_keys(v: &mut [u64], scratch: &mut Vec<u64>) {
    if v.len() < LSD_MIN {
        v.sort_unstable();
        return;
    }
    let (and, or) = v.iter().fold((u64::MAX, 0u64), |(a, o), &x| (a & x, o | x));
    let varying = and ^ or;
    if varying == 0 {
        return;
    }
    let lo = varying.trailing_zeros();
    let bits = 64 - varying.leading_zeros() - lo;
    let passes = bits.div_ceil(LSD_BITS);
    let digit = bits.div_ceil(passes);
    let radix = 1usize << digit;
    let dmask = (radix - 1) as u64;
    let mut hist = vec![0usize; radix * passes as usize];
    for &x in v.iter() {
        let y = x >> lo;
        for p in 0..passes as usize {
            hist[p * radix + ((y >> (p as u32 * digit)) & dmask) as usize] += 1;
        }
    }
    scratch.clear();
    scratch.resize(v.len(), 0);
    let mut in_v = true;
    for p in 0..passes as usize {
        let h = &mut hist[p * radix..(p + 1) * radix];
        if h.contains(&v.len()) {
            continue;
        }
        let mut sum = 0;
        for c in h.iter_mut() {
            let t = *c;
            *c = sum;
            sum += t;
        }
        let s = lo + p as u32 * digit;
        let (src, dst): (&[u64], &mut [u64]) = if in_v { (v, scratch) } else { (scratch, v) };
        for &x in src {
            let d = ((x >> s) & dmask) as usize;
            dst[h[d]] = x;
            h[d] += 1;
        }
        in_v = !in_v;
    }
    if !in_v {
        v.copy_from_slice(scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use proptest::prelude::*;

    /// O(n²) Mann–Whitney reference.
    fn naive_auc(s: &[f64], y: &[bool]) -> f64 {
        let (mut u, mut p, mut n) = (0.0, 0.0, 0.0);
        for &b in y {
            if b {
                p += 1.0;
            } else {
                n += 1.0;
            }
        }
        for i in 0..s.len() {
            for j in 0..s.len() {
                if y[i] && !y[j] {
                    u += if s[i] > s[j] {
                        1.0
                    } else if s[i] == s[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        u / (p * n)
    }

    /// Reference AP: distinct thresholds descending, `Σ ΔR·P`.
    fn naive_ap(s: &[f64], y: &[bool]) -> f64 {
        let mut t: Vec<f64> = s.iter().map(|x| x + 0.0).collect();
        t.sort_by(|a, b| b.total_cmp(a));
        t.dedup();
        let p_all = y.iter().filter(|&&b| b).count() as f64;
        let (mut ap, mut prev_r) = (0.0, 0.0);
        for th in t {
            let tp = (0..s.len()).filter(|&i| y[i] && s[i] >= th).count() as f64;
            let fp = (0..s.len()).filter(|&i| !y[i] && s[i] >= th).count() as f64;
            let r = tp / p_all;
            ap += (r - prev_r) * tp / (tp + fp);
            prev_r = r;
        }
        ap
    }

    fn uniform(r: &mut SplitMix64) -> f64 {
        (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn sklearn_fixtures() {
        // Values from scikit-learn 1.9.1.
        let s = [0.1, 0.4, 0.35, 0.8];
        let y = [false, false, true, true];
        assert!((roc_auc(&s, &y).unwrap() - 0.75).abs() < 1e-12);
        assert!((average_precision(&s, &y).unwrap() - 0.8333333333333333).abs() < 1e-12);
        // Heavy ties: y = [0,1,0,1,1,0,1,0], s = [.5,.5,.2,.9,.5,.9,.2,.2].
        let s = [0.5, 0.5, 0.2, 0.9, 0.5, 0.9, 0.2, 0.2];
        let y: Vec<u8> = vec![0, 1, 0, 1, 1, 0, 1, 0];
        assert!((roc_auc(&s, &y).unwrap() - 0.59375).abs() < 1e-12);
        assert!((average_precision(&s, &y).unwrap() - 0.55).abs() < 1e-12);
        // All scores equal.
        let s = [0.3; 5];
        let y = [true, false, false, true, false];
        assert_eq!(roc_auc(&s, &y).unwrap(), 0.5);
        assert!((average_precision(&s, &y).unwrap() - 0.4).abs() < 1e-15);
        // Single-element classes.
        let s = [0.2, 0.7, 0.1, 0.9];
        let y = [false, true, false, false];
        assert!((roc_auc(&s, &y).unwrap() - 2.0 / 3.0).abs() < 1e-15);
        assert!((average_precision(&s, &y).unwrap() - 0.5).abs() < 1e-15);
        // -0.0 ties with 0.0.
        assert_eq!(roc_auc(&[-0.0, 0.0], &[true, false]).unwrap(), 0.5);
    }

    #[test]
    fn undefined_and_invalid() {
        assert!(matches!(
            roc_auc(&[0.1, 0.2], &[true, true]),
            Err(Error::InsufficientData(_))
        ));
        assert!(matches!(
            roc_auc::<bool>(&[], &[]),
            Err(Error::InsufficientData(_))
        ));
        assert!(matches!(
            average_precision(&[0.1, 0.2], &[false, false]),
            Err(Error::InsufficientData(_))
        ));
        assert_eq!(average_precision(&[0.1, 0.2], &[true, true]).unwrap(), 1.0);
        let e = roc_auc(&[0.1, f64::NAN, f64::NAN], &[true, false, true]).unwrap_err();
        assert!(matches!(&e, Error::InvalidArgument(m) if m.starts_with("2 ")));
        assert!(roc_auc(&[0.1], &[true, false]).is_err());
        assert_eq!(
            roc_auc(&[f64::NEG_INFINITY, f64::INFINITY], &[false, true]).unwrap(),
            1.0
        );
    }

    #[test]
    fn large_inputs_match_references() {
        // Bucketed path, continuous and heavily tied scores, both signs.
        let mut r = SplitMix64::new(11);
        let n = 200_003;
        let y: Vec<bool> = (0..n).map(|_| r.next_u64() % 3 == 0).collect();
        let cont: Vec<f64> = y
            .iter()
            .map(|&b| uniform(&mut r) + if b { 0.3 } else { 0.0 })
            .collect();
        let tied: Vec<f64> = cont.iter().map(|x| (x * 50.0).round() / 50.0).collect();
        let signed: Vec<f64> = cont.iter().map(|x| (x - 0.6) * 1e5).collect();
        for s in [&cont, &tied, &signed] {
            let fast = binary_ranking(s, &y).unwrap();
            // O(n log n) reference: sort pairs, walk tie groups.
            let mut idx: Vec<usize> = (0..n).collect();
            idx.sort_by(|&a, &b| s[a].total_cmp(&s[b]));
            let (mut u2, mut neg_below, mut i) = (0u128, 0u64, 0);
            while i < n {
                let mut j = i;
                let (mut p, mut q) = (0u64, 0u64);
                while j < n && s[idx[j]] == s[idx[i]] {
                    if y[idx[j]] {
                        p += 1
                    } else {
                        q += 1
                    }
                    j += 1;
                }
                u2 += u128::from(p) * u128::from(2 * neg_below + q);
                neg_below += q;
                i = j;
            }
            assert_eq!(fast.twice_u, u2);
            // AP reference over distinct thresholds, descending.
            let pos = fast.positives as f64;
            let (mut ap, mut tp, mut fp, mut i) = (0.0, 0.0, 0.0, n);
            while i > 0 {
                let mut j = i;
                let mut p = 0.0;
                while j > 0 && s[idx[j - 1]] == s[idx[i - 1]] {
                    if y[idx[j - 1]] {
                        p += 1.0;
                        tp += 1.0;
                    } else {
                        fp += 1.0;
                    }
                    j -= 1;
                }
                ap += p / pos * tp / (tp + fp);
                i = j;
            }
            assert!((fast.average_precision().unwrap() - ap).abs() < 1e-11);
        }
    }

    #[test]
    fn multiclass_fixtures() {
        // scikit-learn 1.9.1: roc_auc_score(y, s, multi_class="ovr", average=…) and
        // top_k_accuracy_score(y, s, k=…, labels=[0, 1, 2]).
        let s = [
            0.2, 0.5, 0.3, //
            0.6, 0.2, 0.2, //
            0.1, 0.1, 0.8, //
            0.3, 0.3, 0.4, //
            0.4, 0.4, 0.2, //
            0.2, 0.6, 0.2, //
        ];
        let y = [1, 0, 2, 0, 1, 2];
        let macro_ = roc_auc_ovr(&s, &y, 3, Average::Macro).unwrap();
        let weighted = roc_auc_ovr(&s, &y, 3, Average::Weighted).unwrap();
        assert!((macro_ - 0.75).abs() < 1e-12, "{macro_}");
        assert!((weighted - 0.75).abs() < 1e-12, "{weighted}");
        assert!((top_k_accuracy(&s, &y, 3, 1).unwrap() - 0.6666666666666666).abs() < 1e-12);
        assert!((top_k_accuracy(&s, &y, 3, 2).unwrap() - 0.8333333333333334).abs() < 1e-12);
        // Unknown labels are skipped.
        let y2 = [1, 0, 2, 0, 1, 2, 7];
        let mut s2 = s.to_vec();
        s2.extend_from_slice(&[0.0, 0.0, 1.0]);
        assert_eq!(top_k_accuracy(&s2, &y2, 3, 1).unwrap(), 4.0 / 6.0);
        assert_eq!(roc_auc_ovr(&s2, &y2, 3, Average::Macro).unwrap(), macro_);
        assert!(top_k_accuracy(&s, &y, 3, 0).is_err());
        assert!(top_k_accuracy(&s[1..], &y, 3, 1).is_err());
        assert!(matches!(
            roc_auc_ovr(&s, &[0, 0, 2, 0, 0, 2], 3, Average::Macro),
            Err(Error::InsufficientData(_))
        ));
    }

    #[test]
    fn top_k_ties_follow_sklearn() {
        // sklearn: top_k_accuracy_score([0, 1, 2], [[.5,.5,.5]]*3, k=1, labels=[0,1,2]) = 1/3
        // (class 2 ranks first), with k=2 it is 2/3.
        let s = [0.5; 9];
        assert_eq!(top_k_accuracy(&s, &[0, 1, 2], 3, 1).unwrap(), 1.0 / 3.0);
        assert_eq!(top_k_accuracy(&s, &[0, 1, 2], 3, 2).unwrap(), 2.0 / 3.0);
    }

    proptest! {
        #[test]
        fn matches_naive(
            rows in prop::collection::vec((0u8..12, any::<bool>()), 1..120),
            scale in prop_oneof![Just(1.0f64), Just(-3.5), Just(1e-300)],
        ) {
            let s: Vec<f64> = rows.iter().map(|(v, _)| f64::from(*v) * scale).collect();
            let y: Vec<bool> = rows.iter().map(|(_, b)| *b).collect();
            let p = y.iter().filter(|&&b| b).count();
            match roc_auc(&s, &y) {
                Ok(a) => prop_assert!((a - naive_auc(&s, &y)).abs() < 1e-12),
                Err(_) => prop_assert!(p == 0 || p == y.len()),
            }
            if p > 0 {
                let ap = average_precision(&s, &y).unwrap();
                prop_assert!((ap - naive_ap(&s, &y)).abs() < 1e-12);
            }
        }

        #[test]
        fn radix_sort_sorts(mut v in prop::collection::vec(any::<u64>(), 0..3000), shift in 0u32..40) {
            for x in v.iter_mut() {
                *x >>= shift;
            }
            let mut want = v.clone();
            want.sort_unstable();
            let mut scratch = Vec::new();
            sort_keys(&mut v, &mut scratch);
            prop_assert_eq!(v, want);
        }
    }
}
