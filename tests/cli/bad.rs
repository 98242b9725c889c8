//! The bad-input corpus (tests/bad/, plus generated large cases): every bad input gets its
//! exit code, its message code and its location — never a panic, never a silent success.
//! One table-driven test; each row: name, command (with {bad} = tests/bad and {tmp} = a
//! temp folder), expected exit code, the message code, and where it must be located.

use crate::util::{perf, tempdir};
use std::io::Write;
use std::path::Path;

const S: &str = "examples/units/scheme.toml";
const R: &str = "examples/units/roster.csv";

/// (name, command, exit, code, location)
type Case = (&'static str, &'static [&'static str], i32, &'static str, &'static str);

const IMPORT: &[&str] =
    &["import", "--scheme", S, "--roster", R, "--period", "2026Q1", "-o", "{tmp}/l.csv", "--issues", "{tmp}/i.csv"];

fn import(input: &'static str) -> Vec<&'static str> {
    let mut v = vec![IMPORT[0], input];
    v.extend_from_slice(&IMPORT[1..]);
    v
}

const CASES: &[Case] = &[
    // schemes
    ("scheme: parent cycle", &["validate", "{bad}/scheme_cycle.toml"], 1, "parent-cycle", "scheme_cycle.toml:28:10"),
    (
        "scheme: negative points",
        &["validate", "{bad}/scheme_negative_points.toml"],
        1,
        "out-of-range",
        "scheme_negative_points.toml:35:10",
    ),
    ("scheme: TOML syntax", &["validate", "{bad}/scheme_syntax.toml"], 1, "toml-syntax", "scheme_syntax.toml:4:13"),
    (
        "scheme: unknown key",
        &["validate", "{bad}/scheme_unknown_key.toml"],
        1,
        "unknown-key",
        "scheme_unknown_key.toml:35:1",
    ),
    ("scheme: empty file", &["validate", "{bad}/scheme_empty.toml"], 1, "missing-key", "scheme_empty.toml"),
    ("scheme: NUL bytes", &["validate", "{bad}/scheme_nul.toml"], 1, "toml-syntax", "scheme_nul.toml:2"),
    ("scheme: GBK bytes", &["validate", "{bad}/scheme_gbk.toml"], 1, "not-utf8", "scheme_gbk.toml"),
    ("scheme: 10,000-deep cycle", &["validate", "{tmp}/deep.toml"], 1, "parent-cycle", "deep.toml:14:10"),
    ("scheme: nested arrays 50,000 deep", &["validate", "{tmp}/nested.toml"], 1, "toml-syntax", "nested.toml:1"),
    ("scheme: missing file", &["validate", "{bad}/no_such.toml"], 2, "", "找不到文件"),
    ("workspace: unknown key", &["validate", "{bad}/ws_bad"], 2, "unknown-key", "perf.toml:2:1"),
    // rosters
    ("roster: no rows", &["validate", S, "--roster", "{bad}/roster_empty.csv"], 1, "roster-empty", "roster_empty.csv"),
    (
        "roster: no id column",
        &["validate", S, "--roster", "{bad}/roster_no_id.csv"],
        1,
        "roster-missing-column",
        "roster_no_id.csv:1:1",
    ),
    (
        "roster: duplicate id",
        &["validate", S, "--roster", "{bad}/roster_dup_id.csv"],
        1,
        "roster-duplicate-id",
        "roster_dup_id.csv:3:1",
    ),
    (
        "roster: unknown category",
        &["validate", S, "--roster", "{bad}/roster_unknown_category.csv"],
        1,
        "roster-unknown-category",
        "roster_unknown_category.csv:2:3",
    ),
    // files that are not what they say
    ("import: truncated xlsx", &[], 1, "unreadable-file", "truncated.xlsx"),
    // Found by fuzzing (xlsx_import): calamine panics on it; perf reports the file as damaged.
    ("import: an xlsx that makes the reader panic", &[], 1, "unreadable-file", "calamine_panic.xlsx"),
    // Found by fuzzing (xlsx_import): a 7 KB .xls whose FAT claims more sectors than the file
    // has made the reader ask for 20 GB; it is refused before reading.
    ("import: an xls claiming more than it holds", &[], 1, "unreadable-file", "cfb_oom.xls"),
    // Found by fuzzing (xlsx_import): a valid 7 KB .xls whose cells lie so far apart that the
    // reader's dense grid needs 23 GB; the memory-limited probe refuses it.
    ("import: an xls whose grid needs 23 GB", &[], 1, "sheet-too-large", "xls_dense_grid.xls"),
    ("import: zip expanding past the limit", &[], 1, "unreadable-file", "bomb.xlsx"),
    ("import: html saved as xls", &[], 1, "html-disguised", "html.xls"),
    ("import: NUL bytes", &[], 1, "unreadable-file", "nul.csv"),
    ("import: an xlsx that is really a CSV", &[], 0, "", "really_csv.xlsx"),
    ("import: a CSV that is really an xlsx", &[], 1, "excel-error", "really_xlsx.csv,服务对象评价,7,C"),
    ("import: GBK and UTF-8 lines mixed", &[], 0, "mixed-encoding", "mixed_gbk_utf8.csv,,3"),
    ("import: empty file", &[], 1, "no-table", "empty.csv"),
    ("import: only a header", &[], 1, "no-data", "header_only.csv"),
    ("import: 10,000 columns", &[], 0, "unknown-column", "服务对象评价_wide.csv,,1,B"),
    ("import: a 1 MB cell", &[], 1, "not-a-number", "big_cell.csv,,2,E"),
    ("import: merged cells over the data", &[], 0, "missing-value", "merged.xlsx,服务对象评价,5,C"),
    // values
    ("value: 1e308", &[], 1, "not-a-number", "value_1e308.csv,,2,E"),
    ("value: NaN", &[], 1, "not-a-number", "value_nan.csv,,2,E"),
    ("value: inf", &[], 1, "not-a-number", "value_inf.csv,,2,E"),
    ("value: -0 is zero", &[], 0, "", "value_minus_zero.csv"),
    ("value: twenty full-width digits", &[], 1, "value-out-of-range", "value_20_fullwidth_digits.csv,,2,E"),
    ("value: Excel error text", &[], 1, "excel-error", "excel_error.csv,,2,E"),
    ("row: unknown subject", &[], 1, "unknown-subject", "unknown_subject.csv,,2,B"),
    ("row: duplicate", &[], 1, "duplicate-entry", "duplicate_rows.csv,,3,E"),
    ("row: bad period", &[], 1, "bad-period", "bad_period.csv,,2,A"),
    ("row: indicator not for the category", &[], 1, "not-applicable", "not_applicable.csv,,2,C"),
    (
        "row: the same name under two ids",
        &[
            "import",
            "{bad}/same_name.csv",
            "--scheme",
            S,
            "--roster",
            "{bad}/roster_same_name.csv",
            "--period",
            "2026Q1",
            "-o",
            "{tmp}/l.csv",
            "--issues",
            "{tmp}/i.csv",
        ],
        1,
        "ambiguous-subject",
        "same_name.csv,,2,B",
    ),
    (
        "import: output is an input",
        &["import", "{bad}/duplicate_rows.csv", "--scheme", S, "--roster", R, "-o", "{bad}/duplicate_rows.csv"],
        2,
        "",
        "也是输入",
    ),
    // scoring
    (
        "score: a ledger missing a column",
        &["score", "{bad}/ledger_missing_column.csv", "--scheme", S, "--roster", R, "--period", "2026Q1"],
        1,
        "ledger-missing-column",
        "ledger_missing_column.csv!1:1",
    ),
    ("score: a period in no input", &["score", "examples/units", "--period", "2030Q1"], 2, "", "没有考核期 2030Q1"),
    (
        "score: decision for an unknown subject",
        &[
            "score",
            "tests/data/score/tie/ledger.csv",
            "--scheme",
            "tests/data/score/tie/scheme.toml",
            "--roster",
            "tests/data/score/tie/roster.csv",
            "--decide",
            "{bad}/decide_unknown.csv",
        ],
        1,
        "unknown-subject",
        "decide_unknown.csv:2",
    ),
    (
        "annual: a history year that is not a number",
        &["annual", "examples/staff", "--history", "{bad}/history_bad_year.csv"],
        2,
        "",
        "history_bad_year.csv:2",
    ),
];

/// Which file each import row reads (rows with an empty command use the import command).
fn import_input(name: &str) -> &'static str {
    match name {
        "import: truncated xlsx" => "{bad}/truncated.xlsx",
        "import: an xlsx that makes the reader panic" => "{bad}/calamine_panic.xlsx",
        "import: an xls claiming more than it holds" => "{bad}/cfb_oom.xls",
        "import: an xls whose grid needs 23 GB" => "{bad}/xls_dense_grid.xls",
        "import: zip expanding past the limit" => "{tmp}/bomb.xlsx",
        "import: html saved as xls" => "{bad}/html.xls",
        "import: NUL bytes" => "{bad}/nul.csv",
        "import: an xlsx that is really a CSV" => "{bad}/really_csv.xlsx",
        "import: a CSV that is really an xlsx" => "{bad}/really_xlsx.csv",
        "import: GBK and UTF-8 lines mixed" => "{bad}/mixed_gbk_utf8.csv",
        "import: empty file" => "{bad}/empty.csv",
        "import: only a header" => "{bad}/header_only.csv",
        "import: 10,000 columns" => "{tmp}/服务对象评价_wide.csv",
        "import: a 1 MB cell" => "{tmp}/big_cell.csv",
        "import: merged cells over the data" => "{tmp}/merged.xlsx",
        "value: 1e308" => "{bad}/value_1e308.csv",
        "value: NaN" => "{bad}/value_nan.csv",
        "value: inf" => "{bad}/value_inf.csv",
        "value: -0 is zero" => "{bad}/value_minus_zero.csv",
        "value: twenty full-width digits" => "{bad}/value_20_fullwidth_digits.csv",
        "value: Excel error text" => "{bad}/excel_error.csv",
        "row: unknown subject" => "{bad}/unknown_subject.csv",
        "row: duplicate" => "{bad}/duplicate_rows.csv",
        "row: bad period" => "{bad}/bad_period.csv",
        "row: indicator not for the category" => "{bad}/not_applicable.csv",
        other => panic!("no input for {other}"),
    }
}

/// The large and generated cases.
fn generate(tmp: &Path) {
    // A parent chain 10,000 deep closed into a cycle.
    let mut deep = String::from(
        "[scheme]\nname = \"深\"\nsubject = \"unit\"\nperiod = \"year\"\ntotal = 10\n\n[grades]\n[[grades.levels]]\nname = \"合格\"\nmin = 0\n",
    );
    for i in 0..10_000 {
        deep.push_str(&format!(
            "\n[[indicators]]\ncode = \"I{i}\"\nparent = \"I{}\"\nname = \"层\"\npoints = 10\n",
            (i + 9_999) % 10_000
        ));
    }
    std::fs::write(tmp.join("deep.toml"), deep).unwrap();
    std::fs::write(tmp.join("nested.toml"), format!("a = {}{}", "[".repeat(50_000), "]".repeat(50_000))).unwrap();
    // An xlsx whose one entry expands to 600 MiB of zeros (past the 512 MiB limit).
    let file = std::fs::File::create(tmp.join("bomb.xlsx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default().large_file(true).compression_level(Some(1)),
    )
    .unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..600 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    // A header of 10,000 columns, the last one an indicator.
    let mut wide = String::from("单位名称");
    for i in 0..10_000 {
        wide.push_str(&format!(",列{i}"));
    }
    wide.push_str(",服务对象满意度\n区财政局");
    wide.push_str(&",".repeat(10_000));
    wide.push_str(",90\n");
    // The rater comes from the file name (服务对象评价 → public).
    std::fs::write(tmp.join("服务对象评价_wide.csv"), wide).unwrap();
    // A 1 MB cell in a value column.
    std::fs::write(
        tmp.join("big_cell.csv"),
        format!("考核期,单位,指标,评价主体,得分\n2026Q1,U01,E1,,{}\n", "九".repeat(350_000)),
    )
    .unwrap();
    // Merged cells over the data: the value lives only in the top-left cell.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("服务对象评价").unwrap();
    ws.write_string(0, 0, "2026年第一季度服务对象评价").unwrap();
    ws.write_string(1, 0, "单位名称").unwrap();
    ws.write_string(1, 2, "服务对象满意度").unwrap();
    for (r, name) in ["区财政局", "区民政局", "区教育局"].iter().enumerate() {
        ws.write_string(2 + r as u32, 0, *name).unwrap();
    }
    ws.merge_range(2, 2, 4, 2, "", &rust_xlsxwriter::Format::new()).unwrap();
    ws.write_number(2, 2, 90).unwrap();
    wb.save(tmp.join("merged.xlsx")).unwrap();
}

#[test]
fn every_bad_input_is_caught_and_located() {
    let tmp = tempdir();
    generate(tmp.path());
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let fill = |a: &str| a.replace("{bad}", bad.to_str().unwrap()).replace("{tmp}", tmp.path().to_str().unwrap());
    let mut failures = Vec::new();
    assert!(CASES.len() >= 40, "the corpus has {} cases", CASES.len());
    for (name, cmd, exit, code, at) in CASES {
        let _ = std::fs::remove_file(tmp.path().join("i.csv"));
        let args: Vec<String> = if cmd.is_empty() {
            import(import_input(name)).iter().map(|a| fill(a)).collect()
        } else {
            cmd.iter().map(|a| fill(a)).collect()
        };
        let out = perf().args(&args).output().unwrap();
        let mut hay = String::from_utf8_lossy(&out.stdout).into_owned();
        hay.push_str(&String::from_utf8_lossy(&out.stderr));
        if let Ok(issues) = std::fs::read_to_string(tmp.path().join("i.csv")) {
            hay.push_str(&issues);
        }
        let got = out.status.code();
        let ok = got == Some(*exit)
            && hay.contains(code)
            && hay.contains(at)
            && !hay.contains("panicked")
            && !hay.contains("这是 perf 的缺陷");
        if !ok {
            let tail: String = hay.chars().take(1500).collect();
            failures.push(format!("{name}: exit {got:?} (want {exit}), want `{code}` at `{at}`\n{tail}"));
        }
        if *name == "import: a 1 MB cell" {
            assert!(hay.len() < 50_000, "the 1 MB cell is clipped in messages ({} bytes)", hay.len());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
