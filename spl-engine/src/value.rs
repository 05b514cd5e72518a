//! The SPL <-> Arrow value mapping and number display rules.
//!
//! This module is the single place that decides how SPL values live in Arrow:
//!
//! - an event field is a `Utf8` column (one value per row) or a `List<Utf8>`
//!   column (multivalue); `null` means the field is absent on that row;
//! - numbers computed by eval/stats are `Float64`; integer and other string
//!   encodings are accepted on input (see [`normalize_column`]);
//! - `_time` is `Float64` epoch seconds;
//! - `Boolean` exists only inside expressions.
//!
//! A `Float64` field may carry a display precision in its metadata under
//! [`DECIMALS_KEY`] (set by `eval x=round(y, 2)`); [`cell`] honours it so every
//! renderer prints `3.50`, not `3.5` (semantics 12.4).

use crate::error::{EngineError, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::sync::Arc;

/// Field-metadata key holding the display precision (decimal places) of a
/// `Float64` column, as a decimal integer string (`"2"`).
pub const DECIMALS_KEY: &str = "spl.decimals";

/// Formats a number the way Splunk displays it (semantics 3.4, 12.4).
///
/// With `decimals`, fixed-point with exactly that many places (`3.50`);
/// without, the shortest text that round-trips, with no exponent and no
/// trailing `.0` (`1.5`, `2`, `0.0028093503788113594`). NaN prints `nan`,
/// infinities `inf`/`-inf`, and negative zero `0`.
pub fn format_number(v: f64, decimals: Option<u8>) -> String {
    let mut s = String::new();
    write_number(&mut s, v, decimals);
    s
}

/// [`format_number`] into a writer (no allocation per value).
pub(crate) fn write_number<W: std::fmt::Write>(out: &mut W, v: f64, decimals: Option<u8>) {
    // Writing to a String or an Arrow builder cannot fail.
    let _ = if v.is_nan() {
        out.write_str("nan")
    } else if v.is_infinite() {
        out.write_str(if v > 0.0 { "inf" } else { "-inf" })
    } else {
        let v = if v == 0.0 { 0.0 } else { v };
        match decimals {
            Some(d) => {
                // `-0.00` after rounding a tiny negative prints without the sign.
                let p = 10f64.powi(i32::from(d));
                let v = if v < 0.0 && (v * p).round() == 0.0 {
                    0.0
                } else {
                    v
                };
                write!(out, "{:.*}", usize::from(d), v)
            }
            None => write!(out, "{v}"),
        }
    };
}

/// One displayed value: what a renderer prints for a row of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The field is absent on this row.
    Null,
    /// A single value.
    Single(String),
    /// A multivalue field, values in order.
    Multi(Vec<String>),
}

impl Cell {
    /// The values joined with `sep` (multivalue), the value, or `None` for null.
    pub fn joined(&self, sep: &str) -> Option<String> {
        match self {
            Cell::Null => None,
            Cell::Single(s) => Some(s.clone()),
            Cell::Multi(v) => Some(v.join(sep)),
        }
    }
}

/// The display precision stored in a field's metadata, if any.
pub fn field_decimals(field: &Field) -> Option<u8> {
    field
        .metadata()
        .get(DECIMALS_KEY)
        .and_then(|d| d.parse().ok())
}

/// A field with the given display precision recorded in (or removed from) its metadata.
pub fn with_decimals(field: Field, decimals: Option<u8>) -> Field {
    let mut md = field.metadata().clone();
    match decimals {
        Some(d) => {
            md.insert(DECIMALS_KEY.to_string(), d.to_string());
        }
        None => {
            md.remove(DECIMALS_KEY);
        }
    }
    field.with_metadata(md)
}

/// The display strings of `array[row]`, exactly as Splunk prints them,
/// honouring [`DECIMALS_KEY`] on `field`. Out-of-range rows are [`Cell::Null`].
pub fn cell(field: &Field, array: &dyn Array, row: usize) -> Cell {
    if row >= array.len() || array.is_null(row) {
        return Cell::Null;
    }
    let decimals = field_decimals(field);
    match array.data_type() {
        DataType::List(_) => list_cell(array.as_list::<i32>().value(row).as_ref(), decimals),
        DataType::LargeList(_) => list_cell(array.as_list::<i64>().value(row).as_ref(), decimals),
        DataType::FixedSizeList(_, _) => {
            list_cell(array.as_fixed_size_list().value(row).as_ref(), decimals)
        }
        _ => scalar_text(array, row, decimals).map_or(Cell::Null, Cell::Single),
    }
}

