//! `bin`/`bucket`: puts continuous values into discrete bins (semantics
//! 10.11, Splunk's "bin" reference page).
//!
//! A span with a time unit (`span=5m`) buckets epoch seconds: spans below a
//! day align to the UNIX epoch (or `aligntime`), day and longer spans to
//! midnight in the user's time zone; the value becomes the bin start. A
//! unitless span on a field other than `_time` gives range strings
//! (`span=10`: `20-30`). Without `span`, `bins=N` (default 100) picks the
//! smallest span giving at most N bins over the data, so the command must see
//! all results first.

use crate::aggregate::bins::auto_span;
use crate::aggregate::bins::parse_span;
use crate::aggregate::bins::BinSpan;
use crate::aggregate::timespan::{Bucketer, TimeSpan};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{build_texts, RowVals, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::resolve_time_modifier;
use crate::value::{format_number, with_column};
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use spl_parser::ast::{Bin, Opt};
use std::sync::Arc;

/// The `bin` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Puts values into bins: times to the start of their time span, numbers to `start-end` range strings. Without span, picks a span giving at most `bins` (100) bins.",
    examples: &[
        Example {
            title: "five-minute time buckets",
            spl: "| makeresults count=3 | streamstats count as n | eval _time=_time + n*170 | bin _time span=5m",
        },
        Example {
            title: "numeric ranges",
            spl: "| makeresults count=3 | streamstats count as n | eval size=n*7 | bucket size span=10 AS range",
        },
    ],
    compat: "Log spans (`span=log2`) are not supported. Automatic spans (`bins=`) use powers of ten for numbers and 1s/5s/10s/30s/1m/5m/10m/30m/1h/1d/1mon/1y for times.",
};

/// How the span is found.
#[derive(Debug, Clone)]
enum Mode {
    Fixed(BinSpan),
    Auto {
        bins: usize,
        minspan: Option<BinSpan>,
        start: Option<f64>,
        end: Option<f64>,
        time: bool,
    },
}

fn num_opt(o: Option<&Opt>) -> Result<Option<f64>> {
    let Some(o) = o else { return Ok(None) };
    match crate::value::parse_number(o.value.node.trim()) {
        Some(v) => Ok(Some(v)),
        None => Err(EngineError::invalid(
            format!(
                "expected a number for `{}`, found `{}`",
                o.key.node, o.value.node
            ),
            o.value.span,
            "not a number",
        )),
    }
}

/// Plans `bin`/`bucket`.
pub(crate) fn plan(b: &Bin, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let (o, ctx) = (p.opts, p.ctx);
    let field = b.field.node.clone();
    let is_time = field == "_time";
    // With `span`, the other sizing options have no effect (as in Splunk).
    let bins = match o.count("bins")? {
        Some((0, span)) => {
            return Err(EngineError::invalid(
                "expected bins to be at least 1, found 0",
                span,
                "no bins",
            ))
        }
        Some((n, _)) => n as usize,
        None => 100,
    };
    let minspan = match o.get("minspan") {
        Some(m) => Some(parse_span(&m.value.node, m.value.span, is_time)?),
        None => None,
    };
    let start = num_opt(o.get("start"))?;
    let end = num_opt(o.get("end"))?;
    let mode = match o.get("span") {
        Some(sp) => Mode::Fixed(parse_span(&sp.value.node, sp.value.span, is_time)?),
        None => {
            // a time minspan on a non-time field still means time bins
            let time = is_time || matches!(minspan, Some(BinSpan::Time(_)));
            Mode::Auto {
                bins,
                minspan,
                start,
                end,
                time,
            }
        }
    };
    let align = match o.get("aligntime") {
        None => None,
        Some(o) => {
            let v = o.value.node.trim();
            let t = if v.eq_ignore_ascii_case("earliest") {
                ctx.search.earliest.unwrap_or(0.0)
            } else if v.eq_ignore_ascii_case("latest") {
                ctx.search.latest.unwrap_or(ctx.now)
            } else {
                resolve_time_modifier(v, ctx.now, &ctx.tz).map_err(|_| {
                    EngineError::invalid(
                        format!("expected earliest, latest or a time for `aligntime`, found `{v}`"),
                        o.value.span,
                        "not a time",
                    )
                })?
            };
            Some(t)
        }
    };
    let out = b
        .alias
        .as_ref()
        .map(|a| a.node.clone())
        .unwrap_or_else(|| field.clone());
    Ok(Box::new(BinOp {
        field,
        out,
        mode,
        align,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("bin", p.stage.span),
    }))
}

