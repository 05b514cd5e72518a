//! The manifest shapes of `KubeArmorPolicy`, `KubeArmorHostPolicy` and
//! `KubeArmorClusterPolicy` (`security.kubearmor.com/v1`) as serde types.
//!
//! Field names and validation follow the CRD types in KubeArmor's
//! `pkg/KubeArmorController/api/security.kubearmor.com/v1/` (`common.go`,
//! `kubearmorpolicy_types.go`, `kubearmorhostpolicy_types.go`). Values are
//! validated while deserializing (newtypes with `try_from`) so that serde_norway
//! reports the line of the offending value. Unknown keys inside `spec` are
//! errors, as `kubectl apply` (strict field validation) would reject them.

use indexmap::IndexMap;
use serde::Deserialize;

/// `Allow`, `Audit` or `Block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Action {
    /// Allow-list entry: the access is permitted; everything else of the same
    /// kind falls under the default posture.
    #[serde(alias = "allow")]
    Allow,
    /// Alert, do not block.
    #[serde(alias = "audit")]
    Audit,
    /// Deny the access and alert.
    #[serde(alias = "block")]
    Block,
}

impl Action {
    /// The spelling KubeArmor prints in alerts.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "Allow",
            Action::Audit => "Audit",
            Action::Block => "Block",
        }
    }
}

/// Severity 1..=10. Checked in the visitor (not `try_from`) so the error
/// carries the line of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Severity(pub(crate) u8);

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Severity;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a severity between 1 and 10")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Severity, E> {
                if (1..=10).contains(&v) {
                    Ok(Severity(v as u8))
                } else {
                    Err(E::custom(format!(
                        "severity must be between 1 and 10, found {v}"
                    )))
                }
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Severity, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        d.deserialize_i64(V)
    }
}

/// An absolute file path (CRD pattern `^\/+.*[^\/]$`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct MatchPath(pub(crate) String);

impl TryFrom<String> for MatchPath {
    type Error = String;
    fn try_from(v: String) -> Result<Self, String> {
        if v.starts_with('/') && v.len() > 1 && !v.ends_with('/') {
            Ok(MatchPath(v))
        } else {
            Err(format!(
                "expected an absolute path not ending with `/` (use matchDirectories for directories), found `{v}`"
            ))
        }
    }
}

/// An absolute directory path ending with `/` (CRD pattern `^\/$|^\/.*\/$`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct MatchDir(pub(crate) String);

impl TryFrom<String> for MatchDir {
    type Error = String;
    fn try_from(v: String) -> Result<Self, String> {
        if v.starts_with('/') && v.ends_with('/') {
            Ok(MatchDir(v))
        } else {
            Err(format!(
                "expected an absolute directory path ending with `/`, found `{v}`"
            ))
        }
    }
}

/// A bare executable name (`execname`, CRD pattern `^[^\/]+$`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct ExecName(pub(crate) String);

impl TryFrom<String> for ExecName {
    type Error = String;
    fn try_from(v: String) -> Result<Self, String> {
        if !v.is_empty() && !v.contains('/') {
            Ok(ExecName(v))
        } else {
            Err(format!(
                "expected an executable name without `/`, found `{v}`"
            ))
        }
    }
}

/// The protocol names the CRD accepts (any case).
pub(crate) const PROTOCOLS: &[&str] = &[
    "tcp",
    "udp",
    "raw",
    "icmp",
    "icmpv6",
    "sctp",
    "stream",
    "dgram",
    "rdm",
    "seqpacket",
    "dccp",
    "packet",
    "all",
];

/// One or more protocols: KubeArmor expands `tcp,udp` into one rule per name
/// (`ObjCommaExpandFirstDupOthers`). Stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub(crate) struct ProtocolList(pub(crate) Vec<String>);

impl TryFrom<String> for ProtocolList {
    type Error = String;
    fn try_from(v: String) -> Result<Self, String> {
        let mut out = Vec::new();
        for part in v.split(',') {
            let p = part.trim().to_ascii_lowercase();
            if !PROTOCOLS.contains(&p.as_str()) {
                return Err(format!(
                    "expected one of {}, found `{}`",
                    PROTOCOLS.join(", "),
                    part.trim()
                ));
            }
            out.push(p);
        }
        Ok(ProtocolList(out))
    }
}

/// The document as a whole. `metadata` and `status` accept any extra keys
/// (`kubectl get -o yaml` output carries uid, generation, annotations...).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawManifest {
    #[allow(dead_code)]
    pub(crate) api_version: String,
    #[allow(dead_code)]
    pub(crate) kind: String,
    pub(crate) metadata: RawMetadata,
    #[serde(default)]
    pub(crate) spec: RawSpec,
    #[allow(dead_code)]
    #[serde(default)]
    pub(crate) status: Option<serde_norway::Value>,
}

