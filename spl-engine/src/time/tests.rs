//! Time modifier and format tests (semantics 11.1, 3.7 [R-DATEFN]).

use super::*;
use jiff::tz::{Offset, TimeZone};

/// 2023-11-14T22:13:20Z, a Tuesday.
const NOW: f64 = 1_700_000_000.0;

fn utc(m: &str) -> f64 {
    resolve_time_modifier(m, NOW, &TimeZone::UTC).unwrap_or_else(|e| panic!("{m}: {e}"))
}

fn pacific() -> TimeZone {
    TimeZone::posix("PST8PDT,M3.2.0,M11.1.0").unwrap()
}

#[test]
fn relative_modifiers() {
    let cases: &[(&str, f64)] = &[
        ("now", NOW),
        ("now()", NOW),
        ("NOW", NOW),
        ("-1h", NOW - 3600.0),
        ("-h", NOW - 3600.0),
        ("+90s", NOW + 90.0),
        ("-70m", NOW - 4200.0),
        ("-30d", NOW - 30.0 * 86400.0),
        ("-2w", NOW - 14.0 * 86400.0),
        ("-1ms", NOW - 0.001),
        ("-1h@h", 1_699_995_600.0),
        ("-70m@m", 1_699_995_780.0),
        ("@d", 1_699_920_000.0),
        ("-1d@d", 1_699_833_600.0),
        ("@d-2h", 1_699_912_800.0),
        ("@w", 1_699_747_200.0),
        ("@w0", 1_699_747_200.0),
        ("@w7", 1_699_747_200.0),
        ("@w1", 1_699_833_600.0),
        ("@w2", 1_699_920_000.0),
        ("@w3", 1_699_401_600.0),
        ("@mon", 1_698_796_800.0),
        ("@month", 1_698_796_800.0),
        ("@q", 1_696_118_400.0),
        ("@y", 1_672_531_200.0),
        ("+1mon@mon", 1_701_388_800.0),
        ("-1y@y", 1_640_995_200.0),
        ("-1q@q", 1_688_169_600.0),
        ("@h-30m+5s", 1_699_999_200.0 - 1800.0 + 5.0),
        ("-1d@d+6h", 1_699_833_600.0 + 6.0 * 3600.0),
        ("1", 1.0),
        ("0", 0.0),
        ("1699999999.5", 1_699_999_999.5),
        ("11/15/2022:20:00:00", 1_668_542_400.0),
        ("11/15/2022", 1_668_470_400.0),
    ];
    for (m, want) in cases {
        let got = utc(m);
        assert!((got - want).abs() < 1e-6, "{m}: got {got}, want {want}");
    }
}

#[test]
fn month_arithmetic_clamps() {
    // 2023-03-31T00:00:00Z minus one month: February 28th.
    let mar31 = 1_680_220_800.0;
    let got = resolve_time_modifier("-1mon", mar31, &TimeZone::UTC).unwrap();
    assert_eq!(got, 1_677_542_400.0);
}

#[test]
fn sub_second_snap_keeps_whole_seconds() {
    let got = resolve_time_modifier("@s", NOW + 0.75, &TimeZone::UTC).unwrap();
    assert_eq!(got, NOW);
}

#[test]
fn snaps_use_the_time_zone() {
    // 14:13:20 PST on 2023-11-14: local midnight is 08:00Z.
    let got = resolve_time_modifier("@d", NOW, &pacific()).unwrap();
    assert_eq!(got, 1_699_948_800.0);
    let plus5 = TimeZone::fixed(Offset::from_seconds(5 * 3600 + 1800).unwrap());
    // 03:43:20 on the 15th at +05:30: local midnight is 18:30Z on the 14th.
    assert_eq!(
        resolve_time_modifier("@d", NOW, &plus5).unwrap(),
        1_699_986_600.0
    );
    // Hour snaps follow the half-hour offset too.
    assert_eq!(
        resolve_time_modifier("@h", NOW, &plus5).unwrap(),
        1_699_997_400.0
    );
    // A day across the DST change (2023-11-05) is 25 hours of wall-clock day.
    let nov6 = 1_699_257_600.0; // 2023-11-06T08:00:00Z = local midnight PST
    assert_eq!(
        resolve_time_modifier("-1d", nov6, &pacific()).unwrap(),
        nov6 - 25.0 * 3600.0
    );
}

#[test]
fn invalid_modifiers() {
    for m in [
        "",
        " ",
        "-3x",
        "@zz",
        "rt",
        "-1h@",
        "abc",
        "@w8",
        "@dw1",
        "13/45/2022:00:00:00",
        "--1h",
        "@d1",
    ] {
        match resolve_time_modifier(m, NOW, &TimeZone::UTC) {
            Err(EngineError::InvalidTime { text, .. }) => assert_eq!(text, m),
            other => panic!("{m:?}: expected an error, got {other:?}"),
        }
    }
}

