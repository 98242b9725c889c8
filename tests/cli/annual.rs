//! `perf annual`: the staff example's five named people (worked by hand in docs/annual.md),
//! funding that sums to the pool, the unit → person quota link, the history file.

use crate::util::{perf, tempdir};
use predicates::prelude::*;
use std::collections::HashMap;

fn annual(extra: &[&str]) -> (i32, Vec<HashMap<String, String>>, String) {
    let out = perf().args(["annual", "examples/staff", "--format", "csv"]).args(extra).output().unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().unwrap().clone();
    let rows = r
        .records()
        .map(|x| headers.iter().zip(x.unwrap().iter()).map(|(h, v)| (h.to_owned(), v.to_owned())).collect())
        .collect();
    (out.status.code().unwrap(), rows, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// CSV rows as column → value.
fn keyed(csv_bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_bytes);
    let h = r.headers().unwrap().clone();
    r.records().map(|x| h.iter().zip(x.unwrap().iter()).map(|(a, b)| (a.to_owned(), b.to_owned())).collect()).collect()
}

fn who<'a>(rows: &'a [HashMap<String, String>], id: &str) -> &'a HashMap<String, String> {
    rows.iter().find(|r| r["subject"] == id).unwrap_or_else(|| panic!("{id}"))
}

fn money(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap();
    y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

#[test]
fn five_named_people_as_worked_by_hand() {
    let (code, rows, stderr) = annual(&[]);
    assert_eq!(code, 0, "{stderr}");
    // docs/annual.md: annual = (quarterly mean × 40 + year-end mean × 60) / 100; a panel of 5
    // is not trimmed (more than 5 evaluators are needed, DOMAIN.md).
    // P001: quarters 80.04 80.34 79.13 78.30 → 317.81 / 4 = 79.4525; year-end 73.3 74.9 73.9
    // 73.9 75.2 → 371.2 / 5 = 74.24; (79.4525 × 40 + 74.24 × 60)/100 = 31.781 + 44.544 = 76.325
    // exactly → 四舍五入 76.33 (an exact half, away from zero) → 称职, an ordinary share.
    let p = who(&rows, "P001");
    assert_eq!((p["annual_score"].as_str(), p["grade"].as_str(), p["flags"].as_str()), ("76.33", "称职", ""));
    // P032: 好 ×4 (96.65 98.47 97.04 97.54 → 97.425); year-end 98.1 95.4 97.9 92.3 93.3 → 95.4;
    // (97.425 × 40 + 95.4 × 60)/100 = 38.97 + 57.24 = 96.21 → 优秀: U03's 一般干部 pool has 8
    // people → round(0.2 × 8) = 2 places; P032 is first, P027 (95.06) is capped by a 警告 and
    // the next, P029 (88.13), is below 90, so the second place stays empty;
    // 2024 优秀, 2025 优秀, 2026 优秀 → 记三等功 with a 1500 award.
    let p = who(&rows, "P032");
    assert_eq!((p["annual_score"].as_str(), p["grade"].as_str()), ("96.21", "优秀"));
    assert!(p["flags"].contains("记三等功") && p["flags"].contains("嘉奖"), "{}", p["flags"]);
    assert_eq!(p["award"], "1500.00");
    assert!(p["evidence"].contains("2024 优秀，2025 优秀，2026 优秀 → 记三等功"), "{}", p["evidence"]);
    // P027: 好 ×4 (97.01 94.98 96.30 94.54 → 95.7075); year-end 90.8 94.1 98 97.1 93.1 → 473.1 / 5
    // = 94.62; 38.283 + 56.772 = 95.055 → 95.06 ≥ 90, but a 警告 this year caps the grade at 称职.
    let p = who(&rows, "P027");
    assert_eq!((p["annual_score"].as_str(), p["grade"].as_str()), ("95.06", "称职"));
    assert!(p["flags"].contains("不得评为优秀") && p["evidence"].contains("今年处分：警告"), "{p:?}");
    // P023: vetoed (廉) in 2026Q3 → 不称职; 2025 不称职 too → 辞退审查; no bonus.
    let p = who(&rows, "P023");
    assert_eq!((p["grade"].as_str(), p["amount"].as_str()), ("不称职", "0.00"));
    assert!(p["flags"].contains("辞退审查") && p["flags"].contains("降低一个层次任职"), "{}", p["flags"]);
    // P061 joined in July: two quarters (< 3) → 不定等次, no bonus, year not counted.
    let p = who(&rows, "P061");
    assert_eq!((p["grade"].as_str(), p["amount"].as_str()), ("不定等次", "0.00"));
    // DOMAIN §2.2: a new recruit's 不定等次 year is not held against time in rank.
    assert!(!p["flags"].contains("不计入职级晋升年限"), "{}", p["flags"]);
    assert_eq!(p["quarters"], "2026Q1:-;2026Q2:-;2026Q3:好;2026Q4:较好");
}

#[test]
fn the_pool_is_split_to_the_fen_and_sums_exactly() {
    let (_, rows, _) = annual(&[]);
    // Pools are unit × 类别 (4 领导干部 and 8 一般干部 in each of U01–U05, 9 in U05 with P061):
    // round(0.2 × 4) = 1 and round(0.2 × 8) = round(0.2 × 9) = 2 places. Filled, by score ≥ 90:
    // U01 P010 | P006 P008; U02 P022 | P024 P015; U03 none ≥ 90 | P032 (P027 capped);
    // U04 P043 | P045 P038; U05 none ≥ 90 | P059 P060 → 12 优秀. P023 不称职 and P061 不定等次
    // get nothing, so 47 称职.
    // 612345.67 over 12 × 1.2 + 47 × 1 = 61.4 shares: 9973.0565… and 11967.6678…
    let total: i64 = rows.iter().map(|r| money(&r["amount"])).sum();
    assert_eq!(total, 61_234_567);
    let shares: Vec<&str> = rows.iter().map(|r| r["amount"].as_str()).collect();
    assert!(shares.iter().all(|s| ["11967.67", "9973.06", "9973.05", "0.00"].contains(s)), "{shares:?}");
    let excellent: Vec<&str> = rows.iter().filter(|r| r["grade"] == "优秀").map(|r| r["subject"].as_str()).collect();
    assert_eq!(
        excellent,
        ["P006", "P008", "P010", "P015", "P022", "P024", "P032", "P038", "P043", "P045", "P059", "P060"]
    );
    // Fens left after rounding down: 61234567 − 12×1196766 − 47×997305 = 40; the 优秀 remainders
    // (0.7818 fen) beat the 称职 ones (0.6515 fen): all 12 优秀 get 11967.67, 28 称职 9973.06.
    assert_eq!(shares.iter().filter(|s| **s == "11967.67").count(), 12);
    assert_eq!(shares.iter().filter(|s| **s == "9973.06").count(), 28);
    assert_eq!(shares.iter().filter(|s| **s == "9973.05").count(), 19);
}

#[test]
fn units_pack_staged_funding_and_person_quotas() {
    let tmp = tempdir();
    let units = tmp.path().join("units.csv");
    let out = perf().args(["annual", "examples/units", "-o"]).arg(&units).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut r = csv::Reader::from_path(&units).unwrap();
    let h = r.headers().unwrap().clone();
    let rows: Vec<HashMap<String, String>> = r
        .records()
        .map(|x| h.iter().zip(x.unwrap().iter()).map(|(a, b)| (a.to_owned(), b.to_owned())).collect())
        .collect();
    let total: i64 = rows.iter().map(|r| money(&r["amount"])).sum();
    assert_eq!(total, 100_000_000, "1,000,000.00 exactly");
    for r in &rows {
        let (paid, suspended, share) = (money(&r["paid"]), money(&r["suspended"]), money(&r["amount"]));
        assert_eq!(paid + suspended, share);
        match r["grade"].as_str() {
            "优秀" => assert_eq!((r["person_quota"].as_str(), r["factor"].as_str(), suspended), ("0.25", "1.05", 0)),
            "良好" => assert_eq!((r["person_quota"].as_str(), suspended), ("0.2", 0)),
            // 一般 and 较差: the second tranche (half) is suspended.
            _ => assert_eq!(suspended, share - share / 2, "{r:?}"),
        }
    }
    // A unit result with a 5% person quota leaves U03's eight 一般干部 no 优秀 place:
    // round(0.05 × 8) = 0, so P032 (U03) is pushed to 称职 and loses 记三等功.
    let low = tmp.path().join("low.csv");
    std::fs::write(&low, "subject,grade,person_quota\nU03,较差,0.05\n").unwrap();
    let (_, rows, _) = annual(&["--unit-results", low.to_str().unwrap()]);
    let p = who(&rows, "P032");
    assert_eq!(p["grade"], "称职");
    assert!(!p["flags"].contains("记三等功"));
}

#[test]
fn history_is_appended_once_unless_replaced() {
    let tmp = tempdir();
    let history = tmp.path().join("history.csv");
    std::fs::copy("examples/staff/history.csv", &history).unwrap();
    let before = std::fs::read_to_string(&history).unwrap();
    let run = |extra: &[&str]| {
        perf()
            .args(["annual", "examples/staff", "--history"])
            .arg(&history)
            .arg("--update-history")
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(run(&[]).status.code(), Some(0));
    let after = std::fs::read_to_string(&history).unwrap();
    assert!(after.starts_with("year,subject,grade,score,sanctions\n"));
    assert_eq!(after.lines().count(), before.lines().count() + 61);
    assert!(after.contains("2026,P032,优秀,96.21,") && after.contains("2026,P061,不定等次,91.84,"));
    assert!(after.contains("2026,P027,称职,95.06,警告"));
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已有 2026 年"));
    assert_eq!(std::fs::read_to_string(&history).unwrap(), after, "refused: unchanged");
    assert_eq!(run(&["--replace"]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&history).unwrap().lines().count(), after.lines().count());
}

#[test]
fn explain_annual_shows_the_evidence() {
    perf()
        .args(["explain", "P032", "examples/staff", "--annual"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("年度得分 = (97.425 × 40 + 95.4 × 60) / 100 = 96.21"))
        .stdout(predicate::str::contains("连续三年优秀记三等功：2024 优秀，2025 优秀，2026 优秀 → 记三等功"))
        .stdout(predicate::str::contains("分配金额 11967.67 元"));
}

#[test]
fn the_annual_report_has_the_outcomes_sheet() {
    use calamine::{DataType, Reader, Xlsx, open_workbook};
    let tmp = tempdir();
    let path = tmp.path().join("annual.xlsx");
    let out = perf().args(["annual", "examples/staff", "--report"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["结果运用", "年度等次", "季度走势", "资金分配", "说明"]);
    // Chinese headers; scores and amounts are numbers (they were text), and the 合计 row of
    // the amounts is the pool, 612,345.67 (examples/staff/annual.toml), to the fen.
    let sheet = book.worksheet_range("结果运用").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(calamine::Data::Empty);
    let head: Vec<String> = (0..7).map(|c| cell(1, c).to_string()).collect();
    assert_eq!(head, ["编号", "姓名/名称", "单位", "年度得分", "年度等次", "标记", "分配金额"]);
    assert!(matches!(cell(2, 3), calamine::Data::Float(_)), "{:?}", cell(2, 3));
    assert!(matches!(cell(2, 6), calamine::Data::Float(_)), "{:?}", cell(2, 6));
    let last = sheet.height() as u32 - 1;
    assert_eq!(cell(last, 0).to_string(), "合计");
    assert_eq!(format!("{:.2}", cell(last, 6).as_f64().unwrap()), "612345.67");
    // 年度等次: ten pools (5 organs × 领导干部/一般干部), 12 优秀 in all, each within its places
    // (a pool of 8 at 20 %: 2 places by the staff rules' rounding; of 4: 1).
    let grades = book.worksheet_range("年度等次").unwrap();
    let g = |r: u32, c: u32| grades.get_value((r, c)).cloned().unwrap_or(calamine::Data::Empty);
    assert_eq!(g(0, 2).to_string(), "优秀人数");
    let pools: Vec<u32> = (1..grades.height() as u32).filter(|&r| g(r, 0).to_string().contains(" · ")).collect();
    assert_eq!(pools.len(), 10);
    let excellent: f64 = pools.iter().map(|&r| g(r, 2).as_f64().unwrap()).sum();
    assert_eq!(excellent, 12.0);
    for &r in &pools {
        assert!(g(r, 2).as_f64().unwrap() <= g(r, 3).as_f64().unwrap(), "row {r}");
    }
    // 资金分配: per grade subtotals adding up to the pool, to the fen.
    let funding = book.worksheet_range("资金分配").unwrap();
    let f = |r: u32, c: u32| funding.get_value((r, c)).cloned().unwrap_or(calamine::Data::Empty);
    let total_row = (0..funding.height() as u32).find(|&r| f(r, 0) == "合计").unwrap();
    assert_eq!(format!("{:.2}", f(total_row, 4).as_f64().unwrap()), "612345.67");
    assert_eq!(f(3, 0).to_string(), "优秀");
    assert_eq!(f(3, 3).to_string(), "11,967.67");
    // 说明: every rule of annual.toml in the office's own words, with its source.
    let about = book.worksheet_range("说明").unwrap();
    let texts: Vec<String> = about.rows().flat_map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>()).collect();
    let rules = std::fs::read_to_string("examples/staff/annual.toml").unwrap();
    let mut names = 0;
    for block in rules.split("[[links]]").skip(1) {
        let name = block.lines().find_map(|l| l.strip_prefix("name = \"")).unwrap().trim_end_matches('"');
        assert!(texts.iter().any(|t| t == name), "rule {name} in 说明");
        names += 1;
    }
    assert!(names >= 5);
    // ... and every file the year was read from, with its SHA-256: the annual rules, the
    // scheme, the roster, the history, each quarter's data and the year-end assessment.
    let sha = |path: &str| -> String {
        use sha2::Digest as _;
        sha2::Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut files = vec![
        "examples/staff/annual.toml".to_owned(),
        "examples/staff/scheme.toml".to_owned(),
        "examples/staff/roster.csv".to_owned(),
        "examples/staff/history.csv".to_owned(),
    ];
    for dir in ["examples/staff/data", "examples/staff/year-end"] {
        for f in std::fs::read_dir(dir).unwrap() {
            files.push(f.unwrap().path().display().to_string());
        }
    }
    assert!(files.len() > 20);
    for f in &files {
        assert!(texts.contains(&sha(f)), "{f}'s SHA-256 in 说明");
    }
    // 季度走势: each person's quarters as the annual CSV lists them (period:grade;…), with
    // their scores and a sparkline each.
    let quarters = book.worksheet_range("季度走势").unwrap();
    let q = |r: u32, c: u32| quarters.get_value((r, c)).cloned().unwrap_or(calamine::Data::Empty);
    let csv = perf().args(["annual", "examples/staff", "--format", "csv"]).output().unwrap();
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let listed: std::collections::HashMap<String, String> =
        reader.records().map(|x| x.unwrap()).map(|x| (x[0].to_owned(), x[7].to_owned())).collect();
    for r in 1..quarters.height() as u32 {
        let id = q(r, 0).to_string();
        let grades: Vec<String> = (6..10).map(|c| q(r, c).to_string()).collect();
        let expected: Vec<String> =
            listed[&id].split(';').map(|p| p.split_once(':').unwrap().1.replace('-', "—")).collect();
        assert_eq!(grades, expected, "{id}");
    }
    assert!(texts.iter().any(|t| t == "2026年第一季度、2026年第二季度、2026年第三季度、2026年第四季度"));
}

#[test]
fn staged_funding_suspends_later_tranches_below_the_threshold() {
    // Units U01 85, U02 70, U03 50 in both quarters (the other 17 have none: 不定等次, no share).
    // Grades 良好, 一般, 较差 → weights 1.2, 1.0, 0.5 of 1,000,000 (total 2.7):
    // 444444.444…, 370370.370…, 185185.185… → rounded down 444444.44 + 370370.37 + 185185.18 =
    // 999999.99; the one fen left goes to the largest remainder (U03: 0.518 fen) → 185185.19.
    // Tranches [0.5, 0.5], threshold 良好: U01 is paid in full; U02 gets the first half
    // (185185.185 → 185185.19, the fen to the first tranche) and 185185.18 is suspended; U03
    // 92592.60 paid, 92592.59 suspended.
    let out = perf()
        .args([
            "annual",
            "examples/units",
            "--quarters",
            "tests/data/annual/q1.csv",
            "tests/data/annual/q2.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = keyed(&out.stdout);
    let get = |id: &str| {
        let p = who(&rows, id);
        (p["grade"].clone(), p["amount"].clone(), p["paid"].clone(), p["suspended"].clone())
    };
    let s = |a: &str, b: &str, c: &str, d: &str| (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned());
    assert_eq!(get("U01"), s("良好", "444444.44", "444444.44", "0.00"));
    assert_eq!(get("U02"), s("一般", "370370.37", "185185.19", "185185.18"));
    assert_eq!(get("U03"), s("较差", "185185.19", "92592.60", "92592.59"));
    assert_eq!(get("U04").0, "不定等次");
    let total: i64 = rows.iter().map(|r| money(&r["amount"])).sum();
    assert_eq!(total, 100_000_000);
}

fn tie_run(extra: &[&str]) -> (i32, Vec<HashMap<String, String>>, String) {
    let out = perf()
        .args([
            "annual",
            "examples/units",
            "--quarters",
            "tests/data/annual/tie_q1.csv",
            "tests/data/annual/tie_q2.csv",
        ])
        .args(["--format", "csv"])
        .args(extra)
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let h = r.headers().unwrap().clone();
    let rows = r
        .records()
        .map(|x| h.iter().zip(x.unwrap().iter()).map(|(a, b)| (a.to_owned(), b.to_owned())).collect())
        .collect();
    (out.status.code().unwrap(), rows, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn an_annual_tie_at_the_quota_line_is_flagged_unpaid_and_decided_by_file() {
    // 经济发展类 U01 95, U02 95, U03 85, U04 75, U05 70 (two quarters each; the other units have
    // none: 不定等次). 优秀 quota round(0.2 × 5) = 1 place; U01 and U02 tie for it and no
    // tie-break separates them → both 良好 for now, flagged tie_at_quota, exit 1.
    // Funding by grade: 1.2 × 3 + 1.0 × 2 = 5.6 → 214285.714… (U01–U03), 178571.428… (U04, U05);
    // to the fen 642857.13 + 357142.84 = 999999.97; the 3 fen by largest remainder: U04, U05
    // (0.857 fen), then U01 (0.429 fen, first in the roster) → 214285.72, 214285.71, 214285.71,
    // 178571.43, 178571.43 = 1,000,000.00. The tied places are not paid: all suspended.
    let (code, rows, stderr) = tie_run(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("U01、U02"), "{stderr}");
    for id in ["U01", "U02"] {
        let p = who(&rows, id);
        assert_eq!((p["grade"].as_str(), p["paid"].as_str()), ("良好", "0.00"), "{id}");
        assert!(p["flags"].contains("tie_at_quota"), "{p:?}");
    }
    assert_eq!(
        (who(&rows, "U01")["amount"].as_str(), who(&rows, "U01")["suspended"].as_str()),
        ("214285.72", "214285.72")
    );
    assert_eq!(who(&rows, "U03")["paid"], "214285.71");
    assert_eq!(who(&rows, "U04")["paid"], "89285.72");
    let total: i64 = rows.iter().map(|r| money(&r["amount"])).sum();
    assert_eq!(total, 100_000_000);

    // The office decides U01 优秀: the place is taken, U02 stays 良好, nothing tied, exit 0.
    let tmp = tempdir();
    let decide = tmp.path().join("裁定.csv");
    std::fs::write(&decide, "subject,grade,reason\nU01,优秀,党组会议 2027-01-05 决定\n").unwrap();
    let (code, rows, stderr) = tie_run(&["--decide", decide.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let u1 = who(&rows, "U01");
    assert_eq!(u1["grade"], "优秀");
    assert!(u1["flags"].contains("decided") && !u1["flags"].contains("tie_at_quota"), "{u1:?}");
    assert_eq!(who(&rows, "U02")["grade"], "良好");
    assert!(!who(&rows, "U02")["flags"].contains("tie_at_quota"));
}

#[test]
fn an_undecided_tie_leaves_the_history_file_alone() {
    let tmp = tempdir();
    let history = tmp.path().join("history.csv");
    std::fs::write(&history, "year,subject,grade,score,sanctions\n").unwrap();
    let (code, _, stderr) = tie_run(&["--history", history.to_str().unwrap(), "--update-history"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("历史文件没有更新"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&history).unwrap(), "year,subject,grade,score,sanctions\n");
}

#[test]
fn unknown_sanction_and_history_words_are_refused_with_their_place() {
    let tmp = tempdir();
    // P027's 警告 typed as 警告处分 (line 28 of the roster, column F).
    let roster = std::fs::read_to_string("examples/staff/roster.csv")
        .unwrap()
        .replace("P027,邵光辉,一般干部,U03,四级主任科员,警告", "P027,邵光辉,一般干部,U03,四级主任科员,警告处分");
    let roster_path = tmp.path().join("roster.csv");
    std::fs::write(&roster_path, &roster).unwrap();
    // A history row repeated (line 3 again as line 5 after the header) and a grade 优秀干部.
    let history =
        "year,subject,grade,score,sanctions\n2025,P001,称职,75.9,\n2025,P002,优秀干部,87.9,\n2025,P001,称职,75.9,\n";
    let history_path = tmp.path().join("history.csv");
    std::fs::write(&history_path, history).unwrap();
    let out = perf()
        .args(["annual", "examples/staff", "--format", "csv", "--roster"])
        .arg(&roster_path)
        .arg("--history")
        .arg(&history_path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing is assessed");
    assert!(
        stderr.contains("roster.csv!F28") && stderr.contains("unknown-sanction") && stderr.contains("警告处分"),
        "{stderr}"
    );
    assert!(stderr.contains("警告"), "a suggestion: {stderr}");
    assert!(stderr.contains("history.csv:4") || stderr.contains("history.csv!"), "{stderr}");
    assert!(
        stderr.contains("duplicate-history-row") && stderr.contains("unknown-grade") && stderr.contains("优秀干部"),
        "{stderr}"
    );

    // With the spelling declared as an alias, P027 is capped at 称职 as before.
    let scheme = std::fs::read_to_string("examples/staff/annual.toml").unwrap().replacen(
        "[annual]",
        "[annual]\nsanction_aliases = { \"警告处分\" = \"警告\" }",
        1,
    );
    let scheme_path = tmp.path().join("annual.toml");
    std::fs::write(&scheme_path, scheme).unwrap();
    let out = perf()
        .args(["annual", "examples/staff", "--format", "csv", "--roster"])
        .arg(&roster_path)
        .arg("--scheme")
        .arg(&scheme_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let p027 = text.lines().find(|l| l.starts_with("P027,")).unwrap();
    assert!(p027.contains(",称职,") && p027.contains("不得评为优秀"), "{p027}");
}

/// P032's flags and award when her 优秀 run ends this year (2026) after `years` earlier 优秀 years.
fn merits_after(years: i32) -> (String, String) {
    let tmp = tempdir();
    let mut history: String = std::fs::read_to_string("examples/staff/history.csv")
        .unwrap()
        .lines()
        .filter(|l| !l.contains(",P032,"))
        .map(|l| format!("{l}\n"))
        .collect();
    for y in 2026 - years..2026 {
        history.push_str(&format!("{y},P032,优秀,95,\n"));
    }
    history.push_str(&format!("{},P032,称职,85,\n", 2025 - years));
    let path = tmp.path().join("history.csv");
    std::fs::write(&path, history).unwrap();
    let (code, rows, stderr) = annual(&["--history", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let p = who(&rows, "P032");
    (p["flags"].clone(), p["award"].clone())
}

#[test]
fn merits_come_once_per_run_and_the_highest_alone() {
    // The shipped pack: 三等功 every 3 consecutive 优秀 years (1500), 二等功 every 5, 一等功 every
    // 7; in one year only the highest. P032 is 优秀 in 2026 (first of U03's 一般干部).
    let merits = |years| {
        let (flags, award) = merits_after(years);
        let has = |m: &str| flags.contains(m);
        (has("记三等功"), has("记二等功"), has("记一等功"), award)
    };
    // Run of 3 (2024, 2025, 2026): 三等功.
    assert_eq!(merits(2), (true, false, false, "1500.00".to_owned()));
    // Run of 4: nothing new (it was 3 last year; "consecutive = 3" paid again every year).
    assert_eq!(merits(3), (false, false, false, "0.00".to_owned()));
    // Run of 5: 二等功 only.
    assert_eq!(merits(4), (false, true, false, "0.00".to_owned()));
    // Run of 6: 三等功 again (the second run of three).
    assert_eq!(merits(5), (true, false, false, "1500.00".to_owned()));
    // Run of 7: 一等功 only.
    assert_eq!(merits(6), (false, false, true, "0.00".to_owned()));
    // Run of 8: none (all three fired in the same year before).
    assert_eq!(merits(7), (false, false, false, "0.00".to_owned()));
}

/// A copy of an example workspace in a temporary folder.
fn copy_example(name: &str, to: &std::path::Path) -> std::path::PathBuf {
    let from = std::path::Path::new("examples").join(name);
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&from).unwrap();
        let target = to.join(name).join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
    to.join(name)
}

fn annual_explain(ws: &std::path::Path, who: &str, extra: &[&str]) -> (String, String) {
    let out = perf().arg("annual").arg(ws).args(["--explain", who]).args(extra).output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_published_quarter_keeps_its_numbers_after_the_scheme_changes() {
    let tmp = tempdir();
    let ws = copy_example("units", tmp.path());
    let out = perf().args(["score"]).arg(&ws).args(["--period", "2026Q1", "--publish"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(ws.join("published/2026Q1.csv").is_file() && ws.join("published/2026Q1.toml").is_file());
    // Published once: a second --publish is refused, the publication unchanged.
    let before = std::fs::read(ws.join("published/2026Q1.csv")).unwrap();
    let again = perf().args(["score"]).arg(&ws).args(["--period", "2026Q1", "--publish"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read(ws.join("published/2026Q1.csv")).unwrap(), before);

    // U05 as published in 2026Q1: 92.85 (docs/scoring.md worked example).
    let (text, _) = annual_explain(&ws, "U05", &[]);
    assert!(text.contains("2026Q1 92.85"), "{text}");
    // The office changes the rater weights mid-year (leader 20 → 30, peer 30 → 20).
    let scheme = std::fs::read_to_string(ws.join("scheme.toml")).unwrap();
    let scheme = scheme.replacen("weight = 20\n", "weight = 30\n", 1).replacen(
        "weight = 30\ntrim = 1",
        "weight = 20\ntrim = 1",
        1,
    );
    std::fs::write(ws.join("scheme.toml"), scheme).unwrap();
    let (text, stderr) = annual_explain(&ws, "U05", &[]);
    assert!(text.contains("2026Q1 92.85"), "published numbers stand: {text}");
    assert!(
        stderr.contains("2026Q1 已公布") && stderr.contains("scheme.toml") && stderr.contains("--rescore"),
        "{stderr}"
    );
    // Asked to, it re-scores with today's scheme.
    let (text, _) = annual_explain(&ws, "U05", &["--rescore"]);
    assert!(!text.contains("2026Q1 92.85"), "{text}");
}

#[test]
fn someone_with_quarters_but_not_in_the_roster_is_named() {
    let tmp = tempdir();
    let roster: String = std::fs::read_to_string("examples/units/roster.csv")
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("U03,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = tmp.path().join("roster.csv");
    std::fs::write(&path, roster).unwrap();
    let (_, rows, stderr) = tie_run(&["--roster", path.to_str().unwrap()]);
    assert!(!rows.iter().any(|r| r["subject"] == "U03"));
    assert!(stderr.contains("not-in-roster") && stderr.contains("U03") && stderr.contains("2026Q1"), "{stderr}");
}

#[test]
fn a_workspace_names_the_scheme_of_each_period() {
    let tmp = tempdir();
    let ws = copy_example("units", tmp.path());
    let u05 = |period: &str| -> String {
        let out = perf().arg("score").arg(&ws).args(["--period", period, "--format", "csv"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines().find(|l| l.contains(",U05,")).unwrap().split(',').nth(4).unwrap().to_owned()
    };
    let before = u05("2026Q2");
    // From 2026Q2 the office weights the leaders more (leader 20 → 30, peer 30 → 20).
    let scheme = std::fs::read_to_string(ws.join("scheme.toml")).unwrap();
    let changed = scheme.replacen("weight = 20\n", "weight = 30\n", 1).replacen(
        "weight = 30\ntrim = 1",
        "weight = 20\ntrim = 1",
        1,
    );
    std::fs::write(ws.join("scheme-q2.toml"), changed).unwrap();
    let toml = std::fs::read_to_string(ws.join("perf.toml")).unwrap();
    std::fs::write(ws.join("perf.toml"), format!("{toml}\nperiod_schemes = {{ \"2026Q2\" = \"scheme-q2.toml\" }}\n"))
        .unwrap();
    let q1 = u05("2026Q1");
    let q2 = u05("2026Q2");
    assert_eq!(q1, "92.85", "2026Q1 keeps scheme.toml");
    assert_ne!(q2, before, "2026Q2 is scored with scheme-q2.toml");
    // The annual run scores each quarter with its own scheme.
    let (text, _) = annual_explain(&ws, "U05", &[]);
    assert!(text.contains("2026Q1 92.85") && text.contains(&format!("2026Q2 {q2}")), "{text}");
}

#[test]
fn an_annual_grade_correction_is_applied_and_shown() {
    let tmp = tempdir();
    let ws = copy_example("staff", tmp.path());
    // A review (复核) sets P001's 2026 grade to 基本称职, with its reason and approval; one file
    // holds both kinds (a quarterly line for another scheme is ignored by the annual one).
    std::fs::write(
        ws.join("corrections.csv"),
        "subject,period,indicator,value,grade,reason,approved_by,date\n\
         P001,2026,,,基本称职,复核认定年度工作失误,区委组织部,2027-01-10\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(ws.join("perf.toml")).unwrap();
    std::fs::write(ws.join("perf.toml"), format!("{toml}corrections = \"corrections.csv\"\n")).unwrap();
    let out = perf().arg("annual").arg(&ws).args(["--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = keyed(&out.stdout);
    let p = who(&rows, "P001");
    assert_eq!(p["grade"], "基本称职");
    assert!(p["flags"].contains("corrected"), "{p:?}");
    assert!(p["evidence"].contains("复核：基本称职；理由 复核认定年度工作失误，批准 区委组织部，2027-01-10"), "{p:?}");
}

#[test]
fn a_quarterly_data_error_is_the_years_error_too() {
    let tmp = tempdir();
    let ws = copy_example("units", tmp.path());
    let file = ws.join("data/数据指标_2026Q2.csv");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("2026Q2,U01,G2.1,data,,六点五\n");
    std::fs::write(&file, text).unwrap();
    let out = perf().arg("annual").arg(&ws).args(["--format", "csv"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("数据指标_2026Q2.csv") && stderr.contains("六点五"), "{stderr}");
}

#[test]
fn a_history_score_that_is_not_a_number_is_refused_with_its_line() {
    let tmp = tempdir();
    let history = tmp.path().join("history.csv");
    std::fs::write(&history, "year,subject,grade,score,sanctions\n2025,P001,称职,九十,\n").unwrap();
    let out = perf().args(["annual", "examples/staff", "--history"]).arg(&history).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("history.csv:2") && stderr.contains("九十"), "{stderr}");
}

#[test]
fn leaders_and_other_staff_have_their_own_places() {
    // DOMAIN §1.2: 不同职务层次分别组织考核，优秀名额不得相互挤占. The shipped pack pools by
    // ["unit", "category"]. In U01, one pool of all twelve would give round(0.2 × 12) = 2 places
    // to P006 (97.17) and P008 (96.52), leaving the leader P010 (95.45) 称职. Apart, the four
    // 领导干部 have round(0.2 × 4) = 1 place (P010) and the eight 一般干部 two (P006, P008);
    // P012 (94.06) is third among the 一般干部 and stays 称职.
    let (code, rows, stderr) = annual(&[]);
    assert_eq!(code, 0, "{stderr}");
    let grade = |id: &str| who(&rows, id)["grade"].clone();
    assert_eq!([grade("P010"), grade("P006"), grade("P008"), grade("P012")], ["优秀", "优秀", "优秀", "称职"]);
    // In U03 no leader reaches 90 (P025 89.35): the leaders' place is not lent to the staff,
    // whose second place stays empty too (P027 capped, P029 88.13).
    assert_eq!([grade("P025"), grade("P027"), grade("P029")], ["称职", "称职", "称职"]);
}

#[test]
fn a_subject_without_a_pool_key_is_refused() {
    // With the pools by unit × 类别, a person whose unit is blank would silently share a pool
    // with everyone else missing one; the run is refused at the roster cell instead.
    let tmp = tempdir();
    let roster = std::fs::read_to_string("examples/staff/roster.csv")
        .unwrap()
        .replace("P005,袁新民,一般干部,U01,", "P005,袁新民,一般干部,,");
    let roster_path = tmp.path().join("roster.csv");
    std::fs::write(&roster_path, roster).unwrap();
    let out = perf().args(["annual", "examples/staff", "--roster"]).arg(&roster_path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("roster-missing-pool-key") && stderr.contains("P005"), "{stderr}");
    assert!(stderr.contains("roster.csv:6:1"), "{stderr}");
    assert!(out.stdout.is_empty());
}
