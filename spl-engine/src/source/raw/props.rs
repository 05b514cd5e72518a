//! Event breaking and timestamp settings (the `props.conf` keys a sourcetype
//! may set), and the breaker that turns a byte stream into events.
//!
//! Breaking follows Splunk's two steps: `LINE_BREAKER` cuts the stream into
//! lines (the text its first capturing group matches is dropped), each line
//! is cut to `TRUNCATE` bytes, then with `SHOULD_LINEMERGE` lines merge into
//! events: a new event starts before a line that matches `BREAK_ONLY_BEFORE`
//! (when set) or, with `BREAK_ONLY_BEFORE_DATE`, holds a timestamp; after a
//! line that matches `MUST_BREAK_AFTER`; and after `MAX_EVENTS` lines.

use super::recognize::{parse_with_format, recognize, Found, TimeContext};
use crate::error::{EngineError, Result};
use crate::pcre::{Matcher, Pcre};
use std::io::Read;

/// `DATETIME_CONFIG`: how events get their time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DatetimeConfig {
    /// Recognise timestamps in the text (Splunk's `datetime.xml`).
    #[default]
    Auto,
    /// Every event takes the clock's time (`CURRENT`).
    Current,
    /// No timestamp extraction: events take the file's modification time
    /// (`NONE`).
    None,
}

/// The per-sourcetype settings of event breaking and timestamp extraction,
/// named as in `props.conf`; [`RawProps::default`] is Splunk's defaults.
/// Regexes are PCRE, as in Splunk, within the engine's PCRE limits
/// (`crate::pcre`); `LINE_BREAKER` matches bytes (no UTF-8 mode), the others
/// match text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawProps {
    /// `LINE_BREAKER` (default `([\r\n]+)`): its first capturing group is
    /// the text between lines.
    pub line_breaker: String,
    /// `SHOULD_LINEMERGE` (default true).
    pub should_linemerge: bool,
    /// `BREAK_ONLY_BEFORE` (default none).
    pub break_only_before: Option<String>,
    /// `BREAK_ONLY_BEFORE_DATE` (default true).
    pub break_only_before_date: bool,
    /// `MUST_BREAK_AFTER` (default none).
    pub must_break_after: Option<String>,
    /// `MAX_EVENTS`: lines per merged event (default 256).
    pub max_events: usize,
    /// `TRUNCATE`: bytes per line, 0 for no limit (default 10000).
    pub truncate: usize,
    /// `TIME_PREFIX`: the timestamp is looked for after its first match.
    pub time_prefix: Option<String>,
    /// `TIME_FORMAT` (strptime: `%Y-%m-%dT%H:%M:%S%z`, `%b %d %H:%M:%S`...).
    pub time_format: Option<String>,
    /// `MAX_TIMESTAMP_LOOKAHEAD`: characters searched for the timestamp
    /// (default 128).
    pub max_timestamp_lookahead: usize,
    /// `TZ`: zone of timestamps written without an offset (default UTC).
    pub tz: Option<String>,
    /// `DATETIME_CONFIG` (`CURRENT`, `NONE`; default recognition).
    pub datetime_config: DatetimeConfig,
}

impl Default for RawProps {
    fn default() -> Self {
        RawProps {
            line_breaker: r"([\r\n]+)".to_string(),
            should_linemerge: true,
            break_only_before: None,
            break_only_before_date: true,
            must_break_after: None,
            max_events: 256,
            truncate: 10000,
            time_prefix: None,
            time_format: None,
            max_timestamp_lookahead: 128,
            tz: None,
            datetime_config: DatetimeConfig::Auto,
        }
    }
}

