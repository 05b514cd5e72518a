//! Does a policy apply to an event's workload, and does a rule match the event?
//!
//! Resource matching follows KubeArmor's log-side matcher
//! (`KubeArmor/feeder/policyMatcher.go`, `matchResources` and
//! `UpdateMatchedPolicy`) and the policy specification
//! (`getting-started/security_policy_specification.md`).

use super::event::TelemetryEvent;
use super::policy::ExpressionOperator;
use super::rules::{Expression, Operation, Policy, Rule, Selector, Target};

/// Labels of the node an event came from.
pub(crate) type NodeLabels = Vec<(String, String)>;

/// Whether `policy` governs the workload that produced `ev`.
pub(crate) fn selects(policy: &Policy, ev: &TelemetryEvent, node_labels: &NodeLabels) -> bool {
    if !policy.active {
        return false;
    }
    match &policy.selector {
        Selector::Pods {
            namespace,
            labels,
            containers,
            expressions,
        } => {
            ev.is_container()
                && ev.namespace == *namespace
                && labels.iter().all(|l| ev.labels.contains(l))
                && (containers.is_empty() || containers.contains(&ev.container_name))
                && expressions.iter().all(|e| expression_holds(e, ev))
        }
        Selector::Cluster { expressions } => {
            ev.is_container() && expressions.iter().all(|e| expression_holds(e, ev))
        }
        // KubeArmor's MatchIdentities: an empty identity list matches nothing.
        Selector::Nodes { labels } => {
            !ev.is_container()
                && !labels.is_empty()
                && labels.iter().all(|l| node_labels.contains(l))
        }
    }
}

/// `In`: the workload has one of the values; `NotIn`: it has none of them.
/// Label values are written `key=value`.
fn expression_holds(e: &Expression, ev: &TelemetryEvent) -> bool {
    let hit = if e.on_namespace {
        e.values.contains(&ev.namespace)
    } else {
        e.values.iter().any(|v| match v.split_once('=') {
            Some((k, val)) => ev.labels.iter().any(|(lk, lv)| lk == k && lv == val),
            None => ev.labels.iter().any(|(lk, _)| lk == v),
        })
    };
    match e.operator {
        ExpressionOperator::In => hit,
        ExpressionOperator::NotIn => !hit,
    }
}

