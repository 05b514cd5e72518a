//! Cutting a raw text file into partitions of whole events without reading
//! it: seek to a byte offset and resynchronise to the next event boundary.
//!
//! That is exact only when a boundary found by a search starting anywhere
//! is also a boundary of the one pass from the file's start. It holds for
//! the line breakers Splunk ships and add-ons use most, which [`seekable`]
//! recognises: `(C+)` or `(C)` for a class `C` of line-break or space
//! characters (the default `([\r\n]+)`: line starts are the ends of maximal
//! runs of `C`), and `LITERAL(C*)` / `LITERAL(C+)` for a literal that cannot
//! overlap itself or start inside the run (`</Event>(\s*)`, the Windows XML
//! preset: every occurrence of the literal is a match of the one pass). Then:
//!
//! - with `SHOULD_LINEMERGE = false` every line starts an event: the
//!   boundary is the first line start after the offset;
//! - with line merging, a line that starts an event by the settings (a
//!   timestamp with `BREAK_ONLY_BEFORE_DATE`, a `BREAK_ONLY_BEFORE` match)
//!   or follows a `MUST_BREAK_AFTER` match starts an event whatever came
//!   before (merging stops there, `MAX_EVENTS` only cuts earlier): the
//!   boundary is the first such line within [`RESYNC_WINDOW`] bytes, else
//!   the partition goes on to the next offset (a file without timestamps
//!   is one partition, read as a stream).
//!
//! Any other breaker (look-around, alternations...) is cut by one pass over
//! the file that breaks events but parses no timestamp unless merging needs
//! it. The one documented difference: a line longer than 8 MiB, which the
//! breaker gives up on and splits where its buffer happens to end
//! (`props.rs`), may be split elsewhere when its partition starts later.

use super::props::{truncated, Compiled, Events, Lines};
use std::io::{BufReader, Read, Seek, SeekFrom};

/// How far past an offset a boundary is looked for before giving up on it.
pub(crate) const RESYNC_WINDOW: u64 = 1 << 20;

