//! Adapters between files and the domain core: text decoding, TOML files (schemes and
//! workspaces), rosters, and turning diagnostics into located, printable records.

pub mod ledger;
pub mod located;
pub mod report;
pub mod roster;
pub mod scheme_file;
pub mod table;
pub mod text;
pub mod toml_file;
pub mod workspace;
