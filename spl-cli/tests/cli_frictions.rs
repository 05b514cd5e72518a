//! What a new user meets first (issue 16): every way of giving standard
//! input, relative `--now` and the list of accepted times, the output format
//! from `--output`'s extension, tables fitted to a width, completions,
//! suggestions, missing paths, the `_filter` note, a missing `--data`, and
//! progress never written where no terminal is.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::spl;

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    common::scratch(&format!("spl-cli-frictions-{test}"))
}

/// Runs `program args` with `env` set and `input` on standard input:
/// (exit code, stdout, stderr).
fn run_with(
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
    input: &str,
) -> (i32, String, String) {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("SPL_COLUMNS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{program}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    // the child may exit before reading (an error): a broken pipe is fine
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn spl_with(args: &[&str], env: &[(&str, &str)], input: &str) -> (i32, String, String) {
    run_with(env!("CARGO_BIN_EXE_spl"), args, env, input)
}

const EVENTS: &str = "{\"user\":\"alice\",\"n\":\"1\"}\n{\"user\":\"bob\",\"n\":\"2\"}\n{\"user\":\"alice\",\"n\":\"3\"}\n";
const COUNT_QUERY: &str = "* | stats count by user";
const COUNTS: &str = "user,count\nalice,2\nbob,1";

fn count_args(data: &str) -> Vec<&str> {
    vec![
        "run",
        COUNT_QUERY,
        "--data",
        data,
        "--format",
        "csv",
        "--now",
        "0",
    ]
}

#[test]
fn standard_input_in_every_form() {
    // `-` and `/dev/stdin`, from a pipe
    for data in ["-", "/dev/stdin"] {
        let (code, stdout, stderr) = spl_with(&count_args(data), &[], EVENTS);
        assert_eq!((code, stdout.trim()), (0, COUNTS), "{data}: {stderr}");
    }
    // `/dev/stdin` redirected from a file
    let dir = scratch("stdin");
    let file = dir.join("events.jsonl");
    std::fs::write(&file, EVENTS).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(count_args("/dev/stdin"))
        .stdin(std::fs::File::open(&file).expect("open"))
        .output()
        .expect("spl");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), COUNTS);
    // process substitution: a /dev/fd path to a pipe
    let script = format!(
        "\"$SPL\" run '{COUNT_QUERY}' --data <(cat '{}') --format csv --now 0",
        file.display()
    );
    let (code, stdout, stderr) = run_with(
        "bash",
        &["-c", &script],
        &[("SPL", env!("CARGO_BIN_EXE_spl"))],
        "",
    );
    assert_eq!((code, stdout.trim()), (0, COUNTS), "{stderr}");
    // a named pipe (FIFO)
    let fifo = dir.join("events.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, EVENTS).expect("write fifo"))
    };
    let (code, stdout, stderr) = spl(&count_args(&fifo.to_string_lossy()));
    writer.join().expect("writer");
    assert_eq!((code, stdout.trim()), (0, COUNTS), "{stderr}");
    // the search from standard input
    let data = file.to_string_lossy();
    let (code, stdout, stderr) = spl_with(
        &[
            "run",
            "--query-file",
            "-",
            "--data",
            &data,
            "--format",
            "csv",
            "--now",
            "0",
        ],
        &[],
        COUNT_QUERY,
    );
    assert_eq!((code, stdout.trim()), (0, COUNTS), "{stderr}");
    // standard input is read once: two readers are an error, before reading
    for args in [
        vec!["run", "--query-file", "-", "--data", "-"],
        vec!["run", "--query-file", "/dev/stdin", "--data", "-"],
        vec!["run", "x", "--data", "-", "--data", "/dev/stdin"],
    ] {
        let (code, _, stderr) = spl_with(&args, &[], EVENTS);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("standard input can be read once"),
            "{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[allow(clippy::disallowed_methods)]
fn wall_clock() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// `_time` of `| makeresults` under `--now now`, as epoch seconds.
fn makeresults_time(now: &str) -> f64 {
    let (code, stdout, stderr) = spl(&[
        "run",
        "| makeresults | eval t=round(_time) | table t",
        "--now",
        now,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{now}: {stderr}");
    stdout
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("{now}: {stdout}"))
}

#[test]
fn now_takes_relative_times_and_lists_formats_on_error() {
    let before = wall_clock();
    let t = makeresults_time("-1d");
    let after = wall_clock();
    assert!(
        t >= (before - 86_400.0).floor() && t <= (after - 86_400.0).ceil(),
        "{before} {t} {after}"
    );
    let t = makeresults_time("-1d@d");
    assert_eq!(t % 86_400.0, 0.0, "{t}");
    assert!(
        t <= wall_clock() - 86_400.0 && t > wall_clock() - 2.0 * 86_400.0,
        "{t}"
    );
    assert_eq!(makeresults_time("@d") % 86_400.0, 0.0);
    assert_eq!(makeresults_time("2024-05-01T12:00:00Z"), 1_714_564_800.0);
    assert_eq!(makeresults_time("05/01/2024:12:00:00"), 1_714_564_800.0);
    assert_eq!(makeresults_time("1714564800"), 1_714_564_800.0);
    for (flag, bad) in [
        ("--now", "yesterday"),
        ("--earliest", "-1x"),
        ("--latest", "soon"),
    ] {
        let mut args = vec!["run", "| makeresults", flag, bad];
        if flag != "--now" {
            args.extend(["--now", "0"]);
        }
        let (code, _, stderr) = spl(&args);
        assert_eq!(code, 2, "{flag}: {stderr}");
        assert!(
            stderr.contains(&format!("{flag}: invalid time `{bad}`")),
            "{stderr}"
        );
        for example in [
            "accepted times",
            "1714564800",
            "2024-05-01T12:00:00Z",
            "-1d",
            "@d",
        ] {
            assert!(stderr.contains(example), "{flag}: {example}: {stderr}");
        }
    }
    // the picker takes ISO times too
    let (code, stdout, stderr) = spl(&[
        "run",
        "| makeresults | addinfo | table info_min_time",
        "--now",
        "2024-05-02T00:00:00Z",
        "--earliest",
        "2024-05-01T12:00:00Z",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1714564800"), "{stdout}");
}

#[test]
fn output_format_follows_the_extension_unless_format_says() {
    let dir = scratch("output");
    let q = "| makeresults count=2 | streamstats count AS n | table n";
    let write = |name: &str, extra: &[&str]| -> (i32, String, String) {
        let path = dir.join(name);
        let mut args = vec!["run", q, "--now", "0", "--output"];
        let p = path.to_string_lossy().into_owned();
        args.push(&p);
        args.extend_from_slice(extra);
        let (code, _, stderr) = spl(&args);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        (code, text, stderr)
    };
    let (code, text, e) = write("out.json", &[]);
    assert_eq!(code, 0, "{e}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v, serde_json::json!([{"n": "1"}, {"n": "2"}]));
    let (_, text, _) = write("out.JSON", &[]);
    assert!(text.starts_with('['), "{text}");
    for name in ["out.jsonl", "out.ndjson"] {
        let (_, text, _) = write(name, &[]);
        assert_eq!(text, "{\"n\":\"1\"}\n{\"n\":\"2\"}\n", "{name}");
    }
    let (_, text, _) = write("out.csv", &[]);
    assert_eq!(text, "n\n1\n2\n");
    for name in ["out.txt", "out"] {
        let (_, text, _) = write(name, &[]);
        assert!(text.contains("(2 rows)"), "{name}: {text}");
    }
    // --format wins
    let (_, text, _) = write("csv.json", &["--format", "csv"]);
    assert_eq!(text, "n\n1\n2\n");
    // an extension of no known format: an error, and no file
    let (code, text, stderr) = write("out.xlsx", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(text.is_empty());
    assert!(
        stderr.contains("`.xlsx`") && stderr.contains("--format"),
        "{stderr}"
    );
    let (code, text, _) = write("table.xlsx", &["--format", "table"]);
    assert_eq!(code, 0);
    assert!(text.contains("(2 rows)"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tables_fit_a_forced_width_and_wide_keeps_them_whole() {
    let q = "| makeresults | eval message=\"a rather long message that does not fit in thirty\", user=\"alice\" | table user message";
    let long = "a rather long message that does not fit in thirty";
    // not a terminal: never cut, whatever COLUMNS says
    let (code, stdout, stderr) = spl_with(&["run", q, "--now", "0"], &[("COLUMNS", "30")], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(long), "{stdout}");
    // SPL_COLUMNS forces the width
    let (_, stdout, _) = spl_with(&["run", q, "--now", "0"], &[("SPL_COLUMNS", "30")], "");
    for line in stdout.lines() {
        assert!(line.chars().count() <= 30, "{line:?}\n{stdout}");
    }
    assert!(
        stdout.contains("alice | a rather long message…"),
        "{stdout}"
    );
    // --wide turns fitting off
    let (_, stdout, _) = spl_with(
        &["run", q, "--now", "0", "--wide"],
        &[("SPL_COLUMNS", "30")],
        "",
    );
    assert!(stdout.contains(long), "{stdout}");
    // other formats are never cut
    let (_, stdout, _) = spl_with(
        &["run", q, "--now", "0", "--format", "csv"],
        &[("SPL_COLUMNS", "30")],
        "",
    );
    assert!(stdout.contains(long), "{stdout}");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, stdout, stderr) = spl(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("run") && stdout.contains("data"), "{shell}");
        assert!(
            !stdout.contains("examples-env"),
            "{shell}: the hidden `docs` is left out"
        );
    }
    let (code, _, stderr) = spl(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn mistyped_commands_and_options_get_suggestions() {
    let (code, _, stderr) = spl(&["rnu"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a similar subcommand exists: 'run'"),
        "{stderr}"
    );
    let (_, _, stderr) = spl(&["tset"]);
    assert!(stderr.contains("'test'"), "{stderr}");
    let (_, _, stderr) = spl(&["run", "x", "--nwo", "0"]);
    assert!(
        stderr.contains("a similar argument exists: '--now'"),
        "{stderr}"
    );
    let (_, _, stderr) = spl(&["run", "x", "--lookup=dir"]);
    assert!(stderr.contains("'--lookups'"), "{stderr}");
    let (_, _, stderr) = spl(&["kubearmor", "tset"]);
    assert!(stderr.contains("'test'"), "{stderr}");
    // nothing close: no suggestion
    let (_, _, stderr) = spl(&["frobnicate"]);
    assert!(!stderr.contains("similar"), "{stderr}");
}

#[test]
fn missing_paths_are_errors_naming_them() {
    for (flag, path) in [
        ("--lookups", "no/such/lookups"),
        ("--apps", "no/such/apps"),
        ("--macros", "no/such/macros.conf"),
    ] {
        let (code, _, stderr) = spl(&["run", "| makeresults", "--now", "0", flag, path]);
        assert_eq!(code, 2, "{flag}: {stderr}");
        assert!(
            stderr.contains(path) && stderr.contains(flag),
            "{flag}: {stderr}"
        );
    }
    // a lookups path that is a file, not a directory
    let file = env!("CARGO_MANIFEST_DIR").to_string() + "/Cargo.toml";
    let (code, _, stderr) = spl(&["run", "| makeresults", "--now", "0", "--lookups", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no such directory"), "{stderr}");
}

#[test]
fn an_undefined_filter_macro_is_a_note_shown_with_verbose() {
    let q = "| makeresults | `my_detection_filter`";
    let (code, stdout, stderr) = spl(&["run", q, "--now", "0", "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(stdout.starts_with("_time"), "{stdout}");
    for v in ["-v", "--verbose"] {
        let (code, _, stderr) = spl(&["run", q, "--now", "0", "--format", "csv", v]);
        assert_eq!(code, 0);
        assert!(
            stderr.contains("note[spl::macro::undefined_filter]")
                && stderr.contains("my_detection_filter"),
            "{stderr}"
        );
    }
    let (_, _, stderr) = spl(&["parse", q]);
    assert!(stderr.is_empty(), "{stderr}");
    let (_, _, stderr) = spl(&["parse", q, "--verbose"]);
    assert!(
        stderr.contains("note[spl::macro::undefined_filter]"),
        "{stderr}"
    );
}

#[test]
fn a_search_over_events_without_data_is_an_error() {
    for q in [
        "index=main | stats count",
        "search error",
        "| tstats count",
        "| mstats count(_value) WHERE index=m",
    ] {
        let (code, stdout, stderr) = spl(&["run", q, "--now", "0"]);
        assert_eq!(code, 2, "{q}: {stdout}{stderr}");
        assert!(stderr.contains("no --data was given"), "{q}: {stderr}");
    }
    // a generating command needs none
    let (code, _, stderr) = spl(&["run", "| makeresults | eval x=1", "--now", "0"]);
    assert_eq!(code, 0, "{stderr}");
    // a parse error is reported first
    let (code, _, stderr) = spl(&["run", "index=main | stats count(", "--now", "0"]);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn no_progress_without_a_terminal() {
    let dir = scratch("progress");
    let file = dir.join("events.jsonl");
    let text: String = (0..20_000)
        .map(|i| format!("{{\"n\":\"{i}\"}}\n"))
        .collect();
    std::fs::write(&file, text).expect("write");
    let data = file.to_string_lossy();
    let (code, stdout, stderr) = spl_with(
        &[
            "run",
            "* | stats count",
            "--data",
            &data,
            "--now",
            "0",
            "--format",
            "csv",
        ],
        &[("SPL_PROGRESS_AFTER_MS", "0")],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), "count\n20000");
    assert!(stderr.is_empty(), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// On a terminal (`script` gives the run one), progress is drawn on stderr.
#[test]
fn progress_on_a_terminal() {
    let Ok(found) = Command::new("script").arg("--version").output() else {
        eprintln!("skipped: no `script` (util-linux) to give the run a terminal");
        return;
    };
    assert!(found.status.success());
    let dir = scratch("progress-tty");
    let file = dir.join("events.jsonl");
    // enough events that the run outlasts the progress thread's first frame
    let text: String = (0..300_000)
        .map(|i| format!("{{\"n\":\"{i}\",\"user\":\"u{}\"}}\n", i % 13))
        .collect();
    std::fs::write(&file, text).expect("write");
    let cmd = format!(
        "'{}' run '* | stats count by user' --data '{}' --now 0 --format csv >/dev/null",
        env!("CARGO_BIN_EXE_spl"),
        file.display()
    );
    let log = dir.join("typescript");
    let (code, _, stderr) = run_with(
        "script",
        &["-qec", &cmd, &log.to_string_lossy()],
        &[("SPL_PROGRESS_AFTER_MS", "0")],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let seen = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        seen.contains("reading: ") && seen.contains("events"),
        "{seen:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn docs_is_hidden_and_says_where_it_runs() {
    let (_, stdout, _) = spl(&["--help"]);
    assert!(!stdout.contains("docs"), "{stdout}");
    assert!(stdout.contains("completions"), "{stdout}");
    let dir = scratch("docs");
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .arg("docs")
        .current_dir(&dir)
        .output()
        .expect("spl");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("maintainer command") && stderr.contains("repository root"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}
