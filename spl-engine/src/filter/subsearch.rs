//! A subsearch used as a search argument: its results become search terms via
//! an implicit `format` — `(f1=v1 AND f2=v2) OR (...)`; fields starting with `_`
//! are ignored; a field named `search` or `query` is inserted verbatim (1.5).

use crate::batch::values_at;
use crate::context::ExecContext;
use crate::error::Result;
use spl_parser::ast::{SearchExpr, SearchKind, SearchOp, SearchValue, Subsearch};

/// Runs the subsearch and builds the equivalent search expression; `None` when
/// it returned no results (which matches nothing).
pub fn subsearch_to_search(sub: &Subsearch, ctx: &ExecContext) -> Result<Option<SearchExpr>> {
    let batches = ctx.planner.plan_search(&sub.pipeline, ctx)?.run(ctx)?;
    let span = sub.span;
    let mut ors = Vec::new();
    let mut rows = 0usize;
    let maxout = crate::limits::Limits::usize(ctx.limits.subsearch_maxout);
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    if total > maxout {
        crate::limits::truncated(
            &ctx.warnings,
            "subsearch_maxout",
            format!("Subsearch produced {total} results, truncating to maxout {maxout}"),
        );
    }
    for b in &batches {
        let schema = b.schema();
        for row in 0..b.num_rows() {
            rows += 1;
            if rows > maxout {
                break;
            }
            let mut ands = Vec::new();
            for (f, c) in schema.fields().iter().zip(b.columns()) {
                let name = f.name();
                if name.starts_with('_') {
                    continue;
                }
                let Some(vals) = values_at(c, row)? else {
                    continue;
                };
                if name == "search" || name == "query" {
                    for v in vals {
                        if let Ok(q) = spl_parser::parse(&v) {
                            if let Some(spl_parser::ast::Command::Search(s)) =
                                q.pipeline.stages.first().map(|s| &s.command)
                            {
                                if let Some(e) = &s.expr {
                                    ands.push(e.clone());
                                }
                            }
                        }
                    }
                    continue;
                }
                let alts: Vec<SearchExpr> = vals
                    .into_iter()
                    .map(|v| SearchExpr {
                        kind: SearchKind::Compare {
                            field: name.clone(),
                            field_span: span,
                            op: SearchOp::Eq,
                            value: SearchValue {
                                text: v,
                                quoted: true,
                                span,
                            },
                        },
                        span,
                    })
                    .collect();
                ands.push(if alts.len() == 1 {
                    alts.into_iter()
                        .next()
                        .ok_or_else(|| crate::error::EngineError::Internal("empty".into()))?
                } else {
                    SearchExpr {
                        kind: SearchKind::Or(alts),
                        span,
                    }
                });
            }
            if !ands.is_empty() {
                ors.push(SearchExpr {
                    kind: SearchKind::And(ands),
                    span,
                });
            }
        }
    }
    Ok(if ors.is_empty() {
        None
    } else {
        Some(SearchExpr {
            kind: SearchKind::Or(ors),
            span,
        })
    })
}
