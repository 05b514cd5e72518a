//! `dedup [N] fields [keepempty=b] [consecutive=b] [sortby ...]` (10.7).

use crate::batch::{self, row_key};
use crate::context::ExecContext;
use crate::error::{EngineError, Result};
use crate::operator::Operator;
use crate::spec::{CommandKind, CommandSpec, Example};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch};
use spl_parser::ast::{Dedup, Stage};
use spl_parser::options::OptReader;
use std::collections::HashMap;

/// The `dedup` command's metadata.
pub static SPEC: CommandSpec = CommandSpec {
    name: "dedup",
    aliases: &[],
    kind: CommandKind::Streaming,
    synopsis: "dedup [<N>] <field-list> [keepempty=<bool>] [consecutive=<bool>]",
    description: "Keeps the first N results for each combination of values; results missing any field are dropped unless keepempty=true.",
    examples: &[Example {
        title: "one result per value",
        spl: "| makeresults count=3 | eval host=\"a\" | dedup host",
    }],
    compat: "`sortby` and `keepevents` are not supported yet.",
    simple: None,
};

/// Plans `dedup`.
pub fn plan(d: &Dedup, o: &OptReader, stage: &Stage) -> Result<Box<dyn Operator>> {
    if !d.sortby.is_empty() {
        return Err(EngineError::invalid(
            "`dedup ... sortby` is not supported yet",
            stage.span,
            "sortby",
        ));
    }
    if d.fields.is_empty() {
        return Err(EngineError::invalid(
            "expected at least one field, found none",
            stage.span,
            "dedup needs fields",
        ));
    }
    if d.count == Some(0) {
        return Err(EngineError::invalid(
            "expected a count of at least 1, found 0",
            stage.span,
            "dedup 0",
        ));
    }
    Ok(Box::new(DedupOp {
        n: d.count.unwrap_or(1) as usize,
        fields: d.fields.iter().map(|f| f.node.clone()).collect(),
        keepempty: o.flag("keepempty")?,
        consecutive: o.flag("consecutive")?,
        seen: HashMap::new(),
        last: None,
    }))
}

struct DedupOp {
    n: usize,
    fields: Vec<String>,
    keepempty: bool,
    consecutive: bool,
    seen: HashMap<String, usize>,
    last: Option<String>,
}

impl Operator for DedupOp {
    fn push(&mut self, batch: RecordBatch, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        let cols: Vec<Option<&ArrayRef>> = self
            .fields
            .iter()
            .map(|f| batch::column(&batch, f))
            .collect();
        let mut keep = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            let present: Option<Vec<&ArrayRef>> = cols.iter().copied().collect();
            let key = match present {
                Some(c) => row_key(&c, row)?,
                None => None,
            };
            let Some(key) = key else {
                keep.push(self.keepempty);
                continue;
            };
            if self.consecutive {
                let dup = self.last.as_deref() == Some(key.as_str());
                self.last = Some(key);
                keep.push(!dup);
                continue;
            }
            let count = self.seen.entry(key).or_insert(0);
            *count += 1;
            keep.push(*count <= self.n);
        }
        let out = arrow_select::filter::filter_record_batch(&batch, &BooleanArray::from(keep))?;
        Ok(if out.num_rows() == 0 {
            vec![]
        } else {
            vec![out]
        })
    }
    fn finish(&mut self, _ctx: &ExecContext) -> Result<Vec<RecordBatch>> {
        Ok(vec![])
    }
}
