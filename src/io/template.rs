//! Writing an entry template (`perf template`) as an .xlsx workbook: per sheet a title with the
//! period as a clerk writes it, an instruction line, a two-row header (first-level indicator
//! over its entry columns, `代码 名称`), the subjects down the side and empty entry cells with
//! data validation in Chinese; headers and subjects locked (sheet protection, entry cells
//! unlocked); print setup for A4; and a hidden `_perf` sheet recording the period, rater,
//! evaluator, the columns' indicator codes, the scheme fingerprint and the template version,
//! which `perf import` reads back.

use crate::core::roster::Roster;
use crate::core::scheme::{Indicator, Scheme};
use crate::core::template::{Book, Entry, SheetPlan, TEMPLATE_VERSION, entry, fingerprint_text};
use crate::io::table::META_SHEET;
use anyhow::Result;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

/// The first row of subjects (0-based): title, instructions, two header rows.
pub const FIRST_ROW: u32 = 4;
/// The first entry column (0-based): 编号, 名称.
pub const FIRST_COL: u16 = 2;

/// What the workbook says about itself.
pub struct Meta<'a> {
    pub scheme: &'a Scheme,
    pub roster: &'a Roster,
    /// The canonical period (2026Q1) and how a clerk writes it (2026年第一季度).
    pub period: &'a str,
    pub period_label: &'a str,
    /// Sheet protection password (none: protected without one).
    pub password: Option<&'a str>,
}

