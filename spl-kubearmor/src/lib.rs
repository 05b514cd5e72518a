//! KubeArmor policies tested offline: load `KubeArmorPolicy`,
//! `KubeArmorHostPolicy` and `KubeArmorClusterPolicy` manifests and replay
//! recorded telemetry (`karmor logs --json`, relay-server output) through them,
//! producing the alerts KubeArmor would have raised, in its own alert shape.
//!
//! Independent of Arrow: telemetry is parsed into [`TelemetryEvent`]s with
//! serde_json, policies into [`Policy`] values with serde_norway. The matching
//! rules, their sources in KubeArmor's documentation and code, and what is not
//! covered are described in `docs/kubearmor.md`.
//!
//! ```
//! use spl_kubearmor::{evaluate, parse_policies, parse_telemetry, EvalOptions};
//! let policies = parse_policies(
//!     "apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: p, namespace: ns}\n\
//!      spec:\n  selector: {matchLabels: {app: web}}\n  file: {matchPaths: [{path: /etc/shadow}]}\n  action: Audit\n",
//!     "p.yaml",
//! ).unwrap();
//! let events = parse_telemetry(
//!     r#"{"Type":"ContainerLog","NamespaceName":"ns","PodName":"web-1","Labels":"app=web","ContainerID":"c1","Operation":"File","Resource":"/etc/shadow","Data":"syscall=SYS_OPENAT flags=O_RDONLY","Result":"Passed"}"#,
//!     "t.jsonl",
//! ).unwrap();
//! let out = evaluate(&policies, &events, &EvalOptions::default());
//! assert_eq!(out.alerts[0].get_str("PolicyName"), Some("p"));
//! assert_eq!(out.alerts[0].get_str("Action"), Some("Audit"));
//! ```

mod alert;
mod compile;
mod evaluate;
mod event;
mod glob;
mod load;
mod matcher;
mod policy;
mod rules;

pub use alert::Alert;
pub use evaluate::{evaluate, EvalOptions, Evaluation, Posture, PostureAction};
pub use event::{parse_telemetry, read_telemetry, TelemetryEvent};
pub use load::{load_policy_file, parse_policies};
pub use policy::Action;
pub use rules::{Policy, PolicyKind, Unsupported};
