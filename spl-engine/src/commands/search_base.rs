//! The base search (the implicit leading `search`, or `search` as the first
//! command of a subsearch) and `search` later in a pipeline.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::filter::{SearchFilter, SearchMode};
use crate::operator::demand::FieldSet;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::source::{DataKind, Dataset, ScanRequest, SourceMeta};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::TimeRange;
use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::Search;
use std::sync::Arc;

pub(crate) mod explain;
mod newest_first;

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
        plan_base(s, p)
    } else {
        plan_filter(s, p.ctx)
    }
}

/// Plans the base search: scans every event dataset, filters, orders newest
/// first when a later command needs it, reading only the fields later
/// commands need (`PlanCx::demand`).
fn plan_base(s: &Search, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let ctx = p.ctx;
    let (filter, bounds) = SearchFilter::bind(s.expr.as_ref(), SearchMode::Events, ctx)?;
    // The search's own time bounds replace the time picker's (11.2).
    let range = TimeRange::for_search(bounds.own_range(ctx.now), ctx.picker);
    let mut fields = p.demand.fields.clone();
    for f in filter.fields() {
        fields.add(&f);
    }
    fields.add("_time");
    // Knowledge objects that may set a default field (`rename`, `EVAL-`,
    // `FIELDALIAS-`, `LOOKUP-`) make a dataset's metadata no proof that it
    // cannot match.
    let prune = ctx
        .catalog
        .knowledge
        .as_ref()
        .is_none_or(|k| !DEFAULT_FIELDS.iter().any(|f| k.may_set(f)));
    Ok(Box::new(BaseSearchOp {
        filter,
        range,
        order: p.demand.order,
        fields,
        prune,
    }))
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
    /// Later commands need the events newest first.
    order: bool,
    /// The fields the filter and later commands need.
    fields: FieldSet,
    /// Skip datasets whose default fields cannot match (off when knowledge
    /// objects may change those fields).
    prune: bool,
}

/// Adds Splunk's default fields that `wanted` names from the dataset's
/// metadata when the data does not carry them (the others are needed by no
/// later command).
fn with_wanted_default_fields(
    batch: &RecordBatch,
    meta: &SourceMeta,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<RecordBatch> {
    let mut out = batch.clone();
    let rows = batch.num_rows();
    let mut add = |name: &str, value: Option<&str>| -> Result<()> {
        if let Some(v) = value {
            if wanted(name) && batch::column(&out, name).is_none() {
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

/// The default fields, whose value a dataset's metadata gives for every row
/// that does not carry its own.
const DEFAULT_FIELDS: [&str; 4] = ["index", "source", "sourcetype", "host"];

impl BaseSearchOp {
    /// The request for one dataset: the fields wanted, and those the
    /// knowledge objects read to make them (for the dataset's own
    /// sourcetype, source and host when its rows cannot carry others).
    fn request(&self, ds: &Dataset, ctx: &ExecContext) -> Result<ScanRequest> {
        let columns = match &ctx.catalog.knowledge {
            None => self.fields.columns(),
            Some(k) => {
                let own = DEFAULT_FIELDS[1..]
                    .iter()
                    .all(|f| ds.scan.carries_known(f) == Some(false));
                let m = &ds.meta;
                let key = own.then(|| {
                    [
                        m.sourcetype.clone(),
                        m.source.clone(),
                        m.host.clone().unwrap_or_default(),
                    ]
                });
                k.reads(&self.fields, key.as_ref(), ds.scan.raw_extracted())?
                    .columns()
            }
        };
        let mut req = ctx.scan_request(columns, self.range);
        // counted per source too (the CLI's progress shows each)
        req.counters = Some(ctx.scan.for_source(&ds.meta.source));
        Ok(req)
    }

    /// The event datasets the search may match: a dataset whose default
    /// fields fail the filter (`index=a` over a dataset of index `b` whose
    /// rows carry no `index` of their own) is not read at all.
    fn datasets<'c>(&self, ctx: &'c ExecContext) -> Result<Vec<&'c Dataset>> {
        let filter_fields = self.filter.fields();
        let mut out = Vec::new();
        for ds in ctx
            .catalog
            .datasets
            .iter()
            .filter(|d| d.kind == DataKind::Events)
        {
            let m = &ds.meta;
            let mut known: Vec<(&str, Option<String>)> = DEFAULT_FIELDS
                .iter()
                .filter(|f| filter_fields.iter().any(|x| x == *f))
                .map(|&f| {
                    let v = match f {
                        "index" => Some(m.index.clone()),
                        "source" => Some(m.source.clone()),
                        "sourcetype" => Some(m.sourcetype.clone()),
                        _ => m.host.clone(),
                    };
                    (f, v)
                })
                .collect();
            let may_match = |known: &[(&str, Option<String>)]| {
                let lookup = |f: &str| known.iter().find(|(k, _)| *k == f).map(|(_, v)| v.clone());
                known.is_empty() || self.filter.may_match(&lookup)
            };
            if self.prune && !may_match(&known) {
                // only now ask whether rows carry their own values (which
                // may cost the scan a pass over its data)
                let mut carried = Vec::new();
                for (f, _) in &known {
                    carried.push(ds.scan.may_carry(f)?);
                }
                let mut c = carried.into_iter();
                known.retain(|_| !c.next().unwrap_or(true));
                if !may_match(&known) {
                    continue;
                }
            }
            out.push(ds);
        }
        Ok(out)
    }

    /// One scanned batch with the default fields added, filtered; `None`
    /// when no row matches.
    fn matched(
        &self,
        b: RecordBatch,
        ds: &Dataset,
        req: &ScanRequest,
        ctx: &ExecContext,
    ) -> Result<Option<RecordBatch>> {
        match &req.counters {
            Some(c) => c.count_batch(b.num_rows()),
            None => ctx.scan.count_batch(b.num_rows()),
        }
        let b = with_wanted_default_fields(&b, &ds.meta, &|f| req.wants(f))?;
        let b = match &ctx.catalog.knowledge {
            Some(k) => k.apply(b, &self.fields, ds.scan.raw_extracted(), ctx)?,
            None => b,
        };
        let mut mask = self.filter.evaluate(&b, ctx)?;
        if !self.range.is_all() {
            mask = arrow_arith::boolean::and(&mask, &time_mask(&b, self.range)?)?;
        }
        let f = arrow_select::filter::filter_record_batch(&b, &mask)?;
        Ok((f.num_rows() > 0).then_some(f))
    }

    /// Datasets one after the other, each in its own order: for commands
    /// whose result does not depend on the order.
    fn unordered(
        &self,
        datasets: &[(&Dataset, ScanRequest)],
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        for (ds, req) in datasets {
            for b in ds.scan.scan(req)? {
                if let Some(m) = self.matched(b?, ds, req, ctx)? {
                    if !out(m)? {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }
}

impl Operator for BaseSearchOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut all = Vec::new();
        self.generate(ctx, &mut |b| {
            all.push(b);
            Ok(true)
        })?;
        Ok(all)
    }

    fn generate(
        &mut self,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        let mut datasets = Vec::new();
        for ds in self.datasets(ctx)? {
            datasets.push((ds, self.request(ds, ctx)?));
        }
        if self.order {
            newest_first::merge(
                &datasets,
                &|b, i| match datasets.get(i) {
                    Some((ds, req)) => self.matched(b, ds, req, ctx),
                    None => Ok(None),
                },
                out,
            )
        } else {
            self.unordered(&datasets, ctx, out)
        }
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
