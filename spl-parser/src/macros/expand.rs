//! The expander: one left-to-right pass over the query that removes comments
//! and replaces macro calls, recursing into each substituted body.
//!
//! Output goes into a single `String` (no rebuilding of the whole text per
//! call), and every byte appended is recorded in the [`SourceMap`]. A body is
//! scanned on its own, with quote state reset: the call itself was outside
//! quotes, so the body starts outside quotes too.

use super::scan::{self, backtick_run, find_call_end, find_comment_end};
use super::source_map::{copy_segs, find_seg, push_seg, root_frame, Frame, Seg, SourceText};
use super::{display_key, MacroDef, MacroSet, Origin, SourceMap};
use super::{iseval, subst};
use crate::span::Span;
use crate::suggest::similar;
use crate::ParseError;
use std::collections::HashMap;

/// Maximum nesting of macro expansions (a call inside a body inside a body ...).
pub const MAX_DEPTH: usize = 50;

/// Maximum number of bytes expansion may add beyond the query's own length;
/// guards against exponential fan-out.
pub const MAX_EXPANDED_LEN: usize = 16 << 20;

/// Maximum number of macro expansions in one query.
pub const MAX_EXPANSIONS: usize = 10_000;

/// The result of [`expand`].
#[derive(Debug, Clone)]
pub struct Expanded {
    /// The text for the parser: comments replaced by a space, macros expanded.
    pub text: String,
    /// Provenance of every byte of `text`.
    pub source_map: SourceMap,
    /// Non-fatal findings, in order of occurrence.
    pub warnings: Vec<MacroWarning>,
}

impl Expanded {
    /// Shorthand for `self.source_map.locate(span)`.
    pub fn locate(&self, span: Span) -> super::Location {
        self.source_map.locate(span)
    }
}

/// A non-fatal expansion finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroWarning {
    /// Stable dotted code, e.g. `spl::macro::undefined_filter`.
    pub code: &'static str,
    /// The macro concerned.
    pub name: String,
    /// Human-readable message.
    pub message: String,
    /// Where, in the user's query (the outermost call when inside a body).
    pub span: Span,
}

impl MacroWarning {
    /// Whether the finding is only a note: an undefined `*_filter` macro is
    /// the expected state of a security_content detection (the filter is a
    /// hook for local tuning, shipped empty), so tools show it on request
    /// (`--verbose`) rather than as a warning. The finding is kept either way.
    pub fn is_note(&self) -> bool {
        self.code == "spl::macro::undefined_filter"
    }
}

/// Expands comments and macros in `query` using `macros`.
///
/// Errors carry spans into `query` (see the module docs).
pub fn expand(query: &str, macros: &MacroSet) -> Result<Expanded, ParseError> {
    let limit = query.len().saturating_add(MAX_EXPANDED_LEN);
    if u32::try_from(limit).is_err() {
        // Spans are u32 byte offsets.
        return Err(ParseError::MacroTooLarge {
            limit: u32::MAX as usize - MAX_EXPANDED_LEN,
            what: "bytes of query".to_string(),
            span: Span::new(0, 0),
        });
    }
    let mut ex = Expander {
        macros,
        out: String::with_capacity(query.len() + query.len() / 2),
        map: SourceMap {
            sources: vec![SourceText {
                origin: Origin::Query,
                text: query.to_string(),
            }],
            frames: vec![root_frame()],
            segments: Vec::new(),
            expanded_len: 0,
        },
        source_ids: HashMap::new(),
        warnings: Vec::new(),
        stack: Vec::new(),
        limit,
    };
    let pieces = [Seg {
        start: 0,
        end: query.len(),
        frame: 0,
        src_start: 0,
        src_end: query.len(),
    }];
    ex.scan(query, &pieces)?;
    ex.map.expanded_len = ex.out.len();
    Ok(Expanded {
        text: ex.out,
        source_map: ex.map,
        warnings: ex.warnings,
    })
}

struct Expander<'m> {
    macros: &'m MacroSet,
    out: String,
    map: SourceMap,
    /// Definition address -> index into `map.sources`, so repeated calls share
    /// one copy of the body (definitions do not move while `macros` is borrowed).
    source_ids: HashMap<usize, usize>,
    warnings: Vec<MacroWarning>,
    /// Frames being expanded, outermost first.
    stack: Vec<usize>,
    /// Byte limit for the output (and for any one substituted body).
    limit: usize,
}

