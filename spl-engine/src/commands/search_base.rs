//! The base search (the implicit leading `search`, or `search` as the first
//! command of a subsearch) and `search` later in a pipeline.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::filter::{SearchFilter, SearchMode};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::source::{DataKind, ScanRequest, SourceMeta};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::TimeRange;
use arrow_array::cast::AsArray;
use arrow_array::Array;
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::Search;
use std::sync::Arc;

/// The `search` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Retrieves events matching terms, field comparisons and time bounds; later in a pipeline, filters results.",
    examples: &[Example {
        title: "keep results whose status starts with 4",
        spl: "| makeresults count=3 | streamstats count as n | eval status=if(n=1, \"404\", \"200\") | search status=4*",
    }],
    compat: "Terms match whole segments of `_raw` case-insensitively (letters/digits delimit segments); the indexed-term optimisation of Splunk's first search is not modelled.",
};

/// Plans `search`: the base search in the generating position, a filter
/// later in a pipeline.
pub(crate) fn plan(s: &Search, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    if p.first {
        plan_base(s, p.ctx)
    } else {
        plan_filter(s, p.ctx)
    }
}

/// Plans the base search: scans every event dataset, filters, orders newest first.
fn plan_base(s: &Search, ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    let (filter, bounds) = SearchFilter::bind(s.expr.as_ref(), SearchMode::Events, ctx)?;
    // The search's own time bounds replace the time picker's (11.2).
    let range = TimeRange::for_search(bounds.own_range(ctx.now), ctx.picker);
    Ok(Box::new(BaseSearchOp { filter, range }))
}

/// Plans `search` in the middle of a pipeline: a streaming filter.
fn plan_filter(s: &Search, ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    let (filter, _) = SearchFilter::bind(s.expr.as_ref(), SearchMode::Events, ctx)?;
    Ok(Box::new(FilterOp { filter }))
}

struct FilterOp {
    filter: SearchFilter,
}

impl Operator for FilterOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mask = self.filter.evaluate(&batch, ctx)?;
        let out = arrow_select::filter::filter_record_batch(&batch, &mask)?;
        Ok(if out.num_rows() == 0 {
            vec![]
        } else {
            vec![out]
        })
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}

struct BaseSearchOp {
    filter: SearchFilter,
    range: TimeRange,
}

/// Adds Splunk's default fields from the dataset's metadata when the data does not carry them.
pub fn with_default_fields(batch: &RecordBatch, meta: &SourceMeta) -> Result<RecordBatch> {
    let mut out = batch.clone();
    let rows = batch.num_rows();
    let mut add = |name: &str, value: Option<&str>| -> Result<()> {
        if let Some(v) = value {
            if batch::column(&out, name).is_none() {
                let arr: ArrayRef = Arc::new(StringArray::from(vec![v; rows]));
                out = batch::set_column(&out, Field::new(name, DataType::Utf8, true), arr)?;
            }
        }
        Ok(())
    };
    add("index", Some(&meta.index))?;
    add("source", Some(&meta.source))?;
    add("sourcetype", Some(&meta.sourcetype))?;
    add("host", meta.host.as_deref())?;
    Ok(out)
}

impl Operator for BaseSearchOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let req = ScanRequest {
            columns: None,
            earliest: self.range.earliest,
            latest: self.range.latest,
            time_only_for_window: false,
        };
        let mut matched = Vec::new();
        for ds in ctx
            .catalog
            .datasets
            .iter()
            .filter(|d| d.kind == DataKind::Events)
        {
            for b in ds.scan.scan(&req)? {
                let b = with_default_fields(&b?, &ds.meta)?;
                let mut mask = self.filter.evaluate(&b, ctx)?;
                if !self.range.is_all() {
                    mask = arrow_arith::boolean::and(&mask, &time_mask(&b, self.range)?)?;
                }
                let f = arrow_select::filter::filter_record_batch(&b, &mask)?;
                if f.num_rows() > 0 {
                    matched.push(f);
                }
            }
        }
        if matched.is_empty() {
            return Ok(vec![]);
        }
        let all = batch::concat_unified(&matched)?;
        // Splunk returns events newest first (2.10); ties keep input order.
        let Some(t) = batch::column(&all, "_time") else {
            return Ok(vec![all]);
        };
        let t = arrow_cast::cast(t, &DataType::Float64)?;
        let t = t.as_primitive::<arrow_array::types::Float64Type>();
        let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
        // Stable: equal times keep their input order; missing times sort last.
        order.sort_by(|a, b| {
            let ta = t.is_valid(*a as usize).then(|| t.value(*a as usize));
            let tb = t.is_valid(*b as usize).then(|| t.value(*b as usize));
            match (ta, tb) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        let idx = arrow_array::UInt32Array::from(order);
        let cols = all
            .columns()
            .iter()
            .map(|c| arrow_select::take::take(c, &idx, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(vec![RecordBatch::try_new(all.schema(), cols)?])
    }
}

/// `earliest <= _time < latest`; rows without `_time` are outside any bounded window.
pub fn time_mask(b: &RecordBatch, range: TimeRange) -> Result<arrow_array::BooleanArray> {
    let Some(t) = batch::column(b, "_time") else {
        return Ok(arrow_array::BooleanArray::from(vec![false; b.num_rows()]));
    };
    let t = arrow_cast::cast(t, &DataType::Float64)?;
    let t = t.as_primitive::<arrow_array::types::Float64Type>();
    Ok(t.iter()
        .map(|v| Some(v.is_some_and(|v| range.contains(v))))
        .collect())
}
