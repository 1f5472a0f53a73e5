//! Exact streaming histograms: equal-width bins or arbitrary sorted edges, with underflow,
//! overflow and NaN tallies, mergeable when the binning is identical.
//!
//! Bin semantics for edges `e_0 < e_1 < … < e_B`: bin `i` holds `e_i <= x < e_{i+1}`, except the
//! last bin, which is closed on both sides (`e_{B-1} <= x <= e_B`), as in `numpy.histogram`.
//! Values below `e_0` (including −inf) are counted in `underflow`, values above `e_B` (including
//! +inf) in `overflow`, and NaN in `nan`. Every value lands in exactly one tally, so
//! `sum(counts) + underflow + overflow + nan` equals the number of values seen.
//!
//! Equal-width bins assign `floor((x − lo) · B / (hi − lo))` computed in `f64`, the formula
//! fast-histogram uses; a value within one ulp of an interior edge may therefore fall on either
//! side of it. Use [`Histogram::from_edges`] when exact edge semantics matter.

use rayon::prelude::*;

use crate::codec::{self, ensure, Kind, Reader, Writer};
use crate::error::{Error, Result};

/// How values are assigned to bins.
#[derive(Debug, Clone, PartialEq)]
pub enum Binning {
    /// `bins` equal-width bins over `[lo, hi]`.
    Uniform {
        /// Lower edge.
        lo: f64,
        /// Upper edge.
        hi: f64,
        /// Number of bins.
        bins: usize,
    },
    /// Arbitrary strictly increasing finite edges (`edges.len() - 1` bins).
    Edges(Vec<f64>),
}

/// Edge counts at or below which counting against every edge beats a binary search.
const LINEAR_MAX_EDGES: usize = 64;
/// Inputs at least this long are split over threads.
const PARALLEL_MIN: usize = 1 << 20;
/// Values classified per block before their counts are added. A small block keeps its indices
/// in L1 and lets reading the input overlap the counting (64 was faster than 256 or 512).
const BLOCK: usize = 64;
/// Tally arrays up to this long are counted into fixed-size sub-histograms.
const NARROW: usize = 256;

impl Binning {
    /// Number of bins.
    pub fn bins(&self) -> usize {
        match self {
            Binning::Uniform { bins, .. } => *bins,
            Binning::Edges(e) => e.len() - 1,
        }
    }

    /// The bin edges (`bins + 1` values).
    pub fn edges(&self) -> Vec<f64> {
        match self {
            Binning::Uniform { lo, hi, bins } => {
                let w = (hi - lo) / *bins as f64;
                (0..=*bins)
                    .map(|i| if i == *bins { *hi } else { lo + w * i as f64 })
                    .collect()
            }
            Binning::Edges(e) => e.clone(),
        }
    }

    fn validate(&self) -> Result<()> {
        match self {
            Binning::Uniform { lo, hi, bins } => {
                if *bins == 0 || *bins > 1 << 24 {
                    return Err(Error::invalid(format!(
                        "bins must be in 1..=16777216, got {bins}"
                    )));
                }
                if !(lo.is_finite() && hi.is_finite() && lo < hi && (hi - lo).is_finite()) {
                    return Err(Error::invalid(format!(
                        "uniform range must be finite with lo < hi, got [{lo}, {hi}]"
                    )));
                }
            }
            Binning::Edges(e) => {
                if e.len() < 2 || e.len() > (1 << 24) + 1 {
                    return Err(Error::invalid(format!(
                        "need between 2 and 16777217 edges, got {}",
                        e.len()
                    )));
                }
                if let Some(i) = e.iter().position(|x| !x.is_finite()) {
                    return Err(Error::invalid(format!("edge {i} is not finite ({})", e[i])));
                }
                if let Some(i) = e.windows(2).position(|w| w[0] >= w[1]) {
                    return Err(Error::invalid(format!(
                        "edges must be strictly increasing; edge {} ({}) >= edge {} ({})",
                        i,
                        e[i],
                        i + 1,
                        e[i + 1]
                    )));
                }
            }
        }
        Ok(())
    }
}

