//! props.conf stanzas and which of them apply to an event.
//!
//! props.conf.spec and the Admin Manual ("Attribute precedence within a
//! single props.conf file"):
//!
//! - `[<sourcetype>]` applies to events of that sourcetype (a literal name);
//!   `[source::<pattern>]` and `[host::<pattern>]` to events whose `source`
//!   or `host` the pattern matches. In a pattern `...` matches anything
//!   (path separators included), `*` anything but `/`, `|` separates
//!   alternatives and `(` `)` group them; a leading `(?i)` makes the match
//!   case-insensitive. Every other character is itself.
//! - For one attribute, a `source::` stanza beats a `host::` stanza, which
//!   beats the sourcetype's stanza; `[default]` is below all of them.
//! - Among matching stanzas of one kind, the higher `priority` wins; a
//!   stanza without one has priority 100 when its name is literal and 0 when
//!   it is a pattern; equal priorities go by ASCII order of the stanza
//!   names, the first one winning.

use super::apps::MergedStanza;
use crate::error::Result;
use regex::Regex;

/// What a stanza applies to.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// `[default]`: every event.
    Default,
    /// `[<sourcetype>]`.
    Sourcetype(String),
    /// `[source::<pattern>]`.
    Source(Regex),
    /// `[host::<pattern>]`.
    Host(Regex),
    /// Index-time only stanzas (`rule::`, `delayedrule::`): never at search
    /// time.
    Never,
}

