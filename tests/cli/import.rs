//! `perf import`: the shapes clerks send, every bad cell located, every entry accounted for.
//! Expected rows are worked out from the fixtures' design (examples/gen-examples.rs and
//! tests/data/import/long/数据指标.csv), not from perf's output.

use crate::util::{csv_rows, data, perf, tempdir};
use predicates::prelude::*;
use std::path::Path;

const SCHEME: &str = "examples/units/scheme.toml";
const ROSTER: &str = "examples/units/roster.csv";

/// Run an import into `dir`; (exit code, ledger rows without the header, located issues as
/// (severity, code, sheet, row, column, value), stderr).
fn import(inputs: &[&str], dir: &Path, extra: &[&str]) -> (i32, Vec<Vec<String>>, Vec<Vec<String>>, String) {
    let ledger = dir.join("ledger.csv");
    let issues = dir.join("issues.csv");
    let out = perf()
        .arg("import")
        .args(inputs)
        .args(["--scheme", SCHEME, "--roster", ROSTER, "-o"])
        .arg(&ledger)
        .arg("--issues")
        .arg(&issues)
        .args(extra)
        .output()
        .unwrap();
    let located: Vec<Vec<String>> = csv_rows(&issues)
        .into_iter()
        .filter(|i| !i[3].is_empty() && i[1] != "ledger-digest")
        .map(|i| vec![i[0].clone(), i[1].clone(), i[4].clone(), i[5].clone(), i[6].clone(), i[7].clone()])
        .collect();
    (out.status.code().unwrap(), csv_rows(&ledger), located, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|s| (*s).to_owned()).collect()
}

/// The public-rating table (public_table() in examples/gen-examples.rs): period from the
/// title 2026年第一季度, rater from the name 服务对象评价, evaluator the file's name.
/// Row 4 区发展和改革局 C "９５．５"; row 5 区民政局 C 88, D "95%"; row 6 区教育局 C "—", D 90;
/// row 7 区财政局 C #N/A, E 92.5; row 8 区市场监督管理局 C 86, F "８８"; row 9 制表人 footer.
fn expected_public_rows() -> Vec<(Vec<String>, &'static str)> {
    let e = |s: &str, i: &str, v: &str, cell: &'static str| (row(&["2026Q1", s, i, "public", "服务对象评价", v]), cell);
    vec![
        e("U01", "G3.2", "95.5", "C4"),
        e("U07", "G3.2", "88", "C5"),
        e("U07", "S2", "95", "D5"),
        e("U06", "S2", "90", "D6"),
        e("U13", "A2", "92.5", "E7"),
        e("U16", "G3.2", "86", "C8"),
        e("U16", "L3", "88", "F8"),
    ]
}

#[test]
fn the_same_table_in_five_formats_gives_the_same_ledger() {
    for (dir_name, sheet, file) in [
        ("xlsx", "服务对象评价", "服务对象评价.xlsx"),
        ("csv-utf8", "", "服务对象评价.csv"),
        ("csv-gbk", "", "服务对象评价.csv"),
        ("xls", "服务对象评价", "服务对象评价.xls"),
        ("ods", "服务对象评价", "服务对象评价.ods"),
    ] {
        let tmp = tempdir();
        let input = format!("tests/data/import/same/{dir_name}");
        let (code, ledger, issues, stderr) = import(&[&input], tmp.path(), &[]);
        assert_eq!(code, 1, "{dir_name}: the #N/A cell is an error\n{stderr}");
        let source = |cell: &str| {
            let sheet = if sheet.is_empty() { String::new() } else { format!("#{sheet}") };
            format!("{input}/{file}{sheet}!{cell}")
        };
        let want: Vec<Vec<String>> = expected_public_rows()
            .into_iter()
            .map(|(mut r, cell)| {
                r.push(source(cell));
                r
            })
            .collect();
        assert_eq!(ledger, want, "{dir_name}");
        assert_eq!(
            issues,
            vec![
                row(&["warning", "missing-value", sheet, "6", "C", "—"]),
                row(&["error", "excel-error", sheet, "7", "C", "#N/A"]),
            ],
            "{dir_name}"
        );
        // Every entry accounted for: 9 value cells = 7 in the ledger + 2 in the issues.
        assert!(stderr.contains("共读取 9 项 = 入账 7 + 拒收 2。"), "{dir_name}: {stderr}");
    }
}