/// An exact histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    binning: Binning,
    /// `[underflow, bin 0, …, bin B-1, overflow, NaN]`.
    tallies: Vec<u64>,
}

impl Histogram {
    /// `bins` equal-width bins over `[lo, hi]`.
    pub fn uniform(bins: usize, lo: f64, hi: f64) -> Result<Self> {
        Self::new(Binning::Uniform { lo, hi, bins })
    }

    /// Bins between consecutive `edges` (finite, strictly increasing, at least two).
    pub fn from_edges(edges: Vec<f64>) -> Result<Self> {
        Self::new(Binning::Edges(edges))
    }

    /// A histogram with the given binning.
    pub fn new(binning: Binning) -> Result<Self> {
        binning.validate()?;
        let n = binning.bins();
        Ok(Self {
            binning,
            tallies: vec![0; n + 3],
        })
    }

    /// The binning.
    pub fn binning(&self) -> &Binning {
        &self.binning
    }
    /// Per-bin counts (without underflow and overflow).
    pub fn counts(&self) -> &[u64] {
        &self.tallies[1..self.tallies.len() - 2]
    }
    /// Values below the first edge.
    pub fn underflow(&self) -> u64 {
        self.tallies[0]
    }
    /// Values above the last edge.
    pub fn overflow(&self) -> u64 {
        self.tallies[self.tallies.len() - 2]
    }
    /// NaN values seen.
    pub fn nan(&self) -> u64 {
        self.tallies[self.tallies.len() - 1]
    }
    /// All values seen: bins, underflow, overflow and NaN.
    pub fn total(&self) -> u64 {
        self.tallies.iter().sum::<u64>()
    }

    /// Count every value of `xs`. Inputs of at least a million values are split over the
    /// rayon pool (one partial histogram per chunk, summed), so a large array uses every core.
    pub fn update(&mut self, xs: &[f64]) {
        let threads = rayon::current_num_threads();
        if xs.len() >= PARALLEL_MIN && threads > 1 {
            let chunk = xs.len().div_ceil(threads);
            let parts: Vec<Vec<u64>> = xs
                .par_chunks(chunk)
                .map(|c| {
                    let mut h = Histogram {
                        binning: self.binning.clone(),
                        tallies: vec![0; self.tallies.len()],
                    };
                    h.update_serial(c);
                    h.tallies
                })
                .collect();
            for part in parts {
                for (t, p) in self.tallies.iter_mut().zip(part) {
                    *t += p;
                }
            }
            return;
        }
        self.update_serial(xs);
    }

