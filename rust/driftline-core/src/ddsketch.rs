//! A relative-error quantile sketch of the DDSketch family (Masson, Rim and Lee, VLDB 2019).
//!
//! # Guarantee
//!
//! For a relative accuracy `alpha`, [`DDSketch::quantile`] returns a value within relative error
//! `alpha` of the exact item it targets (the item of 0-based rank `floor(q * (n - 1))` in sorted
//! order, the "lower" rule of `numpy.quantile`), as long as that item sits in a bucket that was
//! never collapsed (see below). The rank-0 and rank-`n - 1` items are returned exactly (the sketch
//! keeps the exact minimum and maximum). Values of magnitude below `f64::MIN_POSITIVE` (subnormal
//! numbers) are counted and ordered correctly, but the bound is then limited by their own reduced
//! precision.
//!
//! # Mapping
//!
//! Positive magnitudes are mapped to integer bucket keys without calling `ln`. Write a normal
//! `f64` as `x = s * 2^e` with `s` in `[1, 2)`; its bit pattern read as an integer and scaled by
//! `2^-52` is `e + 1023 + (s - 1)`. So `L(x) = e + (s - 1)` costs one integer-to-float conversion:
//! it is `log2(x)` with the logarithm replaced by its linear interpolation between powers of two.
//! Subnormal numbers are first scaled by `2^52`, which makes them normal, and `52` is subtracted.
//! The key is `floor(m * (L(x) + 1087))` (the shift keeps every key non-negative).
//!
//! On each octave, `L` is affine in `x` with `dL/d ln(x) = x / 2^e`, which lies in `[1, 2)`. A
//! bucket has width `1 / m` in `L`, hence width at most `1 / m` in `ln(x)`. With
//! `gamma = (1 + alpha) / (1 - alpha)` and `m = 1 / ln(gamma)`, every bucket `[lo, hi]` satisfies
//! `hi <= gamma * lo`, and its representative `2 * lo * hi / (lo + hi)` is within relative
//! `(hi - lo) / (hi + lo) <= alpha` of every value in the bucket. The multiplier is raised by a
//! factor `1 + 1e-7`, a margin that absorbs the floating-point rounding of the key and of the
//! inverse map, so the bound holds strictly. The mapping needs about `1 / ln(2) = 1.44` times as
//! many buckets as the exact logarithmic mapping (about `1 / (2 * alpha)` buckets per octave).
//!
//! `ln(gamma)` is computed as `2 * atanh(alpha)` with a power series that uses only correctly
//! rounded arithmetic, so bucket keys are bit-for-bit identical on every IEEE-754 platform and
//! sketches built on different machines merge exactly.
//!
//! # Stores and collapsing
//!
//! Exact zeros (including `-0.0`) have their own counter; positive values and the magnitudes of
//! negative values go to two dense stores (a `Vec<u64>` with a key offset, grown on demand). Each
//! store spans at most `max_buckets` keys. When a new key would widen a store beyond that, the
//! buckets of **lowest magnitude** are collapsed into one (the `CollapsingLowestDenseStore` of the
//! reference implementations): for positive values this sacrifices the accuracy of the smallest
//! values, for negative values that of the values closest to zero, while both tails (which matter
//! for latency and drift monitoring) keep the bound. With the defaults (`alpha = 0.01`, 4096
//! buckets) a store covers a ratio of about `2^82 = 5e24` between its largest and smallest
//! magnitude before anything collapses.
//!
//! The final content of a store depends only on the multiset of keys it received (key `k` ends in
//! bucket `max(k, K - max_buckets + 1)` once the keys seen span more than `max_buckets`, where `K`
//! is the largest key), so the sketch is deterministic: insertion order and merge order do not
//! change any bucket count, and merging equals a single pass over the concatenated data.
//!
//! The exact count, minimum, maximum and (floating-point) sum are kept alongside.

use crate::codec::{ensure, open, seal, Kind, Reader, Writer};
use crate::error::{Error, Result};

/// Smallest accepted relative accuracy.
const MIN_ALPHA: f64 = 1e-4;
/// Largest accepted relative accuracy.
const MAX_ALPHA: f64 = 0.5;
/// Smallest accepted number of buckets per store.
const MIN_BUCKETS: usize = 16;
/// Largest accepted number of buckets per store.
const MAX_BUCKETS: usize = 1 << 24;
/// Safety factor applied to the multiplier; absorbs the rounding of key and bound computations.
const MULTIPLIER_MARGIN: f64 = 1.0 + 1e-7;
/// Added to `L(x)` so that every key is non-negative (`L >= -1074` for every positive `f64`).
const LOG_SHIFT: f64 = 1087.0;
/// `2^52`, exact.
const TWO_POW_52: f64 = 4_503_599_627_370_496.0;
/// `2^-52`, exact.
const TWO_POW_M52: f64 = 1.0 / TWO_POW_52;
/// Sign bit of an `f64`.
const SIGN_MASK: u64 = 1 << 63;
/// Bit pattern of `f64::MIN_POSITIVE`: magnitudes below it are subnormal.
const MIN_NORMAL_BITS: u64 = 1 << 52;
/// Smallest allocation of a store, in buckets.
const MIN_ALLOC: usize = 64;

/// `2 * atanh(alpha) = ln((1 + alpha) / (1 - alpha))` with basic arithmetic only (deterministic).
fn ln_gamma(alpha: f64) -> f64 {
    let a2 = alpha * alpha;
    let mut power = alpha;
    let mut sum = 0.0;
    for k in 0..400u32 {
        let term = power / f64::from(2 * k + 1);
        sum += term;
        if term <= sum * 1e-18 {
            break;
        }
        power *= a2;
    }
    2.0 * sum
}

/// `2^e` for any integer `e` (0 below the subnormal range, infinity above the normal range).
fn pow2(e: i64) -> f64 {
    if e > 1023 {
        f64::INFINITY
    } else if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else if e >= -1074 {
        f64::from_bits(1u64 << (e + 1074))
    } else {
        0.0
    }
}

/// The value-to-key map and its inverse.
#[derive(Debug, Clone, Copy)]
struct Mapping {
    /// Buckets per unit of `L` (per octave).
    multiplier: f64,
    /// `multiplier * 2^-52`: applied to the raw bit pattern.
    bits_scale: f64,
    /// Key shift for normal values (`L + 1087 = bits * 2^-52 + 64`).
    normal_shift: f64,
    /// Key shift for subnormal values scaled by `2^52`.
    subnormal_shift: f64,
}

impl Mapping {
    fn new(alpha: f64) -> Self {
        let multiplier = MULTIPLIER_MARGIN / ln_gamma(alpha);
        Self {
            multiplier,
            bits_scale: multiplier * TWO_POW_M52,
            normal_shift: (LOG_SHIFT - 1023.0) * multiplier,
            subnormal_shift: (LOG_SHIFT - 1023.0 - 52.0) * multiplier,
        }
    }

    /// Key of a positive finite magnitude given by its bit pattern (sign bit clear, not zero).
    #[inline(always)]
    fn key_of_bits(&self, bits: u64) -> i64 {
        if bits >= MIN_NORMAL_BITS {
            // Positive, so truncation is the floor.
            ((bits as i64) as f64 * self.bits_scale + self.normal_shift) as i64
        } else {
            self.key_of_subnormal(bits)
        }
    }

    #[cold]
    #[inline(never)]
    fn key_of_subnormal(&self, bits: u64) -> i64 {
        let scaled = (f64::from_bits(bits) * TWO_POW_52).to_bits();
        ((scaled as i64) as f64 * self.bits_scale + self.subnormal_shift) as i64
    }

