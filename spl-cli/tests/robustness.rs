//! Inputs that once crashed the `spl` binary (issue: robustness): each is
//! now an answer or a positioned error, never a panic (exit code 101).

use std::process::Command;

mod common;
use common::spl;

#[test]
fn an_error_past_column_65535_is_shown_in_a_window_of_its_line() {
    let q = format!("{} | stats cnt(x)", "a".repeat(65_530));
    let (code, _, err) = spl(&["parse", &q]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cnt"), "{err}");
    assert!(err.contains("line 1, column 65540"), "{err}");
    assert!(
        err.len() < 5_000,
        "the whole line was printed: {} bytes",
        err.len()
    );
}

#[test]
fn a_sort_field_with_a_multibyte_character_parses() {
    let (code, out, err) = spl(&["parse", "| sort Größe, -strß"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Größe"), "{out}");
}

#[test]
fn printf_with_a_huge_precision_is_a_positioned_error() {
    for f in ["%.65536f", "%.65536e", "%.65536g", "%99999999d"] {
        let q = format!("| makeresults | eval x=printf(\"{f}\", 1)");
        let (code, _, err) = spl(&["run", &q, "--now", "0"]);
        assert_eq!(code, 1, "{f}: {err}");
        assert!(err.contains("spl::run::invalid_argument"), "{err}");
        assert!(err.contains("over the limit of 65535"), "{err}");
    }
}

#[test]
fn an_operator_chain_runs_up_to_the_limit_and_is_an_error_past_it() {
    let chain = |n: usize| format!("| makeresults | eval x={}", vec!["1"; n].join("+"));
    let (code, out, err) = spl(&[
        "run",
        &chain(spl_parser::MAX_OPERATORS + 1),
        "--now",
        "0",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(",{}", spl_parser::MAX_OPERATORS + 1)),
        "{out}"
    );
    // over 128 KiB: too long for one command-line argument
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = tmp.path().join("chain.spl");
    std::fs::write(&file, chain(100_000)).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = spl(&["parse", "--query-file", &file.to_string_lossy()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("spl::parse::too_long"), "{err}");
    let long_where = format!("| makeresults | where {}", vec!["x=1"; 6_000].join(" OR "));
    let (code, _, err) = spl(&["run", &long_where, "--now", "0"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("spl::parse::too_long"), "{err}");
}

#[test]
fn json_ast_output_grows_linearly_with_a_chain() {
    let q = format!("| makeresults | eval x={}", vec!["1"; 3_000].join("+"));
    let (code, out, err) = spl(&["parse", "--format", "json", &q]);
    assert_eq!(code, 0, "{err}");
    // about 100 bytes per operand; pretty-printing made it 433 MB
    assert!(out.len() < 1_000_000, "{} bytes", out.len());
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args([
            "run",
            "| makeresults count=200000",
            "--now",
            "0",
            "--format",
            "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spl: {e}"));
    let mut first = [0u8; 16];
    if let Some(out) = child.stdout.as_mut() {
        out.read_exact(&mut first)
            .unwrap_or_else(|e| panic!("read: {e}"));
    }
    drop(child.stdout.take());
    let mut err = String::new();
    if let Some(e) = child.stderr.as_mut() {
        e.read_to_string(&mut err).unwrap_or_default();
    }
    let status = child.wait().unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101), "{err}");
}
