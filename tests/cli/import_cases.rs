//! `perf import` on the sheets clerks really receive: each layout and cell kind of
//! tests/data/import/cases (written by `cargo run --example gen-examples`, fn import_cases)
//! lands exactly as its sender meant it, or is refused with a located issue.
//!
//! Expected values are worked out here from the values the generator writes (0.973 shown as
//! 97.3% → 97.3; 8.1 under "(10分)" → 8.1 × 100 ÷ 10 = 81), never copied from perf's output.

use crate::util::{csv_rows, perf, tempdir};
use std::path::Path;

const SCHEME: &str = "examples/units/scheme.toml";
const ROSTER: &str = "examples/units/roster.csv";

/// One import: exit code, ledger rows as (period, subject, indicator, rater, value, cell),
/// issues as (severity, code, sheet, row, column, value) without the completeness ones, and
/// stderr.
struct Run {
    code: i32,
    rows: Vec<[String; 6]>,
    /// The evaluator of each ledger row.
    evaluators: Vec<String>,
    issues: Vec<[String; 6]>,
    stderr: String,
}

fn import(case: &str, extra: &[&str]) -> Run {
    let tmp = tempdir();
    let ledger = tmp.path().join("ledger.csv");
    let issues = tmp.path().join("issues.csv");
    let out = perf()
        .arg("import")
        .arg(format!("tests/data/import/cases/{case}"))
        .args(["--scheme", SCHEME, "--roster", ROSTER, "-o"])
        .arg(&ledger)
        .arg("--issues")
        .arg(&issues)
        .args(extra)
        .output()
        .unwrap();
    let evaluators = csv_rows(&ledger).into_iter().map(|r| r[4].clone()).collect();
    let rows = csv_rows(&ledger)
        .into_iter()
        .map(|r| {
            let cell = r[6].rsplit('!').next().unwrap_or_default().to_owned();
            [r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone(), r[5].clone(), cell]
        })
        .collect();
    let issues = csv_rows(&issues)
        .into_iter()
        .filter(|i| !i[3].is_empty() && i[1] != "ledger-digest")
        .map(|i| [i[0].clone(), i[1].clone(), i[4].clone(), i[5].clone(), i[6].clone(), i[7].clone()])
        .collect();
    Run {
        code: out.status.code().unwrap(),
        rows,
        evaluators,
        issues,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn r(fields: [&str; 6]) -> [String; 6] {
    fields.map(str::to_owned)
}

/// The summary line: every value read is accepted or rejected.
fn accounted(run: &Run, read: u64, accepted: u64, rejected: u64) {
    let line = format!("共读取 {read} 项 = 入账 {accepted} + 拒收 {rejected}。");
    assert!(run.stderr.contains(&line), "want `{line}` in\n{}", run.stderr);
}

#[test]
fn percent_formatted_cells_are_read_as_shown() {
    // The xlsx from the generator and the same workbook saved as .xls by LibreOffice.
    for case in ["percent_format", "percent_format_xls", "percent_format_ods"] {
        let run = import(case, &[]);
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        assert_eq!(
            run.rows,
            [
                r(["2026Q1", "U01", "G3.1", "", "97.3", "B2"]),
                r(["2026Q1", "U01", "E1", "", "102.4", "C2"]),
                r(["2026Q1", "U02", "G3.1", "", "98.5", "B3"]),
                r(["2026Q1", "U02", "E1", "", "99.5", "C3"]),
            ],
            "{case}"
        );
    }
}

#[test]
fn a_header_out_of_n_points_converts_the_column() {
    let run = import("points_header", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U01", "G1.1", "leader", "81", "B2"]),
            r(["2026Q1", "U01", "G2.2", "leader", "90", "C2"]),
            r(["2026Q1", "U02", "G1.1", "leader", "90", "B3"]),
            r(["2026Q1", "U02", "G2.2", "leader", "100", "C3"]),
        ]
    );
    assert_eq!(
        run.issues,
        [
            r(["info", "scale-converted", "评分", "1", "B", "党建工作责任制落实(10分)"]),
            r(["info", "scale-converted", "评分", "1", "C", "法治政府建设评价(5分)"]),
        ]
    );
}

#[test]
fn a_column_mixing_scales_refuses_the_small_value() {
    let run = import("mixed_scale", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.rows, [r(["2026Q1", "U01", "G1.1", "leader", "85", "B2"])]);
    assert_eq!(run.issues, [r(["error", "ambiguous-scale", "评分", "3", "B", "8"])]);
    accounted(&run, 2, 1, 1);
}

#[test]
fn fractions_under_a_percent_indicator_are_refused_naming_both_readings() {
    let run = import("fraction_percent", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.rows, [r(["2026Q1", "U03", "G3.1", "", "0", "B4"])]);
    assert_eq!(
        run.issues,
        [
            r(["error", "ambiguous-percent", "", "2", "B", "0.973"]),
            r(["error", "ambiguous-percent", "", "3", "B", "0.99"]),
        ]
    );
    assert!(run.stderr.contains("0.973 可能是 0.973%，也可能是 97.3%"), "{}", run.stderr);
}

#[test]
fn fractions_in_a_long_table_are_judged_by_the_indicator_in_the_sheet() {
    let run = import("long_fraction", &[]);
    assert_eq!(run.code, 1);
    // G2.1: 2.5 shows the sheet writes percentages, so 0.5 is 0.5 % (held back, written at
    // the end of the sheet). G3.1: nothing above 1, so 0.973 and 0.99 cannot be placed.
    assert_eq!(
        run.rows,
        [r(["2026Q1", "U02", "G2.1", "", "2.5", "D5"]), r(["2026Q1", "U01", "G2.1", "", "0.5", "D4"])]
    );
    assert_eq!(
        run.issues,
        [
            r(["error", "ambiguous-percent", "", "2", "D", "0.973"]),
            r(["error", "ambiguous-percent", "", "3", "D", "0.99"]),
        ]
    );
    accounted(&run, 4, 2, 2);
}

#[test]
fn headers_with_units_match_and_a_contradicting_unit_is_an_error() {
    let run = import("unit_suffix", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U01", "G2.1", "", "2.5", "B2"]),
            r(["2026Q1", "U01", "E2", "", "7", "C2"]),
            r(["2026Q1", "U01", "G3.3", "", "1", "D2"]),
            r(["2026Q1", "U01", "G3.1", "", "98.5", "E2"]),
            r(["2026Q1", "U02", "G2.1", "", "0", "B3"]),
            r(["2026Q1", "U02", "E2", "", "3", "C3"]),
            r(["2026Q1", "U02", "G3.1", "", "97", "E3"]),
        ]
    );
    assert_eq!(
        run.issues,
        [
            r(["warning", "missing-value", "", "3", "D", ""]),
            r(["error", "header-unit-mismatch", "", "1", "F", "固定资产投资完成率(万元)"]),
        ]
    );
    // 10 cells: 7 in the ledger; the blank D3 and the two 万元 cells rejected.
    accounted(&run, 10, 7, 3);
}

