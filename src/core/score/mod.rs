//! Scoring: from ledger entries of one period to each subject's points, ranks and grade.
//!
//! [`aggregate`] reduces the ledger as it streams; [`engine`] applies the methods and sums
//! the tree; [`rank`] ranks and grades. Nothing here reads files.

pub mod aggregate;
pub mod engine;
pub mod rank;
