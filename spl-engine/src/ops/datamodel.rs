//! The rows of a data model dataset, as `tstats`, `| datamodel` and
//! `| from datamodel` read them (issue 14 §2).
//!
//! Two paths, as in Splunk without acceleration:
//! - **events**: every event dataset's events, with the apps' knowledge
//!   applied (tags, event types, aliases...), that match the constraints of
//!   the dataset and all its ancestors (root first), then the calculations
//!   of that chain in order;
//! - **exports** (`--data path=F,datamodel=M.D`): rows already in the model,
//!   with fields named as `| datamodel M D search` exports them
//!   (`Processes.process_name`) or bare (`process_name`). An export of a
//!   dataset serves a query of it or of any ancestor; a query of a
//!   descendant keeps the export's rows that match the constraints below it.
//!
//! Either way the rows get every field of the dataset (and of its
//! descendants) under its full name (`All_Traffic.dest_port`), the fields
//! every event has (`_time`, `host`, `source`, `sourcetype`, `index`) bare,
//! and, when asked for, `nodename`: the lineage of every dataset of the
//! subtree the row belongs to (multivalue), so `nodename=All_Traffic.Blocked_Traffic`
//! or `nodename=DNS` in a WHERE clause selects a child.

use crate::batch;
use crate::context::ExecContext;
use crate::datamodel::{Calculation, DataModel, Target};
use crate::error::{EngineError, Result};
use crate::eval::BoundExpr;
use crate::filter::{SearchFilter, SearchMode};
use crate::operator::demand::FieldSet;
use crate::source::pushdown::ColumnTest;
use crate::source::{DataKind, Dataset, ScanRequest, SourceMeta};
use crate::time::TimeRange;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray};

/// What the rows of one scan must satisfy: the time window, and the fields
/// later stages want (for the knowledge applied to events).
#[derive(Clone, Copy)]
struct Want<'a> {
    range: TimeRange,
    fields: &'a FieldSet,
    /// The default fields (`index`, `source`...) an export's rows get when
    /// they lack them: those among these names (`None`: all).
    defaults: Option<&'a [String]>,
}
use arrow_schema::{DataType, Field, Schema};
use spl_parser::ast::Command;
use spl_parser::Span;
use std::sync::Arc;

/// A calculation bound to the eval language or a lookup.
#[derive(Debug)]
enum BoundCalc {
    Eval {
        field: String,
        expr: BoundExpr,
    },
    Lookup {
        lookup: String,
        inputs: Vec<(String, String)>,
        outputs: Vec<(String, String)>,
    },
}

/// A data model dataset ready to produce rows.
#[derive(Debug)]
pub(crate) struct DataModelRows {
    target: Target,
    /// Per dataset of the model: the conjunction of its own constraints.
    constraints: Vec<Vec<SearchFilter>>,
    /// Per dataset of the model: its own calculations.
    calcs: Vec<Vec<BoundCalc>>,
    /// Add the `nodename` field.
    nodename: bool,
    span: Span,
}

/// Parses and binds one constraint search (`tag=process tag=report`).
fn bind_constraint(
    text: &str,
    model: &DataModel,
    ds: &str,
    ctx: &ExecContext,
) -> Result<SearchFilter> {
    let bad = |m: String| {
        EngineError::data(
            model.file.clone(),
            None,
            Some("constraints"),
            format!("dataset `{ds}`: in `{text}`: {m}"),
        )
    };
    let query = spl_parser::parse(&format!("search {text}")).map_err(|e| bad(e.to_string()))?;
    let stages = &query.pipeline.stages;
    let expr = match stages.first().map(|c| &c.command) {
        Some(Command::Search(s)) if stages.len() == 1 => s.expr.clone(),
        _ => return Err(bad("expected search terms without pipes".into())),
    };
    let (f, _) = SearchFilter::bind(expr.as_ref(), SearchMode::Events, ctx)
        .map_err(|e| bad(e.to_string()))?;
    Ok(f)
}