#[test]
fn every_cell_of_an_unread_column_is_counted() {
    let run = import("unknown_columns", &[]);
    assert_eq!(run.code, 1, "a column resembling an indicator is an error");
    assert_eq!(run.rows.len(), 2);
    assert_eq!(
        run.issues,
        [
            r(["error", "unknown-column", "", "1", "B", "行政复议纠错率"]),
            r(["warning", "unknown-column", "", "1", "C", "联系电话"]),
        ]
    );
    assert!(run.stderr.contains("该列 2 个值未导入"), "{}", run.stderr);
    // 2 accepted; B2, B3 and C2 rejected.
    accounted(&run, 5, 2, 3);
}

#[test]
fn a_title_quarter_contradicting_the_file_name_is_an_error_until_period_settles_it() {
    let run = import("period_conflict", &[]);
    assert_eq!(run.code, 1);
    assert!(run.rows.is_empty());
    let issues: Vec<&str> = run.issues.iter().map(|i| i[1].as_str()).collect();
    assert_eq!(issues, ["period-conflict"]);
    assert!(run.stderr.contains("表格标题写的考核期是 2026Q1，文件名是 2026Q2"), "{}", run.stderr);
    accounted(&run, 2, 0, 2);

    let settled = import("period_conflict", &["--period", "2026Q1"]);
    assert_eq!(settled.code, 0, "{}", settled.stderr);
    assert_eq!(
        settled.rows,
        [r(["2026Q1", "U01", "G3.2", "public", "95", "B3"]), r(["2026Q1", "U02", "G3.2", "public", "90", "B4"])]
    );
}

