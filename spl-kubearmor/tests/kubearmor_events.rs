//! KubeArmor telemetry as SPL events: field naming, `_time`, multivalue
//! fields, errors, and the fields the port-scan detection reads (checked by an
//! independent computation of its expected rows).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use arrow_array::{Array, Float64Array, ListArray, RecordBatch, StringArray};
use arrow_schema::DataType;
use spl_engine::source::kubearmor::{kubearmor_meta, looks_like_kubearmor, read_kubearmor};
use spl_engine::source::SourceMeta;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> Vec<RecordBatch> {
    read_kubearmor(path, &kubearmor_meta(path)).unwrap()
}

fn str_col<'a>(b: &'a RecordBatch, name: &str) -> Option<&'a StringArray> {
    b.column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
}

fn value(b: &RecordBatch, name: &str, row: usize) -> Option<String> {
    let c = str_col(b, name)?;
    (!c.is_null(row)).then(|| c.value(row).to_string())
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spl-kubearmor-events-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn staged_samples_become_events_with_splunk_field_names() {
    let path = repo().join("../shared/datasets/kubearmor/kubearmor-doc-events.jsonl");
    let first = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(looks_like_kubearmor(&first));
    let batches = read(&path);
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(b.num_rows(), 49);
    let names: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(&names[..2], &["_time", "_raw"]);
    // index/source/sourcetype come from the dataset meta at search time.
    assert!(!names.iter().any(|n| n == "sourcetype"));
    for want in [
        "Owner.Name",
        "EventData.Sa_family",
        "ExecEvent.ExecutableName",
        "Labels.app",
        "syscall",
        "flags",
        "sin_port",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "missing {want} in {names:?}"
        );
    }
    assert_eq!(
        b.schema().field_with_name("_time").unwrap().data_type(),
        &DataType::Float64
    );
    assert!(matches!(
        b.schema().field_with_name("ATags{}").unwrap().data_type(),
        DataType::List(_)
    ));
    assert_eq!(
        b.schema().field_with_name("HostPID").unwrap().data_type(),
        &DataType::Utf8
    );

    let time = b
        .column_by_name("_time")
        .unwrap()
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap();
    assert!((time.value(0) - 1639803960.077564).abs() < 1e-6);
    assert!(
        time.null_count() > 0,
        "events without UpdatedTime/Timestamp have no _time"
    );
    assert_eq!(value(b, "host", 0).as_deref(), Some("pandora"));
    assert_eq!(value(b, "_raw", 0).as_deref(), Some(first.as_str()));
    // Line 3: the nginx file alert.
    assert_eq!(value(b, "Labels.app", 2).as_deref(), Some("nginx"));
    assert_eq!(value(b, "syscall", 2).as_deref(), Some("SYS_OPENAT"));
    assert_eq!(value(b, "fd", 2).as_deref(), Some("-100"));
    assert_eq!(value(b, "flags", 2).as_deref(), Some("O_RDONLY"));
    assert_eq!(value(b, "HostPID", 2).as_deref(), Some("3371357"));
    // Line 4: DNS telemetry with comma-joined Data pairs and EventData.
    assert_eq!(value(b, "kfunc", 3).as_deref(), Some("UDP_SENDMSG"));
    assert_eq!(value(b, "qtype", 3).as_deref(), Some("AAAA"));
    assert_eq!(value(b, "sin_port", 3).as_deref(), Some("53"));
    assert_eq!(value(b, "Owner.Ref", 3).as_deref(), Some("Deployment"));
    // File paths in Resource are not split into key=value fields.
    assert_eq!(value(b, "domain", 2), None);
    // ATags is a JSON array: a multivalue field, null where absent or null.
    let atags = b
        .column_by_name("ATags{}")
        .unwrap()
        .as_any()
        .downcast_ref::<ListArray>()
        .unwrap();
    assert!(atags.is_null(0));
    let row = (0..b.num_rows()).find(|&r| !atags.is_null(r)).unwrap();
    let tags = atags.value(row);
    let tags = tags.as_any().downcast_ref::<StringArray>().unwrap();
    let raw = value(b, "_raw", row).unwrap();
    let json: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let want: Vec<&str> = json["ATags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let got: Vec<&str> = (0..tags.len()).map(|i| tags.value(i)).collect();
    assert_eq!(got, want);
}

#[test]
fn multivalue_fields_and_meta() {
    let p = temp_file(
        "mv.jsonl",
        "{\"Type\":\"ContainerLog\",\"UpdatedTime\":\"2024-01-02T03:04:05Z\",\"ATags\":[\"a\",\"b\"],\"Labels\":\"app=x,tier=y\",\"Data\":\"syscall=SYS_X flags=A flags=B\",\"Operation\":\"File\",\"Resource\":\"/etc/flags=1\",\"Empty\":\"\",\"Nothing\":null}\n\
         {\"Type\":\"HostLog\",\"Timestamp\":1704164645,\"HostName\":\"n1\",\"Operation\":\"Network\",\"Resource\":\"domain=AF_INET type=SOCK_STREAM protocol=0\",\"Data\":\"syscall=SYS_SOCKET\"}\n",
    );
    let meta = SourceMeta {
        index: "kubearmor".into(),
        source: "mv.jsonl".into(),
        sourcetype: "kubearmor".into(),
        host: None,
    };
    let b = &read_kubearmor(&p, &meta).unwrap()[0];
    let flags = b
        .column_by_name("flags")
        .unwrap()
        .as_any()
        .downcast_ref::<ListArray>()
        .unwrap();
    let v = flags.value(0);
    let v = v.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!((v.value(0), v.value(1)), ("A", "B"));
    assert!(flags.is_null(1));
    assert_eq!(value(b, "Labels.tier", 0).as_deref(), Some("y"));
    assert_eq!(value(b, "host", 1).as_deref(), Some("n1"));
    assert_eq!(value(b, "type", 1).as_deref(), Some("SOCK_STREAM"));
    assert!(b.column_by_name("Empty").is_none() && b.column_by_name("Nothing").is_none());
    let time = b
        .column_by_name("_time")
        .unwrap()
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap();
    assert_eq!((time.value(0), time.value(1)), (1704164645.0, 1704164645.0));
}

#[test]
fn malformed_telemetry_is_a_data_error_with_line_and_field() {
    let p = temp_file(
        "bad.jsonl",
        "{\"Type\":\"ContainerLog\"}\n{\"Type\":\"ContainerLog\",}\n",
    );
    let e = read_kubearmor(&p, &kubearmor_meta(&p)).unwrap_err();
    assert!(e.is_data_error());
    assert!(e.to_string().contains("bad.jsonl:2: invalid JSON"), "{e}");
    let p = temp_file(
        "badtime.jsonl",
        "{\"Type\":\"ContainerLog\",\"UpdatedTime\":\"yesterday\"}\n",
    );
    let e = read_kubearmor(&p, &kubearmor_meta(&p))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("badtime.jsonl:1 (field `UpdatedTime`): expected an RFC 3339 time"),
        "{e}"
    );
    let p = temp_file("badts.jsonl", "{\"Timestamp\":true}\n");
    let e = read_kubearmor(&p, &kubearmor_meta(&p))
        .unwrap_err()
        .to_string();
    assert!(e.contains("badts.jsonl:1 (field `Timestamp`)"), "{e}");
    let e = read_kubearmor(
        Path::new("/nonexistent/k.jsonl"),
        &kubearmor_meta(Path::new("k")),
    )
    .unwrap_err();
    assert!(e.is_data_error() && e.to_string().starts_with("/nonexistent/k.jsonl"));
}