/// `metadata`: only `name` and `namespace` matter here.
#[derive(Debug, Deserialize)]
pub(crate) struct RawMetadata {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: Option<String>,
}

/// `spec` of all three kinds; kind-specific checks happen after parsing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawSpec {
    pub(crate) selector: Option<RawSelector>,
    pub(crate) node_selector: Option<RawNodeSelector>,
    pub(crate) process: Option<RawProcess>,
    pub(crate) file: Option<RawFile>,
    pub(crate) network: Option<RawNetwork>,
    pub(crate) capabilities: Option<serde_norway::Value>,
    pub(crate) syscalls: Option<serde_norway::Value>,
    pub(crate) presets: Option<serde_norway::Value>,
    #[serde(rename = "apparmor")]
    pub(crate) apparmor: Option<serde_norway::Value>,
    #[serde(rename = "selinux")]
    pub(crate) selinux: Option<serde_norway::Value>,
    pub(crate) device: Option<serde_norway::Value>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
    /// Older CRDs: `Active` (default) or `Inactive`.
    pub(crate) status: Option<PolicyStatus>,
}

/// `spec.status` of older CRDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum PolicyStatus {
    /// Enforced.
    Active,
    /// Loaded but not enforced.
    Inactive,
}

/// `spec.selector` (container and cluster policies).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawSelector {
    #[serde(default)]
    pub(crate) match_labels: IndexMap<String, String>,
    #[serde(default)]
    pub(crate) match_expressions: Vec<RawMatchExpression>,
}

/// `selector.matchExpressions[]`: `key` is `label` or (cluster policies) `namespace`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatchExpression {
    pub(crate) key: ExpressionKey,
    pub(crate) operator: ExpressionOperator,
    #[serde(default)]
    pub(crate) values: Vec<String>,
}

/// What a match expression tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExpressionKey {
    /// A `key=value` pod label.
    Label,
    /// The namespace name (cluster policies only).
    Namespace,
}

/// `In` or `NotIn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum ExpressionOperator {
    /// Applies to the listed values only.
    In,
    /// Applies to everything but the listed values.
    NotIn,
}

/// `spec.nodeSelector` (host policies).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawNodeSelector {
    #[serde(default)]
    pub(crate) match_labels: IndexMap<String, String>,
}

/// `fromSource[]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub(crate) path: MatchPath,
}

/// `process.matchPaths[]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawProcessPath {
    pub(crate) path: Option<MatchPath>,
    pub(crate) execname: Option<ExecName>,
    #[serde(default)]
    pub(crate) owner_only: bool,
    #[serde(default)]
    pub(crate) from_source: Vec<RawSource>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `process.matchDirectories[]` and `file.matchDirectories[]` (`readOnly` is
/// rejected for processes after parsing).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawDirectory {
    pub(crate) dir: MatchDir,
    #[serde(default)]
    pub(crate) recursive: bool,
    #[serde(default)]
    pub(crate) owner_only: bool,
    #[serde(default)]
    pub(crate) read_only: bool,
    #[serde(default)]
    pub(crate) from_source: Vec<RawSource>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `matchPatterns[]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawPattern {
    pub(crate) pattern: String,
    #[serde(default)]
    pub(crate) owner_only: bool,
    #[serde(default)]
    pub(crate) read_only: bool,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `file.matchPaths[]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawFilePath {
    pub(crate) path: MatchPath,
    #[serde(default)]
    pub(crate) read_only: bool,
    #[serde(default)]
    pub(crate) owner_only: bool,
    #[serde(default)]
    pub(crate) from_source: Vec<RawSource>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `spec.process`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawProcess {
    #[serde(default)]
    pub(crate) match_paths: Vec<RawProcessPath>,
    #[serde(default)]
    pub(crate) match_directories: Vec<RawDirectory>,
    #[serde(default)]
    pub(crate) match_patterns: Vec<RawPattern>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `spec.file`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawFile {
    #[serde(default)]
    pub(crate) match_paths: Vec<RawFilePath>,
    #[serde(default)]
    pub(crate) match_directories: Vec<RawDirectory>,
    #[serde(default)]
    pub(crate) match_patterns: Vec<RawPattern>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `network.matchProtocols[]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawProtocol {
    pub(crate) protocol: ProtocolList,
    #[serde(default)]
    pub(crate) from_source: Vec<RawSource>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}

/// `spec.network`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RawNetwork {
    #[serde(default)]
    pub(crate) match_protocols: Vec<RawProtocol>,
    #[serde(rename = "matchDNSQueries")]
    pub(crate) match_dns_queries: Option<serde_norway::Value>,
    pub(crate) severity: Option<Severity>,
    pub(crate) tags: Option<Vec<String>>,
    pub(crate) message: Option<String>,
    pub(crate) action: Option<Action>,
}