    /// Key of a positive finite magnitude.
    fn key(&self, magnitude: f64) -> i64 {
        self.key_of_bits(magnitude.to_bits() & !SIGN_MASK)
    }

    /// Lower bound of the bucket of `key` (the inverse of the piecewise-linear map).
    fn lower(&self, key: i64) -> f64 {
        let l = key as f64 / self.multiplier - LOG_SHIFT;
        let e = l.floor();
        // No positive `f64` lies below the smallest subnormal.
        (pow2(e as i64) * (1.0 + (l - e))).max(f64::from_bits(1))
    }

    /// Upper bound of the bucket of `key`, capped at `f64::MAX`.
    fn upper(&self, key: i64) -> f64 {
        self.lower(key + 1).min(f64::MAX)
    }

    /// Representative of the bucket of `key`: `2 lo hi / (lo + hi)`, computed without overflow.
    fn value(&self, key: i64) -> f64 {
        let lo = self.lower(key);
        let hi = self.upper(key);
        lo * (2.0 / (1.0 + lo / hi))
    }

    /// Smallest key any positive `f64` maps to.
    fn min_key(&self) -> i64 {
        self.key_of_bits(1)
    }

    /// Largest key any finite `f64` maps to.
    fn max_key(&self) -> i64 {
        self.key(f64::MAX)
    }
}

/// A dense store of bucket counts that collapses its lowest keys to stay within `max_buckets`.
///
/// `counts[i]` is the count of key `offset + i`. Invariants: `counts.len() <= max_buckets`; when
/// `collapsed`, `counts.len() == max_buckets` and the last entry is the largest key seen, so the
/// first entry is the bucket that absorbs every lower key.
#[derive(Debug, Clone, Default)]
struct Store {
    counts: Vec<u64>,
    offset: i64,
    collapsed: bool,
}

impl Store {
    #[inline(always)]
    fn add(&mut self, key: i64, max_buckets: usize) {
        let i = key.wrapping_sub(self.offset) as usize;
        if let Some(c) = self.counts.get_mut(i) {
            *c += 1;
        } else {
            self.add_slow(key, 1, max_buckets);
        }
    }

    #[cold]
    #[inline(never)]
    fn add_slow(&mut self, key: i64, n: u64, max_buckets: usize) {
        if !(self.collapsed && key < self.offset) {
            self.reserve(key, key, false, max_buckets);
        }
        let idx = (key.max(self.offset) - self.offset) as usize;
        self.counts[idx] += n;
    }

    /// First and last non-empty keys.
    fn range(&self) -> Option<(i64, i64)> {
        let first = self.counts.iter().position(|&c| c != 0)?;
        let last = self.counts.iter().rposition(|&c| c != 0)?;
        Some((self.offset + first as i64, self.offset + last as i64))
    }

    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    fn is_empty(&self) -> bool {
        self.counts.iter().all(|&c| c == 0)
    }

    /// Non-empty `(key, count)` pairs in ascending key order.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, u64)> + '_ {
        let offset = self.offset;
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c != 0)
            .map(move |(i, &c)| (offset + i as i64, c))
    }

    /// The bucket key `key` is counted in (differs from `key` only below a collapsed store).
    fn bucket_of(&self, key: i64) -> i64 {
        if self.collapsed {
            key.max(self.offset)
        } else {
            key
        }
    }

    /// Make room for keys `lo..=hi`, collapsing the lowest keys if the span would exceed
    /// `max_buckets` (or if `force_collapse`, which lays out an exactly full store as collapsed).
    fn reserve(&mut self, lo: i64, hi: i64, force_collapse: bool, max_buckets: usize) {
        let (new_min, new_max) = match self.range() {
            None => (lo, hi),
            Some((a, z)) => (a.min(lo), z.max(hi)),
        };
        let span = (new_max - new_min + 1) as usize;
        let width = max_buckets as i64;
        if span > max_buckets || force_collapse || self.collapsed {
            if self.collapsed && !force_collapse && span <= max_buckets {
                // A collapsed store spans exactly `max_buckets` keys ending at its largest key, so
                // a range that does not widen it is already covered.
                return;
            }
            let lowest = new_max - width + 1;
            let mut counts = vec![0u64; max_buckets];
            for (k, c) in self.iter() {
                counts[(k.max(lowest) - lowest) as usize] += c;
            }
            self.counts = counts;
            self.offset = lowest;
            self.collapsed = true;
            return;
        }
        let top = self.offset + self.counts.len() as i64 - 1;
        if !self.counts.is_empty() && new_min >= self.offset && new_max <= top {
            return;
        }
        let len = span.saturating_mul(2).max(MIN_ALLOC).min(max_buckets);
        let start = new_min - ((len - span) / 2) as i64;
        let mut counts = vec![0u64; len];
        for (k, c) in self.iter() {
            counts[(k - start) as usize] = c;
        }
        self.counts = counts;
        self.offset = start;
    }

    fn merge(&mut self, other: &Store, max_buckets: usize) {
        let Some((lo, hi)) = other.range() else {
            return;
        };
        let force = other.collapsed && !self.collapsed;
        self.reserve(lo, hi, force, max_buckets);
        for (k, c) in other.iter() {
            let idx = (k.max(self.offset) - self.offset) as usize;
            self.counts[idx] += c;
        }
    }

    fn encode(&self, w: &mut Writer) {
        w.u8(u8::from(self.collapsed));
        match self.range() {
            None => {
                w.i64(0);
                w.u64s(&[]);
            }
            Some((a, z)) => {
                w.i64(a);
                let s = (a - self.offset) as usize;
                let e = (z - self.offset) as usize;
                w.u64s(&self.counts[s..=e]);
            }
        }
    }

    fn decode(r: &mut Reader, mapping: &Mapping, max_buckets: usize, name: &str) -> Result<Self> {
        let flag = r.u8()?;
        ensure(flag <= 1, || {
            format!("ddsketch.{name}: collapsed flag {flag} is not 0 or 1")
        })?;
        let collapsed = flag == 1;
        let offset = r.i64()?;
        let counts = r.u64s()?;
        if counts.is_empty() {
            ensure(!collapsed && offset == 0, || {
                format!("ddsketch.{name}: an empty store must have offset 0 and not be collapsed")
            })?;
            return Ok(Self::default());
        }
        ensure(counts.len() <= max_buckets, || {
            format!(
                "ddsketch.{name}: {} buckets exceed max_buckets {max_buckets}",
                counts.len()
            )
        })?;
        ensure(counts[0] != 0 && counts[counts.len() - 1] != 0, || {
            format!("ddsketch.{name}: first and last buckets must be non-empty")
        })?;
        let (kmin, kmax) = (mapping.min_key(), mapping.max_key());
        let last = offset.checked_add(counts.len() as i64 - 1);
        ensure(offset >= kmin && last.is_some_and(|l| l <= kmax), || {
            format!("ddsketch.{name}: keys starting at {offset} are outside [{kmin}, {kmax}]")
        })?;
        ensure(!collapsed || counts.len() == max_buckets, || {
            format!("ddsketch.{name}: a collapsed store must span exactly max_buckets keys")
        })?;
        Ok(Self {
            counts,
            offset,
            collapsed,
        })
    }
}

/// A mergeable quantile sketch with relative-error guarantees (DDSketch family).
///
/// See the [module documentation](self) for the mapping, the accuracy guarantee and the
/// collapsing policy.
#[derive(Debug, Clone)]
pub struct DDSketch {
    alpha: f64,
    max_buckets: usize,
    mapping: Mapping,
    positive: Store,
    negative: Store,
    zero: u64,
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
}

