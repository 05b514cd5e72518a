//! Byte-level scanning helpers: comments, call boundaries, argument splitting.
//!
//! Everything works on byte offsets into `&str`; the delimiters we look for
//! (`` ` ``, `"`, `\`, `(`, `)`, `,`, `$`, `=`) are ASCII, so every offset we
//! produce is a char boundary.

/// Length of the run of backticks starting at `i`.
pub(crate) fn backtick_run(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |rest| rest.iter().take_while(|&&c| c == b'`').count())
}

/// The closing delimiter of a comment whose body starts at `from`: the first
/// run of three or more backticks, returned as `(run_start, run_end)`.
pub(crate) fn find_comment_end(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < b.len() {
        if b.get(i) == Some(&b'`') {
            let run = backtick_run(b, i);
            if run >= 3 {
                return Some((i, i + run));
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// The closing backtick of a macro call whose text starts at `from`. Backticks
/// inside double-quoted argument text do not close the call; if quotes are
/// unbalanced and no closing backtick is found that way, the first backtick is
/// used so that the error (if any) is about the call's content.
pub(crate) fn find_call_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut in_quote = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' if in_quote => i += 1,
            b'"' => in_quote = !in_quote,
            b'`' if !in_quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    b.get(from..)
        .and_then(|rest| rest.iter().position(|&c| c == b'`'))
        .map(|p| from + p)
}

/// A parsed call `name` or `name(args)`: ranges are offsets into the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub name: (usize, usize),
    pub args: Vec<(usize, usize)>,
}

/// Characters allowed in an argument name (and hence in `$name$`), per macros.conf.spec.
pub(crate) fn is_arg_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn is_name_char(c: u8) -> bool {
    // Stanza names are free-form in macros.conf; exclude only what would make a
    // call ambiguous (whitespace, call punctuation, quotes).
    !(c.is_ascii_whitespace() || matches!(c, b'(' | b')' | b',' | b'"' | b'`' | b'$' | b'='))
}

/// Parses the text between the backticks of a call (`text[a..b]`).
pub(crate) fn parse_call(text: &str, a: usize, b: usize) -> Result<Call, String> {
    let bytes = text.as_bytes();
    let (a, b) = trim(bytes, a, b);
    if a == b {
        return Err("expected macro name, found empty call".to_string());
    }
    let open = bytes
        .get(a..b)
        .and_then(|s| s.iter().position(|&c| c == b'('))
        .map(|p| a + p);
    let (name_end, args) = match open {
        None => (b, Vec::new()),
        Some(open) => {
            if bytes.get(b - 1) != Some(&b')') {
                return Err(format!(
                    "expected `)` at the end of the argument list, found {}",
                    describe_last(text, b)
                ));
            }
            let (ia, ib) = trim(bytes, open + 1, b - 1);
            let args = if ia == ib {
                Vec::new()
            } else {
                split_args(bytes, open + 1, b - 1)
            };
            (open, args)
        }
    };
    let (na, nb) = trim(bytes, a, name_end);
    if na == nb {
        return Err("expected macro name before `(`, found nothing".to_string());
    }
    if let Some(bad) = bytes
        .get(na..nb)
        .and_then(|s| s.iter().position(|&c| !is_name_char(c)))
    {
        let ch = text
            .get(na + bad..)
            .and_then(|s| s.chars().next())
            .unwrap_or('?');
        return Err(format!(
            "expected macro name, found `{}` (character {ch:?} is not allowed in a macro name)",
            text.get(na..nb).unwrap_or("")
        ));
    }
    Ok(Call {
        name: (na, nb),
        args,
    })
}

fn describe_last(text: &str, b: usize) -> String {
    match text.get(..b).and_then(|s| s.chars().next_back()) {
        Some(c) => format!("`{c}`"),
        None => "nothing".to_string(),
    }
}

/// Splits `bytes[a..b]` on commas outside double quotes and parentheses;
/// each piece is trimmed of ASCII whitespace.
pub(crate) fn split_args(bytes: &[u8], a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut start = a;
    let mut i = a;
    while i < b {
        let Some(&c) = bytes.get(i) else { break };
        match c {
            b'\\' if in_quote => i += 1,
            b'"' => in_quote = !in_quote,
            b'(' if !in_quote => depth += 1,
            b')' if !in_quote => depth = depth.saturating_sub(1),
            b',' if !in_quote && depth == 0 => {
                out.push(trim(bytes, start, i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(trim(bytes, start, b));
    out
}

/// Narrows `a..b` to exclude leading and trailing ASCII whitespace.
pub(crate) fn trim(bytes: &[u8], mut a: usize, mut b: usize) -> (usize, usize) {
    while a < b && bytes.get(a).is_some_and(u8::is_ascii_whitespace) {
        a += 1;
    }
    while b > a && bytes.get(b - 1).is_some_and(u8::is_ascii_whitespace) {
        b -= 1;
    }
    (a, b)
}

/// If every argument is `name=value` with `name` one of `params` (each used
/// once, all present), returns the value ranges reordered to `params` order.
pub(crate) fn named_args(
    bytes: &[u8],
    args: &[(usize, usize)],
    params: &[String],
) -> Option<Vec<(usize, usize)>> {
    if args.is_empty() || args.len() != params.len() {
        return None;
    }
    let mut slots: Vec<Option<(usize, usize)>> = vec![None; params.len()];
    for &(a, b) in args {
        let seg = bytes.get(a..b)?;
        let name_len = seg.iter().take_while(|&&c| is_arg_name_char(c)).count();
        if name_len == 0 {
            return None;
        }
        let (eq, _) = trim(bytes, a + name_len, b);
        if bytes.get(eq) != Some(&b'=') || eq >= b {
            return None;
        }
        let name = std::str::from_utf8(seg.get(..name_len)?).ok()?;
        let idx = params.iter().position(|p| p == name)?;
        let slot = slots.get_mut(idx)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(trim(bytes, eq + 1, b));
    }
    slots.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args_of(s: &str) -> Vec<&str> {
        let c = parse_call(s, 0, s.len()).unwrap();
        c.args.iter().map(|&(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn splits_top_level_commas_only() {
        assert_eq!(args_of("m(a, b ,c)"), ["a", "b", "c"]);
        assert_eq!(
            args_of(r#"m("a,b", f(x,y), c)"#),
            [r#""a,b""#, "f(x,y)", "c"]
        );
        assert_eq!(args_of(r#"m("q\",x", y)"#), [r#""q\",x""#, "y"]);
        assert_eq!(args_of("m(a,)"), ["a", ""]);
        assert!(args_of("m()").is_empty());
        assert!(args_of("m( )").is_empty());
    }

    #[test]
    fn rejects_malformed_calls() {
        assert!(parse_call("", 0, 0).is_err());
        assert!(parse_call("  ", 0, 2).is_err());
        assert!(parse_call("m(a", 0, 3).is_err());
        assert!(parse_call("(a)", 0, 3).is_err());
        assert!(parse_call("two words", 0, 9).is_err());
        assert!(parse_call("m(a) x", 0, 6).is_err());
    }

    #[test]
    fn comment_end_takes_whole_run() {
        let b = b"abc````rest";
        assert_eq!(find_comment_end(b, 0), Some((3, 7)));
        assert_eq!(find_comment_end(b"a``b", 0), None);
    }

    #[test]
    fn call_end_skips_quoted_backticks() {
        let s = br#"m("a`b")` tail"#;
        assert_eq!(find_call_end(s, 0), Some(8));
        // Unbalanced quote: fall back to the first backtick.
        assert_eq!(find_call_end(br#"m(")` x"#, 0), Some(4));
    }

    #[test]
    fn named_args_reorder() {
        let s = "m(b=2, a = 1)";
        let c = parse_call(s, 0, s.len()).unwrap();
        let params = vec!["a".to_string(), "b".to_string()];
        let v = named_args(s.as_bytes(), &c.args, &params).unwrap();
        let vals: Vec<&str> = v.iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(vals, ["1", "2"]);
        // A name that is not a parameter: positional.
        let s = "m(x=2, a=1)";
        let c = parse_call(s, 0, s.len()).unwrap();
        assert!(named_args(s.as_bytes(), &c.args, &params).is_none());
    }
}
