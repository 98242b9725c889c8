//! Builds the example score files and the import test fixtures, deterministically.
//!
//! `cargo run --example gen-examples` rewrites:
//! * `examples/units/data/` and `examples/staff/data/`: 2026Q1–Q4 score files in the shapes
//!   clerks send (wide .xlsx per rater with a merged title row and a merged two-row header,
//!   with an 评价人 column where several evaluators share a sheet; GBK CSV; an .xls; long CSV
//!   for the data-driven indicators and the public survey);
//! * `tests/data/import/`: the fixtures of the import tests.
//!
//! Values come from a fixed-seed generator, and workbooks carry a fixed creation date, so
//! every run writes the same bytes. The .xls and .ods files are converted from .xlsx by
//! LibreOffice (`soffice`); without it they are left as they are, with a note. (An existing
//! .ods is kept: LibreOffice stamps it with the time.)

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};
use std::path::{Path, PathBuf};
use std::process::Command;

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// SplitMix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in [lo, hi] with one decimal.
    fn tenths(&mut self, lo: f64, hi: f64) -> f64 {
        let span = ((hi - lo) * 10.0).round() as u64 + 1;
        lo + (self.next() % span) as f64 / 10.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One cell of a generated table.
#[derive(Clone)]
enum C {
    Blank,
    N(f64),
    T(String),
    /// A formula whose cached result is #N/A.
    Na,
}

fn t(s: &str) -> C {
    C::T(s.to_owned())
}

/// A table as clerks lay it out: a title, a two-row header (groups over columns), rows and a
/// footer.
struct Table {
    title: String,
    /// (group, column headers); a group of "" means a single header merged over both rows.
    groups: Vec<(String, Vec<String>)>,
    rows: Vec<Vec<C>>,
    footer: String,
}

impl Table {
    fn width(&self) -> usize {
        self.groups.iter().map(|g| g.1.len()).sum()
    }

    fn to_xlsx(&self, ws: &mut Worksheet) -> Res {
        let w = u16::try_from(self.width())?;
        let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
        let head =
            Format::new().set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_text_wrap();
        ws.merge_range(0, 0, 0, w - 1, &self.title, &title)?;
        let mut col: u16 = 0;
        for (group, cols) in &self.groups {
            let n = u16::try_from(cols.len())?;
            if group.is_empty() {
                ws.merge_range(1, col, 2, col, &cols[0], &head)?;
            } else {
                if n > 1 {
                    ws.merge_range(1, col, 1, col + n - 1, group, &head)?;
                } else {
                    ws.write_string_with_format(1, col, group, &head)?;
                }
                for (k, c) in cols.iter().enumerate() {
                    ws.write_string_with_format(2, col + u16::try_from(k)?, c, &head)?;
                }
            }
            col += n;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r)? + 3;
            for (c, v) in row.iter().enumerate() {
                let c = u16::try_from(c)?;
                match v {
                    C::Blank => {}
                    C::N(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    C::T(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    C::Na => {
                        ws.write_formula(r, c, Formula::new("=NA()").set_result("#N/A"))?;
                    }
                }
            }
        }
        let last = u32::try_from(self.rows.len())? + 3;
        ws.merge_range(last, 0, last, w - 1, &self.footer, &Format::new())?;
        ws.set_column_width(1, 18)?;
        Ok(())
    }

    /// The same table as CSV text: merged cells become their first cell.
    fn to_csv(&self) -> String {
        let mut lines = Vec::new();
        let w = self.width();
        let pad = |mut v: Vec<String>| {
            v.resize(w, String::new());
            csv_line(&v)
        };
        lines.push(pad(vec![self.title.clone()]));
        let (mut upper, mut lower) = (Vec::new(), Vec::new());
        for (group, cols) in &self.groups {
            if group.is_empty() {
                upper.push(cols[0].clone());
                lower.push(String::new());
            } else {
                for (k, c) in cols.iter().enumerate() {
                    upper.push(if k == 0 { group.clone() } else { String::new() });
                    lower.push(c.clone());
                }
            }
        }
        lines.push(csv_line(&upper));
        lines.push(csv_line(&lower));
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    C::Blank => String::new(),
                    C::N(n) => fmt_num(*n),
                    C::T(s) => s.clone(),
                    C::Na => "#N/A".into(),
                })
                .collect();
            lines.push(pad(cells));
        }
        lines.push(pad(vec![self.footer.clone()]));
        lines.join("\r\n") + "\r\n"
    }
}

/// A generated value as a clerk would type it: at most two decimals, no trailing zeros.
fn fmt_num(n: f64) -> String {
    let s = format!("{n:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| if c.contains([',', '"', '\n']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() })
        .collect::<Vec<_>>()
        .join(",")
}

fn workbook() -> Res<Workbook> {
    let mut wb = Workbook::new();
    let props = DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?).set_author("perf");
    wb.set_properties(&props);
    Ok(wb)
}

fn save_xlsx(path: &Path, sheets: &[(&str, &Table)], meta: &[(&str, &str)]) -> Res {
    let mut wb = workbook()?;
    for (name, table) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name)?;
        table.to_xlsx(ws)?;
    }
    if !meta.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("_perf")?;
        for (i, (k, v)) in meta.iter().enumerate() {
            let r = u32::try_from(i)?;
            ws.write_string(r, 0, *k)?;
            ws.write_string(r, 1, *v)?;
        }
        ws.set_hidden(true);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    wb.save(path)?;
    Ok(())
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Res {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)?;
    Ok(())
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

