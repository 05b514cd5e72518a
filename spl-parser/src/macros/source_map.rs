//! Provenance of every byte of macro-expanded text.
//!
//! The expanded text is a concatenation of *segments*. Each segment comes from
//! one *frame*: frame 0 is the user's query, every other frame is one
//! expansion of one macro (its body text is a *source*; repeated calls of the
//! same macro share the source but get distinct frames because their call
//! sites differ). Argument text substituted into a body keeps the frame it was
//! written in, so an error in an argument points at the user's query.

use crate::span::Span;

/// Identifies a text that expanded bytes can come from: the query or one macro body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceId(pub u32);

impl SourceId {
    /// The user's query.
    pub const QUERY: SourceId = SourceId(0);
}

/// What a source text is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The query as the user wrote it.
    Query,
    /// The definition text of a macro.
    Macro {
        /// Macro name without arity.
        name: String,
        /// Number of arguments of the definition.
        arity: usize,
        /// Where the definition came from ([`super::MacroDef::origin`]).
        defined_in: String,
    },
}

/// One macro call on the way from a location back to the user's query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSite {
    /// Called macro's name.
    pub name: String,
    /// Number of arguments at the call.
    pub arity: usize,
    /// The text containing the call (the query or an enclosing macro body).
    pub source: SourceId,
    /// The call, backticks included, within `source`.
    pub span: Span,
}

/// Where a span of expanded text came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The text the span lies in.
    pub origin: Origin,
    /// Id of that text, for [`SourceMap::source_text`].
    pub source: SourceId,
    /// The span within that text.
    pub span_in_origin: Span,
    /// Calls that led there, innermost first; the last lies in the user's query.
    /// Empty when the span is in the query itself.
    pub call_sites: Vec<CallSite>,
}

impl Location {
    /// The span in the user's query to blame: the span itself, or the
    /// outermost call site when it lies inside a macro expansion.
    pub fn query_span(&self) -> Span {
        match self.call_sites.last() {
            Some(c) => c.span,
            None => self.span_in_origin,
        }
    }
}

/// A range of some text (output or an intermediate) mapped to a range of a
/// frame's source. Equal lengths map byte for byte; unequal lengths (a comment
/// replaced by a space, an `iseval` result) map as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Seg {
    pub start: usize,
    pub end: usize,
    pub frame: usize,
    pub src_start: usize,
    pub src_end: usize,
}

impl Seg {
    fn linear(&self) -> bool {
        self.end - self.start == self.src_end - self.src_start
    }

    /// Source offset of text offset `o` (`start <= o <= end`); `is_end` picks the
    /// side for whole-mapped segments.
    pub(crate) fn map(&self, o: usize, is_end: bool) -> usize {
        if self.linear() {
            self.src_start + o.saturating_sub(self.start)
        } else if is_end {
            self.src_end
        } else {
            self.src_start
        }
    }
}

/// Appends the part of `segs` covering `a..b` to `out`, shifted so that `a`
/// lands on `to`. Merges with the last segment of `out` when contiguous.
pub(crate) fn copy_segs(segs: &[Seg], a: usize, b: usize, to: usize, out: &mut Vec<Seg>) {
    if a >= b {
        return;
    }
    let first = segs.partition_point(|s| s.end <= a);
    for s in segs.get(first..).unwrap_or(&[]) {
        if s.start >= b {
            break;
        }
        let lo = s.start.max(a);
        let hi = s.end.min(b);
        let (src_start, src_end) = if s.linear() {
            (s.src_start + (lo - s.start), s.src_start + (hi - s.start))
        } else {
            (s.src_start, s.src_end)
        };
        push_seg(
            out,
            Seg {
                start: to + (lo - a),
                end: to + (hi - a),
                frame: s.frame,
                src_start,
                src_end,
            },
        );
    }
}

/// Pushes a segment, merging it into the previous one when it continues it.
pub(crate) fn push_seg(out: &mut Vec<Seg>, seg: Seg) {
    if seg.start == seg.end && seg.src_start == seg.src_end {
        return;
    }
    if let Some(last) = out.last_mut() {
        if last.frame == seg.frame
            && last.end == seg.start
            && last.src_end == seg.src_start
            && last.linear()
            && seg.linear()
        {
            last.end = seg.end;
            last.src_end = seg.src_end;
            return;
        }
    }
    out.push(seg);
}

/// Finds the segment for text offset `o`: the one containing it, or for an
/// offset on a boundary, the one ending there when `prefer_left`.
pub(crate) fn find_seg(segs: &[Seg], o: usize, prefer_left: bool) -> Option<&Seg> {
    if prefer_left {
        let i = segs.partition_point(|s| s.end < o);
        if let Some(s) = segs.get(i) {
            if s.start <= o {
                return Some(s);
            }
        }
    } else {
        let i = segs.partition_point(|s| s.end <= o);
        if let Some(s) = segs.get(i) {
            if s.start <= o {
                return Some(s);
            }
        }
    }
    // Past either end: clamp to the nearest segment.
    if segs.first().is_some_and(|s| o < s.start) {
        segs.first()
    } else {
        segs.last()
    }
}

/// One expansion instance (or the query, frame 0).
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub source: usize,
    pub parent: usize,
    /// The call within the parent frame's source.
    pub call_span: Span,
}

#[derive(Clone, Debug)]
pub(crate) struct SourceText {
    pub origin: Origin,
    pub text: String,
}

/// Maps spans of expanded text back to the query or macro bodies.
#[derive(Clone, Debug)]
pub struct SourceMap {
    pub(crate) sources: Vec<SourceText>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) segments: Vec<Seg>,
    pub(crate) expanded_len: usize,
}

