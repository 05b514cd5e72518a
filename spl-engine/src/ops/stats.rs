//! The machinery `stats`, `eventstats`, `streamstats`, `chart`, `timechart`
//! and `mstats` output share: aggregations bound to their arguments and
//! names ([`StatsSpec`]), grouped accumulators ([`Aggregator`]) and the
//! output batch.

use crate::aggregate::grouped::{new_group_acc, GroupAcc, Input, InputColumn, RowGroups};
use crate::aggregate::names::{arg_text, check_wildcard_alias, eval_needs_alias, Glob};
use crate::aggregate::sparkline::{new_spark_acc, SparkPlan};
use crate::aggregate::table::{sparkline_spellings, spec};
use crate::aggregate::timespan::TimeSpan;
use crate::aggregate::{sparkline_help, AggContext, AggFunc};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::eval::BoundExpr;
use crate::ops::groupby::{time_column, GroupTable};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{Field, Schema};
use indexmap::IndexMap;
use spl_parser::ast::{self, AggArg};
use spl_parser::options::OptReader;
use std::collections::HashMap;
use std::sync::Arc;

/// What an aggregation reads.
#[derive(Debug, Clone)]
pub(crate) enum BoundArg {
    /// Bare `count`.
    Rows,
    /// One field.
    Field(String),
    /// Every field matching a glob (`avg(*:*)`).
    Wildcard(Glob),
    /// `eval(<expr>)`.
    Eval(Box<BoundExpr>),
}

/// One bound aggregation.
#[derive(Debug, Clone)]
pub(crate) struct BoundAgg {
    pub(crate) func: AggFunc,
    pub(crate) arg: BoundArg,
    /// Output name for non-wildcard arguments.
    pub(crate) name: String,
    /// Function name as written, for wildcard default names.
    pub(crate) func_text: String,
    /// `AS` pattern of a wildcard aggregation.
    pub(crate) alias_glob: Option<Glob>,
    /// The bound `sparkline(...)` (with `func` the table's `sparkline`).
    pub(crate) spark: Option<SparkPlan>,
}

impl BoundAgg {
    /// Output name for a field matched by a wildcard argument.
    pub(crate) fn wildcard_name(&self, field: &str) -> Option<String> {
        let BoundArg::Wildcard(g) = &self.arg else {
            return None;
        };
        let caps = g.captures(field)?;
        Some(match (&self.alias_glob, &self.spark) {
            (Some(a), _) => a.substitute(&caps),
            (None, Some(p)) => format!("sparkline({})", sparkline_text(p, Some(field))),
            (None, None) => format!("{}({field})", self.func_text),
        })
    }

    /// A fresh accumulator for this aggregation.
    pub(crate) fn new_acc(&self) -> Box<dyn GroupAcc> {
        match &self.spark {
            Some(p) => new_spark_acc(p),
            None => new_group_acc(self.func),
        }
    }
}

/// The bound form of a `stats`-family command.
#[derive(Debug, Clone)]
pub(crate) struct StatsSpec {
    pub(crate) aggs: Vec<BoundAgg>,
    pub(crate) by: Vec<String>,
    pub(crate) dedup_splitvals: bool,
}

impl StatsSpec {
    /// Binds aggregations and BY fields (errors carry spans).
    pub(crate) fn bind(
        cmd: &ast::Stats,
        o: &OptReader,
        stage: &ast::Stage,
        ctx: &ExecContext,
    ) -> Result<StatsSpec> {
        if cmd.aggs.is_empty() {
            return Err(EngineError::invalid(
                format!(
                    "expected at least one aggregation in `{}`, found none",
                    stage.name.node
                ),
                stage.span,
                "no aggregation",
            ));
        }
        let mut aggs = Vec::with_capacity(cmd.aggs.len());
        let command = stage.name.node.to_ascii_lowercase();
        for agg in &cmd.aggs {
            aggs.push(bind_agg(agg, &command, ctx)?);
        }
        check_by(&cmd.by)?;
        if o.flag("allnum")? {
            if let Some(opt) = o.get("allnum") {
                return Err(EngineError::unsupported_option(o.command(), opt));
            }
        }
        // `partitions` only spreads the work over threads, and `delim` only
        // joins multivalue outputs for display (spl-semantics 5.1): results
        // are the same.
        o.count("partitions")?;
        o.text("delim");
        Ok(StatsSpec {
            aggs,
            by: cmd.by.iter().map(|b| b.node.clone()).collect(),
            dedup_splitvals: o.flag("dedup_splitvals")?,
        })
    }
}

