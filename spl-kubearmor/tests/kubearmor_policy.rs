//! KubeArmor policy evaluation: each rule kind with matching and non-matching
//! events, selectors, actions, allow-lists and default postures, metadata
//! inheritance, and malformed policies.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use serde_json::{json, Value};
use spl_kubearmor::{
    evaluate, parse_policies, parse_telemetry, Alert, EvalOptions, Policy, Posture, PostureAction,
};

/// A container event of pod `web-1` (namespace `shop`, labels `app=web,tier=front`)
/// reading `/etc/passwd` with `/bin/cat`; `over` replaces or adds fields.
fn ev(over: Value) -> Value {
    let mut base = json!({
        "Timestamp": 1700000000, "UpdatedTime": "2023-11-14T22:13:20.000000Z",
        "ClusterName": "default", "HostName": "node-1", "NamespaceName": "shop",
        "PodName": "web-1", "Labels": "app=web,tier=front", "ContainerID": "c1", "ContainerName": "web",
        "HostPID": 100, "PID": 10, "UID": 0,
        "ParentProcessName": "/bin/bash", "ProcessName": "/bin/cat", "Type": "ContainerLog",
        "Source": "/bin/cat /etc/passwd", "Operation": "File", "Resource": "/etc/passwd",
        "Data": "syscall=SYS_OPENAT fd=-100 flags=O_RDONLY", "Result": "Passed"
    });
    if let (Value::Object(b), Value::Object(o)) = (&mut base, over) {
        for (k, v) in o {
            if v.is_null() {
                b.remove(&k);
            } else {
                b.insert(k, v);
            }
        }
    }
    base
}

fn file_ev(resource: &str) -> Value {
    ev(json!({"Resource": resource, "Source": format!("/bin/cat {resource}")}))
}

fn proc_ev(exe: &str, parent: &str) -> Value {
    ev(
        json!({"Operation": "Process", "ProcessName": exe, "ParentProcessName": parent,
              "Source": parent, "Resource": exe, "Data": "syscall=SYS_EXECVE"}),
    )
}

fn net_ev(exe: &str, resource: &str) -> Value {
    ev(
        json!({"Operation": "Network", "ProcessName": exe, "Source": format!("{exe} example.com"),
              "Resource": resource, "Data": "syscall=SYS_SOCKET"}),
    )
}

/// A `KubeArmorPolicy` named `name` in `shop` selecting `app: web`, with `body` under `spec:`.
fn ksp(name: &str, body: &str) -> String {
    format!(
        "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n{}",
        indent(body)
    )
}

fn indent(body: &str) -> String {
    body.lines().map(|l| format!("  {l}\n")).collect()
}

fn load(yaml: &str) -> Vec<Policy> {
    parse_policies(yaml, "test.yaml").unwrap()
}

fn run_with(policies: &[Policy], events: &[Value], opts: &EvalOptions) -> Vec<Alert> {
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    let evs = parse_telemetry(&text, "t.jsonl").unwrap();
    evaluate(policies, &evs, opts).alerts
}

/// `(event line, PolicyName, Action, Result)` per alert.
fn summary(alerts: &[Alert]) -> Vec<(usize, String, String, String)> {
    alerts
        .iter()
        .map(|a| {
            let s = |k| a.get_str(k).unwrap_or_default().to_string();
            (a.line, s("PolicyName"), s("Action"), s("Result"))
        })
        .collect()
}

fn run(yaml: &str, events: &[Value]) -> Vec<(usize, String, String, String)> {
    summary(&run_with(&load(yaml), events, &EvalOptions::default()))
}

fn audit(line: usize, policy: &str) -> (usize, String, String, String) {
    (line, policy.into(), "Audit".into(), "Passed".into())
}

fn block(line: usize, policy: &str) -> (usize, String, String, String) {
    (
        line,
        policy.into(),
        "Block".into(),
        "Permission denied".into(),
    )
}

