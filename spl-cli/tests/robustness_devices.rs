//! Files the CLI reads whole (issue 15): `--query-file` (and `-` for
//! standard input), `--detection`, `--macros`, `--apps` conf files and
//! `--lookups` files naming `/dev/zero` or an endless pipe end with a clear
//! error after a bounded read (256 MiB) instead of memory growing without
//! bound; a small pipe still works.
#![allow(clippy::unwrap_used)]

mod common;
use common::spl;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const CAP: &str = "256 MiB";

fn refused(args: &[&str], what: &str) {
    let (code, out, err) = spl(args);
    assert_ne!(code, 0, "{args:?}: {out}");
    assert!(err.contains(what), "{args:?}: {err}");
}

#[test]
fn query_detection_and_macro_files_from_dev_zero_are_refused() {
    refused(&["run", "--query-file", "/dev/zero"], CAP);
    refused(&["parse", "--query-file", "/dev/zero"], CAP);
    refused(&["run", "--detection", "/dev/zero"], CAP);
    refused(&["run", "--macros", "/dev/zero", "| makeresults"], CAP);
}

#[test]
fn endless_standard_input_for_the_query_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(["run", "--query-file", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::from(std::fs::File::open("/dev/zero").unwrap()))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input") && err.contains(CAP), "{err}");
    // a query on standard input of ordinary size runs
    let mut child = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(["run", "--query-file", "-", "--format", "csv"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"| makeresults count=3 | stats count")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "count\n3\n");
}

/// A FIFO at `path` fed by a thread: `endless` lines until the reader
/// goes away, or `text` once.
fn fifo(path: &Path, endless: bool, text: &'static str) -> std::thread::JoinHandle<()> {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
    let p = path.to_path_buf();
    std::thread::spawn(move || {
        let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&p) else {
            return;
        };
        if endless {
            let line = "| makeresults | eval x=1\n".repeat(4096);
            // ends with an error (EPIPE) once the reader closes its end
            while f.write_all(line.as_bytes()).is_ok() {}
        } else {
            let _ = f.write_all(text.as_bytes());
        }
    })
}

#[test]
fn an_endless_pipe_is_refused_and_a_small_one_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let endless = tmp.path().join("endless.spl");
    let writer = fifo(&endless, true, "");
    refused(&["parse", "--query-file", &endless.to_string_lossy()], CAP);
    writer.join().unwrap();
    let small = tmp.path().join("small.spl");
    let writer = fifo(&small, false, "| makeresults count=2 | stats count");
    let (code, out, err) = spl(&[
        "run",
        "--query-file",
        &small.to_string_lossy(),
        "--format",
        "csv",
    ]);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "count\n2\n");
}

#[test]
fn app_conf_files_and_lookups_are_read_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("zero_app");
    std::fs::create_dir_all(app.join("default")).unwrap();
    // a conf file that is a device is not a file the app loader reads (it
    // looks only at regular files); one larger than the cap is refused (a
    // sparse file: no disk is used)
    std::os::unix::fs::symlink("/dev/zero", app.join("default/tags.conf")).unwrap();
    std::fs::File::create(app.join("default/props.conf"))
        .unwrap()
        .set_len((256 << 20) + 1)
        .unwrap();
    refused(
        &[
            "run",
            "--no-default-apps",
            "--apps",
            &app.to_string_lossy(),
            "| makeresults",
        ],
        CAP,
    );
    let lookups = tmp.path().join("lookups");
    std::fs::create_dir_all(&lookups).unwrap();
    std::os::unix::fs::symlink("/dev/zero", lookups.join("zero.csv")).unwrap();
    std::fs::write(lookups.join("users.csv"), "user,role\nalice,admin\n").unwrap();
    let lk = lookups.to_string_lossy();
    // a device is not a lookup file (only regular files are looked up)
    refused(
        &["run", "--lookups", &lk, "| inputlookup zero.csv"],
        "not found",
    );
    // a lookup file with a line past `max_line_bytes` stops at the limit
    std::fs::File::create(lookups.join("huge.csv"))
        .unwrap()
        .set_len(3 << 20)
        .unwrap();
    refused(
        &[
            "run",
            "--lookups",
            &lk,
            "--limit",
            "max_line_bytes=1048576",
            "| inputlookup huge.csv",
        ],
        "max_line_bytes",
    );
    let (code, out, err) = spl(&[
        "run",
        "--lookups",
        &lk,
        "--format",
        "csv",
        "| inputlookup users.csv | table role",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "role\nadmin\n");
}