impl RawProps {
    /// The settings for Windows XML event logs (`XmlWinEventLog`, as
    /// exported): one `<Event>...</Event>` per event, wherever the lines
    /// break, not truncated, the time from `SystemTime`.
    pub fn xml_win_event_log() -> Self {
        RawProps {
            line_breaker: r"</Event>(\s*)".to_string(),
            should_linemerge: false,
            truncate: 0,
            time_prefix: Some(r#"SystemTime=['"]"#.to_string()),
            ..RawProps::default()
        }
    }

    /// The settings used for a sourcetype when none are given: the XML
    /// preset for `XmlWinEventLog` (and `xmlwineventlog:*`), else Splunk's
    /// defaults.
    pub fn for_sourcetype(sourcetype: &str) -> Self {
        let st = sourcetype.to_ascii_lowercase();
        if st == "xmlwineventlog" || st.starts_with("xmlwineventlog:") {
            RawProps::xml_win_event_log()
        } else {
            RawProps::default()
        }
    }
}

/// Where the settings of a raw file come from when its `--data` spec gives
/// none: the index-time `props.conf` settings of the loaded apps (the
/// knowledge layer implements it), looked up by the dataset's sourcetype,
/// source and host and laid over `base`, the built-in settings of its
/// sourcetype ([`RawProps::for_sourcetype`]).
pub trait IndexTimeProps: Send + Sync {
    /// The settings for events of `sourcetype` from `source` on `host`.
    fn resolve(
        &self,
        sourcetype: &str,
        source: &str,
        host: &str,
        base: RawProps,
    ) -> Result<RawProps>;
}

/// Checks a `TIME_FORMAT`: every `%` directive must be one the engine parses
/// (strptime's, with Splunk's `%<n>N` subseconds); the message says which is
/// not. Formatting-only directives (`%c`, `%x`, `%X`, `%r`, `%q`) and zone
/// abbreviations (`%Z`) cannot be parsed and are refused here rather than
/// failing on every event.
pub fn check_time_format(format: &str) -> std::result::Result<(), String> {
    if format.trim().is_empty() {
        return Err("expected a format, found nothing".into());
    }
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        // flags, width and `:` modifiers come before the directive letter
        let mut spec = String::from("%");
        while let Some(&f) = chars.peek() {
            if matches!(f, '-' | '_' | '0' | '^' | '#' | ':' | '.') || f.is_ascii_digit() {
                spec.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let Some(d) = chars.next() else {
            return Err(format!(
                "expected a directive after `{spec}` at the end of `{format}`"
            ));
        };
        spec.push(d);
        let parsed = "%AaBbCDdeFfGgHhIjklMmNnPpQRSsTtUuVWwYyz".contains(d);
        if !parsed {
            return Err(format!(
                "expected a strptime directive (%Y %m %d %H %M %S %z %b %N ...), found `{spec}` in `{format}`"
            ));
        }
    }
    Ok(())
}

/// [`RawProps`] with regexes compiled and the zone resolved.
pub(crate) struct Compiled {
    pub props: RawProps,
    line_breaker: Pcre,
    break_before: Option<Pcre>,
    break_after: Option<Pcre>,
    time_prefix: Option<Pcre>,
    pub time: TimeContext,
    /// XML events: text outside `<Event ...>` (a declaration, `<Events>`) is
    /// no event.
    xml: bool,
}

impl Compiled {
    pub(crate) fn new(props: &RawProps, display: &str, year_ref: Option<f64>) -> Result<Compiled> {
        let err = |key: &str, msg: String| EngineError::data(display, None, Some(key), msg);
        let re = |key: &str, p: &str| {
            Pcre::new(p).map_err(|e| {
                err(
                    key,
                    format!("expected a PCRE regular expression: {}", e.message),
                )
            })
        };
        let line_breaker = Pcre::new_bytes(&props.line_breaker).map_err(|e| {
            err(
                "LINE_BREAKER",
                format!("expected a PCRE regular expression: {}", e.message),
            )
        })?;
        if line_breaker.group_count() < 1 {
            return Err(err(
                "LINE_BREAKER",
                format!(
                    "expected a capturing group (the text between events), found `{}`",
                    props.line_breaker
                ),
            ));
        }
        let tz = match &props.tz {
            None => jiff::tz::TimeZone::UTC,
            Some(name) => jiff::tz::TimeZone::get(name)
                .map_err(|e| err("TZ", format!("expected a time zone name: {e}")))?,
        };
        if let Some(f) = &props.time_format {
            // a format that cannot parse fails on every event: say so once
            check_time_format(f).map_err(|m| err("TIME_FORMAT", m))?;
        }
        Ok(Compiled {
            break_before: props
                .break_only_before
                .as_deref()
                .map(|p| re("BREAK_ONLY_BEFORE", p))
                .transpose()?,
            break_after: props
                .must_break_after
                .as_deref()
                .map(|p| re("MUST_BREAK_AFTER", p))
                .transpose()?,
            time_prefix: props
                .time_prefix
                .as_deref()
                .map(|p| re("TIME_PREFIX", p))
                .transpose()?,
            xml: props.line_breaker.contains("</Event>"),
            line_breaker,
            props: props.clone(),
            time: TimeContext { year_ref, tz },
        })
    }

    /// The timestamp of an event (or line): after `TIME_PREFIX`, within
    /// `MAX_TIMESTAMP_LOOKAHEAD` characters, by `TIME_FORMAT` or recognition.
    pub(crate) fn find_time(&self, text: &str) -> Option<Found> {
        let from = match &self.time_prefix {
            // a regex limit hit is no prefix found, as no match is
            Some(p) => p.find(text).ok().flatten()?.1,
            None => 0,
        };
        let rest = text.get(from..)?;
        let n = self.props.max_timestamp_lookahead;
        // the first `n` characters: `n` bytes when they are ASCII
        let look = if rest.len() <= n {
            rest.len()
        } else if rest.as_bytes().get(..n).is_some_and(<[u8]>::is_ascii) {
            n
        } else {
            rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i)
        };
        let window = rest.get(..look)?;
        let f = match &self.props.time_format {
            Some(fmt) => parse_with_format(window, fmt, &self.time)
                .or_else(|| parse_with_format(rest, fmt, &self.time))?,
            None => recognize(window, &self.time)?,
        };
        Some(Found {
            start: f.start + from,
            end: f.end + from,
            ..f
        })
    }

    /// Whether a line starts an event when lines merge (a timestamp with
    /// `BREAK_ONLY_BEFORE_DATE`, a `BREAK_ONLY_BEFORE` match).
    pub(crate) fn starts_event(&self, line: &str) -> bool {
        self.starts_event_found(line).0
    }

    /// [`Compiled::starts_event`], and the line's timestamp when finding it
    /// was how it was decided.
    fn starts_event_found(&self, line: &str) -> (bool, Option<Option<Found>>) {
        match &self.break_before {
            Some(re) => (re.is_match(line).unwrap_or(false), None),
            None if self.props.break_only_before_date => {
                let f = self.find_time(line);
                (f.is_some(), Some(f))
            }
            None => (false, None),
        }
    }

    /// Whether an event ends after this line (`MUST_BREAK_AFTER`).
    pub(crate) fn must_break_after(&self, line: &str) -> bool {
        self.break_after
            .as_ref()
            .is_some_and(|re| re.is_match(line).unwrap_or(false))
    }
}

/// Cuts a byte stream into lines with `LINE_BREAKER`; each line comes with
/// the offset (from the stream's start) where the next line starts.
pub(crate) struct Lines<'c, R> {
    /// `LINE_BREAKER` with its match data.
    breaker: Matcher<'c>,
    src: R,
    buf: Vec<u8>,
    /// Start of the unread part of `buf`.
    pos: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// Where the breaker's last search in `buf` stopped without a match.
    searched: usize,
    eof: bool,
}

