//! The value counting `top` and `rare` share: counts per value combination
//! (per BY group), ordered most (top) or least (rare) common, with percentages.

use crate::aggregate::grouped::NO_GROUP;
use crate::batch;
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::ops::groupby::GroupTable;
use crate::value::with_decimals;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use indexmap::IndexMap;
use spl_parser::ast::Top;
use spl_parser::options::OptReader;
use std::sync::Arc;

/// Plans `top` (`rare = false`) or `rare`.
pub(crate) fn plan_top_or_rare(
    t: &Top,
    o: &OptReader,
    rare: bool,
    span: spl_parser::Span,
) -> Result<Box<dyn Operator>> {
    let limit = match o.count("limit")? {
        Some((n, _)) => n,
        None => t.limit.unwrap_or(10),
    };
    for f in t.fields.iter().chain(&t.by) {
        if f.node.contains('*') {
            return Err(EngineError::invalid(
                format!("expected a field name, found the wildcard `{}`", f.node),
                f.span,
                "wildcards are not allowed here",
            ));
        }
    }
    let text = |k: &str| o.text_or_default(k).unwrap_or_default();
    let by: Vec<String> = t.by.iter().map(|f| f.node.clone()).collect();
    let fields: Vec<String> = t.fields.iter().map(|f| f.node.clone()).collect();
    let mut all = by.clone();
    all.extend(fields.iter().cloned());
    Ok(Box::new(TopOp {
        table: GroupTable::new(all, false),
        counts: Vec::new(),
        by,
        rare,
        limit: if limit == 0 {
            usize::MAX
        } else {
            limit as usize
        },
        countfield: text("countfield"),
        percentfield: text("percentfield"),
        showcount: o.flag("showcount")?,
        showperc: o.flag("showperc")?,
        useother: o.flag("useother")?,
        otherstr: text("otherstr"),
        mem: crate::limits::MemBudget::new(if rare { "rare" } else { "top" }, span),
    }))
}

pub(crate) struct TopOp {
    table: GroupTable,
    counts: Vec<u64>,
    by: Vec<String>,
    rare: bool,
    limit: usize,
    countfield: String,
    percentfield: String,
    showcount: bool,
    showperc: bool,
    useother: bool,
    otherstr: String,
    /// The group table and counts, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

impl Operator for TopOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let rg = self.table.assign(&batch)?;
        self.counts.resize(self.table.n_groups(), 0);
        let held = self
            .table
            .heap_bytes()
            .saturating_add(self.counts.len() * 8);
        self.mem.check(held, &ctx.limits)?;
        for &g in &rg.groups {
            if g != NO_GROUP {
                if let Some(c) = self.counts.get_mut(g as usize) {
                    *c += 1;
                }
            }
        }
        Ok(Vec::new())
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let order = self.table.sorted_groups();
        let keys = self.table.key_columns(&order);
        let nb = self.by.len();
        // text of every key cell, by output position
        let mut cells: Vec<Vec<Option<String>>> = Vec::with_capacity(keys.len());
        for (_, arr) in &keys {
            let mut col = Vec::with_capacity(order.len());
            for i in 0..order.len() {
                col.push(batch::values_at(arr, i)?.map(|v| v.join("\n")));
            }
            cells.push(col);
        }
        // BY groups in value order, each with its combinations in value order
        let mut by_groups: IndexMap<Vec<Option<String>>, Vec<usize>> = IndexMap::new();
        for i in 0..order.len() {
            let key: Vec<Option<String>> = cells
                .iter()
                .take(nb)
                .map(|c| c.get(i).cloned().flatten())
                .collect();
            by_groups.entry(key).or_default().push(i);
        }
        let n_cols = keys.len();
        let mut out_cells: Vec<Vec<Option<String>>> = vec![Vec::new(); n_cols];
        let mut out_counts: Vec<f64> = Vec::new();
        let mut out_perc: Vec<f64> = Vec::new();
        for (by_key, mut members) in by_groups {
            let count_of = |i: usize| {
                order
                    .get(i)
                    .and_then(|&g| self.counts.get(g as usize))
                    .copied()
                    .unwrap_or(0)
            };
            let total: u64 = members.iter().map(|&i| count_of(i)).sum();
            if self.rare {
                members.sort_by_key(|&i| count_of(i));
            } else {
                members.sort_by_key(|&i| std::cmp::Reverse(count_of(i)));
            }
            let kept = members.len().min(self.limit);
            let perc = |c: u64| {
                if total == 0 {
                    0.0
                } else {
                    c as f64 * 100.0 / total as f64
                }
            };
            for &i in members.iter().take(kept) {
                for (c, col) in out_cells.iter_mut().enumerate() {
                    col.push(cells.get(c).and_then(|v| v.get(i)).cloned().flatten());
                }
                out_counts.push(count_of(i) as f64);
                out_perc.push(perc(count_of(i)));
            }
            if self.useother && kept < members.len() {
                let rest: u64 = members.iter().skip(kept).map(|&i| count_of(i)).sum();
                for (c, col) in out_cells.iter_mut().enumerate() {
                    col.push(if c < nb {
                        by_key.get(c).cloned().flatten()
                    } else {
                        Some(self.otherstr.clone())
                    });
                }
                out_counts.push(rest as f64);
                out_perc.push(perc(rest));
            }
        }
        let rows = out_counts.len();
        if rows == 0 {
            return Ok(Vec::new());
        }
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for ((name, arr), col) in keys.iter().zip(out_cells) {
            // keep numeric key columns numeric when every value still is one
            let nums: Option<Vec<Option<f64>>> = if arr.data_type() == &DataType::Float64 {
                col.iter()
                    .map(|v| match v {
                        None => Some(None),
                        Some(s) => crate::value::parse_number(s).map(Some),
                    })
                    .collect()
            } else {
                None
            };
            let a: ArrayRef = match nums {
                Some(n) => Arc::new(Float64Array::from(n)),
                None => Arc::new(StringArray::from(col)),
            };
            fields.push(Field::new(name, a.data_type().clone(), true));
            arrays.push(a);
        }
        if self.showcount {
            fields.push(Field::new(&self.countfield, DataType::Float64, true));
            arrays.push(Arc::new(Float64Array::from(out_counts)));
        }
        if self.showperc {
            fields.push(with_decimals(
                Field::new(&self.percentfield, DataType::Float64, true),
                Some(6),
            ));
            arrays.push(Arc::new(Float64Array::from(out_perc)));
        }
        Ok(vec![batch::from_columns(fields, arrays, rows)?])
    }
}
