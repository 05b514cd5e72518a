//! The SPL <-> Arrow value mapping and number display rules.