fn list_cell(values: &dyn Array, decimals: Option<u8>) -> Cell {
    let out: Vec<String> = (0..values.len())
        .filter_map(|i| scalar_text(values, i, decimals))
        .collect();
    // A one-element list displays as a single value (semantics 3.7, INF).
    match out.len() {
        0 => Cell::Null,
        1 => out.into_iter().next().map_or(Cell::Null, Cell::Single),
        _ => Cell::Multi(out),
    }
}

/// The text of one non-list value (`None` when null or of an unsupported type).
pub(crate) fn scalar_text(array: &dyn Array, row: usize, decimals: Option<u8>) -> Option<String> {
    if row >= array.len() || array.is_null(row) {
        return None;
    }
    let text = match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(row).to_string(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row).to_string(),
        DataType::Utf8View => array.as_string_view().value(row).to_string(),
        DataType::Float64 => {
            format_number(array.as_primitive::<Float64Type>().value(row), decimals)
        }
        DataType::Float32 => format_number(
            f64::from(array.as_primitive::<Float32Type>().value(row)),
            decimals,
        ),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int16 => array.as_primitive::<Int16Type>().value(row).to_string(),
        DataType::Int8 => array.as_primitive::<Int8Type>().value(row).to_string(),
        DataType::UInt64 => array.as_primitive::<UInt64Type>().value(row).to_string(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(row).to_string(),
        DataType::UInt16 => array.as_primitive::<UInt16Type>().value(row).to_string(),
        DataType::UInt8 => array.as_primitive::<UInt8Type>().value(row).to_string(),
        DataType::Boolean => bool_text(array.as_boolean().value(row)).to_string(),
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            let key = dict.normalized_keys().get(row).copied()?;
            return scalar_text(dict.values().as_ref(), key, decimals);
        }
        _ => {
            let formatter =
                arrow_cast::display::ArrayFormatter::try_new(array, &Default::default()).ok()?;
            formatter.value(row).to_string()
        }
    };
    Some(text)
}

/// How Splunk prints a boolean (`tostring(1==1)` is `True`).
pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The Arrow type of a multivalue field: `List<Utf8>` with a nullable `item`.
pub fn multivalue_type() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

/// Converts an input column to the engine's canonical types: integer and
/// `Float32` columns become `Float64`; `LargeUtf8`, `Utf8View` and
/// dictionary-encoded strings become `Utf8`; lists of any of those become
/// `List<Utf8>`. Canonical columns are returned unchanged (no copy).
pub fn normalize_column(array: &ArrayRef) -> Result<ArrayRef> {
    let cast_to = match array.data_type() {
        DataType::Utf8 | DataType::Float64 | DataType::Boolean | DataType::Null => {
            return Ok(array.clone())
        }
        DataType::List(f) if f.data_type() == &DataType::Utf8 => return Ok(array.clone()),
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float16
        | DataType::Float32
        | DataType::Decimal128(_, _)
        | DataType::Decimal256(_, _) => DataType::Float64,
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::FixedSizeList(_, _)
        | DataType::ListView(_) => multivalue_type(),
        _ => DataType::Utf8,
    };
    Ok(arrow_cast::cast(array, &cast_to)?)
}

/// The column named `name`, if the batch has one.
pub fn column<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a ArrayRef> {
    batch
        .schema_ref()
        .index_of(name)
        .ok()
        .map(|i| batch.column(i))
}

