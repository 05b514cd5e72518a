//! Raw text events (`format=raw`): a log file broken into events by the
//! sourcetype's settings ([`RawProps`], Splunk's defaults unless given),
//! each with `_raw`, `_time` and Splunk's default fields `linecount`,
//! `punct`, `timestartpos`, `timeendpos` and `date_*` (built only when a
//! search asks for them).
//!
//! Opening a file reads only a little of it: partitions of whole events
//! (about [`PART_BYTES`] each) are cut by seeking and resynchronising to the
//! next event boundary where the breaking settings allow it (`cut.rs`; one
//! pass over the file otherwise). A search then reads the partitions it
//! needs one at a time, as a stream of batches. Each partition's time span
//! is learned when it is read, or by a pass that builds nothing when a
//! caller asks for every span first (an ordered search over a file not read
//! before).
//!
//! An event without a timestamp of its own takes the previous event's time;
//! events before the first timestamp of a file take the file's modification
//! time (the clock's time for standard input). A partition whose first
//! events have no timestamp looks back for the last timestamp before it
//! (known when the partitions before were read, found by reading them
//! otherwise).

pub(crate) mod cut;
pub(crate) mod fields;
pub(crate) mod props;
pub(crate) mod recognize;

pub use props::{check_time_format, DatetimeConfig, IndexTimeProps, RawProps};

use super::event_builder::{EventBatchBuilder, EVENT_BATCH_ROWS};
use super::{BatchStream, Scan, ScanRequest, TimeSpan};
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use props::{Compiled, Events, RawEvent};
use recognize::Found;
use std::io::{BufReader, Read, Seek, SeekFrom, Take};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bytes per partition (about: partitions end at event boundaries).
pub const PART_BYTES: u64 = 4 << 20;

/// What reading a partition taught.
#[derive(Debug, Clone, Copy, Default)]
struct Learned {
    /// The last time an event of the partition found in its own text
    /// (`Some(None)`: it has none; `None`: not known yet).
    last_own: Option<Option<f64>>,
    /// The span of its events' times (`None`: not read whole yet).
    span: Option<TimeSpan>,
}

/// A raw text file, scanned lazily partition by partition.
pub struct RawScan {
    path: PathBuf,
    display: String,
    c: Compiled,
    /// The time of events before any timestamp (the file's modification time).
    fallback: Option<f64>,
    /// The clock (`DATETIME_CONFIG = CURRENT`).
    now: Option<f64>,
    /// Byte ranges of the partitions, each whole events.
    parts: Vec<(u64, u64)>,
    learned: Mutex<Vec<Learned>>,
}

impl RawScan {
    /// Opens `path` with the settings `props`; `now` is the clock (years of
    /// syslog timestamps, `DATETIME_CONFIG = CURRENT`), `mtime` the file's
    /// modification time; `part_bytes` sizes the partitions.
    pub fn open(
        path: &Path,
        display: &str,
        props: &RawProps,
        now: Option<f64>,
        mtime: Option<f64>,
        part_bytes: u64,
    ) -> Result<RawScan> {
        let year_ref = now.or(mtime);
        let c = Compiled::new(props, display, year_ref)?;
        let mut scan = RawScan {
            path: path.to_path_buf(),
            display: display.to_string(),
            c,
            fallback: mtime.or(now),
            now,
            parts: Vec::new(),
            learned: Mutex::new(Vec::new()),
        };
        let mut f = std::fs::File::open(&scan.path).map_err(scan.io())?;
        let len = f.metadata().map_err(scan.io())?.len();
        scan.parts = cut::cut(&scan.c, &mut f, len, part_bytes).map_err(scan.io())?;
        scan.learned = Mutex::new(vec![Learned::default(); scan.parts.len()]);
        Ok(scan)
    }