#[test]
fn the_rater_from_a_shortened_name_or_the_title() {
    let run = import("rater_names", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [r(["2026Q1", "U02", "G1.1", "leader", "88", "B2"])]);
    let run = import("rater_title", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [r(["2026Q1", "U02", "G1.1", "peer", "86", "B3"])]);
}

#[test]
fn a_year_in_the_file_name_and_quarters_in_the_sheet_names() {
    let run = import("quarter_sheets", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [r(["2026Q1", "U02", "G1.1", "leader", "88", "B2"]), r(["2026Q2", "U02", "G1.1", "leader", "91", "B2"])]
    );
}

#[test]
fn hidden_rows_and_columns_are_reported_not_read_unless_asked() {
    for case in ["hidden", "hidden_xls", "hidden_ods"] {
        let run = import(case, &[]);
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        assert_eq!(
            run.rows,
            [r(["2026Q1", "U01", "G3.2", "public", "95", "B2"]), r(["2026Q1", "U02", "G3.2", "public", "90", "B4"])],
            "{case}"
        );
        assert_eq!(
            run.issues,
            [
                r(["warning", "hidden-row", "评分", "3", "", ""]),
                r(["warning", "hidden-column", "评分", "", "C", "辅助列"])
            ],
            "{case}"
        );
    }
    // With --include-hidden the stale row 3 is read too (区商务局 twice in a public survey:
    // two respondents) and so is the helper column, which perf does not know.
    let all = import("hidden", &["--include-hidden"]);
    assert_eq!(all.rows[1], r(["2026Q1", "U02", "G3.2", "public", "60", "B3"]));
    assert_eq!(all.rows.len(), 3);
    assert_eq!(all.issues, [r(["warning", "unknown-column", "评分", "1", "C", "辅助列"])]);
}

#[test]
fn a_formula_without_a_saved_result_is_an_error() {
    let run = import("unsaved_formula", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.rows, [r(["2026Q1", "U02", "G3.2", "public", "90", "B3"])]);
    assert_eq!(run.issues, [r(["error", "unsaved-formula", "评分", "2", "B", ""])]);
    assert!(run.stderr.contains("公式没有保存的计算结果，请在 Excel/WPS 中打开并保存"), "{}", run.stderr);
}

#[test]
fn a_chart_sheet_is_skipped_and_the_data_sheet_read() {
    let run = import("chart_sheet", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows.len(), 2);
    assert_eq!(run.issues, [r(["warning", "sheet-skipped", "图表", "", "", ""])]);
}

#[test]
fn commas_after_the_decimal_point_are_not_numbers() {
    let run = import("decimal_commas", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.rows, [r(["2026Q1", "U03", "E1", "", "1234.5", "B4"])]);
    assert_eq!(
        run.issues,
        [r(["error", "not-a-number", "", "2", "B", "1.234,5"]), r(["error", "not-a-number", "", "3", "B", "9.5,5"])]
    );
}

#[test]
fn two_value_columns_in_a_long_table_are_an_error() {
    let run = import("two_values", &[]);
    assert_eq!(run.code, 1);
    assert!(run.rows.is_empty());
    assert_eq!(run.issues, [r(["error", "duplicate-column", "", "1", "E", ""])]);
}

#[test]
fn a_sheet_total_is_checked_against_its_own_row_not_imported() {
    let run = import("sheet_total", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows.len(), 4);
    assert!(run.rows.iter().all(|x| x[2] != "#total"));
    // 90 + 85.5 = 175.5 agrees; 80 + 70 = 150 is not 160.
    assert_eq!(run.issues, [r(["warning", "sheet-total-mismatch", "", "3", "D", "160"])]);
}

