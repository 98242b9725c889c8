//! The pure domain core: the scheme model, its checks and lints, the roster model and the
//! diagnostics they produce. No file, terminal or clock access lives here; adapters in
//! `crate::io` feed it text and tables, and `crate::cmd` presents what it returns.

pub mod annual;
pub mod annual_result;
pub mod check;
pub mod correction;
pub mod diag;
pub mod exact;
pub mod import;
pub mod msg;
pub mod report;
pub mod roster;
pub mod scheme;
pub mod score;
pub mod suggest;
pub mod template;
