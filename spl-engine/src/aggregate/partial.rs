//! Partial aggregates as Arrow record batches and IPC bytes.
//!
//! Every aggregation state ([`State`]) declares the columns of its partial
//! ([`State::COLUMNS`]) and writes itself as one row ([`State::write`]);
//! [`State::read`] rebuilds it. A grouped accumulator's partial
//! ([`GroupAcc::partial`](super::grouped::GroupAcc::partial)) is one row per
//! group, and its schema's metadata names the function
//! (`spl.aggregation`), so a partial is never read back as another
//! function's. Merging partials read back gives what one pass over all the
//! rows gives, in any grouping of the partitions (the property test in
//! `aggregate/tests.rs`): `dc`, `values`, `mode`, percentiles and `list`
//! keep their values, `first`/`last`/`earliest`/`latest` the processing
//! order key of their pick. Sums (`sum`, `avg`, `var`, `stdev`...) are
//! floating-point sums in processing order, as Splunk's documented digits
//! require (`avg` of 100 × 3.99 is `3.9900000000000055`): merging is exact
//! when the partial sums are (integers below 2^53), and otherwise may differ
//! from one pass in the last digits, as Splunk's own indexer partials do.
//!
//! Partials move between threads today (`mstats`) and can move between
//! processes: [`to_ipc`] and [`from_ipc`] carry a batch as Arrow IPC stream
//! bytes.

use super::state::State;
use super::value::Out;
use crate::error::{EngineError, Result};
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, ListBuilder, StringBuilder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, ListArray, RecordBatch, RecordBatchOptions,
    StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

/// The schema metadata key naming a partial's function (`dc`, `perc95`).
pub(crate) const FUNCTION_KEY: &str = "spl.aggregation";

/// The kind of one column of a partial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `UInt64` (counts, processing order).
    U64,
    /// `Float64` (sums, times, numbers).
    F64,
    /// `Boolean`.
    Bool,
    /// `Utf8`.
    Str,
    /// `List<UInt64>`.
    U64s,
    /// `List<Float64>`.
    F64s,
    /// `List<Utf8>`.
    Strs,
    /// A result value ([`Out`]): three columns, `<name>.num` (`Float64`),
    /// `<name>.str` (`Utf8`) and `<name>.mv` (`List<Utf8>`), at most one
    /// of them set.
    Out,
}

impl Kind {
    /// The Arrow type, as the reference shows it.
    pub(crate) fn shown(self) -> &'static str {
        match self {
            Kind::U64 => "UInt64",
            Kind::F64 => "Float64",
            Kind::Bool => "Boolean",
            Kind::Str => "Utf8",
            Kind::U64s => "List<UInt64>",
            Kind::F64s => "List<Float64>",
            Kind::Strs => "List<Utf8>",
            Kind::Out => "a value: `.num` Float64, `.str` Utf8 or `.mv` List<Utf8>",
        }
    }
}

/// One column of a state's partial.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    /// Its name.
    pub(crate) name: &'static str,
    /// Its kind.
    pub(crate) kind: Kind,
}

/// A column of `kind` named `name`.
pub(crate) const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

fn list_of(t: DataType) -> DataType {
    DataType::List(Arc::new(Field::new_list_field(t, true)))
}

/// The Arrow fields of the columns.
fn fields(columns: &[Column]) -> Vec<Field> {
    let mut out = Vec::new();
    for c in columns {
        let t = match c.kind {
            Kind::U64 => DataType::UInt64,
            Kind::F64 => DataType::Float64,
            Kind::Bool => DataType::Boolean,
            Kind::Str => DataType::Utf8,
            Kind::U64s => list_of(DataType::UInt64),
            Kind::F64s => list_of(DataType::Float64),
            Kind::Strs => list_of(DataType::Utf8),
            Kind::Out => {
                out.push(Field::new(
                    format!("{}.num", c.name),
                    DataType::Float64,
                    true,
                ));
                out.push(Field::new(format!("{}.str", c.name), DataType::Utf8, true));
                out.push(Field::new(
                    format!("{}.mv", c.name),
                    list_of(DataType::Utf8),
                    true,
                ));
                continue;
            }
        };
        out.push(Field::new(c.name, t, true));
    }
    out
}

