//! `spl run` writes rows while the search runs (`docs/cli.md`, "Streaming"):
//! the first rows reach a pipe long before a large search ends, a reader
//! that goes away stops it quietly, and what cannot stream is said.

mod common;

use common::{spl, spl_env};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Ten million rows: far more than the debug binary renders in the time
/// the tests below wait for a first line.
const BIG: &str = "| makeresults count=10000000 | eval x=1";

fn spawn(args: &[&str], env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SPL_COLUMNS")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spl")
}

/// Reads `n` lines of the child's output, then checks that it is still
/// running (the search has not ended) and ends it.
fn first_lines_while_running(format: &str, n: usize) -> Vec<String> {
    let mut child = spawn(&["run", BIG, "--format", format], &[]);
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    for _ in 0..n {
        let mut l = String::new();
        out.read_line(&mut l).expect("read");
        lines.push(l);
    }
    let running = child.try_wait().expect("try_wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        running,
        "{format}: the search had ended before its first rows were read: {lines:?}"
    );
    lines
}

#[test]
fn the_first_rows_arrive_before_the_search_ends() {
    let csv = first_lines_while_running("csv", 2);
    assert_eq!(csv[0], "_time,x\n");
    assert!(csv[1].ends_with(",1\n"), "{csv:?}");
    let jsonl = first_lines_while_running("jsonl", 1);
    assert!(jsonl[0].contains("\"x\":\"1\""), "{jsonl:?}");
    let json = first_lines_while_running("json", 2);
    assert_eq!(json, ["[\n", "  {\n"]);
    // a table fixes its widths on the rows it holds first, then streams
    let table = first_lines_while_running("table", 3);
    assert!(table[0].starts_with("_time"), "{table:?}");
    assert!(table[2].ends_with(" | 1\n"), "{table:?}");
}

#[test]
fn a_reader_that_goes_away_stops_the_search_quietly() {
    let mut child = spawn(&["run", BIG, "--format", "csv"], &[]);
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut l = String::new();
    out.read_line(&mut l).expect("read");
    drop(out);
    let started = Instant::now();
    let status = child.wait().expect("wait");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
        .expect("stderr");
    // as a Unix tool killed by SIGPIPE; nothing on standard error
    assert_eq!(status.code(), Some(141), "{err}");
    assert_eq!(err, "");
    // stopped at the closed pipe, not after rendering the rest
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// Three rows, then a subsearch's row with a field of its own.
const LATE: &str = "| makeresults count=3 | eval n=1 | append [| makeresults | eval late=2]";

#[test]
fn a_field_after_the_csv_header_is_an_error_not_a_loss() {
    let env = [("SPL_OUTPUT_HOLD_ROWS", "2")];
    let (code, out, err) = spl_env(&["run", LATE, "--format", "csv"], &env);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the field `late` first appears in row 4")
            && err.contains("first 3 rows")
            && err.contains("SPL_OUTPUT_HOLD_ROWS"),
        "{err}"
    );
    // the rows before it were written under the header
    assert_eq!(out.lines().next(), Some("_time,n"));
    assert_eq!(out.lines().count(), 4, "{out}");
    // held whole (the default holds 10,000 rows): every field in the header
    for env in [&[][..], &[("SPL_OUTPUT_HOLD_ROWS", "all")][..]] {
        let (code, out, err) = spl_env(&["run", LATE, "--format", "csv"], env);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.lines().next(), Some("_time,n,late"));
        assert!(
            out.lines().last().is_some_and(|l| l.ends_with(",,2")),
            "{out}"
        );
    }
    // JSON lines never need a header
    let (code, out, err) = spl_env(&["run", LATE, "--format", "jsonl"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(out
        .lines()
        .last()
        .is_some_and(|l| l.contains("\"late\":\"2\"")));
    let (code, _, err) = spl_env(
        &["run", LATE, "--format", "csv"],
        &[("SPL_OUTPUT_HOLD_ROWS", "0")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("SPL_OUTPUT_HOLD_ROWS=0"), "{err}");
}

#[test]
fn output_files_stream_into_their_temporary_file_and_appear_whole() {
    let dir = std::env::temp_dir().join(format!("spl-stream-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("out.csv");
    let q = "| makeresults count=200000 | streamstats count";
    let target = file.to_string_lossy().into_owned();
    let (code, _, err) = spl(&["run", q, "--output", &target]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(&file).expect("output");
    let (_, piped, _) = spl(&["run", q, "--format", "csv"]);
    assert_eq!(written.lines().count(), 200_001);
    // the same rows as on standard output (the clock aside)
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.split_once(',').map_or(l, |(_, r)| r).to_string())
            .collect()
    };
    assert_eq!(strip(&written), strip(&piped));
    // a run that fails after rows were streamed leaves the old file as it was
    let (code, _, err) = spl_env(
        &["run", LATE, "--output", &target],
        &[("SPL_OUTPUT_HOLD_ROWS", "2")],
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("output"), written);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() != "out.csv")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
