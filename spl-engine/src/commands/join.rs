//! `join [type=inner|left|outer] [max=N] [overwrite=bool] [fields] [subsearch]` (section 7).
//!
//! The subsearch is planned with the command (its errors carry their spans even
//! when the main search returns nothing) and runs once, before the first main
//! batch is joined, or at the end when there was none, so its run-time errors
//! are reported too. Each main row is matched by exact, case-sensitive string
//! equality on every join field; with `max=1` (the default) only the first
//! matching subsearch row is used. `left` and `outer` keep unmatched main rows.

use crate::batch::{self, row_key};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::PlanCx;
use crate::operator::{Operator, PlannedSearch};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, ArrayRef, RecordBatch, UInt32Array};
use arrow_schema::Field;
use spl_parser::ast::Join;
use std::collections::HashMap;

/// The `join` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Adds the fields of matching subsearch results to each result; max=1 uses only the first match.",
    examples: &[Example {
        title: "left join on a key",
        spl: "| makeresults | eval key=\"a\" | join type=left key [ | makeresults | eval key=\"a\", v=1 ]",
    }],
    compat: "`usetime=true`, `return_multivalue=true` and the `left=L right=R where` form are not supported yet; the subsearch is limited to 50,000 rows as in Splunk (limit `join_subsearch_maxout`, with Splunk's `Subsearch produced N results, truncating to maxout M` warning); one join outputs at most 10,000,000 results (limit `join_max_output`, an error).",
};

/// Plans `join`.
pub(crate) fn plan(j: &Join, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    let keep_unmatched = matches!(o.choice("type")?.as_deref(), Some("left" | "outer"));
    let max = o.count_or_default("max")?.unwrap_or(1) as usize;
    let overwrite = o.flag("overwrite")?;
    // Time-ordered matching and multivalue returns are not implemented; their
    // default (off) values are accepted.
    for name in ["usetime", "return_multivalue"] {
        if o.flag(name)? {
            if let Some(opt) = o.get(name) {
                return Err(EngineError::unsupported_option("join", opt));
            }
        }
    }
    o.flag("earlier")?;
    let sub_ops = ctx.planner.plan_search(&j.subsearch.pipeline, ctx)?;
    Ok(Box::new(JoinOp {
        keep_unmatched,
        max: if max == 0 { usize::MAX } else { max },
        overwrite,
        fields: j.fields.iter().map(|f| f.node.clone()).collect(),
        sub_ops,
        sub: None,
        span: p.stage.span,
        emitted: 0,
        mem: crate::limits::MemBudget::new("join", p.stage.span),
    }))
}

struct JoinOp {
    keep_unmatched: bool,
    max: usize,
    overwrite: bool,
    fields: Vec<String>,
    /// The planned subsearch, run by the first call of `right`.
    sub_ops: Box<dyn PlannedSearch>,
    sub: Option<RecordBatch>,
    /// The stage, for the fan-out limit's error.
    span: spl_parser::Span,
    /// Results output so far (`join_max_output`).
    emitted: usize,
    /// The subsearch's results, held for the whole search, plus each output
    /// batch before it is built, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl JoinOp {
    fn right(&mut self, ctx: &ExecContext) -> Result<RecordBatch> {
        if let Some(s) = &self.sub {
            return Ok(s.clone());
        }
        let out = self.sub_ops.run(ctx)?;
        let mut all = batch::concat_unified(&out)?;
        let maxout = crate::limits::Limits::usize(ctx.limits.join_subsearch_maxout);
        if all.num_rows() > maxout {
            crate::limits::truncated(
                &ctx.warnings,
                "join_subsearch_maxout",
                format!(
                    "join: Subsearch produced {} results, truncating to maxout {maxout}",
                    all.num_rows()
                ),
            );
            all = all.slice(0, maxout);
        }
        self.mem.hold(&all, &ctx.limits)?;
        self.sub = Some(all.clone());
        Ok(all)
    }
}

/// `a` where present else `b`, after unifying their types.
fn coalesce(a: &ArrayRef, b: &ArrayRef) -> Result<ArrayRef> {
    let t = batch::union_schema(&[
        batch::from_columns(
            vec![Field::new("x", a.data_type().clone(), true)],
            vec![a.clone()],
            a.len(),
        )?,
        batch::from_columns(
            vec![Field::new("x", b.data_type().clone(), true)],
            vec![b.clone()],
            b.len(),
        )?,
    ]);
    let dt = t.field(0).data_type().clone();
    let (a, b) = (batch::coerce_array(a, &dt)?, batch::coerce_array(b, &dt)?);
    let mask = arrow_arith::boolean::is_not_null(&a)?;
    Ok(arrow_select::zip::zip(&mask, &a, &b)?)
}

