//! Loaded policies in evaluation form: selectors plus a flat list of rules,
//! each carrying its effective severity, tags, message and action.
//!
//! Inheritance follows KubeArmor's `CreateSecurityPolicy`
//! (`KubeArmor/core/kubeUpdate.go`): a rule's own value, else its section's
//! (`process`, `file`, `network`), else the policy's; severity defaults to 1
//! and action to `Block`.

use super::glob::Glob;
use super::policy::{Action, ExpressionOperator};
use std::fmt;

/// Which CRD a policy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// `KubeArmorPolicy`: pods of one namespace selected by labels.
    Container,
    /// `KubeArmorHostPolicy`: nodes selected by node labels.
    Host,
    /// `KubeArmorClusterPolicy`: pods of any namespace, by namespace/label expressions.
    Cluster,
}

impl PolicyKind {
    /// The manifest `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Container => "KubeArmorPolicy",
            PolicyKind::Host => "KubeArmorHostPolicy",
            PolicyKind::Cluster => "KubeArmorClusterPolicy",
        }
    }
}

/// A loaded policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Which CRD.
    pub kind: PolicyKind,
    /// `metadata.name` (the alert's `PolicyName`).
    pub name: String,
    /// `metadata.namespace` (container policies; `default` when absent).
    pub namespace: Option<String>,
    /// The file it was read from.
    pub file: String,
    /// 1-based line where its YAML document starts.
    pub line: usize,
    /// `spec.status: Inactive` policies are loaded but never match.
    pub active: bool,
    pub(crate) selector: Selector,
    pub(crate) rules: Vec<Rule>,
    /// Parts of the policy this evaluator does not check.
    pub unsupported: Vec<Unsupported>,
}

impl Policy {
    /// Number of evaluated rules (after expanding `fromSource` and protocol lists).
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }
}

/// Something in a policy that is parsed but not evaluated, reported to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// Policy file.
    pub file: String,
    /// 1-based line of the construct.
    pub line: usize,
    /// Policy name.
    pub policy: String,
    /// The construct, e.g. `spec.capabilities`.
    pub feature: String,
    /// Why it is not evaluated.
    pub reason: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: policy `{}`: {} is not evaluated: {}",
            self.file, self.line, self.policy, self.feature, self.reason
        )
    }
}

/// Who a policy applies to.
#[derive(Debug, Clone)]
pub(crate) enum Selector {
    /// `KubeArmorPolicy`: namespace, `matchLabels` (all must be present),
    /// `kubearmor.io/container.name` list, label expressions.
    Pods {
        namespace: String,
        labels: Vec<(String, String)>,
        containers: Vec<String>,
        expressions: Vec<Expression>,
    },
    /// `KubeArmorClusterPolicy`: namespace and label expressions only.
    Cluster { expressions: Vec<Expression> },
    /// `KubeArmorHostPolicy`: node labels (all must be present).
    Nodes { labels: Vec<(String, String)> },
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone)]
pub(crate) struct Expression {
    /// True for `key: namespace`, false for `key: label`.
    pub(crate) on_namespace: bool,
    pub(crate) operator: ExpressionOperator,
    pub(crate) values: Vec<String>,
}

/// The operation kind a rule governs (the event's `Operation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operation {
    Process,
    File,
    Network,
}

impl Operation {
    pub(crate) fn from_event(op: &str) -> Option<Operation> {
        match op {
            "Process" => Some(Operation::Process),
            "File" => Some(Operation::File),
            "Network" => Some(Operation::Network),
            _ => None,
        }
    }
}

/// What a rule matches.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// `matchPaths.path`: exact path.
    Path(String),
    /// `process.matchPaths.execname`: the executable's base name.
    ExecName(String),
    /// `matchDirectories`: files (or executables) in `dir`, deeper when recursive.
    Dir { dir: String, recursive: bool },
    /// `matchPatterns`: a glob over the path.
    Pattern(Glob),
    /// `network.matchProtocols`: a lower-cased protocol name or `all`.
    Protocol(String),
}

/// One evaluated rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) op: Operation,
    pub(crate) target: Target,
    pub(crate) owner_only: bool,
    pub(crate) read_only: bool,
    /// Empty = any source; else the acting or parent executable must be one of these.
    pub(crate) from_source: Vec<String>,
    pub(crate) severity: u8,
    pub(crate) tags: Vec<String>,
    pub(crate) message: String,
    pub(crate) action: Action,
}
