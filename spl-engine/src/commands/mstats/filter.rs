//! The `mstats ... WHERE` clause: time bounds, the search filter (run with
//! the dataset's `index`/`source`/`sourcetype`/`host` available as fields),
//! and dataset pruning on top-level `index=...` style terms.

use crate::aggregate::names::Glob;
use crate::commands::search::{SearchFilter, SearchMode, TimeBounds};
use crate::context::ExecContext;
use crate::error::Result;
use crate::source::SourceMeta;
use arrow_array::{ArrayRef, BooleanArray, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use spl_parser::ast::{SearchExpr, SearchKind, SearchOp};
use std::sync::Arc;

const META_FIELDS: [&str; 4] = ["index", "source", "sourcetype", "host"];

/// A bound WHERE clause.
pub(crate) struct WherePlan {
    filter: Option<SearchFilter>,
    /// `earliest=`/`latest=` written in the clause.
    pub(crate) bounds: TimeBounds,
    fields: Vec<String>,
    prune: Vec<(String, Glob)>,
}

impl WherePlan {
    pub(crate) fn bind(expr: Option<&SearchExpr>, ctx: &ExecContext) -> Result<WherePlan> {
        let Some(e) = expr else {
            return Ok(WherePlan {
                filter: None,
                bounds: TimeBounds::default(),
                fields: Vec::new(),
                prune: Vec::new(),
            });
        };
        let (filter, bounds) = SearchFilter::bind(Some(e), SearchMode::Metrics, ctx)?;
        let mut fields = Vec::new();
        collect_fields(e, &mut fields);
        let mut prune = Vec::new();
        collect_prune(e, &mut prune);
        Ok(WherePlan {
            filter: Some(filter),
            bounds,
            fields,
            prune,
        })
    }

    /// Fields the clause reads.
    pub(crate) fn fields(&self) -> &[String] {
        &self.fields
    }

    /// False when a top-level `index=x` (or source/sourcetype/host) term
    /// cannot match the dataset, so it need not be scanned.
    pub(crate) fn dataset_may_match(&self, meta: &SourceMeta) -> bool {
        self.prune
            .iter()
            .all(|(field, glob)| match meta_value(meta, field) {
                Some(v) => glob.matches(v),
                None => false,
            })
    }

    /// Which rows satisfy the clause.
    pub(crate) fn evaluate(
        &self,
        batch: &RecordBatch,
        meta: &SourceMeta,
        ctx: &ExecContext,
    ) -> Result<BooleanArray> {
        let Some(filter) = &self.filter else {
            return Ok(BooleanArray::from(vec![true; batch.num_rows()]));
        };
        let missing: Vec<&str> = META_FIELDS
            .iter()
            .copied()
            .filter(|f| self.fields.iter().any(|x| x == f) && batch.column_by_name(f).is_none())
            .collect();
        if missing.is_empty() {
            return filter.evaluate(batch, ctx);
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
        let mask = filter.evaluate(&extended, ctx)?;
        debug_assert_eq!(mask.len(), n);
        Ok(mask)
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

/// Top-level conjuncts `index=v` etc. (with wildcards) that every matching
/// point must satisfy.
fn collect_prune(e: &SearchExpr, out: &mut Vec<(String, Glob)>) {
    match &e.kind {
        SearchKind::And(xs) => xs.iter().for_each(|x| collect_prune(x, out)),
        SearchKind::Compare {
            field,
            op: SearchOp::Eq,
            value,
            ..
        } if field == "index" => out.push((field.clone(), Glob::new(&value.text))),
        _ => {}
    }
}