impl DataModelRows {
    /// Resolves `name` (`M` or `M.D`, written at `span`) and binds the
    /// constraints and calculations of every dataset it may read.
    pub(crate) fn bind(name: &str, span: Span, nodename: bool, ctx: &ExecContext) -> Result<Self> {
        let target = ctx
            .catalog
            .datamodels
            .resolve(name)
            .map_err(|m| EngineError::invalid(m, span, "unknown data model or dataset"))?;
        let model = target.model.clone();
        let mut constraints = Vec::with_capacity(model.datasets.len());
        let mut calcs = Vec::with_capacity(model.datasets.len());
        for d in &model.datasets {
            let mut cs = Vec::new();
            for c in &d.constraints {
                cs.push(bind_constraint(c, &model, &d.name, ctx)?);
            }
            constraints.push(cs);
            let mut bound = Vec::new();
            for c in &d.calculations {
                bound.push(match c {
                    Calculation::Eval { field, expression } => {
                        let bad = |m: String| {
                            EngineError::data(
                                model.file.clone(),
                                None,
                                Some("calculations"),
                                format!("dataset `{}`: in `{expression}`: {m}", d.name),
                            )
                        };
                        let e = spl_parser::parse_expr_at(expression, 0)
                            .map_err(|e| bad(e.to_string()))?;
                        BoundCalc::Eval {
                            field: field.clone(),
                            expr: BoundExpr::bind_value(&e, ctx).map_err(|e| bad(e.to_string()))?,
                        }
                    }
                    Calculation::Lookup {
                        lookup,
                        inputs,
                        outputs,
                    } => BoundCalc::Lookup {
                        lookup: lookup.clone(),
                        inputs: inputs.clone(),
                        outputs: outputs.clone(),
                    },
                    Calculation::Rex { .. } | Calculation::GeoIp { .. } => {
                        return Err(EngineError::data(
                            model.file.clone(),
                            None,
                            Some("calculations"),
                            format!(
                                "dataset `{}`: Rex and GeoIP calculations are not supported yet (use an Eval calculation)",
                                d.name
                            ),
                        ))
                    }
                });
            }
            calcs.push(bound);
        }
        Ok(DataModelRows {
            target,
            constraints,
            calcs,
            nodename,
            span,
        })
    }

    /// The model.
    pub(crate) fn model(&self) -> &DataModel {
        &self.target.model
    }

    /// Produces the rows within `range`, batch by batch (`out` returns
    /// false to stop).
    pub(crate) fn generate(
        &self,
        range: TimeRange,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        self.generate_fields(range, None, false, None, ctx, out)
    }

    /// The bare names of `wanted` (full or bare names) and of the fields
    /// the constraints read.
    fn bare_names(&self, wanted: &[String]) -> Vec<String> {
        let model = self.model();
        let lineages: Vec<String> = (0..model.datasets.len())
            .map(|d| model.lineage(d))
            .collect();
        let mut bare: Vec<String> = Vec::new();
        let mut add = |n: &str| {
            if !bare.iter().any(|x| x == n) {
                bare.push(n.to_string());
            }
        };
        for w in wanted {
            let b = lineages
                .iter()
                .filter_map(|l| w.strip_prefix(l.as_str()).and_then(|r| r.strip_prefix('.')))
                .min_by_key(|r| r.len())
                .unwrap_or(w);
            add(b);
        }
        for cs in &self.constraints {
            for f in cs {
                for n in f.fields() {
                    add(&n);
                }
            }
        }
        bare
    }

    /// The columns a scan must read so that the rows carry `wanted`
    /// (full or bare names): each name as written, bare, with the lineage
    /// of every dataset of the model, and as a JSON array (`x{}`), plus the
    /// fields the constraints read. Events with knowledge also read what
    /// the knowledge making these fields reads (`EventKnowledge::reads`).
    fn scan_columns(&self, wanted: &[String]) -> Vec<String> {
        let model = self.model();
        let lineages: Vec<String> = (0..model.datasets.len())
            .map(|d| model.lineage(d))
            .collect();
        let mut bare = self.bare_names(wanted);
        for n in ["_time", "index", "source", "sourcetype", "host"] {
            if !bare.iter().any(|x| x == n) {
                bare.push(n.to_string());
            }
        }
        let mut out = Vec::new();
        for b in &bare {
            out.push(b.clone());
            out.push(format!("{b}{{}}"));
            for l in &lineages {
                out.push(format!("{l}.{b}"));
                out.push(format!("{l}.{b}{{}}"));
            }
        }
        out
    }

