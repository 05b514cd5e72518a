//! `spl run` on inputs that must not pass silently: subsearches of an empty
//! main search, data kinds, files of no accepted format (issue 11, section 6).

use std::path::PathBuf;
use std::process::Command;

/// Runs `spl` with `args`; returns (exit code, stdout, stderr).
mod common;
use common::spl;

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    common::scratch(&format!("spl-cli-run-inputs-{test}"))
}

#[test]
fn subsearch_of_an_empty_main_search_is_planned() {
    for q in [
        "| makeresults | where 1=2 | join x [| sistats count by x]",
        "| makeresults | where 1=2 | append [| sistats count by x]",
        "| makeresults | where 1=2 | appendpipe [ sistats count by x ]",
        "| makeresults | where 1=2 | map search=\"| sistats count\"",
        "| multisearch [| makeresults | where 1=2] [| sistats count]",
    ] {
        let (code, stdout, stderr) = spl(&["run", q, "--now", "0"]);
        assert_eq!(code, 1, "{q}: {stdout}{stderr}");
        assert!(
            stderr.contains("spl::run::unsupported_command") && stderr.contains("`sistats`"),
            "{q}: {stderr}"
        );
    }
}

#[test]
fn subsearch_run_time_errors_are_reported() {
    let (code, _, stderr) = spl(&[
        "run",
        "| makeresults | where 1=2 | join x [| makeresults | eval x=1 | outputlookup no/such]",
        "--now",
        "0",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no/such"), "{stderr}");
}

fn repo(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn parquet_with_metric_columns_serves_mstats() {
    let data = format!(
        "path={},index=kubernetes_metrics,format=parquet",
        repo("fixtures/data/k8s-network-anomalous.parquet")
    );
    let q = "| mstats count(_value) AS n WHERE index=kubernetes_metrics";
    let (code, stdout, stderr) = spl(&["run", q, "--data", &data, "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let n: u64 = stdout
        .lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    assert!(n > 0, "{stdout}");

    // Read as events, the same file leaves mstats with nothing, and says why.
    let data = format!("{data},kind=events");
    let (code, stdout, stderr) = spl(&["run", q, "--data", &data, "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.trim().is_empty() || !stdout.contains(','),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("warning[spl::run::mstats_events_index]: mstats searches index `kubernetes_metrics`, which holds only events"),
        "{stderr}"
    );
}

/// Text in no other format is raw events (issue 13; until then an input
/// error, issue 11.6); binary data in no format read still exits 2.
#[test]
fn text_of_no_data_format_is_raw_events_and_binary_exits_2() {
    let dir = scratch("sniff");
    let xml = dir.join("events.xml");
    std::fs::write(
        &xml,
        "<?xml version=\"1.0\"?>\n<Events><Event><System><TimeCreated SystemTime='2024-05-01T10:00:00Z'/></System></Event></Events>\n",
    )
    .expect("write");
    let log = dir.join("syslog");
    std::fs::write(
        &log,
        "May  1 12:00:00 host sshd[1]: Accepted password for bob\n",
    )
    .expect("write");
    for p in [&xml, &log] {
        let p = p.to_string_lossy();
        let (code, stdout, stderr) = spl(&[
            "run",
            "index=main | stats count",
            "--data",
            &p,
            "--format",
            "csv",
            "--now",
            "2024-05-01T12:00:00Z",
        ]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert_eq!(stdout.trim(), "count\n1", "{stderr}");
    }
    let bin = dir.join("blob.bin");
    std::fs::write(&bin, b"\x00\x01\x02\xff\xfe").expect("write");
    let (code, stdout, stderr) = spl(&["run", "*", "--data", &bin.to_string_lossy()]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let flat = stderr
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("spl::data::invalid") && flat.contains("binary data"),
        "{stderr}"
    );
}

/// `--data -` reads standard input once (format sniffing included), and
/// `--strict` makes a JSON-lines line that is not JSON an input error.
#[test]
fn stdin_and_strict() {
    use std::io::Write;
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spl"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run spl");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write stdin");
        drop(stdin);
        let out = child.wait_with_output().expect("wait");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let jsonl = "{\"a\":\"1\"}\nnot json\n{\"a\":\"2\"}\n";
    let args = [
        "run",
        "* | stats count",
        "--data",
        "-",
        "--format",
        "csv",
        "--now",
        "0",
    ];
    let (code, stdout, stderr) = run(&args, jsonl);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), "count\n3");
    assert!(
        stderr.contains("warning[spl::data::json_line_kept_raw]") && stderr.contains("-:2"),
        "{stderr}"
    );
    let mut strict = args.to_vec();
    strict.push("--strict");
    let (code, _, stderr) = run(&strict, jsonl);
    assert_eq!(code, 2, "{stderr}");
    let (code, stdout, stderr) = run(&args, "May  1 12:00:00 host a\nMay  1 12:00:01 host b\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), "count\n2");
}
