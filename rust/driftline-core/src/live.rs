//! Live recording: one record at a time (or one batch) into sharded, windowed accumulators.
//!
//! A [`Recorder`] keeps, per shard, the open parts of tumbling windows (by time or by row
//! count). A record locks one shard (the calling thread's), is routed to its window and counted
//! there; numeric values are buffered per column and handed to the sketches in runs, so the
//! per-record cost is a few hash lookups and appends. Closing a window takes its parts out of
//! every shard ([`Recorder::take_closable`], O(shards) under the locks) and merges them
//! afterwards ([`Taken::finish`], outside every lock), so no lock is ever held across heavy work.
//!
//! Every record is counted somewhere: in its window, as `late` (its window already closed), as
//! `future` (stamped more than one window ahead of the clock; profiled in the current window),
//! or as `malformed` (a defect the caller found). Labels that arrive after the prediction are
//! joined by id in a bounded, time-limited buffer ([`Recorder::log_labels`]); unmatched,
//! expired and evicted ids are counted.

use std::collections::VecDeque;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema as ArrowSchema};
use hashbrown::{DefaultHashBuilder, HashTable};

use crate::ddsketch::DDSketch;
use crate::error::{Error, Result};
use crate::ingest::profile_batch;
use crate::metrics::labels::Label;
use crate::metrics::performance::Task;
use crate::model::ModelProfile;
use crate::profile::{ColumnProfile, Profile};

/// Relative accuracy of the latency sketch of every window.
pub const LATENCY_ALPHA: f64 = 0.01;
/// Bucket cap of the latency sketch (covers 1 µs .. hours at 1 %).
pub const LATENCY_BUCKETS: usize = 2048;
/// Empty time windows emitted at most per gap (a monitor idle for longer reports the last ones).
pub const MAX_EMPTY_WINDOWS: i64 = 100;

/// One value of a record, borrowed from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// The field is absent from the record.
    Missing,
    /// The field is present and null.
    Null,
    /// A float.
    Float(f64),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(&'a str),
    /// A value of a type that cannot be read (counted as a type error).
    Invalid,
}

/// An owned [`Cell`] (kept while a prediction waits for its label).
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedCell {
    /// Absent or null.
    Null,
    /// A float.
    Float(f64),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(Box<str>),
    /// Unreadable.
    Invalid,
}

impl OwnedCell {
    fn of(c: Cell<'_>) -> Self {
        match c {
            Cell::Missing | Cell::Null => OwnedCell::Null,
            Cell::Float(x) => OwnedCell::Float(x),
            Cell::Int(v) => OwnedCell::Int(v),
            Cell::Bool(b) => OwnedCell::Bool(b),
            Cell::Str(s) => OwnedCell::Str(s.into()),
            Cell::Invalid => OwnedCell::Invalid,
        }
    }
    fn cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Null => Cell::Null,
            OwnedCell::Float(x) => Cell::Float(*x),
            OwnedCell::Int(v) => Cell::Int(*v),
            OwnedCell::Bool(b) => Cell::Bool(*b),
            OwnedCell::Str(s) => Cell::Str(s),
            OwnedCell::Invalid => Cell::Invalid,
        }
    }
}

/// A request id, for joining labels that arrive later.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// An integer id.
    Int(i64),
    /// A string id.
    Str(Box<str>),
}

/// How records are grouped into tumbling windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSpec {
    /// Windows of `length_ns` nanoseconds aligned to the Unix epoch; a window closes once the
    /// clock passes its end by `lateness_ns`.
    Time {
        /// Window length.
        length_ns: i64,
        /// How long after its end a window still accepts records.
        lateness_ns: i64,
    },
    /// Windows of this many records, in arrival order.
    Rows(u64),
}

/// One record for [`Recorder::log`].
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// One cell per schema column, in schema order.
    pub features: &'a [Cell<'a>],
    /// The prediction (label or value).
    pub prediction: Cell<'a>,
    /// Scores: one for a binary task, one per class for a multiclass task, or none.
    pub scores: &'a [f64],
    /// The ground truth, when known at logging time.
    pub label: Cell<'a>,
    /// Request latency in milliseconds.
    pub latency_ms: Option<f64>,
    /// Whether the request failed.
    pub error: bool,
    /// Request id, to join a label that arrives later.
    pub id: Option<Key>,
    /// Event time in nanoseconds since the Unix epoch (`None`: now).
    pub timestamp_ns: Option<i64>,
    /// The caller found a defect the cells cannot show (a record that is not a mapping or
    /// sequence, a sequence of the wrong length, an unreadable timestamp or latency...).
    pub malformed: bool,
}

/// Counters of one window (or one open part of it).
#[derive(Debug, Clone)]
pub struct Stats {
    /// Records logged (late records included).
    pub requests: u64,
    /// Records logged with `error = true`.
    pub errors: u64,
    /// Records with at least one defect.
    pub malformed: u64,
    /// Records whose window had already closed (counted, not profiled).
    pub late: u64,
    /// Records stamped more than one window ahead of the clock (profiled now).
    pub future: u64,
    /// Predictions whose label arrived later and was joined while the window was open.
    pub joined: u64,
    /// Labels joined to predictions of this window after it closed (labels updates only).
    pub joined_late: u64,
    /// Predictions logged with neither a label nor an id.
    pub unlabeled: u64,
    /// `log_labels` ids that matched no waiting prediction.
    pub unmatched: u64,
    /// Waiting predictions dropped because no label came within the time limit.
    pub expired: u64,
    /// Waiting predictions dropped because the buffer was full.
    pub evicted: u64,
    /// Predictions logged again with an id that was already waiting.
    pub duplicate_ids: u64,
    /// Model rows the performance accumulators rejected.
    pub model_errors: u64,
    /// Earliest record time (ns), `i64::MAX` when none.
    pub first_ns: i64,
    /// Latest record time (ns), `i64::MIN` when none.
    pub last_ns: i64,
    /// Latency (ms) of the records that gave one.
    pub latency: DDSketch,
}

impl Stats {
    fn new() -> Self {
        Self {
            requests: 0,
            errors: 0,
            malformed: 0,
            late: 0,
            future: 0,
            joined: 0,
            joined_late: 0,
            unlabeled: 0,
            unmatched: 0,
            expired: 0,
            evicted: 0,
            duplicate_ids: 0,
            model_errors: 0,
            first_ns: i64::MAX,
            last_ns: i64::MIN,
            latency: DDSketch::try_new(LATENCY_ALPHA, LATENCY_BUCKETS).expect("valid constants"),
        }
    }

    fn merge(&mut self, o: &Stats) {
        self.requests += o.requests;
        self.errors += o.errors;
        self.malformed += o.malformed;
        self.late += o.late;
        self.future += o.future;
        self.joined += o.joined;
        self.joined_late += o.joined_late;
        self.unlabeled += o.unlabeled;
        self.unmatched += o.unmatched;
        self.expired += o.expired;
        self.evicted += o.evicted;
        self.duplicate_ids += o.duplicate_ids;
        self.model_errors += o.model_errors;
        self.first_ns = self.first_ns.min(o.first_ns);
        self.last_ns = self.last_ns.max(o.last_ns);
        self.latency
            .merge(&o.latency)
            .expect("latency sketches share their parameters");
    }
}

/// Labels (or target values) and predictions buffered for the performance accumulators.
#[derive(Debug, Clone)]
enum LabelBuf {
    /// Numbers: integer and boolean classes (as integral floats), or regression values.
    Num(Vec<Option<f64>>),
    /// Strings (string classes; other values become `sentinel`, an unknown class).
    Str(Vec<Option<String>>),
}

/// How label values are stored for this model.
#[derive(Debug, Clone)]
enum LabelKind {
    Num,
    Str { sentinel: String },
}

impl LabelKind {
    fn buf(&self) -> LabelBuf {
        match self {
            LabelKind::Num => LabelBuf::Num(Vec::new()),
            LabelKind::Str { .. } => LabelBuf::Str(Vec::new()),
        }
    }
}