impl Expander<'_> {
    /// Scans `text` (whose bytes map to sources through `pieces`), appending to the output.
    fn scan(&mut self, text: &str, pieces: &[Seg]) -> Result<(), ParseError> {
        let b = text.as_bytes();
        let mut i = 0;
        let mut copy_from = 0;
        let mut in_quote = false;
        while let Some(&c) = b.get(i) {
            // Skip ordinary bytes in bulk: only quotes, backslashes and
            // backticks change state.
            if !matches!(c, b'"' | b'`' | b'\\') || (in_quote && c == b'`') {
                let rest = b.get(i + 1..).unwrap_or(&[]);
                let skip = if in_quote {
                    rest.iter().position(|&c| matches!(c, b'"' | b'\\'))
                } else {
                    rest.iter().position(|&c| matches!(c, b'"' | b'`' | b'\\'))
                };
                i += 1 + skip.unwrap_or(rest.len());
                continue;
            }
            if in_quote {
                match c {
                    b'\\' => i += 1,
                    b'"' => in_quote = false,
                    _ => {}
                }
                i += 1;
                continue;
            }
            match c {
                // Outside quotes a backslash escapes a quote or backslash, so
                // `\"` does not open a string.
                b'\\' if matches!(b.get(i + 1), Some(b'"' | b'\\')) => i += 2,
                b'"' => {
                    in_quote = true;
                    i += 1;
                }
                b'`' => {
                    let run = backtick_run(b, i);
                    if run >= 3 {
                        let Some((_, end)) = find_comment_end(b, i + run) else {
                            let (f, span) = self.query_span(pieces, i, i + run);
                            return Err(ParseError::MacroUnterminatedComment {
                                span,
                                help: self.chain_help(f),
                            });
                        };
                        self.copy(text, pieces, copy_from, i)?;
                        self.replace(" ", pieces, i, end);
                        i = end;
                    } else {
                        let Some(close) = find_call_end(b, i + 1) else {
                            let (f, span) = self.query_span(pieces, i, b.len());
                            return Err(ParseError::MacroUnterminatedCall {
                                span,
                                help: Some(join_help(
                                    "a single ` starts a macro call; write ``` to start a comment",
                                    self.chain_help(f),
                                )),
                            });
                        };
                        self.copy(text, pieces, copy_from, i)?;
                        self.call(text, pieces, i, close + 1)?;
                        i = close + 1;
                    }
                    copy_from = i;
                }
                _ => i += 1,
            }
        }
        self.copy(text, pieces, copy_from, b.len())
    }

    /// Copies `text[a..b]` to the output with its provenance.
    fn copy(&mut self, text: &str, pieces: &[Seg], a: usize, b: usize) -> Result<(), ParseError> {
        if a >= b {
            return Ok(());
        }
        let to = self.out.len();
        self.out.push_str(text.get(a..b).unwrap_or(""));
        copy_segs(pieces, a, b, to, &mut self.map.segments);
        self.check_size()
    }

    /// Appends `rep` standing for `text[a..b]` (a comment, a filter placeholder).
    fn replace(&mut self, rep: &str, pieces: &[Seg], a: usize, b: usize) {
        let (frame, s, e) = to_frame(pieces, a, b);
        let to = self.out.len();
        self.out.push_str(rep);
        push_seg(
            &mut self.map.segments,
            Seg {
                start: to,
                end: to + rep.len(),
                frame,
                src_start: s,
                src_end: e,
            },
        );
    }

    fn check_size(&self) -> Result<(), ParseError> {
        if self.out.len() > self.limit {
            return Err(ParseError::MacroTooLarge {
                limit: self.limit,
                what: "bytes".to_string(),
                span: self.outermost_call(),
            });
        }
        Ok(())
    }

    fn outermost_call(&self) -> Span {
        self.stack
            .first()
            .and_then(|&f| self.map.frames.get(f))
            .map_or(Span::new(0, self.map.query().len()), |f| f.call_span)
    }

    /// Expands the call `text[a..b]` (backticks included).
    fn call(&mut self, text: &str, pieces: &[Seg], a: usize, b: usize) -> Result<(), ParseError> {
        let (call_frame, span) = self.query_span(pieces, a, b);
        let call = scan::parse_call(text, a + 1, b - 1).map_err(|message| {
            ParseError::MacroInvalidCall {
                message,
                span,
                help: self.chain_help(call_frame),
            }
        })?;
        let name = text.get(call.name.0..call.name.1).unwrap_or("");
        let n = call.args.len();
        let macros = self.macros;
        let Some(def) = macros.get(name, n) else {
            let next = text.as_bytes().get(b).copied();
            return self.undefined(name, n, pieces, a, b, next);
        };
        let source = self.source_for(def);
        if let Some(pos) = self
            .stack
            .iter()
            .position(|&f| self.map.frames.get(f).is_some_and(|fr| fr.source == source))
        {
            let mut chain: Vec<String> = self
                .stack
                .get(pos..)
                .unwrap_or(&[])
                .iter()
                .map(|&f| self.frame_key(f))
                .collect();
            chain.push(format!("`{}`", display_key(name, n)));
            return Err(ParseError::MacroRecursion {
                reason: format!("of `{}` calls itself", display_key(name, n)),
                chain: chain.join(" -> "),
                span: self.outermost_call_or(span),
            });
        }
        if self.stack.len() >= MAX_DEPTH {
            let mut chain: Vec<String> = self.stack.iter().map(|&f| self.frame_key(f)).collect();
            chain.push(format!("`{}`", display_key(name, n)));
            return Err(ParseError::MacroRecursion {
                reason: format!("exceeds the nesting limit of {MAX_DEPTH}"),
                chain: chain.join(" -> "),
                span: self.outermost_call_or(span),
            });
        }
        if self.map.frames.len() > MAX_EXPANSIONS {
            return Err(ParseError::MacroTooLarge {
                limit: MAX_EXPANSIONS,
                what: "macro expansions".to_string(),
                span: self.outermost_call_or(span),
            });
        }
        let values = scan::named_args(text.as_bytes(), &call.args, &def.args)
            .unwrap_or_else(|| call.args.clone());
        let (parent, cs, ce) = to_frame(pieces, a, b);
        let k = self.map.frames.len();
        self.map.frames.push(Frame {
            source,
            parent,
            call_span: Span::new(cs, ce),
        });
        let Some((mut body, mut body_pieces)) =
            subst::substitute(def, k, text, pieces, &values, self.limit)
        else {
            return Err(ParseError::MacroTooLarge {
                limit: self.limit,
                what: "bytes".to_string(),
                span: self.outermost_call_or(span),
            });
        };
        if def.iseval {
            match iseval::eval_string(&body) {
                Ok(v) => {
                    body_pieces = vec![Seg {
                        start: 0,
                        end: v.len(),
                        frame: k,
                        src_start: 0,
                        src_end: def.definition.len(),
                    }];
                    body = v;
                }
                Err(found) => {
                    return Err(ParseError::MacroIsevalUnsupported {
                        name: def.key(),
                        found,
                        span,
                        help: Some(join_help(
                            &format!(
                                "`{}` (from {}) is an eval expression; only string literals, numbers and `.` are evaluated without the engine",
                                def.key(),
                                def.origin
                            ),
                            self.chain_help(call_frame),
                        )),
                    })
                }
            }
        }
        self.stack.push(k);
        self.scan(&body, &body_pieces)?;
        self.stack.pop();
        Ok(())
    }

    fn outermost_call_or(&self, span: Span) -> Span {
        if self.stack.is_empty() {
            span
        } else {
            self.outermost_call()
        }
    }

    /// A call with no definition of that arity: wrong-arity error, `_filter`
    /// placeholder, or undefined-macro error.
    fn undefined(
        &mut self,
        name: &str,
        n: usize,
        pieces: &[Seg],
        a: usize,
        b: usize,
        next: Option<u8>,
    ) -> Result<(), ParseError> {
        let (frame, span) = self.query_span(pieces, a, b);
        let arities = self.macros.arities(name);
        if !arities.is_empty() {
            let expected = arities
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" or ");
            let defined = arities
                .iter()
                .filter_map(|&k| self.macros.get(name, k))
                .map(|d| {
                    format!(
                        "`{}` (args: {}; from {})",
                        d.key(),
                        if d.args.is_empty() {
                            "none".to_string()
                        } else {
                            d.args.join(", ")
                        },
                        d.origin
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ParseError::MacroArity {
                name: name.to_string(),
                found: n,
                expected,
                span,
                help: Some(join_help(
                    &format!("defined: {defined}"),
                    self.chain_help(frame),
                )),
            });
        }
        if name.ends_with("_filter") {
            // security_content's build generates `<detection>_filter` as `search *`.
            // In command position we paste exactly that; inside search terms a
            // match-all `*` keeps the filter a no-op (see compat notes).
            let prev = self.out.trim_end();
            let command_position = prev.is_empty() || prev.ends_with('|') || prev.ends_with('[');
            let filler = if command_position {
                "search *".to_string()
            } else {
                let left = if self.out.ends_with(|c: char| c.is_whitespace()) {
                    ""
                } else {
                    " "
                };
                let right = if next.is_none_or(|c| c.is_ascii_whitespace()) {
                    ""
                } else {
                    " "
                };
                format!("{left}*{right}")
            };
            self.replace(&filler, pieces, a, b);
            self.warnings.push(MacroWarning {
                code: "spl::macro::undefined_filter",
                name: name.to_string(),
                message: format!(
                    "macro `{}` is not defined; treating it as an empty filter (`{}`)",
                    display_key(name, n),
                    filler.trim()
                ),
                span,
            });
            return self.check_size();
        }
        let suggestions = similar(name, self.macros.names(), 3);
        let mut help = if suggestions.is_empty() {
            "load its definition with --macros (macros.conf, a security_content macros directory or macros.jsonl)".to_string()
        } else {
            format!(
                "did you mean {}?",
                suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if let Some(chain) = self.chain_help(frame) {
            help = format!("{help}; {chain}");
        }
        Err(ParseError::MacroUndefined {
            name: name.to_string(),
            span,
            help: Some(help),
        })
    }

    fn source_for(&mut self, def: &MacroDef) -> usize {
        let key = def as *const MacroDef as usize;
        if let Some(&id) = self.source_ids.get(&key) {
            return id;
        }
        let id = self.map.sources.len();
        self.map.sources.push(SourceText {
            origin: Origin::Macro {
                name: def.name.clone(),
                arity: def.arity(),
                defined_in: def.origin.clone(),
            },
            text: def.definition.clone(),
        });
        self.source_ids.insert(key, id);
        id
    }

    /// `` `name(N)` `` for a frame.
    fn frame_key(&self, f: usize) -> String {
        let (name, arity) = self.map.frame_macro(f);
        format!("`{}`", display_key(name, arity))
    }

    /// Maps `text[a..b]` to its frame and then to the span to blame in the
    /// user's query (the outermost call for text inside a macro body).
    fn query_span(&self, pieces: &[Seg], a: usize, b: usize) -> (usize, Span) {
        let (f, s, e) = to_frame(pieces, a, b);
        let mut cur = f;
        let mut span = Span::new(s, e);
        while cur != 0 {
            let Some(fr) = self.map.frames.get(cur) else {
                break;
            };
            span = fr.call_span;
            cur = fr.parent;
        }
        (f, span)
    }

    /// "inside the expansion of `a` -> `b(1)`" for text in frame `f`.
    fn chain_help(&self, f: usize) -> Option<String> {
        if f == 0 {
            return None;
        }
        let mut keys = Vec::new();
        let mut cur = f;
        while cur != 0 {
            let Some(fr) = self.map.frames.get(cur) else {
                break;
            };
            keys.push(self.frame_key(cur));
            cur = fr.parent;
        }
        keys.reverse();
        let origin = self
            .map
            .frames
            .get(f)
            .and_then(|fr| self.map.sources.get(fr.source))
            .and_then(|s| match &s.origin {
                Origin::Macro { defined_in, .. } => Some(defined_in.clone()),
                Origin::Query => None,
            })
            .unwrap_or_default();
        Some(format!(
            "inside the expansion of {} (defined in {origin})",
            keys.join(" -> ")
        ))
    }
}

/// The frame and source range of `text[a..b]`, via its pieces. A range
/// spanning pieces of different frames is attributed to the frame of its start.
fn to_frame(pieces: &[Seg], a: usize, b: usize) -> (usize, usize, usize) {
    let Some(first) = find_seg(pieces, a, false) else {
        return (0, a, b);
    };
    let s = first.map(a.clamp(first.start, first.end), false);
    let e = match find_seg(pieces, b, true) {
        Some(last) if last.frame == first.frame && b > a => {
            last.map(b.clamp(last.start, last.end), true)
        }
        _ if b > a => first.map(b.clamp(first.start, first.end), true),
        _ => s,
    };
    (first.frame, s, e.max(s))
}

fn join_help(main: &str, chain: Option<String>) -> String {
    match chain {
        Some(c) => format!("{main}; {c}"),
        None => main.to_string(),
    }
}
