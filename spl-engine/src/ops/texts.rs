//! Regex compilation and per-row value access shared by the text-oriented
//! commands (`rex`, `convert`, `mvexpand`, `makemv`, `top`, ...), and the
//! word and number helpers of the simple-grammar commands (`accum`,
//! `delta`, `strcat`, `fromjson`, `xmlkv`). Options are declared in the
//! parser's command table and read through `spl_parser::options::OptReader`
//! (see `plan::plan_stage`).

use crate::error::{EngineError, Result};
use crate::value::{self, format_number, multivalue_type, with_column};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, ListArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use indexmap::IndexMap;
use spl_parser::ast::{Args, Stage, Word};
use std::sync::Arc;

/// One row of a column seen as text values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RowVals<'a> {
    /// The field is absent on this row.
    Null,
    /// One value.
    One(&'a str),
    /// A multivalue field's values (possibly empty).
    Many(Vec<&'a str>),
}

impl<'a> RowVals<'a> {
    /// All values (empty for null).
    pub(crate) fn to_vec(&self) -> Vec<&'a str> {
        match self {
            RowVals::Null => Vec::new(),
            RowVals::One(s) => vec![*s],
            RowVals::Many(v) => v.clone(),
        }
    }
}

/// A column converted once to text (numbers in their display form), so
/// row-wise commands can read values without matching on types per row.
pub(crate) enum Texts {
    /// Single values.
    Str(StringArray),
    /// Multivalue.
    List(ListArray),
    /// The field is missing: null on every row.
    Missing,
}

impl Texts {
    /// Text view of `col` (typed by `field` so display precision is honoured).
    pub(crate) fn new(field: Option<&Field>, col: Option<&ArrayRef>) -> Result<Texts> {
        let Some(col) = col else {
            return Ok(Texts::Missing);
        };
        Ok(match col.data_type() {
            DataType::Utf8 => Texts::Str(col.as_string::<i32>().clone()),
            DataType::Null => Texts::Missing,
            DataType::List(f) if f.data_type() == &DataType::Utf8 => {
                Texts::List(col.as_list::<i32>().clone())
            }
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(_, _)
            | DataType::ListView(_) => {
                let a = value::normalize_column(col)?;
                match a.data_type() {
                    DataType::List(_) => Texts::List(a.as_list::<i32>().clone()),
                    _ => return Err(EngineError::Internal("list normalisation".into())),
                }
            }
            _ => {
                let f = field
                    .cloned()
                    .unwrap_or_else(|| Field::new("", col.data_type().clone(), true));
                let mut b = StringBuilder::with_capacity(col.len(), col.len() * 8);
                for row in 0..col.len() {
                    match value::cell(&f, col.as_ref(), row) {
                        value::Cell::Null => b.append_null(),
                        value::Cell::Single(s) => b.append_value(s),
                        value::Cell::Multi(v) => b.append_value(v.join("\n")),
                    }
                }
                Texts::Str(b.finish())
            }
        })
    }

    /// Text view of the named field of a batch.
    pub(crate) fn of(batch: &arrow_array::RecordBatch, name: &str) -> Result<Texts> {
        let schema = batch.schema();
        let field = schema.field_with_name(name).ok();
        Texts::new(field, batch.column_by_name(name))
    }

    /// The values of one row.
    pub(crate) fn get(&self, row: usize) -> RowVals<'_> {
        match self {
            Texts::Missing => RowVals::Null,
            Texts::Str(s) => {
                if row >= s.len() || s.is_null(row) {
                    RowVals::Null
                } else {
                    RowVals::One(s.value(row))
                }
            }
            Texts::List(l) => {
                if row >= l.len() || l.is_null(row) {
                    RowVals::Null
                } else {
                    RowVals::Many(list_values(l, row))
                }
            }
        }
    }

    /// True when the field is multivalue-typed.
    pub(crate) fn is_list(&self) -> bool {
        matches!(self, Texts::List(_))
    }
}

/// The non-null values of one row of a `List<Utf8>` column.
fn list_values(list: &ListArray, row: usize) -> Vec<&str> {
    let offsets = list.value_offsets();
    let (Some(&start), Some(&end)) = (offsets.get(row), offsets.get(row + 1)) else {
        return Vec::new();
    };
    let Some(values) = list.values().as_string_opt::<i32>() else {
        return Vec::new();
    };
    (start.max(0) as usize..(end.max(0) as usize).min(values.len()))
        .filter(|&j| !values.is_null(j))
        .map(|j| values.value(j))
        .collect()
}