/// Convert an .xlsx to `ext` (xls, ods) beside it with LibreOffice; false when soffice is
/// not installed.
fn convert(xlsx: &Path, ext: &str, out_dir: &Path) -> Res<bool> {
    // LibreOffice stamps .ods files with the time: keep an existing one so reruns are stable.
    let target = out_dir.join(xlsx.with_extension(ext).file_name().ok_or("name")?);
    if ext == "ods" && target.exists() {
        return Ok(true);
    }
    let ok = Command::new("soffice")
        .args(["--headless", "--convert-to", ext, "--outdir"])
        .arg(out_dir)
        .arg(xlsx)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("note: soffice not available; {} not converted to .{ext}", xlsx.display());
    }
    Ok(ok)
}

// ------------------------------------------------------------------------- test fixtures

/// The public-rating table of the import tests (see tests/cli/import.rs for the expected
/// ledger rows, worked out from this table).
fn public_table() -> Table {
    let g = |name: &str, cols: &[&str]| (name.to_owned(), cols.iter().map(|c| (*c).to_owned()).collect());
    Table {
        title: "2026年第一季度区直机关服务对象评价表".into(),
        groups: vec![
            g("", &["序号"]),
            g("", &["单位名称"]),
            g("共性指标", &["服务对象满意度(5分)"]),
            g("个性指标", &["群众满意度（20分）", "服务保障满意度(25分)", "执法对象满意度(25分)"]),
            g("", &["备注"]),
        ],
        rows: vec![
            vec![C::N(1.0), t("区发展和改革局"), t("９５．５")],
            vec![C::N(2.0), t("区民政局"), C::N(88.0), t("95%")],
            vec![C::N(3.0), t("区教育局"), t("—"), C::N(90.0)],
            vec![C::N(4.0), t("区财政局"), C::Na, C::Blank, C::N(92.5), C::Blank, t("数据待核实")],
            vec![C::N(5.0), t("区市场监督管理局"), C::N(86.0), C::Blank, C::Blank, t("８８")],
        ],
        footer: "制表人：张三　　审核人：李四　　填表日期：2026年4月5日".into(),
    }
}

fn fixtures(root: &Path) -> Res {
    let dir = root.join("tests/data/import");
    let table = public_table();
    let same = dir.join("same");
    let xlsx = same.join("xlsx/服务对象评价.xlsx");
    std::fs::create_dir_all(xlsx.parent().ok_or("path")?)?;
    save_xlsx(&xlsx, &[("服务对象评价", &table)], &[])?;
    write(&same.join("csv-utf8/服务对象评价.csv"), table.to_csv())?;
    write(&same.join("csv-gbk/服务对象评价.csv"), gbk(&table.to_csv()))?;
    for ext in ["xls", "ods"] {
        let out = same.join(ext);
        std::fs::create_dir_all(&out)?;
        convert(&xlsx, ext, &out)?;
    }

    // A workbook made from perf's template: period, rater and evaluator in a hidden sheet.
    let mut t2 = public_table();
    t2.title = "服务对象评价表".into();
    t2.rows.truncate(2);
    save_xlsx(
        &dir.join("meta/录入表.xlsx"),
        &[("Sheet1", &t2)],
        &[("period", "2026Q2"), ("rater", "public"), ("evaluator", "问卷汇总")],
    )?;

    // A mixed file: a UTF-8 export with a GBK line appended.
    let mut mixed = "考核期,单位,指标,评价主体,得分\r\n2026Q1,区发展和改革局,E1,,96\r\n".as_bytes().to_vec();
    mixed.extend(gbk("2026Q1,区商务局,E1,,97\r\n"));
    write(&dir.join("mixed/数据.csv"), mixed)?;

    // Not spreadsheets at all.
    write(&dir.join("bad/网页导出.xls"), "<html><body><table><tr><td>单位</td></tr></table></body></html>")?;
    write(&dir.join("bad/其实是文本.xlsx"), "考核期,单位,指标,得分\n2026Q1,U01,E1,95\n")?;
    let full = std::fs::read(&xlsx)?;
    write(&dir.join("bad/截断.xlsx"), &full[..full.len() / 2])?;
    write(&dir.join("bad/空文件.csv"), "")?;
    write(&dir.join("bad/只有表头.csv"), "考核期,单位,指标,评价主体,得分\n")?;
    Ok(())
}

// ------------------------------------------------------------------------- import cases

