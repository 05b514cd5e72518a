//! Splunk's default fields of a raw event: `linecount`, `punct`,
//! `timestartpos`/`timeendpos` and the `date_*` fields.

use super::recognize::Found;
use jiff::civil::Weekday;

/// `punct`: the punctuation of the event's first line, at most 30
/// characters: letters and digits are left out, a space becomes `_`, a tab
/// `t`, every other character is kept as it is.
pub(crate) fn punct(raw: &str) -> String {
    let first = raw.split(['\n', '\r']).next().unwrap_or_default();
    let mut out = String::new();
    let mut n = 0;
    for c in first.chars() {
        if n == 30 {
            break;
        }
        let p = match c {
            ' ' => '_',
            '\t' => 't',
            c if c.is_alphanumeric() => continue,
            c => c,
        };
        out.push(p);
        n += 1;
    }
    out
}

/// `linecount`: the number of lines of the event.
pub(crate) fn linecount(raw: &str) -> usize {
    raw.split('\n').count()
}

/// The `date_*` fields of an event's own timestamp, as written in the event
/// (no conversion to another zone): `date_hour` .. `date_second` as numbers,
/// `date_month` and `date_wday` as lower-case English names, `date_zone` the
/// written offset in minutes or `local` when the text has none.
pub(crate) fn date_fields(f: &Found) -> [(&'static str, String); 8] {
    let c = f.civil;
    let month = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    .get((c.month() - 1) as usize)
    .copied()
    .unwrap_or_default();
    let wday = match c.weekday() {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    };
    [
        ("date_hour", c.hour().to_string()),
        ("date_mday", c.day().to_string()),
        ("date_minute", c.minute().to_string()),
        ("date_month", month.to_string()),
        ("date_second", c.second().to_string()),
        ("date_wday", wday.to_string()),
        ("date_year", c.year().to_string()),
        (
            "date_zone",
            f.zone
                .map_or_else(|| "local".to_string(), |z| (z / 60).to_string()),
        ),
    ]
}

/// The names of the `date_*` fields.
pub(crate) const DATE_FIELDS: [&str; 8] = [
    "date_hour",
    "date_mday",
    "date_minute",
    "date_month",
    "date_second",
    "date_wday",
    "date_year",
    "date_zone",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::raw::recognize::{recognize, TimeContext};

    #[test]
    fn punct_follows_splunks_rule() {
        assert_eq!(
            punct("May 27 09:28:36 ip-172-31-24-46 sshd[5617]: Accepted password for mikael\nnext"),
            "__::_----_[]:____"
        );
        assert_eq!(punct("a\tb c"), "t_");
        assert_eq!(punct(&"=".repeat(40)).len(), 30);
        assert_eq!(
            punct("type=EXECVE msg=audit(1723044684.257:15795): argc=3"),
            "=_=(.:):_="
        );
    }

    #[test]
    fn linecount_counts_lines() {
        assert_eq!(linecount("one"), 1);
        assert_eq!(linecount("one\ntwo\nthree"), 3);
    }

    #[test]
    fn date_fields_as_written() {
        let cx = TimeContext::default();
        let f = recognize("[19/Aug/2024:19:41:22 -0500] x", &cx).unwrap();
        let d = date_fields(&f);
        let get = |n: &str| d.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        assert_eq!(get("date_hour"), Some("19"));
        assert_eq!(get("date_mday"), Some("19"));
        assert_eq!(get("date_month"), Some("august"));
        assert_eq!(get("date_wday"), Some("monday"));
        assert_eq!(get("date_year"), Some("2024"));
        assert_eq!(get("date_zone"), Some("-300"));
        let f = recognize("2024-01-02 03:04:05 x", &cx).unwrap();
        assert_eq!(date_fields(&f)[7].1, "local");
        assert_eq!(DATE_FIELDS.len(), date_fields(&f).len());
    }
}
