//! The warning for `mstats` over an index that holds events but no metric
//! data points (a metric file registered as events, or the wrong index).

use super::filter::WherePlan;
use crate::context::Catalog;
use crate::context::ExecContext;
use crate::error::Result;
use crate::source::{DataKind, Dataset};
use std::collections::BTreeMap;

/// Code of the warning.
pub(crate) const EVENTS_INDEX: &str = "spl::run::mstats_events_index";

/// Warns once per index that the clause selects and that holds only event
/// datasets. Without an `index` term every index is selected, but the warning
/// is then given only when no metric data is registered at all.
pub(super) fn warn_event_only_indexes(
    where_plan: &WherePlan,
    catalog: &Catalog,
    ctx: &ExecContext,
) -> Result<()> {
    let has_metrics = |index: Option<&str>| {
        catalog
            .datasets
            .iter()
            .any(|d| d.kind == DataKind::Metrics && index.is_none_or(|i| d.meta.index == i))
    };
    if !where_plan.names_index() && has_metrics(None) {
        return Ok(());
    }
    let mut events: BTreeMap<&str, Vec<&Dataset>> = BTreeMap::new();
    for d in &catalog.datasets {
        if d.kind == DataKind::Events && where_plan.dataset_may_match(&d.meta, ctx)? {
            events.entry(d.meta.index.as_str()).or_default().push(d);
        }
    }
    for (index, datasets) in events {
        if has_metrics(Some(index)) {
            continue;
        }
        const SHOWN: usize = 3;
        let mut names: Vec<String> = datasets
            .iter()
            .take(SHOWN)
            .map(|d| format!("`{}` (sourcetype {})", d.meta.source, d.meta.sourcetype))
            .collect();
        if datasets.len() > SHOWN {
            names.push(format!("{} more", datasets.len() - SHOWN));
        }
        let n = datasets.len();
        ctx.warnings.push(
            EVENTS_INDEX,
            format!(
                "mstats searches index `{index}`, which holds only events ({n} event dataset{}: {}) and no metric data points; \
                 a file with metric columns read as events needs `kind=metrics` (or a metrics format) in its --data spec",
                if n == 1 { "" } else { "s" },
                names.join(", ")
            ),
        );
    }
    Ok(())
}
