//! Stable renderings of results: JSON lines, JSON, CSV, and a terminal table.
//!
//! Values are strings exactly as Splunk prints them (numbers in their display
//! form, honouring a column's `spl.decimals`), multivalue fields are lists,
//! null fields are left out, `_time` is ISO-8601 in the user's time zone.
//! Internal fields other than `_time` and `_raw` are not shown.

use crate::batch::format_f64;
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

/// Builds the display table of a result: the visible fields of all batches
/// in first-appearance order ([`extend_fields`]), each row's cells from its
/// own batch ([`rows`]).
pub fn table(batches: &[RecordBatch], tz: &jiff::tz::TimeZone) -> Result<Table> {
    let mut fields = Vec::new();
    for b in batches {
        extend_fields(&mut fields, b);
    }
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for b in batches {
        out.extend(rows(b, &fields, tz)?);
    }
    Ok(Table { fields, rows: out })
}

/// Adds the visible fields of `batch` that `fields` lacks, in the batch's
/// order, and returns how many were added. Fields only ever join at the
/// end, so the order over some batches is a prefix of the order over more:
/// what lets output be written batch by batch.
pub fn extend_fields(fields: &mut Vec<String>, batch: &RecordBatch) -> usize {
    let before = fields.len();
    for f in batch.schema().fields() {
        if is_visible(f.name()) && !fields.iter().any(|x| x == f.name()) {
            fields.push(f.name().clone());
        }
    }
    fields.len() - before
}

/// The display rows of one batch over `fields` (a field the batch lacks is
/// a null cell). A cell is rendered from its own batch's column, type and
/// display precision, whatever other batches hold: in Splunk a value's
/// display depends on the value, not on other rows.
pub fn rows(
    batch: &RecordBatch,
    fields: &[String],
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<Vec<Cell>>> {
    let schema = batch.schema();
    let cols: Vec<Option<(&Field, &ArrayRef)>> = fields
        .iter()
        .map(|f| {
            schema
                .index_of(f)
                .ok()
                .map(|i| (schema.field(i), batch.column(i)))
        })
        .collect();
    let mut out = Vec::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        let mut r = Vec::with_capacity(cols.len());
        for c in &cols {
            r.push(match c {
                Some((f, a)) => cell(f, a, row, tz)?,
                None => Cell::Null,
            });
        }
        out.push(r);
    }
    Ok(out)
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

/// One row as a JSON object (null cells left out), keys in field order.
pub fn json_row(fields: &[String], row: &[Cell]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (name, c) in fields.iter().zip(row) {
        if let Some(v) = json_value(c) {
            m.insert(name.clone(), v);
        }
    }
    serde_json::Value::Object(m)
}

/// One JSON object per row.
pub fn to_jsonl(t: &Table) -> String {
    let mut out = String::new();
    for row in &t.rows {
        out.push_str(&json_row(&t.fields, row).to_string());
        out.push('\n');
    }
    out
}

/// One JSON array of row objects.
pub fn to_json(t: &Table) -> String {
    let rows: Vec<serde_json::Value> = t.rows.iter().map(|r| json_row(&t.fields, r)).collect();
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Array(rows))
        .unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// `v` pretty-printed as [`serde_json::to_string_pretty`] prints it when
/// it sits `depth` levels deep in a pretty-printed document: every line
/// after the first indented by two spaces per level (the first line's
/// indent is the caller's). Lets a writer stream the elements of a pretty
/// array one by one and produce the bytes the whole document would give.
pub fn json_pretty_at(v: &serde_json::Value, depth: usize) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
    let pad = "  ".repeat(depth);
    // pretty JSON escapes newlines inside strings: every newline is structure
    s.replace('\n', &format!("\n{pad}"))
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
    let mut out = csv_header(&t.fields);
    for row in &t.rows {
        out.push_str(&csv_row(row));
    }
    out
}

/// The CSV header line of `fields` (with its newline).
pub fn csv_header(fields: &[String]) -> String {
    let mut out = fields
        .iter()
        .map(|f| csv_quote(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

/// One CSV row (with its newline): multivalue cells newline-joined, nulls empty.
pub fn csv_row(row: &[Cell]) -> String {
    let cells: Vec<String> = row
        .iter()
        .map(|c| match c {
            Cell::Null => String::new(),
            Cell::Single(s) => csv_quote(s),
            Cell::Multi(v) => csv_quote(&v.join("\n")),
        })
        .collect();
    let mut out = cells.join(",");
    out.push('\n');
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
    let widths = text_widths(&t.fields, &t.rows, width);
    let mut out = text_header(&t.fields, &widths);
    out.push_str(&text_rows(&t.rows, &widths, width.is_some()));
    out.push_str(&text_footer(t.rows.len()));
    out
}

fn cell_lines(c: &Cell) -> Vec<String> {
    match c {
        Cell::Null => vec![String::new()],
        Cell::Single(s) => s.split('\n').map(str::to_string).collect(),
        Cell::Multi(v) => v.clone(),
    }
}

/// The column widths of a text table of `rows` over `fields`: each
/// column's widest line, fitted to `width` when given.
pub fn text_widths(fields: &[String], rows: &[Vec<Cell>], width: Option<usize>) -> Vec<usize> {
    let mut widths: Vec<usize> = fields.iter().map(|f| f.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            for l in cell_lines(c) {
                *w = (*w).max(l.chars().count());
            }
        }
    }
    match width {
        Some(total) => fit_widths(&widths, total),
        None => widths,
    }
}

/// A cell line cut to `w` and padded to it.
fn pad(s: &str, w: usize) -> String {
    let s = cut(s, w);
    format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
}

/// A cell line padded to `w`, never cut (a longer one overflows).
fn pad_uncut(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
}

/// The header and separator lines of a text table.
pub fn text_header(fields: &[String], widths: &[usize]) -> String {
    let mut out = String::new();
    let header: Vec<String> = fields.iter().zip(widths).map(|(f, w)| pad(f, *w)).collect();
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
    out
}

/// The lines of `rows` in a text table with `widths` (a multivalue cell
/// takes one line per value). A line longer than its column (widths
/// measured on other rows) is cut with `…` when `fitted`, else it
/// overflows its column: nothing is lost.
pub fn text_rows(rows: &[Vec<Cell>], widths: &[usize], fitted: bool) -> String {
    let pad = if fitted { pad } else { pad_uncut };
    let mut out = String::new();
    for row in rows {
        let cell_lines: Vec<Vec<String>> = row.iter().map(cell_lines).collect();
        let height = cell_lines.iter().map(Vec::len).max().unwrap_or(1);
        for h in 0..height {
            let parts: Vec<String> = cell_lines
                .iter()
                .zip(widths)
                .map(|(ls, w)| pad(ls.get(h).map(String::as_str).unwrap_or(""), *w))
                .collect();
            out.push_str(parts.join(" | ").trim_end());
            out.push('\n');
        }
    }
    out
}

/// The last line of a text table: its row count.
pub fn text_footer(rows: usize) -> String {
    format!("({rows} row{})\n", if rows == 1 { "" } else { "s" })
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
