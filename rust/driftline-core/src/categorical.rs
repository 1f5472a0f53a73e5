//! The profile of one categorical column.
//!
//! Up to `category_cap` distinct values the column keeps exact counts. The value that would
//! exceed the cap switches the column to *sketch mode* for good: a frequent-items sketch
//! (Misra–Gries with reverse purge, `frequent_items` counters) estimates the heavy hitters, a
//! HyperLogLog estimates the number of distinct values, and `other` holds the weight of every
//! value the frequent-items sketch does not report, so reported counts plus `other` always add up
//! to the exact number of valid values.
//!
//! Memory per column is bounded in both modes: at most `category_cap` strings and counters in
//! exact mode; `frequent_items` strings and counters plus `2^hll_p` register bytes in sketch
//! mode (about 4096 × (48 + mean string length) bytes + 4 KiB with the defaults), whatever the
//! number of distinct values.

use hashbrown::HashMap;

use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};
use crate::frequent::FrequentItems;
use crate::hll::HyperLogLog;
use crate::schema::ProfileConfig;

/// Exact counts or sketches.
#[derive(Debug, Clone)]
pub enum Categories {
    /// Exact counts of every distinct value.
    Exact(HashMap<Box<str>, u64>),
    /// Heavy hitters and a distinct-count estimate, past the cap.
    Sketch {
        /// Frequent values with lower-bound counts.
        frequent: FrequentItems,
        /// Distinct-count estimator over every value seen.
        hll: HyperLogLog,
    },
}

/// Summary of a categorical column.
#[derive(Debug, Clone)]
pub struct CategoricalProfile {
    /// Values seen, of every kind.
    pub count: u64,
    /// Null values.
    pub null_count: u64,
    /// Values that could not be read as a category (for example NaN in a float column declared
    /// categorical).
    pub type_error_count: u64,
    valid: u64,
    categories: Categories,
    cap: usize,
    frequent_items: usize,
    hll_p: u8,
}

impl CategoricalProfile {
    /// An empty profile.
    pub fn new(config: &ProfileConfig) -> Self {
        Self {
            count: 0,
            null_count: 0,
            type_error_count: 0,
            valid: 0,
            categories: Categories::Exact(HashMap::new()),
            cap: config.category_cap,
            frequent_items: config.frequent_items,
            hll_p: config.hll_p,
        }
    }

    /// Valid (non-null) values.
    pub fn valid_count(&self) -> u64 {
        self.valid
    }

    /// Whether counts are exact (the cap was never exceeded).
    pub fn is_exact(&self) -> bool {
        matches!(self.categories, Categories::Exact(_))
    }

    /// The category state.
    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// Count `weight` occurrences of `value`.
    #[inline]
    pub fn add(&mut self, value: &str, weight: u64) {
        self.count += weight;
        self.valid += weight;
        match &mut self.categories {
            Categories::Exact(map) => {
                if let Some(c) = map.get_mut(value) {
                    *c += weight;
                    return;
                }
                if map.len() < self.cap {
                    map.insert(value.into(), weight);
                    return;
                }
                self.switch_to_sketch();
                self.add_to_sketch(value, weight);
            }
            Categories::Sketch { .. } => self.add_to_sketch(value, weight),
        }
    }

    fn add_to_sketch(&mut self, value: &str, weight: u64) {
        if let Categories::Sketch { frequent, hll } = &mut self.categories {
            frequent.update(value, weight);
            hll.insert(value.as_bytes());
        }
    }

    /// Switch from exact counts to sketches.
    fn switch_to_sketch(&mut self) {
        if let Categories::Exact(map) = &mut self.categories {
            let mut frequent =
                FrequentItems::try_new(self.frequent_items).expect("validated in ProfileConfig");
            let mut hll = HyperLogLog::try_new(self.hll_p).expect("validated in ProfileConfig");
            // Sorted insertion keeps the sketch independent of hash-map iteration order.
            let mut entries: Vec<(Box<str>, u64)> = map.drain().collect();
            entries.sort_unstable();
            for (k, c) in &entries {
                frequent.update(k, *c);
                hll.insert(k.as_bytes());
            }
            self.categories = Categories::Sketch { frequent, hll };
        }
    }

    /// Count `n` nulls.
    pub fn add_nulls(&mut self, n: u64) {
        self.count += n;
        self.null_count += n;
    }

    /// Count `n` unreadable values.
    pub fn add_type_errors(&mut self, n: u64) {
        self.count += n;
        self.type_error_count += n;
    }

    /// Number of distinct valid values: exact in exact mode, a HyperLogLog estimate past the cap.
    pub fn distinct(&self) -> f64 {
        match &self.categories {
            Categories::Exact(m) => m.len() as f64,
            Categories::Sketch { hll, .. } => hll.estimate().max(1.0),
        }
    }

