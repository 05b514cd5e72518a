//! `span=` time buckets for `mstats` (6.4, 10.11).
//!
//! Spans shorter than a day align to multiples of the span since the UNIX
//! epoch (computed in integer microseconds so `span=100ms` gives exact
//! `…110.1` starts); day spans align to midnight in the user's time zone,
//! month spans to the first of the month.

use crate::error::{EngineError, Result};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use spl_parser::Span;

/// A parsed `span=` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpan {
    /// A fixed length below one day, in microseconds.
    Micros(i64),
    /// N calendar days (local midnight alignment).
    Days(i64),
    /// N calendar months.
    Months(i64),
}

impl TimeSpan {
    /// Parses `10s`, `5m`, `1h`, `100ms`, `2d`, `1mon`, `1y` (a missing count is 1).
    pub fn parse(text: &str, span: Span) -> Result<TimeSpan> {
        let bad = |why: &str| EngineError::InvalidArgument {
            message: format!("expected a time span such as 10s, 5m or 1d, found `{text}`"),
            span,
            label: why.to_string(),
            help: Some("units: us, ms, cs, ds, s, m, h, d, mon, y".into()),
        };
        let t = text.trim();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let (num, unit) = t.split_at(digits);
        let n: i64 = if num.is_empty() {
            1
        } else {
            num.parse().map_err(|_| bad("bad number"))?
        };
        if n <= 0 {
            return Err(bad("the span must be positive"));
        }
        let unit = unit.to_ascii_lowercase();
        let micros_per = match unit.as_str() {
            "us" => 1,
            "ms" => 1_000,
            "cs" => 10_000,
            "ds" => 100_000,
            "s" | "sec" | "secs" | "second" | "seconds" => 1_000_000,
            "m" | "min" | "mins" | "minute" | "minutes" => 60_000_000,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3_600_000_000,
            "d" | "day" | "days" => return Ok(TimeSpan::Days(n)),
            "mon" | "month" | "months" => return Ok(TimeSpan::Months(n)),
            "y" | "yr" | "yrs" | "year" | "years" => {
                return Ok(TimeSpan::Months(n.saturating_mul(12)))
            }
            _ => return Err(bad("unknown unit")),
        };
        let us = n
            .checked_mul(micros_per)
            .ok_or_else(|| bad("span too large"))?;
        if us >= 86_400_000_000 {
            // 24h and longer behave as days (midnight alignment)
            if us % 86_400_000_000 == 0 {
                return Ok(TimeSpan::Days(us / 86_400_000_000));
            }
        }
        Ok(TimeSpan::Micros(us))
    }
}

/// Maps times to bucket starts, caching the last calendar bucket (rows come
/// mostly time-ordered, so day/month spans rarely need a time-zone lookup).
pub(crate) struct Bucketer {
    span: TimeSpan,
    tz: TimeZone,
    cached: Option<(f64, f64, f64)>,
}

impl Bucketer {
    pub(crate) fn new(span: TimeSpan, tz: TimeZone) -> Self {
        Bucketer {
            span,
            tz,
            cached: None,
        }
    }

    /// Bucket start (epoch seconds) of time `t`.
    pub(crate) fn bucket(&mut self, t: f64) -> Option<f64> {
        match self.span {
            TimeSpan::Micros(us) => {
                let tu = (t * 1e6).round() as i64;
                Some(tu.div_euclid(us).saturating_mul(us) as f64 / 1e6)
            }
            TimeSpan::Days(_) | TimeSpan::Months(_) => {
                if let Some((lo, hi, start)) = self.cached {
                    if t >= lo && t < hi {
                        return Some(start);
                    }
                }
                let (lo, hi) = self.calendar_bucket(t)?;
                self.cached = Some((lo, hi, lo));
                Some(lo)
            }
        }
    }

    /// The start of the bucket after the one starting at `start`.
    pub(crate) fn next(&mut self, start: f64) -> Option<f64> {
        let next = match self.span {
            TimeSpan::Micros(us) => Some(start + us as f64 / 1e6),
            // a day is 23 to 25 hours; 3 extra hours always land in the next one
            TimeSpan::Days(n) => self.bucket(start + n as f64 * 86_400.0 + 3.0 * 3_600.0),
            // months are 28 to 31 days: 31 days per month lands early in the
            // month after the span (the overshoot stays under a month)
            TimeSpan::Months(n) => self.bucket(start + n as f64 * 31.0 * 86_400.0 + 3.0 * 3_600.0),
        }?;
        (next > start).then_some(next)
    }

