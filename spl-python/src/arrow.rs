//! Arrow data across the boundary, through the Arrow C data interface
//! (arrow-pyarrow): buffers are handed over, not copied.
//!
//! In: anything with `__arrow_c_stream__` (a `pyarrow.Table` or
//! `RecordBatchReader`, a polars or pandas DataFrame), with
//! `__arrow_c_array__` (a `pyarrow.RecordBatch`), or a list of those.
//! Out: a search's batches (whose schemas may differ, as events have
//! different fields) over the union of their fields, each batch given null
//! columns for the fields it lacks ([`QueryResult::aligned_batches`]), as one
//! `pyarrow.Table`.

use crate::errors::{plain_error, value_error};
use arrow_array::ffi_stream::RecordBatchStreamReader;
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_pyarrow::{FromPyArrow, IntoPyArrow};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use spl_engine::QueryResult;

/// The batches of a Python Arrow object (see the module docs).
pub(crate) fn batches_from_python(obj: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    if obj.hasattr("__arrow_c_stream__")? {
        let reader = RecordBatchStreamReader::from_pyarrow_bound(obj)?;
        return reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| value_error(format!("reading the Arrow stream: {e}")));
    }
    if obj.hasattr("__arrow_c_array__")? {
        return Ok(vec![RecordBatch::from_pyarrow_bound(obj)?]);
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            out.extend(batches_from_python(&item?)?);
        }
        return Ok(out);
    }
    Err(value_error(format!(
        "expected a pyarrow.Table, RecordBatch, RecordBatchReader, an object with \
         __arrow_c_stream__ or __arrow_c_array__, or a list of them, found {}",
        obj.get_type().name()?
    )))
}

/// A search's rows as one `pyarrow.Table` (see the module docs).
pub(crate) fn table_to_python<'py>(
    py: Python<'py>,
    result: &QueryResult,
) -> PyResult<Bound<'py, PyAny>> {
    let (schema, batches) = result.aligned_batches().map_err(plain_error)?;
    let reader: Box<dyn RecordBatchReader + Send> = Box::new(RecordBatchIterator::new(
        batches.into_iter().map(Ok),
        schema,
    ));
    reader
        .into_pyarrow(py)?
        .call_method0(pyo3::intern!(py, "read_all"))
}
