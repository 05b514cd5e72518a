//! Writing lookup CSV files (`outputlookup`).
//!
//! The header is the union of the result fields in order of first appearance
//! (after the existing columns when appending). Internal fields starting with `_`
//! are left out, except `_time`, `_raw` and `_key`. A multivalue cell is written
//! newline-joined, and the field gets a `__mv_<field>` companion column holding
//! Splunk's `$v1$;$v2$` encoding so reading the file back restores the values.
//! Numbers are written as SPL prints them (a `spl.decimals` field metadata entry
//! fixes the number of decimals).

use super::table::LookupTable;
use crate::error::{EngineError, Result};
use crate::source::csv_events::encode_mv;
use crate::value::Cell;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::Field;
use std::io::Write;
use std::path::Path;

fn written(name: &str) -> bool {
    !name.starts_with('_') || matches!(name, "_time" | "_raw" | "_key")
}

/// One column's cells as text values (`None` = empty cell).
type Cells = Vec<Option<Vec<String>>>;

fn cells_of(field: &Field, arr: &ArrayRef) -> Cells {
    (0..arr.len())
        .map(|row| match crate::value::cell(field, arr.as_ref(), row) {
            Cell::Null => None,
            Cell::Single(s) => Some(vec![s]),
            Cell::Multi(v) => Some(v),
        })
        .collect()
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `existing` rows (when appending) then `batches` to `path`, replacing it.
pub(crate) fn write_lookup_csv(
    path: &Path,
    batches: &[RecordBatch],
    existing: Option<&LookupTable>,
) -> Result<()> {
    let display = path.display().to_string();
    let io = |source| EngineError::Io {
        path: display.clone(),
        source,
    };
    let mut columns: Vec<String> = existing.map(|t| t.columns.clone()).unwrap_or_default();
    for b in batches {
        for f in b.schema().fields() {
            if written(f.name()) && !f.name().starts_with("__mv_") && !columns.contains(f.name()) {
                columns.push(f.name().clone());
            }
        }
    }
    // Each source of rows as per-column cells, aligned with `columns`.
    let mut sources: Vec<(usize, Vec<Option<Cells>>)> = Vec::new();
    if let Some(t) = existing {
        let schema_fields: Vec<Field> = t
            .columns
            .iter()
            .zip(&t.data)
            .map(|(n, a)| Field::new(n, a.data_type().clone(), true))
            .collect();
        let cells = columns
            .iter()
            .map(|c| {
                let i = t.columns.iter().position(|x| x == c)?;
                Some(Ok(cells_of(schema_fields.get(i)?, t.data.get(i)?)))
            })
            .map(Option::transpose)
            .collect::<Result<Vec<_>>>()?;
        sources.push((t.num_rows(), cells));
    }
    for b in batches {
        let schema = b.schema();
        let cells = columns
            .iter()
            .map(|c| {
                let (i, f) = schema.column_with_name(c)?;
                Some(Ok(cells_of(f, b.column(i))))
            })
            .map(Option::transpose)
            .collect::<Result<Vec<_>>>()?;
        sources.push((b.num_rows(), cells));
    }
    let multi: Vec<bool> = (0..columns.len())
        .map(|ci| {
            sources.iter().any(|(_, cols)| {
                matches!(cols.get(ci), Some(Some(v)) if v.iter().flatten().any(|vals| vals.len() > 1))
            })
        })
        .collect();

    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| EngineError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let mut header: Vec<String> = columns.iter().map(|c| csv_cell(c)).collect();
    header.extend(
        columns
            .iter()
            .zip(&multi)
            .filter(|(_, &m)| m)
            .map(|(c, _)| csv_cell(&format!("__mv_{c}"))),
    );
    // A unique temporary file, synced, then renamed over the lookup: readers
    // see the old table or the new one, never a part of it.
    crate::atomic_file::write_atomic(path, |w| {
        if !columns.is_empty() {
            writeln!(w, "{}", header.join(","))?;
        }
        for (rows, cols) in &sources {
            for r in 0..*rows {
                let mut line: Vec<String> = Vec::with_capacity(header.len());
                let mut mv_cells = Vec::new();
                for (ci, col) in cols.iter().enumerate() {
                    let vals = match col {
                        Some(v) => v.get(r).cloned().flatten(),
                        None => None,
                    };
                    let vals = vals.unwrap_or_default();
                    line.push(csv_cell(&vals.join("\n")));
                    if multi.get(ci) == Some(&true) {
                        mv_cells.push(if vals.len() > 1 {
                            csv_cell(&encode_mv(vals.iter().map(String::as_str)))
                        } else {
                            String::new()
                        });
                    }
                }
                line.extend(mv_cells);
                writeln!(w, "{}", line.join(","))?;
            }
        }
        Ok(())
    })
    .map_err(io)
}