impl DDSketch {
    /// Default relative accuracy (1%).
    pub const DEFAULT_ALPHA: f64 = 0.01;
    /// Default maximum number of buckets of each sign store.
    pub const DEFAULT_MAX_BUCKETS: usize = 4096;

    /// An empty sketch with relative accuracy `alpha` (in `[1e-4, 0.5]`) and at most
    /// `max_buckets` buckets per sign (in `[16, 2^24]`).
    pub fn try_new(alpha: f64, max_buckets: usize) -> Result<Self> {
        if !(MIN_ALPHA..=MAX_ALPHA).contains(&alpha) {
            return Err(Error::invalid(format!(
                "ddsketch alpha must be in [{MIN_ALPHA}, {MAX_ALPHA}], got {alpha}"
            )));
        }
        if !(MIN_BUCKETS..=MAX_BUCKETS).contains(&max_buckets) {
            return Err(Error::invalid(format!(
                "ddsketch max_buckets must be in [{MIN_BUCKETS}, {MAX_BUCKETS}], got {max_buckets}"
            )));
        }
        Ok(Self {
            alpha,
            max_buckets,
            mapping: Mapping::new(alpha),
            positive: Store::default(),
            negative: Store::default(),
            zero: 0,
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        })
    }

    /// The relative accuracy.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The maximum number of buckets of each sign store.
    pub fn max_buckets(&self) -> usize {
        self.max_buckets
    }

    /// Number of finite values seen.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether no finite value was seen.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Exact minimum, if any value was seen.
    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    /// Exact maximum, if any value was seen.
    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// Floating-point sum of the values seen (may overflow to an infinity; merging may differ from
    /// a single pass in the last bits, as floating-point addition is not associative).
    pub fn sum(&self) -> f64 {
        self.sum
    }

    /// Whether any bucket was collapsed (the relative bound no longer holds for the lowest
    /// magnitudes of that sign).
    pub fn is_collapsed(&self) -> bool {
        self.positive.collapsed || self.negative.collapsed
    }

    /// Count one value in the buckets and in the given accumulators; returns whether it was
    /// counted (finite) and whether it was a zero.
    #[inline(always)]
    fn ingest(&mut self, x: f64, sum: &mut f64, min: &mut f64, max: &mut f64) -> (bool, bool) {
        if !x.is_finite() {
            return (false, false);
        }
        let x = x + 0.0; // -0.0 becomes +0.0
        *sum += x;
        if x < *min {
            *min = x;
        }
        if x > *max {
            *max = x;
        }
        if x == 0.0 {
            return (true, true);
        }
        let bits = x.to_bits();
        let key = self.mapping.key_of_bits(bits & !SIGN_MASK);
        if bits & SIGN_MASK == 0 {
            self.positive.add(key, self.max_buckets);
        } else {
            self.negative.add(key, self.max_buckets);
        }
        (true, false)
    }

    /// Add one value; NaN and infinities are ignored.
    #[inline]
    pub fn update(&mut self, x: f64) {
        let (mut sum, mut min, mut max) = (self.sum, self.min, self.max);
        let (counted, zero) = self.ingest(x, &mut sum, &mut min, &mut max);
        self.count += u64::from(counted);
        self.zero += u64::from(zero);
        (self.sum, self.min, self.max) = (sum, min, max);
    }

    /// Add every value of `xs`; NaN and infinities are ignored.
    ///
    /// Equivalent to calling [`DDSketch::update`] on each value, except that the sum is
    /// accumulated in four interleaved partial sums (which shortens the dependency chains).
    pub fn update_slice(&mut self, xs: &[f64]) {
        const LANES: usize = 4;
        let mut sums = [0.0f64; LANES];
        let mut mins = [f64::INFINITY; LANES];
        let mut maxs = [f64::NEG_INFINITY; LANES];
        let (mut count, mut zero) = (0u64, 0u64);
        let mut chunks = xs.chunks_exact(LANES);
        for chunk in &mut chunks {
            for j in 0..LANES {
                let (c, z) = self.ingest(chunk[j], &mut sums[j], &mut mins[j], &mut maxs[j]);
                count += u64::from(c);
                zero += u64::from(z);
            }
        }
        for &x in chunks.remainder() {
            let (c, z) = self.ingest(x, &mut sums[0], &mut mins[0], &mut maxs[0]);
            count += u64::from(c);
            zero += u64::from(z);
        }
        self.count += count;
        self.zero += zero;
        self.sum += (sums[0] + sums[1]) + (sums[2] + sums[3]);
        self.min = mins.iter().fold(self.min, |a, &b| a.min(b));
        self.max = maxs.iter().fold(self.max, |a, &b| a.max(b));
    }

    /// Add the contents of `other`. Both sketches must share `alpha` and `max_buckets`; the result
    /// has exactly the bucket counts a single pass over both inputs would give.
    pub fn merge(&mut self, other: &DDSketch) -> Result<()> {
        if self.alpha.to_bits() != other.alpha.to_bits() {
            return Err(Error::incompatible(
                "ddsketch.alpha",
                format!("{} vs {}", self.alpha, other.alpha),
            ));
        }
        if self.max_buckets != other.max_buckets {
            return Err(Error::incompatible(
                "ddsketch.max_buckets",
                format!("{} vs {}", self.max_buckets, other.max_buckets),
            ));
        }
        if other.count == 0 {
            return Ok(());
        }
        self.positive.merge(&other.positive, self.max_buckets);
        self.negative.merge(&other.negative, self.max_buckets);
        self.zero += other.zero;
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        Ok(())
    }