impl Operator for JoinOp {
    fn push(&mut self, main: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let sub = self.right(ctx)?;
        let fields: Vec<String> = if self.fields.is_empty() {
            main.schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .filter(|n| batch::column(&sub, n).is_some())
                .collect()
        } else {
            self.fields.clone()
        };
        let sub_cols: Option<Vec<&ArrayRef>> =
            fields.iter().map(|f| batch::column(&sub, f)).collect();
        let main_cols: Option<Vec<&ArrayRef>> =
            fields.iter().map(|f| batch::column(&main, f)).collect();
        let mut index: HashMap<String, Vec<u32>> = HashMap::new();
        if let (Some(sc), false) = (&sub_cols, fields.is_empty()) {
            for row in 0..sub.num_rows() {
                if let Some(k) = row_key(sc, row)? {
                    index.entry(k).or_default().push(row as u32);
                }
            }
        }
        let mut left_idx: Vec<u32> = Vec::new();
        let mut right_idx: Vec<Option<u32>> = Vec::new();
        // `max=0` on a shared key multiplies the sides: bound the output
        // before it is built, not after.
        let max_out = crate::limits::Limits::usize(ctx.limits.join_max_output);
        let budget = max_out.saturating_sub(self.emitted);
        let too_many = || {
            crate::limits::exceeded(
                "join_max_output",
                ctx.limits.join_max_output,
                format!("join output more than {max_out} results"),
                self.span,
            )
        };
        for row in 0..main.num_rows() {
            if left_idx.len() > budget {
                return Err(too_many());
            }
            let key = match &main_cols {
                Some(mc) if !fields.is_empty() => row_key(mc, row)?,
                _ => None,
            };
            let matches = key.as_ref().and_then(|k| index.get(k));
            match matches {
                Some(m) => {
                    for r in m.iter().take(self.max.min(budget + 1)) {
                        left_idx.push(row as u32);
                        right_idx.push(Some(*r));
                    }
                }
                None if self.keep_unmatched => {
                    left_idx.push(row as u32);
                    right_idx.push(None);
                }
                None => {}
            }
        }
        if left_idx.len() > budget {
            return Err(too_many());
        }
        if left_idx.is_empty() {
            return Ok(vec![]);
        }
        // the output's size from the average row of each side, checked
        // before it is built (a key shared by many rows multiplies them)
        let per_row = |b: &RecordBatch| crate::limits::batch_bytes(b) / b.num_rows().max(1);
        let (main_row, sub_row) = (per_row(&main), per_row(&sub));
        self.mem.check(
            left_idx.len().saturating_mul(main_row + sub_row),
            &ctx.limits,
        )?;
        self.emitted += left_idx.len();
        let li = UInt32Array::from(left_idx);
        let ri = UInt32Array::from(right_idx);
        let rows = li.len();
        let mut out_fields: Vec<Field> = Vec::new();
        let mut out_cols: Vec<ArrayRef> = Vec::new();
        let main_schema = main.schema();
        for (f, c) in main_schema.fields().iter().zip(main.columns()) {
            out_fields.push(f.as_ref().clone());
            out_cols.push(arrow_select::take::take(c, &li, None)?);
        }
        let sub_schema = sub.schema();
        for (f, c) in sub_schema.fields().iter().zip(sub.columns()) {
            if fields.contains(f.name()) {
                continue;
            }
            let taken = arrow_select::take::take(c, &ri, None)?;
            match out_fields.iter().position(|o| o.name() == f.name()) {
                Some(i) => {
                    let merged = if self.overwrite {
                        coalesce(&taken, &out_cols[i])?
                    } else {
                        coalesce(&out_cols[i], &taken)?
                    };
                    out_fields[i] = Field::new(f.name(), merged.data_type().clone(), true);
                    out_cols[i] = merged;
                }
                None => {
                    out_fields.push(f.as_ref().clone().with_nullable(true));
                    out_cols.push(taken);
                }
            }
        }
        Ok(vec![batch::from_columns(out_fields, out_cols, rows)?])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        // No main rows: the result is empty, but the subsearch still runs (as
        // in Splunk, where it runs first) so that its errors are reported.
        self.right(ctx)?;
        Ok(vec![])
    }
}
