//! A lookup table in memory: its columns as Arrow arrays (Utf8, or List<Utf8> for
//! columns with Splunk `__mv_` multivalue cells), loaded from CSV.

use super::config::LookupConfig;
use super::matcher::IndexCache;
use crate::error::{EngineError, Result};
use crate::source::csv_util::{csv_error, read_header};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A loaded lookup table.
pub struct LookupTable {
    /// The lookup's name (definition or file name).
    pub name: String,
    /// Column names in file order (`__mv_` helper columns folded into their field).
    pub columns: Vec<String>,
    /// Match settings.
    pub config: LookupConfig,
    /// The file the table came from (or will be written to), if any.
    pub path: Option<PathBuf>,
    pub(crate) data: Vec<ArrayRef>,
    pub(crate) rows: usize,
    pub(crate) indexes: IndexCache,
}

impl std::fmt::Debug for LookupTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupTable")
            .field("name", &self.name)
            .field("columns", &self.columns)
            .field("rows", &self.rows)
            .field("config", &self.config)
            .finish()
    }
}

impl LookupTable {
    /// A table from column names and arrays (each Utf8 or List<Utf8>, equal lengths).
    pub fn from_columns(
        name: impl Into<String>,
        columns: Vec<String>,
        data: Vec<ArrayRef>,
        config: LookupConfig,
        path: Option<PathBuf>,
    ) -> Result<Self> {
        let rows = data.first().map_or(0, |a| a.len());
        if columns.len() != data.len() || data.iter().any(|a| a.len() != rows) {
            return Err(EngineError::Internal(
                "lookup columns of unequal length".into(),
            ));
        }
        for a in &data {
            if !is_text_or_list(a.data_type()) {
                return Err(EngineError::Internal(format!(
                    "lookup column of type {}, expected Utf8 or List<Utf8>",
                    a.data_type()
                )));
            }
        }
        Ok(LookupTable {
            name: name.into(),
            columns,
            config,
            path,
            data,
            rows,
            indexes: IndexCache::default(),
        })
    }

    /// An empty table with the given columns (a collection not written yet).
    pub fn empty(
        name: impl Into<String>,
        columns: Vec<String>,
        config: LookupConfig,
        path: Option<PathBuf>,
    ) -> Self {
        let data = columns
            .iter()
            .map(|_| Arc::new(StringArray::from(Vec::<Option<&str>>::new())) as ArrayRef)
            .collect();
        LookupTable {
            name: name.into(),
            columns,
            config,
            path,
            data,
            rows: 0,
            indexes: IndexCache::default(),
        }
    }

    /// Loads a CSV lookup file.
    pub fn load_csv(name: impl Into<String>, path: &Path, config: LookupConfig) -> Result<Self> {
        let max_line = crate::limits::Limits::default().max_line_bytes;
        Self::load_csv_limited(name, path, config, max_line)
    }

    /// [`LookupTable::load_csv`] with a longest line of `max_line` bytes
    /// (`max_line_bytes`): a longer one is a data error naming the line,
    /// found while reading, before the line is held whole.
    pub(crate) fn load_csv_limited(
        name: impl Into<String>,
        path: &Path,
        config: LookupConfig,
        max_line: u64,
    ) -> Result<Self> {
        let display = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| EngineError::Io {
            path: display.clone(),
            source,
        })?;
        // a device or FIFO named as a lookup would be read without end
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(EngineError::data(
                &display,
                None,
                None,
                "expected a regular lookup file, found a device, pipe or folder",
            ));
        }
        let mut bytes = crate::source::line_limit::read_all(file, &display, max_line)?;
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let (columns, data) = if bytes.iter().all(u8::is_ascii_whitespace) {
            (Vec::new(), Vec::new())
        } else {
            parse_csv(&bytes, &display)?
        };
        Self::from_columns(name, columns, data, config, Some(path.to_path_buf()))
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.rows
    }

    /// The column named `name`, if the table has it.
    pub fn column(&self, name: &str) -> Option<&ArrayRef> {
        let i = self.columns.iter().position(|c| c == name)?;
        self.data.get(i)
    }

    /// The table as record batches (for `inputlookup`): one column per table
    /// column, Utf8 or List<Utf8>, empty cells null.
    pub fn to_batches(&self) -> Result<Vec<RecordBatch>> {
        if self.columns.is_empty() {
            return Ok(Vec::new());
        }
        let fields: Vec<Field> = self
            .columns
            .iter()
            .zip(&self.data)
            .map(|(n, a)| Field::new(n, a.data_type().clone(), true))
            .collect();
        Ok(vec![RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            self.data.clone(),
        )?])
    }
}

