//! Metric data points from CSV, streamed: Splunk's single-measurement metrics CSV
//! (`metric_timestamp,metric_name,_value,<dims...>`), the `mstats`/`mpreview` export
//! shape (`_time,metric_name,_value,<dims>`, `_time` as epoch or ISO text), and the
//! multiple-measurement form (`metric_timestamp,metric_name:<m>...,<dims>`), which is
//! unpivoted into one data point per non-empty measurement cell.

use super::csv_records::Records;
use super::csv_util::{open_csv, read_header};
use super::metrics_shape::{finish_metric_batch, number_from_text, time_from_text, MetricColumns};
use super::timestamp::epoch_from_number;
use super::{BatchStream, Scan, ScanRequest};
use crate::aggregate::hash::FxHashMap;
use crate::error::{EngineError, Result};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer};
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
    /// `max_line_bytes`: a longer line is a data error (found by the pass
    /// that cuts the partitions, which reads the whole file in bounded memory).
    max_line: u64,
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
    pub fn open(path: PathBuf, display: String, max_columns: u64, max_line: u64) -> Result<Self> {
        let header = read_header(
            super::line_limit::LineGuard::new(open_csv(&path, &display)?, max_line),
            &display,
        )?;
        super::csv_util::check_columns(&header, &display, max_columns)?;
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
            max_line,
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
        let guarded = super::line_limit::LineGuard::new(file, self.max_line);
        let s = find_splits(BufReader::with_capacity(1 << 20, guarded), PARTITION_BYTES)
            .map_err(|e| super::line_limit::io_error(&self.display, 0, e))?;
        Ok(self.splits.get_or_init(|| s))
    }

    /// Parses the records of one split into metric batches.
    fn read_range(&self, req: &ScanRequest, split: Split) -> Result<BatchStream<'_>> {
        let io = |source| EngineError::Io {
            path: self.display.clone(),
            source,
        };
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(split.start)).map_err(io)?;
        let len = split.end.saturating_sub(split.start);
        // one allocation for a partition of the usual size
        let mut buf = Vec::with_capacity(
            usize::try_from(len)
                .unwrap_or(0)
                .min(PARTITION_BYTES as usize * 2),
        );
        file.take(len).read_to_end(&mut buf).map_err(io)?;
        let header_first = split.start == 0;
        if header_first && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        let mut records = Records::new(buf, if header_first { 1 } else { split.first_line });
        if header_first {
            // the header was read by `open`; only step over it
            records
                .next_record()
                .map_err(|line| self.open_quote(line))?;
        }
        let projection = self.layout.input_projection(&self.header, req);
        let mut text = Vec::new();
        let mut numbers = Vec::new();
        for &i in &projection {
            if i == self.layout.time {
                continue;
            }
            if Some(i) == self.layout.value || self.layout.measures.iter().any(|(m, _)| *m == i) {
                numbers.push(NumberColumn::new(i));
            } else {
                text.push(TextColumn::new(i));
            }
        }
        let mut batches = CsvBatches {
            scan: self,
            window: (
                req.earliest.unwrap_or(f64::NEG_INFINITY),
                req.latest.unwrap_or(f64::INFINITY),
            ),
            // rows are filtered by time as they are read; the shared batch
            // step need not test the window again
            req: ScanRequest {
                earliest: None,
                latest: None,
                ..req.clone()
            },
            records,
            time: Vec::new(),
            numbers,
            text,
            done: false,
        };
        Ok(Box::new(std::iter::from_fn(move || batches.next_batch())))
    }

    fn open_quote(&self, line: usize) -> EngineError {
        EngineError::data(
            &self.display,
            Some(line),
            None,
            "expected a closing `\"` for the quoted field opened in this record",
        )
    }

    fn field_name(&self, i: usize) -> &str {
        self.header.get(i).map_or("", String::as_str)
    }
}

/// Batches parsed from one split's records.
struct CsvBatches<'a> {
    scan: &'a MetricsCsvScan,
    /// Rows keep `[earliest, latest)` of the request.
    window: (f64, f64),
    /// The request without its time bounds.
    req: ScanRequest,
    records: Records,
    time: Vec<f64>,
    numbers: Vec<NumberColumn>,
    text: Vec<TextColumn>,
    done: bool,
}

