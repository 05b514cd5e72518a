//! Splunk's strftime/strptime format variables ([R-DATEFN]; "Date and time
//! format variables"): `%Y %y %m %d %e %H %k %I %l %M %S %p %j %a %A %b %B
//! %h %Z %z %:z %s %N %3N %6N %9N %Q %3Q %6Q %f %T %F %D %R %c %x %X %+ %U
//! %V %w %u %C %G %n %t %%`.

use super::{from_civil, to_timestamp};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use std::fmt::Write;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn abbr(name: &str) -> &str {
    name.get(..3).unwrap_or(name)
}

/// Formats epoch seconds `t` in `tz`. `None` for times out of range.
pub fn strftime(t: f64, fmt: &str, tz: &TimeZone) -> Option<String> {
    let ts = to_timestamp(t)?;
    let dt = tz.to_datetime(ts);
    let info = tz.to_offset_info(ts);
    let offset = info.offset().seconds();
    let zone = info.abbreviation().to_string();
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut width: Option<usize> = None;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = Some(width.unwrap_or(0) * 10 + d as usize);
            chars.next();
        }
        let colon = chars.peek() == Some(&':');
        if colon {
            chars.next();
        }
        let Some(spec) = chars.next() else {
            out.push('%');
            break;
        };
        write_spec(&mut out, spec, width, colon, &dt, t, offset, &zone);
    }
    Some(out)
}

#[allow(clippy::too_many_arguments)]
fn write_spec(
    out: &mut String,
    spec: char,
    width: Option<usize>,
    colon: bool,
    dt: &DateTime,
    t: f64,
    offset: i32,
    zone: &str,
) {
    let month = MONTHS.get((dt.month() - 1) as usize).copied().unwrap_or("");
    let wd = dt.weekday().to_sunday_zero_offset();
    let day = DAYS.get(wd as usize).copied().unwrap_or("");
    let h12 = match dt.hour() % 12 {
        0 => 12,
        h => h,
    };
    let subsec = |digits: usize| -> String {
        let nanos = format!("{:09}", dt.subsec_nanosecond());
        let d = digits.clamp(1, 9);
        nanos.get(..d).unwrap_or(&nanos).to_string()
    };
    let _ = match spec {
        'Y' => write!(out, "{:04}", dt.year()),
        'y' => write!(out, "{:02}", dt.year().rem_euclid(100)),
        'C' => write!(out, "{:02}", dt.year().div_euclid(100)),
        'm' => write!(out, "{:02}", dt.month()),
        'd' => write!(out, "{:02}", dt.day()),
        'e' => write!(out, "{:>2}", dt.day()),
        'H' => write!(out, "{:02}", dt.hour()),
        'k' => write!(out, "{:>2}", dt.hour()),
        'I' => write!(out, "{:02}", h12),
        'l' => write!(out, "{:>2}", h12),
        'M' => write!(out, "{:02}", dt.minute()),
        'S' => write!(out, "{:02}", dt.second()),
        'p' => write!(out, "{}", if dt.hour() < 12 { "AM" } else { "PM" }),
        'j' => write!(out, "{:03}", dt.day_of_year()),
        'a' => write!(out, "{}", abbr(day)),
        'A' => write!(out, "{day}"),
        'b' | 'h' => write!(out, "{}", abbr(month)),
        'B' => write!(out, "{month}"),
        'w' => write!(out, "{wd}"),
        'u' => write!(out, "{}", dt.weekday().to_monday_one_offset()),
        'U' => {
            let yday = i32::from(dt.day_of_year()) - 1;
            write!(out, "{:02}", (yday + 7 - i32::from(wd)) / 7)
        }
        'V' => write!(out, "{:02}", dt.date().iso_week_date().week()),
        'G' => write!(out, "{:04}", dt.date().iso_week_date().year()),
        'Z' => write!(out, "{zone}"),
        'z' => {
            let sign = if offset < 0 { '-' } else { '+' };
            let a = offset.unsigned_abs();
            if colon {
                write!(out, "{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
            } else {
                write!(out, "{sign}{:02}{:02}", a / 3600, a % 3600 / 60)
            }
        }
        's' => write!(out, "{}", t.floor() as i64),
        'N' => write!(out, "{}", subsec(width.unwrap_or(9))),
        'Q' => write!(out, "{}", subsec(width.unwrap_or(3))),
        'f' => write!(out, "{}", subsec(width.unwrap_or(6))),
        'T' => write!(
            out,
            "{:02}:{:02}:{:02}",
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
        'X' => write!(
            out,
            "{:02}:{:02}:{:02}",
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
        'R' => write!(out, "{:02}:{:02}", dt.hour(), dt.minute()),
        'F' => write!(out, "{:04}-{:02}-{:02}", dt.year(), dt.month(), dt.day()),
        'D' | 'x' => write!(
            out,
            "{:02}/{:02}/{:02}",
            dt.month(),
            dt.day(),
            dt.year().rem_euclid(100)
        ),
        'c' => write!(
            out,
            "{} {} {:>2} {:02}:{:02}:{:02} {:04}",
            abbr(day),
            abbr(month),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.year()
        ),
        '+' => write!(
            out,
            "{} {} {:>2} {:02}:{:02}:{:02} {zone} {:04}",
            abbr(day),
            abbr(month),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.year()
        ),
        'n' => out.write_char('\n'),
        't' => out.write_char('\t'),
        '%' => out.write_char('%'),
        other => write!(out, "%{other}"),
    };
}

/// Fields collected while parsing.
#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<i32>,
    day: Option<i32>,
    yday: Option<i32>,
    hour: i32,
    minute: i32,
    second: i32,
    nanos: i32,
    pm: Option<bool>,
    offset: Option<i32>,
    epoch: Option<f64>,
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        self.s.get(self.pos..).unwrap_or("")
    }

    fn skip_ws(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start().len();
    }

    /// Up to `max` digits (at least one), with an optional sign when `signed`.
    fn num(&mut self, max: usize, signed: bool) -> Option<i64> {
        let r = self.rest();
        let mut len = 0;
        let neg = signed && r.starts_with('-');
        if signed && (r.starts_with('-') || r.starts_with('+')) {
            len = 1;
        }
        let start = len;
        while len - start < max && r.as_bytes().get(len).is_some_and(u8::is_ascii_digit) {
            len += 1;
        }
        if len == start {
            return None;
        }
        let v: i64 = r.get(start..len)?.parse().ok()?;
        self.pos += len;
        Some(if neg { -v } else { v })
    }

    /// A name from `names` (full or three-letter, case-insensitive); its index.
    fn name(&mut self, names: &[&str]) -> Option<usize> {
        let r = self.rest().to_ascii_lowercase();
        for (i, n) in names.iter().enumerate() {
            let full = n.to_ascii_lowercase();
            if r.starts_with(&full) {
                self.pos += full.len();
                return Some(i);
            }
        }
        for (i, n) in names.iter().enumerate() {
            let short = abbr(n).to_ascii_lowercase();
            if r.starts_with(&short) {
                self.pos += short.len();
                return Some(i);
            }
        }
        None
    }

    fn lit(&mut self, c: char) -> Option<()> {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            Some(())
        } else {
            None
        }
    }
}

