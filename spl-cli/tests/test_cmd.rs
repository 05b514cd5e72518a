//! `spl test` end to end: the summary line, exit codes, diffs, `--bless`, and
//! a seed detection YAML with local tests.
#![allow(clippy::unwrap_used)] // tests may unwrap

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

fn spl_test(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .arg("test")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}
mod common;

/// A scratch directory for one test, removed first if left over.
fn scratch(name: &str) -> PathBuf {
    common::scratch(&format!("spl-cli-test-{name}"))
}

const CASE: &str = "now 2024-05-01T12:00:00Z

events web index=web
host | n:num
a    | 1
b    | 2

query rowsort
index=web | stats sum(n) as total by host
----
host | total
a    | 1
b    | 2
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn broken_expectation_shows_diff_and_bless_restores_it() {
    let dir = scratch("bless");
    let good = write(&dir, "sum.spltest", CASE);
    let p = good.to_str().unwrap();
    let (code, out) = spl_test(&[p]);
    assert_eq!((code, last_line(&out)), (0, "1 passed, 0 failed"), "{out}");

    let (head, tail) = CASE.rsplit_once("b    | 2\n").unwrap();
    std::fs::write(&good, format!("{head}b    | 3\n{tail}")).unwrap();
    let (code, out) = spl_test(&[p]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(last_line(&out), "0 passed, 1 failed");
    assert!(out.contains(&format!("FAIL {p}:8")), "{out}");
    assert!(out.contains("- b    | 3\n+ b    | 2\n"), "{out}");

    let (code, out) = spl_test(&[p, "--bless"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("blessed {p}:8")), "{out}");
    assert_eq!(std::fs::read_to_string(&good).unwrap(), CASE);
    let (code, out) = spl_test(&[p]);
    assert_eq!((code, last_line(&out)), (0, "1 passed, 0 failed"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bless_fills_a_missing_expected_block() {
    let dir = scratch("fill");
    let head = CASE.split("----").next().unwrap().to_string();
    let f = write(&dir, "new.spltest", &head);
    let p = f.to_str().unwrap();
    let (code, out) = spl_test(&[p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no expected block"), "{out}");
    let (code, _) = spl_test(&[p, "--bless"]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&f).unwrap(), CASE);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn skipped_cases_are_counted_and_missing_paths_fail() {
    let dir = scratch("skip");
    let text = CASE.replace("query rowsort", "skip not ready\nquery rowsort");
    let f = write(&dir, "skip.spltest", &text);
    let (code, out) = spl_test(&[f.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(last_line(&out), "0 passed, 0 failed, 1 skipped");
    let missing = dir.join("nope.spltest");
    let (code, out) = spl_test(&[missing.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(last_line(&out), "0 passed, 1 failed");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seed_detection_runs_its_local_tests() {
    let yml = repo("fixtures/detections/kubernetes_scanning_by_unauthenticated_ip_address.yml");
    let (code, out) = spl_test(&[yml.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(last_line(&out), "2 passed, 0 failed, 1 skipped", "{out}");
    assert!(out.contains("cannot be fetched offline"), "{out}");
}

#[test]
fn detection_without_expected_file_needs_one_row() {
    let dir = scratch("det");
    let data = repo("fixtures/data/k8s-audit-quiet.jsonl");
    let yml = format!(
        "name: t\nsearch: 'source=kubernetes \"responseStatus.code\"=403 | stats count by verb'\ntests:\n- name: quiet\n  attack_data:\n  - data: {}\n    source: kubernetes\n    sourcetype: _json\n",
        data.display()
    );
    let f = write(&dir, "det.yml", &yml);
    let p = f.to_str().unwrap();
    let (code, out) = spl_test(&[p, "--now", "2024-05-01T12:00:00Z"]);
    // The quiet log has authenticated 403s, so at least one row: pass.
    assert_eq!((code, last_line(&out)), (0, "1 passed, 0 failed"), "{out}");
    // An expected file that disagrees fails with a diff naming it.
    write(&dir, "det.expected", "verb | count\nget  | 999999\n");
    let (code, out) = spl_test(&[p, "--now", "2024-05-01T12:00:00Z"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("det.expected"), "{out}");
    assert!(out.contains("- get  | 999999"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn detection_tests_take_apps() {
    let dir = scratch("apps");
    // raw web events whose `src` exists only through the app's FIELDALIAS
    let log = write(
        &dir,
        "access.log",
        "2024-05-01T11:00:00Z 10.0.0.1 GET /login status=401 user=alice clientip=10.0.0.1\n\
         2024-05-01T11:01:00Z 10.0.0.2 POST /login status=200 user=bob clientip=10.0.0.2\n",
    );
    let yml = format!(
        "name: t\nsearch: 'sourcetype=web_auth src=10.0.0.1 | stats count by user'\ntests:\n- name: alias\n  attack_data:\n  - data: {}\n    source: /var/log/web/access.log\n    sourcetype: web_auth\n",
        log.display()
    );
    let f = write(&dir, "det.yml", &yml);
    write(&dir, "det.expected", "user  | count\nalice | 1\n");
    let p = f.to_str().unwrap();
    let apps = repo("fixtures/apps");
    let (code, out) = spl_test(&[
        p,
        "--now",
        "2024-05-02T00:00:00Z",
        "--apps",
        apps.to_str().unwrap(),
    ]);
    assert_eq!((code, last_line(&out)), (0, "1 passed, 0 failed"), "{out}");
    // without the apps there is no `src`: no rows, and the expected file fails
    let (code, out) = spl_test(&[p, "--now", "2024-05-02T00:00:00Z"]);
    assert_eq!(code, 1, "{out}");
    // a path that is no directory is an error naming the option
    let (code, out) = spl_test(&[p, "--apps", "/nonexistent/apps"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--apps"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
