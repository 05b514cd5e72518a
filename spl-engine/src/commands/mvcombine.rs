//! `mvcombine [delim=<string>] <field>`: merges results that are identical
//! except for one field into one result whose field holds all their values
//! (Splunk's "mvcombine" reference page).
//!
//! "Identical" compares every non-internal field other than the combined one;
//! internal fields (`_time`, `_raw`...) of the first result of a group are
//! kept. Output order is the order in which groups first appear.

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{build_texts, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::{RecordBatch, UInt32Array};
use indexmap::IndexMap;
use spl_parser::ast::Mvcombine;

/// The `mvcombine` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Combines results that differ only in one field into a single result with a multivalue field.",
    examples: &[Example {
        title: "combine ports per host",
        spl: "| makeresults count=3 | streamstats count as port | eval host=\"web\" | table host port | mvcombine port",
    }],
    compat: "`delim` is accepted and ignored: the combined field is always multivalue (Splunk uses it only for the single-value rendering).",
};

/// Plans `mvcombine`.
pub(crate) fn plan(m: &Mvcombine, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    // Only the single-value rendering uses `delim`; results stay multivalue.
    o.text("delim");
    Ok(Box::new(MvcombineOp {
        field: m.field.node.clone(),
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("mvcombine", p.stage.span),
    }))
}

struct MvcombineOp {
    field: String,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl Operator for MvcombineOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(Vec::new())
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(Vec::new());
        }
        let all = batch::concat_unified(&batches)?;
        let schema = all.schema();
        let key_cols: Vec<usize> = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.name().starts_with('_') && f.name() != &self.field)
            .map(|(i, _)| i)
            .collect();
        let texts = Texts::of(&all, &self.field)?;
        // key -> (first row, values)
        let mut groups: IndexMap<String, (u32, Vec<String>)> = IndexMap::new();
        for row in 0..all.num_rows() {
            let mut key = String::new();
            for &c in &key_cols {
                match batch::values_at(all.column(c), row)? {
                    None => key.push('\u{0}'),
                    Some(v) => key.push_str(&v.join("\u{1e}")),
                }
                key.push('\u{1f}');
            }
            let entry = groups
                .entry(key)
                .or_insert_with(|| (row as u32, Vec::new()));
            entry
                .1
                .extend(texts.get(row).to_vec().into_iter().map(str::to_string));
        }
        let firsts = UInt32Array::from(groups.values().map(|(r, _)| *r).collect::<Vec<_>>());
        let out = arrow_select::take::take_record_batch(&all, &firsts)?;
        if all.column_by_name(&self.field).is_none() {
            return Ok(vec![out]);
        }
        let values: Vec<Option<Vec<String>>> = groups
            .into_values()
            .map(|(_, v)| (!v.is_empty()).then_some(v))
            .collect();
        Ok(vec![with_column(
            &out,
            &self.field,
            build_texts(&values),
            None,
        )?])
    }
}