impl SourceMap {
    /// The map of text that had no expansion: every byte is the query's own.
    pub fn identity(query: &str) -> Self {
        let mut segments = Vec::new();
        push_seg(
            &mut segments,
            Seg {
                start: 0,
                end: query.len(),
                frame: 0,
                src_start: 0,
                src_end: query.len(),
            },
        );
        SourceMap {
            sources: vec![SourceText {
                origin: Origin::Query,
                text: query.to_string(),
            }],
            frames: vec![root_frame()],
            segments,
            expanded_len: query.len(),
        }
    }

    /// The user's query as given to [`super::expand`].
    pub fn query(&self) -> &str {
        self.sources.first().map(|s| s.text.as_str()).unwrap_or("")
    }

    /// The text of a source (the query or a macro definition).
    pub fn source_text(&self, id: SourceId) -> Option<&str> {
        self.sources.get(id.0 as usize).map(|s| s.text.as_str())
    }

    /// What a source is.
    pub fn origin(&self, id: SourceId) -> Option<&Origin> {
        self.sources.get(id.0 as usize).map(|s| &s.origin)
    }

    /// Number of sources (the query plus each distinct macro body used).
    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    /// Number of macro expansions performed.
    pub fn expansion_count(&self) -> usize {
        self.frames.len().saturating_sub(1)
    }

    /// Length of the expanded text this map describes.
    pub fn expanded_len(&self) -> usize {
        self.expanded_len
    }

    /// Maps a span of the expanded text back to where it was written. A span
    /// crossing expansion boundaries is widened to the innermost text holding
    /// both ends (calls count as their whole call text).
    pub fn locate(&self, span: Span) -> Location {
        let (s, e) = (span.start as usize, span.end.max(span.start) as usize);
        let (fs, ps, fe, pe) = if self.segments.is_empty() {
            (0, 0, 0, 0)
        } else if s == e {
            let seg = find_seg(&self.segments, s, true);
            match seg {
                Some(seg) => {
                    let p = seg.map(s.clamp(seg.start, seg.end), s >= seg.end);
                    (seg.frame, p, seg.frame, p)
                }
                None => (0, 0, 0, 0),
            }
        } else {
            let a = find_seg(&self.segments, s, false);
            let b = find_seg(&self.segments, e, true);
            match (a, b) {
                (Some(a), Some(b)) => (
                    a.frame,
                    a.map(s.clamp(a.start, a.end), false),
                    b.frame,
                    b.map(e.clamp(b.start, b.end), true),
                ),
                _ => (0, 0, 0, 0),
            }
        };
        self.locate_frames(fs, ps, fe, pe)
    }

    /// Builds a location from two (frame, offset) ends.
    pub(crate) fn locate_frames(&self, fs: usize, ps: usize, fe: usize, pe: usize) -> Location {
        let (frame, start, end) = if fs == fe {
            (fs, ps, pe)
        } else {
            let chain_s = self.chain(fs);
            let mut f = fe;
            let mut child_e = None;
            while !chain_s.contains(&f) {
                child_e = Some(f);
                f = self.parent(f);
            }
            let lca = f;
            let start = match chain_s.iter().position(|&x| x == lca) {
                Some(0) | None => ps,
                Some(i) => chain_s
                    .get(i - 1)
                    .and_then(|&c| self.frames.get(c))
                    .map_or(ps, |fr| fr.call_span.start as usize),
            };
            let end = match child_e.and_then(|c| self.frames.get(c)) {
                Some(fr) => fr.call_span.end as usize,
                None => pe,
            };
            (lca, start, end)
        };
        let (start, end) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let source = self.frames.get(frame).map_or(0, |f| f.source);
        let origin = self
            .sources
            .get(source)
            .map_or(Origin::Query, |s| s.origin.clone());
        Location {
            origin,
            source: SourceId(source as u32),
            span_in_origin: Span::new(start, end),
            call_sites: self.call_sites(frame),
        }
    }

    fn parent(&self, f: usize) -> usize {
        if f == 0 {
            return 0;
        }
        self.frames.get(f).map_or(0, |fr| fr.parent)
    }

    /// Frames from `f` up to the query, inclusive.
    fn chain(&self, mut f: usize) -> Vec<usize> {
        let mut v = vec![f];
        while f != 0 {
            f = self.parent(f);
            v.push(f);
        }
        v
    }

    /// Name and arity of the macro a frame expands (empty for the query).
    pub(crate) fn frame_macro(&self, f: usize) -> (&str, usize) {
        match self
            .frames
            .get(f)
            .and_then(|fr| self.sources.get(fr.source))
            .map(|s| &s.origin)
        {
            Some(Origin::Macro { name, arity, .. }) => (name.as_str(), *arity),
            _ => ("", 0),
        }
    }

    pub(crate) fn call_sites(&self, mut f: usize) -> Vec<CallSite> {
        let mut out = Vec::new();
        while f != 0 {
            let Some(fr) = self.frames.get(f) else { break };
            let parent_source = self.frames.get(fr.parent).map_or(0, |p| p.source);
            let (name, arity) = self.frame_macro(f);
            out.push(CallSite {
                name: name.to_string(),
                arity,
                source: SourceId(parent_source as u32),
                span: fr.call_span,
            });
            f = fr.parent;
        }
        out
    }
}

pub(crate) fn root_frame() -> Frame {
    Frame {
        source: 0,
        parent: 0,
        call_span: Span::default(),
    }
}