/// Builds a column from per-row value lists: `Utf8` when every row has at
/// most one value, else `List<Utf8>` (a one-value row stays a one-element
/// list, which displays as a single value).
pub(crate) fn build_texts(rows: &[Option<Vec<String>>]) -> ArrayRef {
    let multi = rows.iter().flatten().any(|v| v.len() != 1);
    if !multi {
        let a: StringArray = rows
            .iter()
            .map(|r| r.as_ref().and_then(|v| v.first().map(String::as_str)))
            .collect();
        return Arc::new(a);
    }
    let item = match multivalue_type() {
        DataType::List(f) => f,
        _ => Arc::new(Field::new_list_field(DataType::Utf8, true)),
    };
    let mut b = ListBuilder::new(StringBuilder::new()).with_field(item);
    for r in rows {
        match r {
            // An empty list is no value at all: the field is absent.
            Some(v) if !v.is_empty() => {
                for s in v {
                    b.values().append_value(s);
                }
                b.append(true);
            }
            _ => b.append(false),
        }
    }
    Arc::new(b.finish())
}

/// The internal-field rule for wildcards: a `*` pattern matches `_` fields
/// only when the pattern itself starts with `_` (as `stats` does).
pub(crate) fn wildcard_fields(names: &[String], pattern: &str) -> Vec<String> {
    let glob = crate::value::Glob::new(pattern);
    names.iter().filter(|n| glob.covers(n)).cloned().collect()
}

/// Rejects any word for a command that takes none (`reverse`, `addinfo`).
pub(crate) fn no_words(a: &Args, command: &str) -> Result<()> {
    match a.words.first() {
        None => Ok(()),
        Some(w) => Err(EngineError::invalid(
            format!("expected no arguments, found `{}`", w.text.node),
            w.text.span,
            format!("{command} takes no arguments"),
        )),
    }
}

/// The words of `<field> [AS <newfield>]` (`accum`, `delta`): the field
/// and the new name, if written. Errors point at the offending word.
pub(crate) fn field_as<'a>(
    a: &'a Args,
    stage: &Stage,
    command: &str,
) -> Result<(&'a Word, Option<&'a Word>)> {
    let mut words = a.words.iter();
    let Some(field) = words.next() else {
        return Err(EngineError::invalid(
            "expected a field name, found none",
            stage.span,
            format!("`{command}` needs a field"),
        ));
    };
    field_name(field, "a field name")?;
    let newfield = match words.next() {
        None => None,
        Some(w) if w.is_keyword("as") => {
            let Some(n) = words.next() else {
                return Err(EngineError::invalid(
                    "expected a field name after `AS`, found none",
                    w.text.span,
                    "AS what?",
                ));
            };
            field_name(n, "a field name after `AS`")?;
            Some(n)
        }
        Some(w) => {
            return Err(EngineError::invalid(
                format!(
                    "expected `AS` or the end of the command, found `{}`",
                    w.text.node
                ),
                w.text.span,
                "unexpected argument",
            ))
        }
    };
    if let Some(w) = words.next() {
        return Err(EngineError::invalid(
            format!("expected the end of the command, found `{}`", w.text.node),
            w.text.span,
            "unexpected argument",
        ));
    }
    Ok((field, newfield))
}

/// Checks that `w` can name a field: not the keyword `AS`, no wildcard.
pub(crate) fn field_name(w: &Word, expected: &str) -> Result<()> {
    let found = if w.is_keyword("as") {
        format!("the keyword `{}`", w.text.node)
    } else if w.text.node.contains('*') {
        format!("the wildcard `{}`", w.text.node)
    } else if w.text.node.is_empty() {
        "an empty name".to_string()
    } else {
        return Ok(());
    };
    Err(EngineError::invalid(
        format!("expected {expected}, found {found}"),
        w.text.span,
        "not a field name",
    ))
}