    /// Count every value of `xs` on the calling thread.
    pub fn update_serial(&mut self, xs: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: `update_avx2` only requires that the CPU supports AVX2, checked just above.
            #[allow(unsafe_code)]
            unsafe {
                self.update_avx2(xs)
            };
            return;
        }
        self.update_portable(xs);
    }

    /// The same kernels compiled for AVX2: their comparison and classification loops vectorize
    /// four values wide instead of two.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn update_avx2(&mut self, xs: &[f64]) {
        self.update_portable(xs);
    }

    #[inline(always)]
    fn update_portable(&mut self, xs: &[f64]) {
        match &self.binning {
            Binning::Uniform { lo, hi, bins } => {
                tally_uniform(xs, *lo, *hi, *bins, &mut self.tallies)
            }
            Binning::Edges(e) if e.len() <= LINEAR_MAX_EDGES => {
                tally_thresholds(xs, e, &mut self.tallies)
            }
            Binning::Edges(e) => tally_search(xs, e, &mut self.tallies),
        }
    }

    /// Add `other`'s tallies; the binning must be identical.
    pub fn merge(&mut self, other: &Histogram) -> Result<()> {
        if self.binning != other.binning {
            return Err(Error::incompatible(
                "histogram.edges",
                format!("{:?} vs {:?}", self.binning, other.binning),
            ));
        }
        for (a, b) in self.tallies.iter_mut().zip(&other.tallies) {
            *a += b;
        }
        Ok(())
    }

    /// Serialize the payload.
    pub fn encode(&self, w: &mut Writer) {
        match &self.binning {
            Binning::Uniform { lo, hi, bins } => {
                w.u8(0);
                w.f64(*lo);
                w.f64(*hi);
                w.u64(*bins as u64);
            }
            Binning::Edges(e) => {
                w.u8(1);
                w.f64s(e);
            }
        }
        w.u64s(&self.tallies[..self.tallies.len() - 1]);
        w.u64(self.nan());
    }

    /// Deserialize and validate the payload.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let binning = match r.u8()? {
            0 => {
                let lo = r.f64()?;
                let hi = r.f64()?;
                let bins = r.u64()?;
                ensure(bins <= 1 << 24, || {
                    format!("histogram bin count {bins} is too large")
                })?;
                Binning::Uniform {
                    lo,
                    hi,
                    bins: bins as usize,
                }
            }
            1 => Binning::Edges(r.f64s()?),
            t => return Err(Error::corrupt(format!("unknown histogram binning tag {t}"))),
        };
        binning
            .validate()
            .map_err(|e| Error::corrupt(format!("histogram binning: {e}")))?;
        let mut tallies = r.u64s()?;
        ensure(tallies.len() == binning.bins() + 2, || {
            format!(
                "histogram has {} tallies for {} bins",
                tallies.len(),
                binning.bins()
            )
        })?;
        tallies.push(r.u64()?);
        let mut total: u64 = 0;
        for t in &tallies {
            total = total
                .checked_add(*t)
                .ok_or_else(|| Error::corrupt("histogram tallies overflow u64"))?;
        }
        Ok(Self { binning, tallies })
    }

    /// Serialize with the envelope.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        codec::seal(Kind::Histogram, &w.finish())
    }

    /// Deserialize bytes from [`Histogram::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(codec::open(bytes, Kind::Histogram)?);
        let h = Self::decode(&mut r)?;
        r.finish()?;
        Ok(h)
    }
}

/// Add the tally index of every value of `xs`, computed block by block by `classify`, to
/// `tallies`. Long inputs are counted through four interleaved sub-histograms, so that runs of
/// one bin do not serialize on one counter's store-to-load forwarding.
#[inline(always)]
fn tally_indexed(xs: &[f64], tallies: &mut [u64], mut classify: impl FnMut(&[f64], &mut [u32])) {
    let mut buf = [0u32; BLOCK];
    if xs.len() <= BLOCK {
        // One block: setting up the sub-histograms would cost more than it saves.
        let idx = &mut buf[..xs.len()];
        classify(xs, idx);
        for &j in idx.iter() {
            tallies[j as usize] += 1;
        }
        return;
    }
    if tallies.len() <= NARROW {
        // Fixed 256-slot sub-histograms indexed by the low byte of the tally index (which is
        // below 256): the compiler can see that no index is out of bounds.
        let mut sub = [[0u64; NARROW]; 4];
        for block in xs.chunks(BLOCK) {
            let idx = &mut buf[..block.len()];
            classify(block, idx);
            let mut quads = idx.chunks_exact(4);
            for q in &mut quads {
                sub[0][q[0] as u8 as usize] += 1;
                sub[1][q[1] as u8 as usize] += 1;
                sub[2][q[2] as u8 as usize] += 1;
                sub[3][q[3] as u8 as usize] += 1;
            }
            for &j in quads.remainder() {
                sub[0][j as u8 as usize] += 1;
            }
        }
        for (j, t) in tallies.iter_mut().enumerate() {
            *t += sub[0][j] + sub[1][j] + sub[2][j] + sub[3][j];
        }
        return;
    }
    let stride = tallies.len();
    let mut sub = vec![0u64; 4 * stride];
    for block in xs.chunks(BLOCK) {
        let idx = &mut buf[..block.len()];
        classify(block, idx);
        let mut quads = idx.chunks_exact(4);
        for q in &mut quads {
            sub[q[0] as usize] += 1;
            sub[stride + q[1] as usize] += 1;
            sub[2 * stride + q[2] as usize] += 1;
            sub[3 * stride + q[3] as usize] += 1;
        }
        for &j in quads.remainder() {
            sub[j as usize] += 1;
        }
    }
    for (j, t) in tallies.iter_mut().enumerate() {
        *t += sub[j] + sub[stride + j] + sub[2 * stride + j] + sub[3 * stride + j];
    }
}

