//! `perf template`: generated entry workbooks, filled in a copy (every entry cell, with values
//! their validation accepts), import with no flags to exactly those values and zero issues.

use crate::util::{csv_rows, perf, tempdir};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;

/// A value for an entry cell, as the filler writes it: a number or a text.
#[derive(Debug, Clone)]
enum Fill {
    Number(String),
    Text(String),
}

/// A small deterministic generator (no dependency for a test).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    /// A number with one decimal in [lo, hi].
    fn between(&mut self, lo: f64, hi: f64) -> String {
        let steps = ((hi - lo) * 10.0).round() as u64;
        let v = lo + (self.next() % (steps + 1)) as f64 / 10.0;
        format!("{v:.1}").trim_end_matches(".0").to_owned()
    }
}

fn split_ref(r: &str) -> (String, u32) {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    (letters.clone(), r[letters.len()..].parse().unwrap())
}

/// Fill every validated cell of every sheet of `template` with values its validation accepts;
/// write the copy to `out`. Returns (sheet name, cell ref, value as the ledger will hold it:
/// 是 = 1, 否 = 0) for every filled cell.
fn fill(template: &Path, out: &Path, seed: u64) -> Vec<(String, String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(template).unwrap()).unwrap();
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
    let sheet_names: Vec<String> = regex::Regex::new(r#"<sheet name="([^"]+)""#)
        .unwrap()
        .captures_iter(&workbook)
        .map(|c| c[1].to_owned())
        .collect();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let mut rng = Lcg(seed);
    let mut filled = Vec::new();
    let validation = regex::Regex::new(
        r#"<dataValidation type="(\w+)"[^>]*?sqref="([A-Z]+\d+):([A-Z]+\d+)"[^>]*>(.*?)</dataValidation>"#,
    )
    .unwrap();
    let formula = regex::Regex::new(r"<formula(\d)>(.*?)</formula\d>").unwrap();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if let Some(n) = name.strip_prefix("xl/worksheets/sheet").and_then(|r| r.strip_suffix(".xml")) {
            let sheet = sheet_names[n.parse::<usize>().unwrap() - 1].clone();
            let mut xml = String::from_utf8(text).unwrap();
            let rules: Vec<(String, String, String, Vec<String>)> = validation
                .captures_iter(&xml)
                .map(|c| {
                    let f: Vec<String> = formula.captures_iter(&c[4]).map(|f| f[2].to_owned()).collect();
                    (c[1].to_owned(), c[2].to_owned(), c[3].to_owned(), f)
                })
                .collect();
            for (kind, from, to, f) in rules {
                let ((col, r0), (_, r1)) = (split_ref(&from), split_ref(&to));
                for row in r0..=r1 {
                    let value = match kind.as_str() {
                        "list" => Fill::Text(if rng.next().is_multiple_of(2) { "是" } else { "否" }.to_owned()),
                        "decimal" => {
                            let lo: f64 = f[0].parse().unwrap();
                            let hi: f64 = f[1].parse().unwrap();
                            let (lo, hi) = (lo.max(-50.0), hi.min(lo.max(0.0) + 150.0));
                            Fill::Number(rng.between(lo, hi))
                        }
                        // Number or one of the scheme's words: a number in the rating range.
                        "custom" => Fill::Number(rng.between(0.0, 100.0)),
                        other => panic!("validation {other}"),
                    };
                    let cell = format!("{col}{row}");
                    let blank = regex::Regex::new(&format!(r#"<c r="{cell}"( s="\d+")?/>"#)).unwrap();
                    let style = blank
                        .captures(&xml)
                        .unwrap_or_else(|| panic!("{name} {cell}"))
                        .get(1)
                        .map_or(String::new(), |m| m.as_str().to_owned());
                    let (new, held) = match &value {
                        Fill::Number(n) => (format!(r#"<c r="{cell}"{style}><v>{n}</v></c>"#), n.clone()),
                        Fill::Text(t) => (
                            format!(r#"<c r="{cell}"{style} t="inlineStr"><is><t>{t}</t></is></c>"#),
                            if t == "是" { "1" } else { "0" }.to_owned(),
                        ),
                    };
                    xml = blank.replace(&xml, new.as_str()).into_owned();
                    filled.push((sheet.clone(), cell, held));
                }
            }
            text = xml.into_bytes();
        }
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(&text).unwrap();
    }
    writer.finish().unwrap();
    filled
}

/// Generate templates for `example` into a fresh folder, fill every one, import them with no
/// flags; the ledger must hold exactly the filled values and there must be no issue at all.
fn round_trip(example: &str, extra: &[&str], expected_books: usize) {
    let tmp = tempdir();
    let templates = tmp.path().join("模板");
    perf()
        .args(["template", &format!("examples/{example}"), "--period", "2026Q1", "-o"])
        .arg(&templates)
        .args(extra)
        .assert()
        .code(0);
    let books: Vec<_> = std::fs::read_dir(&templates).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(books.len(), expected_books, "{books:?}");
    let filled_dir = tmp.path().join("收回");
    std::fs::create_dir(&filled_dir).unwrap();
    // Every filled cell as the ledger's source and value: `file#sheet!C5` → 87.5.
    let mut expected = BTreeSet::new();
    for (k, book) in books.iter().enumerate() {
        let file = book.file_name().unwrap().to_string_lossy().into_owned();
        let filled = fill(book, &filled_dir.join(&file), k as u64 + 7);
        assert!(!filled.is_empty(), "{book:?} has entry cells");
        expected.extend(filled.into_iter().map(|(sheet, cell, v)| (format!("{file}#{sheet}!{cell}"), v)));
    }
    let ledger = tmp.path().join("台账.csv");
    let issues = tmp.path().join("问题.csv");
    let out = perf()
        .args(["import", "-w", &format!("examples/{example}")])
        .arg(&filled_dir)
        .arg("-o")
        .arg(&ledger)
        .arg("--issues")
        .arg(&issues)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Every filled cell is one entry with exactly the value written (是/否 as 1/0), and
    // nothing else is.
    let got: BTreeSet<(String, String)> = csv_rows(&ledger)
        .into_iter()
        .map(|row| (row[6].rsplit('/').next().unwrap().to_owned(), row[5].clone()))
        .collect();
    assert_eq!(got.len(), expected.len(), "{stderr}");
    assert_eq!(got, expected);
    let issue_rows = csv_rows(&issues);
    let real: Vec<&Vec<String>> = issue_rows.iter().filter(|r| r[1] != "ledger-digest").collect();
    assert!(real.is_empty(), "issues: {real:?}\n{stderr}");
}

#[test]
fn filled_unit_templates_import_with_no_flags_and_no_issues() {
    round_trip("units", &[], 4);
}

#[test]
fn filled_staff_templates_import_with_no_flags_and_no_issues() {
    round_trip("staff", &[], 4);
}

#[test]
fn filled_templates_by_unit_import_too() {
    // 20 units score each other (互评 and 服务对象 split by unit), the leaders' and the data
    // workbooks once each.
    round_trip("units", &["--by", "unit"], 2 + 2 * 20);
}

/// Copy an example workspace into `to`.
fn copy_example(example: &str, to: &Path) {
    let from = Path::new("examples").join(example);
    for entry in walkdir::WalkDir::new(&from).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&from).unwrap();
        std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), to.join(rel)).unwrap();
    }
}

