//! Raw text events in (issue 13 §1): format detection, event breaking,
//! timestamps, Splunk's default fields, gzip, directories, empty files and
//! JSON-lines lines that are not JSON, through the public API.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::*;

use spl_engine::session::{Engine, QueryResult};
use spl_engine::source::{detect_format, DataFormat, DataSpec, RawProps};
use std::io::Write;

/// 2024-05-01T12:00:00Z
const NOW: f64 = 1714564800.0;

fn raw(name: &str) -> std::path::PathBuf {
    fixture(&format!("raw/{name}"))
}

fn run(specs: &[DataSpec], q: &str) -> QueryResult {
    let mut b = Engine::builder(NOW);
    for s in specs {
        b = b.add_data(s).unwrap();
    }
    b.build().run(q).unwrap()
}

fn cells(r: &QueryResult, field: &str) -> Vec<Option<String>> {
    r.batches
        .iter()
        .flat_map(|b| (0..b.num_rows()).map(move |i| one(b, field, i)))
        .collect()
}

fn spec(s: &str) -> DataSpec {
    s.parse().unwrap()
}

#[test]
fn syslog_line_with_default_fields() {
    let p = raw("secure.log");
    assert_eq!(detect_format(&p).unwrap(), DataFormat::Raw);
    let r = run(
        &[spec(&format!(
            "path={},format=raw,sourcetype=linux_secure,host=ip-172-31-24-46",
            p.display()
        ))],
        "sourcetype=linux_secure Accepted | eval t=strftime(_time, \"%Y-%m-%dT%H:%M:%S\") \
         | table t linecount punct date_hour date_mday date_minute date_month date_second \
           date_wday date_year date_zone timestartpos timeendpos index source sourcetype host",
    );
    let row = |f: &str| cells(&r, f).into_iter().next().flatten();
    // May 27 is after the clock's May 1: the year before
    assert_eq!(row("t").as_deref(), Some("2023-05-27T09:28:36"));
    assert_eq!(row("linecount").as_deref(), Some("1"));
    assert_eq!(row("punct").as_deref(), Some("__::_----_[]:______...___"));
    for (f, v) in [
        ("date_hour", "9"),
        ("date_mday", "27"),
        ("date_minute", "28"),
        ("date_month", "may"),
        ("date_second", "36"),
        ("date_wday", "saturday"),
        ("date_year", "2023"),
        ("date_zone", "local"),
        ("timestartpos", "0"),
        ("timeendpos", "15"),
        ("index", "main"),
        ("sourcetype", "linux_secure"),
        ("host", "ip-172-31-24-46"),
    ] {
        assert_eq!(row(f).as_deref(), Some(v), "{f}");
    }
    assert!(row("source").unwrap().ends_with("secure.log"));
}

#[test]
fn auditd_apache_and_xml_examples() {
    let r = run(
        &[DataSpec::new(raw("auditd.log"))],
        "* | eval t=_time | table t _raw host sourcetype",
    );
    assert_eq!(
        cells(&r, "t"),
        [Some("1723044684.257".into()), Some("1722944427.844".into())]
    );
    assert_eq!(cells(&r, "host")[0].as_deref(), Some("localhost"));
    assert_eq!(cells(&r, "sourcetype")[0].as_deref(), Some("raw"));
    let r = run(
        &[spec(&format!(
            "path={},sourcetype=ivanti_vtm_audit",
            raw("ivanti_vtm_audit.log").display()
        ))],
        "* | eval t=strftime(_time, \"%Y-%m-%dT%H:%M:%S%z\") | table t date_zone",
    );
    assert_eq!(
        cells(&r, "t")[0].as_deref(),
        Some("2024-08-19T19:41:22+0000")
    );
    assert_eq!(cells(&r, "date_zone")[0].as_deref(), Some("0"));
    // Windows XML: two events on one line, one across lines (newest first)
    let r = run(
        &[DataSpec::new(raw("security.xml"))],
        "sourcetype=XmlWinEventLog | eval t=strftime(_time, \"%Y-%m-%dT%H:%M:%S\") \
         | table t linecount",
    );
    assert_eq!(
        cells(&r, "t"),
        [
            Some("2024-04-23T08:48:30".into()),
            Some("2024-04-23T08:48:30".into()),
            Some("2020-10-08T11:03:46".into()),
        ]
    );
    assert_eq!(
        cells(&r, "linecount"),
        [Some("1".into()), Some("2".into()), Some("1".into())]
    );
}

