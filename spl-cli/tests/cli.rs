//! `spl parse` end to end: stdout, stderr and exit codes of the built binary.

use std::path::PathBuf;

fn repo(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

/// Runs `spl` with `args`; returns (exit code, stdout, stderr).
mod common;
use common::spl;

#[test]
fn parses_a_seed_detection_with_macros() {
    let (code, stdout, stderr) = spl(&[
        "parse",
        "--detection",
        &repo("fixtures/detections/kubernetes_scanning_by_unauthenticated_ip_address.yml"),
        "--macros",
        &repo("fixtures/macros/security_content"),
        "--verbose",
    ]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("seed_text", stdout);
    // the undefined `_filter` macro is a note, shown with --verbose only
    insta::assert_snapshot!("seed_warnings", stderr);
}

#[test]
fn json_output_is_the_ast() {
    let (code, stdout, _) = spl(&[
        "parse",
        "--format",
        "json",
        "| makeresults count=2 | eval x=1",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["pipeline"]["stages"][1]["command"]["command"], "Eval");
}

#[test]
fn parse_error_renders_a_caret_and_exits_1() {
    let (code, stdout, stderr) = spl(&["parse", "index=main | stats cnt(x) by host"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    insta::assert_snapshot!("parse_error", stderr);
}

#[test]
fn error_inside_a_macro_points_into_its_body() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let conf = dir.join("macros.conf");
    std::fs::write(&conf, "[broken]\ndefinition = index=x (a\n").expect("write");
    let (code, _, stderr) = spl(&[
        "parse",
        "--macros",
        &conf.to_string_lossy(),
        "`broken` | stats count",
    ]);
    assert_eq!(code, 1);
    let stderr = stderr.replace(&conf.to_string_lossy().into_owned(), "MACROS.conf");
    insta::assert_snapshot!("macro_body_error", stderr);
}

#[test]
fn undefined_macro_exits_1() {
    let (code, _, stderr) = spl(&["parse", "`kube_audit` | stats count"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("spl::macro::undefined"), "{stderr}");
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, stderr) = spl(&["parse", "--query-file", "/nonexistent/query.spl"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read /nonexistent/query.spl"),
        "{stderr}"
    );
    let (code, _, _) = spl(&["parse", "--detection", "/nonexistent/d.yml"]);
    assert_eq!(code, 2);
}
