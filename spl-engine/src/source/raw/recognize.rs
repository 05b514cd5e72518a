//! Timestamp recognition in event text, as Splunk's `datetime.xml` does it
//! for the common spellings: ISO 8601 / RFC 3339, syslog and RFC 2822
//! (`May 27 09:28:36`, `Tue, 07 Nov 2023 16:58:21 +0000`), Apache
//! (`19/Aug/2024:19:41:22 +0000`), US dates (`05/14/2024 17:36:21.859`,
//! `11/17/2023 05:23:37 PM`), epoch seconds or milliseconds at the start of
//! the text or in an auditd `audit(...)` stamp, a time of day alone at the
//! start of the text (dated by the reference time, below), and an explicit
//! `TIME_FORMAT` (strptime, through jiff).
//!
//! A timestamp without a year takes the year of the reference time (the
//! engine's clock, never the system clock), or the year before when that
//! would put it more than two days after the reference. A timestamp without
//! an offset is read in the configured zone (`TZ`), else UTC.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use regex::Regex;
use std::sync::OnceLock;

/// How times without a year or a zone are completed.
#[derive(Debug, Clone)]
pub(crate) struct TimeContext {
    /// Reference time (epoch seconds) for a missing year.
    pub year_ref: Option<f64>,
    /// Zone for times written without an offset.
    pub tz: TimeZone,
}

impl Default for TimeContext {
    fn default() -> Self {
        TimeContext {
            year_ref: None,
            tz: TimeZone::UTC,
        }
    }
}

/// A recognised timestamp: its time, where it sits in the text, and its
/// parts as written (for the `date_*` fields).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Found {
    /// Epoch seconds.
    pub secs: f64,
    /// Byte range of the timestamp in the text searched.
    pub start: usize,
    pub end: usize,
    /// The civil time as written (year completed).
    pub civil: DateTime,
    /// The offset written in the text, in seconds east of UTC.
    pub zone: Option<i32>,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn month_of(name: &str) -> Option<i8> {
    let n = name.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == n).map(|i| i as i8 + 1)
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        #[allow(clippy::unwrap_used)] // a constant pattern, covered by tests
        Regex::new(
            r"(?x)
            (?P<iso>\b(?P<iy>\d{4})[-/](?P<imo>\d{2})[-/](?P<id>\d{2})(?:T|\s+)(?P<ih>\d{1,2}):(?P<imi>\d{2})
                (?::(?P<is>\d{2})(?:\.(?P<ifr>\d{1,9})|,(?P<ifc>\d{3})\b)?)?
                (?P<iz>\s?Z\b|\s?[+-]\d{2}:?\d{2}\b|\s(?:UTC|GMT)\b)?)
            |(?P<ap>\b(?P<ad>\d{1,2})/(?P<amo>[A-Za-z]{3})/(?P<ay>\d{4}):(?P<ah>\d{2}):(?P<ami>\d{2}):(?P<as>\d{2})
                (?:[.,](?P<afr>\d{1,9}))?(?P<az>\s[+-]\d{4}\b)?)
            |(?P<us>\b(?P<um>\d{1,2})[/-](?P<ud>\d{1,2})[/-](?P<uy>\d{4})\s+(?P<uh>\d{1,2}):(?P<umi>\d{2}):(?P<us2>\d{2})
                (?:[.,](?P<ufr>\d{1,9}))?(?:\s?(?P<uap>[AaPp][Mm])\b)?)
            |(?P<rfc>\b(?:(?P<rwd>[A-Za-z]{3}),?\s+)?(?P<rd>\d{1,2})\s+(?P<rmo>[A-Za-z]{3})\s+(?P<ry>\d{4})\s+(?P<rh>\d{2}):(?P<rmi>\d{2}):(?P<rs>\d{2})
                (?P<rz>\s[+-]\d{4}\b|\s(?:UTC|GMT)\b)?)
            |(?P<sys>\b(?:(?P<swd>[A-Za-z]{3})\s+)?(?P<smo>[A-Za-z]{3})\s+(?P<sd>\d{1,2})\s+(?P<sh>\d{2}):(?P<smi>\d{2}):(?P<ss>\d{2})
                (?:[.,](?P<sfr>\d{1,9}))?(?:\s+(?P<sy>\d{4})\b)?)
            |(?P<ep>(?:^|audit\()(?P<epv>\d{10}(?:\.\d{1,6})?|\d{13})\b)
            |(?P<to>^(?P<th>\d{2}):(?P<tmi>\d{2}):(?P<ts>\d{2})(?:[.,](?P<tfr>\d{1,9}))?\b)",
        )
        .unwrap()
    })
}

