//! Time modifiers (`-30d@d`, `@w0`, `now`), `--now` parsing, strftime/strptime.
//!
//! Placeholder kept minimal until the full implementation lands.

use crate::error::{EngineError, Result};

/// Resolves a time modifier against `now` (epoch seconds) in time zone `tz`.
pub fn resolve_time_modifier(text: &str, now: f64, _tz: &jiff::tz::TimeZone) -> Result<f64> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") || t.eq_ignore_ascii_case("now()") {
        return Ok(now);
    }
    if let Ok(v) = t.parse::<f64>() {
        return Ok(v);
    }
    let err = || EngineError::InvalidTime {
        text: text.to_string(),
        span: None,
    };
    let (offset, snap) = match t.split_once('@') {
        Some((o, s)) => (o, Some(s)),
        None => (t, None),
    };
    let unit_secs = |u: &str| -> Option<f64> {
        Some(match u {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86400.0,
            "w" | "week" | "weeks" => 604800.0,
            _ => return None,
        })
    };
    let mut v = now;
    if !offset.is_empty() {
        let sign = match offset.as_bytes().first() {
            Some(b'-') => -1.0,
            Some(b'+') => 1.0,
            _ => return Err(err()),
        };
        let rest = &offset[1..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let n: f64 = if digits.is_empty() {
            1.0
        } else {
            digits.parse().map_err(|_| err())?
        };
        let unit = &rest[digits.len()..];
        v += sign * n * unit_secs(unit).ok_or_else(err)?;
    }
    if let Some(s) = snap {
        let u = unit_secs(s).ok_or_else(err)?;
        v = (v / u).floor() * u;
    }
    Ok(v)
}

/// Parses `--now`: RFC 3339 or epoch seconds.
pub fn parse_now(text: &str) -> Result<f64> {
    let t = text.trim();
    if let Ok(v) = t.parse::<f64>() {
        return Ok(v);
    }
    t.parse::<jiff::Timestamp>()
        .map(|ts| ts.as_microsecond() as f64 / 1e6)
        .map_err(|_| EngineError::InvalidTime {
            text: text.to_string(),
            span: None,
        })
}
