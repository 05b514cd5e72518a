//! The base search's events newest first (spl-semantics 2.10), without
//! sorting whole inputs when the data is already in time order.
//!
//! The order is the one a stable sort of every matching event would give:
//! `_time` descending, events without a time last, ties in input order
//! (datasets in registration order, each in its own order). Each dataset is
//! cut into partitions whose time spans the scan knows
//! ([`crate::source::Scan::partition_spans`]). Partitions are read in order
//! of their latest time; an event read so far is emitted once no partition
//! still unread can hold an event that comes before it. In a file in time
//! order (either direction) partitions do not overlap, so about one
//! partition is buffered at a time and a satisfied `head` stops the reading
//! after the newest partitions; in a file in no order every partition
//! overlaps the others and all matching events are buffered before the
//! first is emitted, which is what sorting them would cost. A scan that
//! cannot tell its partitions' spans is read whole first.

use crate::batch;
use crate::error::Result;
use crate::source::{event_times, Dataset, ScanRequest, TimeSpan};
use arrow_array::{Array, ArrayRef, RecordBatch, UInt32Array};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Rows per emitted batch (at most).
const EMIT_ROWS: usize = 8192;

/// Where an event sits in the input: dataset, partition, batch within the
/// partition, row within the batch (the tie-break of equal times).
type Pos = (usize, usize, usize, u32);

/// An event's place in the output order.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// Events without a time come after every event with one.
    untimed: bool,
    t: f64,
    pos: Pos,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.untimed
            .cmp(&other.untimed)
            .then_with(|| {
                if self.untimed {
                    Ordering::Equal
                } else {
                    other.t.total_cmp(&self.t)
                }
            })
            .then_with(|| self.pos.cmp(&other.pos))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

/// A partition to read: its dataset, which part (`None`: the whole scan,
/// whose span is unknown) and its span.
struct Part {
    ds: usize,
    part: Option<usize>,
    span: TimeSpan,
}

impl Part {
    /// The first key any of its events can have.
    fn first_key(&self) -> Key {
        let pos = (self.ds, self.part.unwrap_or(0), 0, 0);
        match self.span.max {
            Some(t) => Key {
                untimed: false,
                t,
                pos,
            },
            None => Key {
                untimed: true,
                t: 0.0,
                pos,
            },
        }
    }
}

/// A matched batch waiting to be emitted, its rows in output order.
struct Buffered {
    batch: RecordBatch,
    keys: Vec<Key>,
    /// Row indexes in key order.
    order: Vec<u32>,
    next: usize,
}

impl Buffered {
    fn new(batch: RecordBatch, ds: usize, part: usize, seq: usize) -> Buffered {
        let times = event_times(&batch);
        let keys: Vec<Key> = (0..batch.num_rows())
            .map(|row| {
                let t = times
                    .as_ref()
                    .and_then(|t| t.is_valid(row).then(|| t.value(row)));
                Key {
                    untimed: t.is_none(),
                    t: t.unwrap_or(0.0),
                    pos: (ds, part, seq, row as u32),
                }
            })
            .collect();
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        // keys are distinct (positions differ): an unstable sort is exact
        order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        Buffered {
            batch,
            keys,
            order,
            next: 0,
        }
    }

    fn head(&self) -> Option<Key> {
        let row = *self.order.get(self.next)?;
        self.keys.get(row as usize).copied()
    }
}