#[test]
fn long_rows_with_every_kind_of_problem() {
    let tmp = tempdir();
    let (code, ledger, issues, stderr) = import(&["tests/data/import/long"], tmp.path(), &[]);
    assert_eq!(code, 1);
    let src = |cell: &str| format!("tests/data/import/long/数据指标.csv!{cell}");
    let l = |p: &str, s: &str, i: &str, r: &str, e: &str, v: &str, cell: &str| row(&[p, s, i, r, e, v, &src(cell)]);
    assert_eq!(
        ledger,
        vec![
            l("2026Q1", "U01", "E1", "", "", "98.5", "F2"),
            l("2026Q1", "U02", "E1", "", "", "102", "F3"),
            l("2026Q1", "U03", "E2", "", "", "7", "F4"),
            l("2026Q1", "U01", "G1.2", "", "", "1", "F5"),
            l("2026Q1", "U02", "X3", "", "", "0", "F6"),
            l("2026Q1", "U06", "S3", "", "", "100", "F7"),
            l("2026Q1", "U04", "G1.1", "peer", "P1", "88", "F18"),
            l("2026Q1", "U04", "G3.2", "public", "R1", "91", "F20"),
        ]
    );
    let got: Vec<(String, String, String)> =
        issues.iter().map(|i| (i[1].clone(), i[3].clone(), i[4].clone())).collect();
    let want = [
        ("unknown-indicator", "8", "C"),
        ("unknown-subject", "9", "B"),
        ("not-leaf", "10", "C"),
        ("rater-not-allowed", "11", "D"),
        ("bad-period", "12", "A"),
        ("period-kind-mismatch", "13", "A"),
        ("missing-value", "14", "F"),
        ("duplicate-entry", "15", "F"),
        ("value-out-of-range", "16", "F"),
        ("not-a-number", "17", "F"),
        ("rater-not-used", "19", "F"),
        ("unknown-rater", "21", "D"),
        ("not-applicable", "22", "C"),
    ];
    let want: Vec<(String, String, String)> =
        want.iter().map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into())).collect();
    assert_eq!(got, want);
    // 21 data rows (the 合计 footer is not data) = 8 + 13.
    assert!(stderr.contains("共读取 21 项 = 入账 8 + 拒收 13。"), "{stderr}");
    assert!(stderr.contains("是否想写 `E1`"), "E9 suggests E1: {stderr}");
    assert!(stderr.contains("与 tests/data/import/long/数据指标.csv!F2 重复"), "names the first location");
}

#[test]
fn template_metadata_gives_period_rater_and_evaluator() {
    let tmp = tempdir();
    let (_, ledger, _, _) = import(&["tests/data/import/meta"], tmp.path(), &[]);
    let firsts: Vec<(String, String, String)> =
        ledger.iter().map(|r| (r[0].clone(), r[3].clone(), r[4].clone())).collect();
    assert_eq!(firsts, vec![("2026Q2".into(), "public".into(), "问卷汇总".into()); 3]);
}

#[test]
fn a_file_mixing_utf8_and_gbk_lines_reads_both_and_says_so() {
    let tmp = tempdir();
    let (code, ledger, issues, _) = import(&["tests/data/import/mixed"], tmp.path(), &[]);
    assert_eq!(code, 0);
    let subjects: Vec<&str> = ledger.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(subjects, ["U01", "U02"]);
    assert_eq!(issues, vec![row(&["warning", "mixed-encoding", "", "3", "", ""])]);
}

#[test]
fn files_that_are_not_tables() {
    let cases = [
        ("网页导出.xls", "html-disguised"),
        ("截断.xlsx", "unreadable-file"),
        ("空文件.csv", "no-table"),
        ("只有表头.csv", "no-data"),
    ];
    for (file, code) in cases {
        let tmp = tempdir();
        let input = format!("tests/data/import/bad/{file}");
        let (exit, ledger, issues, stderr) = import(&[&input], tmp.path(), &[]);
        assert_eq!(exit, 1, "{file}: {stderr}");
        assert!(ledger.is_empty(), "{file}");
        assert_eq!(issues.iter().map(|i| i[1].as_str()).collect::<Vec<_>>(), [code], "{file}: {issues:?}");
    }
    // A CSV saved with an .xlsx name is read as what it is.
    let tmp = tempdir();
    let (exit, ledger, _, _) = import(&["tests/data/import/bad/其实是文本.xlsx"], tmp.path(), &[]);
    assert_eq!(exit, 0);
    assert_eq!(ledger.len(), 1);
}

