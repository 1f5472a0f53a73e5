//! A small, fast, seedable random source (SplitMix64) used by the randomized sketches.
//!
//! Sketch randomness must be reproducible (the same seed gives the same sketch) and must not depend
//! on any global state, so that profiles built on different machines are comparable.

/// SplitMix64 generator (Steele, Lea and Flood 2014).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }
    /// The internal state (for serialization).
    pub fn state(&self) -> u64 {
        self.state
    }
    /// Next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// One random bit.
    #[inline]
    pub fn next_bit(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
}
