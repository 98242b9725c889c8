#![no_main]
//! Any bytes as a CSV score file, through the whole import pass.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::import_file("input.csv", data));
