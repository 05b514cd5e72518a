//! Events from JSON: JSON lines (one object per line, e.g. Kubernetes audit logs), a
//! top-level array of objects, or concatenated (pretty-printed) objects.
//!
//! Fields are flattened as Splunk's `_json` source type names them
//! ([`super::json_flatten`]); `_raw` is the object's original text; `_time` comes
//! from the configured time field or the first parseable of
//! [`super::event_builder::DEFAULT_TIME_FIELDS`].

use super::event_builder::{EventBatchBuilder, DEFAULT_TIME_FIELDS, EVENT_BATCH_ROWS};
use super::json_flatten::{flatten_document, Flattener, JsonSyntaxError};
use super::raw::recognize::{recognize, recognize_value, TimeContext};
use super::timestamp::parse_time_text;
use super::{BatchStream, Scan, ScanRequest, TimeSpan};
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Reads a whole file as UTF-8 text, naming the line of the first invalid byte.
pub(crate) fn read_text(path: &Path, display: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| EngineError::Io {
        path: display.to_string(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let line = e
                .as_bytes()
                .get(..good)
                .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
                + 1;
            Err(EngineError::data(
                display,
                Some(line),
                None,
                format!("expected UTF-8 text, found an invalid byte at offset {good}"),
            ))
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

/// Resolves a row's `_time` from the fields already added to the builder.
pub(crate) fn row_time(
    b: &EventBatchBuilder,
    time_field: Option<&str>,
    file: &str,
    line: usize,
) -> Result<Option<f64>> {
    if let Some(f) = time_field {
        return match b.current_value(f) {
            None => Ok(None),
            Some(v) => parse_time_text(v).map(Some).ok_or_else(|| {
                EngineError::data(
                    file,
                    Some(line),
                    Some(f),
                    format!("expected a timestamp (RFC 3339 or epoch seconds), found `{v}`"),
                )
            }),
        };
    }
    Ok(DEFAULT_TIME_FIELDS
        .iter()
        .find_map(|c| b.current_value(c).and_then(parse_time_text)))
}

/// Where the text a reader parses sits in its file, to name lines in errors
/// (counted only when an error needs one).
#[derive(Clone, Copy)]
enum Lines<'t> {
    /// The text is the whole file (after a byte-order mark).
    Whole,
    /// The text is a partition starting at byte `start` of the file at `path`.
    Part { path: &'t Path, start: u64 },
}

/// The error for invalid JSON at byte `at` of `text`.
fn syntax_error(file: &str, text: &str, lines: Lines<'_>, at: usize, e: &str) -> EngineError {
    let line_start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |p| p + 1);
    let column = text.get(line_start..at).map_or(0, |s| s.chars().count()) + 1;
    EngineError::data(
        file,
        Some(file_line(text, lines, at)),
        None,
        format!("invalid JSON at column {column}: {e}"),
    )
}

/// The 1-based file line of byte `at` of `text`.
fn file_line(text: &str, lines: Lines<'_>, at: usize) -> usize {
    let within = line_of(text, at);
    match lines {
        Lines::Whole => within,
        Lines::Part { path, start } => lines_before(path, start) + within,
    }
}

/// The number of line breaks in the first `upto` bytes of a file (0 when it
/// cannot be read: the line of an error is then relative to its partition).
fn lines_before(path: &Path, upto: u64) -> usize {
    let Ok(f) = std::fs::File::open(path) else {
        return 0;
    };
    let mut r = std::io::BufReader::new(f.take(upto));
    let mut buf = [0u8; 1 << 16];
    let mut n = 0usize;
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => return n,
            Ok(k) => {
                n += buf
                    .get(..k)
                    .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
            }
        }
    }
}

/// Reads JSON events from a file held in memory (a JSON array, concatenated
/// or pretty-printed objects; JSON lines go through [`JsonLinesScan`]).
pub(crate) fn read_json_events(
    path: &Path,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let text = read_text(path, display)?;
    parse_json_events(&text, display, time_field)
}

/// Parses JSON events from text (see the module docs for the accepted shapes).
pub(crate) fn parse_json_events(
    text: &str,
    display: &str,
    time_field: Option<&str>,
) -> Result<Vec<RecordBatch>> {
    let mut r = Reader::new(text, display, time_field, Lines::Whole, None);
    if starts_line_mode(text) {
        r.line_mode(0)?;
    } else {
        r.document_mode()?;
    }
    r.finish()
}

