//! Inputs that once crashed the `spl` binary (issue: robustness): each is
//! now an answer or a positioned error, never a panic (exit code 101).

use std::process::Command;

fn spl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("spl: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

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