/// Emits the matching events of `datasets` (each with its own request)
/// newest first. `matched` filters one scanned batch of the dataset at an
/// index; `out` returns false when nothing downstream wants more.
pub(super) fn merge(
    datasets: &[(&Dataset, ScanRequest)],
    matched: &dyn Fn(RecordBatch, usize) -> Result<Option<RecordBatch>>,
    out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
) -> Result<()> {
    let mut parts: Vec<Part> = Vec::new();
    for (di, (ds, req)) in datasets.iter().enumerate() {
        match ds.scan.partition_spans(req)? {
            Some(spans) => {
                for (pi, span) in spans.into_iter().enumerate() {
                    if span != TimeSpan::EMPTY && req.may_keep(&span) {
                        parts.push(Part {
                            ds: di,
                            part: Some(pi),
                            span,
                        });
                    }
                }
            }
            None => parts.push(Part {
                ds: di,
                part: None,
                span: TimeSpan {
                    min: Some(f64::NEG_INFINITY),
                    max: Some(f64::INFINITY),
                    nulls: true,
                },
            }),
        }
    }
    parts.sort_by_key(Part::first_key);

    let mut bufs: Vec<Buffered> = Vec::new();
    let mut heap: BinaryHeap<Reverse<(Key, usize)>> = BinaryHeap::new();
    let mut emitter = Emitter::default();
    for (i, p) in parts.iter().enumerate() {
        let Some((ds, req)) = datasets.get(p.ds) else {
            continue;
        };
        let stream = match p.part {
            Some(part) => ds.scan.scan_partition(req, part)?,
            None => ds.scan.scan(req)?,
        };
        for (seq, b) in stream.enumerate() {
            if let Some(m) = matched(b?, p.ds)? {
                let buf = Buffered::new(m, p.ds, p.part.unwrap_or(0), seq);
                if let Some(k) = buf.head() {
                    heap.push(Reverse((k, bufs.len())));
                }
                bufs.push(buf);
            }
        }
        // what no unread partition can precede is ready
        let bound = parts.get(i + 1).map(Part::first_key);
        while let Some(Reverse((k, bi))) = heap.peek().copied() {
            if bound.is_some_and(|b| k >= b) {
                break;
            }
            heap.pop();
            let Some(buf) = bufs.get_mut(bi) else {
                continue;
            };
            let row = buf.order.get(buf.next).copied().unwrap_or(0);
            buf.next += 1;
            if let Some(next) = buf.head() {
                heap.push(Reverse((next, bi)));
            }
            emitter.picks.push((bi, row));
            if emitter.picks.len() >= EMIT_ROWS && !emitter.flush(&mut bufs, out)? {
                return Ok(());
            }
        }
        if !emitter.flush(&mut bufs, out)? {
            return Ok(());
        }
        // drop what was emitted in full
        for b in bufs.iter_mut() {
            if b.next >= b.order.len() && b.batch.num_rows() > 0 {
                b.batch = b.batch.slice(0, 0);
                b.keys = Vec::new();
                b.order = Vec::new();
                b.next = 0;
            }
        }
    }
    Ok(())
}

/// Gathers the rows picked for output and emits them as batches over the
/// union of their batches' fields.
#[derive(Default)]
struct Emitter {
    picks: Vec<(usize, u32)>,
}

impl Emitter {
    /// Emits the picked rows; false when nothing downstream wants more.
    fn flush(
        &mut self,
        bufs: &mut [Buffered],
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<bool> {
        if self.picks.is_empty() {
            return Ok(true);
        }
        let picks = std::mem::take(&mut self.picks);
        // the batches involved, in input order (so fields come in the order
        // they first appear in the input, as when every event was sorted)
        let mut involved: Vec<usize> = picks.iter().map(|(b, _)| *b).collect();
        involved.sort_unstable();
        involved.dedup();
        let sources: Vec<RecordBatch> = involved
            .iter()
            .filter_map(|&b| bufs.get(b).map(|x| x.batch.clone()))
            .collect();
        let schema = batch::union_schema(&sources);
        let batch = if let [single] = sources.as_slice() {
            let aligned = batch::align_to(single, &schema)?;
            let idx = UInt32Array::from(picks.iter().map(|(_, r)| *r).collect::<Vec<_>>());
            let cols = aligned
                .columns()
                .iter()
                .map(|c| arrow_select::take::take(c, &idx, None))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            batch::from_columns(
                schema.fields().iter().map(|f| f.as_ref().clone()).collect(),
                cols,
                picks.len(),
            )?
        } else {
            let aligned: Vec<RecordBatch> = sources
                .iter()
                .map(|b| batch::align_to(b, &schema))
                .collect::<Result<_>>()?;
            let at: Vec<(usize, usize)> = picks
                .iter()
                .map(|(b, r)| {
                    let i = involved.binary_search(b).unwrap_or(0);
                    (i, *r as usize)
                })
                .collect();
            let mut cols: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
            for c in 0..schema.fields().len() {
                let arrays: Vec<&dyn Array> =
                    aligned.iter().map(|a| a.column(c).as_ref()).collect();
                cols.push(arrow_select::interleave::interleave(&arrays, &at)?);
            }
            batch::from_columns(
                schema.fields().iter().map(|f| f.as_ref().clone()).collect(),
                cols,
                picks.len(),
            )?
        };
        out(batch)
    }
}