/// Whether text is JSON lines: it does not open an array and its first
/// non-blank line is one whole object.
fn starts_line_mode(text: &str) -> bool {
    let first = text.trim_start().as_bytes().first().copied();
    let first_line_is_object = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| flatten_document(l, &mut |_: &str, _: Cow<'_, str>| {}).is_ok());
    first != Some(b'[') && first_line_is_object
}

/// The fields a reader builds: all, or those a scan asked for (answers are
/// remembered per name, as names repeat from row to row).
enum Projection {
    All,
    Some {
        req: ScanRequest,
        // foldhash: names are asked once per field of every row, and they
        // are the file's own, so a fast hash without flood resistance fits
        known: foldhash::HashMap<String, bool>,
    },
}

impl Projection {
    fn of(req: Option<&ScanRequest>) -> Projection {
        match req {
            Some(r) if r.columns.is_some() => Projection::Some {
                req: r.clone(),
                known: HashMap::default(),
            },
            _ => Projection::All,
        }
    }

    fn wants(&mut self, name: &str) -> bool {
        match self {
            Projection::All => true,
            Projection::Some { req, known } => match known.get(name) {
                Some(&w) => w,
                None => {
                    let w = req.wants(name);
                    known.insert(name.to_string(), w);
                    w
                }
            },
        }
    }
}

/// The first value of each time candidate in the row being read, and,
/// without a configured field, the first value that is a timestamp as a
/// whole (`recorded`, `datetime`: whatever its name).
struct TimeCandidates<'t> {
    names: Vec<&'t str>,
    values: Vec<Option<String>>,
    /// A configured time field: a value that is no time is an error.
    configured: bool,
    /// The first value recognised as a timestamp (no configured field).
    auto: Option<f64>,
    cx: TimeContext,
}

impl<'t> TimeCandidates<'t> {
    fn new(time_field: Option<&'t str>) -> Self {
        let names: Vec<&str> = match time_field {
            Some(f) => vec![f],
            None => DEFAULT_TIME_FIELDS.to_vec(),
        };
        TimeCandidates {
            values: vec![None; names.len()],
            names,
            configured: time_field.is_some(),
            auto: None,
            cx: TimeContext::default(),
        }
    }

    fn offer(&mut self, field: &str, value: &str) {
        if let Some(i) = self.names.iter().position(|n| *n == field) {
            if let Some(slot @ None) = self.values.get_mut(i) {
                *slot = Some(value.to_string());
            }
        } else if !self.configured && self.auto.is_none() {
            self.auto = recognize_value(value, &self.cx);
        }
    }

    /// Forgets the row being read.
    fn clear(&mut self) {
        self.values.iter_mut().for_each(|v| *v = None);
        self.auto = None;
    }

    /// The row's time: the configured field's (an error when it is no
    /// time), else the first candidate that parses. Clears the row.
    fn take(&mut self, file: &str, line: &dyn Fn() -> usize) -> Result<Option<f64>> {
        let t = if self.configured {
            match self.values.first().and_then(Option::as_deref) {
                None => None,
                Some(v) => Some(parse_time_text(v).ok_or_else(|| {
                    EngineError::data(
                        file,
                        Some(line()),
                        self.names.first().copied(),
                        format!("expected a timestamp (RFC 3339 or epoch seconds), found `{v}`"),
                    )
                })?),
            }
        } else {
            self.values
                .iter()
                .find_map(|v| v.as_deref().and_then(parse_time_text))
                .or(self.auto)
        };
        self.clear();
        Ok(t)
    }
}

/// What reading a partition in full teaches: its time span and which of the
/// default fields its rows carry.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PartFacts {
    span: TimeSpan,
    /// Bit i set: some row has the field `DEFAULT_FIELDS[i]`.
    carries: u8,
}

const DEFAULT_FIELDS: [&str; 4] = ["index", "source", "sourcetype", "host"];

impl PartFacts {
    const NONE: PartFacts = PartFacts {
        span: TimeSpan::EMPTY,
        carries: 0,
    };

    fn see_field(&mut self, name: &str) {
        if name.len() <= 10 {
            if let Some(i) = DEFAULT_FIELDS.iter().position(|f| *f == name) {
                self.carries |= 1 << i;
            }
        }
    }
}