    /// [`DataModelRows::generate`] reading only what `wanted` needs
    /// (`None`: every field). With `dictionary` (and `wanted` given), the
    /// rows of exports that run no calculation may carry string fields as
    /// `Dictionary(Int32, Utf8)` (where the file has them so), for callers
    /// that only filter and aggregate them (`tstats`), and leave out the
    /// default fields (`index`, `source`...) nobody wants. `pushdown` is a
    /// filter the caller applies to the rows afterwards: such exports may
    /// drop rows failing it while decoding ([`DataModelRows::column_tests`]).
    pub(crate) fn generate_fields(
        &self,
        range: TimeRange,
        wanted: Option<&[String]>,
        dictionary: bool,
        pushdown: Option<&SearchFilter>,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<()> {
        for s in self.scans(range, wanted, dictionary, pushdown, ctx)? {
            if !self.run_scan(&s, None, ctx, out)? {
                return Ok(());
            }
        }
        Ok(())
    }

    /// The scans [`DataModelRows::generate_fields`] runs, in order: each
    /// dataset that holds rows of each top dataset.
    pub(crate) fn scans<'c>(
        &self,
        range: TimeRange,
        wanted: Option<&[String]>,
        dictionary: bool,
        pushdown: Option<&SearchFilter>,
        ctx: &'c ExecContext,
    ) -> Result<Vec<RowScan<'c>>> {
        let knowledge = ctx.catalog.knowledge.is_some();
        let has_calcs = self.calcs.iter().any(|c| !c.is_empty());
        let columns = match wanted {
            // calculations may read any field
            Some(w) if !has_calcs => Some(self.scan_columns(w)),
            _ => None,
        };
        let req_all = ctx.scan_request(None, range);
        let req_some = ScanRequest {
            columns,
            ..req_all.clone()
        };
        // An export's rows run only the calculations of the datasets below
        // the export's (`Source::Export::chain`): without any, the scan
        // reads just the wanted columns, and may hand over dictionaries.
        let narrow_export = wanted.map(|w| ScanRequest {
            columns: Some(self.scan_columns(w)),
            dictionary_strings: dictionary,
            ..req_all.clone()
        });
        // the default fields such rows need (`None`: all)
        let defaults: Option<Vec<String>> = match wanted {
            Some(w) if dictionary => Some(self.bare_names(w)),
            _ => None,
        };
        let mut scans = Vec::new();
        for top in self.target.tops() {
            for ds in ctx.catalog.datasets.iter() {
                let Some(plan) = self.source_plan(ds, top, ctx)? else {
                    continue;
                };
                let export_req = match (&plan, &narrow_export) {
                    (Source::Export { chain, .. }, Some(r))
                        if chain.iter().all(|&d| self.calcs[d].is_empty()) =>
                    {
                        Some(r)
                    }
                    _ => None,
                };
                // events with knowledge read what the knowledge needs to
                // make the wanted fields (everything when calculations may
                // read any field)
                let wanted_set = match export_req.map_or(&req_some.columns, |r| &r.columns) {
                    Some(c) => FieldSet::Named(c.clone()),
                    None => FieldSet::All,
                };
                let req = match (export_req, &ds.kind, &ctx.catalog.knowledge) {
                    (Some(r), _, _) => r.clone(),
                    (None, DataKind::Events, Some(k)) if knowledge => ScanRequest {
                        columns: k
                            .reads(&wanted_set, None, ds.scan.raw_extracted())?
                            .columns(),
                        ..req_all.clone()
                    },
                    _ => req_some.clone(),
                };
                let tests = match (export_req, pushdown) {
                    (Some(_), Some(f)) => self.column_tests(f, ds, top),
                    _ => Vec::new(),
                };
                scans.push(RowScan {
                    ds,
                    plan,
                    top,
                    req,
                    wanted_set,
                    defaults: export_req.and(defaults.clone()),
                    tests,
                    range,
                });
            }
        }
        Ok(scans)
    }

    /// Runs scan `s` (`part`: one partition of it, else all), handing its
    /// rows to `out`; false when `out` stopped it.
    pub(crate) fn run_scan(
        &self,
        s: &RowScan<'_>,
        part: Option<usize>,
        ctx: &ExecContext,
        out: &mut dyn FnMut(RecordBatch) -> Result<bool>,
    ) -> Result<bool> {
        for b in s.ds.scan.scan_pushed(&s.req, part, &s.tests)? {
            let b = b?;
            ctx.scan.count_batch(b.num_rows());
            if b.num_rows() == 0 {
                continue;
            }
            let want = Want {
                range: s.range,
                fields: &s.wanted_set,
                defaults: s.defaults.as_deref(),
            };
            if let Some(rows) = self.rows(b, s.ds, &s.plan, s.top, want, ctx)? {
                if !out(rows)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The terms of `filter`'s top-level AND that an export's scan can test
    /// on one of its columns before decoding the others: a term reading one
    /// field (not `_time` nor `nodename`) that the rows of `top` carry as
    /// exactly one column of the file unchanged. Such a term fails a row
    /// exactly when it fails it on the rows made from the export (the same
    /// values under another name; the window, constraints and other terms
    /// are tests of the same rows), so dropping those rows early changes
    /// nothing. A field the file does not have (absent, or made by the
    /// default fields) is not pushed.
    fn column_tests(&self, filter: &SearchFilter, ds: &Dataset, top: usize) -> Vec<ColumnTest> {
        let model = self.model();
        let lineages = sorted_lineages(model);
        // the file columns whose rows' field is `bare` once prefixes are
        // stripped (`None`: the scan cannot tell)
        let columns_of = |bare: &str| -> Option<Vec<String>> {
            let mut candidates = vec![bare.to_string(), format!("{bare}{{}}")];
            for l in &lineages {
                candidates.push(format!("{l}{bare}"));
                candidates.push(format!("{l}{bare}{{}}"));
            }
            let mut found = Vec::new();
            for c in candidates {
                let stripped = bare_name(&c, &lineages).unwrap_or_else(|| c.clone());
                if stripped == bare && ds.scan.carries_known(&c)? {
                    found.push(c);
                }
            }
            Some(found)
        };
        // the full names `with_full_names` adds, first pair winning
        let mut full_names: Vec<(String, String)> = Vec::new();
        for d in model.subtree(top) {
            for (bare, full) in model.fields(d) {
                if bare != full && !full_names.iter().any(|(_, f)| *f == full) {
                    full_names.push((bare, full));
                }
            }
        }
        let mut tests = Vec::new();
        for term in filter.conjuncts() {
            let fields = term.fields();
            let [field] = fields.as_slice() else {
                continue;
            };
            if field == "_time" || field == "nodename" {
                continue;
            }
            // a column whose stripped name is `field` is the field; else a
            // full name is a copy of its bare field, when that is one column
            let Some(direct) = columns_of(field) else {
                continue;
            };
            let column = match direct.as_slice() {
                [one] => Some(one.clone()),
                [] => full_names
                    .iter()
                    .find(|(_, f)| f == field)
                    .filter(|(b, _)| b != "_time" && b != "nodename")
                    .and_then(|(b, _)| columns_of(b))
                    .and_then(|c| <[String; 1]>::try_from(c).ok())
                    .map(|[c]| c),
                // several columns coalesce into one field: not pushed
                _ => None,
            };
            let Some(column) = column else {
                continue;
            };
            let name = field.clone();
            tests.push(ColumnTest {
                column,
                test: Arc::new(move |col: &ArrayRef| {
                    let b = RecordBatch::try_new(
                        Arc::new(Schema::new(vec![Field::new(
                            &name,
                            col.data_type().clone(),
                            true,
                        )])),
                        vec![col.clone()],
                    )?;
                    term.evaluate_rows(&b)
                }),
            });
        }
        tests
    }

    /// How the rows of `ds` enter dataset `top`: `None` when they cannot.
    fn source_plan(&self, ds: &Dataset, top: usize, ctx: &ExecContext) -> Result<Option<Source>> {
        let model = self.model();
        match ds.kind {
            DataKind::Events => Ok(Some(Source::Events {
                chain: model.chain(top),
            })),
            DataKind::DataModel => {
                let Some(name) = ds.datamodel.as_deref() else {
                    return Ok(None);
                };
                let Ok(t) = ctx.catalog.datamodels.resolve(name) else {
                    return Err(EngineError::data(
                        ds.meta.source.clone(),
                        None,
                        Some("datamodel"),
                        format!(
                            "expected a data model dataset (M.D) in `datamodel={name}`, found none of that name"
                        ),
                    ));
                };
                if t.model.name != model.name {
                    return Ok(None);
                }
                // an export of the whole model holds rows of its roots
                let of = t.dataset;
                let inside = |d: usize| of.is_none_or(|x| model.chain(x).contains(&d));
                if inside(top) {
                    // the export's dataset is `top` or below it
                    Ok(Some(Source::Export {
                        chain: Vec::new(),
                        member: of.map(|x| model.chain(x)).unwrap_or_default(),
                    }))
                } else if let Some(x) = of.filter(|&x| model.chain(top).contains(&x)) {
                    // `top` is below the export's dataset: its constraints below `x`
                    let chain: Vec<usize> = model
                        .chain(top)
                        .into_iter()
                        .skip_while(|&d| d != x)
                        .skip(1)
                        .collect();
                    Ok(Some(Source::Export {
                        chain,
                        member: model.chain(x),
                    }))
                } else {
                    Ok(None)
                }
            }
            DataKind::Metrics => Ok(None),
        }
    }

    /// One scanned batch as rows of `top`; `None` when none is in it.
    fn rows(
        &self,
        b: RecordBatch,
        ds: &Dataset,
        plan: &Source,
        top: usize,
        want: Want<'_>,
        ctx: &ExecContext,
    ) -> Result<Option<RecordBatch>> {
        let Want {
            range,
            fields: wanted,
            defaults,
        } = want;
        let model = self.model();
        let (mut b, chain) = match plan {
            Source::Events { chain } => {
                let b = with_default_fields(&b, &ds.meta)?;
                let b = match &ctx.catalog.knowledge {
                    Some(k) => k.apply(b, wanted, ds.scan.raw_extracted(), ctx)?,
                    None => b,
                };
                (b, chain.clone())
            }
            Source::Export { chain, .. } => {
                let b = strip_prefixes(&b, model)?;
                let b = with_default_fields_of(&b, &ds.meta, &|n| {
                    defaults.is_none_or(|d| d.iter().any(|x| x == n))
                })?;
                (b, chain.clone())
            }
        };
        // the window first: constraints and calculations run on fewer rows
        b = in_window(&b, range)?;
        for &d in &chain {
            for f in &self.constraints[d] {
                if b.num_rows() == 0 {
                    return Ok(None);
                }
                let m = f.evaluate(&b, ctx)?;
                b = filter(&b, &m)?;
            }
            b = self.calculate(d, b, ctx)?;
        }
        if b.num_rows() == 0 {
            return Ok(None);
        }
        let node = if self.nodename {
            let known = match plan {
                Source::Events { chain } => chain.clone(),
                Source::Export { member, .. } => {
                    let mut m = member.clone();
                    m.extend(chain.iter().copied());
                    m
                }
            };
            Some(self.nodenames(&b, top, &known, ctx)?)
        } else {
            None
        };
        let mut b = with_full_names(&b, model, top)?;
        if let Some(n) = node {
            b = batch::set_column(&b, Field::new("nodename", n.data_type().clone(), true), n)?;
        }
        Ok(Some(b))
    }

    /// Runs dataset `d`'s own calculations, in order.
    fn calculate(&self, d: usize, mut b: RecordBatch, ctx: &ExecContext) -> Result<RecordBatch> {
        for c in &self.calcs[d] {
            b = match c {
                BoundCalc::Eval { field, expr } => {
                    let r = expr.eval_field(&b, ctx)?;
                    crate::value::with_column(&b, field, r.array, r.decimals)?
                }
                BoundCalc::Lookup {
                    lookup,
                    inputs,
                    outputs,
                } => {
                    let t = ctx.catalog.lookup_table(lookup, self.span)?;
                    t.apply(&b, inputs, Some(outputs), false)?
                }
            };
        }
        Ok(b)
    }

    /// The multivalue `nodename` of every row: the lineage of each dataset
    /// from the root to `top` (`known` members) and of each descendant of
    /// `top` whose constraints (and its parents') the row matches.
    fn nodenames(
        &self,
        b: &RecordBatch,
        top: usize,
        known: &[usize],
        ctx: &ExecContext,
    ) -> Result<ArrayRef> {
        let model = self.model();
        let rows = b.num_rows();
        let mut member: Vec<Option<Vec<bool>>> = vec![None; model.datasets.len()];
        for &d in known {
            member[d] = Some(vec![true; rows]);
        }
        let mut names: Vec<(usize, String)> = Vec::new();
        for &d in known.iter().chain(model.subtree(top).iter()) {
            if names.iter().any(|(x, _)| *x == d) {
                continue;
            }
            if member[d].is_none() {
                let parent = model.datasets[d]
                    .parent
                    .and_then(|p| member[p].clone())
                    .unwrap_or_else(|| vec![true; rows]);
                let mut m = parent;
                for f in &self.constraints[d] {
                    let e = f.evaluate(b, ctx)?;
                    for (i, v) in m.iter_mut().enumerate() {
                        *v = *v && e.is_valid(i) && e.value(i);
                    }
                }
                member[d] = Some(m);
            }
            names.push((d, model.lineage(d)));
        }
        let mut lb = ListBuilder::new(StringBuilder::new());
        for row in 0..rows {
            for (d, n) in &names {
                if member[*d].as_ref().is_some_and(|m| m[row]) {
                    lb.values().append_value(n);
                }
            }
            lb.append(true);
        }
        Ok(Arc::new(lb.finish()))
    }
}

/// Where a dataset's rows come from.
#[derive(Debug)]
enum Source {
    /// Events: the constraints of `chain` (root to the target) select them.
    Events { chain: Vec<usize> },
    /// An export: `member` are the datasets its rows are in already; the
    /// constraints of `chain` (below them, down to the target) still apply.
    Export {
        chain: Vec<usize>,
        member: Vec<usize>,
    },
}

/// One scan of a data model's rows ([`DataModelRows::scans`]): a dataset
/// read as rows of one top dataset, and how.
pub(crate) struct RowScan<'c> {
    ds: &'c Dataset,
    plan: Source,
    top: usize,
    req: ScanRequest,
    wanted_set: FieldSet,
    defaults: Option<Vec<String>>,
    /// Terms of the caller's filter the scan may test while decoding.
    tests: Vec<ColumnTest>,
    range: TimeRange,
}

impl RowScan<'_> {
    /// Its partitions (Parquet row groups...), units that workers may read
    /// in parallel ([`DataModelRows::run_scan`]).
    pub(crate) fn partitions(&self) -> usize {
        self.ds.scan.partitions(&self.req)
    }
}

