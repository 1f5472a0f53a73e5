//! The byte format: a checksummed, versioned envelope around a little-endian payload.
//!
//! ```text
//! offset size field
//! 0      4    magic  b"DLNE"
//! 4      2    format version (u16, currently 1)
//! 6      1    object kind (see [`Kind`])
//! 7      1    reserved, must be 0
//! 8      8    payload length in bytes (u64)
//! 16     4    CRC-32 (IEEE) of the payload
//! 20     n    payload
//! ```
//!
//! The [`Reader`] never allocates more than the bytes it was given can justify: every length read
//! from the payload is checked against the bytes that remain before anything is reserved.

use crate::error::{Error, Result};

/// Magic bytes that open every serialized driftline object.
pub const MAGIC: &[u8; 4] = b"DLNE";
/// The format version written by this build.
pub const FORMAT_VERSION: u16 = 1;
/// Size of the envelope header.
pub const HEADER_LEN: usize = 20;

/// What a serialized object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// A [`crate::profile::Profile`].
    Profile = 1,
    /// A [`crate::kll::KllSketch`].
    Kll = 2,
    /// A [`crate::ddsketch::DDSketch`].
    DDSketch = 3,
    /// A [`crate::histogram::Histogram`].
    Histogram = 4,
    /// A [`crate::metrics::scores::BinaryScoreHistogram`].
    BinaryScores = 5,
    /// A [`crate::metrics::scores::MulticlassScoreAccumulator`].
    MulticlassScores = 6,
    /// A [`crate::metrics::scores::SegmentedBinaryScores`].
    SegmentedBinaryScores = 7,
    /// A [`crate::metrics::scores::SegmentedMulticlassScores`].
    SegmentedMulticlassScores = 8,
    /// A [`crate::metrics::Performance`].
    Performance = 9,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Profile => "Profile",
            Kind::Kll => "KLL",
            Kind::DDSketch => "DDSketch",
            Kind::Histogram => "Histogram",
            Kind::BinaryScores => "BinaryScoreHistogram",
            Kind::MulticlassScores => "MulticlassScoreAccumulator",
            Kind::SegmentedBinaryScores => "SegmentedBinaryScores",
            Kind::SegmentedMulticlassScores => "SegmentedMulticlassScores",
            Kind::Performance => "Performance",
        }
    }
}

/// Wrap `payload` in the envelope.
pub fn seal(kind: Kind, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind as u8);
    out.push(0);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Check the envelope of `bytes` and return its payload.
pub fn open(bytes: &[u8], kind: Kind) -> Result<&[u8]> {
    if bytes.len() < HEADER_LEN {
        return Err(Error::corrupt(format!(
            "{} bytes are too short for a driftline header ({HEADER_LEN} bytes)",
            bytes.len()
        )));
    }
    if &bytes[0..4] != MAGIC {
        return Err(Error::corrupt(
            "bad magic: not a serialized driftline object",
        ));
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedFormat(format!(
            "format version {version}; this build reads version {FORMAT_VERSION}"
        )));
    }
    if bytes[6] != kind as u8 {
        return Err(Error::corrupt(format!(
            "object kind tag {} where a {} (tag {}) was expected",
            bytes[6],
            kind.name(),
            kind as u8
        )));
    }
    if bytes[7] != 0 {
        return Err(Error::corrupt("reserved header byte is not zero"));
    }
    let len = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes"));
    let available = (bytes.len() - HEADER_LEN) as u64;
    if len != available {
        return Err(Error::corrupt(format!(
            "header announces a {len}-byte payload but {available} bytes follow"
        )));
    }
    let crc = u32::from_le_bytes(bytes[16..20].try_into().expect("4 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if crc32fast::hash(payload) != crc {
        return Err(Error::corrupt(
            "checksum mismatch: the bytes were altered or truncated",
        ));
    }
    Ok(payload)
}

/// Appends little-endian values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }
    /// Append one byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    /// Append a `u32`.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// Append a `u64`.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// Append an `i64`.
    pub fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// Append an `f64` (bit pattern preserved, NaN included).
    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    /// Append a length prefix.
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    /// Append a length-prefixed UTF-8 string.
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    /// Append a length-prefixed slice of `f64`.
    pub fn f64s(&mut self, v: &[f64]) {
        self.len(v.len());
        for x in v {
            self.f64(*x);
        }
    }
    /// Append a length-prefixed slice of `u64`.
    pub fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        for x in v {
            self.u64(*x);
        }
    }
    /// Append a length-prefixed byte slice.
    pub fn bytes(&mut self, v: &[u8]) {
        self.len(v.len());
        self.buf.extend_from_slice(v);
    }
    /// The bytes written so far.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads little-endian values with bounds checks; every failure is [`Error::Corrupt`].
#[derive(Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Read from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }
    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(Error::corrupt(format!(
                "unexpected end of data at payload offset {} (needed {n} more bytes, {} left)",
                self.pos,
                self.remaining()
            )));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    /// Read one byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    /// Read a `u32`.
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    /// Read a `u64`.
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    /// Read an `i64`.
    pub fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    /// Read an `f64`.
    pub fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    /// Read a length prefix for items of `elem_size` bytes, checked against the bytes left.
    pub fn len(&mut self, elem_size: usize) -> Result<usize> {
        let at = self.pos;
        let n = self.u64()?;
        let need = n.checked_mul(elem_size.max(1) as u64);
        match need {
            Some(b) if b <= self.remaining() as u64 => Ok(n as usize),
            _ => Err(Error::corrupt(format!(
                "length {n} at payload offset {at} exceeds the {} bytes that remain",
                self.remaining()
            ))),
        }
    }
    /// Read a length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Result<String> {
        let n = self.len(1)?;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| Error::corrupt("string is not valid UTF-8"))
    }
    /// Read a length-prefixed slice of `f64`.
    pub fn f64s(&mut self) -> Result<Vec<f64>> {
        let n = self.len(8)?;
        (0..n).map(|_| self.f64()).collect()
    }
    /// Read a length-prefixed slice of `u64`.
    pub fn u64s(&mut self) -> Result<Vec<u64>> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
    /// Read a length-prefixed byte slice.
    pub fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    /// Fail unless every byte was consumed.
    pub fn finish(&self) -> Result<()> {
        if self.remaining() != 0 {
            return Err(Error::corrupt(format!(
                "{} unexpected trailing bytes at payload offset {}",
                self.remaining(),
                self.pos
            )));
        }
        Ok(())
    }
}

/// Fail with [`Error::Corrupt`] naming `what` unless `cond` holds.
pub fn ensure(cond: bool, what: impl FnOnce() -> String) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::Corrupt(what()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trip_and_rejections() {
        let sealed = seal(Kind::Kll, b"hello");
        assert_eq!(open(&sealed, Kind::Kll).unwrap(), b"hello");
        assert!(open(&sealed, Kind::Profile).is_err());
        for cut in 0..sealed.len() {
            assert!(open(&sealed[..cut], Kind::Kll).is_err());
        }
        let mut flipped = sealed.clone();
        flipped[HEADER_LEN] ^= 1;
        assert!(open(&flipped, Kind::Kll).is_err());
    }

    #[test]
    fn reader_refuses_oversized_lengths() {
        let mut w = Writer::new();
        w.u64(u64::MAX);
        let b = w.finish();
        assert!(Reader::new(&b).f64s().is_err());
    }
}