struct Reader<'t> {
    /// The text parsed: the whole file, or one partition of it.
    text: &'t str,
    display: &'t str,
    lines: Lines<'t>,
    time: TimeCandidates<'t>,
    proj: Projection,
    /// Keep only rows inside this request's window.
    window: Option<ScanRequest>,
    b: EventBatchBuilder,
    out: Vec<RecordBatch>,
    /// Whether any object may be an audit `EventList` (checked once per text).
    has_event_list: bool,
    facts: PartFacts,
    /// A line that is not JSON is an error (else an event of its text).
    strict: bool,
    /// Reading JSON lines: text after a line's object is an error found
    /// before the row is kept.
    whole_line: bool,
    /// Lines kept as raw text: file line and what was wrong.
    pub(crate) bad_lines: Vec<(usize, String)>,
}

impl<'t> Reader<'t> {
    fn new(
        text: &'t str,
        display: &'t str,
        time_field: Option<&'t str>,
        lines: Lines<'t>,
        req: Option<&ScanRequest>,
    ) -> Self {
        let proj = Projection::of(req);
        let window = req
            .filter(|r| r.earliest.is_some() || r.latest.is_some())
            .cloned();
        let mut p = proj;
        Reader {
            text,
            display,
            lines,
            time: TimeCandidates::new(time_field),
            b: EventBatchBuilder::new(p.wants("_raw")),
            proj: p,
            window,
            out: Vec::new(),
            has_event_list: text.contains("\"EventList\""),
            facts: PartFacts::NONE,
            strict: true,
            whole_line: false,
            bad_lines: Vec::new(),
        }
    }

    fn finish(mut self) -> Result<Vec<RecordBatch>> {
        if self.b.len() > 0 {
            let last = self.b.finish()?;
            self.out.push(last);
        }
        Ok(self.out)
    }

    fn err(&self, base: usize, e: JsonSyntaxError) -> EngineError {
        syntax_error(
            self.display,
            self.text,
            self.lines,
            base + e.offset,
            &e.message,
        )
    }

    /// Each non-blank line is one object (or one EventList). `from` is the
    /// byte where reading starts.
    fn line_mode(&mut self, from: usize) -> Result<()> {
        let mut offset = from;
        let text = self.text.get(from..).unwrap_or_default();
        self.whole_line = true;
        for raw_line in text.split('\n') {
            let base = offset;
            offset += raw_line.len() + 1;
            let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
            if line.trim().is_empty() {
                continue;
            }
            let mut p = Flattener::new(line);
            p.skip_ws();
            let start = p.pos();
            let is_object = line.as_bytes().get(start) == Some(&b'{');
            let res = if is_object {
                self.object_at(line, base, start).map(|_| ())
            } else {
                Err(self.err(base, p.unexpected("a JSON object")))
            };
            match res {
                Err(EngineError::Data { message, .. })
                    if !self.strict && message.contains("JSON") =>
                {
                    self.keep_raw(line, base, message)?;
                }
                other => other?,
            }
        }
        self.whole_line = false;
        Ok(())
    }

    /// A line that is not JSON, kept as an event of its text (its time
    /// recognised in the text, as for raw events).
    fn keep_raw(&mut self, line: &'t str, base: usize, why: String) -> Result<()> {
        self.b.discard_row();
        self.time.clear();
        let t = recognize(line, &self.time.cx).map(|f| f.secs);
        self.facts.span.add(t);
        let at = file_line(self.text, self.lines, base);
        self.bad_lines.push((at, why));
        if self.window.as_ref().is_none_or(|w| w.keeps(t)) {
            self.b.end_row(t, Some(line));
            if self.b.len() >= EVENT_BATCH_ROWS {
                let batch = self.b.finish()?;
                self.out.push(batch);
            }
        }
        Ok(())
    }

    /// A top-level array of objects, or objects one after another in any layout.
    fn document_mode(&mut self) -> Result<()> {
        let text = self.text;
        let mut p = Flattener::new(text);
        if p.skip_ws() == Some(b'[') {
            let end = self.array_at(text, 0, p.pos())?;
            let mut p = Flattener::at(text, end);
            return match p.skip_ws() {
                None => Ok(()),
                Some(_) => Err(self.err(0, p.unexpected("end of input after the JSON array"))),
            };
        }
        while p.skip_ws().is_some() {
            let end = self.object_at(text, 0, p.pos())?;
            p = Flattener::at(text, end);
        }
        Ok(())
    }

