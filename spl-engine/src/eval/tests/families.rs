//! Table-driven tests per function family.