/// Import one file against a workspace; the ledger goes to a temporary folder (never into the
/// workspace: tests do not write into the source tree).
fn import_one(workspace: &Path, file: &Path) -> (Option<i32>, String, Vec<Vec<String>>) {
    let tmp = tempdir();
    let ledger = tmp.path().join("l.csv");
    let out = perf()
        .arg("import")
        .arg("-w")
        .arg(workspace)
        .arg(file)
        .arg("-o")
        .arg(&ledger)
        .arg("--issues")
        .arg(tmp.path().join("i.csv"))
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), csv_rows(&ledger))
}

/// A scheme edited after the templates went out: a column the rater no longer scores, or one
/// it now scores, is an error naming the indicator (nothing of that workbook is read); other
/// rule changes (points) are a warning and the values are read.
#[test]
fn a_template_from_an_older_scheme_is_named() {
    let tmp = tempdir();
    let ws = tmp.path().join("ws");
    copy_example("units", &ws);
    let templates = tmp.path().join("t");
    perf().arg("template").arg(&ws).args(["--period", "2026Q1", "-o"]).arg(&templates).assert().code(0);
    let leader = templates.join("区领导评价_2026Q1.xlsx");
    let filled = tmp.path().join("区领导评价_2026Q1.xlsx");
    let cells = fill(&leader, &filled, 3).len();
    let scheme = ws.join("scheme.toml");
    let original = std::fs::read_to_string(&scheme).unwrap();
    // The leaders no longer rate G1.1.
    std::fs::write(&scheme, original.replace("raters = { leader = 40, peer = 60 }", "raters = { peer = 100 }"))
        .unwrap();
    let (code, stderr, rows) = import_one(&ws, &filled);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("错误[template-indicator-removed]: 模板中有指标 G1.1"), "{stderr}");
    assert!(rows.is_empty(), "nothing of that workbook is read");
    // Points moved between G1.1 (10 → 12) and G1.2 (5 → 3): the same columns, so a warning,
    // and every value is read.
    let moved = original
        .replacen(
            "points = 10\nmethod = \"rating\"\nraters = { leader = 40, peer = 60 }",
            "points = 12\nmethod = \"rating\"\nraters = { leader = 40, peer = 60 }",
            1,
        )
        .replacen(
            "name = \"党风廉政建设责任书任务完成\"\npoints = 5",
            "name = \"党风廉政建设责任书任务完成\"\npoints = 3",
            1,
        );
    assert_ne!(moved, original);
    std::fs::write(&scheme, moved).unwrap();
    perf().arg("validate").arg(&ws).assert().code(0);
    let (code, stderr, rows) = import_one(&ws, &filled);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("警告[template-scheme-changed]"), "{stderr}");
    assert_eq!(rows.len(), cells, "every filled value of the leaders' template is read: {stderr}");
}

