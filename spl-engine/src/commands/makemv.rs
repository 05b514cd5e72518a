//! `makemv [delim=<string>|tokenizer=<regex>] [allowempty=<bool>] <field>`:
//! splits a single-value field into a multivalue field (Splunk's "makemv"
//! reference page).
//!
//! `delim` (default one space) splits on a literal string; `tokenizer` takes
//! each match of a regex (its first capturing group when it has one) as a
//! value. Empty values are dropped unless `allowempty=true`.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{build_texts, RowVals, Texts};
use crate::pcre::{Matcher, Pcre};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::RecordBatch;
use spl_parser::ast::Makemv;
use spl_parser::Span;
use std::ops::ControlFlow;

/// The `makemv` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Splits a field's value into a multivalue field on a delimiter (default a space) or by a tokenizer regex.",
    examples: &[
        Example {
            title: "split on a delimiter",
            spl: "| makeresults | eval scope=\"openid profile email\" | makemv delim=\" \" scope",
        },
        Example {
            title: "split with a tokenizer",
            spl: "| makeresults | eval s=\"a1,b2;c3\" | makemv tokenizer=\"(\\w\\d)\" s",
        },
    ],
    compat: "`setsv=true` is rejected.",
};

enum Splitter {
    Delim(String),
    /// A PCRE regex, and where the query holds it.
    Tokenizer(Pcre, Span),
}

/// Plans `makemv`.
pub(crate) fn plan(m: &Makemv, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    if o.flag("setsv")? {
        if let Some(opt) = o.get("setsv") {
            return Err(EngineError::unsupported_option("makemv", opt));
        }
    }
    let splitter = match (o.get("delim"), o.get("tokenizer")) {
        (Some(_), Some(t)) => {
            return Err(EngineError::invalid(
                "expected either delim or tokenizer, found both",
                t.key.span,
                "remove one",
            ))
        }
        (Some(d), None) if d.value.node.is_empty() => {
            return Err(EngineError::invalid(
                "expected a non-empty delimiter, found \"\"",
                d.value.span,
                "empty delimiter",
            ))
        }
        (Some(d), None) => Splitter::Delim(d.value.node.clone()),
        (None, Some(t)) => {
            Splitter::Tokenizer(Pcre::compile(&t.value.node, t.value.span)?, t.value.span)
        }
        (None, None) => Splitter::Delim(" ".into()),
    };
    Ok(Box::new(MakemvOp {
        field: m.field.node.clone(),
        splitter,
        allow_empty: o.flag("allowempty")?,
    }))
}

struct MakemvOp {
    field: String,
    splitter: Splitter,
    allow_empty: bool,
}

impl MakemvOp {
    /// Splits `v` into `out`; `matcher` is the tokenizer's.
    fn split(
        &self,
        v: &str,
        matcher: Option<&mut Matcher<'_>>,
        out: &mut Vec<String>,
    ) -> Result<()> {
        let keep = |s: &str| self.allow_empty || !s.is_empty();
        match (&self.splitter, matcher) {
            (Splitter::Delim(d), _) => {
                out.extend(v.split(d.as_str()).filter(|s| keep(s)).map(str::to_string))
            }
            (Splitter::Tokenizer(_, span), Some(m)) => m
                .for_each(v, |caps| {
                    let m = caps.get(1).or_else(|| caps.get(0));
                    if let Some(m) = m.filter(|m| keep(m)) {
                        out.push(m.to_string());
                    }
                    ControlFlow::Continue(())
                })
                .map_err(|e| e.at(*span))?,
            (Splitter::Tokenizer(..), None) => {}
        }
        Ok(())
    }
}

impl Operator for MakemvOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if batch.column_by_name(&self.field).is_none() {
            return Ok(vec![batch]);
        }
        let texts = Texts::of(&batch, &self.field)?;
        let mut matcher = match &self.splitter {
            Splitter::Tokenizer(re, _) => Some(re.matcher()),
            Splitter::Delim(_) => None,
        };
        let mut rows: Vec<Option<Vec<String>>> = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            rows.push(match texts.get(row) {
                RowVals::Null => None,
                vals => {
                    let mut out = Vec::new();
                    for v in vals.to_vec() {
                        self.split(v, matcher.as_mut(), &mut out)?;
                    }
                    // a value that splits into nothing leaves the field empty
                    (!out.is_empty()).then_some(out)
                }
            });
        }
        Ok(vec![with_column(
            &batch,
            &self.field,
            build_texts(&rows),
            None,
        )?])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(Vec::new())
    }
}
