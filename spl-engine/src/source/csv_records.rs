//! A CSV record tokenizer over bytes in memory (RFC 4180 quoting), for the
//! metrics CSV reader: fields come back as byte slices of the buffer, so a
//! reader can parse, filter and intern them without building a string column
//! for every field first.
//!
//! It reads what the `csv` crate's reader accepts: records end at `\n`,
//! `\r\n` or `\r`; blank lines are skipped; a quote inside an unquoted field
//! is a literal character, and so is text after a closing quote (`"ab"c` is
//! `abc`); `""` inside quotes is one quote. One difference: a quoted field
//! left open at the end of the input is an error naming the line where its
//! record starts, not silently the rest of the file.

/// One field of the current record: a byte range of the input, or of the
/// scratch buffer when unescaping changed its bytes.
#[derive(Debug, Clone, Copy)]
struct FieldRef {
    start: usize,
    end: usize,
    scratch: bool,
}

/// Records of a byte buffer, one at a time.
pub(crate) struct Records {
    buf: Vec<u8>,
    pos: usize,
    /// The file line of `buf[pos]`.
    line: usize,
    fields: Vec<FieldRef>,
    scratch: Vec<u8>,
}

impl Records {
    /// Tokenizes `buf`, whose first byte is on file line `line`.
    pub(crate) fn new(buf: Vec<u8>, line: usize) -> Records {
        Records {
            buf,
            pos: 0,
            line,
            fields: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Moves to the next non-blank record and returns its first line;
    /// `Ok(None)` at the end, `Err(line)` when a quoted field opened on
    /// `line` is never closed.
    pub(crate) fn next_record(&mut self) -> Result<Option<usize>, usize> {
        loop {
            match self.buf.get(self.pos) {
                None => return Ok(None),
                Some(b'\n') => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if self.buf.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                }
                Some(_) => break,
            }
            self.line += 1;
        }
        let first_line = self.line;
        self.fields.clear();
        self.scratch.clear();
        loop {
            let field = match self.buf.get(self.pos) {
                Some(b'"') => self.quoted().ok_or(first_line)?,
                _ => {
                    let start = self.pos;
                    self.pos = self.literal_end(start);
                    FieldRef {
                        start,
                        end: self.pos,
                        scratch: false,
                    }
                }
            };
            self.fields.push(field);
            match self.buf.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if self.buf.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    self.line += 1;
                    break;
                }
                Some(_) => {
                    // `\n`: `literal_end` stops only at a delimiter
                    self.pos += 1;
                    self.line += 1;
                    break;
                }
                None => break,
            }
        }
        Ok(Some(first_line))
    }

    /// The position of the first `,`, `\r` or `\n` at or after `from`.
    fn literal_end(&self, from: usize) -> usize {
        self.buf
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| matches!(b, b',' | b'\n' | b'\r')))
            .map_or(self.buf.len(), |i| from + i)
    }

    /// Reads a quoted field starting at the opening quote; `None` when it
    /// is not closed.
    fn quoted(&mut self) -> Option<FieldRef> {
        self.pos += 1;
        let mut segment = self.pos;
        // where this field's bytes start in `scratch`, once it has to be copied
        let mut copied: Option<usize> = None;
        loop {
            let rest = self.buf.get(self.pos..)?;
            let q = self.pos + rest.iter().position(|&b| b == b'"')?;
            self.line += self
                .buf
                .get(self.pos..q)
                .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
            if self.buf.get(q + 1) == Some(&b'"') {
                copied.get_or_insert(self.scratch.len());
                self.scratch
                    .extend_from_slice(self.buf.get(segment..=q).unwrap_or_default());
                self.pos = q + 2;
                segment = self.pos;
                continue;
            }
            let content_end = q;
            let tail = q + 1;
            self.pos = self.literal_end(tail);
            if copied.is_none() && tail == self.pos {
                return Some(FieldRef {
                    start: segment,
                    end: content_end,
                    scratch: false,
                });
            }
            let start = *copied.get_or_insert(self.scratch.len());
            self.scratch
                .extend_from_slice(self.buf.get(segment..content_end).unwrap_or_default());
            self.scratch
                .extend_from_slice(self.buf.get(tail..self.pos).unwrap_or_default());
            return Some(FieldRef {
                start,
                end: self.scratch.len(),
                scratch: true,
            });
        }
    }

    /// Fields in the current record.
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `i` of the current record (empty when out of range).
    pub(crate) fn field(&self, i: usize) -> &[u8] {
        let Some(f) = self.fields.get(i) else {
            return &[];
        };
        let src = if f.scratch { &self.scratch } else { &self.buf };
        src.get(f.start..f.end).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
        let mut r = Records::new(text.as_bytes().to_vec(), 1);
        let mut out = Vec::new();
        while let Some(line) = r.next_record()? {
            let fields = (0..r.len())
                .map(|i| String::from_utf8_lossy(r.field(i)).into_owned())
                .collect();
            out.push((line, fields));
        }
        Ok(out)
    }

    #[test]
    fn quoting_terminators_and_blank_lines() {
        let got =
            all("a,\"b,c\",\"d\"\"e\"\r\n\r\n\"x\ny\",,\"ab\"cd\n\nq\"r,\"\",z\rlast,\"\"\"\"")
                .unwrap();
        let want: Vec<(usize, Vec<&str>)> = vec![
            (1, vec!["a", "b,c", "d\"e"]),
            (3, vec!["x\ny", "", "abcd"]),
            (6, vec!["q\"r", "", "z"]),
            (7, vec!["last", "\""]),
        ];
        let got: Vec<(usize, Vec<&str>)> = got
            .iter()
            .map(|(l, f)| (*l, f.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn trailing_comma_and_empty_input() {
        assert_eq!(
            all("a,").unwrap(),
            vec![(1, vec!["a".to_string(), String::new()])]
        );
        assert_eq!(all("").unwrap(), vec![]);
        assert_eq!(all("\n\r\n").unwrap(), vec![]);
    }

    #[test]
    fn open_quote_names_the_record_line() {
        assert_eq!(all("a,b\n1,\"open\n2,3\n"), Err(2));
        assert_eq!(all("\"\"\""), Err(1));
    }

    #[test]
    fn agrees_with_the_header_splitter() {
        let line = r#"x,"a ""q"" b",,"c,d",ef"#;
        let got = all(line).unwrap();
        let want = super::super::csv_util::split_csv_record(line).unwrap();
        assert_eq!(got[0].1, want);
    }
}
