//! `delta <field> [AS <newfield>] [p=<int>]`: the difference between a
//! result's value of a numeric field and the value `p` results before it,
//! in search order (Splunk's "delta" reference page).
//!
//! The difference goes to `newfield` (default `delta(<field>)`). It is
//! written only when both results have a number in the field; the first `p`
//! results, and results whose partner `p` back is absent or not a number,
//! are left as they are. Every result counts as a position, whether or not
//! it has the field ("how many results prior to the current result").

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{field_as, field_numbers, write_numbers, Num};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Args;
use std::collections::VecDeque;

/// The `delta` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Writes the difference between each result's value of a numeric field and the value p results before it (default 1), in search order, into newfield (default `delta(<field>)`).",
    examples: &[
        Example {
            title: "change in bytes from the previous result",
            spl: "index=main | delta bytes AS change | table _time bytes change",
        },
        Example {
            title: "compare with two results back",
            spl: "| makeresults count=5 | streamstats count AS n | eval v=n*n | delta v p=2",
        },
    ],
    compat: "Every result counts as a position, with or without a number in the field. A multivalue field contributes its first value. `p=0` is an error. The difference displays with the more decimals of its two operands (`2.5` and `1.25` give `1.25`).",
};

/// Plans `delta`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage) = (p.opts, p.stage);
    let p = match o.count("p")? {
        Some((0, span)) => {
            return Err(EngineError::invalid(
                "expected a whole number >= 1 for `p`, found `0`",
                span,
                "invalid `p`",
            ))
        }
        Some((n, _)) => n,
        None => o.count_or_default("p")?.unwrap_or(1),
    };
    let (field, newfield) = field_as(a, stage, "delta")?;
    let field = field.text.node.clone();
    let out = newfield.map_or_else(|| format!("delta({field})"), |n| n.text.node.clone());
    Ok(Box::new(DeltaOp {
        field,
        out,
        p: usize::try_from(p).unwrap_or(usize::MAX),
        history: VecDeque::new(),
    }))
}

struct DeltaOp {
    field: String,
    out: String,
    p: usize,
    /// The last `p` results' numbers, oldest first.
    history: VecDeque<Option<Num>>,
}

impl Operator for DeltaOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let nums = field_numbers(&batch, &self.field)?;
        let mut deltas = Vec::with_capacity(nums.len());
        for x in nums {
            let back = if self.history.len() == self.p {
                self.history.pop_front().flatten()
            } else {
                None
            };
            deltas.push(x.zip(back).map(|(x, b)| Num {
                v: x.v - b.v,
                dec: Num::wider(x.dec, b.dec),
            }));
            self.history.push_back(x);
        }
        Ok(vec![write_numbers(&batch, &self.out, &deltas)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