#[test]
fn file_match_paths() {
    let p = ksp(
        "paths",
        "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    );
    let events = [
        file_ev("/etc/passwd"),
        file_ev("/etc/passwd2"),
        file_ev("/etc/passwd.d/x"),
        file_ev("/etc/shadow"),
    ];
    assert_eq!(run(&p, &events), vec![audit(1, "paths")]);
}

#[test]
fn file_match_directories_with_and_without_recursive() {
    let flat = ksp(
        "flat",
        "file:\n  matchDirectories:\n  - dir: /etc/ssl/\naction: Audit",
    );
    let deep = ksp(
        "deep",
        "file:\n  matchDirectories:\n  - dir: /etc/ssl/\n    recursive: true\naction: Audit",
    );
    let events = [
        file_ev("/etc/ssl/openssl.cnf"),
        file_ev("/etc/ssl/certs/ca.pem"),
        file_ev("/etc/ssl"),
        file_ev("/etc/sslx/a"),
        file_ev("/etc/passwd"),
    ];
    assert_eq!(
        run(&flat, &events),
        vec![audit(1, "flat"), audit(3, "flat")]
    );
    assert_eq!(
        run(&deep, &events),
        vec![audit(1, "deep"), audit(2, "deep"), audit(3, "deep")]
    );
}

#[test]
fn file_match_patterns_are_apparmor_globs() {
    let p = ksp(
        "keys",
        "file:\n  matchPatterns:\n  - pattern: /**/*.key\n  - pattern: /tmp/*\naction: Audit",
    );
    let events = [
        file_ev("/etc/ssl/private/server.key"),
        file_ev("/etc/ssl/server.pem"),
        file_ev("/tmp/x"),
        file_ev("/tmp/a/b"),
    ];
    assert_eq!(run(&p, &events), vec![audit(1, "keys"), audit(3, "keys")]);
}

#[test]
fn file_read_only_blocks_writes_only() {
    let p = ksp("ro", "file:\n  matchDirectories:\n  - dir: /etc/\n    recursive: true\n    readOnly: true\naction: Block");
    let write = ev(
        json!({"Resource": "/etc/hosts", "Data": "syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_CREAT|O_TRUNC"}),
    );
    let unlink = ev(json!({"Resource": "/etc/hosts", "Data": "syscall=SYS_UNLINKAT flags="}));
    let alerts = run_with(
        &load(&p),
        &[file_ev("/etc/hosts"), write, unlink],
        &EvalOptions::default(),
    );
    assert_eq!(summary(&alerts), vec![block(2, "ro"), block(3, "ro")]);
    assert_eq!(alerts[0].get_str("Enforcer"), Some("BPFLSM"));
}

#[test]
fn owner_only_uses_uid_and_the_recorded_owner() {
    let p = ksp(
        "own",
        "file:\n  matchPaths:\n  - path: /data/db\n    ownerOnly: true\naction: Block",
    );
    let root = ev(json!({"Resource": "/data/db", "UID": 0}));
    let other = ev(json!({"Resource": "/data/db", "UID": 1000}));
    let owner = ev(json!({"Resource": "/data/db", "UID": 1000, "OID": 1000}));
    let not_owner = ev(json!({"Resource": "/data/db", "UID": 0, "OID": 1000}));
    assert_eq!(
        run(&p, &[root, other, owner, not_owner]),
        vec![block(2, "own"), block(4, "own")]
    );
}

#[test]
fn from_source_for_file_rules_checks_the_process_or_its_parent() {
    let p = ksp(
        "src",
        "file:\n  matchPaths:\n  - path: /etc/shadow\n    fromSource:\n    - path: /bin/cat\naction: Audit",
    );
    let cat = file_ev("/etc/shadow");
    let less = ev(
        json!({"Resource": "/etc/shadow", "ProcessName": "/usr/bin/less", "Source": "/usr/bin/less /etc/shadow"}),
    );
    let child_of_cat = ev(
        json!({"Resource": "/etc/shadow", "ProcessName": "/bin/sh", "ParentProcessName": "/bin/cat"}),
    );
    assert_eq!(
        run(&p, &[cat, less, child_of_cat]),
        vec![audit(1, "src"), audit(3, "src")]
    );
}

#[test]
fn process_match_paths_and_execname() {
    let p = ksp(
        "pkg",
        "process:\n  matchPaths:\n  - path: /usr/bin/apt\n  - execname: dpkg\naction: Block",
    );
    let events = [
        proc_ev("/usr/bin/apt", "/bin/bash"),
        proc_ev("/usr/bin/apt-get", "/bin/bash"),
        proc_ev("/usr/local/bin/dpkg", "/bin/bash"),
        proc_ev("/usr/bin/dpkg-query", "/bin/bash"),
        file_ev("/usr/bin/apt"),
    ];
    assert_eq!(run(&p, &events), vec![block(1, "pkg"), block(3, "pkg")]);
}

#[test]
fn process_directories_patterns_and_from_source() {
    let dirs = ksp(
        "sbin",
        "process:\n  matchDirectories:\n  - dir: /usr/sbin/\n  - dir: /opt/tools/\n    recursive: true\naction: Audit",
    );
    let events = [
        proc_ev("/usr/sbin/iptables", "/bin/bash"),
        proc_ev("/usr/sbin/extra/tool", "/bin/bash"),
        proc_ev("/opt/tools/a/b/run", "/bin/bash"),
        proc_ev("/usr/bin/id", "/bin/bash"),
    ];
    assert_eq!(
        run(&dirs, &events),
        vec![audit(1, "sbin"), audit(3, "sbin")]
    );
    let pats = ksp(
        "py",
        "process:\n  matchPatterns:\n  - pattern: /usr/bin/python*\naction: Audit",
    );
    let events = [
        proc_ev("/usr/bin/python3.6", "/bin/bash"),
        proc_ev("/usr/local/bin/python3", "/bin/bash"),
    ];
    assert_eq!(run(&pats, &events), vec![audit(1, "py")]);
    let src = ksp(
        "sleep",
        "process:\n  matchPaths:\n  - path: /bin/sleep\n    fromSource:\n    - path: /bin/bash\naction: Block",
    );
    let events = [
        proc_ev("/bin/sleep", "/bin/bash"),
        proc_ev("/bin/sleep", "/bin/dash"),
    ];
    assert_eq!(run(&src, &events), vec![block(1, "sleep")]);
}

#[test]
fn process_owner_only() {
    let p = ksp(
        "own",
        "process:\n  matchPaths:\n  - path: /app/run\n    ownerOnly: true\naction: Block",
    );
    let as_root = ev(json!({"Operation": "Process", "ProcessName": "/app/run", "UID": 0}));
    let as_user = ev(json!({"Operation": "Process", "ProcessName": "/app/run", "UID": 1000}));
    assert_eq!(run(&p, &[as_root, as_user]), vec![block(2, "own")]);
}

#[test]
fn network_match_protocols() {
    let icmp = ksp(
        "icmp",
        "network:\n  matchProtocols:\n  - protocol: icmp\naction: Audit",
    );
    let events = [
        net_ev("/bin/ping", "domain=AF_INET type=SOCK_RAW protocol=1"),
        net_ev(
            "/usr/bin/curl",
            "domain=AF_INET type=SOCK_STREAM|SOCK_NONBLOCK protocol=0",
        ),
        net_ev("/bin/ping", "domain=AF_INET type=SOCK_DGRAM protocol=ICMP"),
    ];
    assert_eq!(
        run(&icmp, &events),
        vec![audit(1, "icmp"), audit(3, "icmp")]
    );
    let tcp_curl = ksp(
        "curl-tcp",
        "network:\n  matchProtocols:\n  - protocol: TCP\n    fromSource:\n    - path: /usr/bin/curl\naction: Block",
    );
    let events = [
        net_ev(
            "/usr/bin/curl",
            "domain=AF_INET type=SOCK_STREAM protocol=0",
        ),
        net_ev(
            "/usr/bin/wget",
            "domain=AF_INET type=SOCK_STREAM protocol=0",
        ),
        net_ev("/usr/bin/curl", "domain=AF_INET type=SOCK_DGRAM protocol=0"),
    ];
    assert_eq!(run(&tcp_curl, &events), vec![block(1, "curl-tcp")]);
    let raw = ksp(
        "raw",
        "network:\n  matchProtocols:\n  - protocol: raw\naction: Block",
    );
    let events = [
        net_ev(
            "/usr/sbin/tcpdump",
            "domain=AF_PACKET type=SOCK_RAW protocol=768",
        ),
        net_ev(
            "/usr/bin/curl",
            "domain=AF_INET type=SOCK_STREAM protocol=6",
        ),
    ];
    assert_eq!(run(&raw, &events), vec![block(1, "raw")]);
}

#[test]
fn network_all_and_comma_lists() {
    let all = ksp(
        "all",
        "network:\n  matchProtocols:\n  - protocol: all\naction: Audit",
    );
    let connect = ev(
        json!({"Operation": "Network", "Resource": "sa_family=AF_INET sin_port=53 sin_addr=10.0.0.10",
                            "Data": "syscall=SYS_CONNECT fd=3"}),
    );
    assert_eq!(
        run(&all, &[connect.clone(), file_ev("/etc/x")]),
        vec![audit(1, "all")]
    );
    let tcp = ksp(
        "tcp",
        "network:\n  matchProtocols:\n  - protocol: tcp,udp\naction: Audit",
    );
    let events = [
        connect,
        net_ev("/bin/x", "domain=AF_INET6 type=SOCK_DGRAM protocol=0"),
        net_ev("/bin/x", "domain=AF_INET type=SOCK_STREAM protocol=0"),
    ];
    assert_eq!(run(&tcp, &events), vec![audit(2, "tcp"), audit(3, "tcp")]);
}

#[test]
fn allow_lists_apply_the_default_posture_per_operation_kind() {
    let p = load(&ksp(
        "app-only",
        "file:\n  matchDirectories:\n  - dir: /app/\n    recursive: true\naction: Allow",
    ));
    let events = [
        file_ev("/app/conf/settings.json"),
        file_ev("/etc/passwd"),
        net_ev(
            "/usr/bin/curl",
            "domain=AF_INET type=SOCK_STREAM protocol=0",
        ),
        proc_ev("/bin/ls", "/bin/bash"),
    ];
    let audit_posture = run_with(&p, &events, &EvalOptions::default());
    assert_eq!(summary(&audit_posture), vec![audit(2, "DefaultPosture")]);
    assert_eq!(audit_posture[0].get_str("Enforcer"), Some("eBPF Monitor"));
    assert_eq!(audit_posture[0].get_str("Severity"), None);
    let blocking = EvalOptions {
        posture: Posture {
            file: PostureAction::Block,
            ..Posture::default()
        },
        ..EvalOptions::default()
    };
    assert_eq!(
        summary(&run_with(&p, &events, &blocking)),
        vec![block(2, "DefaultPosture")]
    );
    // A namespace annotation overrides the global posture.
    let mut per_ns = EvalOptions::default();
    per_ns.namespace_posture.insert(
        "shop".into(),
        Posture {
            file: PostureAction::Block,
            ..Posture::default()
        },
    );
    assert_eq!(
        summary(&run_with(&p, &events, &per_ns)),
        vec![block(2, "DefaultPosture")]
    );
}

#[test]
fn network_allow_list_like_the_default_posture_guide() {
    let p = load(&ksp(
        "tcp-curl",
        "network:\n  matchProtocols:\n  - protocol: tcp\n    fromSource:\n    - path: /usr/bin/curl\naction: Allow",
    ));
    let events = [
        net_ev(
            "/usr/bin/curl",
            "domain=AF_INET type=SOCK_STREAM protocol=0",
        ),
        net_ev(
            "/usr/bin/curl",
            "domain=AF_INET6 type=SOCK_DGRAM protocol=0",
        ),
        net_ev(
            "/usr/bin/wget",
            "domain=AF_INET type=SOCK_STREAM protocol=0",
        ),
        file_ev("/etc/passwd"),
    ];
    assert_eq!(
        summary(&run_with(&p, &events, &EvalOptions::default())),
        vec![audit(2, "DefaultPosture"), audit(3, "DefaultPosture")]
    );
    let blocking = EvalOptions {
        posture: Posture {
            network: PostureAction::Block,
            ..Posture::default()
        },
        ..EvalOptions::default()
    };
    assert_eq!(
        summary(&run_with(&p, &events, &blocking)),
        vec![block(2, "DefaultPosture"), block(3, "DefaultPosture")]
    );
}

#[test]
fn block_wins_over_allow_and_audit_and_first_policy_wins() {
    let yaml = [
        ksp(
            "allow-etc",
            "file:\n  matchDirectories:\n  - dir: /etc/\n    recursive: true\naction: Allow",
        ),
        ksp(
            "audit-shadow",
            "file:\n  matchPaths:\n  - path: /etc/shadow\naction: Audit",
        ),
        ksp(
            "block-shadow",
            "file:\n  matchPaths:\n  - path: /etc/shadow\naction: Block",
        ),
        ksp(
            "audit-passwd-1",
            "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
        ),
        ksp(
            "audit-passwd-2",
            "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
        ),
    ]
    .join("---\n");
    let events = [
        file_ev("/etc/shadow"),
        file_ev("/etc/passwd"),
        file_ev("/etc/hosts"),
    ];
    assert_eq!(
        run(&yaml, &events),
        vec![block(1, "block-shadow"), audit(2, "audit-passwd-1")]
    );
}

#[test]
fn audit_rules_inside_a_blocking_allow_list_become_posture_blocks() {
    let yaml = [
        ksp(
            "allow-app",
            "file:\n  matchPaths:\n  - path: /app/run\naction: Allow",
        ),
        ksp(
            "audit-passwd",
            "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
        ),
    ]
    .join("---\n");
    let opts = EvalOptions {
        posture: Posture {
            file: PostureAction::Block,
            ..Posture::default()
        },
        ..EvalOptions::default()
    };
    let alerts = run_with(
        &load(&yaml),
        &[file_ev("/etc/passwd"), file_ev("/app/run")],
        &opts,
    );
    assert_eq!(summary(&alerts), vec![block(1, "DefaultPosture")]);
}

#[test]
fn results_other_than_passed_or_denied_are_never_matched() {
    let audit_p = ksp(
        "a",
        "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    );
    let block_p = ksp(
        "b",
        "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Block",
    );
    let missing = ev(json!({"Result": "No such file or directory"}));
    let denied = ev(json!({"Result": "Operation not permitted"}));
    assert_eq!(run(&audit_p, &[missing.clone(), denied.clone()]), vec![]);
    // Trimmed exports without `Result` count as passed.
    assert_eq!(
        run(&audit_p, &[ev(json!({"Result": null}))]),
        vec![audit(1, "a")]
    );
    assert_eq!(
        run(&block_p, &[missing, denied]),
        vec![(
            2,
            "b".into(),
            "Block".into(),
            "Operation not permitted".into()
        )]
    );
}

#[test]
fn severity_tags_message_and_action_inherit_rule_then_section_then_policy() {
    let yaml = ksp(
        "inherit",
        "severity: 3\ntags: [policy-tag]\nmessage: policy message\naction: Audit\nfile:\n  action: Block\n  matchPaths:\n  - path: /etc/shadow\n    severity: 9\n    tags: [rule-a, rule-b]\n  - path: /etc/passwd\n    message: rule message\n    action: Audit",
    );
    let alerts = run_with(
        &load(&yaml),
        &[file_ev("/etc/shadow"), file_ev("/etc/passwd")],
        &EvalOptions::default(),
    );
    let f = |i: usize, k: &str| alerts[i].get_str(k).map(str::to_string);
    assert_eq!(f(0, "Action").as_deref(), Some("Block"));
    assert_eq!(f(0, "Severity").as_deref(), Some("9"));
    assert_eq!(f(0, "Tags").as_deref(), Some("rule-a,rule-b"));
    assert_eq!(alerts[0].fields["ATags"], json!(["rule-a", "rule-b"]));
    assert_eq!(f(0, "Message").as_deref(), Some("policy message"));
    assert_eq!(f(1, "Action").as_deref(), Some("Audit"));
    assert_eq!(f(1, "Severity").as_deref(), Some("3"));
    assert_eq!(f(1, "Tags").as_deref(), Some("policy-tag"));
    assert_eq!(f(1, "Message").as_deref(), Some("rule message"));
    // Nothing set: severity 1, action Block, no tags or message.
    let bare = ksp("bare", "file:\n  matchPaths:\n  - path: /etc/shadow");
    let alerts = run_with(
        &load(&bare),
        &[file_ev("/etc/shadow")],
        &EvalOptions::default(),
    );
    assert_eq!(alerts[0].get_str("Severity"), Some("1"));
    assert_eq!(alerts[0].get_str("Action"), Some("Block"));
    assert!(alerts[0].get_str("Tags").is_none() && alerts[0].get_str("Message").is_none());
}

#[test]
fn selectors_labels_namespace_expressions_and_container_names() {
    let rule = "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit";
    let both = format!(
        "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {{name: both, namespace: shop}}\nspec:\n  selector:\n    matchLabels: {{app: web, tier: back}}\n{}",
        indent(rule)
    );
    assert_eq!(run(&both, &[file_ev("/etc/passwd")]), vec![]);
    let other_ns = ev(json!({"NamespaceName": "billing"}));
    let p = ksp("ns", rule);
    assert_eq!(
        run(&p, &[other_ns, file_ev("/etc/passwd")]),
        vec![audit(2, "ns")]
    );
    let exprs = |op: &str| {
        format!(
            "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {{name: expr, namespace: shop}}\nspec:\n  selector:\n    matchExpressions:\n    - key: label\n      operator: {op}\n      values: [tier=front, app=db]\n{}",
            indent(rule)
        )
    };
    let db = ev(json!({"Labels": "app=db"}));
    let other = ev(json!({"Labels": "app=cache"}));
    assert_eq!(
        run(
            &exprs("In"),
            &[file_ev("/etc/passwd"), db.clone(), other.clone()]
        ),
        vec![audit(1, "expr"), audit(2, "expr")]
    );
    assert_eq!(
        run(&exprs("NotIn"), &[file_ev("/etc/passwd"), db, other]),
        vec![audit(3, "expr")]
    );
    let named = format!(
        "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {{name: named, namespace: shop}}\nspec:\n  selector:\n    matchLabels:\n      kubearmor.io/container.name: \"[web, sidecar]\"\n{}",
        indent(rule)
    );
    let istio = ev(json!({"ContainerName": "istio-proxy"}));
    assert_eq!(
        run(&named, &[istio, file_ev("/etc/passwd")]),
        vec![audit(2, "named")]
    );
}

#[test]
fn lower_case_actions_and_default_namespace() {
    let p = "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: lc}\nspec:\n  selector: {matchLabels: {app: web}}\n  file:\n    matchPaths: [{path: /etc/passwd}]\n  action: audit\n";
    let policies = load(p);
    assert_eq!(policies[0].namespace.as_deref(), Some("default"));
    let in_default = ev(json!({"NamespaceName": "default"}));
    assert_eq!(
        run(p, &[file_ev("/etc/passwd"), in_default]),
        vec![audit(2, "lc")]
    );
}

#[test]
fn cluster_policies_select_namespaces_and_labels() {
    let cp = |op: &str| {
        format!(
            "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorClusterPolicy\nmetadata: {{name: cp}}\nspec:\n  selector:\n    matchExpressions:\n    - key: namespace\n      operator: {op}\n      values: [shop]\n  file:\n    matchPaths:\n    - path: /etc/passwd\n  action: Audit\n"
        )
    };
    let billing = ev(json!({"NamespaceName": "billing"}));
    let host =
        ev(json!({"Type": "HostLog", "ContainerID": null, "PodName": null, "NamespaceName": null}));
    assert_eq!(
        run(
            &cp("In"),
            &[file_ev("/etc/passwd"), billing.clone(), host.clone()]
        ),
        vec![audit(1, "cp")]
    );
    assert_eq!(
        run(&cp("NotIn"), &[file_ev("/etc/passwd"), billing, host]),
        vec![audit(2, "cp")]
    );
}

#[test]
fn host_policies_select_nodes() {
    let hsp = "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorHostPolicy\nmetadata: {name: hsp-sleep}\nspec:\n  nodeSelector:\n    matchLabels:\n      kubernetes.io/hostname: node-1\n  process:\n    matchPaths:\n    - path: /usr/bin/sleep\n  action: Block\n";
    let host = |node: &str| {
        ev(
            json!({"Type": "HostLog", "ContainerID": null, "PodName": null, "NamespaceName": null, "Labels": null,
                  "HostName": node, "Operation": "Process", "ProcessName": "/usr/bin/sleep", "Resource": "/usr/bin/sleep 10"}),
        )
    };
    let in_pod = ev(json!({"Operation": "Process", "ProcessName": "/usr/bin/sleep"}));
    let alerts = run_with(
        &load(hsp),
        &[host("node-1"), host("node-2"), in_pod],
        &EvalOptions::default(),
    );
    assert_eq!(summary(&alerts), vec![block(1, "hsp-sleep")]);
    assert_eq!(alerts[0].get_str("Type"), Some("MatchedHostPolicy"));
    let by_role = hsp.replace("kubernetes.io/hostname: node-1", "role: db");
    let opts = EvalOptions {
        node_labels: vec![(Some("node-2".into()), "role".into(), "db".into())],
        ..EvalOptions::default()
    };
    assert_eq!(
        summary(&run_with(
            &load(&by_role),
            &[host("node-1"), host("node-2")],
            &opts
        )),
        vec![block(2, "hsp-sleep")]
    );
}

#[test]
fn host_allow_rules_need_from_source() {
    let hsp = "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorHostPolicy\nmetadata: {name: hsp-allow}\nspec:\n  nodeSelector:\n    matchLabels: {kubernetes.io/hostname: node-1}\n  process:\n    matchPaths:\n    - path: /usr/bin/ls\n    - path: /usr/bin/sleep\n      fromSource:\n      - path: /usr/bin/bash\n  action: Allow\n";
    let p = load(hsp);
    assert_eq!(p[0].rule_count(), 1);
    assert_eq!(p[0].unsupported[0].line, 13);
    assert!(p[0].unsupported[0]
        .to_string()
        .contains("ignores Allow rules without fromSource"));
    let host = |exe: &str, parent: &str| {
        ev(
            json!({"Type": "HostLog", "ContainerID": null, "PodName": null, "NamespaceName": null, "Labels": null,
                  "Operation": "Process", "ProcessName": exe, "ParentProcessName": parent, "Resource": exe}),
        )
    };
    let events = [
        host("/usr/bin/sleep", "/usr/bin/bash"),
        host("/usr/bin/sleep", "/usr/bin/zsh"),
    ];
    assert_eq!(
        summary(&run_with(&p, &events, &EvalOptions::default())),
        vec![audit(2, "DefaultPosture")]
    );
}

#[test]
fn inactive_policies_and_replayed_alerts() {
    let inactive = ksp(
        "off",
        "status: Inactive\nfile:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    );
    assert_eq!(run(&inactive, &[file_ev("/etc/passwd")]), vec![]);
    let p = load(&ksp(
        "new",
        "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    ));
    let old_alert = ev(
        json!({"Type": "MatchedPolicy", "PolicyName": "old", "Severity": "5", "Tags": "x", "ATags": ["x"],
                              "Message": "old message", "Enforcer": "eBPF Monitor", "Action": "Audit"}),
    );
    let skipped = parse_telemetry(&format!("{old_alert}\n"), "t").unwrap();
    let out = evaluate(&p, &skipped, &EvalOptions::default());
    assert!(out.alerts.is_empty());
    assert_eq!(out.skipped.get("Type=MatchedPolicy"), Some(&1));
    let replay = EvalOptions {
        include_alerts: true,
        ..EvalOptions::default()
    };
    let alerts = evaluate(&p, &skipped, &replay).alerts;
    assert_eq!(alerts[0].get_str("PolicyName"), Some("new"));
    assert_eq!(alerts[0].get_str("Severity"), Some("1"));
    assert!(alerts[0].get_str("Tags").is_none() && alerts[0].get_str("Message").is_none());
}

#[test]
fn alert_keeps_the_event_fields_in_kubearmor_order() {
    let p = load(&ksp(
        "p",
        "file:\n  matchPaths:\n  - path: /etc/passwd\naction: Audit",
    ));
    let e =
        ev(json!({"Cwd": "/", "Owner": {"Ref": "Deployment", "Name": "web", "Namespace": "shop"}}));
    let alerts = run_with(&p, &[e], &EvalOptions::default());
    let keys: Vec<&str> = alerts[0].fields.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "Timestamp",
            "UpdatedTime",
            "ClusterName",
            "HostName",
            "NamespaceName",
            "Owner",
            "PodName",
            "Labels",
            "ContainerID",
            "ContainerName",
            "HostPID",
            "PID",
            "UID",
            "ParentProcessName",
            "ProcessName",
            "PolicyName",
            "Severity",
            "Type",
            "Source",
            "Operation",
            "Resource",
            "Data",
            "Enforcer",
            "Action",
            "Result",
            "Cwd"
        ]
    );
}
