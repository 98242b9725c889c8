//! `perf score` and `perf explain` on hand-worked fixtures (tests/data/score). Every expected
//! number below is computed in the comment next to it from the formulas in docs/scoring.md.

use crate::util::{perf, tempdir};
use predicates::prelude::*;

const DIR: &str = "tests/data/score";

fn score(scheme: &str, extra: &[&str]) -> (i32, Vec<Vec<String>>, String) {
    let out = perf()
        .args(["score", &format!("{DIR}/ledger.csv"), "--scheme", &format!("{DIR}/{scheme}"), "--roster"])
        .arg(format!("{DIR}/roster.csv"))
        .args(["--period", "2026Q1", "--format", "csv"])
        .args(extra)
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    (out.status.code().unwrap(), rows, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn find<'a>(rows: &'a [Vec<String>], id: &str) -> &'a [String] {
    rows.iter().find(|r| r[1] == id).unwrap_or_else(|| panic!("{id} in {rows:?}"))
}

// Columns: 0 period, 1 subject, 2 name, 3 category, 4 score, 5 rank, 6 category_rank,
// 7 grade, 8 veto, 9 bonus, 10 deduction, 11 complete, 12 flags, then R C F B K D Y.

#[test]
fn every_method_by_hand() {
    let (code, rows, stderr) = score("scheme.toml", &[]);
    // S3 is incomplete (no pub ratings): exit 1, results still written.
    assert_eq!(code, 1, "{stderr}");

    // S1 (甲类, coefficient 1):
    //   R: lead 90; pub 70 80 90 100, trim 1 → (80 + 90) / 2 = 85; (90×40 + 85×60)/100 = 87 → 30 × 87% = 26.1
    //   C: min(88/80, 1.2) = 1.1 → 22;  F: (60 + 40×(84−60)/(90−60))/100 = 0.92 → 9.2
    //   B: 65 ≥ 50 → 0.8 → 8;  K: 7 vs S2's 9 in 甲类 → rank 2 → 10 − 1×2 = 8
    //   D: 1 × 3 → 10 − 3 = 7;  Y: 是 → 10;  base 90.3
    //   P: 1 × 2 = 2 (cap 4); Q: min(3 × 1, 2) = 2 → 90.3 + 2 − 2 = 90.30
    let s1 = find(&rows, "S1");
    assert_eq!(
        s1[4..],
        [
            "90.30", "2", "1", "优秀", "", "2.00", "2.00", "true", "", "26.10", "22.00", "9.20", "8.00", "8.00",
            "7.00", "10.00"
        ]
    );

    // S2: R: pub 60 60 60 (3 > 2×1, trimmed) → 60; (80×40 + 60×60)/100 = 68 → 20.4
    //   C: min(100/80, 1.2) = 1.2 → 24;  F: (60 + 40×35/30)/100 > 1 → capped at 1 → 10
    //   B: 80 → 1 → 10;  K: rank 1 → 10;  D: 0 → 10;  Y: 否 → 0;  base 84.4
    //   P: 3 × 2 = 6 → item cap 4 → bonus_cap 3;  V vetoed → at most 合格
    //   84.4 + 3 = 87.40 (良好 by score, 合格 by veto)
    let s2 = find(&rows, "S2");
    assert_eq!(s2[4..13], ["87.40", "3", "2", "合格", "V", "3.00", "0.00", "true", "veto:V;bonus-capped"]);
    assert_eq!(s2[13..], ["20.40", "24.00", "10.00", "10.00", "10.00", "10.00", "0.00"]);

    // S3 (乙类, coefficient 1.1): R: lead 100, pub missing → 100×40/100 = 40 → 12, incomplete
    //   C: 40/80 = 0.5 → 10;  F: (60 + 40×(50−60)/30)/100 = 0.4666… → 4.666…
    //   B: 20 → 0.5 → 5;  K: 5 ties S4's 5 → both rank 1 → 10;  D: 5 × 3 = 15 → 扣完为止 0
    //   Y: 10;  base 51.666… × 1.1 = 56.8333… → 56.83
    let s3 = find(&rows, "S3");
    //   Incomplete: not ranked, no grade (待补), listed after the ranked subjects.
    assert_eq!(s3[4..13], ["56.83", "", "", "", "", "0.00", "0.00", "false", "missing:R/pub"]);
    assert_eq!(s3[15], "4.67");

    // S4: R: pub 90 92 94 96 98 → drop 90, 98 → 94; (95×40 + 94×60)/100 = 94.4 → 28.32
    //   C: 80/80 → 20; F: 90 → 1 → 10; B: 85 → 10; K: 10; D: no events → 10; Y: 10
    //   base 98.32 × 1.1 = 108.152; Q: 1 → 108.152 − 1 = 107.152 → 107.15
    //   (the 2026Q2 row is another period: ignored)
    let s4 = find(&rows, "S4");
    assert_eq!(s4[4..12], ["107.15", "1", "1", "优秀", "", "0.00", "1.00", "true"]);

    // Rank order, and the 优秀 quota round(0.5 × 4) = 2: S4 and S1.
    let order: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(order, ["S4", "S1", "S2", "S3"]);
}