    fn check_q(q: f64) -> Result<()> {
        if (0.0..=1.0).contains(&q) {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "quantile must be in [0, 1], got {q}"
            )))
        }
    }

    fn check_nonempty(&self) -> Result<()> {
        if self.count == 0 {
            Err(Error::InsufficientData(
                "the ddsketch is empty (no finite value was added)".into(),
            ))
        } else {
            Ok(())
        }
    }

    /// The 0-based rank targeted by quantile `q` (`q` in `[0, 1]`, sketch not empty).
    fn rank_of(&self, q: f64) -> u64 {
        (((self.count - 1) as f64 * q).floor() as u64).min(self.count - 1)
    }

    /// Fill `out[i]` with the approximate value of rank `ranks[j].0` where `ranks[j].1 == i`, for
    /// `ranks` sorted by rank (all below `count`), in one pass over the buckets.
    fn values_at_ranks(&self, ranks: &[(u64, usize)], out: &mut [f64]) {
        let last = self.count - 1;
        let buckets = self
            .negative
            .iter()
            .rev()
            .map(|(k, c)| (Some((true, k)), c))
            .chain((self.zero > 0).then_some((None, self.zero)))
            .chain(self.positive.iter().map(|(k, c)| (Some((false, k)), c)));
        let mut pending = ranks.iter().peekable();
        let mut seen = 0u64;
        for (bucket, c) in buckets {
            seen += c;
            while let Some(&(rank, i)) = pending.next_if(|(rank, _)| *rank < seen) {
                out[i] = if rank == 0 {
                    self.min
                } else if rank == last {
                    self.max
                } else {
                    match bucket {
                        None => 0.0,
                        Some((negative, k)) => {
                            let v = self.mapping.value(k);
                            (if negative { -v } else { v }).clamp(self.min, self.max)
                        }
                    }
                };
            }
            if pending.peek().is_none() {
                break;
            }
        }
    }

    /// The `q`-quantile: an approximation of the item of 0-based rank `floor(q * (n - 1))` in
    /// sorted order (`numpy.quantile(..., method="lower")`), within relative error `alpha` of it
    /// and clamped to `[min, max]`; exact for the minimum and maximum ranks.
    ///
    /// Errors: [`Error::InsufficientData`] when the sketch is empty, [`Error::InvalidArgument`]
    /// when `q` is outside `[0, 1]` or NaN.
    pub fn quantile(&self, q: f64) -> Result<f64> {
        Self::check_q(q)?;
        self.check_nonempty()?;
        let mut out = [0.0];
        self.values_at_ranks(&[(self.rank_of(q), 0)], &mut out);
        Ok(out[0])
    }

    /// [`DDSketch::quantile`] for each of `qs` (in the order given), in one pass over the buckets.
    pub fn quantiles(&self, qs: &[f64]) -> Result<Vec<f64>> {
        for &q in qs {
            Self::check_q(q)?;
        }
        self.check_nonempty()?;
        let mut ranks: Vec<(u64, usize)> = qs
            .iter()
            .enumerate()
            .map(|(i, &q)| (self.rank_of(q), i))
            .collect();
        ranks.sort_unstable();
        let mut out = vec![0.0; qs.len()];
        self.values_at_ranks(&ranks, &mut out);
        Ok(out)
    }

    /// Approximate fraction of the values that are `<= x`.
    ///
    /// Exact below the minimum (0) and from the maximum on (1), and for `x == 0`; otherwise the
    /// whole bucket of `x` is counted, so the answer lies between the exact fraction at `x` and the
    /// exact fraction at the far edge of its bucket (within relative `2 alpha` of `x`).
    pub fn rank(&self, x: f64) -> Result<f64> {
        if x.is_nan() {
            return Err(Error::invalid("rank of NaN"));
        }
        self.check_nonempty()?;
        if x < self.min {
            return Ok(0.0);
        }
        if x >= self.max {
            return Ok(1.0);
        }
        let below = if x < 0.0 {
            let kb = self.negative.bucket_of(self.mapping.key(-x));
            self.negative
                .iter()
                .filter(|&(k, _)| k >= kb)
                .map(|(_, c)| c)
                .sum::<u64>()
        } else {
            let mut n = self.negative.total() + self.zero;
            if x > 0.0 {
                let kb = self.positive.bucket_of(self.mapping.key(x));
                n += self
                    .positive
                    .iter()
                    .take_while(|&(k, _)| k <= kb)
                    .map(|(_, c)| c)
                    .sum::<u64>();
            }
            n
        };
        Ok(below as f64 / self.count as f64)
    }

    /// Non-empty buckets in ascending order of value as `(lower bound, upper bound, count)`.
    ///
    /// Negative buckets come first (from the most negative), then the zero bucket as
    /// `(0.0, 0.0, count)`, then positive buckets. Bounds are clamped to `[min, max]`; the
    /// collapsed bucket of a store (if any) extends to zero on its low-magnitude side.
    pub fn buckets(&self) -> Vec<(f64, f64, u64)> {
        let mut out = Vec::new();
        let (min, max) = (self.min, self.max);
        let clamp = |lo: f64, hi: f64| {
            let hi = hi.min(max).max(min) + 0.0;
            let lo = lo.max(min).min(hi) + 0.0;
            (lo, hi)
        };
        let magnitudes = |store: &Store, k: i64| {
            let lo = if store.collapsed && k == store.offset {
                0.0
            } else {
                self.mapping.lower(k)
            };
            (lo, self.mapping.upper(k))
        };
        for (k, c) in self.negative.iter().rev() {
            let (lo, hi) = magnitudes(&self.negative, k);
            let (a, b) = clamp(-hi, -lo);
            out.push((a, b, c));
        }
        if self.zero > 0 {
            out.push((0.0, 0.0, self.zero));
        }
        for (k, c) in self.positive.iter() {
            let (lo, hi) = magnitudes(&self.positive, k);
            let (a, b) = clamp(lo, hi);
            out.push((a, b, c));
        }
        out
    }

    /// Append the serialized sketch to `w`.
    pub fn encode(&self, w: &mut Writer) {
        w.f64(self.alpha);
        w.u64(self.max_buckets as u64);
        w.u64(self.count);
        w.u64(self.zero);
        w.f64(self.sum);
        w.f64(self.min);
        w.f64(self.max);
        self.positive.encode(w);
        self.negative.encode(w);
    }

    /// Read a sketch written by [`DDSketch::encode`], checking every invariant.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let alpha = r.f64()?;
        ensure((MIN_ALPHA..=MAX_ALPHA).contains(&alpha), || {
            format!("ddsketch.alpha {alpha} is outside [{MIN_ALPHA}, {MAX_ALPHA}]")
        })?;
        let max_buckets = r.u64()?;
        ensure(
            (MIN_BUCKETS as u64..=MAX_BUCKETS as u64).contains(&max_buckets),
            || {
                format!(
                    "ddsketch.max_buckets {max_buckets} is outside [{MIN_BUCKETS}, {MAX_BUCKETS}]"
                )
            },
        )?;
        let max_buckets = max_buckets as usize;
        let count = r.u64()?;
        let zero = r.u64()?;
        let sum = r.f64()?;
        let min = r.f64()?;
        let max = r.f64()?;
        let mut sketch = Self::try_new(alpha, max_buckets)?;
        let mapping = sketch.mapping;
        let positive = Store::decode(r, &mapping, max_buckets, "positive")?;
        let negative = Store::decode(r, &mapping, max_buckets, "negative")?;

        let total = positive
            .counts
            .iter()
            .chain(&negative.counts)
            .try_fold(zero, |acc, &c| acc.checked_add(c));
        ensure(total == Some(count), || {
            format!("ddsketch: bucket counts and zero count do not add up to count {count}")
        })?;
        if count == 0 {
            ensure(
                min == f64::INFINITY && max == f64::NEG_INFINITY && sum.to_bits() == 0,
                || "ddsketch: an empty sketch must have min +inf, max -inf and sum 0".into(),
            )?;
        } else {
            ensure(min.is_finite() && max.is_finite() && min <= max, || {
                format!("ddsketch: min {min} and max {max} are not finite and ordered")
            })?;
            ensure(
                min.to_bits() != (-0.0f64).to_bits() && max.to_bits() != (-0.0f64).to_bits(),
                || "ddsketch: min or max is -0.0".into(),
            )?;
            let (has_negative, has_positive) = (!negative.is_empty(), !positive.is_empty());
            ensure((min < 0.0) == has_negative, || {
                format!("ddsketch: min {min} disagrees with the negative buckets")
            })?;
            ensure((max > 0.0) == has_positive, || {
                format!("ddsketch: max {max} disagrees with the positive buckets")
            })?;
            ensure((min <= 0.0 && max >= 0.0) || zero == 0, || {
                format!("ddsketch: zeros counted outside [min, max] = [{min}, {max}]")
            })?;
            ensure((min != 0.0 && max != 0.0) || zero > 0, || {
                "ddsketch: min or max is 0 but no zero was counted".into()
            })?;
            // The buckets of the extremes are known exactly.
            let edge_ok = |store: &Store, top: f64, bottom: Option<f64>| {
                let Some((lo, hi)) = store.range() else {
                    return true;
                };
                let top_ok = mapping.key(top) == hi;
                let bottom_ok = bottom.is_none_or(|b| store.bucket_of(mapping.key(b)) == lo);
                top_ok && bottom_ok
            };
            ensure(edge_ok(&positive, max, (min > 0.0).then_some(min)), || {
                format!("ddsketch: min {min} or max {max} disagrees with the positive buckets")
            })?;
            ensure(
                edge_ok(&negative, -min, (max < 0.0).then_some(-max)),
                || format!("ddsketch: min {min} or max {max} disagrees with the negative buckets"),
            )?;
        }
        sketch.positive = positive;
        sketch.negative = negative;
        sketch.zero = zero;
        sketch.count = count;
        sketch.sum = sum;
        sketch.min = min;
        sketch.max = max;
        Ok(sketch)
    }

    /// The sketch as a standalone, checksummed byte string.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        seal(Kind::DDSketch, &w.finish())
    }

    /// Read a sketch written by [`DDSketch::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let payload = open(bytes, Kind::DDSketch)?;
        let mut r = Reader::new(payload);
        let sketch = Self::decode(&mut r)?;
        r.finish()?;
        Ok(sketch)
    }
}

