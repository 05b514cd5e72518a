//! Stable renderings of results: JSON lines, JSON, CSV, and a terminal table.
//!
//! Values are strings exactly as Splunk prints them (numbers in their display
//! form, honouring a column's `spl.decimals`), multivalue fields are lists,
//! null fields are left out, `_time` is ISO-8601 in the user's time zone.
//! Internal fields other than `_time` and `_raw` are not shown.

use crate::batch::{self, format_f64};
use crate::error::Result;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field};

pub use crate::value::Cell;

/// Rows of display cells over the visible output fields.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Visible field names in output order.
    pub fields: Vec<String>,
    /// One cell per field per row.
    pub rows: Vec<Vec<Cell>>,
}

/// True for fields shown in results (`_time`, `_raw` and non-internal fields).
pub fn is_visible(name: &str) -> bool {
    !name.starts_with('_') || name == "_time" || name == "_raw"
}

/// Formats epoch seconds as ISO-8601 with milliseconds in `tz`.
pub fn format_time(t: f64, tz: &jiff::tz::TimeZone) -> String {
    let micros = (t * 1_000_000.0).round() as i64;
    match jiff::Timestamp::from_microsecond(micros) {
        Ok(ts) => ts
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string(),
        Err(_) => format_f64(t),
    }
}

/// The display cell of one row of a column.
pub fn cell(field: &Field, array: &ArrayRef, row: usize, tz: &jiff::tz::TimeZone) -> Result<Cell> {
    if array.is_null(row) {
        return Ok(Cell::Null);
    }
    if field.name() == "_time" {
        if let Ok(t) = arrow_cast::cast(&array.slice(row, 1), &DataType::Float64) {
            let t = t.as_primitive::<arrow_array::types::Float64Type>();
            if t.is_valid(0) {
                return Ok(Cell::Single(format_time(t.value(0), tz)));
            }
        }
    }
    Ok(crate::value::cell(field, array.as_ref(), row))
}

/// Builds the display table of a result.
pub fn table(batches: &[RecordBatch], tz: &jiff::tz::TimeZone) -> Result<Table> {
    let all = batch::concat_unified(batches)?;
    let schema = all.schema();
    let visible: Vec<usize> = schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| is_visible(f.name()))
        .map(|(i, _)| i)
        .collect();
    let mut rows = Vec::with_capacity(all.num_rows());
    for row in 0..all.num_rows() {
        let mut r = Vec::with_capacity(visible.len());
        for &i in &visible {
            r.push(cell(schema.field(i), all.column(i), row, tz)?);
        }
        rows.push(r);
    }
    Ok(Table {
        fields: visible
            .iter()
            .map(|&i| schema.field(i).name().clone())
            .collect(),
        rows,
    })
}

fn json_value(c: &Cell) -> Option<serde_json::Value> {
    match c {
        Cell::Null => None,
        Cell::Single(s) => Some(serde_json::Value::String(s.clone())),
        Cell::Multi(v) => Some(serde_json::Value::Array(
            v.iter()
                .map(|s| serde_json::Value::String(s.clone()))
                .collect(),
        )),
    }
}

fn json_object(t: &Table, row: &[Cell]) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    for (name, c) in t.fields.iter().zip(row) {
        if let Some(v) = json_value(c) {
            m.insert(name.clone(), v);
        }
    }
    m
}

/// One JSON object per row.
pub fn to_jsonl(t: &Table) -> String {
    let mut out = String::new();
    for row in &t.rows {
        out.push_str(&serde_json::Value::Object(json_object(t, row)).to_string());
        out.push('\n');
    }
    out
}

/// One JSON array of row objects.
pub fn to_json(t: &Table) -> String {
    let rows: Vec<serde_json::Value> = t
        .rows
        .iter()
        .map(|r| serde_json::Value::Object(json_object(t, r)))
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Array(rows))
        .unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Splunk-style CSV: a header row; multivalue cells newline-joined; nulls empty.
