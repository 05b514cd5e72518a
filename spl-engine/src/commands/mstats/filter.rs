//! The `mstats ... WHERE` clause, split for speed into three parts:
//! - time bounds (`earliest`/`latest`/`starttime`/`endtime` at the top
//!   level), applied by the operator as a numeric window and pushed into
//!   the scan;
//! - top-level terms that read only `index`: evaluated once per dataset on
//!   its metadata, so other indexes are never scanned;
//! - everything else, evaluated per batch with the search filter
//!   (case-sensitive). `source`/`sourcetype`/`host` come from the batch when
//!   it has such a column (metric points often carry `host`), else from the
//!   dataset's metadata.

use crate::context::ExecContext;
use crate::error::Result;
use crate::filter::{SearchFilter, SearchMode};
use crate::source::SourceMeta;
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use spl_parser::ast::{SearchExpr, SearchKind};
use std::sync::Arc;

const META_FIELDS: [&str; 4] = ["index", "source", "sourcetype", "host"];

/// A bound WHERE clause.
pub(crate) struct WherePlan {
    index_part: Option<SearchFilter>,
    rest: Option<SearchFilter>,
    /// Fields `rest` reads.
    fields: Vec<String>,
}

impl WherePlan {
    pub(crate) fn bind(expr: Option<&SearchExpr>, ctx: &ExecContext) -> Result<WherePlan> {
        let Some(e) = expr else {
            return Ok(WherePlan {
                index_part: None,
                rest: None,
                fields: Vec::new(),
            });
        };
        // binding the whole clause validates it (its bounds are applied by
        // the operator's window: `mstats::written_bounds`)
        SearchFilter::bind(Some(e), SearchMode::Metrics, ctx)?;
        let mut conjuncts = Vec::new();
        flatten_and(e, &mut conjuncts);
        let mut index_terms = Vec::new();
        let mut rest_terms = Vec::new();
        for c in conjuncts {
            let mut f = Vec::new();
            collect_fields(c, &mut f);
            if is_window_bound(c) {
                continue;
            }
            if !f.is_empty() && f.iter().all(|x| x == "index") && !has_other_terms(c) {
                index_terms.push(c.clone());
            } else {
                rest_terms.push(c.clone());
            }
        }
        let mut fields = Vec::new();
        rest_terms
            .iter()
            .for_each(|t| collect_fields(t, &mut fields));
        Ok(WherePlan {
            index_part: bind_and(index_terms, e, ctx)?,
            rest: bind_and(rest_terms, e, ctx)?,
            fields,
        })
    }

    /// Fields the per-batch part reads.
    pub(crate) fn fields(&self) -> &[String] {
        &self.fields
    }

    /// True when the clause has top-level terms on `index` alone.
    pub(crate) fn names_index(&self) -> bool {
        self.index_part.is_some()
    }

    /// False when the clause's `index` terms exclude the dataset.
    pub(crate) fn dataset_may_match(&self, meta: &SourceMeta, ctx: &ExecContext) -> Result<bool> {
        let Some(f) = &self.index_part else {
            return Ok(true);
        };
        let schema = Schema::new(vec![Field::new(
            "index",
            arrow_schema::DataType::Utf8,
            true,
        )]);
        let col: ArrayRef = Arc::new(StringArray::from(vec![meta.index.as_str()]));
        let one = RecordBatch::try_new(Arc::new(schema), vec![col])?;
        let m = f.evaluate(&one, ctx)?;
        Ok(m.len() == 1 && m.is_valid(0) && m.value(0))
    }

    /// Which rows satisfy the per-batch part; `None` means all of them.
    pub(crate) fn evaluate(
        &self,
        batch: &RecordBatch,
        meta: &SourceMeta,
        ctx: &ExecContext,
    ) -> Result<Option<BooleanArray>> {
        let Some(filter) = &self.rest else {
            return Ok(None);
        };
        let missing: Vec<&str> = META_FIELDS
            .iter()
            .copied()
            .filter(|f| self.fields.iter().any(|x| x == f) && batch.column_by_name(f).is_none())
            .collect();
        if missing.is_empty() {
            return filter.evaluate(batch, ctx).map(Some);
        }
        let n = batch.num_rows();
        let schema = batch.schema();
        let mut fields: Vec<Arc<Field>> = schema.fields().iter().cloned().collect();
        let mut cols: Vec<ArrayRef> = batch.columns().to_vec();
        for f in missing {
            let v = meta_value(meta, f);
            let arr: StringArray = std::iter::repeat_n(v, n).collect();
            fields.push(Arc::new(Field::new(f, arrow_schema::DataType::Utf8, true)));
            cols.push(Arc::new(arr));
        }
        let opts = arrow_array::RecordBatchOptions::new().with_row_count(Some(n));
        let extended =
            RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), cols, &opts)?;
        filter.evaluate(&extended, ctx).map(Some)
    }
}

/// Binds the conjunction of `terms` (`None` when there are none).
fn bind_and(
    terms: Vec<SearchExpr>,
    whole: &SearchExpr,
    ctx: &ExecContext,
) -> Result<Option<SearchFilter>> {
    let expr = match terms.len() {
        0 => return Ok(None),
        1 => terms.into_iter().next(),
        _ => Some(SearchExpr {
            kind: SearchKind::And(terms),
            span: whole.span,
        }),
    };
    let (f, _) = SearchFilter::bind(expr.as_ref(), SearchMode::Metrics, ctx)?;
    Ok(Some(f))
}

fn flatten_and<'e>(e: &'e SearchExpr, out: &mut Vec<&'e SearchExpr>) {
    match &e.kind {
        SearchKind::And(xs) => xs.iter().for_each(|x| flatten_and(x, out)),
        _ => out.push(e),
    }
}

/// Top-level time bounds that [`SearchFilter::bind`] turns into the window.
fn is_window_bound(e: &SearchExpr) -> bool {
    matches!(&e.kind, SearchKind::TimeBound { key, .. }
        if matches!(key.as_str(), "earliest" | "latest" | "starttime" | "endtime"))
}

/// True when a term contains something other than field comparisons
/// (free text, time bounds, subsearches), which must stay per batch.
fn has_other_terms(e: &SearchExpr) -> bool {
    match &e.kind {
        SearchKind::And(xs) | SearchKind::Or(xs) => xs.iter().any(has_other_terms),
        SearchKind::Not(x) => has_other_terms(x),
        SearchKind::Compare { .. } | SearchKind::In { .. } => false,
        SearchKind::Term(_)
        | SearchKind::TimeBound { .. }
        | SearchKind::Func { .. }
        | SearchKind::Subsearch(_) => true,
    }
}

fn meta_value<'m>(meta: &'m SourceMeta, field: &str) -> Option<&'m str> {
    match field {
        "index" => Some(&meta.index),
        "source" => Some(&meta.source),
        "sourcetype" => Some(&meta.sourcetype),
        "host" => meta.host.as_deref(),
        _ => None,
    }
}

fn collect_fields(e: &SearchExpr, out: &mut Vec<String>) {
    match &e.kind {
        SearchKind::And(xs) | SearchKind::Or(xs) => xs.iter().for_each(|x| collect_fields(x, out)),
        SearchKind::Not(x) => collect_fields(x, out),
        SearchKind::Compare { field, .. } | SearchKind::In { field, .. } => {
            if !out.contains(field) {
                out.push(field.clone());
            }
        }
        SearchKind::Term(_)
        | SearchKind::TimeBound { .. }
        | SearchKind::Func { .. }
        | SearchKind::Subsearch(_) => {}
    }
}