impl LabelBuf {
    fn push(&mut self, c: Cell<'_>, kind: &LabelKind) {
        match (self, kind) {
            (LabelBuf::Num(v), LabelKind::Num) => v.push(match c {
                Cell::Missing | Cell::Null => None,
                Cell::Float(x) => Some(x),
                Cell::Int(i) => Some(i as f64),
                Cell::Bool(b) => Some(f64::from(u8::from(b))),
                // A string against number classes is an unknown label (NaN never matches a
                // class); against a regression target, an invalid value.
                Cell::Str(_) | Cell::Invalid => Some(f64::NAN),
            }),
            (LabelBuf::Str(v), LabelKind::Str { sentinel }) => v.push(match c {
                Cell::Missing | Cell::Null => None,
                Cell::Str(s) => Some(s.to_string()),
                _ => Some(sentinel.clone()),
            }),
            _ => unreachable!("buffer built from its kind"),
        }
    }
    fn array(&self) -> ArrayRef {
        match self {
            LabelBuf::Num(v) => Arc::new(Float64Array::from(v.clone())),
            LabelBuf::Str(v) => Arc::new(StringArray::from(v.clone())),
        }
    }
    fn len(&self) -> usize {
        match self {
            LabelBuf::Num(v) => v.len(),
            LabelBuf::Str(v) => v.len(),
        }
    }
    fn clear(&mut self) {
        match self {
            LabelBuf::Num(v) => v.clear(),
            LabelBuf::Str(v) => v.clear(),
        }
    }
}