enum Builder {
    U64(UInt64Builder),
    F64(Float64Builder),
    Bool(BooleanBuilder),
    Str(StringBuilder),
    U64s(ListBuilder<UInt64Builder>),
    F64s(ListBuilder<Float64Builder>),
    Strs(ListBuilder<StringBuilder>),
    Out(Box<(Float64Builder, StringBuilder, ListBuilder<StringBuilder>)>),
}

impl Builder {
    fn new(kind: Kind) -> Builder {
        match kind {
            Kind::U64 => Builder::U64(UInt64Builder::new()),
            Kind::F64 => Builder::F64(Float64Builder::new()),
            Kind::Bool => Builder::Bool(BooleanBuilder::new()),
            Kind::Str => Builder::Str(StringBuilder::new()),
            Kind::U64s => Builder::U64s(ListBuilder::new(UInt64Builder::new())),
            Kind::F64s => Builder::F64s(ListBuilder::new(Float64Builder::new())),
            Kind::Strs => Builder::Strs(ListBuilder::new(StringBuilder::new())),
            Kind::Out => Builder::Out(Box::new((
                Float64Builder::new(),
                StringBuilder::new(),
                ListBuilder::new(StringBuilder::new()),
            ))),
        }
    }

    fn finish(self, out: &mut Vec<ArrayRef>) {
        match self {
            Builder::U64(mut b) => out.push(Arc::new(b.finish())),
            Builder::F64(mut b) => out.push(Arc::new(b.finish())),
            Builder::Bool(mut b) => out.push(Arc::new(b.finish())),
            Builder::Str(mut b) => out.push(Arc::new(b.finish())),
            Builder::U64s(mut b) => out.push(Arc::new(b.finish())),
            Builder::F64s(mut b) => out.push(Arc::new(b.finish())),
            Builder::Strs(mut b) => out.push(Arc::new(b.finish())),
            Builder::Out(b) => {
                let (mut n, mut s, mut m) = *b;
                out.push(Arc::new(n.finish()));
                out.push(Arc::new(s.finish()));
                out.push(Arc::new(m.finish()));
            }
        }
    }
}

/// Writes states as rows: each `write` call fills the next column of the
/// state's [`State::COLUMNS`], in order.
pub(crate) struct RowWriter {
    cols: Vec<Builder>,
    at: usize,
    error: Option<String>,
}

impl RowWriter {
    fn new(columns: &[Column]) -> RowWriter {
        RowWriter {
            cols: columns.iter().map(|c| Builder::new(c.kind)).collect(),
            at: 0,
            error: None,
        }
    }

    fn next(&mut self, kind: &str) -> Option<&mut Builder> {
        let at = self.at;
        self.at += 1;
        if self.cols.get(at).is_none() {
            self.error
                .get_or_insert_with(|| format!("partial: no column {at} for a {kind} value"));
        }
        self.cols.get_mut(at)
    }

    fn mismatch(&mut self, kind: &str) {
        let at = self.at - 1;
        self.error
            .get_or_insert_with(|| format!("partial: column {at} is not of kind {kind}"));
    }

    /// A `U64` column.
    pub(crate) fn u64(&mut self, v: Option<u64>) {
        match self.next("U64") {
            Some(Builder::U64(b)) => b.append_option(v),
            Some(_) => self.mismatch("U64"),
            None => {}
        }
    }

    /// An `F64` column.
    pub(crate) fn f64(&mut self, v: Option<f64>) {
        match self.next("F64") {
            Some(Builder::F64(b)) => b.append_option(v),
            Some(_) => self.mismatch("F64"),
            None => {}
        }
    }

    /// A `Bool` column.
    pub(crate) fn bool(&mut self, v: bool) {
        match self.next("Bool") {
            Some(Builder::Bool(b)) => b.append_value(v),
            Some(_) => self.mismatch("Bool"),
            None => {}
        }
    }

    /// A `Str` column.
    pub(crate) fn str(&mut self, v: Option<&str>) {
        match self.next("Str") {
            Some(Builder::Str(b)) => b.append_option(v),
            Some(_) => self.mismatch("Str"),
            None => {}
        }
    }

    /// A `U64s` column.
    pub(crate) fn u64s(&mut self, v: impl IntoIterator<Item = u64>) {
        match self.next("U64s") {
            Some(Builder::U64s(b)) => {
                b.values().extend(v.into_iter().map(Some));
                b.append(true);
            }
            Some(_) => self.mismatch("U64s"),
            None => {}
        }
    }

