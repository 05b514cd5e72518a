//! Time: modifiers (`-30d@d`, `@w0`, `now`, epochs, absolute times; semantics
//! 11.1), `--now` parsing, strftime/strptime ([`format`]) and ISO rendering.
//!
//! Everything takes the clock as an argument; nothing reads the system time.
//! Sub-day offsets (`s m h` and sub-second units) move the absolute time;
//! day-or-longer offsets (`d w mon q y`) and all snaps work on the wall clock
//! of the given time zone (month arithmetic clamps the day: Mar 31 -1mon =
//! Feb 28/29).

mod format;
mod range;

pub use format::{strftime, strptime};
pub use range::TimeRange;

use crate::error::{EngineError, Result};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// A time unit of a relative modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unit {
    Microsecond,
    Millisecond,
    Centisecond,
    Decisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Unit {
    /// Parses a unit name (semantics 11.1).
    pub(crate) fn parse(s: &str) -> Option<Unit> {
        Some(match s.to_ascii_lowercase().as_str() {
            "us" => Unit::Microsecond,
            "ms" => Unit::Millisecond,
            "cs" => Unit::Centisecond,
            "ds" => Unit::Decisecond,
            "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
            "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
            "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
            "d" | "day" | "days" => Unit::Day,
            "w" | "week" | "weeks" => Unit::Week,
            "mon" | "month" | "months" => Unit::Month,
            "q" | "qtr" | "qtrs" | "quarter" | "quarters" => Unit::Quarter,
            "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
            _ => return None,
        })
    }

    /// Length in seconds for units of fixed length (up to a week).
    pub(crate) fn fixed_seconds(self) -> Option<f64> {
        Some(match self {
            Unit::Microsecond => 1e-6,
            Unit::Millisecond => 1e-3,
            Unit::Centisecond => 1e-2,
            Unit::Decisecond => 1e-1,
            Unit::Second => 1.0,
            Unit::Minute => 60.0,
            Unit::Hour => 3600.0,
            Unit::Day => 86_400.0,
            Unit::Week => 604_800.0,
            _ => return None,
        })
    }
}

/// Seconds in one `unit` (`s`, `5m`-style names; fixed-length units only).
pub(crate) fn unit_seconds(unit: &str) -> Option<f64> {
    Unit::parse(unit)?.fixed_seconds()
}