fn filter(b: &RecordBatch, m: &BooleanArray) -> Result<RecordBatch> {
    Ok(arrow_select::filter::filter_record_batch(b, m)?)
}

/// The rows of `b` inside `range`.
pub(crate) fn in_window(b: &RecordBatch, range: TimeRange) -> Result<RecordBatch> {
    if range.is_all() {
        return Ok(b.clone());
    }
    filter(b, &time_mask(b, range)?)
}

/// `earliest <= _time < latest`; rows without `_time` are outside a bounded window.
fn time_mask(b: &RecordBatch, range: TimeRange) -> Result<BooleanArray> {
    let Some(t) = batch::column(b, "_time") else {
        return Ok(BooleanArray::from(vec![false; b.num_rows()]));
    };
    let t = arrow_cast::cast(t, &DataType::Float64)?;
    let t = t
        .as_any()
        .downcast_ref::<arrow_array::Float64Array>()
        .ok_or_else(|| EngineError::Internal("_time cast".into()))?;
    Ok(t.iter()
        .map(|v| Some(v.is_some_and(|v| range.contains(v))))
        .collect())
}

/// `index`, `source`, `sourcetype`, `host` from the dataset's metadata where
/// the rows carry none.
pub(crate) fn with_default_fields(b: &RecordBatch, meta: &SourceMeta) -> Result<RecordBatch> {
    with_default_fields_of(b, meta, &|_| true)
}

