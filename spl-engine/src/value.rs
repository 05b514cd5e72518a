//! The SPL <-> Arrow value mapping and number display rules.

/// Field metadata key holding a numeric column's display precision.
pub const DECIMALS_KEY: &str = "spl.decimals";
