//! Mergeable moments: count, mean, second central moment, min and max.
//!
//! Batches are summarised with the corrected two-pass algorithm (a mean, then the sum of squared
//! deviations with the rounding-error correction term of Björck), and summaries are combined with
//! the pairwise update of Chan, Golub and LeVeque (1979). Both are stable: the relative error of
//! the mean and variance stays near machine precision even for data with a large offset, where the
//! textbook `Σx² − n·mean²` formula loses every digit.

use crate::codec::{ensure, Reader, Writer};
use crate::error::Result;

/// Count, mean, M2 (sum of squared deviations), min and max of finite values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Self {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

/// Sum of a slice with four independent accumulators (vectorizes, and halves the error growth
/// of a single running sum).
#[inline]
fn sum4(xs: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let chunks = xs.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        acc[0] += c[0];
        acc[1] += c[1];
        acc[2] += c[2];
        acc[3] += c[3];
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for x in rest {
        s += x;
    }
    s
}

impl Moments {
    /// Empty moments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moments of `xs`, which must hold finite values only.
    pub fn of_finite(xs: &[f64]) -> Self {
        if xs.is_empty() {
            return Self::default();
        }
        let n = xs.len() as f64;
        let mut mean0 = sum4(xs) / n;
        if !mean0.is_finite() {
            // The sum overflowed (values near ±f64::MAX): average pre-scaled values instead.
            let inv = 1.0 / n;
            mean0 = xs.iter().map(|x| x * inv).sum::<f64>();
        }
        let mut dev = [0.0f64; 4];
        let mut sq = [0.0f64; 4];
        let mut lo = [f64::INFINITY; 4];
        let mut hi = [f64::NEG_INFINITY; 4];
        let chunks = xs.chunks_exact(4);
        let rest = chunks.remainder();
        for c in chunks {
            for l in 0..4 {
                let d = c[l] - mean0;
                dev[l] += d;
                sq[l] += d * d;
                lo[l] = lo[l].min(c[l]);
                hi[l] = hi[l].max(c[l]);
            }
        }
        let (mut d_sum, mut sq_sum) = (
            (dev[0] + dev[1]) + (dev[2] + dev[3]),
            (sq[0] + sq[1]) + (sq[2] + sq[3]),
        );
        let mut min = lo[0].min(lo[1]).min(lo[2].min(lo[3]));
        let mut max = hi[0].max(hi[1]).max(hi[2].max(hi[3]));
        for &x in rest {
            let d = x - mean0;
            d_sum += d;
            sq_sum += d * d;
            min = min.min(x);
            max = max.max(x);
        }
        // Corrected two-pass: the mean is refined by the mean deviation, and M2 loses the
        // (Σd)²/n term that the rounding of mean0 introduced.
        let mut mean = mean0 + d_sum / n;
        if !mean.is_finite() {
            mean = mean0;
        }
        let m2 = (sq_sum - d_sum * d_sum / n).max(0.0);
        Self {
            n: xs.len() as u64,
            mean,
            m2,
            min,
            max,
        }
    }

    /// Add one finite value (Welford's update).
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Add a slice of finite values.
    pub fn extend_finite(&mut self, xs: &[f64]) {
        self.merge(&Self::of_finite(xs));
    }

    /// Combine with `other` (Chan et al.); exact for `n`, `min` and `max`.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = na + nb;
        let delta = other.mean - self.mean;
        // Weighted mean is more accurate than mean_a + delta*nb/n when the means differ widely.
        self.mean = if na >= nb {
            self.mean + delta * (nb / n)
        } else {
            other.mean - delta * (na / n)
        };
        self.m2 = self.m2 + other.m2 + delta * delta * (na * nb / n);
        self.n += other.n;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values.
    pub fn n(&self) -> u64 {
        self.n
    }
    /// Mean, `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }
    /// Variance with `ddof` delta degrees of freedom (`None` when `n <= ddof`).
    pub fn variance(&self, ddof: u64) -> Option<f64> {
        (self.n > ddof).then(|| self.m2 / (self.n - ddof) as f64)
    }
    /// Sum of squared deviations from the mean.
    pub fn m2(&self) -> f64 {
        self.m2
    }
    /// Smallest value, `None` when empty.
    pub fn min(&self) -> Option<f64> {
        (self.n > 0).then_some(self.min)
    }
    /// Largest value, `None` when empty.
    pub fn max(&self) -> Option<f64> {
        (self.n > 0).then_some(self.max)
    }

    /// Serialize.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.n);
        w.f64(self.mean);
        w.f64(self.m2);
        w.f64(self.min);
        w.f64(self.max);
    }

    /// Deserialize and validate.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let m = Self {
            n: r.u64()?,
            mean: r.f64()?,
            m2: r.f64()?,
            min: r.f64()?,
            max: r.f64()?,
        };
        if m.n == 0 {
            ensure(
                m.mean == 0.0
                    && m.m2 == 0.0
                    && m.min == f64::INFINITY
                    && m.max == f64::NEG_INFINITY,
                || "moments of an empty column are not empty".into(),
            )?;
        } else {
            ensure(
                m.min.is_finite() && m.max.is_finite() && m.min <= m.max,
                || {
                    format!(
                        "moments min {} / max {} are not finite and ordered",
                        m.min, m.max
                    )
                },
            )?;
            ensure(m.mean.is_finite(), || "moments mean is not finite".into())?;
            // The mean may exceed [min, max] by rounding only.
            let slack = (m.max - m.min).abs() * 1e-9 + m.max.abs().max(m.min.abs()) * 1e-12;
            ensure(m.mean >= m.min - slack && m.mean <= m.max + slack, || {
                format!(
                    "moments mean {} lies outside [{}, {}]",
                    m.mean, m.min, m.max
                )
            })?;
            ensure(m.m2 >= 0.0 && !m.m2.is_nan(), || {
                "moments M2 is negative or NaN".into()
            })?;
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        (mean, var)
    }

    #[test]
    fn batch_push_and_merge_agree() {
        let xs: Vec<f64> = (0..10_001)
            .map(|i| 1e9 + ((i * 7919) % 1000) as f64 * 0.001)
            .collect();
        let (mean, var) = naive(&xs);
        let a = Moments::of_finite(&xs);
        let mut b = Moments::new();
        for &x in &xs {
            b.push(x);
        }
        let mut c = Moments::of_finite(&xs[..3]);
        c.merge(&Moments::of_finite(&xs[3..5000]));
        c.merge(&Moments::of_finite(&xs[5000..]));
        for m in [a, b, c] {
            assert_eq!(m.n(), xs.len() as u64);
            assert!((m.mean().unwrap() - mean).abs() <= 1e-12 * mean.abs());
            assert!(
                (m.variance(0).unwrap() - var).abs() <= 1e-6 * var,
                "{:?} {var}",
                m.variance(0)
            );
            assert_eq!(m.min(), Some(1e9));
        }
    }

    #[test]
    fn empty_and_round_trip() {
        let e = Moments::new();
        assert_eq!(e.mean(), None);
        assert_eq!(e.variance(1), None);
        let m = Moments::of_finite(&[1.0, 2.0, 4.0]);
        let mut w = Writer::new();
        m.encode(&mut w);
        let b = w.finish();
        assert_eq!(Moments::decode(&mut Reader::new(&b)).unwrap(), m);
    }
}