/// A copy of `batch` with column `name` set to `array` (replacing an existing
/// column in place, else appended), with `decimals` recorded in the field's
/// metadata. The new field is nullable.
pub fn with_column(
    batch: &RecordBatch,
    name: &str,
    array: ArrayRef,
    decimals: Option<u8>,
) -> Result<RecordBatch> {
    if array.len() != batch.num_rows() {
        return Err(EngineError::Internal(format!(
            "column `{name}` has {} rows, batch has {}",
            array.len(),
            batch.num_rows()
        )));
    }
    let field = with_decimals(Field::new(name, array.data_type().clone(), true), decimals);
    let schema = batch.schema();
    let mut fields: Vec<Arc<Field>> = schema.fields().iter().cloned().collect();
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    match schema.index_of(name) {
        Ok(i) => {
            fields[i] = Arc::new(field);
            columns[i] = array;
        }
        Err(_) => {
            fields.push(Arc::new(field));
            columns.push(array);
        }
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    Ok(RecordBatch::try_new_with_options(
        schema,
        columns,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(batch.num_rows())),
    )?)
}

/// A copy of `batch` without column `name` (unchanged if absent).
pub fn without_column(batch: &RecordBatch, name: &str) -> Result<RecordBatch> {
    let schema = batch.schema();
    let Ok(idx) = schema.index_of(name) else {
        return Ok(batch.clone());
    };
    let keep: Vec<usize> = (0..schema.fields().len()).filter(|&i| i != idx).collect();
    Ok(batch.project(&keep)?)
}

/// Parses SPL's numeric-looking text, the one rule eval, `where`, `stats`,
/// time parsing and sorting share (spl-semantics 3.3, 12.2): optional sign,
/// digits with an optional decimal part (or `.digits`), optional exponent;
/// or `nan`/`inf`/`infinity`, any case, with an optional sign. Leading or
/// trailing spaces make it non-numeric; `0x..` is non-numeric (UNK, 12.2).
pub fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let rest = s.get(i..)?;
    if rest.eq_ignore_ascii_case("nan")
        || rest.eq_ignore_ascii_case("inf")
        || rest.eq_ignore_ascii_case("infinity")
    {
        return s.parse::<f64>().ok();
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = digits(&mut i);
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}

/// A field-name pattern whose `*` matches any run of characters (dots
/// included), with the text each `*` matched: the one wildcard matcher of
/// `stats`, `table`, `fields`, `rename`, `foreach`, `fillnull` and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    parts: Vec<String>,
}

impl Glob {
    pub(crate) fn new(pattern: &str) -> Self {
        Glob {
            parts: pattern.split('*').map(str::to_string).collect(),
        }
    }

    /// Number of `*`.
    pub(crate) fn stars(&self) -> usize {
        self.parts.len().saturating_sub(1)
    }

