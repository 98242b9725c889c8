//! Exact scores (issue 12): exact halves round away from zero, trimming only with more than 5
//! evaluators, event amounts rounded under `round_each`, each documented default, interpolated
//! bands. Fixtures in tests/data/exact; every expected number is worked out in the comments.

use crate::util::perf;

const DIR: &str = "tests/data/exact";

/// (subject → [score, bonus, deduction, flags, first indicator column]) from `perf score`.
fn score(scheme: &str, ledger: &str) -> Vec<[String; 5]> {
    let out = perf()
        .args(["score", &format!("{DIR}/{ledger}"), "--scheme", &format!("{DIR}/{scheme}")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let mut rows: Vec<[String; 5]> = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            [x[1].to_owned(), x[4].to_owned(), x[9].to_owned(), x[10].to_owned(), x[12].to_owned()]
        })
        .collect();
    rows.sort();
    rows
}

fn row(cells: [&str; 5]) -> [String; 5] {
    cells.map(str::to_owned)
}

#[test]
fn exact_halves_round_away_from_zero_and_trimming_needs_more_than_five() {
    let rows = score("scheme.toml", "ledger.csv");
    // T1: lead (79 + 80 + 80.5) / 3 = 239.5/3 (79.8333…, never cut); pub (77.5 + 78.25) / 2
    //   = 77.875 (2 evaluators: not trimmed, fewer than min_count 3).
    //   R = (239.5/3 × 60 + 77.875 × 40) / 100 = (4790 + 3115) / 100 = 79.05 exactly
    //   (28-digit decimals gave 79.0499…, shown 79.0); D: 1 × 0.5 → 79.05 − 0.5 = 78.55
    //   → 四舍五入 78.6.
    // T2: pub 60/80/90/100, 4 evaluators (not more than 5): plain mean 82.5 (trimming would give
    //   85); (80 × 60 + 82.5 × 40) / 100 = 48 + 33 = 81.0, flagged not-trimmed.
    // T3: pub 60/80/90/100/70/85, 6 evaluators: drop 60 and 100 → 325 / 4 = 81.25;
    //   (80 × 60 + 81.25 × 40) / 100 = 80.5; X: 30 × 0.25 = 7.5 with no item cap → bonus_cap 5;
    //   D: 25 × 0.5 = 12.5 with no cap → 80.5 + 5 − 12.5 = 73.0.
    assert_eq!(
        rows,
        [
            row(["T1", "78.6", "0.0", "0.5", "few-evaluators:R/pub;not-trimmed:R/pub"]),
            row(["T2", "81.0", "0.0", "0.0", "not-trimmed:R/pub"]),
            row(["T3", "73.0", "5.0", "12.5", "bonus-capped"]),
        ]
    );
}

#[test]
fn round_each_rounds_event_amounts_too() {
    let rows = score("scheme_round_each.toml", "ledger.csv");
    // precision 2, round_each, D per_item 0.125:
    // T1: R 79.05; D 1 × 0.125 = 0.125 → 0.13 → 79.05 − 0.13 = 78.92 (without round_each
    //   78.925 → 78.93).
    // T3: R 80.5; bonus 5; D 25 × 0.125 = 3.125 → 3.13 → 80.5 + 5 − 3.13 = 82.37.
    assert_eq!(rows[0][..4], ["T1", "78.92", "0.00", "0.13"]);
    assert_eq!(rows[1][..4], ["T2", "81.00", "0.00", "0.00"]);
    assert_eq!(rows[2][..4], ["T3", "82.37", "5.00", "3.13"]);
}