/// [`with_default_fields`] for the fields `keep` names only.
fn with_default_fields_of(
    b: &RecordBatch,
    meta: &SourceMeta,
    keep: &dyn Fn(&str) -> bool,
) -> Result<RecordBatch> {
    let mut out = b.clone();
    let rows = b.num_rows();
    for (name, value) in [
        ("index", Some(meta.index.as_str())),
        ("source", Some(meta.source.as_str())),
        ("sourcetype", Some(meta.sourcetype.as_str())),
        ("host", meta.host.as_deref()),
    ] {
        if let Some(v) = value.filter(|_| keep(name)) {
            if batch::column(&out, name).is_none() {
                let arr: ArrayRef = Arc::new(StringArray::from(vec![v; rows]));
                out = batch::set_column(&out, Field::new(name, DataType::Utf8, true), arr)?;
            }
        }
    }
    Ok(out)
}

/// Every dataset lineage of the model with a dot (`Processes.`), longest
/// first.
fn sorted_lineages(model: &DataModel) -> Vec<String> {
    let mut lineages: Vec<String> = (0..model.datasets.len())
        .map(|d| format!("{}.", model.lineage(d)))
        .collect();
    lineages.sort_by_key(|l| std::cmp::Reverse(l.len()));
    lineages
}

/// The bare name of an export's column `name` (`lineages` from
/// [`sorted_lineages`]): without the longest lineage that prefixes it, and
/// a JSON array `<name>{}` as `<name>`; `None` when it stays as it is.
fn bare_name(name: &str, lineages: &[String]) -> Option<String> {
    // a JSON array is read as `<name>{}` (Splunk's JSON field naming); in
    // an export it is the multivalue field `<name>`
    let (name, array) = match name.strip_suffix("{}") {
        Some(n) => (n, true),
        None => (name, false),
    };
    lineages
        .iter()
        .find(|l| name.starts_with(l.as_str()) && name.len() > l.len())
        .map(|l| name[l.len()..].to_string())
        .or_else(|| array.then(|| name.to_string()))
}