    /// The texts matched by each `*` (leftmost-shortest for all but the last
    /// star, which takes the rest), or `None` when `s` does not match.
    pub(crate) fn captures<'s>(&self, s: &'s str) -> Option<Vec<&'s str>> {
        let mut caps = Vec::with_capacity(self.stars());
        if self.match_from(s, 0, 0, &mut caps) {
            Some(caps)
        } else {
            None
        }
    }

    fn match_from<'s>(&self, s: &'s str, part: usize, pos: usize, caps: &mut Vec<&'s str>) -> bool {
        let Some(p) = self.parts.get(part) else {
            return pos == s.len();
        };
        let Some(rest) = s.get(pos..) else {
            return false;
        };
        if part == 0 {
            return rest.starts_with(p.as_str()) && self.match_from(s, 1, pos + p.len(), caps);
        }
        // `p` follows a star: try every place it can start
        let last = part + 1 == self.parts.len();
        let mut start = 0;
        while start <= rest.len() {
            if rest.is_char_boundary(start) {
                let tail = &rest[start..];
                let ok = if last {
                    tail == p.as_str()
                } else {
                    tail.starts_with(p.as_str())
                };
                if ok {
                    caps.push(&rest[..start]);
                    if self.match_from(s, part + 1, pos + start + p.len(), caps) {
                        return true;
                    }
                    caps.pop();
                }
            }
            start += 1;
        }
        false
    }

    /// True when the pattern's literal start is `_` (internal fields named).
    pub(crate) fn starts_with_underscore(&self) -> bool {
        self.parts.first().is_some_and(|p| p.starts_with('_'))
    }

    /// True when `s` matches.
    pub(crate) fn matches(&self, s: &str) -> bool {
        self.captures(s).is_some()
    }

    /// True when the pattern selects field `name` by Splunk's rule for
    /// internal fields: a pattern with `*` covers a `_` field only when the
    /// pattern itself starts with `_` (`*` does not select `_time`; `_*` and
    /// `_time` do).
    pub(crate) fn covers(&self, name: &str) -> bool {
        self.matches(name)
            && (!name.starts_with('_') || self.starts_with_underscore() || self.stars() == 0)
    }

    /// This pattern with each `*` replaced by the corresponding capture.
    pub(crate) fn substitute(&self, caps: &[&str]) -> String {
        let mut out = String::new();
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(caps.get(i - 1).copied().unwrap_or(""));
            }
            out.push_str(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{Float64Array, Int64Array, StringArray};

    #[test]
    fn number_display() {
        let cases: &[(f64, Option<u8>, &str)] = &[
            (2.0, None, "2"),
            (1.5, None, "1.5"),
            (3.5, Some(2), "3.50"),
            (0.8050, Some(4), "0.8050"),
            (17664.0, None, "17664"),
            (0.1 + 0.2, None, "0.30000000000000004"),
            (48.857142857142854, None, "48.857142857142854"),
            (1e21, None, "1000000000000000000000"),
            (-0.0, None, "0"),
            (-0.001, Some(2), "0.00"),
            (f64::NAN, None, "nan"),
            (f64::INFINITY, Some(2), "inf"),
            (f64::NEG_INFINITY, None, "-inf"),
            (-4.0, None, "-4"),
            (4.0, Some(0), "4"),
        ];
        for (v, d, want) in cases {
            assert_eq!(format_number(*v, *d), *want, "{v} {d:?}");
        }
    }

    #[test]
    fn cells() {
        let f = Field::new("x", DataType::Float64, true);
        let a = Float64Array::from(vec![Some(3.5), None]);
        assert_eq!(cell(&f, &a, 0), Cell::Single("3.5".into()));
        assert_eq!(cell(&f, &a, 1), Cell::Null);
        assert_eq!(cell(&f, &a, 7), Cell::Null);
        let f2 = with_decimals(f, Some(2));
        assert_eq!(cell(&f2, &a, 0), Cell::Single("3.50".into()));

        let mut b = ListBuilder::new(StringBuilder::new());
        b.values().append_value("a");
        b.values().append_value("b");
        b.append(true);
        b.append(false);
        let l = b.finish();
        let lf = Field::new("m", l.data_type().clone(), true);
        assert_eq!(cell(&lf, &l, 0), Cell::Multi(vec!["a".into(), "b".into()]));
        assert_eq!(cell(&lf, &l, 0).joined("\n").as_deref(), Some("a\nb"));
        assert_eq!(cell(&lf, &l, 1), Cell::Null);

        let i = Int64Array::from(vec![42]);
        assert_eq!(
            cell(&Field::new("i", DataType::Int64, true), &i, 0),
            Cell::Single("42".into())
        );
    }

    #[test]
    fn batch_helpers() {
        let s: ArrayRef = Arc::new(StringArray::from(vec!["a", "b"]));
        let b = RecordBatch::try_from_iter(vec![("s", s)]).unwrap();
        let n: ArrayRef = Arc::new(Float64Array::from(vec![1.0, 2.0]));
        let b2 = with_column(&b, "n", n.clone(), Some(1)).unwrap();
        assert_eq!(b2.num_columns(), 2);
        assert_eq!(field_decimals(b2.schema().field(1)), Some(1));
        let b3 = with_column(&b2, "s", n, None).unwrap();
        assert_eq!(b3.num_columns(), 2);
        assert_eq!(b3.schema().field(0).data_type(), &DataType::Float64);
        assert!(column(&b3, "n").is_some());
        let b4 = without_column(&b3, "s").unwrap();
        assert_eq!(b4.num_columns(), 1);
        assert!(column(&b4, "s").is_none());
        let short: ArrayRef = Arc::new(Float64Array::from(vec![1.0]));
        assert!(with_column(&b, "z", short, None).is_err());
        let norm = normalize_column(&(Arc::new(Int64Array::from(vec![1])) as ArrayRef)).unwrap();
        assert_eq!(norm.data_type(), &DataType::Float64);
    }
}
