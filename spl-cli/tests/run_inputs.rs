//! `spl run` on inputs that must not pass silently: subsearches of an empty
//! main search, data kinds, files of no accepted format (issue 11, section 6).

use std::path::PathBuf;
use std::process::Command;

/// Runs `spl` with `args`; returns (exit code, stdout, stderr).
fn spl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run spl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("spl-cli-run-inputs-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

#[test]
fn subsearch_of_an_empty_main_search_is_planned() {
    for q in [
        "| makeresults | where 1=2 | join x [| tstats count by x]",
        "| makeresults | where 1=2 | append [| tstats count by x]",
        "| makeresults | where 1=2 | appendpipe [ tstats count by x ]",
        "| makeresults | where 1=2 | map search=\"| tstats count\"",
        "| multisearch [| makeresults | where 1=2] [| tstats count]",
    ] {
        let (code, stdout, stderr) = spl(&["run", q, "--now", "0"]);
        assert_eq!(code, 1, "{q}: {stdout}{stderr}");
        assert!(
            stderr.contains("spl::run::unsupported_command") && stderr.contains("`tstats`"),
            "{q}: {stderr}"
        );
    }
}

#[test]
fn subsearch_run_time_errors_are_reported() {
    let (code, _, stderr) = spl(&[
        "run",
        "| makeresults | where 1=2 | join x [| makeresults | eval x=1 | outputlookup no/such]",
        "--now",
        "0",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no/such"), "{stderr}");
}

fn repo(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn parquet_with_metric_columns_serves_mstats() {
    let data = format!(
        "path={},index=kubernetes_metrics,format=parquet",
        repo("fixtures/data/k8s-network-anomalous.parquet")
    );
    let q = "| mstats count(_value) AS n WHERE index=kubernetes_metrics";
    let (code, stdout, stderr) = spl(&["run", q, "--data", &data, "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let n: u64 = stdout
        .lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    assert!(n > 0, "{stdout}");

    // Read as events, the same file leaves mstats with nothing, and says why.
    let data = format!("{data},kind=events");
    let (code, stdout, stderr) = spl(&["run", q, "--data", &data, "--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.trim().is_empty() || !stdout.contains(','),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("warning[spl::run::mstats_events_index]: mstats searches index `kubernetes_metrics`, which holds only events"),
        "{stderr}"
    );
}

#[test]
fn text_of_no_data_format_exits_2_naming_the_file() {
    let dir = scratch("sniff");
    let xml = dir.join("events.xml");
    std::fs::write(&xml, "<?xml version=\"1.0\"?>\n<Events><Event/></Events>\n").expect("write");
    let log = dir.join("syslog");
    std::fs::write(
        &log,
        "May  1 12:00:00 host sshd[1]: Accepted password for bob\n",
    )
    .expect("write");
    for p in [&xml, &log] {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let p = p.to_string_lossy();
        let (code, stdout, stderr) = spl(&["run", "index=main | stats count", "--data", &p]);
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        // miette wraps long lines behind a `│` gutter
        let flat = stderr
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains("spl::data::invalid"), "{stderr}");
        // (the path may be wrapped at a `-`; its file name is whole)
        assert!(flat.contains(&*name), "{stderr}");
        assert!(flat.contains("format=csv"), "{stderr}");
    }
}
