//! `fromjson <field> [prefix=<string>]`: the keys of a JSON object held in
//! a field become fields (Splunk's "fromjson" reference page, Splunk 9.0+).
//!
//! Each top-level key of the object becomes a field named `<prefix><key>`
//! whose value is the key's value: a string unquoted, a number as written,
//! `true`/`false`/`null` as words, an array a multivalue field of its
//! elements, a nested object its JSON text as written. Extracted fields
//! replace the values a result had. A result whose field is absent or does
//! not hold one JSON object is left as it is.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{field_name, Extracted, Texts};
use crate::source::json_flatten::top_level_members;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Args;

/// The `fromjson` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Turns the top-level keys of the JSON object in a field into fields (named with an optional prefix): strings unquoted, numbers as written, arrays as multivalue fields, nested objects as JSON text.",
    examples: &[
        Example {
            title: "expand an object",
            spl: "| makeresults | eval object=\"{\\\"name\\\":\\\"Albert\\\",\\\"age\\\":63}\" | fromjson object | table name age object",
        },
        Example {
            title: "with a prefix; an array becomes a multivalue field",
            spl: "| makeresults | eval j=\"{\\\"user\\\":\\\"alice\\\",\\\"roles\\\":[\\\"admin\\\",\\\"dev\\\"],\\\"meta\\\":{\\\"id\\\":7}}\" | fromjson j prefix=j_ | table j_user j_roles j_meta",
        },
    ],
    compat: "Nested objects (and objects or arrays inside an array) keep the JSON text as written; JSON `null` gives the text `null`, as in JSON events; an empty array leaves the field absent on that result. Each value of a multivalue field is read, and a key found more than once collects all its values.",
};

/// Plans `fromjson`.
pub(crate) fn plan(a: &Args, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage) = (p.opts, p.stage);
    let prefix = o.text_or_default("prefix").unwrap_or_default();
    let mut words = a.words.iter();
    let Some(field) = words.next() else {
        return Err(EngineError::invalid(
            "expected a field name, found none",
            stage.span,
            "`fromjson` needs the field holding the JSON",
        ));
    };
    field_name(field, "a field name")?;
    if let Some(w) = words.next() {
        return Err(EngineError::invalid(
            format!("expected the end of the command, found `{}`", w.text.node),
            w.text.span,
            "fromjson reads one field",
        ));
    }
    Ok(Box::new(FromjsonOp {
        field: field.text.node.clone(),
        prefix,
    }))
}

struct FromjsonOp {
    field: String,
    prefix: String,
}

impl Operator for FromjsonOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name(&self.field).is_none() {
            return Ok(vec![batch]);
        }
        let texts = Texts::of(&batch, &self.field)?;
        let mut out = Extracted::new(batch.num_rows());
        let mut name = String::new();
        for row in 0..batch.num_rows() {
            for doc in texts.get(row).to_vec() {
                // Not one JSON object: the result keeps its fields.
                let Ok(members) = top_level_members(doc) else {
                    continue;
                };
                for (key, values) in members {
                    name.clear();
                    name.push_str(&self.prefix);
                    name.push_str(&key);
                    if name.is_empty() {
                        continue;
                    }
                    out.touch(row, &name);
                    for v in values {
                        out.push(row, &name, v.into_owned());
                    }
                }
            }
        }
        Ok(vec![out.write(batch)?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
