//! [`Performance`]: every model-quality accumulator of one model, overall and per segment, fed
//! from Arrow label columns, score buffers and segment columns in one call.
//!
//! A classification task keeps a [`ConfusionMatrix`] and, when scores are given, a
//! [`BinaryScoreHistogram`] (binary) or [`MulticlassScoreAccumulator`] (multiclass); a
//! regression task keeps a [`RegressionAccumulator`]. Each declared segmentation (a segment
//! column, or a pre-joined combination of columns) keeps the same accumulators per segment,
//! filled in one pass over the rows, with coarser score histograms
//! ([`PerformanceConfig::segment_bins`]) so that memory stays bounded:
//! `segments × 2 × segment_bins × 8` bytes per segmentation for binary scores.
//!
//! Everything merges (segments matched by value) and serializes.

use arrow_array::{Array, ArrayRef};
use rayon::prelude::*;

use crate::codec::{ensure, open, seal, Kind, Reader, Writer};
use crate::error::{Error, Result};
use crate::metrics::confusion::{ConfusionMatrix, SegmentedConfusion};
use crate::metrics::labels::{Label, LabelEncoder, Segment, SegmentEncoder};
use crate::metrics::regression::{RegressionAccumulator, SegmentedRegression};
use crate::metrics::scores::{
    BinaryScoreHistogram, MulticlassScoreAccumulator, SegmentedBinaryScores,
    SegmentedMulticlassScores,
};

/// Rows per chunk of [`Performance::update`].
const CHUNK: usize = 1 << 15;
/// Batches at least this long are split over the rayon pool.
const PARALLEL_MIN: usize = 1 << 18;

/// The kind of model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Two classes; one of them is the positive class.
    Binary,
    /// Three or more classes.
    Multiclass,
    /// A numeric target.
    Regression,
}

impl Task {
    /// The task's name (`"binary"`, `"multiclass"`, `"regression"`).
    pub fn name(self) -> &'static str {
        match self {
            Task::Binary => "binary",
            Task::Multiclass => "multiclass",
            Task::Regression => "regression",
        }
    }

    /// Parse a task name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "binary" => Ok(Task::Binary),
            "multiclass" => Ok(Task::Multiclass),
            "regression" => Ok(Task::Regression),
            o => Err(Error::invalid(format!(
                "task must be \"binary\", \"multiclass\" or \"regression\", got {o:?}"
            ))),
        }
    }

    fn tag(self) -> u8 {
        match self {
            Task::Binary => 0,
            Task::Multiclass => 1,
            Task::Regression => 2,
        }
    }
}

/// Resolution and limits of a [`Performance`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerformanceConfig {
    /// Score bins of the overall binary histogram (default 16,384) or per class of the
    /// multiclass one (default 4,096).
    pub bins: usize,
    /// Score bins per segment (default 2,048 binary, 1,024 multiclass).
    pub segment_bins: usize,
    /// Calibration (reliability) bins (default 10).
    pub calibration_bins: usize,
    /// Named segments per segmentation before new values go to `__other__` (default 1,000).
    pub segment_cap: usize,
    /// Threshold turning binary scores into predictions when no prediction is given.
    pub threshold: f64,
}