pub(crate) fn bind_agg(agg: &ast::Agg, command: &str, ctx: &ExecContext) -> Result<BoundAgg> {
    if agg.func.node.eq_ignore_ascii_case("sparkline") {
        return bind_sparkline(agg, command, ctx);
    }
    let context = AggContext::of_command(command).unwrap_or(AggContext::Stats);
    let func = AggFunc::resolve(&agg.func.node, agg.func.span, context)?;
    let func_text = agg.func.node.clone();
    let alias = agg.alias.as_ref().map(|a| a.node.clone());
    let (arg, alias_glob) = match &agg.arg {
        None if func.takes_rows() => (BoundArg::Rows, None),
        None => {
            return Err(EngineError::invalid(
                format!("expected a field argument for `{func_text}`, found none"),
                agg.span,
                "needs a field",
            ))
        }
        Some(AggArg::Eval(e)) => {
            if alias.is_none() {
                return Err(eval_needs_alias(agg.span));
            }
            (BoundArg::Eval(Box::new(BoundExpr::bind(e, ctx)?)), None)
        }
        Some(AggArg::Field(f)) if f.node.contains('*') => {
            let g = Glob::new(&f.node);
            check_wildcard_alias(&g, agg.alias.as_ref())?;
            (
                BoundArg::Wildcard(g),
                agg.alias.as_ref().map(|a| Glob::new(&a.node)),
            )
        }
        Some(AggArg::Field(f)) => (BoundArg::Field(f.node.clone()), None),
        Some(AggArg::Sparkline(_)) => {
            return Err(EngineError::Internal(
                "sparkline arguments outside sparkline(...)".into(),
            ))
        }
    };
    let name = match (&alias, arg_text(agg)) {
        (Some(a), _) => a.clone(),
        (None, Some(t)) => format!("{func_text}({t})"),
        (None, None) => func_text.clone(),
    };
    Ok(BoundAgg {
        func,
        arg,
        name,
        func_text,
        alias_glob,
        spark: None,
    })
}

/// `sparkline`, `sparkline(count, 1h)`, `sparkline(avg(bytes), 5m)`: only in
/// the commands of its table entry (`stats` and `chart`, whose syntax has a
/// sparkline-agg-term).
pub(crate) fn bind_sparkline(agg: &ast::Agg, command: &str, ctx: &ExecContext) -> Result<BoundAgg> {
    let allowed = AggContext::of_command(command)
        .zip(spec("sparkline"))
        .is_some_and(|(c, s)| s.contexts.contains(&c));
    if !allowed {
        return Err(EngineError::InvalidArgument {
            message: format!("expected a statistical function in `{command}`, found `sparkline`"),
            span: agg.span,
            label: "sparkline is not available here".into(),
            help: Some(sparkline_help()),
        });
    }
    let (inner, field, span) = match &agg.arg {
        None => (
            AggFunc::resolve("count", agg.func.span, AggContext::Stats)?,
            None,
            None,
        ),
        Some(AggArg::Sparkline(s)) => {
            let lower = s.func.node.to_ascii_lowercase();
            if !sparkline_spellings().any(|f| f == lower) {
                return Err(EngineError::InvalidArgument {
                    message: format!(
                        "expected a sparkline function ({}), found `{}`",
                        sparkline_spellings().collect::<Vec<_>>().join(", "),
                        s.func.node
                    ),
                    span: s.func.span,
                    label: "not a sparkline function".into(),
                    help: None,
                });
            }
            let inner = AggFunc::resolve(&s.func.node, s.func.span, AggContext::Stats)?;
            if s.field.is_none() && !inner.takes_rows() {
                // "If the sparkline is not scoped to a field, only the count
                // aggregate function is permitted."
                return Err(EngineError::InvalidArgument {
                    message: format!(
                        "expected a field for `{}` in sparkline(...), found none",
                        s.func.node
                    ),
                    span: s.func.span,
                    label: "needs a field".into(),
                    help: Some(
                        "only count may go without a field: sparkline(count, 1h), sparkline(avg(bytes), 5m)"
                            .into(),
                    ),
                });
            }
            let span = match &s.span {
                None => None,
                Some(sp) => {
                    // a bare number is seconds
                    let text = if sp.node.bytes().all(|b| b.is_ascii_digit()) {
                        format!("{}s", sp.node)
                    } else {
                        sp.node.clone()
                    };
                    Some(TimeSpan::parse(&text, sp.span)?)
                }
            };
            (inner, s.field.as_ref(), span)
        }
        Some(_) => {
            return Err(EngineError::Internal(
                "sparkline without its argument form".into(),
            ))
        }
    };
    let text = match &agg.arg {
        Some(AggArg::Sparkline(s)) => {
            let mut t = s.func.node.clone();
            if let Some(f) = &s.field {
                t.push_str(&format!("({})", f.node));
            }
            if let Some(sp) = &s.span {
                t.push_str(&format!(",{}", sp.node));
            }
            t
        }
        _ => String::new(),
    };
    let plan = SparkPlan {
        inner,
        text,
        span,
        window: ctx.search,
        tz: ctx.tz.clone(),
    };
    let (arg, alias_glob) = match field {
        None => (BoundArg::Rows, None),
        Some(f) if f.node.contains('*') => {
            let g = Glob::new(&f.node);
            check_wildcard_alias(&g, agg.alias.as_ref())?;
            (
                BoundArg::Wildcard(g),
                agg.alias.as_ref().map(|a| Glob::new(&a.node)),
            )
        }
        Some(f) => (BoundArg::Field(f.node.clone()), None),
    };
    let name = match (&agg.alias, agg.arg.is_some()) {
        (Some(a), _) => a.node.clone(),
        (None, true) => format!("sparkline({})", plan.text),
        (None, false) => agg.func.node.clone(),
    };
    Ok(BoundAgg {
        func: AggFunc::sparkline()?,
        arg,
        name,
        func_text: agg.func.node.clone(),
        alias_glob,
        spark: Some(plan),
    })
}