/// One cell of an import case sheet.
enum X {
    T(&'static str),
    N(f64),
    /// A number formatted as a percentage (`0.0%`).
    P(f64),
    /// A formula whose result was never computed (the writer's placeholder 0).
    F(&'static str),
}

/// A sheet of an import case: rows from A1, and which rows (0-based) and columns to hide.
struct CaseSheet {
    name: &'static str,
    rows: Vec<Vec<X>>,
    hidden_rows: Vec<u32>,
    hidden_cols: Vec<u16>,
}

fn sheet(name: &'static str, rows: Vec<Vec<X>>) -> CaseSheet {
    CaseSheet { name, rows, hidden_rows: Vec::new(), hidden_cols: Vec::new() }
}

fn case_xlsx(path: &Path, sheets: &[CaseSheet], chart: bool) -> Res {
    let mut wb = workbook()?;
    let pct = Format::new().set_num_format("0.0%");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name)?;
        for (r, row) in s.rows.iter().enumerate() {
            let r = u32::try_from(r)?;
            for (c, v) in row.iter().enumerate() {
                let c = u16::try_from(c)?;
                match v {
                    X::T(t) => {
                        ws.write_string(r, c, *t)?;
                    }
                    X::N(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    X::P(n) => {
                        ws.write_number_with_format(r, c, *n, &pct)?;
                    }
                    X::F(f) => {
                        ws.write_formula(r, c, *f)?;
                    }
                }
            }
        }
        for &r in &s.hidden_rows {
            ws.set_row_hidden(r)?;
        }
        for &c in &s.hidden_cols {
            ws.set_column_hidden(c)?;
        }
    }
    if chart {
        let mut ch = rust_xlsxwriter::Chart::new(rust_xlsxwriter::ChartType::Column);
        ch.add_series().set_values((sheets[0].name, 2, 1, 3, 1));
        let cs = wb.add_chartsheet();
        cs.set_name("图表")?;
        cs.insert_chart(0, 0, &ch)?;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    wb.save(path)?;
    Ok(())
}

/// The import cases of tests/cli/import_cases.rs: one folder per layout or cell kind, each
/// with the expected ledger rows worked out in that test from the values written here.
fn import_cases(root: &Path) -> Res {
    use X::{F, N, P, T};
    let dir = root.join("tests/data/import/cases");
    // Percent-formatted cells: 0.973 shown as 97.3% is 97.3 for a % indicator.
    let percent = dir.join("percent_format/数据指标_2026Q1.xlsx");
    case_xlsx(
        &percent,
        &[sheet(
            "数据",
            vec![
                vec![T("单位名称"), T("12345热线按时办结率"), T("固定资产投资完成率")],
                vec![T("区发展和改革局"), P(0.973), P(1.024)],
                vec![T("区商务局"), P(0.985), N(99.5)],
            ],
        )],
        false,
    )?;
    // A leader who scored out of the header's (10分): 8.1 of 10 is 81.
    case_xlsx(
        &dir.join("points_header/区领导评价_2026Q1.xlsx"),
        &[sheet(
            "评分",
            vec![
                vec![T("单位名称"), T("党建工作责任制落实(10分)"), T("法治政府建设评价（5分）")],
                vec![T("区发展和改革局"), N(8.1), N(4.5)],
                vec![T("区商务局"), N(9.0), N(5.0)],
            ],
        )],
        false,
    )?;
    // One column mixing the two scales: 8 under (10分) beside 85.
    case_xlsx(
        &dir.join("mixed_scale/区领导评价_2026Q1.xlsx"),
        &[sheet(
            "评分",
            vec![
                vec![T("单位名称"), T("党建工作责任制落实(10分)")],
                vec![T("区发展和改革局"), N(85.0)],
                vec![T("区商务局"), N(8.0)],
            ],
        )],
        false,
    )?;
    // Fractions typed under a % indicator: 0.973 or 97.3 %? Refused.
    write(
        &dir.join("fraction_percent/数据指标_2026Q1.csv"),
        "单位名称,12345热线按时办结率\r\n区发展和改革局,0.973\r\n区商务局,0.99\r\n区投资促进局,0\r\n",
    )?;
    // Headers with units; one unit that contradicts the scheme.
    write(
        &dir.join("unit_suffix/数据指标_2026Q1.csv"),
        "单位名称,行政复议诉讼纠错率(%),招商引资项目落地数(个),作风问题督查通报（次）,12345热线按时办结率%,固定资产投资完成率(万元)\r\n\
         区发展和改革局,2.5,7,1,98.5,1200\r\n\
         区商务局,0,3,,97,800\r\n",
    )?;
    // Columns perf does not read: one that looks like an indicator, one that does not.
    write(
        &dir.join("unknown_columns/数据指标_2026Q1.csv"),
        "单位名称,行政复议纠错率,联系电话,12345热线按时办结率\r\n\
         区发展和改革局,2.5,12345678,98\r\n\
         区商务局,1,,97\r\n",
    )?;
    // Periods: the file name says 2026Q2, the title 一季度 (no year).
    write(
        &dir.join("period_conflict/服务对象评价_2026Q2.csv"),
        "一季度服务对象满意度测评（补报）,\r\n单位名称,服务对象满意度\r\n区发展和改革局,95\r\n区商务局,90\r\n",
    )?;
    // Hidden rows and columns hold stale values.
    let mut hidden = sheet(
        "评分",
        vec![
            vec![T("单位名称"), T("服务对象满意度"), T("辅助列")],
            vec![T("区发展和改革局"), N(95.0), N(1.0)],
            vec![T("区商务局"), N(60.0), N(2.0)],
            vec![T("区商务局"), N(90.0), N(3.0)],
        ],
    );
    hidden.hidden_rows = vec![2];
    hidden.hidden_cols = vec![2];
    let hidden_xlsx = dir.join("hidden/服务对象评价_2026Q1.xlsx");
    case_xlsx(&hidden_xlsx, &[hidden], false)?;
    // The same two workbooks as old .xls (BIFF8, by LibreOffice): formats and hidden rows and
    // columns are read from the workbook stream.
    for (xlsx, to, ext) in [
        (&percent, "percent_format_xls", "xls"),
        (&hidden_xlsx, "hidden_xls", "xls"),
        (&percent, "percent_format_ods", "ods"),
        (&hidden_xlsx, "hidden_ods", "ods"),
    ] {
        let out = dir.join(to);
        std::fs::create_dir_all(&out)?;
        convert(xlsx, ext, &out)?;
    }
    // A score sheet beside a sheet with one stray value at the last cell of an old Excel sheet
    // (IV65536): laid out as one grid that sheet needs 16.7 million cells. As .xls and .ods
    // it is refused alone (calamine would lay it out); the score sheet is read.
    let stray = dir.join("stray_cell/区领导评价_2026Q1.xlsx");
    {
        let mut wb = workbook()?;
        let ws = wb.add_worksheet();
        ws.set_name("评分")?;
        ws.write_row(0, 0, ["单位名称", "党建工作责任制落实"])?;
        ws.write_string(1, 0, "区商务局")?;
        ws.write_number(1, 1, 88.0)?;
        let draft = wb.add_worksheet();
        draft.set_name("草稿")?;
        draft.write_string(0, 0, "备注")?;
        draft.write_string(65535, 255, "x")?;
        std::fs::create_dir_all(dir.join("stray_cell"))?;
        wb.save(&stray)?;
    }
    for (to, ext) in [("stray_cell_xls", "xls"), ("stray_cell_ods", "ods")] {
        let out = dir.join(to);
        std::fs::create_dir_all(&out)?;
        convert(&stray, ext, &out)?;
    }
    // One workbook for the year, one sheet per quarter: the year from the file name, the
    // quarter from each sheet's name.
    let quarter = |v: f64| vec![vec![T("单位名称"), T("党建工作责任制落实")], vec![T("区商务局"), N(v)]];
    case_xlsx(
        &dir.join("quarter_sheets/2026年区领导评价.xlsx"),
        &[sheet("一季度", quarter(88.0)), sheet("Q2", quarter(91.0))],
        false,
    )?;
    // The rater from a shortened name (领导评分 for 区领导评价) or from the title.
    write(&dir.join("rater_names/领导评分_2026Q1.csv"), "单位名称,党建工作责任制落实\r\n区商务局,88\r\n")?;
    write(
        &dir.join("rater_title/评分表_2026Q1.csv"),
        "2026年第一季度区直单位互评表,\r\n单位名称,党建工作责任制落实\r\n区商务局,86\r\n",
    )?;
    // Formulas written by a program, never calculated.
    case_xlsx(
        &dir.join("unsaved_formula/服务对象评价_2026Q1.xlsx"),
        &[sheet(
            "评分",
            vec![
                vec![T("单位名称"), T("服务对象满意度")],
                vec![T("区发展和改革局"), F("=90+5")],
                vec![T("区商务局"), N(90.0)],
            ],
        )],
        false,
    )?;
    // A chart sheet beside the data: skipped, the data read.
    case_xlsx(
        &dir.join("chart_sheet/服务对象评价_2026Q1.xlsx"),
        &[sheet(
            "评分",
            vec![
                vec![T("单位名称"), T("服务对象满意度")],
                vec![T("区发展和改革局"), N(95.0)],
                vec![T("区商务局"), N(90.0)],
            ],
        )],
        true,
    )?;
    // Commas after the decimal point are not numbers.
    write(
        &dir.join("decimal_commas/数据指标_2026Q1.csv"),
        "单位名称\t固定资产投资完成率\r\n区发展和改革局\t\"1.234,5\"\r\n区商务局\t\"9.5,5\"\r\n区投资促进局\t\"1,234.5\"\r\n",
    )?;
    // A long table with two value columns.
    write(&dir.join("two_values/数据.csv"), "考核期,单位名称,指标,得分,分值\r\n2026Q1,区发展和改革局,E1,98,97\r\n")?;
    // The sheet's own 合计 against the row: right for one unit, wrong for the other.
    write(
        &dir.join("sheet_total/区领导评价_2026Q1.csv"),
        "单位名称,党建工作责任制落实,法治政府建设评价,合计\r\n区发展和改革局,90,85.5,175.5\r\n区商务局,80,70,160\r\n",
    )?;
    // 编号 that numbers the rows, beside the names; names as exporting systems write them.
    write(
        &dir.join("row_numbers/服务对象评价_2026Q1.csv"),
        "编号,被评单位,服务对象满意度\r\n1,区商务局,91\r\n2,区发展和改革局,92\r\n",
    )?;
    write(
        &dir.join("export_names/数据.csv"),
        "考核期,被评价单位,考核指标,评价主体,得分\r\n2026Q1,区商务局,12345热线按时办结率,,97.5\r\n",
    )?;
    // CSV as it comes: a title line without delimiters over a semicolon table; Excel for
    // Mac's carriage returns; a GBK file whose name cells happen to be valid UTF-8.
    write(
        &dir.join("csv_title/服务对象评价_2026Q1.csv"),
        "2026年第一季度服务对象满意度测评汇总表\r\n单位名称;服务对象满意度;备注\r\n区发展和改革局;93;好,很好\r\n区商务局;88;\r\n",
    )?;
    write(&dir.join("cr_only/服务对象评价_2026Q1.csv"), "单位名称,服务对象满意度\r区发展和改革局,93\r\r区商务局,88\r")?;
    write(
        &dir.join("gbk_names/数据.csv"),
        gbk("考核期,单位名称,指标,得分\r\n2026Q1,区商务局,E1,96\r\n2026Q1,谢雪梅,E1,97\r\n"),
    )?;
    // Short names from the roster's 简称 column; a near miss is refused with a suggestion.
    write(
        &dir.join("aliases/服务对象评价_2026Q1.csv"),
        "单位,服务对象满意度\r\n发改局,91\r\n人社局,92\r\n卫健委,93\r\n发改委,94\r\n",
    )?;
    // Words the scheme declares in [value_words]; one it does not.
    write(
        &dir.join("value_words/服务对象评价_2026Q1.csv"),
        "单位名称,服务对象满意度\r\n区发展和改革局,满意\r\n区商务局,基本满意\r\n区投资促进局, 不满意 \r\n区工业和信息化局,很好\r\n",
    )?;
    // A survey export, one row per response, identified by 问卷编号.
    let mut survey = String::from("问卷编号,提交时间,被评单位,服务对象满意度\r\n");
    for (k, v) in [90, 80, 100, 70, 85, 95, 60, 88, 92, 75, 81, 99].iter().enumerate() {
        survey.push_str(&format!("{},2026-03-2{} 10:00,区商务局,{v}\r\n", 101 + k, k % 9));
    }
    survey.push_str("113,2026-03-29 11:00,区发展和改革局,90\r\n114,2026-03-29 11:05,区发展和改革局,70\r\n");
    write(&dir.join("responses/服务对象评价_2026Q1.csv"), survey)?;
    // The same survey as a long table: 问卷编号 names the respondent, 评价对象 the unit.
    write(
        &dir.join("long_responses/服务对象评价_2026Q1.csv"),
        "问卷编号,评价对象,评价指标,评分\r\n1,区商务局,服务对象满意度,90\r\n2,区商务局,服务对象满意度,80\r\n",
    )?;
    // Respondents without an id: the unit repeats down the sheet.
    write(
        &dir.join("response_rows/服务对象评价_2026Q1.csv"),
        "单位名称,服务对象满意度\r\n区商务局,90\r\n区商务局,80\r\n区商务局,70\r\n",
    )?;
    // A leader's sheet naming a unit twice is a duplicate, not two leaders.
    write(
        &dir.join("leader_twice/区领导评价_2026Q1.csv"),
        "单位名称,党建工作责任制落实\r\n区商务局,90\r\n区商务局,80\r\n",
    )?;
    // One sheet per indicator, one column per evaluator.
    case_xlsx(
        &dir.join("evaluator_columns/部门互评_2026Q1.xlsx"),
        &[sheet(
            "党建工作责任制落实",
            vec![
                vec![T("单位名称"), T("评委1"), T("评委2"), T("评委3")],
                vec![T("区商务局"), N(88.0), N(90.0), N(92.0)],
                vec![T("区发展和改革局"), N(85.0), T("—"), N(87.0)],
            ],
        )],
        false,
    )?;
    // The N×N peer matrix: evaluating units down, rated units across, one indicator named
    // in the title; the diagonal is not rated (one unit rated itself anyway).
    write(
        &dir.join("peer_matrix/部门互评_2026Q1.csv"),
        "2026年第一季度部门互评（党建工作责任制落实）,,,\r\n\
         评价单位,区发展和改革局,区商务局,区投资促进局\r\n\
         区发展和改革局,—,90,85\r\n\
         区商务局,88,本单位不评,80\r\n\
         区投资促进局,86,92,95\r\n",
    )?;
    // One file per evaluating unit, named in the title; its own row is not rated.
    write(
        &dir.join("per_evaluator/部门互评_区财政局_2026Q1.csv"),
        "评价单位：区财政局（盖章）,,\r\n\
         单位名称,党建工作责任制落实,服务保障满意度\r\n\
         区财政局,—（本单位不评）,—（本单位不评）\r\n\
         区商务局,90,\r\n\
         区政府办公室,85,88\r\n",
    )?;
    // A sheet with units but nothing perf can score.
    write(&dir.join("no_indicators/通讯录.csv"), "单位名称,联系人,电话\r\n区商务局,张三,12345678\r\n")?;
    // The same kind of export with no mapping: the subject column found by its cells (unit
    // names), the indicator by its question.
    write(
        &dir.join("survey_questions/服务对象评价_2026Q1.csv"),
        "序号,提交答卷时间,1、您评价的单位是：,2、服务对象满意度：\r\n\
         1,2026/3/20 9:01,区商务局,满意\r\n\
         2,2026/3/20 9:05,区商务局,基本满意\r\n\
         3,2026/3/21 14:12,区民政局,不满意\r\n",
    )?;
    // A survey system's export whose headers are questions, read through perf.toml's
    // [[mapping]] with no flags.
    let mapped = root.join("tests/data/import/mapped");
    write(
        &mapped.join("perf.toml"),
        "# 问卷系统导出文件的读法：见 docs/import.md「列映射」。\n\
         scheme = \"../../../../examples/units/scheme.toml\"\n\
         roster = \"../../../../examples/units/roster.csv\"\n\
         inputs = [\"data\"]\n\
         period = \"2026Q1\"\n\n\
         [[mapping]]\n\
         files = \"问卷导出*.xlsx\"\n\
         subject = \"1、您评价的单位是：\"\n\
         evaluator = \"序号\"\n\
         rater = \"public\"\n\
         columns = { \"2、您对该单位服务的总体评价：\" = \"G3.2\" }\n\
         words = { \"非常满意\" = 100, \"比较满意\" = 80, \"一般\" = 60 }\n",
    )?;
    case_xlsx(
        &mapped.join("data/问卷导出_第一季度.xlsx"),
        &[sheet(
            "Sheet1",
            vec![
                vec![
                    T("序号"),
                    T("提交答卷时间"),
                    T("所用时间"),
                    T("1、您评价的单位是："),
                    T("2、您对该单位服务的总体评价："),
                    T("3、您的意见和建议："),
                ],
                vec![N(1.0), T("2026/3/20 9:01:02"), T("35秒"), T("区商务局"), T("非常满意"), T("无")],
                vec![N(2.0), T("2026/3/20 9:05:40"), T("41秒"), T("区商务局"), T("一般"), T("办事慢")],
                vec![N(3.0), T("2026/3/21 14:12:09"), T("28秒"), T("区民政局"), T("不满意"), T("")],
                vec![N(4.0), T("2026/3/21 15:00:00"), T("30秒"), T("区民政局"), T("很一般"), T("")],
            ],
        )],
        false,
    )?;
    // 目标值 | 完成值 under each indicator (a CSV writes the group cell once), a header
    // with the code before the name, outline numbers, and a peer sheet's 评价单位 column.
    write(
        &dir.join("targets/数据指标_2026Q1.csv"),
        "单位名称,12345热线按时办结率,,一、固定资产投资完成率,\r\n,目标值,完成值,目标值,完成值\r\n区发展和改革局,98,97.5,100,101\r\n",
    )?;
    write(
        &dir.join("code_names/部门互评_2026Q1.csv"),
        "评价单位,被评价单位,G1.1 党建工作责任制落实,1.1重点项目推进,1.2法治政府建设评价\r\n\
         区商务局,区发展和改革局,88,90,\r\n区财政局,区发展和改革局,86,85,\r\n",
    )?;
    // A long table with fractions under % indicators: refused where no value of the
    // indicator exceeds 1, read where another one does.
    write(
        &dir.join("long_fraction/数据.csv"),
        "考核期,单位名称,指标,得分\r\n\
         2026Q1,区发展和改革局,12345热线按时办结率,0.973\r\n\
         2026Q1,区商务局,12345热线按时办结率,0.99\r\n\
         2026Q1,区发展和改革局,行政复议诉讼纠错率,0.5\r\n\
         2026Q1,区商务局,行政复议诉讼纠错率,2.5\r\n",
    )?;
    // A transposed table: indicators down, units across.
    write(
        &dir.join("transposed/数据指标_2026Q1.csv"),
        "指标,区发展和改革局,区商务局\r\n12345热线按时办结率,98,97\r\n固定资产投资完成率,101,99\r\n",
    )?;
    Ok(())
}

// ------------------------------------------------------------------------- examples

struct Unit {
    id: String,
    name: String,
    category: String,
}

fn read_roster(path: &Path) -> Res<Vec<Vec<String>>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text.lines().skip(1).map(|l| l.split(',').map(str::to_owned).collect()).collect())
}