/// 2^52: in `u + 2^52` (for 0 <= u < 2^31) the low 32 bits of the mantissa hold `u` rounded to
/// the nearest integer.
const ROUND_MAGIC: f64 = 4_503_599_627_370_496.0;

/// `u as u32` (truncation) for `0 <= u < 2^31`, in plain float arithmetic that vectorizes: x86-64
/// has no packed `f64` to `u32` conversion, and the saturating `as` cast is compiled one value
/// at a time.
#[inline(always)]
fn trunc_to_u32(u: f64) -> u32 {
    let m = u + ROUND_MAGIC;
    let rounded = m - ROUND_MAGIC;
    // Rounded up: step back to the floor (which, u being non-negative, is the truncation).
    (m.to_bits() as u32).wrapping_sub((rounded > u) as u32)
}

/// Equal-width bins. Tally slots: 0 underflow, 1..=bins the bins, bins+1 overflow, bins+2 NaN.
#[inline(always)]
fn tally_uniform(xs: &[f64], lo: f64, hi: f64, bins: usize, tallies: &mut [u64]) {
    let scale = bins as f64 / (hi - lo);
    let top = bins as f64;
    let (over, nan) = ((bins + 1) as f64, (bins + 2) as f64);
    tally_indexed(xs, tallies, |block, idx| {
        for (o, &x) in idx.iter_mut().zip(block) {
            // u is in [1, bins + 1) for lo <= x < hi, so truncation is the floor; clamping to
            // [0, bins] sends x < lo to the underflow slot and keeps x == hi (or a value just
            // below hi that rounds up) in the last bin. The clamps are selects rather than
            // `f64::max`/`min` so that each is one vector instruction; like `max`, they turn a
            // NaN u into 0. Values above hi and NaN get their slots before the conversion,
            // while the slot is still a float.
            let u = (x - lo) * scale + 1.0;
            let u = if u > 0.0 { u } else { 0.0 };
            let u = if u < top { u } else { top };
            let u = if x > hi { over } else { u };
            let u = if x.is_nan() { nan } else { u };
            *o = trunc_to_u32(u);
        }
    })
}

/// Thresholds compared per pass over a block: each needs a vector register for its count.
const THRESHOLD_GROUP: usize = 12;
/// Values per block when the thresholds take several passes (16 KiB, so the passes after the
/// first read the block from L1).
const THRESHOLD_BLOCK: usize = 2048;

/// Few arbitrary edges `e_0 < … < e_B`, counted without classifying values one by one: every
/// tally is the difference of two counts of values at or above a threshold, for the thresholds
/// `[-inf, e_0, …, e_{B-1}, next_up(e_B)]` (`x >= -inf` fails only for NaN, and
/// `x >= next_up(e_B)` is `x > e_B`, which makes the last bin closed). Each count is a sum of
/// comparison masks, which vectorizes over values with every threshold in a register, and no
/// value is scattered into a counter.
#[inline(always)]
fn tally_thresholds(xs: &[f64], e: &[f64], tallies: &mut [u64]) {
    let b = e.len() - 1;
    let n = b + 2;
    let mut thresholds = [0.0; LINEAR_MAX_EDGES + 1];
    thresholds[0] = f64::NEG_INFINITY;
    thresholds[1..=b].copy_from_slice(&e[..b]);
    thresholds[b + 1] = e[b].next_up();
    let thresholds = &thresholds[..n];
    let mut at_or_above = [0u64; LINEAR_MAX_EDGES + 1];
    let at_or_above = &mut at_or_above[..n];
    for block in xs.chunks(THRESHOLD_BLOCK) {
        for (t, c) in thresholds
            .chunks(THRESHOLD_GROUP)
            .zip(at_or_above.chunks_mut(THRESHOLD_GROUP))
        {
            // A register count rounded up to a multiple of four (one AVX2 vector).
            match t.len() {
                1..=4 => count_at_or_above::<4>(block, t, c),
                5..=8 => count_at_or_above::<8>(block, t, c),
                _ => count_at_or_above::<THRESHOLD_GROUP>(block, t, c),
            }
        }
    }
    // Slot k (underflow, the bins, overflow) holds the values at or above threshold k and
    // below threshold k + 1; the last slot, NaN, the values not at or above -inf.
    for k in 0..n {
        let above = if k + 1 < n { at_or_above[k + 1] } else { 0 };
        tallies[k] += at_or_above[k] - above;
    }
    tallies[n] += xs.len() as u64 - at_or_above[0];
}