/// An export's columns by their bare names: `Processes.process_name` →
/// `process_name` (the longest dataset lineage of the model that prefixes
/// the name); a prefixed column wins over a bare one of the same name.
fn strip_prefixes(b: &RecordBatch, model: &DataModel) -> Result<RecordBatch> {
    let lineages = sorted_lineages(model);
    let schema = b.schema();
    let bare = |name: &str| bare_name(name, &lineages);
    let mut names: Vec<(String, bool)> = schema
        .fields()
        .iter()
        .map(|f| match bare(f.name()) {
            Some(n) => (n, true),
            None => (f.name().clone(), false),
        })
        .collect();
    if names.iter().all(|(_, p)| !p) {
        return Ok(b.clone());
    }
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    let mut done = vec![false; names.len()];
    for i in 0..names.len() {
        if done[i] {
            continue;
        }
        let (n, _) = &names[i];
        // every column of this name; prefixed ones win over bare ones
        let group: Vec<usize> = (i..names.len()).filter(|&j| names[j].0 == *n).collect();
        let any_prefixed = group.iter().any(|&j| names[j].1);
        let used: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&j| names[j].1 == any_prefixed)
            .collect();
        for &j in &group {
            done[j] = true;
        }
        let f = schema.field(used[0]);
        let col = if used.len() == 1 {
            b.column(used[0]).clone()
        } else {
            // `x` on some rows and `x{}` (an array) on others: one
            // multivalue field, the first present value per row
            coalesce(
                &used
                    .iter()
                    .map(|&j| b.column(j).clone())
                    .collect::<Vec<_>>(),
            )?
        };
        fields
            .push(Field::new(n, col.data_type().clone(), true).with_metadata(f.metadata().clone()));
        cols.push(col);
    }
    names.clear();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}

