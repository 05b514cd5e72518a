//! The push-based operator model: streaming commands emit from `push`,
//! blocking ones buffer and emit from `finish`.

use crate::context::ExecContext;
use crate::error::Result;
use arrow_array::RecordBatch;

/// One planned command.
pub trait Operator: Send {
    /// Feeds one batch; returns the batches ready downstream.
    fn push(&mut self, batch: RecordBatch, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;
    /// End of input; returns the remaining batches.
    fn finish(&mut self, ctx: &ExecContext) -> Result<Vec<RecordBatch>>;
}
