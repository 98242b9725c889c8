//! Benchmarks of the hot paths: cell normalisation, the streaming aggregate, scoring, and
//! ranking with grading (one sort per pool: 200,000 subjects well under a second).
//! Run with `cargo bench`. Whole commands are timed by scripts/bench.sh.

use perf::core::check::check_scheme;
use perf::core::diag::LineIndex;
use perf::core::exact::Exact;
use perf::core::import::cell::{CellValue, parse_value};
use perf::core::import::ledger::Entry;
use perf::core::roster::Roster;
use perf::core::scheme::doc::SchemeDoc;
use perf::core::score::aggregate::Aggregator;
use perf::core::score::engine::{SubjectScore, score_all};
use rust_decimal::Decimal;

fn main() {
    divan::main();
}

fn units() -> (perf::core::scheme::Scheme, perf::core::roster::Roster) {
    let text = std::fs::read_to_string("examples/units/scheme.toml").expect("example scheme");
    let doc: SchemeDoc = toml::from_str(&text).expect("parses");
    let scheme = check_scheme(&doc, &LineIndex::new(&text)).scheme.expect("valid");
    let roster =
        perf::io::roster::load(std::path::Path::new("examples/units/roster.csv")).expect("io").expect("roster");
    (scheme, roster)
}

#[divan::bench]
fn parse_cells(bencher: divan::Bencher) {
    let (scheme, _) = units();
    let ind = &scheme.indicators[scheme.find_indicator("G3.1").expect("G3.1")];
    let cells: Vec<CellValue> =
        ["９５．５", "95%", "—", "1,234", "#N/A", "88分"].iter().map(|s| CellValue::Text((*s).into())).collect();
    bencher.bench(|| cells.iter().map(|c| parse_value(divan::black_box(c), ind)).collect::<Vec<_>>());
}

#[divan::bench(args = [10_000, 100_000])]
fn aggregate_and_score(bencher: divan::Bencher, rows: usize) {
    let (scheme, roster) = units();
    let entries: Vec<Entry> = (0..rows)
        .map(|n| Entry {
            period: "2026Q1".into(),
            subject: format!("U{:02}", n % 20 + 1),
            indicator: "G3.2".into(),
            rater: "public".into(),
            evaluator: format!("R{}", n / 20),
            value: Decimal::new(800 + (n as i64 * 7919) % 200, 1),
            source: String::new(),
        })
        .collect();
    bencher.bench(|| {
        let mut agg = Aggregator::new(&scheme, &roster, "2026Q1");
        for e in entries.iter().cloned() {
            agg.push(e);
        }
        score_all(&scheme, &roster, &agg.agg).len()
    });
}

#[divan::bench(args = [20_000, 200_000])]
fn rank_and_grade(bencher: divan::Bencher, subjects: usize) {
    let (scheme, roster) = units();
    // `subjects` units spread over the example's four categories, with scores that tie often.
    let big = Roster {
        subjects: (0..subjects)
            .map(|i| {
                let mut s = roster.subjects[i % roster.subjects.len()].clone();
                s.id = format!("S{i:06}");
                s
            })
            .collect(),
        ..roster.clone()
    };
    let results: Vec<SubjectScore> = (0..subjects)
        .map(|i| {
            let category = big.subjects[i].category.as_deref().and_then(|c| scheme.find_category(c));
            let score = Exact::from(Decimal::new(6000 + i64::try_from(i * 7919 % 4000).unwrap_or(0), 2));
            SubjectScore::blank(i, category, scheme.indicators.len(), scheme.raters.len(), score, scheme.precision)
        })
        .collect();
    bencher
        .with_inputs(|| results.clone())
        .bench_local_values(|mut r| perf::core::score::rank::rank_and_grade(&scheme, &big, &mut r, &[]).len());
}