    fn io(&self) -> impl Fn(std::io::Error) -> EngineError + '_ {
        move |source| EngineError::Io {
            path: self.display.clone(),
            source,
        }
    }

    fn learned(&self, part: usize) -> Learned {
        self.learned
            .lock()
            .map(|l| l.get(part).copied().unwrap_or_default())
            .unwrap_or_default()
    }

    fn learn(&self, part: usize, f: impl FnOnce(&mut Learned)) {
        if let Ok(mut l) = self.learned.lock() {
            if let Some(slot) = l.get_mut(part) {
                f(slot);
            }
        }
    }

    /// The events of partition `part`.
    fn events(&self, part: usize) -> Result<Events<'_, BufReader<Take<std::fs::File>>>> {
        let (start, end) = self.parts.get(part).copied().unwrap_or_default();
        let mut f = std::fs::File::open(&self.path).map_err(self.io())?;
        f.seek(SeekFrom::Start(start)).map_err(self.io())?;
        let src = BufReader::with_capacity(1 << 16, f.take(end - start));
        Ok(Events::new(&self.c, src, start))
    }

    /// The time an event without a timestamp of its own takes at the start
    /// of partition `part`: the last timestamp before it, if any.
    fn time_before(&self, part: usize) -> Result<Option<f64>> {
        for j in (0..part).rev() {
            let last = match self.learned(j).last_own {
                Some(l) => l,
                None => {
                    let mut events = self.events(j)?;
                    let mut last = None;
                    while let Some(ev) = events.next_event().map_err(self.io())? {
                        let found = ev.found.unwrap_or_else(|| self.c.find_time(&ev.text));
                        if let Some(f) = found {
                            last = Some(f.secs);
                        }
                    }
                    self.learn(j, |l| l.last_own = Some(last));
                    last
                }
            };
            if last.is_some() {
                return Ok(last);
            }
        }
        Ok(None)
    }

    /// Partition `part` as a stream of batches of the request's fields and
    /// window; with `build` false, read only to learn its span (nothing is
    /// built, the bytes count as index bytes).
    fn read_part(&self, part: usize, req: &ScanRequest, build: bool) -> Result<PartReader<'_>> {
        let (start, end) = self.parts.get(part).copied().unwrap_or_default();
        let events = self.events(part)?;
        let req = req.clone();
        if build {
            req.count_bytes(end - start);
        } else {
            req.count_index_bytes(end - start);
        }
        let wants = |n: &str| build && req.wants(n);
        let w_date: Vec<bool> = fields::DATE_FIELDS.iter().map(|n| wants(n)).collect();
        Ok(PartReader {
            scan: self,
            part,
            events: Some(events),
            w_lines: wants("linecount"),
            w_punct: wants("punct"),
            w_pos: wants("timestartpos") || wants("timeendpos"),
            any_date: w_date.iter().any(|&w| w),
            w_date,
            b: EventBatchBuilder::new(wants("_raw")),
            build,
            req,
            prev: None,
            prev_known: false,
            last_own: None,
            span: TimeSpan::EMPTY,
        })
    }

    /// Learns the span of every partition not read whole yet (in order, so
    /// each knows the time in force before it).
    fn learn_all(&self, req: &ScanRequest) -> Result<Vec<TimeSpan>> {
        let mut out = Vec::with_capacity(self.parts.len());
        for part in 0..self.parts.len() {
            let span = match self.learned(part).span {
                Some(s) => s,
                None => {
                    for b in self.read_part(part, req, false)? {
                        b?;
                    }
                    self.learned(part).span.unwrap_or(TimeSpan::EMPTY)
                }
            };
            out.push(span);
        }
        Ok(out)
    }
}

/// The stream of one partition's batches: events are broken, timed and
/// built as the batches are asked for, so a partition of any size takes
/// one batch of memory.
struct PartReader<'a> {
    scan: &'a RawScan,
    part: usize,
    /// `None` once the partition is read (or failed).
    events: Option<Events<'a, BufReader<Take<std::fs::File>>>>,
    w_lines: bool,
    w_punct: bool,
    w_pos: bool,
    w_date: Vec<bool>,
    any_date: bool,
    b: EventBatchBuilder,
    /// Builds batches (else only learns the span).
    build: bool,
    req: ScanRequest,
    /// The time in force (the last timestamp seen).
    prev: Option<f64>,
    /// Whether `prev` is known: a timestamp of the partition was seen, or
    /// the time before it was looked up.
    prev_known: bool,
    last_own: Option<f64>,
    span: TimeSpan,
}