struct BinOp {
    field: String,
    out: String,
    mode: Mode,
    align: Option<f64>,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// The numbers of a column (numeric-looking text parsed), per value.
fn numbers_of(batch: &RecordBatch, field: &str) -> Result<Vec<f64>> {
    let Some(col) = batch.column_by_name(field) else {
        return Ok(Vec::new());
    };
    if col.data_type() == &DataType::Float64 {
        return Ok(col.as_primitive::<Float64Type>().iter().flatten().collect());
    }
    let texts = Texts::of(batch, field)?;
    let mut out = Vec::new();
    for row in 0..batch.num_rows() {
        out.extend(
            texts
                .get(row)
                .to_vec()
                .iter()
                .filter_map(|v| crate::value::parse_number(v.trim())),
        );
    }
    Ok(out)
}

impl BinOp {
    fn apply(&self, batch: &RecordBatch, span: BinSpan, ctx: &ExecContext) -> Result<RecordBatch> {
        let Some(col) = batch.column_by_name(&self.field) else {
            return Ok(batch.clone());
        };
        let mut bucketer = match span {
            BinSpan::Time(ts) => Some(Bucketer::new(ts, ctx.tz.clone())),
            BinSpan::Num(..) => None,
        };
        let align = self.align;
        let mut time_of = |t: f64| -> Option<f64> {
            match (span, align) {
                // aligntime applies to sub-day spans only (doc)
                (BinSpan::Time(TimeSpan::Micros(us)), Some(a)) => {
                    let w = us as f64 / 1e6;
                    Some(((t - a) / w).floor() * w + a)
                }
                _ => bucketer.as_mut()?.bucket(t),
            }
        };
        let array: ArrayRef = match (span, col.data_type()) {
            (BinSpan::Time(_), DataType::Float64) => {
                let a: Float64Array = col
                    .as_primitive::<Float64Type>()
                    .iter()
                    .map(|v| v.and_then(&mut time_of))
                    .collect();
                Arc::new(a)
            }
            (BinSpan::Num(w, d), DataType::Float64) => {
                let a: StringArray = col
                    .as_primitive::<Float64Type>()
                    .iter()
                    .map(|v| v.map(|x| range_text(x, w, d)))
                    .collect();
                Arc::new(a)
            }
            _ => {
                // text (or multivalue): numeric-looking values are binned,
                // others kept as they are
                let texts = Texts::of(batch, &self.field)?;
                let mut all_num = !texts.is_list();
                let mut nums: Vec<Option<f64>> = Vec::with_capacity(batch.num_rows());
                let mut rows: Vec<Option<Vec<String>>> = Vec::with_capacity(batch.num_rows());
                for row in 0..batch.num_rows() {
                    let vals = texts.get(row);
                    if vals == RowVals::Null {
                        rows.push(None);
                        nums.push(None);
                        continue;
                    }
                    let mut out = Vec::new();
                    for v in vals.to_vec() {
                        match (crate::value::parse_number(v.trim()), span) {
                            (Some(x), BinSpan::Time(_)) => match time_of(x) {
                                Some(b) => {
                                    nums.push(Some(b));
                                    out.push(format_number(b, None));
                                }
                                None => {
                                    all_num = false;
                                    out.push(v.to_string());
                                }
                            },
                            (Some(x), BinSpan::Num(w, d)) => {
                                all_num = false;
                                out.push(range_text(x, w, d));
                            }
                            (None, _) => {
                                all_num = false;
                                out.push(v.to_string());
                            }
                        }
                    }
                    rows.push(Some(out));
                }
                if all_num {
                    Arc::new(Float64Array::from(nums))
                } else {
                    build_texts(&rows)
                }
            }
        };
        with_column(batch, &self.out, array, None)
    }
}

/// `start-end` of the bin holding `x`.
fn range_text(x: f64, w: f64, decimals: Option<u8>) -> String {
    let start = (x / w).floor() * w;
    let end = start + w;
    format!(
        "{}-{}",
        format_number(start, decimals),
        format_number(end, decimals)
    )
}

impl Operator for BinOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        match self.mode {
            Mode::Fixed(span) => Ok(vec![self.apply(&batch, span, ctx)?]),
            Mode::Auto { .. } => {
                self.mem.hold(&batch, &ctx.limits)?;
                self.buffered.push(batch);
                Ok(Vec::new())
            }
        }
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        let Mode::Auto {
            bins,
            minspan,
            start,
            end,
            time,
        } = &self.mode
        else {
            return Ok(batches);
        };
        let mut values = Vec::new();
        for b in &batches {
            values.extend(numbers_of(b, &self.field)?);
        }
        let span = auto_span(&values, *bins, *minspan, *start, *end, *time)?;
        batches.iter().map(|b| self.apply(b, span, ctx)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(range_text(23.0, 10.0, None), "20-30");
        assert_eq!(range_text(-5.0, 10.0, None), "-10-0");
        assert_eq!(range_text(0.35, 0.1, Some(1)), "0.3-0.4");
        assert_eq!(range_text(30.0, 10.0, None), "30-40");
    }

    #[test]
    fn auto_spans() {
        let s = auto_span(&[0.0, 999.0], 10, None, None, None, false).unwrap();
        assert!(matches!(s, BinSpan::Num(w, None) if w == 100.0));
        let s = auto_span(&[0.0, 9.0], 100, None, None, None, false).unwrap();
        assert!(matches!(s, BinSpan::Num(w, _) if w == 0.1));
        let s = auto_span(&[0.0, 3600.0], 100, None, None, None, true).unwrap();
        assert!(matches!(s, BinSpan::Time(TimeSpan::Micros(60_000_000))));
        let s = auto_span(&[5.0], 100, None, None, None, false).unwrap();
        assert!(matches!(s, BinSpan::Num(w, _) if w == 1.0));
    }
}
