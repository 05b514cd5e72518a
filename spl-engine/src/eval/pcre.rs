//! Splunk regexes are PCRE; the engine uses Rust's `regex`. This adapts the
//! PCRE spellings that `regex` rejects but that have the same meaning:
//! a `{` that does not start a `{n}`, `{n,}` or `{n,m}` repetition is a
//! literal brace in PCRE (`({|%7b)` in log4shell detections), and `\Z` is
//! "end, or before a final newline". Look-around and backreferences remain
//! unsupported (a bind-time error names them).

use regex::Regex;
use std::borrow::Cow;

/// Compiles a PCRE-style pattern with the adaptations above.
pub fn compile_pcre(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&adapt(pattern))
}

/// Whether the text after a `{` is a valid repetition (`n}`, `n,}`, `n,m}`).
fn is_repetition(rest: &[char]) -> bool {
    let mut i = 0;
    let digits = |i: &mut usize| {
        let s = *i;
        while rest.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > s
    };
    if !digits(&mut i) {
        return false;
    }
    if rest.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    rest.get(i) == Some(&'}')
}

pub(crate) fn adapt(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains('{') && !pattern.contains("\\Z") {
        return Cow::Borrowed(pattern);
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => {
                match chars.get(i + 1) {
                    Some('Z') if !in_class => out.push_str(r"(?:\n?\z)"),
                    Some(&n) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => out.push('\\'),
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` right after `[` or `[^` is literal.
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str(r"\]");
                    i += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '{' if !in_class && !is_repetition(chars.get(i + 1..).unwrap_or(&[])) => {
                out.push_str(r"\{")
            }
            '}' if !in_class => {
                // Closing brace of a repetition stays; a stray one is literal.
                let opened = out
                    .rfind('{')
                    .is_some_and(|p| !out[..p].ends_with('\\') && !out[p..].contains('}'));
                out.push_str(if opened { "}" } else { r"\}" });
            }
            c => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adapts_pcre_literals() {
        assert_eq!(adapt(r"a{2,3}b{4}c{5,}"), r"a{2,3}b{4}c{5,}");
        assert_eq!(adapt(r"({|%7b)(main|sys)"), r"(\{|%7b)(main|sys)");
        assert_eq!(adapt(r"x{y}"), r"x\{y\}");
        assert_eq!(adapt(r"[{}]\{"), r"[{}]\{");
        assert_eq!(adapt(r"abc\Z"), r"abc(?:\n?\z)");
        assert_eq!(adapt(r"[]{]"), r"[\]{]");
        let re = compile_pcre(r"(?i)({|%7b)(main|sys)").unwrap();
        assert!(re.is_match("${SYS"));
        assert!(compile_pcre(r"\w{5}$").unwrap().is_match("x-abcde"));
        assert!(compile_pcre(r"end\Z").unwrap().is_match("the end\n"));
        assert!(compile_pcre(r"(?<=a)b").is_err());
    }
}