/// Searching a line longer than this for its break is given up: it becomes
/// a line of its own (then truncated).
const MAX_PENDING: usize = 8 << 20;
/// How far back a search resumes (Splunk's `LINE_BREAKER_LOOKBEHIND`).
const LOOKBEHIND: usize = 100;

impl<'c, R: Read> Lines<'c, R> {
    pub(crate) fn new(c: &'c Compiled, src: R) -> Self {
        Lines {
            breaker: c.line_breaker.matcher(),
            src,
            buf: Vec::new(),
            pos: 0,
            base: 0,
            searched: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.searched = self.searched.saturating_sub(self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 1 << 16];
        let n = self.src.read(&mut chunk)?;
        if n == 0 {
            self.eof = true;
        }
        self.buf
            .extend_from_slice(chunk.get(..n).unwrap_or_default());
        Ok(())
    }

    /// The next line's bytes (before the breaker's group) and the stream
    /// offset after its separator.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<(Vec<u8>, u64)>> {
        loop {
            let from = self.searched.max(self.pos);
            let hay = self.buf.get(self.pos..).unwrap_or_default();
            let start = from - self.pos;
            let groups = self.breaker.find_bytes_at(hay, start).map_err(|e| {
                let why = match e {
                    crate::pcre::MatchError::Limit(l) => format!("exceeded the {}", l.describe()),
                    crate::pcre::MatchError::Failed(m) => m,
                };
                std::io::Error::other(format!("LINE_BREAKER: {why}"))
            })?;
            let found = groups.and_then(|g| {
                let (w_start, w_end) = (*g.first()?)?;
                let (g_start, g_end) = (*g.get(1)?)?;
                Some((w_start, w_end, g_start, g_end))
            });
            let mut resume = None;
            match found {
                // an empty separator at the very start: look further on
                Some((_, _, _, 0)) => {
                    self.searched = self.pos + 1;
                    if self.pos < self.buf.len() {
                        continue;
                    }
                }
                // a match touching the end may grow with more input
                Some((_, end, g_start, g_end)) if end < hay.len() || self.eof => {
                    let line = hay.get(..g_start).unwrap_or_default().to_vec();
                    self.pos += g_end;
                    self.searched = self.pos;
                    return Ok(Some((line, self.base + self.pos as u64)));
                }
                Some((m_start, ..)) => resume = Some(self.pos + m_start),
                None => {}
            }
            if self.eof {
                if hay.is_empty() {
                    return Ok(None);
                }
                let line = hay.to_vec();
                self.pos = self.buf.len();
                return Ok(Some((line, self.base + self.pos as u64)));
            }
            if hay.len() > MAX_PENDING {
                let line = hay.to_vec();
                self.pos = self.buf.len();
                self.searched = self.pos;
                return Ok(Some((line, self.base + self.pos as u64)));
            }
            self.searched = resume
                .unwrap_or_else(|| self.buf.len().saturating_sub(LOOKBEHIND))
                .max(self.pos);
            self.fill()?;
        }
    }
}

