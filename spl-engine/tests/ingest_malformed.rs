//! Malformed input: every reader reports a data error naming the file (and line and
//! field where they are known) instead of panicking.
#![allow(clippy::unwrap_used)] // tests may unwrap, helpers included

mod ingest_common;
use ingest_common::*;

use spl_engine::lookup::LookupRegistry;
use spl_engine::source::{open_dataset, DataFormat, DataSpec, ScanRequest};
use spl_engine::EngineError;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Opens (and fully scans) a file, returning the error it must produce
/// (`strict=true`: a JSON line that is not JSON is an error).
fn open_err(path: &std::path::Path, format: Option<DataFormat>) -> EngineError {
    let mut spec = DataSpec::new(path);
    spec.format = format;
    spec.strict = true;
    match open_dataset(&spec) {
        Err(e) => e,
        Ok(ds) => {
            let scan = ds.scan.scan(&ScanRequest::default());
            match scan {
                Err(e) => e,
                Ok(mut it) => it
                    .find_map(Result::err)
                    .unwrap_or_else(|| panic!("{} should fail", path.display())),
            }
        }
    }
}

fn data_err(e: &EngineError) -> (Option<usize>, Option<String>, String) {
    match e {
        EngineError::Data {
            line,
            field,
            message,
            file,
        } => {
            assert!(!file.is_empty());
            (*line, field.clone(), message.clone())
        }
        other => panic!("expected a data error, got {other:?}"),
    }
}

#[test]
fn json_lines_errors_name_the_line() {
    let dir = scratch("badjson");
    let cases: &[(&str, &[u8], usize, &str)] = &[
        (
            "truncated",
            b"{\"a\":1}\n{\"a\":\n{\"b\":2}\n",
            2,
            "expected",
        ),
        ("garbage", b"{\"a\":1}\n\n hello world\n", 3, "expected"),
        // (A first line holding two objects would be read as concatenated JSON.)
        (
            "trailing",
            b"{\"a\":1}\n{\"a\":1} {\"b\":2}\n",
            2,
            "end of the json object",
        ),
        ("not_object", b"{\"a\":1}\n[1,2]\n", 2, "json object"),
        ("bad_escape", b"{\"a\":\"\\q\"}\n", 1, "escape"),
        ("bad_number", b"{\"a\":1}\n{\"a\":01}\n", 2, "expected"),
        (
            "invalid_utf8",
            b"{\"a\":1}\n{\"a\":\"\xff\xfe\"}\n",
            2,
            "utf-8",
        ),
    ];
    for (name, bytes, line, needle) in cases {
        let p = write(&dir, &format!("{name}.jsonl"), bytes);
        let e = open_err(&p, Some(DataFormat::Json));
        assert!(e.is_data_error());
        let (got_line, _, msg) = data_err(&e);
        assert_eq!(got_line, Some(*line), "{name}: {msg}");
        assert!(msg.to_lowercase().contains(needle), "{name}: {msg}");
        assert!(
            e.to_string().contains(&format!("{name}.jsonl:{line}")),
            "{e}"
        );
    }
}

#[test]
fn hostile_json_does_not_panic() {
    let dir = scratch("hostile");
    let deep = format!("{{\"a\":{}1{}}}\n", "[".repeat(50_000), "]".repeat(50_000));
    let p = write(&dir, "deep.jsonl", deep.as_bytes());
    let (line, _, msg) = data_err(&open_err(&p, Some(DataFormat::Json)));
    assert_eq!(line, Some(1));
    assert!(msg.contains("nesting"), "{msg}");
    // Huge numbers and long strings are kept as text.
    let big = format!(
        "{{\"n\":1{}e99999,\"s\":\"{}\"}}\n",
        "9".repeat(500),
        "x".repeat(100_000)
    );
    let p = write(&dir, "big.jsonl", big.as_bytes());
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert!(one(b, "n", 0).unwrap().ends_with("e99999"));
    assert_eq!(one(b, "s", 0).unwrap().len(), 100_000);
    // Random bytes.
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    let p = write(&dir, "junk.json", &junk);
    assert!(open_err(&p, Some(DataFormat::Json)).is_data_error());
    let p = write(&dir, "junk.csv", &junk);
    let e = open_err(&p, Some(DataFormat::Csv));
    assert!(e.is_data_error(), "{e:?}");
}

