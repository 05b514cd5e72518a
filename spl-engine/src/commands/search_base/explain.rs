//! The facts that explain what a base search matched (`spl run --explain`,
//! the zero-result hints): a pass of its own over every event dataset, with
//! no projection, no time pruning and no skipping of datasets, so that it
//! sees what the search's own scan is allowed to skip. It runs no later
//! command and no subsearch, so it has no effects. Counting rules:
//! `docs/explain.md`.

use super::{time_mask, with_wanted_default_fields, DEFAULT_FIELDS};
use crate::context::ExecContext;
use crate::error::Result;
use crate::explain::{BaseFacts, DatasetFacts, MissingField, TermFacts, TimeFacts, TimeOrigin};
use crate::filter::{time_bounds, SearchFilter, SearchMode};
use crate::operator::demand::{event_fields_used, FieldSet};
use crate::source::{event_times, DataKind, ScanRequest, TimeSpan};
use crate::time::TimeRange;
use arrow_array::{Array, RecordBatch};
use indexmap::IndexSet;
use spl_parser::ast::{Pipeline, Search, SearchExpr, SearchKind};

/// Distinct values kept per default-field term.
const TERM_VALUES: usize = 5;
/// Suggestions kept per missing field.
const SUGGESTIONS: usize = 5;

/// The facts of base search `s`, the first stage of `pipeline`; `text` is
/// the expanded search the spans point into. With `budget`, reading a
/// dataset stops after the batch that reaches that many events.
pub(crate) fn base_facts(
    s: &Search,
    pipeline: &Pipeline,
    text: &str,
    ctx: &ExecContext,
    budget: Option<u64>,
) -> Result<BaseFacts> {
    let expr = s.expr.as_ref();
    let own = time_bounds(expr, ctx)?.own_range(ctx.now);
    let range = TimeRange::for_search(own, ctx.picker);
    let origin = match (own, ctx.picker.is_all()) {
        (Some(_), _) => TimeOrigin::Search,
        (None, false) => TimeOrigin::Picker,
        (None, true) => TimeOrigin::AllTime,
    };
    let mut terms = Vec::new();
    for t in default_field_terms(expr) {
        let (filter, _) = SearchFilter::bind(Some(t.expr), SearchMode::Events, ctx)?;
        let at = t.expr.span.start as usize..t.expr.span.end as usize;
        let facts = TermFacts {
            text: text.get(at).unwrap_or_default().to_string(),
            field: t.field.to_string(),
            ..TermFacts::default()
        };
        terms.push((filter, facts));
    }
    let used: Vec<(String, Vec<String>)> = event_fields_used(pipeline)
        .into_iter()
        .filter(|(n, _)| !DEFAULT_FIELDS.contains(&n.as_str()))
        .collect();
    let mut facts = BaseFacts {
        time: TimeFacts {
            earliest: range.earliest,
            latest: range.latest,
            origin,
            excluded: 0,
        },
        ..BaseFacts::default()
    };
    // every field some event read has (after knowledge objects)
    let mut seen: IndexSet<String> = IndexSet::new();
    let req = ScanRequest::default();
    for ds in ctx
        .catalog
        .datasets
        .iter()
        .filter(|d| d.kind == DataKind::Events)
    {
        let m = &ds.meta;
        let mut d = DatasetFacts {
            source: m.source.clone(),
            index: m.index.clone(),
            sourcetype: m.sourcetype.clone(),
            host: m.host.clone(),
            ..DatasetFacts::default()
        };
        let mut span = TimeSpan::EMPTY;
        for b in ds.scan.scan(&req)? {
            // over budget with more to read: stop (a dataset read to its
            // end is never partial)
            if budget.is_some_and(|n| d.events_read >= n) {
                d.partial = true;
                break;
            }
            let b = b?;
            let rows = b.num_rows();
            d.events_read += rows as u64;
            match event_times(&b) {
                Some(t) => {
                    d.without_time += t.null_count() as u64;
                    t.iter().flatten().for_each(|v| span.add(Some(v)));
                }
                None => d.without_time += rows as u64,
            }
            if !range.is_all() {
                let keep = time_mask(&b, range)?;
                facts.time.excluded += (rows - keep.true_count()) as u64;
            }
            let b = with_wanted_default_fields(&b, m, &|_| true)?;
            let b = match &ctx.catalog.knowledge {
                Some(k) => k.apply(b, &FieldSet::All, ds.scan.raw_extracted(), ctx)?,
                None => b,
            };
            for (i, f) in b.schema().fields().iter().enumerate() {
                let has = b.column(i).null_count() < rows;
                if has && !seen.contains(f.name()) {
                    seen.insert(f.name().clone());
                }
            }
            for (filter, t) in &mut terms {
                let keep = filter.evaluate(&b, ctx)?;
                t.excluded += (rows - keep.true_count()) as u64;
                collect_values(&b, &t.field, &mut t.values)?;
            }
        }
        d.earliest = span.min;
        d.latest = span.max;
        facts.events_read += d.events_read;
        facts.datasets.push(d);
    }
    facts.terms = terms.into_iter().map(|(_, t)| t).collect();
    // with no event read every field is missing: the empty data is the fact
    if facts.events_read > 0 {
        for (name, used_by) in used {
            if !seen.contains(&name) {
                facts.missing_fields.push(MissingField {
                    suggestions: near_misses(&name, &seen),
                    name,
                    used_by,
                });
            }
        }
    }
    Ok(facts)
}