/// A number read from a field, with the decimals it displays with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    /// The value.
    pub v: f64,
    /// Decimal places written (`2.50`: 2, `7`: 0); `None` for full
    /// precision (an exponent form, or a computed number with a fraction
    /// and no display precision).
    pub dec: Option<u8>,
}

impl Num {
    /// The display decimals of a number computed from numbers with decimals
    /// `a` and `b`: the more of the two, full precision over any count, so
    /// no written digit is lost and no floating-point noise is shown
    /// (`0.1 + 0.2` shows `0.3`, `1.5 + 2.25` shows `3.75`).
    pub(crate) fn wider(a: Option<u8>, b: Option<u8>) -> Option<u8> {
        a.zip(b).map(|(a, b)| a.max(b))
    }
}

/// The number of each row of field `name` (`None` where it is absent or not
/// a number): a number column's value, or numeric-looking text (eval's
/// rule, so `" 5"` is text). A multivalue field gives its first value, as
/// eval's arithmetic does.
pub(crate) fn field_numbers(batch: &RecordBatch, name: &str) -> Result<Vec<Option<Num>>> {
    let n = batch.num_rows();
    let Some(col) = batch.column_by_name(name) else {
        return Ok(vec![None; n]);
    };
    let schema = batch.schema();
    let field = schema.field_with_name(name).ok();
    let col = value::normalize_column(col)?;
    if let Some(f) = col.as_primitive_opt::<Float64Type>() {
        let fixed = field.and_then(value::field_decimals);
        return Ok(f
            .iter()
            .map(|v| {
                v.map(|v| Num {
                    v,
                    dec: fixed.or((v.fract() == 0.0).then_some(0)),
                })
            })
            .collect());
    }
    let texts = Texts::new(field, Some(&col))?;
    Ok((0..n)
        .map(|row| {
            let s = *texts.get(row).to_vec().first()?;
            let v = crate::value::parse_number(s)?;
            let dec = if s.contains(['e', 'E']) {
                None
            } else {
                Some(
                    s.split_once('.')
                        .map_or(0, |(_, f)| u8::try_from(f.len()).unwrap_or(u8::MAX)),
                )
            };
            Some(Num { v, dec })
        })
        .collect())
}

/// A copy of `batch` with field `name` set to the numbers in `vals` on the
/// rows that have one; the other rows keep their value of the field (or
/// stay without it). The column is a number column when its values agree on
/// their display decimals, else text in each value's display form (which
/// still acts as a number), as eval stores per-row precision.
pub(crate) fn write_numbers(
    batch: &RecordBatch,
    name: &str,
    vals: &[Option<Num>],
) -> Result<RecordBatch> {
    if vals.iter().all(Option::is_none) {
        return Ok(batch.clone());
    }
    let old = batch.column_by_name(name);
    let old_nums = match old {
        Some(c) if c.data_type() == &DataType::Float64 => Some(field_numbers(batch, name)?),
        _ => None,
    };
    let mut rows: Vec<Option<Num>> = vals.to_vec();
    let mut keeps_text = false;
    for (row, slot) in rows.iter_mut().enumerate() {
        if slot.is_none() {
            match &old_nums {
                Some(o) => *slot = o.get(row).copied().flatten(),
                None => {
                    keeps_text |=
                        old.is_some_and(|c| c.logical_nulls().is_none_or(|n| n.is_valid(row)))
                }
            }
        }
    }
    // Integers display the same with or without a count of decimals.
    let shown = |d: Option<u8>| d.filter(|&d| d > 0);
    let mut decs = rows.iter().flatten().map(|x| shown(x.dec));
    let first = decs.next().flatten();
    let uniform = decs.all(|d| d == first);
    if uniform && !keeps_text {
        let col: Float64Array = rows.iter().map(|r| r.map(|x| x.v)).collect();
        return with_column(batch, name, Arc::new(col), first);
    }
    let texts: Vec<Option<Vec<String>>> = rows
        .iter()
        .map(|r| r.map(|x| vec![format_number(x.v, shown(x.dec))]))
        .collect();
    merge_into(batch, name, texts)
}

/// Values extracted per row into fields named as they come (`fromjson`,
/// `xmlkv`): fields in order of first appearance, values in order.
pub(crate) struct Extracted {
    rows: usize,
    fields: IndexMap<String, Vec<Option<Vec<String>>>>,
}

