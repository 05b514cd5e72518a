//! The subset of eval that `iseval = true` macro definitions can use here.
//!
//! The parser crate has no eval engine, so we evaluate only constant string
//! expressions: double-quoted literals and numbers joined by `.` (or `+`
//! between two strings), optionally parenthesised. `$arg$` has already been
//! substituted textually, which is what Splunk does before evaluating.

/// Evaluates `text`; on failure returns a description of the first
/// unsupported construct (`expected ..., found ...` style).
pub(crate) fn eval_string(text: &str) -> Result<String, String> {
    let mut p = P {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    let v = p.concat()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.found());
    }
    Ok(v.into_string())
}

enum Val {
    Str(String),
    Num(String),
}

impl Val {
    fn into_string(self) -> String {
        match self {
            Val::Str(s) | Val::Num(s) => s,
        }
    }
}

struct P<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn found(&self) -> String {
        let rest = self.text.get(self.i..).unwrap_or("");
        if rest.is_empty() {
            "end of expression".to_string()
        } else {
            let snippet: String = rest.chars().take(24).collect();
            format!("`{snippet}`")
        }
    }

    fn concat(&mut self) -> Result<Val, String> {
        let mut acc = self.term()?;
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b'.') => {
                    self.i += 1;
                    let rhs = self.term()?;
                    acc = Val::Str(acc.into_string() + &rhs.into_string());
                }
                Some(b'+') => {
                    let at = self.i;
                    self.i += 1;
                    let rhs = self.term()?;
                    match (acc, rhs) {
                        (Val::Str(a), Val::Str(b)) => acc = Val::Str(a + &b),
                        _ => {
                            self.i = at;
                            return Err("`+` between numbers (arithmetic is not supported)".into());
                        }
                    }
                }
                _ => return Ok(acc),
            }
        }
    }

    fn term(&mut self) -> Result<Val, String> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'"') => self.string(),
            Some(b'(') => {
                self.i += 1;
                let v = self.concat()?;
                self.ws();
                if self.s.get(self.i) != Some(&b')') {
                    return Err(self.found());
                }
                self.i += 1;
                Ok(v)
            }
            Some(c) if c.is_ascii_digit() || *c == b'-' => self.number(),
            _ => Err(self.found()),
        }
    }

    fn string(&mut self) -> Result<Val, String> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        let mut seg = self.i;
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'"' => {
                    out.push_str(self.text.get(seg..self.i).unwrap_or(""));
                    self.i += 1;
                    return Ok(Val::Str(out));
                }
                // eval string escapes: \" and \\ (other backslashes stay literal).
                b'\\' if matches!(self.s.get(self.i + 1), Some(b'"' | b'\\')) => {
                    out.push_str(self.text.get(seg..self.i).unwrap_or(""));
                    seg = self.i + 1;
                    self.i += 2;
                }
                _ => self.i += 1,
            }
        }
        self.i = start;
        Err("an unterminated string literal".to_string())
    }

    fn number(&mut self) -> Result<Val, String> {
        let start = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.i;
            while p.s.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i > from
        };
        if !digits(self) {
            self.i = start;
            return Err(self.found());
        }
        if self.s.get(self.i) == Some(&b'.')
            && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit)
        {
            self.i += 1;
            digits(self);
        }
        Ok(Val::Num(
            self.text.get(start..self.i).unwrap_or("").to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::eval_string;

    #[test]
    fn literals_and_concatenation() {
        assert_eq!(eval_string(r#""index=main""#).unwrap(), "index=main");
        assert_eq!(eval_string(r#""a" . "b" . 5"#).unwrap(), "ab5");
        assert_eq!(eval_string(r#" ("x" + "y") . "z" "#).unwrap(), "xyz");
        assert_eq!(eval_string(r#""q\"uote\\""#).unwrap(), r#"q"uote\"#);
        assert_eq!(eval_string("1.5").unwrap(), "1.5");
    }

    #[test]
    fn unsupported_constructs_are_described() {
        assert!(eval_string(r#"if(x, "a", "b")"#)
            .unwrap_err()
            .contains("if(x"));
        assert!(eval_string(r#""a" . field"#).unwrap_err().contains("field"));
        assert!(eval_string("1 + 2").unwrap_err().contains("arithmetic"));
        assert!(eval_string(r#""abc"#).unwrap_err().contains("unterminated"));
        assert!(eval_string("").unwrap_err().contains("end of expression"));
    }
}
