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