    /// The counted values, most frequent first (ties by value), and the weight of all other
    /// values (`0` in exact mode when `n` covers every category).
    pub fn top(&self, n: usize) -> (Vec<(String, u64)>, u64) {
        let mut items: Vec<(String, u64)> = match &self.categories {
            Categories::Exact(m) => m.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            Categories::Sketch { frequent, .. } => frequent.items(),
        };
        items.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        items.truncate(n);
        let shown: u64 = items.iter().map(|x| x.1).sum();
        (items, self.valid - shown)
    }

    /// Every tracked category with its count (exact, or the frequent items past the cap), in
    /// no particular order, borrowing the strings; the second value is the count of the rest.
    pub fn counts(&self) -> (Vec<(&str, u64)>, u64) {
        let items: Vec<(&str, u64)> = match &self.categories {
            Categories::Exact(m) => m.iter().map(|(k, v)| (&**k, *v)).collect(),
            Categories::Sketch { frequent, .. } => frequent.iter().collect(),
        };
        let shown: u64 = items.iter().map(|x| x.1).sum();
        (items, self.valid - shown)
    }

    /// The category counts of `reference` and `current` aligned on the union of their
    /// categories (`__other__` standing for the untracked rest of a column past its cap), and
    /// the current categories absent from the reference, most frequent first:
    /// `(reference_counts, current_counts, new)`.
    pub fn align(
        reference: &CategoricalProfile,
        current: &CategoricalProfile,
    ) -> (Vec<u64>, Vec<u64>, Vec<(String, u64)>) {
        const OTHER: &str = "__other__";
        let (mut bi, bo) = reference.counts();
        let (mut ci, co) = current.counts();
        if bo > 0 {
            bi.push((OTHER, bo));
        }
        if co > 0 {
            ci.push((OTHER, co));
        }
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(bi.len() + ci.len());
        let mut rc = Vec::with_capacity(bi.len());
        for (i, (k, v)) in bi.iter().enumerate() {
            index.insert(k, i);
            rc.push(*v);
        }
        let mut cc = vec![0u64; rc.len()];
        let mut new = Vec::new();
        for (k, v) in ci {
            match index.get(k) {
                Some(&i) => cc[i] += v,
                None => {
                    index.insert(k, rc.len());
                    rc.push(0);
                    cc.push(v);
                    if k != OTHER {
                        new.push((k.to_string(), v));
                    }
                }
            }
        }
        new.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        (rc, cc, new)
    }

    /// Count of one value: exact in exact mode, a lower bound past the cap.
    pub fn count_of(&self, value: &str) -> u64 {
        match &self.categories {
            Categories::Exact(m) => m.get(value).copied().unwrap_or(0),
            Categories::Sketch { frequent, .. } => frequent.estimate(value),
        }
    }

    /// Largest amount by which a reported count can fall short of the truth (0 when exact).
    pub fn max_error(&self) -> u64 {
        match &self.categories {
            Categories::Exact(_) => 0,
            Categories::Sketch { frequent, .. } => frequent.max_error(),
        }
    }

    /// Combine with `other`.
    pub fn merge(&mut self, other: &CategoricalProfile) -> Result<()> {
        if (self.cap, self.frequent_items, self.hll_p)
            != (other.cap, other.frequent_items, other.hll_p)
        {
            return Err(Error::incompatible(
                "categories.config",
                format!(
                    "cap/frequent_items/hll_p {:?} vs {:?}",
                    (self.cap, self.frequent_items, self.hll_p),
                    (other.cap, other.frequent_items, other.hll_p)
                ),
            ));
        }
        self.count += other.count;
        self.null_count += other.null_count;
        self.type_error_count += other.type_error_count;
        match &other.categories {
            Categories::Exact(m) => {
                // Deterministic order so the sketch (if the cap is crossed) does not depend on
                // hash iteration order.
                let mut entries: Vec<(&Box<str>, &u64)> = m.iter().collect();
                entries.sort_unstable();
                let (count, null, te) = (self.count, self.null_count, self.type_error_count);
                for (k, c) in entries {
                    self.add(k, *c);
                }
                // `add` counted these values again; restore the tallies merged above.
                self.count = count;
                self.null_count = null;
                self.type_error_count = te;
            }
            Categories::Sketch { frequent, hll } => {
                self.switch_to_sketch();
                self.valid += other.valid;
                if let Categories::Sketch {
                    frequent: f,
                    hll: h,
                } = &mut self.categories
                {
                    f.merge(frequent)?;
                    h.merge(hll)?;
                }
            }
        }
        Ok(())
    }