/// Parses `text` with `fmt` into epoch seconds. Without `%z`/`%Z` offset the
/// wall-clock time is read in `tz`; a missing year is `now`'s year (in `tz`);
/// a missing month/day defaults to January 1st only when the format has a
/// day-of-year. Returns `None` when the text does not match (semantics 3.7:
/// a day component is required).
pub fn strptime(text: &str, fmt: &str, tz: &TimeZone, now: f64) -> Option<f64> {
    let mut p = Parts::default();
    let mut cur = Cursor { s: text, pos: 0 };
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            cur.skip_ws();
            continue;
        }
        if c != '%' {
            cur.lit(c)?;
            continue;
        }
        let mut width: Option<usize> = None;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = Some(width.unwrap_or(0) * 10 + d as usize);
            chars.next();
        }
        if chars.peek() == Some(&':') {
            chars.next();
        }
        let spec = chars.next()?;
        parse_spec(&mut cur, &mut p, spec, width)?;
    }
    if let Some(e) = p.epoch {
        return Some(e);
    }
    let year = match p.year {
        Some(y) => y,
        None => i32::from(tz.to_datetime(to_timestamp(now)?).year()),
    };
    let (month, day) = match (p.month, p.day, p.yday) {
        (Some(m), Some(d), _) => (m, d),
        (None, None, Some(_)) => (1, 1),
        (None, Some(d), None) => (1, d),
        _ => return None,
    };
    let mut hour = p.hour;
    match p.pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let date = match p.yday {
        Some(yd) if p.month.is_none() => date
            .with()
            .day_of_year(i16::try_from(yd).ok()?)
            .build()
            .ok()?,
        _ => date,
    };
    let dt = date
        .at(
            i8::try_from(hour).ok()?,
            i8::try_from(p.minute).ok()?,
            i8::try_from(p.second).ok()?,
            p.nanos,
        )
        .with()
        .build()
        .ok()?;
    match p.offset {
        Some(off) => from_civil(
            dt,
            &TimeZone::fixed(jiff::tz::Offset::from_seconds(off).ok()?),
        ),
        None => from_civil(dt, tz),
    }
}