/// The directory part of an absolute path, with a trailing `/` (`/a/b` -> `/a/`).
fn dir_of(path: &str) -> Option<&str> {
    if !path.starts_with('/') {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    path.get(..cut + 1)
}

/// Directory containment: `recursive` allows any depth, otherwise only files
/// directly inside `dir`. A path equal to the directory itself (as KubeArmor
/// logs an `opendir` of `dir` without the trailing slash) also matches.
fn in_dir(path: &str, dir: &str, recursive: bool) -> bool {
    if dir == "/" && recursive {
        return path.starts_with('/');
    }
    if format!("{path}/") == dir {
        return true;
    }
    match dir_of(path) {
        Some(parent) if recursive => parent.starts_with(dir),
        Some(parent) => parent == dir,
        None => false,
    }
}

/// The path an event is about: the first word of `Resource` for files, the
/// executable for processes.
fn subject(rule_op: Operation, ev: &TelemetryEvent) -> &str {
    let first_word = ev.resource.split(' ').next().unwrap_or_default();
    match rule_op {
        // Older releases leave ProcessName out of host process events.
        Operation::Process if ev.process_name.is_empty() => first_word,
        Operation::Process => ev.process_name.as_str(),
        _ => first_word,
    }
}

/// `fromSource`: for process/file rules the acting executable or its parent
/// (`ProcessName`/`ParentProcessName`); for network rules the acting
/// executable (`ProcessName`, or the first word of `Source`).
fn source_matches(rule: &Rule, ev: &TelemetryEvent) -> bool {
    if rule.from_source.is_empty() {
        return true;
    }
    rule.from_source.iter().any(|src| match rule.op {
        Operation::Network => {
            *src == ev.process_name
                || ev.source == *src
                || ev.source.starts_with(&format!("{src} "))
        }
        _ => *src == ev.process_name || *src == ev.parent_process_name,
    })
}

/// Whether `rule` covers the event's resource and source (flags aside).
pub(crate) fn rule_matches(rule: &Rule, ev: &TelemetryEvent) -> bool {
    if !source_matches(rule, ev) {
        return false;
    }
    match &rule.target {
        Target::Path(p) => subject(rule.op, ev) == p,
        Target::ExecName(name) => subject(rule.op, ev).ends_with(&format!("/{name}")),
        Target::Dir { dir, recursive } => in_dir(subject(rule.op, ev), dir, *recursive),
        Target::Pattern(g) => {
            g.is_match(subject(rule.op, ev))
                || g.is_match(&ev.resource)
                || g.is_match(&ev.process_name)
        }
        Target::Protocol(p) => {
            p == "all" || network_protocol(&ev.resource).as_deref() == Some(p.as_str())
        }
    }
}

/// A read-only access: `O_RDONLY` in the open flags (reads of directories and
/// files); unlink, rename, writes... carry no `O_RDONLY`.
pub(crate) fn is_read(ev: &TelemetryEvent) -> bool {
    ev.data
        .split(|c: char| c.is_whitespace() || c == '|' || c == '=' || c == ',')
        .any(|t| t == "O_RDONLY")
}

/// The accessing user owns the file. The owner is the event's `OID` when the
/// exporter recorded one, else root (0), the usual owner of image files.
pub(crate) fn is_owner(ev: &TelemetryEvent) -> bool {
    match ev.uid {
        Some(uid) => uid == ev.owner_uid.unwrap_or(0),
        None => false,
    }
}

/// The protocol a network event's socket uses, named as in `matchProtocols`.
///
/// Reads the `domain=`, `type=` and `protocol=` words of `Resource`
/// (`domain=AF_INET type=SOCK_STREAM|SOCK_NONBLOCK protocol=0`). An explicit
/// protocol decides (number or name: 6/TCP, 17/UDP, 1/ICMP, 58/ICMPv6,
/// 132/SCTP); protocol 0 (`HOPOPT`, "the default for the type") maps
/// SOCK_STREAM to tcp and SOCK_DGRAM to udp as KubeArmor's `fetchProtocol`
/// does; otherwise the socket type names it (raw, stream, dgram, rdm,
/// seqpacket, dccp, packet). Events without a socket type (connect/accept
/// with `sa_family=... sin_port=...`) have no protocol and only match `all`.
pub(crate) fn network_protocol(resource: &str) -> Option<String> {
    let mut ty: Option<&str> = None;
    let mut proto: Option<&str> = None;
    let mut domain: Option<&str> = None;
    for word in resource.split_whitespace() {
        if let Some((k, v)) = word.split_once('=') {
            match k {
                "type" => ty = Some(v),
                "protocol" => proto = Some(v),
                "domain" => domain = Some(v),
                _ => {}
            }
        }
    }
    let explicit = match proto.map(|p| p.to_ascii_uppercase()).as_deref() {
        Some("6") | Some("TCP") => Some("tcp"),
        Some("17") | Some("UDP") => Some("udp"),
        Some("1") | Some("ICMP") => Some("icmp"),
        Some("58") | Some("ICMPV6") => Some("icmpv6"),
        Some("132") | Some("SCTP") => Some("sctp"),
        _ => None,
    };
    if let Some(p) = explicit {
        return Some(p.to_string());
    }
    let types: Vec<&str> = ty.map(|t| t.split('|').collect()).unwrap_or_default();
    let default_proto = matches!(
        proto.map(|p| p.to_ascii_uppercase()).as_deref(),
        Some("0") | Some("HOPOPT")
    );
    if domain == Some("AF_PACKET") || types.contains(&"SOCK_PACKET") {
        return Some(
            if types.contains(&"SOCK_RAW") {
                "raw"
            } else {
                "packet"
            }
            .to_string(),
        );
    }
    let name = if types.contains(&"SOCK_STREAM") {
        if default_proto {
            "tcp"
        } else {
            "stream"
        }
    } else if types.contains(&"SOCK_DGRAM") {
        if default_proto {
            "udp"
        } else {
            "dgram"
        }
    } else if types.contains(&"SOCK_RAW") {
        "raw"
    } else if types.contains(&"SOCK_RDM") {
        "rdm"
    } else if types.contains(&"SOCK_SEQPACKET") {
        "seqpacket"
    } else if types.contains(&"SOCK_DCCP") {
        "dccp"
    } else {
        return None;
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_depth() {
        assert!(in_dir("/etc/ssl/certs", "/etc/ssl/", false));
        assert!(!in_dir("/etc/ssl/certs/a.pem", "/etc/ssl/", false));
        assert!(in_dir("/etc/ssl/certs/a.pem", "/etc/ssl/", true));
        assert!(in_dir("/etc/ssl", "/etc/ssl/", false));
        assert!(!in_dir("/etc/sslx/a", "/etc/ssl/", true));
        assert!(in_dir("/anything/at/all", "/", true));
        assert!(!in_dir("relative/path", "/", false));
    }

    #[test]
    fn protocols_from_resource() {
        let p = |r: &str| network_protocol(r);
        assert_eq!(
            p("domain=AF_INET type=SOCK_STREAM|SOCK_NONBLOCK protocol=0").as_deref(),
            Some("tcp")
        );
        assert_eq!(
            p("domain=AF_INET6 type=SOCK_DGRAM protocol=0").as_deref(),
            Some("udp")
        );
        assert_eq!(
            p("domain=AF_INET type=SOCK_RAW protocol=1").as_deref(),
            Some("icmp")
        );
        assert_eq!(
            p("domain=AF_INET6 type=SOCK_RAW protocol=58").as_deref(),
            Some("icmpv6")
        );
        assert_eq!(
            p("domain=AF_INET type=SOCK_DGRAM protocol=UDP").as_deref(),
            Some("udp")
        );
        assert_eq!(
            p("domain=AF_INET type=SOCK_STREAM protocol=TCP").as_deref(),
            Some("tcp")
        );
        assert_eq!(
            p("domain=AF_PACKET type=SOCK_RAW protocol=768").as_deref(),
            Some("raw")
        );
        assert_eq!(
            p("domain=AF_INET type=SOCK_RAW protocol=255").as_deref(),
            Some("raw")
        );
        assert_eq!(p("sa_family=AF_INET sin_port=53 sin_addr=10.0.0.10"), None);
    }
}