/// First Wasserstein distance between the distributions summarised by two sketches, with a
/// rigorous bound on its distance from the exact value on the raw data: returns `(w, bound)` with
/// `|w - W1(raw a, raw b)| <= bound`.
///
/// Each sketch stands for the discrete distribution that puts each bucket's count at the middle
/// of the bucket (bounds clamped to the exact `[min, max]`; see [`DDSketch::buckets`]), and `w`
/// is the distance between those two distributions (computed as
/// [`crate::stats::wasserstein_distance`] with the counts as weights).
///
/// Bound: moving every raw value to the middle of its bucket is a transport plan from the raw
/// distribution to the sketch's, costing at most half the bucket width per value, so
/// `W1(raw, sketch) <= sum(count_b * width_b / 2) / n`. By the triangle inequality of `W1`,
/// `|w - W1(raw a, raw b)|` is at most the sum of that quantity over both sketches. For a bucket
/// that was never collapsed the half-width is at most `alpha * |x|` for every value `x` in it, so
/// the bound is at most `alpha * (E|A| + E|B|)` (slightly less, as exact zeros and the clamped end
/// buckets cost less); collapsed buckets extend to zero and contribute their true width.
///
/// # Errors
///
/// [`Error::InsufficientData`] when a sketch is empty.
pub fn wasserstein_distance(a: &DDSketch, b: &DDSketch) -> Result<(f64, f64)> {
    if a.is_empty() || b.is_empty() {
        return Err(Error::InsufficientData(
            "a Wasserstein distance needs two non-empty sketches".into(),
        ));
    }
    let masses = |s: &DDSketch| {
        let buckets = s.buckets();
        let mut values = Vec::with_capacity(buckets.len());
        let mut weights = Vec::with_capacity(buckets.len());
        let mut cost = 0.0;
        for (lo, hi, c) in buckets {
            values.push(lo + (hi - lo) / 2.0);
            weights.push(c as f64);
            cost += c as f64 * (hi - lo) / 2.0;
        }
        (values, weights, cost / s.count() as f64)
    };
    let (va, wa, ea) = masses(a);
    let (vb, wb, eb) = masses(b);
    let w = crate::stats::wasserstein_distance(&va, &vb, Some(&wa), Some(&wb))?;
    // The bucket middles and the summation round; a relative margin keeps the bound strict.
    let bound = (ea + eb) * (1.0 + 1e-9) + 1e-12 * w;
    Ok((w, bound))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use proptest::prelude::*;

    const QS: [f64; 10] = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

    fn uniform(r: &mut SplitMix64) -> f64 {
        ((r.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(r: &mut SplitMix64) -> f64 {
        let (u1, u2) = (uniform(r), uniform(r));
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    fn sketch_of(xs: &[f64], alpha: f64, max_buckets: usize) -> DDSketch {
        let mut s = DDSketch::try_new(alpha, max_buckets).unwrap();
        s.update_slice(xs);
        s
    }

    fn exact_lower(sorted: &[f64], q: f64) -> f64 {
        sorted[((sorted.len() - 1) as f64 * q).floor() as usize]
    }

    fn rel_err(estimate: f64, exact: f64) -> f64 {
        if exact == 0.0 {
            if estimate == 0.0 {
                0.0
            } else {
                f64::INFINITY
            }
        } else {
            (estimate - exact).abs() / exact.abs()
        }
    }

    /// Worst relative error over `QS`, a fine grid and the extremes.
    fn worst_error(xs: &[f64], s: &DDSketch) -> f64 {
        let mut sorted: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let grid = (0..=200).map(|i| f64::from(i) / 200.0);
        let qs: Vec<f64> = QS.iter().copied().chain(grid).chain([0.0, 1.0]).collect();
        let estimates = s.quantiles(&qs).unwrap();
        let mut worst = 0.0f64;
        for (i, (&q, &estimate)) in qs.iter().zip(&estimates).enumerate() {
            if i < QS.len() {
                assert_eq!(s.quantile(q).unwrap().to_bits(), estimate.to_bits());
            }
            worst = worst.max(rel_err(estimate, exact_lower(&sorted, q)));
        }
        worst
    }

    fn assert_accurate(name: &str, xs: &[f64], alpha: f64, max_buckets: usize) {
        let s = sketch_of(xs, alpha, max_buckets);
        let worst = worst_error(xs, &s);
        assert!(
            worst <= alpha,
            "{name}: worst relative error {worst} > {alpha}"
        );
        assert!(!s.is_collapsed(), "{name}: unexpected collapse");
    }

    fn data(seed: u64, n: usize, f: impl Fn(&mut SplitMix64) -> f64) -> Vec<f64> {
        let mut r = SplitMix64::new(seed);
        (0..n).map(|_| f(&mut r)).collect()
    }

    #[test]
    fn accuracy_on_many_distributions() {
        let n = 50_000;
        let a = DDSketch::DEFAULT_ALPHA;
        let b = DDSketch::DEFAULT_MAX_BUCKETS;
        assert_accurate("uniform", &data(1, n, uniform), a, b);
        assert_accurate(
            "uniform signed",
            &data(2, n, |r| 2e3 * uniform(r) - 1e3),
            a,
            b,
        );
        let normal_with_zeros = data(3, n, |r| {
            if r.next_u64() % 10 == 0 {
                0.0
            } else {
                normal(r) * 3.0
            }
        });
        assert_accurate("normal+zeros", &normal_with_zeros, a, b);
        assert_accurate("lognormal", &data(4, n, |r| (2.0 * normal(r)).exp()), a, b);
        assert_accurate("pareto", &data(5, n, |r| uniform(r).powf(-1.0 / 1.2)), a, b);
        assert_accurate(
            "exponential",
            &data(6, n, |r| -uniform(r).ln() * 0.001),
            a,
            b,
        );
        let ties = [-1e6, -3.7, -1.0, -1e-9, 0.0, 1e-12, 0.5, 2.0, 2.0, 7e4];
        let heavy_ties = data(7, n, |r| ties[(r.next_u64() % ties.len() as u64) as usize]);
        assert_accurate("mixed-sign ties", &heavy_ties, a, b);
        let wide = data(8, n, |r| {
            let v = 10f64.powf(600.0 * uniform(r) - 300.0);
            if r.next_bit() {
                v
            } else {
                -v
            }
        });
        assert_accurate("1e-300..1e300", &wide, a, 120_000);
        assert_accurate("1e-300..1e300 coarse", &wide, 0.05, 24_000);
    }

    #[test]
    fn accuracy_across_alphas() {
        let xs = data(9, 30_000, |r| {
            (1.5 * normal(r)).exp() * if r.next_bit() { 1.0 } else { -1.0 }
        });
        for alpha in [1e-4, 1e-3, 0.02, 0.1, 0.3, 0.5] {
            assert_accurate("alpha sweep", &xs, alpha, 1 << 20);
        }
    }

    /// The mapping bound holds for every normal magnitude, bucket edges included.
    #[test]
    fn mapping_bound_holds_at_bucket_edges() {
        let mut r = SplitMix64::new(17);
        for alpha in [1e-4f64, 0.001, 0.01, 0.05, 0.5] {
            let reference = 2.0 * alpha.atanh();
            assert!((ln_gamma(alpha) - reference).abs() <= 1e-14 * reference);
            let m = Mapping::new(alpha);
            let check = |x: f64| {
                let k = m.key(x);
                let v = m.value(k);
                let e = (v - x).abs() / x;
                assert!(
                    e <= alpha,
                    "alpha {alpha}: x {x:e} key {k} value {v:e} error {e}"
                );
                assert!(m.lower(k) <= x * (1.0 + 1e-12) && x <= m.upper(k) * (1.0 + 1e-12));
            };
            // Random normal magnitudes over the whole exponent range.
            for _ in 0..200_000 {
                let bits = (r.next_u64() >> 1).clamp(1 << 52, f64::MAX.to_bits());
                check(f64::from_bits(bits));
            }
            // Both sides of computed bucket edges.
            let (lo_key, hi_key) = (m.key(f64::MIN_POSITIVE), m.max_key());
            for _ in 0..50_000 {
                let k = lo_key + 1 + (r.next_u64() % (hi_key - lo_key) as u64) as i64;
                let edge = m.lower(k);
                for d in -3i64..=3 {
                    check(f64::from_bits((edge.to_bits() as i64 + d) as u64));
                }
            }
            check(f64::MAX);
            check(f64::MIN_POSITIVE);
            // Keys increase with the value.
            let mut prev = i64::MIN;
            for e in -1074..1024 {
                let k = m.key(pow2(e));
                assert!(k >= prev);
                prev = k;
            }
        }
    }

    #[test]
    fn extremes_and_special_values() {
        let xs = [
            f64::MAX,
            -f64::MAX,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1.0,
            -0.0,
            0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let s = sketch_of(&xs, 0.01, 1 << 20);
        assert_eq!(s.count(), 7);
        assert_eq!(s.min(), Some(-f64::MAX));
        assert_eq!(s.max(), Some(f64::MAX));
        assert!(worst_error(&xs, &s) <= 0.01);
        let b = s.buckets();
        assert_eq!(b.iter().map(|t| t.2).sum::<u64>(), 7);
        assert!(b.contains(&(0.0, 0.0, 2)));
        // Subnormals are counted and ordered.
        let tiny = [5e-324, 1e-320, 1e-310, 3e-308, -1e-315];
        let s = sketch_of(&tiny, 0.01, 1 << 20);
        assert_eq!(s.count(), 5);
        assert_eq!(s.quantile(0.0).unwrap(), -1e-315);
        assert_eq!(s.quantile(1.0).unwrap(), 3e-308);
        let q = s.quantiles(&[0.25, 0.5, 0.75]).unwrap();
        assert!(q[0] > 0.0 && q[0] <= q[1] && q[1] <= q[2]);
        // Positive -0.0 normalization.
        let s = sketch_of(&[-0.0], 0.01, 64);
        assert_eq!(s.min().unwrap().to_bits(), 0);
        assert_eq!(s.quantile(0.5).unwrap(), 0.0);
        DDSketch::from_bytes(&s.to_bytes()).unwrap();
    }

    #[test]
    fn argument_errors() {
        assert!(matches!(
            DDSketch::try_new(0.0, 64),
            Err(Error::InvalidArgument(_))
        ));
        assert!(DDSketch::try_new(0.6, 64).is_err());
        assert!(DDSketch::try_new(f64::NAN, 64).is_err());
        assert!(DDSketch::try_new(0.01, 15).is_err());
        let mut s = DDSketch::try_new(0.01, 64).unwrap();
        assert!(s.is_empty());
        assert_eq!(s.min(), None);
        assert!(matches!(s.quantile(0.5), Err(Error::InsufficientData(_))));
        assert!(matches!(s.rank(1.0), Err(Error::InsufficientData(_))));
        assert!(matches!(
            s.quantiles(&[0.5]),
            Err(Error::InsufficientData(_))
        ));
        s.update(1.0);
        for q in [-0.1, 1.1, f64::NAN] {
            assert!(matches!(s.quantile(q), Err(Error::InvalidArgument(_))));
            assert!(s.quantiles(&[0.5, q]).is_err());
        }
        assert!(matches!(s.rank(f64::NAN), Err(Error::InvalidArgument(_))));
        let other = DDSketch::try_new(0.02, 64).unwrap();
        match s.merge(&other) {
            Err(Error::Incompatible { field, detail }) => {
                assert_eq!(field, "ddsketch.alpha");
                assert!(detail.contains("0.01") && detail.contains("0.02"));
            }
            other => panic!("expected incompatible, got {other:?}"),
        }
        let other = DDSketch::try_new(0.01, 128).unwrap();
        match s.merge(&other) {
            Err(Error::Incompatible { field, .. }) => assert_eq!(field, "ddsketch.max_buckets"),
            other => panic!("expected incompatible, got {other:?}"),
        }
    }

    #[test]
    fn rank_brackets_the_exact_fraction() {
        let xs = data(10, 20_000, |r| {
            normal(r) * 100.0 + if r.next_bit() { 0.0 } else { 50.0 }
        });
        let s = sketch_of(&xs, 0.01, 4096);
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let frac_le = |v: f64| sorted.partition_point(|&y| y <= v) as f64 / sorted.len() as f64;
        let gamma = 1.01 / 0.99 * (1.0 + 1e-9);
        let mut last = 0.0;
        for i in -400..=400 {
            let x = f64::from(i);
            let r = s.rank(x).unwrap();
            assert!(r >= last, "rank not monotone at {x}");
            last = r;
            let far = if x > 0.0 { x * gamma } else { x / gamma };
            assert!(frac_le(x) <= r && r <= frac_le(far), "rank({x}) = {r}");
        }
        assert_eq!(s.rank(sorted[0] - 1.0).unwrap(), 0.0);
        assert_eq!(s.rank(*sorted.last().unwrap()).unwrap(), 1.0);
        assert_eq!(s.rank(f64::INFINITY).unwrap(), 1.0);
        assert_eq!(s.rank(f64::NEG_INFINITY).unwrap(), 0.0);
    }

    /// Every value lies within the bounds of the bucket that counts it.
    fn assert_buckets_cover(xs: &[f64], s: &DDSketch) {
        let mut sorted: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        let buckets = s.buckets();
        assert_eq!(buckets.iter().map(|b| b.2).sum::<u64>(), s.count());
        let mut i = 0;
        let mut prev_hi = f64::NEG_INFINITY;
        for &(lo, hi, c) in &buckets {
            assert!(
                c > 0 && lo <= hi && prev_hi <= lo + lo.abs() * 1e-12,
                "bucket order"
            );
            prev_hi = hi;
            for &v in &sorted[i..i + c as usize] {
                let slack = v.abs() * 1e-12;
                assert!(
                    lo - slack <= v && v <= hi + slack,
                    "{v} outside [{lo}, {hi}]"
                );
            }
            i += c as usize;
        }
    }

    #[test]
    fn buckets_are_ordered_and_cover_the_data() {
        let xs = data(11, 20_000, |r| {
            let v = (3.0 * normal(r)).exp();
            match r.next_u64() % 3 {
                0 => -v,
                1 => 0.0,
                _ => v,
            }
        });
        assert_buckets_cover(&xs, &sketch_of(&xs, 0.01, 4096));
        let collapsed = sketch_of(&xs, 0.01, 64);
        assert!(collapsed.is_collapsed());
        assert_buckets_cover(&xs, &collapsed);
        let b = collapsed.buckets();
        assert!(b.len() <= 2 * 64 + 1);
    }

    #[test]
    fn collapsing_keeps_the_tails() {
        // 1e-6 .. 1e6 needs ~2000 buckets at alpha 0.01; keep only 256.
        let xs = data(12, 50_000, |r| 10f64.powf(12.0 * uniform(r) - 6.0));
        let s = sketch_of(&xs, 0.01, 256);
        assert!(s.is_collapsed());
        assert_eq!(s.count(), 50_000);
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.9, 0.95, 0.99, 0.999, 1.0] {
            let e = rel_err(s.quantile(q).unwrap(), exact_lower(&sorted, q));
            assert!(e <= 0.01, "q={q}: {e}");
        }
        assert_eq!(s.quantile(0.0).unwrap(), sorted[0]);
        // Negative values collapse toward zero: the most negative tail keeps the bound.
        let neg: Vec<f64> = xs.iter().map(|x| -x).collect();
        let s = sketch_of(&neg, 0.01, 256);
        let mut sorted = neg.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.0, 0.001, 0.01, 0.05, 0.1] {
            let e = rel_err(s.quantile(q).unwrap(), exact_lower(&sorted, q));
            assert!(e <= 0.01, "q={q}: {e}");
        }
    }

    fn same_buckets(a: &DDSketch, b: &DDSketch) {
        assert_eq!(a.count(), b.count());
        assert_eq!(a.min(), b.min());
        assert_eq!(a.max(), b.max());
        assert_eq!(a.is_collapsed(), b.is_collapsed());
        assert_eq!(a.buckets(), b.buckets());
        assert_eq!(a.positive.range(), b.positive.range());
        assert_eq!(a.negative.range(), b.negative.range());
    }

    #[test]
    fn merge_equals_single_pass_and_order_does_not_matter() {
        let xs = data(13, 30_000, |r| {
            let v = 10f64.powf(16.0 * uniform(r) - 8.0);
            if r.next_u64() % 4 == 0 {
                -v
            } else if r.next_u64() % 50 == 0 {
                0.0
            } else {
                v
            }
        });
        for max_buckets in [16, 100, 4096] {
            let whole = sketch_of(&xs, 0.01, max_buckets);
            let (a, rest) = xs.split_at(7_000);
            let (b, c) = rest.split_at(15_000);
            let parts: Vec<DDSketch> = [a, b, c]
                .iter()
                .map(|p| sketch_of(p, 0.01, max_buckets))
                .collect();
            for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
                let mut m = DDSketch::try_new(0.01, max_buckets).unwrap();
                for i in order {
                    m.merge(&parts[i]).unwrap();
                }
                same_buckets(&whole, &m);
            }
            // One value at a time, in another order.
            let mut shuffled = xs.clone();
            shuffled.sort_by(|x, y| y.abs().total_cmp(&x.abs()));
            let mut one = DDSketch::try_new(0.01, max_buckets).unwrap();
            for &x in &shuffled {
                one.update(x);
            }
            same_buckets(&whole, &one);
            // Merging into a sketch that has data, and merging an empty sketch.
            let mut m = parts[2].clone();
            m.merge(&DDSketch::try_new(0.01, max_buckets).unwrap())
                .unwrap();
            m.merge(&parts[0]).unwrap();
            m.merge(&parts[1]).unwrap();
            same_buckets(&whole, &m);
        }
    }

    #[test]
    fn round_trip_bytes() {
        let xs = data(14, 10_000, |r| normal(r) * 10.0);
        for s in [
            DDSketch::try_new(0.01, 64).unwrap(),
            sketch_of(&xs, 0.01, 4096),
            sketch_of(&xs, 0.002, 64),
            sketch_of(&[0.0, 0.0], 0.5, 16),
        ] {
            let bytes = s.to_bytes();
            let back = DDSketch::from_bytes(&bytes).unwrap();
            assert_eq!(back.to_bytes(), bytes);
            same_buckets(&s, &back);
            assert_eq!(back.sum().to_bits(), s.sum().to_bits());
            assert_eq!(back.alpha(), s.alpha());
            assert_eq!(back.max_buckets(), s.max_buckets());
            if !s.is_empty() {
                assert_eq!(back.quantiles(&QS).unwrap(), s.quantiles(&QS).unwrap());
            }
            // Decoded sketches keep working.
            let mut back = back;
            back.update_slice(&xs);
            let mut fresh = s.clone();
            fresh.update_slice(&xs);
            same_buckets(&fresh, &back);
        }
    }

    #[test]
    fn truncations_and_bit_flips_are_rejected() {
        let xs = data(15, 500, |r| normal(r) * 10.0);
        let bytes = sketch_of(&xs, 0.01, 64).to_bytes();
        for cut in 0..bytes.len() {
            assert!(DDSketch::from_bytes(&bytes[..cut]).is_err(), "cut {cut}");
        }
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                assert!(DDSketch::from_bytes(&b).is_err(), "byte {i} bit {bit}");
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(DDSketch::from_bytes(&longer).is_err());
    }

    /// Fields of a serialized sketch, to hand-craft payloads.
    #[derive(Clone)]
    struct Raw {
        alpha: f64,
        max_buckets: u64,
        count: u64,
        zero: u64,
        sum: f64,
        min: f64,
        max: f64,
        stores: [(u8, i64, Vec<u64>); 2],
    }

    impl Raw {
        fn of(s: &DDSketch) -> Self {
            let store = |st: &Store| {
                let mut w = Writer::new();
                st.encode(&mut w);
                let bytes = w.finish();
                let mut r = Reader::new(&bytes);
                (r.u8().unwrap(), r.i64().unwrap(), r.u64s().unwrap())
            };
            Raw {
                alpha: s.alpha,
                max_buckets: s.max_buckets as u64,
                count: s.count,
                zero: s.zero,
                sum: s.sum,
                min: s.min,
                max: s.max,
                stores: [store(&s.positive), store(&s.negative)],
            }
        }

        fn bytes(&self) -> Vec<u8> {
            let mut w = Writer::new();
            w.f64(self.alpha);
            w.u64(self.max_buckets);
            w.u64(self.count);
            w.u64(self.zero);
            w.f64(self.sum);
            w.f64(self.min);
            w.f64(self.max);
            for (flag, offset, counts) in &self.stores {
                w.u8(*flag);
                w.i64(*offset);
                w.u64s(counts);
            }
            seal(Kind::DDSketch, &w.finish())
        }
    }

    #[test]
    fn invariant_violations_with_valid_checksums_are_rejected() {
        let xs = [-5.0, -1.0, 0.0, 0.5, 2.0, 2.0, 3.0, 1000.0];
        let s = sketch_of(&xs, 0.01, 1024);
        assert!(!s.is_collapsed());
        let good = Raw::of(&s);
        assert_eq!(good.bytes(), s.to_bytes());
        DDSketch::from_bytes(&good.bytes()).unwrap();

        let collapsed = sketch_of(&data(16, 1000, |r| 10f64.powf(8.0 * uniform(r))), 0.01, 64);
        assert!(collapsed.is_collapsed());
        let good_collapsed = Raw::of(&collapsed);
        DDSketch::from_bytes(&good_collapsed.bytes()).unwrap();

        type Mutation = Box<dyn Fn(&mut Raw)>;
        let cases: Vec<(&str, Mutation)> = vec![
            ("alpha zero", Box::new(|r| r.alpha = 0.0)),
            ("alpha NaN", Box::new(|r| r.alpha = f64::NAN)),
            ("alpha too large", Box::new(|r| r.alpha = 0.9)),
            ("alpha changed", Box::new(|r| r.alpha = 0.02)),
            ("max_buckets small", Box::new(|r| r.max_buckets = 8)),
            ("max_buckets huge", Box::new(|r| r.max_buckets = u64::MAX)),
            ("count too high", Box::new(|r| r.count += 1)),
            ("count too low", Box::new(|r| r.count -= 1)),
            ("zero count", Box::new(|r| r.zero += 1)),
            (
                "min > max",
                Box::new(|r| std::mem::swap(&mut r.min, &mut r.max)),
            ),
            ("min NaN", Box::new(|r| r.min = f64::NAN)),
            ("max infinite", Box::new(|r| r.max = f64::INFINITY)),
            ("max off its bucket", Box::new(|r| r.max = 2000.0)),
            ("min off its bucket", Box::new(|r| r.min = -4.0)),
            ("min positive with negatives", Box::new(|r| r.min = 0.1)),
            ("collapsed flag 2", Box::new(|r| r.stores[0].0 = 2)),
            ("collapsed but short", Box::new(|r| r.stores[0].0 = 1)),
            (
                "leading empty bucket",
                Box::new(|r| {
                    r.stores[0].1 -= 1;
                    r.stores[0].2.insert(0, 0);
                }),
            ),
            ("trailing empty bucket", Box::new(|r| r.stores[1].2.push(0))),
            ("store shifted", Box::new(|r| r.stores[0].1 += 1)),
            ("key below range", Box::new(|r| r.stores[0].1 = -10)),
            (
                "key above range",
                Box::new(|r| r.stores[0].1 = i64::MAX - 1),
            ),
            (
                "bucket count overflow",
                Box::new(|r| {
                    r.stores[0].2[0] = u64::MAX;
                }),
            ),
            (
                "too many buckets",
                Box::new(|r| {
                    let last = *r.stores[0].2.last().unwrap();
                    r.stores[0].2.pop();
                    r.stores[0].2.resize(1024, 0);
                    r.stores[0].2.push(last);
                }),
            ),
            (
                "empty store with offset",
                Box::new(|r| {
                    r.count -= r.stores[1].2.iter().sum::<u64>();
                    r.stores[1].2.clear();
                    r.min = 0.0;
                }),
            ),
        ];
        for (name, mutate) in &cases {
            let mut raw = good.clone();
            mutate(&mut raw);
            assert!(
                matches!(DDSketch::from_bytes(&raw.bytes()), Err(Error::Corrupt(_))),
                "{name} was accepted"
            );
        }
        // The "empty store with offset" case is valid once the offset is 0.
        let mut raw = good.clone();
        raw.count -= raw.stores[1].2.iter().sum::<u64>();
        raw.stores[1] = (0, 0, Vec::new());
        raw.min = 0.0;
        DDSketch::from_bytes(&raw.bytes()).unwrap();

        let mut raw = good_collapsed.clone();
        raw.stores[0].0 = 0;
        raw.stores[0].2.remove(0);
        raw.stores[0].1 += 1;
        raw.count = raw.stores[0].2.iter().sum();
        assert!(
            DDSketch::from_bytes(&raw.bytes()).is_err(),
            "min off the collapsed bucket"
        );

        let empty = Raw::of(&DDSketch::try_new(0.01, 1024).unwrap());
        DDSketch::from_bytes(&empty.bytes()).unwrap();
        for mutate in [
            Box::new(|r: &mut Raw| r.min = 0.0) as Mutation,
            Box::new(|r: &mut Raw| r.sum = 1.0),
            Box::new(|r: &mut Raw| r.stores[0].1 = 5),
            Box::new(|r: &mut Raw| r.stores[0].0 = 1),
        ] {
            let mut raw = empty.clone();
            mutate(&mut raw);
            assert!(DDSketch::from_bytes(&raw.bytes()).is_err());
        }
    }

    fn value_strategy() -> impl Strategy<Value = f64> {
        prop_oneof![
            -1e6f64..1e6,
            1e-3f64..1e3,
            -1e-3f64..-1e-9,
            Just(0.0),
            Just(1.0),
            (-300i32..300).prop_map(|e| 10f64.powi(e)),
            any::<f64>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn prop_quantiles_within_alpha(xs in prop::collection::vec(value_strategy(), 1..400)) {
            prop_assume!(xs.iter().any(|x| x.is_finite()));
            let s = sketch_of(&xs, 0.01, 1 << 20);
            prop_assert!(worst_error(&xs, &s) <= 0.01);
            assert_buckets_cover(&xs, &s);
        }
    }

    proptest! {
        #[test]
        fn prop_merge_and_round_trip(
            xs in prop::collection::vec(value_strategy(), 0..300),
            split in 0usize..300,
            max_buckets in 16usize..200,
        ) {
            let split = split.min(xs.len());
            let whole = sketch_of(&xs, 0.05, max_buckets);
            let mut m = sketch_of(&xs[split..], 0.05, max_buckets);
            m.merge(&sketch_of(&xs[..split], 0.05, max_buckets)).unwrap();
            same_buckets(&whole, &m);
            let bytes = m.to_bytes();
            let back = DDSketch::from_bytes(&bytes).unwrap();
            prop_assert_eq!(back.to_bytes(), bytes);
        }
    }

    #[test]
    fn wasserstein_from_sketches_within_bound() {
        let mut rng = SplitMix64::new(11);
        for trial in 0..40 {
            let n = 200 + trial * 500;
            let shift = trial as f64 * 0.05;
            let draw = |rng: &mut SplitMix64, s: f64| -> Vec<f64> {
                (0..n)
                    .map(|i| {
                        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                        match trial % 4 {
                            0 => (u - 0.5) * 10.0 + s,
                            1 => (-(1.0 - u).ln()) * (1.0 + s),
                            2 => {
                                if i % 7 == 0 {
                                    0.0
                                } else {
                                    (u * 20.0).exp() - 1.0 + s
                                }
                            }
                            _ => -((u + 1e-9).ln()).powi(3) - s,
                        }
                    })
                    .collect()
            };
            let xs = draw(&mut rng, 0.0);
            let ys = draw(&mut rng, shift);
            let (sa, sb) = (sketch_of(&xs, 0.01, 4096), sketch_of(&ys, 0.01, 4096));
            let exact = crate::stats::wasserstein_distance(&xs, &ys, None, None).unwrap();
            let (w, bound) = wasserstein_distance(&sa, &sb).unwrap();
            assert!(
                (w - exact).abs() <= bound,
                "trial {trial}: {w} vs {exact}, bound {bound}"
            );
            let mean_abs = |v: &[f64]| v.iter().map(|x| x.abs()).sum::<f64>() / v.len() as f64;
            assert!(bound <= 0.0101 * (mean_abs(&xs) + mean_abs(&ys)) + 1e-12);
            // Collapsed stores keep a valid (wider) bound.
            let (ca, cb) = (sketch_of(&xs, 0.01, 32), sketch_of(&ys, 0.01, 32));
            let (w, bound) = wasserstein_distance(&ca, &cb).unwrap();
            assert!((w - exact).abs() <= bound, "collapsed trial {trial}");
        }
        assert!(wasserstein_distance(
            &DDSketch::try_new(0.01, 64).unwrap(),
            &sketch_of(&[1.0], 0.01, 64)
        )
        .is_err());
    }
}
