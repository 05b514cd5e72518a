//! `foreach <wc-field>... [template]` (section 8), multifield mode.
//!
//! For each field of a result that matches a pattern (lexicographic order), the
//! template text is copied with `<<FIELD>>`, `<<MATCHSTR>>`, `<<MATCHSEG1..3>>`
//! replaced (textually, even inside string literals), parsed and run. A field
//! absent from a row is not visited for that row (8.3).

use crate::batch::{self, wildcard_match};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::PlanCx;
use crate::operator::{run_operators, Operator};
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{new_null_array, Array, RecordBatch};
use arrow_schema::Field;
use spl_parser::ast::Foreach;
use spl_parser::Span;
use std::collections::HashMap;

/// The `foreach` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Runs a template of streaming commands once per matching field, with the field name and wildcard matches substituted textually.",
    examples: &[Example {
        title: "sum fields matching a pattern",
        spl: "| makeresults | eval www1=1, www2=2, total=0 | foreach www* [ eval total = total + '<<FIELD>>' ]",
    }],
    compat: "Only `mode=multifield` (the default) is supported.",
};

struct Tokens {
    field: String,
    matchstr: String,
    segs: [String; 3],
}

/// Plans `foreach`.
pub(crate) fn plan(f: &Foreach, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, stage) = (p.opts, p.stage);
    if o.choice("mode")?.as_deref() != Some("multifield") {
        if let Some(m) = o.get("mode") {
            return Err(EngineError::unsupported_option("foreach", m));
        }
    }
    if f.fields.is_empty() {
        return Err(EngineError::invalid(
            "expected a field pattern, found none",
            stage.span,
            "foreach",
        ));
    }
    let opt = |k: &str| o.text_or_default(k).unwrap_or_default();
    Ok(Box::new(ForeachOp {
        patterns: f.fields.iter().map(|p| p.node.clone()).collect(),
        template: f.template.node.clone(),
        template_span: f.template.span,
        tokens: Tokens {
            field: opt("fieldstr"),
            matchstr: opt("matchstr"),
            segs: [opt("matchseg1"), opt("matchseg2"), opt("matchseg3")],
        },
        cache: HashMap::new(),
    }))
}

struct ForeachOp {
    patterns: Vec<String>,
    template: String,
    template_span: Span,
    tokens: Tokens,
    cache: HashMap<String, spl_parser::ast::Pipeline>,
}

impl ForeachOp {
    fn instantiate(&mut self, field: &str, caps: &[String]) -> Result<spl_parser::ast::Pipeline> {
        if let Some(p) = self.cache.get(field) {
            return Ok(p.clone());
        }
        let mut text = self.template.replace(&self.tokens.field, field);
        text = text.replace(&self.tokens.matchstr, &caps.concat());
        for (i, seg) in self.tokens.segs.iter().enumerate() {
            text = text.replace(seg, caps.get(i).map(String::as_str).unwrap_or(""));
        }
        let p = spl_parser::parse_pipeline(text.trim_start()).map_err(|e| {
            EngineError::invalid(
                format!("foreach template for `{field}` does not parse: {e}"),
                self.template_span,
                "in this template",
            )
        })?;
        self.cache.insert(field.to_string(), p.clone());
        Ok(p)
    }
}

impl Operator for ForeachOp {
    fn push(&mut self, mut batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        // Snapshot of matching fields before any iteration runs (UNK 8.3).
        let schema = batch.schema();
        let mut visits: Vec<(String, Vec<String>)> = Vec::new();
        for p in &self.patterns {
            let mut names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            names.sort_unstable();
            for n in names {
                if let Some(caps) = wildcard_match(p, n) {
                    visits.push((n.to_string(), caps));
                }
            }
        }
        for (field, caps) in visits {
            let pipeline = self.instantiate(&field, &caps)?;
            let mut ops = ctx.planner.plan_stages(&pipeline, ctx)?;
            let present = match batch::column(&batch, &field) {
                Some(c) => arrow_arith::boolean::is_not_null(c)?,
                None => continue,
            };
            let out = run_operators(&mut ops, vec![batch.clone()], ctx)?;
            let out = batch::concat_unified(&out)?;
            if out.num_rows() != batch.num_rows() {
                return Err(EngineError::invalid(
                    "the foreach template must keep every result (use only streaming commands such as eval)",
                    self.template_span,
                    "changes the number of results",
                ));
            }
            // Rows lacking the field keep their previous values.
            let mut merged = batch.clone();
            let out_schema = out.schema();
            for (f, new) in out_schema.fields().iter().zip(out.columns()) {
                let col = if present.true_count() == present.len() {
                    new.clone()
                } else {
                    // The template may change a field's type (a multivalue
                    // field set to a number): both sides go to a common type
                    // (casting a list to a number was an internal error).
                    let (old, new) = match batch::column(&batch, f.name()) {
                        Some(o) => {
                            let t = batch::unify_type(o.data_type(), new.data_type());
                            (batch::coerce_array(o, &t)?, batch::coerce_array(new, &t)?)
                        }
                        None => (new_null_array(new.data_type(), new.len()), new.clone()),
                    };
                    arrow_select::zip::zip(&present, &new, &old)?
                };
                let field = Field::new(f.name(), col.data_type().clone(), true)
                    .with_metadata(f.metadata().clone());
                merged = batch::set_column(&merged, field, col)?;
            }
            batch = merged;
        }
        Ok(vec![batch])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