/// Row by row, the values of the first of `cols` that has the field, as
/// one multivalue column.
fn coalesce(cols: &[ArrayRef]) -> Result<ArrayRef> {
    let rows = cols.first().map_or(0, |c| c.len());
    let mut lb = ListBuilder::new(StringBuilder::new());
    for row in 0..rows {
        let mut valid = false;
        for c in cols {
            if let Some(vs) = batch::values_at(c, row)? {
                for v in vs {
                    lb.values().append_value(v);
                }
                valid = true;
                break;
            }
        }
        lb.append(valid);
    }
    Ok(Arc::new(lb.finish()))
}

/// Adds the full names of the fields of `top` and its descendants
/// (`Processes.process_name`): the same column under a second name.
fn with_full_names(b: &RecordBatch, model: &DataModel, top: usize) -> Result<RecordBatch> {
    let schema = b.schema();
    let mut fields: Vec<Arc<Field>> = schema.fields().iter().cloned().collect();
    let mut cols: Vec<ArrayRef> = b.columns().to_vec();
    let mut seen = std::collections::HashSet::new();
    for d in model.subtree(top) {
        for (bare, full) in model.fields(d) {
            if bare == full || !seen.insert(full.clone()) {
                continue;
            }
            if let Ok(i) = schema.index_of(&bare) {
                if schema.index_of(&full).is_err() {
                    let f = schema.field(i);
                    fields.push(Arc::new(
                        Field::new(&full, f.data_type().clone(), true)
                            .with_metadata(f.metadata().clone()),
                    ));
                    cols.push(b.column(i).clone());
                }
            }
        }
    }
    let opts = arrow_array::RecordBatchOptions::new().with_row_count(Some(b.num_rows()));
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        cols,
        &opts,
    )?)
}

