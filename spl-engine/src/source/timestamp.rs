//! Turning the text of a time field into epoch seconds.
//!
//! Exports carry `_time` in several spellings: RFC 3339 (`2023-12-07T14:44:53.358394Z`,
//! Splunk's export form `2024-01-02T03:04:05.000+00:00`), a space instead of the `T`,
//! a bare date-time without offset (taken as UTC), or an epoch number. Epoch numbers
//! that are too large to be seconds are read as milliseconds, microseconds or
//! nanoseconds, as Splunk's timestamp recognition does for 13/16/19-digit epochs.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Seconds since the epoch from a numeric epoch value, scaling ms/µs/ns epochs.
pub(crate) fn epoch_from_number(v: f64) -> Option<f64> {
    if !v.is_finite() {
        return None;
    }
    let a = v.abs();
    // Thresholds sit between plausible ranges: 1e11 s is year 5138, 1e11 ms is 1973.
    let secs = if a >= 1e17 {
        v / 1e9
    } else if a >= 1e14 {
        v / 1e6
    } else if a >= 1e11 {
        v / 1e3
    } else {
        v
    };
    Some(secs)
}

/// Parses a time value written as text; `None` when it is not a time.
pub(crate) fn parse_time_text(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if looks_numeric(t) {
        return t.parse::<f64>().ok().and_then(epoch_from_number);
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(timestamp_secs(ts));
    }
    // `2024-01-02 03:04:05.000 UTC` (Splunk Web's CSV export) and offset-less forms.
    let without_utc = t
        .strip_suffix(" UTC")
        .or_else(|| t.strip_suffix(" GMT"))
        .or_else(|| t.strip_suffix('Z'))
        .unwrap_or(t);
    if let Ok(dt) = without_utc.parse::<DateTime>() {
        return TimeZone::UTC.to_timestamp(dt).ok().map(timestamp_secs);
    }
    None
}

fn timestamp_secs(ts: Timestamp) -> f64 {
    // Microsecond resolution is what Splunk keeps; going through i64 µs avoids the
    // rounding noise of adding a nanosecond fraction to a large second count.
    ts.as_microsecond() as f64 / 1e6
}

fn looks_numeric(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    !body.is_empty()
        && body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_export_forms() {
        assert_eq!(
            parse_time_text("2023-12-07T14:44:53.358394Z"),
            Some(1701960293.358394)
        );
        assert_eq!(
            parse_time_text("2024-01-02T03:04:05.000+00:00"),
            Some(1704164645.0)
        );
        assert_eq!(
            parse_time_text("2024-01-02T05:04:05.500+02:00"),
            Some(1704164645.5)
        );
        assert_eq!(parse_time_text("2024-01-02 03:04:05"), Some(1704164645.0));
        assert_eq!(
            parse_time_text("2024-01-02 03:04:05.000 UTC"),
            Some(1704164645.0)
        );
    }

    #[test]
    fn epochs_in_several_units() {
        assert_eq!(parse_time_text("1727870400.000"), Some(1727870400.0));
        assert_eq!(parse_time_text("1727870400123"), Some(1727870400.123));
        assert_eq!(parse_time_text("1727870400123456"), Some(1727870400.123456));
        assert_eq!(parse_time_text("0"), Some(0.0));
    }

    #[test]
    fn garbage_is_not_a_time() {
        assert_eq!(parse_time_text(""), None);
        assert_eq!(parse_time_text("yesterday"), None);
        assert_eq!(parse_time_text("1e999"), None);
        assert_eq!(parse_time_text("2024-13-45T99:00:00Z"), None);
    }
}
