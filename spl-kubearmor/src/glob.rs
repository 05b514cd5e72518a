//! `matchPatterns` patterns.
//!
//! KubeArmor's documentation says the coverage of patterns "is highly dependent
//! on AppArmor" (AppArmor Core Policy Reference, "Globbing"), and its log-side
//! matcher treats them as globs rather than regular expressions. We therefore
//! compile AppArmor globbing: `*` (any characters except `/`), `**` (any
//! characters including `/`), `?` (one character except `/`), `[...]` / `[^...]`
//! character classes and `{a,b}` alternation; everything else is literal and
//! the whole path must match.
//!
//! The glob compiles to a Rust `regex` built from escaped literals: these are
//! KubeArmor patterns, not Splunk's PCRE ([`crate::pcre`]), and `regex` runs
//! them in linear time.

use regex::Regex;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    re: Regex,
}

impl Glob {
    /// Compiles `pattern`; errors describe what is malformed.
    pub(crate) fn new(pattern: &str) -> Result<Glob, String> {
        let mut out = String::from("^(?s:");
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let mut depth = 0usize;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '*' => {
                    if chars.get(i + 1) == Some(&'*') {
                        out.push_str(".*");
                        i += 1;
                    } else {
                        out.push_str("[^/]*");
                    }
                }
                '?' => out.push_str("[^/]"),
                '[' => {
                    let Some(close) = chars[i + 1..]
                        .iter()
                        .position(|&x| x == ']')
                        .map(|p| p + i + 1)
                    else {
                        return Err(format!("unclosed `[` in pattern `{pattern}`"));
                    };
                    let body: String = chars[i + 1..close].iter().collect();
                    let (neg, body) = match body.strip_prefix('^') {
                        Some(rest) => (true, rest.to_string()),
                        None => (false, body),
                    };
                    if body.is_empty() {
                        return Err(format!("empty character class in pattern `{pattern}`"));
                    }
                    out.push('[');
                    if neg {
                        out.push('^');
                    }
                    for ch in body.chars() {
                        if matches!(ch, '\\' | '[' | ']' | '&' | '~' | '^') {
                            out.push('\\');
                        }
                        out.push(ch);
                    }
                    out.push(']');
                    i = close;
                }
                '{' => {
                    depth += 1;
                    out.push_str("(?:");
                }
                ',' if depth > 0 => out.push('|'),
                '}' if depth > 0 => {
                    depth -= 1;
                    out.push(')');
                }
                _ => out.push_str(&regex::escape(&c.to_string())),
            }
            i += 1;
        }
        if depth > 0 {
            return Err(format!("unclosed `{{` in pattern `{pattern}`"));
        }
        out.push_str(")$");
        let re = Regex::new(&out).map_err(|e| format!("invalid pattern `{pattern}`: {e}"))?;
        Ok(Glob { re })
    }

    /// Whether the whole of `text` matches.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.re.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn star_stays_in_one_component() {
        let g = Glob::new("/etc/*.conf").unwrap();
        assert!(g.is_match("/etc/hosts.conf"));
        assert!(!g.is_match("/etc/nginx/nginx.conf"));
    }

    #[test]
    fn double_star_crosses_components() {
        let g = Glob::new("/var/log/**").unwrap();
        assert!(g.is_match("/var/log/a/b/c.log"));
        assert!(!g.is_match("/var/lib/x"));
    }

    #[test]
    fn classes_alternation_and_question_mark() {
        let g = Glob::new("/proc/[0-9]*/{environ,cmdline}").unwrap();
        assert!(g.is_match("/proc/123/environ"));
        assert!(g.is_match("/proc/1/cmdline"));
        assert!(!g.is_match("/proc/self/environ"));
        let q = Glob::new("/bin/?h").unwrap();
        assert!(q.is_match("/bin/sh"));
        assert!(!q.is_match("/bin/bash"));
        let n = Glob::new("/tmp/[^a]*").unwrap();
        assert!(n.is_match("/tmp/bx"));
        assert!(!n.is_match("/tmp/ax"));
    }

    #[test]
    fn regex_metacharacters_are_literal() {
        let g = Glob::new("/usr/bin/python3.6").unwrap();
        assert!(g.is_match("/usr/bin/python3.6"));
        assert!(!g.is_match("/usr/bin/python3x6"));
    }

    #[test]
    fn malformed_patterns_are_errors() {
        assert!(Glob::new("/a/[bc").unwrap_err().contains("unclosed `[`"));
        assert!(Glob::new("/a/{b,c").unwrap_err().contains("unclosed `{`"));
    }
}
