#![no_main]
//! Arbitrary ledger entries for the units example: aggregate, score, rank and grade.
use libfuzzer_sys::fuzz_target;
use perf::core::import::ledger::Entry;
use perf::core::score::aggregate::Aggregator;
use perf::core::score::engine::score_all;
use perf::core::score::rank::rank_and_grade;
use rust_decimal::Decimal;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    use std::sync::OnceLock;
    static SETUP: OnceLock<(perf::core::scheme::Scheme, perf::core::roster::Roster)> = OnceLock::new();
    let (scheme, roster) = SETUP.get_or_init(common::units);
    let raters = ["", "leader", "peer", "public", "data", "x"];
    let mut agg = Aggregator::new(scheme, roster, "2026Q1");
    for chunk in data.chunks(8) {
        if chunk.len() < 8 {
            break;
        }
        let subject = &roster.subjects[chunk[0] as usize % roster.subjects.len()];
        let ind = &scheme.indicators[chunk[1] as usize % scheme.indicators.len()];
        let value = Decimal::new(i64::from(i32::from_le_bytes([chunk[3], chunk[4], chunk[5], chunk[6]])), u32::from(chunk[7] % 6));
        agg.push(Entry {
            period: if chunk[2] & 0x80 == 0 { "2026Q1".into() } else { "2026Q2".into() },
            subject: subject.id.clone(),
            indicator: ind.code.clone(),
            rater: raters[chunk[2] as usize % raters.len()].into(),
            evaluator: format!("e{}", chunk[2] % 7),
            value,
            source: String::new(),
        });
    }
    let mut results = score_all(scheme, roster, &agg.agg);
    rank_and_grade(scheme, roster, &mut results, &[]);
});