    /// Serialize.
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.count);
        w.u64(self.null_count);
        w.u64(self.type_error_count);
        w.u64(self.valid);
        match &self.categories {
            Categories::Exact(m) => {
                w.u8(0);
                let mut entries: Vec<(&Box<str>, &u64)> = m.iter().collect();
                entries.sort_unstable();
                w.len(entries.len());
                for (k, c) in entries {
                    w.str(k);
                    w.u64(*c);
                }
            }
            Categories::Sketch { frequent, hll } => {
                w.u8(1);
                frequent.encode(w);
                hll.encode(w);
            }
        }
    }

    /// Deserialize and validate.
    pub fn decode(r: &mut Reader, config: &ProfileConfig) -> Result<Self> {
        let count = r.u64()?;
        let null_count = r.u64()?;
        let type_error_count = r.u64()?;
        let valid = r.u64()?;
        let sum = null_count
            .checked_add(type_error_count)
            .and_then(|s| s.checked_add(valid));
        ensure(sum == Some(count), || {
            format!("null {null_count} + type errors {type_error_count} + valid {valid} != count {count}")
        })?;
        let categories = match r.u8()? {
            0 => {
                let n = r.len(16)?;
                ensure(n <= config.category_cap, || {
                    format!(
                        "{n} exact categories exceed the cap {}",
                        config.category_cap
                    )
                })?;
                let mut m = HashMap::with_capacity(n);
                let mut total: u64 = 0;
                for _ in 0..n {
                    let k = r.str()?;
                    let c = r.u64()?;
                    ensure(c > 0, || format!("category {k:?} has a zero count"))?;
                    total = total
                        .checked_add(c)
                        .ok_or_else(|| Error::corrupt("category counts overflow"))?;
                    ensure(m.insert(k.clone().into_boxed_str(), c).is_none(), || {
                        format!("category {k:?} appears twice")
                    })?;
                }
                ensure(total == valid, || {
                    format!("category counts add up to {total}, valid values {valid}")
                })?;
                Categories::Exact(m)
            }
            1 => {
                let frequent = FrequentItems::decode(r)?;
                let hll = HyperLogLog::decode(r)?;
                ensure(frequent.total() == valid, || {
                    format!(
                        "frequent-items total {} != valid values {valid}",
                        frequent.total()
                    )
                })?;
                ensure(
                    frequent.max_items() == config.frequent_items && hll.p() == config.hll_p,
                    || "category sketch parameters differ from the profile config".into(),
                )?;
                Categories::Sketch { frequent, hll }
            }
            t => return Err(Error::corrupt(format!("unknown category mode tag {t}"))),
        };
        Ok(Self {
            count,
            null_count,
            type_error_count,
            valid,
            categories,
            cap: config.category_cap,
            frequent_items: config.frequent_items,
            hll_p: config.hll_p,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(cap: usize) -> ProfileConfig {
        ProfileConfig {
            category_cap: cap,
            frequent_items: 64,
            ..ProfileConfig::default()
        }
    }

    #[test]
    fn exact_until_cap_then_sketch_with_exact_totals() {
        let c = cfg(100);
        let mut p = CategoricalProfile::new(&c);
        for i in 0..50 {
            p.add(&format!("v{i}"), (i + 1) as u64);
        }
        assert!(p.is_exact());
        assert_eq!(p.distinct(), 50.0);
        for i in 0..100_000u64 {
            p.add(&format!("w{}", i % 5000), 1);
        }
        assert!(!p.is_exact());
        let (top, other) = p.top(10);
        assert_eq!(
            top.iter().map(|x| x.1).sum::<u64>() + other,
            p.valid_count()
        );
        let d = p.distinct();
        assert!((d - 5050.0).abs() / 5050.0 < 0.1, "{d}");
        let mut w = Writer::new();
        p.encode(&mut w);
        let b = w.finish();
        let q = CategoricalProfile::decode(&mut Reader::new(&b), &c).unwrap();
        assert_eq!(q.top(5), p.top(5));
    }

    #[test]
    fn merge_is_order_independent_below_cap() {
        let c = cfg(1000);
        let mut parts: Vec<CategoricalProfile> = (0..4)
            .map(|j| {
                let mut p = CategoricalProfile::new(&c);
                for i in 0..300u64 {
                    p.add(&format!("x{}", (i * (j + 3)) % 97), 1);
                }
                p.add_nulls(j);
                p
            })
            .collect();
        let mut a = parts[0].clone();
        for p in &parts[1..] {
            a.merge(p).unwrap();
        }
        parts.reverse();
        let mut b = parts[0].clone();
        for p in &parts[1..] {
            b.merge(p).unwrap();
        }
        assert_eq!(a.top(1000), b.top(1000));
        assert_eq!((a.count, a.null_count), (b.count, b.null_count));
        assert_eq!(a.count, 1206);
    }
}
