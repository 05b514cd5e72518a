//! ```` ```comment``` ```` removal. Splunk replaces a comment with one space;
//! we replace it with as many spaces as it has bytes so that every span still
//! points into the text the user wrote.

use crate::error::ParseError;
use crate::span::Span;
use std::borrow::Cow;

/// Blanks out triple-backtick comments outside double-quoted strings.
pub(crate) fn strip_comments(src: &str) -> Result<Cow<'_, str>, ParseError> {
    // Backticks are rare after macro expansion: a byte scan rules most queries out.
    if !src.contains('`') || !src.contains("```") {
        return Ok(Cow::Borrowed(src));
    }
    let bytes = src.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut in_quote = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                in_quote = !in_quote;
                i += 1;
            }
            b'`' if !in_quote && bytes[i..].starts_with(b"```") => {
                let body = i + 3;
                let Some(len) = src.get(body..).and_then(|r| r.find("```")) else {
                    return Err(ParseError::UnterminatedComment {
                        span: Span::new(i, body),
                    });
                };
                let end = body + len + 3;
                let buf = out.get_or_insert_with(|| bytes.to_vec());
                for b in buf.iter_mut().take(end).skip(i) {
                    *b = b' ';
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    match out {
        // Only whole UTF-8 sequences inside comments were replaced by ASCII
        // spaces, so the buffer is still valid UTF-8.
        Some(buf) => {
            Ok(Cow::Owned(String::from_utf8(buf).unwrap_or_else(|e| {
                String::from_utf8_lossy(e.as_bytes()).into()
            })))
        }
        None => Ok(Cow::Borrowed(src)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_comment_with_same_length_blanks() {
        let s = "stats```x```count";
        assert_eq!(strip_comments(s).unwrap(), "stats       count");
    }

    #[test]
    fn comment_inside_quotes_is_text() {
        let s = r#"search "a```b```c" ```real```"#;
        assert_eq!(
            strip_comments(s).unwrap(),
            r#"search "a```b```c"           "#
        );
    }

    #[test]
    fn multibyte_comment_keeps_offsets() {
        let s = "a ```é``` b";
        let out = strip_comments(s).unwrap();
        assert_eq!(out.len(), s.len());
        assert!(out.ends_with(" b"));
    }

    #[test]
    fn unterminated_comment_is_an_error() {
        let e = strip_comments("a ```open").unwrap_err();
        assert_eq!(e.span(), Some(Span::new(2, 5)));
    }
}
