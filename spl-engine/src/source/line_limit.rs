//! `max_line_bytes`: the longest line a data reader accepts. [`LineGuard`]
//! wraps the bytes a reader consumes and fails as soon as a line grows past
//! the limit, so one enormous line is an error naming its file and line
//! without ever being held whole. A line is counted up to its `\n` (a quoted
//! CSV field that spans lines counts each physical line).

use crate::error::EngineError;
use std::io::Read;

/// The error a [`LineGuard`] reports (inside an `std::io::Error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineTooLong {
    /// The 1-based line, counted from where the guard started.
    pub(crate) line: usize,
    /// The limit.
    pub(crate) max: u64,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} is longer than {} bytes", self.line, self.max)
    }
}

impl std::error::Error for LineTooLong {}

/// Passes bytes through and counts the current line's length.
pub(crate) struct LineGuard<R> {
    inner: R,
    max: u64,
    /// Bytes of the current line so far.
    run: u64,
    /// Line breaks passed.
    breaks: usize,
}

impl<R> LineGuard<R> {
    /// Guards `inner`, whose first byte starts line 1.
    pub(crate) fn new(inner: R, max: u64) -> Self {
        LineGuard {
            inner,
            max,
            run: 0,
            breaks: 0,
        }
    }

    /// Counts `bytes` as read; the error names the line past the limit.
    fn see(&mut self, mut bytes: &[u8]) -> Result<(), LineTooLong> {
        loop {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(p) => {
                    self.run = self.run.saturating_add(p as u64);
                    self.check()?;
                    self.run = 0;
                    self.breaks += 1;
                    bytes = bytes.get(p + 1..).unwrap_or_default();
                }
                None => {
                    self.run = self.run.saturating_add(bytes.len() as u64);
                    return self.check();
                }
            }
        }
    }

    fn check(&self) -> Result<(), LineTooLong> {
        if self.run > self.max {
            return Err(LineTooLong {
                line: self.breaks + 1,
                max: self.max,
            });
        }
        Ok(())
    }
}

impl<R: Read> Read for LineGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.see(buf.get(..n).unwrap_or_default())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        Ok(n)
    }
}

/// The line-limit error inside `e`, if it is one.
pub(crate) fn too_long(e: &std::io::Error) -> Option<LineTooLong> {
    e.get_ref()?.downcast_ref::<LineTooLong>().copied()
}

/// The data error for a line past `max_line_bytes`; `lines_before` is the
/// number of lines of the file before where the guard started.
pub(crate) fn error(display: &str, lines_before: usize, t: LineTooLong) -> EngineError {
    crate::limits::data_exceeded(
        display,
        Some(lines_before + t.line),
        "max_line_bytes",
        t.max,
        format!("the line is longer than {} bytes", t.max),
    )
}

/// An I/O error of a guarded read: the line-limit error when it is one.
pub(crate) fn io_error(display: &str, lines_before: usize, e: std::io::Error) -> EngineError {
    match too_long(&e) {
        Some(t) => error(display, lines_before, t),
        None => EngineError::Io {
            path: display.to_string(),
            source: e,
        },
    }
}

/// Reads all of `r` (a file, whose lines start at line 1) through a guard.
pub(crate) fn read_all(r: impl Read, display: &str, max: u64) -> crate::error::Result<Vec<u8>> {
    let mut out = Vec::new();
    LineGuard::new(r, max)
        .read_to_end(&mut out)
        .map_err(|e| io_error(display, 0, e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &[u8], max: u64, chunk: usize) -> Option<LineTooLong> {
        let mut g = LineGuard::new(text, max);
        let mut buf = vec![0u8; chunk];
        loop {
            match g.read(&mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return too_long(&e),
            }
        }
    }

    #[test]
    fn names_the_first_line_past_the_limit_whatever_the_chunks() {
        let text = b"abcd\nabcde\nabcdef\nab";
        for chunk in [1, 2, 3, 7, 64] {
            assert_eq!(first_error(text, 6, chunk), None, "chunk {chunk}");
            assert_eq!(
                first_error(text, 5, chunk),
                Some(LineTooLong { line: 3, max: 5 }),
                "chunk {chunk}"
            );
            assert_eq!(
                first_error(text, 4, chunk),
                Some(LineTooLong { line: 2, max: 4 })
            );
        }
        // a last line without a break counts too
        assert_eq!(
            first_error(b"ab\nabcdefgh", 4, 3),
            Some(LineTooLong { line: 2, max: 4 })
        );
    }

    #[test]
    fn an_endless_line_fails_after_the_limit() {
        // an endless reader of one byte value: the guard stops it
        let mut g = LineGuard::new(std::io::repeat(b'x'), 1000);
        let mut sink = Vec::new();
        let e = g.read_to_end(&mut sink).unwrap_err();
        assert_eq!(too_long(&e), Some(LineTooLong { line: 1, max: 1000 }));
        assert!(sink.len() < 1000 + 64 * 1024);
    }
}
