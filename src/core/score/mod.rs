//! Scoring: from ledger entries of one period to each subject's points, ranks and grade.
//!
//! [`aggregate`] reduces the ledger as it streams; [`engine`] applies the methods and sums
//! the tree; [`rank`] ranks and grades. Nothing here reads files.

pub mod aggregate;
pub mod engine;
pub mod rank;

#[cfg(test)]
mod properties {
    use crate::core::check::check_scheme;
    use crate::core::diag::LineIndex;
    use crate::core::import::ledger::Entry;
    use crate::core::roster::{Roster, Subject};
    use crate::core::scheme::Scheme;
    use crate::core::scheme::doc::SchemeDoc;
    use crate::core::score::aggregate::Aggregator;
    use crate::core::score::engine::{SubjectScore, score_all};
    use crate::core::score::rank::{quota_places, rank_and_grade};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    const SCHEME: &str = r#"
[scheme]
name = "p"
subject = "unit"
period = "quarter"
bonus_cap = 5
[raters.a]
name = "a"
weight = 40
[raters.b]
name = "b"
weight = 60
trim = 1
[[indicators]]
code = "R"
name = "r"
points = 50
method = "rating"
[[indicators]]
code = "C"
name = "c"
points = 30
method = "completion"
target = 100
[[indicators]]
code = "Y"
name = "y"
points = 20
method = "boolean"
[[indicators]]
code = "P"
name = "p"
method = "bonus"
per_item = 2
cap = 6
[grades]
tie_break = ["R"]
[[grades.levels]]
name = "A"
min = 90
quota = 0.3
[[grades.levels]]
name = "B"
min = 75
quota = 0.5
[[grades.levels]]
name = "C"
min = 0
"#;

    fn scheme() -> Scheme {
        let doc: SchemeDoc = toml::from_str(SCHEME).expect("parses");
        check_scheme(&doc, &LineIndex::new(SCHEME)).scheme.expect("valid")
    }

    fn roster(n: usize) -> Roster {
        let subjects = (0..n)
            .map(|i| Subject {
                id: format!("S{i}"),
                name: format!("s{i}"),
                category: None,
                unit: None,
                level: None,
                sanctions: vec![],
                aliases: vec![],
                line: i + 2,
            })
            .collect();
        Roster { subjects, id_column: 1, category_column: None, sanctions_column: None }
    }

    /// Per subject: a-rating, three b-ratings, completion, yes/no, bonus count.
    type Data = (u32, [u32; 3], u32, bool, u32);

    fn entries(data: &[Data]) -> Vec<Entry> {
        let mut out = Vec::new();
        let e = |s: usize, i: &str, r: &str, ev: &str, v: Decimal| Entry {
            period: "2026Q1".into(),
            subject: format!("S{s}"),
            indicator: i.into(),
            rater: r.into(),
            evaluator: ev.into(),
            value: v,
            source: String::new(),
        };
        for (s, (a, b, c, y, p)) in data.iter().enumerate() {
            out.push(e(s, "R", "a", "x", Decimal::new((*a).into(), 1)));
            for (k, v) in b.iter().enumerate() {
                out.push(e(s, "R", "b", &format!("e{k}"), Decimal::new((*v).into(), 1)));
            }
            out.push(e(s, "C", "", "", Decimal::new((*c).into(), 1)));
            out.push(e(s, "Y", "", "", if *y { Decimal::ONE } else { Decimal::ZERO }));
            out.push(e(s, "P", "", "", Decimal::from(*p)));
        }
        out
    }

    fn run(scheme: &Scheme, roster: &Roster, entries: Vec<Entry>) -> Vec<SubjectScore> {
        let mut agg = Aggregator::new(scheme, roster, "2026Q1");
        for e in entries {
            agg.push(e);
        }
        let mut results = score_all(scheme, roster, &agg.agg);
        rank_and_grade(scheme, roster, &mut results, &[]);
        results
    }

    fn data() -> impl Strategy<Value = Vec<Data>> {
        proptest::collection::vec(
            (0u32..=1000, [0u32..=1000, 0u32..=1000, 0u32..=1000], 0u32..=1500, any::<bool>(), 0u32..5),
            2..9,
        )
    }

    proptest! {
        #[test]
        fn scores_stay_within_total_plus_bonus_cap(data in data()) {
            let (s, r) = (scheme(), roster(data.len()));
            for x in run(&s, &r, entries(&data)) {
                // C may earn 120 % of its 30 points (completion's default cap, 1.2): + 6.
                let most = s.total + Decimal::from(6) + s.bonus_cap;
                prop_assert!(x.score >= Decimal::ZERO && x.score <= most, "{}", x.score);
            }
        }

        #[test]
        fn permuting_rows_changes_nothing(data in data(), seed in any::<u64>()) {
            let (s, r) = (scheme(), roster(data.len()));
            let rows = entries(&data);
            let mut shuffled = rows.clone();
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(run(&s, &r, rows), run(&s, &r, shuffled));
        }

        #[test]
        fn raising_a_higher_is_better_value_never_lowers_the_score(data in data(), who in 0usize..8, bump in 1u32..300) {
            let (s, r) = (scheme(), roster(data.len()));
            let who = who % data.len();
            let before = run(&s, &r, entries(&data))[who].exact.clone();
            let mut more = data.clone();
            more[who].2 += bump; // completion
            more[who].1[0] = (more[who].1[0] + bump).min(1000); // one b rating
            let after = run(&s, &r, entries(&more))[who].exact.clone();
            prop_assert!(after >= before, "{before} → {after}");
        }

        #[test]
        fn quotas_hold_and_grades_follow_scores(data in data()) {
            let (s, r) = (scheme(), roster(data.len()));
            let results = run(&s, &r, entries(&data));
            for (l, level) in s.grades.levels.iter().enumerate() {
                if let Some(q) = level.quota {
                    let n = results.iter().filter(|x| x.grade == Some(l)).count();
                    prop_assert!(n <= quota_places(q, results.len(), s.grades.quota_rounding), "level {l}: {n}");
                }
            }
            // Every score reaches the lowest level (min 0), so every subject has a grade; a
            // higher score never gets a lower grade (level indices: smaller is better).
            for a in &results {
                for b in &results {
                    if a.score > b.score {
                        prop_assert!(a.grade.is_some() && a.grade <= b.grade,
                            "{} ({:?}) vs {} ({:?})", a.score, a.grade, b.score, b.grade);
                    }
                }
            }
        }
    }
}