#[test]
fn pretty_json_error_names_the_line() {
    let dir = scratch("prettybad");
    let p = write(&dir, "p.json", b"{\n  \"a\": 1,\n  \"b\": [1, 2,\n}\n");
    let (line, _, msg) = data_err(&open_err(&p, Some(DataFormat::Json)));
    assert_eq!(line, Some(4), "{msg}");
    let p = write(&dir, "arr.json", b"[{\"a\":1},\n{\"a\":2}\n");
    assert!(open_err(&p, Some(DataFormat::Json)).is_data_error());
}

#[test]
fn splunk_export_errors() {
    let dir = scratch("badexport");
    let p = write(
        &dir,
        "e.jsonl",
        b"{\"preview\":false,\"result\":{\"a\":\"1\"}}\n{\"preview\":false,\"result\":{\"a\":\n",
    );
    let (line, _, _) = data_err(&open_err(&p, Some(DataFormat::SplunkJson)));
    assert_eq!(line, Some(2));
    let p = write(
        &dir,
        "t.jsonl",
        b"{\"preview\":false,\"result\":{\"_time\":\"2024-01-01T00:00:00Z\"}}\n{\"preview\":false,\"result\":{\"_time\":\"soon\"}}\n",
    );
    let (line, field, msg) = data_err(&open_err(&p, Some(DataFormat::SplunkJson)));
    assert_eq!((line, field.as_deref()), (Some(2), Some("_time")));
    assert!(msg.contains("`soon`"), "{msg}");
}

#[test]
fn metrics_csv_errors_name_line_and_field() {
    let dir = scratch("badmetrics");
    let p = write(
        &dir,
        "v.csv",
        b"metric_timestamp,metric_name,_value,host\n1700000000,cpu,1.5,a\n1700000010,cpu,abc,a\n",
    );
    let e = open_err(&p, None);
    let (line, field, msg) = data_err(&e);
    assert_eq!((line, field.as_deref()), (Some(3), Some("_value")), "{msg}");
    assert!(msg.contains("`abc`"));
    let p = write(
        &dir,
        "t.csv",
        b"metric_timestamp,metric_name,_value\n1700000000,cpu,1\nyesterday,cpu,2\n",
    );
    let (line, field, _) = data_err(&open_err(&p, None));
    assert_eq!(
        (line, field.as_deref()),
        (Some(3), Some("metric_timestamp"))
    );
    let p = write(
        &dir,
        "e.csv",
        b"metric_timestamp,metric_name,_value\n,cpu,2\n",
    );
    let (line, _, msg) = data_err(&open_err(&p, None));
    assert_eq!(line, Some(2), "{msg}");
    // Wrong number of cells.
    let p = write(
        &dir,
        "n.csv",
        b"metric_timestamp,metric_name,_value\n1700000000,cpu,1\n1700000010,cpu\n",
    );
    let (line, _, msg) = data_err(&open_err(&p, None));
    assert_eq!(line, Some(3), "{msg}");
    // Huge and odd numbers parse or fail cleanly.
    let p = write(
        &dir,
        "h.csv",
        b"metric_timestamp,metric_name,_value\n1700000000,cpu,1e308\n1700000000,cpu,1e999\n1700000000,cpu,NaN\n",
    );
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(f64_at(b, "_value", 0), Some(1e308));
    assert_eq!(f64_at(b, "_value", 1), Some(f64::INFINITY));
    // Not metrics at all.
    let p = write(&dir, "x.csv", b"a,b\n1,2\n");
    let e = open_err(&p, Some(DataFormat::MetricsCsv));
    assert!(data_err(&e).2.contains("expected metric columns"));
    // Invalid UTF-8 in a dimension.
    let p = write(
        &dir,
        "u.csv",
        b"metric_timestamp,metric_name,_value,host\n1700000000,cpu,1,\xff\n",
    );
    let (line, _, msg) = data_err(&open_err(&p, None));
    assert_eq!(line, Some(2), "{msg}");
    // A quoted field never closed names the line its record starts on,
    // and lines inside quoted fields are counted.
    let p = write(
        &dir,
        "q.csv",
        b"metric_timestamp,metric_name,_value,host\n1700000000,cpu,1,\"two\nlines\"\n1700000010,cpu,2,\"open\n1700000020,cpu,3,c\n",
    );
    let (line, _, msg) = data_err(&open_err(&p, None));
    assert_eq!(line, Some(4), "{msg}");
    assert!(msg.contains("closing"), "{msg}");
    let p = write(
        &dir,
        "l.csv",
        b"metric_timestamp,metric_name,_value,host\n1700000000,cpu,1,\"two\nlines\"\n1700000010,cpu,x,a\n",
    );
    let (line, field, msg) = data_err(&open_err(&p, None));
    assert_eq!((line, field.as_deref()), (Some(4), Some("_value")), "{msg}");
}