/// Add to `counts[g]` the number of values of `block` at or above `thresholds[g]`, comparing
/// with `G` thresholds (NaN-padded: `x >= NaN` is false, and the padding's counts are dropped).
#[inline(always)]
fn count_at_or_above<const G: usize>(block: &[f64], thresholds: &[f64], counts: &mut [u64]) {
    let mut t = [f64::NAN; G];
    t[..thresholds.len()].copy_from_slice(thresholds);
    let mut acc = [0u64; G];
    for &x in block {
        for (a, &t) in acc.iter_mut().zip(&t) {
            *a += (x >= t) as u64;
        }
    }
    for (c, a) in counts.iter_mut().zip(acc) {
        *c += a;
    }
}

/// Many edges: binary search.
#[inline(always)]
fn tally_search(xs: &[f64], e: &[f64], tallies: &mut [u64]) {
    let last = e[e.len() - 1];
    let nan = e.len() as u32 + 1;
    tally_indexed(xs, tallies, |block, idx| {
        for (o, &x) in idx.iter_mut().zip(block) {
            *o = if x.is_nan() {
                nan
            } else if x > last {
                e.len() as u32
            } else if x == last {
                e.len() as u32 - 1
            } else {
                e.partition_point(|&edge| edge <= x) as u32
            };
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(xs: &[f64], edges: &[f64]) -> (Vec<u64>, u64, u64, u64) {
        let b = edges.len() - 1;
        let mut counts = vec![0u64; b];
        let (mut under, mut over, mut nan) = (0, 0, 0);
        for &x in xs {
            if x.is_nan() {
                nan += 1;
            } else if x < edges[0] {
                under += 1;
            } else if x > edges[b] {
                over += 1;
            } else if x == edges[b] {
                counts[b - 1] += 1;
            } else {
                let i = edges.iter().rposition(|&e| e <= x).unwrap();
                counts[i] += 1;
            }
        }
        (counts, under, over, nan)
    }

    /// Tallies by the equal-width formula, one value at a time.
    fn uniform_reference(xs: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<u64> {
        let mut tallies = vec![0u64; bins + 3];
        let scale = bins as f64 / (hi - lo);
        for &x in xs {
            let slot = if x.is_nan() {
                bins + 2
            } else if x > hi {
                bins + 1
            } else {
                ((x - lo) * scale + 1.0).max(0.0).min(bins as f64) as usize
            };
            tallies[slot] += 1;
        }
        tallies
    }

    #[test]
    fn special_values() {
        let mut h = Histogram::from_edges(vec![0.0, 1.0, 2.0]).unwrap();
        h.update(&[
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            1.0,
            2.0,
            -0.0,
            2.0000001,
        ]);
        assert_eq!(h.counts(), &[2, 2]);
        assert_eq!((h.underflow(), h.overflow(), h.nan()), (1, 2, 1));
        let mut u = Histogram::uniform(2, 0.0, 2.0).unwrap();
        u.update(&[
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            1.0,
            2.0,
            -0.0,
            2.0000001,
        ]);
        assert_eq!(u.counts(), h.counts());
        assert_eq!(u.total(), 8);
    }

    #[test]
    fn parallel_update_equals_serial() {
        let mut r = crate::rng::SplitMix64::new(3);
        let xs: Vec<f64> = (0..3_000_017)
            .map(|_| (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 12.0 - 6.0)
            .collect();
        for binning in [
            Binning::Uniform {
                lo: -5.0,
                hi: 5.0,
                bins: 64,
            },
            Binning::Edges(vec![-3.0, -1.0, 0.0, 0.5, 2.0]),
            Binning::Edges((0..200).map(|i| -5.0 + i as f64 * 0.05).collect()),
        ] {
            let mut a = Histogram::new(binning.clone()).unwrap();
            let mut b = Histogram::new(binning).unwrap();
            a.update(&xs);
            b.update_serial(&xs);
            assert_eq!(a, b);
            assert_eq!(a.total(), xs.len() as u64);
        }
    }

    #[test]
    fn bad_binning() {
        assert!(Histogram::uniform(0, 0.0, 1.0).is_err());
        assert!(Histogram::uniform(4, 1.0, 1.0).is_err());
        assert!(Histogram::uniform(4, 0.0, f64::INFINITY).is_err());
        assert!(Histogram::from_edges(vec![0.0]).is_err());
        assert!(Histogram::from_edges(vec![0.0, 0.0]).is_err());
        assert!(Histogram::from_edges(vec![0.0, f64::NAN]).is_err());
    }

    #[test]
    fn merge_requires_same_edges() {
        let mut a = Histogram::uniform(4, 0.0, 1.0).unwrap();
        let b = Histogram::uniform(5, 0.0, 1.0).unwrap();
        assert!(matches!(a.merge(&b), Err(Error::Incompatible { .. })));
    }

    proptest! {
        #[test]
        fn edges_match_reference(
            mut edges in prop::collection::vec(-1e6f64..1e6, 2..100),
            xs in prop::collection::vec(prop_oneof![
                -2e6f64..2e6, Just(f64::NAN), Just(f64::INFINITY), Just(0.0)], 0..2000),
        ) {
            edges.sort_by(f64::total_cmp);
            edges.dedup();
            prop_assume!(edges.len() >= 2);
            // Reuse edges and their neighbours as values so exact-edge hits are exercised.
            let mut vals = xs.clone();
            vals.extend_from_slice(&edges);
            vals.extend(edges.iter().flat_map(|e| [e.next_down(), e.next_up()]));
            let mut h = Histogram::from_edges(edges.clone()).unwrap();
            let half = vals.len() / 2;
            h.update(&vals[..half]);
            let mut h2 = Histogram::from_edges(edges.clone()).unwrap();
            h2.update(&vals[half..]);
            h.merge(&h2).unwrap();
            let (c, u, o, n) = reference(&vals, &edges);
            prop_assert_eq!(h.counts(), &c[..]);
            prop_assert_eq!((h.underflow(), h.overflow(), h.nan()), (u, o, n));
            let back = Histogram::from_bytes(&h.to_bytes()).unwrap();
            prop_assert_eq!(back, h);
        }

        #[test]
        fn uniform_matches_formula(
            xs in prop::collection::vec(prop_oneof![
                -10f64..10.0, Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY),
                Just(-0.0)], 0..3000),
            lo in -5f64..0.0,
            width in prop_oneof![1e-9f64..1e-6, 0.1f64..10.0],
            bins in prop_oneof![1usize..70, 250usize..260, 1000usize..1100],
        ) {
            let hi = lo + width;
            let mut h = Histogram::uniform(bins, lo, hi).unwrap();
            // Values on, and one ulp either side of, every edge.
            let mut vals = xs;
            for e in h.binning().edges() {
                vals.extend([e.next_down(), e, e.next_up()]);
            }
            h.update(&vals);
            prop_assert_eq!(&h.tallies, &uniform_reference(&vals, lo, hi, bins));
        }

        #[test]
        fn uniform_counts_everything(
            xs in prop::collection::vec(prop_oneof![-10f64..10.0, Just(f64::NAN), Just(f64::NEG_INFINITY)], 0..3000),
            bins in 1usize..70,
        ) {
            let mut h = Histogram::uniform(bins, -5.0, 5.0).unwrap();
            h.update(&xs);
            prop_assert_eq!(h.total(), xs.len() as u64);
            let under = xs.iter().filter(|x| **x < -5.0).count() as u64;
            let over = xs.iter().filter(|x| **x > 5.0).count() as u64;
            prop_assert_eq!((h.underflow(), h.overflow()), (under, over));
        }
    }
}