fn num<T: std::str::FromStr>(c: &regex::Captures<'_>, name: &str) -> Option<T> {
    c.name(name)?.as_str().parse().ok()
}

fn frac_nanos(c: &regex::Captures<'_>, name: &str) -> i32 {
    c.name(name).map_or(0, |m| {
        let digits = m.as_str();
        let mut n: i64 = digits.parse().unwrap_or(0);
        for _ in digits.len()..9 {
            n *= 10;
        }
        n as i32
    })
}

/// An offset written as `Z`, `+0200`, `-05:00`, `UTC`, `GMT`.
fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s == "UTC" || s == "GMT" {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let h: i32 = digits.get(..2)?.parse().ok()?;
    let m: i32 = digits.get(2..4)?.parse().ok()?;
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// The year for a timestamp written without one: the reference's, or the
/// year before when that would be more than two days past the reference.
fn complete_year(cx: &TimeContext, month: i8, day: i8, time: Time) -> Option<DateTime> {
    let reference = cx.year_ref.unwrap_or(0.0);
    let ref_ts = jiff::Timestamp::from_second(reference.floor() as i64).ok()?;
    let year = cx.tz.to_datetime(ref_ts).year();
    let dt = Date::new(year, month, day).ok()?.to_datetime(time);
    let secs = cx.tz.to_timestamp(dt).ok()?.as_second() as f64;
    if secs > reference + 2.0 * 86400.0 {
        return Some(Date::new(year - 1, month, day).ok()?.to_datetime(time));
    }
    Some(dt)
}

/// Epoch seconds of a civil time in the written offset, else the context's zone.
fn to_secs(cx: &TimeContext, dt: DateTime, zone: Option<i32>) -> Option<f64> {
    let ts = match zone {
        Some(z) => Offset::from_seconds(z).ok()?.to_timestamp(dt).ok()?,
        None => cx.tz.to_timestamp(dt).ok()?,
    };
    Some(ts.as_microsecond() as f64 / 1e6)
}

fn civil(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8, ns: i32) -> Option<DateTime> {
    let date = Date::new(y, mo, d).ok()?;
    let time = Time::new(h, mi, s, ns).ok()?;
    Some(date.to_datetime(time))
}

/// One match of the combined pattern, checked and turned into a time.
fn interpret(c: &regex::Captures<'_>, cx: &TimeContext) -> Option<(DateTime, Option<i32>)> {
    if c.name("iso").is_some() {
        let dt = civil(
            num(c, "iy")?,
            num(c, "imo")?,
            num(c, "id")?,
            num(c, "ih")?,
            num(c, "imi")?,
            num(c, "is").unwrap_or(0),
            frac_nanos(c, "ifr") + frac_nanos(c, "ifc"),
        )?;
        let zone = match c.name("iz") {
            Some(z) => Some(parse_offset(z.as_str())?),
            None => None,
        };
        return Some((dt, zone));
    }
    if c.name("ap").is_some() {
        let dt = civil(
            num(c, "ay")?,
            month_of(c.name("amo")?.as_str())?,
            num(c, "ad")?,
            num(c, "ah")?,
            num(c, "ami")?,
            num(c, "as")?,
            frac_nanos(c, "afr"),
        )?;
        let zone = match c.name("az") {
            Some(z) => Some(parse_offset(z.as_str())?),
            None => None,
        };
        return Some((dt, zone));
    }
    if c.name("us").is_some() {
        let mut h: i8 = num(c, "uh")?;
        if let Some(ap) = c.name("uap") {
            if !(1..=12).contains(&h) {
                return None;
            }
            let pm = ap.as_str().eq_ignore_ascii_case("pm");
            h = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        let dt = civil(
            num(c, "uy")?,
            num(c, "um")?,
            num(c, "ud")?,
            h,
            num(c, "umi")?,
            num(c, "us2")?,
            frac_nanos(c, "ufr"),
        )?;
        return Some((dt, None));
    }
    if c.name("rfc").is_some() {
        if let Some(wd) = c.name("rwd") {
            if !WEEKDAYS.contains(&wd.as_str().to_ascii_lowercase().as_str()) {
                return None;
            }
        }
        let dt = civil(
            num(c, "ry")?,
            month_of(c.name("rmo")?.as_str())?,
            num(c, "rd")?,
            num(c, "rh")?,
            num(c, "rmi")?,
            num(c, "rs")?,
            0,
        )?;
        let zone = match c.name("rz") {
            Some(z) => Some(parse_offset(z.as_str())?),
            None => None,
        };
        return Some((dt, zone));
    }
    if c.name("to").is_some() {
        // a time of day alone (Falco's `12:18:18.691725165: Notice ...`):
        // Splunk takes the date from the source's name or file; we take the
        // reference's date (the engine's clock, else the file's time)
        let time = Time::new(
            num(c, "th")?,
            num(c, "tmi")?,
            num(c, "ts")?,
            frac_nanos(c, "tfr"),
        )
        .ok()?;
        let reference = jiff::Timestamp::from_second(cx.year_ref?.floor() as i64).ok()?;
        return Some((cx.tz.to_datetime(reference).date().to_datetime(time), None));
    }
    if c.name("sys").is_some() {
        if let Some(wd) = c.name("swd") {
            if !WEEKDAYS.contains(&wd.as_str().to_ascii_lowercase().as_str()) {
                return None;
            }
        }
        let month = month_of(c.name("smo")?.as_str())?;
        let day: i8 = num(c, "sd")?;
        let time = Time::new(
            num(c, "sh")?,
            num(c, "smi")?,
            num(c, "ss")?,
            frac_nanos(c, "sfr"),
        )
        .ok()?;
        let dt = match num::<i16>(c, "sy") {
            Some(y) => Date::new(y, month, day).ok()?.to_datetime(time),
            None => complete_year(cx, month, day, time)?,
        };
        return Some((dt, None));
    }
    None
}

/// The first timestamp in `text` (searched from its start), if any.
pub(crate) fn recognize(text: &str, cx: &TimeContext) -> Option<Found> {
    iso_at_start(text, cx).or_else(|| recognize_by_pattern(text, cx))
}

/// Whether the byte after a match makes `\b` hold (`Some(false)` when it
/// does not, `None` when only Unicode rules can say: a non-ASCII byte).
fn boundary_after(b: &[u8], at: usize) -> Option<bool> {
    match b.get(at) {
        None => Some(true),
        Some(c) if c.is_ascii() => Some(!(c.is_ascii_alphanumeric() || *c == b'_')),
        Some(_) => None,
    }
}

/// The ISO 8601 alternative of [`pattern`] matched at the start of `text`
/// by hand, in ASCII: what the pattern finds there, for the common case of
/// a log line that starts with its timestamp, at a fraction of the cost of
/// the capturing regex. `None` whenever the text does not start with one,
/// the time is invalid or a non-ASCII byte would need Unicode rules: the
/// pattern then decides, as it always did (`tests::iso_fast_path_is_the_pattern`).
fn iso_at_start(text: &str, cx: &TimeContext) -> Option<Found> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| c - b'0');
    let num = |from: usize, n: usize| -> Option<u32> {
        (from..from + n).try_fold(0u32, |acc, i| Some(acc * 10 + u32::from(digit(i)?)))
    };
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let year = num(0, 4)?;
    if !matches!(b.get(4), Some(b'-' | b'/')) || !matches!(b.get(7), Some(b'-' | b'/')) {
        return None;
    }
    let (month, day) = (num(5, 2)?, num(8, 2)?);
    let mut p = 10;
    match b.get(p) {
        Some(b'T') => p += 1,
        Some(&c) if is_space(c) => {
            while b.get(p).is_some_and(|&c| is_space(c)) {
                p += 1;
            }
            if !b.get(p).is_some_and(u8::is_ascii) {
                return None;
            }
        }
        _ => return None,
    }
    let hour = if b.get(p + 2) == Some(&b':') && digit(p + 1).is_some() {
        let h = num(p, 2)?;
        p += 3;
        h
    } else if b.get(p + 1) == Some(&b':') {
        let h = num(p, 1)?;
        p += 2;
        h
    } else {
        return None;
    };
    let minute = num(p, 2)?;
    p += 2;
    let (mut second, mut nanos) = (0u32, 0u32);
    if b.get(p) == Some(&b':') {
        if let Some(s) = num(p + 1, 2) {
            second = s;
            p += 3;
            if b.get(p) == Some(&b'.') && digit(p + 1).is_some() {
                let mut n = 0;
                while n < 9 && digit(p + 1 + n).is_some() {
                    n += 1;
                }
                let frac = num(p + 1, n)?;
                nanos = frac * 10u32.pow(9 - n as u32);
                p += 1 + n;
            } else if b.get(p) == Some(&b',')
                && num(p + 1, 3).is_some()
                && boundary_after(b, p + 4)?
            {
                nanos = num(p + 1, 3)? * 1_000_000;
                p += 4;
            }
        }
    }
    // the zone: `\s?Z\b`, then `\s?[+-]\d{2}:?\d{2}\b`, then `\s(?:UTC|GMT)\b`
    if !b.get(p).is_none_or(u8::is_ascii) {
        return None;
    }
    // `\s?` takes a space when there is one (giving it back cannot help:
    // no alternative starts with a space after it)
    let space = usize::from(b.get(p).is_some_and(|&c| is_space(c)));
    let q = p + space;
    let mut zone = None;
    if b.get(q) == Some(&b'Z') && boundary_after(b, q + 1)? {
        zone = Some((0, q + 1));
    }
    if zone.is_none() {
        let sign = match b.get(q) {
            Some(b'+') => Some(1),
            Some(b'-') => Some(-1),
            _ => None,
        };
        if let (Some(sign), Some(h)) = (sign, num(q + 1, 2)) {
            // `:?` takes a colon when there is one, else gives it up
            let colons: &[usize] = if b.get(q + 3) == Some(&b':') {
                &[1, 0]
            } else {
                &[0]
            };
            for &colon in colons {
                let Some(m) = num(q + 3 + colon, 2) else {
                    continue;
                };
                if boundary_after(b, q + 5 + colon)? {
                    // an offset the pattern's `parse_offset` rejects: it
                    // looks further on, so let it
                    if h > 14 || m >= 60 {
                        return None;
                    }
                    zone = Some((sign * (h as i32 * 3600 + m as i32 * 60), q + 5 + colon));
                    break;
                }
            }
        }
    }
    if zone.is_none() && space == 1 {
        let word = b.get(p + 1..p + 4);
        if (word == Some(b"UTC") || word == Some(b"GMT")) && boundary_after(b, p + 4)? {
            zone = Some((0, p + 4));
        }
    }
    let (offset, end) = match zone {
        Some((z, end)) => (Some(z), end),
        None => (None, p),
    };
    let small = |v: u32| i8::try_from(v).ok();
    let dt = civil(
        i16::try_from(year).ok()?,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        i32::try_from(nanos).ok()?,
    )?;
    let secs = to_secs(cx, dt, offset)?;
    Some(Found {
        secs,
        start: 0,
        end,
        civil: dt,
        zone: offset,
    })
}

