//! The profile of one numeric column.
//!
//! Every value seen lands in exactly one tally: `null`, `nan`, `posinf`, `neginf`, `type_error`
//! (a value that could not be read as a number, such as the string `"abc"` in a column declared
//! numeric), or `valid`. Only valid (finite) values enter the moments, the KLL sketch, the
//! DDSketch and the histogram, so `valid == kll.n() == ddsketch.count() == histogram.total()`.

use crate::codec::{ensure, Reader, Writer};
use crate::ddsketch::DDSketch;
use crate::error::{Error, Result};
use crate::histogram::Histogram;
use crate::kll::KllSketch;
use crate::moments::Moments;
use crate::schema::ProfileConfig;

/// Values are buffered and handed to the sketches in runs of this many finite values.
pub const RUN: usize = 4096;

/// Summary of a numeric column.
#[derive(Debug, Clone)]
pub struct NumericProfile {
    /// Values seen, of every kind (null, non-finite, type errors and valid).
    pub count: u64,
    /// Null values.
    pub null_count: u64,
    /// NaN values.
    pub nan_count: u64,
    /// +inf values.
    pub posinf_count: u64,
    /// −inf values.
    pub neginf_count: u64,
    /// Values that could not be read as numbers.
    pub type_error_count: u64,
    /// Moments of the finite values.
    pub moments: Moments,
    /// Quantile sketch of the finite values.
    pub kll: KllSketch,
    /// Relative-error sketch of the finite values.
    pub dd: DDSketch,
    /// Exact histogram on fixed (baseline) edges, when requested.
    pub histogram: Option<Histogram>,
}

impl NumericProfile {
    /// An empty profile; `edges` adds an exact histogram on those bin edges.
    pub fn new(config: &ProfileConfig, edges: Option<&[f64]>) -> Result<Self> {
        Ok(Self {
            count: 0,
            null_count: 0,
            nan_count: 0,
            posinf_count: 0,
            neginf_count: 0,
            type_error_count: 0,
            moments: Moments::new(),
            kll: KllSketch::try_new(config.kll_k)?,
            dd: DDSketch::try_new(config.dd_alpha, config.dd_max_buckets)?,
            histogram: edges
                .map(|e| Histogram::from_edges(e.to_vec()))
                .transpose()?,
        })
    }

    /// Bin edges for comparing other data with this column: the `i/bins` quantiles of the KLL
    /// sketch for `i = 0..=bins` (exact minimum and maximum at the ends), with repeated edges
    /// dropped. A constant column gets the edges `[c, next_up(c)]`. `None` without finite values.
    /// A column that already has a histogram (a baseline profiled against itself) returns that
    /// histogram's edges, so data profiled against it is counted on exactly the same bins.
    pub fn bin_edges(&self, bins: usize) -> Option<Vec<f64>> {
        if let Some(h) = &self.histogram {
            return Some(h.binning().edges());
        }
        if self.valid_count() == 0 || bins == 0 {
            return None;
        }
        let qs: Vec<f64> = (0..=bins).map(|i| i as f64 / bins as f64).collect();
        let mut edges = self.kll.quantiles(&qs).ok()?;
        edges.dedup_by(|b, a| *b <= *a);
        if edges.len() < 2 {
            let c = edges[0];
            if c.next_up().is_finite() {
                edges.push(c.next_up());
            } else {
                edges.insert(0, c.next_down());
            }
        }
        Some(edges)
    }

    /// Finite values in the column.
    pub fn valid_count(&self) -> u64 {
        self.moments.n()
    }

    /// Feed a run of finite values (at most a few thousand, so the sketches stay in cache).
    pub fn add_finite(&mut self, xs: &[f64]) {
        self.count += xs.len() as u64;
        self.moments.extend_finite(xs);
        self.kll.update_slice(xs);
        self.dd.update_slice(xs);
        if let Some(h) = &mut self.histogram {
            h.update_serial(xs);
        }
    }

    /// Feed any values: NaN and ±inf are counted and left out of the sketches.
    pub fn add_values(&mut self, xs: &[f64]) {
        let mut buf = [0.0f64; RUN];
        for chunk in xs.chunks(RUN) {
            let mut n = 0;
            for &x in chunk {
                buf[n] = x;
                n += x.is_finite() as usize;
                if !x.is_finite() {
                    self.count_non_finite(x);
                }
            }
            self.add_finite(&buf[..n]);
        }
    }