    /// One event object starting at `start` in `src` (which begins at byte `base` of
    /// the text); an audit `EventList` contributes its `items`. Returns the end.
    fn object_at(&mut self, src: &'t str, base: usize, start: usize) -> Result<usize> {
        if self.has_event_list {
            let mut p = Flattener::at(src, start);
            let members = p.object_members().map_err(|e| self.err(base, e))?;
            let is_list = members.iter().any(|(k, s, e)| {
                k == "kind" && src.get(*s..*e).is_some_and(|v| v == "\"EventList\"")
            });
            let items = members
                .iter()
                .find(|(k, s, _)| k == "items" && src.as_bytes().get(*s) == Some(&b'['));
            if let (true, Some((_, items_start, _))) = (is_list, items) {
                self.array_at(src, base, *items_start)?;
                return Ok(p.pos());
            }
        }
        let mut p = Flattener::at(src, start);
        let (b, time, proj, facts) = (&mut self.b, &mut self.time, &mut self.proj, &mut self.facts);
        let flat = p.flatten_object(&mut |k: &str, v: Cow<'_, str>| {
            time.offer(k, &v);
            facts.see_field(k);
            // `_time` is only a time candidate (the engine's own column)
            if k != "_time" && proj.wants(k) {
                b.add(k, &v);
            }
        });
        flat.map_err(|e| self.err(base, e))?;
        let end = p.pos();
        if self.whole_line {
            let mut after = Flattener::at(src, end);
            if after.skip_ws().is_some() {
                return Err(self.err(base, after.unexpected("end of the JSON object")));
            }
        }
        let raw = src.get(start..end).unwrap_or_default();
        let (text, lines) = (self.text, self.lines);
        let at = base + start;
        let t = self
            .time
            .take(self.display, &|| file_line(text, lines, at))?;
        self.facts.span.add(t);
        if self.window.as_ref().is_some_and(|w| !w.keeps(t)) {
            self.b.discard_row();
        } else {
            self.b.end_row(t, Some(raw));
        }
        if self.b.len() >= EVENT_BATCH_ROWS {
            let batch = self.b.finish()?;
            self.out.push(batch);
        }
        Ok(end)
    }

    /// An array of event objects at `start` (`[`); returns the end.
    fn array_at(&mut self, src: &'t str, base: usize, start: usize) -> Result<usize> {
        let mut p = Flattener::at(src, start);
        p.expect(b'[', "`[`").map_err(|e| self.err(base, e))?;
        if p.skip_ws() == Some(b']') {
            return Ok(p.pos() + 1);
        }
        loop {
            p.skip_ws();
            let end = self.object_at(src, base, p.pos())?;
            p = Flattener::at(src, end);
            match p.skip_ws() {
                Some(b',') => p.expect(b',', "`,`").map_err(|e| self.err(base, e))?,
                Some(b']') => return Ok(p.pos() + 1),
                _ => return Err(self.err(base, p.unexpected("`,` or `]` in the array of events"))),
            }
        }
    }
}

/// Bytes per partition of a JSON-lines file (whole lines; a partition is
/// read, parsed and handed on before the next is read).
pub const PART_BYTES: u64 = 4 << 20;

/// A JSON-lines file read lazily, partition by partition: only the fields a
/// scan asks for are built, rows outside its window are dropped as they are
/// read, and partitions whose time span (learned when they were last read)
/// lies outside the window are skipped. Nothing of the file stays in memory
/// between scans but each partition's span.
pub struct JsonLinesScan {
    path: PathBuf,
    display: String,
    time_field: Option<String>,
    /// A line that is not JSON is an error (else an event with a warning).
    strict: bool,
    /// The clock, for the year of timestamps written without one.
    year_ref: Option<f64>,
    /// Byte ranges of the partitions.
    parts: Vec<(u64, u64)>,
    /// What reading each partition taught (`None`: not read yet).
    facts: Mutex<Vec<Option<PartFacts>>>,
    /// The bytes of the partition being read, kept for the next.
    buf: Mutex<Vec<u8>>,
    /// `max_line_bytes`: a longer line is a data error. Partitions end
    /// after a line break found at most this far past their nominal end, so
    /// a partition holds at most `PART_BYTES` + this many bytes.
    max_line: u64,
}