fn quarters() -> [(&'static str, &'static str); 4] {
    [
        ("2026Q1", "2026年第一季度"),
        ("2026Q2", "2026年第二季度"),
        ("2026Q3", "2026年第三季度"),
        ("2026Q4", "2026年第四季度"),
    ]
}

fn units_data(root: &Path) -> Res {
    let ex = root.join("examples/units");
    let units: Vec<Unit> = read_roster(&ex.join("roster.csv"))?
        .into_iter()
        .map(|r| Unit { id: r[0].clone(), name: r[1].clone(), category: r[2].clone() })
        .collect();
    let data = ex.join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let mut rng = Rng(2026);
    // Each unit's underlying quality, stable across quarters.
    let quality: Vec<f64> = units.iter().map(|_| rng.tenths(78.0, 96.0)).collect();
    let cat_of = |u: &Unit| match u.category.as_str() {
        "经济发展类" => "econ",
        "社会民生类" => "social",
        "综合管理类" => "admin",
        _ => "enforce",
    };
    for (qi, (period, label)) in quarters().iter().enumerate() {
        // Leader ratings: one workbook, one row per unit.
        let rate = |rng: &mut Rng, base: f64| (base + rng.tenths(-4.0, 4.0)).clamp(60.0, 100.0);
        let leader = Table {
            title: format!("{label}区领导评价表"),
            groups: vec![
                ("".into(), vec!["序号".into()]),
                ("".into(), vec!["单位名称".into()]),
                ("共性指标".into(), vec!["党建工作责任制落实(10分)".into(), "法治政府建设评价(5分)".into()]),
                ("个性指标".into(), vec!["重点项目推进(15分)".into()]),
            ],
            rows: units
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let mut row = vec![
                        C::N((i + 1) as f64),
                        t(&u.name),
                        C::N(rate(&mut rng, quality[i])),
                        C::N(rate(&mut rng, quality[i])),
                    ];
                    row.push(if cat_of(u) == "econ" { C::N(rate(&mut rng, quality[i])) } else { C::Blank });
                    row
                })
                .collect(),
            footer: "制表人：区考核办　　审核人：王主任".into(),
        };
        save_xlsx(&data.join(format!("区领导评价_{period}.xlsx")), &[("区领导评价", &leader)], &[])?;

        // Peer ratings: each unit rated by six others, one row per (evaluator, unit).
        let mut peer_rows = Vec::new();
        for (i, u) in units.iter().enumerate() {
            for k in 1..=6 {
                let e = &units[(i + k * 3) % units.len()];
                let mut row = vec![t(&e.name), t(&u.name), C::N(rate(&mut rng, quality[i]))];
                row.push(if cat_of(u) == "econ" { C::N(rate(&mut rng, quality[i])) } else { C::Blank });
                row.push(if cat_of(u) == "admin" { C::N(rate(&mut rng, quality[i])) } else { C::Blank });
                peer_rows.push(row);
            }
        }
        let peer = Table {
            title: format!("{label}部门互评表"),
            groups: vec![
                ("".into(), vec!["评价人".into()]),
                ("".into(), vec!["被评价单位".into()]),
                ("共性指标".into(), vec!["党建工作责任制落实".into()]),
                ("个性指标".into(), vec!["重点项目推进".into(), "服务保障满意度".into()]),
            ],
            rows: peer_rows,
            footer: "制表人：区考核办".into(),
        };
        save_xlsx(&data.join(format!("部门互评_{period}.xlsx")), &[("部门互评", &peer)], &[])?;

        // Public survey: long, one row per respondent and indicator.
        let mut public = String::from("考核期,单位名称,指标,评价主体,评价人,得分\r\n");
        for (i, u) in units.iter().enumerate() {
            let mut inds = vec!["服务对象满意度"];
            inds.push(match cat_of(u) {
                "econ" => "重点项目推进",
                "social" => "群众满意度",
                "admin" => "服务保障满意度",
                _ => "执法对象满意度",
            });
            for r in 1..=12 {
                for ind in &inds {
                    let v = rate(&mut rng, quality[i] - 1.0);
                    public.push_str(&format!("{label},{},{ind},服务对象,问卷{:03},{}\r\n", u.name, r, fmt_num(v)));
                }
            }
        }
        let public_path = data.join(format!("服务对象评价_{period}.csv"));
        match qi {
            0 => write(&public_path, gbk(&public))?,
            _ => write(&public_path, &public)?,
        }

        // Data-driven indicators: long ledger from the departments that own the data.
        let mut rows = String::from("period,subject,indicator,rater,evaluator,value\r\n");
        for (i, u) in units.iter().enumerate() {
            let good = quality[i] >= 88.0;
            let mut put = |ind: &str, v: String| rows.push_str(&format!("{period},{},{ind},data,,{v}\r\n", u.id));
            put("G1.2", if rng.below(10) < 9 { "是".into() } else { "否".into() });
            put("G2.1", fmt_num(rng.tenths(0.0, 8.0)));
            put("G3.1", fmt_num(rng.tenths(93.0, 100.0)));
            put("G3.3", rng.below(3).to_string());
            match cat_of(u) {
                "econ" => {
                    put("E1", fmt_num(rng.tenths(85.0, 118.0)));
                    put("E2", rng.below(11).to_string());
                    put("E3", fmt_num(rng.tenths(70.0, 98.0)));
                }
                "social" => {
                    put("S1", fmt_num(rng.tenths(85.0, 100.0)));
                    put("S3", fmt_num(rng.tenths(70.0, 99.0)));
                }
                "admin" => {
                    put("A1", fmt_num(rng.tenths(88.0, 100.0)));
                    put("A3", fmt_num(rng.tenths(65.0, 99.0)));
                }
                _ => {
                    put("L1", fmt_num(rng.tenths(88.0, 100.0)));
                    put("L2", fmt_num(rng.tenths(62.0, 98.0)));
                }
            }
            put("X1", if good { rng.below(3).to_string() } else { "0".into() });
            put("X2", rng.below(2).to_string());
            put("X3", "否".into());
        }
        write(&data.join(format!("数据指标_{period}.csv")), &rows)?;
    }
    // One quarter of leader ratings as an old .xls, as some offices still send.
    // Without LibreOffice the .xls already there is kept and the .xlsx dropped, so the
    // example never holds the quarter twice.
    let xlsx = data.join("区领导评价_2026Q2.xlsx");
    if convert(&xlsx, "xls", &data)? || data.join("区领导评价_2026Q2.xls").exists() {
        std::fs::remove_file(&xlsx)?;
    }
    Ok(())
}

