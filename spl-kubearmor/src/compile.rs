//! Turning a parsed manifest into a [`Policy`]: selectors, rules with their
//! inherited metadata, kind-specific checks and the list of parts that are not
//! evaluated.

use super::glob::Glob;
use super::load::Doc;
use super::policy::{
    Action, ExpressionKey, PolicyStatus, RawDirectory, RawManifest, RawPattern, RawSource, RawSpec,
    Severity,
};
use super::rules::{
    Expression, Operation, Policy, PolicyKind, Rule, Selector, Target, Unsupported,
};
use spl_engine::{EngineError, Result};

/// Effective metadata: rule, else section, else policy.
struct Meta<'a> {
    severity: Option<Severity>,
    tags: Option<&'a Vec<String>>,
    message: Option<&'a String>,
    action: Option<Action>,
}

impl<'a> Meta<'a> {
    fn new(
        severity: Option<Severity>,
        tags: &'a Option<Vec<String>>,
        message: &'a Option<String>,
        action: Option<Action>,
    ) -> Self {
        Meta {
            severity,
            tags: tags.as_ref().filter(|t| !t.is_empty()),
            message: message.as_ref().filter(|m| !m.is_empty()),
            action,
        }
    }

    fn or(&self, parent: &Meta<'a>) -> Meta<'a> {
        Meta {
            severity: self.severity.or(parent.severity),
            tags: self.tags.or(parent.tags),
            message: self.message.or(parent.message),
            action: self.action.or(parent.action),
        }
    }
}

struct RuleBuilder<'a> {
    rules: Vec<Rule>,
    errors: Vec<EngineError>,
    doc: &'a Doc,
    file: &'a str,
}

impl RuleBuilder<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        op: Operation,
        target: Target,
        owner_only: bool,
        read_only: bool,
        from_source: &[RawSource],
        meta: Meta<'_>,
    ) {
        self.rules.push(Rule {
            op,
            target,
            owner_only,
            read_only,
            from_source: from_source.iter().map(|s| s.path.0.clone()).collect(),
            severity: meta.severity.map(|s| s.0).unwrap_or(1),
            tags: meta.tags.cloned().unwrap_or_default(),
            message: meta.message.cloned().unwrap_or_default(),
            action: meta.action.unwrap_or(Action::Block),
        });
    }

    fn dirs(&mut self, op: Operation, dirs: &[RawDirectory], section: &Meta<'_>) {
        for d in dirs {
            if op == Operation::Process && d.read_only {
                self.errors.push(EngineError::data(
                    self.file,
                    Some(self.doc.key_line("readOnly")),
                    Some("readOnly"),
                    "`readOnly` is only allowed in file rules, found it in a process rule",
                ));
            }
            let meta = Meta::new(d.severity, &d.tags, &d.message, d.action).or(section);
            let target = Target::Dir {
                dir: d.dir.0.clone(),
                recursive: d.recursive,
            };
            self.push(op, target, d.owner_only, d.read_only, &d.from_source, meta);
        }
    }

    fn patterns(&mut self, op: Operation, pats: &[RawPattern], section: &Meta<'_>) {
        for p in pats {
            if op == Operation::Process && p.read_only {
                self.errors.push(EngineError::data(
                    self.file,
                    Some(self.doc.key_line("readOnly")),
                    Some("readOnly"),
                    "`readOnly` is only allowed in file rules, found it in a process rule",
                ));
            }
            match Glob::new(&p.pattern) {
                Ok(g) => {
                    let meta = Meta::new(p.severity, &p.tags, &p.message, p.action).or(section);
                    self.push(op, Target::Pattern(g), p.owner_only, p.read_only, &[], meta);
                }
                Err(e) => self.errors.push(EngineError::data(
                    self.file,
                    Some(self.doc.key_line("pattern")),
                    Some("pattern"),
                    e,
                )),
            }
        }
    }
}

