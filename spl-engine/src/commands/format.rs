//! `format [mvsep=] [maxresults=] [emptystr=] ["<row prefix>" "<column
//! prefix>" "<column separator>" "<column end>" "<row separator>" "<row
//! end>"]`: turns the results into one `search` field, by default
//! `( ( a="1" AND b="2" ) OR ( a="3" AND b="4" ) )` (Splunk's "format"
//! reference page). Internal `_` fields are ignored; a multivalue field
//! becomes `( f="x" OR f="y" )` with `mvsep`.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::quote_value;
use crate::ops::texts::Texts;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::Format;
use std::sync::Arc;

/// The `format` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Formats the results as one search string in a `search` field: ( ( a=\"1\" AND b=\"2\" ) OR ( ... ) ).",
    examples: &[Example {
        title: "results as a search",
        spl: "| makeresults count=2 | streamstats count as n | eval host=\"h\".n | table host n | format",
    }],
    compat: "",
};

/// Plans `format`.
pub(crate) fn plan(f: &Format, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage) = (p.opts, p.stage);
    if o.flag("quote")? {
        if let Some(opt) = o.get("quote") {
            return Err(EngineError::unsupported_option("format", opt));
        }
    }
    let parts: [String; 6] =
        match f.args.len() {
            0 => ["(", "(", "AND", ")", "OR", ")"].map(str::to_string),
            6 => std::array::from_fn(|i| f.args.get(i).map(|a| a.node.clone()).unwrap_or_default()),
            n => return Err(EngineError::invalid(
                format!("expected 0 or 6 format strings, found {n}"),
                f.args.first().map_or(stage.span, |a| a.span),
                "row prefix, column prefix, column separator, column end, row separator, row end",
            )),
        };
    Ok(Box::new(FormatOp {
        parts,
        mvsep: o.text_or_default("mvsep").unwrap_or_default(),
        maxresults: match o.count_or_default("maxresults")? {
            Some(0) | None => usize::MAX,
            Some(n) => n as usize,
        },
        emptystr: o.text_or_default("emptystr").unwrap_or_default(),
        rows: Vec::new(),
    }))
}

struct FormatOp {
    parts: [String; 6],
    mvsep: String,
    maxresults: usize,
    emptystr: String,
    rows: Vec<String>,
}

impl Operator for FormatOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let [_, col_pre, col_sep, col_end, _, _] = &self.parts;
        let schema = batch.schema();
        let mut cols = Vec::new();
        for f in schema.fields() {
            if !f.name().starts_with('_') {
                cols.push((f.name().clone(), Texts::of(&batch, f.name())?));
            }
        }
        // fields in name order, as the reference's example prints them
        cols.sort_by(|a, b| a.0.cmp(&b.0));
        for row in 0..batch.num_rows() {
            if self.rows.len() >= self.maxresults {
                break;
            }
            let mut terms = Vec::new();
            for (name, texts) in &cols {
                let vals = texts.get(row).to_vec();
                let t: Vec<String> = vals
                    .iter()
                    .map(|v| format!("{name}={}", quote_value(v)))
                    .collect();
                match t.len() {
                    0 => {}
                    1 => terms.extend(t),
                    _ => terms.push(format!("( {} )", t.join(&format!(" {} ", self.mvsep)))),
                }
            }
            if !terms.is_empty() {
                self.rows.push(format!(
                    "{col_pre} {} {col_end}",
                    terms.join(&format!(" {col_sep} "))
                ));
            }
        }
        Ok(Vec::new())
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let [row_pre, _, _, _, row_sep, row_end] = &self.parts;
        let search = if self.rows.is_empty() {
            self.emptystr.clone()
        } else {
            format!(
                "{row_pre} {} {row_end}",
                self.rows.join(&format!(" {row_sep} "))
            )
        };
        let arr: ArrayRef = Arc::new(StringArray::from(vec![search]));
        Ok(vec![crate::batch::from_columns(
            vec![Field::new("search", DataType::Utf8, true)],
            vec![arr],
            1,
        )?])
    }
}