pub(crate) fn is_text_or_list(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 => true,
        DataType::List(f) => f.data_type() == &DataType::Utf8,
        _ => false,
    }
}

/// What is trimmed around header names and cells: spaces and tabs.
const PADDING: [char; 2] = [' ', '\t'];

/// Parses CSV bytes into named Utf8 columns, folding `__mv_<f>` columns into `f`.
///
/// Spaces and tabs around header names and cells are not part of them
/// (security_content writes `EventCode, Description` headers and `8000, text`
/// rows, and its detections use `Description` and match the bare values); a
/// cell left empty is absent.
fn parse_csv(bytes: &[u8], display: &str) -> Result<(Vec<String>, Vec<ArrayRef>)> {
    let header: Vec<String> = read_header(Cursor::new(bytes), display)?
        .into_iter()
        .map(|h| h.trim_matches(PADDING).to_string())
        .collect();
    let mut keep = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !name.is_empty() && !header.iter().take(i).any(|n| n == name) {
            keep.push(i);
        }
    }
    let schema = Schema::new(
        (0..header.len())
            .map(|i| Field::new(format!("c{i}"), DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    let reader = arrow_csv::ReaderBuilder::new(Arc::new(schema))
        .with_header(true)
        .with_batch_size(65536)
        .with_projection(keep.clone())
        .build(Cursor::new(bytes))
        .map_err(|e| csv_error(e, display))?;
    let mut batches = Vec::new();
    for b in reader {
        batches.push(b.map_err(|e| csv_error(e, display))?);
    }
    let names: Vec<String> = keep
        .iter()
        .filter_map(|&i| header.get(i).cloned())
        .collect();
    let mut cols: Vec<StringArray> = Vec::with_capacity(names.len());
    for i in 0..names.len() {
        let parts: Vec<&dyn Array> = batches
            .iter()
            .filter_map(|b| b.columns().get(i))
            .map(|a| a.as_ref())
            .collect();
        let merged = if parts.is_empty() {
            Arc::new(StringArray::from(Vec::<Option<&str>>::new())) as ArrayRef
        } else {
            arrow_select::concat::concat(&parts)?
        };
        cols.push(trim_cells(merged.as_string::<i32>()));
    }
    let mut out_names = Vec::new();
    let mut out_data: Vec<ArrayRef> = Vec::new();
    for (name, col) in names.iter().zip(&cols) {
        if name.starts_with("__mv_") {
            continue;
        }
        let mv = names
            .iter()
            .position(|n| n.strip_prefix("__mv_") == Some(name.as_str()))
            .and_then(|j| cols.get(j));
        out_names.push(name.clone());
        out_data.push(match mv {
            Some(mv) => crate::source::csv_events::decode_mv_column(col, mv),
            None => Arc::new(col.clone()),
        });
    }
    Ok((out_names, out_data))
}

/// The column with spaces and tabs trimmed around each cell (empty ones null).
fn trim_cells(col: &StringArray) -> StringArray {
    let padded = |v: &str| v.starts_with(PADDING) || v.ends_with(PADDING);
    if !col.iter().flatten().any(padded) {
        return col.clone();
    }
    col.iter()
        .map(|v| v.map(|s| s.trim_matches(PADDING)).filter(|s| !s.is_empty()))
        .collect()
}