/// Translates a stanza pattern to an anchored regex.
pub(crate) fn pattern(text: &str) -> (Regex, bool) {
    let (body, ci) = match text.strip_prefix("(?i)") {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let literal = !ci && !body.contains("...") && !body.contains(['*', '|', '(', ')']);
    let mut re = String::from(if ci { "(?is)^(?:" } else { "(?s)^(?:" });
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("...") {
            re.push_str(".*");
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix("\\\\") {
            re.push_str("\\\\");
            rest = r;
            continue;
        }
        match c {
            '*' => re.push_str("[^/]*"),
            '|' | '(' | ')' => re.push(c),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
        rest = &rest[c.len_utf8()..];
    }
    re.push_str(")$");
    // Unbalanced parentheses in a stanza name: match it literally.
    let compiled = Regex::new(&re).unwrap_or_else(|_| {
        Regex::new(&format!("^{}$", regex::escape(body))).unwrap_or_else(|_| never())
    });
    (compiled, literal)
}

fn never() -> Regex {
    #[allow(clippy::unwrap_used)] // a constant pattern
    Regex::new("[^\\s\\S]").unwrap()
}

/// One props.conf stanza, with its target and rank.
#[derive(Debug, Clone)]
pub(crate) struct PropsStanza {
    /// The merged settings.
    pub stanza: MergedStanza,
    /// What it applies to.
    pub target: Target,
    /// `priority`, or 100 for a literal name and 0 for a pattern.
    pub priority: i64,
}

impl PropsStanza {
    /// Classifies a merged stanza.
    pub(crate) fn new(stanza: MergedStanza) -> Result<PropsStanza> {
        let name = stanza.name.as_str();
        let (target, literal) = if name == super::conf::DEFAULT_STANZA {
            (Target::Default, true)
        } else if let Some(p) = name.strip_prefix("source::") {
            let (re, lit) = pattern(p);
            (Target::Source(re), lit)
        } else if let Some(p) = name.strip_prefix("host::") {
            let (re, lit) = pattern(p);
            (Target::Host(re), lit)
        } else if name.starts_with("rule::") || name.starts_with("delayedrule::") {
            (Target::Never, true)
        } else {
            (Target::Sourcetype(name.to_string()), true)
        };
        let priority = match stanza.get("priority") {
            Some(v) if !v.value.trim().is_empty() => {
                v.value.trim().parse::<i64>().map_err(|_| {
                    v.error(
                        "priority",
                        format!("expected a whole number, found `{}`", v.value),
                    )
                })?
            }
            _ if literal => 100,
            _ => 0,
        };
        Ok(PropsStanza {
            stanza,
            target,
            priority,
        })
    }

    /// Rank among the applicable stanzas: 0 default, 1 sourcetype, 2 host, 3
    /// source.
    fn kind_rank(&self) -> u8 {
        match self.target {
            Target::Default | Target::Never => 0,
            Target::Sourcetype(_) => 1,
            Target::Host(_) => 2,
            Target::Source(_) => 3,
        }
    }

    fn applies(&self, sourcetype: &str, source: &str, host: &str) -> bool {
        match &self.target {
            Target::Default => true,
            Target::Never => false,
            Target::Sourcetype(s) => s == sourcetype,
            Target::Source(re) => re.is_match(source),
            Target::Host(re) => re.is_match(host),
        }
    }
}

/// The positions of the stanzas that apply to an event, lowest precedence
/// first (so a later stanza's value of a key replaces an earlier one's).
pub(crate) fn applicable_indices<'p>(
    all: impl Iterator<Item = &'p PropsStanza>,
    sourcetype: &str,
    source: &str,
    host: &str,
) -> Vec<usize> {
    let mut out: Vec<(usize, &PropsStanza)> = all
        .enumerate()
        .filter(|(_, s)| s.applies(sourcetype, source, host))
        .collect();
    // ascending precedence: kind, then priority, then reverse ASCII order
    // (the first name in ASCII order wins, so it goes last)
    out.sort_by(|(_, a), (_, b)| {
        a.kind_rank()
            .cmp(&b.kind_rank())
            .then(a.priority.cmp(&b.priority))
            .then_with(|| b.stanza.name.as_bytes().cmp(a.stanza.name.as_bytes()))
    });
    out.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::apps::Merged;
    use crate::knowledge::conf;

    fn stanzas(text: &str) -> Vec<PropsStanza> {
        let m = Merged::from_files(&[conf::parse(text, "props.conf").unwrap()]);
        m.stanzas
            .into_values()
            .map(|s| PropsStanza::new(s).unwrap())
            .collect()
    }

    #[test]
    fn patterns() {
        let m = |p: &str, s: &str| pattern(p).0.is_match(s);
        assert!(m("/var/log/.../*.log", "/var/log/a/b/c.log"));
        assert!(!m("/var/log/*.log", "/var/log/a/c.log"));
        assert!(m("/var/log/*.log", "/var/log/c.log"));
        assert!(m("...(a|b).log", "/x/b.log"));
        assert!(!m("...(a|b).log", "/x/c.log"));
        assert!(m("(?i)WEB*", "web-01"));
        assert!(!m("WEB*", "web-01"));
        assert!(m("a.b", "a.b") && !m("a.b", "axb"));
        assert!(pattern("/exact/path.log").1);
        assert!(!pattern("/x/*.log").1);
    }

    #[test]
    fn source_beats_host_beats_sourcetype() {
        let all = stanzas(
            "[default]\nK=d\n[st]\nK=st\n[host::web*]\nK=host\n[source::/a/...]\nK=source\n[other]\nK=o\n",
        );
        let names = |st: &str, src: &str, host: &str| -> Vec<String> {
            applicable_indices(all.iter(), st, src, host)
                .into_iter()
                .map(|i| all[i].stanza.name.clone())
                .collect()
        };
        assert_eq!(
            names("st", "/a/b", "web1"),
            ["default", "st", "host::web*", "source::/a/..."]
        );
        assert_eq!(names("st", "/b", "db"), ["default", "st"]);
    }

    #[test]
    fn literal_priority_and_ascii_order() {
        let all = stanzas(
            "[source::.../bar/baz]\nK=1\n[source::.../bar/*]\nK=2\n[source::/x/bar/baz]\nK=3\n",
        );
        let order: Vec<_> = applicable_indices(all.iter(), "", "/x/bar/baz", "")
            .into_iter()
            .map(|i| all[i].stanza.name.clone())
            .collect();
        // patterns first (0), `.../bar/*` sorts before `.../bar/baz` in ASCII
        // so it wins among them; the literal (100) wins overall
        assert_eq!(
            order,
            [
                "source::.../bar/baz",
                "source::.../bar/*",
                "source::/x/bar/baz"
            ]
        );
        let all = stanzas("[source::...a...]\nK=a\n[source::...z...]\nK=z\npriority = 10\n");
        let last = *applicable_indices(all.iter(), "", "az", "").last().unwrap();
        let last = all[last].stanza.name.clone();
        assert_eq!(last, "source::...z...");
        let bad = Merged::from_files(&[conf::parse("[x]\npriority = high\n", "p.conf").unwrap()]);
        let e = PropsStanza::new(bad.stanzas.into_values().next().unwrap()).unwrap_err();
        assert!(e.to_string().contains("p.conf:2"), "{e}");
    }
}