impl CsvBatches<'_> {
    fn next_batch(&mut self) -> Option<Result<RecordBatch>> {
        if self.done {
            return None;
        }
        match self.fill() {
            Ok(0) => {
                self.done = true;
                None
            }
            Ok(n) => Some(self.finish(n)),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    /// Reads records until a batch is full or the split ends; rows outside
    /// the request's time window are dropped before their other fields are
    /// looked at.
    fn fill(&mut self) -> Result<usize> {
        let scan = self.scan;
        let (lo, hi) = self.window;
        let n_fields = scan.header.len();
        let time_at = scan.layout.time;
        self.time.clear();
        while self.time.len() < METRICS_BATCH_ROWS {
            let Some(line) = self
                .records
                .next_record()
                .map_err(|line| scan.open_quote(line))?
            else {
                break;
            };
            let r = &self.records;
            if r.len() != n_fields {
                return Err(EngineError::data(
                    &scan.display,
                    Some(line),
                    None,
                    format!(
                        "expected {n_fields} fields as in the header, found {}",
                        r.len()
                    ),
                ));
            }
            // a bad cell names its file line and column
            let cell = |i: usize| {
                move |msg: String| {
                    EngineError::data(&scan.display, Some(line), Some(scan.field_name(i)), msg)
                }
            };
            let t = time_of(r.field(time_at)).map_err(cell(time_at))?;
            if !(t >= lo && t < hi) {
                continue;
            }
            self.time.push(t);
            for col in &mut self.numbers {
                col.push(r.field(col.index)).map_err(cell(col.index))?;
            }
            for col in &mut self.text {
                col.push(r.field(col.index)).map_err(cell(col.index))?;
            }
        }
        Ok(self.time.len())
    }

    fn finish(&mut self, n: usize) -> Result<RecordBatch> {
        let scan = self.scan;
        let mut columns: Vec<(usize, ArrayRef)> =
            Vec::with_capacity(1 + self.numbers.len() + self.text.len());
        columns.push((
            scan.layout.time,
            Arc::new(Float64Array::from(std::mem::take(&mut self.time))),
        ));
        for col in &mut self.numbers {
            columns.push((col.index, col.finish()));
        }
        for col in &mut self.text {
            columns.push((col.index, col.finish()?));
        }
        // the shared step names the columns, unpivots measurements and
        // checks nothing is missing
        finish_metric_batch(
            &scan.layout,
            &scan.header,
            &columns,
            n,
            &self.req,
            &scan.display,
            None,
            true,
        )
    }
}

/// Epoch seconds of a time field, as the text path of `time_to_f64` reads
/// it (epoch numbers in s/ms/us/ns, or RFC 3339 and Splunk export text).
fn time_of(bytes: &[u8]) -> std::result::Result<f64, String> {
    if let Some(v) = digits(bytes) {
        if let Some(t) = epoch_from_number(v) {
            return Ok(t);
        }
    }
    if bytes.is_empty() {
        return Err("expected a timestamp, found an empty value".into());
    }
    time_from_text(&String::from_utf8_lossy(bytes))
}

/// The value of an unsigned decimal integer of at most 15 digits (exact in
/// f64, and what `str::parse::<f64>` gives for it).
fn digits(bytes: &[u8]) -> Option<f64> {
    if bytes.is_empty() || bytes.len() > 15 {
        return None;
    }
    let mut v = 0u64;
    for &b in bytes {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    Some(v as f64)
}

/// `_value` or a measurement: empty fields are null.
struct NumberColumn {
    index: usize,
    values: Vec<f64>,
    nulls: NullBufferBuilder,
}

impl NumberColumn {
    fn new(index: usize) -> Self {
        NumberColumn {
            index,
            values: Vec::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn push(&mut self, bytes: &[u8]) -> std::result::Result<(), String> {
        if bytes.is_empty() {
            self.values.push(0.0);
            self.nulls.append_null();
            return Ok(());
        }
        let v = match digits(bytes) {
            Some(v) => v,
            None => number_from_text(&String::from_utf8_lossy(bytes))?,
        };
        self.values.push(v);
        self.nulls.append_non_null();
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        Arc::new(Float64Array::new(
            std::mem::take(&mut self.values).into(),
            self.nulls.finish(),
        ))
    }
}

/// A metric name or dimension column, interned per batch into a
/// `Dictionary(Int32, Utf8)` (what `mstats` aggregates on cheaply); empty
/// fields are null.
struct TextColumn {
    index: usize,
    keys: Vec<i32>,
    nulls: NullBufferBuilder,
    ids: FxHashMap<Vec<u8>, i32>,
    bytes: Vec<u8>,
    offsets: Vec<i32>,
    /// The previous row's id: neighbouring rows often repeat a value.
    last: Option<i32>,
}

impl TextColumn {
    fn new(index: usize) -> Self {
        TextColumn {
            index,
            keys: Vec::new(),
            nulls: NullBufferBuilder::new(0),
            ids: FxHashMap::default(),
            bytes: Vec::new(),
            offsets: vec![0],
            last: None,
        }
    }

    fn value(&self, id: i32) -> &[u8] {
        let at = |k: usize| self.offsets.get(k).map_or(0, |&o| o as usize);
        let k = id as usize;
        self.bytes.get(at(k)..at(k + 1)).unwrap_or_default()
    }

    fn push(&mut self, field: &[u8]) -> std::result::Result<(), String> {
        if field.is_empty() {
            self.keys.push(0);
            self.nulls.append_null();
            return Ok(());
        }
        let id = match self.last {
            Some(id) if self.value(id) == field => id,
            _ => match self.ids.get(field) {
                Some(&id) => id,
                None => {
                    if std::str::from_utf8(field).is_err() {
                        return Err(format!(
                            "expected UTF-8 text, found `{}`",
                            String::from_utf8_lossy(field)
                        ));
                    }
                    let id = self.ids.len() as i32;
                    self.bytes.extend_from_slice(field);
                    self.offsets.push(self.bytes.len() as i32);
                    self.ids.insert(field.to_vec(), id);
                    id
                }
            },
        };
        self.last = Some(id);
        self.keys.push(id);
        self.nulls.append_non_null();
        Ok(())
    }

    fn finish(&mut self) -> Result<ArrayRef> {
        let keys = Int32Array::new(std::mem::take(&mut self.keys).into(), self.nulls.finish());
        let offsets = OffsetBuffer::new(std::mem::replace(&mut self.offsets, vec![0]).into());
        let values = StringArray::try_new(offsets, std::mem::take(&mut self.bytes).into(), None)?;
        self.ids.clear();
        self.last = None;
        Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::new(values),
        )?))
    }
}

/// Cuts the file into ranges of about `target` bytes that end after a
/// record's newline: a newline counts only outside quotes (a quoted field
/// may span lines), so every range holds whole records. The first range
/// starts at 0 and includes the header. Lines are counted for error
/// messages (a record spanning lines counts once per line).
///
/// The file is classified 64 bytes at a time into quote and newline bit
/// masks; a prefix XOR of the quote mask tells which newlines are inside
/// quotes (an escaped `""` toggles twice), so the pass runs at memory speed
/// instead of branching on every byte.
fn find_splits(mut r: impl BufRead, target: u64) -> std::io::Result<Vec<Split>> {
    let mut cut = Cutter {
        splits: Vec::new(),
        target: target.max(1),
        start: 0,
        first_line: 2, // the header is line 1
        line: 1,
        header_done: false,
    };
    let mut pos = 0u64;
    // all ones while inside quotes at the end of the previous block
    let mut carry = 0u64;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        for chunk in buf.chunks(64) {
            let (quotes, newlines) = classify(chunk);
            let inside = prefix_xor(quotes) ^ carry;
            if quotes.count_ones() % 2 == 1 {
                carry = !carry;
            }
            cut.block(pos, newlines, newlines & !inside);
            pos += chunk.len() as u64;
        }
        r.consume(n);
    }
    let Cutter {
        mut splits,
        start,
        first_line,
        ..
    } = cut;
    if pos > start || splits.is_empty() {
        splits.push(Split {
            start,
            end: pos,
            first_line,
        });
    }
    Ok(splits)
}