/// The inside of a sparkline's default name, with `field` for a wildcard match.
pub(crate) fn sparkline_text(p: &SparkPlan, field: Option<&str>) -> String {
    match (field, p.text.find('(')) {
        (Some(f), Some(open)) => {
            let close = p.text.rfind(')').unwrap_or(p.text.len());
            format!(
                "{}({f}){}",
                &p.text[..open],
                &p.text[(close + 1).min(p.text.len())..]
            )
        }
        _ => p.text.clone(),
    }
}

/// Accumulators of one aggregation: one, or one per matched field.
pub(crate) enum AccSlot {
    One(Box<dyn GroupAcc>),
    Many(IndexMap<String, Box<dyn GroupAcc>>),
}

/// Grouping plus accumulators: the part `stats` and `eventstats` share.
pub(crate) struct Aggregator {
    pub(crate) spec: StatsSpec,
    pub(crate) table: GroupTable,
    pub(crate) slots: Vec<AccSlot>,
    seq: u64,
    needs_time: bool,
}

impl Aggregator {
    pub(crate) fn new(spec: StatsSpec) -> Self {
        let slots = spec
            .aggs
            .iter()
            .map(|a| match a.arg {
                BoundArg::Wildcard(_) => AccSlot::Many(IndexMap::new()),
                _ => AccSlot::One(a.new_acc()),
            })
            .collect();
        let needs_time = spec.aggs.iter().any(|a| a.func.needs_time());
        Aggregator {
            table: GroupTable::new(spec.by.clone(), spec.dedup_splitvals),
            spec,
            slots,
            seq: 0,
            needs_time,
        }
    }

    /// Estimated bytes of the group table and every accumulator (for the
    /// memory budget, `blocking_max_mem_mb`).
    pub(crate) fn heap_bytes(&self) -> usize {
        let mut total = self.table.heap_bytes();
        for slot in &self.slots {
            match slot {
                AccSlot::One(acc) => total = total.saturating_add(acc.heap_bytes()),
                AccSlot::Many(map) => {
                    for acc in map.values() {
                        total = total.saturating_add(acc.heap_bytes());
                    }
                }
            }
        }
        total
    }

    /// Groups the batch and feeds every aggregation; returns the row groups.
    pub(crate) fn push(&mut self, batch: &RecordBatch, ctx: &ExecContext) -> Result<RowGroups> {
        let rg = self.table.assign(batch)?;
        let n_groups = self.table.n_groups();
        let time = if self.needs_time {
            time_column(batch)?
        } else {
            None
        };
        let mut cache: HashMap<String, InputColumn> = HashMap::new();
        let schema = batch.schema();
        for (agg, slot) in self.spec.aggs.iter().zip(self.slots.iter_mut()) {
            let t = if agg.func.needs_time() {
                time.as_ref()
            } else {
                None
            };
            let seq_base = self.seq;
            let feed = |acc: &mut Box<dyn GroupAcc>, col: &InputColumn| {
                acc.update(
                    &Input {
                        col,
                        time: t,
                        seq_base,
                    },
                    &rg,
                    n_groups,
                )
            };
            match (&agg.arg, slot) {
                (BoundArg::Rows, AccSlot::One(acc)) => feed(acc, &InputColumn::Rows),
                (BoundArg::Field(f), AccSlot::One(acc)) => {
                    feed(acc, field_input(&mut cache, batch, f)?);
                }
                (BoundArg::Eval(e), AccSlot::One(acc)) => {
                    let arr = e.eval(batch, ctx)?;
                    feed(acc, &InputColumn::from_array(&arr)?);
                }
                (BoundArg::Wildcard(g), AccSlot::Many(map)) => {
                    for field in schema.fields() {
                        let name = field.name();
                        // internal `_` fields take part only when the pattern starts with `_`
                        if !g.covers(name) {
                            continue;
                        }
                        let acc = map.entry(name.clone()).or_insert_with(|| agg.new_acc());
                        feed(acc, field_input(&mut cache, batch, name)?);
                    }
                }
                _ => return Err(EngineError::Internal("aggregation slot mismatch".into())),
            }
        }
        self.seq += batch.num_rows() as u64;
        Ok(rg)
    }

