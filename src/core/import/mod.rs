//! Import: reading clerks' tables into ledger entries, without any file access.
//!
//! [`cell`] normalises one cell for an indicator; [`period`] reads period names; [`header`]
//! finds the table and its layout (long, wide, survey responses, grids); [`columns`] decides
//! what a whole column says about each value's scale; [`mapping`] applies a workspace's
//! declared column mapping; [`ledger`] holds the canonical entry and the checks that need the
//! whole import (duplicates, completeness). The I/O layer (`crate::io::table`)
//! supplies rows; `crate::cmd::import` drives the pass.

pub mod cell;
pub mod columns;
pub mod header;
pub mod ledger;
pub mod mapping;
pub mod period;
