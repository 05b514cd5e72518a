//! Replaying telemetry through policies: which alert, if any, KubeArmor would
//! have raised for each recorded event had the policies been in force.
//!
//! Per event, among the rules of the policies that select its workload and
//! govern its operation kind (`Process`, `File`, `Network`), in policy-file
//! order:
//! 1. a matching `Block` rule the access violates: the access is denied, alert
//!    `Action: Block`, `Result: Permission denied`, `Enforcer` = the configured
//!    enforcer (`BPFLSM` by default);
//! 2. otherwise, when the workload has `Allow` rules of that kind (allow-list
//!    mode, `getting-started/consideration_in_policy_action.md`) and none
//!    permits the access, the default posture applies
//!    (`getting-started/default_posture.md`): `block` denies it
//!    (`PolicyName: DefaultPosture`, `Action: Block`);
//! 3. otherwise a matching `Audit` rule raises an `Action: Audit` alert
//!    (`Enforcer: eBPF Monitor`) with the recorded result;
//! 4. otherwise an `audit` default posture raises `PolicyName: DefaultPosture`,
//!    `Action: Audit`.
//!
//! As in KubeArmor's matcher, audit alerts need `Result: Passed`, and events
//! whose result is neither `Passed` nor a permission error (e.g. `No such file
//! or directory`) are never matched. Process and file accesses use the file
//! posture; network accesses the network posture.

use super::alert::{build, Alert, Verdict};
use super::event::TelemetryEvent;
use super::matcher::{is_owner, is_read, rule_matches, selects, NodeLabels};
use super::policy::Action;
use super::rules::{Operation, Policy, Rule, Unsupported};
use std::collections::BTreeMap;

/// A default posture: what happens to accesses an allow-list does not cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostureAction {
    /// Alert and let them through (KubeArmor's global default).
    Audit,
    /// Deny them and alert.
    Block,
}

/// The default posture for each resource kind (process accesses use `file`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posture {
    /// Process and file accesses (`kubearmor-file-posture`).
    pub file: PostureAction,
    /// Network accesses (`kubearmor-network-posture`).
    pub network: PostureAction,
    /// Capabilities (`kubearmor-capabilities-posture`); not evaluated yet.
    pub capabilities: PostureAction,
}

impl Default for Posture {
    fn default() -> Self {
        Posture {
            file: PostureAction::Audit,
            network: PostureAction::Audit,
            capabilities: PostureAction::Audit,
        }
    }
}

/// Evaluation settings.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Global default posture.
    pub posture: Posture,
    /// Per-namespace postures (the namespace annotations), overriding `posture`.
    pub namespace_posture: BTreeMap<String, Posture>,
    /// `Enforcer` written on blocked accesses (`BPFLSM`, `AppArmor`, `SELinux`).
    pub enforcer: String,
    /// Also replay events already recorded as alerts (`MatchedPolicy`,
    /// `MatchedHostPolicy`), their old policy fields dropped.
    pub include_alerts: bool,
    /// Node labels for host policies: `(host or None for every host, key, value)`.
    /// Every host also has `kubernetes.io/hostname=<HostName>`.
    pub node_labels: Vec<(Option<String>, String, String)>,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            posture: Posture::default(),
            namespace_posture: BTreeMap::new(),
            enforcer: "BPFLSM".to_string(),
            include_alerts: false,
            node_labels: Vec::new(),
        }
    }
}

/// The outcome of replaying telemetry through policies.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Alerts, in telemetry order.
    pub alerts: Vec<Alert>,
    /// Policy parts that were not evaluated.
    pub unsupported: Vec<Unsupported>,
    /// Events replayed through the policies.
    pub evaluated: usize,
    /// Events not replayed, counted by reason.
    pub skipped: BTreeMap<String, usize>,
}

/// Replays `events` through `policies`.
pub fn evaluate(policies: &[Policy], events: &[TelemetryEvent], opts: &EvalOptions) -> Evaluation {
    let mut out = Evaluation {
        unsupported: policies
            .iter()
            .flat_map(|p| p.unsupported.iter().cloned())
            .collect(),
        ..Evaluation::default()
    };
    for ev in events {
        let replayable = match ev.event_type.as_str() {
            "ContainerLog" | "HostLog" => true,
            "MatchedPolicy" | "MatchedHostPolicy" => opts.include_alerts,
            _ => false,
        };
        if !replayable {
            let t = if ev.event_type.is_empty() {
                "(none)"
            } else {
                ev.event_type.as_str()
            };
            *out.skipped.entry(format!("Type={t}")).or_default() += 1;
            continue;
        }
        let Some(op) = Operation::from_event(&ev.operation) else {
            let o = if ev.operation.is_empty() {
                "(none)"
            } else {
                ev.operation.as_str()
            };
            *out.skipped.entry(format!("Operation={o}")).or_default() += 1;
            continue;
        };
        out.evaluated += 1;
        if let Some(alert) = evaluate_event(policies, ev, op, opts) {
            out.alerts.push(alert);
        }
    }
    out
}