impl Extracted {
    /// Nothing extracted yet from a batch of `rows` rows.
    pub(crate) fn new(rows: usize) -> Self {
        Extracted {
            rows,
            fields: IndexMap::new(),
        }
    }

    /// The values of field `name` on `row`, created empty.
    fn slot(&mut self, row: usize, name: &str) -> Option<&mut Vec<String>> {
        let rows = self.rows;
        if !self.fields.contains_key(name) {
            self.fields.insert(name.to_string(), vec![None; rows]);
        }
        self.fields
            .get_mut(name)?
            .get_mut(row)
            .map(|s| s.get_or_insert_with(Vec::new))
    }

    /// Marks field `name` as extracted on `row`, so it is written even when
    /// no value follows (then the result has no value of the field).
    pub(crate) fn touch(&mut self, row: usize, name: &str) {
        self.slot(row, name);
    }

    /// Adds `value` to field `name` on `row`.
    pub(crate) fn push(&mut self, row: usize, name: &str, value: String) {
        if let Some(s) = self.slot(row, name) {
            s.push(value);
        }
    }

    /// Writes the fields into `batch`: a row where a field was extracted
    /// has the values extracted (several make a multivalue field, none
    /// leaves the field absent), replacing what it had; the other rows keep
    /// theirs.
    pub(crate) fn write(self, batch: RecordBatch) -> Result<RecordBatch> {
        let mut batch = batch;
        for (name, mut rows) in self.fields {
            if batch.column_by_name(&name).is_some() && rows.iter().any(Option::is_none) {
                let old = Texts::of(&batch, &name)?;
                for (row, slot) in rows.iter_mut().enumerate() {
                    if slot.is_none() {
                        let v = old.get(row).to_vec();
                        if !v.is_empty() {
                            *slot = Some(v.into_iter().map(str::to_string).collect());
                        }
                    }
                }
            }
            for slot in &mut rows {
                if slot.as_ref().is_some_and(Vec::is_empty) {
                    *slot = None;
                }
            }
            batch = with_column(&batch, &name, build_texts(&rows), None)?;
        }
        Ok(batch)
    }
}

/// Sets `name` to the new values on rows that have some, keeping the old
/// value elsewhere. Untouched when no row has a new value.
pub(crate) fn merge_into(
    batch: &RecordBatch,
    name: &str,
    mut rows: Vec<Option<Vec<String>>>,
) -> Result<RecordBatch> {
    if rows.iter().all(Option::is_none) {
        return Ok(batch.clone());
    }
    if rows.iter().any(Option::is_none) && batch.column_by_name(name).is_some() {
        let old = Texts::of(batch, name)?;
        for (row, slot) in rows.iter_mut().enumerate() {
            if slot.is_none() {
                let v = old.get(row);
                if v != RowVals::Null {
                    *slot = Some(v.to_vec().into_iter().map(str::to_string).collect());
                }
            }
        }
    }
    with_column(batch, name, build_texts(&rows), None)
}

/// `"value"` with `\` and `"` escaped.
pub(crate) fn quote_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_of_numbers_and_lists() {
        let n: ArrayRef = Arc::new(arrow_array::Float64Array::from(vec![Some(1.5), None]));
        let t = Texts::new(None, Some(&n)).unwrap();
        assert_eq!(t.get(0), RowVals::One("1.5"));
        assert_eq!(t.get(1), RowVals::Null);
        assert_eq!(t.get(9), RowVals::Null);
        let l = build_texts(&[Some(vec!["a".into(), "b".into()]), None]);
        let t = Texts::new(None, Some(&l)).unwrap();
        assert_eq!(t.get(0), RowVals::Many(vec!["a", "b"]));
        assert_eq!(t.get(1), RowVals::Null);
        let s = build_texts(&[Some(vec!["x".into()]), None]);
        assert_eq!(s.data_type(), &DataType::Utf8);
    }

    #[test]
    fn wildcards_skip_internal_fields() {
        let names = vec!["_time".to_string(), "a_time".into(), "b".into()];
        assert_eq!(wildcard_fields(&names, "*time"), vec!["a_time"]);
        assert_eq!(wildcard_fields(&names, "_*"), vec!["_time"]);
        assert_eq!(wildcard_fields(&names, "_time"), vec!["_time"]);
    }
}
