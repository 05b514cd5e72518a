//! Raw text events (`format=raw`): a log file broken into events by the
//! sourcetype's settings ([`RawProps`], Splunk's defaults unless given),
//! each with `_raw`, `_time` and Splunk's default fields `linecount`,
//! `punct`, `timestartpos`, `timeendpos` and `date_*` (built only when a
//! search asks for them).
//!
//! The file is read once when opened, to cut it into partitions of whole
//! events (about [`PART_BYTES`] each) and learn each partition's time span
//! and the time in force where it starts; a search then reads only the
//! partitions it needs, one at a time.
//!
//! An event without a timestamp of its own takes the previous event's time;
//! events before the first timestamp of a file take the file's modification
//! time (the clock's time for standard input).

pub(crate) mod fields;
pub(crate) mod props;
pub(crate) mod recognize;

pub use props::{check_time_format, DatetimeConfig, IndexTimeProps, RawProps};

use super::event_builder::{EventBatchBuilder, EVENT_BATCH_ROWS};
use super::{BatchStream, Scan, ScanRequest, TimeSpan};
use crate::error::{EngineError, Result};
use arrow_array::RecordBatch;
use props::{Compiled, Events};
use recognize::Found;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Bytes per partition (about: partitions end at event boundaries).
pub const PART_BYTES: u64 = 4 << 20;

struct Part {
    start: u64,
    end: u64,
    /// The time of the last event before the partition (for events without
    /// a timestamp at its start).
    prev_time: Option<f64>,
    span: TimeSpan,
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
    parts: Vec<Part>,
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
        };
        scan.parts = scan.cut(part_bytes.max(1))?;
        Ok(scan)
    }

    fn io(&self) -> impl Fn(std::io::Error) -> EngineError + '_ {
        move |source| EngineError::Io {
            path: self.display.clone(),
            source,
        }
    }

    /// An event's time (and its own timestamp, if it has one); `prev` is the
    /// time in force, updated.
    fn event_time(&self, text: &str, prev: &mut Option<f64>) -> (Option<f64>, Option<Found>) {
        match self.c.props.datetime_config {
            DatetimeConfig::Current => (self.now.or(self.fallback), None),
            DatetimeConfig::None => (self.fallback, None),
            DatetimeConfig::Auto => match self.c.find_time(text) {
                Some(f) => {
                    *prev = Some(f.secs);
                    (Some(f.secs), Some(f))
                }
                None => (prev.or(self.fallback), None),
            },
        }
    }

    /// The pass made when opening: partitions at event boundaries.
    fn cut(&self, part_bytes: u64) -> Result<Vec<Part>> {
        let f = std::fs::File::open(&self.path).map_err(self.io())?;
        let len = f.metadata().map_err(self.io())?.len();
        let mut events = Events::new(&self.c, std::io::BufReader::new(f), 0);
        let mut parts = Vec::new();
        let mut cur = Part {
            start: 0,
            end: len,
            prev_time: None,
            span: TimeSpan::EMPTY,
        };
        let mut prev = None;
        while let Some(ev) = events.next_event().map_err(self.io())? {
            if ev.start - cur.start >= part_bytes && cur.span != TimeSpan::EMPTY {
                let next = Part {
                    start: ev.start,
                    end: len,
                    prev_time: prev,
                    span: TimeSpan::EMPTY,
                };
                let mut done = std::mem::replace(&mut cur, next);
                done.end = ev.start;
                parts.push(done);
            }
            let (t, _) = self.event_time(&ev.text, &mut prev);
            cur.span.add(t);
        }
        parts.push(cur);
        Ok(parts)
    }

    /// The batches of partition `part`.
    fn read_part(&self, part: usize, req: &ScanRequest) -> Result<Vec<RecordBatch>> {
        let Some(p) = self.parts.get(part) else {
            return Ok(Vec::new());
        };
        if !req.may_keep(&p.span) {
            return Ok(Vec::new());
        }
        req.count_bytes(p.end - p.start);
        let mut f = std::fs::File::open(&self.path).map_err(self.io())?;
        f.seek(SeekFrom::Start(p.start)).map_err(self.io())?;
        let src = std::io::BufReader::new(f.take(p.end - p.start));
        let mut events = Events::new(&self.c, src, p.start);
        let wants = |n: &str| req.wants(n);
        let (w_lines, w_punct, w_pos) = (
            wants("linecount"),
            wants("punct"),
            wants("timestartpos") || wants("timeendpos"),
        );
        let w_date: Vec<bool> = fields::DATE_FIELDS.iter().map(|n| wants(n)).collect();
        let any_date = w_date.iter().any(|&w| w);
        let mut b = EventBatchBuilder::new(wants("_raw"));
        let mut out = Vec::new();
        let mut prev = p.prev_time;
        while let Some(ev) = events.next_event().map_err(self.io())? {
            let (t, found) = self.event_time(&ev.text, &mut prev);
            if !req.keeps(t) {
                continue;
            }
            if w_lines {
                b.add("linecount", &fields::linecount(&ev.text).to_string());
            }
            if w_punct {
                b.add("punct", &fields::punct(&ev.text));
            }
            if let Some(f) = &found {
                if w_pos {
                    b.add("timestartpos", &f.start.to_string());
                    b.add("timeendpos", &f.end.to_string());
                }
                if any_date {
                    for ((name, v), w) in fields::date_fields(f).iter().zip(&w_date) {
                        if *w {
                            b.add(name, v);
                        }
                    }
                }
            }
            b.end_row(t, Some(&ev.text));
            if b.len() >= EVENT_BATCH_ROWS {
                out.push(b.finish()?);
            }
        }
        if b.len() > 0 {
            out.push(b.finish()?);
        }
        Ok(out)
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
        Ok(Box::new(self.read_part(part, req)?.into_iter().map(Ok)))
    }

    fn partition_spans(&self, _req: &ScanRequest) -> Result<Option<Vec<TimeSpan>>> {
        Ok(Some(self.parts.iter().map(|p| p.span).collect()))
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
