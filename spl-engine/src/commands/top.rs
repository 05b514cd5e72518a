//! `top` and `rare`: the most / least common value combinations of fields,
//! with their count and percentage (Splunk's "top"/"rare" reference pages).
//!
//! Counting is `stats count BY <by> <fields>` over the shared [`GroupTable`]
//! (multivalue fields count each value; rows missing a field are skipped).
//! Within each BY group, combinations are ordered by count (descending for
//! `top`, ascending for `rare`), ties in value order, and cut to `limit`
//! (default 10, 0 = all). `percent` is the share of the BY group's counted
//! rows, shown with 6 decimals.

use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::frequency::plan_top_or_rare;
use crate::spec::{CommandKind, CommandSpec, Example};
use spl_parser::ast::Top;

/// The `top` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Lists the most common values (combinations) of the fields with their count and percentage, per BY group.",
    examples: &[Example {
        title: "most common values",
        spl: "| makeresults count=5 | streamstats count as n | eval user=if(n<4, \"alice\", \"bob\") | top user",
    }],
    compat: "Ties are ordered by value.",
};

/// Plans `top`.
pub(crate) fn plan(t: &Top, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    plan_top_or_rare(t, p.opts, false, p.stage.span)
}
