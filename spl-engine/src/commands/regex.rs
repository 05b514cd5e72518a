//! `regex [<field>=|<field>!=]"<regex>"`: keeps results whose field matches
//! (or, with `!=`, does not match) a regular expression (PCRE,
//! [`crate::pcre`]); default field `_raw`.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{RowVals, Texts};
use crate::pcre::Pcre;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{BooleanArray, RecordBatch};
use spl_parser::ast::Regex;
use spl_parser::Span;

/// The `regex` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Keeps results whose field (default `_raw`) matches the regular expression; with `!=`, keeps those that do not match.",
    examples: &[
        Example {
            title: "keep matching values",
            spl: "| makeresults count=2 | streamstats count as n | eval p=if(n=1, \"cmd.exe /c\", \"notepad\") | regex p=\"(?i)cmd\\.exe\"",
        },
        Example {
            title: "drop matching values",
            spl: "| makeresults | eval p=\"notepad\" | regex p!=\"^cmd\"",
        },
    ],
    compat: "A result without the field is dropped by `=` and kept by `!=`. A multivalue field matches when any value matches.",
};

/// Plans `regex`.
pub(crate) fn plan(r: &Regex, _p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    Ok(Box::new(RegexOp {
        field: r
            .field
            .as_ref()
            .map(|f| f.node.clone())
            .unwrap_or_else(|| "_raw".into()),
        negate: r.negate,
        re: Pcre::compile(&r.regex.node, r.regex.span)?,
        span: r.regex.span,
    }))
}

struct RegexOp {
    field: String,
    negate: bool,
    re: Pcre,
    /// The regex in the query, for run-time errors.
    span: Span,
}

impl Operator for RegexOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let texts = Texts::of(&batch, &self.field)?;
        let mut keep = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            let hit = match texts.get(row) {
                RowVals::Null => None,
                vals => {
                    let mut any = false;
                    for s in vals.to_vec() {
                        if self.re.is_match(s).map_err(|e| e.at(self.span))? {
                            any = true;
                            break;
                        }
                    }
                    Some(any)
                }
            };
            keep.push(match hit {
                None => self.negate,
                Some(h) => h != self.negate,
            });
        }
        let mask = BooleanArray::from(keep);
        let out = arrow_select::filter::filter_record_batch(&batch, &mask)?;
        Ok(if out.num_rows() == 0 {
            vec![]
        } else {
            vec![out]
        })
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}
