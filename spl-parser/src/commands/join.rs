//! `join [opts] [fields] [subsearch]`.

use crate::ast::display::Words;
use crate::ast::{FieldName, Opt, Subsearch};
use crate::parser::args::{field_list, options_strict};
use crate::parser::lex::ws;
use crate::parser::pipeline::subsearch;
use crate::parser::{fail_kind, Cx, PErrKind, PResult};
use serde::Serialize;
use std::fmt;

/// `join [opts] [fields] [subsearch]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Join {
    /// `type`, `max`, `overwrite`, `usetime`, `earlier`.
    pub options: Vec<Opt>,
    /// Join fields (empty: all common fields).
    pub fields: Vec<FieldName>,
    /// The right side.
    pub subsearch: Subsearch,
}

/// Options and fields in any order, then a required subsearch.
pub(crate) fn opts_fields_sub<'a>(
    cx: &Cx,
    i: &'a str,
) -> PResult<'a, (Vec<Opt>, Vec<FieldName>, Subsearch)> {
    let mut j = i;
    let mut options = Vec::new();
    let mut fields = Vec::new();
    loop {
        let start = j.len();
        let (r, ()) = options_strict(cx, j, &mut options)?;
        let (r, f) = field_list(cx, r, &|_| false)?;
        fields.extend(f);
        j = r;
        if j.len() == start {
            break;
        }
    }
    let k = ws(j);
    if !k.starts_with('[') {
        return fail_kind(k, PErrKind::Missing("subsearch `[...]`".into()));
    }
    let (rest, sub) = subsearch(cx, k)?;
    Ok((rest, (options, fields, sub)))
}

pub(crate) fn parse<'a>(cx: &Cx, i: &'a str) -> PResult<'a, Join> {
    let (rest, (options, fields, subsearch)) = opts_fields_sub(cx, i)?;
    Ok((
        rest,
        Join {
            options,
            fields,
            subsearch,
        },
    ))
}

impl fmt::Display for Join {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words::new();
        w.opts(&self.options)
            .fields(&self.fields)
            .push(&self.subsearch);
        w.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{cmd, err};

    #[test]
    fn seed_s1_join() {
        insta::assert_snapshot!(cmd("| makeresults | join type=left key [ mstats avg(tcp.*) as avg_tcp.* where index=m AND earliest=-30d latest=-1h by a b | eval key='a' + \":\" + 'b' ]"), @"");
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(err("search x | join type=left key"), @"");
        insta::assert_snapshot!(err("search x | join key [search y"), @"");
    }
}