/// A value the template's validation refuses (out of the indicator's range) is refused by
/// the import too, at its cell.
#[test]
fn a_value_outside_the_validation_is_refused_at_its_cell() {
    let tmp = tempdir();
    let templates = tmp.path().join("t");
    perf()
        .args(["template", "examples/units", "--period", "2026Q1", "--rater", "leader", "-o"])
        .arg(&templates)
        .assert()
        .code(0);
    let book = templates.join("区领导评价_2026Q1.xlsx");
    let filled = tmp.path().join("区领导评价_2026Q1.xlsx");
    let cells = fill(&book, &filled, 5);
    // Put 120 (the range is 0–100) into the first filled cell.
    let (sheet, cell, _) = &cells[0];
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&filled).unwrap()).unwrap();
    let bad = tmp.path().join("bad").join("区领导评价_2026Q1.xlsx");
    std::fs::create_dir_all(bad.parent().unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&bad).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(text).unwrap();
            let re = regex::Regex::new(&format!(r#"(<c r="{cell}"[^>]*><v>)[^<]*(</v>)"#)).unwrap();
            text = re.replace(&xml, "${1}120${2}").into_owned().into_bytes();
        }
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(&text).unwrap();
    }
    writer.finish().unwrap();
    let (code, stderr, _) = import_one(Path::new("examples/units"), &bad);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(&format!("#{sheet}!{cell}: 错误[value-out-of-range]")), "{stderr}");
}