#[test]
fn strict_writes_nothing_on_errors() {
    let tmp = tempdir();
    let (code, _, _, _) = import(&["tests/data/import/long"], tmp.path(), &["--strict"]);
    assert_eq!(code, 1);
    // Only the ledger's lock file (which stays, empty) may be there.
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".ledger.csv.lock")
        .collect();
    assert!(left.is_empty(), "nothing written, no temp files left: {left:?}");
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let tmp = tempdir();
    let input = tmp.path().join("data.csv");
    std::fs::copy(data("import/long/数据指标.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    perf()
        .arg("import")
        .arg(&input)
        .args(["--scheme", SCHEME, "--roster", ROSTER, "-o"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("也是输入"));
    assert_eq!(std::fs::read(&input).unwrap(), before, "the input is untouched");
}

#[test]
fn append_conflicts_unless_replace() {
    let tmp = tempdir();
    let (code, first, _, _) = import(&["tests/data/import/same/csv-utf8"], tmp.path(), &[]);
    assert_eq!((code, first.len()), (1, 7));
    // The same file again: all seven entries conflict.
    let (code, ledger, issues, _) = import(&["tests/data/import/same/csv-utf8"], tmp.path(), &["--append"]);
    assert_eq!(code, 1);
    assert_eq!(ledger, first, "the ledger keeps its rows and gains none");
    assert_eq!(issues.iter().filter(|i| i[1] == "ledger-conflict").count(), 7);
    // With --replace the new values take the place of the old ones (same values here).
    let (_, ledger, issues, _) = import(&["tests/data/import/same/csv-utf8"], tmp.path(), &["--append", "--replace"]);
    assert_eq!(ledger, first);
    assert_eq!(issues.iter().filter(|i| i[1] == "ledger-conflict").count(), 0);
    // Different entries are appended after the existing ones.
    let (_, ledger, _, _) = import(&["tests/data/import/mixed"], tmp.path(), &["--append"]);
    assert_eq!(ledger.len(), 9);
    assert_eq!(ledger[..7], first[..]);
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let a = tempdir();
    let b = tempdir();
    import(&["tests/data/import/same", "tests/data/import/long"], a.path(), &[]);
    // Inputs named in another order are still read in sorted path order.
    import(&["tests/data/import/long", "tests/data/import/same"], b.path(), &[]);
    let bytes = |d: &Path| std::fs::read(d.join("ledger.csv")).unwrap();
    assert_eq!(bytes(a.path()), bytes(b.path()));
}

/// Entries per quarter, from examples/gen-examples.rs:
/// units — leader 20×2 + 5 econ E4 = 45; peer 120 rows × G1.1 + 30 E4 + 30 A2 = 180;
/// public 20×12×2 = 480; data 5×10 + 15×9 = 185; 890 × 4 quarters = 3560.
/// staff — leader 60×2 + 40 JI2 + 20×2 (JI4, JI5) = 200; peer 240 rows × 2 + 20×4 JI5 = 560;
/// public 60×5×2 = 600; data 60×5 = 300; 1660 × 4 = 6640; plus P061, who joined in July, in
/// Q3 and Q4: leader 3 + peer 4×2 + public 5×2 + data 5 = 26 × 2 = 52 → 6692.
#[test]
fn the_example_workspaces_import_cleanly() {
    for (ws, entries, complete) in [("examples/units", 3560, true), ("examples/staff", 6692, false)] {
        let tmp = tempdir();
        let out = perf()
            .args(["import", "-w", ws, "-o"])
            .arg(tmp.path().join("ledger.csv"))
            .arg("--issues")
            .arg(tmp.path().join("issues.csv"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains(&format!("共读取 {entries} 项 = 入账 {entries} + 拒收 0")), "{stderr}");
        // The staff example's new hire has no values before July: reported, not an error.
        assert_eq!(stderr.contains("数据齐全"), complete, "{stderr}");
    }
}

#[test]
fn every_fixture_accounts_for_every_entry() {
    let inputs = [
        "tests/data/import/same",
        "tests/data/import/long",
        "tests/data/import/meta",
        "tests/data/import/mixed",
        "tests/data/import/bad",
    ];
    for input in inputs {
        let tmp = tempdir();
        let (_, ledger, _, stderr) = import(&[input], tmp.path(), &[]);
        let line = stderr.lines().find(|l| l.starts_with("共读取")).unwrap_or_else(|| panic!("{input}: {stderr}"));
        let nums: Vec<usize> =
            line.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
        let [read, accepted, rejected] = nums[..] else { panic!("{line}") };
        assert_eq!(read, accepted + rejected, "{input}: {line}");
        assert_eq!(accepted, ledger.len(), "{input}: {line}");
    }
}

#[test]
fn sheet_and_header_row_options() {
    let tmp = tempdir();
    let (code, _, issues, _) = import(&["tests/data/import/same/xlsx"], tmp.path(), &["--sheet", "汇总"]);
    assert_eq!(code, 1);
    assert_eq!(issues[0][1], "sheet-not-found");
    let (_, ledger, _, _) =
        import(&["tests/data/import/same/xlsx"], tmp.path(), &["--sheet", "1", "--header-row", "2"]);
    assert_eq!(ledger.len(), 7, "sheet 1 by number, header from row 2 (two rows)");
    // A header row that is not the header finds no table.
    let (code, ledger, _, _) = import(&["tests/data/import/same/xlsx"], tmp.path(), &["--header-row", "5"]);
    assert_eq!((code, ledger.len()), (1, 0));
}