impl JsonLinesScan {
    /// Opens `path` as JSON lines; `None` when it is not (an array,
    /// pretty-printed objects: read whole instead).
    pub(crate) fn open(
        path: &Path,
        display: &str,
        time_field: Option<&str>,
        strict: bool,
        now: Option<f64>,
        max_line: u64,
    ) -> Result<Option<JsonLinesScan>> {
        Self::open_inner(path, display, time_field, PART_BYTES, strict, now, max_line)
    }

    /// [`JsonLinesScan::open`] with partitions of about `part_bytes` bytes
    /// (the default is 4 MiB; tests use small ones to get many).
    /// A line that is not JSON is an error, as with `strict=true`.
    pub fn open_with(
        path: &Path,
        display: &str,
        time_field: Option<&str>,
        part_bytes: u64,
    ) -> Result<Option<JsonLinesScan>> {
        let max_line = crate::limits::Limits::default().max_line_bytes;
        Self::open_inner(path, display, time_field, part_bytes, true, None, max_line)
    }

    fn open_inner(
        path: &Path,
        display: &str,
        time_field: Option<&str>,
        part_bytes: u64,
        strict: bool,
        year_ref: Option<f64>,
        max_line: u64,
    ) -> Result<Option<JsonLinesScan>> {
        let io = |source| EngineError::Io {
            path: display.to_string(),
            source,
        };
        let mut f = std::fs::File::open(path).map_err(io)?;
        let len = f.metadata().map_err(io)?.len();
        // the first non-blank line decides, unless it is no JSON object but
        // most lines are (then it is kept as raw text, as the others would be)
        let mut head = Vec::new();
        let mut chunk = vec![0u8; 1 << 16];
        let mut seen_break = false;
        loop {
            let n = f.read(&mut chunk).map_err(io)?;
            let got = chunk.get(..n).unwrap_or_default();
            seen_break |= got.contains(&b'\n');
            head.extend_from_slice(got);
            if n == 0 {
                break;
            }
            // no line break yet: the first line is still being read (its
            // text is only looked at once a break came, so a long line
            // costs one pass), and past `max_line_bytes` it is an error
            if !seen_break {
                if head.len() as u64 > max_line.saturating_add(3) {
                    return Err(super::line_limit::error(
                        display,
                        0,
                        super::line_limit::LineTooLong {
                            line: 1,
                            max: max_line,
                        },
                    ));
                }
                continue;
            }
            let text = String::from_utf8_lossy(&head);
            let body = text.trim_start_matches('\u{feff}').trim_start();
            if body.contains('\n') && head.len() >= SNIFF_BYTES {
                break;
            }
            if head.len() as u64 > max_line.saturating_add(SNIFF_BYTES as u64) {
                break;
            }
        }
        let text = String::from_utf8_lossy(&head);
        let body = text.trim_start_matches('\u{feff}');
        let first_line = body.trim_start().split('\n').next().unwrap_or_default();
        let first_is_object =
            flatten_document(first_line.trim(), &mut |_: &str, _: Cow<'_, str>| {}).is_ok();
        if body.trim_start().starts_with('[')
            || (!first_is_object
                && (concatenated_objects(first_line)
                    || !mostly_json_lines(body, n_all(&head, len))))
        {
            return Ok(None);
        }
        let start = if head.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        let parts = match cut_lines(&mut f, start, len, part_bytes.max(1), max_line).map_err(io)? {
            Ok(parts) => parts,
            Err(at) => {
                return Err(super::line_limit::error(
                    display,
                    lines_before(path, at),
                    super::line_limit::LineTooLong {
                        line: 1,
                        max: max_line,
                    },
                ))
            }
        };
        let scan = JsonLinesScan {
            path: path.to_path_buf(),
            display: display.to_string(),
            time_field: time_field.map(str::to_string),
            strict,
            year_ref,
            facts: Mutex::new(vec![None; parts.len()]),
            buf: Mutex::new(Vec::new()),
            parts,
            max_line,
        };
        // the first partition is checked now, so a file of one partition
        // (4 MiB) reports its data errors when it is opened; later ones
        // report them when a search reads them
        scan.read_part(0, None)?;
        Ok(Some(scan))
    }

    fn known_facts(&self) -> Vec<Option<PartFacts>> {
        self.facts.lock().map(|f| f.clone()).unwrap_or_default()
    }

    fn learn(&self, part: usize, facts: PartFacts) {
        if let Ok(mut f) = self.facts.lock() {
            if let Some(slot) = f.get_mut(part) {
                *slot = Some(facts);
            }
        }
    }

    /// Reads partition `part`: its batches (with the request's fields, rows
    /// in its window) and what reading it taught. `req` `None` reads only to
    /// learn the partition's facts.
    fn read_part(
        &self,
        part: usize,
        req: Option<&ScanRequest>,
    ) -> Result<(Vec<RecordBatch>, PartFacts)> {
        let Some(&(start, end)) = self.parts.get(part) else {
            return Ok((Vec::new(), PartFacts::NONE));
        };
        let io = |source| EngineError::Io {
            path: self.display.clone(),
            source,
        };
        let mut f = std::fs::File::open(&self.path).map_err(io)?;
        f.seek(SeekFrom::Start(start)).map_err(io)?;
        // one buffer serves every partition: no fresh pages to fault in
        let mut guard = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        let bytes: &mut Vec<u8> = &mut guard;
        bytes.clear();
        f.take(end - start).read_to_end(bytes).map_err(io)?;
        // only a partition longer than the limit can hold a line longer
        if end - start > self.max_line {
            for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if line.len() as u64 > self.max_line {
                    return Err(super::line_limit::error(
                        &self.display,
                        lines_before(&self.path, start),
                        super::line_limit::LineTooLong {
                            line: i + 1,
                            max: self.max_line,
                        },
                    ));
                }
            }
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let good = e.valid_up_to();
                let at = start as usize + good;
                let within = bytes
                    .get(..good)
                    .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
                return Err(EngineError::data(
                    &self.display,
                    Some(lines_before(&self.path, start) + within + 1),
                    None,
                    format!("expected UTF-8 text, found an invalid byte at offset {at}"),
                ));
            }
        };
        let (index_only, read_req);
        match req {
            Some(r) => {
                r.count_bytes(end - start);
                index_only = false;
                read_req = Some(r.clone());
            }
            None => {
                index_only = true;
                read_req = Some(ScanRequest {
                    columns: Some(Vec::new()),
                    ..ScanRequest::default()
                });
            }
        }
        let lines = Lines::Part {
            path: &self.path,
            start,
        };
        let mut r = Reader::new(
            text,
            &self.display,
            self.time_field.as_deref(),
            lines,
            read_req.as_ref(),
        );
        r.strict = self.strict;
        r.time.cx.year_ref = self.year_ref;
        r.line_mode(0)?;
        let facts = r.facts;
        self.learn(part, facts);
        if let Some(w) = req.and_then(|r| r.warnings.as_ref()) {
            const SHOWN: usize = 10;
            for (line, why) in r.bad_lines.iter().take(SHOWN) {
                w.push(
                    "spl::data::json_line_kept_raw",
                    format!(
                        "{}:{line}: not a JSON object, kept as a raw event ({why}); \
                         strict=true makes this an error",
                        self.display
                    ),
                );
            }
            if r.bad_lines.len() > SHOWN {
                w.push(
                    "spl::data::json_line_kept_raw",
                    format!(
                        "{}: {} more lines from line {} are not JSON objects, kept as raw events",
                        self.display,
                        r.bad_lines.len() - SHOWN,
                        r.bad_lines.get(SHOWN).map_or(0, |b| b.0)
                    ),
                );
            }
        }
        if index_only {
            return Ok((Vec::new(), facts));
        }
        Ok((r.finish()?, facts))
    }

    /// Learns the facts of every partition not read yet (a pass that builds
    /// no field, counted as index bytes).
    fn learn_all(&self, req: &ScanRequest) -> Result<Vec<PartFacts>> {
        let known = self.known_facts();
        let mut out = Vec::with_capacity(known.len());
        for (i, k) in known.into_iter().enumerate() {
            match k {
                Some(f) => out.push(f),
                None => {
                    if let Some(&(s, e)) = self.parts.get(i) {
                        req.count_index_bytes(e - s);
                    }
                    out.push(self.read_part(i, None)?.1);
                }
            }
        }
        Ok(out)
    }

    /// Whether partition `part` may hold rows of the request's window (by
    /// its span, if it was read before).
    fn may_keep(&self, part: usize, req: &ScanRequest) -> bool {
        match self.known_facts().get(part).copied().flatten() {
            Some(f) => req.may_keep(&f.span),
            None => true,
        }
    }
}