/// Templates are protected (headers and subjects locked, entry cells not), hidden `_perf`
/// sheet included; a file that exists is never replaced.
#[test]
fn templates_are_protected_and_never_overwrite() {
    let tmp = tempdir();
    let templates = tmp.path().join("t");
    perf().args(["template", "examples/staff", "--period", "2026Q1", "-o"]).arg(&templates).assert().code(0);
    for book in std::fs::read_dir(&templates).unwrap() {
        let path = book.unwrap().path();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut workbook = String::new();
        zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
        assert!(workbook.contains(r#"name="_perf" sheetId"#) && workbook.contains(r#"state="hidden""#), "{workbook}");
        let mut sheet = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
        assert!(sheet.contains("<sheetProtection"), "{path:?}");
        assert!(sheet.contains("<dataValidations"), "{path:?}");
    }
    let again =
        perf().args(["template", "examples/staff", "--period", "2026Q1", "-o"]).arg(&templates).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在：不会覆盖"));
}

/// A template filled and saved again by LibreOffice (as .xlsx, .ods and .xls) still imports
/// to exactly the filled values with no issues; the blank template renders to PDF.
#[test]
fn templates_survive_libreoffice() {
    let Some(soffice) = crate::util::soffice() else { return };
    let tmp = tempdir();
    let templates = tmp.path().join("t");
    perf().args(["template", "examples/staff", "--period", "2026Q1", "-o"]).arg(&templates).assert().code(0);
    let filled_dir = tmp.path().join("filled");
    std::fs::create_dir(&filled_dir).unwrap();
    let mut expected = BTreeSet::new();
    let mut files = Vec::new();
    for (k, book) in std::fs::read_dir(&templates).unwrap().enumerate() {
        let book = book.unwrap().path();
        let name = book.file_name().unwrap().to_string_lossy().into_owned();
        let stem = name.trim_end_matches(".xlsx").to_owned();
        let target = filled_dir.join(&name);
        for (sheet, cell, v) in fill(&book, &target, k as u64 + 11) {
            expected.insert((format!("{stem}#{sheet}!{cell}"), v));
        }
        files.push(target);
    }
    // Each run with a profile of its own: a second soffice on the same profile may hand its
    // work to the first one still closing and convert nothing.
    let soffice_run = |args: &[&str], out: &Path, inputs: &[std::path::PathBuf]| {
        let profile = tmp.path().join(format!("profile-{}", out.file_name().unwrap().to_string_lossy()));
        let out = std::process::Command::new(soffice)
            .args(["--headless", "--norestore"])
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(args)
            .arg("--outdir")
            .arg(out)
            .args(inputs)
            .env("HOME", &profile)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    for (format, filter) in [("xlsx", "xlsx:Calc MS Excel 2007 XML"), ("ods", "ods"), ("xls", "xls:MS Excel 97")] {
        let dir = tmp.path().join(format);
        soffice_run(&["--convert-to", filter], &dir, &files);
        let ledger = tmp.path().join(format!("{format}.csv"));
        let out = perf()
            .args(["import", "-w", "examples/staff"])
            .arg(&dir)
            .arg("-o")
            .arg(&ledger)
            .arg("--issues")
            .arg(tmp.path().join(format!("{format}-issues.csv")))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(stderr.contains("0 个错误，0 个警告"), "{format}: {stderr}");
        let got: BTreeSet<(String, String)> = csv_rows(&ledger)
            .into_iter()
            .map(|row| {
                let source = row[6].rsplit('/').next().unwrap().replacen(&format!(".{format}#"), "#", 1);
                (source, row[5].clone())
            })
            .collect();
        assert_eq!(got, expected, "{format}");
    }
    let pdf = tmp.path().join("pdf");
    soffice_run(&["--convert-to", "pdf"], &pdf, &[templates.join("主管领导评价_2026Q1.xlsx")]);
    assert!(std::fs::metadata(pdf.join("主管领导评价_2026Q1.pdf")).is_ok_and(|m| m.len() > 5_000));
}