/// Split bookkeeping of [`find_splits`].
struct Cutter {
    splits: Vec<Split>,
    target: u64,
    start: u64,
    first_line: usize,
    /// The line number at the start of the current block.
    line: usize,
    header_done: bool,
}

impl Cutter {
    /// Handles one block starting at file offset `base`: `newlines` marks
    /// every newline, `ends` those that end a record.
    fn block(&mut self, base: u64, newlines: u64, mut ends: u64) {
        // the file line after the newline at bit `i`
        let line_after = |i: u32| self.line + (newlines & through(i)).count_ones() as usize;
        if !self.header_done && ends != 0 {
            let i = ends.trailing_zeros();
            self.header_done = true;
            self.first_line = line_after(i);
            ends &= !through(i);
        }
        if self.header_done {
            while ends != 0 {
                // the first record end at or past the target size
                let need = (self.start + self.target).saturating_sub(base + 1);
                if need >= 64 {
                    break;
                }
                let eligible = ends & !(through(need as u32) >> 1);
                if eligible == 0 {
                    break;
                }
                let i = eligible.trailing_zeros();
                let end = base + u64::from(i) + 1;
                self.splits.push(Split {
                    start: self.start,
                    end,
                    first_line: self.first_line,
                });
                self.start = end;
                self.first_line = line_after(i);
                ends &= !through(i);
            }
        }
        self.line += newlines.count_ones() as usize;
    }
}

