//! Frequent items over strings: the Misra–Gries summary with the "reverse purge" of the
//! DataSketches frequent-items sketch (Anderson, Bevan, Lang, Liberty, Rhodes and Thaler 2017).
//!
//! The sketch tracks at most `max_items` items, each with a counter. An update adds its weight to
//! the item's counter, inserting the item if needed. When an insertion makes the map hold more
//! than `max_items` items, a purge subtracts a common amount `d` from every counter, drops the
//! counters that reach zero, and adds `d` to a global `offset`. `d` is chosen as an order
//! statistic of the counters (about the median) so that at least `K = ceil(max_items / 2) + 1`
//! counters lose exactly `d` and about half of the items are dropped; purges therefore happen at
//! most once every `max_items / 2` insertions of new items and cost `O(max_items)`, so updates are
//! amortized `O(1)`.
//!
//! # Guarantees
//!
//! For every item, with `f` its true total weight and `c` its counter (0 when not tracked):
//! `c <= f <= c + offset`. [`FrequentItems::estimate`] returns `c` (a lower bound) and
//! [`FrequentItems::max_error`] returns `offset`. Each purge removes at least `K * d` weight from
//! the counters, so `sum(counters) + K * offset <= total` at all times (a serialized sketch is
//! checked against this), hence
//!
//! `max_error <= total / (ceil(max_items / 2) + 1)`, about `2 * total / max_items`,
//!
//! and every item whose true weight exceeds that bound is tracked. Merging adds the counters and
//! the offsets and purges once if needed, which keeps both guarantees. Purges depend only on the
//! multiset of counters, so results never depend on hash-map iteration order.

use hashbrown::hash_map::EntryRef;
use hashbrown::HashMap;

use crate::codec::{ensure, Reader, Writer};
use crate::error::{Error, Result};

/// Smallest accepted capacity.
const MIN_ITEMS: usize = 8;
/// Largest accepted capacity.
const MAX_ITEMS: usize = 1 << 24;

/// Frequent-items sketch over strings (Misra–Gries with reverse purge).
#[derive(Debug, Clone)]
pub struct FrequentItems {
    max_items: usize,
    total: u64,
    offset: u64,
    counters: HashMap<Box<str>, u64>,
}

/// Number of counters that lose the full purge amount in every purge.
fn purge_keep(max_items: usize) -> usize {
    max_items - max_items / 2 + 1
}

impl FrequentItems {
    /// An empty sketch tracking at most `max_items` items (`8 <= max_items <= 2^24`).
    pub fn try_new(max_items: usize) -> Result<Self> {
        if !(MIN_ITEMS..=MAX_ITEMS).contains(&max_items) {
            return Err(Error::invalid(format!(
                "frequent-items max_items must be in [{MIN_ITEMS}, {MAX_ITEMS}], got {max_items}"
            )));
        }
        Ok(Self {
            max_items,
            total: 0,
            offset: 0,
            counters: HashMap::new(),
        })
    }

    /// The maximum number of tracked items.
    pub fn max_items(&self) -> usize {
        self.max_items
    }

    /// Total weight seen (exact; saturates at `u64::MAX`).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Add `weight` occurrences of `item`. Allocates only when the item is not yet tracked.
    #[inline]
    pub fn update(&mut self, item: &str, weight: u64) {
        if weight == 0 {
            return;
        }
        self.total = self.total.saturating_add(weight);
        match self.counters.entry_ref(item) {
            EntryRef::Occupied(mut e) => {
                let c = e.get_mut();
                *c = c.saturating_add(weight);
            }
            EntryRef::Vacant(e) => {
                e.insert(weight);
                if self.counters.len() > self.max_items {
                    self.purge();
                }
            }
        }
    }

    /// Subtract an order statistic from every counter so that at least `purge_keep` counters
    /// lose it in full and at most `purge_keep - 1 <= max_items` counters remain.
    #[cold]
    fn purge(&mut self) {
        let n = self.counters.len();
        let keep = purge_keep(self.max_items);
        debug_assert!(n > self.max_items && n >= keep);
        let mut values: Vec<u64> = self.counters.values().copied().collect();
        let (_, &mut d, _) = values.select_nth_unstable(n - keep);
        self.counters.retain(|_, c| {
            *c -= (*c).min(d);
            *c > 0
        });
        self.offset = self.offset.saturating_add(d);
    }

    /// Add the contents of `other`, which must have the same `max_items`.
    pub fn merge(&mut self, other: &FrequentItems) -> Result<()> {
        if self.max_items != other.max_items {
            return Err(Error::incompatible(
                "frequent.max_items",
                format!("{} vs {}", self.max_items, other.max_items),
            ));
        }
        self.total = self.total.saturating_add(other.total);
        self.offset = self.offset.saturating_add(other.offset);
        for (item, &c) in &other.counters {
            let slot = self.counters.entry_ref(&**item).or_insert(0);
            *slot = slot.saturating_add(c);
        }
        if self.counters.len() > self.max_items {
            self.purge();
        }
        Ok(())
    }