/// Resolves a time modifier to epoch seconds, relative to `now` in `tz`.
///
/// Accepts `now`, `now()`, an epoch number, an absolute
/// `%m/%d/%Y:%H:%M:%S` (or `%m/%d/%Y`) time, and relative chains such as
/// `-30d`, `-1h@h`, `@d-2h`, `-h`, `@w1`, `+1mon@mon`, `@q`, `@y`.
pub fn resolve_time_modifier(text: &str, now: f64, tz: &TimeZone) -> Result<f64> {
    let bad = || EngineError::InvalidTime {
        text: text.to_string(),
        span: None,
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if t.eq_ignore_ascii_case("now") || t.eq_ignore_ascii_case("now()") {
        return Ok(now);
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return t.parse::<f64>().map_err(|_| bad());
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_absolute(t, tz).ok_or_else(bad);
    }
    apply_relative(t, now, tz).ok_or_else(bad)
}

/// `%m/%d/%Y:%H:%M:%S` or `%m/%d/%Y` in `tz`.
fn parse_absolute(t: &str, tz: &TimeZone) -> Option<f64> {
    strptime(t, "%m/%d/%Y:%H:%M:%S", tz, 0.0).or_else(|| strptime(t, "%m/%d/%Y", tz, 0.0))
}

/// Applies a relative chain (offsets and snaps, left to right) to `start`.
fn apply_relative(t: &str, start: f64, tz: &TimeZone) -> Option<f64> {
    let b = t.as_bytes();
    let mut i = 0;
    let mut cur = start;
    while i < b.len() {
        match b.get(i)? {
            sign @ (b'+' | b'-') => {
                i += 1;
                let ds = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                let n: i64 = if ds == i {
                    1
                } else {
                    t.get(ds..i)?.parse().ok()?
                };
                let us = i;
                while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                let unit = Unit::parse(t.get(us..i)?)?;
                cur = offset(cur, if *sign == b'-' { -n } else { n }, unit, tz)?;
            }
            b'@' => {
                i += 1;
                let us = i;
                while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                let name = t.get(us..i)?;
                let weekday =
                    if name.eq_ignore_ascii_case("w") && b.get(i).is_some_and(u8::is_ascii_digit) {
                        let d = b.get(i).map(|d| d - b'0').filter(|d| *d <= 7)?;
                        i += 1;
                        Some(d)
                    } else {
                        None
                    };
                cur = snap(cur, Unit::parse(name)?, weekday, tz)?;
            }
            _ => return None,
        }
    }
    Some(cur)
}

/// Epoch seconds to a timestamp (sub-nanosecond parts dropped).
pub(crate) fn to_timestamp(t: f64) -> Option<Timestamp> {
    if !t.is_finite() {
        return None;
    }
    // An f64 epoch carries about a quarter of a microsecond of precision:
    // round to whole microseconds so `.049` prints as 049000000 with %N.
    let micros = (t * 1e6).round();
    let secs = (micros / 1e6).floor();
    let sub = (micros - secs * 1e6).clamp(0.0, 999_999.0);
    Timestamp::new(secs as i64, sub as i32 * 1000).ok()
}

/// A timestamp to epoch seconds.
pub(crate) fn from_timestamp(ts: Timestamp) -> f64 {
    ts.as_second() as f64 + f64::from(ts.subsec_nanosecond()) / 1e9
}

fn civil(t: f64, tz: &TimeZone) -> Option<DateTime> {
    Some(tz.to_datetime(to_timestamp(t)?))
}

fn from_civil(dt: DateTime, tz: &TimeZone) -> Option<f64> {
    tz.to_timestamp(dt).ok().map(from_timestamp)
}

/// `t` moved by `n` units (negative: backwards): sub-day units move the
/// absolute time, day-or-longer units the wall clock of `tz` (the rule of
/// relative time modifiers, also used by `streamstats time_window=`).
pub(crate) fn offset(t: f64, n: i64, unit: Unit, tz: &TimeZone) -> Option<f64> {
    let span = match unit {
        Unit::Day => Span::new().try_days(n).ok()?,
        Unit::Week => Span::new().try_weeks(n).ok()?,
        Unit::Month => Span::new().try_months(n).ok()?,
        Unit::Quarter => Span::new().try_months(n.checked_mul(3)?).ok()?,
        Unit::Year => Span::new().try_years(n).ok()?,
        fixed => return Some(t + n as f64 * fixed.fixed_seconds()?),
    };
    let dt = civil(t, tz)?.checked_add(span).ok()?;
    from_civil(dt, tz)
}

fn snap(t: f64, unit: Unit, weekday: Option<u8>, tz: &TimeZone) -> Option<f64> {
    if let Some(step) = unit.fixed_seconds().filter(|_| unit < Unit::Minute) {
        // Sub-minute snaps do not depend on the zone's offset.
        return Some((t / step).floor() * step);
    }
    let dt = civil(t, tz)?;
    let midnight = dt.start_of_day();
    let snapped = match unit {
        Unit::Minute => dt.with().second(0).subsec_nanosecond(0).build().ok()?,
        Unit::Hour => dt
            .with()
            .minute(0)
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .ok()?,
        Unit::Day => midnight,
        Unit::Week => {
            // @w0/@w7/@w = Sunday ... @w6 = Saturday; today if it is that day.
            let target = i64::from(weekday.unwrap_or(0) % 7);
            let today = i64::from(dt.weekday().to_sunday_zero_offset());
            let back = (today - target).rem_euclid(7);
            midnight
                .checked_sub(Span::new().try_days(back).ok()?)
                .ok()?
        }
        Unit::Month => midnight.first_of_month(),
        Unit::Quarter => {
            let m = (dt.month() - 1) / 3 * 3 + 1;
            midnight.with().month(m).day(1).build().ok()?
        }
        Unit::Year => midnight.first_of_year(),
        _ => return None,
    };
    if weekday.is_some() && unit != Unit::Week {
        return None;
    }
    from_civil(snapped, tz)
}

/// Parses a `--now` value: RFC 3339 (`2024-01-01T00:00:00Z`, offsets and
/// fractions allowed), a civil date-time or date read as UTC, or epoch seconds.
pub fn parse_now(text: &str) -> Result<f64> {
    let t = text.trim();
    let bad = || EngineError::InvalidTime {
        text: text.to_string(),
        span: None,
    };
    if let Some(v) = crate::value::parse_number(t) {
        return if v.is_finite() { Ok(v) } else { Err(bad()) };
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(from_timestamp(ts));
    }
    if let Ok(dt) = t.parse::<DateTime>() {
        return from_civil(dt, &TimeZone::UTC).ok_or_else(bad);
    }
    Err(bad())
}

/// UTC ISO-8601 with milliseconds: `2024-01-01T00:00:00.000+00:00`.
pub fn format_time_iso(t: f64) -> String {
    let ms = (t * 1000.0).floor();
    let Some(ts) = to_timestamp(ms.div_euclid(1000.0)) else {
        return crate::value::format_number(t, None);
    };
    let dt = TimeZone::UTC.to_datetime(ts);
    let millis = ms.rem_euclid(1000.0) as i32;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+00:00",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        millis
    )
}

#[cfg(test)]
mod tests;
