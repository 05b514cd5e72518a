//! The evaluator's intermediate column: an Arrow array tagged with what SPL
//! type it holds, whether it is a broadcast scalar, and its display precision.

use crate::error::Result;
use crate::value::multivalue_type;
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, GenericListArray, ListArray, StringArray,
};
use arrow_schema::DataType;
use std::sync::Arc;

/// Where a string column came from. Field text that looks like a number acts
/// as a number (semantics 3.3, 12.2); a string literal or a string function's
/// result is text even when it looks numeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Field values (or numbers turned into text): numeric-looking acts numeric.
    Field,
    /// Genuine strings: always text.
    Text,
}

/// The data of an intermediate column.
#[derive(Debug, Clone)]
pub(crate) enum Data {
    /// Every row is null (an absent field, `null()`).
    Null,
    /// Numbers.
    Num(Float64Array),
    /// Strings.
    Str(StringArray, Origin),
    /// Booleans (only inside expressions). Never null: see semantics 3.5.
    Bool(BooleanArray),
    /// Multivalue (`List<Utf8>`), values behave like field text.
    Multi(ListArray),
}

/// An intermediate column: `len()` rows, or one row broadcast when `scalar`.
#[derive(Debug, Clone)]
pub(crate) struct Val {
    pub data: Data,
    pub scalar: bool,
    pub decimals: Option<u8>,
}

impl Val {
    pub fn null() -> Val {
        Val {
            data: Data::Null,
            scalar: true,
            decimals: None,
        }
    }

    pub fn new(data: Data, scalar: bool) -> Val {
        Val {
            data,
            scalar,
            decimals: None,
        }
    }

    pub fn num(a: Float64Array, scalar: bool) -> Val {
        Val::new(Data::Num(a), scalar)
    }

    pub fn text(a: StringArray, scalar: bool) -> Val {
        Val::new(Data::Str(a, Origin::Text), scalar)
    }

    pub fn boolean(a: BooleanArray, scalar: bool) -> Val {
        Val::new(Data::Bool(a), scalar)
    }

    pub fn multi(a: ListArray, scalar: bool) -> Val {
        Val::new(Data::Multi(a), scalar)
    }

    pub fn num_scalar(v: Option<f64>) -> Val {
        Val::num(Float64Array::from(vec![v]), true)
    }

    pub fn text_scalar(v: Option<&str>) -> Val {
        Val::text(StringArray::from(vec![v]), true)
    }

    pub fn bool_scalar(v: bool) -> Val {
        Val::boolean(BooleanArray::from(vec![v]), true)
    }

    pub fn with_decimals(mut self, decimals: Option<u8>) -> Val {
        self.decimals = decimals;
        self
    }

    /// Row index into the underlying array for logical row `row`.
    #[inline]
    pub fn idx(&self, row: usize) -> usize {
        if self.scalar {
            0
        } else {
            row
        }
    }

    /// True when every row is null (statically known).
    pub fn is_all_null(&self) -> bool {
        matches!(self.data, Data::Null)
    }

    /// Null at logical row `row`.
    pub fn is_null_at(&self, row: usize) -> bool {
        let i = self.idx(row);
        match &self.data {
            Data::Null => true,
            Data::Num(a) => a.is_null(i),
            Data::Str(a, _) => a.is_null(i),
            Data::Bool(a) => a.is_null(i),
            Data::Multi(a) => a.is_null(i),
        }
    }

    /// Materialises the value as an Arrow array of `len` rows (the public
    /// representation: Float64, Utf8, Boolean, List<Utf8>, or Utf8 all-null).
    pub fn into_array(self, len: usize) -> Result<ArrayRef> {
        let arr: ArrayRef = match self.data {
            Data::Null => Arc::new(StringArray::new_null(len)),
            Data::Num(a) => Arc::new(a),
            Data::Str(a, _) => Arc::new(a),
            Data::Bool(a) => Arc::new(a),
            Data::Multi(a) => Arc::new(a),
        };
        if self.scalar && len != 1 {
            broadcast(&arr, len)
        } else {
            Ok(arr)
        }
    }

    /// Same value, materialised to `len` rows (no-op for arrays).
    pub fn expand(self, len: usize) -> Result<Val> {
        if !self.scalar || len == 1 {
            return Ok(Val {
                scalar: false,
                ..self
            });
        }
        let decimals = self.decimals;
        let data = match self.data {
            Data::Null => Data::Null,
            Data::Num(a) => Data::Num(
                broadcast(&(Arc::new(a) as ArrayRef), len)?
                    .as_primitive()
                    .clone(),
            ),
            Data::Str(a, o) => Data::Str(
                broadcast(&(Arc::new(a) as ArrayRef), len)?
                    .as_string()
                    .clone(),
                o,
            ),
            Data::Bool(a) => Data::Bool(
                broadcast(&(Arc::new(a) as ArrayRef), len)?
                    .as_boolean()
                    .clone(),
            ),
            Data::Multi(a) => Data::Multi(
                broadcast(&(Arc::new(a) as ArrayRef), len)?
                    .as_list()
                    .clone(),
            ),
        };
        Ok(Val {
            data,
            scalar: false,
            decimals,
        })
    }
}

/// Repeats row 0 of `arr` `len` times.
pub(crate) fn broadcast(arr: &ArrayRef, len: usize) -> Result<ArrayRef> {
    let idx = arrow_array::UInt32Array::from(vec![0u32; len]);
    if arr.is_empty() {
        return Ok(arrow_array::new_null_array(arr.data_type(), len));
    }
    Ok(arrow_select::take::take(arr.as_ref(), &idx, None)?)
}

/// Builds a `List<Utf8>` from per-row optional value lists.
pub(crate) fn build_multi<I, R, S>(rows: I) -> ListArray
where
    I: IntoIterator<Item = Option<R>>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut b = ListBuilder::new(StringBuilder::new()).with_field(list_item());
    for row in rows {
        match row {
            Some(vals) => {
                for v in vals {
                    b.values().append_value(v.as_ref());
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    b.finish()
}

fn list_item() -> Arc<arrow_schema::Field> {
    match multivalue_type() {
        DataType::List(f) => f,
        _ => Arc::new(arrow_schema::Field::new_list_field(DataType::Utf8, true)),
    }
}

/// The non-null string values of one row of a list column.
pub(crate) fn list_values(list: &GenericListArray<i32>, i: usize) -> Vec<&str> {
    if list.is_null(i) {
        return Vec::new();
    }
    let offsets = list.value_offsets();
    let (Some(&start), Some(&end)) = (offsets.get(i), offsets.get(i + 1)) else {
        return Vec::new();
    };
    let values = list.values().as_string::<i32>();
    (start as usize..end as usize)
        .filter(|&j| !values.is_null(j))
        .map(|j| values.value(j))
        .collect()
}
