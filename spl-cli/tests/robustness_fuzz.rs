//! Silent data loss found by the robustness work (issue 15): pipes and FIFOs
//! given as `--data`, an unclosed quote in an event CSV, OTLP values that are
//! not numbers. Each must be read once and counted, or be an error naming
//! the file and line: never exit 0 with rows missing, never a hang.
#![allow(clippy::unwrap_used)]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scratch(test: &str) -> PathBuf {
    common::scratch(&format!("spl-rob-fuzz-{test}"))
}

/// Runs `spl` with a deadline: a hang fails the test instead of the suite.
fn spl(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("spl {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const EVENTS: &str = "{\"_time\":1714561200,\"user\":\"alice\"}\n\
{\"_time\":1714561201,\"user\":\"bob\"}\n{\"_time\":1714561202,\"user\":\"carol\"}\n";

#[cfg(unix)]
#[test]
fn a_named_fifo_as_data_is_read_once() {
    let dir = scratch("fifo");
    let fifo = dir.join("events.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        // blocks until spl opens the FIFO for reading
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&writer_path)
            .unwrap();
        f.write_all(EVENTS.as_bytes()).unwrap();
    });
    let (code, out, err) = spl(&[
        "run",
        "search * | stats count",
        "--data",
        fifo.to_str().unwrap(),
        "--format",
        "csv",
        "--now",
        "1714564800",
    ]);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "count\n3", "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--data <(cat f.jsonl)`: the shell hands over `/dev/fd/N`, a pipe.
#[cfg(unix)]
#[test]
fn process_substitution_as_data_is_read_once() {
    let dir = scratch("procsub");
    let file = dir.join("events.jsonl");
    std::fs::write(&file, EVENTS).unwrap();
    let has_bash = Command::new("bash").arg("-c").arg("true").status();
    if !has_bash.is_ok_and(|s| s.success()) {
        eprintln!("no bash here: skipped");
        return;
    }
    let script = format!(
        "exec \"$0\" run 'search * | stats count' --data <(cat '{}') --format csv --now 1714564800",
        file.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_spl"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.trim(), "count\n3", "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unclosed_quote_in_an_event_csv_is_an_error_naming_its_line() {
    let dir = scratch("csvquote");
    let file = dir.join("events.csv");
    std::fs::write(
        &file,
        "_time,user,msg\n1714561200,alice,ok\n1714561201,bob,\"broken\n1714561202,carol,lost\n",
    )
    .unwrap();
    let (code, out, err) = spl(&[
        "run",
        "search * | stats count",
        "--data",
        file.to_str().unwrap(),
        "--format",
        "csv",
        "--now",
        "1714564800",
    ]);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("events.csv:3"), "{err}");
    assert!(err.contains("closing `\"`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_otlp_value_that_is_not_a_number_is_an_error() {
    let dir = scratch("otlp");
    let file = dir.join("metrics.json");
    std::fs::write(
        &file,
        r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asInt":"7","timeUnixNano":"1714561200000000000"},{"asInt":"notanint","timeUnixNano":"1714561200000000000"}]}}]}]}]}"#,
    )
    .unwrap();
    let spec = format!("path={},format=otlp-json", file.display());
    let (code, out, err) = spl(&[
        "run",
        "| mstats count(_value) WHERE index=* BY metric_name",
        "--data",
        &spec,
        "--now",
        "1714564800",
    ]);
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("asInt") && err.contains("notanint"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
