//! `accum <field> [AS <newfield>]`: the running total of a numeric field
//! (Splunk's "accum" reference page).
//!
//! Results are summed in search order. A result where the field is a number
//! gets the total so far, written over the field or into `newfield`; a
//! result where it is absent or not a number is left as it is and adds
//! nothing ("for each event where field is a number").

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{field_as, field_numbers, write_numbers, Num};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Args;

/// The `accum` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "For each result where the field is a number, writes the running total of the field so far (over the field, or into newfield). Other results are left unchanged.",
    examples: &[
        Example {
            title: "running total of bytes, oldest first",
            spl: "index=main | reverse | accum bytes AS total_bytes | table _time bytes total_bytes",
        },
        Example {
            title: "replace a field with its running total",
            spl: "| makeresults count=4 | streamstats count AS n | accum n",
        },
    ],
    compat: "A multivalue field contributes its first value. The total displays with the most decimals among the values summed so far (`0.1` then `0.2` gives `0.3`, `1.5` then `2.25` gives `3.75`), full precision once a value without a display precision takes part.",
};

/// Plans `accum`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let stage = p.stage;
    let (field, newfield) = field_as(a, stage, "accum")?;
    let field = field.text.node.clone();
    let out = newfield.map_or_else(|| field.clone(), |n| n.text.node.clone());
    Ok(Box::new(AccumOp {
        field,
        out,
        total: None,
    }))
}

struct AccumOp {
    field: String,
    out: String,
    /// The total so far, with its display decimals; `None` before the first
    /// number.
    total: Option<Num>,
}

impl Operator for AccumOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let nums = field_numbers(&batch, &self.field)?;
        let totals: Vec<Option<Num>> = nums
            .into_iter()
            .map(|x| {
                let x = x?;
                let t = match self.total {
                    None => x,
                    Some(t) => Num {
                        v: t.v + x.v,
                        dec: Num::wider(t.dec, x.dec),
                    },
                };
                self.total = Some(t);
                Some(t)
            })
            .collect();
        Ok(vec![write_numbers(&batch, &self.out, &totals)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