#[test]
fn row_numbers_and_export_headers_find_the_subject() {
    let run = import("row_numbers", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [r(["2026Q1", "U02", "G3.2", "public", "91", "C2"]), r(["2026Q1", "U01", "G3.2", "public", "92", "C3"])]
    );
    let run = import("export_names", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [r(["2026Q1", "U02", "G3.1", "", "97.5", "E2"])]);
}

#[test]
fn csv_files_as_they_come() {
    // The semicolon is chosen from all lines, not from the title line.
    let run = import("csv_title", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [r(["2026Q1", "U01", "G3.2", "public", "93", "B3"]), r(["2026Q1", "U02", "G3.2", "public", "88", "B4"])]
    );
    // Carriage returns alone end lines; the blank line keeps the numbering.
    let run = import("cr_only", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [r(["2026Q1", "U01", "G3.2", "public", "93", "B2"]), r(["2026Q1", "U02", "G3.2", "public", "88", "B4"])]
    );
    // A GBK file stays GBK where a line happens to be valid UTF-8: 谢雪梅 is read as
    // written (and, not being a unit, named in the error).
    let run = import("gbk_names", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.rows, [r(["2026Q1", "U02", "E1", "", "96", "D2"])]);
    assert_eq!(run.issues, [r(["error", "unknown-subject", "", "3", "B", "谢雪梅"])]);
}

#[test]
fn short_names_match_through_roster_aliases() {
    let run = import("aliases", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U01", "G3.2", "public", "91", "B2"]),
            r(["2026Q1", "U08", "G3.2", "public", "92", "B3"]),
            r(["2026Q1", "U09", "G3.2", "public", "93", "B4"]),
        ]
    );
    assert_eq!(run.issues, [r(["error", "unknown-subject", "", "5", "A", "发改委"])]);
    assert!(run.stderr.contains("名册中没有考核对象「发改委」"), "{}", run.stderr);
}

#[test]
fn words_the_scheme_declares_become_their_values() {
    // examples/units/scheme.toml: 满意 = 100, 基本满意 = 60, 不满意 = 0.
    let run = import("value_words", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U01", "G3.2", "public", "100", "B2"]),
            r(["2026Q1", "U02", "G3.2", "public", "60", "B3"]),
            r(["2026Q1", "U03", "G3.2", "public", "0", "B4"]),
        ]
    );
    assert_eq!(run.issues, [r(["error", "not-a-number", "", "5", "B", "很好"])]);
}

#[test]
fn value_words_are_checked_by_validate() {
    let tmp = tempdir();
    let text = std::fs::read_to_string(SCHEME).unwrap().replace("\"满意\" = 100", "\"满意\" = 120");
    let line = text.lines().position(|l| l.starts_with("\"满意\"")).unwrap() + 1;
    let path = tmp.path().join("scheme.toml");
    std::fs::write(&path, text).unwrap();
    let out = perf().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!(":{line}:");
    assert!(stderr.contains("value_words.满意") && stderr.contains(&want), "{stderr}");
}

#[test]
fn target_and_value_columns_under_each_indicator() {
    let run = import("targets", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows, [r(["2026Q1", "U01", "G3.1", "", "97.5", "C3"]), r(["2026Q1", "U01", "E1", "", "101", "E3"])]);
    assert!(run.issues.is_empty(), "{:?}", run.issues);
}

#[test]
fn codes_before_names_and_an_evaluating_unit_column() {
    let run = import("code_names", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U01", "G1.1", "peer", "88", "C2"]),
            r(["2026Q1", "U01", "E4", "peer", "90", "D2"]),
            r(["2026Q1", "U01", "G1.1", "peer", "86", "C3"]),
            r(["2026Q1", "U01", "E4", "peer", "85", "D3"]),
        ]
    );
    assert_eq!(run.evaluators, ["区商务局", "区商务局", "区财政局", "区财政局"]);
    // G2.2 (1.2) is the leaders' alone: its empty cells in a peer sheet are nothing at all.
    assert!(run.issues.is_empty(), "{:?}", run.issues);
}

