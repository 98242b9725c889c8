#![no_main]
//! Any bytes as an .xlsx (and, by content sniffing, xls/ods/csv), through the import pass.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::import_file("input.xlsx", data));
