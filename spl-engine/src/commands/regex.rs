//! `regex [<field>=|<field>!=]"<regex>"`: keeps results whose field matches
//! (or, with `!=`, does not match) a regular expression; default field `_raw`.

use super::args::{compile_regex, RowVals, Texts};
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{BooleanArray, RecordBatch};
use regex::Regex as Re;
use spl_parser::ast::{Regex, Stage};

/// The `regex` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "regex",
    aliases: &[],
    kind: CommandKind::Streaming,
    synopsis: "regex [<field>=|<field>!=]\"<regex>\"",
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
pub fn plan(r: &Regex, _stage: &Stage, _ctx: &ExecContext) -> Result<Box<dyn Operator>> {
    Ok(Box::new(RegexOp {
        field: r
            .field
            .as_ref()
            .map(|f| f.node.clone())
            .unwrap_or_else(|| "_raw".into()),
        negate: r.negate,
        re: compile_regex(&r.regex.node, r.regex.span)?,
    }))
}

struct RegexOp {
    field: String,
    negate: bool,
    re: Re,
}

impl Operator for RegexOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let texts = Texts::of(&batch, &self.field)?;
        let mask: BooleanArray = (0..batch.num_rows())
            .map(|row| {
                let hit = match texts.get(row) {
                    RowVals::Null => None,
                    RowVals::One(s) => Some(self.re.is_match(s)),
                    RowVals::Many(v) => Some(v.iter().any(|s| self.re.is_match(s))),
                };
                Some(match hit {
                    None => self.negate,
                    Some(h) => h != self.negate,
                })
            })
            .collect();
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
