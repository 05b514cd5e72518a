//! What the CLI test files share.

// each test file uses only some of these
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// Runs the `spl` binary without colour: (exit code, stdout, stderr).
pub fn spl(args: &[&str]) -> (i32, String, String) {
    spl_env(args, &[])
}

/// [`spl`] with extra environment variables (`SPL_HINTS=always`, ...).
pub fn spl_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(args)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("spl: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh scratch directory named `<prefix>-<random>`: created exclusively
/// with an unpredictable name (mode 0700), so nothing planted at a guessable
/// path is followed; kept after the test, for a failing test's files to be
/// looked at.
pub fn scratch(prefix: &str) -> PathBuf {
    tempfile::Builder::new()
        .prefix(&format!("{prefix}-"))
        .tempdir()
        .unwrap_or_else(|e| panic!("scratch dir: {e}"))
        .keep()
}