pub(super) fn compile(raw: RawManifest, kind: PolicyKind, doc: &Doc, file: &str) -> Result<Policy> {
    let name = raw.metadata.name.clone();
    let spec = raw.spec;
    let err =
        |key: &str, msg: String| EngineError::data(file, Some(doc.key_line(key)), Some(key), msg);

    let selector = compile_selector(&spec, kind, raw.metadata.namespace.clone(), &err)?;
    let unsupported = unsupported_parts(&spec, doc, file, &name);

    let top = Meta::new(spec.severity, &spec.tags, &spec.message, spec.action);
    let mut b = RuleBuilder {
        rules: Vec::new(),
        errors: Vec::new(),
        doc,
        file,
    };
    if let Some(p) = &spec.process {
        let section = Meta::new(p.severity, &p.tags, &p.message, p.action).or(&top);
        for mp in &p.match_paths {
            let target = match (&mp.path, &mp.execname) {
                (Some(path), None) => Target::Path(path.0.clone()),
                (None, Some(exe)) => Target::ExecName(exe.0.clone()),
                _ => {
                    b.errors.push(err(
                        "matchPaths",
                        "each process.matchPaths entry needs exactly one of `path` or `execname`"
                            .into(),
                    ));
                    continue;
                }
            };
            let meta = Meta::new(mp.severity, &mp.tags, &mp.message, mp.action).or(&section);
            b.push(
                Operation::Process,
                target,
                mp.owner_only,
                false,
                &mp.from_source,
                meta,
            );
        }
        b.dirs(Operation::Process, &p.match_directories, &section);
        b.patterns(Operation::Process, &p.match_patterns, &section);
    }
    if let Some(f) = &spec.file {
        let section = Meta::new(f.severity, &f.tags, &f.message, f.action).or(&top);
        for mp in &f.match_paths {
            let meta = Meta::new(mp.severity, &mp.tags, &mp.message, mp.action).or(&section);
            let target = Target::Path(mp.path.0.clone());
            b.push(
                Operation::File,
                target,
                mp.owner_only,
                mp.read_only,
                &mp.from_source,
                meta,
            );
        }
        b.dirs(Operation::File, &f.match_directories, &section);
        b.patterns(Operation::File, &f.match_patterns, &section);
    }
    if let Some(n) = &spec.network {
        let section = Meta::new(n.severity, &n.tags, &n.message, n.action).or(&top);
        for mp in &n.match_protocols {
            for proto in &mp.protocol.0 {
                let meta = Meta::new(mp.severity, &mp.tags, &mp.message, mp.action).or(&section);
                b.push(
                    Operation::Network,
                    Target::Protocol(proto.clone()),
                    false,
                    false,
                    &mp.from_source,
                    meta,
                );
            }
        }
    }
    if let Some(e) = b.errors.into_iter().next() {
        return Err(e);
    }
    let mut unsupported = unsupported;
    let mut rules = b.rules;
    if kind == PolicyKind::Host {
        // host_policy_specification.md: "In order to use the Allow action, you
        // should define 'fromSource'; otherwise, all Allow actions will be ignored".
        let before = rules.len();
        rules.retain(|r| !(r.action == Action::Allow && r.from_source.is_empty()));
        if rules.len() < before {
            unsupported.push(Unsupported {
                file: file.to_string(),
                line: doc.allow_line(),
                policy: name.clone(),
                feature: format!("{} Allow rule(s) without fromSource", before - rules.len()),
                reason: "KubeArmor ignores Allow rules without fromSource in host policies"
                    .to_string(),
            });
        }
    }
    Ok(Policy {
        kind,
        name,
        namespace: match &selector {
            Selector::Pods { namespace, .. } => Some(namespace.clone()),
            _ => raw.metadata.namespace,
        },
        file: file.to_string(),
        line: doc.start_line,
        active: spec.status != Some(PolicyStatus::Inactive),
        selector,
        rules,
        unsupported,
    })
}