    /// An `F64s` column.
    pub(crate) fn f64s(&mut self, v: &[f64]) {
        match self.next("F64s") {
            Some(Builder::F64s(b)) => {
                b.values().append_slice(v);
                b.append(true);
            }
            Some(_) => self.mismatch("F64s"),
            None => {}
        }
    }

    /// A `Strs` column.
    pub(crate) fn strs<'a>(&mut self, v: impl IntoIterator<Item = &'a str>) {
        match self.next("Strs") {
            Some(Builder::Strs(b)) => {
                for s in v {
                    b.values().append_value(s);
                }
                b.append(true);
            }
            Some(_) => self.mismatch("Strs"),
            None => {}
        }
    }

    /// An `Out` column.
    pub(crate) fn out(&mut self, v: Option<&Out>) {
        match self.next("Out") {
            Some(Builder::Out(b)) => {
                let (n, s, m) = &mut **b;
                n.append_option(match v {
                    Some(Out::Num(x)) => Some(*x),
                    _ => None,
                });
                s.append_option(match v {
                    Some(Out::Str(x)) => Some(x.as_str()),
                    _ => None,
                });
                match v {
                    Some(Out::Mv(vs)) => {
                        for x in vs {
                            m.values().append_value(x);
                        }
                        m.append(true);
                    }
                    _ => m.append(false),
                }
            }
            Some(_) => self.mismatch("Out"),
            None => {}
        }
    }

    fn end_row(&mut self) {
        if self.at != self.cols.len() {
            let (at, n) = (self.at, self.cols.len());
            self.error
                .get_or_insert_with(|| format!("partial: a row wrote {at} of {n} columns"));
        }
        self.at = 0;
    }
}