#[test]
fn no_table_says_what_perf_saw_and_why() {
    let run = import("no_indicators", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.issues, [r(["error", "no-table", "", "1", "", ""])]);
    assert!(run.stderr.contains("「单位名称」像是考核对象列，但表头中没有方案里的指标名称或代码"), "{}", run.stderr);
    assert!(run.stderr.contains("看到的列：单位名称、联系人、电话"), "{}", run.stderr);
}

#[test]
fn a_transposed_table_is_read_cell_by_cell() {
    let run = import("transposed", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U01", "G3.1", "", "98", "B2"]),
            r(["2026Q1", "U02", "G3.1", "", "97", "C2"]),
            r(["2026Q1", "U01", "E1", "", "101", "B3"]),
            r(["2026Q1", "U02", "E1", "", "99", "C3"]),
        ]
    );
}

#[test]
fn one_row_per_response_counts_respondents() {
    let run = import("responses", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.rows.len(), 14);
    assert!(run.rows.iter().all(|x| x[2] == "G3.2" && x[3] == "public"));
    assert_eq!(run.evaluators[0], "服务对象评价_2026Q1#101");
    assert_eq!(run.evaluators[13], "服务对象评价_2026Q1#114");
    assert!(run.issues.is_empty(), "提交时间 is a survey's own column: {:?}", run.issues);
    // 区商务局: 12 respondents; trim 1 drops 100 and 60; the mean of the other ten is
    // (90+80+70+85+95+88+92+75+81+99) / 10 = 85.5.
    let out = perf()
        .args(["explain", "U02", "tests/data/import/cases/responses", "--scheme", SCHEME, "--roster", ROSTER])
        .args(["--period", "2026Q1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("12 个评价人") && text.contains("去掉最高、最低各 1 个后的均值 = 85.5"), "{text}");

    let run = import("long_responses", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [r(["2026Q1", "U02", "G3.2", "public", "90", "D2"]), r(["2026Q1", "U02", "G3.2", "public", "80", "D3"])]
    );
    assert_eq!(run.evaluators, ["服务对象评价_2026Q1#1", "服务对象评价_2026Q1#2"]);

    let run = import("response_rows", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.evaluators, ["服务对象评价_2026Q1#2", "服务对象评价_2026Q1#3", "服务对象评价_2026Q1#4"]);

    // A leader (one evaluator expected) naming a unit twice: a duplicate, not two leaders.
    let run = import("leader_twice", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.issues, [r(["error", "duplicate-entry", "", "3", "B", "80"])]);
}

#[test]
fn evaluator_columns_take_the_indicator_from_the_sheet_name() {
    let run = import("evaluator_columns", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U02", "G1.1", "peer", "88", "B2"]),
            r(["2026Q1", "U02", "G1.1", "peer", "90", "C2"]),
            r(["2026Q1", "U02", "G1.1", "peer", "92", "D2"]),
            r(["2026Q1", "U01", "G1.1", "peer", "85", "B3"]),
            r(["2026Q1", "U01", "G1.1", "peer", "87", "D3"]),
        ]
    );
    assert_eq!(run.evaluators, ["评委1", "评委2", "评委3", "评委1", "评委3"]);
    assert_eq!(run.issues, [r(["warning", "missing-value", "党建工作责任制落实", "3", "C", "—"])]);
}

#[test]
fn the_peer_matrix_skips_the_diagonal_and_refuses_a_self_rating() {
    let run = import("peer_matrix", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U02", "G1.1", "peer", "90", "C3"]),
            r(["2026Q1", "U03", "G1.1", "peer", "85", "D3"]),
            r(["2026Q1", "U01", "G1.1", "peer", "88", "B4"]),
            r(["2026Q1", "U03", "G1.1", "peer", "80", "D4"]),
            r(["2026Q1", "U01", "G1.1", "peer", "86", "B5"]),
            r(["2026Q1", "U02", "G1.1", "peer", "92", "C5"]),
        ]
    );
    assert_eq!(run.evaluators, ["U01", "U01", "U02", "U02", "U03", "U03"]);
    assert_eq!(run.issues, [r(["error", "self-rating", "", "5", "D", "95"])]);
}

