//! `convert [timeformat=<fmt>] <func>(<wc-field>) [AS <field>]...`: converts
//! field values with fixed functions (Splunk's "convert" reference page).
//!
//! Without `AS` the original values are replaced; with `AS` a new field gets
//! the converted values and the original stays. Values a function cannot
//! convert are kept as they are, except `num()`, which removes them. `auto()`
//! converts a field only when every value of it in the result set converts,
//! so a command using `auto()` must see all results first.

use crate::batch::{substitute_wildcards, wildcard_match};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::operator::PlanCx;
use crate::ops::texts::{build_texts, wildcard_fields, RowVals, Texts};
use crate::spec::{CommandKind, CommandSpec, Example};
use crate::time::{strftime, strptime};
use crate::value::{format_number, with_column};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch};
use arrow_schema::DataType;
use spl_parser::ast::Convert;
use std::collections::HashSet;
use std::sync::Arc;

/// The `convert` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    kind: CommandKind::Streaming,
    description: "Converts field values: epoch times to text (ctime) and back (mktime), durations, memory sizes and unit-suffixed text to numbers. Without AS the values are replaced.",
    examples: &[
        Example {
            title: "format an epoch time",
            spl: "| makeresults | eval firstTime=1700000000 | convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime)",
        },
        Example {
            title: "durations and sizes to numbers",
            spl: "| makeresults | eval d=\"1+02:00:05\", m=\"2m\" | convert dur2sec(d) AS secs memk(m)",
        },
    ],
    compat: "`auto()`/`num()` accept plain numbers and numbers with thousands commas. Values `ctime`, `mktime`, `dur2sec`, `mstime`, `memk` and `rmunit` cannot convert are kept unchanged.",
};

const DEFAULT_TIMEFORMAT: &str = "%m/%d/%Y %H:%M:%S";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Auto,
    Ctime,
    Dur2sec,
    Memk,
    Mktime,
    Mstime,
    None,
    Num,
    Rmcomma,
    Rmunit,
}