/// Bits `0..=i` set.
fn through(i: u32) -> u64 {
    u64::MAX >> (63 - i)
}

/// Bit masks of the `"` and `\n` bytes of a block of at most 64 bytes.
fn classify(chunk: &[u8]) -> (u64, u64) {
    let mut block = [0u8; 64];
    let bytes: &[u8; 64] = match chunk.try_into() {
        Ok(full) => full,
        Err(_) => {
            block[..chunk.len()].copy_from_slice(chunk);
            &block
        }
    };
    let (mut q, mut n) = (0u64, 0u64);
    for (k, word) in bytes.chunks_exact(8).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        q |= byte_mask(w, b'"') << (8 * k);
        n |= byte_mask(w, b'\n') << (8 * k);
    }
    (q, n)
}

/// Bit `k` set where byte `k` (little-endian) of `w` equals `c`: eight
/// comparisons in a few word operations (SWAR), exact (no false positives).
fn byte_mask(w: u64, c: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let t = w ^ (u64::from(c) * 0x0101_0101_0101_0101);
    // 0x80 in exactly the bytes of `t` that are zero
    let zero = !(((t & LOW7) + LOW7) | t | LOW7);
    // gather the eight flags (bits 7, 15, ..) into bits 0..8
    ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Bit `i` of the result is the XOR of bits `0..=i`: set inside quotes.
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

impl Scan for MetricsCsvScan {
    // Every input column is read as text: time and dims need no conversion, and
    // `_value` is parsed by us so a bad number names its line and field.
    fn scan(&self, req: &ScanRequest) -> Result<BatchStream<'_>> {
        Ok(super::partitions_in_order(self, req, self.splits()?.len()))
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

    /// Every partition of a file cut small gives, in order, the rows of
    /// the file read as one partition: the header is read once, quoted
    /// newlines stay inside their record, and errors in a later partition
    /// name their file line.
    #[test]
    fn partitions_concatenate_to_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("spl-mcsv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut text = String::from("\u{feff}_time,metric_name,_value,host\n");
        for i in 0..200 {
            let host = match i % 3 {
                0 => "\"a\nb\"".to_string(),
                1 => format!("h{i}"),
                _ => "\"q\"\"x\"".into(),
            };
            text.push_str(&format!("{},m{},{i},{host}\n", 1000 + i, i % 4));
        }
        let path = dir.join("m.csv");
        std::fs::write(&path, &text).unwrap();
        let rows = |scan: &MetricsCsvScan| -> Vec<String> {
            let req = ScanRequest::default();
            (0..scan.partitions(&req))
                .flat_map(|p| scan.scan_partition(&req, p).unwrap())
                .flat_map(|b| {
                    let b = b.unwrap();
                    (0..b.num_rows())
                        .map(|r| {
                            let cells: Vec<String> = b
                                .columns()
                                .iter()
                                .map(|c| arrow_cast::display::array_value_to_string(c, r).unwrap())
                                .collect();
                            cells.join("|")
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let whole = MetricsCsvScan::open(path.clone(), "m.csv".into(), 10_000, 1 << 20).unwrap();
        let expected = rows(&whole);
        assert_eq!(whole.splits().unwrap().len(), 1);
        assert_eq!(expected.len(), 200);
        assert_eq!(expected[0], "1000.0|m0|0.0|a\nb");
        assert_eq!(expected[2], "1002.0|m2|2.0|q\"x");
        let cut = MetricsCsvScan::open(path.clone(), "m.csv".into(), 10_000, 1 << 20).unwrap();
        let splits = find_splits(BufReader::new(text.as_bytes()), 300).unwrap();
        assert!(splits.len() > 5);
        cut.splits.get_or_init(|| splits);
        assert_eq!(rows(&cut), expected);

        // a bad value in the last record is reported on its file line
        text.push_str("5000,m1,oops,z\n");
        std::fs::write(&path, &text).unwrap();
        let bad = MetricsCsvScan::open(path.clone(), "m.csv".into(), 10_000, 1 << 20).unwrap();
        let splits = find_splits(BufReader::new(text.as_bytes()), 300).unwrap();
        bad.splits.get_or_init(|| splits);
        let req = ScanRequest::default();
        let last = bad.partitions(&req) - 1;
        let err = bad
            .scan_partition(&req, last)
            .unwrap()
            .find_map(Result::err)
            .unwrap();
        let lines = text.matches('\n').count();
        match err {
            EngineError::Data { line, field, .. } => {
                assert_eq!((line, field.as_deref()), (Some(lines), Some("_value")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn byte_mask_is_exact_for_every_byte() {
        for c in [b'"', b'\n'] {
            for b in 0..=255u8 {
                // the byte at each position, among neighbours that differ from it by one bit
                for k in 0..8 {
                    let mut w = [b ^ 0x80, c ^ 1, c ^ 0x80, 0xFF, 0, b, c.wrapping_add(1), b];
                    w[k] = b;
                    let want = w
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (i, &x)| m | (u64::from(x == c) << i));
                    assert_eq!(byte_mask(u64::from_le_bytes(w), c), want, "{w:?} {c}");
                }
            }
        }
    }

    /// The byte-at-a-time definition the bit-mask pass must agree with.
    fn splits_bytewise(text: &[u8], target: u64) -> Vec<Split> {
        let (mut splits, mut start, mut first_line) = (Vec::new(), 0u64, 2usize);
        let (mut line, mut quoted, mut header_done) = (1usize, false, false);
        for (p, &b) in text.iter().enumerate() {
            let pos = p as u64 + 1;
            match b {
                b'"' => quoted = !quoted,
                b'\n' => {
                    line += 1;
                    if quoted {
                    } else if !header_done {
                        header_done = true;
                        first_line = line;
                    } else if pos - start >= target {
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
        let end = text.len() as u64;
        if end > start || splits.is_empty() {
            splits.push(Split {
                start,
                end,
                first_line,
            });
        }
        splits
    }

    #[test]
    fn bitmask_splits_agree_with_bytewise_definition() {
        // xorshift: deterministic texts dense in quotes and newlines, so
        // quoted newlines and cuts fall on every side of 64-byte blocks
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..300 {
            let len = (next() % 700) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| match next() % 10 {
                    0 | 1 => b'"',
                    2 | 3 => b'\n',
                    4 => b',',
                    _ => b'a',
                })
                .collect();
            // a small reader buffer so blocks also straddle refills
            let reader = BufReader::with_capacity(1 + (case % 97), text.as_slice());
            for target in [1u64, 2, 7, 63, 64, 65, 130, 1 << 20] {
                assert_eq!(
                    find_splits(BufReader::new(text.as_slice()), target).unwrap(),
                    splits_bytewise(&text, target),
                    "case {case} target {target}"
                );
            }
            assert_eq!(
                find_splits(reader, 50).unwrap(),
                splits_bytewise(&text, 50),
                "case {case} small buffer"
            );
        }
    }
}