/// Bytes of a file's start looked at to tell JSON lines from other text.
pub(crate) const SNIFF_BYTES: usize = 1 << 16;

/// Whether `head` holds the whole file (`len` bytes).
fn n_all(head: &[u8], len: u64) -> bool {
    head.len() as u64 >= len
}

/// Whether text looks like JSON lines even though a line (the first, say)
/// is not a JSON object: among its first non-blank lines (up to 100, the
/// last one only if `complete` says the text is the whole file or the line
/// ends), more are whole JSON objects than not. A file whose lines are
/// mostly not JSON is raw text.
pub(crate) fn mostly_json_lines(text: &str, complete: bool) -> bool {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if !complete && !text.ends_with('\n') {
        lines.pop();
    }
    let (mut objects, mut others) = (0usize, 0usize);
    for line in lines
        .into_iter()
        .map(|l| l.trim_matches(['\r', ' ', '\t', '\u{feff}']))
        .filter(|l| !l.is_empty())
        .take(100)
    {
        if line.starts_with('{')
            && flatten_document(line, &mut |_: &str, _: Cow<'_, str>| {}).is_ok()
        {
            objects += 1;
        } else {
            others += 1;
        }
    }
    objects > others
}

/// Whether a line is two or more JSON objects one after another (a file of
/// concatenated objects, read whole, not JSON lines).
fn concatenated_objects(line: &str) -> bool {
    let mut n = 0;
    for v in serde_json::Deserializer::from_str(line).into_iter::<serde_json::Value>() {
        match v {
            Ok(v) if v.is_object() => n += 1,
            _ => return false,
        }
    }
    n >= 2
}

/// Cuts bytes `start..len` of a file into ranges of about `size` bytes that
/// end after a line break (or at the end). `Err(at)`: no line break within
/// `max_line` bytes after offset `at` (a line past `max_line_bytes`, found
/// without holding it).
#[allow(clippy::type_complexity)]
fn cut_lines(
    f: &mut std::fs::File,
    start: u64,
    len: u64,
    size: u64,
    max_line: u64,
) -> std::io::Result<std::result::Result<Vec<(u64, u64)>, u64>> {
    let mut parts = Vec::new();
    let mut at = start;
    let mut buf = vec![0u8; 1 << 16];
    while at < len {
        let mut cut = at + size;
        if cut >= len {
            parts.push((at, len));
            break;
        }
        // the next line break at or after `cut`
        f.seek(SeekFrom::Start(cut))?;
        let from = cut;
        let end = loop {
            if cut - from > max_line {
                return Ok(Err(from));
            }
            let n = f.read(&mut buf)?;
            if n == 0 {
                break len;
            }
            if let Some(p) = buf
                .get(..n)
                .and_then(|b| b.iter().position(|&c| c == b'\n'))
            {
                break cut + p as u64 + 1;
            }
            cut += n as u64;
        };
        parts.push((at, end));
        at = end;
    }
    Ok(Ok(parts))
}

impl Scan for JsonLinesScan {
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        Ok(super::partitions_in_order(self, req, self.parts.len()))
    }

    fn partitions(&self, _req: &ScanRequest) -> usize {
        self.parts.len()
    }

    fn scan_partition(&self, req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        if !self.may_keep(part, req) {
            return Ok(Box::new(std::iter::empty()));
        }
        Ok(Box::new(
            self.read_part(part, Some(req))?.0.into_iter().map(Ok),
        ))
    }

    fn partition_spans(&self, req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        Ok(Some(
            self.learn_all(req)?.into_iter().map(|f| f.span).collect(),
        ))
    }

    fn may_carry(&self, field: &str) -> Result<bool> {
        let Some(bit) = DEFAULT_FIELDS.iter().position(|f| *f == field) else {
            return Ok(true);
        };
        let facts = self.learn_all(&ScanRequest::default())?;
        Ok(facts.iter().any(|f| f.carries & (1 << bit) != 0))
    }

    /// Every key of a JSON object is a field when read.
    fn raw_extracted(&self) -> bool {
        true
    }

    /// Known once every partition has been read.
    fn carries_known(&self, field: &str) -> Option<bool> {
        let bit = DEFAULT_FIELDS.iter().position(|f| *f == field)?;
        let facts: Option<Vec<PartFacts>> = self.known_facts().into_iter().collect();
        Some(facts?.iter().any(|f| f.carries & (1 << bit) != 0))
    }
}