impl Func {
    fn parse(name: &str) -> Option<Func> {
        Some(match name.to_ascii_lowercase().as_str() {
            "auto" => Func::Auto,
            "ctime" => Func::Ctime,
            "dur2sec" => Func::Dur2sec,
            "memk" => Func::Memk,
            "mktime" => Func::Mktime,
            "mstime" => Func::Mstime,
            "none" => Func::None,
            "num" => Func::Num,
            "rmcomma" => Func::Rmcomma,
            "rmunit" => Func::Rmunit,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
struct Conv {
    func: Func,
    field: String,
    alias: Option<String>,
}

/// Plans `convert`.
pub(crate) fn plan(c: &Convert, p: &PlanCx<'_>) -> Result<Box<dyn Operator>> {
    let o = p.opts;
    let timeformat = o
        .text("timeformat")
        .map(|v| v.node.clone())
        .unwrap_or_else(|| DEFAULT_TIMEFORMAT.to_string());
    let mut convs = Vec::with_capacity(c.conversions.len());
    for conv in &c.conversions {
        let func = Func::parse(&conv.func.node).ok_or_else(|| {
            EngineError::invalid(
                format!("expected a convert function, found `{}`", conv.func.node),
                conv.func.span,
                "unknown function",
            )
        })?;
        if let Some(a) = &conv.alias {
            let n_from = conv.field.node.matches('*').count();
            let n_to = a.node.matches('*').count();
            if n_to > 0 && n_to != n_from {
                return Err(EngineError::invalid(
                    format!("expected {n_from} wildcard(s) in the AS name, found {n_to}"),
                    a.span,
                    "wildcard count differs",
                ));
            }
        }
        convs.push(Conv {
            func,
            field: conv.field.node.clone(),
            alias: conv.alias.as_ref().map(|a| a.node.clone()),
        });
    }
    let needs_all = convs.iter().any(|c| c.func == Func::Auto);
    Ok(Box::new(ConvertOp {
        convs,
        timeformat,
        needs_all,
        buffered: Vec::new(),
        mem: crate::limits::MemBudget::new("convert", p.stage.span),
    }))
}

struct ConvertOp {
    convs: Vec<Conv>,
    timeformat: String,
    /// `auto()` decides per field over all results.
    needs_all: bool,
    buffered: Vec<RecordBatch>,
    /// What `buffered` holds, against `blocking_max_mem_mb`.
    mem: crate::limits::MemBudget,
}

/// One converted value.
enum Out {
    Num(f64),
    Text(String),
    /// `num()` removes values it cannot convert.
    Removed,
}

impl ConvertOp {
    /// The (source, output) field pairs of a conversion in this batch.
    fn targets(&self, conv: &Conv, names: &[String]) -> Vec<(String, String)> {
        let excluded: Vec<&str> = self
            .convs
            .iter()
            .filter(|c| c.func == Func::None)
            .map(|c| c.field.as_str())
            .collect();
        if !conv.field.contains('*') {
            if !names.contains(&conv.field) {
                return Vec::new();
            }
            let out = conv.alias.clone().unwrap_or_else(|| conv.field.clone());
            return vec![(conv.field.clone(), out)];
        }
        wildcard_fields(names, &conv.field)
            .into_iter()
            .filter(|n| !excluded.iter().any(|p| wildcard_match(p, n).is_some()))
            .map(|n| {
                let out = match &conv.alias {
                    Some(a) => match wildcard_match(&conv.field, &n) {
                        Some(caps) => substitute_wildcards(a, &caps),
                        None => a.clone(),
                    },
                    None => n.clone(),
                };
                (n, out)
            })
            .collect()
    }

    fn apply(
        &self,
        batch: RecordBatch,
        skip_auto: &HashSet<String>,
        ctx: &ExecContext,
    ) -> Result<RecordBatch> {
        let mut batch = batch;
        for conv in &self.convs {
            if conv.func == Func::None {
                continue;
            }
            let names: Vec<String> = batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            for (src, out) in self.targets(conv, &names) {
                if conv.func == Func::Auto && skip_auto.contains(&src) {
                    if src != out {
                        if let Some(col) = batch.column_by_name(&src).cloned() {
                            batch = with_column(&batch, &out, col, None)?;
                        }
                    }
                    continue;
                }
                let col = self.convert_field(&batch, &src, conv.func, ctx)?;
                batch = with_column(&batch, &out, col, None)?;
            }
        }
        Ok(batch)
    }

    fn convert_field(
        &self,
        batch: &RecordBatch,
        name: &str,
        func: Func,
        ctx: &ExecContext,
    ) -> Result<ArrayRef> {
        let col = batch
            .column_by_name(name)
            .ok_or_else(|| EngineError::Internal(format!("convert: missing `{name}`")))?;
        // Numbers stay numbers under the numeric conversions (no text round trip).
        if col.data_type() == &DataType::Float64 {
            match func {
                Func::Auto | Func::Num | Func::Rmcomma | Func::Rmunit => return Ok(col.clone()),
                Func::Ctime => {
                    let nums = col.as_primitive::<arrow_array::types::Float64Type>();
                    let a: arrow_array::StringArray = nums
                        .iter()
                        .map(|v| {
                            v.map(|t| {
                                strftime(t, &self.timeformat, &ctx.tz)
                                    .unwrap_or_else(|| format_number(t, None))
                            })
                        })
                        .collect();
                    return Ok(Arc::new(a));
                }
                _ => {}
            }
        }
        let texts = Texts::of(batch, name)?;
        let n = batch.num_rows();
        let mut rows: Vec<Option<Vec<Out>>> = Vec::with_capacity(n);
        for row in 0..n {
            let vals = texts.get(row);
            if vals == RowVals::Null {
                rows.push(None);
                continue;
            }
            let outs = vals
                .to_vec()
                .into_iter()
                .map(|v| self.convert_value(func, v, ctx))
                .collect();
            rows.push(Some(outs));
        }
        let all_num = !texts.is_list()
            && rows
                .iter()
                .flatten()
                .flatten()
                .all(|o| matches!(o, Out::Num(_) | Out::Removed));
        if all_num {
            let a: Float64Array = rows
                .iter()
                .map(|r| match r.as_ref().and_then(|v| v.first()) {
                    Some(Out::Num(x)) => Some(*x),
                    _ => None,
                })
                .collect();
            return Ok(Arc::new(a));
        }
        let text_rows: Vec<Option<Vec<String>>> = rows
            .into_iter()
            .map(|r| {
                r.map(|v| {
                    v.into_iter()
                        .filter_map(|o| match o {
                            Out::Num(x) => Some(format_number(x, None)),
                            Out::Text(s) => Some(s),
                            Out::Removed => None,
                        })
                        .collect::<Vec<_>>()
                })
                .filter(|v| !v.is_empty())
            })
            .collect();
        Ok(build_texts(&text_rows))
    }

    fn convert_value(&self, func: Func, v: &str, ctx: &ExecContext) -> Out {
        let keep = || Out::Text(v.to_string());
        match func {
            Func::Auto => auto_number(v).map_or_else(keep, Out::Num),
            Func::Num => auto_number(v).map_or(Out::Removed, Out::Num),
            Func::Ctime => match crate::value::parse_number(v.trim()) {
                Some(t) => strftime(t, &self.timeformat, &ctx.tz).map_or_else(keep, Out::Text),
                None => keep(),
            },
            Func::Mktime => {
                strptime(v, &self.timeformat, &ctx.tz, ctx.now).map_or_else(keep, Out::Num)
            }
            Func::Dur2sec => dur2sec(v).map_or_else(keep, Out::Num),
            Func::Mstime => mstime(v).map_or_else(keep, Out::Num),
            Func::Memk => memk(v).map_or_else(keep, Out::Num),
            Func::Rmcomma => Out::Text(v.replace(',', "")),
            Func::Rmunit => match leading_number(v) {
                Some(n) => Out::Text(n.to_string()),
                None => keep(),
            },
            Func::None => keep(),
        }
    }
}

/// `auto()`/`num()`: a number, or a number written with thousands commas.
fn auto_number(v: &str) -> Option<f64> {
    let t = v.trim();
    crate::value::parse_number(t).or_else(|| {
        if t.contains(',') {
            crate::value::parse_number(&t.replace(',', ""))
        } else {
            None
        }
    })
}

fn unsigned_decimal(s: &str) -> Option<f64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    s.parse().ok()
}

/// `[D+]HH:MM:SS` (seconds may have a fraction) to seconds.
fn dur2sec(v: &str) -> Option<f64> {
    let t = v.trim();
    let (days, hms) = match t.split_once('+') {
        Some((d, rest)) => (unsigned_decimal(d)?, rest),
        None => (0.0, t),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, s] = parts.as_slice() else {
        return None;
    };
    let (h, m, s) = (
        unsigned_decimal(h)?,
        unsigned_decimal(m)?,
        unsigned_decimal(s)?,
    );
    Some(days * 86_400.0 + h * 3_600.0 + m * 60.0 + s)
}

/// `[MM:]SS.SSS` to seconds.
fn mstime(v: &str) -> Option<f64> {
    let t = v.trim();
    match t.split_once(':') {
        Some((m, s)) => Some(unsigned_decimal(m)? * 60.0 + unsigned_decimal(s)?),
        None => unsigned_decimal(t),
    }
}

/// A positive number with an optional `k`, `m` or `g` suffix, in kilobytes.
fn memk(v: &str) -> Option<f64> {
    let t = v.trim();
    let (num, mult) = match t.chars().last()?.to_ascii_lowercase() {
        'k' => (&t[..t.len() - 1], 1.0),
        'm' => (&t[..t.len() - 1], 1024.0),
        'g' => (&t[..t.len() - 1], 1024.0 * 1024.0),
        _ => (t, 1.0),
    };
    Some(unsigned_decimal(num)? * mult)
}

/// The numeric prefix of a value (`10.5ms` -> `10.5`).
fn leading_number(v: &str) -> Option<&str> {
    let t = v.trim_start();
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut had_digits = i > digits_start;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        had_digits = true;
    }
    if !had_digits {
        return None;
    }
    // An exponent counts only when digits follow it.
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    t.get(..i)
}

impl Operator for ConvertOp {
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        if self.needs_all {
            self.mem.hold(&batch, &ctx.limits)?;
            self.buffered.push(batch);
            return Ok(Vec::new());
        }
        Ok(vec![self.apply(batch, &HashSet::new(), ctx)?])
    }

    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let batches = std::mem::take(&mut self.buffered);
        if batches.is_empty() {
            return Ok(Vec::new());
        }
        // Fields with a value `auto()` cannot convert anywhere are left alone.
        let mut skip = HashSet::new();
        for conv in self.convs.iter().filter(|c| c.func == Func::Auto) {
            for b in &batches {
                let names: Vec<String> = b
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .collect();
                for (src, _) in self.targets(conv, &names) {
                    if skip.contains(&src) {
                        continue;
                    }
                    let texts = Texts::of(b, &src)?;
                    let bad = (0..b.num_rows()).any(|r| {
                        texts
                            .get(r)
                            .to_vec()
                            .iter()
                            .any(|v| auto_number(v).is_none())
                    });
                    if bad {
                        skip.insert(src);
                    }
                }
            }
        }
        batches
            .into_iter()
            .map(|b| self.apply(b, &skip, ctx))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_parsers() {
        assert_eq!(dur2sec("1+02:03:04"), Some(93_784.0));
        assert_eq!(dur2sec("00:01:30.5"), Some(90.5));
        assert_eq!(dur2sec("01:30"), None);
        assert_eq!(dur2sec("x"), None);
        assert_eq!(mstime("01:02.5"), Some(62.5));
        assert_eq!(mstime("2.25"), Some(2.25));
        assert_eq!(memk("10"), Some(10.0));
        assert_eq!(memk("2m"), Some(2048.0));
        assert_eq!(memk("1.5G"), Some(1_572_864.0));
        assert_eq!(memk("-1k"), None);
        assert_eq!(memk(""), None);
        assert_eq!(leading_number("10.5ms"), Some("10.5"));
        assert_eq!(leading_number("-3e2x"), Some("-3e2"));
        assert_eq!(leading_number("7ex"), Some("7"));
        assert_eq!(leading_number("ms"), None);
        assert_eq!(auto_number("1,234.5"), Some(1234.5));
        assert_eq!(auto_number("abc"), None);
    }
}