/// The events of a data model dataset (`| datamodel M D search`,
/// `| from datamodel:M.D`), newest first as a search returns them: the
/// rows with their fields under their full names, in the search's window.
pub(crate) struct DatasetEventsOp {
    pub(crate) rows: DataModelRows,
    pub(crate) range: TimeRange,
    /// `flat` mode: only bare field names (no `Processes.` copies).
    pub(crate) flat: bool,
}

impl crate::operator::Operator for DatasetEventsOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut all = Vec::new();
        let model = self.rows.model().clone();
        self.rows.generate(self.range, ctx, &mut |b| {
            let b = if self.flat { bare_only(&b, &model)? } else { b };
            all.push(b);
            Ok(true)
        })?;
        if all.is_empty() {
            return Ok(vec![]);
        }
        // newest first, stable for equal times (the order read)
        let one = batch::concat_unified(&all)?;
        let Some(t) = batch::column(&one, "_time") else {
            return Ok(vec![one]);
        };
        let t = arrow_cast::cast(t, &DataType::Float64)?;
        let t = t
            .as_any()
            .downcast_ref::<arrow_array::Float64Array>()
            .ok_or_else(|| EngineError::Internal("_time cast".into()))?;
        let mut order: Vec<u32> = (0..one.num_rows() as u32).collect();
        // a stable sort: equal times keep the order read; no time sorts last
        let key = |i: u32| t.is_valid(i as usize).then(|| t.value(i as usize));
        order.sort_by(|&a, &b| match (key(a), key(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let idx = arrow_array::UInt32Array::from(order);
        let cols = one
            .columns()
            .iter()
            .map(|c| arrow_select::take::take(c.as_ref(), &idx, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(vec![RecordBatch::try_new(one.schema(), cols)?])
    }
}

/// `flat` mode: the full-name copies (`Processes.process_name`) dropped.
fn bare_only(b: &RecordBatch, model: &DataModel) -> Result<RecordBatch> {
    let lineages: Vec<String> = (0..model.datasets.len())
        .map(|d| format!("{}.", model.lineage(d)))
        .collect();
    let drop: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .filter(|n| lineages.iter().any(|l| n.starts_with(l.as_str())))
        .collect();
    let names: Vec<&str> = drop.iter().map(String::as_str).collect();
    batch::drop_columns(b, &names)
}