/// A top-level term of a base search on a default field.
struct DefaultTerm<'a> {
    expr: &'a SearchExpr,
    field: &'a str,
}

/// The terms ANDed at the top of a base search (those a search ORs or
/// nests cannot be charged alone) that test `index`, `source`,
/// `sourcetype` or `host`, negated ones included.
fn default_field_terms(expr: Option<&SearchExpr>) -> Vec<DefaultTerm<'_>> {
    let Some(e) = expr else { return Vec::new() };
    let items = match &e.kind {
        SearchKind::And(items) => items.iter().collect(),
        _ => vec![e],
    };
    let field_of = |e: &'_ SearchExpr| -> Option<String> {
        let inner = match &e.kind {
            SearchKind::Not(inner) => inner.as_ref(),
            _ => e,
        };
        match &inner.kind {
            SearchKind::Compare { field, .. } | SearchKind::In { field, .. } => Some(field.clone()),
            _ => None,
        }
    };
    items
        .into_iter()
        .filter_map(|t| {
            let f = field_of(t)?;
            let field = DEFAULT_FIELDS.iter().find(|d| **d == f)?;
            Some(DefaultTerm { expr: t, field })
        })
        .collect()
}

/// Adds the distinct values of `field` in `b` to `values`, up to
/// [`TERM_VALUES`].
fn collect_values(b: &RecordBatch, field: &str, values: &mut Vec<String>) -> Result<()> {
    let Some(col) = crate::batch::column(b, field) else {
        return Ok(());
    };
    for row in 0..b.num_rows() {
        if values.len() >= TERM_VALUES {
            break;
        }
        for v in crate::batch::values_at(col, row)?.unwrap_or_default() {
            if values.len() < TERM_VALUES && !values.contains(&v) {
                values.push(v);
            }
        }
    }
    Ok(())
}

/// Fields in `seen` whose names are close to `name`: the same but for case,
/// then dotted names one of whose parts is `name` (or whose last part
/// `name`'s is: `user` for `user.username`, `name` for `user.name`), then
/// names within the edit distance of the "did you mean" suggestions (two
/// edits, a third of the length for long names), then dotted names one of
/// whose parts is within it (`usr` for `user.username`). At most
/// [`SUGGESTIONS`], best first (then shortest, then by name).
fn near_misses(name: &str, seen: &IndexSet<String>) -> Vec<String> {
    let lower = name.to_lowercase();
    let parts = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split('.')
            .map(|p| p.trim_end_matches("{}").to_string())
            .collect()
    };
    let mine = parts(name);
    let limit = (lower.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, usize, &str)> = seen
        .iter()
        .filter(|c| c.as_str() != name && !c.starts_with('_'))
        .filter_map(|c| {
            let cl = c.to_lowercase();
            let parts_c = parts(c);
            let rank = if cl == lower {
                0
            } else if (c.contains('.') && parts_c.contains(&lower))
                || (name.contains('.') && mine.last() == Some(&cl))
            {
                1
            } else {
                let d = spl_parser::suggest::edit_distance(&lower, &cl, limit);
                // or a part of a dotted name within the distance (`usr`
                // for `user.username`)
                let part = if c.contains('.') {
                    parts_c
                        .iter()
                        .map(|p| spl_parser::suggest::edit_distance(&lower, p, limit))
                        .min()
                        .unwrap_or(limit + 1)
                } else {
                    limit + 1
                };
                if d <= limit {
                    2 + d
                } else if part <= limit {
                    3 + limit + part
                } else {
                    return None;
                }
            };
            Some((rank, c.len(), c.as_str()))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(.., c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> IndexSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn near_misses_by_case_parts_and_distance() {
        let seen = set(&[
            "user.username",
            "user.groups{}",
            "EventCode",
            "verb",
            "users",
        ]);
        assert_eq!(
            near_misses("user", &seen),
            ["user.groups{}", "user.username", "users"]
        );
        assert_eq!(near_misses("eventcode", &seen), ["EventCode"]);
        assert_eq!(near_misses("vrb", &seen), ["verb"]);
        assert_eq!(
            near_misses("usr", &seen),
            ["users", "user.groups{}", "user.username"]
        );
        assert!(near_misses("completely_else", &seen).is_empty());
        let seen = set(&["username"]);
        assert_eq!(near_misses("user.username", &seen), ["username"]);
    }

    #[test]
    fn only_top_level_default_field_terms() {
        let q = spl_parser::parse(
            "index=main NOT sourcetype=x (source=a OR source=b) user=u host IN (h1, h2)",
        )
        .expect("parses");
        let Some(spl_parser::ast::Command::Search(s)) =
            q.pipeline.stages.first().map(|s| &s.command)
        else {
            panic!("a search")
        };
        let fields: Vec<&str> = default_field_terms(s.expr.as_ref())
            .iter()
            .map(|t| t.field)
            .collect();
        assert_eq!(fields, ["index", "sourcetype", "host"]);
    }
}