#[test]
fn settings_passed_as_a_struct() {
    let dir = scratch("rawprops");
    let p = dir.join("app.log");
    std::fs::write(
        &p,
        "11|2024-05-01 10:00:00 first\ncontinued 2024-01-01 00:00:00\n12|2024-05-01 11:00:00 second\n",
    )
    .unwrap();
    let mut s = DataSpec::new(&p);
    s.props = Some(RawProps {
        line_breaker: r"([\r\n]+)\d+\|".into(),
        should_linemerge: false,
        time_prefix: Some(r"^\d+\|".into()),
        time_format: Some("%Y-%m-%d %H:%M:%S".into()),
        tz: Some("Etc/GMT-2".into()),
        ..RawProps::default()
    });
    let r = run(
        &[s],
        "* | sort _time | eval t=strftime(_time, \"%H:%M\") | table t _raw",
    );
    assert_eq!(cells(&r, "t"), [Some("08:00".into()), Some("09:00".into())]);
    assert_eq!(
        cells(&r, "_raw")[0].as_deref(),
        Some("11|2024-05-01 10:00:00 first\ncontinued 2024-01-01 00:00:00")
    );
}

#[test]
fn events_without_a_time_take_the_previous_one_or_the_file_time() {
    let dir = scratch("rawnotime");
    let p = dir.join("notime.log");
    std::fs::write(&p, "no time yet\n2024-05-01T10:00:00Z x\n").unwrap();
    let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let mut s = DataSpec::new(&p);
    s.props = Some(RawProps {
        should_linemerge: false,
        ..RawProps::default()
    });
    let r = run(&[s], "* | sort _time | eval t=_time | table t");
    assert_eq!(
        cells(&r, "t"),
        [Some("1700000000".into()), Some("1714557600".into())]
    );
}

#[test]
fn empty_files_gzip_and_directories() {
    let dir = scratch("rawdir");
    let logs = dir.join("logs");
    std::fs::create_dir_all(logs.join("sub")).unwrap();
    std::fs::write(logs.join("b.log"), "2024-05-01T10:00:01Z b\n").unwrap();
    std::fs::write(logs.join("empty.log"), "").unwrap();
    std::fs::write(
        logs.join("sub/c.jsonl"),
        "{\"time\":\"2024-05-01T10:00:02Z\",\"k\":\"c\"}\n",
    )
    .unwrap();
    let gz = flate2_encode(b"2024-05-01T10:00:00Z a\n");
    std::fs::write(logs.join("a.log.gz"), gz).unwrap();
    // empty files are no events
    let r = run(&[DataSpec::new(logs.join("empty.log"))], "*");
    assert_eq!(r.num_rows(), 0);
    let r = run(
        &[DataSpec::new(&logs)],
        "* | sort _time | eval s=replace(source, \".*logs/\", \"\") | table s _raw",
    );
    assert_eq!(
        cells(&r, "s"),
        [
            Some("a.log.gz".into()),
            Some("b.log".into()),
            Some("sub/c.jsonl".into())
        ]
    );
    assert_eq!(
        cells(&r, "_raw")[0].as_deref(),
        Some("2024-05-01T10:00:00Z a")
    );
}

fn flate2_encode(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

#[test]
fn json_lines_keep_a_bad_line_as_raw_with_a_warning() {
    let dir = scratch("rawjsonl");
    let p = dir.join("mixed.jsonl");
    std::fs::write(
        &p,
        "{\"a\":\"1\",\"time\":\"2024-05-01T10:00:00Z\"}\nMay  1 10:00:01 host not json\n{\"a\":\"3\"} trailing\n",
    )
    .unwrap();
    let r = run(
        &[DataSpec::new(&p)],
        "* | sort _time | eval t=_time | table t a _raw",
    );
    assert_eq!(r.num_rows(), 3);
    // sort puts the event without a time last
    assert_eq!(
        cells(&r, "t"),
        [Some("1714557600".into()), Some("1714557601".into()), None]
    );
    assert_eq!(cells(&r, "a"), [Some("1".into()), None, None]);
    assert_eq!(
        cells(&r, "_raw")[2].as_deref(),
        Some("{\"a\":\"3\"} trailing")
    );
    let w: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("spl::data::json_line_kept_raw") && w[0].contains("mixed.jsonl:2"));
    assert!(w[1].contains("mixed.jsonl:3"));
    // strict keeps the error
    let mut s = DataSpec::new(&p);
    s.strict = true;
    let e = Engine::builder(NOW).add_data(&s).err().unwrap();
    assert!(e.to_string().contains("mixed.jsonl:2"), "{e}");
    assert!(spec(&format!("path={},strict=true", p.display())).strict);
}

