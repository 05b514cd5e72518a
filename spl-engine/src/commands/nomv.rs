//! `nomv <field>`: a multivalue field becomes one value, its values joined
//! by newlines (Splunk's "nomv" reference page).
//!
//! This file is the worked example of ARCHITECTURE.md's "add a command"
//! recipe: its line in `spl_parser::for_each_command!` gives the grammar
//! (the shared `Args` one), the usage and the options; this file gives the
//! spec, the planner and the operator.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::{Operator, PlanCx};
use crate::ops::texts::{field_name, RowVals, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::{RecordBatch, StringArray};
use spl_parser::ast::Args;
use std::sync::Arc;

/// The `nomv` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description:
        "Converts the values of a multivalue field into one single value, separated by newlines.",
    examples: &[Example {
        title: "one value per result",
        spl: "| makeresults | eval hosts=split(\"a,b,c\", \",\") | nomv hosts",
    }],
    compat: "",
};

/// Plans `nomv`: exactly one field name, no wildcard.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let mut words = a.words.iter();
    let Some(field) = words.next() else {
        return Err(EngineError::invalid(
            "expected a field name, found none",
            p.stage.span,
            "`nomv` needs a field",
        ));
    };
    field_name(field, "a field name")?;
    if let Some(w) = words.next() {
        return Err(EngineError::invalid(
            format!("expected the end of the command, found `{}`", w.text.node),
            w.text.span,
            "`nomv` takes one field",
        ));
    }
    Ok(Box::new(NomvOp {
        field: field.text.node.clone(),
    }))
}

struct NomvOp {
    field: String,
}

impl Operator for NomvOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let texts = Texts::of(&batch, &self.field)?;
        // A single-valued (or absent) field is already what nomv makes; it
        // keeps its type and display precision.
        if !texts.is_list() {
            return Ok(vec![batch]);
        }
        let joined: StringArray = (0..batch.num_rows())
            .map(|row| match texts.get(row) {
                RowVals::Many(v) if !v.is_empty() => Some(v.join("\n")),
                RowVals::One(s) => Some(s.to_string()),
                _ => None,
            })
            .collect();
        Ok(vec![with_column(
            &batch,
            &self.field,
            Arc::new(joined),
            None,
        )?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
