//! `dedup [N] fields [keepevents=b] [keepempty=b] [consecutive=b] [sortby
//! ...]` (10.7).
//!
//! Keeps the first N results of each combination of the fields' values
//! (multivalue fields must match on every value); `consecutive=true` only
//! removes a result repeating the one before it. `keepempty=true` keeps the
//! results lacking a field (they are dropped otherwise); `keepevents=true`
//! keeps the duplicates too, with the dedup fields removed. With `sortby`
//! the command collects every result, sorts them by the keys (the `sort`
//! comparison, without its limit) and deduplicates in that order, so the
//! keys decide which duplicate survives and the output comes sorted.

use crate::batch::{self, row_key};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::sort_keys::{take_rows, SortKeys};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch};
use spl_parser::ast::Dedup;
use std::collections::HashMap;

/// The `dedup` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Keeps the first N results for each combination of values; results missing any field are dropped unless keepempty=true; keepevents=true keeps the duplicates without the fields; sortby sorts the results first, choosing which duplicate is kept.",
    examples: &[
        Example {
            title: "one result per value",
            spl: "| makeresults count=3 | eval host=\"a\" | dedup host",
        },
        Example {
            title: "keep the largest value of each host, largest first",
            spl: "| makeresults count=4 | streamstats count as n | eval host=if(n<3, \"a\", \"b\") | dedup host sortby -n",
        },
    ],
    compat: "With `sortby`, the results are sorted before deduplicating (the kept duplicate is the first in sorted order, as the Search Reference's sort-by clause says) and come out sorted; missing values sort last. `keepevents=true` does not keep results missing a field unless `keepempty=true`.",
};

/// Plans `dedup`.
pub(crate) fn plan(d: &Dedup, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage) = (p.opts, p.stage);
    if d.fields.is_empty() {
        return Err(EngineError::invalid(
            "expected at least one field, found none",
            stage.span,
            "dedup needs fields",
        ));
    }
    if d.count == Some(0) {
        return Err(EngineError::invalid(
            "expected a count of at least 1, found 0",
            stage.span,
            "dedup 0",
        ));
    }
    let sortby = if d.sortby.is_empty() {
        None
    } else {
        Some(SortKeys::bind(&d.sortby, false)?)
    };
    Ok(Box::new(DedupOp {
        n: d.count.unwrap_or(1) as usize,
        fields: d.fields.iter().map(|f| f.node.clone()).collect(),
        keepevents: o.flag("keepevents")?,
        keepempty: o.flag("keepempty")?,
        consecutive: o.flag("consecutive")?,
        sortby,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("dedup", p.stage.span),
        seen: HashMap::new(),
        seen_bytes: 0,
        last: None,
    }))
}

struct DedupOp {
    n: usize,
    fields: Vec<String>,
    keepevents: bool,
    keepempty: bool,
    consecutive: bool,
    /// With `sortby`, results are collected and sorted first.
    sortby: Option<SortKeys>,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
    seen: HashMap<String, usize>,
    /// Estimated bytes of `seen` (its keys and entries), for the budget.
    seen_bytes: usize,
    last: Option<String>,
}

impl DedupOp {
    /// Deduplicates one batch, in order, continuing from the earlier ones.
    fn dedup(&mut self, batch: &RecordBatch) -> Result<Vec<RecordBatch>> {
        let cols: Option<Vec<&ArrayRef>> = self
            .fields
            .iter()
            .map(|f| batch::column(batch, f))
            .collect();
        let mut keep = Vec::with_capacity(batch.num_rows());
        let mut strip = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            let key = match &cols {
                Some(c) => row_key(c, row)?,
                None => None,
            };
            let Some(key) = key else {
                // A result missing a field is no duplicate of anything.
                keep.push(self.keepempty);
                strip.push(false);
                continue;
            };
            let dup = if self.consecutive {
                let dup = self.last.as_deref() == Some(key.as_str());
                self.last = Some(key);
                dup
            } else {
                let len = key.len();
                let count = self.seen.entry(key).or_insert_with(|| {
                    self.seen_bytes = self.seen_bytes.saturating_add(len + 64);
                    0
                });
                *count += 1;
                *count > self.n
            };
            keep.push(!dup || self.keepevents);
            strip.push(dup && self.keepevents);
        }
        let stripped;
        let batch = if strip.contains(&true) {
            stripped = strip_fields(batch, &self.fields, &BooleanArray::from(strip))?;
            &stripped
        } else {
            batch
        };
        let out = arrow_select::filter::filter_record_batch(batch, &BooleanArray::from(keep))?;
        Ok(if out.num_rows() == 0 {
            vec![]
        } else {
            vec![out]
        })
    }
}

/// `batch` with `fields` removed (made null) on the rows `mask` marks.
fn strip_fields(
    batch: &RecordBatch,
    fields: &[String],
    mask: &BooleanArray,
) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut out_fields = Vec::with_capacity(schema.fields().len());
    let mut columns = Vec::with_capacity(schema.fields().len());
    for (f, c) in schema.fields().iter().zip(batch.columns()) {
        if fields.iter().any(|x| x == f.name()) {
            out_fields.push(f.as_ref().clone().with_nullable(true));
            columns.push(arrow_select::nullif::nullif(c.as_ref(), mask)?);
        } else {
            out_fields.push(f.as_ref().clone());
            columns.push(c.clone());
        }
    }
    batch::from_columns(out_fields, columns, batch.num_rows())
}

impl Operator for DedupOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.sortby.is_some() {
            self.mem.hold(&batch, &ctx.limits)?;
            self.buffered.push(batch);
            return Ok(vec![]);
        }
        let out = self.dedup(&batch)?;
        self.mem.check(self.seen_bytes, &ctx.limits)?;
        Ok(out)
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let Some(keys) = &self.sortby else {
            return Ok(vec![]);
        };
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(vec![]);
        }
        let all = batch::concat_unified(&batches)?;
        let sorted = take_rows(&all, keys.order(&all)?)?;
        self.dedup(&sorted)
    }
}
