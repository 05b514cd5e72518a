//! `spl run --explain` and the zero-result hints (issue 16 item 1): per-stage
//! counts, the JSON metadata, and the fact that explains each of the
//! issue's silent zeros. Hints need a terminal; these tests force them with
//! `SPL_HINTS=always`.

mod common;
use common::{spl, spl_env};
use std::path::PathBuf;

fn repo(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

/// Five events (2024-04-30 10:00 to 14:00 UTC), two with status 404.
fn five() -> String {
    repo("fixtures/explain/five.jsonl")
}

/// Runs `spl` with `SPL_HINTS` set: (exit code, stdout, stderr).
fn spl_hints(hints: &str, args: &[&str]) -> (i32, String, String) {
    spl_env(args, &[("SPL_HINTS", hints)])
}

/// The stage rows of the `--explain` table: (#, rows in, rows out, batches
/// in, batches out, stage text), the time left out.
fn stage_rows(stderr: &str) -> Vec<Vec<String>> {
    stderr
        .lines()
        .skip_while(|l| *l != "explain: stages")
        .skip(2)
        .take_while(|l| !l.starts_with("explain:"))
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let mut row: Vec<String> = w.iter().take(5).map(|s| s.to_string()).collect();
            row.push(w.get(6..).unwrap_or_default().join(" "));
            row
        })
        .collect()
}

const WHERE_STATS: &str = "* | where status=\"404\" | stats count by action";