#[test]
fn csv_event_errors() {
    let dir = scratch("badcsv");
    let p = write(&dir, "n.csv", b"a,b\n1,2\n3,4,5\n");
    let (line, _, msg) = data_err(&open_err(&p, Some(DataFormat::Csv)));
    assert_eq!(line, Some(3), "{msg}");
    let p = write(&dir, "t.csv", b"_time,a\n2024-01-01T00:00:00Z,1\nlater,2\n");
    let (line, field, _) = data_err(&open_err(&p, Some(DataFormat::Csv)));
    assert_eq!((line, field.as_deref()), (Some(3), Some("_time")));
    // an empty file is no events, not an error (issue 13)
    let p = write(&dir, "empty.csv", b"");
    let mut spec = DataSpec::new(&p);
    spec.format = Some(DataFormat::Csv);
    assert!(scan_all(&open_dataset(&spec).unwrap(), &ScanRequest::default()).is_empty());
    let p = write(&dir, "q.csv", b"\"a,b\n1,2\n");
    assert!(open_err(&p, Some(DataFormat::Csv)).is_data_error());
}

#[test]
fn parquet_errors() {
    let dir = scratch("badparquet");
    let p = write(&dir, "x.parquet", b"PAR1 this is not really parquet PAR1");
    let e = open_err(&p, None);
    assert!(e.is_data_error());
    assert!(e.to_string().contains("x.parquet"));
    // an empty file is no events, not an error (issue 13)
    let p = write(&dir, "y.parquet", b"");
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    assert!(scan_all(&ds, &ScanRequest::default()).is_empty());
}

#[test]
fn missing_files_are_io_errors() {
    let p = fixture("does-not-exist.jsonl");
    for f in [
        None,
        Some(DataFormat::Json),
        Some(DataFormat::MetricsCsv),
        Some(DataFormat::Parquet),
    ] {
        let mut spec = DataSpec::new(&p);
        spec.format = f;
        let e = open_dataset(&spec).err().unwrap();
        assert!(matches!(e, EngineError::Io { .. }), "{e:?}");
        assert!(e.is_data_error());
    }
}

#[test]
fn malformed_lookups() {
    let dir = scratch("badlookups");
    write(&dir, "rows.csv", b"a,b\n1,2\n3,4,5\n");
    write(&dir, "utf.csv", b"a,b\n1,\xff\n");
    write(
        &dir,
        "transforms.conf",
        b"[t]\nfilename = rows.csv\nmax_matches = lots\n",
    );
    let reg = LookupRegistry::new(vec![dir.clone()]);
    let e = reg.resolve("t").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("transforms.conf:3") && msg.contains("max_matches"),
        "{msg}"
    );
    std::fs::remove_file(dir.join("transforms.conf")).unwrap();
    let reg = LookupRegistry::new(vec![dir.clone()]);
    let (line, _, msg) = data_err(&reg.resolve("rows").unwrap_err());
    assert_eq!(line, Some(3), "{msg}");
    assert!(reg.resolve("utf").unwrap_err().is_data_error());
    // An unrelated or broken YAML file in the directory is not a definition.
    write(&dir, "policy.yaml", b"apiVersion: v1\nkind: [broken\n");
    let reg = LookupRegistry::new(vec![dir.clone()]);
    assert!(reg.resolve("policy").unwrap().is_none());
}