    /// Bound on the error of every estimate: the true weight of any item lies in
    /// `[estimate(item), estimate(item) + max_error()]`.
    pub fn max_error(&self) -> u64 {
        self.offset
    }

    /// Lower bound on the true weight of `item` (0 when it is not tracked).
    pub fn estimate(&self, item: &str) -> u64 {
        self.counters.get(item).copied().unwrap_or(0)
    }

    /// The `n` tracked items with the largest estimates, by estimate descending then item
    /// ascending.
    pub fn top(&self, n: usize) -> Vec<(String, u64)> {
        let mut all: Vec<(&str, u64)> = self.counters.iter().map(|(k, &c)| (&**k, c)).collect();
        let by_rank = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        if n < all.len() {
            all.select_nth_unstable_by(n, by_rank);
            all.truncate(n);
        }
        all.sort_unstable_by(by_rank);
        all.into_iter().map(|(k, c)| (k.to_owned(), c)).collect()
    }

    /// Every tracked item with its estimate (as [`FrequentItems::items`]), in no particular
    /// order, borrowing the strings.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.counters.iter().map(|(k, &c)| (&**k, c))
    }

    /// Every tracked item with its estimate, sorted by item.
    pub fn items(&self) -> Vec<(String, u64)> {
        let mut all: Vec<(String, u64)> = self
            .counters
            .iter()
            .map(|(k, &c)| (k.to_string(), c))
            .collect();
        all.sort_unstable();
        all
    }

    /// Append the serialized sketch to `w` (items in ascending order, so the bytes are canonical).
    pub fn encode(&self, w: &mut Writer) {
        w.u64(self.max_items as u64);
        w.u64(self.total);
        w.u64(self.offset);
        let mut all: Vec<(&str, u64)> = self.counters.iter().map(|(k, &c)| (&**k, c)).collect();
        all.sort_unstable();
        w.len(all.len());
        for (item, c) in all {
            w.str(item);
            w.u64(c);
        }
    }

    /// Read a sketch written by [`FrequentItems::encode`], checking every invariant.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let max_items = r.u64()?;
        ensure(
            (MIN_ITEMS as u64..=MAX_ITEMS as u64).contains(&max_items),
            || format!("frequent.max_items {max_items} is outside [{MIN_ITEMS}, {MAX_ITEMS}]"),
        )?;
        let max_items = max_items as usize;
        let total = r.u64()?;
        let offset = r.u64()?;
        // Each item takes at least 16 bytes (string length and counter).
        let n = r.len(16)?;
        ensure(n <= max_items, || {
            format!("frequent: {n} items exceed max_items {max_items}")
        })?;
        let mut sketch = Self::try_new(max_items)?;
        let mut previous: Option<String> = None;
        let mut sum: u128 = 0;
        for _ in 0..n {
            let item = r.str()?;
            let c = r.u64()?;
            ensure(c > 0, || {
                format!("frequent: item {item:?} has a zero counter")
            })?;
            ensure(
                previous.as_deref().is_none_or(|p| p < item.as_str()),
                || format!("frequent: item {item:?} is duplicated or out of order"),
            )?;
            sum += u128::from(c);
            sketch.counters.insert(item.as_str().into(), c);
            previous = Some(item);
        }
        let accounted = sum + u128::from(offset) * purge_keep(max_items) as u128;
        ensure(total == u64::MAX || accounted <= u128::from(total), || {
            format!(
                "frequent: counters ({sum}) and purged weight ({offset} x {}) exceed the total {total}",
                purge_keep(max_items)
            )
        })?;
        sketch.total = total;
        sketch.offset = offset;
        Ok(sketch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use proptest::prelude::*;
    use std::collections::HashMap as StdMap;

    /// `n` draws from a Zipf(s) law over `universe` items.
    fn zipf(seed: u64, n: usize, universe: usize, s: f64) -> Vec<String> {
        let weights: Vec<f64> = (1..=universe).map(|k| (k as f64).powf(-s)).collect();
        let mut cdf = Vec::with_capacity(universe);
        let mut acc = 0.0;
        for w in &weights {
            acc += w;
            cdf.push(acc);
        }
        let mut r = SplitMix64::new(seed);
        (0..n)
            .map(|_| {
                let u = (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * acc;
                let k = cdf.partition_point(|&c| c <= u).min(universe - 1);
                format!("item-{k}")
            })
            .collect()
    }

    fn exact(stream: &[(String, u64)]) -> StdMap<String, u64> {
        let mut m = StdMap::new();
        for (k, w) in stream {
            *m.entry(k.clone()).or_insert(0) += w;
        }
        m
    }

    fn sketch_of(stream: &[(String, u64)], max_items: usize) -> FrequentItems {
        let mut s = FrequentItems::try_new(max_items).unwrap();
        for (k, w) in stream {
            s.update(k, *w);
        }
        s
    }

    /// Every guarantee of the module documentation, against exact counts.
    fn check_guarantees(s: &FrequentItems, truth: &StdMap<String, u64>) {
        let total: u64 = truth.values().sum();
        assert_eq!(s.total(), total);
        let keep = purge_keep(s.max_items()) as u64;
        let sum: u64 = s.items().iter().map(|(_, c)| c).sum();
        assert!(sum + keep * s.max_error() <= total);
        assert!(s.max_error() <= total / keep);
        assert!(s.items().len() <= s.max_items());
        for (item, &f) in truth {
            let c = s.estimate(item);
            assert!(c <= f && f <= c + s.max_error(), "{item}: {c} vs {f}");
            if f > total / keep {
                assert!(c > 0, "{item} with weight {f} of {total} is not tracked");
            }
        }
        for (item, c) in s.items() {
            assert!(truth.contains_key(&item) && c > 0);
        }
    }

    fn weighted(items: Vec<String>, seed: u64) -> Vec<(String, u64)> {
        let mut r = SplitMix64::new(seed);
        items
            .into_iter()
            .map(|k| (k, 1 + r.next_u64() % 5))
            .collect()
    }

    #[test]
    fn zipf_guarantees() {
        for (max_items, s) in [(8, 1.3), (64, 1.1), (256, 0.9), (1024, 1.0)] {
            let stream: Vec<(String, u64)> = zipf(max_items as u64, 100_000, 50_000, s)
                .into_iter()
                .map(|k| (k, 1))
                .collect();
            let sk = sketch_of(&stream, max_items);
            let truth = exact(&stream);
            check_guarantees(&sk, &truth);
            assert!(sk.max_error() > 0, "the stream should overflow the sketch");
            // The heaviest items are found, in order.
            let mut exact_top: Vec<(&String, &u64)> = truth.iter().collect();
            exact_top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            assert_eq!(sk.top(1)[0].0, *exact_top[0].0);
            let w = weighted(zipf(7, 50_000, 10_000, s), 3);
            check_guarantees(&sketch_of(&w, max_items), &exact(&w));
        }
    }

    #[test]
    fn merge_of_splits_keeps_the_guarantees() {
        let stream = weighted(zipf(11, 60_000, 20_000, 1.1), 5);
        let truth = exact(&stream);
        for max_items in [8, 100] {
            let parts: Vec<FrequentItems> = stream
                .chunks(7_000)
                .map(|c| sketch_of(c, max_items))
                .collect();
            let mut left = FrequentItems::try_new(max_items).unwrap();
            for p in &parts {
                left.merge(p).unwrap();
            }
            check_guarantees(&left, &truth);
            // A tree of merges.
            let mut level = parts.clone();
            while level.len() > 1 {
                level = level
                    .chunks(2)
                    .map(|pair| {
                        let mut a = pair[0].clone();
                        if let Some(b) = pair.get(1) {
                            a.merge(b).unwrap();
                        }
                        a
                    })
                    .collect();
            }
            check_guarantees(&level[0], &truth);
        }
    }

    #[test]
    fn exact_while_under_capacity() {
        let mut s = FrequentItems::try_new(8).unwrap();
        for (k, w) in [("b", 3), ("a", 3), ("c", 10), ("a", 1), ("", 2), ("é", 0)] {
            s.update(k, w);
        }
        assert_eq!(s.total(), 19);
        assert_eq!(s.max_error(), 0);
        assert_eq!(s.estimate("a"), 4);
        assert_eq!(s.estimate("é"), 0);
        assert_eq!(s.estimate("zzz"), 0);
        let top = s.top(3);
        assert_eq!(
            top,
            vec![
                ("c".to_string(), 10),
                ("a".to_string(), 4),
                ("b".to_string(), 3)
            ]
        );
        assert_eq!(s.top(0), vec![]);
        assert_eq!(s.top(100).len(), 4);
        let items = s.items();
        assert_eq!(items[0], (String::new(), 2));
        assert_eq!(items.len(), 4);
        // Ties are broken by item.
        let mut t = FrequentItems::try_new(8).unwrap();
        for k in ["q", "p", "r"] {
            t.update(k, 5);
        }
        let names: Vec<String> = t.top(2).into_iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["p", "q"]);
    }

    #[test]
    fn argument_errors() {
        assert!(matches!(
            FrequentItems::try_new(7),
            Err(Error::InvalidArgument(_))
        ));
        assert!(FrequentItems::try_new(MAX_ITEMS + 1).is_err());
        let mut a = FrequentItems::try_new(8).unwrap();
        let b = FrequentItems::try_new(16).unwrap();
        match a.merge(&b) {
            Err(Error::Incompatible { field, detail }) => {
                assert_eq!(field, "frequent.max_items");
                assert_eq!(detail, "8 vs 16");
            }
            r => panic!("expected incompatible, got {r:?}"),
        }
    }

    fn to_bytes(s: &FrequentItems) -> Vec<u8> {
        let mut w = Writer::new();
        s.encode(&mut w);
        w.finish()
    }

    fn from_bytes(b: &[u8]) -> Result<FrequentItems> {
        let mut r = Reader::new(b);
        let s = FrequentItems::decode(&mut r)?;
        r.finish()?;
        Ok(s)
    }

    #[test]
    fn round_trip_and_validation() {
        let stream = weighted(zipf(3, 5_000, 1_000, 1.0), 9);
        let s = sketch_of(&stream, 16);
        let bytes = to_bytes(&s);
        let back = from_bytes(&bytes).unwrap();
        assert_eq!(back.items(), s.items());
        assert_eq!((back.total(), back.max_error()), (s.total(), s.max_error()));
        assert_eq!(to_bytes(&back), bytes);
        for cut in 0..bytes.len() {
            assert!(from_bytes(&bytes[..cut]).is_err());
        }
        let empty = FrequentItems::try_new(8).unwrap();
        assert_eq!(from_bytes(&to_bytes(&empty)).unwrap().items(), vec![]);

        let raw = |max: u64, total: u64, offset: u64, items: &[(&str, u64)]| {
            let mut w = Writer::new();
            w.u64(max);
            w.u64(total);
            w.u64(offset);
            w.len(items.len());
            for (k, c) in items {
                w.str(k);
                w.u64(*c);
            }
            w.finish()
        };
        assert!(from_bytes(&raw(8, 10, 1, &[("a", 2), ("b", 3)])).is_ok());
        let bad = [
            raw(7, 10, 0, &[]),
            raw(u64::MAX, 10, 0, &[]),
            raw(8, 10, 0, &[("b", 2), ("a", 3)]),
            raw(8, 10, 0, &[("a", 2), ("a", 3)]),
            raw(8, 10, 0, &[("a", 0)]),
            raw(8, 4, 0, &[("a", 2), ("b", 3)]),
            raw(8, 10, 2, &[("a", 2), ("b", 3)]),
            raw(
                8,
                100,
                0,
                &[
                    ("0", 1),
                    ("1", 1),
                    ("2", 1),
                    ("3", 1),
                    ("4", 1),
                    ("5", 1),
                    ("6", 1),
                    ("7", 1),
                    ("8", 1),
                ],
            ),
        ];
        for (i, b) in bad.iter().enumerate() {
            assert!(matches!(from_bytes(b), Err(Error::Corrupt(_))), "case {i}");
        }
        let mut invalid_utf8 = raw(8, 10, 0, &[("a", 2)]);
        invalid_utf8[40] = 0xff;
        assert!(from_bytes(&invalid_utf8).is_err());
    }

    #[test]
    fn updates_of_tracked_items_do_not_grow_the_map() {
        let mut s = FrequentItems::try_new(8).unwrap();
        s.update("x", 1);
        let cap = s.counters.capacity();
        for _ in 0..10_000 {
            s.update("x", 1);
        }
        assert_eq!(s.counters.capacity(), cap);
        assert_eq!(s.estimate("x"), 10_001);
    }

    proptest! {
        #[test]
        fn prop_guarantees_hold(
            stream in prop::collection::vec((0u32..40, 1u64..20), 0..400),
            split in 0usize..400,
            max_items in 8usize..20,
        ) {
            let stream: Vec<(String, u64)> =
                stream.into_iter().map(|(k, w)| (format!("k{k}"), w)).collect();
            let truth = exact(&stream);
            let whole = sketch_of(&stream, max_items);
            check_guarantees(&whole, &truth);
            let split = split.min(stream.len());
            let mut merged = sketch_of(&stream[..split], max_items);
            merged.merge(&sketch_of(&stream[split..], max_items)).unwrap();
            check_guarantees(&merged, &truth);
            let back = from_bytes(&to_bytes(&merged)).unwrap();
            prop_assert_eq!(back.items(), merged.items());
            prop_assert_eq!(back.max_error(), merged.max_error());
        }
    }
}
