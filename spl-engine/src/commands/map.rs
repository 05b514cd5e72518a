//! `map search="<search>" [maxsearches=<int>]` or `map [<search>]`: runs a
//! search once per input result, with `$field$` tokens replaced by that
//! result's values, and returns all their results (Splunk's "map" reference
//! page).
//!
//! The search text is expanded (macros inside the quoted string are only
//! expanded now, with the engine's macro definitions), parsed and run for each
//! of the first `maxsearches` (default 10) results. A result missing a field
//! that a token names runs no search.
//!
//! The template is checked when the command is planned, so its errors surface
//! even when no result reaches `map`: without tokens it is parsed and planned;
//! with tokens (whose values are not known yet) its commands must be ones the
//! engine runs. Errors inside the template point at the whole template.

use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::Texts;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::RecordBatch;
use spl_parser::ast::Map;
use spl_parser::Span;

/// The `map` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Transforming,
    description: "Runs a search for each input result (at most `maxsearches`, default 10), substituting `$field$` tokens with the result's values.",
    examples: &[Example {
        title: "one search per result",
        spl: "| makeresults count=2 | streamstats count as n | map search=\"| makeresults | eval got=$n$ * 10\"",
    }],
    compat: "Saved-search names are not supported. A multivalue field substitutes its first value.",
};

/// Plans `map`.
pub(crate) fn plan(m: &Map, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage, ctx) = (p.opts, p.stage, p.ctx);
    let (text, span) = match (o.get("search"), &m.subsearch) {
        (Some(o), _) => (o.value.node.clone(), o.value.span),
        (None, Some(s)) => (s.pipeline.to_string(), s.span),
        (None, None) => {
            return Err(EngineError::invalid(
                "expected search=\"...\" or a subsearch, found neither",
                stage.span,
                "nothing to run",
            ))
        }
    };
    let max = o.count_or_default("maxsearches")?.unwrap_or(10) as usize;
    let op = MapOp {
        tokens: token_names(&text),
        template: text,
        span,
        max,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("map", p.stage.span),
    };
    op.check_template(ctx)?;
    Ok(Box::new(op))
}

struct MapOp {
    template: String,
    /// Names of the template's `$name$` tokens.
    tokens: Vec<String>,
    span: Span,
    max: usize,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// Replaces `$name$` tokens using `value`; `None` when a token has no value.
fn substitute(template: &str, value: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('$') {
            // `$$` is a literal dollar sign
            Some(0) => {
                out.push('$');
                rest = &after[1..];
            }
            Some(end) => {
                let name = &after[..end];
                if name.chars().any(char::is_whitespace) {
                    // not a token: keep the `$` and go on
                    out.push('$');
                    rest = after;
                    continue;
                }
                out.push_str(&value(name)?);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

impl MapOp {
    /// Expands and parses a search text (the template or a substitution).
    fn parse(&self, text: &str, ctx: &ExecContext) -> Result<spl_parser::ast::Query> {
        let bad = |e: &dyn std::fmt::Display| {
            EngineError::invalid(
                format!("expected a valid search after substitution, found `{text}`: {e}"),
                self.span,
                "in this map search",
            )
        };
        let expanded = spl_parser::macros::expand(text, &ctx.macros).map_err(|e| bad(&e))?;
        spl_parser::parse(&expanded.text).map_err(|e| bad(&e))
    }

    /// Plan-time check of the template: planned in full when it has no
    /// tokens; otherwise (a token may stand for any text) only its commands
    /// are checked, if it parses as written.
    fn check_template(&self, ctx: &ExecContext) -> Result<()> {
        if self.tokens.is_empty() {
            let q = self.parse(&self.template, ctx)?;
            ctx.planner
                .plan_search(&q.pipeline, ctx)
                .map_err(|e| self.respan(e))?;
            return Ok(());
        }
        let Ok(expanded) = spl_parser::macros::expand(&self.template, &ctx.macros) else {
            return Ok(());
        };
        let Ok(q) = spl_parser::parse(&expanded.text) else {
            return Ok(());
        };
        match ctx.planner.unsupported_command(&q.pipeline) {
            Some(e) => Err(self.respan(e)),
            None => Ok(()),
        }
    }

    /// Moves an error's span, which points into the search text of `map`,
    /// onto the template in the query.
    fn respan(&self, e: EngineError) -> EngineError {
        let span = self.span;
        match e {
            EngineError::InvalidArgument { message, help, .. } => EngineError::InvalidArgument {
                message,
                span,
                label: "in this map search".into(),
                help,
            },
            EngineError::Parse(p) => EngineError::invalid(
                format!("expected a valid search, found an error in it: {p}"),
                span,
                "in this map search",
            ),
            other => other.pointing_at(span),
        }
    }

    fn run_one(&self, text: &str, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let q = self.parse(text, ctx)?;
        ctx.planner
            .plan_search(&q.pipeline, ctx)
            .and_then(|mut s| s.run(ctx))
            .map_err(|e| self.respan(e))
    }
}

impl Operator for MapOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        self.mem.hold(&batch, &ctx.limits)?;
        self.buffered.push(batch);
        Ok(Vec::new())
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        let mut out = Vec::new();
        let mut runs = 0usize;
        'rows: for b in &batches {
            let mut cache: Vec<(String, Texts)> = Vec::new();
            for row in 0..b.num_rows() {
                if runs >= self.max {
                    break 'rows;
                }
                runs += 1;
                let mut lookup = |name: &str| -> Result<Option<String>> {
                    if !cache.iter().any(|(n, _)| n == name) {
                        cache.push((name.to_string(), Texts::of(b, name)?));
                    }
                    Ok(cache
                        .iter()
                        .find(|(n, _)| n == name)
                        .and_then(|(_, t)| t.get(row).to_vec().first().map(|s| s.to_string())))
                };
                // the tokens' values first: looking them up can fail
                let mut values: Vec<(String, Option<String>)> = Vec::new();
                for name in &self.tokens {
                    values.push((name.clone(), lookup(name)?));
                }
                let text = substitute(&self.template, &|name| {
                    values
                        .iter()
                        .find(|(n, _)| n == name)
                        .and_then(|(_, v)| v.clone())
                });
                if let Some(text) = text {
                    out.extend(self.run_one(&text, ctx)?);
                }
            }
        }
        Ok(out)
    }
}

/// The names of the `$name$` tokens of a template.
fn token_names(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('$') {
        let after = &rest[start + 1..];
        match after.find('$') {
            Some(0) => rest = &after[1..],
            Some(end) => {
                let name = &after[..end];
                if name.chars().any(char::is_whitespace) {
                    rest = after;
                    continue;
                }
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution() {
        let v = |n: &str| (n == "a").then(|| "1".to_string());
        assert_eq!(substitute("x=$a$ y", &v).as_deref(), Some("x=1 y"));
        assert_eq!(substitute("cost $$5 $a$", &v).as_deref(), Some("cost $5 1"));
        assert_eq!(substitute("x=$b$", &v), None);
        assert_eq!(substitute("a $ b $a$", &v).as_deref(), Some("a $ b 1"));
        assert_eq!(substitute("end $", &v).as_deref(), Some("end $"));
        assert_eq!(token_names("$a$ $b$ $$ $a$"), vec!["a", "b"]);
    }
}
