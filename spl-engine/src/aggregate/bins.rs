//! Bin sizes: parsing a `span=` (numbers, time spans, log spans) and
//! choosing an automatic span for `bins=` (`bin`, `timechart`, `sparkline`).

use crate::aggregate::timespan::TimeSpan;
use crate::error::{EngineError, Result};
use spl_parser::Span;

/// A resolved bin width.
#[derive(Debug, Clone, Copy)]
pub(crate) enum BinSpan {
    /// Time buckets (value = bucket start, epoch seconds).
    Time(TimeSpan),
    /// Numeric ranges of this width, printed with `decimals` places.
    Num(f64, Option<u8>),
}

/// Automatic time spans, as timechart's defaults by search range (15 min ->
/// 10s, 60 min -> 1m, 4 h -> 5m, 24 h -> 30m, 7 or 30 days -> 1d, a year ->
/// 1mon with 100 bins).
pub(crate) const TIME_CANDIDATES: &[&str] = &[
    "1s", "5s", "10s", "30s", "1m", "5m", "10m", "30m", "1h", "1d", "1mon", "1y",
];

/// Parses `span=`: a count with a time unit, or a plain number.
pub(crate) fn parse_span(text: &str, span: Span, is_time_field: bool) -> Result<BinSpan> {
    let t = text.trim();
    let num_len = t
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (num, unit) = t.split_at(num_len);
    if unit.to_ascii_lowercase().contains("log") {
        return Err(EngineError::invalid(
            format!("expected a span such as 5m or 10, found `{text}`"),
            span,
            "log spans are not supported",
        ));
    }
    if unit.is_empty() {
        let w: f64 = num.parse().map_err(|_| {
            EngineError::invalid(
                format!("expected a span such as 5m or 10, found `{text}`"),
                span,
                "not a number",
            )
        })?;
        if !(w > 0.0 && w.is_finite()) {
            return Err(EngineError::invalid(
                format!("expected a positive span, found `{text}`"),
                span,
                "must be positive",
            ));
        }
        if is_time_field {
            // `_time` with a unitless span: seconds
            if w.fract() == 0.0 {
                return Ok(BinSpan::Time(TimeSpan::parse(&format!("{num}s"), span)?));
            }
            return Ok(BinSpan::Time(TimeSpan::Micros((w * 1e6).round() as i64)));
        }
        let decimals = num
            .split_once('.')
            .map(|(_, f)| f.trim_end_matches('0').len())
            .filter(|d| *d > 0)
            .and_then(|d| u8::try_from(d).ok());
        return Ok(BinSpan::Num(w, decimals));
    }
    let lower = unit.to_ascii_lowercase();
    if matches!(lower.as_str(), "w" | "week" | "weeks") {
        let n: i64 = if num.is_empty() {
            1
        } else {
            num.parse().map_err(|_| {
                EngineError::invalid(
                    format!("expected a time span such as 1w, found `{text}`"),
                    span,
                    "bad number",
                )
            })?
        };
        if n <= 0 {
            return Err(EngineError::invalid(
                format!("expected a positive span, found `{text}`"),
                span,
                "must be positive",
            ));
        }
        return Ok(BinSpan::Time(TimeSpan::Days(n.saturating_mul(7))));
    }
    Ok(BinSpan::Time(TimeSpan::parse(t, span)?))
}

/// Number of bins of width `w` spanning `lo..=hi`.
pub(crate) fn bin_count(lo: f64, hi: f64, w: f64) -> f64 {
    (hi / w).floor() - (lo / w).floor() + 1.0
}

pub(crate) fn approx_seconds(s: TimeSpan) -> f64 {
    match s {
        TimeSpan::Micros(us) => us as f64 / 1e6,
        TimeSpan::Days(d) => d as f64 * 86_400.0,
        TimeSpan::Months(m) => m as f64 * 30.0 * 86_400.0,
    }
}

pub(crate) fn span_seconds(s: &BinSpan) -> f64 {
    match s {
        BinSpan::Time(t) => approx_seconds(*t),
        BinSpan::Num(w, _) => *w,
    }
}

/// The smallest candidate span with at most `bins` bins over the values.
pub(crate) fn auto_span(
    values: &[f64],
    bins: usize,
    minspan: Option<BinSpan>,
    start: Option<f64>,
    end: Option<f64>,
    time: bool,
) -> Result<BinSpan> {
    let mut lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if let Some(s) = start {
        lo = lo.min(s);
    }
    if let Some(e) = end {
        hi = hi.max(e);
    }
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 0.0;
    }
    let min_w = minspan.as_ref().map_or(0.0, span_seconds);
    let bins = bins as f64;
    if time {
        for c in TIME_CANDIDATES {
            let ts = TimeSpan::parse(c, Span::new(0, 0))?;
            let w = approx_seconds(ts);
            if w >= min_w && bin_count(lo, hi, w) <= bins {
                return Ok(BinSpan::Time(ts));
            }
        }
        return Ok(BinSpan::Time(TimeSpan::Months(12)));
    }
    let range = hi - lo;
    let mut k = if range > 0.0 {
        (range / bins).log10().floor() as i32
    } else {
        0
    };
    loop {
        let w = 10f64.powi(k);
        if (w >= min_w && bin_count(lo, hi, w) <= bins) || k > 300 {
            let decimals = u8::try_from(-k).ok().filter(|d| *d > 0);
            return Ok(BinSpan::Num(w, decimals));
        }
        k += 1;
    }
}