#[test]
fn renormalize_scales_the_present_raters() {
    // S3 with missing_rater = renormalize: lead's weight 40 → 100, R = 30 × 100% = 30;
    // base 51.666… − 12 + 30 = 69.666… × 1.1 = 76.6333… → 76.63, complete, flagged.
    let (code, rows, _) = score("scheme_renormalize.toml", &[]);
    assert_eq!(code, 0, "nothing incomplete now");
    let s3 = find(&rows, "S3");
    assert_eq!((s3[4].as_str(), s3[11].as_str()), ("76.63", "true"));
    assert!(s3[12].contains("renormalized:R") && s3[12].contains("missing:R/pub"), "{}", s3[12]);
}

#[test]
fn zero_counts_the_missing_rater_as_zero_and_still_flags_it() {
    // S3 with missing_rater = zero: pub counts 0 → R = 30 × (100 × 40 + 0 × 60)/100/100 = 12,
    // as under error, but complete: 51.666… × 1.1 = 56.8333… → 56.83, ranked and graded
    // (不合格, below 60); flagged missing:R/pub, not renormalized.
    let (code, rows, _) = score("scheme_zero.toml", &[]);
    assert_eq!(code, 0, "nothing incomplete");
    let s3 = find(&rows, "S3");
    assert_eq!(s3[4..13], ["56.83", "4", "2", "不合格", "", "0.00", "0.00", "true", "missing:R/pub"]);
}

#[test]
fn explain_reproduces_the_numbers_step_by_step() {
    let out = perf()
        .args(["explain", "S1", &format!("{DIR}/ledger.csv"), "--scheme", &format!("{DIR}/scheme.toml")])
        .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for step in [
        "70  p1 (t!A3)  ← 去掉（最低）",
        "100  p4 (t!A6)  ← 去掉（最高）",
        "去掉最高、最低各 1 个后的均值 = 85",
        "加权 = (90 × 40 + 85 × 60) / 100 = 87",
        "得分 = 30 × 87 / 100 = 26.1",
        "得分 = 20 × min(88 / 80, 1.2) = 22",
        "本类别第 2 名 → 得分 = max(10 − (2 − 1) × 2, 0) = 8",
        "基础分 = 90.3 + 0 = 90.3",
        "四舍五入到 2 位小数：90.30",
        "等次：优秀",
    ] {
        assert!(text.contains(step), "missing `{step}` in:\n{text}");
    }
}