/// One event: its text and the file offset where it starts.
pub(crate) struct RawEvent {
    pub text: String,
    pub start: u64,
    /// [`Compiled::find_time`] of `text`, when breaking already computed it
    /// (a one-line event whose line was tested for a date).
    pub found: Option<Option<Found>>,
}

/// A line with its offsets and, when it was tested for a date, the
/// timestamp found in it.
type Line = (String, u64, u64, Option<Option<Found>>);

/// Merges lines into events by the settings.
pub(crate) struct Events<'c, R> {
    c: &'c Compiled,
    lines: Lines<'c, R>,
    /// The line read ahead: it starts the next event.
    ahead: Option<Line>,
    /// Stream offset where the next line starts.
    at: u64,
    /// Offset of the stream's first byte in its file (for partitions).
    origin: u64,
}

/// A line cut to `TRUNCATE` bytes, as text.
pub(crate) fn truncated(mut line: Vec<u8>, limit: usize) -> String {
    if limit > 0 && line.len() > limit {
        line.truncate(limit);
    }
    match String::from_utf8(line) {
        Ok(s) => s,
        Err(e) => {
            // a character cut by TRUNCATE is dropped; other bad bytes are replaced
            let bytes = e.into_bytes();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// Where the first `<Event>` or `<Event ...>` tag starts.
fn event_tag(text: &str) -> Option<usize> {
    text.match_indices("<Event").map(|(i, _)| i).find(|&i| {
        matches!(
            text.as_bytes().get(i + 6),
            Some(b'>' | b' ' | b'\t' | b'\r' | b'\n')
        )
    })
}

/// Whether `text` holds nothing but the wrapper of an XML event export:
/// an XML declaration, `<Events>`/`</Events>` tags and white space.
fn xml_wrapper_only(text: &str) -> bool {
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        rest = if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => &after[end + 2..],
                None => return false,
            }
        } else if let Some(after) = rest
            .strip_prefix("<Events>")
            .or_else(|| rest.strip_prefix("</Events>"))
        {
            after
        } else {
            return false;
        };
        rest = rest.trim_start();
    }
    true
}

impl<'c, R: Read> Events<'c, R> {
    /// Events of `src`, which starts at byte `origin` of its file.
    pub(crate) fn new(c: &'c Compiled, src: R, origin: u64) -> Self {
        Events {
            c,
            lines: Lines::new(c, src),
            ahead: None,
            at: 0,
            origin,
        }
    }