/// [`recognize`] by the combined pattern alone.
fn recognize_by_pattern(text: &str, cx: &TimeContext) -> Option<Found> {
    let re = pattern();
    let mut at = 0;
    while at <= text.len() {
        let c = re.captures_at(text, at)?;
        let m = c.get(0)?;
        if let Some(v) = c.name("epv") {
            let n: f64 = v.as_str().parse().ok()?;
            let secs = super::super::timestamp::epoch_from_number(n)?;
            let ts = jiff::Timestamp::from_microsecond((secs * 1e6).round() as i64).ok()?;
            return Some(Found {
                secs,
                start: v.start(),
                end: v.end(),
                civil: TimeZone::UTC.to_datetime(ts),
                zone: Some(0),
            });
        }
        if let Some((dt, zone)) = interpret(&c, cx) {
            if let Some(secs) = to_secs(cx, dt, zone) {
                // a leading weekday is part of the timestamp, whatever matched
                return Some(Found {
                    secs,
                    start: m.start(),
                    end: m.end(),
                    civil: dt,
                    zone,
                });
            }
        }
        // not a date after all (`for May 10`): look again one character on
        at = m.start() + text.get(m.start()..)?.chars().next()?.len_utf8();
    }
    None
}

/// A value that is a timestamp as a whole (a JSON field's value): one of the
/// recognised textual spellings covering the value, not a bare number.
pub(crate) fn recognize_value(value: &str, cx: &TimeContext) -> Option<f64> {
    let v = value.trim();
    if v.len() < 8 || v.len() > 40 || !v.contains(':') {
        return None;
    }
    let f = recognize(v, cx)?;
    (f.start == 0 && f.end + 3 >= v.len()).then_some(f.secs)
}