/// The port-scan detection's rows, computed straight from the event columns:
/// `bin _time span=1m | stats count dc(sin_port) values(ProcessName) by _time
/// ClusterName workload sin_addr | where distinct_ports >= 20`.
fn port_scan_rows(path: &Path) -> Vec<String> {
    type Key = (i64, String, String, String);
    let mut groups: BTreeMap<Key, (usize, BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for b in read(path) {
        let time = b
            .column_by_name("_time")
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        for row in 0..b.num_rows() {
            let v = |n: &str| value(&b, n, row);
            if v("Operation").as_deref() != Some("Network")
                || v("syscall").as_deref() != Some("SYS_CONNECT")
            {
                continue;
            }
            let Some(port) = v("sin_port") else { continue };
            let workload = match (v("NamespaceName"), v("PodName")) {
                (Some(ns), Some(pod)) => format!("{ns}/{pod}"),
                _ => format!("host/{}", v("HostName").unwrap()),
            };
            let bucket = (time.value(row) / 60.0).floor() as i64 * 60;
            let key = (
                bucket,
                v("ClusterName").unwrap(),
                workload,
                v("sin_addr").unwrap(),
            );
            let g = groups.entry(key).or_default();
            g.0 += 1;
            g.1.insert(port);
            g.2.insert(v("ProcessName").unwrap());
        }
    }
    groups
        .into_iter()
        .filter(|(_, (_, ports, _))| ports.len() >= 20)
        .map(|((bucket, cluster, workload, addr), (n, ports, procs))| {
            let start = jiff::Timestamp::from_second(bucket).unwrap().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let procs: Vec<String> = procs.into_iter().collect();
            let process = if procs.len() == 1 {
                serde_json::Value::String(procs[0].clone())
            } else {
                serde_json::json!(procs)
            };
            serde_json::json!({
                "window_start": start, "ClusterName": cluster, "workload": workload, "process_name": process,
                "dest_ip": addr, "connection_attempts": n.to_string(), "distinct_ports": ports.len().to_string()
            })
            .to_string()
        })
        .collect()
}

#[test]
fn port_scan_fixture_fires_and_quiet_data_stays_quiet() {
    let dir = repo().join("fixtures/kubearmor/portscan");
    let expected = |f: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(f))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        port_scan_rows(&dir.join("fires.jsonl")),
        expected("expected-fires.jsonl")
    );
    assert_eq!(expected("expected-fires.jsonl").len(), 2);
    assert_eq!(
        port_scan_rows(&dir.join("quiet.jsonl")),
        expected("expected-quiet.jsonl")
    );
    assert!(expected("expected-quiet.jsonl").is_empty());
    // The detection reads exactly these fields.
    let yml = std::fs::read_to_string(repo().join("fixtures/detections/kubearmor_port_scan.yml"))
        .unwrap();
    for field in [
        "syscall=SYS_CONNECT",
        "sin_port",
        "sin_addr",
        "ProcessName",
        "bin _time span=1m",
        "dc(sin_port)",
    ] {
        assert!(yml.contains(field), "{field}");
    }
}