    fn line(&mut self) -> std::io::Result<Option<Line>> {
        if let Some(l) = self.ahead.take() {
            return Ok(Some(l));
        }
        let Some((bytes, next)) = self.lines.next_line()? else {
            return Ok(None);
        };
        let start = self.at;
        self.at = next;
        Ok(Some((
            truncated(bytes, self.c.props.truncate),
            start + self.origin,
            next + self.origin,
            None,
        )))
    }

    /// The next event (blank ones are skipped).
    pub(crate) fn next_event(&mut self) -> std::io::Result<Option<RawEvent>> {
        loop {
            let Some((first, start, _, mut found)) = self.line()? else {
                return Ok(None);
            };
            let mut text = first;
            if self.c.props.should_linemerge {
                let mut n = 1usize;
                let mut prev_breaks = self.c.must_break_after(&text);
                while !prev_breaks && n < self.c.props.max_events.max(1) {
                    let Some(mut next) = self.line()? else { break };
                    // the date found while deciding is kept for the event
                    // the line starts (breaking and timing read it once)
                    let (starts, line_found) = self.c.starts_event_found(&next.0);
                    if starts {
                        next.3 = line_found;
                        self.ahead = Some(next);
                        break;
                    }
                    prev_breaks = self.c.must_break_after(&next.0);
                    text.push('\n');
                    text.push_str(&next.0);
                    found = None;
                    n += 1;
                }
            }
            let trimmed = text.trim_end_matches(['\r', '\n']);
            if trimmed.trim().is_empty() {
                continue;
            }
            if trimmed.len() != text.len() {
                text.truncate(trimmed.len());
                found = None;
            }
            if self.c.xml {
                // An export's wrapper (`<?xml ...?>`, `<Events>`,
                // `</Events>`) before the first `<Event` or on its own is no
                // part of an event. Any other text is an event, as Splunk
                // indexes whatever its line breaker cuts (a classic-format
                // line, a JSON record sent with this sourcetype).
                match event_tag(&text) {
                    Some(0) => {}
                    Some(i) if xml_wrapper_only(&text[..i]) => {
                        text.drain(..i);
                        found = None;
                    }
                    Some(_) => {}
                    None if xml_wrapper_only(&text) => continue,
                    None => {}
                }
            }
            return Ok(Some(RawEvent { text, start, found }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(props: &RawProps, input: &str) -> Vec<String> {
        let c = Compiled::new(props, "t", Some(1714564800.0)).unwrap();
        let mut ev = Events::new(&c, input.as_bytes(), 0);
        let mut out = Vec::new();
        while let Some(e) = ev.next_event().unwrap() {
            out.push(e.text);
        }
        out
    }

    #[test]
    fn default_breaking_merges_lines_without_a_date() {
        let input = "2024-05-01 10:00:00 start\n  at frame 1\n  at frame 2\r\n\n2024-05-01 10:00:01 next\nMay  1 10:00:02 host sshd: x\n";
        assert_eq!(
            events(&RawProps::default(), input),
            [
                "2024-05-01 10:00:00 start\n  at frame 1\n  at frame 2",
                "2024-05-01 10:00:01 next",
                "May  1 10:00:02 host sshd: x",
            ]
        );
    }

    #[test]
    fn max_events_truncate_and_must_break_after() {
        let props = RawProps {
            max_events: 2,
            truncate: 5,
            ..RawProps::default()
        };
        assert_eq!(events(&props, "aaaaaaa\nb\nc\n"), ["aaaaa\nb", "c"]);
        let props = RawProps {
            break_only_before_date: false,
            must_break_after: Some("^END".into()),
            ..RawProps::default()
        };
        assert_eq!(events(&props, "a\nb\nEND\nc\nd"), ["a\nb\nEND", "c\nd"]);
        let props = RawProps {
            break_only_before: Some("^#".into()),
            ..RawProps::default()
        };
        assert_eq!(
            events(&props, "#1 2024-01-01 00:00:00\nx\n2024-01-01 00:00:01\n#2"),
            ["#1 2024-01-01 00:00:00\nx\n2024-01-01 00:00:01", "#2"]
        );
    }

    #[test]
    fn a_line_breaker_without_line_merging() {
        let props = RawProps {
            line_breaker: r"([\r\n]+)\d{4}-".into(),
            should_linemerge: false,
            ..RawProps::default()
        };
        // the digits after the group stay with the next event
        assert_eq!(
            events(&props, "2024-a\nmore\n2024-b\n"),
            ["2024-a\nmore", "2024-b"]
        );
        let props = RawProps {
            should_linemerge: false,
            ..RawProps::default()
        };
        assert_eq!(events(&props, "x\ny\n\n"), ["x", "y"]);
    }

    /// PCRE, as Splunk: look-ahead in LINE_BREAKER (common in add-ons) and
    /// BREAK_ONLY_BEFORE, which Rust's `regex` rejects.
    #[test]
    fn regexes_are_pcre() {
        let props = RawProps {
            line_breaker: r"([\r\n]+)(?=\d{4}-\d\d-\d\d)".into(),
            should_linemerge: false,
            ..RawProps::default()
        };
        assert_eq!(
            events(&props, "2024-01-01 a\nmore\n2024-01-02 b\n"),
            ["2024-01-01 a\nmore", "2024-01-02 b"]
        );
        let props = RawProps {
            break_only_before: Some(r"^(?!\s)(?=\S+ START)".into()),
            ..RawProps::default()
        };
        assert_eq!(
            events(&props, "job START\n  step\njob2 START\n"),
            ["job START\n  step", "job2 START"]
        );
        // a catastrophic breaker is an error, not a hang
        let props = RawProps {
            line_breaker: r"((a+)+)$".into(),
            should_linemerge: false,
            ..RawProps::default()
        };
        let c = Compiled::new(&props, "f", None).unwrap();
        let text = format!("{}b", "a".repeat(40));
        let mut lines = Lines::new(&c, text.as_bytes());
        let err = lines.next_line().map(|_| ()).unwrap_err();
        assert!(err.to_string().contains("LINE_BREAKER"), "{err}");
    }

    #[test]
    fn xml_events_break_per_event() {
        let input = "<?xml version='1.0'?>\n<Events>\n<Event><System><TimeCreated SystemTime='2024-01-01T00:00:00Z'/></System></Event><Event>\n<System/>\n</Event>\n</Events>\n";
        let ev = events(&RawProps::xml_win_event_log(), input);
        assert_eq!(
            ev,
            [
                "<Event><System><TimeCreated SystemTime='2024-01-01T00:00:00Z'/></System></Event>",
                "<Event>\n<System/>\n</Event>",
            ]
        );
    }

    #[test]
    fn xml_mode_keeps_text_that_is_no_wrapper() {
        // a classic-format line or a JSON record under an XML sourcetype is
        // (part of) an event, as the line breaker cuts it; the export
        // wrapper on its own is not
        let input = "10/09/2020 10:41:26 AM\n<Event><System/></Event>\n{\"a\": 1}\n</Events>\n<Event/>\n</Events>\n";
        let ev = events(&RawProps::xml_win_event_log(), input);
        assert_eq!(
            ev,
            [
                "10/09/2020 10:41:26 AM\n<Event><System/></Event>",
                "{\"a\": 1}\n</Events>\n<Event/>\n</Events>"
            ]
        );
        assert!(xml_wrapper_only("<?xml version='1.0'?>\n<Events>\n"));
        assert!(xml_wrapper_only(" </Events> "));
        assert!(!xml_wrapper_only("<Events>x"));
        assert!(!xml_wrapper_only("<?xml unclosed"));
    }

    #[test]
    fn bad_settings_are_errors() {
        for props in [
            RawProps {
                line_breaker: r"[\r\n]+".into(),
                ..RawProps::default()
            },
            RawProps {
                break_only_before: Some("(".into()),
                ..RawProps::default()
            },
            RawProps {
                tz: Some("Not/AZone".into()),
                ..RawProps::default()
            },
        ] {
            assert!(Compiled::new(&props, "f", None).is_err());
        }
    }

    #[test]
    fn long_input_in_small_reads() {
        // lines cross the 64 KiB reads
        let line = "2024-05-01 10:00:00 ".to_string() + &"x".repeat(70_000);
        let input = format!("{line}\n{line}\n");
        let props = RawProps {
            truncate: 0,
            ..RawProps::default()
        };
        let ev = events(&props, &input);
        assert_eq!(ev.len(), 2);
        assert!(ev.iter().all(|e| e.len() == line.len()));
    }
}