enum Col<'a> {
    U64(&'a UInt64Array),
    F64(&'a Float64Array),
    Bool(&'a BooleanArray),
    Str(&'a StringArray),
    List(&'a ListArray),
    Out(&'a Float64Array, &'a StringArray, &'a ListArray),
}

/// Reads one row of a partial, column after column, as [`RowWriter`]
/// wrote it.
pub(crate) struct RowReader<'a> {
    cols: &'a [Col<'a>],
    row: usize,
    at: usize,
}

fn bad(what: &str) -> EngineError {
    EngineError::Internal(format!("partial: {what}"))
}

impl<'a> RowReader<'a> {
    fn next(&mut self) -> Result<&'a Col<'a>> {
        let at = self.at;
        self.at += 1;
        self.cols
            .get(at)
            .ok_or_else(|| bad(&format!("no column {at}")))
    }

    /// A `U64` column.
    pub(crate) fn u64(&mut self) -> Result<Option<u64>> {
        match self.next()? {
            Col::U64(a) => Ok(a.is_valid(self.row).then(|| a.value(self.row))),
            _ => Err(bad("expected a U64 column")),
        }
    }

    /// An `F64` column.
    pub(crate) fn f64(&mut self) -> Result<Option<f64>> {
        match self.next()? {
            Col::F64(a) => Ok(a.is_valid(self.row).then(|| a.value(self.row))),
            _ => Err(bad("expected an F64 column")),
        }
    }

    /// A `Bool` column (null is false).
    pub(crate) fn bool(&mut self) -> Result<bool> {
        match self.next()? {
            Col::Bool(a) => Ok(a.is_valid(self.row) && a.value(self.row)),
            _ => Err(bad("expected a Bool column")),
        }
    }

    /// A `Str` column.
    pub(crate) fn str(&mut self) -> Result<Option<String>> {
        match self.next()? {
            Col::Str(a) => Ok(a.is_valid(self.row).then(|| a.value(self.row).to_string())),
            _ => Err(bad("expected a Str column")),
        }
    }

    fn list(&mut self) -> Result<Option<ArrayRef>> {
        match self.next()? {
            Col::List(a) => Ok(a.is_valid(self.row).then(|| a.value(self.row))),
            _ => Err(bad("expected a list column")),
        }
    }

    /// A `U64s` column.
    pub(crate) fn u64s(&mut self) -> Result<Vec<u64>> {
        match self.list()? {
            None => Ok(Vec::new()),
            Some(a) => Ok(a
                .as_primitive_opt::<UInt64Type>()
                .ok_or_else(|| bad("expected UInt64 values"))?
                .iter()
                .flatten()
                .collect()),
        }
    }

    /// An `F64s` column.
    pub(crate) fn f64s(&mut self) -> Result<Vec<f64>> {
        match self.list()? {
            None => Ok(Vec::new()),
            Some(a) => Ok(a
                .as_primitive_opt::<Float64Type>()
                .ok_or_else(|| bad("expected Float64 values"))?
                .iter()
                .flatten()
                .collect()),
        }
    }

    /// A `Strs` column.
    pub(crate) fn strs(&mut self) -> Result<Vec<String>> {
        match self.list()? {
            None => Ok(Vec::new()),
            Some(a) => Ok(a
                .as_string_opt::<i32>()
                .ok_or_else(|| bad("expected Utf8 values"))?
                .iter()
                .flatten()
                .map(str::to_string)
                .collect()),
        }
    }

    /// An `Out` column.
    pub(crate) fn out(&mut self) -> Result<Option<Out>> {
        let row = self.row;
        match self.next()? {
            Col::Out(n, s, m) => Ok(if n.is_valid(row) {
                Some(Out::Num(n.value(row)))
            } else if s.is_valid(row) {
                Some(Out::Str(s.value(row).to_string()))
            } else if m.is_valid(row) {
                let v = m.value(row);
                let v = v
                    .as_string_opt::<i32>()
                    .ok_or_else(|| bad("expected Utf8 values"))?;
                Some(Out::Mv(v.iter().flatten().map(str::to_string).collect()))
            } else {
                None
            }),
            _ => Err(bad("expected an Out column")),
        }
    }
}

/// The typed columns of `batch`, checked against `columns`.
fn typed<'a>(columns: &[Column], batch: &'a RecordBatch) -> Result<Vec<Col<'a>>> {
    let want = fields(columns);
    let schema = batch.schema();
    let got: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    let expected: Vec<(&str, &DataType)> = want
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    if got != expected {
        return Err(bad(&format!(
            "expected the columns {expected:?}, found {got:?}"
        )));
    }
    let arrays = batch.columns();
    let mut out = Vec::with_capacity(columns.len());
    let mut i = 0;
    let missing = || bad("missing column");
    for c in columns {
        let a = arrays.get(i).ok_or_else(missing)?;
        i += 1;
        out.push(match c.kind {
            Kind::U64 => Col::U64(a.as_primitive::<UInt64Type>()),
            Kind::F64 => Col::F64(a.as_primitive::<Float64Type>()),
            Kind::Bool => Col::Bool(a.as_boolean()),
            Kind::Str => Col::Str(a.as_string::<i32>()),
            Kind::U64s | Kind::F64s | Kind::Strs => Col::List(a.as_list::<i32>()),
            Kind::Out => {
                let s = arrays.get(i).ok_or_else(missing)?;
                let m = arrays.get(i + 1).ok_or_else(missing)?;
                i += 2;
                Col::Out(
                    a.as_primitive::<Float64Type>(),
                    s.as_string::<i32>(),
                    m.as_list::<i32>(),
                )
            }
        });
    }
    Ok(out)
}

/// A partial of `columns`: one row per item, written by `write`.
pub(crate) fn write_rows<T>(
    columns: &[Column],
    items: &[T],
    mut write: impl FnMut(&T, &mut RowWriter),
) -> Result<RecordBatch> {
    let mut w = RowWriter::new(columns);
    for it in items {
        write(it, &mut w);
        w.end_row();
    }
    if let Some(e) = w.error {
        return Err(EngineError::Internal(e));
    }
    let mut arrays = Vec::new();
    for b in w.cols {
        b.finish(&mut arrays);
    }
    let schema = Arc::new(Schema::new(fields(columns)));
    let options = RecordBatchOptions::new().with_row_count(Some(items.len()));
    Ok(RecordBatch::try_new_with_options(schema, arrays, &options)?)
}

/// Reads every row of a partial of `columns` with `read`.
pub(crate) fn read_rows<T>(
    columns: &[Column],
    batch: &RecordBatch,
    mut read: impl FnMut(&mut RowReader<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let cols = typed(columns, batch)?;
    (0..batch.num_rows())
        .map(|row| {
            read(&mut RowReader {
                cols: &cols,
                row,
                at: 0,
            })
        })
        .collect()
}

/// The partial of per-group states.
pub(crate) fn write_states<S: State>(states: &[S]) -> Result<RecordBatch> {
    write_rows(S::COLUMNS, states, S::write)
}

/// Per-group states read back; `proto` is a fresh state of the function.
pub(crate) fn read_states<S: State>(proto: &S, batch: &RecordBatch) -> Result<Vec<S>> {
    read_rows(S::COLUMNS, batch, |r| proto.read(r))
}

/// `batch` with the function's name in its schema's metadata.
pub(crate) fn named(batch: RecordBatch, function: &str) -> Result<RecordBatch> {
    let schema = batch.schema();
    let metadata = HashMap::from([(FUNCTION_KEY.to_string(), function.to_string())]);
    let schema = Arc::new(Schema::new_with_metadata(schema.fields().clone(), metadata));
    Ok(batch.with_schema(schema)?)
}

/// Checks that `batch` is a partial of `function`.
pub(crate) fn check_named(batch: &RecordBatch, function: &str) -> Result<()> {
    match batch.schema().metadata().get(FUNCTION_KEY) {
        Some(f) if f == function => Ok(()),
        other => Err(bad(&format!(
            "expected a partial of `{function}`, found one of {other:?}"
        ))),
    }
}

/// A batch as Arrow IPC stream bytes.
pub(crate) fn to_ipc(batch: &RecordBatch) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut out, &batch.schema())?;
    w.write(batch)?;
    w.finish()?;
    drop(w);
    Ok(out)
}