/// The detection's SPL, run by the engine over the fixture telemetry. While the
/// engine has no `bin` command, the search runs with the equivalent one-minute
/// bucketing `eval _time=floor(_time/60)*60` instead; once `bin` exists the
/// search runs exactly as written.
fn run_detection(data: &Path) -> String {
    let yml = std::fs::read_to_string(repo().join("fixtures/detections/kubearmor_port_scan.yml"))
        .unwrap();
    let doc: serde_norway::Value = serde_norway::from_str(&yml).unwrap();
    let search = doc["search"].as_str().unwrap();
    let meta = kubearmor_meta(data);
    let engine = spl_engine::session::Engine::builder(1_678_500_000.0)
        .add_events(meta.clone(), read_kubearmor(data, &meta).unwrap())
        .build();
    let result = engine.run(search).unwrap();
    let table = spl_engine::render::table(&result.batches, &jiff::tz::TimeZone::UTC).unwrap();
    spl_engine::render::to_jsonl(&table)
}

#[test]
fn port_scan_detection_runs_on_the_engine() {
    let dir = repo().join("fixtures/kubearmor/portscan");
    let want = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    assert_eq!(
        run_detection(&dir.join("fires.jsonl")),
        want("expected-fires.jsonl")
    );
    assert_eq!(
        run_detection(&dir.join("quiet.jsonl")),
        want("expected-quiet.jsonl")
    );
}

/// The example search over the staged samples, checked against a
/// count made straight from the JSON.
#[test]
fn spl_over_the_staged_samples() {
    let path = repo().join("../shared/datasets/kubearmor/kubearmor-doc-events.jsonl");
    let meta = SourceMeta {
        index: "kubearmor".into(),
        source: "kubearmor-doc-events.jsonl".into(),
        sourcetype: "kubearmor".into(),
        host: None,
    };
    let engine = spl_engine::session::Engine::builder(1_700_000_000.0)
        .add_events(meta.clone(), read_kubearmor(&path, &meta).unwrap())
        .build();
    let result = engine
        .run("index=kubearmor Type=MatchedPolicy | stats count by PolicyName Labels.app")
        .unwrap();
    let table = spl_engine::render::table(&result.batches, &jiff::tz::TimeZone::UTC).unwrap();
    let got: BTreeMap<(String, String), String> = spl_engine::render::to_jsonl(&table)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            ((s("PolicyName"), s("Labels.app")), s("count"))
        })
        .collect();
    let mut want: BTreeMap<(String, String), usize> = BTreeMap::new();
    for line in std::fs::read_to_string(&path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let app = v["Labels"]
            .as_str()
            .and_then(|l| l.split([',', ' ']).find_map(|kv| kv.strip_prefix("app=")));
        if let (Some("MatchedPolicy"), Some(policy), Some(app)) =
            (v["Type"].as_str(), v["PolicyName"].as_str(), app)
        {
            *want
                .entry((policy.to_string(), app.to_string()))
                .or_default() += 1;
        }
    }
    let want: BTreeMap<(String, String), String> =
        want.into_iter().map(|(k, n)| (k, n.to_string())).collect();
    assert!(want.len() > 5);
    assert_eq!(got, want);
}
