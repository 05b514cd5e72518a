//! `rare`: the least common values, the mirror of `top` (same options and
//! operator, ascending counts).

use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::spec::{CommandKind, CommandSpec, Example};
use spl_parser::ast::Top;

/// The `rare` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Lists the least common values (combinations) of the fields with their count and percentage, per BY group.",
    examples: &[Example {
        title: "least common values",
        spl: "| makeresults count=5 | streamstats count as n | eval user=if(n<4, \"alice\", \"bob\") | rare user limit=1",
    }],
    compat: "Ties are ordered by value.",
};

/// Plans `rare`.
pub(crate) fn plan(t: &Top, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    crate::ops::frequency::plan_top_or_rare(t, p.opts, true, p.stage.span)
}