#[test]
fn one_file_per_evaluating_unit_names_the_evaluator_and_skips_its_own_row() {
    let run = import("per_evaluator", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U02", "G1.1", "peer", "90", "B4"]),
            r(["2026Q1", "U12", "G1.1", "peer", "85", "B5"]),
            r(["2026Q1", "U12", "A2", "peer", "88", "C5"]),
        ]
    );
    assert_eq!(run.evaluators, ["区财政局", "区财政局", "区财政局"]);
    assert!(run.issues.is_empty(), "{:?}", run.issues);
}

/// `perf score` on the raw files gives exactly what it gives on their imported ledger.
#[test]
fn scoring_the_raw_files_equals_scoring_the_ledger() {
    for case in [
        "percent_format",
        "points_header",
        "unit_suffix",
        "hidden",
        "sheet_total",
        "row_numbers",
        "responses",
        "evaluator_columns",
        "peer_matrix",
        "per_evaluator",
        "transposed",
        "value_words",
        "aliases",
        "csv_title",
        "cr_only",
        "survey_questions",
    ] {
        let tmp = tempdir();
        let ledger = tmp.path().join("ledger.csv");
        let dir = format!("tests/data/import/cases/{case}");
        perf().args(["import", &dir, "--scheme", SCHEME, "--roster", ROSTER, "-o"]).arg(&ledger).output().unwrap();
        let score = |input: &Path| {
            let out = perf()
                .arg("score")
                .arg(input)
                .args(["--scheme", SCHEME, "--roster", ROSTER, "--period", "2026Q1", "--format", "csv"])
                .output()
                .unwrap();
            (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
        };
        let raw = score(Path::new(&dir));
        let from_ledger = score(&ledger);
        assert!(!raw.1.is_empty(), "{case}: no output");
        assert_eq!(raw, from_ledger, "{case}");
    }
}

#[test]
fn question_headers_and_a_subject_column_found_by_its_cells() {
    let run = import("survey_questions", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.rows,
        [
            r(["2026Q1", "U02", "G3.2", "public", "100", "D2"]),
            r(["2026Q1", "U02", "G3.2", "public", "60", "D3"]),
            r(["2026Q1", "U07", "G3.2", "public", "0", "D4"]),
        ]
    );
    // 区商务局 twice: two respondents, each the row it answered on.
    assert_eq!(run.evaluators[..2], ["服务对象评价_2026Q1#2", "服务对象评价_2026Q1#3"]);
}

/// A survey export with question headers, read through the workspace's [[mapping]] with no
/// flags: the subject and answer columns by their exact headers, 序号 as the respondent, the
/// mapping's words (and the scheme's 不满意 = 0) as values.
#[test]
fn a_mapped_export_imports_with_no_flags() {
    let tmp = tempdir();
    let ledger = tmp.path().join("ledger.csv");
    let issues = tmp.path().join("issues.csv");
    let out = perf()
        .args(["import", "-w", "tests/data/import/mapped", "-o"])
        .arg(&ledger)
        .arg("--issues")
        .arg(&issues)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "很一般 is no declared word: {stderr}");
    let text = std::fs::read_to_string(&ledger).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').take(6).collect()).collect();
    assert_eq!(
        rows,
        [
            ["2026Q1", "U02", "G3.2", "public", "问卷导出_第一季度#1", "100"],
            ["2026Q1", "U02", "G3.2", "public", "问卷导出_第一季度#2", "60"],
            ["2026Q1", "U07", "G3.2", "public", "问卷导出_第一季度#3", "0"],
        ]
    );
    let issues = std::fs::read_to_string(&issues).unwrap();
    assert!(issues.contains("not-a-number") && issues.contains("很一般"), "{issues}");
}

