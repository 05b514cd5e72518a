//! The four seed detections, verbatim from security_content, run through
//! `spl run --format jsonl` over the generated fixtures and must return exactly
//! the rows the independent oracle (`fixtures/oracle/seeds.py`) computed — for
//! the data that fires and the data that stays quiet, from CSV and Parquet,
//! on 1 and 2 threads.
//!
//! The fixtures hold points exactly on and just before every window boundary
//! and after `now` (fixtures/README.md), placed so that a wrong window rule
//! changes these rows: `earliest` alone not ending at `now` (issue 11), an
//! inclusive `latest`, an exclusive `earliest`, all time stopping at `now`.

use std::path::{Path, PathBuf};
use std::process::Command;

const NOW: &str = "2024-05-01T12:00:00Z";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spl"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run spl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/expected").join(name)).expect("expected file")
}

fn run_detection(detection: &str, extra: &[&str]) -> String {
    let det = format!("fixtures/detections/{detection}.yml");
    let mut args = vec![
        "run",
        "--detection",
        &det,
        "--macros",
        "fixtures/macros/security_content",
        "--now",
        NOW,
        "--format",
        "jsonl",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = spl(&args);
    assert_eq!(code, 0, "{detection}: {err}");
    out
}

/// Thread counts every detection runs with.
const THREADS: [&str; 2] = ["1", "2"];

/// Runs the detection on each thread count; each must print `expected/<name>`.
fn assert_detection(detection: &str, extra: &[&str], name: &str, what: &str) {
    let want = expected(name);
    for t in THREADS {
        let mut args = extra.to_vec();
        args.extend_from_slice(&["--threads", t]);
        assert_eq!(
            run_detection(detection, &args),
            want,
            "{detection}: {what}, threads={t}: expected fixtures/expected/{name}"
        );
    }
}

fn network_detection(detection: &str, seed: &str) {
    for variant in ["anomalous", "quiet"] {
        for ext in ["metrics.csv", "parquet"] {
            let data =
                format!("path=fixtures/data/k8s-network-{variant}.{ext},index=kubernetes_metrics");
            assert_detection(
                detection,
                &["--data", &data],
                &format!("{seed}-{variant}.jsonl"),
                &format!("{variant} {ext}"),
            );
        }
    }
    assert!(!expected(&format!("{seed}-anomalous.jsonl")).is_empty());
}

#[test]
fn outbound_network_activity() {
    network_detection(
        "kubernetes_anomalous_outbound_network_activity_from_process",
        "outbound",
    );
}

/// Partitions are merged in order, so the thread count never changes a
/// result, down to the last digit of an average.
#[test]
fn outbound_threads_agree() {
    for ext in ["metrics.csv", "parquet"] {
        let data =
            format!("path=fixtures/data/k8s-network-anomalous.{ext},index=kubernetes_metrics");
        let det = "kubernetes_anomalous_outbound_network_activity_from_process";
        let one = run_detection(det, &["--data", &data, "--threads", "1"]);
        for t in ["3", "8"] {
            assert_eq!(
                run_detection(det, &["--data", &data, "--threads", t]),
                one,
                "{ext} threads={t}"
            );
        }
        assert_eq!(one, expected("outbound-anomalous.jsonl"), "{ext}");
    }
}

#[test]
fn inbound_network_activity() {
    network_detection(
        "kubernetes_anomalous_inbound_network_activity_from_process",
        "inbound",
    );
}

/// No time range in the search and none on the command line: all time,
/// which includes the events after `now` (one scanner fires only with them).
#[test]
fn scanning_by_unauthenticated_ip_address() {
    for variant in ["anomalous", "quiet"] {
        let data = format!(
            "path=fixtures/data/k8s-audit-{variant}.jsonl,source=kubernetes,sourcetype=_json"
        );
        assert_detection(
            "kubernetes_scanning_by_unauthenticated_ip_address",
            &[
                "--data",
                &data,
                "--geoip",
                "fixtures/geoip/GeoLite2-City-Test.mmdb",
            ],
            &format!("scanning-{variant}.jsonl"),
            variant,
        );
    }
    assert!(!expected("scanning-anomalous.jsonl").is_empty());
}

/// The baseline over `--earliest -30d@d --latest -1d@d` writes the lookup
/// (equal to the committed one), then the detection over `--earliest -1h`
/// alone (which must end at `now`) reads it.
#[test]
fn io_ratio_baseline_then_detection() {
    let committed = std::fs::read_to_string(
        root().join("fixtures/lookups/k8s_container_network_io_ratio_baseline.csv"),
    )
    .expect("lookup");
    for variant in ["anomalous", "quiet"] {
        for ext in ["metrics.csv", "parquet"] {
            let data =
                format!("path=fixtures/data/k8s-pod-io-{variant}.{ext},index=kubernetes_metrics");
            for t in THREADS {
                let what = format!("{variant} {ext} threads={t}");
                // a fresh private directory, removed on drop
                let tmp = tempfile::Builder::new()
                    .prefix(&format!("spl-seeds-lookups-{variant}-{ext}-{t}-"))
                    .tempdir()
                    .expect("temp dir");
                let dir = tmp.path();
                let lk = dir.to_string_lossy().into_owned();
                let (code, out, err) = spl(&[
                    "run",
                    "--query-file",
                    "fixtures/oracle/searches/io-ratio-baseline.spl",
                    "--macros",
                    "fixtures/macros/security_content",
                    "--now",
                    NOW,
                    "--earliest",
                    "-30d@d",
                    "--latest",
                    "-1d@d",
                    "--threads",
                    t,
                    "--lookups",
                    &lk,
                    "--format",
                    "jsonl",
                    "--data",
                    &data,
                ]);
                assert_eq!(code, 0, "{what}: {err}");
                assert_eq!(out, expected("io-ratio-baseline.jsonl"), "baseline: {what}");
                let written = std::fs::read_to_string(
                    dir.join("k8s_container_network_io_ratio_baseline.csv"),
                )
                .expect("lookup written");
                assert_eq!(written, committed, "baseline lookup: {what}");
                let out = run_detection(
                    "kubernetes_anomalous_inbound_to_outbound_network_io_ratio",
                    &[
                        "--earliest",
                        "-1h",
                        "--threads",
                        t,
                        "--lookups",
                        &lk,
                        "--data",
                        &data,
                    ],
                );
                assert_eq!(
                    out,
                    expected(&format!("io-ratio-{variant}.jsonl")),
                    "detection: {what}"
                );
            }
        }
    }
    assert!(!expected("io-ratio-anomalous.jsonl").is_empty());
}