impl PartReader<'_> {
    /// An event's time (and its own timestamp, if it has one).
    fn event_time(&mut self, ev: &RawEvent) -> Result<(Option<f64>, Option<Found>)> {
        let s = self.scan;
        Ok(match s.c.props.datetime_config {
            DatetimeConfig::Current => (s.now.or(s.fallback), None),
            DatetimeConfig::None => (s.fallback, None),
            DatetimeConfig::Auto => match ev.found.unwrap_or_else(|| s.c.find_time(&ev.text)) {
                Some(f) => {
                    self.prev = Some(f.secs);
                    self.prev_known = true;
                    self.last_own = Some(f.secs);
                    (Some(f.secs), Some(f))
                }
                None => {
                    if !self.prev_known {
                        // first events without a time: look back once
                        self.prev = s.time_before(self.part)?;
                        self.prev_known = true;
                    }
                    (self.prev.or(s.fallback), None)
                }
            },
        })
    }

    /// The next batch, `None` at the end of the partition.
    fn fill(&mut self) -> Result<Option<RecordBatch>> {
        loop {
            let Some(events) = self.events.as_mut() else {
                return Ok(None);
            };
            let Some(ev) = events.next_event().map_err(self.scan.io())? else {
                self.events = None;
                let (last, span) = (self.last_own, self.span);
                self.scan.learn(self.part, |l| {
                    l.last_own = Some(last);
                    l.span = Some(span);
                });
                if self.b.len() > 0 {
                    return self.b.finish().map(Some);
                }
                return Ok(None);
            };
            let (t, found) = self.event_time(&ev)?;
            self.span.add(t);
            if !self.build || !self.req.keeps(t) {
                continue;
            }
            if self.w_lines {
                self.b
                    .add("linecount", &fields::linecount(&ev.text).to_string());
            }
            if self.w_punct {
                self.b.add("punct", &fields::punct(&ev.text));
            }
            if let Some(f) = &found {
                if self.w_pos {
                    self.b.add("timestartpos", &f.start.to_string());
                    self.b.add("timeendpos", &f.end.to_string());
                }
                if self.any_date {
                    for ((name, v), w) in fields::date_fields(f).iter().zip(&self.w_date) {
                        if *w {
                            self.b.add(name, v);
                        }
                    }
                }
            }
            self.b.end_row(t, Some(&ev.text));
            if self.b.len() >= EVENT_BATCH_ROWS {
                return self.b.finish().map(Some);
            }
        }
    }
}

impl Iterator for PartReader<'_> {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.fill() {
            Ok(b) => b.map(Ok),
            Err(e) => {
                self.events = None;
                Some(Err(e))
            }
        }
    }
}

