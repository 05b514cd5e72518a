//! `return [<count>] [<alias>=<field>] [<field>] [$<field>]...`: turns the
//! first results into one `search` field for the enclosing search (Splunk's
//! "return" reference page): `field="value"`, `alias="value"`, or the bare
//! value for `$field`; several results become `(...) OR (...)`.

use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::quote_value;
use crate::ops::texts::Texts;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use spl_parser::ast::{Return, ReturnItem};
use std::sync::Arc;

/// The `return` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Returns values from a subsearch as one `search` field: `field=\"value\"` terms, joined with OR over `count` results (default 1).",
    examples: &[Example {
        title: "two users as search terms",
        spl: "| makeresults count=2 | streamstats count as n | eval user=\"u\".n | return 2 user",
    }],
    compat: "",
};

/// Plans `return`.
pub(crate) fn plan(r: &Return, _p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    Ok(Box::new(ReturnOp {
        count: r.count.map_or(1, |c| c as usize),
        items: r.items.clone(),
        terms: Vec::new(),
    }))
}

struct ReturnOp {
    count: usize,
    items: Vec<ReturnItem>,
    terms: Vec<String>,
}

impl Operator for ReturnOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        for row in 0..batch.num_rows() {
            if self.terms.len() >= self.count {
                break;
            }
            let mut parts = Vec::new();
            for item in &self.items {
                let (name, field, bare) = match item {
                    ReturnItem::Field(f) => (f.node.as_str(), f.node.as_str(), false),
                    ReturnItem::Alias { alias, field } => {
                        (alias.node.as_str(), field.node.as_str(), false)
                    }
                    ReturnItem::Value(f) => (f.node.as_str(), f.node.as_str(), true),
                };
                let texts = Texts::of(&batch, field)?;
                for v in texts.get(row).to_vec() {
                    parts.push(if bare {
                        v.to_string()
                    } else {
                        format!("{name}={}", quote_value(v))
                    });
                }
            }
            self.terms.push(parts.join(" "));
        }
        Ok(Vec::new())
    }

    fn satisfied(&self) -> bool {
        self.terms.len() >= self.count
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let terms: Vec<&String> = self.terms.iter().filter(|t| !t.is_empty()).collect();
        let search = match terms.len() {
            0 => String::new(),
            1 => terms[0].clone(),
            _ => terms
                .iter()
                .map(|t| format!("({t})"))
                .collect::<Vec<_>>()
                .join(" OR "),
        };
        let arr: ArrayRef = Arc::new(StringArray::from(vec![search]));
        Ok(vec![crate::batch::from_columns(
            vec![Field::new("search", DataType::Utf8, true)],
            vec![arr],
            1,
        )?])
    }
}
