//! `multisearch [<search>] [<search>]...`: runs several searches together
//! and merges their events by time (Splunk's "multisearch" reference page).

use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::PlanCx;
use crate::operator::{Operator, PlannedSearch};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, RecordBatch, UInt32Array};
use spl_parser::ast::Multisearch;

/// The `multisearch` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Generating,
    description: "Runs two or more searches and merges their results, newest first by `_time`.",
    examples: &[Example {
        title: "two generated searches",
        spl: "| multisearch [ | makeresults | eval s=\"a\" ] [ | makeresults | eval s=\"b\" ]",
    }],
    compat: "The subsearches are not checked to be streaming-only.",
};

/// Plans `multisearch`.
pub(crate) fn plan(m: &Multisearch, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (stage, ctx) = (p.stage, p.ctx);
    if m.subsearches.len() < 2 {
        return Err(EngineError::invalid(
            format!(
                "expected at least two subsearches, found {}",
                m.subsearches.len()
            ),
            stage.span,
            "multisearch needs two or more searches",
        ));
    }
    // planned now, so every subsearch's errors surface before anything runs
    let subs = m
        .subsearches
        .iter()
        .map(|s| ctx.planner.plan_search(&s.pipeline, ctx))
        .collect::<Result<Vec<_>>>()?;
    Ok(Box::new(MultisearchOp { subs }))
}

struct MultisearchOp {
    /// The planned subsearches.
    subs: Vec<Box<dyn PlannedSearch>>,
}

impl Operator for MultisearchOp {
    fn push(&mut self, _batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let mut all = Vec::new();
        for s in &mut self.subs {
            all.extend(s.run(ctx)?);
        }
        if all.is_empty() {
            return Ok(Vec::new());
        }
        let merged = batch::concat_unified(&all)?;
        let Some(times) = crate::ops::groupby::time_column(&merged)? else {
            return Ok(vec![merged]);
        };
        // newest first; stable, so equal times keep subsearch order
        let mut idx: Vec<u32> = (0..merged.num_rows() as u32).collect();
        idx.sort_by(|&a, &b| {
            let t = |i: u32| {
                let i = i as usize;
                times.is_valid(i).then(|| times.value(i))
            };
            match (t(a), t(b)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        });
        let take = UInt32Array::from(idx);
        Ok(vec![arrow_select::take::take_record_batch(&merged, &take)?])
    }
}
