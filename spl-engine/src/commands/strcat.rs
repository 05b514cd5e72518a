//! `strcat [allrequired=<bool>] <source>... <dest>`: concatenates field
//! values and quoted strings into the last field (Splunk's "strcat"
//! reference page).
//!
//! A source field absent from a result contributes the empty string; with
//! `allrequired=t` such a result is left as it is (its destination is not
//! written).

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{field_name, RowVals, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Args;

/// The `strcat` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Concatenates the values of the source fields and quoted strings, in order, into the destination field (the last argument). A missing source field counts as the empty string; with allrequired=t the destination is written only on results that have every source field.",
    examples: &[
        Example {
            title: "host and user joined by a slash",
            spl: "index=main | strcat host \"/\" user who | table host user who",
        },
        Example {
            title: "only when every field exists",
            spl: "| makeresults | eval a=\"x\" | strcat allrequired=t a \"-\" b both | strcat a \"-\" b any",
        },
    ],
    compat: "A multivalue source field contributes its first value; a number its display form.",
};

/// Plans `strcat`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage) = (p.opts, p.stage);
    let all_required = o.flag("allrequired")?;
    let Some((dest, sources)) = a.words.split_last() else {
        return Err(EngineError::invalid(
            "expected source fields or quoted strings and a destination field, found none",
            stage.span,
            "`strcat` needs a destination field",
        ));
    };
    if dest.quoted {
        return Err(EngineError::invalid(
            format!(
                "expected a destination field name as the last argument, found the string \"{}\"",
                dest.text.node
            ),
            dest.text.span,
            "the last argument names the destination",
        ));
    }
    field_name(dest, "a destination field name")?;
    if sources.is_empty() {
        return Err(EngineError::invalid(
            format!(
                "expected a source field or quoted string before the destination `{}`, found none",
                dest.text.node
            ),
            dest.text.span,
            "nothing to concatenate",
        ));
    }
    let mut parts = Vec::with_capacity(sources.len());
    for w in sources {
        if w.quoted {
            parts.push(Part::Text(w.text.node.clone()));
        } else {
            field_name(w, "a source field name or a quoted string")?;
            parts.push(Part::Field(w.text.node.clone()));
        }
    }
    Ok(Box::new(StrcatOp {
        parts,
        dest: dest.text.node.clone(),
        all_required,
    }))
}

enum Part {
    Field(String),
    Text(String),
}

struct StrcatOp {
    parts: Vec<Part>,
    dest: String,
    all_required: bool,
}

impl Operator for StrcatOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let texts = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Field(f) => Texts::of(&batch, f).map(Some),
                Part::Text(_) => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        let rows: Vec<Option<Vec<String>>> = (0..batch.num_rows())
            .map(|row| {
                let mut s = String::new();
                for (part, t) in self.parts.iter().zip(&texts) {
                    match (part, t) {
                        (Part::Text(lit), _) => s.push_str(lit),
                        (Part::Field(_), Some(t)) => match t.get(row) {
                            RowVals::One(v) => s.push_str(v),
                            RowVals::Many(v) if !v.is_empty() => {
                                s.push_str(v.first().copied().unwrap_or_default())
                            }
                            _ if self.all_required => return None,
                            _ => {}
                        },
                        (Part::Field(_), None) => {}
                    }
                }
                Some(vec![s])
            })
            .collect();
        Ok(vec![crate::ops::texts::merge_into(
            &batch, &self.dest, rows,
        )?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