/// The batch of Arrow IPC stream bytes written by [`to_ipc`].
pub(crate) fn from_ipc(bytes: &[u8]) -> Result<RecordBatch> {
    let mut r = arrow_ipc::reader::StreamReader::try_new(bytes, None)?;
    match r.next() {
        Some(b) => Ok(b?),
        None => Err(bad("an IPC stream without a batch")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        col("n", Kind::U64),
        col("x", Kind::F64),
        col("b", Kind::Bool),
        col("s", Kind::Str),
        col("ns", Kind::U64s),
        col("xs", Kind::F64s),
        col("ss", Kind::Strs),
        col("o", Kind::Out),
    ];

    #[derive(Debug, PartialEq, Clone)]
    struct Row(
        Option<u64>,
        Option<f64>,
        bool,
        Option<String>,
        Vec<u64>,
        Vec<f64>,
        Vec<String>,
        Option<Out>,
    );

    /// Every kind of column survives the batch and the IPC bytes, nulls
    /// included, and a partial is read only as its own function's.
    #[test]
    fn rows_round_trip_through_ipc() {
        let rows = vec![
            Row(
                Some(3),
                Some(-0.5),
                true,
                Some("a".into()),
                vec![1, 2],
                vec![f64::MAX, 1e-300],
                vec!["x".into(), String::new()],
                Some(Out::Num(2.5)),
            ),
            Row(None, None, false, None, vec![], vec![], vec![], None),
            Row(
                Some(0),
                Some(f64::INFINITY),
                false,
                Some(String::new()),
                vec![u64::MAX],
                vec![0.1],
                vec!["é".into()],
                Some(Out::Str("s".into())),
            ),
            Row(
                None,
                None,
                true,
                None,
                vec![],
                vec![],
                vec![],
                Some(Out::Mv(vec!["a".into(), "b".into()])),
            ),
        ];
        let batch = write_rows(COLS, &rows, |r, w| {
            w.u64(r.0);
            w.f64(r.1);
            w.bool(r.2);
            w.str(r.3.as_deref());
            w.u64s(r.4.iter().copied());
            w.f64s(&r.5);
            w.strs(r.6.iter().map(String::as_str));
            w.out(r.7.as_ref());
        })
        .unwrap();
        let batch = named(batch, "test").unwrap();
        let back = from_ipc(&to_ipc(&batch).unwrap()).unwrap();
        check_named(&back, "test").unwrap();
        assert!(check_named(&back, "other").is_err());
        let read = read_rows(COLS, &back, |r| {
            Ok(Row(
                r.u64()?,
                r.f64()?,
                r.bool()?,
                r.str()?,
                r.u64s()?,
                r.f64s()?,
                r.strs()?,
                r.out()?,
            ))
        })
        .unwrap();
        assert_eq!(read, rows);
        // a row that writes too few columns, or the wrong kind, is an error
        assert!(write_rows(COLS, &[()], |_, w| w.u64(None)).is_err());
        assert!(write_rows(&COLS[..1], &[()], |_, w| w.f64(None)).is_err());
        // a batch of other columns is not read
        assert!(read_rows(&COLS[1..], &back, |r| r.f64()).is_err());
    }
}