pub fn to_csv(t: &Table) -> String {
    let mut out = String::new();
    out.push_str(
        &t.fields
            .iter()
            .map(|f| csv_quote(f))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push('\n');
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Null => String::new(),
                Cell::Single(s) => csv_quote(s),
                Cell::Multi(v) => csv_quote(&v.join("\n")),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A readable terminal table; multivalue cells take one line per value.
pub fn to_text_table(t: &Table) -> String {
    to_text_table_fit(t, None)
}

/// The narrowest a column is cut to when a table is fitted to a width
/// (four characters and the ellipsis).
pub const MIN_FITTED_COLUMN: usize = 5;

/// Column widths that fit `natural` widths into `total` characters with
/// ` | ` between columns: the widest columns are cut first, to one common
/// cap, never below [`MIN_FITTED_COLUMN`] (a table too wide even then
/// keeps that and overflows).
fn fit_widths(natural: &[usize], total: usize) -> Vec<usize> {
    let seps = 3 * natural.len().saturating_sub(1);
    let fits = |cap: usize| natural.iter().map(|w| (*w).min(cap)).sum::<usize>() + seps <= total;
    let widest = natural.iter().copied().max().unwrap_or(0);
    if fits(widest) {
        return natural.to_vec();
    }
    // the largest cap that fits (fits is monotone in cap)
    let (mut lo, mut hi) = (MIN_FITTED_COLUMN, widest);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    natural.iter().map(|w| (*w).min(lo)).collect()
}

/// `s` cut to `w` characters, the last one an ellipsis when anything was cut.
fn cut(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// [`to_text_table`] fitted to `width` characters when given: cells (and
/// field names) of the widest columns are cut and end with `…`; `None`
/// never cuts. Every line of a cell is cut on its own.
pub fn to_text_table_fit(t: &Table, width: Option<usize>) -> String {
    let lines = |c: &Cell| -> Vec<String> {
        match c {
            Cell::Null => vec![String::new()],
            Cell::Single(s) => s.split('\n').map(str::to_string).collect(),
            Cell::Multi(v) => v.clone(),
        }
    };
    let mut widths: Vec<usize> = t.fields.iter().map(|f| f.chars().count()).collect();
    for row in &t.rows {
        for (i, c) in row.iter().enumerate() {
            for l in lines(c) {
                widths[i] = widths[i].max(l.chars().count());
            }
        }
    }
    if let Some(total) = width {
        widths = fit_widths(&widths, total);
    }
    let pad = |s: &str, w: usize| {
        let s = cut(s, w);
        format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
    };
    let mut out = String::new();
    let header: Vec<String> = t
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| pad(f, widths[i]))
        .collect();
    out.push_str(header.join(" | ").trim_end());
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    );
    out.push('\n');
    for row in &t.rows {
        let cell_lines: Vec<Vec<String>> = row.iter().map(lines).collect();
        let height = cell_lines.iter().map(Vec::len).max().unwrap_or(1);
        for h in 0..height {
            let parts: Vec<String> = cell_lines
                .iter()
                .enumerate()
                .map(|(i, ls)| pad(ls.get(h).map(String::as_str).unwrap_or(""), widths[i]))
                .collect();
            out.push_str(parts.join(" | ").trim_end());
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "({} row{})\n",
        t.rows.len(),
        if t.rows.len() == 1 { "" } else { "s" }
    ));
    out
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    fn table() -> Table {
        Table {
            fields: vec!["user".into(), "message".into(), "n".into()],
            rows: vec![vec![
                Cell::Single("alice".into()),
                Cell::Single("a rather long message that does not fit".into()),
                Cell::Single("7".into()),
            ]],
        }
    }

    #[test]
    fn fitted_tables_cut_the_widest_columns_with_an_ellipsis() {
        let full = to_text_table_fit(&table(), None);
        assert_eq!(full, to_text_table(&table()));
        assert!(full.contains("a rather long message that does not fit"));
        let fitted = to_text_table_fit(&table(), Some(30));
        for line in fitted.lines() {
            assert!(line.chars().count() <= 30, "{line:?}\n{fitted}");
        }
        assert!(
            fitted.contains("alice | a rather long mes… | 7"),
            "{fitted}"
        );
        // wide enough: unchanged
        assert_eq!(to_text_table_fit(&table(), Some(200)), full);
        // too narrow even at the minimum: columns keep MIN_FITTED_COLUMN
        let narrow = to_text_table_fit(&table(), Some(4));
        assert!(narrow.contains("alice | a ra… | 7"), "{narrow}");
    }

    #[test]
    fn fit_widths_is_the_largest_common_cap() {
        assert_eq!(fit_widths(&[5, 40, 1], 30), vec![5, 18, 1]);
        assert_eq!(fit_widths(&[20, 20], 23), vec![10, 10]);
        assert_eq!(fit_widths(&[], 10), Vec::<usize>::new());
    }
}
