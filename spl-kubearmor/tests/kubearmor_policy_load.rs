//! Loading KubeArmor policies: malformed files, invalid values and misplaced
//! selectors are errors naming file and line; multi-document files keep
//! absolute lines; unsupported rule kinds are reported, not ignored.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use spl_kubearmor::{evaluate, parse_policies, parse_telemetry, EvalOptions, Policy};

/// A `KubeArmorPolicy` named `name` in `shop` selecting `app: web`, with `body` under `spec:`.
fn ksp(name: &str, body: &str) -> String {
    let body: String = body.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n{body}"
    )
}

fn load(yaml: &str) -> Vec<Policy> {
    parse_policies(yaml, "test.yaml").unwrap()
}

fn load_err(yaml: &str) -> String {
    parse_policies(yaml, "bad.yaml").unwrap_err().to_string()
}

#[test]
fn malformed_policies_name_file_and_line() {
    let e = load_err(
        "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: x\n",
    );
    assert!(
        e.starts_with("bad.yaml:") && e.contains("invalid policy"),
        "{e}"
    );
    let e = load_err("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
    assert_eq!(
        e,
        "bad.yaml:2 (field `kind`): not a KubeArmor policy: expected `kind: KubeArmorPolicy`, `KubeArmorHostPolicy` or `KubeArmorClusterPolicy`, found `Deployment`"
    );
    let e = load_err("- a\n- b\n");
    assert!(
        e.contains("bad.yaml:1") && e.contains("found a sequence"),
        "{e}"
    );
    let e = load_err(
        "apiVersion: security.kubearmor.com/v2\nkind: KubeArmorPolicy\nmetadata: {name: x}\n",
    );
    assert!(e.contains("bad.yaml:1 (field `apiVersion`): expected `apiVersion: security.kubearmor.com/v1`, found `security.kubearmor.com/v2`"), "{e}");
    let e = load_err(
        "Version: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: x}\n",
    );
    assert!(
        e.contains("found no `apiVersion` (is `Version:` a typo for `apiVersion:`?)"),
        "{e}"
    );
    let e = load_err("apiVersion: security.kubearmor.com/v1\nmetadata: {name: x}\n");
    assert!(e.contains("found no `kind`"), "{e}");
}

#[test]
fn invalid_values_point_at_their_line() {
    let doc = |body: &str| ksp("v", body);
    let cases = [
        (
            "file:\n  matchPaths:\n  - path: etc/passwd",
            12,
            "expected an absolute path",
        ),
        (
            "file:\n  matchDirectories:\n  - dir: /etc",
            12,
            "ending with `/`",
        ),
        (
            "severity: 11",
            10,
            "severity must be between 1 and 10, found 11",
        ),
        ("action: Deny", 10, "unknown variant `Deny`"),
        (
            "network:\n  matchProtocols:\n  - protocol: quic",
            12,
            "found `quic`",
        ),
        (
            "file:\n  matchPath:\n  - path: /etc/passwd",
            11,
            "unknown field `matchPath`",
        ),
        (
            "process:\n  matchDirectories:\n  - dir: /bin/\n    readOnly: true",
            13,
            "only allowed in file rules",
        ),
        (
            "process:\n  matchPaths:\n  - ownerOnly: true",
            11,
            "exactly one of `path` or `execname`",
        ),
        (
            "file:\n  matchPatterns:\n  - pattern: /a/[bc",
            12,
            "unclosed `[`",
        ),
    ];
    for (body, line, text) in cases {
        let e = load_err(&doc(body));
        assert!(
            e.starts_with(&format!("bad.yaml:{line}")) && e.contains(text),
            "{body}: {e}"
        );
    }
}

#[test]
fn kind_specific_selectors() {
    let e = load_err("apiVersion: security.kubearmor.com/v1\nkind: KubeArmorHostPolicy\nmetadata: {name: h}\nspec:\n  selector:\n    matchLabels: {app: x}\n");
    assert!(
        e.contains("bad.yaml:5") && e.contains("selects nodes with `nodeSelector`"),
        "{e}"
    );
    let e = load_err("apiVersion: security.kubearmor.com/v1\nkind: KubeArmorHostPolicy\nmetadata: {name: h}\nspec:\n  action: Block\n");
    assert!(e.contains("needs `spec.nodeSelector.matchLabels`"), "{e}");
    let e = load_err("apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: k}\nspec:\n  nodeSelector:\n    matchLabels: {a: b}\n");
    assert!(
        e.contains("bad.yaml:5") && e.contains("belongs to KubeArmorHostPolicy"),
        "{e}"
    );
    let e = load_err("apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: k, namespace: n}\nspec:\n  selector:\n    matchExpressions:\n    - key: namespace\n      operator: In\n      values: [n]\n");
    assert!(
        e.contains("bad.yaml:7") && e.contains("only allowed in KubeArmorClusterPolicy"),
        "{e}"
    );
    let e = load_err("apiVersion: security.kubearmor.com/v1\nkind: KubeArmorNetworkPolicy\nmetadata: {name: n}\n");
    assert!(
        e.contains("bad.yaml:2") && e.contains("KubeArmorNetworkPolicy"),
        "{e}"
    );
}

#[test]
fn multi_document_files_keep_absolute_lines() {
    let good = ksp(
        "one",
        "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    );
    let text = format!(
        "# comment\n---\n{good}---\n\n---\n{}",
        ksp("two", "action: Nope")
    );
    let e = load_err(&text);
    // Lines: 1 comment, 2 ---, 3..15 first policy, 16 ---, 17 blank, 18 ---, policy two's action on line 28.
    assert!(e.starts_with("bad.yaml:28: "), "{e}");
    let ok = parse_policies(
        &format!("---\n{good}...\n---\n{}", ksp("two", "action: Block")),
        "ok.yaml",
    )
    .unwrap();
    assert_eq!(
        ok.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        vec!["one", "two"]
    );
    assert_eq!((ok[0].line, ok[1].line), (1, 16));
}

#[test]
fn unsupported_parts_are_reported_not_ignored() {
    let yaml = ksp(
        "mixed",
        "capabilities:\n  matchCapabilities:\n  - capability: net_raw\nsyscalls:\n  matchSyscalls:\n  - syscall: [unlink]\nnetwork:\n  matchDNSQueries:\n  - domain: google.com\nfile:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    );
    let p = load(&yaml);
    let notes: Vec<(usize, &str)> = p[0]
        .unsupported
        .iter()
        .map(|u| (u.line, u.feature.as_str()))
        .collect();
    assert_eq!(
        notes,
        vec![
            (10, "spec.capabilities"),
            (13, "spec.syscalls"),
            (17, "spec.network.matchDNSQueries")
        ]
    );
    assert!(p[0].unsupported[0]
        .to_string()
        .starts_with("test.yaml:10: policy `mixed`: spec.capabilities is not evaluated"));
    let event = r#"{"Type":"ContainerLog","NamespaceName":"shop","PodName":"web-1","Labels":"app=web","ContainerID":"c1","Operation":"File","Resource":"/etc/passwd","Data":"syscall=SYS_OPENAT flags=O_RDONLY","Result":"Passed"}"#;
    let out = evaluate(
        &p,
        &parse_telemetry(event, "t").unwrap(),
        &EvalOptions::default(),
    );
    assert_eq!(out.unsupported.len(), 3);
    assert_eq!(out.alerts.len(), 1);
}

#[test]
fn malformed_telemetry_names_file_line_and_field() {
    let e = parse_telemetry("{\"Type\":\"ContainerLog\"}\nnot json\n", "t.jsonl")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.jsonl:2: invalid JSON"), "{e}");
    let e = parse_telemetry("{\"UID\": \"root\"}\n", "t.jsonl")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "t.jsonl:1 (field `UID`): expected an integer, found a string"
    );
    let e = parse_telemetry("{\"Labels\": [\"app=x\"]}\n", "t.jsonl")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "t.jsonl:1 (field `Labels`): expected a string, found an array"
    );
}