/// A text file that is not JSON and not CSV by extension (or `format=csv`) is
/// not sniffed as CSV (its first line would become the header): it is raw
/// text events (issue 13; until then it was an input error, issue 11.6).
/// Binary data in no format read is still an input error.
#[test]
fn text_of_no_data_format_is_raw_events() {
    let dir = scratch("nodataformat");
    let xml = write(
        &dir,
        "security.xml",
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Event><System><EventID>4688</EventID><TimeCreated SystemTime='2024-05-01T10:00:00.000Z'/></System></Event>\n",
    );
    let syslog = write(
        &dir,
        "auth.log",
        b"May  1 12:00:00 host sshd[123]: Failed password for root from 10.0.0.1 port 22 ssh2\nMay  1 12:00:01 host sshd[123]: Accepted password for bob\n",
    );
    let bare_csv = write(&dir, "table", b"user,count\nalice,3\n");
    for (p, events) in [(&xml, 1), (&syslog, 2), (&bare_csv, 1)] {
        assert_eq!(
            spl_engine::source::detect_format(p).unwrap(),
            DataFormat::Raw
        );
        let ds = open_dataset(&DataSpec::new(p)).unwrap();
        let rows: usize = scan_all(&ds, &ScanRequest::default())
            .iter()
            .map(|b| b.num_rows())
            .sum();
        assert_eq!(rows, events, "{}", p.display());
    }
    let ds = open_dataset(&DataSpec::new(&xml)).unwrap();
    assert_eq!(ds.meta.sourcetype, "XmlWinEventLog");
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert!(one(b, "_raw", 0).unwrap().starts_with("<Event><System>"));
    let binary = write(&dir, "blob.bin", b"\x00\x01\x02\x03\xff\xfe not text");
    let e = open_err(&binary, None);
    let (_, _, msg) = data_err(&e);
    assert!(e.to_string().contains("blob.bin"), "{e}");
    assert!(msg.contains("found binary data"), "{msg}");
    assert!(
        msg.contains("json, splunk-json, csv, parquet, metrics-csv"),
        "{msg}"
    );
    // Declared CSV is read as CSV.
    let spec: DataSpec = format!("path={},format=csv", bare_csv.display())
        .parse()
        .unwrap();
    let ds = open_dataset(&spec).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    assert_eq!(one(b, "user", 0).as_deref(), Some("alice"));
    // KubeArmor logs with a `kubectl logs` prefix are still recognised.
    let ka = write(
        &dir,
        "kubearmor.log",
        br#"2024-01-01T00:00:00.000000000Z stdout F {"Timestamp":1704067200,"Type":"HostLog","Operation":"Process","Resource":"/bin/sleep"}
"#,
    );
    assert_eq!(
        spl_engine::source::detect_format(&ka).unwrap(),
        DataFormat::Kubearmor
    );
}

/// `.tsv` files are tab-separated: events are read with tabs; metric data points
/// in TSV are not read (an error, not one garbled column).
#[test]
fn tsv_files_are_tab_separated() {
    let dir = scratch("tsv");
    let p = write(
        &dir,
        "events.tsv",
        b"user\tcount\tnote\nalice\t3\ta,b\nbob\t4\t\n",
    );
    assert_eq!(
        spl_engine::source::detect_format(&p).unwrap(),
        DataFormat::Csv
    );
    let ds = open_dataset(&DataSpec::new(&p)).unwrap();
    let b = &scan_all(&ds, &ScanRequest::default())[0];
    let cols = names(b);
    for c in ["user", "count", "note"] {
        assert!(cols.iter().any(|n| n == c), "{cols:?}");
    }
    assert_eq!(one(b, "user", 1).as_deref(), Some("bob"));
    assert_eq!(one(b, "count", 0).as_deref(), Some("3"));
    assert_eq!(one(b, "note", 0).as_deref(), Some("a,b"));
    let m = write(&dir, "m.tsv", b"_time\tmetric_name\t_value\n0\tcpu\t1\n");
    let (_, _, msg) = data_err(&open_err(&m, None));
    assert!(msg.contains("tab-separated metrics are not read"), "{msg}");
}