impl PerformanceConfig {
    /// The defaults for `task`.
    pub fn for_task(task: Task) -> Self {
        let multi = task == Task::Multiclass;
        Self {
            bins: if multi { 1 << 12 } else { 1 << 14 },
            segment_bins: if multi { 1 << 10 } else { 1 << 11 },
            calibration_bins: 10,
            segment_cap: SegmentEncoder::DEFAULT_CAP,
            threshold: 0.5,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Scores {
    Binary(BinaryScoreHistogram),
    Multi(MulticlassScoreAccumulator),
}

#[derive(Debug, Clone, PartialEq)]
enum SegScores {
    Binary(SegmentedBinaryScores),
    Multi(SegmentedMulticlassScores),
}

#[derive(Debug, Clone)]
enum Accs {
    Classification {
        confusion: ConfusionMatrix,
        scores: Option<Scores>,
    },
    Regression(RegressionAccumulator),
}

#[derive(Debug, Clone)]
enum SegAccs {
    Classification {
        confusion: SegmentedConfusion,
        scores: Option<SegScores>,
    },
    Regression(SegmentedRegression),
}

/// Score input of [`Performance::update`].
#[derive(Debug, Clone, Copy)]
pub enum ScoreInput<'a> {
    /// No scores.
    None,
    /// Binary: the positive class's probability per row.
    Binary(&'a [f64]),
    /// Multiclass: row-major `n × k` class probabilities in class order.
    Multi(&'a [f64]),
}

/// Label input of [`Performance::update`].
#[derive(Clone, Copy)]
pub enum Targets<'a> {
    /// Classification: true labels and optional predicted labels (Arrow columns).
    Labels(&'a dyn Array, Option<&'a dyn Array>),
    /// Regression: true and predicted values.
    Values(&'a [f64], &'a [f64]),
}

/// All model-quality accumulators of one model; see the module documentation.
#[derive(Debug, Clone)]
pub struct Performance {
    task: Task,
    config: PerformanceConfig,
    classes: Option<LabelEncoder>,
    pos: u32,
    overall: Accs,
    names: Vec<String>,
    segs: Vec<SegAccs>,
}

fn binary_codes(y: &[u32], pos: u32) -> Vec<u32> {
    // 1 = positive, 0 = negative, 2 = unknown or null (skipped by the score accumulators).
    y.iter()
        .map(|&c| {
            if c == pos {
                1
            } else if c < 2 {
                0
            } else {
                2
            }
        })
        .collect()
}

impl Performance {
    /// Accumulators for `task`. Classification needs `classes` (2 for binary, at least 3 for
    /// multiclass) and, for binary, the positive class `pos_label` (default: the second class);
    /// `segmentations` names the segment columns.
    pub fn new(
        task: Task,
        classes: Option<LabelEncoder>,
        pos_label: Option<&Label>,
        segmentations: Vec<String>,
        config: PerformanceConfig,
    ) -> Result<Self> {
        if !(config.threshold.is_finite()) {
            return Err(Error::invalid("threshold must be finite"));
        }
        let mut pos = 1;
        let overall = match task {
            Task::Regression => {
                if classes.is_some() {
                    return Err(Error::invalid("a regression task has no classes"));
                }
                Accs::Regression(RegressionAccumulator::new())
            }
            Task::Binary | Task::Multiclass => {
                let c = classes
                    .as_ref()
                    .ok_or_else(|| Error::invalid("a classification task needs its classes"))?;
                let k = c.k();
                if task == Task::Binary && k != 2 {
                    return Err(Error::invalid(format!(
                        "a binary task needs exactly 2 classes, got {k}"
                    )));
                }
                if task == Task::Multiclass && k < 2 {
                    return Err(Error::invalid(format!(
                        "a multiclass task needs at least 2 classes, got {k}"
                    )));
                }
                if let Some(p) = pos_label {
                    let code = c.code(p);
                    if code as usize >= k {
                        return Err(Error::invalid(format!(
                            "pos_label {p} is not one of the classes"
                        )));
                    }
                    pos = code;
                }
                Accs::Classification {
                    confusion: ConfusionMatrix::new(c.clone())?,
                    scores: None,
                }
            }
        };
        let mut segs = Vec::with_capacity(segmentations.len());
        for name in &segmentations {
            let enc = SegmentEncoder::with_cap(config.segment_cap)?;
            segs.push(match task {
                Task::Regression => SegAccs::Regression(SegmentedRegression::new(enc)),
                _ => SegAccs::Classification {
                    confusion: SegmentedConfusion::new(
                        classes.clone().expect("checked above"),
                        enc,
                    )?,
                    scores: None,
                },
            });
            if segmentations.iter().filter(|n| *n == name).count() > 1 {
                return Err(Error::invalid(format!(
                    "segmentation {name:?} appears twice"
                )));
            }
        }
        Ok(Self {
            task,
            config,
            classes,
            pos,
            overall,
            names: segmentations,
            segs,
        })
    }

    /// Empty accumulators with the same task, classes, configuration and segmentations.
    pub fn clear(&mut self) {
        *self = self.empty_like();
    }

    /// Empty accumulators like `self` (without copying `self`'s counts first).
    fn empty_like(&self) -> Self {
        let pos = self
            .classes
            .as_ref()
            .map(|c| c.classes()[self.pos as usize].clone());
        Self::new(
            self.task,
            self.classes.clone(),
            pos.as_ref(),
            self.names.clone(),
            self.config,
        )
        .expect("the parameters were validated when first built")
    }

    /// The task.
    pub fn task(&self) -> Task {
        self.task
    }

    /// The configuration.
    pub fn config(&self) -> &PerformanceConfig {
        &self.config
    }

    /// The class set (classification only).
    pub fn classes(&self) -> Option<&LabelEncoder> {
        self.classes.as_ref()
    }

    /// Code of the positive class (binary tasks).
    pub fn pos(&self) -> u32 {
        self.pos
    }

    /// Names of the segmentations.
    pub fn segmentations(&self) -> &[String] {
        &self.names
    }

    /// Segments of segmentation `i` as `(code, segment)`, in code order, skipping segments
    /// without rows.
    pub fn segments(&self, i: usize) -> Vec<(u32, Segment)> {
        let Some(s) = self.segs.get(i) else {
            return Vec::new();
        };
        match s {
            SegAccs::Classification { confusion, .. } => (0..confusion.n_segments() as u32)
                .filter(|&c| confusion.segment(c).is_some_and(|m| m.n() > 0))
                .filter_map(|c| confusion.segments().get(c).map(|g| (c, g)))
                .collect(),
            SegAccs::Regression(r) => (0..r.n_segments() as u32)
                .filter(|&c| r.segment(c).is_some_and(|a| a.n() + a.invalid() > 0))
                .filter_map(|c| r.segments().get(c).map(|g| (c, g)))
                .collect(),
        }
    }

    /// Encode true labels with the class set (classification).
    pub fn encode_labels(&self, a: &dyn Array) -> Result<Vec<u32>> {
        let c = self
            .classes
            .as_ref()
            .ok_or_else(|| Error::invalid("a regression task has no classes"))?;
        let mut out = Vec::with_capacity(a.len());
        c.encode(a, &mut out)?;
        Ok(out)
    }

    fn predictions(&self, t: &[u32], scores: &ScoreInput) -> Result<Vec<u32>> {
        let k = self.classes.as_ref().map_or(0, |c| c.k());
        let null = k as u32 + 1;
        match scores {
            ScoreInput::Binary(s) => {
                let thr = self.config.threshold;
                let (pos, neg) = (self.pos, 1 - self.pos);
                Ok(s.iter()
                    .map(|&x| {
                        if !(0.0..=1.0).contains(&x) {
                            null
                        } else if x >= thr {
                            pos
                        } else {
                            neg
                        }
                    })
                    .collect())
            }
            ScoreInput::Multi(s) => {
                // The predicted class is the arg-max (first on ties); an invalid row has none.
                Ok(s.chunks_exact(k)
                    .map(|row| {
                        let mut best = 0usize;
                        for (j, &p) in row.iter().enumerate() {
                            if !(0.0..=1.0).contains(&p) {
                                return null;
                            }
                            if p > row[best] {
                                best = j;
                            }
                        }
                        best as u32
                    })
                    .collect())
            }
            ScoreInput::None => Err(Error::invalid(format!(
                "give predicted labels or scores ({} rows)",
                t.len()
            ))),
        }
    }

    fn check_scores(&self, n: usize, scores: &ScoreInput) -> Result<()> {
        let k = self.classes.as_ref().map_or(0, |c| c.k());
        match (self.task, scores) {
            (_, ScoreInput::None) => Ok(()),
            (Task::Binary, ScoreInput::Binary(s)) if s.len() == n => Ok(()),
            (Task::Multiclass, ScoreInput::Multi(s)) if s.len() == n * k => Ok(()),
            (Task::Binary, _) => Err(Error::invalid(format!(
                "a binary task takes one score per row ({n} rows)"
            ))),
            (Task::Multiclass, _) => Err(Error::invalid(format!(
                "a multiclass task takes {k} scores per row ({n} rows)"
            ))),
            (Task::Regression, _) => Err(Error::invalid("a regression task takes no scores")),
        }
    }

    fn new_scores(&self, bins: usize) -> Result<Scores> {
        Ok(match self.task {
            Task::Binary => Scores::Binary(BinaryScoreHistogram::with_bins(
                bins,
                self.config.calibration_bins,
            )?),
            _ => Scores::Multi(MulticlassScoreAccumulator::with_bins(
                self.classes.as_ref().map_or(2, |c| c.k()),
                bins,
            )?),
        })
    }

    /// Add a batch: `targets` (labels or values), `scores`, and one segment column per
    /// segmentation (in the order of [`Performance::segmentations`]).
    ///
    /// Every row is counted somewhere (see [`crate::metrics`]): unknown and null labels in the
    /// confusion matrix's extra row and column, invalid scores in the score accumulators'
    /// tallies (and as a null prediction when predictions come from the scores), invalid
    /// regression values in `invalid`.
    pub fn update(
        &mut self,
        targets: Targets<'_>,
        scores: ScoreInput<'_>,
        segments: &[&dyn Array],
    ) -> Result<()> {
        if segments.len() != self.segs.len() {
            return Err(Error::invalid(format!(
                "expected {} segment columns ({:?}), got {}",
                self.segs.len(),
                self.names,
                segments.len()
            )));
        }
        // Validate every length before anything is counted.
        let n = match targets {
            Targets::Values(t, p) => {
                if self.task != Task::Regression {
                    return Err(Error::invalid(format!(
                        "a {} task takes labels, not values",
                        self.task.name()
                    )));
                }
                if !matches!(scores, ScoreInput::None) {
                    return Err(Error::invalid("a regression task takes no scores"));
                }
                if t.len() != p.len() {
                    return Err(Error::invalid(format!(
                        "y_true has {} values but y_pred has {}",
                        t.len(),
                        p.len()
                    )));
                }
                t.len()
            }
            Targets::Labels(t, p) => {
                if self.task == Task::Regression {
                    return Err(Error::invalid("a regression task takes values, not labels"));
                }
                if let Some(p) = p {
                    if p.len() != t.len() {
                        return Err(Error::invalid(format!(
                            "y_true has {} values but y_pred has {}",
                            t.len(),
                            p.len()
                        )));
                    }
                }
                self.check_scores(t.len(), &scores)?;
                t.len()
            }
        };
        for (name, s) in self.names.iter().zip(segments) {
            if s.len() != n {
                return Err(Error::invalid(format!(
                    "segment {name:?} has {} rows, expected {n}",
                    s.len()
                )));
            }
        }
        let threads = rayon::current_num_threads();
        if n < PARALLEL_MIN || threads < 2 {
            return self.update_chunks(targets, scores, segments, 0, n);
        }
        // Row ranges on the pool, each into its own empty accumulators, merged in order (so
        // `self` is unchanged if any range fails).
        let tasks = (2 * threads).min(n / CHUNK).max(2);
        let step = n.div_ceil(tasks);
        let empty = self.empty_like();
        let parts: Vec<Result<Performance>> = (0..tasks)
            .into_par_iter()
            .map(|i| {
                let (a, b) = ((i * step).min(n), ((i + 1) * step).min(n));
                let mut part = empty.clone();
                part.update_chunks(targets, scores, segments, a, b)?;
                Ok(part)
            })
            .collect();
        // `out` is a scratch copy: merged in place, and dropped if anything fails.
        let mut out = self.clone();
        for part in parts {
            let part = part?;
            out.check_mergeable(&part)?;
            out.merge_in_place(&part)?;
        }
        *self = out;
        Ok(())
    }

    /// Rows `a..b`, in chunks of [`CHUNK`] rows so that the per-row code buffers stay small
    /// and are reused by the allocator instead of being mapped afresh for every call.
    fn update_chunks(
        &mut self,
        targets: Targets<'_>,
        scores: ScoreInput<'_>,
        segments: &[&dyn Array],
        a: usize,
        b: usize,
    ) -> Result<()> {
        let k = self.classes.as_ref().map_or(1, |c| c.k());
        let mut start = a;
        loop {
            let end = (start + CHUNK).min(b);
            let len = end - start;
            let segs: Vec<ArrayRef> = segments.iter().map(|s| s.slice(start, len)).collect();
            let seg_refs: Vec<&dyn Array> = segs.iter().map(|s| s.as_ref()).collect();
            let sc = match scores {
                ScoreInput::None => ScoreInput::None,
                ScoreInput::Binary(s) => ScoreInput::Binary(s.get(start..end).unwrap_or(s)),
                ScoreInput::Multi(s) => ScoreInput::Multi(s.get(start * k..end * k).unwrap_or(s)),
            };
            match targets {
                Targets::Values(t, p) => {
                    if !matches!(scores, ScoreInput::None) {
                        return Err(Error::invalid("a regression task takes no scores"));
                    }
                    let (t, p) = (
                        t.get(start..end).unwrap_or(t),
                        p.get(start..end).unwrap_or(p),
                    );
                    self.update_regression(t, p, &seg_refs)?;
                }
                Targets::Labels(t, p) => {
                    let t = t.slice(start, len);
                    let p = p.map(|p| {
                        p.slice(start.min(p.len()), len.min(p.len().saturating_sub(start)))
                    });
                    self.update_classification(t.as_ref(), p.as_deref(), sc, &seg_refs)?;
                }
            }
            start = end;
            if start >= b {
                return Ok(());
            }
        }
    }

    fn update_regression(&mut self, t: &[f64], p: &[f64], segments: &[&dyn Array]) -> Result<()> {
        if t.len() != p.len() {
            return Err(Error::invalid(format!(
                "y_true has {} values but y_pred has {}",
                t.len(),
                p.len()
            )));
        }
        for (name, s) in self.names.iter().zip(segments) {
            if s.len() != t.len() {
                return Err(Error::invalid(format!(
                    "segment {name:?} has {} rows, expected {}",
                    s.len(),
                    t.len()
                )));
            }
        }
        let Accs::Regression(acc) = &mut self.overall else {
            return Err(Error::invalid(format!(
                "a {} task takes labels, not values",
                self.task.name()
            )));
        };
        acc.add(t, p)?;
        for (s, a) in self.segs.iter_mut().zip(segments) {
            if let SegAccs::Regression(r) = s {
                r.add_with_segments(t, p, *a)?;
            }
        }
        Ok(())
    }

    fn update_classification(
        &mut self,
        t: &dyn Array,
        p: Option<&dyn Array>,
        scores: ScoreInput<'_>,
        segments: &[&dyn Array],
    ) -> Result<()> {
        if self.task == Task::Regression {
            return Err(Error::invalid("a regression task takes values, not labels"));
        }
        let n = t.len();
        if let Some(p) = p {
            if p.len() != n {
                return Err(Error::invalid(format!(
                    "y_true has {n} values but y_pred has {}",
                    p.len()
                )));
            }
        }
        self.check_scores(n, &scores)?;
        for (name, s) in self.names.iter().zip(segments) {
            if s.len() != n {
                return Err(Error::invalid(format!(
                    "segment {name:?} has {} rows, expected {n}",
                    s.len()
                )));
            }
        }
        let yt = self.encode_labels(t)?;
        let yp = match p {
            Some(p) => self.encode_labels(p)?,
            None => self.predictions(&yt, &scores)?,
        };
        let bin_y = match (self.task, &scores) {
            (Task::Binary, ScoreInput::Binary(_)) => Some(binary_codes(&yt, self.pos)),
            _ => None,
        };
        let need_scores = !matches!(scores, ScoreInput::None);
        if need_scores && matches!(self.overall, Accs::Classification { scores: None, .. }) {
            let s = self.new_scores(self.config.bins)?;
            if let Accs::Classification { scores, .. } = &mut self.overall {
                *scores = Some(s);
            }
        }
        let (task, seg_bins, cal) = (
            self.task,
            self.config.segment_bins,
            self.config.calibration_bins,
        );
        let k = self.classes.as_ref().map_or(2, |c| c.k());
        let Accs::Classification {
            confusion: total,
            scores: total_scores,
        } = &mut self.overall
        else {
            unreachable!("classification task");
        };
        let bin_y = bin_y.as_deref();
        if self.segs.is_empty() {
            total.add(&yt, &yp)?;
            match (total_scores.as_mut(), &scores) {
                (Some(Scores::Binary(h)), ScoreInput::Binary(s)) => {
                    h.add(bin_y.expect("binary"), s)?
                }
                (Some(Scores::Multi(h)), ScoreInput::Multi(s)) => h.add(&yt, s)?,
                _ => {}
            }
            return Ok(());
        }
        // Every row is in exactly one segment of each segmentation, so the first segmentation's
        // pass also fills the overall accumulators (one pass over the rows instead of two).
        for (i, (s, a)) in self.segs.iter_mut().zip(segments).enumerate() {
            let SegAccs::Classification {
                confusion,
                scores: ss,
            } = s
            else {
                continue;
            };
            let mut g = Vec::with_capacity(n);
            confusion.encode_segments(*a, &mut g)?;
            if i == 0 {
                confusion.add_with_total(&yt, &yp, &g, total)?;
            } else {
                confusion.add(&yt, &yp, &g)?;
            }
            if !need_scores {
                continue;
            }
            let want = confusion.n_segments();
            match ss {
                None => {
                    *ss = Some(match task {
                        Task::Binary => {
                            SegScores::Binary(SegmentedBinaryScores::new(want, seg_bins, cal)?)
                        }
                        _ => SegScores::Multi(SegmentedMulticlassScores::new(want, k, seg_bins)?),
                    })
                }
                Some(SegScores::Binary(b)) => b.grow(want),
                Some(SegScores::Multi(m)) => m.grow(want),
            }
            let total = if i == 0 { total_scores.as_mut() } else { None };
            match (ss.as_mut(), total, &scores) {
                (Some(SegScores::Binary(b)), Some(Scores::Binary(t)), ScoreInput::Binary(s)) => {
                    b.add_with_total(t, &g, bin_y.expect("binary"), s)?
                }
                (Some(SegScores::Binary(b)), _, ScoreInput::Binary(s)) => {
                    b.add(&g, bin_y.expect("binary"), s)?
                }
                (Some(SegScores::Multi(m)), Some(Scores::Multi(t)), ScoreInput::Multi(s)) => {
                    m.add_with_total(t, &g, &yt, s)?
                }
                (Some(SegScores::Multi(m)), _, ScoreInput::Multi(s)) => m.add(&g, &yt, s)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The classification accumulators overall (`seg = None`) or of one segment
    /// (`(segmentation, code)`): the confusion matrix and the score accumulator, if any.
    pub fn classification(
        &self,
        seg: Option<(usize, u32)>,
    ) -> Result<(ConfusionMatrix, Option<ScoreView<'_>>)> {
        match seg {
            None => match &self.overall {
                Accs::Classification { confusion, scores } => Ok((
                    confusion.clone(),
                    scores.as_ref().map(|s| match s {
                        Scores::Binary(b) => ScoreView::Binary(b),
                        Scores::Multi(m) => ScoreView::Multi(m),
                    }),
                )),
                Accs::Regression(_) => Err(Error::invalid("a regression task has no classes")),
            },
            Some((i, code)) => match self.segs.get(i) {
                Some(SegAccs::Classification { confusion, scores }) => {
                    let m = confusion
                        .segment(code)
                        .ok_or_else(|| Error::invalid(format!("no segment with code {code}")))?;
                    let view = match scores {
                        Some(SegScores::Binary(b)) => {
                            b.segments().get(code as usize).map(ScoreView::Binary)
                        }
                        Some(SegScores::Multi(mm)) => {
                            mm.segments().get(code as usize).map(ScoreView::Multi)
                        }
                        None => None,
                    };
                    Ok((m, view))
                }
                Some(SegAccs::Regression(_)) => {
                    Err(Error::invalid("a regression task has no classes"))
                }
                None => Err(Error::invalid(format!("no segmentation {i}"))),
            },
        }
    }

    /// The regression accumulator overall or of one segment.
    pub fn regression(&self, seg: Option<(usize, u32)>) -> Result<RegressionAccumulator> {
        match seg {
            None => match &self.overall {
                Accs::Regression(r) => Ok(r.clone()),
                _ => Err(Error::invalid("not a regression task")),
            },
            Some((i, code)) => match self.segs.get(i) {
                Some(SegAccs::Regression(r)) => r
                    .segment(code)
                    .cloned()
                    .ok_or_else(|| Error::invalid(format!("no segment with code {code}"))),
                Some(_) => Err(Error::invalid("not a regression task")),
                None => Err(Error::invalid(format!("no segmentation {i}"))),
            },
        }
    }

    /// Add the counts of `other` (same task, classes, configuration and segmentations;
    /// segments matched by value).
    pub fn merge(&mut self, other: &Performance) -> Result<()> {
        self.check_mergeable(other)?;
        let mut out = self.clone();
        out.merge_in_place(other)?;
        *self = out;
        Ok(())
    }

    /// [`Error::Incompatible`] unless `other` has the same task, classes, configuration and
    /// segmentations.
    fn check_mergeable(&self, other: &Performance) -> Result<()> {
        if self.task != other.task {
            return Err(Error::incompatible(
                "performance.task",
                format!("{} vs {}", self.task.name(), other.task.name()),
            ));
        }
        if self.classes != other.classes || self.pos != other.pos {
            return Err(Error::incompatible(
                "performance.classes",
                "the class sets or positive classes differ",
            ));
        }
        if self.config != other.config {
            return Err(Error::incompatible(
                "performance.config",
                format!("{:?} vs {:?}", self.config, other.config),
            ));
        }
        if self.names != other.names {
            return Err(Error::incompatible(
                "performance.segmentations",
                format!("{:?} vs {:?}", self.names, other.names),
            ));
        }
        Ok(())
    }

    /// Add `other`'s counts (checked mergeable); on error `self` may be partly merged.
    fn merge_in_place(&mut self, other: &Performance) -> Result<()> {
        match (&mut self.overall, &other.overall) {
            (Accs::Regression(a), Accs::Regression(b)) => a.merge(b)?,
            (
                Accs::Classification {
                    confusion: ca,
                    scores: sa,
                },
                Accs::Classification {
                    confusion: cb,
                    scores: sb,
                },
            ) => {
                ca.merge(cb)?;
                merge_scores(sa, sb)?;
            }
            _ => unreachable!("same task"),
        }
        for (a, b) in self.segs.iter_mut().zip(&other.segs) {
            match (a, b) {
                (SegAccs::Regression(x), SegAccs::Regression(y)) => x.merge(y)?,
                (
                    SegAccs::Classification {
                        confusion: ca,
                        scores: sa,
                    },
                    SegAccs::Classification {
                        confusion: cb,
                        scores: sb,
                    },
                ) => {
                    // Segment codes of `other` are remapped by value into `ca`'s codes.
                    let map: Vec<Option<u32>> = {
                        ca.merge(cb)?;
                        (0..cb.n_segments() as u32)
                            .map(|c| {
                                cb.segments().get(c).map(|g| {
                                    ca.segments().lookup(&g).unwrap_or(SegmentEncoder::OTHER)
                                })
                            })
                            .collect()
                    };
                    merge_seg_scores(sa, sb, &map, ca.n_segments())?;
                }
                _ => unreachable!("same task"),
            }
        }
        Ok(())
    }

    /// Append the serialized accumulators to `w`.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.task.tag());
        w.u64(self.config.bins as u64);
        w.u64(self.config.segment_bins as u64);
        w.u64(self.config.calibration_bins as u64);
        w.u64(self.config.segment_cap as u64);
        w.f64(self.config.threshold);
        match &self.classes {
            Some(c) => {
                w.u8(1);
                c.write(w);
            }
            None => w.u8(0),
        }
        w.u32(self.pos);
        w.len(self.names.len());
        for n in &self.names {
            w.str(n);
        }
        match &self.overall {
            Accs::Regression(r) => r.encode(w),
            Accs::Classification { confusion, scores } => {
                confusion.encode(w);
                match scores {
                    None => w.u8(0),
                    Some(Scores::Binary(b)) => {
                        w.u8(1);
                        b.encode(w);
                    }
                    Some(Scores::Multi(m)) => {
                        w.u8(2);
                        m.encode(w);
                    }
                }
            }
        }
        for s in &self.segs {
            match s {
                SegAccs::Regression(r) => r.encode(w),
                SegAccs::Classification { confusion, scores } => {
                    confusion.encode(w);
                    match scores {
                        None => w.u8(0),
                        Some(SegScores::Binary(b)) => {
                            w.u8(1);
                            b.encode(w);
                        }
                        Some(SegScores::Multi(m)) => {
                            w.u8(2);
                            m.encode(w);
                        }
                    }
                }
            }
        }
    }

    /// The accumulators as a standalone, checksummed byte string.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        seal(Kind::Performance, &w.finish())
    }

    /// Read accumulators written by [`Performance::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let payload = open(bytes, Kind::Performance)?;
        let mut r = Reader::new(payload);
        let p = Self::decode(&mut r)?;
        r.finish()?;
        Ok(p)
    }

    /// Read accumulators written by [`Performance::encode`], validating every invariant.
    pub fn decode(r: &mut Reader) -> Result<Self> {
        let task = match r.u8()? {
            0 => Task::Binary,
            1 => Task::Multiclass,
            2 => Task::Regression,
            t => return Err(Error::corrupt(format!("performance: unknown task tag {t}"))),
        };
        let config = PerformanceConfig {
            bins: r.u64()? as usize,
            segment_bins: r.u64()? as usize,
            calibration_bins: r.u64()? as usize,
            segment_cap: r.u64()? as usize,
            threshold: r.f64()?,
        };
        ensure(config.threshold.is_finite(), || {
            "performance: threshold is not finite".into()
        })?;
        let classes = match r.u8()? {
            0 => None,
            1 => Some(LabelEncoder::read(r)?),
            f => return Err(Error::corrupt(format!("performance: bad classes flag {f}"))),
        };
        let pos = r.u32()?;
        let n = r.len(1)?;
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            names.push(r.str()?);
        }
        let k = classes.as_ref().map_or(0, |c| c.k());
        match task {
            Task::Regression => ensure(classes.is_none(), || {
                "performance: a regression task has classes".into()
            })?,
            Task::Binary => ensure(k == 2 && pos < 2, || {
                "performance: a binary task needs 2 classes and a positive class".into()
            })?,
            Task::Multiclass => ensure(k >= 2, || {
                "performance: a multiclass task needs classes".into()
            })?,
        }
        let read_scores = |r: &mut Reader| -> Result<Option<Scores>> {
            Ok(match r.u8()? {
                0 => None,
                1 if task == Task::Binary => Some(Scores::Binary(BinaryScoreHistogram::decode(r)?)),
                2 if task == Task::Multiclass => {
                    let m = MulticlassScoreAccumulator::decode(r)?;
                    ensure(m.classes() == k, || {
                        "performance: score classes differ".into()
                    })?;
                    Some(Scores::Multi(m))
                }
                f => return Err(Error::corrupt(format!("performance: bad scores flag {f}"))),
            })
        };
        let check_classes = |c: &LabelEncoder| {
            ensure(Some(c) == classes.as_ref(), || {
                "performance: confusion classes differ from the declared classes".into()
            })
        };
        let overall = match task {
            Task::Regression => Accs::Regression(RegressionAccumulator::decode(r)?),
            _ => {
                let confusion = ConfusionMatrix::decode(r)?;
                check_classes(confusion.classes())?;
                Accs::Classification {
                    confusion,
                    scores: read_scores(r)?,
                }
            }
        };
        let mut segs = Vec::with_capacity(names.len());
        for _ in 0..names.len() {
            segs.push(match task {
                Task::Regression => SegAccs::Regression(SegmentedRegression::decode(r)?),
                _ => {
                    let confusion = SegmentedConfusion::decode(r)?;
                    check_classes(confusion.classes())?;
                    let scores = match r.u8()? {
                        0 => None,
                        1 if task == Task::Binary => {
                            Some(SegScores::Binary(SegmentedBinaryScores::decode(r)?))
                        }
                        2 if task == Task::Multiclass => {
                            Some(SegScores::Multi(SegmentedMulticlassScores::decode(r)?))
                        }
                        f => {
                            return Err(Error::corrupt(format!(
                                "performance: bad segment scores flag {f}"
                            )))
                        }
                    };
                    SegAccs::Classification { confusion, scores }
                }
            });
        }
        Ok(Self {
            task,
            config,
            classes,
            pos,
            overall,
            names,
            segs,
        })
    }
}

/// A read-only view of a score accumulator.
#[derive(Debug, Clone, Copy)]
pub enum ScoreView<'a> {
    /// Binary scores.
    Binary(&'a BinaryScoreHistogram),
    /// Multiclass scores.
    Multi(&'a MulticlassScoreAccumulator),
}

fn merge_scores(a: &mut Option<Scores>, b: &Option<Scores>) -> Result<()> {
    match (a.as_mut(), b) {
        (_, None) => Ok(()),
        (None, Some(s)) => {
            *a = Some(s.clone());
            Ok(())
        }
        (Some(Scores::Binary(x)), Some(Scores::Binary(y))) => x.merge(y),
        (Some(Scores::Multi(x)), Some(Scores::Multi(y))) => x.merge(y),
        _ => Err(Error::incompatible(
            "performance.scores",
            "binary vs multiclass",
        )),
    }
}

fn merge_seg_scores(
    a: &mut Option<SegScores>,
    b: &Option<SegScores>,
    map: &[Option<u32>],
    n_segments: usize,
) -> Result<()> {
    let Some(b) = b else {
        if let Some(s) = a.as_mut() {
            match s {
                SegScores::Binary(x) => x.grow(n_segments),
                SegScores::Multi(x) => x.grow(n_segments),
            }
        }
        return Ok(());
    };
    if a.is_none() {
        *a = Some(match b {
            SegScores::Binary(y) => SegScores::Binary(y.empty_with(n_segments)),
            SegScores::Multi(y) => SegScores::Multi(y.empty_with(n_segments)),
        });
    }
    match (a.as_mut().expect("set above"), b) {
        (SegScores::Binary(x), SegScores::Binary(y)) => {
            x.grow(n_segments);
            x.merge_mapped(y, map)
        }
        (SegScores::Multi(x), SegScores::Multi(y)) => {
            x.grow(n_segments);
            x.merge_mapped(y, map)
        }
        _ => Err(Error::incompatible(
            "performance.scores",
            "binary vs multiclass",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use arrow_array::{Int64Array, StringArray};

    fn data(n: usize, seed: u64) -> (Int64Array, Vec<f64>, StringArray) {
        let mut rng = SplitMix64::new(seed);
        let mut y = Vec::with_capacity(n);
        let mut s = Vec::with_capacity(n);
        let mut g = Vec::with_capacity(n);
        for _ in 0..n {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let yi = i64::from(rng.next_bit());
            y.push(yi);
            s.push((u * 0.7 + 0.3 * yi as f64).min(1.0));
            g.push(["a", "b", "c"][(rng.next_u64() % 3) as usize]);
        }
        (Int64Array::from(y), s, StringArray::from(g))
    }

    fn binary() -> Performance {
        let classes = LabelEncoder::new(vec![Label::Int(0), Label::Int(1)]).unwrap();
        let cfg = PerformanceConfig::for_task(Task::Binary);
        Performance::new(Task::Binary, Some(classes), None, vec!["g".into()], cfg).unwrap()
    }

    #[test]
    fn segments_partition_the_overall_counts_and_merge_by_value() {
        let (y, s, g) = data(5000, 1);
        let mut whole = binary();
        whole
            .update(Targets::Labels(&y, None), ScoreInput::Binary(&s), &[&g])
            .unwrap();
        let (m, view) = whole.classification(None).unwrap();
        assert_eq!(m.n(), 5000);
        let Some(ScoreView::Binary(h)) = view else {
            panic!("binary scores expected")
        };
        assert_eq!(h.positives() + h.negatives(), 5000);
        let segs = whole.segments(0);
        assert_eq!(segs.len(), 3);
        let total: u64 = segs
            .iter()
            .map(|(c, _)| whole.classification(Some((0, *c))).unwrap().0.n())
            .sum();
        assert_eq!(total, 5000);
        // Two halves, the second meeting the segments in another order, merge to the whole.
        let (mut a, mut b) = (binary(), binary());
        let cut = 2500;
        let sl = |x: &dyn Array, o: usize, l: usize| x.slice(o, l);
        let (y1, g1) = (sl(&y, 0, cut), sl(&g, 0, cut));
        let (y2, g2) = (sl(&y, cut, 5000 - cut), sl(&g, cut, 5000 - cut));
        b.update(
            Targets::Labels(&y2, None),
            ScoreInput::Binary(&s[cut..]),
            &[&g2],
        )
        .unwrap();
        a.update(
            Targets::Labels(&y1, None),
            ScoreInput::Binary(&s[..cut]),
            &[&g1],
        )
        .unwrap();
        b.merge(&a).unwrap();
        for (code, seg) in whole.segments(0) {
            let other = b
                .segments(0)
                .into_iter()
                .find(|(_, s)| *s == seg)
                .unwrap()
                .0;
            let (m1, v1) = whole.classification(Some((0, code))).unwrap();
            let (m2, v2) = b.classification(Some((0, other))).unwrap();
            assert_eq!(m1.known(), m2.known());
            match (v1, v2) {
                (Some(ScoreView::Binary(x)), Some(ScoreView::Binary(y))) => {
                    assert_eq!(x.positive_counts(), y.positive_counts());
                    assert_eq!(x.negative_counts(), y.negative_counts());
                }
                _ => panic!("segment scores expected"),
            }
        }
        // Round trip, and every truncation is rejected.
        let bytes = b.to_bytes();
        let back = Performance::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        for cut in (0..bytes.len()).step_by(97) {
            assert!(Performance::from_bytes(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn regression_and_mismatches() {
        let cfg = PerformanceConfig::for_task(Task::Regression);
        let mut r = Performance::new(Task::Regression, None, None, vec![], cfg).unwrap();
        r.update(
            Targets::Values(&[1.0, 2.0, f64::NAN], &[1.5, 2.0, 1.0]),
            ScoreInput::None,
            &[],
        )
        .unwrap();
        let acc = r.regression(None).unwrap();
        assert_eq!((acc.n(), acc.invalid()), (2, 1));
        assert!((acc.mae().unwrap() - 0.25).abs() < 1e-15);
        assert!(r
            .update(Targets::Values(&[1.0], &[1.0, 2.0]), ScoreInput::None, &[])
            .is_err());
        let mut b = binary();
        assert!(b.merge(&r).is_err());
        let (y, s, _) = data(10, 2);
        // Wrong number of segment columns, and scores of the wrong length.
        assert!(b
            .update(Targets::Labels(&y, None), ScoreInput::Binary(&s), &[])
            .is_err());
        let g = StringArray::from(vec!["x"; 10]);
        assert!(b
            .update(
                Targets::Labels(&y, None),
                ScoreInput::Binary(&s[..5]),
                &[&g]
            )
            .is_err());
        assert!(Task::parse("ranking").is_err());
    }
}
