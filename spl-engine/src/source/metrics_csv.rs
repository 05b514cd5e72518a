//! Metric data points from CSV, streamed: Splunk's single-measurement metrics CSV
//! (`metric_timestamp,metric_name,_value,<dims...>`), the `mstats`/`mpreview` export
//! shape (`_time,metric_name,_value,<dims>`, `_time` as epoch or ISO text), and the
//! multiple-measurement form (`metric_timestamp,metric_name:<m>...,<dims>`), which is
//! unpivoted into one data point per non-empty measurement cell.

use super::csv_util::{csv_error, open_csv, read_header};
use super::metrics_shape::{finish_metric_batch, MetricColumns};
use super::{BatchStream, Scan, ScanRequest};
use crate::error::{EngineError, Result};
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field, Schema};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::OnceLock;

/// Rows per batch read from a metrics CSV.
const METRICS_BATCH_ROWS: usize = 65536;

/// Bytes per scan partition (workers parse partitions in parallel).
const PARTITION_BYTES: u64 = 16 << 20;

/// A lazily read metrics CSV file; each scan streams the file again.
pub struct MetricsCsvScan {
    path: PathBuf,
    display: String,
    header: Vec<String>,
    layout: MetricColumns,
    /// Row-aligned partitions, computed on first use.
    splits: OnceLock<Vec<Split>>,
}

/// A byte range of whole records and the file line of its first record.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Split {
    start: u64,
    end: u64,
    first_line: usize,
}

impl MetricsCsvScan {
    /// Opens the file and checks its header has the metric columns.
    pub fn open(path: PathBuf, display: String) -> Result<Self> {
        let header = read_header(open_csv(&path, &display)?, &display)?;
        let layout = MetricColumns::from_names(&header).ok_or_else(|| {
            EngineError::data(
                &display,
                Some(1),
                None,
                format!(
                    "expected metric columns (`metric_timestamp` or `_time`, `metric_name`, `_value`, or `metric_name:<name>` columns), found {}",
                    header.join(",")
                ),
            )
        })?;
        Ok(MetricsCsvScan {
            path,
            display,
            header,
            layout,
            splits: OnceLock::new(),
        })
    }

    fn splits(&self) -> Result<&[Split]> {
        if let Some(s) = self.splits.get() {
            return Ok(s);
        }
        let file = File::open(&self.path).map_err(|source| EngineError::Io {
            path: self.display.clone(),
            source,
        })?;
        let s = find_splits(BufReader::with_capacity(1 << 20, file), PARTITION_BYTES).map_err(
            |source| EngineError::Io {
                path: self.display.clone(),
                source,
            },
        )?;
        Ok(self.splits.get_or_init(|| s))
    }

    /// Parses `[start, end)` (whole records; header excluded unless the
    /// range starts at 0).
    fn read_range(&self, req: &ScanRequest, split: Split) -> Result<BatchStream<'_>> {
        let fields: Vec<Field> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, _)| Field::new(format!("c{i}"), DataType::Utf8, true))
            .collect();
        let projection = self.layout.input_projection(&self.header, req);
        let mut file = open_csv(&self.path, &self.display)?;
        let io = |source| EngineError::Io {
            path: self.display.clone(),
            source,
        };
        let skip_header = split.start == 0;
        if !skip_header {
            file.seek(SeekFrom::Start(split.start)).map_err(io)?;
        }
        let len = split
            .end
            .saturating_sub(split.start.max(bom_len(&self.path)));
        let reader = arrow_csv::ReaderBuilder::new(Arc::new(Schema::new(fields)))
            .with_header(skip_header)
            .with_batch_size(METRICS_BATCH_ROWS)
            .with_projection(projection.clone())
            .build(BufReader::with_capacity(1 << 20, file.take(len)))
            .map_err(|e| csv_error(e, &self.display))?;
        let mut rows_seen = 0usize;
        let req = req.clone();
        Ok(Box::new(reader.map(move |batch| {
            let batch = batch.map_err(|e| csv_error(e, &self.display))?;
            let first_line = split.first_line + rows_seen;
            rows_seen += batch.num_rows();
            let columns: Vec<(usize, ArrayRef)> = projection
                .iter()
                .copied()
                .zip(batch.columns().iter().cloned())
                .collect();
            finish_metric_batch(
                &self.layout,
                &self.header,
                &columns,
                batch.num_rows(),
                &req,
                &self.display,
                Some(first_line),
                true,
            )
        })))
    }
}

/// 3 when the file starts with a UTF-8 byte-order mark (which `open_csv`
/// skips), else 0.
fn bom_len(path: &std::path::Path) -> u64 {
    let mut head = [0u8; 3];
    match File::open(path).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) if head == *b"\xEF\xBB\xBF" => 3,
        _ => 0,
    }
}

/// Cuts the file into ranges of about `target` bytes that end after a
/// record's newline: a newline counts only outside quotes (a quoted field
/// may span lines), so every range holds whole records. The first range
/// starts at 0 and includes the header. Lines are counted for error
/// messages (a record spanning lines counts once per line).
fn find_splits(mut r: impl BufRead, target: u64) -> std::io::Result<Vec<Split>> {
    let mut splits = Vec::new();
    let mut start = 0u64;
    let mut first_line = 2usize; // the header is line 1
    let mut pos = 0u64;
    let mut line = 1usize;
    let mut quoted = false;
    let mut header_done = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        for &b in buf {
            pos += 1;
            match b {
                b'"' => quoted = !quoted,
                b'\n' => {
                    line += 1;
                    if quoted {
                        continue;
                    }
                    if !header_done {
                        header_done = true;
                        first_line = line;
                        continue;
                    }
                    if pos - start >= target {
                        splits.push(Split {
                            start,
                            end: pos,
                            first_line,
                        });
                        start = pos;
                        first_line = line;
                    }
                }
                _ => {}
            }
        }
        r.consume(n);
    }
    if pos > start || splits.is_empty() {
        splits.push(Split {
            start,
            end: pos,
            first_line,
        });
    }
    Ok(splits)
}

impl Scan for MetricsCsvScan {
    // Every input column is read as text: time and dims need no conversion, and
    // `_value` is parsed by us so a bad number names its line and field.
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        let whole = Split {
            start: 0,
            end: u64::MAX,
            first_line: 2,
        };
        self.read_range(req, whole)
    }

    /// Ranges of about 16 MiB of whole records.
    fn partitions(&self, _req: &ScanRequest) -> usize {
        // an unreadable file is reported by the scan of partition 0
        self.splits().map_or(1, <[Split]>::len)
    }

    fn scan_partition(&self, req: &ScanRequest, part: usize) -> Result<BatchStream<'_>> {
        match self.splits()?.get(part) {
            Some(&split) => self.read_range(req, split),
            None => Ok(Box::new(std::iter::empty())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_end_after_records_outside_quotes() {
        let text = "a,b\n1,\"x\ny\"\n2,z\n3,w\n";
        let s = find_splits(text.as_bytes(), 1).unwrap();
        let starts: Vec<u64> = s.iter().map(|x| x.start).collect();
        // header+first record? no: the header line is never split off alone
        assert_eq!(starts, [0, 12, 16]);
        assert_eq!(s.last().map(|x| x.end), Some(text.len() as u64));
        // the quoted newline is not a cut; lines count it
        assert_eq!(
            s.iter().map(|x| x.first_line).collect::<Vec<_>>(),
            [2, 4, 5]
        );
        // one split when the file is small
        let one = find_splits(text.as_bytes(), 1 << 20).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].start, one[0].end), (0, text.len() as u64));
    }
}