impl Scan for RawScan {
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        Ok(crate::source::partitions_in_order(
            self,
            req,
            self.parts.len(),
        ))
    }

    fn partitions(&self, _req: &ScanRequest) -> usize {
        self.parts.len()
    }

    fn scan_partition(&self, req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        if part >= self.parts.len()
            || self
                .learned(part)
                .span
                .is_some_and(|span| !req.may_keep(&span))
        {
            return Ok(Box::new(std::iter::empty()));
        }
        Ok(Box::new(self.read_part(part, req, true)?))
    }

    fn partition_spans(&self, req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        Ok(Some(self.learn_all(req)?))
    }

    fn may_carry(&self, field: &str) -> Result<bool> {
        Ok(!matches!(field, "index" | "source" | "sourcetype" | "host"))
    }

    fn carries_known(&self, field: &str) -> Option<bool> {
        self.may_carry(field).ok()
    }

    fn raw_props(&self) -> Option<&RawProps> {
        Some(&self.c.props)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("spl-raw-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn col(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
        let Some(c) = crate::batch::column(b, name) else {
            return vec![None; b.num_rows()];
        };
        let c = c.as_string::<i32>();
        (0..c.len())
            .map(|i| c.is_valid(i).then(|| c.value(i).to_string()))
            .collect()
    }

    #[test]
    fn partitions_are_whole_events_and_agree_with_one_pass() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!(
                "2024-05-01 10:{:02}:{:02} event {i}\n",
                i / 60,
                i % 60
            ));
            if i % 7 == 0 {
                text.push_str("  continuation line\n");
            }
            if i % 11 == 0 {
                text.push_str("no date, merged\n");
            }
        }
        let p = write("parts.log", &text);
        let one = RawScan::open(
            &p,
            "parts.log",
            &RawProps::default(),
            None,
            Some(0.0),
            1 << 30,
        )
        .unwrap();
        let many =
            RawScan::open(&p, "parts.log", &RawProps::default(), None, Some(0.0), 300).unwrap();
        assert_eq!(one.parts.len(), 1);
        assert!(many.parts.len() > 10);
        let req = ScanRequest::default();
        let rows = |s: &RawScan| -> Vec<(Option<String>, f64)> {
            s.scan(&req)
                .unwrap()
                .map(|b| b.unwrap())
                .flat_map(|b| {
                    let raw = col(&b, "_raw");
                    let t = super::super::event_times(&b).unwrap();
                    raw.into_iter().zip(t.values().to_vec()).collect::<Vec<_>>()
                })
                .collect()
        };
        let (a, b) = (rows(&one), rows(&many));
        assert_eq!(a.len(), 200);
        assert_eq!(a, b);
        assert!(a[0].0.as_deref().unwrap().ends_with("no date, merged"));
    }

    /// Every partitioning path (seek and resynchronise, with and without
    /// line merging; one pass for other breakers) gives the events of one
    /// pass, whatever the partition size, in order or partition by
    /// partition in reverse (each looking back for the time in force), and
    /// the spans it reports are those of the events read.
    #[test]
    fn every_cut_agrees_with_one_pass() {
        let mut timed = String::new();
        for i in 0..120 {
            let nl = if i % 3 == 0 { "\r\n" } else { "\n" };
            timed.push_str(&format!(
                "2024-05-01 10:{:02}:{:02} ev {i}{nl}",
                i / 60,
                i % 60
            ));
            if i % 4 == 0 {
                timed.push_str(&format!("  at frame {i}{nl}  at frame b{nl}"));
            }
            if i % 9 == 0 {
                timed.push_str(&format!("untimed line {i}{nl}{nl}{nl}"));
            }
            if i % 13 == 0 {
                timed.push_str(&format!("END of {i}{nl}loose {i}{nl}"));
            }
        }
        // no trailing line break
        timed.push_str("2024-05-01 11:00:00 last, no line break");
        let mut leading = String::from("no time 1\nno time 2\n");
        leading.push_str(&timed);
        let untimed: String = (0..300)
            .map(|i| format!("line {i} without a date\n"))
            .collect();
        let mut xml = String::from("<?xml version='1.0'?>\n<Events>\n");
        for i in 0..60 {
            xml.push_str(&format!(
                "<Event><System><TimeCreated SystemTime='2024-01-01T00:{:02}:00Z'/><EventID>{i}</EventID></System>",
                i
            ));
            if i % 5 == 0 {
                xml.push_str("\n<EventData>\n<Data Name='x'>multi\nline</Data>\n</EventData>");
            }
            xml.push_str("</Event>");
            xml.push_str(if i % 2 == 0 { "\r\n" } else { "" });
        }
        xml.push_str("</Events>");
        let base = RawProps::default();
        let nomerge = RawProps {
            should_linemerge: false,
            ..RawProps::default()
        };
        let cases: Vec<(&str, &str, RawProps)> = vec![
            ("timed", &timed, base.clone()),
            ("timed_nomerge", &timed, nomerge.clone()),
            ("leading", &leading, base.clone()),
            ("leading_nomerge", &leading, nomerge.clone()),
            ("untimed", &untimed, base.clone()),
            (
                "max_events",
                &timed,
                RawProps {
                    max_events: 2,
                    truncate: 12,
                    ..RawProps::default()
                },
            ),
            (
                "break_before",
                &timed,
                RawProps {
                    break_only_before: Some(r"^\d{4}-\d\d-\d\d 10:\d0".into()),
                    ..RawProps::default()
                },
            ),
            (
                "must_break_after",
                &timed,
                RawProps {
                    break_only_before_date: false,
                    must_break_after: Some("^END".into()),
                    ..RawProps::default()
                },
            ),
            (
                "lookahead_breaker",
                &timed,
                RawProps {
                    line_breaker: r"([\r\n]+)(?=\d{4}-)".into(),
                    should_linemerge: false,
                    ..RawProps::default()
                },
            ),
            ("xml", &xml, RawProps::xml_win_event_log()),
            (
                "datetime_none",
                &leading,
                RawProps {
                    datetime_config: DatetimeConfig::None,
                    ..RawProps::default()
                },
            ),
        ];
        let req = ScanRequest {
            columns: Some(vec!["_raw".into(), "_time".into(), "linecount".into()]),
            ..ScanRequest::default()
        };
        type Row = (Option<String>, Option<f64>, Option<String>);
        let rows = |b: &RecordBatch| -> Vec<Row> {
            let t = super::super::event_times(b).unwrap();
            col(b, "_raw")
                .into_iter()
                .zip(t.iter())
                .zip(col(b, "linecount"))
                .map(|((r, t), l)| (r, t, l))
                .collect()
        };
        for (name, text, props) in &cases {
            let p = write(&format!("cut-{name}.log"), text);
            let open = |size| RawScan::open(&p, name, props, None, Some(7.0), size).unwrap();
            let one = open(1 << 30);
            assert_eq!(one.parts.len(), 1);
            let want: Vec<Row> = one
                .scan(&req)
                .unwrap()
                .flat_map(|b| rows(&b.unwrap()))
                .collect();
            assert!(!want.is_empty(), "{name}");
            for size in [1, 7, 50, 333, 1000] {
                let s = open(size);
                for (a, b) in s.parts.iter().zip(s.parts.iter().skip(1)) {
                    assert!(a.0 < a.1 && a.1 == b.0, "{name} {size}: {:?}", s.parts);
                }
                let got: Vec<Row> = s
                    .scan(&req)
                    .unwrap()
                    .flat_map(|b| rows(&b.unwrap()))
                    .collect();
                assert_eq!(got, want, "{name}, partitions of {size}");
                // partition by partition, last first, on a fresh scan
                let s = open(size);
                let mut back: Vec<Vec<Row>> = (0..s.parts.len())
                    .rev()
                    .map(|i| {
                        s.scan_partition(&req, i)
                            .unwrap()
                            .flat_map(|b| rows(&b.unwrap()))
                            .collect()
                    })
                    .collect();
                back.reverse();
                assert_eq!(back.concat(), want, "{name}, {size}, in reverse");
                // spans, learned by a pass on a fresh scan, cover each partition's rows
                let s = open(size);
                let spans = s.partition_spans(&req).unwrap().unwrap();
                for (i, span) in spans.iter().enumerate() {
                    let mut seen = TimeSpan::EMPTY;
                    for b in s.scan_partition(&req, i).unwrap() {
                        let t = super::super::event_times(&b.unwrap()).unwrap();
                        t.iter().for_each(|v| seen.add(v));
                    }
                    assert_eq!(*span, seen, "{name}, {size}, partition {i}");
                }
            }
        }
        // a file without timestamps, merged by MAX_EVENTS, stays one partition
        let p = write("cut-untimed.log", &untimed);
        let s = RawScan::open(&p, "u", &RawProps::default(), None, None, 50).unwrap();
        assert_eq!(s.parts.len(), 1);
    }

    #[test]
    fn time_falls_back_to_the_previous_event_then_the_file_time() {
        let props = RawProps {
            should_linemerge: false,
            ..RawProps::default()
        };
        let p = write(
            "fallback.log",
            "first, no time\n2024-05-01T10:00:00Z x\nno time\n",
        );
        let s = RawScan::open(&p, "fallback.log", &props, None, Some(1000.0), 1).unwrap();
        assert_eq!(s.parts.len(), 3);
        let batches: Vec<_> = s
            .scan(&ScanRequest::default())
            .unwrap()
            .map(|b| b.unwrap())
            .collect();
        let times: Vec<f64> = batches
            .iter()
            .flat_map(|b| super::super::event_times(b).unwrap().values().to_vec())
            .collect();
        assert_eq!(times, [1000.0, 1714557600.0, 1714557600.0]);
        // date_* only for an event's own timestamp
        let dates: Vec<_> = batches.iter().flat_map(|b| col(b, "date_hour")).collect();
        assert_eq!(dates, [None, Some("10".into()), None]);
    }

    #[test]
    fn projection_and_window() {
        let p = write(
            "proj.log",
            "2024-05-01T10:00:00Z a=1\n2024-05-01T11:00:00Z a=2\n2024-05-01T12:00:00Z a=3\n",
        );
        let s = RawScan::open(&p, "proj.log", &RawProps::default(), None, None, 1).unwrap();
        let req = ScanRequest {
            columns: Some(vec!["_raw".into(), "_time".into()]),
            earliest: Some(1714561200.0),
            latest: Some(1714564800.0),
            ..ScanRequest::default()
        };
        let batches: Vec<_> = s.scan(&req).unwrap().map(|b| b.unwrap()).collect();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        let names: Vec<_> = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, ["_time", "_raw"]);
        assert_eq!(
            col(b, "_raw"),
            [Some("2024-05-01T11:00:00Z a=2".to_string())]
        );
        let all = s
            .scan(&ScanRequest::default())
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        for f in [
            "linecount",
            "punct",
            "timestartpos",
            "timeendpos",
            "date_wday",
            "date_zone",
        ] {
            assert!(all.schema().index_of(f).is_ok(), "{f}");
        }
        assert_eq!(col(&all, "date_zone")[0].as_deref(), Some("0"));
    }
}
