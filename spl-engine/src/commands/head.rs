//! `head` (10.6) and `tail`.

use crate::context::ExecContext;
use crate::error::Result;
use crate::eval::BoundExpr;
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{Array, RecordBatch};
use spl_parser::ast::{Head, Tail};
use spl_parser::options::OptReader;

/// The `head` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "head",
    aliases: &[],
    kind: CommandKind::Streaming,
    synopsis: "head [<N> | limit=<N> | (<eval-expression>)] [keeplast=<bool>] [null=<bool>]",
    description:
        "Returns the first N results (default 10), or results until the expression is false.",
    examples: &[Example {
        title: "first two",
        spl: "| makeresults count=5 | head 2",
    }],
    compat: "",
    simple: None,
};

/// The `tail` command's metadata.
pub static TAIL_SPEC: CommandSpec = CommandSpec {
    name: "tail",
    aliases: &[],
    kind: CommandKind::Transforming,
    synopsis: "tail [<N>]",
    description: "Returns the last N results (default 10) in reverse order.",
    examples: &[Example {
        title: "last two",
        spl: "| makeresults count=5 | streamstats count as n | tail 2",
    }],
    compat: "",
    simple: None,
};

/// Plans `head`.
pub fn plan(h: &Head, o: &OptReader, ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    let limit = match h.limit {
        Some(n) => Some(n),
        None => o.count("limit")?.map(|(n, _)| n),
    };
    let expr = match &h.expr {
        Some(e) => Some(BoundExpr::bind(e, ctx)?),
        None => None,
    };
    Ok(Box::new(HeadOp {
        remaining: if expr.is_some() && limit.is_none() {
            usize::MAX
        } else {
            limit.unwrap_or(10) as usize
        },
        expr,
        keeplast: o.flag("keeplast")?,
        null_ok: o.flag("null")?,
        done: false,
    }))
}

struct HeadOp {
    remaining: usize,
    expr: Option<BoundExpr>,
    keeplast: bool,
    null_ok: bool,
    done: bool,
}

impl Operator for HeadOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.done || self.remaining == 0 {
            return Ok(vec![]);
        }
        let mut take = batch.num_rows().min(self.remaining);
        if let Some(e) = &self.expr {
            // A null result counts as false unless `null=true` (the predicate maps null to false).
            let truth = e.eval_predicate(&batch, ctx)?;
            let limit = take;
            if let Some(row) =
                (0..limit).find(|&row| !(truth.value(row) || (self.null_ok && truth.is_null(row))))
            {
                take = if self.keeplast { row + 1 } else { row };
                self.done = true;
            }
        }
        self.remaining -= take.min(self.remaining);
        Ok(if take == 0 {
            vec![]
        } else {
            vec![batch.slice(0, take)]
        })
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}

/// Plans `tail`.
pub fn plan_tail(t: &Tail) -> Box<dyn Operator> {
    Box::new(TailOp {
        n: t.limit.unwrap_or(10) as usize,
        buffered: Vec::new(),
    })
}

struct TailOp {
    n: usize,
    buffered: Vec<RecordBatch>,
}

impl Operator for TailOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.buffered.push(batch);
        Ok(vec![])
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(vec![]);
        }
        let all = crate::batch::concat_unified(&batches)?;
        let n = all.num_rows();
        let k = self.n.min(n);
        // Splunk's tail returns the last results in reverse order.
        let idx =
            arrow_array::UInt32Array::from((n - k..n).rev().map(|i| i as u32).collect::<Vec<_>>());
        let cols = all
            .columns()
            .iter()
            .map(|c| arrow_select::take::take(c, &idx, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(vec![RecordBatch::try_new(all.schema(), cols)?])
    }
}