/// The SHA-256 of a template's columns (see [`fingerprint_text`]).
pub fn fingerprint(scheme: &Scheme, columns: &[usize]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(fingerprint_text(scheme, columns).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The header text of an entry column: `代码 名称（单位）`. No "(N分)": a points suffix would
/// make the import read a rating column on that scale.
pub fn column_header(ind: &Indicator) -> String {
    match ind.unit.as_deref().filter(|u| !u.is_empty()) {
        Some(unit) => format!("{} {}（{unit}）", ind.code, ind.name),
        None => format!("{} {}", ind.code, ind.name),
    }
}

fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The validation of one indicator's entry cells, with its Chinese prompt and refusal.
fn validation(scheme: &Scheme, ind: &Indicator, top_left: &str) -> Result<DataValidation> {
    let name = format!("{} {}", ind.code, ind.name);
    let range = |min: Option<Decimal>, max: Option<Decimal>| match (min, max) {
        (Some(a), Some(b)) => format!("{} 到 {} 之间的数", a.normalize(), b.normalize()),
        (Some(a), None) => format!("不小于 {} 的数", a.normalize()),
        (None, Some(b)) => format!("不大于 {} 的数", b.normalize()),
        (None, None) => "数".to_owned(),
    };
    let (dv, wanted) = match entry(scheme, ind) {
        Entry::YesNo => (DataValidation::new().allow_list_strings(&["是", "否"])?, "“是”或“否”".to_owned()),
        Entry::Number { min, max } => {
            let limit = number(crate::core::import::cell::VALUE_LIMIT) * 0.999;
            let rule = DataValidationRule::Between(min.map_or(-limit, number), max.map_or(limit, number));
            (DataValidation::new().allow_decimal_number(rule), range(min, max))
        }
        Entry::NumberOrWord { min, max, words } => {
            let words_test: Vec<String> = words.iter().map(|w| format!("{top_left}=\"{w}\"")).collect();
            let formula = format!(
                "=OR(AND(ISNUMBER({top_left}),{top_left}>={},{top_left}<={}),{})",
                min.normalize(),
                max.normalize(),
                words_test.join(",")
            );
            (
                DataValidation::new().allow_custom(Formula::new(formula)),
                format!("{}，或{}", range(Some(min), Some(max)), words.join("、")),
            )
        }
    };
    let scale = match &ind.method {
        Some(crate::core::scheme::Method::Rating { scale: crate::core::scheme::Scale::Percent, .. }) => "（百分制）",
        _ => "",
    };
    let prompt = format!("填写{wanted}{scale}");
    Ok(dv
        .set_input_title(clip(&name, 32))?
        .set_input_message(clip(&prompt, 255))?
        .set_error_title("不能这样填")?
        .set_error_message(clip(&format!("{name}：请{prompt}。"), 255))?)
}

/// At most `n` characters (Excel's limits on validation texts).
fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Write one sheet of the template.
fn write_sheet(ws: &mut Worksheet, book: &Book, sheet: &SheetPlan, meta: &Meta<'_>) -> Result<()> {
    let scheme = meta.scheme;
    ws.set_name(&sheet.name)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2");
    let locked = Format::new().set_border(FormatBorder::Thin);
    let entry_cell = Format::new().set_unlocked().set_border(FormatBorder::Thin);
    let last_col = FIRST_COL + u16::try_from(sheet.columns.len())? - 1;
    let rater = book.rater.map_or(crate::core::template::DATA_SHEET, |r| scheme.raters[r].name.as_str());
    let mut title = format!("{} · {} · {rater}", scheme.name, meta.period_label);
    if !book.evaluator.is_empty() {
        title.push_str(&format!(" · 评价单位：{}", book.evaluator));
    }
    ws.merge_range(0, 0, 0, last_col, &title, &bold.clone().set_font_size(14))?;
    let instructions = if book.rater.is_some() {
        "在白色单元格中填写分数（鼠标停在单元格上有提示），灰色部分不能改；填好后保存，原文件交回考核办，不要改文件名、表名和表头。"
    } else {
        "在白色单元格中填写各项数据（鼠标停在单元格上有提示），灰色部分不能改；填好后保存，原文件交回考核办，不要改文件名、表名和表头。"
    };
    let instructions = if sheet.repeat > 1 {
        format!("每个对象有 {} 行，每行由一位评价人填写（可以少填几行）。{instructions}", sheet.repeat)
    } else {
        instructions.to_owned()
    };
    ws.merge_range(1, 0, 1, last_col, &instructions, &Format::new().set_text_wrap())?;
    ws.set_row_height(1, 32)?;
    // Two header rows: each first-level indicator over its columns; 编号 and 名称 written in
    // both rows (not merged: an .ods saved by LibreOffice keeps no merge a reader can see, and
    // the lower row must name every column by itself).
    for row in [2, 3] {
        ws.write_with_format(row, 0, "编号", &head)?;
        ws.write_with_format(row, 1, "名称", &head)?;
    }
    let root_of = |mut i: usize| {
        while let Some(p) = scheme.indicators[i].parent {
            i = p;
        }
        i
    };
    let mut k = 0;
    while k < sheet.columns.len() {
        let root = root_of(sheet.columns[k]);
        let mut end = k;
        while end + 1 < sheet.columns.len() && root_of(sheet.columns[end + 1]) == root {
            end += 1;
        }
        let (c0, c1) = (FIRST_COL + u16::try_from(k)?, FIRST_COL + u16::try_from(end)?);
        let top = &scheme.indicators[root];
        let top_text = format!("{} {}", top.code, top.name);
        if root == sheet.columns[k] && k == end {
            // A first-level indicator entered directly: its name in both rows, so that the
            // lower row names every entry column.
            ws.write_with_format(2, c0, &top_text, &head)?;
            ws.write_with_format(3, c0, column_header(top), &head)?;
        } else {
            if c0 == c1 {
                ws.write_with_format(2, c0, &top_text, &head)?;
            } else {
                ws.merge_range(2, c0, 2, c1, &top_text, &head)?;
            }
            for j in k..=end {
                let col = FIRST_COL + u16::try_from(j)?;
                ws.write_with_format(3, col, column_header(&scheme.indicators[sheet.columns[j]]), &head)?;
            }
        }
        k = end + 1;
    }
    ws.set_row_height(3, 45)?;
    let rows: Vec<usize> =
        sheet.subjects.iter().flat_map(|&s| std::iter::repeat_n(s, sheet.repeat.max(1) as usize)).collect();
    let last_row = FIRST_ROW + u32::try_from(rows.len())? - 1;
    for (n, &s) in rows.iter().enumerate() {
        let row = FIRST_ROW + u32::try_from(n)?;
        let subj = &meta.roster.subjects[s];
        ws.write_with_format(row, 0, &subj.id, &locked)?;
        ws.write_with_format(row, 1, &subj.name, &locked)?;
        for j in 0..sheet.columns.len() {
            ws.write_blank(row, FIRST_COL + u16::try_from(j)?, &entry_cell)?;
        }
    }
    for (j, &i) in sheet.columns.iter().enumerate() {
        let col = FIRST_COL + u16::try_from(j)?;
        let top_left = format!("{}{}", crate::core::import::ledger::column_letters(usize::from(col)), FIRST_ROW + 1);
        let dv = validation(scheme, &scheme.indicators[i], &top_left)?;
        ws.add_data_validation(FIRST_ROW, col, last_row, col, &dv)?;
    }
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_range_width(FIRST_COL, last_col, 14)?;
    ws.set_freeze_panes(FIRST_ROW, FIRST_COL)?;
    // Print: A4, landscape when wide, fitted to the page width, headers on every page.
    ws.set_paper_size(9);
    if sheet.columns.len() > 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, 3)?;
    ws.set_header(format!("&C{}", title.replace('&', "&&")));
    ws.set_footer("&C第 &P 页，共 &N 页");
    match meta.password {
        Some(p) => ws.protect_with_password(p),
        None => ws.protect(),
    };
    Ok(())
}

/// The workbook's bytes.
pub fn build(book: &Book, meta: &Meta<'_>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, book, sheet, meta)?;
    }
    // Every column a template of this rater has (a workbook split by unit may lack a category
    // whose only unit is its own): what the import compares with today's scheme.
    let columns = crate::core::template::columns_now(meta.scheme, meta.roster, book.rater);
    let ws = wb.add_worksheet();
    ws.set_name(META_SHEET)?;
    let codes: Vec<&str> = columns.iter().map(|&i| meta.scheme.indicators[i].code.as_str()).collect();
    let rows: [(&str, String); 8] = [
        ("period", meta.period.to_owned()),
        ("header_row", (FIRST_ROW).to_string()),
        ("rater", book.rater.map_or_else(String::new, |r| meta.scheme.raters[r].id.clone())),
        ("evaluator", book.evaluator.clone()),
        ("indicators", codes.join(",")),
        ("scheme", fingerprint(meta.scheme, &columns)),
        ("template", TEMPLATE_VERSION.to_owned()),
        ("generator", format!("perf {}", env!("CARGO_PKG_VERSION"))),
    ];
    for (n, (k, v)) in rows.iter().enumerate() {
        let row = u32::try_from(n)?;
        ws.write(row, 0, *k)?;
        ws.write(row, 1, v.as_str())?;
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(wb.save_to_buffer()?)
}