    /// The start of the bucket before the one starting at `start`.
    pub(crate) fn prev(&mut self, start: f64) -> Option<f64> {
        let prev = match self.span {
            TimeSpan::Micros(us) => Some(start - us as f64 / 1e6),
            _ => self.bucket(start - 1.0),
        }?;
        (prev < start).then_some(prev)
    }

    fn calendar_bucket(&self, t: f64) -> Option<(f64, f64)> {
        let ts = Timestamp::from_second(t.floor() as i64).ok()?;
        let date = ts.to_zoned_datetime(self.tz.clone()).date();
        let (start, end) = match self.span {
            TimeSpan::Days(n) => {
                let day =
                    days_from_civil(date.year().into(), date.month().into(), date.day().into());
                let first = day.div_euclid(n) * n;
                (civil_from_days(first), civil_from_days(first + n))
            }
            TimeSpan::Months(n) => {
                let idx = i64::from(date.year()) * 12 + i64::from(date.month()) - 1;
                let first = idx.div_euclid(n) * n;
                let next = first + n;
                (
                    (first.div_euclid(12), first.rem_euclid(12) + 1, 1),
                    (next.div_euclid(12), next.rem_euclid(12) + 1, 1),
                )
            }
            TimeSpan::Micros(_) => return None,
        };
        Some((self.midnight(start)?, self.midnight(end)?))
    }

    fn midnight(&self, (y, m, d): (i64, i64, i64)) -> Option<f64> {
        let date = Date::new(y.try_into().ok()?, m.try_into().ok()?, d.try_into().ok()?).ok()?;
        let z = date.to_zoned_datetime(self.tz.clone()).ok()?;
        Some(z.timestamp().as_second() as f64)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<TimeSpan> {
        TimeSpan::parse(s, Span::new(0, 0))
    }

    #[test]
    fn parses_units() {
        assert_eq!(p("10s").unwrap(), TimeSpan::Micros(10_000_000));
        assert_eq!(p("5m").unwrap(), TimeSpan::Micros(300_000_000));
        assert_eq!(p("100ms").unwrap(), TimeSpan::Micros(100_000));
        assert_eq!(p("1d").unwrap(), TimeSpan::Days(1));
        assert_eq!(p("24h").unwrap(), TimeSpan::Days(1));
        assert_eq!(p("mon").unwrap(), TimeSpan::Months(1));
        assert!(p("10x").is_err());
        assert!(p("0s").is_err());
        assert!(p("").is_err());
    }

    #[test]
    fn sub_day_buckets_align_to_epoch() {
        let mut b = Bucketer::new(p("10s").unwrap(), TimeZone::UTC);
        assert_eq!(b.bucket(1_700_000_009.9), Some(1_700_000_000.0));
        assert_eq!(b.bucket(-0.5), Some(-10.0));
        let mut ms = Bucketer::new(p("100ms").unwrap(), TimeZone::UTC);
        assert_eq!(ms.bucket(1549496110.1234), Some(1549496110.1));
    }

    #[test]
    fn day_and_month_buckets_use_local_midnight() {
        let tz = TimeZone::fixed(jiff::tz::offset(-5));
        let mut b = Bucketer::new(p("1d").unwrap(), tz.clone());
        // 2023-11-14T22:13:20Z is 17:13:20 local; local midnight is 05:00Z
        assert_eq!(b.bucket(1_700_000_000.0), Some(1_699_938_000.0));
        let mut m = Bucketer::new(p("1mon").unwrap(), TimeZone::UTC);
        assert_eq!(m.bucket(1_700_000_000.0), Some(1_698_796_800.0));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn next_and_previous_buckets() {
        let mut b = Bucketer::new(p("5m").unwrap(), TimeZone::UTC);
        assert_eq!(b.next(300.0), Some(600.0));
        assert_eq!(b.prev(300.0), Some(0.0));
        let mut m = Bucketer::new(p("1mon").unwrap(), TimeZone::UTC);
        // 2024-01-01 -> 2024-02-01 -> 2024-03-01, and back
        assert_eq!(m.next(1_704_067_200.0), Some(1_706_745_600.0));
        assert_eq!(m.next(1_706_745_600.0), Some(1_709_251_200.0));
        assert_eq!(m.prev(1_709_251_200.0), Some(1_706_745_600.0));
        let mut d = Bucketer::new(p("1d").unwrap(), TimeZone::UTC);
        assert_eq!(d.next(0.0), Some(86_400.0));
        assert_eq!(d.prev(86_400.0), Some(0.0));
    }
}
