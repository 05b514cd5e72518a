//! `replace <wc-string> WITH <wc-string> [, ...] [IN <field-list>]`: replaces
//! whole field values (Splunk's "replace" reference page).
//!
//! A pattern matches an entire value (case-sensitive); `*` matches any run
//! of characters and the text it matched is substituted for the `*`s of the
//! replacement in order. The first matching pair wins. Without `IN`, every
//! non-internal field is considered.

use crate::batch::{substitute_wildcards, wildcard_match};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{build_texts, wildcard_fields, RowVals, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::RecordBatch;
use spl_parser::ast::Replace;

/// The `replace` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Replaces field values that equal a (wildcard) pattern; `*` in the replacement stands for the text the pattern's `*` matched.",
    examples: &[
        Example {
            title: "map codes to text",
            spl: "| makeresults | eval OperationType=\"%%14674\" | replace \"%%14674\" with \"Value Added\", \"%%14675\" with \"Value Deleted\" in OperationType",
        },
        Example {
            title: "strip a prefix with wildcards",
            spl: "| makeresults | eval src=\"::ffff:10.0.0.1\" | replace \"::ffff:*\" with * in src",
        },
    ],
    compat: "",
};

/// Plans `replace`.
pub(crate) fn plan(r: &Replace, _p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let mut pairs = Vec::with_capacity(r.pairs.len());
    for p in &r.pairs {
        let n_from = p.from.node.matches('*').count();
        let n_to = p.to.node.matches('*').count();
        if n_to > n_from {
            return Err(EngineError::invalid(
                format!("expected at most {n_from} wildcard(s) in the replacement, found {n_to}"),
                p.to.span,
                "more wildcards than the pattern",
            ));
        }
        pairs.push((p.from.node.clone(), p.to.node.clone()));
    }
    Ok(Box::new(ReplaceOp {
        pairs,
        fields: r.fields.iter().map(|f| f.node.clone()).collect(),
    }))
}

struct ReplaceOp {
    pairs: Vec<(String, String)>,
    fields: Vec<String>,
}

impl ReplaceOp {
    fn replace_value(&self, v: &str) -> Option<String> {
        self.pairs.iter().find_map(|(from, to)| {
            let caps = wildcard_match(from, v)?;
            Some(substitute_wildcards(to, &caps))
        })
    }
}

impl Operator for ReplaceOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let names: Vec<String> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let targets: Vec<String> = if self.fields.is_empty() {
            names
                .iter()
                .filter(|n| !n.starts_with('_'))
                .cloned()
                .collect()
        } else {
            let mut t = Vec::new();
            for f in &self.fields {
                for n in wildcard_fields(&names, f) {
                    if !t.contains(&n) {
                        t.push(n);
                    }
                }
            }
            t
        };
        let mut batch = batch;
        for name in targets {
            let texts = Texts::of(&batch, &name)?;
            let mut changed = false;
            let rows: Vec<Option<Vec<String>>> = (0..batch.num_rows())
                .map(|row| match texts.get(row) {
                    RowVals::Null => None,
                    vals => Some(
                        vals.to_vec()
                            .into_iter()
                            .map(|v| match self.replace_value(v) {
                                Some(new) => {
                                    changed = true;
                                    new
                                }
                                None => v.to_string(),
                            })
                            .collect(),
                    ),
                })
                .collect();
            // untouched columns keep their types (numbers stay numbers)
            if changed {
                batch = with_column(&batch, &name, build_texts(&rows), None)?;
            }
        }
        Ok(vec![batch])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}