#[test]
fn a_mapping_naming_an_unknown_indicator_is_refused() {
    let tmp = tempdir();
    let ws = std::fs::read_to_string("tests/data/import/mapped/perf.toml")
        .unwrap()
        .replace("../../../../examples", &format!("{}/examples", env!("CARGO_MANIFEST_DIR")))
        .replace("= \"G3.2\"", "= \"G9.9\"");
    std::fs::write(tmp.path().join("perf.toml"), ws).unwrap();
    std::fs::create_dir(tmp.path().join("data")).unwrap();
    let out = perf().args(["import", "-w"]).arg(tmp.path()).arg("-o").arg(tmp.path().join("l.csv")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("第 1 个 [[mapping]] 有误：columns: G9.9"), "{stderr}");
}

#[test]
fn a_sheet_spread_too_far_is_refused_alone_and_the_others_are_read() {
    // 草稿 holds 备注 at A1 and x at IV65536: laid out as one grid, 16.7 million cells. An
    // .xls or .ods is laid out whole when opened, so the sheet is refused (an error: it might
    // have held scores) and the score sheet beside it is read; an .xlsx is read cell by cell.
    for case in ["stray_cell_xls", "stray_cell_ods"] {
        let run = import(case, &[]);
        assert_eq!(run.code, 1, "{case}: {}", run.stderr);
        assert_eq!(run.rows, [r(["2026Q1", "U02", "G1.1", "leader", "88", "B2"])], "{case}");
        assert!(run.issues.contains(&r(["error", "sheet-too-large", "草稿", "", "", ""])), "{case}: {:?}", run.issues);
        assert!(run.stderr.contains("65536 行 × 256 列") && run.stderr.contains("IV65536"), "{case}: {}", run.stderr);
    }
    let run = import("stray_cell", &[]);
    assert_eq!(run.rows, [r(["2026Q1", "U02", "G1.1", "leader", "88", "B2"])]);
    assert!(!run.issues.iter().any(|i| i[1] == "sheet-too-large"), "{:?}", run.issues);
}

/// A name column beside the ids (编号 | 名称) is checked row by row: a row whose name is
/// another unit's (a sheet sorted on one column only) is refused whole, at its row; a name
/// beside the right id (or an alias: 发改局) lands. Beside a column of names, another name
/// column is not checked (it stays an unread column, as before).
#[test]
fn a_name_beside_the_id_must_name_the_same_subject() {
    let tmp = tempdir();
    let file = tmp.path().join("区领导评价_2026Q1.csv");
    std::fs::write(
        &file,
        "编号,名称,党建工作责任制落实,法治政府建设评价\nU01,发改局,90,88\nU02,区教育局,85,80\nU06,区教育局,91,92\n",
    )
    .unwrap();
    let ledger = tmp.path().join("l.csv");
    let issues = tmp.path().join("i.csv");
    let out = perf()
        .arg("import")
        .arg(&file)
        .args(["--scheme", SCHEME, "--roster", ROSTER, "-o"])
        .arg(&ledger)
        .arg("--issues")
        .arg(&issues)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "!A3: 错误[subject-name-mismatch]: 编号 U02 在名册中是「区商务局」，这一行的名称却是「区教育局」"
        ),
        "{stderr}"
    );
    let subjects: Vec<String> = csv_rows(&ledger).into_iter().map(|r| r[1].clone()).collect();
    assert_eq!(subjects, ["U01", "U01", "U06", "U06"]);
    // Subjects by name: a second name-like column is not a check.
    let by_name = tmp.path().join("区领导评价_2026Q1b.csv");
    std::fs::write(&by_name, "单位名称,单位,党建工作责任制落实\n区商务局,区教育局,85\n").unwrap();
    let out = perf()
        .arg("import")
        .arg(&by_name)
        .args(["--scheme", SCHEME, "--roster", ROSTER, "-o"])
        .arg(tmp.path().join("l2.csv"))
        .arg("--issues")
        .arg(tmp.path().join("i2.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("subject-name-mismatch"), "{stderr}");
}