    /// Count one non-finite value in its tally.
    #[inline]
    pub fn count_non_finite(&mut self, x: f64) {
        self.count += 1;
        if x.is_nan() {
            self.nan_count += 1;
        } else if x > 0.0 {
            self.posinf_count += 1;
        } else {
            self.neginf_count += 1;
        }
    }

    /// Count `n` nulls.
    pub fn add_nulls(&mut self, n: u64) {
        self.count += n;
        self.null_count += n;
    }

    /// Count `n` values that could not be read as numbers.
    pub fn add_type_errors(&mut self, n: u64) {
        self.count += n;
        self.type_error_count += n;
    }

    /// Combine with `other` (same configuration and histogram edges).
    pub fn merge(&mut self, other: &NumericProfile) -> Result<()> {
        match (&mut self.histogram, &other.histogram) {
            (Some(a), Some(b)) => a.merge(b)?,
            (None, None) => {}
            _ => {
                return Err(Error::incompatible(
                    "histogram",
                    "one profile has baseline bin edges and the other has none",
                ))
            }
        }
        self.kll.merge(&other.kll)?;
        self.dd.merge(&other.dd)?;
        self.moments.merge(&other.moments);
        self.count += other.count;
        self.null_count += other.null_count;
        self.nan_count += other.nan_count;
        self.posinf_count += other.posinf_count;
        self.neginf_count += other.neginf_count;
        self.type_error_count += other.type_error_count;
        Ok(())
    }

    /// Serialize.
    pub fn encode(&self, w: &mut Writer) {
        for c in [
            self.count,
            self.null_count,
            self.nan_count,
            self.posinf_count,
            self.neginf_count,
            self.type_error_count,
        ] {
            w.u64(c);
        }
        self.moments.encode(w);
        self.kll.encode(w);
        self.dd.encode(w);
        match &self.histogram {
            None => w.u8(0),
            Some(h) => {
                w.u8(1);
                h.encode(w);
            }
        }
    }

    /// Deserialize and validate the cross-field invariants.
    pub fn decode(r: &mut Reader, config: &ProfileConfig) -> Result<Self> {
        let count = r.u64()?;
        let null_count = r.u64()?;
        let nan_count = r.u64()?;
        let posinf_count = r.u64()?;
        let neginf_count = r.u64()?;
        let type_error_count = r.u64()?;
        let moments = Moments::decode(r)?;
        let kll = KllSketch::decode(r)?;
        let dd = DDSketch::decode(r)?;
        let histogram = match r.u8()? {
            0 => None,
            1 => Some(Histogram::decode(r)?),
            t => {
                return Err(Error::corrupt(format!(
                    "unknown histogram presence tag {t}"
                )))
            }
        };
        let valid = moments.n();
        let parts = [
            null_count,
            nan_count,
            posinf_count,
            neginf_count,
            type_error_count,
            valid,
        ];
        let sum = parts.iter().try_fold(0u64, |a, b| a.checked_add(*b));
        ensure(sum == Some(count), || {
            format!("tallies {parts:?} do not add up to the count {count}")
        })?;
        ensure(kll.n() == valid, || {
            format!("KLL holds {} values, moments {valid}", kll.n())
        })?;
        ensure(dd.count() == valid, || {
            format!("DDSketch holds {} values, moments {valid}", dd.count())
        })?;
        ensure(kll.k() == config.kll_k, || {
            "KLL k differs from the profile config".into()
        })?;
        ensure(dd.alpha() == config.dd_alpha, || {
            "DDSketch alpha differs from the profile config".into()
        })?;
        if let Some(h) = &histogram {
            ensure(h.total() == valid && h.nan() == 0, || {
                format!("histogram holds {} values, moments {valid}", h.total())
            })?;
        }
        if valid > 0 {
            ensure(
                kll.min() == moments.min() && kll.max() == moments.max(),
                || "KLL min/max differ from the moments".into(),
            )?;
        }
        Ok(Self {
            count,
            null_count,
            nan_count,
            posinf_count,
            neginf_count,
            type_error_count,
            moments,
            kll,
            dd,
            histogram,
        })
    }
}