    /// Whether two aggregators fed different rows merge into exactly what
    /// one fed all of them gives ([`Aggregator::merge`]): no wildcard
    /// argument, and functions whose states merge exactly whatever the
    /// split (counts, extremes, sets, and picks by processing order); not
    /// the floating-point sums (`sum`, `avg`, `var`...), whose last digits
    /// depend on the order of additions.
    pub(crate) fn merges_exactly(&self) -> bool {
        self.spec.aggs.iter().all(|a| {
            !matches!(a.arg, BoundArg::Wildcard(_))
                && !matches!(
                    a.func.spec().name,
                    "avg" | "stdev" | "stdevp" | "var" | "varp" | "sum" | "sumsq"
                )
        })
    }

    /// Sets the processing order key of the next row: a worker feeding
    /// scan unit `u` starts at `u << 40`, so that picks by processing
    /// order (`first`, `list`...) agree with one pass over the units.
    pub(crate) fn set_seq(&mut self, seq: u64) {
        self.seq = seq;
    }

    /// Adds what `other` (same spec, fed other rows) aggregated.
    pub(crate) fn merge(&mut self, other: Aggregator) -> Result<()> {
        let mapping = self.table.merge(&other.table);
        for (mine, theirs) in self.slots.iter_mut().zip(&other.slots) {
            match (mine, theirs) {
                (AccSlot::One(a), AccSlot::One(b)) => a.merge(b.as_ref(), &mapping)?,
                _ => {
                    return Err(EngineError::Internal(
                        "wildcard aggregations are not merged".into(),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Output columns of every aggregation in written order, one value per
    /// group id `0..n_groups` (wildcard matches in field-name order). A name
    /// produced twice keeps its first position and the later values.
    pub(crate) fn finish_columns(&mut self) -> Vec<(String, ArrayRef)> {
        let n = self.table.n_groups();
        let mut out: IndexMap<String, ArrayRef> = IndexMap::new();
        for (agg, slot) in self.spec.aggs.iter().zip(self.slots.iter_mut()) {
            match slot {
                AccSlot::One(acc) => {
                    out.insert(agg.name.clone(), acc.finish(n));
                }
                AccSlot::Many(map) => {
                    map.sort_keys();
                    for (field, acc) in map.iter_mut() {
                        if let Some(name) = agg.wildcard_name(field) {
                            out.insert(name, acc.finish(n));
                        }
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}

pub(crate) fn field_input<'c>(
    cache: &'c mut HashMap<String, InputColumn>,
    batch: &RecordBatch,
    field: &str,
) -> Result<&'c InputColumn> {
    if !cache.contains_key(field) {
        let col = match batch.column_by_name(field) {
            Some(a) => InputColumn::from_array(a)?,
            None => InputColumn::Missing,
        };
        cache.insert(field.to_string(), col);
    }
    cache
        .get(field)
        .ok_or_else(|| EngineError::Internal("input column cache".into()))
}

/// Assembles a batch from named columns (all nullable).
pub(crate) fn make_batch(cols: Vec<(String, ArrayRef)>, rows: usize) -> Result<RecordBatch> {
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, a)| Field::new(n, a.data_type().clone(), true))
        .collect();
    let arrays: Vec<ArrayRef> = cols.into_iter().map(|(_, a)| a).collect();
    let opts = arrow_array::RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &opts,
    )?)
}

/// BY names fields, never wildcard patterns (stats, tstats).
pub(crate) fn check_by(by: &[spl_parser::ast::FieldName]) -> Result<()> {
    match by.iter().find(|b| b.node.contains('*')) {
        Some(b) => Err(EngineError::invalid(
            format!(
                "expected a field name in BY, found the wildcard `{}`",
                b.node
            ),
            b.span,
            "wildcards are not allowed in BY",
        )),
        None => Ok(()),
    }
}