/// Segment values of one segmentation, typed at flush time like an Arrow column would be.
fn segment_array(cells: &[OwnedCell]) -> ArrayRef {
    let kinds = cells
        .iter()
        .fold((false, false, false, false), |k, c| match c {
            OwnedCell::Int(_) => (true, k.1, k.2, k.3),
            OwnedCell::Bool(_) => (k.0, true, k.2, k.3),
            OwnedCell::Float(_) => (k.0, k.1, true, k.3),
            OwnedCell::Str(_) | OwnedCell::Invalid => (k.0, k.1, k.2, true),
            OwnedCell::Null => k,
        });
    match kinds {
        (_, false, false, false) => Arc::new(Int64Array::from(
            cells
                .iter()
                .map(|c| match c {
                    OwnedCell::Int(v) => Some(*v),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        (false, true, false, false) => Arc::new(BooleanArray::from(
            cells
                .iter()
                .map(|c| match c {
                    OwnedCell::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        (_, false, true, false) => Arc::new(Float64Array::from(
            cells
                .iter()
                .map(|c| match c {
                    OwnedCell::Int(v) => Some(*v as f64),
                    OwnedCell::Float(x) => Some(*x),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        )),
        _ => Arc::new(StringArray::from(
            cells
                .iter()
                .map(|c| match c {
                    OwnedCell::Null | OwnedCell::Invalid => None,
                    OwnedCell::Int(v) => Some(v.to_string()),
                    OwnedCell::Bool(b) => Some(b.to_string()),
                    OwnedCell::Float(x) => Some(x.to_string()),
                    OwnedCell::Str(s) => Some(s.to_string()),
                })
                .collect::<Vec<_>>(),
        )),
    }
}

/// Model rows (label, prediction, scores, segments) waiting to be fed in one batch.
#[derive(Debug, Clone)]
struct ModelRows {
    labels: LabelBuf,
    preds: LabelBuf,
    scores: Vec<Vec<f64>>,
    segs: Vec<Vec<OwnedCell>>,
}

impl ModelRows {
    fn new(m: &ModelLayout) -> Self {
        Self {
            labels: m.kind.buf(),
            preds: m.kind.buf(),
            scores: vec![Vec::new(); m.n_scores],
            segs: vec![Vec::new(); m.seg_cols.len()],
        }
    }
    fn len(&self) -> usize {
        self.labels.len()
    }
    fn push(
        &mut self,
        m: &ModelLayout,
        label: Cell<'_>,
        pred: Cell<'_>,
        scores: &[f64],
        segs: impl Iterator<Item = OwnedCell>,
    ) {
        self.labels.push(label, &m.kind);
        self.preds.push(pred, &m.kind);
        for (j, s) in self.scores.iter_mut().enumerate() {
            s.push(scores.get(j).copied().unwrap_or(f64::NAN));
        }
        for (s, c) in self.segs.iter_mut().zip(segs) {
            s.push(c);
        }
    }
    /// Feed the buffered rows into `model` and clear; on failure the rows are counted in
    /// `errors` (the accumulators are left unchanged).
    fn flush(&mut self, model: &mut ModelProfile, errors: &mut u64) {
        let n = self.len();
        if n == 0 {
            return;
        }
        let spec = model.spec().clone();
        let mut fields = vec![Field::new(&spec.label, DataType::Null, true)];
        let mut cols = vec![self.labels.array()];
        if let Some(p) = &spec.prediction {
            fields.push(Field::new(p, DataType::Null, true));
            cols.push(self.preds.array());
        }
        for (name, s) in spec.scores.iter().zip(&self.scores) {
            fields.push(Field::new(name, DataType::Null, true));
            cols.push(Arc::new(Float64Array::from(s.clone())));
        }
        for (name, s) in spec.segments.iter().zip(&self.segs) {
            fields.push(Field::new(name, DataType::Null, true));
            cols.push(segment_array(s));
        }
        let fields: Vec<Field> = fields
            .into_iter()
            .zip(&cols)
            .map(|(f, c)| Field::new(f.name(), c.data_type().clone(), true))
            .collect();
        let batch = RecordBatch::try_new(Arc::new(ArrowSchema::new(fields)), cols);
        let ok = batch
            .map_err(|e| Error::invalid(e.to_string()))
            .and_then(|b| {
                let mut next = model.clone();
                next.update(&b).map(|_| next)
            });
        match ok {
            Ok(next) => *model = next,
            Err(_) => *errors += n as u64,
        }
        self.clear();
    }
    fn clear(&mut self) {
        self.labels.clear();
        self.preds.clear();
        self.scores.iter_mut().for_each(Vec::clear);
        self.segs.iter_mut().for_each(Vec::clear);
    }
}

/// Where the model's inputs live.
#[derive(Debug, Clone)]
struct ModelLayout {
    kind: LabelKind,
    n_scores: usize,
    /// Schema column of each segmentation.
    seg_cols: Vec<usize>,
}

/// Categorical values of one column, packed into one byte arena.
#[derive(Debug, Clone, Default)]
struct Arena {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Arena {
    #[inline]
    fn push(&mut self, s: &[u8]) {
        self.bytes.extend_from_slice(s);
        self.ends.push(self.bytes.len() as u32);
    }
    #[inline]
    fn push_fmt(&mut self, v: impl std::fmt::Display) {
        use std::io::Write;
        let _ = write!(self.bytes, "{v}");
        self.ends.push(self.bytes.len() as u32);
    }
    fn for_each(&self, mut f: impl FnMut(&str)) {
        let mut a = 0usize;
        for &e in &self.ends {
            let e = e as usize;
            // Every value was pushed from a `&str` or formatted, so it is valid UTF-8.
            f(std::str::from_utf8(&self.bytes[a..e]).unwrap_or_default());
            a = e;
        }
    }
}

/// Raw values of a run of records of one window, handed to the sketches off the request path.
#[derive(Debug, Clone)]
struct Block {
    rows: u64,
    /// Numeric values per column (NaN and ±inf included; empty for categorical columns).
    num: Vec<Vec<f64>>,
    /// Categorical values per column (empty for numeric columns).
    cat: Vec<Arena>,
    nulls: Vec<u64>,
    type_errors: Vec<u64>,
    latency: Vec<f64>,
    model: Option<ModelRows>,
}

/// A block is handed over once it holds this many rows (records plus joined labels)...
const BLOCK_ROWS: usize = 1024;
/// ...or this many bytes of categorical values.
const BLOCK_BYTES: usize = 1 << 20;
/// Emptied blocks kept for reuse: refilling warm buffers is cheaper on the request path than
/// writing into freshly allocated memory.
const MAX_SPARE_BLOCKS: usize = 16;
/// Bytes a spare block's categorical arena keeps.
const SPARE_ARENA_BYTES: usize = 1 << 16;
/// Blocks waiting for the background work beyond which a logging thread feeds one itself.
const MAX_WAITING_BLOCKS: usize = 64;

impl Block {
    fn len(&self) -> usize {
        self.rows as usize + self.model.as_ref().map_or(0, ModelRows::len)
    }
    fn is_full(&self) -> bool {
        self.len() >= BLOCK_ROWS
            || self.cat.iter().map(|a| a.bytes.len()).sum::<usize>() >= BLOCK_BYTES
    }
    /// Empty the block for reuse, keeping its buffers (a categorical arena grown by long
    /// values gives its excess back).
    fn clear(&mut self) {
        self.rows = 0;
        self.num.iter_mut().for_each(Vec::clear);
        for a in &mut self.cat {
            a.bytes.clear();
            a.ends.clear();
            a.bytes.shrink_to(SPARE_ARENA_BYTES);
        }
        self.nulls.fill(0);
        self.type_errors.fill(0);
        self.latency.clear();
        if let Some(m) = &mut self.model {
            m.clear();
        }
    }
    /// Feed every value into `st`.
    fn feed(&mut self, st: &mut State) {
        let p = &mut st.profile;
        p.add_rows(self.rows);
        for (i, c) in p.columns_mut().iter_mut().enumerate() {
            match c {
                ColumnProfile::Numeric(n) => {
                    n.add_values(&self.num[i]);
                    n.add_nulls(self.nulls[i]);
                    n.add_type_errors(self.type_errors[i]);
                }
                ColumnProfile::Categorical(k) => {
                    self.cat[i].for_each(|s| k.add(s, 1));
                    k.add_nulls(self.nulls[i]);
                    k.add_type_errors(self.type_errors[i]);
                }
            }
        }
        for &x in &self.latency {
            st.latency.update(x);
        }
        if let (Some(rows), Some(model)) = (&mut self.model, p.model_mut()) {
            rows.flush(model, &mut st.model_errors);
        }
    }
}

/// The sketches of one window, fed from blocks.
#[derive(Debug, Clone)]
struct State {
    profile: Profile,
    latency: DDSketch,
    model_errors: u64,
}

impl State {
    fn new(template: &Profile) -> Self {
        Self {
            profile: template.empty_like(),
            latency: DDSketch::try_new(LATENCY_ALPHA, LATENCY_BUCKETS).expect("valid constants"),
            model_errors: 0,
        }
    }
}

/// Work handed to the background: a block of records, or a profiled batch.
// Both variants are moved once and queued briefly; boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Waiting {
    Block(i64, Block),
    Batch(i64, Profile),
}

/// The open part of one window in one shard: counters, and the block being filled.
#[derive(Debug, Clone)]
struct Part {
    index: i64,
    block: Block,
    stats: Stats,
}

#[derive(Debug, Default)]
struct Shard {
    parts: Vec<Part>,
    /// Predictions logged with an id and no label, not yet in the join buffer: the request
    /// path only appends here; [`Recorder::drain_ids`] moves them into the join buffer's hash
    /// tables off the request path (random writes into a large table cost cache misses).
    ids: VecDeque<(Key, Pending)>,
    /// Cumulative counters (never reset, so their sum over shards only grows).
    totals: Totals,
}

/// Cumulative record counters of a recorder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Records logged.
    pub requests: u64,
    /// Records logged with `error = true`.
    pub errors: u64,
    /// Records with a defect.
    pub malformed: u64,
    /// Records whose window had closed.
    pub late: u64,
    /// Records stamped far ahead of the clock.
    pub future: u64,
}

impl Totals {
    fn add(&mut self, requests: u64, errors: u64, malformed: bool, late: bool, future: bool) {
        self.requests += requests;
        self.errors += errors;
        self.malformed += u64::from(malformed);
        self.late += u64::from(late);
        self.future += u64::from(future);
    }
}

/// Scores of a waiting prediction (one for a binary task: no allocation).
#[derive(Debug, Clone)]
enum ScoreBuf {
    None,
    One(f64),
    Many(Box<[f64]>),
}

impl ScoreBuf {
    fn of(s: &[f64]) -> Self {
        match s {
            [] => ScoreBuf::None,
            [x] => ScoreBuf::One(*x),
            s => ScoreBuf::Many(s.into()),
        }
    }
    fn as_slice(&self) -> &[f64] {
        match self {
            ScoreBuf::None => &[],
            ScoreBuf::One(x) => std::slice::from_ref(x),
            ScoreBuf::Many(s) => s,
        }
    }
}

/// A prediction waiting for its label.
#[derive(Debug, Clone)]
struct Pending {
    window: i64,
    seq: u64,
    inserted_ns: i64,
    prediction: OwnedCell,
    scores: ScoreBuf,
    segs: Box<[OwnedCell]>,
}

#[derive(Debug)]
struct Waiter {
    hash: u64,
    key: Key,
    p: Pending,
}

/// One shard of the label-join buffer: waiting predictions by id, and their arrival order
/// (by hash and sequence number, so the key is stored once).
#[derive(Debug, Default)]
struct JoinShard {
    table: HashTable<Waiter>,
    order: VecDeque<(u64, u64, i64)>,
}

impl JoinShard {
    /// A shard sized for its part of a buffer of `capacity` predictions (ids hash evenly, with
    /// some slack), so that filling the buffer never grows a table: growing one moves all its
    /// entries at once. Only the table's control bytes are written now; the slots' pages are
    /// touched as entries arrive.
    fn with_capacity(capacity: usize) -> Self {
        let share = capacity / JOIN_SHARDS;
        Self {
            table: HashTable::with_capacity(share + share / 8 + 64),
            order: VecDeque::new(),
        }
    }
    /// Add a waiting prediction; `true` when it replaced one with the same id.
    fn insert(&mut self, hash: u64, key: Key, p: Pending) -> bool {
        self.order.push_back((hash, p.seq, p.inserted_ns));
        match self.table.find_entry(hash, |w| w.key == key) {
            Ok(mut e) => {
                e.get_mut().p = p;
                true
            }
            Err(_) => {
                self.table
                    .insert_unique(hash, Waiter { hash, key, p }, |w| w.hash);
                false
            }
        }
    }
    fn take(&mut self, hash: u64, key: &Key) -> Option<Pending> {
        let e = self.table.find_entry(hash, |w| &w.key == key).ok()?;
        Some(e.remove().0.p)
    }
    fn remove_seq(&mut self, hash: u64, seq: u64) -> bool {
        match self.table.find_entry(hash, |w| w.p.seq == seq) {
            Ok(e) => {
                e.remove();
                true
            }
            Err(_) => false,
        }
    }
    fn len(&self) -> usize {
        self.table.len()
    }
    /// Drop the oldest live entry; `true` if one was dropped.
    fn pop_oldest(&mut self) -> bool {
        while let Some((h, seq, _)) = self.order.pop_front() {
            if self.remove_seq(h, seq) {
                return true;
            }
        }
        false
    }
    /// Drop entries inserted at or before `cutoff`; returns how many.
    fn expire(&mut self, cutoff: i64) -> u64 {
        let mut n = 0;
        while let Some(&(h, seq, t)) = self.order.front() {
            if t > cutoff {
                break;
            }
            self.order.pop_front();
            n += u64::from(self.remove_seq(h, seq));
        }
        // Compact the order queue when replaced or joined entries left most of it stale.
        if self.order.len() > 2 * self.table.len() + 1024 {
            let table = &self.table;
            self.order
                .retain(|&(h, seq, _)| table.find(h, |w| w.p.seq == seq).is_some());
        }
        n
    }
    fn clear(&mut self) {
        self.table.clear();
        self.order.clear();
    }
}

/// Ids a logging thread lets pile up in its shard before it helps move them into the join
/// buffer (normally the background thread does, long before)...
const MAX_UNJOINED_IDS: usize = 1 << 16;
/// ...a few per call, oldest first, so that catching up never stalls one request.
const CATCH_UP_IDS: usize = 8;

/// Shards of the label-join buffer: many, so that the lock of one is rarely contended and a
/// table that must grow beyond its initial size (a rehash) stays short.
const JOIN_SHARDS: usize = 256;

/// What closed: a window, or a labels update of a window closed earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedKind {
    /// A window (all its parts merged).
    Window,
    /// Performance accumulators fed by labels that arrived after the window closed.
    Labels,
}

/// A closed window (or labels update) with its counters.
#[derive(Debug, Clone)]
pub struct Closed {
    /// Window or labels update.
    pub kind: ClosedKind,
    /// Window index (time windows: start / length; row windows: sequence number).
    pub index: i64,
    /// Start (ns since the epoch): the window's start for time windows, the first record's
    /// time for row windows (`i64::MAX` when the window saw no record).
    pub start_ns: i64,
    /// End (ns): the window's end for time windows, the last record's time for row windows.
    pub end_ns: i64,
    /// The window's profile (features and model section).
    pub profile: Profile,
    /// The window's counters.
    pub stats: Stats,
}

fn bounds(spec: WindowSpec, index: i64, stats: &Stats) -> (i64, i64) {
    match spec {
        WindowSpec::Time { length_ns, .. } => (
            index.saturating_mul(length_ns),
            index.saturating_add(1).saturating_mul(length_ns),
        ),
        WindowSpec::Rows(_) => (stats.first_ns, stats.last_ns),
    }
}

/// A clock anchored to the system time at creation and advanced monotonically.
#[derive(Debug)]
struct Clock {
    base_ns: i64,
    start: Instant,
}

impl Clock {
    fn new() -> Self {
        let base_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64);
        Self {
            base_ns,
            start: Instant::now(),
        }
    }
    fn now_ns(&self) -> i64 {
        self.base_ns + self.start.elapsed().as_nanos() as i64
    }
}

static NEXT_THREAD: AtomicUsize = AtomicUsize::new(0);
thread_local! {
    static THREAD_SLOT: usize = NEXT_THREAD.fetch_add(1, Ordering::Relaxed);
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Label-join settings.
#[derive(Debug, Clone, Copy)]
pub struct JoinConfig {
    /// Most predictions waiting for a label; the oldest is evicted beyond it.
    pub capacity: usize,
    /// How long a prediction waits for its label (ns).
    pub ttl_ns: i64,
}

impl Default for JoinConfig {
    fn default() -> Self {
        Self {
            capacity: 1_000_000,
            ttl_ns: 3_600 * 1_000_000_000,
        }
    }
}

/// Parts taken out of the shards, to be merged by [`Recorder::finish`] without the GIL.
#[derive(Debug)]
pub struct Taken {
    target: i64,
    parts: Vec<Part>,
    empty: Vec<i64>,
    labels: Vec<(i64, ModelRows)>,
    counters: Stats,
}

impl Taken {
    /// Whether nothing can be closed.
    pub fn is_empty(&self) -> bool {
        self.target == i64::MIN
            && self.parts.is_empty()
            && self.labels.is_empty()
            && self.counters.unmatched + self.counters.expired + self.counters.evicted == 0
    }
}

/// Copies of one window's open parts, merged by [`Recorder::finish_snapshot`].
#[derive(Debug)]
pub struct Snapshot {
    index: i64,
    parts: Vec<Part>,
}

/// Sharded, windowed accumulators fed one record (or batch) at a time.
#[derive(Debug)]
pub struct Recorder {
    template: Profile,
    spec: WindowSpec,
    numeric: Vec<bool>,
    layout: Option<ModelLayout>,
    /// Schema columns filled from the prediction and the scores when the record lacks them.
    pred_col: Option<usize>,
    score_cols: Vec<Option<usize>>,
    shards: Vec<Mutex<Shard>>,
    /// Blocks handed over by the logging threads.
    waiting: Mutex<Vec<Waiting>>,
    /// Emptied blocks for reuse.
    spare: Mutex<Vec<Block>>,
    /// The sketches of every window with fed blocks.
    states: Mutex<std::collections::BTreeMap<i64, State>>,
    /// Serializes feeding, so a window is never emitted while one of its blocks is being fed.
    feeding: Mutex<()>,
    rows: AtomicU64,
    closed_upto: AtomicI64,
    first_index: AtomicI64,
    join: Vec<Mutex<JoinShard>>,
    /// Serializes [`Recorder::drain_ids`] (once a caller holds it, every id logged before is
    /// in the join buffer). Holds an emptied id list, swapped for a shard's full one, so the
    /// request path keeps appending to warm memory instead of a fresh allocation.
    draining: Mutex<VecDeque<(Key, Pending)>>,
    join_hasher: DefaultHashBuilder,
    /// Predictions waiting in the join buffer, over all its shards.
    waiting_labels: AtomicUsize,
    join_config: JoinConfig,
    seq: AtomicU64,
    late_labels: Mutex<Vec<(i64, ModelRows)>>,
    unmatched: AtomicU64,
    expired: AtomicU64,
    evicted: AtomicU64,
    duplicate_ids: AtomicU64,
    clock: Clock,
}

impl Recorder {
    /// A recorder whose windows are profiled like `template` (schema, configuration, baseline
    /// bin edges and model section, all empty), `shards` ways.
    pub fn new(
        template: Profile,
        spec: WindowSpec,
        shards: usize,
        join_config: JoinConfig,
    ) -> Result<Self> {
        match spec {
            WindowSpec::Time {
                length_ns,
                lateness_ns,
            } => {
                if length_ns <= 0 || lateness_ns < 0 {
                    return Err(Error::invalid(format!(
                        "a time window needs a positive length and a non-negative lateness, got \
                         {length_ns} ns and {lateness_ns} ns"
                    )));
                }
            }
            WindowSpec::Rows(0) => return Err(Error::invalid("a row window needs at least 1 row")),
            WindowSpec::Rows(_) => {}
        }
        if shards == 0 || shards > 4096 {
            return Err(Error::invalid(format!(
                "shards must be in 1..=4096, got {shards}"
            )));
        }
        if join_config.capacity == 0 || join_config.ttl_ns <= 0 {
            return Err(Error::invalid(
                "the label buffer needs a positive capacity and time limit",
            ));
        }
        let schema = template.schema().clone();
        let numeric: Vec<bool> = template
            .columns()
            .iter()
            .map(|c| matches!(c, ColumnProfile::Numeric(_)))
            .collect();
        let mut pred_col = None;
        let mut score_cols = Vec::new();
        let layout = match template.model() {
            None => None,
            Some(m) => {
                let spec = m.spec();
                pred_col = spec.prediction.as_deref().and_then(|p| schema.index_of(p));
                score_cols = spec.scores.iter().map(|s| schema.index_of(s)).collect();
                let seg_cols = spec
                    .segments
                    .iter()
                    .map(|s| {
                        schema.index_of(s).ok_or_else(|| {
                            Error::Schema(format!(
                                "segment column {s:?} must be a column of the schema"
                            ))
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let perf = m.performance();
                let kind = match (perf.task(), perf.classes()) {
                    (Task::Regression, _) => LabelKind::Num,
                    (_, Some(c)) if matches!(c.classes().first(), Some(Label::Str(_))) => {
                        let mut sentinel = String::from("\u{0}");
                        while c
                            .classes()
                            .iter()
                            .any(|l| matches!(l, Label::Str(s) if *s == sentinel))
                        {
                            sentinel.push('\u{0}');
                        }
                        LabelKind::Str { sentinel }
                    }
                    _ => LabelKind::Num,
                };
                Some(ModelLayout {
                    kind,
                    n_scores: spec.scores.len(),
                    seg_cols,
                })
            }
        };
        let template = template.empty_like();
        let clock = Clock::new();
        let first = match spec {
            WindowSpec::Time { length_ns, .. } => clock.now_ns().div_euclid(length_ns),
            WindowSpec::Rows(_) => 0,
        };
        Ok(Self {
            template,
            spec,
            numeric,
            layout,
            pred_col,
            score_cols,
            shards: (0..shards).map(|_| Mutex::new(Shard::default())).collect(),
            waiting: Mutex::new(Vec::new()),
            spare: Mutex::new(Vec::new()),
            states: Mutex::new(std::collections::BTreeMap::new()),
            feeding: Mutex::new(()),
            rows: AtomicU64::new(0),
            closed_upto: AtomicI64::new(first - 1),
            first_index: AtomicI64::new(first),
            join: (0..JOIN_SHARDS)
                .map(|_| Mutex::new(JoinShard::with_capacity(join_config.capacity)))
                .collect(),
            draining: Mutex::new(VecDeque::new()),
            join_hasher: DefaultHashBuilder::default(),
            waiting_labels: AtomicUsize::new(0),
            join_config,
            seq: AtomicU64::new(0),
            late_labels: Mutex::new(Vec::new()),
            unmatched: AtomicU64::new(0),
            expired: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
            duplicate_ids: AtomicU64::new(0),
            clock,
        })
    }

    /// The window specification.
    pub fn spec(&self) -> WindowSpec {
        self.spec
    }

    /// The empty profile every window starts from.
    pub fn template(&self) -> &Profile {
        &self.template
    }

    /// Nanoseconds since the Unix epoch on the recorder's clock.
    pub fn now_ns(&self) -> i64 {
        self.clock.now_ns()
    }

    /// Records assigned to row windows so far.
    pub fn rows(&self) -> u64 {
        self.rows.load(Ordering::SeqCst)
    }

    fn shard(&self) -> &Mutex<Shard> {
        let slot = THREAD_SLOT.with(|s| *s);
        &self.shards[slot % self.shards.len()]
    }

    fn new_block(&self) -> Block {
        if let Some(b) = lock(&self.spare).pop() {
            return b;
        }
        let n = self.numeric.len();
        Block {
            rows: 0,
            num: self
                .numeric
                .iter()
                .map(|&x| {
                    if x {
                        Vec::with_capacity(BLOCK_ROWS)
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            cat: vec![Arena::default(); n],
            nulls: vec![0; n],
            type_errors: vec![0; n],
            latency: Vec::new(),
            model: self.layout.as_ref().map(ModelRows::new),
        }
    }

    fn part<'s>(&self, shard: &'s mut Shard, index: i64) -> &'s mut Part {
        let pos = match shard.parts.iter().position(|p| p.index == index) {
            Some(i) => i,
            None => {
                shard.parts.push(Part {
                    index,
                    block: self.new_block(),
                    stats: Stats::new(),
                });
                shard.parts.len() - 1
            }
        };
        &mut shard.parts[pos]
    }

    /// Hand the part's block to the background when it is full. Returns the block to feed
    /// now when too many wait (the caller feeds it after releasing the shard lock).
    fn hand_over(&self, part: &mut Part) -> Option<Waiting> {
        if !part.block.is_full() {
            return None;
        }
        let block = std::mem::replace(&mut part.block, self.new_block());
        let mut w = lock(&self.waiting);
        w.push(Waiting::Block(part.index, block));
        if w.len() > MAX_WAITING_BLOCKS {
            return Some(w.remove(0));
        }
        None
    }

    /// Feed an overflowing block on the logging thread, unless the background is feeding (then
    /// it will get to it soon) — bounded memory without waiting.
    fn feed_overflow(&self, w: Option<Waiting>) {
        let Some(w) = w else { return };
        match self.feeding.try_lock() {
            Ok(_g) => self.feed_one(w),
            Err(_) => lock(&self.waiting).insert(0, w),
        }
    }

    fn feed_one(&self, w: Waiting) {
        let mut states = lock(&self.states);
        match w {
            Waiting::Block(i, mut b) => {
                let st = states
                    .entry(i)
                    .or_insert_with(|| State::new(&self.template));
                b.feed(st);
                drop(states);
                b.clear();
                let mut spare = lock(&self.spare);
                if spare.len() < MAX_SPARE_BLOCKS {
                    spare.push(b);
                }
            }
            Waiting::Batch(i, p) => {
                let st = states
                    .entry(i)
                    .or_insert_with(|| State::new(&self.template));
                if st.profile.merge(&p).is_err() {
                    // Same template, so merging cannot fail; count the rows if it ever does.
                    st.model_errors += p.row_count();
                }
            }
        }
    }

    /// Feed every waiting block into the window sketches (background work, run without the
    /// GIL; the logging threads never wait for it).
    pub fn feed(&self) {
        self.drain_ids();
        let _g = lock(&self.feeding);
        self.feed_waiting();
    }

    fn feed_waiting(&self) {
        loop {
            let batch = std::mem::take(&mut *lock(&self.waiting));
            if batch.is_empty() {
                return;
            }
            for w in batch {
                self.feed_one(w);
            }
        }
    }

    /// Blocks waiting to be fed.
    pub fn waiting(&self) -> usize {
        lock(&self.waiting).len()
    }

    /// The current time window's index (time windows), or the row window being filled.
    pub fn current_index(&self) -> i64 {
        match self.spec {
            WindowSpec::Time { length_ns, .. } => self.clock.now_ns().div_euclid(length_ns),
            WindowSpec::Rows(n) => (self.rows() / n) as i64,
        }
    }

    /// Count one record. Never fails: every defect is counted (see the module documentation).
    pub fn log(&self, r: Record<'_>) {
        let now = self.clock.now_ns();
        let own = self.shard();
        let mut guard = lock(own);
        let shard = &mut *guard;
        let mut ts = r.timestamp_ns.unwrap_or(now);
        let mut future = false;
        let (index, late) = match self.spec {
            WindowSpec::Time { length_ns, .. } => {
                if ts > now.saturating_add(length_ns) {
                    future = true;
                    ts = now;
                }
                let i = ts.div_euclid(length_ns);
                (i, i <= self.closed_upto.load(Ordering::SeqCst))
            }
            WindowSpec::Rows(n) => ((self.rows.fetch_add(1, Ordering::SeqCst) / n) as i64, false),
        };
        let mut malformed = r.malformed || r.features.len() != self.numeric.len();
        let latency = match r.latency_ms {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            Some(_) => {
                malformed = true;
                None
            }
            None => None,
        };
        if late {
            let current = match self.spec {
                WindowSpec::Time { length_ns, .. } => now.div_euclid(length_ns),
                WindowSpec::Rows(_) => index,
            }
            .max(self.closed_upto.load(Ordering::SeqCst) + 1);
            let part = self.part(shard, current);
            let s = &mut part.stats;
            s.requests += 1;
            s.late += 1;
            s.errors += u64::from(r.error);
            s.malformed += u64::from(malformed);
            part.block.latency.extend(latency);
            shard
                .totals
                .add(1, u64::from(r.error), malformed, true, false);
            return;
        }
        let layout = self.layout.as_ref();
        let part = self.part(shard, index);
        let b = &mut part.block;
        b.rows += 1;
        b.latency.extend(latency);
        for i in 0..self.numeric.len() {
            let mut cell = r.features.get(i).copied().unwrap_or(Cell::Missing);
            if cell == Cell::Missing {
                if self.pred_col == Some(i) {
                    cell = r.prediction;
                } else if let Some(j) = self.score_cols.iter().position(|&s| s == Some(i)) {
                    cell = r.scores.get(j).map_or(Cell::Missing, |&x| Cell::Float(x));
                }
            }
            malformed |= if self.numeric[i] {
                numeric_value(b, i, cell)
            } else {
                categorical_value(b, i, cell)
            };
        }
        {
            let s = &mut part.stats;
            s.requests += 1;
            s.errors += u64::from(r.error);
            s.future += u64::from(future);
            s.malformed += u64::from(malformed);
            s.first_ns = s.first_ns.min(ts);
            s.last_ns = s.last_ns.max(ts);
        }
        let mut pending = None;
        if let Some(layout) = layout {
            let seg = |j: usize| r.features.get(j).copied().unwrap_or(Cell::Missing);
            if !matches!(r.label, Cell::Missing | Cell::Null) {
                if let Some(rows) = &mut part.block.model {
                    rows.push(
                        layout,
                        r.label,
                        r.prediction,
                        r.scores,
                        layout.seg_cols.iter().map(|&j| OwnedCell::of(seg(j))),
                    );
                }
            } else if let Some(id) = r.id {
                let p = Pending {
                    window: index,
                    // Numbered when it enters the join buffer.
                    seq: 0,
                    inserted_ns: now,
                    prediction: OwnedCell::of(r.prediction),
                    scores: ScoreBuf::of(r.scores),
                    segs: layout
                        .seg_cols
                        .iter()
                        .map(|&j| OwnedCell::of(seg(j)))
                        .collect(),
                };
                pending = Some((id, p));
            } else {
                part.stats.unlabeled += 1;
            }
        }
        let overflow = self.hand_over(part);
        shard
            .totals
            .add(1, u64::from(r.error), malformed, false, future);
        let mut unjoined = 0;
        if let Some(p) = pending {
            shard.ids.push_back(p);
            unjoined = shard.ids.len();
        }
        drop(guard);
        self.feed_overflow(overflow);
        if unjoined >= MAX_UNJOINED_IDS {
            // The background is behind (or absent): move a few of this shard's oldest ids,
            // unless another thread is draining right now. Each call adds one id and moves up
            // to CATCH_UP_IDS, so the backlog stays bounded without a long pause.
            if let Ok(_g) = self.draining.try_lock() {
                let batch: Vec<(Key, Pending)> = {
                    let mut g = lock(own);
                    let k = g.ids.len().min(CATCH_UP_IDS);
                    g.ids.drain(..k).collect()
                };
                self.join_ids(batch);
            }
        }
    }

    /// Insert ids taken from a shard into the join buffer (the caller holds `draining`).
    fn join_ids(&self, ids: impl IntoIterator<Item = (Key, Pending)>) {
        for (id, mut p) in ids {
            p.seq = self.seq.fetch_add(1, Ordering::Relaxed);
            self.wait_for_label(id, p);
        }
    }

    /// Move the predictions waiting in the shards' id lists into the join buffer (duplicate
    /// ids and evictions are counted here). Called by the background feeding, and before
    /// anything reads the join buffer, so a label always finds a prediction logged before it.
    pub fn drain_ids(&self) {
        let mut spare = lock(&self.draining);
        for s in &self.shards {
            {
                let mut g = lock(s);
                if g.ids.is_empty() {
                    continue;
                }
                std::mem::swap(&mut g.ids, &mut *spare);
            }
            self.join_ids(spare.drain(..));
            // A list grown by a backlog does not stay large.
            spare.shrink_to(MAX_UNJOINED_IDS);
        }
    }

    /// The id's hash and its join shard (chosen from high bits: the table uses the low ones).
    fn join_shard(&self, id: &Key) -> (u64, &Mutex<JoinShard>) {
        let h = self.join_hasher.hash_one(id);
        (h, &self.join[((h >> 40) as usize) % self.join.len()])
    }

    fn wait_for_label(&self, id: Key, p: Pending) {
        let (h, shard) = self.join_shard(&id);
        let mut j = lock(shard);
        if j.insert(h, id, p) {
            self.duplicate_ids.fetch_add(1, Ordering::Relaxed);
        } else if self.waiting_labels.fetch_add(1, Ordering::SeqCst) >= self.join_config.capacity
            && j.pop_oldest()
        {
            // Over capacity: the oldest prediction of this shard goes (ids hash evenly over
            // the shards, so it is among the oldest overall).
            self.waiting_labels.fetch_sub(1, Ordering::SeqCst);
            self.evicted.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Join labels to waiting predictions by id. Each label feeds the performance accumulators
    /// of the window its prediction belongs to (a labels update when that window has closed).
    /// Returns how many matched.
    pub fn log_labels<'a>(&self, labels: impl Iterator<Item = (Key, Cell<'a>)>) -> u64 {
        let Some(layout) = self.layout.as_ref() else {
            return 0;
        };
        self.drain_ids();
        let now = self.clock.now_ns();
        let cutoff = now - self.join_config.ttl_ns;
        let mut matched = 0;
        for (id, label) in labels {
            let (h, shard) = self.join_shard(&id);
            let p = lock(shard).take(h, &id);
            if p.is_some() {
                self.waiting_labels.fetch_sub(1, Ordering::SeqCst);
            }
            let Some(p) = p else {
                self.unmatched.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            if p.inserted_ns <= cutoff {
                self.expired.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            matched += 1;
            let mut guard = lock(self.shard());
            if p.window > self.closed_upto.load(Ordering::SeqCst) {
                let part = self.part(&mut guard, p.window);
                part.stats.joined += 1;
                if let Some(rows) = &mut part.block.model {
                    rows.push(
                        layout,
                        label,
                        p.prediction.cell(),
                        p.scores.as_slice(),
                        p.segs.into_vec().into_iter(),
                    );
                }
                let overflow = self.hand_over(part);
                drop(guard);
                self.feed_overflow(overflow);
            } else {
                drop(guard);
                let mut late = lock(&self.late_labels);
                let pos = match late.iter().position(|(i, _)| *i == p.window) {
                    Some(i) => i,
                    None => {
                        late.push((p.window, ModelRows::new(layout)));
                        late.len() - 1
                    }
                };
                late[pos].1.push(
                    layout,
                    label,
                    p.prediction.cell(),
                    p.scores.as_slice(),
                    p.segs.into_vec().into_iter(),
                );
            }
        }
        matched
    }

    /// Cumulative record counters since creation (closed and open windows).
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for s in &self.shards {
            let g = lock(s).totals;
            t.requests += g.requests;
            t.errors += g.errors;
            t.malformed += g.malformed;
            t.late += g.late;
            t.future += g.future;
        }
        t
    }

    /// Counters of the open window `index` (the current one when `None`) so far: cheap, no
    /// merging.
    pub fn open_counts(&self, index: Option<i64>) -> Stats {
        let index = index.unwrap_or_else(|| self.current_index());
        let mut out = Stats::new();
        for s in &self.shards {
            let g = lock(s);
            for p in g.parts.iter().filter(|p| p.index == index) {
                let (o, t) = (&mut out, &p.stats);
                o.requests += t.requests;
                o.errors += t.errors;
                o.malformed += t.malformed;
                o.late += t.late;
                o.future += t.future;
                o.joined += t.joined;
                o.unlabeled += t.unlabeled;
            }
        }
        out
    }

    /// Predictions waiting for a label (ids not yet in the join buffer are moved first, so
    /// the count is exact: repeated ids counted once, evictions done).
    pub fn pending_labels(&self) -> usize {
        self.drain_ids();
        self.join.iter().map(|j| lock(j).len()).sum()
    }

    /// Profile a batch like the current window would (features and model section); the heavy
    /// half of counting a batch, done without any lock (see [`Recorder::add_batch`]).
    pub fn profile_batch(&self, batch: &RecordBatch) -> Result<Profile> {
        profile_batch(&self.template, batch)
    }

    /// Count a batch profiled by [`Recorder::profile_batch`] into the current window (the row
    /// window of its first row for row windows, which it may extend): `latency_ms` values feed
    /// the latency sketch and `errors` rows are counted as errors.
    pub fn add_batch(&self, part: Profile, latency_ms: &[f64], errors: u64) {
        let n = part.row_count();
        let now = self.clock.now_ns();
        let mut guard = lock(self.shard());
        let index = match self.spec {
            WindowSpec::Time { length_ns, .. } => now.div_euclid(length_ns),
            WindowSpec::Rows(rows) => (self.rows.fetch_add(n, Ordering::SeqCst) / rows) as i64,
        };
        let p = self.part(&mut guard, index);
        let s = &mut p.stats;
        s.requests += n;
        s.errors += errors;
        s.first_ns = s.first_ns.min(now);
        s.last_ns = s.last_ns.max(now);
        for &x in latency_ms {
            if x.is_finite() && x >= 0.0 {
                p.block.latency.push(x);
            } else {
                s.malformed += 1;
            }
        }
        guard.totals.add(n, errors, false, false, false);
        // Handed over under the shard lock, so the window cannot close before it is queued.
        lock(&self.waiting).push(Waiting::Batch(index, part));
    }

    /// Take out every part of windows that can close at `now_ns` (or of every window, with
    /// `all`), the labels that arrived for closed windows, and the label counters; expire
    /// waiting predictions older than the time limit. Cheap: the merging is in
    /// [`Recorder::finish`].
    pub fn take_closable(&self, now_ns: i64, all: bool) -> Taken {
        let target = if all {
            let newest = self
                .shards
                .iter()
                .filter_map(|s| lock(s).parts.iter().map(|p| p.index).max())
                .max();
            newest.unwrap_or(i64::MIN).max(match self.spec {
                WindowSpec::Time { length_ns, .. } => now_ns.div_euclid(length_ns),
                WindowSpec::Rows(n) => (self.rows().div_ceil(n)) as i64 - 1,
            })
        } else {
            match self.spec {
                WindowSpec::Time {
                    length_ns,
                    lateness_ns,
                } => (now_ns - lateness_ns).div_euclid(length_ns) - 1,
                WindowSpec::Rows(n) => (self.rows() / n) as i64 - 1,
            }
        };
        if let (true, WindowSpec::Rows(n)) = (all, self.spec) {
            // The partial window closes now: later records start the next one.
            let _ = self
                .rows
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |r| {
                    Some(r.div_ceil(n) * n)
                });
        }
        let prev = self.closed_upto.fetch_max(target, Ordering::SeqCst);
        let mut parts = Vec::new();
        let mut empty = Vec::new();
        if target > prev {
            for s in &self.shards {
                let mut g = lock(s);
                let (old, keep): (Vec<Part>, Vec<Part>) =
                    g.parts.drain(..).partition(|p| p.index <= target);
                g.parts = keep;
                parts.extend(old);
            }
            let from = match self.spec {
                WindowSpec::Time { .. } => (prev + 1)
                    .max(self.first_index.load(Ordering::SeqCst))
                    .max(target - MAX_EMPTY_WINDOWS + 1),
                // Row windows close once full, so every index up to the target has records.
                WindowSpec::Rows(_) => prev + 1,
            };
            empty.extend(from..=target);
        }
        if all {
            // Closing everything: every id logged so far is counted (duplicates, evictions)
            // in this close. Otherwise the background moves them, without the GIL.
            self.drain_ids();
        }
        let cutoff = now_ns - self.join_config.ttl_ns;
        let expired: u64 = self.join.iter().map(|j| lock(j).expire(cutoff)).sum();
        self.waiting_labels
            .fetch_sub(expired as usize, Ordering::SeqCst);
        self.expired.fetch_add(expired, Ordering::Relaxed);
        let labels = std::mem::take(&mut *lock(&self.late_labels));
        // Label accounting travels with the next window that closes.
        let mut counters = Stats::new();
        if target > prev || all {
            counters.unmatched = self.unmatched.swap(0, Ordering::Relaxed);
            counters.expired = self.expired.swap(0, Ordering::Relaxed);
            counters.evicted = self.evicted.swap(0, Ordering::Relaxed);
            counters.duplicate_ids = self.duplicate_ids.swap(0, Ordering::Relaxed);
        }
        Taken {
            target: if target > prev { target } else { i64::MIN },
            parts,
            empty,
            labels,
            counters,
        }
    }

    /// Merge what [`Recorder::take_closable`] took: one [`Closed`] per window (index order),
    /// then the labels updates. Run without the GIL.
    pub fn finish(&self, taken: Taken) -> Result<Vec<Closed>> {
        let Taken {
            target,
            parts,
            empty,
            labels,
            counters,
        } = taken;
        let _g = lock(&self.feeding);
        self.feed_waiting();
        let mut stats: std::collections::BTreeMap<i64, Stats> = std::collections::BTreeMap::new();
        for i in empty {
            stats.entry(i).or_insert_with(Stats::new);
        }
        for p in parts {
            stats
                .entry(p.index)
                .or_insert_with(Stats::new)
                .merge(&p.stats);
            self.feed_one(Waiting::Block(p.index, p.block));
        }
        let mut states = {
            let mut all = lock(&self.states);
            let rest = all.split_off(&target.saturating_add(1));
            std::mem::replace(&mut *all, rest)
        };
        for i in states.keys() {
            stats.entry(*i).or_insert_with(Stats::new);
        }
        let mut out: Vec<Closed> = Vec::new();
        for (index, mut s) in stats {
            let (profile, st_latency, model_errors) = match states.remove(&index) {
                Some(st) => (st.profile, Some(st.latency), st.model_errors),
                None => (self.template.empty_like(), None, 0),
            };
            if let Some(l) = st_latency {
                s.latency
                    .merge(&l)
                    .expect("latency sketches share their parameters");
            }
            s.model_errors += model_errors;
            let (start_ns, end_ns) = bounds(self.spec, index, &s);
            out.push(Closed {
                kind: ClosedKind::Window,
                index,
                start_ns,
                end_ns,
                profile,
                stats: s,
            });
        }
        let add = |s: &mut Stats| {
            s.unmatched += counters.unmatched;
            s.expired += counters.expired;
            s.evicted += counters.evicted;
            s.duplicate_ids += counters.duplicate_ids;
        };
        // Label accounting that belongs to no window goes with the newest closed one.
        let mut carried = false;
        if let Some(last) = out.last_mut() {
            add(&mut last.stats);
            carried = true;
        }
        let mut updates = labels;
        updates.sort_by_key(|(i, _)| *i);
        let mut grouped: Vec<(i64, Vec<ModelRows>)> = Vec::new();
        for (i, rows) in updates {
            match grouped.last_mut() {
                Some((j, v)) if *j == i => v.push(rows),
                _ => grouped.push((i, vec![rows])),
            }
        }
        for (index, rows) in grouped {
            let Some(m) = self.template.model() else {
                continue;
            };
            let mut model = m.empty_like();
            let mut stats = Stats::new();
            for mut r in rows {
                stats.joined_late += r.len() as u64;
                r.flush(&mut model, &mut stats.model_errors);
            }
            let mut profile = self.template.empty_like();
            profile.set_model(Some(model));
            let (start_ns, end_ns) = bounds(self.spec, index, &stats);
            out.push(Closed {
                kind: ClosedKind::Labels,
                index,
                start_ns,
                end_ns,
                profile,
                stats,
            });
        }
        if !carried {
            if let Some(last) = out.last_mut() {
                add(&mut last.stats);
            } else if counters.unmatched + counters.expired + counters.evicted > 0 {
                // Nothing closed: report the counts as a labels update without rows.
                let mut stats = Stats::new();
                add(&mut stats);
                out.push(Closed {
                    kind: ClosedKind::Labels,
                    index: i64::MIN,
                    start_ns: i64::MAX,
                    end_ns: i64::MIN,
                    profile: self.template.empty_like(),
                    stats,
                });
            }
        }
        Ok(out)
    }

    /// Copies of the open parts of window `index` (the current one when `None`), merged by
    /// [`Recorder::finish_snapshot`] without the GIL.
    pub fn snapshot_parts(&self, index: Option<i64>) -> Snapshot {
        let index = index.unwrap_or_else(|| self.current_index());
        let parts = self
            .shards
            .iter()
            .filter_map(|s| lock(s).parts.iter().find(|p| p.index == index).cloned())
            .collect();
        Snapshot { index, parts }
    }

    /// The window of a [`Snapshot`] so far, merged.
    pub fn finish_snapshot(&self, snap: Snapshot) -> Result<Closed> {
        let _g = lock(&self.feeding);
        self.feed_waiting();
        let mut st = lock(&self.states)
            .get(&snap.index)
            .cloned()
            .unwrap_or_else(|| State::new(&self.template));
        let mut stats = Stats::new();
        for mut p in snap.parts {
            stats.merge(&p.stats);
            p.block.feed(&mut st);
        }
        stats
            .latency
            .merge(&st.latency)
            .expect("latency sketches share their parameters");
        stats.model_errors += st.model_errors;
        let (start_ns, end_ns) = bounds(self.spec, snap.index, &stats);
        Ok(Closed {
            kind: ClosedKind::Window,
            index: snap.index,
            start_ns,
            end_ns,
            profile: st.profile,
            stats,
        })
    }

    /// Forget everything recorded (a child process after `fork` starts clean). Windows already
    /// closed stay closed.
    pub fn reset(&self) {
        for s in &self.shards {
            let mut g = lock(s);
            g.parts.clear();
            g.ids.clear();
            g.totals = Totals::default();
        }
        lock(&self.waiting).clear();
        lock(&self.states).clear();
        for j in &self.join {
            lock(j).clear();
        }
        self.waiting_labels.store(0, Ordering::SeqCst);
        lock(&self.late_labels).clear();
        for c in [
            &self.unmatched,
            &self.expired,
            &self.evicted,
            &self.duplicate_ids,
        ] {
            c.store(0, Ordering::SeqCst);
        }
        if let WindowSpec::Rows(n) = self.spec {
            // Continue from the next row window, so indices never repeat.
            let next = self.rows().div_ceil(n) * n;
            self.rows.store(next, Ordering::SeqCst);
        }
    }
}

/// Read a cell for a numeric column into `b`; `true` when it is a defect (missing, unreadable,
/// NaN or infinite).
#[inline]
fn numeric_value(b: &mut Block, i: usize, c: Cell<'_>) -> bool {
    let x = match c {
        Cell::Float(x) => x,
        Cell::Int(v) => v as f64,
        Cell::Bool(v) => f64::from(u8::from(v)),
        Cell::Str(s) => match s.trim().parse::<f64>() {
            Ok(x) => x,
            Err(_) => {
                b.type_errors[i] += 1;
                return true;
            }
        },
        Cell::Null => {
            b.nulls[i] += 1;
            return false;
        }
        Cell::Missing => {
            b.nulls[i] += 1;
            return true;
        }
        Cell::Invalid => {
            b.type_errors[i] += 1;
            return true;
        }
    };
    b.num[i].push(x);
    !x.is_finite()
}

/// Read a cell for a categorical column into `b`, formatted as the Arrow ingestion formats it;
/// `true` when it is a defect.
#[inline]
fn categorical_value(b: &mut Block, i: usize, c: Cell<'_>) -> bool {
    match c {
        Cell::Str(s) => b.cat[i].push(s.as_bytes()),
        Cell::Int(v) => b.cat[i].push_fmt(v),
        Cell::Bool(v) => b.cat[i].push(if v { b"true" } else { b"false" }),
        Cell::Float(x) if x.is_finite() => b.cat[i].push_fmt(x),
        Cell::Float(_) | Cell::Invalid => {
            b.type_errors[i] += 1;
            return true;
        }
        Cell::Null => b.nulls[i] += 1,
        Cell::Missing => {
            b.nulls[i] += 1;
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::categorical::CategoricalProfile;
    use crate::schema::{ColumnKind, ProfileConfig, Schema};
    use arrow_array::{Float64Array, StringArray};
    use std::collections::BTreeMap;

    fn template() -> Profile {
        let schema = Schema::new(vec![
            ("x".into(), ColumnKind::Numeric),
            ("c".into(), ColumnKind::Categorical),
        ])
        .unwrap();
        Profile::new(schema, ProfileConfig::default(), &BTreeMap::new()).unwrap()
    }

    fn record<'a>(cells: &'a [Cell<'a>]) -> Record<'a> {
        Record {
            features: cells,
            prediction: Cell::Missing,
            scores: &[],
            label: Cell::Missing,
            latency_ms: Some(1.0),
            error: false,
            id: None,
            timestamp_ns: None,
            malformed: false,
        }
    }

    #[test]
    fn records_count_like_a_batch_of_the_same_rows() {
        let r =
            Recorder::new(template(), WindowSpec::Rows(1000), 4, JoinConfig::default()).unwrap();
        let xs: Vec<f64> = (0..2500).map(|i| (i % 97) as f64 * 0.5).collect();
        let cs: Vec<String> = (0..2500).map(|i| format!("k{}", i % 7)).collect();
        for (x, c) in xs.iter().zip(&cs) {
            r.log(record(&[Cell::Float(*x), Cell::Str(c)]));
        }
        let taken = r.take_closable(r.now_ns(), true);
        let closed = r.finish(taken).unwrap();
        assert_eq!(closed.len(), 3);
        let rows: Vec<u64> = closed.iter().map(|c| c.profile.row_count()).collect();
        assert_eq!(rows, vec![1000, 1000, 500]);
        let mut all = closed[0].profile.clone();
        all.merge(&closed[1].profile).unwrap();
        all.merge(&closed[2].profile).unwrap();
        let batch = RecordBatch::try_from_iter(vec![
            ("x", Arc::new(Float64Array::from(xs)) as ArrayRef),
            ("c", Arc::new(StringArray::from(cs)) as ArrayRef),
        ])
        .unwrap();
        let reference = profile_batch(&template(), &batch).unwrap();
        let (ColumnProfile::Numeric(a), ColumnProfile::Numeric(b)) =
            (&all.columns()[0], &reference.columns()[0])
        else {
            panic!("numeric")
        };
        assert_eq!(a.count, b.count);
        assert!((a.moments.mean().unwrap() - b.moments.mean().unwrap()).abs() < 1e-12);
        let (ColumnProfile::Categorical(a), ColumnProfile::Categorical(b)) =
            (&all.columns()[1], &reference.columns()[1])
        else {
            panic!("categorical")
        };
        let sorted = |p: &CategoricalProfile| {
            let mut v: Vec<(String, u64)> = p
                .counts()
                .0
                .into_iter()
                .map(|(k, n)| (k.to_string(), n))
                .collect();
            v.sort();
            v
        };
        assert_eq!(sorted(a), sorted(b));
        let latency: u64 = closed.iter().map(|c| c.stats.latency.count()).sum();
        assert_eq!(latency, 2500);
    }

    #[test]
    fn row_windows_are_exact_across_threads() {
        let r = Arc::new(
            Recorder::new(template(), WindowSpec::Rows(5000), 3, JoinConfig::default()).unwrap(),
        );
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let r = r.clone();
                std::thread::spawn(move || {
                    for i in 0..10_000 {
                        r.log(record(&[Cell::Int(i), Cell::Str("a")]));
                        if i % 1000 == 0 {
                            r.feed();
                        }
                    }
                })
            })
            .collect();
        let mut closed = Vec::new();
        while closed
            .iter()
            .map(|c: &Closed| c.stats.requests)
            .sum::<u64>()
            < 50_000
        {
            let t = r.take_closable(r.now_ns(), false);
            closed.extend(r.finish(t).unwrap());
            if handles.iter().all(|h| h.is_finished()) {
                let t = r.take_closable(r.now_ns(), true);
                closed.extend(r.finish(t).unwrap());
            }
        }
        for h in handles {
            h.join().unwrap();
        }
        let t = r.take_closable(r.now_ns(), true);
        closed.extend(r.finish(t).unwrap());
        assert_eq!(closed.iter().map(|c| c.stats.requests).sum::<u64>(), 60_000);
        for c in &closed {
            assert_eq!(c.profile.row_count(), c.stats.requests);
            assert_eq!(c.profile.columns()[0].count(), c.stats.requests);
        }
        assert!(closed.iter().filter(|c| c.stats.requests == 5000).count() >= 11);
    }

    #[test]
    fn late_records_are_counted_not_profiled_and_reset_forgets() {
        let spec = WindowSpec::Time {
            length_ns: 1_000_000_000,
            lateness_ns: 0,
        };
        let r = Recorder::new(template(), spec, 2, JoinConfig::default()).unwrap();
        let now = r.now_ns();
        let mut rec = record(&[Cell::Float(1.0), Cell::Null]);
        rec.timestamp_ns = Some(now - 3_600_000_000_000);
        r.log(rec.clone());
        rec.timestamp_ns = Some(now + 3_600_000_000_000);
        r.log(rec.clone());
        let closed = r
            .finish(r.take_closable(now + 10_000_000_000, false))
            .unwrap();
        let requests: u64 = closed.iter().map(|c| c.stats.requests).sum();
        let rows: u64 = closed.iter().map(|c| c.profile.row_count()).sum();
        assert_eq!((requests, rows), (2, 1));
        assert_eq!(closed.iter().map(|c| c.stats.late).sum::<u64>(), 1);
        assert_eq!(closed.iter().map(|c| c.stats.future).sum::<u64>(), 1);
        r.log(record(&[Cell::Float(1.0), Cell::Str("a")]));
        r.reset();
        let snap = r.finish_snapshot(r.snapshot_parts(None)).unwrap();
        assert_eq!(snap.profile.row_count(), 0);
    }

    fn binary_template() -> Profile {
        use crate::metrics::labels::LabelEncoder;
        use crate::metrics::performance::{Performance, PerformanceConfig};
        use crate::model::ModelSpec;
        let mut t = template();
        let classes = LabelEncoder::new(vec![Label::Int(0), Label::Int(1)]).unwrap();
        let perf = Performance::new(
            Task::Binary,
            Some(classes),
            None,
            Vec::new(),
            PerformanceConfig::for_task(Task::Binary),
        )
        .unwrap();
        let spec = ModelSpec {
            label: "y".into(),
            prediction: Some("yhat".into()),
            scores: Vec::new(),
            segments: Vec::new(),
        };
        t.set_model(Some(ModelProfile::new(spec, perf).unwrap()));
        t
    }

    #[test]
    fn ids_join_before_any_background_work_and_stay_bounded_without_it() {
        let n = 3 * MAX_UNJOINED_IDS as i64;
        let config = JoinConfig {
            capacity: 2 * n as usize,
            ttl_ns: 3_600_000_000_000,
        };
        let r = Recorder::new(binary_template(), WindowSpec::Rows(1 << 30), 2, config).unwrap();
        for i in 0..n {
            let mut rec = record(&[Cell::Float(1.0), Cell::Str("a")]);
            rec.prediction = Cell::Int(i % 2);
            rec.id = Some(Key::Int(i));
            r.log(rec);
        }
        // Nothing fed: once MAX_UNJOINED_IDS piled up, the logging thread moved a few per call
        // into the join buffer itself, so the backlog never grew past that.
        let unjoined: usize = r.shards.iter().map(|s| lock(s).ids.len()).sum();
        assert!(unjoined <= MAX_UNJOINED_IDS, "{unjoined} ids wait");
        // One repeated id, and labels for ids logged just now (still unjoined) and long ago.
        let mut rec = record(&[Cell::Float(1.0), Cell::Str("a")]);
        rec.id = Some(Key::Int(3));
        r.log(rec);
        let matched = r.log_labels(
            [n - 1, n - 10, 0, 3, -5]
                .into_iter()
                .map(|i| (Key::Int(i), Cell::Int(1))),
        );
        assert_eq!(matched, 4);
        assert_eq!(r.pending_labels(), n as usize - 4);
        let closed = r.finish(r.take_closable(r.now_ns(), true)).unwrap();
        let s = closed.iter().fold(Stats::new(), |mut a, c| {
            a.merge(&c.stats);
            a
        });
        assert_eq!(
            (
                s.requests,
                s.joined,
                s.unmatched,
                s.duplicate_ids,
                s.evicted
            ),
            (n as u64 + 1, 4, 1, 1, 0)
        );
    }
}
