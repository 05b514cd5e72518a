//! Time modifier and format tests.