fn parse_spec(cur: &mut Cursor<'_>, p: &mut Parts, spec: char, width: Option<usize>) -> Option<()> {
    let set = |slot: &mut i32, v: i64, lo: i64, hi: i64| -> Option<()> {
        (lo..=hi).contains(&v).then(|| *slot = v as i32)
    };
    match spec {
        'Y' => p.year = Some(cur.num(4, true)? as i32),
        'y' => {
            let y = cur.num(2, false)?;
            p.year = Some(if y < 69 {
                2000 + y as i32
            } else {
                1900 + y as i32
            });
        }
        'm' => p.month = Some(range(cur.num(2, false)?, 1, 12)?),
        'd' => p.day = Some(range(cur.num(2, false)?, 1, 31)?),
        'e' => {
            cur.skip_ws();
            p.day = Some(range(cur.num(2, false)?, 1, 31)?);
        }
        'j' => p.yday = Some(range(cur.num(3, false)?, 1, 366)?),
        'H' | 'k' => {
            cur.skip_ws();
            set(&mut p.hour, cur.num(2, false)?, 0, 23)?
        }
        'I' | 'l' => {
            cur.skip_ws();
            set(&mut p.hour, cur.num(2, false)?, 1, 12)?
        }
        'M' => set(&mut p.minute, cur.num(2, false)?, 0, 59)?,
        'S' => set(&mut p.second, cur.num(2, false)?, 0, 60)?,
        'p' => {
            let r = cur.rest().to_ascii_lowercase();
            p.pm = Some(if r.starts_with("pm") {
                true
            } else if r.starts_with("am") {
                false
            } else {
                return None;
            });
            cur.pos += 2;
        }
        'a' | 'A' => {
            cur.name(&DAYS)?;
        }
        'b' | 'B' | 'h' => p.month = Some(cur.name(&MONTHS)? as i32 + 1),
        'z' => {
            let r = cur.rest();
            if r.starts_with('Z') || r.starts_with('z') {
                cur.pos += 1;
                p.offset = Some(0);
            } else {
                let neg = r.starts_with('-');
                cur.lit(if neg { '-' } else { '+' })?;
                let hh = cur.num(2, false)?;
                cur.lit(':');
                let mm = cur.num(2, false).unwrap_or(0);
                let off = (hh * 3600 + mm * 60) as i32;
                p.offset = Some(if neg { -off } else { off });
            }
        }
        'Z' => {
            let r = cur.rest();
            let name: String = r.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if name.is_empty() {
                return None;
            }
            cur.pos += name.len();
            if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("gmt") || name == "Z" {
                p.offset = Some(0);
            }
        }
        's' => {
            let r = cur.rest();
            let len = r
                .char_indices()
                .take_while(|&(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))
                .count();
            p.epoch = Some(r.get(..len)?.parse().ok()?);
            cur.pos += len;
        }
        'N' | 'Q' | 'f' => {
            let max = width.unwrap_or(match spec {
                'Q' => 3,
                'f' => 6,
                _ => 9,
            });
            let r = cur.rest();
            let digits: String = r
                .chars()
                .take_while(char::is_ascii_digit)
                .take(max.clamp(1, 9))
                .collect();
            if digits.is_empty() {
                return None;
            }
            cur.pos += digits.len();
            p.nanos = format!("{digits:0<9}").parse().ok()?;
        }
        'T' => {
            parse_spec(cur, p, 'H', None)?;
            cur.lit(':')?;
            parse_spec(cur, p, 'M', None)?;
            cur.lit(':')?;
            parse_spec(cur, p, 'S', None)?;
        }
        'R' => {
            parse_spec(cur, p, 'H', None)?;
            cur.lit(':')?;
            parse_spec(cur, p, 'M', None)?;
        }
        'F' => {
            parse_spec(cur, p, 'Y', None)?;
            cur.lit('-')?;
            parse_spec(cur, p, 'm', None)?;
            cur.lit('-')?;
            parse_spec(cur, p, 'd', None)?;
        }
        'D' => {
            parse_spec(cur, p, 'm', None)?;
            cur.lit('/')?;
            parse_spec(cur, p, 'd', None)?;
            cur.lit('/')?;
            parse_spec(cur, p, 'y', None)?;
        }
        'n' | 't' => cur.skip_ws(),
        '%' => cur.lit('%')?,
        _ => return None,
    }
    Some(())
}

fn range(v: i64, lo: i64, hi: i64) -> Option<i32> {
    (lo..=hi).contains(&v).then_some(v as i32)
}