/// Partition byte ranges, each whole events, about `size` bytes each, over
/// a file of `len` bytes.
pub(crate) fn cut(
    c: &Compiled,
    f: &mut std::fs::File,
    len: u64,
    size: u64,
) -> std::io::Result<Vec<(u64, u64)>> {
    let size = size.max(1);
    if len <= size {
        return Ok(vec![(0, len)]);
    }
    if !seekable(&c.props.line_breaker) {
        return cut_by_one_pass(c, f, len, size);
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let mut at = size;
    while at < len {
        match resync(c, f, at, len)? {
            Some(b) if b > start && b < len => {
                parts.push((start, b));
                start = b;
                at = b + size;
            }
            // nothing up to the end of the file: nothing further on either
            None if at + RESYNC_WINDOW >= len => break,
            _ => at += size,
        }
    }
    parts.push((start, len));
    Ok(parts)
}

/// The first event boundary after byte `at` (which is itself skipped:
/// nothing says a line starts there), within [`RESYNC_WINDOW`].
fn resync(c: &Compiled, f: &mut std::fs::File, at: u64, len: u64) -> std::io::Result<Option<u64>> {
    f.seek(SeekFrom::Start(at))?;
    let window = RESYNC_WINDOW.min(len - at);
    let mut lines = Lines::new(c, BufReader::new((&mut *f).take(window)));
    // the first "line" may start anywhere: its end is a true line start
    let Some((_, mut next)) = lines.next_line()? else {
        return Ok(None);
    };
    if next >= window {
        // no separator in the window (or only one at its very end, which a
        // longer read might extend)
        return Ok(None);
    }
    if !c.props.should_linemerge {
        return Ok(Some(at + next));
    }
    let mut broke_after = false;
    loop {
        let here = next;
        let Some((bytes, after)) = lines.next_line()? else {
            return Ok(None);
        };
        if after >= window && at + window < len {
            // the line may go on past the window: undecided
            return Ok(None);
        }
        let line = truncated(bytes, c.props.truncate);
        if broke_after || c.starts_event(&line) {
            return Ok(Some(at + here));
        }
        broke_after = c.must_break_after(&line);
        next = after;
    }
}

/// The fallback: one pass breaking events, cutting at the first event that
/// starts `size` bytes or more after the partition's start.
fn cut_by_one_pass(
    c: &Compiled,
    f: &mut std::fs::File,
    len: u64,
    size: u64,
) -> std::io::Result<Vec<(u64, u64)>> {
    f.seek(SeekFrom::Start(0))?;
    let mut events = Events::new(c, BufReader::new(&mut *f), 0);
    let mut parts = Vec::new();
    let (mut start, mut any) = (0u64, false);
    while let Some(ev) = events.next_event()? {
        if any && ev.start - start >= size {
            parts.push((start, ev.start));
            start = ev.start;
        }
        any = true;
    }
    parts.push((start, len));
    Ok(parts)
}

/// The classes a seekable breaker may use: line breaks and spaces only, so
/// no character of a literal before them (checked to be none of these).
fn space_class(class: &str) -> bool {
    match class {
        r"\s" | r"\n" | r"\r" | r"\R" => true,
        _ => class
            .strip_prefix('[')
            .and_then(|c| c.strip_suffix(']'))
            .is_some_and(|inner| {
                !inner.is_empty() && !inner.starts_with('^') && {
                    let mut rest = inner;
                    let mut ok = true;
                    while !rest.is_empty() {
                        let took = [r"\r", r"\n", r"\s", r"\t", r"\f", r"\v", " "]
                            .iter()
                            .find(|t| rest.starts_with(**t));
                        match took {
                            Some(t) => rest = &rest[t.len()..],
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    ok
                }
            }),
    }
}

/// Whether `LINE_BREAKER` is one of the forms whose boundaries a search
/// from any offset finds exactly (see the module docs).
pub(crate) fn seekable(breaker: &str) -> bool {
    let Some(open) = breaker.find('(') else {
        return false;
    };
    let (literal, group) = breaker.split_at(open);
    let Some(inner) = group.strip_prefix('(').and_then(|g| g.strip_suffix(')')) else {
        return false;
    };
    let (class, quant) = match inner.chars().last() {
        Some(q @ ('+' | '*')) => (&inner[..inner.len() - 1], Some(q)),
        _ => (inner, None),
    };
    if !space_class(class) {
        return false;
    }
    if literal.is_empty() {
        // `(C*)` matches the empty string everywhere: not a plain run
        return quant != Some('*');
    }
    let plain = literal
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "<>/_:;,'\"=-!@#%&~`".contains(ch));
    plain && !has_border(literal.as_bytes())
}

/// Whether a proper prefix of `s` is also its suffix (then occurrences may
/// overlap, and a search from inside one finds another).
fn has_border(s: &[u8]) -> bool {
    (1..s.len()).any(|k| s.get(..k) == s.get(s.len() - k..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seekable_breakers() {
        for b in [
            r"([\r\n]+)",
            r"([\n\r]+)",
            r"(\n+)",
            r"(\n)",
            r"([\r\n\s]+)",
            r"(\s+)",
            r"</Event>(\s*)",
            r"</Event>([\r\n]+)",
            r"END;(\s+)",
        ] {
            assert!(seekable(b), "{b}");
        }
        for b in [
            r"([\r\n]+)(?=\d{4}-)",
            r"([\r\n]*)",
            r"(\r?\n)",
            r"([\r\n]+)\d{4}-",
            r"aa([\r\n]+)",
            r"abab(\s*)",
            r"x.y(\s*)",
            r"([^a]+)",
            r"((a+)+)$",
            r"([\r\n]+|;)",
            r"(,)",
        ] {
            assert!(!seekable(b), "{b}");
        }
    }
}