/// A JSON-lines file whose first line is not JSON (a banner, a line cut by
/// log rotation) is still JSON lines: the first line is kept as a raw event
/// with a warning, like any other; a file whose lines are mostly not JSON is
/// raw text.
#[test]
fn json_lines_whose_first_line_is_not_json() {
    let dir = scratch("rawjsonfirst");
    let body = "{\"a\":\"1\",\"time\":\"2024-05-01T10:00:00Z\"}\n{\"a\":\"2\"}\n";
    for (name, first) in [
        ("banner.jsonl", "May  1 09:59:59 host log rotated\n"),
        ("cut.jsonl", "\":\"x\"}\n"),
        ("broken.jsonl", "{\"a\":\n"),
        ("nolabel", "# exported by tool\n"),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, format!("{first}{body}")).unwrap();
        assert_eq!(detect_format(&p).unwrap(), DataFormat::Json, "{name}");
        for format in ["", ",format=json"] {
            let r = run(
                &[spec(&format!("path={}{format}", p.display()))],
                "* | table a _raw",
            );
            assert_eq!(r.num_rows(), 3, "{name}{format}");
            let mut a = cells(&r, "a");
            a.sort();
            assert_eq!(a, [None, Some("1".into()), Some("2".into())], "{name}");
            assert!(cells(&r, "_raw").contains(&Some(first.trim_end().to_string())));
            let w: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
            assert_eq!(w.len(), 1, "{name}: {w:?}");
            assert!(
                w[0].contains("spl::data::json_line_kept_raw")
                    && w[0].contains(&format!("{name}:1")),
                "{w:?}"
            );
            // strict: an error naming line 1
            let e = Engine::builder(NOW)
                .add_data(&spec(&format!("path={}{format},strict=true", p.display())))
                .err()
                .unwrap();
            assert!(e.to_string().contains(&format!("{name}:1")), "{e}");
        }
    }
    // mostly not JSON, or as much JSON as not: raw text
    let p = dir.join("mostly.log");
    std::fs::write(&p, "May  1 10:00:00 a\nMay  1 10:00:01 b\n{\"a\":\"1\"}\n").unwrap();
    assert_eq!(detect_format(&p).unwrap(), DataFormat::Raw);
    let p = dir.join("tie.log");
    std::fs::write(&p, "May  1 10:00:00 a\n{\"a\":\"1\"}\n").unwrap();
    assert_eq!(detect_format(&p).unwrap(), DataFormat::Raw);
    // with format=json such a file is a JSON document: its error names the line
    let e = Engine::builder(NOW)
        .add_data(&spec(&format!("path={},format=json", p.display())))
        .err()
        .unwrap();
    assert!(e.to_string().contains("tie.log:1"), "{e}");
    // a first line of two objects: concatenated JSON, read whole
    let p = dir.join("concat.json");
    std::fs::write(&p, "{\"a\":\"1\"} {\"a\":\"2\"}\n{\"a\":\"3\"}\n").unwrap();
    let r = run(&[spec(&format!("path={}", p.display()))], "* | table a");
    assert_eq!(cells(&r, "a").len(), 3);
    assert!(r.warnings.is_empty());
}

#[test]
fn json_time_from_any_field_that_holds_one() {
    let dir = scratch("rawjsontime");
    let p = dir.join("pingid.jsonl");
    std::fs::write(
        &p,
        "{\"source\":\"PINGID\",\"recorded\":\"2023-10-05T14:10:53.538Z\"}\n{\"datetime\":\"Tue Nov  7 16:58:21 2023\",\"n\":\"1697608042\"}\n",
    )
    .unwrap();
    let r = run(
        &[DataSpec::new(&p)],
        "* | sort _time | eval t=_time | table t",
    );
    assert_eq!(
        cells(&r, "t"),
        [Some("1696515053.538".into()), Some("1699376301".into())]
    );
}

#[test]
fn raw_scan_streams_in_partitions() {
    use spl_engine::source::{RawScan, Scan, ScanRequest};
    let dir = scratch("rawparts");
    let p = dir.join("big.log");
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "2024-05-01T10:{:02}:{:02}Z event {i}\n",
            i / 60 % 60,
            i % 60
        ));
    }
    std::fs::write(&p, &text).unwrap();
    let s = RawScan::open(&p, "big.log", &RawProps::default(), Some(NOW), None, 4096).unwrap();
    let req = ScanRequest::default();
    assert!(s.partitions(&req) > 10);
    let rows: usize = (0..s.partitions(&req))
        .flat_map(|i| s.scan_partition(&req, i).unwrap())
        .map(|b| b.unwrap().num_rows())
        .sum();
    assert_eq!(rows, 3000);
    // the window skips partitions wholly outside it
    let req = ScanRequest {
        earliest: Some(1714557600.0 + 30.0 * 60.0),
        ..ScanRequest::default()
    };
    let spans = s.partition_spans(&req).unwrap().unwrap();
    assert!(spans.iter().filter(|sp| !req.may_keep(sp)).count() > 5);
}
