//! `perf report`: the workbook read back with calamine — sheets, headers, values equal to
//! `perf score`'s CSV, charts; determinism; text never becomes a formula; never over an
//! input; and LibreOffice opens it (when installed).

use crate::util::{perf, tempdir};
use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use std::path::Path;

fn report(out: &Path, extra: &[&str]) -> std::process::Output {
    perf()
        .args(["report", "examples/units", "-o"])
        .arg(out)
        .args(["--timestamp", "2026-04-08T09:00:00+08:00"])
        .args(extra)
        .output()
        .unwrap()
}

fn score_csv() -> Vec<Vec<String>> {
    let out = perf().args(["score", "examples/units", "--format", "csv"]).output().unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect()
}

fn chart_count(path: &Path) -> usize {
    let file = std::fs::File::open(path).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    zip.file_names().filter_map(Result::ok).filter(|n| n.starts_with("xl/charts/chart") && n.ends_with(".xml")).count()
}

#[test]
fn sheets_headers_values_and_charts() {
    let tmp = tempdir();
    let path = tmp.path().join("报告.xlsx");
    let out = report(&path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "分类排名", "明细", "等次分布", "雷达图", "整改清单", "数据问题", "说明"]);
    let summary = book.worksheet_range("汇总").unwrap();
    let cell = |r: u32, c: u32| summary.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("2026年区直机关季度绩效考核 · 2026年第一季度 · 考核结果汇总".into()));
    let header: Vec<String> = (0..6).map(|c| cell(1, c).to_string()).collect();
    assert_eq!(header, ["排名", "编号", "名称", "类别", "得分", "等次"]);
    // Every row equals perf score's CSV: rank, id, name, category, score (same rounded number), grade.
    let csv = score_csv();
    assert_eq!(csv.len(), 20);
    for (k, row) in csv.iter().enumerate() {
        let r = u32::try_from(k).unwrap() + 2;
        assert_eq!(cell(r, 1).to_string(), row[1], "id at row {r}");
        assert_eq!(cell(r, 2).to_string(), row[2]);
        assert_eq!(format!("{:.2}", cell(r, 4).as_f64().unwrap()), row[4], "score of {}", row[1]);
        assert_eq!(cell(r, 5).to_string(), row[7], "grade of {}", row[1]);
        assert_eq!(cell(r, 0).as_f64().unwrap().to_string(), row[5], "rank of {}", row[1]);
    }
    // One column chart of grades, one radar chart per subject (20).
    assert_eq!(chart_count(&path), 21);
    let about = book.worksheet_range("说明").unwrap();
    let texts: Vec<String> = about.rows().flat_map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>()).collect();
    // Inputs are named relative to the workspace folder, wherever perf ran from.
    assert!(texts.iter().any(|t| t == "scheme.toml"), "inputs are listed: {texts:?}");
    assert!(texts.iter().any(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit())), "with SHA-256");
    // --subjects limits the radar charts.
    let path2 = tmp.path().join("两个.xlsx");
    report(&path2, &["--subjects", "U01,区教育局"]);
    assert_eq!(chart_count(&path2), 3);
}