#[test]
fn now_parsing() {
    assert_eq!(parse_now("2024-01-01T00:00:00Z").unwrap(), 1_704_067_200.0);
    assert_eq!(
        parse_now("2024-01-01T01:00:00+01:00").unwrap(),
        1_704_067_200.0
    );
    assert_eq!(
        parse_now("2024-01-01T00:00:00.250Z").unwrap(),
        1_704_067_200.25
    );
    assert_eq!(parse_now("1704067200").unwrap(), 1_704_067_200.0);
    assert_eq!(parse_now(" 1704067200.5 ").unwrap(), 1_704_067_200.5);
    assert_eq!(parse_now("2024-01-01").unwrap(), 1_704_067_200.0);
    assert_eq!(parse_now("2024-01-01T00:00:00").unwrap(), 1_704_067_200.0);
    for bad in ["", "yesterday", "2024-13-01T00:00:00Z", "nan"] {
        assert!(parse_now(bad).is_err(), "{bad}");
    }
}

#[test]
fn iso_rendering() {
    assert_eq!(
        format_time_iso(1_704_067_200.0),
        "2024-01-01T00:00:00.000+00:00"
    );
    assert_eq!(
        format_time_iso(1_704_067_200.123_9),
        "2024-01-01T00:00:00.123+00:00"
    );
    assert_eq!(format_time_iso(-0.5), "1969-12-31T23:59:59.500+00:00");
    assert_eq!(format_time_iso(f64::NAN), "nan");
}

#[test]
fn strftime_variables() {
    let tz = TimeZone::UTC;
    let t = 1_521_467_703.049;
    let f = |fmt: &str| strftime(t, fmt, &tz).unwrap();
    assert_eq!(f("%Y-%m-%dT%H:%M:%S.%Q"), "2018-03-19T13:55:03.049");
    assert_eq!(f("%3N|%6N|%N|%Q|%6Q"), "049|049000|049000000|049|049000");
    assert_eq!(
        f("%y %e %j %I %p %a %A %b %B %h"),
        "18 19 078 01 PM Mon Monday Mar March Mar"
    );
    assert_eq!(f("%T %F %D %R"), "13:55:03 2018-03-19 03/19/18 13:55");
    assert_eq!(f("%s %z %:z %Z %%"), "1521467703 +0000 +00:00 UTC %");
    assert_eq!(f("%w %u %U %V %G %C"), "1 1 11 12 2018 20");
    assert_eq!(f("%c"), "Mon Mar 19 13:55:03 2018");
    assert_eq!(f("%k|%l|%n|%t|%q"), "13| 1|\n|\t|%q");
    // The doc example renders in US Pacific time (semantics 3.7).
    assert_eq!(
        strftime(t, "%Y-%m-%dT%H:%M:%S.%Q %Z %z", &pacific()).unwrap(),
        "2018-03-19T06:55:03.049 PDT -0700"
    );
    assert_eq!(strftime(f64::INFINITY, "%Y", &tz), None);
}

#[test]
fn strptime_variables() {
    let tz = TimeZone::UTC;
    let p = |s: &str, f: &str| strptime(s, f, &tz, NOW);
    assert_eq!(
        p("2018-08-13 07:00:00", "%Y-%m-%d %H:%M:%S"),
        Some(1_534_143_600.0)
    );
    assert_eq!(
        p("2018-08-13T07:00:00.250Z", "%Y-%m-%dT%H:%M:%S.%3N%z"),
        Some(1_534_143_600.25)
    );
    assert_eq!(
        p("13/Aug/2018:00:00:00 -0700", "%d/%b/%Y:%H:%M:%S %z"),
        Some(1_534_143_600.0)
    );
    assert_eq!(
        p("2018-08-13 07:00:00+00:00", "%F %T%z"),
        Some(1_534_143_600.0)
    );
    assert_eq!(p("08/13/18 7:00 am", "%D %I:%M %p"), Some(1_534_143_600.0));
    assert_eq!(p("08/13/18 12:00 AM", "%D %I:%M %p"), Some(1_534_118_400.0));
    assert_eq!(p("1534143600", "%s"), Some(1_534_143_600.0));
    assert_eq!(p("2018 225", "%Y %j"), Some(1_534_118_400.0));
    assert_eq!(
        p("Aug 13 07:00:00", "%b %d %H:%M:%S"),
        Some(1_691_910_000.0)
    );
    assert_eq!(p("2018-08-13 UTC", "%Y-%m-%d %Z"), Some(1_534_118_400.0));
    // Missing day, bad values and trailing mismatches do not parse.
    assert_eq!(p("2018-08", "%Y-%m"), None);
    assert_eq!(p("2018-13-01", "%Y-%m-%d"), None);
    assert_eq!(p("2018-02-30", "%Y-%m-%d"), None);
    assert_eq!(p("junk", "%Y"), None);
    assert_eq!(p("2018-08-13", "%Y/%m/%d"), None);
    // Wall-clock text is read in the user's zone (semantics 3.7).
    assert_eq!(
        strptime(
            "Mon Aug 13 00:00:00 2018",
            "%a %b %d %H:%M:%S %Y",
            &pacific(),
            NOW
        ),
        Some(1_534_143_600.0)
    );
}