struct Person {
    id: String,
    name: String,
    leader: bool,
    unit: String,
}

fn staff_data(root: &Path) -> Res {
    let ex = root.join("examples/staff");
    let people: Vec<Person> = read_roster(&ex.join("roster.csv"))?
        .into_iter()
        .map(|r| Person { id: r[0].clone(), name: r[1].clone(), leader: r[2] == "领导干部", unit: r[3].clone() })
        .collect();
    let data = ex.join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let mut rng = Rng(60);
    let quality: Vec<f64> = people.iter().map(|_| rng.tenths(76.0, 97.0)).collect();
    let head_of = |p: &Person| {
        people.iter().find(|q| q.unit == p.unit && q.leader).map_or("区领导".to_owned(), |q| q.name.clone())
    };
    let rate = |rng: &mut Rng, base: f64| (base + rng.tenths(-4.0, 4.0)).clamp(60.0, 100.0);
    // P061 joined in July: no data before the third quarter.
    let on_staff = |p: &Person, qi: usize| p.id != "P061" || qi >= 2;
    for (qi, (period, label)) in quarters().iter().enumerate() {
        // The head of each unit rates its staff; the district leader rates the unit heads.
        let leader = Table {
            title: format!("{label}公务员平时考核主管领导评价表"),
            groups: vec![
                ("".into(), vec!["评价人".into()]),
                ("".into(), vec!["姓名".into()]),
                ("".into(), vec!["所在单位".into()]),
                ("能".into(), vec!["业务能力".into()]),
                ("勤".into(), vec!["工作作风与担当".into()]),
                ("绩".into(), vec!["重点工作推进".into(), "分管领域工作成效".into(), "带队伍抓班子".into()]),
            ],
            rows: people
                .iter()
                .enumerate()
                .filter(|(_, p)| on_staff(p, qi))
                .map(|(i, p)| {
                    let evaluator = if p.leader { "区领导".to_owned() } else { head_of(p) };
                    let q = quality[i];
                    vec![
                        t(&evaluator),
                        t(&p.name),
                        t(&p.unit),
                        C::N(rate(&mut rng, q)),
                        C::N(rate(&mut rng, q)),
                        if p.leader { C::Blank } else { C::N(rate(&mut rng, q)) },
                        if p.leader { C::N(rate(&mut rng, q)) } else { C::Blank },
                        if p.leader { C::N(rate(&mut rng, q)) } else { C::Blank },
                    ]
                })
                .collect(),
            footer: "制表人：区委组织部　　审核人：考核办".into(),
        };
        save_xlsx(&data.join(format!("主管领导评价_{period}.xlsx")), &[("主管领导评价", &leader)], &[])?;

        // Four colleagues rate each person.
        let mut rows = Vec::new();
        for (i, p) in people.iter().enumerate().filter(|(_, p)| on_staff(p, qi)) {
            for k in 1..=4 {
                let e = &people[(i + k * 7) % people.len()];
                let q = quality[i];
                rows.push(vec![
                    t(&e.name),
                    t(&p.name),
                    C::N(rate(&mut rng, q)),
                    C::N(rate(&mut rng, q)),
                    if p.leader { C::N(rate(&mut rng, q)) } else { C::Blank },
                ]);
            }
        }
        let peer = Table {
            title: format!("{label}同事互评表"),
            groups: vec![
                ("".into(), vec!["评价人".into()]),
                ("".into(), vec!["姓名".into()]),
                ("能".into(), vec!["业务能力".into()]),
                ("勤".into(), vec!["工作作风与担当".into()]),
                ("绩".into(), vec!["带队伍抓班子".into()]),
            ],
            rows,
            footer: "制表人：各单位考核工作小组".into(),
        };
        save_xlsx(&data.join(format!("同事互评_{period}.xlsx")), &[("同事互评", &peer)], &[])?;

        // Service users: five per person, for 业务能力 and 服务对象评价.
        let mut public = String::from("考核期,姓名,指标,评价主体,评价人,得分\r\n");
        for (i, p) in people.iter().enumerate().filter(|(_, p)| on_staff(p, qi)) {
            for r in 1..=5 {
                for ind in ["业务能力", "服务对象评价"] {
                    let v = rate(&mut rng, quality[i]);
                    public.push_str(&format!("{label},{},{ind},服务对象,回访{:02},{}\r\n", p.name, r, fmt_num(v)));
                }
            }
        }
        write(&data.join(format!("服务对象评价_{period}.csv")), &public)?;

        // Records: attendance, task completion, vetoes, commendations.
        let mut rows = String::from("period,subject,indicator,rater,evaluator,value\r\n");
        for (i, p) in people.iter().enumerate().filter(|(_, p)| on_staff(p, qi)) {
            let mut put = |ind: &str, v: String| rows.push_str(&format!("{period},{},{ind},,,{v}\r\n", p.id));
            put("QIN1", rng.below(4).to_string());
            put("JI1", fmt_num((quality[i] + rng.tenths(0.0, 8.0)).min(100.0)));
            put("DE", "否".into());
            put("LIAN", if p.id == "P023" && *period == "2026Q3" { "是".into() } else { "否".into() });
            put("JIA", if quality[i] > 93.0 { rng.below(2).to_string() } else { "0".into() });
        }
        write(&data.join(format!("数据指标_{period}.csv")), gbk(&rows))?;
    }

    // The year-end review (年度述职测评): the unit head and four colleagues rate everyone.
    let mut rows = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let evaluator = if p.leader { "区领导".to_owned() } else { head_of(p) };
        rows.push(vec![t(&evaluator), t(&p.name), C::N(rate(&mut rng, quality[i]))]);
        for k in 1..=4 {
            let e = &people[(i + k * 11) % people.len()];
            rows.push(vec![t(&e.name), t(&p.name), C::N(rate(&mut rng, quality[i]))]);
        }
    }
    let review = Table {
        title: "2026年度公务员年度考核述职测评表".into(),
        groups: vec![
            ("".into(), vec!["评价人".into()]),
            ("".into(), vec!["姓名".into()]),
            ("".into(), vec!["年度述职测评".into()]),
        ],
        rows,
        footer: "制表人：区委组织部".into(),
    };
    let year_end = ex.join("year-end");
    let _ = std::fs::remove_dir_all(&year_end);
    save_xlsx(&year_end.join("年度述职测评_2026.xlsx"), &[("年度述职测评", &review)], &[("rater", "peer")])?;

    // History 2023–2025: mostly 称职; the best are sometimes 优秀. P032 was 优秀 in 2024 and
    // 2025 (a third year makes 记三等功); P023 was 不称职 in 2025 (a second makes 辞退审查).
    let mut hist = String::from("year,subject,grade,score,sanctions\n");
    for year in 2023..=2025 {
        for (i, p) in people.iter().enumerate() {
            if p.id == "P061" {
                continue;
            }
            let grade = match (p.id.as_str(), year) {
                ("P032", 2024 | 2025) => "优秀",
                ("P023", 2025) => "不称职",
                ("P032" | "P023", _) => "称职",
                _ if quality[i] > 94.0 && rng.below(3) == 0 => "优秀",
                _ if quality[i] < 78.0 && rng.below(4) == 0 => "基本称职",
                _ => "称职",
            };
            let score = fmt_num((quality[i] + rng.tenths(-3.0, 3.0)).min(100.0));
            hist.push_str(&format!("{year},{},{grade},{score},\n", p.id));
        }
    }
    write(&ex.join("history.csv"), hist)?;
    Ok(())
}

fn main() -> Res {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    fixtures(&root)?;
    import_cases(&root)?;
    units_data(&root)?;
    staff_data(&root)?;
    println!("written: tests/data/import, examples/units/data, examples/staff/data");
    Ok(())
}
