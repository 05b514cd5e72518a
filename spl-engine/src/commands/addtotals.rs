//! `addtotals [row=<bool>] [col=<bool>] [fieldname=<field>] [labelfield=<field>]
//! [label=<string>] [<field-list>]`: sums numeric fields per result (a new
//! field, default `Total`) and optionally per column (an appended result)
//! (Splunk's "addtotals" reference page).

use crate::batch;
use crate::context::ExecContext;
use crate::error::Result;
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{wildcard_fields, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::value::with_column;
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use indexmap::IndexMap;
use spl_parser::ast::Addtotals;
use std::sync::Arc;

/// The `addtotals` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Adds a field with the sum of the numeric fields of each result (default all numeric fields, into `Total`); with col=true, appends a result with each column's sum.",
    examples: &[Example {
        title: "a score from indicator fields",
        spl: "| makeresults | eval a=1, b=0, c=1, name=\"x\" | addtotals fieldname=Score a b c",
    }],
    compat: "A result with no numeric value among the fields gets no total field.",
};

/// Plans `addtotals`.
pub(crate) fn plan(a: &Addtotals, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    Ok(Box::new(AddtotalsOp {
        row: o.flag("row")?,
        col: o.flag("col")?,
        fieldname: o.text_or_default("fieldname").unwrap_or_default(),
        labelfield: o.text("labelfield").map(|v| v.node.clone()),
        label: o.text_or_default("label").unwrap_or_default(),
        fields: a.fields.iter().map(|f| f.node.clone()).collect(),
        col_sums: IndexMap::new(),
    }))
}

struct AddtotalsOp {
    row: bool,
    col: bool,
    fieldname: String,
    labelfield: Option<String>,
    label: String,
    fields: Vec<String>,
    /// Column sums so far (col=true), in field order.
    col_sums: IndexMap<String, Option<f64>>,
}

/// The numeric values of a column, one sum per row (`None`: no number).
fn row_numbers(batch: &RecordBatch, name: &str) -> Result<Vec<Option<f64>>> {
    let Some(col) = batch.column_by_name(name) else {
        return Ok(vec![None; batch.num_rows()]);
    };
    if col.data_type() == &DataType::Float64 {
        return Ok(col.as_primitive::<Float64Type>().iter().collect());
    }
    let texts = Texts::of(batch, name)?;
    Ok((0..batch.num_rows())
        .map(|r| {
            texts
                .get(r)
                .to_vec()
                .iter()
                .filter_map(|v| crate::value::parse_number(v.trim()))
                .fold(None, |acc: Option<f64>, x| Some(acc.unwrap_or(0.0) + x))
        })
        .collect())
}

impl AddtotalsOp {
    fn targets(&self, batch: &RecordBatch) -> Vec<String> {
        let names: Vec<String> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let mut out = Vec::new();
        if self.fields.is_empty() {
            out.extend(names.into_iter().filter(|n| !n.starts_with('_')));
        } else {
            for f in &self.fields {
                for n in wildcard_fields(&names, f) {
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
            }
        }
        // the total itself and the label field are never summed into the row total
        out.retain(|n| n != &self.fieldname && Some(n) != self.labelfield.as_ref());
        out
    }
}

impl Operator for AddtotalsOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let targets = self.targets(&batch);
        let mut per_field = Vec::with_capacity(targets.len());
        for t in &targets {
            per_field.push((t.clone(), row_numbers(&batch, t)?));
        }
        let mut out = batch;
        if self.row {
            let totals: Float64Array = (0..out.num_rows())
                .map(|r| {
                    per_field
                        .iter()
                        .filter_map(|(_, v)| v.get(r).copied().flatten())
                        .fold(None, |acc: Option<f64>, x| Some(acc.unwrap_or(0.0) + x))
                })
                .collect();
            out = with_column(&out, &self.fieldname, Arc::new(totals), None)?;
        }
        if self.col {
            let mut names = targets;
            if self.row {
                names.push(self.fieldname.clone());
            }
            for n in names {
                let vals = row_numbers(&out, &n)?;
                let sum = vals
                    .iter()
                    .flatten()
                    .fold(None, |acc: Option<f64>, x| Some(acc.unwrap_or(0.0) + x));
                let slot = self.col_sums.entry(n).or_insert(None);
                if let Some(s) = sum {
                    *slot = Some(slot.unwrap_or(0.0) + s);
                }
            }
        }
        Ok(vec![out])
    }

    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if !self.col || self.col_sums.is_empty() {
            return Ok(Vec::new());
        }
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (name, sum) in &self.col_sums {
            if sum.is_some() {
                fields.push(arrow_schema::Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(vec![*sum])));
            }
        }
        // the label field is never summed (see `targets`), so it is not among the sums
        if let Some(lf) = &self.labelfield {
            fields.push(arrow_schema::Field::new(lf, DataType::Utf8, true));
            arrays.push(Arc::new(StringArray::from(vec![self.label.clone()])));
        }
        if arrays.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![batch::from_columns(fields, arrays, 1)?])
    }
}