#[test]
fn documented_defaults_and_interpolated_bands() {
    let out = perf()
        .args(["score", &format!("{DIR}/defaults_ledger.csv"), "--scheme", &format!("{DIR}/defaults.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "--format", "csv"])
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let mut rows: Vec<Vec<String>> =
        r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect::<Vec<_>>()).collect();
    rows.sort();
    let pick = |r: &Vec<String>| [r[1].clone(), r[4].clone(), r[13].clone(), r[14].clone(), r[15].clone()];
    // T1: C 120 / 80 = 1.5 → default cap 1.2 → 50 × 1.2 = 60; F (60 + 40 × 40/30)/100 = 1.1333…
    //   → default cap 1 → 10; B 75, between C (70, 0.5) and B (80, 0.75): 0.5 + 5/10 × 0.25
    //   = 0.625 → 40 × 0.625 = 25; 95.00.
    // T2: C 40 / 80 = 0.5 → 25; F (60 + 40 × 15/30)/100 = 0.8 → 8; B 95 ≥ 90 → 1 → 40; 73.00.
    // T3: C 60 / 80 = 0.75 → 37.5; F 0.6 → 6; B 66: 0.25 + 6/10 × 0.25 = 0.4 → 16; 59.50.
    assert_eq!(
        rows.iter().map(pick).collect::<Vec<_>>(),
        [
            row(["T1", "95.00", "60.00", "10.00", "25.00"]),
            row(["T2", "73.00", "25.00", "8.00", "40.00"]),
            row(["T3", "59.50", "37.50", "6.00", "16.00"]),
        ]
    );
}

#[test]
fn explain_shows_the_exact_value_before_rounding() {
    let out = perf()
        .args(["explain", "T1", &format!("{DIR}/ledger.csv"), "--scheme", &format!("{DIR}/scheme.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exact"], "78.55");
    assert_eq!(v["score"], "78.6");
    let lead = &v["leaves"][0]["detail"]["raters"][0];
    assert_eq!(lead["mean"], "479/6", "{lead}");
}

/// T1 without its pub ratings: incomplete under missing_rater = error.
fn incomplete(format: &str) -> std::process::Output {
    perf()
        .args(["score", &format!("{DIR}/incomplete_ledger.csv"), "--scheme", &format!("{DIR}/quota.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "--format", format])
        .output()
        .unwrap()
}

#[test]
fn an_incomplete_subject_is_not_ranked_or_graded_anywhere() {
    // T1: lead 239.5/3 × 60 / 100 = 47.9, pub missing → incomplete; 47.9 − 0.5 = 47.4.
    // T2 81.0 (好), T3 73.0 (一般). 好's quota: round(0.5 × 3) = 2 places on the whole pool;
    // T1 holds none, T2 takes one, one stays open.
    let out = incomplete("csv");
    assert_eq!(out.status.code(), Some(1), "incomplete data: exit 1");
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, ["T2", "T3", "T1"], "the incomplete subject after the ranked ones");
    // score, rank, category_rank, grade, veto, bonus, deduction, complete, flags
    assert_eq!(rows[2][4..13], ["47.4", "", "", "", "", "0.0", "0.5", "false", "missing:R/pub"]);
    assert_eq!(rows[0][4..8], ["81.0", "1", "1", "好"]);

    let out = incomplete("json");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t1 = v.as_array().unwrap().iter().find(|x| x["subject"] == "T1").unwrap();
    assert!(t1["grade"].is_null() && t1["rank"].is_null() && t1["category_rank"].is_null(), "{t1}");
    assert_eq!(t1["complete"], false);

    let out = incomplete("table");
    let text = String::from_utf8_lossy(&out.stdout);
    let t1 = text.lines().find(|l| l.contains("T1")).unwrap();
    assert!(t1.contains("待补") && !t1.contains("一般") && !t1.contains("好"), "{t1}");
    assert!(text.contains("待补（数据不完整，不排名、不定等次）1"), "{text}");
    assert!(text.contains("好名额 2 个，已评 1，1 个空着：1 个对象数据不完整"), "{text}");
}

#[test]
fn the_report_shows_incomplete_subjects_apart() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let tmp = crate::util::tempdir();
    let path = tmp.path().join("报告.xlsx");
    let out = perf()
        .args(["report", &format!("{DIR}/incomplete_ledger.csv"), "--scheme", &format!("{DIR}/quota.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let summary = book.worksheet_range("汇总").unwrap();
    let rows: Vec<_> = summary.rows().collect();
    let at = rows.iter().position(|r| r.iter().any(|c| *c == Data::String("T1".into()))).unwrap();
    let row = rows[at];
    assert_eq!(row[0], Data::Empty, "no rank");
    assert!(row.iter().any(|c| *c == Data::String("待补".into())), "{row:?}");
    assert!(!row.iter().any(|c| *c == Data::String("一般".into())), "{row:?}");
    // Its own block: under a heading, after the ranked subjects and a blank row.
    assert!(
        rows[at - 1][0].to_string().starts_with("待补（数据不完整）：以下 1 个对象不排名、不定等次"),
        "{:?}",
        rows[at - 1]
    );
    assert!(rows[at - 2].iter().all(|c| *c == Data::Empty), "{:?}", rows[at - 2]);
    assert!(rows[..at - 2].iter().skip(2).all(|r| matches!(r[0], Data::Float(_))), "ranked above");
    // 等次分布: 好 1 of the 2 graded = 50 %, 待补 counted apart.
    let grades = book.worksheet_range("等次分布").unwrap();
    let head: Vec<String> = grades.rows().next().unwrap().iter().map(ToString::to_string).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {head:?}"));
    let all = grades.rows().nth(1).unwrap();
    assert_eq!(all[col("待补（数据不完整）")], Data::Float(1.0));
    assert_eq!(all[col("好")], Data::Float(1.0));
    assert_eq!(all[col("好占比%")], Data::Float(50.0));
}

#[test]
fn explain_says_why_a_small_panel_is_not_trimmed() {
    let out = perf()
        .args(["explain", "T2", &format!("{DIR}/ledger.csv"), "--scheme", &format!("{DIR}/scheme.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("均值（评价人少于 6 个，不去极值） = 82.5"), "{text}");
    assert!(!text.contains("去掉（最高）"), "{text}");
}

#[test]
fn a_decision_for_an_incomplete_subject_waits_and_says_so() {
    let tmp = crate::util::tempdir();
    let decide = tmp.path().join("裁定.csv");
    std::fs::write(&decide, "subject,grade,reason\nT1,好,复核\n").unwrap();
    let out = perf()
        .args(["score", &format!("{DIR}/incomplete_ledger.csv"), "--scheme", &format!("{DIR}/quota.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "--format", "csv", "--decide"])
        .arg(&decide)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let t1 = text.lines().find(|l| l.contains(",T1,")).unwrap();
    assert!(t1.contains(",,,") && t1.contains("decision-waits") && !t1.contains("好"), "{t1}");
}