#[test]
fn the_same_inputs_and_timestamp_give_the_same_bytes() {
    let tmp = tempdir();
    let (a, b) = (tmp.path().join("a.xlsx"), tmp.path().join("b.xlsx"));
    report(&a, &[]);
    report(&b, &[]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // SOURCE_DATE_EPOCH does the same without the flag.
    let c = tmp.path().join("c.xlsx");
    let d = tmp.path().join("d.xlsx");
    for p in [&c, &d] {
        perf().args(["report", "examples/units", "-o"]).arg(p).env("SOURCE_DATE_EPOCH", "1775610000").output().unwrap();
    }
    assert_eq!(std::fs::read(&c).unwrap(), std::fs::read(&d).unwrap());
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let tmp = tempdir();
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "编号,名称,类别\nS1,=HYPERLINK(\"http://x\"),甲类\nS2,+甲二,甲类\nS3,-乙一,乙类\nS4,@乙二,乙类\n",
    )
    .unwrap();
    let path = tmp.path().join("r.xlsx");
    perf()
        .args(["report", "tests/data/score/ledger.csv", "--scheme", "tests/data/score/scheme.toml", "--roster"])
        .arg(&roster)
        .args(["--period", "2026Q1", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let summary = book.worksheet_range("汇总").unwrap();
    // (an incomplete subject is listed in its own block further down)
    let names: Vec<Data> = summary.rows().skip(2).filter_map(|r| r.get(2).cloned()).collect();
    for n in ["=HYPERLINK(\"http://x\")", "+甲二", "-乙一", "@乙二"] {
        assert!(names.contains(&Data::String(n.into())), "{n} as text in {names:?}");
    }
    let formulas = book.worksheet_formula("汇总").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas at all");
    // In CSV output the same names get a leading apostrophe (OWASP CSV-injection advice).
    let out = perf()
        .args(["score", "tests/data/score/ledger.csv", "--scheme", "tests/data/score/scheme.toml", "--roster"])
        .arg(&roster)
        .args(["--period", "2026Q1", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    for n in ["\"'=HYPERLINK(\"\"http://x\"\")\"", "'+甲二", "'-乙一", "'@乙二"] {
        assert!(csv.contains(n), "{n} in {csv}");
    }
}

#[test]
fn never_over_an_input() {
    let tmp = tempdir();
    let roster = tmp.path().join("roster.xlsx");
    std::fs::copy("tests/data/import/same/xlsx/服务对象评价.xlsx", &roster).unwrap();
    let before = std::fs::read(&roster).unwrap();
    let out = perf()
        .args(["report", "tests/data/score/ledger.csv", "--scheme", "tests/data/score/scheme.toml"])
        .args(["--roster", "tests/data/score/roster.csv", "--period", "2026Q1", "-o", "tests/data/score/ledger.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("拒绝覆盖"));
    assert_eq!(std::fs::read(&roster).unwrap(), before);
}

#[test]
fn score_writes_the_report_too() {
    let tmp = tempdir();
    let path = tmp.path().join("r.xlsx");
    let out = perf().args(["score", "examples/units", "--report"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(path.exists());
}

#[test]
fn libreoffice_opens_it() {
    let Some(soffice) = crate::util::soffice() else { return };
    let tmp = tempdir();
    // The quarterly workbook (units), the trend and the annual workbook (staff), the public one.
    let quarterly = tmp.path().join("r.xlsx");
    report(&quarterly, &[]);
    let trend = tmp.path().join("t.xlsx");
    report(&trend, &["--period", "2026Q4"]);
    let annual = tmp.path().join("a.xlsx");
    perf().args(["annual", "examples/staff", "--report"]).arg(&annual).output().unwrap();
    let public = tmp.path().join("p.xlsx");
    report(&public, &["--public"]);
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(tmp.path())
        .args([&quarterly, &trend, &annual, &public])
        .env("HOME", tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Page counts within what a reader would print: every sheet fits its pages (the radar
    // sheet two subjects a page), nothing runs to hundreds of pages.
    let page = regex::bytes::Regex::new(r"/Type\s*/Page[^s]").unwrap();
    for (name, min, max) in [("r", 8, 60), ("t", 9, 70), ("a", 3, 40), ("p", 1, 3)] {
        let pdf = std::fs::read(tmp.path().join(format!("{name}.pdf"))).expect("a PDF was rendered");
        let pages = page.find_iter(&pdf).count();
        assert!((min..=max).contains(&pages), "{name}.pdf: {pages} pages");
    }
}

/// The text of one part of an .xlsx.
fn part(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// What a leader reads on paper: 说明 in words (methods and parameters as docs/scheme.md says
/// them, raters and grades by name, no program internals), 数据问题 headed in the report's
/// language, page headers and footers with page numbers, counts on whole-number axes and the
/// same 0–100 axis on every radar chart.
#[test]
fn the_report_reads_as_words_on_paper() {
    let tmp = tempdir();
    let path = tmp.path().join("报告.xlsx");
    let out = report(&path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let about: Vec<String> = book
        .worksheet_range("说明")
        .unwrap()
        .rows()
        .flat_map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>())
        .collect();
    let all = about.join("\n");
    for internal in ["Rating {", "Bands {", "Veto {", "scale:", "raters: [", "max_grade", "min_count", "trim"] {
        assert!(!all.contains(internal), "说明 shows {internal}:\n{all}");
    }
    // G1.1 is rated by the leaders (40) and peers (60) on the 0–100 scale.
    assert!(about.iter().any(|t| t == "百分制；区领导评价 40%，部门互评 60%"), "{all}");
    assert!(about.iter().any(|t| t == "评价打分") && about.iter().any(|t| t == "共性"), "{all}");
    assert!(about.iter().any(|t| t == "2026年第一季度"), "{all}");
    // The generation time in local time with its offset (not UTC's "Z").
    assert!(about.iter().any(|t| t.starts_with("2026-04-0") && (t.contains(" +") || t.contains(" -"))), "{all}");
    let issues = book.worksheet_range("数据问题").unwrap();
    let head: Vec<String> =
        (0..8).map(|c| issues.get_value((0, c)).map(ToString::to_string).unwrap_or_default()).collect();
    assert_eq!(head, ["严重程度", "代码", "说明", "文件", "工作表", "行", "列", "值"]);
    // Every sheet prints its title at the top and 第 N 页，共 M 页 at the bottom.
    for n in 1..=8 {
        let sheet = part(&path, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(sheet.contains("<oddHeader>&amp;C2026年区直机关季度绩效考核 · 2026年第一季度</oddHeader>"), "sheet{n}");
        assert!(sheet.contains("第 &amp;P 页，共 &amp;N 页"), "sheet{n}");
    }
    // The grades chart counts people in whole numbers; every radar chart runs 0–100.
    let charts: Vec<String> = (1..=21).map(|n| part(&path, &format!("xl/charts/chart{n}.xml"))).collect();
    let column = charts.iter().find(|c| c.contains("<c:barChart>")).unwrap();
    assert!(column.contains(r#"<c:numFmt formatCode="0""#) && column.contains("等次分布"), "{column}");
    let radars: Vec<&String> = charts.iter().filter(|c| c.contains("<c:radarChart>")).collect();
    assert_eq!(radars.len(), 20);
    let axes = regex::Regex::new(r#"<c:cat>.*?<c:ptCount val="(\d+)"/>"#).unwrap();
    for r in radars {
        assert!(r.contains(r#"<c:max val="100"/>"#) && r.contains(r#"<c:min val="0"/>"#), "{r}");
        // At least five axes: a category with four first-level dimensions draws their
        // second-level indicators instead.
        let n: usize = axes.captures(r).unwrap()[1].parse().unwrap();
        assert!(n >= 5, "{n} axes");
    }
}

/// Radar charts with a shape: the staff scheme has three first-level dimensions in the score
/// (a triangle), so its charts use their second-level indicators; each chart has the subject,
/// its category's average and its category's best, beside its own data block, two blocks a
/// printed page.
#[test]
fn radar_charts_have_enough_axes_and_references() {
    let tmp = tempdir();
    let path = tmp.path().join("staff.xlsx");
    let out = perf()
        .args(["report", "examples/staff", "-o"])
        .arg(&path)
        .args(["--timestamp", "2026-04-08T09:00:00+08:00", "--subjects", "P001,P002,P003"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("雷达图").unwrap();
    let column: Vec<String> =
        (0..40).map(|r| sheet.get_value((r, 0)).map(ToString::to_string).unwrap_or_default()).collect();
    let axes = column.iter().skip(3).take_while(|t| !t.is_empty()).count();
    assert!(axes >= 5, "second-level axes: {column:?}");
    assert!(column.iter().any(|t| t == "业务能力"), "{column:?}");
    let head: Vec<String> =
        (0..4).map(|c| sheet.get_value((2, c)).map(ToString::to_string).unwrap_or_default()).collect();
    assert_eq!(&head[2..], ["类别平均", "类别最高"]);
    let chart = part(&path, "xl/charts/chart2.xml");
    assert_eq!(chart.matches("<c:ser>").count(), 3, "{chart}");
    let radar_sheet = part(&path, "xl/worksheets/sheet5.xml");
    assert!(radar_sheet.contains("<rowBreaks"), "two blocks a page");
}

/// A leader's first question, who improved and who slipped: with several periods in the data
/// the report has a 趋势 sheet — each subject's score and rank in every period up to the
/// chosen one (equal to `perf score` of that period), the change since the previous period,
/// a sparkline, and per category the biggest risers and fallers.
#[test]
fn trends_across_the_periods_of_the_data() {
    let tmp = tempdir();
    let path = tmp.path().join("四季度.xlsx");
    let out = perf()
        .args(["report", "examples/units", "--period", "2026Q4", "-o"])
        .arg(&path)
        .args(["--timestamp", "2026-12-31T09:00:00+08:00"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names()[2], "趋势");
    let sheet = book.worksheet_range("趋势").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(1, 3).to_string(), "2026年第一季度 得分");
    assert_eq!(cell(1, 11).to_string(), "得分较上期");
    // Each period's score and rank equal perf score of that period, for every subject.
    let quarter = |q: &str| -> std::collections::HashMap<String, (String, String)> {
        let out = perf().args(["score", "examples/units", "--period", q, "--format", "csv"]).output().unwrap();
        let mut r = csv::Reader::from_reader(out.stdout.as_slice());
        r.records().map(|x| x.unwrap()).map(|x| (x[1].to_owned(), (x[4].to_owned(), x[5].to_owned()))).collect()
    };
    let quarters: Vec<_> = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"].iter().map(|q| quarter(q)).collect();
    for row in 2..22 {
        let id = cell(row, 0).to_string();
        for (j, q) in quarters.iter().enumerate() {
            let (score, rank) = &q[&id];
            assert_eq!(format!("{:.2}", cell(row, 3 + j as u32).as_f64().unwrap()), *score, "{id} Q{}", j + 1);
            assert_eq!(cell(row, 7 + j as u32).as_f64().unwrap().to_string(), *rank, "{id} Q{}", j + 1);
        }
        // The change is the exact difference, rounded: within a hundredth of the difference
        // of the rounded scores.
        let diff: f64 = quarters[3][&id].0.parse::<f64>().unwrap() - quarters[2][&id].0.parse::<f64>().unwrap();
        assert!((cell(row, 11).as_f64().unwrap() - diff).abs() <= 0.0100001, "{id}");
    }
    let sparklines = part(&path, "xl/worksheets/sheet3.xml");
    assert_eq!(sparklines.matches("<x14:sparkline>").count(), 20);
    // Risers and fallers per category (four categories).
    let text: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>()).collect();
    assert!(text.iter().any(|t| t == "各类别进步最大、退步最大的对象（较上期）"));
    assert!(text.iter().filter(|t| *t == "进步").count() >= 4 && text.iter().filter(|t| *t == "退步").count() >= 4);
    // Each riser line: an id, its name and a positive change (U11 区委办公室（+3.57）).
    let up = regex::Regex::new(r"^U\d\d \S+（\+\d+\.\d\d）$").unwrap();
    let risers: Vec<&String> = text.iter().filter(|t| t.starts_with('U') && t.contains("（+")).collect();
    assert!(!risers.is_empty() && risers.iter().all(|t| t.lines().all(|l| up.is_match(l))), "{risers:?}");
    // One period only: no 趋势 sheet.
    let one = tmp.path().join("一季度.xlsx");
    perf().args(["report", "examples/units", "-o"]).arg(&one).assert().code(0);
    let book: Xlsx<_> = open_workbook(&one).unwrap();
    assert!(!book.sheet_names().contains(&"趋势".to_owned()));
}

/// Every text inside an .xlsx (all its XML parts), for searching.
fn all_xml(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        let _ = entry.read_to_string(&mut text);
        all.push_str(&text);
    }
    all
}

/// The evaluators of a workspace's data, as `perf import` records them.
fn evaluators(workspace: &str, tmp: &Path) -> Vec<String> {
    let ledger = tmp.join(format!("{}.csv", workspace.replace('/', "_")));
    perf().args(["import", "-w", workspace, "-o"]).arg(&ledger).output().unwrap();
    let mut r = csv::Reader::from_path(&ledger).unwrap();
    let mut out: Vec<String> = r.records().map(|x| x.unwrap()[4].to_owned()).filter(|e| !e.is_empty()).collect();
    out.sort();
    out.dedup();
    out
}

/// `--public`: what an office may publish. Units only by default (a staff workspace is
/// refused and nothing is written); no evaluator appears anywhere in the workbook; the
/// workbook says it is the public version; columns from perf.toml's [public].
#[test]
fn the_public_version_has_no_evaluator_or_person_data() {
    let tmp = tempdir();
    let units = tmp.path().join("公开.xlsx");
    let out = perf().args(["report", "examples/units", "--public", "-o"]).arg(&units).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let xml = all_xml(&units);
    assert!(xml.contains("考核结果（公开版）") && xml.contains("不含评价人"));
    let roster = std::fs::read_to_string("examples/units/roster.csv").unwrap();
    for e in evaluators("examples/units", tmp.path()) {
        // Peer units are subjects too: their names rightly appear as subjects.
        if roster.contains(&e) {
            continue;
        }
        assert!(!xml.contains(&e), "evaluator {e} in the public workbook");
    }
    // One sheet: no 数据问题, 说明 (inputs' SHA-256) or charts.
    let book: Xlsx<_> = open_workbook(&units).unwrap();
    assert_eq!(book.sheet_names(), ["考核结果（公开版）"]);
    assert!(!xml.contains("SHA-256") && !xml.contains("<c:chart"));
    // Persons: refused unless perf.toml allows them.
    let staff = tmp.path().join("个人.xlsx");
    let out = perf().args(["report", "examples/staff", "--public", "-o"]).arg(&staff).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("persons = true"));
    assert!(!staff.exists());
    // Allowed, with the columns declared: names and grades only, and still no evaluator.
    let ws = tmp.path().join("staff");
    let from = Path::new("examples/staff");
    for entry in walkdir::WalkDir::new(from).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let to = ws.join(entry.path().strip_prefix(from).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), &to).unwrap();
    }
    let toml = std::fs::read_to_string(ws.join("perf.toml")).unwrap();
    std::fs::write(
        ws.join("perf.toml"),
        format!("{toml}\n[public]\npersons = true\ncolumns = [\"name\", \"grade\"]\n"),
    )
    .unwrap();
    let out = perf().arg("report").arg(&ws).args(["--public", "-o"]).arg(&staff).output().unwrap();
    // Exit 1: the staff example has one incomplete person (待补); the workbook is written.
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&staff).unwrap();
    let sheet = book.worksheet_range("考核结果（公开版）").unwrap();
    let head: Vec<String> =
        (0..3).map(|c| sheet.get_value((2, c)).map(ToString::to_string).unwrap_or_default()).collect();
    assert_eq!(head, ["名称", "等次", ""]);
    let xml = all_xml(&staff);
    for e in evaluators("examples/staff", tmp.path()) {
        if std::fs::read_to_string("examples/staff/roster.csv").unwrap().contains(&e) {
            continue;
        }
        assert!(!xml.contains(&e), "evaluator {e} in the public workbook");
    }
}
