//! `$arg$` substitution into a macro body, keeping byte provenance.

use super::scan::is_arg_name_char;
use super::source_map::{copy_segs, push_seg, Seg};
use super::MacroDef;

/// The body of `def` with every `$param$` replaced by the argument text
/// `text[values[i]]`, in one left-to-right pass. Body bytes map to `frame`'s
/// definition; argument bytes keep the provenance `pieces` gives them in the
/// calling text. `None` when the result would exceed `limit` bytes.
pub(crate) fn substitute(
    def: &MacroDef,
    frame: usize,
    text: &str,
    pieces: &[Seg],
    values: &[(usize, usize)],
    limit: usize,
) -> Option<(String, Vec<Seg>)> {
    let d = def.definition.as_bytes();
    let mut out = String::with_capacity(def.definition.len());
    let mut segs = Vec::new();
    let mut lit = 0;
    let mut i = 0;
    let flush = |out: &mut String, segs: &mut Vec<Seg>, from: usize, to: usize| {
        if from < to {
            let at = out.len();
            out.push_str(def.definition.get(from..to).unwrap_or(""));
            push_seg(
                segs,
                Seg {
                    start: at,
                    end: out.len(),
                    frame,
                    src_start: from,
                    src_end: to,
                },
            );
        }
    };
    while let Some(&c) = d.get(i) {
        if c == b'$' && !def.args.is_empty() {
            let len = d.get(i + 1..).map_or(0, |r| {
                r.iter().take_while(|&&c| is_arg_name_char(c)).count()
            });
            if len > 0 && d.get(i + 1 + len) == Some(&b'$') {
                let pname = def.definition.get(i + 1..i + 1 + len).unwrap_or("");
                if let Some(&(va, vb)) = def
                    .args
                    .iter()
                    .position(|p| p == pname)
                    .and_then(|idx| values.get(idx))
                {
                    flush(&mut out, &mut segs, lit, i);
                    let at = out.len();
                    out.push_str(text.get(va..vb).unwrap_or(""));
                    copy_segs(pieces, va, vb, at, &mut segs);
                    if out.len() > limit {
                        return None;
                    }
                    i += len + 2;
                    lit = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    flush(&mut out, &mut segs, lit, d.len());
    Some((out, segs))
}