fn compile_selector(
    spec: &RawSpec,
    kind: PolicyKind,
    namespace: Option<String>,
    err: &dyn Fn(&str, String) -> EngineError,
) -> Result<Selector> {
    let expressions = |allow_namespace: bool| -> Result<Vec<Expression>> {
        let mut out = Vec::new();
        for e in spec.selector.iter().flat_map(|s| &s.match_expressions) {
            if e.key == ExpressionKey::Namespace && !allow_namespace {
                return Err(err(
                    "key",
                    "`key: namespace` is only allowed in KubeArmorClusterPolicy selectors; use `metadata.namespace`"
                        .into(),
                ));
            }
            out.push(Expression {
                on_namespace: e.key == ExpressionKey::Namespace,
                operator: e.operator,
                values: e.values.clone(),
            });
        }
        Ok(out)
    };
    match kind {
        PolicyKind::Container => {
            if spec.node_selector.is_some() {
                return Err(err(
                    "nodeSelector",
                    "`nodeSelector` belongs to KubeArmorHostPolicy; KubeArmorPolicy uses `selector`".into(),
                ));
            }
            let mut labels = Vec::new();
            let mut containers = Vec::new();
            for (k, v) in spec.selector.iter().flat_map(|s| &s.match_labels) {
                if k == "kubearmor.io/container.name" {
                    let inner = v.trim().trim_start_matches('[').trim_end_matches(']');
                    containers.extend(
                        inner
                            .split(',')
                            .map(str::trim)
                            .filter(|c| !c.is_empty())
                            .map(String::from),
                    );
                } else {
                    labels.push((k.clone(), v.clone()));
                }
            }
            Ok(Selector::Pods {
                namespace: namespace.unwrap_or_else(|| "default".to_string()),
                labels,
                containers,
                expressions: expressions(false)?,
            })
        }
        PolicyKind::Cluster => {
            if spec
                .selector
                .as_ref()
                .is_some_and(|s| !s.match_labels.is_empty())
            {
                return Err(err(
                    "matchLabels",
                    "KubeArmorClusterPolicy selects with `matchExpressions` (key namespace or label), found `matchLabels`"
                        .into(),
                ));
            }
            if spec.node_selector.is_some() {
                return Err(err(
                    "nodeSelector",
                    "`nodeSelector` belongs to KubeArmorHostPolicy".into(),
                ));
            }
            Ok(Selector::Cluster {
                expressions: expressions(true)?,
            })
        }
        PolicyKind::Host => {
            if spec.selector.is_some() {
                return Err(err(
                    "selector",
                    "KubeArmorHostPolicy selects nodes with `nodeSelector`, found `selector`"
                        .into(),
                ));
            }
            let Some(ns) = &spec.node_selector else {
                return Err(err(
                    "spec",
                    "KubeArmorHostPolicy needs `spec.nodeSelector.matchLabels`".into(),
                ));
            };
            Ok(Selector::Nodes {
                labels: ns
                    .match_labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            })
        }
    }
}

fn unsupported_parts(spec: &RawSpec, doc: &Doc, file: &str, policy: &str) -> Vec<Unsupported> {
    let mut out = Vec::new();
    let mut note = |present: bool, key: &str, feature: &str, reason: &str| {
        if present {
            out.push(Unsupported {
                file: file.to_string(),
                line: doc.key_line(key),
                policy: policy.to_string(),
                feature: feature.to_string(),
                reason: reason.to_string(),
            });
        }
    };
    note(
        spec.capabilities.is_some(),
        "capabilities",
        "spec.capabilities",
        "capability events are not matched by this evaluator yet",
    );
    note(
        spec.syscalls.is_some(),
        "syscalls",
        "spec.syscalls",
        "syscall monitoring rules are not matched by this evaluator yet",
    );
    note(
        spec.presets.is_some(),
        "presets",
        "spec.presets",
        "presets depend on KubeArmor's built-in rule sets",
    );
    note(
        spec.apparmor.is_some(),
        "apparmor",
        "spec.apparmor",
        "raw AppArmor profiles cannot be evaluated over logs",
    );
    note(
        spec.selinux.is_some(),
        "selinux",
        "spec.selinux",
        "SELinux volume-mount rules cannot be evaluated over logs",
    );
    note(
        spec.device.is_some(),
        "device",
        "spec.device",
        "USB device rules are not matched by this evaluator",
    );
    note(
        spec.network
            .as_ref()
            .is_some_and(|n| n.match_dns_queries.is_some()),
        "matchDNSQueries",
        "spec.network.matchDNSQueries",
        "DNS query rules are not matched by this evaluator yet",
    );
    out
}
