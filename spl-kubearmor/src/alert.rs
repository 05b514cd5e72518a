//! Alerts in KubeArmor's own JSON shape (`protobuf/kubearmor.proto`, message
//! `Alert`), so a policy author can diff them against what `karmor logs --json`
//! prints on a cluster.

use serde_json::{Map, Value};

/// Key order of KubeArmor's `Alert` message; other keys of the event (newer
/// fields such as `Cwd`, `TTY`, `ExecEvent`...) follow in their original order.
const ALERT_KEY_ORDER: &[&str] = &[
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
    "ContainerImage",
    "HostPPID",
    "HostPID",
    "PPID",
    "PID",
    "UID",
    "ParentProcessName",
    "ProcessName",
    "PolicyName",
    "Severity",
    "Tags",
    "ATags",
    "Message",
    "Type",
    "Source",
    "Operation",
    "Resource",
    "Data",
    "Enforcer",
    "Action",
    "Result",
];

/// Fields a previous policy match may have left on an event read with
/// `--include-alerts`; they are replaced, never carried over.
pub(crate) const POLICY_KEYS: &[&str] = &[
    "PolicyName",
    "Severity",
    "Tags",
    "ATags",
    "Message",
    "Enforcer",
    "Action",
];

/// One alert the evaluated policies would raise.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The telemetry file of the event that raised it.
    pub file: String,
    /// 1-based line of the telemetry event that raised it.
    pub line: usize,
    /// The alert object, keys in KubeArmor's order.
    pub fields: Map<String, Value>,
}

impl Alert {
    /// A string field (`PolicyName`, `Action`, ...), if present.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// The alert as a JSON object.
    pub fn to_json(&self) -> Value {
        Value::Object(self.fields.clone())
    }
}

/// What the policy match contributes to an alert.
pub(crate) struct Verdict<'a> {
    pub(crate) alert_type: &'static str,
    pub(crate) policy_name: &'a str,
    pub(crate) severity: Option<u8>,
    pub(crate) tags: &'a [String],
    pub(crate) message: &'a str,
    pub(crate) enforcer: &'a str,
    pub(crate) action: &'a str,
    pub(crate) result: Option<&'a str>,
}

/// Builds the alert from the event's own fields plus the verdict. Empty policy
/// fields are left out, as proto3 JSON does.
pub(crate) fn build(file: &str, line: usize, event: &Map<String, Value>, v: &Verdict<'_>) -> Alert {
    let mut merged: Map<String, Value> = event
        .iter()
        .filter(|(k, _)| !POLICY_KEYS.contains(&k.as_str()))
        .map(|(k, val)| (k.clone(), val.clone()))
        .collect();
    merged.insert("Type".into(), Value::String(v.alert_type.into()));
    merged.insert("PolicyName".into(), Value::String(v.policy_name.into()));
    if let Some(sev) = v.severity {
        merged.insert("Severity".into(), Value::String(sev.to_string()));
    }
    if !v.tags.is_empty() {
        merged.insert("Tags".into(), Value::String(v.tags.join(",")));
        merged.insert(
            "ATags".into(),
            Value::Array(v.tags.iter().map(|t| Value::String(t.clone())).collect()),
        );
    }
    if !v.message.is_empty() {
        merged.insert("Message".into(), Value::String(v.message.into()));
    }
    merged.insert("Enforcer".into(), Value::String(v.enforcer.into()));
    merged.insert("Action".into(), Value::String(v.action.into()));
    if let Some(r) = v.result {
        merged.insert("Result".into(), Value::String(r.into()));
    }
    let mut fields = Map::new();
    for key in ALERT_KEY_ORDER {
        if let Some(val) = merged.shift_remove(*key) {
            fields.insert((*key).to_string(), val);
        }
    }
    for (k, val) in merged {
        fields.insert(k, val);
    }
    Alert {
        file: file.to_string(),
        line,
        fields,
    }
}