#[test]
fn explain_adds_up_to_score_for_every_subject() {
    let (_, rows, _) = score("scheme.toml", &[]);
    for r in &rows {
        let out = perf()
            .args(["explain", &r[1], &format!("{DIR}/ledger.csv"), "--scheme", &format!("{DIR}/scheme.toml")])
            .args(["--roster", &format!("{DIR}/roster.csv"), "--period", "2026Q1", "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["score"], r[4].as_str(), "{}", r[1]);
        assert_eq!(v["rank"].as_u64().map_or_else(String::new, |k| k.to_string()), r[5]);
        // The leaves' points sum to the base; base × coefficient + bonus − deduction = exact.
        // Exact values are decimals (`78.85`) or fractions (`479/6`).
        let q = |x: &serde_json::Value| {
            let text = x.as_str().unwrap();
            let (n, d) = text.split_once('/').unwrap_or((text, "1"));
            let n: rust_decimal::Decimal = n.parse().unwrap();
            let d: rust_decimal::Decimal = d.parse().unwrap();
            let scale = num_bigint::BigInt::from(10u32).pow(n.scale());
            num_rational::BigRational::new(num_bigint::BigInt::from(n.mantissa()), scale)
                / num_rational::BigRational::new(num_bigint::BigInt::from(d.mantissa()), 10u32.pow(d.scale()).into())
        };
        let leaves: num_rational::BigRational = v["leaves"].as_array().unwrap().iter().map(|l| q(&l["points"])).sum();
        assert_eq!(leaves, q(&v["base"]), "{}", r[1]);
        let zero = num_rational::BigRational::from_integer(0.into());
        let exact = (q(&v["base"]) * q(&v["coefficient"]) + q(&v["bonus"]) - q(&v["deduction"])).max(zero);
        assert_eq!(exact, q(&v["exact"]), "{}", r[1]);
    }
}

#[test]
fn a_tie_at_the_quota_line_waits_for_a_decision() {
    let run = |extra: &[&str]| {
        perf()
            .args(["score", "tests/data/score/tie/ledger.csv", "--scheme", "tests/data/score/tie/scheme.toml"])
            .args(["--roster", "tests/data/score/tie/roster.csv", "--format", "csv"])
            .args(extra)
            .output()
            .unwrap()
    };
    // 优秀 places: round(0.5 × 2) = 1; T1 and T2 both 95 and equal on R: never decided by order.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("tie_at_quota").count(), 2, "{text}");
    assert_eq!(text.matches(",优秀,").count(), 0, "neither takes the place: {text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--decide"));
    // The decision settles it and is recorded.
    let out = run(&["--decide", "tests/data/score/tie/decide.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("T1,一号,,95.00,1,1,优秀,,0.00,0.00,true,decided"), "{text}");
    assert!(text.contains("T2,二号,,95.00,1,1,良好,"), "{text}");
    // A decision naming an unknown subject is an error with its line.
    run(&["--decide", "tests/data/score/tie/decide_unknown.csv"]);
    perf()
        .args(["score", "tests/data/score/tie/ledger.csv", "--scheme", "tests/data/score/tie/scheme.toml"])
        .args(["--roster", "tests/data/score/tie/roster.csv", "--decide", "tests/data/score/tie/decide_unknown.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("decide_unknown.csv:2: 错误[unknown-subject]"));
}

#[test]
fn rows_in_any_order_and_split_across_files_give_the_same_bytes() {
    let tmp = tempdir();
    let text = std::fs::read_to_string(format!("{DIR}/ledger.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let (a, b) = lines.split_at(lines.len() / 2);
    std::fs::write(tmp.path().join("a.csv"), format!("{header}\n{}\n", a.join("\n"))).unwrap();
    std::fs::write(tmp.path().join("b.csv"), format!("{header}\n{}\n", b.join("\n"))).unwrap();
    let run = |inputs: Vec<String>| {
        perf()
            .arg("score")
            .args(inputs)
            .args(["--scheme", &format!("{DIR}/scheme.toml"), "--roster", &format!("{DIR}/roster.csv")])
            .args(["--period", "2026Q1", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    let whole = run(vec![format!("{DIR}/ledger.csv")]);
    let split =
        run(vec![tmp.path().join("b.csv").display().to_string(), tmp.path().join("a.csv").display().to_string()]);
    assert_eq!(whole, split);
}

#[test]
fn periods_must_be_chosen_and_exist() {
    let base = [
        "score",
        "tests/data/score/ledger.csv",
        "--scheme",
        "tests/data/score/scheme.toml",
        "--roster",
        "tests/data/score/roster.csv",
    ];
    perf().args(base).assert().code(2).stderr(predicate::str::contains("多个考核期"));
    perf()
        .args(base)
        .args(["--period", "2026Q3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("没有考核期 2026Q3"));
}

#[test]
fn the_readme_command_scores_the_example() {
    let out = perf().args(["score", "examples/units"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    // The period as a clerk writes it (2026年第一季度, not 2026Q1).
    assert!(text.starts_with("2026年区直机关季度绩效考核 · 2026年第一季度"), "{text}");
    assert!(text.contains("等次：优秀"), "{text}");
}

#[test]
fn the_worked_example_in_the_docs() {
    // docs/scoring.md works these three out by hand from examples/units/data (2026Q1).
    let out = perf().args(["score", "examples/units", "--format", "csv"]).output().unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    for (id, score, rank, grade) in
        [("U05", "92.85", "3", "优秀"), ("U14", "94.44", "1", "优秀"), ("U06", "92.14", "4", "优秀")]
    {
        let row = find(&rows, id);
        assert_eq!((row[4].as_str(), row[5].as_str(), row[7].as_str()), (score, rank, grade), "{id}");
    }
    assert_eq!(find(&rows, "U15")[7], "良好", "pushed down by the 综合管理类 quota");
    // explain reproduces the worked steps
    let out = perf().args(["explain", "U05", "examples/units"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for step in ["去掉最高、最低各 1 个后的均值 = 87.125", "= 8.5635", "本类别第 2 名", "四舍五入到 2 位小数：92.85"]
    {
        assert!(text.contains(step), "{step}:\n{text}");
    }
}

#[test]
fn leaders_and_staff_of_a_unit_hold_separate_places() {
    // tests/data/pools: unit U1 has 2 leaders (95, 94) and 8 staff (93, 92, 91, 85 … 81); 优秀
    // (min 80) has quota 0.2.
    // scope = ["unit", "category"]: leaders round(0.2 × 2) = 0 places, staff round(0.2 × 8) =
    // round(1.6) = 2 places → S1, S2 优秀; the leaders cannot borrow the staff's places.
    // scope = "unit": round(0.2 × 10) = 2 places → L1, L2.
    let grades = |scheme: &str| -> Vec<(String, String)> {
        let out = perf()
            .args(["score", "tests/data/pools/ledger.csv", "--scheme", &format!("tests/data/pools/{scheme}")])
            .args(["--roster", "tests/data/pools/roster.csv", "--period", "2026Q1", "--format", "csv"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let mut r = csv::Reader::from_reader(out.stdout.as_slice());
        r.records()
            .map(|x| x.unwrap())
            .filter(|x| &x[7] == "优秀")
            .map(|x| (x[1].to_owned(), x[7].to_owned()))
            .collect()
    };
    let top = |v: Vec<(String, String)>| v.into_iter().map(|(s, _)| s).collect::<Vec<_>>();
    assert_eq!(top(grades("scheme.toml")), ["S1", "S2"]);
    assert_eq!(top(grades("scheme_unit.toml")), ["L1", "L2"]);
}

fn with_corrections(file: &str, subject: Option<&str>, extra: &[&str]) -> std::process::Output {
    let mut cmd = perf();
    match subject {
        Some(s) => cmd.args(["explain", s]),
        None => cmd.arg("score"),
    };
    cmd.args(["tests/data/pools/ledger.csv", "--scheme", "tests/data/pools/scheme.toml"])
        .args(["--roster", "tests/data/pools/roster.csv", "--period", "2026Q1", "--corrections", file])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_correction_is_applied_with_its_trail_and_never_displaces_silently() {
    // tests/data/pools/corrections.csv: S3's W corrected 91 → 95 (approved, with a reason).
    // Staff pool: 2 优秀 places (round(0.2 × 8)). Before: S1 93, S2 92 优秀. After: S3 95 and
    // S1 93 take the places; S2 would drop to 称职 because of someone else's correction → it
    // is flagged correction-displaces and left for a decision (exit 1), not displaced silently.
    let out = with_corrections("tests/data/pools/corrections.csv", None, &["--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    let s3 = find(&rows, "S3");
    assert_eq!((s3[4].as_str(), s3[7].as_str(), s3[12].as_str()), ("95.00", "优秀", "corrected:W"));
    let s2 = find(&rows, "S2");
    assert_eq!(s2[12], "correction-displaces");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("corrections.csv") && stderr.contains("correction-displaces"), "{stderr}");
    // explain shows the original value, where it came from and the audit trail.
    let out = with_corrections("tests/data/pools/corrections.csv", Some("S3"), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("复核：W 91 → 95  (p!B6)；理由 复核发现数据录入错误（应为 95），批准 区考核办，2026-04-20"),
        "{text}"
    );
    // The office decides S2 keeps 优秀: the decision takes a place, so S1 (93) is now the one
    // pushed out by the correction — flagged in turn; deciding both settles it.
    let tmp = tempdir();
    let decide = tmp.path().join("裁定.csv");
    std::fs::write(&decide, "subject,grade,reason\nS2,优秀,复核后维持\nS1,优秀,复核后维持\n").unwrap();
    let out = with_corrections(
        "tests/data/pools/corrections.csv",
        None,
        &["--format", "csv", "--decide", decide.to_str().unwrap()],
    );
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for id in ["S1", "S2"] {
        assert_eq!(find(&rows, id)[7], "优秀", "{id}");
    }
}

#[test]
fn a_correction_without_its_approval_is_refused() {
    let tmp = tempdir();
    let file = tmp.path().join("corrections.csv");
    std::fs::write(&file, "subject,period,indicator,value,reason,approved_by,date\nS3,2026Q1,W,95,录入错误,,\nS9,2026Q1,W,90,x,y,2026-04-20\n").unwrap();
    let out = with_corrections(file.to_str().unwrap(), None, &["--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing scored");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("corrections.csv!2:2") && stderr.contains("approved_by, date"), "{stderr}");
    assert!(stderr.contains("unknown-subject") && stderr.contains("S9"), "{stderr}");
}

#[test]
fn the_report_lists_the_corrections() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let tmp = tempdir();
    let path = tmp.path().join("报告.xlsx");
    let out = perf()
        .args(["report", "tests/data/pools/ledger.csv", "--scheme", "tests/data/pools/scheme.toml"])
        .args(["--roster", "tests/data/pools/roster.csv", "--period", "2026Q1"])
        .args(["--corrections", "tests/data/pools/corrections.csv", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(path.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let about = book.worksheet_range("说明").unwrap();
    let row = about.rows().find(|r| r.first() == Some(&Data::String("S3".into()))).expect("a correction row");
    let text: Vec<String> = row.iter().map(ToString::to_string).collect();
    assert_eq!(text[..7], ["S3", "W", "91", "95", "复核发现数据录入错误（应为 95）", "区考核办", "2026-04-20"]);
}

#[test]
fn each_period_is_scored_with_the_roster_of_then() {
    // tests/data/pools/events.csv: S1 moved to U2 on 2026-02-10; S8 joined on 2026-04-01.
    // 2026Q1 as of 31 March: S8 is not yet there (not listed); S1 is assessed at U2, alone in
    // its staff pool (round(0.2 × 1) = 0 places) → 称职; U1's staff are S2…S7 (6):
    // round(0.2 × 6) = round(1.2) = 1 place → S2 (92) 优秀 (without the events: S1 and S2).
    let out = perf()
        .args(["score", "tests/data/pools/ledger.csv", "--scheme", "tests/data/pools/scheme.toml"])
        .args(["--roster", "tests/data/pools/roster.csv", "--period", "2026Q1", "--format", "csv"])
        .args(["--roster-events", "tests/data/pools/events.csv"])
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    assert!(!rows.iter().any(|r| r[1] == "S8"), "S8 joined after the quarter");
    // S8's 2026Q1 value in the ledger is refused with a message, not dropped silently.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("events.csv") && stderr.contains("not-in-period-roster") && stderr.contains("S8"),
        "{stderr}"
    );
    let top: Vec<&str> = rows.iter().filter(|r| r[7] == "优秀").map(|r| r[1].as_str()).collect();
    assert_eq!(top, ["S2"]);
    assert_eq!(find(&rows, "S1")[7], "称职");
}

#[test]
fn a_workbook_name_for_the_text_table_is_refused_before_any_work() {
    // `-o 结果.xlsx` used to write the text table into a file Excel cannot open, exit 0.
    let tmp = tempdir();
    for name in ["结果.xlsx", "结果.XLS", "结果.ods", "结果.pdf"] {
        let out = tmp.path().join(name);
        perf()
            .args(["score", "examples/units", "-o"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--report"))
            .stdout(predicate::str::is_empty());
        assert!(!out.exists(), "{name}");
    }
    perf()
        .args(["annual", "examples/staff", "-o"])
        .arg(tmp.path().join("年度.xlsx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--report"));
    // .csv and .json still choose the format.
    let csv = tmp.path().join("结果.csv");
    perf().args(["score", "examples/units", "-o"]).arg(&csv).assert().code(0);
    assert!(std::fs::read_to_string(&csv).unwrap().starts_with("\u{feff}period,subject,name,"), "csv");
}

#[test]
fn csv_files_for_excel_start_with_a_bom_and_streams_do_not() {
    // Excel on Chinese Windows reads a CSV without the UTF-8 BOM as GBK (mojibake). Files get
    // the BOM; standard output (scripts) and --no-bom do not; perf reads its own files back.
    let tmp = tempdir();
    let file = tmp.path().join("结果.csv");
    perf().args(["score", "examples/units", "-o"]).arg(&file).assert().code(0);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFperiod,"));
    let stdout = perf().args(["score", "examples/units", "--format", "csv"]).output().unwrap().stdout;
    assert!(stdout.starts_with(b"period,"));
    // The same rows either way.
    assert_eq!(&bytes[3..], &stdout[..]);
    let plain = tmp.path().join("plain.csv");
    perf().args(["score", "examples/units", "--no-bom", "-o"]).arg(&plain).assert().code(0);
    assert_eq!(std::fs::read(&plain).unwrap(), stdout);
    let dash = perf().args(["score", "examples/units", "-o", "-", "--format", "csv"]).output().unwrap().stdout;
    assert_eq!(dash, stdout);
    // The annual CSV and the import issues list too.
    let annual = tmp.path().join("年度.csv");
    perf().args(["annual", "examples/staff", "-o"]).arg(&annual).assert().code(0);
    assert!(std::fs::read(&annual).unwrap().starts_with(b"\xEF\xBB\xBFsubject,"));
    let issues = tmp.path().join("问题.csv");
    perf()
        .args(["import", "-w", "examples/units", "-o"])
        .arg(tmp.path().join("台账.csv"))
        .arg("--issues")
        .arg(&issues)
        .assert()
        .code(0);
    assert!(std::fs::read(&issues).unwrap().starts_with(b"\xEF\xBB\xBFseverity,"));
}

#[test]
fn perf_lang_sets_the_language_and_lang_wins() {
    perf()
        .env("PERF_LANG", "en")
        .args(["score", "examples/units", "-o", "x.xlsx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("writes a text table"));
    perf()
        .env("PERF_LANG", "en")
        .args(["--lang", "zh", "score", "examples/units", "-o", "x.xlsx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("写出的是文本表格"));
}

#[test]
fn help_shows_each_example_on_its_own_line() {
    for cmd in ["validate", "import", "score", "explain", "report", "annual"] {
        let out = perf().args([cmd, "--help"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let examples = text.lines().filter(|l| l.trim_start().trim_start_matches("例：").starts_with("perf ")).count();
        let runs_together = text.lines().any(|l| l.matches("perf ").count() > 1 && l.contains("例："));
        assert!(examples >= 1 && !runs_together, "{cmd}:\n{text}");
    }
}

/// Display width: CJK characters take two columns.
fn width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
}

#[test]
fn default_tables_fit_eighty_columns() {
    // The default tables fit the width asked for (a terminal's, or COLUMNS for a script): no
    // line wider, in both languages; --wide keeps every column.
    for lang in ["zh", "en"] {
        for args in
            [&["score", "examples/units"][..], &["annual", "examples/staff"][..], &["score", "examples/staff"][..]]
        {
            let out = perf().env("COLUMNS", "80").args(["--lang", lang]).args(args).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.lines().count() > 20, "{args:?}: {text}");
            let widest = text.lines().map(width).max().unwrap();
            assert!(widest <= 80, "{lang} {args:?}: {widest} columns\n{text}");
        }
    }
    let wide = perf().env("COLUMNS", "80").args(["score", "examples/units", "--wide"]).output().unwrap();
    let text = String::from_utf8_lossy(&wide.stdout);
    assert!(text.contains("党的建设") && text.contains("否决"), "{text}");
    let narrow = perf().env("COLUMNS", "80").args(["score", "examples/units"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&narrow.stdout).contains("党的建设"));
}

#[test]
fn explain_names_methods_in_the_readers_language() {
    let zh = perf().args(["explain", "U05", "examples/units"]).output().unwrap();
    let text = String::from_utf8_lossy(&zh.stdout);
    assert!(text.contains("（评价打分，10 分）") && text.contains("（完成率法，"), "{text}");
    for english in ["（rating", "（completion", "（bands", "（efficacy"] {
        assert!(!text.contains(english), "{english}");
    }
    let en = perf().args(["--lang", "en", "explain", "U05", "examples/units"]).output().unwrap();
    assert!(String::from_utf8_lossy(&en.stdout).contains("rating"));
}