#[test]
fn stage_counts_on_five_events() {
    let (code, stdout, stderr) = spl(&["run", WHERE_STATS, "--data", &five(), "--explain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("read   | 2"), "{stdout}");
    assert_eq!(
        stage_rows(&stderr),
        [
            ["1", "-", "5", "-", "1", "*"],
            ["2", "5", "2", "1", "1", "where status=\"404\""],
            ["3", "2", "1", "1", "1", "stats count by action"],
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("  data: 5 events read from 1 source\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("_time 2024-04-30T10:00:00.000+00:00 .. 2024-04-30T14:00:00.000+00:00"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  time range: all time: excludes 0 of 5 events"),
        "{stderr}"
    );
}

#[test]
fn json_metadata_has_the_same_numbers() {
    let (code, stdout, stderr) = spl(&[
        "run",
        WHERE_STATS,
        "--data",
        &five(),
        "--explain",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(doc["results"][0]["action"], "read");
    assert_eq!(doc["results"][0]["count"], "2");
    let stages = doc["metadata"]["explain"]["stages"]
        .as_array()
        .expect("stages");
    let json_rows: Vec<Vec<String>> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = |k: &str| match &s[k] {
                serde_json::Value::Null => "-".to_string(),
                v => v.to_string(),
            };
            vec![
                (i + 1).to_string(),
                n("rows_in"),
                n("rows_out"),
                n("batches_in"),
                n("batches_out"),
                s["text"].as_str().unwrap_or_default().to_string(),
            ]
        })
        .collect();
    assert_eq!(json_rows, stage_rows(&stderr));
    let base = &doc["metadata"]["explain"]["base"];
    assert_eq!(base["events_read"], 5);
    assert_eq!(base["datasets"][0]["earliest"], 1714471200.0);
    assert_eq!(base["time"]["origin"], "all_time");
    // without --explain the JSON output stays the bare array of rows
    let (_, stdout, _) = spl(&["run", WHERE_STATS, "--data", &five(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert!(doc.is_array(), "{stdout}");
}

#[test]
fn off_by_default_and_when_rows_come_back() {
    let (code, _, stderr) = spl(&["run", WHERE_STATS, "--data", &five()]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // hints forced on print nothing when the search found events
    let (code, _, stderr) = spl_hints("always", &["run", WHERE_STATS, "--data", &five()]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // and forced off print nothing on a zero
    let args = ["run", "* | where status=\"500\"", "--data", &five()];
    let (code, stdout, stderr) = spl_hints("never", &args);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let (code, _, stderr) = spl_hints("sometimes", &args);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("SPL_HINTS must be always, never or auto"),
        "{stderr}"
    );
}

#[test]
fn hint_time_range_excluding_everything() {
    // last year's export searched over the last 7 days
    let (code, stdout, stderr) = spl_hints(
        "always",
        &[
            "run",
            "* | stats count",
            "--data",
            &five(),
            "--now",
            "2025-05-01T00:00:00Z",
            "--earliest",
            "-7d",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0"), "{stdout}");
    assert!(
        stderr.starts_with("hint: the base search matched no events. What it saw:\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "  time range: 2025-04-24T00:00:00.000+00:00 .. 2025-05-01T00:00:00.000+00:00 \
             (from --earliest/--latest): excludes 5 of 5 events\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("_time 2024-04-30T10:00:00.000+00:00"),
        "{stderr}"
    );
    // a bound written in the search is named as its origin
    let (_, _, stderr) = spl_hints(
        "always",
        &[
            "run",
            "* earliest=-7d | stats count",
            "--data",
            &five(),
            "--now",
            "2025-05-01T00:00:00Z",
        ],
    );
    assert!(
        stderr.contains("(from earliest=/latest= in the search): excludes 5 of 5 events"),
        "{stderr}"
    );
}

#[test]
fn hint_time_field_that_no_event_has() {
    let data = format!("path={},time_field=nosuch", five());
    let (code, _, stderr) = spl_hints(
        "always",
        &[
            "run",
            "* | stats count",
            "--data",
            &data,
            "--now",
            "2024-05-01T00:00:00Z",
            "--earliest",
            "-7d",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("      5 of them without _time (no timestamp found, or time_field= names a field they lack)\n"),
        "{stderr}"
    );
    assert!(stderr.contains("excludes 5 of 5 events"), "{stderr}");
}

#[test]
fn hint_source_mismatch_through_the_seed_macro() {
    // `kube_audit` expands to source="kubernetes"; the data spec gave none
    let data = repo("fixtures/data/k8s-audit-anomalous.jsonl");
    let (code, _, stderr) = spl_hints(
        "always",
        &[
            "run",
            "`kube_audit` | stats count",
            "--macros",
            &repo("fixtures/macros/macros.conf"),
            "--data",
            &data,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "  term source=\"kubernetes\": excludes 170 of 170 events (source values: {data})\n"
        )),
        "{stderr}"
    );
    // with the source the macro expects, nothing to hint
    let (_, stdout, stderr) = spl_hints(
        "always",
        &[
            "run",
            "`kube_audit` | stats count",
            "--macros",
            &repo("fixtures/macros/macros.conf"),
            "--data",
            &format!("path={data},source=kubernetes"),
        ],
    );
    assert_eq!(stderr, "");
    assert!(stdout.contains("170"), "{stdout}");
}

#[test]
fn hint_misspelled_field_with_near_miss() {
    let (code, stdout, stderr) = spl_hints(
        "always",
        &["run", "* | stats count by user", "--data", &five()],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("(0 rows)"), "{stdout}");
    assert!(
        stderr.starts_with("hint: the search returned no results. What its base search saw:\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "  field user (used by stats): no event has it; did you mean user.username?\n"
        ),
        "{stderr}"
    );
    // case: a where on `Status` when events have `status`
    let (_, _, stderr) = spl_hints(
        "always",
        &["run", "* | where Status=\"404\"", "--data", &five()],
    );
    assert!(
        stderr.contains("  field Status (used by where): no event has it; did you mean status?\n"),
        "{stderr}"
    );
}

#[test]
fn no_data_is_an_error_before_any_hint() {
    // a search that reads events without --data stops with an input error
    // (spl-cli/tests/cli_frictions.rs), so no hint is needed for it
    let (code, _, stderr) = spl_hints("always", &["run", "* | stats count"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no --data was given"), "{stderr}");
    assert!(!stderr.contains("data: none given"), "{stderr}");
}