fn node_labels_for(ev: &TelemetryEvent, opts: &EvalOptions) -> NodeLabels {
    let mut labels = vec![("kubernetes.io/hostname".to_string(), ev.host_name.clone())];
    for (host, k, v) in &opts.node_labels {
        if host.as_deref().is_none_or(|h| h == ev.host_name) {
            labels.push((k.clone(), v.clone()));
        }
    }
    labels
}

/// A Block/Audit rule applies to the access unless its flags exempt it:
/// `readOnly` exempts reads, `ownerOnly` exempts the owner.
fn violates(rule: &Rule, ev: &TelemetryEvent) -> bool {
    let read_ok = rule.read_only && is_read(ev);
    let owner_ok = rule.owner_only && is_owner(ev);
    match (rule.read_only, rule.owner_only) {
        (false, false) => true,
        (true, false) => !read_ok,
        (false, true) => !owner_ok,
        (true, true) => !(read_ok && owner_ok),
    }
}

/// An Allow rule permits the access when its flags hold.
fn permits(rule: &Rule, ev: &TelemetryEvent) -> bool {
    (!rule.read_only || is_read(ev)) && (!rule.owner_only || is_owner(ev))
}

fn evaluate_event(
    policies: &[Policy],
    ev: &TelemetryEvent,
    op: Operation,
    opts: &EvalOptions,
) -> Option<Alert> {
    let result = if ev.result.is_empty() {
        "Passed"
    } else {
        ev.result.as_str()
    };
    let passed = result == "Passed";
    if !passed && result != "Permission denied" && result != "Operation not permitted" {
        return None;
    }
    let nodes = if ev.is_container() {
        Vec::new()
    } else {
        node_labels_for(ev, opts)
    };
    let mut block: Option<(&Policy, &Rule)> = None;
    let mut audit: Option<(&Policy, &Rule)> = None;
    let mut allow_mode = false;
    let mut allowed = false;
    for policy in policies.iter().filter(|p| selects(p, ev, &nodes)) {
        for rule in policy.rules.iter().filter(|r| r.op == op) {
            if rule.action == Action::Allow {
                allow_mode = true;
            }
            if !rule_matches(rule, ev) {
                continue;
            }
            match rule.action {
                Action::Allow => allowed |= permits(rule, ev),
                Action::Block if block.is_none() && violates(rule, ev) => {
                    block = Some((policy, rule))
                }
                Action::Audit if audit.is_none() && violates(rule, ev) => {
                    audit = Some((policy, rule))
                }
                _ => {}
            }
        }
    }
    let alert_type = if ev.is_container() {
        "MatchedPolicy"
    } else {
        "MatchedHostPolicy"
    };
    let denied = if passed { "Permission denied" } else { result };
    let from_rule =
        |policy: &'_ Policy, rule: &Rule, enforcer: &str, action: &str, result: &str| {
            let v = Verdict {
                alert_type,
                policy_name: &policy.name,
                severity: Some(rule.severity),
                tags: &rule.tags,
                message: &rule.message,
                enforcer,
                action,
                result: Some(result),
            };
            build(&ev.file, ev.line, &ev.object, &v)
        };
    if let Some((policy, rule)) = block {
        return Some(from_rule(policy, rule, &opts.enforcer, "Block", denied));
    }
    let posture = opts
        .namespace_posture
        .get(&ev.namespace)
        .copied()
        .unwrap_or(opts.posture);
    let posture_action = match op {
        Operation::Network => posture.network,
        Operation::Process | Operation::File => posture.file,
    };
    let default_posture = |action: &str, result: &str| {
        let v = Verdict {
            alert_type,
            policy_name: "DefaultPosture",
            severity: None,
            tags: &[],
            message: "",
            enforcer: "eBPF Monitor",
            action,
            result: Some(result),
        };
        build(&ev.file, ev.line, &ev.object, &v)
    };
    let posture_violation = allow_mode && !allowed;
    if posture_violation && posture_action == PostureAction::Block {
        return Some(default_posture("Block", denied));
    }
    if !passed {
        return None;
    }
    if let Some((policy, rule)) = audit {
        return Some(from_rule(policy, rule, "eBPF Monitor", "Audit", result));
    }
    if posture_violation {
        return Some(default_posture("Audit", result));
    }
    None
}
