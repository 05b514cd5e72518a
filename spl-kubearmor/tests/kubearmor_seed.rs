//! Seed 004 ("Network forensics") end to end: the seed's own policy text,
//! replayed over fixture telemetry of its simulation, raises exactly the
//! expected alerts, and the first one carries every field of the seed's
//! "Expected Alert". Also: the staged KubeArmor samples and policies.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use serde_json::Value;
use spl_kubearmor::{evaluate, load_policy_file, parse_policies, read_telemetry, EvalOptions};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shared() -> PathBuf {
    repo().join("../shared")
}

fn seed_text() -> String {
    std::fs::read_to_string(shared().join("seeds/004_baac015bfbc5a5b8.txt")).unwrap()
}

/// The YAML between the "Network Forensics" heading and "Simulation".
fn seed_policy_yaml(seed: &str) -> String {
    let start = seed.find("apiVersion:").unwrap();
    let end = seed.find("\nSimulation").unwrap();
    seed[start..end].to_string()
}

/// `Key: value` lines of the "Expected Alert" block.
fn seed_expected_alert(seed: &str) -> Vec<(String, String)> {
    let start = seed.find("Expected Alert").unwrap();
    let end = seed.find("\nReferences").unwrap();
    seed[start..end]
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// How `karmor` printed the JSON value in the seed's text (Go `%v` of decoded JSON).
fn go_print(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            let f = n.as_f64().unwrap();
            if f.abs() >= 1e6 {
                // Go prints large float64 as 1.275441e+06.
                let exp = f.abs().log10().floor() as i32;
                let mant = f / 10f64.powi(exp);
                let m = format!("{mant:.6}");
                let m = m.trim_end_matches('0').trim_end_matches('.');
                format!("{m}e+{exp:02}")
            } else {
                n.to_string()
            }
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_print).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut kv: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect();
            kv.sort();
            format!("map[{}]", kv.join(" "))
        }
        other => other.to_string(),
    }
}

#[test]
fn seed_policy_raises_exactly_the_expected_alerts() {
    let seed = seed_text();
    let policies = parse_policies(&seed_policy_yaml(&seed), "seed-004").unwrap();
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0].name, "ksp-nist-ac-18-1-network-audit");
    let fixture_policy = load_policy_file(
        &repo().join("fixtures/kubearmor/seed/ksp-nist-ac-18-1-network-audit.yaml"),
    )
    .unwrap();
    assert_eq!(fixture_policy[0].rule_count(), policies[0].rule_count());

    let events = read_telemetry(&repo().join("fixtures/kubearmor/seed/telemetry.jsonl")).unwrap();
    let out = evaluate(&policies, &events, &EvalOptions::default());
    assert!(out.unsupported.is_empty());
    assert_eq!(out.evaluated, events.len());
    let flagged: Vec<(usize, &str)> = out
        .alerts
        .iter()
        .map(|a| (a.line, a.get_str("Resource").unwrap()))
        .collect();
    // The `ls` of /etc/network/if-up.d and the `cat` of /proc/net/tcp; not
    // /proc/net/tcp6, a file inside if-up.d, a failed open of audit.log, the
    // mysql pod, the same labels in another namespace, or the node itself.
    assert_eq!(
        flagged,
        vec![(7, "/etc/network/if-up.d"), (9, "/proc/net/tcp")]
    );

    let alert = &out.alerts[0];
    for (key, want) in seed_expected_alert(&seed) {
        let got = alert
            .fields
            .get(&key)
            .unwrap_or_else(|| panic!("alert lacks `{key}`"));
        assert_eq!(go_print(got), want, "field {key}");
    }
    let second = &out.alerts[1];
    assert_eq!(second.get_str("Source"), Some("/bin/cat /proc/net/tcp"));
    assert_eq!(second.get_str("Action"), Some("Audit"));
    assert_eq!(second.get_str("Enforcer"), Some("eBPF Monitor"));
}

#[test]
fn expected_alerts_fixture_is_current() {
    let dir = repo().join("fixtures/kubearmor/seed");
    let policies = load_policy_file(&dir.join("ksp-nist-ac-18-1-network-audit.yaml")).unwrap();
    let events = read_telemetry(&dir.join("telemetry.jsonl")).unwrap();
    let got: String = evaluate(&policies, &events, &EvalOptions::default())
        .alerts
        .iter()
        .map(|a| format!("{}\n", a.to_json()))
        .collect();
    assert_eq!(
        got,
        std::fs::read_to_string(dir.join("expected-alerts.jsonl")).unwrap()
    );
}

#[test]
fn staged_samples_parse_and_staged_policies_load() {
    let ds = shared().join("datasets/kubearmor");
    let events = read_telemetry(&ds.join("kubearmor-doc-events.jsonl")).unwrap();
    assert_eq!(events.len(), 49);
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(ds.join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names {
        match load_policy_file(&p) {
            Ok(ps) => loaded.extend(ps),
            Err(e) => errors.push(e.to_string()),
        }
    }
    assert_eq!(loaded.len(), 7);
    // disc-tools.yaml starts with `Version:` instead of `apiVersion:`; the cluster would reject it too.
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("disc-tools.yaml:1") && errors[0].contains("typo for `apiVersion:`"),
        "{errors:?}"
    );
    let dns = loaded
        .iter()
        .find(|p| p.name == "block-dns-query-to-google")
        .unwrap();
    assert_eq!(dns.unsupported[0].feature, "spec.network.matchDNSQueries");
    // The docs' network events replayed with --include-alerts through the staged policies.
    let opts = EvalOptions {
        include_alerts: true,
        ..EvalOptions::default()
    };
    let out = evaluate(&loaded, &events, &opts);
    assert!(out.evaluated > 30, "{}", out.evaluated);
    // use-cases/res/pkg-tools.yaml blocks apt in app=mysql pods of wordpress-mysql.
    let apt: Vec<&str> = out
        .alerts
        .iter()
        .filter(|a| a.get_str("PolicyName") == Some("harden-mysql-pkg-mngr-exec"))
        .map(|a| a.get_str("Resource").unwrap())
        .collect();
    assert_eq!(apt, vec!["/usr/bin/apt"]);
}