/// A timestamp written in an explicit strptime `format` at the start of `text`.
pub(crate) fn parse_with_format(text: &str, format: &str, cx: &TimeContext) -> Option<Found> {
    let (mut tm, len) = jiff::fmt::strtime::BrokenDownTime::parse_prefix(format, text).ok()?;
    if let Ok(ts) = tm.to_timestamp() {
        let zone = tm.offset().map(|o| o.seconds());
        let civil = match tm.offset() {
            Some(o) => o.to_datetime(ts),
            None => TimeZone::UTC.to_datetime(ts),
        };
        return Some(Found {
            secs: ts.as_microsecond() as f64 / 1e6,
            start: 0,
            end: len,
            civil,
            zone,
        });
    }
    if tm.year().is_none() {
        let month = tm.month()?;
        let day = tm.day()?;
        let time = tm.to_time().unwrap_or(Time::midnight());
        let dt = complete_year(cx, month, day, time)?;
        tm.set_year(Some(dt.year())).ok()?;
    }
    let dt = tm.to_datetime().ok()?;
    Some(Found {
        secs: to_secs(cx, dt, None)?,
        start: 0,
        end: len,
        civil: dt,
        zone: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> TimeContext {
        TimeContext {
            // 2024-05-01T12:00:00Z
            year_ref: Some(1714564800.0),
            tz: TimeZone::UTC,
        }
    }

    fn secs(text: &str) -> Option<f64> {
        recognize(text, &cx()).map(|f| f.secs)
    }

    fn iso(t: &str) -> f64 {
        t.parse::<jiff::Timestamp>().unwrap().as_microsecond() as f64 / 1e6
    }

    #[test]
    fn iso_8601_forms() {
        assert_eq!(
            secs("2023-11-07T16:58:21.123Z GET /"),
            Some(iso("2023-11-07T16:58:21.123Z"))
        );
        assert_eq!(
            secs("x 2024-02-22T12:33:50-05:00 PALO"),
            Some(iso("2024-02-22T17:33:50Z"))
        );
        assert_eq!(
            secs("2014-05-11 12:34:11,372 INFO"),
            Some(iso("2014-05-11T12:34:11.372Z"))
        );
        assert_eq!(
            secs("1,2022/05/10 11:08:38,0132"),
            Some(iso("2022-05-10T11:08:38Z"))
        );
    }

    #[test]
    fn time_of_day_alone_at_the_start() {
        // dated by the reference (2024-05-01), fractions kept
        assert_eq!(
            secs("12:18:18.691725165: Notice A shell was spawned"),
            Some(iso("2024-05-01T12:18:18.691725165Z"))
        );
        assert_eq!(secs("23:59:59 x"), Some(iso("2024-05-01T23:59:59Z")));
        // only at the start, only a valid time, and a date wins when both lead
        assert_eq!(secs("x 12:18:18 y"), None);
        assert_eq!(secs("24:00:00 y"), None);
        assert_eq!(secs("12:18:18x"), None);
        assert_eq!(
            secs("2024-04-30 12:18:18 y"),
            Some(iso("2024-04-30T12:18:18Z"))
        );
        // no reference time: no date to give it
        let none = TimeContext {
            year_ref: None,
            tz: TimeZone::UTC,
        };
        assert_eq!(recognize("12:18:18 x", &none), None);
    }

    /// The hand-written ISO path finds what the pattern finds, whenever it
    /// finds anything (and it does for the usual spellings).
    #[test]
    fn iso_fast_path_is_the_pattern() {
        let dates = [
            "2024-05-01",
            "2024/05/01",
            "2024-5-01",
            "2024-13-01",
            "2024-02-30",
        ];
        let seps = ["T", " ", "  ", "\t", "\u{a0}", "t", ""];
        let times = ["10:00", "9:05", "10:0", "1x:00", "23:59", "24:00"];
        let secs = [
            "",
            ":07",
            ":7",
            ":07.1",
            ":07.123456789",
            ":07.1234567891",
            ":07.",
            ":07,123",
            ":07,1234",
            ":07,12",
            ":07.5\u{663}",
        ];
        let zones = [
            "",
            "Z",
            " Z",
            "Zulu",
            "z",
            "+05:00",
            "+0500",
            "-05:00",
            " -0330",
            "+05:0012",
            "+15:00",
            "+05:60",
            " UTC",
            " GMT",
            " UTCx",
            "UTC",
            " +0100",
            "é",
            " é",
            "Z\u{e9}",
            "+01:00\u{e9}",
            "\u{a0}Z",
            "_",
            " x",
        ];
        let tails = ["", " rest", "\nnext", "7", ":", ",x"];
        let (mut checked, mut fast) = (0, 0);
        for d in dates {
            for sep in seps {
                for t in times {
                    for sc in secs {
                        for z in zones {
                            for tail in tails {
                                let text = format!("{d}{sep}{t}{sc}{z}{tail}");
                                checked += 1;
                                if let Some(f) = iso_at_start(&text, &cx()) {
                                    fast += 1;
                                    assert_eq!(
                                        Some(f),
                                        recognize_by_pattern(&text, &cx()),
                                        "{text:?}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(fast * 4 > checked / 10, "{fast} of {checked}");
    }

    #[test]
    fn syslog_takes_the_year_of_the_clock() {
        let f = recognize(
            "May 27 09:28:36 ip-172-31-24-46 sshd[5617]: Accepted password",
            &cx(),
        )
        .unwrap();
        // May 27 is more than two days after 2024-05-01: the year before
        assert_eq!(f.secs, iso("2023-05-27T09:28:36Z"));
        assert_eq!((f.start, f.end), (0, 15));
        assert_eq!(
            secs("Apr 30 23:59:59 host x"),
            Some(iso("2024-04-30T23:59:59Z"))
        );
        assert_eq!(
            secs("May  1 12:00:00 host"),
            Some(iso("2024-05-01T12:00:00Z"))
        );
        // a word before the month is not a weekday
        assert_eq!(
            secs("logged for May 10 11:08:39 x"),
            Some(iso("2023-05-10T11:08:39Z"))
        );
        assert_eq!(
            secs("Tue Nov  7 16:58:21 2023 boot"),
            Some(iso("2023-11-07T16:58:21Z"))
        );
    }

    #[test]
    fn apache_rfc2822_us_and_epochs() {
        assert_eq!(
            secs(r#"10.0.0.1 - - [19/Aug/2024:19:41:22 +0200] "GET / HTTP/1.1""#),
            Some(iso("2024-08-19T17:41:22Z"))
        );
        assert_eq!(
            secs("Date: Tue, 07 Nov 2023 16:58:21 +0000"),
            Some(iso("2023-11-07T16:58:21Z"))
        );
        assert_eq!(
            secs("SESSION|05/14/2024 17:36:21.859|[HTTPS"),
            Some(iso("2024-05-14T17:36:21.859Z"))
        );
        assert_eq!(
            secs("11/17/2023 05:23:37 PM"),
            Some(iso("2023-11-17T17:23:37Z"))
        );
        assert_eq!(
            secs("Audit:[timestamp=01-25-2023 22:08:54.818, user=admin"),
            Some(iso("2023-01-25T22:08:54.818Z"))
        );
        assert_eq!(
            secs("type=EXECVE msg=audit(1723044684.257:15795): argc=3"),
            Some(1723044684.257)
        );
        assert_eq!(secs("1697608042 rest"), Some(1697608042.0));
        assert_eq!(secs("1697608042123 rest"), Some(1697608042.123));
        // a number elsewhere is not a time
        assert_eq!(
            secs("2 123397614277 eni-0b0f9f261f45e6489 1697608042"),
            None
        );
        assert_eq!(secs("no time here 12:00"), None);
    }

    #[test]
    fn offsetless_times_use_the_zone() {
        let cx = TimeContext {
            year_ref: Some(1714564800.0),
            tz: TimeZone::get("America/New_York")
                .unwrap_or(TimeZone::fixed(Offset::from_hours(-4).unwrap())),
        };
        assert_eq!(
            recognize("2024-05-01 08:00:00 x", &cx).map(|f| f.secs),
            Some(iso("2024-05-01T12:00:00Z"))
        );
    }

    #[test]
    fn explicit_formats() {
        let f = parse_with_format(
            "2014-05-11 12:34:11,372 INFO",
            "%Y-%m-%d %H:%M:%S,%3f",
            &cx(),
        )
        .unwrap();
        assert_eq!(f.secs, iso("2014-05-11T12:34:11.372Z"));
        assert_eq!(f.end, 23);
        let f = parse_with_format("Jan 02 03:04:05 x", "%b %d %H:%M:%S", &cx()).unwrap();
        assert_eq!(f.secs, iso("2024-01-02T03:04:05Z"));
        let f = parse_with_format("1700000000 x", "%s", &cx()).unwrap();
        assert_eq!(f.secs, 1700000000.0);
        assert!(parse_with_format("nope", "%Y", &cx()).is_none());
    }

    #[test]
    fn whole_values() {
        assert_eq!(
            recognize_value("2023-10-05T14:10:53.538Z", &cx()),
            Some(iso("2023-10-05T14:10:53.538Z"))
        );
        assert_eq!(
            recognize_value("Tue Nov  7 16:58:21 2023", &cx()),
            Some(iso("2023-11-07T16:58:21Z"))
        );
        assert_eq!(recognize_value("1697608042", &cx()), None);
        assert_eq!(recognize_value("user logged in at 12:00", &cx()), None);
    }
}
